"""The `rag` command line: a thin layer over the library; errors become one-line messages, never tracebacks."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from rag.config import Settings, load_settings
from rag.errors import RagError

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn library errors into a clear message and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RagError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _settings(corpus: Path | None = None, index: Path | None = None) -> Settings:
    return load_settings().with_overrides(corpus_dir=corpus, index_dir=index)


@click.group()
@click.version_option(package_name="rag")
def main() -> None:
    """Ask questions about Danish and Norwegian CSR reports; every answer cites its source."""


@main.command("index")
@click.option("--corpus", type=click.Path(path_type=Path), help="Folder of .txt/.md/.pdf files [corpus].")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index folder [index].")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@friendly_errors
def index_cmd(corpus: Path | None, index_dir: Path | None, quiet: bool) -> None:
    """Build or update the index (only new or changed files are embedded).

    Example: rag index --corpus corpus --index index
    """
    from rag.index import LOCK_TIMEOUT_S, build_index, published_name

    settings = _settings(corpus, index_dir)

    def on_progress(stage: str, done: int, total: int) -> None:
        if stage == "waiting":
            click.echo(f"Another build of {settings.index_dir} is running; waiting for it to finish "
                       f"(up to {LOCK_TIMEOUT_S / 60:.0f} min) …", err=True)

    before = published_name(settings.index_dir)
    try:
        report = build_index(settings, progress=not quiet, on_progress=on_progress)
    except KeyboardInterrupt:
        if published_name(settings.index_dir) == before:
            click.echo("Interrupted: nothing was changed; the previous index is still in use. "
                       "Run `rag index` again to finish.", err=True)
        else:
            click.echo("Interrupted after the new index was published; it is complete and in use.", err=True)
        sys.exit(130)
    for note in report.notes:
        click.echo(note, err=True)
    for problem in report.skipped:
        click.echo(f"Skipped {problem.path}: {problem.reason}", err=True)
    for name, pages in sorted(report.empty_pages.items()):
        shown = ", ".join(map(str, pages[:20])) + (" …" if len(pages) > 20 else "")
        click.echo(f"{name}: pages with almost no text (photos or image-only tables; not read, no OCR): {shown}",
                   err=True)
    click.echo(("Index updated: " if report.written else "Index up to date: ") + report.summary())


@main.command("status")
@click.option("--corpus", type=click.Path(path_type=Path), help="Folder of reports [corpus].")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index folder [index].")
@friendly_errors
def status_cmd(corpus: Path | None, index_dir: Path | None) -> None:
    """Say whether the index is fresh, stale, damaged or missing, and what to do (exit code 1 unless fresh).

    Example: rag status --index index
    """
    from rag.index import describe_index

    status, detail = describe_index(_settings(corpus, index_dir))
    click.echo(f"{status}: {detail}")
    if status != "fresh":
        sys.exit(1)


@main.command("ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (question, answer, citations, …).")
@click.option("-k", "k", type=click.IntRange(1, 100), help="How many passages to retrieve [8].")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index folder [index].")
@click.option("--llm", type=click.Choice(["none", "openai", "llamacpp"]), help="Answer with a language model [none].")
@click.option("--model", "llm_model", help="GGUF file (llamacpp) or model name (openai).")
@click.option("--base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (Ollama).")
@friendly_errors
def ask_cmd(
    question: str,
    as_json: bool,
    k: int | None,
    index_dir: Path | None,
    llm: str | None = None,
    llm_model: str | None = None,
    base_url: str | None = None,
) -> None:
    """Answer a question with numbered citations, or say the reports don't hold the answer.

    Example: rag ask "Hvad var eNPS i 2024?" --json
    With a local GGUF model: rag ask "Hvad var eNPS i 2024?" --llm llamacpp --model data/models/model.gguf
    """
    from rag import ask

    settings = _settings(index=index_dir).with_overrides(llm_backend=llm, llm_model=llm_model, llm_base_url=base_url)
    streamed = False
    if settings.llm_backend.value == "none":
        answer = ask(question, k=k, settings=settings)
    else:
        from rag.answer.llm_answer import get_llm_answerer

        answerer = get_llm_answerer(settings)
        if as_json:
            answer = answerer.ask(question, k=k)
        else:
            for piece in answerer.stream(question, k=k):
                click.echo(piece, nl=False)
            click.echo()
            assert answerer.last_answer is not None
            answer, streamed = answerer.last_answer, True
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    if not streamed:
        click.echo(answer.answer)
    for c in answer.citations:
        where = ", ".join(x for x in (f"s. {c.page}" if c.page else None, c.section) if x)
        click.echo(f"  [{c.n}] {c.title} ({c.doc_id}{', ' + where if where else ''})")
        click.echo(f"      «{c.quote}»")


@main.command("search")
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 100), default=8, show_default=True, help="How many chunks to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the ranked chunks as JSON.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True)
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index folder [index].")
@friendly_errors
def search_cmd(query: str, k: int, as_json: bool, mode: str, index_dir: Path | None) -> None:
    """Show the ranked chunks for a query with their fused, lexical and dense scores (no answer).

    Example: rag search "korttidssygefravær 2025" -k 5
    """
    from rag import get_answerer
    from rag.answer.query import validate_question

    settings = _settings(index=index_dir)
    query = validate_question(query, settings.max_question_chars)
    hits = get_answerer(settings).retriever.search(query, k=k, mode=mode)  # type: ignore[arg-type]
    if as_json:
        rows = [{"rank": n, **{key: getattr(h, key) for key in ("score", "lexical_score", "lexical_rank",
                "dense_score", "dense_rank")}, "chunk": h.chunk.to_dict()} for n, h in enumerate(hits, start=1)]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return

    def fmt(score: float | None, rank: int | None) -> str:
        return "—" if score is None else f"{score:.3f} (#{rank})"

    for n, h in enumerate(hits, start=1):
        c = h.chunk
        click.echo(f"{n}. {c.id}  fused {h.score:.4f}  lexical {fmt(h.lexical_score, h.lexical_rank)}  "
                   f"dense {fmt(h.dense_score, h.dense_rank)}")
        click.echo(f"   {c.title}" + (f" — {c.section}" if c.section else ""))
        click.echo("   " + " ".join(c.text.split())[:200])


@main.command("eval")
@click.option("--questions", type=click.Path(path_type=Path), default=Path("eval/questions.jsonl"), show_default=True,
              help="Question file (JSON Lines).")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Write the JSON report here.")
@click.option("--markdown", "markdown_out", type=click.Path(path_type=Path), help="Write the Markdown report here.")
@click.option("--baselines", is_flag=True, help="Also run BM25-only, dense-only and vanilla LangChain RAG.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index folder [index].")
@click.option("--corpus", type=click.Path(path_type=Path), help="Corpus folder, for the vanilla baseline [corpus].")
@click.option("--gate", type=click.Path(path_type=Path), help="Thresholds TOML; exit 1 when a metric is below it.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--llm", type=click.Choice(["none", "openai", "llamacpp"]),
              help="Answer through the gated language-model stream; reports gate, fallbacks, first-token latency.")
@click.option("--model", "llm_model", help="GGUF file (llamacpp) or model name (openai).")
@click.option("--base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (Ollama).")
@click.option("--limit", type=click.IntRange(1), help="Only N questions, spread over the kinds in proportion.")
@click.option("--heldout", "heldout_path", type=click.Path(path_type=Path), default=Path("eval/heldout.txt"),
              show_default=True, help="Held-out question or document ids, reported as their own split.")
@friendly_errors
def eval_cmd(questions: Path, json_out: Path | None, markdown_out: Path | None, baselines: bool,
             index_dir: Path | None, corpus: Path | None, gate: Path | None, quiet: bool, llm: str | None = None,
             llm_model: str | None = None, base_url: str | None = None, limit: int | None = None,
             heldout_path: Path = Path("eval/heldout.txt")) -> None:
    """Score answers against known figures (accuracy, abstention, recall@k, MRR, latency).

    Example: rag eval --questions eval/questions.jsonl --baselines --markdown eval/report.md --gate eval/thresholds.toml
    With a local GGUF model, on 24 questions: rag eval --llm llamacpp --model data/models/model.gguf --limit 24
    """
    from rag.eval.evaluate import run_eval

    if llm is None and (llm_model or base_url):
        raise click.UsageError("--model and --base-url choose the model for --llm; add --llm openai or llamacpp.")
    settings = _settings(corpus, index_dir).with_overrides(llm_backend=llm, llm_model=llm_model, llm_base_url=base_url)
    run = run_eval(questions, settings, baselines=baselines, json_out=json_out, markdown_out=markdown_out, gate=gate,
                   progress=not quiet, limit=limit, llm=llm is not None, heldout_path=heldout_path)
    click.echo(run.headline())
    for failure in run.gate_failures:
        click.echo(f"Gate: {failure}", err=True)
    if run.gate_failures:
        sys.exit(1)


@main.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--page", "pages", type=click.IntRange(1), multiple=True, help="Only this physical page (repeatable).")
@click.option("--tables", "tables_only", is_flag=True, help="Only the tables, as grids.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per page: text, tables (cells), dropped.")
@friendly_errors
def extract_cmd(file: Path, pages: tuple[int, ...], tables_only: bool, as_json: bool) -> None:
    """Show what the index sees of a file: text in reading order per page, tables as grids, what was dropped.

    This is how to find out why a PDF answers badly. Example: rag extract report.pdf --page 4 --tables
    """
    from rag.ingest.extract import extract_pages, render_page

    for page in extract_pages(file):
        if pages and page.page not in pages:
            continue
        if as_json:
            click.echo(json.dumps(page.to_dict(), ensure_ascii=False))
        else:
            click.echo(render_page(page, tables_only=tables_only))


@main.command("facts")
@click.option("--metric", help="Only this metric (key, name or phrase, e.g. 'sygefravær', 'scope 2').")
@click.option("--doc", "doc_id", help="Only this document id (file stem).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with source lines, for a spreadsheet.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index folder [index].")
@friendly_errors
def facts_cmd(metric: str | None, doc_id: str | None, as_csv: bool, index_dir: Path | None) -> None:
    """List the figures read from the reports' tables, each with its source.

    Example: rag facts --metric sygefravær --csv > figurer.csv
    """
    from rag.answer.figures import select_facts, write_facts_csv
    from rag.index import load_index

    settings = _settings(index=index_dir)
    facts = select_facts(load_index(settings.index_dir, settings).facts, metric=metric, doc_id=doc_id)
    if as_csv:
        write_facts_csv(facts, sys.stdout)
        return
    for f in facts:
        qualifier = f" ({f.qualifier})" if f.qualifier else ""
        unit = f" {f.unit}" if f.unit else ""
        click.echo(f"{f.doc_id}\t{f.year}\t{f.metric}{qualifier}\t{f.value_text}{unit}")


@main.command("draft")
@click.argument("instruction")
@click.option("--md", "md_out", type=click.Path(dir_okay=False, path_type=Path), help="Write the Markdown here.")
@click.option("--docx", "docx_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a Word file with real footnotes here.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index folder [index].")
@friendly_errors
def draft_cmd(instruction: str, md_out: Path | None, docx_out: Path | None, index_dir: Path | None) -> None:
    """Draft a short text by theme from the reports' statements and figures, every figure footnoted.

    Example: rag draft "Skriv et kort afsnit om vores klimaindsats i 2025" --docx udkast.docx
    """
    from rag.answer.retrieve import HybridRetriever
    from rag.app.draft import build_draft, check_draft, draft_docx, draft_markdown
    from rag.index import load_index

    settings = _settings(index=index_dir)
    index = load_index(settings.index_dir, settings)
    draft = build_draft(instruction, index, HybridRetriever(index=index, settings=settings, k=settings.top_k))
    markdown = draft_markdown(draft)
    for problem in check_draft(draft):
        click.echo(f"Warning: {problem}", err=True)
    try:
        if md_out is not None:
            md_out.write_text(markdown, encoding="utf-8")
            click.echo(f"Wrote {md_out}", err=True)
        if docx_out is not None:
            docx_out.write_bytes(draft_docx(draft))
            click.echo(f"Wrote {docx_out}", err=True)
    except OSError as exc:
        raise RagError(f"Cannot write the draft ({exc}); choose another file name.") from exc
    if md_out is None and docx_out is None:
        click.echo(markdown, nl=False)


@main.group("feedback")
def feedback_group() -> None:
    """Ratings (👍/👎 and comments) given to answers in the chat app."""


@feedback_group.command("export")
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl", show_default=True)
@friendly_errors
def feedback_export_cmd(out: Path | None, fmt: str) -> None:
    """Export all feedback with question, answer and citations.

    Example: rag feedback export --format csv --out feedback.csv
    """
    from rag.app.feedback import default_db_path, export_feedback

    db_path = default_db_path(_settings().data_dir)
    count, text = export_feedback(out, "csv" if fmt == "csv" else "jsonl", db_path=db_path)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"Wrote {count} feedback rows to {out}", err=True)


if __name__ == "__main__":
    main()
