"""Written answers: the span that answers, found in the evidence by the kind of answer wanted, put in a sentence.

Danish and Norwegian put the finite verb second, so a question becomes its answer when its question words are
replaced by the answer: "Hvor mange lokasjoner har Nordlys AS i Norge?" → "Nordlys AS har 13 lokasjoner i
Norge [1]."; "Hvem er administrerende direktør i Nordlys AS?" → "Administrerende direktør i Nordlys AS er Ola
Berg [1]."; "Hvilke hospitaler …?" → "Følgende hospitaler …: A og B [1]." The span is found in the cited
sentences by the kind of answer (`rag.answer.query.AnswerKind`) and copied as written, so a number stays as the report
prints it and `rag.answer.grounding` holds (a year of the question that no cited quote states is left out). When no
span of the wanted kind is found, the best sentence is given as a short third-person statement. Nothing is
added that neither the question nor a cited sentence says.

`explain_gap` makes an abstention useful: when the reports hold the subject for another year, organisation or
country, it says which, and offers the question they can answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.answer.grounding import ungrounded_numbers
from rag.answer.query import AnswerKind, QueryInfo, years_in
from rag.text.analysis import all_stopwords, analyze, default_analyzer
from rag.text.grammar import (
    PARTICLES,
    PREPOSITIONS,
    PRONOUNS,
    definite_like,
    verb_like,
)
from rag.text.numbers import (
    NumberMatch,
    english_to_nordic,
    find_numbers,
    starts_with_day,
    to_nordic,
    written_date,
)
from rag.text.sentences import next_sentence, split_sentences
from rag.text.synonyms import YEAR_BEFORE, expand_query
from rag.text.units import BRACKETED_UNIT, unit_after
from rag.types import Chunk, Citation, DocMeta, Fact, Hit, Language


@dataclass(frozen=True)
class Evidence:
    """A sentence that can answer the question: as quoted, with its line breaks, where it is from, how well it fits."""

    text: str
    raw: str
    chunk: Chunk
    coverage: float = 0.0


@dataclass(frozen=True)
class Composed:
    """A written answer: text with [n] markers, its citations, and the kind of span it was built around."""

    text: str
    citations: tuple[Citation, ...]
    kind: AnswerKind
    # Figures the text prints as code re-printed them from a quote (another notation), for the grounding check.
    computed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gap:
    """What the reports hold instead of what was asked, and questions they can answer."""

    text: str
    suggestions: tuple[str, ...]


# --- words (curated question, role and function words of Danish, Norwegian and English) -----------------------

# "Hvor mye lavere/høyere …": the figure of the difference stands next to the comparative.
_COMPARATIVES = frozenset(
    "lavere højere høyere større mindre flere færre mere mer bedre dårligere billigere dyrere "
    "lower higher larger smaller more fewer less better worse".split()
)
_COPULAS = frozenset("er var blev ble bliver blir hedder heter hed het kaldes kalles is are was were".split())
_ROLE_ENDINGS = (
    "direktør",
    "direktøren",
    "leder",
    "lederen",
    "formand",
    "formanden",
    "formann",
    "styreleder",
    "chef",
    "chefen",
    "sjef",
    "ceo",
    "cfo",
    "coo",
    "officer",
    "director",
    "manager",
    "chair",
    "chairman",
    "president",
)
_COUNTRIES: dict[str, str] = {
    "danmark": "DK",
    "denmark": "DK",
    "norge": "NO",
    "noreg": "NO",
    "norway": "NO",
    "sverige": "SE",
    "sweden": "SE",
    "finland": "FI",
    "island": "IS",
    "iceland": "IS",
    "tyskland": "DE",
    "germany": "DE",
}
_LOCATIVE = frozenset("i på ved hos in".split())
_STREET = re.compile(
    r"^(?:\w*(?:gate|gata|gade|vej|vei|veien|vejen|allé|alle|plads|plass|torv|torg|stræde|road|street))$", re.I
)
_DATE_PREPS = frozenset("i siden fra til inden innen den in since from by on".split())
_ENGLISH_DATE_PREPS: dict[Language, dict[str, str]] = {
    "da": {"in": "i", "since": "siden", "from": "fra", "by": "inden", "on": "den"},
    "nb": {"in": "i", "since": "siden", "from": "fra", "by": "innen", "on": "den"},
}
_MONTHS = frozenset(
    """
    januar februar marts mars april maj mai juni juli august september oktober november december desember
    january february march may june july october
    """.split()
)
# Small numbers written as words ("to strategiske leverandører"); "én"/"ét" are mostly articles.
NUMBER_WORDS = re.compile(
    r"\b(ét|én|to|tre|fire|fem|seks|syv|sju|otte|åtte|ni|ti|elleve|tolv|tyve|tjue|hundrede|hundre|tusind|tusen)\b",
    re.I,
)
# ... in an English sentence, where "to" is a preposition and "fire" a fire.
_NUMBER_WORDS_EN = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|dozen)\b", re.I
)


def number_words(language: Language) -> re.Pattern[str]:
    """The small numbers written as words in a sentence of this language."""
    return _NUMBER_WORDS_EN if language == "en" else NUMBER_WORDS
_COMPARATOR = re.compile(
    r"(?:over|mere end|mer enn|more than|ca\.|cirka|omkring|om lag|knap|knapt|næsten|nesten|godt|mindst|minst|"
    r"op til|opp til|up to|under|totalt|i alt|about|around|nearly|almost)\s+$",
    re.I,
)
_RANGE_AFTER = re.compile(r"^\s*(?:[–-]|til)\s*\d[\d.,]*(?:\s?%)?")
_RANGE_END = re.compile(r"\d\s*(?:[–-]|til)\s*$")
_CURRENCY_BEFORE = re.compile(r"(?:NOK|DKK|SEK|EUR|USD|kr\.?)\s*$")
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:kr\.?|kroner|NOK|DKK|SEK|EUR|euro|kg|ton|tons|tonn|tonnes|t|[kMG]Wh|GJ|m3|m³|m2|m²|km|liter|l)(?![\w³²])",
    re.I,
)
# A token: a quoted title, a bracket, or a word with inner dots, hyphens, slashes (emails and codes stay whole).
_TOKEN = re.compile(
    r"«[^»\n]{1,80}»|[”“\"„][^”“\"„\n]{1,80}[”“\"]|(?<!\w)[’‘'][^’‘'\n]{1,60}[’'](?!\w)|\([^()\n]{1,40}\)"
    r"|[\w@][\w.,'’&/@+-]*[\w%]|[\w%]"
)
_QUOTE_OPEN = "«”“\"„’‘'"
_CONNECTORS = frozenset({"&", "of", "and", "von", "van", "de", "la", "du"})
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:(?:og|eller|samt|and|or)\s+)?|\s+(?:og|eller|samt|and|or|&)\s+)$", re.I)
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_FIRST_PERSON: dict[str, str] = {"vi": "de", "we": "they", "os": "dem", "oss": "dem", "us": "them"}
_POSSESSIVE = frozenset("vores vor vort vore vår vårt våre our".split())
_STATEMENT_CHARS = 240
# A name on its own line, as under a letter ("Kari Nordmann" / "Styreleder").
NAME_LINE = re.compile(r"^[A-ZÆØÅ][a-zæøåé]+(?: (?:[A-ZÆØÅ]\.|[A-ZÆØÅ][a-zæøåé]+)){1,3}$")
_WORDS: dict[Language, dict[str, str]] = {
    "da": {
        "it_is": "Det er",
        "following": "Følgende",
        "and": "og",
        "reports": "Rapporterne",
        "lacks": "har ikke",
        "has_it": "de har det for",
        "for": "for",
        "in": "i",
        "at": "hos",
    },
    "nb": {
        "it_is": "Det er",
        "following": "Følgende",
        "and": "og",
        "reports": "Rapportene",
        "report": "Rapporten",
        "lacks": "har ikke",
        "has_it": "de har det for",
        "for": "for",
        "in": "i",
        "at": "hos",
    },
}


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and self.text[:1].isalpha()

    @property
    def quoted(self) -> bool:
        return self.text[:1] in _QUOTE_OPEN


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _stems(text: str, language: Language) -> set[str]:
    """Whole-word stems in the text's language and the other one (a Norwegian question, a Danish report)."""
    analyzer = default_analyzer()
    return set(analyzer.base_tokens(text, language)) | set(
        analyzer.base_tokens(text, "nb" if language == "da" else "da")
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _genitive(name: str) -> str:
    return f"{name}'" if name[-1:].lower() in "sxz" else f"{name}s"


# --- the question as a frame: question words, the verb after them, the subject ----------------------------------


@dataclass(frozen=True)
class _Frame:
    """A question cut where the answer goes: `before` + question words (`np`, head noun, `modifier`) + verb + rest."""

    before: str
    np: str
    head: str | None
    modifier: str
    verb: str
    subject: str | None
    rest: list[str]


def _noun_phrase(kind: AnswerKind, wh: str, words: list[str], counted: str | None) -> list[str]:
    """The words after the question words that belong to them ("Hvilket <nyt tilbud inden for X> startede …")."""
    if kind is AnswerKind.COUNT and counted:
        lowered = [w.lower().strip(",") for w in words[:5]]
        return words[: lowered.index(counted.lower()) + 1] if counted.lower() in lowered else []
    if (
        kind not in (AnswerKind.NAME, AnswerKind.LIST, AnswerKind.PLACE, AnswerKind.QUANTITY)
        or wh[:1].lower() not in "hw"
    ):
        return []
    out: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else None
        if verb_like(word, following) or (kind is AnswerKind.QUANTITY and not out and word.lower() in PREPOSITIONS):
            break
        out.append(word)
    return out


def _subject_words(after: list[str], verb: str) -> list[str]:
    """The subject right after the verb, taken off `after`: a name, a pronoun or a definite noun ("hospitalet")."""
    subject: list[str] = []
    if after and after[0][:1].isupper():
        while after and after[0][:1].isupper() and after[0].lower() not in PRONOUNS:
            subject.append(after.pop(0))
    elif after and after[0].lower() in PRONOUNS - {"den", "det", "de", "i"}:
        subject.append(after.pop(0))
    elif (
        after
        and verb.lower() not in _COPULAS  # "blev plantet": after "blev" an -et word is a participle
        and definite_like(after[0])
        and (len(after) == 1 or after[1].lower() in PREPOSITIONS | PARTICLES)
    ):
        subject.append(after.pop(0))
        if len(after) >= 2 and after[0].lower() in PREPOSITIONS and after[1][:1].isupper():
            subject.append(
                after.pop(0)
            )  # "hospitalet i København", "belægningsprocenten på Aalborg Universitetshospital"
            while after and after[0][:1].isupper():
                subject.append(after.pop(0))
    return subject


_ASKED_IN = re.compile(rf"\s*\((?:i\s|in\s)?{BRACKETED_UNIT}\)$", re.IGNORECASE)


def _frame(info: QueryInfo) -> _Frame | None:
    """The question cut around its question words (`Asks.wh`), or None when they are not found."""
    wh = info.asks.wh
    if not wh:
        return None
    question = info.text.strip().rstrip("?!. ").strip()
    question = _ASKED_IN.sub("", question)  # "… i 2024 (mia. kr.)": the unit asked in; the answer's figure shows it
    at = question.lower().find(wh.lower())
    if at < 0:
        return None
    end = at + len(wh)
    while end < len(question) and question[end].isalpha():  # "Hvor høj" as written: "Hvor højt"
        end += 1
    wh = question[at:end]
    before, words = question[:at].strip(), question[end:].split()
    kind = info.asks.kind
    np_words = _noun_phrase(kind, wh, words, info.asks.counted)
    words = words[len(np_words) :]
    if not words:
        return None
    cut = next((i for i, w in enumerate(np_words) if w.lower() in PREPOSITIONS), len(np_words))
    core, modifier = np_words[:cut], np_words[cut:]
    wh_words = wh.split()
    head = core[-1] if core else (wh_words[-1] if len(wh_words) > 1 else None)
    verb, after = words[0], words[1:]
    if head is None and kind is AnswerKind.NAME:  # "Hvad hedder <possessor> <head> <of …>": the thing named
        named = list(after[: next((i for i, w in enumerate(after) if w.lower() in PREPOSITIONS), len(after))])
        head = named[-1] if named else None
    subject = _subject_words(after, verb)
    return _Frame(
        before=before,
        np=" ".join([wh, *core]).strip(),
        head=head.strip(",") if head else None,
        modifier=" ".join(modifier),
        verb=verb,
        subject=" ".join(subject) or None,
        rest=after,
    )


def _object_clause(frame: _Frame, answer: str) -> str | None:
    """The clause "<subject> <verb> … <answer> …" when the question words stand for the object, if the rest fits."""
    if frame.subject is None:
        return None
    s, v, rest = frame.subject, frame.verb, frame.rest
    answer = f"{answer} {frame.modifier}".strip()
    if not rest:
        return f"{s} {v} {answer}"
    lowered = [w.lower() for w in rest]
    stranded = next(
        (
            i
            for i, w in enumerate(lowered)
            if w in PREPOSITIONS and (i + 1 == len(lowered) or lowered[i + 1] in PREPOSITIONS)
        ),
        None,
    )
    if stranded is not None:  # "… sammen med" / "… ud til i 2024": the answer follows the stranded preposition
        return " ".join([s, v, *rest[: stranded + 1], answer, *rest[stranded + 1 :]])
    if len(rest) <= 3 and all(w[:1].islower() and w.isalpha() for w in rest) and not set(lowered[:-1]) & PREPOSITIONS:
        return f"{s} {v} {' '.join(rest)} {answer}"  # a verb complex: "har tilsluttet sig" + the answer
    if lowered[0] in PREPOSITIONS:
        return f"{s} {v} {answer} {' '.join(rest)}"
    return None


def _fronted(frame: _Frame, answer: str) -> str:
    """The answer in the question words' place: "<answer> <verb> <rest>" (verb second, like the question)."""
    parts = [frame.before, answer, frame.modifier, frame.verb, *([frame.subject] if frame.subject else []), *frame.rest]
    return " ".join(p for p in parts if p)


def _has_role(words: Iterable[str]) -> bool:
    return any(w.lower().strip(".,").endswith(_ROLE_ENDINGS) for w in words)


# --- spans of each kind ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    text: str
    part: int
    start: int
    prep: str | None = None


def _question_words(info: QueryInfo) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w'’-]+", info.text)}


def _excluded(token: str, question: set[str], question_stems: set[str], org: set[str], language: Language) -> bool:
    """Words of the question or its organisation are not the answer ("Årets Frivilligpris" for "årets frivillige")."""
    low = token.lower().strip("'’")
    if low in question or low in org:
        return True
    if any(len(q) >= 5 and low.startswith(q) for q in question if len(low) >= 5):
        return True
    return bool(_stems(token, language) & question_stems) and low not in PREPOSITIONS


def _runs(tokens: list[_Token], skip: set[int]) -> list[list[int]]:
    """Runs of capitalised words (an inner "&"/"of" allowed), not crossing a skipped word."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, tok in enumerate(tokens):
        ok = i not in skip and tok.capitalised and "@" not in tok.text and "/" not in tok.text
        if ok:
            current.append(i)
        elif current and tok.lower in _CONNECTORS and i + 1 < len(tokens) and tokens[i + 1].capitalised:
            current.append(i)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [r for r in runs if tokens[r[-1]].lower not in _CONNECTORS]


def _line_runs(line: str, info: QueryInfo, org: set[str], passage: str) -> list[tuple[list[_Token], list[int]]]:
    """Name-like runs of one line; a capitalised first word counts only if the passage capitalises it elsewhere."""
    tokens = _tokens(line)
    question, stems = _question_words(info), _stems(info.text, info.language)
    stop = all_stopwords()
    excluded = {
        i for i, t in enumerate(tokens) if t.capitalised and _excluded(t.text, question, stems, org, info.language)
    }
    skip = set(excluded)
    for i, tok in enumerate(tokens):
        opens = i == 0 or line[: tok.start].rstrip()[-1:] in ".:;!?•●▪"
        if opens and tok.capitalised:  # a capital that only opens a sentence or list item says nothing
            elsewhere = re.search(rf"(?<=[a-zæøå,] ){re.escape(tok.text)}\b", passage)
            if tok.lower in stop or not elsewhere:
                skip.add(i)
    runs = _runs(tokens, skip)
    # The first words of a name the question gives ("Team" of "Team X") are not another name.
    runs = [r for r in runs if not (r[-1] + 1 in excluded and line[tokens[r[-1]].end : tokens[r[-1] + 1].start] == " ")]
    return [(tokens, run) for run in runs]


def _org_words(chunk: Chunk) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w-]+", chunk.organisation or "")} | {
        w for w in (chunk.organisation or "").lower().replace("-", " ").split()
    }


def _find_person(parts: Sequence[Evidence], info: QueryInfo) -> _Span | None:
    """A name: a signature line, a name after a role word, or a name in the sentence (not a place, not the asker)."""
    question = _question_words(info)
    last = info.text.rstrip("?!. ").split()[-1].lower() if info.text.split() else ""
    roles = {w for w in question if w.endswith(_ROLE_ENDINGS)}
    found: list[tuple[tuple[int, int, int], _Span]] = []
    for p, part in enumerate(parts):
        org = _org_words(part.chunk)
        offset = 0
        for line in part.raw.split("\n"):
            stripped = line.strip()
            if NAME_LINE.match(stripped) and not {w.lower() for w in stripped.split()} & (question | org):
                found.append(((0, p, offset), _Span(stripped, p, offset)))
            for tokens, run in _line_runs(stripped, info, org, part.chunk.text):
                text = stripped[tokens[run[0]].start : tokens[run[-1]].end]
                before = tokens[run[0] - 1].lower if run[0] > 0 else ""
                if before in _LOCATIVE or before in ("fra", "til") or not any(c.islower() for c in text):
                    continue  # a place ("i Bergen") or an acronym, not a person
                if text.lower() in _COUNTRIES:
                    continue
                if before.endswith(_ROLE_ENDINGS) and any(before.endswith(r) or r.endswith(before) for r in roles):
                    tier = 1  # named by the role the question asks about ("direktør Ola Berg")
                elif before == "med" and last != "med":
                    tier = 3  # "i samarbejde med X" names a partner, not who is asked about
                else:
                    tier = 2
                found.append(((tier, p, offset + tokens[run[0]].start), _Span(text, p, offset + tokens[run[0]].start)))
            offset += len(line) + 1
    return min(found, key=lambda f: f[0])[1] if found else None


def _content_positions(tokens: list[_Token], info: QueryInfo) -> list[int]:
    """Where the sentence says something the question says (whole-word stems, synonyms too)."""
    question = _stems(info.text, info.language)
    question |= set(expand_query(info.text, info.language))
    stop = all_stopwords()
    return [i for i, t in enumerate(tokens) if t.lower not in stop and _stems(t.text, info.language) & question]


def _distance(index: int, positions: Sequence[int]) -> int:
    return min((abs(index - p) for p in positions), default=99)


def _numbers(text: str, english: bool = False) -> list[NumberMatch]:
    """Figures of a sentence, years aside; small numbers written as words count too; a range counts once.

    `english`: the sentence's report prints numbers the English way ("56,384.5"); offsets are the sentence's.
    """
    out = [
        n
        for n in find_numbers(to_nordic(text) if english else text)
        if n.value is not None and not (n.kind == "number" and _is_year(n)) and not _RANGE_END.search(text[: n.start])
    ]
    for m in NUMBER_WORDS.finditer(text):
        if m.group().lower() not in ("én", "ét") and not any(n.start <= m.start() < n.end for n in out):
            out.append(NumberMatch(None, None, m.start(), m.end(), m.group(), "number"))
    return sorted(out, key=lambda n: n.start)


def _own_year(tokens: Sequence[_Token], at: int) -> int | None:
    """The year written right after a figure, before any other figure ("2,2 % ultimo 2017"): the figure's year."""
    for tok in tokens[at + 1 : at + 5]:
        if tok.text.isdigit() and len(tok.text) == 4 and 1980 <= int(tok.text) <= 2049:
            return int(tok.text)
        if any(ch.isdigit() for ch in tok.text):
            return None
    return None


_YEAR_BEFORE_AFTER = re.compile(rf"^\s?(?:[^\s\d]+\s)?(?:{YEAR_BEFORE.pattern})", re.IGNORECASE)


def _year_before(text: str, end: int) -> int | None:
    """The year before the sentence's own, for a figure it says is the year before's, else None.

    The phrase follows the figure and its unit ("against 549 tonnes the year before", "mod 5,0 % året før"); after
    more words it qualifies a change ("en stigning på 8 % i forhold til året før").
    """
    years = years_in(text)
    return min(years) - 1 if years and _YEAR_BEFORE_AFTER.match(text[end:]) else None


def _named_numbers(question: str) -> set[float]:
    """Numbers the question itself states ("søjle 2-krav", "Hus 12"): they name what is asked about."""
    return {n.value for n in find_numbers(question) if n.value is not None and not _is_year(n)}


def _names_a_thing(text: str, n: NumberMatch, named: set[float]) -> bool:
    """A number that is part of a name or an ordinal, not a quantity: one the question names, or "1. halvår"."""
    if n.kind == "number" and n.value in named:
        return True
    return n.kind == "number" and bool(re.match(r"\.\s+[a-zæøå]", text[n.end :])) and n.text.isdigit()


def _is_year(n: NumberMatch) -> bool:
    v = n.value
    return v is not None and v.is_integer() and 1980 <= v <= 2049 and "." not in n.text and "," not in n.text


def _token_at(tokens: list[_Token], pos: int) -> int:
    return sum(1 for t in tokens if t.end <= pos)


def _with_comparator(text: str, n: NumberMatch) -> tuple[int, str]:
    """The number as printed with what qualifies it before and after ("over 1000", "NOK 30 000", "36%")."""
    start, end = n.start, n.end
    currency = _CURRENCY_BEFORE.search(text[:start])
    if currency:
        start = currency.start()
    after = _CURRENCY_AFTER.match(text[end:])
    if after:
        end += after.end()
    span = _RANGE_AFTER.match(text[end:])
    if span:  # "90 – 100 %": a range is one answer
        end += span.end()
    comparator = _COMPARATOR.search(text[:start])
    if comparator:
        start = comparator.start()
    return start, text[start:end]


def _find_count(parts: Sequence[Evidence], info: QueryInfo, partitive: bool = False) -> _Span | None:
    """A number with its noun ("13 lokasjoner", "over 1000 medarbeidere"), the noun being the one counted.

    "Hvor mange af X …" (`partitive`) asks for a part of X: the number near the question's other words, not the
    one counting X ("Ud af 120 indikatorer … var de 118 helt opfyldt"), and without a noun (the question's
    "af X" follows it).
    """
    counted = info.asks.counted
    if not counted:
        return None
    wanted = _stems(counted, info.language) | set(expand_query(counted, info.language))
    stop = all_stopwords()
    best: tuple[tuple[int, int, int], _Span] | None = None
    for p, part in enumerate(parts):
        tokens = _tokens(part.text)
        nouns = [i for i, t in enumerate(tokens) if _stems(t.text, part.chunk.language) & wanted]
        others = [i for i in _content_positions(tokens, info) if i not in nouns]
        for n in _numbers(part.text, part.chunk.english_notation):
            at = _token_at(tokens, n.start)
            after = [i for i in nouns if 0 < i - at <= 5]
            before = [i for i in nouns if 0 < at - i <= 5]
            if not after and not before:
                continue
            start, printed = _with_comparator(part.text, n)
            if partitive:
                phrase, key = printed, (_distance(at, others), p, 0)
            elif after:
                noun = after[0]
                between = [
                    t.text
                    for t in tokens[at + 1 : noun]
                    if t.lower not in stop and t.text[:1].isalpha() and t.start >= start + len(printed)
                ]
                phrase = " ".join([printed, *between, tokens[noun].text])
                key = (p, 0, noun - at)
            else:  # the best sentence's count first: a sentence quoted after it only completes it
                phrase, key = f"{printed} {counted}", (p, 1, at - before[-1])
            if best is None or key < best[0]:
                best = (key, _Span(phrase, p, start))
    return best[1] if best else None


def _find_quantity(
    parts: Sequence[Evidence], info: QueryInfo, change: bool = False, comparative: str | None = None
) -> _Span | None:
    """A figure with its unit, the one nearest the question's words; a share asks for a percentage.

    "Hvor meget steg X" (`change`) is answered by an amount of change, a figure after "med"/"på" ("en stigning
    på 12 %"), before any other. "Hvor mye lavere" (`comparative`) by the figure nearest that word ("38 % lavere").
    """
    asks = info.asks
    if asks.frequency:
        return None
    wants_percent = asks.percent or asks.percent_value or asks.counted_percent
    named = _named_numbers(info.text)
    best: tuple[tuple[int, int, int, int, int], _Span] | None = None
    for p, part in enumerate(parts):
        tokens = _tokens(part.text)
        positions = _content_positions(tokens, info)
        compared = [i for i, t in enumerate(tokens) if comparative and t.lower == comparative]
        asked_years = [i for i, t in enumerate(tokens) if t.text.isdigit() and int(t.text) in info.years]
        for n in _numbers(part.text, part.chunk.english_notation):
            if n.value is None or (wants_percent and n.kind != "percent") or _names_a_thing(part.text, n, named):
                continue
            start, printed = _with_comparator(part.text, n)
            if asks.money and not (
                _CURRENCY_BEFORE.search(part.text[: n.start]) or _CURRENCY_AFTER.match(part.text[n.end :])
            ):
                if "mio" not in printed and "mia" not in printed:
                    continue
            at = _token_at(tokens, n.start)
            prep = tokens[at - 1].lower if at > 0 and start == n.start else None
            prep = prep if prep in ("med", "på", "til", "by") else None
            own = _own_year(tokens, at) or _year_before(part.text, n.end)
            other_year = bool(info.years) and own not in (None, *info.years)
            near = _distance(at, compared) if compared else 0
            # Equally near the question's words, the figure nearer the year asked about ("DKK 12bn since 2020, of
            # which DKK 3.4bn in 2024").
            year_near = _distance(at, asked_years) if asked_years else 0
            key = (int(change and prep is None) + 2 * other_year, near, _distance(at, positions), year_near, p)
            if best is None or key < best[0]:
                best = (key, _Span(printed, p, start, prep))
    return best[1] if best else None


def _find_date(parts: Sequence[Evidence], info: QueryInfo) -> _Span | None:
    """A year or date the question does not already name, nearest the question's words, with its preposition."""
    asked = set(info.years)
    best: tuple[tuple[int, int], _Span] | None = None
    for p, part in enumerate(parts):
        tokens = _tokens(part.text)
        positions = _content_positions(tokens, info)
        for i, tok in enumerate(tokens):
            dates = [n for n in find_numbers(tok.text) if n.kind == "date"]
            is_year = bool(years_in(tok.text)) and tok.text.isdigit() and int(tok.text) not in asked
            if not (is_year or dates):
                continue
            first = i - 1 if i > 0 and tokens[i - 1].lower in _MONTHS else i
            if first < i and first > 0 and tokens[first - 1].text.isdigit() and 1 <= int(tokens[first - 1].text) <= 31:
                first -= 1  # the day of the month: "16 January 2025", "1. september 2022"
            prep = tokens[first - 1].lower if first > 0 and tokens[first - 1].lower in _DATE_PREPS else None
            text = part.text[tokens[first].start : tok.end]
            key = (_distance(i, [q for q in positions if tokens[q].text != tok.text]), p)
            if best is None or key < best[0]:
                best = (key, _Span(text, p, tokens[first].start, prep))
    return best[1] if best else None


def _find_place(parts: Sequence[Evidence], info: QueryInfo) -> _Span | None:
    """A place after a locative preposition ("i Bergen", "i Storgata 4 i Oslo"), not one the question names."""
    best: tuple[tuple[int, int], _Span] | None = None
    for p, part in enumerate(parts):
        org = _org_words(part.chunk)
        tokens = _tokens(part.text)
        positions = _content_positions(tokens, info)
        question, stems = _question_words(info), _stems(info.text, info.language)
        for i, tok in enumerate(tokens[:-1]):
            if tok.lower not in _LOCATIVE or not tokens[i + 1].capitalised:
                continue
            j = i + 1
            while j < len(tokens) and (tokens[j].capitalised or tokens[j].lower in _CONNECTORS):
                j += 1
            street = _STREET.match(tokens[j - 1].text) or (j < len(tokens) and _STREET.match(tokens[j].text))
            if street:  # an address: "Storgata 4 i Oslo", "Ole Bulls gate 2-4 i Bergen"
                j += 0 if _STREET.match(tokens[j - 1].text) else 1
                while j < len(tokens) and tokens[j].text[:1].isdigit():
                    j += 1
                if j + 1 < len(tokens) and tokens[j].lower == "i" and tokens[j + 1].capitalised:
                    j += 2
            names = tokens[i + 1 : j]
            if any(_excluded(t.text, question, stems, org, info.language) for t in names if t.capitalised):
                continue
            text = part.text[tok.start : tokens[j - 1].end]
            key = (_distance(i, positions), p)
            if best is None or key < best[0]:
                best = (key, _Span(text, p, tok.start, tok.text))
    return best[1] if best else None


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _head_matches(token: str, head: str, language: Language) -> bool:
    """A word of the sentence names the thing asked about: the same word, or a compound ending in it."""
    low, h = token.lower(), head.lower()
    if {s for s in _stems(token, language) & _stems(head, language) if len(s) >= 3}:
        return True
    head_stems = [s for s in _stems(head, language) if len(s) >= 3]
    last = low.rsplit("-", 1)[-1]
    shared = len(_common_prefix(last, h))
    if shared >= 5 and max(len(last), len(h)) - shared <= 3:
        return True  # inflections the stemmer tells apart ("temaer", "temaene")
    return any(s in low for s in head_stems) or (len(last) >= 5 and h.endswith(last))


def _find_name(parts: Sequence[Evidence], info: QueryInfo, head: str | None) -> _Span | None:
    """One named thing, found by the word the question asks about (its head noun), best first.

    A title right after that word ("podcasten «X»"), a name built on it ("Grøn Puls system",
    "Klimahuset"), else a capitalised or quoted name near the question's words.
    """
    question, stems = _question_words(info), _stems(info.text, info.language)
    found: list[tuple[tuple[int, int, int], _Span]] = []
    for p, part in enumerate(parts):
        org = _org_words(part.chunk)
        tokens = _tokens(part.text)
        for i, tok in enumerate(tokens):
            if not head or tok.quoted or not _head_matches(tok.text, head, part.chunk.language):
                continue
            if i + 1 < len(tokens) and tokens[i + 1].quoted:
                found.append(((0, p, i), _Span(tokens[i + 1].text, p, tokens[i + 1].start)))
                continue
            j = i
            while j > 0 and (
                tokens[j - 1].capitalised or tokens[j - 1].text[:1].isdigit() and "-" in tokens[j - 1].text
            ):
                if _excluded(tokens[j - 1].text, question, stems, org, info.language):
                    break
                j -= 1
            compound = tok.capitalised and not _stems(tok.text, part.chunk.language) & _stems(head, info.language)
            if j < i or compound or any(c.isupper() for c in tok.text[1:]):
                end = tok.end
                following = tokens[i + 1] if i + 1 < len(tokens) else None
                genitive = (
                    following is not None and following.text[:1].islower() and following.lower not in PREPOSITIONS
                )
                if genitive and tok.text.endswith("s") and _head_matches(tok.text[:-1], head, part.chunk.language):
                    end -= 1  # "Klimakommissionens anbefalinger": the name is "Klimakommissionen"
                found.append(((1, p, i), _Span(part.text[tokens[j].start : end], p, tokens[j].start)))
        positions = _content_positions(tokens, info)
        for i, tok in enumerate(tokens):
            if tok.quoted and not _excluded(tok.text.strip(_QUOTE_OPEN + "»"), question, stems, org, info.language):
                if _distance(i, positions) <= 6:
                    found.append(((2, p, _distance(i, positions)), _Span(tok.text, p, tok.start)))
        # A sentence after the matching one that shares none of the question's words goes on with its topic: a
        # name early in it is the one asked for, after any name near the question's words.
        rank, near = (2, positions) if positions or p == 0 else (3, [0])
        for toks, run in _line_runs(part.text, info, org, part.chunk.text):
            text = part.text[toks[run[0]].start : toks[run[-1]].end]
            if _distance(run[0], near) <= 6 and text.lower() not in _COUNTRIES:
                found.append(((rank, p, _distance(run[0], near)), _Span(text, p, toks[run[0]].start)))
    return min(found, key=lambda f: f[0])[1] if found else None


# --- lists ----------------------------------------------------------------------------------------------------


def _item_like(tok: _Token) -> bool:
    return tok.capitalised or tok.quoted or tok.text[:1].isdigit()


def _coordinations(text: str) -> list[list[_Span]]:
    """Lists of names joined by commas and og/eller/and ("ISO 9001 (kvalitet) og ISO 14001 (miljø)")."""
    tokens = _tokens(text)
    items: list[tuple[int, int]] = []  # token index ranges of name-like items
    i = 0
    while i < len(tokens):
        if _item_like(tokens[i]) and "@" not in tokens[i].text:
            j = i + 1
            while j < len(tokens) and (
                (_item_like(tokens[j]) and text[tokens[j - 1].end : tokens[j].start] == " ")
                or tokens[j].text.startswith("(")
            ):
                j += 1
            items.append((i, j))
            i = j
        else:
            i += 1
    lists: list[list[_Span]] = []
    current: list[tuple[int, int]] = []
    joined_by_and = False
    for item in items:
        if current and _LIST_JOIN.match(text[tokens[current[-1][1] - 1].end : tokens[item[0]].start]):
            joined_by_and = joined_by_and or "," not in text[tokens[current[-1][1] - 1].end : tokens[item[0]].start]
            current.append(item)
            continue
        if len(current) >= 2 and (joined_by_and or len(current) >= 3):
            lists.append([_Span(text[tokens[a].start : tokens[b - 1].end], 0, tokens[a].start) for a, b in current])
        current, joined_by_and = [item], False
    if len(current) >= 2 and (joined_by_and or len(current) >= 3):
        lists.append([_Span(text[tokens[a].start : tokens[b - 1].end], 0, tokens[a].start) for a, b in current])
    return lists


def _bullets_after(evidence: Evidence) -> list[str]:
    """The list items right after a sentence that ends in a colon."""
    sentences = split_sentences(evidence.chunk.text)
    if evidence.text not in sentences or not evidence.text.rstrip().endswith(":"):
        return []
    items: list[str] = []
    for sentence in sentences[sentences.index(evidence.text) + 1 :]:
        if sentence[:1] not in "-•●▪":
            break
        item = sentence.lstrip("-•●▪ ").strip().rstrip(".;,")
        items.append(re.split(r"[:–—]\s|,\s", item, maxsplit=1)[0] if len(item) > 60 else item)
    return [i for i in items if 2 <= len(i) <= 80]


def _find_list(evidence: Sequence[Evidence], info: QueryInfo, head: str | None) -> list[tuple[str, int]]:
    """Items of a "hvilke" answer and the evidence each comes from (several sentences may add items)."""
    question, stems = _question_words(info), _stems(info.text, info.language)
    items: list[tuple[str, int]] = []
    for e, ev in enumerate(evidence):
        org = _org_words(ev.chunk)
        tokens = _tokens(ev.text)
        positions = _content_positions(tokens, info)
        if head:
            positions += [i for i, t in enumerate(tokens) if _head_matches(t.text, head, ev.chunk.language)]
        lists = sorted(_coordinations(ev.text), key=lambda lst: _distance(_token_at(tokens, lst[0].start), positions))
        found = (
            [s.text for s in lists[0]]
            if lists and _distance(_token_at(tokens, lists[0][0].start), positions) <= 8
            else []
        )
        found = found or (_bullets_after(ev) if e == 0 else [])
        for item in found:
            words = re.findall(r"[\w-]+", item)
            if words and all(_excluded(w, question, stems, org, info.language) for w in words):
                continue
            if item.lower() not in {i.lower() for i, _ in items}:
                items.append((item, e))
    return items[:8] if len(items) >= 2 else []


# --- the statement fallback -------------------------------------------------------------------------------------


def third_person(text: str, organisation: str | None, language: Language) -> str:
    """The report's "we"/"our" told in the third person: the organisation's name once, then "de"/"deres"."""
    # Once the organisation is named ("På Nordlys har vi …"), "we" is "de".
    named = organisation is not None and organisation.split()[0].lower() in text.lower()
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"\b[\wæøåÆØÅ]+\b", text):
        word, low = m.group(0), m.group(0).lower()
        replacement: str | None = None
        if low in ("vi", "we"):
            replacement = organisation if organisation and not named else _FIRST_PERSON[low]
            named = True
        elif low in _FIRST_PERSON:
            replacement = _FIRST_PERSON[low]
        elif low in _POSSESSIVE:
            previous = text[: m.start()].split()[-1:] or [""]
            if (
                previous[0].isalpha()
                and definite_like(previous[0])
                and previous[0].lower() not in (organisation or "").lower()
            ):
                replacement = "deres"  # after the noun: "sertifiseringene våre" → "sertifiseringene deres"
            elif organisation and not named:
                replacement, named = _genitive(organisation), True
            else:
                replacement = "their" if low == "our" else "deres"
        if replacement is None:
            continue
        if word[0].isupper():
            replacement = _cap(replacement)
        out.append(text[pos : m.start()] + replacement)
        pos = m.end()
    return "".join(out) + text[pos:]


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [m.end() for m in re.finditer(r"[,;:]\s+|\s[–—-]\s", text)]
    bounds = [0, *cuts, len(text)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


def statement(evidence: Evidence, info: QueryInfo, limit: int = _STATEMENT_CHARS) -> str:
    """The best sentence as a short third-person statement, the fallback when no span is found.

    No bullet, e-mail or web address; a long sentence is cut to the run of its clauses that shares most words
    with the question.
    """
    text = evidence.text
    if _EMAIL_OR_URL.search(text):  # "… kan sendes til oss på post@…": the address and what led to it go
        text = _EMAIL_OR_URL.sub("", text).strip()
        while text.split() and text.split()[-1].lower() in PREPOSITIONS:
            text = text.rsplit(" ", 1)[0] if " " in text else ""
    text = re.sub(r"^[^\w«\"“”(]+", "", text).strip()
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split()))
    text = third_person(text, evidence.chunk.organisation, info.language)
    if len(text) > limit:
        clauses = _clauses(text)
        question = _stems(info.text, info.language) | set(expand_query(info.text, info.language))
        scores = [len(_stems(text[a:b], info.language) & question) for a, b in clauses]
        best: tuple[int, int, int] | None = None
        for i in range(len(clauses)):
            for j in range(i, len(clauses)):
                if clauses[j][1] - clauses[i][0] > limit:
                    break
                score = sum(scores[i : j + 1])
                if best is None or score > best[0]:
                    best = (score, i, j)
        if best is not None:
            text = text[clauses[best[1]][0] : clauses[best[2]][1]]
            if best[1] > 0:  # a clause cut from its sentence loses the word that tied it in ("…, at vi …")
                text = re.sub(r"^(?:at|som|der|og|men|mens|så|hvor|which|that|and)\s+", "", text.strip(), flags=re.I)
    if len(text) > limit:  # one long clause: cut at a word
        text = text[: limit - 2].rsplit(" ", 1)[0] + " …"
    text = text.strip().rstrip(",;:–— ") or evidence.text
    if text.split()[-1].lower() in PREPOSITIONS | {"og", "eller", "at", "som"}:
        text += " …"  # the passage ends mid-sentence
    return _cap(text.rstrip("."))


