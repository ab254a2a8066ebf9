from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.config import Settings
from rag.errors import IndexError_, IndexMismatchError
from rag.index import build_index, current_generation, index_status, load_index
from tests.conftest import FakeEmbedder


def test_build_then_load_round_trip(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert report.written and report.documents == 2 and not report.skipped
    assert sorted(report.embedded_files) == ["mini-csr-2024.txt", "mini-no-2023.txt"]
    generation = current_generation(mini_settings.index_dir)
    assert generation is not None and generation.name == report.generation
    assert {p.name for p in generation.iterdir()} >= {
        "manifest.json",
        "vectors.faiss",
        "chunks.jsonl",
        "facts.jsonl",
        "documents.json",
        "lexical",
    }
    assert not list(mini_settings.index_dir.rglob("*.pkl"))  # no pickle on disk

    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert len(index.chunks) == report.chunks == index.vectors.ntotal
    assert index.manifest["embedder"] == "fake-hash-64" and index.manifest["dimension"] == 64
    assert index.manifest["chunking"] == {"chunk_tokens": 60, "chunk_overlap": 10}
    assert set(index.manifest["files"]) == {"mini-csr-2024.txt", "mini-no-2023.txt"}
    assert index.documents["mini-no-2023"].language == "nb"
    assert index.newest_year == 2024
    # The same query finds the same chunk before and after the round trip.
    top = index.dense_search("Den hvide kat hedder Sjusk", 1)[0]
    assert index.chunks[top[0]].doc_id == "mini-csr-2024" and "Sjusk" in index.chunks[top[0]].text
    assert top[1] == pytest.approx(index.dense_search("Den hvide kat hedder Sjusk", 1)[0][1])


def test_incremental_rebuild_embeds_only_changed_files(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    first = fake_embedder.embedded

    again = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert not again.written and fake_embedder.embedded == first
    assert index_status(mini_settings) == "fresh"

    no_file = mini_settings.corpus_dir / "mini-no-2023.txt"
    no_file.write_text(no_file.read_text(encoding="utf-8") + "\n3. Nytt avsnitt\n\nVi har innført varsling.\n")
    assert index_status(mini_settings) == "stale"
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert report.embedded_files == ["mini-no-2023.txt"] and report.reused_files == ["mini-csr-2024.txt"]
    # Only the changed document's new passage(s) were embedded.
    assert 0 < fake_embedder.embedded - first <= 2

    (mini_settings.corpus_dir / "mini-csr-2024.txt").unlink()
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert report.removed_files == ["mini-csr-2024.txt"]
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert {c.doc_id for c in index.chunks} == {"mini-no-2023"}
    assert {f.doc_id for f in index.facts} <= {"mini-no-2023"}


def test_bad_file_is_skipped_and_reported(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    (mini_settings.corpus_dir / "tom.txt").write_text("", encoding="utf-8")
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert [(Path(e.path).name, e.reason) for e in report.skipped] == [
        ("tom.txt", "the file is empty; remove it or add text")
    ]
    assert report.documents == 2
    # A known-bad, unchanged file does not force a rebuild every time.
    assert not build_index(mini_settings, embedder=fake_embedder, progress=False).written


def test_other_embedder_or_settings_are_refused(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)

    class OtherEmbedder(FakeEmbedder):
        id = "other-model"

    with pytest.raises(IndexMismatchError, match="Run `rag index`"):
        load_index(mini_settings.index_dir, mini_settings, OtherEmbedder())
    changed = mini_settings.with_overrides(chunk_tokens=100)
    with pytest.raises(IndexMismatchError, match="chunk settings"):
        load_index(mini_settings.index_dir, changed, fake_embedder)
    assert index_status(changed) == "stale"


def test_missing_and_corrupted_index(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    with pytest.raises(IndexError_, match="No index in .* Run `rag index`"):
        load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert index_status(mini_settings) == "missing"

    build_index(mini_settings, embedder=fake_embedder, progress=False)
    generation = current_generation(mini_settings.index_dir)
    assert generation is not None
    (generation / "vectors.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(IndexError_, match="vectors.faiss is damaged .* Run `rag index`"):
        load_index(mini_settings.index_dir, mini_settings, fake_embedder)

    (generation / "manifest.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(IndexError_, match="manifest.json is damaged .not valid JSON"):
        load_index(mini_settings.index_dir, mini_settings, fake_embedder)


def test_corrupt_index_is_rebuilt_by_build(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    generation = current_generation(mini_settings.index_dir)
    assert generation is not None
    chunks = generation / "chunks.jsonl"
    chunks.write_text(chunks.read_text(encoding="utf-8")[:50], encoding="utf-8")
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert report.written
    load_index(mini_settings.index_dir, mini_settings, fake_embedder)


def test_failed_build_leaves_previous_index_intact(
    mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    generation = current_generation(mini_settings.index_dir)
    assert generation is not None
    before = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    (mini_settings.corpus_dir / "ny.txt").write_text("Ny rapport\n\nHelt ny tekst om affald.", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("rag.index.LexicalIndex.save", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert current_generation(mini_settings.index_dir) == generation
    after = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    assert after == before
    assert [p.name for p in mini_settings.index_dir.iterdir() if p.name.startswith((".tmp", "gen-"))] == [
        generation.name
    ]


def test_manifest_names_the_store_and_older_indexes_are_faiss(
    mini_settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    from rag.index import store_of
    from rag.index.faiss_store import FaissStore

    build_index(mini_settings, embedder=fake_embedder, progress=False)
    generation = current_generation(mini_settings.index_dir)
    assert generation is not None
    manifest_path = generation / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["store"] == {"name": "faiss"}
    # An index written before the store seam has no "store": it is a faiss index and loads without a rebuild.
    del manifest["store"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert store_of(index.manifest).value == "faiss" and isinstance(index.store, FaissStore)
    assert index.lexical.size == len(index.chunks) == index.vectors.ntotal
    assert index.lexical_search("Sjusk", "da", 1)[0] == index.lexical.search("Sjusk", "da", 1)[0]
    assert index_status(mini_settings) == "fresh"
