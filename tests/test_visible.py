"""autograder.visible: a rendered test cell passes a right answer and fails each wrong one."""

import numpy as np
import pytest

from autograder import visible
from autograder.harness import Rng
from autograder.manifest import Case, Close, Part, Rounding, Section, Within
from autograder.visible import SETUP_HELPERS, _literal, setup_cell

SECTION = Section("ch00-toy", "Chapter 0, 'A toy'")


def affine(x, w, b):
    """Return x @ w + b; refuse mismatched shapes."""
    if x.shape[1] != w.shape[0]:
        raise ValueError("w must have D rows")
    return x @ w + b


def _magnitudes(x, w, b):
    return np.abs(x) @ np.abs(w) + np.abs(b)


X32 = np.array([[1.0, 2.0], [3.0, -4.0]], dtype=np.float32)
W32 = np.array([[0.5], [0.25]], dtype=np.float32)
B32 = np.array([1.0], dtype=np.float32)

PART = Part("affine", 1, SECTION, affine, (
    Case("affine of small integers", (np.eye(2), np.array([[1.0], [2.0]]), 0.5)),
    Case("affine on float32 inputs", (X32, W32, B32),
         check=Rounding(_magnitudes, n=4, dtype=True)),
    Case("affine as a program, loosely", program="result = affine(x, w, b) * 2",
         inputs={"x": np.ones((1, 2)), "w": np.ones((2, 1)), "b": 0.0},
         check=Close(rtol=1e-3, atol=0.0)),
    Case("affine must not overflow", (np.ones((1, 1)), np.ones((1, 1)), 1e300), strict_fp=True),
    Case("affine rejects a w without D rows", (np.ones((1, 2)), np.ones((3, 1)), 0.0),
         raises=ValueError),
), lambda rng: iter(()))


def _run_cell(part, function):
    scope = {"np": np, part.name: function}
    exec(SETUP_HELPERS, scope)
    exec(visible.test_cell(part), scope)


def test_the_reference_passes_its_own_cell():
    _run_cell(PART, affine)


@pytest.mark.parametrize(("wrong", "words"), [
    (lambda x, w, b: x @ w, "affine of small integers: expected"),
    (lambda x, w, b: (x.astype(np.float64) @ w + b) if x.dtype == np.float32 else x @ w + b,
     "affine on float32 inputs: expected dtype float32"),
    (lambda x, w, b: x @ w + b + (1e-3 if x.dtype == np.float32 else 0.0),
     "affine on float32 inputs: expected [[2.0], [1.5]]"),
    (lambda x, w, b: (x @ w + b) * 1e10 if np.ndim(b) == 0 and b > 1 else x @ w + b,
     "affine must not overflow: expected no floating-point warning"),
    (lambda x, w, b: np.zeros((x.shape[0], w.shape[1])) if x.shape[1] != w.shape[0]
     else x @ w + b, "affine rejects a w without D rows: expected ValueError to be raised"),
])
def test_a_wrong_answer_fails_with_the_cases_words(wrong, words):
    with pytest.raises(AssertionError, match=words.replace("[", r"\[")):
        _run_cell(PART, wrong)


def test_the_cell_names_the_declared_exception_and_the_rounding_tolerance():
    cell = visible.test_cell(PART)
    assert "expect_raises(lambda: affine(" in cell and "'ValueError'" in cell
    atol = Rounding(_magnitudes, n=4).allowed([0.0], "float32", [3.5])[0]    # max |x| @ |w| + |b|
    assert f"rtol=0.0, atol={atol!r}" in cell and "dtype='float32'" in cell
    assert "rtol=0.001, atol=0.0" in cell
    assert cell.count("rtol=") == 2         # the default tolerance is not written out


def total(x):
    """Return the sum of x."""
    return float(np.sum(x))


def test_a_stated_range_is_checked_in_the_cell_or_left_to_the_grader():
    part = Part("total", 1, SECTION, total, (
        Case("the sum is large enough", (np.ones(2),), check=Within(1.5, 10.0, "the sum")),
        Case("at least one", (np.ones(2),), check=Within(low=1.0)),
        Case("graded on accuracy", (np.ones(2),),
             check=Within(low=0.5, what="accuracy", measure=np.mean)),
    ), lambda rng: iter(()))
    cell = visible.test_cell(part)
    assert "# graded on accuracy, measured by the grader: at least 0.5" in cell
    _run_cell(part, total)
    with pytest.raises(AssertionError, match=r"the sum is large enough: the sum is 1, not "
                                             r"within \[1.5, 10\]"):
        _run_cell(part, lambda x: total(x) - 1.0)
    with pytest.raises(AssertionError, match="the sum is nan"):
        _run_cell(part, lambda x: total(x) * np.nan)


@pytest.mark.parametrize(("value", "source"), [
    (np.array([1.0, 2.0]), "np.array([1.0, 2.0])"),
    (np.array([1, 2], dtype=np.int32), "np.array([1, 2], dtype=np.int32)"),
    (np.array([np.nan, np.inf]), 'np.array([float("nan"), float("inf")])'),
    (np.float32(0.5), "np.float32(0.5)"),
    ((1.0,), "(1.0,)"), ([1, "a"], "[1, 'a']"), ({"k": 2}, "{'k': 2}"),
    (float("-inf"), 'float("-inf")'), (Rng(3), "np.random.default_rng(3)"),
])
def test_literals_rebuild_the_value(value, source):
    assert _literal(value) == source


def test_the_setup_cell_holds_the_helpers():
    cell = setup_cell()
    assert SETUP_HELPERS in cell and "def stand_ins(" in cell and "import numpy as np" in cell
