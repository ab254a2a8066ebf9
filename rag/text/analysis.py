"""The Nordic analyser behind BM25: Danish/Norwegian text → stemmed, stopword-free tokens with whole numbers.

English analysers (and whitespace splitting) miss most Danish and Norwegian matches: "sygefraværet" must meet
"sygefravær", "1.567" must meet "1567", and "korttidssygefravær" must meet "sygefravær". The pipeline per token:

1. NFKC + lowercase (so "CO₂" is "co2" and "m³" is "m3"); accents folded (é→e, ä→æ, ö→ø).
2. Numbers are kept whole and normalised (`normalize_number`, read by `rag.text.numbers`): "1.567" and "1567" →
   "1567", "3,18" stays "3,18", "3,10" → "3,1", English "3.18" → "3,18", "NOK 30 000" → "30000" (plus "30").
3. Words get the `fold_spelling` rule: "ae/oe/aa" → "æ/ø/å" ("soeg" → "søg", "Aalborg" → "ålborg"), except
   right after a common compound head ending in a vowel ("klimaaftryk", "dataanalyse", "bioenergi"). The rule is
   applied to documents and queries alike, so English words that change ("does" → "døs") still match themselves.
4. Stopwords (`rag/data/stopwords_{da,nb}.txt`, both lists for either language, plus `stopwords_en.txt` for
   English reports) are dropped, single letters too; the rest is stemmed with Snowball (`danish`, `norwegian`
   or `english` from the text's language).
5. Long compounds add their parts (`CompoundSplitter`): every tail and head of a long stem that is itself a
   known word stem becomes an extra token, so "korttidssygefravær" also yields "sygefravær", "fravær",
   "korttid" and "kort". Character n-grams were tried as the alternative and lost on retrieval (see
   `rag.index.lexical`), but remain available as `compounds="ngrams"`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

import Stemmer

from rag.text.numbers import find_numbers
from rag.types import Language

CompoundMode = Literal["split", "ngrams", "none"]

STEMMER_NAMES: dict[Language, str] = {"da": "danish", "nb": "norwegian", "en": "english"}
ANALYZER_VERSION = 2

# --- spelling ------------------------------------------------------------------------------------

_ACCENTS = str.maketrans("éèêëáàâóòôíìúùüäöǿ", "eeeeaaaoooiiuuuæøø")
# Compound heads ending in a or o after which "aa"/"ae"/"oe" is a word boundary, not an old spelling.
_VOWEL_HEADS = tuple(
    "klima data ekstra extra kontra ultra infra intra meta para mega supra alfa beta delta ferie bio geo neo mikro"
    " makro hydro auto foto video radio audio euro info demo turbo mono stereo elektro termo psyko socio tele zoo"
    " aero".split()
)
_FOLD = re.compile(r"aa|ae|oe")
_FOLDED = {"aa": "å", "ae": "æ", "oe": "ø"}


# Danish and Norwegian spell one word apart in regular ways: a soft consonant ("forbrug", "selskab", "udland")
# where the other writes it hard ("forbruk", "selskap", "utland"), "æ"/"e", "ej"/"ei", "-tion"/"-sjon",
# "kj"/"k", "nd"/"nn", doubled consonants. In that order: the longer patterns before the letters they hold.
_COGNATE_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), to)
    for pattern, to in (
        (r"tion", "sjon"), (r"æ", "e"), (r"ej", "ei"), (r"øj", "øy"), (r"(?<=[kgs])j", ""), (r"nd", "nn"),
        (r"b", "p"), (r"d", "t"), (r"g", "k"), (r"f", "v"), (r"([^aeiouyæøå])\1", r"\1"),
    )
)


def cognate_key(stem: str) -> str:
    """One key for the Danish and the Norwegian spelling of a word ("datterselskab"/"datterselskap").

    "medarbejder"/"medarbeider", "korruption"/"korrupsjon" too. Used only where a word is not found as written,
    so a key shared by two different words costs little.
    """
    for pattern, to in _COGNATE_STEPS:
        stem = pattern.sub(to, stem)
    return stem


def fold_spelling(word: str) -> str:
    """Fold the ASCII spellings "aa", "ae", "oe" of a lowercase word to "å", "æ", "ø".

    A fold is skipped when the letters before it end with a known compound head ("klima|aftryk",
    "bio|energi"), where the pair spans two words. Applied to index and query alike, so the rule only has to
    be consistent, not perfect: "does" becomes "døs" on both sides.
    """
    if "a" not in word and "o" not in word:
        return word
    out: list[str] = []
    pos = 0
    for match in _FOLD.finditer(word):
        start = match.start()
        head = word[: start + 1]
        if head.endswith(_VOWEL_HEADS):
            continue
        out.append(word[pos:start])
        out.append(_FOLDED[match.group()])
        pos = match.end()
    if not out:
        return word
    out.append(word[pos:])
    return "".join(out)


# A raised digit after a word of three letters or more marks a footnote ("Danmark²"); after "m" or "km" it is a power.
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_]{3})[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def normalize_text(text: str) -> str:
    """Footnote marks dropped, NFKC, lowercase and accent folding; keeps æ/ø/å."""
    return unicodedata.normalize("NFKC", _FOOTNOTE_MARK.sub("", text)).lower().translate(_ACCENTS)


# --- numbers -------------------------------------------------------------------------------------


def _canonical(value: float) -> str:
    """One spelling per value: integers without grouping, decimals with a comma and no trailing zeros."""
    if value == int(value):
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".").replace(".", ",")


def normalize_number(raw: str) -> list[str]:
    """Tokens for one written number: Nordic notation ("1.567", "3,18") to one canonical form.

    Reading is delegated to `rag.text.numbers` (the project's one Nordic number reader), so the index and the
    figure checks agree: a dot before exactly three digits groups thousands, a comma is the decimal mark, a dot
    with one or two digits after it is an English decimal point. Anything else with several separators (dates
    "31.12.2024", section numbers "2.3.1") becomes its separate parts, so the year in a date still matches.
    """
    if raw.isdigit():
        return [raw.lstrip("0") or "0"]
    found = find_numbers(raw, group_spaces=False)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(raw) and found[0].value is not None:
        if math.isfinite(found[0].value):
            return [_canonical(found[0].value)]
    return [part.lstrip("0") or "0" for part in re.split(r"[.,]", raw) if part]


# --- tokens --------------------------------------------------------------------------------------

# "350 000" / "NOK 30 000": exactly two space-separated groups, not part of a longer row of numbers.
_SPACED_NUMBER = re.compile(
    r"(?<![\d.,])(?<![\d.,][ \u00a0\u202f])(\d{1,3})[ \u00a0\u202f](\d{3})(?!\d|[.,]\d|[ \u00a0\u202f]\d)"
)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")


def _raw_tokens(text: str) -> Iterable[tuple[str, bool]]:
    """(token, is_number) pairs from normalised text; spaced thousands give the joined number and its parts."""
    pos = 0
    for match in _SPACED_NUMBER.finditer(text):
        yield from _plain_tokens(text[pos : match.start()])
        yield match.group(1) + match.group(2), True
        yield match.group(1), True  # in case it was two table cells after all
        pos = match.end()
    yield from _plain_tokens(text[pos:])


def _plain_tokens(text: str) -> Iterable[tuple[str, bool]]:
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0].isdigit() and (token.isdigit() or not token.isalnum()):
            yield token, True
        else:
            yield token, False


@lru_cache(maxsize=4)
def _stemmer(language: Language) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_NAMES[language])


def _load_words(name: str) -> frozenset[str]:
    text = resources.files("rag").joinpath("data", name).read_text(encoding="utf-8")
    words = (line.strip() for line in text.splitlines())
    return frozenset(fold_spelling(normalize_text(w)) for w in words if w and not w.startswith("#"))


@lru_cache(maxsize=3)
def stopwords(language: Language) -> frozenset[str]:
    """The stopword list for a language, folded like the tokens it is compared with."""
    return _load_words(f"stopwords_{language}.txt")


@lru_cache(maxsize=1)
def all_stopwords() -> frozenset[str]:
    """Danish and Norwegian stopwords together.

    The lists barely conflict, and a question's language guess can be wrong, so both are dropped from every text.
    """
    return stopwords("da") | stopwords("nb")


@lru_cache(maxsize=1)
def builtin_compound_parts() -> frozenset[str]:
    """Stems of common CSR compound parts, so the splitter works before any corpus has been seen."""
    words = _load_words("compound_parts.txt")
    return frozenset(_stemmer(lang).stemWord(w) for w in words for lang in ("da", "nb"))


# --- compounds -----------------------------------------------------------------------------------

MIN_COMPOUND = 8  # stems shorter than this are not split
MIN_PART = 4
MIN_SHORT_HEAD = 2  # "øl", "el": a head this short needs a known word after it
MIN_SHORT_COMPOUND = 7  # "ølvolum" is a compound of two words; "ansvar" is not split this way
# Tails that are suffixes more often than words: emitting them would link every "-ring" word.
_BAD_PARTS = frozenset("ring ning else ende ener erne ernes tion sion skab skap heden".split())
_LINKING = ("s", "e")


class CompoundSplitter:
    """Adds the known parts of long compound stems as extra tokens.

    `vocabulary` holds stems that occur as words on their own (built from the corpus by `rag.index.lexical`), `curated`
    the stems of `builtin_compound_parts()`. For a stem like "korttidssygefravær" every tail ("sygefravær",
    "fravær") and every head, with a linking s/e dropped ("korttid", "kort"), that is in the vocabulary is emitted.
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        curated: Iterable[str] = (),
        heads: Iterable[str] = (),
        short_tails: bool = False,
    ) -> None:
        # Corpus stems need one letter more than curated parts: short corpus stems ("vend", "ring") are
        # more often suffixes than words, and measured retrieval was slightly better without them.
        corpus = (v for v in vocabulary if len(v) > MIN_PART)
        self.vocabulary = frozenset(v for v in (*corpus, *curated) if len(v) >= MIN_PART and v not in _BAD_PARTS)
        # Short words ("svin", "øl") given as `heads` may still start a compound, but only when the rest is a
        # known word of its own: as a head it is never a suffix, and the exact split keeps scraps out. Three-letter
        # ones ("sag", "tid") may end one after a known word ("korruptionssag") when `short_tails` says so, split
        # exactly the same way. None for the index's analyser (every chunk's tokens); a table's row labels where a
        # question meets its rows.
        self.heads = frozenset(v for v in heads if MIN_SHORT_HEAD <= len(v) <= MIN_PART and v.isalpha())
        self.short_tails = short_tails

    def parts(self, stem: str, language: Language) -> tuple[str, ...]:
        found = _split(stem, language, self.vocabulary) if len(stem) >= MIN_COMPOUND else ()
        if not self.heads:
            return found
        short = _short_head(stem, language, self.heads, self.vocabulary)
        if self.short_tails:
            short = (*short, *_short_tail(stem, self.heads, self.vocabulary))
        return tuple(dict.fromkeys((*found, *short))) if short else found


