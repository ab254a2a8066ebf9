"""Key figures stated in the running text of generated reports, and the questions about them.

Real annual reports state many figures only in the board's prose ("Sjukefråværet var 6,1 % i 2023, mot 5,4 % året
før"). These pin the generator (`rag.eval.synthetic`) and the question builder (`rag.eval.synthetic_qa`) on small
fixtures, not the quality of the system answering them. Every organisation and figure is invented.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from rag.eval.layout_check import normalise
from rag.eval.synthetic import (
    _METRICS,
    SynthLanguage,
    SynthPage,
    SynthReport,
    _figure_sentence,
    absent_metrics,
    generate,
    generate_corpus,
)
from rag.eval.synthetic_qa import sentence_questions

LANGUAGES: tuple[SynthLanguage, ...] = ("da", "nb", "nn", "en")


def _said(report: SynthReport) -> str:
    """Everything the report's tables say in words: titles, headers, labels (casefolded)."""
    return " | ".join(text for page in report.pages for table in page.tables
                      for text in [table.title, *table.columns, *(r.label for r in table.rows)]).casefold()


def _asked(report: SynthReport, stem: str) -> list[tuple[str, str, str, int, tuple[str, ...]]]:
    """(question, answer, eval language, page, features) as `build_corpus` asks about the stated figures."""
    asked = sentence_questions(report, stem, random.Random(f"qa-text-{stem}"))
    return [(q.question, q.answer, q.lang, q.page, q.features) for q in asked]


# --- what a report states ---------------------------------------------------------------------------------------------


def test_a_danish_report_states_sick_leave_and_the_year_before_in_its_text(tmp_path: Path) -> None:
    (path, report), _ = generate_corpus(15, tmp_path)
    assert (report.language, report.org, report.year, report.notation) == (
        "da", "Ådalen Fødevarer A/S", 2024, "space-comma")
    assert [(s.page, s.year, s.text, s.unit, s.order, s.sentence) for s in report.stated] == [
        (3, 2024, "41,2", "%", "value-first", "Med 41,2 % i 2024 nåede andelen af vedvarende energi årets mål."),
        (2, 2024, "1 131 000", "MWh", "metric-first", "Nøgletallet fjernvarme blev 1 131 000 MWh i 2024."),
        (4, 2024, "6,6", "%", "metric-first", "Sygefraværet udgjorde 6,6 % i 2024, sammenlignet med 5,5 % i 2023."),
        (4, 2023, "5,5", "%", "metric-first", "Sygefraværet udgjorde 6,6 % i 2024, sammenlignet med 5,5 % i 2023."),
    ]
    assert report.stated[2].names == {"da": "Sygefravær", "nb": "Sykefravær", "en": "Sickness absence",
                                      "nn": "Sjukefråvær"}
    # Set inside a paragraph of the page, among its sentences: the second of the second paragraph on page 4.
    page = report.pages[3]
    assert page.sentences[1][1] == report.stated[2].sentence
    assert report.stated[2].sentence in page.paragraphs[1] and len(page.sentences[1]) == 3
    assert not any(t.family in ("phases", "comparison") for p in report.pages for t in p.tables
                   if p.number in {s.page for s in report.stated})


def test_a_nynorsk_report_states_figures_in_nynorsk(tmp_path: Path) -> None:
    _, (_, report) = generate_corpus(3, tmp_path)
    assert report.language == "nn"
    assert [(s.year, s.text, s.unit, s.sentence) for s in report.stated if s.year == report.year] == [
        (2022, "344", "MWh", "Med 344 MWh i 2022 vart straumforbruket lågare enn året før, då talet var 376 MWh."),
        (2022, "62", "", "Talet på arbeidsulukker med fråvær landa på 62 i 2022, mot 72 året før."),
        (2022, "9", "", "Medarbeidartilfredsheita landa på 9 i 2022, mot 11 året før."),
    ]
    assert [(s.year, s.text) for s in report.stated if s.year != report.year] == [
        (2021, "376"), (2021, "72"), (2021, "11")]


def test_a_bokmal_report_states_a_count_and_a_share(tmp_path: Path) -> None:
    _, (_, report) = generate_corpus(9, tmp_path)
    assert report.language == "nb"
    assert [s.sentence for s in report.stated if s.year == report.year] == [
        "I 2024 endte antallet bekreftede korrupsjonssaker på 1.",
        "Mengden farlig avfall var 551,4 tonn i 2024.",
        "I 2024 endte antallet opplæringstimer per ansatt på 242,8 timer, mot 288,6 timer året før.",
        "Nøkkeltallet energiintensitet endte på 5,06 MWh/mill. kr. i 2024.",
    ]


