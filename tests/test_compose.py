"""Written answers: the span of the wanted kind is found in the evidence and the question becomes its answer.

The fixtures are invented organisations (Nordlys AS in Danish, Fjellkraft AS in Norwegian, an English sentence),
so nothing here depends on the bundled corpus.
"""

from __future__ import annotations

import pytest

from rag.answer.compose import Evidence, compose_answer, explain_gap, statement, third_person
from rag.answer.grounding import ungrounded_numbers
from rag.answer.query import AnswerKind, answer_kind, parse_query
from rag.text.sentences import split_sentences
from rag.types import Chunk, DocMeta, Fact, Language

ORGS = {
    "nordlys": ("Nordlys AS", "da"),
    "fjellkraft": ("Fjellkraft AS", "nb"),
    "windco": ("Nordlys AS", "da"),
    "harbour": ("Harbour Foods Ltd", "en"),  # an English report, English notation ("96,795" is 96795)
}


def evidence(raw: str, doc: str = "nordlys", passage: str | None = None) -> Evidence:
    organisation, language = ORGS[doc]
    lang: Language = "da" if language == "da" else "en" if language == "en" else "nb"
    chunk = Chunk(
        id=f"{doc}-1",
        doc_id=f"{doc}-rapport",
        title=f"{organisation} rapport",
        text=passage or raw,
        start=0,
        end=len(passage or raw),
        language=lang,
        organisation=organisation,
        year=2024,
        english_notation=lang == "en",
    )
    return Evidence(" ".join(raw.split()), raw, chunk, 1.0)


def answer(question: str, *parts: Evidence, others: tuple[Evidence, ...] = ()) -> str:
    composed = compose_answer(parse_query(question), parts, others)
    # every number is in a cited quote, or re-printed by code from one (another notation)
    assert ungrounded_numbers(composed.text, composed.citations, composed.computed) == []
    return composed.text


@pytest.mark.parametrize(
    ("question", "kind", "wh"),
    [
        ("Hvem er administrerende direktør i Nordlys AS?", AnswerKind.PERSON, "Hvem"),
        ("Hvor mange lærlinger hadde Fjellkraft AS i 2023?", AnswerKind.COUNT, "Hvor mange"),
        ("Hvor stor andel av leverandørene svarte?", AnswerKind.QUANTITY, "Hvor stor andel"),
        ("Fra hvilket år har Fjellkraft AS rapportert utslipp?", AnswerKind.DATE, "hvilket år"),
        ("Hvornår åbnede laboratoriet?", AnswerKind.DATE, "Hvornår"),
        ("Hvor ligger hovedkontoret?", AnswerKind.PLACE, "Hvor"),
        ("I hvilket land ligger fabrikken?", AnswerKind.PLACE, "hvilket land"),
        ("Hvilke certificeringer har Nordlys AS?", AnswerKind.LIST, "Hvilke certificeringer"),
        ("Hvilket system bruger Nordlys AS?", AnswerKind.NAME, "Hvilket system"),
        ("Hvad hedder kantinen?", AnswerKind.NAME, "Hvad"),
        ("Hvorfor steg energiforbruget?", AnswerKind.STATEMENT, None),
        ("Med hvilken sats er utsatt skatt beregnet?", AnswerKind.QUANTITY, "hvilken sats"),
    ],
)
def test_the_kind_of_answer_is_parsed_once_with_the_question(question: str, kind: AnswerKind, wh: str | None) -> None:
    assert answer_kind(question) == (kind, wh)
    assert parse_query(question).asks.kind is kind


# --- who ------------------------------------------------------------------------------------------------------


def test_who_reads_the_name_after_the_role_not_the_signature_line() -> None:
    raw = "V/administrerende direktør Ola Berg kontakt@nordlys.dk"
    text = answer("Hvem er administrerende direktør i Nordlys AS?", evidence(raw))
    assert text == "Administrerende direktør i Nordlys AS er Ola Berg [1]."


