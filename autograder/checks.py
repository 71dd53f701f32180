"""Comparisons for hidden tests that a learner's notebook cannot fool.

A student cell runs in the same Python process as the tests that grade it,
so it can rebind ``np.allclose``, ``np.isclose``, ``np.testing.assert_allclose``,
``np.abs``... and make every test that relies on them pass. The helpers here
defend in two ways:

* values are compared in pure Python (``ndarray.tolist()`` and arithmetic
  operators; methods of ``ndarray`` cannot be monkeypatched), never with a
  NumPy function the notebook could have replaced;
* when this module is imported before any student code runs (the grader's
  kernel does so at start-up, see :mod:`autograder.kernel`), it records every
  function of NumPy and ``math``; each check first verifies that none was
  replaced, so reference values computed with NumPy can be trusted.

Every failure is an ``AssertionError`` whose message says what was checked,
what was expected, what was got and where the book explains it.
"""

import math
import types
import warnings
from collections.abc import Callable
from contextlib import contextmanager

import numpy
import numpy.linalg
import numpy.random
import numpy.testing

__all__ = ["assert_close", "assert_dtype", "assert_untampered", "call_quietly", "fail"]

_WATCHED = (numpy, numpy.linalg, numpy.random, numpy.testing, math)


def _snapshot() -> dict[tuple[str, str], object]:
    """Record every callable attribute of the watched modules."""
    return {
        (module.__name__, name): value
        for module in _WATCHED
        for name, value in vars(module).items()
        if callable(value) and not isinstance(value, types.ModuleType)
    }


_ORIGINALS = _snapshot()
# Bound once, so the checks below use the functions as they were at import.
_isfinite = math.isfinite
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_errstate = numpy.errstate
_ndarray = numpy.ndarray


def fail(message: str) -> None:
    """Raise the ``AssertionError`` that marks a failed test.

    Parameters
    ----------
    message : str
        What was expected, what was got, and where the book explains it.
    """
    raise AssertionError(message)


def assert_untampered() -> None:
    """Fail when the notebook replaced a function of NumPy or ``math``.

    Raises
    ------
    AssertionError
        Naming the first replaced function.
    """
    modules = {module.__name__: module for module in _WATCHED}
    for (module_name, name), original in _ORIGINALS.items():
        if getattr(modules[module_name], name, None) is not original:
            fail(
                f"the notebook replaced {module_name}.{name}; graded tests cannot trust a "
                "modified library. Remove the cell that assigns to it and run the notebook again."
            )


def _plain(value) -> object:
    """Turn an array, NumPy scalar or nested sequence into Python floats and lists."""
    if isinstance(value, _ndarray) or hasattr(value, "__cuda_array_interface__"):
        return value.tolist()
    if hasattr(value, "item") and hasattr(value, "dtype"):  # NumPy scalar
        return value.item()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _shape(plain) -> tuple[int, ...]:
    """Shape of a value made of nested lists (ragged lists are reported by their first row)."""
    shape = []
    while isinstance(plain, list):
        shape.append(len(plain))
        plain = plain[0] if plain else None
    return tuple(shape)


def _flatten(plain) -> list:
    """All entries of a nested list, in row-major order, with their indices."""
    if not isinstance(plain, list):
        return [((), plain)]
    return [((i, *index), entry) for i, row in enumerate(plain) for index, entry in _flatten(row)]


def _short(plain) -> str:
    """Format a value for a message, cut to a readable length."""
    text = repr(plain)
    return text if len(text) <= 120 else text[:117] + "..."


def _mismatch(got: float, expected: float, rtol: float, atol: float) -> bool:
    """Tell whether ``got`` is farther than ``atol + rtol * |expected|`` from ``expected``."""
    if not isinstance(got, int | float) or isinstance(got, bool):
        return True
    if not (_isfinite(got) and _isfinite(expected)):
        return not got == expected  # NaN is never close; infinities must match exactly
    difference = got - expected
    magnitude = expected if expected >= 0 else -expected
    return (difference if difference >= 0 else -difference) > atol + rtol * magnitude


