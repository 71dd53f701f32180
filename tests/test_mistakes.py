"""Catalogued mistakes (autograder.mistakes), judged without kernels.

A mistake is named only when a failed part's outcomes match the mistake's on every
case, under the part's own comparisons; correct answers, answers that match on some
cases only and unrelated wrong answers are named by nothing. ``tests/test_exercises.py``
grades a notebook per catalogued mistake through the real grader.
"""

import csv
import html
import re

import pytest

from autograder.assess import Plan
from autograder.export import write_grades_csv
from autograder.feedback import write_feedback
from autograder.grading import GradeRecord
from autograder.judge import judge_part, reference_outcomes
from autograder.manifest import Section, known, load
from autograder.mistakes import (
    Mistake,
    catalogued,
    implementation,
    mistake_outcomes,
    outcomes_of,
    recognise,
)
from autograder.selfcheck import check_notebook
from tests.alternatives import alternatives
from tests.grading_fixtures import fill, solution_bodies, trained_with, write_submission
from tests.mutants import body_of

SEEDS = (None, 0, 1)
"""The visible cases alone (``autograder check``), and two grading runs."""


def _run(name, seed):
    assignment = load(name)
    cases = assignment.cases(seed)
    return assignment, cases, reference_outcomes(assignment, cases), mistake_outcomes(
        assignment, cases)


def _named(part, cases, outcomes, expected, mistaken):
    verdict = judge_part(part, cases, outcomes, expected)
    return recognise(part, verdict, cases, outcomes, mistaken)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", known())
def test_each_mistake_loses_its_part_and_is_named_by_itself(name, seed):
    assignment, cases, expected, mistaken = _run(name, seed)
    wrong = {}
    for part in assignment.parts:
        for mistake in part.mistakes:
            outcomes = mistaken[part.name][mistake.name]
            verdict = _named(part, cases[part.name], outcomes, expected, mistaken[part.name])
            if verdict.passed or verdict.mistake != mistake.name:
                wrong[f"{part.name}: {mistake.name}"] = verdict.mistake or "passed"
    assert not wrong


@pytest.mark.parametrize("name", known())
def test_mistakes_run_in_the_grader(name):
    """A mistake's code finds every name it uses: it fails by its mistake, not by a NameError."""
    _, _, _, mistaken = _run(name, 0)
    broken = {(part, mistake, case_id): outcome["message"]
              for part, by_mistake in mistaken.items()
              for mistake, outcomes in by_mistake.items()
              for case_id, outcome in outcomes.items()
              if outcome.get("raised") in ("NameError", "ImportError", "UnboundLocalError")}
    assert not broken


@pytest.mark.parametrize("name", known())
def test_correct_answers_written_differently_are_named_by_nothing(name):
    assignment, cases, expected, mistaken = _run(name, 0)
    sources = alternatives(name)
    for part in assignment.parts:
        for k, source in enumerate(sources.get(part.name, [])):
            namespace = implementation(part, source, f"<{part.name} #{k}>")
            got = outcomes_of(part, cases[part.name], namespace)
            verdict = _named(part, cases[part.name], got, expected, mistaken[part.name])
            assert verdict.mistake == "", (part.name, k, verdict.message)


@pytest.mark.parametrize("name", known())
def test_unrelated_wrong_answers_are_named_by_nothing(name):
    """An answer that raises, and one that returns None, match no catalogued mistake."""
    assignment, cases, expected, mistaken = _run(name, 0)
    for part in assignment.parts:
        for wrong in ({"raised": "NotImplementedError", "message": "", "warnings": []},
                      {"value": None, "warnings": []}):
            outcomes = dict.fromkeys((case_id for case_id, _ in cases[part.name]), wrong)
            verdict = _named(part, cases[part.name], outcomes, expected, mistaken[part.name])
            assert not verdict.passed and verdict.mistake == "", part.name


@pytest.mark.parametrize("name", known())
def test_a_mistake_matched_on_some_cases_only_is_not_named(name):
    """The learner's outcomes follow a mistake on every case but one, where they are other."""
    assignment, cases, expected, mistaken = _run(name, 0)
    checked = 0
    for part in assignment.parts:
        for mistake in part.mistakes:
            outcomes = dict(mistaken[part.name][mistake.name])
            for case_id, _ in cases[part.name]:
                changed = {**outcomes, case_id: {"raised": "OtherError", "message": "",
                                                 "warnings": []}}
                verdict = _named(part, cases[part.name], changed, expected, mistaken[part.name])
                assert verdict.mistake != mistake.name, (part.name, mistake.name, case_id)
                checked += 1
    assert checked


def test_the_named_mistake_adds_only_the_graders_words():
    """On a hidden case the message gains the mistake's sentence and nothing of the inputs."""
    assignment, cases, expected, mistaken = _run("ch06_backprop", 0)
    part = next(p for p in assignment.parts if p.name == "dense_backward")
    mistake = part.mistakes[0]
    outcomes = {case_id: outcome for case_id, outcome in mistaken[part.name][mistake.name].items()
                if "/h" in case_id}
    hidden = [(case_id, case) for case_id, case in cases[part.name] if "/h" in case_id]
    verdict = judge_part(part, hidden, outcomes, expected)
    named = recognise(part, verdict, hidden, outcomes, mistaken[part.name])
    assert named.message == f"{verdict.message}. {mistake.sentence()}"
    assert named.mistake == mistake.name
    assert mistake.sentence() == (
        "Looks like the bias gradient was averaged instead of summed over the batch: b is "
        "added to every row, so db adds up dout over the rows. See Chapter 6, 'The dense "
        "layer' (#ch06-dense).")
    assert not re.search(r"\d\.\d", named.message)


