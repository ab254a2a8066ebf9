"""The index stage: build, save and load an index — chunks, facts, vectors, lexical tokens and a manifest.

Modules: `chunk` (documents → chunks), `embed` (texts → vectors), `lexical` (the Nordic BM25), `store` (the seam
where vectors and postings live: `faiss_store`, the default, or `postgres`), `langchain` (a LangChain vector store).

On disk an index folder holds generations and a pointer to the one in use:

    index/CURRENT              the name of the published generation (replaced atomically: temp file + os.replace)
    index/gen-<time>-<pid>/    manifest.json, vectors.faiss, chunks.jsonl, facts.jsonl, documents.json, lexical/
                               (store = postgres: manifest.json only; the rest lives in PostgreSQL, `postgres`)
    index/.tmp-…               a build in progress (removed when it fails; stranded ones by the next build)
    index/.build.lock          held by the one build that may run at a time (a second one waits)

A build writes a complete new generation and publishes it with ONE atomic replace of `CURRENT`; readers resolve
`CURRENT` once and read that generation only, so they never see half an index or files of two builds, and a
crash or Ctrl-C at any point leaves the previous index in use. The manifest records the sha256 of every artifact:
loading verifies the manifest's shape and every checksum and names a damaged file; the next build rebuilds
whatever fails that check, reusing vectors only from artifacts that verify. The published and the previous
generation are kept (a reader may still be opening the previous one); older ones are removed. Rebuilds are
incremental: a passage whose text was embedded before keeps its vector. With the PostgreSQL store, a build writes
only the documents whose content changed, one transaction each, before it publishes the new generation.
"""

from __future__ import annotations

import bisect
import errno
import functools
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
import types
import typing
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from rag.config import Settings, StoreName
from rag.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexError_,
    IndexMismatchError,
    IndexWriteError,
    IngestError,
    RagError,
)
from rag.index.chunk import chunk_document
from rag.index.embed import Embedder, embed_batch_checked, embed_query, get_embedder
from rag.index.faiss_store import FaissStore
from rag.index.lexical import META_NAME, LexicalIndex
from rag.index.store import Lexicon, Store, embedding_text, stored_documents, sync_documents
from rag.ingest import content_hash, iter_documents, load_manifest
from rag.ingest.files import scan_corpus
from rag.ingest.tables import extract_facts, fact_chunks
from rag.types import Chunk, DocMeta, Document, Fact, Language

if typing.TYPE_CHECKING:
    from rag.index.postgres import PostgresStore

SCHEMA_VERSION = 2  # 2: generations, a pointer file and checksummed artifacts
POINTER = "CURRENT"
LOCK_NAME = ".build.lock"
LOCK_TIMEOUT_S = 600.0  # how long a second build waits for a running one before giving up
_TMP = ".tmp-"
_GENERATION = re.compile(r"gen-\d{8}T\d{6}-\d{6}-\d+")
_REQUIRED = ("vectors.faiss", "chunks.jsonl", "facts.jsonl", "documents.json", f"lexical/{META_NAME}")
_REQUIRED_BY_STORE: dict[StoreName, tuple[str, ...]] = {StoreName.FAISS: _REQUIRED, StoreName.POSTGRES: ()}
# What an index of the old single-folder layout (schema 1) held; removed once a generation is published.
_FLAT_ARTIFACTS = ("manifest.json", "vectors.faiss", "chunks.jsonl", "facts.jsonl", "documents.json", "lexical")
_REBUILD = "Run `rag index` to rebuild it."
_LOAD_ATTEMPTS = 3
_ZIP_MAGIC = b"PK\x03\x04"
_TEXT_SUFFIXES = (".txt", ".md")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Code whose behaviour decides what an index contains (files or packages under rag/); when it changes, documents
# are re-read (vectors of unchanged passages are still reused).
_PIPELINE_MODULES = ("ingest", "index", "text", "data")  # data: stopwords and compound parts the analyser reads


@functools.cache
def pipeline_fingerprint() -> str:
    """A hash of the code that turns files into chunks, facts and lexical tokens (read once: the code running)."""
    root = Path(__file__).parent.parent
    digest = hashlib.sha256()
    for name in _PIPELINE_MODULES:
        path = root / name
        files = sorted(f for f in path.rglob("*") if f.suffix in (".py", ".txt")) if path.is_dir() else []
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


Progress = Callable[[str, int, int], None]


def _package_version() -> str:
    try:
        return metadata.version("rag")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@dataclass
