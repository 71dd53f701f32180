"""The learner's self-check: run a notebook and its visible tests, report per part."""

from dataclasses import dataclass
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from autograder.errors import UsageError
from autograder.kernel import DEFAULT_TIMEOUT, TIMEOUT_ERRORS, execution_settings
from autograder.notebooks import InvalidNotebook, graded_cells, read_notebook

__all__ = ["CheckReport", "PartResult", "check_notebook", "part_name"]


@dataclass(frozen=True)
class PartResult:
    """The outcome of one graded test cell."""

    name: str
    points: float
    max_points: float
    message: str
    """Empty when the part passed, else why it failed (the assertion's message)."""

    @property
    def passed(self) -> bool:
        """True when the test cell ran without an error."""
        return not self.message


@dataclass(frozen=True)
class CheckReport:
    """The outcome of one self-check."""

    notebook: Path
    parts: tuple[PartResult, ...]
    problems: tuple[str, ...] = ()
    """What would stop normal grading even where tests pass (kernel death, time-outs)."""

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


def part_name(grade_id: str) -> str:
    """Name the component a test cell grades: its ``grade_id`` without ``test_``."""
    return grade_id.removeprefix("test_")


def _failure(cell: NotebookNode, *, timeout: int, kernel_died: bool) -> str:
    """Why a test cell failed, or ``""`` when it passed (nbgrader's rules)."""
    if cell.get("execution_count") is None and not cell.outputs:
        return "not run: the kernel died (os._exit?)" if kernel_died else "not run"
    for output in cell.outputs:
        if output.output_type == "error":
            if output.ename in TIMEOUT_ERRORS:
                return f"timed out after {timeout} s"
            return f"{output.ename}: {output.evalue}".strip()
    for output in cell.outputs:
        if output.output_type == "stream" and output.name == "stderr":
            first = output.text.strip().splitlines()[0] if output.text.strip() else ""
            return f"wrote to stderr, which nbgrader scores 0: {first}"
    return ""


def check_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT) -> CheckReport:
    """Execute a learner's notebook and report each graded part.

    Parameters
    ----------
    path : Path
        The notebook (a released exercise with the learner's code).
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run.

    Returns
    -------
    report : CheckReport
        One result per graded test cell, in notebook order.

    Raises
    ------
    UsageError
        When ``path`` is missing, not a notebook, or has no graded test cells.
    """
    if not path.is_file():
        raise UsageError(f"no such notebook: {path}")
    try:
        nb = read_notebook(path)
    except InvalidNotebook as err:
        raise UsageError(f"{path}: {err}") from err
    if not graded_cells(nb):
        raise UsageError(f"{path} has no graded test cells (nbgrader metadata with grade: true); "
                         "expected a notebook from exercises/")
    client = NotebookClient(nb, resources={"metadata": {"path": str(path.parent.resolve())}},
                            **execution_settings(timeout=timeout))
    kernel_died = False
    try:
        client.execute()
    except DeadKernelError:
        kernel_died = True
    problems = [f"cell {index + 1} timed out after {timeout} s"
                for index, cell in enumerate(nb.cells)
                if any(out.get("ename") in TIMEOUT_ERRORS for out in cell.get("outputs", []))]
    if kernel_died:
        problems.append("the kernel died (os._exit?): the grader gives no score to such a notebook")
    parts = []
    for cell in graded_cells(nb):
        meta = cell.metadata.nbgrader
        message = _failure(cell, timeout=timeout, kernel_died=kernel_died)
        max_points = float(meta.get("points", 0))
        parts.append(PartResult(name=part_name(meta["grade_id"]), points=0.0 if message
                                else max_points, max_points=max_points, message=message))
    return CheckReport(notebook=path, parts=tuple(parts), problems=tuple(problems))
