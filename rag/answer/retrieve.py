"""Hybrid retrieval: Nordic BM25 + e5 dense, reciprocal rank fusion, metadata filters, year awareness."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from rag.answer.query import QueryInfo, parse_query, years_in
from rag.config import Settings
from rag.index import Index
from rag.types import Chunk, DocMeta, Hit

Mode = Literal["hybrid", "dense", "lexical"]
# How many candidates each side contributes before fusion; filters apply to these.
_POOL = 100
# Chunks that mention a year the question asks about get this bonus, in RRF units of rank 1.
_YEAR_BONUS = 0.5


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some documents, organisations, report years or languages (empty = all)."""

    doc_ids: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()

    def allows(self, chunk: Chunk) -> bool:
        return self.allows_document(DocMeta(chunk.doc_id, chunk.title, chunk.language, chunk.year, chunk.organisation))

    def allows_document(self, meta: DocMeta) -> bool:
        return (
            (not self.doc_ids or meta.doc_id in self.doc_ids)
            and (not self.organisations or meta.organisation in self.organisations)
            and (not self.years or meta.year in self.years)
            and (not self.languages or meta.language in self.languages)
        )

    @property
    def active(self) -> bool:
        return bool(self.doc_ids or self.organisations or self.years or self.languages)


def _mentions_year(chunk: Chunk, years: Sequence[int]) -> bool:
    """The chunk names an asked year, or comes from that year's report (where the year goes without saying)."""
    return chunk.year in years or not set(years).isdisjoint(years_in(chunk.text))


def rrf(rankings: Sequence[tuple[Sequence[int], float]], k: int) -> dict[int, float]:
    """Reciprocal rank fusion: each ranking adds weight / (k + rank) for every item it ranks (rank from 1)."""
    fused: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


class HybridRetriever(BaseRetriever):
    """Fuses lexical and dense rankings; also a LangChain retriever returning `Document`s with scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    settings: Settings
    k: int = 8
    filters: Filters | None = None

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        info: QueryInfo | None = None,
    ) -> list[Hit]:
        """The top `k` chunks for a query, each with its dense, lexical and fused scores."""
        k = k or self.k
        filters = filters or self.filters or Filters()
        info = info or parse_query(query, self.index.newest_year)
        chunks = self.index.chunks
        pool = _POOL if not filters.active else len(chunks)

        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        if mode in ("hybrid", "dense"):
            dense = [(i, s) for i, s in self.index.dense_search(query, pool) if filters.allows(chunks[i])][:_POOL]
        if mode in ("hybrid", "lexical"):
            found = self.index.lexical_search(query, info.language, pool)
            lexical = [(i, s) for i, s in found if filters.allows(chunks[i])][:_POOL]

        dense_rank = {i: r for r, (i, _) in enumerate(dense, start=1)}
        lexical_rank = {i: r for r, (i, _) in enumerate(lexical, start=1)}
        dense_score = dict(dense)
        lexical_score = dict(lexical)
        if mode == "dense":
            fused = {i: s for i, s in dense}
        elif mode == "lexical":
            fused = {i: s for i, s in lexical}
        else:
            fused = rrf(
                [
                    ([i for i, _ in dense], self.settings.dense_weight),
                    ([i for i, _ in lexical], self.settings.lexical_weight),
                ],
                self.settings.rrf_k,
            )
            years = info.years or (tuple(range(info.year_range[0], info.year_range[1] + 1)) if info.year_range else ())
            if years:
                bonus = _YEAR_BONUS / (self.settings.rrf_k + 1)
                for i in fused:
                    if _mentions_year(chunks[i], years):
                        fused[i] += bonus
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            Hit(
                chunk=chunks[i],
                score=score,
                dense_score=dense_score.get(i),
                lexical_score=lexical_score.get(i),
                dense_rank=dense_rank.get(i),
                lexical_rank=lexical_rank.get(i),
            )
            for i, score in ranked
        ]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[LCDocument]:
        return [hit_to_document(hit) for hit in self.search(query)]


def hit_to_document(hit: Hit) -> LCDocument:
    """A hit at LangChain's seam: the chunk text with its provenance and scores as metadata."""
    c = hit.chunk
    return LCDocument(
        page_content=c.text,
        id=c.id,
        metadata={
            "chunk_id": c.id,
            "doc_id": c.doc_id,
            "title": c.title,
            "page": c.page,
            "section": c.section,
            "kind": c.kind,
            "score": hit.score,
            "dense_score": hit.dense_score,
            "lexical_score": hit.lexical_score,
        },
    )
