"""Evaluation against known answers: question files, answer matching, per-question results, metrics, a gate.

A question file is JSON Lines, one object per line::

    {"id": "fig-001", "question": "...", "lang": "da", "answers": ["3,18"], "sources": ["aleris-dk-csr-2025"],
     "kind": "figure"}

Every string in `answers` must be found in the answer (`"6|seks"` = either alternative); strings that are numbers
are compared as numbers in Danish/Norwegian notation (via `rag.text.numbers`), other strings case-insensitively. An
answerable question is correct when the answer does not abstain, contains every expected answer and cites at least
one expected source; an `unanswerable` question (empty `answers` and `sources`) is correct when the system abstains.

Retrieval is scored separately: a retrieved chunk is *relevant* when it comes from an expected source and contains
every expected answer; `first_relevant_rank` is the 1-based rank of the first one, and recall@k / MRR are computed
over the answerable questions from it.

`--limit N` (`sample_questions`) runs a deterministic sample spread over the kinds in proportion to their size,
for slow answerers. `--llm BACKEND` (`evaluate_streaming`) grades the gated language-model answer exactly as a
user is shown it (`LLMAnswerer.stream`) and adds the gate's interventions and fallbacks and the time to the
first model token, to the first text shown and to the full answer.
"""

from __future__ import annotations

import json
import math
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.callbacks import BaseCallbackHandler

from rag.config import Settings
from rag.errors import ConfigError, QuestionFileError, RagError, ThresholdsError
from rag.text.numbers import find_numbers, parse_number, text_contains_number

if TYPE_CHECKING:
    from rag.answer import Answerer
    from rag.answer.llm_answer import LLMAnswerer
    from rag.types import Answer

KINDS = ("figure", "text", "trend", "conflict", "norwegian", "unanswerable")
LANGS = ("da", "nb")
RECALL_KS = (1, 5, 10)
# Retrieval depth used while evaluating: deep enough for recall@10. The answerer only reads the first few hits,
# and ranking is a sorted prefix, so asking for more hits does not change the answer.
EVAL_DEPTH = max(RECALL_KS)
DEFAULT_HELDOUT = Path("eval/heldout.txt")
Split = Literal["tuning", "heldout"]
_FIELDS = {"id": str, "question": str, "lang": str, "answers": list, "sources": list, "kind": str}
# Optional: the physical pages (1-based) of a PDF source where the answer is printed, for page accuracy.
_OPTIONAL = {"pages": list}


@dataclass(frozen=True)
class EvalQuestion:
    """One line of a question file."""

    id: str
    question: str
    lang: str
    answers: tuple[str, ...]
    sources: tuple[str, ...]
    kind: str
    split: Split = "tuning"
    pages: tuple[int, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


@dataclass(frozen=True)
class StreamStats:
    """How a language-model answer came about (`--llm` runs): model asked, gate, fallback, timings from asking."""

    model_asked: bool
    gate_interventions: int
    fell_back: bool
    first_token_ms: float | None  # the model's first token (None: the model was not asked)
    first_text_ms: float | None  # the first gated text the user is shown
    shown_is_graded: bool  # the streamed text is the graded final answer

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("first_token_ms", "first_text_ms"):
            data[key] = None if data[key] is None else round(data[key], 1)
        return data


@dataclass(frozen=True)
class EvalResult:
    """How the system did on one question; `to_dict()` is one element of the JSON report's `results`."""

    id: str
    question: str
    kind: str
    lang: str
    split: Split
    expected: tuple[str, ...]
    sources: tuple[str, ...]
    answer: str
    abstained: bool
    citations: tuple[dict[str, Any], ...]
    correct: bool
    answer_found: bool | None
    cited_expected_source: bool | None
    first_relevant_rank: int | None
    latency_ms: float
    grounding_violations: int | None = None
    error: str | None = None
    # For a correct answer to a question with `pages`: does a citation of an expected source carry one of them?
    right_page: bool | None = None
    baselines: dict[str, dict[str, Any]] = field(default_factory=dict)
    llm: StreamStats | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["expected"] = list(self.expected)
        data["sources"] = list(self.sources)
        data["citations"] = list(self.citations)
        data["latency_ms"] = round(self.latency_ms, 1)
        if self.llm is None:
            del data["llm"]  # the evidence-first report keeps its shape
        else:
            data["llm"] = self.llm.to_dict()
        return data


@dataclass(frozen=True)
class EvalRun:
    """The outcome of `run_eval`: summary metrics, per-question results, the Markdown report and gate failures."""

    summary: dict[str, Any]
    results: list[EvalResult]
    markdown: str
    gate_failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "results": [r.to_dict() for r in self.results]}

    def headline(self) -> str:
        """A few lines for the terminal: ours (and baselines) on each split."""
        lines = []
        for split in ("all", "tuning", "heldout"):
            for name, m in _system_rows(self.summary, None if split == "all" else split):
                if not m:
                    continue
                lines.append(
                    f"{split:8} {name:26} acc={_fmt(m.get('accuracy'))} abst={_fmt(m.get('abstention_accuracy'))} "
                    f"R@1={_fmt(m.get('recall_at_1'))} R@5={_fmt(m.get('recall_at_5'))} "
                    f"R@10={_fmt(m.get('recall_at_10'))} MRR={_fmt(m.get('mrr'))} "
                    f"p50={_fmt(m.get('latency_p50_ms'), 1)}ms"
                )
        if self.summary.get("llm"):
            lines.append(llm_headline(self.summary["llm"]))
        return "\n".join(lines)


