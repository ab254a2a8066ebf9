"""Build, save and load the index: FAISS vectors, chunks and facts as JSONL, a manifest that says how it was built.

Rebuilds are incremental (files whose content hash is unchanged keep their chunks and vectors) and
writes are atomic (a temp dir renamed into place), so a crash never leaves a half index.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from rag.chunk import chunk_document
from rag.config import Settings
from rag.embed import Embedder, embed_batch_checked, embed_query, get_embedder
from rag.errors import IndexError_, IndexMismatchError, IngestError, RagError
from rag.ingest import content_hash, corpus_files, iter_documents, load_manifest
from rag.lexical import LexicalIndex
from rag.tables import extract_facts, fact_chunks
from rag.types import Chunk, DocMeta, Document, Fact

SCHEMA_VERSION = 1
# Modules whose behaviour decides what an index contains; when their code changes, documents are re-read
# (vectors of unchanged passages are still reused).
_PIPELINE_MODULES = ("ingest.py", "chunk.py", "tables.py", "numbers.py", "analysis.py", "lexical.py", "synonyms.py")


def pipeline_fingerprint() -> str:
    """A hash of the code that turns files into chunks, facts and lexical tokens."""
    digest = hashlib.sha256()
    for name in _PIPELINE_MODULES:
        digest.update((Path(__file__).parent / name).read_bytes())
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
    seconds: float = 0.0
    written: bool = False

    def summary(self) -> str:
        return (
            f"{self.documents} documents, {self.chunks} chunks, {self.facts} facts "
            f"({len(self.embedded_files)} embedded, {len(self.reused_files)} unchanged, "
            f"{len(self.removed_files)} removed, {len(self.skipped)} skipped) in {self.seconds:.1f} s"
        )


def _embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the passage with its document and section, so short rows keep context."""
    context = " — ".join(part for part in (chunk.title, chunk.section) if part)
    return f"{context}\n{chunk.text}" if context else chunk.text


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


class Index:
    """A loaded index: chunks, facts, document metadata, FAISS vectors and the lexical index."""

    def __init__(
        self,
        directory: Path,
        manifest: dict[str, Any],
        chunks: list[Chunk],
        facts: list[Fact],
        documents: dict[str, DocMeta],
        vectors: Any,
        lexical: LexicalIndex,
        embedder: Embedder,
    ) -> None:
        self.directory = directory
        self.manifest = manifest
        self.chunks = chunks
        self.facts = facts
        self.documents = documents
        self.vectors = vectors
        self.lexical = lexical
        self.embedder = embedder

    @property
    def newest_year(self) -> int | None:
        years = [d.year for d in self.documents.values() if d.year is not None]
        return max(years) if years else None

    def dense_search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Positions in `chunks` and cosine similarities, best first."""
        if not self.chunks:
            return []
        vector = embed_query(self.embedder, query)[None, :]
        scores, ids = self.vectors.search(vector, min(k, len(self.chunks)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


def _check_compatible(manifest: dict[str, Any], settings: Settings, embedder_id: str, directory: Path) -> None:
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexMismatchError(
            f"The index in {directory} has format {manifest.get('schema_version')}, this version needs "
            f"{SCHEMA_VERSION}. Run `rag index` to rebuild it."
        )
    if manifest.get("embedder") != embedder_id:
        raise IndexMismatchError(
            f"The index in {directory} was built with embedder {manifest.get('embedder')!r}, but the settings "
            f"select {embedder_id!r}. Run `rag index` to rebuild it, or change the embedder setting back."
        )
    if manifest.get("chunking") != settings.chunking_signature():
        raise IndexMismatchError(
            f"The index in {directory} was built with chunk settings {manifest.get('chunking')}, not "
            f"{settings.chunking_signature()}. Run `rag index` to rebuild it."
        )


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The manifest of an index dir, or None when there is no index there."""
    path = directory / "manifest.json"
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexError_(f"{path} is corrupt ({exc}). Run `rag index` to rebuild the index.") from exc
    if not isinstance(data, dict):
        raise IndexError_(f"{path} is corrupt (not an object). Run `rag index` to rebuild the index.")
    return data


