"""Figure questions answered from typed facts: year logic, trends, restated figures, export.

A figure answer is assembled by code from `Fact`s, never typed by a model: the value is the report's own
printed text, every year and value sits in a cited quote (the table row plus its header), and differences or
percentage changes are computed here and listed in `FigureAnswer.computed`. When a question is not clearly a
figure question, or no fact matches confidently, `answer_figure` returns None and the sentence answerer takes
over — a wrong figure is worse than no figure.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from rag.answer.query import QueryInfo, negated_words
from rag.ingest.organisations import LEGAL_FORMS
from rag.text.grammar import PREPOSITIONS
from rag.text.metrics import (
    INTENSITY_QUESTION,
    INTENSITY_SUFFIX,
    metric_spans,
    normalise_text,
    question_metrics,
)
from rag.text.numbers import find_years, format_number, parse_number, parse_ratio
from rag.text.synonyms import GROUP, PARENT, PLANNED, SUB_YEAR, expand_query, sub_year
from rag.text.units import UnitKind, divisors, is_count_word, scale, unit_kind
from rag.types import Citation, DocMeta, Fact, FigureAnswer, Language

if TYPE_CHECKING:
    from rag.answer.rows import Row, RowIndex, ScoredRow

# --- question analysis ---------------------------------------------------------------------------------

_MARKET = re.compile(r"markedsbaser\w*|markedsbasert\w*|market.based", re.IGNORECASE)
_LOCATION = re.compile(r"lokationsbaser\w*|lokasjonsbasert\w*|location.based", re.IGNORECASE)
_WOMEN = re.compile(r"\b(kvinde\w*|kvinder|kvinne\w*|women|female)\b", re.IGNORECASE)
_MEN = re.compile(r"\b(mænd|mand|menn|mann|male)\b", re.IGNORECASE)
_STYLE_RANK = {
    "tsv": 5,
    "space-rows": 5,
    "year-lines": 4,
    "percent-count": 4,
    "label-value": 3,
    "key-figure": 2,
    "labelled": 2,
    "running-text": 1,
}

_WORDS: dict[Language, dict[str, str]] = {
    "da": {
        "was": "var",
        "in": "i",
        "newest": "Det seneste tal er fra",
        "older": "En ældre rapport angiver",
        "same_year": "for samme år",
        "text_too": "Rapportens tekst nævner",
        "table_named": "Tabellen «{name}» i samme rapport angiver",
        "table_too": "En anden tabel i samme rapport angiver",
        "rose": "steg",
        "fell": "faldt",
        "flat": "var uændret",
        "from": "fra",
        "to": "til",
        "by": "med",
        "pp": "procentpoint",
        "change": "svarende til",
        "series": "Udvikling",
        "target": "Målet er",
        "none": "ingen værdi",
        "men": "mænd",
        "women": "kvinder",
        "count": "personer",
    },
    "nb": {
        "was": "var",
        "in": "i",
        "newest": "Det nyeste tallet er fra",
        "older": "En eldre rapport oppgir",
        "same_year": "for samme år",
        "text_too": "Rapportens tekst nevner",
        "table_named": "Tabellen «{name}» i samme rapport oppgir",
        "table_too": "En annen tabell i samme rapport oppgir",
        "rose": "økte",
        "fell": "falt",
        "flat": "var uendret",
        "from": "fra",
        "to": "til",
        "by": "med",
        "pp": "prosentpoeng",
        "change": "tilsvarende",
        "series": "Utvikling",
        "target": "Målet er",
        "none": "ingen verdi",
        "men": "menn",
        "women": "kvinner",
        "count": "personer",
    },
}


@dataclass(frozen=True)
class _Reading:
    """One fact as it answers the question: the value to print (maybe one side of an m/k ratio)."""

    fact: Fact
    text: str
    value: float | None


def _unit_norm(fact: Fact) -> str:
    unit = normalise_text(fact.unit or "").rstrip(".")
    if "nps" in unit or "skala 100" in unit or "100 til +100" in unit or "100 til 100" in unit:
        return "nps"
    if "%" in unit or "%" in fact.value_text or fact.qualifier == "m/k":
        return "%"
    return unit


def _gender(question: str) -> str | None:
    if _WOMEN.search(question):
        return "kvinder"
    if _MEN.search(question):
        return "mænd"
    return None


def _reading(fact: Fact, gender: str | None, wants_count: bool) -> _Reading | None:
    """How a fact answers the question, or None when it does not fit the gender/count asked for."""
    q = fact.qualifier or ""
    is_count = q.endswith("(antal)")
    if gender is None:
        return None if is_count else _Reading(fact, fact.printed, fact.value)
    if q == "m/k":
        if wants_count:
            return None
        ratio = parse_ratio(fact.value_text)
        if ratio is None:
            return _Reading(fact, fact.value_text, None)
        part = ratio[0] if gender == "mænd" else ratio[1]
        return _Reading(fact, format_number(part), part)
    if q.startswith(gender) and is_count == wants_count:
        return _Reading(fact, fact.printed, fact.value)
    return None


def _has_gender(q: str) -> bool:
    return q.startswith(("mænd", "kvinder"))


def _series_name(fact: Fact) -> tuple[str, str]:
    qualifier = fact.qualifier or ""
    if _has_gender(qualifier) or qualifier == "m/k":
        qualifier = ""
    return fact.metric_key, qualifier


# A row answers when its score clears this; a second row within the margin is given too, with its label.
ROW_THRESHOLD = 0.60
ROW_MARGIN = 0.08
# ... or, below the threshold, when the question names its whole label and no other metric's row is this close.
CLEAR_THRESHOLD = 0.50
CLEAR_MARGIN = 0.15


def _select(
    info: QueryInfo,
    documents: Mapping[str, DocMeta],
    rows: RowIndex,
) -> list[Fact] | None:
    """The facts of the rows that answer the question (see `rag.answer.rows`), or None when none is clear.

    The best row must clear `ROW_THRESHOLD`; rows of other reports of the same organisation with the same
    metric join it as one series (restated or earlier years); a different row that scores within
    `ROW_MARGIN` of the best is given too ("korttids" and "langtids"); without an organisation in the
    question, the same metric of other organisations is given as well, each labelled.
    """
    from rag.answer.rows import content_stems, question_per, question_unit
    question, scope = info.text, info.scope
    allowed = {d for d in documents if scope.allows(d)}
    if not allowed:
        return None
    # A group word in an organisation's own name ("Northwind Group plc") names it; it asks for no group accounts.
    grouped = [n for d in allowed for n in (documents[d].organisation, *documents[d].aliases) if n and GROUP.search(n)]
    unnamed = re.sub("|".join(map(re.escape, grouped)), " ", question, flags=re.I) if grouped else question
    entity = _entity(unnamed)
    # Whose accounts, part of a year or a plan ("budgettet"): said of the column, which the kind of figure asked for
    # takes (`_of_the_kind_asked`), not a word the row's label must have.
    said = [m.group() for m in (PARENT.search(unnamed), GROUP.search(unnamed), SUB_YEAR.search(question),
                                PLANNED.search(question)) if m]
    names = (*scope.org_names, *said)
    ignore = {t for name in names for t in rows.analyzer.base_tokens(name, info.language)}
    # What the question sets aside is no word it asks for, and a row that names it is not the answer.
    excluded = {t for word in info.excluded for t in rows.analyzer.base_tokens(word, info.language)} - ignore
    # The verb says what was done ("kostede", "tjente"); where no row uses it, it is no word a row must have.
    verb = {t for t in rows.analyzer.base_tokens(info.asks.verb or "", info.language) if not rows.uses(t)}
    terms = rows.terms(question, info.language, ignore | excluded | verb, info.written)
    if not terms:
        return None
    trend = info.year_range is not None or len(info.years) >= 2 or info.asks.trend
    years = () if trend else info.years
    intensity = bool(INTENSITY_QUESTION.search(normalise_text(question)))
    keys = [k + INTENSITY_SUFFIX if intensity else k for k in question_metrics(question)]
    asked = UnitKind.UNKNOWN if intensity else question_unit(info)  # "MWh per mio. kr.": a ratio, not money
    per = UnitKind.UNKNOWN if intensity else question_per(info)
    span = range(info.year_range[0], info.year_range[1] + 1) if info.year_range else info.years
    series = tuple(span) if trend else ()
    # Words the question says, required or not ("mængde", "samlet", "konsernet"): a label or column that has them
    # is named by them.
    # Stemmed in each corpus language, as a report of another language stems its column ("mengde": "meng", "mengd").
    implied = frozenset(t for word in said for t in rows.analyzer.base_tokens(word, info.language)) | content_stems(
        t for language in {info.language, *rows.languages} for t in rows.analyzer.base_tokens(question, language)
    )
    divided_by = frozenset(t for word in divisors(question) for t in rows.analyzer.base_tokens(word, info.language))
    ranked = rows.rank(terms, allowed, asked, keys, years, asked_scale=scale(question), asked_per=per, series=series,
                       implied=implied, divided_by=divided_by)
    ranked = _of_the_kind_asked(info, ranked, asked, rows)
    if excluded:  # a row naming what the question sets aside is not its answer, unless it sets it aside as well
        ranked = [r for r in ranked if not excluded & _affirmed(r, rows, info.language)]
    if entity is not None:  # "moderselskabet": not the group's accounts, and the other way round; its own first
        whose = {id(r): _row_entity(r, documents.get(r.row.doc_id)) for r in ranked}
        if entity == "group" and "group" not in whose.values() and not allowed & rows.group_docs:
            return None  # the reports in scope hold no group accounts: the company's own figures are not the group's
        ranked = [r for r in ranked if whose[id(r)] in (entity, None)]
        # A row that says it is the parent company's and answers every word asked beats rows that do not say whose
        # they are: in a report with group accounts those are the group's (the key figures up front, a segment
        # table's total). Asked for the group, such rows stay: they are what the report is about.
        full = max((r.coverage for r in ranked), default=0.0)
        if entity == "parent" and any(whose[id(r)] == entity and r.coverage >= full for r in ranked):
            ranked = [r for r in ranked if whose[id(r)] == entity]
        ranked = sorted(ranked, key=lambda r: -(r.score + _ENTITY_BONUS * (whose[id(r)] == entity)))
    if intensity:
        ranked = [r for r in ranked if _is_intensity(r.row)]
    elif keys:
        ranked = [r for r in ranked if not r.row.facts[0].metric_key.endswith(INTENSITY_SUFFIX)]
    if not ranked or not _confident(ranked):
        return None
    out = _chosen_facts(ranked, documents, named=scope.doc_ids is not None)
    if info.asks.percent and not info.asks.people_count:
        out = [f for f in out if _unit_norm(f) == "%" or "%" in (f.unit or "")] or out
    return out or None


def _is_intensity(row: Row) -> bool:
    """A row of a value divided by something: by its unit ("MWh/mio. kr.", "kg CO2e/m²") or its label's words."""
    first = row.facts[0]
    return (
        first.metric_key.endswith(INTENSITY_SUFFIX)
        or row.per is not UnitKind.UNKNOWN
        or INTENSITY_QUESTION.search(normalise_text(f"{row.label} {first.unit or ''}")) is not None
    )


