from __future__ import annotations

import re
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from rag.errors import IngestError
from rag.ingest import build_meta, corpus_files, iter_documents, load_manifest, read_document, repair_text
from rag.text.language import detect_language

PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def make_pdf(path: Path, pages: list[str], labels: bool = False) -> Path:
    """A real PDF with one text block per page; optionally printed page labels i, ii, 1, 2 …"""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    if labels:
        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.set_page_label(0, 0, style="/r")
        writer.set_page_label(1, len(pages) - 1, style="/D", start=1)
        writer.write(str(path))
    return path


class TestRepair:
    def test_joins_words_hyphenated_across_lines(self) -> None:
        assert repair_text("som landets største sundheds-\nvirksomhed, gerne") == (
            "som landets største sundhedsvirksomhed, gerne\n"
        )

    def test_joins_across_a_blank_line_and_a_trailing_space(self) -> None:
        assert repair_text("forsigtig- \nhedsprincippet") == "forsigtighedsprincippet\n"
        assert repair_text("at være sundheds-\n\nvirksomhed") == "at være sundhedsvirksomhed\n"

    def test_joins_a_hyphen_set_apart_by_typesetting_but_not_a_dash(self) -> None:
        assert repair_text("intern medarbejderundersøgel -\nse, der") == "intern medarbejderundersøgelse, der\n"
        assert repair_text("tre mål -\nat skære ned") == "tre mål -\nat skære ned\n"

    def test_keeps_real_hyphens(self) -> None:
        assert repair_text("et klima- \nog miljømæssigt ansvar") == "et klima- og miljømæssigt ansvar\n"
        assert repair_text("vores CO2-\nudledning") == "vores CO2-udledning\n"
        assert repair_text('"Code of Conduct for\nLeverandører"') == '"Code of Conduct for\nLeverandører"\n'
        assert repair_text("Aleris-\nHamlet") == "Aleris-Hamlet\n"

    def test_glues_split_subscripts(self) -> None:
        assert repair_text("Scope 1: CO\n2\n emissioner") == "Scope 1: CO2 emissioner\n"
        assert repair_text("mindsker CO\n\n2\n udledning") == "mindsker CO2 udledning\n"
        assert repair_text("Scope 2: CO ₂ -emissioner* (energi)") == "Scope 2: CO2-emissioner* (energi)\n"
        assert repair_text("Vandforbrug\tm ³\t—") == "Vandforbrug\tm3\t—\n"

    def test_whitespace_but_not_tabs(self) -> None:
        assert repair_text("a  b   c  \n\tEnhed\t2025\r\n") == "a b c\n\tEnhed\t2025\n"

    def test_double_spaced_paragraph_becomes_one(self) -> None:
        assert repair_text("Vi har en vision om at\n\nvære førstevalget.\n\nNy sætning.") == (
            "Vi har en vision om at\nvære førstevalget.\n\nNy sætning.\n"
        )


class TestMetadata:
    def test_manifest_of_the_bundled_corpus(self) -> None:
        manifest = load_manifest(PROJECT_CORPUS)
        assert {p.name for p in corpus_files(PROJECT_CORPUS)} == set(manifest)
        assert manifest["aleris-no-apenhetsloven-2024.txt"]["language"] == "nb"

    def test_guessed_when_no_entry(self, tmp_path: Path) -> None:
        path = tmp_path / "baerekraft-2023.txt"
        text = "Bærekraftsrapport\n\nVi har redusert utslippene, og sykefraværet ble lavere i fjor."
        meta = build_meta(path, text, None)
        assert (meta.doc_id, meta.title, meta.language, meta.year) == (
            "baerekraft-2023",
            "Bærekraftsrapport",
            "nb",
            2023,
        )

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Hvad var vores korttidssygefravær i 2025?", "da"),
            ("Hvor mange medarbejdere havde Aleris i 2025?", "da"),
            ("Hva var sykefraværet i fjor?", "nb"),
            ("Hvor mange lokasjoner har Aleris i Norge?", "nb"),
            ("Hvordan jobber selskapet med aktsomhetsvurderinger?", "nb"),
        ],
    )
    def test_language(self, text: str, expected: str) -> None:
        assert detect_language(text) == expected


