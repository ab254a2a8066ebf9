"""Evidence-first answering without a language model: facts for figures, else the best sentences, else abstain.

The best sentences are not pasted: `rag.answer.compose` writes the answer around the span they hold (a name,
a number with its noun, a date, a place, a list) and keeps the sentence as the citation's quote. Every number in
an answer comes from a cited quote (or from code arithmetic over cited facts), so the answer can be checked
against the report by a person.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from langchain_core.runnables import RunnableLambda

from rag.answer.compose import NAME_LINE, NUMBER_WORDS, Evidence, compose_answer, explain_gap, number_words
from rag.answer.figures import answer_figure
from rag.answer.query import QueryInfo, parse_query, stated_years, validate_question, years_in
from rag.answer.retrieve import Filters, HybridRetriever
from rag.answer.rows import RowIndex, question_per
from rag.answer.scope import Scoper
from rag.config import Settings
from rag.index import Index
from rag.text.analysis import analyze, default_analyzer
from rag.text.grammar import CHANGE_WORDS, PERIOD_WORDS
from rag.text.headings import looks_like_heading
from rag.text.language import ABSTAIN, written
from rag.text.numbers import NumberMatch, find_numbers, is_change, is_reference
from rag.text.sentences import next_sentence, raw_sentences
from rag.text.synonyms import expand_query, translate_words
from rag.text.units import PRINTED_UNIT, SCALED_MONEY, UnitKind, ratio, unit_kind, unit_kinds
from rag.types import Answer, Chunk, Hit, Language, OrgScope

# Question words and fillers that say nothing about where the answer is.
_QUESTION_WORDS = {
    "hvad",
    "hva",
    "hvor",
    "hvordan",
    "hvilken",
    "hvilke",
    "hvilket",
    "hvem",
    "hvornår",
    "når",
    "hvorfor",
    "mange",
    "stor",
    "store",
    "stort",
    "høj",
    "højt",
    "høy",
    "høyt",
    "lav",
    "lavt",
    "meget",
    "mye",
    "var",
    "er",
    "vores",
    "vår",
    "våre",
    "rapporten",
    "rapporterne",
    "rapportene",
    "fortæl",
    "fortell",
    "om",
    "beskriv",
    "gør",
    "gjør",
    "har",
    "havde",
    "hadde",
    *PERIOD_WORDS,
    # Units the number requirement already covers; reports write "%" where questions say "procent".
    "procent",
    "prosent",
    "pct",
}
# "Hvor ofte …" is answered by a rate ("0,01%", "800 gange") or a frequency word ("halvårlig", "hvert år").
_FREQUENCY_WORDS = re.compile(
    r"\b(\w*årlig\w*|\w*månedlig\w*|ugentlig\w*|ukentlig\w*|daglig\w*|kvartalsvis|løbende|løpende|"
    r"hver[te]? (dag|uge|uke|måned|år|kvartal)|gang(e|er)? (om|i|pr\.?|per))\b",
    re.I,
)
# Money questions need an amount with a currency or scale, not just any number.
_AMOUNT = re.compile(r"\b(kr\.?|kroner|dkk|nok|eur|mio\.?|mia\.?|mill\.?|millioner|milliarder)(?!\w)", re.I)
_POOL = 48
_PASSAGES = 6  # prose passages whose sentences are read as candidates, best retrieved first
# A person's name: two or more capitalised words in a row, not first in the sentence.
_PERSON = re.compile(r"(?<=[a-zæøå,] )[A-ZÆØÅ][a-zæøåé]+(?: [A-ZÆØÅ][a-zæøåé]+)+")
# A signature under a letter: a name on its own line, then the role ("Michael Gram Kirkegaard" / "Adm. direktør").
_NAME_LINE = NAME_LINE
_ROLE_LINE = re.compile(
    r"^(?:(?:adm\.?|administrerende|koncern|daglig|kommerciel|økonomi)\s*)?"
    r"(?:direktør|leder|formand|bestyrelsesformand|styreleder|ceo|cfo|chef)\b.{0,40}$",
    re.I,
)
_NOT_COVERED: dict[str, str] = {
    "da": "Rapporterne dækker ikke {name}; de dækker {covered}.",
    "nb": "Rapportene dekker ikke {name}; de dekker {covered}.",
}
_PAGE_REFERENCE = re.compile(r"(?<![\d.,])\d{1,3}\s+(?=[A-ZÆØÅ])")  # "Strategi 6 Forventninger": a contents line
# Two figures side by side; "12 673" (a thousands group after a space) is one figure, not two.
_FIGURE_PAIR = re.compile(r"(?<![\w.,])[-−–]?\d[\d.,]*%?\s+(?!\d{3}(?![\w.,]))[-−–]?\d[\d.,]*%?(?![\w.,])")
_DENSE_MIN, _DENSE_SHARE = 5, 0.25
_TABLE_ROW = re.compile(r"\t|(?:\S+\s+){0,12}?(?:[-−–—<>]?\d[\d.,]*%?\s+){3,}")


_SAME_LANGUAGE = 0.05
_MIN_TAIL = 5  # shorter endings ("sjon", "ing") are suffixes, not words


@dataclass(frozen=True)
class Term:
    """A content word of the question, found in a sentence as itself, a synonym, its compound's last part or in context.

    Found as itself it counts 1, as a synonym 0.8, as its last part 0.7 ("reduksjon" for "utslippsreduksjon"),
    in the sentence before or the heading 0.5.
    """

    stems: frozenset[str]
    synonyms: frozenset[str]
    weight: float
    numeric: bool = False
    names_scope: bool = False  # names the organisation the question is scoped to: says nothing within its reports
    word: str = ""  # as written, lower-cased: a compound's last part is found in it
    unit: UnitKind | None = None  # a word of the unit the question asks in ("mia. kr.", "tonn", "prosent")
    # Its words in the other languages, from the word lexicon: found in a sentence of a report written in another
    # language than the question ("arbejdsulykker" in "Talet på arbeidsulukker …").
    translations: frozenset[str] = frozenset()
    # The word as the corpus' other languages stem it, for their sentences: "consumption" quoted from an English
    # report is "consumpt" there.
    stemmed_as: Mapping[Language, frozenset[str]] = field(default_factory=dict)

    def match(
        self,
        sentence: set[str],
        context: set[str],
        kinds: frozenset[UnitKind] = frozenset(),
        across: bool = False,
        language: Language | None = None,
    ) -> float:
        """How well the sentence (its stems, the stems before it, the kinds of unit its figures are in) has it.

        A unit word is found when the sentence states a figure in a unit of that kind, in whatever words:
        "DKK 3.4bn" has "mia. kr.", "87%" has "procent". `across`: the sentence is written in another language
        than the question, so the word lexicon's translations count as synonyms. `language`: the sentence's, whose
        stems of the word count as its own.
        """
        if self.unit is not None and self.unit in kinds:
            return 1.0
        if (self.stems | self.stemmed_as.get(language, frozenset()) if language else self.stems) & sentence:
            return 1.0
        if self.synonyms & sentence or (across and self.translations & sentence):
            return 0.8
        if len(self.word) >= _MIN_TAIL + 3 and any(
            len(s) >= _MIN_TAIL and len(self.word) - len(s) >= 3 and self.word.endswith(s) for s in sentence
        ):
            return 0.7
        return 0.5 if (self.stems | self.synonyms) & context else 0.0


@dataclass(frozen=True)
class Candidate:
    """A sentence from a retrieved chunk and how well it answers the question."""

    text: str
    hit_rank: int
    chunk: Chunk
    coverage: float
    score: float
    raw: str = ""  # the sentence with its line breaks (a signature's name line, a list's items)

    def evidence(self) -> Evidence:
        return Evidence(self.text, self.raw or self.text, self.chunk, self.coverage)


def _words(text: str) -> set[str]:
    """Whole-word stems in both languages, without compound parts: "patientflow" does not count patients."""
    analyzer = default_analyzer()
    return set(analyzer.base_tokens(text, "da")) | set(analyzer.base_tokens(text, "nb"))


_WORD = re.compile(r"[\w'’-]+")


def _states_count(sentence: str, counted: frozenset[str], percent: bool) -> bool:
    """True when a number stands within five words of the thing counted ("12 nye sygeplejersker").

    "Vi har over 1000 medarbeidere" and "antallet af patienter steg til 5.000" count too. A percentage counts
    only for "hvor mange procent af …": "hvor mange forretningsforbindelser" is not answered by "andelen
    forretningsforbindelser … økt med 36%", nor by "72 timers … patientflow"; "én læge" is an article.
    Numbers are read by `rag.text.numbers`, like everywhere else.
    """
    words = list(_WORD.finditer(sentence))
    nouns = [i for i, m in enumerate(words) if counted & _words(m.group())]
    if not nouns:
        return False
    found = [
        (n.start, n.kind == "percent")
        for n in find_numbers(sentence)
        if n.value is not None and not (n.kind == "number" and _is_year_value(n.value))
        and not is_reference(sentence, n)
    ]
    found += [(m.start(), False) for m in NUMBER_WORDS.finditer(sentence) if m.group().lower() not in ("én", "ét")]
    for start, is_percent in found:
        if is_percent and not percent:
            continue
        if is_percent:
            return True  # "hvor mange procent af X": the share is stated about X, not next to it
        at = sum(1 for m in words if m.end() <= start)  # the word the number starts
        if any(abs(at - n) <= 5 for n in nouns):
            return True
    return False


def _counted_terms(info: QueryInfo) -> set[str]:
    """Stems (and synonyms) of the noun after "hvor mange", which an answer sentence must mention as a word."""
    noun = info.asks.counted
    if noun is None:
        return set()
    return _words(noun) | set(expand_query(noun, info.language))


def _is_year_value(value: float) -> bool:
    return value.is_integer() and 1980 <= value <= 2049


def _is_table_row(sentence: str) -> bool:
    """Flattened table rows (three or more numbers in a run) are facts, not prose to quote.

    So is a flattened two-column table ("Aktiekapital 849 892 Børskurs 235 353 …": three pairs of figures), a
    table of contents (headings each followed by a page number) and a run of cells with units between them.
    """
    return (
        bool(_TABLE_ROW.search(sentence))
        or len(_FIGURE_PAIR.findall(sentence)) >= 3
        or len(_PAGE_REFERENCE.findall(sentence)) >= 4
        or _dense_figures(sentence)
    )


def _dense_figures(sentence: str) -> bool:
    """A run of cells with units between them: a quarter or more of its words are figures, five at least.

    "Concrete 2,165 m3 289,214 Steel 3,782 kg 271,061 …" has no three figures in a row; years are not counted.
    """
    figures = [n for n in find_numbers(sentence) if n.value is None or not _is_year_value(n.value)]
    return len(figures) >= _DENSE_MIN and len(figures) >= _DENSE_SHARE * len(sentence.split())


# A unit a question asks in: an amount of money in its scale ("mia. kr.", "DKK bn"), a printed unit ("tonn CO2e",
# "kWh"), or a share ("procent", "%").
_ASKED_UNIT = re.compile(
    rf"(?<![\w.])(?:{SCALED_MONEY}|{PRINTED_UNIT}|%|pct\.?|procent|prosent|percent)(?![\w])", re.IGNORECASE
)


_PHYSICAL = frozenset({UnitKind.MASS, UnitKind.ENERGY, UnitKind.VOLUME, UnitKind.AREA})


def _unit_spans(question: str) -> list[tuple[int, int, UnitKind]]:
    """Where the question names the unit it asks in, and its kind; a word that names none ("år", "stk") is left."""
    spans: list[tuple[int, int, UnitKind]] = []
    for m in _ASKED_UNIT.finditer(question):
        kind = unit_kind(m.group())
        if kind is not UnitKind.UNKNOWN:
            spans.append((m.start(), m.end(), kind))
    return spans


def _figure_units(sentence: str, values: Sequence[NumberMatch]) -> frozenset[UnitKind]:
    """The kinds of unit a sentence's figures are stated in.

    A share when one of them is a percentage ("andel" or "share" as words state none), and every other kind of unit
    the sentence names.
    """
    if not values:
        return frozenset()
    kinds = unit_kinds(sentence) - {UnitKind.PERCENT}
    return frozenset(kinds | ({UnitKind.PERCENT} if any(v.kind == "percent" for v in values) else set()))


def _has_prose(text: str) -> bool:
    """Whether a passage holds a sentence to quote: not only table rows and headings."""
    return any(not _is_table_row(" ".join(raw.split())) and not _is_heading(raw) for raw in raw_sentences(text))


def name_spans(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Where the scope's names ("Hus 12", "Blokk 7-prosjektet" as "Blokk 7") occur in a text."""
    variants = {v for name in names for v in (name, re.sub(r"-[^\W\d_]+$", "", name)) if v}
    return [(m.start(), m.end()) for v in variants for m in re.finditer(rf"\b{re.escape(v)}\b", text, re.IGNORECASE)]


