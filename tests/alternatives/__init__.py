"""Correct solutions written independently of the reference, for the fairness lane.

Each module ``tests/alternatives/<assignment>[_<topic>].py`` defines ``ASSIGNMENT`` (the
assignment's name) and ``ALTERNATIVES = {part name: [source, ...]}``: each source a
complete definition of the part's function (and its helpers), written as a learner may
write it from the notebook and the book (loops, ``einsum``, float64 accumulation, another
formula the book shows), using only the standard library and NumPy (bound as ``np``).
Composition parts call the other parts by name, as in the notebook.
``tests/test_fairness.py`` judges each of them over many hidden seeds: none may lose a point.
"""

import importlib
import pkgutil

__all__ = ["alternatives"]


def alternatives(assignment: str) -> dict[str, list[str]]:
    """Return every module's alternatives for ``assignment``, merged part by part."""
    merged: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if module.ASSIGNMENT == assignment:
            for part, sources in module.ALTERNATIVES.items():
                merged.setdefault(part, []).extend(sources)
    return merged
