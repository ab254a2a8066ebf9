"""Wrapped headers of narrow columns set close together: each word heads the column under it.

A generated table (invented company and figures) whose header words of neighbouring columns stand less than a
cell gap apart, but further apart than a space: "Drivstofforbruk" over the litres, "varslingssaker" over the
cases. Read as one heading spanning both, the words went to both columns (or to neither).
"""

from __future__ import annotations

from typing import Any

import pytest

from rag.types import Document
from tests.pdf_report import read_pdf, start_report


def _report() -> Any:
    pdf = start_report("Bærekraftsrapport 2023 Fjordlinje AS")
    pdf.set_font("Helvetica", "B", 9)
    # two header lines; in the upper one, two words over different columns stand 2 mm apart (a space is ~1 mm)
    pdf.text(60, 60, "Drivstofforbruk")
    pdf.text(60 + pdf.get_string_width("Drivstofforbruk") + 2, 60, "varslingssaker")
    pdf.text(130, 60, "Energi")
    for x, word in ((75, "(liter)"), (103, "(antall)"), (131, "(MWh)")):
        pdf.text(x, 65, word)
    pdf.set_font("Helvetica", "", 9)
    rows = (("2023", "40 710", "1", "2 559"), ("2022", "40 449", "3", "2 646"))
    for r, (year, litres, cases, energy) in enumerate(rows):
        for right, text in ((86, litres), (114, cases), (142, energy)):
            pdf.text(right - pdf.get_string_width(text), 72 + 6 * r, text)
        pdf.text(20, 72 + 6 * r, year)
    return pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_pdf(_report(), tmp_path_factory.mktemp("headers"), "fjordlinje-2023.pdf")


def test_close_header_words_head_the_column_under_them(report: Document) -> None:
    (grid,) = report.tables
    assert grid.column_headers()[1:] == ["Drivstofforbruk (liter)", "varslingssaker (antall)", "Energi (MWh)"]
