"""Batch grading: every submission run in its own sandbox and judged here, none dropped.

The submissions folder has nbgrader's submitted layout,
``<student_id>/<assignment>/<notebook>.ipynb``. The run draws its hidden cases
from one secret run key (:mod:`autograder.runkey`; random unless given),
computes the reference's outcomes once, then runs the submissions in ``jobs``
threads (each drives one sandboxed kernel process) and judges them in this
process, handing each record on as soon as it is graded. A submission that
cannot be graded normally still gets a record whose status says why; its score
is None only when nothing could be run at all.

Every entry of the folder gets a record, whatever it is: an empty student
folder, a file where a folder should be, a symbolic link (refused, never
followed: it may point at another student's work or at the instructor's), a
notebook that is not a regular file. Names are escaped
(:func:`autograder.escape.escape_name`). Hidden entries (``.DS_Store``,
``.ipynb_checkpoints``) are not submissions and are skipped.
"""

import ast
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode
from tqdm import tqdm

from autograder.assess import Plan, assess
from autograder.course import COURSE_ROOT
from autograder.errors import UsageError
from autograder.escape import escape_name
from autograder.flags import answers
from autograder.i18n import ENGLISH, language_of
from autograder.kernel import DEFAULT_TIMEOUT, NOTEBOOK_TIMEOUT
from autograder.manifest import Assignment, known, load
from autograder.normalise import Unreadable
from autograder.notebooks import InvalidNotebook, read_notebook
from autograder.runkey import RunKey

__all__ = ["Batch", "GradeRecord", "Shard", "Submission", "answer_code", "find_submissions",
           "grade_batch", "list_batch", "running_text", "summary"]

_LAYOUT = "<student_id>/<assignment>/<notebook>.ipynb"


@dataclass(frozen=True)
class Submission:
    """One student's folder for one assignment, or an entry that stands where one should."""

    student_id: str
    """The student folder's name, escaped."""
    assignment: str
    """The assignment folder's name, escaped; empty when the student folder holds none."""
    path: Path
    refused: str = ""
    """Why the entry is not graded (a link, a file, an empty folder); empty to grade it."""
    note: str = ""
    """A remark for the status of a graded submission: a name that had to be escaped."""


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
    """The run key's secret (:mod:`autograder.runkey`): written nowhere, the CSV shows its id."""
    parts: dict[str, float] = field(default_factory=dict)
    """Points earned per part."""
    messages: dict[str, str] = field(default_factory=dict)
    """Why each failed part failed (hidden cases are named, never shown)."""
    flags: tuple[str, ...] = ()
    """For the instructor: imports of the reference, answers that closely match it."""
    mistakes: dict[str, str] = field(default_factory=dict)
    """The catalogued mistake each failed part looks like, where one matches."""
    failed: bool = False
    """True when the grader itself failed on this submission (not the learner's doing)."""
    submitted: str = ""
    """When it came in (ISO 8601, UTC), where the run has a late policy (:mod:`autograder.late`)."""
    late_hours: float | None = None
    """Hours after the due date (0 when on time), where the run has a late policy."""
    penalty: float | None = None
    """Points taken off ``score`` for lateness, where the run has a late policy."""
    code: dict[str, str] = field(default_factory=dict)
    """The learner's code of each part, as the notebook binds it last (for the feedback)."""
    language: str = ENGLISH
    """The language of the learner's notebook (:mod:`autograder.i18n`): the feedback's."""


def _entries(folder: Path) -> list[os.DirEntry]:
    """List ``folder`` but its hidden entries (``.DS_Store``, ``.ipynb_checkpoints``)."""
    with os.scandir(folder) as listing:
        return [entry for entry in listing if not entry.name.startswith(".")]