# -- question files ------------------------------------------------------------------------------------------


def _validate_row(row: Any, where: str) -> EvalQuestion:
    if not isinstance(row, dict):
        raise QuestionFileError(f"{where}: expected a JSON object, got {type(row).__name__}.")
    missing = [k for k in _FIELDS if k not in row]
    unknown = sorted(set(row) - set(_FIELDS) - set(_OPTIONAL))
    if missing or unknown:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unknown {', '.join(unknown)}"] if unknown else []
        )
        raise QuestionFileError(
            f"{where}: {'; '.join(parts)}. Each line needs exactly: {', '.join(_FIELDS)} (optional: pages)."
        )
    for key, typ in _FIELDS.items():
        if not isinstance(row[key], typ):
            raise QuestionFileError(f"{where}: {key!r} must be a {typ.__name__}, got {type(row[key]).__name__}.")
    for key in ("answers", "sources"):
        if not all(isinstance(x, str) and x.strip() for x in row[key]):
            raise QuestionFileError(f"{where}: every item of {key!r} must be a non-empty string.")
    pages = row.get("pages", [])
    if not isinstance(pages, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in pages):
        raise QuestionFileError(f"{where}: 'pages' must be a list of physical page numbers (1, 2, …).")
    if not row["id"].strip() or not row["question"].strip():
        raise QuestionFileError(f"{where}: 'id' and 'question' must not be empty.")
    if row["lang"] not in LANGS:
        raise QuestionFileError(f"{where}: lang {row['lang']!r} is not one of {', '.join(LANGS)}.")
    if row["kind"] not in KINDS:
        raise QuestionFileError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}.")
    if row["kind"] == "unanswerable" and (row["answers"] or row["sources"]):
        raise QuestionFileError(f"{where}: an 'unanswerable' question must have empty 'answers' and 'sources'.")
    if row["kind"] != "unanswerable" and (not row["answers"] or not row["sources"]):
        raise QuestionFileError(
            f"{where}: kind {row['kind']!r} needs at least one answer and one source "
            "(use kind 'unanswerable' for questions the reports do not answer)."
        )
    return EvalQuestion(
        id=row["id"],
        question=row["question"],
        lang=row["lang"],
        answers=tuple(row["answers"]),
        sources=tuple(row["sources"]),
        kind=row["kind"],
        pages=tuple(pages),
    )


