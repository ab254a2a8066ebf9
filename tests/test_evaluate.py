"""The evaluation harness: matching rules, metrics on hand-made results, question files, the gate, the report."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.eval.evaluate import (
    KINDS,
    EvalQuestion,
    EvalResult,
    EvalRun,
    QuestionFileError,
    StreamStats,
    ThresholdsError,
    answers_found,
    check_thresholds,
    expected_found,
    first_relevant_rank,
    grade,
    llm_metrics,
    load_heldout,
    load_questions,
    percentile,
    render_markdown,
    sample_description,
    sample_questions,
    summarize,
)
from rag.types import Answer, Chunk, Citation, Hit

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"
HELDOUT = ROOT / "eval" / "heldout.txt"
CORPUS = ROOT / "corpus"


# -- matching ------------------------------------------------------------------------------------------------------


def test_alternatives_either_matches():
    assert expected_found("6|seks", "Aleris-Hamlet havde seks personer i flexjob.")
    assert expected_found("6|seks", "Flexjob 6")
    assert not expected_found("6|seks", "Flexjob 7")


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("1.567", "Scope 2 markedsbaseret: 1567 ton"),
        ("1567", "Scope 2 markedsbaseret: 1.567 ton"),
        ("3,18", "korttidssygefraværet var 3.18 %"),
        ("3.18", "korttidssygefraværet var 3,18 %"),
        ("-12", "eNPS faldt til −12 i 2025"),
        ("−12", "eNPS faldt til -12 i 2025"),
        ("30 000", "omsetning på mer enn NOK 30 000"),
        ("30000", "omsetning på mer enn NOK 30 000"),
        ("1,00", "langtidssygefravær 1 %"),
        ("20", "genanvendelsesprocent på 20 %"),
    ],
)
def test_numbers_compare_as_numbers(expected, text):
    assert answers_found([expected], text)


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("-12", "eNPS var 12"),
        ("20", "i 2025 steg den"),
        ("3,18", "3,81 %"),
        ("1.567", "1,567"),
        ("447", "4470 forretningsforbindelser"),
    ],
)
def test_numbers_do_not_match_other_numbers(expected, text):
    assert not answers_found([expected], text)


def test_text_is_case_insensitive_substring():
    assert answers_found(["breeam"], "Vi har bibeholdt 4-stjernet BREEAM-certificering.")
    assert answers_found(["Hej Trivsel"], "forløbet HEJ TRIVSEL blev lanceret")
    assert not answers_found(["Dustin"], "brugt IT-udstyr genbruges")


def test_every_expected_answer_must_be_found():
    assert answers_found(["19", "-12"], "eNPS faldt fra 19 i 2024 til -12 i 2025")
    assert not answers_found(["19", "-12"], "eNPS var 19 i 2024")
    assert answers_found([], "anything")


# -- grading and ranks -------------------------------------------------------------------------------------------


def _chunk(i: int, doc_id: str, text: str) -> Chunk:
    return Chunk(id=f"c{i}", doc_id=doc_id, title=doc_id, text=text, start=0, end=len(text), language="da")


def _question(kind: str = "figure", answers=("3,18",), sources=("aleris-dk-csr-2025",)) -> EvalQuestion:
    return EvalQuestion(id="q1", question="Hvad var korttidssygefraværet i 2025?", lang="da",
                        answers=tuple(answers), sources=tuple(sources), kind=kind)


def test_first_relevant_rank_needs_expected_source_and_answer():
    q = _question()
    ranked = [
        ("aleris-dk-csr-2021", "Sygefravær 3,18"),  # right figure, wrong report
        ("aleris-dk-csr-2025", "Sygefravær, korttids 2,64"),  # right report, wrong figure
        ("aleris-dk-csr-2025", "Sygefravær, korttids (under 30 dage) % <2,5 3,18 2,64"),
    ]
    assert first_relevant_rank(q, ranked) == 3
    assert first_relevant_rank(q, ranked[:2]) is None
    assert first_relevant_rank(_question("unanswerable", (), ()), ranked) is None


def test_grade_answerable_requires_answer_and_expected_citation():
    q = _question()
    hits = (Hit(_chunk(0, "aleris-dk-csr-2021", "noget andet"), 1.0),
            Hit(_chunk(1, "aleris-dk-csr-2025", "korttids 3,18 %"), 0.5))
    good = Answer(question=q.question, answer="Korttidssygefraværet var 3,18 % i 2025 [1].", abstained=False,
                  language="da", citations=(Citation(1, "aleris-dk-csr-2025", "CSR 2025", None, None, "3,18"),),
                  hits=hits)
    result = grade(q, good, 12.5)
    assert (result.correct, result.answer_found, result.cited_expected_source) == (True, True, True)
    assert result.first_relevant_rank == 2
    assert result.latency_ms == 12.5
    assert result.citations[0]["doc_id"] == "aleris-dk-csr-2025"

    wrong_source = Answer(question=q.question, answer="3,18 % [1]", abstained=False, language="da",
                          citations=(Citation(1, "aleris-dk-csr-2021", "CSR 2021", None, None, "3,18"),))
    result = grade(q, wrong_source, 1.0)
    assert (result.correct, result.answer_found, result.cited_expected_source) == (False, True, False)

    abstained = Answer(question=q.question, answer="Det kan jeg ikke finde i rapporterne.", abstained=True,
                       language="da")
    assert grade(q, abstained, 1.0).correct is False


def test_grade_unanswerable_is_correct_only_when_abstaining():
    q = _question("unanswerable", (), ())
    abstain = Answer(question=q.question, answer="Det kan jeg ikke finde i rapporterne.", abstained=True,
                     language="da")
    answer = Answer(question=q.question, answer="Det var 3,18 %.", abstained=False, language="da")
    assert grade(q, abstain, 1.0).correct is True
    assert grade(q, answer, 1.0).correct is False
    assert grade(q, abstain, 1.0).cited_expected_source is None


# -- metrics ------------------------------------------------------------------------------------------------------


def _result(id_: str, kind: str, *, correct: bool, abstained: bool, rank: int | None, latency: float,
            cited: tuple[str, ...] = (), split: str = "tuning", lang: str = "da") -> EvalResult:
    answerable = kind != "unanswerable"
    return EvalResult(
        id=id_, question=f"spørgsmål {id_}", kind=kind, lang=lang, split=split,  # type: ignore[arg-type]
        expected=("1",) if answerable else (), sources=("a",) if answerable else (),
        answer="svar", abstained=abstained,
        citations=tuple({"n": n, "doc_id": d} for n, d in enumerate(cited, start=1)),
        correct=correct, answer_found=correct if answerable else None,
        cited_expected_source=("a" in cited) if answerable else None,
        first_relevant_rank=rank, latency_ms=latency,
    )


HAND_MADE = [
    _result("r1", "figure", correct=True, abstained=False, rank=1, latency=10, cited=("a",)),
    _result("r2", "figure", correct=False, abstained=False, rank=3, latency=20, cited=("b",), split="heldout"),
    _result("r3", "text", correct=False, abstained=True, rank=None, latency=30, lang="nb"),
    _result("r4", "text", correct=True, abstained=False, rank=7, latency=40, cited=("a", "b")),
    _result("r5", "unanswerable", correct=True, abstained=True, rank=None, latency=50),
    _result("r6", "unanswerable", correct=False, abstained=False, rank=None, latency=60, cited=("a",),
            split="heldout"),
]


def test_summary_metrics_exact():
    s = summarize(HAND_MADE)
    assert (s["n"], s["n_answerable"], s["n_unanswerable"]) == (6, 4, 2)
    assert s["accuracy"] == 0.5
    assert s["answerable_accuracy"] == 0.5
    assert s["abstention_accuracy"] == 0.5
    assert s["false_abstention_rate"] == 0.25
    assert s["citation_precision"] == 0.5  # a, b, a, b on answered answerable questions
    assert (s["recall_at_1"], s["recall_at_5"], s["recall_at_10"]) == (0.25, 0.5, 0.75)
    assert s["mrr"] == round((1 + 1 / 3 + 0 + 1 / 7) / 4, 4)
    assert s["latency_p50_ms"] == 35.0
    assert s["latency_p95_ms"] == 57.5
    assert s["errors"] == 0


def test_summary_breakdowns():
    s = summarize(HAND_MADE)
    assert set(s["by_kind"]) == {"figure", "text", "unanswerable"}
    assert s["by_kind"]["figure"]["accuracy"] == 0.5
    assert s["by_kind"]["figure"]["recall_at_5"] == 1.0
    assert s["by_kind"]["unanswerable"]["abstention_accuracy"] == 0.5
    assert s["by_kind"]["unanswerable"]["recall_at_5"] is None
    assert s["by_lang"]["nb"]["n"] == 1 and s["by_lang"]["nb"]["false_abstention_rate"] == 1.0
    assert s["by_split"]["heldout"]["n"] == 2 and s["by_split"]["heldout"]["accuracy"] == 0.0
    assert s["by_split"]["tuning"]["accuracy"] == 0.75


def test_percentile_interpolates():
    assert percentile([1.0], 95) == 1.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([], 50) is None


# -- question files -----------------------------------------------------------------------------------------------


def _line(**overrides: object) -> str:
    row = {"id": "x-001", "question": "Hvad var eNPS i 2025?", "lang": "da", "answers": ["-12"],
           "sources": ["aleris-dk-csr-2025"], "kind": "figure"}
    row.update(overrides)
    return json.dumps(row, ensure_ascii=False)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"id": "x-002", "question": ', "not valid JSON"),
        (_line(id="x-002", kind="guess"), "kind 'guess'"),
        (_line(id="x-002", lang="sv"), "lang 'sv'"),
        (_line(id="x-002", kind="unanswerable"), "must have empty 'answers' and 'sources'"),
        (_line(id="x-002", answers=[]), "needs at least one answer"),
        (_line(id="x-002", answers="-12"), "'answers' must be a list"),
        (_line(id="x-002", extra=1), "unknown extra"),
        ('{"id": "x-002", "question": "q"}', "missing lang, answers, sources, kind"),
        (_line(), "duplicate id 'x-001' (first on line 1)"),
    ],
)
def test_malformed_question_file_names_the_line(tmp_path, bad_line, message):
    path = tmp_path / "q.jsonl"
    path.write_text(_line() + "\n\n" + bad_line + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError) as info:
        load_questions(path)
    assert f"{path}, line 3" in str(info.value)
    assert message in str(info.value)


def test_missing_and_empty_question_files(tmp_path):
    with pytest.raises(QuestionFileError, match="does not exist"):
        load_questions(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match="holds no questions"):
        load_questions(tmp_path / "empty.jsonl")


def test_heldout_ids_mark_the_split(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(_line() + "\n" + _line(id="x-002") + "\n", encoding="utf-8")
    held = tmp_path / "held.txt"
    held.write_text("# comment\nx-002\n", encoding="utf-8")
    questions = load_questions(path, load_heldout(held))
    assert [q.split for q in questions] == ["tuning", "heldout"]
    assert load_heldout(tmp_path / "missing.txt") == set()


def test_bundled_question_set_schema():
    questions = load_questions(QUESTIONS)  # validates every field, unique ids
    assert len(questions) >= 100
    doc_ids = {p.stem for p in CORPUS.glob("*.txt")}
    assert len(doc_ids) == 5
    assert {s for q in questions for s in q.sources} == doc_ids
    for doc_id in doc_ids:  # every document is asked about in at least 8 questions
        assert sum(doc_id in q.sources for q in questions) >= 8, doc_id
    unanswerable = [q for q in questions if q.kind == "unanswerable"]
    assert len(unanswerable) >= 10
    assert all(q.answers == () and q.sources == () for q in unanswerable)
    assert {q.kind for q in questions} == set(KINDS)
    assert {q.lang for q in questions} == {"da", "nb"}
    assert all(q.lang == "nb" for q in questions if q.kind == "norwegian")
    assert len({q.question.casefold() for q in questions}) == len(questions)


def test_bundled_heldout_split_is_stratified():
    questions = load_questions(QUESTIONS, load_heldout(HELDOUT))
    held_ids = load_heldout(HELDOUT)
    assert held_ids <= {q.id for q in questions}
    for kind in KINDS:
        of_kind = [q for q in questions if q.kind == kind]
        held = [q for q in of_kind if q.split == "heldout"]
        assert abs(len(held) - round(0.3 * len(of_kind))) <= 1, kind


def test_bundled_expected_answers_occur_in_their_sources():
    """Every expected answer (some alternative) occurs in at least one of its source documents."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for q in load_questions(QUESTIONS):
        for expected in q.answers:
            assert any(expected_found(expected, " ".join(texts[s].split())) for s in q.sources), (q.id, expected)