def test_who_reads_a_signature_name_line_and_leaves_out_a_year_no_quote_states() -> None:
    raw = "Kari Nordmann\nStyreleder"
    text = answer("Hvem var styreleder i Fjellkraft AS i 2023?", evidence(raw, "fjellkraft"))
    assert text == "Styreleder i Fjellkraft AS var Kari Nordmann [1]."


def test_who_prefers_the_named_person_to_a_partner_after_med() -> None:
    first = evidence("I samarbejde med Dansk Førstehjælp kårede Nordlys AS årets frivillige i 2024.")
    second = evidence("Den 17-årige Signe Holm reddede en nabo fra en brand.")
    text = answer("Hvem blev kåret som årets frivillige i 2024?", first, second)
    assert text == "Signe Holm blev kåret som årets frivillige i 2024 [1]."


def test_who_with_a_stranded_preposition_puts_the_name_after_it() -> None:
    raw = "Sammen med Skolefonden har vi udviklet et forløb om trivsel for 8. klasse."
    text = answer("Hvem har Nordlys AS udviklet forløbet sammen med?", evidence(raw))
    assert text == "Nordlys AS har udviklet forløbet sammen med Skolefonden [1]."


def test_who_from_an_english_sentence() -> None:
    raw = "The audit of the climate accounts was carried out by Nordic Assurance Partners."
    text = answer("Hvem gennemførte revisionen af klimaregnskabet?", evidence(raw, "windco"))
    assert text == "Nordic Assurance Partners gennemførte revisionen af klimaregnskabet [1]."


# --- how many -------------------------------------------------------------------------------------------------


def test_how_many_gives_the_number_with_its_noun_after_the_stranded_preposition() -> None:
    raw = "I 2024 nåede projektet Grøn Start ud til 14 kommuner i Region Nord."
    text = answer("Hvor mange kommuner nåede projektet ud til i 2024?", evidence(raw))
    assert text == "Projektet nåede ud til 14 kommuner i 2024 [1]."


def test_how_many_in_norwegian_keeps_the_number_as_printed() -> None:
    raw = "Ved utgangen av 2023 hadde vi 1.027 lærlinger fordelt på fem avdelinger."
    text = answer("Hvor mange lærlinger hadde Fjellkraft AS i 2023?", evidence(raw, "fjellkraft"))
    assert text == "Fjellkraft AS hadde 1.027 lærlinger i 2023 [1]."


def test_how_many_takes_the_number_next_to_the_thing_counted_and_its_qualifier() -> None:
    raw = "Vi har over 300 medarbeidere fordelt på våre 9 verksteder i Norge."
    assert answer("Hvor mange verksteder har Fjellkraft AS?", evidence(raw, "fjellkraft")) == (
        "Fjellkraft AS har 9 verksteder [1]."
    )
    assert answer("Hvor mange medarbeidere har Fjellkraft AS?", evidence(raw, "fjellkraft")) == (
        "Fjellkraft AS har over 300 medarbeidere [1]."
    )


def test_how_many_when_the_counted_noun_is_the_subject() -> None:
    raw = "Totalt 137 av våre leverandører ble bedt om å svare på skjemaet."
    text = answer("Hvor mange leverandører ble bedt om å svare på skjemaet?", evidence(raw, "fjellkraft"))
    assert text == "Totalt 137 leverandører ble bedt om å svare på skjemaet [1]."


