"""Figure questions on generated reports: the whole answer path scored on tables no rule was written for.

Why: the layout check says whether a table is *read* right; a user meets whether a question is *answered*
right. The unseen documents are few, and their held-out part may not be looked at. Generated corpora are
unlimited and their truth is known: several invented organisations in one corpus (languages, notations and
table layouts drawn from the seed), each printed cell a question in the way a user asks it ("Hvad var
<row label> for <organisation> i <year>?"), answered by the evidence-first `Answerer` over a freshly built
index, graded as `rag eval` grades, broken down by layout feature. A Nynorsk report is asked about in Nynorsk,
Bokmål or Danish; an income statement with a budget column is asked for the year's actual figure and for its budget.
A figure the running text states and no table prints is asked for like a table's (`kind:sentence`); a building
table's building part is named with or without its code, its module by the module or by its name, and of a pair
printed per m² and in total the question says which (`twin:`); a comparison of a reference building with the design
is asked for either building's figure or the reduction (`family:comparison`). A report that draws the digits of
formulas and powers as sub- and superscripts ("CO2e", "m²") marks every question about it `typeset:yes`, the others
`typeset:no`.

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
from typing import TYPE_CHECKING, NamedTuple

import click

from rag.eval.synthetic import (
    PHASES,
    Notation,
    SynthLanguage,
    SynthReport,
    SynthTable,
    Twin,
    absent_metrics,
    format_number,
    generate_corpus,
    phase_name,
    translate_label,
)

if TYPE_CHECKING:
    from rag.eval.evaluate import EvalResult

# A printed figure: digits with the notation's separators, perhaps signed; a dash or a word is no figure.
_FIGURE = re.compile(r"^[-\u2212]?\d[\d.,\u00a0 ]*$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")

# How a user asks for one figure, per question language: (row label, organisation, year).
_ASK: dict[SynthLanguage, str] = {
    "da": "Hvad var {label} for {org} i {year}?",
    "nb": "Hva var {label} for {org} i {year}?",
    "nn": "Kva var {label} for {org} i {year}?",
}
# A figure of a category-column table: (column heading, row label, organisation, year).
_ASK_CATEGORY: dict[SynthLanguage, str] = {
    "da": "Hvad var {column} for {label} hos {org} i {year}?",
    "nb": "Hva var {column} for {label} hos {org} i {year}?",
    "nn": "Kva var {column} for {label} hos {org} i {year}?",
}
# A statement's budget for a year, printed beside the year's actual figure: (row label, organisation, year).
_ASK_BUDGET: dict[SynthLanguage, str] = {
    "da": "Hvad var budgettet for {label} for {org} i {year}?",
    "nb": "Hva var budsjettet for {label} for {org} i {year}?",
    "nn": "Kva var budsjettet for {label} for {org} i {year}?",
}
# A figure of a comparison of a reference building with the design: (building part, organisation, year) per column.
_ASK_COMPARISON: dict[SynthLanguage, dict[str, str]] = {
    "da": {"reference": "Hvad var {label} i referencebygningen hos {org} i {year}?",
           "design": "Hvad var {label} for den projekterede bygning hos {org} i {year}?",
           "reduction": "Hvor stor var reduktionen for {label} hos {org} i {year}?"},
    "nb": {"reference": "Hva var {label} i referansebygget hos {org} i {year}?",
           "design": "Hva var {label} for prosjektert bygg hos {org} i {year}?",
           "reduction": "Hvor stor var reduksjonen for {label} hos {org} i {year}?"},
    "nn": {"reference": "Kva var {label} i referansebygget hos {org} i {year}?",
           "design": "Kva var {label} for prosjektert bygg hos {org} i {year}?",
           "reduction": "Kor stor var reduksjonen for {label} hos {org} i {year}?"},
}
# Which of a building table's pair a question asks about, said after the building part: per m² of floor area, or in
# total (or in the total's unit: "i tonn CO2e").
_PER_M2_WORDS: dict[SynthLanguage, tuple[str, ...]] = {
    "da": ("pr. m²", "pr. kvadratmeter", "i kg CO2e pr. kvadratmeter"),
    "nb": ("per m²", "per kvadratmeter", "i kg CO2e per kvadratmeter"),
    "nn": ("per m²", "per kvadratmeter", "i kg CO2e per kvadratmeter"),
}
_TOTAL_WORDS: dict[SynthLanguage, tuple[str, ...]] = {"da": ("i alt", "samlet"), "nb": ("totalt", "samlet"),
                                                       "nn": ("totalt", "samla")}
_TONNES: dict[SynthLanguage, str] = {"da": "ton", "nb": "tonn", "nn": "tonn"}
_CODE = re.compile(r"^(\d\d) (.+)$")  # a building part after its NS 3451 code ("23 Yttervegger")
_WITH_CODE_SHARE = 0.25  # of the questions about a building table with codes name the part with its code
_BY_NAME_SHARE = 0.4  # of the questions about a module headed with its name name it by the name ("transport")
# Who asks about a Nynorsk report: a Nynorsk user in the report's words, a Bokmål or a Danish one in theirs.
_NYNORSK_ASKERS: tuple[tuple[SynthLanguage, float], ...] = (("nn", 0.4), ("nb", 0.8), ("da", 1.0))


@dataclass(frozen=True)
class FigureQuestion:
    """One generated question with its truth and the layout features of the cell it asks for.

    `report_features` are those of the whole report it asks about, as drawn (`typeset:yes`); `breakdown` counts
    them as it counts `features`.
    """

    id: str
    question: str
    lang: str
    answer: str
    source: str
    page: int
    features: tuple[str, ...]
    report_features: tuple[str, ...] = ()

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


def _nynorsk_asker(rng: random.Random) -> SynthLanguage:
    """The language of one question about a Nynorsk report: Nynorsk 40 %, Bokmål 40 %, Danish 20 % of the time."""
    roll = rng.random()
    return next(language for language, upto in _NYNORSK_ASKERS if roll < upto)


def _eval_lang(language: SynthLanguage) -> str:
    """A question's language as `rag eval` knows them (da, nb): a Nynorsk question is a Norwegian one."""
    return "nb" if language == "nn" else language


