"""The app's rebuild repairs a damaged index, and its upload rolls back on failure, with one clear message each."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from rag.config import Settings
from rag.index import current_generation, index_status
from tests.test_app import app_env, built, plain, start  # noqa: F401 - fixtures used by name

TEXT = "Grøn rapport 2024\n\nVi plantede 300 træer ved hospitalet i Odense i 2024.\n".encode()


def test_rebuild_button_repairs_a_damaged_index(built: Settings) -> None:  # noqa: F811
    generation = current_generation(built.index_dir)
    assert generation is not None
    shutil.rmtree(generation / "lexical")
    assert index_status(built) == "damaged"
    at = start()
    message = plain(at.error[0].value)
    assert message.startswith("Rapportsamlingen kan ikke bruges – klik «Genopbyg indeks» i sidepanelet.")
    assert "lexical" in message and "is missing" in message
    at.button(key="rebuild-broken").click().run()
    assert not at.exception
    assert index_status(built) == "fresh"
    assert at.title[0].value == "Spørg CSR-rapporterne"  # reran into the chat


def test_upload_failure_in_the_app_keeps_the_old_file(built: Settings,  # noqa: F811
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    at = start()
    at.sidebar.file_uploader(key="upload-0").set_value(("grøn rapport.txt", TEXT, "text/plain")).run()
    at.sidebar.button(key="upload-go-0").click().run()
    target = built.corpus_dir / "grøn-rapport.txt"
    assert target.read_bytes() == TEXT
    generation = current_generation(built.index_dir)

    def full(path: Path, data: bytes) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("rag.index._write_file", full)
    at.sidebar.file_uploader(key="upload-1").set_value(("grøn rapport.txt", TEXT.replace(b"300", b"400"),
                                                        "text/plain")).run()
    at.sidebar.checkbox(key="overwrite-1").check().run()
    at.sidebar.button(key="upload-go-1").click().run()
    assert not at.exception
    message = plain(at.sidebar.error[0].value)
    assert message.startswith("Filen kunne ikke tilføjes.  \nTekniske detaljer: grøn-rapport.txt was not added: The "
                              "disk holding")
    assert message.endswith("The previous index is still in use. The previous version of the file is kept.")
    assert target.read_bytes() == TEXT and current_generation(built.index_dir) == generation


def test_unwritable_index_folder_in_the_app(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    at = start()

    def read_only(directory: Path, prefix: str) -> tuple[int, Path]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("rag.index._create_file", read_only)
    (built.corpus_dir / "ny.txt").write_bytes(TEXT)  # something to write (a fresh index needs no writing)
    at.sidebar.button(key="rebuild").click().run()
    assert not at.exception
    message = plain(at.sidebar.error[0].value)
    assert message.startswith("Samlingen kunne ikke gemmes; den hidtidige udgave bruges stadig.  \nTekniske detaljer: "
                              "Cannot write to the index folder")