# --- composing ------------------------------------------------------------------------------------------------


def _answer_phrase(kind: AnswerKind, span: _Span, frame: _Frame, language: Language) -> str:
    """The span as it stands in the answer: with its preposition where the question words were an adverbial."""
    if kind is AnswerKind.DATE:
        text = written_date(span.text, language)
        if frame.before and frame.before.split()[-1].lower() in _DATE_PREPS:
            return text
        default = "den" if starts_with_day(span.text) else "i"
        prep = _ENGLISH_DATE_PREPS[language].get(span.prep or default, span.prep or default)
        return f"{prep} {text}"
    if kind is AnswerKind.PLACE:
        if frame.np.lower() in ("hvor", "hvorhen", "where"):
            return span.text
        return span.text.split(" ", 1)[1] if span.prep else span.text
    if kind is AnswerKind.QUANTITY:
        words = frame.np.split()
        noun = frame.head if words[0].lower() == "hvor" and len(words) > 2 else None
        if noun and words[1].lower() in ("meget", "mye"):
            return span.text if noun.lower() in span.text.lower() else f"{span.text} {noun}"  # "23 ton CO2"
        if noun and noun.lower() not in (
            "andel",
            "del",
            "procentdel",
            "prosentdel",
            "andelen",
            "procent",
            "prosent",
            "pct",
        ):
            return f"{noun} på {span.text}"  # "hvor stor omsetning" → "omsetning på NOK 30 000"
        if span.prep and _asks_degree(frame):
            return f"med {span.text}"  # "hvor meget steg X" → "med 12 %" ("en stigning på 12 %")
    return span.text