def _affirmed(scored: ScoredRow, rows: RowIndex, language: Language) -> set[str]:
    """A row label's stems less the words it negates itself ("Sum | ikke ombruk (nye materialer)")."""
    text = f"{scored.row.label} {scored.row.facts[0].qualifier or ''}"
    negated = {t for word in negated_words(text) for t in rows.analyzer.base_tokens(word, language)}
    return set(scored.row.label_stems) - negated


def _of_the_kind_asked(info: QueryInfo, ranked: list[ScoredRow], asked: UnitKind, rows: RowIndex) -> list[ScoredRow]:
    """The rows whose period, kind of value and columns are what the question asks for, in their order."""
    question = info.text
    period = sub_year(question)  # a quarter's figure is not the year's, nor the other way round
    ranked = [r for r in ranked if sub_year(r.row.facts[0].qualifier or "") == period]
    if info.asks.counted and not info.asks.counted_percent and asked is UnitKind.UNKNOWN and scale(question) is None:
        # "hvor mange aktionærer": a count is whole; a row of 31,8 is an amount or a ratio, whatever its label says
        ranked = [r for r in ranked if all(f.value is None or f.value == int(f.value) for f in r.row.facts)]
        if not (info.asks.partitive or info.asks.percent):  # nor by a share: "100 %" counts no business partners
            ranked = [r for r in ranked if r.row.unit is not UnitKind.PERCENT]
        # nor by an amount: "Aktionærernes egenkapital" in a table in "mio. kr." is equity, not shareholders
        ranked = [r for r in ranked if not _in_money(r.row, info.asks.counted, rows, info.language)]
    if PLANNED.search(question):  # "budsjetterte avskrivninger": a budget column, never the accounts
        ranked = [r for r in ranked if _is_planned(r)]
    for method in (_MARKET, _LOCATION):  # "markedsbaseret" in the question, "(market-based)" in the label
        if method.search(question):
            ranked = [r for r in ranked if method.search(f"{r.row.label} {r.row.facts[0].qualifier or ''}")]
    return ranked


