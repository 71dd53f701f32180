"""The notebook formgrader opens and the course folder entries: safe, as nbgrader's. No kernel.

Attacks first: a learner's notebook that saved HTML and scripts in its outputs,
in Markdown and in raw cells, that marks its own cells as worth points, that
repeats or deletes a test cell, or rewrites a test; a course folder with
symbolic links where the grader writes.
"""

import json
import os
from pathlib import Path

import nbformat
import pytest

from autograder import visible
from autograder.autograded import autograded_notebook, write_entry
from autograder.grading import GradeRecord
from autograder.manifest import load
from autograder.notebooks import nbgrader_metadata
from tests.grading_fixtures import fill, with_cell_removed, with_duplicated_cell, write_submission

NAME = "ch01_regression"
ASSIGNMENT = load(NAME)
NOTEBOOK = ASSIGNMENT.notebook
PARTS = {part.name: part for part in ASSIGNMENT.parts}
SCRIPT = "<script>alert(1)</script>"


def _record(**messages: str) -> GradeRecord:
    parts = {part.name: 0.0 if part.name in messages else float(part.points)
             for part in ASSIGNMENT.parts}
    return GradeRecord("s1", NAME, sum(parts.values()), ASSIGNMENT.max_score, "ok", 1, parts,
                       messages)


def _graded_cells(nb) -> dict[str, list[dict]]:
    """grade_id -> the nbgrader metadata of each cell that has it."""
    cells: dict[str, list[dict]] = {}
    for cell in nb.cells:
        if meta := nbgrader_metadata(cell):
            cells.setdefault(meta["grade_id"], []).append(dict(meta))
    return cells


def _hostile() -> nbformat.NotebookNode:
    """The released notebook with the learner's HTML, scripts and forged metadata in it."""
    nb = fill(NAME, NOTEBOOK, {})
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": SCRIPT})]
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "test_mse":
            cell.source = "assert True  # my own test"
        if meta.get("grade_id") == "setup":
            meta.update(grade=True, grade_id="test_bonus", points=100)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"my notes {SCRIPT}"))
    nb.cells.append(nbformat.v4.new_raw_cell(SCRIPT, metadata={"format": "text/html"}))
    nb.metadata["widgets"] = {"state": SCRIPT}
    nb.metadata["kernelspec"]["display_name"] = SCRIPT
    return nb


def test_the_copy_keeps_no_html_or_script_of_the_learner():
    nb = autograded_notebook(_hostile(), ASSIGNMENT, _record())
    text = nbformat.writes(nb)
    assert "<script>" not in text and "alert(1)" in text  # escaped, still readable
    assert "&lt;script&gt;" in nb.cells[-2].source
    assert nb.cells[-1].cell_type == "raw" and "format" not in nb.cells[-1].metadata
    assert "&lt;script&gt;" in nb.cells[-1].source
    assert "widgets" not in nb.metadata
    assert all(not cell.outputs for cell in nb.cells if cell.cell_type == "code")

def test_only_the_manifests_cells_carry_nbgrader_metadata_with_its_points():
    nb = autograded_notebook(_hostile(), ASSIGNMENT, _record())
    cells = _graded_cells(nb)
    expected = {part.name for part in ASSIGNMENT.parts} | {
        f"test_{part.name}" for part in ASSIGNMENT.parts}
    assert set(cells) == expected
    for part in ASSIGNMENT.parts:
        assert cells[part.name] == [{**cells[part.name][0], "solution": True, "grade": False}]
        (test,) = cells[f"test_{part.name}"]
        assert (test["grade"], test["points"], test["locked"]) == (True, part.points, True)


def test_each_test_cell_is_the_released_one_and_shows_why_it_failed():
    message = "mse should average the squared errors (hidden case: empty input)"
    nb = autograded_notebook(_hostile(), ASSIGNMENT, _record(mse=message))
    tests = {nbgrader_metadata(c)["grade_id"]: c for c in nb.cells
             if nbgrader_metadata(c) and nbgrader_metadata(c)["grade"]}
    assert tests["test_mse"].source == visible.test_cell(PARTS["mse"])
    assert [o["text"] for o in tests["test_mse"].outputs] == [message + "\n"]
    assert all(not cell.outputs for grade_id, cell in tests.items() if grade_id != "test_mse")


def test_a_deleted_test_cell_is_added_and_a_repeated_one_kept_once():
    nb = with_duplicated_cell(with_cell_removed(fill(NAME, NOTEBOOK, {}), "test_mse"),
                              "test_sigmoid")
    cells = _graded_cells(autograded_notebook(nb, ASSIGNMENT, _record()))
    assert len(cells["test_mse"]) == len(cells["test_sigmoid"]) == 1


def test_the_same_notebook_gives_the_same_copy():
    first = nbformat.writes(autograded_notebook(_hostile(), ASSIGNMENT, _record()))
    assert first == nbformat.writes(autograded_notebook(_hostile(), ASSIGNMENT, _record()))
    nbformat.validate(nbformat.reads(first, as_version=4))


def _submission(tmp_path: Path) -> Path:
    return write_submission(tmp_path / "subs", "s1", NAME, NOTEBOOK, _hostile()).parent


def test_the_entries_are_what_formgrader_reads(tmp_path):
    from datetime import datetime

    course = tmp_path / "course"
    course.mkdir()
    write_entry(course, _record(), ASSIGNMENT, _submission(tmp_path), datetime(2026, 10, 6, 3))
    stamp = "2026-10-06 03:00:00.000000 UTC"
    assert (course / "submitted" / "s1" / NAME / "timestamp.txt").read_text() == stamp
    autograded = course / "autograded" / "s1" / NAME
    assert (autograded / "timestamp.txt").read_text() == stamp
    assert sorted(os.listdir(course / "submitted" / "s1" / NAME)) == ["timestamp.txt"]
    assert json.loads((autograded / NOTEBOOK).read_text())["nbformat"] == 4
    write_entry(course, _record(), ASSIGNMENT, _submission(tmp_path / "again"), None)
    assert not (course / "submitted" / "s1" / NAME / "timestamp.txt").exists()


def test_a_linked_folder_in_the_course_is_refused(tmp_path):
    course, elsewhere = tmp_path / "course", tmp_path / "elsewhere"
    course.mkdir()
    elsewhere.mkdir()
    (course / "autograded").symlink_to(elsewhere)
    with pytest.raises(OSError, match="symbolic link"):
        write_entry(course, _record(), ASSIGNMENT, _submission(tmp_path), None)
    assert list(elsewhere.iterdir()) == []


def test_a_linked_file_in_the_course_is_replaced_not_followed(tmp_path):
    course, target = tmp_path / "course", tmp_path / "precious.txt"
    target.write_text("keep me")
    folder = course / "autograded" / "s1" / NAME
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).symlink_to(target)
    (folder / "timestamp.txt").symlink_to(target)
    write_entry(course, _record(), ASSIGNMENT, _submission(tmp_path), None)
    assert target.read_text() == "keep me"
    assert not (folder / NOTEBOOK).is_symlink() and not (folder / "timestamp.txt").exists()


def test_a_linked_notebook_in_the_submission_is_not_read(tmp_path):
    from autograder.notebooks import InvalidNotebook

    folder = tmp_path / "subs" / "s1" / NAME
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).symlink_to(tmp_path / "secret.ipynb")
    with pytest.raises(InvalidNotebook, match="symlink"):
        write_entry(tmp_path / "course", _record(), ASSIGNMENT, folder, None)
