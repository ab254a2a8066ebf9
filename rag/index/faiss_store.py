"""The embedded store: a flat FAISS inner-product index and a bm25s index, held in memory, saved per generation."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from rag.index.lexical import LexicalIndex
from rag.index.store import StoredDocument
from rag.text.analysis import Analyzer
from rag.types import Chunk, Language


class FaissStore:
    """Exact search over every vector plus BM25; the default, with nothing to run besides this process.

    Loaded from a generation folder (`vectors.faiss`, `lexical/`), or built from `StoredDocument`s; after
    `add_documents` / `remove_documents` the FAISS and BM25 indexes are rebuilt on the next search or save
    (both are rebuilt whole in milliseconds for thousands of chunks, so there is no incremental variant).
    """

    name = "faiss"

    def __init__(self, dim: int, vectors: Any = None, lexical: LexicalIndex | None = None,
                 chunks: Sequence[Chunk] = ()) -> None:
        self.dim = dim
        self._documents: dict[str, StoredDocument] = {}
        self._chunks = list(chunks)
        self._vectors = vectors
        self._lexical = lexical
        self._vocabulary: frozenset[str] = frozenset()

    # --- reading -------------------------------------------------------------------------------------

    @property
    def chunks(self) -> list[Chunk]:
        self._refresh()
        return self._chunks

    @property
    def vectors(self) -> Any:
        """The `faiss.IndexFlatIP` over `chunks`, in the same order."""
        self._refresh()
        return self._vectors

    @property
    def lexical(self) -> LexicalIndex:
        self._refresh()
        assert self._lexical is not None
        return self._lexical

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        self._refresh()
        if not self._chunks or k <= 0:
            return []
        scores, ids = self._vectors.search(np.asarray(vector, dtype=np.float32).reshape(1, -1),
                                           min(k, len(self._chunks)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical_search(self, query: str, language: Language, k: int) -> list[tuple[int, float]]:
        return self.lexical.search(query, language, k)

    # --- writing -------------------------------------------------------------------------------------

    def add_documents(self, documents: Sequence[StoredDocument], vocabulary: frozenset[str]) -> None:
        for document in documents:
            self._documents[document.source] = document
        self._vocabulary = vocabulary
        self._vectors = None  # rebuilt on the next read

    def remove_documents(self, sources: Collection[str]) -> None:
        for source in sources:
            self._documents.pop(source, None)
        self._vectors = None

    def vector_bytes(self) -> bytes:
        """The FAISS index serialised (`faiss.serialize_index`), for `vectors.faiss`; no pickle."""
        import faiss

        data: bytes = faiss.serialize_index(self.vectors).tobytes()
        return data

    def _refresh(self) -> None:
        """Rebuild FAISS and BM25 from the documents after a change (documents in the order they were added)."""
        if self._vectors is not None:
            return
        import faiss

        documents = list(self._documents.values())
        self._chunks = [c for d in documents for c in d.chunks]
        vectors = faiss.IndexFlatIP(self.dim)
        if self._chunks:
            vectors.add(np.concatenate([d.vectors for d in documents]).astype(np.float32, copy=False))
        self._vectors = vectors
        tokens = [list(t) for d in documents for t in d.tokens]
        self._lexical = LexicalIndex.from_tokens(tokens, Analyzer(self._vocabulary), self._vocabulary)
