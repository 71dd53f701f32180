"""Running one learner notebook and its graded calls; collecting plain-data outcomes.

The learner's code cells run first, in order (test cells are skipped: they are
the learner's visible checks, not the judge). Then, for each part, one cell
sends the harness (:mod:`autograder.harness`) and the part's cases into the
kernel; what it prints is decoded strictly (:mod:`autograder.wire`).

A cell that ends the kernel (``os._exit``) or ignores the time-out interrupt is
skipped and the notebook runs again in a fresh kernel without it, so the rest
of the learner's work is still graded; every such event is reported.
"""

import json
import secrets
import time
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


def run_notebook(cells: list[tuple[int, str]], parts: dict[str, list[dict]], *,
                 scratch: Path, sandbox: bool, hidden: list[Path] = (),
                 limits: Limits = DEFAULT_LIMITS, timeout: int = DEFAULT_TIMEOUT,
                 notebook_timeout: int = NOTEBOOK_TIMEOUT) -> Execution:
    """Run the learner's cells, then each part's cases; see the module docstring.

    Parameters
    ----------
    cells : list of (int, str)
        From :func:`learner_cells`.
    parts : dict
        Part name -> its cases as plain data (``Case.wire``).
    scratch : Path
        A fresh folder for this notebook.
    sandbox : bool
        Run the kernel under bubblewrap.
    hidden : list of Path
        Folders the sandboxed kernel must not see.
    limits : Limits
        Resource limits in the sandbox.
    timeout : int
        Seconds one cell (or one part's calls) may run.
    notebook_timeout : int
        Seconds the whole notebook may run.
    """
    result, skipped, done = Execution(), set(), set()
    nonce = secrets.token_hex(8)
    deadline = time.monotonic() + notebook_timeout
    units = [("cell", number, source) for number, source in cells]
    units.append(("harness", "loader", _load_harness()))
    units += [("part", name, _harness_cell(nonce, cases)) for name, cases in parts.items()]
    for attempt in range(_ATTEMPTS):
        kernel = Kernel(scratch / f"run{attempt}", sandbox=sandbox, hidden=hidden, limits=limits)
        try:
            if not kernel.alive:
                result.problems.append("the kernel did not start")
                return result
            restart = False
            for kind, key, code in units:
                if (kind, key) in skipped or (kind, key) in done:
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    result.problems.append(f"the notebook ran out of its {notebook_timeout} s")
                    return result
                ran = kernel.run(code, timeout=min(timeout, left))
                where = {"cell": f"cell {key}", "harness": "the grader's set-up",
                         "part": f"the graded calls of {key}"}[kind]
                if kind == "part":
                    ids = {case["id"] for case in parts[key]}
                    result.outcomes.update(parse_outcomes(ran.stdout, nonce, ids))
                    done.add((kind, key))
                if ran.status == "timeout":
                    result.problems.append(f"{where} timed out after {timeout} s (interrupted)")
                elif ran.status in ("killed", "dead"):
                    what = ("ignored the interrupt after its time-out" if ran.status == "killed"
                            else "ended the kernel (os._exit?)")
                    result.problems.append(f"{where} {what}; skipped")
                    skipped.add((kind, key))
                    restart = True
                    break
            if not restart:
                return result
        finally:
            kernel.close()
    result.problems.append(f"gave up after {_ATTEMPTS} fresh kernels")
    return result
