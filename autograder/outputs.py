"""A grading run's outputs, written row by row: nothing graded is lost to a later failure.

Each record goes, as soon as it is graded, to its feedback page, the
gradebook, the LMS CSV and the grades CSV, in that order, so that its row in
the grades CSV can say which of the others failed. Each row is flushed to its
file when written. A failure of one writer for one record (a full disk, a
bug, a name no file system takes) is caught: the record's status says it,
:attr:`RunOutputs.failures` lists it, and every other row and output is still
written. When the run has graded everything, the two CSV files are rewritten
in the order of the submissions folder, with the rows as first written, so
that a run is repeatable byte for byte; until then they hold the rows in the
order they were graded, and a run that is stopped leaves them so.
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from autograder.export import (
    LMS_COLUMNS,
    CsvFile,
    columns,
    grades_row,
    lms_row,
    problem_row,
    write_table,
)
from autograder.feedback import write_feedback
from autograder.gradebook import GradebookWriter
from autograder.grading import GradeRecord

__all__ = ["RunOutputs"]


class RunOutputs:
    """Where one run writes: the grades CSV and, where asked, feedback, LMS CSV, gradebook.

    Use it as a context manager; :meth:`add` each record as it is graded.

    Parameters
    ----------
    out : Path
        The grades CSV.
    assignments : sequence of str
        The assignments of the CSV's columns.
    feedback : Path, optional
        Folder for one feedback page per record.
    lms : Path, optional
        The LMS CSV.
    gradebook : GradebookWriter, optional
        The nbgrader gradebook, closed with the other outputs.
    late : bool, default False
        Give the grades CSV the late-work columns (:mod:`autograder.late`).
    book_url : str, optional
        The published book's address: feedback pages link their book references.

    Raises
    ------
    OSError
        When an output cannot be created at all: nothing can be graded into it.
    """

    def __init__(self, out: Path, assignments: Sequence[str], *, feedback: Path | None = None,
                 lms: Path | None = None, gradebook: GradebookWriter | None = None,
                 late: bool = False,
                 book_url: str = ""):
        self.failures: list[str] = []
        """One line per output that could not be written for a record, naming both."""
        self._paths = {"grades": out, "lms": lms}
        self._header = columns(assignments, late=late)
        self._rows: dict[str, dict[tuple[str, str], list[str]]] = {"grades": {}, "lms": {}}
        self._files = {"grades": CsvFile(out, self._header)}
        if lms is not None:
            self._files["lms"] = CsvFile(lms, LMS_COLUMNS)
        self._gradebook = gradebook
        self._writers: list[tuple[str, Callable[[GradeRecord], object]]] = []
        if feedback is not None:
            self._writers.append(("feedback page",
                                  lambda r: write_feedback(r, feedback, book_url=book_url)))
        if self._gradebook is not None:
            self._writers.append(("gradebook entry", self._gradebook.add))
        if lms is not None:
            self._writers.append(("LMS row", lambda r: self._write("lms", r, lms_row(r))))

    def __enter__(self) -> "RunOutputs":
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close(finished=kind is None)

    def _write(self, name: str, record: GradeRecord, row: list[str]) -> None:
        """Append ``row`` to the CSV ``name`` (flushed) and keep it for the final order."""
        self._files[name].write(row)
        self._rows[name][record.student_id, record.assignment] = row

    def _failed(self, record: GradeRecord, problem: str) -> None:
        self.failures.append(f"{record.student_id}/{record.assignment}: {problem}")

    def add(self, record: GradeRecord) -> GradeRecord:
        """Write ``record`` to every output; return it with what failed added to its status."""
        problems = []
        for what, write in self._writers:
            try:
                write(record)
            except Exception as err:  # any failure: that output, that row only
                problems.append(f"could not write the {what}: {type(err).__name__}: {err}")
        if problems:
            record = replace(record, status="; ".join(
                [*([record.status] if record.status != "ok" else []), *problems]))
            for problem in problems:
                self._failed(record, problem)
        try:
            row = grades_row(record, self._header)
        except Exception as err:
            problem = f"could not write this row: {type(err).__name__}: {err}"
            self._failed(record, problem)
            row = problem_row(record, self._header, problem)
        try:
            self._write("grades", record, row)
        except Exception as err:
            self._failed(record, f"could not write its row: {type(err).__name__}: {err}")
        return record

    def close(self, *, finished: bool = True) -> None:
        """Close every output; when ``finished``, rewrite the CSVs in the folder's order."""
        for file in self._files.values():
            file.close()
        if self._gradebook is not None:
            self._gradebook.close()
        if not finished:
            return
        header = {"grades": self._header, "lms": LMS_COLUMNS}
        for name in self._files:
            try:
                rows = self._rows[name]
                write_table(self._paths[name], header[name], (rows[key] for key in sorted(rows)))
            except OSError as err:
                self.failures.append(f"could not put {self._paths[name]} in order: {err}")