def test_how_big_a_share_gives_the_percentage_near_the_question_words() -> None:
    raw = "Av leverandørene som har svart (66 %), er snittscoren 84 % av 100 % mulige."
    text = answer("Hvor stor andel av leverandørene svarte på skjemaet?", evidence(raw, "fjellkraft"))
    assert text == "66 % av leverandørene svarte på skjemaet [1]."


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (  # "hvor mange af X": a part of X, not the number counting X
            "Hvor mange af indikatorerne var helt opfyldt?",
            "Ud af 120 indikatorer var de 118 helt opfyldt og 2 delvist.",
            "118 af indikatorerne var helt opfyldt [1].",
        ),
        (  # "hvor meget steg X": the amount of change, not another figure of the sentence
            "Hvor meget steg brugen af appen i 2024?",
            "I 2024 brugte over 20.000 kunder appen, en stigning på 8 % i forhold til året før.",
            "Med 8 % steg brugen af appen i 2024 [1].",
        ),
        (  # a range is one answer
            "Hvilken belægningsprocent sigter Nordlys Hospital efter?",
            "Vores belægningsprocent skal ligge på 85 – 95 % i døgngennemsnit.",
            "Nordlys Hospital sigter efter 85 – 95 % [1].",
        ),
        (  # a unit stays with its figure
            "Hvor meget CO2 sparede Nordlys AS med genbrug?",
            "Genbruget af it-udstyr sparede 1.240 kg CO2 i 2024.",
            "1.240 kg CO2 sparede Nordlys AS med genbrug [1].",
        ),
    ],
)
def test_how_much_reads_the_figure_the_question_asks_for(question: str, raw: str, expected: str) -> None:
    assert answer(question, evidence(raw)) == expected


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (  # the figure followed by another year is that year's; the number the question names is no answer
            "Hvor højt var Nordlys' søjle 2-tillæg ultimo 2024?",
            "Ultimo 2024 er søjle 2 tillægget på 3,4 % mod 2,9 % ultimo 2023.",
            "Nordlys' søjle 2-tillæg ultimo 2024 var 3,4 % [1].",
        ),
        (  # "hvor mange kg X": the amount of X in kg, said once
            "Hvor mange kg tegl ble gjenbrukt i Fjellkraft-prosjektet?",
            "I prosjektet ble 41 200 kg tegl gjenbrukt, resten ble knust.",
            "41 200 kg tegl ble gjenbrukt i Fjellkraft-prosjektet [1].",
        ),
    ],
)
def test_a_quantity_is_the_figure_of_the_asked_year_and_thing(question: str, raw: str, expected: str) -> None:
    assert answer(question, evidence(raw, "fjellkraft" if "ble" in raw else "nordlys")) == expected


def test_a_rate_asked_with_hvilken_sats_is_answered_with_the_figure() -> None:
    raw = "Utsatt skatt er beregnet med 22 % på grunnlag av midlertidige forskjeller."
    text = answer("Med hvilken sats er utsatt skatt beregnet i Fjellkrafts årsregnskap?", evidence(raw, "fjellkraft"))
    assert text == "Med 22 % er utsatt skatt beregnet i Fjellkrafts årsregnskap [1]."


# --- when -----------------------------------------------------------------------------------------------------


def test_when_gives_the_date_with_its_preposition_first() -> None:
    raw = "Det nye laboratorium i Aarhus åbnede i marts 2022 og har plads til 40 forskere."
    text = answer("Hvornår åbnede Nordlys AS sit nye laboratorium?", evidence(raw))
    assert text == "I marts 2022 åbnede Nordlys AS sit nye laboratorium [1]."


def test_from_which_year_in_norwegian() -> None:
    raw = "Siden 2019 har vi rapportert klimagassutslipp etter GHG-protokollen."
    text = answer("Fra hvilket år har Fjellkraft AS rapportert klimagassutslipp?", evidence(raw, "fjellkraft"))
    assert text == "Fra 2019 har Fjellkraft AS rapportert klimagassutslipp [1]."


def test_when_from_an_english_sentence() -> None:
    raw = "The wind farm was commissioned in 2021 and supplies 30 000 homes."
    text = answer("Hvornår blev vindmølleparken sat i drift?", evidence(raw, "windco"))
    assert text == "I 2021 blev vindmølleparken sat i drift [1]."


