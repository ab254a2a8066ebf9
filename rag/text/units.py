"""Units of measure as reports print them and as questions ask for them: one vocabulary for every stage.

The table reader finds a unit printed in a cell or a header (`PRINTED_UNIT`); the question matcher asks what a
unit measures (`unit_kind`), what a ratio divides by (`ratio`) and what scale an amount is printed in (`scale`).
"""

from __future__ import annotations

import re
from enum import StrEnum

# A figure printed with its unit in the cell ("1 240 m3", "310 200 kg CO2e", "60 år", "5,2 kWh/m2").
# What a unit is divided by: an area, a volume, a year, a piece, or an amount of money ("MWh/mio. kr.", "tCO2e/£m").
_PER_UNIT = (
    r"(?:m2|m²|m3|m³|år|stk|year|(?:mio|mill|mn|mia|mrd)\.?\s?(?:kr|nok|dkk|sek|eur)\.?|[£€$]\s?m|"
    r"mnok|mdkk|msek|meur)"
)
# A physical unit may be printed in a scale ("million hl", "mio. m3").
_UNIT_SCALE = r"(?:(?:mio|mill|million|millioner|mia|mrd|bn|billion|tusen|tusind|thousand)\.?\s)"
PRINTED_UNIT = (
    rf"(?:{_UNIT_SCALE}?(?:kg|g|t|tonn|tonnes?|tons?|m2|m²|m3|m³|km|kwh|mwh|gwh|twh|gj|mj|l|hl|liter|litres?|liters)|"
    r"år|years?|stk|pcs|kr\.?|nok|dkk|sek|eur|mill\.?|mio\.?|mrd\.?|mia\.?)"
    rf"(?:\s?co2[-\s]?(?:e|ekv|eq)\.?)?(?:\s?/\s?{_PER_UNIT})*"
)

# An amount of money with the scale it is printed in ("mio. kr.", "tusind kr.", "t.kr.", "DKKm", "NOK million",
# "MNOK"): a table's corner cell or title that ends with one says every figure of the table is such an amount.
_CURRENCY = r"(?:kr|nok|dkk|sek|eur|usd)"
SCALED_MONEY = (
    rf"(?:(?:mio|mill|mia|mrd|mn|bn|tusind|tusen|t)\.?\s?{_CURRENCY}\.?|"
    rf"{_CURRENCY}\.?\s?(?:mio|mill|mia|mrd|mn|bn|m|k|millions?|millioner|thousands?|tusind|tusen)\.?|"
    r"[mt](?:nok|dkk|sek|eur))"
)
# A unit named in brackets after a row label or in a header ("Energiforbruk (MWh)", "Ulykker (antal)"): a printed
# unit, an amount of money in its scale ("(DKKm)"), a share, a count, hours, an index, or a rate per hours worked
# ("pr. mio. timer").
BRACKETED_UNIT = (
    rf"(?:{PRINTED_UNIT}|{SCALED_MONEY}|%|‰|antall?|tal|number|stk\.?|pcs\.?|headcount|indeks|index|timer|timar|hours|"
    r"(?:pr\.?|per)\s(?:mio\.?|mill\.?|million)\s(?:timer|arbeidstimer|hours|working hours))"
)

# A label that counts ("Antall årsverk", "Number of sites"): its figures are a count, whatever unit the table names.
COUNTED = re.compile(r"\b(?:antal|antall|talet på|tal på|number of|headcount)\b", re.IGNORECASE)

# What may stand before it: the start, a space, a bracket or a separator ("Beløp i mio. kr.", "(DKKm)", "Salg, MNOK").
_SCALED_MONEY_END = re.compile(rf"(?:^|(?<=[\s(,:;–—]))(?P<unit>{SCALED_MONEY})\)?$", re.IGNORECASE)


def scaled_money(text: str) -> str | None:
    """The scale and currency a text ends with ("Beløp i mio. kr." → "mio. kr.", "DKKm"); None when it names none.

    Kept whole, scale and currency: a figure printed beside "kr." alone would read a thousand or a million times
    too small, and the scale is what `scale` reads from the unit.
    """
    m = _SCALED_MONEY_END.search(text.strip())
    if m is None:
        return None
    unit = m.group("unit")
    return unit[0].lower() + unit[1:] if unit[1:2].islower() else unit  # "Mio. kr." → "mio. kr."; "DKKm" stays


# The unit printed right after a figure in running text ("96,795 m3", "12,4 mio. kr.", "41 per million hours").
_AFTER_FIGURE = re.compile(
    rf"^\s?(?P<unit>%|procent\b|prosent\b|per cent\b|{SCALED_MONEY}|{PRINTED_UNIT}|{BRACKETED_UNIT})(?![\w²³])",
    re.IGNORECASE,
)


def unit_after(text: str) -> str | None:
    """The unit a text starts with, as printed after a figure; "%" for a percent sign or word; None for none."""
    m = _AFTER_FIGURE.match(text)
    if m is None:
        return None
    unit = m.group("unit").strip()
    return "%" if unit.lower() in ("%", "procent", "prosent", "per cent") else unit


class UnitKind(StrEnum):
    """What a value measures, as far as a question or a row says it."""

    PERCENT = "percent"
    MONEY = "money"
    MASS = "mass"
    ENERGY = "energy"
    VOLUME = "volume"
    AREA = "area"
    UNKNOWN = "unknown"


