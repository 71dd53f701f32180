"""The visible tests written into the notebooks: friendly checks for self-study, not the judge.

``autograder release`` rewrites, from the manifest, the setup cell (imports and
the small helpers below) and each part's test cell of the instructor notebook,
then nbgrader releases it. The test cells show the learner, for every visible
case, the call, the expected value (computed by the reference when releasing)
and the book section; they need only NumPy, so the released notebook runs
anywhere (Colab included). Grading never trusts them: it calls the learner's
functions itself (:mod:`autograder.execute`).
"""

import ast
import inspect
import string

import numpy as np

from autograder.harness import Rng, decode, outcome, stand_ins
from autograder.i18n import IN_ENGLISH, Translator
from autograder.manifest import Part, Within

__all__ = ["BOUNDS", "HEADER", "MEASURED", "NOT_WITHIN", "SETUP_HELPERS", "helper_messages",
           "setup_cell", "test_cell"]

HEADER = ("Visible tests of {name}. Grading calls {name} on these and on hidden\n"
          "cases drawn afresh, so make it right for every valid input, not only these.")
"""The comment that opens a test cell (one comment line per line)."""
BOUNDS = ("at least {low}", "at most {high}", "within [{low}, {high}]")
MEASURED = "graded on {measure}, measured by the grader: {bounds}"
NOT_WITHIN = "{what}: {measure} is {value}, not {bounds} — see {see}"

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


def _messages(helpers: str) -> list[tuple[ast.JoinedStr, str]]:
    """Return each failure message of the helpers' source and its template, in order.

    The template is the f-string's text with each expression in braces as written
    (``{what}: expected shape {expected_array.shape}, ...``), over implicit concatenation.
    """
    found = []
    for node in ast.walk(ast.parse(helpers)):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "AssertionError"
                and isinstance(node.args[0], ast.JoinedStr)):
            pieces = []
            for value in node.args[0].values:
                if isinstance(value, ast.Constant):
                    pieces.append(value.value.replace("{", "{{").replace("}", "}}"))
                else:
                    conversion = "" if value.conversion == -1 else f"!{chr(value.conversion)}"
                    pieces.append(f"{{{ast.unparse(value.value)}{conversion}}}")
            found.append((node.args[0], "".join(pieces)))
    return sorted(found, key=lambda item: (item[0].lineno, item[0].col_offset))


def helper_messages() -> list[str]:
    """Return the templates of the setup helpers' failure messages (for the catalogues)."""
    return [template for _, template in _messages(SETUP_HELPERS)]


def _placeholders(template: str) -> list[tuple]:
    return sorted((name, conversion, spec) for _, name, spec, conversion
                  in string.Formatter().parse(template) if name is not None)


def _helpers(tr: Translator) -> str:
    """Return the setup helpers with their messages in ``tr``'s language.

    A translation that does not keep its template's placeholders, or that would not
    compile, leaves that message English.
    """
    lines = SETUP_HELPERS.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode()))
    source = SETUP_HELPERS.encode()
    for node, template in reversed(_messages(SETUP_HELPERS)):
        translated = tr.text(template)
        try:
            same = _placeholders(translated) == _placeholders(template)
            replacement = f"f{translated!r}"
            ast.parse(replacement, mode="eval")
        except (ValueError, SyntaxError):
            continue
        if same and translated != template:
            start = offsets[node.lineno - 1] + node.col_offset
            end = offsets[node.end_lineno - 1] + node.end_col_offset
            source = source[:start] + replacement.encode() + source[end:]
    return source.decode()


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


def _case_lines(part: Part, case, tr: Translator) -> list[str]:
    """Return the lines that check one visible case (``see`` names the book section)."""
    see, what = "see", tr.text(case.what)
    if case.program:
        inputs = [f"    {name} = {_literal(value)}" for name, value in case.inputs.items()]
        body = [f"    {line}" if line else "" for line in case.program.splitlines()]
        head = ["def _case():", *inputs, *body, "    return result"]
        call = "_case()"
    else:
        head, call = [], f"{case.call or part.name}({', '.join(_literal(a) for a in case.args)})"
    if case.raises:
        return [*head, f"expect_raises(lambda: {call}, {case.raises.__name__!r}, {what!r},",
                f"              {see})"]
    if case.strict_fp:
        call = f"quietly(lambda: {call}, {what!r}, {see})"
    if isinstance(case.check, Within):
        return [*head, *_within_lines(case.check, call, what, tr)]
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
            f"             {what!r}, {see}{options})"]


def _within_lines(check: Within, call: str, what: str, tr: Translator) -> list[str]:
    """Return the lines of a visible case judged by a stated range, not by a value."""
    low, high = (format(bound, "g") if bound is not None else "" for bound in (check.low,
                                                                              check.high))
    bounds = tr.format(BOUNDS[0] if check.high is None else BOUNDS[1] if check.low is None
                       else BOUNDS[2], low=low, high=high)
    measure = tr.text(check.what)
    if check.measure is not None:  # the grader measures it, on data the notebook lacks
        return [f"{call}  # {tr.format(MEASURED, measure=measure, bounds=bounds)}"]
    tests = ["np.isfinite(_value)", *([f"_value >= {check.low!r}"] if check.low is not None
                                      else []),
             *([f"_value <= {check.high!r}"] if check.high is not None else [])]
    template = tr.text(NOT_WITHIN)
    if {name for _, name, _, _ in string.Formatter().parse(template) if name} != {
            "what", "measure", "value", "bounds", "see"}:
        template = NOT_WITHIN
    head, _, rest = template.partition("{value}")
    head = head.replace("{what}", what).replace("{measure}", measure)
    rest = rest.replace("{bounds}", bounds).replace("{see}", "\0")
    rest = "{_value:.4g}" + rest.replace("{", "{{").replace("}", "}}").replace("\0", "{see}")
    return [f"_value = float({call})",
            f"if not ({' and '.join(tests)}):",
            f"    raise AssertionError({head!r} f{rest!r})"]


def test_cell(part: Part, tr: Translator = IN_ENGLISH) -> str:
    """Return the source of a part's test cell: every visible case, with a friendly message.

    With ``tr``, its comment, the cases' messages and the book section are in that language.
    """
    lines = [f"# {line}" for line in tr.format(HEADER, name=part.name).splitlines()]
    lines.append(f"see = {tr.section(part.section)!r}")
    for case in part.visible:
        lines += _case_lines(part, case, tr)
    return "\n".join(lines)


def setup_cell(tr: Translator = IN_ENGLISH) -> str:
    """Return the source of the setup cell: imports and the checking helpers (in ``tr``'s words)."""
    return _INSTALL + "\n\n" + _helpers(tr) + "\n\n" + inspect.getsource(stand_ins)