class BuildReport:
    """What a build did, for the CLI and the app."""

    documents: int = 0
    chunks: int = 0
    facts: int = 0
    embedded_files: list[str] = field(default_factory=list)
    reused_files: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    skipped: list[IngestError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. what was damaged and has been repaired
    # Pages of the files read in this build with almost no text (photos, image-only tables): not read, no OCR.
    empty_pages: dict[str, list[int]] = field(default_factory=dict)
    seconds: float = 0.0
    written: bool = False
    generation: str = ""

    def summary(self) -> str:
        return (
            f"{self.documents} documents, {self.chunks} chunks, {self.facts} facts "
            f"({len(self.embedded_files)} embedded, {len(self.reused_files)} unchanged, "
            f"{len(self.removed_files)} removed, {len(self.skipped)} skipped) in {self.seconds:.1f} s"
        )


_embedding_text = embedding_text


def _jsonl_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


class Index:
    """A loaded index: chunks, facts and document metadata of one generation, and the store that searches them."""

    def __init__(
        self,
        directory: Path,
        manifest: dict[str, Any],
        chunks: list[Chunk],
        facts: list[Fact],
        documents: dict[str, DocMeta],
        store: Store,
        embedder: Embedder,
    ) -> None:
        self.directory = directory  # the generation folder the index was read from
        self.manifest = manifest
        self.chunks = chunks
        self.facts = facts
        self.documents = documents
        self.store = store
        self.embedder = embedder

    @property
    def vectors(self) -> Any:
        """The FAISS index of the faiss store (None for another store)."""
        return self.store.vectors if isinstance(self.store, FaissStore) else None

    @property
    def lexical(self) -> Lexicon:
        """The store's lexical side: the corpus analyser and BM25 (the faiss store: its `LexicalIndex`)."""
        return self.store.lexical

    @property
    def generation(self) -> str:
        return str(self.manifest.get("generation", self.directory.name))

    @property
    def newest_year(self) -> int | None:
        years = [d.year for d in self.documents.values() if d.year is not None]
        return max(years) if years else None

    def dense_search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Positions in `chunks` and cosine similarities, best first."""
        if not self.chunks:
            return []
        return self.store.dense_search(embed_query(self.embedder, query), min(k, len(self.chunks)))

    def lexical_search(self, query: str, language: Language, k: int) -> list[tuple[int, float]]:
        """Positions in `chunks` and BM25 scores, best first; chunks without any query term are left out."""
        return self.store.lexical_search(query, language, k)

    def close(self) -> None:
        """Release the store's resources (the PostgreSQL connection); the FAISS store holds none."""
        close = getattr(self.store, "close", None)
        if close is not None:
            close()


def store_of(manifest: dict[str, Any]) -> StoreName:
    """The store an index was built for (indexes written before the store seam are faiss)."""
    return StoreName(manifest.get("store", {}).get("name", StoreName.FAISS.value))


# --- files on disk ---------------------------------------------------------------------------------------


def _create_file(directory: Path, prefix: str) -> tuple[int, Path]:
    """A new file opened for writing, with a random name; unlike `mkstemp` its mode honours the umask (0644-ish)."""
    for _ in range(100):
        path = directory / f"{prefix}{secrets.token_hex(6)}"
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(directory))


def _write_file(path: Path, data: bytes) -> str:
    """Write and flush to disk; the sha256 of what was written."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs folders
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size < 1e9 else f"{size / 1e9:.1f} GB"


def check_writable(directory: Path) -> None:
    """Create the index folder if needed and prove a file can be written there; `IndexWriteError` if not."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = _create_file(directory, ".write-test-")  # not .tmp-: a running build removes those
        os.close(fd)
        probe.unlink(missing_ok=True)
    except OSError as exc:
        raise IndexWriteError(
            f"Cannot write to the index folder {directory} ({exc.strerror or exc}); make it writable, or choose "
            "another folder with --index DIR (or RAG_INDEX_DIR). Nothing was changed."
        ) from exc


def _write_failure(directory: Path, exc: OSError) -> IndexWriteError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = f"The disk holding {directory} is full ({exc.strerror}); free some space and run `rag index` again."
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        what = f"Cannot write to the index folder {directory} ({exc.strerror}); make it writable and run `rag index`."
    else:
        what = f"Writing the index in {directory} failed ({exc}); fix the cause and run `rag index` again."
    return IndexWriteError(f"{what} The previous index is still in use.")


@contextmanager
def index_lock(
    directory: Path, *, timeout: float = LOCK_TIMEOUT_S, on_progress: Progress | None = None
) -> Iterator[None]:
    """Hold the build lock of an index folder: one build at a time; a second waits up to `timeout` seconds.

    Re-entrant within a thread (an upload holds it around saving the file and the build). The folder is checked
    for writability first, so a read-only folder fails here, before anything is read or embedded.
    """
    from filelock import FileLock, Timeout

    check_writable(directory)
    lock = FileLock(str((directory / LOCK_NAME).resolve()), is_singleton=True)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_progress:
                on_progress("waiting", 0, 0)
            lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise IndexBusyError(
            f"Another build of the index in {directory} has been running for over {timeout:g} s; wait for it "
            "to finish (or stop it) and run `rag index` again."
        ) from exc
    except OSError as exc:
        raise IndexWriteError(
            f"Cannot lock the index folder {directory} ({exc.strerror or exc}); make it writable."
        ) from exc
    try:
        yield
    finally:
        lock.release()


# --- the pointer and the manifest ----------------------------------------------------------------------


def published_name(directory: Path) -> str | None:
    """The generation `CURRENT` names, without any checking; None when it cannot be read."""
    try:
        return (directory / POINTER).read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def current_generation(directory: Path) -> Path | None:
    """The published generation folder of an index folder; None when nothing is published.

    Raises `IndexMismatchError` for an index in the old single-folder layout and `IndexDamagedError` when the
    pointer is unreadable or names a folder that is not there.
    """
    pointer = directory / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        if (directory / "manifest.json").is_file():
            raise IndexMismatchError(
                f"The index in {directory} has the single-folder layout of an earlier version. {_REBUILD}"
            ) from None
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexDamagedError(f"{pointer} cannot be read ({exc}). {_REBUILD}") from exc
    if not _GENERATION.fullmatch(name):
        raise IndexDamagedError(f"{pointer} is damaged (it should name a gen-… folder, not {name[:40]!r}). {_REBUILD}")
    generation = directory / name
    if not generation.is_dir():
        raise IndexDamagedError(f"{pointer} names {name}, which is missing. {_REBUILD}")
    return generation


_MANIFEST_FIELDS: dict[str, type] = {
    "generation": str,
    "embedder": str,
    "dimension": int,
    "chunking": dict,
    "files": dict,
    "skipped_files": dict,
    "skipped_reasons": dict,
    "corpus_manifest": str,
    "pipeline": str,
    "counts": dict,
    "artifacts": dict,
}