@pytest.mark.parametrize(
    ("question", "raw", "org", "expected"),
    [
        (  # the day stays with its month, and an English month is written as the question's language writes it
            "Hvornår blev opkøbet af bryggeriet gennemført?",
            "The acquisition of the brewery was completed on 16 January 2025.",
            "windco",
            "Den 16. januar 2025 blev opkøbet af bryggeriet gennemført [1].",
        ),
        (
            "Når ble den nye fabrikken åpnet?",
            "The new plant opened on 3 March 2023 after two years of construction.",
            "windco",
            "Den 3. mars 2023 ble den nye fabrikken åpnet [1].",
        ),
        (  # a Danish date keeps its own form
            "Hvornår åbnede Nordlys AS sit nye laboratorium?",
            "Laboratoriet åbnede den 1. september 2022 med plads til 40 forskere.",
            "nordlys",
            "Den 1. september 2022 åbnede Nordlys AS sit nye laboratorium [1].",
        ),
        (  # a month without a day: the month in the question's language
            "Hvornår blev vindmølleparken sat i drift?",
            "The wind farm was commissioned in October 2021.",
            "windco",
            "I oktober 2021 blev vindmølleparken sat i drift [1].",
        ),
    ],
)
def test_when_gives_the_whole_date_in_the_questions_language(question: str, raw: str, org: str, expected: str) -> None:
    assert answer(question, evidence(raw, org)) == expected


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (  # the figure in the question's language and notation; the quote keeps the report's
            "Hvad var vandforbruget for Harbour Foods Ltd i 2023?",
            "Water consumption was 96,795 m3 in 2023, down from 101,200 m3 in 2022.",
            "Vandforbruget for Harbour Foods Ltd var 96.795 m3 i 2023 [1].",
        ),
        (
            "Hva var drivstofforbruket til Harbour Foods Ltd i 2024?",
            "In 2024, fuel consumption stood at 56,384.5 litres.",
            "Drivstofforbruket til Harbour Foods Ltd var 56.384,5 litres i 2024 [1].",
        ),
        (  # the year asked, and the year before's figure beside it
            "Hvad var farligt affald for Harbour Foods Ltd i 2024?",
            "Hazardous waste amounted to 648.0 tonnes in 2024, against 549.2 tonnes the year before.",
            "Farligt affald for Harbour Foods Ltd var 648,0 tonnes i 2024 [1].",
        ),
        (  # the year before's figure, asked for that year
            "Hvad var farligt affald for Harbour Foods Ltd i 2023?",
            "Hazardous waste amounted to 648.0 tonnes in 2024, against 549.2 tonnes the year before.",
            "Farligt affald for Harbour Foods Ltd var 549,2 tonnes i 2023 [1].",
        ),
        (  # the sentence does not date the figure in the year asked: no sentence of ours claims it
            "Hvad var LTIFR for Harbour Foods Ltd i 2022?",
            "The key figure LTIFR ended 2023 at 7.2 per million hours, against 6.4 the year before.",
            "The key figure LTIFR ended 2023 at 7,2 per million hours, against 6,4 the year before [1].",
        ),
    ],
)
def test_a_figure_from_an_english_sentence_is_answered_in_the_questions_words(
    question: str, raw: str, expected: str
) -> None:
    assert answer(question, evidence(raw, "harbour")) == expected


@pytest.mark.parametrize(
    ("next_sentence", "expected"),
    [
        (  # the sentence after goes on with the topic and names the firm
            "Honoraret for andre ydelser leveret af Revisa Partnerselskab omfatter review af delårsrapporter.",
            "Revisa Partnerselskab er valgt revisor for Nordlys AS [1].",
        ),
        (  # a sentence on something else names no answer
            "Direktør Hanne Holm takker medarbejderne for et godt år.",
            "Udover honorar til de valgte revisorer er der afholdt udgifter til intern revision [1].",
        ),
    ],
)
def test_which_firm_reads_the_sentence_after_when_it_goes_on_with_the_topic(next_sentence: str, expected: str) -> None:
    raw = "Udover honorar til de valgte revisorer er der afholdt udgifter til intern revision."
    passage = f"{raw} {next_sentence}"
    assert answer("Hvilket revisionsfirma er valgt revisor for Nordlys AS?", evidence(raw, passage=passage)) == expected


# --- where, which one -----------------------------------------------------------------------------------------


