"""One contract, every store: the same assertions over FAISS and PostgreSQL + pgvector (a real embedded server)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.answer.retrieve import HybridRetriever
from rag.config import Settings, StoreName
from rag.errors import IndexMismatchError
from rag.index import build_index, index_status, load_index
from rag.index.chunk import chunk_document
from rag.index.faiss_store import FaissStore
from rag.index.langchain import IndexVectorStore
from rag.index.store import Store, StoredDocument, embedding_text, stored_documents
from rag.ingest import iter_documents, load_manifest
from rag.types import Chunk
from tests.conftest import FakeEmbedder

_SERVER: dict[str, Any] = {}


def embedded_postgres() -> str:
    """One embedded PostgreSQL (pgserver) per test process, in a short path (for its socket), deleted at exit."""
    if "dsn" not in _SERVER:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

            folder = Path(tempfile.mkdtemp(prefix="rag-pg-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)  # registered first: runs after the server stops
            _SERVER["server"] = pgserver.get_server(folder / "pgdata", cleanup_mode="delete")
        _SERVER["dsn"] = _SERVER["server"].get_uri()
    return str(_SERVER["dsn"])


@pytest.fixture(params=[StoreName.FAISS, StoreName.POSTGRES], ids=["faiss", "postgres"])
def store_name(request: pytest.FixtureRequest) -> StoreName:
    if request.param is StoreName.POSTGRES:
        request.applymarker(pytest.mark.postgres)
    return StoreName(request.param)


@pytest.fixture
def settings(store_name: StoreName, mini_settings: Settings) -> Settings:
    dsn = embedded_postgres() if store_name is StoreName.POSTGRES else ""
    return mini_settings.with_overrides(store=store_name, pg_dsn=dsn)


def _same_ranking(mine: list[tuple[int, float]], theirs: list[tuple[int, float]]) -> bool:
    """Same scores (to float32 precision) and the same positions, in any order within a group of tied scores."""
    if len(mine) != len(theirs) or [s for _, s in mine] != pytest.approx([s for _, s in theirs], rel=1e-5, abs=1e-6):
        return False
    groups: list[list[int]] = []
    for n, (_, score) in enumerate(theirs):
        if n and abs(score - theirs[n - 1][1]) <= 1e-5 * max(abs(score), 1e-6):
            groups[-1].append(n)
        else:
            groups.append([n])
    return all({mine[n][0] for n in group} == {theirs[n][0] for n in group} for group in groups)


def _top_doc(index: Any, hits: list[tuple[int, float]]) -> str:
    return str(index.chunks[hits[0][0]].doc_id)


def test_build_load_and_search(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    report = build_index(settings, embedder=fake_embedder, progress=False)
    assert report.written and report.documents == 2 and report.chunks > 0
    index = load_index(settings.index_dir, settings, fake_embedder)
    assert index.manifest["store"]["name"] == settings.store.value
    assert index.manifest["embedder"] == "fake-hash-64" and index.manifest["dimension"] == 64
    assert len(index.chunks) == report.chunks and len(index.facts) == report.facts
    assert [c.doc_id for c in index.chunks][0] == "mini-csr-2024"  # corpus order: file names sorted
    assert set(index.documents) == {"mini-csr-2024", "mini-no-2023"}
    assert isinstance(index.store, Store)

    dense = index.dense_search("Den hvide kat hedder Sjusk", 3)
    assert "Sjusk" in index.chunks[dense[0][0]].text and dense[0][1] == pytest.approx(dense[0][1])
    assert [s for _, s in dense] == sorted((s for _, s in dense), reverse=True)
    lexical = index.lexical_search("Hvad hedder katten Sjusk?", "da", 5)
    assert "Sjusk" in index.chunks[lexical[0][0]].text
    assert _top_doc(index, index.lexical_search("lokasjoner i Norge", "nb", 5)) == "mini-no-2023"
    assert index.lexical_search("zzzqqq", "da", 5) == []

    hits = HybridRetriever(index=index, settings=settings).search("Hvor mange lokasjoner har selskapet i Norge?", k=3)
    assert hits[0].chunk.doc_id == "mini-no-2023" and hits[0].lexical_rank is not None
    assert index_status(settings) == "fresh"
    # Unchanged corpus: nothing embedded, nothing written.
    embedded = fake_embedder.embedded
    assert not build_index(settings, embedder=fake_embedder, progress=False).written
    assert fake_embedder.embedded == embedded


def test_incremental_update_and_removal(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder, progress=False)
    first = fake_embedder.embedded
    no_file = settings.corpus_dir / "mini-no-2023.txt"
    no_file.write_text(no_file.read_text(encoding="utf-8") + "\n3. Varsling\n\nVi har innført varslingskanal.\n",
                       encoding="utf-8")
    report = build_index(settings, embedder=fake_embedder, progress=False)
    assert report.embedded_files == ["mini-no-2023.txt"] and 0 < fake_embedder.embedded - first <= 2
    index = load_index(settings.index_dir, settings, fake_embedder)
    assert "varslingskanal" in index.chunks[index.lexical_search("varslingskanal", "nb", 3)[0][0]].text

    (settings.corpus_dir / "mini-csr-2024.txt").unlink()
    assert build_index(settings, embedder=fake_embedder, progress=False).removed_files == ["mini-csr-2024.txt"]
    index = load_index(settings.index_dir, settings, fake_embedder)
    assert {c.doc_id for c in index.chunks} == {"mini-no-2023"} and set(index.documents) == {"mini-no-2023"}
    assert {f.doc_id for f in index.facts} <= {"mini-no-2023"}
    assert index.lexical_search("Sjusk", "da", 5) == []
    assert all(index.chunks[i].doc_id == "mini-no-2023" for i, _ in index.dense_search("Sjusk kat", 5))


def test_other_embedder_is_refused_with_a_fix(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder, progress=False)

    class Other(FakeEmbedder):
        id = "other-32"
        dim = 32

    with pytest.raises(IndexMismatchError, match="rag index"):
        load_index(settings.index_dir, settings, Other())
    # A rebuild with the new embedder replaces the index (for postgres: the tables, with vector(32)).
    build_index(settings, embedder=Other(), progress=False)
    index = load_index(settings.index_dir, settings, Other())
    assert index.manifest["dimension"] == 32 and index.dense_search("Sjusk", 1)


def test_index_of_another_store_is_refused(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder, progress=False)
    other = StoreName.FAISS if settings.store is StoreName.POSTGRES else StoreName.POSTGRES
    with pytest.raises(IndexMismatchError, match=f"RAG_STORE={settings.store.value}"):
        load_index(settings.index_dir, settings.with_overrides(store=other), fake_embedder)
    assert index_status(settings.with_overrides(store=other)) == "stale"


# --- the Store protocol itself: add, replace and remove documents --------------------------------------------


def _documents(settings: Settings, embedder: FakeEmbedder) -> list[StoredDocument]:
    paths = sorted(settings.corpus_dir.glob("*.txt"))
    spans, chunks = [], []
    for doc in iter_documents(paths, load_manifest(settings.corpus_dir)):
        assert not isinstance(doc, Exception)
        own = chunk_document(doc, 60, 10)
        spans.append((Path(doc.source).name, doc.content_hash, doc.meta, len(chunks), len(chunks) + len(own), 0, 0))
        chunks.extend(own)
    matrix = embedder.embed_batch([embedding_text(c) for c in chunks])
    documents, _ = stored_documents(spans, chunks, matrix, [])
    return documents


@pytest.fixture
def empty_store(settings: Settings) -> Iterator[Store]:
    if settings.store is StoreName.FAISS:
        yield FaissStore(64)
        return
    from rag.index.postgres import PostgresStore, schema_for

    store = PostgresStore.connect(settings.pg_dsn, schema_for(settings.index_dir), "fake-hash-64", 64, create=True)
    yield store
    store.close()


def test_store_add_replace_remove(settings: Settings, empty_store: Store, fake_embedder: FakeEmbedder) -> None:
    documents = _documents(settings, fake_embedder)
    vocabulary = frozenset({"kat", "sjusk", "lokasjon"})
    empty_store.add_documents(documents, vocabulary)
    assert [c.doc_id for c in empty_store.chunks] == [c.doc_id for d in documents for c in d.chunks]
    query = fake_embedder.embed_batch(["Den hvide kat hedder Sjusk"])[0]
    assert "Sjusk" in empty_store.chunks[empty_store.dense_search(query, 2)[0][0]].text
    assert "Sjusk" in empty_store.chunks[empty_store.lexical_search("Sjusk", "da", 2)[0][0]].text

    # Replacing a document by source: the old text is gone, the new one is found.
    da = documents[0]
    new_chunk = Chunk(id=f"{da.meta.doc_id}:0000", doc_id=da.meta.doc_id, title=da.meta.title,
                      text="Hunden Fido vogter lageret.", start=0, end=27, language="da")
    replacement = StoredDocument(da.source, "changed", da.meta, (new_chunk,),
                                 fake_embedder.embed_batch([new_chunk.text]), (("hund", "fido", "vogt", "lager"),))
    empty_store.add_documents([replacement], vocabulary)
    assert empty_store.lexical_search("Sjusk", "da", 5) == []
    assert empty_store.chunks[empty_store.lexical_search("Fido", "da", 5)[0][0]].text == new_chunk.text
    assert len(empty_store.chunks) == 1 + len(documents[1].chunks)

    empty_store.remove_documents([documents[1].source, "not-there.txt"])
    assert [c.text for c in empty_store.chunks] == [new_chunk.text]
    assert empty_store.dense_search(query, 5) == [(0, pytest.approx(empty_store.dense_search(query, 1)[0][1]))]
    empty_store.remove_documents([da.source])
    assert empty_store.chunks == [] and empty_store.dense_search(query, 5) == []
    assert empty_store.lexical_search("Fido", "da", 5) == []


def test_langchain_vector_store(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder, progress=False)
    store = IndexVectorStore(load_index(settings.index_dir, settings, fake_embedder))
    found = store.similarity_search_with_score("Den hvide kat hedder Sjusk", k=2)
    assert "Sjusk" in found[0][0].page_content and found[0][0].metadata["doc_id"] == "mini-csr-2024"
    assert found[0][1] >= found[1][1]
    docs = store.as_retriever(search_kwargs={"k": 1}).invoke("lokasjoner Norge")
    assert len(docs) == 1 and docs[0].metadata["chunk_id"]
    with pytest.raises(NotImplementedError, match="rag index"):
        store.add_texts(["x"])


def test_records_match_the_faiss_store(settings: Settings, fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    """Chunks, facts and documents come back field for field, in the same order (postgres: from its tables)."""
    build_index(settings, embedder=fake_embedder, progress=False)
    index = load_index(settings.index_dir, settings, fake_embedder)
    faiss_settings = settings.with_overrides(store=StoreName.FAISS, index_dir=tmp_path / "index-faiss")
    build_index(faiss_settings, embedder=fake_embedder, progress=False)
    reference = load_index(faiss_settings.index_dir, faiss_settings, fake_embedder)
    assert index.chunks == reference.chunks and index.facts == reference.facts
    assert list(index.documents.items()) == list(reference.documents.items())
    assert any(isinstance(f.value, float) for f in index.facts)
    for query in ("Den hvide kat hedder Sjusk", "sygefravær 2024", "leverandørkjeden etiske retningslinje"):
        everything = len(index.chunks)  # no cut through a group of tied scores
        assert _same_ranking(index.dense_search(query, everything), reference.dense_search(query, everything))
        for language in ("da", "nb"):
            mine = index.lexical_search(query, language, everything)
            theirs = reference.lexical_search(query, language, everything)
            assert _same_ranking(mine, theirs)
    vectors = fake_embedder.embed_batch([embedding_text(c) for c in index.chunks[:2]])
    for row, vector in enumerate(vectors):
        best = index.store.dense_search(vector, 1)[0]
        assert best[0] == row and best[1] == pytest.approx(1.0, abs=1e-5)