def _in_spans(n: NumberMatch, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= n.start < b for a, b in spans)


@dataclass(frozen=True)
class Needs:
    """What a sentence must show to be evidence for the question (the evidence rules)."""

    years: frozenset[int]
    number: bool
    year: bool
    amount: bool
    frequency: bool
    person: bool
    counted: frozenset[str]
    percent: bool  # "hvor mange procent af …": a count question that a percentage answers
    percent_value: bool  # the question says "procent": the sentence must state a percentage
    numbers: tuple[float, ...]
    per: UnitKind = UnitKind.UNKNOWN  # "utslipp per m2": the sentence must state a value per area
    # "hvor mange tonn", "(kWh)": a physical unit asked in; the sentence must state a figure in a unit of its kind
    unit: UnitKind = UnitKind.UNKNOWN
    # The question asks how much something changed: a share it changed by ("faldt med 12 procent") answers it.
    change: bool = False

    @classmethod
    def of(cls, info: QueryInfo) -> Needs:
        text, asks = info.text, info.asks
        names = name_spans(text, info.scope.names)  # "Hus 12", "Blokk 7": a number that names, not one asked for
        return cls(
            years=frozenset(info.years),
            number=asks.quantity,
            year=asks.when,
            amount=asks.money and not asks.percent,  # "hvor stor en del af omsætningen" wants a share
            frequency=asks.frequency,
            person=asks.person,
            counted=frozenset(_counted_terms(info)),
            percent=asks.counted_percent,
            percent_value=asks.percent_value,
            numbers=tuple(
                n.value
                for n in find_numbers(text)
                if n.value is not None
                and not _is_year_value(n.value)
                and not text[: n.start][-1:].isalpha()
                and not _in_spans(n, names)
            ),
            per=question_per(info),
            unit=next((kind for _, _, kind in _unit_spans(text) if kind in _PHYSICAL), UnitKind.UNKNOWN),
            change=asks.trend or bool(CHANGE_WORDS.search(text)),
        )

    def figures(self, sentence: str, names: Sequence[tuple[int, int]] = ()) -> list[NumberMatch]:
        """The numbers of a sentence that may be the figure asked for.

        Not a year, a number of a name (`names`: "Blokk 7") or a reference ("afsnit 29"), nor a share something
        changed by ("faldt med 12 procent") unless the question asks how much something changed.
        """
        return [
            n
            for n in find_numbers(sentence)
            if n.value is not None
            and not _is_year_value(n.value)
            and not _in_spans(n, names)
            and not is_reference(sentence, n)
            and (self.change or not is_change(sentence, n))
        ]

    def admits(
        self, sentence: str, stems: set[str], values: Sequence[NumberMatch], years: set[int], report_year: int | None,
        kinds: frozenset[UnitKind] | None = None, language: Language = "da",
    ) -> bool:
        """True when the sentence can be the evidence.

        It names the asked year (or comes from that year's report and names no other year), holds a number
        when the question asks for one (a rate or frequency word for "hvor ofte", an amount for money), states
        the thing counted ("hvor mange medarbejdere") and any number the question names.
        """
        if len(sentence.split()) < 4 and not values:
            return False
        if self.years and not (years & self.years or (not years and report_year in self.years)):
            return False
        if self.year and not years:
            return False
        if self.number and not (values or number_words(language).search(sentence)) and not (self.year and years):
            return False
        if self.frequency and not (values or _FREQUENCY_WORDS.search(sentence)):
            return False
        if self.percent_value and not any(v.kind == "percent" for v in values):
            return False
        if self.counted and not _states_count(sentence, self.counted, self.percent):
            return False
        if self.amount and not _AMOUNT.search(sentence):
            return False
        if self.per is not UnitKind.UNKNOWN and ratio(sentence)[1] is not self.per:
            return False  # a total is no answer to a question per m2
        kinds = _figure_units(sentence, values) if kinds is None else kinds  # the caller's, when it has them
        if self.unit is not UnitKind.UNKNOWN and self.unit not in kinds:
            return False  # a figure in another unit (a cost) is no amount in the unit asked
        return all(any(v.value == a for v in values) for a in self.numbers)


