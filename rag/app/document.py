"""The cited place in its document: a PDF page with the passage marked, or the section of a text document.

For a PDF the page is drawn as the reader would see it (pypdfium2, which pdfplumber already installs) and the
passage is marked from pdfplumber's word boxes: a table figure by where its row and its year column cross (the
value under the year's header, on the line of the row's label), a sentence by the longest runs of its words in
the page's words. For a text document the section around the quote is shown with the quote marked.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rag.app.chat import escape_markdown
from rag.app.citations import DocumentText, quoted_passages, squash
from rag.types import BBox, Chunk, Citation, Fact

SUFFIXES = (".pdf", ".docx", ".txt", ".md")
_PADDING = 2.0  # points around a marked word
_BAND = 48.0  # points of page above and below the marked passage in the excerpt
_SIDE = 24.0  # points of page left and right of the lines it stands on
_FILL = (255, 196, 0, 110)
_OUTLINE = (224, 96, 0, 255)


def source_file(corpus_dir: Path, doc_id: str) -> Path | None:
    """The corpus file a document id names (the id is the file stem), or None when it is gone."""
    for suffix in SUFFIXES:
        for candidate in (corpus_dir / f"{doc_id}{suffix}", corpus_dir / f"{doc_id}{suffix.upper()}"):
            if candidate.is_file():
                return candidate
    return None


# --- words on a PDF page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageWord:
    """A word as printed on a page, with its box in points from the page's top left."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @cached_property
    def token(self) -> str:
        return _token(self.text)

    @property
    def box(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


def _token(text: str) -> str:
    """A word compared by letters and digits only: case, ligatures and surrounding punctuation do not count."""
    norm = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"^[^\w]+|[^\w%]+$", "", norm)


