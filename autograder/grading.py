"""Batch grading with nbgrader: every submission graded in isolation, none dropped.

The submissions folder has nbgrader's submitted layout,
``<student_id>/<assignment>/<notebook>.ipynb``. Each submission is copied into
a temporary course folder, validated and repaired (:func:`autograder.notebooks.repair`),
then autograded by nbgrader, hidden tests included, one student per call, in
``jobs`` worker processes that share the course's SQLite gradebook. A
submission that cannot be graded normally still gets a record whose status
says why; its score is ``None`` when nothing could be graded.
"""

import multiprocessing
import shutil
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI

from autograder.course import (
    SOURCE_DIR,
    assignments,
    generate,
    nbgrader_api,
    source_notebooks,
    temporary_course,
)
from autograder.errors import UsageError
from autograder.kernel import DEFAULT_TIMEOUT, TIMEOUT_ERRORS
from autograder.notebooks import InvalidNotebook, read_notebook, repair

__all__ = ["GradeRecord", "Submission", "find_submissions", "grade_submissions"]


@dataclass(frozen=True)
class Submission:
    """One student's folder for one assignment."""

    student_id: str
    assignment: str
    path: Path


@dataclass(frozen=True)
class GradeRecord:
    """The grade of one submission: one row of the CSV."""

    student_id: str
    assignment: str
    score: float | None
    """Points earned; None when nothing could be graded."""
    max_score: float | None
    """Points available; None for an unknown assignment."""
    status: str
    """``"ok"``, or the reasons the submission was not graded normally."""
    parts: dict[str, float] = field(default_factory=dict)
    """Points earned per test cell (``grade_id``)."""
    feedback: tuple[Path, ...] = ()
    """Feedback HTML files written for this submission."""


def find_submissions(submissions_dir: Path) -> list[Submission]:
    """List ``<student_id>/<assignment>/`` folders, sorted.

    Raises
    ------
    UsageError
        When the folder is missing or holds no student folder.
    """
    if not submissions_dir.is_dir():
        raise UsageError(f"no such submissions folder: {submissions_dir} (expected "
                         "<student_id>/<assignment>/<notebook>.ipynb inside)")
    found = [
        Submission(student.name, folder.name, folder)
        for student in sorted(submissions_dir.iterdir()) if student.is_dir()
        for folder in sorted(student.iterdir()) if folder.is_dir()
    ]
    if not found:
        raise UsageError(f"{submissions_dir} holds no submission: expected "
                         "<student_id>/<assignment>/<notebook>.ipynb inside")
    return found


