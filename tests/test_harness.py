"""The in-kernel harness (``autograder.harness``), branch by branch, in this process.

Encoding must read values from their data, never from what a subclass says of
itself; calls must keep the learner's prints out of the output; records must
stay whole whatever the learner printed before them.
"""

import io
import json
import warnings

import numpy as np
import pytest

from autograder import harness
from autograder.harness import MAX_ITEMS, Rng, decode, encode, outcome, record, run, stand_ins
from autograder.wire import parse_outcomes


class LyingArray(np.ndarray):
    """Float64 data that claims another dtype, shape and contents."""

    dtype = property(lambda self: np.dtype(np.float32))
    shape = property(lambda self: (1,))

    def tolist(self):
        return [0.0]

    def ravel(self, *args, **kwargs):
        return np.zeros(1)


class LyingScalar(np.float64):
    dtype = property(lambda self: np.dtype(np.float32))

    def item(self):
        return 0.0


class LyingFloat(float):
    def __float__(self):
        return 0.0


class LyingInt(int):
    def __int__(self):
        return 0


class LyingStr(str):
    def __str__(self):
        return "lie"


# --- encode ----------------------------------------------------------------------------------

def test_an_array_subclass_is_read_from_its_data():
    lying = np.arange(4.0).reshape(2, 2).view(LyingArray)
    assert (lying.dtype, lying.shape) == (np.float32, (1,))  # what it claims
    assert encode(lying) == {"$array": {"dtype": "float64", "shape": [2, 2],
                                        "data": [0.0, 1.0, 2.0, 3.0]}}


def test_a_scalar_subclass_is_read_from_its_data():
    assert encode(LyingScalar(2.5)) == {"$scalar": {"dtype": "float64", "value": 2.5}}


@pytest.mark.parametrize(("value", "expected"), [
    (LyingFloat(3.5), 3.5), (LyingInt(4), 4), (LyingStr("truth"), "truth")])
def test_builtin_subclasses_are_read_by_the_base_type(value, expected):
    encoded = encode(value)
    assert encoded == expected and type(encoded) is type(expected)


@pytest.mark.parametrize(("value", "expected"), [
    (np.array([1, 2], dtype=np.int16), {"$array": {"dtype": "int16", "shape": [2],
                                                   "data": [1, 2]}}),
    (np.array([[True]]), {"$array": {"dtype": "bool", "shape": [1, 1], "data": [True]}}),
    (np.array([np.nan, -np.inf, 1.0], dtype=np.float32),
     {"$array": {"dtype": "float32", "shape": [3],
                 "data": [{"$float": "nan"}, {"$float": "-inf"}, 1.0]}}),
    (np.array(2.0), {"$array": {"dtype": "float64", "shape": [], "data": [2.0]}}),
    (np.int8(-3), {"$scalar": {"dtype": "int8", "value": -3}}),
    (np.float16(np.inf), {"$scalar": {"dtype": "float16", "value": {"$float": "inf"}}}),
    (np.bool_(False), False), (True, True), (None, None), (7, 7), (float("nan"), {"$float": "nan"}),
    ("x" * 1000, "x" * 1000), ("x" * 1001, {"$object": "str"}),
    (np.array([1j]), {"$object": "an array of dtype complex128"}),
    (np.array(["a"]), {"$object": "an array of dtype str32"}),
    (np.complex64(1), {"$object": "a NumPy scalar of dtype complex64"}),
    ((1, [2.0]), {"$tuple": [1, [2.0]]}),
    ({"k": (1,)}, {"$dict": [["k", {"$tuple": [1]}]]}),
    (iter([1, 2]), [1, 2]), (object(), {"$object": "object"}),
    (Rng(5), {"$rng": 5}),
])
def test_encode_each_kind(value, expected):
    assert encode(value) == expected


def test_huge_outputs_are_cut_to_max_items():
    assert len(encode(np.zeros(MAX_ITEMS + 5))["$array"]["data"]) == MAX_ITEMS
    assert len(encode([0] * (MAX_ITEMS + 5))) == MAX_ITEMS
    assert len(encode((0,) * (MAX_ITEMS + 5))["$tuple"]) == MAX_ITEMS
    assert len(encode(dict.fromkeys(range(MAX_ITEMS + 5), 0))["$dict"]) == MAX_ITEMS
    assert len(encode(iter(range(MAX_ITEMS + 5)))) == MAX_ITEMS


# --- decode ----------------------------------------------------------------------------------

def test_decode_inverts_encode_for_inputs():
    value = (np.arange(6, dtype=np.float32).reshape(2, 3), np.int8(3), [1.5, float("inf")],
             {"a": np.array([True])})
    back = decode(json.loads(json.dumps(encode(value))))
    assert isinstance(back, tuple) and back[0].dtype == np.float32
    np.testing.assert_array_equal(back[0], value[0])
    assert type(back[1]) is np.int8 and back[1] == 3
    assert back[2] == [1.5, float("inf")]
    assert back[3]["a"].dtype == bool and back[3]["a"][0]


