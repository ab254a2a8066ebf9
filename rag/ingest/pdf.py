"""Layout-aware PDF reading: words with positions → lines → blocks → columns → a reading order a person follows.

pdfplumber (pdfminer underneath) gives every character with its box. We clean the characters (glyph repair,
private-use glyphs dropped, non-breaking spaces made spaces), build words, drop page furniture found by
repetition across pages (running headers, footers, page numbers, navigation rails), find tables from the
positions of their numbers (`rag.ingest.grid`), and order the rest by a recursive XY-cut so that a paragraph
never interleaves with the column beside it. Tables are placed in the reading order where they stand, rendered
as tab-separated rows.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import IngestError
from rag.ingest.glyphs import clean_char, join_letter_spaced, repair_font_glyphs, word_counts
from rag.ingest.grid import find_tables, render_tsv
from rag.ingest.layout import Box, Word, group_lines, xy_cut
from rag.types import PageText, TableGrid

_WORD_SETTINGS: dict[str, Any] = {
    "x_tolerance": 1.5,
    "y_tolerance": 2.5,
    "keep_blank_chars": False,
    "use_text_flow": False,
    "extra_attrs": ["size", "fontname"],
}
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:[-–|]?\s*\d{1,4}\s*[-–|]?|\d{1,4}\s*(?:/|af|av|of)\s*\d{1,4})$", re.IGNORECASE)
_MARGIN = 0.12  # the top and bottom 12 % of a page is where running headers and footers live
_SIDE = 0.10


@dataclass
class _RawPage:
    number: int
    width: float
    height: float
    words: list[Word]
    rules: list[dict[str, float]]
    images: int
    rotated: list[str]


def _open(path: Path) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(str(path))
    except PDFPasswordIncorrect as exc:
        raise IngestError(str(path), "the PDF is encrypted; save an unprotected copy and index that") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(str(path), f"the PDF cannot be read ({exc}); it may be truncated or damaged") from exc
    except Exception as exc:  # pdfminer raises many kinds on broken files; the user needs the file name
        raise IngestError(str(path), f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc


def _raw_page(page: Any, number: int) -> _RawPage:
    from pdfplumber.utils.text import WordExtractor

    page = page.dedupe_chars()
    x0, top, x1, bottom = page.bbox
    chars = []
    turned: list[dict[str, Any]] = []
    for ch in page.chars:
        text = clean_char(ch["text"])
        if text is None:
            continue
        if not ch.get("upright", True):
            turned.append({**ch, "text": text})
            continue
        if ch["x1"] < x0 or ch["x0"] > x1 or ch["bottom"] < top or ch["top"] > bottom:
            continue  # outside the visible page
        chars.append({**ch, "text": text})
    _mark_raised_and_lowered(chars)
    extractor = WordExtractor(**_WORD_SETTINGS)
    words = []
    for attrs, _ in extractor.iter_extract_tuples(chars):
        for part, (a, b) in _split_spaces(attrs["text"], attrs["x0"], attrs["x1"]):
            words.append(
                Word(part, a, b, attrs["top"] - top, attrs["bottom"] - top, float(attrs.get("size") or 10.0),
                     str(attrs.get("fontname", "")))
            )
    rules = [
        {"x0": e["x0"] - x0, "x1": e["x1"] - x0, "top": e["top"] - top, "bottom": e["bottom"] - top}
        for e in page.horizontal_edges
    ]
    headings, rails = _turned_words(turned, x0, x1, top)
    return _RawPage(number, x1 - x0, bottom - top, words + headings, rules, len(page.images), rails)


def _turned_words(chars: list[dict[str, Any]], x0: float, x1: float, top: float) -> tuple[list[Word], list[str]]:
    """Text set vertically: column headings turned 90° over narrow columns ("A1-A3 Produksjon"), or rails.

    A short run of turned characters inside the page becomes one word lying where the run starts (next to the
    table it heads), so the table reader puts it over its column; a run along the page's edge is a navigation rail
    and is only reported as dropped text.
    """
    runs: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda c: (round(c["x0"]), c["top"])):
        run = runs[-1] if runs else None
        close = run is not None and ch["top"] - run[-1]["bottom"] <= 0.5 * float(ch["size"])
        if run is not None and close and abs(ch["x0"] - run[-1]["x0"]) <= 1.0:
            run.append(ch)
        else:
            runs.append([ch])
    words: list[Word] = []
    rails: list[str] = []
    margin = 0.08 * (x1 - x0)
    for run in runs:
        upward = float(run[0]["matrix"][1]) > 0  # turned counter-clockwise: read from the bottom up
        text = "".join(c["text"] for c in (reversed(run) if upward else run)).strip()
        left, right = min(c["x0"] for c in run), max(c["x1"] for c in run)
        inside = left > x0 + margin and right < x1 - margin
        if not text:
            continue
        if not inside or len(text) > 40:
            rails.append(text)
            continue
        size = float(run[0].get("size") or 10.0)
        start = max(c["bottom"] for c in run) if upward else min(c["top"] for c in run)
        line_top = start - size if upward else start
        font = str(run[0].get("fontname", ""))
        y0 = line_top - top
        words.extend(Word(part, left, right, y0, y0 + size, size, font) for part in text.split())
    return words, rails


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _mark_raised_and_lowered(chars: list[dict[str, Any]]) -> None:
    """Small digits beside a word: raised ones are footnotes or powers, lowered ones a formula's subscript.

    Raised digits ("(EBIT)³", "2020¹") become superscript digits; lowered ones after a letter join it ("CO₂" reads
    "CO2"). So they are read neither as part of a figure nor as a figure of their own.
    """
    if not chars:
        return
    sizes = sorted(float(c.get("size") or 0) for c in chars)
    median = sizes[len(sizes) // 2]
    for c in chars:
        size = float(c.get("size") or 0)
        if not (c["text"].isdigit() and 0 < size <= 0.8 * median):
            continue
        left = [
            o
            for o in chars
            if c["x0"] - 3 <= o["x1"] <= c["x0"] + 1 and o is not c and o["top"] < c["bottom"] < o["bottom"] + c["size"]
        ]
        if not left:
            continue
        before = max(left, key=lambda o: o["x1"])
        big = float(before.get("size") or 0)
        if big < 1.25 * size or before["text"].isdigit():
            continue
        raised = c["bottom"] < before["bottom"] - 0.15 * big
        lowered = before["text"].isalpha() and c["top"] > before["top"] + 0.2 * big
        if raised:
            c["text"] = c["text"].translate(_SUPERSCRIPT)
        if raised or lowered:
            # Set higher or lower and smaller, the digit would be a word of its own ("m ²", "CO 2", and a figure
            # 2); on its word's line and size it stays in that word ("m²", "CO2", "(EBIT)³").
            c.update({key: before[key] for key in ("top", "bottom", "doctop", "y0", "y1", "size") if key in before})


def _split_spaces(text: str, x0: float, x1: float) -> list[tuple[str, tuple[float, float]]]:
    """A word that held non-breaking spaces (now spaces) split into words, boxes shared out by length."""
    if " " not in text.strip():
        return [(text.strip(), (x0, x1))] if text.strip() else []
    out = []
    per = (x1 - x0) / max(len(text), 1)
    pos = 0
    for part in text.split(" "):
        if part:
            out.append((part, (x0 + pos * per, x0 + (pos + len(part)) * per)))
        pos += len(part) + 1
    return out


# --- page furniture ---------------------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", text.casefold()).strip()


def _zone(line_top: float, line_bottom: float, x0: float, x1: float, page: _RawPage) -> str | None:
    if line_bottom <= page.height * _MARGIN:
        return "top"
    if line_top >= page.height * (1 - _MARGIN):
        return "bottom"
    if x1 <= page.width * _SIDE or x0 >= page.width * (1 - _SIDE):
        return "side"
    return None


def _furniture(pages: Sequence[_RawPage]) -> dict[int, set[int]]:
    """Per page, the ids of words that are running headers, footers, page numbers or navigation rails.

    A margin line is furniture when the same text (digits aside) stands at the same height on many pages, or
    when its first words do ("Annual report 2018 / <section> / page 21": the section changes, the line stays).
    """
    per_page: dict[int, list[tuple[tuple[str, str], str, list[Word], int]]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        items = []
        for n, margin_line in enumerate(group_lines(page.words)):
            zone = _zone(margin_line.top, margin_line.bottom, margin_line.x0, margin_line.x1, page)
            if zone is None:
                continue
            # A margin line may hold several items far apart ("Årsrapport 2018" … "23"): judge each.
            for seg in _margin_segments(margin_line.words):
                key = _furniture_key(" ".join(w.text for w in seg))
                loose = " ".join(key.split()[:3]) if len(key.split()) > 3 else ""
                band = f"{zone}:{round(min(w.top for w in seg) / 6)}"
                items.append(((key, loose), band, seg, n))
        per_page[page.number] = items
        seen = {(k, b) for (k, _), b, _, _ in items} | {(f"~{lo}", b) for (_, lo), b, _, _ in items if lo}
        for key, band in seen:
            counts[(key, band)] += 1
    needed = max(3, math.ceil(0.3 * len(pages)))

    def near(key: str, band: str) -> int:
        zone, n = band.split(":")
        return sum(counts[(key, f"{zone}:{int(n) + d}")] for d in (-1, 0, 1))

    dropped: dict[int, set[int]] = defaultdict(set)
    for number, items in per_page.items():
        repeated = [
            len(pages) >= 3 and (near(key, band) >= needed or bool(loose and near(f"~{loose}", band) >= needed))
            for (key, loose), band, _, _ in items
        ]
        for k, ((_key, _loose), band, seg, line) in enumerate(items):
            # A page number stands alone on its line, or among other furniture ("Årsrapport 2018 … 23"); beside
            # figures that are not furniture it is a figure of a table row that runs into the margin.
            alone = all(repeated[j] for j, other in enumerate(items) if other[3] == line and j != k)
            page_number = bool(_PAGE_NUMBER.match(" ".join(w.text for w in seg))) and not band.startswith("side")
            if repeated[k] or (page_number and alone):
                dropped[number].update(id(w) for w in seg)
    return dropped


def _margin_segments(words: Sequence[Word]) -> list[list[Word]]:
    if not words:
        return []
    em = statistics.median(w.size for w in words)
    segs: list[list[Word]] = [[words[0]]]
    for prev, w in zip(words, words[1:], strict=False):
        if w.x0 - prev.x1 > 2.0 * em:
            segs.append([w])
        else:
            segs[-1].append(w)
    return segs


# --- one page ---------------------------------------------------------------------------------------------


def _page_label(dropped_text: Sequence[str]) -> str | None:
    for text in dropped_text:
        m = re.fullmatch(r"[-–|]?\s*(\d{1,4})\s*[-–|]?", text.strip())
        if m:
            return m.group(1)
    return None


def _layout(page: _RawPage, words: list[Word], tables: list[TableGrid]) -> str:
    """Text in reading order: words not in tables are cut into blocks; each table is one block."""
    boxes: list[Box] = []
    in_table: set[int] = set()
    for t in tables:
        assert t.bbox is not None
        tx0, ttop, tx1, tbottom = t.bbox
        boxes.append(Box(tx0, tx1, ttop, tbottom, t))
        for w in words:
            if w.x0 >= tx0 - 1 and w.x1 <= tx1 + 1 and w.top >= ttop - 1 and w.bottom <= tbottom + 1:
                in_table.add(id(w))
    boxes.extend(Box(w.x0, w.x1, w.top, w.bottom, w) for w in words if id(w) not in in_table)
    if not boxes:
        return ""
    em = statistics.median(w.size for w in words) if words else 10.0
    blocks: list[str] = []
    for block in xy_cut(boxes, em):
        block_words = [b.item for b in block if isinstance(b.item, Word)]
        for b in block:
            if isinstance(b.item, TableGrid):
                blocks.append(render_tsv(b.item))
        if block_words:
            blocks.append("\n".join(line.text for line in group_lines(block_words)))
    return "\n\n".join(b for b in blocks if b.strip())


def read_pdf(path: Path) -> list[PageText]:
    """Every physical page of a PDF in reading order, with its tables as grids and its page furniture dropped."""
    pdf = _open(path)
    try:
        labels = _pdf_labels(pdf)
        try:
            raw = [_raw_page(page, n) for n, page in enumerate(pdf.pages, start=1)]
        except IngestError:
            raise
        except Exception as exc:  # a broken content stream: the user needs the file name and the reason
            raise IngestError(str(path), f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
    finally:
        pdf.close()
    repair_font_glyphs([w for page in raw for w in page.words])
    counts = word_counts(" ".join(w.text for page in raw for w in page.words))
    furniture = _furniture(raw)
    out: list[PageText] = []
    for page in raw:
        gone = furniture.get(page.number, set())
        dropped_lines = [ln.text for ln in group_lines([w for w in page.words if id(w) in gone])]
        words = [w for w in page.words if id(w) not in gone]
        tables = find_tables(words, page.number, page.rules)
        text = join_letter_spaced(_layout(page, words, tables), counts)
        label = labels[page.number - 1] if labels else None
        out.append(
            PageText(
                page=page.number,
                text=text,
                tables=tuple(tables),
                label=label or _page_label(dropped_lines),
                dropped=tuple(dropped_lines + page.rotated),
                images=page.images,
            )
        )
    return out


def _pdf_labels(pdf: Any) -> list[str] | None:
    """The printed page labels the PDF defines (/PageLabels), or None when it defines none."""
    try:
        catalog = pdf.doc.catalog
        if "PageLabels" not in catalog:
            return None
        from pypdf import PdfReader

        reader = PdfReader(pdf.stream)
        return list(reader.page_labels)
    except Exception:  # labels are a nicety; a PDF whose label tree is broken still reads
        return None
