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


def _group_and_parent(path: Path) -> Path:
    """Key figures with "Konsern" over one pair of year columns and "Morselskap" over the next."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(20, 25, "Årsrapport 2023 for Vestfjord Kraft AS")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, 55, "Nøkkeltall (MNOK)")
    pdf.set_font("Helvetica", "B", 9)
    pdf.text(110, 62, "Konsern")
    pdf.text(160, 62, "Morselskap")
    rows = (("", "2023", "2022", "2023", "2022"), ("Driftsresultat", "612,3", "1 104,7", "402,1", "820,6"),
            ("Antall årsverk", "212", "205", "96", "94"))  # fmt: skip
    for r, row in enumerate(rows):
        pdf.set_font("Helvetica", "B" if r == 0 else "", 9)
        for c, (x, text) in enumerate(zip((20, 95, 120, 150, 175), row, strict=True)):
            if text:
                pdf.text(x if c == 0 else x + 20 - pdf.get_string_width(text), 67 + 6 * r, text)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hva var driftsresultatet i konsernet i 2023?", "Driftsresultat, konsern var 612,3 i 2023 [1]."),
        ("Hva var morselskapets driftsresultat i 2022?", "Driftsresultat, morselskap var 820,6 i 2022 [1]."),
        ("Hvor mange årsverk hadde morselskapet i 2023?", "Antall årsverk, morselskap var 96 i 2023 [1]."),
        ("Hva var driftsresultatet i 2023?",  # neither named: both, each with its label
         "Driftsresultat, konsern var 612,3 i 2023 [1]. Driftsresultat, morselskap var 402,1 i 2023 [1]."),
    ],
)  # fmt: skip
def test_a_group_or_parent_heading_spans_the_year_columns_under_it(
    tmp_path: Path, question: str, expected: str
) -> None:
    report = read_document(_group_and_parent(tmp_path / "vestfjord-arsrapport-2023.pdf"))
    facts = extract_facts(report)
    assert sorted((f.year, f.value_text, f.qualifier) for f in facts if f.metric == "Driftsresultat") == [
        (2022, "1 104,7", "konsern"), (2022, "820,6", "morselskap"), (2023, "402,1", "morselskap"),
        (2023, "612,3", "konsern"),
    ]  # fmt: skip
    docs = {report.doc_id: report.meta}
    info = replace(parse_query(question, 2023), scope=Scoper(docs, []).resolve(question))
    answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
    assert answer is not None and answer.text == expected
