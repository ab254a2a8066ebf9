"""Facts read straight from table grids (PDF and Word), whatever the metric is called."""

from pathlib import Path

from rag.ingest import read_document
from rag.ingest.tables import extract_facts
from tests.ask import ask_figure


def _docx(path: Path, rows: list[list[str]], heading: str) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(heading, 1)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.save(str(path))
    return path


def test_every_figure_under_a_year_column_becomes_a_fact_with_unit_and_target(tmp_path: Path) -> None:
    rows = [
        ["Nøgletal", "Enhed", "Mål 2026", "2024", "2023"],
        ["Kølemiddellækage", "kg", "<5", "7,5", "–"],
        ["Genbrugte paller", "stk.", "", "1.250", "980"],
    ]
    doc = read_document(_docx(tmp_path / "fjordkraft-2024.docx", rows, "Miljødata for Fjordkraft"))
    facts = {(f.metric, f.year): f for f in extract_facts(doc)}
    assert set(facts) == {("Kølemiddellækage", 2024), ("Kølemiddellækage", 2023), ("Genbrugte paller", 2024),
                          ("Genbrugte paller", 2023)}
    leak = facts[("Kølemiddellækage", 2024)]
    assert (leak.value_text, leak.value, leak.unit, leak.target, leak.style) == ("7,5", 7.5, "kg", "<5", "grid")
    assert facts[("Kølemiddellækage", 2023)].value is None  # "–": reported as no value, not as zero
    pallets = facts[("Genbrugte paller", 2024)]
    assert (pallets.value, pallets.unit) == (1250.0, "stk.")
    assert pallets.source_text == "Genbrugte paller\tstk.\t\t1.250\t980"  # the row as the index holds it
    assert doc.text[pallets.start : pallets.end] == pallets.source_text


def test_years_as_rows_give_the_column_header_as_metric(tmp_path: Path) -> None:
    rows = [
        ["År", "Lærlinger (antal)", "Frivillige timer"],
        ["2024", "14", "320"],
        ["2023", "11", ""],
    ]
    doc = read_document(_docx(tmp_path / "nordlys-2024.docx", rows, "Sosiale nøkkeltall"))
    got = sorted((f.metric, f.year, f.value_text) for f in extract_facts(doc))
    assert got == [
        ("Frivillige timer", 2024, "320"),
        ("Lærlinger (antal)", 2023, "11"),
        ("Lærlinger (antal)", 2024, "14"),
    ]


def test_note_and_index_columns_beside_year_columns_give_no_facts(tmp_path: Path) -> None:
    rows = [["Resultat", "Note", "2024", "Indeks 24/23", "2023"], ["Driftsresultat", "3", "1.200", "104", "1.150"]]
    doc = read_document(_docx(tmp_path / "havbruk-2024.docx", rows, "Resultatregnskap"))
    got = sorted((f.year, f.value_text) for f in extract_facts(doc))
    assert got == [(2023, "1.150"), (2024, "1.200")]


def test_a_budget_column_beside_the_accounts_is_kept_apart(tmp_path: Path) -> None:
    rows = [
        ["Resultatrekneskap", "Note", "Rekneskap 2014", "Budsjett 2014", "Rekneskap 2013"],
        ["Driftsinntekter", "2", "120 400", "118 000", "115 200"],
    ]
    doc = read_document(_docx(tmp_path / "fjellvik-2014.docx", rows, "Årsmelding 2014 for Fjellvik Renovasjon IKS"))
    facts = extract_facts(doc)
    assert sorted((f.year, f.value_text, f.qualifier) for f in facts) == [
        (2013, "115 200", None), (2014, "118 000", "budsjett"), (2014, "120 400", None)
    ]  # fmt: skip

    def ask(question: str) -> str | None:
        return ask_figure(doc, question, 2014)

    assert ask("Hva var driftsinntektene i 2014?") == "Driftsinntekter var 120 400 i 2014 [1]."
    assert ask("Hva var budsjetterte driftsinntekter for 2014?") == "Driftsinntekter, budsjett var 118 000 i 2014 [1]."


