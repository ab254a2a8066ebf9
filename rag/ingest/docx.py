"""Word (.docx) reports: paragraphs in document order with their headings, tables as grids."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rag.errors import IngestError
from rag.ingest.glyphs import clean_text
from rag.ingest.grid import is_value, render_tsv
from rag.types import TableCell, TableGrid

_YEAR = re.compile(r"(?:19|20)\d\d")


def _grid(table: Any, title: str | None) -> TableGrid | None:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # Merged cells come back once per grid position: keep the text in the first, leave the rest empty.
            key = id(cell._tc)
            cells.append("" if key in seen else " ".join(clean_text(cell.text).split()))
            seen.add(key)
        rows.append(cells)
    if not rows or not any(any(c for c in r) for r in rows):
        return None
    n_cols = max(len(r) for r in rows)
    # Header rows: leading rows with no figure in them other than years ("2024", "Mål 2026", "Enhed").
    header = 0
    for r in rows:
        if any(is_value(c) and not _YEAR.fullmatch(c.strip()) for c in r[1:] if c):
            break
        header += 1
    header = min(header, len(rows) - 1)
    cells_out = []
    for i, r in enumerate(rows):
        for j, text in enumerate(r):
            if text:
                cells_out.append(TableCell(text, i, j, column_header=i < header, row_header=j == 0 and i >= header))
    return TableGrid(page=0, n_rows=len(rows), n_cols=n_cols, cells=tuple(cells_out), title=title,
                     parents=tuple([None] * len(rows)))


def read_docx(path: Path) -> tuple[str, tuple[TableGrid, ...]]:
    """The document's text in order (headings on their own lines, tables as tab-separated rows) and its tables."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and key errors on damaged files
        reason = f"the Word file cannot be read ({type(exc).__name__}); re-save it in Word"
        raise IngestError(str(path), reason) from exc
    blocks: list[str] = []
    tables: list[TableGrid] = []
    last_heading: str | None = None
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = clean_text(item.text).strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style.lower().startswith(("heading", "overskrift", "title", "titel", "tittel")):
                last_heading = text
            blocks.append(text)
        elif isinstance(item, Table):
            grid = _grid(item, last_heading)
            if grid is not None:
                tables.append(grid)
                blocks.append(render_tsv(grid))
    return "\n\n".join(blocks) + "\n", tuple(tables)