def _parse_manifest(path: Path, data: bytes) -> dict[str, Any]:
    """A manifest checked for shape: every field of the right type, artifact names inside the generation."""

    def damaged(why: str) -> IndexDamagedError:
        return IndexDamagedError(f"{path} is damaged ({why}). {_REBUILD}")

    try:
        manifest = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise damaged(f"not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict):
        raise damaged(f"it holds a JSON {type(manifest).__name__}, not an object")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise damaged("it has no format version")
    if version != SCHEMA_VERSION:
        raise IndexMismatchError(
            f"{path} has format {manifest.get('schema_version')!r}, this version needs {SCHEMA_VERSION}. {_REBUILD}"
        )
    for key, kind in _MANIFEST_FIELDS.items():
        value = manifest.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise damaged(f"{key!r} should be a JSON {'object' if kind is dict else kind.__name__}")
    for key in ("files", "skipped_files", "skipped_reasons", "artifacts"):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in manifest[key].items()):
            raise damaged(f"{key!r} should map names to strings")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in manifest["counts"].values()):
        raise damaged("'counts' should map names to numbers")
    names = manifest["artifacts"]
    if any(name.startswith("/") or ".." in name.split("/") or "\\" in name for name in names):
        raise damaged("an artifact name points outside the generation folder")
    _check_store_field(manifest.get("store", {"name": StoreName.FAISS.value}), damaged)
    missing = [name for name in _REQUIRED_BY_STORE[store_of(manifest)] if name not in names]
    if missing:
        raise damaged(f"it lists no checksum for {', '.join(missing)}")
    return manifest


def _check_store_field(store: Any, damaged: Callable[[str], IndexDamagedError]) -> None:
    """The manifest's optional `store` record: {"name": a StoreName, and strings such as "schema"}."""
    if not isinstance(store, dict) or store.get("name") not in {s.value for s in StoreName}:
        raise damaged("'store' should name one of " + ", ".join(s.value for s in StoreName))
    if not all(isinstance(v, str) for v in store.values()):
        raise damaged("'store' should map names to strings")


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The manifest of the published generation of an index folder, or None when there is no index there."""
    generation = current_generation(directory)
    if generation is None:
        return None
    path = generation / "manifest.json"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IndexDamagedError(f"{path} cannot be read ({exc.strerror or exc}). {_REBUILD}") from exc
    return _parse_manifest(path, data)


# --- reading and checking a generation -----------------------------------------------------------------


@dataclass
class _Checked:
    """A generation's manifest and the bytes of every artifact that matched its checksum."""

    path: Path
    manifest: dict[str, Any]
    blobs: dict[str, bytes]
    problems: list[str]


def _check_generation(generation: Path) -> _Checked:
    """Read the manifest and every artifact of a generation and compare each with its recorded sha256."""
    manifest_path = generation / "manifest.json"
    try:
        manifest = _parse_manifest(manifest_path, manifest_path.read_bytes())
    except FileNotFoundError as exc:
        raise IndexDamagedError(f"{manifest_path} is missing. {_REBUILD}") from exc
    except OSError as exc:
        raise IndexDamagedError(f"{manifest_path} cannot be read ({exc.strerror or exc}). {_REBUILD}") from exc
    blobs: dict[str, bytes] = {}
    problems: list[str] = []
    for name, digest in manifest["artifacts"].items():
        path = generation / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            problems.append(f"{path} is missing")
            continue
        except OSError as exc:
            problems.append(f"{path} cannot be read ({exc.strerror or exc})")
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            problems.append(f"{path} is damaged (its content does not match the checksum in the manifest)")
            continue
        blobs[name] = data
    return _Checked(generation, manifest, blobs, problems)


_T = TypeVar("_T")
_HINTS: dict[type, dict[str, Any]] = {}