def _asks_degree(frame: _Frame) -> bool:
    """Whether the question asks "hvor meget/mye <verb>": how much something changed or was done, no noun."""
    words = frame.np.lower().split()
    return len(words) == 2 and words[0] == "hvor" and words[1] in ("meget", "mye")


def _sentence(kind: AnswerKind, frame: _Frame, phrase: str, language: Language) -> str | None:
    """The question turned into its answer (see the module docstring); None when the words do not allow it."""
    words = _WORDS[language]
    subject_and_rest = " ".join([*([frame.subject] if frame.subject else []), *frame.rest])
    copula = frame.verb.lower() in _COPULAS and not frame.before
    if kind is AnswerKind.PERSON:
        if copula and _has_role(subject_and_rest.split()):
            return f"{subject_and_rest} {frame.verb} {phrase}"
        if frame.rest and frame.rest[-1].lower() in PREPOSITIONS and frame.subject:
            return _object_clause(frame, phrase)
        return _fronted(frame, phrase)
    if (
        copula
        and (kind is AnswerKind.NAME or kind is AnswerKind.QUANTITY)
        and frame.np.split()[0].lower()
        in (
            "hvad",
            "hva",
            "hvor",
        )
    ):
        if subject_and_rest:
            # "… var 38 % lavere enn året før": what it is compared with follows the figure.
            than = re.search(r"\s(?=(?:enn|end|than)\s)", subject_and_rest)
            subject = subject_and_rest[: than.start()] if than else subject_and_rest
            compared = f" {subject_and_rest[than.end() :]}" if than else ""
            return f"{subject} {frame.verb} {phrase}{compared}"
    if kind in (AnswerKind.COUNT, AnswerKind.NAME) or (kind is AnswerKind.QUANTITY and frame.np[:4].lower() == "hvil"):
        clause = _object_clause(frame, phrase)
        if clause is not None:
            return clause
        if kind is AnswerKind.NAME and frame.subject is not None and frame.subject[:1].isupper():
            return f"{words['it_is']} {phrase}"  # "<name> <verb> <Name>" would read the other way round
    return _fronted(frame, phrase)


