"""What only the PostgreSQL store has: transactions, its own tables, a server to reach. Real embedded server."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import psycopg
import pytest
from click.testing import CliRunner

from rag import cli
from rag.config import Settings, StoreName, load_settings
from rag.errors import IndexDamagedError, StoreError
from rag.index import build_index, describe_index, load_index
from rag.index.postgres import PostgresStore, redact, schema_for, tsvector_literal
from rag.index.store import StoredDocument
from rag.types import Chunk, DocMeta
from tests.conftest import FakeEmbedder
from tests.test_store_contract import embedded_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def settings(mini_settings: Settings) -> Settings:
    return mini_settings.with_overrides(store=StoreName.POSTGRES, pg_dsn=embedded_postgres())


def _chunk(doc_id: str, n: int, text: str) -> Chunk:
    return Chunk(id=f"{doc_id}:{n:04d}", doc_id=doc_id, title=doc_id, text=text, start=0, end=len(text),
                 language="da")


def _document(source: str, texts: list[str], tokens: list[tuple[str, ...]], dim: int = 8) -> StoredDocument:
    doc_id = source.removesuffix(".txt")
    rng = np.random.default_rng(len(source))
    vectors = rng.standard_normal((len(texts), dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return StoredDocument(source, "h", DocMeta(doc_id, doc_id, "da"),
                          tuple(_chunk(doc_id, i, t) for i, t in enumerate(texts)), vectors, tuple(tokens))


@pytest.fixture
def store(tmp_path: Path) -> PostgresStore:
    opened = PostgresStore.connect(embedded_postgres(), schema_for(tmp_path), "test-8", 8, create=True)
    yield opened
    opened.close()


def test_a_failing_document_leaves_its_old_version_whole(store: PostgresStore) -> None:
    old = _document("a.txt", ["Katten Sjusk", "Hunden Fido"], [("kat", "sjusk"), ("hund", "fido")])
    other = _document("b.txt", ["Fuglen Pip"], [("fugl", "pip")])
    store.add_documents([old, other], frozenset())
    broken = StoredDocument("a.txt", "h2", old.meta, (_chunk("a", 0, "Ny tekst"),),
                            np.ones((1, 7), dtype=np.float32), (("ny", "tekst"),))  # 7 dims in a vector(8) column
    with pytest.raises(StoreError, match="PostgreSQL"):
        store.add_documents([broken], frozenset())
    # The transaction of a.txt rolled back: both old chunks, its term counts and the stats are as before.
    assert [c.text for c in store.chunks] == ["Katten Sjusk", "Hunden Fido", "Fuglen Pip"]
    assert store.chunks[store.lexical_search("Sjusk", "da", 3)[0][0]].text == "Katten Sjusk"
    assert store.signatures() == {"a.txt": old.signature, "b.txt": other.signature}


def test_bm25_statistics_follow_every_change(store: PostgresStore) -> None:
    store.add_documents([_document("a.txt", ["x", "y"], [("kat", "kat", "hund"), ("kat",)])], frozenset())
    store.add_documents([_document("b.txt", ["z"], [("fugl",)])], frozenset())
    with psycopg.connect(store.dsn) as conn:
        terms = dict(conn.execute(f'SELECT term, df FROM "{store.schema}".terms').fetchall())
        stats = conn.execute(f'SELECT chunks, tokens FROM "{store.schema}".stats').fetchone()
    assert terms == {"kat": 2, "hund": 1, "fugl": 1} and stats == (3, 5)
    store.remove_documents(["a.txt"])
    with psycopg.connect(store.dsn) as conn:
        terms = dict(conn.execute(f'SELECT term, df FROM "{store.schema}".terms').fetchall())
        stats = conn.execute(f'SELECT chunks, tokens FROM "{store.schema}".stats').fetchone()
    assert terms == {"fugl": 1} and stats == (1, 1)


def test_odd_tokens_survive_the_tsvector(store: PostgresStore) -> None:
    odd = ("it's", "back\\slash", "a:b", "co2-udledning", "3,63", "æøå", "'", "x" * 3000)
    store.add_documents([_document("a.txt", ["odd"], [odd])], frozenset())
    with psycopg.connect(store.dsn) as conn:
        lexemes = conn.execute(f'SELECT tsvector_to_array(tsv) FROM "{store.schema}".chunks').fetchone()[0]
    assert set(lexemes) == set(odd[:-1])  # a lexeme over PostgreSQL's 2 kB limit is left out
    assert tsvector_literal(["a", "a", "b"]) == "'a':1,2 'b':3"
    for token in odd[:-1]:
        assert store.lexical_search_tokens([token], 1)[0][0] == 0, token
    assert store.lexical_search_tokens(["absent", "'"], 5)[0][0] == 0


def test_dense_search_beyond_what_hnsw_can_return_is_exact(store: PostgresStore) -> None:
    texts = [f"t{i}" for i in range(1200)]
    store.add_documents([_document("many.txt", texts, [("t",)] * len(texts))], frozenset())
    query = np.zeros(8, dtype=np.float32)
    query[0] = 1.0
    found = store.dense_search(query, 1100)  # > pgvector's maximum ef_search: an exact scan
    assert len(found) == 1100 and [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    best = store.dense_search(query, 5)
    assert [i for i, _ in best] == [i for i, _ in found[:5]]


def test_missing_tables_are_damage_that_a_build_repairs(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder, progress=False)
    with psycopg.connect(settings.pg_dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema_for(settings.index_dir)}" CASCADE')
    with pytest.raises(IndexDamagedError, match="rag index"):
        load_index(settings.index_dir, settings, fake_embedder)
    status, message = describe_index(settings)
    assert status == "damaged" and "missing" in message
    embedded = fake_embedder.embedded
    report = build_index(settings, embedder=fake_embedder, progress=False)
    assert report.written and report.notes == ["Rebuilding: the PostgreSQL tables do not hold the published index"]
    assert fake_embedder.embedded - embedded == report.chunks  # the vectors were in the dropped tables
    assert describe_index(settings)[0] == "fresh"
    assert load_index(settings.index_dir, settings, fake_embedder).lexical_search("Sjusk", "da", 1)


def test_an_unreachable_server_says_what_to_do(mini_settings: Settings, fake_embedder: FakeEmbedder,
                                               tmp_path: Path) -> None:
    dsn = f"postgresql://rag:secret@/rag?host={tmp_path}&port=1"  # no server on that socket
    settings = mini_settings.with_overrides(store=StoreName.POSTGRES, pg_dsn=dsn)
    with pytest.raises(StoreError, match="RAG_PG_DSN") as caught:
        build_index(settings, embedder=fake_embedder, progress=False)
    assert "secret" not in str(caught.value) and "***" in str(caught.value)
    assert redact("host=db password=hunter2 user=rag") == "host=db password=*** user=rag"


def test_settings_choose_the_store(tmp_path: Path) -> None:
    env = {"RAG_STORE": "postgres", "RAG_PG_DSN": "postgresql://db/rag"}
    settings = load_settings(tmp_path / "none.toml", env)
    assert settings.store is StoreName.POSTGRES and settings.pg_dsn == "postgresql://db/rag"
    (tmp_path / "rag.toml").write_text('store = "postgres"\n', encoding="utf-8")
    assert load_settings(tmp_path / "rag.toml", {}).store is StoreName.POSTGRES
    with pytest.raises(Exception, match="faiss, postgres"):
        load_settings(tmp_path / "none.toml", {"RAG_STORE": "elastic"})


def test_cli_index_and_ask_with_rag_store_postgres(settings: Settings, fake_embedder: FakeEmbedder,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    import rag

    rag._answerers.clear()
    runner = CliRunner()
    corpus, index = str(settings.corpus_dir), str(settings.index_dir)
    question = ["ask", "Hvor mange lokasjoner har selskapet i Norge?", "--json", "--index", index]
    faiss_index = str(settings.index_dir.parent / "index-faiss")
    assert runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", faiss_index, "--quiet"]).exit_code == 0
    expected = json.loads(runner.invoke(cli.main, [*question[:-1], faiss_index]).output)

    monkeypatch.setenv("RAG_STORE", "postgres")
    monkeypatch.setenv("RAG_PG_DSN", settings.pg_dsn)
    monkeypatch.setenv("RAG_DATA_DIR", str(settings.data_dir))
    result = runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"])
    assert result.exit_code == 0 and result.output.startswith("Index updated: 2 documents"), result.output
    assert runner.invoke(cli.main, ["status", "--index", index, "--corpus", corpus]).output.startswith("fresh")
    asked = runner.invoke(cli.main, question)
    assert asked.exit_code == 0, asked.output
    answer = json.loads(asked.output)
    assert answer["abstained"] is False and answer["citations"]
    assert {k: v for k, v in answer.items() if k != "latency_ms"} == {
        k: v for k, v in expected.items() if k != "latency_ms"}
    rag._answerers.clear()
