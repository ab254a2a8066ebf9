"""Key figures stated only in running text, asked in another language or written standard than the report's.

The generated-corpus evaluation (`kind:sentence`) showed the text path blind to them: a Danish question quoting an
English report's words was stemmed as Danish only, a Bokmål or Danish question met a Nynorsk sentence through no
word, and "against 44 the year before" dated no figure. The organisations, sentences and figures are invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import Answerer
from rag.config import Settings
from rag.index import build_index, load_index
from tests.conftest import FakeEmbedder

ENGLISH = """# Annual report 2024

## Our people

Marlow Ferries Ltd operates four routes across the North Sea and employs crews from six countries.
Lost-time injuries were 41 in 2024, against 44 the year before.
Water consumption was 96,795 m³ in 2024 across all vessels and terminals.
In 2024, the share of waste recycled on board stood at 61.5 per cent, up from the year before.
The company also renewed its safety management system during the year.
"""

NYNORSK = """# Årsmelding 2024

## Tilsette og arbeidsmiljø

Fjordlys Renovasjon IKS har ikkje hatt alvorlege hendingar i året, og styret meiner at arbeidsmiljøet er godt.
Talet på arbeidsulukker med fråvær landa på 6 i 2024, mot 9 året før.
Selskapet har òg gjennomført fleire vernerundar enn før.
"""

MANIFEST = """
[marlow-annual-report-2024]
title = "Annual report 2024"
language = "en"
year = 2024
organisation = "Marlow Ferries Ltd"

[fjordlys-arsmelding-2024]
title = "Årsmelding 2024"
language = "nb"
year = 2024
organisation = "Fjordlys Renovasjon IKS"
"""


@pytest.fixture
def answerer(tmp_path: Path, fake_embedder: FakeEmbedder) -> Answerer:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "marlow-annual-report-2024.md").write_text(ENGLISH, encoding="utf-8")
    (corpus / "fjordlys-arsmelding-2024.md").write_text(NYNORSK, encoding="utf-8")
    (corpus / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data",
                        chunk_tokens=80, chunk_overlap=10)
    build_index(settings, embedder=fake_embedder, progress=False)
    return Answerer(load_index(settings.index_dir, settings, fake_embedder), settings)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # English words quoted in a Danish or Norwegian question, stemmed as English too
        ("Hvad var water consumption for Marlow Ferries Ltd i 2024?", "Water consumption was 96,795 m3"),
        ("Hva var lost-time injuries for Marlow Ferries Ltd i 2024?", "Lost-time injuries were 41 in 2024"),
        ("Hvad var share of waste recycled for Marlow Ferries Ltd i 2024?", "stood at 61.5 per cent"),
        # "the year before" dates the second figure
        ("Hvad var lost-time injuries for Marlow Ferries Ltd i 2023?", "against 44 the year before"),
        # Danish and Bokmål words of a Nynorsk sentence, through the word lexicon
        ("Hvad var arbejdsulykker med fravær for Fjordlys Renovasjon IKS i 2024?", "Talet på arbeidsulukker"),
        ("Hva var arbeidsulykker med fravær for Fjordlys Renovasjon IKS i 2023?", "mot 9 året før"),
    ],
)
def test_a_figure_in_running_text_is_found_across_languages(answerer: Answerer, question: str, quoted: str) -> None:
    answer = answerer.ask(question)
    assert not answer.abstained, answer.answer
    assert quoted in answer.citations[0].quote


def test_a_word_of_another_kind_is_no_match_in_running_text(answerer: Answerer) -> None:
    # The lexicon links words, not kinds: fatal accidents are not the lost-time injuries the sentence counts.
    assert answerer.ask("Hvad var dødsulykker for Fjordlys Renovasjon IKS i 2024?").abstained


def test_a_question_word_is_stemmed_as_every_corpus_language_stems_it(answerer: Answerer) -> None:
    from rag.answer.query import parse_query

    terms = answerer._question_terms(parse_query("Hvad var water consumption i 2024?", 2024))
    consumption = next(t for t in terms if t.word == "consumption")
    # as Danish, and for the English report's sentences as English stems it; not for a Danish sentence
    assert "consumption" in consumption.stems and consumption.stemmed_as["en"] == {"consumpt"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the measure named as the sentence names it (not only the word the vocabulary knew), with its unit
        ("Hvad var water consumption for Marlow Ferries Ltd i 2024?", "Water consumption var 96.795 m3"),
        ("Hvad var vandforbruget for Marlow Ferries Ltd i 2024?", "var 96.795 m3"),
        ("Hvad var share of waste recycled for Marlow Ferries Ltd i 2024?", "61,5 %"),
    ],
)
def test_a_figure_from_an_english_sentence_is_written_as_the_reader_writes_it(
    answerer: Answerer, question: str, expected: str
) -> None:
    from rag.answer.grounding import ungrounded_numbers

    answer = answerer.ask(question)
    assert expected in answer.answer and " i 2024 [1]." in answer.answer, answer.answer
    assert expected not in answer.citations[0].quote  # the quote keeps the report's notation
    assert ungrounded_numbers(answer.answer, answer.citations, answer.computed) == []
