"""Table rows read by `rag.ingest.pdf.read_pdf` from two HELD-OUT real PDFs, checked against a hand count.

`fixtures/devdocs_rows_heldout.json` has the format of `fixtures/devdocs_rows.json` and was written the same way:
by looking at the rendered pages (pdftoppm) and copying the printed strings (pdftotext), never from the reader's
output. The rows are matched by the helpers of `tests.test_devdocs_tables`.

These two documents are held out: nobody tunes the reader on them. The test therefore reports only how many rows
were recovered per document, never which rows were missed, and `HELDOUT_FLOOR` is a floor against regression,
not a target.

The PDFs live outside the repository (`../shared/devdocs/`); without them these tests skip (or fail when
`RAG_REQUIRE_DEVDOCS` is set).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.test_devdocs_tables import DEVDOCS, HELD_OUT, norm_cell, norm_label, pages_for, recovery_report

FIXTURE = Path(__file__).parent / "fixtures" / "devdocs_rows_heldout.json"
ROWS: list[dict] = json.loads(FIXTURE.read_text(encoding="utf-8"))
DOCS = sorted({r["doc"] for r in ROWS})

# Measured on 2026-12-02: 75/106 = 0.708 overall (sim-iks-arsmelding-2014 56/62 = 0.903,
# oksenoya-skole-klimagassrapport 19/44 = 0.432; on 2026-12-01 66/106 with 10/44, before the reader learnt headings
# spanning column groups, group rows under the header and empty last columns from generated reports). The floor is
# that rate rounded down to two decimals minus 0.02 (0.70 - 0.02): a floor against regression on held-out
# documents, NOT a target to tune on (do not look at, or fix, individual misses here).
HELDOUT_FLOOR = 0.68


@pytest.fixture(scope="module")
def heldout_pdfs() -> Path:
    missing = [doc for doc in DOCS if not (DEVDOCS / f"{doc}.pdf").is_file()]
    if missing:
        if os.environ.get("RAG_REQUIRE_DEVDOCS"):  # CI sets it: missing PDFs must fail, not skip
            pytest.fail(f"RAG_REQUIRE_DEVDOCS is set but held-out PDFs are not in {DEVDOCS}: {missing}")
        pytest.skip(f"the held-out PDFs are not here ({DEVDOCS}): {missing}")
    return DEVDOCS


def heldout_counts(rows: Sequence[dict], devdocs: Path) -> dict[str, tuple[int, int]]:
    """(found, total) per document, plus "overall"; nothing about which rows were missed leaves this function."""
    report = recovery_report(rows, pages_for(devdocs, sorted({r["doc"] for r in rows})))
    counts = {doc: (tally.found, tally.total) for doc, tally in report.by_doc.items()}
    counts["overall"] = (report.overall.found, report.overall.total)
    return counts


def summary(counts: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{name}: {found}/{total} ({found / total:.0%})" for name, (found, total) in counts.items())


def test_heldout_fixture_is_a_hand_count_of_the_held_out_documents() -> None:
    assert len(ROWS) >= 40
    assert set(DOCS) == {"sim-iks-arsmelding-2014", "oksenoya-skole-klimagassrapport"}
    assert set(DOCS) <= HELD_OUT
    seen: set[tuple[str, int, str, tuple[str, ...]]] = set()
    for row in ROWS:
        assert set(row) == {"doc", "page", "table", "headers", "label", "cells"}, row
        assert isinstance(row["page"], int) and row["page"] >= 1, row
        assert row["label"].strip() and len(row["headers"]) == len(row["cells"]) >= 1, row
        assert any(c.strip() for c in row["cells"]), row
        key = (row["doc"], row["page"], norm_label(row["label"]), tuple(map(norm_cell, row["cells"])))
        assert key not in seen, f"counted twice: {row}"
        seen.add(key)
    for doc in DOCS:  # several tables per document
        assert len({(r["page"], r["table"]) for r in ROWS if r["doc"] == doc}) >= 5, doc


def test_heldout_table_rows_recovered(heldout_pdfs: Path) -> None:
    counts = heldout_counts(ROWS, heldout_pdfs)
    found, total = counts["overall"]
    rate = found / total
    # Only per-document counts in the message: the misses on held-out documents are not to be looked at.
    if rate < HELDOUT_FLOOR:
        pytest.fail(f"held-out table rows recovered {rate:.3f} < floor {HELDOUT_FLOOR}: {summary(counts)}")
