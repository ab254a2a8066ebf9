"""Text handling shared by every stage: the one sentence splitter (and, later, language, numbers, analyser)."""
