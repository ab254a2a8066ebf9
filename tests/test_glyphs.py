from dataclasses import dataclass

from rag.ingest.glyphs import clean_char, clean_text, repair_font_glyphs


@dataclass
class W:
    text: str
    font: str


def test_clean_char_drops_private_use_and_spells_out_ligatures() -> None:
    assert clean_char("\uf0d2") is None
    assert clean_char("\u00a0") == " "
    assert clean_char("\ufb01") == "fi"
    assert clean_char("\u00ad") is None
    assert clean_text("Woodstock\uf0d2 og\u00a0mere") == "Woodstock  og mere"
    assert clean_text("Vores mål\uf0b7Vision 2030") == "Vores mål Vision 2030"


def test_font_whose_ligature_glyph_decodes_as_another_character_is_repaired() -> None:
    # A body font writes "tt" as ">" and "ti" as "D"; a heading font spells the same words normally.
    heading = [W(t, "Head") for t in "etter tiltak mottatt tilbud prosjekt".split()]
    body = [W(t, "Body") for t in "e>er Dltak mo>a> Det Dlbud e>er Det blir bedre".split()]
    words = heading + body
    changed = repair_font_glyphs(words)
    assert [w.text for w in body] == "etter tiltak mottatt Det tilbud etter Det blir bedre".split()
    assert changed == 5


def test_no_repair_without_clear_evidence() -> None:
    words = [W(t, "Body") for t in "CO2-udledning 3>2 Det Danmark".split()]
    assert repair_font_glyphs(words) == 0
    assert [w.text for w in words] == "CO2-udledning 3>2 Det Danmark".split()


def test_letter_spaced_words_are_joined_where_the_document_spells_them() -> None:
    from rag.ingest.glyphs import join_letter_spaced, word_counts

    doc = "Vores produktion voksede. Energi til produktion. Vi er i gang med en del nye tiltag."
    counts = word_counts(doc + " Den samlede pr oduktion og en ergi.")
    assert join_letter_spaced("Den samlede pr oduktion og en ergi.", counts) == "Den samlede produktion og energi."
    assert join_letter_spaced("Vi er i gang med en del nye tiltag.", counts) == "Vi er i gang med en del nye tiltag."
    assert join_letter_spaced("P R O D U K T I O N 2024") == "PRODUKTION 2024"
