"""The grounding check: numbers in an answer must be stated in a cited quote or computed by code."""

from rag.answer.grounding import is_grounded, ungrounded_numbers
from rag.types import Citation


def cite(quote: str, n: int = 1) -> Citation:
    return Citation(n=n, doc_id="d", title="t", page=None, section=None, quote=quote)


ROW = "Medarbejdersundhed\tEnhed\tMål 2025\t2025\t2024 … Sygefravær, korttids (under 30 dage)\t%\t<2,5\t3,18\t2,64"


def test_grounded_answer_passes_and_markers_are_not_numbers():
    text = "Sygefravær, korttids (under 30 dage) var 3,18 % i 2025 [1]. Målet er <2,5 % [1]."
    assert ungrounded_numbers(text, [cite(ROW)]) == []
    assert is_grounded(text, [cite(ROW)])


def test_altered_number_and_uncited_year_are_reported():
    text = "Sygefravær var 3,81 % i 2023 [1]."
    assert ungrounded_numbers(text, [cite(ROW)]) == ["3,81 %", "2023"]


def test_marker_numbers_do_not_ground_anything():
    assert ungrounded_numbers("Tallet er 7 [7].", [cite("ingen tal her")]) == ["7"]


def test_nordic_notation_is_compared_as_numbers():
    quote = "Strømforbrug\tMWh\t—\t3.023\t3.399 og NOK 30 000"
    assert ungrounded_numbers("3.023 MWh, 3399 MWh og 30 000 kr.", [cite(quote)]) == []
    assert ungrounded_numbers("3,023 MWh", [cite(quote)]) == ["3,023"]


def test_ratio_parts_and_space_separated_cells():
    quote = "Kønsdiversitet direktionen (m/k) % 50/50 62/38 67/33; Ton 5% reduktion 628 738 734"
    assert ungrounded_numbers("38 % kvinder, 62/38 i alt, 738 ton", [cite(quote)]) == []
    assert ungrounded_numbers("39 % kvinder", [cite(quote)]) == ["39 %"]


def test_computed_values_are_accepted_only_when_listed():
    text = "Fra 2024 til 2025 steg tallet med 0,54 procentpoint (svarende til +20,5 % relativt) [1]."
    assert ungrounded_numbers(text, [cite(ROW)]) == ["0,54 procentpoint", "+20,5 %"]
    assert ungrounded_numbers(text, [cite(ROW)], computed=["0,54", "+20,5"]) == []


def test_negative_values_need_their_sign():
    quote = "eNPS* (skala -100 til +100) 20 -12 19"
    assert ungrounded_numbers("eNPS var −12 i 2024 [1].", [cite(quote)]) == ["2024"]
    assert ungrounded_numbers("eNPS var -13 [1].", [cite(quote)]) == ["-13"]
