"""A table of building parts broken over a page: the rows on the next page go on under the same category columns.

A generated report; the school, the parts and figures are invented. The continuation has no header row of its own
and is set in the same columns as the table it continues, so its cells take that table's headers and title.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

LEFTS = (20, 90, 115, 140, 165)
FIRST = (("Bygningsdel", "A1-A3", "A4", "B4", "Sum"), ("21 Grunnarbeider", "11,1", "1,2", "0,0", "12,3"),
         ("22 Bæresystemer", "32,0", "2,1", "0,0", "34,1"))  # fmt: skip
REST = (("32 Varme", "6,1", "0,4", "2,2", "8,7"), ("43 Elkraft", "3,3", "0,2", "0,9", "4,4"))
TITLE = "Utslipp per bygningsdel (kg CO2e/m2)"


def _report() -> Any:
    pdf = start_report("Klimagassberegning 2020 Kløverhagen skole", "Beregningen er utført i 2020.")
    draw_table(pdf, 60, TITLE, FIRST, LEFTS, 20)
    pdf.add_page()
    draw_table(pdf, 30, "", REST, LEFTS, 20)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("continued"), "klover-klimagass-2020.pdf")


def test_the_rows_on_the_next_page_take_the_tables_headers_and_title(report: Document) -> None:
    facts = {(f.metric, f.qualifier): (f.value_text, f.table, f.page) for f in extract_facts(report)}
    assert facts[("32 Varme", "b4")] == ("2,2", TITLE, 2)
    assert len(facts) == 4 * 4


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var utslippet fra varme i B4?", "32 Varme, b4: 2,2 kg CO2e/m2 [1]."),
        ("Hva var sum utslipp fra elkraft?", "43 Elkraft, sum: 4,4 kg CO2e/m2 [1]."),
    ],
)
def test_a_question_reaches_a_row_of_the_continued_table(report: Document, question: str, expected: str) -> None:
    assert ask_figure(report, question, 2020) == expected


def test_a_table_under_a_title_of_its_own_on_the_next_page_is_another_table(tmp_path: Any) -> None:
    # Same columns, no header row, but its own title: a new table (a note after a segment table), not the rows of
    # the one before; its figures get no column headers from it.
    pdf = start_report("Klimagassberegning 2020 Kløverhagen skole", "Beregningen er utført i 2020.")
    draw_table(pdf, 60, TITLE, FIRST, LEFTS, 20)
    pdf.add_page()
    draw_table(pdf, 30, "Massebalanse for tomten (m3)", REST, LEFTS, 20)
    facts = extract_facts(read_pdf(pdf, tmp_path, "klover-klimagass-2020.pdf"))
    assert {f.metric for f in facts} == {"21 Grunnarbeider", "22 Bæresystemer"}
