"""Tables from word positions: aligned columns of numeric cells (and ruling lines where present) → `TableGrid`.

A table is found by geometry, never by its words: lines whose right-hand segments are numbers, stacked with
their numbers in the same x-ranges, are rows of one table. Columns are the unions of those x-ranges, so a cell
is read under its own column and an empty cell stays empty. Lines above the first row that sit over the
columns are header rows; a label line with no values is either the wrapped part of its neighbour's label or a
group row that becomes the parent of the rows under it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from rag.ingest.layout import (
    TextLine,
    Word,
    group_lines,
    interval_gaps,
    join_words,
    merged_intervals,
    split_segments,
)
from rag.text.units import BRACKETED_UNIT, PRINTED_UNIT
from rag.types import BBox, TableCell, TableGrid

# A value cell: a number as printed in any of our notations (1.567 / 1 567 / 1,567 / 3,18 / (12) / -4 / 5 %),
# a no-value dash, or a short marker such as n/a.
_NUMBER = r"[-−–+]?\(?[-−–]?\d[\d.,  ]*\)?(?:\s?%|\s?‰)?\*{0,3}[⁰¹²³⁴⁵⁶⁷⁸⁹]{0,2}"
_VALUE = re.compile(rf"^(?:{_NUMBER}|[-–—]|n/?a|n\.?m\.?|i/?r)$", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"(?<=[\d%)])[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}$")
_VALUE_UNIT = re.compile(rf"^(?P<value>[-−–+]?\d[\d.,  ]*)\s?(?P<unit>{PRINTED_UNIT})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d\*?[¹²³]?$")


@dataclass(frozen=True)
class GridSettings:
    """Thresholds, in multiples of the median font size of the page (em)."""

    cell_gap: float = 0.75  # words further apart than this are in different cells
    row_gap: float = 2.6  # rows of one table are at most this far apart (wrapped labels in between count)
    header_gap: float = 2.2  # a header line sits at most this far above the first row
    continuation_gap: float = 0.55  # a wrapped label line is at most this far from its row
    heading_gap: float = 1.0  # a heading over a group of columns sits at most this far above its sub-headers


@dataclass
class _Row:
    """A table row under construction: its label words and its value segments."""

    lines: list[TextLine]
    values: list[TextLine]
    label_words: list[Word] = field(default_factory=list)
    texts: list[TextLine] = field(default_factory=list)
    parent: str | None = None
    group: bool = False

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.bottom for ln in self.lines)

    @property
    def label(self) -> str:
        return _join_label(self.label_words)


def _join_label(words: Sequence[Word]) -> str:
    lines = group_lines(list(words))
    text = ""
    for line in lines:
        part = line.text
        if text.endswith("-") and part[:1].islower():
            text = text[:-1] + part  # "Medarbejder-" / "omsætning": a word broken over two lines
        else:
            text = f"{text} {part}".strip()
    return _LEADER.sub("", text)  # "Bruttoareal ........" : the dots lead the eye to the figure


_LEADER = re.compile(r"\s*(?:[.…·]\s?){3,}$")


def is_value(text: str) -> bool:
    """A cell that holds a figure (or a no-value mark such as "–" or "n/a") rather than words."""
    t = text.strip()
    return bool(t) and bool(_VALUE.match(t) or _VALUE_UNIT.match(t))


def split_unit(text: str) -> tuple[str, str | None]:
    """A cell's figure and the unit printed with it ("1 240 m3" → ("1 240", "m3")); no unit: (text, None)."""
    text = _FOOTNOTE_MARK.sub("", text.strip())  # "450 161¹": the footnote mark is no part of the figure
    m = _VALUE_UNIT.match(text)
    return (m.group("value").strip(), m.group("unit")) if m else (text, None)


_HEADER_UNIT = re.compile(rf"(?:^|\s)\(?(?P<unit>{PRINTED_UNIT}|%|‰)\)?$", re.IGNORECASE)


_BRACKETED_UNIT = re.compile(rf"\((?P<unit>{BRACKETED_UNIT})\)$", re.IGNORECASE)


def header_unit(text: str) -> str | None:
    """The unit a column header ends with ("2022 tonn", "andel %", "vekt (kg)", "Ulykker (antal)"); else None."""
    m = _HEADER_UNIT.search(text.strip()) or _BRACKETED_UNIT.search(text.strip())
    return m.group("unit") if m else None


def label_unit(text: str) -> str | None:
    """The unit in brackets at the end of a row label ("Energiforbruk (MWh)", "Avfall (tonn)"); else None.

    A bracket that names no unit ("Scope 2 (markedsbasert)") is part of the label, not its unit.
    """
    m = _BRACKETED_UNIT.search(_FOOTNOTE_MARK.sub("", text.strip()).strip())
    return m.group("unit") if m else None


def _is_year(text: str) -> bool:
    return bool(_YEAR.match(text.strip()))


def _headed_by_year(text: str) -> bool:
    """A header cell naming a year, alone or with words and no other figure ("2024", "2022 tonn", "Mål 2025")."""
    words = text.split()
    years = [w for w in words if _is_year(w)]
    return len(years) == 1 and not any(ch.isdigit() for w in words if w not in years for ch in w.replace("CO2", ""))


def _is_header_values(values: Sequence[TextLine]) -> bool:
    """A row of column headers: years ("2024", "Mål 2025") and words, but no figure that is not a year.

    "2022 tonn" reads as a figure with its unit; as a header it is a year, told from its neighbour "2022 andel %"
    by the unit.
    """
    texts = [v.text for v in values]
    return (
        any(_is_year(t) or _headed_by_year(t) for t in texts)
        and all(_is_year(t) or _headed_by_year(t) or not is_value(t) for t in texts)
        and len(texts) >= 2
    )


def _value_segments(line: TextLine, em: float, cfg: GridSettings) -> tuple[list[TextLine], list[TextLine]]:
    """A line's text segments and, to their right, its value segments (a value is never left of a label)."""
    segments = split_segments(line, cfg.cell_gap * em)
    # "1 567" comes out as two words a thin space apart: join digit groups that were split.
    values: list[TextLine] = []
    texts: list[TextLine] = []
    for i, seg in enumerate(segments):
        if i == 0 and _is_year(seg.text) and len(segments) > 1 and not all(_is_year(x.text) for x in segments):
            texts.append(seg)  # a table with years as rows: the year is the row's label
            continue
        if is_value(seg.text) and (texts or values or len(segments) > 1):
            values.append(seg)
        elif values:
            # Words right of a value: a text cell in a value column (e.g. "n/a" variants or a note).
            values.append(seg)
        else:
            texts.append(seg)
    if values and not any(is_value(v.text) for v in values):
        return segments, []
    return texts, values


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


@dataclass
class _Column:
    x0: float
    x1: float

    def takes(self, seg: TextLine) -> float:
        return _overlap(self.x0, self.x1, seg.x0, seg.x1)


def _columns(rows: Sequence[_Row]) -> list[_Column]:
    return [_Column(a, b) for a, b in merged_intervals([(v.x0, v.x1) for r in rows for v in r.values])]


def _text_columns(rows: Sequence[_Row], label_x0: float, em: float) -> None:
    """A unit or note column between the labels and the numbers ("%", "DKK", "n/a").

    Aligned text segments after the label on many rows become value segments of their own column.
    """
    # The last text segment of a row, when the row has a label before it or it stands right of the labels
    # (a row whose label lines sit above and below its values: "%" alone on the value line).
    lasts = [r.texts[-1] for r in rows if len(r.texts) >= 2 or (r.texts and r.texts[0].x0 >= label_x0 + 3 * em)]
    if len(lasts) < max(2, 0.3 * len(rows)):
        return
    lo = min(s.x0 for s in lasts)
    hi = max(s.x1 for s in lasts)
    if lo - label_x0 < 3 * em or hi - lo > 12 * em:
        return
    for r in rows:
        moved = [t for t in r.texts if t.x0 >= max(lo - 0.5 * em, label_x0 + 3 * em) and t.x1 <= hi + 0.5 * em]
        if moved:
            r.texts = [t for t in r.texts if t not in moved]
            r.values = moved + r.values
            r.label_words = [w for t in r.texts for w in t.words]


