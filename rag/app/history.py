"""The chat kept across reloads: each conversation's turns and interface language in SQLite under data/.

Streamlit forgets a session when the page is reloaded; the app keeps the conversation's id in the page address
(`?samtale=<id>`) and its turns here, so a reload (or a bookmark) shows the same conversation. Each turn is
stored as JSON with its answer, citations and facts, exactly as the user saw it.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from rag.app.chat import Scope, Turn
from rag.app.sqlite import transaction
from rag.errors import RagError
from rag.types import Answer, Citation, Fact, Language

DB_NAME = "history.sqlite"
_ID = re.compile(r"^[0-9a-f]{12,32}$")
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, language TEXT)""",
    """CREATE TABLE IF NOT EXISTS turns (
        conversation_id TEXT NOT NULL, position INTEGER NOT NULL, turn TEXT NOT NULL,
        PRIMARY KEY (conversation_id, position))""",
)


class HistoryError(RagError):
    """The conversation store cannot be read or written (the chat still works, without memory across reloads)."""


def new_conversation_id() -> str:
    """A fresh id: random, so one conversation's address does not reveal another's."""
    return secrets.token_hex(8)


def valid_conversation_id(value: str | None) -> bool:
    """Ids come from the page address, so anything else than our own hex ids is refused."""
    return bool(value and _ID.match(value))


def default_history_path(data_dir: Path) -> Path:
    """Where conversations live: `<data_dir>/history.sqlite`, next to the feedback store."""
    return data_dir / DB_NAME


@dataclass(frozen=True)
class Conversation:
    """What a reload restores: the turns in order and the interface language, if one was set."""

    id: str
    language: Language | None
    turns: tuple[Turn, ...]


class HistoryStore:
    """Conversations in one SQLite file; a turn is written once, when its answer is complete."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.path, _SCHEMA, HistoryError, "conversation store")

    def _touch(self, conn: sqlite3.Connection, conversation: str, language: Language | None = None) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO conversations (id, created_at, updated_at, language) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, "
            "language = COALESCE(excluded.language, conversations.language)",
            (conversation, now, now, language),
        )

    def load(self, conversation: str) -> Conversation:
        if not self.path.exists():
            return Conversation(conversation, None, ())
        with self._connect() as conn:
            row = conn.execute("SELECT language FROM conversations WHERE id = ?", (conversation,)).fetchone()
            rows = conn.execute("SELECT turn FROM turns WHERE conversation_id = ? ORDER BY position",
                                (conversation,)).fetchall()
        language = cast(Language, row[0]) if row and row[0] in ("da", "nb") else None
        return Conversation(conversation, language, tuple(turn_from_json(r[0]) for r in rows))

    def append(self, conversation: str, turn: Turn) -> None:
        with self._connect() as conn:
            self._touch(conn, conversation)
            (count,) = conn.execute("SELECT count(*) FROM turns WHERE conversation_id = ?", (conversation,)).fetchone()
            conn.execute("INSERT INTO turns (conversation_id, position, turn) VALUES (?, ?, ?)",
                         (conversation, int(count), turn_to_json(turn)))

    def set_language(self, conversation: str, language: Language) -> None:
        with self._connect() as conn:
            self._touch(conn, conversation, language)

    def clear(self, conversation: str) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation,))


# --- turns as JSON -------------------------------------------------------------------------------------------


def turn_to_json(turn: Turn) -> str:
    """A turn with its answer, citations and facts as one JSON object (hits are not kept)."""
    data: dict[str, Any] = {
        "asked": turn.asked, "question": turn.question, "language": turn.language, "years": list(turn.years),
        "scope": None if turn.scope is None else {"label": turn.scope.label,
                                                  "organisations": list(turn.scope.organisations)},
        "follow_up": turn.follow_up, "id": turn.id, "answer": None,
    }
    if turn.answer is not None:
        a = turn.answer
        data["answer"] = {
            "question": a.question, "answer": a.answer, "abstained": a.abstained, "language": a.language,
            "citations": [c.to_dict() for c in a.citations], "latency_ms": a.latency_ms,
            "computed": list(a.computed), "facts": [f.to_dict() for f in a.facts],
            "gate_interventions": a.gate_interventions,
        }
    return json.dumps(data, ensure_ascii=False)


def turn_from_json(text: str) -> Turn:
    """The turn `turn_to_json` wrote."""
    data = json.loads(text)
    scope = data.get("scope")
    answer = None
    if data.get("answer"):
        a = data["answer"]
        answer = Answer(
            question=a["question"], answer=a["answer"], abstained=bool(a["abstained"]), language=a["language"],
            citations=tuple(Citation(**c) for c in a["citations"]), latency_ms=float(a.get("latency_ms", 0.0)),
            computed=tuple(a.get("computed", ())), gate_interventions=int(a.get("gate_interventions", 0)),
            facts=tuple(Fact.from_dict(f) for f in a.get("facts", ())),
        )
    return Turn(
        asked=data["asked"], question=data["question"], language=data["language"], years=tuple(data["years"]),
        scope=None if scope is None else Scope(scope["label"], tuple(scope["organisations"])),
        follow_up=bool(data["follow_up"]), answer=answer, id=data.get("id", ""),
    )
