"""Which words of a question ask for something, on invented tables of a company the code never saw.

- a question that sets something aside ("ud over øl", "ikke den egentlige") is not answered by the row naming it;
  the excluded word would otherwise count as a word asked for and pull the set-aside row to the top;
- a company form ("A/S") is no alternative letter ("alternativ A").
"""

from __future__ import annotations

from dataclasses import replace

from rag.answer.query import Asks, excluded_words, years_in
from rag.answer.rows import RowIndex, fact_unit_kind
from rag.text.units import UnitKind
from rag.types import DocMeta, Fact
from tests.ask import ask_rows, table_row

DOC = "fjordkraft-bryggeri-2023"
DOCS = {DOC: DocMeta(DOC, "Fjordkraft Bryggeri årsrapport 2023", "da", 2023, "Fjordkraft Bryggeri A/S")}


def _answer(question: str, facts: list[Fact]) -> str | None:
    return ask_rows(question, facts, DOCS[DOC])


def test_excluded_words_are_read_after_an_excluding_word_or_a_set_off_negation() -> None:
    assert excluded_words("Hvor meget sodavand (ud over øl) solgte de?") == ("øl",)
    assert excluded_words("Resultat fra aktiviteter uden for Norden i 2023?") == ("Norden", "i")
    assert excluded_words("Kapitalprocent (inkl. hybrid, ikke den egentlige) i 2023?") == ("den", "egentlige")
    assert excluded_words("Revenue excluding excise duties in 2023?") == ("excise", "duties", "in")
    # A bare "ikke" in the main clause negates the verb, not a thing; "ikke-finansielle" is one word.
    assert excluded_words("Hvor mange har ikke fået en samtale?") == ()
    assert excluded_words("Hvad var de ikke-finansielle nøgletal (ikke revideret)?") == ("revideret",)


def test_the_row_a_question_sets_aside_is_not_its_answer() -> None:
    facts = [
        *table_row(DOC, "Egentlig kapitalprocent", {2022: "16,4", 2023: "16,9"}, "Kapitalforhold", 100),
        *table_row(DOC, "Kapitalprocent", {2022: "18,0", 2023: "19,2"}, "Kapitalforhold", 120),
    ]
    answer = _answer("Hvad var Fjordkraft Bryggeris kapitalprocent (ikke den egentlige) i 2023?", facts)
    assert answer is not None and "19,2" in answer and "16,9" not in answer


def test_the_other_rows_stay_when_one_is_set_aside() -> None:
    facts = [
        *table_row(DOC, "Øl", {2023: "81,2"}, "Salg (mio. liter)", 100),
        *table_row(DOC, "Andre drikkevarer", {2023: "24,1"}, "Salg (mio. liter)", 120),
    ]
    answer = _answer("Hvor mange mio. liter andre drikkevarer (ud over øl) solgte Fjordkraft Bryggeri i 2023?", facts)
    assert answer is not None and "24,1" in answer and "81,2" not in answer


def test_a_company_form_is_no_alternative_letter() -> None:
    """"Fjordkraft Bryggeri A/S" writes an "A" after a word, as "alternativ A" does; only the letter alone names one."""
    rows = RowIndex([*table_row(DOC, "Alternativ A", {2023: "12"}, "Alternativer", 100)], DOCS)
    letters = {t.stem for t in rows.terms("Hvad sparer alternativ A?", "da") if len(t.stem) == 1}
    company = {t.stem for t in rows.terms("Hvad tjente datterselskabet Nordfinans A/S?", "da") if len(t.stem) == 1}
    assert (letters, company) == ({"a"}, set())


def test_a_count_is_not_answered_by_a_share() -> None:
    """"Hvor mange leverandører" asks for a count; "hvor mange af medarbejderne" for part of a whole."""
    facts = [
        *table_row(DOC, "Leverandører med underskrevet adfærdskodeks", {2023: "100"}, "Sociale forhold", 100, unit="%"),
        *table_row(DOC, "Medarbejdere der kender varslingsordningen", {2023: "64"}, "Sociale forhold", 120, unit="%"),
    ]
    assert _answer("Hvor mange leverandører havde Fjordkraft Bryggeri i 2023?", facts) is None
    share = _answer("Hvor mange af medarbejderne kender varslingsordningen hos Fjordkraft Bryggeri i 2023?", facts)
    assert share is not None and "64" in share


