"""Figure questions on generated reports: the whole answer path scored on tables no rule was written for.

Why: the layout check says whether a table is *read* right; a user meets whether a question is *answered*
right. The unseen documents are few, and their held-out part may not be looked at. Generated corpora are
unlimited and their truth is known: several invented organisations in one corpus (languages, notations and
table layouts drawn from the seed), each printed cell a question in the way a user asks it ("Hvad var
<row label> for <organisation> i <year>?"), answered by the evidence-first `Answerer` over a freshly built
index, graded as `rag eval` grades, broken down by layout feature.

    python -m rag.eval.synthetic_qa --seeds 0-9 --out /tmp/sqa
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rag.eval.synthetic import (
    Notation,
    SynthLanguage,
    SynthReport,
    SynthTable,
    absent_metrics,
    format_number,
    generate_corpus,
    translate_label,
)

if TYPE_CHECKING:
    from rag.eval.evaluate import EvalResult

# A printed figure: digits with the notation's separators, perhaps signed; a dash or a word is no figure.
_FIGURE = re.compile(r"^[-\u2212]?\d[\d.,\u00a0 ]*$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")

# How a user asks for one figure, per question language: (row label, organisation, year).
_ASK = {
    "da": "Hvad var {label} for {org} i {year}?",
    "nb": "Hva var {label} for {org} i {year}?",
}
# A figure of a category-column table: (column heading, row label, organisation, year).
_ASK_CATEGORY = {
    "da": "Hvad var {column} for {label} hos {org} i {year}?",
    "nb": "Hva var {column} for {label} hos {org} i {year}?",
}


@dataclass(frozen=True)
class FigureQuestion:
    """One generated question with its truth and the layout features of the cell it asks for."""

    id: str
    question: str
    lang: str
    answer: str
    source: str
    page: int
    features: tuple[str, ...]

    def to_eval_row(self) -> dict[str, object]:
        """A line of a `rag eval` question file; a question without an answer is to be abstained from."""
        if not self.answer:
            return {"id": self.id, "question": self.question, "lang": self.lang, "answers": [], "sources": [],
                    "kind": "unanswerable"}
        return {"id": self.id, "question": self.question, "lang": self.lang, "answers": [self.answer],
                "sources": [self.source], "kind": "figure", "pages": [self.page]}


def figure_value(text: str, notation: Notation) -> float | None:
    """The value of a printed cell in its report's notation, or None for a dash, a word or an empty cell."""
    text = text.strip()
    if not _FIGURE.match(text):
        return None
    sign = -1.0 if text[0] in "-\u2212" else 1.0
    digits = text.lstrip("-\u2212").replace("\u00a0", "").replace(" ", "")
    if notation == "comma-dot":
        digits = digits.replace(",", "")
    else:
        digits = digits.replace(".", "").replace(",", ".")
    try:
        return sign * float(digits)
    except ValueError:
        return None


def _decimals(text: str, notation: Notation) -> int:
    mark = "." if notation == "comma-dot" else ","
    return len(text.rsplit(mark, 1)[1]) if mark in text else 0


