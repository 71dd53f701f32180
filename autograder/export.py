"""Grades as CSV files: the full table, an LMS-ready one, and merging the shards of a run.

Every text cell is escaped (:func:`autograder.escape.escape`) and, when a
spreadsheet would run it as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return), neutralised by a leading ``'`` (OWASP's
recipe for CSV injection); a cell that starts with ``'`` gets one more, so that
:func:`merge_csvs` reads back exactly what was written and never escapes twice.
"""

import csv
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from autograder.errors import UsageError
from autograder.escape import escape
from autograder.feedback import write_feedback
from autograder.grading import GradeRecord, find_submissions
from autograder.manifest import load
from autograder.roster import Student, not_submitted
from autograder.runkey import RunKey
from autograder.shards import ShardRecord, check_one_run, read_shard_record

__all__ = ["BASE_COLUMNS", "LATE_COLUMNS", "LMS_COLUMNS", "CsvFile", "columns", "grades_row",
           "lms_row", "merge_csvs", "number_cell", "problem_row", "read_grades_csv", "text_cell",
           "write_grades_csv", "write_lms_csv", "write_table"]

BASE_COLUMNS = ("student_id", "assignment", "score", "max_score", "status", "key", "flags",
                "mistakes")
LATE_COLUMNS = ("submitted", "late_hours", "penalty")
LMS_COLUMNS = ("student_id", "assignment", "total", "max")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def text_cell(value: str) -> str:
    """Escape a text cell and neutralise it if a spreadsheet would run it as a formula.

    Examples
    --------
    >>> [text_cell(v) for v in ("kim", "=1+1", "'quoted", "@SUM(A1)")]
    ['kim', "'=1+1", "''quoted", "'@SUM(A1)"]
    """
    value = escape(value)
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _untext(cell: str) -> str:
    """Read back what :func:`_text` wrote: drop the ``'`` it added."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS) else cell


def number_cell(value: float | None) -> str:
    """Format a score: ``15``, ``12.5``, or empty when there is none (never a fake 0)."""
    return "" if value is None else f"{value:g}"


def _key_id(seed: int | str) -> str:
    """Return the run key's id, of its secret or as read back from a CSV (which holds the id)."""
    return seed if isinstance(seed, str) else RunKey(seed).id


def columns(assignments: Sequence[str], *, late: bool = False) -> list[str]:
    """Return the CSV's header: base columns, late columns, ``<assignment>:<part>`` per part.

    The late columns (:data:`LATE_COLUMNS`, :mod:`autograder.late`) come only with ``late``.
    """
    return [*BASE_COLUMNS, *(LATE_COLUMNS if late else ()),
            *(f"{name}:{part.name}" for name in assignments for part in load(name).parts)]


def grades_row(record: GradeRecord, header: Sequence[str]) -> list[str]:
    """Return the record's row of the grades CSV: base columns, then points per part.

    ``key`` is the id of the run key (:attr:`autograder.runkey.RunKey.id`), never the key.

    ``flags`` are joined by `` | ``; ``mistakes`` lists the catalogued mistake each
    failed part looks like, as ``part: mistake`` joined by `` | ``
    (:mod:`autograder.mistakes`).
    """
    row = dict.fromkeys(header, "")
    row.update(student_id=text_cell(record.student_id), assignment=text_cell(record.assignment),
               score=number_cell(record.score), max_score=number_cell(record.max_score),
               status=text_cell(record.status), key=_key_id(record.seed),
               flags=text_cell(" | ".join(record.flags)),
               mistakes=text_cell(" | ".join(f"{part}: {name}"
                                         for part, name in record.mistakes.items())))
    if "penalty" in row:
        row.update(submitted=text_cell(record.submitted),
                   late_hours=number_cell(record.late_hours), penalty=number_cell(record.penalty))
    for part, points in record.parts.items():
        column = f"{record.assignment}:{part}"
        if column in row:
            row[column] = number_cell(points)
    return list(row.values())


def problem_row(record: GradeRecord, header: Sequence[str], reason: str) -> list[str]:
    """Return a row with no score that names the record and says why: when its own row failed."""
    row = dict.fromkeys(header, "")
    row.update(student_id=text_cell(record.student_id), assignment=text_cell(record.assignment),
               status=text_cell(reason), key=_key_id(record.seed))
    return list(row.values())


def lms_row(record: GradeRecord) -> list[str]:
    """Return the record's row of the LMS CSV: student id, assignment, total, max."""
    return [text_cell(record.student_id), text_cell(record.assignment), number_cell(record.score),
            number_cell(record.max_score)]


class CsvFile:
    """A CSV file written row by row, each row on disk (flushed) as soon as it is written.

    Parameters
    ----------
    path : Path
        The file to create (its folder too); an earlier file there is replaced.
    header : sequence of str
        The first row.
    """

    def __init__(self, path: Path, header: Sequence[str]):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self.write(header)

    def write(self, row: Sequence[str]) -> None:
        """Append one row and flush it to the file."""
        self._writer.writerow(row)
        self._handle.flush()

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write a whole CSV file at once, replacing ``path`` only when all of it is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(partial, path)