# A line that starts with the writer as its subject ("Vi har …", "We have …") states something, as a form's answers do.
_SPEAKER = re.compile(r"(?:vi|jeg|we)\s+[^\W\d_]", re.IGNORECASE)


def _is_heading(raw: str) -> bool:
    """A title or heading, maybe wrapped over lines ("> Plan for" / "Fremtidens …" / "… Bakke"): no answer.

    A title marker (">", "›") before it says so even where a line of it alone would not.
    """
    lines = [line for line in raw.splitlines() if line.strip()]
    if _SPEAKER.match(raw.lstrip()):
        return False  # "Vi har brukt ca 100 timer på prosjektet": a speaker's statement, full stop or not
    marked = raw.lstrip()[:1] in (">", "›", "»") and looks_like_heading(" ".join(lines))
    return marked or looks_like_heading(raw)  # a name over a role ("Per Hansen" / "Direktør") is a signature


class Answerer:
    """The default answer chain: retrieve → figures from facts, or best sentences → cited answer, or abstain."""

    def __init__(self, index: Index, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self.retriever = HybridRetriever(index=index, settings=settings, k=settings.top_k)
        self._idf: dict[str, float] | None = None
        self._rows: RowIndex | None = None
        self._scoper: Scoper | None = None

    @property
    def rows(self) -> RowIndex:
        """The corpus' table rows for open-vocabulary figure matching (analysed once, on first use)."""
        if self._rows is None:
            self._rows = RowIndex(
                self.index.facts, self.index.documents, self.index.lexical.analyzer, text_idf=self._term_idf()
            )
        return self._rows

    @property
    def scoper(self) -> Scoper:
        """Which organisation's reports a question is about (built once from the corpus, on first use)."""
        if self._scoper is None:
            self._scoper = Scoper(self.index.documents, self.index.chunks)
        return self._scoper

    # -- scoring -----------------------------------------------------------------------------------

    def _term_idf(self) -> dict[str, float]:
        """Inverse document frequency of analysed terms over the chunks; rare terms say more."""
        if self._idf is None:
            df: Counter[str] = Counter()
            for chunk in self.index.chunks:
                df.update(set(analyze(chunk.text, chunk.language)))
            n = max(len(self.index.chunks), 1)
            self._idf = {term: math.log(1 + n / count) for term, count in df.items()}
        return self._idf

    def _question_terms(self, info: QueryInfo) -> list[Term]:
        """The question's content words, each with its stems, cross-language synonyms and idf weight.

        The words naming the organisation the question is scoped to are never evidence alone: every sentence of
        its reports is about it.
        """
        idf = self._term_idf()
        named = {t for name in info.scope.org_names for t in analyze(name, info.language)}
        default = math.log(1 + max(len(self.index.chunks), 1))
        terms: list[Term] = []
        seen: set[str] = set()
        units = _unit_spans(info.text)
        # A word is also stemmed as the corpus' other languages stem it: "water consumption" quoted from an English
        # report is "consumpt" there, "consumption" to the Danish stemmer.
        others = {d.language for d in self.index.documents.values()} - {info.language}
        for m in re.finditer(r"\w+", info.text):
            word = m.group()
            if word.lower() in _QUESTION_WORDS:
                continue
            stems = frozenset(analyze(word, info.language)) - seen
            if not stems:
                continue
            seen |= stems
            stemmed_as = {language: frozenset(analyze(word, language)) - stems for language in others}
            synonyms = frozenset(expand_query(word, info.language)) - stems
            weight = max(idf.get(t, default) for t in stems)
            names_scope = bool(stems & named)
            if names_scope:
                weight *= 0.5
            unit = next((kind for a, b, kind in units if a <= m.start() < b), None)
            translations = frozenset(translate_words(stems.union(*stemmed_as.values()))) - stems - synonyms
            terms.append(Term(stems, synonyms, weight, word.isdigit(), names_scope, word.lower(), unit, translations,
                              stemmed_as))
        return terms

    def _candidates(self, hits: Sequence[Hit], info: QueryInfo) -> list[Candidate]:
        """Sentences of the top passages that could answer the question (see `Needs.admits`), best first.

        Terms found only in the sentence before it or in its section heading count half.
        """
        terms = self._question_terms(info)
        total = sum(t.weight for t in terms) or 1.0
        needs = Needs.of(info)
        # "hvor stor klimagassreduksjon": a sentence (or what precedes it) must speak of what is measured; one that
        # shares only the question's other words ("de neste tre årene") states some other quantity.
        measured = (info.asks.measured or "").lower()
        measured_term = next((t for t in terms if t.word == measured), None) if measured else None
        out: list[Candidate] = []
        # Fact rows are answered by rag.answer.figures; a passage that is all table rows and headings (a table's
        # text) has no sentence to quote, so it takes none of the prose passages' places (its rank still counts).
        texts = enumerate((hit for hit in hits if hit.chunk.kind == "text"), start=1)
        passages = [(rank, hit) for rank, hit in texts if _has_prose(hit.chunk.text)]
        asked_in = info.written
        for rank, hit in passages[:_PASSAGES]:
            language = hit.chunk.language
            meta = self.index.documents.get(hit.chunk.doc_id)
            across = written(language, meta.nynorsk if meta is not None else False) != asked_in
            section_terms = set(analyze(hit.chunk.section or "", language))
            previous: set[str] = set()
            said_years: set[int] = set()  # years written earlier in the passage: a sentence without one speaks of them
            last_raw = ""
            for raw in raw_sentences(hit.chunk.text):
                sentence = " ".join(raw.split())
                signature = needs.person and _NAME_LINE.match(last_raw.strip()) and _ROLE_LINE.match(sentence)
                if signature:
                    sentence = f"{' '.join(last_raw.split())} {sentence}"  # who signed, with the role under it
                    raw = f"{last_raw.strip()}\n{raw}"
                last_raw = raw
                stems = set(analyze(sentence, language))
                context = previous | section_terms
                previous = previous | stems  # everything said earlier in the passage is context
                earlier_years = frozenset(said_years)
                said_years.update(years_in(sentence))
                if not signature and (_is_table_row(sentence) or _is_heading(raw)):
                    continue
                values = needs.figures(sentence, name_spans(sentence, info.scope.names))
                years = stated_years(sentence, hit.chunk.year)
                kinds = _figure_units(sentence, values)
                if not needs.admits(sentence, stems, values, years, hit.chunk.year, kinds, hit.chunk.language):
                    continue
                if measured_term and not measured_term.match(stems, context, across=across, language=language):
                    continue
                # In a report of the organisation asked about, every sentence speaks of it, named or not.
                own = info.scope.doc_ids is not None and info.scope.allows(hit.chunk.doc_id)
                matches = [
                    1.0 if own and t.names_scope else t.match(stems, context, kinds, across, language) for t in terms
                ]
                if not any(m >= 0.8 and not (t.numeric or t.names_scope) for t, m in zip(terms, matches, strict=True)):
                    continue  # context alone is not evidence: the sentence itself must share a word with the question
                coverage = sum(t.weight * m for t, m in zip(terms, matches, strict=True)) / total
                # A stated year beats one inferred from the report; "Marketing investments/revenue rose to 8.7%." after
                # "In 2024, we invested …" states it too.
                bonus = 0.1 if (years or earlier_years) & set(info.years) else 0.0
                if hit.chunk.language == info.language:
                    bonus += _SAME_LANGUAGE  # asked in Norwegian, a Norwegian report's sentence before a Danish one
                if needs.person and _PERSON.search(sentence):
                    bonus += 0.15
                if needs.frequency and (any(v.kind == "percent" for v in values) or _FREQUENCY_WORDS.search(sentence)):
                    bonus += 0.1  # a rate or "hvert år" answers "hvor ofte"; "et 4-årigt projekt" does not
                out.append(Candidate(sentence, rank, hit.chunk, coverage, coverage + bonus + 0.08 / rank, raw))
        return sorted(out, key=lambda c: -c.score)

    # -- answering ---------------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None, filters: Filters | None = None) -> Answer:
        """Answer one question with numbered citations, or abstain in the question's language."""
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        scope = self.scoper.resolve(question)
        info = replace(parse_query(question, self.index.newest_year), scope=scope)  # parsed once, read by every stage
        k = k or self.settings.top_k
        if scope.unknown is not None:
            return self._not_covered(question, info, scope, started)
        filters = _narrowed(filters, scope)
        # Table-row chunks often fill the top ranks; look deeper so six prose passages are in reach.
        pool = self.retriever.search(question, k=max(k, _POOL), filters=filters, info=info)
        hits = pool[:k]

        allowed = filters or Filters()
        documents = {d: m for d, m in self.index.documents.items() if allowed.allows_document(m)}
        facts = [f for f in self.index.facts if f.doc_id in documents]
        figure = answer_figure(info, facts, documents, rows=self.rows)
        if figure is not None:
            return Answer(
                question=question,
                answer=figure.text,
                abstained=False,
                language=info.language,
                citations=figure.citations,
                latency_ms=(time.perf_counter() - started) * 1000,
                hits=tuple(hits),
                computed=figure.computed,
                facts=figure.facts,
            )

        candidates = self._candidates(pool, info)
        best = candidates[0] if candidates else None
        if best is None or best.coverage < self.settings.abstain_threshold:
            # All reports, not only the organisation asked about: the point is to say who does report it.
            gap = explain_gap(info, pool, self.index.documents, self.index.facts)
            if gap is None:
                return _abstention(question, info, started, hits)
            return _abstention(question, info, started, hits, gap.text, gap.suggestions)
        parts = self._quote(best, candidates, info)
        others = [c.evidence() for c in candidates[1:6] if c.coverage >= best.coverage * 0.8 and c.text != best.text]
        composed = compose_answer(info, parts, others)
        if info.asks.quantity and not _states_a_number(composed.text, question=question) and composed.citations:
            quote = composed.citations[0].quote
            if _states_a_number(quote, words=False, question=question):  # the written sentence lost the figure
                composed = replace(composed, text=f"«{quote}» [1]", citations=composed.citations[:1])
        if info.asks.quantity and not _states_a_number(composed.text, question=question):
            # A number was asked for and the best sentence states none: no answer beats a sentence beside the point.
            return _abstention(question, info, started, hits)
        if info.asks.quantity:
            composed = replace(composed, text=self._whose(composed.text, best, scope))
        return Answer(
            question=question,
            answer=composed.text,
            abstained=False,
            language=info.language,
            citations=composed.citations,
            latency_ms=(time.perf_counter() - started) * 1000,
            hits=tuple(hits),
            computed=composed.computed,
        )

    def _quote(self, best: Candidate, candidates: Sequence[Candidate], info: QueryInfo) -> list[Evidence]:
        """The sentences the citation quotes: the best, plus a second from the same passage that answers nearly as well.

        For "hvem" questions the second is the sentence right after the best one when it names someone the
        best one does not ("…kårede Aleris den yngste vinder af Årets Førstehjælperpris 2021." + "Den dengang
        ni-årige Silas Callesen reddede …"): the name often follows the sentence that matches the question.
        """
        first = best.evidence()
        if info.asks.person:
            following = next_sentence(best.chunk.text, best.text)
            named = set(_PERSON.findall(following or "")) - set(_PERSON.findall(best.text))
            if following and named and not any(name in info.text for name in named):
                return [first, Evidence(following, following, best.chunk, best.coverage)]
        second = next((c for c in candidates[1:] if c.chunk.id == best.chunk.id and c.text != best.text), None)
        if second is not None and second.coverage >= max(self.settings.abstain_threshold, best.coverage * 0.8):
            return [first, second.evidence()]
        return [first]

    def _whose(self, text: str, best: Candidate, scope: OrgScope) -> str:
        """The answer led by whose report it is from, when no organisation was asked about and several report.

        "Mini Norge: Selskapet har 13 lokasjoner i Norge [1]." — a figure is never left to seem everyone's.
        """
        meta = self.index.documents.get(best.chunk.doc_id)
        organisation = meta.organisation if meta is not None else None
        if scope.doc_ids is not None or not organisation or len(self.scoper.organisations()) < 2:
            return text
        bare = organisation.split()[0].lower()
        return text if bare in text.lower() else f"{organisation}: {text}"

    def _not_covered(self, question: str, info: QueryInfo, scope: OrgScope, started: float) -> Answer:
        """An abstention that names what the corpus lacks and which organisations its reports cover."""
        covered = ", ".join(self.scoper.organisations())
        why = _NOT_COVERED[info.language].format(name=scope.unknown, covered=covered)
        return _abstention(question, info, started, (), why)

    def as_runnable(self) -> RunnableLambda[Any, Answer]:
        """The chain at LangChain's seam: a runnable from a question (or {"question": ...}) to an `Answer`."""

        def run(value: Any) -> Answer:
            if isinstance(value, dict):
                return self.ask(value["question"], k=value.get("k"), filters=value.get("filters"))
            return self.ask(str(value))

        return RunnableLambda(run)


def _narrowed(filters: Filters | None, scope: OrgScope) -> Filters | None:
    """The user's filters, further restricted to the documents of the organisation the question names."""
    if scope.doc_ids is None:
        return filters
    base = filters or Filters()
    ids = tuple(sorted(scope.doc_ids if not base.doc_ids else scope.doc_ids & set(base.doc_ids)))
    return replace(base, doc_ids=ids or ("",))


# A word of letters with digits in it, or digits glued to letters before them: a name or a unit, not a figure.
_IN_A_WORD = re.compile(r"[^\W\d_]+\d[\w-]*|\d+[^\W\d_]+\d[\w-]*")


def _states_a_number(text: str, words: bool = True, question: str = "") -> bool:
    """Whether an answer states a figure (digits or a number word), not counting its citation markers.

    Years are no answer, nor are the numbers the question itself names ("Hus 12", "søjle 2"), nor digits inside a
    word of letters ("CO2e", "m2", "A1-A3").
    """
    body = re.sub(r"\[\d+\]|(?<![\d.,])(?:19|20)\d\d(?![\d.,])", "", text)  # markers and years are no answer
    body = _IN_A_WORD.sub(" ", body)
    named = {n.text for n in find_numbers(question)}
    if named:
        body = " ".join(w for w in re.split(r"(\s+)", body) if w.strip(".,;:()«»") not in named)
    return any(ch.isdigit() for ch in body) or words and bool(NUMBER_WORDS.search(body))


def _abstention(
    question: str,
    info: QueryInfo,
    started: float,
    hits: Sequence[Hit],
    why: str | None = None,
    suggestions: tuple[str, ...] = (),
) -> Answer:
    """The answer that says the reports do not hold it, in the question's language, with why where known."""
    return Answer(
        question=question,
        answer=ABSTAIN[info.language] if why is None else f"{ABSTAIN[info.language]} {why}",
        abstained=True,
        language=info.language,
        latency_ms=(time.perf_counter() - started) * 1000,
        hits=tuple(hits),
        suggestions=suggestions,
    )
