"""Nynorsk reports and income statements with a budget column in the generated corpora, and the questions about them.

These pin the generator and the question builder (`rag.eval.synthetic`, `rag.eval.synthetic_qa`) on small fixtures,
not the quality of the system answering them. Every organisation, label and figure is invented.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from rag.eval.evaluate import load_questions
from rag.eval.layout_check import normalise
from rag.eval.synthetic import (
    SynthPage,
    SynthReport,
    SynthRow,
    SynthTable,
    absent_metrics,
    generate,
    generate_corpus,
    translate_label,
)
from rag.eval.synthetic import _nynorsk as nynorsk
from rag.eval.synthetic_qa import absent_questions, report_questions


def _questions(report: SynthReport, stem: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(question, answer, eval language, features) as `build_corpus` asks them about a corpus report."""
    asked = report_questions(report, stem, random.Random(f"qa-{stem}"))
    asked += absent_questions(report, stem, random.Random(f"qa-absent-{stem}"))
    return [(q.question, q.answer, q.lang, q.features) for q in asked]


def _printed(report: SynthReport) -> list[str]:
    """Every text a report prints: title, furniture, headings, paragraphs, tables (no figures)."""
    out = [report.title]
    for page in report.pages:
        out += [*page.furniture, page.heading, *page.paragraphs]
        for table in page.tables:
            out += [table.title, table.note_head, *(t for line in table.header_rows for t in line)]
            out += [r.label for r in table.rows] + [u for r in table.rows for u in r.units]
            out += [c for r in table.rows for c in r.cells if not any(ch.isdigit() for ch in c)]
    return [t for t in out if t]


# --- Nynorsk words ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bokmal", "expected"),
    [
        ("Antall ansatte", "Talet på tilsette"),
        ("Sykefravær", "Sjukefråvær"),
        ("Utslipp fra flyreiser", "Utslepp frå flyreiser"),
        ("Scope 2-utslipp (markedsbasert)", "Scope 2-utslepp (marknadsbasert)"),
        ("Helse, miljø og sikkerhet", "Helse, miljø og tryggleik"),
        ("Avskrivninger på varige driftsmidler", "Avskrivingar på varige driftsmiddel"),
        ("{Subj} vil fortsatt {inf} {obj}, blant annet", "{Subj} vil framleis {inf} {obj}, mellom anna"),
        ("etter en ny arbeidsmiljøundersøkelse", "etter ei ny arbeidsmiljøundersøking"),
        ("tCO2e/mill. kr.", "tCO2e/mill. kr."),  # a unit and an abbreviation are left alone
        ("MNOK", "MNOK"),
    ],
)
def test_bokmal_is_written_in_nynorsk(bokmal: str, expected: str) -> None:
    assert nynorsk(bokmal) == expected


def test_metric_labels_translate_between_bokmal_nynorsk_and_danish() -> None:
    assert translate_label("Talet på tilsette i Noreg", "nn", "nb") == "Antall ansatte i Norge"  # one country
    assert translate_label("Sykefravær på kontorene", "nb", "nn") == "Sjukefråvær på kontora"
    assert translate_label("Farleg avfall i konsernet", "nn", "da") == "Farligt affald i koncernen"
    assert translate_label("Talet på tilsette i Noreg", "nn", "da") is None  # "i Noreg" is no "i Danmark"
    assert translate_label("Lønskostnader", "nn", "nb") is None  # a statement line is no generated metric


