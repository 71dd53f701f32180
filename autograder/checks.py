"""How a case's value is judged: closeness, a rounding-error bound, or a stated range.

A check compares the learner's value with the reference's in the grader's process.
Both are plain data in the encoding of :mod:`autograder.harness` (the learner's decoded
strictly by :mod:`autograder.wire`), compared with Python floats only. Each check also
says which tolerance the notebook's visible test uses (:meth:`Close.tolerance`), so that
the friendly check in the notebook and the judgment agree.

The order of the verdicts is fixed: a wrong type or shape first, then a wrong dtype (its
own check, with its own message, only when asked for and only when the dtypes differ),
then the values.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Close", "Rounding", "Within", "compare", "unit_roundoff"]

_UNIT_ROUNDOFF = {"float16": 2.0 ** -11, "float32": 2.0 ** -24, "float64": 2.0 ** -53}


def unit_roundoff(dtype: str | None) -> float:
    """Return u of a dtype's name: 2**-24 for float32, 2**-53 for float64 and Python floats.

    Integer and boolean results are exact: their u is 0.
    """
    if dtype is None:
        return _UNIT_ROUNDOFF["float64"]
    return _UNIT_ROUNDOFF.get(dtype, 0.0)


@dataclass(frozen=True)
class Close:
    """Judge a value by closeness to the reference: same shape, ``|got - exp| <= atol + rtol|exp|``.

    For results that are not a sum or product of the inputs (an exponential, a ratio, an
    iteration), whose magnitude does not cancel. ``dtype=True`` also requires the
    reference's dtype.
    """

    rtol: float = 1e-6
    atol: float = 1e-9
    dtype: bool = False

    def allowed(self, expected: list[float], dtype: str | None, scale: list[float] | None
                ) -> list[float]:
        """Return the largest allowed ``|got - exp|`` of each entry."""
        return [self.atol + self.rtol * abs(e) for e in expected]

    def scales(self, case) -> None:
        """Return None: closeness needs nothing from the case's inputs."""
        return None

    def tolerance(self, case, expected) -> tuple[float, float]:
        """Return the ``(rtol, atol)`` the notebook's visible test uses."""
        return self.rtol, self.atol


@dataclass(frozen=True)
class Rounding:
    """Judge a sum or product computed in floating point by the rounding error it may carry.

    Each entry passes when ``|got - ref| <= 2 gamma_n scale``, where
    ``gamma_n = n u / (1 - n u)``, ``u`` is the unit roundoff of the reference's dtype
    (:func:`unit_roundoff`) and ``scale`` is the sum of the magnitudes of the terms of
    that entry, e.g. ``|x| @ |w| + |b|`` for ``x @ w + b``. A sum of ``n`` terms computed
    in any order (loops, ``einsum``, BLAS, pairwise, a float64 accumulator cast back) is
    within ``gamma_n scale`` of the exact value, and so is the reference: the factor 2
    covers both. The bound does not shrink when the result cancels, as a relative one does.

    Parameters
    ----------
    scale : callable
        Called with the case's inputs (``scale(*args)`` or ``scale(**inputs)``), in the
        grader; returns the magnitudes: an array shaped like the value, or a tuple of
        them for a tuple value.
    n : int
        At least the number of roundings of any entry (for a sum of ``k`` products,
        ``k``) in every case the check judges; the manifest bounds the sizes it draws.
    dtype : bool
        Also require the reference's dtype.
    """

    scale: Callable[..., object]
    n: int
    dtype: bool = False

    def allowed(self, expected: list[float], dtype: str | None, scale: list[float] | None
                ) -> list[float]:
        """Return ``2 gamma_n scale`` of each entry."""
        nu = self.n * unit_roundoff(dtype)
        return [2.0 * nu / (1.0 - nu) * s for s in scale]

    def scales(self, case):
        """Return the magnitudes of the case's terms, computed here from its inputs."""
        return _plain(self.scale(*case.args, **case.inputs))

    def tolerance(self, case, expected) -> tuple[float, float]:
        """Return ``(0, the largest bound of any entry)``: a looser check for the notebook."""
        scales = self.scales(case)
        pairs = (zip(expected["$tuple"], scales, strict=True) if isinstance(scales, tuple)
                 else [(expected, scales)])
        bound = 0.0
        for value, scale in pairs:
            _, flat, dtype = _numeric(value)
            bound = max([bound, *self.allowed(flat, dtype, scale)])
        return 0.0, bound


