"""Judging in the grader's own process: the learner's outcomes against the reference's.

Both outcomes are plain data in the encoding of :mod:`autograder.harness`: the
learner's was printed by their kernel and decoded strictly
(:mod:`autograder.wire`); the reference's is computed here, by the same
``outcome`` function, on freshly decoded inputs. Comparisons use Python floats
only. A message for a hidden case never shows its inputs or expected values.
"""

import math
from dataclasses import dataclass

import numpy as np

from autograder.harness import outcome
from autograder.manifest import Assignment, Case, Part, Within

__all__ = ["PartVerdict", "compare", "judge_part", "reference_outcomes"]


@dataclass(frozen=True)
class PartVerdict:
    """The judgment of one part."""

    name: str
    points: float
    max_points: float
    message: str
    """Empty when every case passed; else what the first failing case shows."""
    passed_cases: int
    total_cases: int
    mistake: str = ""
    """The catalogued mistake the learner's answers match, if any (:mod:`autograder.mistakes`)."""

    @property
    def passed(self) -> bool:
        """True when every case passed."""
        return not self.message


def reference_outcomes(assignment: Assignment,
                       cases: dict[str, list[tuple[str, Case]]]) -> dict[str, dict]:
    """Run every case on the reference, in this process; case id -> outcome."""
    parts = {part.name: part for part in assignment.parts}
    return {case_id: outcome(case.wire(case_id, name), parts[name].namespace())
            for name, part_cases in cases.items() for case_id, case in part_cases}


def _numeric(value):
    """``(shape, flat floats, dtype or None)`` for a number, array or nested list; else None."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, int | float):
        return (), [float(value)], None
    if isinstance(value, dict):
        (tag, body), = value.items()
        if tag == "$float":
            return (), [float(body)], None
        if tag == "$scalar":
            inner = _numeric(body["value"]) or ((), [float(body["value"])], None)
            return (), inner[1], body["dtype"]
        if tag == "$array":
            data = [float(x["$float"]) if isinstance(x, dict) else float(x) for x in body["data"]]
            return tuple(body["shape"]), data, body["dtype"]
        return None
    if isinstance(value, list):
        rows = [_numeric(item) for item in value]
        if not rows or any(r is None or r[0] != rows[0][0] for r in rows):
            return None if rows else ((0,), [], None)
        return (len(rows), *rows[0][0]), [x for r in rows for x in r[1]], None
    return None


def _far(got: float, expected: float, rtol: float, atol: float) -> bool:
    if math.isnan(expected) or math.isnan(got):
        return not (math.isnan(expected) and math.isnan(got))
    if math.isinf(expected) or math.isinf(got):
        return got != expected
    return abs(got - expected) > atol + rtol * abs(expected)


def compare(got, expected, check) -> tuple[str, str] | None:
    """Compare two encoded values; None when they agree, else (kind, detail with numbers)."""
    if isinstance(check, Within):
        return _outside(got, check)
    g, e = _numeric(got), _numeric(expected)
    if e is not None:
        if g is None:
            return "wrong type", f"expected a number or array, got {_describe(got)}"
        if g[0] != e[0]:
            return "wrong shape", f"expected shape {e[0]}, got shape {g[0]}"
        if check.dtype and e[2] and g[2] != e[2]:
            return "wrong dtype", f"expected dtype {e[2]}, got {g[2] or 'a Python number'}"
        for index, (x, y) in enumerate(zip(g[1], e[1], strict=True)):
            if _far(x, y, check.rtol, check.atol):
                where = f" at flat index {index}" if len(e[1]) > 1 else ""
                return "wrong value", (f"expected {_short(e[1])}, got {_short(g[1])}"
                                       f" (first difference{where}: {y!r} vs {x!r})")
        return None
    if isinstance(expected, dict) and "$tuple" in expected:
        items = got.get("$tuple") if isinstance(got, dict) and "$tuple" in got else got
        if not isinstance(items, list) or len(items) != len(expected["$tuple"]):
            return "wrong type", (f"expected a tuple of {len(expected['$tuple'])}, "
                                  f"got {_describe(got)}")
        for item_got, item_expected in zip(items, expected["$tuple"], strict=True):
            if (problem := compare(item_got, item_expected, check)) is not None:
                return problem
        return None
    if expected != got:
        return "wrong value", f"expected {_describe(expected)}, got {_describe(got)}"
    return None


def _outside(got, bound: Within) -> tuple[str, str] | None:
    """None when ``got`` (or ``bound.measure`` of it) is a finite number within ``bound``."""
    g = _numeric(got)
    if bound.measure is not None:
        if g is None:
            return "wrong type", f"expected a number or array, got {_describe(got)}"
        try:
            value = float(bound.measure(np.asarray(g[1], dtype=np.float64).reshape(g[0])))
        except (ValueError, TypeError, IndexError) as err:
            return "wrong shape", f"{bound.what} could not be measured: {err}"
    elif g is None or g[0] != ():
        return "wrong type", f"expected {bound.what} as one number, got {_describe(got)}"
    else:
        value = g[1][0]
    if not math.isfinite(value):
        return "wrong value", f"{bound.what} is {value!r}, not a finite number"
    if bound.low is not None and value < bound.low:
        return "not reached", f"{bound.what} is {value:.4g}, below the required {bound.low:g}"
    if bound.high is not None and value > bound.high:
        return "not reached", f"{bound.what} is {value:.4g}, above the allowed {bound.high:g}"
    return None


def _short(values: list[float]) -> str:
    text = repr(values[0] if len(values) == 1 else values)
    return text if len(text) <= 120 else text[:117] + "..."


def _describe(value) -> str:
    if isinstance(value, dict) and len(value) == 1:
        tag = next(iter(value))
        if tag == "$object":
            return f"an object of type {value[tag]}"
        return {"$tuple": "a tuple", "$dict": "a dict", "$rng": "a generator"}.get(tag, tag)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _failure(case: Case, got: dict | None, expected: dict) -> tuple[str, str] | None:
    """(kind, detail) when the learner's outcome does not match the reference's."""
    if got is None:
        return "no answer", "the call did not finish or printed no result (see the status)"
    if "raised" in expected:
        if got.get("raised") == expected["raised"]:
            return None
        if "raised" in got:
            return "wrong exception", f"expected {expected['raised']}, got {got['raised']}"
        return "no exception", f"expected {expected['raised']} to be raised, got a value"
    if "raised" in got:
        return "raised", f"{got['raised']}: {got['message']}"
    if case.strict_fp and got["warnings"]:
        return "warned", f"emitted {', '.join(got['warnings'])}"
    return compare(got["value"], expected["value"], case.check)


def judge_part(part: Part, cases: list[tuple[str, Case]], outcomes: dict[str, dict],
               expected: dict[str, dict]) -> PartVerdict:
    """All-or-nothing points for one part; the message of its first failing case."""
    message, passed = "", 0
    for case_id, case in cases:
        problem = _failure(case, outcomes.get(case_id), expected[case_id])
        if problem is None:
            passed += 1
            continue
        if not message:
            kind, detail = problem
            hidden = "/h" in case_id
            message = (f"a hidden case failed ({kind}): {case.what} — see {part.section}" if hidden
                       else f"{case.what} ({detail}) — see {part.section}")
    return PartVerdict(part.name, 0.0 if message else float(part.points), float(part.points),
                       message, passed, len(cases))
