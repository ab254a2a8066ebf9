"""Figures from rows whose labels no vocabulary knows, scoped to the organisation a question names.

The organisations, labels and figures here are invented for the tests; none occurs in the code.
"""

from __future__ import annotations

from dataclasses import replace

from rag.answer.figures import answer_figure
from rag.answer.query import QueryInfo, parse_query
from rag.answer.rows import RowIndex, fact_unit_kind
from rag.answer.scope import Scoper, question_names
from rag.ingest.files import guess_year
from rag.ingest.organisations import find_organisation
from rag.text.analysis import analyze
from rag.text.language import detect_language
from rag.text.metrics import slug
from rag.text.numbers import english_notation, parse_number, to_nordic
from rag.text.units import UnitKind
from rag.types import Chunk, DocMeta, Fact, OrgScope
from tests.ask import table_row


def _row(doc: str, label: str, values: dict[int, str], unit: str, table: str, start: int) -> list[Fact]:
    return table_row(doc, label, values, table, start, unit=unit)


DOCS = {
    "nordlys-2024": DocMeta("nordlys-2024", "Nordlys bærekraftsrapport 2024", "nb", 2024, "Nordlys AS", "NO"),
    "kvistgaard-2024": DocMeta(
        "kvistgaard-2024", "Kvistgaard årsrapport 2024", "da", 2024, "Kvistgaard Mølle A/S", "DK"
    ),
}
FACTS = [
    *_row("nordlys-2024", "Sykefravær", {2024: "4,1", 2023: "4,6"}, "%", "Nøkkeltall ansatte", 100),
    *_row("nordlys-2024", "Utslipp av nitrogenoksider til luft", {2024: "12,5", 2023: "14,0"}, "tonn", "Miljø", 200),
    *_row("nordlys-2024", "Andel ladepunkter i eget anlegg", {2024: "37", 2023: "21"}, "%", "Miljø", 300),
    *_row("kvistgaard-2024", "Sygefravær", {2024: "3,3", 2023: "3,0"}, "%", "Nøgletal medarbejdere", 100),
    *_row("kvistgaard-2024", "Vandforbrug i produktionen", {2024: "48.200", 2023: "51.900"}, "m3", "Miljø", 200),
]
CHUNKS = [
    Chunk("c1", "nordlys-2024", "Nordlys", "Nordlys AS leverer strøm i Nord-Norge. Nordlys AS eies av kommunene.",
          0, 60, "nb", organisation="Nordlys AS"),
    Chunk("c2", "kvistgaard-2024", "Kvistgaard", "Kvistgaard Mølle A/S maler korn på Fyn. Kvistgaard har 80 ansatte.",
          0, 60, "da", organisation="Kvistgaard Mølle A/S"),
]  # fmt: skip


def _query(question: str, scope: OrgScope) -> QueryInfo:
    """The question as the answerer parses it once: with its organisation scope (the corpus is of 2024)."""
    return replace(parse_query(question, 2024), scope=scope)


def _ask(question: str) -> str | None:
    scope = Scoper(DOCS, CHUNKS).resolve(question)
    if scope.unknown is not None:
        return f"unknown: {scope.unknown}"
    answer = answer_figure(_query(question, scope), FACTS, DOCS, rows=RowIndex(FACTS, DOCS))
    return None if answer is None else answer.text


def test_a_label_no_vocabulary_knows_is_found_by_its_own_words() -> None:
    assert _ask("Hvor store var Nordlys' utslipp av nitrogenoksider i 2023?") == (
        "Utslipp av nitrogenoksider til luft var 14,0 tonn i 2023 [1]."
    )
    answer = _ask("Hvor stor andel ladepunkter hadde Nordlys i 2024?")
    assert answer == "Andel ladepunkter i eget anlegg var 37 % i 2024 [1]."


def test_a_named_organisation_gets_only_its_own_figure() -> None:
    assert _ask("Hva var sykefraværet i Nordlys i 2024?") == "Sykefravær var 4,1 % i 2024 [1]."
    assert _ask("Hvad var sygefraværet hos Kvistgaard Mølle i 2024?") == "Sygefravær var 3,3 % i 2024 [1]."


def test_without_a_name_each_organisation_is_given_and_labelled() -> None:
    text = _ask("Hvad var sygefraværet i 2024?")
    assert text is not None
    assert "(Nordlys AS) var 4,1 % i 2024" in text and "(Kvistgaard Mølle A/S) var 3,3 % i 2024" in text


