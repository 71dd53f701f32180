"""The similarity flag against the instructors' own solutions and the library's private cores.

No kernel runs here: flags are computed from a notebook's source. The grading runs of
``tests/test_grading_outputs.py`` check that flags reach the CSV and the feedback.
"""

import dataclasses
import inspect
import textwrap

import nbformat
import pytest

from autograder import flags
from autograder.course import COURSE_ROOT
from autograder.manifest import known, load
from autograder.similarity import similar_pairs
from solutions import training


def _instructor_notebook(assignment):
    return nbformat.read(COURSE_ROOT / "source" / assignment.name / assignment.notebook,
                         as_version=4)


def _notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


@pytest.mark.parametrize("name", known())
def test_instructor_solution_is_never_flagged(name):
    assignment = load(name)
    assert flags.flag_notebook(_instructor_notebook(assignment), assignment) == []


@pytest.mark.parametrize("name", known())
def test_compare_source_is_off_exactly_where_the_solution_matches_the_reference(name):
    """Each part left out of the comparison must need it: compared, the solution matches."""
    assignment = load(name)
    compared = dataclasses.replace(assignment, parts=tuple(
        dataclasses.replace(part, compare_source=True) for part in assignment.parts))
    flagged = {flag.split(" ")[0]
               for flag in flags.flag_notebook(_instructor_notebook(assignment), compared)}
    assert flagged == {part.name for part in assignment.parts if not part.compare_source}


def test_a_pasted_private_core_is_flagged():
    """train_linear validates and calls _train_linear: pasting the core alone is a copy."""
    core = textwrap.dedent(inspect.getsource(training._train_linear))
    answer = core.replace("def _train_linear(xp, ", "def train_linear(", 1)
    flagged = flags.flag_notebook(_notebook(answer), load("ch05_training"))
    assert [flag.split(" ")[0] for flag in flagged] == ["train_linear"]


def test_reference_sources_follow_private_helpers_of_their_module_only():
    sources = flags.reference_sources(training.train_linear)
    defined = [s.split("(")[0].removeprefix("def ") for s in sources]
    assert defined[0] == "train_linear" and "_train_linear" in defined[1:]
    assert all(name.startswith("_") for name in defined[1:])
    source = "\n".join(sources)
    # minibatches and EarlyStopping are public: an answer is expected to call them
    assert "def minibatches(" not in source and "class EarlyStopping" not in source


def test_similarity_skips_parts_whose_answers_are_all_alike(tmp_path):
    """Two students handing in the instructor's ch06 notebook pair on every compared part."""
    assignment = load("ch06_backprop")
    for student in ("alice", "bob"):
        folder = tmp_path / student / assignment.name
        folder.mkdir(parents=True)
        nbformat.write(_instructor_notebook(assignment), folder / assignment.notebook)
    paired = {pair.part for pair in similar_pairs(tmp_path)}
    assert "two_layer_loss" not in paired
    assert paired  # the other long answers are compared, and identical
