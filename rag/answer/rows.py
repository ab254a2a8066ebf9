"""Match a question to table rows without a fixed vocabulary: the row's own words decide.

Every fact belongs to a row (one label of one table in one document). A question reaches a row when the
question's content words are found in the row's label (fully) or its table title, section and unit (half), with
compounds split by the Nordic analyser and the synonym map adding cross-language forms. Words are weighted by
how rare they are among all rows, so "sygefravær" says more than "antal". The row must also hold the kind of
value asked for (a percentage, an amount of money, tonnes, ...) and the year asked about. The curated metric
vocabulary (`rag.text.metrics.metric_spans`) only raises a score; a row it does not know is reached all the same.
A question asked in another language than the report's ("brændstofforbrug" of "Fuel consumption") meets the row
word by word through the word lexicon (`rag.text.synonyms.translate_words`); within one language it plays no part.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from rag.answer.query import QueryInfo
from rag.text.analysis import Analyzer, CompoundSplitter, cognate_key, default_analyzer, stopwords
from rag.text.grammar import PERIOD_WORDS
from rag.text.language import written
from rag.text.synonyms import expand_query, group_tokens, lexicon_words, translate_words, translation_tokens
from rag.text.units import BRACKETED_UNIT, UnitKind, ratio, scale, unit_kind, unit_kinds, without_units
from rag.types import DocMeta, Fact, Language, Written

# Words that ask for a figure but name nothing a row label would contain (stopwords are dropped already).
_FILLER = frozenset(
    """
    hvor mange mye stor store stort høj højt høy høyt lav lavt meget megen udgjorde utgjorde udgør utgjør
    per pr samlet samlede samla totalt beløb beløp tal tall tallet værdi verdi niveau nivå niveauet mængde mengde
    what was how many much large high were value amount figure
    ultimo udgangen utgangen slutningen slutten året årets år aaret ved end løbet løpet løb løp during course
    angive angiv oppgi oppgitt ifølge rapport rapporten rapporterne rapportene report
    målt målte måles opgjort opgjorte beregnet beregnede measured calculated
    udvikle udviklet udviklede udvikling utvikle utviklet utviklingen udviklingen ændret ændrede endret endret
    steget steg faldet faldt økt økte falt mængde mængden mengde mengden blandt blant develop developed change
    lå ligger ligget blev ble blevet blitt havde hadde fik fikk gav ga brugte brukte kendte kjente gik gikk went
    betalte betalt betale betaler betalade paid pay spent spend brugt brukt
    andel andelen andele andeler procentdel prosentdel share forhold ift relation
    kr kroner mio mia mill mrd million millioner milliard milliarder pct procent prosent percent
    ton tons tonn tonnes kg m2 m3 hl kwh mwh gwh gj kubikmeter kubikmetre liter kvadratmeter
    frem fremover fremad framover onwards forward
    """.split()
)
# A total row's label says only "total": what it totals is the table's title.
_TOTAL = re.compile(r"^(?:sum|total|totalt|i alt|samlet|samla|in total|overall)\b", re.IGNORECASE)
# How much a matched word counts where it is found in a row.
_IN_LABEL = 1.0
_IN_CONTEXT = 0.5
_AS_PART = 0.7  # a compound part ("sygefravær" in "korttidssygefravær") rather than the word itself
_AS_SYNONYM = 0.8
_UNKNOWN_REST = 0.5  # ... when a word's worth of the compound is no word the rows know ("nesten" of "nestenulykker")
_IN_COMPOUND = 0.9  # the word is the tail of a longer compound of the row ("fravær" of "sygefravær")
_AS_INFLECTION = 0.9  # the same stem with a short ending the stemmer did not remove
_VOCABULARY_BOOST = 0.15  # both question and row name the same metric of the curated vocabulary
_VOCABULARY_COVERAGE = 0.75  # ... when its own words cover nearly as much of the question as the best row's
_VOCABULARY_FLOOR = 0.65  # ... and the score such a row gets at least (just over the answer threshold)
_UNUSED_WEIGHT = 1.0  # the weight of a question word no row contains (rare words weigh 4–8)
_UNUSED_SHARE = 0.6  # ... or this share of its rarity in the reports' text, when that is known




_SCALE_BONUS = 0.05
_LEADING_CODE = re.compile(r"^\s*\d{1,3}(?:[.,]\d{1,3})*\.?\s+(?=[^\W\d_])")
_TOTAL_COLUMN_BONUS = 0.05
_COLUMN_NAMED_BONUS = 0.1  # a column named by the question, in words it may not require ("Mængde", "Andel")
# "heraf udlån", "hvorav kvinner": a part of the row above, named by the words after it.
# A unit in brackets after a label ("Farligt affald (tons)"): no word of what the row is, so no word a question
# must name to name the row (a bare question about the row beside a qualified one is about the bare row).
_UNIT_BRACKET = re.compile(rf"\(\s*(?:{BRACKETED_UNIT})\s*\)", re.IGNORECASE)
_OF_WHICH = re.compile(r"^\s*(?:heraf|herav|hvorav|hvoraf|derav|deraf|of which)\b[:\s]*", re.IGNORECASE)
_SERIES_BONUS = 0.1  # × the share of a development's years a row holds
_MIN_PART = 4  # shorter compound parts ("el", "co") are scraps, not words
_SPELLING_MIN = 7  # words this long may match a row word spelt one letter apart
_HEAD_MIN = 5  # the shared head of two compounds whose first parts are synonyms ("intensit")
_HEAD_MIN_ACROSS = 3  # ... across languages, where a short head is told by the lexicon's first parts ("tim")
_COGNATE_MIN = 4  # words this long may match a row word by their Danish/Norwegian spelling key
# A letter that names one of several things ("Alternativ B", "Blokk C"): after a word, before the end of the name.
_LETTER = re.compile(r"(?<=[^\W\d_]{3} )([a-hA-H])(?=$|[\s,.;:)?])")  # "alternativ B", not "Finans A/S"
_RATIO_PENALTY = 0.03  # a value per m2 beside the absolute one, when the question divides by nothing




def _fact_units(fact: Fact) -> tuple[str, ...]:
    """Where a fact's unit may be written, nearest first; the table title last."""
    return (fact.unit or "", fact.value_text, fact.metric, fact.qualifier or "", fact.table or "")