def load_index(
    directory: Path, settings: Settings, embedder: Embedder | None = None, lexical: bool = True
) -> Index:
    """Load an index, refusing one built with another embedder or chunk settings."""
    import faiss

    manifest = read_manifest(directory)
    if manifest is None:
        raise IndexError_(f"No index in {directory}. Run `rag index` to build it from the corpus.")
    embedder = embedder or get_embedder(settings)
    _check_compatible(manifest, settings, embedder.id, directory)
    try:
        chunks = [Chunk.from_dict(row) for row in _read_jsonl(directory / "chunks.jsonl")]
        facts = [Fact.from_dict(row) for row in _read_jsonl(directory / "facts.jsonl")]
        documents = {
            doc_id: DocMeta(**meta)
            for doc_id, meta in json.loads((directory / "documents.json").read_text(encoding="utf-8")).items()
        }
        vectors = faiss.read_index(str(directory / "vectors.faiss"))
    except (OSError, json.JSONDecodeError, TypeError, RuntimeError, UnicodeDecodeError) as exc:
        raise IndexError_(f"The index in {directory} is damaged ({exc}). Run `rag index` to rebuild it.") from exc
    if vectors.ntotal != len(chunks) or vectors.d != embedder.dim:
        raise IndexError_(
            f"The index in {directory} is inconsistent ({vectors.ntotal} vectors of dim {vectors.d} for "
            f"{len(chunks)} chunks, embedder dim {embedder.dim}). Run `rag index` to rebuild it."
        )
    words = LexicalIndex.load(directory / "lexical") if lexical else LexicalIndex.build([])
    return Index(directory, manifest, chunks, facts, documents, vectors, words, embedder)


def _previous(directory: Path, settings: Settings, embedder: Embedder) -> Index | None:
    """The existing index when it can donate vectors to an incremental rebuild."""
    try:
        return load_index(directory, settings, embedder, lexical=False)
    except RagError:
        return None


def _index_document(doc: Document, settings: Settings) -> tuple[list[Chunk], list[Fact]]:
    facts = extract_facts(doc)
    chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap) + fact_chunks(doc, facts)
    return chunks, facts


def build_index(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: bool = True,
    on_progress: Progress | None = None,
) -> BuildReport:
    """Index `settings.corpus_dir` into `settings.index_dir`, re-embedding only files that changed."""
    import faiss
    from tqdm import tqdm

    started = time.perf_counter()
    embedder = embedder or get_embedder(settings)
    directory = settings.index_dir
    report = BuildReport()
    previous = _previous(directory, settings, embedder)
    old_hashes: dict[str, str] = {}
    if previous:
        old_hashes = {**previous.manifest.get("skipped_files", {}), **previous.manifest.get("files", {})}

    paths = corpus_files(settings.corpus_dir)
    manifest_entries = load_manifest(settings.corpus_dir)
    hashes = {p.name: content_hash(p.read_bytes()) for p in paths}
    report.removed_files = sorted(set(old_hashes) - set(hashes))
    unchanged = {name for name, h in hashes.items() if old_hashes.get(name) == h}
    manifest_hash = _corpus_manifest_hash(settings.corpus_dir)
    pipeline = pipeline_fingerprint()
    if previous and (
        previous.manifest.get("corpus_manifest") != manifest_hash or previous.manifest.get("pipeline") != pipeline
    ):
        unchanged = set()  # metadata or parsing code changed: re-read everything (vectors are still reused)
    if previous and unchanged == set(hashes) and not report.removed_files:
        report.documents = len(previous.documents)
        report.chunks = len(previous.chunks)
        report.facts = len(previous.facts)
        report.reused_files = sorted(hashes)
        report.seconds = time.perf_counter() - started
        return report

    chunks: list[Chunk] = []
    facts: list[Fact] = []
    documents: dict[str, DocMeta] = {}
    files: dict[str, str] = {}
    skipped_files: dict[str, str] = {}
    # Vectors are reused by the exact text the embedder saw, so only new or changed passages are embedded.
    old_vectors: dict[str, np.ndarray] = {}
    if previous:
        for i, chunk in enumerate(previous.chunks):
            old_vectors[_embedding_text(chunk)] = previous.vectors.reconstruct(i)

    for item in iter_documents(paths, manifest_entries):
        if isinstance(item, IngestError):
            report.skipped.append(item)
            skipped_files[Path(item.path).name] = hashes[Path(item.path).name]
            continue
        doc_chunks, doc_facts = _index_document(item, settings)
        name = Path(item.source).name
        documents[item.doc_id] = item.meta
        files[name] = item.content_hash
        chunks.extend(doc_chunks)
        facts.extend(doc_facts)
        (report.reused_files if name in unchanged else report.embedded_files).append(name)

    texts = [_embedding_text(c) for c in chunks]
    todo = [i for i, text in enumerate(texts) if text not in old_vectors]
    matrix = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    for i, text in enumerate(texts):
        if text in old_vectors:
            matrix[i] = old_vectors[text]
    bar = tqdm(total=len(todo), desc="Embedding", unit="chunk", disable=not progress)
    for start in range(0, len(todo), settings.batch_size):
        batch = todo[start : start + settings.batch_size]
        matrix[batch] = embed_batch_checked(embedder, [texts[i] for i in batch])
        bar.update(len(batch))
        if on_progress:
            on_progress("embedding", min(start + len(batch), len(todo)), len(todo))
    bar.close()

    faiss_index = faiss.IndexFlatIP(embedder.dim)
    if len(chunks):
        faiss_index.add(matrix)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "embedder": embedder.id,
        "dimension": embedder.dim,
        "chunking": settings.chunking_signature(),
        "files": files,
        "skipped_files": skipped_files,
        "corpus_manifest": manifest_hash,
        "package_version": _package_version(),
        "pipeline": pipeline,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {"documents": len(documents), "chunks": len(chunks), "facts": len(facts)},
    }
    _write_atomically(directory, manifest, chunks, facts, documents, faiss_index)
    report.documents, report.chunks, report.facts = len(documents), len(chunks), len(facts)
    report.written = True
    report.seconds = time.perf_counter() - started
    return report


