"""The strict decoder of kernel records (``autograder.wire``), rule by rule, without a kernel.

Each rejection rule gets a record that breaks it and nothing else; ``parse_outcomes``
must drop exactly that record. Round trips check that whatever the harness encodes
passes the decoder unchanged.
"""

import json

import numpy as np
import pytest

from autograder import harness
from autograder.wire import MalformedOutcome, parse_outcomes, validate

NONCE = "a1b2c3d4e5f60718"


def _line(record: dict) -> str:
    return f"{NONCE} {json.dumps(record)}"


def _array(dtype="float64", shape=(2,), data=(1.0, 2.0)) -> dict:
    return {"$array": {"dtype": dtype, "shape": list(shape), "data": list(data)}}


# --- validate: what plain data may be --------------------------------------------------------

@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, "text", [1, [2.0, None]],
    {"$float": "nan"}, {"$float": "inf"}, {"$float": "-inf"},
    _array(), _array("int8", (2, 1), (1, -2)), _array("bool", (1,), (True,)),
    _array("float32", (0, 3), ()), _array("float16", (2,), (1, {"$float": "nan"})),
    {"$scalar": {"dtype": "float32", "value": 1.5}},
    {"$scalar": {"dtype": "float64", "value": {"$float": "-inf"}}},
    {"$tuple": [1, _array()]}, {"$dict": [["a", 1], [2, [3]]]}, {"$object": "Thing"},
])
def test_plain_data_passes(value):
    validate(value)


@pytest.mark.parametrize(("value", "rule"), [
    ({"$array": {"dtype": "float64", "shape": [1]}}, "exactly dtype, shape and data"),
    ({"$array": [1.0]}, "exactly dtype, shape and data"),
    (_array(dtype="complex128"), "unsupported dtype"),
    (_array(dtype="object"), "unsupported dtype"),
    (_array(dtype=["float64"]), "unsupported dtype"),  # unhashable: rejected, not a crash
    ({"$array": {"dtype": "float64", "shape": 2, "data": [1.0, 2.0]}}, "list of sizes"),
    (_array(shape=(-2,)), "list of sizes"),
    (_array(shape=(True, 2)), "list of sizes"),
    (_array(shape=(2.0,)), "list of sizes"),
    (_array(shape=(3,)), "do not match its shape"),
    ({"$array": {"dtype": "float64", "shape": [1], "data": "1"}}, "do not match its shape"),
    (_array(data=(1.0, "2")), "other than float64"),
    (_array(data=(1.0, [2.0])), "other than float64"),
    (_array(data=(1.0, True)), "other than float64"),
    (_array(data=(1.0, {"$float": "1e400"})), "other than float64"),
    (_array("int64", data=(1, 2.5)), "other than int64"),
    (_array("uint8", data=(1, True)), "other than uint8"),
    (_array("bool", data=(True, 1)), "other than bool"),
    ({"$float": "0.5"}, "bad float tag"),
    ({"$float": 1.0}, "bad float tag"),
    ({"$scalar": {"dtype": "float64"}}, "bad scalar"),
    ({"$scalar": {"dtype": "complex64", "value": 1.0}}, "bad scalar"),
    ({"$scalar": {"dtype": {}, "value": 1.0}}, "bad scalar"),
    ({"$scalar": {"dtype": "float64", "value": {"$object": 1}}}, "bad object tag"),
    ({"$tuple": {"a": 1}}, "bad tuple"),
    ({"$tuple": [{"$eval": "1"}]}, "unknown tag"),
    ({"$dict": [[1, 2, 3]]}, "bad dict"),
    ({"$dict": {"a": 1}}, "bad dict"),
    ({"$object": ["x"]}, "bad object tag"),
    ({"$rng": 3}, "unknown tag"),
    ({"$array": _array()["$array"], "$float": "nan"}, "exactly one tag"),
    ({}, "exactly one tag"),
    (1 + 2j, "exactly one tag"),
    ([[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]], "nested too deeply"),
])
def test_each_rule_rejects_what_breaks_it(value, rule):
    with pytest.raises(MalformedOutcome, match=rule):
        validate(value)


# --- parse_outcomes: finding and reading records ---------------------------------------------

def test_a_well_formed_value_and_exception_come_back():
    text = "\n".join([_line({"id": "f/v0", "value": 1.5, "warnings": ["RuntimeWarning"]}),
                      _line({"id": "f/h0", "raised": "ValueError", "message": "bad",
                             "warnings": []})])
    assert parse_outcomes(text, NONCE, {"f/v0", "f/h0"}) == {
        "f/v0": {"value": 1.5, "warnings": ["RuntimeWarning"]},
        "f/h0": {"raised": "ValueError", "message": "bad", "warnings": []}}