# -- the --limit sample ---------------------------------------------------------------------------------------------


SAMPLE_24 = ["fig-004", "fig-011", "fig-017", "fig-024", "fig-031", "fig-037", "fig-044", "fig-051", "fig-057",
             "txt-004", "txt-010", "txt-016", "txt-022", "txt-028", "trd-004", "trd-010", "con-005", "nb-004",
             "nb-011", "nb-017", "nb-024", "una-004", "una-010", "una-016"]


def test_sample_of_the_bundled_set_is_proportional_and_fixed():
    questions = load_questions(QUESTIONS, load_heldout(HELDOUT))
    sample = sample_questions(questions, 24)
    # 60/31/13/9/27/18 of 158: quotas 9.11, 4.71, 1.97, 1.37, 4.10, 2.73 → floors 9,4,1,1,4,2 plus the three
    # largest remainders (trend .97, unanswerable .73, text .71).
    assert sample_description(questions, sample)["by_kind"] == {
        "figure": 9, "text": 5, "trend": 2, "conflict": 1, "norwegian": 4, "unanswerable": 3}
    assert [q.id for q in sample] == SAMPLE_24  # evenly spaced within each kind, in file order
    assert sample_questions(list(reversed(questions)), 24) == list(reversed(sample))  # the same questions
    assert [q.id for q in sample_questions(questions, 2)] == ["fig-031", "txt-016"]
    # Six seats: every kind gets one, the sixth given up by figure (which had two).
    assert [q.id for q in sample_questions(questions, 6)] == [
        "fig-031", "txt-016", "trd-007", "con-005", "nb-014", "una-010"]
    assert sample_questions(questions, 500) == questions


