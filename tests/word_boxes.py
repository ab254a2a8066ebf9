"""Word boxes as a PDF page would give them, for reader tests on invented layouts (no PDF needed)."""

from __future__ import annotations

from rag.ingest.layout import Word

SIZE = 8.5  # table text


def words(line: str, x: float, top: float, size: float = SIZE) -> list[Word]:
    """One printed segment: its words with boxes about as wide as Helvetica sets them."""
    out = []
    for text in line.split(" "):
        width = 0.5 * size * len(text)
        out.append(Word(text, x, x + width, top, top + size, size))
        x += width + 0.28 * size
    return out


def right(text: str, x1: float, top: float, size: float = SIZE) -> list[Word]:
    """A right-aligned figure ending at `x1`."""
    return words(text, x1 - 0.5 * size * len(text), top, size)