def test_a_row_under_a_group_is_named_by_its_own_words() -> None:
    """"Lærlinger" names the row "Praksisplasser – Lærlinger"; the group's word need not be said."""
    facts = [
        *table_row(DOC, "Praksisplasser – Lærlinger", {2022: "7", 2023: "9"}, "Samfunnsansvar", 100),
        *table_row(DOC, "Praksisplasser – Studenter", {2022: "12", 2023: "15"}, "Samfunnsansvar", 120),
        *table_row(DOC, "Medarbejdere", {2022: "310", 2023: "325"}, "Nøgletal", 140),
    ]
    answer = _answer("Hvor mange lærlinger uddannede Fjordkraft Bryggeri i 2023?", facts)
    assert answer is not None and "9" in answer and "15" not in answer


def test_a_verb_reaches_its_noun_through_the_vocabulary() -> None:
    """"reduceret" in the question, "Reduktion" in the row: a stemmer leaves them apart, the synonyms join them."""
    facts = [
        *table_row(DOC, "Papirforbrug – Reduktion", {2022: "12", 2023: "18"}, "Miljø", 100, unit="%"),
        *table_row(DOC, "Papirforbrug – Tons", {2022: "40", 2023: "33"}, "Miljø", 120, unit="tons"),
    ]
    answer = _answer("Med hvor mange procent blev papirforbruget reduceret hos Fjordkraft Bryggeri i 2023?", facts)
    assert answer is not None and "18" in answer and "33" not in answer


def test_the_year_of_a_date_is_a_year_the_text_states() -> None:
    assert years_in("Vi har pr. 31.12.2024 avtaler med 212 leverandører, mot 190 i 2023.") == [2024, 2023]
    assert years_in("Side 1.2025 og kode 20251") == []


def test_a_column_that_sets_aside_the_same_thing_is_the_answer() -> None:
    """The question's "(ikke gjenbruk)" meets a column headed "ikke gjenbruk (nye materialer)": that is its answer."""
    facts = [
        *table_row(DOC, "Sum", {2023: "1.204"}, "Materialer", 100, qualifier="ikke gjenbruk (nye materialer) [kg]"),
        *table_row(DOC, "Sum", {2023: "310"}, "Materialer", 100, qualifier="gjenbruk [kg]"),
    ]
    answer = _answer("Hvor mange kg nye materialer (ikke gjenbruk) brukte Fjordkraft Bryggeri totalt i 2023?", facts)
    assert answer is not None and "1.204" in answer and "310" not in answer


def test_what_a_question_measures_is_the_noun_after_an_adjective() -> None:
    assert Asks.of("Hvor stor klimagassreduksjon ventes i 2025?").measured == "klimagassreduksjon"
    assert Asks.of("Hvor store leieinntekter hadde selskapet?").measured == "leieinntekter"
    # a verb, an auxiliary or a word for "share" is no thing measured
    assert Asks.of("Hvor meget voksede salget i 2025?").measured is None
    assert Asks.of("Hvor stor var omsætningen?").measured is None
    assert Asks.of("Hvor stor en andel af affaldet blev genanvendt?").measured is None


def test_a_short_row_label_starts_a_questions_compound() -> None:
    """"Hønseproducenter" is "høns" + "producent": a row labelled with the short word is the one asked about.

    Short corpus words are no compound parts in general ("ring" is more often a suffix); a short head is taken
    only when the rest of the word is a known word of its own.
    """
    table = "Udlån fordelt på brancher"
    facts = [
        *table_row(DOC, "Høns", {2023: "1.616"}, table, 100),
        *table_row(DOC, "Kvæg", {2023: "1.106"}, table, 120),
        *table_row(DOC, "Øvrige producenter", {2023: "730"}, table, 130),
        *table_row(DOC, "Planteavl", {2023: "2.240"}, table, 140),
    ]
    answer = _answer("Hvor store var Fjordkraft Bryggeris udlån til hønseproducenter i 2023?", facts)
    assert answer is not None and "1.616" in answer and "730" not in answer
    rows = RowIndex(facts, DOCS)
    # "Ringsalg" is no "ring" compound: a head needs a known word after it, and "salg" is no row word.
    assert {t.stem: t.parts for t in rows.terms("ringsalg", "da")} == {"ringsalg": frozenset()}