def fact_unit_kind(fact: Fact) -> UnitKind:
    """The unit of a fact: its unit cell, its printed value, then its label, its own column header and table title."""
    for text in _fact_units(fact)[:-1]:
        kind = unit_kind(ratio(text)[0])
        if kind is not UnitKind.UNKNOWN:
            return kind
    title = ratio(fact.table or "")[0]
    kinds = unit_kinds(title)
    # A title over columns of several units ("Udlån (mio. kr./%)") leaves each column's unit open.
    return unit_kind(title) if len(kinds) == 1 else UnitKind.UNKNOWN


def fact_per(fact: Fact) -> UnitKind:
    """What a fact's value is divided by, where its unit says so ("kg CO2e/m2" → area)."""
    return next((per for text in _fact_units(fact) if (per := ratio(text)[1]) is not UnitKind.UNKNOWN),
                UnitKind.UNKNOWN)


def question_unit(info: QueryInfo) -> UnitKind:
    """The unit a question asks for, from its words ("procent", "mio. kr.", "tonn") or what it asks."""
    if info.asks.percent_value or info.asks.percent:
        return UnitKind.PERCENT
    kind = unit_kind(ratio(_without_numbers(info.text))[0])
    if kind is UnitKind.UNKNOWN and info.asks.money:
        return UnitKind.MONEY
    return kind


def question_per(info: QueryInfo) -> UnitKind:
    """What the asked value is divided by ("utslipp per m2" → area), or unknown."""
    return ratio(_without_numbers(info.text))[1]


def _without_numbers(text: str) -> str:
    """The question without its figures and years; "m2" and "CO2e" are kept (a digit after letters)."""
    return re.sub(r"(?<![^\W\d_])\d[\d.,]*", " ", text)


def compatible(asked: UnitKind, row: UnitKind) -> bool:
    """A row fits when either side leaves the unit open or both name the same kind."""
    return asked is UnitKind.UNKNOWN or row is UnitKind.UNKNOWN or asked is row


@dataclass(frozen=True)
class Term:
    """One content word of the question: its stem and compound parts, with a weight (rows carry the synonyms)."""

    stem: str
    parts: frozenset[str]
    weight: float = 1.0
    # Row words that are this word with another short ending, or spelt one letter apart ("egenkapital" ~
    # "eigenkapital", Bokmål and Nynorsk): found only for a word no row writes as the question does.
    near: frozenset[str] = frozenset()
    # The word's stems in the corpus' other languages: a Danish question quoting an English report's label
    # ("lost-time injuries") is stemmed as Danish ("tim"), the report's row as English ("time").
    other: frozenset[str] = frozenset()
    # The word's Danish/Norwegian spelling key (`cognate_key`): "datterselskaper" asked of "Datterselskaber".
    cognate: str = ""
    written: Written | None = None  # the question's language as written (Bokmål and Nynorsk apart)
    # Its further parts among the rows' words in other languages ("korruptions|sag" ~ "corruption cases"): they
    # name only rows of another language than the question's.
    across_parts: frozenset[str] = frozenset()