@lru_cache(maxsize=65536)
def _short_head(stem: str, language: Language, heads: frozenset[str], vocabulary: frozenset[str]) -> tuple[str, ...]:
    """A short head and the known word after it (with a linking s/e between them): "svin|e|producent"."""
    if len(stem) < MIN_SHORT_COMPOUND or not stem.isalpha():
        return ()
    stemmer = _stemmer(language)
    for i in range(MIN_SHORT_HEAD, MIN_PART + 2):
        head = next((h for h in (stem[:i], stemmer.stemWord(stem[:i])) if h in heads), None)
        if head is None:
            continue
        rest = stem[i:]
        for tail in (rest, rest[1:] if rest[:1] in _LINKING else ""):
            if len(tail) > MIN_PART and tail in vocabulary:
                return (head, tail)
    return ()


@lru_cache(maxsize=65536)
def _short_tail(stem: str, tails: frozenset[str], vocabulary: frozenset[str]) -> tuple[str, ...]:
    """A known word and a short word after it (with a linking s/e between them): "korruption|s|sag"."""
    if len(stem) < MIN_COMPOUND or not stem.isalpha():
        return ()
    for i in range(MIN_SHORT_HEAD + 1, MIN_PART):
        tail, rest = stem[-i:], stem[:-i]
        if tail not in tails:
            continue
        for head in (rest, rest[:-1] if rest.endswith(_LINKING) else ""):
            if len(head) > MIN_PART and head in vocabulary:
                return (head, tail)
    return ()


