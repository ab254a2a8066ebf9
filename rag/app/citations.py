"""What a citation shows, so that a reader can check it in seconds.

A table citation becomes a small table: the header row and the cited row, with only the cited cell marked. The
row is rebuilt from the typed facts (`rag.types.Fact`) of that row, never by looking for the answer's number in
the quoted line, which would mark the "30" of "(under 30 dage)" or the "1" of "Scope 1". A text citation becomes
the quoted sentence with one sentence of context either side, read from the index's chunks. A trend answer (one
figure over several years) becomes a series of (year, value, source) for a table and a chart.

Which cells an answer cites comes from `Answer.facts` when the answerer fills it; otherwise from the figures of
the answer's sentence that carries the citation's marker, narrowed to the years the question names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from rag.app.chat import escape_markdown
from rag.text.numbers import find_numbers, find_years, is_no_value, same_number
from rag.types import Answer, Chunk, Citation, Fact, Language

_TABLE_STYLES = frozenset({"tsv", "grid", "space-rows", "year-lines", "label-value", "percent-count"})
_MARKER = re.compile(r"\\\[(\d+)\\\]")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces: quotes are stored collapsed, sources as printed."""
    return " ".join(text.split())


def _same_fact(a: Fact, b: Fact) -> bool:
    return (a.doc_id, a.start, a.year, a.qualifier, a.value_text) == (b.doc_id, b.start, b.year, b.qualifier,
                                                                        b.value_text)


# --- which facts a citation quotes ---------------------------------------------------------------------


def row_facts(citation: Citation, facts: Sequence[Fact], answer_facts: Sequence[Fact] = ()) -> list[Fact]:
    """The facts of the one source row a citation quotes (same document, the row's text inside the quote).

    When the answer names its facts, the row is theirs; otherwise the longest row found in the quote wins (a
    short row such as "2019 92" may also occur inside a longer one).
    """
    quote = squash(citation.quote)
    quoted = [f for f in answer_facts if f.doc_id == citation.doc_id and squash(f.source_text) in quote]
    if not quoted:
        quoted = [f for f in facts if f.doc_id == citation.doc_id and f.source_text.strip()
                  and squash(f.source_text) in quote]
    if not quoted:
        return []
    best = max(quoted, key=lambda f: (len(squash(f.source_text)), -f.start))
    return [f for f in facts if f.doc_id == best.doc_id and f.start == best.start] or [
        f for f in quoted if f.start == best.start
    ]


def cited_figures_in(answer_text: str, n: int) -> list[str]:
    """The figures of the answer's sentence(s) that carry marker [n] (after the verb, years left out).

    Only a fallback for answers without `Answer.facts`; see `cited_cells`.
    """
    from rag.app.chat import cited_figures

    return cited_figures(answer_text, n)


def cited_cells(answer: Answer, citation: Citation, row: Sequence[Fact]) -> list[Fact]:
    """The facts of `row` the answer states with this citation: exactly `Answer.facts` when the answer has them."""
    if answer.facts:
        return [f for f in row if any(_same_fact(f, g) for g in answer.facts)]
    years = set(find_years(answer.question))
    matched: list[Fact] = []
    for figure in cited_figures_in(answer.answer, citation.n):
        cells = [f for f in row if not is_no_value(f.value_text) and same_number(f.value_text, figure)]
        if len(cells) > 1 and years:  # the same value in two columns: the year asked decides
            cells = [f for f in cells if f.year in years] or cells
        matched += [f for f in cells if not any(f is m for m in matched)]
    return [f for f in row if any(f is m for m in matched)]


# --- the small table -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowTable:
    """A cited row as a small table: the header row, the row's cells, and which cells the answer cites."""

    title: str | None
    headers: tuple[str, ...]
    cells: tuple[str, ...]
    highlight: frozenset[int]

    def markdown(self) -> str:
        """A Markdown table (strict-escaped) with only the cited cells marked."""
        head = "| " + " | ".join(escape_markdown(h) or " " for h in self.headers) + " |"
        rule = "|" + "|".join("---" for _ in self.headers) + "|"
        cells = []
        for i, cell in enumerate(self.cells):
            text = escape_markdown(cell) or " "
            cells.append(f":orange-background[**{text}**]" if i in self.highlight else text)
        return "\n".join([head, rule, "| " + " | ".join(cells) + " |"])


def _tab_header(header: str | None) -> list[str] | None:
    """The header line(s) printed above a tab-separated row, merged column by column."""
    if not header or "\t" not in header:
        return None
    lines = [line.split("\t") for line in header.split("\n") if "\t" in line]
    width = max(len(line) for line in lines)
    merged = [""] * width
    for line in lines:
        pad = [""] * (width - len(line)) + line
        merged = [" ".join(p for p in (a.strip(), b.strip()) if p) for a, b in zip(merged, pad, strict=True)]
    return merged