_UNIT_PATTERNS: tuple[tuple[UnitKind, re.Pattern[str]], ...] = (
    (UnitKind.PERCENT, re.compile(r"%|\bpct\b|\bprocent\w*|\bprosent\w*|\bpercent\w*|\bandel\w*|\bshare\b", re.I)),
    (
        UnitKind.MONEY,
        re.compile(
            r"\b(t?kr|mio\.? ?kr|mia\.? ?kr|mdkk|mnok|dkk|nok|sek|eur|usd|gbp|kroner|krone|valuta|"
            r"mill?\.? ?kr|tusen kr|tusind kr|bn|m|(?:dkk|nok|sek|eur|usd)[mk]|t(?:dkk|nok)|m(?:sek|eur))\b\.?|"
            r"\bi kroner\b|[£$€]",
            re.I,
        ),
    ),
    # "kgCO2e", "tCO2e", "kg CO2-ekv": an amount of greenhouse gas, printed with its mass or glued to it
    (UnitKind.MASS, re.compile(r"\b(tons?|tonn|tonnes?|kg|kilo)\b|\b(?:kg|t)?\s?co2", re.I)),
    (UnitKind.ENERGY, re.compile(r"\b(kwh|mwh|gwh|twh|gj|tj|mj)\b", re.I)),
    (UnitKind.VOLUME, re.compile(r"\b(m3|m³|liter|litre|hl|kubikmeter)\b", re.I)),
    (UnitKind.AREA, re.compile(r"\b(m2|m²|kvadratmeter|km2)\b", re.I)),
)


# A unit that says only that the figure is a count ("antal", Nynorsk "tal", "number", "headcount"): no unit to print
# after it.
_COUNT_WORD = re.compile(r"^\(?\s*(?:antal|antall|tal|number|no\.|count|headcount)\s*\)?$", re.IGNORECASE)


def is_count_word(unit: str) -> bool:
    """Whether a unit only says "a number of" ("antal", "Number", "(headcount)")."""
    return bool(_COUNT_WORD.match(unit.strip()))


# The scale an amount is printed in ("mia. kr.", "mio. hl", "t.kr."): a question that names one is answered by the
# row printed in it, when several rows fit equally well.
_SCALES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bn", re.compile(r"\b(mia|mrd|mdr|milliard\w*|billion\w*|bn)\b", re.I)),
    # "DKKm", "NOK k": a currency with its scale after it
    ("m", re.compile(r"\b(mio|mill|million\w*|millioner|mn|mnok|mdkk|meur|msek|(?:dkk|nok|sek|eur|usd) ?m)\b", re.I)),
    ("k", re.compile(r"\b(t\.? ?kr|tkr|tdkk|tnok|teur|tusind\w*|tusen\w*|thousand\w*|(?:dkk|nok|sek|eur|usd) ?k)\b",
                     re.I)),
)

# "kg CO2e/m²", "kWh per m2", "tonn pr. årsverk": what follows the slash or "per" is what the value is divided by.
# The divisor may be printed in a scale ("MWh/mio. kr.", "per million hours") or as a currency sign ("tCO2e/£m").
_PER = re.compile(
    r"(?:/\s*|\b(?:per|pr)\b\.?\s*)(?P<by>(?:(?:mio|mill|mia|mrd|million|millioner|tusind|tusen|thousand)\.?\s)?"
    r"(?:m[23²³](?=[^\W\d_]|\b)|[^\W_][\w²³]*\.?)|[£$€]\s?[mk]?\b)",
    re.IGNORECASE,
)


def scale(text: str) -> str | None:
    """The scale a text prints amounts in: "bn", "m" or "k"; None when it names none."""
    return next((name for name, pattern in _SCALES if pattern.search(text)), None)


def unit_kind(text: str) -> UnitKind:
    """The first unit kind a text names; percent first, since "andel af omsætningen i kr." is still a share."""
    for kind, pattern in _UNIT_PATTERNS:
        if pattern.search(text):
            return kind
    return UnitKind.UNKNOWN


def unit_kinds(text: str) -> set[UnitKind]:
    """Every unit kind a text names: a table title "(mio. kr./%)" names two, and so decides no column's unit."""
    return {kind for kind, pattern in _UNIT_PATTERNS if pattern.search(text)}


def ratio(text: str) -> tuple[str, UnitKind]:
    """The text without the unit it divides by, and that unit's kind ("kg CO2e/m2" → "kg CO2e", area).

    The kind of a ratio is its numerator's: "kg CO2e/m2" is a mass per area, and a question "per m2" asks for a
    value per area, not for an area.
    """
    for m in _PER.finditer(text):
        kind = unit_kind(m.group("by"))
        if kind is not UnitKind.UNKNOWN:
            return text[: m.start()] + " " + text[m.end() :], kind
    return text, UnitKind.UNKNOWN


def divisors(text: str) -> list[str]:
    """What a text divides by, as written ("opplæringstimer per ansatt" → ["ansatt"], "kg CO2e/m2" → ["m2"])."""
    return [m.group("by").rstrip(".") for m in _PER.finditer(text)]


def without_units(text: str) -> str:
    """The text with every unit it names taken out: what is left says what a table title is about."""
    for _kind, pattern in _UNIT_PATTERNS:
        text = pattern.sub(" ", text)
    return text
