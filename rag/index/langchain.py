"""A loaded index as a LangChain vector store, whichever store holds it (FAISS files or PostgreSQL + pgvector).

Read-only on purpose: documents enter through the corpus and `rag index` (which keeps the manifest, the facts and
the lexical side in step); `add_texts` would bypass all of that. `as_retriever()` gives dense-only retrieval; the
hybrid retriever (`rag.answer.retrieve.HybridRetriever`) is the LangChain retriever the answerer uses.

>>> store = IndexVectorStore(load_index(settings.index_dir, settings))
>>> store.similarity_search_with_score("eNPS 2024", k=3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from rag.index import Index
from rag.index.embed import LangChainEmbeddings, embed_query
from rag.types import Chunk

_READ_ONLY = "The index is filled from the corpus: add files to corpus/ and run `rag index` (or upload in the app)."


def chunk_document(chunk: Chunk, score: float | None = None) -> LCDocument:
    """A chunk at LangChain's seam: its text, with provenance (and the similarity) as metadata."""
    metadata: dict[str, Any] = {
        "chunk_id": chunk.id,
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "page": chunk.page,
        "section": chunk.section,
        "year": chunk.year,
        "kind": chunk.kind,
    }
    if score is not None:
        metadata["score"] = score
    return LCDocument(page_content=chunk.text, id=chunk.id, metadata=metadata)


class IndexVectorStore(VectorStore):
    """Dense search over an index's store (FAISS or pgvector HNSW) behind LangChain's `VectorStore` interface."""

    def __init__(self, index: Index) -> None:
        self.index = index

    @property
    def embeddings(self) -> Embeddings:
        return LangChainEmbeddings(self.index.embedder)

    def similarity_search_by_vector_with_score(
        self, embedding: Sequence[float], k: int = 4
    ) -> list[tuple[LCDocument, float]]:
        """The `k` chunks nearest to a query vector, with cosine similarity (vectors are normalised)."""
        vector = np.asarray(embedding, dtype=np.float32)
        vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
        found = self.index.store.dense_search(vector, min(k, len(self.index.chunks)))
        return [(chunk_document(self.index.chunks[i], s), s) for i, s in found]

    def similarity_search_with_score(self, query: str, k: int = 4, **kwargs: Any) -> list[tuple[LCDocument, float]]:
        return self.similarity_search_by_vector_with_score(embed_query(self.index.embedder, query).tolist(), k)

    def similarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[LCDocument]:
        return [doc for doc, _ in self.similarity_search_with_score(query, k)]

    def similarity_search_by_vector(self, embedding: list[float], k: int = 4, **kwargs: Any) -> list[LCDocument]:
        return [doc for doc, _ in self.similarity_search_by_vector_with_score(embedding, k)]

    def _select_relevance_score_fn(self) -> Callable[[float], float]:
        return lambda similarity: (1.0 + similarity) / 2.0  # cosine in [-1, 1] → relevance in [0, 1]

    def add_texts(
        self, texts: Iterable[str], metadatas: list[dict[str, Any]] | None = None, *, ids: list[str] | None = None,
        **kwargs: Any,
    ) -> list[str]:
        raise NotImplementedError(_READ_ONLY)

    @classmethod
    def from_texts(
        cls, texts: list[str], embedding: Embeddings, metadatas: list[dict[str, Any]] | None = None, *,
        ids: list[str] | None = None, **kwargs: Any,
    ) -> IndexVectorStore:
        raise NotImplementedError(_READ_ONLY)