def test_an_organisation_the_corpus_lacks_is_not_answered_with_another() -> None:
    assert _ask("Hva var sykefraværet i Sørvind Energi i 2024?") == "unknown: Sørvind Energi"


def test_a_metric_the_named_organisation_lacks_is_not_taken_from_another() -> None:
    assert _ask("Hvor stort var vannforbruket til Nordlys i 2024?") is None


def test_a_question_that_asks_for_another_unit_does_not_take_the_row() -> None:
    assert _ask("Hvor mange kroner brukte Nordlys på ladepunkter i 2024?") is None
    assert fact_unit_kind(FACTS[0]) is UnitKind.PERCENT


def test_question_names_are_capitalised_words_inside_the_question() -> None:
    names = question_names("Hvad var Kvistgaard Mølle-koncernens sygefravær og Nordlys' udledning?")
    assert [n.text for n in names] == ["Kvistgaard Mølle-koncernens", "Nordlys'"]
    assert names[0].words == ("kvistgaard", "molle")


def test_the_organisation_is_the_company_the_report_names_most() -> None:
    text = (
        "Årsrapport 2024 for Havbris Energi AS (HBE). Havbris Energi AS eier Havbris Nett AS og Havbris Nett AS "
        "drifter nettet. Styret i Havbris Energi AS takker. Revisor er Ernst & Young AS. Havbris-konsernet vokser. "
        "Havbris Energi AS har 40 ansatte i Havbris."
    )
    found = find_organisation(text)
    assert found is not None
    assert (found.name, found.country) == ("Havbris Energi AS", "NO")
    assert found.aliases == ("HBE", "Havbris Nett AS")


def test_an_english_report_names_its_group() -> None:
    text = (
        "Northwind Brewing A/S annual report. The Northwind Group grew. Northwind Brewing A/S acquired Fjell plc. "
        "Fjell plc brews cider. Northwind Group revenue rose; Northwind operates in 12 markets."
    )
    found = find_organisation(text)
    assert found is not None and found.name == "Northwind Brewing A/S"


def test_number_notation_is_decided_per_document_from_its_own_numbers() -> None:
    english = "Revenue 75,011.4 rose 2.0% to 1.73x; margin 13.8 and 24.7; net debt 1,206.5 and EPS 8.91."
    danish = "Omsætningen var 75.011,4 mio. kr.; marginen 13,8 og 24,7 %; gælden 1.206,5 og 8,91 kr. pr. aktie."
    assert english_notation(english) and not english_notation(danish)
    assert parse_number(to_nordic("75,011")) == 75011 and parse_number(to_nordic("24.7")) == 24.7


def test_the_report_year_is_the_one_its_front_page_names() -> None:
    text = "Årsrapport 2018\nVi nåede målene for 2017. Målet for 2030 er klar. 2030 2030 2030 2016 2016"
    assert guess_year("strategi-2030.pdf", text) == 2018
    assert guess_year("handleplan.pdf", "Vi arbejder mod 2030. I 2023 og 2023 blev der bygget.") == 2023


def test_the_organisations_name_is_not_the_metric_it_is_written_next_to() -> None:
    facts = _row("kvistgaard-2024", "EBITDA", {2024: "812,4", 2023: "790,0"}, "mio. kr.", "Hoved- og nøgletal", 400)
    question = "Hvad var Kvistgaards EBITDA i 2023?"
    scope = Scoper(DOCS, CHUNKS).resolve(question)
    assert scope.org_names == ("Kvistgaards",)
    answer = answer_figure(_query(question, scope), facts, DOCS, rows=RowIndex(facts, DOCS))
    assert answer is not None and answer.text == "EBITDA var 790,0 mio. kr. i 2023 [1]."


def test_row_words_match_across_an_ending_the_stemmer_leaves() -> None:
    facts = _row("nordlys-2024", "Tegl, intern ombruk", {2024: "41.200", 2023: "3.900"}, "kg", "Materialer", 500)
    question = "Hvor mange kg tegl ble ombrukt internt i 2024?"
    scope = Scoper(DOCS, CHUNKS).resolve(question)
    answer = answer_figure(_query(question, scope), facts, DOCS, rows=RowIndex(facts, DOCS))
    assert answer is not None and answer.text == "Tegl, intern ombruk (Nordlys AS) var 41.200 kg i 2024 [1]."