def _tsv_table(row: Sequence[Fact], cited: Sequence[Fact]) -> RowTable | None:
    first = row[0]
    headers = _tab_header(first.header)
    if headers is None or "\t" not in first.source_text:
        return None
    cells = [c.strip() for c in first.source_text.split("\t")]
    width = max(len(headers), len(cells))
    headers = [""] * (width - len(headers)) + headers
    cells = [""] * (width - len(cells)) + cells
    marked: set[int] = set()
    for fact in cited:
        year = str(fact.year)
        value = [j for j, c in enumerate(cells) if c and same_number(c, fact.value_text)]
        by_year = [j for j in value if headers[j] == year] or [j for j in value if year in headers[j].split()]
        if by_year:
            marked.add(by_year[0])
        elif len(value) == 1:
            marked.add(value[0])
    return RowTable(first.table, tuple(headers), tuple(cells), frozenset(marked))


def _column_label(fact: Fact, row: Sequence[Fact]) -> str:
    years = {f.year for f in row}
    qualifiers = {f.qualifier for f in row}
    if len(qualifiers) <= 1:
        return str(fact.year)
    if len(years) == 1:
        return fact.qualifier or ""
    return f"{fact.year} {fact.qualifier or ''}".strip()


def _fact_table(row: Sequence[Fact], cited: Sequence[Fact], language: Language) -> RowTable:
    """A table built from the row's facts, for rows printed without tabs (space-aligned, year lines, m/k)."""
    from rag.app.i18n import t

    first = row[0]
    printed = find_years(first.header or "")
    order = {year: i for i, year in reversed(list(enumerate(printed)))}
    facts = sorted(enumerate(row), key=lambda p: (order.get(p[1].year, len(order) + 2100 - p[1].year), p[0]))
    units = [f.unit for f in row if f.unit and f.style != "percent-count"]
    targets = [f.target for f in row if f.target]
    headers = [""]
    cells = [squash(first.metric.replace("*", ""))]
    if units:
        headers.append(t(language, "unit"))
        cells.append(units[0])
    if targets:
        headers.append(t(language, "target"))
        cells.append(targets[0])
    marked: set[int] = set()
    for _, fact in facts:
        if any(_same_fact(fact, c) for c in cited):
            marked.add(len(cells))
        headers.append(_column_label(fact, row))
        cells.append(fact.value_text)
    return RowTable(first.table, tuple(headers), tuple(cells), frozenset(marked))


def row_table(row: Sequence[Fact], cited: Sequence[Fact], language: Language = "da") -> RowTable | None:
    """The small table of a cited row, or None for a fact that is not a table cell (a fact box, running text)."""
    if not row or row[0].style not in _TABLE_STYLES:
        return None
    return _tsv_table(row, cited) or _fact_table(row, cited, language)


def marked_figures(text: str, cited: Sequence[Fact]) -> str:
    """Strict-escaped Markdown of a fact's own line (a fact box, a sentence) with its value marked.

    Only numbers that state a cited fact's value are marked, so a label's own number stays plain.
    """
    spans: list[tuple[int, int]] = []
    for match in find_numbers(text):
        if any(same_number(match.text, f.value_text) for f in cited):
            spans.append((match.start, match.end))
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(escape_markdown(text[pos:start]))
        out.append(f":orange-background[**{escape_markdown(text[start:end])}**]")
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "".join(out)


# --- the sentence in its context ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentText:
    """A document's text as the index holds it (its chunks joined on their offsets), from `offset` on."""

    doc_id: str
    text: str
    offset: int

    @classmethod
    def from_chunks(cls, doc_id: str, chunks: Sequence[Chunk]) -> DocumentText:
        own = sorted((c for c in chunks if c.doc_id == doc_id and c.kind == "text"), key=lambda c: c.start)
        if not own:
            return cls(doc_id, "", 0)
        start = own[0].start
        buffer = [" "] * (max(c.end for c in own) - start)
        for chunk in own:
            buffer[chunk.start - start : chunk.start - start + len(chunk.text)] = list(chunk.text)
        return cls(doc_id, "".join(buffer), start)

    @cached_property
    def _squashed(self) -> tuple[str, list[int]]:
        """The text with whitespace collapsed, and where each of its characters stands in `text`."""
        chars: list[str] = []
        positions: list[int] = []
        previous_space = True
        for i, ch in enumerate(self.text):
            if ch.isspace():
                if not previous_space:
                    chars.append(" ")
                    positions.append(i)
                previous_space = True
                continue
            chars.append(ch)
            positions.append(i)
            previous_space = False
        return "".join(chars), positions

    def find(self, passage: str) -> tuple[int, int] | None:
        """Where a whitespace-collapsed passage stands in the text (offsets into `text`), or None."""
        target = squash(passage)
        text, positions = self._squashed
        at = text.find(target) if target else -1
        if at < 0:
            return None
        return positions[at], positions[at + len(target) - 1] + 1


