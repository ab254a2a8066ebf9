from __future__ import annotations

import pytest

from rag.answer import Answerer, split_sentences
from rag.answer.retrieve import Filters, HybridRetriever, rrf
from rag.config import Settings
from rag.errors import QuestionError
from rag.index import build_index, load_index
from rag.text.language import ABSTAIN
from tests.conftest import FakeEmbedder


@pytest.fixture
def answerer(mini_settings: Settings, fake_embedder: FakeEmbedder) -> Answerer:
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    return Answerer(load_index(mini_settings.index_dir, mini_settings, fake_embedder), mini_settings)


def test_rrf_order() -> None:
    fused = rrf([([1, 2, 3], 1.0), ([3, 1, 4], 1.0)], k=60)
    assert sorted(fused, key=lambda i: -fused[i]) == [1, 3, 2, 4]
    weighted = rrf([([1, 2], 1.0), ([2, 1], 3.0)], k=60)
    assert max(weighted, key=lambda i: weighted[i]) == 2


def test_split_sentences() -> None:
    text = "Vi har 13 lokasjoner. De fleste ligger i Oslo.\n\n- Punkt et om varsling\n- Punkt to om etikk"
    assert split_sentences(text) == [
        "Vi har 13 lokasjoner.",
        "De fleste ligger i Oslo.",
        "- Punkt et om varsling",
        "- Punkt to om etikk",
    ]


def test_answers_with_a_citation(answerer: Answerer) -> None:
    answer = answerer.ask("Hvad hedder den hvide kat på hospitalet?")
    assert not answer.abstained and answer.language == "da"
    assert answer.answer == "Den hvide kat på hospitalet hedder Sjusk [1]."  # the answer first, then the source
    [citation] = answer.citations
    assert (citation.n, citation.doc_id, citation.title) == (1, "mini-csr-2024", "Mini CSR-rapport 2024")
    assert citation.section == "Vores medarbejdere"
    assert citation.quote == "Den hvide kat hedder Sjusk og bor på hospitalet i Aalborg."
    assert answer.latency_ms > 0


def test_norwegian_question_gets_norwegian_answer(answerer: Answerer) -> None:
    answer = answerer.ask("Hvor mange lokasjoner har selskapet i Norge?")
    assert answer.language == "nb" and not answer.abstained
    assert "13 lokasjoner" in answer.answer
    assert answer.citations[0].doc_id == "mini-no-2023"


def test_abstains_when_the_corpus_does_not_say(answerer: Answerer) -> None:
    answer = answerer.ask("Hvad koster en billet til månen?")
    assert answer.abstained and answer.answer == ABSTAIN["da"] and answer.citations == ()
    assert answer.suggestions == ()
    # The subject is reported, for other years: the abstention says which, and offers the question.
    nb = answerer.ask("Hva var sykefraværet i 2017?")
    assert nb.abstained and nb.citations == ()
    assert nb.answer == (
        f"{ABSTAIN['nb']} Rapportene har ikke sykefraværet for 2017; de har det for Mini Danmark 2022–2024."
    )
    assert nb.suggestions == ("Hva var sykefraværet i 2022?",)
    assert nb.to_dict()["suggestions"] == ["Hva var sykefraværet i 2022?"]


def test_figure_from_table_facts(answerer: Answerer) -> None:
    answer = answerer.ask("Hvad var strømforbruget i 2023?")
    assert not answer.abstained
    assert "1.400" in answer.answer and "2023" in answer.answer
    assert answer.citations[0].doc_id == "mini-csr-2024"
    assert "1.400" in answer.citations[0].quote


def test_filters_restrict_the_evidence(answerer: Answerer) -> None:
    only_no = Filters(doc_ids=("mini-no-2023",))
    assert answerer.ask("Hvad hedder den hvide kat på hospitalet?", filters=only_no).abstained
    hits = answerer.retriever.search("kat hospitalet Aalborg", k=5, filters=Filters(languages=("nb",)))
    assert hits and {h.chunk.doc_id for h in hits} == {"mini-no-2023"}


