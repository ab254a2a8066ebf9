"""Corpus files (.txt, .md, .pdf) → repaired `Document`s with metadata and page boundaries."""

from __future__ import annotations

import hashlib
import re
import stat
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import ConfigError, IngestError
from rag.ingest.glyphs import clean_text
from rag.ingest.organisations import find_organisation
from rag.text.analysis import all_stopwords
from rag.text.grammar import PREPOSITIONS
from rag.text.language import detect_language, is_nynorsk
from rag.text.numbers import english_notation
from rag.types import DocMeta, Document, Language, PageSpan, PageText, TableGrid

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
MANIFEST_NAME = "manifest.toml"
_SKIP_NAMES = {"readme.md", "readme.txt"}
_PAGE_JOIN = "\n\n"  # a page break is always a paragraph break
_RUNNING_HEADS = 4  # the most repeated running headers and footers kept for the document's metadata

# --- repair of PDF extraction damage -------------------------------------------------------------

# Words that follow a hanging hyphen in a coordination ("klima- og miljø") and must keep it.
_COORDINATORS = {"og", "eller", "samt", "til", "som", "and", "or", "to", "mv", "m.v", "etc"}
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹", "01234567890123456789")
_HYPHEN_BREAK = re.compile(r"(\w+)( ?)-[ \t]*\n(?:[ \t]*\n)?[ \t]*([^\W\d_][\w]*)")
_SPLIT_CO2 = re.compile(r"\b(CO|CH|N)[ \t]*\n(?:[ \t]*\n)*[ \t]*([2-4])[ \t]*(\n[ \t]*(?=[a-zæøå(]))?")
_SPACED_SUBSCRIPT = re.compile(r"\b(CO|CH|N|m) ?([₂₃₄²³]) ?(?=[-\s/.,)]|$)")
_MULTI_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_MANY_BLANKS = re.compile(r"\n{4,}")
# Double-spaced extraction puts a blank line between the wrapped lines of one paragraph: a line that
# does not end a sentence, followed by a blank line and a lowercase continuation, is one paragraph.
_DOUBLE_SPACED = re.compile(r"([^\s.!?:;])[ \t]*\n[ \t]*\n(?=[ \t]*[a-zæøå])")


def _join_hyphenated(match: re.Match[str]) -> str:
    head, spaced, tail = match.group(1), match.group(2), match.group(3)
    if spaced:
        # "medarbejderundersøgel -\nse": typeset hyphenation with the hyphen set apart; a dash before a small
        # word ("mål -\nat …") stays as it is.
        if tail[0].isupper() or tail.lower() in all_stopwords() or head[-1].isdigit():
            return match.group(0)
        return head + tail
    if tail.lower() in _COORDINATORS or tail[0].isupper() or head[-1].isdigit() or head.isupper():
        # A real hyphen: a coordination, a name, or a compound with a code ("CO2-udledning").
        joiner = "- " if tail.lower() in _COORDINATORS else "-"
        return f"{head}{joiner}{tail}"
    return head + tail