def load_questions(path: Path, heldout: Iterable[str] = ()) -> list[EvalQuestion]:
    """Read and validate a question file; a bad line raises `QuestionFileError` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise QuestionFileError(f"Question file {path} does not exist; pass an existing .jsonl file.") from exc
    except UnicodeDecodeError as exc:
        raise QuestionFileError(f"Question file {path} is not UTF-8; save it as UTF-8 JSON Lines.") from exc
    held = set(heldout)
    questions: list[EvalQuestion] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}).") from exc
        question = _validate_row(row, where)
        if question.id in seen:
            raise QuestionFileError(f"{where}: duplicate id {question.id!r} (first on line {seen[question.id]}).")
        seen[question.id] = lineno
        is_held = question.id in held or any(source in held for source in question.sources)
        questions.append(replace(question, split="heldout" if is_held else "tuning"))
    if not questions:
        raise QuestionFileError(f"Question file {path} holds no questions; add one JSON object per line.")
    return questions


def load_heldout(path: Path = DEFAULT_HELDOUT) -> set[str]:
    """Ids of the held-out split: question ids, or document ids (every question citing that document is held out).

    One per line, `#` comments allowed; empty when the file does not exist.
    """
    if not path.exists():
        return set()
    ids = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {i for i in ids if i}


def sample_questions(questions: Sequence[EvalQuestion], limit: int) -> list[EvalQuestion]:
    """`limit` questions spread over the kinds in proportion to their size, the same ones on every run.

    Seats go to kinds by the largest-remainder method (ties: the order of `KINDS`), with at least one per kind
    when `limit` allows, taken from the kind with the most seats. Within a kind, questions sorted by id are taken
    at evenly spaced positions (the middle of each of `n` equal stretches), so a sample spans the documents that
    the ids run through. The sample keeps the question file's order; `limit` >= all questions returns them all.
    """
    if limit < 1:
        raise ConfigError(f"limit must be at least 1, got {limit}; pass --limit N with N >= 1.")
    if limit >= len(questions):
        return list(questions)
    by_kind = {kind: sorted((q for q in questions if q.kind == kind), key=lambda q: q.id) for kind in KINDS}
    by_kind = {kind: qs for kind, qs in by_kind.items() if qs}
    quotas = {kind: limit * len(qs) / len(questions) for kind, qs in by_kind.items()}
    seats = {kind: math.floor(quota) for kind, quota in quotas.items()}
    order = list(by_kind)
    by_remainder = sorted(order, key=lambda kind: (-(quotas[kind] - seats[kind]), order.index(kind)))
    for kind in by_remainder[: limit - sum(seats.values())]:
        seats[kind] += 1
    if limit >= len(by_kind):
        for kind in order:
            if seats[kind] == 0:
                donor = max(order, key=lambda k: (seats[k], -order.index(k)))
                seats[donor] -= 1
                seats[kind] = 1
    chosen: set[str] = set()
    for kind, qs in by_kind.items():
        chosen.update(qs[int((i + 0.5) * len(qs) / seats[kind])].id for i in range(seats[kind]))
    return [q for q in questions if q.id in chosen]


def sample_description(questions: Sequence[EvalQuestion], sample: Sequence[EvalQuestion]) -> dict[str, Any]:
    """What a `--limit` run asked: how many of how many, per kind, and the ids (for the report)."""
    return {
        "n": len(sample),
        "of": len(questions),
        "by_kind": {kind: sum(1 for q in sample if q.kind == kind) for kind in KINDS},
        "ids": [q.id for q in sample],
    }


# -- matching --------------------------------------------------------------------------------------------------


def _expected_number(alternative: str) -> float | None:
    """The value of an expected answer that is a number (`"1.567"`, `"3,18"`, `"−12"`, `"30 000"`), else None."""
    text = alternative.strip()
    matches = find_numbers(text)
    # Only a string that is one number as a whole counts: "SL-360" or "ISO 9001" stay text.
    if len(matches) != 1 or matches[0].start != 0 or matches[0].end != len(text) or matches[0].kind == "date":
        return None
    return parse_number(text)


def alternative_found(alternative: str, text: str) -> bool:
    """One alternative: a number compared as a number, anything else as a case-insensitive substring."""
    value = _expected_number(alternative)
    if value is not None:
        return text_contains_number(text, value)
    return alternative.strip().casefold() in text.casefold()


def expected_found(expected: str, text: str) -> bool:
    """One expected answer, which may list alternatives separated by `|`."""
    return any(alternative_found(alt, text) for alt in expected.split("|") if alt.strip())


def answers_found(expected: Sequence[str], text: str) -> bool:
    """Every expected answer is in the text (vacuously true for none)."""
    return all(expected_found(e, text) for e in expected)


def first_relevant_rank(question: EvalQuestion, ranked: Sequence[tuple[str, str]]) -> int | None:
    """1-based rank of the first (doc_id, text) from an expected source that contains every expected answer."""
    if not question.answerable:
        return None
    for rank, (doc_id, text) in enumerate(ranked, start=1):
        if doc_id in question.sources and answers_found(question.answers, text):
            return rank
    return None


# -- grading one answer ------------------------------------------------------------------------------------------


def _grounding_violations(answer: Answer) -> int | None:
    """Numbers in the answer that no cited quote supports, via `rag.answer.grounding` when that module exists."""
    try:
        from rag.answer.grounding import ungrounded_numbers
    except ImportError:
        return None
    if answer.abstained:
        return 0
    # Arithmetic done by code (differences, % changes) is allowed when the Answer carries it.
    computed = tuple(str(c) for c in answer.computed)
    return len(ungrounded_numbers(answer.answer, answer.citations, computed))


def grade(question: EvalQuestion, answer: Answer, latency_ms: float) -> EvalResult:
    """Score one `Answer` against its question."""
    citations = tuple(c.to_dict() for c in answer.citations)
    ranked = [(h.chunk.doc_id, h.chunk.text) for h in answer.hits]
    if question.answerable:
        found = answers_found(question.answers, answer.answer) and not answer.abstained
        cited = any(c.doc_id in question.sources for c in answer.citations)
        correct = found and cited
    else:
        found, cited, correct = None, None, answer.abstained
    return EvalResult(
        id=question.id,
        question=question.question,
        kind=question.kind,
        lang=question.lang,
        split=question.split,
        expected=question.answers,
        sources=question.sources,
        answer=answer.answer,
        abstained=answer.abstained,
        citations=citations,
        correct=correct,
        answer_found=found,
        cited_expected_source=cited,
        first_relevant_rank=first_relevant_rank(question, ranked),
        latency_ms=latency_ms,
        grounding_violations=_grounding_violations(answer),
        right_page=_right_page(question, answer) if correct and question.pages else None,
    )


def _right_page(question: EvalQuestion, answer: Answer) -> bool:
    return any(c.doc_id in question.sources and c.page in question.pages for c in answer.citations)


def failed(question: EvalQuestion, error: Exception, latency_ms: float) -> EvalResult:
    """A question the system raised on: counted as wrong (or as a non-abstention), with the error kept."""
    return EvalResult(
        id=question.id,
        question=question.question,
        kind=question.kind,
        lang=question.lang,
        split=question.split,
        expected=question.answers,
        sources=question.sources,
        answer="",
        abstained=False,
        citations=(),
        correct=False,
        answer_found=False if question.answerable else None,
        cited_expected_source=False if question.answerable else None,
        first_relevant_rank=None,
        latency_ms=latency_ms,
        error=f"{type(error).__name__}: {error}",
    )


# -- metrics ------------------------------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), as numpy's default; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo), 1)


def retrieval_metrics(ranks: Sequence[int | None]) -> dict[str, float | None]:
    """recall@k and MRR over answerable questions, from each question's first relevant rank (None = not found)."""
    out: dict[str, float | None] = {
        f"recall_at_{k}": _mean([1.0 if r is not None and r <= k else 0.0 for r in ranks]) for k in RECALL_KS
    }
    out["mrr"] = _mean([1.0 / r if r is not None else 0.0 for r in ranks])
    return out


