"""Narrow tables set in one text column of two or three, beside running text: labels wrapped over several lines,
ragged-right prose beside them, and a full-width table whose labels happen to end left of a text gutter.

The pages are hand-built word boxes; every place name, label and figure is invented.
"""

from __future__ import annotations

from rag.ingest.grid import GridSettings, _beside, _is_prose, find_tables
from rag.ingest.layout import TextLine, Word
from rag.types import TableGrid
from tests.word_boxes import right as _right
from tests.word_boxes import words as _words

TEXT = 9.5  # running text
PITCH = 12.5  # running text's line pitch
GUTTER_2 = (50.0, 307.0)  # left edges of two columns of 235 points
GUTTER_3 = (50.0, 221.0, 392.0)  # left edges of three columns of 150 points

# Running text in invented words; lines of different length, as ragged-right text sets them.
PROSE = [
    "Fjellvik kommune har kartlagt bruken av",
    "tunge kjøretøy ved alle sine anlegg",
    "gjennom hele året og i tett dialog med",
    "de ansatte ved verkstedene",
    "Målet er å halvere forbruket innen",
    "utgangen av neste periode slik det",
    "står i den nye planen for",
    "området rundt Holmsund og Varde",
    "Arbeidet fortsetter i samarbeid med",
    "leverandørene og lokale lag",
    "i hele regionen gjennom året",
    "og resultatene følges opp",
]




def _prose(x: float, top: float, lines: list[str], width: float) -> list[Word]:
    """Running text in a column at `x`, ragged right; a line too wide for the column is cut to fit."""
    out: list[Word] = []
    for n, line in enumerate(lines):
        words = _words(line, x, top + n * PITCH, TEXT)
        out += [w for w in words if w.x1 <= x + width]
    return out


def _table(x: float, x1s: tuple[float, ...], top: float, rows: list[tuple[list[str], list[str]]],
           valign: str = "bottom") -> tuple[list[Word], float]:
    """A small table at `x`: a header of years, rows whose labels wrap over lines (figures on the first or last)."""
    words = _words("Tabell 6. Ressurser", x - 4, top)
    for year, x1 in zip(("2024", "2023"), x1s, strict=False):
        words += _right(year, x1, top + 14)
    y = top + 30
    for label_lines, figures in rows:
        at = y + (len(label_lines) - 1) * 10.5 * {"top": 0.0, "middle": 0.5, "bottom": 1.0}[valign]
        for k, part in enumerate(label_lines):
            words += _words(part, x, y + k * 10.5)
        for text, x1 in zip(figures, x1s, strict=False):
            if text:
                words += _right(text, x1, at)
        y += len(label_lines) * 10.5 + 7
    return words, y


def _row(grids: list[TableGrid], label: str) -> list[str]:
    """The cells of the row labelled `label`, in whichever grid holds it; [] when no grid does."""
    for grid in grids:
        rows = grid.text_rows()
        for r in range(len(rows)):
            if grid.row_label(r) == label:
                return rows[r]
    return []


def test_a_label_wrapped_over_three_lines_with_its_figures_on_the_last_is_one_row() -> None:
    words, _ = _table(54, (180, 230), 100, [
        (["Kildeforbruk (m³)"], ["41,2", "38,0"]),
        (["Sortering for", "underleverandører", "(tonn)"], ["12,5", "11,0"]),
        (["Stikkprøver (antall)"], ["7", "9"]),
    ])
    grids = find_tables(words, 1)
    assert _row(grids, "Sortering for underleverandører (tonn)") == ["Sortering for underleverandører (tonn)", "12,5",
                                                                      "11,0"]
    assert _row(grids, "Stikkprøver (antall)")[1:] == ["7", "9"]