def test_sample_gives_every_kind_a_seat_and_rejects_nonsense():
    questions = [_question(answers=("1",)) for _ in range(10)]
    questions = [replace(q, id=f"fig-{i:03d}") for i, q in enumerate(questions)]
    questions.append(replace(_question("unanswerable", (), ()), id="una-001"))
    assert [q.id for q in sample_questions(questions, 2)] == ["fig-005", "una-001"]  # not two figures
    assert [q.id for q in sample_questions(questions, 4)] == ["fig-001", "fig-005", "fig-008", "una-001"]
    with pytest.raises(ConfigError, match="limit must be at least 1"):
        sample_questions(questions, 0)


# -- the --llm report fields ----------------------------------------------------------------------------------------


def _llm_stats(asked: bool, interventions: int, fell_back: bool, first_token: float | None,
               first_text: float) -> StreamStats:
    return StreamStats(model_asked=asked, gate_interventions=interventions, fell_back=fell_back,
                       first_token_ms=first_token, first_text_ms=first_text, shown_is_graded=True)


LLM_MADE = [
    replace(HAND_MADE[0], llm=_llm_stats(True, 0, False, 1000.0, 2000.0), latency_ms=3000.0),
    replace(HAND_MADE[1], llm=_llm_stats(True, 2, False, 3000.0, 5000.0), latency_ms=6000.0),
    replace(HAND_MADE[3], llm=_llm_stats(True, 3, True, 2000.0, 8000.0), latency_ms=8000.0),
    replace(HAND_MADE[4], llm=_llm_stats(False, 0, False, None, 50.0), latency_ms=50.0),
]


