"""Builds write a new generation and publish it with one atomic step; failures at any point keep the old index."""

from __future__ import annotations

import errno
import os
import re
import threading
import time
from collections import namedtuple
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import rag
from rag import cli
from rag.config import Settings
from rag.errors import IndexBusyError, IndexWriteError
from rag.index import LOCK_NAME, build_index, current_generation, index_status, load_index
from tests.conftest import FakeEmbedder

NEW = "Ny rapport 2024\n\nVi har plantet 300 bøgetræer ved hospitalet.\n"


def _entries(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name not in (LOCK_NAME, "CURRENT"))


def _assert_old_index_served(settings: Settings, embedder: FakeEmbedder, generation: Path) -> None:
    assert current_generation(settings.index_dir) == generation
    index = load_index(settings.index_dir, settings, embedder)
    assert sorted(index.documents) == ["mini-csr-2024", "mini-no-2023"]
    assert _entries(settings.index_dir) == [generation.name]  # no half generation, no temp folder left


@pytest.fixture
def built(mini_settings: Settings, fake_embedder: FakeEmbedder) -> Path:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    (mini_settings.corpus_dir / "ny-2024.txt").write_text(NEW, encoding="utf-8")
    generation = current_generation(mini_settings.index_dir)
    assert generation is not None
    return generation


