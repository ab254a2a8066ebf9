"""A small two-column-free PDF report printed with fpdf2 at known positions, for the document-view tests.

Page 2 holds a table whose cited cell (2024's water use) sits at a known place, next to a label with its own
number ("(under 30 dage)"-style), so a test can tell the right highlight from a near miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.ingest import read_document
from rag.types import Document

TITLE = "Grøn Klinik CSR-rapport 2024"
SENTENCE = "I 2024 har klinikken installeret solceller på taget af hovedbygningen i Vejle."
HEADER = ("", "Enhed", "Mål 2024", "2024", "2023", "2022")
ROWS = (
    ("Vandforbrug (under 40 m3 pr. seng)", "m3", "-", "5.120", "5.480", "5.900"),
    ("Affald, restaffald", "Ton", "-", "212", "240", "251"),
)
COLUMNS = (25.0, 100.0, 122.0, 145.0, 165.0, 185.0)  # left edge (mm) of each column
TABLE_TOP = 80.0  # mm from the top of page 2
ROW_HEIGHT = 8.0


@dataclass(frozen=True)
class CellBox:
    """Where one printed cell is, in millimetres from the page's top left (A4: 210 × 297)."""

    x0: float
    top: float
    x1: float
    bottom: float


def cell_box(row: int, col: int) -> CellBox:
    """The box of data row `row` (0-based, header excluded) and column `col` as printed."""
    top = TABLE_TOP + ROW_HEIGHT * (row + 1)
    right = COLUMNS[col + 1] - 2 if col + 1 < len(COLUMNS) else 205.0
    return CellBox(COLUMNS[col], top, right, top + ROW_HEIGHT)


def write_report(path: Path) -> Path:
    """Three A4 pages: an introduction, the page with the sentence and the table, and a closing page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_title(TITLE)
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.text(25, 40, TITLE)
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(25, 60)
    pdf.multi_cell(160, 6, "Grøn Klinik driver tre klinikker i Jylland. Rapporten beskriver klinikkens arbejde med "
                           "miljø og klima i 2024. Vi har i året arbejdet målrettet med energi og vand.")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.text(25, 30, "Miljø og klima")
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(25, 40)
    pdf.multi_cell(160, 6, "Klinikken har sat sig som mål at bruge mindre vand og energi. " + SENTENCE + " Anlægget "
                           "dækker en fjerdedel af elforbruget.")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(25, TABLE_TOP - 4, "Miljødata")
    for col, text in enumerate(HEADER):
        pdf.text(COLUMNS[col], TABLE_TOP + 5, text)
    pdf.set_font("Helvetica", size=11)
    for row, cells in enumerate(ROWS):
        for col, text in enumerate(cells):
            pdf.text(COLUMNS[col], TABLE_TOP + ROW_HEIGHT * (row + 1) + 5, text)
    pdf.add_page()
    pdf.set_xy(25, 40)
    pdf.multi_cell(160, 6, "Klinikken fortsætter arbejdet i 2025 med fokus på affald og genbrug.")
    pdf.output(str(path))
    return path


def read_pdf(pdf: Any, folder: Path, name: str) -> Document:
    """A generated report printed to `folder/name` and read back as the corpus reader reads any PDF."""
    path = folder / name
    pdf.output(str(path))
    return read_document(path)


def start_report(title: str, text: str = "", top: float = 25) -> Any:
    """An A4 page with a report's title and an opening paragraph, for generated reports."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(20, top, title)
    if text:
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(20, top + 10)
        pdf.multi_cell(170, 5, text)
    return pdf


def draw_table(
    pdf: Any, top: float, title: str, rows: Sequence[Sequence[str]], lefts: Sequence[float], width: float
) -> None:
    """A table as a report prints it: its title, labels left-aligned at `lefts[0]`, figures right-aligned at
    `left + width`, the first row the (bold) header; empty cells are left out.
    """
    if title:
        pdf.set_font("Helvetica", "B", 11)
        pdf.text(20, top - 8, title)
    for r, row in enumerate(rows):
        pdf.set_font("Helvetica", "B" if r == 0 else "", 9)
        for c, (left, text) in enumerate(zip(lefts, row, strict=True)):
            if text:
                pdf.text(left if c == 0 else left + width - pdf.get_string_width(text), top + 6 * r, text)