def test_stated_metrics_are_in_no_table_stated_once_and_never_asked_as_absent(tmp_path: Path) -> None:
    reports = [r for seed in range(10) for _, r in generate_corpus(seed, tmp_path / str(seed))]
    stating = [r for r in reports if r.stated]
    assert 0.3 <= len(stating) / len(reports) <= 0.7  # about half the reports
    for report in stating:
        said = _said(report)
        this_year = [s for s in report.stated if s.year == report.year]
        assert 2 <= len(this_year) <= 4 or len(this_year) == len({s.names["en"] for s in report.stated})
        pairs = [(s.names["en"], s.year) for s in report.stated]
        assert len(pairs) == len(set(pairs))  # one answer per metric and year
        assert len({s.names["en"] for s in this_year}) == len(this_year)
        absent = [names["en"] for names in absent_metrics(report)]
        for stated in report.stated:
            assert all(name.casefold() not in said for name in stated.names.values()), (report.seed, stated)
            assert stated.names["en"] not in absent
            assert stated.text in stated.sentence and str(report.year) in stated.sentence  # the year before's after it
            page = report.pages[stated.page - 1]
            assert any(stated.sentence in sentences for sentences in page.sentences)
            assert not any(t.family in ("phases", "comparison") for t in page.tables)


def test_every_stated_sentence_is_printed_in_the_pdf(tmp_path: Path) -> None:
    checked = 0
    for seed in (3, 9, 15):
        for path, report in generate_corpus(seed, tmp_path / str(seed)):
            pages = PdfReader(path).pages
            for stated in report.stated:
                page = report.pages[stated.page - 1]
                text = normalise(pages[stated.page - 1].extract_text())
                words = set(text.split())
                assert all(w in words for w in normalise(stated.sentence).split())
                if page.columns == 1:  # one column: the sentence whole, in reading order
                    assert normalise(stated.sentence) in text
                checked += 1
    assert checked >= 10


# --- the sentences ----------------------------------------------------------------------------------------------------


def _sentences(language: SynthLanguage, n: int = 40) -> list[tuple[str, str, str]]:
    """(metric's name, sentence, order) for every metric, from `n` streams."""
    out = []
    for k in range(n):
        rng = random.Random(f"shapes-{language}-{k}")
        for metric in _METRICS:
            sentence, stated = _figure_sentence(metric, language, "dot-comma", 2024, rng)
            out.append((metric.names[2], sentence, stated[0].order))
    return out


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("da", (" var ", " udgjorde ", " endte ", " landede på ", " blev ", "For ", "Med ", " registreret ",
                "Ved udgangen af ", "mod ", "sammenlignet med ")),
        ("nb", (" var ", " utgjorde ", " endte ", " landet på ", " ble ", "For ", "Med ", " registrert ",
                "Ved utgangen av ", "mot ", "sammenlignet med ")),
        ("nn", (" var ", " utgjorde ", " enda ", " landa på ", " vart ", "For ", "Med ", " registrert ",
                "Ved utgangen av ", "mot ", "samanlikna med ")),
        ("en", (" was ", " were ", " amounted to ", " stood at ", " came in at ", "For ", "At ", " recorded",
                "At the end of ", "against ", "compared with ")),
    ],
)
def test_sentence_shapes_vary_in_each_language(language: SynthLanguage, phrases: tuple[str, ...]) -> None:
    sentences = _sentences(language)
    said = " ".join(s for _, s, _ in sentences)
    assert [p for p in phrases if p not in said] == []
    assert {order for *_, order in sentences} == {"metric-first", "value-first"}
    # At least five shapes: a sentence's words once the metric, figures and years are taken out.
    skeletons = {re.sub(r"[\d.,]+", "#", s).split()[0] for _, s, _ in sentences}
    assert len(skeletons) >= 5, skeletons
    assert all(s.endswith(".") and s[0].isupper() for _, s, _ in sentences)


def test_the_definite_forms_of_the_metrics() -> None:
    said = [((name, language), sentence) for language in LANGUAGES for name, sentence, _ in _sentences(language, 60)]
    subjects = {
        ("Sickness absence", "nn"): "Sjukefråværet", ("Sickness absence", "nb"): "Sykefraværet",
        ("Sickness absence", "da"): "Sygefraværet", ("Total waste", "nn"): "vfallsmengda",
        ("Number of employees", "nn"): "tilsette", ("Number of employees", "da"): "medarbejdere",
        ("Employee satisfaction", "nn"): "edarbeidartilfredsheita",
    }
    missing = [(key, text) for key, text in subjects.items()
               if not any(text in sentence for said_of, sentence in said if said_of == key)]
    assert missing == []
    sentences = [s for language in LANGUAGES for _, s, _ in _sentences(language, 60)]
    assert not [s for s in sentences if re.search(r"(?<![\d.,])1 (fatalities|dødsulykker|dødsulukker)", s)]


def test_every_sentence_names_its_metric_so_that_it_is_not_asked_as_absent() -> None:
    for language in LANGUAGES:
        for name, sentence, _ in _sentences(language, 12):
            page = SynthPage(1, [sentence], [], sentences=[[sentence]], paragraph_columns=[0])
            report = SynthReport("Fjordvik Test AS", language, "dot-comma", [page])
            assert name not in [names["en"] for names in absent_metrics(report)], (language, sentence)


