"""Table rows read by `rag.ingest.pdf.read_pdf` from real PDFs, checked against a hand count.

`fixtures/devdocs_rows.json` was written by looking at the rendered pages (never from the reader's output): one
object per table row with the document, physical page, printed row label, the column headers as printed and the
value printed under each of them ("" for an empty cell). A row is *recovered* when some `TableGrid` on that page
has a row with that label whose cells, read under the matching columns, are the expected values.

The PDFs live outside the repository (`../shared/devdocs/`); without them these tests skip.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from rag.ingest.pdf import read_pdf
from rag.types import PageText, TableCell, TableGrid

FIXTURE = Path(__file__).parent / "fixtures" / "devdocs_rows.json"
DEVDOCS = Path(__file__).resolve().parents[2] / "shared" / "devdocs"
ROWS: list[dict] = json.loads(FIXTURE.read_text(encoding="utf-8"))
DOCS = sorted({r["doc"] for r in ROWS})
# The held-out evaluation documents: never counted here, never opened by this module.
HELD_OUT = {"sim-iks-arsmelding-2014", "oksenoya-skole-klimagassrapport", "nedre-sem-sirkularitet-2023"}
# Prose only (a three-column manifesto, no figures): a table found here is a false positive.
PROSE_ONLY = "fbab-manifest"

OVERALL_MIN = 0.95
PER_DOC_MIN = 0.90

# -- normalisation --------------------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_FOOTNOTE_TAIL = re.compile(r"(?:\s*[*†‡§⁰¹²³⁴⁵⁶⁷⁸⁹])+$")
# "(NIBD)3", "adjusted4": a footnote superscript read as a plain digit glued to the label
_GLUED_DIGITS = re.compile(r"(?:(?<=[^\W\d_])|(?<=\)))\d{1,2}$")
_LEAD_MARKER = re.compile(r"^[-+=•·] ")  # "- heraf realkreditudlån", "= Bokført verdi": a sub-item's marker
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])- (?=[^\W\d_])")  # "centralban- ker" (a word broken over two lines)


def _spaces(text: str) -> str:
    return " ".join(text.translate(_DASHES).split())


def norm_cell(text: str) -> str:
    """A cell's text compared: whitespace collapsed (nbsp, thin space), every dash/minus variant as "-"."""
    return _spaces(text)


def norm_label(text: str) -> str:
    """A row label or column header compared: as `norm_cell`, casefolded, no trailing footnote markers, no
    leading sub-item marker ("- ", "+ ", "= "), and a word hyphenated across a line break joined
    ("centralban- ker" == "centralbanker"); applied to both sides alike."""
    text = _LEAD_MARKER.sub("", _FOOTNOTE_TAIL.sub("", _spaces(text)))
    text = _HYPHEN_BREAK.sub(lambda m: "" if text[m.end()].islower() else m.group(0), text)
    return text.casefold()


def label_matches(expected: str, actual: str) -> bool:
    want = norm_label(expected)
    if norm_label(actual) == want:
        return True
    return norm_label(_GLUED_DIGITS.sub("", _FOOTNOTE_TAIL.sub("", _spaces(actual)))) == want


# -- matching one expected row against the grids of its page ---------------------------------------------------


def column_mapping(grid: TableGrid, headers: Sequence[str]) -> list[int] | None:
    """The grid column under each expected header: by header text, else the non-label columns in order.

    When the grid has more non-label columns than expected headers (an unheaded unit or note column), the
    rightmost ones are taken: figures sit to the right of units and note references.
    """
    first_data = grid.label_columns()
    data_cols = list(range(first_data, grid.n_cols))
    printed = grid.column_headers()
    used: set[int] = set()
    mapping: list[int] = []
    for head in headers:
        want = norm_label(head)
        col = next((c for c in data_cols if c not in used and norm_label(printed[c]) == want), None)
        if col is None:
            break
        used.add(col)
        mapping.append(col)
    else:
        return mapping
    if len(data_cols) < len(headers):
        return None
    return data_cols[len(data_cols) - len(headers) :]


def cells_under(grid: TableGrid, row: int, mapping: Sequence[int]) -> list[str]:
    line = grid.text_rows()[row]
    return [line[c] for c in mapping]


