"""Columns that share a year, told apart by the unit or the words in their headers ("2022 tonn" | "2022 andel %").

A generated report of an invented waste company. The year is the fact's year; the header's other words keep the
two columns apart (as qualifier), and a unit among them is the column's unit.
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.ingest.grid import header_unit
from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.ask import ask_figure
from tests.pdf_report import draw_table, read_pdf, start_report

ROWS = (
    ("Fraksjon", "2021 tonn", "2021 andel %", "2022 tonn", "2022 andel %"),
    ("Papp og papir", "1 320", "41,2", "1 410", "43,5"),
    ("Glass og metall", "380", "11,9", "352", "10,9"),
    ("Restavfall", "1 502", "46,9", "1 478", "45,6"),
)


def _report() -> Any:
    pdf = start_report("Årsmelding 2022 Vestvik Renovasjon", "Selskapet samler inn avfall fra fire kommuner.")
    draw_table(pdf, 60, "Innsamlet avfall etter fraksjon", ROWS, (20, 70, 100, 130, 160), 26)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("shared"), "vestvik-arsmelding-2022.pdf")


def test_a_unit_at_the_end_of_a_header() -> None:
    assert [header_unit(h) for h in ("2022 tonn", "2022 andel %", "vekt (kg)", "2022", "Tonn avfall")] == [
        "tonn", "%", "kg", None, None
    ]  # fmt: skip


def test_columns_sharing_a_year_keep_their_other_header_words(report: Document) -> None:
    facts = {(f.metric, f.year, f.qualifier): (f.value_text, f.unit) for f in extract_facts(report)}
    assert facts[("Glass og metall", 2022, "tonn")] == ("352", "tonn")
    assert facts[("Glass og metall", 2022, "andel %")] == ("10,9", "%")
    assert facts[("Restavfall", 2021, "tonn")] == ("1 502", "tonn")
    assert facts[("Restavfall", 2021, "andel %")] == ("46,9", "%")


@pytest.mark.parametrize(
    ("question", "figure", "other"),
    [
        ("Hvor mange tonn glass og metall ble samlet inn i 2022?", "352", "10,9"),
        ("Hvor stor andel av avfallet var restavfall i 2021?", "46,9", "1 502"),
    ],
)
def test_the_question_chooses_the_column_by_its_unit(report: Document, question: str, figure: str, other: str) -> None:
    answer = ask_figure(report, question, 2022)
    assert answer is not None and figure in answer and other not in answer, answer


def test_columns_of_one_year_are_told_apart_by_their_headers_words(tmp_path: Any) -> None:
    # No unit: "2024 Utlån" and "2024 Nedskrivninger" are two figures of one row, each its column's words.
    rows = (("Fase", "2024 Utlån", "2024 Nedskrivninger"), ("Fase 1", "412,0", "0,7"), ("Fase 2", "31,5", "1,9"),
            ("I alt", "443,5", "2,6"))  # fmt: skip
    pdf = start_report("Årsrapport 2024 Vestvik Sparebank", "Banken har kontorer i fire kommuner.")
    draw_table(pdf, 60, "Utlån fordelt på faser (mrd. kr.)", rows, (20, 90, 130), 26)
    facts = extract_facts(read_pdf(pdf, tmp_path, "vestvik-sparebank-2024.pdf"))
    found = {(f.metric, f.qualifier): (f.year, f.value_text) for f in facts}
    assert found[("Fase 2", "utlån")] == (2024, "31,5")
    assert found[("Fase 2", "nedskrivninger")] == (2024, "1,9")


def test_a_long_group_heading_joined_to_each_year_still_heads_year_columns() -> None:
    # "Samlet ansvarlig kapitalprocent 2024": a heading over two year columns, however long, with the year after it;
    # a long header with its year inside running words is no year column.
    from rag.ingest.tables import _header_kind

    figures = ["13,2", "9,4"]
    assert _header_kind("Samlet ansvarlig kapitalprocent 2024", figures) == "year"
    assert _header_kind("Samlet ansvarlig kapitalprocent 2025+", figures) == "year"
    assert _header_kind("Kapitalprocent 2024", figures) == "year"
    assert _header_kind("Ændring fra 2023 til og med seneste kvartal", figures) == "category"