@pytest.mark.parametrize("line", [
    f"{NONCE} " + '{"id": "f/v0", "value": NaN, "warnings": []}',        # JSON constant
    f"{NONCE} " + '{"id": "f/v0", "value": Infinity, "warnings": []}',
    f"{NONCE} " + '{"id": "f/v0", "value": 1.0, "warnings": []',          # not JSON
    _line(["f/v0", 1.0]),                                                  # not an object
    _line({"value": 1.0, "warnings": []}),                                 # no id
    _line({"id": 7, "value": 1.0, "warnings": []}),                        # id not text
    _line({"id": "f/v0", "value": 1.0, "warnings": "RuntimeWarning"}),     # warnings not list
    _line({"id": "f/v0", "value": 1.0, "warnings": [1]}),
    _line({"id": "f/v0", "value": 1.0, "warnings": [], "points": 5}),      # extra field
    _line({"id": "f/v0", "warnings": []}),                                 # neither
    _line({"id": "f/v0", "raised": "E", "warnings": []}),                  # no message
    _line({"id": "f/v0", "raised": 1, "message": "", "warnings": []}),
    _line({"id": "f/v0", "raised": "E", "message": None, "warnings": []}),
    _line({"id": "f/v0", "value": {"$eval": "1"}, "warnings": []}),        # bad value
    _line({"id": "f/v0", "value": [[[[[[[[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]]]]]]],
           "warnings": []}),
    "0000000000000000 " + json.dumps({"id": "f/v0", "value": 1.0, "warnings": []}),
    f"x{NONCE} " + json.dumps({"id": "f/v0", "value": 1.0, "warnings": []}),
    f"{NONCE}" + json.dumps({"id": "f/v0", "value": 1.0, "warnings": []}),  # no space
    f"{NONCE} " + "[" * 100_000 + "]" * 100_000,                           # recursion
])
def test_a_record_that_breaks_a_rule_is_dropped(line):
    assert parse_outcomes(line, NONCE, {"f/v0"}) == {}


def test_a_record_over_the_size_limit_is_dropped():
    huge = _line({"id": "f/v0", "value": "x" * 8_000_001, "warnings": []})
    assert parse_outcomes(huge, NONCE, {"f/v0"}) == {}


def test_records_of_cases_not_sent_and_cases_answered_twice_are_dropped():
    once = _line({"id": "f/v0", "value": 1.0, "warnings": []})
    twice = _line({"id": "f/v1", "value": 2.0, "warnings": []})
    stranger = _line({"id": "f/h9", "value": 3.0, "warnings": []})
    found = parse_outcomes("\n".join([once, twice, twice, stranger]), NONCE, {"f/v0", "f/v1"})
    assert found == {"f/v0": {"value": 1.0, "warnings": []}}


def test_long_names_and_messages_are_cut():
    line = _line({"id": "f/v0", "raised": "E" * 500, "message": "m" * 500, "warnings": []})
    outcome = parse_outcomes(line, NONCE, {"f/v0"})["f/v0"]
    assert (len(outcome["raised"]), len(outcome["message"])) == (100, 300)


def test_records_are_found_among_the_learners_text():
    """A record written as the harness writes it survives text before and after it."""
    record = harness.record(NONCE, "f/v0", {"value": 2.0, "warnings": []})
    text = "progress . . ." + record + "done, no newline" + record.replace("v0", "v1")
    assert parse_outcomes(text, NONCE, {"f/v0", "f/v1"}) == {
        "f/v0": {"value": 2.0, "warnings": []}, "f/v1": {"value": 2.0, "warnings": []}}


# --- round trips: what the harness encodes, the decoder accepts unchanged ---------------------

@pytest.mark.parametrize("value", [
    np.arange(6, dtype=np.float32).reshape(2, 3), np.array([np.nan, np.inf, -np.inf, 0.5]),
    np.arange(4, dtype=np.uint16), np.array([True, False]), np.zeros((0, 2)),
    np.float32(0.25), np.int64(-3), np.bool_(True), 7, -0.5, float("nan"), "text", None,
    (1, np.ones(2)), [np.int8(1), [2.0]], {"a": np.float64(1.0)}, iter([1, 2]), object(),
    np.array([1 + 1j]), np.array(["a"]), np.longdouble(1.5),
])
def test_whatever_the_harness_encodes_passes_the_decoder(value):
    encoded = harness.encode(value)
    record = harness.record(NONCE, "f/v0", {"value": encoded, "warnings": []})
    assert parse_outcomes(record, NONCE, {"f/v0"}) == {"f/v0": {"value": json.loads(
        json.dumps(encoded)), "warnings": []}}