def row_recovered(expected: dict, grids: Sequence[TableGrid]) -> bool:
    want = [norm_cell(c) for c in expected["cells"]]
    for grid in grids:
        mapping = column_mapping(grid, expected["headers"])
        if mapping is None:
            continue
        for r in range(grid.header_rows, grid.n_rows):
            if not label_matches(expected["label"], grid.row_label(r)):
                continue
            if [norm_cell(c) for c in cells_under(grid, r, mapping)] == want:
                return True
    return False


def what_reader_had(expected: dict, grids: Sequence[TableGrid]) -> str:
    """The reader's nearest row for a missed expected row: same label if any, else the most similar label."""
    if not grids:
        return "no table on this page"
    candidates: list[tuple[float, int, int]] = []
    want = norm_label(expected["label"])
    for g, grid in enumerate(grids):
        for r in range(grid.n_rows):
            label = grid.row_label(r)
            score = (
                2.0
                if label_matches(expected["label"], label)
                else difflib.SequenceMatcher(None, want, norm_label(label)).ratio()
            )
            candidates.append((score, g, r))
    if not candidates:
        return f"{len(grids)} empty table(s) on this page"
    score, g, r = max(candidates)
    grid = grids[g]
    line = grid.text_rows()[r]
    labels = grid.label_columns()
    heads = grid.column_headers()[labels:]
    mapping = column_mapping(grid, expected["headers"])
    under = f" | under expected headers: {cells_under(grid, r, mapping)}" if mapping is not None else ""
    how = "same label" if score == 2.0 else f"closest label ({score:.2f})"
    return (
        f"{how}: table {g + 1}/{len(grids)} row {r}: label {grid.row_label(r)!r} cells {line[labels:]} "
        f"| headers {heads} (header_rows={grid.header_rows}, label_columns={labels}){under}"
    )


# -- the report ----------------------------------------------------------------------------------------------


@dataclass
class Recovery:
    found: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.found / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.found}/{self.total} ({self.rate:.0%})"


@dataclass
class Report:
    overall: Recovery
    by_doc: dict[str, Recovery]
    text: str


def recovery_report(rows: Sequence[dict], pages_of: dict[str, Sequence[PageText]]) -> Report:
    """Score every expected row; the text lists per-document and per-table rates and every miss."""
    overall = Recovery()
    by_doc: dict[str, Recovery] = defaultdict(Recovery)
    by_table: dict[tuple[str, int, str], Recovery] = defaultdict(Recovery)
    misses: list[str] = []
    for row in rows:
        page = row["page"]
        grids = [g for p in pages_of[row["doc"]] if p.page == page for g in p.tables]
        ok = row_recovered(row, grids)
        for tally in (overall, by_doc[row["doc"]], by_table[(row["doc"], page, row["table"] or "")]):
            tally.total += 1
            tally.found += ok
        if not ok:
            misses.append(
                f"  {row['doc']} p{page} [{row['table']}] {row['label']!r}: want {row['cells']} "
                f"under {row['headers']}\n      reader: {what_reader_had(row, grids)}"
            )
    lines = [f"devdocs table rows recovered: {overall}"]
    for doc, tally in sorted(by_doc.items()):
        lines.append(f"  {doc}: {tally}")
        for (d, page, table), t in sorted(by_table.items()):
            if d == doc:
                lines.append(f"    p{page} {table}: {t}")
    if misses:
        lines.append(f"misses ({len(misses)}):")
        lines.extend(misses)
    return Report(overall=overall, by_doc=dict(by_doc), text="\n".join(lines))


# -- reading the PDFs (once per document) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def devdocs() -> Path:
    if not DEVDOCS.is_dir():
        if os.environ.get("RAG_REQUIRE_DEVDOCS"):  # CI sets it: a missing folder must fail, not skip
            pytest.fail(f"RAG_REQUIRE_DEVDOCS is set but the development PDFs are not here: {DEVDOCS}")
        pytest.skip(f"the development PDFs are not here: {DEVDOCS}")
    return DEVDOCS


@cache
def _read(path: Path) -> tuple[PageText, ...]:
    return tuple(read_pdf(path))


def pages_for(devdocs: Path, docs: Sequence[str]) -> dict[str, Sequence[PageText]]:
    return {doc: _read(devdocs / f"{doc}.pdf") for doc in docs}


# -- tests of the fixture and of the checker itself (no reader needed) ----------------------------------------