def _untitled(label: str, value: str, header: str, start: int) -> Fact:
    return Fact(
        metric=label, metric_key=slug(label), year=2024, value_text=value,
        value=float(value.replace(".", "").replace(",", ".")), unit=None, doc_id="havbris-2024",
        source_text=f"{label}\t{value}", start=start, end=start + 20, page=9, table=None, style="grid",
        header=header,
    )  # fmt: skip


HAVBRIS = {"havbris-2024": DocMeta("havbris-2024", "Årsrapport 2024", "nb", 2024, "Havbris Energi AS", "NO")}
ACCOUNTS = [  # the group's and the parent company's statements: same labels, told apart only by their headers
    _untitled("Lønnskostnader", "412,7", "Havbris-konsernet\t2024\t2023", 100),
    _untitled("Lønnskostnader", "198,3", "Mill. kr.\t2024\tHavbris Energi 2023", 900),
]


def _accounts(question: str, facts: list[Fact] = ACCOUNTS) -> str | None:
    chunks = [Chunk("h1", "havbris-2024", "Havbris", "Havbris Energi AS eier Havbris Nett AS.", 0, 40, "nb")]
    scope = Scoper(HAVBRIS, chunks).resolve(question)
    answer = answer_figure(_query(question, scope), facts, HAVBRIS, rows=RowIndex(facts, HAVBRIS))
    return None if answer is None else answer.text


def test_parent_company_and_group_figures_are_told_apart_by_their_tables() -> None:
    assert _accounts("Hva var lønnskostnadene i morselskapet Havbris Energi AS i 2024?") == (
        "Lønnskostnader var 198,3 i 2024 [1]."
    )
    assert _accounts("Hva var Havbris-konsernets lønnskostnader i 2024?") == "Lønnskostnader var 412,7 i 2024 [1]."


def test_the_parent_companys_own_row_beats_rows_that_do_not_say_whose_they_are() -> None:
    # Key figures up front say nothing of whose they are (the group's, as the report is); a segment table's
    # total neither. Its own statement, headed by the company's name, is the parent company's answer.
    facts = [
        _untitled("Antall årsverk", "1.204", "Nøkkeltall\t2024\t2023", 100),
        _untitled("Sum", "1.231", "2024\tDriftsinntekter\tÅrsverk", 500),
        _untitled("Antall årsverk", "811", "Havbris Energi AS\t2024\t2023", 900),
    ]
    assert _accounts("Hvor mange årsverk hadde morselskapet Havbris Energi AS i 2024?", facts) == (
        "Antall årsverk var 811 i 2024 [1]."
    )


def test_a_group_figure_is_not_taken_from_a_report_without_group_accounts() -> None:
    assert _accounts("Hva var Havbris-konsernets lønnskostnader i 2024?", ACCOUNTS[1:]) is None


ENGLISH = (
    "Northwind Brewing A/S annual report 2024. The Group delivered organic growth in all of its regions, and the "
    "operating margin improved for the third year. We invested in our breweries and in the transition of our "
    "vehicle fleet, which is reported with the other key figures at the end of this report."
)


def test_an_english_report_is_read_as_english_and_questions_stay_scandinavian() -> None:
    assert detect_language(ENGLISH, english=True) == "en"
    assert detect_language(ENGLISH) in ("da", "nb")  # a question is Danish or Norwegian, whatever its words
    assert detect_language("Koncernen leverede vækst i alle regioner, og vi investerede i vores bryggerier.",
                           english=True) == "da"  # fmt: skip
    assert analyze("breweries operating", "en") == ["breweri", "oper"]  # the English stemmer, not the Danish


def test_a_danish_question_is_answered_from_an_english_report_in_danish() -> None:
    meta = DocMeta("northwind-2024", "Annual report 2024", "en", 2024, "Northwind Brewing A/S", "DK")
    docs = {"northwind-2024": meta}
    facts = _row("northwind-2024", "Revenue", {2024: "75.011", 2023: "73.585"}, "DKKm", "Key figures", 100)
    chunks = [Chunk("n1", "northwind-2024", "Northwind", ENGLISH, 0, len(ENGLISH), "en")]
    question = "Hvad var Northwinds omsætning i 2023?"
    scope = Scoper(docs, chunks).resolve(question)
    answer = answer_figure(_query(question, scope), facts, docs, rows=RowIndex(facts, docs))
    assert answer is not None and answer.text == "Revenue var 73.585 DKKm i 2023 [1]."
    assert answer.citations[0].quote.endswith("Revenue DKKm 75.011 73.585")  # the English source, quoted