@pytest.mark.parametrize("name", known())
def test_catalogues_are_well_formed(name):
    """Each mistake has its section, a one-sentence hint, a CSV-safe name; names are unique."""
    for part in load(name).parts:
        assert len({m.name for m in part.mistakes}) == len(part.mistakes), part.name
        for mistake in part.mistakes:
            assert isinstance(mistake.section, Section)
            assert mistake.hint.endswith("."), mistake.hint
            assert not re.search(r"[.!?] [A-Z]", mistake.hint), mistake.hint
            assert mistake.name[0].islower() and " | " not in mistake.name, mistake.name


def test_catalogued_refuses_a_part_the_assignment_lacks():
    assignment = load("ch01_regression")
    with pytest.raises(ValueError, match="unknown parts no_such_part"):
        catalogued(assignment, {"no_such_part": ()})


def test_catalogued_gives_a_mistake_its_parts_section_unless_it_names_one():
    assignment = load("ch01_regression")
    other = Section("ch01-real-data", "Chapter 1, 'Real data'")
    attached = catalogued(assignment, {"mse": (
        Mistake("a", "Hint.", "def mse(y_pred, y):\n    return 0.0\n"),
        Mistake("b", "Hint.", "def mse(y_pred, y):\n    return 1.0\n", other))})
    mse = next(part for part in attached.parts if part.name == "mse")
    assert [m.section for m in mse.mistakes] == [mse.section, other]
    assert all(not part.mistakes for part in attached.parts if part.name != "mse")


def test_mistake_code_is_compiled_when_the_catalogue_is_made():
    with pytest.raises(SyntaxError):
        Mistake("a typo", "Hint.", "def mse(y_pred, y:\n    return 0.0\n")


def test_implementation_must_define_the_parts_function():
    part = load("ch01_regression").parts[0]
    with pytest.raises(ValueError, match="does not define predict_linear"):
        implementation(part, "def predict_line(X, w, b):\n    return X @ w + b\n", "<typo>")


def test_a_plan_holds_each_mistakes_outcomes_on_the_runs_cases():
    plan = Plan(load("ch06_backprop"), seed=3)
    for part in plan.assignment.parts:
        assert set(plan.mistaken[part.name]) == {m.name for m in part.mistakes}
        for outcomes in plan.mistaken[part.name].values():
            assert set(outcomes) == {case_id for case_id, _ in plan.cases[part.name]}


def test_the_grades_csv_lists_each_named_mistake(tmp_path):
    record = GradeRecord("s1", "ch06_backprop", 10.0, 12.0, "ok", 0,
                         {"dense_backward": 0.0}, {"dense_backward": "..."},
                         mistakes={"dense_backward": "the weight gradient was transposed",
                                   "relu_backward": "the mask was returned without the "
                                                    "upstream gradient"})
    path = tmp_path / "grades.csv"
    write_grades_csv([record], path, ["ch06_backprop"])
    with path.open(newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["mistakes"] == ("dense_backward: the weight gradient was transposed | "
                               "relu_backward: the mask was returned without the upstream "
                               "gradient")


def test_the_feedback_page_names_the_mistake(tmp_path):
    part = next(p for p in load("ch06_backprop").parts if p.name == "dense_backward")
    mistake = part.mistakes[1]
    record = GradeRecord("s1", "ch06_backprop", 10.0, 12.0, "ok", 0, {"dense_backward": 0.0},
                         {"dense_backward": f"a hidden case failed. {mistake.sentence()}"},
                         mistakes={"dense_backward": mistake.name})
    page = write_feedback(record, tmp_path).read_text(encoding="utf-8")
    assert html.escape(mistake.sentence()) in page


@pytest.mark.slow
@pytest.mark.kernel
def test_check_names_the_mistake_of_a_notebook(tmp_path):
    """``autograder check`` runs a notebook with one catalogued mistake and names it."""
    assignment = load("ch06_backprop")
    part = next(p for p in assignment.parts if p.name == "dense_backward")
    mistake = part.mistakes[1]
    bodies = {**solution_bodies(assignment.name, assignment.notebook),
              part.name: body_of(mistake.code, part.name)}
    path = write_submission(tmp_path, "s1", assignment.name, assignment.notebook,
                            fill(assignment.name, assignment.notebook, bodies))
    report = check_notebook(path)
    verdicts = {verdict.name: verdict for verdict in report.parts}
    failed = {name for name, v in verdicts.items() if not v.passed}
    assert failed - trained_with(assignment, part.name) == {part.name}
    assert verdicts[part.name].mistake == mistake.name
    assert verdicts[part.name].message.endswith(mistake.sentence())
    assert all(v.mistake == "" for name, v in verdicts.items() if name != part.name)
