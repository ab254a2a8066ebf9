"""The app's views without Streamlit: cited cells in their row, context, trends, the PDF page, history, strings."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from rag.app.chat import Scope, Turn
from rag.app.citations import (
    DocumentText,
    answer_export,
    answer_trends,
    cited_cells,
    linked_answer,
    marked_figures,
    row_facts,
    row_table,
    text_context,
)
from rag.app.document import locate_cell, locate_passage, page_words, pdf_view, section_view, source_file
from rag.app.history import HistoryError, HistoryStore, turn_from_json, turn_to_json, valid_conversation_id
from rag.app.i18n import DA, NB, english_on_page, interface_language, streamlit_css, t
from rag.types import Answer, Chunk, Citation, Fact
from tests.pdf_report import ROWS, cell_box, write_report

HEADER = "\tEnhed\tMål 2025\t2025\t2024\t2023"
SOURCE = "Sygefravær, korttids (under 30 dage)\t%\t<2,5\t3,18\t2,64\t2,64"


def tsv_row(doc: str = "d") -> list[Fact]:
    return [
        Fact("Sygefravær, korttids (under 30 dage)", "k", year, value, float(value.replace(",", ".")), "%", doc,
             SOURCE, 100, 160, target="<2,5", page=4, table="Medarbejdersundhed", style="tsv", header=HEADER)
        for year, value in ((2025, "3,18"), (2024, "2,64"), (2023, "2,64"))
    ]


def citation(quote: str, n: int = 1, doc: str = "d", page: int | None = 4) -> Citation:
    return Citation(n, doc, "Rapport 2025", page, "Medarbejdersundhed", quote)


QUOTE = "Enhed Mål 2025 2025 2024 2023 … Sygefravær, korttids (under 30 dage) % <2,5 3,18 2,64 2,64"


def test_the_cited_cell_is_found_by_column_not_by_number() -> None:
    row = tsv_row()
    other = [Fact("Andet", "a", 2024, "30", 30.0, None, "d", "Andet\t30", 200, 210, style="tsv", header=HEADER)]
    c = citation(QUOTE)
    assert row_facts(c, row + other) == row
    # the answer names its fact: 2,64 in 2024 — the same value in 2023 and the label's "30" stay unmarked
    answer = Answer("Hvad var sygefraværet i 2024?", "… var 2,64 % i 2024 [1].", False, "da", (c,), facts=(row[1],))
    cited = cited_cells(answer, c, row)
    assert cited == [row[1]]
    table = row_table(row, cited, "da")
    assert table is not None
    assert table.headers == ("", "Enhed", "Mål 2025", "2025", "2024", "2023")
    assert table.cells == ("Sygefravær, korttids (under 30 dage)", "%", "<2,5", "3,18", "2,64", "2,64")
    assert table.highlight == frozenset({4})
    assert table.markdown().splitlines()[2] == (
        "| Sygefravær, korttids \\(under 30 dage\\) | % | \\<2,5 | 3,18 | :orange-background[**2,64**] | 2,64 |")


def test_without_answer_facts_the_question_year_picks_between_equal_values() -> None:
    row = tsv_row()
    c = citation(QUOTE)
    answer = Answer("Hvad var sygefraværet i 2023?", "Sygefravær (under 30 dage) var 2,64 % i 2023 [1].", False,
                    "da", (c,))
    assert [f.year for f in cited_cells(answer, c, row)] == [2023]


def test_rows_printed_without_tabs_become_a_table_from_their_facts() -> None:
    source = "Scope 2: CO2 emissioner*\n\n(energi) - lokationsbaseret\nTon 5% reduktion 628 738 734 –"
    row = [Fact("Scope 2: CO2 emissioner (energi) - lokationsbaseret", "s2", year, value, number, "Ton", "d", source,
                7029, 7113, qualifier="lokationsbaseret", target="5% reduktion", style="space-rows",
                header="Enhed Mål 2021 2020 2019 2018", table="Klima")
           for year, value, number in ((2018, "–", None), (2019, "734", 734.0), (2020, "738", 738.0),
                                       (2021, "628", 628.0))]
    table = row_table(row, [row[2]], "nb")
    assert table is not None
    assert table.headers == ("", "Enhet", "Mål", "2021", "2020", "2019", "2018")  # the printed order
    assert table.cells == ("Scope 2: CO2 emissioner (energi) - lokationsbaseret", "Ton", "5% reduktion", "628",
                           "738", "734", "–")
    assert table.highlight == frozenset({4})
    box = Fact("Medarbejdere", "m", 2025, "1.100", 1100.0, None, "d", "CSR-rapport 2025 … 1.100 medarbejdere", 0, 9,
               style="key-figure")
    assert row_table([box], [box]) is None
    assert marked_figures("Scope 1 og 1.100 medarbejdere", [box]) == (
        "Scope 1 og :orange-background[**1.100**] medarbejdere")


def test_trend_series_from_the_cited_facts() -> None:
    row = tsv_row()
    c = citation(QUOTE)
    answer = Answer("Hvordan har sygefraværet udviklet sig?", "… [1]", False, "da", (c,), facts=tuple(row[:2]))
    (trend,) = answer_trends(answer, row, "da")
    assert (trend.label, trend.unit) == ("Sygefravær, korttids (under 30 dage)", "%")
    assert [(p.year, p.value, p.text, p.n, p.source) for p in trend.points] == [
        (2024, 2.64, "2,64", 1, "[1] Rapport 2025 · s. 4 · Medarbejdersundhed"),
        (2025, 3.18, "3,18", 1, "[1] Rapport 2025 · s. 4 · Medarbejdersundhed"),
    ]
    single = Answer("q", "… [1]", False, "da", (c,), facts=(row[0],))
    assert answer_trends(single, row) == []


def test_linked_answer_and_export() -> None:
    assert linked_answer("Tallet er 3 [1]; og *4* [2].", "kilde-ab") == (
        "Tallet er 3 [\\[1\\]](#kilde-ab-1); og \\*4\\* [\\[2\\]](#kilde-ab-2).")
    c = citation("Citat\tmed tab", page=None)
    answer = Answer("Spørgsmål?", "Svar [1].", False, "nb", (c,))
    assert answer_export("Spørsmål?", answer, "nb") == (
        "## Spørsmål\n\nSpørsmål?\n\n## Svar\n\nSvar [1].\n\n## Kilder\n\n"
        "1. Rapport 2025 · Medarbejdersundhed: »Citat med tab«\n")


def chunks_of(text: str, doc: str = "t", size: int = 40) -> list[Chunk]:
    out, pos = [], 0
    while pos < len(text):
        end = min(len(text), pos + size)
        out.append(Chunk(f"{doc}:{pos}", doc, "T", text[pos:end], pos, end, "da", section="Afsnit"))
        pos = end - 5 if end < len(text) else end
    return out


def test_sentence_context_and_section_from_the_chunks() -> None:
    text = ("Overskrift\n\nFørste sætning står her. Vi citerer denne\nsætning med et linjeskift. Og så en "
            "tredje sætning.\n\nNæste afsnit.")
    chunks = chunks_of(text)
    document = DocumentText.from_chunks("t", chunks)
    assert document.text == text
    c = Citation(1, "t", "T", None, "Afsnit", "Vi citerer denne sætning med et linjeskift.")
    context = text_context(c, document)
    assert (context.before, context.quote, context.after) == (
        "Første sætning står her.", "Vi citerer denne sætning med et linjeskift.", "Og så en tredje sætning.")
    view = section_view(c, document, chunks)
    assert view is not None and view.passage == "Vi citerer denne\nsætning med et linjeskift."
    assert ":orange-background[**Vi citerer denne sætning med et linjeskift.**]" in view.markdown()
    missing = Citation(1, "t", "T", None, "Afsnit", "Dette står ingen steder.")
    assert text_context(missing, document).before == "" and section_view(missing, document, chunks) is None


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(tmp_path_factory.mktemp("pdf") / "groen-klinik-2024.pdf")


MM = 72 / 25.4  # points per millimetre


def inside(box: tuple[float, float, float, float], cell: object) -> bool:
    x0, top, x1, bottom = box
    return (cell.x0 * MM - 2 <= x0 and x1 <= cell.x1 * MM + 2  # type: ignore[attr-defined]
            and cell.top * MM - 2 <= top and bottom <= cell.bottom * MM + 2)  # type: ignore[attr-defined]


def test_the_cell_on_the_page_is_where_row_and_year_column_cross(report: Path) -> None:
    words, width, height, count = page_words(report, 2)
    assert (round(width), round(height), count) == (595, 842, 3)
    label = ROWS[0][0]
    fact = Fact(label, "v", 2024, "5.120", 5120.0, "m3", "g", "", 0, 0, page=2)
    (box,) = locate_cell(words, fact)
    assert inside(box, cell_box(0, 3))  # the 2024 column of the first row
    (box,) = locate_cell(words, Fact(label, "v", 2022, "5.900", 5900.0, "m3", "g", "", 0, 0, page=2))
    assert inside(box, cell_box(0, 5))
    # "40" is printed only in the label "(under 40 m3 pr. seng)": it is no cell of the table
    assert locate_cell(words, Fact(label, "v", 2024, "40", 40.0, None, "g", "", 0, 0, page=2)) == []
    boxes = locate_passage(words, "I 2024 har klinikken installeret solceller på taget af hovedbygningen i Vejle.")
    assert len(boxes) == 2 and all(b[1] < 80 * MM for b in boxes)  # two lines of the paragraph above the table


def test_pdf_view_draws_the_page_with_only_the_cell_marked(report: Path, tmp_path: Path) -> None:
    assert source_file(report.parent, "groen-klinik-2024") == report
    assert source_file(report.parent, "findes-ikke") is None
    fact = Fact(ROWS[0][0], "v", 2024, "5.120", 5120.0, "m3", "groen-klinik-2024", "", 0, 0, page=2)
    view = pdf_view(report, citation("… 5.120 5.480 5.900", doc="groen-klinik-2024", page=2), [fact])
    assert view is not None and (view.page, view.pages) == (2, 3)
    image = Image.open(io.BytesIO(view.image)).convert("RGB")
    assert image.size == (round(595.28 * view.scale), round(841.89 * view.scale))

    def marked(cell: object) -> bool:
        box = [round(v * MM * view.scale) for v in (cell.x0, cell.top, cell.x1, cell.bottom)]  # type: ignore[attr-defined]
        region = np.asarray(image.crop((box[0], box[1], box[2], box[3])))
        r, g, b = region[..., 0], region[..., 1], region[..., 2]
        return bool(((r > 200) & (g > 150) & (g < 245) & (b < 180)).any())

    assert marked(cell_box(0, 3))
    assert not marked(cell_box(0, 4)) and not marked(cell_box(0, 0)) and not marked(cell_box(1, 3))
    assert view.excerpt is not None and Image.open(io.BytesIO(view.excerpt)).height < image.height / 3
    assert pdf_view(report, citation("x", page=None), [fact]) is None


def test_history_round_trip_and_refusals(tmp_path: Path) -> None:
    fact = tsv_row()[1]
    answer = Answer("q?", "svar [1].", False, "da", (citation(QUOTE),), latency_ms=3.0, computed=("0,5",),
                    facts=(fact,))
    turn = Turn("og året før?", "Hvad var x i 2023?", "da", (2023,), Scope("Norge", ("A",)), True, answer, "abc")
    assert turn_from_json(turn_to_json(turn)) == turn
    assert turn_from_json(turn_to_json(turn)).answer.facts == (fact,)  # type: ignore[union-attr]
    store = HistoryStore(tmp_path / "data" / "history.sqlite")
    conversation = "0123456789abcdef"
    assert store.load(conversation).turns == ()
    store.append(conversation, turn)
    store.append(conversation, turn)
    store.set_language(conversation, "nb")
    loaded = HistoryStore(tmp_path / "data" / "history.sqlite").load(conversation)
    assert (loaded.language, len(loaded.turns)) == ("nb", 2)
    store.clear(conversation)
    assert store.load(conversation).turns == ()
    assert [valid_conversation_id(x) for x in ("0123456789abcdef", "../etc", "", None, "ABCDEF0123456789")] == [
        True, False, False, False, False]
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database" * 100)
    with pytest.raises(HistoryError, match="move the file aside"):
        HistoryStore(broken).append(conversation, turn)


def test_both_languages_have_every_string() -> None:
    assert DA.keys() == NB.keys()
    for key in DA:
        fields = {f for _, f, _, _ in string.Formatter().parse(DA[key]) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(NB[key]) if f}, key
    assert t("nb", "document_page", page=2, pages=3) == "Side 2 av 3"
    assert [interface_language(x) for x in ("nb-NO", "no", "nn", "da-DK", "en-US", None)] == [
        "nb", "nb", "nb", "da", "da", "da"]
    assert english_on_page("Træk en fil hertil\nDrag and drop file here\nLimit 25MB per file") == [
        "Drag and drop", "per file", "Limit"]
    assert english_on_page("Spør CSR-rapportene\nStoppested") == []
    css = streamlit_css("nb")
    assert 'content: "Dra en fil hit"' in css and "InputInstructions" in css
    assert not re.search(r"[A-Za-z]+ [a-z]+ file", css)