def test_crash_between_build_and_publish_keeps_the_previous_index(
    built: Path, mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def power_cut(directory: Path, name: str) -> None:
        assert (directory / name / "manifest.json").is_file()  # the new generation is complete, not published
        raise RuntimeError("power cut")

    monkeypatch.setattr("rag.index._publish", power_cut)
    with pytest.raises(RuntimeError, match="power cut"):
        build_index(mini_settings, embedder=fake_embedder, progress=False)
    _assert_old_index_served(mini_settings, fake_embedder, built)
    assert index_status(mini_settings) == "stale"  # the corpus changed and is not indexed yet
    monkeypatch.undo()
    assert build_index(mini_settings, embedder=fake_embedder, progress=False).documents == 3


def test_a_killed_build_leaves_only_litter_that_the_next_build_removes(
    built: Path, mini_settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    index_dir = mini_settings.index_dir
    (index_dir / ".tmp-gen-20200101T000000-000000-999").mkdir()  # killed while writing
    (index_dir / ".tmp-gen-20200101T000000-000000-999" / "chunks.jsonl").write_text("{")
    (index_dir / ".tmp-CURRENT-abc").write_text("gen-x")  # killed while publishing
    (index_dir / "gen-20200101T000000-000001-998").mkdir()  # killed between rename and publish
    assert current_generation(index_dir) == built
    load_index(index_dir, mini_settings, fake_embedder)  # readers ignore all of it
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert _entries(index_dir) == sorted([built.name, report.generation])


def test_old_generations_are_removed_keeping_the_previous_one(
    built: Path, mini_settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    names = [built.name]
    for n in range(3):
        (mini_settings.corpus_dir / "ny-2024.txt").write_text(NEW + f"Afsnit {n}.\n", encoding="utf-8")
        names.append(build_index(mini_settings, embedder=fake_embedder, progress=False).generation)
    assert len(set(names)) == 4
    assert _entries(mini_settings.index_dir) == sorted(names[-2:])


def test_ctrl_c_during_embedding_keeps_the_old_index_and_says_so(
    built: Path, mini_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Interrupted(FakeEmbedder):
        def embed_batch(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
            raise KeyboardInterrupt

    monkeypatch.setattr("rag.index.get_embedder", lambda settings: Interrupted())
    args = ["index", "--corpus", str(mini_settings.corpus_dir), "--index", str(mini_settings.index_dir),
            "--quiet"]
    runner = CliRunner()
    result = runner.invoke(cli.main, args)
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert result.output.strip() == (
        "Interrupted: nothing was changed; the previous index is still in use. Run `rag index` again to finish."
    )
    # chunk settings of the CLI differ from the fixture's; what matters is that the old generation still stands
    assert current_generation(mini_settings.index_dir) == built
    assert _entries(mini_settings.index_dir) == [built.name]
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: FakeEmbedder())
    assert runner.invoke(cli.main, args).exit_code == 0  # the lock was released


def test_read_only_index_folder_fails_before_anything_is_embedded(
    built: Path, mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, which ignores chmod: inject the error the write probe would meet.
    def read_only(directory: Path, prefix: str) -> tuple[int, Path]:
        raise OSError(errno.EROFS, "Read-only file system")

    calls_before = list(fake_embedder.calls)
    monkeypatch.setattr("rag.index._create_file", read_only)
    with pytest.raises(IndexWriteError) as info:
        build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert str(info.value) == (
        f"Cannot write to the index folder {mini_settings.index_dir} (Read-only file system); make it writable, "
        "or choose another folder with --index DIR (or RAG_INDEX_DIR). Nothing was changed."
    )
    assert fake_embedder.calls == calls_before  # never called
    monkeypatch.undo()
    _assert_old_index_served(mini_settings, fake_embedder, built)


def test_an_up_to_date_index_in_a_read_only_folder_is_fine(
    mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index(mini_settings, embedder=fake_embedder, progress=False)

    def read_only(directory: Path, prefix: str) -> tuple[int, Path]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("rag.index._create_file", read_only)
    report = build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert not report.written and report.documents == 2 and report.summary().startswith("2 documents")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_really_read_only_index_folder(built: Path, mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    os.chmod(mini_settings.index_dir, 0o555)
    try:
        with pytest.raises(IndexWriteError, match="Cannot write to the index folder"):
            build_index(mini_settings, embedder=fake_embedder, progress=False)
    finally:
        os.chmod(mini_settings.index_dir, 0o755)


def test_full_disk_fails_before_anything_is_embedded(
    built: Path, mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("rag.index.shutil.disk_usage", lambda path: usage(10**9, 10**9 - 50_000, 50_000))
    calls_before = list(fake_embedder.calls)
    with pytest.raises(IndexWriteError, match=r"Not enough disk space for the index in .*: it needs about 1\.\d MB "
                                              r"and 0\.1 MB are free\. Free some space"):
        build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert fake_embedder.calls == calls_before
    monkeypatch.undo()
    _assert_old_index_served(mini_settings, fake_embedder, built)


def test_disk_full_while_writing_keeps_the_previous_index(
    built: Path, mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, data: bytes) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("rag.index._write_file", full)
    with pytest.raises(IndexWriteError) as info:
        build_index(mini_settings, embedder=fake_embedder, progress=False)
    assert str(info.value) == (
        f"The disk holding {mini_settings.index_dir} is full (No space left on device); free some space and run "
        "`rag index` again. The previous index is still in use."
    )
    monkeypatch.undo()
    _assert_old_index_served(mini_settings, fake_embedder, built)


def test_cli_errors_for_an_unwritable_index_are_one_line(
    mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(cli.main, ["index", "--corpus", str(mini_settings.corpus_dir),
                                           "--index", str(blocker / "index"), "--quiet"])
    assert result.exit_code == 2 and fake_embedder.calls == []
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: Cannot write to the index folder {blocker / 'index'} (Not a directory)")


def _hold_lock(index_dir: Path, seconds: float, held: threading.Event) -> threading.Thread:
    from filelock import FileLock

    def hold() -> None:
        lock = FileLock(str((index_dir / LOCK_NAME).resolve()), is_singleton=True)
        with lock:
            held.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    return thread


def test_a_second_build_waits_for_the_first(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    mini_settings.index_dir.mkdir(parents=True)
    thread = _hold_lock(mini_settings.index_dir, 1.0, threading.Event())
    events: list[str] = []
    started = time.monotonic()
    report = build_index(mini_settings, embedder=fake_embedder, progress=False,
                         on_progress=lambda stage, done, total: events.append(stage))
    thread.join()
    assert events[0] == "waiting" and time.monotonic() - started >= 0.9 and report.written


def test_a_build_gives_up_after_the_timeout(mini_settings: Settings, fake_embedder: FakeEmbedder) -> None:
    mini_settings.index_dir.mkdir(parents=True)
    thread = _hold_lock(mini_settings.index_dir, 1.5, threading.Event())
    with pytest.raises(IndexBusyError, match=r"Another build of the index in .* has been running for over 0.2 s; "
                                             r"wait for it to finish \(or stop it\) and run `rag index` again\."):
        build_index(mini_settings, embedder=fake_embedder, progress=False, lock_timeout=0.2)
    thread.join()
    assert fake_embedder.calls == []


def test_two_builds_at_once_embed_once(mini_settings: Settings) -> None:
    embedders = [FakeEmbedder(), FakeEmbedder()]
    reports: list[object] = []

    def run(embedder: FakeEmbedder) -> None:
        reports.append(build_index(mini_settings, embedder=embedder, progress=False))

    threads = [threading.Thread(target=run, args=(e,)) for e in embedders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(reports) == 2
    assert sorted(e.embedded > 0 for e in embedders) == [False, True]  # the second found it up to date


def test_cli_progress_shows_an_eta(mini_settings: Settings, fake_embedder: FakeEmbedder,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    rag._answerers.clear()
    result = CliRunner().invoke(cli.main, ["index", "--corpus", str(mini_settings.corpus_dir),
                                           "--index", str(mini_settings.index_dir)])
    assert result.exit_code == 0
    # tqdm's "[elapsed<remaining, rate]": the remaining time is the ETA
    assert re.search(r"Embedding: 100%.*\[\d\d:\d\d<\d\d:\d\d", result.stderr), result.stderr
    assert re.search(r"Reading: 100%.*\[\d\d:\d\d<\d\d:\d\d", result.stderr)
