"""Follow-up rewriting, scope switches and the Markdown-safety helpers of the chat."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from rag.app.chat import (
    Scope,
    Turn,
    cited_figures,
    escape_markdown,
    escaped_stream,
    find_scope,
    format_years,
    highlight_quote,
    interpretation_note,
    newest_year,
    resolve_question,
    scope_organisations,
)
from rag.types import DocMeta

DOCS = (
    DocMeta("aleris-hamlet-csr-2019", "Aleris-Hamlet CSR-rapport 2019", "da", 2019, "Aleris-Hamlet", "DK"),
    DocMeta("aleris-dk-csr-2021", "Aleris CSR-rapport 2021", "da", 2021, "Aleris Danmark", "DK"),
    DocMeta("aleris-dk-csr-2025", "Aleris CSR-rapport 2025", "da", 2025, "Aleris Danmark", "DK"),
    DocMeta("aleris-no-apenhetsloven-2024", "Åpenhetsloven 2024", "nb", 2024, "Aleris Helse AS", "NO"),
    DocMeta("aalborg-uh-handleplan-2024", "Handleplan 2024", "da", 2024, "Aalborg Universitetshospital", "DK"),
)


def converse(messages: Sequence[str], docs: Sequence[DocMeta] = DOCS) -> list[Turn]:
    turns: list[Turn] = []
    for message in messages:
        turns.append(resolve_question(message, turns, docs))
    return turns


def test_first_question_is_asked_as_typed() -> None:
    (turn,) = converse(["Hvad var sygefraværet i 2025?"])
    assert turn == Turn(asked="Hvad var sygefraværet i 2025?", question="Hvad var sygefraværet i 2025?",
                        language="da", years=(2025,))
    assert not turn.follow_up and interpretation_note(turn) is None


def test_year_before_then_explicit_year() -> None:
    turns = converse(["Hvad var sygefraværet i 2025?", "og året før?", "og i 2023?", "og året før det?"])
    assert [t.question for t in turns[1:]] == [
        "Hvad var sygefraværet i 2024?",
        "Hvad var sygefraværet i 2023?",
        "Hvad var sygefraværet i 2022?",
    ]
    assert [t.years for t in turns] == [(2025,), (2024,), (2023,), (2022,)]
    assert all(t.follow_up for t in turns[1:])
    assert interpretation_note(turns[1]) == "Opfattet som: «Hvad var sygefraværet i 2024?»"


def test_year_after_and_two_years() -> None:
    turns = converse(["Hvad var eNPS i 2022?", "og året efter?", "2021 og 2022?", "to år før?"])
    assert [t.question for t in turns[1:]] == [
        "Hvad var eNPS i 2023?",
        "Hvad var eNPS i 2021 og 2022?",
        "Hvad var eNPS i 2019?",
    ]


def test_relative_years_count_from_the_newest_report_when_the_question_had_none() -> None:
    turns = converse(["Hvad er CO2-udledningen?", "og året før?"])
    assert newest_year(DOCS) == 2025
    assert turns[1].question == "Hvad er CO2-udledningen i 2024?"
    turns = converse(["Hvad var sygefraværet sidste år?", "og året før?"])
    assert turns[0].years == (2024,)
    assert turns[1].question == "Hvad var sygefraværet i 2023?"


def test_scope_switch_to_norway_keeps_question_and_sticks() -> None:
    turns = converse(["Hvad var sygefraværet i 2025?", "hvad med Norge?", "og året før?"])
    norway = Scope(label="Norge", organisations=("Aleris Helse AS",))
    assert turns[1].question == "Hvad var sygefraværet i 2025?" and turns[1].scope == norway
    assert turns[2].question == "Hvad var sygefraværet i 2024?" and turns[2].scope == norway
    assert interpretation_note(turns[1]) == "Opfattet som: «Hvad var sygefraværet i 2025?» — Norge: Aleris Helse AS"


def test_scope_by_organisation_name_and_back_to_all() -> None:
    turns = converse(["Hvad var sygefraværet i 2025?", "hvad med Aalborg?", "hvad med alle rapporter?"])
    assert turns[1].scope == Scope("Aalborg Universitetshospital", ("Aalborg Universitetshospital",))
    assert turns[2].scope is None and turns[2].follow_up


def test_scope_the_corpus_does_not_cover_is_noted_once() -> None:
    turns = converse(["Hvad var sygefraværet i 2025?", "hvad med Sverige?", "og i 2023?"])
    assert turns[1].scope == Scope("Sverige", ())
    assert interpretation_note(turns[1]) == (
        "Opfattet som: «Hvad var sygefraværet i 2025?» — Sverige: ingen rapporter i samlingen"
    )
    assert turns[2].scope is None


def test_country_falls_back_to_language_without_manifest_country() -> None:
    docs = [DocMeta("a", "A", "da", 2024, "Mini Danmark"), DocMeta("b", "B", "nb", 2023, "Mini Norge")]
    assert find_scope("hvad med Norge?", docs) == Scope("Norge", ("Mini Norge",))
    assert find_scope("Hvad er klimamålet?", docs) is None


def test_topic_switch_keeps_years_and_scope() -> None:
    turns = converse(["Hvad var sygefraværet i 2025?", "hvad med Norge?", "hvad med medarbejdertilfredsheden?"])
    assert turns[2].question == "Hvad med medarbejdertilfredsheden i 2025?"
    assert turns[2].scope == Scope("Norge", ("Aleris Helse AS",))


def test_a_full_new_question_resets_scope_and_years() -> None:
    turns = converse(["Hvad var sygefraværet i 2025?", "hvad med Norge?", "og hvad gør I for klimaet?"])
    last = turns[2]
    assert last.question == "og hvad gør I for klimaet?"
    assert (last.follow_up, last.scope, last.years) == (False, None, ())


def test_norwegian_conversation_stays_norwegian() -> None:
    turns = converse(["Hva var sykefraværet i 2024?", "og i fjor?"])
    assert turns[0].language == "nb"
    assert turns[1].question == "Hva var sykefraværet i 2024?"  # "i fjor" = 2025 - 1 with the newest report 2025
    assert interpretation_note(turns[1]) == "Tolket som: «Hva var sykefraværet i 2024?»"
    turns = converse(["Hva var sykefraværet i 2023?", "og året etter?"])
    assert turns[1].question == "Hva var sykefraværet i 2024?"
    assert interpretation_note(turns[1]) == "Tolket som: «Hva var sykefraværet i 2024?»"


def test_format_years() -> None:
    assert format_years([2024]) == "2024"
    assert format_years([2023, 2022]) == "2022 og 2023"
    assert format_years([2021, 2022, 2023]) == "2021-2023"
    assert format_years([2019, 2021, 2023]) == "2019, 2021 og 2023"


@pytest.mark.parametrize(
    ("base", "scope", "expected"),
    [
        ((), None, ()),
        (("Aleris Danmark",), None, ("Aleris Danmark",)),
        ((), Scope("Norge", ("Aleris Helse AS",)), ("Aleris Helse AS",)),
        (("Aleris Helse AS", "Aleris Danmark"), Scope("Norge", ("Aleris Helse AS",)), ("Aleris Helse AS",)),
        (("Aleris Danmark",), Scope("Norge", ("Aleris Helse AS",)), None),
        (("Aleris Danmark",), Scope("Sverige", ()), ("Aleris Danmark",)),
    ],
)
def test_scope_organisations(base: tuple[str, ...], scope: Scope | None, expected: tuple[str, ...] | None) -> None:
    assert scope_organisations(base, scope) == expected


def test_escape_markdown_neutralises_markup() -> None:
    hostile = "<script>alert(1)</script> **fed** [link](http://x) ![img](http://x/i.png) $x$ :red[rød] `kode`"
    escaped = escape_markdown(hostile)
    for raw in ("<script>", "**fed**", "[link]", "![img]", "$x$", ":red[", "`kode`"):
        assert raw not in escaped
    assert escape_markdown("# Overskrift\n- punkt\n1. et") == "\\# Overskrift\n\\- punkt\n1\\. et"
    # files stay readable: parentheses and colons untouched, only markup escaped
    assert escape_markdown("Scope 2: (energi) *", strict=False) == "Scope 2: (energi) \\*"


def test_streamed_pieces_escape_like_the_finished_answer() -> None:
    # How the language model's gated sentences reach st.write_stream: escaped as render_answer escapes the whole.
    pieces = ["1", ". Scope 2 var *1.567* ton [1].", " Se $pris$ (side 4).", "\n# ", "Mål [2]."]
    streamed = list(escaped_stream(pieces))
    assert streamed == ["1", "\\. Scope 2 var \\*1.567\\* ton \\[1\\].", " Se \\$pris\\$ \\(side 4\\).", "\n\\# ",
                        "Mål \\[2\\]."]
    assert "".join(streamed) == escape_markdown("".join(pieces))
    # A piece that changes how earlier text escapes ("-" alone is a bullet, "-5" a number): the stream stops
    # short of the answer, and the app shows the finished answer instead.
    assert list(escaped_stream(["-", "5 grader [1].", " Mere."])) == ["\\-"]
    assert escape_markdown("-5 grader [1]. Mere.") == "-5 grader \\[1\\]. Mere."


def test_cited_figures_and_highlight() -> None:
    answer = ("Sygefravær, korttids (under 30 dage) var 3,18 % i 2025 [1]. "
              "Sygefravær, langtids (over 30 dage) var 0,95 % i 2025 [2].")
    assert cited_figures(answer, 1) == ["3,18 %"]
    assert cited_figures(answer, 2) == ["0,95 %"]
    assert cited_figures(answer, 3) == []
    quote = "Sygefravær, korttids (under 30 dage) % <2,5 3,18 2,64"
    assert highlight_quote(quote, ["3,18 %"]) == (
        "Sygefravær, korttids \\(under 30 dage\\) % \\<2,5 :orange-background[**3,18**] 2,64"
    )
    assert highlight_quote("Tabel **x** 1.567 1.905", ["1.567"]) == (
        "Tabel \\*\\*x\\*\\* :orange-background[**1.567**] 1.905"
    )
