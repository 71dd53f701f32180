"""Assessing one notebook: run it, judge every part in this process, flag what looks copied.

Shared by ``autograder check`` (visible cases, usually without the sandbox) and
``autograder grade`` (visible and hidden cases, in the sandbox).
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from autograder.execute import learner_cells, run_notebook
from autograder.flags import flag_notebook
from autograder.judge import PartVerdict, judge_part, reference_outcomes
from autograder.kernel import DEFAULT_TIMEOUT, NOTEBOOK_TIMEOUT
from autograder.manifest import Assignment, Case
from autograder.mistakes import mistake_outcomes, recognise
from autograder.sandbox import DEFAULT_LIMITS, Limits

__all__ = ["Assessment", "Plan", "assess"]


@dataclass(frozen=True)
class Plan:
    """What to run for one assignment in one run: the cases and the reference's outcomes."""

    assignment: Assignment
    seed: int | None
    """The run key's secret (:attr:`autograder.runkey.RunKey.seed`) the hidden cases are
    drawn from; None for the visible cases only."""
    cases: dict[str, list[tuple[str, Case]]] = field(init=False)
    """Each part's (case id, case) list, from :meth:`Assignment.cases`."""
    expected: dict[str, dict] = field(init=False)
    """Case id -> the reference's outcome, computed once for the run."""
    visible_wire: dict[str, list[dict]] = field(init=False)
    """Each part's visible cases as the plain data sent into the learner's kernel."""
    hidden_wire: dict[str, list[dict]] = field(init=False)
    """Each part's hidden cases as plain data, sent after every visible one."""
    mistaken: dict[str, dict[str, dict[str, dict]]] = field(init=False)
    """Part -> catalogued mistake -> case id -> the mistake's outcome, computed once for the run."""

    def __post_init__(self):
        cases = self.assignment.cases(self.seed)
        object.__setattr__(self, "cases", cases)
        object.__setattr__(self, "expected", reference_outcomes(self.assignment, cases))
        for phase, hidden in (("visible_wire", False), ("hidden_wire", True)):
            object.__setattr__(self, phase, {
                name: [case.wire(case_id, name) for case_id, case in part_cases
                       if ("/h" in case_id) == hidden]
                for name, part_cases in cases.items()})
        object.__setattr__(self, "mistaken", mistake_outcomes(self.assignment, cases))


@dataclass(frozen=True)
class Assessment:
    """The judgment of one notebook."""

    verdicts: tuple[PartVerdict, ...]
    problems: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def score(self) -> float:
        """Points earned."""
        return sum(v.points for v in self.verdicts)


def assess(nb: NotebookNode, plan: Plan, *, sandbox: bool, hidden: list[Path] = (),
           timeout: int = DEFAULT_TIMEOUT, notebook_timeout: int = NOTEBOOK_TIMEOUT,
           limits: Limits = DEFAULT_LIMITS,
           on_step: Callable[[str, int | str], None] | None = None,
           on_problem: Callable[[str], None] | None = None) -> Assessment:
    """Run a learner's notebook on the plan's cases and judge each part.

    Parameters
    ----------
    nb : NotebookNode
        The learner's notebook, already validated.
    plan : Plan
        The assignment's cases and reference outcomes.
    sandbox : bool
        Run the kernel under bubblewrap.
    hidden : list of Path
        Folders the sandboxed kernel must not see.
    timeout, notebook_timeout : int
        Seconds per cell and per notebook.
    limits : Limits
        Resource limits in the sandbox.
    on_step, on_problem : callable, optional
        Told each step as it starts, and each problem as it happens (see
        :func:`autograder.execute.run_notebook`).
    """
    test_ids = {f"test_{part.name}" for part in plan.assignment.parts}
    with tempfile.TemporaryDirectory(prefix="autograder-kernel-") as scratch:
        execution = run_notebook(learner_cells(nb, test_ids), plan.visible_wire,
                                 plan.hidden_wire, scratch=Path(scratch), sandbox=sandbox,
                                 hidden=hidden, limits=limits, timeout=timeout,
                                 notebook_timeout=notebook_timeout, on_step=on_step,
                                 on_problem=on_problem)
    verdicts = tuple(recognise(part, judge_part(part, plan.cases[part.name], execution.outcomes,
                                                plan.expected),
                               plan.cases[part.name], execution.outcomes, plan.mistaken[part.name])
                     for part in plan.assignment.parts)
    flags = tuple(flag_notebook(nb, plan.assignment))
    return Assessment(verdicts, tuple(execution.problems), flags)
