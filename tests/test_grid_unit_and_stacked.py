"""A unit column set close right of its figures, and two tables stacked on one page without a caption between.

Generated reports printed with fpdf2 at known positions; the buildings, materials and figures are invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.eval.layout_check import table_recovery
from rag.eval.synthetic import generate
from rag.ingest.pdf import read_pdf as read_pages
from rag.ingest.tables import extract_facts
from rag.types import Document
from tests.pdf_report import draw_table, read_pdf, start_report

# Materials × quantity | unit | emissions: the unit column starts 2.2 mm right of the figures' right edge,
# closer than the gap between two cells but wider than a space.
QUANTITIES = (
    ("Materiale", "Mengde", "Enhet", "kg CO2e"),
    ("Bjelkelag", "3.253", "stk.", "142.648"),
    ("Platekledning", "387", "tonn", "285.262"),
    ("Skumglass", "", "m3", "16.150"),
    ("Fliser", "2.733", "kg", "188.782"),
    ("Sum", "", "", "633.060"),
)
NUMBER_RIGHT, UNIT_LEFT, EMISSION_RIGHT = 95.0, 97.2, 135.0


def _quantities_report(rows: tuple[tuple[str, ...], ...] = QUANTITIES, top: float = 70.0) -> Any:
    pdf = start_report("Klimaregnskap 2023 for Lindvik skole", "Mengder og utslipp for nybygget.")
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(20, top - 9, "Tabell 4. Materialer")
    for r, (label, amount, unit, emission) in enumerate(rows):
        pdf.set_font("Helvetica", "B" if r == 0 else "", 9)
        y = top + 6 * r
        pdf.text(20, y, label)
        if amount:
            pdf.text(NUMBER_RIGHT - pdf.get_string_width(amount), y, amount)
        if unit:
            pdf.text(UNIT_LEFT, y, unit)
        pdf.text(EMISSION_RIGHT - pdf.get_string_width(emission), y, emission)
    return pdf


def test_a_unit_column_close_right_of_the_figures_is_its_own_column(tmp_path: Path) -> None:
    doc = read_pdf(_quantities_report(), tmp_path, "lindvik-klimaregnskap-2023.pdf")
    assert len(doc.tables) == 1
    rows = doc.tables[0].text_rows()
    assert rows[0] == ["Materiale", "Mengde", "Enhet", "kg CO2e"]
    assert rows[1] == ["Bjelkelag", "3.253", "stk.", "142.648"]
    assert rows[3] == ["Skumglass", "", "m3", "16.150"]  # a unit without a figure stays in the unit column
    assert rows[5] == ["Sum", "", "", "633.060"]


def test_a_figure_with_a_unit_the_reader_does_not_know_is_cut_from_the_label(tmp_path: Path) -> None:
    # "stk." on few rows: "2.151 stk." is read as words after the label, not as a figure with its unit.
    rows = (*QUANTITIES[:2], ("Vindsperre", "1.169", "tonn", "38.227"), ("Takstein", "599", "m3", "130.879"),
            ("Lekter", "2.151", "stk.", "70.343"), ("Membran", "1.622", "tonn", "97.680"),
            ("Sparkel", "480", "kg", "1.250"), ("Stålprofil", "2.480", "m2", "283.683"), QUANTITIES[-1])
    doc = read_pdf(_quantities_report(rows), tmp_path, "lindvik-klimaregnskap-2023.pdf")
    grid = doc.tables[0].text_rows()
    assert grid[1] == ["Bjelkelag", "3.253", "stk.", "142.648"]
    assert grid[4] == ["Lekter", "2.151", "stk.", "70.343"]


def test_the_unit_column_gives_the_figures_their_unit(tmp_path: Path) -> None:
    doc: Document = read_pdf(_quantities_report(), tmp_path, "lindvik-klimaregnskap-2023.pdf")
    facts = {(f.metric, f.qualifier): (f.value_text, f.unit) for f in extract_facts(doc)}
    assert facts[("Platekledning", "mengde")] == ("387", "tonn")
    assert facts[("Bjelkelag", "mengde")] == ("3.253", "stk.")


def test_a_unit_printed_a_space_after_its_figure_stays_in_the_cell(tmp_path: Path) -> None:
    # The same unit on every row, the cell right-aligned: the figure and its unit are one cell.
    pdf = start_report("Klimaregnskap 2023 for Lindvik skole", "Mengder for nybygget.")
    pdf.set_font("Helvetica", "B", 9)
    pdf.text(95 - pdf.get_string_width("Mengde"), 64, "Mengde")
    pdf.text(135 - pdf.get_string_width("Andel"), 64, "Andel")
    for r, (label, amount, share) in enumerate((("Betong", "1 240 m3", "41"), ("Tegl", "310 m3", "12"),
                                                ("Gips", "88 m3", "3"))):
        pdf.set_font("Helvetica", "", 9)
        pdf.text(20, 70 + 6 * r, label)
        pdf.text(95 - pdf.get_string_width(amount), 70 + 6 * r, amount)
        pdf.text(135 - pdf.get_string_width(share), 70 + 6 * r, share)
    doc = read_pdf(pdf, tmp_path, "lindvik-mengder-2023.pdf")
    rows = doc.tables[0].text_rows()
    assert rows[0] == ["", "Mengde", "Andel"]
    assert rows[1] == ["Betong", "1 240 m3", "41"]


# Two tables stacked on one page: a caption over the first only, the second starts with its own header line.
WASTE = (("Fraksjon", "Ombruk", "Deponi"), ("Glassull", "40,9", "10,0"), ("Takpapp", "36,2", "4,1"),
         ("Trevirke", "49,0", "41,5"))
STAFF = (("Nøkkeltall", "Konsern", "Morselskap"), ("Ansatte", "412", "96"), ("Sykefravær (%)", "4,2", "3,8"),
         ("Skader", "3", "1"))


def _stacked(tmp_path: Path, gap: float, second: tuple[tuple[str, ...], ...] = STAFF) -> list[list[list[str]]]:
    pdf = start_report("Bærekraftsrapport 2023 for Solvik AS", "Tall for året.")
    draw_table(pdf, 70, "Tabell 2. Avfall og ansatte", WASTE, (20, 70, 100), 20)
    draw_table(pdf, 70 + 6 * (len(WASTE) - 1) + gap, "", second, (20, 70, 100), 20)
    doc = read_pdf(pdf, tmp_path, "solvik-baerekraft-2023.pdf")
    return [grid.text_rows() for grid in doc.tables]


def test_a_header_line_under_a_table_starts_a_new_table(tmp_path: Path) -> None:
    for gap in (6.0, 12.0):  # the header right under the last row, or a blank line further down
        tables = _stacked(tmp_path, gap)
        assert len(tables) == 2, tables
        assert tables[0][-1] == ["Trevirke", "49,0", "41,5"]
        assert tables[1][0] == ["Nøkkeltall", "Konsern", "Morselskap"]  # not the rows of the table above
        assert tables[1][2] == ["Sykefravær (%)", "4,2", "3,8"]


def test_a_group_heading_between_sections_keeps_one_table(tmp_path: Path) -> None:
    # A label alone in the label column is a group row of the same table, not a new header.
    section = (("Mineralull", "", ""), ("Isopor", "12,1", "7,7"), ("Steinull", "8,4", "2,0"))
    tables = _stacked(tmp_path, 12.0, section)
    assert len(tables) == 1, tables
    assert tables[0][0] == ["Fraksjon", "Ombruk", "Deponi"]
    assert ["Steinull", "8,4", "2,0"] in tables[0]


def test_generated_reports_stack_category_tables_and_the_reader_parts_them(tmp_path: Path) -> None:
    stacked = 0
    for seed in (9, 14, 17):
        path = tmp_path / f"seed_{seed}.pdf"
        truth = generate(seed, path, pages=3)
        stacked += sum(1 for page in truth.pages for table in page.tables if table.family and not table.title)
        score = table_recovery(truth, read_pages(path)).only("caption:none")
        assert score.total > 0 and score.rate == 1.0, [c for c in score.cells if not c.ok][:5]
    assert stacked >= 3  # the generator prints category tables right under another table, without a caption


def test_a_row_of_text_cells_between_sections_is_no_header(tmp_path: Path) -> None:
    # "1,5%-4%" is no figure, so the row breaks the run of rows; without a letter it names no column.
    section = (("Spennvidde", "1,5%-4%", "2%-6%"), ("Isopor", "12,1", "7,7"), ("Steinull", "8,4", "2,0"))
    tables = _stacked(tmp_path, 6.0, section)
    assert len(tables) == 1, tables
    assert tables[0][0] == ["Fraksjon", "Ombruk", "Deponi"]
    assert ["Steinull", "8,4", "2,0"] in tables[0]


def test_a_label_wrapped_above_its_figures_takes_the_bracketed_unit_under_it(tmp_path: Path) -> None:
    # Figures set on the last line of a wrapped label, whose last line is the unit in brackets.
    pdf = start_report("Nøkkeltall 2023 for Solvik AS", "Tall for året.")
    pdf.set_font("Helvetica", "B", 9)
    for text, right in (("Konsern", 95.0), ("Morselskap", 125.0)):
        pdf.text(right - pdf.get_string_width(text), 64, text)
    pdf.set_font("Helvetica", "", 9)
    y = 70.0
    for first, unit, a, b in (("Strømforbruk i alle bygg", "(MWh)", "967", "694"),
                              ("Varmeforbruk i alle bygg", "(MWh)", "1 800", "1 003"),
                              ("Avvik fra prosedyre", "(antall)", "4", "3")):
        pdf.text(20, y, first)
        pdf.text(20, y + 3.7, unit)
        pdf.text(95 - pdf.get_string_width(a), y + 3.7, a)
        pdf.text(125 - pdf.get_string_width(b), y + 3.7, b)
        y += 10
    rows = read_pdf(pdf, tmp_path, "solvik-nokkeltall-2023.pdf").tables[0].text_rows()
    assert rows[1] == ["Strømforbruk i alle bygg (MWh)", "967", "694"]
    assert rows[3] == ["Avvik fra prosedyre (antall)", "4", "3"]