def test_decode_gives_each_rng_a_fresh_generator():
    first, second = decode([encode(Rng(3)), encode(Rng(3))])
    assert first is not second and first.normal() == second.normal()
    assert repr(Rng(3)) == "np.random.default_rng(3)"


def test_decode_refuses_an_unknown_tag():
    with pytest.raises(ValueError, match="unknown tag"):
        decode({"$eval": "1"})


# --- stand_ins and calls ---------------------------------------------------------------------

def test_stand_ins_rebinds_and_restores_globals():
    namespace = {"helper": "original"}
    exec("def f():\n    return helper", namespace)
    with stand_ins(namespace["f"], helper="stand-in", extra=1):
        assert namespace["f"]() == "stand-in" and namespace["extra"] == 1
    assert namespace["helper"] == "original" and "extra" not in namespace


def _case(**fields):
    return {"id": "f/v0", "call": "f", "args": [], "kwargs": {}, "program": None,
            "strict_fp": False, **fields}


def test_outcome_of_a_value_a_program_and_warnings():
    def f(x):
        warnings.warn("careful", UserWarning, stacklevel=2)
        return x * 2

    assert outcome(_case(args=[encode(np.ones(2))]), {"f": f}) == {
        "value": encode(np.full(2, 2.0)), "warnings": ["UserWarning"]}
    namespace = {"g": lambda: 0}
    exec("def f(x):\n    return x + g()", namespace)
    program = _case(program="with stand_ins(f, g=lambda: 3):\n    result = f(k)",
                    kwargs={"k": 1})
    assert outcome(program, namespace)["value"] == 4


@pytest.mark.parametrize(("function", "raised", "message"), [
    (None, "NameError", "f is not defined"),
    (lambda: {}["f"], "NameError", "f is not defined"),  # indistinguishable, as before
    (lambda: {}["g"], "KeyError", "'g'"),
    (lambda: int("x"), "ValueError", "invalid literal for int() with base 10: 'x'"),
])
def test_outcome_names_the_exception(function, raised, message):
    namespace = {} if function is None else {"f": function}
    assert outcome(_case(), namespace) == {"raised": raised, "message": message, "warnings": []}


def test_an_exception_whose_message_cannot_be_read_is_still_an_outcome():
    class Unreadable(Exception):
        def __str__(self):
            raise RuntimeError("no")

    def f():
        raise Unreadable

    assert outcome(_case(), {"f": f}) == {"raised": "Unreadable", "message": "", "warnings": []}


def test_strict_floating_point_turns_overflow_into_an_exception():
    def f():
        return np.exp(np.array([1000.0]))

    assert outcome(_case(strict_fp=True), {"f": f})["raised"] == "FloatingPointError"
    with np.errstate(over="ignore"):
        assert outcome(_case(), {"f": f})["value"]["$array"]["data"] == [{"$float": "inf"}]


def test_what_the_learner_prints_during_a_call_is_dropped(capsys):
    def f():
        print("dots", end="")
        return 1

    assert outcome(_case(), {"f": f}) == {"value": 1, "warnings": []}
    assert capsys.readouterr().out == ""


# --- records ---------------------------------------------------------------------------------

def test_a_record_is_a_line_of_its_own():
    text = record("n0nce", "f/v0", {"value": 1.0, "warnings": []})
    assert text == '\nn0nce {"id": "f/v0", "value": 1.0, "warnings": []}\n'
    with pytest.raises(ValueError):  # NaN never leaves unencoded
        record("n0nce", "f/v0", {"value": float("nan"), "warnings": []})


class _Writes(io.StringIO):
    """A stdout that remembers each write, as a learner's thread would interleave them."""

    def __init__(self):
        super().__init__()
        self.writes = []

    def write(self, text):
        self.writes.append(text)
        return super().write(text)


def test_run_writes_each_record_whole_after_the_learners_text(monkeypatch):
    out = _Writes()
    monkeypatch.setattr(harness.sys, "stdout", out)
    namespace = {"f": lambda: print("working", end=" ") or 1.5,
                 "g": lambda: print(". . .", end="")}
    out.write("set up, no newline")
    cases = [_case(), _case(id="g/v0", call="g")]
    run("n0nce", json.dumps(cases), namespace)
    records = [w for w in out.writes if "n0nce" in w]
    assert len(records) == 2 and all(w.startswith("\nn0nce ") for w in records)
    assert "working" not in out.getvalue() and ". . ." not in out.getvalue()
    assert parse_outcomes(out.getvalue(), "n0nce", {"f/v0", "g/v0"}) == {
        "f/v0": {"value": 1.5, "warnings": []}, "g/v0": {"value": None, "warnings": []}}
