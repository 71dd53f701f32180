"""The visible tests written into the notebooks: friendly checks for self-study, not the judge.

``autograder release`` rewrites, from the manifest, the setup cell (imports and
the small helpers below) and each part's test cell of the instructor notebook,
then nbgrader releases it. The test cells show the learner, for every visible
case, the call, the expected value (computed by the reference when releasing)
and the book section; they need only NumPy, so the released notebook runs
anywhere (Colab included). Grading never trusts them: it calls the learner's
functions itself (:mod:`autograder.execute`).
"""

import inspect

import numpy as np

from autograder.harness import Rng, decode, outcome, stand_ins
from autograder.manifest import Part, Within

__all__ = ["SETUP_HELPERS", "setup_cell", "test_cell"]

_INSTALL = '''\
# Runs as released in Colab or any Jupyter: installs NumPy and Matplotlib only if missing.
import contextlib, importlib.util, subprocess, sys
_missing = [p for p in ("numpy", "matplotlib") if importlib.util.find_spec(p) is None]
if _missing:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *_missing], check=True)

import numpy as np
'''

SETUP_HELPERS = '''\
def expect_close(got, expected, what, see, rtol=1e-6, atol=1e-9, dtype=None):
    """Fail with a message saying what was expected, what was got and where to read."""
    if got is None and expected is not None:
        raise AssertionError(f"{what}: got None (is a `return` missing?) — see {see}")
    if isinstance(expected, (str, bool)) or expected is None:
        if got != expected:
            raise AssertionError(f"{what}: expected {expected!r}, got {got!r} — see {see}")
        return
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            raise AssertionError(f"{what}: expected a tuple of {len(expected)}, got {got!r} "
                                 f"— see {see}")
        for g, e in zip(got, expected):
            expect_close(g, e, what, see, rtol, atol, dtype if hasattr(e, "dtype") else None)
        return
    got_array, expected_array = np.asarray(got), np.asarray(expected)
    if got_array.shape != expected_array.shape:
        raise AssertionError(f"{what}: expected shape {expected_array.shape}, "
                             f"got shape {got_array.shape} — see {see}")
    if dtype is not None and getattr(got, "dtype", None) != np.dtype(dtype):
        raise AssertionError(f"{what}: expected dtype {np.dtype(dtype)}, "
                             f"got {getattr(got, 'dtype', type(got).__name__)} — see {see}")
    if not np.allclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True):
        raise AssertionError(f"{what}: expected {expected_array.tolist()}, "
                             f"got {got_array.tolist()} — see {see}")


def expect_raises(call, error, what, see):
    """Fail unless call() raises the named exception."""
    try:
        call()
    except Exception as err:
        if type(err).__name__ != error:
            raise AssertionError(f"{what}: expected {error}, got {type(err).__name__}: {err} "
                                 f"— see {see}") from None
        return
    raise AssertionError(f"{what}: expected {error} to be raised, got a value — see {see}")


def quietly(call, what, see):
    """Return call(), failing on overflow, division by zero, invalid operations or warnings."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
                return call()
        except (ArithmeticError, Warning) as err:
            raise AssertionError(f"{what}: expected no floating-point warning, got "
                                 f"{type(err).__name__}: {err} — see {see}") from None
'''


def _literal(value) -> str:
    """Return Python source that rebuilds ``value`` in the notebook (arrays keep their dtype)."""
    if isinstance(value, Rng):
        return repr(value)
    if isinstance(value, np.ndarray):
        body = repr(value.tolist()).replace("nan", 'float("nan")').replace("inf", 'float("inf")')
        dtype = "" if value.dtype in (np.float64, np.int64) else f", dtype=np.{value.dtype}"
        return f"np.array({body}{dtype})"
    if isinstance(value, np.generic):
        return f"np.{value.dtype}({value.item()!r})"
    if isinstance(value, tuple):
        return "(" + "".join(_literal(v) + ", " for v in value).rstrip(" ") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float) and not np.isfinite(value):
        return f'float("{value}")'
    return repr(value)


def _expected(part: Part, case) -> dict:
    """Return the reference's outcome of a visible case, as the notebook shows it."""
    return outcome(case.wire("visible", part.name), part.namespace())


def _case_lines(part: Part, case) -> list[str]:
    """Return the lines that check one visible case (``see`` names the book section)."""
    see = "see"
    if case.program:
        inputs = [f"    {name} = {_literal(value)}" for name, value in case.inputs.items()]
        body = [f"    {line}" if line else "" for line in case.program.splitlines()]
        head = ["def _case():", *inputs, *body, "    return result"]
        call = "_case()"
    else:
        head, call = [], f"{case.call or part.name}({', '.join(_literal(a) for a in case.args)})"
    if case.raises:
        return [*head, f"expect_raises(lambda: {call}, {case.raises.__name__!r}, {case.what!r},",
                f"              {see})"]
    if case.strict_fp:
        call = f"quietly(lambda: {call}, {case.what!r}, {see})"
    if isinstance(case.check, Within):
        return [*head, *_within_lines(case.check, call, case.what)]
    expected = _expected(part, case)
    value = _literal(decode(expected["value"]))
    options = ""
    rtol, atol = case.check.tolerance(case, expected["value"])
    if rtol != 1e-6 or atol != 1e-9:
        options += f", rtol={rtol!r}, atol={atol!r}"
    if case.check.dtype:
        value_obj = decode(expected["value"])
        typed = [v for v in (value_obj if isinstance(value_obj, tuple) else (value_obj,))
                 if hasattr(v, "dtype")]
        options += f", dtype={str(typed[0].dtype)!r}" if typed else ""
    return [*head, f"expect_close({call},", f"             {value},",
            f"             {case.what!r}, {see}{options})"]


def _within_lines(check: Within, call: str, what: str) -> list[str]:
    """Return the lines of a visible case judged by a stated range, not by a value."""
    bounds = (f"at least {check.low:g}" if check.high is None
              else f"at most {check.high:g}" if check.low is None
              else f"within [{check.low:g}, {check.high:g}]")
    if check.measure is not None:  # the grader measures it, on data the notebook lacks
        return [f"{call}  # graded on {check.what}, measured by the grader: {bounds}"]
    tests = ["np.isfinite(_value)", *([f"_value >= {check.low!r}"] if check.low is not None
                                      else []),
             *([f"_value <= {check.high!r}"] if check.high is not None else [])]
    return [f"_value = float({call})",
            f"if not ({' and '.join(tests)}):",
            f"    raise AssertionError({what + ': ' + check.what + ' is '!r}"
            f" f'{{_value:.4g}}, not {bounds} — see {{see}}')"]


def test_cell(part: Part) -> str:
    """Return the source of a part's test cell: every visible case, with a friendly message."""
    lines = [f"# Visible tests of {part.name}. Grading calls {part.name} on these and on hidden",
             "# cases drawn afresh, so make it right for every valid input, not only these.",
             f"see = {str(part.section)!r}"]
    for case in part.visible:
        lines += _case_lines(part, case)
    return "\n".join(lines)


def setup_cell() -> str:
    """Return the source of the setup cell: imports and the checking helpers."""
    return _INSTALL + "\n\n" + SETUP_HELPERS + "\n\n" + inspect.getsource(stand_ins)
