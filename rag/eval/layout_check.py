"""Scores a PDF reader against synthetic reports whose ground truth is known (`rag.eval.synthetic`).

Why: a figure question ("Scope 2 in 2023?") is answered from a table grid, and a passage is retrieved only if
its sentences survive reading whole. Real reports cannot say what a perfect reading is; generated ones can.
Every printed table cell is looked up the way the answer path reads a grid — the row whose `row_label`
is the label, the column whose `column_headers()` entry is the header — and must hold exactly the printed
text (empty where nothing was printed). Every sentence must appear contiguous in its page's text, in its
column's order, and the running header and footer must not. Results are broken down by layout feature.

    python -m rag.eval.layout_check --seeds 0-19 --out /tmp/layout
    python -m rag.eval.layout_check --seeds 0-19 --out /tmp/layout --only kind:category-columns
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, cast

import click

from rag.eval.synthetic import CATEGORY_SHARE, DASH, SynthPage, SynthReport, SynthRow, SynthTable, generate, save_truth
from rag.ingest.files import pdf_document
from rag.ingest.tables import extract_facts
from rag.types import Fact, PageText, TableGrid

Reader = Callable[[Path], list[PageText]]
SentenceStatus = Literal["intact", "interleaved", "missing"]
DEFAULT_READER = "rag.ingest.pdf:read_pdf"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

# Order of the feature groups in the report.
_FEATURE_GROUPS = ("all", "kind", "family", "notes", "years", "headers", "caption", "ruled", "unruled", "ruling",
                   "unit", "column", "cell", "label", "valign", "header", "row", "align", "columns", "notation",
                   "language")


def normalise(text: str) -> str:
    """Whitespace-normalised text: runs of spaces, tabs, line breaks (and no-break spaces) become one space."""
    return " ".join(text.split())


def _rates(items: Iterable[tuple[bool, frozenset[str]]]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ok, features in items:
        for feature in features:
            counts[feature][0] += ok
            counts[feature][1] += 1
    return {feature: (c[0], c[1]) for feature, c in counts.items()}


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


# --- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellCheck:
    """One truth cell (or a row's parent, or a table's title) looked up in the reader's grids.

    `reason` is "" when the reader got it, else one of: "no table", "row not found", "column not found",
    "wrong value", "should be empty", "empty in grid", "wrong parent", "title not found".
    """

    seed: int
    page: int
    table: str
    row: str
    column: str
    expected: str
    got: str | None = None
    reason: str = ""
    detail: str = ""
    features: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.reason

    def describe(self) -> str:
        """One line for a person: where, what was expected, what went wrong."""
        where = f"seed {self.seed} p{self.page} {self.table!r} row {self.row!r} column {self.column!r}"
        got = f", got {self.got!r}" if self.got is not None else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}: {self.reason}, expected {self.expected!r}{got}{detail}"


@dataclass(frozen=True)
class TableScore:
    """Every truth cell checked, plus the group parents and titles (reported apart from the cell rate)."""

    cells: tuple[CellCheck, ...] = ()
    parents: tuple[CellCheck, ...] = ()
    titles: tuple[CellCheck, ...] = ()

    def __add__(self, other: TableScore) -> TableScore:
        return TableScore(self.cells + other.cells, self.parents + other.parents, self.titles + other.titles)

    @property
    def total(self) -> int:
        return len(self.cells)

    @property
    def recovered(self) -> int:
        return sum(c.ok for c in self.cells)

    @property
    def rate(self) -> float:
        """Share of truth cells recovered (1.0 when there were none)."""
        return self.recovered / self.total if self.total else 1.0

    @property
    def empty_total(self) -> int:
        return sum(not c.expected for c in self.cells)

    @property
    def empty_recovered(self) -> int:
        return sum(c.ok for c in self.cells if not c.expected)

    @property
    def misses(self) -> list[CellCheck]:
        return [c for c in self.cells if not c.ok]

    def by_feature(self) -> dict[str, tuple[int, int]]:
        """Feature → (recovered, total) over the cells that have it."""
        return _rates((c.ok, c.features) for c in self.cells)

    def reasons(self) -> Counter[str]:
        return Counter(c.reason for c in self.misses)

    def only(self, feature: str) -> TableScore:
        """The checks of the cells (and parents and titles) that have `feature`, e.g. "kind:category-columns"."""

        def keep(checks: tuple[CellCheck, ...]) -> tuple[CellCheck, ...]:
            return tuple(c for c in checks if feature in c.features)

        return TableScore(keep(self.cells), keep(self.parents), keep(self.titles))


class _Indexed:
    """A reader's grid with its row labels and column headers normalised for lookup."""

    def __init__(self, grid: TableGrid) -> None:
        self.grid = grid
        self.text = grid.text_rows()
        self.headers = grid.column_headers()
        self.labels: dict[str, list[int]] = defaultdict(list)
        for r in range(grid.header_rows, grid.n_rows):
            self.labels[normalise(grid.row_label(r))].append(r)
        self.columns: dict[str, list[int]] = defaultdict(list)
        for c, head in enumerate(self.headers):
            self.columns[normalise(head)].append(c)