def _number_and_rest(seg: TextLine) -> tuple[TextLine, TextLine] | None:
    """A segment cut after its leading figure ("3.253 stk." → "3.253", "stk."); None when it is no such pair."""
    for k in range(1, len(seg.words)):
        head, rest = seg.words[:k], seg.words[k:]
        if rest[0].text[:1].isdigit() or not _VALUE.match(join_words(head)) or is_value(join_words(rest)):
            continue
        if not any(ch.isdigit() for ch in join_words(head)):
            continue
        return TextLine(list(head)), TextLine(list(rest))
    return None


def _unit_columns(rows: Sequence[_Row], cols: Sequence[_Column], em: float) -> bool:
    """A column of units printed right of a column of figures is a column of its own ("3.253 | stk.").

    Set close to the figures, a left-aligned unit column joins them into one segment per row ("3.253 stk.").
    Where the figures end on one edge, the words after them start on one edge, and a gap wider than a space
    lies between them on every such row, they are two columns: the figures right-aligned, the units left-aligned.
    A unit printed with its figure in one cell ("1 240 m3") is set a space apart and stays whole. A unit alone
    on its row (no figure printed) is taken from the row's label words when it starts on the units' edge.
    Returns whether any row changed.
    """
    changed = False
    for col in cols:
        pairs: list[tuple[_Row, TextLine, TextLine, TextLine]] = []
        for r in rows:
            # A figure whose unit is not one the reader knows ("1.929 stk.") was read as words after the label.
            for seg in [*r.texts[1:], *r.values]:
                if col.takes(seg) > 0:
                    cut = _number_and_rest(seg)
                    if cut is not None:
                        pairs.append((r, seg, *cut))
        if len(pairs) < 2:
            continue
        ends = [num.x1 for _, _, num, _ in pairs]
        starts = [rest.x0 for _, _, _, rest in pairs]
        if max(ends) - min(ends) > 0.3 * em or max(starts) - min(starts) > 0.3 * em:
            continue
        if any(rest.x0 - num.x1 <= _WORD_GAP * em for _, _, num, rest in pairs):
            continue
        edge = min(starts) - 0.3 * em
        for r, seg, num, rest in pairs:
            if seg in r.values:
                i = r.values.index(seg)
                r.values[i : i + 1] = [num, rest]
            else:
                r.texts = [t for t in r.texts if t is not seg]
                r.label_words = [w for t in r.texts for w in t.words]
                r.values = sorted([num, rest, *r.values], key=lambda v: v.x0)
        for r in rows:
            alone = [t for t in r.texts[1:] if abs(t.x0 - min(starts)) <= 0.3 * em and t.x0 >= edge]
            if alone and r.values:
                r.texts = [t for t in r.texts if t not in alone]
                r.label_words = [w for t in r.texts for w in t.words]
                r.values = sorted([*alone, *r.values], key=lambda s: s.x0)
        changed = True
    return changed


def _rules(page_lines: Sequence[dict[str, float]], x0: float, x1: float, top: float, bottom: float) -> list[float]:
    """Y positions of horizontal rules within top..bottom that cross most of the span x0..x1."""
    ys = []
    for ln in page_lines:
        if not top <= (ln["top"] + ln["bottom"]) / 2 <= bottom:
            continue
        if abs(ln["top"] - ln["bottom"]) <= 2.5 and _overlap(ln["x0"], ln["x1"], x0, x1) >= 0.5 * (x1 - x0):
            ys.append((ln["top"] + ln["bottom"]) / 2)
    return sorted(ys)


def _rule_between(rules: Sequence[float], a: float, b: float) -> bool:
    lo, hi = min(a, b), max(a, b)
    return any(lo < y < hi for y in rules)


@dataclass
class _Candidate:
    """Lines of the page from the first to the last row of one table, rows marked."""

    lines: list[TextLine]
    data: dict[int, tuple[list[TextLine], list[TextLine]]]  # line index → (text segments, value segments)


def _candidates(lines: Sequence[TextLine], em: float, cfg: GridSettings) -> list[_Candidate]:
    out: list[_Candidate] = []
    current: _Candidate | None = None
    last_bottom = 0.0
    labels_in_a_row = 0
    for n, line in enumerate(lines):
        texts, values = _value_segments(line, em, cfg)
        close = current is not None and line.top - last_bottom <= cfg.row_gap * em
        if not values and current is not None and close and len(texts) == 1 and is_value(texts[0].text):
            # A lone figure under a column of the table (its label lines sit above and below it) is a row.
            seg = texts[0]
            if any(_overlap(v.x0, v.x1, seg.x0, seg.x1) > 0 for _, vs in current.data.values() for v in vs):
                texts, values = [], [seg]
        year_header = _is_header_values(values)
        if values:
            if current is not None and close and not (year_header and current.data):
                current.lines.append(line)
            else:
                current = _Candidate([line], {})
                out.append(current)
                prev_line = lines[n - 1] if n > 0 else None
                if (
                    texts
                    and not year_header  # "tCO2e | 2024 | 2023": a header's corner, not a label's wrapped end
                    and texts[0].text[:1].islower()
                    and prev_line is not None
                    and line.top - prev_line.bottom <= 3 * cfg.continuation_gap * em
                    and len(split_segments(prev_line, cfg.cell_gap * em)) == 1
                ):
                    current.lines.insert(0, prev_line)  # "Acquisition of property, plant and" / "equipment, …"
            current.data[len(current.lines) - 1] = (texts, values)
            labels_in_a_row = 0
        elif (
            current is not None
            and close
            and len(line.text) <= 90
            and labels_in_a_row < 3
            and len(split_segments(line, cfg.cell_gap * em)) == 1  # several cells of words: a new table's header
        ):
            current.lines.append(line)  # a wrapped label or a group row, kept if a data row follows
            labels_in_a_row += 1
        else:
            current = None
            continue
        last_bottom = line.bottom
    for cand in out:  # trailing label lines after the last row belong to what follows the table
        last = max(cand.data)
        # ... except the wrapped end of the last row's label (up to three lines), see `_wrapped_tail`
        while last + 1 < len(cand.lines) and _wrapped_tail(cand, last, em, cfg):
            last += 1
        del cand.lines[last + 1 :]
    return _merge_candidates(out, lines, em, cfg)


def _wrapped_tail(cand: _Candidate, last: int, em: float, cfg: GridSettings) -> bool:
    """Whether the line after line `last` is the wrapped end of the last row's label, not text after the table.

    In a narrow column a label wraps over two or three lines ("Avfall for" / "datterselskaper" / "(tonn)"): a
    line close under the last row that continues the line above (lower case, a bracket, or the line above cannot
    end there) and stays in the label column (left of the figures; a note under the table runs across them).
    """
    row = max(cand.data)
    if last - row >= 3:
        return False
    nxt, above = cand.lines[last + 1], cand.lines[last]
    if nxt.top - above.bottom > 1.5 * cfg.continuation_gap * em:
        return False
    if nxt.text[:1].islower() and last == row:
        return True
    texts, values = cand.data[row]
    figures = min((v.x0 for v in values), default=nxt.x1)
    labels = min((t.x0 for t in texts), default=nxt.x0)
    in_labels = abs(nxt.x0 - labels) <= 0.6 * em and nxt.x1 < figures - cfg.cell_gap * em
    label = join_words([w for t in texts for w in t.words]) if last == row else above.text
    if not label and row > 0 and row - 1 not in cand.data:
        label = cand.lines[row - 1].text  # figures set between a label's lines: its first line is above them
    return (nxt.text[:1].islower() or nxt.text[:1] in "([/" or _open_end(label)) and in_labels


def _value_edges(cand: _Candidate) -> list[float]:
    return sorted({round(v.x1) for _, values in cand.data.values() for v in values})


def _merge_candidates(
    cands: list[_Candidate], lines: Sequence[TextLine], em: float, cfg: GridSettings
) -> list[_Candidate]:
    """Sections of one table split by group headings ("Omløpsmidler" / "Fordringer") are joined again."""
    if len(cands) < 2:
        return cands
    out = [cands[0]]
    for cand in cands[1:]:
        prev = out[-1]
        a, b = lines.index(prev.lines[-1]), lines.index(cand.lines[0])
        between = list(lines[a + 1 : b])
        tops = [prev.lines[-1].bottom] + [ln.top for ln in between] + [cand.lines[0].top]
        bottoms = [prev.lines[-1].bottom] + [ln.bottom for ln in between]
        gaps_ok = all(t - bt <= 4.5 * em for t, bt in zip(tops[1:], bottoms, strict=False))
        short = len(between) <= 3 and all(len(ln.text) <= 60 for ln in between)
        # A numbered caption between two sections starts a new table, however alike their columns are; so does
        # a line of column headings (several cells of words over the columns): the header of the next table.
        short = short and not any(is_caption(ln.text) or _heads_columns(ln, prev, cand, em, cfg) for ln in between)
        first = cand.data.get(0)
        if first and _is_header_values(first[1]):
            out.append(cand)  # a header row of its own: a new table
            continue
        right = _value_edges(prev)[-1:] + _value_edges(cand)[-1:]
        aligned = len(right) == 2 and abs(right[0] - right[1]) <= 1.5 * em
        if gaps_ok and short and aligned:
            offset = len(prev.lines) + len(between)
            prev.lines.extend(between + cand.lines)
            prev.data.update({offset + i: d for i, d in cand.data.items()})
        else:
            out.append(cand)
    return out


