"""Replacing a corpus file by upload is all or nothing: any failure puts the old file back and keeps the old index."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.app.uploads import UploadError, add_to_corpus
from rag.config import Settings
from rag.index import build_index, current_generation, load_index
from tests.conftest import FakeEmbedder

OLD = "Grøn rapport 2024\n\nVi plantede 300 træer ved hospitalet i Odense i 2024.\n".encode()
NEW = OLD.replace(b"300", b"400")


def _oserror() -> BaseException:
    return OSError(errno.ENOSPC, "No space left on device")


FAILURES: dict[str, tuple[Callable[[], BaseException], type[BaseException], str | None]] = {
    # where the failure comes from → (exception, what add_to_corpus raises, what the message says)
    "OSError": (_oserror, UploadError,
                "^grøn-rapport.txt was not added: The disk holding .* is full \\(No space left on device\\); free some "
                "space and run `rag index` again. The previous index is still in use. The previous version of the "
                "file is kept.$"),
    "RuntimeError": (lambda: RuntimeError("faiss exploded"), UploadError,
                     "^grøn-rapport.txt was not added: the index build failed \\(faiss exploded\\). Try again; "
                     "report it if it repeats. The previous version of the file is kept. The previous index is still "
                     "in use.$"),
    "KeyboardInterrupt": (KeyboardInterrupt, KeyboardInterrupt, None),  # re-raised after putting the file back
}


@pytest.fixture
def with_upload(mini_settings: Settings, fake_embedder: FakeEmbedder) -> Path:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    result = add_to_corpus("grøn rapport.txt", OLD, mini_settings, embedder=fake_embedder)
    return result.path


def _served_text(settings: Settings, embedder: FakeEmbedder) -> str:
    index = load_index(settings.index_dir, settings, embedder)
    return " ".join(c.text for c in index.chunks if c.doc_id == "grøn-rapport")


@pytest.mark.parametrize("failure", list(FAILURES))
def test_failed_replacement_restores_the_file_and_the_index(
    failure: str, with_upload: Path, mini_settings: Settings, fake_embedder: FakeEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make, raised, message = FAILURES[failure]
    generation = current_generation(mini_settings.index_dir)

    def fail(path: Path, data: bytes) -> str:  # writing the new generation, after embedding
        raise make()

    monkeypatch.setattr("rag.index._write_file", fail)
    with pytest.raises(raised, match=message):
        add_to_corpus("grøn rapport.txt", NEW, mini_settings, overwrite=True, embedder=fake_embedder)
    monkeypatch.undo()
    assert with_upload.read_bytes() == OLD  # the old file is back
    assert sorted(p.name for p in mini_settings.corpus_dir.iterdir()) == [
        "grøn-rapport.txt", "manifest.toml", "mini-csr-2024.txt", "mini-no-2023.txt"]  # no backup or temp left
    assert current_generation(mini_settings.index_dir) == generation  # the old index is still served
    assert "300 træer" in _served_text(mini_settings, fake_embedder)


def test_the_old_file_stays_on_disk_until_the_new_index_is_published(
    with_upload: Path, mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag import index as index_module

    seen: list[bytes] = []
    publish = index_module._publish

    def watching(directory: Path, name: str) -> None:
        seen.append((with_upload.parent / f".{with_upload.name}.previous").read_bytes())
        publish(directory, name)

    monkeypatch.setattr("rag.index._publish", watching)
    result = add_to_corpus("grøn rapport.txt", NEW, mini_settings, overwrite=True, embedder=fake_embedder)
    assert seen == [OLD] and result.replaced
    assert with_upload.read_bytes() == NEW and not (with_upload.parent / f".{with_upload.name}.previous").exists()
    assert "400 træer" in _served_text(mini_settings, fake_embedder)


def test_an_unreadable_replacement_keeps_the_old_version(
    mini_settings: Settings, fake_embedder: FakeEmbedder, tmp_path: Path
) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Vi plantede 300 egetraeer ved hospitalet i Odense i 2024.")
    good = bytes(pdf.output())
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    add_to_corpus("rapport.pdf", good, mini_settings, embedder=fake_embedder)
    generation = current_generation(mini_settings.index_dir)
    calls = list(fake_embedder.calls)
    broken = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF"  # a PDF header, no pages
    with pytest.raises(UploadError, match=r"^rapport.pdf was not added: .*\. The previous version of the file is "
                                          r"kept\. The previous index is still in use\.$"):
        add_to_corpus("rapport.pdf", broken, mini_settings, overwrite=True, embedder=fake_embedder)
    assert (mini_settings.corpus_dir / "rapport.pdf").read_bytes() == good
    assert current_generation(mini_settings.index_dir) == generation and fake_embedder.calls == calls
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert any("300 egetraeer" in c.text for c in index.chunks if c.doc_id == "rapport")


def test_a_failed_new_upload_is_removed(mini_settings: Settings, fake_embedder: FakeEmbedder,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    monkeypatch.setattr("rag.index._publish", lambda directory, name: (_ for _ in ()).throw(_oserror()))
    with pytest.raises(UploadError, match="^ny.txt was not added: The disk holding .* The previous index is still in "
                                          "use.$"):
        add_to_corpus("ny.txt", OLD, mini_settings, embedder=fake_embedder)
    assert not (mini_settings.corpus_dir / "ny.txt").exists()
    monkeypatch.undo()
    assert sorted(load_index(mini_settings.index_dir, mini_settings, fake_embedder).documents) == [
        "mini-csr-2024", "mini-no-2023"]
