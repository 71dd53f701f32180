"""Grades as a CSV file for a learning-management system."""

import csv
from collections.abc import Iterable
from pathlib import Path

from autograder.grading import GradeRecord

__all__ = ["CSV_COLUMNS", "write_grades_csv"]

CSV_COLUMNS = ("student_id", "assignment", "score", "max_score", "status")


def _number(value: float | None) -> str:
    """Format a score for the CSV: ``15``, ``12.5``, or empty when there is none."""
    return "" if value is None else f"{value:g}"


def write_grades_csv(records: Iterable[GradeRecord], path: Path) -> None:
    """Write one row per record with exactly the columns :data:`CSV_COLUMNS`.

    An empty score means the submission could not be graded at all; the status
    says why. It is never written as 0, which would look like a real zero.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for record in records:
            writer.writerow([record.student_id, record.assignment, _number(record.score),
                             _number(record.max_score), record.status])
