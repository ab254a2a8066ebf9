"""Evidence-first vs language-model answers on one stratified sample: accuracy, gate, fallbacks, latency.

Runs `rag eval --llm ...` (through `rag.eval.evaluate.run_eval`) for each configuration on the same `--limit`
sample, writes one JSON/Markdown report per configuration, and tables comparing them:

- `none`: the evidence-first answerer through the same streaming path;
- `gemma`, `qwen`: llamacpp with the GGUF models that `scripts/install_llm.sh [--with-qwen]` installs;
- `openai-gemma`: the openai backend against cyllama's OpenAI-compatible server on 127.0.0.1
  (`bench/serve_gguf.py`, started and stopped here; it cannot stream, so `llm_streaming` is off).

A slow configuration can run on a stratified `--subset` of the sample only (`--subset-only qwen`); a second
table then compares every configuration on those questions, from the same reports.

    .venv/bin/python bench/llm_eval.py --limit 24 --subset 12 --subset-only qwen   # ~60 min on 2 shared cores
    .venv/bin/python bench/llm_eval.py --tables-only                               # tables from the reports
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from local_server import served  # bench/ is on sys.path when this script runs

from rag.config import load_settings
from rag.eval.evaluate import (
    EvalResult,
    StreamStats,
    llm_metrics,
    load_heldout,
    load_questions,
    run_eval,
    sample_questions,
    summarize,
)

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "data" / "models"
GEMMA = MODELS / "gemma-3-270m-q4_k_m.gguf"
QWEN = MODELS / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
CONFIGS = ("none", "gemma", "openai-gemma", "qwen")


def run_one(name: str, questions: Path, limit: int, out: Path) -> None:
    """One configuration on the `limit` sample of `questions`; its report goes to out/NAME.json and .md."""
    settings = load_settings()
    overrides: dict[str, Any] = {"none": {"llm_backend": "none"},
                                 "gemma": {"llm_backend": "llamacpp", "llm_model": str(GEMMA)},
                                 "qwen": {"llm_backend": "llamacpp", "llm_model": str(QWEN)}}.get(name, {})
    started = time.perf_counter()
    with served(GEMMA, "gemma-3-270m") if name == "openai-gemma" else nullcontext("") as url:
        if name == "openai-gemma":
            overrides = {"llm_backend": "openai", "llm_model": "gemma-3-270m", "llm_base_url": url,
                         "llm_streaming": False}
        run = run_eval(questions, settings.with_overrides(**overrides), limit=limit, llm=True,
                       json_out=out / f"{name}.json", markdown_out=out / f"{name}.md", progress=False)
    print(run.headline(), flush=True)
    print(f"{name}: {time.perf_counter() - started:.0f} s wall, load average {os.getloadavg()[1]:.1f}", flush=True)


def load_results(path: Path) -> list[EvalResult]:
    """The per-question results of a JSON report, as records again (to summarize a subset of them)."""
    rows = json.loads(path.read_text(encoding="utf-8"))["results"]
    results = []
    for row in rows:
        llm = row.pop("llm", None)
        results.append(EvalResult(**{**row, "expected": tuple(row["expected"]), "sources": tuple(row["sources"]),
                                     "citations": tuple(row["citations"])},
                                  llm=StreamStats(**llm) if llm else None))
    return results


def _s(ms: float | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.1f}"


LABELS = {"none": "evidence-first (none)", "gemma": "llamacpp, Gemma-3-270m", "qwen": "llamacpp, Qwen2.5-Coder-1.5B",
          "openai-gemma": "openai → cyllama server, Gemma-3-270m"}


def table(reports: dict[str, list[EvalResult]], ids: Sequence[str]) -> str:
    """One row per configuration over the questions `ids`; latencies in seconds."""
    rows = [
        "| configuration | accuracy | abstention acc. | model asked | gate intervened (interventions) | fell back "
        "| errors | first token p50 / p95 s | first text p50 / p95 s | full answer p50 / p95 s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, results in reports.items():
        chosen = [r for r in results if r.id in set(ids)]
        if len(chosen) != len(ids):
            continue
        s, m = summarize(chosen), llm_metrics(chosen)
        abst = "—" if s["abstention_accuracy"] is None else f"{s['abstention_accuracy']:.2f}"
        rows.append(
            f"| {LABELS[name]} | {s['accuracy']:.2f} | {abst} | {m['n_model_asked']}/{len(chosen)} "
            f"| {m['answers_intervened']} ({m['gate_interventions']}) | {m['fallbacks']} | {s['errors']} "
            f"| {_s(m['first_token_p50_ms'])} / {_s(m['first_token_p95_ms'])} "
            f"| {_s(m['first_text_p50_ms'])} / {_s(m['first_text_p95_ms'])} "
            f"| {_s(m['answer_p50_ms'])} / {_s(m['answer_p95_ms'])} |"
        )
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=24, help="questions in the stratified sample [24]")
    parser.add_argument("--subset", type=int, help="a stratified subset of the sample for --subset-only configs")
    parser.add_argument("--subset-only", nargs="*", choices=CONFIGS, default=[])
    parser.add_argument("--only", nargs="+", choices=CONFIGS, default=list(CONFIGS))
    parser.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("bench/results/llm_eval"))
    parser.add_argument("--tables-only", action="store_true", help="only write the tables from existing reports")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    questions = load_questions(args.questions, load_heldout())
    sample = sample_questions(questions, args.limit)
    subset = sample_questions(sample, args.subset) if args.subset else []
    if not args.tables_only:
        with tempfile.TemporaryDirectory() as tmp:
            sample_file = Path(tmp) / "sample.jsonl"  # the subset is drawn from the sample, so a subset of it
            wanted = {q.id for q in sample}
            sample_file.write_text("".join(line + "\n" for line in args.questions.read_text("utf-8").splitlines()
                                           if line.strip() and json.loads(line)["id"] in wanted), "utf-8")
            for name in args.only:
                if name in args.subset_only:
                    run_one(name, sample_file, len(subset), args.out)
                else:
                    run_one(name, args.questions, args.limit, args.out)
    reports = {name: load_results(args.out / f"{name}.json") for name in CONFIGS
               if (args.out / f"{name}.json").exists()}
    text = f"Sample: `--limit {args.limit}` of `{args.questions}`.\n\n" + table(reports, [q.id for q in sample])
    if subset:
        text += (f"\nSubset: `--limit {args.subset}` of that sample "
                 f"({', '.join(q.id for q in subset)}).\n\n" + table(reports, [q.id for q in subset]))
    (args.out / "table.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
