"""The grounding check: every number in an answer must be stated in one of its cited quotes, or computed by code.

Numbers are compared as numbers in Nordic notation (`3,18` in an answer matches `3,18` or `3.18` nowhere
else), inside ratios (`38` is stated by `62/38`), and under both readings of space-separated digits
(`628 738 734` is three table cells, `30 000` one amount). Years count too: an answer that says "2025" must
cite a quote that says 2025. Citation markers like `[2]` are not numbers of the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from rag.text.numbers import find_numbers, numbers_in, values_of
from rag.types import Citation

_MARKER = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")


def _blank_markers(text: str) -> str:
    """Citation markers replaced by spaces of the same length, so offsets stay meaningful."""
    return _MARKER.sub(lambda m: " " * len(m.group(0)), text)


def _known(value: float, known: Iterable[float]) -> bool:
    return any(math.isclose(value, k, rel_tol=1e-9, abs_tol=1e-9) for k in known)


def ungrounded_numbers(answer_text: str, citations: Sequence[Citation], computed: Sequence[str] = ()) -> list[str]:
    """The numbers (as printed in the answer) that no cited quote states and code did not compute.

    An empty list means the answer is grounded. `computed` holds the printed results of arithmetic done by
    code over cited facts (differences, percentage changes); they are accepted as they are.
    """
    known: set[float] = set()
    for citation in citations:
        known |= numbers_in(citation.quote)
    for item in computed:
        known |= numbers_in(item)
    text = _blank_markers(answer_text)
    grouped = find_numbers(text, group_spaces=True)
    problems: list[str] = []
    for match in grouped:
        values = values_of(match)
        if match.kind in ("ratio", "date"):
            ok = all(_known(v, known) for v in match.parts)
        else:
            ok = any(_known(v, known) for v in values)
        if not ok:
            # "628 738" may be two cells of a row rather than one spaced number: accept if each cell is known.
            parts = find_numbers(match.text, group_spaces=False)
            ok = len(parts) > 1 and all(any(_known(v, known) for v in values_of(p)) for p in parts)
        if not ok:
            problems.append(match.text)
    return problems


def is_grounded(answer_text: str, citations: Sequence[Citation], computed: Sequence[str] = ()) -> bool:
    """True when `ungrounded_numbers` finds nothing."""
    return not ungrounded_numbers(answer_text, citations, computed)
