"""Drafting: facts and quoted sentences with footnotes, the figures table, the checks, Markdown and DOCX."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from docx import Document as DocxDocument

from rag.config import Settings
from rag.draft import (
    Draft,
    DraftFigure,
    build_draft,
    check_draft,
    draft_docx,
    draft_markdown,
    instruction_topic,
    select_facts,
    theme_metrics,
)
from rag.errors import QuestionError
from rag.index import Index, build_index, load_index
from rag.retrieve import Filters, HybridRetriever
from rag.types import Citation, DocMeta, Fact
from tests.conftest import FakeEmbedder

ROW = "Enhed Mål 2024 2024 2023 2022 … Strømforbrug MWh — 1.234 1.400 1.512"


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
        ("Medarbejdere og sygefravær", "Medarbejdere og sygefravær"),
    ],
)
def test_instruction_topic(instruction: str, topic: str) -> None:
    assert instruction_topic(instruction) == topic


def test_theme_metrics() -> None:
    assert theme_metrics("klimaindsats")[:3] == ["scope1", "scope2", "co2_hospitaler"]
    assert theme_metrics("sygefravær")[:2] == ["sygefravaer_kort", "sygefravaer_lang"]
    assert "genanvendelse" in theme_metrics("bæredygtighed") and theme_metrics("rumfart") == []


def test_climate_draft(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv et kort afsnit om vores klimaindsats i 2024", index, retriever)
    assert (draft.topic, draft.language, draft.years) == ("klimaindsats i 2024", "da", (2024,))
    assert draft.paragraphs == (
        "Det har sænket strømforbruget markant, og vi arbejder videre med sundhedsvirksomhedens CO2-udledning "
        "og affaldssortering. [1]",
        "Nøgletal for 2024: Strømforbrug: 1.234 MWh [2].",
    )
    assert draft.figures == (
        DraftFigure(n=2, metric="Strømforbrug", year=2024, value="1.234 MWh", previous_year=2023,
                    previous_value="1.400 MWh", doc_id="mini-csr-2024", title="Mini CSR-rapport 2024"),
    )
    assert [(c.n, c.section, c.quote) for c in draft.sources] == [
        (1, "Klima og miljø", "Det har sænket strømforbruget markant, og vi arbejder videre med "
                              "sundhedsvirksomhedens CO2-udledning og affaldssortering."),
        (2, "Appendiks", ROW),
    ]
    assert check_draft(draft) == []


def test_year_defaults_to_newest_with_figures_and_filters_apply(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv om sygefravær", index, retriever)
    assert draft.years == (2024,)
    assert [(f.metric, f.value) for f in draft.figures] == [("Sygefravær, korttids (under 30 dage)", "2,64 %")]
    older = build_draft("Skriv om sygefravær i 2022", index, retriever)
    assert [(f.year, f.value, f.previous_value) for f in older.figures] == [(2022, "3,51 %", None)]
    norway_only = build_draft("Skriv om sygefravær", index, retriever, Filters(organisations=("Mini Norge",)))
    assert norway_only.figures == () and all(c.doc_id == "mini-no-2023" for c in norway_only.sources)


def test_nothing_found_is_an_empty_draft(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv om rumfart", index, retriever)
    assert draft.empty and draft.sources == () and draft.figures == ()
    assert draft_markdown(draft) == "# Udkast: rumfart\n\nDet kan jeg ikke finde i rapporterne.\n"
    with pytest.raises(QuestionError):
        build_draft("   ", index, retriever)


def test_select_facts_prefers_newest_report_and_skips_missing_values() -> None:
    docs = {"old": DocMeta("old", "Old 2021", "da", 2021), "new": DocMeta("new", "New 2025", "da", 2025)}

    def fact(doc: str, value: str, year: int = 2021, key: str = "stroem", style: str = "tsv") -> Fact:
        return Fact("Strømforbrug", key, year, value, None, "MWh", doc, f"Strømforbrug {value}", 0, 10, style=style)

    facts = [fact("old", "3,63"), fact("new", "3,62"), fact("new", "—", 2022), fact("new", "9", key="vand")]
    chosen = select_facts(facts, ["stroem"], [2021, 2022], docs)
    assert [(f.doc_id, f.value_text) for f in chosen] == [("new", "3,62")]


def _draft_with(paragraphs: tuple[str, ...], figures: tuple[DraftFigure, ...] = ()) -> Draft:
    source = Citation(1, "mini-csr-2024", "Mini CSR-rapport 2024", 4, "Appendiks", ROW)
    return Draft("Skriv om strøm", "strøm", "da", (2024,), paragraphs, figures, (source,))


def test_check_draft_catches_unsupported_and_unfootnoted_figures() -> None:
    assert check_draft(_draft_with(("I 2024 brugte vi 1.234 MWh [1].",))) == []
    assert check_draft(_draft_with(("I 2024 brugte vi 1.300 MWh [1].",))) == ["'1.300' is not in source [1]"]
    assert check_draft(_draft_with(("Vi brugte 1.234 MWh [1]. Og 99 ton CO2 i alt.",))) == ["'99' has no footnote"]
    assert check_draft(_draft_with(("Tal [2].",))) == ["footnote [2] has no source"]
    wrong = DraftFigure(1, "Strømforbrug", 2024, "1.999 MWh", None, None, "mini-csr-2024", "Mini")
    assert check_draft(_draft_with(("Strøm 1.234 MWh [1].",), (wrong,))) == [
        "table value '1.999 MWh' for Strømforbrug is not in source [1]"
    ]


def test_markdown_export_footnotes_and_escaping(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv et kort afsnit om vores klimaindsats i 2024", index, retriever)
    md = draft_markdown(draft)
    assert md.startswith("# Udkast: klimaindsats i 2024\n\nDet har sænket strømforbruget markant")
    assert "affaldssortering.[^1]\n\nNøgletal for 2024: Strømforbrug: 1.234 MWh[^2].\n" in md
    assert "| Strømforbrug | 2024 | 1.234 MWh | 1.400 MWh (2023) | [^2] |" in md
    assert md.rstrip().endswith(f"[^2]: Mini CSR-rapport 2024, Appendiks: »{ROW}«")
    plain = draft_markdown(draft, footnotes=False)
    assert "1.234 MWh \\[2\\]." in plain and f"\n2. Mini CSR-rapport 2024, Appendiks: »{ROW}«" in plain
    hostile = replace(draft, paragraphs=("<img src=x onerror=alert(1)> *fed* [link](http://x) [1]",))
    assert "\\<img src=x onerror=alert(1)\\> \\*fed\\* \\[link\\](http://x)[^1]" in draft_markdown(hostile)


def test_docx_export(index: Index, retriever: HybridRetriever) -> None:
    draft = build_draft("Skriv et kort afsnit om vores klimaindsats i 2024", index, retriever)
    doc = DocxDocument(io.BytesIO(draft_docx(draft)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Udkast: klimaindsats i 2024"
    assert texts[1].endswith("affaldssortering.[1]") and texts[2] == "Nøgletal for 2024: Strømforbrug: 1.234 MWh[2]."
    superscripts = [r.text for p in doc.paragraphs for r in p.runs if r.font.superscript]
    assert superscripts == ["[1]", "[2]"]
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["Nøgletal", "År", "Værdi", "Året før", "Kilde"]
    assert [c.text for c in table.rows[1].cells] == ["Strømforbrug", "2024", "1.234 MWh", "1.400 MWh (2023)", "[2]"]
    assert "Kilder" in texts
    assert f"[2] Mini CSR-rapport 2024, Appendiks: »{ROW}«" in texts
    assert doc.core_properties.title == "Udkast: klimaindsats i 2024"
