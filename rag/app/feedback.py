"""👍/👎 and comments on answers, kept durably in SQLite (outside corpus/) and exportable as CSV or JSON Lines.

Feedback is what tells the team which questions the reports (or the pipeline) fail on, so each row keeps the
question, the answer text and its citations exactly as the user saw them, not just a rating.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TextIO

from rag.app.sqlite import transaction
from rag.errors import FeedbackError
from rag.types import Answer, Citation

DB_NAME = "feedback.sqlite"
Rating = Literal[1, -1]
ExportFormat = Literal["csv", "jsonl"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (1, -1)),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    language TEXT NOT NULL,
    citations TEXT NOT NULL
)
"""
_COLUMNS = ("id", "answer_id", "created_at", "updated_at", "rating", "comment", "question", "answer", "abstained",
            "language", "citations")


@dataclass(frozen=True)
class FeedbackRecord:
    """One stored rating of one answer, with what the user saw."""

    id: int
    answer_id: str
    created_at: str
    updated_at: str
    rating: Rating
    comment: str
    question: str
    answer: str
    abstained: bool
    language: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "answer_id": self.answer_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "rating": self.rating,
            "comment": self.comment,
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "citations": [c.to_dict() for c in self.citations],
        }


def default_db_path(data_dir: Path) -> Path:
    """Where feedback lives: `<data_dir>/feedback.sqlite` (data/ is git-ignored and outside corpus/)."""
    return data_dir / DB_NAME


class FeedbackStore:
    """A SQLite file of ratings; one row per answer, so changing 👍 to 👎 updates rather than duplicates."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, (_SCHEMA,), FeedbackError, "feedback store")

    def record(self, answer_id: str, answer: Answer, rating: Rating, comment: str = "") -> FeedbackRecord:
        """Store (or replace) the rating of one answer; `answer_id` identifies the answer within the chat."""
        if rating not in (1, -1):
            raise FeedbackError(f"A rating is 1 (👍) or -1 (👎), not {rating!r}.")
        if not answer_id:
            raise FeedbackError("Feedback needs the id of the answer it is about.")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        citations = json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False)
        with self._connect() as conn:
            conn.execute(
                """
                INSERT INTO feedback (answer_id, created_at, updated_at, rating, comment, question, answer,
                                      abstained, language, citations)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(answer_id) DO UPDATE SET
                    updated_at = excluded.updated_at, rating = excluded.rating, comment = excluded.comment
                """,
                (answer_id, now, now, rating, comment.strip(), answer.question, answer.answer,
                 int(answer.abstained), answer.language, citations),
            )
            row = conn.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM feedback WHERE answer_id = ?", (answer_id,)
            ).fetchone()
        return _record(row)

    def get(self, answer_id: str) -> FeedbackRecord | None:
        if not self.path.exists():
            return None
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM feedback WHERE answer_id = ?", (answer_id,)
            ).fetchone()
        return _record(row) if row else None

    def all(self) -> list[FeedbackRecord]:
        """Every rating, oldest first."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [_record(row) for row in rows]


def _record(row: tuple[object, ...]) -> FeedbackRecord:
    data = dict(zip(_COLUMNS, row, strict=True))
    citations = tuple(Citation(**c) for c in json.loads(str(data["citations"])))
    rating: Rating = 1 if int(str(data["rating"])) == 1 else -1
    return FeedbackRecord(
        id=int(str(data["id"])),
        answer_id=str(data["answer_id"]),
        created_at=str(data["created_at"]),
        updated_at=str(data["updated_at"]),
        rating=rating,
        comment=str(data["comment"]),
        question=str(data["question"]),
        answer=str(data["answer"]),
        abstained=bool(data["abstained"]),
        language=str(data["language"]),
        citations=citations,
    )


def write_feedback(records: list[FeedbackRecord], out: TextIO, fmt: ExportFormat = "jsonl") -> None:
    """Write records as JSON Lines (citations nested) or CSV (citations as one JSON column)."""
    if fmt == "jsonl":
        for rec in records:
            out.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_COLUMNS)
        for rec in records:
            row = rec.to_dict()
            row["citations"] = json.dumps(row["citations"], ensure_ascii=False)
            row["abstained"] = int(rec.abstained)
            writer.writerow([row[c] for c in _COLUMNS])
        return
    raise FeedbackError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")


def export_feedback(path: Path | None, fmt: ExportFormat = "jsonl", *, db_path: Path) -> tuple[int, str]:
    """Export every rating in `db_path` to `path` (or return the text when `path` is None): (count, text)."""
    if fmt not in FORMATS:
        raise FeedbackError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    records = FeedbackStore(db_path).all()
    buffer = io.StringIO()
    write_feedback(records, buffer, fmt)
    text = buffer.getvalue()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise FeedbackError(f"Cannot write {path} ({exc}); choose another --out path.") from exc
    return len(records), text