def test_quarter_columns_are_not_the_year(tmp_path: Path) -> None:
    rows = [
        ["Hovedtal (mio. kr.)", "2024", "2023", "4. kvt. 2024", "3. kvt. 2024", "4. kvt. 2023"],
        ["Resultat før skat", "1.240", "1.100", "330", "310", "290"],
    ]
    doc = read_document(_docx(tmp_path / "vestkyst-sparekasse-2024.docx", rows, "Årsrapport 2024"))
    facts = extract_facts(doc)
    assert sorted((f.year, f.value_text, f.qualifier) for f in facts) == [
        (2023, "1.100", None), (2023, "290", "4. kvt."), (2024, "1.240", None), (2024, "310", "3. kvt."),
        (2024, "330", "4. kvt."),
    ]  # fmt: skip

    def ask(question: str) -> str | None:
        return ask_figure(doc, question, 2024)

    # quarters unsaid; the corner's scale of money ("Hovedtal (mio. kr.)") is printed with every amount
    assert ask("Hvad var resultat før skat i 2024?") == "Resultat før skat var 1.240 mio. kr. i 2024 [1]."
    assert ask("Hvad var resultat før skat i fjerde kvartal 2024?") == (
        "Resultat før skat, 4. kvt. var 330 mio. kr. i 2024 [1]."
    )
    assert ask("Hvad var resultat før skat i Q3 2024?") == "Resultat før skat, 3. kvt. var 310 mio. kr. i 2024 [1]."
    assert ask("Hvad var resultat før skat i 1. halvår 2024?") is None  # no half-year column: not the year's figure


def _balance_pdf(path: Path, gap: float) -> Path:
    """A balance sheet whose second part sits under a sub-heading, `gap` mm below the first part."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    right_edges = (None, 130.0, 160.0, 190.0)

    def row(y: float, cells: tuple[str, ...], style: str = "") -> None:
        pdf.set_font("Helvetica", style, 10)
        for right, text in zip(right_edges, cells, strict=True):
            pdf.text(25.0 if right is None else right - pdf.get_string_width(text), y, text)

    y = 40.0
    row(y, ("Egenkapital og gjeld", "Note", "2024", "2023"), "B")
    for cells in (("Aksjekapital", "", "100 000", "100 000"), ("Sum egenkapital", "", "2 531 870", "2 080 002")):
        y += 7
        row(y, cells)
    y += gap
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(25, y, "Kortsiktig gjeld")
    second = (("Skyldige feriepenger", "", "312 450", "298 120"), ("Sum kortsiktig gjeld", "6", "401 363", "368 324"))
    for cells in second:
        y += 7
        row(y, cells)
    pdf.add_page()  # notes: one figure column per year of the accounts, no header; then shareholders
    right_edges = (None, 160.0, 190.0)
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(25, 30, "Note 2 Lønnskostnader")
    y = 40.0
    for cells in (("Lønninger", "1 204 330", "1 150 876"), ("Arbeidsgiveravgift", "169 810", "162 273"),
                  ("Sum", "1 374 140", "1 313 149")):
        y += 7
        row(y, cells)
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(25, 90, "Note 3 Aksjonærer")
    y = 100.0
    for cells in (("Solbakken Kommune", "600", "60 %"), ("Lia Energi AS", "400", "40 %"), ("Sum", "1 000", "100 %")):
        y += 7
        row(y, cells)
    pdf.output(str(path))
    return path


def test_a_table_without_header_under_a_sub_heading_continues_the_year_columns_above(tmp_path: Path) -> None:
    doc = read_document(_balance_pdf(tmp_path / "solbakken-2024.pdf", gap=30))
    assert [g.header_rows for g in doc.tables] == [1, 0, 0, 0]  # the second part, the notes: no header rows
    got = {(f.metric, f.year): (f.value_text, f.table) for f in extract_facts(doc) if "gjeld" in (f.table or "")}
    assert got == {
        ("Skyldige feriepenger", 2024): ("312 450", "Kortsiktig gjeld"),
        ("Skyldige feriepenger", 2023): ("298 120", "Kortsiktig gjeld"),
        ("Sum kortsiktig gjeld", 2024): ("401 363", "Kortsiktig gjeld"),
        ("Sum kortsiktig gjeld", 2023): ("368 324", "Kortsiktig gjeld"),
    }
    notes = sorted((f.metric, f.year, f.value_text) for f in extract_facts(doc) if f.page == 2)
    assert notes == [
        ("Arbeidsgiveravgift", 2023, "162 273"), ("Arbeidsgiveravgift", 2024, "169 810"),
        ("Lønninger", 2023, "1 150 876"), ("Lønninger", 2024, "1 204 330"),
        ("Sum", 2023, "1 313 149"), ("Sum", 2024, "1 374 140"),
    ]  # fmt: skip
