"""Tables of one title under different headings: each segment's accounts on its own page (a generated report).

The company, its segments and figures are invented and occur nowhere in the code. The heading a table stands under
is part of what its rows name: a question about one segment gets that segment's row, and the other segments'
rows of the same label are not offered as other readings of it.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

SEGMENTS = (
    ("Vannkraft", ("2 104", "1 880", "611", "590")),
    ("Vindkraft", ("312", "290", "98", "78")),
    ("Nettvirksomhet", ("1 020", "955", "402", "388")),
)


def _report() -> Any:
    pdf = start_report("Årsrapport 2022 Fjellstrøm Energi AS", "Selskapet driver tre forretningsområder.")
    for n, (segment, (income, income_before, result, result_before)) in enumerate(SEGMENTS):
        if n:
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.text(20, 45, segment)
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(20, 52)
        pdf.multi_cell(170, 5, f"Forretningsområdet {segment.lower()} utviklet seg tilfredsstillende i året.")
        rows = (("Mill. kr.", "2022", "2021"), ("Driftsinntekter", income, income_before),
                ("Resultat før skatt", result, result_before))  # fmt: skip
        draw_table(pdf, 80, "Resultatregnskap for området", rows, (20, 110, 140), 22)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("segments"), "fjellstrom-arsrapport-2022.pdf")


def test_a_table_knows_the_heading_it_stands_under(report: Document) -> None:
    sections = {(f.section, f.table) for f in extract_facts(report)}
    assert sections == {(segment, "Resultatregnskap for området") for segment, _ in SEGMENTS}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var resultat før skatt for vindkraft i 2022?", "Resultat før skatt var 98 mill. kr. i 2022 [1]."),
        ("Hvor store var driftsinntektene i nettvirksomheten i 2021?", "Driftsinntekter var 955 mill. kr. i 2021 [1]."),
        ("Hva var resultatet før skatt i vannkraft i 2021?", "Resultat før skatt var 590 mill. kr. i 2021 [1]."),
    ],
)
def test_a_question_naming_a_segment_gets_that_segments_row_alone(
    report: Document, question: str, expected: str
) -> None:
    assert ask_figure(report, question, 2022) == expected
