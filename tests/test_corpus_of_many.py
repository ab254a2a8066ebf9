"""Figure questions in a corpus of several organisations and languages, as the generated-corpus evaluation asks them.

Each test pins a mechanism the figure questions on generated reports (`rag.eval.synthetic_qa`) showed missing:
a Danish or Norwegian question quoting an English report's label, an organisation whose legal form is written in
lower case or whose name holds a group word, two organisations sharing a name's first word, rows divided by
an amount of money, rows that say they are the group's, and references to a section read as figures. The
organisations, labels and figures are invented.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from rag.answer.figures import answer_figure
from rag.answer.query import parse_query
from rag.answer.rows import RowIndex
from rag.answer.scope import Scoper, question_names
from rag.eval.synthetic import generate_corpus
from rag.eval.synthetic_qa import (
    FigureQuestion,
    breakdown,
    build_corpus,
    figure_value,
    report_questions,
    summary_lines,
)
from rag.ingest.files import load_manifest, read_document
from rag.text.analysis import cognate_key
from rag.text.units import UnitKind, is_count_word, ratio
from rag.types import Chunk, DocMeta, Fact
from tests.ask import ask_rows, table_row

SALTVIK = DocMeta("saltvik-2024", "Annual report 2024", "en", 2024, "Saltvik Seafood plc", "GB")
HEGRE = DocMeta("hegre-2024", "Bærekraftsrapport 2024", "nb", 2024, "Hegre Energi AS", "NO")
HEGRE_FISK = DocMeta("hegre-fisk-2024", "Bærekraftsrapport 2024", "nb", 2024, "Hegre Fisk AS", "NO")
KVIST = DocMeta("kvist-2024", "Bæredygtighedsrapport 2024", "da", 2024, "Kvist Mølle A/S", "DK")
BRAKE = DocMeta("brake-2024", "Annual report 2024", "en", 2024, "Brake Ferries Group plc", "GB")
DOCS = {m.doc_id: m for m in (SALTVIK, HEGRE, HEGRE_FISK, BRAKE, KVIST)}
CHUNKS = [
    Chunk("c1", "saltvik-2024", "Saltvik", "Saltvik Seafood plc farms salmon. The group reports its energy use.",
          0, 70, "en", organisation="Saltvik Seafood plc"),
    Chunk("c2", "hegre-2024", "Hegre", "Hegre Energi AS selger energi. Vi bruker energi fra vind og energi fra sol.",
          0, 80, "nb", organisation="Hegre Energi AS"),
    Chunk("c3", "hegre-fisk-2024", "Hegre Fisk", "Hegre Fisk AS bruker energi i produksjonen av fisk.",
          0, 60, "nb", organisation="Hegre Fisk AS"),
    Chunk("c5", "kvist-2024", "Kvist", "Kvist Mølle A/S maler korn. Møllen bruger papir og energi.",
          0, 60, "da", organisation="Kvist Mølle A/S"),
    Chunk("c4", "brake-2024", "Brake", "Brake Ferries Group plc sails ferries. The group invests in new ships.",
          0, 70, "en", organisation="Brake Ferries Group plc"),
]  # fmt: skip


def _facts() -> list[Fact]:
    return [
        *table_row("saltvik-2024", "Lost-time injuries abroad", {2024: "231", 2023: "223"}, "Table 3. Safety", 100,
                   unit="number"),
        *table_row("saltvik-2024", "Lost-time injuries at offices", {2024: "12", 2023: "15"}, "Table 3. Safety", 200,
                   unit="number"),
        *table_row("saltvik-2024", "Energy intensity", {2024: "4,55", 2023: "4,81"}, "Table 3. Safety", 250,
                   unit="MWh/GBPm"),
        *table_row("saltvik-2024", "Number of apprentices for all sites in the group", {2024: "265", 2023: "240"},
                   "Table 4. Social data", 300, unit="number"),
        *table_row("saltvik-2024", "Number of employees", {2024: "1480", 2023: "1402"}, "Table 4. Social data", 400,
                   unit="number"),
        *table_row("saltvik-2024", "Fuel consumption", {2024: "3870", 2023: "4112"}, "Table 5. Energy", 450,
                   unit="MWh"),
        *table_row("hegre-2024", "Energiintensitet (MWh/mill. kr.)", {2024: "8,34", 2023: "8,91"},
                   "Tabell 2. Energi", 500),
        *table_row("hegre-2024", "Energiforbruk", {2024: "41.200", 2023: "44.950"}, "Tabell 2. Energi", 600,
                   unit="MWh"),
        *table_row("hegre-2024", "Farlig avfall", {2024: "158,9", 2023: "161,8"}, "Tabell 3. Ressurser", 700,
                   unit="tonn"),
        *table_row("hegre-2024", "Farlig avfall i konsernet", {2024: "263,3", 2023: "309,8"}, "Tabell 4. Ressurser",
                   800, unit="tonn"),
        *table_row("hegre-fisk-2024", "Energiforbruk", {2024: "7.310", 2023: "7.020"}, "Tabell 1. Energi", 900,
                   unit="MWh"),
        *table_row("kvist-2024", "Papirforbrug for datterselskaber", {2024: "2,57", 2023: "2,91"},
                   "Tabel 2. Ressourcer", 1100, unit="tons"),
        *table_row("kvist-2024", "Papirforbrug i produktionen", {2024: "3,10", 2023: "3,32"}, "Tabel 2. Ressourcer",
                   1200, unit="tons"),
        *table_row("kvist-2024", "Udledningsintensitet (tCO2e/mio. kr.)", {2024: "8,10", 2023: "8,62"},
                   "Tabel 3. Klimaregnskab", 1300),
        *table_row("kvist-2024", "Farligt affald (tons)", {2024: "158,9", 2023: "161,8"}, "Tabel 4. Affald", 1400),
        *table_row("kvist-2024", "Farligt affald på kontorerne", {2024: "52,3", 2023: "49,0"}, "Tabel 4. Affald", 1500,
                   unit="tons"),
        *table_row("kvist-2024", "Glasuld", {2024: "260"}, "Tabel 5. Materialer", 1600, unit="stk.",
                   qualifier="Mængde"),
        *table_row("kvist-2024", "Glasuld", {2024: "271.875"}, "Tabel 5. Materialer", 1600, unit="kg CO2e",
                   qualifier="kg CO2e"),
        *table_row("kvist-2024", "Nærvedhændelser", {2024: "41", 2023: "37"}, "Tabel 6. Sikkerhed", 1700),
        *table_row("brake-2024", "Investments", {2024: "24193", 2023: "29513"}, "Table 2. Key figures", 1000,
                   unit="EURm"),
    ]


def _ask(question: str) -> str | None:
    facts = _facts()
    info = replace(parse_query(question, 2024), scope=Scoper(DOCS, CHUNKS).resolve(question))
    answer = answer_figure(info, facts, DOCS, rows=RowIndex(facts, DOCS))
    return None if answer is None else answer.text


def test_a_danish_question_quoting_an_english_label_is_stemmed_as_english_too() -> None:
    # Danish stems "time" to "tim" and keeps "energy", "intensity"; English keeps "time" and stems "energi",
    # "intens": the rows were out of reach of their own words.
    assert _ask("Hvad var lost-time injuries abroad for Saltvik Seafood plc i 2024?") == (
        "Lost-time injuries abroad var 231 i 2024 [1]."
    )
    answer = _ask("Hvad var energy intensity for Saltvik Seafood plc i 2023?")
    assert answer is not None and answer.startswith("Energy intensity var 4,81")


def test_english_function_words_in_a_norwegian_question_are_no_content_words() -> None:
    # "for", "all", "in", "the" are no words the English row keeps; counted as asked words, they sank every row.
    answer = _ask("Hva var number of apprentices for all sites in the group for Saltvik Seafood plc i 2023?")
    assert answer is not None and "240" in answer


def test_a_legal_form_in_lower_case_ends_the_name() -> None:
    names = question_names("Hvad var lost-time injuries for Saltvik Seafood plc i 2024?")
    assert [n.text for n in names] == ["Saltvik Seafood plc"]


def test_the_organisation_whose_name_has_every_word_asked_is_meant() -> None:
    # "Hegre" leads both names, and "energi" is a common word of the reports: it still tells them apart.
    scope = Scoper(DOCS, CHUNKS).resolve("Hva var energiforbruket til Hegre Fisk AS i 2024?")
    assert scope.doc_ids == frozenset({"hegre-fisk-2024"})
    answer = _ask("Hva var energiforbruket til Hegre Energi AS i 2024?")
    assert answer is not None and "41.200" in answer and "7.310" not in answer


def test_the_organisation_named_exactly_is_meant_not_another_entity_whose_name_holds_its_words() -> None:
    holding = DocMeta("hegre-holding-2024", "Årsrapport 2024", "nb", 2024, "Hegre Energi Holding AS", "NO")
    kvist_aps = DocMeta("kvist-aps-2024", "Bæredygtighedsrapport 2024", "da", 2024, "Kvist Mølle ApS", "DK")
    docs = {m.doc_id: m for m in (HEGRE, holding, KVIST, kvist_aps)}
    chunks = [*CHUNKS, Chunk("c6", "hegre-holding-2024", "Holding", "Hegre Energi Holding AS eier selskapene.", 0, 40,
                             "nb", organisation="Hegre Energi Holding AS"),
              Chunk("c7", "kvist-aps-2024", "Kvist ApS", "Kvist Mølle ApS maler rug.", 0, 30, "da",
                    organisation="Kvist Mølle ApS")]
    scoper = Scoper(docs, chunks)
    assert scoper.resolve("Hva var energiforbruket til Hegre Energi AS i 2024?").doc_ids == frozenset({"hegre-2024"})
    assert scoper.resolve("Hva var energiforbruket til Hegre Energi Holding AS?").doc_ids == frozenset(
        {"hegre-holding-2024"})
    assert scoper.resolve("Hvad var papirforbruget hos Kvist Mølle ApS?").doc_ids == frozenset({"kvist-aps-2024"})
    assert scoper.resolve("Hvad var papirforbruget hos Kvist Mølle A/S?").doc_ids == frozenset({"kvist-2024"})
    # Without the legal form both are named.
    both = frozenset({"kvist-2024", "kvist-aps-2024"})
    assert scoper.resolve("Hvad var papirforbruget hos Kvist Mølle?").doc_ids == both


def test_a_group_word_in_the_organisations_own_name_asks_for_no_group_accounts() -> None:
    assert _ask("Hvad var investments for Brake Ferries Group plc i 2023?") == "Investments var 29513 EURm i 2023 [1]."


def test_a_row_divided_by_an_amount_of_money_answers_an_intensity_question() -> None:
    assert ratio("Energiintensitet (MWh/mill. kr.)")[1] is UnitKind.MONEY
    assert ratio("Carbon intensity (tCO2e/£m)")[1] is UnitKind.MONEY
    answer = _ask("Hva var energiintensitet (MWh/mill. kr.) for Hegre Energi AS i 2023?")
    assert answer is not None and "8,91" in answer


def test_a_row_that_says_it_is_the_groups_answers_a_question_about_the_group() -> None:
    # "konsernet" is no word a row must have (the group's figures seldom say whose they are), but a label that
    # says it is named by it: the group's row answers, not the row beside it that does not say whose it is.
    answer = _ask("Hva var farlig avfall i konsernet for Hegre Energi AS i 2024?")
    assert answer is not None and answer.startswith("Farlig avfall i konsernet var 263,3 tonn i 2024 [1].")


def test_danish_and_norwegian_spellings_of_one_word_meet() -> None:
    assert cognate_key("datterselskaber") == cognate_key("datterselskaper")
    assert cognate_key("korruptionssag") == cognate_key("korrupsjonssak")
    assert cognate_key("medarbejder") == cognate_key("medarbeider")
    assert cognate_key("papirforbrug") != cognate_key("papirkurv")
    answer = _ask("Hva var papirforbruk for datterselskaper for Kvist Mølle A/S i 2023?")
    assert answer is not None and answer.startswith("Papirforbrug for datterselskaber var 2,91 tons i 2023 [1].")


def test_a_compound_of_a_synonym_and_the_labels_head_names_the_label() -> None:
    # "utslipp" ~ "udledning" in the curated synonyms, "intensitet" the head of both compounds.
    answer = _ask("Hva var utslippsintensitet for Kvist Mølle A/S i 2024?")
    assert answer is not None and answer.startswith("Udledningsintensitet (tCO2e/mio. kr.) var 8,10")


def test_a_unit_in_brackets_is_no_word_the_question_must_name() -> None:
    # Counted as label words, "(tons)" made the bare row look no more precise than the row of the offices, and
    # that row was given as a second reading of the question.
    assert _ask("Hvad var farligt affald for Kvist Mølle A/S i 2024?") == "Farligt affald (tons) var 158,9 i 2024 [1]."


def test_a_column_named_in_words_no_row_must_have_is_the_column_asked_for() -> None:
    # "mængde" is no word a row must have ("hvor stor en mængde affald"), but it names one column of the table.
    assert _ask("Hvad var mængde for glasuld hos Kvist Mølle A/S i 2024?") == "Glasuld, Mængde var 260 stk. i 2024 [1]."


def test_a_question_in_its_own_words_meets_an_english_label_word_by_word() -> None:
    # "lærlinge" ~ "apprentices", "antal" ~ "number": the word lexicon, not a synonym for the whole label.
    answer = _ask("Hvad var antal lærlinge for Saltvik Seafood plc i 2024?")
    assert answer is not None and answer.startswith("Number of apprentices for all sites in the group var 265")
    # A compound split into its parts, each met in the label: "brændstof" ~ "fuel", "forbrug" ~ "consumption".
    assert _ask("Hvad var brændstofforbruget for Saltvik Seafood plc i 2023?") == (
        "Fuel consumption var 4112 MWh i 2023 [1]."
    )
    # One part met is not the compound met: water consumption is not fuel consumption.
    assert _ask("Hvad var vandforbruget for Saltvik Seafood plc i 2023?") is None


def test_the_word_lexicon_plays_no_part_within_one_language() -> None:
    # "opplæring" and "utdanning" share a line of the lexicon (both "training"), but a Norwegian question about a
    # Norwegian report is matched by its words and the narrow synonym groups only.
    facts = table_row("hegre-2024", "Utdanningstimer", {2024: "14,5", 2023: "12,0"}, "Tabell 5. Ansatte", 850,
                      unit="timer")
    assert ask_rows("Hva var opplæringstimer for Hegre Energi AS i 2024?", facts, HEGRE) is None
    danish = ask_rows("Hvad var opplæringstimer for Hegre Energi AS i 2024?", facts, HEGRE)
    assert danish == "Utdanningstimer var 14,5 timer i 2024 [1]."


def test_a_column_is_named_in_the_other_nordic_spelling() -> None:
    assert _ask("Hva var mengde for glasuld hos Kvist Mølle A/S i 2024?") == "Glasuld, Mængde var 260 stk. i 2024 [1]."


def test_a_share_something_changed_by_answers_only_a_question_about_the_change() -> None:
    from rag.answer.answerer import Needs

    sentence = "Hegre Energi AS halverte antallet arbeidsulykker med 38 prosent i 2024, blant annet med nye rutiner."
    level = Needs.of(parse_query("Hva var arbeidsulykker for Hegre Energi AS i 2024?", 2024))
    change = Needs.of(parse_query("Hvor mye falt arbeidsulykkene for Hegre Energi AS i 2024?", 2024))
    assert level.figures(sentence) == [] and [n.text for n in change.figures(sentence)] == ["38 prosent"]
    assert [n.text for n in level.figures("Sykefraværet var 4,1 prosent i 2024.")] == ["4,1 prosent"]


def test_a_compound_whose_first_word_is_unknown_is_not_named_by_its_last() -> None:
    # "nesten|ulykker": the rows know "ulykker" only as the last part of "Dødsulykker"; the kind of accident asked
    # about is a word no row has, so no row answers.
    facts = [
        *table_row("hegre-2024", "Dødsulykker", {2024: "2", 2023: "1"}, "Tabell 6. Sikkerhet", 900),
        *table_row("hegre-2024", "Vannforbruk", {2024: "812", 2023: "790"}, "Tabell 7. Ressurser", 1000),
    ]
    assert ask_rows("Hva var nestenulykker for Hegre Energi AS i 2024?", facts, HEGRE) is None
    assert ask_rows("Hva var dødsulykker for Hegre Energi AS i 2024?", facts, HEGRE) == "Dødsulykker var 2 i 2024 [1]."


def test_a_count_is_given_without_the_word_for_count() -> None:
    # The unit column says "number" (or "antal"): printed after the figure it reads "var 6 number i 2024".
    assert is_count_word("number") and is_count_word("(antal)") and is_count_word("(tal)") and not is_count_word("stk.")
    answer = _ask("Hvad var antal medarbejdere for Saltvik Seafood plc i 2023?")
    assert answer == "Number of employees var 1402 i 2023 [1]."


def test_danish_and_norwegian_words_for_one_thing_meet() -> None:
    assert _ask("Hva var nestenulykker for Kvist Mølle A/S i 2024?") == "Nærvedhændelser var 41 i 2024 [1]."


# --- the generated-corpus evaluation ----------------------------------------------------------------------------


def test_a_report_named_only_in_its_running_header_is_known_by_it(tmp_path: Path) -> None:
    # The running header ("Lyngholm Energi A/S · Bæredygtighedsrapport 2024") is dropped from the text as furniture;
    # the organisation and the report's year were lost with it.
    for path, truth in generate_corpus(5, tmp_path):
        meta = read_document(path).meta
        assert (meta.organisation, meta.year) == (truth.org, truth.year)


def test_printed_figures_are_read_in_their_reports_notation() -> None:
    assert figure_value("1,330,650", "comma-dot") == 1330650
    assert figure_value("1.330.650", "dot-comma") == 1330650
    assert figure_value("1 330,5", "space-comma") == 1330.5
    assert figure_value("–", "dot-comma") is None and figure_value("MWh", "dot-comma") is None


def test_every_question_asks_for_one_printed_figure_of_its_organisation(tmp_path: Path) -> None:
    corpus, questions = build_corpus([3], tmp_path)
    reports = dict(generate_corpus(3, tmp_path / "again"))
    assert len(questions) >= 8 and not load_manifest(corpus)
    for question in questions:
        assert next(t.org for p, t in reports.items() if p.stem == question.source) in question.question
        assert question.question.startswith(("Hvad var ", "Hva var ", "Kva var ", "Hvor stor var ", "Kor stor var "))
        truth = next(t for p, t in reports.items() if p.stem == question.source)
        if not question.answer:  # about a metric the report prints nowhere: no label or header has its words
            assert "kind:unanswerable" in question.features
            said = " ".join([*(p for page in truth.pages for p in page.paragraphs),
                             *(c for page in truth.pages for table in page.tables for c in table.columns),
                             *(r.label for page in truth.pages for table in page.tables for r in table.rows)])
            asked = question.question.split(" var ", 1)[1].split(" for ")[0]
            assert asked.casefold() not in said.casefold()
            continue
        printed = {c for page in truth.pages for table in page.tables for row in table.rows for c in row.cells}
        printed |= {figure.text for figure in truth.stated}  # a figure the running text states
        value = float(question.answer.replace(".", "").replace(",", "."))
        assert any(figure_value(c, truth.notation) == value for c in printed)
    assert sum(not q.answer for q in questions) >= 2
    again = report_questions(next(iter(reports.values())), "x", random.Random("qa-x"))
    assert again == report_questions(next(iter(reports.values())), "x", random.Random("qa-x"))


def test_the_breakdown_counts_each_feature() -> None:
    a = FigureQuestion("a", "?", "da", "1", "d", 1, ("kind:years-as-rows", "report:en"))
    b = FigureQuestion("b", "?", "da", "2", "d", 1, ("kind:years-as-rows", "report:da"))
    assert breakdown([(a, True, False), (b, False, True)]) == {
        "all": (1, 1, 2), "kind:years-as-rows": (1, 1, 2), "report:en": (1, 0, 1), "report:da": (0, 1, 1),
    }


def test_held_out_scores_are_printed_without_their_questions(tmp_path: Path) -> None:
    from rag.eval.evaluate import EvalResult

    question = "Hvad var papirforbrug for Kvist Mølle A/S i 2024?"
    wrong = EvalResult("sq-1", question, "figure", "da", "tuning", ("2,57",), ("kvist-2024",),
                       "Det kan jeg ikke finde i rapporterne.", True, (), False, None, None, None, 40.0)
    scores = {"all": (3, 1, 4)}
    shown = summary_lines(scores, [wrong], 1, tmp_path / "results.jsonl")
    quiet = summary_lines(scores, [], 1, tmp_path / "results.jsonl")
    assert any("papirforbrug" in line for line in shown) and not any("papirforbrug" in line for line in quiet)
    assert quiet[1].split() == ["all", "75.0%", "25.0%", "4"]


def _sentence_figures(folder: Path, name: str, text: str) -> list[tuple[int | None, str]]:
    """(year, printed value) of the figures a plain-text report states in its running text."""
    from rag.ingest.tables import extract_facts

    path = folder / name
    path.write_text(text, encoding="utf-8")
    return [(f.year, f.value_text) for f in extract_facts(read_document(path)) if f.style == "running-text"]


def test_a_reference_to_a_section_is_no_figure_of_the_sentence(tmp_path: Path) -> None:
    text = ("Bærekraft i Hegre Energi AS\n\nSiden 2020 forbedret produksjonen energiforbruket som en del av den nye "
            "strategien (avsnitt 29).\n\nEnergiforbruket var 504 MWh i 2021.\n")
    assert _sentence_figures(tmp_path, "hegre-2021.txt", text) == [(2021, "504")]


def test_a_share_something_changed_by_is_no_figure_of_its_level(tmp_path: Path) -> None:
    text = ("Bæredygtighed i Kvist Mølle A/S\n\nSygefraværet faldt med 12 procent i 2022 takket være nye vagtplaner."
            "\n\nSygefraværet var 4,1 procent i 2022.\n")
    assert _sentence_figures(tmp_path, "kvist-2022.txt", text) == [(2022, "4,1 procent")]


def test_to_in_an_english_sentence_is_no_number_word() -> None:
    from rag.answer.answerer import Needs

    info = replace(parse_query("Hva var sykefravær i utlandet for Saltvik Seafood plc i 2024?", 2024),
                   scope=Scoper(DOCS, CHUNKS).resolve("Hva var sykefravær i utlandet for Saltvik Seafood plc i 2024?"))
    needs = Needs.of(info)
    english = "Our sites will continue to measure sickness absence abroad, because it matters to employees."
    assert not needs.admits(english, set(), [], set(), 2024, language="en")
    assert needs.admits("Sygefraværet i udlandet faldt til to dage pr. medarbejder.", set(), [], set(), 2024,
                        language="da")


def test_a_compound_of_a_report_word_names_the_reports_year() -> None:
    from rag.ingest.files import guess_year

    text = "Hegre Fisk AS Bærekraftsrapport 2024\n\nMål 2025\n\n2022 2023 2022 2025 2022"
    assert guess_year("report.pdf", text) == 2024
    assert guess_year("report.pdf", "Kvist Mølle A/S · Bæredygtighedsrapport 2023\n\n2021 2021 2022") == 2023


def test_the_word_for_a_budget_names_its_column_not_a_word_of_the_row() -> None:
    # "budgettet" asks for the budget column ("Budsjett 2024"), which the kind of figure asked for takes; another
    # report's rows that say "budget" made it a rare word the Norwegian row lacks.
    facts = [
        *table_row("hegre-2024", "Finansinntekter", {2024: "168,1"}, "Tabell 7. Resultatregnskap", 900),
        *table_row("hegre-2024", "Finansinntekter", {2024: "175,9"}, "Tabell 7. Resultatregnskap", 960,
                   qualifier="budsjett"),
        *table_row("kvist-2024", "Budget for vedligehold", {2024: "12,0"}, "Tabel 2. Budget", 500),
        *table_row("kvist-2024", "Budgetafvigelse", {2024: "1,2"}, "Tabel 2. Budget", 600),
    ]
    docs = {m.doc_id: m for m in (HEGRE, KVIST)}

    def ask(question: str) -> str | None:
        info = replace(parse_query(question, 2024), scope=Scoper(docs, CHUNKS).resolve(question))
        answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
        return None if answer is None else answer.text

    assert ask("Hvad var budgettet for finansinntekter for Hegre Energi AS i 2024?") == (
        "Finansinntekter, budsjett var 175,9 i 2024 [1]."
    )
    assert ask("Hvad var finansinntekter for Hegre Energi AS i 2024?") == "Finansinntekter var 168,1 i 2024 [1]."


def test_a_row_named_only_by_what_the_question_divides_by_is_no_answer() -> None:
    # "opplæringstimer per ansatt" divides by the employees: the row counting them is named by "ansatt" alone
    # ("opplæring" is in the table's title only) and answers nothing asked.
    counted = table_row("hegre-2024", "Antall ansatte", {2024: "212", 2023: "205"}, "Tabell 3. Ansatte og opplæring",
                        800)
    assert ask_rows("Hva var opplæringstimer per ansatt for Hegre Energi AS i 2024?", counted, HEGRE) is None
    assert ask_rows("Hva var antall ansatte for Hegre Energi AS i 2024?", counted, HEGRE) == (
        "Antall ansatte var 212 i 2024 [1]."
    )
    hours = table_row("hegre-2024", "Opplæringstimer per ansatt", {2024: "21,5", 2023: "19,0"},
                      "Tabell 3. Ansatte og opplæring", 860)
    assert ask_rows("Hva var opplæringstimer per ansatt for Hegre Energi AS i 2024?", counted + hours, HEGRE) == (
        "Opplæringstimer per ansatt var 21,5 i 2024 [1]."
    )


def test_a_compound_of_another_first_word_names_another_kind() -> None:
    # "vann|forbruk" shares "forbruk" with "Energiforbruk" and "døds|ulykker" shares "ulykker" with
    # "Arbeidsulykker": the rows measure other kinds of what is asked, and no row answers.
    facts = [
        *table_row("hegre-2024", "Energiforbruk", {2024: "5120", 2023: "4980"}, "Tabell 2. Ressurser", 700,
                   unit="MWh"),
        *table_row("hegre-2024", "Arbeidsulykker med fravær", {2024: "7", 2023: "9"}, "Tabell 6. Sikkerhet", 900),
    ]
    assert ask_rows("Hva var vannforbruk for Hegre Energi AS i 2024?", facts, HEGRE) is None
    assert ask_rows("Hva var dødsulykker for Hegre Energi AS i 2024?", facts, HEGRE) is None
    assert ask_rows("Hva var energiforbruket for Hegre Energi AS i 2024?", facts, HEGRE) == (
        "Energiforbruk var 5120 MWh i 2024 [1]."
    )
    assert ask_rows("Hva var arbeidsulykker for Hegre Energi AS i 2023?", facts, HEGRE) == (
        "Arbeidsulykker med fravær var 9 i 2023 [1]."
    )