def _core_metrics(results: Sequence[EvalResult]) -> dict[str, Any]:
    answerable = [r for r in results if r.kind != "unanswerable"]
    unanswerable = [r for r in results if r.kind == "unanswerable"]
    cited = [c for r in answerable if not r.abstained for c in r.citations]
    latencies = [r.latency_ms for r in results]
    grounding = [r.grounding_violations for r in results if r.grounding_violations is not None]
    metrics: dict[str, Any] = {
        "n": len(results),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "accuracy": _mean([1.0 if r.correct else 0.0 for r in results]),
        "answerable_accuracy": _mean([1.0 if r.correct else 0.0 for r in answerable]),
        "abstention_accuracy": _mean([1.0 if r.abstained else 0.0 for r in unanswerable]),
        "false_abstention_rate": _mean([1.0 if r.abstained else 0.0 for r in answerable]),
        "citation_precision": _mean([1.0 if c["doc_id"] in r.sources else 0.0 for r in answerable for c in r.citations
                                     if not r.abstained]) if cited else None,
        **retrieval_metrics([r.first_relevant_rank for r in answerable]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "grounding_violations": sum(grounding) if grounding else None,
        "page_accuracy": _mean([1.0 if r.right_page else 0.0 for r in results if r.right_page is not None]),
        "errors": sum(1 for r in results if r.error),
    }
    return metrics


def _grouped(results: Sequence[EvalResult], key: Callable[[EvalResult], str]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[EvalResult]] = {}
    for r in results:
        groups.setdefault(key(r), []).append(r)
    return {name: _core_metrics(group) for name, group in sorted(groups.items())}


def summarize(results: Sequence[EvalResult]) -> dict[str, Any]:
    """Overall metrics plus the same broken down by kind, language and split."""
    summary = _core_metrics(results)
    summary["by_kind"] = _grouped(results, lambda r: r.kind)
    summary["by_lang"] = _grouped(results, lambda r: r.lang)
    summary["by_split"] = _grouped(results, lambda r: r.split)
    return summary


# -- the gate ----------------------------------------------------------------------------------------------------

GATED = ("accuracy", "abstention_accuracy", "recall_at_5", "answerable_accuracy", "mrr", "recall_at_1",
         "recall_at_10", "citation_precision", "page_accuracy")


def load_thresholds(path: Path) -> dict[str, float]:
    """Minimums from a TOML file's `[minimum]` table (metric name → lowest acceptable value)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ThresholdsError(f"Thresholds file {path} does not exist; pass e.g. eval/thresholds.toml.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsError(f"{path} is not valid TOML ({exc}); fix it.") from exc
    table = data.get("minimum")
    if not isinstance(table, dict) or not table:
        raise ThresholdsError(f"{path} needs a [minimum] table, e.g. `accuracy = 0.8`.")
    unknown = sorted(set(table) - set(GATED))
    if unknown:
        raise ThresholdsError(f"{path}: unknown metric(s) {', '.join(unknown)}; valid: {', '.join(GATED)}.")
    bad = [k for k, v in table.items() if not isinstance(v, int | float) or isinstance(v, bool)]
    if bad:
        raise ThresholdsError(f"{path}: value(s) for {', '.join(bad)} must be numbers between 0 and 1.")
    return {k: float(v) for k, v in table.items()}


def check_thresholds(summary: dict[str, Any], thresholds_path: Path) -> list[str]:
    """Human-readable failures: every gated metric in the summary that falls below its minimum."""
    failures: list[str] = []
    for metric, minimum in load_thresholds(thresholds_path).items():
        value = summary.get(metric)
        if value is None:
            failures.append(f"{metric} is not available in this run (minimum {minimum:.3f}).")
        elif value < minimum:
            failures.append(f"{metric} = {value:.3f} is below the minimum {minimum:.3f}.")
    return failures


# -- running -------------------------------------------------------------------------------------------------------


def evaluate_answerer(
    answerer: Answerer, questions: Sequence[EvalQuestion], progress: bool = True
) -> list[EvalResult]:
    """Ask every question, time it, and grade the answer; errors on one question do not stop the run."""
    from tqdm import tqdm

    results: list[EvalResult] = []
    for q in tqdm(questions, desc="eval", unit="q", disable=not progress, leave=False):
        started = time.perf_counter()
        try:
            answer = answerer.ask(q.question, k=max(EVAL_DEPTH, answerer.settings.top_k))
        except RagError as exc:
            results.append(failed(q, exc, (time.perf_counter() - started) * 1000))
            continue
        results.append(grade(q, answer, (time.perf_counter() - started) * 1000))
    return results


class _FirstToken(BaseCallbackHandler):
    """Times the model's first token; from a server that cannot stream, every token arrives at the end."""

    def __init__(self) -> None:
        self.asked = False
        self.at: float | None = None

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[Any]], **kwargs: Any) -> None:
        self.asked = True

    def on_llm_new_token(self, token: Any, **kwargs: Any) -> None:
        if self.at is None:
            self.at = time.perf_counter()

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        if self.at is None:
            self.at = time.perf_counter()