def _in_money(row: Row, counted: str, rows: RowIndex, language: Language) -> bool:
    """Whether a row counts money rather than the noun a question counts.

    Its fact's own unit decides; without one, a money unit over it (group, header, table title) does, unless the
    label's head noun is the thing counted ("Antall årsverk" in a table in MNOK counts; "Aktionærernes egenkapital"
    does not count shareholders).
    """
    first = row.facts[0]
    if first.unit:
        return unit_kind(first.unit) is UnitKind.MONEY
    if row.unit is not UnitKind.MONEY:
        return False
    words = re.findall(r"[^\W\d_]+", row.label.split(",")[0].split("(")[0])
    phrase = words[: next((i for i, w in enumerate(words) if w.lower() in PREPOSITIONS), len(words))]
    if not phrase:
        return True
    head = set(rows.analyzer.analyze(phrase[-1], language))
    return not set(rows.analyzer.base_tokens(counted, language)) & head


def _confident(ranked: Sequence[ScoredRow]) -> bool:
    """Whether the best row answers: it clears `ROW_THRESHOLD`, or it stands alone.

    Alone: the question names every word of its label, and no row of another metric comes within
    `CLEAR_MARGIN` ("Hvor store leieinntekter … i fordelingen av inntekter på produkter?" and a row
    "Leieinntekter" under an untitled note: the words about the table are not in the row, yet no other row is close).
    """
    best = ranked[0]
    if best.score >= ROW_THRESHOLD:
        return True
    if best.score < CLEAR_THRESHOLD or best.precision < 1.0:
        return False
    key = best.row.facts[0].metric_key
    runner = next((r.score for r in ranked[1:] if r.row.facts[0].metric_key != key), 0.0)
    return best.score - runner >= CLEAR_MARGIN


