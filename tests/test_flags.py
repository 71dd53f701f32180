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
from autograder.similarity import compare_answers
from solutions import training
from tests import disguises
from tests.honest import ASSIGNMENTS, honest


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
    paired = {pair.part for pair in compare_answers(tmp_path).pairs}
    assert "two_layer_loss" not in paired
    assert paired  # the other long answers are compared, and identical


# --- disguised copies -------------------------------------------------------------------------

@pytest.mark.parametrize("disguise", disguises.DISGUISES)
def test_a_disguised_copy_of_the_reference_is_flagged(disguise):
    """Dead code, a decoy, magics, renaming, comments, reordering hide no copy of any part."""
    missed = []
    for name, part in disguises.compared_parts():
        nb = disguises.disguised_copy(name, part, disguise)
        found = [flag for flag in flags.flag_notebook(nb, load(name))
                 if flag.startswith(f"{part} matches the reference source")]
        if not found or disguise in disguises.UNDONE and "(100% of fingerprints)" not in found[0]:
            missed.append(part)
    assert missed == []


def test_the_definition_compared_is_the_last_one_the_notebook_binds():
    """A copy redefined later by an honest answer is not flagged: the kernel grades the latter."""
    copy = disguises.copy_cell("ch01_regression", "fit_least_squares")
    honest = ("def fit_least_squares(X, y):\n"
              "    ones = np.ones((X.shape[0], 1))\n"
              "    solution = np.linalg.lstsq(np.hstack([X, ones]), y, rcond=None)[0]\n"
              "    return solution[:-1], solution[-1]\n")
    assignment = load("ch01_regression")
    assert flags.flag_notebook(_notebook(copy, honest), assignment) == []
    assert flags.flag_notebook(_notebook(honest, copy), assignment) == [
        "fit_least_squares matches the reference source (100% of fingerprints)"]


def test_an_alias_binds_the_graded_name_to_a_copy():
    copy = disguises.copy_cell("ch01_regression", "fit_least_squares").replace(
        "def fit_least_squares(", "def my_solver(", 1)
    flagged = flags.flag_notebook(_notebook(copy, "fit_least_squares = my_solver"),
                                  load("ch01_regression"))
    assert [flag.split(" ")[0] for flag in flagged] == ["fit_least_squares"]


# --- cells that cannot be read safely ---------------------------------------------------------

UNREADABLE = {
    "20,000 terms": ("x = " + "1 + " * 20_000 + "1\n",
                     "cell 2 is too deeply nested to parse (RecursionError)"),
    "500 minus signs": ("def fit_line(x, y):\n    return " + "-" * 500 + "1\n",
                        "the definition of fit_line nests more than 100 levels deep"),
    "120,000 characters": ("x = 1\n" * 20_000,
                           "cell 2 has 120,000 characters, more than the 100,000 read"),
}
"""Cells that cannot be read safely, and the reason given for each."""


@pytest.mark.parametrize("cell, reason", UNREADABLE.values(), ids=UNREADABLE)
def test_a_cell_too_deep_or_too_large_is_flagged_as_not_compared(cell, reason):
    copy = disguises.copy_cell("ch01_regression", "fit_least_squares")
    assert flags.flag_notebook(_notebook(copy, cell), load("ch01_regression")) == [
        f"answers not compared with the reference: {reason}"]


def test_a_notebook_of_many_large_cells_is_flagged_as_not_compared_before_it_is_parsed():
    """Parsing costs the grader several times what compiling costs the kernel: 64 MiB of
    code would take minutes of its time, outside any limit of the learner's kernel."""
    copy = disguises.copy_cell("ch01_regression", "fit_least_squares")
    cell = "x = 1\n" * 16_666  # 99,996 characters: each cell alone is read
    assert flags.flag_notebook(_notebook(copy, *[cell] * 11), load("ch01_regression")) == [
        f"answers not compared with the reference: the notebook has {len(copy) + 11 * 99_996:,} "
        "characters of code, more than the 1,000,000 read"]


def test_a_deep_expression_outside_the_answers_is_no_reason_to_skip():
    """900 terms parse, and only the compared definitions are walked recursively."""
    copy = disguises.copy_cell("ch01_regression", "fit_least_squares")
    flagged = flags.flag_notebook(_notebook(copy, "x = " + "1 + " * 900 + "1\n"),
                                  load("ch01_regression"))
    assert [flag.split(" ")[0] for flag in flagged] == ["fit_least_squares"]


def test_cells_that_are_not_python_bind_nothing():
    """A syntax error or a %%bash cell defines nothing in the kernel, nor here."""
    copy = disguises.copy_cell("ch01_regression", "fit_least_squares")
    cells = [copy, "def fit_least_squares(X, y) return 0\n",
             "%%bash\ndef fit_least_squares(X, y):\n    return 0\n", "x = '\ud800'  # \udcff\n"]
    assert [flag.split(" ")[0] for flag in flags.flag_notebook(
        _notebook(*cells), load("ch01_regression"))] == ["fit_least_squares"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_honest_answers_are_not_flagged(name):
    """Answers written independently, in other styles, stay below the threshold."""
    assignment = load(name)
    flagged = [(part, number, flag) for part, sources in honest(name).items()
               for number, source in enumerate(sources)
               for flag in flags.flag_notebook(_notebook(source), assignment)]
    assert flagged == []
