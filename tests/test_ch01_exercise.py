"""Chapter 1's graded exercise, graded by real nbgrader: both sides of every test.

One batch holds the solved notebook, the skeleton, one mutant per mistake,
a cheater and broken submissions; it is graded once (session fixture) in a
single ``autograder.api.grade`` call, and every test reads its results.
"""

import csv
import html
import re

import nbformat
import pytest

from autograder import api
from tests.grading_fixtures import (
    fill,
    solution_bodies,
    source_path,
    with_cell_removed,
    with_code_cell,
    with_duplicated_cell,
    with_empty_metadata,
    write_submission,
)
from tests.mutants.ch01 import CHEATER, CHEATER_PRELUDE, MUTANTS

pytestmark = [pytest.mark.ch01, pytest.mark.slow, pytest.mark.xdist_group("ch01_grading")]

ASSIGNMENT, NOTEBOOK = "ch01_regression", "regression.ipynb"
TIMEOUT = 10


def _points() -> dict[str, float]:
    """Points of each test cell of the instructor notebook."""
    nb = nbformat.read(source_path(ASSIGNMENT, NOTEBOOK), as_version=4)
    return {c.metadata.nbgrader["grade_id"]: float(c.metadata.nbgrader["points"])
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


POINTS = _points()
FULL = sum(POINTS.values())


def _hidden_lines() -> list[str]:
    """Every substantial line of the hidden test blocks that is not also a visible line."""
    nb = nbformat.read(source_path(ASSIGNMENT, NOTEBOOK), as_version=4)
    hidden, visible = set(), set()
    for cell in nb.cells:
        before, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS")
        block, _, after = rest.partition("### END HIDDEN TESTS")
        hidden.update(line.strip() for line in block.splitlines() if len(line.strip()) > 12)
        visible.update(line.strip() for line in (before + after).splitlines())
    return sorted(hidden - visible)


@pytest.fixture(scope="session")
def batch(tmp_path_factory):
    """Grade every kind of submission in one call; return records, CSV rows, progress lines."""
    root = tmp_path_factory.mktemp("ch01_batch")
    subs, solved = root / "submissions", solution_bodies(ASSIGNMENT, NOTEBOOK)
    good = fill(ASSIGNMENT, NOTEBOOK, solved)

    def submit(student, nb, assignment=ASSIGNMENT):
        write_submission(subs, student, assignment, NOTEBOOK, nb)

    submit("solved", good)
    submit("skeleton", fill(ASSIGNMENT, NOTEBOOK, {}))
    for name, mutant in MUTANTS.items():
        submit(f"mutant_{name}", fill(ASSIGNMENT, NOTEBOOK, {**solved, mutant.cell: mutant.body}))
    submit("cheater", fill(ASSIGNMENT, NOTEBOOK, CHEATER, CHEATER_PRELUDE))
    submit("invalid_json", '{"cells": [')
    submit("os_exit", with_code_cell(good, "import os\nos._exit(0)"))
    submit("infinite_loop", with_code_cell(good, "while True:\n    pass"))
    submit("deleted_test", with_cell_removed(good, "test_mse"))
    submit("empty_metadata", with_empty_metadata(good, "mse"))
    submit("duplicated_test", with_duplicated_cell(good, "test_mse"))
    altered = fill(ASSIGNMENT, NOTEBOOK, {**solved, "mse": MUTANTS["mse_without_mean"].body})
    next(c for c in altered.cells if c.get("id") == "test_mse").source = "pass"
    submit("altered_test", altered)
    submit("unknown_assignment", good, assignment="ch09_x")
    (subs / "no_notebook" / ASSIGNMENT).mkdir(parents=True)

    progress = []
    out = root / "grades.csv"
    records = api.grade(submissions=subs, out=out, feedback=root / "feedback", jobs=2,
                        timeout=TIMEOUT, progress=progress.append)
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    return {"records": {r.student_id: r for r in records}, "rows": rows, "progress": progress,
            "feedback": root / "feedback"}


def test_solved_notebook_earns_full_marks(batch):
    record = batch["records"]["solved"]
    assert (record.score, record.max_score, record.status) == (FULL, FULL, "ok")
    assert record.parts == POINTS


def test_skeleton_earns_zero(batch):
    record = batch["records"]["skeleton"]
    assert (record.score, record.max_score, record.status) == (0, FULL, "ok")
    assert set(record.parts.values()) == {0.0}


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_each_mutant_loses_exactly_its_part(batch, name):
    record = batch["records"][f"mutant_{name}"]
    lost = f"test_{MUTANTS[name].cell}"
    assert record.status == "ok"
    assert record.parts == {**POINTS, lost: 0.0}
    assert record.score == FULL - POINTS[lost]


def test_cheater_who_rebinds_numpy_comparisons_scores_zero(batch):
    record = batch["records"]["cheater"]
    assert (record.score, record.status) == (0, "ok")


def test_each_broken_submission_gets_a_row_and_a_reason(batch):
    records = batch["records"]
    assert records["invalid_json"].status.startswith("invalid notebook JSON")
    assert records["os_exit"].status == "kernel died (os._exit?)"
    assert records["no_notebook"].status == "missing notebook regression.ipynb"
    for student in ("invalid_json", "os_exit", "no_notebook"):
        assert (records[student].score, records[student].max_score) == (None, FULL)
    assert records["unknown_assignment"].status == "unknown assignment ch09_x"
    assert records["unknown_assignment"].max_score is None


def test_infinite_loop_is_interrupted_and_reported(batch):
    record = batch["records"]["infinite_loop"]
    assert record.status.startswith("timed out in")
    assert record.score == FULL  # the tests ran before the loop; nbgrader keeps their points


@pytest.mark.parametrize("student", ["deleted_test", "empty_metadata", "duplicated_test"])
def test_repaired_submissions_are_graded_normally(batch, student):
    record = batch["records"][student]
    assert record.status.startswith("repaired: ")
    assert (record.score, record.parts) == (FULL, POINTS)


def test_altered_test_cell_is_restored_from_the_source(batch):
    record = batch["records"]["altered_test"]
    assert record.parts == {**POINTS, "test_mse": 0.0}


def test_csv_has_one_row_per_submission_and_no_silent_zero(batch):
    header, *rows = batch["rows"]
    assert header == ["student_id", "assignment", "score", "max_score", "status"]
    by_student = {row[0]: row for row in rows}
    assert len(rows) == len(by_student) == len(batch["records"])
    assert by_student["solved"] == ["solved", ASSIGNMENT, f"{FULL:g}", f"{FULL:g}", "ok"]
    assert by_student["os_exit"][2:4] == ["", f"{FULL:g}"]
    assert by_student["unknown_assignment"][1:] == ["ch09_x", "", "", "unknown assignment ch09_x"]


def test_progress_line_per_submission(batch):
    assert len(batch["progress"]) == len(batch["records"])
    assert any(line.endswith("solved/ch01_regression: 15/15 ok") for line in batch["progress"])


def _feedback_text(batch, student) -> str:
    (path,) = (batch["feedback"] / student / ASSIGNMENT).glob("*.html")
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("student", ["solved", "mutant_softmax_without_max"])
def test_feedback_shows_no_hidden_test(batch, student):
    text = _feedback_text(batch, student)
    leaked = [line for line in _hidden_lines() if line in text]
    assert not leaked
    assert "BEGIN HIDDEN TESTS" not in text


def test_feedback_keeps_the_failure_message(batch):
    text = _feedback_text(batch, "mutant_softmax_without_max")
    assert "softmax of scores near 1000 must not overflow" in text
    assert "#ch01-softmax" in text