def _table_features(truth: SynthReport, page: SynthPage, table: SynthTable) -> frozenset[str]:
    family = {f"family:{table.family}"} if table.family else set()
    notes = {f"notes:{table.notes}-{'headed' if table.note_head else 'bare'}"} if table.notes else set()
    return frozenset({
        "all",
        f"kind:{table.kind}",
        *family,
        *notes,
        f"headers:{table.header_style}",
        "caption:numbered" if table.title else "caption:none",  # none: stacked right under the table before
        f"years:{table.years_as}",
        "ruled" if table.ruled else "unruled",
        f"ruling:{table.ruling}",
        f"unit:{table.unit_style}",
        f"align:{table.align}",
        f"columns:{page.columns}",
        f"notation:{truth.notation}",
        f"language:{truth.language}",
    })


def _cell_features(table: SynthTable, row: SynthRow, column: int) -> frozenset[str]:
    text = row.cells[column]
    out = {"cell:empty" if not text else "cell:dash" if text == DASH else "cell:value"}
    out.add(f"column:{table.column_kinds[column]}" if table.column_kinds else "column:?")
    if table.header_lines(column) > 1:
        out.add("header:multiline")
    if table.spanned(column):
        out.add("header:spanned")
    if row.wrapped:
        out |= {"label:multiline", f"valign:{table.valign}"}
    if row.group:
        out.add("row:group")
    elif row.parent:
        out.add("row:child")
    if row.total:
        out.add("row:total-bold" if row.bold else "row:total")
    return frozenset(out)


def _locate(grids: list[_Indexed], label: str) -> list[tuple[_Indexed, int]]:
    key = normalise(label)
    return [(g, r) for g in grids for r in g.labels.get(key, [])]


def _check_cell(base: CellCheck, grids: list[_Indexed]) -> CellCheck:
    if not grids:
        return replace(base, reason="no table", detail="the reader found no table on this page")
    rows = _locate(grids, base.row)
    if not rows:
        close = difflib.get_close_matches(normalise(base.row), [k for g in grids for k in g.labels], n=1)
        return replace(base, reason="row not found", detail=f"closest label {close[0]!r}" if close else "")
    header = normalise(base.column)
    spots = [(g, r, c) for g, r in rows for c in g.columns.get(header, [])]
    if not spots:
        return replace(base, reason="column not found", detail=f"headers {rows[0][0].headers}")
    got = [g.text[r][c] for g, r, c in spots]
    expected = normalise(base.expected)
    if expected in (normalise(t) for t in got):
        return replace(base, got=base.expected)
    g, r, c = spots[0]
    reason = "should be empty" if not expected else "empty in grid" if not normalise(got[0]) else "wrong value"
    return replace(base, got=got[0], reason=reason, detail=f"grid row {g.text[r]}")


