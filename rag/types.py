"""Typed records that flow between the pipeline stages (ingest → chunk → index → retrieve → answer)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rag.text.numbers import to_nordic

Language = Literal["da", "nb", "en"]  # questions are Danish or Norwegian; reports may also be English
# A language as written: Norwegian as Bokmål ("nb") or Nynorsk ("nn"), one language to the analyser, whose words
# differ ("sykefravær"/"sjukefråvær") as much as Danish and Bokmål do.
Written = Literal["da", "nb", "nn", "en"]
ChunkKind = Literal["text", "fact"]


@dataclass(frozen=True)
class PageSpan:
    """Where one physical page sits in a document's text (character offsets, end exclusive)."""

    page: int
    start: int
    end: int
    label: str | None = None


BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin at the page's top left


@dataclass(frozen=True)
class TableCell:
    """One cell of a table grid (the shape of docling-core's `TableCell`); an empty cell has text ""."""

    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    column_header: bool = False
    row_header: bool = False
    bbox: BBox | None = None


@dataclass(frozen=True)
class TableGrid:
    """A table read from positions: every cell at its row and column, header rows flagged, never shifted.

    `parents[r]` is the group row that row `r` belongs to ("Scope 1" under "Udledning"), or None.
    """

    page: int
    n_rows: int
    n_cols: int
    cells: tuple[TableCell, ...]
    title: str | None = None
    bbox: BBox | None = None
    parents: tuple[str | None, ...] = ()
    ruled: bool = False

    def cell(self, row: int, col: int) -> TableCell | None:
        """The cell covering (row, col), spans included."""
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None

    def text_rows(self) -> list[list[str]]:
        """The grid as text, "" where a cell is empty (a spanning cell's text sits in its first position)."""
        grid = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            grid[c.row][c.col] = c.text
        return grid

    @property
    def header_rows(self) -> int:
        """How many leading rows are column headers."""
        rows = {c.row for c in self.cells if c.column_header}
        n = 0
        while n in rows:
            n += 1
        return n

    def column_headers(self) -> list[str]:
        """Each column's header text, multi-line headers joined with a space."""
        grid = self.text_rows()
        heads = []
        for col in range(self.n_cols):
            parts = [grid[r][col] for r in range(self.header_rows) if grid[r][col]]
            heads.append(" ".join(parts))
        return heads

    def label_columns(self) -> int:
        """How many leading columns are row labels (cells flagged `row_header`); at least 1."""
        cols = {c.col for c in self.cells if c.row_header}
        n = 0
        while n in cols:
            n += 1
        return max(n, 1)

    def row_label(self, row: int) -> str:
        """The row's label: its row-header cells joined."""
        grid = self.text_rows()
        return " ".join(t for t in grid[row][: self.label_columns()] if t)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableGrid:
        cells = tuple(
            TableCell(**{**c, "bbox": tuple(c["bbox"]) if c.get("bbox") else None}) for c in data["cells"]
        )
        bbox = tuple(data["bbox"]) if data.get("bbox") else None
        return cls(**{**data, "cells": cells, "bbox": bbox, "parents": tuple(data.get("parents", ()))})


@dataclass(frozen=True)
class PageText:
    """One physical PDF page as the index sees it: text in reading order, tables as grids, what was dropped."""

    page: int  # physical page number, 1-based
    text: str  # reading order; blocks separated by blank lines; tables rendered as tab-separated rows
    tables: tuple[TableGrid, ...] = ()
    label: str | None = None  # the printed page label, where the PDF defines one
    dropped: tuple[str, ...] = ()  # running headers, footers, page numbers, navigation rails, found by repetition
    images: int = 0  # how many images the page holds (a page of pictures and no text is reported)

    @property
    def nearly_empty(self) -> bool:
        """Almost no text: a cover, a photo page or an image-only table (OCR is out of scope)."""
        return sum(ch.isalnum() for ch in self.text) < 40

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["nearly_empty"] = self.nearly_empty
        data["tables"] = [{**t.to_dict(), "rows": t.text_rows()} for t in self.tables]
        return data


@dataclass(frozen=True)
class DocMeta:
    """What we know about a document besides its text; from `corpus/manifest.toml` or guessed."""

    doc_id: str
    title: str
    language: Language
    year: int | None = None
    organisation: str | None = None
    country: str | None = None
    # Other names of the organisation the document states: acronyms, subsidiaries, brands.
    aliases: tuple[str, ...] = ()
    nynorsk: bool = False  # a Norwegian document written in Nynorsk (`rag.text.language.is_nynorsk`)
    english_notation: bool = False  # "1,300.5" is 1300,5 (`rag.text.numbers.english_notation`)


@dataclass(frozen=True)
class Document:
    """One corpus file after ingest and repair: cleaned text plus page boundaries when the source has them."""

    meta: DocMeta
    text: str
    source: str
    content_hash: str
    pages: tuple[PageSpan, ...] = ()
    tables: tuple[TableGrid, ...] = ()
    empty_pages: tuple[int, ...] = ()  # pages with almost no text (photos, image-only tables): reported, not read

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
    english_notation: bool = False  # the document's numbers are printed the English way (`DocMeta`)

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
    # The document writes numbers the English way ("20,110", "5.8"): `value_text` is printed the Nordic way in
    # Danish and Norwegian answers; the quote keeps the source's own notation.
    english: bool = False
    # The group row the row is printed under ("Energigjenvinning" over "Trevirke"): part of what the row names.
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def printed(self) -> str:
        """The value as a Danish or Norwegian sentence prints it ("20,110" → "20.110", "5.8" → "5,8")."""
        return to_nordic(self.value_text) if self.english else self.value_text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(**data)


@dataclass(frozen=True)
class OrgScope:
    """The documents a question may be answered from, and why (resolved by `rag.answer.scope.Scoper`)."""

    doc_ids: frozenset[str] | None = None  # None: the question names no organisation, country or place
    names: tuple[str, ...] = ()  # the names the question uses, as written
    unknown: str | None = None  # a name the corpus does not hold: answer with an abstention
    org_names: tuple[str, ...] = ()  # the names that are organisations or countries (not what is asked about)

    def allows(self, doc_id: str) -> bool:
        return self.doc_ids is None or doc_id in self.doc_ids


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
    # Sentences the grounding gate removed from a language model's answer, plus one if it fell back (rag.answer.gate).
    gate_interventions: int = field(default=0, compare=False)
    # Follow-up questions the reports can answer, offered when an abstention found the subject elsewhere
    # (another year, organisation or country; `rag.answer.compose.explain_gap`).
    suggestions: tuple[str, ...] = ()
    # The typed facts the answer states (a figure answer's `FigureAnswer.facts`): the app marks exactly these
    # cells in the cited rows and draws a trend from them, instead of reading numbers back out of the text.
    facts: tuple[Fact, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "citations": [c.to_dict() for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            **({"suggestions": list(self.suggestions)} if self.suggestions else {}),
        }


@dataclass(frozen=True)
class FigureAnswer:
    """A figure answered from typed facts: text with [n] markers, the cited rows, and code-computed numbers."""

    text: str
    citations: tuple[Citation, ...]
    facts: tuple[Fact, ...]
    computed: tuple[str, ...] = ()
