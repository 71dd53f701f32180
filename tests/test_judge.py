"""autograder.judge: each branch of a case's verdict, and a part's points and message."""

import numpy as np
import pytest

from autograder.judge import judge_part, reference_outcomes
from autograder.manifest import Assignment, Case, Close, ManifestError, Part, Section, Within, load
from autograder.mistakes import outcomes_of

SECTION = Section("ch00-toy", "Chapter 0, 'A toy'")


def scale(x, factor):
    """Return factor * x; refuse a negative factor."""
    if factor < 0:
        raise ValueError("factor must be >= 0")
    return np.asarray(x) * factor


VISIBLE = (
    Case("scale([1, 2], 3)", (np.array([1.0, 2.0]), 3.0)),
    Case("scale rejects a negative factor", (np.array([1.0]), -1.0), raises=ValueError),
)


def _hidden(rng):
    yield Case("scale of a random vector", (rng.normal(size=3), 2.0))
    yield Case("scale of float32 keeps float32", (np.ones(2, dtype=np.float32), np.float32(2.0)),
               check=Close(dtype=True))


PART = Part("scale", 2, SECTION, scale, VISIBLE, _hidden)
TOY = Assignment("ch00_toy", "toy.ipynb", (PART,))


@pytest.fixture
def run():
    cases = TOY.cases(seed=1)
    return cases["scale"], reference_outcomes(TOY, cases)


def _value(value, warnings=()):
    from autograder.harness import encode
    return {"value": encode(value), "warnings": list(warnings)}


def _raised(name, message=""):
    return {"raised": name, "message": message, "warnings": []}


def _right(cases, expected):
    return {case_id: expected[case_id] for case_id, _ in cases}


def test_the_references_outcomes_pass(run):
    cases, expected = run
    verdict = judge_part(PART, cases, _right(cases, expected), expected)
    assert verdict.passed and verdict.points == 2.0 and verdict.message == ""
    assert verdict.passed_cases == verdict.total_cases == 4


@pytest.mark.parametrize(("case_id", "outcome", "words"), [
    ("scale/v0", None, "the call did not finish"),
    ("scale/v1", _raised("TypeError"), "expected ValueError, got TypeError"),
    ("scale/v1", _value(np.array([-1.0])), "expected ValueError to be raised, got a value"),
    ("scale/v0", _raised("ZeroDivisionError", "oops"), "ZeroDivisionError: oops"),
    ("scale/v0", _value(np.array([3.0, 7.0])), "first difference at flat index 1"),
])
def test_a_visible_failure_says_what_and_why(run, case_id, outcome, words):
    cases, expected = run
    outcomes = _right(cases, expected)
    outcomes[case_id] = outcome
    if outcome is None:
        del outcomes[case_id]
    verdict = judge_part(PART, cases, outcomes, expected)
    assert verdict.points == 0.0 and verdict.passed_cases == 3
    what = dict(cases)[case_id].what
    assert verdict.message.startswith(what) and words in verdict.message
    assert str(SECTION) in verdict.message


def test_a_hidden_failure_hides_inputs_and_values(run):
    cases, expected = run
    outcomes = _right(cases, expected)
    outcomes["scale/h0"] = _value(np.array([1e6, 1e6, 1e6]))
    message = judge_part(PART, cases, outcomes, expected).message
    assert message.startswith("a hidden case failed (wrong value): scale of a random vector")
    assert "1000000" not in message and "expected" not in message


def test_a_hidden_dtype_failure_names_the_dtypes_only(run):
    cases, expected = run
    outcomes = _right(cases, expected)
    outcomes["scale/h1"] = _value(np.array([2.0, 2.0]))               # float64
    message = judge_part(PART, cases, outcomes, expected).message
    assert message.startswith("a hidden case failed (wrong dtype: expected dtype float32, "
                              "got float64): scale of float32 keeps float32")
    outcomes["scale/h1"] = _value(np.array([2.0, 3.0], dtype=np.float32))
    assert "(wrong value)" in judge_part(PART, cases, outcomes, expected).message