def test_a_label_line_starting_with_a_figure_continues_the_line_above() -> None:
    # "Scope" / "2-utslipp i" / "Nordvik (tCO2e)", figures on the last line: no capital starts the second line,
    # so it is no new label.
    words, _ = _table(54, (180, 230), 100, [
        (["Scope", "2-utslipp i", "Nordvik (tCO2e)"], ["812", "790"]),
        (["Kildeforbruk (m³)"], ["41", "38"]),
    ])
    grids = find_tables(words, 1)
    assert _row(grids, "Scope 2-utslipp i Nordvik (tCO2e)")[1:] == ["812", "790"]
    assert _row(grids, "Kildeforbruk (m³)")[1:] == ["41", "38"]


def test_the_last_label_with_its_figures_between_its_lines_keeps_its_end() -> None:
    # Figures set in the middle of a label of two lines; the last label's second line starts with a capital
    # after an open end ("Restmengde i" / "Nordvik (tonn)").
    words, _ = _table(54, (180, 230), 100, [
        (["Avfall ved", "filialene (tonn)"], ["3,3", "2,9"]),
        (["Restmengde i", "Nordvik (tonn)"], ["5,0", "4,1"]),
    ], valign="middle")
    grids = find_tables(words, 1)
    assert _row(grids, "Avfall ved filialene (tonn)")[1:] == ["3,3", "2,9"]
    assert _row(grids, "Restmengde i Nordvik (tonn)")[1:] == ["5,0", "4,1"]


def test_the_last_rows_label_wrapped_under_its_figures_keeps_its_end() -> None:
    # Figures on the first line of each label: the last label's end ("filialene" / "(tonn)") is under the table,
    # and a note under the table that runs across the figures is no part of it.
    words, y = _table(54, (180, 230), 100, [
        (["Restmengde i", "Nordvik (tonn)"], ["5,0", "4,1"]),
        (["Avfall for", "filialene", "(tonn)"], ["3,3", "2,9"]),
    ], valign="top")
    words += _words("(1) Tallene gjelder alle enheter", 54, y - 7 + 3)
    grids = find_tables(words, 1)
    assert _row(grids, "Restmengde i Nordvik (tonn)")[1:] == ["5,0", "4,1"]
    assert _row(grids, "Avfall for filialene (tonn)")[1:] == ["3,3", "2,9"]


def test_a_table_in_the_right_column_beside_ragged_prose_keeps_its_labels() -> None:
    # Two columns: ragged-right running text on the left (few lines reach the gutter), a table on the right whose
    # labels share their lines with that text.
    left, right = GUTTER_2
    words = _prose(left, 100, PROSE, 235)
    table, _ = _table(right + 3, (490, 540), 110, [
        (["Vannforbruk i", "Holmsund (m³)"], ["812", "790"]),
        (["Energibruk ved", "verkstedene (MWh)"], ["1 204", "1 166"]),
        (["Restavfall (tonn)"], ["35,2", "38,9"]),
        (["Papirforbruk", "(tonn)"], ["2,1", "2,6"]),
    ])
    grids = find_tables(words + table, 1)
    assert _row(grids, "Vannforbruk i Holmsund (m³)")[1:] == ["812", "790"]
    assert _row(grids, "Energibruk ved verkstedene (MWh)")[1:] == ["1 204", "1 166"]
    assert _row(grids, "Restavfall (tonn)")[1:] == ["35,2", "38,9"]


def test_a_table_in_the_third_column_below_the_prose_beside_it_is_not_cut() -> None:
    # Three columns: prose in the first two ends halfway down; the table in the third runs on below it.
    c1, c2, c3 = GUTTER_3
    words = _prose(c1, 100, PROSE[:8], 150) + _prose(c2, 100, PROSE[4:], 150) + _prose(c3, 100, PROSE[:3], 150)
    table, _ = _table(c3 + 4, (500, 545), 150, [
        (["Vannforbruk i", "Holmsund (m³)"], ["812", "790"]),
        (["Energibruk (MWh)"], ["1 204", "1 166"]),
        (["Restavfall ved", "verkstedene (tonn)"], ["35,2", "38,9"]),
        (["Papirforbruk", "(tonn)"], ["2,1", "2,6"]),
    ])
    grids = find_tables(words + table, 1)
    assert _row(grids, "Vannforbruk i Holmsund (m³)")[1:] == ["812", "790"]
    assert _row(grids, "Papirforbruk (tonn)")[1:] == ["2,1", "2,6"]


