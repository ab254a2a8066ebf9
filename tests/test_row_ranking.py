"""How the open-vocabulary row matcher ranks rows that all name the asked metric, on invented rows of one company.

- a development over years goes to the row that holds those years (a five-year key-figure table), not to a
  two-year table of the same metric that another preference (the scale asked for) would favour;
- "heraf" ("of which") before a label is no word the question must name;
- a word that is all of one label beats the same word as a part of a longer compound ("Kernedækningsgrad");
- a row per m2 answers only a question per m2;
- a question that lists two or more of the rows a total sums asks for the total.
"""

from __future__ import annotations

from dataclasses import replace

from rag.answer.figures import answer_figure
from rag.answer.query import parse_query
from rag.answer.rows import RowIndex
from rag.answer.scope import Scoper
from rag.text.analysis import Analyzer
from rag.text.units import UnitKind, scale
from rag.types import DocMeta, Fact
from tests.ask import table_row


def _row(label: str, values: dict[int, str], table: str, start: int, qualifier: str | None = None) -> list[Fact]:
    return table_row("fjordbanken-2022", label, values, table, start, qualifier=qualifier)


DOCS = {"fjordbanken-2022": DocMeta("fjordbanken-2022", "Fjordbanken årsrapport 2022", "da", 2022, "Fjordbanken A/S")}
FIVE_YEARS = {2018: "61,2", 2019: "66,0", 2020: "70,4", 2021: "74,9", 2022: "80,3"}
FACTS = [
    *_row("Dækningsgrad", {2018: "17,1", 2019: "17,9", 2020: "18,8", 2021: "19,0", 2022: "19,6"}, "Hovedtal", 100),
    *_row("Kernedækningsgrad", {2018: "15,0", 2019: "15,2", 2020: "16,1", 2021: "16,6"}, "Hovedtal", 120),
    *_row("heraf kundetilgodehavender", FIVE_YEARS, "Hovedtal", 140),
    *_row("Kundetilgodehavender", {2021: "74,9", 2022: "80,3"}, "Balance (mia. kr.)", 900),
    *_row("Energiforbrug", {2021: "1.240", 2022: "1.105"}, "Miljø", 1200, "mwh"),
    *_row("Vandafgift", {2021: "12", 2022: "14"}, "Bankens afgifter (mio. kr.)", 1400),
    *_row("Grundskyld", {2021: "31", 2022: "33"}, "Bankens afgifter (mio. kr.)", 1420),
    *_row("Energiafgift", {2021: "8", 2022: "9"}, "Bankens afgifter (mio. kr.)", 1440),
    *_row("I alt", {2021: "51", 2022: "56"}, "Bankens afgifter (mio. kr.)", 1460),
    *_row("Energiforbrug", {2021: "88,5", 2022: "79,0"}, "Miljø", 1220, "kwh/m2"),
]


def _ask(question: str, rows: RowIndex | None = None) -> str | None:
    info = replace(parse_query(question, 2022), scope=Scoper(DOCS, []).resolve(question))
    answer = answer_figure(info, FACTS, DOCS, rows=rows or RowIndex(FACTS, DOCS))
    return None if answer is None else answer.text


def _best(question: str, series: tuple[int, ...] = (), rows: RowIndex | None = None) -> tuple[str, tuple[int, ...]]:
    rows = rows or RowIndex(FACTS, DOCS)
    terms = rows.terms(question, "da")
    best = rows.rank(terms, set(DOCS), UnitKind.MONEY, asked_scale=scale(question), series=series)[0].row
    return best.label, tuple(sorted(best.years))


def test_a_development_is_read_from_the_row_that_holds_its_years() -> None:
    question = "Hvordan har kundetilgodehavenderne udviklet sig fra 2018 til 2022 (mia. kr.)?"
    assert _best(question) == ("Kundetilgodehavender", (2021, 2022))  # printed in the scale asked for
    five = ("heraf kundetilgodehavender", tuple(range(2018, 2023)))
    assert _best(question, series=tuple(range(2018, 2023))) == five
    answer = _ask(question)
    assert answer is not None and answer.startswith("Udvikling for heraf kundetilgodehavender: 2018: 61,2 [1]; 2019")


def test_a_word_that_is_the_whole_label_beats_a_longer_compound() -> None:
    rows = RowIndex(FACTS, DOCS, analyzer=Analyzer(["dækningsgrad"]))  # the reports write it as a word
    assert "dækningsgrad" in next(r for r in rows.rows if r.label == "Kernedækningsgrad").label_tokens
    assert _ask("Hvad var dækningsgraden i 2021?", rows) == "Dækningsgrad var 19,0 i 2021 [1]."


def test_a_question_that_lists_the_parts_of_a_total_gets_the_total() -> None:
    question = "Hvor store var bankens samlede betalinger (vandafgift, grundskyld og energiafgift) i 2022?"
    assert _ask(question) == "Bankens afgifter (mio. kr.), i alt var 56 i 2022 [1]."
    assert _ask("Hvor stor var grundskylden i 2022?") == "Grundskyld var 33 i 2022 [1]."  # one part: that part


def test_a_value_per_area_answers_only_a_question_per_area() -> None:
    assert _ask("Hvad var energiforbruget i 2022?") == "Energiforbrug, mwh var 1.105 i 2022 [1]."
    assert _ask("Hvad var energiforbruget per m2 i 2022?") == "Energiforbrug, kwh/m2 var 79,0 i 2022 [1]."