@dataclass
class Row:
    """One row of one table: its facts (one per year or column) and the analysed words around it."""

    doc_id: str
    label: str
    facts: list[Fact]
    label_tokens: frozenset[str]
    label_stems: dict[str, frozenset[str]]  # base stems with their compound parts: how much of the label is named
    context_tokens: frozenset[str]
    synonym_tokens: frozenset[str]  # other languages' words for the label ("Revenue" → "omsætning")
    unit: UnitKind
    years: frozenset[int] = field(default_factory=frozenset)
    per: UnitKind = UnitKind.UNKNOWN  # what the values are divided by ("kg CO2e/m2": area)
    scale: str | None = None  # "bn", "m", "k": from the unit, the table's title or its header
    words: frozenset[str] = frozenset()  # whole words of label and context (tokens also hold compound parts)
    parts: tuple[frozenset[str], ...] = ()  # a total row's: the label words of the rows it sums
    amounts: bool = False  # its column (same table and header) holds a value >= 1000 or with decimals
    # The stems of a group row written before the label ("CO2-udledning – Firmabiler"): the question must name
    # the row's own words, not its group's, to name the row.
    group_stems: frozenset[str] = frozenset()
    # The label's and context's words by their Danish/Norwegian spelling key (`cognate_key`).
    cognates: dict[str, frozenset[str]] = field(default_factory=dict)
    # The stems of its column's heading ("Mængde", "Scope 1"), less its units and periods ("Mia. kr.", "Ultimo").
    column_stems: frozenset[str] = frozenset()
    written: Written = "da"  # its report's language as written (Bokmål and Nynorsk apart)
    # Its words in the other languages, word by word (`rag.text.synonyms.translate_words`: "Fuel consumption" →
    # "brændstof", "forbrug"): they name the row only to a question written in another language than the report
    # (a Bokmål question of a Nynorsk report too: "sykefravær" ~ "sjukefråvær").
    translations: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.doc_id, self.facts[0].metric_key, self.facts[0].qualifier or "")


@dataclass(frozen=True)
class ScoredRow:
    """A row with how well it answers the question: score = coverage × (0.8 + 0.2 × precision) (+ boost)."""

    row: Row
    score: float
    coverage: float
    precision: float
    found: frozenset[str] = frozenset()  # the question's words the row has (stems)
    labelled: frozenset[str] = frozenset()  # ... in its own label or column, not only around it


def _row_id(fact: Fact) -> tuple[str, str, str, str, str]:
    """Facts of one printed row: same document, table, label and qualifier (the years are its columns).

    A table without a title is told apart by its header: untitled tables of the group and of the parent company
    often share their row labels; tables of one title under different headings (a segment's accounts each) by
    their heading.
    """
    table = "\t".join(x or "" for x in (fact.table, fact.section)) if fact.table or fact.section else fact.header or ""
    return (fact.doc_id, table, f"{fact.group or ''}\t{fact.metric}", fact.qualifier or "", fact.unit or "")


