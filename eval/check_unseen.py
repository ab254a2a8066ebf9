"""Check `eval/unseen_questions.jsonl` against the real PDFs in `../shared/devdocs/`.

For every answerable question, each expected answer must occur (at least one of its `|` alternatives) in the
`pdftotext -layout` text of at least one of the question's listed `pages` (physical, 1-based). Text answers
are compared case-insensitively after collapsing whitespace (no-break spaces included); an answer that is one
number is compared as a number in the document's printed form, read in Nordic notation on both sides
(`1 567` = `1.567` = `1567`, `3,18`), with the sign ignored (a loss printed `-12 773 669` answers "a loss of
12 773 669") and every space-grouping reading of the page tried (pdftotext sometimes runs neighbouring table
columns together with a single space). The file format, the ids, the document ids, the page ranges and the
held-out list are validated too.

    python eval/check_unseen.py                    # check, print failures and a summary; exit 1 on failure
    python eval/check_unseen.py --suggest-pages    # also list other pages that print the same answer

Needs only python3 and poppler's `pdftotext`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_QUESTIONS = HERE / "unseen_questions.jsonl"
DEFAULT_HELDOUT = HERE / "unseen_heldout.txt"
DEFAULT_DOCS = HERE.parent.parent / "shared" / "devdocs"
KINDS = ("figure", "text", "trend", "unanswerable")
LANGS = ("da", "nb")
FIELDS = ("id", "question", "lang", "answers", "sources", "kind", "pages")

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_WHOLE_NUMBER = re.compile(r"[-\u2212+]?(?:\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:[.,]\d+)*)")
# Numbers on a page: no letter or digit right before (so CO2 is not 2), letters after are fine (110kWh, 32 000m2).
_SPACED_TOKEN = re.compile(r"(?<![\w.,])\d{1,3}(?: \d{3})+(?:,\d+)?(?!\d)|(?<![\w.,])\d+(?:[.,]\d+)*(?!\d)")
_PLAIN_TOKEN = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\d)")


def nordic_value(printed: str) -> float | None:
    """The absolute value of a printed number in Nordic notation (`1.567`, `1 567`, `3,18`), else None."""
    s = printed.strip().lstrip("-\u2212+").replace(" ", "")
    if not s or not s[0].isdigit():
        return None
    if "," in s:
        whole, _, frac = s.rpartition(",")
        if "," in whole or not frac.isdigit():
            return None
        if "." in whole and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", whole):
            return None
        return float(f"{whole.replace('.', '') or 0}.{frac}")
    if "." in s:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            return float(s.replace(".", ""))
        if re.fullmatch(r"\d+\.\d{1,2}", s):
            return float(s)
        return None
    return float(s) if s.isdigit() else None


def expected_number(alternative: str) -> float | None:
    """The value of an alternative that is one number as a whole (`"1.567"`, `"-12 773 669"`), else None."""
    text = _SPACES.sub(" ", alternative).strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    return nordic_value(text)


@cache
def page_text(pdf: Path, page: int) -> str:
    """`pdftotext -layout` output of one physical page (1-based)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@cache
