"""A course's roster: who should hand work in, so that nobody who handed nothing in goes unseen.

A roster is a CSV file with a header row naming at least the columns ``id``
(the student folder's name in the submissions) and ``name``; ``email`` and
``section`` are optional, and other columns (an LMS export has many) are
ignored. Column names are read without regard to case or surrounding spaces,
and a UTF-8 byte-order mark (what spreadsheets write) is skipped.

With a roster, a run gives each rostered student a row for each assignment of
the run: ``not submitted``, with no score, where nothing came in. A
submission from an id that is not on the roster is graded as any other and
flagged ``not on the roster``, so that a typo in a folder name or a student who
joined late is seen, never dropped.
"""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.errors import UsageError
from autograder.escape import escape
from autograder.grading import GradeRecord
from autograder.manifest import load

__all__ = ["NOT_ON_ROSTER", "NOT_SUBMITTED", "Student", "flag_strangers", "not_submitted",
           "read_roster", "roster_summary"]

NOT_SUBMITTED = "not submitted"
NOT_ON_ROSTER = "not on the roster"
_REQUIRED = ("id", "name")
_OPTIONAL = ("email", "section")


@dataclass(frozen=True)
class Student:
    """One row of the roster; every text escaped (:func:`autograder.escape.escape`)."""

    id: str
    name: str
    email: str = ""
    section: str = ""


def _table(path: Path) -> list[list[str]]:
    """Read ``path`` as CSV rows, or raise :class:`UsageError` saying why it cannot be."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    except FileNotFoundError:
        raise UsageError(f"no such roster: {path}") from None
    except UnicodeDecodeError as err:
        raise UsageError(f"{path} is not UTF-8 text ({err.reason} at byte {err.start}): save "
                         "the roster as CSV UTF-8") from None
    except (OSError, csv.Error) as err:
        raise UsageError(f"cannot read the roster {path}: {err}") from None


def read_roster(path: Path) -> list[Student]:
    """Read the roster at ``path``, in its order.

    Raises
    ------
    UsageError
        When the file is missing or not UTF-8 CSV, its header lacks ``id`` or
        ``name``, a row has no id, or an id appears twice (naming the lines).
    """
    table = [row for row in _table(path) if any(cell.strip() for cell in row)]
    if not table:
        raise UsageError(f"the roster {path} is empty: expected a header row with the columns "
                         "id,name (and optionally email,section), then one row per student")
    header = [cell.strip().lower() for cell in table[0]]
    if missing := [column for column in _REQUIRED if column not in header]:
        raise UsageError(f"the roster {path} has no column {' or '.join(missing)}: its header "
                         f"is {escape(','.join(table[0]))!r}; expected id,name (and optionally "
                         "email,section)")
    where = {column: header.index(column) for column in (*_REQUIRED, *_OPTIONAL)
             if column in header}
    students, lines = [], {}
    for line, row in enumerate(table[1:], start=2):
        cells = {column: escape(row[index].strip()) if index < len(row) else ""
                 for column, index in where.items()}
        if not cells["id"]:
            raise UsageError(f"the roster {path} has a row without an id (line {line})")
        if cells["id"] in lines:
            raise UsageError(f"the roster {path} lists the id {cells['id']!r} twice (lines "
                             f"{lines[cells['id']]} and {line})")
        lines[cells["id"]] = line
        students.append(Student(**cells))
    return students


def flag_strangers(record: GradeRecord, roster: Sequence[Student]) -> GradeRecord:
    """Return ``record``, flagged ``not on the roster`` when its student is not on it."""
    if any(student.id == record.student_id for student in roster):
        return record
    return replace(record, flags=(*record.flags, NOT_ON_ROSTER))


def not_submitted(roster: Sequence[Student], records: Iterable[GradeRecord],
                  assignments: Sequence[str], seed: int | str) -> list[GradeRecord]:
    """Return a ``not submitted`` record for each rostered student and assignment with none.

    Parameters
    ----------
    roster : sequence of Student
        From :func:`read_roster`.
    records : iterable of GradeRecord
        The run's records.
    assignments : sequence of str
        The run's assignments.
    seed : int or str
        The run key's secret (the rows show its id), or its id as a merge reads it back.

    Returns
    -------
    missing : list of GradeRecord
        No score, the assignment's points as ``max_score``, status ``not submitted``;
        in roster order, then assignment order.
    """
    present = {(record.student_id, record.assignment) for record in records}
    return [GradeRecord(student.id, name, None, load(name).max_score, NOT_SUBMITTED, seed)
            for student in roster for name in assignments if (student.id, name) not in present]


def roster_summary(records: Sequence[GradeRecord]) -> str:
    """One line: the rows ``not submitted`` and the students ``not on the roster``, by id."""
    missing = sorted({f"{r.student_id}/{r.assignment}" for r in records
                      if r.status == NOT_SUBMITTED})
    strangers = sorted({r.student_id for r in records if NOT_ON_ROSTER in r.flags})
    return (f"roster: {len(missing)} not submitted"
            + (f" ({', '.join(missing)})" if missing else "")
            + f"; {len(strangers)} not on the roster, graded"
            + (f" ({', '.join(strangers)})" if strangers else ""))