class TestReaders:
    def test_text_file(self, mini_corpus: Path) -> None:
        doc = read_document(mini_corpus / "mini-csr-2024.txt", load_manifest(mini_corpus)["mini-csr-2024.txt"])
        assert doc.doc_id == "mini-csr-2024"
        assert doc.meta.year == 2024 and doc.meta.organisation == "Mini Danmark"
        assert "sundhedsvirksomhedens CO2-udledning" in doc.text
        assert "Strømforbrug\tMWh\t—\t1.234\t1.400\t1.512" in doc.text  # table lines intact
        assert doc.pages == ()

    def test_pdf_pages_and_labels(self, tmp_path: Path) -> None:
        path = make_pdf(
            tmp_path / "rapport-2022.pdf",
            ["Forord og indhold", "Sygefravaeret var 3,1 procent.", "Vi har 40 medarbejdere i Odense."],
            labels=True,
        )
        doc = read_document(path)
        assert [(p.page, p.label) for p in doc.pages] == [(1, "i"), (2, "1"), (3, "2")]
        at = doc.text.index("40 medarbejdere")
        page = doc.page_at(at)
        assert page is not None and (page.page, page.label) == (3, "2")
        assert doc.text[doc.pages[1].start : doc.pages[1].end].strip() == "Sygefravaeret var 3,1 procent."

    def test_pdf_hyphenation_repaired(self, tmp_path: Path) -> None:
        path = make_pdf(tmp_path / "r.pdf", ["Vi er en sundheds-\nvirksomhed med omtanke."])
        assert "sundhedsvirksomhed med omtanke" in read_document(path).text

    @pytest.mark.parametrize(
        ("name", "content", "reason"),
        [
            ("empty.txt", b"", "empty"),
            ("latin1.txt", "Sygefravær".encode("latin-1"), "not UTF-8"),
            ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "cannot be read"),
            ("notes.docx", b"PK\x03\x04", "Word file cannot be read"),
            ("notes.xlsx", b"PK\x03\x04", "unsupported file type"),
            ("renamed.txt", b"PK\x03\x04\x14\x00", "Word/Excel"),
        ],
    )
    def test_bad_files_name_the_file_and_reason(self, tmp_path: Path, name: str, content: bytes, reason: str) -> None:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(IngestError) as info:
            read_document(path)
        assert info.value.path == str(path)
        assert reason in info.value.reason

    def test_truncated_pdf(self, tmp_path: Path) -> None:
        good = make_pdf(tmp_path / "good.pdf", ["Side et", "Side to"])
        data = good.read_bytes()
        truncated = tmp_path / "truncated.pdf"
        truncated.write_bytes(data[: len(data) // 3])
        with pytest.raises(IngestError, match="truncated.pdf"):
            read_document(truncated)

    def test_encrypted_pdf(self, tmp_path: Path) -> None:
        plain = make_pdf(tmp_path / "plain.pdf", ["Hemmelig rapport"])
        writer = PdfWriter(clone_from=PdfReader(str(plain)))
        writer.encrypt(user_password="hemmelig", algorithm="AES-128")
        locked = tmp_path / "locked.pdf"
        writer.write(str(locked))
        with pytest.raises(IngestError, match="encrypted"):
            read_document(locked)

    def test_one_bad_file_does_not_stop_the_others(self, mini_corpus: Path) -> None:
        (mini_corpus / "broken.txt").write_bytes(b"\xff\xfe\xfa broken")
        results = list(iter_documents(corpus_files(mini_corpus), load_manifest(mini_corpus)))
        errors = [r for r in results if isinstance(r, IngestError)]
        assert [Path(e.path).name for e in errors] == ["broken.txt"]
        assert sorted(r.doc_id for r in results if not isinstance(r, IngestError)) == [
            "mini-csr-2024",
            "mini-no-2023",
        ]


def test_utf16_text_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "noter-2024.txt"
    path.write_bytes("Sygefravær 2024: 3,5 %\nVandforbrug: 1.200 m3\n".encode("utf-16"))
    assert read_document(path).text == "Sygefravær 2024: 3,5 %\nVandforbrug: 1.200 m3\n"


def test_docx_paragraphs_headings_and_tables_as_grids(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Nøgletal for Fjordkraft Energi", 1)
    d.add_paragraph("Vi reducerede udledningen markant.")
    table = d.add_table(rows=3, cols=3)
    for (r, c), text in {(0, 1): "2024", (0, 2): "2023", (1, 0): "Scope 3", (1, 1): "1.234",
                         (2, 0): "Vandforbrug (m3)", (2, 2): "56"}.items():
        table.cell(r, c).text = text
    path = tmp_path / "fjordkraft-2024.docx"
    d.save(str(path))
    doc = read_document(path)
    assert doc.text == (
        "Nøgletal for Fjordkraft Energi\n\nVi reducerede udledningen markant.\n\n"
        "\t2024\t2023\nScope 3\t1.234\nVandforbrug (m3)\t\t56\n"
    )
    (grid,) = doc.tables
    assert grid.title == "Nøgletal for Fjordkraft Energi"
    assert grid.column_headers() == ["", "2024", "2023"]
    assert grid.text_rows()[2] == ["Vandforbrug (m3)", "", "56"]  # the empty 2024 cell stays empty
    assert grid.row_label(1) == "Scope 3"


def _subscripted_pdf(path: Path) -> Path:
    """Chemical subscripts and unit powers set as small lowered and raised digits, as reports typeset them."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.set_xy(20, 20)
    for text, position in [
        ("The new plant emits 28.5 kg CO", "LINE"), ("2", "SUB"), ("e per m", "LINE"), ("2", "SUP"),
        (" each year, 12 kg CH", "LINE"), ("4", "SUB"), (" and 5 m", "LINE"), ("3", "SUP"),
        (" of water. Emissions were measured by an independent laboratory each quarter.", "LINE"),
    ]:
        pdf.char_vpos = position  # type: ignore[assignment]
        pdf.write(5, text)
    pdf.output(str(path))
    return path


def test_a_lowered_subscript_stays_in_its_formula(tmp_path: Path) -> None:
    from rag.text.numbers import find_numbers

    text = read_document(_subscripted_pdf(tmp_path / "plant.pdf")).text
    assert "kg CO2e per m2 each year, 12 kg CH4 and 5 m3 of water" in text
    assert [n.value for n in find_numbers(text)] == [28.5, 12.0, 5.0]


def test_typeset_units_in_table_headers_are_read_whole(tmp_path: Path) -> None:
    """A power drawn small and raised stays in its unit's cell text: "kg CO2e/m²", never "kg CO2e/m ²"."""
    from rag.eval.synthetic import generate
    from rag.ingest.pdf import read_pdf

    for seed in range(60):
        path = tmp_path / f"r{seed}.pdf"
        truth = generate(seed, path, typeset=1.0, twins=1.0, codes=1.0)
        heads = [h for page in truth.pages for t in page.tables for line in t.header_rows for h in line]
        if not any("m²" in h for h in heads):
            continue
        read = [h for page in read_pdf(path) for grid in page.tables for h in grid.column_headers()]
        assert any("m²" in h for h in read), read
        assert not any(re.search(r"m ²|CO 2", h) for h in read), read
        return
    raise AssertionError("no generated report with a unit per m² in a table header")
