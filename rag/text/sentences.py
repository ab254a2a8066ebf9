"""The one sentence splitter: report passages and model answers are cut into sentences by the same rule.

A sentence ends at `.`, `!` or `?` before a capital, a digit or an opening quote/bracket, but not after an
abbreviation ("ca. 300", "bl.a. Nordlys"); list items and blank-line breaks end one too. A blank line inside a
sentence (a page or column break in a PDF) does not.
"""

from __future__ import annotations

import re

# Abbreviations that end in a full stop but not a sentence ("med i dag ca. 300 studerende", "bl.a. Nordlys").
ABBREVIATIONS = (
    "ca bl.a fx f.eks jf nr kr mio mia pct evt dvs ift osv inkl ekskl mv vedr dr st adm Adm min maks gns ang pga mht "
    "vha iht pr iflg mill mrd tkr pkt"
).split()
# Also capitalised, as they open a sentence or a form's answer ("Ca. 20-30 tonn", "Inkl. moms").
_NOT_AFTER = "".join(rf"(?<!\b{re.escape(w)}\.)" for a in ABBREVIATIONS for w in dict.fromkeys((a, a.capitalize())))
_FULL_STOP = rf"(?<=[.!?]){_NOT_AFTER}\s+(?=[\"”“«(\[]?[A-ZÆØÅ0-9])"
_BOUNDARY = re.compile(rf"{_FULL_STOP}|\n(?=\s*[-•●▪]\s)|\n{{2,}}")
_IN_LINE = re.compile(_FULL_STOP)
# A line ending in one of these words goes on ("uddannet 210 sygeplejersker og" / "45 kirurgisk uddannede …").
_OPEN_WORD = re.compile(
    r"\s(og|eller|samt|men|af|av|i|til|for|med|på|som|at|å|der|den|det|de|en|et|ei|om|fra|ved|hos|efter|etter)$"
)
_BULLET = re.compile(r"^\s*(?:[-*•●▪]|\d+[.)])\s+")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")


def raw_sentences(text: str) -> list[str]:
    """Sentences with their line breaks, so a one-line heading can be told from a multi-line block.

    A blank line after a line that ends mid-sentence (long, or on "og"/"i"/…, or before a lower-case word) is a
    page or column break in the PDF, not a new paragraph («Health and» / «Safety» og «Social»), so the two parts
    stay one sentence. Fragments under 12 characters or 6 letters are dropped.
    """
    parts: list[str] = []
    for part in (p.strip() for p in _BOUNDARY.split(text)):
        if not part:
            continue
        last_line = parts[-1].rsplit("\n", 1)[-1].rstrip() if parts else ""
        open_end = not last_line.endswith((".", "!", "?", ":", ";"))
        mid_sentence = open_end and (len(last_line) >= 60 or bool(_OPEN_WORD.search(last_line)) or part[0].islower())
        if parts and mid_sentence and part[0] not in "-•●▪":
            parts[-1] = f"{parts[-1]}\n{part}"
        else:
            parts.append(part)
    return [p for p in parts if len(p) >= 12 and sum(c.isalpha() for c in p) >= 6]


def split_sentences(text: str) -> list[str]:
    """Sentences (and list items/table lines) of a passage, whitespace collapsed for quoting."""
    return [" ".join(raw.split()) for raw in raw_sentences(text)]


def next_sentence(text: str, sentence: str) -> str | None:
    """The sentence that follows `sentence` in a passage (whitespace collapsed), if any."""
    sentences = split_sentences(text)
    for i, candidate in enumerate(sentences[:-1]):
        if candidate == sentence or sentence.endswith(candidate):
            return sentences[i + 1]
    return None


def split_answer(text: str) -> list[str]:
    """Sentences and list items of a written answer; a citation marker after the full stop stays with its sentence.

    Used on a language model's answer, where every line is its own unit and bullets are dropped.
    """
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        for part in _IN_LINE.split(line):
            part = part.strip()
            lead = _LEADING_MARKERS.match(part)
            if lead and out:
                out[-1] = out[-1] + " " + lead.group(0).strip()
                part = part[lead.end() :].strip()
            if part:
                out.append(part)
    return out
