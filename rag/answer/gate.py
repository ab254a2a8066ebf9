"""The grounding gate: nothing a language model writes reaches the user unless its sources back it.

Every sentence of a model's answer is checked on its own:

- each `[n]` must name one of the numbered sources the model was given (else: `bad_citation`);
- a sentence must cite at least one source (else: `uncited`), except a plain "I don't know";
- every number in it must be stated in a cited source, in Nordic notation, or be a figure code computed
  from the cited facts (else: `ungrounded_number`, via `rag.answer.grounding.ungrounded_numbers`).

Failing sentences are removed. If what is left does not answer the question (nothing left, nothing cited,
the model gave up while the evidence has an answer, or the evidence answer states figures and the remainder
states none of them), the evidence-first answer is returned instead with a visible note. Numbers the model copied in
another notation (`4.2` for `4,2`) are re-printed as the source prints them. Each removed sentence and each
fallback counts as one intervention (`Answer.gate_interventions`), which the eval reports.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from rag.answer.grounding import ungrounded_numbers
from rag.answer.prompting import Computed
from rag.text.numbers import find_numbers, find_years, format_number
from rag.text.sentences import split_answer as split_sentences
from rag.types import Answer, Citation, Language

Reason = Literal["bad_citation", "uncited", "ungrounded_number"]

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_GAVE_UP = re.compile(
    r"kan (?:jeg )?ikke finde|ved det ikke|fremgår ikke|står ikke i kilderne|ikke oplyst|"
    r"finner (?:jeg )?ikke|vet ikke|kommer ikke fram|står ikke i kildene|ikke oppgitt|"
    r"do(?:es)? not know|don't know|cannot find|not in the sources",
    re.IGNORECASE,
)
NOTES: dict[Language, dict[str, str]] = {
    "da": {
        "fallback": "Bemærk: Sprogmodellens svar kunne ikke verificeres mod kilderne, så her er svaret direkte fra "
        "kilderne.",
        "removed": "(Sætninger uden belæg i kilderne er fjernet.)",
    },
    "nb": {
        "fallback": "Merk: Språkmodellens svar kunne ikke kontrolleres mot kildene, så her er svaret direkte fra "
        "kildene.",
        "removed": "(Setninger uten belegg i kildene er fjernet.)",
    },
}


@dataclass(frozen=True)
class Removal:
    """A sentence the gate took out, and why (`detail`: the bad marker or the unsupported numbers)."""

    sentence: str
    reason: Reason
    detail: str = ""


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict on one model answer."""

    kept: tuple[str, ...]
    removed: tuple[Removal, ...]
    cited: tuple[int, ...]
    gave_up: bool

    @property
    def text(self) -> str:
        return " ".join(self.kept)

    def answers(self, expected: Collection[float] = ()) -> bool:
        """Whether the remainder can stand as the answer (see the module docstring)."""
        if self.gave_up or not self.kept or not self.cited:
            return False
        if expected:
            return any(states_expected(s, expected) for s in self.kept)
        return True


def figures_of(text: str) -> frozenset[float]:
    """The values of the numbers a text states, years and citation markers aside."""
    body = MARKER.sub(" ", text)
    years = set(find_years(body))
    return frozenset(
        m.value for m in find_numbers(body) if m.value is not None and not (m.value in years and m.kind == "number")
    )


def states_expected(sentence: str, expected: Collection[float]) -> bool:
    """Whether a sentence states one of the figures the evidence answer gives (in any notation)."""
    return any(math.isclose(v, e, rel_tol=1e-9, abs_tol=1e-9) for v in figures_of(sentence) for e in expected)


def citation_numbers(sentence: str) -> list[int]:
    """Source numbers a sentence cites, in order (`[1]`, `[1, 3]`, `[2][4]`)."""
    return [int(n) for m in MARKER.finditer(sentence) for n in re.split(r"\s*[,;]\s*", m.group(1))]


def _allowed_computed(refs: Sequence[int], computed: Sequence[Computed]) -> list[str]:
    """Printed computed figures whose sources the sentence cites; also their magnitude ("fald på 0,3")."""
    out: list[str] = []
    for c in computed:
        if set(c.sources) <= set(refs):
            out += [c.text, format_number(abs(c.value))]
    return out


def check_sentence(sentence: str, sources: Sequence[Citation], computed: Sequence[Computed] = ()) -> Removal | None:
    """Why a sentence must go, or None if it passes the gate."""
    refs = citation_numbers(sentence)
    bad = [n for n in refs if not 1 <= n <= len(sources)]
    if bad:
        return Removal(sentence, "bad_citation", ", ".join(f"[{n}]" for n in bad))
    if not refs:
        return None if _GAVE_UP.search(sentence) else Removal(sentence, "uncited")
    cited = [sources[n - 1] for n in dict.fromkeys(refs)]
    unsupported = ungrounded_numbers(sentence, cited, _allowed_computed(refs, computed))
    if unsupported:
        return Removal(sentence, "ungrounded_number", ", ".join(unsupported))
    return None


