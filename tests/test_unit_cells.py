"""Figures printed with their unit in the cell, and a list of key figures with dot leaders and no header.

A generated report: the school, its quantities and figures are invented. "1 240 m3" is a figure with its unit,
not words; the unit becomes the fact's unit, and the figure stays the printed number.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest import read_document
from rag.ingest.grid import is_value, split_unit
from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

QUANTITIES = (("Betong", "1 240 m3", "310 200 kg CO2e"), ("Armeringsstål", "88 tonn", "120 400 kg CO2e"))
KEY_FIGURES = (("Bruttoareal (BTA)", "6 420 m2"), ("Antall elever", "540"), ("Levetid", "60 år"))


def _report() -> Any:
    pdf = start_report("Klimagassberegning 2020 Ekeberg skole", "Beregningen er utført i 2020.")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 50, "Mengder og utslipp")
    pdf.set_font("Helvetica", "B", 9)
    for text, right in (("Mengde", 120), ("Utslipp", 165)):
        pdf.text(right - pdf.get_string_width(text), 58, text)
    pdf.set_font("Helvetica", "", 9)
    for n, (label, amount, emission) in enumerate(QUANTITIES):
        pdf.text(20, 66 + 6 * n, label)
        pdf.text(120 - pdf.get_string_width(amount), 66 + 6 * n, amount)
        pdf.text(165 - pdf.get_string_width(emission), 66 + 6 * n, emission)
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 100, "Nøkkeltall")
    pdf.set_font("Helvetica", "", 9)
    for n, (label, value) in enumerate(KEY_FIGURES):
        pdf.text(20, 108 + 6 * n, f"{label} {'.' * 40}")
        pdf.text(120 - pdf.get_string_width(value), 108 + 6 * n, value)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("units"), "ekeberg-klimagass-2020.pdf")


def test_a_figure_with_its_unit_is_a_value() -> None:
    assert [split_unit(t) for t in ("1 240 m3", "310 200 kg CO2e", "1,2 kg CO2-ekv/m2/år", "540")] == [
        ("1 240", "m3"), ("310 200", "kg CO2e"), ("1,2", "kg CO2-ekv/m2/år"), ("540", None)
    ]  # fmt: skip
    assert not is_value("2 år gammel") and not is_value("Betong")
    assert is_value("450 161¹") and split_unit("450 161¹") == ("450 161", None)  # a footnote mark is no digit


def test_cells_with_units_and_key_figures_become_facts(report: Document) -> None:
    facts = {(f.metric, f.qualifier): (f.value_text, f.unit) for f in extract_facts(report)}
    assert facts[("Betong", "mengde")] == ("1 240", "m3")
    assert facts[("Armeringsstål", "utslipp")] == ("120 400", "kg CO2e")
    assert facts[("Bruttoareal (BTA)", None)] == ("6 420", "m2")  # the dot leaders are no part of the label
    assert facts[("Levetid", None)] == ("60", "år")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var utslippet fra armeringsstål?", "Armeringsstål, utslipp: 120 400 kg CO2e [1]."),
        ("Hva er bruttoarealet for skolen?", "Bruttoareal (BTA): 6 420 m2 [1]."),
        ("Hvor mange elever har skolen?", "Antall elever: 540 [1]."),
    ],
)
def test_questions_reach_figures_printed_with_units(report: Document, question: str, expected: str) -> None:
    assert ask_figure(report, question, 2020) == expected


UNIT_COLUMNS = (
    ("Bygningsdel", "kg CO2e", "kg CO2e/m2", "Andel"),
    ("Grunn og fundamenter", "84 040", "38,2", "18 %"),
    ("Bæresystemer", "135 300", "61,5", "29 %"),
    ("Totalt", "467 280", "212,4", "100 %"),
)


@pytest.fixture(scope="module")
def unit_columns(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """Columns headed by their unit alone, no year: the figures are the report's year's, in that unit."""
    pdf = start_report("Klimagassberegning 2021 Tangen barnehage", "Beregningen gjelder ny barnehage.")
    draw_table(pdf, 70, "Tabell 3 Utslipp fra materialer", UNIT_COLUMNS, (20, 100, 130, 160), 25)
    path = tmp_path_factory.mktemp("unit-columns") / "tangen-2021.pdf"
    pdf.output(str(path))
    return read_document(path)


def test_a_column_headed_by_its_unit_gives_the_unit(unit_columns: Document) -> None:
    facts = {(f.metric, f.qualifier, f.unit): f.value_text for f in extract_facts(unit_columns)}
    assert facts[("Bæresystemer", None, "kg CO2e")] == "135 300"
    assert facts[("Bæresystemer", None, "kg CO2e/m2")] == "61,5"
    assert facts[("Bæresystemer", "andel", "%")] == "29 %"  # a word heads it: the word tells it apart


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hvor store utslipp hadde bæresystemene per m2?", "Bæresystemer: 61,5 kg CO2e/m2 [1]."),
        ("Hvor store utslipp hadde bæresystemene totalt?", "Bæresystemer: 135 300 kg CO2e [1]."),
        ("Hva var de samlede utslippene i kg CO2e?", "Utslipp fra materialer, totalt: 467 280 kg CO2e [1]."),
    ],
)
def test_the_unit_column_asked_for_answers(unit_columns: Document, question: str, expected: str) -> None:
    assert (ask_figure(unit_columns, question, 2021) or "").startswith(expected)