def _write_atomically(
    directory: Path,
    manifest: dict[str, Any],
    chunks: list[Chunk],
    facts: list[Fact],
    documents: dict[str, DocMeta],
    faiss_index: Any,
) -> None:
    import faiss

    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        faiss.write_index(faiss_index, str(tmp / "vectors.faiss"))
        _write_jsonl(tmp / "chunks.jsonl", [c.to_dict() for c in chunks])
        _write_jsonl(tmp / "facts.jsonl", [f.to_dict() for f in facts])
        (tmp / "documents.json").write_text(
            json.dumps({k: asdict(v) for k, v in documents.items()}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        LexicalIndex.build(chunks).save(tmp / "lexical")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        old = directory.with_name(f".{directory.name}-old-{os.getpid()}")
        if directory.exists():
            # Keep user files (e.g. .gitkeep) out of the way: only our artifacts are replaced.
            directory.rename(old)
        tmp.rename(directory)
        if old.exists():
            for keep in old.iterdir():
                if keep.name.startswith(".git"):
                    shutil.move(str(keep), directory / keep.name)
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _corpus_manifest_hash(corpus_dir: Path) -> str:
    path = corpus_dir / "manifest.toml"
    return content_hash(path.read_bytes()) if path.exists() else ""


def index_status(settings: Settings) -> str:
    """'missing', 'stale' (corpus or settings changed) or 'fresh'; cheap: hashes files, loads no model."""
    try:
        manifest = read_manifest(settings.index_dir)
    except IndexError_:
        return "stale"
    if manifest is None:
        return "missing"
    if (
        manifest.get("schema_version") != SCHEMA_VERSION
        or manifest.get("chunking") != settings.chunking_signature()
        or manifest.get("pipeline") != pipeline_fingerprint()
        or manifest.get("corpus_manifest") != _corpus_manifest_hash(settings.corpus_dir)
    ):
        return "stale"
    try:
        hashes = {p.name: content_hash(p.read_bytes()) for p in corpus_files(settings.corpus_dir)}
    except RagError:
        return "stale"
    known = {**manifest.get("skipped_files", {}), **manifest.get("files", {})}
    return "fresh" if hashes == known else "stale"