def canonicalize_figures(sentence: str, cited: Sequence[Citation]) -> str:
    """Numbers re-printed exactly as the cited source prints them (`4.2 %` → `4,2 %`), by code."""
    printed: dict[float, str] = {}
    for citation in cited:
        for match in find_numbers(citation.quote):
            if match.raw is not None and match.kind in ("number", "percent"):
                digits = re.match(r"[-−+]?[\d.,\s\u00a0]*\d", match.text)
                if digits:
                    printed.setdefault(match.raw, digits.group(0))
    out, pos = [], 0
    for match in find_numbers(sentence):
        if match.kind not in ("number", "percent") or match.raw is None:
            continue
        digits = re.match(r"[-−+]?[\d.,\s\u00a0]*\d", match.text)
        if digits is None:
            continue
        source_form = printed.get(match.raw)
        if source_form is not None and source_form != digits.group(0) and match.raw not in find_years(sentence):
            out.append(sentence[pos : match.start] + source_form)
            pos = match.start + len(digits.group(0))
    return "".join(out) + sentence[pos:]


def gate(text: str, sources: Sequence[Citation], computed: Sequence[Computed] = ()) -> GateResult:
    """Check a model answer sentence by sentence against its numbered sources."""
    kept: list[str] = []
    removed: list[Removal] = []
    cited: list[int] = []
    gave_up = False
    for sentence in split_sentences(text):
        if not any(ch.isalnum() for ch in MARKER.sub("", sentence)):
            continue  # a stray marker or punctuation says nothing
        problem = check_sentence(sentence, sources, computed)
        if problem is not None:
            removed.append(problem)
            continue
        refs = citation_numbers(sentence)
        if not refs:
            gave_up = True
            continue
        kept.append(canonicalize_figures(sentence, [sources[n - 1] for n in refs]))
        cited += [n for n in refs if n not in cited]
    return GateResult(tuple(kept), tuple(removed), tuple(cited), gave_up and not kept)


def renumber(text: str, sources: Sequence[Citation], order: Sequence[int]) -> tuple[str, tuple[Citation, ...]]:
    """Markers and citations renumbered 1..m in order of first use, so the reader sees [1], [2], … only."""
    new = {old: i for i, old in enumerate(order, start=1)}

    def swap(match: re.Match[str]) -> str:
        numbers = [new[int(n)] for n in re.split(r"\s*[,;]\s*", match.group(1))]
        return "[" + ", ".join(str(n) for n in dict.fromkeys(numbers)) + "]"

    citations = tuple(
        Citation(n=new[old], doc_id=s.doc_id, title=s.title, page=s.page, section=s.section, quote=s.quote)
        for old in order
        for s in [sources[old - 1]]
    )
    return MARKER.sub(swap, text), citations


def expected_figures(evidence: Answer) -> frozenset[float]:
    """The figures of the evidence-first answer: a model answer must state one of them to stand.

    Stating *a* figure is not enough: a small model may quote a grounded but different number from its sources
    (a computed change, another year's value) instead of the one asked for.
    """
    return frozenset() if evidence.abstained else figures_of(evidence.answer)


def finalize(model_text: str, sources: Sequence[Citation], computed: Sequence[Computed], evidence: Answer) -> Answer:
    """The answer a user sees: the gated model answer, or the evidence-first answer with a visible note.

    `evidence` is the evidence-first answer to the same question; it is also returned as it is when both the
    model and the evidence say the reports do not hold the answer.
    """
    result = gate(model_text, sources, computed)
    notes = NOTES[evidence.language]
    if result.answers(expected_figures(evidence)):
        text, citations = renumber(result.text, sources, result.cited)
        if result.removed:
            text = f"{text} {notes['removed']}"
        allowed = _allowed_computed(result.cited, computed)
        return replace(
            evidence,
            answer=text,
            abstained=False,
            citations=citations,
            computed=tuple(dict.fromkeys(allowed)),
            gate_interventions=len(result.removed),
        )
    if evidence.abstained:
        # Nothing usable from the model and nothing in the evidence: the plain abstention, no note needed.
        return replace(evidence, gate_interventions=len(result.removed))  # with what the reports do hold, if said
    return replace(
        evidence, answer=f"{notes['fallback']}\n{evidence.answer}", gate_interventions=len(result.removed) + 1
    )


def fell_back(answer: Answer) -> bool:
    """Whether `finalize` gave the evidence-first answer instead of the model's (it then leads with the note)."""
    return answer.answer.startswith(NOTES[answer.language]["fallback"])
