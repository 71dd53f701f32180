"""Wrong implementations, one module per assignment: ``tests/mutants/<assignment>.py``.

Each module defines ``MUTANTS``, a dict from a short name to a :class:`Mutant`;
``tests/test_exercises.py`` grades a notebook per mutant and checks that it
loses exactly the points of the mutant's part.
"""

from typing import NamedTuple


class Mutant(NamedTuple):
    """A wrong body for one solution cell."""

    cell: str
    """The solution cell's grade_id, which is the part's name."""
    body: str
    """The function body, indented by four spaces, in place of ``# YOUR CODE HERE``."""