def test_fixture_is_a_hand_count_of_the_allowed_documents() -> None:
    assert len(ROWS) >= 160
    assert not HELD_OUT & set(DOCS)
    seen: set[tuple[str, int, str, tuple[str, ...]]] = set()
    for row in ROWS:
        assert set(row) == {"doc", "page", "table", "headers", "label", "cells"}, row
        assert isinstance(row["page"], int) and row["page"] >= 1, row
        assert row["label"].strip() and len(row["headers"]) == len(row["cells"]) >= 1, row
        assert any(c.strip() for c in row["cells"]), row
        key = (row["doc"], row["page"], norm_label(row["label"]), tuple(map(norm_cell, row["cells"])))
        assert key not in seen, f"counted twice: {row}"
        seen.add(key)


def _grid(rows: list[list[str]], header_rows: int = 1, label_columns: int = 1) -> TableGrid:
    cells = tuple(
        TableCell(text, r, c, column_header=r < header_rows, row_header=c < label_columns and r >= header_rows)
        for r, line in enumerate(rows)
        for c, text in enumerate(line)
    )
    return TableGrid(page=1, n_rows=len(rows), n_cols=len(rows[0]), cells=cells)


def test_checker_matches_by_header_text_and_normalises() -> None:
    grid = _grid(
        [
            ["", "2024", "2023", "2020 ¹"],
            ["Net interest-bearing debt (NIBD)3", "27,357", "22,351", "21,263"],
            ["Tilgodehavender hos kreditinstitutter og centralbanker", "\u22121.518", "", "0"],
        ]
    )
    nibd = {"label": "Net interest-bearing debt (NIBD)³", "headers": ["2020¹", "2024"], "cells": ["21,263", "27,357"]}
    assert row_recovered(nibd, [grid])
    wrapped = {
        "label": "Tilgodehavender hos kreditinstitutter og centralban- ker",
        "headers": ["2024", "2023", "2020¹"],
        "cells": ["-1.518", "", "0"],
    }
    assert row_recovered(wrapped, [grid])
    assert not row_recovered({**wrapped, "cells": ["-1.518", "0", ""]}, [grid])  # a shifted cell is a miss
    assert label_matches("- heraf realkreditudlån", "heraf realkreditudlån")
    assert label_matches("Hybrid kerne- kapital*", "Hybrid kernekapital")
    assert not label_matches("Fasadestein- Solvågstein", "FasadesteinSolvågstein")


def test_checker_falls_back_to_column_order_and_reports_misses() -> None:
    # no header row (a continuation section), and an unheaded unit column left of the figures
    grid = _grid([["Gross margin", "%", "45.8", "44.6"], ["Payout ratio", "%", "39", "n.m."]], header_rows=0)
    row = {
        "doc": "d",
        "page": 1,
        "table": "t",
        "label": "Payout ratio",
        "headers": ["2024", "2023"],
        "cells": ["39", "n.m."],
    }
    assert row_recovered(row, [grid])
    missed = {**row, "label": "Payout ratio, adjusted⁴", "cells": ["49", "49"]}
    report = recovery_report([row, missed], {"d": [PageText(page=1, text="", tables=(grid,))]})
    assert (report.overall.found, report.overall.total) == (1, 2)
    assert "Payout ratio, adjusted⁴" in report.text and "closest label" in report.text
    assert "p1 t: 1/2" in report.text


# -- the reader against the hand count -----------------------------------------------------------------------


def test_devdocs_table_rows_recovered(devdocs: Path) -> None:
    report = recovery_report(ROWS, pages_for(devdocs, DOCS))
    print("\n" + report.text)  # noqa: T201
    assert report.overall.rate >= OVERALL_MIN, report.text


@pytest.mark.parametrize("doc", DOCS)
def test_devdocs_table_rows_recovered_per_document(devdocs: Path, doc: str) -> None:
    rows = [r for r in ROWS if r["doc"] == doc]
    report = recovery_report(rows, pages_for(devdocs, [doc]))
    assert report.by_doc[doc].rate >= PER_DOC_MIN, report.text


def test_prose_only_document_has_no_tables(devdocs: Path) -> None:
    pages = pages_for(devdocs, [PROSE_ONLY])[PROSE_ONLY]
    found = [(p.page, g.text_rows()[:3]) for p in pages for g in p.tables]
    assert not found, f"{PROSE_ONLY} is three columns of prose, yet tables were found: {found}"
