"""A unit column's scope: the figure columns it qualifies, by where it stands, and not every figure of its row.

A generated report: the cabin, its materials and figures are invented. "Mengde | Enhet | kg CO2e | Andel %" is a
quantity and its unit, then columns headed by their own units; "Nøkkeltall | Enhet | 2024 | 2023" a unit for
every year after it. A column of dashes is no unit column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.eval.layout_check import unit_recovery
from rag.eval.synthetic import generate
from rag.ingest.files import pdf_document, read_document
from rag.ingest.pdf import read_pdf as read_pages
from rag.ingest.tables import _unit_columns, extract_facts
from rag.types import Document
from tests.pdf_report import draw_table, read_pdf, start_report

MATERIALS = (
    ("Materiale", "Mengde", "Enhet", "kg CO2e", "Andel %"),
    ("Skiferplater", "1 250", "stk.", "41 200", "12"),
    ("Kobbertråd", "86", "kg", "3 410", "1"),
    ("Limtre", "74", "m3", "8 930", "3"),
)
YEARS = (
    ("Nøkkeltall", "Enhet", "2024", "2023"),
    ("Solcelleproduksjon", "MWh", "412", "380"),
    ("Vannforbruk", "m3", "2 150", "2 310"),
)
ENTITIES = (
    ("Nøkkeltall", "Enhet", "Konsern", "Morselskap", "Datterselskap"),
    ("Varmepumper", "antall", "130", "-", "38"),
    ("Ladepunkter", "antall", "61", "", "17"),
)


def _report() -> Any:
    pdf = start_report("Klimaregnskap 2024 for Myrtoppen hytte", "Tallene gjelder 2024.", 30)
    draw_table(pdf, 70, "Materialer og utslipp", MATERIALS, (20, 60, 85, 110, 135), 22)
    draw_table(pdf, 120, "Energi og vann", YEARS, (20, 70, 95, 120), 22)
    draw_table(pdf, 160, "Konsern og selskaper", ENTITIES, (20, 70, 95, 120, 145), 24)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("unit-scope"), "myrtoppen-klima-2024.pdf")


def _units(doc: Document) -> dict[tuple[str, str | None, int], tuple[str, str | None]]:
    return {(f.metric, f.qualifier, f.year): (f.value_text, f.unit) for f in extract_facts(doc)}


def test_a_unit_column_qualifies_the_quantity_on_its_left_only() -> None:
    kinds = ["label", "category", "unit", "category", "category"]
    assert _unit_columns(kinds, ["", "Mengde", "Enhet", "kg CO2e", "Andel %"]) == {1: 2}
    assert _unit_columns(kinds, ["", "Mengde", "Enhet", "Vekt", "Andel %"]) == {1: 2}  # "Vekt": no unit of its own
    assert _unit_columns(["label", "unit", "year", "year", "target"], ["", "Enhet", "2024", "2023", "Mål 2030"]) == {
        2: 1, 3: 1
    }  # fmt: skip
    assert _unit_columns(["label", "year", "year", "unit"], ["", "2024", "2023", "Enhet"]) == {1: 3, 2: 3}
    two = ["label", "category", "unit", "category", "unit"]
    assert _unit_columns(two, ["", "Mengde", "Enhet", "Mengde", "Enhet"]) == {1: 2, 3: 4}


def test_figures_headed_by_their_own_unit_keep_it(report: Document) -> None:
    units = _units(report)
    assert units[("Skiferplater", "mengde", 2024)] == ("1 250", "stk.")
    assert units[("Skiferplater", None, 2024)][1] != "stk."  # the kg CO2e and share columns are not in pieces
    assert {units[("Kobbertråd", None, 2024)], units[("Kobbertråd", "andel", 2024)]} <= {
        ("3 410", "kg CO2e"), ("1", "%")
    }  # fmt: skip
    assert units[("Limtre", "mengde", 2024)] == ("74", "m3")


def test_a_unit_column_before_the_years_is_every_years_unit(report: Document) -> None:
    units = _units(report)
    assert units[("Solcelleproduksjon", None, 2024)] == ("412", "MWh")
    assert units[("Vannforbruk", None, 2023)] == ("2 310", "m3")


def test_a_column_of_dashes_is_no_unit_column(report: Document) -> None:
    units = _units(report)
    assert units[("Varmepumper", "datterselskap", 2024)] == ("38", "antall")
    assert units[("Ladepunkter", "konsern", 2024)] == ("61", "antall")


def test_the_layout_check_scores_the_units_of_a_quantity_table(tmp_path: Path) -> None:
    pdf = tmp_path / "seed_002.pdf"
    truth = generate(2, pdf)  # page 2: materials × quantity, unit, kg CO2e and kg CO2e/m²
    pages = read_pages(pdf)
    checks = [c for c in unit_recovery(truth, extract_facts(pdf_document(pdf, pages))) if "family:quantities" in
              c.features]
    assert len(checks) >= 20
    assert {c.column for c in checks} >= {"Mængde", "kg CO2e", "kg CO2e/m²"}
    assert [c.describe() for c in checks if not c.ok] == []


def test_a_tab_separated_table_scopes_its_unit_column_too(tmp_path: Path) -> None:
    text = (
        "Klimaregnskap for Myrtoppen hytte 2024\n\n"
        "Materialer 2024\tMengde\tEnhet\tkg CO2e\n"
        "Skiferplater\t1 250\tstk.\t41 200\n"
        "Limtre\t74\tm3\t8 930\n"
    )
    path = tmp_path / "myrtoppen-materialer-2024.txt"
    path.write_text(text, encoding="utf-8")
    units = _units(read_document(path))
    assert units[("Skiferplater", "mengde", 2024)] == ("1 250", "stk.")
    assert units[("Skiferplater", "kg co2e", 2024)] == ("41 200", "kg CO2e")
    assert units[("Limtre", "kg co2e", 2024)] == ("8 930", "kg CO2e")
