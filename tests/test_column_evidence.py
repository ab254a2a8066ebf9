"""What a row's column says about its figures, on invented tables of a company the code never saw.

- a figure under a column of amounts is an amount, though it is small ("Tromsø 148" beside "Norge 13.455");
- "hvor mange" without a unit is answered by whole numbers only, not by a ratio whose label shares the word;
- a table printed as one block per year under one header dates each block by its year row;
- a Danish question reaches an English row through the curated vocabulary ("bruttomargin" ~ "Gross margin").
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rag.ingest.tables import extract_facts
from rag.types import DocMeta, Fact
from tests.ask import ask_rows, table_row
from tests.pdf_report import draw_table, read_pdf, start_report

DOC = "nordlys-sparebank-2023"
DOCS = {DOC: DocMeta(DOC, "Nordlys Sparebank årsrapport 2023", "nb", 2023, "Nordlys Sparebank ASA")}


def _answer(question: str, facts: list[Fact]) -> str | None:
    return ask_rows(question, facts, DOCS[DOC])


def _by_market(label: str, value: str, start: int) -> list[Fact]:
    return table_row(DOC, label, {2023: value}, "Virksomhet fordelt på land", start, qualifier="omsetning")


def test_a_small_figure_in_a_column_of_amounts_is_an_amount() -> None:
    facts = [*_by_market("Norge", "13.455", 100), *_by_market("Sverige", "2.310", 120)]
    facts += _by_market("Tromsø", "148", 140)
    answer = _answer("Hvor stor var Nordlys Sparebanks omsetning i Tromsø i 2023?", facts)
    assert answer is not None and "148" in answer


def test_a_count_is_answered_by_whole_numbers_only() -> None:
    facts = [
        *table_row(DOC, "Aksjonærer, egenkapital per aksje", {2022: "31,8", 2023: "33,1"}, "Nøkkeltall", 100),
        *table_row(DOC, "Aksjonærer", {2022: "2.373", 2023: "2.485"}, "Aksjonærer og aksjer", 300),
    ]
    answer = _answer("Hvor mange aksjonærer hadde Nordlys Sparebank i 2023?", facts)
    assert answer is not None and "2.485" in answer and "33,1" not in answer


def test_a_danish_question_reaches_an_english_margin_row() -> None:
    ratios = {2022: "45,6", 2023: "44,8"}
    facts = [
        *table_row(DOC, "Operating margin", {2022: "16,3", 2023: "15,1"}, "Financial ratios", 100),
        *table_row(DOC, "Gross margin", ratios, "Financial ratios", 120),
    ]
    answer = _answer("Hva var Nordlys Sparebanks bruttomargin i 2022?", facts)
    assert answer is not None and "45,6" in answer and "16,3" not in answer


def test_blocks_of_a_table_are_dated_by_their_year_rows(tmp_path: Path) -> None:
    rows = [
        ("2023", "Omsetning", "Resultat før skatt"),
        ("Norge", "13.455", "2.101"),
        ("Sverige", "2.310", "412"),
        ("2022", "", ""),
        ("Norge", "12.874", "1.987"),
        ("Sverige", "2.122", "377"),
    ]
    pdf = start_report("Nordlys Sparebank årsrapport 2023", "Noter til regnskapet.")
    draw_table(pdf, 70, "Note 5 Virksomhet fordelt på land (mill. kr)", rows, (20, 80, 120), 30)
    document = read_pdf(pdf, tmp_path, f"{DOC}.pdf")
    facts = {(f.metric, (f.qualifier or "").lower(), f.year): f.value_text for f in extract_facts(document)}
    assert facts[("Norge", "omsetning", 2023)] == "13.455"
    assert facts[("Norge", "omsetning", 2022)] == "12.874"
    assert facts[("Sverige", "resultat før skatt", 2022)] == "377"


def _quarters(table: str, start: int, q3: str) -> list[Fact]:
    return table_row(DOC, "Kursreguleringer", {2023: q3}, table, start, qualifier="3. kvt.")


def test_a_group_question_is_answered_from_a_report_with_group_accounts() -> None:
    # The quarter's column says nothing of whose it is; the report's other tables are the group's.
    group = table_row(DOC, "Resultat før skatt", {2022: "2.101", 2023: "2.412"}, "Koncernens hovedtall", 100)
    facts = [*group, *_quarters("Basisresultat (mill. kr)", 200, "132")]
    answer = _answer("Hvor store var Nordlys Sparebank-konsernets kursreguleringer i 3. kvartal 2023?", facts)
    assert answer is not None and "132" in answer


def test_a_group_question_abstains_on_a_report_without_group_accounts() -> None:
    facts = [*_quarters("Basisresultat (mill. kr)", 200, "132")]
    assert _answer("Hvor store var Nordlys Sparebank-konsernets kursreguleringer i 3. kvartal 2023?", facts) is None


def test_page_and_note_columns_hold_no_figures(tmp_path: Path) -> None:
    rows = [
        ("Indhold", "Note", "Side"),
        ("Udlån fordelt på lande og kundegrupper", "22", "95"),
        ("Egenkapital og kapitalgrundlag", "31", "104"),
    ]
    pdf = start_report("Nordlys Sparebank årsrapport 2023", "Noter til regnskapet.")
    draw_table(pdf, 70, "Noteoversigt", rows, (20, 140, 170), 20)
    facts = extract_facts(read_pdf(pdf, tmp_path, f"{DOC}.pdf"))
    assert [f.value_text for f in facts] == []


def test_a_unit_printed_over_the_rows_counts_for_a_physical_quantity() -> None:
    volumes = table_row(DOC, "Cider", {2022: "12,4", 2023: "13,1"}, "Nøkkeltall", 100)
    facts = [replace(f, group="Volumer (mill. hl)") for f in volumes]
    answer = _answer("Hvor mange mill. hl cider hadde Nordlys Sparebank i 2023?", facts)
    assert answer is not None and "13,1" in answer
