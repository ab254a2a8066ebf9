"""The Nordic BM25 analyser on Danish and Norwegian examples: stems, stopwords, numbers, compounds, æøå."""

from __future__ import annotations

import pytest

from rag.text.analysis import Analyzer, analyze, char_ngrams, fold_spelling, normalize_number
from rag.text.language import is_nynorsk, written
from rag.text.synonyms import expand_query


def test_danish_stems_inflections_to_one_token() -> None:
    assert analyze("sygefraværet", "da")[0] == analyze("sygefravær", "da")[0] == "sygefravær"
    assert analyze("leverandørerne", "da") == analyze("leverandører", "da") == ["leverandør"]
    assert analyze("målene", "da") == analyze("målet", "da") == ["mål"]


def test_norwegian_uses_the_norwegian_stemmer() -> None:
    assert analyze("sykefraværet", "nb")[0] == "sykefravær"
    assert analyze("lokasjonene", "nb") == analyze("lokasjoner", "nb") == ["lokasjon"]
    assert analyze("leverandørene", "nb") == ["leverandør"]
    # The language picks the stemmer: Danish strips "-erne", Norwegian Snowball does not.
    assert analyze("medarbejderne", "da")[0] == "medarbejd"
    assert analyze("medarbejderne", "nb") == ["medarbejdern"]


def test_stopwords_are_dropped_in_both_languages() -> None:
    assert analyze("Hvad var det i", "da") == []
    assert analyze("Hva er det av", "nb") == []
    assert analyze("Hvor mange lokasjoner har Aleris i Norge?", "nb") == ["lokasjon", "aleris", "norg"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.567", ["1567"]),
        ("1567", ["1567"]),
        ("350.000", ["350000"]),
        ("3,18", ["3,18"]),
        ("3,10", ["3,1"]),
        ("3.18", ["3,18"]),
        ("12.492,5", ["12492,5"]),
        ("31.12.2024", ["31", "12", "2024"]),
        ("2.3.1", ["2", "3", "1"]),
        ("007", ["7"]),
    ],
)
def test_normalize_number(text: str, expected: list[str]) -> None:
    assert normalize_number(text) == expected


def test_numbers_are_kept_whole_in_text() -> None:
    assert analyze("Scope 2: 1.567 ton", "da") == analyze("scope 2 1567 ton", "da") == ["scop", "2", "1567", "ton"]
    assert analyze("3,18 %", "da") == ["3,18"]
    assert analyze("NOK 30 000", "nb") == ["nok", "30000", "30"]
    # A row of table cells is not one spaced number.
    assert analyze("190 167 144", "da") == ["190", "167", "144"]
    assert analyze("CO₂-udledning", "da") == ["co2", "udledning"]


def test_compound_meets_its_tail() -> None:
    long = analyze("korttidssygefravær", "da")
    assert long[0] == "korttidssygefravær"
    assert {"sygefravær", "fravær", "korttid"} <= set(long)
    assert "sygefravær" in set(long) & set(analyze("sygefravær", "da"))
    assert "fravær" in analyze("langtidssykefravær", "nb")
    # A linking -s- is dropped before the head is looked up: "genanvendelses|andel" → genanvend + andel.
    assert {"genanvend", "andel"} <= set(analyze("genanvendelsesandel", "da"))


def test_compound_splitting_uses_the_given_vocabulary() -> None:
    assert Analyzer().analyze("sandørkenrotte", "da") == ["sandørkenrot"]
    assert Analyzer(["ørkenrot"]).analyze("sandørkenrotte", "da") == ["sandørkenrot", "ørkenrot"]
    assert Analyzer(compounds="none").analyze("korttidssygefravær", "da") == ["korttidssygefravær"]
    assert char_ngrams("sygefravær")[:2] == ["#sygef", "#ygefr"]


def test_ascii_spellings_fold_to_aeoeaa() -> None:
    assert analyze("soeg", "da") == analyze("søg", "da") == ["søg"]
    assert analyze("sygefravaer", "da")[0] == "sygefravær"
    assert analyze("Aalborg", "da") == analyze("Ålborg", "da") == ["ålborg"]
    assert analyze("maal", "da") == ["mål"]
    assert fold_spelling("Öl".lower()) == "öl"  # only pairs fold; ö itself is handled by accent folding
    assert analyze("Öl", "da") == analyze("øl", "da")
    # Across a compound boundary the pair is two words, not an old spelling.
    assert fold_spelling("klimaaftryk") == "klimaaftryk"
    assert fold_spelling("bioenergi") == "bioenergi"
    assert fold_spelling("dataanalyse") == "dataanalyse"


def test_synonyms_bridge_languages() -> None:
    da = expand_query("Hvor mange lokationer har Aleris?", "da")
    assert "lokasjon" in da
    assert "sykefravær" in expand_query("sygefravær", "da")
    assert "varsling" in expand_query(["whistleblowerordning"], "da")
    assert expand_query("Hvad er klokken?", "da") == []
    most = expand_query("I hvilket land ligger de fleste av leverandørene?", "nb")  # "… majoriteten … lokalisert i"
    assert {"majoriteten", "lokalisert", "located"} <= set(most)
    assert "mdr" in expand_query("efter 12 måneder", "da")  # a table row abbreviates it: "12 mdr."


def test_a_footnote_mark_is_no_part_of_its_word() -> None:
    """"Danmark²" is the column "Danmark" with a footnote; "m²" and "km²" stay square metres and kilometres."""
    assert analyze("Danmark² Eksport¹⁾", "da")[:2] == ["danmark", "eksport"]
    assert analyze("120 m² og 3 km²", "da") == ["120", "m2", "3", "km2"]


@pytest.mark.parametrize(
    ("text", "nynorsk"),
    [
        ("Kva var sjukefråværet i fjor?", True),
        ("Kor mange tilsette hadde selskapet ved utgangen av året?", True),
        ("Styret meiner at drifta har vore god, og det er ikkje venta store endringar.", True),
        ("Hva var sykefraværet i fjor?", False),
        ("Hvor mange ansatte hadde selskapet ved utgangen av året?", False),
        ("Styret mener at driften har vært god, og det er ikke ventet store endringer.", False),
        ("Selskapet leverer årlige rapporter; den daglige driften er stabil.", False),
        ("Selskapet leverer årlege rapportar; den daglege drifta er stabil.", True),
    ],
)
def test_nynorsk_is_told_from_bokmal(text: str, nynorsk: bool) -> None:
    assert is_nynorsk(text) is nynorsk
    assert written("nb", nynorsk) == ("nn" if nynorsk else "nb") and written("da", True) == "da"