def _spoken(label: str, unit: str) -> str:
    """A label as a user says it: without the unit printed after it in brackets ("Farligt affald (tons)")."""
    return label.removesuffix(f"({unit})").strip() if unit and label.endswith(f"({unit})") else label


class _Figure(NamedTuple):
    """A figure cell of a table as a question asks for it."""

    metric: str  # the row label (or the metric's column header) as said; a building part without its code
    year: str  # "" in a category-column table
    column: str  # a category column's heading; "" otherwise
    text: str  # as printed
    budget: bool = False  # a statement's budget for the year, not the year's actual figure
    # A building table's cell (`_building`): the part's code, the module and its printed name, the comparison's
    # column ("reference", "design", "reduction"), the cell's unit and so its measure ("per-m2", "total", "?" for
    # none printed), and whether it is in the total column.
    code: str = ""
    module: str = ""
    name: str = ""
    compare: str = ""
    unit: str = ""
    measure: str = ""
    total: bool = False

    @property
    def key(self) -> tuple[str, str, str, bool]:
        """What a question about it names: a year's budget and its actual figure are two questions.

        A building table's module is named by the module, whatever the header says besides ("A1-A3 (kg CO2e)").
        """
        return self.metric.casefold(), self.year, (self.module or self.column).casefold(), self.budget


def _building(figure: _Figure, table: SynthTable, j: int, language: SynthLanguage) -> _Figure:
    """A building table's cell with what a question may say of it: the part's code, the module's name, the measure."""
    label, code = figure.metric, ""
    if table.codes and (match := _CODE.match(label)):
        code, label = match.groups()
    lines = [line[j + 1] for n, line in enumerate(table.header_rows)
             if line[j + 1] and not any(n == at and first <= j <= last for at, first, last in table.header_spans)]
    module = lines[0].split(" ", 1)[0] if lines and lines[0].split(" ", 1)[0] in PHASES else ""
    name = phase_name(module, language) if module and table.phase_names else ""
    compare = ("reference", "design", "reduction")[j] if table.family == "comparison" else ""
    unit = figure.unit
    measure = "?" if not unit else "per-m2" if unit.endswith("/m²") else "total"
    return figure._replace(metric=label, code=code, module=module, name=name, compare=compare, measure=measure,
                           total=table.column_kinds[j] == "total")


