"""How the text path weighs a question's words in a sentence: compound tails, and the name it is scoped to."""

from __future__ import annotations

from pathlib import Path

from rag.answer import Answerer
from rag.answer.answerer import Term
from rag.answer.query import parse_query
from rag.config import Settings
from rag.index import build_index, load_index
from rag.types import Chunk, Hit
from tests.conftest import FakeEmbedder


def test_a_compounds_last_part_is_found_in_a_sentence() -> None:
    term = Term(frozenset({"utslippsreduksjon"}), frozenset(), 1.0, word="utslippsreduksjon")
    assert term.match({"reduksjon", "resultat"}, set()) == 0.7  # "55 % reduksjon" answers "utslippsreduksjon"
    assert term.match({"utslippsreduksjon"}, set()) == 1.0
    assert term.match({"sjon"}, set()) == 0.0  # an ending is no word
    assert Term(frozenset({"reduksjon"}), frozenset(), 1.0, word="reduksjon").match({"reduksjon"}, set()) == 1.0


def _corpus(root: Path) -> Settings:
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "fjellbu-2022.txt").write_text(
        "Erfaringsrapport 2022\n\n"
        "1. Materialer\n\n"
        "Figuren viser at Fjellbu Kvartal oppnår en utslippsreduksjon på 81 % for materialene sammenlignet med "
        "referanseberegningen.\n\n"
        "2. Hele bygget\n\n"
        "Når vi ser på totalt klimagassregnskap mot et referansebygg, er utslippsreduksjonen 52 % for bygget.\n",
        encoding="utf-8",
    )
    (corpus / "havlys-2022.txt").write_text(
        "Årsrapport 2022\n\nHavlys Energi har redusert utslippene med 12 % sammenlignet med året før.\n",
        encoding="utf-8",
    )
    (corpus / "manifest.toml").write_text(
        '["fjellbu-2022.txt"]\ntitle = "Erfaringsrapport"\norganisation = "Fjellbu Kvartal"\nyear = 2022\n'
        'language = "nb"\n\n'
        '["havlys-2022.txt"]\ntitle = "Årsrapport"\norganisation = "Havlys Energi"\nyear = 2022\n'
        'language = "nb"\n',
        encoding="utf-8",
    )
    return Settings(corpus_dir=corpus, index_dir=root / "index")


def test_the_name_a_question_is_scoped_to_weighs_less_than_its_other_words(tmp_path: Path) -> None:
    """Every sentence of its reports is about the organisation asked about: a sentence naming it does not
    outrank one that holds the question's own words ("totalt", "referansebygg")."""
    settings = _corpus(tmp_path)
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder, progress=False)
    answerer = Answerer(load_index(settings.index_dir, settings, embedder), settings)
    question = "Hvor stor utslippsreduksjon oppnådde Fjellbu Kvartal totalt sammenlignet med et referansebygg?"
    answer = answerer.ask(question)
    assert "52" in answer.answer and "81" not in answer.answer, answer.answer


def test_a_sentence_in_the_questions_language_goes_first(tmp_path: Path) -> None:
    """One organisation's Danish and Norwegian reports saying the same: each asker gets their own language first,
    though retrieval ranked the other report's passage higher."""
    settings = _corpus(tmp_path)
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder, progress=False)
    answerer = Answerer(load_index(settings.index_dir, settings, embedder), settings)
    text = "Fjellbu Kvartal deltar i FN Global Compact siden 2015."
    chunks = [
        Chunk(f"c-{lang}", f"fjellbu-{lang}", "Rapport", text, 0, len(text), lang, year=2022)
        for lang in ("da", "nb")
    ]
    asked = (
        ("Hvilket FN-initiativ deltar Fjellbu Kvartal i?", "nb"),
        ("Hvilket FN-initiativ deltager Fjellbu Kvartal i?", "da"),
    )
    for question, language in asked:
        info = parse_query(question, 2022)
        assert info.language == language
        hits = [Hit(c, 1.0 / rank) for rank, c in enumerate(sorted(chunks, key=lambda c: c.language == language), 1)]
        assert answerer._candidates(hits, info)[0].chunk.language == language


