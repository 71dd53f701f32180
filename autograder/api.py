"""The autograder's Python API: typed, keyword-only functions; the CLI is a thin layer on top.

Every function raises :class:`autograder.errors.UsageError` for a missing
path, an unknown assignment or a file that is not a notebook.
"""

import os
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from autograder.course import EXERCISES_DIR, check_assignments
from autograder.errors import UsageError
from autograder.export import merge_csvs, read_grades_csv, write_lms_csv
from autograder.gradebook import GradebookWriter, check_course, write_gradebook
from autograder.grading import (
    Batch,
    GradeRecord,
    Shard,
    Submission,
    find_submissions,
    grade_batch,
    list_batch,
)
from autograder.kernel import DEFAULT_TIMEOUT, NOTEBOOK_TIMEOUT
from autograder.late import LatePolicy, read_policy
from autograder.lms import LAYOUTS, write_lms
from autograder.outputs import RunOutputs
from autograder.regrade import regrade as regrade_rows
from autograder.regrade import regrade_batch
from autograder.release import release_assignments
from autograder.report import write_report
from autograder.roster import Student, flag_strangers, not_submitted, read_roster
from autograder.runkey import choose as choose_key
from autograder.runkey import keep as keep_key
from autograder.sandbox import check_available
from autograder.selfcheck import CheckReport, check_notebook
from autograder.shards import ShardRecord, shard_record_path, write_shard_record
from autograder.similarity import Similarity, SimilarPair, compare_answers

__all__ = ["CheckReport", "GradeRecord", "GradeRun", "Shard", "SimilarPair", "Similarity",
           "check", "default_jobs", "grade", "merge", "regrade", "release", "report",
           "similarity"]


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
    """The run key's secret the hidden cases were drawn from: print its id
    (``RunKey(seed).id``), never the secret; the key file beside the CSV keeps it."""
    failures: tuple[str, ...] = ()
    """What went wrong in the run itself, one line each: a submission the grader failed on
    (not the learner's doing) or an output it could not write. Empty when the run worked."""


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


def check(*, notebook: Path, timeout: int = DEFAULT_TIMEOUT, sandbox: bool = False,
          progress: bool = False) -> CheckReport:
    """Run a learner's notebook on its visible cases, judged as grading judges them.

    Parameters
    ----------
    notebook : Path
        The learner's copy of a released exercise.
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.
    sandbox : bool, default False
        Run the kernel under bubblewrap.
    progress : bool, default False
        Say on stderr which step it is on: the kernel, each cell, each part.

    Returns
    -------
    report : CheckReport
        Pass or fail, points and the failure message of each graded part.
    """
    return check_notebook(notebook, timeout=timeout, sandbox=sandbox, progress=progress)