def page_count(pdf: Path) -> int:
    """Number of pages in a PDF, via `pdfinfo`."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    if match is None:
        raise RuntimeError(f"pdfinfo gave no page count for {pdf}")
    return int(match.group(1))


@cache
def page_numbers(pdf: Path, page: int) -> frozenset[float]:
    """Absolute values of every number on a page, under both space-grouping readings, line by line."""
    values: set[float] = set()
    for raw_line in page_text(pdf, page).splitlines():
        line = re.sub(r"[\u00a0\u202f\u2009]", " ", raw_line)
        for pattern in (_SPACED_TOKEN, _PLAIN_TOKEN):
            for match in pattern.finditer(line):
                value = nordic_value(match.group(0))
                if value is not None:
                    values.add(value)
        # Columns separated by one space can also be read as one grouped number only inside a cell: try each
        # cell (runs separated by two or more spaces) on its own as well.
        for cell in re.split(r" {2,}", line):
            for match in _SPACED_TOKEN.finditer(cell.strip()):
                value = nordic_value(match.group(0))
                if value is not None:
                    values.add(value)
    return frozenset(values)


@cache
def page_flat(pdf: Path, page: int) -> str:
    """Page text with all whitespace collapsed to single spaces, case-folded."""
    return _SPACES.sub(" ", page_text(pdf, page)).casefold()


def alternative_on_page(alternative: str, pdf: Path, page: int) -> bool:
    """One alternative on one page: numbers as numbers, anything else as a case-insensitive substring."""
    value = expected_number(alternative)
    if value is not None:
        return any(abs(v - value) < 1e-9 for v in page_numbers(pdf, page))
    needle = _SPACES.sub(" ", alternative).strip().casefold()
    return bool(needle) and needle in page_flat(pdf, page)


def answer_on_page(expected: str, pdf: Path, page: int) -> bool:
    """An expected answer (alternatives split on `|`) on one page."""
    return any(alternative_on_page(alt, pdf, page) for alt in expected.split("|") if alt.strip())


def validate_row(row: object, where: str, docs: Path) -> list[str]:
    """Format problems of one line (empty list when the line is well-formed)."""
    if not isinstance(row, dict):
        return [f"{where}: not a JSON object"]
    problems: list[str] = []
    missing = [f for f in FIELDS if f not in row]
    unknown = sorted(set(row) - set(FIELDS))
    if missing or unknown:
        problems.append(f"{where}: missing {missing} unknown {unknown}")
        return problems
    if row["kind"] not in KINDS:
        problems.append(f"{where}: kind {row['kind']!r}")
    if row["lang"] not in LANGS:
        problems.append(f"{where}: lang {row['lang']!r}")
    if not all(isinstance(row[k], list) for k in ("answers", "sources", "pages")):
        problems.append(f"{where}: answers/sources/pages must be lists")
        return problems
    if row["kind"] == "unanswerable":
        if row["answers"] or row["sources"] or row["pages"]:
            problems.append(f"{where}: unanswerable needs empty answers, sources and pages")
        return problems
    if not row["answers"] or not row["sources"] or not row["pages"]:
        problems.append(f"{where}: answerable needs answers, sources and pages")
    for source in row["sources"]:
        pdf = docs / f"{source}.pdf"
        if not pdf.exists():
            problems.append(f"{where}: unknown source {source!r}")
            continue
        bad = [p for p in row["pages"] if not isinstance(p, int) or not 1 <= p <= page_count(pdf)]
        if bad:
            problems.append(f"{where}: pages {bad} outside 1..{page_count(pdf)}")
    return problems


def suggest_pages(row: dict[str, Any], docs: Path) -> list[int]:
    """Other pages of the source that print every expected answer (only for fairly distinctive answers)."""
    answers = [str(a) for a in row["answers"]]
    first_alts = [a.split("|")[0] for a in answers]
    distinctive = all(
        (v := expected_number(a)) is None and len(a) >= 5 or v is not None and len(re.sub(r"\D", "", a)) >= 3
        for a in first_alts
    )
    if not distinctive:
        return []
    pdf = docs / f"{row['sources'][0]}.pdf"
    listed = set(row["pages"])
    return [
        p
        for p in range(1, page_count(pdf) + 1)
        if p not in listed and all(answer_on_page(a, pdf, p) for a in first_alts)
    ]


def check_heldout(path: Path, docs: Path) -> list[str]:
    """The held-out list names existing documents (or unanswerable questions by `un-` id), one per line."""
    if not path.exists():
        return [f"{path} does not exist"]
    ids = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [
        f"{path}: unknown document {i!r}"
        for i in ids
        if i and not i.startswith("un-") and not (docs / f"{i}.pdf").exists()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--heldout", type=Path, default=DEFAULT_HELDOUT)
    parser.add_argument("--suggest-pages", action="store_true", help="list unlisted pages printing the answer")
    args = parser.parse_args(argv)

    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, line in enumerate(args.questions.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: invalid JSON ({exc.msg})")
            continue
        found = validate_row(row, where, args.docs)
        problems.extend(found)
        if isinstance(row, dict) and "id" in row:
            if row["id"] in seen:
                problems.append(f"{where}: duplicate id {row['id']!r}")
            seen.add(row["id"])
        if not found:
            rows.append(row)
    problems.extend(check_heldout(args.heldout, args.docs))

    verified = 0
    failures: list[str] = []
    for row in rows:
        if row["kind"] == "unanswerable":
            continue
        pdf = args.docs / f"{row['sources'][0]}.pdf"
        missing = [a for a in row["answers"] if not any(answer_on_page(a, pdf, p) for p in row["pages"])]
        if missing:
            failures.append(f"{row['id']}: {missing} not on pages {row['pages']} of {row['sources'][0]}")
        else:
            verified += 1
        if args.suggest_pages:
            extra = suggest_pages(row, args.docs)
            if extra:
                print(f"  suggest {row['id']} {row['answers']}: also on pages {extra}")

    for message in problems + failures:
        print(f"FAIL {message}")
    answerable = sum(1 for r in rows if r["kind"] != "unanswerable")
    by_kind = Counter(str(r["kind"]) for r in rows)
    by_doc = Counter(str(r["sources"][0]) if r["sources"] else "(none: unanswerable)" for r in rows)
    print(f"\n{len(rows)} questions; {answerable} answerable, {verified} verified on their listed pages")
    print("by kind:", ", ".join(f"{k} {by_kind[k]}" for k in KINDS))
    print("by document:")
    for doc, n in by_doc.most_common():
        print(f"  {doc:40s} {n}")
    print(f"format problems: {len(problems)}, answers not found: {len(failures)}")
    return 1 if problems or failures else 0


if __name__ == "__main__":
    sys.exit(main())