def _cells(table: SynthTable, language: SynthLanguage = "nb") -> Iterable[_Figure]:
    """Each figure cell of a table: metric as said, year or "", column heading or "", printed text, budget or not.

    A building table's cell says more (`_building`); `language` is its report's, for a module's name.
    """
    columns = table.columns
    for row in table.rows:
        if row.group or row.total:
            continue
        for j, text in enumerate(row.cells):
            kind = table.column_kinds[j] if j < len(table.column_kinds) else ""
            unit = row.units[j] if j < len(row.units) else ""
            if table.years_as == "columns" and kind in ("year", "budget") and _YEAR.match(columns[j].split()[-1]):
                # "Regnskap 2024", "Budsjett 2024": the year is the header's last word
                yield _Figure(_spoken(row.label, unit), columns[j].split()[-1], "", text, kind == "budget")
            elif table.years_as == "rows" and kind == "metric" and _YEAR.match(row.label):
                yield _Figure(_spoken(columns[j], unit), row.label, "", text)
            elif table.years_as == "none" and kind in ("category", "total"):
                # A heading spanning several columns ("Treatment (tonnes)" over "Recycling", "Sum") is not said.
                own = table.header_rows[-1][j + 1] if table.header_spans else columns[j]
                figure = _Figure(row.label, "", own or columns[j], text, unit=unit)
                yield _building(figure, table, j, language) if table.family in ("phases", "comparison") else figure


def _pick(usable: list[_Figure], n: int, rng: random.Random) -> list[_Figure]:
    """`n` figures of a table to ask for; with a budget column, one budget and the others the years' actual figures.

    A reader that takes the budget for the year's figure, or the other way round, fails one of them.
    """
    budget = [f for f in usable if f.budget]
    if not budget or n < 1:
        return rng.sample(usable, min(n, len(usable)))
    actual = [f for f in usable if not f.budget]
    return [rng.choice(budget), *rng.sample(actual, min(n - 1, len(actual)))]


def _wording(report: SynthReport, metric: str, asked: SynthLanguage, column: bool,
             rng: random.Random) -> tuple[str | None, SynthLanguage]:
    """The language a question about a figure is asked in, and the metric's name in it when not as printed (None).

    A Nynorsk report is asked about in Nynorsk by the label as printed, or in Bokmål or Danish by the metric's name
    there. Half the questions about an English report, and a quarter about a Nordic one, name the metric in the
    asker's own words (a Danish reader of a Norwegian report): what the words of the label miss. A column's heading
    is said as printed, in the asker's language.
    """
    if report.language == "nn":
        language = _nynorsk_asker(rng)
        translated = translate_label(metric, "nn", language) if language != "nn" and not column else None
        return (translated if translated and translated.casefold() != metric.casefold() else None), language
    language = asked
    if report.language != "en" and rng.random() < 0.25:
        language = _other_nordic(report.language)
    translated = translate_label(metric, report.language, language) if not column else None
    keep = report.language == "en" and rng.random() < 0.5
    if translated is None or language == report.language or keep:
        translated, language = None, asked
    return translated, language


def _unique(figure: _Figure, measures: list[str], twin: Twin) -> bool:
    """Whether one cell answers a question about the figure: alone, or alone in its measure when the question says it.

    A building table printed per m² and in total is asked about with its measure named; a cell of no printed unit
    ("?") may be either.
    """
    if len(measures) == 1:
        return True
    return bool(twin) and sum(m in (figure.measure, "?") for m in measures) == 1


def _measure_words(figure: _Figure, language: SynthLanguage, said: random.Random) -> str:
    """How a question says which of a building table's pair it asks about: "per m²", "totalt", "i tonn CO2e"."""
    if figure.measure == "per-m2":
        return said.choice(_PER_M2_WORDS[language])
    in_unit = "i kg CO2e" if figure.unit.startswith("kg") else f"i {_TONNES[language]} CO2e"
    return in_unit if figure.total else said.choice((*_TOTAL_WORDS[language], in_unit))


