"""Uploads into corpus/: type, size, safe names, no silent overwrite, incremental re-index."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.app.uploads import (
    UploadError,
    UploadExistsError,
    add_to_corpus,
    safe_filename,
    save_upload,
    validate_upload,
)
from rag.config import Settings
from rag.index import build_index, load_index
from tests.conftest import FakeEmbedder

TEXT = "Ny rapport 2024\n\nVi plantede 300 træer ved hospitalet i Odense i 2024.\n".encode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rapport.txt", "rapport.txt"),
        ("Årsrapport 2025 (endelig).PDF", "Årsrapport-2025-endelig.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\system.md", "system.md"),
        ("C:\\Users\\me\\Mine dokumenter\\csr.md", "csr.md"),
        (".hidden.txt", "hidden.txt"),
        ("rap\x00port.txt", "rapport.txt"),
        ("a/b/c/../d.txt", "d.txt"),
        ("noextension", "noextension"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["../", "....txt", "///", "   .md"])
def test_safe_filename_rejects_empty_names(name: str) -> None:
    with pytest.raises(UploadError, match="no usable characters"):
        safe_filename(name)


def test_validate_accepts_and_targets_the_corpus(tmp_path: Path) -> None:
    plan = validate_upload("../ny rapport.txt", TEXT, tmp_path)
    assert plan.target == tmp_path.resolve() / "ny-rapport.txt"
    assert (plan.size, plan.replaces) == (len(TEXT), False)
    assert validate_upload("x.pdf", b"%PDF-1.7\n...", tmp_path).target.name == "x.pdf"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.docx", b"PK\x03\x04", "\\.docx files cannot be indexed"),
        ("script", b"echo", "no suffix files cannot be indexed"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("latin1.txt", "Sygefravær".encode("latin-1"), "not UTF-8"),
        ("binary.md", b"abc\x00def", "binary file"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("README.md", b"# readme", "reserved"),
        ("manifest.toml", b"x = 1", "\\.toml files"),
    ],
)
def test_validate_rejects(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        validate_upload(name, data, tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match="the limit is 0 MB"):
        validate_upload("big.txt", b"x" * 1001, tmp_path, max_bytes=1000)
    assert validate_upload("ok.txt", b"x" * 1000, tmp_path, max_bytes=1000).size == 1000


def test_no_overwrite_without_confirmation(tmp_path: Path) -> None:
    (tmp_path / "rapport.txt").write_text("gammel", encoding="utf-8")
    with pytest.raises(UploadExistsError, match="already exists") as info:
        validate_upload("rapport.txt", TEXT, tmp_path)
    assert info.value.target == tmp_path.resolve() / "rapport.txt"
    plan = validate_upload("rapport.txt", TEXT, tmp_path, overwrite=True)
    assert plan.replaces
    save_upload(plan, TEXT)
    assert (tmp_path / "rapport.txt").read_bytes() == TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.txt"]  # no temp file left behind


def test_add_to_corpus_reindexes_only_the_new_file(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    before = fake_embedder.embedded
    events: list[tuple[str, int, int]] = []
    result = add_to_corpus("Ny rapport.txt", TEXT, mini_settings, embedder=fake_embedder,
                           on_progress=lambda stage, done, total: events.append((stage, done, total)))
    assert result.path == mini_settings.corpus_dir.resolve() / "Ny-rapport.txt" and not result.replaced
    assert result.summary.startswith("3 documents") and "1 embedded, 2 unchanged" in result.summary
    new_chunks = [c for c in load_index(mini_settings.index_dir, mini_settings, fake_embedder).chunks
                  if c.doc_id == "Ny-rapport"]
    assert new_chunks and fake_embedder.embedded - before == len(new_chunks)
    assert events[0] == ("saved", 1, 1) and events[-1] == ("done", 1, 1)
    assert any(stage == "embedding" for stage, _, _ in events)
    with pytest.raises(UploadExistsError):
        add_to_corpus("Ny rapport.txt", TEXT, mini_settings, embedder=fake_embedder)


def test_unreadable_upload_is_removed_again(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    broken = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF"  # a PDF header, no pages
    with pytest.raises(UploadError, match="broken.pdf was not added"):
        add_to_corpus("broken.pdf", broken, mini_settings, embedder=fake_embedder)
    assert not (mini_settings.corpus_dir / "broken.pdf").exists()
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert sorted(index.documents) == ["mini-csr-2024", "mini-no-2023"]
