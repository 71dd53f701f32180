"""Similarity between students: disguised copies pair, honest answers do not, nothing crashes.

No kernel runs here: answers are compared from the notebooks' source. Each class is a
folder of ``<student>/<assignment>/<notebook>`` as the grader reads it.
"""

import json
import os

import nbformat
import pytest

from autograder import cli
from autograder.course import COURSE_ROOT
from autograder.manifest import load
from autograder.normalise import MAX_CELL_CHARS
from autograder.similarity import compare_answers
from tests import disguises
from tests.honest import ASSIGNMENTS, honest

COMPARED = disguises.compared_parts()
NOT_UTF8 = {"pl\udcffin", "pl\\xffin"}
"""The student ``b"pl\xffin"`` as the grader names it: decoded with surrogates, or escaped."""


def _hand_in(root, student, assignment, nb):
    """Write a student's notebook where the grader looks for it."""
    folder = root / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / load(assignment).notebook)


def _copiers(root, assignments=None):
    """One student per disguise (and one plain copy), each copying every compared part."""
    for student in ("plain", *disguises.DISGUISES):
        disguise = disguises.DISGUISES.get(student, lambda cells: cells)
        for assignment in assignments or {name for name, _ in COMPARED}:
            cells = [cell for name, part in COMPARED if name == assignment
                     for cell in disguise([disguises.copy_cell(name, part)])]
            _hand_in(root, student, assignment, disguises.notebook(*cells))


@pytest.fixture(scope="module")
def copiers(tmp_path_factory):
    root = tmp_path_factory.mktemp("copiers")
    _copiers(root)
    return compare_answers(root)


@pytest.mark.parametrize("disguise", disguises.DISGUISES)
def test_students_sharing_a_disguised_copy_are_paired(copiers, disguise):
    """The plain copy and the disguised one pair on every compared part (as equal if undone)."""
    paired = {(pair.assignment, pair.part) for pair in copiers.pairs
              if {pair.first, pair.second} == {"plain", disguise}
              and (pair.similarity == 1.0 or disguise not in disguises.UNDONE)}
    assert sorted(set(COMPARED) - paired) == []
    assert copiers.skipped == []


@pytest.fixture(scope="module")
def honest_class(tmp_path_factory):
    """Student k hands in the k-th honest answer of every part; one more, the instructor's."""
    root = tmp_path_factory.mktemp("honest")
    for assignment in ASSIGNMENTS:
        answers = honest(assignment)
        for k in range(max(map(len, answers.values()))):
            cells = [sources[k] for sources in answers.values() if k < len(sources)]
            _hand_in(root, f"honest{k}", assignment, disguises.notebook(*cells))
        _hand_in(root, "instructor", assignment, nbformat.read(
            COURSE_ROOT / "source" / assignment / load(assignment).notebook, as_version=4))
    return root


def test_every_compared_part_has_two_honest_answers():
    covered = {(name, part) for name in ASSIGNMENTS
               for part, sources in honest(name).items() if len(sources) >= 2}
    assert sorted(set(COMPARED) - covered) == []


CONVERGENT = {("ch02_perceptrons", "squared_hinge_grad", "honest0", "instructor")}
"""Honest pairs measured at or above the threshold (82 %): a short formula written the one
natural way (the clipped margins times the labels, then ``X.T`` of them). Similarity lists
such a pair for a person to look at; neither answer is flagged against the reference."""


def test_honest_answers_are_not_paired(honest_class):
    """No two independent answers (honest ones, the instructor's) reach the threshold."""
    found = compare_answers(honest_class)
    assert found.skipped == []
    paired = {(p.assignment, p.part, p.first, p.second) for p in found.pairs}
    assert paired <= CONVERGENT


def test_honest_answers_are_compared(honest_class):
    """The threshold, lowered to nothing, pairs them: the test above compares something."""
    found = compare_answers(honest_class, threshold=1e-9)
    compared = {(pair.assignment, pair.part) for pair in found.pairs}
    long_enough = {("ch05_training", "train_linear"), ("ch02_perceptrons", "mistake_bound"),
                   ("ch04_gradient_descent", "linear_regression_gd")}
    assert long_enough <= compared