def _heads_columns(line: TextLine, prev: _Candidate, cand: _Candidate, em: float, cfg: GridSettings) -> bool:
    """A line of words with two or more cells over the value columns of the sections around it: a header line.

    A group heading between two sections of one table is a label alone in the label column; a table's header
    names its columns, one heading over each, in words or years. A row of text cells without a letter ("4,0%-10%")
    is a row of the table, not a header.
    """
    edges = [(v.x0 - 0.6 * em, v.x1 + 0.6 * em) for c in (prev, cand) for _, values in c.data.values() for v in values]
    segs = split_segments(line, cfg.cell_gap * em)
    over = [s for s in segs if any(_overlap(a, b, s.x0, s.x1) > 0 for a, b in edges)]
    if any(is_value(s.text) and not _is_year(s.text) for s in segs):
        return False
    return len(over) >= 2 and all(_is_year(s.text) or any(ch.isalpha() for ch in s.text) for s in over)


def _header_segments(
    line: TextLine, cols: Sequence[_Column], label_x0: float, em: float, cfg: GridSettings
) -> list[TextLine] | None:
    """The header cells of a line above a table, or None when the line is not part of the header.

    A segment that runs from the label column across the columns is a title, not a header cell: it is left out,
    and a line holding nothing else is no header line.
    """
    if len(line.text) > 160:
        return None
    segs = _header_cells(line, cols, em, cfg)
    over = [s for s in segs if any(c.takes(s) > 0 or abs(s.x1 - c.x1) < em for c in cols)]
    spanning = [s for s in over if sum(c.takes(s) > 0 for c in cols) >= 2 or s.x0 <= label_x0 + em]
    cells = [s for s in segs if s not in spanning]
    if not [s for s in cells if s in over]:
        return None
    return cells


def _nearest_column(x: float, cols: Sequence[_Column]) -> int:
    return min(range(len(cols)), key=lambda i: max(cols[i].x0 - x, x - cols[i].x1, 0.0))


def _header_cells(line: TextLine, cols: Sequence[_Column], em: float, cfg: GridSettings) -> list[TextLine]:
    """A header line's cells: its segments, each cut where it runs over columns (see `_split_at_columns`)."""
    return [piece for seg in split_segments(line, cfg.cell_gap * em) for piece in _split_at_columns(seg, cols, em)]


def _split_at_columns(seg: TextLine, cols: Sequence[_Column], em: float) -> list[TextLine]:
    """A header segment cut where words over different columns stand further apart than a space.

    Wrapped headers of narrow columns come close ("Brændstofforbrug korruptionssager" over two columns): each
    word goes to the column under it. A heading over a group of columns is set with plain spaces and stays whole.
    """
    if len(seg.words) < 2 or sum(c.takes(seg) > 0 for c in cols) < 2:
        return [seg]
    pieces = [TextLine([seg.words[0]])]
    for prev, word in zip(seg.words, seg.words[1:], strict=False):
        apart = word.x0 - prev.x1 > _WORD_GAP * em
        if apart and _nearest_column((prev.x0 + prev.x1) / 2, cols) != _nearest_column((word.x0 + word.x1) / 2, cols):
            pieces.append(TextLine([word]))
        else:
            pieces[-1].words.append(word)
    return pieces


_WORD_GAP = 0.45  # wider than a space between words (about 0.25–0.3 em)


def _build(cand: _Candidate, page: int, page_lines: Sequence[dict[str, float]], em: float,
           cfg: GridSettings, above: Sequence[TextLine], refs: Sequence[TextLine] = ()) -> TableGrid | None:
    rows: list[_Row] = []
    for i, line in enumerate(cand.lines):
        if i in cand.data:
            texts, values = cand.data[i]
            rows.append(_Row([line], values, [w for t in texts for w in t.words], list(texts)))
        else:
            rows.append(_Row([line], [], list(line.words)))
    # Leading rows whose values are all years are the header, not data.
    header_rows: list[_Row] = []
    while rows and rows[0].values and _is_header_values(rows[0].values):
        header_rows.append(rows.pop(0))
    data_rows = [r for r in rows if r.values]
    if len(data_rows) < 2:
        return None
    label_starts = [w.x0 for r in rows for w in r.label_words[:1]]
    if label_starts:
        _text_columns(data_rows, min(label_starts), em)
    cols = _columns(data_rows)
    if _unit_columns(data_rows, cols, em):
        cols = _columns(data_rows)
    if len(cols) < 1 or (len(cols) == 1 and len(data_rows) < 3):
        return None
    label_x1 = min(c.x0 for c in cols)
    label_x0 = min([w.x0 for r in rows for w in r.label_words[:1]] or [label_x1])
    _take_header(above, rows, header_rows, cols, label_x0, label_x1, em, cfg)
    boundary = _header_boundary(header_rows, rows, label_x1, em, cfg)
    if boundary is not None:
        _split_at(rows, boundary[0])
        cols = _columns([r for r in rows if r.values])
        if not any(_overlap(c.x0, c.x1, *boundary) > 0 for c in cols):
            cols = sorted([*cols, _Column(*boundary)], key=lambda c: c.x0)  # a column with a header and no values
        label_x1 = min(c.x0 for c in cols)
    for hr in header_rows[-1:]:
        cols.extend(_empty_last_columns(hr, cols, em, cfg))
    x0 = min([min(w.x0 for w in r.label_words) for r in rows if r.label_words] + [label_x1])
    x1 = max(c.x1 for c in cols)
    rules = _rules(page_lines, x0, x1, rows[0].top - em, rows[-1].bottom + em)
    _reference_headings(rows, refs, em)
    rows = _merge_wrapped(rows, rules, label_x1, em, cfg)
    under = _heading_rules(page_lines, header_rows, x0 + em, x1 + em)
    return _grid(page, rows, header_rows, cols, label_x1, x0, x1, rules, em, cfg, above, under)


def _reference_headings(rows: Sequence[_Row], refs: Sequence[TextLine], em: float) -> None:
    """A line of words alone with a note reference before it starts an item: a heading (group row), not a wrap.

    A reference marks where a line of the statement begins, so such a line does not end the label above it; it
    starts the label below it only when that one reads on from it (lower case, or its own last word is open).
    """
    for k, row in enumerate(rows):
        if row.values or not row.label_words:
            continue
        mid, start = (row.lines[0].top + row.lines[0].bottom) / 2, row.label_words[0].x0
        if not any(abs((seg.top + seg.bottom) / 2 - mid) <= 0.5 * em and seg.x1 <= start for seg in refs):
            continue
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if nxt is None or not (nxt.label[:1].islower() or _open_end(row.label)):
            row.group = True


def _heading_rules(
    page_lines: Sequence[dict[str, float]], header_rows: Sequence[_Row], left: float, right: float
) -> list[tuple[float, float, float]]:
    """Short horizontal rules between header lines, as (y, x0, x1): the rule under a heading over a column group.

    A rule from the table's left edge (across the label column) underlines the whole header, not one heading.
    """
    if len(header_rows) < 2:
        return []
    top, bottom = header_rows[0].top, header_rows[-1].top
    return [
        ((ln["top"] + ln["bottom"]) / 2, ln["x0"], ln["x1"])
        for ln in page_lines
        if abs(ln["top"] - ln["bottom"]) <= 2.5 and top < (ln["top"] + ln["bottom"]) / 2 < bottom
        and ln["x0"] > left and ln["x1"] <= right and ln["x1"] - ln["x0"] > 0
    ]


