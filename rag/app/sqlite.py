"""One SQLite transaction for the app's small stores (feedback, conversations).

Why one place: both stores create their folder and schema on first use and turn a broken or unwritable file into
an error that says how to fix it; the two must not drift apart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from rag.errors import RagError


@contextmanager
def transaction(path: Path, schema: Sequence[str], error: type[RagError], name: str) -> Iterator[sqlite3.Connection]:
    """A connection inside one transaction (committed on success, rolled back on error), schema in place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            with conn:
                for statement in schema:
                    conn.execute(statement)
                yield conn
    except sqlite3.DatabaseError as exc:
        raise error(f"The {name} {path} cannot be used ({exc}); move the file aside to start a new one.") from exc
    except OSError as exc:
        raise error(f"Cannot write the {name} {path} ({exc}); check that its folder is writable.") from exc
