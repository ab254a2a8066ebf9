"""Evaluation instruments.

The harness behind `rag eval` (`evaluate.py`, `baselines.py`), generated layouts with known ground truth to check
the readers against (`synthetic.py`, `layout_check.py`), and figure questions asked of generated corpora of several
organisations (`synthetic_qa.py`).
"""
