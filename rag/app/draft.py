"""Drafting for the communications team: short paragraphs by theme that can be pasted as they are.

Without a language model the draft is assembled, not invented. The reports' own statements are chosen by the
words of the brief (analysed like everything else: stems and compound parts, `rag.text.analysis`) and turned into
the third person ("vi har ansat" → "Aleris Danmark har ansat"); a sentence in a named person's voice ("jeg", a
quotation) is never used. Figures come from typed `Fact`s whose row label, table title or section shares the
brief's words (or the words of the chosen statements), and changes are written by templates from two cited
values: "Udledningen … faldt fra 566 ton i 2024 til 452 ton i 2025, et fald på 20 %." Every figure carries a
footnote to the report line it came from; computed changes are recomputed by `check_draft`.
The DOCX export goes through pandoc (`pypandoc-binary`), so the footnotes are real Word footnotes.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rag.answer.query import parse_query, validate_question
from rag.app.chat import escape_markdown
from rag.errors import RagError
from rag.text.language import ABSTAIN
from rag.text.numbers import decimals_of, find_numbers, find_years, is_no_value, numbers_in, same_number, values_of
from rag.text.sentences import split_sentences
from rag.types import Chunk, Citation, DocMeta, Fact, Hit, Language

if TYPE_CHECKING:
    from rag.answer.retrieve import Filters, HybridRetriever
    from rag.index import Index

# "Skriv et kort afsnit om …": the words that ask for a draft, not what it is about.
_INSTRUCTION = re.compile(
    r"^\s*(?:(?:kan du |vil du |please )?(?:skriv|lav|lag|giv|gi|formuler|write|draft|skriv ned)\w*\s+)?"
    r"(?:(?:mig |meg )?(?:et|en|ett|a|an)\s+)?(?:kort\w*\s+|lille\s+|lite\s+|short\s+)?"
    r"(?:afsnit|avsnitt|tekst|udkast|utkast|opslag|innlegg|nyhed|nyhet|pressemeddelelse|pressemelding|paragraph|"
    r"text|draft|linkedin-opslag|linkedin-innlegg|indlæg)?\s*(?:til\s+\w+\s+)?(?:om|on|about|for)?\s*"
    r"(?:vores|vårt|vår|våre|our)?\s*",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\s?\[(\d+)\]")
_TABLE_LIKE = re.compile(r"\t|(?:\d[\d.,]*\s+){4,}")
_FOOTNOTE_LINE = re.compile(r"^\d{1,2}\s+[A-ZÆØÅ]")
# A footnote's number and text run into a sentence ("… våre 1 Førsteleddsleverandører er definerte begreper").
_FOOTNOTE_RUN_IN = re.compile(r"[a-zæøå,] \d{1,2} [A-ZÆØÅ][a-zæøå]")
_BULLET = re.compile(r"^\s*(?:[-–•●▪*]|\d{1,2}[.)])\s+")
# A word broken at a line end ("sundheds- virksomhedens"), not a shared suffix ("Klima- og miljødata").
_BROKEN_WORD = re.compile(r"(\w)- (?!og\b|eller\b|and\b|samt\b|til\b|or\b)([a-zæøå])")
# First person singular: the voice of a named person (a letter, an interview), never used in a draft.
_FIRST_SINGULAR = re.compile(r"\b(?:jeg|mig|meg|min(?!\.)|mit|mitt|mine)\b", re.IGNORECASE)
_DIRECT_SPEECH = re.compile(r"[«»“”„\"]|^[-–]\s")
_PLURAL: dict[Language, re.Pattern[str]] = {
    "da": re.compile(r"\b(?:vi|os|vores|vor|vort|vore)\b", re.IGNORECASE),
    "nb": re.compile(r"\b(?:vi|oss|vår|vårt|våre)\b", re.IGNORECASE),
}
# A sentence opening on a word that points back ("Det har sænket strømforbruget") is quoted with the one before.
_ANAPHOR = re.compile(r"^(?:det|den|de|dette|denne|disse|dét|sidstnævnte|sistnevnte|her|heraf|derfor|dermed)\b",
                      re.IGNORECASE)
# Personal pronouns of the third person refer to someone the sentence does not name.
_PERSONAL = re.compile(r"\b(?:hun|han|hende|ham|hendes|hans|henne|hennes)\b", re.IGNORECASE)
_POSSESSIVE = {"vores", "vor", "vort", "vore", "vår", "vårt", "våre"}
_WORDS: dict[Language, dict[str, str]] = {
    "da": {"title": "Udkast", "metric": "Nøgletal", "year": "År", "value": "Værdi", "previous": "Året før",
           "change": "Ændring", "source": "Kilde", "sources": "Kilder", "page": "s.", "other": "Øvrige tal",
           "down": "{label} faldt fra {prev} i {py} til {cur} i {y}, et fald på {change}.",
           "up": "{label} steg fra {prev} i {py} til {cur} i {y}, en stigning på {change}.",
           "same": "{label} var {cur} i både {py} og {y}.",
           "single": "{label} var {cur} i {y}.",
           "points": "procentpoint", "point": "point", "organisation": "virksomheden", "its": "virksomhedens",
           "note": "Udkast bygget af rapporternes egne udsagn (omskrevet til tredje person) og tal fra deres "
                   "tabeller. Hvert tal har en fodnote til sin kilde; tjek dem, før teksten bruges.",
           "table": "Tal brugt i udkastet", "made": "Lavet {date} ud fra: «{instruction}»"},
    "nb": {"title": "Utkast", "metric": "Nøkkeltall", "year": "År", "value": "Verdi", "previous": "Året før",
           "change": "Endring", "source": "Kilde", "sources": "Kilder", "page": "s.", "other": "Andre tall",
           "down": "{label} falt fra {prev} i {py} til {cur} i {y}, en nedgang på {change}.",
           "up": "{label} økte fra {prev} i {py} til {cur} i {y}, en økning på {change}.",
           "same": "{label} var {cur} både i {py} og i {y}.",
           "single": "{label} var {cur} i {y}.",
           "points": "prosentpoeng", "point": "poeng", "organisation": "virksomheten", "its": "virksomhetens",
           "note": "Utkast bygget av rapportenes egne utsagn (skrevet om til tredje person) og tall fra tabellene "
                   "deres. Hvert tall har en fotnote til kilden; sjekk dem før teksten brukes.",
           "table": "Tall brukt i utkastet", "made": "Laget {date} ut fra: «{instruction}»"},
}
_LANG_TAGS: dict[Language, str] = {"da": "da-DK", "nb": "nb-NO"}


class DraftExportError(RagError):
    """A draft could not be written as DOCX (pandoc missing or failing)."""


@dataclass(frozen=True)
class DraftFigure:
    """One figure in the draft, with the footnote that proves it and the change computed from it."""

    n: int
    metric: str
    year: int
    value: str
    previous_year: int | None
    previous_value: str | None
    doc_id: str
    title: str
    change: str | None = None  # as printed in the draft ("20 %", "0,63 procentpoint"), computed by code
    signed: bool = False  # the row holds negative values: changes are differences, not percentages


@dataclass(frozen=True)
class DraftSection:
    """One theme of the draft: a heading (a table title or section of the reports) and its paragraph."""

    theme: str
    paragraph: str


@dataclass(frozen=True)
class Draft:
    """A draft: paragraphs by theme with [n] markers, the numbered sources behind them, and the figures used."""

    instruction: str
    topic: str
    language: Language
    years: tuple[int, ...]
    sections: tuple[DraftSection, ...]
    figures: tuple[DraftFigure, ...]
    sources: tuple[Citation, ...]
    computed: tuple[str, ...] = field(default=())

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(s.paragraph for s in self.sections)

    @property
    def empty(self) -> bool:
        """Nothing in the reports matched: the app says so instead of offering an empty document."""
        return not self.sections

    @property
    def title(self) -> str:
        return f"{_WORDS[self.language]['title']}: {self.topic}"


# --- the brief --------------------------------------------------------------------------------------


def instruction_topic(instruction: str) -> str:
    """What the draft is about: the instruction without "Skriv et kort afsnit om" (falls back to all of it)."""
    text = " ".join(instruction.split()).rstrip(".!?")
    topic = _INSTRUCTION.sub("", text, count=1).strip()
    return topic or text


def topic_terms(text: str, language: Language) -> set[str]:
    """Content terms of a text (stems and compound parts), numbers left out: what a theme is matched on."""
    from rag.text.analysis import analyze

    return {t for t in analyze(text, language) if not any(ch.isdigit() for ch in t) and len(t) > 1}


def base_terms(text: str, language: Language) -> set[str]:
    """Whole-word stems without compound parts: "strømforbruget" meets "Strømforbrug", "risiko" not "Risikoaffald"."""
    from rag.text.analysis import default_analyzer

    return {t for t in default_analyzer().base_tokens(text, language) if not any(ch.isdigit() for ch in t)}


# --- statements -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A report sentence chosen for the draft: as quoted (the footnote) and as written (third person)."""

    quote: str
    text: str
    chunk: Chunk
    score: float


