"""What a question asks for besides its words: language, years and the kind of answer it wants.

Years are explicit or relative ("sidste år"); `Asks` holds the cues for the kind of answer. Both answer
paths (facts and sentences) read these cues from here, so they agree on what a question is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from rag.errors import QuestionError
from rag.text.grammar import question_verb
from rag.text.language import detect_language, is_nynorsk, written
from rag.text.synonyms import YEAR_BEFORE
from rag.text.units import SCALED_MONEY, UnitKind, unit_kind
from rag.types import Language, OrgScope, Written

_YEAR = re.compile(r"(?<![\d.,])((?:19[89]|20[0-4])\d)(?![\d.,]?\d)")
_DATE_YEAR = re.compile(r"(?<![\d.,])\d{1,2}\.\s?\d{1,2}\.\s?((?:19[89]|20[0-4])\d)(?![\d.,]?\d)")
_RANGE = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)\s*(?:-|–|—|til|to)\s*(19[89]\d|20[0-4]\d)(?!\d)")
# Relative years, counted back from the newest report in the corpus.
_RELATIVE: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(sidste år|sidste års|i fjor|ifjor|fjorårets|forrige år|last year)\b", re.I), -1),
    (re.compile(r"\b(året før det|i forfjor|forfjor|to år siden|for to år siden)\b", re.I), -2),
    (re.compile(r"\b(i år|dette år|årets|i dag|nu|nå|seneste|nyeste|siste|latest|current)\b", re.I), 0),
)


# --- the kind of answer a question wants -------------------------------------------------------------------

# Answered only by a number (or, with _WHEN, a year).
_QUANTITY = re.compile(
    r"\b(hvor (?:mange|stor|store|stort|meget|mye|høj|høy|høyt|højt|høje|høye|lav|lavt|lave|lang|langt|lange)"
    r"|antal|antall|andel(?:en)?|totalt?|totale|samlet|samlede|samla|i alt"
    r"|procent\w*|prosent\w*|kost\w*|pris(?:en)?|beløb\w*|beløp\w*|score(?:n)?|niveau\w*|nivå\w*)\b",
    re.I,
)
# "Hvad var <metric> i <year>" asks for a value.
_VALUE_IN_YEAR = re.compile(r"^\s*hva(?:d)? (?:var|er|blev|ble)\b.*\b(?:19[89]\d|20[0-4]\d)\b", re.I)
# ... and the thing whose figure it asks for, when the year closes the question ("Kva var <X> for Y i 2023?").
_WHAT_IN_YEAR = re.compile(
    r"^\s*(?:hvad|hva|kva)\s+(?:var|er|blev|ble|vart)\s+(?P<what>.+?)\s+i\s+(?:19|20)\d\d\s*\?*\s*$", re.I
)
_WHEN = re.compile(r"\b(hvilket år|hvilke år|hvornår|fra hvilket år|what year|when)\b|^\s*når\b", re.I)
_FREQUENCY = re.compile(r"\bhvor ofte\b|\bhow often\b", re.I)
_MONEY = re.compile(
    r"\b(omsætning\w*|omsetning\w*|kroner|kr|nok|dkk|sek|beløb\w*|beløp\w*|penge|penger|pris\w*|kost\w*|"
    r"budget\w*)\b",
    re.I,
)
_PERSON = re.compile(r"^\s*hvem\b", re.I)
# A figure question: asks for a value, a level or a change (the facts path tries these first).
_FIGURE = re.compile(
    r"\b(hvor (mange|meget|mye|stor|store|stort|høj|højt|høy|høyt|lav|lavt|ofte)|hvad (var|er|blev|lå|ligger|udgjorde)|"
    r"hva (var|er|ble|lå|ligger|utgjorde)|hvilken (score|værdi|verdi|andel|nps)|hvilket (tal|tall|niveau)|"
    r"tal|tall|niveau|nivå|procent\w*|prosent\w*|andel\w*|score\w*|udvikl\w*|utvikl\w*|ændre\w*|endre\w*|steget|"
    r"faldet|falt|økt|how (much|many|high)|what was)\b",
    re.I,
)
# Asks how or why something is done: prose, even when it names a metric.
_NOT_FIGURE = re.compile(
    r"\b(hvorfor|hvordan (arbejder|sikrer|håndterer|jobber|arbeider|sikrer|forebygger|reducerer)|politik\w*|"
    r"tiltag|tiltak|indsats\w*|strategi\w*|hvad gør|hva gjør|beskriv\w*|forklar\w*|hvem|hvilke (tiltag|indsatser))\b",
    re.I,
)
# "Forskning og udvikling" (R&D) is not a development over time.
_TREND = re.compile(
    r"\b((?<!forskning og )udvikl\w*|(?<!forskning og )utvikl\w*|ændret|ændre\w*|endret|steget|faldet|falt|økt|"
    r"gået (op|ned)|trend\w*|over tid|forløb|changed|development)\b",
    re.I,
)
_TARGET = re.compile(r"\b(mål|målet|målsætning\w*|målsetning\w*|target)\b", re.I)
_PERCENT = re.compile(r"\b(andel\w*|procent\w*|prosent\w*|procentdel\w*|prosentdel\w*|share|del af|del av)\b|%", re.I)
# Says "procent" outright: the evidence must hold a percentage.
_PERCENT_VALUE = re.compile(r"\b(procent\w*|prosent\w*|pct)\b|%", re.I)
# The thing counted by "hvor mange …", past fillers and possessives ("hvor mange af Aleris' lokationer"); "hvor
# mange penge/kroner" asks for an amount, not a count.
_COUNTED = re.compile(
    r"\bhvor mange (?:(?:(?:procent|prosent|pct) (?:af|av)|af|av|nye|de|vores|våre|\w+['’]"
    r"|kg|kilo|tons?|tonn|tonnes|m2|m3|m²|m³|kwh|mwh|gwh|liter|hl|meter|km)\s+)*"
    r"(?!(?:penge|penger|kroner|kr|mio|mia|mill|mrd|millioner|milliarder|tusen|tusind)\b)"
    r"(\w+)",
    re.I,
)
_COUNTED_PERCENT = re.compile(r"\bhvor mange (procent|prosent|pct)\b", re.I)
# "hvor mange af medarbejderne …": part of a whole, which a share may answer as well as a count.
_PARTITIVE = re.compile(r"\b(?:hvor mange|how many) (?:af|av|of)\b", re.I)
_PEOPLE_COUNT = re.compile(r"\bhvor mange (kvinder|mænd|kvinner|menn|personer)\b", re.I)


# The thing measured by "hvor stor/høj …" when a noun follows ("hvor stor klimagassreduksjon"); not a verb or a word
# that only says "share" or "amount" ("hvor stor var …", "hvor stor en andel af …"). "Hvor meget/mye" is left out:
# an adverb, as often before a verb ("hvor meget steg …") as before a noun.
_MEASURED = re.compile(r"\bhvor (?:stor|stort|store|høj|højt|høy|høyt)\s+(?:(?:en|et|ei)\s+)?([^\W\d_][\w-]*)", re.I)
_NOT_MEASURED = frozenset(
    """
    var er blev ble bliver blir har havde hadde skal vil kan kunne skulle ville må mått
    andel andelen del delen procentdel prosentdel procent prosent mængde mængden mengde mengden beløb beløpet beløp
    sum summen værdi verdi total samlet samlede samla af av i på til for
    """.split()
)


def _measured(question: str) -> str | None:
    match = _MEASURED.search(question)
    if match is None or match.group(1).lower() in _NOT_MEASURED:
        return None
    return match.group(1)


def _counted(question: str) -> str | None:
    match = _COUNTED.search(question)
    if match is None or match.group(1).lower() in ("procent", "prosent", "pct"):
        return None  # "med hvor mange procent blev …": a change in percent, nothing counted
    return match.group(1)


class AnswerKind(StrEnum):
    """The kind of answer a question wants; the written answer is composed around a span of this kind."""

    PERSON = "person"  # "hvem": a name
    COUNT = "count"  # "hvor mange X": a number with its noun
    QUANTITY = "quantity"  # "hvor stor andel", "hvor meget": a number with its unit
    DATE = "date"  # "hvornår", "hvilket år": a year or date
    PLACE = "place"  # "hvor ligger", "i hvilket land": a place
    NAME = "name"  # "hvilken X", "hvad hedder X": one named thing
    LIST = "list"  # "hvilke X": several things
    STATEMENT = "statement"  # how, why, yes/no, what is: a sentence of the report


_DEGREE = r"(?:meget|mye|stor|store|stort|høj|højt|høy|høyt|lav|lavt|lang|langt|længe|lenge|ofte|gammel|gamle)"
_PLACE_NOUN = r"(?:land|lande|landene|by|byer|kommune|kommuner|region|regioner|sted|steder|område|områder|fylke|fylker)"
# The question words the answer takes the place of, per kind; the first that matches decides (as written).
_KIND_PATTERNS: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    (AnswerKind.DATE, re.compile(r"\b(?:hvilket|hvilke|hvilken) (?:år|dato)\b|\bhvornår\b|^\s*når\b|\bwhen\b", re.I)),
    (AnswerKind.PERSON, re.compile(r"\bhvem\b|\bwho\b", re.I)),
    (AnswerKind.QUANTITY, re.compile(r"\bhvor mange (?:procent|prosent|pct)\b", re.I)),
    (AnswerKind.COUNT, re.compile(r"\bhvor mange\b|\bhow many\b", re.I)),
    (
        AnswerKind.QUANTITY,
        re.compile(
            rf"\bhvor {_DEGREE}(?: (?:en |et |ei )?(?:andel|del|procentdel|prosentdel)\b)?"
            r"|\bhvilk(?:en|et) [\w-]*(?:score|andel|værdi|verdi|niveau|nivå|procent|prosent|rate|sats)\b|\bhow much\b",
            re.I,
        ),
    ),
    (AnswerKind.PLACE, re.compile(rf"\bhvilk(?:en|et|e) {_PLACE_NOUN}\b|\bhvorhen\b|\bwhere\b", re.I)),
    (AnswerKind.LIST, re.compile(r"\bhvilke [\w-]+", re.I)),
    (AnswerKind.NAME, re.compile(r"\bhvilk(?:en|et) [\w-]+|^\s*hvad?(?= (?:hedder|heter|kaldes|kalles)\b)", re.I)),
    (AnswerKind.PLACE, re.compile(r"\bhvor\b", re.I)),
)


def answer_kind(question: str) -> tuple[AnswerKind, str | None]:
    """The kind of answer wanted and the question words it replaces ("Hvor mange", "hvilket land", "Hvem").

    "Hvor mange X" keeps only "Hvor mange" here; the counted noun is `Asks.counted`.
    """
    for kind, pattern in _KIND_PATTERNS:
        match = pattern.search(question)
        if match:
            return kind, match.group(0).strip()
    return AnswerKind.STATEMENT, None


@dataclass(frozen=True)
class Asks:
    """The kind of answer a question wants, from its wording."""

    quantity: bool = False  # a number ("hvor mange", "andel", "Hvad var X i 2024")
    when: bool = False  # a year ("hvornår", "hvilket år")
    frequency: bool = False  # a rate or frequency word ("hvor ofte")
    money: bool = False  # an amount of money
    person: bool = False  # a name ("hvem")
    figure: bool = False  # a value, level or change: try the facts first
    not_figure: bool = False  # how/why something is done: prose even when a metric is named
    trend: bool = False  # a development over years
    target: bool = False  # the goal (Mål), not only the value
    percent: bool = False  # a share rather than a count
    percent_value: bool = False  # says "procent": only a percentage answers it
    people_count: bool = False  # a count of people ("hvor mange kvinder"), not a share
    counted: str | None = None  # the noun after "hvor mange" ("lokationer"), as written
    counted_percent: bool = False  # "hvor mange procent af …": a count that a percentage answers
    partitive: bool = False  # "hvor mange af …": part of a whole, a count or a share
    measured: str | None = None  # the noun after "hvor stor/høj" ("klimagassreduksjon"), as written
    verb: str | None = None  # the finite verb ("kostede", "solgte"), as written: what was done, not what is measured
    what: str | None = None  # "Hvad var <vandforbruget for X> i 2023?": what a year's figure is asked of, as written
    kind: AnswerKind = AnswerKind.STATEMENT  # what the written answer is composed around
    wh: str | None = None  # the question words the answer replaces, as written ("Hvor mange", "Hvem")

    @classmethod
    def of(cls, question: str) -> Asks:
        kind, wh = answer_kind(question)
        counted = _counted(question)
        if kind is AnswerKind.COUNT and (
            _ASKED_IN_MONEY.search(question) or (counted is not None and unit_kind(counted) is not UnitKind.UNKNOWN)
        ):
            # "Hvor mange aktier købte X tilbage for (mia. kr.)?", "hvor mange tonn stål": asked in a unit, an
            # amount of it is the answer, not a count of things
            kind, counted = AnswerKind.QUANTITY, None
        return cls(
            quantity=bool(_QUANTITY.search(question) or _VALUE_IN_YEAR.search(question)),
            when=bool(_WHEN.search(question)),
            frequency=bool(_FREQUENCY.search(question)),
            money=bool(_MONEY.search(question)),
            person=bool(_PERSON.search(question)),
            figure=bool(_FIGURE.search(question)),
            not_figure=bool(_NOT_FIGURE.search(question)),
            trend=bool(_TREND.search(question)),
            target=bool(_TARGET.search(question)),
            percent=bool(_PERCENT.search(question)),
            percent_value=bool(_PERCENT_VALUE.search(question)),
            people_count=bool(_PEOPLE_COUNT.search(question)),
            counted=counted,
            measured=_measured(question),
            verb=question_verb(question),
            what=(m.group("what") if (m := _WHAT_IN_YEAR.match(question)) else None),
            counted_percent=bool(_COUNTED_PERCENT.search(question)),
            partitive=bool(_PARTITIVE.search(question)),
            kind=kind,
            wh=wh,
        )


# An amount of money in its scale ("mia. kr.", "DKK m", "MNOK"), or "i kroner": what a question asks to be told in.
_ASKED_IN_MONEY = re.compile(rf"(?<![\w.])(?:{SCALED_MONEY})(?!\w)|\bi (?:kroner|euro)\b", re.IGNORECASE)


@dataclass(frozen=True)
class QueryInfo:
    """The question, parsed once at the top of the answer path; every later stage reads this, not the question.

    Language, years, the kind of answer it wants and (set by the answerer) the organisation scope.
    """

    text: str
    language: Language
    years: tuple[int, ...]
    year_range: tuple[int, int] | None = None
    relative: bool = False
    asks: Asks = Asks()
    scope: OrgScope = OrgScope()
    excluded: tuple[str, ...] = ()  # words the question sets aside: "(ud over øl)", "(ikke den egentlige)"
    nynorsk: bool = False  # a Norwegian question written in Nynorsk (its question words are read as Bokmål)

    @property
    def written(self) -> Written:
        """The question's language as written: Bokmål and Nynorsk apart, as the word lexicon needs them."""
        return written(self.language, self.nynorsk)