def _check_parent(base: CellCheck, grids: list[_Indexed]) -> CellCheck:
    rows = _locate(grids, base.row)
    if not rows:
        return replace(base, reason="row not found")
    for g, r in rows:
        parent = g.grid.parents[r] if r < len(g.grid.parents) else None
        if normalise(parent or "") == normalise(base.expected):
            return replace(base, got=parent)
    g, r = rows[0]
    return replace(base, got=g.grid.parents[r] if r < len(g.grid.parents) else None, reason="wrong parent")


def _check_title(base: CellCheck, grids: list[_Indexed]) -> CellCheck:
    titles = [g.grid.title for g in grids]
    if normalise(base.expected) in (normalise(t or "") for t in titles):
        return replace(base, got=base.expected)
    return replace(base, reason="title not found", detail=f"titles {titles}")


def _grids_on(pages: Sequence[PageText], number: int) -> list[_Indexed]:
    return [_Indexed(g) for p in pages if p.page == number for g in p.tables]


def table_recovery(truth: SynthReport, pages: Sequence[PageText]) -> TableScore:
    """Look every printed table cell up in the reader's grids of the same page.

    A cell counts as recovered when a `TableGrid` on that page has a row whose `row_label` equals the
    truth label (whitespace-normalised, wrapped lines joined with a space) and, in that row, the column
    whose `column_headers()` entry equals the truth header holds exactly the printed text — "" where
    nothing was printed. Group rows count with their (empty) cells; children's `parents` and tables'
    titles are checked too but kept out of the cell rate.

    Args:
        truth: What `rag.eval.synthetic.generate` printed.
        pages: What the reader returned for that PDF (one `PageText` per physical page).

    Returns:
        Every check, with misses and their reasons.
    """
    cells: list[CellCheck] = []
    parents: list[CellCheck] = []
    titles: list[CellCheck] = []
    for page in truth.pages:
        grids = _grids_on(pages, page.number)
        for table in page.tables:
            features = _table_features(truth, page, table)
            where = CellCheck(truth.seed, page.number, table.title, "", "", "", features=features)
            titles.append(_check_title(replace(where, column="(title)", expected=table.title), grids))
            for row in table.rows:
                for j, header in enumerate(table.columns):
                    base = replace(where, row=row.label, column=header, expected=row.cells[j],
                                   features=features | _cell_features(table, row, j))
                    cells.append(_check_cell(base, grids))
                if row.parent:
                    base = replace(where, row=row.label, column="(parent)", expected=row.parent)
                    parents.append(_check_parent(base, grids))
    return TableScore(tuple(cells), tuple(parents), tuple(titles))


# --- the units of the facts read from the tables ----------------------------------------------------


def _unit_key(unit: str | None) -> str:
    """A unit compared loosely: case, spaces, brackets, a trailing full stop and superscript digits aside."""
    text = (unit or "").lower().translate(str.maketrans("²³", "23", "() \u00a0"))
    return text.rstrip(".")


