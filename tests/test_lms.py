"""LMS files that import as they are, checked against each system's published column rules.

Canvas's gradebook import (its export's layout): the columns Student, ID, SIS
User ID, SIS Login ID, Section come first, one of Student / ID / SIS User ID
identifies the student, then one column per assignment, and a ``Points
Possible`` row under the header. Moodle's CSV grade import: one header row, one
row per student, an identifier column mapped to a user field (ID number or
email), one column per grade item. No kernel runs here.
"""

import csv
from pathlib import Path

import pytest

from autograder import api
from autograder.errors import UsageError
from autograder.grading import GradeRecord
from autograder.lms import lms_table, write_lms
from autograder.manifest import load
from autograder.roster import NOT_SUBMITTED, Student

A1, A3 = "ch01_regression", "ch03_losses"
MAX1, MAX3 = load(A1).max_score, load(A3).max_score
ROSTER = [Student("s002", "Bo Lee", "bo@uni.edu", "B"), Student("s001", "=Ana", "ana@uni.edu", "A"),
          Student("s003", "Cy Park", "cy@uni.edu", "A")]
RECORDS = [
    GradeRecord("s001", A1, 15.0, MAX1, "ok", 1),
    GradeRecord("s001", A3, None, MAX3, "invalid notebook JSON in losses.ipynb", 1),
    GradeRecord("s002", A1, 30.0, MAX1, "ok", 1),
    GradeRecord("s002", A3, 7.5, MAX3, "ok", 1),
    GradeRecord("s003", A1, None, MAX1, NOT_SUBMITTED, 1),
    GradeRecord("s003", A3, None, MAX3, NOT_SUBMITTED, 1),
    GradeRecord("s009", A1, 0.0, MAX1, "ok", 1),
    GradeRecord("s009", "ch09_x", None, None, "unknown assignment ch09_x", 1),
]


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _numeric_or_empty(cell: str) -> bool:
    try:
        return cell == "" or float(cell) >= 0
    except ValueError:
        return False


def check_canvas(table: list[list[str]], assignments: list[str]) -> None:
    """Canvas's gradebook CSV: its five identity columns, Points Possible, one row a student."""
    header, points, *students = table
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert header[5:] == assignments
    assert points[0] == "Points Possible" and points[1:5] == ["", "", "", ""]
    assert all(cell and float(cell) > 0 for cell in points[5:])
    ids = [row[2] for row in students]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(len(row) == len(header) for row in table)
    assert all(_numeric_or_empty(cell) for row in students for cell in row[5:])


def check_moodle(table: list[list[str]], assignments: list[str]) -> None:
    """Moodle's CSV import: an identifier column, unique; a column per grade item."""
    header, *students = table
    assert header[0] == "ID number" and "Email address" in header
    assert header[3:] == assignments
    ids = [row[0] for row in students]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(len(row) == len(header) for row in table)
    assert all(_numeric_or_empty(cell) for row in students for cell in row[3:])


def test_canvas_gradebook_layout(tmp_path):
    write_lms(RECORDS, tmp_path / "canvas.csv", "canvas", roster=ROSTER)
    table = _read(tmp_path / "canvas.csv")
    check_canvas(table, [A1, A3])
    assert table[1] == ["Points Possible", "", "", "", "", f"{MAX1:g}", f"{MAX3:g}"]
    assert table[2:] == [["Bo Lee", "", "s002", "", "B", "30", "7.5"],
                         ["'=Ana", "", "s001", "", "A", "15", ""],
                         ["Cy Park", "", "s003", "", "A", "", ""],
                         ["s009", "", "s009", "", "", "0", ""]]


def test_moodle_import_layout(tmp_path):
    write_lms(RECORDS, tmp_path / "moodle.csv", "moodle", roster=ROSTER)
    table = _read(tmp_path / "moodle.csv")
    check_moodle(table, [A1, A3])
    assert table[1:] == [["s002", "Bo Lee", "bo@uni.edu", "30", "7.5"],
                         ["s001", "'=Ana", "ana@uni.edu", "15", ""],
                         ["s003", "Cy Park", "cy@uni.edu", "", ""],
                         ["s009", "", "", "0", ""]]


def test_percent_scores_are_shares_of_the_maximum_out_of_100():
    header, rows = lms_table(RECORDS, "wide", roster=ROSTER, percent=True)
    assert header == ["student_id", "name", "email", "section", A1, A3]
    by_id = {row[0]: row[4:] for row in rows}
    assert by_id == {"s002": ["100", f"{round(750 / MAX3, 2):g}"], "s001": ["50", ""],
                     "s003": ["", ""], "s009": ["0", ""]}
    canvas = lms_table(RECORDS, "canvas", percent=True)[1]
    assert canvas[0][5:] == ["100", "100"]


def test_one_row_per_student_without_a_roster():
    _, rows = lms_table(RECORDS, "wide")
    assert [row[0] for row in rows] == ["s001", "s002", "s003", "s009"]


def test_unknown_layouts_and_percent_rows_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown LMS layout 'blackboard'"):
        lms_table(RECORDS, "blackboard")
    with pytest.raises(UsageError, match="percent scores need a per-student LMS layout"):
        api.grade(submissions=tmp_path, out=tmp_path / "g.csv", lms=tmp_path / "l.csv",
                  percent=True, sandbox=False)


def test_a_graded_run_writes_the_canvas_file(tmp_path):
    subs = tmp_path / "subs"
    for student, assignment in (("s001", A1), ("s009", A3)):
        (subs / student / assignment).mkdir(parents=True)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,section\ns001,Ana,A\ns002,Bo,B\n", encoding="utf-8")
    api.grade(submissions=subs, out=tmp_path / "out" / "grades.csv",
              lms=tmp_path / "out" / "canvas.csv", lms_layout="canvas", roster=roster, seed=3,
              sandbox=False, jobs=2)
    table = _read(tmp_path / "out" / "canvas.csv")
    check_canvas(table, [A1, A3])
    assert [row[2:] for row in table[2:]] == [["s001", "", "A", "", ""],
                                              ["s002", "", "B", "", ""],
                                              ["s009", "", "", "", ""]]
