"""Column headings set vertically (turned 90°) over narrow columns, as dense emission tables print their phases.

A generated report: the building, its figures and headings are invented. The turned headings are read as the
columns' headers, in reading order, so the cells under them become facts of their phase.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import read_pdf, start_report

HEADINGS = ("A1-A3 Produksjon", "A4 Transport", "B4 Utskifting", "Totalt")
RIGHTS = (110, 130, 150, 170)  # right edge (mm) of each figure column
ROWS = (
    ("21 Grunn og fundamenter", "12,1", "0,8", "0,0", "12,9"),
    ("23 Yttervegger", "30,5", "1,4", "9,9", "41,8"),
)


def _report() -> Any:
    pdf = start_report("Klimagassberegning 2020 Fjellheim skole", "Beregningen er utført i 2020.")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 50, "Utslipp per bygningsdel og livsløpsfase (kg CO2e/m2)")
    pdf.set_font("Helvetica", "B", 8)
    for text, right in zip(HEADINGS, RIGHTS, strict=True):
        with pdf.rotation(90, x=right - 2, y=85):  # read from the bottom up, starting just over the first row
            pdf.text(right - 2, 85, text)
    pdf.set_font("Helvetica", "", 9)
    for n, (label, *cells) in enumerate(ROWS):
        pdf.text(20, 92 + 6 * n, label)
        for text, right in zip(cells, RIGHTS, strict=True):
            pdf.text(right - pdf.get_string_width(text), 92 + 6 * n, text)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("turned"), "fjellheim-klimagass-2020.pdf")


def test_turned_headings_head_their_columns(report: Document) -> None:
    assert [t.column_headers() for t in report.tables] == [["", *HEADINGS]]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var utslippet fra yttervegger i utskiftingsfasen (B4)?", "23 Yttervegger, b4 utskifting: 9,9 [1]."),
        ("Hva var totalt utslipp fra yttervegger?", "23 Yttervegger, totalt: 41,8 [1]."),
        ("Hva var utslippet fra transport (A4) for grunn og fundamenter?",
         "21 Grunn og fundamenter, a4 transport: 0,8 [1]."),
    ],
)
def test_a_question_reaches_the_cell_under_a_turned_heading(report: Document, question: str, expected: str) -> None:
    assert ask_figure(report, question, 2020) == expected
