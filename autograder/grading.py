"""Batch grading: every submission run in its own sandbox and judged here, none dropped.

The submissions folder has nbgrader's submitted layout,
``<student_id>/<assignment>/<notebook>.ipynb``. The run draws its hidden cases
from one seed (random unless given), computes the reference's outcomes once,
then runs the submissions in ``jobs`` threads (each drives one sandboxed
kernel process) and judges them in this process. A submission that cannot be
graded normally still gets a record whose status says why; its score is None
only when nothing could be run at all.
"""

import secrets
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from autograder.assess import Plan, assess
from autograder.course import COURSE_ROOT
from autograder.errors import UsageError
from autograder.kernel import DEFAULT_TIMEOUT, NOTEBOOK_TIMEOUT
from autograder.manifest import known, load
from autograder.notebooks import InvalidNotebook, read_notebook

__all__ = ["GradeRecord", "Shard", "Submission", "find_submissions", "grade_submissions", "summary"]


@dataclass(frozen=True)
class Submission:
    """One student's folder for one assignment."""

    student_id: str
    assignment: str
    path: Path


@dataclass(frozen=True)
class Shard:
    """Share K of N of a run: the submissions whose position modulo N is K - 1."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """Read ``"K/N"`` with 1 <= K <= N, or raise :class:`UsageError`."""
        try:
            index, count = (int(n) for n in text.split("/"))
        except ValueError:
            raise UsageError(f"--shard expects K/N, e.g. 2/8; got {text!r}") from None
        if not 1 <= index <= count:
            raise UsageError(f"--shard K/N needs 1 <= K <= N; got {text!r}")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


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
    seed: int
    parts: dict[str, float] = field(default_factory=dict)
    """Points earned per part."""
    messages: dict[str, str] = field(default_factory=dict)
    """Why each failed part failed (hidden cases are named, never shown)."""
    flags: tuple[str, ...] = ()
    """For the instructor: imports of the reference, answers that closely match it."""


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


def _grade_one(sub: Submission, plans: dict[str, Plan], seed: int, *, sandbox: bool,
               hidden: list[Path], timeout: int, notebook_timeout: int) -> GradeRecord:
    """Grade one submission; never raises for anything the submission does."""
    if sub.assignment not in plans:
        return GradeRecord(sub.student_id, sub.assignment, None, None,
                           f"unknown assignment {sub.assignment} (expected one of "
                           f"{', '.join(known())})", seed)
    plan = plans[sub.assignment]
    maximum = plan.assignment.max_score
    path = sub.path / plan.assignment.notebook
    if not path.is_file():
        others = sorted(p.name for p in sub.path.glob("*.ipynb"))
        hint = f" (found {', '.join(others)})" if others else ""
        return GradeRecord(sub.student_id, sub.assignment, None, maximum,
                           f"missing notebook {plan.assignment.notebook}{hint}", seed)
    try:
        nb = read_notebook(path)
    except InvalidNotebook as err:
        return GradeRecord(sub.student_id, sub.assignment, None, maximum,
                           f"{err.reason} in {path.name}", seed)
    result = assess(nb, plan, sandbox=sandbox, hidden=hidden, timeout=timeout,
                    notebook_timeout=notebook_timeout)
    return GradeRecord(sub.student_id, sub.assignment, result.score, maximum,
                       "; ".join(result.problems) or "ok", seed,
                       {v.name: v.points for v in result.verdicts},
                       {v.name: v.message for v in result.verdicts if v.message}, result.flags)


def grade_submissions(
    submissions_dir: Path,
    *,
    jobs: int,
    seed: int | None = None,
    shard: Shard | None = None,
    sandbox: bool = True,
    hidden: list[Path] = (),
    timeout: int = DEFAULT_TIMEOUT,
    notebook_timeout: int = NOTEBOOK_TIMEOUT,
    progress: bool = False,
) -> tuple[list[GradeRecord], int, list[str], list[Submission]]:
    """Grade every submission (or one shard of them); see the module docstring.

    Parameters
    ----------
    submissions_dir : Path
        ``<student_id>/<assignment>/<notebook>.ipynb``.
    jobs : int
        Notebooks graded at once.
    seed : int, optional
        The run's seed for hidden cases; random when None.
    shard : Shard, optional
        Grade only this share of the sorted submissions.
    sandbox : bool, default True
        Run each notebook under bubblewrap (see :mod:`autograder.sandbox`).
    hidden : list of Path
        More folders the learner's kernel must not see (the repository, the
        submissions folder, the home folder and /tmp always are).
    timeout, notebook_timeout : int
        Seconds per cell and per notebook.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    records : list of GradeRecord
        One per submission of the shard, in the order of :func:`find_submissions`.
    seed : int
        The seed used.
    assignments : list of str
        Every assignment present in the whole submissions folder (all shards), for the CSV's
        columns.
    submissions : list of Submission
        Every submission of the whole folder (all shards), as :func:`find_submissions` lists them.
    """
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1; got {jobs}")
    everything = find_submissions(submissions_dir)
    seed = secrets.randbelow(2**32) if seed is None else seed
    present = [name for name in known() if any(s.assignment == name for s in everything)]
    mine = [s for i, s in enumerate(everything)
            if shard is None or i % shard.count == shard.index - 1]
    plans = {name: Plan(load(name), seed) for name in present
             if any(s.assignment == name for s in mine)}
    hidden = sorted({COURSE_ROOT.parent, submissions_dir.resolve(), *hidden})
    hidden = [folder for folder in hidden if folder.is_dir()]
    records: dict[Submission, GradeRecord] = {}
    bar = tqdm(total=len(mine), unit="notebook", disable=not progress, file=sys.stderr,
               desc="grading", dynamic_ncols=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_grade_one, sub, plans, seed, sandbox=sandbox, hidden=hidden,
                               timeout=timeout, notebook_timeout=notebook_timeout): sub
                   for sub in mine}
        for future in as_completed(futures):
            sub = futures[future]
            try:
                records[sub] = future.result()
            except Exception as err:  # a grader bug fails this submission only, loudly
                records[sub] = GradeRecord(sub.student_id, sub.assignment, None, None,
                                           f"grading failed: {type(err).__name__}: {err}", seed)
            bar.update()
            bar.set_postfix_str(f"{sub.student_id}/{sub.assignment}", refresh=False)
    bar.close()
    return [records[sub] for sub in mine], seed, present, everything


def summary(records: list[GradeRecord]) -> str:
    """One closing line: how many were graded, full marks, not ok, flagged."""
    graded = [r for r in records if r.score is not None]
    full = sum(r.score == r.max_score for r in graded)
    return (f"graded {len(graded)} of {len(records)} submissions ({full} full marks), "
            f"{sum(r.status != 'ok' for r in records)} not graded normally, "
            f"{sum(bool(r.flags) for r in records)} flagged")

