"""Grades as CSV files: the full table, an LMS-ready one, and merging the shards of a run."""

import csv
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from autograder.errors import UsageError
from autograder.grading import GradeRecord, find_submissions
from autograder.manifest import load
from autograder.shards import ShardRecord, check_one_run, read_shard_record

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


def _score(text: str) -> float | None:
    """Read back what :func:`_number` wrote (``:g`` rereads to itself, so rows stay byte-equal)."""
    return float(text) if text else None


def _record(header: Sequence[str], row: Sequence[str]) -> GradeRecord:
    """Read a row of the grades CSV back into a record (without messages: the CSV has none)."""
    cells = dict(zip(header, row, strict=True))
    name = cells["assignment"]
    parts = {column.split(":", 1)[1]: float(value) for column, value in cells.items()
             if column.startswith(f"{name}:") and value}
    return GradeRecord(cells["student_id"], name, _score(cells["score"]),
                       _score(cells["max_score"]), cells["status"], int(cells["seed"]), parts,
                       flags=tuple(cells["flags"].split(" | ")) if cells["flags"] else ())


class _ShardFile(NamedTuple):
    """One shard's grades CSV, read."""

    header: list[str]
    rows: list[list[str]]
    record: ShardRecord
    """What the shard wrote beside its CSV (:mod:`autograder.shards`)."""


def _read_shard(path: Path) -> _ShardFile:
    """Read one shard's grades CSV and its shard record."""
    if not path.is_file():
        raise UsageError(f"no such grades file: {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    if not table or any(len(row) != len(table[0]) for row in table):
        raise UsageError(f"{path} is not a grades file: rows of unequal length")
    return _ShardFile(table[0], table[1:], read_shard_record(path))


def _join(shards: dict[Path, _ShardFile]) -> dict[tuple[str, str], list[str]]:
    """Key the shards' rows by (student, assignment); refuse other columns, seeds, doubles."""
    (first, (header, _, _)), *_ = shards.items()
    rows, seeds = {}, set()
    for path, (this, table, record) in shards.items():
        if this != header:
            raise UsageError(f"{path} has other columns than {first}: not shards of "
                             "one run over one submissions folder")
        seeds |= {str(record.seed), *(row[header.index("seed")] for row in table)}
        for row in table:
            if (row[0], row[1]) in rows:
                raise UsageError(f"{row[0]}/{row[1]} appears in more than one shard")
            rows[row[0], row[1]] = row
    if len(seeds) > 1:
        raise UsageError("the shards were graded with different seeds "
                         f"({', '.join(sorted(seeds))})")
    return rows


def _check_rows(rows: dict[tuple[str, str], list[str]], shards: dict[Path, _ShardFile],
                total: int) -> None:
    """Refuse a merge with other than one row for each of the run's ``total`` submissions."""
    if len(rows) != total:
        short = [f"{path} has {len(shard.rows)} rows, its shard graded {shard.record.submissions}"
                 for path, shard in shards.items() if len(shard.rows) != shard.record.submissions]
        raise UsageError(f"the shards hold {len(rows)} rows but the run found {total} "
                         f"submissions{': ' if short else ''}{'; '.join(short)}")


def _check_submissions(keys: Iterable[tuple[str, str]], submissions_dir: Path) -> None:
    """Refuse rows that are not exactly the submissions of ``submissions_dir``.

    Raises
    ------
    UsageError
        Naming the submissions (``student_id/assignment``) without a row, and the
        rows that are no submission of the folder.
    """
    found = {(s.student_id, s.assignment) for s in find_submissions(submissions_dir)}
    keys = set(keys)
    problems = [f"{what}: {', '.join(f'{s}/{a}' for s, a in sorted(which))}"
                for what, which in ((f"no row for submissions in {submissions_dir}",
                                     found - keys),
                                    (f"rows for submissions not in {submissions_dir}",
                                     keys - found)) if which]
    if problems:
        raise UsageError("; ".join(problems))


def merge_csvs(inputs: Sequence[Path], out: Path, *,
               submissions: Path | None = None) -> list[GradeRecord]:
    """Join the CSVs of all the shards of one run into the CSV one unsharded run writes.

    Each CSV needs the shard record that ``grade --shard K/N`` writes beside it
    (:mod:`autograder.shards`). Rows are put back in the order of the
    submissions folder (student, then assignment), and each shard's
    ``feedback/`` folder beside its CSV is copied beside ``out``. Nothing is
    written unless every check passes.

    Parameters
    ----------
    inputs : sequence of Path
        The shards' grades CSVs, all N of them, in any order.
    out : Path
        The merged CSV to write.
    submissions : Path, optional
        The submissions folder: check that each of its submissions has a row.

    Raises
    ------
    UsageError
        When a shard is missing or given twice, the inputs are shards of
        different splits, folders, seeds or columns, a submission appears
        twice, a shard's CSV lacks rows, or (with ``submissions``) a submission
        has no row.

    Returns
    -------
    records : list of GradeRecord
        The merged rows as records (no messages: the CSV holds none), in order.
    """
    if not inputs:
        raise UsageError("nothing to merge: give the shards' CSV files")
    shards = {path: _read_shard(path) for path in inputs}
    run = check_one_run([(path, shards[path].record) for path in inputs])
    rows = _join(shards)
    _check_rows(rows, shards, run.total)
    if submissions is not None:
        _check_submissions(rows, submissions)
    for path in inputs:
        feedback = path.parent / "feedback"
        if feedback.is_dir() and feedback.resolve() != (out.parent / "feedback").resolve():
            shutil.copytree(feedback, out.parent / "feedback", dirs_exist_ok=True)
    header = shards[inputs[0]].header
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows[key] for key in sorted(rows))
    return [_record(header, rows[key]) for key in sorted(rows)]
