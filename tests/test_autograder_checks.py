"""The hidden tests' comparison helpers, and the repair of broken submissions."""

import copy

import nbformat
import numpy as np
import pytest

from autograder import checks
from autograder.notebooks import InvalidNotebook, read_notebook, repair
from tests.grading_fixtures import (
    fill,
    solution_bodies,
    source_path,
    with_cell_removed,
    with_duplicated_cell,
    with_empty_metadata,
)

SEE = "Chapter 1, 'The sigmoid' (#ch01-sigmoid)"
A, N = "ch01_regression", "regression.ipynb"


def test_assert_close_accepts_close_values():
    checks.assert_close(np.array([[1.0, 2.0]]), [[1.0, 2.0 + 1e-12]], what="x", see=SEE)
    checks.assert_close(np.float32(0.5), 0.5, what="x", see=SEE)


@pytest.mark.parametrize("got, expected, fragment", [
    (4.0, 2.0, "(expected 2.0, got 4.0) — see " + SEE),
    (np.array([1.0, 2.5]), np.array([1.0, 2.0]), "at index (1,): expected 2.0, got 2.5"),
    (np.zeros((2, 3)), np.zeros((3, 2)), "expected shape (3, 2), got shape (2, 3)"),
    (np.zeros(3), np.zeros((3, 1)), "expected shape (3, 1), got shape (3,)"),
    (None, 1.0, "got None: is a `return` missing?"),
    (np.array([np.nan]), np.array([1.0]), "got nan"),
    ("1.0", 1.0, "got '1.0'"),
])
def test_assert_close_rejects_with_expected_got_and_section(got, expected, fragment):
    with pytest.raises(AssertionError) as info:
        checks.assert_close(got, expected, what="mse", see=SEE)
    assert fragment in str(info.value)
    assert str(info.value).startswith("mse")


def test_rebinding_numpy_is_detected(monkeypatch):
    monkeypatch.setattr(np, "allclose", lambda *args, **kwargs: True)
    with pytest.raises(AssertionError, match=r"replaced numpy\.allclose"):
        checks.assert_close(1.0, 1.0, what="x", see=SEE)
    monkeypatch.undo()
    checks.assert_untampered()


def test_comparison_does_not_use_numpy_even_when_the_snapshot_is_late(monkeypatch):
    monkeypatch.setattr(np, "allclose", lambda *args, **kwargs: True)
    monkeypatch.setattr(np, "isclose", lambda *args, **kwargs: True)
    monkeypatch.setattr(np, "abs", lambda x: x * 0)
    monkeypatch.setattr(checks, "_ORIGINALS", checks._snapshot())  # imported after the patch
    with pytest.raises(AssertionError, match="expected 2.0, got 4.0"):
        checks.assert_close(np.array(4.0), 2.0, what="mse", see=SEE)


def test_call_quietly_turns_overflow_into_a_message_and_allows_underflow():
    with pytest.raises(AssertionError, match="overflow encountered in exp"):
        checks.call_quietly(np.exp, np.array([1000.0]), what="exp", see=SEE)
    assert checks.call_quietly(np.exp, np.array([-1000.0]), what="exp", see=SEE).tolist() == [0.0]


def test_assert_dtype():
    checks.assert_dtype(np.zeros(2, np.float32), np.float32, what="x", see=SEE)
    with pytest.raises(AssertionError, match="expected dtype float32, got float64"):
        checks.assert_dtype(np.zeros(2), np.float32, what="x", see=SEE)
    with pytest.raises(AssertionError, match="got list"):
        checks.assert_dtype([1.0], np.float32, what="x", see=SEE)


# ---------------------------------------------------------------- reading and repair

@pytest.mark.parametrize("name, text, reason", [
    ("a.txt", "{}", "not a notebook"),
    ("a.ipynb", "{oops", "invalid notebook JSON"),
    ("a.ipynb", '{"cells": 3}', "not a valid Jupyter notebook"),
])
def test_read_notebook_gives_a_short_reason(tmp_path, name, text, reason):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidNotebook) as info:
        read_notebook(path)
    assert info.value.reason == reason


@pytest.fixture(scope="module")
def notebooks():
    return nbformat.read(source_path(A, N), as_version=4), fill(A, N, solution_bodies(A, N))


def test_clean_submission_needs_no_repair(notebooks):
    source, solved = notebooks
    assert repair(copy.deepcopy(solved), source) == []


@pytest.mark.parametrize("damage, change", [
    (lambda nb: with_empty_metadata(nb, "mse"), "removed broken nbgrader metadata of cell 7"),
    (lambda nb: with_duplicated_cell(nb, "test_mse"),
     "removed duplicate nbgrader metadata of cell test_mse"),
    (lambda nb: with_cell_removed(nb, "test_mse"), "restored deleted test cell test_mse"),
])
def test_repair_reports_what_it_fixed(notebooks, damage, change):
    source, solved = notebooks
    broken = damage(solved)
    assert repair(broken, source) == [change]
    assert repair(broken, source) == ([change] if "deleted" in change else [])


def test_repair_resets_altered_points(notebooks):
    source, solved = notebooks
    altered = copy.deepcopy(solved)
    test_mse = next(c for c in altered.cells if c.get("id") == "test_mse")
    test_mse.metadata.nbgrader["points"] = 100
    assert repair(altered, source) == ["reset metadata of cell test_mse"]
    assert test_mse.metadata.nbgrader["points"] == 1