def evaluate_streaming(
    answerer: LLMAnswerer, questions: Sequence[EvalQuestion], progress: bool = True
) -> list[EvalResult]:
    """Ask through the gated stream a user sees, time it, and grade the final answer it ends with.

    The answer is asked as `rag ask` and the app ask it (`top_k` passages, which decide the model's sources);
    recall@k and MRR come from a separate evidence-first retrieval at the eval depth, outside the timing.
    """
    from tqdm import tqdm

    from rag.answer.gate import fell_back
    from rag.answer.llm import CyllamaChatModel

    if questions:  # warm up: the embedder and (a local) model load on first use, which is not answering time
        answerer.evidence.ask(questions[0].question)
        if isinstance(answerer.chat_model, CyllamaChatModel):
            answerer.chat_model.load()
    results: list[EvalResult] = []
    for q in tqdm(questions, desc="eval", unit="q", disable=not progress, leave=False):
        timer = _FirstToken()
        first_text: float | None = None
        shown: list[str] = []
        started = time.perf_counter()
        try:
            for piece in answerer.stream(q.question, callbacks=[timer]):
                if first_text is None and piece.strip():
                    first_text = time.perf_counter()
                shown.append(piece)
            latency = (time.perf_counter() - started) * 1000
            answer = answerer.last_answer
            assert answer is not None  # set when the stream ends
            hits = answerer.evidence.ask(q.question, k=max(EVAL_DEPTH, answerer.settings.top_k)).hits
        except RagError as exc:
            results.append(failed(q, exc, (time.perf_counter() - started) * 1000))
            continue
        stats = StreamStats(
            model_asked=timer.asked,
            gate_interventions=answer.gate_interventions,
            fell_back=fell_back(answer),
            first_token_ms=None if timer.at is None else (timer.at - started) * 1000,
            first_text_ms=None if first_text is None else (first_text - started) * 1000,
            shown_is_graded="".join(shown) == answer.answer,
        )
        rank = first_relevant_rank(q, [(h.chunk.doc_id, h.chunk.text) for h in hits])
        results.append(replace(grade(q, answer, latency), first_relevant_rank=rank, llm=stats))
    return results


