"""Asking a figure question of one document's facts, as the answerer does: parsed once, scoped, rows ranked."""

from __future__ import annotations

from dataclasses import replace

from rag.answer.figures import answer_figure
from rag.answer.query import parse_query
from rag.answer.rows import RowIndex
from rag.answer.scope import Scoper
from rag.ingest.tables import extract_facts
from rag.text.metrics import slug
from rag.types import Chunk, DocMeta, Document, Fact


def ask_rows(question: str, facts: list[Fact], meta: DocMeta) -> str | None:
    """The figure path's answer to a question about one document's table rows (its facts), or None.

    The document's text is its rows' lines, so the organisation scope is found as the answerer finds it.
    """
    docs = {meta.doc_id: meta}
    table = Chunk("c1", meta.doc_id, meta.title, "\n".join(f.source_text for f in facts), 0, 100, meta.language)
    info = replace(parse_query(question, meta.year), scope=Scoper(docs, [table]).resolve(question))
    answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
    return None if answer is None else answer.text


def ask_figure(doc: Document, question: str, year: int) -> str | None:
    """The figure path's answer text for a question about `doc` (a corpus of one, newest year `year`), or None."""
    facts = extract_facts(doc)
    docs = {doc.doc_id: doc.meta}
    info = replace(parse_query(question, year), scope=Scoper(docs, []).resolve(question))
    answer = answer_figure(info, facts, docs, rows=RowIndex(facts, docs))
    return None if answer is None else answer.text


def table_row(
    doc_id: str,
    label: str,
    values: dict[int, str],
    table: str,
    start: int,
    *,
    unit: str | None = None,
    qualifier: str | None = None,
    group: str | None = None,
) -> list[Fact]:
    """The facts of one printed table row, one per year column, as the grid reader emits them (unit column first)."""
    header = "\t".join(["", *(["Enhed"] if unit else []), *map(str, values)])
    line = "\t".join([label, *([unit] if unit else []), *values.values()])
    return [
        Fact(
            metric=label,
            metric_key=slug(label),
            year=year,
            value_text=text,
            value=float(text.replace(".", "").replace(",", ".")),
            unit=unit,
            doc_id=doc_id,
            source_text=line,
            start=start,
            end=start + len(line),
            qualifier=qualifier,
            group=group,
            page=3,
            table=table,
            style="grid",
            header=header,
        )
        for year, text in values.items()
    ]