def test_a_count_is_not_answered_by_an_amount_of_money() -> None:
    """"Hvor mange aktionærer" counts people: "Aktionærernes egenkapital" in a table in "mio. kr." is money."""
    money = [
        *table_row(DOC, "Aktionærernes egenkapital", {2022: "3.104", 2023: "3.356"}, "Balance (mio. kr.)", 100),
        *table_row(DOC, "Medarbejdere", {2022: "310", 2023: "325"}, "Nøgletal", 140),
    ]
    assert _answer("Hvor mange aktionærer havde Fjordkraft Bryggeri i 2023?", money) is None
    counted = [*money, *table_row(DOC, "Antal aktionærer", {2022: "17.500", 2023: "18.200"}, "Aktien", 160)]
    answer = _answer("Hvor mange aktionærer havde Fjordkraft Bryggeri i 2023?", counted)
    assert answer is not None and "18.200" in answer and "3.356" not in answer
    amount = _answer("Hvor stor var aktionærernes egenkapital hos Fjordkraft Bryggeri i 2023?", money)
    assert amount is not None and "3.356" in amount


def test_a_title_of_two_units_leaves_the_columns_unit_open() -> None:
    """"Udlån til landbrug (mio. kr./%)" holds amounts and shares: its rows answer a question in "mio. kr."."""
    table = "Udlån til landbrug (mio. kr./%)"
    facts = [
        *table_row(DOC, "Kvæg", {2022: "1.170", 2023: "1.480"}, table, 100),
        *table_row(DOC, "Planteavl", {2022: "2.050", 2023: "1.758"}, table, 120),
    ]
    assert fact_unit_kind(facts[0]) is UnitKind.UNKNOWN
    assert fact_unit_kind(table_row(DOC, "Kvæg", {2023: "1.480"}, "Udlån (mio. kr.)", 100)[0]) is UnitKind.MONEY
    answer = _answer("Hvor meget udlånte Fjordkraft Bryggeri til kvæg i 2023 (mio. kr.)?", facts)
    assert answer is not None and "1.480" in answer


def test_a_verb_no_row_uses_is_no_word_a_row_must_have() -> None:
    """"Hvad kostede driften …, målt som basisomkostninger?": "kostede" says what was done; a row "Basisomkostninger"
    is the answer though no row says "koste". A verb a row does use ("Solgte enheder") still counts."""
    facts = [
        *table_row(DOC, "Basisomkostninger", {2022: "4.350", 2023: "4.612"}, "Resultatopgørelse (mio. kr.)", 100),
        *table_row(DOC, "Nettorenteindtægter", {2022: "6.102", 2023: "6.630"}, "Resultatopgørelse (mio. kr.)", 120),
    ]
    answer = _answer("Hvad kostede driften af Fjordkraft Bryggeri i 2022, målt som basisomkostninger?", facts)
    assert answer is not None and "4.350" in answer
    assert Asks.of("Hvor mange ansatte havde Fjordkraft Bryggeri i 2023?").verb == "havde"
    assert Asks.of("Hvor mange mio. liter sodavand solgte Fjordkraft Bryggeri i 2023?").verb == "solgte"
    # a yes/no question starts with its verb; the definite noun after it is its subject, not a verb
    assert Asks.of("Er korttidsfraværet steget fra 2022 til 2023?").verb == "Er"
    assert Asks.of("Hvordan har energiforbruget udviklet sig?").verb == "har"


def test_a_segment_beside_the_groups_total_column_is_the_groups() -> None:
    """Segments of the group under one year in the corner ("2023 | Norden | International | Fjordkraft-koncernen")
    are the group's figures: a question about the group's international activities is answered by that column.
    Only year columns headed by the group ("Konsern 2023") make a column beside them the company's own."""
    header = "2023\tNorden\tInternational\tFjordkraft-koncernen"
    facts = [
        replace(f, header=header, qualifier=q, value_text=v, value=float(v.replace(".", "")))
        for q, v in (("norden", "2.998"), ("international", "142"), ("fjordkraft-koncernen", "3.140"))
        for f in table_row(DOC, "Resultat før skat", {2023: v}, "Segmentregnskab, geografisk", 100)
    ]
    question = "Hvor stort var overskuddet før skat fra Fjordkraft-koncernens internationale aktiviteter i 2023?"
    answer = _answer(question, facts)
    assert answer is not None and "142" in answer and "3.140" not in answer


def test_from_a_year_onwards_names_a_period_not_a_word_of_the_row() -> None:
    """"fra 2025 og frem": "frem" says when, as "ultimo" does; a row that has the other words is the answer."""
    facts = [
        *table_row(DOC, "Samlet kapitalkrav", {2024: "13,2", 2025: "14,6"}, "Kapitalkrav (pct.)", 100),
        *table_row(DOC, "Kapitalbevaringsbuffer", {2024: "1,9", 2025: "2,5"}, "Kapitalkrav (pct.)", 120),
    ]
    answer = _answer("Hvor højt er Fjordkraft Bryggeris samlede kapitalkrav fra 2025 og frem?", facts)
    assert answer is not None and "14,6" in answer, answer