def _one_report(root: Path, name: str, text: str, title: str, organisation: str, language: str) -> Answerer:
    """An answerer over one invented report of 2024, indexed with the fake embedder."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    (corpus / "manifest.toml").write_text(
        f'["{name}.txt"]\ntitle = "{title}"\norganisation = "{organisation}"\nyear = 2024\nlanguage = "{language}"\n',
        encoding="utf-8",
    )
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder, progress=False)
    return Answerer(load_index(settings.index_dir, settings, embedder), settings)


def test_a_sentence_must_speak_of_what_is_measured(tmp_path: Path) -> None:
    """"Hvor stor klimagassreduksjon …": a sentence sharing only the question's time words ("de neste tre årene")
    states another quantity (an area); the form's answer under the field naming the reduction is the evidence."""
    text = (
        "Sluttrapport 2024\n\n"
        "Klimaeffekter\n\n"
        "Beregnet klimagassreduksjon i CO2-ekvivalenter:\nCa. 40-50 tonn\n\n"
        "Hvilke resultater forventes i løpet av de neste tre årene?\n"
        "Vi regner med å gjenbruke fasadeplater i flere prosjekter de tre neste årene, med et omfang på rundt "
        "800 m2.\n"
    )
    answerer = _one_report(tmp_path, "solberg-2024", text, "Sluttrapport", "Solberg Idrettspark", "nb")
    answer = answerer.ask("Hvor stor klimagassreduksjon forventer Solberg Idrettspark de neste tre årene?")
    assert "800" not in answer.answer, answer.answer
    answer = answerer.ask("Hvor stor klimagassreduksjon har Solberg Idrettspark beregnet?")
    assert "40-50" in answer.answer, answer.answer


def test_a_sentence_speaks_of_the_year_the_sentence_before_it_names(tmp_path: Path) -> None:
    """"In 2024 we invested … rose by 6 %." then "Marketing investments/revenue rose to 8.7 %.": the second speaks of
    2024 too, and it holds more of the question; the first's written year does not make it the better answer."""
    text = (
        "Annual report 2024\n\nInvesting in our business\n\n"
        "In 2024, we invested in commercial tools, including within marketing, where investments increased by 6% "
        "organically. Marketing investments/revenue increased by 30bp to 8.7%. Our second priority is our leverage.\n"
    )
    answerer = _one_report(tmp_path, "brightwater-2024", text, "Annual report", "Brightwater Breweries", "en")
    answer = answerer.ask("Hvor stor en andel af omsætningen investerede Brightwater Breweries i marketing i 2024?")
    assert "8.7" in answer.answer or "8,7" in answer.answer, answer.answer


def test_a_forms_answer_without_a_full_stop_is_a_statement_not_a_heading(tmp_path: Path) -> None:
    """A form's answer line ("Vi har brukt ca 60 timer på …") is short and has no full stop, as a heading has; that
    it starts with the writer as its subject makes it a statement, and the evidence."""
    text = (
        "Sluttrapport 2024\n\n"
        "Tidsbruk\n\n"
        "Omtrent hvor mange ukeverk har kommunen brukt til å gjennomføre prosjektet?\n"
        "Vi har brukt ca 60 interne timer på dette gjenbruksprosjektet\n\n"
        "Hva kostet tiltaket?\n"
        "Demontering av fasadeplater: ca 120000 kr\n"
    )
    answerer = _one_report(tmp_path, "solberg-2024", text, "Sluttrapport", "Solberg Idrettspark", "nb")
    answer = answerer.ask("Hvor mange interne timer brukte Solberg Idrettspark på gjenbruksprosjektet?")
    assert "60" in answer.answer and not answer.abstained, answer.answer