def _take_header(
    above: Sequence[TextLine],
    rows: list[_Row],
    header_rows: list[_Row],
    cols: Sequence[_Column],
    label_x0: float,
    label_x1: float,
    em: float,
    cfg: GridSettings,
) -> None:
    """Header lines above the table that sit over its columns, into `header_rows`.

    A label alone between them and the first row is the first group row ("Ombruk" over its materials), not the
    table's title: it goes into `rows`.
    """
    group: TextLine | None = None
    for line in reversed(above):
        first_top = header_rows[0].top if header_rows else group.top if group else rows[0].top
        if first_top - line.bottom > cfg.header_gap * em:
            break
        cells = _header_segments(line, cols, label_x0, em, cfg)
        if cells is None and header_rows and group is None:
            cells = _spanning_heading(line, header_rows[0], cols, label_x0, em, cfg)
        if cells is None:
            if header_rows or group is not None or not _label_only(line, label_x0, label_x1, em):
                break
            group = line
            continue
        if group is not None:
            rows.insert(0, _Row([group], [], list(group.words)))
            group = None
        header_rows.insert(0, _Row([TextLine([w for c in cells for w in c.words])], [], []))


def _spanning_heading(
    line: TextLine, below: _Row, cols: Sequence[_Column], label_x0: float, em: float, cfg: GridSettings
) -> list[TextLine] | None:
    """A line of headings set over groups of columns, right above their sub-headers; None when it is no such line.

    `_header_segments` leaves out a segment across several columns as a title, but a title starts over the label
    column or stands further up: a line closely above the sub-headers and within the columns they head is a
    heading ("Utslipp (kg CO2e)" over "A1-A3 A4 A5"), whose text belongs to the headers under it.
    """
    if len(line.text) > 100 or below.top - line.bottom > cfg.heading_gap * em:
        return None
    slack = 0.6 * em
    subs = [s for s in split_segments(below.lines[0], cfg.cell_gap * em)
            if s.x0 > label_x0 + em and any(_overlap(c.x0 - slack, c.x1 + slack, s.x0, s.x1) > 0 for c in cols)]
    if not subs:
        return None
    left = min(min(s.x0 for s in subs), min(c.x0 for c in cols)) - 0.5 * em
    right = max(max(s.x1 for s in subs), max(c.x1 for c in cols)) + 0.5 * em
    segs = split_segments(line, cfg.cell_gap * em)
    inside = all(left <= s.x0 and s.x1 <= right for s in segs)
    if not inside or not any(c.takes(s) > 0 for s in segs for c in cols):
        return None
    return segs


def _empty_last_columns(header: _Row, cols: Sequence[_Column], em: float, cfg: GridSettings) -> list[_Column]:
    """Columns with a header and no values right of the last column ("Som bygget" not yet filled in)."""
    right = max(c.x1 for c in cols)
    return [_Column(s.x0, s.x1) for s in split_segments(header.lines[0], cfg.cell_gap * em) if s.x0 > right + em]


def _label_only(line: TextLine, label_x0: float, label_x1: float, em: float) -> bool:
    """A short line in the label column only, starting where the labels start."""
    return abs(line.x0 - label_x0) <= em and line.x1 <= label_x1 and len(line.text) <= 60


def _header_boundary(
    header_rows: Sequence[_Row], rows: Sequence[_Row], label_x1: float, em: float, cfg: GridSettings
) -> tuple[float, float] | None:
    """A header cell printed left of the numbers but right of the labels ("Enhet", "Note") starts a column."""
    label_starts = [r.label_words[0].x0 for r in rows if r.label_words]
    if not label_starts:
        return None
    label_x0 = min(label_starts)
    found = []
    for hr in header_rows:
        for line in hr.lines:
            for seg in split_segments(line, cfg.cell_gap * em)[1:]:
                if seg.x1 <= label_x1 + 0.5 * em and seg.x0 > label_x0 + 2 * em:
                    found.append(seg)
    if not found:
        return None
    first = min(found, key=lambda seg: seg.x0)
    return first.x0 - 0.3 * em, first.x1


def _split_at(rows: Sequence[_Row], x: float) -> None:
    """Move each row's label words right of `x` into a value segment of their own (a unit or note column)."""
    for row in rows:
        moved = [w for w in row.label_words if w.x0 >= x]
        if not moved or not row.values:
            continue
        row.label_words = [w for w in row.label_words if w.x0 < x]
        row.texts = [TextLine([w for w in t.words if w.x0 < x]) for t in row.texts if any(w.x0 < x for w in t.words)]
        row.values = [TextLine(sorted(moved, key=lambda w: (w.top, w.x0))), *row.values]


