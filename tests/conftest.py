"""Shared fixtures: a deterministic fake embedder and a tiny Danish/Norwegian corpus copied per test."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.index import Index

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).resolve().parent.parent


class FakeEmbedder:
    """Bag of hashed words: texts sharing words are similar. Deterministic across runs and machines."""

    id = "fake-hash-64"
    dim = 64

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed_batch(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
            if not out[row].any():
                out[row, 0] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    @property
    def embedded(self) -> int:
        return sum(self.calls)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", target)
    return target


@pytest.fixture
def mini_settings(tmp_path: Path, mini_corpus: Path) -> Settings:
    return Settings(
        corpus_dir=mini_corpus,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        chunk_tokens=60,
        chunk_overlap=10,
    )


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's rag.toml or RAG_* variables."""
    for key in list(__import__("os").environ):
        if key.startswith("RAG_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("RAG_CONFIG", str(FIXTURES / "no-such-rag.toml"))


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, Settings]:
    """The bundled corpus indexed with the default e5 embedder, once per test session (a fresh clone has none)."""
    from rag.index import build_index, load_index
    from rag.index.embed import get_embedder

    root = tmp_path_factory.mktemp("bundled")
    corpus = root / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    embedder = get_embedder(settings)
    build_index(settings, embedder=embedder, progress=False)
    return load_index(settings.index_dir, settings, embedder), settings
