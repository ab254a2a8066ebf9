"""BM25 over a tiny mixed Danish/Norwegian fixture: exact top hits, save → load, and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import Settings
from rag.errors import IndexError_
from rag.index.lexical import META_NAME, LexicalIndex
from rag.text.analysis import ANALYZER_VERSION
from rag.types import Chunk, Language


def _chunk(n: int, text: str, language: Language, section: str | None = None) -> Chunk:
    doc = "dk-2025" if language == "da" else "no-2024"
    return Chunk(
        id=f"{doc}:{n:04d}",
        doc_id=doc,
        title="Rapport",
        text=text,
        start=0,
        end=len(text),
        language=language,
        section=section,
    )


CHUNKS = [
    _chunk(0, "Sygefravær, korttids (under 30 dage) 3,18 % i 2025.", "da", "Medarbejdersundhed"),
    _chunk(1, "Strømforbrug MWh 3.023 3.399 3.574", "da", "Klima- og miljødata"),
    _chunk(2, "Vi har over 1000 medarbeidere fordelt på våre 13 lokasjoner i Norge.", "nb"),
    _chunk(3, "Vores genanvendelsesandel steg til 20 %, og affaldet sorteres i ti fraktioner.", "da"),
    _chunk(4, "Aleris har egen rutine for varsling av kritikkverdige forhold.", "nb"),
    _chunk(5, "Scope 2: CO2-udledning fra energi 1.567 ton.", "da"),
    _chunk(6, "Patienterne er tilfredse med behandlingen på vores hospitaler.", "da"),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(CHUNKS)


@pytest.mark.parametrize(
    ("query", "language", "top"),
    [
        ("Hvad var korttidssygefraværet?", "da", 0),  # compound in the query meets "Sygefravær, korttids"
        ("Hvor meget strøm brugte vi?", "da", 1),  # "strøm" is the head of "strømforbrug"
        ("Hvor mange lokationer har Aleris i Norge?", "da", 2),  # Danish question, Norwegian chunk
        ("Hvad er genanvendelsen af affald?", "da", 3),
        ("Hvordan fungerer whistleblowerordningen?", "da", 4),  # synonym: varsling
        ("Hvilken udledning var 1567 ton?", "da", 5),  # 1567 meets 1.567
        ("sykefravær", "nb", 0),  # Norwegian spelling finds the Danish chunk
    ],
)
def test_top_hit(index: LexicalIndex, query: str, language: Language, top: int) -> None:
    hits = index.search(query, language, 3)
    assert hits[0][0] == top
    assert all(a[1] >= b[1] for a, b in zip(hits, hits[1:], strict=False))


def test_no_match_is_empty_not_an_error(index: LexicalIndex) -> None:
    assert index.search("xyzzy plugh", "da", 5) == []
    assert index.search("", "da", 5) == []
    assert index.search("Hvad var det?", "da", 5) == []  # only stopwords
    assert index.search("sygefravær", "da", 0) == []


def test_k_larger_than_corpus(index: LexicalIndex) -> None:
    hits = index.search("Aleris har medarbeidere", "nb", 50)
    # 0 via its section "Medarbejdersundhed": the synonym group adds Danish "medarbejd" to the Norwegian query.
    assert sorted(i for i, _ in hits) == [0, 2, 4]


def test_empty_corpus() -> None:
    assert LexicalIndex.build([]).search("sygefravær", "da", 5) == []


def test_save_load_gives_same_results(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "lexical")
    assert not list((tmp_path / "lexical").glob("*.pkl"))
    loaded = LexicalIndex.load(tmp_path / "lexical")
    for query in ("korttidssygefravær", "lokationer i Norge", "1567", "affald"):
        before, after = index.search(query, "da", 5), loaded.search(query, "da", 5)
        assert before
        assert [i for i, _ in after] == [i for i, _ in before]
        assert [s for _, s in after] == pytest.approx([s for _, s in before])
    assert loaded.vocabulary == index.vocabulary


@pytest.mark.parametrize("name", [META_NAME, "vocab.index.json", "data.csc.index.npy", "params.index.json"])
def test_missing_file_is_a_clear_error(index: LexicalIndex, tmp_path: Path, name: str) -> None:
    index.save(tmp_path)
    (tmp_path / name).unlink()
    with pytest.raises(IndexError_, match=rf"missing {name}.*rag index"):
        LexicalIndex.load(tmp_path)


@pytest.mark.parametrize("name", [META_NAME, "vocab.index.json", "indptr.csc.index.npy", "params.index.json"])
def test_corrupt_file_is_a_clear_error(index: LexicalIndex, tmp_path: Path, name: str) -> None:
    index.save(tmp_path)
    path = tmp_path / name
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(IndexError_, match=r"rag index"):
        LexicalIndex.load(tmp_path)


def test_other_analyser_version_is_refused(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    meta = tmp_path / META_NAME
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        f'"analyzer_version": {ANALYZER_VERSION}', '"analyzer_version": 0'
    ))
    with pytest.raises(IndexError_, match=r"another version of the analyser.*rag index"):
        LexicalIndex.load(tmp_path)


def test_rag_search_cli_shows_lexical_scores(monkeypatch: pytest.MonkeyPatch, mini_settings: Settings) -> None:
    import json

    from click.testing import CliRunner

    import rag
    from rag import cli
    from tests.conftest import FakeEmbedder

    monkeypatch.setattr("rag.index.get_embedder", lambda settings: FakeEmbedder())
    rag._answerers.clear()
    runner = CliRunner()
    corpus, index = str(mini_settings.corpus_dir), str(mini_settings.index_dir)
    assert runner.invoke(cli.main, ["index", "--corpus", corpus, "--index", index, "--quiet"]).exit_code == 0
    from rag.index import current_generation

    generation = current_generation(mini_settings.index_dir)
    assert generation is not None and (generation / "lexical" / META_NAME).is_file()

    # A Danish question finds the Norwegian report's "13 lokasjoner" through the synonym map.
    result = runner.invoke(cli.main, ["search", "lokationer i Norge", "--mode", "lexical", "-k", "3", "--index", index])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1. mini-no-2023:")
    assert "lexical " in result.output and "dense —" in result.output

    result = runner.invoke(cli.main, ["search", "korttidssygefravær", "-k", "2", "--json", "--index", index])
    rows = json.loads(result.output)
    assert [r["rank"] for r in rows] == [1, 2]
    assert any(r["lexical_rank"] == 1 and "Sygefravær, korttids" in r["chunk"]["text"] for r in rows)
    rag._answerers.clear()
