"""Corpus files (.txt, .md, .pdf) → repaired `Document`s with metadata and page boundaries."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rag.errors import ConfigError, IngestError
from rag.language import detect_language
from rag.types import DocMeta, Document, Language, PageSpan

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
MANIFEST_NAME = "manifest.toml"
_SKIP_NAMES = {"readme.md", "readme.txt"}
_PAGE_JOIN = "\n\n"  # a page break is always a paragraph break

# --- repair of PDF extraction damage -------------------------------------------------------------

# Words that follow a hanging hyphen in a coordination ("klima- og miljø") and must keep it.
_COORDINATORS = {"og", "eller", "samt", "til", "som", "and", "or", "to", "mv", "m.v", "etc"}
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹", "01234567890123456789")
_HYPHEN_BREAK = re.compile(r"(\w+)-[ \t]*\n(?:[ \t]*\n)?[ \t]*([^\W\d_][\w]*)")
_SPLIT_CO2 = re.compile(r"\b(CO|CH|N)[ \t]*\n(?:[ \t]*\n)*[ \t]*([2-4])[ \t]*(\n[ \t]*(?=[a-zæøå(]))?")
_SPACED_SUBSCRIPT = re.compile(r"\b(CO|CH|N|m) ?([₂₃₄²³]) ?(?=[-\s/.,)]|$)")
_MULTI_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_MANY_BLANKS = re.compile(r"\n{4,}")
# Double-spaced extraction puts a blank line between the wrapped lines of one paragraph: a line that
# does not end a sentence, followed by a blank line and a lowercase continuation, is one paragraph.
_DOUBLE_SPACED = re.compile(r"([^\s.!?:;])[ \t]*\n[ \t]*\n(?=[ \t]*[a-zæøå])")


def _join_hyphenated(match: re.Match[str]) -> str:
    head, tail = match.group(1), match.group(2)
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


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if 3 <= len(line) <= 120 and any(c.isalpha() for c in line):
            return line
    return None


def guess_year(name: str, text: str) -> int | None:
    """The report year: a year in the file name, else the most frequent year in the first pages."""
    in_name = _YEAR.findall(name)
    if in_name:
        return int(in_name[-1])
    years = _YEAR.findall(text[:20000])
    if not years:
        return None
    return int(max(set(years), key=lambda y: (years.count(y), y)))


def build_meta(path: Path, text: str, entry: dict[str, Any] | None) -> DocMeta:
    """Manifest entry where there is one; otherwise guesses from the file itself."""
    entry = entry or {}
    language = entry.get("language") or detect_language(text[:30000])
    if language not in ("da", "nb"):
        raise ConfigError(f"{path.name}: language must be 'da' or 'nb' in {MANIFEST_NAME}, not {language!r}.")
    lang: Language = "da" if language == "da" else "nb"
    year = entry.get("year")
    return DocMeta(
        doc_id=path.stem,
        title=str(entry.get("title") or _first_heading(text) or path.stem),
        language=lang,
        year=int(year) if year is not None else guess_year(path.name, text),
        organisation=entry.get("organisation"),
        country=entry.get("country"),
    )


# --- readers -------------------------------------------------------------------------------------


def _read_plain(path: Path) -> tuple[str, tuple[PageSpan, ...]]:
    raw = path.read_bytes()
    if not raw.strip():
        raise IngestError(str(path), "the file is empty; remove it or add text")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            str(path), f"not UTF-8 text (byte {exc.start}); re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)"
        ) from exc
    return repair_text(decoded), ()


def _read_pdf(path: Path) -> tuple[str, tuple[PageSpan, ...]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(str(path), "the PDF is encrypted; save an unprotected copy and index that")
        labels: list[str] = list(reader.page_labels)
        parts: list[str] = []
        spans: list[PageSpan] = []
        offset = 0
        for number, page in enumerate(reader.pages, start=1):
            page_text = repair_text(page.extract_text() or "")
            label = labels[number - 1] if number - 1 < len(labels) else None
            spans.append(PageSpan(page=number, start=offset, end=offset + len(page_text), label=label))
            parts.append(page_text)
            offset += len(page_text) + len(_PAGE_JOIN)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise IngestError(str(path), f"the PDF cannot be read ({exc}); it may be truncated or damaged") from exc
    except Exception as exc:  # pypdf raises many kinds on broken files; the user needs the file name
        raise IngestError(str(path), f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
    text = _PAGE_JOIN.join(parts)
    if not text.strip():
        raise IngestError(str(path), "the PDF has no extractable text (scanned?); run OCR on it first")
    return text, tuple(spans)


def read_document(path: Path, entry: dict[str, Any] | None = None) -> Document:
    """Read, repair and describe one corpus file. Raises `IngestError` naming the file and the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read ({exc.strerror}); check permissions") from exc
    text, pages = _read_pdf(path) if suffix == ".pdf" else _read_plain(path)
    return Document(
        meta=build_meta(path, text, entry),
        text=text,
        source=str(path),
        content_hash=content_hash(raw),
        pages=pages,
    )


def content_hash(data: bytes) -> str:
    """Identifies a file's content for incremental rebuilds."""
    return hashlib.sha256(data).hexdigest()


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The indexable files of a corpus folder, sorted for stable ids."""
    if not corpus_dir.is_dir():
        raise ConfigError(f"Corpus folder {corpus_dir} does not exist; create it or pass --corpus DIR.")
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and p.name.lower() not in _SKIP_NAMES
    )


def iter_documents(paths: Iterable[Path], manifest: dict[str, dict[str, Any]]) -> Iterator[Document | IngestError]:
    """Each file as a `Document`, or the `IngestError` that explains why it was skipped."""
    for path in paths:
        try:
            yield read_document(path, manifest.get(path.name))
        except IngestError as exc:
            yield exc
