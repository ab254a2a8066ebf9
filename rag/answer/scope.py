"""Which organisation's reports a question is about: the one organisation scope of the answer path.

A question names an organisation the way people write names: capitalised words inside the sentence
("Hvad var Kvistgaard Mølle-koncernens …", "Hva var NFIRs …"), maybe with a possessive or a compound tail. Each name
is looked up three ways, all learnt from the corpus itself:

1. the organisations of the documents (manifest or found by `rag.ingest.organisations`), their aliases,
   titles and file names: the question is scoped to those documents;
2. a country (a curated list of country names): documents of that country;
3. a name the reports only mention (a place, a project, a person): documents that mention it, unless it has
   the shape of another document's organisation with a different distinctive word ("Østjysk Sparekasse" in a
   report of "Vestjysk Sparekasse A/S" is a competitor, not the reporting organisation).

A capitalised name found nowhere in the corpus is an organisation the corpus does not hold: the answer
abstains and says which organisations the reports cover.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rag.ingest.organisations import GROUP_WORDS, LEGAL_FORMS
from rag.text.synonyms import SUB_YEAR
from rag.text.units import UnitKind, unit_kind
from rag.types import Chunk, DocMeta, OrgScope

# Country names and adjectives people use in questions; the value is the ISO code documents carry.
COUNTRIES: dict[str, str] = {
    "danmark": "DK", "denmark": "DK", "dansk": "DK", "danske": "DK", "danish": "DK",
    "norge": "NO", "noreg": "NO", "norway": "NO", "norsk": "NO", "norske": "NO", "norwegian": "NO",
    "sverige": "SE", "sweden": "SE", "svensk": "SE", "svenske": "SE",
    "finland": "FI", "suomi": "FI", "finsk": "FI",
    "tyskland": "DE", "germany": "DE",
}  # fmt: skip
_FORMS = frozenset(f.lower().replace("/", "") for f in LEGAL_FORMS) | {f.lower() for f in LEGAL_FORMS}
_POSSESSIVE = re.compile(r"(?<=[a-zæøåA-ZÆØÅ])(?:'s|’s|s|')$")
_TOKEN = re.compile(r"[^\W_][\w'’]*(?:-[^\W_][\w'’]*)*")


def _spelt(name: str) -> str:
    """A name's words, folded, without punctuation or a possessive ending: how two spellings of one name compare."""
    words = re.findall(r"[^\W_]+", fold(re.sub(r"['’]s?$", "", name.strip())))
    return " ".join(words)


def fold(word: str) -> str:
    """Lower case without accents and with æ/ø/å spelt out: file names and questions spell names alike."""
    w = word.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    return unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode()


_GROUPS = tuple(sorted({fold(g.lstrip("-")) for g in GROUP_WORDS}))
_SPELT_FORMS = tuple(" " + _spelt(f) for f in LEGAL_FORMS)  # " as", " a s", " plc": a legal form ends a name


@dataclass(frozen=True)
class Name:
    """A name as the question writes it, with the words it is made of (possessive dropped, folded)."""

    text: str
    words: tuple[str, ...]


def question_names(question: str) -> list[Name]:
    """Capitalised words inside the question (not its first word), joined into names where adjacent.

    "Kvistgaard Mølle-koncernens" → ("kvistgaard", "molle"); a hyphen tail in lower case ("-koncernens", "-prosjektet")
    ends the name. Possessives stay on: `Scoper` tries each word with and without a final "s".
    """
    names: list[Name] = []
    words: list[str] = []
    raw: list[str] = []

    def close() -> None:
        if words:
            names.append(Name(" ".join(raw), tuple(words)))
        words.clear()
        raw.clear()

    for i, m in enumerate(_TOKEN.finditer(question)):
        pieces = m.group().split("-")
        if SUB_YEAR.fullmatch(m.group()):  # "Q3", "H1": a part of the year, not a name
            close()
            continue
        if words and pieces[0].isdigit() and len(pieces[0]) <= 4:
            raw.append(m.group())  # "Blokk 7", "Blokk 7-prosjektet": the number is part of the name as written
            close()
            continue
        if words and m.group() in LEGAL_FORMS:
            raw.append(m.group())  # "Oakfield Foods plc": a legal form written in lower case ends the name
            close()
            continue
        if i == 0 or not pieces[0][:1].isupper() or pieces[0].isdigit():
            close()
            continue
        capitalised = [p for p in pieces if p[:1].isupper()]
        words.extend(fold(p.rstrip("'’")) for p in capitalised)
        raw.append(m.group())
        if len(capitalised) < len(pieces):
            close()
    close()
    return names


