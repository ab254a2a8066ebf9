"""Tables whose columns are categories (building phases, demolition stages), not years: a generated report.

The report, its building and its figures are invented; the labels and column codes occur nowhere in the code.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rag.answer.rows import RowIndex
from rag.answer.scope import Scoper
from rag.figures import answer_figure
from rag.ingest import read_document
from rag.query import parse_query
from rag.tables import extract_facts
from rag.types import Document

EMISSIONS = (
    ("Bygningsdel", "A1-A3", "A4", "A5", "B4", "Sum"),
    ("21 Grunnarbeider", "18,2", "1,1", "2,4", "0,0", "21,7"),
    ("22 Bæresystemer", "61,5", "2,9", "3,8", "0,0", "68,2"),
    ("23 Yttervegger", "40,3", "1,7", "2,2", "12,6", "56,8"),
    ("25 Dekker", "44,0", "2,1", "1,9", "0,0", "48,0"),
    ("Sum", "164,0", "7,8", "10,3", "12,6", "194,7"),
)
DEMOLITION = (
    ("Materiale", "Enhet", "Fase 1", "Fase 2", "Totalt"),
    ("Betong", "m3", "410", "265", "675"),
    ("Tegl", "tonn", "82", "0", "82"),
    ("Gips", "tonn", "6,1", "3,3", "9,4"),
)


def _report(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(20, 30, "Klimagassberegning for Havlyst barnehage")
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(20, 40)
    pdf.multi_cell(170, 5, "Rapporten er utarbeidet av Fjordbygg AS for Havlyst barnehage i 2021.")

    def table(top: float, title: str, rows: tuple[tuple[str, ...], ...], widths: tuple[float, ...]) -> None:
        pdf.set_font("Helvetica", "B", 11)
        pdf.text(20, top, title)
        for r, row in enumerate(rows):
            pdf.set_font("Helvetica", "B" if r == 0 else "", 9)
            x = 20.0
            for c, (text, width) in enumerate(zip(row, widths, strict=True)):
                pdf.text(x if c == 0 else x + width - 2 - pdf.get_string_width(text), top + 8 + 6 * r, text)
                x += width

    table(70, "Klimagassutslipp per bygningsdel (kg CO2e/m²)", EMISSIONS, (50, 22, 22, 22, 22, 22))
    table(140, "Mengder fra riving per fase", DEMOLITION, (50, 25, 25, 25, 25))
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_document(_report(tmp_path_factory.mktemp("category") / "havlyst-klimagass-2021.pdf"))


def _ask(report: Document, question: str) -> str | None:
    facts = extract_facts(report)
    docs = {report.doc_id: report.meta}
    info = replace(parse_query(question, 2021), scope=Scoper(docs, []).resolve(question))
    answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
    return None if answer is None else answer.text


def test_every_category_cell_is_a_fact_qualified_by_its_column(report: Document) -> None:
    facts = {(f.metric, f.qualifier): f.value_text for f in extract_facts(report)}
    assert facts[("23 Yttervegger", "b4")] == "12,6"
    assert facts[("Betong", "fase 2")] == "265"
    assert len(facts) == 5 * 5 + 3 * 3


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hvor store var utslippene fra yttervegger totalt?", "23 Yttervegger, sum: 56,8 [1]."),  # the row's total
        ("Hvor store var utslippene fra yttervegger i A4?", "23 Yttervegger, a4: 1,7 [1]."),  # the column named
        ("Hvor stort var utslippet fra byggeplassen (A5) for dekker?", "25 Dekker, a5: 1,9 [1]."),  # code unsaid
        ("Hvor mye betong ble revet i fase 2?", "Betong, fase 2: 265 m3 [1]."),
        ("Hvor mange tonn tegl ble revet totalt?", "Tegl, totalt: 82 tonn [1]."),
    ],
)
def test_a_question_names_row_and_column_or_gets_the_rows_total(report: Document, question: str, expected: str) -> None:
    assert _ask(report, question) == expected