def test_a_title_wrapped_over_lines_names_the_document(tmp_path: Path) -> None:
    """A front page's title wrapped mid-phrase ("Plan for" / "grønne boliger /" / "Kirkevang Have") is one title, so
    a question naming the project by it names the document's own subject (a name that weighs less than the words
    asked, as an organisation's does)."""
    text = (
        "> Plan for\nFremtidens grønne\nboliger / Kirkevang Have\n\n"  # ">": a title line, as the PDF reader marks it
        "Boligerne på Kirkevang Have er under opførelse, og de første beboere flytter ind til næste år.\n\n"
        "Vi erstatter asfalt med grus, og tujahækken med hyld og hassel. Det giver et bedre sted for dyr og "
        "planter, og det er billigere at vedligeholde.\n"
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kirkevang-plan.txt").write_text(text, encoding="utf-8")
    (corpus / "manifest.toml").write_text('["kirkevang-plan.txt"]\nlanguage = "da"\n', encoding="utf-8")  # no title
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder, progress=False)
    answerer = Answerer(load_index(settings.index_dir, settings, embedder), settings)
    assert answerer.index.documents["kirkevang-plan"].title == "Plan for Fremtidens grønne boliger / Kirkevang Have"
    assert answerer.scoper.resolve("Hvad skal tujahækken erstattes med ifølge planen for Kirkevang Have?").org_names
    answer = answerer.ask("Hvad skal tujahækken erstattes med ifølge planen for Kirkevang Have?")
    assert "hyld" in answer.answer, answer.answer


def test_a_unit_the_question_asks_in_is_found_in_whatever_words_the_sentence_states_it() -> None:
    """"(mia. kr.)" is found in "DKK 3.4bn", "procent" in "87%": the unit's kind, not its spelling, is asked for."""
    from rag.answer.answerer import _figure_units, _unit_spans
    from rag.text.numbers import find_numbers
    from rag.text.units import UnitKind

    question = "Hvor meget investerede Nordhavn Bryggeri i nye tappelinjer i 2024 (mia. kr.)?"
    spans = _unit_spans(question)
    assert [(question[a:b], kind) for a, b, kind in spans] == [("mia. kr.", UnitKind.MONEY)]
    assert _unit_spans("Hvor mange stk. solgte de i år?") == []  # "stk.", "år": no unit a figure is stated in
    sentence = "In 2024, we invested DKK 1.4bn in new bottling lines."
    kinds = _figure_units(sentence, find_numbers(sentence))
    assert kinds == {UnitKind.MONEY}
    money = Term(frozenset({"kr"}), frozenset(), 1.0, word="kr", unit=UnitKind.MONEY)
    assert money.match({"invest", "dkk", "bn"}, set(), kinds) == 1.0
    assert money.match({"invest"}, set(), frozenset({UnitKind.MASS})) == 0.0
    share = "The share of women in management rose in 2024."  # "share" as a word states no percentage
    assert _figure_units(share, find_numbers(share)) == frozenset()
    assert _figure_units("87% deltog i undersøgelsen", find_numbers("87% deltog i undersøgelsen")) == {
        UnitKind.PERCENT
    }


def test_an_english_sentence_answers_a_question_asked_in_another_units_words(tmp_path: Path) -> None:
    """Asked in Danish "(mia. kr.)", the English report says "DKK 1.4bn": the figure's unit is the one asked."""
    text = (
        "Annual report 2024\n\nInvesting in capacity\n\n"
        "Our new brewery in the north opened in March. In 2024, we invested DKK 1.4bn in new bottling lines, "
        "of which DKK 0.3bn in the new brewery.\n"
    )
    answerer = _one_report(tmp_path, "nordhavn-2024", text, "Annual report", "Nordhavn Bryggeri", "en")
    answer = answerer.ask("Hvor meget investerede Nordhavn Bryggeri i tappelinjer i 2024 (mia. kr.)?")
    assert "1.4bn" in answer.answer and "0.3" not in answer.answer, answer.answer
    assert "(mia. kr.)" not in answer.answer, answer.answer  # the unit asked in is the figure's, not echoed


