"""Shapes of real reports the figure path must read, on a generated report whose names and figures are invented.

- a heading centred over two columns ("Alternativ A" over "kg CO2e" and "kg CO2e/m2") heads both;
- a value per area ("kg CO2e/m2") answers a question "per m2", and the absolute figure one that divides by nothing;
- a budget column headed by its initial ("B 2022") is a plan, not the year's accounts;
- a compound question word is split into words of the table ("utskiftingsfasen" → "Utskifting");
- headings over the first column of each group ("Selskap", "Konsern") head the group, the company's own beside
  the group's; Bokmål questions meet Nynorsk labels one letter apart ("egenkapital" ~ "eigenkapital");
- a group row under the header is the parent of the rows under it ("Ombruk" over "Takstein");
- a statement compared with "the year before" gives that year's figure too;
- a unit or code written with a capital ("CO2e", "A1-A3") is no organisation's name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from rag.answer.figures import answer_figure, table_name
from rag.answer.grounding import ungrounded_numbers
from rag.answer.query import parse_query, stated_years
from rag.answer.rows import RowIndex
from rag.answer.scope import Scoper, question_names
from rag.ingest.tables import extract_facts
from rag.text.units import UnitKind, ratio, unit_kind
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

LIFE_CYCLE = (
    ("Modul", "kg CO2e", "kg CO2e/m2", "kg CO2e", "kg CO2e/m2"),
    ("A1-A3 Material", "1 804 000", "451,0", "1 322 000", "330,5"),
    ("B6 Drift", "620 400", "155,1", "401 200", "100,3"),
    ("Sum", "2 424 400", "606,1", "1 723 200", "430,8"),
)
PARTS = (
    ("Bygningsdel", "A1-A3", "A4", "B4", "Sum"),
    ("", "Produkt", "Transport", "Utskifting", ""),
    ("31 Fasader", "210 500", "12 300", "88 400", "311 200"),
    ("32 Tak", "98 100", "6 050", "41 900", "146 050"),
)
ACCOUNTS = (
    ("", "Note", "2022", "B 2022", "2021"),
    ("Driftsinntekter", "1", "41 220 900", "39 000 000", "38 514 300"),
    ("Driftsresultat", "", "2 904 100", "1 500 000", "2 411 800"),
)


BALANCE = (
    ("Balanse", "2022", "2021", "2022", "2021"),
    ("Sum eigenkapital", "61 200 300", "58 904 100", "74 118 020", "70 030 515"),
    ("Sum gjeld", "90 114 700", "88 020 400", "131 200 800", "125 660 300"),
)
RESULTS = (
    ("", "Referanse", "Prosjekt", "Reduksjon"),
    ("Utslipp fra drift", "190,2", "121,0", "36 %"),
    ("Sum utslipp over levetiden", "512,0", "377,4", "26 %"),
)
HANDLED = (
    ("Materiale", "Trinn 1", "Trinn 2", "Totalt"),
    ("", "(m3)", "(m3)", "(m3)"),
    ("Ombruk", "", "", ""),
    ("Takstein", "31", "9", "40"),
    ("Energigjenvinning", "", "", ""),
    ("Takstein", "3", "1", "4"),
    ("Trevirke", "88", "41", "129"),
)


MODULES = "Utslipp per modul, sum"  # a total row is named by its table's title
BALANCE_SUM = "Balanse per 31.12., sum"


def _report() -> Any:
    pdf = start_report(
        "Klimagassberegning og årsmelding 2022 for Lyngheia kulturhus",
        "Vestlia Bygg AS har bygget Lyngheia kulturhus. Sjukefråværet var 6,4 prosent i 2022, mot 4,9 prosent året "
        "før.",
    )
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 60, "Tabell 3.2 Utslipp per modul")
    pdf.set_font("Helvetica", "B", 9)
    pdf.text(96, 69, "Alternativ A")  # centred over its two columns
    pdf.text(152, 69, "Alternativ B")
    draw_table(pdf, 74, "", LIFE_CYCLE, (20, 80, 105, 135, 165), 25)
    draw_table(pdf, 130, "Utslipp per bygningsdel, alternativ B (kg CO2e)", PARTS, (20, 80, 105, 130, 155), 20)
    draw_table(pdf, 180, "Resultatrekneskap", ACCOUNTS, (20, 85, 110, 140, 170), 25)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 30, "Balanse per 31.12.")
    pdf.set_font("Helvetica", "B", 9)
    pdf.text(96, 39, "Selskap")  # over the first of its two year columns, as is "Konsern"
    pdf.text(156, 39, "Konsern")
    draw_table(pdf, 44, "", BALANCE, (20, 80, 105, 140, 165), 22)
    draw_table(pdf, 100, "Mengder per trinn og behandling", HANDLED, (20, 80, 105, 130), 22)
    draw_table(pdf, 200, "Resultater", RESULTS, (20, 110, 140, 170), 20)
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(20, 160)
    pdf.multi_cell(170, 5, "Fraværet i konsernet var 2,7 prosent (3,3 prosent i 2021).")
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("shapes"), "lyngheia-klimagass-2022.pdf")


def test_a_heading_over_two_columns_heads_both(report: Document) -> None:
    facts = {(f.metric, f.qualifier, f.unit): f.value_text for f in extract_facts(report) if f.metric == "Sum"}
    assert facts == {
        ("Sum", "alternativ a", "kg CO2e"): "2 424 400",
        ("Sum", "alternativ a", "kg CO2e/m2"): "606,1",
        ("Sum", "alternativ b", "kg CO2e"): "1 723 200",
        ("Sum", "alternativ b", "kg CO2e/m2"): "430,8",
    }  # the heading names the alternative, the header under it the unit


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var samlet utslipp per m2 for alternativ A?", f"{MODULES}, alternativ a: 606,1 kg CO2e/m2 [1]."),
        ("Hva var samlet utslipp for alternativ B?", f"{MODULES}, alternativ b: 1 723 200 kg CO2e [1]."),
        ("Hva var utslippet fra drift per kvadratmeter i alternativ B?",
         "B6 Drift, alternativ b: 100,3 kg CO2e/m2 [1]."),
        ("Hvor store utslipp hadde fasadene i utskiftingsfasen?", "31 Fasader, b4 utskifting: 88 400 kg CO2e [1]."),
        ("Hva var driftsinntektene i 2022?", "Driftsinntekter var 41 220 900 i 2022 [1]."),
        ("Hva var budsjettert driftsresultat for 2022?", "Driftsresultat, budsjett var 1 500 000 i 2022 [1]."),
    ],
)
def test_questions_reach_the_cell_the_shape_of_the_table_says(report: Document, question: str, expected: str) -> None:
    assert ask_figure(report, question, 2022) == expected


def test_headings_over_the_first_of_each_group_of_columns_head_the_group(report: Document) -> None:
    balance = next(t for t in report.tables if t.text_rows()[1][0] == "Sum eigenkapital")
    assert balance.column_headers() == ["Balanse", "Selskap 2022", "Selskap 2021", "Konsern 2022", "Konsern 2021"]


def test_a_group_row_under_the_header_is_the_parent_of_the_rows_under_it(report: Document) -> None:
    facts = {(f.group, f.metric, f.qualifier): f.value_text for f in extract_facts(report) if f.metric == "Takstein"}
    assert facts[("Ombruk", "Takstein", "totalt")] == "40"
    assert facts[("Energigjenvinning", "Takstein", "trinn 2")] == "1"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Bokmål asked, Nynorsk printed; the company's own column beside the group's
        ("Hva var egenkapitalen i selskapet i 2021?",
         f"{BALANCE_SUM} eigenkapital, selskap var 58 904 100 i 2021 [1]."),
        ("Hva var konsernets egenkapital i 2022?", f"{BALANCE_SUM} eigenkapital, konsern var 74 118 020 i 2022 [1]."),
        ("Hva var morselskapets gjeld i 2022?", f"{BALANCE_SUM} gjeld, selskap var 90 114 700 i 2022 [1]."),
        ("Hvor mye takstein gikk til energigjenvinning?", "Takstein, totalt: 4 m3 [1]."),
        ("Hvor mye takstein ble ombrukt i trinn 1?", "Takstein, trinn 1: 31 m3 [1]."),
        # the column the question names, not the other columns of the row whose header also says it
        ("Hva var sum utslipp over levetiden for prosjektet?",
         "Resultater, sum utslipp over levetiden, prosjekt: 377,4 [1]."),
    ],
)
def test_whose_column_and_which_group_row_the_question_names(report: Document, question: str, expected: str) -> None:
    assert ask_figure(report, question, 2022) == expected


def test_an_answer_names_a_numbered_table_without_its_number(report: Document) -> None:
    """The table's number is not in the quoted row: an answer that printed it would state an uncited figure."""
    question = "Hva var samlet utslipp per m2 for alternativ A?"
    facts = extract_facts(report)
    docs = {report.doc_id: report.meta}
    info = replace(parse_query(question, 2022), scope=Scoper(docs, []).resolve(question))
    answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
    assert answer is not None and answer.text == f"{MODULES}, alternativ a: 606,1 kg CO2e/m2 [1]."
    assert ungrounded_numbers(answer.text, answer.citations, answer.computed) == []
    assert table_name("Tabell 3.2 Utslipp per modul") == "Utslipp per modul"
    assert table_name("Table 4: Key figures") == "Key figures"


