"""Repair of broken font encodings: ligatures, private-use glyphs, non-breaking and letter-spaced text.

Some fonts map their ligature glyphs ("ti", "tt", "ft", "fi") to unrelated characters, so "tiltak" comes out as
"Dltak" and "etter" as "e>er". Which character stands for which ligature differs per font, so it is learnt per
document and font: a character is read as a ligature when, substituted, it turns many of the font's unknown
words into words the document (or our word lists) spells normally elsewhere, and never a word that was known.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Protocol

_LIGATURES = ("ti", "tt", "ft", "fi", "fl", "ff", "ffi", "ffl", "tf", "fj", "st")
_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\x00"}
_SPACES = {"\u00a0", "\u2007", "\u2009", "\u202f", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2008"}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def is_private_use(ch: str) -> bool:
    """A glyph with no meaning outside its font (U+E000–U+F8FF and the supplementary private planes)."""
    return unicodedata.category(ch) == "Co"


def clean_char(text: str) -> str | None:
    """One extracted character made plain: None to drop it, a space for non-breaking spaces, ligatures spelt out."""
    if not text:
        return None
    out = []
    for ch in text:
        if ch in _DROP or is_private_use(ch) or (unicodedata.category(ch) == "Cc" and ch not in "\t\n"):
            continue
        if ch in _SPACES:
            out.append(" ")
        elif "\ufb00" <= ch <= "\ufb06":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out) or None


def clean_text(text: str) -> str:
    """`clean_char` over a whole text (for readers that give strings rather than characters).

    In running text a private-use glyph is usually a bullet or an icon between two words, so it becomes a
    space rather than nothing ("mål\uf0b7Vision" must not read "målVision").
    """
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
        elif is_private_use(ch):
            out.append(" " if out and not out[-1].isspace() else "")
        else:
            out.append(clean_char(ch) or "")
    return "".join(out)


class _HasText(Protocol):
    text: str
    font: str


@cache
def _word_list() -> frozenset[str]:
    words: set[str] = set()
    for name in ("compound_parts.txt", "stopwords_da.txt", "stopwords_nb.txt"):
        try:
            data = resources.files("rag").joinpath("data", name).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            continue
        words.update(w.strip().casefold() for w in data.split() if w.strip() and not w.startswith("#"))
    return frozenset(words)


def _known(word: str, vocabulary: set[str]) -> bool:
    w = word.casefold()
    return w in vocabulary or w in _word_list()


def _vocabulary(words: Sequence[_HasText], font: str) -> set[str]:
    """Words spelt in the other fonts of the document: a broken font cannot vouch for its own spellings."""
    return {m.group().casefold() for w in words if w.font != font for m in _WORD.finditer(w.text)}


def _substitute(token: str, ch: str, lig: str) -> str:
    if ch.isupper():  # a capital standing for a ligature only ever opens the word ("Dltak")
        return lig + token[1:] if token[:1] == ch and token[1:2].islower() else token
    return token.replace(ch, lig)


def learn_ligatures(words: Sequence[_HasText]) -> dict[tuple[str, str], str]:
    """(font, character) → the ligature that character stands for in that font, where the evidence is clear."""
    by_font: dict[str, list[str]] = defaultdict(list)
    for w in words:
        by_font[w.font].append(w.text)
    mapping: dict[tuple[str, str], str] = {}
    for font, texts in by_font.items():
        known = _vocabulary(words, font)
        suspects: Counter[str] = Counter()
        for t in texts:
            core = t.strip(".,;:!?()«»\"'")
            if len(core) < 3 or _known(core, known):
                continue
            suspects.update(ch for ch in set(core[1:-1]) if not ch.isalnum() and ch not in "-/'’.")
            if core[0].isupper() and core[1:].islower():
                suspects[core[0]] += 1
        for ch, _ in suspects.most_common(12):
            best = _best_ligature(ch, texts, known)
            if best:
                mapping[(font, ch)] = best
    return mapping


def _best_ligature(ch: str, texts: Iterable[str], known: set[str]) -> str | None:
    unknown = {t.strip(".,;:!?()«»\"'") for t in texts}
    unknown = {t for t in unknown if ch in t and len(t) >= 3 and not _known(t, known)}
    if len(unknown) < 2:
        return None
    gains = {lig: sum(_known(_substitute(t, ch, lig), known) for t in unknown) for lig in _LIGATURES}
    lig, gained = max(gains.items(), key=lambda kv: kv[1])
    # Clear evidence: several unknown words become known ones, and a good share of them do.
    return lig if gained >= 2 and gained >= 0.4 * len(unknown) else None


def repair_font_glyphs(words: Sequence[_HasText]) -> int:
    """Rewrite, in place, unknown words of fonts whose ligature glyphs decode as other characters."""
    mapping = learn_ligatures(words)
    if not mapping:
        return 0
    fonts = {font for font, _ in mapping}
    known_in = {font: _vocabulary(words, font) for font in fonts}
    changed = 0
    for w in words:
        if w.font not in fonts or _known(w.text.strip(".,;:!?()«»\"'"), known_in[w.font]):
            continue
        text = w.text
        for (font, ch), lig in mapping.items():
            if w.font == font and ch in text:
                text = _substitute(text, ch, lig)
        if text != w.text:
            w.text = text
            changed += 1
    return changed


_LETTER_SPACED = re.compile(r"(?<!\S)((?:[^\W\d_] ){2,}[^\W\d_])(?!\S)")


def word_counts(text: str) -> Counter[str]:
    """How often each word occurs in a document (case-folded), the evidence `join_letter_spaced` needs."""
    return Counter(m.group().casefold() for m in _WORD.finditer(text))


def join_letter_spaced(text: str, counts: Counter[str] | None = None) -> str:
    """'p r o d u k t i o n' → 'produktion'; 'pr oduktion' → 'produktion' where the document says so.

    A split word is joined only when the joined word occurs elsewhere in the document, its tail does not (and
    is in none of our word lists), so "i gang" or "en del" stay as they are.
    """
    text = _LETTER_SPACED.sub(lambda m: m.group(1).replace(" ", ""), text)
    if not counts:
        return text

    def joins(head: str, tail: str) -> bool:
        joined = (head + tail).casefold()
        tail_known = counts[tail.casefold()] > 1 or tail.casefold() in _word_list()
        return counts[joined] >= 1 and not tail_known and not (head[:1].isupper() and tail[:1].isupper())

    out: list[str] = []
    for line in text.split("\n"):
        tokens = line.split(" ")
        merged: list[str] = []
        i = 0
        while i < len(tokens):
            head = tokens[i]
            tail = tokens[i + 1] if i + 1 < len(tokens) else ""
            word = _LETTERS.fullmatch(tail)
            if _SHORT.fullmatch(head) and word and joins(head, word.group(1)):
                merged.append(head + tail)
                i += 2
            else:
                merged.append(head)
                i += 1
        out.append(" ".join(merged))
    return "\n".join(out)


_SHORT = re.compile(r"[^\W\d_]{1,3}")
_LETTERS = re.compile(r"([^\W\d_]{2,})[.,;:!?)]*")
