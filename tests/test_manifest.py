"""autograder.manifest: a case cannot be silently wrong, and assignments come from their folder."""

from dataclasses import replace

import numpy as np
import pytest

import autograder.manifest as manifest
from autograder.errors import UsageError
from autograder.harness import encode
from autograder.manifest import (
    Assignment,
    Case,
    ManifestError,
    Part,
    Section,
    Within,
    known,
    load,
)

SECTION = Section("ch00-toy", "Chapter 0, 'A toy'")


def half(x):
    """Return x / 2; refuse a negative x."""
    if np.any(np.asarray(x) < 0):
        raise ValueError("x must be >= 0")
    return np.asarray(x) / 2


def _toy(*cases, hidden=lambda rng: iter(())):
    return Assignment("ch00_toy", "toy.ipynb", (Part("half", 1, SECTION, half, cases, hidden),))


# --- every assignment, self-checked ----------------------------------------------------------

def test_assignments_are_the_folders_modules_in_chapter_order():
    names = known()
    assert names == sorted(path.stem for path in manifest._FOLDER.glob("ch*.py"))
    assert [int(name[2:4]) for name in names] == sorted(int(name[2:4]) for name in names)
    assert not hasattr(manifest, "ASSIGNMENTS")


def test_discovery_orders_by_chapter_number_and_refuses_strays(tmp_path, monkeypatch):
    for name in ("ch10_late", "ch2_early", "ch01_first", "__init__"):
        (tmp_path / f"{name}.py").write_text("")
    monkeypatch.setattr(manifest, "_FOLDER", tmp_path)
    assert known() == ["ch01_first", "ch2_early", "ch10_late"]
    (tmp_path / "notes.py").write_text("")
    with pytest.raises(ManifestError, match="holds notes: an assignment is named chNN_<topic>"):
        known()


def test_an_unknown_assignment_names_the_known_ones():
    with pytest.raises(UsageError, match="unknown assignment 'ch99_nothing': expected one of "
                                         "ch01_regression"):
        load("ch99_nothing")


@pytest.mark.parametrize("name", known())
def test_every_hidden_draw_does_what_it_declares(name):
    assignment = load(name)
    for seed in range(1, 6):
        assignment.reference_outcomes(assignment.cases(seed))    # raises ManifestError if not


@pytest.mark.parametrize("name", known())
def test_every_case_that_says_it_raises_declares_it(name):
    assignment = load(name)
    for cases in assignment.cases(0).values():
        for _, case in cases:
            says = any(word in case.what for word in ("raise", "reject"))
            assert says == (case.raises is not None), case.what


# --- one case, self-validating ------------------------------------------------------------

def test_a_program_with_a_typo_fails_when_the_case_is_made():
    with pytest.raises(SyntaxError, match=r"the program of case 'halves' does not compile: "
                                          r".*\(its line 2\)"):
        Case("halves", program="y = half(x)\nresult = (y", inputs={"x": 1.0})


def test_a_case_whose_reference_raises_must_declare_it():
    with pytest.raises(ManifestError, match=r"ch00_toy, case half/v0 \('negative'\): the "
                                            r"reference raised ValueError: x must be >= 0; "
                                            r"declare raises=ValueError"):
        _toy(Case("negative", (np.array([-1.0]),)))


def test_a_declared_exception_must_be_raised():
    with pytest.raises(ManifestError, match="the reference returned a value; it declares "
                                            "raises=ValueError"):
        _toy(Case("positive", (np.array([1.0]),), raises=ValueError))


def test_a_declared_exception_must_be_the_one_raised():
    with pytest.raises(ManifestError, match="raised ValueError.*it declares raises=TypeError"):
        _toy(Case("negative", (np.array([-1.0]),), raises=TypeError))


def test_a_within_bound_the_reference_misses_is_an_error():
    with pytest.raises(ManifestError, match="the reference's own value fails the case's check "
                                            r"\(not reached.*grade again with a fresh key"):
        _toy(Case("half of 1 is at least 0.9", (1.0,), check=Within(low=0.9)))


def test_hidden_cases_are_checked_when_the_manifest_is_built():
    def hidden(rng):
        yield Case("a negative draw", (-rng.uniform(1, 2, size=2),))
    with pytest.raises(ManifestError, match="case half/h0"):
        _toy(Case("half of 1", (1.0,)), hidden=hidden)


def test_a_consistent_manifest_is_built_and_draws_the_same_cases_per_seed():
    def hidden(rng):
        yield Case("a random draw", (rng.uniform(0, 1, size=2),))
        yield Case("a negative draw", (-rng.uniform(1, 2, size=2),), raises=ValueError)
    toy = _toy(Case("half of 1", (1.0,)), Case("negative", (-1.0,), raises=ValueError),
               hidden=hidden)
    first, again = toy.cases(7)["half"], toy.cases(7)["half"]
    assert [cid for cid, _ in first] == ["half/v0", "half/v1", "half/h0", "half/h1"]
    np.testing.assert_array_equal(first[2][1].args[0], again[2][1].args[0])
    assert [cid for cid, _ in toy.cases(None)["half"]] == ["half/v0", "half/v1"]
    outcomes = toy.reference_outcomes(toy.cases(7))
    assert outcomes["half/h1"]["raised"] == "ValueError" and "value" in outcomes["half/h0"]


def test_a_part_kind_is_one_of_the_four():
    with pytest.raises(ValueError, match="kind must be one of implement, derive, verify, "
                                         "experiment, got 'guess'"):
        Part("half", 1, SECTION, half, (), lambda rng: iter(()), kind="guess")


def test_a_grading_run_stops_on_a_hidden_draw_that_breaks_its_declaration():
    from autograder.assess import Plan

    def hidden(rng):
        yield Case("half of a draw", (float(rng.choice([1.0, -1.0])),))   # seed 0 draws 1.0
    toy = _toy(Case("half of 1", (1.0,)), hidden=hidden)                 # so it is built
    assert Plan(toy, seed=0).expected["half/h0"]["value"] == encode(np.float64(0.5))
    with pytest.raises(ManifestError, match=r"case half/h0 .*raised ValueError"):
        Plan(toy, seed=1)                                                 # which draws -1.0


def test_a_copy_of_a_built_manifest_is_not_verified_again():
    calls = []

    def counted(x):
        calls.append(x)
        return half(x)

    def built(visible):
        return Assignment("ch00_copy", "toy.ipynb",
                          (Part("half", 1, SECTION, counted, visible, lambda rng: iter(())),))
    toy = built((Case("half of 1", (1.0,)),))
    assert len(calls) == 1
    replace(toy, parts=tuple(replace(part, compare_source=False) for part in toy.parts))
    assert len(calls) == 1                      # e.g. a mistake catalogue attached
    built((Case("half of 1", (1.0,)),))         # new cases: verified
    assert len(calls) == 2