def test_a_bokmal_report_of_the_corpus_may_be_printed_in_nynorsk(tmp_path: Path) -> None:
    # Seed 1 draws its second organisation in Bokmål; the stream of its own turns it into Nynorsk: the same tables,
    # figures and layout, in Nynorsk words.
    (_, first), (_, nn) = generate_corpus(1, tmp_path / "nn")
    (_, first_off), (_, nb) = generate_corpus(1, tmp_path / "nb", nynorsk=0.0)
    assert (first.language, nn.language, nb.language) == ("en", "nn", "nb")
    assert nn.org == nb.org == "Trollfjord Bygg AS"
    assert [p.heading for p in nn.pages] == ["Klima og energi", "Samfunnsansvar", "Ansvarleg styring",
                                             "Tryggleik på arbeidsplassen", "Våre medarbeidarar"]
    energy, resources = nn.pages[4].tables
    assert energy.title == "Tabell 2. Energibruk og energikjelder"
    assert energy.header_rows == [["Indikator", "Eining", "2024", "2023", "2022"]]
    assert [r.label for r in energy.rows[:3]] == ["Energi", "Fjernvarme inkludert dotterselskap i Norden",
                                                  "Drivstofforbruk i produksjonen"]
    assert resources.title == "Tabell 3. Ressursar, tonn"
    assert [r.label for r in resources.rows[:3]] == ["Vatn og avfall", "Farleg avfall", "Avfallsmengd"]
    assert [r.label for r in nb.pages[4].tables[1].rows[:3]] == ["Vann og avfall", "Farlig avfall", "Avfallsmengde"]
    assert nn.pages[0].tables[0].header_rows == [["Lokasjon (tCO2e)", "Scope 1", "Scope 2", "Scope 3", "Samla"]]
    assert [r.label for r in nn.pages[0].tables[0].rows[:3]] == ["Lager og distribusjon", "Kontor", "Verkstad"]
    figures = [[[c for r in t.rows for c in r.cells if any(ch.isdigit() for ch in c)] for t in p.tables]
               for p in nn.pages]
    assert figures == [[[c for r in t.rows for c in r.cells if any(ch.isdigit() for ch in c)] for t in p.tables]
                       for p in nb.pages]
    assert asdict(first) == asdict(first_off)  # an English report is not drawn again


def test_a_nynorsk_report_prints_no_bokmal_word(tmp_path: Path) -> None:
    bokmal = {"utslipp", "fra", "antall", "ansatte", "sykefravær", "regnskap", "enhet", "vann", "ledelsen", "siden",
              "blant", "innen", "hvert", "fortsatt", "kunder", "sikkerhet", "farlig", "egenkapital", "noter",
              "materialer", "datterselskaper", "avfallsmengde", "resultatregnskap", "en", "de", "hovedtall"}
    said: dict[str, set[str]] = {"nb": set(), "nn": set()}
    for seed in range(4):
        for language in ("nb", "nn"):
            for options in ({}, {"notes": True}, {"narrow": True}, {"statements": 1.0}):
                report = generate(seed, tmp_path / f"{seed}.pdf", language=language, **options)  # type: ignore[arg-type]
                said[language] |= {w.lower() for t in _printed(report) for w in re.findall(r"[^\W\d_]+", t)}
    assert said["nn"] & bokmal == set()
    assert len(said["nb"] & bokmal) >= 20  # the same seeds in Bokmål print them


def test_a_nynorsk_report_with_a_statement_prints_every_string(tmp_path: Path) -> None:
    (path, report), _ = generate_corpus(17, tmp_path)
    assert report.language == "nn"
    pages = PdfReader(path).pages
    assert len(pages) == len(report.pages) == 5
    for page, pdf_page in zip(report.pages, pages, strict=True):
        text = normalise(pdf_page.extract_text())
        printed = [*page.furniture, page.heading]
        for table in page.tables:
            printed += [table.title, *(t for line in table.header_rows for t in line if t)]
            printed += [line for r in table.rows for line in r.label_lines] + [c for r in table.rows for c in r.cells]
        assert [s for s in printed if s and normalise(s) not in text] == []
    statement = report.pages[-1].tables[0]
    assert statement.title == "Tabell 7. Resultatrekneskap"
    assert statement.header_rows == [["NOK mill.", "Rekneskap 2024", "Budsjett 2024", "Rekneskap 2023"]]
    assert statement.column_kinds == ["year", "budget", "year"]
    assert [r.label for r in statement.rows[:3]] == ["Salsinntekter", "Varekostnad",
                                                     "Avskrivingar på varige driftsmiddel"]


