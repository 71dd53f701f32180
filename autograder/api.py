"""The autograder's Python API: typed, keyword-only functions; the CLI is a thin layer on top.

Every function raises :class:`autograder.errors.UsageError` for a missing
path, an unknown assignment or a file that is not a notebook.
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.course import EXERCISES_DIR, check_assignments
from autograder.export import merge_csvs, write_grades_csv, write_lms_csv
from autograder.feedback import write_feedback
from autograder.gradebook import write_gradebook
from autograder.grading import GradeRecord, Shard, grade_submissions
from autograder.kernel import DEFAULT_TIMEOUT, NOTEBOOK_TIMEOUT
from autograder.release import release_assignments
from autograder.sandbox import check_available
from autograder.selfcheck import CheckReport, check_notebook
from autograder.shards import ShardRecord, shard_record_path, write_shard_record
from autograder.similarity import Similarity, SimilarPair, compare_answers

__all__ = ["CheckReport", "GradeRecord", "GradeRun", "Shard", "SimilarPair", "Similarity",
           "check", "default_jobs", "grade", "merge", "release", "similarity"]


def default_jobs() -> int:
    """Return twice the number of CPUs this process may use: the default for :func:`grade`.

    A notebook's kernel spends part of its time starting up and waiting for the
    grader, so two notebooks per CPU keep the CPUs busy (measured: 12 notebooks
    on 2 CPUs took 17-21 s with 4 at once, 26-28 s with 2).
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cpus or 1)


@dataclass(frozen=True)
class GradeRun:
    """What one :func:`grade` call did."""

    records: list[GradeRecord]
    seed: int
    """The seed the hidden cases were drawn from (``--seed`` repeats the run)."""


def release(*, assignments: Sequence[str] = (), out_dir: Path = EXERCISES_DIR,
            update_sources: bool = True) -> list[Path]:
    """Write the manifest's visible tests into the instructor notebooks and release them.

    Parameters
    ----------
    assignments : sequence of str, optional
        Assignment names (folders of ``autograder/source``); all when empty.
    out_dir : Path, default ``exercises/``
        Where ``<assignment>/<notebook>.ipynb`` are written. The output is
        deterministic: releasing twice gives byte-identical files.
    update_sources : bool, default True
        Rewrite the instructor notebooks' setup and test cells from the manifests first.

    Returns
    -------
    written : list of Path
        The released files.
    """
    return release_assignments(check_assignments(assignments), out_dir=out_dir,
                               update_sources=update_sources)


def check(*, notebook: Path, timeout: int = DEFAULT_TIMEOUT, sandbox: bool = False) -> CheckReport:
    """Run a learner's notebook on its visible cases, judged as grading judges them.

    Parameters
    ----------
    notebook : Path
        The learner's copy of a released exercise.
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.
    sandbox : bool, default False
        Run the kernel under bubblewrap.

    Returns
    -------
    report : CheckReport
        Pass or fail, points and the failure message of each graded part.
    """
    return check_notebook(notebook, timeout=timeout, sandbox=sandbox)


def grade(
    *,
    submissions: Path,
    out: Path,
    feedback: Path | None = None,
    lms: Path | None = None,
    gradebook: Path | None = None,
    jobs: int | None = None,
    seed: int | None = None,
    shard: Shard | None = None,
    sandbox: bool = True,
    timeout: int = DEFAULT_TIMEOUT,
    notebook_timeout: int = NOTEBOOK_TIMEOUT,
    progress: bool = False,
) -> GradeRun:
    """Grade a class: run each notebook in a sandbox, judge here, write the CSV and the rest.

    Parameters
    ----------
    submissions : Path
        ``<student_id>/<assignment>/<notebook>.ipynb``.
    out : Path
        The CSV to write: ``student_id, assignment, score, max_score, status, seed, flags``
        and one ``<assignment>:<part>`` column per part.
    feedback : Path, optional
        Folder for one feedback page per submission (no hidden case shown).
    lms : Path, optional
        A second CSV with ``student_id, assignment, total, max`` for an LMS.
    gradebook : Path, optional
        An nbgrader SQLite gradebook to record the scores in (formgrader shows them).
    jobs : int, optional
        Notebooks graded at once; default :func:`default_jobs`.
    seed : int, optional
        The seed for hidden cases; random when None. The same seed gives the same CSV.
    shard : Shard, optional
        Grade only share K of N, and write its shard record ``<out stem>.shard.json``
        beside ``out`` once all is written (``merge`` joins the N shards' outputs and checks
        that none is missing); any record an earlier run left there is removed first.
    sandbox : bool, default True
        False runs learner code unconfined: only for trusted notebooks.
    timeout, notebook_timeout : int
        Seconds per cell and per notebook.
    progress : bool
        Show a progress bar on stderr.
    """
    if sandbox:
        check_available()
    outputs = [out.parent, feedback, lms and lms.parent, gradebook and gradebook.parent]
    for folder in filter(None, outputs):
        folder.mkdir(parents=True, exist_ok=True)
    shard_record_path(out).unlink(missing_ok=True)  # a former run's record: until we finish, none
    records, seed, present, everything = grade_submissions(
        submissions, jobs=jobs or default_jobs(), seed=seed, shard=shard, sandbox=sandbox,
        hidden=[folder.resolve() for folder in filter(None, outputs)],
        timeout=timeout, notebook_timeout=notebook_timeout, progress=progress)
    write_grades_csv(records, out, present)
    if feedback is not None:
        for record in records:
            write_feedback(record, feedback)
    _write_extras(records, lms=lms, gradebook=gradebook)
    if shard is not None:  # last: its record says the shard's outputs are complete
        write_shard_record(ShardRecord.describe(shard, seed, len(records), everything), out)
    return GradeRun(records, seed)


def _write_extras(records: list[GradeRecord], *, lms: Path | None,
                  gradebook: Path | None) -> None:
    """Write the LMS CSV and the gradebook where asked: the same for ``grade`` and ``merge``."""
    if lms is not None:
        write_lms_csv(records, lms)
    if gradebook is not None:
        write_gradebook(records, gradebook)


def merge(*, inputs: Sequence[Path], out: Path, lms: Path | None = None,
          gradebook: Path | None = None, submissions: Path | None = None) -> int:
    """Join all N shards of one grading run into what one unsharded run writes.

    Parameters
    ----------
    inputs : sequence of Path
        The CSVs that ``grade --shard K/N`` wrote, K = 1 to N, each with its
        shard record (``grades.shard.json``) and ``feedback/`` folder beside it.
    out : Path
        The merged CSV, byte-identical to an unsharded run's with the same seed;
        the feedback pages go to ``feedback/`` beside it.
    lms, gradebook : Path, optional
        Also write the LMS CSV and record the scores in an nbgrader gradebook,
        as :func:`grade` does.
    submissions : Path, optional
        The submissions folder: also check that each of its submissions has a row.

    Returns
    -------
    rows : int
        The number of rows merged: every submission of the run's folder.

    Raises
    ------
    UsageError
        When the inputs are not all N shards of one run (the message names the
        missing shards), and nothing is written then.
    """
    records = merge_csvs(inputs, out, submissions=submissions)
    _write_extras(records, lms=lms, gradebook=gradebook)
    return len(records)


def similarity(*, submissions: Path, threshold: float = 0.8) -> Similarity:
    """Pairs of students whose answers to one part closely match, and the submissions skipped.

    Pairs come most similar first; a submission that cannot be compared (a notebook or a
    cell that cannot be read safely) is skipped with its reason, never stopping the run.
    """
    return compare_answers(submissions, threshold=threshold)
