"""A generated Nynorsk annual report: accounts beside a budget column, asked about in Danish and Bokmål.

The company, its labels and figures are invented and occur nowhere in the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.ingest import read_document
from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

ACCOUNTS = (
    ("", "Note", "Rekneskap 2020", "Budsjett 2020", "Rekneskap 2019"),
    ("Sal av fjernvarme", "1", "52 310 000", "50 000 000", "47 880 000"),
    ("Sum driftsinntekter", "", "55 430 500", "52 500 000", "50 878 100"),
    ("Lønskostnader", "2", "28 904 200", "29 500 000", "27 101 900"),
    ("Avskrivingar", "3", "8 240 000", "8 300 000", "8 110 000"),
    ("Driftsresultat", "", "4 100 000", "1 800 000", "2 186 000"),
)


def _report() -> Any:
    text = "Selskapet leverte 86,4 GWh fjernvarme i 2020, ein auke på 7 % frå året før."
    pdf = start_report("Årsmelding 2020 for Fjordvatn Energi IKS", text)
    draw_table(pdf, 68, "Resultatrekneskap", ACCOUNTS, (20, 80, 115, 145, 175), 22)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("nynorsk"), "fjordvatn-arsmelding-2020.pdf")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hvad var driftsresultatet i 2020?", "Driftsresultat var 4 100 000 i 2020 [1]."),  # accounts, not budget
        ("Hva var budsjettert driftsresultat for 2020?", "Driftsresultat, budsjett var 1 800 000 i 2020 [1]."),
        ("Hva var budsjetterte avskrivninger i 2019?", None),  # no budget column for 2019: not the accounts' figure
        ("Hvad var budgettet for driftsresultatet i 2020?", "Driftsresultat, budsjett var 1 800 000 i 2020 [1]."),
        ("Hvad var lønomkostningerne i 2019?", "Lønskostnader var 27 101 900 i 2019 [1]."),  # Danish ~ Nynorsk
        ("Hvor store var afskrivningerne i 2020?", "Avskrivingar var 8 240 000 i 2020 [1]."),
        ("Hvor mange GWh fjernvarme blev leveret i 2020?", None),  # the sales row is kroner: for the text to answer
    ],
)
def test_accounts_answer_in_their_own_unit_and_column(report: Document, question: str, expected: str | None) -> None:
    assert ask_figure(report, question, 2020) == expected


def test_a_computed_change_groups_thousands_as_the_report_does(report: Document) -> None:
    answer = ask_figure(report, "Hvordan utviklet driftsresultatet seg fra 2019 til 2020?", 2020)
    assert answer is not None and "Fra 2019 til 2020 økte tallet med 1 914 000 (tilsvarende +87,6 %)." in answer


def _group_and_parent(path: Path) -> Path:
    """Key figures with "Konsern" over one pair of year columns and "Morselskap" over the next."""
    pdf = start_report("Årsrapport 2023 for Vestfjord Kraft AS")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 55, "Nøkkeltall (MNOK)")
    pdf.set_font("Helvetica", "B", 9)
    pdf.text(110, 62, "Konsern")
    pdf.text(160, 62, "Morselskap")
    rows = (("", "2023", "2022", "2023", "2022"), ("Driftsresultat", "612,3", "1 104,7", "402,1", "820,6"),
            ("Antall årsverk", "212", "205", "96", "94"))  # fmt: skip
    draw_table(pdf, 67, "", rows, (20, 95, 120, 150, 175), 20)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var driftsresultatet i konsernet i 2023?", "Driftsresultat, konsern var 612,3 MNOK i 2023 [1]."),
        ("Hva var morselskapets driftsresultat i 2022?", "Driftsresultat, morselskap var 820,6 MNOK i 2022 [1]."),
        ("Hvor mange årsverk hadde morselskapet i 2023?", "Antall årsverk, morselskap var 96 i 2023 [1]."),
        ("Hva var driftsresultatet i 2023?",  # neither named: both, each with its label
         "Driftsresultat, konsern var 612,3 MNOK i 2023 [1]. Driftsresultat, morselskap var 402,1 MNOK i 2023 [1]."),
    ],
)  # fmt: skip
def test_a_group_or_parent_heading_spans_the_year_columns_under_it(
    tmp_path: Path, question: str, expected: str
) -> None:
    report = read_document(_group_and_parent(tmp_path / "vestfjord-arsrapport-2023.pdf"))
    facts = extract_facts(report)
    assert sorted((f.year, f.value_text, f.qualifier) for f in facts if f.metric == "Driftsresultat") == [
        (2022, "1 104,7", "konsern"), (2022, "820,6", "morselskap"), (2023, "402,1", "morselskap"),
        (2023, "612,3", "konsern"),
    ]  # fmt: skip
    assert ask_figure(report, question, 2023) == expected


def _note_on_pay(path: Path) -> Path:
    """A Nynorsk note on what the managing director and the board were paid."""
    pdf = start_report("Årsmelding 2019 for Vestdal Renovasjon IKS")
    rows = (("", "2019", "2018"), ("Godtgjersle til dagleg leiar", "1 120 000", "1 080 000"),
            ("Godtgjersle til styret", "210 000", "200 000"), ("Revisjonshonorar", "88 000", "85 000"))  # fmt: skip
    draw_table(pdf, 60, "Ytingar til leiande personar og revisor", rows, (20, 120, 160), 22)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var styrehonoraret i 2019?", "Godtgjersle til styret var 210 000 i 2019 [1]."),  # a synonym, Nynorsk
        ("Hva var godtgjørelsen til daglig leder i 2018?", "Godtgjersle til dagleg leiar var 1 080 000 i 2018 [1]."),
    ],
)
def test_bokmal_names_for_pay_reach_nynorsk_rows(tmp_path: Path, question: str, expected: str) -> None:
    report = read_document(_note_on_pay(tmp_path / "vestdal-arsmelding-2019.pdf"))
    assert ask_figure(report, question, 2019) == expected


def _safety_table(path: Path) -> Path:
    """A Nynorsk report's safety and environment figures: its words are not a Bokmål question's."""
    text = ("Styret meiner at arbeidsmiljøet er godt. Selskapet har ikkje hatt alvorlege ulukker i året, "
            "og det vart gjennomført fleire vernerundar enn året før.")
    pdf = start_report("Årsmelding 2021 for Kvernvik Gjenvinning IKS", text)
    rows = (("", "2021", "2020"), ("Tryggleiksobservasjonar", "412", "388"), ("Arbeidsulukker med fråvær", "3", "5"),
            ("Vassforbruk (m³)", "18 420", "17 905"), ("Del kvinner i styret (%)", "40,0", "33,3"),
            ("Varslingssaker (tal)", "2", "4"), ("Sjukefråvær (%)", "6,1", "5,4"))  # fmt: skip
    draw_table(pdf, 68, "Helse, miljø og tryggleik", rows, (20, 120, 160), 22)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var sikkerhetsobservasjoner i 2021?", "Tryggleiksobservasjonar var 412 i 2021 [1]."),
        ("Hvor mange arbeidsulykker med fravær var det i 2020?", "Arbeidsulukker med fråvær var 5 i 2020 [1]."),
        ("Kva var tryggleiksobservasjonar i 2020?", "Tryggleiksobservasjonar var 388 i 2020 [1]."),
        ("Hva var nestenulykker i 2021?", None),  # no row of the kind asked
        ("Hvor mange varslingssaker var det i 2021?", "Varslingssaker (tal) var 2 i 2021 [1]."),  # "tal": a count
        ("Hvad var vandforbruget i 2020?", "Vassforbruk (m3) var 17 905 m3 i 2020 [1]."),
        ("Hva var sykefraværet i 2021?", "Sjukefråvær (%) var 6,1 % i 2021 [1]."),
    ],
)
def test_a_bokmal_question_meets_a_nynorsk_report_through_the_word_lexicon(
    tmp_path: Path, question: str, expected: str | None
) -> None:
    # Bokmål and Nynorsk are one language to the analyser, two written standards to the lexicon: a Bokmål question
    # of a Nynorsk report is a question in another language than the report's.
    report = read_document(_safety_table(tmp_path / "kvernvik-arsmelding-2021.pdf"))
    assert report.meta.language == "nb" and report.meta.nynorsk
    assert ask_figure(report, question, 2021) == expected


def test_a_budget_column_may_be_headed_by_an_abbreviation() -> None:
    from rag.text.synonyms import PLANNED

    assert [bool(PLANNED.search(h)) for h in ("Bud. 2023", "B 2023", "Budget 2023", "Act. 2023", "bud. om")] == [
        True, True, True, False, False,
    ]  # fmt: skip