def _drawn(report: SynthReport) -> tuple[str, ...]:
    """The features of how the whole report is drawn: its formulas and powers typeset as sub- and superscripts."""
    return (f"typeset:{'yes' if report.typeset else 'no'}",)


def _building_question(figure: _Figure, table: SynthTable, report: SynthReport, language: SynthLanguage,
                       said: random.Random) -> tuple[str, tuple[str, ...]]:
    """A question about a building table's cell, and its features.

    The building part as a user says it, now and then with its code ("23 Yttervegger"); the module by the module or,
    headed with its name, by the name ("transport"); of a pair, the measure after the part. A comparison asks for
    the reference building's figure, the design's or the reduction.
    """
    if table.family == "comparison":
        question = _ASK_COMPARISON[language][figure.compare].format(label=_phrase(figure.metric), org=report.org,
                                                                    year=report.year)
        return question, (f"compare:{figure.compare}",)
    features = [f"codes:{'yes' if table.codes else 'no'}", f"phase-names:{'yes' if table.phase_names else 'no'}"]
    label = figure.metric
    if figure.code and said.random() < _WITH_CODE_SHARE:
        label = f"{figure.code} {label}"
        features.append("asked:code")
    column = figure.module if figure.module and (table.phase_names or table.twin) else figure.column
    column = _spoken(column, figure.unit) if table.twin else column
    if figure.name and said.random() < _BY_NAME_SHARE:
        column = figure.name
        features.append("asked:phase-name")
    label = _phrase(label)
    if table.twin:
        label = f"{label} {_measure_words(figure, language, said)}"
        features.append(f"twin:{table.twin}")
    question = _ASK_CATEGORY[language].format(column=_phrase(column), label=label, org=report.org, year=report.year)
    return question, tuple(features)


def report_questions(report: SynthReport, doc_id: str, rng: random.Random, per_table: int = 2) -> list[FigureQuestion]:
    """Up to `per_table` questions per table of a report, each about a figure no other cell shares a question with.

    A building table in a new form (codes, module names, one of a pair printed per m² and in total, a comparison) is
    asked `per_table` more. The pairs and comparisons are asked about from a stream of their own, as are the more
    questions, and what a question about a building table says of its part and module from another: the questions
    about the other tables stay as they were.
    """
    asked = _asking(report.language, report.seed)
    found: dict[tuple[str, str, str, bool], list[str]] = defaultdict(list)
    for page in report.pages:
        for table in page.tables:
            for figure in _cells(table, report.language):
                found[figure.key].append(figure.measure)
    own = random.Random(f"qa-building-{doc_id}")
    said = random.Random(f"qa-said-{doc_id}")
    out: list[FigureQuestion] = []
    for p, page in enumerate(report.pages):
        for t, table in enumerate(page.tables):
            stream = own if table.twin or table.family == "comparison" else rng
            usable = [f for f in _cells(table, report.language)
                      if _unique(f, found[f.key], table.twin) and figure_value(f.text, report.notation) is not None]
            picked = [(figure, stream) for figure in _pick(usable, per_table, stream)]
            if table.codes or table.phase_names or table.twin or table.family == "comparison":
                rest = [f for f in usable if f not in {f for f, _ in picked}]
                picked += [(figure, own) for figure in own.sample(rest, min(per_table, len(rest)))]
            for n, (figure, stream) in enumerate(picked):
                metric, year, column, text, budget = figure[:5]
                value = figure_value(text, report.notation)
                assert value is not None
                answer = format_number(value, _decimals(text, report.notation), "dot-comma")
                translated, language = _wording(report, metric, asked, bool(column), stream)
                building: tuple[str, ...] = ()
                if table.family in ("phases", "comparison"):
                    question, building = _building_question(figure, table, report, language, said)
                else:
                    template = (_ASK_BUDGET[language] if budget else _ASK_CATEGORY[language] if column else
                                _ASK[language])
                    question = template.format(label=_phrase(translated or metric), column=_phrase(column),
                                               org=report.org, year=year or report.year)
                statement = bool(table.notes)  # only a statement prints a column of note references
                features: tuple[str, ...] = (
                    "kind:statement" if statement else f"kind:{table.kind}", f"family:{table.family or '-'}",
                    f"report:{report.language}", f"asked:{language}", f"unit:{table.unit_style}",
                    f"words:{'translated' if translated else 'label'}", *building,
                )
                if statement:  # the year's actual figure or its budget, in a statement with a budget column or not
                    features += (f"column:{'budget' if budget else 'actual'}",
                                 f"statement:{'budget' if 'budget' in table.column_kinds else 'plain'}")
                out.append(FigureQuestion(f"sq-{doc_id}-p{p + 1}t{t + 1}-{n + 1}", question, _eval_lang(language),
                                          answer, doc_id, page.number, features, _drawn(report)))
    return out