def _stage(submission: Submission, root: Path, source_dir: Path) -> tuple[list[str], bool]:
    """Copy a submission into the course, validated and repaired.

    Returns the notes on what was wrong or repaired, and whether any notebook
    is left to grade.
    """
    dest = root / "submitted" / submission.student_id / submission.assignment
    shutil.copytree(submission.path, dest,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    notes, gradable = [], False
    for source in source_notebooks(submission.assignment, source_dir):
        target = dest / source.name
        if not target.is_file():
            notes.append(f"missing notebook {source.name}")
            continue
        try:
            nb = read_notebook(target)
        except InvalidNotebook as err:
            notes.append(f"{err.reason} in {source.name}")
            target.unlink()
            continue
        changes = repair(nb, read_notebook(source))
        if changes:
            nbformat.write(nb, target)
            notes.append("repaired: " + ", ".join(changes))
        gradable = True
    return notes, gradable


_API: NbGraderAPI | None = None


def _start_worker(root: Path, timeout: int) -> None:
    """Create the worker process's nbgrader API once.

    Warnings inside nbgrader (SQLAlchemy's, nbformat's) concern nbgrader, not
    the instructor; they are silenced so stderr carries the progress lines.
    """
    global _API
    warnings.simplefilter("ignore")
    _API = nbgrader_api(root, timeout=timeout)


def _error_summary(result: dict) -> str:
    """Summarize a failed nbgrader run as a short status."""
    text = result.get("log", "") + result.get("error", "")
    if "DeadKernelError" in text or "Kernel died" in text:
        return "kernel died (os._exit?)"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "grading failed: " + (lines[-1] if lines else "nbgrader gave no reason")


def _timed_out_cells(notebooks: list[Path]) -> list[str]:
    """Cells of the autograded notebooks that the time-out interrupted."""
    cells = []
    for path in notebooks:
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if any(output.get("ename") in TIMEOUT_ERRORS for output in cell.get("outputs", [])):
                cells.append(cell.metadata.get("nbgrader", {}).get("grade_id", f"#{index + 1}"))
    return cells


def _grade_one(student_id: str, assignment: str, feedback: bool) -> dict:
    """Autograde one submission in a worker; return plain data for the parent."""
    api = _API
    result = api.autograde(assignment, student_id, force=True, create=True)
    if not result["success"]:
        return {"problems": [_error_summary(result)], "score": None}
    with Gradebook(api.coursedir.db_url) as gradebook:
        submission = gradebook.find_submission(assignment, student_id)
        grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
        outcome = {"score": float(submission.score),
                   "parts": {grade.name: float(grade.score) for grade in grades}}
        manual = [grade.name for grade in grades if grade.needs_manual_grade]
    graded = sorted(Path(api.coursedir.format_path(
        api.coursedir.autograded_directory, student_id, assignment)).glob("*.ipynb"))
    problems = []
    if timed_out := _timed_out_cells(graded):
        problems.append("timed out in " + ", ".join(timed_out))
    if manual:
        problems.append("needs manual grading: " + ", ".join(manual))
    if feedback and api.generate_feedback(assignment, student_id, force=True)["success"]:
        outcome["feedback"] = [str(p) for p in sorted(Path(api.coursedir.format_path(
            api.coursedir.feedback_directory, student_id, assignment)).glob("*.html"))]
    elif feedback:
        problems.append("feedback could not be generated")
    outcome["problems"] = problems
    return outcome


def _max_scores(api: NbGraderAPI, names: list[str]) -> dict[str, float]:
    """Points available per assignment, from the gradebook."""
    with Gradebook(api.coursedir.db_url) as gradebook:
        return {name: float(gradebook.find_assignment(name).max_score) for name in names}


def _copy_feedback(files: list[str], submission: Submission,
                   feedback_dir: Path) -> tuple[Path, ...]:
    """Copy one submission's feedback HTML files out of the temporary course."""
    target = feedback_dir / submission.student_id / submission.assignment
    target.mkdir(parents=True, exist_ok=True)
    return tuple(Path(shutil.copy2(name, target)) for name in files)


def grade_submissions(
    submissions_dir: Path,
    *,
    jobs: int,
    timeout: int = DEFAULT_TIMEOUT,
    feedback_dir: Path | None = None,
    source_dir: Path = SOURCE_DIR,
    progress: Callable[[str], None] | None = None,
) -> list[GradeRecord]:
    """Grade every submission; see the module docstring.

    Parameters
    ----------
    submissions_dir : Path
        ``<student_id>/<assignment>/<notebook>.ipynb``.
    jobs : int
        Worker processes (each grades whole submissions, so students are disjoint).
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.
    feedback_dir : Path, optional
        Where to write ``<student_id>/<assignment>/<notebook>.html``; no feedback when None.
    source_dir : Path
        The instructor notebooks.
    progress : callable, optional
        Called with one line per finished submission.

    Returns
    -------
    records : list of GradeRecord
        One per submission, in the order of :func:`find_submissions`.
    """
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1; got {jobs}")
    submissions = find_submissions(submissions_dir)
    known = assignments(source_dir)
    needed = sorted({s.assignment for s in submissions if s.assignment in known})
    records: dict[Submission, GradeRecord] = {}

    def finish(submission: Submission, record: GradeRecord) -> None:
        records[submission] = record
        if progress:
            score = "-" if record.score is None else f"{record.score:g}/{record.max_score:g}"
            progress(f"[{len(records)}/{len(submissions)}] {submission.student_id}/"
                     f"{submission.assignment}: {score} {record.status}")

    with temporary_course(needed, source_dir=source_dir) as root:
        api = nbgrader_api(root, timeout=timeout)
        for name in needed:
            generate(api, name)
        max_scores = _max_scores(api, needed)
        queue = []
        for sub in submissions:
            if sub.assignment not in known:
                finish(sub, GradeRecord(sub.student_id, sub.assignment, None, None,
                                        f"unknown assignment {sub.assignment}"))
                continue
            notes, gradable = _stage(sub, root, source_dir)
            if gradable:
                queue.append((sub, notes))
            else:
                finish(sub, GradeRecord(sub.student_id, sub.assignment, None,
                                        max_scores[sub.assignment], "; ".join(notes)))
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(queue))),
                                 mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_start_worker, initargs=(root, timeout)) as pool:
            futures = {pool.submit(_grade_one, sub.student_id, sub.assignment,
                                   feedback_dir is not None): (sub, notes)
                       for sub, notes in queue}
            for future in as_completed(futures):
                sub, notes = futures[future]
                try:
                    outcome = future.result()
                except Exception as err:  # a crashed worker fails this submission only
                    outcome = {"score": None, "problems": [f"grading failed: {err!r}"]}
                files = ()
                if feedback_dir is not None:
                    files = _copy_feedback(outcome.get("feedback", []), sub, feedback_dir)
                finish(sub, GradeRecord(
                    sub.student_id, sub.assignment, outcome["score"],
                    max_scores[sub.assignment], "; ".join(notes + outcome["problems"]) or "ok",
                    outcome.get("parts", {}), files))
    return [records[sub] for sub in submissions]