@lru_cache(maxsize=65536)
def _split(stem: str, language: Language, vocabulary: frozenset[str]) -> tuple[str, ...]:
    if len(stem) < MIN_COMPOUND or not stem.isalpha():
        return ()
    stemmer = _stemmer(language)
    found: list[str] = []
    for i in range(MIN_PART - 1, len(stem) - MIN_PART + 1):
        tail = stem[i:]
        if len(tail) >= MIN_PART and tail in vocabulary:
            found.append(tail)
        head = stem[:i]
        if len(head) < MIN_PART:
            continue
        candidates = [head]
        if head.endswith(_LINKING) and len(head) > MIN_PART:
            candidates.append(head[:-1])
        for candidate in candidates:
            for form in (candidate, stemmer.stemWord(candidate)):
                if form in vocabulary and form != stem:
                    found.append(form)
                    break
            else:
                continue
            break
    return tuple(dict.fromkeys(p for p in found if p != stem))


def char_ngrams(stem: str, n: int = 5) -> list[str]:
    """Character n-grams of a long stem, marked with "#" so they never collide with word tokens."""
    if len(stem) < MIN_COMPOUND or not stem.isalpha():
        return []
    return [f"#{stem[i : i + n]}" for i in range(len(stem) - n + 1)]


# --- the analyser --------------------------------------------------------------------------------