def _drop_ungrounded(text: str, citations: Sequence[Citation], computed: Sequence[str] = ()) -> str | None:
    """The text without question years no cited quote states ("… i 2019"); None if another number is not grounded."""
    for problem in ungrounded_numbers(text, citations, computed):
        cut = re.sub(rf"\s+(?:i|for|in|fra|fra og med|siden|år)\s+{re.escape(problem)}(?!\d)", "", text, count=1)
        if cut == text:
            return None  # a number the question states that no quote does: no sentence built on it
        text = cut
    return None if ungrounded_numbers(text, citations, computed) else text


def _readers_notation(text: str, chunk: Chunk) -> tuple[str, tuple[str, ...]]:
    """Our text's numbers as the reader writes them when the report prints them the English way.

    "96,795" is 96795 in an English report and 96,795 to a Danish reader: the answer is written for the reader,
    the quote keeps the report's figures.
    """
    if not chunk.english_notation:
        return text, ()
    text, printed = english_to_nordic(text)
    return text, tuple(printed)


def _dated(text: str, end: int, year: int, english: bool) -> bool:
    """The figure that ends at `text[end]` is the year's.

    The next number after it is that year; or it is the year before the sentence's ("against 549 tonnes the
    year before"); or it is the only figure of a sentence that writes no other year.
    """
    after = [n for n in find_numbers(text[end:]) if n.value is not None]
    if after and _is_year(after[0]):
        return after[0].value == year
    before = _year_before(text, end)
    if before is not None:
        return before == year
    return set(years_in(text)) == {year} and len(_numbers(text, english)) == 1