def test_where_gives_the_place_and_an_address() -> None:
    raw = "Fjellkraft AS har hovedkontor i Kraftveien 12 i Bergen og er registrert i Norge."
    text = answer("Hvor ligger hovedkontoret til Fjellkraft AS?", evidence(raw, "fjellkraft"))
    assert text == "I Kraftveien 12 i Bergen ligger hovedkontoret til Fjellkraft AS [1]."


def test_which_one_names_the_thing_built_on_the_word_asked_about() -> None:
    raw = "Vi har installeret et Watt Watch system, der måler el og vand på alle matrikler."
    text = answer("Hvilket system bruger Nordlys AS til at måle elforbruget?", evidence(raw))
    assert text == "Nordlys AS bruger Watt Watch system til at måle elforbruget [1]."


def test_what_is_it_called_gives_the_title_after_the_word_asked_about() -> None:
    raw = "Derfor har vi lanceret podcasten «Grønne Skridt», hvor medarbejdere fortæller om klimaet."
    text = answer("Hvad hedder Nordlys AS' podcast om klimaet?", evidence(raw))
    assert text == "Nordlys AS' podcast om klimaet hedder «Grønne Skridt» [1]."


def test_a_close_runner_up_that_holds_the_kind_asked_for_answers() -> None:
    """The best sentence names no system (no place); the runner-up does, and is the one cited."""
    best = evidence("Boligerne i Solbakken er under opførelse.", "fjellkraft")
    runner_up = evidence("Vi introduserer byggesystemet Granhus i alle boligene.", "fjellkraft", passage="Del 2.")
    composed = compose_answer(parse_query("Hvilket byggesystem brukes i Solbakken?"), [best], [runner_up])
    assert composed.text == "Granhus brukes i Solbakken [1]."
    assert [c.quote for c in composed.citations] == [runner_up.text]
    listed = evidence("Leverandørene ligger i følgende land:", "fjellkraft")
    located = evidence("De fleste leverandørene ligger i Norge.", "fjellkraft")
    place = answer("I hvilket land ligger leverandørene?", listed, others=(located,))
    assert place == "I Norge ligger leverandørene [1]."


# --- which (a list) -------------------------------------------------------------------------------------------


def test_which_gives_a_list_with_a_citation_per_source() -> None:
    first = evidence("Nordlys AS er certificeret efter ISO 50001 og ISO 45001.")
    second = evidence("Desuden har vores kontorer certificeringerne EMAS og Svanemærket.", passage="Andet afsnit.")
    text = answer("Hvilke certificeringer har Nordlys AS?", first, others=(second,))
    assert text == "Følgende certificeringer har Nordlys AS: ISO 50001 [1], ISO 45001 [1], EMAS [2] og Svanemærket [2]."


def test_which_in_norwegian_from_one_sentence_has_one_citation() -> None:
    raw = "Spørreundersøkelsen dekker temaene «Miljø», «Helse og sikkerhet» og «Likestilling»."
    text = answer("Hvilke temaer dekker spørreundersøkelsen?", evidence(raw, "fjellkraft"))
    assert text == "Følgende temaer dekker spørreundersøkelsen: «Miljø», «Helse og sikkerhet» og «Likestilling» [1]."


# --- no span: a short statement -------------------------------------------------------------------------------


def test_without_a_span_the_best_sentence_is_told_in_the_third_person() -> None:
    raw = "Vi har i 2024 åbnet et nyt datacenter, og derfor steg vores energiforbrug med 12 %."
    text = answer("Hvorfor steg energiforbruget?", evidence(raw))
    assert text == "Nordlys AS har i 2024 åbnet et nyt datacenter, og derfor steg deres energiforbrug med 12 % [1]."


def test_a_long_sentence_is_cut_to_the_clauses_about_the_question() -> None:
    raw = (
        "Som led i vores langsigtede strategi for ansvarlig drift, der blev vedtaget af bestyrelsen efter en lang "
        "proces med inddragelse af alle afdelinger, kunder og leverandører, har vi besluttet at udfase fossile "
        "brændsler i vores varebiler, og frem mod 2030 skal hele flåden køre på el."
    )
    text = statement(evidence(raw), parse_query("Hvornår skal flåden køre på el?"))
    assert len(text) <= 240 and "2030" in text and "hele flåden køre på el" in text