class Analyzer:
    """Text → BM25 tokens for one compound strategy; `analyze()` uses one with the built-in vocabulary."""

    def __init__(self, compound_vocabulary: Iterable[str] = (), compounds: CompoundMode = "split") -> None:
        self.compounds: CompoundMode = compounds
        self.splitter = CompoundSplitter(compound_vocabulary, curated=builtin_compound_parts())

    def base_tokens(self, text: str, language: Language) -> list[str]:
        """Stemmed words and normalised numbers, without compound parts."""
        stop = all_stopwords() | stopwords("en") if language == "en" else all_stopwords()
        stemmer = _stemmer(language)
        tokens: list[str] = []
        for raw, is_number in _raw_tokens(normalize_text(text)):
            if is_number:
                tokens.extend(normalize_number(raw))
                continue
            word = fold_spelling(raw)
            if word in stop or (len(word) < 2 and not word.isdigit()):
                continue
            tokens.append(stemmer.stemWord(word))
        return tokens

    def analyze(self, text: str, language: Language) -> list[str]:
        """Base tokens, each long one followed by its compound parts (or n-grams)."""
        tokens: list[str] = []
        for token in self.base_tokens(text, language):
            tokens.append(token)
            if self.compounds == "split":
                tokens.extend(self.splitter.parts(token, language))
            elif self.compounds == "ngrams":
                tokens.extend(char_ngrams(token))
        return tokens


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The analyser with only the built-in compound vocabulary."""
    return Analyzer()


def analyze(text: str, language: Language) -> list[str]:
    """BM25 tokens of `text` in `language` ("da", "nb" or "en"), with the built-in compound vocabulary."""
    return default_analyzer().analyze(text, language)


def plain_tokens(text: str) -> list[str]:
    """The baseline analyser: lowercase and split on whitespace (used to measure what ours adds)."""
    return text.lower().split()
