"""Text handling shared by every stage: the one sentence splitter, headings and units of measure.

Language, numbers and the Nordic analyser move here as those stages are reworked.
"""