# --- submissions that cannot be compared ------------------------------------------------------

def _nested_json(depth):
    """A notebook whose metadata nests ``depth`` lists deep: JSON parsers recurse on it."""
    nb = json.loads(nbformat.writes(disguises.notebook("x = 1")))
    text = json.dumps(nb)
    return text.replace('"metadata": {}', '"metadata": {"deep": ' + "[" * depth + "]" * depth
                        + "}", 1)


@pytest.fixture(scope="module")
def troubled(tmp_path_factory):
    """Two copiers of Chapter 1 and a classmate for each way a notebook can defeat a reader."""
    root = tmp_path_factory.mktemp("troubled")
    _copiers(root, ["ch01_regression"])
    copy = disguises.copy_cell("ch01_regression", "fit_least_squares")
    cells = {"long_sum": "x = " + "1 + " * 20_000 + "1\n",
             "deep_unary": "def fit_line(x, y):\n    return " + "-" * 500 + "1\n",
             "huge": "x = 1\n" * (MAX_CELL_CHARS // 6 + 1)}
    for student, cell in cells.items():
        _hand_in(root, student, "ch01_regression", disguises.notebook(copy, cell))
    (root / "deep_json" / "ch01_regression").mkdir(parents=True)
    (root / "deep_json" / "ch01_regression" / "regression.ipynb").write_text(
        _nested_json(100_000), "utf-8")
    (root / "broken" / "ch01_regression").mkdir(parents=True)
    (root / "broken" / "ch01_regression" / "regression.ipynb").write_text("{", "utf-8")
    (root / "empty" / "ch01_regression").mkdir(parents=True)
    (root / "someone" / "ch99_unknown").mkdir(parents=True)
    (root / "linker" / "ch01_regression").mkdir(parents=True)
    (root / "linker" / "ch01_regression" / "regression.ipynb").symlink_to(
        root / "dead_code" / "ch01_regression" / "regression.ipynb")
    # a folder name that is not UTF-8, holding a plain copy of Chapter 1
    os.rename(root / "plain", os.path.join(os.fsencode(root), b"pl\xffin"))
    return root


def test_what_cannot_be_read_is_skipped_with_a_reason_and_the_rest_compared(troubled):
    found = compare_answers(troubled)
    reasons = {skip.student: skip.reason for skip in found.skipped}
    assert reasons.keys() == {"long_sum", "deep_unary", "huge", "deep_json", "broken", "empty",
                              "someone", "linker"}
    assert reasons["long_sum"] == "cell 2 is too deeply nested to parse (RecursionError)"
    assert reasons["deep_unary"] == "the definition of fit_line nests more than 100 levels deep"
    assert reasons["huge"].startswith("cell 2 has 100,002 characters, more than the 100,000")
    assert "nested" in reasons["deep_json"] or "JSON" in reasons["deep_json"]
    assert reasons["broken"].startswith("invalid notebook JSON")
    assert reasons["empty"] == "missing notebook regression.ipynb"
    assert reasons["someone"] == "unknown assignment"
    assert reasons["linker"] == "symlink refused: regression.ipynb is a symbolic link"
    # everyone else is still compared, the student whose folder name is not UTF-8 included
    paired = {(pair.first, pair.second) for pair in found.pairs if pair.part == "fit_line"}
    assert ("all_at_once", "dead_code") in paired
    assert {second for first, second in paired if first == "dead_code"} & NOT_UTF8


def test_the_command_line_prints_each_skip_escaped(troubled, capsys):
    assert cli.main(["similarity", str(troubled)]) == 0
    out = capsys.readouterr().out
    assert "skipped long_sum/ch01_regression: cell 2 is too deeply nested to parse" in out
    assert "dead_code  pl\\udcffin" in out or "dead_code  pl\\xffin" in out  # escaped
    assert out.rstrip().endswith("; 8 submissions skipped")