def test_llm_metrics_exact():
    m = llm_metrics(LLM_MADE)
    assert (m["n_answers"], m["n_model_asked"]) == (4, 3)
    assert (m["gate_interventions"], m["answers_intervened"], m["intervened_share"]) == (5, 2, 0.5)
    assert (m["fallbacks"], m["fallback_share"]) == (1, 0.25)
    # first token: over the 3 answers the model wrote; first text and full answer: over all 4
    assert (m["first_token_p50_ms"], m["first_token_p95_ms"]) == (2000.0, 2900.0)
    assert (m["first_text_p50_ms"], m["first_text_p95_ms"]) == (3500.0, 7550.0)
    assert (m["answer_p50_ms"], m["answer_p95_ms"]) == (4500.0, 7700.0)
    assert m["shown_differs_from_graded"] == 0
    assert llm_metrics(HAND_MADE)["n_answers"] == 0  # an evidence-first run has none of these


def test_llm_fields_in_the_json_and_markdown_reports():
    assert "llm" not in HAND_MADE[0].to_dict()  # the evidence-first report keeps its shape
    assert LLM_MADE[0].to_dict()["llm"] == {"model_asked": True, "gate_interventions": 0, "fell_back": False,
                                            "first_token_ms": 1000.0, "first_text_ms": 2000.0,
                                            "shown_is_graded": True}
    summary = {**summarize(LLM_MADE), "questions_file": "q.jsonl",
               "llm": {"backend": "llamacpp", "model": "gemma.gguf", "base_url": None, **llm_metrics(LLM_MADE)},
               "sample": {"n": 4, "of": 6, "by_kind": {"figure": 2, "text": 1, "unanswerable": 1}, "ids": []}}
    run = EvalRun(summary=summary, results=LLM_MADE, markdown="")
    text = render_markdown(run)
    assert "Sample (`--limit 4`): 4 of 6 questions, spread over the kinds in proportion (figure 2, text 1, " \
           "unanswerable 1)." in text
    assert "| ours (llamacpp: gemma.gguf) | 0.750 |" in text
    assert "Backend `llamacpp`, model `gemma.gguf`." in text
    assert "| answers where the gate intervened | 2 (0.500) |" in text
    assert "| fell back to the evidence-first answer | 1 (0.250) |" in text
    assert "| first model token p50 / p95 ms | 2000 / 2900 |" in text
    assert "| full answer p50 / p95 ms | 4500 / 7700 |" in text
    assert run.headline().splitlines()[-1] == (
        "llm      llamacpp: gemma.gguf  asked 3/4  gate intervened in 2 (5 interventions)  fallbacks 1  "
        "first token p50/p95=2000/2900ms  first text 3500/7550ms  answer 4500/7700ms")