def _figure_in_own_words(info: QueryInfo, best: Evidence, citation: Citation) -> Composed | None:
    """"Hvad var X i 2023?" answered from a sentence in another language, in the question's words and notation.

    "Hvad var vandforbruget i 2023?" and "Water consumption was 96,795 m3 in 2023": "Vandforbruget var 96.795 m3 i
    2023". Only a figure the sentence dates in the year asked; else the sentence is the answer, as said.
    """
    what, verb = info.asks.what, info.asks.verb
    if what is None or verb is None or len(info.years) != 1 or best.chunk.language != "en":
        return None  # questions are Danish or Norwegian: only an English sentence is in another language
    year = info.years[0]
    span = _find_quantity([best], info)
    if span is None:
        return None
    end = span.start + len(span.text)
    if not _dated(best.text, end, year, best.chunk.english_notation):
        return None
    unit = unit_after(best.text[end:])
    printed = re.sub(r"\s?(?:per ?cent|percent)$", " %", span.text)  # "61.5 per cent" as the reader writes it
    figure, computed = _readers_notation(f"{printed} {unit}" if unit else printed, best.chunk)
    if str(year) not in best.text:
        computed = (*computed, str(year))  # "the year before" of the sentence's year, counted back by code
    body = f"{what} {verb.lower()} {figure} i {year}"
    body = third_person(body, best.chunk.organisation, info.language)
    grounded = _drop_ungrounded(body, (citation,), computed)
    if grounded is None or str(year) not in grounded:
        return None
    return Composed(_finish(grounded, "[1]"), (citation,), AnswerKind.QUANTITY, computed)