def _matches(value: Any, hint: Any) -> bool:
    """Whether a JSON value fits a simple type hint (str, int, float, None, unions, Literal); others pass."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in typing.get_args(hint))
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint in (str, int, bool):
        return isinstance(value, hint) and (hint is bool or not isinstance(value, bool))
    return True


def _record(cls: type[_T], row: Any) -> _T:
    """A dataclass record from a JSON object, refusing missing, unknown or wrongly typed fields."""
    if not isinstance(row, dict):
        raise TypeError(f"a JSON {type(row).__name__} where an object was expected")
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in row and not _matches(row[f.name], hints[f.name]):
            raise TypeError(f"field {f.name!r} has the wrong type ({type(row[f.name]).__name__})")
    return cls(**row)


def _parse_artifact(path: Path, parse: Callable[[], _T]) -> _T:
    try:
        return parse()
    except (ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:  # any shape of damage
        raise IndexDamagedError(f"{path} is damaged ({type(exc).__name__}: {exc}). {_REBUILD}") from exc


def _jsonl(data: bytes) -> list[Any]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def _chunks(checked: _Checked) -> list[Chunk]:
    data = checked.blobs["chunks.jsonl"]
    return _parse_artifact(checked.path / "chunks.jsonl", lambda: [_record(Chunk, row) for row in _jsonl(data)])


def _vectors(checked: _Checked) -> Any:
    import faiss

    data = checked.blobs["vectors.faiss"]
    return _parse_artifact(
        checked.path / "vectors.faiss", lambda: faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
    )


def _documents(checked: _Checked) -> dict[str, DocMeta]:
    def parse() -> dict[str, DocMeta]:
        rows = json.loads(checked.blobs["documents.json"].decode("utf-8"))
        if not isinstance(rows, dict):
            raise TypeError(f"a JSON {type(rows).__name__} where an object was expected")
        return {str(doc_id): _record(DocMeta, meta) for doc_id, meta in rows.items()}

    return _parse_artifact(checked.path / "documents.json", parse)


def _check_compatible(manifest: dict[str, Any], settings: Settings, embedder: Embedder, directory: Path) -> None:
    built_for = store_of(manifest)
    if built_for != settings.store:
        raise IndexMismatchError(
            f"The index in {directory} was built for the {built_for.value} store, but the settings select "
            f"{settings.store.value}. Set RAG_STORE={built_for.value} (store in rag.toml), or run `rag index` to "
            f"rebuild it for {settings.store.value}."
        )
    if manifest["embedder"] != embedder.id or manifest["dimension"] != embedder.dim:
        raise IndexMismatchError(
            f"The index in {directory} was built with embedder {manifest['embedder']!r}, but the settings "
            f"select {embedder.id!r}. Run `rag index` to rebuild it, or change the embedder setting back."
        )
    if manifest["chunking"] != settings.chunking_signature():
        raise IndexMismatchError(
            f"The index in {directory} was built with chunk settings {manifest['chunking']}, not "
            f"{settings.chunking_signature()}. {_REBUILD}"
        )


@dataclass
class _Parts:
    """The parsed artifacts of a generation."""

    chunks: list[Chunk]
    facts: list[Fact]
    documents: dict[str, DocMeta]
    vectors: Any
    lexical: LexicalIndex


def _parse_checked(checked: _Checked, lexical: bool = True) -> _Parts:
    """Parse every artifact of a checked generation; `IndexDamagedError` naming the first file that fails."""
    if checked.problems:
        more = f" (and {len(checked.problems) - 1} more)" if len(checked.problems) > 1 else ""
        raise IndexDamagedError(f"{checked.problems[0]}{more}. {_REBUILD}")
    if store_of(checked.manifest) is StoreName.POSTGRES:
        return _Parts([], [], {}, None, LexicalIndex.build([]))  # nothing but the manifest on disk
    chunks = _chunks(checked)
    facts = _parse_artifact(
        checked.path / "facts.jsonl", lambda: [_record(Fact, row) for row in _jsonl(checked.blobs["facts.jsonl"])]
    )
    documents = _documents(checked)
    vectors = _vectors(checked)
    dim = checked.manifest["dimension"]
    if vectors.ntotal != len(chunks) or vectors.d != dim:
        raise IndexDamagedError(
            f"{checked.path / 'vectors.faiss'} does not fit the chunks ({vectors.ntotal} vectors of dim {vectors.d} "
            f"for {len(chunks)} chunks of dim {dim}). {_REBUILD}"
        )
    words = LexicalIndex.build([])
    if lexical:
        try:
            words = LexicalIndex.load(checked.path / "lexical")
        except IndexError_ as exc:
            raise IndexDamagedError(str(exc)) from exc
        if words.size != len(chunks):
            raise IndexDamagedError(f"{checked.path / 'lexical'} does not fit the chunks. {_REBUILD}")
    return _Parts(chunks, facts, documents, vectors, words)


def _load_checked(checked: _Checked, embedder: Embedder, lexical: bool, settings: Settings) -> Index:
    parts = _parse_checked(checked, lexical)
    if store_of(checked.manifest) is StoreName.POSTGRES:
        store = _open_postgres(settings, checked.manifest, embedder)
        chunks, facts, documents = store.load()
        return Index(checked.path, checked.manifest, chunks, facts, documents, store, embedder)
    faiss_store = FaissStore(embedder.dim, parts.vectors, parts.lexical, parts.chunks)
    return Index(checked.path, checked.manifest, parts.chunks, parts.facts, parts.documents, faiss_store, embedder)


def _open_postgres(
    settings: Settings, manifest: dict[str, Any] | None, embedder: Embedder, *, create: bool = False
) -> PostgresStore:
    """The PostgreSQL store of an index: the schema its manifest names (a new index: one named after its folder)."""
    from rag.index.postgres import PostgresStore, resolve_dsn, schema_for

    schema = (manifest or {}).get("store", {}).get("schema") or schema_for(settings.index_dir)
    dsn = resolve_dsn(settings.pg_dsn, settings.data_dir)
    return PostgresStore.connect(dsn, schema, embedder.id, embedder.dim, create=create)


def load_index(
    directory: Path, settings: Settings, embedder: Embedder | None = None, lexical: bool = True
) -> Index:
    """Load the published generation, verifying every artifact; refuses an index built with other settings.

    Raises `IndexError_` (missing), `IndexMismatchError` (other embedder, chunking or layout) or
    `IndexDamagedError` naming the damaged file. A generation removed while it was being read (two builds
    published meanwhile) is retried with the new one.
    """
    for attempt in range(_LOAD_ATTEMPTS):
        generation = current_generation(directory)
        if generation is None:
            raise IndexError_(f"No index in {directory}. Run `rag index` to build it from the corpus.")
        try:
            checked = _check_generation(generation)
            embedder = embedder or get_embedder(settings)
            _check_compatible(checked.manifest, settings, embedder, directory)
            return _load_checked(checked, embedder, lexical, settings)
        except IndexDamagedError:
            if attempt + 1 < _LOAD_ATTEMPTS and published_name(directory) != generation.name:
                continue  # replaced while we read it: read the new one
            raise
    raise AssertionError("unreachable")  # pragma: no cover


# --- building --------------------------------------------------------------------------------------------


@dataclass
class _Previous:
    """What the published index can give a build: its manifest when intact, vectors from verified artifacts."""

    manifest: dict[str, Any] | None = None
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    name: str | None = None
    problem: str = ""


def _vectors_by_text(chunks: Sequence[Chunk], vectors: Any) -> dict[str, np.ndarray]:
    return {_embedding_text(c): vectors.reconstruct(i) for i, c in enumerate(chunks)}


def _salvage(generation: Path, settings: Settings, embedder: Embedder) -> dict[str, np.ndarray]:
    """Vectors of a generation whose manifest, chunks.jsonl and vectors.faiss verify (for this embedder), else {}."""
    try:
        checked = _check_generation(generation)
        _check_compatible(checked.manifest, settings, embedder, generation.parent)
        if not {"chunks.jsonl", "vectors.faiss"} <= set(checked.blobs):
            return {}
        chunks, vectors = _chunks(checked), _vectors(checked)
    except IndexError_:
        return {}
    if vectors.ntotal != len(chunks) or vectors.d != embedder.dim:
        return {}
    return _vectors_by_text(chunks, vectors)


def _previous(directory: Path, settings: Settings, embedder: Embedder) -> _Previous:
    """The published index as a donor: whole when it verifies; else only vectors from artifacts that verify.

    When the published generation cannot give its vectors (its manifest or vectors are damaged), the previous
    generation, still on disk, gives the ones its own checksums vouch for.
    """
    try:
        generation = current_generation(directory)
    except IndexError_ as exc:
        generation, problem = None, str(exc)
    else:
        if generation is None:
            return _Previous()
        try:
            checked = _check_generation(generation)
            _check_compatible(checked.manifest, settings, embedder, directory)
            if store_of(checked.manifest) is StoreName.POSTGRES:  # vectors are reused from the tables themselves
                _parse_checked(checked)
                return _Previous(checked.manifest, {}, generation.name)
            index = _load_checked(checked, embedder, lexical=True, settings=settings)
            return _Previous(index.manifest, _vectors_by_text(index.chunks, index.vectors), generation.name)
        except IndexMismatchError as exc:  # other embedder, chunking or format: no vectors to reuse
            return _Previous(name=generation.name, problem=str(exc))
        except IndexError_ as exc:
            problem = str(exc)
    result = _Previous(name=generation.name if generation else None, problem=problem)
    others = sorted((p for p in directory.glob("gen-*") if _GENERATION.fullmatch(p.name)), reverse=True)
    for candidate in ([generation] if generation else []) + [p for p in others if p != generation]:
        for text, vector in _salvage(candidate, settings, embedder).items():
            result.vectors.setdefault(text, vector)
    return result


def file_size_limit(settings: Settings, suffix: str) -> tuple[float, str]:
    """The size limit in MB for a file type, and the setting that sets it."""
    if suffix.lower() in _TEXT_SUFFIXES:
        return settings.max_file_mb, "max_file_mb"
    return settings.max_pdf_mb, "max_pdf_mb"


def _hash_file(path: Path) -> tuple[str, bytes, int]:
    """sha256, the first bytes and the size of a regular file; never blocks on a FIFO swapped in meanwhile."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "it is no longer a regular file", str(path))
        head = handle.read(8)
        digest = hashlib.sha256(head)
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
        return digest.hexdigest(), head, handle.tell()