def test_passages_of_table_rows_leave_the_prose_passages_places_to_prose(tmp_path: Path) -> None:
    """Retrieval ranks a table's text high for a question full of its words; those passages hold no sentence to
    quote, so the prose passage ranked after six of them is still read."""
    answerer = _one_report(tmp_path, "granly-2024", "Årsrapport 2024\n\nGranly Sparekasse.\n", "Årsrapport",
                           "Granly Sparekasse", "da")
    tables = [
        Chunk(f"t{k}", "granly-2024", "Årsrapport", f"Medarbejdere\t{310 + k}\t{305 + k}\t{298 + k}\n"
              f"Andel\t{k},1\t{k},4\t{k},6\nTilfredshed\t{70 + k}\t{71 + k}\t{69 + k}", 0, 60, "da", year=2024)
        for k in range(6)
    ]
    text = "• 93 % svarede på årets trivselsmåling blandt medarbejderne, der også dækker arbejdsmiljøet"
    prose = Chunk("p", "granly-2024", "Årsrapport", text, 0, len(text), "da", year=2024)
    info = parse_query("Hvor stor en andel af medarbejderne svarede på trivselsmålingen i 2024?", 2024)
    hits = [Hit(c, 1.0 / rank) for rank, c in enumerate([*tables, prose], start=1)]
    found = answerer._candidates(hits, info)
    assert [c.chunk.id for c in found] == ["p"], [(c.chunk.id, c.text) for c in found]
    assert found[0].hit_rank == 7  # ranked where retrieval put it


def test_in_its_own_report_a_sentence_need_not_name_the_organisation_asked_about(tmp_path: Path) -> None:
    """"Ultimo 2024 er antallet af aktionærer knap 42.000." answers "hvor mange aktionærer havde Granly Sparekasse"
    in Granly's own report; a sentence that names the bank beside another count of shareholders does not."""
    text = (
        "Årsrapport 2024\n\nAktien\n\n"
        "Aktiekapitalen udgør ultimo 2024 nominelt 310 mio. kr. Ultimo 2024 er antallet af aktionærer knap 42.000. "
        "To aktionærer har meddelt Granly Sparekasse, at de ejer mere end 5 % af aktiekapitalen.\n"
    )
    answerer = _one_report(tmp_path, "granly-2024", text, "Årsrapport", "Granly Sparekasse", "da")
    answer = answerer.ask("Hvor mange aktionærer havde Granly Sparekasse ved udgangen af 2024?")
    assert "42.000" in answer.answer and "To " not in answer.answer, answer.answer


def test_a_question_asked_in_a_physical_unit_is_answered_only_by_a_figure_in_that_unit(tmp_path: Path) -> None:
    """"Hvor mange tonn betong …": a sentence with a cost of the concrete work states no tonnes; one with "45 tonn"
    does."""
    cost = "Sluttrapport 2024\n\nBetong\n\nKnusing av betong fra rivingen kostet 52000 kr og ble ombrukt.\n"
    answerer = _one_report(tmp_path / "a", "solberg-2024", cost, "Sluttrapport", "Solberg Idrettspark", "nb")
    answer = answerer.ask("Hvor mange tonn betong ble ombrukt på Solberg Idrettspark?")
    assert answer.abstained, answer.answer
    mass = cost.replace("Knusing av betong fra rivingen kostet 52000 kr og ble ombrukt",
                        "Det ble ombrukt ca. 45 tonn betong fra rivingen")
    answerer = _one_report(tmp_path / "b", "solberg-2024", mass, "Sluttrapport", "Solberg Idrettspark", "nb")
    answer = answerer.ask("Hvor mange tonn betong ble ombrukt på Solberg Idrettspark?")
    assert "45 tonn" in answer.answer, answer.answer
