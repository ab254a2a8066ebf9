"""Evaluation instruments: generated layouts with known ground truth, and checks of the readers against them."""
