"""The learner's self-check: run a notebook on the visible cases, judged as grading judges.

While it runs, :func:`check_notebook` can say on stderr which step it is on
(the kernel starting, each cell, each part's visible cases), as the grading
run's progress bar does: one line redrawn in place on a terminal, a plain line
per step elsewhere (a notebook's ``!autograder check`` cell, a CI log). Text
from the notebook is escaped (:mod:`autograder.escape`) before it is shown.

Progress and report speak the notebook's language (:mod:`autograder.i18n`).
"""

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode
from tqdm import tqdm

from autograder.assess import Plan, assess
from autograder.errors import UsageError
from autograder.escape import escape
from autograder.i18n import ENGLISH, language_of, localise, translator
from autograder.judge import PartVerdict
from autograder.kernel import DEFAULT_TIMEOUT
from autograder.manifest import Assignment, known, load
from autograder.notebooks import InvalidNotebook, read_notebook

__all__ = ["CheckReport", "PHRASES", "assignment_of", "check_notebook", "describe_step",
           "report_lines"]

PHRASES = ("computing the reference's results", "starting the kernel",
           "starting a fresh kernel without the step that stopped the last one",
           "cell {number} of {count}: {line}", "preparing the graded calls",
           "part {number}/{count} {name}: {kind} cases", "visible", "hidden", "PASS", "FAIL",
           "ERROR {problem}",
           "TOTAL {score}/{max_score}: {passing} of {count} parts pass (visible cases; grading "
           "adds hidden ones)")
"""What ``check`` says, for the catalogues (:mod:`autograder.translations`)."""

_SHOWN = 50
"""Characters of a cell's first line that the progress shows."""


@dataclass(frozen=True)
class CheckReport:
    """The outcome of one self-check."""

    notebook: Path
    assignment: str
    parts: tuple[PartVerdict, ...]
    problems: tuple[str, ...] = ()
    """What would stop normal grading even where parts pass (kernel death, time-outs)."""
    language: str = ENGLISH
    """The notebook's language, which the report speaks (:mod:`autograder.i18n`)."""

    @property
    def score(self) -> float:
        """Points of the passing parts."""
        return sum(part.points for part in self.parts)

    @property
    def max_score(self) -> float:
        """Points of all parts."""
        return sum(part.max_points for part in self.parts)

    @property
    def passed(self) -> bool:
        """True when every part passed and nothing else went wrong."""
        return not self.problems and all(part.passed for part in self.parts)


def _test_cells(nb: NotebookNode) -> set[str]:
    """Return the nbgrader ``grade_id`` of each of the notebook's cells."""
    return {str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))
            for cell in nb.get("cells", []) if isinstance(cell, dict)} - {""}


def assignment_of(path: Path, nb: NotebookNode) -> str:
    """Return the assignment a notebook belongs to, whatever the file is called.

    From its folder or file name (``exercises/<assignment>/<notebook>``); else
    from the nbgrader metadata the released notebook carries: the assignment
    whose graded parts (test cells ``test_<part>``) the notebook holds most
    completely, so a browser's renamed download (``losses (1).ipynb``) is found.

    Raises
    ------
    UsageError
        When neither tells one assignment.
    """
    for name in known():
        if path.parent.name == name or path.name == load(name).notebook:
            return name
    ids = _test_cells(nb)
    shares = {name: sum(f"test_{part.name}" in ids for part in load(name).parts)
              / len(load(name).parts) for name in known()}
    best = max(shares.values(), default=0)
    found = [name for name, share in shares.items() if share == best]
    if best >= 0.5 and len(found) == 1:
        return found[0]
    raise UsageError(f"cannot tell which assignment {path} belongs to: its nbgrader cells "
                     "match no released exercise, and its name is none of exercises/"
                     f"<assignment>/ ({', '.join(known())}); download the notebook again")


