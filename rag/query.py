"""What a question asks for besides its words: language and the years it names (explicit or relative)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.errors import QuestionError
from rag.language import detect_language
from rag.types import Language

_YEAR = re.compile(r"(?<![\d.,])((?:19[89]|20[0-4])\d)(?![\d.,]?\d)")
_RANGE = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)\s*(?:-|–|—|til|to)\s*(19[89]\d|20[0-4]\d)(?!\d)")
# Relative years, counted back from the newest report in the corpus.
_RELATIVE: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(sidste år|sidste års|i fjor|ifjor|fjorårets|forrige år|last year)\b", re.I), -1),
    (re.compile(r"\b(året før det|i forfjor|forfjor|to år siden|for to år siden)\b", re.I), -2),
    (re.compile(r"\b(i år|dette år|årets|i dag|nu|nå|seneste|nyeste|siste|latest|current)\b", re.I), 0),
)


@dataclass(frozen=True)
class QueryInfo:
    """The parsed question: its language, the years it names, and whether it asks for a span of years."""

    text: str
    language: Language
    years: tuple[int, ...]
    year_range: tuple[int, int] | None = None
    relative: bool = False


def years_in(text: str) -> list[int]:
    """Years 1980–2049 written in a text, in order; not parts of larger numbers like 1.2025 or 20251."""
    return [int(y) for y in _YEAR.findall(text)]


def validate_question(question: str, max_chars: int) -> str:
    """A cleaned question, or `QuestionError` saying what to change."""
    cleaned = " ".join(question.split())
    if not cleaned:
        raise QuestionError("The question is empty; type a question, e.g. 'Hvad var eNPS i 2024?'.")
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"The question is {len(cleaned)} characters; shorten it to at most {max_chars} "
            "(ask about one figure or topic at a time)."
        )
    return cleaned


def parse_query(question: str, newest_year: int | None = None) -> QueryInfo:
    """Language and years of a question; relative years need the corpus' newest report year."""
    language = detect_language(question)
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
    )
