"""Evidence-first answering without a language model: facts for figures, else the best sentences, else abstain.

Every number in an answer comes from a cited quote (or from code arithmetic over cited facts), so the
answer can be checked against the report by a person.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import RunnableLambda

from rag.analysis import analyze
from rag.config import Settings
from rag.figures import answer_figure
from rag.index import Index
from rag.language import ABSTAIN
from rag.query import QueryInfo, parse_query, validate_question
from rag.retrieve import Filters, HybridRetriever
from rag.types import Answer, Chunk, Citation, Hit, Language

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"”“«(\[]?[A-ZÆØÅ0-9])|\n(?=\s*[-•●▪]\s)|\n{2,}")
_NUMBER = re.compile(r"\d")
# Question words and fillers that say nothing about where the answer is.
_QUESTION_WORDS = {
    "hvad",
    "hva",
    "hvor",
    "hvordan",
    "hvilken",
    "hvilke",
    "hvilket",
    "hvem",
    "hvornår",
    "når",
    "hvorfor",
    "mange",
    "stor",
    "store",
    "meget",
    "mye",
    "var",
    "er",
    "vores",
    "vår",
    "våre",
    "aleris",
    "rapporten",
    "rapporterne",
    "rapportene",
    "fortæl",
    "fortell",
    "om",
    "beskriv",
    "gør",
    "gjør",
    "har",
    "havde",
    "hadde",
}
_FIGURE_CUES = re.compile(
    r"\b(hvor mange|hvor stor|hvor meget|hvor mye|antal|antall|andel|procent|prosent|tal|tall|score"
    r"|hvad var|hva var)\b",
    re.I,
)
_LEADS: dict[Language, str] = {"da": "Ifølge rapporten", "nb": "Ifølge rapporten"}


@dataclass(frozen=True)
class Candidate:
    """A sentence from a retrieved chunk and how well it answers the question."""

    text: str
    hit_rank: int
    chunk: Chunk
    coverage: float
    score: float


def split_sentences(text: str) -> list[str]:
    """Sentences (and list items/table lines) of a chunk, whitespace collapsed for quoting."""
    parts = [" ".join(part.split()) for part in _SENTENCE.split(text)]
    return [p for p in parts if len(p) >= 12 and sum(c.isalpha() for c in p) >= 6]


class Answerer:
    """The default answer chain: retrieve → figures from facts, or best sentences → cited answer, or abstain."""

    def __init__(self, index: Index, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self.retriever = HybridRetriever(index=index, settings=settings, k=settings.top_k)
        self._idf: dict[str, float] | None = None

    # -- scoring -----------------------------------------------------------------------------------

    def _term_idf(self) -> dict[str, float]:
        """Inverse document frequency of analysed terms over the chunks; rare terms say more."""
        if self._idf is None:
            df: Counter[str] = Counter()
            for chunk in self.index.chunks:
                df.update(set(analyze(chunk.text, chunk.language)))
            n = max(len(self.index.chunks), 1)
            self._idf = {term: math.log(1 + n / count) for term, count in df.items()}
        return self._idf

    def _question_terms(self, info: QueryInfo) -> dict[str, float]:
        idf = self._term_idf()
        default = math.log(1 + max(len(self.index.chunks), 1))
        words = " ".join(w for w in re.findall(r"\w+", info.text) if w.lower() not in _QUESTION_WORDS)
        return {t: idf.get(t, default) for t in analyze(words, info.language)}

    def _candidates(self, hits: Sequence[Hit], info: QueryInfo) -> list[Candidate]:
        terms = self._question_terms(info)
        total = sum(terms.values()) or 1.0
        wants_figure = bool(_FIGURE_CUES.search(info.text)) or bool(info.years)
        out: list[Candidate] = []
        for rank, hit in enumerate(hits[:6], start=1):
            for sentence in split_sentences(hit.chunk.text):
                found = set(analyze(sentence, hit.chunk.language)) & set(terms)
                coverage = sum(terms[t] for t in found) / total
                score = coverage + 0.08 / rank
                if info.years:
                    score += 0.25 if any(str(y) in sentence for y in info.years) else -0.15
                if wants_figure and _NUMBER.search(sentence):
                    score += 0.05
                out.append(Candidate(sentence, rank, hit.chunk, coverage, score))
        return sorted(out, key=lambda c: -c.score)

    # -- answering ---------------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None, filters: Filters | None = None) -> Answer:
        """Answer one question with numbered citations, or abstain in the question's language."""
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        info = parse_query(question, self.index.newest_year)
        hits = self.retriever.search(question, k=k or self.settings.top_k, filters=filters, info=info)

        allowed = filters or Filters()
        documents = {d: m for d, m in self.index.documents.items() if allowed.allows_document(m)}
        facts = [f for f in self.index.facts if f.doc_id in documents]
        figure = answer_figure(question, facts, documents)
        if figure is not None:
            return Answer(
                question=question,
                answer=figure.text,
                abstained=False,
                language=info.language,
                citations=figure.citations,
                latency_ms=(time.perf_counter() - started) * 1000,
                hits=tuple(hits),
            )

        candidates = self._candidates(hits, info)
        best = candidates[0] if candidates else None
        if (
            best is None
            or best.coverage < self.settings.abstain_threshold
            or (info.years and not any(str(y) in best.text for y in info.years))
        ):
            return Answer(
                question=question,
                answer=ABSTAIN[info.language],
                abstained=True,
                language=info.language,
                latency_ms=(time.perf_counter() - started) * 1000,
                hits=tuple(hits),
            )
        chosen = [best]
        second = next((c for c in candidates[1:] if c.chunk.id == best.chunk.id and c.text != best.text), None)
        if second is not None and second.coverage >= max(self.settings.abstain_threshold, best.coverage * 0.8):
            chosen.append(second)
        quote = " ".join(c.text for c in chosen)
        citation = Citation(
            n=1,
            doc_id=best.chunk.doc_id,
            title=best.chunk.title,
            page=best.chunk.page,
            section=best.chunk.section,
            quote=quote,
        )
        text = f"{_LEADS[info.language]}: «{quote}» [1]"
        return Answer(
            question=question,
            answer=text,
            abstained=False,
            language=info.language,
            citations=(citation,),
            latency_ms=(time.perf_counter() - started) * 1000,
            hits=tuple(hits),
        )

    def as_runnable(self) -> RunnableLambda[Any, Answer]:
        """The chain at LangChain's seam: a runnable from a question (or {"question": ...}) to an `Answer`."""

        def run(value: Any) -> Answer:
            if isinstance(value, dict):
                return self.ask(value["question"], k=value.get("k"), filters=value.get("filters"))
            return self.ask(str(value))

        return RunnableLambda(run)