def _chosen_facts(ranked: Sequence[ScoredRow], documents: Mapping[str, DocMeta], named: bool) -> list[Fact]:
    """The best row, a close different row of the same organisation, and the rows of the same series."""
    best = ranked[0]
    chosen: list[ScoredRow] = [best]
    labels = {_row_label(best)}
    for other in ranked[1:]:
        if other.score < ROW_THRESHOLD or best.score - other.score > ROW_MARGIN:
            break
        if _row_label(other) in labels or len(labels) >= 2 or _is_total(best) != _is_total(other):
            continue  # a total and one of its parts are not two readings of the question
        if _is_planned(best) != _is_planned(other):
            continue  # nor are a year's figure and its budget
        if other.row.per is not best.row.per:
            continue  # nor are a figure and the same per m2
        if best.found - other.found or best.labelled - other.labelled:
            continue  # the question names a word of the best row the other lacks ("referansebygg"): not a reading
        if _organisation(other.row.doc_id, documents) != _organisation(best.row.doc_id, documents):
            continue
        labels.add(_row_label(other))
        chosen.append(other)
    if not named:  # no organisation asked about: each organisation's own best row, if it answers nearly as well
        seen = {_organisation(best.row.doc_id, documents)}
        for other in ranked[1:]:
            organisation = _organisation(other.row.doc_id, documents)
            if organisation not in seen and other.score >= max(ROW_THRESHOLD, 0.65 * best.score):
                chosen.append(other)
            seen.add(organisation)
    series_keys = {_series_name(r.row.facts[0]) for r in chosen}
    organisations = {_organisation(r.row.doc_id, documents) for r in chosen}
    out: list[Fact] = []
    for scored in ranked:
        first = scored.row.facts[0]
        same_series = _series_name(first) in series_keys
        # The reports the question's organisation scope admits are one series (a renamed company included);
        # without a scope, only the same organisation's reports are.
        same_org = named or _organisation(scored.row.doc_id, documents) in organisations
        # A row of the same report that lacks a word of the question the best row has is another thing
        # ("Vindkraft" over the same "Resultat før skatt"), not another reading of the same figure; another
        # report of the series may name it in other words.
        same_thing = scored.row.doc_id != best.row.doc_id or not (best.found - scored.found)
        if scored in chosen or same_series and same_org and same_thing:
            out.extend(scored.row.facts)
    return out


_ENTITY_BONUS = 0.05


def _entity(text: str, meta: DocMeta | None = None) -> str | None:
    """Whose accounts a text speaks of: the parent company's, the group's, or (None) it does not say.

    A table headed by the organisation's legal name and no group word ("Nordlys AS" beside "Nordlys-konsernet")
    is the parent company's.
    """
    if PARENT.search(text):
        return "parent"
    if GROUP.search(text):
        return "group"
    name = meta.organisation if meta else None
    if not name:
        return None
    bare = re.sub(r"[\s\u00a0]+\S+$", "", name) if name.split()[-1] in LEGAL_FORMS else name  # "Nordlys AS" → "Nordlys"
    said = normalise_text(text)
    return "parent" if re.search(rf"\b{re.escape(normalise_text(bare))}\b", said) else None


def _row_entity(scored: ScoredRow, meta: DocMeta | None) -> str | None:
    """Whose figure a row holds: its column's heading ("Morselskap 2023"), its label, else its table's words.

    A label may say it ("Scope 1 i konsernet").

    A column headed otherwise beside the group's columns ("Selskap" beside "Konsern") is the company's own.
    """
    first = scored.row.facts[0]
    own = _entity(first.qualifier or "") or _entity(scored.row.label)
    # the group's year columns ("Konsern 2023"); a segment table's total column ("Bank-koncernen") beside segments
    # under one year in the corner is the group's too, and so are its segments
    beside = any(GROUP.search(cell) and find_years(cell) for cell in (first.header or "").split("\t"))
    if own is None and first.qualifier and beside and not PLANNED.search(first.qualifier):
        return "parent"
    return own or _entity(_row_context(scored), meta)


def _row_context(scored: ScoredRow) -> str:
    first = scored.row.facts[0]
    return " ".join(x for x in (first.table, first.header, first.section, first.qualifier) if x)