def test_nynorsk_sentences_say_no_bokmal_word() -> None:
    bokmal = {"ble", "antallet", "ansatte", "sykefraværet", "tallet", "nøkkeltallet", "endte", "landet", "lavere",
              "høyere", "sammenlignet", "utslippene", "fra", "vannforbruket", "mengden", "avfallsmengden", "hvor"}
    words = {w.lower() for _, s, _ in _sentences("nn") for w in re.findall(r"[^\W\d_]+", s)}
    assert words & bokmal == set()


# --- the questions ----------------------------------------------------------------------------------------------------


def test_the_stated_figures_are_asked_about_like_a_tables(tmp_path: Path) -> None:
    (path, report), _ = generate_corpus(15, tmp_path)
    assert _asked(report, path.stem) == [
        ("Hvad var andel vedvarende energi for Ådalen Fødevarer A/S i 2024?", "41,2", "da", 3,
         ("kind:sentence", "family:-", "report:da", "asked:da", "words:label", "year:current", "order:value-first")),
        ("Hvad var fjernvarme for Ådalen Fødevarer A/S i 2024?", "1.131.000", "da", 2,
         ("kind:sentence", "family:-", "report:da", "asked:da", "words:label", "year:current", "order:metric-first")),
        ("Hva var sykefravær for Ådalen Fødevarer A/S i 2024?", "6,6", "nb", 4,
         ("kind:sentence", "family:-", "report:da", "asked:nb", "words:translated", "year:current",
          "order:metric-first")),
        ("Hvad var sygefravær for Ådalen Fødevarer A/S i 2023?", "5,5", "da", 4,
         ("kind:sentence", "family:-", "report:da", "asked:da", "words:label", "year:previous",
          "order:metric-first")),
    ]


def test_a_nynorsk_reports_figures_are_asked_about_in_nynorsk_bokmal_and_danish(tmp_path: Path) -> None:
    _, (path, report) = generate_corpus(3, tmp_path)
    assert [(q, a, lang) for q, a, lang, _, _ in _asked(report, path.stem)] == [
        ("Kva var straumforbruk for Åsgård Kraft Holding AS i 2022?", "344", "nb"),
        ("Kva var straumforbruk for Åsgård Kraft Holding AS i 2021?", "376", "nb"),
        ("Hvad var arbejdsulykker med fravær for Åsgård Kraft Holding AS i 2022?", "62", "da"),
        ("Hva var arbeidsulykker med fravær for Åsgård Kraft Holding AS i 2021?", "72", "nb"),
        ("Hva var medarbeidertilfredshet for Åsgård Kraft Holding AS i 2022?", "9", "nb"),
        ("Kva var medarbeidartilfredsheit for Åsgård Kraft Holding AS i 2021?", "11", "nb"),
    ]


def test_an_english_reports_figure_is_asked_about_in_its_words_or_the_askers(tmp_path: Path) -> None:
    (path, report), _ = generate_corpus(12, tmp_path)
    assert report.language == "en"
    asked = [(q, a) for q, a, *_ in _asked(report, path.stem)]
    assert asked[1:3] == [("Hvad var andel kvinder i ledelsen for Ashcombe Construction Group plc i 2024?", "57,3"),
                          ("Hvad var women in management for Ashcombe Construction Group plc i 2023?", "67,7")]
    assert "The share of women in management amounted to 57.3% in 2024, compared with 67.7% in 2023." in [
        s.sentence for s in report.stated]


# --- what the seeds printed before stays ------------------------------------------------------------------------------


def _without(report: SynthReport) -> SynthReport:
    """The report without the sentences stating figures: what it printed before they were added."""
    stated = {s.sentence for s in report.stated}
    pages = []
    for page in report.pages:
        kept = [[s for s in sentences if s not in stated] for sentences in page.sentences]
        pages.append(replace(page, sentences=kept, paragraphs=[" ".join(s) for s in kept]))
    return replace(report, pages=pages, stated=[])


def test_with_the_switch_off_a_corpus_is_the_one_with_it_on_minus_the_sentences(tmp_path: Path) -> None:
    stating = same_bytes = 0
    for seed in range(6):
        on = generate_corpus(seed, tmp_path / f"on-{seed}")
        off = generate_corpus(seed, tmp_path / f"off-{seed}", text_figures=0.0)
        for (on_path, with_text), (off_path, without) in zip(on, off, strict=True):
            assert without.stated == []
            assert _without(with_text) == without
            stating += bool(with_text.stated)
            if not with_text.stated:  # a report drawn to state none is printed byte for byte as without
                assert on_path.read_bytes() == off_path.read_bytes()
                same_bytes += 1
    assert stating >= 4 and same_bytes >= 4


def test_generate_states_nothing_unless_asked(tmp_path: Path) -> None:
    assert all(not generate(seed, tmp_path / f"{seed}.pdf").stated for seed in range(4))
    assert generate(3, tmp_path / "n.pdf", narrow=True, text_figures=1.0).stated == []
    assert generate(3, tmp_path / "t.pdf", text_figures=1.0).stated
