"""Offline question answering over Danish and Norwegian CSR reports, with checkable citations.

>>> from rag import ask
>>> answer = ask("Hvad var eNPS i 2024?")
>>> answer.answer, answer.citations[0].doc_id
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import Settings, load_settings
from rag.errors import RagError
from rag.types import Answer, Chunk, Citation, DocMeta, Document, Fact, Hit

if TYPE_CHECKING:
    from rag.answer import Answerer
    from rag.answer.retrieve import Filters

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "DocMeta",
    "Document",
    "Fact",
    "Hit",
    "RagError",
    "Settings",
    "ask",
    "get_answerer",
    "load_settings",
]

_answerers: dict[tuple[Path, Settings], Answerer] = {}
_lock = threading.Lock()


def get_answerer(settings: Settings | None = None, index_dir: Path | str | None = None) -> Answerer:
    """The answer pipeline for an index, loaded once per process (the model and vectors stay warm)."""
    from rag.answer import Answerer
    from rag.index import load_index

    settings = settings or load_settings()
    if index_dir is not None:
        settings = settings.with_overrides(index_dir=Path(index_dir))
    key = (settings.index_dir.resolve(), settings)
    with _lock:
        if key not in _answerers:
            _answerers[key] = Answerer(load_index(settings.index_dir, settings), settings)
        return _answerers[key]


def ask(
    question: str,
    *,
    index_dir: Path | str | None = None,
    k: int | None = None,
    settings: Settings | None = None,
    filters: Filters | None = None,
) -> Answer:
    """Answer a question from the index: an `Answer` with the fields of `rag ask --json`."""
    return get_answerer(settings, index_dir).ask(question, k=k, filters=filters)
