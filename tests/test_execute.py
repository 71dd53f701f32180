"""Running a notebook's cells and graded calls (``autograder.execute``), on an in-process kernel.

A stand-in for :class:`autograder.kernel.Kernel` runs each cell with ``exec`` in
this process (the harness included), so the order of the cells, what is kept of
each phase's outcomes and the restart after a kernel death are checked without
Jupyter. The learner here records every input it is given and raises them all
from each later call: no visible outcome may carry a hidden input.
"""

import contextlib
import io
import json
import sys

import pytest

from autograder import execute
from autograder.kernel import CellResult

LEARNER = (
    "SEEN = []\n"
    "def f(x):\n"
    "    SEEN.append(x)\n"
    "    if x == 'die':\n"
    "        die()\n"
    "    raise ValueError(' '.join(map(str, SEEN)))\n"
)


class _Died(BaseException):
    """What ``die()`` raises: the stand-in kernel then reports itself dead."""


class InProcessKernel:
    """Runs cells with ``exec`` in one namespace; every kernel's cells are logged."""

    log: list[list[str]] = []

    def __init__(self, scratch, **options):
        self.namespace = {"die": self._die}
        self.alive = True
        self.cells = []
        InProcessKernel.log.append(self.cells)

    @staticmethod
    def _die():
        raise _Died

    def run(self, code, *, timeout):
        self.cells.append(code)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(code, self.namespace)
        except _Died:
            self.alive = False
            return CellResult("dead", out.getvalue())
        return CellResult("ok", out.getvalue())

    def close(self):
        self.alive = False


@pytest.fixture
def kernel(monkeypatch):
    InProcessKernel.log = []
    monkeypatch.setattr(execute, "Kernel", InProcessKernel)
    yield InProcessKernel
    sys.modules.pop("autograder_harness", None)


def _cases(part, kind, inputs):
    return [{"id": f"{part}/{kind}{i}", "call": "f", "args": [x], "kwargs": {},
             "program": None, "strict_fp": False} for i, x in enumerate(inputs)]


def _run(visible, hidden=None, tmp_path=None):
    return execute.run_notebook([(1, LEARNER)], visible, hidden, scratch=tmp_path,
                                sandbox=False)


def test_every_visible_case_answers_before_any_hidden_input_is_sent(kernel, tmp_path):
    visible = {"a": _cases("a", "v", ["a-visible"]), "b": _cases("b", "v", ["b-visible"])}
    hidden = {"a": _cases("a", "h", ["a-secret"]), "b": _cases("b", "h", ["b-secret"])}
    result = _run(visible, hidden, tmp_path)
    (cells,) = kernel.log
    sent = [next((x for x in ("visible", "secret") if f'-{x}"' in cell), None) for cell in cells]
    assert sent == [None, None, "visible", "visible", "secret", "secret"]
    # The visible outcomes say what the learner saw: no hidden input ...
    assert result.outcomes["b/v0"]["message"] == "a-visible b-visible"
    # ... and of the hidden outcomes the learner's message is not kept.
    assert result.outcomes["a/h0"] == {"raised": "ValueError", "message": "", "warnings": []}
    assert result.outcomes["b/h0"]["message"] == ""
    assert result.problems == []


def test_a_kernel_that_dies_on_a_hidden_case_does_not_rerun_visible_ones(kernel, tmp_path):
    visible = {"a": _cases("a", "v", ["a-visible"]), "b": _cases("b", "v", ["b-visible"])}
    hidden = {"a": _cases("a", "h", ["die"]), "b": _cases("b", "h", ["b-secret"])}
    result = _run(visible, hidden, tmp_path)
    first, second = kernel.log
    assert '"die"' in first[-1]
    assert len(second) == 3 and second[0] == LEARNER and "b-secret" in second[2]
    assert "visible" not in second[2]
    assert result.problems == ["the hidden cases of a ended the kernel (os._exit?); skipped"]
    assert set(result.outcomes) == {"a/v0", "b/v0", "b/h0"}
    assert result.outcomes["b/h0"]["message"] == ""


def test_without_hidden_cases_only_the_visible_ones_run(kernel, tmp_path):
    result = _run({"a": _cases("a", "v", [1, 2])}, None, tmp_path)
    (cells,) = kernel.log
    assert len(cells) == 3
    assert result.outcomes["a/v1"]["message"] == "1 2"


def test_the_harness_cell_holds_its_cases_as_json(kernel, tmp_path):
    cases = _cases("a", "v", [[1.5, None]])
    cell = execute._harness_cell("n0nce", cases)
    assert json.loads(eval(cell.split(", ", 1)[1].rsplit(", globals()", 1)[0])) == cases


def test_each_problem_is_told_as_it_happens(kernel, tmp_path):
    """``on_problem`` hears of the dead kernel before the next kernel starts."""
    told = []
    visible = {"a": _cases("a", "v", ["a-visible"])}
    hidden = {"a": _cases("a", "h", ["die"]), "b": _cases("b", "h", ["b-secret"])}
    result = execute.run_notebook([(1, LEARNER)], visible, hidden, scratch=tmp_path,
                                  sandbox=False,
                                  on_problem=lambda text: told.append((text, len(kernel.log))))
    assert told == [("the hidden cases of a ended the kernel (os._exit?); skipped", 1)]
    assert result.problems == [told[0][0]]