def _is_planned(scored: ScoredRow) -> bool:
    return bool(PLANNED.search(scored.row.facts[0].qualifier or ""))


def _is_total(scored: ScoredRow) -> bool:
    from rag.answer.rows import is_total

    return is_total(scored.row.label) or is_total(scored.row.facts[0].qualifier or "")


def _row_label(scored: ScoredRow) -> str:
    return normalise_text(f"{scored.row.label} {scored.row.facts[0].qualifier or ''}")


def _organisation(doc_id: str, documents: Mapping[str, DocMeta]) -> str:
    meta = documents.get(doc_id)
    return (meta.organisation or doc_id) if meta is not None else doc_id


# Nouns after "hvor mange" that name a unit or the people in a metric rather than the metric itself.
_COUNT_UNITS = frozenset(
    "ton tons tonn tonnes mwh kwh gwh m3 kubikmeter liter procent prosent kvinder mænd kvinner menn personer".split()
)


def _names_the_count(noun: str, facts: Sequence[Fact], rows: RowIndex, language: Language) -> bool:
    """True when the noun counted by "hvor mange" is in the chosen rows' labels or tables ("heltidsmedarbejdere")."""
    stems = set(rows.analyzer.analyze(noun, language))
    stems |= set(expand_query(sorted(stems), language))  # "heltidsansatte" counts "heltidsmedarbejdere"
    text = " ".join(f"{f.metric} {f.table or ''} {f.unit or ''}" for f in facts[:20])
    return bool(stems & set(rows.analyzer.analyze(text, language)))


def _counts_the_metric(question: str, noun: str) -> bool:
    """True when the noun counted by "hvor mange" is a unit, people, or part of a metric the question names."""
    word = normalise_text(noun)
    if word in _COUNT_UNITS:
        return True
    norm = normalise_text(question)
    at = re.search(rf"\b{re.escape(word)}\b", norm)
    spans = metric_spans(question)
    return at is not None and any(a <= at.start() and at.end() <= b for a, b in spans.values())


def _qualifier_named(qualifier: str | None, question: str) -> bool:
    """True when the question names a fact box's business area ("Aleris Fertility" ~ "Fertilitetsbehandling")."""
    if not qualifier:
        return False
    words = normalise_text(question).split()
    return any(len(w) >= 6 and any(q.startswith(w[:6]) for q in words) for w in normalise_text(qualifier).split())


def _doc_year(fact: Fact, documents: Mapping[str, DocMeta]) -> int:
    meta = documents.get(fact.doc_id)
    return meta.year if meta is not None and meta.year is not None else 0


def _rank(reading: _Reading, documents: Mapping[str, DocMeta]) -> tuple[int, int, int]:
    return (
        reading.value is not None,
        _doc_year(reading.fact, documents),
        _STYLE_RANK.get(reading.fact.style or "", 0),
    )


@dataclass
class _Builder:
    """Collects citations in first-use order while the answer text is assembled."""

    documents: Mapping[str, DocMeta]
    citations: list[Citation]
    used: list[Fact]
    computed: list[str]
    show_org: bool = False  # say whose figure it is: several organisations in the corpus or in the answer

    def whose(self, fact: Fact) -> str:
        """The label's suffix " (Organisation)" when the reader cannot tell whose figure it is, else ""."""
        return f" ({_organisation(fact.doc_id, self.documents)})" if self.show_org else ""

    def cite(self, fact: Fact) -> int:
        if fact.printed != fact.value_text:  # an English source's "20,110" printed "20.110": converted by code
            self.computed.append(fact.printed)
        for c in self.citations:
            if c.doc_id == fact.doc_id and c.quote == fact_quote(fact):
                if fact not in self.used:
                    self.used.append(fact)
                return c.n
        meta = self.documents.get(fact.doc_id)
        n = len(self.citations) + 1
        self.citations.append(
            Citation(
                n=n,
                doc_id=fact.doc_id,
                title=meta.title if meta else fact.doc_id,
                page=fact.page,
                section=fact.table or fact.section,
                quote=fact_quote(fact),
            )
        )
        self.used.append(fact)
        return n


def fact_quote(fact: Fact) -> str:
    """The citation quote of a fact: its header line (where the years are named) … its source row."""
    row = " ".join(fact.source_text.split())
    if fact.header:
        header = " ".join(fact.header.split())
        if header not in row:
            return f"{header} … {row}"
    return row


_TABLE_NUMBER = re.compile(
    r"^\s*(?:(?:tabell|tabel|table|tab\.|figur|figure|fig\.)\s*)?(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)*[.:]?\s+(?=[^\W\d_])",
    re.IGNORECASE,
)


def table_name(title: str) -> str:
    """A table's title as an answer names the table: without its number ("Tabell 2.1 Utslipp" → "Utslipp").

    The number is no figure of the report's and is not in the quoted row.
    """
    return _TABLE_NUMBER.sub("", title).strip() or title