def grade(
    *,
    submissions: Path,
    out: Path,
    feedback: Path | None = None,
    lms: Path | None = None,
    gradebook: Path | None = None,
    jobs: int | None = None,
    seed: int | None = None,
    key: Path | None = None,
    shard: Shard | None = None,
    roster: Path | None = None,
    lms_layout: str = "rows",
    percent: bool = False,
    late_policy: Path | None = None,
    due: Sequence[str] = (),
    book_url: str = "",
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
        The CSV to write: ``student_id, assignment, score, max_score, status, key, flags``
        and one ``<assignment>:<part>`` column per part.
    feedback : Path, optional
        Folder for one feedback page per submission (no hidden case shown).
    lms : Path, optional
        A second CSV with ``student_id, assignment, total, max`` for an LMS.
    gradebook : Path, optional
        An nbgrader SQLite gradebook to record the scores in, with the roster's names
        and the due dates; its folder becomes a course folder that formgrader shows
        (:mod:`autograder.gradebook`, :mod:`autograder.autograded`).
    jobs : int, optional
        Notebooks graded at once; default :func:`default_jobs`.
    seed : int, optional
        A fixed run key, for reproducible tests: the same seed gives the same CSV. A
        guessable seed (a date) lets anyone who guesses it rebuild the hidden cases.
    key : Path, optional
        A key file (``grades.key`` of an earlier run, or a new path: then a fresh key is
        written there first) for a regrade or the shards of one run. Without ``seed`` and
        ``key``, a fresh 128-bit key. Either way the key is kept beside ``out``
        (``grades.key``, mode 0600; :mod:`autograder.runkey`) and the CSV shows its id.
    shard : Shard, optional
        Grade only share K of N, and write its shard record ``<out stem>.shard.json``
        beside ``out`` once all is written (``merge`` joins the N shards' outputs and checks
        that none is missing); any record an earlier run left there is removed first.
    roster : Path, optional
        The course's roster (:mod:`autograder.roster`): each rostered student gets a row
        per assignment of the run, ``not submitted`` (no score) where nothing came in, and
        a submission from an id not on it is graded and flagged ``not on the roster``.
        With ``shard``, each shard flags the strangers among its rows and :func:`merge`,
        given the roster too, adds the ``not submitted`` rows.
    lms_layout : {"rows", "canvas", "moodle", "wide"}, default "rows"
        The LMS CSV's layout: ``rows`` has a row per submission, written as each is
        graded; the others a row per student and a column per assignment
        (:mod:`autograder.lms`), written once all is graded.
    percent : bool, default False
        LMS scores out of 100 instead of points (not with ``rows``).
    late_policy : Path, optional
        A TOML file of due dates and a late penalty (:mod:`autograder.late`).
    due : sequence of str
        ``ASSIGNMENT=WHEN`` due dates that add to or override the policy's. With a
        policy or a due date, the CSV gets the columns ``submitted, late_hours,
        penalty`` and each score is the total after the penalty.
    book_url : str, optional
        The published book's address: feedback pages link each book reference.
    sandbox : bool, default True
        False runs learner code unconfined: only for trusted notebooks.
    timeout, notebook_timeout : int
        Seconds per cell and per notebook.
    progress : bool
        Show a progress bar on stderr.

    Every record is written to every output as soon as it is graded, and an
    output that fails for one record fails that record only
    (:mod:`autograder.outputs`): its status says so, and so does
    :attr:`GradeRun.failures`. A shard whose run had failures writes no shard
    record, so ``merge`` refuses it until it is graded again.

    Raises
    ------
    UsageError
        For a missing submissions folder, no bubblewrap, ``jobs`` below 1, a
        roster that cannot be read (:func:`autograder.roster.read_roster`), or a
        gradebook whose folder overlaps the submissions
        (:func:`autograder.gradebook.check_course`).
    OSError
        When an output cannot be created at all.
    """
    _check_layout(lms_layout, percent)
    if gradebook is not None:
        check_course(gradebook, submissions)
    students = read_roster(roster) if roster is not None else None
    policy = read_policy(late_policy, list(due)) if late_policy or due else None
    if sandbox:
        check_available()
    run_key = choose_key(seed=seed, key=key)
    batch = list_batch(submissions, seed=run_key.seed, shard=shard)
    outputs = [out.parent, feedback, lms and lms.parent, gradebook and gradebook.parent]
    for folder in filter(None, outputs):
        folder.mkdir(parents=True, exist_ok=True)
    shard_record_path(out).unlink(missing_ok=True)  # a former run's record: until we finish, none
    keep_key(run_key, out)
    graded = grade_batch(batch, jobs=jobs or default_jobs(), sandbox=sandbox,
                         hidden=[folder.resolve() for folder in filter(None, outputs)],
                         timeout=timeout, notebook_timeout=notebook_timeout, progress=progress)
    streamed_lms = lms if lms_layout == "rows" else None
    mark = _marker(batch, students, policy)
    writer = _gradebook_writer(gradebook, batch, students, policy)
    with closing(graded), RunOutputs(out, batch.assignments, feedback=feedback, lms=streamed_lms,
                                     gradebook=writer, late=policy is not None,
                                     book_url=book_url) as written:
        records = [written.add(mark(record)) for record in graded]
        if students is not None and shard is None:  # a shard sees only its rows: merge adds
            records += [written.add(record) for record in not_submitted(
                students, records, batch.assignments, batch.seed)]
    failures = [*(f"{r.student_id}/{r.assignment}: {r.status}" for r in records if r.failed),
                *written.failures]
    if lms is not None and streamed_lms is None:
        try:
            write_lms(records, lms, lms_layout, roster=students or (), percent=percent)
        except OSError as err:
            failures.append(f"could not write {lms}: {err}")
    if shard is not None and not failures:  # last: its record says the shard is complete
        write_shard_record(ShardRecord.describe(shard, batch.seed, len(records),
                                                batch.everything), out)
    records.sort(key=lambda r: (r.student_id, r.assignment))  # the folder's order
    return GradeRun(records, batch.seed, tuple(failures))


def regrade(
    *,
    submissions: Path,
    update: Path,
    only: Sequence[str],
    feedback: Path | None = None,
    lms: Path | None = None,
    gradebook: Path | None = None,
    roster: Path | None = None,
    lms_layout: str = "rows",
    percent: bool = False,
    late_policy: Path | None = None,
    due: Sequence[str] = (),
    book_url: str = "",
    jobs: int | None = None,
    sandbox: bool = True,
    timeout: int = DEFAULT_TIMEOUT,
    notebook_timeout: int = NOTEBOOK_TIMEOUT,
    progress: bool = False,
) -> GradeRun:
    """Grade the students ``only`` again with the key of the run in ``update``, in place.

    Parameters
    ----------
    submissions : Path
        The submissions folder.
    update : Path
        The earlier run's folder: its ``grades.csv`` and ``grades.key``.
    only : sequence of str
        The student ids to regrade (see :mod:`autograder.regrade`).
    feedback : Path, optional
        The run's feedback folder; default ``update/feedback``.
    lms, gradebook, roster, lms_layout, percent, late_policy, due, book_url
        The run's LMS file, gradebook, roster, late policy and book, as for :func:`grade`:
        their entries for these students are rewritten, the others kept.
    jobs, sandbox, timeout, notebook_timeout, progress
        As for :func:`grade`.

    Returns
    -------
    run : GradeRun
        The named students' new records only.

    Raises
    ------
    UsageError
        When ``update`` holds no grades CSV or key, a named student is unknown,
        or the folder now holds other assignments than the CSV's columns.
    """
    _check_layout(lms_layout, percent)
    if not only:
        raise UsageError("--update needs the students to regrade: --only ID [ID ...]")
    if gradebook is not None:
        check_course(gradebook, submissions)
    students = read_roster(roster) if roster is not None else None
    policy = read_policy(late_policy, list(due)) if late_policy or due else None
    if sandbox:
        check_available()
    grades = update / "grades.csv"
    batch = regrade_batch(submissions, grades, only)
    outputs = [update, feedback, lms and lms.parent, gradebook and gradebook.parent]
    options = {"jobs": jobs or default_jobs(), "sandbox": sandbox, "timeout": timeout,
               "notebook_timeout": notebook_timeout, "progress": progress,
               "hidden": [folder.resolve() for folder in filter(None, outputs)]}
    records = regrade_rows(batch, grades, only, feedback=feedback or update / "feedback",
                           lms=lms if lms_layout == "rows" else None,
                           gradebook=_gradebook_writer(gradebook, batch, students, policy),
                           roster=students, mark=_marker(batch, students, policy),
                           late=policy is not None, book_url=book_url, options=options)
    if lms is not None and lms_layout != "rows":
        write_lms(read_grades_csv(grades), lms, lms_layout, roster=students or (),
                  percent=percent)
    return GradeRun(records, batch.seed, tuple(f"{r.student_id}/{r.assignment}: {r.status}"
                                               for r in records if r.failed))


def _folders(submissions: Sequence[Submission]) -> dict[tuple[str, str], Path]:
    """Map ``(student_id, assignment)`` to the folder of each submission that is graded."""
    return {(s.student_id, s.assignment): s.path for s in submissions if not s.refused}


def _gradebook_writer(gradebook: Path | None, batch: Batch, roster: Sequence[Student] | None,
                      policy: LatePolicy | None) -> GradebookWriter | None:
    """Open the run's gradebook, where asked, with its folders, roster and due dates."""
    if gradebook is None:
        return None
    return GradebookWriter(gradebook, folders=_folders(batch.mine), roster=roster or (),
                           due=policy.due if policy is not None else None)


def _marker(batch: Batch, roster: Sequence[Student] | None,
            policy: LatePolicy | None) -> Callable[[GradeRecord], GradeRecord]:
    """Return what a graded record goes through: the late policy, then the roster's flag."""
    folders = _folders(batch.mine)

    def mark(record: GradeRecord) -> GradeRecord:
        folder = folders.get((record.student_id, record.assignment))
        if policy is not None and folder is not None:
            record = policy.apply(record, folder)
        return record if roster is None else flag_strangers(record, roster)

    return mark


def _check_layout(layout: str, percent: bool) -> None:
    """Refuse an unknown LMS layout, and percent scores in the ``rows`` layout."""
    if layout not in ("rows", *LAYOUTS):
        raise UsageError(f"unknown LMS layout {layout!r}: expected rows, {', '.join(LAYOUTS)}")
    if percent and layout == "rows":
        raise UsageError("percent scores need a per-student LMS layout (canvas, moodle or "
                         "wide); the rows layout gives total and max")


def _write_extras(records: list[GradeRecord], *, lms: Path | None, gradebook: Path | None,
                  layout: str, roster: Sequence[Student], percent: bool,
                  submissions: Path | None) -> None:
    """Write the LMS CSV and the gradebook where asked: the same for ``grade`` and ``merge``."""
    if lms is not None and layout == "rows":
        write_lms_csv(records, lms)
    elif lms is not None:
        write_lms(records, lms, layout, roster=roster, percent=percent)
    if gradebook is not None:
        folders = _folders(find_submissions(submissions)) if submissions is not None else None
        write_gradebook(records, gradebook, folders=folders, roster=roster)


def merge(*, inputs: Sequence[Path], out: Path, lms: Path | None = None,
          gradebook: Path | None = None, submissions: Path | None = None,
          roster: Path | None = None, lms_layout: str = "rows", percent: bool = False,
          book_url: str = "") -> int:
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
        as :func:`grade` does (without due dates).
    submissions : Path, optional
        The submissions folder: also check that each of its submissions has a row
        (and give formgrader the notebooks of the gradebook's course folder).
    roster : Path, optional
        The roster the shards were graded with: add the ``not submitted`` rows (and
        their feedback pages) that one unsharded run with it writes.
    lms_layout, percent, book_url
        As for :func:`grade`.

    Returns
    -------
    rows : int
        The number of rows merged: every submission of the run's folder, and with
        ``roster`` every rostered student's missing one.

    Raises
    ------
    UsageError
        When the inputs are not all N shards of one run (the message names the
        missing shards), and nothing is written then.
    """
    _check_layout(lms_layout, percent)
    if gradebook is not None and submissions is not None:
        check_course(gradebook, submissions)
    students = read_roster(roster) if roster is not None else None
    records = merge_csvs(inputs, out, submissions=submissions, roster=students,
                         book_url=book_url)
    _write_extras(records, lms=lms, gradebook=gradebook, layout=lms_layout,
                  roster=students or (), percent=percent, submissions=submissions)
    return len(records)


def report(*, out: Path) -> tuple[Path, Path]:
    """Write the class report of a run's output folder: ``report.html`` and ``report.csv``.

    See :mod:`autograder.report`; raises :class:`UsageError` when ``out/grades.csv``
    is missing or not a grades CSV.
    """
    return write_report(out)


def similarity(*, submissions: Path, threshold: float = 0.8) -> Similarity:
    """Pairs of students whose answers to one part closely match, and the submissions skipped.

    Pairs come most similar first; a submission that cannot be compared (a notebook or a
    cell that cannot be read safely) is skipped with its reason, never stopping the run.
    """
    return compare_answers(submissions, threshold=threshold)
