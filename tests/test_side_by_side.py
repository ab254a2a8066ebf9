"""Narrow tables: two side by side on one page, or one in a text column of two or three.

The tables are hand-built word boxes or generated reports; every label and figure is invented.
"""

from __future__ import annotations

from pathlib import Path

from rag.eval.layout_check import OrderScore, TableScore, reading_order, table_recovery
from rag.eval.synthetic import generate
from rag.ingest.grid import find_tables
from rag.ingest.layout import Word
from rag.types import TableGrid
from tests.word_boxes import right as _right
from tests.word_boxes import words as _words


def _lookup(grids: list[TableGrid], label: str, header: str) -> list[str]:
    """What every grid that has a row `label` holds under the column headed `header`."""
    found = []
    for grid in grids:
        headers = grid.column_headers()
        rows = grid.text_rows()
        for r in range(len(rows)):
            if grid.row_label(r) == label and header in headers:
                found.append(rows[r][headers.index(header)])
    return found


def _left_table(top: float) -> list[Word]:
    """Labels at x 50, figures ending at 180 and 230; the second label wraps over two lines."""
    words = _words("Ravnholt-nøgletal", 50, top) + _right("2024", 180, top + 14) + _right("2023", 230, top + 14)
    rows = [("Tilgang af medlemmer", ["412", "398"]), ("Udlånsandel hos", []), ("bestyrelsen (%)", ["34,8", "28,0"]),
            ("Fornyede aftaler", ["1.616", "1.161"]), ("Kvartalsvise møder", ["12", "9"])]
    y = top + 28
    for label, figures in rows:
        words += _words(label, 50, y)
        for text, x1 in zip(figures, (180, 230), strict=False):
            words += _right(text, x1, y)
        y += 11 if not figures else 15
    return words


def _right_table(top: float) -> list[Word]:
    """Labels at x 310, figures ending at 440 and 500: two rows share a line with a row of the left table, one
    with the left table's wrapped label, one with nothing (the two tables' row heights differ)."""
    words = _words("Sølvmåge-oversigt", 310, top) + _right("2024", 440, top + 14) + _right("2023", 500, top + 14)
    rows = [("Havørn", ["848", "917"], 28), ("Strandskade", ["14", "22"], 45), ("Tejst", ["6", "7"], 58),
            ("Lomvie og alk", ["37", "5"], 77)]
    for label, figures, dy in rows:
        words += _words(label, 310, top + dy)
        for text, x1 in zip(figures, (440, 500), strict=True):
            words += _right(text, x1, top + dy)
    return words


def test_two_tables_side_by_side_are_read_apart_when_only_some_rows_share_a_line() -> None:
    words = _left_table(100) + _right_table(100)
    grids = find_tables(words, 1)
    assert _lookup(grids, "Udlånsandel hos bestyrelsen (%)", "2024") == ["34,8"]
    assert _lookup(grids, "Strandskade", "2024") == ["14"]
    assert _lookup(grids, "Lomvie og alk", "2023") == ["5"]
    assert not any("Havørn" in grid.row_label(r) for grid in grids for r in range(len(grid.text_rows()))
                   if _lookup([grid], "Tilgang af medlemmer", "2024"))


def test_a_full_width_table_above_a_side_by_side_pair_is_not_cut_at_their_gutter() -> None:
    wide = _words("Heder og kær", 50, 40) + _right("2024", 420, 40) + _right("2023", 500, 40)
    for k, (label, a, b) in enumerate((("Lyngbakker", "71", "64"), ("Klitplantage", "1.203", "1.190"),
                                       ("Strandenge", "305", "298"))):
        wide += _words(label, 50, 54 + 14 * k) + _right(a, 420, 54 + 14 * k) + _right(b, 500, 54 + 14 * k)
    wide += _words("Højmoser og tørvegrave i alt", 50, 96) + _right("88", 420, 96) + _right("80", 500, 96)
    grids = find_tables(wide + _left_table(140) + _right_table(140), 1)
    assert _lookup(grids, "Klitplantage", "2023") == ["1.190"]
    assert _lookup(grids, "Strandskade", "2024") == ["14"]
    assert _lookup(grids, "Udlånsandel hos bestyrelsen (%)", "2023") == ["28,0"]


