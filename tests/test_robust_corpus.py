"""Corpus reading never leaves the corpus: links out, FIFOs, oversized and disguised files are skipped with a reason."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag import cli
from rag.app.uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, UploadError, add_to_corpus, validate_upload
from rag.config import Settings
from rag.index import build_index, current_generation, index_status, load_index
from rag.ingest import corpus_files
from rag.types import Document, PageSpan
from tests.conftest import FakeEmbedder

SECRET = "Hemmelig adgangskode: rødgrød-med-fløde-42\n"


def _reasons(report_skipped: list) -> dict[str, str]:
    return {Path(e.path).name: e.reason for e in report_skipped}


def test_symlink_out_of_the_corpus_is_never_read(mini_settings: Settings, fake_embedder: FakeEmbedder,
                                                 tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(SECRET, encoding="utf-8")
    corpus = mini_settings.corpus_dir
    (corpus / "p.txt").symlink_to(outside)
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "via-dotdot.md").symlink_to(Path("..") / "outside" / "secret.txt")
    (corpus / "dangling.txt").symlink_to(tmp_path / "no-such-file.txt")

    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    reasons = _reasons(report.skipped)
    for name in ("p.txt", "passwd.txt", "via-dotdot.md"):
        assert reasons[name].startswith("is a symbolic link to a file outside the corpus folder, which is never read")
    assert reasons["dangling.txt"].startswith("is a broken symbolic link")
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert sorted(index.documents) == ["mini-csr-2024", "mini-no-2023"]
    assert not any("Hemmelig" in c.text or "root:" in c.text for c in index.chunks)
    assert corpus_files(corpus) == [corpus / "mini-csr-2024.txt", corpus / "mini-no-2023.txt"]
    # the links do not make the index look stale, and an unchanged corpus is still "up to date" with the reasons
    assert index_status(mini_settings) == "fresh"
    again = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert not again.written and set(_reasons(again.skipped)) == set(reasons)


def test_symlink_inside_the_corpus_is_followed(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    corpus = mini_settings.corpus_dir
    (corpus / "arkiv").mkdir()
    (corpus / "arkiv" / "gammel.txt").write_text("Gammel rapport\n\nVi plantede 77 egetræer.\n", encoding="utf-8")
    (corpus / "gammel-2020.txt").symlink_to(Path("arkiv") / "gammel.txt")
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert not report.skipped and "gammel-2020.txt" in report.embedded_files
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    assert any("77 egetræer" in c.text for c in index.chunks if c.doc_id == "gammel-2020")


def test_fifo_is_skipped_without_blocking(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    os.mkfifo(mini_settings.corpus_dir / "fifo.txt")  # opening it for reading would block forever
    (mini_settings.corpus_dir / "link-to-fifo.md").symlink_to("fifo.txt")
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    reasons = _reasons(report.skipped)
    assert reasons["fifo.txt"].startswith("is not a regular file (a FIFO, device or socket) and is never read")
    assert reasons["link-to-fifo.md"] == reasons["fifo.txt"]
    assert report.documents == 2


def test_cli_names_the_skipped_link(monkeypatch: pytest.MonkeyPatch, mini_settings: Settings,
                                    fake_embedder: FakeEmbedder) -> None:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    (mini_settings.corpus_dir / "p.txt").symlink_to("/etc/passwd")
    result = CliRunner().invoke(cli.main, ["index", "--corpus", str(mini_settings.corpus_dir),
                                           "--index", str(mini_settings.index_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (f"Skipped {mini_settings.corpus_dir / 'p.txt'}: is a symbolic link to a file outside the corpus folder"
            in result.output)


def test_size_limit_and_renamed_office_files(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    corpus = mini_settings.corpus_dir
    settings = mini_settings.with_overrides(max_file_mb=0.001)  # 1 kB of text
    (corpus / "stor.txt").write_text("Sygefravær " * 200, encoding="utf-8")  # 2.4 kB
    (corpus / "regneark.txt").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40)
    report = build_index(settings, embedder=fake_embedder, progress=False)
    reasons = _reasons(report.skipped)
    assert reasons["stor.txt"] == (
        "is 0.0 MB, over the 0.001 MB limit for text files (embedding it would take hours); "
        "split it into smaller files, or raise max_file_mb in rag.toml"
    )
    assert reasons["regneark.txt"].startswith("looks like a Word or Excel file (.docx/.xlsx) renamed to .txt")
    assert fake_embedder.embedded and report.documents == 2
    # known-bad, unchanged files do not force a rebuild, and their reasons are still reported
    again = build_index(settings, embedder=fake_embedder, progress=False)
    assert not again.written and _reasons(again.skipped) == reasons
    assert Settings().max_file_mb == 20 and Settings().max_pdf_mb == 100


def test_nul_characters_are_dropped_before_chunking(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    (mini_settings.corpus_dir / "nul-2024.txt").write_bytes(
        b"Rapport med nul\n\nVi gen\x00brugte 40 % af affaldet.\n"
    )
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    index = load_index(mini_settings.index_dir, mini_settings, fake_embedder)
    texts = [c.text for c in index.chunks if c.doc_id == "nul-2024"]
    assert texts and not any("\x00" in t for t in texts) and any("genbrugte 40 %" in t for t in texts)


def test_nul_stripping_keeps_page_offsets() -> None:
    from rag.index import _clean_text
    from rag.types import DocMeta

    text = "Side\x00 et\n\nSide to\x00\x00 her"
    doc = Document(DocMeta("d", "D", "da"), text, "d.pdf", "h", (PageSpan(1, 0, 10), PageSpan(2, 10, len(text))))
    clean = _clean_text(doc)
    assert clean.text == "Side et\n\nSide to her"
    assert [clean.text[p.start:p.end] for p in clean.pages] == ["Side et\n\n", "Side to her"]
    assert _clean_text(Document(doc.meta, "Lone \udcff", "x", "h")).text == "Lone \ufffd"


def test_upload_never_writes_through_a_link(mini_settings: Settings, fake_embedder: FakeEmbedder,
                                            tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("original\n", encoding="utf-8")
    (mini_settings.corpus_dir / "rapport.txt").symlink_to(victim)
    with pytest.raises(UploadError, match="exists in the corpus as a link, folder or special file"):
        validate_upload("rapport.txt", b"Ny tekst\n", mini_settings.corpus_dir, overwrite=True)
    assert victim.read_text(encoding="utf-8") == "original\n"


def test_upload_of_a_renamed_office_file_and_one_size_limit(mini_settings: Settings,
                                                            fake_embedder: FakeEmbedder) -> None:
    with pytest.raises(UploadError, match="looks like a Word or Excel file .* renamed to .txt"):
        validate_upload("tal.txt", b"PK\x03\x04" + b"\x00" * 100, mini_settings.corpus_dir)
    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1_000_000 == 25_000_000
    with pytest.raises(UploadError, match=f"the limit is {MAX_UPLOAD_MB} MB"):
        validate_upload("stor.pdf", b"%PDF-" + b"x" * MAX_UPLOAD_BYTES, mini_settings.corpus_dir)
    config = (Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert f"maxUploadSize = {MAX_UPLOAD_MB}\n" in config
    small = mini_settings.with_overrides(max_file_mb=0.0001)  # the indexing limit applies to uploads too
    with pytest.raises(UploadError, match="the limit is 0 MB"):
        add_to_corpus("lang.txt", b"Tekst " * 100, small, embedder=fake_embedder)


def test_new_folders_and_files_honour_the_umask(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    old = os.umask(0o022)
    try:
        build_index(mini_settings, embedder=fake_embedder, progress=False)
        add_to_corpus("ny.txt", "Ny rapport\n\nVi plantede 5 træer.\n".encode(), mini_settings,
                      embedder=fake_embedder)
    finally:
        os.umask(old)
    generation = current_generation(mini_settings.index_dir)
    assert generation is not None
    assert stat.S_IMODE(generation.stat().st_mode) == 0o755
    assert stat.S_IMODE((generation / "lexical").stat().st_mode) == 0o755
    assert stat.S_IMODE((generation / "chunks.jsonl").stat().st_mode) == 0o644
    assert stat.S_IMODE((mini_settings.index_dir / "CURRENT").stat().st_mode) == 0o644
    assert stat.S_IMODE((mini_settings.corpus_dir / "ny.txt").stat().st_mode) == 0o644