# What a question sets aside: after a word that excludes ("ud over", "uden for", "excluding"), or a "ikke"/"not"
# set off by a bracket or comma ("kapitalgrad (inkl. hybrid, ikke den egentlige)"); a bare "ikke" in the
# main clause negates the verb, not a thing. The phrase ends at punctuation; at most three words.
_EXCLUDED = re.compile(
    r"\b(?:ud ?over|ut ?over|uden ?for|uten ?for|bortset fra|bortsett fra|eksklusiv\w*|ekskl\.|excluding|excl\.|"
    r"except(?: for)?|other than|apart from)\s+(?P<a>[^(),.;:?!]+)"
    r"|[(,]\s*(?:ikke|not)\s+(?P<b>[^(),.;:?!]+)",
    re.IGNORECASE,
)


# A label that negates a word itself ("ikke ombruk (nye materialer)", "ekskl. moms"): no bracket needed there.
_NEGATED = re.compile(
    r"\b(?:ikke|not|uden|uten|utenom|ekskl\.|eksklusiv\w*|excl\.|excluding|except|ud ?over|ut ?over|"
    r"bortset fra|bortsett fra)\s+(?P<a>[^(),.;:?!\[\]]+)",
    re.IGNORECASE,
)


def _set_aside(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    """The first three words of each phrase `pattern` finds set aside in `text`, once each, in order."""
    phrases = (m.group("a") or m.groupdict().get("b") or "" for m in pattern.finditer(text))
    return tuple(dict.fromkeys(w for phrase in phrases for w in re.findall(r"[^\W\d_][\w\-]*", phrase)[:3]))


def negated_words(label: str) -> tuple[str, ...]:
    """The words a row label or column header itself negates ("ikke ombruk (nye materialer)" → "ombruk")."""
    return _set_aside(_NEGATED, label)


def excluded_words(question: str) -> tuple[str, ...]:
    """The words a question excludes ("andre drikkevarer (ud over øl)" → "øl"); the caller drops stopwords."""
    return _set_aside(_EXCLUDED, question)


def years_in(text: str) -> list[int]:
    """Years 1980–2049 written in a text, in order; not parts of larger numbers like 1.2025 or 20251.

    The year of a date is written too ("pr. 31.12.2024", "31. 12. 2024"): the date says when a figure stood.
    """
    found = [(m.start(1), int(m.group(1))) for pattern in (_YEAR, _DATE_YEAR) for m in pattern.finditer(text)]
    return [year for _, year in sorted(found)]



def stated_years(sentence: str, report_year: int | None) -> set[int]:
    """The years a sentence gives figures for: those it writes, and the year before when it compares with it.

    The year before is counted back from the sentence's own (earliest) year, else from its report's year (which
    the sentence then speaks of as well). Years only in brackets are comparisons with the report's year, and so is a
    bare figure in brackets after a figure ("57 (54)"), the way annual reports print the year before.
    """
    years = set(years_in(sentence))
    if years and report_year is not None and not years_in(re.sub(r"\([^()]*\)", " ", sentence)):
        years.add(report_year)  # "3,8 % (4,4 % i 2018)": the figure outside the brackets is the report's year's
    if YEAR_BEFORE.search(sentence) or (not years and _BRACKETED_BEFORE.search(sentence)):
        base = min(years) if years else report_year
        if base is not None:
            years |= {base, base - 1}  # "4,1 % mod 5,0 % sidste år" in the 2024 report: both years
    return years


# "Driftsinntektene var 84,5 mill. kr. (79,9 mill. kr.)": a figure with last year's in brackets after it.
_BRACKETED_BEFORE = re.compile(
    r"\d[\d.,  ]*\s?(?:%|\w{1,8}\.?(?:\s\w{1,4}\.?)?)?\s?\(\s*[-−]?\d[\d.,  ]*[^()\d]{0,20}\)"
)


_SURROGATE = re.compile("[\ud800-\udfff]")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def validate_question(question: str, max_chars: int) -> str:
    """A cleaned question, or `QuestionError` saying what to change.

    Invisible format characters (zero-width spaces, joiners, BOM, soft hyphens) are dropped, so a question of
    only those is empty; a lone surrogate (a byte that was not UTF-8, e.g. from a Latin-1 terminal) is refused.
    """
    if _SURROGATE.search(question):
        raise QuestionError(
            "The question contains bytes that are not valid UTF-8; set the terminal to UTF-8 "
            "(e.g. export LANG=C.UTF-8) and type the question again."
        )
    cleaned = " ".join(_INVISIBLE.sub("", question).split())
    if not cleaned:
        raise QuestionError("The question is empty; type a question, e.g. 'Hvad var eNPS i 2024?'.")
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"The question is {len(cleaned)} characters; shorten it to at most {max_chars} "
            "(ask about one figure or topic at a time)."
        )
    return cleaned


