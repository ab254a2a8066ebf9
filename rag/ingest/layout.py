"""Geometry shared by the PDF reader and the table finder: words with boxes, lines, and the XY-cut reading order."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Word:
    """A word with its box in PDF points (origin top left) and its font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 10.0
    font: str = ""

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class TextLine:
    """Words that share a baseline, left to right."""

    words: list[Word] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)


def join_words(words: Sequence[Word]) -> str:
    """Words of one line joined with single spaces, in x order."""
    return " ".join(w.text for w in sorted(words, key=lambda w: w.x0))


def group_lines(words: Sequence[Word]) -> list[TextLine]:
    """Words → lines: a word joins the line whose vertical middle band it overlaps; lines sorted top to bottom."""
    lines: list[TextLine] = []
    for w in sorted(words, key=lambda w: (round(w.mid_y, 1), w.x0)):
        for line in reversed(lines[-6:]):
            top, bottom = line.top, line.bottom
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.5 * min(bottom - top, w.height):
                line.words.append(w)
                break
        else:
            lines.append(TextLine([w]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def split_segments(line: TextLine, gap: float) -> list[TextLine]:
    """A line cut where two words are further apart than `gap`: the cells of a table row, or two columns."""
    segments: list[TextLine] = [TextLine([line.words[0]])]
    for prev, w in zip(line.words, line.words[1:], strict=False):
        if w.x0 - prev.x1 > gap:
            segments.append(TextLine([w]))
        else:
            segments[-1].words.append(w)
    return segments


# --- reading order by recursive XY-cut ------------------------------------------------------------------------


@dataclass
class Box:
    """Something with a place on the page that the reading order arranges: a word, or a whole table."""

    x0: float
    x1: float
    top: float
    bottom: float
    item: object


def merged_intervals(intervals: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping or touching intervals joined: the columns a set of boxes occupies along one axis."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def interval_gaps(intervals: Sequence[tuple[float, float]], minimum: float) -> list[tuple[float, float]]:
    """The empty stretches between merged intervals at least `minimum` wide: gutters and paragraph gaps."""
    merged = merged_intervals(intervals)
    return [(a[1], b[0]) for a, b in zip(merged, merged[1:], strict=False) if b[0] - a[1] >= minimum]


@dataclass(frozen=True)
class CutSettings:
    """Thresholds of the XY-cut, in multiples of the region's median font size."""

    gutter: float = 0.9  # a column gutter is at least this wide
    paragraph: float = 0.7  # a vertical gap that separates blocks rather than lines
    min_side_chars: int = 12  # a column holds at least this many characters (a bullet column is not one)


def _chars(boxes: Sequence[Box]) -> int:
    return sum(len(getattr(b.item, "text", "")) or 40 for b in boxes)


def _vertical_cuts(boxes: Sequence[Box], em: float, cfg: CutSettings) -> list[list[Box]] | None:
    gaps = interval_gaps([(b.x0, b.x1) for b in boxes], cfg.gutter * em)
    if not gaps:
        return None
    edges = [g[0] for g in gaps] + [float("inf")]
    parts: list[list[Box]] = [[] for _ in edges]
    for b in boxes:
        parts[next(i for i, e in enumerate(edges) if b.x1 <= e + 0.01)].append(b)
    # A narrow side of bullets or numbers belongs to the text beside it, not a column of its own.
    if any(_chars(p) < cfg.min_side_chars for p in parts):
        return None
    return parts


def _horizontal_cuts(boxes: Sequence[Box], minimum: float) -> list[list[Box]] | None:
    gaps = interval_gaps([(b.top, b.bottom) for b in boxes], minimum)
    if not gaps:
        return None
    edges = [g[0] for g in gaps] + [float("inf")]
    parts: list[list[Box]] = [[] for _ in edges]
    for b in boxes:
        parts[next(i for i, e in enumerate(edges) if b.bottom <= e + 0.01)].append(b)
    return [p for p in parts if p]


def _shares_gutter(upper: Sequence[Box], lower: Sequence[Box], em: float, cfg: CutSettings) -> bool:
    """Columns that run on across a gap: cutting there would read the columns' halves in the wrong order."""
    a = interval_gaps([(b.x0, b.x1) for b in upper], cfg.gutter * em)
    b = interval_gaps([(x.x0, x.x1) for x in lower], cfg.gutter * em)
    return any(min(g[1], h[1]) - max(g[0], h[0]) > 0 for g in a for h in b)


def xy_cut(boxes: Sequence[Box], em: float, cfg: CutSettings = CutSettings()) -> list[list[Box]]:
    """Boxes → blocks in reading order: columns left to right, blocks top to bottom, recursively."""
    if len(boxes) <= 1:
        return [list(boxes)] if boxes else []
    columns = _vertical_cuts(boxes, em, cfg)
    if columns:
        return [block for part in columns for block in xy_cut(part, em, cfg)]
    for minimum in (cfg.paragraph * em, 0.05 * em):
        bands = _horizontal_cuts(boxes, minimum)
        if not bands or len(bands) < 2:
            continue
        # Merge bands across which a column layout continues; cut only where the layout changes.
        merged: list[list[Box]] = [bands[0]]
        for band in bands[1:]:
            if _shares_gutter(merged[-1], band, em, cfg):
                merged[-1] = merged[-1] + band
            else:
                merged.append(band)
        fine = minimum < cfg.paragraph * em
        if fine and not any(_vertical_cuts(part, em, cfg) for part in merged):
            break  # line gaps of one column of text: one block, not a block per line
        if len(merged) > 1:
            return [block for part in merged for block in xy_cut(part, em, cfg)]
        # The bands share a gutter that the whole region does not have (a few words cross it): split at it.
        return _split_at_shared_gutter(merged[0], em, cfg)
    return [list(boxes)]


def _split_at_shared_gutter(boxes: Sequence[Box], em: float, cfg: CutSettings) -> list[list[Box]]:
    """Columns with a stray word across the gutter: cut at the most common gutter, stray words go left."""
    gaps = interval_gaps([(b.x0, b.x1) for b in boxes if b.x1 - b.x0 < 20 * em], cfg.gutter * em)
    if not gaps:
        return [list(boxes)]
    edge = gaps[0][0]
    left = [b for b in boxes if b.x0 < edge]
    right = [b for b in boxes if b.x0 >= edge]
    if not left or not right:
        return [list(boxes)]
    return xy_cut(left, em, cfg) + xy_cut(right, em, cfg)
