"""Baselines measured in the same run as the system: BM25 only, dense only, and a vanilla LangChain RAG.

They exist to keep us honest: the report shows their context recall@k and MRR next to ours on the same
questions and machine. BM25/dense reuse our retriever in `lexical`/`dense` mode over our chunks. The vanilla
RAG is what a LangChain tutorial would build: raw files → RecursiveCharacterTextSplitter(1000, 200) → the same
embedder → an in-memory FAISS store (never pickled) → top 4 as context; it "answers" with its top chunk's text.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.answer.retrieve import Mode
from rag.eval.evaluate import (
    EvalQuestion,
    answers_found,
    first_relevant_rank,
    percentile,
    retrieval_metrics,
)

if TYPE_CHECKING:
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document as LCDocument

    from rag.config import Settings
    from rag.index import Index
    from rag.index.embed import Embedder

VANILLA_CHUNK_SIZE = 1000
VANILLA_CHUNK_OVERLAP = 200
VANILLA_CONTEXT_K = 4
_RETRIEVAL_ONLY: tuple[tuple[str, Mode], ...] = (("bm25", "lexical"), ("dense", "dense"))
LABELS = {
    "bm25": "BM25 only",
    "dense": "dense only",
    "vanilla_langchain": "vanilla LangChain RAG",
}


def _raw_text(path: Path) -> str:
    """The file as a plain loader would give it: text files verbatim (no repair), PDFs via our reader."""
    if path.suffix.lower() == ".pdf":
        from rag.ingest import read_document

        return read_document(path).text
    return path.read_text(encoding="utf-8", errors="replace")


def vanilla_documents(paths: Sequence[Path]) -> list[LCDocument]:
    """Split raw corpus files the LangChain-tutorial way; `doc_id` (file stem) kept as metadata."""
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=VANILLA_CHUNK_SIZE, chunk_overlap=VANILLA_CHUNK_OVERLAP)
    docs = [LCDocument(page_content=_raw_text(p), metadata={"doc_id": p.stem, "source": str(p)}) for p in paths]
    return splitter.split_documents(docs)


def _faiss_store() -> type[FAISS]:
    """LangChain's in-memory FAISS store; langchain-community warns at import that it is being sunset."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*langchain-community.*", category=DeprecationWarning)
        from langchain_community.vectorstores import FAISS
    return FAISS


@dataclass
class VanillaRAG:
    """The vanilla LangChain pipeline, built in memory; `build_seconds` records how long indexing took."""

    store: FAISS
    n_chunks: int
    build_seconds: float

    @classmethod
    def build(cls, paths: Sequence[Path], embedder: Embedder) -> VanillaRAG:
        """Split and embed the files into an in-memory FAISS store."""
        from rag.index.embed import LangChainEmbeddings

        store_class = _faiss_store()

        started = time.perf_counter()
        docs = vanilla_documents(paths)
        store = store_class.from_documents(docs, LangChainEmbeddings(embedder))
        return cls(store=store, n_chunks=len(docs), build_seconds=time.perf_counter() - started)

    def search(self, question: str, k: int = 10) -> list[tuple[str, str]]:
        """The top `k` chunks as (doc_id, text), best first."""
        return [(str(d.metadata["doc_id"]), d.page_content) for d in self.store.similarity_search(question, k=k)]

    def context(self, question: str) -> list[tuple[str, str]]:
        """What vanilla RAG would hand a model: the top 4 chunks."""
        return self.search(question, VANILLA_CONTEXT_K)


@dataclass(frozen=True)
class BaselineOutcome:
    """One baseline on one question."""

    first_relevant_rank: int | None
    latency_ms: float
    correct: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "first_relevant_rank": self.first_relevant_rank,
            "latency_ms": round(self.latency_ms, 1),
            "correct": self.correct,
        }


def _metrics(outcomes: Sequence[tuple[EvalQuestion, BaselineOutcome]], answers: bool) -> dict[str, Any]:
    answerable = [(q, o) for q, o in outcomes if q.answerable]
    unanswerable = [(q, o) for q, o in outcomes if not q.answerable]

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    out: dict[str, Any] = {
        "n": len(outcomes),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "accuracy": mean([1.0 if o.correct else 0.0 for _, o in outcomes]) if answers else None,
        "answerable_accuracy": mean([1.0 if o.correct else 0.0 for _, o in answerable]) if answers else None,
        # Top-chunk "answers" never abstain.
        "abstention_accuracy": (0.0 if unanswerable else None) if answers else None,
        **retrieval_metrics([o.first_relevant_rank for _, o in answerable]),
        "latency_p50_ms": percentile([o.latency_ms for _, o in outcomes], 50),
        "latency_p95_ms": percentile([o.latency_ms for _, o in outcomes], 95),
    }
    return out


def summarize_baseline(
    name: str, outcomes: Sequence[tuple[EvalQuestion, BaselineOutcome]], answers: bool
) -> dict[str, Any]:
    """Metrics overall and per split and kind, in the same shape as the system's summary."""
    summary = _metrics(outcomes, answers)
    summary["label"] = LABELS.get(name, name)
    for key, attr in (("by_split", "split"), ("by_kind", "kind"), ("by_lang", "lang")):
        groups: dict[str, list[tuple[EvalQuestion, BaselineOutcome]]] = {}
        for q, o in outcomes:
            groups.setdefault(str(getattr(q, attr)), []).append((q, o))
        summary[key] = {g: _metrics(items, answers) for g, items in sorted(groups.items())}
    return summary


def run_baselines(
    index: Index,
    settings: Settings,
    questions: Sequence[EvalQuestion],
    progress: bool = True,
    depth: int = 10,
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, dict[str, Any]]]]:
    """Run the three baselines; returns (summary per baseline, per question id → baseline → outcome)."""
    from tqdm import tqdm

    from rag.answer.retrieve import HybridRetriever
    from rag.ingest import corpus_files

    retriever = HybridRetriever(index=index, settings=settings, k=depth)
    vanilla = VanillaRAG.build(corpus_files(settings.corpus_dir), index.embedder)
    outcomes: dict[str, list[tuple[EvalQuestion, BaselineOutcome]]] = {name: [] for name in LABELS}
    per_question: dict[str, dict[str, dict[str, Any]]] = {}
    for q in tqdm(questions, desc="baselines", unit="q", disable=not progress, leave=False):
        row: dict[str, dict[str, Any]] = {}
        for name, mode in _RETRIEVAL_ONLY:
            started = time.perf_counter()
            ranked = [(h.chunk.doc_id, h.chunk.text) for h in retriever.search(q.question, depth, mode)]
            outcome = BaselineOutcome(first_relevant_rank(q, ranked), (time.perf_counter() - started) * 1000)
            outcomes[name].append((q, outcome))
            row[name] = outcome.to_dict()
        started = time.perf_counter()
        ranked = vanilla.search(q.question, depth)
        ms = (time.perf_counter() - started) * 1000
        correct = bool(ranked) and q.answerable and ranked[0][0] in q.sources and answers_found(q.answers, ranked[0][1])
        outcome = BaselineOutcome(first_relevant_rank(q, ranked), ms, correct)
        outcomes["vanilla_langchain"].append((q, outcome))
        row["vanilla_langchain"] = outcome.to_dict()
        per_question[q.id] = row
    summaries = {name: summarize_baseline(name, items, answers=name == "vanilla_langchain")
                 for name, items in outcomes.items()}
    summaries["vanilla_langchain"]["build_seconds"] = round(vanilla.build_seconds, 2)
    summaries["vanilla_langchain"]["n_chunks"] = vanilla.n_chunks
    return summaries, per_question
