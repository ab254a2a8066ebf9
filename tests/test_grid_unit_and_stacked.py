"""A unit column set close right of its figures, and two tables stacked on one page without a caption between.

Generated reports printed with fpdf2 at known positions; the buildings, materials and figures are invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.pdf_report import read_pdf, start_report

# Materials × quantity | unit | emissions: the unit column starts 2.2 mm right of the figures' right edge,
# closer than the gap between two cells but wider than a space.
QUANTITIES = (
    ("Materiale", "Mengde", "Enhet", "kg CO2e"),
    ("Bjelkelag", "3.253", "stk.", "142.648"),
    ("Platekledning", "387", "tonn", "285.262"),
    ("Skumglass", "", "m3", "16.150"),
    ("Fliser", "2.733", "kg", "188.782"),
    ("Sum", "", "", "633.060"),
)
NUMBER_RIGHT, UNIT_LEFT, EMISSION_RIGHT = 95.0, 97.2, 135.0


def _quantities_report(top: float = 70.0) -> Any:
    pdf = start_report("Klimaregnskap 2023 for Lindvik skole", "Mengder og utslipp for nybygget.")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, top - 9, "Tabell 4. Materialer")
    for r, (label, amount, unit, emission) in enumerate(QUANTITIES):
        pdf.set_font("Helvetica", "B" if r == 0 else "", 9)
        y = top + 6 * r
        pdf.text(20, y, label)
        if amount:
            pdf.text(NUMBER_RIGHT - pdf.get_string_width(amount), y, amount)
        if unit:
            pdf.text(UNIT_LEFT, y, unit)
        pdf.text(EMISSION_RIGHT - pdf.get_string_width(emission), y, emission)
    return pdf


def test_a_unit_column_close_right_of_the_figures_is_its_own_column(tmp_path: Path) -> None:
    doc = read_pdf(_quantities_report(), tmp_path, "lindvik-klimaregnskap-2023.pdf")
    assert len(doc.tables) == 1
    rows = doc.tables[0].text_rows()
    assert rows[0] == ["Materiale", "Mengde", "Enhet", "kg CO2e"]
    assert rows[1] == ["Bjelkelag", "3.253", "stk.", "142.648"]
    assert rows[3] == ["Skumglass", "", "m3", "16.150"]  # a unit without a figure stays in the unit column
    assert rows[5] == ["Sum", "", "", "633.060"]


def test_the_unit_column_gives_the_figures_their_unit(tmp_path: Path) -> None:
    doc: Document = read_pdf(_quantities_report(), tmp_path, "lindvik-klimaregnskap-2023.pdf")
    facts = {(f.metric, f.qualifier): (f.value_text, f.unit) for f in extract_facts(doc)}
    assert facts[("Platekledning", "mengde")] == ("387", "tonn")
    assert facts[("Bjelkelag", "mengde")] == ("3.253", "stk.")


def test_a_unit_printed_a_space_after_its_figure_stays_in_the_cell(tmp_path: Path) -> None:
    # The same unit on every row, the cell right-aligned: the figure and its unit are one cell.
    pdf = start_report("Klimaregnskap 2023 for Lindvik skole", "Mengder for nybygget.")
    pdf.set_font("Helvetica", "B", 9)
    pdf.text(95 - pdf.get_string_width("Mengde"), 64, "Mengde")
    pdf.text(135 - pdf.get_string_width("Andel"), 64, "Andel")
    for r, (label, amount, share) in enumerate((("Betong", "1 240 m3", "41"), ("Tegl", "310 m3", "12"),
                                                ("Gips", "88 m3", "3"))):
        pdf.set_font("Helvetica", "", 9)
        pdf.text(20, 70 + 6 * r, label)
        pdf.text(95 - pdf.get_string_width(amount), 70 + 6 * r, amount)
        pdf.text(135 - pdf.get_string_width(share), 70 + 6 * r, share)
    doc = read_pdf(pdf, tmp_path, "lindvik-mengder-2023.pdf")
    rows = doc.tables[0].text_rows()
    assert rows[0] == ["", "Mengde", "Andel"]
    assert rows[1] == ["Betong", "1 240 m3", "41"]