# -- gate and report ------------------------------------------------------------------------------------------------


def test_check_thresholds(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text("[minimum]\naccuracy = 0.6\nabstention_accuracy = 0.5\nrecall_at_5 = 0.4\n", encoding="utf-8")
    summary = summarize(HAND_MADE)
    assert check_thresholds(summary, path) == ["accuracy = 0.500 is below the minimum 0.600."]
    path.write_text("[minimum]\naccuracy = 0.5\n", encoding="utf-8")
    assert check_thresholds(summary, path) == []
    path.write_text("[minimum]\naccurracy = 0.5\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="unknown metric.*accurracy"):
        check_thresholds(summary, path)
    with pytest.raises(ThresholdsError, match="does not exist"):
        check_thresholds(summary, tmp_path / "missing.toml")


def test_bundled_thresholds_file_is_valid():
    summary = summarize(HAND_MADE)
    failures = check_thresholds(summary, ROOT / "eval" / "thresholds.toml")
    assert all("below the minimum" in f for f in failures)


def test_markdown_lists_tuning_failures_but_hides_heldout_ones():
    run = EvalRun(summary={**summarize(HAND_MADE), "questions_file": "q.jsonl"}, results=HAND_MADE, markdown="")
    text = render_markdown(run)
    assert "| r3 |" in text  # a tuning failure
    assert "r2" not in text and "r6" not in text  # held-out failures are only counted
    assert "2 held-out questions were wrong" in text
    assert "## Held-out split (n = 2)" in text


# -- end to end through the CLI (fake embedder, mini corpus) ---------------------------------------------------------


MINI_QUESTIONS = [
    {"id": "nb-001", "question": "Hvor mange lokasjoner har selskapet i Norge?", "lang": "nb", "answers": ["13"],
     "sources": ["mini-no-2023"], "kind": "norwegian"},
    {"id": "txt-001", "question": "Hvad hedder den hvide kat?", "lang": "da", "answers": ["Sjusk"],
     "sources": ["mini-csr-2024"], "kind": "text"},
    {"id": "una-001", "question": "Hvor mange ton CO2 udledte firmabilerne i 2019?", "lang": "da", "answers": [],
     "sources": [], "kind": "unanswerable"},
]


def test_rag_eval_cli_end_to_end(monkeypatch, fake_embedder, mini_settings, tmp_path):
    from click.testing import CliRunner

    import rag
    from rag import cli

    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    rag._answerers.clear()
    runner = CliRunner()
    corpus, index = str(mini_settings.corpus_dir), str(mini_settings.index_dir)
    assert runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"]).exit_code == 0
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in MINI_QUESTIONS) + "\n", "utf-8")
    low, high = tmp_path / "low.toml", tmp_path / "high.toml"
    low.write_text("[minimum]\nrecall_at_5 = 0.5\n", encoding="utf-8")
    high.write_text("[minimum]\nrecall_at_5 = 1.01\n", encoding="utf-8")
    out_json, out_md = tmp_path / "out" / "eval.json", tmp_path / "out" / "eval.md"
    args = ["eval", "--questions", str(questions), "--index", index, "--corpus", corpus, "--quiet"]

    result = runner.invoke(cli.main, [*args, "--json", str(out_json), "--markdown", str(out_md), "--baselines",
                                      "--gate", str(low)])
    assert result.exit_code == 0, result.output
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(report) == {"summary", "results"}
    assert [r["id"] for r in report["results"]] == ["nb-001", "txt-001", "una-001"]
    first = report["results"][0]
    assert {"id", "question", "answer", "abstained", "citations", "correct", "cited_expected_source",
            "first_relevant_rank", "latency_ms", "kind", "lang", "split"} <= set(first)
    assert first["correct"] is True and first["citations"][0]["doc_id"] == "mini-no-2023"
    assert first["first_relevant_rank"] is not None
    summary = report["summary"]
    assert summary["n"] == 3 and summary["recall_at_10"] == 1.0
    assert set(summary["baselines"]) == {"bm25", "dense", "vanilla_langchain"}
    assert summary["baselines"]["vanilla_langchain"]["n_chunks"] == 2  # each mini file fits one 1000-char chunk
    assert set(first["baselines"]) == {"bm25", "dense", "vanilla_langchain"}
    assert summary["gate"]["failures"] == []
    assert "# Evaluation report" in out_md.read_text(encoding="utf-8")

    gated = runner.invoke(cli.main, [*args, "--gate", str(high)])
    assert gated.exit_code == 1
    assert "recall_at_5 = 1.000 is below the minimum 1.010" in gated.output


