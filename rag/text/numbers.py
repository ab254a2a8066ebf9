"""Danish/Norwegian number notation: one parser and printer for facts, answers, the grounding check and eval.

The reports write `1.567` for 1567 (a dot before exactly three digits groups thousands), `3,18` for 3.18,
`30 000` (also with no-break spaces) for 30000, `−12` with a real minus, `–`/`—` for "no value", and
decorate figures with `<`, `>`, `%`, `pct.`, `procent`, `mio.` and m/k ratios such as `62/38`. Everything that
compares or prints numbers goes through this module so that "3,18" in a report and "3,18" in an answer are
always the same number, and "2025" is a year, never 2.025.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

NumberKind = Literal["number", "percent", "ratio", "date"]

# Characters that may group thousands: space, no-break space, narrow no-break space, thin space.
_GROUP_SPACES = " \u00a0\u202f\u2009"
_MINUS = "-\u2212"
NO_VALUE = frozenset({"–", "—", "-", "−", "‒", "n/a", "N/A", "÷"})

_DIGITS = r"\d+(?:[.,]\d+)*"
# A number token: optional sign, digits with `.`/`,` inside, optionally space-grouped thousands.
_SPACED = r"\d{1,3}(?:[" + _GROUP_SPACES + r"]\d{3})+(?:,\d+)?(?![.,]?\d)"
_TOKEN = re.compile(r"(?P<sign>[" + _MINUS + r"+])?(?P<num>" + _SPACED + "|" + _DIGITS + r")")
_TOKEN_NO_SPACES = re.compile(r"(?P<sign>[" + _MINUS + r"+])?(?P<num>" + _DIGITS + r")")
_DATE = re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?![\d])")
_MONTHS = (
    "januar|january|februar|february|marts|mars|march|april|maj|mai|may|juni|june|juli|july|august|september|"
    "oktober|october|november|december|desember"
)
_MONTH_NAMES = (
    "januar january", "februar february", "marts mars march", "april", "maj mai may", "juni june", "juli july",
    "august", "september", "oktober october", "november", "december desember",
)
_MONTH_NUMBER = {m: i for i, names in enumerate(_MONTH_NAMES, start=1) for m in names.split()}
# The month names as each language writes them, January first.
_MONTH_WRITTEN = {
    "da": "januar februar marts april maj juni juli august september oktober november december".split(),
    "nb": "januar februar mars april mai juni juli august september oktober november desember".split(),
    "en": "January February March April May June July August September October November December".split(),
}
_DAY_AND_MONTH = re.compile(rf"(?<![\d.,])(?:(\d{{1,2}})\.?\s)?({_MONTHS})(?!\w)", re.IGNORECASE)
# "31. december 2018", "16. januar", "16 January 2025": a day and a month name, not a figure.
_NAMED_DATE = re.compile(
    rf"(?<![\d.,])(\d{{1,2}})(?:\.\s?|\s(?=(?:{_MONTHS})\s(?:19|20)\d\d))({_MONTHS})(?:\s((?:19|20)\d\d))?(?!\w)",
    re.IGNORECASE,
)
_RATIO = re.compile(r"^\s*(\d+(?:,\d+)?)\s*/\s*(\d+(?:,\d+)?)")
_PERCENT_AFTER = re.compile(
    r"^\s?(%|pct\b\.?|procent(?!point)\w*|prosent(?!poeng)\w*|procentpoint\w*|prosentpoeng\w*|per ?cent\b"
    r"(?! ?age)|percentage points?\b)",
    re.I,
)
_MULTIPLIER_AFTER = re.compile(r"^\s?(mia\b\.?|mrd\b\.?|milliard\w*|mio\b\.?|mill\b\.?|million\w*)", re.I)
# A scale glued to the figure, as English reports print money ("DKK 3.4bn", "EUR 450m", "USD 12k"): "bn" and "mn"
# are always a scale; "m" and "k" only after a currency ("3m" alone may be metres).
_SCALE_GLUED = re.compile(r"(bn|mn|m|k)(?![^\W\d_])", re.I)
_CURRENCY_BEFORE = re.compile(r"(?:\b(?:dkk|nok|sek|eur|usd|gbp|chf)|[£€$])\s?$", re.I)
_COMPARATOR_BEFORE = re.compile(r"([<>≤≥]|under|over|mindst|min\.|højst|maks\.?|max\.?)\s?$", re.I)
_YEAR = re.compile(r"(?<![\d.,])(?:19[5-9]\d|20[0-9]\d)(?![\d]|[.,]\d)")


def written_date(text: str, language: str) -> str:
    """A date as the answer's language writes it ("16 January 2025" → "16. januar 2025").

    An answer paraphrases its quote in the question's language; the quote keeps the source's own words.
    """

    def one(match: re.Match[str]) -> str:
        month = _MONTH_WRITTEN[language][_MONTH_NUMBER[match.group(2).lower()] - 1]
        day = match.group(1)
        if day is None:
            return month
        return f"{day} {month}" if language == "en" else f"{day}. {month}"

    return _DAY_AND_MONTH.sub(one, text)


def starts_with_day(text: str) -> bool:
    """The date names its day ("16 January 2025", "1. september"), which Danish and Norwegian date with "den"."""
    match = _DAY_AND_MONTH.match(text)
    return bool(match and match.group(1))


@dataclass(frozen=True)
class NumberMatch:
    """One number found in text: where it is, how it was printed and what it means.

    `parts` holds every number the printed form states (both sides of `62/38`, day/month/year of a date),
    so a check like "is 38 in this quote" can look inside ratios. `value` is the scaled value (`2,5 mio.`
    → 2 500 000), `raw` the printed digits (2.5).
    """

    value: float | None
    raw: float | None
    start: int
    end: int
    text: str
    kind: NumberKind = "number"
    comparator: str | None = None
    parts: tuple[float, ...] = ()


def _digits_value(digits: str) -> float | None:
    """The value of an unsigned digit string in Nordic notation, or None if it is not a plain number."""
    s = digits
    for ch in _GROUP_SPACES:
        s = s.replace(ch, "")
    if "," in s:
        whole, _, frac = s.rpartition(",")
        if "," in whole or not frac.isdigit():
            return None  # "1,2,3" is a list, not a number
        if "." in whole and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", whole):
            return None
        whole = whole.replace(".", "")
        return float(f"{whole or 0}.{frac}")
    if "." in s:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            return float(s.replace(".", ""))  # Danish thousands: 1.567 = 1567, 350.000 = 350000
        if re.fullmatch(r"\d+\.\d{1,2}", s):
            return float(s)  # an English decimal such as 1.5 (never three digits after the dot)
        return None  # section numbers (2.3.2) and other dotted codes
    return float(s) if s.isdigit() else None


def _is_word_char(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _scan(text: str, group_spaces: bool) -> list[NumberMatch]:
    pattern = _TOKEN if group_spaces else _TOKEN_NO_SPACES
    out: list[NumberMatch] = []
    dates = sorted(
        [(m.start(), m.end(), m) for m in _DATE.finditer(text)]
        + [(m.start(), m.end(), m) for m in _NAMED_DATE.finditer(text)],
        key=lambda d: d[0],
    )
    pos = 0
    while pos < len(text):
        date = next((d for d in dates if d[0] >= pos), None)
        m = pattern.search(text, pos)
        if m is None:
            break
        if date is not None and date[0] <= m.start() < date[1]:
            d = date[2]
            month = d.group(2)
            day_month = (float(d.group(1)), float(_MONTH_NUMBER.get(month.lower(), 0) or month))
            parts = (*day_month, float(d.group(3))) if d.group(3) else day_month
            out.append(NumberMatch(None, None, d.start(), d.end(), d.group(0), "date", None, parts))
            pos = d.end()
            continue
        match = _number_at(text, m)
        if match is not None:
            out.append(match)
        pos = max(m.end(), match.end if match is not None else 0)
    return out


def _scale_factor(word: str) -> float:
    """What a scale word multiplies by, written out or glued ("mia.", "milliarder", "bn" → 10⁹; "k" → 10³)."""
    word = word.lower()
    if word.startswith(("mia", "mrd", "milliard", "bn")):
        return 1e9
    return 1e3 if word == "k" else 1e6


def _number_at(text: str, m: re.Match[str]) -> NumberMatch | None:
    start, end = m.start(), m.end()
    sign, digits = m.group("sign"), m.group("num")
    if sign:
        before = text[start - 1] if start > 0 else " "
        # A hyphen between two numbers or after a word is a dash ("0-100", "SL-360"), not a minus.
        if before.isalnum() or before in ")]":
            sign, start = None, start + 1
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    glued = _SCALE_GLUED.match(text, end) if not _is_word_char(before) else None
    if glued is not None and (
        glued.group(1).lower() in ("bn", "mn") or _CURRENCY_BEFORE.search(text[max(0, start - 5) : start])
    ):
        raw = _digits_value(digits)
        if raw is None:
            return None
        raw = -raw if sign and sign in _MINUS else raw
        value = raw * _scale_factor(glued.group(1))
        return NumberMatch(value, raw, start, glued.end(), text[start : glued.end()], "number", None, (raw,))
    if _is_word_char(before) or _is_word_char(after):
        return None  # CO2, m3, 4Cancer, 3D: digits glued to letters are part of a name
    raw = _digits_value(digits)
    if raw is None:
        return None
    if sign and sign in _MINUS:
        raw = -raw
    rest = text[end:]
    ratio = _RATIO.match(text[start:].lstrip(_MINUS + "+")) if "/" in rest[:3] else None
    if ratio is not None and not sign:
        a, b = (float(x.replace(",", ".")) for x in ratio.groups())
        rend = start + ratio.end()
        return NumberMatch(a, a, start, rend, text[start:rend], "ratio", None, (a, b))
    kind: NumberKind = "number"
    value = raw
    percent = _PERCENT_AFTER.match(rest)
    if percent is not None:
        kind = "percent"
        end += percent.end()
    else:
        mult = _MULTIPLIER_AFTER.match(rest)
        if mult is not None:
            value = raw * _scale_factor(mult.group(1))
            end += mult.end()
    comp = _COMPARATOR_BEFORE.search(text[max(0, start - 8) : start])
    comparator = comp.group(1) if comp else None
    return NumberMatch(value, raw, start, end, text[start:end], kind, comparator, (raw,))


# The words that say a number is a page ("side 95", "s. 12", "page 4", "sidan 3") or a note: where, not how much.
_PAGE = r"(?:\b(?:side|sider|sidetal|sidan|sida|page|pages)\b|\b(?:s|p|pp)\.)"
# ... or a part of the report it points to ("afsnit 4", "jf. note 12", "see section 3", "tabell 2"): where, again.
_PART = (r"\b(?:note|noter|notes|afsnit|avsnitt|avsnit|kapitel|kapittel|chapter|section|sektion|figur|figure|fig\."
         r"|tabel|tabell|table|bilag|vedlegg|appendix)")
_REFERENCE_WORD = re.compile(rf"(?:{_PAGE}|{_PART})\s*:?\s*$", re.IGNORECASE)
_REFERENCE_HEADER = re.compile(rf"{_PAGE}|\b(?:note|noter|notes|nr)\b\.?", re.IGNORECASE)


def is_reference_header(header: str) -> bool:
    """Whether a column header says its numbers are pages or notes ("Note | Side" of a contents page)."""
    return bool(_REFERENCE_HEADER.fullmatch(header.strip()))


def is_reference(text: str, number: NumberMatch) -> bool:
    """Whether a number in `text` points to a page or a part of the report, not a figure.

    "…kundegrupper, side: 95", "(afsnit 29)", "jf. note 7".
    """
    return bool(_REFERENCE_WORD.search(text[max(0, number.start - 12) : number.start]))


# A share right after "by"/"med" is how much something changed ("faldt med 3 procent"), not what it is.
_BY = re.compile(r"\b(?:by|med|with)\s*$", re.IGNORECASE)


def is_change(text: str, number: NumberMatch) -> bool:
    """Whether a percentage in `text` says by how much something changed, not the level it is at.

    "reduced energy use by 16 per cent", "øgede andelen med 3 procent".
    """
    return number.kind == "percent" and bool(_BY.search(text, 0, number.start))


def find_numbers(text: str, group_spaces: bool = True) -> list[NumberMatch]:
    """Every number in `text`, left to right, in Nordic notation.

    `group_spaces=False` reads `628 738 734` as three numbers (space-separated table rows) instead of one
    space-grouped number; `text_contains_number` and the grounding check try both readings.
    """
    return _scan(text, group_spaces)


def parse_number(text: str) -> float | None:
    """The value of a printed figure (`1.567`, `3,18 %`, `<2,5`, `−12`, `40% (2)`, `62/38` → 62), None for `–`."""
    s = text.strip()
    if not s or s in NO_VALUE or all(ch in "–—-−‒ " for ch in s):
        return None
    matches = find_numbers(s)
    if not matches:
        return None
    first = matches[0]
    return first.value


def parse_ratio(text: str) -> tuple[float, float] | None:
    """Both sides of an m/k ratio such as `62/38`, or None when `text` is not a ratio."""
    m = _RATIO.match(text)
    if not m:
        return None
    a, b = (float(x.replace(",", ".")) for x in m.groups())
    return a, b


def is_no_value(text: str) -> bool:
    """True for the dashes and markers reports print where a figure is missing."""
    s = text.strip()
    return not s or s in NO_VALUE or all(ch in "–—-−‒ " for ch in s)


def decimals_of(text: str) -> int:
    """How many decimals a printed figure shows (`3,18` → 2, `1.567` → 0); used to print results alike."""
    m = re.search(r",(\d+)", text)
    if m:
        return len(m.group(1))
    m = re.search(r"(?<!\d)\d+\.(\d{1,2})(?!\d)", text)
    return len(m.group(1)) if m else 0


def format_number(value: float, decimals: int | None = None, group: bool = True, separator: str = ".") -> str:
    """Print a number the way the reports do: `1.567`, `3,18`, `-12`, `0,5`.

    `decimals=None` prints integers without decimals and other values with up to two (trailing zeros cut).
    Years are not quantities: print them with `str(year)` (or `group=False`), never as `2.025`. `separator`
    groups thousands: "." (Danish) or " " (Norwegian reports: `6 283 771`).
    """
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"cannot print {value!r} as a figure")
    if decimals is None:
        rounded = round(value, 2)
        decimals = 0 if rounded == int(rounded) else (1 if round(value, 1) == rounded else 2)
    s = f"{abs(value):.{decimals}f}"
    whole, _, frac = s.partition(".")
    if group and len(whole) > 3:
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        whole = separator.join(groups)
    out = whole + ("," + frac if frac else "")
    negative = value < 0 and any(ch not in "0.," for ch in out)
    return ("-" if negative else "") + out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def values_of(match: NumberMatch) -> set[float]:
    """Every value a match can stand for: scaled, as printed, and each part of a ratio or date."""
    out = {p for p in match.parts}
    if match.value is not None:
        out.add(match.value)
    if match.raw is not None:
        out.add(match.raw)
    return out


def same_number(a: str, b: str) -> bool:
    """True when two printed figures state the same number (`3,18 %` = `3,18`, `1.567` = `1567`, `62/38`)."""
    ma, mb = find_numbers(a), find_numbers(b)
    if is_no_value(a) or is_no_value(b):
        return is_no_value(a) and is_no_value(b)
    if not ma or not mb:
        return False
    pa, pb = ma[0].parts or (ma[0].raw or 0.0,), mb[0].parts or (mb[0].raw or 0.0,)
    if len(pa) != len(pb):
        return False
    if all(_close(x, y) for x, y in zip(pa, pb, strict=True)):
        return True
    va, vb = ma[0].value, mb[0].value
    return va is not None and vb is not None and _close(va, vb)


def text_contains_number(text: str, value: float) -> bool:
    """True when `text` states `value` as a number (Nordic notation; inside ratios; either space reading)."""
    for group in (True, False):
        for match in find_numbers(text, group_spaces=group):
            if any(_close(v, value) for v in values_of(match)):
                return True
    return False


def numbers_in(text: str) -> set[float]:
    """All values `text` states under either reading of space-separated digits."""
    out: set[float] = set()
    for group in (True, False):
        for match in find_numbers(text, group_spaces=group):
            out |= values_of(match)
    return out


def find_years(text: str) -> list[int]:
    """Four-digit years (1950–2099) written as plain digits, in order."""
    return [int(m.group(0)) for m in _YEAR.finditer(text)]


_EN_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}\.\d{1,2}(?![\d.,])")
_NORDIC_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d.,])")
_EN_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d{1,2}(?![\d])")


def english_notation(text: str, english_text: bool = False) -> bool:
    """Whether a document writes numbers the English way ("1,300.5", "24.7"), decided from its own numbers.

    Decimals with one or two digits are the tell: "24.7" is English, "24,7" is Danish or Norwegian; an
    English thousands separator before a decimal point ("75,011.2") counts too. Dates and section numbers
    ("3.1.2") do not match. A short text says little either way: one written in English (`english_text`) is then
    taken to write numbers the English way unless its decimals are mostly Nordic.
    """
    english = len(_EN_DECIMAL.findall(text)) + 3 * len(_EN_THOUSANDS.findall(text))
    nordic = len(_NORDIC_DECIMAL.findall(text))
    if english >= 5 or nordic >= 5:
        return english >= 5 and english > 2 * nordic
    return english_text and english >= nordic


_SWAP = str.maketrans(",.", ".,")


def to_nordic(text: str) -> str:
    """An English-notation number written the Nordic way ("75,011" → "75.011", "24.7" → "24,7")."""
    return text.translate(_SWAP)


# A number as English notation prints it: thousands grouped by commas ("96,795", "1,300.5") or a decimal point
# ("7.2"); not a date or a section number ("3.1.2").
_ENGLISH_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?!\w|[.,]\d)")


def english_to_nordic(text: str) -> tuple[str, list[str]]:
    """Every English-notation number of a text written the Nordic way, and the numbers so written.

    For a text of our own taken from an English report: "96,795" is 96795 there but reads as 96,795 to a Danish
    reader. The re-printed numbers are returned so that the grounding check can count them as computed by code.
    """
    printed: list[str] = []

    def one(match: re.Match[str]) -> str:
        printed.append(to_nordic(match.group(0)))
        return printed[-1]

    return _ENGLISH_NUMBER.sub(one, text), printed
