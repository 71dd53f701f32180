"""The learner's self-check: run a notebook on the visible cases, judged as grading judges."""

from dataclasses import dataclass
from pathlib import Path

from autograder.assess import Plan, assess
from autograder.errors import UsageError
from autograder.judge import PartVerdict
from autograder.kernel import DEFAULT_TIMEOUT
from autograder.manifest import known, load
from autograder.notebooks import InvalidNotebook, read_notebook

__all__ = ["CheckReport", "check_notebook"]


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


def _assignment_of(path: Path) -> str:
    """Return the assignment a notebook belongs to, from its folder or its file name."""
    for name in known():
        if path.parent.name == name or path.name == load(name).notebook:
            return name
    raise UsageError(f"cannot tell which assignment {path} belongs to: expected a notebook "
                     f"named like one of exercises/<assignment>/ ({', '.join(known())})")


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
    name = _assignment_of(path)
    result = assess(nb, Plan(load(name), seed=None), sandbox=sandbox, timeout=timeout)
    return CheckReport(path, name, result.verdicts, result.problems)
