"""Build graded submissions for the autograder's tests: solved, skeleton, mutants, broken.

A submission is what a learner hands in: the released notebook from
``exercises/`` with code filled in where it says ``# YOUR CODE HERE``.
"""

import copy
import json
from pathlib import Path

import nbformat

from autograder.config import CODE_STUB
from autograder.course import EXERCISES_DIR, SOURCE_DIR

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def source_path(assignment: str, notebook: str) -> Path:
    return SOURCE_DIR / assignment / notebook


def released_path(assignment: str, notebook: str, language: str = "en") -> Path:
    return EXERCISES_DIR / ("" if language == "en" else language) / assignment / notebook


def solution_bodies(assignment: str, notebook: str) -> dict[str, str]:
    """The code between the solution markers of every solution cell, by grade_id."""
    nb = nbformat.read(source_path(assignment, notebook), as_version=4)
    bodies = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and BEGIN in cell.source:
            inner = cell.source.split(BEGIN + "\n", 1)[1].split(END, 1)[0]
            bodies[meta["grade_id"]] = inner.rsplit("\n", 1)[0] + "\n"
    return bodies


def fill(assignment: str, notebook: str, bodies: dict[str, str],
         preludes: dict[str, str] | None = None, language: str = "en") -> nbformat.NotebookNode:
    """The released notebook with ``bodies[grade_id]`` in place of each code stub.

    ``preludes[grade_id]`` is prepended to that solution cell (top-level code); ``language``
    picks the release (``exercises/<language>/`` for one other than English).
    """
    nb = nbformat.read(released_path(assignment, notebook, language), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in bodies:
            stub = next(line for line in cell.source.splitlines() if line.strip() == CODE_STUB)
            cell.source = cell.source.replace(stub + "\n", bodies[grade_id], 1)
        if preludes and grade_id in preludes:
            cell.source = preludes[grade_id] + cell.source
    return nb


def with_cell_removed(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the cell ``grade_id``."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


def with_empty_metadata(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` in which cell ``grade_id`` has ``"nbgrader": {}``."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.metadata["nbgrader"] = {}
    return nb


def with_duplicated_cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` in which cell ``grade_id`` appears twice."""
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    twin = copy.deepcopy(nb.cells[index])
    twin["id"] = twin["id"] + "-copy"
    nb.cells.insert(index + 1, twin)
    return nb


def with_code_cell(nb: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` with one more code cell (no nbgrader metadata) at the end."""
    nb = copy.deepcopy(nb)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def write_submission(root: Path, student: str, assignment: str, notebook: str,
                     nb: nbformat.NotebookNode | str) -> Path:
    """Write ``root/<student>/<assignment>/<notebook>``; a str is written as raw text."""
    path = root / student / assignment / notebook
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, str):
        path.write_text(nb, encoding="utf-8")
    else:
        path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def trained_with(assignment, part_name: str) -> set[str]:
    """Experiment parts that train with ``part_name`` (among their names): it may cost them.

    Chapter 6's ``train_classifier`` trains the learner's own layers, so a wrong layer
    part rightly lowers its accuracy too.
    """
    return {part.name for part in assignment.parts
            if part.kind == "experiment" and part_name in part.names}
