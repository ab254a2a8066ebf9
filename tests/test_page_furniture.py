"""Page furniture and the figures near a page's edge: a page number stands alone, a table's last rows do not.

A three-page report printed with fpdf2: a running header, a page number at the foot of every page, and on page 1 a
table whose last rows run into the bottom margin, where footers live. Every name and figure is invented.
"""

from __future__ import annotations

from pathlib import Path

from rag.ingest.pdf import read_pdf

HEADER = "Nordlys Energi Bæredygtighedsrapport 2024"
ROWS = (("2024", "-", "412,7", "388"), ("2023", "-", "508,1", "453"), ("2022", "31", "519,9", "456"))


def _report(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    for number in (1, 2, 3):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.text(20, 12, HEADER)
        pdf.text(105, 290, str(number))
        pdf.set_font("Helvetica", size=11)
        pdf.text(20, 40, f"Side {number} handler om vores arbejde med sikkerhed og affald.")
        if number != 1:
            continue
        pdf.text(20, 240, "Tabel 3. Sikkerhed og affald")
        for x, head in ((70, "Ulykker"), (110, "Farligt affald (ton)"), (150, "Tilfredshed")):
            pdf.text(x, 248, head)
        for r, (year, *cells) in enumerate(ROWS):  # the last two rows lie in the page's bottom 12 %
            y = 256 + 9 * r
            pdf.text(20, y, year)
            for x, cell in zip((85, 140, 165), cells, strict=True):
                pdf.text(x - pdf.get_string_width(cell), y, cell)
    pdf.output(str(path))
    return path


def test_a_tables_rows_in_the_bottom_margin_are_kept_and_the_page_number_dropped(tmp_path: Path) -> None:
    pages = read_pdf(_report(tmp_path / "nordlys-2024.pdf"))
    first = pages[0]
    assert HEADER in first.dropped and "1" in first.dropped, first.dropped
    table = first.tables[0].text_rows()
    assert ["2023", "-", "508,1", "453"] in table and ["2022", "31", "519,9", "456"] in table, table
    assert "453" not in " ".join(first.dropped)