def test_a_total_row_is_named_by_its_tables_title() -> None:
    title = "Nordlys' samlede skatter og avgifter (mill. kr.)"
    facts = [
        *_row("nordlys-2024", "Selskapsskatt", {2024: "40", 2023: "38"}, "mill. kr.", title, 600),
        *_row("nordlys-2024", "Eiendomsskatt", {2024: "12", 2023: "11"}, "mill. kr.", title, 700),
        *_row("nordlys-2024", "I alt", {2024: "52", 2023: "49"}, "mill. kr.", title, 800),
    ]
    question = "Hvordan utviklet Nordlys' skatter og avgifter seg fra 2023 til 2024?"
    scope = Scoper(DOCS, CHUNKS).resolve(question)
    answer = answer_figure(_query(question, scope), facts, DOCS, rows=RowIndex(facts, DOCS))
    assert answer is not None
    assert answer.text.startswith(f"Utvikling for {title}, i alt (mill. kr.): 2023: 49 [1]; 2024: 52 [1].")


def test_a_code_with_letters_and_digits_is_a_word_of_the_label() -> None:
    facts = [
        *_row("nordlys-2024", "Klimagassutslipp fase A1-A3", {2024: "310", 2023: "290"}, "tonn CO2e", "Faser", 900),
        *_row("nordlys-2024", "Klimagassutslipp fase A4", {2024: "42", 2023: "45"}, "tonn CO2e", "Faser", 950),
    ]
    question = "Hva var Nordlys' klimagassutslipp i fase A4 i 2024?"
    scope = Scoper(DOCS, CHUNKS).resolve(question)
    answer = answer_figure(_query(question, scope), facts, DOCS, rows=RowIndex(facts, DOCS))
    assert answer is not None and answer.text == "Klimagassutslipp fase A4 var 42 tonn CO2e i 2024 [1]."


def test_the_number_and_the_kind_word_of_a_name_are_not_asked_about() -> None:
    docs = {"blokk7-2024": DocMeta("blokk7-2024", "Erfaringsrapport Blokk 7", "nb", 2024)}
    chunks = [Chunk("b1", "blokk7-2024", "Blokk 7", "Blokk 7 ble bygget med ombrukt stål.", 0, 40, "nb")]
    facts = _row("blokk7-2024", "Totalvekt", {2024: "8.450"}, "tonn", "Nøkkeltall", 100)
    question = "Hva var totalvekten til Blokk 7-prosjektet?"
    scope = Scoper(docs, chunks).resolve(question)
    assert scope.doc_ids == frozenset({"blokk7-2024"}) and scope.org_names == ("Blokk 7-prosjektet",)
    rows = RowIndex(facts, docs)
    assert [t.stem for t in rows.terms(question, "nb", {"blokk", "7", "prosjekt"})] == ["totalvekt"]
    answer = answer_figure(_query(question, scope), facts, docs, rows=rows)
    assert answer is not None and answer.text == "Det nyeste tallet er fra 2024: Totalvekt var 8.450 tonn i 2024 [1]."


def test_another_table_of_the_same_report_is_named_not_called_its_text() -> None:
    assert _accounts("Hva var Havbris' lønnskostnader i 2024?") == (
        "Lønnskostnader var 412,7 i 2024 [1]. Tabellen «Havbris Energi» i samme rapport oppgir 198,3 for samme år [2]."
    )