def llm_metrics(results: Sequence[EvalResult]) -> dict[str, Any]:
    """The gate and the timings over a `--llm` run: what the model added, and what it cost."""
    stats = [r.llm for r in results if r.llm is not None]
    asked = [s for s in stats if s.model_asked]
    first_token = [s.first_token_ms for s in asked if s.first_token_ms is not None]
    first_text = [s.first_text_ms for s in stats if s.first_text_ms is not None]
    full = [r.latency_ms for r in results if r.llm is not None]
    return {
        "n_answers": len(stats),
        "n_model_asked": len(asked),
        "gate_interventions": sum(s.gate_interventions for s in stats),
        "answers_intervened": sum(1 for s in stats if s.gate_interventions),
        "intervened_share": _mean([1.0 if s.gate_interventions else 0.0 for s in stats]),
        "fallbacks": sum(1 for s in stats if s.fell_back),
        "fallback_share": _mean([1.0 if s.fell_back else 0.0 for s in stats]),
        "first_token_p50_ms": percentile(first_token, 50),
        "first_token_p95_ms": percentile(first_token, 95),
        "first_text_p50_ms": percentile(first_text, 50),
        "first_text_p95_ms": percentile(first_text, 95),
        "answer_p50_ms": percentile(full, 50),
        "answer_p95_ms": percentile(full, 95),
        "shown_differs_from_graded": sum(1 for s in stats if not s.shown_is_graded),
    }


