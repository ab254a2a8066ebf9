"""The one test of whether a line is a heading.

Used by the chunker (sections) and the table reader (what part of the report a table stands under).
"""

from __future__ import annotations

import re

_NUMBERED_HEADING = re.compile(r"^\d+(\.\d+)*\.?\s+\S")
_BULLET = re.compile(r"^\s*[-•●▪*]")


def looks_like_heading(line: str) -> bool:
    """A short single line without sentence punctuation that starts a section."""
    line = line.strip().lstrip("#>›»").strip()  # "# Titel", "> Titel": markers a heading may be printed with
    if not line or "\n" in line or "\t" in line or len(line) > 90 or _BULLET.match(line):
        return False
    if _NUMBERED_HEADING.match(line):
        return any(c.isalpha() for c in line)
    letters = sum(c.isalpha() for c in line)
    digits = sum(c.isdigit() for c in line)
    numbers = len(re.findall(r"\d+(?:[.,]\d+)?", line))
    if letters < 4 or digits > letters / 3 or numbers > 2 or line.endswith((".", ",", ";", "-")):
        return False
    return line.count(" ") <= 11 and (line[0].isupper() or line[0].isdigit())
