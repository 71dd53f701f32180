"""Wrong implementations, one module per assignment: ``tests/mutants/<assignment>.py``.

Each module defines ``MUTANTS``, a dict from a short name to a :class:`Mutant`: one per
mistake in the assignment's catalogue (:func:`catalogued`, from
``autograder/catalogues/``), plus wrong answers the catalogue cannot name (a draw from the
global generator, which the grader cannot reproduce). ``tests/test_exercises.py`` grades
a notebook per mutant and checks that it loses exactly the points of the mutant's part
and that grading names its mistake, or none.
"""

import ast
import re
from typing import NamedTuple

from autograder.manifest import load


class Mutant(NamedTuple):
    """A wrong body for one solution cell."""

    cell: str
    """The solution cell's grade_id, which is the part's name."""
    body: str
    """The function body, indented by four spaces, in place of ``# YOUR CODE HERE``."""
    mistake: str = ""
    """The catalogued mistake grading must name; empty when it must name none."""


def body_of(code: str, name: str) -> str:
    """Return the body of the top-level function or class ``name`` defined by ``code``."""
    node = next(node for node in ast.parse(code).body
                if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name)
    lines = code.splitlines(keepends=True)
    return "".join(lines[node.body[0].lineno - 1:node.end_lineno])


def catalogued(assignment: str) -> dict[str, Mutant]:
    """Return one mutant per catalogued mistake of ``assignment``, named after the mistake."""
    return {re.sub(r"\W+", "_", f"{part.name} {mistake.name}"):
            Mutant(part.name, body_of(mistake.code, part.name), mistake.name)
            for part in load(assignment).parts for mistake in part.mistakes}