def assert_close(got, expected, *, what: str, see: str, rtol: float = 1e-6, atol: float = 1e-9):
    """Fail unless ``got`` has ``expected``'s shape and every entry is close to it.

    Parameters
    ----------
    got : array, scalar or nested sequence
        The learner's value.
    expected : array, scalar or nested sequence
        The reference value.
    what : str
        What is being checked, e.g. ``"mse should average over all entries"``.
    see : str
        Where the book explains it, e.g. ``"Chapter 1, 'The linear model' (#ch01-linear-model)"``.
    rtol, atol : float
        Relative and absolute tolerance: ``|got - expected| <= atol + rtol * |expected|``.

    Raises
    ------
    AssertionError
        With the expected and the actual value (or shape, or the first differing entry).
    """
    assert_untampered()
    if got is None:
        fail(f"{what} (expected {_short(_plain(expected))}, got None: is a `return` missing?) "
             f"— see {see}")
    got_plain, expected_plain = _plain(got), _plain(expected)
    got_shape, expected_shape = _shape(got_plain), _shape(expected_plain)
    if got_shape != expected_shape:
        fail(f"{what} (expected shape {expected_shape}, got shape {got_shape}) — see {see}")
    pairs = zip(_flatten(got_plain), _flatten(expected_plain), strict=True)
    for (index, got_entry), (_, expected_entry) in pairs:
        if _mismatch(got_entry, expected_entry, rtol, atol):
            if not index:
                fail(f"{what} (expected {_short(expected_plain)}, got {_short(got_plain)}) "
                     f"— see {see}")
            fail(f"{what} (at index {index}: expected {expected_entry!r}, got {got_entry!r}; "
                 f"expected {_short(expected_plain)}, got {_short(got_plain)}) — see {see}")


def assert_dtype(got, dtype, *, what: str, see: str) -> None:
    """Fail unless ``got`` is an array of the given dtype.

    Parameters
    ----------
    got : array
        The learner's value.
    dtype : dtype-like
        The expected dtype, e.g. ``numpy.float32``.
    what : str
        What is being checked.
    see : str
        Where the book explains it.

    Raises
    ------
    AssertionError
        When ``got`` is not an array or has another dtype.
    """
    assert_untampered()
    expected = numpy.dtype(dtype)
    got_dtype = getattr(got, "dtype", None)
    if got_dtype != expected:
        fail(f"{what} (expected dtype {expected}, got {got_dtype or type(got).__name__}) "
             f"— see {see}")


@contextmanager
def _strict_floating_point():
    """Turn overflow, division by zero, invalid operations and warnings into exceptions.

    Underflow (``exp(-1000)`` becoming 0) is harmless and stays allowed.
    """
    with _catch_warnings():
        _simplefilter("error")
        with _errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield


def call_quietly(function: Callable, *args, what: str, see: str):
    """Call ``function(*args)`` and fail if it overflows, divides by zero or warns.

    Nothing reaches stderr: warnings are raised as errors inside the call and
    reported through the ``AssertionError`` (nbgrader gives no points to a test
    cell that writes to stderr, even one that passes).

    Parameters
    ----------
    function : callable
        The learner's function.
    *args
        Its arguments.
    what : str
        What is being checked, e.g. ``"sigmoid(1000) must not overflow"``.
    see : str
        Where the book explains it.

    Returns
    -------
    result : object
        What ``function`` returned.

    Raises
    ------
    AssertionError
        When the call raised a floating-point error or a warning.
    """
    assert_untampered()
    try:
        with _strict_floating_point():
            return function(*args)
    except (FloatingPointError, ArithmeticError, Warning) as err:
        fail(f"{what} (expected no floating-point warning, got {type(err).__name__}: {err}) "
             f"— see {see}")