@pytest.mark.parametrize("question", ["", "   ", "x" * 501])
def test_bad_questions(answerer: Answerer, question: str) -> None:
    with pytest.raises(QuestionError):
        answerer.ask(question)


def test_retriever_is_a_langchain_retriever(answerer: Answerer) -> None:
    retriever: HybridRetriever = answerer.retriever
    docs = retriever.invoke("Sjusk kat")
    assert docs[0].metadata["doc_id"] == "mini-csr-2024" and "Sjusk" in docs[0].page_content
    assert answerer.as_runnable().invoke({"question": "Hvad hedder den hvide kat?"}).citations[0].doc_id == (
        "mini-csr-2024"
    )


def test_count_questions_need_a_number_about_the_thing_counted(answerer: Answerer) -> None:
    answer = answerer.ask("Hvor mange nye sygeplejersker blev ansat i 2024?")
    assert not answer.abstained and "12 nye sygeplejersker" in answer.answer
    # The cat sentence matches the words but states no number: no evidence for a count.
    assert answerer.ask("Hvor mange katte bor på hospitalet i Aalborg?").abstained


@pytest.mark.parametrize(
    ("sentence", "is_row"),
    [
        ("Strømforbrug\tMWh\t—\t1.234\t1.400\t1.512", True),
        ("Strømforbrug Mwh — 3.265 2.834 2.844 2.232", True),
        ("Vi har i 2024 ansat 12 nye sygeplejersker på vores hospitaler.", False),
        ("Genanvendelsesprocenten er steget fra 18 % i 2024 til 20 % i 2025.", False),
        ("2024 2023 Aktiekapital (mio. kr.) 512 530 Børskurs (kr.) 210 198 Markedsværdi (mia. kr.) 12,4 11,9 "
         "Resultat pr. aktie (kr.) 18,2 16,7 Udbytte pr. aktie (kr.) 6,0 5,5", True),  # a two-column table, flattened
        ("Sygefraværet var 4,2 % i 2024 mod 4,6 % i 2023 og 5,1 % i 2022.", False),
        ("Vi sorterede 12 673 tonn i 2024, heraf 2 410 tonn tegl.", False),
        # cells with their units between them: no three figures in a row, yet a third of the words are figures
        ("Mængde Enhed kg CO2e Beton 1.840 m3 245.100 Stål 2.210 kg 198.400 Træ 510 m2 61.300", True),
        ("Vi har 4 hospitaler, 12 klinikker, 2.300 medarbejdere, 310 læger og 3 regioner i Danmark, Norge og "
         "Sverige, hvor vi behandler patienter hver eneste dag.", False),
    ],
)  # fmt: skip
def test_table_rows_are_not_quoted_as_prose(sentence: str, is_row: bool) -> None:
    from rag.answer.answerer import _is_table_row

    assert _is_table_row(sentence) is is_row


def test_years_in_text() -> None:
    from rag.answer.query import years_in

    assert years_in("fra 19 i 2024 til -12 i 2025, mål 2030") == [2024, 2025, 2030]
    assert years_in("1.2025 kr., 20251 stk.") == []
    assert years_in("pr. 31.12.2024") == [2024]  # a date states its year


def test_how_often_needs_a_rate_or_a_frequency_word() -> None:
    from rag.answer.answerer import Needs
    from rag.answer.query import parse_query
    from rag.text.numbers import find_numbers

    needs = Needs.of(parse_query("Hvor ofte har Aleris onboarding af nye leverandører?", None))

    def admits(sentence: str) -> bool:
        return needs.admits(sentence, set(), find_numbers(sentence), set(), None)

    assert admits("Onboarding af nye leverandører sker halvårligt i indkøbsafdelingen.")
    assert admits("I vores studie er hyppigheden af kapseldannelse kun 0,01% og dermed lav.")
    assert not admits("Aleris har en grundig proces for onboarding af nye leverandører.")