def _finish(body: str, marker: str) -> str:
    body = " ".join(body.split()).rstrip(" .")
    return f"{_cap(body)} {marker}."


def _goes_on(best: Evidence, following: str) -> bool:
    """The next sentence stays on the best sentence's topic: it repeats one of its content words.

    "Udover honorar til revisorer …" / "Honorar for andre ydelser leveret af X …".
    """
    language = best.chunk.language
    words = {w for w in analyze(best.text, language) if len(w) >= 4}
    return bool(words & {w for w in analyze(following, language) if len(w) >= 4})


def _citation(n: int, ev: Evidence, quote: str | None = None) -> Citation:
    c = ev.chunk
    return Citation(n=n, doc_id=c.doc_id, title=c.title, page=c.page, section=c.section, quote=quote or ev.text)


def compose_answer(info: QueryInfo, parts: Sequence[Evidence], others: Sequence[Evidence] = ()) -> Composed:
    """A written answer from the sentences that answer the question.

    `parts` are the sentences of the citation quote (the best sentence first, then one that completes it);
    `others` are further candidate sentences, which may add items to a list. Falls back to a short statement of
    the best sentence when no span of the wanted kind is found or the question's words do not allow a sentence.
    """
    kind = info.asks.kind
    best = parts[0]
    quote = " ".join(p.text for p in parts)
    citation = _citation(1, best, quote)
    frame = _frame(info)
    if frame is not None and kind is AnswerKind.LIST:
        listed = _compose_list(info, frame, [*parts[:1], *others])
        if listed is not None:
            return listed
    if frame is not None and kind not in (AnswerKind.STATEMENT, AnswerKind.LIST):
        # The best sentence first; when it holds nothing of the kind asked for ("leverandørene er lokalisert i
        # følgende land:"), a close runner-up that does ("… lokalisert i Norge").
        tries = [(parts, citation)]
        following = next_sentence(best.chunk.text, best.text) if kind is AnswerKind.NAME else None
        if following and _goes_on(best, following):  # a name often stands in the sentence after the matching one
            more = [*parts, Evidence(following, following, best.chunk, best.coverage)]
            tries.append((more, _citation(1, best, " ".join(p.text for p in more))))
        for evidence, cited in (*tries, *(([o], _citation(1, o)) for o in others)):
            span = _find_span(kind, evidence, info, frame)
            if span is None:
                continue
            phrase, computed = _readers_notation(_answer_phrase(kind, span, frame, info.language), evidence[0].chunk)
            body = _sentence(kind, frame, phrase, info.language)
            if body is not None:
                body = _drop_ungrounded(
                    third_person(body, evidence[0].chunk.organisation, info.language), (cited,), computed
                )
            if body is not None:
                return Composed(_finish(body, "[1]"), (cited,), kind, computed)
            break
    if info.asks.quantity:
        own = _figure_in_own_words(info, best, citation)
        if own is not None:
            return own
    text = statement(best, info)
    if ungrounded_numbers(text, (citation,)):
        text = best.text.rstrip(".")
    text, computed = _readers_notation(text, best.chunk)
    return Composed(_finish(text, "[1]"), (citation,), AnswerKind.STATEMENT, computed)