def describe_step(kind: str, key: int | str, nb: NotebookNode,
                  assignment: Assignment) -> tuple[int, str]:
    """Return how far ``check`` has got when a step starts, and what it does there, escaped.

    Parameters
    ----------
    kind, key : str, int or str
        The step, as :func:`autograder.execute.run_notebook` tells it, or
        ``("reference", 0)`` while the reference's results are computed.
    nb : NotebookNode
        The learner's notebook.
    assignment : Assignment
        Its assignment.

    Returns
    -------
    done : int
        The steps before this one: the notebook's cells, then its parts, out of
        ``len(nb.cells)`` plus the number of parts (a fresh kernel starts from 0).
    text : str
        One line with no control character, for instance
        ``cell 7 of 31: def mse(y, y_pred):`` or ``part 2/9 mse: visible cases``.
    """
    tr = translator(language_of(nb))
    if kind == "reference":
        return 0, tr.text(PHRASES[0])
    if kind == "kernel":
        return 0, tr.text(PHRASES[1] if key == 0 else PHRASES[2])
    if kind == "cell":
        lines = [line.strip() for line in nb.cells[key - 1].get("source", "").splitlines()]
        first = next((line for line in lines if line), "")
        cut = first if len(first) <= _SHOWN else first[:_SHOWN - 1] + "…"
        return key - 1, escape(tr.format(PHRASES[3], number=key, count=len(nb.cells), line=cut))
    if kind == "harness":
        return len(nb.cells), tr.text(PHRASES[4])
    names = [part.name for part in assignment.parts]
    number = names.index(key) + 1
    return len(nb.cells) + number - 1, escape(tr.format(
        PHRASES[5], number=number, count=len(names), name=key, kind=tr.text(kind)))


@contextlib.contextmanager
def _shown(nb: NotebookNode, assignment: Assignment, *,
           progress: bool) -> Iterator[Callable[[str, int | str], None]]:
    """Yield the ``on_step`` that shows each step on stderr (see the module docstring)."""
    stream = sys.stderr
    if not progress:
        yield lambda kind, key: None
        return
    if not stream.isatty():
        yield lambda kind, key: print(f"check: {describe_step(kind, key, nb, assignment)[1]}",
                                      file=stream, flush=True)
        return
    bar = tqdm(total=len(nb.cells) + len(assignment.parts), desc="check", file=stream,
               leave=False, dynamic_ncols=True,
               bar_format="{desc}: {percentage:3.0f}%|{bar:12}| {n}/{total} [{elapsed}{postfix}]")
    done = threading.Event()

    def step(kind: str, key: int | str) -> None:
        bar.n, text = describe_step(kind, key, nb, assignment)
        bar.set_postfix_str(text)

    def tick() -> None:  # the clock moves while a long cell runs
        while not done.wait(1.0):
            bar.refresh()

    threading.Thread(target=tick, daemon=True).start()
    try:
        yield step
    finally:
        done.set()
        bar.close()


def check_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT,
                   sandbox: bool = False, progress: bool = False) -> CheckReport:
    """Execute a learner's notebook and judge each part on its visible cases.

    Parameters
    ----------
    path : Path
        The notebook (a released exercise with the learner's code).
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.
    sandbox : bool, default False
        Run the kernel under bubblewrap, as grading does.
    progress : bool, default False
        Say on stderr which step it is on (see the module docstring).

    Returns
    -------
    report : CheckReport
        One verdict per part, in the manifest's order.

    Raises
    ------
    UsageError
        When ``path`` is missing, not a notebook, or of no known assignment.
    """
    if not path.is_file():
        raise UsageError(f"no such notebook: {path}")
    try:
        nb = read_notebook(path)
    except InvalidNotebook as err:
        raise UsageError(f"{path}: {err}") from err
    name = assignment_of(path, nb)
    with _shown(nb, load(name), progress=progress) as on_step:
        on_step("reference", 0)
        plan = Plan(load(name), seed=None)
        result = assess(nb, plan, sandbox=sandbox, timeout=timeout, on_step=on_step)
    return CheckReport(path, name, result.verdicts, result.problems, language_of(nb))


def report_lines(report: CheckReport) -> list[str]:
    """Return what ``autograder check`` prints, escaped, in the notebook's language.

    One line per part (verdict, name, points and, for a failed part, why), one per
    problem, and the total.
    """
    tr = translator(report.language, report.assignment)
    parts = {part.name: part for part in load(report.assignment).parts}
    width = max(len(part.name) for part in report.parts)
    lines = []
    for part in report.parts:
        verdict = tr.text("PASS" if part.passed else "FAIL")
        line = f"{verdict}  {part.name:<{width}}  {part.points:g}/{part.max_points:g}"
        message = localise(part.message, parts[part.name], tr)
        lines.append(escape(f"{line}  {message}") if message else line)
    lines += [escape(tr.format("ERROR {problem}", problem=problem))
              for problem in report.problems]
    passing = sum(part.passed for part in report.parts)
    lines.append(tr.format(PHRASES[-1], score=f"{report.score:g}",
                           max_score=f"{report.max_score:g}", passing=passing,
                           count=len(report.parts)))
    return lines
