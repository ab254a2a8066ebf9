"""What the index sees of one file, page by page: for `rag extract`, to find out why a document answers badly."""

from __future__ import annotations

from pathlib import Path

from rag.errors import IngestError
from rag.ingest.files import SUPPORTED_SUFFIXES, read_document
from rag.types import PageText, TableGrid


def extract_pages(path: Path) -> list[PageText]:
    """A PDF's physical pages as read (text in reading order, tables, dropped furniture); other files as one page."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    if suffix == ".pdf":
        from rag.ingest.files import repair_text
        from rag.ingest.pdf import read_pdf

        return [
            PageText(p.page, repair_text(p.text) if p.text.strip() else "", p.tables, p.label, p.dropped, p.images)
            for p in read_pdf(path)
        ]
    doc = read_document(path)
    return [PageText(page=1, text=doc.text, tables=doc.tables)]


def render_grid(grid: TableGrid) -> str:
    """A grid as an aligned text table: header rows, then rows with their group (parent) in brackets."""
    rows = grid.text_rows()
    widths = [max(len(r[c]) for r in rows) for c in range(grid.n_cols)]
    widths = [min(max(w, 1), 48) for w in widths]
    out = []
    for r, row in enumerate(rows):
        cells = [(row[c] or "·")[:48].ljust(widths[c]) for c in range(grid.n_cols)]
        line = " | ".join(cells).rstrip()
        parent = grid.parents[r] if r < len(grid.parents) else None
        out.append(line + (f"   [{parent}]" if parent else ""))
        if r == grid.header_rows - 1:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def render_page(page: PageText, tables_only: bool = False) -> str:
    """One page for a person: its text, its tables as grids, and what was dropped as page furniture."""
    head = f"=== page {page.page}" + (f" (printed {page.label})" if page.label else "")
    if page.nearly_empty:
        head += f" — almost no text ({page.images} image(s)); not OCR'd"
    parts = [head]
    if not tables_only:
        parts.append(page.text.rstrip() or "(no text)")
    for i, grid in enumerate(page.tables, start=1):
        kind = "ruled" if grid.ruled else "unruled"
        parts.append(f"--- table {i}: {grid.title or '(no title)'} — {grid.n_rows}×{grid.n_cols}, {kind}")
        parts.append(render_grid(grid))
    if page.dropped and not tables_only:
        parts.append("--- dropped (running headers, footers, page numbers): " + " ‖ ".join(page.dropped))
    return "\n".join(parts) + "\n"