def _merge_wrapped(
    rows: list[_Row], rules: Sequence[float], label_x1: float, em: float, cfg: GridSettings
) -> list[_Row]:
    """Label-only lines join the row they wrap from or into; the others become group rows (parents).

    A line with words only in the value columns is the wrapped rest of a text cell: it joins the nearer row.
    """
    rows = _join_label_runs(rows, label_x1, em, cfg)
    out: list[_Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.values or row.group:  # a group row already: a heading with a note reference
            out.append(row)
            i += 1
            continue
        prev = out[-1] if out and out[-1].values else None
        nxt = rows[i + 1] if i + 1 < len(rows) and rows[i + 1].values else None
        text = join_words(row.label_words)
        if row.label_words and min(w.x0 for w in row.label_words) >= label_x1 - 0.5 * em and (prev or nxt):
            target = min((r for r in (prev, nxt) if r is not None), key=lambda r: abs(r.top - row.top))
            target.values.append(TextLine(list(row.label_words)))
            target.lines.append(row.lines[0])
            i += 1
            continue
        near_prev = prev is not None and row.top - prev.bottom <= cfg.continuation_gap * em * (
            3 if text[:1].islower() or text[:1] in "([/" or _open_end(prev.label) else 1
        )
        near_next = nxt is not None and nxt.top - row.bottom <= cfg.continuation_gap * em * (
            3 if nxt.label[:1].islower() or nxt.label.startswith(("(", "[", "/")) or _open_end(text) else 1
        )
        ruled_rows = len(rules) >= 0.8 * sum(1 for r in rows if r.values)
        to_prev = prev is not None and near_prev and (
            text[:1].islower() or text[:1] in "([/" or (_open_end(prev.label) and _same_style(prev, row, em))
        )
        to_next = nxt is not None and near_next and (
            nxt.label[:1].islower() or nxt.label.startswith(("(", "[", "/")) or not nxt.label
            or (_open_end(text) and _same_style(row, nxt, em))
        )
        if not (to_prev or to_next) and ruled_rows and not text.endswith(":"):
            to_prev = prev is not None and near_prev and not _rule_between(rules, prev.bottom, row.top)
            to_next = nxt is not None and near_next and not _rule_between(rules, row.bottom, nxt.top) and not to_prev
        if to_prev and prev is not None:
            prev.lines.extend(row.lines)
            prev.label_words.extend(row.label_words)
        elif to_next and nxt is not None:
            nxt.lines[:0] = row.lines
            nxt.label_words[:0] = row.label_words
        else:
            row.group = True
            out.append(row)
        i += 1
    parent: str | None = None
    for row in out:
        if row.group:
            parent = row.label
        else:
            row.parent = parent
    return out


def _join_label_runs(rows: list[_Row], label_x1: float, em: float, cfg: GridSettings) -> list[_Row]:
    """Consecutive label-only lines of one label joined first, so the whole label finds its row.

    In a narrow column a label wraps over three lines with its figures on the last ("Sykefravær for" /
    "datterselskaper" / "(%) 99,3"): the first line alone sees no row under it and would become a group row. A
    line joins the one above when it is close, set alike and continues it (it starts other than with a capital:
    lower case, a bracket, a figure as in "Scope" / "1-utslipp"; or the line above cannot end there).
    """
    out: list[_Row] = []
    for row in rows:
        above = out[-1] if out else None
        text = join_words(row.label_words)
        if (
            above is not None
            and not above.values
            and not row.values
            and above.label_words
            and row.label_words
            and max(w.x0 for w in [*above.label_words, *row.label_words]) < label_x1 - 0.5 * em
            and row.top - above.bottom <= 3 * cfg.continuation_gap * em
            and (not text[:1].isupper() or _open_end(above.label))
            and _same_style(above, row, em)
        ):
            above.lines.extend(row.lines)
            above.label_words.extend(row.label_words)
            continue
        out.append(row)
    return out


def _bold(words: Sequence[Word]) -> bool:
    names = [w.font.lower() for w in words]
    return sum(any(k in n for k in ("bold", "black", "heavy", "semibold", "demi")) for n in names) > len(names) / 2


def _same_style(a: _Row, b: _Row, em: float) -> bool:
    """Two lines of one label share its indent and weight; a group heading is bolder or less indented."""
    if not a.label_words or not b.label_words:
        return True
    indent = abs(min(w.x0 for w in a.label_words) - min(w.x0 for w in b.label_words))
    return indent <= 0.6 * em and _bold(a.label_words) == _bold(b.label_words)


def _open_end(label: str) -> bool:
    """A label that cannot end there: a hyphen, a comma, or a short lower-case word ("i", "of the", "og")."""
    last = label.split()[-1] if label.split() else ""
    return label.endswith(("-", ",")) or (last.isalpha() and last.islower() and len(last) <= 3)


def _cell_text(segs: Sequence[TextLine]) -> str:
    words = [w for s in segs for w in s.words]
    return _join_label(words) if words else ""


def _grid(page: int, rows: list[_Row], header_rows: list[_Row], cols: list[_Column], label_x1: float,
          x0: float, x1: float, rules: Sequence[float], em: float, cfg: GridSettings,
          above: Sequence[TextLine], under: Sequence[tuple[float, float, float]] = ()) -> TableGrid:
    # Header segments widen the columns they sit over (a header may be wider than its numbers).
    n_cols = len(cols) + 1
    cells: list[TableCell] = []
    header_texts: list[list[list[Word]]] = []
    headed = _headed_columns(header_rows[-1], cols, label_x1, em, cfg) if header_rows else cols
    for h, hr in enumerate(header_rows):
        per_col: list[list[Word]] = [[] for _ in range(n_cols)]
        for line in hr.lines:
            segs = _header_cells(line, headed, em, cfg)
            below = header_rows[h + 1].top if h < len(header_rows) - 1 else None
            spans = _line_spans(line, segs, headed, label_x1, em, under, below)
            for k, seg in enumerate(segs):
                over = sum(_overlap(c.x0, c.x1, seg.x0, seg.x1) > 0.5 * em for c in cols)
                if k in spans:
                    for c in spans[k]:
                        per_col[c].extend(seg.words)
                elif over >= 2 and len(seg.words) > 1:
                    # Headers of neighbouring columns set close together: each word goes to its own column.
                    for w in seg.words:
                        per_col[_header_column_of(TextLine([w]), headed, label_x1, em)].append(w)
                else:
                    per_col[_header_column_of(seg, headed, label_x1, em)].extend(seg.words)
        header_texts.append(per_col)
    # Multi-line headers: lines of one header block are joined per column into one header row.
    if header_texts:
        joined = [[w for block in header_texts for w in block[c]] for c in range(n_cols)]
        for c in range(n_cols):
            text = _join_label(joined[c])
            bbox = _bbox(joined[c])
            cells.append(TableCell(text, 0, c, column_header=True, bbox=bbox))
    offset = 1 if header_texts else 0
    parents: list[str | None] = [None] * offset
    for r, row in enumerate(rows, start=offset):
        cells.append(TableCell(row.label, r, 0, row_header=True, bbox=_bbox(row.label_words)))
        segs_per_col: list[list[TextLine]] = [[] for _ in range(n_cols)]
        for seg in row.values:
            segs_per_col[_column_of(seg, cols, label_x1)].append(seg)
        for c in range(1, n_cols):
            text = _cell_text(segs_per_col[c])
            if text:
                cells.append(TableCell(text, r, c, bbox=_bbox([w for s in segs_per_col[c] for w in s.words])))
        parents.append(row.parent)
    top = min([h.top for h in header_rows] + [rows[0].top])
    bottom = rows[-1].bottom
    title = _title(above, top, em)
    return TableGrid(
        page=page,
        n_rows=len(rows) + offset,
        n_cols=n_cols,
        cells=tuple(cells),
        title=title,
        bbox=(x0, top, x1, bottom),
        parents=tuple(parents),
        ruled=len(rules) >= 2,
    )


def _headed_columns(
    header: _Row, cols: Sequence[_Column], label_x1: float, em: float, cfg: GridSettings
) -> list[_Column]:
    """The columns as wide as their numbers and the lowest header line over them together."""
    wide = [_Column(c.x0, c.x1) for c in cols]
    for line in header.lines:
        for seg in _header_cells(line, cols, em, cfg):
            c = _header_column_of(seg, cols, label_x1, em) - 1
            if c >= 0:
                wide[c] = _Column(min(wide[c].x0, seg.x0), max(wide[c].x1, seg.x1))
    return wide


def _spans(segs: Sequence[TextLine], cols: Sequence[_Column], label_x1: float, em: float) -> dict[int, list[int]]:
    """The columns each heading of an upper header line spans (1-based), where it spans more than one.

    "Scenario A" centred over its "kg" and "kg/m2" columns heads both. A heading is widened to a neighbouring
    column that no other heading of its line sits over, and only when that centres it clearly better over its
    columns: a heading over one column, or set right over its numbers, stays where it is. A heading wider than
    its column is widened on both sides while it stays centred over the group.
    """
    slack = 0.6 * em
    owned = [[i for i, c in enumerate(cols) if _over(s, c, slack)] for s in segs]
    taken = {i for o in owned for i in o}
    spans: dict[int, list[int]] = {}
    # Headings set over the first of equally many columns each ("Selskap" over 2019 of "2019 2018", "Konsern" over
    # the next 2019) head their whole group.
    heads = [(o[0], k) for k, o in enumerate(owned) if o and segs[k].x1 > label_x1]
    if len(heads) >= 2 and len(heads) == len([o for o in owned if o]):
        firsts = [c for c, _ in heads]
        step = firsts[1] - firsts[0]
        regular = all(b - a == step for a, b in zip(firsts, firsts[1:], strict=False))
        inside = all(o[-1] < o[0] + step for o in owned if o)
        if step >= 2 and regular and inside and firsts[-1] + step == len(cols):
            return {k: [c + 1 + i for i in range(step)] for c, k in heads}
    for k, seg in enumerate(segs):
        if not owned[k] or seg.x1 <= label_x1:
            continue
        span = list(owned[k])
        off = partial(_off_centre, cols, (seg.x0 + seg.x1) / 2)
        if len(span) == 1 and abs(seg.x1 - cols[span[0]].x1) <= 0.3 * em < cols[span[0]].x1 - seg.x0:
            continue  # set flush right over its own column's numbers, as a narrow heading of that column is
        while True:
            options = [cs for cs in ([span[0] - 1, *span], [*span, span[-1] + 1])
                       if 0 <= cs[0] and cs[-1] < len(cols) and not ({cs[0], cs[-1]} - set(span)) & taken]
            best = min(options, key=off, default=None)
            if best is None or off(best) >= 0.5 * off(span):
                break
            span = best
        # A heading wider than one column heads a group centred under it: a column more on each side, as long
        # as the group stays centred under the heading and no other heading of the line sits over those columns.
        wide = len(span) > 1 or seg.x1 - seg.x0 > cols[span[0]].x1 - cols[span[0]].x0
        while wide:
            group = [span[0] - 1, *span, span[-1] + 1]
            if group[0] < 0 or group[-1] >= len(cols) or {group[0], group[-1]} & taken:
                break
            if off(group) > slack:
                break
            span = group
        if len(span) > 1:
            spans[k] = [i + 1 for i in span]
    return spans


def _line_spans(line: TextLine, segs: Sequence[TextLine], cols: Sequence[_Column], label_x1: float, em: float,
                under: Sequence[tuple[float, float, float]], below: float | None) -> dict[int, list[int]]:
    """The columns each heading of a header line spans; none on the lowest line (`below` None), which heads one."""
    if below is None:
        return {}
    ruled = [(a, b) for y, a, b in under if line.bottom - 1 <= y <= below + 1]
    return _spans(segs, cols, label_x1, em) | _ruled_spans(segs, cols, label_x1, ruled)


def _ruled_spans(
    segs: Sequence[TextLine], cols: Sequence[_Column], label_x1: float, ruled: Sequence[tuple[float, float]]
) -> dict[int, list[int]]:
    """The columns (1-based) a heading heads by the rule printed under it: those whose middle lies under the rule.

    A heading is centred over its group and may be narrower than the group; the rule under it shows the group.
    """
    spans: dict[int, list[int]] = {}
    for k, seg in enumerate(segs):
        mid = (seg.x0 + seg.x1) / 2
        if seg.x1 <= label_x1:
            continue
        for a, b in ruled:
            span = [i + 1 for i, c in enumerate(cols) if a <= (c.x0 + c.x1) / 2 <= b]
            if a <= mid <= b and len(span) >= 2:
                spans[k] = span
                break
    return spans


def _over(seg: TextLine, col: _Column, slack: float) -> bool:
    """A heading stands over a column when a fair part of one lies under the other.

    A word hanging over a column's edge ("varslingssaker" grazing the litres column on its left) does not.
    """
    shared = _overlap(col.x0 - slack, col.x1 + slack, seg.x0, seg.x1)
    return shared > 0 and (shared >= 0.3 * (seg.x1 - seg.x0) or shared >= 0.5 * (col.x1 - col.x0))


def _off_centre(cols: Sequence[_Column], mid: float, span: Sequence[int]) -> float:
    """How far a heading's centre is from the middle of the columns it would span."""
    return abs((cols[span[0]].x0 + cols[span[-1]].x1) / 2 - mid)


def _title(above: Sequence[TextLine], top: float, em: float) -> str | None:
    for line in reversed(above):
        if line.bottom > top - 0.1:
            continue
        if top - line.bottom > 3.0 * em:
            return None
        text = line.text.strip()
        if 2 <= len(text) <= 100 and not is_value(text):
            return text
        return None
    return None


def _column_of(seg: TextLine, cols: Sequence[_Column], label_x1: float) -> int:
    if seg.x1 <= label_x1 + 0.5 and not any(c.takes(seg) > 0 for c in cols):
        return 0
    best = max(range(len(cols)), key=lambda i: (cols[i].takes(seg), -abs(cols[i].x1 - seg.x1)))
    if cols[best].takes(seg) <= 0:
        best = min(range(len(cols)), key=lambda i: min(abs(cols[i].x1 - seg.x1), abs(cols[i].x0 - seg.x0)))
    return best + 1


def _header_column_of(seg: TextLine, cols: Sequence[_Column], label_x1: float, em: float) -> int:
    """Headers are often wider than their numbers or centred over them: match with some slack."""
    slack = 0.6 * em
    best = max(range(len(cols)), key=lambda i: _overlap(cols[i].x0 - slack, cols[i].x1 + slack, seg.x0, seg.x1))
    if _overlap(cols[best].x0 - slack, cols[best].x1 + slack, seg.x0, seg.x1) > 0:
        return best + 1
    return 0 if seg.x1 <= label_x1 else _column_of(seg, cols, label_x1)


def _bbox(words: Sequence[Word]) -> BBox | None:
    if not words:
        return None
    return (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words), max(w.bottom for w in words))