def repair_text(text: str) -> str:
    """Undo the usual PDF-to-text damage while keeping line structure (tables depend on it)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "").replace("\u200b", "")
    text = text.replace("\ufeff", "").replace("\f", "\n\n")
    # "CO\n\n2\n udledning" → "CO2 udledning"; a subscript followed by a word is glued back with a space.
    text = _SPLIT_CO2.sub(lambda m: m.group(1) + m.group(2) + (" " if m.group(3) else ""), text)
    text = _SPACED_SUBSCRIPT.sub(lambda m: m.group(1) + m.group(2).translate(_SUBSCRIPTS), text)
    text = _HYPHEN_BREAK.sub(_join_hyphenated, text)
    text = _TRAILING_SPACE.sub("", text)
    text = _DOUBLE_SPACED.sub(r"\1\n", text)
    text = _MULTI_SPACE.sub(" ", text)
    text = _MANY_BLANKS.sub("\n\n\n", text)
    return text.strip("\n") + "\n"


# --- metadata ------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")


def load_manifest(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """Per-file metadata from `corpus/manifest.toml`, keyed by file name; empty when there is none."""
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix it or delete it to use guessed metadata.") from exc
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


_TITLE_MAX = 120


def _first_heading(text: str) -> str | None:
    """The first line with letters, and the lines a title wrapped onto ("Manifest for" / "Fremtidens bolig").

    A title continues on the next line when its line ends on a word that cannot end a phrase (a preposition or
    conjunction: "for", "OG") or the next line starts in lower case; a blank line ends it.
    """
    lines = [line.strip().lstrip("#>›»").strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if not (3 <= len(line) <= _TITLE_MAX and any(c.isalpha() for c in line)):
            continue
        title = line
        for after in lines[i + 1 : i + 4]:
            last = title.split()[-1].lower()
            wraps = last in PREPOSITIONS or last in _CONJUNCTIONS or after[:1].islower()
            ended = title.endswith((".", ":", ",", ";"))
            if not after or not wraps or ended or len(title) + 1 + len(after) > _TITLE_MAX:
                break
            title = f"{title} {after}"
        return title
    return None


_CONJUNCTIONS = frozenset("og and samt eller or &".split())


# Words a report's own title or front page puts before its year ("Årsrapport 2018", "Annual Report 2024").
_REPORT_YEAR = re.compile(
    # A compound of a report word names a report too ("Bærekraftsrapport 2024", "Bæredygtighedsrapport 2023").
    r"\b\w*(?:rapport|melding|regnskab|regnskap|report|beretning|redegørelse|redegjørelse|"
    r"regnskabsåret|regnskapsåret|financial year|handleplan|handlingsplan|statement)\w{0,3}"
    r"[\s:–-]{1,3}(?:for\s+)?(?:året\s+)?((?:19[89]|20[0-4])\d)(?!\d)",
    re.IGNORECASE,
)


def guess_year(name: str, text: str) -> int | None:
    """The report year, from the document's own words first.

    1. The year its first pages put after a report word ("Årsrapport 2018", "rapport for 2023");
    2. a year in the file name;
    3. the most frequent year in the first pages (ties to the later year).
    """
    head = text[:20000]
    stated = _REPORT_YEAR.findall(head)
    if stated:
        return int(max(set(stated), key=lambda y: (stated.count(y), y)))
    in_name = _YEAR.findall(name)
    if in_name:
        return int(in_name[-1])
    years = _YEAR.findall(head)
    if not years:
        return None
    return int(max(set(years), key=lambda y: (years.count(y), y)))


def build_meta(path: Path, text: str, entry: dict[str, Any] | None, running: Sequence[str] = ()) -> DocMeta:
    """Manifest entry where there is one; otherwise guesses from the file itself and its running heads."""
    entry = entry or {}
    language = entry.get("language") or detect_language(text[:30000], english=True)
    if language not in ("da", "nb", "en"):
        raise ConfigError(f"{path.name}: language must be 'da', 'nb' or 'en' in {MANIFEST_NAME}, not {language!r}.")
    lang: Language = language
    year = entry.get("year")
    # The running heads stand on every page, the first included: read as the text's opening lines.
    headed = "\n\n".join([*running, text]) if running else text
    found = find_organisation(headed)
    organisation = entry.get("organisation") or (found.name if found else None)
    aliases = tuple(entry.get("aliases") or ())
    if found is not None and not aliases:
        aliases = found.aliases if found.name == organisation else (found.name, *found.aliases)
    return DocMeta(
        doc_id=path.stem,
        title=str(entry.get("title") or _first_heading(text) or path.stem),
        language=lang,
        year=int(year) if year is not None else guess_year(path.name, headed),
        organisation=organisation,
        country=entry.get("country") or (found.country if found else None),
        aliases=tuple(a for a in aliases if a != organisation),
        nynorsk=lang == "nb" and is_nynorsk(text[:30000]),
        english_notation=english_notation(text, lang == "en"),
    )


# --- readers -------------------------------------------------------------------------------------


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8, or UTF-16 when the file says so with a byte-order mark; otherwise a message that says what to do."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(str(path), "starts as UTF-16 text but is damaged; re-save it as UTF-8") from exc
        # A byte-order mark by accident decodes to CJK noise: real reports here are mostly Latin script.
        if sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in text) < 0.8 * len(text):
            raise IngestError(str(path), "starts like UTF-16 text but does not decode to readable text; save as UTF-8")
        return text
    if raw.startswith(b"PK\x03\x04"):
        raise IngestError(
            str(path), "is a Word/Excel (zip) file with a text name; give it its real extension (.docx) or export text"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            str(path), f"not UTF-8 text (byte {exc.start}); re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)"
        ) from exc


@dataclass(frozen=True)
class FileParts:
    """What a reader made of one file: text, page spans, table grids, nearly empty pages, running heads.

    `running` holds the running headers and footers a PDF repeats on its pages (dropped from the text as furniture):
    a report that names its organisation or its year only there ("Lyngholm Energi A/S · Årsrapport 2024") is
    still known by them.
    """

    text: str
    pages: tuple[PageSpan, ...] = ()
    tables: tuple[TableGrid, ...] = ()
    empty: tuple[int, ...] = ()
    running: tuple[str, ...] = ()


def _read_plain(path: Path, raw: bytes) -> FileParts:
    if not raw.strip():
        raise IngestError(str(path), "the file is empty; remove it or add text")
    return FileParts(repair_text(clean_text(_decode(path, raw))))


def _read_pdf(path: Path, raw: bytes) -> FileParts:
    """Pages in reading order (rag.ingest.pdf); each page's text is repaired on its own so offsets stay per page."""
    from rag.ingest.pdf import read_pdf

    return pdf_parts(path, read_pdf(path))


def _running_heads(pages: Sequence[PageText]) -> tuple[str, ...]:
    """The dropped furniture lines with words, most repeated first ("Årsrapport 2024", not "12" or "3/40")."""
    counts = Counter(line.strip() for page in pages for line in set(page.dropped)
                     if sum(ch.isalpha() for ch in line) >= 3)
    return tuple(line for line, _ in counts.most_common(_RUNNING_HEADS))


