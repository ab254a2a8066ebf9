"""Drafting: themes from the brief's words, third-person statements, template figures, checks, Markdown, DOCX, CLI."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as DocxDocument

from rag import cli
from rag.answer.retrieve import Filters, HybridRetriever
from rag.app.draft import (
    Draft,
    DraftFigure,
    DraftSection,
    build_draft,
    change_text,
    check_draft,
    clean_sentence,
    draft_docx,
    draft_markdown,
    instruction_topic,
    pandoc_markdown,
    third_person,
)
from rag.config import Settings
from rag.errors import QuestionError
from rag.index import Index, build_index, load_index
from rag.text.numbers import find_numbers
from rag.types import Citation, Fact
from tests.conftest import FakeEmbedder

ROW = "Enhed Mål 2024 2024 2023 2022 … Strømforbrug MWh — 1.234 1.400 1.512"
LED = ("Vi har skiftet alle lysstofrør til LED-belysning på hospitalet i Aarhus. Det har sænket strømforbruget "
       "markant, og vi arbejder videre med sundhedsvirksomhedens CO2-udledning og affaldssortering.")


@pytest.fixture
def index(mini_settings: Settings, fake_embedder: FakeEmbedder) -> Index:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    return load_index(mini_settings.index_dir, mini_settings, fake_embedder)


@pytest.fixture
def retriever(index: Index, mini_settings: Settings) -> HybridRetriever:
    return HybridRetriever(index=index, settings=mini_settings, k=8)


@pytest.mark.parametrize(
    ("instruction", "topic"),
    [
        ("Skriv et kort afsnit om vores klimaindsats i 2025", "klimaindsats i 2025"),
        ("Lav et udkast til LinkedIn om trivsel", "trivsel"),
        ("Skriv et avsnitt om leverandørkjeden.", "leverandørkjeden"),
        ("Lag et kort innlegg om vårt klimaarbeid", "klimaarbeid"),
        ("Medarbejdere og sygefravær", "Medarbejdere og sygefravær"),
    ],
)
def test_instruction_topic(instruction: str, topic: str) -> None:
    assert instruction_topic(instruction) == topic


@pytest.mark.parametrize(
    ("sentence", "language", "written"),
    [
        ("Vi har i 2024 ansat 12 nye sygeplejersker på vores hospitaler.", "da",
         "Mini Danmark har i 2024 ansat 12 nye sygeplejersker på virksomhedens hospitaler."),
        ("I 2025 har vi styrket vores arbejde med os selv.", "da",
         "I 2025 har Mini Danmark styrket virksomhedens arbejde med virksomheden selv."),
        ("Vores medarbejdere trives.", "da", "Mini Danmarks medarbejdere trives."),
        ("Vi har kartlagt våre leverandører.", "nb", "Mini Danmark har kartlagt virksomhetens leverandører."),
        ("Vi har kartlagt leverandørene våre.", "nb", None),  # the possessive after its noun cannot be moved
        ("Jeg er stolt af det, vi har opnået i år.", "da", None),  # a person's voice
        ("«Vi er stolte af resultatet», siger direktøren.", "da", None),  # direct speech
        ("Medarbejderne giver hende mad hver morgen.", "da", None),  # "hende": someone the sentence does not name
    ],
)
def test_third_person(sentence: str, language: str, written: str | None) -> None:
    assert third_person(sentence, "Mini Danmark", language) == written  # type: ignore[arg-type]


def test_clean_sentence_removes_list_markers_and_broken_words() -> None:
    assert clean_sentence("- Vi arbejder med sundheds-\nvirksomhedens udledning.") == \
        "Vi arbejder med sundhedsvirksomhedens udledning."
    assert clean_sentence("• Klima- og miljødata er samlet.") == "Klima- og miljødata er samlet."


def _fact(value: str, number: float, year: int, unit: str | None = "Ton") -> Fact:
    return Fact("Udledning fra el", "el", year, value, number, unit, "d", "row", 0, 1)


def test_change_text_is_computed_by_code() -> None:
    assert change_text(_fact("565", 565, 2024), _fact("452", 452, 2025), "da") == ("20 %", "20")
    assert change_text(_fact("1.454", 1454, 2024), _fact("1.567", 1567, 2025), "nb") == ("7,8 %", "7,8")
    assert change_text(_fact("221", 221, 2024), _fact("199", 199, 2025), "da") == ("10 %", "10")  # 9,95 → 10
    assert change_text(_fact("3,27", 3.27, 2023, "%"), _fact("2,64", 2.64, 2024, "%"), "da") == (
        "0,63 procentpoint", "0,63")
    assert change_text(_fact("31", 31, 2023, None), _fact("19", 19, 2024, None), "nb", signed=True) == (
        "12 poeng", "12")
    assert change_text(_fact("5", 5, 2023), _fact("5", 5, 2024), "da") is None


def test_climate_draft_groups_statement_and_figure_by_theme(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv et kort afsnit om vores klimaindsats i 2024", index, retriever)
    assert (draft.topic, draft.language, draft.years) == ("klimaindsats i 2024", "da", (2024,))
    assert draft.sections == (
        DraftSection(
            "Klima og miljø",
            "Mini Danmark har skiftet alle lysstofrør til LED-belysning på hospitalet i Aarhus. Det har sænket "
            "strømforbruget markant, og virksomheden arbejder videre med sundhedsvirksomhedens CO2-udledning og "
            "affaldssortering. [1] Strømforbrug faldt fra 1.400 MWh i 2023 til 1.234 MWh i 2024, et fald på 12 %. [2]",
        ),
    )
    assert draft.figures == (
        DraftFigure(n=2, metric="Strømforbrug", year=2024, value="1.234 MWh", previous_year=2023,
                    previous_value="1.400 MWh", doc_id="mini-csr-2024", title="Mini CSR-rapport 2024", change="12 %"),
    )
    assert [(c.n, c.section, c.quote) for c in draft.sources] == [(1, "Klima og miljø", LED), (2, "Appendiks", ROW)]
    assert draft.computed == ("12 %",)
    assert check_draft(draft) == []


def test_nothing_off_topic(index: Index, retriever: HybridRetriever) -> None:
    # "Den hvide kat …" stands under "Vores medarbejdere" but is not about the employees; "hende" is someone unnamed.
    draft = build_draft("Skriv om vores medarbejdere", index, retriever)
    text = " ".join(draft.paragraphs)
    assert "Mini Danmark har i 2024 ansat 12 nye sygeplejersker" in text
    assert "kat" not in text and "hende" not in text and "Strømforbrug" not in text


def test_year_defaults_to_newest_with_figures_and_filters_apply(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv om sygefravær", index, retriever)
    assert draft.years == (2024,)
    assert draft.paragraphs == ("Sygefravær, korttids (under 30 dage) faldt fra 3,27 % i 2023 til 2,64 % i 2024, "
                                "et fald på 0,63 procentpoint. [1]",)
    older = build_draft("Skriv om sygefravær i 2023", index, retriever)
    assert [(f.year, f.value, f.previous_value, f.change) for f in older.figures] == [
        (2023, "3,27 %", "3,51 %", "0,24 procentpoint")]
    norway_only = build_draft("Skriv om sygefravær", index, retriever, Filters(organisations=("Mini Norge",)))
    assert norway_only.empty


def test_norwegian_brief_gives_a_norwegian_draft(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv et avsnitt om leverandørkjeden", index, retriever)
    assert draft.language == "nb" and draft.title == "Utkast: leverandørkjeden"
    assert draft.paragraphs == ("Mini Norge har kartlagt forretningsforbindelser i leverandørkjeden, og de fleste har "
                                "signert virksomhetens etiske retningslinje for leverandører. [1]",)
    md = draft_markdown(draft)
    assert "## Leverandørkjeden\n" in md and "_Utkast bygget av rapportenes egne utsagn" in md


def test_nothing_found_is_an_empty_draft(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv om rumfart", index, retriever)
    assert draft.empty and draft.sources == () and draft.figures == ()
    assert draft_markdown(draft) == "# Udkast: rumfart\n\nDet kan jeg ikke finde i rapporterne.\n"
    with pytest.raises(QuestionError):
        build_draft("   ", index, retriever)


def _draft_with(paragraphs: tuple[str, ...], figures: tuple[DraftFigure, ...] = (),
                computed: tuple[str, ...] = ()) -> Draft:
    source = Citation(1, "mini-csr-2024", "Mini CSR-rapport 2024", 4, "Appendiks", ROW)
    sections = tuple(DraftSection("Tema", p) for p in paragraphs)
    return Draft("Skriv om strøm", "strøm", "da", (2024,), sections, figures, (source,), computed)


def test_check_draft_catches_unsupported_unfootnoted_and_miscomputed_figures() -> None:
    assert check_draft(_draft_with(("I 2024 brugte vi 1.234 MWh [1].",))) == []
    assert check_draft(_draft_with(("I 2024 brugte vi 1.300 MWh [1].",))) == ["'1.300' is not in source [1]"]
    assert check_draft(_draft_with(("Vi brugte 1.234 MWh [1]. Og 99 ton CO2 i alt.",))) == ["'99' has no footnote"]
    assert check_draft(_draft_with(("Tal [2].",))) == ["footnote [2] has no source"]
    wrong = DraftFigure(1, "Strømforbrug", 2024, "1.999 MWh", None, None, "mini-csr-2024", "Mini")
    assert check_draft(_draft_with(("Strøm 1.234 MWh [1].",), (wrong,))) == [
        "table value '1.999 MWh' for Strømforbrug is not in source [1]"
    ]
    # a change is accepted only as computed by code, and only when it follows from the two cited values
    text = ("Strømforbrug faldt fra 1.400 MWh i 2023 til 1.234 MWh i 2024, et fald på 12 % [1].",)
    assert check_draft(_draft_with(text)) == ["'12 %' is not in source [1]"]
    right = DraftFigure(1, "Strømforbrug", 2024, "1.234 MWh", 2023, "1.400 MWh", "mini-csr-2024", "Mini", "12 %")
    assert check_draft(_draft_with(text, (right,), ("12 %",))) == []
    miscomputed = replace(right, change="15 %")
    assert check_draft(_draft_with(text, (miscomputed,), ("15 %",))) == [
        "'12 %' is not in source [1]", "change '15 %' for Strømforbrug does not follow from its values"
    ]


def test_markdown_export_footnotes_headings_and_escaping(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv et kort afsnit om vores klimaindsats i 2024", index, retriever)
    md = draft_markdown(draft)
    assert md.startswith("# Udkast: klimaindsats i 2024\n\n## Klima og miljø\n\nMini Danmark har skiftet alle")
    assert ("affaldssortering.[^1] Strømforbrug faldt fra 1.400 MWh i 2023 til 1.234 MWh i 2024, et fald på "
            "12 %.[^2]") in md
    assert "| Strømforbrug | 2024 | 1.234 MWh | 1.400 MWh (2023) | 12 % | [^2] |" in md
    assert md.rstrip().endswith(f"[^2]: Mini CSR-rapport 2024, Appendiks: »{ROW}«")
    assert not re.search(r"(?m)^- |\n- |  - ", md)  # no stray list markers
    plain = draft_markdown(draft, footnotes=False)
    assert "et fald på 12 %. \\[2\\]" in plain and f"\n2. Mini CSR-rapport 2024, Appendiks: »{ROW}«" in plain
    hostile = replace(draft, sections=(DraftSection("X", "<img src=x onerror=alert(1)> *fed* [link](http://x) [1]"),))
    assert "\\<img src=x onerror=alert(1)\\> \\*fed\\* \\[link\\](http://x)[^1]" in draft_markdown(hostile)
    assert ("\\<img src\\=x onerror\\=alert\\(1\\)\\> \\*fed\\* \\[link\\]\\(http\\:\\/\\/x\\)[^1]"
            in pandoc_markdown(hostile))


def _footnotes(docx: bytes) -> list[str]:
    """The text of each real Word footnote (separators left out)."""
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/footnotes.xml").decode()
    notes = re.findall(r'<w:footnote w:id="(\d+)">(.*?)</w:footnote>', xml, re.S)
    return [html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body))).strip() for _, body in notes]


def test_docx_export_has_real_footnotes_and_properties(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv et kort afsnit om vores klimaindsats i 2024", index, retriever)
    data = draft_docx(draft)
    notes = _footnotes(data)
    # one footnote per reference: [1] once in the paragraph, [2] in the paragraph and in the figures table
    assert notes == [f"Mini CSR-rapport 2024, Klima og miljø: »{LED}«", f"Mini CSR-rapport 2024, Appendiks: »{ROW}«",
                     f"Mini CSR-rapport 2024, Appendiks: »{ROW}«"]
    document_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert document_xml.count("<w:footnoteReference") == 3
    doc = DocxDocument(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["Udkast: klimaindsats i 2024", "Klima og miljø"]
    assert texts[2].startswith("Mini Danmark har skiftet alle lysstofrør") and texts[2].endswith("et fald på 12 %.")
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["Nøgletal", "År", "Værdi", "Året før", "Ændring", "Kilde"]
    props = doc.core_properties
    assert (props.title, props.language, props.subject) == ("Udkast: klimaindsats i 2024", "da-DK",
                                                            "klimaindsats i 2024")
    assert "python-docx" not in f"{props.author} {props.comments} {props.last_modified_by}"


def test_cli_draft_writes_markdown_and_docx(index: Index, mini_settings: Settings, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, fake_embedder: FakeEmbedder) -> None:
    monkeypatch.setenv("RAG_INDEX_DIR", str(mini_settings.index_dir))
    monkeypatch.setenv("RAG_CHUNK_TOKENS", str(mini_settings.chunk_tokens))
    monkeypatch.setenv("RAG_CHUNK_OVERLAP", str(mini_settings.chunk_overlap))
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    runner = CliRunner()
    out = runner.invoke(cli.main, ["draft", "Skriv et kort afsnit om vores klimaindsats i 2024"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("# Udkast: klimaindsats i 2024\n\n## Klima og miljø\n")
    md, docx = tmp_path / "u.md", tmp_path / "u.docx"
    result = runner.invoke(cli.main, ["draft", "Skriv om sygefravær", "--md", str(md), "--docx", str(docx)])
    assert result.exit_code == 0, result.output
    assert md.read_text(encoding="utf-8").startswith("# Udkast: sygefravær\n")
    assert _footnotes(docx.read_bytes()) == [
        "Mini CSR-rapport 2024, Appendiks: »Enhed Mål 2024 2024 2023 2022 … Sygefravær, korttids (under 30 dage) % "
        "<2,5 2,64 3,27 3,51«"] * 2
    bad = runner.invoke(cli.main, ["draft", "   "])
    assert bad.exit_code == 2 and "Error:" in bad.output


# --- the bundled corpus -----------------------------------------------------------------------------------

BRIEFS = (
    "Skriv et kort afsnit om vores klimaindsats i 2025",
    "Skriv om medarbejdertrivsel og sygefravær",
    "Lav et opslag om diversitet og ligestilling",
    "Skriv et avsnitt om leverandørkjeden og menneskerettigheter",
    "Skriv et kort afsnit om patientsikkerhed",
)
# The voice of a named person: first person singular, or a quotation.
PERSON_VOICE = re.compile(r"\b(?:jeg|mig|meg|min|mit|mitt|mine)\b|[«»“”\"]", re.IGNORECASE)


@pytest.fixture(scope="module")
def bundled(bundled_index: tuple[Index, Settings]) -> tuple[Index, HybridRetriever]:
    index, settings = bundled_index
    return index, HybridRetriever(index=index, settings=settings, k=8)


@pytest.mark.model
@pytest.mark.parametrize("brief", BRIEFS)
def test_bundled_drafts_state_only_cited_figures_in_the_third_person(bundled: tuple[Index, HybridRetriever],
                                                                     brief: str) -> None:
    index, retriever = bundled
    draft = build_draft(brief, index, retriever)
    assert not draft.empty and draft.figures
    assert check_draft(draft) == []
    quotes = {c.n: c.quote for c in draft.sources}
    for paragraph in draft.paragraphs:
        assert not PERSON_VOICE.search(paragraph), paragraph
        assert not re.search(r"(?:^|\s)- ", paragraph), paragraph
        # every figure in a footnoted piece is in that footnote's quote, or a change computed from its figures
        for piece, n in re.findall(r"(.*?)\s?\[(\d+)\]", paragraph):
            for number in find_numbers(piece):
                text = number.text.strip()
                if re.fullmatch(r"(19|20)\d\d", text):
                    continue
                in_quote = any(abs(v - q) < 1e-9 for v in [number.value or 0] for q in _values(quotes[int(n)]))
                computed = any(text == c.split()[0] or text == c for c in draft.computed)
                assert in_quote or computed, (text, piece, quotes[int(n)])
    for fig in draft.figures:
        assert fig.value.split()[0] in quotes[fig.n]
        if fig.previous_value:
            assert fig.previous_value.split()[0] in quotes[fig.n]


def _values(quote: str) -> set[float]:
    from rag.text.numbers import numbers_in

    return numbers_in(quote)