class RowIndex:
    """The rows of a corpus' facts, analysed once, with word weights from how many rows use each word."""

    def __init__(
        self,
        facts: Sequence[Fact],
        documents: Mapping[str, DocMeta],
        analyzer: Analyzer | None = None,
        text_idf: Mapping[str, float] | None = None,
    ) -> None:
        self.analyzer = analyzer or default_analyzer()
        self.text_idf = text_idf
        grouped: dict[tuple[str, str, str, str, str], list[Fact]] = {}
        for fact in facts:
            grouped.setdefault(_row_id(fact), []).append(fact)
        self.rows: list[Row] = []
        self.languages: set[Language] = set()
        # Documents whose tables speak of a group ("koncernen", "konsern", "group"): they hold group accounts.
        self.group_docs: set[str] = set()
        # A row's compound is translated part by part, its parts the lexicon's words ("tryggleiks|observasjonar"):
        # a part the report never writes alone is no word of the corpus' vocabulary, yet the lexicon knows it.
        self._by_lexicon = CompoundSplitter((), curated=lexicon_words())
        for (doc_id, _table, _label, qualifier, _unit), members in grouped.items():
            meta = documents.get(doc_id)
            language = meta.language if meta is not None else "da"
            self.languages.add(language)
            first = members[0]
            label = first.metric
            label_text = f"{label} {qualifier}"
            # A leading code ("25 Dekker", "3.2 Avfall") numbers the row: a question need not say it to name the row.
            stems = self._stems(_OF_WHICH.sub("", _LEADING_CODE.sub("", _UNIT_BRACKET.sub(" ", label_text))), language)
            if is_total(label) and first.table:
                # "I alt" under "Skattebetalinger" is the total of them: the title's words name the row as well, and
                # when the label says nothing else, they are what the question must name of it.
                stems = [s for s in stems if not is_total(s)] or self._stems(first.table, language)
                label_text = f"{first.table} {label_text}"
            head, dash, _own = label.rpartition(" – ")
            grouped_by = set(self._stems(head, language)) if dash else set()
            said = first.source_text if first.style == "labelled" else None  # "Totalvekt: 12 673 tonn. Den …"
            parts = (first.group, first.table, first.section, first.unit, first.header, said)
            context = " ".join(x for x in parts if x)
            if doc_id not in self.group_docs and _group_accounts(first):
                self.group_docs.add(doc_id)
            label_tokens = frozenset(self._tokens(label_text, language))
            context_tokens = frozenset(self._tokens(context, language))
            cognates: dict[str, set[str]] = {}
            for token in label_tokens | context_tokens:
                if len(token) >= _COGNATE_MIN and token.isalpha():
                    cognates.setdefault(cognate_key(token), set()).add(token)
            self.rows.append(
                Row(
                    doc_id=doc_id,
                    label=label,
                    facts=members,
                    label_tokens=label_tokens,
                    label_stems={s: frozenset(self.analyzer.splitter.parts(s, language)) for s in stems},
                    context_tokens=context_tokens,
                    synonym_tokens=frozenset(expand_query(stems, language)),
                    unit=fact_unit_kind(first),
                    per=fact_per(first),
                    years=frozenset(f.year for f in members),
                    scale=scale(" ".join(x for x in (first.unit, first.table, first.header) if x)),
                    words=frozenset(self._stems(f"{label_text} {context}", language)),
                    group_stems=frozenset(grouped_by) if set(stems) - grouped_by else frozenset(),
                    cognates={key: frozenset(tokens) for key, tokens in cognates.items()},
                    column_stems=content_stems(self._stems(without_units(qualifier), language)),
                    written=written(language, meta.nynorsk) if meta is not None else language,
                    translations=frozenset(translate_words(self._lexicon_parts(label_tokens, language))),
                )
            )
        columns: dict[tuple[str, str, str], list[Row]] = {}  # the rows of one column of one table
        for (doc_id, table, _label, qualifier, _unit), row in zip(grouped, self.rows, strict=True):
            columns.setdefault((doc_id, table, qualifier), []).append(row)
        _link_totals(columns.values())
        _mark_amounts(columns.values())
        df: Counter[str] = Counter()
        for row in self.rows:
            df.update(row.label_tokens | row.context_tokens)
        n = max(len(self.rows), 1)
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._by_prefix: dict[str, set[str]] = {}
        self._by_start: dict[str, set[str]] = {}
        for token in self._idf:
            if len(token) >= 4:
                self._by_prefix.setdefault(token[:4], set()).add(token)
            if len(token) >= _SPELLING_MIN and token.isalpha():
                self._by_start.setdefault(token[:1], set()).add(token)
        self._unseen = math.log(1 + n)
        # The function words of the corpus' other languages ("all", "in" of an English label quoted in a Norwegian
        # question): no content words of a question, as the rows of those languages never keep them.
        self._foreign: dict[Language, frozenset[str]] = {
            lang: frozenset().union(*(stopwords(other) for other in self.languages - {lang}))
            for lang in ("da", "nb", "en")
        }
        # The rows' own words are parts a question's compound can be split into ("utskiftingsfasen" → "utskifting"),
        # whether or not the analyser's vocabulary knows them.
        # So are the curated synonyms of their words, in the other languages: "drikkevarevolumen" asked of a report
        # that says "Beverages" under "Volumes" splits into "drikkevare" (a synonym of "beverages") and "volum".
        words = {w for row in self.rows for w in row.words if w.isalpha()}
        words |= {t for row in self.rows for t in row.synonym_tokens if t.isalpha()}
        self._row_words = CompoundSplitter(words, curated=self.analyzer.splitter.vocabulary, heads=words)
        # Across languages, also the rows' words translated, and short words that end a compound ("sag", "tim").
        words |= {t for row in self.rows for t in row.translations if t.isalpha()}
        self._across_words = CompoundSplitter(
            words, curated=self.analyzer.splitter.vocabulary, heads=words, short_tails=True
        )

    def _lexicon_parts(self, tokens: frozenset[str], language: Language) -> frozenset[str]:
        """Tokens with the parts the word lexicon knows of each compound among them."""
        return tokens | {p for t in tokens for p in self._by_lexicon.parts(t, language)}

    def _stems(self, text: str, language: Language) -> list[str]:
        """Stems, and small whole numbers or letters that name a thing rather than measure it.

        "scope 3", "søjle 2", "alternativ B".
        """
        stems = [t for t in self.analyzer.base_tokens(text, language) if not _is_number(t) or _is_ordinal(t)]
        letters = [m.group(1).lower() for m in _LETTER.finditer(text)]
        return stems + [x for x in letters if not (language == "en" and x == "a")]

    def _tokens(self, text: str, language: Language) -> list[str]:
        out: list[str] = []
        for stem in self._stems(text, language):
            out.append(stem)
            out.extend(self.analyzer.splitter.parts(stem, language))
        return out

    def _unused_weight(self, stem: str) -> float:
        """A word no row uses: weighed by how rare it is in the reports' text ("fleksjob" > "brugte")."""
        if self.text_idf is None:
            return _UNUSED_WEIGHT
        return _UNUSED_SHARE * self.text_idf.get(stem, max(self.text_idf.values(), default=_UNUSED_WEIGHT))

    def uses(self, token: str) -> bool:
        """Whether any row's label or context has the token."""
        return token in self._idf

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._unseen)

    def terms(
        self, text: str, language: Language, ignore: Iterable[str] = (), written_as: Written | None = None
    ) -> list[Term]:
        """The question's content words as weighted terms; filler, numbers and `ignore` stems left out.

        `written_as`: the question's written standard when it is not its language ("nn" for a Nynorsk question).
        """
        skipped = set(ignore)
        foreign = self._foreign.get(language, frozenset())
        terms: list[Term] = []
        seen: set[str] = set()
        previous = ""
        for match in re.finditer(r"[^\W\d_][\w\-]*|(?<=[^\W\d_] )\d{1,2}\b", text):
            word, after = match.group(), previous
            previous = word
            if word.isdigit() and set(self._stems(after, language)) & skipped:
                continue  # the number of a name ("Blokk 7" when "Blokk" names the organisation)
            if len(word) == 1 and _LETTER.match(text, match.start()):
                letter = word.lower()  # "alternativ B": the letter tells the alternatives apart
                if letter not in seen and not set(self._stems(after, language)) & skipped:
                    seen.add(letter)
                    terms.append(Term(letter, frozenset(), self.idf(letter) if letter in self._idf else 1.0))
                continue
            for piece in word.split("-"):
                if not piece or piece.lower() in _FILLER:
                    continue
                stems = self._stems(piece, language)
                if piece.lower() in foreign and not any(self.uses(stem) for stem in stems):
                    continue
                others = {s for other in self.languages - {language} for s in self._stems(piece, other)}
                for stem in stems:
                    if stem in seen or stem in skipped or stem in _FILLER:
                        continue
                    seen.add(stem)
                    parts = frozenset(self.analyzer.splitter.parts(stem, language)) | frozenset(
                        self._row_words.parts(stem, language)
                    )
                    other = frozenset(others - {stem} - skipped) if len(stems) == 1 else frozenset()
                    known = [t for t in (stem, *parts, *other) if t in self._idf]
                    # A word no row uses ("brugte", "lå") cannot tell rows apart: it counts little.
                    weight = max(self.idf(t) for t in known) if known else self._unused_weight(stem)
                    near = frozenset(t for t in self._by_prefix.get(stem[:4], ()) if _inflected(stem, t))
                    if stem not in self._idf and len(stem) >= _SPELLING_MIN:
                        near |= {t for t in self._by_start.get(stem[:1], ()) if _one_edit(stem, t)}
                    cognate = cognate_key(stem) if len(stem) >= _COGNATE_MIN and stem.isalpha() else ""
                    across = frozenset(self._across_words.parts(stem, language)) - parts
                    terms.append(Term(stem, parts, weight, near, other, cognate, written_as or language, across))
        return terms

    def _named_share(self, stem: str, parts: frozenset[str], named: set[str]) -> float:
        """How much of one label word the question names: all of it, or the weight of its parts it names.

        "Kornprodusenter" asked as "fiskeprodusenter" is named by "produsent" only: half the word, not all of it.
        """
        if stem in named:
            return 1.0
        hit = parts & named
        if not hit:
            return 0.0
        if len(parts) >= 2 and all(len(p) >= _MIN_PART for p in parts):
            return sum(self.idf(p) for p in hit) / sum(self.idf(p) for p in parts)
        rest = len(stem) - max(len(p) for p in hit)  # "korn" of "kornprodusent" when only "produsent" is known
        return 0.5 if rest >= _MIN_PART else 1.0

    def score(
        self, row: Row, terms: Sequence[Term], implied: frozenset[str] = frozenset()
    ) -> tuple[float, float, frozenset[str], frozenset[str]]:
        """How well a row answers: (coverage, precision, the question's words found, those found in its label).

        Coverage: of the question's words by the row; precision: the share of the row label's own words (not its
        group's) the question names.
        """
        total = sum(t.weight for t in terms)
        if total <= 0:
            return 0.0, 0.0, frozenset(), frozenset()
        got = 0.0
        labelled: set[str] = set()
        named: set[str] = set()
        found_terms: set[str] = set()
        # A question that names two or more of the rows a total sums ("afgifter (vandafgift, grundskyld og
        # energiafgift)") asks for the total: their words are its words.
        naming = {t.stem: [p for p in row.parts if t.stem in p] for t in terms}
        summed = {id(p): p for ps in naming.values() if len(ps) == 1 for p in ps}  # each named by a word of its own
        summed_tokens = frozenset().union(*summed.values()) if len(summed) >= 2 else frozenset()
        for term in terms:
            strength = 0.0
            for tokens, where in ((row.label_tokens, _IN_LABEL), (row.context_tokens, _IN_CONTEXT)):
                said = term.stem if term.stem in tokens else min(term.other & tokens, default=None)
                if said is not None:
                    # "dækningsgrad" is all of "Dækningsgrad" but the kind of "Kernedækningsgrad" (its tail)
                    tail = said not in row.words and any(w.endswith(said) for w in row.words)
                    strength = max(strength, where * _IN_COMPOUND if tail else where)
                    named.add(said)
                elif term.parts & tokens:
                    found = term.parts & tokens
                    # "langtidssygefravær" ~ "Sygefravær, langtids": the parts are words of the row, not parts of
                    # other compounds ("nettoresultat" is not "Nettogæld før resultatdisponering").
                    if _spells(term.stem, found & row.words):
                        strength = max(strength, where)
                    else:
                        rarest = max(self.idf(p) for p in term.parts)
                        share = max(self.idf(p) for p in found) / rarest
                        if _unknown_rest(term.stem, term.parts) or _other_kind(term, found, row):
                            share *= _UNKNOWN_REST  # "nesten|ulykker": "ulykker" is not the word asked
                        strength = max(strength, where * _AS_PART * share)
                    named |= found
            if strength == 0.0:
                strength, spelt = _spelt_apart(term, row)
                named |= spelt
            if strength < _IN_LABEL and term.stem in summed_tokens:
                strength = _IN_LABEL
            if strength < _IN_LABEL * _AS_SYNONYM and (by_synonym := _synonym_named(row, term)) is not None:
                strength = _IN_LABEL * _AS_SYNONYM  # beats a part found
                named |= by_synonym
            got += term.weight * strength
            if strength > 0:
                found_terms.add(term.stem)
            if strength > _IN_CONTEXT:
                labelled.add(term.stem)
        named |= implied & row.label_stems.keys()
        own = {s: parts for s, parts in row.label_stems.items() if s not in row.group_stems}
        label_weight = sum(self.idf(s) for s in own)
        covered = sum(self.idf(s) * self._named_share(s, parts, named) for s, parts in own.items())
        precision = covered / label_weight if label_weight > 0 else 0.0
        return got / total, precision, frozenset(found_terms), frozenset(labelled)

    def rank(
        self,
        terms: Sequence[Term],
        allowed: set[str],
        asked_unit: UnitKind,
        vocabulary_keys: Sequence[str] = (),
        years: Sequence[int] = (),
        asked_scale: str | None = None,
        asked_per: UnitKind = UnitKind.UNKNOWN,
        series: Sequence[int] = (),
        implied: frozenset[str] = frozenset(),
        divided_by: frozenset[str] = frozenset(),
    ) -> list[ScoredRow]:
        """Rows of the allowed documents that hold the unit and a year asked for, best first.

        A question "per m2" takes only rows per area; a question that divides by nothing prefers the absolute
        figure to its intensity beside it. A development over `series` (years) prefers the rows that hold more of it.
        `implied`: stems the question says but no row need have (whose accounts: "konsernet"); a label that has
        them is named by them all the same. `divided_by`: the stems of what the question divides by ("per ansatt"):
        a row whose label is named by those alone counts them ("Antall ansatte") and is no answer.
        """
        keys = set(vocabulary_keys)
        out: list[ScoredRow] = []
        ordinals = {t.stem for t in terms if _is_ordinal(t.stem)}
        asked = {t.stem for t in terms}
        said = _Said(implied, frozenset(cognate_key(s) for s in implied))
        for row in self.rows:
            if row.doc_id not in allowed or not compatible(asked_unit, row.unit):
                continue
            if asked_unit is not row.unit and not _plausible(asked_unit, row):
                continue  # a share asked for is not answered by a count of 447, an amount by a count of 12
            if ordinals and {s for s in row.label_stems if _is_ordinal(s)} - ordinals:
                continue  # "scope 3" is not answered by "Scope 2"
            if years and not set(years) & row.years:
                continue
            if _one_part_named(row, asked):
                continue  # "fase 2" asks for that row of the table, not for the total of phases 1-3
            if asked_per is not UnitKind.UNKNOWN and row.per is not asked_per:
                continue
            coverage, precision, found, labelled = self.score(row, terms, implied)
            if coverage <= 0 or (labelled and labelled <= divided_by):
                continue
            score = coverage * (0.8 + 0.2 * precision) + _adjustment(row, asked_scale, asked_per, series, said)
            out.append(ScoredRow(row, score, coverage, precision, found, labelled))
        raw = {id(s.row): s.score for s in out}  # under a shared floor, the rows keep their own order
        if keys:
            # Question and row name the same metric of the curated vocabulary (a synonym the words miss,
            # "reduceret" ~ "Reduktion"): that counts as naming the row, unless another row covers clearly more of
            # the question ("udbytte pr. aktie" over a row that shares only "bestyrelse" with it).
            best = max((s.coverage for s in out), default=0.0)
            out = [
                replace(s, score=max(s.score + _VOCABULARY_BOOST, _VOCABULARY_FLOOR))
                if s.row.facts[0].metric_key.removesuffix("_intensitet") in keys
                and s.coverage >= _VOCABULARY_COVERAGE * best
                else s
                for s in out
            ]
        return sorted(out, key=lambda s: (-s.score, -raw[id(s.row)], s.row.doc_id, s.row.facts[0].start))


