"""Tables of one title under different headings: each segment's accounts on its own page (a generated report).

The bank, its segments and figures are invented and occur nowhere in the code. The heading a table stands under
is part of what its rows name: a question about one segment gets that segment's row, and the other segments'
rows of the same label are not offered as other readings of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.ingest import read_document
from rag.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, start_report

SEGMENTS = (
    ("Bankaktiviteter", ("2 104", "1 880", "611", "590")),
    ("Leasingaktiviteter", ("312", "290", "98", "78")),
    ("Realkreditaktiviteter", ("1 020", "955", "402", "388")),
)


def _report(path: Path) -> Path:
    pdf = start_report("Årsrapport 2022 Vestfjord Sparebank", "Banken driver tre forretningsområder.")
    for n, (segment, (income, income_before, result, result_before)) in enumerate(SEGMENTS):
        if n:
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.text(20, 45, segment)
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(20, 52)
        pdf.multi_cell(170, 5, f"Forretningsområdet {segment.lower()} udviklede sig tilfredsstillende i året.")
        rows = (("Mio. kr.", "2022", "2021"), ("Basisindtægter", income, income_before),
                ("Resultat før skat", result, result_before))  # fmt: skip
        draw_table(pdf, 80, "Resultatopgørelse i sammendrag", rows, (20, 110, 140), 22)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_document(_report(tmp_path_factory.mktemp("segments") / "vestfjord-aarsrapport-2022.pdf"))


def test_a_table_knows_the_heading_it_stands_under(report: Document) -> None:
    sections = {(f.section, f.table) for f in extract_facts(report)}
    assert sections == {(segment, "Resultatopgørelse i sammendrag") for segment, _ in SEGMENTS}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hvad var resultat før skat for leasingaktiviteterne i 2022?", "Resultat før skat var 98 i 2022 [1]."),
        ("Hvor store var basisindtægterne i realkreditaktiviteterne i 2021?", "Basisindtægter var 955 i 2021 [1]."),
        ("Hvad var resultatet før skat i bankaktiviteter i 2021?", "Resultat før skat var 590 i 2021 [1]."),
    ],
)
def test_a_question_naming_a_segment_gets_that_segments_row_alone(
    report: Document, question: str, expected: str
) -> None:
    assert ask_figure(report, question, 2022) == expected