def _find_span(kind: AnswerKind, parts: Sequence[Evidence], info: QueryInfo, frame: _Frame) -> _Span | None:
    if kind is AnswerKind.PERSON:
        return _find_person(parts, info)
    if kind is AnswerKind.COUNT:
        return _find_count(parts, info, partitive=bool(re.match(r"(?:af|av|of)\b", frame.modifier)))
    if kind is AnswerKind.QUANTITY:
        head = (frame.head or "").lower()
        comparative = head if head in _COMPARATIVES else None
        return _find_quantity(
            parts, info, change=_asks_degree(frame) and frame.verb.lower() not in _COPULAS, comparative=comparative
        )
    if kind is AnswerKind.DATE:
        return _find_date(parts, info)
    if kind is AnswerKind.PLACE:
        return _find_place(parts, info)
    if kind is AnswerKind.NAME:
        return _find_name(parts, info, frame.head)
    return None


def _compose_list(info: QueryInfo, frame: _Frame, evidence: Sequence[Evidence]) -> Composed | None:
    """The list answer "Følgende <noun> <verb> <rest>: A [1], B [1] og C [2]", a citation per source of items."""
    items = _find_list(evidence, info, frame.head)
    if not items:
        return None
    words = _WORDS[info.language]
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    for _, e in items:
        if e not in numbers:
            numbers[e] = len(numbers) + 1
            citations.append(_citation(numbers[e], evidence[e]))
    single = len(numbers) == 1
    shown = [item if single else f"{item} [{numbers[e]}]" for item, e in items]
    listed = ", ".join(shown[:-1]) + f" {words['and']} {shown[-1]}"
    noun = " ".join(frame.np.split()[1:])
    opening = " ".join(p for p in [words["following"], noun, frame.modifier, frame.verb] if p)
    opening = " ".join([opening, *([frame.subject] if frame.subject else []), *frame.rest])
    lead = _drop_ungrounded(third_person(opening, evidence[0].chunk.organisation, info.language), citations)
    if lead is None:
        return None
    text = f"{lead}: {listed}" + (" [1]." if single else ".")
    return Composed(" ".join(text.split()), tuple(citations), AnswerKind.LIST)


# --- abstentions that help ------------------------------------------------------------------------------------

_LEGAL_FORMS = frozenset("as asa a/s aps ab oyj plc ltd inc gmbh iks kf sa se nv".split())
_COUNTRY_NAMES = {"DK": "Danmark", "NO": "Norge", "SE": "Sverige", "FI": "Finland", "IS": "Island", "DE": "Tyskland"}
# Question words and fillers that are not the subject of a question.
_GAP_FILLERS = frozenset(
    """
    hvad hva hvor hvordan hvilken hvilket hvilke hvem hvornår når mange meget mye stor store stort samlede samlet
    samla totale total var er blev ble har havde hadde rapporten rapporterne rapportene året år årets
    """.split()
)


