"""A generated Nynorsk annual report: accounts beside a budget column, asked about in Danish and Bokmål.

The company, its labels and figures are invented and occur nowhere in the code.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rag.answer.rows import RowIndex
from rag.answer.scope import Scoper
from rag.figures import answer_figure
from rag.ingest import read_document
from rag.query import parse_query
from rag.tables import extract_facts
from rag.types import Document

ACCOUNTS = (
    ("", "Note", "Rekneskap 2020", "Budsjett 2020", "Rekneskap 2019"),
    ("Sal av fjernvarme", "1", "52 310 000", "50 000 000", "47 880 000"),
    ("Sum driftsinntekter", "", "55 430 500", "52 500 000", "50 878 100"),
    ("Lønskostnader", "2", "28 904 200", "29 500 000", "27 101 900"),
    ("Avskrivingar", "3", "8 240 000", "8 300 000", "8 110 000"),
    ("Driftsresultat", "", "4 100 000", "1 800 000", "2 186 000"),
)


def _report(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(20, 25, "Årsmelding 2020 for Fjordvatn Energi IKS")
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(20, 35)
    pdf.multi_cell(170, 5, "Selskapet leverte 86,4 GWh fjernvarme i 2020, ein auke på 7 % frå året før.")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 60, "Resultatrekneskap")
    for r, row in enumerate(ACCOUNTS):
        pdf.set_font("Helvetica", "B" if r == 0 else "", 9)
        for c, (x, text) in enumerate(zip((20, 80, 115, 145, 175), row, strict=True)):
            pdf.text(x if c == 0 else x + 22 - pdf.get_string_width(text), 68 + 6 * r, text)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_document(_report(tmp_path_factory.mktemp("nynorsk") / "fjordvatn-arsmelding-2020.pdf"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hvad var driftsresultatet i 2020?", "Driftsresultat var 4 100 000 i 2020 [1]."),  # accounts, not budget
        ("Hva var budsjettert driftsresultat for 2020?", "Driftsresultat, budsjett var 1 800 000 i 2020 [1]."),
        ("Hva var budsjetterte avskrivninger i 2019?", None),  # no budget column for 2019: not the accounts' figure
        ("Hvad var lønomkostningerne i 2019?", "Lønskostnader var 27 101 900 i 2019 [1]."),  # Danish ~ Nynorsk
        ("Hvor store var afskrivningerne i 2020?", "Avskrivingar var 8 240 000 i 2020 [1]."),
        ("Hvor mange GWh fjernvarme blev leveret i 2020?", None),  # the sales row is kroner: for the text to answer
    ],
)
def test_accounts_answer_in_their_own_unit_and_column(report: Document, question: str, expected: str | None) -> None:
    facts = extract_facts(report)
    docs = {report.doc_id: report.meta}
    info = replace(parse_query(question, 2020), scope=Scoper(docs, []).resolve(question))
    answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
    assert (None if answer is None else answer.text) == expected