def content_stems(stems: Iterable[str]) -> frozenset[str]:
    """The stems that say what a figure is, not its scale, unit or time ("mia.", "kr.", "Ultimo")."""
    return frozenset(
        s for s in stems if s not in PERIOD_WORDS and scale(s) is None and unit_kind(s) is UnitKind.UNKNOWN
    )


@dataclass(frozen=True)
class _Said:
    """Words a question says that no row need have (`implied`), also by their Danish/Norwegian spelling key."""

    stems: frozenset[str]
    keys: frozenset[str]

    def has(self, stem: str) -> bool:
        return stem in self.stems or cognate_key(stem) in self.keys


def _adjustment(row: Row, asked_scale: str | None, asked_per: UnitKind, series: Sequence[int], said: _Said) -> float:
    """What a row's score gains or loses beyond its words: its unit's scale and divisor, its column, its years."""
    out = 0.0
    if asked_per is UnitKind.UNKNOWN and row.per is not UnitKind.UNKNOWN:
        out -= _RATIO_PENALTY
    if asked_scale is not None and row.scale == asked_scale:
        out += _SCALE_BONUS
    if is_total(row.facts[0].qualifier or ""):
        out += _TOTAL_COLUMN_BONUS  # "Sum" beside "A1-A3", "A4": the row total, unless a column is named
    if row.column_stems and all(said.has(s) for s in row.column_stems):
        out += _COLUMN_NAMED_BONUS  # "mængde for beton": the row's figure in the column the question names
    if series:
        out += _SERIES_BONUS * len(row.years & set(series)) / len(set(series))
    return out