def _refusal(entry: os.DirEntry, what: str) -> str:
    """Why ``entry`` cannot stand where ``what`` folder should; empty when it can."""
    if entry.is_symlink():
        return (f"symlink refused: {escape_name(entry.name)} is a symbolic link (the grader "
                "never follows links in the submissions)")
    if not entry.is_dir(follow_symlinks=False):
        return (f"a file where {what} folder should be: {escape_name(entry.name)} (expected "
                f"{_LAYOUT})")
    return ""


def _note(*names: str) -> str:
    """Remark on each name that is not valid UTF-8 or holds control characters."""
    return "; ".join(f"the folder name {escape_name(name)} is not valid UTF-8 or holds control "
                     "characters (written escaped)" for name in names
                     if escape_name(name) != name)


def _student(entry: os.DirEntry) -> list[Submission]:
    """List the submissions of one student entry: one per assignment folder, or one row."""
    student, path = escape_name(entry.name), Path(entry.path)
    if refused := _refusal(entry, "a student"):
        return [Submission(student, "", path, refused)]
    try:
        folders = _entries(path)
    except OSError as err:
        return [Submission(student, "", path, f"cannot list the folder: {err.strerror}")]
    if not folders:
        return [Submission(student, "", path,
                           f"empty student folder: expected {student}/<assignment>/ inside")]
    return [Submission(student, escape_name(folder.name), Path(folder.path),
                       _refusal(folder, "an assignment"), _note(entry.name, folder.name))
            for folder in folders]


def find_submissions(submissions_dir: Path) -> list[Submission]:
    """List every ``<student_id>/<assignment>`` entry, sorted by the escaped names.

    Entries that cannot be graded (see the module docstring) are listed with
    :attr:`Submission.refused` set, so that they get a row too.

    Raises
    ------
    UsageError
        When the folder is missing or holds nothing.
    """
    if not submissions_dir.is_dir():
        raise UsageError(f"no such submissions folder: {submissions_dir} (expected "
                         f"{_LAYOUT} inside)")
    found = [sub for entry in _entries(submissions_dir) for sub in _student(entry)]
    if not found:
        raise UsageError(f"{submissions_dir} holds no submission: expected {_LAYOUT} inside")
    return sorted(found, key=lambda sub: (sub.student_id, sub.assignment))


MAX_CODE_CHARS = 6000
"""The most characters of a part's code a feedback page shows."""


def answer_code(nb: NotebookNode, assignment: Assignment) -> dict[str, str]:
    """Return the code of each part's definition as the notebook binds it last.

    Comments and layout are as Python reads them (:func:`ast.unparse`); a
    definition longer than :data:`MAX_CODE_CHARS` is cut, and a notebook that
    cannot be read safely (:class:`autograder.normalise.Unreadable`) shows none.
    """
    try:
        bound = answers(nb)
    except Unreadable:
        return {}
    code = {}
    for part in assignment.parts:
        if part.name not in bound:
            continue
        try:
            text = ast.unparse(bound[part.name])
        except (RecursionError, ValueError):
            continue
        code[part.name] = (text if len(text) <= MAX_CODE_CHARS
                           else f"{text[:MAX_CODE_CHARS]}\n# ... (cut: too long to show)")
    return code


def _notebook_problem(path: Path) -> str:
    """Why ``path`` cannot be read as the notebook (missing, a link, not a file); else empty."""
    try:
        mode = path.lstat().st_mode  # never follows a link
    except FileNotFoundError:
        others = sorted(escape_name(p.name) for p in path.parent.glob("*.ipynb"))
        hint = f" (found {', '.join(others)})" if others else ""
        return f"missing notebook {path.name}{hint}"
    if stat.S_ISLNK(mode):
        return (f"symlink refused: {path.name} is a symbolic link (the grader never follows "
                "links in the submissions)")
    if not stat.S_ISREG(mode):
        return f"{path.name} is not a regular file"
    return ""