def test_absent_metrics_name_each_metric_in_nynorsk_too(tmp_path: Path) -> None:
    _, (_, report) = generate_corpus(1, tmp_path)
    absent = absent_metrics(report)
    assert {"da": "Dødsulykker", "nb": "Dødsulykker", "en": "Fatalities", "nn": "Dødsulukker"} in absent
    printed = " ".join(_printed(report)).casefold()
    assert all(names["nn"].casefold() not in printed for names in absent)


# --- questions about a Nynorsk report -----------------------------------------------------------------------------


def test_a_nynorsk_report_is_asked_about_in_nynorsk_bokmal_and_danish(tmp_path: Path) -> None:
    # Without the figures the running text may state (two of them here): they would take two metrics from the ones
    # asked about as printed nowhere (tests/test_synthetic_text_figures.py asks about them).
    _, (path, report) = generate_corpus(1, tmp_path, text_figures=0.0)
    asked = _questions(report, path.stem)
    assert [(q, a, lang) for q, a, lang, _ in asked[2:]] == [
        ("Kva var utsleppsintensitet inkludert dotterselskap i Norden for Trollfjord Bygg AS i 2024?", "6,98", "nb"),
        ("Hvad var udledningsintensitet inklusive datterselskaber i Norden for Trollfjord Bygg AS i 2022?", "5,92",
         "da"),
        ("Hvad var farligt affald for Trollfjord Bygg AS i 2022?", "123,2", "da"),
        ("Hvad var medarbejderomsætning i koncernen for Trollfjord Bygg AS i 2022?", "69,7", "da"),
        ("Kva var andel attvunne avfall for Trollfjord Bygg AS i 2024?", "", "nb"),
        ("Hva var lønnsforskjell mellom kjønn for Trollfjord Bygg AS i 2024?", "", "nb"),
    ]
    features = [f for *_, f in asked]
    assert all("report:nn" in f for f in features)
    assert [next(x for x in f if x.startswith("asked:")) for f in features] == [
        "asked:da", "asked:nb", "asked:nn", "asked:da", "asked:da", "asked:da", "asked:nn", "asked:nb"]
    assert [next(x for x in f if x.startswith("words:")) for f in features] == [
        "words:label", "words:label", "words:label", "words:translated", "words:translated", "words:translated",
        "words:label", "words:translated"]


def test_a_nynorsk_question_is_a_norwegian_one_to_rag_eval(tmp_path: Path) -> None:
    _, (path, report) = generate_corpus(1, tmp_path)
    rows = [q.to_eval_row() for q in report_questions(report, path.stem, random.Random(f"qa-{path.stem}"))]
    nynorsk_rows = [r for r in rows if str(r["question"]).startswith("Kva var ")]
    assert nynorsk_rows and all(r["lang"] == "nb" for r in nynorsk_rows)
    file = tmp_path / "questions.jsonl"
    file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert [q.lang for q in load_questions(file)] == [r["lang"] for r in rows]


# --- statements with a budget column ------------------------------------------------------------------------------