def _phrase(label: str) -> str:
    """A label as said inside a sentence: first letter lower-cased unless the first word is an abbreviation."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and (first[1:].lower() != first[1:] or any(c.isdigit() for c in first)):
        return label
    return label[:1].lower() + label[1:]


def _asking(language: SynthLanguage, seed: int) -> SynthLanguage:
    """The question's language: the report's own, or Danish/Norwegian for an English report (users ask in both)."""
    return language if language != "en" else ("da", "nb")[seed % 2]


def _other_nordic(language: SynthLanguage) -> SynthLanguage:
    return "nb" if language == "da" else "da"


def _spoken(label: str, unit: str) -> str:
    """A label as a user says it: without the unit printed after it in brackets ("Farligt affald (tons)")."""
    return label.removesuffix(f"({unit})").strip() if unit and label.endswith(f"({unit})") else label


def _cells(table: SynthTable) -> Iterable[tuple[str, str, str, str]]:
    """(metric as said, year or "", column heading or "", printed text) of each figure cell of a table."""
    columns = table.columns
    for row in table.rows:
        if row.group or row.total:
            continue
        for j, text in enumerate(row.cells):
            kind = table.column_kinds[j] if j < len(table.column_kinds) else ""
            unit = row.units[j] if j < len(row.units) else ""
            if table.years_as == "columns" and kind == "year" and _YEAR.match(columns[j].split()[-1]):
                yield _spoken(row.label, unit), columns[j].split()[-1], "", text
            elif table.years_as == "rows" and kind == "metric" and _YEAR.match(row.label):
                yield _spoken(columns[j], unit), row.label, "", text
            elif table.years_as == "none" and kind in ("category", "total"):
                # A heading spanning several columns ("Treatment (tonnes)" over "Recycling", "Sum") is not said.
                own = table.header_rows[-1][j + 1] if table.header_spans else columns[j]
                yield row.label, "", own or columns[j], text


def report_questions(report: SynthReport, doc_id: str, rng: random.Random, per_table: int = 2) -> list[FigureQuestion]:
    """Up to `per_table` questions per table of a report, each about a figure no other cell shares a question with."""
    asked = _asking(report.language, report.seed)
    found: dict[tuple[str, str, str], list[tuple[str, int, SynthTable]]] = defaultdict(list)
    for page in report.pages:
        for table in page.tables:
            for metric, year, column, text in _cells(table):
                found[(metric.casefold(), year, column.casefold())].append((text, page.number, table))
    out: list[FigureQuestion] = []
    for p, page in enumerate(report.pages):
        for t, table in enumerate(page.tables):
            usable = [(metric, year, column, text) for metric, year, column, text in _cells(table)
                      if len(found[(metric.casefold(), year, column.casefold())]) == 1
                      and figure_value(text, report.notation) is not None]
            for n, (metric, year, column, text) in enumerate(rng.sample(usable, min(per_table, len(usable)))):
                value = figure_value(text, report.notation)
                assert value is not None
                answer = format_number(value, _decimals(text, report.notation), "dot-comma")
                # Half the questions about an English report, and a quarter about a Nordic one, name the metric in
                # the asker's own words (a Danish reader of a Norwegian report): what the words of the label miss.
                language = asked
                if report.language != "en" and rng.random() < 0.25:
                    language = _other_nordic(report.language)
                translated = translate_label(metric, report.language, language) if not column else None
                keep = report.language == "en" and rng.random() < 0.5
                if translated is None or language == report.language or keep:
                    translated, language = None, asked
                template = _ASK_CATEGORY[language] if column else _ASK[language]
                question = template.format(label=_phrase(translated or metric), column=_phrase(column),
                                           org=report.org, year=year or report.year)
                features = (f"kind:{table.kind}", f"family:{table.family or '-'}", f"report:{report.language}",
                            f"asked:{language}", f"unit:{table.unit_style}",
                            f"words:{'translated' if translated else 'label'}")
                out.append(FigureQuestion(f"sq-{doc_id}-p{p + 1}t{t + 1}-{n + 1}", question, language, answer, doc_id,
                                          page.number, features))
    return out


def absent_questions(report: SynthReport, doc_id: str, rng: random.Random, n: int = 2) -> list[FigureQuestion]:
    """Up to `n` questions about metrics the organisation's report prints nowhere: the answer is an abstention.

    Asked in the asker's words, or for an English report in the report's half the time, as the figure questions
    are: what a lexicon of words across languages may wrongly find.
    """
    asked = _asking(report.language, report.seed)
    absent = absent_metrics(report)
    out: list[FigureQuestion] = []
    for k, names in enumerate(rng.sample(absent, min(n, len(absent)))):
        own = report.language == "en" and rng.random() < 0.5
        name = names["en" if own else asked]
        question = _ASK[asked].format(label=_phrase(name), org=report.org, year=report.year)
        features = ("kind:unanswerable", f"report:{report.language}", f"asked:{asked}",
                    f"words:{'label' if own or report.language == asked else 'translated'}")
        out.append(FigureQuestion(f"sq-{doc_id}-absent-{k + 1}", question, asked, "", doc_id, 0, features))
    return out


def build_corpus(seeds: Sequence[int], out: Path, per_table: int = 2) -> tuple[Path, list[FigureQuestion]]:
    """Print two reports of two organisations per seed into `out/corpus` and ask about their figures."""
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    questions: list[FigureQuestion] = []
    orgs: set[str] = set()
    for seed in seeds:
        for path, report in generate_corpus(seed, corpus):
            if report.org in orgs:  # two seeds that drew one name would be one organisation twice
                path.unlink()
                continue
            orgs.add(report.org)
            questions += report_questions(report, path.stem, random.Random(f"qa-{path.stem}"), per_table)
            questions += absent_questions(report, path.stem, random.Random(f"qa-absent-{path.stem}"))
    # No manifest: a generated report names its organisation and year only in its running header, and the
    # reader must find them there, as it must in a user's report.
    return corpus, questions


def breakdown(results: Sequence[tuple[FigureQuestion, bool, bool]]) -> dict[str, tuple[int, int, int]]:
    """(correct, abstained, total) per feature, "all" first."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for question, correct, abstained in results:
        for feature in ("all", *question.features):
            counts[feature][0] += correct
            counts[feature][1] += abstained
            counts[feature][2] += 1
    return {feature: (c[0], c[1], c[2]) for feature, c in sorted(counts.items(), key=lambda kv: kv[0] != "all")}


