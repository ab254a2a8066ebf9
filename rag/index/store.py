"""The store seam: where an index keeps chunk vectors and lexical postings, and how it searches them.

Two implementations behind one `Store` protocol, chosen by `Settings.store` (`rag.toml` or `RAG_STORE`):

- `faiss` (`rag.index.faiss_store`, the default): embedded; a flat FAISS index and a bm25s index written into each
  generation folder of the index, loaded into memory.
- `postgres` (`rag.index.postgres`): PostgreSQL + pgvector; tables for documents, chunks and facts, an HNSW index
  on the embeddings and the analyser's tokens in a `tsvector` column (GIN) scored with BM25 in SQL. Updates are
  incremental, one transaction per document.

Both take the same `StoredDocument`s (chunks with vectors and lexical tokens made by the same corpus analyser), so
both rank with the same BM25 and the same vectors; fusion stays in `rag.answer.retrieve` (RRF).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Protocol, runtime_checkable

import numpy as np

from rag.index.lexical import analyse_chunks
from rag.text.analysis import Analyzer
from rag.types import Chunk, DocMeta, Fact, Language


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the passage with its document and section, so short rows keep context."""
    context = " — ".join(part for part in (chunk.title, chunk.section) if part)
    return f"{context}\n{chunk.text}" if context else chunk.text


@dataclass(frozen=True)
class StoredDocument:
    """One document as a store holds it, keyed by its file name: metadata, chunks with vectors and tokens, facts."""

    source: str
    content_hash: str
    meta: DocMeta
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray  # (len(chunks), dim) float32, L2-normalised
    tokens: tuple[tuple[str, ...], ...]  # each chunk's lexical tokens (rag.index.lexical.analyse_chunks)
    facts: tuple[Fact, ...] = ()

    @cached_property
    def signature(self) -> str:
        """A hash of everything a store keeps of the document: unchanged signature, nothing to write."""
        digest = hashlib.sha256()
        payload = {
            "content_hash": self.content_hash,
            "meta": asdict(self.meta),
            "chunks": [c.to_dict() for c in self.chunks],
            "tokens": self.tokens,
            "facts": [f.to_dict() for f in self.facts],
        }
        digest.update(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(np.ascontiguousarray(self.vectors, dtype=np.float32).tobytes())
        return digest.hexdigest()[:32]


class Lexicon(Protocol):
    """A store's lexical side as the answer stage sees it: the corpus analyser, the chunk count, BM25 search."""

    @property
    def analyzer(self) -> Analyzer: ...

    @property
    def size(self) -> int: ...

    def search(self, query: str, language: Language, k: int) -> list[tuple[int, float]]: ...


@runtime_checkable
class Store(Protocol):
    """Search and update the chunks of one index.

    Searches return (position in `chunks`, score) pairs, best first: positions into the chunk list as the store
    last loaded it, so the retriever and the answerer can keep addressing chunks by position.
    """

    name: str

    @property
    def chunks(self) -> list[Chunk]: ...

    @property
    def lexical(self) -> Lexicon: ...

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The `k` chunks nearest to a normalised query vector by inner product (= cosine similarity)."""
        ...

    def lexical_search(self, query: str, language: Language, k: int) -> list[tuple[int, float]]:
        """Up to `k` chunks by BM25 over the analysed query; chunks without any query term are left out."""
        ...

    def add_documents(self, documents: Sequence[StoredDocument], vocabulary: frozenset[str]) -> None:
        """Add or replace documents (by source); `vocabulary` is the analyser's, kept to analyse queries alike."""
        ...

    def remove_documents(self, sources: Collection[str]) -> None:
        """Remove documents by source (file name); unknown ones are ignored."""
        ...


def stored_documents(
    spans: Sequence[tuple[str, str, DocMeta, int, int, int, int]],
    chunks: Sequence[Chunk],
    matrix: np.ndarray,
    facts: Sequence[Fact],
) -> tuple[list[StoredDocument], frozenset[str]]:
    """Cut a build's flat lists into documents, with every chunk's tokens from one corpus-wide analyser.

    `spans` holds (source, content hash, meta, first chunk, end chunk, first fact, end fact) per document.
    """
    _, token_lists, vocabulary = analyse_chunks(chunks)
    documents = [
        StoredDocument(
            source=source,
            content_hash=content_hash,
            meta=meta,
            chunks=tuple(chunks[c0:c1]),
            vectors=matrix[c0:c1],
            tokens=tuple(tuple(t) for t in token_lists[c0:c1]),
            facts=tuple(facts[f0:f1]),
        )
        for source, content_hash, meta, c0, c1, f0, f1 in spans
    ]
    return documents, vocabulary


def sync_documents(store: Store, documents: Sequence[StoredDocument], signatures: dict[str, str],
                   vocabulary: frozenset[str]) -> tuple[list[str], list[str]]:
    """Make a store hold exactly `documents`: remove the others, write only those whose signature changed.

    `signatures` is what the store holds now (source → signature). Returns (written, removed) sources.
    """
    wanted = {d.source for d in documents}
    removed = sorted(s for s in signatures if s not in wanted)
    changed = [d for d in documents if signatures.get(d.source) != d.signature]
    if removed:
        store.remove_documents(removed)
    store.add_documents(changed, vocabulary)
    return [d.source for d in changed], removed