def test_a_statement_compared_with_the_year_before_gives_both_years(report: Document) -> None:
    facts = {(f.page, f.year): f.value_text for f in extract_facts(report) if f.style == "running-text"}
    assert facts == {
        (1, 2022): "6,4", (1, 2021): "4,9",  # "... 6,4 prosent i 2022, mot 4,9 prosent året før"
        (2, 2022): "2,7", (2, 2021): "3,3",  # "... 2,7 prosent (3,3 prosent i 2021)"
    }  # fmt: skip
    assert stated_years("Fraværet var 3,1 % mot 3,5 % året før.", 2024) == {2023, 2024}
    assert stated_years("Fraværet var 3,1 % i 2020 mot 3,5 % i fjor.", 2024) == {2019, 2020}
    assert stated_years("Fraværet var 3,1 %.", 2024) == set()
    assert stated_years("Fraværet var 2,7 % (3,3 % i 2021).", 2022) == {2021, 2022}  # brackets compare
    assert stated_years("Talet på tilsette var 57 (54).", 2022) == {2021, 2022}  # last year's figure in brackets
    assert stated_years("Vi har 3 lokasjoner (se side 4).", 2022) == set()


def test_a_unit_divides_by_what_follows_its_slash_or_per() -> None:
    assert ratio("kg CO2e/m²") == ("kg CO2e ", UnitKind.AREA)
    assert ratio("kWh per m2 BTA")[1] is UnitKind.AREA
    assert ratio("Resultat pr. aktie")[1] is UnitKind.UNKNOWN  # "aktie" is no unit
    assert ratio("mio. kr.")[1] is UnitKind.UNKNOWN
    # however the amount is printed, it is a mass per area (per year)
    for printed in ("kgCO2e/m2", "kgCO2e/m²BTA/år", "kg CO2-ekv/m2år", "tCO2e pr. m2 BRA"):
        numerator, by = ratio(printed)
        assert (unit_kind(numerator), by) == (UnitKind.MASS, UnitKind.AREA), printed
    assert unit_kind("kgCO2e") is UnitKind.MASS and unit_kind("tonn CO2e") is UnitKind.MASS


def test_a_unit_or_code_written_with_a_capital_is_no_name() -> None:
    scoper = Scoper({}, [])
    question = "Hvor stort var utslippet i A1-A3 målt i CO2e og MWh?"
    assert [scoper._docs_for(n) for n in question_names(question)] == [None, None, None]