def _screen(path: Path, size: int, head: bytes, settings: Settings) -> str | None:
    """Why a file is not read at all (too large, a Word/Excel file renamed), or None."""
    limit, setting = file_size_limit(settings, path.suffix)
    if size > limit * 1e6:
        kind = "text" if path.suffix.lower() in _TEXT_SUFFIXES else path.suffix.lower().lstrip(".").upper()
        return (
            f"is {_mb(size)}, over the {limit:g} MB limit for {kind} files (embedding it would take hours); "
            f"split it into smaller files, or raise {setting} in rag.toml"
        )
    if path.suffix.lower() in _TEXT_SUFFIXES and head.startswith(_ZIP_MAGIC):
        return (
            f"looks like a Word or Excel file (.docx/.xlsx) renamed to {path.suffix.lower()}; open it and save it "
            "as PDF or as plain text (UTF-8), and index that"
        )
    return None


@dataclass
class _Corpus:
    """The corpus as a build sees it: files to read, the hash of every regular file, files refused up front."""

    paths: list[Path]
    hashes: dict[str, str]
    refused: list[IngestError]  # symlinks out, FIFOs, unreadable: never hashed
    screened: list[IngestError]  # too large, renamed Office files: hashed, not read


def _scan(settings: Settings) -> _Corpus:
    paths, refused = scan_corpus(settings.corpus_dir)
    corpus = _Corpus([], {}, refused, [])
    for path in paths:
        try:
            digest, head, size = _hash_file(path)
        except OSError as exc:
            corpus.refused.append(IngestError(str(path), f"cannot be read ({exc.strerror or exc}); check permissions"))
            continue
        corpus.hashes[path.name] = digest
        reason = _screen(path, size, head, settings)
        if reason:
            corpus.screened.append(IngestError(str(path), reason))
        else:
            corpus.paths.append(path)
    return corpus


def _clean_text(doc: Document) -> Document:
    """Drop NUL characters and replace lone surrogates (both break tokenizers), keeping page offsets aligned."""
    text = _SURROGATE.sub("\ufffd", doc.text)  # one character for one: offsets unchanged
    if "\x00" not in text:
        return doc if text == doc.text else replace(doc, text=text)
    nuls = [i for i, ch in enumerate(text) if ch == "\x00"]

    def shift(offset: int) -> int:
        return offset - bisect.bisect_left(nuls, offset)

    pages = tuple(replace(p, start=shift(p.start), end=shift(p.end)) for p in doc.pages)
    return replace(doc, text=text.replace("\x00", ""), pages=pages)


