"""A unit printed once for the whole table, in the header's corner cell or at the end of its title, is the unit of
every figure that names no nearer one.

A generated report: the ferry company and its figures are invented. Precedence: a unit column, the unit printed with
the figure, the column's header and the row label's brackets all win over the corner, and the corner over the title.
A scale of money ("Mio. kr.", "DKKm") stays whole: "kr." alone would misstate every amount.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest.tables import _corner_unit, _title_unit, extract_facts
from rag.text.units import UnitKind, scale, scaled_money, unit_kind
from rag.types import Document
from tests.pdf_report import draw_table, read_pdf, start_report

CORNER_MONEY = (
    ("Mio. kr.", "2024", "2023"),
    ("Billetsalg", "1.240", "1.105"),
    ("Bunkerudgift", "310", "298"),
    ("Fortjenstmargin (%)", "8,4", "7,9"),
    ("Antal afgange", "9.120", "8.940"),
)
CORNER_MASS = (
    ("tCO2e", "2024", "2023"),
    ("Færgedrift", "18.400", "19.950"),
    ("Havnekraner", "2.310", "2.480"),
)
BY_YEARS = (
    ("År", "Anløb", "Passagerer"),
    ("2024", "5.210", "812.400"),
    ("2023", "5.090", "790.100"),
)
TITLED = (
    ("Nøgletal", "2024", "2023"),
    ("Landstrøm", "4.120", "3.870"),
    ("Solceller på terminalen (kWh)", "96", "88"),
)


def _report() -> Any:
    pdf = start_report("Årsrapport 2024 for Sundlinjen Færger", "Tallene gælder 2024.", 30)
    draw_table(pdf, 70, "Tabel 1. Hovedtal", CORNER_MONEY, (20, 90, 115), 22)
    draw_table(pdf, 125, "Tabel 2. Udledning", CORNER_MASS, (20, 90, 115), 22)
    draw_table(pdf, 170, "Tabel 3. Energiforbrug (MWh)", TITLED, (20, 90, 115), 22)
    draw_table(pdf, 215, "Tabel 4. Trafik", BY_YEARS, (20, 90, 115), 22)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("corner-units"), "sundlinjen-aarsrapport-2024.pdf")


def _units(doc: Document) -> dict[tuple[str, int], tuple[str, str | None]]:
    return {(f.metric, f.year): (f.value_text, f.unit) for f in extract_facts(doc) if f.year is not None}


def test_a_scale_of_money_is_read_whole() -> None:
    assert scaled_money("Mio. kr.") == "mio. kr."
    assert scaled_money("Beløp i tusind kr.") == "tusind kr."
    assert scaled_money("Nøkkeltall, MNOK") == "MNOK"
    assert scaled_money("DKKm") == "DKKm"
    assert scaled_money("Energiintensitet (MWh/mio. kr.)") is None  # divided by money: no amount of money
    assert scaled_money("Beløp i kr.") is None
    assert scale("DKKm") == "m" and unit_kind("DKKm") is UnitKind.MONEY
    assert scale("EUR k") == "k"


def test_the_corner_and_the_title_name_a_unit_only_where_one_stands() -> None:
    assert _corner_unit("Mio. kr.", "kr.") == "mio. kr."
    assert _corner_unit("tCO2e", "tCO2e") == "tCO2e"
    assert _corner_unit("Antal", None) == "Antal"
    assert _corner_unit("Nøgletal", None) is None
    assert _corner_unit("År", "År", over_years=True) is None  # over rows named by years: their header
    assert _corner_unit("År (mio. kr.)", None, over_years=True) == "mio. kr."
    assert _title_unit("Tabel 3. Energiforbrug (MWh)") == "MWh"
    assert _title_unit("Table 3: Emissions, tonnes CO2e") == "tonnes CO2e"
    assert _title_unit("Tabel 5. Hovedtal i mio. kr.") == "mio. kr."
    assert _title_unit("Tabel 4. Resultat i år") is None  # a last word that is a unit, without a separator
    assert _title_unit("Tabel 6. Scope 1, 2 og 3") is None


def test_a_scale_in_the_corner_is_every_rows_unit(report: Document) -> None:
    units = _units(report)
    assert units[("Billetsalg", 2024)] == ("1.240", "mio. kr.")
    assert units[("Bunkerudgift", 2023)] == ("298", "mio. kr.")


def test_a_unit_alone_in_the_corner_is_every_rows_unit(report: Document) -> None:
    assert _units(report)[("Færgedrift", 2024)] == ("18.400", "tCO2e")


def test_the_row_labels_unit_wins_over_the_corner(report: Document) -> None:
    assert _units(report)[("Fortjenstmargin (%)", 2024)] == ("8,4", "%")


def test_a_counted_row_takes_no_scale_of_money_from_the_corner(report: Document) -> None:
    assert _units(report)[("Antal afgange", 2024)] == ("9.120", None)  # a count among amounts in "Mio. kr."


def test_a_unit_at_the_end_of_the_title_is_every_rows_unit(report: Document) -> None:
    units = _units(report)
    assert units[("Landstrøm", 2024)] == ("4.120", "MWh")
    assert units[("Solceller på terminalen (kWh)", 2023)] == ("88", "kWh")  # the row's own unit wins


def test_a_corner_in_lower_case_starts_the_header_not_the_titles_next_line(report: Document) -> None:
    # "tCO2e | 2024 | 2023" under the caption: a header line, though it starts in lower case like a wrapped label
    grid = next(g for g in report.tables if g.title == "Tabel 2. Udledning")
    assert grid.header_rows == 1 and grid.column_headers() == ["tCO2e", "2024", "2023"]


def test_the_corner_over_rows_of_years_names_them_not_a_unit(report: Document) -> None:
    facts = {(f.metric, f.year): (f.value_text, f.unit) for f in extract_facts(report) if f.table == "Tabel 4. Trafik"}
    assert facts[("Anløb", 2024)] == ("5.210", None)  # "År" heads the years, it is no unit of the figures
