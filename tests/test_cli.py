from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag import cli
from rag.config import Settings
from tests.conftest import FakeEmbedder


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, fake_embedder: FakeEmbedder) -> CliRunner:
    # The CLI builds its embedder from settings; in unit tests that is the fake one.
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    import rag

    rag._answerers.clear()
    return CliRunner()


def test_index_then_ask_json(runner: CliRunner, mini_settings: Settings) -> None:
    corpus, index = str(mini_settings.corpus_dir), str(mini_settings.index_dir)
    result = runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Index updated: 2 documents")

    again = runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"])
    assert again.output.startswith("Index up to date: 2 documents")

    result = runner.invoke(
        cli.main, ["ask", "Hvor mange lokasjoner har selskapet i Norge?", "--json", "--index", index]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"question", "answer", "abstained", "language", "citations", "latency_ms"}
    assert data["language"] == "nb" and data["abstained"] is False
    assert set(data["citations"][0]) == {"n", "doc_id", "title", "page", "section", "quote"}
    assert data["citations"][0]["doc_id"] == "mini-no-2023"

    text = runner.invoke(cli.main, ["ask", "Hvad hedder den hvide kat?", "--index", index])
    assert "Sjusk" in text.output and "[1] Mini CSR-rapport 2024 (mini-csr-2024, Vores medarbejdere)" in text.output


def test_errors_are_one_line_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli.main, ["ask", "Hvad var eNPS?", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: No index in") and "rag index" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(cli.main, ["index", "--corpus", str(tmp_path / "missing"), "--index", str(tmp_path / "i")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_skipped_files_are_named(runner: CliRunner, mini_settings: Settings) -> None:
    (mini_settings.corpus_dir / "latin.txt").write_bytes("Sygefravær".encode("latin-1"))
    result = runner.invoke(
        cli.main,
        ["index", "--corpus", str(mini_settings.corpus_dir), "--index", str(mini_settings.index_dir), "--quiet"],
    )
    assert result.exit_code == 0
    assert f"Skipped {mini_settings.corpus_dir / 'latin.txt'}: not UTF-8 text" in result.output


def test_empty_question(runner: CliRunner, mini_settings: Settings) -> None:
    runner.invoke(
        cli.main,
        ["index", "--corpus", str(mini_settings.corpus_dir), "--index", str(mini_settings.index_dir), "--quiet"],
    )
    result = runner.invoke(cli.main, ["ask", "  ", "--index", str(mini_settings.index_dir)])
    assert result.exit_code == 2 and "The question is empty" in result.output
