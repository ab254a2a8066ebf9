"""One frozen settings object, read from `rag.toml` (optional) and `RAG_*` environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

from rag.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class EmbedderName(StrEnum):
    """Embedders the registry in `rag.index.embed` knows."""

    E5 = "e5"
    SENTENCE_TRANSFORMERS = "sentence-transformers"


class LLMBackendName(StrEnum):
    """Answer backends in `rag.answer.llm`: none = evidence-first without a language model."""

    NONE = "none"
    OPENAI = "openai"
    LLAMACPP = "llamacpp"


class StoreName(StrEnum):
    """Where chunk vectors and lexical postings live (`rag.index.store`): embedded FAISS files or PostgreSQL."""

    FAISS = "faiss"
    POSTGRES = "postgres"


@dataclass(frozen=True)
class Settings:
    """Everything tunable. Paths are resolved against the working directory."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    embedder: EmbedderName = EmbedderName.E5
    embedder_model: str = ""
    chunk_tokens: int = 220
    chunk_overlap: int = 40
    top_k: int = 8
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 60
    abstain_threshold: float = 0.30
    max_question_chars: int = 500
    batch_size: int = 32
    # Per-file size limits for indexing (and uploads): 20 MB of plain text is already hours of embedding on a CPU;
    # a PDF's size is mostly pictures, so it may be larger. Bigger files are skipped with a message.
    max_file_mb: float = 20.0  # .txt and .md
    max_pdf_mb: float = 100.0  # .pdf and other binary formats
    llm_backend: LLMBackendName = LLMBackendName.NONE
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key_env: str = "OPENAI_API_KEY"
    llm_max_tokens: int = 256
    llm_temperature: float = 0.0
    # False for OpenAI-compatible servers that answer a streaming request with one JSON body (cyllama's).
    llm_streaming: bool = True
    # faiss: vectors and BM25 in the index folder; postgres: pgvector + full-text tables (README "PostgreSQL").
    store: StoreName = StoreName.FAISS
    # libpq connection string for store = postgres; empty = an embedded server under data_dir/pg (pgserver).
    pg_dsn: str = ""

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some fields changed; `None` values are ignored so CLI defaults pass through."""
        return _coerce(replace(self, **{k: v for k, v in changes.items() if v is not None}))

    def chunking_signature(self) -> dict[str, Any]:
        """The settings that change what an index contains; a mismatch forces a rebuild."""
        return {"chunk_tokens": self.chunk_tokens, "chunk_overlap": self.chunk_overlap}


_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(settings: Settings) -> Settings:
    values: dict[str, Any] = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        default = getattr(Settings(), f.name)
        try:
            if isinstance(default, Enum):
                value = type(default)(value)
            elif isinstance(default, Path):
                value = Path(value)
            elif isinstance(default, bool):
                value = value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
            elif isinstance(default, int):
                value = int(value)
            elif isinstance(default, float):
                value = float(value)
            else:
                value = str(value)
        except ValueError as exc:
            choices = ""
            if isinstance(default, Enum):
                choices = " Valid choices: " + ", ".join(m.value for m in type(default)) + "."
            raise ConfigError(f"Setting {f.name!r} has an invalid value {value!r}.{choices}") from exc
        values[f.name] = value
    if values["chunk_overlap"] >= values["chunk_tokens"]:
        raise ConfigError("chunk_overlap must be smaller than chunk_tokens; lower it in rag.toml.")
    return Settings(**values)


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings: defaults < `rag.toml` (or `RAG_CONFIG`) < `RAG_<FIELD>` environment variables."""
    env = dict(os.environ) if env is None else env
    raw: dict[str, Any] = {}
    path = path or (Path(env["RAG_CONFIG"]) if "RAG_CONFIG" in env else Path("rag.toml"))
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML ({exc}); fix or remove it.") from exc
    unknown = sorted(set(raw) - set(_FIELD_TYPES))
    if unknown:
        valid = ", ".join(sorted(_FIELD_TYPES))
        raise ConfigError(f"Unknown setting(s) {', '.join(unknown)} in {path}. Valid settings: {valid}.")
    for name in _FIELD_TYPES:
        key = f"RAG_{name.upper()}"
        if key in env:
            raw[name] = env[key]
    return _coerce(Settings(**raw))
