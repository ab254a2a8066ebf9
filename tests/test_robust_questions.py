"""Questions a user can mistype reach them as one line that says what to do: CLI and Python API alike."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import rag
from rag import cli
from rag.config import Settings
from rag.errors import QuestionError
from rag.index import build_index
from tests.conftest import FakeEmbedder

NOT_UTF8 = "Hvor mange \udcff?"  # what Python makes of $'Hvor mange \xff?' on the command line
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"


@pytest.fixture
def indexed(mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    rag._answerers.clear()
    result = CliRunner().invoke(cli.main, ["index", "--corpus", str(mini_settings.corpus_dir),
                                           "--index", str(mini_settings.index_dir), "--quiet"])
    assert result.exit_code == 0
    yield str(mini_settings.index_dir)
    rag._answerers.clear()


@pytest.mark.parametrize(("question", "message"), [
    (NOT_UTF8, "Error: The question contains bytes that are not valid UTF-8; set the terminal to UTF-8 "
               "(e.g. export LANG=C.UTF-8) and type the question again."),
    (ZERO_WIDTH, "Error: The question is empty; type a question, e.g. 'Hvad var eNPS i 2024?'."),
])
@pytest.mark.parametrize("command", ["ask", "search"])
def test_cli_question_errors_are_one_line(indexed: str, question: str, message: str, command: str) -> None:
    result = CliRunner().invoke(cli.main, [command, question, "--index", indexed])
    assert result.exit_code == 2 and result.output.strip() == message


def test_python_api_raises_question_errors(mini_settings: Settings, fake_embedder: FakeEmbedder,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    rag._answerers.clear()
    build_index(mini_settings, embedder=fake_embedder, progress=False)
    with pytest.raises(QuestionError, match="not valid UTF-8"):
        rag.ask(NOT_UTF8, settings=mini_settings)
    with pytest.raises(QuestionError, match="The question is empty"):
        rag.ask(ZERO_WIDTH, settings=mini_settings)
    answer = rag.ask("Hvad hedder den\u200b hvide kat?", settings=mini_settings)  # invisible characters dropped
    assert "Sjusk" in answer.answer
    rag._answerers.clear()
