"""The answer path: parse the question once (`query.py`), scope, retrieve, figures, sentences, compose, gate, LLM."""

from rag.answer.answerer import Answerer
from rag.text.sentences import split_sentences

__all__ = ["Answerer", "split_sentences"]