def write_grades_csv(records: Iterable[GradeRecord], path: Path,
                     assignments: Sequence[str]) -> None:
    """Write one row per record (:func:`grades_row`) under the header of ``assignments``."""
    header = columns(assignments)
    write_table(path, header, (grades_row(record, header) for record in records))


def write_lms_csv(records: Iterable[GradeRecord], path: Path) -> None:
    """Write the columns an LMS import wants: student id, assignment, total, max (empty if none)."""
    write_table(path, LMS_COLUMNS, map(lms_row, records))


def _score(text: str) -> float | None:
    """Read back what :func:`_number` wrote (``:g`` rereads to itself, so rows stay byte-equal)."""
    return float(text) if text else None


def _record(header: Sequence[str], row: Sequence[str]) -> GradeRecord:
    """Read a row of the grades CSV back into a record (without messages: the CSV has none).

    The CSV holds the run key's id, not the key: the record's ``seed`` is that id.
    """
    cells = {column: _untext(cell) for column, cell in zip(header, row, strict=True)}
    name = cells["assignment"]
    parts = {column.split(":", 1)[1]: float(value) for column, value in cells.items()
             if column.startswith(f"{name}:") and value}
    return GradeRecord(cells["student_id"], name, _score(cells["score"]),
                       _score(cells["max_score"]), cells["status"], cells["key"], parts,
                       flags=tuple(cells["flags"].split(" | ")) if cells["flags"] else (),
                       mistakes=dict(item.split(": ", 1) for item in cells["mistakes"].split(" | ")
                                     if item),
                       submitted=cells.get("submitted", ""),
                       late_hours=_score(cells.get("late_hours", "")),
                       penalty=_score(cells.get("penalty", "")))


def _read_table(path: Path) -> list[list[str]]:
    """Read a grades CSV's rows (header first), or raise :class:`UsageError` saying why not."""
    if not path.is_file():
        raise UsageError(f"no such grades file: {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    if not table or any(len(row) != len(table[0]) for row in table):
        raise UsageError(f"{path} is not a grades file: rows of unequal length")
    if table[0][:len(BASE_COLUMNS)] != list(BASE_COLUMNS):
        raise UsageError(f"{path} is not a grades file: expected the columns "
                         f"{','.join(BASE_COLUMNS)} first")
    return table


def read_grades_csv(path: Path) -> list[GradeRecord]:
    """Read a grades CSV back into records (no messages; ``seed`` holds the key's id).

    Raises
    ------
    UsageError
        When ``path`` is missing or is not a grades CSV.
    """
    header, *rows = _read_table(path)
    return [_record(header, row) for row in rows]


class _ShardFile(NamedTuple):
    """One shard's grades CSV, read."""

    header: list[str]
    rows: list[list[str]]
    record: ShardRecord
    """What the shard wrote beside its CSV (:mod:`autograder.shards`)."""


def _read_shard(path: Path) -> _ShardFile:
    """Read one shard's grades CSV and its shard record."""
    table = _read_table(path)
    return _ShardFile(table[0], table[1:], read_shard_record(path))


def _join(shards: dict[Path, _ShardFile]) -> dict[tuple[str, str], list[str]]:
    """Key the shards' rows by (student, assignment); refuse other columns, keys, doubles."""
    (first, (header, _, _)), *_ = shards.items()
    rows, seeds = {}, set()
    for path, (this, table, record) in shards.items():
        if this != header:
            raise UsageError(f"{path} has other columns than {first}: not shards of "
                             "one run over one submissions folder")
        seeds |= {record.key, *(row[header.index("key")] for row in table)}
        for row in table:
            key = _untext(row[0]), _untext(row[1])
            if key in rows:
                raise UsageError(f"{row[0]}/{row[1]} appears in more than one shard")
            rows[key] = row
    if len(seeds) > 1:
        raise UsageError("the shards were graded with different run keys (ids "
                         f"{', '.join(sorted(seeds))}): grade every shard with the run's "
                         "--key FILE")
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


def merge_csvs(inputs: Sequence[Path], out: Path, *, submissions: Path | None = None,
               roster: Sequence[Student] | None = None, book_url: str = "") -> list[GradeRecord]:
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
    roster : sequence of Student, optional
        The roster the shards were graded with (:mod:`autograder.roster`): add a
        ``not submitted`` row and feedback page for each rostered student and
        assignment with none, as one unsharded run with it does.
    book_url : str, optional
        The book's address, for the links of those pages (as ``grade --book-url``).

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
    if roster is not None:
        assignments = list(dict.fromkeys(column.split(":", 1)[0] for column in header
                                         if ":" in column))
        for record in not_submitted(roster, [_record(header, row) for row in rows.values()],
                                    assignments, run.key):
            write_feedback(record, out.parent / "feedback", book_url=book_url)
            rows[record.student_id, record.assignment] = grades_row(record, header)
    write_table(out, header, (rows[key] for key in sorted(rows)))
    return [_record(header, rows[key]) for key in sorted(rows)]