class Scoper:
    """Resolves the names in a question against the corpus: its organisations, countries and mentions."""

    def __init__(self, documents: Mapping[str, DocMeta], chunks: Iterable[Chunk]) -> None:
        self.documents = dict(documents)
        self._capitalised: dict[str, Counter[str]] = {}  # folded word → documents writing it capitalised
        lower: Counter[str] = Counter()
        upper: Counter[str] = Counter()
        texts: dict[str, list[str]] = {}
        for chunk in chunks:
            texts.setdefault(chunk.doc_id, []).append(chunk.text)
            for m in re.finditer(r"(?<![\w@.])[^\W\d_][\w]*", chunk.text):
                word = m.group()
                if word[:1].isupper():
                    upper[fold(word)] += 1
                    self._capitalised.setdefault(fold(word), Counter())[chunk.doc_id] += 1
                else:
                    lower[fold(word)] += 1
        self._common = {w for w, n in lower.items() if n > upper.get(w, 0)}
        self._folded = {d: [fold(t) for t in ts] for d, ts in texts.items()}  # for phrase lookups, folded once
        self._own: dict[str, set[str]] = {d: self._own_words(m) for d, m in self.documents.items()}

    def _own_words(self, meta: DocMeta) -> set[str]:
        """The distinctive words of a document's organisation, aliases, title and file name."""
        texts = [meta.organisation or "", *tuple(meta.aliases or ()), meta.title, meta.doc_id.replace("-", " ")]
        words = {fold(w) for t in texts for w in re.findall(r"[^\W_]+", t) if len(w) >= 2 and not w.isdigit()}
        return {w for w in words if w not in self._common and w not in COUNTRIES and w not in _FORMS}

    @staticmethod
    def _names(meta: DocMeta) -> list[str]:
        return [n for n in (meta.organisation, *(meta.aliases or ())) if n]

    def _org_words(self, meta: DocMeta) -> set[str]:
        return {fold(w) for t in self._names(meta) for w in re.findall(r"[^\W_]+", t)}

    def organisations(self, doc_ids: Iterable[str] | None = None) -> list[str]:
        """The organisations of some documents (all by default), in order of first appearance."""
        ids = list(self.documents) if doc_ids is None else list(doc_ids)
        return list(dict.fromkeys(self.documents[d].organisation or self.documents[d].title for d in ids))

    def resolve(self, question: str) -> OrgScope:
        """The scope of one question (see the module docstring)."""
        scoped: set[str] | None = None
        used: list[str] = []
        own: list[set[str]] = []
        mentioned: list[set[str]] = []
        org_names: list[str] = []
        for name in question_names(question):
            found = self._docs_for(name)
            if found is None:
                continue  # common words written with a capital ("Scope", a month): not a name
            docs, is_own = found
            used.append(name.text)
            if not docs:
                return OrgScope(frozenset(), tuple(used), name.text)
            (own if is_own else mentioned).append(docs)
            if is_own:
                org_names.append(self._naming_part(name, docs))
        if own:
            scoped = set().union(*own)
        else:  # only places, projects or people: the documents that mention them all (or any)
            for docs in mentioned:
                scoped = docs if scoped is None else (scoped & docs or scoped | docs)
        for word in re.findall(r"[^\W\d_]+", question.lower()):
            country = COUNTRIES.get(word)
            if country is None:
                continue
            docs = {d for d, m in self.documents.items() if (m.country or "").upper() == country}
            if docs:
                used.append(word)
                org_names.append(word)
                scoped = docs if scoped is None else scoped & docs
                if not scoped:  # the organisation has no reports for that country
                    return OrgScope(frozenset(), tuple(used), " ".join(used))
        return OrgScope(None if scoped is None else frozenset(scoped), tuple(used), None, tuple(org_names))

    def _naming_part(self, name: Name, docs: Iterable[str]) -> str:
        """The words of a name that name the organisation: "Carlsen EBITDA" → "Carlsen" (the rest is asked about).

        A group word stays with the name ("Carlsen-koncernens"): it says which accounts, not what is asked; so do
        a lower-case hyphen tail ("Kvist-prosjektet"), which says what kind of thing the name is, and a tail that is
        the organisation's own word ("Kvistgaard-Møllens").
        """
        words = set().union(*(self._own[d] | self._org_words(self.documents[d]) for d in docs))
        kept: list[str] = []
        for token in name.text.split():
            head, _, tail = token.partition("-")
            w = fold(head.rstrip("'’"))
            if head.isdigit() and kept:  # "Blokk 7-prosjektet": the number and kind of a kept name
                kept.append(token)
            elif w in words or _POSSESSIVE.sub("", w) in words or w.startswith(_GROUPS):
                # "Kvist-prosjektet": the tail names its kind; "Kvist-Mølles": the tail is the name's own word
                t = fold(tail.rstrip("'’"))
                own_tail = any(t == x or (len(x) >= 4 and t.startswith(x) and len(t) - len(x) <= 3) for x in words)
                kept.append(token if tail[:1].islower() or own_tail else head)
            elif fold(token).startswith(_GROUPS):
                kept.append(token)
        return " ".join(kept) or name.text

    def _says(self, doc_id: str, name: Name) -> bool:
        """Whether a document writes the name's words as one phrase ("Aleris-Hamlet", "Aleris Hamlet")."""
        phrase = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in name.words))
        return any(phrase.search(text) for text in self._folded.get(doc_id, ()))

    def _known(self, word: str) -> str:
        """The word as the corpus knows it: "nordlys'" → "nordlys", "havbris" stays "havbris"."""
        if word in self._capitalised or word in self._common or any(word in w for w in self._own.values()):
            return word
        bare = _POSSESSIVE.sub("", word)
        if bare != word and (bare in self._capitalised or any(bare in w for w in self._own.values())):
            return bare
        return word

    def _docs_for(self, name: Name) -> tuple[set[str], bool] | None:
        """Documents a name points to, and whether it names their organisation; None when it is no name.

        No documents: a name the corpus lacks.
        """
        name = Name(name.text, tuple(self._known(w) for w in name.words))
        distinctive = [w for w in name.words if w not in self._common and w not in COUNTRIES and w not in _FORMS]
        if not distinctive:
            return None
        lead = name.words[0]
        # A name leads with its own word ("Vestjysk Sparekasse", "Østjysk Sparekasse"): when that word is not a
        # document's, the name is another organisation's, however many later words it shares. A common word may
        # lead ("Nedre Fjell"), a country adjective may not ("Danske Sparekasse", "Norske Kraft").
        leading = lead in COUNTRIES or lead not in self._common
        matched = {
            d: len(set(distinctive) & words) if not leading or lead in words else 0 for d, words in self._own.items()
        }
        best = max(matched.values(), default=0)
        if best:
            own = {d for d, n in matched.items() if n == best or n and len(name.words) > 1 and self._says(d, name)}
            # Organisations that share their distinctive word ("Nordlys Energi AS", "Nordlys Sjømat AS"): the one
            # whose name has every word the question writes is meant ("Nordlys Energi" names one of them).
            whole = {d for d in own if set(name.words) - _FORMS <= self._own[d] | self._org_words(self.documents[d])}
            # A legal name ("Nordlys Sjømat AS" beside "Nordlys Sjømat Holding AS", "Skovlund Logistik ApS" beside
            # "Skovlund Logistik A/S") names one legal entity: the one so named, when there is one. A name without
            # its legal form ("Nordlys") may be the brand of them all.
            legal = _spelt(name.text).endswith(_SPELT_FORMS)
            exact = {d for d in whole if legal and _spelt(name.text) in map(_spelt, self._names(self.documents[d]))}
            return exact or whole or own, True
        mentioned: set[str] = set()
        for word in distinctive:
            docs = set(self._capitalised.get(word, {}))
            mentioned = docs if not mentioned else mentioned & docs or mentioned | docs
        if len(name.words) > 1:
            mentioned = {d for d in mentioned if self._says(d, name)}
        # A name shaped like a document's organisation but with another distinctive word is another organisation.
        variants = set(name.words) | {_POSSESSIVE.sub("", w) for w in name.words}
        mentioned = {d for d in mentioned if not (variants & self._org_words(self.documents[d]) and leading)}
        if mentioned:
            return mentioned, False
        if all(w.isupper() for w in name.text.split()) and len(name.text) <= 6:
            return None  # an unknown acronym is more often a measure (ROIC, NIBD) than an organisation
        coded = any(ch.isdigit() for ch in name.text) or unit_kind(name.text) is not UnitKind.UNKNOWN
        if len(name.words) == 1 and coded:
            return None  # a code or a unit ("CO2e", "A1-A3", "MWh"), not a name
        return set(), False
