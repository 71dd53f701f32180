"""Grades as CSV files: the full table, an LMS-ready one, and merging the shards of a run."""

import csv
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from autograder.errors import UsageError
from autograder.grading import GradeRecord
from autograder.manifest import load

__all__ = ["BASE_COLUMNS", "LMS_COLUMNS", "columns", "merge_csvs", "write_grades_csv",
           "write_lms_csv"]

BASE_COLUMNS = ("student_id", "assignment", "score", "max_score", "status", "seed", "flags")
LMS_COLUMNS = ("student_id", "assignment", "total", "max")


def _number(value: float | None) -> str:
    """Format a score: ``15``, ``12.5``, or empty when there is none (never a fake 0)."""
    return "" if value is None else f"{value:g}"


def columns(assignments: Sequence[str]) -> list[str]:
    """Return the CSV's header: the base columns, then ``<assignment>:<part>`` per part."""
    return [*BASE_COLUMNS, *(f"{name}:{part.name}" for name in assignments
                             for part in load(name).parts)]


def write_grades_csv(records: Iterable[GradeRecord], path: Path,
                     assignments: Sequence[str]) -> None:
    """Write one row per record: base columns, flags joined by `` | ``, points per part."""
    header = columns(assignments)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for record in records:
            row = dict.fromkeys(header, "")
            row.update(student_id=record.student_id, assignment=record.assignment,
                       score=_number(record.score), max_score=_number(record.max_score),
                       status=record.status, seed=str(record.seed),
                       flags=" | ".join(record.flags))
            for part, points in record.parts.items():
                row[f"{record.assignment}:{part}"] = _number(points)
            writer.writerow(row.values())


def write_lms_csv(records: Iterable[GradeRecord], path: Path) -> None:
    """Write the columns an LMS import wants: student id, assignment, total, max (empty if none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LMS_COLUMNS)
        for r in records:
            writer.writerow([r.student_id, r.assignment, _number(r.score), _number(r.max_score)])


def merge_csvs(inputs: Sequence[Path], out: Path) -> int:
    """Join the CSVs of the shards of one run into the CSV one unsharded run writes.

    Rows are put back in the order of the submissions folder (student, then
    assignment), and each shard's ``feedback/`` folder beside its CSV is copied
    beside ``out``.

    Raises
    ------
    UsageError
        When the inputs disagree on columns or seed, or a submission appears twice.

    Returns
    -------
    rows : int
        The number of rows written.
    """
    header, rows, seeds = None, {}, set()
    for path in inputs:
        if not path.is_file():
            raise UsageError(f"no such grades file: {path}")
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            this = next(reader, None)
            if header is not None and this != header:
                raise UsageError(f"{path} has other columns than {inputs[0]}: not shards of "
                                 "one run over one submissions folder")
            header = this
            for row in reader:
                key = (row[0], row[1])
                if key in rows:
                    raise UsageError(f"{key[0]}/{key[1]} appears in more than one shard")
                rows[key] = row
                seeds.add(row[header.index("seed")])
        feedback = path.parent / "feedback"
        if feedback.is_dir() and feedback.resolve() != (out.parent / "feedback").resolve():
            shutil.copytree(feedback, out.parent / "feedback", dirs_exist_ok=True)
    if header is None:
        raise UsageError("nothing to merge: give the shards' CSV files")
    if len(seeds) > 1:
        raise UsageError("the shards were graded with different seeds "
                         f"({', '.join(sorted(seeds))})")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows[key] for key in sorted(rows))
    return len(rows)