def _metric_label(fact: Fact) -> str:
    from rag.answer.rows import is_total

    label = " ".join(fact.metric.replace("*", "").split())
    if is_total(label) and fact.table:  # "I alt" says what it is only with its table: "Skattebetalinger, i alt"
        label = f"{table_name(fact.table)}, {label.lower()}"
    if fact.qualifier and not _has_gender(fact.qualifier) and fact.qualifier != "m/k" and fact.qualifier not in label:
        label = f"{label}, {fact.qualifier}"
    return label


def _with_unit(text: str, fact: Fact, gender: str | None, words: dict[str, str]) -> str:
    unit = (fact.unit or "").strip()
    if fact.qualifier == "m/k" and gender is None:
        return f"{text} ({words['men']}/{words['women']})"
    if gender is not None:
        if (fact.qualifier or "").endswith("(antal)"):
            return f"{text} {words['count']}"
        return text if "%" in text else f"{text} %"
    if not unit or unit in text or is_count_word(unit):
        return text  # "var 231 i 2024", not "var 231 number i 2024"
    if unit == "%":
        return f"{text} %"
    return f"{text} {unit[0].lower() + unit[1:] if unit[:3] == 'Ton' else unit}"


def _group_readings(
    candidates: Sequence[Fact],
    gender: str | None,
    wants_count: bool,
    documents: Mapping[str, DocMeta],
    one_series: bool = False,
) -> dict[tuple[str, str, str], dict[int, list[_Reading]]]:
    """Readings by series: one organisation's metric (figures of two organisations never mix).

    `one_series`: the question named the organisation, so its scope's reports are one series.
    """
    series: dict[tuple[str, str, str], dict[int, list[_Reading]]] = {}
    for fact in candidates:
        reading = _reading(fact, gender, wants_count)
        if reading is None:
            continue
        key = ("" if one_series else _organisation(fact.doc_id, documents), *_series_name(fact))
        series.setdefault(key, {}).setdefault(fact.year, []).append(reading)
    return series


def _other_source(other: Fact, best: Fact, w: dict[str, str]) -> str:
    """Where a different value for the same year comes from: an older report, the text, or another table.

    Another table of the same report is named: it often covers another scope (the parent company, a segment).
    """
    if other.doc_id != best.doc_id:
        return w["older"]
    if other.style == "running-text":
        return w["text_too"]
    from rag.text.units import without_units

    def names(text: str) -> bool:  # a title or header cell that names something, not only a unit, note or period
        words = re.findall(r"[^\W\d_]{3,}", without_units(text))
        return bool(words) and words[0].lower() != "note" and sub_year(text) is None

    cells = [re.sub(r"\b(?:19|20)\d\d\b", "", c).strip() for c in (other.header or "").split("\t")]
    title = table_name(other.table or "")
    name = title if names(title) else " ".join(c for c in cells if names(c))  # "Nordlys AS" over its columns
    return w["table_named"].format(name=name) if name else w["table_too"]


def _alternatives(best: _Reading, readings: Sequence[_Reading]) -> list[_Reading]:
    """Readings of the same metric and year that state a different value in the same unit."""
    out: list[_Reading] = []
    for r in readings:
        if r is best or r.value is None or best.value is None:
            continue
        if _unit_norm(r.fact) != _unit_norm(best.fact) or abs(r.value - best.value) < 1e-9:
            continue
        if any(abs((o.value or 0) - r.value) < 1e-9 for o in out):
            continue
        out.append(r)
    return out


def _single_year(
    b: _Builder, readings: Sequence[_Reading], year: int, explicit: bool, gender: str | None, w: dict[str, str]
) -> str:
    ordered = sorted(readings, key=lambda r: _rank(r, b.documents), reverse=True)
    best = ordered[0]
    n = b.cite(best.fact)
    value = _with_unit(best.text, best.fact, gender, w)
    label = _metric_label(best.fact) + (f", {w['women'] if gender == 'kvinder' else w['men']}" if gender else "")
    if label[:1].islower() and label[1:2].islower():
        label = label[:1].upper() + label[1:]  # "forretningsforbindelser" → "Forretningsforbindelser", not "ENPS"
    if str(year) not in fact_quote(best.fact):
        # The year comes from the report, not the table (columns are categories): say no year the quote lacks.
        sentence = f"{label}{b.whose(best.fact)}: {value} [{n}]."
    else:
        sentence = f"{label}{b.whose(best.fact)} {w['was']} {value} {w['in']} {year} [{n}]."
        if not explicit:
            sentence = f"{w['newest']} {year}: {sentence}"
    for alt in _alternatives(best, ordered):
        m = b.cite(alt.fact)
        alt_value = _with_unit(alt.text, alt.fact, gender, w)
        sentence += f" {_other_source(alt.fact, best.fact, w)} {alt_value} {w['same_year']} [{m}]."
    return sentence