def page_words(path: Path, page: int) -> tuple[list[PageWord], float, float, int]:
    """The words of one physical page (1-based), the page's width and height in points, and the page count."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        count = len(pdf.pages)
        if not 1 <= page <= count:
            return [], 0.0, 0.0, count
        p = pdf.pages[page - 1]
        x0, top, _, _ = p.bbox
        words = [
            PageWord(w["text"], float(w["x0"]) - x0, float(w["top"]) - top, float(w["x1"]) - x0,
                     float(w["bottom"]) - top)
            for w in p.extract_words(x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False)
        ]
        return words, float(p.width), float(p.height), count


def _same_line(a: PageWord, b: PageWord) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _overlaps_x(a: PageWord, b: PageWord, tolerance: float = 4.0) -> bool:
    return a.x0 - tolerance < b.x1 and b.x0 - tolerance < a.x1


def _value_runs(words: Sequence[PageWord], value: str) -> list[list[PageWord]]:
    """Runs of consecutive words on one line that spell a printed value ("5.120", "30 000")."""
    tokens = [_token(part) for part in value.split() if _token(part)]
    if not tokens:
        return []
    runs = []
    for i in range(len(words) - len(tokens) + 1):
        run = list(words[i : i + len(tokens)])
        if [w.token for w in run] == tokens and all(_same_line(run[0], w) for w in run):
            runs.append(run)
    return runs


def locate_cell(words: Sequence[PageWord], fact: Fact) -> list[BBox]:
    """The box of a table figure: the value that stands under its year's header and on its row label's line.

    Every printing of the value on the page is a candidate; where the page prints the year as a column header,
    only a value under it counts. One on (or just below, for a wrapped label) the line of a word of the row
    label scores too. A value that
    nothing singles out is not marked rather than marked at a guess.
    """
    label = [t for t in (_token(p) for p in fact.metric.replace("*", " ").split()) if len(t) > 1 and t.isalpha()][:3]
    year = str(fact.year)
    year_columns = any(w.text == year for w in words)
    best: tuple[int, list[PageWord]] | None = None
    ambiguous = False
    for run in _value_runs(words, fact.value_text):
        first, last = run[0], run[-1]
        cell = PageWord("", first.x0, first.top, last.x1, max(w.bottom for w in run))
        score = 0
        if any(w.text == year and w.bottom <= cell.top + 1 and _overlaps_x(w, cell) for w in words):
            score += 2
        elif year_columns:
            continue  # the page has the year's column: a value elsewhere is not this cell (a label's "30")
        line_height = cell.bottom - cell.top
        if any(
            w.token in label and w.x1 <= cell.x0 and (_same_line(w, cell) or 0 < cell.top - w.top < 3 * line_height)
            for w in words
        ):
            score += 2
        if fact.qualifier and any(_token(fact.qualifier) == w.token and w.bottom <= cell.top + 1 and
                                  _overlaps_x(w, cell) for w in words):
            score += 1
        if best is None or score > best[0]:
            best, ambiguous = (score, run), False
        elif score == best[0]:
            ambiguous = True
    if best is None or (ambiguous and best[0] < 4) or best[0] == 0:
        return []
    run = best[1]
    return [(run[0].x0, min(w.top for w in run), run[-1].x1, max(w.bottom for w in run))]


def locate_passage(words: Sequence[PageWord], passage: str) -> list[BBox]:
    """Line boxes of the page words that spell a quoted passage (longest common runs, in any column order).

    Returns nothing when fewer than half of the passage's words are found in runs of two or more.
    """
    wanted = [t for t in (_token(p) for p in passage.split()) if t]
    if not wanted or not words:
        return []
    tokens = [w.token for w in words]
    matcher = difflib.SequenceMatcher(None, tokens, wanted, autojunk=False)
    minimum = 1 if len(wanted) <= 2 else 2
    hit: list[int] = []
    for block in matcher.get_matching_blocks():
        if block.size >= minimum:
            hit.extend(range(block.a, block.a + block.size))
    if len(hit) < 0.5 * len(wanted):
        return []
    boxes: list[BBox] = []
    line: list[PageWord] = []
    for i in sorted(hit):
        w = words[i]
        if line and not (_same_line(line[-1], w) and w.x0 >= line[-1].x0):
            boxes.append(_join(line))
            line = []
        line.append(w)
    if line:
        boxes.append(_join(line))
    return boxes


def _join(line: Sequence[PageWord]) -> BBox:
    return (min(w.x0 for w in line), min(w.top for w in line), max(w.x1 for w in line), max(w.bottom for w in line))


# --- the page as a picture ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageView:
    """One PDF page drawn with the cited passage marked, and an excerpt of the band around it."""

    page: int
    pages: int
    width: float  # points
    height: float
    scale: float  # pixels per point in `image`
    boxes: tuple[BBox, ...]  # marked areas in points from the page's top left
    image: bytes  # PNG of the whole page
    excerpt: bytes | None  # PNG of the page around the marked passage; None when nothing is marked


def render_page(path: Path, page: int, boxes: Sequence[BBox], scale: float = 2.0,
                around: tuple[float, float] | None = None) -> PageView:
    """The page drawn at `scale` pixels per point with `boxes` marked, plus the excerpt around them.

    `around` (x0, x1 in points) widens the excerpt to the printed lines the boxes stand on, so a marked table
    cell is shown with its row label.
    """
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        count = len(pdf)
        p = pdf[page - 1]
        width, height = p.get_size()
        image = p.render(scale=scale).to_pil().convert("RGBA")
    finally:
        pdf.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x0, top, x1, bottom in boxes:
        rect = [(x0 - _PADDING) * scale, (top - _PADDING) * scale, (x1 + _PADDING) * scale, (bottom + _PADDING) * scale]
        draw.rectangle(rect, fill=_FILL, outline=_OUTLINE, width=max(2, round(scale)))
    marked = Image.alpha_composite(image, overlay).convert("RGB")
    excerpt = None
    if boxes:
        # the band around the passage, and no wider than it needs to be, so a phone shows it large enough to read
        top = max(0.0, min(b[1] for b in boxes) - _BAND)
        bottom = min(height, max(b[3] for b in boxes) + _BAND)
        x0, x1 = around or (min(b[0] for b in boxes), max(b[2] for b in boxes))
        left = max(0.0, min(x0, *(b[0] for b in boxes)) - _SIDE)
        right = min(width, max(x1, *(b[2] for b in boxes)) + _SIDE)
        excerpt = _png(marked.crop((int(left * scale), int(top * scale), int(right * scale), int(bottom * scale))))
    return PageView(page, count, width, height, scale, tuple(boxes), _png(marked), excerpt)


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)  # type: ignore[attr-defined]
    return buffer.getvalue()


def pdf_view(path: Path, citation: Citation, cited: Sequence[Fact] = (), scale: float = 2.0) -> PageView | None:
    """The cited page of a PDF with the cited cells (or, for prose, the quote) marked; None without a page."""
    if not citation.page:
        return None
    words, _, _, count = page_words(path, citation.page)
    if not 1 <= citation.page <= count:
        return None
    boxes: list[BBox] = []
    for fact in cited:
        boxes += locate_cell(words, fact)
    if not boxes:
        for passage in quoted_passages(citation):
            boxes = locate_passage(words, passage)
            if boxes:
                break
    lines = [w for w in words if any(min(w.bottom, b[3]) - max(w.top, b[1]) > 0 for b in boxes)]
    around = (min(w.x0 for w in lines), max(w.x1 for w in lines)) if lines else None
    return render_page(path, citation.page, boxes, scale, around)


# --- the section of a text document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionView:
    """The text around a quote within its section: before, the quote as printed, after."""

    section: str | None
    before: str
    passage: str
    after: str

    def markdown(self) -> str:
        """Strict-escaped Markdown keeping the document's line breaks, the passage marked."""

        def lines(text: str) -> str:
            paragraphs = re.split(r"\n\s*\n", text.replace("\t", "  "))
            return "\n\n".join("  \n".join(escape_markdown(x.strip()) for x in p.splitlines() if x.strip())
                               for p in paragraphs if p.strip())

        marked = f":orange-background[**{escape_markdown(squash(self.passage))}**]"
        head, tail = lines(self.before), lines(self.after)
        glue_before = "\n\n" if self.before.endswith("\n") or not head else " "
        glue_after = "\n\n" if self.after.startswith("\n") or not tail else " "
        return f"{head}{glue_before}{marked}{glue_after}{tail}".strip()


def section_view(citation: Citation, document: DocumentText, chunks: Sequence[Chunk],
                 limit: int = 1800) -> SectionView | None:
    """The quote's surroundings inside its section (at most `limit` characters either side)."""
    span = None
    for passage in quoted_passages(citation):
        span = document.find(passage)
        if span is not None:
            break
    if span is None:
        return None
    start, end = span
    own = [c for c in chunks if c.doc_id == document.doc_id and c.kind == "text" and c.section == citation.section]
    lo = min((c.start - document.offset for c in own), default=0)
    hi = max((c.end - document.offset for c in own), default=len(document.text))
    lo, hi = max(lo, start - limit), min(hi, end + limit)
    before, after = document.text[lo:start], document.text[end:hi]
    if lo > 0 and "\n" in before:
        before = before[before.index("\n") + 1 :]  # start at a line, not mid-word
    if hi < len(document.text) and "\n" in after:
        after = after[: after.rindex("\n")]
    return SectionView(citation.section, before, document.text[start:end], after)
