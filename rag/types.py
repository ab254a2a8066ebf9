"""Typed records that flow between the pipeline stages (ingest → chunk → index → retrieve → answer)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Language = Literal["da", "nb"]
ChunkKind = Literal["text", "fact"]


@dataclass(frozen=True)
class PageSpan:
    """Where one physical page sits in a document's text (character offsets, end exclusive)."""

    page: int
    start: int
    end: int
    label: str | None = None


@dataclass(frozen=True)
class DocMeta:
    """What we know about a document besides its text; from `corpus/manifest.toml` or guessed."""

    doc_id: str
    title: str
    language: Language
    year: int | None = None
    organisation: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Document:
    """One corpus file after ingest and repair: cleaned text plus page boundaries when the source has them."""

    meta: DocMeta
    text: str
    source: str
    content_hash: str
    pages: tuple[PageSpan, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def page_at(self, offset: int) -> PageSpan | None:
        """The page holding a character offset, or None for sources without pages."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span
        return self.pages[-1] if self.pages and offset >= self.pages[-1].end else None


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: a passage of a document, or a table row rendered as a self-contained sentence."""

    id: str
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    language: Language
    page: int | None = None
    page_label: str | None = None
    section: str | None = None
    year: int | None = None
    organisation: str | None = None
    kind: ChunkKind = "text"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(**data)


@dataclass(frozen=True)
class Fact:
    """One figure from a table row or a sentence: metric, year and value, with the exact source line(s)."""

    metric: str
    metric_key: str
    year: int
    value_text: str
    value: float | None
    unit: str | None
    doc_id: str
    source_text: str
    start: int
    end: int
    qualifier: str | None = None
    target: str | None = None
    page: int | None = None
    section: str | None = None
    table: str | None = None
    style: str | None = None
    # The table's header line(s) as printed, where the row's years/columns are named; quoted with the row
    # so that every year in a figure answer is found in its citation.
    header: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(**data)


@dataclass(frozen=True)
class Hit:
    """A chunk returned by retrieval with the scores that ranked it."""

    chunk: Chunk
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered source behind an answer: a person can open the document and find `quote`."""

    n: int
    doc_id: str
    title: str
    page: int | None
    section: str | None
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What `rag ask` returns; its `to_dict()` is the `rag ask --json` contract."""

    question: str
    answer: str
    abstained: bool
    language: Language
    citations: tuple[Citation, ...] = ()
    latency_ms: float = 0.0
    hits: tuple[Hit, ...] = field(default=(), compare=False, repr=False)
    # Numbers the code computed from cited facts (differences, % change); the grounding check accepts them.
    computed: tuple[str, ...] = ()
    # Sentences the grounding gate removed from a language model's answer, plus one if it fell back (rag.gate).
    gate_interventions: int = field(default=0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "citations": [c.to_dict() for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
        }


@dataclass(frozen=True)
class FigureAnswer:
    """A figure answered from typed facts: text with [n] markers, the cited rows, and code-computed numbers."""

    text: str
    citations: tuple[Citation, ...]
    facts: tuple[Fact, ...]
    computed: tuple[str, ...] = ()