def _grade_one(sub: Submission, plans: dict[str, Plan], seed: int, *, sandbox: bool,
               hidden: list[Path], timeout: int, notebook_timeout: int,
               on_problem: Callable[[str], None] | None = None) -> GradeRecord:
    """Grade one submission; never raises for anything the submission does.

    ``on_problem`` is told each time-out or kernel failure as it happens.
    """
    plan = plans.get(sub.assignment)
    maximum = plan.assignment.max_score if plan else None

    def not_graded(reason: str) -> GradeRecord:
        return GradeRecord(sub.student_id, sub.assignment, None, maximum,
                           "; ".join(filter(None, (reason, sub.note))), seed)

    if sub.refused:
        return not_graded(sub.refused)
    if plan is None:
        return not_graded(f"unknown assignment {sub.assignment} (expected one of "
                          f"{', '.join(known())})")
    path = sub.path / plan.assignment.notebook
    if problem := _notebook_problem(path):
        return not_graded(problem)
    try:
        nb = read_notebook(path)
    except InvalidNotebook as err:
        return not_graded(f"{err.reason} in {path.name}")
    result = assess(nb, plan, sandbox=sandbox, hidden=hidden, timeout=timeout,
                    notebook_timeout=notebook_timeout, on_problem=on_problem)
    return GradeRecord(sub.student_id, sub.assignment, result.score, maximum,
                       "; ".join(filter(None, (*result.problems, sub.note))) or "ok", seed,
                       {v.name: v.points for v in result.verdicts},
                       {v.name: v.message for v in result.verdicts if v.message}, result.flags,
                       {v.name: v.mistake for v in result.verdicts if v.mistake},
                       code=answer_code(nb, plan.assignment), language=language_of(nb))


@dataclass(frozen=True)
class Batch:
    """What one grading run grades: the seed, every submission of the folder, this shard's."""

    folder: Path
    """The submissions folder."""
    seed: int
    everything: list[Submission]
    """Every submission of the folder (all shards), as :func:`find_submissions` lists them."""
    mine: list[Submission]
    """The submissions this run (or shard) grades, in the same order."""
    assignments: list[str]
    """Every known assignment present in the whole folder (all shards): the CSV's columns."""


def list_batch(submissions_dir: Path, *, seed: int | None = None,
               shard: Shard | None = None) -> Batch:
    """List what a run grades; draw a random seed when ``seed`` is None.

    Raises
    ------
    UsageError
        As :func:`find_submissions`.
    """
    everything = find_submissions(submissions_dir)
    seed = RunKey.generate().seed if seed is None else seed
    present = [name for name in known() if any(s.assignment == name for s in everything)]
    mine = [s for i, s in enumerate(everything)
            if shard is None or i % shard.count == shard.index - 1]
    return Batch(submissions_dir, seed, everything, mine, present)


def _record(future: Future, sub: Submission, seed: int) -> GradeRecord:
    """Return the record a graded future holds, or one that says why there is none."""
    try:
        return future.result()
    except RecursionError as err:  # the submission's doing: code or JSON nested too deeply
        return GradeRecord(sub.student_id, sub.assignment, None, None,
                           f"too deeply nested to grade ({err})", seed)
    except Exception as err:  # a grader bug fails this submission only, loudly
        return GradeRecord(sub.student_id, sub.assignment, None, None,
                           f"grading failed: {type(err).__name__}: {err}", seed, failed=True)


