"""Asking a figure question of one document's facts, as the answerer does: parsed once, scoped, rows ranked."""

from __future__ import annotations

from dataclasses import replace

from rag.answer.rows import RowIndex
from rag.answer.scope import Scoper
from rag.figures import answer_figure
from rag.query import parse_query
from rag.tables import extract_facts
from rag.types import Document


def ask_figure(doc: Document, question: str, year: int) -> str | None:
    """The figure path's answer text for a question about `doc` (a corpus of one, newest year `year`), or None."""
    facts = extract_facts(doc)
    docs = {doc.doc_id: doc.meta}
    info = replace(parse_query(question, year), scope=Scoper(docs, []).resolve(question))
    answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
    return None if answer is None else answer.text