def _spelt_apart(term: Term, row: Row) -> tuple[float, set[str]]:
    """A question word the row writes otherwise: its strength, and the row's words it names.

    Inflected ("ombrukt" ~ "ombruk"), or in the other Nordic spelling ("papirforbruk" ~ "Papirforbrug").
    """
    candidates = term.near | row.cognates.get(term.cognate, frozenset())
    strength, named = 0.0, set[str]()
    for tokens, where in ((row.label_tokens, _IN_LABEL), (row.context_tokens, _IN_CONTEXT)):
        hit = candidates & tokens
        if hit:
            strength = max(strength, where * _AS_INFLECTION)
            named |= hit
    return strength, named


def _is_number(token: str) -> bool:
    """A figure, not a word: digits without letters. Codes with letters are words ("A1", "B4", "CO2")."""
    return any(ch.isdigit() for ch in token) and not any(ch.isalpha() for ch in token)


def _is_ordinal(token: str) -> bool:
    return (token.isdigit() and len(token) <= 2) or (len(token) == 1 and token in "abcdefgh")


def is_total(label: str) -> bool:
    """Whether a row label only says "total" ("I alt", "Sum", "Total")."""
    return bool(_TOTAL.match(label.strip()))


def _one_part_named(row: Row, asked: set[str]) -> bool:
    """Whether a question names one of the rows a total sums by a word of that row's own: it asks for that row.

    "Fase 2" under a title that names all the phases; naming two or more asks for the total (see `score`).
    """
    if len(row.parts) < 2:
        return False
    shared = set(row.label_stems) | frozenset.intersection(*row.parts)  # words of every part name the whole
    return sum(bool((part - shared) & asked) for part in row.parts) == 1