@dataclass(frozen=True)
class TextContext:
    """A quoted passage with the sentence before and after it (either may be empty)."""

    before: str
    quote: str
    after: str

    def markdown(self) -> str:
        """Strict-escaped Markdown: the context in grey, the quote marked."""
        parts = []
        if self.before:
            parts.append(f":gray[{escape_markdown(self.before)}]")
        parts.append(f":orange-background[{escape_markdown(self.quote)}]")
        if self.after:
            parts.append(f":gray[{escape_markdown(self.after)}]")
        return " ".join(parts)


def _sentences(text: str) -> list[str]:
    from rag.text.sentences import split_sentences

    return split_sentences(text)


def quoted_passages(citation: Citation) -> list[str]:
    """The pieces of a quote to look for in the document: a "header … row" quote is looked up by its row."""
    return [p for p in (squash(part) for part in citation.quote.split(" … ")) if p][::-1]


def text_context(citation: Citation, document: DocumentText) -> TextContext:
    """The quote with one sentence of its paragraph either side, or the bare quote when it cannot be placed."""
    quote = squash(citation.quote)
    span = document.find(quote)
    if span is None:
        first = _sentences(citation.quote)
        span = document.find(first[0]) if first else None
        if span is not None:
            quote = squash(first[0])
    if span is None:
        return TextContext("", quote, "")
    start, end = span
    # context comes from the quote's own paragraph: a heading or the next section is not context
    head = re.split(r"\n\s*\n", document.text[max(0, start - 1500) : start])[-1]
    tail = re.split(r"\n\s*\n", document.text[end : end + 1500])[0]
    before = [s for s in _sentences(head) if s.endswith((".", "!", "?", ":"))]
    after = [s for s in _sentences(tail) if s.endswith((".", "!", "?", ":"))]
    return TextContext(before[-1] if before else "", quote, after[0] if after else "")


# --- trends ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """One year of a figure, with the citation that states it."""

    year: int
    value: float
    text: str
    n: int
    source: str


@dataclass(frozen=True)
class Trend:
    """One figure over several years: the series a trend answer states."""

    label: str
    unit: str | None
    points: tuple[TrendPoint, ...]


def _label(fact: Fact) -> str:
    label = squash(fact.metric.replace("*", ""))
    if fact.qualifier and fact.qualifier.lower() not in label.lower():
        label = f"{label}, {fact.qualifier}"
    return label


def answer_trends(answer: Answer, facts: Sequence[Fact], language: Language = "da") -> list[Trend]:
    """The series a trend answer states (two or more years of one figure), from its cited facts, oldest first."""
    series: dict[tuple[str, str], dict[int, TrendPoint]] = {}
    units: dict[tuple[str, str], str | None] = {}
    for citation in answer.citations:
        row = row_facts(citation, facts, answer.facts)
        for fact in cited_cells(answer, citation, row) if row else []:
            if fact.value is None:
                continue
            key = (_label(fact), (fact.unit or "").lower())
            units.setdefault(key, fact.unit)
            points = series.setdefault(key, {})
            if fact.year not in points:
                points[fact.year] = TrendPoint(fact.year, fact.value, fact.value_text, citation.n,
                                               citation_heading(citation, language))
    out = []
    for key, points in series.items():
        if len(points) >= 2:
            out.append(Trend(key[0], units[key], tuple(points[y] for y in sorted(points))))
    return out


# --- labels and export ------------------------------------------------------------------------------------------


def citation_heading(citation: Citation, language: Language = "da") -> str:
    """"[1] Aleris CSR-rapport 2025 · s. 4 · Medarbejdersundhed" (plain text; escape before showing)."""
    from rag.app.i18n import t

    parts = [citation.title]
    if citation.page:
        parts.append(t(language, "page_short", page=citation.page))
    section = citation.section
    if section and section != citation.title:
        parts.append(section if len(section) <= 70 else section[:67] + "…")
    return f"[{citation.n}] " + " · ".join(parts)


def linked_answer(text: str, anchor: str) -> str:
    """The answer as strict-escaped Markdown whose [n] markers link to the citation anchors `{anchor}-{n}`."""
    return _MARKER.sub(lambda m: f"[\\[{m.group(1)}\\]](#{anchor}-{m.group(1)})", escape_markdown(text))


def answer_export(question: str, answer: Answer, language: Language = "da") -> str:
    """An answer with its question and numbered sources as plain Markdown, for copying or downloading."""
    from rag.app.i18n import t

    lines = [f"## {t(language, 'export_question')}", "", question, "", f"## {t(language, 'export_answer')}", "",
             answer.answer, ""]
    if answer.citations:
        lines += [f"## {t(language, 'export_sources')}", ""]
        for c in answer.citations:
            where = citation_heading(c, language).split("] ", 1)[1]
            lines.append(f"{c.n}. {where}: »{squash(c.quote)}«")
    return "\n".join(lines).rstrip() + "\n"