def unit_recovery(truth: SynthReport, facts: Sequence[Fact]) -> tuple[CellCheck, ...]:
    """Every printed figure whose unit the truth knows, looked up among the facts read from its page.

    A figure counts when a fact of its page names its row (the metric is the row label; the column header where
    the rows are years) and holds its printed text, and one such fact has the unit the table gives that figure
    (its unit column, its header, the label or the title). Reasons: "no fact" (no fact of that row holds the
    figure), "no unit", "wrong unit". Reported apart from the cell rate: the cells check the grid, this checks
    what the facts make of it.
    """
    by_page: dict[tuple[int, str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.style == "grid" and fact.page is not None:
            by_page[(fact.page, normalise(fact.metric), normalise(fact.value_text))].append(fact)
    checks: list[CellCheck] = []
    for page in truth.pages:
        for table in page.tables:
            features = _table_features(truth, page, table)
            for row in table.rows:
                for j, unit in enumerate(row.units):
                    if not unit:
                        continue
                    base = CellCheck(truth.seed, page.number, table.title, row.label, table.columns[j], unit,
                                     features=features | _cell_features(table, row, j))
                    metric = table.columns[j] if table.years_as == "rows" else row.label  # a year's row: by column
                    found = by_page.get((page.number, normalise(metric), normalise(row.cells[j])), [])
                    units = [f.unit for f in found]
                    if any(_unit_key(u) == _unit_key(unit) for u in units):
                        checks.append(replace(base, got=unit))
                    elif not found:
                        checks.append(replace(base, reason="no fact", detail=f"figure {row.cells[j]!r}"))
                    else:
                        reason = "wrong unit" if any(units) else "no unit"
                        checks.append(replace(base, got=units[0], reason=reason, detail=f"figure {row.cells[j]!r}"))
    return tuple(checks)


def note_references(truth: SynthReport, facts: Sequence[Fact]) -> tuple[CellCheck, ...]:
    """Every printed note reference of a statement, checked not to have been read as a figure of its row.

    A reference says where a line is explained ("6, 7"), not how much: no fact of its page may name its row and
    hold it. Reason "read as a figure" when one does. (Kept out of the labels is checked by the cells: a label
    with the reference glued to it is not found.)
    """
    held: set[tuple[int, str, str]] = {
        (f.page, normalise(f.metric), normalise(f.value_text)) for f in facts if f.page is not None
    }
    checks: list[CellCheck] = []
    for page in truth.pages:
        for table in page.tables:
            features = _table_features(truth, page, table)
            for row in table.rows:
                if not row.note:
                    continue
                base = CellCheck(truth.seed, page.number, table.title, row.label, "(note)", row.note,
                                 features=features)
                if (page.number, normalise(row.label), normalise(row.note)) in held:
                    checks.append(replace(base, got=row.note, reason="read as a figure"))
                else:
                    checks.append(base)
    return tuple(checks)


# --- reading order and furniture ------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceCheck:
    """One truth sentence looked up in its page's text.

    `status` is intact (contiguous), interleaved (its words are all on the page, but not together) or
    missing; `in_order` is False when it comes before an earlier sentence of its column; `split` is True
    when an intact sentence runs across a blank line, i.e. the reader cut its paragraph into two blocks.
    """

    seed: int
    page: int
    column: int
    sentence: str
    status: SentenceStatus
    in_order: bool = True
    features: frozenset[str] = frozenset()
    split: bool = False


@dataclass(frozen=True)
class FurnitureCheck:
    """A running header or footer string of one page: still in `.text`? found in `.dropped`?"""

    seed: int
    page: int
    text: str
    in_text: bool
    dropped: bool


@dataclass(frozen=True)
class OrderScore:
    """Sentences and page furniture checked against the reader's page texts."""

    sentences: tuple[SentenceCheck, ...] = ()
    furniture: tuple[FurnitureCheck, ...] = ()

    def __add__(self, other: OrderScore) -> OrderScore:
        return OrderScore(self.sentences + other.sentences, self.furniture + other.furniture)

    def count(self, status: SentenceStatus) -> int:
        return sum(s.status == status for s in self.sentences)

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def intact(self) -> int:
        return self.count("intact")

    @property
    def interleaved(self) -> int:
        return self.count("interleaved")

    @property
    def missing(self) -> int:
        return self.count("missing")

    @property
    def out_of_order(self) -> int:
        return sum(not s.in_order for s in self.sentences)

    @property
    def split(self) -> int:
        return sum(s.split for s in self.sentences)

    @property
    def furniture_in_text(self) -> int:
        return sum(f.in_text for f in self.furniture)

    @property
    def furniture_dropped(self) -> int:
        return sum(f.dropped for f in self.furniture)

    def by_feature(self) -> dict[str, tuple[int, int]]:
        """Feature → (intact and in order, total)."""
        return _rates((s.status == "intact" and s.in_order, s.features) for s in self.sentences)

    def examples(self, n: int = 5) -> list[str]:
        """Up to `n` lines describing broken, missing or misplaced sentences and furniture left in the text."""
        out = [
            f"seed {s.seed} p{s.page} column {s.column + 1}: {s.status}{'' if s.in_order else ', out of order'}: "
            f"{s.sentence!r}"
            for s in self.sentences
            if s.status != "intact" or not s.in_order
        ]
        out += [f"seed {s.seed} p{s.page}: split across blocks: {s.sentence!r}" for s in self.sentences if s.split]
        out += [f"seed {f.seed} p{f.page}: furniture left in the text: {f.text!r}" for f in self.furniture if f.in_text]
        return out[:n]


def _furniture_in_text(furniture: str, text: str) -> bool:
    """A bare page number counts when it stands on a line of its own; anything else anywhere in the text."""
    if furniture.isdigit():
        return any(line.strip() == furniture for line in text.splitlines())
    return normalise(furniture) in normalise(text)


def _check_sentences(truth: SynthReport, page: SynthPage, text: str) -> list[SentenceCheck]:
    flat = normalise(text)
    words = Counter(flat.split())
    features = frozenset({"all", f"columns:{page.columns}", f"language:{truth.language}"})
    last: dict[int, int] = {}
    out = []
    for sentences, column in zip(page.sentences, page.paragraph_columns, strict=True):
        for sentence in sentences:
            wanted = normalise(sentence)
            pos = flat.find(wanted)
            if pos < 0:
                status: SentenceStatus = "missing" if Counter(wanted.split()) - words else "interleaved"
                out.append(SentenceCheck(truth.seed, page.number, column, sentence, status, True, features))
                continue
            in_order = pos > last.get(column, -1)
            last[column] = max(pos, last.get(column, -1))
            found = re.search(r"\s+".join(map(re.escape, wanted.split())), text)
            split = bool(found and _BLANK_LINE.search(found.group(0)))
            out.append(SentenceCheck(truth.seed, page.number, column, sentence, "intact", in_order, features, split))
    return out


def reading_order(truth: SynthReport, pages: Sequence[PageText]) -> OrderScore:
    """Check that every sentence is whole and in its column's order, and that page furniture left the text.

    A sentence is intact when its whitespace-normalised text occurs in the page's normalised `.text` (line
    breaks anywhere are fine; the generator never hyphenates); intact sentences with a blank line inside are
    counted as split across blocks. A sentence whose words are all on the page but not together was
    interleaved with another column; otherwise it is missing. Each running header and
    footer string must be absent from `.text` (a bare page number: absent as a line of its own) and is
    looked for in `.dropped`.

    Args:
        truth: What `rag.eval.synthetic.generate` printed.
        pages: What the reader returned for that PDF.

    Returns:
        Every sentence and furniture check.
    """
    by_number = {p.page: p for p in pages}
    sentences: list[SentenceCheck] = []
    furniture: list[FurnitureCheck] = []
    for page in truth.pages:
        read = by_number.get(page.number)
        text = read.text if read else ""
        dropped = [normalise(d) for d in (read.dropped if read else ())]
        sentences += _check_sentences(truth, page, text)
        for item in page.furniture:
            in_dropped = any(normalise(item) in d for d in dropped)
            furniture.append(FurnitureCheck(truth.seed, page.number, item, _furniture_in_text(item, text), in_dropped))
    return OrderScore(tuple(sentences), tuple(furniture))


# --- running a reader over many seeds -------------------------------------------------------------


@dataclass(frozen=True)
class LayoutReport:
    """The scores of one reader over a set of generated reports."""

    reader: str
    seeds: tuple[int, ...]
    pages: int
    tables_printed: int
    tables: TableScore
    order: OrderScore
    units: tuple[CellCheck, ...] = ()  # the unit of every figure the truth knows one for, in the facts
    notes: tuple[CellCheck, ...] = ()  # every note reference of a statement: not read as a figure

    def format(self, misses: int = 15, only: str = "") -> str:
        """A plain-text report: totals, recovery per layout feature, and the first misses.

        `only` (a feature such as "kind:category-columns") restricts the table part to the cells that have it.
        """
        t, o = self.tables, self.order
        lines = [
            f"Layout check of {self.reader} on {len(self.seeds)} synthetic reports "
            f"({self.pages} pages, {self.tables_printed} tables)",
            "",
            f"Table cells recovered: {t.recovered}/{t.total} ({_pct(t.recovered, t.total)})",
        ]
        if only:
            t = t.only(only)
            lines.append(f"  of which {only}: {t.recovered}/{t.total} ({_pct(t.recovered, t.total)})")
        lines += [
            f"  empty cells kept empty {t.empty_recovered}/{t.empty_total}"
            f" · group parents {sum(c.ok for c in t.parents)}/{len(t.parents)}"
            f" · table titles {sum(c.ok for c in t.titles)}/{len(t.titles)}",
        ]
        if t.misses:
            lines.append("  misses by reason: " + ", ".join(f"{r} {n}" for r, n in t.reasons().most_common()))
        lines += _feature_table(t.by_feature(), "cells")
        units = [u for u in self.units if not only or only in u.features]
        unit_misses = [u for u in units if not u.ok]
        if units:
            lines += ["", f"Figure units in the facts: {len(units) - len(unit_misses)}/{len(units)} "
                          f"({_pct(len(units) - len(unit_misses), len(units))})"]
            if unit_misses:
                reasons = Counter(u.reason for u in unit_misses)
                lines.append("  misses by reason: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
            lines += _feature_table(_rates((u.ok, u.features) for u in units), "figures")
        notes = [n for n in self.notes if not only or only in n.features]
        if notes:
            kept = sum(n.ok for n in notes)
            lines += ["", f"Note references kept out of the figures: {kept}/{len(notes)} ({_pct(kept, len(notes))})"]
        lines += [
            "",
            f"Sentences: {o.total} — {o.intact} intact, {o.interleaved} interleaved, {o.missing} missing, "
            f"{o.out_of_order} out of order; {o.split} of the intact ones split across blocks (a blank line inside)",
            *_feature_table(o.by_feature(), "intact, in order"),
            "",
            f"Page furniture: {len(o.furniture)} strings — {o.furniture_in_text} left in the text, "
            f"{o.furniture_dropped} found in .dropped",
        ]
        shown = [c.describe() for c in t.misses[:misses]] + o.examples(misses)
        shown += [f"note {n.describe()}" for n in self.notes if not n.ok and (not only or only in n.features)][:misses]
        shown += [f"unit of {u.describe()}" for u in [u for u in self.units if not u.ok and (not only or only in
                                                                                          u.features)][:misses]]
        if shown:
            lines += ["", "First misses:", *(f"  {line}" for line in shown)]
        return "\n".join(lines)


def _feature_table(rates: dict[str, tuple[int, int]], what: str) -> list[str]:
    def order(feature: str) -> tuple[int, str]:
        group = feature.split(":")[0]
        return (_FEATURE_GROUPS.index(group) if group in _FEATURE_GROUPS else len(_FEATURE_GROUPS), feature)

    lines = [f"  {'feature':<22}{what:>18}{'rate':>9}"]
    for feature in sorted(rates, key=order):
        ok, total = rates[feature]
        lines.append(f"  {feature:<22}{f'{ok}/{total}':>18}{_pct(ok, total):>9}")
    return lines


def parse_seeds(spec: str) -> list[int]:
    """Seeds from "0-19", "3" or "0-4,7,10-12" (ranges inclusive).

    Raises:
        ValueError: The spec is not a comma-separated list of numbers and ranges.
    """
    seeds: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"Bad seed range {part!r}: use e.g. '0-19' or '1,4,7-9'")
        seeds += range(int(first), int(last or first) + 1)
    return seeds


def load_reader(spec: str = DEFAULT_READER) -> Reader:
    """The reader function named "module:function", e.g. "rag.ingest.pdf:read_pdf"."""
    module, _, name = spec.partition(":")
    return cast(Reader, getattr(importlib.import_module(module), name or "read_pdf"))


def evaluate(
    seeds: Iterable[int],
    out_dir: Path,
    reader: Reader | None = None,
    name: str = "",
    pages: int | None = None,
    categories: float = CATEGORY_SHARE,
    narrow: bool = False,
    notes: bool = False,
) -> LayoutReport:
    """Generate a report per seed into `out_dir` (PDF + truth JSON), read each with `reader`, and score it.

    Args:
        seeds: One report per seed.
        out_dir: Where `seed_NNN.pdf` and `seed_NNN.truth.json` are written (created if missing).
        reader: The reader to score; `rag.ingest.pdf.read_pdf` when None.
        name: How the report names the reader.
        pages: Pages per report (drawn from the seed, 3 to 6, when None).
        categories: The share of category-column tables (0 prints the years kinds only).
        narrow: Also a second report per seed, `seed_NNN_narrow.pdf`, of narrow tables side by side or in a text
            column (the kinds "side-by-side" and "in-column"); the first report is the same either way.
        notes: Also a report per seed, `seed_NNN_notes.pdf`, of financial statements with a column of note
            references (the kind "note-column").

    Returns:
        Table, reading-order and furniture scores summed over all reports.
    """
    read = reader or load_reader(DEFAULT_READER)
    out_dir.mkdir(parents=True, exist_ok=True)
    done: list[int] = []
    n_pages = printed = 0
    tables, order = TableScore(), OrderScore()
    units: list[CellCheck] = []
    note_checks: list[CellCheck] = []
    suffixes = [""] + (["_narrow"] if narrow else []) + (["_notes"] if notes else [])
    for seed in seeds:
        for suffix in suffixes:
            pdf = out_dir / f"seed_{seed:03d}{suffix}.pdf"
            truth = generate(seed, pdf, pages=pages, categories=categories, narrow=suffix == "_narrow",
                             notes=suffix == "_notes")
            save_truth(truth, pdf.with_suffix(".truth.json"))
            read_pages = read(pdf)
            tables += table_recovery(truth, read_pages)
            order += reading_order(truth, read_pages)
            facts = extract_facts(pdf_document(pdf, read_pages))
            units += unit_recovery(truth, facts)
            note_checks += note_references(truth, facts)
            n_pages += len(truth.pages)
            printed += sum(len(p.tables) for p in truth.pages)
        done.append(seed)
    return LayoutReport(name or getattr(read, "__qualname__", "reader"), tuple(done), n_pages, printed, tables, order,
                        tuple(units), tuple(note_checks))


@click.command()
@click.option("--seeds", default="0-19", show_default=True, help="Seeds to generate, e.g. '0-19' or '1,4,7-9'.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the generated PDFs and their truth JSON.")
@click.option("--reader", "reader_spec", default=DEFAULT_READER, show_default=True,
              help="The reader to score, as module:function.")
@click.option("--pages", type=click.IntRange(1, 50), help="Pages per report [3 to 6, drawn from the seed].")
@click.option("--misses", default=15, show_default=True, help="How many misses to list.")
@click.option("--only", default="", help="Break down and list misses of only the cells with this feature, "
              "e.g. 'kind:category-columns'.")
@click.option("--narrow/--no-narrow", default=True, show_default=True,
              help="Also score a report of narrow tables per seed (kinds side-by-side and in-column).")
@click.option("--notes/--no-notes", default=True, show_default=True,
              help="Also score a report of financial statements with note references per seed (kind note-column).")
def main(seeds: str, out_dir: Path, reader_spec: str, pages: int | None, misses: int, only: str,
         narrow: bool, notes: bool) -> None:
    """Score a PDF reader on synthetic reports whose ground truth is known.

    Example: python -m rag.eval.layout_check --seeds 0-19 --out /tmp/layout
    """
    try:
        seed_list = parse_seeds(seeds)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--seeds") from exc
    try:
        report = evaluate(seed_list, out_dir, load_reader(reader_spec), name=reader_spec, pages=pages, narrow=narrow,
                          notes=notes)
    except NotImplementedError as exc:
        raise click.ClickException(f"{reader_spec} is not implemented yet; try again once it is.") from exc
    click.echo(report.format(misses, only))


if __name__ == "__main__":
    main()