def clean_sentence(sentence: str) -> str:
    """A sentence without list markers or words broken at a line end ("- Vi har …", "sundheds- virksomhed")."""
    text = _BULLET.sub("", " ".join(sentence.split()))
    return _BROKEN_WORD.sub(r"\1\2", text)


def _quotable(sentence: str) -> bool:
    """Prose worth quoting: not a table row, a footnote line, a heading run-in, a question or a cut-off sentence."""
    if len(sentence) < 40 or len(sentence) > 400 or _TABLE_LIKE.search(sentence):
        return False
    if not sentence[0].isupper() or not sentence.endswith((".", "!")):
        return False  # the tail of a sentence cut by a chunk window, or a list intro ending in ":"
    if _FOOTNOTE_LINE.match(sentence) or _FOOTNOTE_RUN_IN.search(sentence):
        return False
    if sentence.count("(") != sentence.count(")"):
        return False
    return len(find_numbers(sentence)) < 4


def genitive(name: str) -> str:
    """Danish/Norwegian genitive: "Aleris Danmarks", "Aleris'" (a name ending in s, x or z takes an apostrophe)."""
    return f"{name}'" if name[-1:].lower() in "sxz" else f"{name}s"


def third_person(sentence: str, organisation: str, language: Language) -> str | None:
    """The organisation's "vi"/"vores" sentence in the third person; None for a person's voice or direct speech.

    "Vi har ansat 12 sygeplejersker" → "Aleris Danmark har ansat 12 sygeplejersker"; "vores medarbejdere" →
    "Aleris Danmarks medarbejdere"; once the name is written, a later "vores" becomes "virksomhedens". A Norwegian
    possessive after its noun ("leverandørene våre") cannot be moved by a word swap, so such a sentence is left
    out rather than written wrong.
    """
    if _FIRST_SINGULAR.search(sentence) or _DIRECT_SPEECH.search(sentence) or _PERSONAL.search(sentence):
        return None
    pattern = _PLURAL[language if language in _PLURAL else "da"]
    failed = False
    named = False

    def swap(match: re.Match[str]) -> str:
        nonlocal failed, named
        word = match.group(0)
        before = sentence[: match.start()].rstrip()
        if word.lower() in _POSSESSIVE:
            previous = before.split()[-1].lower() if before.split() else ""
            if language == "nb" and re.search(r"(?:en|ene|et|a|ne)$", previous) and previous not in ("en", "et"):
                failed = True  # "arbeidet vårt": possessive after the noun
            if named:
                return _WORDS[language]["its"]
            named = True
            return genitive(organisation)
        if named:
            return _WORDS[language]["organisation"]
        named = True
        return organisation

    out = pattern.sub(swap, sentence)
    if failed:
        return None
    return out[0].upper() + out[1:] if out else out


