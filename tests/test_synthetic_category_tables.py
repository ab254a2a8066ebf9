"""Category-column tables in generated reports: items as rows, categories (phases, scopes, …) as columns.

These pin the generator and its truth — what a seed prints and how `layout_check` looks it up — not the
quality of the PDF reader (`tests/test_synthetic.py` scores that).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from rag.eval import synthetic
from rag.eval.layout_check import TableScore, normalise, table_recovery
from rag.eval.synthetic import (
    DASH,
    FAMILIES,
    Notation,
    SynthPage,
    SynthReport,
    SynthTable,
    generate,
    load_truth,
    save_truth,
)
from rag.types import PageText, TableCell, TableGrid

SEEDS = range(24)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, SynthReport]]:
    folder = tmp_path_factory.mktemp("category")
    return [(folder / f"seed_{s:03d}.pdf", generate(s, folder / f"seed_{s:03d}.pdf")) for s in SEEDS]


def _tables(truth: SynthReport) -> list[tuple[SynthPage, SynthTable]]:
    return [(p, t) for p in truth.pages for t in p.tables if t.kind == "category-columns"]


def _figure(text: str, notation: Notation) -> float:
    thousands, point = {"dot-comma": (".", ","), "space-comma": (" ", ","), "comma-dot": (",", ".")}[notation]
    return float(text.replace(thousands, "").replace(point, "."))


# --- what a seed prints ---------------------------------------------------------------------------


def test_seed_4_prints_waste_by_treatment_under_a_spanning_heading(reports: list[tuple[Path, SynthReport]]) -> None:
    truth = reports[4][1]
    (page, table), *_ = _tables(truth)
    assert (page.number, table.title, table.family) == (2, "Tabel 2. Affald fordelt på behandling", "waste")
    assert (table.years_as, table.header_style, table.unit_style) == ("none", "spanning", "header")
    assert table.header_rows == [
        ["", *["Behandling (tons)"] * 5],
        ["Materiale", "Genbrug", "Genanvendelse", "Energiudnyttelse", "Deponi", "Total"],
    ]
    assert table.header_spans == [[0, 0, 4]]
    # A column under the heading is named by the heading and its own header, top to bottom.
    assert table.columns == [f"Behandling (tons) {h}" for h in table.header_rows[1][1:]]
    assert table.column_kinds == ["category"] * 4 + ["total"]
    assert [r.label for r in table.rows] == ["Stål", "Træ", "Isolering", "Jord og sten", "I alt"]
    assert table.rows[0].cells == ["333,9", "106,4", "356,7", DASH, "797,0"]
    assert table.rows[-1].total and table.rows[-1].cells[-1] == "2 416,8"


def test_seed_3_prints_emissions_by_site_with_the_unit_over_the_labels(
    reports: list[tuple[Path, SynthReport]],
) -> None:
    (page, table), *_ = _tables(reports[3][1])
    assert (page.number, table.title, table.family) == (1, "Tabel 1. Udledning fordelt på lokationer", "scopes")
    assert (table.header_style, table.unit_style) == ("single", "corner")
    assert table.header_rows == [["Lokation (tCO2e)", "Scope 1", "Scope 2", "Scope 3", "Sum"]]
    assert table.columns == ["Scope 1", "Scope 2", "Scope 3", "Sum"]
    assert table.rows[0].label == "Lager og distribution"
    assert table.rows[0].cells == ["12.116", "3.880", "21.422", "37.418"]


# --- the truth holds together ---------------------------------------------------------------------


def test_a_fair_share_of_tables_and_every_variation(reports: list[tuple[Path, SynthReport]]) -> None:
    tables = [t for _, truth in reports for p in truth.pages for t in p.tables]
    category = [t for _, truth in reports for _, t in _tables(truth)]
    assert 0.2 <= len(category) / len(tables) <= 0.4
    seen = {f"family:{t.family}" for t in category} | {f"headers:{t.header_style}" for t in category}
    seen |= {f"unit:{t.unit_style}" for t in category} | {f"ruling:{t.ruling}" for t in category}
    seen |= {f"total:{'bold' if r.bold else 'plain'}" for t in category for r in t.rows if r.total}
    cells = [c for t in category for r in t.rows for c in r.cells]
    seen |= {"cell:empty"} if "" in cells else set()
    seen |= {"cell:dash"} if DASH in cells else set()
    seen |= {f"language:{truth.language}" for _, truth in reports for _ in _tables(truth)}
    expected = {
        *(f"family:{f}" for f in FAMILIES),
        *(f"headers:{h}" for h in ("single", "spanning", "wrapped")),
        *(f"unit:{u}" for u in ("header", "corner", "column", "none", "label")),
        *(f"ruling:{r}" for r in synthetic.RULINGS),
        "total:bold", "total:plain", "cell:empty", "cell:dash",
        *(f"language:{x}" for x in synthetic.LANGUAGES),
    }  # fmt: skip
    assert expected <= seen, expected - seen


def test_truth_shapes_spans_and_totals(reports: list[tuple[Path, SynthReport]]) -> None:
    for _, truth in reports:
        for _, table in _tables(truth):
            assert len({len(line) for line in table.header_rows}) == 1
            assert all(len(r.cells) == len(table.columns) == len(table.column_kinds) for r in table.rows)
            assert not any(h.isdigit() for h in table.columns)  # categories, never years
            assert all(any(c and c != DASH for c in r.cells) for r in table.rows)
            for line, first, last in table.header_spans:
                heading = table.header_rows[line][first + 1]
                assert last > first and set(table.header_rows[line][first + 1 : last + 2]) == {heading}
                assert all(table.columns[j].startswith(f"{heading} ") for j in range(first, last + 1))
            body = [r for r in table.rows if not r.total]
            assert not any(r.total for r in table.rows[:-1])  # a total row comes last
            for j, kind in enumerate(table.column_kinds):
                if kind == "total":  # a total column adds up the categories of its row
                    for row in table.rows:
                        parts = [row.cells[k] for k, kd in enumerate(table.column_kinds) if kd == "category"]
                        want = sum(_figure(c, truth.notation) for c in parts if c not in ("", DASH))
                        got = 0.0 if row.cells[j] == DASH else _figure(row.cells[j], truth.notation)
                        assert got == pytest.approx(want, abs=0.06), (truth.seed, table.title, row.label)
                total = table.rows[-1]
                if total.total and kind in ("category", "total") and total.cells[j] not in ("", DASH):
                    want = sum(_figure(r.cells[j], truth.notation) for r in body if r.cells[j] not in ("", DASH))
                    assert _figure(total.cells[j], truth.notation) == pytest.approx(want, abs=0.06)


def test_truth_round_trips_through_json(reports: list[tuple[Path, SynthReport]], tmp_path: Path) -> None:
    truth = reports[4][1]
    save_truth(truth, tmp_path / "t.json")
    loaded = load_truth(tmp_path / "t.json")
    assert loaded == truth
    assert _tables(loaded)[0][1].header_spans == [[0, 0, 4]]


def test_the_pdf_prints_the_category_headers_and_items(reports: list[tuple[Path, SynthReport]]) -> None:
    checked = 0
    for path, truth in reports[:12]:
        pages = PdfReader(path).pages
        for page, table in _tables(truth):
            pieces: list[str] = []  # one per text the generator drew

            def draw(t: str, *_: object, into: list[str] = pieces) -> None:
                into.append(t.strip())

            text = normalise(pages[page.number - 1].extract_text(visitor_text=draw))
            printed = [table.title, *(t for line in table.header_rows for t in line if t)]
            printed += [line for r in table.rows for line in r.label_lines] + [c for r in table.rows for c in r.cells]
            missing = [s for s in printed if s and normalise(s) not in text]
            assert not missing, f"seed {truth.seed} page {page.number}: {missing[:5]}"
            for line, first, _ in table.header_spans:  # a spanning heading is drawn once, not over every column
                heading = table.header_rows[line][first + 1]
                tables = sum(heading == t.header_rows[n][f + 1] for t in page.tables for n, f, _ in t.header_spans)
                assert pieces.count(heading) == tables
            checked += 1
    assert checked >= 5


def test_other_tables_and_the_text_come_out_as_without_category_tables(
    reports: list[tuple[Path, SynthReport]], tmp_path: Path
) -> None:
    """Category tables draw from a stream of their own: the years tables and paragraphs of a seed stay put."""
    same = 0
    for seed in (3, 4, 7):
        before = generate(seed, tmp_path / f"{seed}.pdf", categories=0.0)
        after = reports[seed][1]
        assert not any(_tables(before))
        assert [p.paragraphs for p in before.pages] == [p.paragraphs for p in after.pages]
        assert [p.furniture for p in before.pages] == [p.furniture for p in after.pages]
        old = {t.title: t for p in before.pages for t in p.tables}
        for page in after.pages:
            for table in page.tables:
                if table.kind != "category-columns" and table.title in old:
                    assert old[table.title] == table
                    same += 1
    assert same >= 5


# --- layout_check looks them up -------------------------------------------------------------------


def _oracle(page: SynthPage) -> PageText:
    """What a perfect reader returns: header lines as header rows (`column_headers()` joins them)."""
    grids = []
    for table in page.tables:
        cells = [TableCell(t, r, c, column_header=True) for r, line in enumerate(table.header_rows)
                 for c, t in enumerate(line)]
        top = len(table.header_rows)
        for i, row in enumerate(table.rows):
            cells.append(TableCell(row.label, top + i, 0, row_header=True))
            cells += [TableCell(t, top + i, j + 1) for j, t in enumerate(row.cells)]
        n_rows, n_cols = top + len(table.rows), len(table.header_rows[0])
        grids.append(TableGrid(page.number, n_rows, n_cols, tuple(cells), title=table.title,
                               parents=(None,) * n_rows))
    return PageText(page.number, "", tuple(grids))


def test_a_perfect_reading_finds_every_category_cell(reports: list[tuple[Path, SynthReport]]) -> None:
    score = sum((table_recovery(truth, [_oracle(p) for p in truth.pages]) for _, truth in reports[:12]), TableScore())
    category = score.only("kind:category-columns")
    assert category.total > 200 and category.misses == []
    features = category.by_feature()
    for feature in ("header:spanned", "headers:wrapped", "row:total", "row:total-bold", "column:total",
                    "column:category", "family:phases", "unit:corner"):
        assert features.get(feature, (0, 0))[1] > 0, feature