# Nynorsk question words and the Bokmål ones the patterns here know ("Kor mange tilsette …" → "Hvor mange …").
_NYNORSK: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{nn}\b", re.IGNORECASE), nb)
    for nn, nb in (
        ("kva for ein", "hvilken"), ("kva for eit", "hvilket"), ("kva for", "hvilke"), ("kva tid", "når"),
        ("kva", "hva"), ("kven", "hvem"), ("korleis", "hvordan"), ("kvifor", "hvorfor"), ("mykje", "mye"),
        ("kor(?= (?:mange|stor|stort|store|mye|høg|høgt|høy|høyt|lang|langt|ofte|gammal|gamalt)\b)", "hvor"),
        ("^kor", "Hvor"),
    )
)  # fmt: skip


def bokmaal_question_words(question: str) -> str:
    """The question with Nynorsk question words in Bokmål, case kept at the start: one set of patterns for both."""
    for pattern, bokmaal in _NYNORSK:
        question = pattern.sub(partial(_same_case, bokmaal), question)
    return question


def _same_case(word: str, match: re.Match[str]) -> str:
    return word.capitalize() if match.group()[:1].isupper() else word


def parse_query(question: str, newest_year: int | None = None) -> QueryInfo:
    """Language and years of a question; relative years need the corpus' newest report year.

    A Norwegian question in Nynorsk is read with its question words in Bokmål (`bokmaal_question_words`).
    """
    language = detect_language(question)
    nynorsk = language == "nb" and is_nynorsk(question)
    if language == "nb":
        question = bokmaal_question_words(question)
    years = years_in(question)
    year_range: tuple[int, int] | None = None
    match = _RANGE.search(question)
    if match:
        a, b = sorted((int(match.group(1)), int(match.group(2))))
        year_range = (a, b)
    relative = False
    if not years and newest_year is not None:
        for pattern, delta in _RELATIVE:
            if pattern.search(question):
                if delta == 0:
                    break  # "seneste"/"i år": the newest year, which is also the default
                years.append(newest_year + delta)
                relative = True
                break
    return QueryInfo(
        text=question,
        language=language,
        years=tuple(dict.fromkeys(years)),
        year_range=year_range,
        relative=relative,
        asks=Asks.of(question),
        excluded=excluded_words(question),
        nynorsk=nynorsk,
    )