def test_no_email_bullet_or_first_person_in_a_statement() -> None:
    raw = "• Spørsmål om rapporten kan sendes til oss på post@fjellkraft.no"
    text = statement(evidence(raw, "fjellkraft"), parse_query("Hvordan kan jeg stille spørsmål om rapporten?"))
    assert text == "Spørsmål om rapporten kan sendes til dem"
    assert third_person("Vi har 9 verksteder, og vores folk er stolte.", "Fjellkraft AS", "nb") == (
        "Fjellkraft AS har 9 verksteder, og deres folk er stolte."
    )
    assert third_person("Sertifiseringene våre fornyes årlig.", "Fjellkraft AS", "nb") == (
        "Sertifiseringene deres fornyes årlig."
    )


def test_the_quote_stays_the_evidence_sentence() -> None:
    raw = "Ved utgangen av 2023 hadde vi 1.027 lærlinger fordelt på fem avdelinger."
    composed = compose_answer(
        parse_query("Hvor mange lærlinger hadde Fjellkraft AS i 2023?"), [evidence(raw, "fjellkraft")]
    )
    assert composed.kind is AnswerKind.COUNT
    [citation] = composed.citations
    assert (citation.n, citation.doc_id, citation.quote) == (1, "fjellkraft-rapport", raw)


# --- abstentions that help ------------------------------------------------------------------------------------

DOCUMENTS = {
    "nordlys-2023": DocMeta("nordlys-2023", "Nordlys AS rapport 2023", "da", 2023, "Nordlys AS", "DK"),
    "fjellkraft-2024": DocMeta("fjellkraft-2024", "Fjellkraft AS rapport 2024", "nb", 2024, "Fjellkraft AS", "NO"),
}


def fact(year: int, value: float) -> Fact:
    return Fact(
        metric="Sygefravær",
        metric_key="sygefravaer",
        year=year,
        value_text=str(value).replace(".", ","),
        value=value,
        unit="%",
        doc_id="nordlys-2023",
        source_text=f"Sygefravær % {value}",
        start=0,
        end=10,
    )


FACTS = [fact(2021, 3.1), fact(2022, 3.4), fact(2023, 2.9)]


def test_an_abstention_says_which_organisation_reports_the_subject() -> None:
    gap = explain_gap(parse_query("Hva var sykefraværet i Fjellkraft AS i 2024?"), [], DOCUMENTS, FACTS)
    assert gap is not None
    assert gap.text == "Rapportene har ikke sykefraværet for Fjellkraft AS i 2024; de har det for Nordlys AS 2021–2023."
    assert gap.suggestions == ("Hva var sykefraværet hos Nordlys AS i 2023?",)


def test_an_abstention_says_which_years_the_reports_cover() -> None:
    gap = explain_gap(parse_query("Hvad var sygefraværet i 2019?"), [], DOCUMENTS, FACTS)
    assert gap is not None
    assert gap.text == "Rapporterne har ikke sygefraværet for 2019; de har det for Nordlys AS 2021–2023."
    assert gap.suggestions == ("Hvad var sygefraværet i 2021?",)


def test_an_abstention_for_a_country_suggests_the_country_that_reports_it() -> None:
    gap = explain_gap(parse_query("Hva var sykefraværet i Norge?"), [], DOCUMENTS, FACTS)
    assert gap is not None
    assert gap.text == "Rapportene har ikke sykefraværet for Norge; de har det for Nordlys AS 2021–2023."
    assert gap.suggestions == ("Hva var sykefraværet i Danmark?",)


def test_no_gap_when_the_scope_asked_holds_the_subject_or_nothing_is_named() -> None:
    assert explain_gap(parse_query("Hvad var sygefraværet i 2022?"), [], DOCUMENTS, FACTS) is None
    assert explain_gap(parse_query("Hvad var sygefraværet?"), [], DOCUMENTS, FACTS) is None
    assert explain_gap(parse_query("Hvad var vandforbruget i 2019?"), [], DOCUMENTS, FACTS) is None