def sentence_questions(report: SynthReport, doc_id: str, rng: random.Random) -> list[FigureQuestion]:
    """A question about each figure the report's running text states (`SynthReport.stated`), as a table's is asked.

    No table prints its metric and the text states it once a year, so the question has one answer; `year:previous`
    marks the year before's figure, said after the year's ("mot 5,4 % året før").
    """
    asked = _asking(report.language, report.seed)
    out: list[FigureQuestion] = []
    for k, figure in enumerate(report.stated):
        metric = figure.names[report.language]
        value = figure_value(figure.text, report.notation)
        assert value is not None
        answer = format_number(value, _decimals(figure.text, report.notation), "dot-comma")
        translated, language = _wording(report, metric, asked, False, rng)
        question = _ASK[language].format(label=_phrase(translated or metric), org=report.org, year=figure.year)
        features = ("kind:sentence", "family:-", f"report:{report.language}", f"asked:{language}",
                    f"words:{'translated' if translated else 'label'}",
                    f"year:{'previous' if figure.year < report.year else 'current'}", f"order:{figure.order}")
        out.append(FigureQuestion(f"sq-{doc_id}-text-{k + 1}", question, _eval_lang(language), answer, doc_id,
                                  figure.page, features, _drawn(report)))
    return out


def absent_questions(report: SynthReport, doc_id: str, rng: random.Random, n: int = 2) -> list[FigureQuestion]:
    """Up to `n` questions about metrics the organisation's report prints nowhere: the answer is an abstention.

    Asked in the asker's words, or for an English report in the report's half the time, and about a Nynorsk report
    in Nynorsk, Bokmål or Danish, as the figure questions are: what a lexicon of words across languages may wrongly
    find.
    """
    asked = _asking(report.language, report.seed)
    absent = absent_metrics(report)
    out: list[FigureQuestion] = []
    for k, names in enumerate(rng.sample(absent, min(n, len(absent)))):
        if report.language == "nn":  # in Nynorsk, Bokmål or Danish, as the figure questions about it are
            language = _nynorsk_asker(rng)
            name = names[language]
            words = "label" if name.casefold() == names["nn"].casefold() else "translated"
        else:
            own = report.language == "en" and rng.random() < 0.5
            language, name = asked, names["en" if own else asked]
            words = "label" if own or report.language == asked else "translated"
        question = _ASK[language].format(label=_phrase(name), org=report.org, year=report.year)
        features = ("kind:unanswerable", f"report:{report.language}", f"asked:{language}", f"words:{words}")
        out.append(FigureQuestion(f"sq-{doc_id}-absent-{k + 1}", question, _eval_lang(language), "", doc_id, 0,
                                  features, _drawn(report)))
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
            questions += sentence_questions(report, path.stem, random.Random(f"qa-text-{path.stem}"))
            questions += absent_questions(report, path.stem, random.Random(f"qa-absent-{path.stem}"))
    # No manifest: a generated report names its organisation and year only in its running header, and the
    # reader must find them there, as it must in a user's report.
    return corpus, questions


def breakdown(results: Sequence[tuple[FigureQuestion, bool, bool]]) -> dict[str, tuple[int, int, int]]:
    """(correct, abstained, total) per feature, "all" first."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for question, correct, abstained in results:
        for feature in ("all", *question.features, *question.report_features):
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
