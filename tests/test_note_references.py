"""A financial statement's column of note references: neither row labels, nor figures, nor a table of its own.

The statements are hand-built word boxes or generated reports; every label and figure is invented.
"""

from __future__ import annotations

from pathlib import Path

from rag.eval.layout_check import note_references, table_recovery
from rag.eval.synthetic import generate
from rag.ingest.grid import GridSettings, _note_references, find_tables
from rag.ingest.layout import TextLine, Word, group_lines
from rag.types import TableGrid
from tests.word_boxes import SIZE
from tests.word_boxes import right as _right
from tests.word_boxes import words as _words

LABELS_X = 80.0  # the row labels start here; the references stand left of them




def _centred(text: str, mid: float, top: float) -> list[Word]:
    return _words(text, mid - 0.25 * SIZE * len(text), top)


# label, note reference ("" for none), figures of the two years
ROWS = [
    ("Kontingenter fra medlemmer", "4", ["12.410", "11.985"]),
    ("Tilskud fra fonde", "4, 5", ["3.200", "2.950"]),
    ("Udgifter til lokaler", "6", ["-4.115", "-3.870"]),
    ("Resultat af drift", "", ["11.495", "11.065"]),
    ("Renteindtægter", "8", ["145", "98"]),
    ("Renteudgifter", "9", ["-61", "-74"]),
    ("Årets resultat", "", ["11.579", "11.089"]),
]


def _statement(header: str, top: float = 100.0, rows: list[tuple[str, str, list[str]]] = ROWS) -> list[Word]:
    """A statement with its note references centred left of the labels; `header` over them ("" for none)."""
    words = _right("2024", 400, top) + _right("2023", 460, top)
    if header:
        words += _centred(header, 60, top)
    y = top + 16
    for label, note, figures in rows:
        if note:
            words += _centred(note, 60, y)
        words += _words(label, LABELS_X, y)
        for text, x1 in zip(figures, (400, 460), strict=True):
            words += _right(text, x1, y)
        y += 12
    return words


def _row(grid: TableGrid, label: str) -> list[str] | None:
    rows = grid.text_rows()
    return next((rows[r] for r in range(grid.header_rows, grid.n_rows) if grid.row_label(r) == label), None)


def _check(grids: list[TableGrid], header: str, rows: list[tuple[str, str, list[str]]] = ROWS) -> None:
    assert len(grids) == 1, [g.text_rows() for g in grids]  # no table of note numbers beside the statement
    grid = grids[0]
    heads = grid.column_headers()
    assert "2024" in heads and "2023" in heads, heads
    for label, note, figures in rows:
        row = _row(grid, label)
        assert row is not None, (label, [grid.row_label(r) for r in range(grid.n_rows)])
        assert [row[heads.index("2024")], row[heads.index("2023")]] == figures, row
        assert note in row[1:], row  # kept beside its row, in a column of its own
    assert heads[1] == header, heads  # right after the labels, headed as printed


def test_a_headed_note_column_left_of_the_labels_is_a_reference_column() -> None:
    _check(find_tables(_statement("Note"), page=1), "Note")


def test_a_note_column_with_no_header_is_told_by_its_rising_small_numbers() -> None:
    _check(find_tables(_statement(""), page=1), "")


def test_a_notes_numbered_heading_is_a_group_row_not_part_of_the_first_label() -> None:
    """A note page: the note's number left of its heading, the table's labels under the heading's words.

    A rule under every row, and the heading set close above the first: read as a wrapped label, the heading
    would be glued to the first row's label.
    """
    words = _right("2024", 400, 100) + _right("2023", 460, 100)
    words += _centred("7", 60, 114) + _words("Indtægter fordelt på aktiviteter", LABELS_X, 114)
    rules = []
    y = 125.0
    for label, figures in [("Kurser", ["1.030", "980"]), ("Rådgivning", ["2.183", "2.028"]),
                           ("Udlejning", ["774", "741"]), ("I alt", ["3.987", "3.749"])]:
        words += _words(label, LABELS_X, y)
        for text, x1 in zip(figures, (400, 460), strict=True):
            words += _right(text, x1, y)
        rules.append({"x0": LABELS_X, "x1": 462.0, "top": y + SIZE + 1.0, "bottom": y + SIZE + 1.5})
        y += 11
    grids = find_tables(words, page=1, page_lines=rules)
    assert len(grids) == 1, [g.text_rows() for g in grids]
    grid = grids[0]
    assert _row(grid, "Kurser") is not None, grid.text_rows()
    assert grid.parents[grid.text_rows().index(_row(grid, "Kurser"))] == "Indtægter fordelt på aktiviteter"


def test_small_figures_before_labels_that_do_not_rise_are_no_references() -> None:
    """A count printed before its label, in no order, is a figure: it is not set aside as a reference."""

    def page(counts: list[str]) -> list[TextLine]:
        words: list[Word] = []
        for k, (count, label) in enumerate(zip(counts, ["Kurser i alt", "Aflyste kurser", "Nye undervisere",
                                                        "Klager over forløb"], strict=True)):
            words += _right(count, 60, 100 + 12 * k) + _words(label, LABELS_X, 100 + 12 * k)
            words += _right("1.250", 400, 100 + 12 * k)
        return group_lines(words)

    assert _note_references(page(["14", "3", "9", "2"]), SIZE, GridSettings()) is None
    rising = _note_references(page(["3", "4", "7", "9"]), SIZE, GridSettings())
    assert rising is not None and [e.text for e in rising.entries] == ["3", "4", "7", "9"]


def test_a_list_of_references_set_tight_is_a_reference_in_a_column_of_plain_ones() -> None:
    """ "4,5" (no space after the comma) beside plain references is a list of notes, not a decimal or a label."""
    tight = [(label, "4,5" if note == "4, 5" else note, figures) for label, note, figures in ROWS]
    _check(find_tables(_statement("Note", rows=tight), page=1), "Note", rows=tight)


def test_decimals_before_labels_are_no_column_of_references() -> None:
    """Figures with a decimal comma before their labels ("1,2   Andel …"), rising or not, stay figures."""
    words: list[Word] = []
    for k, (share, label) in enumerate(zip(["1,2", "2,5", "3,1", "4,8"], ["Andel A", "Andel B", "Andel C",
                                                                        "Andel D"], strict=True)):
        words += _right(share, 60, 100 + 12 * k) + _words(label, LABELS_X, 100 + 12 * k)
    assert _note_references(group_lines(words), SIZE, GridSettings()) is None


def test_generated_statements_with_note_columns_are_read_cell_by_cell(tmp_path: Path) -> None:
    from rag.ingest.files import pdf_document
    from rag.ingest.pdf import read_pdf
    from rag.ingest.tables import extract_facts

    for seed in range(2):
        pdf = tmp_path / f"notes-{seed}.pdf"
        truth = generate(seed, pdf, notes=True)
        pages = read_pdf(pdf)
        score = table_recovery(truth, pages).only("kind:note-column")
        assert score.total > 100 and score.rate >= 0.97, [m.describe() for m in score.misses[:10]]
        notes = note_references(truth, extract_facts(pdf_document(pdf, pages)))
        assert notes and all(n.ok for n in notes), [n.describe() for n in notes if not n.ok]
