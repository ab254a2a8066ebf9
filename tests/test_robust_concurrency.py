"""Readers in other processes load the index while it is rebuilt: no failed load, never files of two builds mixed."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import re
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest

from rag.config import Settings
from rag.index import build_index, load_index
from tests.conftest import FakeEmbedder

MARKER = "marker-2024.txt"
BUILDS = 20
LOADS = 200


def marker_text(n: int) -> str:
    """A report whose title, text, table fact and content hash all say which build wrote it."""
    return (f"Byggerapport {n}\n\nByggenummer {n} er skrevet i denne rapport.\n\n"
            f"Appendiks\n\n\tEnhed\t2024\t2023\nByggenumre\tantal\t{n}\t{n - 1}\n")


def _settings(corpus: Path, index: Path) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=index, chunk_tokens=60, chunk_overlap=10)


def _build_number(index: Any) -> list[str]:
    """Problems when the loaded generation is not one build's files: every part must name the same build."""
    manifest = index.manifest
    problems = []
    if manifest["generation"] != index.directory.name:
        problems.append(f"manifest of {manifest['generation']} in {index.directory.name}")
    n = int(re.fullmatch(r"Byggerapport (\d+)", index.documents["marker-2024"].title).group(1))  # documents.json
    texts = " ".join(c.text for c in index.chunks if c.doc_id == "marker-2024")  # chunks.jsonl
    if f"Byggenummer {n} " not in texts or any(f"Byggenummer {m} " in texts for m in range(BUILDS + 2) if m != n):
        problems.append(f"chunks of another build than {n}")
    values = {f.value for f in index.facts if f.doc_id == "marker-2024" and f.year == 2024}  # facts.jsonl
    if values != {float(n)}:
        problems.append(f"facts {values} for build {n}")
    if manifest["files"][MARKER] != hashlib.sha256(marker_text(n).encode()).hexdigest():  # manifest.json
        problems.append(f"manifest hash not of build {n}")
    if index.vectors.ntotal != len(index.chunks) or index.lexical.size != len(index.chunks):  # faiss, lexical
        problems.append("vectors or lexical index of another size")
    return problems


def reader(corpus: str, index_dir: str, ready: Any, go: Any, builds_done: Any, results: Any) -> None:
    settings = _settings(Path(corpus), Path(index_dir))
    embedder = FakeEmbedder()
    load_index(settings.index_dir, settings, embedder)  # warm up imports before the clock starts
    ready.set()
    go.wait()
    loads, failures, mixed, generations = 0, [], [], set()
    deadline = time.monotonic() + 120
    while (loads < LOADS or not builds_done.is_set()) and time.monotonic() < deadline:
        loads += 1
        try:
            index = load_index(settings.index_dir, settings, embedder)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            failures.append(f"{type(exc).__name__}: {exc}")
            continue
        generations.add(index.generation)
        mixed.extend(_build_number(index))
    results.put({"pid": os.getpid(), "loads": loads, "failures": failures, "mixed": mixed,
                 "generations": len(generations)})


def test_loads_during_rebuilds_never_fail_or_mix(mini_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, index_dir = mini_settings.corpus_dir, mini_settings.index_dir
    embedder = FakeEmbedder()
    (corpus / MARKER).write_text(marker_text(0), encoding="utf-8")
    build_index(mini_settings, embedder=embedder, progress=False)

    ctx = mp.get_context("spawn")
    # spawn re-runs the parent's __main__ in each child; after an AppTest that is the Streamlit app. Start clean.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    ready = [ctx.Event(), ctx.Event()]
    go, builds_done, results = ctx.Event(), ctx.Event(), ctx.Queue()
    readers = [ctx.Process(target=reader, args=(str(corpus), str(index_dir), r, go, builds_done, results))
               for r in ready]
    for p in readers:
        p.start()
    try:
        for r in ready:
            assert r.wait(60), "a reader did not start"
        go.set()
        generations = []
        for n in range(1, BUILDS + 1):
            tmp = corpus / f".{MARKER}.part"
            tmp.write_text(marker_text(n), encoding="utf-8")
            os.replace(tmp, corpus / MARKER)
            report = build_index(mini_settings, embedder=embedder, progress=False)
            assert report.written and report.embedded_files == [MARKER]
            generations.append(report.generation)
        builds_done.set()
        outcomes = [results.get(timeout=120) for _ in readers]
    finally:
        builds_done.set()
        for p in readers:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    assert len(set(generations)) == BUILDS
    for outcome in outcomes:
        assert outcome["loads"] >= LOADS
        assert outcome["failures"] == [], outcome["failures"][:3]
        assert outcome["mixed"] == [], outcome["mixed"][:3]
    assert min(o["generations"] for o in outcomes) >= 3  # each reader really read while the builds published
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 2