def grade_batch(
    batch: Batch,
    *,
    jobs: int,
    sandbox: bool = True,
    hidden: list[Path] = (),
    timeout: int = DEFAULT_TIMEOUT,
    notebook_timeout: int = NOTEBOOK_TIMEOUT,
    progress: bool = False,
) -> Iterator[GradeRecord]:
    """Grade the batch's submissions; see the module docstring.

    Parameters
    ----------
    batch : Batch
        From :func:`list_batch`.
    jobs : int
        Notebooks graded at once.
    sandbox : bool, default True
        Run each notebook under bubblewrap (see :mod:`autograder.sandbox`).
    hidden : list of Path
        More folders the learner's kernel must not see (the repository, the
        submissions folder, the home folder and /tmp always are).
    timeout, notebook_timeout : int
        Seconds per cell and per notebook.
    progress : bool
        Show a progress bar on stderr (one line; names escaped).

    Returns
    -------
    records : iterator of GradeRecord
        One per submission of ``batch.mine``, each as soon as it is graded (in the
        order they finish). Stopping early cancels the submissions not yet started.
    """
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1; got {jobs}")
    plans = {name: Plan(load(name), batch.seed) for name in batch.assignments
             if any(s.assignment == name for s in batch.mine)}
    hidden = sorted({COURSE_ROOT.parent, batch.folder.resolve(), *hidden})
    hidden = [folder for folder in hidden if folder.is_dir()]
    return _graded(batch, plans, jobs=jobs, progress=progress,
                   options={"sandbox": sandbox, "hidden": hidden, "timeout": timeout,
                            "notebook_timeout": notebook_timeout})


def running_text(running: dict[str, float], now: float, *, most: int = 3) -> str:
    """Describe the notebooks being graded, longest running first: ``a/ch01 75s, b/ch03 3s``.

    Examples
    --------
    >>> running_text({"s1/ch01": 10.0, "s2/ch03": 4.0, "s3/ch01": 9.0, "s4/ch01": 8.0}, 13.0,
    ...              most=2)
    'running s2/ch03 9s, s4/ch01 5s and 2 more'
    """
    ordered = sorted(running.items(), key=lambda item: item[1])
    shown = ", ".join(f"{name} {now - start:.0f}s" for name, start in ordered[:most])
    more = f" and {len(ordered) - most} more" if len(ordered) > most else ""
    return f"running {shown}{more}" if ordered else ""


def _graded(batch: Batch, plans: dict[str, Plan], *, jobs: int, progress: bool,
            options: dict) -> Iterator[GradeRecord]:
    """Grade in ``jobs`` threads, yielding each record as it is done (see :func:`grade_batch`).

    The progress bar names the notebooks being graded and how long each has run,
    refreshed every second, so a notebook that hangs is seen while it hangs; a time-out
    or a kernel that died is printed above it as it happens.
    """
    bar = tqdm(total=len(batch.mine), unit="notebook", disable=not progress, file=sys.stderr,
               desc="grading", dynamic_ncols=True)
    running: dict[str, float] = {}
    done = threading.Event()

    def graded(sub: Submission) -> GradeRecord:
        name = f"{sub.student_id}/{sub.assignment}"
        running[name] = time.monotonic()
        told = {"on_problem": lambda text: bar.write(f"{escape_name(name)}: {text}",
                                                     file=sys.stderr)} if progress else {}
        try:
            return _grade_one(sub, plans, batch.seed, **options, **told)
        except RecursionError:  # the submission's doing (see _record): no second try
            raise
        except Exception as err:  # the grader's failure, perhaps passing: grade once more
            print(f"grading {escape_name(name)} failed ({type(err).__name__}: "
                  f"{escape_name(str(err))}); grading it again", file=sys.stderr)
            return _grade_one(sub, plans, batch.seed, **options, **told)
        finally:
            running.pop(name, None)

    def refresh() -> None:
        while not done.wait(1.0):
            bar.set_postfix_str(running_text(dict(running), time.monotonic()))

    if progress:
        threading.Thread(target=refresh, daemon=True).start()
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(graded, sub): sub for sub in batch.mine}
        for future in as_completed(futures):
            sub = futures[future]
            bar.update()
            yield _record(future, sub, batch.seed)
    finally:
        done.set()
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()


def summary(records: list[GradeRecord]) -> str:
    """One closing line: how many were graded, full marks, not ok, flagged."""
    graded = [r for r in records if r.score is not None]
    full = sum(r.score == r.max_score for r in graded)
    return (f"graded {len(graded)} of {len(records)} submissions ({full} full marks), "
            f"{sum(r.status != 'ok' for r in records)} not graded normally, "
            f"{sum(bool(r.flags) for r in records)} flagged")

