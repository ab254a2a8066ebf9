"""Evaluation instruments.

The harness behind `rag eval` (`evaluate.py`, `baselines.py`), and generated layouts with known ground truth
to check the readers against (`synthetic.py`, `layout_check.py`).
"""
