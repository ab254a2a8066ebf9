"""Numbered captions printed under their tables, as Word and most report tools place them (a generated report).

Two tables with the same rows and columns, told apart only by their captions below them: each caption names the
table above it, not the one after it, and is no section heading of the next table. Names and figures are invented.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

COLUMNS = ("Bygningsdel", "A1-A3", "A4", "Sum")
BASELINE = (
    COLUMNS,
    ("21 Grunnarbeider", "120 400", "8 200", "128 600"),
    ("22 Bæresystemer", "510 300", "30 100", "540 400"),
)
DESIGN = (
    COLUMNS,
    ("21 Grunnarbeider", "98 100", "6 900", "105 000"),
    ("22 Bæresystemer", "402 700", "24 300", "427 000"),
)


def _report() -> Any:
    pdf = start_report("Klimagassberegning 2020 Myrvoll skole", "Beregningen gjelder referansebygg og nytt bygg.")
    for top, rows, caption in ((60, BASELINE, "Tabell 5.6 Utslipp for referansebygget (kg CO2e)"),
                               (100, DESIGN, "Tabell 5.7 Utslipp for prosjektert bygg (kg CO2e)")):  # fmt: skip
        draw_table(pdf, top, "", rows, (20, 90, 120, 150), 25)
        pdf.set_font("Helvetica", "I", 9)
        pdf.text(20, top + 22, caption)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("captions"), "myrvoll-klimagass-2020.pdf")


def test_a_caption_below_names_the_table_above_it(report: Document) -> None:
    assert [t.title for t in report.tables] == [
        "Tabell 5.6 Utslipp for referansebygget (kg CO2e)",
        "Tabell 5.7 Utslipp for prosjektert bygg (kg CO2e)",
    ]
    # the heading the second table stands under is the page's, not the first table's caption between them
    assert {f.section for f in extract_facts(report) if f.value_text == "427 000"} == {
        "Klimagassberegning 2020 Myrvoll skole"
    }


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var utslippet fra bæresystemer i referansebygget?", "22 Bæresystemer, sum: 540 400 kg CO2e [1]."),
        ("Hva var utslippet fra bæresystemer i prosjektert bygg?", "22 Bæresystemer, sum: 427 000 kg CO2e [1]."),
        ("Hvor stort var transportutslippet (A4) fra grunnarbeider i prosjektert bygg?",
         "21 Grunnarbeider, a4: 6 900 kg CO2e [1]."),
    ],
)
def test_the_caption_tells_two_tables_of_the_same_rows_apart(report: Document, question: str, expected: str) -> None:
    assert ask_figure(report, question, 2020) == expected
