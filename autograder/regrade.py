"""Regrades in place: named students graded again with the run's key, their rows replaced.

``grade SUBMISSIONS --only ID ... --update OUT`` reads the run key that the
earlier run kept in ``OUT/grades.key`` (:mod:`autograder.runkey`), so the
students face the same hidden cases as the class, grades only the named
students' submissions, and rewrites in ``OUT/grades.csv`` (and the LMS file
and gradebook, where given) the rows of those students only: every other row
stays byte for byte as it was, and the rows stay in the folder's order. Their
feedback pages are written again. A named student with no row yet (a late
submission) is added; one whose rows are all gone from the folder keeps none,
unless the roster names them (``not submitted``).
"""

import csv
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from pathlib import Path

from autograder.errors import UsageError
from autograder.escape import escape
from autograder.export import LMS_COLUMNS, columns, grades_row, lms_row, write_table
from autograder.feedback import write_feedback
from autograder.gradebook import GradebookWriter
from autograder.grading import Batch, GradeRecord, grade_batch, list_batch
from autograder.roster import Student, not_submitted
from autograder.runkey import RunKey, key_path

__all__ = ["regrade", "regrade_batch", "replace_rows"]


def regrade_batch(submissions: Path, grades: Path, only: Sequence[str]) -> Batch:
    """Return the batch of the named students' submissions, with the run key of ``grades``.

    Raises
    ------
    UsageError
        When the key file beside ``grades`` is missing, or a named student has
        neither a submission in ``submissions`` nor a row in ``grades``.
    """
    if not grades.is_file():
        raise UsageError(f"no such grades file: {grades} (--update names the folder of an "
                         "earlier run)")
    key = RunKey.read(key_path(grades))
    batch = list_batch(submissions, seed=key.seed)
    with grades.open(newline="", encoding="utf-8") as handle:
        graded = {row[0] for row in list(csv.reader(handle))[1:]}
    named = set(only)
    unknown = sorted(named - graded - {s.student_id for s in batch.everything})
    if unknown:
        raise UsageError(f"--only names students with no submission in {submissions} and no "
                         f"row in {grades}: {', '.join(map(escape, unknown))}")
    mine = [s for s in batch.everything if s.student_id in named]
    return Batch(batch.folder, batch.seed, batch.everything, mine, batch.assignments)


def replace_rows(path: Path, header: Sequence[str], students: set[str],
                 rows: Iterable[Sequence[str]]) -> None:
    """Rewrite the CSV at ``path``: ``students``' rows replaced by ``rows``, others as they were.

    Rows are keyed by their first two cells (student, assignment) and put in order.

    Raises
    ------
    UsageError
        When the file's header is not ``header`` (a run over other assignments).
    """
    with path.open(newline="", encoding="utf-8") as handle:
        old_header, *old = list(csv.reader(handle))
    if old_header != list(header):
        raise UsageError(f"{path} has other columns than this regrade writes (the submissions "
                         "folder now holds other assignments): grade the whole class again")
    kept = {(row[0], row[1]): row for row in old if row[0] not in students}
    kept.update({(row[0], row[1]): list(row) for row in rows})
    write_table(path, header, (kept[key] for key in sorted(kept)))


def regrade(batch: Batch, grades: Path, only: Sequence[str], *, feedback: Path,
            lms: Path | None, gradebook: GradebookWriter | None,
            roster: Sequence[Student] | None,
            mark: Callable[[GradeRecord], GradeRecord], late: bool, book_url: str = "",
            options: dict) -> list[GradeRecord]:
    """Grade ``batch.mine`` and rewrite the rows, pages and gradebook entries of ``only``.

    ``lms`` is an LMS file in the ``rows`` layout (the others are written again
    from the whole grades CSV by the caller). Each graded record goes through
    ``mark`` (late policy, roster flag); ``late`` says whether the CSV has the
    late-work columns. ``gradebook`` is closed here. ``options`` are
    :func:`autograder.grading.grade_batch`'s keywords. A gradebook entry whose
    new record has no score is left as it was (nbgrader cannot say "not
    graded"). Returns the named students' new records, in order.
    """
    records = []
    try:
        with closing(grade_batch(batch, **options)) as graded:
            for record in graded:
                records.append(mark(record))
        if roster is not None:
            records += not_submitted([s for s in roster if s.id in only], records,
                                     batch.assignments, batch.seed)
        records.sort(key=lambda r: (r.student_id, r.assignment))
        for record in records:
            write_feedback(record, feedback, book_url=book_url)
            if gradebook is not None:
                gradebook.add(record)
    finally:
        if gradebook is not None:
            gradebook.close()
    header = columns(batch.assignments, late=late)
    students = set(only)
    replace_rows(grades, header, students, (grades_row(r, header) for r in records))
    if lms is not None:
        replace_rows(lms, LMS_COLUMNS, students, map(lms_row, records))
    return records