def test_signature_lines_and_the_sentence_after() -> None:
    from rag.answer.answerer import _NAME_LINE, _ROLE_LINE
    from rag.text.sentences import next_sentence as _next_sentence

    assert _NAME_LINE.match("Michael Gram Kirkegaard") and _NAME_LINE.match("Michael G. Kirkegaard")
    assert not _NAME_LINE.match("Bæredygtige sundhedsløsninger")
    assert _ROLE_LINE.match("Adm. direktør") and _ROLE_LINE.match("Administrerende direktør")
    assert not _ROLE_LINE.match("Direktøren mener, at klimaet er vigtigt, og at vi alle skal bidrage mere end før.")
    text = "Aleris kårede en vinder i 2021. Den ni-årige Silas Callesen reddede sin bror. Han er en helt."
    assert _next_sentence(text, "Aleris kårede en vinder i 2021.") == "Den ni-årige Silas Callesen reddede sin bror."
    assert _next_sentence(text, "Han er en helt.") is None


def test_a_blank_line_in_mid_sentence_does_not_split_it() -> None:
    text = (
        "Vi spør forretningsforbindelsene våre om temaene «Environment», «Health and\n\n"
        "Safety» og «Social». De svarer på 40 spørsmål.\n\nNy overskrift\n\nEn ny setning her."
    )
    assert split_sentences(text) == [
        "Vi spør forretningsforbindelsene våre om temaene «Environment», «Health and Safety» og «Social».",
        "De svarer på 40 spørsmål.",
        "Ny overskrift",
        "En ny setning her.",
    ]


@pytest.mark.parametrize(
    ("sentence", "percent", "states"),
    [
        ("Vi har i 2024 ansat 12 nye sygeplejersker på vores hospitaler.", False, True),
        ("Vi har over 1000 sygeplejersker fordelt på 13 lokationer i Danmark.", False, True),
        ("Antallet af sygeplejersker steg i år til 5.000 i alt.", False, True),
        ("Vi har ansat otte nye sygeplejersker.", False, True),
        ("Andelen af sygeplejersker er økt med 36%.", False, False),  # a share, not a count
        ("Andelen af sygeplejersker er økt med 36%.", True, True),  # "hvor mange procent"
        ("I 2024 fik sygeplejersker ny uniform.", False, False),  # a year is not a count
        ("72 timers ansvar for patientflow og sygeplejerskeforløb i alle afdelinger.", False, False),  # compounds
        ("Sygeplejersker oplever, at én læge har ansvaret.", False, False),  # "én" is an article
    ],
)
def test_count_questions_need_a_number_next_to_the_thing_counted(sentence: str, percent: bool, states: bool) -> None:
    from rag.answer.answerer import _states_count, _words

    assert _states_count(sentence, frozenset(_words("sygeplejersker")), percent) is states


def test_question_cues() -> None:
    from rag.answer.answerer import Needs
    from rag.answer.query import Asks, parse_query

    assert not Asks.of("Hvor meget investerer Aleris i forskning og udvikling?").trend  # R&D, not a trend
    assert Asks.of("Hvordan har sygefraværet udviklet sig fra 2021 til 2025?").trend
    assert Asks.of("Hvor stor en del af omsætningen går til forskning?").percent
    money = Needs.of(parse_query("Hvor mange penge donerede Aleris til Knæk Cancer i 2021?"))
    assert money.amount and not money.counted  # an amount, not a count of "penge"
    share = Needs.of(parse_query("Hvor stor en del af omsætningen vil Aleris investere i 2026?"))
    assert not share.amount  # a share of revenue is a percentage, not an amount
    percent = Needs.of(parse_query("Hvor mange prosent av forretningsforbindelsene svarte?"))
    assert percent.percent_value and percent.percent


