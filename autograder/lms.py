"""Grades laid out as a learning-management system imports them: one row per student.

The grades CSV has one row per student and assignment; an LMS gradebook has
one row per student and one column per assignment. Three layouts:

``canvas``
    Canvas's gradebook CSV: ``Student, ID, SIS User ID, SIS Login ID,
    Section``, then one column per assignment; the second row, ``Points
    Possible``, gives each assignment's maximum. Students are matched on
    ``SIS User ID``, which holds the student id (the submission folder's name);
    ``ID`` (Canvas's own number) and ``SIS Login ID`` are left empty.
``moodle``
    For Moodle's CSV grade import: ``ID number, Full name, Email address``,
    then one column per assignment (each mapped to a grade item on the import
    screen); students are matched on the identifier column chosen there.
``wide``
    A plain table: ``student_id, name, email, section``, then one column per
    assignment.

Scores are points, or with ``percent`` a share of the assignment's maximum
(out of 100). A student with no score for an assignment (not submitted, or
not gradable) gets an empty cell, never a 0. Names, emails and sections come
from the roster (:mod:`autograder.roster`); students are listed in its order,
then those not on it by id. Text cells are escaped and formula-neutralised as
in the grades CSV (:func:`autograder.export.text_cell`).
"""

from collections.abc import Sequence
from pathlib import Path

from autograder.export import number_cell, text_cell, write_table
from autograder.grading import GradeRecord
from autograder.manifest import load
from autograder.roster import Student

__all__ = ["LAYOUTS", "lms_table", "write_lms"]

LAYOUTS = ("canvas", "moodle", "wide")
_IDENTITY = {"canvas": ("Student", "ID", "SIS User ID", "SIS Login ID", "Section"),
             "moodle": ("ID number", "Full name", "Email address"),
             "wide": ("student_id", "name", "email", "section")}


def _identity(layout: str, student: Student) -> list[str]:
    """Return the cells that name ``student`` in ``layout``."""
    cells = {"canvas": (student.name or student.id, "", student.id, "", student.section),
             "moodle": (student.id, student.name, student.email),
             "wide": (student.id, student.name, student.email, student.section)}[layout]
    return [text_cell(cell) for cell in cells]


def _score(record: GradeRecord | None, percent: bool) -> str:
    """Return a score cell: points, or percent of the maximum; empty when there is none."""
    if record is None or record.score is None:
        return ""
    if percent:
        return number_cell(round(100 * record.score / record.max_score, 2))
    return number_cell(record.score)


def lms_table(records: Sequence[GradeRecord], layout: str, *, roster: Sequence[Student] = (),
              percent: bool = False) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of ``records`` in ``layout`` (see the module docstring).

    Parameters
    ----------
    records : sequence of GradeRecord
        A run's records; those of no known assignment (no maximum) get no column.
    layout : {"canvas", "moodle", "wide"}
    roster : sequence of Student, optional
        Names, emails, sections and the order of the rows.
    percent : bool, default False
        Scores out of 100 instead of points.

    Raises
    ------
    ValueError
        For an unknown layout.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown LMS layout {layout!r}: expected one of {', '.join(LAYOUTS)}")
    assignments = sorted({r.assignment for r in records if r.max_score is not None})
    known = {student.id for student in roster}
    students = [*roster, *(Student(sid, "") for sid in sorted({r.student_id for r in records})
                           if sid not in known)]
    scores = {(r.student_id, r.assignment): r for r in records}
    header = [*_IDENTITY[layout], *map(text_cell, assignments)]
    rows = []
    if layout == "canvas":
        rows.append(["Points Possible", "", "", "", "",
                     *(number_cell(100 if percent else load(name).max_score)
                       for name in assignments)])
    rows += [[*_identity(layout, student),
              *(_score(scores.get((student.id, name)), percent) for name in assignments)]
             for student in students]
    return header, rows


def write_lms(records: Sequence[GradeRecord], path: Path, layout: str, *,
              roster: Sequence[Student] = (), percent: bool = False) -> None:
    """Write :func:`lms_table` to ``path``, replacing it only once all is written."""
    write_table(path, *lms_table(records, layout, roster=roster, percent=percent))