def test_the_scale_a_question_names_picks_the_table_printed_in_it() -> None:
    facts = [
        *_row("kvistgaard-2024", "Varelager", {2024: "7.556", 2023: "8.235"}, "", "Balance (mio. kr.)", 400),
        *_row("kvistgaard-2024", "Varelager", {2024: "7,6", 2023: "8,2"}, "", "Hovedtal (mia. kr.)", 500),
    ]

    def ask(question: str) -> str | None:
        answer = answer_figure(_query(question, Scoper(DOCS, CHUNKS).resolve(question)), facts, DOCS)
        return None if answer is None else answer.text

    assert ask("Hvor mange mia. kr. udgjorde Kvistgaards varelager i 2024?") == (
        "Varelager var 7,6 i 2024 [1]. Tabellen «Balance (mio. kr.)» i samme rapport angiver 7.556 for samme år [2]."
    )
    assert ask("Hvor mange millioner kroner udgjorde Kvistgaards varelager i 2024?") == (
        "Varelager var 7.556 i 2024 [1]. Tabellen «Hovedtal (mia. kr.)» i samme rapport angiver 7,6 for samme år [2]."
    )


def test_a_vocabulary_word_said_in_passing_does_not_beat_the_row_the_question_names() -> None:
    board = _row("kvistgaard-2024", "Bestyrelse", {2024: "6"}, "", "Ledelse", 600)  # the vocabulary's board metric
    facts = [
        *[replace(f, metric_key="koen_bestyrelse") for f in board],
        *_row("kvistgaard-2024", "Foreslået udbytte pr. aktie", {2024: "4,75"}, "kr.", "Hovedtal", 700),
    ]
    question = "Hvor stort et udbytte pr. aktie indstiller Kvistgaards bestyrelse for 2024?"
    answer = answer_figure(_query(question, Scoper(DOCS, CHUNKS).resolve(question)), facts, DOCS)
    assert answer is not None and answer.text == "Foreslået udbytte pr. aktie var 4,75 kr. i 2024 [1]."


def test_a_synonym_beats_compound_parts_found_in_other_words_and_names_only_its_own_words() -> None:
    facts = [
        *_row("kvistgaard-2024", "Nettopåvirkning indregnet i resultatopgørelsen", {2024: "-453"}, "", "Note 9", 100),
        *_row("kvistgaard-2024", "Årets resultat pr. aktie", {2024: "34,7"}, "kr.", "Hovedtal", 200),
        *_row("kvistgaard-2024", "Årets resultat", {2024: "3.143"}, "mio. kr.", "Hovedtal", 300),
    ]
    question = "Hvad var Kvistgaards nettoresultat i 2024?"
    answer = answer_figure(_query(question, Scoper(DOCS, CHUNKS).resolve(question)), facts, DOCS)
    assert answer is not None
    assert answer.text.startswith("Årets resultat var 3.143 mio. kr. i 2024 [1].")  # "pr. aktie" only after it
    assert "Nettopåvirkning" not in answer.text


def test_figures_of_an_english_report_are_printed_the_nordic_way_and_stay_grounded() -> None:
    from rag.answer.grounding import ungrounded_numbers

    meta = DocMeta("northwind-2024", "Annual report 2024", "en", 2024, "Northwind Brewing A/S", "DK")
    docs = {"northwind-2024": meta}
    line = "Sick leave\t%\t5.8\t6.1"
    facts = [
        Fact("Sick leave", "sick_leave", year, text, value, "%", "northwind-2024", line, 100, 100 + len(line),
             page=4, table="Key figures", style="grid", header="\tUnit\t2024\t2023", english=True)
        for year, text, value in ((2024, "5.8", 5.8), (2023, "6.1", 6.1))
    ]  # fmt: skip
    chunks = [Chunk("n1", "northwind-2024", "Northwind", ENGLISH, 0, len(ENGLISH), "en")]
    question = "Hvordan har Northwinds sygefravær udviklet sig fra 2023 til 2024?"
    answer = answer_figure(_query(question, Scoper(docs, chunks).resolve(question)), facts, docs)
    assert answer is not None
    assert answer.text == (
        "Udvikling for Sick leave (%): 2023: 6,1 [1]; 2024: 5,8 [1]. "
        "Fra 2023 til 2024 faldt tallet med 0,3 procentpoint (svarende til -4,9 % relativt)."
    )
    assert ungrounded_numbers(answer.text, answer.citations, answer.computed) == []  # "5,8" is the quote's "5.8"