def test_abbreviations_and_line_breaks_do_not_end_sentences() -> None:
    text = (
        "Derfor har Masanga DK etableret et college med i dag ca. 300 studerende. Der er uddannet 210 "
        "sygeplejersker og\n\n45 kirurgisk uddannede via et program. Vi har bl.a. Aleris med i projektet."
    )
    assert split_sentences(text) == [
        "Derfor har Masanga DK etableret et college med i dag ca. 300 studerende.",
        "Der er uddannet 210 sygeplejersker og 45 kirurgisk uddannede via et program.",
        "Vi har bl.a. Aleris med i projektet.",
    ]


def test_a_contents_line_and_the_questions_own_numbers_are_no_figures() -> None:
    from rag.answer.answerer import _is_table_row, _states_a_number

    assert _is_table_row("Sammendrag 3 Ledelsen udtaler 4 Strategi 6 Forventninger til fremtiden 9 Regnskab 10 Noter")
    assert not _is_table_row("I 2024 havde vi 3 nye lokationer og 12 klinikker i drift.")
    quote = "De ombrukbare materialene i Blokk 7 er merket med QR-koder."
    assert not _states_a_number(quote, words=False, question="Hvor stor ble andelen ombrukbare materialer i Blokk 7?")
    assert _states_a_number("Andelen var 53 % i Blokk 7.", words=False, question="Hvor stor var andelen i Blokk 7?")


def test_digits_inside_a_word_are_no_figure() -> None:
    # A table's label line read as prose, quoted as the answer: "2" is the name asked about, "CO2e" a unit.
    from rag.answer.answerer import _states_a_number

    question = "Hvad var scope 2 emissions (location-based) for Brake Ferries Group plc i 2023?"
    assert not _states_a_number("Scope 2 emissions (location-based) (tCO2e) [1].", question=question)
    assert not _states_a_number("Fasene A1-A3 og B4 i kg CO2e/m2 [1].", words=False, question="Hva var utslippet?")
    assert _states_a_number("Scope 2 emissions var 653 tCO2e i 2023 [1].", question=question)
    assert _states_a_number("Utslippet var 12kg CO2e [1].", words=False, question="Hva var utslippet?")


def test_a_number_in_the_name_asked_about_is_neither_asked_for_nor_a_figure() -> None:
    from dataclasses import replace

    from rag.answer.answerer import Needs, name_spans
    from rag.answer.query import parse_query
    from rag.text.numbers import find_numbers
    from rag.types import OrgScope

    question = "Hvor mye tegl ble gitt bort fra Blokk 7-prosjektet?"
    info = replace(parse_query(question, None), scope=OrgScope(frozenset({"blokk"}), ("Blokk 7-prosjektet",)))
    needs = Needs.of(info)
    assert needs.numbers == ()  # "7" names the project: a sentence need not state it
    sentence = "Vi ga bort ca. 325 tonn tegl fra Blokk 7 til en nabo."
    assert needs.admits(sentence, set(), find_numbers(sentence), set(), None)
    assert name_spans(sentence, info.scope.names) == [(33, 40)]


@pytest.mark.parametrize(
    "question",
    ["Hvor stort var energiforbruket i barnehagen i 2021?", "Hvor høy var gjelden?", "Hvor langt kørte bilerne?"],
)
def test_every_form_of_hvor_stor_asks_for_a_number(question: str) -> None:
    from rag.answer.query import parse_query

    assert parse_query(question).asks.quantity  # a sentence that only names the year is no answer


def test_a_figure_from_one_of_several_organisations_says_whose_it_is(answerer: Answerer) -> None:
    answer = answerer.ask("Hvor mange lokasjoner har selskapet i Norge?")  # no organisation named, two in the corpus
    assert answer.answer.startswith("Mini Norge: ")
    named = answerer.ask("Hvor mange lokasjoner har Mini Norge i Norge?")
    assert not named.answer.startswith("Mini Norge: ")  # asked about by name: no need to say whose
