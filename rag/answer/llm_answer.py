"""Language-model answers behind the grounding gate, with the evidence-first answer as the fallback.

The chain, as LangChain runnables::

    question → evidence (hybrid retrieval + evidence-first answer, `rag.answer.Answerer`)
             → prompt (numbered, fenced sources; `rag.answer.prompting`)
             → chat model (`rag.answer.llm`: openai or llamacpp)
             → gate (`rag.answer.gate`: sentences checked against the sources; else the evidence answer + a note)

The evidence-first answer is computed first because it is cheap and is what the gate falls back to; its
citations (the facts a figure answer rests on) become the first sources of the prompt. When the evidence-first
answerer abstains, the model is not asked by default: retrieval found nothing good enough, and a small model
asked anyway tends to answer from weakly related passages.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.callbacks import Callbacks
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda, RunnablePassthrough

from rag.answer import Answerer
from rag.answer.gate import (
    MARKER,
    NOTES,
    canonicalize_figures,
    check_sentence,
    citation_numbers,
    expected_figures,
    finalize,
    renumber,
    states_expected,
)
from rag.answer.prompting import MAX_SOURCES, PromptSources, build_messages, collect_sources
from rag.answer.retrieve import Filters
from rag.config import Settings
from rag.errors import LLMError, RagError
from rag.index import Index
from rag.text.language import ABSTAIN
from rag.text.sentences import split_answer as split_model_sentences
from rag.types import Answer

STOP = ["\nUser:", "\nSpørgsmål:", "\nSpørsmål:", "<kilde"]
"""Where a base model tends to continue the transcript instead of stopping (at most 4: OpenAI's limit)."""


@dataclass(frozen=True)
class Prepared:
    """Everything before the model: the evidence-first answer, the numbered sources and the messages."""

    question: str
    evidence: Answer
    sources: PromptSources
    messages: tuple[BaseMessage, ...]
    skip_model: bool
    started: float


class LLMAnswerer:
    """Answers with a chat model, gated; same `ask` contract as `rag.answer.Answerer`, plus `stream`.

    With `chat_model=None` (backend `none`) it is the evidence-first answerer. `last_answer` holds the
    final `Answer` after a `stream` has been consumed (the CLI prints its citations).
    """

    def __init__(
        self,
        index: Index,
        settings: Settings,
        chat_model: BaseChatModel | None,
        *,
        evidence: Answerer | None = None,
        max_sources: int = MAX_SOURCES,
        ask_model_when_evidence_abstains: bool = False,
    ) -> None:
        self.index = index
        self.settings = settings
        self.chat_model = chat_model
        self.evidence = evidence or Answerer(index, settings)
        self.max_sources = max_sources
        self.ask_model_when_evidence_abstains = ask_model_when_evidence_abstains
        self.last_answer: Answer | None = None
        self.chain = self._build_chain()

    # -- the chain ---------------------------------------------------------------------------------

    def prepare(self, question: str, k: int | None = None, filters: Filters | None = None) -> Prepared:
        """Retrieve, answer evidence-first, and build the prompt (no model call yet)."""
        started = time.perf_counter()
        evidence = self.evidence.ask(question, k=k, filters=filters)
        sources = collect_sources(evidence, self.index.facts, max_sources=self.max_sources)
        messages = build_messages(evidence.question, evidence.language, sources, ABSTAIN[evidence.language])
        skip = self.chat_model is None or not sources.sources or (
            evidence.abstained and not self.ask_model_when_evidence_abstains
        )
        return Prepared(evidence.question, evidence, sources, tuple(messages), skip, started)

    def _finish(self, value: dict[str, Any]) -> Answer:
        prepared: Prepared = value["prepared"]
        answer = finalize(value["text"], prepared.sources.sources, prepared.sources.computed, prepared.evidence)
        return replace(answer, latency_ms=(time.perf_counter() - prepared.started) * 1000)

    def _build_chain(self) -> Runnable[dict[str, Any], Answer]:
        def prepare(value: dict[str, Any]) -> dict[str, Any]:
            prepared = self.prepare(value["question"], k=value.get("k"), filters=value.get("filters"))
            return {"prepared": prepared, "messages": list(prepared.messages)}

        def evidence_only(value: dict[str, Any]) -> Answer:
            prepared: Prepared = value["prepared"]
            return replace(prepared.evidence, latency_ms=(time.perf_counter() - prepared.started) * 1000)

        if self.chat_model is None:
            return RunnableLambda(prepare) | RunnableLambda(evidence_only)
        model = self.chat_model.bind(stop=STOP)
        generate = RunnablePassthrough.assign(text=(lambda v: v["messages"]) | model | StrOutputParser())
        gated = generate | RunnableLambda(self._finish)
        branch: Runnable[dict[str, Any], Answer] = RunnableBranch(
            (lambda v: bool(v["prepared"].skip_model), RunnableLambda(evidence_only)), gated
        )
        return RunnableLambda(prepare) | branch

    def as_runnable(self) -> Runnable[dict[str, Any], Answer]:
        """The chain at LangChain's seam: {"question", "k"?, "filters"?} → `Answer`."""
        return self.chain

    # -- public API --------------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None, filters: Filters | None = None) -> Answer:
        """Answer one question: the gated model answer, or the evidence answer with a note if the gate refused it."""
        try:
            answer = self.chain.invoke({"question": question, "k": k, "filters": filters})
        except RagError:
            raise
        except Exception as exc:  # the model server or runtime failed: say so, never answer with the error
            raise LLMError(f"The language model failed ({type(exc).__name__}: {exc}); check the backend settings "
                           "or use --llm none.") from exc
        self.last_answer = answer
        return answer

    def stream(
        self, question: str, k: int | None = None, filters: Filters | None = None, callbacks: Callbacks = None
    ) -> Iterator[str]:
        """The answer as it is written, one gated sentence at a time; `last_answer` is set at the end.

        Tokens are buffered until a sentence is complete and has passed the gate, so nothing unchecked is
        shown. For a figure question, passing sentences are held back until one states a figure of the evidence
        answer, so the stream never has to take back what it showed when it falls back to the evidence answer.
        `callbacks` (LangChain handlers) see the model's raw tokens, e.g. to time the first one (`rag eval`).
        """
        prepared = self.prepare(question, k=k, filters=filters)
        if prepared.skip_model or self.chat_model is None:
            self.last_answer = replace(prepared.evidence, latency_ms=(time.perf_counter() - prepared.started) * 1000)
            yield self.last_answer.answer
            return
        sources = prepared.sources
        expected = expected_figures(prepared.evidence)
        order: list[int] = []
        held: list[str] = []
        done = 0
        raw = ""
        released = False

        def accept(sentence: str) -> str | None:
            if not any(ch.isalnum() for ch in MARKER.sub("", sentence)):
                return None
            if check_sentence(sentence, sources.sources, sources.computed) is not None:
                return None
            refs = citation_numbers(sentence)
            if not refs:
                return None
            order.extend(n for n in refs if n not in order)
            return canonicalize_figures(sentence, [sources.sources[n - 1] for n in refs])

        def release(new: list[str]) -> Iterator[str]:
            nonlocal released
            held.extend(new)
            if held and (released or not expected or any(states_expected(s, expected) for s in held)):
                text, _ = renumber(" ".join(held), sources.sources, order)
                yield (" " if released else "") + text
                released = True
                held.clear()

        try:
            for chunk in self.chat_model.stream(list(prepared.messages), {"callbacks": callbacks}, stop=STOP):
                raw += str(chunk.content)
                parts = split_model_sentences(raw)
                complete = parts[:-1] if not parts or not parts[-1].startswith("[") else parts[:-2]
                new = [s for s in (accept(p) for p in complete[done:]) if s is not None]
                done = max(done, len(complete))
                yield from release(new)
        except RagError:
            raise
        except Exception as exc:
            raise LLMError(
                f"The language model failed while streaming ({type(exc).__name__}: {exc}); check that the model "
                "server runs and the backend settings are right, or use --llm none. A server that cannot stream "
                "needs llm_streaming = false (RAG_LLM_STREAMING=false)."
            ) from exc
        parts = split_model_sentences(raw)
        yield from release([s for s in (accept(p) for p in parts[done:]) if s is not None])
        answer = finalize(raw, sources.sources, sources.computed, prepared.evidence)
        answer = replace(answer, latency_ms=(time.perf_counter() - prepared.started) * 1000)
        if released:
            if answer.gate_interventions:
                yield " " + NOTES[answer.language]["removed"]
        else:
            yield answer.answer
        self.last_answer = answer



_answerers: dict[Settings, LLMAnswerer] = {}


def get_llm_answerer(settings: Settings) -> LLMAnswerer:
    """The gated model answerer the settings ask for (`llm_backend`, `llm_model`, …), loaded once per process.

    It shares the loaded index and evidence-first answerer with `rag.get_answerer`.
    """
    from rag import get_answerer
    from rag.answer.llm import chat_model_from_settings

    if settings not in _answerers:
        evidence = get_answerer(settings)
        model = chat_model_from_settings(settings)
        _answerers[settings] = LLMAnswerer(evidence.index, settings, model, evidence=evidence)
    return _answerers[settings]
