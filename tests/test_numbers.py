"""Nordic number notation: parse, find, print, compare."""

import pytest

from rag.text.numbers import (
    find_numbers,
    find_years,
    format_number,
    is_no_value,
    parse_number,
    parse_ratio,
    same_number,
    text_contains_number,
)
from rag.text.synonyms import sub_year


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.567", 1567.0),
        ("350.000", 350000.0),
        ("3,18", 3.18),
        ("0,80", 0.8),
        ("30 000", 30000.0),
        ("30\u00a0000", 30000.0),
        ("NOK 30\u202f000", 30000.0),
        ("−12", -12.0),
        ("-12", -12.0),
        ("<2,5", 2.5),
        (">90", 90.0),
        ("5 % reduktion", 5.0),
        ("62/38", 62.0),
        ("40% (2)", 40.0),
        ("2,5 mio.", 2_500_000.0),
        ("750 mill.", 750_000_000.0),
        ("3 pct.", 3.0),
        ("12 procent", 12.0),
        ("36 prosent", 36.0),
        ("2025", 2025.0),
        ("1.5", 1.5),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["–", "—", "-", "", "  ", "2.3.2", "CO2", "m3/mio."])
def test_parse_number_no_value(text):
    assert parse_number(text) is None


def test_dashes_are_no_value():
    assert is_no_value("—") and is_no_value("–") and not is_no_value("0")


def test_find_numbers_kinds_and_spans():
    text = "eNPS fra 19 i 2024 til −12 i 2025; 62/38 (m/k); 5 % reduktion; <2,5"
    found = find_numbers(text)
    assert [m.text for m in found] == ["19", "2024", "−12", "2025", "62/38", "5 %", "2,5"]
    assert [m.kind for m in found][4:6] == ["ratio", "percent"]
    assert found[4].parts == (62.0, 38.0)
    assert found[6].comparator == "<"
    assert all(text[m.start : m.end] == m.text for m in found)


def test_find_numbers_ignores_codes_and_reads_dates():
    found = find_numbers("CO2 og m3, Cycling-4Cancer, pr. 31.12.2024 hele 447 forretningsforbindelser")
    assert [(m.text, m.kind) for m in found] == [("31.12.2024", "date"), ("447", "number")]
    assert found[0].parts == (31.0, 12.0, 2024.0)


def test_space_groups_have_two_readings():
    assert [m.text for m in find_numbers("Ton 628 738 734")] == ["628 738 734"]
    assert [m.text for m in find_numbers("Ton 628 738 734", group_spaces=False)] == ["628", "738", "734"]
    assert text_contains_number("Ton 5% reduktion 628 738 734 –", 738)
    assert text_contains_number("mer enn NOK 30 000 har", 30000)


def test_hyphen_between_numbers_is_a_dash_not_a_minus():
    assert [m.value for m in find_numbers("skala 0-100 og -100 til +100")] == [0.0, 100.0, -100.0, 100.0]


@pytest.mark.parametrize(
    ("value", "decimals", "printed"),
    [
        (1567, None, "1.567"),
        (3.18, None, "3,18"),
        (-12, None, "-12"),
        (0.41, None, "0,41"),
        (14.8, None, "14,8"),
        (1_000_000.5, 1, "1.000.000,5"),
        (-0.001, None, "0"),
        (2.5, 2, "2,50"),
    ],
)
def test_format_number(value, decimals, printed):
    assert format_number(value, decimals) == printed


def test_years_are_printed_without_grouping_and_found_as_years():
    assert format_number(2025, group=False) == "2025"
    assert format_number(2025) == "2.025"
    assert find_years("i 2025 var den 1,1 %, mod 2.024 og 31.12.2024") == [2025]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("3,18 %", "3,18", True),
        ("1.567", "1567", True),
        ("1,567", "1.567", False),
        ("-12", "−12", True),
        ("44", "44,0", True),
        ("62/38", "62/38", True),
        ("62/38", "38/62", False),
        ("–", "—", True),
        ("0", "–", False),
        ("30 000", "30000", True),
    ],
)
def test_same_number(a, b, same):
    assert same_number(a, b) is same


def test_parse_ratio():
    assert parse_ratio("62/38") == (62.0, 38.0)
    assert parse_ratio("40 %") is None


def test_a_day_and_a_month_name_are_a_date_not_a_figure() -> None:
    found = find_numbers("Medlemmer af bestyrelsen pr. 31. december 2018 og 16 January 2025")
    assert [(n.text, n.kind, n.parts) for n in found] == [
        ("31. december 2018", "date", (31.0, 12.0, 2018.0)),
        ("16 January 2025", "date", (16.0, 1.0, 2025.0)),
    ]
    others = find_numbers("ca. 12 maj-juni, 3,1 % i marts")
    assert [(n.text, n.kind) for n in others] == [("12", "number"), ("3,1 %", "percent")]


@pytest.mark.parametrize(
    ("text", "period"),
    [("4. kvt. 2018", "q4"), ("Q3 2019", "q3"), ("3Q", "q3"), ("1. halvår 2020", "h1"), ("H2", "h2"),
     ("andet kvartal", "q2"), ("first quarter", "q1"), ("2018", None), ("3 questions", None), ("H2O", None)],
)  # fmt: skip
def test_a_quarter_or_half_year_is_named_as_such(text: str, period: str | None) -> None:
    assert sub_year(text) == period


def test_page_and_part_references_are_no_figures() -> None:
    from rag.text.numbers import is_reference

    def pages(text: str) -> list[str]:
        return [n.text for n in find_numbers(text) if is_reference(text, n)]

    assert pages("Udlån fordelt på lande og kundegrupper, side: 95") == ["95"]
    assert pages("Se s. 12 og sidan 3; page 4 shows 1,300 customers") == ["12", "3", "4"]
    assert pages("Vi har 95 kunder på 12 sider") == []
    assert pages("Energiforbruget faldt med 14 procent (afsnit 29), jf. note 7 og tabell 3") == ["29", "7", "3"]
    assert pages("Emissions fell 12 per cent (see section 4.2)") == ["4.2"]


def test_english_per_cent_is_a_share() -> None:
    assert [(n.text, n.kind) for n in find_numbers("down 12 per cent, a 3 percent share, 2 percentage points")] == [
        ("12 per cent", "percent"), ("3 percent", "percent"), ("2 percentage points", "percent")
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("shares worth DKK 3.4bn were bought back", [(3.4e9, "3.4bn")]),
        ("synergies of GBP 240m are expected", [(2.4e8, "240m")]),
        ("a fee of EUR 450k", [(4.5e5, "450k")]),
        ("revenue of 12.5bn", [(1.25e10, "12.5bn")]),  # "bn" is a scale with or without a currency
        ("a 3m high wall and 40k steps", []),  # "m" and "k" without a currency: a metre, not a million
        ("CO2 in m3 for 4Cancer", []),  # digits glued to letters are part of a name
    ],
)
def test_a_scale_glued_to_a_figure_is_read_as_its_scale(text: str, found: list[tuple[float, str]]) -> None:
    assert [(n.value, n.text) for n in find_numbers(text)] == found
