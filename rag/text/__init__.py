"""Text handling shared by every stage: language, numbers, analyser, sentences, headings and units."""
