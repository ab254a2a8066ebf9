"""Feedback store: durable rows per answer, updates instead of duplicates, CSV/JSONL export and the CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag import cli
from rag.app.feedback import FeedbackStore, default_db_path, export_feedback
from rag.errors import FeedbackError
from rag.types import Answer, Citation

CITE = Citation(n=1, doc_id="mini-csr-2024", title="Mini CSR-rapport 2024", page=3, section="Appendiks",
                quote="Sygefravær, korttids (under 30 dage) % <2,5 2,64 3,27 3,51")
ANSWER = Answer(question="Hvad var sygefraværet i 2024?", answer="Sygefravær, korttids var 2,64 % i 2024 [1].",
                abstained=False, language="da", citations=(CITE,))
ABSTAINED = Answer(question="Hvem vandt VM?", answer="Det kan jeg ikke finde i rapporterne.", abstained=True,
                   language="da")


def test_record_survives_a_new_store_and_updates_in_place(tmp_path: Path) -> None:
    path = default_db_path(tmp_path / "data")
    assert path == tmp_path / "data" / "feedback.sqlite"
    FeedbackStore(path).record("a1", ANSWER, 1)
    FeedbackStore(path).record("a2", ABSTAINED, -1, "  Burde sige hvor man kan spørge  ")
    again = FeedbackStore(path).record("a1", ANSWER, -1, "Forkert år")
    assert (again.id, again.rating, again.comment) == (1, -1, "Forkert år")
    rows = FeedbackStore(path).all()
    assert [(r.answer_id, r.rating, r.comment) for r in rows] == [
        ("a1", -1, "Forkert år"),
        ("a2", -1, "Burde sige hvor man kan spørge"),
    ]
    assert rows[0].citations == (CITE,) and rows[0].question == ANSWER.question and rows[0].answer == ANSWER.answer
    assert rows[1].abstained is True and rows[1].citations == ()
    assert FeedbackStore(path).get("nope") is None
    with sqlite3.connect(path) as conn:  # a plain SQLite file others can read
        assert conn.execute("SELECT count(*) FROM feedback").fetchone() == (2,)
    conn.close()


def test_bad_rating_and_missing_id(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite")
    with pytest.raises(FeedbackError, match="1 \\(👍\\) or -1"):
        store.record("a", ANSWER, 0)  # type: ignore[arg-type]
    with pytest.raises(FeedbackError, match="id of the answer"):
        store.record("", ANSWER, 1)
    assert store.all() == []


def test_corrupt_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FeedbackError, match="move the file aside"):
        FeedbackStore(path).record("a", ANSWER, 1)


def test_export_jsonl_and_csv(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite"
    FeedbackStore(db).record("a1", ANSWER, 1, 'Godt, "præcist"')
    FeedbackStore(db).record("a2", ABSTAINED, -1)
    count, text = export_feedback(tmp_path / "out.jsonl", "jsonl", db_path=db)
    assert count == 2 and (tmp_path / "out.jsonl").read_text(encoding="utf-8") == text
    rows = [json.loads(line) for line in text.splitlines()]
    assert rows[0]["citations"] == [CITE.to_dict()] and rows[0]["rating"] == 1
    assert rows[0]["comment"] == 'Godt, "præcist"' and rows[1]["abstained"] is True

    count, text = export_feedback(None, "csv", db_path=db)
    table = list(csv.DictReader(io.StringIO(text)))
    assert count == 2 and [r["rating"] for r in table] == ["1", "-1"]
    assert table[0]["comment"] == 'Godt, "præcist"'
    assert json.loads(table[0]["citations"])[0]["quote"] == CITE.quote
    with pytest.raises(FeedbackError, match="csv, jsonl"):
        export_feedback(None, "xml", db_path=db)  # type: ignore[arg-type]


def test_export_of_an_empty_store(tmp_path: Path) -> None:
    assert export_feedback(None, "jsonl", db_path=tmp_path / "none.sqlite") == (0, "")
    assert not (tmp_path / "none.sqlite").exists()


def test_cli_feedback_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    FeedbackStore(default_db_path(tmp_path / "data")).record("a1", ANSWER, 1, "fint")
    runner = CliRunner()
    result = runner.invoke(cli.main, ["feedback", "export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("id,answer_id,created_at")
    assert ",a1," in result.output and "fint" in result.output
    out = tmp_path / "export" / "fb.jsonl"
    result = runner.invoke(cli.main, ["feedback", "export", "--out", str(out)])
    assert result.exit_code == 0 and "Wrote 1 feedback rows" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["comment"] == "fint"
    bad = runner.invoke(cli.main, ["feedback", "export", "--format", "xml"])
    assert bad.exit_code == 2 and "Invalid value for '--format'" in bad.output