def _synonym_named(row: Row, term: Term) -> set[str] | None:
    """The label words a question's word names through the curated synonyms, or None when it names none.

    The word itself is a synonym of the label's ("omsætning" ~ "Revenue"), or a compound of a synonym and a word of
    the row that spells it whole ("drikkevarevolumen" ~ "Beverages" under "Volumes"). The label's words of the
    synonym's group are what it names ("Årets resultat" of "pr. aktie"); all of them when none is in the group.
    """
    # Across languages, the word lexicon's translations count as synonyms too.
    across = term.written is not None and term.written != row.written
    tokens = row.synonym_tokens | row.translations if across else row.synonym_tokens
    groups = _groups_across if across else group_tokens
    parts = term.parts | term.across_parts if across else term.parts
    if term.stem in tokens:
        said = groups(term.stem)
    else:
        synonyms = parts & tokens
        if not synonyms or not _spells(term.stem, synonyms | (parts & (row.label_tokens | row.context_tokens))):
            return _same_head_synonym(term.stem, row, groups, _HEAD_MIN_ACROSS if across else _HEAD_MIN)
        said = frozenset(t for p in synonyms for t in groups(p))
    return {s for s, parts in row.label_stems.items() if s in said or parts & said} or set(row.label_stems)


def _groups_across(token: str) -> frozenset[str]:
    return group_tokens(token) | translation_tokens(token)


def _same_head_synonym(
    stem: str, row: Row, groups: Callable[[str], frozenset[str]] = group_tokens, head_min: int = _HEAD_MIN
) -> set[str] | None:
    """The label word a compound names by its head and a synonym of its first part, or None.

    "utslippsintensitet" ~ "Udledningsintensitet": the same head ("intensitet"), and "utslipp" ~ "udledning" in the
    curated synonyms; neither compound need be known to the splitter.
    """
    for label in row.label_stems:
        if stem[-head_min:] != label[-head_min:]:
            continue  # no shared head: most rows, told at once
        n = head_min
        while n < min(len(stem), len(label)) and stem[-n - 1] == label[-n - 1]:
            n += 1
        first, other = stem[:-n], label[:-n]
        if len(first) < _MIN_PART or len(other) < _MIN_PART:
            continue
        mine, theirs = _linked_forms(first), _linked_forms(other)
        if any(t in groups(m) for m in mine for t in theirs):
            return {label}
    return None


def _unknown_rest(stem: str, parts: Iterable[str]) -> bool:
    """Whether a compound's known parts leave its first word unknown ("nesten" of "nestenulykker").

    The known last part then names the kind of thing, and the unknown first word which of them is asked about:
    "nestenulykker" are no "Dødsulykker". A known first word with an unknown last ("vand|udgifter" asked of
    "Vand") still names the row's topic.
    """
    starts = [at for part in parts if (at := stem.find(part)) >= 0]
    return bool(starts) and min(starts) >= _MIN_PART + 1  # a linking letter after a short word is no word