def _trend(
    b: _Builder, by_year: Mapping[int, Sequence[_Reading]], years: Sequence[int], gender: str | None, w: dict[str, str]
) -> str:
    parts: list[str] = []
    points: list[tuple[int, _Reading]] = []
    previous: int | None = None
    for year in years:
        readings = sorted(by_year[year], key=lambda r: (_rank(r, b.documents), r.fact.start == previous), reverse=True)
        best = readings[0]
        previous = best.fact.start
        n = b.cite(best.fact)
        shown = best.text if best.value is not None else "—"
        parts.append(f"{year}: {shown} [{n}]")
        if best.value is not None:
            points.append((year, best))
    first = points[0][1].fact if points else by_year[years[0]][0].fact
    unit = _with_unit("", first, gender, w).strip()
    who = f", {w['women'] if gender == 'kvinder' else w['men']}" if gender else ""
    head = f"{w['series']} for {_metric_label(first)}{who}{b.whose(first)}" + (f" ({unit})" if unit else "") + ": "
    text = head + "; ".join(parts) + "."
    if len(points) >= 2:
        text += " " + _change(b, points[0], points[-1], first, w)
    return text


def _change(b: _Builder, start: tuple[int, _Reading], end: tuple[int, _Reading], fact: Fact, w: dict[str, str]) -> str:
    (y0, r0), (y1, r1) = start, end
    v0, v1 = r0.value or 0.0, r1.value or 0.0
    scale = _printed_scale(r0)
    if scale != 1.0 and abs(_printed_scale(r1) - scale) < 1e-9:
        v0, v1 = v0 / scale, v1 / scale  # "750 mio" → "903 mio" changed by 153 mio, printed in millions
    diff = v1 - v0
    verb = w["rose"] if diff > 0 else w["fell"] if diff < 0 else w["flat"]
    decimals = max(_decimals(r0.text), _decimals(r1.text))
    percent_unit = _unit_norm(fact) == "%"
    if abs(diff) < 1e-12:
        return f"{w['from'].capitalize()} {y0} {w['to']} {y1} {verb}."
    # thousands grouped as the report groups them ("6 283 771" beside "-8 402 311", "1.177" beside "1.289")
    spaced = re.search(r"\d[ \u00a0]\d{3}", f"{r0.text} {r1.text}") is not None
    diff_text = format_number(abs(diff), decimals, separator=" " if spaced else ".")
    b.computed.append(diff_text)
    unit = w["pp"] if percent_unit else (_with_unit("", fact, None, w).strip() or "")
    text = f"{w['from'].capitalize()} {y0} {w['to']} {y1} {verb} tallet {w['by']} {diff_text}" + (
        f" {unit}" if unit else ""
    )
    if v0 != 0 and not percent_unit:
        rel = diff / abs(v0) * 100
        rel_text = ("+" if rel > 0 else "") + format_number(rel, 1)
        b.computed.append(rel_text)
        text += f" ({w['change']} {rel_text} %)"
    elif v0 != 0 and percent_unit:
        rel = diff / abs(v0) * 100
        rel_text = ("+" if rel > 0 else "") + format_number(rel, 1)
        b.computed.append(rel_text)
        text += f" ({w['change']} {rel_text} % relativt)"
    return text + "."


def _printed_scale(reading: _Reading) -> float:
    """The factor a printed value carries in words ("750 mio" is 750 × 1.000.000), so changes print alike."""
    m = re.match(r"[-−]?\d[\d.,]*", reading.text)
    base = parse_number(m.group()) if m else None
    if not base or reading.value is None:
        return 1.0
    return reading.value / base


def _decimals(text: str) -> int:
    m = re.search(r",(\d+)", text)
    return len(m.group(1)) if m else 0


def _target_sentence(b: _Builder, readings: Sequence[_Reading], w: dict[str, str]) -> str | None:
    with_target = [r for r in readings if r.fact.target]
    if not with_target:
        return None
    best = max(with_target, key=lambda r: (_doc_year(r.fact, b.documents), r.fact.year))
    n = b.cite(best.fact)
    unit = (best.fact.unit or "").strip()
    target = best.fact.target or ""
    shown = f"{target} {unit}" if unit == "%" and "%" not in target else target
    return f"{w['target']} {shown} [{n}]."


