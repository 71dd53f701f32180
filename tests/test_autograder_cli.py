"""The command line: usage errors and exit codes, self-check output, argument forwarding."""

import subprocess
import sys
from pathlib import Path

import pytest

from autograder import api, cli
from autograder.kernel import DEFAULT_TIMEOUT
from tests.grading_fixtures import (
    fill,
    released_path,
    solution_bodies,
    with_code_cell,
    write_submission,
)
from tests.mutants.ch01 import CHEATER, CHEATER_PRELUDE, MUTANTS

ASSIGNMENT, NOTEBOOK = "ch01_regression", "regression.ipynb"
PARTS = ["predict_linear", "mse", "mse_grad", "fit_least_squares", "sigmoid", "softmax",
         "predict_logistic"]


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- usage errors (exit 2)

def test_no_command_is_a_usage_error(capsys):
    code, _, err = run(capsys)
    assert code == 2
    assert "COMMAND" in err


def test_check_missing_notebook(capsys, tmp_path):
    missing = tmp_path / "nowhere.ipynb"
    code, _, err = run(capsys, "check", str(missing))
    assert code == 2
    assert f"no such notebook: {missing}" in err


def test_check_file_that_is_not_a_notebook(capsys, tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("print(1)\n")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert "not a notebook" in err and "answers.py" in err


def test_check_invalid_json(capsys, tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert "invalid notebook JSON" in err and str(path) in err


def test_check_notebook_without_graded_cells(capsys, tmp_path):
    path = write_submission(tmp_path, "s", "a", "plain.ipynb",
                            '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert "no graded test cells" in err


def test_release_unknown_assignment(capsys):
    code, _, err = run(capsys, "release", "ch09_x")
    assert code == 2
    assert "unknown assignment 'ch09_x'" in err and ASSIGNMENT in err


def test_grade_missing_folder(capsys, tmp_path):
    code, _, err = run(capsys, "grade", str(tmp_path / "absent"), "--out", str(tmp_path / "g.csv"))
    assert code == 2
    assert "no such submissions folder" in err and "absent" in err


def test_grade_empty_folder(capsys, tmp_path):
    code, _, err = run(capsys, "grade", str(tmp_path), "--out", str(tmp_path / "g.csv"))
    assert code == 2
    assert "holds no submission" in err


@pytest.mark.parametrize("argv, message", [
    (["grade", "subs"], "--out"),
    (["grade", "subs", "--out", "g.csv", "--jobs", "0"], "expected at least 1, got 0"),
    (["check", "x.ipynb", "--timeout", "soon"], "expected a whole number, got 'soon'"),
])
def test_bad_options(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err


# ---------------------------------------------------------------- argument forwarding

def test_grade_forwards_its_arguments(capsys, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(api, "grade", lambda **kwargs: calls.append(kwargs) or [])
    code, out, _ = run(capsys, "grade", "subs", "--out", "g.csv", "--feedback", "fb",
                       "--jobs", "3", "--timeout", "7")
    assert code == 0
    (kwargs,) = calls
    assert {k: v for k, v in kwargs.items() if k != "progress"} == {
        "submissions": Path("subs"), "out": Path("g.csv"), "feedback": Path("fb"),
        "jobs": 3, "timeout": 7}
    assert callable(kwargs["progress"])
    assert "wrote g.csv" in out


def test_grade_defaults(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(api, "grade", lambda **kwargs: calls.append(kwargs) or [])
    run(capsys, "grade", "subs", "--out", "marks/g.csv")
    assert (calls[0]["feedback"], calls[0]["jobs"], calls[0]["timeout"]) == (
        Path("marks/feedback"), None, DEFAULT_TIMEOUT)


def test_grade_exits_1_when_a_submission_was_not_graded_normally(capsys, monkeypatch):
    record = api.GradeRecord("s1", ASSIGNMENT, None, 15.0, "invalid notebook JSON")
    monkeypatch.setattr(api, "grade", lambda **kwargs: [record])
    code, out, _ = run(capsys, "grade", "subs", "--out", "g.csv")
    assert code == 1
    assert "1 not graded normally" in out


def test_check_and_release_forward_their_arguments(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(api, "release", lambda **kwargs: calls.append(kwargs) or [])
    monkeypatch.setattr(api, "check", lambda **kwargs: calls.append(kwargs) or api.CheckReport(
        Path("n.ipynb"), (api.PartResult("mse", 1.0, 1.0, ""),)))
    assert run(capsys, "release", "a", "b")[0] == 0
    assert run(capsys, "check", "n.ipynb", "--timeout", "9")[0] == 0
    assert calls == [{"assignments": ["a", "b"]}, {"notebook": Path("n.ipynb"), "timeout": 9}]


# ---------------------------------------------------------------- self-check, for real

def test_check_solved_notebook_passes(capsys, tmp_path):
    path = write_submission(tmp_path, "s", ASSIGNMENT, NOTEBOOK,
                            fill(ASSIGNMENT, NOTEBOOK, solution_bodies(ASSIGNMENT, NOTEBOOK)))
    code, out, _ = run(capsys, "check", str(path))
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[:2] for line in lines[:-1]] == [["PASS", part] for part in PARTS]
    assert lines[-1] == "TOTAL 15/15: 7 of 7 parts pass"


def test_check_skeleton_fails_every_part_through_python_m():
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "check", str(released_path(ASSIGNMENT, NOTEBOOK))],
        capture_output=True, text=True, timeout=300, check=False)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert len(lines) == len(PARTS) + 1
    for number, (line, part) in enumerate(zip(lines, PARTS, strict=False), start=1):
        assert line.split()[:3] == ["FAIL", part, line.split()[2]]
        assert line.endswith(f"NotImplementedError: Part {number}: implement {part}")
    assert lines[-1] == "TOTAL 0/15: 0 of 7 parts pass"


def test_visible_tests_alone_are_fooled_where_hidden_tests_are_not(capsys, tmp_path):
    """The other side of the grading tests: these notebooks pass every visible test."""
    solved = solution_bodies(ASSIGNMENT, NOTEBOOK)
    sneaky = {m.cell: m.body for m in MUTANTS.values() if m.hidden_only}
    for name, nb in [("hidden_only_mutants", fill(ASSIGNMENT, NOTEBOOK, {**solved, **sneaky})),
                     ("cheater", fill(ASSIGNMENT, NOTEBOOK, CHEATER, CHEATER_PRELUDE))]:
        path = write_submission(tmp_path, name, ASSIGNMENT, NOTEBOOK, nb)
        code, out, _ = run(capsys, "check", str(path))
        assert (code, out.splitlines()[-1]) == (0, "TOTAL 15/15: 7 of 7 parts pass"), name


def test_check_fails_when_the_kernel_dies_even_if_tests_passed(capsys, tmp_path):
    solved = fill(ASSIGNMENT, NOTEBOOK, solution_bodies(ASSIGNMENT, NOTEBOOK))
    path = write_submission(tmp_path, "s", ASSIGNMENT, NOTEBOOK,
                            with_code_cell(solved, "import os\nos._exit(0)"))
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "ERROR the kernel died (os._exit?)" in out
