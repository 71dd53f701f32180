"""Running one learner notebook and its graded calls; collecting plain-data outcomes.

The learner's code cells run first, in order (test cells are skipped: they are
the learner's visible checks, not the judge). Then, for each part, one cell
sends the harness (:mod:`autograder.harness`) and the part's visible cases into
the kernel; what it prints is decoded strictly (:mod:`autograder.wire`).

Hidden cases are kept secret by their order: every part's visible cases have
answered before the first hidden input enters the kernel, so no visible
outcome (whose exception messages feedback may show) comes from code that has
seen a hidden input, in this kernel or in a fresh one started after it. Of a
hidden case's outcome only what judging needs is kept (the value, the name of
the exception, the warnings), never the learner's message.

A cell that ends the kernel (``os._exit``) or ignores the time-out interrupt is
skipped and the notebook runs again in a fresh kernel without it, so the rest
of the learner's work is still graded; every such event is reported.
"""

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from autograder import harness
from autograder.kernel import DEFAULT_TIMEOUT, NOTEBOOK_TIMEOUT, Kernel
from autograder.notebooks import nbgrader_metadata
from autograder.sandbox import DEFAULT_LIMITS, Limits
from autograder.wire import parse_outcomes

__all__ = ["Execution", "learner_cells", "run_notebook"]

_HARNESS_SOURCE = Path(harness.__file__).read_text(encoding="utf-8")
_ATTEMPTS = 4


@dataclass
class Execution:
    """What running a notebook produced."""

    outcomes: dict[str, dict] = field(default_factory=dict)
    """Case id -> outcome (plain data), for every case that answered."""
    problems: list[str] = field(default_factory=list)
    """Time-outs, kernel deaths, skipped cells: each one line for the status."""


def learner_cells(nb: NotebookNode, test_ids: set[str]) -> list[tuple[int, str]]:
    """Return the code cells to run, as (1-based cell number, source): all but the test cells."""
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        meta = nbgrader_metadata(cell)
        if meta and meta["grade_id"] in test_ids:
            continue
        cells.append((number, cell.get("source", "")))
    return cells


def _load_harness() -> str:
    """Return the cell that loads the harness into a module of its own (not the globals)."""
    return ("import sys as _sys, types as _types\n"
            "_sys.modules['autograder_harness'] = _types.ModuleType('autograder_harness')\n"
            f"exec({_HARNESS_SOURCE!r}, _sys.modules['autograder_harness'].__dict__)\n"
            "del _sys, _types")


def _harness_cell(nonce: str, cases: list[dict]) -> str:
    """Return a cell that runs ``cases`` on the learner's globals through the loaded harness."""
    return (f"__import__('autograder_harness').run({nonce!r}, {json.dumps(cases)!r}, "
            "globals())")


def _without_message(outcome: dict) -> dict:
    """Return a hidden case's outcome without the learner's exception message."""
    return {**outcome, "message": ""} if "raised" in outcome else outcome


def run_notebook(cells: list[tuple[int, str]], visible_cases: dict[str, list[dict]],
                 hidden_cases: dict[str, list[dict]] | None = None, *,
                 scratch: Path, sandbox: bool, hidden: list[Path] = (),
                 limits: Limits = DEFAULT_LIMITS, timeout: int = DEFAULT_TIMEOUT,
                 notebook_timeout: int = NOTEBOOK_TIMEOUT,
                 on_step: Callable[[str, int | str], None] | None = None,
                 on_problem: Callable[[str], None] | None = None) -> Execution:
    """Run the learner's cells, then each part's visible cases, then its hidden cases.

    See the module docstring.

    Parameters
    ----------
    cells : list of (int, str)
        From :func:`learner_cells`.
    visible_cases : dict
        Part name -> its visible cases as plain data (``Case.wire``).
    hidden_cases : dict, optional
        Part name -> its hidden cases as plain data, sent after every visible case.
    scratch : Path
        A fresh folder for this notebook.
    sandbox : bool
        Run the kernel under bubblewrap.
    hidden : list of Path
        Folders the sandboxed kernel must not see.
    limits : Limits
        Resource limits in the sandbox.
    timeout : int
        Seconds one cell (or one part's visible, or hidden, calls) may run.
    notebook_timeout : int
        Seconds the whole notebook may run.
    on_step : callable, optional
        Called with ``(kind, key)`` as each step starts: ``("kernel", attempt)``
        before a kernel starts (0 first), then ``("cell", number)``,
        ``("harness", "loader")``, ``("visible", part)`` and ``("hidden", part)``.
    on_problem : callable, optional
        Called with each line of ``Execution.problems`` as it happens (a time-out, a
        kernel that died), so that a long run can say so at once.
    """
    result, skipped, done = Execution(), set(), set()

    def problem(text: str) -> None:
        result.problems.append(text)
        if on_problem:
            on_problem(text)

    nonce = secrets.token_hex(8)
    deadline = time.monotonic() + notebook_timeout
    units = [("cell", number, source) for number, source in cells]
    units.append(("harness", "loader", _load_harness()))
    phases = {"visible": visible_cases, "hidden": hidden_cases or {}}
    units += [(phase, name, _harness_cell(nonce, cases))
              for phase, parts in phases.items() for name, cases in parts.items() if cases]
    for attempt in range(_ATTEMPTS):
        if on_step:
            on_step("kernel", attempt)
        kernel = Kernel(scratch / f"run{attempt}", sandbox=sandbox, hidden=hidden, limits=limits)
        try:
            if not kernel.alive:
                problem("the kernel did not start")
                return result
            restart = False
            for kind, key, code in units:
                if (kind, key) in skipped or (kind, key) in done:
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    problem(f"the notebook ran out of its {notebook_timeout} s")
                    return result
                if on_step:
                    on_step(kind, key)
                ran = kernel.run(code, timeout=min(timeout, left))
                where = {"cell": f"cell {key}", "harness": "the grader's set-up",
                         "visible": f"the graded calls of {key}",
                         "hidden": f"the hidden cases of {key}"}[kind]
                if kind in phases:
                    ids = {case["id"] for case in phases[kind][key]}
                    found = parse_outcomes(ran.stdout, nonce, ids)
                    result.outcomes.update(found if kind == "visible" else
                                           {i: _without_message(o) for i, o in found.items()})
                    done.add((kind, key))
                if ran.status == "timeout":
                    problem(f"{where} timed out after {timeout} s (interrupted)")
                elif ran.status in ("killed", "dead", "flooded"):
                    what = {"killed": "ignored the interrupt after its time-out",
                            "flooded": "printed more than the output limit",
                            "dead": "ended the kernel (os._exit?)"}[ran.status]
                    problem(f"{where} {what}; skipped")
                    skipped.add((kind, key))
                    restart = True
                    break
            if not restart:
                return result
        finally:
            kernel.close()
    problem(f"gave up after {_ATTEMPTS} fresh kernels")
    return result
