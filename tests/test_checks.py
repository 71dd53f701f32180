"""autograder.checks: each comparison, branch by branch, on values encoded as the harness does."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from autograder.checks import Close, Rounding, Within, compare, unit_roundoff
from autograder.harness import encode


def _case(*args, **inputs):
    """The part of a case a check reads: its inputs."""
    return SimpleNamespace(args=args, inputs=inputs)


def test_unit_roundoff_per_dtype():
    assert unit_roundoff("float32") == 2.0 ** -24
    assert unit_roundoff("float64") == unit_roundoff(None) == 2.0 ** -53
    assert unit_roundoff("float16") == 2.0 ** -11
    assert unit_roundoff("int64") == 0.0


@pytest.mark.parametrize(("got", "kind"), [
    (np.array([1.0, 2.0]), None),
    (np.array([1.0, 2.0 + 1e-3]), "wrong value"),
    (np.array([1.0, 2.0, 3.0]), "wrong shape"),
    ("text", "wrong type"),
    (np.array([1.0, 2.0], dtype=np.float32), None),   # dtype not asked for
])
def test_close(got, kind):
    problem = compare(encode(got), encode(np.array([1.0, 2.0])), Close())
    assert (problem and problem[0]) == kind


def test_close_dtype_is_its_own_check():
    expected = encode(np.array([1.0, 2.0], dtype=np.float32))
    assert compare(encode(np.array([1.0, 2.0])), expected, Close(dtype=True)) == (
        "wrong dtype", "expected dtype float32, got float64")
    assert compare(encode(np.float32(1.0)), encode(1.0), Close(dtype=True)) is None
    # a value error never reads as a dtype error
    problem = compare(encode(np.array([1.0, 3.0], dtype=np.float32)), expected, Close(dtype=True))
    assert problem[0] == "wrong value"
    assert compare(encode(1.0), encode(np.float32(1.0)), Close(dtype=True))[1] == (
        "expected dtype float32, got a Python number")


def test_close_relative_and_absolute_parts():
    check = Close(rtol=1e-3, atol=1e-6)
    assert compare(encode(1000.9), encode(1000.0), check) is None
    assert compare(encode(1001.1), encode(1000.0), check)[0] == "wrong value"
    assert compare(encode(5e-7), encode(0.0), check) is None
    assert compare(encode(2e-6), encode(0.0), check)[0] == "wrong value"


@pytest.mark.parametrize(("got", "expected", "same"), [
    (math.nan, math.nan, True), (math.nan, 1.0, False), (1.0, math.nan, False),
    (math.inf, math.inf, True), (-math.inf, math.inf, False), (1e308, math.inf, False),
])
def test_non_finite_values_must_match_exactly(got, expected, same):
    assert (compare(encode(got), encode(expected), Close()) is None) == same


def test_the_message_names_the_first_difference_and_the_allowed_gap():
    kind, detail = compare(encode(np.array([1.0, 5.0])), encode(np.array([1.0, 2.0])), Close())
    assert kind == "wrong value"
    assert "at flat index 1" in detail and "2.0 vs 5.0" in detail and "apart" in detail
    long = compare(encode(np.arange(100.0) + 1), encode(np.arange(100.0)), Close())[1]
    assert "..." in long


def test_tuples_compare_item_by_item():
    expected = encode((np.array([1.0]), 2.0))
    assert compare(encode((np.array([1.0]), 2.0)), expected, Close()) is None
    assert compare(encode([np.array([1.0]), 2.0]), expected, Close()) is None  # a list will do
    assert compare(encode((np.array([1.0]), 3.0)), expected, Close())[0] == "wrong value"
    assert compare(encode((1.0,)), expected, Close()) == (
        "wrong type", "expected a tuple of 2, got a tuple")
    assert compare(encode(1.0), encode((1.0, 2.0)), Close())[0] == "wrong type"


@pytest.mark.parametrize(("got", "expected", "problem"), [
    (True, True, None), ("a", "a", None), (None, None, None),
    (False, True, "wrong value"), ("b", "a", "wrong value"),
    ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], None),
    ([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0, 4.0]], "wrong type"),       # ragged: not numbers
    ([], [], None),
])
def test_plain_values(got, expected, problem):
    found = compare(encode(got), encode(expected), Close())
    assert (found and found[0]) == problem


def test_scalars_dicts_and_objects_are_described():
    assert compare(encode(np.float64(2.0)), encode(2.0), Close()) is None
    assert compare(encode({"a": 1}), encode({"a": 2}), Close())[1] == (
        "expected a dict, got a dict")
    assert compare(encode(object()), encode(1.0), Close())[1] == (
        "expected a number or array, got an object of type object")
    assert compare(encode("x" * 100), encode(1.0), Close())[1].endswith("...")


# --- Rounding: a bound that grows with the magnitudes summed, per dtype ----------------------

def _magnitudes(x, w):
    return np.abs(x) @ np.abs(w)


def test_rounding_allows_the_error_of_any_order_of_a_cancelling_sum():
    # 1e8 + 1 - 1e8 in float32: 0 or 1 depending on the order; a relative tolerance fails one
    x = np.array([[1e8, 1.0, -1e8]], dtype=np.float32)
    w = np.ones((3, 1), dtype=np.float32)
    first, last = (x[:, :2].sum() + x[0, 2]), (x[0, 0] + x[0, 2]) + x[0, 1]
    assert (first, last) == (0.0, 1.0)
    check, case = Rounding(_magnitudes, n=3, dtype=True), _case(x, w)
    for ordered in (first, last):
        got, other = encode(np.array([[ordered]])), encode(np.array([[first + last - ordered]]))
        assert compare(got, other, check, check.scales(case)) is None
        assert compare(got, other, Close(rtol=1e-5))[0] == "wrong value"
    bound = check.allowed([0.0], "float32", [2e8 + 1])[0]     # 2 gamma_3 (2e8 + 1): 71.5
    assert 70 < bound < 72
    assert compare(encode(np.array([[bound * 1.01]])), encode(np.array([[0.0]])), check,
                   check.scales(case))[0] == "wrong value"


def test_rounding_bound_is_2_gamma_n_times_the_scale():
    check = Rounding(_magnitudes, n=4)
    u = 2.0 ** -24
    assert check.allowed([0.0, 0.0], "float32", [1.0, 10.0]) == pytest.approx(
        [2 * 4 * u / (1 - 4 * u), 20 * 4 * u / (1 - 4 * u)])
    assert check.allowed([0.0], "float64", [1.0])[0] < 1e-15
    assert check.allowed([0.0], "int64", [1.0]) == [0.0]          # integers are exact


def test_rounding_scales_tuples_item_by_item():
    def parts(a):
        return np.abs(a), 10.0 * np.abs(a)
    check = Rounding(parts, n=2)
    case = _case(np.array([1.0, 1.0]))
    expected = encode((np.array([0.0, 0.0]), np.array([0.0, 0.0])))
    slightly = 2 * 2.0 ** -53 * 5                   # within 2 gamma_2 * 10, beyond * 1
    assert compare(encode((np.array([0.0, 0.0]), np.array([slightly, 0.0]))), expected, check,
                   check.scales(case)) is None
    assert compare(encode((np.array([slightly, 0.0]), np.array([0.0, 0.0]))), expected, check,
                   check.scales(case))[0] == "wrong value"


def test_rounding_scale_gets_program_inputs_by_name():
    check = Rounding(lambda x, w: np.abs(x) * np.abs(w), n=1)
    assert check.scales(_case(x=np.array([-2.0]), w=np.array([3.0]))) == [6.0]


def test_tolerance_for_the_notebook():
    assert Close(rtol=1e-4, atol=1e-7).tolerance(_case(), encode(1.0)) == (1e-4, 1e-7)
    check = Rounding(_magnitudes, n=2)
    x, w = np.array([[1.0, -3.0]], dtype=np.float32), np.array([[1.0], [1.0]], dtype=np.float32)
    rtol, atol = check.tolerance(_case(x, w), encode(x @ w))
    assert rtol == 0.0
    assert atol == pytest.approx(check.allowed([0.0], "float32", [4.0])[0])
    pair = Rounding(lambda a: (np.abs(a), 3 * np.abs(a)), n=2)
    assert pair.tolerance(_case(np.array([1.0])), encode((np.array([0.0]), np.array([0.0]))))[
        1] == pytest.approx(pair.allowed([0.0], "float64", [3.0])[0])


# --- Within: a measured number against a stated range ---------------------------------------

@pytest.mark.parametrize(("value", "kind"), [
    (0.95, None), (0.5, "not reached"), (1.5, "not reached"), (math.nan, "wrong value"),
    (np.array([0.9, 0.95]), "wrong type"), ("high", "wrong type"),
])
def test_within_a_range(value, kind):
    found = compare(encode(value), None, Within(0.9, 1.0, "accuracy"))
    assert (found and found[0]) == kind


def test_within_one_side_only():
    assert compare(encode(100.0), None, Within(low=1.0)) is None
    assert compare(encode(-100.0), None, Within(high=1.0)) is None
    assert "below the required 1" in compare(encode(0.5), None, Within(low=1.0))[1]
    assert "above the allowed 1" in compare(encode(2.0), None, Within(high=1.0))[1]


def test_within_measures_in_the_grader():
    labels = np.array([0.0, 1.0, 1.0, 0.0])
    accuracy = Within(low=0.75, what="accuracy", measure=lambda p: float(np.mean(p == labels)))
    assert compare(encode(np.array([0.0, 1.0, 1.0, 1.0])), None, accuracy) is None
    assert compare(encode(np.array([1.0, 0.0, 1.0, 1.0])), None, accuracy)[0] == "not reached"
    assert compare(encode("all right"), None, accuracy)[0] == "wrong type"
    shaped = Within(low=0.0, measure=lambda p: float(p.reshape(2, 2)[1, 1]))
    assert compare(encode(np.zeros(3)), None, shaped)[0] == "wrong shape"
