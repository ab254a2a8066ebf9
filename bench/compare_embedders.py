"""Retrieval quality and cost of the two bundled embedders on the eval questions (run on demand).

    .venv/bin/python bench/compare_embedders.py [--index-root /tmp/embedders] [--out bench/results/embedders.md]

Builds one index per embedder over the bundled corpus (reusing vectors when re-run) and reports, on the
answerable eval questions: context recall@1/@5/@10 and MRR for dense-only and hybrid retrieval, build time,
and query embedding time. e5 (multilingual) is the default; all-MiniLM-L6-v2 is English-only and is here to
show why it is not.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rag.answer.retrieve import HybridRetriever
from rag.config import EmbedderName, Settings, load_settings
from rag.eval.evaluate import first_relevant_rank, load_questions, retrieval_metrics
from rag.index import build_index, load_index
from rag.index.embed import embed_query, get_embedder

ROOT = Path(__file__).resolve().parent.parent


def measure(name: EmbedderName, root: Path) -> dict[str, float | None]:
    settings: Settings = load_settings().with_overrides(
        embedder=name, corpus_dir=ROOT / "corpus", index_dir=root / name.value
    )
    embedder = get_embedder(settings)
    started = time.perf_counter()
    build_index(settings, embedder=embedder, progress=True)
    build_s = time.perf_counter() - started
    index = load_index(settings.index_dir, settings, embedder)
    retriever = HybridRetriever(index=index, settings=settings)
    questions = [q for q in load_questions(ROOT / "eval" / "questions.jsonl") if q.answerable]
    row: dict[str, float | None] = {"build_s": build_s, "chunks": float(len(index.chunks))}
    for mode in ("dense", "hybrid"):
        ranks = []
        for q in questions:
            hits = retriever.search(q.question, k=10, mode=mode)  # type: ignore[arg-type]
            ranks.append(first_relevant_rank(q, [(h.chunk.doc_id, h.chunk.text) for h in hits]))
        for key, value in retrieval_metrics(ranks).items():
            row[f"{mode}_{key}"] = value
    timings = []
    for q in questions[:40]:
        t = time.perf_counter()
        embed_query(embedder, q.question)
        timings.append((time.perf_counter() - t) * 1000)
    row["query_embed_ms_p50"] = statistics.median(timings)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-root", type=Path, default=Path("/tmp/rag-embedders"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "embedders.md")
    args = parser.parse_args()
    rows = {name.value: measure(name, args.index_root) for name in EmbedderName}
    keys = [
        "chunks",
        "build_s",
        "query_embed_ms_p50",
        "dense_recall_at_1",
        "dense_recall_at_5",
        "dense_recall_at_10",
        "dense_mrr",
        "hybrid_recall_at_1",
        "hybrid_recall_at_5",
        "hybrid_recall_at_10",
        "hybrid_mrr",
    ]
    lines = ["| metric | " + " | ".join(rows) + " |", "|---|" + "---|" * len(rows)]
    for key in keys:
        cells = [f"{rows[n][key]:.3f}" if rows[n][key] is not None else "—" for n in rows]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("# Embedders on the eval questions (answerable)\n\n" + table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
