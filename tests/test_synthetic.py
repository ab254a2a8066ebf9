"""The synthetic report generator and the layout checker; the last test scores the real PDF reader."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rag.eval.layout_check import (
    OrderScore,
    TableScore,
    evaluate,
    main,
    normalise,
    parse_seeds,
    reading_order,
    table_recovery,
)
from rag.eval.synthetic import (
    DASH,
    SynthPage,
    SynthReport,
    SynthTable,
    format_number,
    generate,
    generate_corpus,
    load_truth,
    save_truth,
)
from rag.types import PageText, TableCell, TableGrid

SEEDS = range(12)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, SynthReport]]:
    folder = tmp_path_factory.mktemp("synthetic")
    return [(folder / f"seed_{s:03d}.pdf", generate(s, folder / f"seed_{s:03d}.pdf")) for s in SEEDS]


# --- a perfect reader built from the truth, to test the checker ----------------------------------


def oracle_grid(table: SynthTable, page: int) -> TableGrid:
    cells = []
    for r, line in enumerate(table.header_rows):
        cells += [TableCell(t, r, c, column_header=True, row_header=c == 0) for c, t in enumerate(line)]
    top = len(table.header_rows)
    for i, row in enumerate(table.rows):
        cells.append(TableCell("\n".join(row.label_lines), top + i, 0, row_header=True))
        cells += [TableCell(t, top + i, j + 1) for j, t in enumerate(row.cells)]
    parents = (None,) * top + tuple(row.parent for row in table.rows)
    n_rows, n_cols = top + len(table.rows), len(table.header_rows[0])
    return TableGrid(page, n_rows, n_cols, tuple(cells), title=table.title, parents=parents, ruled=table.ruled)


def oracle_page(page: SynthPage) -> PageText:
    by_column: dict[int, list[str]] = {}
    for paragraph, column in zip(page.paragraphs, page.paragraph_columns, strict=True):
        by_column.setdefault(column, []).append(paragraph)
    text = "\n\n".join([page.heading, *("\n\n".join(by_column[c]) for c in sorted(by_column))])
    tables = tuple(oracle_grid(t, page.number) for t in page.tables)
    return PageText(page.number, text, tables, dropped=tuple(page.furniture))


def oracle_read(path: Path) -> list[PageText]:
    """A reader that knows the answer (reads the truth JSON `evaluate` writes beside each PDF)."""
    return [oracle_page(p) for p in load_truth(path.with_suffix(".truth.json")).pages]


def _first_table(truth: SynthReport) -> tuple[SynthPage, SynthTable]:
    return next((p, t) for p in truth.pages for t in p.tables if t.years_as == "columns")


# --- the generator --------------------------------------------------------------------------------


class TestGenerator:
    def test_same_seed_same_truth_and_bytes(self, tmp_path: Path) -> None:
        a = generate(7, tmp_path / "a.pdf")
        b = generate(7, tmp_path / "b.pdf")
        assert a == b
        assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
        assert generate(8, tmp_path / "c.pdf") != a

    def test_truth_round_trips_through_json(self, reports: list[tuple[Path, SynthReport]], tmp_path: Path) -> None:
        truth = reports[0][1]
        save_truth(truth, tmp_path / "t.json")
        assert load_truth(tmp_path / "t.json") == truth

    def test_number_notations(self) -> None:
        assert format_number(1567.18, 2, "dot-comma") == "1.567,18"
        assert format_number(1567.18, 2, "space-comma") == "1 567,18"
        assert format_number(1567.18, 2, "comma-dot") == "1,567.18"
        assert format_number(2500000, 0, "dot-comma") == "2.500.000"

    def test_every_printed_string_is_in_the_pdf(self, reports: list[tuple[Path, SynthReport]]) -> None:
        for path, truth in reports[:6]:
            pages = PdfReader(path).pages
            assert len(pages) == len(truth.pages)
            for page, pdf_page in zip(truth.pages, pages, strict=True):
                text = normalise(pdf_page.extract_text())
                printed = [*page.furniture, page.heading]
                for table in page.tables:
                    printed += [table.title, *(t for line in table.header_rows for t in line if t)]
                    for row in table.rows:
                        printed += [*row.label_lines, *(c for c in row.cells if c)]
                missing = [s for s in printed if normalise(s) not in text]
                assert not missing, f"seed {truth.seed} page {page.number}: {missing[:5]}"
                words = set(text.split())
                assert all(w in words for s in page.paragraphs for w in s.split())

    def test_columns_are_interleaved_in_the_content_stream(self, reports: list[tuple[Path, SynthReport]]) -> None:
        """pypdf reads in stream order: whole on one-column pages, broken where columns interleave."""
        broken = {1: 0, 2: 0, 3: 0}
        for path, truth in reports[:6]:
            for page, pdf_page in zip(truth.pages, PdfReader(path).pages, strict=True):
                text = normalise(pdf_page.extract_text())
                broken[page.columns] += sum(normalise(s) not in text for para in page.sentences for s in para)
        assert broken[1] == 0
        assert broken[2] > 0 and broken[3] > 0

    def test_sentences_are_unique_and_labels_unique_per_report(self, reports: list[tuple[Path, SynthReport]]) -> None:
        for _, truth in reports:
            sentences = [s for p in truth.pages for para in p.sentences for s in para]
            assert len(sentences) == len(set(sentences))
            labels = [r.label for p in truth.pages for t in p.tables if t.years_as == "columns" for r in t.rows]
            assert len(labels) == len(set(labels))
            for page in truth.pages:
                assert [" ".join(p) for p in page.sentences] == page.paragraphs

    def test_truth_shapes(self, reports: list[tuple[Path, SynthReport]]) -> None:
        for _, truth in reports:
            for page in truth.pages:
                for table in page.tables:
                    assert len({len(line) for line in table.header_rows}) == 1
                    assert all(len(r.cells) == len(table.columns) == len(table.column_kinds) for r in table.rows)
                    assert all(" ".join(r.label_lines) == r.label for r in table.rows)
                    assert all(not any(r.cells) for r in table.rows if r.group)
                    assert all(any(c and c != DASH for c in r.cells) for r in table.rows if not r.group)

    def test_twelve_seeds_cover_every_layout_feature(self, reports: list[tuple[Path, SynthReport]]) -> None:
        seen: set[str] = set()
        for _, truth in reports:
            seen |= {f"language:{truth.language}", f"notation:{truth.notation}"}
            for page in truth.pages:
                seen.add(f"columns:{page.columns}")
                seen |= {f"furniture:{'page_of' if ' ' in page.furniture[2] else 'number'}"}
                for table in page.tables:
                    seen |= {f"years:{table.years_as}", f"ruling:{table.ruling}", f"unit:{table.unit_style}"}
                    seen |= {f"align:{table.align}", *(f"column:{k}" for k in table.column_kinds)}
                    seen |= {"header:multiline"} if len(table.header_rows) > 1 else set()
                    for row in table.rows:
                        seen |= {"row:group"} if row.group else {"row:child"} if row.parent else set()
                        seen |= {f"label:multiline:{table.valign}"} if row.wrapped else set()
                        seen |= {"cell:empty"} if "" in row.cells and not row.group else set()
                        seen |= {"cell:dash"} if DASH in row.cells else set()
        expected = {
            *(f"language:{x}" for x in ("da", "nb", "en")),
            *(f"notation:{x}" for x in ("dot-comma", "space-comma", "comma-dot")),
            *(f"columns:{x}" for x in (1, 2, 3)),
            "furniture:page_of", "furniture:number",
            "years:columns", "years:rows",
            *(f"ruling:{x}" for x in ("grid", "rows", "booktabs", "stripes", "none")),
            *(f"unit:{x}" for x in ("column", "label", "header")),
            *(f"column:{x}" for x in ("unit", "year", "target", "metric")),
            "align:right", "align:center", "header:multiline", "row:group", "row:child",
            *(f"label:multiline:{x}" for x in ("top", "middle", "bottom")),
            "cell:empty", "cell:dash",
        }  # fmt: skip
        assert expected <= seen, expected - seen

    def test_a_years_tables_one_unit_is_printed_once_in_the_corner_or_the_title(
        self, reports: list[tuple[Path, SynthReport]]
    ) -> None:
        # With no unit column, a row's unit is the one its label names in brackets, else the table's: alone in the
        # header's corner or at the end of the title ("(MWh)", ", tonnes CO2e"), a scale of money among them.
        seen: set[str] = set()
        for _, truth in reports:
            for table in (t for page in truth.pages for t in page.tables):
                if table.years_as != "columns" or table.unit_style not in ("corner", "none"):
                    continue
                assert "unit" not in table.column_kinds
                place = table.header_rows[-1][0] if table.unit_style == "corner" else table.title
                for row in table.rows:
                    for unit in {u for u in row.units if u}:
                        assert row.label.endswith(f"({unit})") or place.endswith((unit, f"({unit})")), (place, row)
                seen.add(table.unit_style)
                seen |= {"money"} if any("kr." in u or "DKK" in u or "NOK" in u or "EUR" in u
                                         for r in table.rows for u in r.units) else set()
        assert {"corner", "none", "money"} <= seen, seen

    def test_corpus_of_two_organisations(self, tmp_path: Path) -> None:
        corpus = generate_corpus(3, tmp_path)
        assert len(corpus) == 2
        assert corpus[0][1].org != corpus[1][1].org
        assert all(path.exists() and path.stat().st_size < 40_000 for path, _ in corpus)
        assert all(p.furniture[0] == truth.org for _, truth in corpus for p in truth.pages)


# --- the checker ----------------------------------------------------------------------------------


class TestChecker:
    def test_a_perfect_reading_scores_full_marks(self, reports: list[tuple[Path, SynthReport]]) -> None:
        tables, order = TableScore(), OrderScore()
        for _, truth in reports:
            pages = [oracle_page(p) for p in truth.pages]
            tables += table_recovery(truth, pages)
            order += reading_order(truth, pages)
        assert tables.total > 1000 and tables.empty_total > 50
        assert tables.misses == []
        assert all(c.ok for c in tables.parents + tables.titles) and tables.parents
        assert order.intact == order.total > 300 and order.out_of_order == order.split == 0
        assert order.furniture_in_text == 0 and order.furniture_dropped == len(order.furniture)

    def test_a_value_slid_into_the_empty_neighbour_is_two_misses(self, reports: list[tuple[Path, SynthReport]]) -> None:
        truth, page, table, i, j = next(
            (truth, p, t, i, j)
            for _, truth in reports for p in truth.pages for t in p.tables
            for i, r in enumerate(t.rows) for j in range(len(r.cells) - 1)
            if not r.cells[j] and r.cells[j + 1] and not r.group
        )  # fmt: skip
        row = table.rows[i]
        cells = list(row.cells)
        cells[j], cells[j + 1] = cells[j + 1], ""  # the value after the empty cell slides left
        shifted = replace(table, rows=[*table.rows[:i], replace(row, cells=cells), *table.rows[i + 1 :]])
        pages = [oracle_page(replace(p, tables=[shifted if t is table else t for t in p.tables]) if p is page else p)
                 for p in truth.pages]  # fmt: skip
        score = table_recovery(truth, pages)
        assert sorted(m.reason for m in score.misses) == ["empty in grid", "should be empty"]
        assert {(m.row, m.column) for m in score.misses} == {(row.label, table.columns[k]) for k in (j, j + 1)}

    def test_missing_rows_tables_and_headers_are_named(self, reports: list[tuple[Path, SynthReport]]) -> None:
        truth = reports[0][1]
        page, table = _first_table(truth)
        renamed = replace(table, rows=[replace(table.rows[-1], label="Something else", label_lines=["Something else"])
                                       if r is table.rows[-1] else r for r in table.rows])
        pages = [oracle_page(replace(p, tables=[renamed if t is table else t for t in p.tables]) if p is page else p)
                 for p in truth.pages]
        reasons = table_recovery(truth, pages).reasons()
        assert reasons == {"row not found": len(table.columns)}
        bare = [replace(oracle_page(p), tables=()) if p is page else oracle_page(p) for p in truth.pages]
        assert set(table_recovery(truth, bare).reasons()) == {"no table"}
        headless = [oracle_page(replace(p, tables=[replace(t, header_rows=[["x"] * len(t.header_rows[0])])
                                                   for t in p.tables])) if p is page else oracle_page(p)
                    for p in truth.pages]
        assert set(table_recovery(truth, headless).reasons()) == {"column not found"}

    def test_interleaved_missing_and_misordered_sentences(self, reports: list[tuple[Path, SynthReport]]) -> None:
        truth, page, k = next(
            (truth, p, k) for _, truth in reports for p in truth.pages for k, s in enumerate(p.sentences) if len(s) >= 3
        )
        a, b, c, *rest = page.sentences[k]
        words = a.split()
        broken = " ".join([*words[: len(words) // 2], c, *words[len(words) // 2 :], *rest])  # c inside a; b gone
        text = "\n\n".join(broken if i == k else para for i, para in enumerate(page.paragraphs))
        pages = [replace(oracle_page(p), text=text) if p is page else oracle_page(p) for p in truth.pages]
        score = reading_order(truth, pages)
        assert (score.interleaved, score.missing, score.out_of_order) == (1, 1, 0)
        assert score.intact == score.total - 2
        swapped = "\n\n".join(page.paragraphs).replace(f"{a} {b}", f"{b} {a}")
        pages = [replace(oracle_page(p), text=swapped) if p is page else oracle_page(p) for p in truth.pages]
        assert reading_order(truth, pages).out_of_order == 1
        blocks = "\n\n".join(page.paragraphs).replace(a, a.replace(" ", "\n\n", 1))
        pages = [replace(oracle_page(p), text=blocks) if p is page else oracle_page(p) for p in truth.pages]
        score = reading_order(truth, pages)
        assert (score.intact, score.split) == (score.total, 1)

    def test_furniture_left_in_the_text(self, reports: list[tuple[Path, SynthReport]]) -> None:
        truth = reports[0][1]
        page = truth.pages[1]
        org, _, footer = page.furniture
        dirty = replace(oracle_page(page), text=f"{org}\n\n{oracle_page(page).text}\n\n{footer}", dropped=())
        score = reading_order(truth, [dirty if p.number == page.number else oracle_page(p) for p in truth.pages])
        assert score.furniture_in_text == 2
        assert score.furniture_dropped == len(score.furniture) - 3

    def test_page_number_only_counts_on_a_line_of_its_own(self, reports: list[tuple[Path, SynthReport]]) -> None:
        truth = next(t for _, t in reports if t.pages[0].furniture[2].isdigit())
        page = truth.pages[1]
        number = page.furniture[2]
        for text, expected in ((f"med {number} procent", 0), (f"tekst\n{number}\n", 1)):
            read = [replace(oracle_page(p), text=oracle_page(p).text + "\n" + text) if p is page else oracle_page(p)
                    for p in truth.pages]
            assert reading_order(truth, read).furniture_in_text == expected

    def test_parse_seeds(self) -> None:
        assert parse_seeds("0-3") == [0, 1, 2, 3]
        assert parse_seeds("1,4,7-8") == [1, 4, 7, 8]
        with pytest.raises(ValueError, match="Bad seed range"):
            parse_seeds("a-b")

    def test_cli_reports_features(self, tmp_path: Path) -> None:
        result = CliRunner().invoke(
            main, ["--seeds", "0-2", "--out", str(tmp_path), "--reader", "tests.test_synthetic:oracle_read"]
        )
        assert result.exit_code == 0, result.output
        assert "Table cells recovered" in result.output and "(100.0%)" in result.output
        assert "years:columns" in result.output and "columns:1" in result.output
        assert (tmp_path / "seed_002.pdf").exists() and (tmp_path / "seed_002.truth.json").exists()


# --- the real reader ------------------------------------------------------------------------------


# Measured 0.978 of the cells on these seeds (2026-12-01; 0.983 on seeds 0-19, 0.985 on 100-139, 0.993 on 200-239).
# The goal (issue #11) is 0.98; this floor keeps the table reader from getting worse.
# Raise it as the reader improves, never lower it.
TABLE_CELL_FLOOR = 0.97
# Tables with category columns (life-cycle phases, scopes, group/parent, quantities; spanning headings) were added
# to the generator on 2026-12-07: measured 0.618 of their cells on these seeds (0.617 on 0-19, 0.682 on 100-139);
# 0.829 once spanning headings were read (0.794 on 0-19, 0.908 on 100-139).
# Same rule: raise it as the reader improves, never lower it.
# 0.991 once unit columns beside their figures and stacked tables without a caption were read (2026-12-07; 0.935
# on 0-19, 0.959 on 100-139).
CATEGORY_CELL_FLOOR = 0.97
# Narrow tables side by side, or in one text column beside prose, printed as a second report per seed (2026-12-07):
# measured 0.964 and 0.867 of their cells on these seeds (0.955 and 0.696 on 0-19). Raise, never lower.
# In-column: 1.000 once labels wrapped over three lines, ragged-right prose beside a table and a table across a text
# gutter were read (2026-12-07; 0.696 → 0.973 on 0-19).
SIDE_BY_SIDE_CELL_FLOOR = 0.94
IN_COLUMN_CELL_FLOOR = 0.98
# The unit of every printed figure (unit column, header, spanning heading, label bracket, corner), as the facts carry
# it (2026-12-07): 0.886 on these seeds once headers and labels gave units (0.532 → 0.903 on 0-19). Raise, never lower.
# 0.942 once the header's corner cell and the table's title gave units, the generator printing them there too (and
# key financial figures in a scale of money): 0.825 → 0.947 on 0-19 (2026-12-07). 0.946 once a header's "m³" kept
# its power through the footnote marks (0.957 on 0-19).
FACT_UNIT_FLOOR = 0.94


def test_real_reader_on_generated_layouts(tmp_path: Path) -> None:
    # The years kinds alone, as the floor was measured (three pages each keeps the test fast).
    report = evaluate(SEEDS, tmp_path, pages=3, categories=0.0)
    detail = report.format(misses=20)
    cell_rate, interleaved, furniture = report.tables.rate, report.order.interleaved, report.order.furniture_in_text
    assert cell_rate >= TABLE_CELL_FLOOR, detail
    assert interleaved == 0, detail
    assert furniture == 0, detail


def test_real_reader_on_category_column_tables(tmp_path: Path) -> None:
    report = evaluate(SEEDS, tmp_path, pages=3)
    units = [check for check in report.units if not check.reason]
    assert len(report.units) > 300 and len(units) / len(report.units) >= FACT_UNIT_FLOOR
    category = report.tables.only("kind:category-columns")
    assert category.total > 100  # the seeds print enough of them to measure
    assert category.rate >= CATEGORY_CELL_FLOOR, report.format(misses=20)
    assert report.order.interleaved == 0 and report.order.furniture_in_text == 0


def test_real_reader_on_narrow_tables(tmp_path: Path) -> None:
    report = evaluate(SEEDS, tmp_path, pages=3, narrow=True)
    side, column = report.tables.only("kind:side-by-side"), report.tables.only("kind:in-column")
    assert side.total > 300 and column.total > 50  # the seeds print enough of them to measure
    assert side.rate >= SIDE_BY_SIDE_CELL_FLOOR, report.format(misses=20)
    assert column.rate >= IN_COLUMN_CELL_FLOOR, report.format(misses=20)
    assert report.order.interleaved == 0 and report.order.furniture_in_text == 0