def run_eval(
    questions_path: Path,
    settings: Settings,
    *,
    baselines: bool = False,
    heldout_path: Path | None = DEFAULT_HELDOUT,
    json_out: Path | None = None,
    markdown_out: Path | None = None,
    gate: Path | None = None,
    progress: bool = True,
    limit: int | None = None,
    llm: bool = False,
) -> EvalRun:
    """The whole `rag eval`: load questions and index, answer, (baselines), summarize, write reports, gate.

    `limit` runs a sample (`sample_questions`); `llm` answers with the backend the settings name
    (`llm_backend`, `llm_model`, `llm_base_url`) through the gated stream. The thresholds of `gate` are set
    for the full evidence-first run, so they cannot be combined with either.
    """
    from rag.index import load_index

    if gate is not None and (llm or limit is not None):
        raise ConfigError("The thresholds apply to the full evidence-first run; drop --gate, or drop --llm/--limit.")
    heldout = load_heldout(heldout_path) if heldout_path is not None else set()
    questions = load_questions(questions_path, heldout)
    everything = questions
    if limit is not None:
        questions = sample_questions(questions, limit)
    if gate is not None:
        load_thresholds(gate)  # fail on a bad thresholds file before the slow part
    index = load_index(settings.index_dir, settings)
    from rag.answer import Answerer

    llm_info: dict[str, Any] | None = None
    if llm:
        from rag.answer.llm import chat_model_from_settings, model_label
        from rag.answer.llm_answer import LLMAnswerer

        chat_model = chat_model_from_settings(settings)
        answerer = LLMAnswerer(index, settings, chat_model, evidence=Answerer(index, settings))
        llm_info = {"backend": settings.llm_backend.value, "model": model_label(chat_model),
                    "base_url": settings.llm_base_url or None}
        results = evaluate_streaming(answerer, questions, progress=progress)
    else:
        results = evaluate_answerer(Answerer(index, settings), questions, progress=progress)
    summary = summarize(results)
    summary["questions_file"] = str(questions_path)
    summary["index_dir"] = str(settings.index_dir)
    summary["embedder"] = index.manifest.get("embedder")
    if limit is not None:
        summary["sample"] = sample_description(everything, questions)
    if llm_info is not None:
        summary["llm"] = {**llm_info, **llm_metrics(results)}
    if baselines:
        from rag.eval.baselines import run_baselines

        baseline_summaries, per_question = run_baselines(index, settings, questions, progress=progress)
        summary["baselines"] = baseline_summaries
        results = [replace(r, baselines=per_question.get(r.id, {})) for r in results]
    failures = check_thresholds(summary, gate) if gate is not None else []
    summary["gate"] = {"file": str(gate), "failures": failures} if gate is not None else None
    run = EvalRun(summary=summary, results=results, markdown="", gate_failures=failures)
    run = replace(run, markdown=render_markdown(run))
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(run.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if markdown_out is not None:
        markdown_out.parent.mkdir(parents=True, exist_ok=True)
        markdown_out.write_text(run.markdown, encoding="utf-8")
    return run


# -- the Markdown report ---------------------------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


_COLUMNS = (
    ("accuracy", "accuracy"),
    ("abstention_accuracy", "abstention acc."),
    ("recall_at_1", "R@1"),
    ("recall_at_5", "R@5"),
    ("recall_at_10", "R@10"),
    ("mrr", "MRR"),
    ("latency_p50_ms", "p50 ms"),
)


def _system_rows(summary: dict[str, Any], split: str | None) -> list[tuple[str, dict[str, Any]]]:
    def pick(s: dict[str, Any]) -> dict[str, Any]:
        return s if split is None else s.get("by_split", {}).get(split, {})

    llm = summary.get("llm")
    label = f"ours ({llm['backend']}: {llm['model']})" if llm else "ours (hybrid + answerer)"
    rows = [(label, pick(summary))]
    for name, base in (summary.get("baselines") or {}).items():
        rows.append((base.get("label", name), pick(base)))
    return rows


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def llm_headline(m: dict[str, Any]) -> str:
    """One terminal line for a `--llm` run: model, gate, fallbacks, timings."""
    return (
        f"llm      {m['backend']}: {m['model']}  asked {m['n_model_asked']}/{m['n_answers']}  "
        f"gate intervened in {m['answers_intervened']} ({m['gate_interventions']} interventions)  "
        f"fallbacks {m['fallbacks']}  first token p50/p95={_fmt(m['first_token_p50_ms'], 0)}/"
        f"{_fmt(m['first_token_p95_ms'], 0)}ms  first text {_fmt(m['first_text_p50_ms'], 0)}/"
        f"{_fmt(m['first_text_p95_ms'], 0)}ms  answer {_fmt(m['answer_p50_ms'], 0)}/{_fmt(m['answer_p95_ms'], 0)}ms"
    )


def _llm_section(m: dict[str, Any]) -> list[str]:
    where = f" at `{m['base_url']}`" if m.get("base_url") else ""
    return [
        "## Language model",
        "",
        f"Backend `{m['backend']}`, model `{m['model']}`{where}. Answers are graded as the user is shown them: the "
        "gated stream's final answer. The model is asked when the evidence-first answerer found evidence.",
        "",
        *_table(["measure", "value"], [
            ["answers / model asked", f"{m['n_answers']} / {m['n_model_asked']}"],
            ["gate interventions (removed sentences + fallbacks)", str(m["gate_interventions"])],
            ["answers where the gate intervened", f"{m['answers_intervened']} ({_fmt(m['intervened_share'])})"],
            ["fell back to the evidence-first answer", f"{m['fallbacks']} ({_fmt(m['fallback_share'])})"],
            ["first model token p50 / p95 ms",
             f"{_fmt(m['first_token_p50_ms'], 0)} / {_fmt(m['first_token_p95_ms'], 0)}"],
            ["first text shown p50 / p95 ms", f"{_fmt(m['first_text_p50_ms'], 0)} / {_fmt(m['first_text_p95_ms'], 0)}"],
            ["full answer p50 / p95 ms", f"{_fmt(m['answer_p50_ms'], 0)} / {_fmt(m['answer_p95_ms'], 0)}"],
            ["streamed text differs from the graded answer", str(m["shown_differs_from_graded"])],
        ]),
        "",
    ]


def render_markdown(run: EvalRun) -> str:
    """A report for people: ours vs baselines per split, per kind and language, and the tuning-split failures."""
    s = run.summary
    out = [
        "# Evaluation report",
        "",
        f"Questions: `{s.get('questions_file')}` ({s['n']} questions, {s['n_answerable']} answerable, "
        f"{s['n_unanswerable']} unanswerable). Index: `{s.get('index_dir')}`, embedder `{s.get('embedder')}`.",
        "",
    ]
    if s.get("sample"):
        sample = s["sample"]
        kinds = ", ".join(f"{kind} {n}" for kind, n in sample["by_kind"].items() if n)
        out += [f"Sample (`--limit {sample['n']}`): {sample['n']} of {sample['of']} questions, spread over the kinds "
                f"in proportion ({kinds}).", ""]
    out += [
        "Accuracy: an answerable question is correct when the answer contains every expected figure/word and cites "
        "an expected report; an unanswerable one when the system abstains. Recall@k/MRR: rank of the first "
        "retrieved chunk from an expected report that contains every expected answer (answerable questions only).",
        "",
    ]
    for split, title in ((None, "All questions"), ("tuning", "Tuning split"), ("heldout", "Held-out split")):
        rows = _system_rows(s, split)
        if not rows[0][1]:
            continue
        out += [f"## {title} (n = {rows[0][1].get('n', 0)})", ""]
        out += _table(
            ["system", *(label for _, label in _COLUMNS)],
            [[name, *(_fmt(m.get(key), 1 if key.endswith("_ms") else 3) for key, _ in _COLUMNS)] for name, m in rows],
        )
        out.append("")
    if s.get("baselines"):
        out += [
            "Baselines: *BM25 only* and *dense only* are our retriever in `lexical`/`dense` mode over our chunks "
            "(retrieval only, no answers). *Vanilla LangChain RAG* splits the raw files with "
            "RecursiveCharacterTextSplitter(1000, 200), embeds them with the same embedder into an in-memory FAISS "
            "store and takes the top 4 as context; its accuracy treats the top chunk's whole text as the answer "
            "(lenient: a 1000-character passage, never abstains, so its unanswerable questions all count as wrong).",
            "",
        ]
    out += ["## Ours, per kind", ""]
    header = ["group", "n", "accuracy", "abstention acc.", "false abstention", "citation precision", "R@5", "MRR"]
    for key, title in (("by_kind", "kind"), ("by_lang", "language")):
        if key == "by_lang":
            out += ["", "## Ours, per language", ""]
        out += _table(
            [title, *header[1:]],
            [
                [name, str(m["n"]), _fmt(m["accuracy"]), _fmt(m["abstention_accuracy"]),
                 _fmt(m["false_abstention_rate"]), _fmt(m["citation_precision"]), _fmt(m["recall_at_5"]),
                 _fmt(m["mrr"])]
                for name, m in s[key].items()
            ],
        )
    out += [
        "",
        "## Other measures",
        "",
        f"- False-abstention rate (answerable): {_fmt(s['false_abstention_rate'])}",
        f"- Citation precision (citations from an expected report): {_fmt(s['citation_precision'])}",
        f"- Latency p50 / p95: {_fmt(s['latency_p50_ms'], 1)} / {_fmt(s['latency_p95_ms'], 1)} ms",
        f"- Answers with ungrounded numbers (`rag.answer.grounding`): {_fmt(s['grounding_violations'])}",
        f"- Questions that raised an error: {s['errors']}",
        "",
    ]
    if s.get("llm"):
        out += _llm_section(s["llm"])
    if s.get("gate"):
        failures = s["gate"]["failures"]
        verdict = "**passed**" if not failures else "**FAILED**"
        out += ["## Gate", "", f"Thresholds: `{s['gate']['file']}` — {verdict}"]
        out += [f"- {f}" for f in failures]
        out.append("")
    wrong = [r for r in run.results if not r.correct and r.split == "tuning"]
    held_wrong = sum(1 for r in run.results if not r.correct and r.split == "heldout")
    out += ["## Wrong answers, tuning split", ""]
    if held_wrong:
        out += [f"({held_wrong} held-out questions were wrong; not listed, so tuning cannot look at them.)", ""]
    if not wrong:
        out.append("None.")
    else:
        out += _table(
            ["id", "kind", "question", "expected", "rank", "answer"],
            [
                [r.id, r.kind, _short(r.question, 90), _short(" ; ".join(r.expected) or "(abstain)", 40),
                 _fmt(r.first_relevant_rank), _short(r.error or r.answer)]
                for r in wrong
            ],
        )
    return "\n".join(out) + "\n"
