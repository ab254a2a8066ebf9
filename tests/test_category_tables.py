"""Tables whose columns are categories (building phases, demolition stages), not years: a generated report.

The report, its building and its figures are invented; the labels and column codes occur nowhere in the code.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

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


def _report() -> Any:
    pdf = start_report("Klimagassberegning for Havlyst barnehage", "Fjordbygg AS for Havlyst barnehage i 2021.", 30)
    draw_table(pdf, 78, "Klimagassutslipp per bygningsdel (kg CO2e/m²)", EMISSIONS, (20, 70, 92, 114, 136, 158), 20)
    draw_table(pdf, 148, "Mengder fra riving per fase", DEMOLITION, (20, 70, 95, 120, 145), 23)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("category"), "havlyst-klimagass-2021.pdf")


def test_every_category_cell_is_a_fact_qualified_by_its_column(report: Document) -> None:
    facts = {(f.metric, f.qualifier): f.value_text for f in extract_facts(report)}
    assert facts[("23 Yttervegger", "b4")] == "12,6"
    assert facts[("Betong", "fase 2")] == "265"
    assert len(facts) == 5 * 5 + 3 * 3


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the row's total; the column named; the phase's code unsaid (the unit from the table's title)
        ("Hvor store var utslippene fra yttervegger totalt?", "23 Yttervegger, sum: 56,8 kg CO2e/m² [1]."),
        ("Hvor store var utslippene fra yttervegger i A4?", "23 Yttervegger, a4: 1,7 kg CO2e/m² [1]."),
        ("Hvor stort var utslippet fra byggeplassen (A5) for dekker?", "25 Dekker, a5: 1,9 kg CO2e/m² [1]."),
        ("Hvor mye betong ble revet i fase 2?", "Betong, fase 2: 265 m3 [1]."),
        ("Hvor mange tonn tegl ble revet totalt?", "Tegl, totalt: 82 tonn [1]."),
    ],
)
def test_a_question_names_row_and_column_or_gets_the_rows_total(report: Document, question: str, expected: str) -> None:
    assert ask_figure(report, question, 2021) == expected