def find_tables(
    words: Sequence[Word], page: int, page_lines: Sequence[dict[str, float]] = (), cfg: GridSettings = GridSettings()
) -> list[TableGrid]:
    """Every table on a page, as grids, from its words (furniture already removed) and its ruling lines.

    A column of note references left of the row labels is set aside first (it is neither labels, figures nor a
    table of its own) and comes back as a column of its own after the labels of the rows it stands beside.
    """
    if not words:
        return []
    em = statistics.median(w.size for w in words) or 10.0
    refs = _note_references(group_lines(words), em, cfg)
    if refs is None:
        return _find_tables(words, page, page_lines, cfg, ())
    aside = {id(w) for seg in [*refs.entries, *refs.header] for w in seg.words}
    grids = _find_tables([w for w in words if id(w) not in aside], page, page_lines, cfg, refs.entries)
    return [_with_references(g, refs, em) for g in grids]


def _find_tables(
    words: Sequence[Word], page: int, page_lines: Sequence[dict[str, float]], cfg: GridSettings,
    refs: Sequence[TextLine],
) -> list[TableGrid]:
    """`find_tables` once the note references are set aside (`refs`: where they stood, for the headings)."""
    if not words:
        return []
    em = statistics.median(w.size for w in words) or 10.0
    gutter = _prose_gutter(group_lines(words), em, cfg) or _side_by_side(group_lines(words), em, cfg)
    if gutter is not None:
        x, top, bottom = gutter
        band = [w for w in words if top <= w.mid_y <= bottom]
        rest = [w for w in words if not top <= w.mid_y <= bottom]
        return (
            _find_tables([w for w in band if w.x0 < x], page, page_lines, cfg, refs)
            + _find_tables([w for w in band if w.x0 >= x], page, page_lines, cfg, refs)
            + _find_tables(rest, page, page_lines, cfg, refs)
        )
    lines = group_lines(words)
    tables: list[TableGrid] = []
    claimed: set[int] = set()  # captions below a table: not the title of the table after it
    taken = -1  # the last line of the table before: its rows are no header of the next one
    for cand in _candidates(lines, em, cfg):
        first = lines.index(cand.lines[0])
        start = max(0, first - 6, taken + 1)
        above = [ln for i, ln in enumerate(lines[start:first], start=start) if i not in claimed]
        grid = _build(cand, page, page_lines, em, cfg, above, refs)
        if grid is None:
            continue
        last = lines.index(cand.lines[-1])
        taken = last
        end = cand.lines[-1].bottom
        below = next((i for i in range(last + 1, min(last + 3, len(lines))) if lines[i].top >= end), None)
        if below is not None and _caption_below(lines[below], grid, end, em):
            claimed.add(below)
            grid = replace(grid, title=lines[below].text.strip())
        tables.append(grid)
    return tables


# "Tabell 5.7 …", "Table 3: …": a caption, wherever it is printed. Word and most report tools put it below.
_CAPTION = re.compile(r"^\s*(?:tabell|tabel|table|tab\.)\s*\d+(?:[.,]\d+)*\b", re.IGNORECASE)


def is_caption(text: str) -> bool:
    """Whether a line is a numbered table caption ("Tabell 5.7 …"), which names one table, not a section."""
    return bool(_CAPTION.match(text))


def _caption_below(line: TextLine, grid: TableGrid, end: float, em: float) -> bool:
    """A numbered caption right under the table (which ends at `end`) names it, unless one above already does."""
    close = line.top - end <= 2.5 * em
    return close and bool(_CAPTION.match(line.text)) and not _CAPTION.match(grid.title or "")


def _is_prose(seg: TextLine) -> bool:
    """A line of running text; in a narrow column of three a line holds three words or so."""
    text = seg.text
    letters = sum(c.isalpha() for c in text)
    return len(seg.words) >= 3 and len(text) >= 18 and letters >= 0.7 * len(text.replace(" ", ""))


def _prose_gutter(lines: Sequence[TextLine], em: float, cfg: GridSettings) -> tuple[float, float, float] | None:
    """The gutter between two columns of running text, where a table sits in one column beside prose in the other.

    A gap in the page's word coverage with lines of prose on both sides, or prose on one side and on the other
    the rows of a table whose labels start at the gap (on the right) or whose figures end at it (on the left) —
    in narrow columns the text beside a table shares its lines; not used when a table's values lie on both sides
    of it, or its rows' figures on one side and their labels on the other (a full-width table on a page with text
    columns). Returns the gutter's x and the height range of the lines that hold it, taken on up and down as far
    as nothing crosses it or the page's other gutters, so that a table's title and header go with it and a table
    in another column is not cut. A table or heading across the page above or below is not cut either.
    """
    words = [w for line in lines for w in line.words]
    for a, b in interval_gaps([(w.x0, w.x1) for w in words], 0.5 * em):
        gutter = (a + b) / 2
        kinds = [_beside(line, gutter, a, b, em, cfg) for line in lines]
        # One row with its label across may be a short line of text beside a table's row; two make a table there.
        if any("crossing" in k for k in kinds) or sum("across" in k for k in kinds) >= 2:
            continue
        left = sum(bool(k & {"prose left", "ragged left"}) for k in kinds)
        right = sum("prose right" in k for k in kinds)
        rows_right, rows_left = sum("row right" in k for k in kinds), sum("row left" in k for k in kinds)
        if not ((left >= 4 and right >= 4) or (left >= 4 and rows_right >= 3) or (right >= 4 and rows_left >= 3)):
            continue
        # The lines that hold the gutter: prose up to it, rows beside it; a line that may be prose ends short of
        # it only counts (a title or group heading over a table across the page is no prose).
        held = [n for n, k in enumerate(kinds) if k - {"across", "ragged left"}] or [
            n for n, k in enumerate(kinds) if k - {"across"}
        ]
        first, last = min(held), max(held)
        # The other gutters beside it (of three columns) are kept free too: a heading over two columns of three
        # is no part of either. Gutters of one page are alike in width; the gap inside a table is no gutter.
        held_words = [w for line in lines[first : last + 1] for w in line.words]
        others = [(c + d) / 2 for c, d in interval_gaps([(w.x0, w.x1) for w in held_words], 0.8 * (b - a))]
        free = partial(_clear, gutters=[gutter, *others], em=em, cfg=cfg)
        while first > 0 and free(lines[first - 1]):
            first -= 1
        while last + 1 < len(lines) and free(lines[last + 1]):
            last += 1
        # Stopped right against a table across the page: the lines taken on were its title and header.
        if first > 0 and lines[first].top - lines[first - 1].bottom <= cfg.row_gap * em:
            first = min(held)
        if last + 1 < len(lines) and lines[last + 1].top - lines[last].bottom <= cfg.row_gap * em:
            last = max(held)
        return gutter, lines[first].top, lines[last].bottom
    return None