def test_some_corpus_reports_end_on_a_statement_with_a_budget_column(tmp_path: Path) -> None:
    _, (path, report) = generate_corpus(9, tmp_path)
    assert (report.language, len(report.pages)) == ("nb", 5)
    last = report.pages[-1]
    assert last.furniture[2] == "Side 5 av 5"
    (table,) = last.tables
    assert table.title == "Tabell 9. Resultatregnskap"
    assert table.header_rows == [["Beløp i 1000 kr.", "Regnskap 2024", "Budsjett 2024", "Regnskap 2023"]]
    assert table.column_kinds == ["year", "budget", "year"]
    assert table.kind == "note-column"
    line = next(r for r in table.rows if r.label == "Andre driftsinntekter")
    assert (line.note, line.cells) == ("5", ["121.414", "117.017", "131.642"])
    for row in table.rows:  # the budget a few per cent off the year's actual figure, of the same sign
        actual, budget = (float(c.replace(".", "")) for c in row.cells[:2])
        assert actual != budget and 0.0 < budget / actual and abs(budget / actual - 1) <= 0.061
    statement = [q for q in _questions(report, path.stem) if "kind:statement" in q[3]]
    assert [(q, a, [f for f in fs if f.startswith(("column:", "statement:"))]) for q, a, _, fs in statement] == [
        ("Hva var budsjettet for andre driftsinntekter for Nordlys Sjømat Holding AS i 2024?", "117.017",
         ["column:budget", "statement:budget"]),
        ("Hva var skattekostnad for Nordlys Sjømat Holding AS i 2024?", "163.698",
         ["column:actual", "statement:budget"]),
    ]


def test_the_statement_lines_are_none_the_report_printed_before(tmp_path: Path) -> None:
    for seed in (20, 21, 22, 23):
        report = generate(seed, tmp_path / f"{seed}.pdf", statements=1.0)
        before = {r.label for p in report.pages[:-1] for t in p.tables for r in t.rows}
        (statement,) = report.pages[-1].tables
        assert statement.notes and not before & {r.label for r in statement.rows}


def test_a_years_budget_and_its_actual_figure_are_two_questions() -> None:
    # One line, one year, two figures: the uniqueness check must not take them for one question asked twice.
    table = SynthTable(
        title="Tabell 1. Resultatregnskap",
        header_rows=[["", "R 2024", "B 2024", "R 2023"]],
        rows=[SynthRow("Driftsresultat", ["1.200", "1.250", "1.100"], None, ["Driftsresultat"], note="4")],
        column_kinds=["year", "budget", "year"],
        notes="left",
    )
    report = SynthReport("Fjordkraft Test AS", "nb", "dot-comma", [SynthPage(1, [], [table])], year=2024)
    asked = report_questions(report, "doc", random.Random(0), per_table=3)
    assert sorted((q.question, q.answer) for q in asked) == [
        ("Hva var budsjettet for driftsresultat for Fjordkraft Test AS i 2024?", "1.250"),
        ("Hva var driftsresultat for Fjordkraft Test AS i 2023?", "1.100"),
        ("Hva var driftsresultat for Fjordkraft Test AS i 2024?", "1.200"),
    ]
    assert sorted(f for q in asked for f in q.features if f.startswith("column:")) == [
        "column:actual", "column:actual", "column:budget"]
    danish = SynthReport("Fjordkraft Test A/S", "da", "dot-comma", [SynthPage(1, [], [table])], year=2024)
    budget = [q for q in report_questions(danish, "doc", random.Random(1)) if "column:budget" in q.features]
    assert [q.question for q in budget] == ["Hvad var budgettet for driftsresultat for Fjordkraft Test A/S i 2024?"]


# --- what the seeds printed before stays ---------------------------------------------------------------------------


def test_the_new_streams_leave_every_other_report_and_page_as_it_was(tmp_path: Path) -> None:
    changed = 0
    for seed in range(8):
        with_new = generate_corpus(seed, tmp_path / f"on-{seed}")
        without = generate_corpus(seed, tmp_path / f"off-{seed}", nynorsk=0.0, statements=0.0)
        for (_, on), (_, off) in zip(with_new, without, strict=True):
            assert on.org == off.org and on.year == off.year and on.notation == off.notation
            if on.language == "nn":
                assert off.language == "nb"
                changed += 1
                continue
            extra = len(on.pages) - len(off.pages)
            assert extra in (0, 1)
            changed += extra
            for a, b in zip(on.pages, off.pages, strict=False):  # but the page count in a footer ("Side 1 av 5")
                assert (a.tables, a.paragraphs, a.heading, a.furniture[:2]) == (
                    b.tables, b.paragraphs, b.heading, b.furniture[:2])
    assert changed >= 4
