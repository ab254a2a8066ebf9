"""A heading centred over a group of columns heads every column of the group, and is no table title.

The table is printed with fpdf2 as reports print it: a numbered caption at the left edge, a heading centred
over three sub-columns (with or without a rule under it), the sub-headers, then a label column and figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pdf_report import draw_table, read_pdf, start_report

LEFTS = (20.0, 75.0, 100.0, 125.0)  # label column, then three figure columns (right edge = left + width)
WIDTH = 20.0
ROWS = (
    ("Lokasjon", "Scope 1", "Scope 2", "Scope 3"),
    ("Produksjon", "1 204,5", "310,2", "8 922,0"),
    ("Kontorer", "88,1", "412,7", "1 530,4"),
    ("Sum", "1 292,6", "722,9", "10 452,4"),
)
HEADING = "Utslipp (tonn)"


def _print_table(tmp_path: Path, ruled: bool) -> list[list[str]]:
    pdf = start_report("Bærekraftsrapport 2024", "Utslippene fordelt på lokasjon og scope.")
    top = 80.0
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, top - 14, "Tabell 3. Utslipp per lokasjon")
    pdf.set_font("Helvetica", "B", 9)
    # Centred over the printed sub-headers, from the first one's start to the last column's right edge.
    left, right = LEFTS[1] + WIDTH - pdf.get_string_width(ROWS[0][1]) - 1, LEFTS[-1] + WIDTH + 1
    pdf.text((left + right - pdf.get_string_width(HEADING)) / 2, top - 5, HEADING)
    if ruled:
        pdf.set_line_width(0.3)
        pdf.line(left, top - 3.8, right, top - 3.8)
    draw_table(pdf, top, "", ROWS, LEFTS, WIDTH)
    doc = read_pdf(pdf, tmp_path, "spanning.pdf")
    assert len(doc.tables) == 1
    grid = doc.tables[0]
    assert grid.title == "Tabell 3. Utslipp per lokasjon"
    return grid.text_rows()


@pytest.mark.parametrize("ruled", [True, False])
def test_heading_over_all_figure_columns_heads_each(tmp_path: Path, ruled: bool) -> None:
    rows = _print_table(tmp_path, ruled)
    assert rows[0] == ["Lokasjon", "Utslipp (tonn) Scope 1", "Utslipp (tonn) Scope 2", "Utslipp (tonn) Scope 3"]
    assert rows[1] == ["Produksjon", "1 204,5", "310,2", "8 922,0"]


def test_a_narrow_heading_flush_right_over_its_column_heads_that_column_only(tmp_path: Path) -> None:
    """Codes set right over their own figures ("A4" over "Transport"), the total column unheaded above: the code
    heads its column alone, never the total beside it."""
    lefts = (20.0, 75.0, 110.0, 145.0)
    width = 30.0
    rows = (
        ("Bygningsdel", "Transport (tonn)", "Byggeplass (tonn)", "Sum (tonn)"),
        ("Yttervegger", "12,4", "3,1", "15,5"),
        ("Dekker", "40,2", "6,6", "46,8"),
        ("Sum", "52,6", "9,7", "62,3"),
    )
    pdf = start_report("Klimagassberegning 2024", "Utslipp fra transport og byggeplass per bygningsdel.")
    top = 80.0
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, top - 14, "Tabell 4. Utslipp per bygningsdel")
    pdf.set_font("Helvetica", "B", 9)
    for left, code in zip(lefts[1:3], ("A4", "A5"), strict=True):
        pdf.text(left + width - pdf.get_string_width(code), top - 5, code)
    draw_table(pdf, top, "", rows, lefts, width)
    doc = read_pdf(pdf, tmp_path, "codes.pdf")
    assert doc.tables[0].text_rows()[0] == ["Bygningsdel", "A4 Transport (tonn)", "A5 Byggeplass (tonn)", "Sum (tonn)"]