def _beside(line: TextLine, gutter: float, a: float, b: float, em: float, cfg: GridSettings) -> frozenset[str]:
    """What a line shows of a gutter from a to b: "crossing", "across", or some of "prose/ragged/row left/right".

    "crossing": figures on both sides; "across": figures on the right, their label (short text, no prose) on the
    left; "row right"/"row left": a row of a table set in the column on that side; "ragged left": prose that ends
    short of the gutter (no "ragged right").

    Running text fills its column: a prose run ends at the gutter on the left, starts at it on the right. A table
    row is not running text, even with a long label; but the text beside a table set in one column shares its
    lines: the side without figures still counts when the figures' side holds the whole row, its label too.
    """
    segs = split_segments(line, cfg.cell_gap * em)
    sides = {s.x1 <= gutter for s in segs if is_value(s.text)}
    if len(sides) == 2:
        return frozenset({"row left", "row right"} if _two_rows(segs, gutter, b, em) else {"crossing"})
    lw = [w for w in line.words if w.x1 <= gutter]
    rw = [w for w in line.words if w.x0 >= gutter]
    row = ""
    if sides:
        own = split_segments(TextLine(rw if False in sides else lw), cfg.cell_gap * em)
        head = own[0].text
        labelled = _own_label(head)
        other = lw if False in sides else rw  # beside a table in a column: running text or nothing
        beside = not other or any(_is_prose(seg) for seg in split_segments(TextLine(other), cfg.cell_gap * em))
        if beside and False in sides and labelled and own[0].x0 <= b + 1.0 * em:
            row = "row right"  # its label starts at the gutter
        elif beside and True in sides and is_value(own[-1].text) and own[-1].x1 >= a - 1.5 * em:
            row = "row left"  # its last figure ends at the gutter
        if False in sides and not labelled and lw and not _is_header_values([s for s in own if is_value(s.text)]):
            near = split_segments(TextLine(lw), cfg.cell_gap * em)[-1]
            row = "" if _is_prose(near) else "across"  # figures right of the gutter, their label left of it
        lw, rw = ([], []) if not labelled else (lw, []) if False in sides else ([], rw)
    out = {row} - {""}
    # Set ragged right, a line of running text ends where its next word would not fit: short of the gutter by up
    # to a long word, a good part of a narrow column ("ragged left"; a title or a long label may end there too).
    if lw and _is_prose(last := split_segments(TextLine(lw), cfg.cell_gap * em)[-1]):
        if last.x1 >= a - 1.5 * em:
            out.add("prose left")
        elif last.x1 >= a - _RAGGED * (last.x1 - last.x0):
            out.add("ragged left")
    if rw and _is_prose(first := split_segments(TextLine(rw), cfg.cell_gap * em)[0]) and first.x0 <= b + 1.0 * em:
        out.add("prose right")
    return frozenset(out)


def _own_label(text: str) -> bool:
    """A cell that may head a row: text with letters, no figure and no unit ("KAT 1-4", "Fase 2")."""
    return not is_value(text) and not _is_unit(text) and sum(c.isalpha() for c in text) >= 3


def _two_rows(segs: Sequence[TextLine], gutter: float, b: float, em: float) -> bool:
    """Figures on both sides of a gutter (ending at b) are two rows, of a table in each column, not one row across.

    The right one starts with a label of its own at the gutter, after a figure on the left (a row of a table in
    the left column, or a paragraph's last line "2019."): a table across the page has a figure or its label's end
    there, not a label's start. Two headers of years, one on each side, head a table each (a table across the
    page would still have its rows crossing the gutter).
    """
    left = [s for s in segs if s.x1 <= gutter]
    right = [s for s in segs if s.x0 >= gutter]
    if not left or not right or len(left) + len(right) < len(segs):
        return False
    if _is_header_values(left) and _is_header_values(right):
        return True
    head, tail = right[0], left[-1]
    return _own_label(head.text) and head.x0 <= b + 1.0 * em and is_value(tail.text)


_RAGGED = 0.5  # a ragged-right line of prose ends this share of its own width short of the gutter at most


def _clear(line: TextLine, gutters: Sequence[float], em: float, cfg: GridSettings) -> bool:
    """Whether a line leaves a gutter (the first of `gutters`) free: nothing crosses it, as a word or as a row.

    Not free: a word over the gutter or over one of the other gutters, figures on both sides, or figures right
    of it with their label left of it.
    """
    gutter = gutters[0]
    if any(w.x0 < x < w.x1 for w in line.words for x in gutters[1:]):
        return False
    segs = split_segments(line, cfg.cell_gap * em)
    sides = {s.x1 <= gutter for s in segs if is_value(s.text)}
    right = [s for s in segs if s.x0 >= gutter]
    across = sides == {False} and len(right) < len(segs) and (is_value(right[0].text) or _is_unit(right[0].text))
    across = across and not _is_header_values([s for s in right if is_value(s.text)])  # years heading a column
    return len(sides) < 2 and not across and not any(w.x0 < gutter < w.x1 for w in line.words)


def _side_by_side(lines: Sequence[TextLine], em: float, cfg: GridSettings) -> tuple[float, float, float] | None:
    """The gutter between two tables printed side by side, and the height range over which it runs.

    The right table has row labels of its own: on three lines or more, a label with figures after it (on its
    line or, wrapped, beside it) starts at one x, right of a column of figures close above or below (the left
    table's). Rows of the two tables
    need not share a line (wrapped labels shift them). The gutter runs up and down from those rows as far as no
    word crosses it and no figure stands in the right table's label column: a table or a heading across the
    page above or below is not cut.
    """
    segmented = [(line, split_segments(line, cfg.cell_gap * em)) for line in lines]
    # A note reference before a label ("3   Omsætning fordelt på markeder", a note's numbered heading) is no figure
    # of a table on the left.
    values = [s for _, segs in segmented for i, s in enumerate(segs)
              if is_value(s.text) and not _leading_reference(segs, i)]
    starts: list[tuple[float, int, float]] = []  # label x0, line index, x0 of the figures right of it
    for n, (_, segs) in enumerate(segmented):
        for seg in segs:
            text = seg.text
            if is_value(text) or sum(c.isalpha() for c in text) < 4 or _is_unit(text):
                continue
            # Its row's figures: on its line or, beside a label of several lines, just above or below it.
            right = [v.x0 for v in values if v.x0 > seg.x1 and abs(v.top - seg.top) <= 1.6 * em]
            left = any(v.x1 < seg.x0 - cfg.cell_gap * em and abs(v.top - seg.top) <= 8 * em for v in values)
            if right and left:
                starts.append((seg.x0, n, min(right)))
                break
    best: list[tuple[float, int, float]] = []
    for x, _, _ in starts:
        group = [st for st in starts if abs(st[0] - x) <= 1.0 * em]
        if len(group) > len(best):
            best = group
    if len({n for _, n, _ in best}) < 3:
        return None
    gutter = min(x for x, _, _ in best) - 0.5 * em
    label_x1 = min(v for _, _, v in best)

    def inside(line: TextLine, segs: Sequence[TextLine]) -> bool:
        crossing = any(w.x0 < gutter < w.x1 for w in line.words)
        in_labels = any(is_value(s.text) and s.x0 >= gutter and s.x1 < label_x1 - 0.5 * em for s in segs)
        return not crossing and not in_labels

    first, last = min(n for _, n, _ in best), max(n for _, n, _ in best)
    if not all(inside(*segmented[n]) for n in range(first, last + 1)):
        return None
    while first > 0 and inside(*segmented[first - 1]):
        first -= 1
    while last + 1 < len(segmented) and inside(*segmented[last + 1]):
        last += 1
    # Its own row labels: most rows with figures right of the gutter have one there (text cells in a column of
    # one table, a note here and there, do not make a second table).
    rows = sum(any(is_value(s.text) and s.x0 >= gutter for s in segs) for _, segs in segmented[first : last + 1])
    if 2 * len({n for _, n, _ in best}) < rows:
        return None
    return gutter, lines[first].top, lines[last].bottom