def answer_figure(
    info: QueryInfo,
    facts: Sequence[Fact],
    documents: Mapping[str, DocMeta],
    *,
    rows: RowIndex | None = None,
) -> FigureAnswer | None:
    """Answer a figure question from facts with row citations, or None to let the sentence answerer try.

    Recognises the metric (Danish/Norwegian/English phrasings) and years (explicit, ranges, "sidste år");
    no year → the newest value, saying which year; a span of years or "udvikling" → the series with the
    change computed here; the same metric and year in several reports → the newest report's value, the
    others mentioned with their own citations.
    """
    question, scope = info.text, info.scope
    if info.asks.not_figure:
        return None
    if not (info.asks.figure or info.years):
        return None
    if rows is None:
        from rag.answer.rows import RowIndex

        rows = RowIndex(facts, documents)
    candidates = _select(info, documents, rows)
    if not candidates:
        return None
    from rag.answer.rows import question_unit

    measured = question_unit(info) is not UnitKind.UNKNOWN  # "hvor mange kg betong": an amount, not a count
    if (
        info.asks.counted
        and not measured
        and not info.asks.percent_value
        and not _counts_the_metric(question, info.asks.counted)
    ):
        if not _names_the_count(info.asks.counted, candidates, rows, info.language):
            return None  # "hvor mange spørsmål må forretningsforbindelsene svare på" is not about their number
    gender = _gender(question) if any(f.metric_key.startswith("koen") for f in candidates) else None
    named = scope.doc_ids is not None
    series = _group_readings(candidates, gender, info.asks.people_count, documents, one_series=named)
    if not series:
        return None
    w = _WORDS[info.language]
    organisations = {_organisation(f.doc_id, documents) for f in candidates}
    everyone = {_organisation(d, documents) for d in documents}
    unnamed = scope.doc_ids is None
    b = _Builder(documents, [], [], [], show_org=unnamed and (len(organisations) > 1 or len(everyone) > 1))
    sentences = _compose(b, series, info, gender, w)
    if not sentences:
        return None
    return FigureAnswer(
        text=" ".join(sentences),
        citations=tuple(b.citations),
        facts=tuple(b.used),
        computed=tuple(b.computed),
    )


def _compose(
    b: _Builder,
    series: Mapping[tuple[str, str, str], Mapping[int, Sequence[_Reading]]],
    info: QueryInfo,
    gender: str | None,
    w: dict[str, str],
) -> list[str]:
    years, year_range = info.years, info.year_range
    trend = year_range is not None or len(years) >= 2 or info.asks.trend
    sentences: list[str] = []
    for _name, by_year in list(series.items())[:4]:
        with_value = sorted(y for y, rs in by_year.items() if any(r.value is not None for r in rs))
        if trend:
            lo, hi = year_range or ((min(years), max(years)) if len(years) >= 2 else (None, None))
            span = [y for y in sorted(by_year) if (lo is None or lo <= y) and (hi is None or y <= hi)]
            if lo is not None and (lo not in with_value or hi not in with_value):
                continue
            if len([y for y in span if y in with_value]) < 2:
                continue
            sentences.append(_trend(b, by_year, span, gender, w))
            continue
        if years:
            year = years[0]
            if year not in with_value:
                continue
            sentences.append(_single_year(b, by_year[year], year, True, gender, w))
        elif with_value:
            year = with_value[-1]
            sentences.append(_single_year(b, by_year[year], year, False, gender, w))
        if info.asks.target:
            readings = [r for rs in by_year.values() for r in rs]
            target = _target_sentence(b, readings, w)
            if target:
                sentences.append(target)
    return list(dict.fromkeys(sentences))  # two tables printing the same row say it once


# --- export -------------------------------------------------------------------------------------------


def select_facts(facts: Sequence[Fact], metric: str | None = None, doc_id: str | None = None) -> list[Fact]:
    """Facts for `rag facts`: filtered by document id and by metric (key, vocabulary phrase or label text)."""
    out = [f for f in facts if doc_id is None or f.doc_id == doc_id]
    if metric:
        wanted = normalise_text(metric)
        keys = set(question_metrics(metric))
        out = [
            f
            for f in out
            if f.metric_key == metric
            or f.metric_key.removesuffix(INTENSITY_SUFFIX) in keys
            or wanted in normalise_text(f.metric)
        ]
    return sorted(out, key=lambda f: (f.doc_id, f.start, f.year, f.qualifier or ""))


CSV_COLUMNS = (
    "doc_id",
    "metric",
    "metric_key",
    "qualifier",
    "year",
    "value_text",
    "value",
    "unit",
    "target",
    "table",
    "style",
    "page",
    "start",
    "end",
    "source_text",
)


def write_facts_csv(facts: Sequence[Fact], out: TextIO) -> None:
    """Write facts as CSV (one row per fact, with its source line) for the communications team's spreadsheet."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in facts:
        writer.writerow(
            [
                f.doc_id,
                f.metric,
                f.metric_key,
                f.qualifier or "",
                f.year,
                f.value_text,
                "" if f.value is None else repr(f.value),
                f.unit or "",
                f.target or "",
                f.table or "",
                f.style or "",
                "" if f.page is None else f.page,
                f.start,
                f.end,
                " ".join(f.source_text.split()),
            ]
        )
