"""Uploads into corpus/: allowed type, size limit, a safe file name, no silent overwrite, then an incremental re-index.

Upload names come from a browser and may be anything ("../../etc/passwd", "rapport 2025 (endelig).PDF",
"README.md"); the file lands in the corpus folder under a name we chose, or not at all. Checking the bytes
as well as the suffix stops a renamed .docx from breaking the next index build. A replaced file is kept (as
`.NAME.previous`) until the new index is published; any failure puts it back and the previous index stays in use.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from rag.config import Settings
from rag.errors import IngestError, RagError, UploadError, UploadExistsError
from rag.ingest import MANIFEST_NAME

if TYPE_CHECKING:
    from rag.index.embed import Embedder

ALLOWED_SUFFIXES: tuple[str, ...] = (".pdf", ".txt", ".md")
# One limit for the app's text and the check (decimal MB, as in the messages); .streamlit/config.toml's
# maxUploadSize stops larger files at the door.
MAX_UPLOAD_MB = 25
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000
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
    if data[:4] == b"PK\x03\x04":
        raise UploadError(
            f"{name} looks like a Word or Excel file (.docx/.xlsx) renamed to {suffix}; open it and save it as "
            "PDF or as plain text (UTF-8), then upload that."
        )
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
    try:
        mode: int | None = target.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UploadError(f"{clean} in the corpus cannot be inspected ({exc.strerror}); check the folder.") from exc
    replaces = mode is not None
    if replaces and not overwrite:
        raise UploadExistsError(target)
    if mode is not None and not stat.S_ISREG(mode):  # never write through (or over) a link, folder or FIFO
        raise UploadError(f"{clean} exists in the corpus as a link, folder or special file; rename the upload.")
    return UploadPlan(original_name=name, target=target, size=len(data), replaces=replaces)


def save_upload(plan: UploadPlan, data: bytes) -> Path:
    """Write the upload atomically (temp file + rename), so the indexer never reads half a file.

    The file gets the usual mode for new files (0644 under the common umask), not mkstemp's 0600.
    """
    tmp = plan.target.with_name(f".upload-{os.getpid()}-{plan.target.name}.part")
    try:
        plan.target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, plan.target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
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

    All or nothing: when the file cannot be read (e.g. a scanned PDF without text) or the build fails for any
    reason (a full disk, Ctrl-C), the previous version of the file is put back (or the new file removed) and the
    previous index stays in use; the `UploadError` says so. The build lock is held throughout, so no other build
    indexes the file before it is accepted.
    """
    from rag.index import build_index, file_size_limit, index_lock

    limit_mb, _ = file_size_limit(settings, Path(safe_filename(name)).suffix)
    max_bytes = min(max_bytes, int(limit_mb * 1_000_000))
    validate_upload(name, data, settings.corpus_dir, max_bytes=max_bytes, overwrite=overwrite)  # fast feedback
    with index_lock(settings.index_dir, on_progress=on_progress):
        plan = validate_upload(name, data, settings.corpus_dir, max_bytes=max_bytes, overwrite=overwrite)
        previous = _keep_previous(plan.target) if plan.replaces else None
        try:
            path = save_upload(plan, data)
            if on_progress:
                on_progress("saved", 1, 1)
            report = build_index(
                settings, embedder=embedder, progress=False, on_progress=on_progress, require=(plan.target.name,)
            )
        except BaseException as exc:
            _put_back(plan.target, previous)
            if isinstance(exc, RagError | OSError | RuntimeError):
                raise UploadError(_not_added(plan.target.name, exc, previous is not None)) from exc
            raise  # KeyboardInterrupt and the like, after putting the old file back
        if previous is not None:
            previous.unlink(missing_ok=True)
    problems = tuple(f"{Path(p.path).name}: {p.reason}" for p in report.skipped)
    if on_progress:
        on_progress("done", 1, 1)
    return UploadResult(path=path, replaced=plan.replaces, summary=report.summary(), skipped=problems)


def _keep_previous(target: Path) -> Path:
    """Keep the file an upload replaces, under a hidden name the indexer ignores, until the new index is published."""
    kept = target.with_name(f".{target.name}.previous")
    try:
        kept.unlink(missing_ok=True)
        try:
            os.link(target, kept, follow_symlinks=False)  # the old content, without copying it
        except OSError:
            shutil.copy2(target, kept, follow_symlinks=False)
    except OSError as exc:
        raise UploadError(
            f"Cannot keep a copy of the current {target.name} ({exc.strerror}); nothing was changed. "
            "Check the corpus folder permissions and free space."
        ) from exc
    return kept


def _put_back(target: Path, previous: Path | None) -> None:
    try:
        if previous is not None:
            os.replace(previous, target)
        else:
            target.unlink(missing_ok=True)
    except OSError as exc:
        where = f"the previous version is in {previous}; rename it back to {target.name}" if previous else (
            f"remove {target.name} from the corpus folder")
        raise UploadError(f"{target.name} was not added and could not be undone ({exc.strerror}); {where}.") from exc


def _not_added(name: str, exc: BaseException, replaced: bool) -> str:
    if isinstance(exc, IngestError):
        text = f"{name} was not added: {exc.reason}."
    elif isinstance(exc, UploadError):
        text = str(exc)
    elif isinstance(exc, RagError):
        text = f"{name} was not added: {exc}"
    elif isinstance(exc, OSError):
        text = f"{name} was not added: the index could not be written ({exc.strerror or exc})."
    else:
        text = f"{name} was not added: the index build failed ({exc}). Try again; report it if it repeats."
    kept = ["The previous version of the file is kept."] if replaced else []
    if "previous index is still in use" not in text:
        kept.append("The previous index is still in use.")
    return " ".join([text, *kept])
