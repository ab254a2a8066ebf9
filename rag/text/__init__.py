"""Text handling shared by every stage.

Language, numbers and their notation, the Nordic analyser, the one sentence splitter, headings, units, synonyms
and the curated metric vocabulary (a boost, never a gate).
"""