def test_rag_eval_llm_none_with_limit_through_the_cli(monkeypatch, fake_embedder, mini_settings, tmp_path):
    """The --llm path without a model: the same streaming, grading and report fields, and the options' rules."""
    from click.testing import CliRunner

    from rag import cli

    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    runner = CliRunner()
    corpus, index = str(mini_settings.corpus_dir), str(mini_settings.index_dir)
    assert runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"]).exit_code == 0
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in MINI_QUESTIONS) + "\n", "utf-8")
    out_json, out_md = tmp_path / "eval.json", tmp_path / "eval.md"
    args = ["eval", "--questions", str(questions), "--index", index, "--quiet"]

    result = runner.invoke(cli.main, [*args, "--llm", "none", "--limit", "2", "--json", str(out_json),
                                      "--markdown", str(out_md)])
    assert result.exit_code == 0, result.output
    report = json.loads(out_json.read_text(encoding="utf-8"))
    # three kinds with one question each and two seats: ties go in the order of KINDS (text before norwegian)
    assert [r["id"] for r in report["results"]] == ["nb-001", "txt-001"]
    assert report["summary"]["sample"] == {"n": 2, "of": 3, "ids": ["nb-001", "txt-001"], "by_kind": {
        "figure": 0, "text": 1, "trend": 0, "conflict": 0, "norwegian": 1, "unanswerable": 0}}
    llm = report["summary"]["llm"]
    assert {k: llm[k] for k in ("backend", "model", "base_url", "n_answers", "n_model_asked", "gate_interventions",
                                "fallbacks", "first_token_p50_ms", "shown_differs_from_graded")} == {
        "backend": "none", "model": "none", "base_url": None, "n_answers": 2, "n_model_asked": 0,
        "gate_interventions": 0, "fallbacks": 0, "first_token_p50_ms": None, "shown_differs_from_graded": 0}
    assert report["summary"]["accuracy"] == 1.0
    first = report["results"][0]
    # Without a model the streamed answer is the evidence-first one, exactly as `rag ask` gives it.
    from rag.answer import Answerer
    from rag.config import load_settings
    from rag.index import load_index

    settings = load_settings().with_overrides(index_dir=mini_settings.index_dir)  # as the CLI reads them
    evidence = Answerer(load_index(settings.index_dir, settings, fake_embedder), settings)
    assert [r["answer"] for r in report["results"]] == [evidence.ask(q["question"]).answer for q in MINI_QUESTIONS[:2]]
    assert "13 lokasjoner" in first["answer"] and first["first_relevant_rank"] == 1
    assert first["llm"]["model_asked"] is False and first["llm"]["first_token_ms"] is None
    assert 0 < first["llm"]["first_text_ms"] <= first["latency_ms"] + 0.1  # without a model: shown when done
    assert llm["answer_p50_ms"] > 0 and llm["first_text_p50_ms"] <= llm["answer_p50_ms"]
    assert "## Language model" in out_md.read_text(encoding="utf-8")
    assert result.output.splitlines()[-1].startswith("llm      none: none  asked 0/2  gate intervened in 0")

    gated = runner.invoke(cli.main, [*args, "--limit", "2", "--gate", str(ROOT / "eval" / "thresholds.toml")])
    assert gated.exit_code == 2
    assert "The thresholds apply to the full evidence-first run; drop --gate, or drop --llm/--limit." in gated.output
    no_backend = runner.invoke(cli.main, [*args, "--model", "x.gguf"])
    assert no_backend.exit_code == 2 and "add --llm openai or llamacpp" in no_backend.output


DEV_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"


def test_dev_questions_are_new_and_their_answers_occur_in_their_sources():
    """The dev set (written while fixing failures, so never held out) adds to the bundled set, not repeats it."""
    dev = load_questions(DEV_QUESTIONS)
    main = load_questions(QUESTIONS)
    assert len(dev) == 48
    assert not {q.id for q in dev} & {q.id for q in main}
    assert not {q.question.casefold() for q in dev} & {q.question.casefold() for q in main}
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for q in dev:
        for expected in q.answers:
            assert any(expected_found(expected, " ".join(texts[s].split())) for s in q.sources), (q.id, expected)
