"""The learner's self-check: run a notebook on the visible cases, judged as grading judges."""

from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from autograder.assess import Plan, assess
from autograder.errors import UsageError
from autograder.judge import PartVerdict
from autograder.kernel import DEFAULT_TIMEOUT
from autograder.manifest import known, load
from autograder.notebooks import InvalidNotebook, read_notebook

__all__ = ["CheckReport", "assignment_of", "check_notebook"]


@dataclass(frozen=True)
class CheckReport:
    """The outcome of one self-check."""

    notebook: Path
    assignment: str
    parts: tuple[PartVerdict, ...]
    problems: tuple[str, ...] = ()
    """What would stop normal grading even where parts pass (kernel death, time-outs)."""

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


def check_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT,
                   sandbox: bool = False) -> CheckReport:
    """Execute a learner's notebook and judge each part on its visible cases.

    Parameters
    ----------
    path : Path
        The notebook (a released exercise with the learner's code).
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.
    sandbox : bool, default False
        Run the kernel under bubblewrap, as grading does.

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
    result = assess(nb, Plan(load(name), seed=None), sandbox=sandbox, timeout=timeout)
    return CheckReport(path, name, result.verdicts, result.problems)