@dataclass(frozen=True)
class Within:
    """Judge a measured number by a stated bound, not by the reference's value.

    For *experiment* parts: the number ``measure(outcome)`` must be finite with
    ``low <= number <= high`` (either bound may be None). ``measure`` runs in the
    grader's process on the learner's decoded outcome (a float64 ndarray of its
    shape), so a score such as accuracy on hidden labels is computed by the grader,
    never believed from the kernel; without it the outcome must itself be one number.
    The reference's outcome is computed too, and must meet the bound (checked when the
    manifest is imported, and in every grading run).
    """

    low: float | None = None
    high: float | None = None
    what: str = "the result"
    """How a message names the number, e.g. ``"test accuracy"``."""
    measure: Callable[[np.ndarray], float] | None = None

    def scales(self, case) -> None:
        """Return None: a stated range needs nothing from the case's inputs."""
        return None

    def outside(self, got) -> tuple[str, str] | None:
        """None when ``got`` (or ``measure`` of it) is a finite number within the bound."""
        g = _numeric(got)
        if self.measure is not None:
            if g is None:
                return "wrong type", f"expected a number or array, got {_describe(got)}"
            try:
                value = float(self.measure(np.asarray(g[1], dtype=np.float64).reshape(g[0])))
            except (ValueError, TypeError, IndexError) as err:
                return "wrong shape", f"{self.what} could not be measured: {err}"
        elif g is None or g[0] != ():
            return "wrong type", f"expected {self.what} as one number, got {_describe(got)}"
        else:
            value = g[1][0]
        if not math.isfinite(value):
            return "wrong value", f"{self.what} is {value!r}, not a finite number"
        if self.low is not None and value < self.low:
            return "not reached", f"{self.what} is {value:.4g}, below the required {self.low:g}"
        if self.high is not None and value > self.high:
            return "not reached", f"{self.what} is {value:.4g}, above the allowed {self.high:g}"
        return None


def _plain(scale):
    """Turn a scale (array, number or tuple of them) into flat float lists, tuples kept."""
    if isinstance(scale, tuple):
        return tuple(_plain(item) for item in scale)
    return [float(s) for s in np.abs(np.asarray(scale, dtype=np.float64)).ravel()]


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


def _far(got: float, expected: float, allowed: float) -> bool:
    if math.isnan(expected) or math.isnan(got):
        return not (math.isnan(expected) and math.isnan(got))
    if math.isinf(expected) or math.isinf(got):
        return got != expected
    return abs(got - expected) > allowed


def compare(got, expected, check, scale=None) -> tuple[str, str] | None:
    """Compare two encoded values; None when they agree, else (kind, detail with numbers).

    Parameters
    ----------
    got, expected : plain data
        The learner's and the reference's values.
    check : Close, Rounding or Within
        How they are compared.
    scale : list or tuple, optional
        ``check.scales(case)``: the magnitudes a :class:`Rounding` bound is made of,
        shaped like ``expected``.
    """
    if isinstance(check, Within):
        return check.outside(got)
    g, e = _numeric(got), _numeric(expected)
    if e is not None:
        if g is None:
            return "wrong type", f"expected a number or array, got {_describe(got)}"
        if g[0] != e[0]:
            return "wrong shape", f"expected shape {e[0]}, got shape {g[0]}"
        if check.dtype and e[2] and g[2] != e[2]:
            return "wrong dtype", f"expected dtype {e[2]}, got {g[2] or 'a Python number'}"
        allowed = check.allowed(e[1], e[2], scale)
        for index, (x, y, limit) in enumerate(zip(g[1], e[1], allowed, strict=True)):
            if _far(x, y, limit):
                where = f" at flat index {index}" if len(e[1]) > 1 else ""
                return "wrong value", (f"expected {_short(e[1])}, got {_short(g[1])}"
                                       f" (first difference{where}: {y!r} vs {x!r}, "
                                       f"more than {limit:.3g} apart)")
        return None
    if isinstance(expected, dict) and "$tuple" in expected:
        items = got.get("$tuple") if isinstance(got, dict) and "$tuple" in got else got
        if not isinstance(items, list) or len(items) != len(expected["$tuple"]):
            return "wrong type", (f"expected a tuple of {len(expected['$tuple'])}, "
                                  f"got {_describe(got)}")
        scales = scale if isinstance(scale, tuple) else [scale] * len(items)
        for item_got, item_expected, item_scale in zip(items, expected["$tuple"], scales,
                                                       strict=True):
            if (problem := compare(item_got, item_expected, check, item_scale)) is not None:
                return problem
        return None
    if expected != got:
        return "wrong value", f"expected {_describe(expected)}, got {_describe(got)}"
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