# --- the one sentence splitter --------------------------------------------------------------------------------


def test_one_splitter_for_passages_and_answers() -> None:
    from rag.text.sentences import split_answer

    assert split_sentences("Vi har ca. 300 ansatte. I 2024 åbnede vi 2 nye klinikker.") == [
        "Vi har ca. 300 ansatte.",
        "I 2024 åbnede vi 2 nye klinikker.",
    ]
    assert split_answer("Tallet var 3,18 % [1]. [2] 2024 var det 2,64 % [2].\n- Et punkt [3]") == [
        "Tallet var 3,18 % [1]. [2]",
        "2024 var det 2,64 % [2].",
        "Et punkt [3]",
    ]


@pytest.mark.parametrize(
    ("question", "read_as", "kind"),
    [
        ("Kor mange tilsette hadde selskapet i 2024?", "Hvor mange tilsette hadde selskapet i 2024?", AnswerKind.COUNT),
        ("Kva var sjukefråværet i 2024?", "Hva var sjukefråværet i 2024?", AnswerKind.STATEMENT),
        ("Kor mykje betalte dei i løn?", "Hvor mye betalte dei i løn?", AnswerKind.QUANTITY),
    ],
)
def test_a_nynorsk_question_is_read_with_bokmaal_question_words(question: str, read_as: str, kind: AnswerKind) -> None:
    info = parse_query(question)
    assert (info.language, info.text, info.asks.kind) == ("nb", read_as, kind)
    assert parse_query("Hvor mange kor har byen?").text == "Hvor mange kor har byen?"  # Danish "kor" is a choir


def test_how_much_lower_is_answered_by_the_figure_beside_the_comparative() -> None:
    said = evidence(
        "Totalt klimagassutslipp for bygget er beregnet til 212,4 kg CO2e/m2, som er 38 % lavere enn referansebygget.",
        doc="fjellkraft",
    )
    assert answer("Hvor mye lavere var utslippet enn referansebygget?", said) == (
        "Utslippet var 38 % lavere enn referansebygget [1]."
    )


def test_of_two_amounts_equally_near_the_question_the_one_of_the_year_asked_is_the_answer() -> None:
    """"DKK 9bn since 2020, of which DKK 1.5bn in 2024": both stand beside "shares"; the year decides."""
    text = answer(
        "Hvor mange aktier købte Nordlys tilbage for i 2024 (mia. kr.)?",
        evidence("Since 2020, we have bought back shares amounting to DKK 9bn, of which shares worth DKK 1.5bn were "
                 "bought back in 2024."),
    )
    assert "1.5bn" in text and "9bn" not in text, text


def test_a_question_asked_in_money_wants_an_amount_not_a_count() -> None:
    """"Hvor mange aktier … for (mia. kr.)": the unit asked in makes it an amount; "hvor mange aktionærer" counts."""
    asks = parse_query("Hvor mange aktier købte Nordlys tilbage for i 2024 (mia. kr.)?").asks
    assert (asks.kind, asks.counted) == (AnswerKind.QUANTITY, None)
    asks = parse_query("Hvor mange aktionærer havde Nordlys ultimo 2024?").asks
    assert (asks.kind, asks.counted) == (AnswerKind.COUNT, "aktionærer")
    asks = parse_query("Hvor mange kWh/m2 bruker Nordlys-bygget per år?").asks  # a unit, not things counted
    assert (asks.kind, asks.counted) == (AnswerKind.QUANTITY, None)


def test_the_best_sentences_count_goes_before_one_in_the_sentence_that_completes_it() -> None:
    """"aktionærer knap 42.000" in the best sentence, "To aktionærer" in the one quoted after it: the first answers."""
    text = answer(
        "Hvor mange aktionærer havde Nordlys ultimo 2024?",
        evidence("Ultimo 2024 er antallet af aktionærer knap 42.000."),
        evidence("To aktionærer har meddelt Nordlys, at de ejer mere end 5 % af aktiekapitalen."),
    )
    assert "42.000" in text and "To " not in text, text