# A note reference: a small whole number or a list or range of them ("6", "6, 7", "30-31", "4a"); no decimals, no
# thousands separators, never a year.
_NOTE_REF = re.compile(r"^\d{1,3}[a-z]?(?:(?:,\s|\s?[-–/&]\s?)\d{1,3}[a-z]?)*$")
# A list set tight ("3,12, 15", "6,7"): alone it could be a decimal, so it is a reference only in a column that
# also holds plain ones.
_NOTE_LIST_TIGHT = re.compile(r"^\d{1,3}[a-z]?(?:(?:,\s?|\s?[-–/&]\s?)\d{1,3}[a-z]?)*$")
# The header of a column of note references, in the languages of our reports (a boost: not needed).
_NOTE_HEAD = re.compile(r"^(?:note|noter|notes|note\s?nr\.?|nr\.?)$", re.IGNORECASE)


@dataclass(frozen=True)
class _References:
    """A column of note references left of the row labels: its entries and the header printed over it, if any."""

    entries: tuple[TextLine, ...]
    header: tuple[TextLine, ...] = ()


def _labelled(seg: TextLine) -> bool:
    """A segment that reads as a row label: words, not a figure or a unit."""
    return not is_value(seg.text) and not _is_unit(seg.text) and sum(c.isalpha() for c in seg.text) >= 3


def _leading_reference(segs: Sequence[TextLine], i: int) -> bool:
    """Segment i of a line is a note reference printed before a row label ("6, 7   Nettoomsætning …").

    It is the line's first segment, and words follow it. A small figure followed by words further along a line
    is the last figure of a table on the left, beside the labels of another: no reference.
    """
    first = i == 0 and bool(_NOTE_LIST_TIGHT.match(segs[i].text.strip()))
    return first and i + 1 < len(segs) and _labelled(segs[i + 1])


def _note_references(lines: Sequence[TextLine], em: float, cfg: GridSettings) -> _References | None:
    """The column of note references printed left of a statement's row labels, or None.

    Financial statements print the note each line is explained in before (or after) its label: small whole
    numbers or lists of them ("6, 7"), no decimals or thousands separators, in a narrow column whose numbers
    mostly rise down the page, each right before a label. Such a column is no label and no figure; left of the
    labels it would read as a table of its own beside the statement. Two entries or more make a column; one
    will do under a header naming notes ("Note", "Noter"), or before a heading with no figures whose words start
    where the label of the line under it starts (a note's numbered heading over its table). A column whose
    numbers do not rise is a column of figures (a count set before its label), not references.
    """
    found: list[tuple[TextLine, float]] = []  # entry, x0 of the label after it
    headings: list[TextLine] = []  # entries before a heading over a label that starts where its words start
    for n, line in enumerate(lines):
        segs = split_segments(line, cfg.cell_gap * em)
        for i in range(len(segs)):
            if not _leading_reference(segs, i):
                continue
            found.append((segs[i], segs[i + 1].x0))
            under = split_segments(lines[n + 1], cfg.cell_gap * em) if n + 1 < len(lines) else []
            if (
                len(segs) == i + 2
                and under
                and lines[n + 1].top - line.bottom <= cfg.row_gap * em
                and abs(under[0].x0 - segs[i + 1].x0) <= 0.5 * em
                and _labelled(under[0])
            ):
                headings.append(segs[i])
    if not found:
        return None
    heads = [s for line in lines for s in split_segments(line, cfg.cell_gap * em) if _NOTE_HEAD.match(s.text.strip())]
    entries: list[TextLine] = []
    header: list[TextLine] = []
    left = list(found)
    while left:
        column = _aligned(left, em)
        left = [f for f in left if f not in column]
        x0, x1 = min(f[0].x0 for f in column), max(f[0].x1 for f in column)
        column.sort(key=lambda f: f[0].top)
        above = [h for h in heads if _overlap(x0 - em, x1 + em, h.x0, h.x1) > 0 and h.bottom <= column[0][0].top]
        firsts = [int(re.match(r"\d+", f[0].text.strip()).group()) for f in column]  # type: ignore[union-attr]
        rising = sum(b >= a for a, b in zip(firsts, firsts[1:], strict=False))
        # Beside the labels: the labels start at most a few ems right of the column (or of its header).
        edge = max([x1] + [h.x1 for h in above[-1:]])
        narrow = x1 - x0 <= 4 * em and all(0 < label - x1 and label - edge <= 6 * em for _, label in column)
        alone = len(column) < 2 and not above and column[0][0] not in headings
        plain = any(_NOTE_REF.match(f[0].text.strip()) for f in column)
        if not narrow or alone or not plain or rising < 0.6 * (len(column) - 1):
            continue
        entries += [f[0] for f in column]
        header += above[-1:]
    return _References(tuple(entries), tuple(header)) if entries else None


def _aligned(found: Sequence[tuple[TextLine, float]], em: float) -> list[tuple[TextLine, float]]:
    """The most entries that share an edge: left-aligned, right-aligned or centred in one column.

    Two statements one above the other may set their references at different x; each is a column of its own.
    """
    best: list[tuple[TextLine, float]] = []
    edges: tuple[Callable[[TextLine], float], ...] = (lambda s: s.x0, lambda s: s.x1, lambda s: (s.x0 + s.x1) / 2)
    for edge in edges:
        for f in found:
            group = [g for g in found if abs(edge(g[0]) - edge(f[0])) <= 0.6 * em]
            if len(group) > len(best):
                best = group
    return best


def _with_references(grid: TableGrid, refs: _References, em: float) -> TableGrid:
    """The grid with the note references beside its rows as a column of their own, right after the labels.

    A reference belongs to the row whose label stands on its line; the column is headed by the nearest header
    printed over the references at or above the table's top ("Note"), else left blank. Its numbers say where a
    line is explained, not how much (the facts pass over a column headed "Note").
    """
    if grid.bbox is None:
        return grid
    x0, top, x1, bottom = grid.bbox
    spans: dict[int, tuple[float, float]] = {}
    for cell in grid.cells:
        if cell.row >= grid.header_rows and cell.bbox is not None:
            a, b = spans.get(cell.row, (cell.bbox[1], cell.bbox[3]))
            spans[cell.row] = (min(a, cell.bbox[1]), max(b, cell.bbox[3]))
    placed: dict[int, TextLine] = {}
    for seg in refs.entries:
        mid = (seg.top + seg.bottom) / 2
        if seg.x1 > x0 + em or not x0 - 8 * em <= seg.x0:
            continue
        row = next((r for r, (a, b) in sorted(spans.items()) if a - 1 <= mid <= b + 1), None)
        if row is not None and row not in placed:
            placed[row] = seg
    if not placed:
        return grid
    at = grid.label_columns()
    cells = [replace(c, col=c.col + 1) if c.col >= at else replace(c, col_span=c.col_span + 1)
             if c.col + c.col_span > at else c for c in grid.cells]
    head = max((h for h in refs.header if h.x1 <= x1 and h.top <= top + 0.5 * em), key=lambda h: h.top, default=None)
    if grid.header_rows and head is not None:
        cells.append(TableCell(head.text.strip(), grid.header_rows - 1, at, column_header=True, bbox=_bbox(head.words)))
    cells += [TableCell(seg.text.strip(), r, at, bbox=_bbox(seg.words)) for r, seg in placed.items()]
    left = min(seg.x0 for seg in placed.values())
    return replace(grid, n_cols=grid.n_cols + 1, cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))),
                   bbox=(min(x0, left), top, x1, bottom))


def _is_unit(text: str) -> bool:
    """A unit printed in a column of its own ("tonn", "kg CO2e", "%"), not a row label."""
    return bool(re.fullmatch(rf"\(?(?:{PRINTED_UNIT}|%|‰)\)?\.?", text.strip(), re.IGNORECASE))


def render_tsv(grid: TableGrid) -> str:
    """The grid as tab-separated lines (header first), the form the index and the figure reader see."""
    rows = grid.text_rows()
    lines = []
    for row in rows:
        if any(row):
            lines.append("\t".join(row).rstrip("\t"))
    return "\n".join(lines)