def test_market_and_location_based_are_told_apart_in_any_language() -> None:
    facts = [
        *_row("nordlys-2024", "Scope 2 emissions (market-based)", {2024: "2.315"}, "tCO2e", "Climate", 900),
        *_row("nordlys-2024", "Scope 2 emissions (location-based)", {2024: "1.102"}, "tCO2e", "Climate", 950),
    ]

    def ask(question: str) -> str | None:
        answer = answer_figure(_query(question, Scoper(DOCS, CHUNKS).resolve(question)), facts, DOCS)
        return None if answer is None else answer.text

    assert ask("Hvad var Nordlys' markedsbaserede scope 2-udledning i 2024?") == (
        "Scope 2 emissions (market-based) var 2.315 tCO2e i 2024 [1]."
    )
    assert ask("Hva var Nordlys' lokasjonsbaserte scope 2-utslipp i 2024?") == (
        "Scope 2 emissions (location-based) var 1.102 tCO2e i 2024 [1]."
    )


def test_a_hyphenated_name_is_not_asked_about() -> None:
    """"Kvistgaard-Møllens" is the organisation's name: neither of its words is a word the question asks for."""
    question = "Hvor stort var Kvistgaard-Møllens vandforbrug i 2024?"
    scope = Scoper(DOCS, CHUNKS).resolve(question)
    assert scope.doc_ids == frozenset({"kvistgaard-2024"}) and scope.org_names == ("Kvistgaard-Møllens",)


def test_a_danish_compound_of_a_synonym_and_a_row_word_names_an_english_row() -> None:
    # "drikkevarevolumen": a synonym of "Beverages" (the curated map) and "Volumes", the row's group; the row
    # takes its unit from that group heading.
    meta = DocMeta("tidewater-2024", "Annual report 2024", "en", 2024, "Tidewater Juice Ltd", "GB")
    docs = {"tidewater-2024": meta}
    facts = [
        *table_row("tidewater-2024", "Beverages", {2024: "416", 2023: "392"}, "Key figures", 100,
                   unit="million litres", group="Volumes (million litres)"),
        *table_row("tidewater-2024", "Juice concentrate", {2024: "83", 2023: "79"}, "Key figures", 200,
                   unit="million litres", group="Volumes (million litres)"),
        *table_row("tidewater-2024", "Revenue", {2024: "1204", 2023: "1166"}, "Key figures", 300, unit="GBPm"),
    ]
    question = "Hvor stor var Tidewaters drikkevarevolumen i 2023?"
    scope = Scoper(docs, [Chunk("t1", "tidewater-2024", "Tidewater", ENGLISH, 0, len(ENGLISH), "en")]).resolve(question)
    answer = answer_figure(_query(question, scope), facts, docs, rows=RowIndex(facts, docs))
    assert answer is not None and answer.text.startswith("Beverages var 392 million litres i 2023")


def test_a_question_naming_one_part_of_a_total_gets_that_part() -> None:
    # The title names every phase ("fordelt på faser"), so the total row is named by it; "fase 2" names one row.
    meta = DocMeta("vestvik-2024", "Årsrapport 2024", "nb", 2024, "Vestvik Sparebank", "NO")
    docs = {"vestvik-2024": meta}
    title = "Utlån og garantier fordelt på faser etter IFRS 9 (mrd. kr.)"
    facts = [
        fact
        for label, value, start in (("Fase 1", "412,0", 100), ("Fase 2", "31,5", 200), ("Fase 3", "5,2", 300),
                                    ("I alt", "448,7", 400))
        for fact in table_row("vestvik-2024", label, {2024: value}, title, start, unit="mrd. kr.",
                              qualifier="utlån og garantier")
    ]  # fmt: skip
    # Other tables of the report number their rows too: "2" is a common word there, "IFRS" a rare one.
    facts += [
        fact
        for n in range(1, 13)
        for fact in table_row("vestvik-2024", f"Kontor {n % 3 + 1} region {n}", {2024: str(10 + n)},
                              "Innskudd per kontor", 1000 + 100 * n, unit="mrd. kr.")
    ]  # fmt: skip

    def ask(question: str) -> str | None:
        scope = Scoper(docs, []).resolve(question)
        answer = answer_figure(_query(question, scope), facts, docs, rows=RowIndex(facts, docs))
        return None if answer is None else answer.text

    part = ask("Hvor mange mrd. kr. av utlån og garantier var i IFRS 9-fase 2 ved utgangen av 2024?")
    assert part is not None and part.startswith("Fase 2") and "31,5" in part
    total = ask("Hvor mange mrd. kr. utlån og garantier var det i alt etter IFRS 9 i 2024?")
    assert total is not None and "448,7" in total
