"""A unit printed in a column header, a heading spanning columns or in brackets after a row label is the unit of
the facts read from those figures.

A generated report: the cabin and its figures are invented. Precedence: a unit column is its figures' unit, then a
unit printed with the figure, then the column's own header, then a heading spanning it, then the row label's.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest.grid import header_unit, label_unit
from rag.ingest.tables import _header_units, extract_facts
from rag.types import Document, TableCell, TableGrid
from tests.pdf_report import draw_table, read_pdf, start_report

LABELLED = (
    ("Nøkkeltall", "2024", "2023"),
    ("Varmeforbruk (MWh)", "412", "380"),
    ("Restavfall (tonn)", "21,4", "23,0"),
    ("Skadetilfeller (antall)", "3", "5"),
    ("Scope 2 (lokasjonsbasert)", "118", "131"),
)
HEADED = (
    ("Nøkkeltall", "2024 (MWh)", "2023 (MWh)"),
    ("Solvarme (kWh)", "96", "88"),
    ("Vindkraft", "140", "152"),
    ("Varmepumpe", "31", "29"),
)
UNIT_COLUMN = (
    ("Nøkkeltall", "Enhet", "2024", "2023"),
    ("Bergvarme (kWh)", "MWh", "57", "61"),
    ("Vannforbruk", "m3", "2 150", "2 310"),
    ("Fyringsolje", "liter", "840", "910"),
)

GROUPED = (
    ("Nøkkeltall", "2024", "2023"),
    ("Salgsvolum (mill. liter)", "", ""),
    ("Eplemost", "41", "39"),
    ("Solbærsaft", "12", "11"),
    ("Antall kunder", "230", "214"),
)

TITLED = (
    ("Mill. kr.", "2024", "2023"),
    ("Driftsinntekter", "412", "380"),
    ("Tapsdekning", "31,2%", "27,5%"),
)


def _report() -> Any:
    pdf = start_report("Energi og avfall 2024 for Lyngtoppen hytte", "Tallene gjelder 2024.", 30)
    draw_table(pdf, 70, "Energi og avfall", LABELLED, (20, 90, 115), 22)
    draw_table(pdf, 125, "Solvarme", HEADED, (20, 90, 115), 22)
    draw_table(pdf, 175, "Bergvarme", UNIT_COLUMN, (20, 90, 115, 140), 22)
    draw_table(pdf, 225, "Salg", GROUPED, (20, 90, 115), 22)
    pdf.add_page()
    draw_table(pdf, 30, "Nøkkeltall", TITLED, (20, 90, 115), 22)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("header-units"), "lyngtoppen-energi-2024.pdf")


def _units(doc: Document) -> dict[tuple[str, int], tuple[str, str | None]]:
    return {(f.metric, f.year): (f.value_text, f.unit) for f in extract_facts(doc) if f.year is not None}


def test_the_unit_vocabulary_reads_brackets_after_labels_and_headers() -> None:
    assert label_unit("Varmeforbruk (MWh)") == "MWh"
    assert label_unit("Energiintensitet (MWh/mio. kr.)") == "MWh/mio. kr."
    assert label_unit("Skadetilfeller (antall)") == "antall"
    assert label_unit("Fraværsskader (pr. mill. timer)") == "pr. mill. timer"
    assert label_unit("Scope 2 (lokasjonsbasert)") is None
    assert label_unit("Varmeforbruk") is None
    assert header_unit("Opplæring per ansatt (timer)") == "timer"
    assert header_unit("Utslipp (tCO2e/mill. kr.)") == "tCO2e/mill. kr."


def test_a_unit_in_brackets_after_the_row_label_is_the_facts_unit(report: Document) -> None:
    units = _units(report)
    assert units[("Varmeforbruk (MWh)", 2024)] == ("412", "MWh")  # the label is kept as printed
    assert units[("Restavfall (tonn)", 2023)] == ("23,0", "tonn")
    assert units[("Skadetilfeller (antall)", 2024)] == ("3", "antall")
    assert units[("Scope 2 (lokasjonsbasert)", 2024)][1] is None  # a bracket naming no unit is no unit


def test_a_columns_header_unit_wins_over_the_row_labels(report: Document) -> None:
    assert _units(report)[("Solvarme (kWh)", 2024)] == ("96", "MWh")


def test_a_unit_column_wins_over_the_row_labels(report: Document) -> None:
    assert _units(report)[("Bergvarme (kWh)", 2023)] == ("61", "MWh")


def test_a_spanning_heading_names_the_unit_of_the_columns_under_it() -> None:
    cells = (
        TableCell("Bygningsdel", 0, 0, row_span=2, column_header=True),
        TableCell("Utslipp (tonnes CO2e)", 0, 1, col_span=2, column_header=True),
        TableCell("Andel", 0, 3, column_header=True),
        TableCell("Fase A", 1, 1, column_header=True),
        TableCell("Fase B (kg CO2e)", 1, 2, column_header=True),
        TableCell("%", 1, 3, column_header=True),
        TableCell("Tak", 2, 0, row_header=True),
        TableCell("12", 2, 1),
        TableCell("480", 2, 2),
        TableCell("7", 2, 3),
    )
    grid = TableGrid(page=1, n_rows=3, n_cols=4, cells=cells)
    units = _header_units(grid, grid.column_headers())
    assert units == [None, "tonnes CO2e", "kg CO2e", "%"]  # the column's own header first, then the heading


def test_a_spanning_headings_unit_joined_into_the_columns_header_is_its_unit() -> None:
    # The heading's line and the column's own, joined into one header: "Udledning (tCO2e) Fase A"
    cells = (
        TableCell("Bygningsdel", 0, 0, column_header=True),
        TableCell("Udledning (tCO2e) Fase A", 0, 1, column_header=True),
        TableCell("Udledning (tCO2e) Fase B", 0, 2, column_header=True),
        TableCell("Scope 2 (markedsbaseret) Fase C", 0, 3, column_header=True),
        TableCell("Tak", 1, 0, row_header=True),
        TableCell("12", 1, 1),
        TableCell("480", 1, 2),
        TableCell("7", 1, 3),
    )
    grid = TableGrid(page=1, n_rows=2, n_cols=4, cells=cells)
    assert _header_units(grid, grid.column_headers()) == [None, "tCO2e", "tCO2e", None]  # a bracket naming no unit


def test_a_unit_of_area_or_volume_keeps_its_power_when_footnote_marks_go() -> None:
    cells = (
        TableCell("", 0, 0, column_header=True),
        TableCell("Vannforbruk (m³)¹", 0, 1, column_header=True),
        TableCell("Utslipp (kg CO2e/m²) A1-A3", 0, 2, column_header=True),
        TableCell("2024", 1, 0, row_header=True),
        TableCell("1 240", 1, 1),
        TableCell("96,2", 1, 2),
    )
    grid = TableGrid(page=1, n_rows=2, n_cols=3, cells=cells)
    assert _header_units(grid, grid.column_headers()) == [None, "m³", "kg CO2e/m²"]


def test_a_group_heading_gives_its_unit_and_a_physical_unit_may_carry_a_scale() -> None:
    assert label_unit("Volumes (million hl)") == "million hl"
    assert label_unit("Innsamlet (mio. m3)") == "mio. m3"
    assert label_unit("Income statement (DKKm)") == "DKKm"
    assert label_unit("Scope 2 (markedsbasert)") is None


def test_a_group_headings_unit_is_the_unit_of_the_rows_under_it(report: Document) -> None:
    units = _units(report)
    assert units[("Eplemost", 2024)] == ("41", "mill. liter")
    assert units[("Solbærsaft", 2023)] == ("11", "mill. liter")
    assert units[("Antall kunder", 2024)] == ("230", None)  # a count under it takes none


def test_a_percent_printed_in_the_cell_wins_over_the_corners_unit(report: Document) -> None:
    units = _units(report)
    assert units[("Driftsinntekter", 2024)] == ("412", "mill. kr.")
    assert units[("Tapsdekning", 2024)] == ("31,2%", "%")