def pdf_parts(path: Path, pages: Sequence[PageText]) -> FileParts:
    """A PDF's text, page spans, table grids, nearly empty pages and running heads, from its reader's pages."""
    parts: list[str] = []
    spans: list[PageSpan] = []
    tables: list[TableGrid] = []
    empty: list[int] = []
    offset = 0
    for page in pages:
        page_text = repair_text(page.text) if page.text.strip() else ""
        spans.append(PageSpan(page=page.page, start=offset, end=offset + len(page_text), label=page.label))
        parts.append(page_text)
        tables.extend(page.tables)
        if page.nearly_empty:
            empty.append(page.page)
        offset += len(page_text) + len(_PAGE_JOIN)
    text = _PAGE_JOIN.join(parts)
    if not text.strip():
        raise IngestError(str(path), "the PDF has no extractable text (scanned?); run OCR on it first")
    return FileParts(text, tuple(spans), tuple(tables), tuple(empty), _running_heads(pages))


def _read_docx(path: Path, raw: bytes) -> FileParts:
    """A Word report: paragraphs in order with their headings, tables as grids rendered as tab-separated rows."""
    from rag.ingest.docx import read_docx

    text, tables = read_docx(path)
    if not text.strip():
        raise IngestError(str(path), "the Word file has no text; check that it is not only images")
    return FileParts(repair_text(text), tables=tables)


def pdf_document(path: Path, pages: Sequence[PageText]) -> Document:
    """The document a PDF makes of the pages its reader returned (as `read_document` reads it)."""
    parts = pdf_parts(path, pages)
    return Document(meta=build_meta(path, parts.text, None, parts.running), text=parts.text, source=str(path),
                    content_hash=content_hash(path.read_bytes()), pages=parts.pages, tables=parts.tables,
                    empty_pages=parts.empty)


def read_document(path: Path, entry: dict[str, Any] | None = None) -> Document:
    """Read, repair and describe one corpus file. Raises `IngestError` naming the file and the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve()):
        # The corpus scan refuses such links; a file swapped for a link after the scan is refused here too.
        raise IngestError(str(path), "is a symbolic link to a file outside its folder, which is never read")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read ({exc.strerror}); check permissions") from exc
    reader = {".pdf": _read_pdf, ".docx": _read_docx}.get(suffix, _read_plain)
    parts = reader(path, raw)
    return Document(
        meta=build_meta(path, parts.text, entry, parts.running),
        text=parts.text,
        source=str(path),
        content_hash=content_hash(raw),
        pages=parts.pages,
        tables=parts.tables,
        empty_pages=parts.empty,
    )


def content_hash(data: bytes) -> str:
    """Identifies a file's content for incremental rebuilds."""
    return hashlib.sha256(data).hexdigest()


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The indexable files of a corpus folder, sorted for stable ids; links out of the folder and FIFOs are left out.

    `scan_corpus` also says why each left-out file was left out.
    """
    return scan_corpus(corpus_dir)[0]


def scan_corpus(corpus_dir: Path) -> tuple[list[Path], list[IngestError]]:
    """The indexable files of a corpus folder, and an `IngestError` for each candidate that is never read.

    Reading never leaves the corpus folder: a symbolic link is followed only when it resolves to a regular file
    inside the folder, and FIFOs, devices and sockets are never opened (reading a FIFO blocks forever).
    """
    if not corpus_dir.is_dir():
        raise ConfigError(f"Corpus folder {corpus_dir} does not exist; create it or pass --corpus DIR.")
    root = corpus_dir.resolve()
    files: list[Path] = []
    refused: list[IngestError] = []
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or path.name.lower() in _SKIP_NAMES:
            continue
        reason = _unreadable_reason(path, root)
        if reason is None:
            files.append(path)
        elif reason:
            refused.append(IngestError(str(path), reason))
    return files, refused


def _unreadable_reason(path: Path, root: Path) -> str | None:
    """None when `path` may be read; "" for a folder (not a file, nothing to say); else why it is never read."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # dangling, or a loop of links
                return "is a broken symbolic link; remove it, or copy the file itself into the corpus folder"
            if not target.is_relative_to(root):
                return (
                    "is a symbolic link to a file outside the corpus folder, which is never read; "
                    "copy the file itself into the corpus folder"
                )
            info = target.stat()
    except OSError as exc:
        return f"cannot be inspected ({exc.strerror}); check its permissions"
    if stat.S_ISDIR(info.st_mode):
        return ""
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a FIFO, device or socket) and is never read; remove it from the corpus folder"
    return None


def iter_documents(paths: Iterable[Path], manifest: dict[str, dict[str, Any]]) -> Iterator[Document | IngestError]:
    """Each file as a `Document`, or the `IngestError` that explains why it was skipped."""
    for path in paths:
        try:
            yield read_document(path, manifest.get(path.name))
        except IngestError as exc:
            yield exc