def _index_document(doc: Document, settings: Settings) -> tuple[list[Chunk], list[Fact]]:
    facts = extract_facts(doc)
    chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap) + fact_chunks(doc, facts)
    return chunks, facts


def _check_room(directory: Path, chunks: Sequence[Chunk], facts: Sequence[Fact], dim: int) -> None:
    """Refuse a build the disk cannot hold, before anything is embedded (a generous estimate of the artifacts)."""
    text = sum(len(c.text.encode("utf-8")) + len(c.title) + len(c.section or "") + 200 for c in chunks)
    needed = len(chunks) * dim * 4 + 4 * text + 600 * len(facts) + 1_000_000
    try:
        free = shutil.disk_usage(directory).free
    except OSError:
        return
    if needed > free:
        raise IndexWriteError(
            f"Not enough disk space for the index in {directory}: it needs about {_mb(needed)} and {_mb(free)} "
            "are free. Free some space, or choose another folder with --index DIR (or RAG_INDEX_DIR). "
            "Nothing was changed; the previous index is still in use."
        )


def build_index(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: bool = True,
    on_progress: Progress | None = None,
    *,
    require: Collection[str] = (),
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> BuildReport:
    """Index `settings.corpus_dir` into a new generation of `settings.index_dir` and publish it atomically.

    Only new or changed passages are embedded, and only when the corpus, the settings or the code changed or the
    published index fails its checks. `on_progress(stage, done, total)` hears "waiting" (another build holds
    the lock), "reading" and "embedding". A file named in `require` that cannot be read raises its
    `IngestError` before anything is embedded or published. On any failure (Ctrl-C included) the previous
    index stays published and in use.
    """
    started = time.perf_counter()
    try:
        with index_lock(settings.index_dir, timeout=lock_timeout, on_progress=on_progress):
            return _build(settings, embedder, progress, on_progress, set(require))
    except IndexWriteError:
        manifest = read_manifest(settings.index_dir) if describe_index(settings)[0] == "fresh" else None
        if manifest is None:
            raise
        return _up_to_date(BuildReport(), manifest, _scan(settings), started)  # nothing to write: fine read-only


def _build(
    settings: Settings, embedder: Embedder | None, progress: bool, on_progress: Progress | None, require: set[str]
) -> BuildReport:
    started = time.perf_counter()
    directory = settings.index_dir
    for stranded in directory.glob(f"{_TMP}*"):  # we hold the lock: these are from builds that died
        _remove(stranded)
    embedder = embedder or get_embedder(settings)
    report = BuildReport()
    previous = _previous(directory, settings, embedder)
    if previous.problem:
        report.notes.append("Rebuilding: " + previous.problem.split(" Run `rag index`")[0])
    corpus = _scan(settings)
    old = previous.manifest or {}
    old_hashes: dict[str, str] = {**old.get("skipped_files", {}), **old.get("files", {})}
    report.removed_files = sorted(set(old_hashes) - set(corpus.hashes))
    unchanged = {name for name, h in corpus.hashes.items() if old_hashes.get(name) == h}
    manifest_hash = _corpus_manifest_hash(settings.corpus_dir)
    pipeline = pipeline_fingerprint()
    if old.get("corpus_manifest") != manifest_hash or old.get("pipeline") != pipeline:
        unchanged = set()  # metadata or parsing code changed: re-read everything (vectors are still reused)
    pg: PostgresStore | None = None
    if settings.store is StoreName.POSTGRES:
        pg = _open_postgres(settings, previous.manifest, embedder, create=True)
    try:
        in_store = pg is None or (previous.name is not None and pg.generation == previous.name)
        if not in_store and previous.manifest:
            report.notes.append("Rebuilding: the PostgreSQL tables do not hold the published index")
        if previous.manifest and unchanged == set(corpus.hashes) and not report.removed_files and in_store:
            return _up_to_date(report, previous.manifest, corpus, started)
        return _build_new(settings, embedder, progress, on_progress, require, report, previous, corpus, unchanged,
                          manifest_hash, pipeline, pg, started)
    finally:
        if pg is not None:
            pg.close()


def _build_new(
    settings: Settings,
    embedder: Embedder,
    progress: bool,
    on_progress: Progress | None,
    require: set[str],
    report: BuildReport,
    previous: _Previous,
    corpus: _Corpus,
    unchanged: set[str],
    manifest_hash: str,
    pipeline: str,
    pg: PostgresStore | None,
    started: float,
) -> BuildReport:
    """Read the corpus, embed what is new, fill the store and publish a new generation."""
    directory = settings.index_dir
    report.skipped = [*corpus.refused, *corpus.screened]
    chunks, facts, documents, files, spans = _read_corpus(corpus, settings, report, unchanged, progress, on_progress)
    for problem in report.skipped:
        if Path(problem.path).name in require:
            raise problem  # nothing embedded, nothing published
    if pg is None:
        _check_room(directory, chunks, facts, embedder.dim)
        known = previous.vectors
    else:
        known = pg.known_vectors([_embedding_text(c) for c in chunks])
    matrix = _embed(chunks, known, embedder, settings, progress, on_progress)
    stored, vocabulary = stored_documents(spans, chunks, matrix, facts)
    name = _new_generation_name()
    store: Store
    if pg is None:
        store = FaissStore(embedder.dim)
        store.add_documents(stored, vocabulary)
    else:
        store = pg
        sync_documents(pg, stored, pg.signatures(), vocabulary)  # one transaction per changed document
        pg.set_generation(name)
    # Files that were hashed but not indexed, with the reason: unchanged, they do not force a rebuild.
    reasons = {Path(p.path).name: p.reason for p in report.skipped if Path(p.path).name in corpus.hashes}
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "embedder": embedder.id,
        "dimension": embedder.dim,
        "chunking": settings.chunking_signature(),
        "files": files,
        "skipped_files": {name: corpus.hashes[name] for name in reasons},
        "skipped_reasons": reasons,
        "corpus_manifest": manifest_hash,
        "pipeline": pipeline,
        "package_version": _package_version(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "previous_generation": previous.name,
        "counts": {"documents": len(documents), "chunks": len(chunks), "facts": len(facts)},
        "store": {"name": settings.store.value, **({"schema": pg.schema} if pg is not None else {})},
    }
    report.generation = _save(directory, name, manifest, chunks, facts, documents, store, keep=previous.name)
    report.documents, report.chunks, report.facts = len(documents), len(chunks), len(facts)
    report.written = True
    report.seconds = time.perf_counter() - started
    return report


def _up_to_date(report: BuildReport, manifest: dict[str, Any], corpus: _Corpus, started: float) -> BuildReport:
    counts = manifest.get("counts", {})
    report.documents, report.chunks, report.facts = (int(counts.get(k, 0)) for k in ("documents", "chunks", "facts"))
    report.reused_files = sorted(corpus.hashes)
    reasons = manifest["skipped_reasons"]
    known = [IngestError(str(p), reasons[p.name]) for p in corpus.paths if p.name in reasons]
    report.skipped = [*corpus.refused, *corpus.screened, *known]
    report.generation = str(manifest["generation"])
    report.seconds = time.perf_counter() - started
    return report


# (file name, content hash, metadata, first chunk, end chunk, first fact, end fact) of one read document
_Span = tuple[str, str, DocMeta, int, int, int, int]


def _read_corpus(
    corpus: _Corpus,
    settings: Settings,
    report: BuildReport,
    unchanged: set[str],
    progress: bool,
    on_progress: Progress | None,
) -> tuple[list[Chunk], list[Fact], dict[str, DocMeta], dict[str, str], list[_Span]]:
    """Every readable file's chunks and facts, in corpus order, with each document's span in those lists."""
    from tqdm import tqdm

    chunks: list[Chunk] = []
    facts: list[Fact] = []
    documents: dict[str, DocMeta] = {}
    files: dict[str, str] = {}
    spans: list[_Span] = []
    documents_in = iter_documents(corpus.paths, load_manifest(settings.corpus_dir))
    with tqdm(total=len(corpus.paths), desc="Reading", unit="file", disable=not progress) as bar:
        for done, item in enumerate(documents_in, start=1):
            bar.update(1)
            if on_progress:
                on_progress("reading", done, len(corpus.paths))
            if isinstance(item, IngestError):
                report.skipped.append(item)
                continue
            item = _clean_text(item)
            doc_chunks, doc_facts = _index_document(item, settings)
            name = Path(item.source).name
            if item.empty_pages:
                report.empty_pages[name] = list(item.empty_pages)
            documents[item.doc_id] = item.meta
            files[name] = item.content_hash
            spans.append((name, item.content_hash, item.meta, len(chunks), len(chunks) + len(doc_chunks),
                          len(facts), len(facts) + len(doc_facts)))
            chunks.extend(doc_chunks)
            facts.extend(doc_facts)
            (report.reused_files if name in unchanged else report.embedded_files).append(name)
    return chunks, facts, documents, files, spans


def _embed(
    chunks: Sequence[Chunk],
    old_vectors: dict[str, np.ndarray],
    embedder: Embedder,
    settings: Settings,
    progress: bool,
    on_progress: Progress | None,
) -> np.ndarray:
    """Vectors for the chunks: reused by the exact text the embedder saw, so only new passages are embedded."""
    from tqdm import tqdm

    texts = [_embedding_text(c) for c in chunks]
    todo = [i for i, text in enumerate(texts) if text not in old_vectors]
    matrix = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    for i, text in enumerate(texts):
        if text in old_vectors:
            matrix[i] = old_vectors[text]
    # tqdm shows elapsed<remaining (the ETA) and the rate; the app computes its own ETA from on_progress.
    with tqdm(total=len(todo), desc="Embedding", unit="chunk", disable=not progress) as bar:
        for start in range(0, len(todo), settings.batch_size):
            batch = todo[start : start + settings.batch_size]
            matrix[batch] = embed_batch_checked(embedder, [texts[i] for i in batch])
            bar.update(len(batch))
            if on_progress:
                on_progress("embedding", min(start + len(batch), len(todo)), len(todo))
    return matrix


def _new_generation_name() -> str:
    now = datetime.now(UTC)
    return f"gen-{now:%Y%m%dT%H%M%S}-{now:%f}-{os.getpid()}"


def _save(
    directory: Path,
    name: str,
    manifest: dict[str, Any],
    chunks: list[Chunk],
    facts: list[Fact],
    documents: dict[str, DocMeta],
    store: Store,
    keep: str | None,
) -> str:
    """Write a new generation, publish it, and remove generations no reader needs; the new generation's name."""
    try:
        generation = _write_generation(directory, name, manifest, chunks, facts, documents, store)
        try:
            _publish(directory, generation.name)
        except BaseException:
            if published_name(directory) != generation.name:
                _remove(generation)
            raise
    except OSError as exc:
        raise _write_failure(directory, exc) from exc
    _clean_up(directory, keep={generation.name, keep or ""})
    return generation.name


def _write_generation(
    directory: Path,
    name: str,
    manifest: dict[str, Any],
    chunks: list[Chunk],
    facts: list[Fact],
    documents: dict[str, DocMeta],
    store: Store,
) -> Path:
    """Every artifact into a temp folder with its checksum in the manifest, then renamed to `gen-…` (unpublished).

    The faiss store's artifacts are its vectors and BM25 files; another store keeps everything itself, and its
    generation holds the manifest only.
    """
    tmp = directory / f"{_TMP}{name}"
    try:
        tmp.mkdir()  # mode 0777 minus the umask, as every folder the user makes
        artifacts: dict[str, str] = {}
        if isinstance(store, FaissStore):
            artifacts = {
                "vectors.faiss": _write_file(tmp / "vectors.faiss", store.vector_bytes()),
                "chunks.jsonl": _write_file(tmp / "chunks.jsonl", _jsonl_bytes([c.to_dict() for c in chunks])),
                "facts.jsonl": _write_file(tmp / "facts.jsonl", _jsonl_bytes([f.to_dict() for f in facts])),
                "documents.json": _write_file(
                    tmp / "documents.json",
                    json.dumps({k: asdict(v) for k, v in documents.items()}, ensure_ascii=False, indent=1).encode(
                        "utf-8"
                    ),
                ),
            }
            store.lexical.save(tmp / "lexical")
            for file in sorted((tmp / "lexical").rglob("*")):
                if file.is_file():
                    artifacts[file.relative_to(tmp).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
        full = {**manifest, "generation": name, "artifacts": artifacts}
        _write_file(tmp / "manifest.json", json.dumps(full, ensure_ascii=False, indent=1).encode("utf-8"))
        _fsync_dir(tmp)
        generation = directory / name
        tmp.rename(generation)
    except BaseException:
        _remove(tmp)
        raise
    return generation


def _publish(directory: Path, name: str) -> None:
    """Make generation `name` the one readers open: ONE atomic replace of the pointer file."""
    fd, tmp = _create_file(directory, f"{_TMP}{POINTER}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, directory / POINTER)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(directory)


def _clean_up(directory: Path, keep: set[str]) -> None:
    """Remove generations other than `keep` (the new and the previous one) and an old single-folder index."""
    for entry in directory.iterdir():
        if _GENERATION.fullmatch(entry.name) and entry.name not in keep:
            _remove(entry)
    for name in _FLAT_ARTIFACTS:
        _remove(directory / name)


def _corpus_manifest_hash(corpus_dir: Path) -> str:
    path = corpus_dir / "manifest.toml"
    return content_hash(path.read_bytes()) if path.exists() else ""


def describe_index(settings: Settings) -> tuple[str, str]:
    """The index status and one line saying why and what to do; see `index_status`."""
    directory = settings.index_dir
    rebuild = "Run `rag index` to rebuild it."
    try:
        generation = current_generation(directory)
        if generation is None:
            return "missing", f"No index in {directory}. Run `rag index` to build it from the corpus."
        checked = _check_generation(generation)
        _parse_checked(checked)
    except IndexMismatchError as exc:
        return "stale", str(exc)
    except IndexError_ as exc:
        return "damaged", str(exc).replace(f" {_REBUILD}", "") + f" {rebuild}"
    manifest = checked.manifest
    built = f"built {manifest.get('built_at', '?')}, {generation.name}"
    if store_of(manifest) != settings.store:
        return "stale", (
            f"The index in {directory} ({built}) is for the {store_of(manifest).value} store, the settings select "
            f"{settings.store.value}. {rebuild}"
        )
    if manifest["chunking"] != settings.chunking_signature():
        return "stale", f"The index in {directory} ({built}) has other chunk settings. {rebuild}"
    if store_of(manifest) is StoreName.POSTGRES:
        problem = _postgres_problem(settings, manifest, generation.name)
        if problem:
            return problem
    if manifest["pipeline"] != pipeline_fingerprint() or manifest["corpus_manifest"] != _corpus_manifest_hash(
        settings.corpus_dir
    ):
        return "stale", f"The code or corpus/manifest.toml changed since the index was built ({built}). {rebuild}"
    try:
        hashes = _scan(settings).hashes
    except RagError as exc:
        return "stale", str(exc)
    known = {**manifest["skipped_files"], **manifest["files"]}
    changed = sorted(name for name in set(hashes) | set(known) if hashes.get(name) != known.get(name))
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        return "stale", f"Corpus files changed since the index was built ({built}): {shown}. Run `rag index`."
    return "fresh", f"The index in {directory} is up to date ({built}; {len(manifest['files'])} files)."


def _postgres_problem(settings: Settings, manifest: dict[str, Any], generation: str) -> tuple[str, str] | None:
    """Whether the PostgreSQL tables hold what the published generation says (no model loaded)."""
    from rag.index.postgres import PostgresStore, resolve_dsn

    rebuild = "Run `rag index` to rebuild it."
    try:
        dsn = resolve_dsn(settings.pg_dsn, settings.data_dir)
        store = PostgresStore.connect(dsn, manifest["store"]["schema"], manifest["embedder"], manifest["dimension"])
    except IndexMismatchError as exc:
        return "stale", str(exc)
    except IndexError_ as exc:
        return "damaged", str(exc)
    except RagError as exc:  # the server cannot be reached: nothing to say about the index itself
        return "damaged", str(exc)
    try:
        synced = store.generation
    finally:
        store.close()
    if synced != generation:
        return "stale", f"The PostgreSQL tables were written by another build ({synced}) than {generation}. {rebuild}"
    return None


def index_status(settings: Settings) -> str:
    """'missing', 'damaged' (a file fails its check), 'stale' (corpus, settings or layout changed) or 'fresh'.

    Loads no model: it reads and checks the published generation and hashes the corpus files.
    """
    return describe_index(settings)[0]