def test_a_heading_over_two_of_three_columns_is_not_taken_into_the_table_beside_prose() -> None:
    # A heading across the first two columns above a table in the first column and prose in the other two.
    c1, c2, c3 = GUTTER_3
    words = _words("Forbruk ved Holmsund-anleggene", c1, 74, 13)
    words += _prose(c2, 100, PROSE, 150) + _prose(c3, 100, PROSE, 150)
    table, _ = _table(c1 + 4, (150, 195), 100, [
        (["Vannforbruk (m³)"], ["812", "790"]),
        (["Energibruk", "(MWh)"], ["1 204", "1 166"]),
        (["Restavfall", "(tonn)"], ["35,2", "38,9"]),
        (["Papirforbruk", "(tonn)"], ["2,1", "2,6"]),
    ])
    grids = find_tables(words + table, 1)
    assert _row(grids, "Vannforbruk (m³)")[1:] == ["812", "790"]
    assert _row(grids, "Restavfall (tonn)")[1:] == ["35,2", "38,9"]


def test_a_full_width_table_under_three_columns_keeps_labels_left_of_a_gutter() -> None:
    # Three columns of prose above; below, a table across the page whose labels end left of the first gutter and
    # whose figures start right of it: its rows cross the gutter, so it is no gutter there (wrapped label lines
    # alone on their line look like running text beside it).
    c1, c2, c3 = GUTTER_3
    words = _prose(c1, 100, PROSE, 150) + _prose(c2, 100, PROSE, 150) + _prose(c3, 100, PROSE, 150)
    y = 100 + len(PROSE) * PITCH + 20
    words += _words("Tabell 9. Utslipp per sted", c1, y, 11)
    columns = (265, 340, 415)
    for year, x1 in zip(("2024", "2023", "2022"), columns, strict=False):
        words += _right(year, x1, y + 16)
    rows = [(["Verksted"], ["63,1", "60,2", "58,8"]),
            (["Andel fornybar energi for alle", "anleggene i hele regionen (%)"], ["40,8", "45,6", "36,1"]),
            (["Lager"], ["164,4", "170,0", "181,3"]), (["Kantine"], ["405,5", "208,1", "199,0"]),
            (["Andel gjenvunnet avfall for alle", "anleggene i hele regionen (%)"], ["51,4", "64,0", "60,3"]),
            (["Sum"], ["633,0", "438,3", "439,2"])]
    y += 32
    for label_lines, figures in rows:
        for k, part in enumerate(label_lines):
            words += _words(part, c1 + 4, y + k * 10.5)
        for text, x1 in zip(figures, columns, strict=False):
            words += _right(text, x1, y)
        y += len(label_lines) * 10.5 + 7
    grids = find_tables(words, 1)
    assert _row(grids, "Verksted")[1:] == ["63,1", "60,2", "58,8"]
    assert _row(grids, "Andel fornybar energi for alle anleggene i hele regionen (%)")[1:] == ["40,8", "45,6", "36,1"]
    assert _row(grids, "Kantine")[1:] == ["405,5", "208,1", "199,0"]