def _other_kind(term: Term, found: frozenset[str], row: Row) -> bool:
    """Whether the parts found are the row's only as the last part of its own compounds with another first word.

    "vand|forbrug" asked of "Energiforbrug": the row measures another kind of the thing asked; a row that says
    "forbrug" as a word, or whose compound starts with a part the question names, is not such a row.
    """
    for part in found:
        at = term.stem.find(part)
        holders = [w for w in row.words if w.endswith(part) and w != part]
        if at <= 0 or part in row.words or not holders:
            return False
        asked = _linked_forms(term.stem[:at]) | term.parts  # "døds" of "døds|ulykker"
        if any(_linked_forms(word[: -len(part)]) & asked for word in holders):
            return False
    return bool(found)


def _linked_forms(first: str) -> set[str]:
    """A compound's first part as written and without its linking letters: one of them is the part's stem.

    "uddannelses" → "uddannelse", "uddannel".
    """
    return {first, first[:-1] if first.endswith(("s", "e")) else first, first.rstrip("se")}


def _inflected(a: str, b: str) -> bool:
    """Whether two stems are one word with a different short ending: one is the other plus at most two letters."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    ending = long[len(short) :]
    return len(short) >= 4 and 0 < len(ending) <= 2 and long.startswith(short) and ending.isalpha()


def _one_edit(a: str, b: str) -> bool:
    """Whether two different words are one letter inserted, dropped or changed apart (after the first letter)."""
    if a == b or abs(len(a) - len(b)) > 1 or a[:1] != b[:1]:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    rest = long[i + 1 :]
    return short[i + 1 :] == rest if len(short) == len(long) else short[i:] == rest


def _spells(stem: str, parts: Iterable[str]) -> bool:
    """True when found compound parts spell most of the stem between them (head and tail both found)."""
    covered = [False] * len(stem)
    for part in parts:
        for start in (stem.find(part), stem.rfind(part)):
            if start >= 0:
                for i in range(start, start + len(part)):
                    covered[i] = True
    return sum(covered) >= 0.85 * len(stem)


def _plausible(asked: UnitKind, row: Row) -> bool:
    """Whether the values of a row whose unit is not stated can be the kind asked for.

    A share lies within 0–100; an amount of money in a report is large or has decimals. A physical unit asked for
    ("GWh", "tonn", "m3") must be stated, by the row or its table's header: a row without one is usually kroner.
    """
    values = [f.value for f in row.facts if f.value is not None]
    if not values or row.unit is not UnitKind.UNKNOWN:
        return True
    if asked in (UnitKind.ENERGY, UnitKind.MASS, UnitKind.VOLUME, UnitKind.AREA):
        # "[kg]" once in the header row counts, as does "Volumes (million hl)" over the rows or in the title
        first = row.facts[0]
        return any(unit_kind(text) is asked for text in (first.header, first.group, first.table) if text)
    if asked is UnitKind.PERCENT:
        return all(0 <= v <= 100 for v in values) or any(f.qualifier == "m/k" for f in row.facts)
    if asked is UnitKind.MONEY:
        return row.amounts or any(_amount_like(v) for v in values)
    return True


# The group's own accounts: a title or heading naming the group ("Nordlys-koncernen", "Konsernets resultat"),
# or a column headed by it ("Koncern", "Konsern 2023"); not a note on balances "i samme konsern".
_GROUP_TITLE = re.compile(r"\b(?:koncernen|koncernens|konsernet|konsernets|the group|group's|consolidated)\b", re.I)
_GROUP_COLUMN = re.compile(r"\s*(?:koncern|konsern|group|consolidated)(?:\s+(?:19|20)\d\d)?\s*", re.I)


def _group_accounts(fact: Fact) -> bool:
    """Whether a row's table is the group's accounts (a document holding one answers group questions)."""
    if any(_GROUP_TITLE.search(x) for x in (fact.table, fact.section) if x):
        return True
    cells = [*(fact.header or "").split("\t"), fact.qualifier or ""]
    return any(_GROUP_COLUMN.fullmatch(cell) for cell in cells if cell)


def _link_totals(columns: Iterable[list[Row]]) -> None:
    """Give each total row ("I alt", "Sum") the label words of the rows of its table above it."""
    for members in columns:
        members.sort(key=lambda r: r.facts[0].start)
        above: list[frozenset[str]] = []
        for row in members:
            if is_total(row.label):
                row.parts = tuple(above)
                above = []
            else:
                above.append(frozenset(row.label_stems))


def _mark_amounts(columns: Iterable[list[Row]]) -> None:
    """Mark the rows whose column holds amounts: a unit belongs to a column, not to one row's values.

    "Tromsø 148" in a column of "Norge 13.455" is millions of kroner like its neighbours.
    """
    for members in columns:
        if any(_amount_like(f.value) for row in members for f in row.facts if f.value is not None):
            for row in members:
                row.amounts = True


def _amount_like(value: float) -> bool:
    return abs(value) >= 1000 or value != int(value)