def test_a_unit_column_after_figures_does_not_split_a_table() -> None:
    words = _right("Mængde", 170, 40) + _words("Enhed", 190, 40) + _right("Vægt", 300, 40)
    for k, (label, amount, unit, weight) in enumerate((("Egetræ", "3.253", "stk.", "12,4"),
                                                        ("Skifer", "387", "tons", "40,1"),
                                                        ("Kobberplader", "2.733", "kg", "3,9"))):
        y = 54 + 14 * k
        words += _words(label, 50, y) + _right(amount, 170, y) + _words(unit, 190, y) + _right(weight, 300, y)
    grids = find_tables(words, 1)
    assert len(grids) == 1
    assert _lookup(grids, "Skifer", "Vægt") == ["40,1"]


def test_generated_narrow_tables_are_read_cell_by_cell(tmp_path: Path) -> None:
    from rag.ingest.pdf import read_pdf

    score, order = TableScore(), OrderScore()
    for seed in range(4):
        truth = generate(seed, tmp_path / f"narrow-{seed}.pdf", narrow=True)
        pages = read_pdf(tmp_path / f"narrow-{seed}.pdf")
        score += table_recovery(truth, pages)
        order += reading_order(truth, pages)
    side = score.only("kind:side-by-side")
    assert side.total > 200 and side.rate >= 0.88, [m.describe() for m in side.misses[:10]]
    in_column = score.only("kind:in-column")  # a table in one text column of two or three
    assert in_column.total > 50 and in_column.rate >= 0.6, [m.describe() for m in in_column.misses[:10]]
    assert order.interleaved <= 0.02 * order.total, order.examples()


PROSE = ("Vi målte vandet i", "søerne hver uge og", "fandt færre alger end", "året før, især i",
         "de lavvandede bugter", "langs kysten hvor", "strømmen er svag om", "sommeren og vinden",
         "sjældent blæser fra", "nord eller vest.", "Målingerne fortsætter", "næste år med nye")


def test_a_table_in_the_third_of_three_text_columns_keeps_its_row_labels() -> None:
    """Two columns of narrow running text beside a table in the third: their lines share heights, so a page line
    holds prose of both columns and a piece of the table; the table is read apart and its wrapped labels whole."""
    words: list[Word] = []
    for k, line in enumerate(PROSE):
        words += _words(line, 50, 100 + 12.5 * k) + _words(PROSE[-1 - k], 221, 100 + 12.5 * k)
    words += _words("Rørvik-målinger", 396, 104) + _right("2024", 510, 122) + _right("2023", 542, 122)
    rows = [("Fosfor i tilløb", "(kg)", "203,8", "258,9"), ("Kvælstof i", "afløb (kg)", "93,7", "123,5"),
            ("Alger ved", "bredden (kg)", "242,8", "268,8"), ("Sigtdybde i", "bugten (m)", "1,3", "1,9")]
    for k, (first, second, a, b) in enumerate(rows):
        y = 137 + 28 * k
        words += _words(first, 396, y) + _words(second, 396, y + 10.5) + _right(a, 510, y) + _right(b, 542, y)
    grids = find_tables(words, 1)
    for first, second, a, b in rows:
        assert _lookup(grids, f"{first} {second}", "2024") == [a]
        assert _lookup(grids, f"{first} {second}", "2023") == [b]


def test_text_cells_in_a_middle_column_do_not_make_a_second_table() -> None:
    """A note column inside one table ("4257 (Lagerrom)"), left-aligned, on a few of many rows with figures."""
    words = _words("Materiale", 60, 40) + _words("Gjenbrukt", 180, 40) + _words("Merknad", 285, 40)
    words += _words("Nytt", 515, 40)
    rows = [("Eik", "120", "", "57 600"), ("Skifer", "", "", "3 500"), ("Glass", "35", "", "19 700"),
            ("Stål", "8560", "", "14 310"), ("Gips", "n/a", "", "23 810"),
            ("Kjøkkener", "n/a", "4257 (Lagerrom)", "5000"),
            ("Tegl", "n/a", "3890 (Lagerrom)", "2 025"), ("Fliser", "n/a", "3120 (Lagerrom)", "285"),
            ("Parkett", "n/a", "", "1421"), ("Trapper", "1500", "", "5950"), ("Vasker", "n/a", "", "16 560")]
    for k, (label, a, note, b) in enumerate(rows):
        y = 56 + 10.5 * k
        words += _words(label, 60, y) + (_right(a, 210, y) if a else []) + (_words(note, 285, y) if note else [])
        words += _right(b, 540, y)
    grids = find_tables(words, 1)
    assert _lookup(grids, "Tegl", "Nytt") == ["2 025"]
    assert _lookup(grids, "Vasker", "Gjenbrukt") == ["n/a"]