def test_a_title_and_group_heading_over_a_table_across_the_page_stay_with_it() -> None:
    # Three columns of prose above a table across the page: its title and its first group heading end short of the
    # first gutter like ragged prose, but they head the table below, not the text columns above.
    c1, c2, c3 = GUTTER_3
    words = _prose(c1, 100, PROSE, 150) + _prose(c2, 100, PROSE, 150) + _prose(c3, 100, PROSE[:6], 150)
    y = 100 + len(PROSE) * PITCH + 22
    words += _words("Tabell 1. Utslipp i alt", c1, y, 11)
    columns = (265, 340, 415)
    words += _words("Nøkkeltall", c1 + 4, y + 18)
    for year, x1 in zip(("2024", "2023", "2022"), columns, strict=False):
        words += _right(year, x1, y + 18)
    words += _words("Utslipp av alle klimagasser", c1 + 4, y + 35)
    rows = [("Utslipp per ansatt (tCO2e)", ["2,46", "2,91", "2,76"]),
            ("Utslipp fra alle verkstedene (tCO2e)", ["553", "774", "595"]),
            ("Utslipp fra alle lagrene (tCO2e)", ["839", "828", "759"])]
    for n, (label, figures) in enumerate(rows):
        words += _words(label, c1 + 4, y + 52 + n * 17.5)
        for text, x1 in zip(figures, columns, strict=False):
            words += _right(text, x1, y + 52 + n * 17.5)
    grids = find_tables(words, 1)
    grid = next(g for g in grids if _row([g], "Utslipp per ansatt (tCO2e)"))
    assert grid.column_headers()[1:] == ["2024", "2023", "2022"]
    assert _row(grids, "Utslipp fra alle verkstedene (tCO2e)")[1:] == ["553", "774", "595"]


def test_tables_in_both_columns_on_the_same_lines_are_two_tables() -> None:
    # Two columns of prose, and lower down a table in each, their rows on the same lines: figures lie on both
    # sides of the gutter, yet each line is two rows — the right table's labels start at the gutter (short codes
    # of three letters, too short to tell two tables side by side), the left table's figures end at it.
    left, right = GUTTER_2
    words = _prose(left, 100, PROSE[:6], 235) + _prose(right, 100, PROSE[3:9], 235)
    top = 100 + 6 * PITCH + 14
    a, _ = _table(left + 3, (210, 270), top, [
        (["Vannforbruk (m³)"], ["812", "790"]),
        (["Energibruk (MWh)"], ["1 204", "1 166"]),
        (["Restavfall (tonn)"], ["35,2", "38,9"]),
        (["Papirforbruk (tonn)"], ["2,1", "2,6"]),
    ])
    b, end = _table(right + 3, (470, 530), top, [
        (["KAT 1-4"], ["41,0", "39,5"]),
        (["KAT 5-9"], ["12,5", "11,0"]),
        (["KAT 10-14"], ["3,3", "4,1"]),
        (["Øvrige"], ["56,8", "54,6"]),
    ])
    words += a + b + _prose(left, end + 14, PROSE[6:], 235) + _prose(right, end + 14, PROSE[:5], 235)
    grids = find_tables(words, 1)
    assert len(grids) == 2
    assert _row(grids, "Restavfall (tonn)")[1:] == ["35,2", "38,9"]
    assert _row(grids, "KAT 1-4")[1:] == ["41,0", "39,5"]
    assert _row(grids, "KAT 10-14")[1:] == ["3,3", "4,1"]
    assert all(len(g.text_rows()[0]) == 3 for g in grids)  # label and two years, nothing of the other table



def test_running_text_with_dates_and_figures_is_prose_and_a_paragraphs_last_line_no_crossing() -> None:
    # Prose is told by its letters among its printed characters: dates and amounts in a sentence do not make it a
    # table row. A paragraph's lone last line "2019." beside a row of a table in the right column is no figure of
    # that row: the line is two rows, one per column, and the gutter between them holds.
    assert _is_prose(TextLine(_words("Selskapet kjøpte i perioden 1. mars 2019 –", 50, 100, TEXT)))
    assert _is_prose(TextLine(_words("aksjer til en verdi av 1,5 mrd. kr. De ble", 50, 100, TEXT)))
    assert not _is_prose(TextLine(_words("28. mars 2020 4.211.000 12,5 1.204", 50, 100, TEXT)))
    left, right = GUTTER_2
    line = TextLine(_words("2019.", left, 160, TEXT) + _words("3 mdr.", right + 3, 160) + _right("52,0", 470, 160)
                    + _right("54,2", 530, 160))  # fmt: skip
    a, b = left + 235, right
    assert _beside(line, (a + b) / 2, a, b, TEXT, GridSettings()) == {"row left", "row right"}
