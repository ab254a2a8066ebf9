"""Whose report is this: the organisation a document is about, found in its own text.

A report names its organisation with a legal form far more often than anything else ("Havbris Energi AS",
"Kvistgaard Mølle A/S", "Nordre Fjell Interkommunale Renovasjon IKS (NFIR)"). The most often named such company is
the organisation; others that share its distinctive word are its subsidiaries ("Havbris Nett AS"); an
acronym in brackets right after the name is an alias. The legal forms also say the country. Nothing here
knows any organisation's name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Nordic and English legal forms, with the country they belong to (None: used in several countries).
LEGAL_FORMS: dict[str, str | None] = {
    "A/S": "DK",
    "ApS": "DK",
    "I/S": "DK",
    "P/S": "DK",
    "K/S": "DK",
    "AS": "NO",
    "ASA": "NO",
    "IKS": "NO",
    "KF": "NO",
    "SA": None,
    "AB": "SE",
    "Oyj": "FI",
    "plc": "GB",
    "Ltd": "GB",
    "Inc": "US",
    "SE": None,
    "GmbH": "DE",
    "NV": None,
}
# Words that name a group of companies the way a legal form names one ("Northwind Group", "Kvistgaard-koncernen").
GROUP_WORDS = ("Group", "Groups", "Gruppen", "Koncern", "koncernen", "konsernet", "Konsern", "-koncernen", "-konsernet")
_FORM = "|".join(re.escape(f) for f in sorted([*LEGAL_FORMS, *GROUP_WORDS], key=len, reverse=True))
_WORD = r"[A-ZÆØÅÄÖÜ][\wÆØÅæøåÄÖÜäöüé&'’.-]*"
_NAME = re.compile(
    rf"((?:{_WORD}|og|and|&|i|of)(?:[ \u00a0](?:{_WORD}|og|and|&|of)){{0,5}})(?:[ \u00a0]+|(?=-))({_FORM})(?![\w/])"
)
_ACRONYM = re.compile(r"\s*\(([A-ZÆØÅ][A-ZÆØÅ0-9]{1,9})\)")
# Connecting words that may sit inside a name but never start or end one.
_JOINERS = frozenset({"og", "and", "&", "i", "of"})
_HEAD_PAGES_CHARS = 8000  # the front page and the first pages: a name there counts double
_GROUP_SET = frozenset(g.lstrip("-") for g in GROUP_WORDS)


@dataclass(frozen=True)
class Organisation:
    """An organisation as a document names it: name, aliases (acronyms, subsidiaries) and country."""

    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None


def _common(word: str, lowercase: Counter[str], capitalised: Counter[str]) -> bool:
    """A word the text writes in lower case more often than capitalised: a common word, not a name."""
    return lowercase[word.lower()] > capitalised[word]


def _trim(words: list[str], lowercase: Counter[str], capitalised: Counter[str]) -> list[str]:
    """Drop leading words that the text mostly writes in lower case ("Styret", "Selskapet"): not part of a name."""
    while words and (words[0].lower() in _JOINERS or _common(words[0], lowercase, capitalised)):
        words = words[1:]
    while words and words[-1].lower() in _JOINERS:
        words = words[:-1]
    return words


def _named_companies(
    text: str, lowercase: Counter[str], capitalised: Counter[str]
) -> tuple[Counter[tuple[str, str]], dict[str, Counter[str]]]:
    """Every (name, legal form or group word) the text writes, counted (double on the first pages); acronyms."""
    counts: Counter[tuple[str, str]] = Counter()
    acronyms: dict[str, Counter[str]] = {}
    for m in _NAME.finditer(text):
        words = m.group(1).split()
        cut = max((i + 1 for i, w in enumerate(words) if w.rstrip(".,") in LEGAL_FORMS), default=0)
        words = _trim(words[cut:], lowercase, capitalised)  # "Nett AS og Havbris Nett" → "Havbris Nett"
        if not words or not any(any(ch.islower() for ch in w) or len(w) > 1 for w in words):
            continue
        name = " ".join(words)
        counts[(name, m.group(2))] += 2 if m.start() < _HEAD_PAGES_CHARS else 1
        acronym = _ACRONYM.match(text, m.end())
        if acronym and _abbreviates(acronym.group(1), name):
            acronyms.setdefault(name, Counter())[acronym.group(1)] += 1
    return counts, acronyms


def find_organisation(text: str) -> Organisation | None:
    """The organisation a report is about, or None when it names no company with a legal form twice."""
    lowercase = Counter(re.findall(r"(?<![\w@.])[a-zæøåäöü][\wæøåäöü]*", text))
    capitalised = Counter(re.findall(r"(?<![\w@.])[A-ZÆØÅÄÖÜ][\wæøåäöüÆØÅ]*", text))
    counts, acronyms = _named_companies(text, lowercase, capitalised)

    def distinctive(name: str) -> list[str]:
        return [w for w in name.split() if not _common(w, lowercase, capitalised) and w.lower() not in _JOINERS]

    def mentions(name: str) -> int:
        """How often the text names it at all: its rarest distinctive word's count, legal form or not."""
        return min((capitalised[w] for w in distinctive(name)), default=0)

    names: Counter[str] = Counter()
    grouped: set[str] = set()  # names the text also calls a group ("Northwind Group", "Kvistgaard-koncernen")
    forms: dict[str, Counter[str]] = {}
    for (name, form), n in counts.items():
        names[name] += n
        if form.lstrip("-") in _GROUP_SET:
            grouped.add(name)
        else:
            forms.setdefault(name, Counter())[form] += n
    # An acronym of a longer name is that name ("NFIR" for "Nordre Fjell Interkommunale Renovasjon").
    initials = {"".join(w[0] for w in distinctive(n)).upper(): n for n in names if len(distinctive(n)) >= 2}
    for name in list(names):
        full = initials.get(name)
        if full is not None and full != name:
            names[full] += names.pop(name)
            grouped |= {full} if name in grouped else set()
            acronyms.setdefault(full, Counter())[name] += 1
    candidates = [n for n, count in names.items() if count >= 2 and mentions(n) > 0]
    if not candidates:
        return None

    def is_group(name: str) -> bool:
        return any(name == g or name.startswith(g + " ") for g in grouped)

    # The reporting organisation: one the text also calls a group, with a legal form, named most often.
    name = max(candidates, key=lambda n: (is_group(n), n in forms, names[n], mentions(n)))
    form = forms[name].most_common(1)[0][0] if name in forms else ""
    first = distinctive(name)[0]  # names lead with their own word: "Havbris" Energi, "Northwind" Group
    aliases: list[str] = []
    if name in acronyms:
        aliases.append(acronyms[name].most_common(1)[0][0])
    for other, n in names.most_common():
        if other != name and n >= 2 and first in other.split() and name not in other and not name.startswith(other):
            other_form = forms[other].most_common(1)[0][0] if other in forms else ""
            aliases.append(f"{other} {other_form}".strip())
    return Organisation(f"{name} {form}".strip(), tuple(dict.fromkeys(aliases)), LEGAL_FORMS.get(form))




def _abbreviates(acronym: str, name: str) -> bool:
    """True when the letters of the acronym occur in order in the name, starting with its first letter."""
    rest = name.lower()
    if not rest.startswith(acronym[0].lower()):
        return False
    for letter in acronym.lower():
        at = rest.find(letter)
        if at < 0:
            return False
        rest = rest[at + 1 :]
    return True
