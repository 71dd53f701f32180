"""The command line: usage errors, argument forwarding, and the learner's self-check for real."""

import subprocess
import sys
from pathlib import Path

import pytest

from autograder import api, cli
from autograder.grading import GradeRecord, Shard
from autograder.judge import PartVerdict
from autograder.kernel import DEFAULT_TIMEOUT
from autograder.manifest import load
from autograder.runkey import RunKey
from tests.grading_fixtures import (
    fill,
    released_path,
    solution_bodies,
    with_code_cell,
    write_submission,
)

ASSIGNMENT, NOTEBOOK = "ch01_regression", "regression.ipynb"
PARTS = [part.name for part in load(ASSIGNMENT).parts]
FULL = load(ASSIGNMENT).max_score


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


def test_check_notebook_of_no_known_assignment(capsys, tmp_path):
    path = write_submission(tmp_path, "s", "a", "plain.ipynb",
                            '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert "cannot tell which assignment" in err and ASSIGNMENT in err


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


def test_merge_without_files(capsys, tmp_path):
    code, _, err = run(capsys, "merge", str(tmp_path / "a.csv"), "--out", str(tmp_path / "m.csv"))
    assert code == 2
    assert "no such grades file" in err


@pytest.mark.parametrize("argv, message", [
    (["grade", "subs"], "--out"),
    (["grade", "subs", "--out", "g.csv", "--jobs", "0"], "expected at least 1, got 0"),
    (["grade", "subs", "--out", "g.csv", "--shard", "3/2"], "1 <= K <= N"),
    (["grade", "subs", "--out", "g.csv", "--shard", "half"], "expects K/N"),
    (["grade", "subs", "--out", "g.csv", "--seed", "-1"], "0 <= seed"),
    (["check", "x.ipynb", "--timeout", "soon"], "expected a whole number, got 'soon'"),
    (["similarity", "subs", "--threshold", "2"], "between 0 and 1"),
])
def test_bad_options(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err


# ---------------------------------------------------------------- argument forwarding

def _fake_grade(calls, records=()):
    return lambda **kwargs: calls.append(kwargs) or api.GradeRun(list(records), 17)


def test_grade_forwards_its_arguments(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(api, "grade", _fake_grade(calls))
    code, out, _ = run(capsys, "grade", "subs", "--out", "g.csv", "--feedback", "fb",
                       "--lms", "lms.csv", "--gradebook", "gb.db", "--jobs", "3",
                       "--timeout", "7", "--seed", "42", "--shard", "2/5", "--roster", "r.csv",
                       "--late-policy", "late.toml", "--due", "a=2026-10-05T23:59+09:00")
    assert code == 0
    assert calls == [{
        "submissions": Path("subs"), "out": Path("g.csv"), "feedback": Path("fb"),
        "lms": Path("lms.csv"), "gradebook": Path("gb.db"), "jobs": 3, "seed": 42, "key": None,
        "shard": Shard(2, 5), "roster": Path("r.csv"), "lms_layout": "rows", "percent": False,
        "late_policy": Path("late.toml"), "due": ["a=2026-10-05T23:59+09:00"], "book_url": "",
        "sandbox": True, "timeout": 7, "progress": True}]
    assert f"key {RunKey(17).id}" in out and "wrote g.csv" in out


def test_grade_defaults(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(api, "grade", _fake_grade(calls))
    run(capsys, "grade", "subs", "--out", "marks/g.csv")
    (kwargs,) = calls
    assert (kwargs["feedback"], kwargs["jobs"], kwargs["timeout"], kwargs["seed"],
            kwargs["shard"], kwargs["sandbox"]) == (
        Path("marks/feedback"), None, DEFAULT_TIMEOUT, None, None, True)


def test_no_sandbox_is_explicit_and_loud(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(api, "grade", _fake_grade(calls))
    _, _, err = run(capsys, "grade", "subs", "--out", "g.csv", "--no-sandbox")
    assert calls[0]["sandbox"] is False
    assert "WARNING" in err and "--no-sandbox" in err


def test_grade_exits_1_when_a_submission_was_not_graded_normally(capsys, monkeypatch):
    record = GradeRecord("s1", ASSIGNMENT, None, FULL, "invalid notebook JSON", 17)
    monkeypatch.setattr(api, "grade", _fake_grade([], [record]))
    code, out, _ = run(capsys, "grade", "subs", "--out", "g.csv")
    assert code == 1
    assert "1 not graded normally" in out


# ---------------------------------------------------------------- the run itself failed (exit 3)

def test_a_grader_error_on_one_submission_fails_the_run_not_the_others(capsys, tmp_path,
                                                                       monkeypatch):
    """An error the grader did not expect is its own, not the learner's: exit 3, never 1."""
    from autograder import grading

    subs = tmp_path / "subs"
    for student in ("s1", "s2", "s3"):
        write_submission(subs, student, ASSIGNMENT, NOTEBOOK, "not JSON")
    read = grading.read_notebook

    def buggy_for_s2(path):
        if path.parts[-3] == "s2":
            raise RuntimeError("a bug in the grader")
        return read(path)

    monkeypatch.setattr(grading, "read_notebook", buggy_for_s2)
    out = tmp_path / "out" / "grades.csv"
    code, _, err = run(capsys, "grade", str(subs), "--out", str(out), "--no-sandbox",
                       "--seed", "1", "--shard", "1/1")
    assert code == cli.FAILED == 3
    assert "failed: s2/ch01_regression: grading failed: RuntimeError: a bug in the grader" in err
    statuses = [line.split(",")[4] for line in out.read_text().splitlines()[1:]]
    assert statuses == ["invalid notebook JSON in regression.ipynb",
                        "grading failed: RuntimeError: a bug in the grader",
                        "invalid notebook JSON in regression.ipynb"]
    assert not (out.parent / "grades.shard.json").exists()  # merge refuses a failed shard


def test_a_grader_error_that_passes_is_graded_again_and_said(capsys, tmp_path, monkeypatch):
    """A failure of the grader's own (a kernel that would not start) is tried once more."""
    from autograder import grading

    write_submission(tmp_path / "subs", "s1", ASSIGNMENT, NOTEBOOK, "not JSON")
    read, calls = grading.read_notebook, []

    def fails_once(path):
        calls.append(path)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return read(path)

    monkeypatch.setattr(grading, "read_notebook", fails_once)
    out = tmp_path / "out" / "grades.csv"
    code, _, err = run(capsys, "grade", str(tmp_path / "subs"), "--out", str(out),
                       "--no-sandbox", "--seed", "1")
    assert len(calls) == 2
    assert code == cli.NOT_OK == 1  # the row's own problem, not a grader failure
    assert ("grading s1/ch01_regression failed (RuntimeError: Kernel died before replying "
            "to kernel_info); grading it again") in err
    status = out.read_text().splitlines()[1].split(",")[4]
    assert status == "invalid notebook JSON in regression.ipynb"


def test_a_recursion_error_is_the_submissions_doing_not_a_grader_failure(capsys, tmp_path,
                                                                         monkeypatch):
    """Code or JSON nested too deep for Python: that row says so, the run exits 1."""
    from autograder import grading

    write_submission(tmp_path / "subs", "s1", ASSIGNMENT, NOTEBOOK, "not JSON")

    def too_deep(path):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(grading, "read_notebook", too_deep)
    out = tmp_path / "out" / "grades.csv"
    code, _, _ = run(capsys, "grade", str(tmp_path / "subs"), "--out", str(out),
                     "--no-sandbox", "--seed", "1")
    assert code == cli.NOT_OK == 1
    (row,) = out.read_text().splitlines()[1:]
    assert "too deeply nested to grade (maximum recursion depth exceeded)" in row


def test_an_unexpected_error_exits_3_with_its_message(capsys, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("disk on fire \x1b[2J")

    monkeypatch.setattr(api, "grade", crash)
    code, out, err = run(capsys, "grade", "subs", "--out", "g.csv")
    assert code == 3 and out == ""
    assert "autograder grade: failed: RuntimeError: disk on fire \\x1b[2J" in err
    assert "Traceback" in err and "\x1b" not in err


def test_an_output_that_cannot_be_written_exits_3_through_python_m(tmp_path):
    """``--out`` under a file: nothing can be written, and the process says so with 3."""
    write_submission(tmp_path / "subs", "s1", ASSIGNMENT, NOTEBOOK, "not JSON")
    (tmp_path / "file").write_text("a file, not a folder\n")
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(tmp_path / "subs"), "--no-sandbox",
         "--out", str(tmp_path / "file" / "grades.csv")],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 3, result.stderr[-2000:]
    assert "autograder grade: failed: FileExistsError" in result.stderr


def test_check_release_merge_similarity_forward_their_arguments(capsys, monkeypatch):
    calls = []
    verdict = PartVerdict("mse", 1.0, 1.0, "", 1, 1)
    monkeypatch.setattr(api, "release", lambda **kw: calls.append(kw) or [])
    monkeypatch.setattr(api, "check", lambda **kw: calls.append(kw) or api.CheckReport(
        Path("n.ipynb"), ASSIGNMENT, (verdict,)))
    monkeypatch.setattr(api, "merge", lambda **kw: calls.append(kw) or 3)
    monkeypatch.setattr(api, "similarity",
                        lambda **kw: calls.append(kw) or api.Similarity([], []))
    assert run(capsys, "release", "a", "b")[0] == 0
    assert run(capsys, "check", "n.ipynb", "--timeout", "9", "--sandbox")[0] == 0
    assert run(capsys, "check", "n.ipynb", "--quiet")[0] == 0
    assert run(capsys, "merge", "a.csv", "b.csv", "--out", "m.csv")[0] == 0
    assert run(capsys, "similarity", "subs", "--threshold", "0.5")[0] == 0
    assert calls == [{"assignments": ["a", "b"]},
                     {"notebook": Path("n.ipynb"), "timeout": 9, "sandbox": True,
                      "progress": True},
                     {"notebook": Path("n.ipynb"), "timeout": DEFAULT_TIMEOUT, "sandbox": False,
                      "progress": False},
                     {"inputs": [Path("a.csv"), Path("b.csv")], "out": Path("m.csv"),
                      "lms": None, "gradebook": None, "submissions": None, "roster": None,
                      "lms_layout": "rows", "percent": False, "book_url": ""},
                     {"submissions": Path("subs"), "threshold": 0.5}]


def test_merge_forwards_its_outputs_and_submissions_folder(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(api, "merge", lambda **kw: calls.append(kw) or 5)
    code, out, _ = run(capsys, "merge", "a.csv", "b.csv", "--out", "m/g.csv", "--lms", "l.csv",
                       "--gradebook", "gb.db", "--submissions", "subs", "--roster", "r.csv",
                       "--lms-layout", "canvas", "--percent", "--book-url", "https://b.edu")
    assert code == 0
    assert calls == [{"inputs": [Path("a.csv"), Path("b.csv")], "out": Path("m/g.csv"),
                      "lms": Path("l.csv"), "gradebook": Path("gb.db"),
                      "submissions": Path("subs"), "roster": Path("r.csv"),
                      "lms_layout": "canvas", "percent": True, "book_url": "https://b.edu"}]
    assert "merged all 2 shards, 5 rows" in out and "l.csv, gb.db" in out


# ---------------------------------------------------------------- self-check, for real

@pytest.mark.kernel
def test_check_solved_notebook_passes(capsys, tmp_path):
    path = write_submission(tmp_path, "s", ASSIGNMENT, NOTEBOOK,
                            fill(ASSIGNMENT, NOTEBOOK, solution_bodies(ASSIGNMENT, NOTEBOOK)))
    code, out, _ = run(capsys, "check", str(path))
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[:2] for line in lines[:-1]] == [["PASS", part] for part in PARTS]
    assert lines[-1].startswith(f"TOTAL {FULL:g}/{FULL:g}: {len(PARTS)} of {len(PARTS)} parts pass")


@pytest.mark.kernel
def test_check_skeleton_fails_every_part_through_python_m():
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "check", str(released_path(ASSIGNMENT, NOTEBOOK))],
        capture_output=True, text=True, timeout=300, check=False)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert len(lines) == len(PARTS) + 1
    for number, (line, part) in enumerate(zip(lines, PARTS, strict=False), start=1):
        assert line.split()[:2] == ["FAIL", part]
        assert f"NotImplementedError: Part {number}: implement {part}" in line
        assert "— see Chapter 1" in line and "(#ch01-" in line
    assert lines[-1].startswith(f"TOTAL 0/{FULL:g}: 0 of {len(PARTS)} parts pass")


@pytest.mark.kernel
def test_check_fails_when_the_kernel_dies_even_if_parts_passed(capsys, tmp_path):
    solved = fill(ASSIGNMENT, NOTEBOOK, solution_bodies(ASSIGNMENT, NOTEBOOK))
    path = write_submission(tmp_path, "s", ASSIGNMENT, NOTEBOOK,
                            with_code_cell(solved, "import os\nos._exit(0)"))
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "ERROR cell" in out and "ended the kernel (os._exit?)" in out
    assert out.splitlines()[-1].startswith(f"TOTAL {FULL:g}/{FULL:g}")


@pytest.mark.kernel
def test_check_prints_one_escaped_line_per_part_whatever_the_code_raises(capsys, tmp_path):
    solved = fill(ASSIGNMENT, NOTEBOOK, solution_bodies(ASSIGNMENT, NOTEBOOK))
    hostile = ("def mse(y, y_pred):\n"
               "    raise ValueError('\\ud800\\x1b[2J\\r\\nPASS  mse  1/1')\n")
    path = write_submission(tmp_path, "s", ASSIGNMENT, NOTEBOOK, with_code_cell(solved, hostile))
    code, out, _ = run(capsys, "check", str(path))
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == len(PARTS) + 1
    (mse,) = [line for line in lines if line.split()[1] == "mse"]
    assert mse.startswith("FAIL") and "\\ud800\\x1b[2J\\r\\nPASS  mse  1/1" in mse