def _organisation(meta: DocMeta | None, language: Language) -> str:
    if meta and meta.organisation:
        return meta.organisation
    return _WORDS[language]["organisation"]


def theme_heading(heading: str) -> str:
    """A report's section heading as a draft heading: numbering, trailing colons and shouting removed."""
    text = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s+", "", " ".join(heading.split())).rstrip(" :")
    if text.isupper():
        text = text.capitalize()
    return text


def _similar(a: str, b: str, language: Language) -> bool:
    """Two statements that say nearly the same ("… på samtlige lokationer" / "… på alle lokationer")."""
    ta, tb = topic_terms(a, language), topic_terms(b, language)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.5


def select_statements(
    hits: Sequence[Hit],
    terms: set[str],
    language: Language,
    documents: Mapping[str, DocMeta],
    chunks: Sequence[Chunk] = (),
    limit: int = 4,
    measured: set[str] = frozenset(),  # type: ignore[assignment]
    whole: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[Statement]:
    """Report sentences on the brief's theme, in the third person, best first.

    A sentence is on theme when it uses a word of the brief (`whole`, its whole-word stems) or two parts of
    the brief's compounds ("trivsel" and "medarbejdere" for "medarbejdertrivsel", not "arbejder" alone), or
    when its section heading shares a term with the brief and the sentence speaks of something the reports
    measure (a term of `measured`, the rare words of the facts'
    labels: "strømforbruget" under "Klima og miljø", not "Den hvide kat" under "Vores medarbejdere").
    Sentences in the draft's language are preferred.
    """
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    found: list[Statement] = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        if chunk.kind != "text" or chunk.doc_id not in documents:
            continue
        heading = topic_terms(chunk.section or "", chunk.language) & terms
        neighbours = by_doc.get(chunk.doc_id, ())
        previous = sentence_before(chunk, neighbours)
        for raw in split_sentences(complete_passage(chunk, neighbours)):
            quote = clean_sentence(raw)
            section = theme_heading(chunk.section or "")
            if section and quote.startswith(section + " ") and quote[len(section) + 1 :][:1].isupper():
                quote = quote[len(section) + 1 :]  # a heading run into its first sentence
            if not _quotable(quote):
                previous = ""
                continue
            if _ANAPHOR.match(quote):
                if not previous:
                    continue
                quote = f"{previous} {quote}"
            previous = quote
            words = topic_terms(quote, chunk.language)
            overlap = 2 * len(words & whole) + len(words & (terms - whole))
            if overlap < 2 and not (heading and words & measured):
                continue
            text = third_person(quote, _organisation(documents.get(chunk.doc_id), language), chunk.language)
            if text is None:
                continue
            score = overlap + 0.5 * len(heading) + 1.0 / (rank + 1) + (0.5 if chunk.language == language else 0.0)
            found.append(Statement(quote, text, chunk, score))
    found.sort(key=lambda s: -s.score)
    out: list[Statement] = []
    per_chunk: dict[str, int] = {}
    for s in found:
        if any(_similar(s.quote, o.quote, language) for o in out) or per_chunk.get(s.chunk.id, 0) >= 2:
            continue
        per_chunk[s.chunk.id] = per_chunk.get(s.chunk.id, 0) + 1
        out.append(s)
        if len(out) >= limit:
            break
    return out


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def sentence_before(chunk: Chunk, neighbours: Sequence[Chunk]) -> str:
    """The whole sentence that ends just before a chunk starts, from the chunk before it ("" if none)."""
    if chunk.text[:1].islower():
        return ""  # the chunk starts mid-sentence; complete_passage supplies the head
    before = [c for c in neighbours if c.doc_id == chunk.doc_id and c.kind == "text" and c.start < chunk.start
              and chunk.start <= c.end + _GAP]
    if not before:
        return ""
    prev = max(before, key=lambda c: c.start)
    sentences = split_sentences(prev.text[: max(0, chunk.start - prev.start)])
    last = clean_sentence(sentences[-1]) if sentences else ""
    return last if _quotable(last) and not _ANAPHOR.match(last) else ""
_GAP = 3  # characters of whitespace the chunker may leave between two chunks


def complete_passage(chunk: Chunk, neighbours: Sequence[Chunk]) -> str:
    """A chunk's text with the sentences its window cut in half completed from the chunks beside it.

    Chunks end at a token budget, often mid-sentence; a quote must be a whole sentence, so the missing head
    or tail is taken from the neighbouring chunk of the same document (their texts share document offsets).
    """
    same = sorted((c for c in neighbours if c.doc_id == chunk.doc_id and c.kind == "text"), key=lambda c: c.start)
    before = [c for c in same if c.start < chunk.start <= c.end + _GAP]
    after = [c for c in same if chunk.start < c.start <= chunk.end + _GAP]
    head = tail = ""
    if before and chunk.text[:1].islower():
        prev = before[-1]
        lead = prev.text[: max(0, chunk.start - prev.start)]
        ends = list(_SENTENCE_END.finditer(lead))
        head = lead[ends[-1].end() :].strip() if ends else lead.strip()
        head += " " if head and prev.end < chunk.start else ""
    if after and not chunk.text.rstrip().endswith((".", "!", "?")):
        nxt = after[0]
        rest = nxt.text[max(0, chunk.end - nxt.start) :]
        end = _SENTENCE_END.search(rest)
        tail = rest[: end.end()] if end else ""
        tail = (" " + tail) if tail and nxt.start > chunk.end else tail
    return head + chunk.text + tail


# --- figures ----------------------------------------------------------------------------------------


def _label(fact: Fact) -> str:
    label = " ".join(fact.metric.replace("*", "").split()).replace(" - ", " – ")
    if fact.qualifier and fact.qualifier.lower() not in label.lower():
        label = f"{label}, {fact.qualifier}"
    return label


def _heading(fact: Fact) -> str:
    return " ".join((fact.table or fact.section or "").split())


@dataclass(frozen=True)
class _Row:
    """The facts of one table row, how well it fits the brief, and where retrieval ranked it."""

    facts: tuple[Fact, ...]
    score: float
    rank: int

    @property
    def first(self) -> Fact:
        return self.facts[0]

    def year(self, year: int) -> Fact | None:
        usable = [f for f in self.facts if f.year == year and f.value is not None and not is_no_value(f.value_text)]
        return usable[0] if usable else None


def candidate_rows(
    facts: Sequence[Fact],
    documents: Mapping[str, DocMeta],
    terms: set[str],
    related: set[str],
    hits: Sequence[Hit] = (),
    whole: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[_Row]:
    """Table rows on the brief's theme, best first.

    A row scores 3 per label word that shares a whole word of the brief (`whole`; 1 when it shares only a part
    of the brief's compounds), 2 per word sharing a term with the brief of its table title or
    section, and 2 per label word that the chosen statements use as a whole word (a rare one, in at most three
    labels: "strømforbruget" names "Strømforbrug"); it needs 2 to count. Ratios (a unit with "/", "per million
    of revenue") follow the absolute figures; rows retrieval found for the brief rank first on ties.
    """
    rows: dict[tuple[str, int], list[Fact]] = {}
    for fact in facts:
        if fact.doc_id in documents and fact.style != "running-text":
            rows.setdefault((fact.doc_id, fact.start), []).append(fact)
    ranks = {(h.chunk.doc_id, h.chunk.start): i for i, h in enumerate(hits) if h.chunk.kind == "fact"}
    rare = related & rare_label_terms(facts, documents)

    def sharing_rare(label: str, language: Language) -> int:
        return sum(1 for word in re.findall(r"[\w-]+", label) if base_terms(word, language) & rare)
    out = []
    for key, row in rows.items():
        first = row[0]
        language = documents[first.doc_id].language
        label = _label(first)
        score = (3 * _words_sharing(label, whole, language) + _words_sharing(label, terms - whole, language)
                 + 2 * _words_sharing(_heading(first), terms, language)
                 + 2 * sharing_rare(label, language))
        if score >= 2:
            ratio = 2.0 if "/" in (first.unit or "") else 0.0
            out.append(_Row(tuple(row), score - ratio, ranks.get(key, len(hits) + 1)))
    return sorted(out, key=lambda r: (-r.score, r.rank, r.first.doc_id, r.first.start))


def rare_label_terms(facts: Sequence[Fact], documents: Mapping[str, DocMeta], most: int = 3) -> set[str]:
    """Terms of the facts' row labels that occur in at most `most` distinct labels: what names one measure."""
    labels = {_label(f).lower(): f for f in facts if f.doc_id in documents}
    spread: dict[str, int] = {}
    for label, fact in labels.items():
        language = documents[fact.doc_id].language
        for term in topic_terms(label, language) | base_terms(label, language):
            spread[term] = spread.get(term, 0) + 1
    return {t for t, n in spread.items() if n <= most}


def _words_sharing(text: str, terms: set[str], language: Language) -> int:
    """How many words of a text share an analysed term with `terms` (a compound counts once, not per part)."""
    return sum(1 for word in re.findall(r"[\w-]+", text) if topic_terms(word, language) & terms)


def _report_year(row: _Row, documents: Mapping[str, DocMeta]) -> int:
    meta = documents.get(row.first.doc_id)
    return meta.year if meta and meta.year else 0


def pick_rows(rows: Sequence[_Row], year: int, documents: Mapping[str, DocMeta], limit: int) -> list[_Row]:
    """The best rows with a value for `year`, one per label (the newest report's when two reports print it)."""
    chosen: dict[str, _Row] = {}
    for row in rows:
        if row.year(year) is None:
            continue
        key = _label(row.first).lower()
        best = chosen.get(key)
        if best is None or (row.score, _report_year(row, documents)) > (best.score, _report_year(best, documents)):
            chosen[key] = row
    ordered = sorted(chosen.values(), key=lambda r: (-r.score, r.rank, r.first.doc_id, r.first.start))
    return ordered[:limit]


def format_number(value: float, decimals: int) -> str:
    """A number in Danish/Norwegian notation: "1.567", "7,8"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _with_unit(value_text: str, unit: str | None) -> str:
    text = " ".join(value_text.split())
    unit = (unit or "").strip()
    if not unit or unit in text:
        return text
    if unit[0].isupper() and unit[1:].islower():
        unit = unit.lower()  # "Ton" in a table header, "ton" in a sentence
    return f"{text} {unit}"


def change_text(previous: Fact, current: Fact, language: Language, signed: bool = False) -> tuple[str, str] | None:
    """The change between two cited values as printed in the draft and the number it states.

    Percentages change by percentage points ("0,63 procentpoint"), and so does a score whose row holds negative
    values (`signed`, e.g. an index from -100 to +100: "12 point"), where a relative change means nothing. Other
    figures change relatively ("20 %", whole percent from 10 up, else one decimal). None: nothing to compute.
    """
    if previous.value is None or current.value is None or current.value == previous.value:
        return None
    decimals = max(decimals_of(previous.value_text), decimals_of(current.value_text))
    difference = format_number(abs(current.value - previous.value), decimals)
    if (current.unit or "").strip() == "%" or current.value_text.strip().endswith("%"):
        return f"{difference} {_WORDS[language]['points']}", difference
    if signed:
        return f"{difference} {_WORDS[language]['point']}", difference
    if previous.value <= 0:
        return None
    relative = abs(current.value - previous.value) / abs(previous.value) * 100
    number = format_number(relative, 0 if round(relative, 1) >= 10 else 1)
    return f"{number} %", number


def figure_sentence(row: _Row, year: int, language: Language) -> tuple[str, str | None, Fact | None]:
    """The template sentence for one row and year; the computed change (if any) and the previous year's fact."""
    words = _WORDS[language]
    current = row.year(year)
    assert current is not None
    previous = row.year(year - 1)
    label = _label(current)
    label = label[0].upper() + label[1:] if label[:2].islower() else label
    cur = _with_unit(current.value_text, current.unit)
    if previous is None:
        return words["single"].format(label=label, cur=cur, y=year), None, None
    prev = _with_unit(previous.value_text, previous.unit)
    signed = any(f.value is not None and f.value < 0 for f in row.facts)
    change = change_text(previous, current, language, signed)
    if change is None:
        return words["same"].format(label=label, cur=cur, py=year - 1, y=year), None, previous
    assert current.value is not None and previous.value is not None
    template = words["down"] if current.value < previous.value else words["up"]
    return template.format(label=label, prev=prev, cur=cur, py=year - 1, y=year, change=change[0]), change[0], previous


# --- assembly ---------------------------------------------------------------------------------------


def row_quote(fact: Fact) -> str:
    """The footnote quote of a table row: its header line (where the years are named) … the row."""
    row = " ".join(fact.source_text.split())
    header = " ".join((fact.header or "").split())
    return f"{header} … {row}" if header and header not in row else row


class _Sources:
    """Numbers footnotes in order of first use; the same quote from the same document shares a number."""

    def __init__(self, documents: Mapping[str, DocMeta]) -> None:
        self.documents = documents
        self.items: list[Citation] = []

    def cite(self, doc_id: str, page: int | None, section: str | None, quote: str) -> int:
        for c in self.items:
            if c.doc_id == doc_id and c.quote == quote:
                return c.n
        meta = self.documents.get(doc_id)
        n = len(self.items) + 1
        self.items.append(Citation(n, doc_id, meta.title if meta else doc_id, page, section, quote))
        return n


def _themes(
    statements: Sequence[Statement], rows: Sequence[_Row], documents: Mapping[str, DocMeta], terms: set[str]
) -> list[tuple[str, list[Statement], list[_Row]]]:
    """Statements and rows grouped by theme: a section heading or table title; headings that share a word merge.

    A row found through a statement's words (its own heading does not name the brief's theme) joins the
    statement's theme: "Strømforbrug" from the appendix follows "… sænket strømforbruget" under "Klima og miljø".
    """
    groups: list[tuple[str, set[str], list[Statement], list[_Row]]] = []

    def group(heading: str, language: Language) -> tuple[str, set[str], list[Statement], list[_Row]]:
        terms = topic_terms(heading, language)
        for g in groups:
            if g[0] == heading or (terms & g[1]):
                g[1].update(terms)
                return g
        groups.append((heading, terms, [], []))
        return groups[-1]

    for s in statements:
        group(theme_heading(s.chunk.section or "") or s.chunk.title, s.chunk.language)[2].append(s)
    for r in rows:
        language = documents[r.first.doc_id].language
        heading = theme_heading(_heading(r.first)) or documents[r.first.doc_id].title
        source = next((s for s in statements if base_terms(_label(r.first), language) & base_terms(s.quote, language)),
                      None)
        if source is not None and not topic_terms(heading, language) & terms:
            heading, language = theme_heading(source.chunk.section or "") or source.chunk.title, source.chunk.language
        group(heading, language)[3].append(r)
    return [(heading, ss, rs) for heading, _, ss, rs in groups]


def build_draft(
    instruction: str,
    index: Index,
    retriever: HybridRetriever,
    filters: Filters | None = None,
    *,
    max_figures: int = 6,
    max_sentences: int = 4,
    max_chars: int = 500,
) -> Draft:
    """A footnoted draft for a brief such as "Skriv et kort afsnit om vores klimaindsats i 2025".

    Statements come from the hybrid retriever's top passages for the brief's topic, figures from the index's
    facts on the same theme, for the year the brief names (else the newest year with a matching figure).
    """
    instruction = validate_question(instruction, max_chars)
    info = parse_query(instruction, index.newest_year)
    topic = instruction_topic(instruction)
    language = info.language
    documents = {d: m for d, m in index.documents.items() if filters is None or filters.allows_document(m)}
    names: set[str] = set()
    for meta in index.documents.values():
        names |= topic_terms(f"{meta.organisation or ''} {meta.title}", meta.language)
    terms = topic_terms(topic, language) - names
    whole = base_terms(topic, language) - names
    hits = retriever.search(topic, k=20, filters=filters) if terms else []
    measured = rare_label_terms(index.facts, documents) - names
    statements = select_statements(hits, terms, language, documents, index.chunks, limit=max_sentences,
                                   measured=measured, whole=whole)
    related: set[str] = set()
    for s in statements:
        related |= base_terms(s.quote, s.chunk.language)
    rows = candidate_rows(index.facts, documents, terms, related - terms - names, hits, whole) if terms else []
    years: tuple[int, ...] = info.years
    if info.year_range is not None:
        years = tuple(range(info.year_range[0], info.year_range[1] + 1))
    if not years:
        with_data = [f.year for r in rows for f in r.facts if f.value is not None]
        years = (max(with_data),) if with_data else ()
    chosen = pick_rows(rows, max(years), documents, max_figures) if years else []
    return _assemble(instruction, topic, language, years, _themes(statements, chosen, documents, terms), documents)


def _assemble(
    instruction: str,
    topic: str,
    language: Language,
    years: tuple[int, ...],
    themes: Sequence[tuple[str, list[Statement], list[_Row]]],
    documents: Mapping[str, DocMeta],
) -> Draft:
    sources = _Sources(documents)
    sections: list[DraftSection] = []
    figures: list[DraftFigure] = []
    computed: list[str] = []
    year = max(years) if years else 0
    for heading, theme_statements, theme_rows in themes:
        parts = []
        for s in theme_statements:
            n = sources.cite(s.chunk.doc_id, s.chunk.page, s.chunk.section, s.quote)
            parts.append(f"{s.text} [{n}]")
        for row in theme_rows:
            sentence, change, previous = figure_sentence(row, year, language)
            current = row.year(year)
            assert current is not None
            n = sources.cite(current.doc_id, current.page, _heading(current) or None, row_quote(current))
            parts.append(f"{sentence} [{n}]")
            if change is not None:
                computed.append(change)
            meta = documents.get(current.doc_id)
            figures.append(DraftFigure(
                n=n, metric=_label(current), year=year, value=_with_unit(current.value_text, current.unit),
                previous_year=previous.year if previous else None,
                previous_value=_with_unit(previous.value_text, previous.unit) if previous else None,
                doc_id=current.doc_id, title=meta.title if meta else current.doc_id, change=change,
                signed=any(f.value is not None and f.value < 0 for f in row.facts),
            ))
        if parts:
            sections.append(DraftSection(heading, " ".join(parts)))
    return Draft(instruction, topic, language, years, tuple(sections), tuple(figures), tuple(sources.items),
                 tuple(dict.fromkeys(computed)))


# --- checks -----------------------------------------------------------------------------------------


def check_draft(draft: Draft) -> list[str]:
    """Problems that must never reach a reader: a figure without a footnote, or a footnote not stating it.

    Each paragraph is split into footnoted pieces ("… [n]"); every number in a piece (years aside) must be in that
    piece's source quote or be a change the code computed, and every computed change must follow from the two
    cited values. An empty list means the draft passes.
    """
    problems: list[str] = []
    quotes = {c.n: c.quote for c in draft.sources}
    for paragraph in draft.paragraphs:
        pos = 0
        for marker in _MARKER.finditer(paragraph):
            piece = paragraph[pos : marker.start()]
            pos = marker.end()
            n = int(marker.group(1))
            if n not in quotes:
                problems.append(f"footnote [{n}] has no source")
                continue
            for number in _figures_in(piece):
                if not _stated_in(number, quotes[n]) and not any(same_number(number, c) for c in draft.computed):
                    problems.append(f"{number!r} is not in source [{n}]")
        for number in _figures_in(paragraph[pos:]):
            problems.append(f"{number!r} has no footnote")
    for fig in draft.figures:
        if fig.n not in quotes or not _stated_in(fig.value, quotes[fig.n]):
            problems.append(f"table value {fig.value!r} for {fig.metric} is not in source [{fig.n}]")
        if fig.previous_value and not _stated_in(fig.previous_value, quotes.get(fig.n, "")):
            problems.append(f"previous value {fig.previous_value!r} for {fig.metric} is not in source [{fig.n}]")
        if fig.change and fig.previous_value and not _change_follows(fig, draft.language):
            problems.append(f"change {fig.change!r} for {fig.metric} does not follow from its values")
    return problems


def _change_follows(fig: DraftFigure, language: Language) -> bool:
    """Recompute a printed change from the figure's two cited values."""
    assert fig.previous_value is not None
    now, before = find_numbers(fig.value), find_numbers(fig.previous_value)
    if not now or not before or now[0].value is None or before[0].value is None:
        return False
    unit = "%" if fig.value.rstrip().endswith("%") else None
    current = Fact("", "", fig.year, fig.value.split()[0], now[0].value, unit, "", "", 0, 0)
    previous = Fact("", "", fig.year - 1, fig.previous_value.split()[0], before[0].value, unit, "", "", 0, 0)
    change = change_text(previous, current, language, fig.signed)
    return change is not None and change[0] == fig.change


def _stated_in(figure: str, quote: str) -> bool:
    """Whether a printed figure ("1.567 Ton", "62/38 %") is stated in a quote, under any reading of its digits."""
    found = find_numbers(figure)
    if not found:
        return False
    in_quote = numbers_in(quote)
    return any(any(abs(v - q) < 1e-9 for q in in_quote) for v in values_of(found[0])) or any(
        same_number(figure, m.text) for m in find_numbers(quote)
    )


def _figures_in(text: str) -> list[str]:
    """Printed figures in a piece of draft text, years left out."""
    years = set(find_years(text))
    out: list[str] = []
    for match in find_numbers(text):
        if match.raw is not None and int(match.raw) == match.raw and int(match.raw) in years and "," not in match.text:
            continue
        out.append(match.text.strip())
    return out


# --- export -----------------------------------------------------------------------------------------


def _where(c: Citation, language: Language) -> str:
    parts = [c.title]
    if c.page:
        parts.append(f"{_WORDS[language]['page']} {c.page}")
    if c.section and c.section != c.title:
        parts.append(c.section)
    return ", ".join(parts)


def _md(text: str) -> str:
    return escape_markdown(text, strict=False)


def _figure_rows(draft: Draft, ref: Callable[[int], str], escape: Callable[[str], str]) -> list[str]:
    w = _WORDS[draft.language]
    lines = [f"| {w['metric']} | {w['year']} | {w['value']} | {w['previous']} | {w['change']} | {w['source']} |",
             "|---|---|---|---|---|---|"]
    for f in draft.figures:
        prev = f"{f.previous_value} ({f.previous_year})" if f.previous_value else "–"
        cells = [escape(f.metric), str(f.year), escape(f.value), escape(prev), escape(f.change or "–"), ref(f.n)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def draft_markdown(draft: Draft, *, footnotes: bool = True) -> str:
    """The draft as Markdown: a heading per theme, `[^n]` footnotes (or plain `[n]` and a numbered source list)."""
    w = _WORDS[draft.language]
    if draft.empty:
        return f"# {_md(draft.title)}\n\n{ABSTAIN[draft.language]}\n"

    def ref(n: int | str) -> str:
        return f"[^{n}]" if footnotes else f" \\[{n}\\]"

    lines = [f"# {_md(draft.title)}", ""]
    for section in draft.sections:
        pieces = _MARKER.split(section.paragraph)
        lines += [f"## {_md(section.theme)}", ""]
        lines += ["".join(_md(p) if i % 2 == 0 else ref(p) for i, p in enumerate(pieces)), ""]
    if draft.figures:
        lines += [f"## {w['table']}", "", *_figure_rows(draft, lambda n: ref(n).strip(), _md), ""]
    lines += [f"_{_md(w['note'])}_", ""]
    if not footnotes:
        lines += [f"## {w['sources']}", ""]
    for c in draft.sources:
        body = f"{_md(_where(c, draft.language))}: »{_md(c.quote)}«"
        lines.append(f"[^{c.n}]: {body}" if footnotes else f"{c.n}. {body}")
    return "\n".join(lines).rstrip() + "\n"


_PANDOC_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _pandoc_escape(text: str) -> str:
    """Literal text for pandoc's Markdown: every ASCII punctuation mark backslash-escaped."""
    return _PANDOC_PUNCTUATION.sub(r"\\\1", re.sub(r"\s+", " ", text))


def pandoc_markdown(draft: Draft) -> str:
    """The draft as pandoc Markdown with metadata (title, language) and `[^n]` footnotes, every text escaped."""
    w = _WORDS[draft.language]
    meta = {"title": _pandoc_escape(draft.title), "lang": _LANG_TAGS[draft.language],
            "subject": _pandoc_escape(draft.topic), "description": _pandoc_escape(w["note"])}
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()), "---", ""]
    if draft.empty:
        return "\n".join([*lines, _pandoc_escape(ABSTAIN[draft.language]), ""])
    for section in draft.sections:
        pieces = _MARKER.split(section.paragraph)
        lines += [f"## {_pandoc_escape(section.theme)}", ""]
        lines += ["".join(_pandoc_escape(p) if i % 2 == 0 else f"[^{p}]" for i, p in enumerate(pieces)), ""]
    if draft.figures:
        lines += [f"## {_pandoc_escape(w['table'])}", "", *_figure_rows(draft, lambda n: f"[^{n}]", _pandoc_escape),
                  ""]
    made = w["made"].format(date=date.today().isoformat(), instruction=draft.instruction)
    lines += [f"*{_pandoc_escape(w['note'])}*", "", _pandoc_escape(made), ""]
    for c in draft.sources:
        lines.append(f"[^{c.n}]: {_pandoc_escape(_where(c, draft.language))}: »{_pandoc_escape(c.quote)}«")
    return "\n".join(lines).rstrip() + "\n"


def draft_docx(draft: Draft) -> bytes:
    """The draft as a Word document with real footnotes and document properties (title, language, subject)."""
    try:
        import pypandoc
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise DraftExportError("pandoc is not installed; run `pip install pypandoc-binary`.") from exc
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "draft.docx"
        try:
            pypandoc.convert_text(pandoc_markdown(draft), "docx", format="markdown", outputfile=str(out))
        except (OSError, RuntimeError) as exc:
            raise DraftExportError(f"pandoc could not write the DOCX ({exc}); save the Markdown instead.") from exc
        return out.read_bytes()