@dataclass(frozen=True)
class _Scope:
    """What a question is about besides its subject: an organisation, a country (and the words naming it), years."""

    organisation: str | None
    country: str | None
    phrase: str | None
    years: tuple[int, ...]

    def holds(self, meta: DocMeta, year: int) -> bool:
        return (
            (self.organisation is None or meta.organisation == self.organisation)
            and (self.country is None or (meta.country or "").upper() == self.country)
            and (not self.years or year in self.years)
        )


def _named_scope(info: QueryInfo, documents: Mapping[str, DocMeta]) -> _Scope:
    """The organisation the question names (every word of a report's organisation name), or else a country."""
    question, low = info.text, info.text.lower()
    for name in sorted({m.organisation for m in documents.values() if m.organisation}, key=len, reverse=True):
        words = [w for w in name.lower().split() if w not in _LEGAL_FORMS]
        if words and all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low) for w in words):
            match = re.search(
                rf"\b(?:i|på|hos|for|ved|in)\s+{re.escape(words[0])}"
                + (rf".*?{re.escape(words[-1])}" if len(words) > 1 else "")
                + rf"\w*(?:\s+(?:{'|'.join(re.escape(f) for f in _LEGAL_FORMS)})(?!\w))?",
                low,
            )
            return _Scope(name, None, question[match.start() : match.end()] if match else None, info.years)
    for word, code in _COUNTRIES.items():
        match = re.search(rf"\b(?:i|in)\s+{word}\b", low) or re.search(rf"\b{word}\b", low)
        if match:
            return _Scope(None, code, question[match.start() : match.end()], info.years)
    return _Scope(None, None, None, info.years)


def _year_ranges(years: Iterable[int], and_word: str = "og") -> str:
    """Years as the reader wants them: "2015–2019", "2021 og 2025"."""
    groups: list[list[int]] = []
    for y in sorted(set(years)):
        if groups and y == groups[-1][-1] + 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    shown = [f"{g[0]}–{g[-1]}" if len(g) > 1 else str(g[0]) for g in groups]
    return ", ".join(shown[:-1]) + f" {and_word} {shown[-1]}" if len(shown) > 1 else shown[0]


def _subject(info: QueryInfo, documents: Mapping[str, DocMeta]) -> list[tuple[str, set[str]]]:
    """The question's subject words, each with the stems (and cross-language synonyms) that name it."""
    scope_words = {w.lower() for m in documents.values() for w in re.findall(r"[\w-]+", m.organisation or "")}
    scope_words |= set(_COUNTRIES)
    stop = all_stopwords()
    subject: list[tuple[str, set[str]]] = []
    for word in re.findall(r"[\w'’-]+", info.text):
        low = word.lower().strip("'’")
        if low in stop or low in scope_words or low.rstrip("s") in scope_words or low.isdigit() or low in _GAP_FILLERS:
            continue
        stems = set(default_analyzer().base_tokens(word, info.language))
        if stems:
            subject.append((word, stems | set(expand_query(word, info.language))))
    return subject


@lru_cache(maxsize=4096)
def _analysed(text: str, language: Language) -> frozenset[str]:
    """Analysed terms in both languages; cached, since every abstention reads all fact labels."""
    return frozenset(analyze(text, language)) | frozenset(analyze(text, "nb" if language == "da" else "da"))


def _coverage(
    subject: list[tuple[str, set[str]]], hits: Sequence[Hit], documents: Mapping[str, DocMeta], facts: Sequence[Fact]
) -> dict[str, set[int]]:
    """Years per document that hold the subject: from the facts' metrics, else the reports of retrieved passages."""

    def names_subject(text: str, language: Language) -> bool:
        found = _analysed(text, language)
        return all(alternatives & found for _, alternatives in subject)

    coverage: dict[str, set[int]] = {}
    for fact in facts:
        meta = documents.get(fact.doc_id)
        if fact.value is not None and meta is not None and names_subject(fact.metric, meta.language):
            coverage.setdefault(fact.doc_id, set()).add(fact.year)
    if coverage:
        return coverage
    for hit in hits:
        meta = documents.get(hit.chunk.doc_id)
        if meta is not None and meta.year is not None:
            if names_subject(f"{hit.chunk.section or ''} {hit.chunk.text}", hit.chunk.language):
                coverage.setdefault(hit.chunk.doc_id, set()).add(meta.year)
    return coverage


def explain_gap(
    info: QueryInfo,
    hits: Sequence[Hit],
    documents: Mapping[str, DocMeta],
    facts: Sequence[Fact] = (),
) -> Gap | None:
    """What the reports hold on the question's subject when not for the year, organisation or country asked.

    The subject is the question's content words (question words, organisation and country names and years
    aside); a report holds it when a fact's metric or a retrieved passage names every subject word (synonyms
    across languages count). Years come from the facts, else from the reports' years. None when the question
    names no year, organisation or country, when nothing on the subject is found, or when a report in the
    asked scope holds it (the abstention is then about something else). Called on every abstention of the
    answer path; `rag.answer.figures` can call it too.
    """
    scope = _named_scope(info, documents)
    subject = _subject(info, documents)
    if not (scope.years or scope.organisation or scope.country) or not subject:
        return None
    coverage = _coverage(subject, hits, documents, facts)
    if not coverage or any(scope.holds(documents[d], y) for d, years in coverage.items() for y in years):
        return None
    by_org: dict[str, tuple[DocMeta, set[int]]] = {}
    for doc_id, years in coverage.items():
        meta = documents[doc_id]
        by_org.setdefault(meta.organisation or meta.title, (meta, set()))[1].update(years)
    groups = sorted(by_org.items(), key=lambda g: -max(g[1][1]))[:3]
    words = _WORDS[info.language]
    first, last = subject[0][0], subject[-1][0]
    start = info.text.find(first)
    topic = info.text[start : info.text.find(last, start) + len(last)]
    asked = [
        scope.organisation or (_COUNTRY_NAMES.get(scope.country or "") if scope.country else None),
        _year_ranges(scope.years, words["and"]) if scope.years else None,
    ]
    scope_text = f" {words['in']} ".join(a for a in asked if a)
    held = [f"{name} {_year_ranges(years, words['and'])}" for name, (_, years) in groups]
    held_text = ", ".join(held[:-1]) + f" {words['and']} {held[-1]}" if len(held) > 1 else held[0]
    text = f"{words['reports']} {words['lacks']} {topic} {words['for']} {scope_text}; {words['has_it']} {held_text}."
    suggestions = (_suggest(info, scope, meta, years) for _, (meta, years) in groups[:2])
    return Gap(text, tuple(dict.fromkeys(s for s in suggestions if s)))


def _suggest(info: QueryInfo, scope: _Scope, meta: DocMeta, years: set[int]) -> str | None:
    """The question asked of what a report holds.

    Its organisation (or country) takes the place of the one named, a held year the place of the one asked.
    """
    question = info.text
    if scope.phrase and scope.organisation and meta.organisation and meta.organisation != scope.organisation:
        question = question.replace(scope.phrase, f"{_WORDS[info.language]['at']} {meta.organisation}", 1)
    elif scope.phrase and scope.country and meta.country and meta.country.upper() != scope.country:
        country = _COUNTRY_NAMES.get(meta.country.upper())
        if country is None:
            return None
        question = question.replace(scope.phrase, f"{_WORDS[info.language]['in']} {country}", 1)
    for year in scope.years:
        if year not in years and str(year) in question:
            nearest = min(years, key=lambda y: (abs(y - year), -y))
            question = question.replace(str(year), str(nearest), 1)
    return question if question != info.text else None
