"""Uploads into corpus/: allowed type, size limit, a safe file name, no silent overwrite, then an incremental re-index.

Upload names come from a browser and may be anything ("../../etc/passwd", "rapport 2025 (endelig).PDF",
"README.md"); the file lands in the corpus folder under a name we chose, or not at all. Checking the bytes
as well as the suffix stops a renamed .docx from breaking the next index build.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from rag.config import Settings
from rag.errors import UploadError, UploadExistsError
from rag.ingest import MANIFEST_NAME

if TYPE_CHECKING:
    from rag.embed import Embedder

ALLOWED_SUFFIXES: tuple[str, ...] = (".pdf", ".txt", ".md")
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
_RESERVED = {"readme.md", "readme.txt", MANIFEST_NAME}
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_MAX_NAME = 120

# A build progress callback as rag.index.build_index calls it: (stage, done, total).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class UploadPlan:
    """Where a validated upload will be written, and whether that replaces an existing file."""

    original_name: str
    target: Path
    size: int
    replaces: bool


def safe_filename(name: str) -> str:
    """A plain file name for the corpus folder: no folders, no hidden files, letters/digits/._- only, lower suffix.

    Danish/Norwegian letters are kept (NFC), everything else unusual becomes "-". Raises `UploadError`
    when nothing usable is left.
    """
    # Browsers may send a full client path ("C:\\Users\\x\\rapport.pdf"); keep only the last part.
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    base = unicodedata.normalize("NFC", base).strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("-", stem).strip(".-_ ")
    stem = re.sub(r"-{2,}", "-", stem)
    if not stem:
        raise UploadError(f"The file name {name!r} has no usable characters; rename it, e.g. 'rapport-2025.pdf'.")
    suffix = suffix.lower()
    cleaned = f"{stem[: _MAX_NAME - len(suffix) - 1]}.{suffix}" if suffix else stem[:_MAX_NAME]
    return cleaned


def _check_content(name: str, suffix: str, data: bytes) -> None:
    if suffix == ".pdf":
        if not data.lstrip()[:5] == b"%PDF-":
            raise UploadError(f"{name} is named .pdf but is not a PDF file; export it as PDF and upload again.")
        return
    if b"\x00" in data[:8192]:
        raise UploadError(f"{name} looks like a binary file, not text; upload a .pdf, or save it as plain text.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadError(
            f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 (e.g. 'Save as… UTF-8') and retry."
        ) from exc
    if not text.strip():
        raise UploadError(f"{name} is empty; upload a file with text in it.")


def validate_upload(
    name: str,
    data: bytes,
    corpus_dir: Path,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    overwrite: bool = False,
) -> UploadPlan:
    """Check an upload and decide its target in `corpus_dir`; raises `UploadError` saying what to change.

    An existing file with the same name raises `UploadExistsError` unless `overwrite` is set, so the app can
    ask the user first.
    """
    clean = safe_filename(name)
    suffix = Path(clean).suffix
    if suffix not in ALLOWED_SUFFIXES:
        shown = suffix or "no suffix"
        raise UploadError(f"{name}: {shown} files cannot be indexed; upload {', '.join(ALLOWED_SUFFIXES)} files.")
    if clean.lower() in _RESERVED:
        raise UploadError(f"{clean} is reserved in the corpus folder (it is not indexed); rename the file.")
    if len(data) > max_bytes:
        raise UploadError(
            f"{name} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB. Split or compress it."
        )
    if not data:
        raise UploadError(f"{name} is empty; upload a file with content.")
    _check_content(name, suffix, data)
    corpus = corpus_dir.resolve()
    target = corpus / clean
    if target.parent != corpus:  # belt and braces: safe_filename never yields a separator
        raise UploadError(f"{name} would be written outside the corpus folder; rename it.")
    replaces = target.exists()
    if replaces and not overwrite:
        raise UploadExistsError(target)
    if replaces and not target.is_file():
        raise UploadError(f"{clean} exists in the corpus and is not a file; rename the upload.")
    return UploadPlan(original_name=name, target=target, size=len(data), replaces=replaces)


def save_upload(plan: UploadPlan, data: bytes) -> Path:
    """Write the upload atomically (temp file + rename), so the indexer never reads half a file."""
    plan.target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=plan.target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, plan.target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UploadError(f"Cannot write {plan.target} ({exc.strerror}); check the corpus folder permissions.") from exc
    return plan.target


@dataclass(frozen=True)
class UploadResult:
    """What an upload did: the file written and the index build's summary."""

    path: Path
    replaced: bool
    summary: str
    skipped: tuple[str, ...]


def add_to_corpus(
    name: str,
    data: bytes,
    settings: Settings,
    *,
    overwrite: bool = False,
    max_bytes: int = MAX_UPLOAD_BYTES,
    on_progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> UploadResult:
    """Validate, save into `settings.corpus_dir`, and update the index incrementally (only the new file is embedded).

    A file the indexer cannot read (e.g. a scanned PDF without text) is removed again, so the corpus does not
    keep a file that is silently never searched.
    """
    from rag.index import build_index

    plan = validate_upload(name, data, settings.corpus_dir, max_bytes=max_bytes, overwrite=overwrite)
    previous = plan.target.read_bytes() if plan.replaces else None
    path = save_upload(plan, data)
    if on_progress:
        on_progress("saved", 1, 1)
    report = build_index(settings, embedder=embedder, progress=False, on_progress=on_progress)
    problems = tuple(f"{Path(p.path).name}: {p.reason}" for p in report.skipped)
    own = [p for p in report.skipped if Path(p.path).name == path.name]
    if own:
        if previous is not None:
            path.write_bytes(previous)
        else:
            path.unlink(missing_ok=True)
        build_index(settings, embedder=embedder, progress=False)
        raise UploadError(f"{path.name} was not added: {own[0].reason}.")
    if on_progress:
        on_progress("done", 1, 1)
    return UploadResult(path=path, replaced=plan.replaces, summary=report.summary(), skipped=problems)