def summary_lines(
    scores: dict[str, tuple[int, int, int]], shown: Sequence[EvalResult], wrong: int, details: Path
) -> list[str]:
    """The scores by feature, then how many were wrong and the first of the `shown` ones with their questions."""
    lines = [f"{'feature':32} {'correct':>9} {'abstained':>9} {'total':>6}"]
    lines += [f"{feature:32} {correct / total:>9.1%} {abstained / total:>9.1%} {total:>6}"
              for feature, (correct, abstained, total) in scores.items()]
    lines.append(f"\nWrong or abstained: {wrong} (details in {details})")
    lines += [f"  {r.id}: {r.question}  expected {_expected(r)}  got: {r.answer[:120]!r}" for r in shown[:15]]
    return lines


def _expected(result: EvalResult) -> str:
    return result.expected[0] if result.expected else "an abstention"


def _seeds(spec: str) -> list[int]:
    seeds: list[int] = []
    for part in spec.split(","):
        low, _, high = part.partition("-")
        seeds += list(range(int(low), int(high or low) + 1))
    return seeds


@click.command()
@click.option("--seeds", default="0-9", show_default=True, help="Seeds, e.g. 0-9 or 0,3,5 (two reports each).")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Work folder (corpus, index, reports).")
@click.option("--per-table", default=2, show_default=True, help="Questions per table.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Write the scores by feature as JSON.")
@click.option("--min-accuracy", type=float, help="Exit 1 when the share answered right is below this (a CI gate).")
@click.option("--quiet", is_flag=True, help="Print the scores only, no question (for held-out seeds).")
def main(seeds: str, out: Path, per_table: int, json_out: Path | None, min_accuracy: float | None,
         quiet: bool) -> None:
    """Generate corpora, index them, answer every generated figure question and print the score by feature."""
    from rag.answer import Answerer
    from rag.config import Settings
    from rag.eval.evaluate import evaluate_answerer, load_questions
    from rag.index import build_index, load_index

    corpus, questions = build_corpus(_seeds(seeds), out, per_table)
    path = out / "questions.jsonl"
    path.write_text("".join(json.dumps(q.to_eval_row(), ensure_ascii=False) + "\n" for q in questions),
                    encoding="utf-8")
    settings = replace(Settings(), corpus_dir=corpus, index_dir=out / "index")
    build_index(settings, progress=False)
    answerer = Answerer(load_index(settings.index_dir, settings), settings)
    results = evaluate_answerer(answerer, load_questions(path), progress=False)
    by_id = {q.id: q for q in questions}
    graded = [(by_id[r.id], r.correct, r.abstained) for r in results]
    (out / "results.jsonl").write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results),
                                       encoding="utf-8")
    scores = breakdown(graded)
    click.echo(f"Figure questions on {len(list(corpus.glob('*.pdf')))} generated reports ({len(questions)} questions)")
    wrong = [r for r in results if not r.correct]
    click.echo("\n".join(summary_lines(scores, [] if quiet else wrong, len(wrong), out / "results.jsonl")))
    correct, _, total = scores["all"]
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps({
            "seeds": seeds, "questions": total, "accuracy": round(correct / total, 4) if total else None,
            "by_feature": {f: {"correct": c, "abstained": a, "total": t} for f, (c, a, t) in scores.items()},
            "wrong": [{"id": r.id, "question": r.question, "expected": _expected(r), "answer": r.answer}
                      for r in ([] if quiet else wrong)],
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if min_accuracy is not None and (not total or correct / total < min_accuracy):
        click.echo(f"GATE FAILED: accuracy {correct / max(total, 1):.3f} < {min_accuracy}", err=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
