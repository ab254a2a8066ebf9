"""The one sentence splitter on the shapes reports print, with invented text."""

from __future__ import annotations

from rag.text.sentences import split_sentences


def test_a_capitalised_abbreviation_opens_a_form_answer_without_ending_it() -> None:
    """A form's field "Forventet reduksjon:" answered on the next line "Ca. 40-50 tonn" is one statement."""
    text = "Forventet reduksjon i CO2-ekvivalenter:\nCa. 40-50 tonn\n\nHva er gjort?\nVi byttet lys. Det sparer mye."
    assert split_sentences(text) == [
        "Forventet reduksjon i CO2-ekvivalenter: Ca. 40-50 tonn",
        "Hva er gjort?",
        "Vi byttet lys.",
        "Det sparer mye.",
    ]


def test_a_date_after_pr_does_not_end_the_sentence() -> None:
    text = "Vi har pr. 31.12.2024 avtaler med 212 leverandører. Det er flere enn før."
    assert split_sentences(text) == ["Vi har pr. 31.12.2024 avtaler med 212 leverandører.", "Det er flere enn før."]
