"""Every shape of a damaged index: load names the file, status says damaged, `rag index` repairs it, no traceback."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import rag
from rag import cli
from rag.config import Settings
from rag.errors import IndexDamagedError, IndexError_, IndexMismatchError
from rag.index import build_index, current_generation, index_status, load_index
from tests.conftest import FakeEmbedder


def _generation(settings: Settings) -> Path:
    generation = current_generation(settings.index_dir)
    assert generation is not None
    return generation


def _rewrite_with_checksum(generation: Path, name: str, data: bytes) -> None:
    """Damage that the checksum cannot see: the file and its checksum replaced together (a shape test)."""
    (generation / name).write_bytes(data)
    manifest_path = generation / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["artifacts"][name] = hashlib.sha256(data).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def _set_manifest(generation: Path, **changes: object) -> None:
    path = generation / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(changes)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _append_random(path: Path) -> None:
    path.write_bytes(path.read_bytes() + bytes(range(256)) * 4)


def _edit_a_chunk(path: Path) -> None:  # still valid JSON Lines, but not what was built
    path.write_text(path.read_text(encoding="utf-8").replace("Sjusk", "Misse"), encoding="utf-8")


Damage = Callable[[Path], None]
DAMAGES: dict[str, tuple[Damage, str]] = {
    # name: (what is done to the published generation, the file the message must name)
    "chunks missing": (lambda g: (g / "chunks.jsonl").unlink(), "chunks.jsonl is missing"),
    "vectors missing": (lambda g: (g / "vectors.faiss").unlink(), "vectors.faiss is missing"),
    "lexical file missing": (lambda g: (g / "lexical" / "vocab.index.json").unlink(), "vocab.index.json is missing"),
    "lexical folder missing": (lambda g: shutil.rmtree(g / "lexical"), "lexical/"),
    "manifest missing": (lambda g: (g / "manifest.json").unlink(), "manifest.json is missing"),
    "chunks truncated": (lambda g: _truncate(g / "chunks.jsonl"), "chunks.jsonl is damaged"),
    "vectors truncated": (lambda g: _truncate(g / "vectors.faiss"), "vectors.faiss is damaged"),
    "random bytes after the FAISS data": (lambda g: _append_random(g / "vectors.faiss"), "vectors.faiss is damaged"),
    "checksum mismatch": (lambda g: _edit_a_chunk(g / "chunks.jsonl"), "chunks.jsonl is damaged"),
    "documents.json is [1]": (lambda g: (g / "documents.json").write_text("[1]"), "documents.json is damaged"),
    "documents.json is [1], checksum updated": (
        lambda g: _rewrite_with_checksum(g, "documents.json", b"[1]"), "documents.json is damaged"),
    "chunks.jsonl rows of the wrong shape, checksum updated": (
        lambda g: _rewrite_with_checksum(g, "chunks.jsonl", b'1\n[2]\n{"id": 3}\n'), "chunks.jsonl is damaged"),
    "a chunk field of the wrong type, checksum updated": (
        lambda g: _rewrite_with_checksum(
            g, "chunks.jsonl",
            (g / "chunks.jsonl").read_text(encoding="utf-8").replace('"start": 0', '"start": "nul"', 1).encode()),
        "chunks.jsonl is damaged"),
    "facts.jsonl is not JSON, checksum updated": (
        lambda g: _rewrite_with_checksum(g, "facts.jsonl", b"\xff\xfe{{{"), "facts.jsonl is damaged"),
    "vectors.faiss is garbage, checksum updated": (
        lambda g: _rewrite_with_checksum(g, "vectors.faiss", b"IxFI" + bytes(64)), "vectors.faiss"),
    "manifest is [1]": (lambda g: (g / "manifest.json").write_text("[1]"), "manifest.json is damaged"),
    'manifest is {"files": [1]}': (
        lambda g: (g / "manifest.json").write_text('{"files": [1]}'), "manifest.json is damaged"),
    'manifest "files": [1]': (lambda g: _set_manifest(g, files=[1]), "manifest.json is damaged ('files'"),
    "manifest counts of the wrong type": (
        lambda g: _set_manifest(g, counts={"chunks": "x"}), "manifest.json is damaged"),
    "manifest artifacts lose an entry": (
        lambda g: _set_manifest(g, artifacts={"chunks.jsonl": "0" * 64}), "manifest.json is damaged"),
    "manifest points outside": (
        lambda g: _set_manifest(g, artifacts={**json.loads((g / "manifest.json").read_text())["artifacts"],
                                              "../../etc/passwd": "0" * 64}), "manifest.json is damaged"),
    "manifest is not UTF-8": (lambda g: (g / "manifest.json").write_bytes(b"\xff{"), "manifest.json is damaged"),
    "manifest is deeply nested": (lambda g: (g / "manifest.json").write_text("[" * 100_000), "manifest.json"),
    "pointer names nothing": (lambda g: (g.parent / "CURRENT").write_text("gen-20990101T000000-000000-1\n"),
                              "names gen-20990101T000000-000000-1, which is missing"),
    "pointer is garbage": (lambda g: (g.parent / "CURRENT").write_bytes(b"../../etc\x00"), "CURRENT is damaged"),
    "generation folder removed": (lambda g: shutil.rmtree(g), "which is missing"),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damage_is_named_reported_and_repaired(damage: str, mini_settings: Settings,
                                               fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert index_status(mini_settings) == "fresh"
    act, named = DAMAGES[damage]
    act(_generation(mini_settings))

    with pytest.raises(IndexDamagedError) as info:
        load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    message = str(info.value)
    assert named in message and message.endswith("Run `rag index` to rebuild it.") and "\n" not in message
    assert index_status(mini_settings) == "damaged"

    report = build_index(mini_settings, embedder=fake_embedder, progress=False)  # no traceback: it repairs
    assert report.written and report.documents == 2
    assert report.notes and report.notes[0].startswith("Rebuilding: ")
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert any("Sjusk" in c.text for c in index.chunks)
    assert index_status(mini_settings) == "fresh"
    assert not build_index(mini_settings, embedder=fake_embedder, progress=False).written


def test_vectors_are_reused_only_from_artifacts_that_verify(mini_settings: Settings,
                                                            fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    first = fake_embedder.embedded
    (_generation(mini_settings) / "lexical" / "lexical.json").write_text("{}", encoding="utf-8")
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert fake_embedder.embedded == first  # chunks and vectors verified: nothing embedded again

    _append_random(_generation(mini_settings) / "vectors.faiss")
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert fake_embedder.embedded == first  # the previous generation's vectors verify and are used

    (_generation(mini_settings) / "manifest.json").write_text("[1]", encoding="utf-8")
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    # neither the published generation (no manifest to check against) nor the previous one (its vectors are
    # the damaged ones) can vouch for a vector: everything is embedded again
    assert fake_embedder.embedded == 2 * first and report.written
    assert index_status(mini_settings) == "fresh"


def test_old_single_folder_index_asks_for_a_rebuild(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    flat = mini_settings.index_dir
    flat.mkdir()
    (flat / ".gitkeep").write_text("")
    for name in ("manifest.json", "chunks.jsonl", "facts.jsonl", "documents.json", "vectors.faiss"):
        (flat / name).write_text('{"schema_version": 1}' if name == "manifest.json" else "", encoding="utf-8")
    (flat / "lexical").mkdir()
    with pytest.raises(IndexMismatchError, match="single-folder layout of an earlier version. Run `rag index`"):
        load_index(flat, mini_settings, fake_embedder)
    assert index_status(mini_settings) == "stale"
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert report.written and "single-folder layout" in report.notes[0]
    assert sorted(p.name for p in flat.iterdir() if not p.name.startswith("gen-")) == [
        ".build.lock", ".gitkeep", "CURRENT"]
    load_index(flat, mini_settings, fake_embedder)


def test_other_format_version_is_a_mismatch_not_damage(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    _set_manifest(_generation(mini_settings), schema_version=99)
    with pytest.raises(IndexMismatchError, match="has format 99, this version needs 2"):
        load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert index_status(mini_settings) == "stale"
    assert build_index(mini_settings, embedder=fake_embedder, progress=False).written


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, fake_embedder: FakeEmbedder) -> CliRunner:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    rag._answerers.clear()
    yield CliRunner()
    rag._answerers.clear()


def test_the_advised_repair_repairs(runner: CliRunner, mini_settings: Settings) -> None:
    """`ask` says "Run `rag index`"; `rag index` then really rebuilds (it used to say "up to date")."""
    corpus, index = str(mini_settings.corpus_dir), str(mini_settings.index_dir)
    assert runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"]).exit_code == 0
    shutil.rmtree(_generation(mini_settings) / "lexical")

    asked = runner.invoke(cli.main, ["ask", "Hvad hedder den hvide kat?", "--index", index])
    assert asked.exit_code == 2 and "Traceback" not in asked.output
    (line,) = asked.output.strip().splitlines()
    assert line.startswith("Error: ") and "lexical" in line and line.endswith("Run `rag index` to rebuild it.")

    status = runner.invoke(cli.main, ["status", "--corpus", corpus, "--index", index])
    assert status.exit_code == 1 and status.output.startswith("damaged: ") and "lexical" in status.output

    fixed = runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"])
    assert fixed.exit_code == 0 and "Index updated: 2 documents" in fixed.output
    assert "Rebuilding: " in fixed.output and "lexical" in fixed.output
    rag._answerers.clear()
    assert "Sjusk" in runner.invoke(cli.main, ["ask", "Hvad hedder den hvide kat?", "--index", index]).output
    status = runner.invoke(cli.main, ["status", "--corpus", corpus, "--index", index])
    assert status.exit_code == 0 and status.output.startswith(f"fresh: The index in {index} is up to date (built ")


@pytest.mark.parametrize("manifest", ["[1]", '{"files": [1]}', "", "null"])
def test_wrong_manifest_shapes_are_one_line_in_the_cli(runner: CliRunner, mini_settings: Settings,
                                                       manifest: str) -> None:
    corpus, index = str(mini_settings.corpus_dir), str(mini_settings.index_dir)
    runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"])
    (_generation(mini_settings) / "manifest.json").write_text(manifest, encoding="utf-8")
    for args in (["ask", "Hvad hedder katten?", "--index", index], ["facts", "--index", index],
                 ["search", "kat", "--index", index]):
        result = runner.invoke(cli.main, args)
        assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.startswith("Error: ") and "manifest.json is damaged" in result.output
    assert runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"]).exit_code == 0
    assert index_status(Settings(corpus_dir=mini_settings.corpus_dir, index_dir=mini_settings.index_dir)) == "fresh"


def test_python_api_raises_rag_errors(mini_settings: Settings, fake_embedder: FakeEmbedder,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    rag._answerers.clear()
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    (_generation(mini_settings) / "documents.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(IndexError_, match="documents.json is damaged"):
        rag.ask("Hvad hedder katten?", settings=mini_settings)
    rag._answerers.clear()
