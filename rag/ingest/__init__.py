"""Ingest: corpus files (.txt, .md, .pdf, .docx) → repaired `Document`s with pages and table grids.

    files.py   corpus listing, manifest, metadata, plain-text and DOCX readers, text repair
    pdf.py     layout-aware PDF reading: words → lines → blocks → columns → reading order; page furniture
    glyphs.py  repair of broken font encodings (ligatures, private-use glyphs, non-breaking spaces)
    layout.py  words, lines and the XY-cut reading order
    docx.py    Word reports: paragraphs, headings, tables as grids
    extract.py what the index sees of one file (`rag extract`)
    grid.py    tables from word positions: ruling lines or aligned numeric columns → `TableGrid`
    tables.py  table grids and flattened tables → typed `Fact`s (label, header, year, value, unit, source line)
    organisations.py  the organisation a document is about: names, aliases, country

This layer imports nothing from the answering layer.
"""

from rag.ingest.files import (
    MANIFEST_NAME,
    SUPPORTED_SUFFIXES,
    build_meta,
    content_hash,
    corpus_files,
    guess_year,
    iter_documents,
    load_manifest,
    read_document,
    repair_text,
)

__all__ = [
    "MANIFEST_NAME",
    "SUPPORTED_SUFFIXES",
    "build_meta",
    "content_hash",
    "corpus_files",
    "guess_year",
    "iter_documents",
    "load_manifest",
    "read_document",
    "repair_text",
]
