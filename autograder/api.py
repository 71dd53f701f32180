"""The autograder's Python API: typed, keyword-only functions; the CLI is a thin layer on top.

Every function raises :class:`autograder.errors.UsageError` for a missing
path, an unknown assignment or a file that is not a notebook.

Batch grading starts worker processes with the ``spawn`` method, so a script
that calls :func:`grade` must guard its entry point with
``if __name__ == "__main__":``.
"""

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from autograder.course import EXERCISES_DIR, check_assignments
from autograder.export import write_grades_csv
from autograder.grading import GradeRecord, grade_submissions
from autograder.kernel import DEFAULT_TIMEOUT
from autograder.release import release_assignments
from autograder.selfcheck import CheckReport, PartResult, check_notebook

__all__ = ["CheckReport", "GradeRecord", "PartResult", "check", "default_jobs", "grade", "release"]


def default_jobs() -> int:
    """Return the number of CPUs this process may use: the default for :func:`grade`."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def release(*, assignments: Sequence[str] = (), out_dir: Path = EXERCISES_DIR) -> list[Path]:
    """Regenerate the released notebooks from the instructor notebooks.

    Parameters
    ----------
    assignments : sequence of str, optional
        Assignment names (folders of ``autograder/source``); all when empty.
    out_dir : Path, default ``exercises/``
        Where ``<assignment>/<notebook>.ipynb`` are written. The output is
        deterministic: releasing twice gives byte-identical files.

    Returns
    -------
    written : list of Path
        The released files.
    """
    return release_assignments(check_assignments(assignments), out_dir=out_dir)


def check(*, notebook: Path, timeout: int = DEFAULT_TIMEOUT) -> CheckReport:
    """Run a learner's notebook and its visible tests.

    Parameters
    ----------
    notebook : Path
        The learner's copy of a released exercise.
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.

    Returns
    -------
    report : CheckReport
        Pass or fail, points and the failure message of each graded part.
    """
    return check_notebook(notebook, timeout=timeout)


def grade(
    *,
    submissions: Path,
    out: Path,
    feedback: Path | None = None,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> list[GradeRecord]:
    """Autograde a class with nbgrader (hidden tests included) and write the grades CSV.

    Parameters
    ----------
    submissions : Path
        ``<student_id>/<assignment>/<notebook>.ipynb``.
    out : Path
        The CSV to write, columns ``student_id,assignment,score,max_score,status``.
    feedback : Path, optional
        Folder for one feedback HTML per submitted notebook (no hidden test shown).
    jobs : int, optional
        Parallel worker processes; default :func:`default_jobs`.
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.
    progress : callable, optional
        Called with one line per finished submission.

    Returns
    -------
    records : list of GradeRecord
        One per submission, with the points of each test cell.
    """
    records = grade_submissions(submissions, jobs=jobs or default_jobs(), timeout=timeout,
                                feedback_dir=feedback, progress=progress)
    write_grades_csv(records, out)
    return records
