"""Honest answers, written independently of the reference: ``tests/honest/<assignment>.py``.

Each module defines ``HONEST``, a dict from a part's name to correct answers written as a
learner may write them from the notebook and the book, in other styles than the
reference (loops, ``einsum``, another formula), each a complete definition using only
the standard library and NumPy (bound as ``np``). ``tests/test_flags.py`` and
``tests/test_similarity.py`` check that none is flagged as a copy of the reference and
that no two are paired, nor any with the instructor's solution.
"""

import importlib

__all__ = ["ASSIGNMENTS", "honest"]

ASSIGNMENTS = ("ch01_regression", "ch02_perceptrons", "ch03_losses", "ch04_gradient_descent",
               "ch05_training", "ch07_deep_training")
"""The assignments with parts compared with the reference (Chapter 6's are all too short)."""


def honest(assignment: str) -> dict[str, list[str]]:
    """Return the honest answers to the assignment's parts."""
    return importlib.import_module(f"{__name__}.{assignment}").HONEST