def test_strict_cases_fail_on_warnings_only_when_strict(run):
    cases, expected = run
    outcomes = _right(cases, expected)
    outcomes["scale/v0"] = {**outcomes["scale/v0"], "warnings": ["RuntimeWarning"]}
    assert judge_part(PART, cases, outcomes, expected).passed
    strict = [(case_id, Case(case.what, case.args, strict_fp=True)) if case_id == "scale/v0"
              else (case_id, case) for case_id, case in cases]
    message = judge_part(PART, strict, outcomes, expected).message
    assert "emitted RuntimeWarning" in message


def test_the_first_failure_is_the_message_and_every_case_is_counted(run):
    cases, expected = run
    outcomes = {case_id: _raised("ValueError") for case_id, _ in cases}
    verdict = judge_part(PART, cases, outcomes, expected)
    assert verdict.passed_cases == 1 and verdict.total_cases == 4     # only v1 expects it
    assert verdict.message.startswith("scale([1, 2], 3) (ValueError")


def test_forged_exceptions_earn_only_the_declared_case(run):
    # a kernel that claims every case raised what some reference might raise
    cases, expected = run
    forged = {case_id: _raised("ValueError") for case_id, _ in cases}
    assert not judge_part(PART, cases, forged, expected).passed


def test_reference_outcomes_refuse_an_undeclared_exception():
    def hidden(rng):
        yield Case("scale with a negative factor, not declared",
                   (np.ones(2), -float(rng.uniform(1, 2))))
    part = Part("scale", 1, SECTION, scale, VISIBLE, lambda rng: iter(()))
    toy = Assignment("ch00_toy", "toy.ipynb", (part,))
    broken = Part("scale", 1, SECTION, scale, VISIBLE, hidden)
    cases = {"scale": [("scale/h0", next(hidden(np.random.default_rng(0))))]}
    with pytest.raises(ManifestError, match=r"case scale/h0 .*the reference raised ValueError"):
        reference_outcomes(toy, cases)
    with pytest.raises(ManifestError, match="declare raises=ValueError"):
        Assignment("ch00_toy", "toy.ipynb", (broken,))


def test_an_experiment_is_judged_by_its_stated_range():
    def accuracy(labels):
        return float(np.mean(labels == np.array([0.0, 1.0, 1.0, 1.0])))
    case = Case("predict labels", (np.array([0.0, 1.0, 1.0, 1.0]), 1.0),
                check=Within(low=0.75, what="accuracy", measure=accuracy))
    part = Part("scale", 1, SECTION, scale, (case,), lambda rng: iter(()), kind="experiment")
    expected = reference_outcomes(Assignment("ch00_toy", "toy.ipynb", (part,)),
                                  {"scale": [("scale/v0", case)]})
    good = {"scale/v0": _value(np.array([1.0, 1.0, 1.0, 1.0]))}      # 3 of 4 right
    bad = {"scale/v0": _value(np.array([1.0, 0.0, 0.0, 1.0]))}       # 1 of 4 right
    assert judge_part(part, [("scale/v0", case)], good, expected).passed
    assert "accuracy is 0.25, below the required 0.75" in judge_part(
        part, [("scale/v0", case)], bad, expected).message


def test_the_ring_experiment_forgives_one_unlucky_task_of_three():
    """Chapter 6's experiment trains on three hidden tasks and judges the median accuracy."""
    assignment = load("ch06_backprop")
    part = next(p for p in assignment.parts if p.name == "train_classifier")
    hidden = [(case_id, case) for case_id, case in assignment.cases(0)[part.name]
              if "/h" in case_id]
    expected = outcomes_of(part, hidden, part.namespace())

    def failing_first(k):
        calls = []

        def train_classifier(X, y, X_test, rng):
            calls.append(None)
            if len(calls) <= k:  # an untrained guess: class 0 everywhere, about 1/3 right
                return np.zeros(len(X_test), dtype=int)
            return part.reference(X, y, X_test, rng)
        return {**part.namespace(), "train_classifier": train_classifier}

    one, two = (judge_part(part, hidden, outcomes_of(part, hidden, failing_first(k)), expected)
                for k in (1, 2))
    assert one.passed, one.message
    assert not two.passed
    assert "a hidden case failed (not reached)" in two.message
