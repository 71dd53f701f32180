"""The fairness lane: correct answers written differently from the reference lose no point.

For every assignment, ``tests/alternatives/`` holds at least three correct solutions of
each part, written independently of the reference and of each other. Each is judged
here on the visible cases and on the hidden cases of many seeds, without kernels: its
source runs in this process (:func:`autograder.mistakes.implementation`), its outcomes
come from the same :func:`autograder.harness.outcome` the learner's kernel runs, and
:func:`autograder.judge.judge_part` judges them against the reference as grading does.
``tests/test_exercises.py`` grades notebooks made of them through the real grader.

The seed count is ``FAIRNESS_SEEDS`` (100 by default, in ``make test``; ``make fairness``
runs 1,000). An *experiment* part retrains a model per seed (the reference and every
alternative, up to seconds each), so it has its own count, ``FAIRNESS_EXPERIMENT_SEEDS``
(5 in ``make test``, 1,000 in ``make fairness``).
"""

import os
import time
from dataclasses import replace

import pytest

from autograder.judge import judge_part
from autograder.manifest import Assignment, known, load
from autograder.mistakes import implementation, outcomes_of
from tests.alternatives import alternatives

SEEDS = int(os.environ.get("FAIRNESS_SEEDS", "100"))
EXPERIMENT_SEEDS = int(os.environ.get("FAIRNESS_EXPERIMENT_SEEDS", "5"))
MIN_ALTERNATIVES = 3


def lost_points(assignment: Assignment, part_name: str, sources: list[str],
                seeds: range) -> dict[int, list[tuple[int, str]]]:
    """Judge each source of one part over ``seeds``: source index -> [(seed, message)]."""
    part = next(part for part in assignment.parts if part.name == part_name)
    alone = replace(assignment, parts=(part,))  # draws the part's hidden cases, and no other's
    namespaces = [implementation(part, source, f"<{part_name} #{k}>")
                  for k, source in enumerate(sources)]
    lost: dict[int, list[tuple[int, str]]] = {}
    for seed in seeds:
        cases = alone.cases(seed)[part_name]
        expected = outcomes_of(part, cases, part.namespace())
        for k, namespace in enumerate(namespaces):
            verdict = judge_part(part, cases, outcomes_of(part, cases, namespace), expected)
            if not verdict.passed:
                lost.setdefault(k, []).append((seed, verdict.message))
    return lost


def _parts() -> list[tuple[str, str]]:
    return [(name, part.name) for name in known() for part in load(name).parts]


@pytest.mark.parametrize("name", known())
def test_every_part_has_three_alternatives(name):
    sources = alternatives(name)
    parts = {part.name for part in load(name).parts}
    few = {part: len(sources.get(part, [])) for part in sorted(parts)
           if len(sources.get(part, [])) < MIN_ALTERNATIVES}
    assert not few, f"{name}: parts with fewer than {MIN_ALTERNATIVES} alternatives: {few}"
    assert set(sources) <= parts, f"{name}: alternatives for unknown parts {set(sources) - parts}"


@pytest.mark.parametrize(("name", "part"), _parts())
def test_a_wrong_solution_loses_points_in_the_lane(name, part):
    """The lane can fail: the part's catalogued mistakes each lose points on some seed."""
    mistakes = next(p.mistakes for p in load(name).parts if p.name == part)
    lost = lost_points(load(name), part, [m.code for m in mistakes], range(2))
    assert set(lost) == set(range(len(mistakes)))


@pytest.mark.slow
@pytest.mark.fairness
@pytest.mark.parametrize(("name", "part"), _parts())
def test_alternatives_lose_no_point(name, part):
    sources = alternatives(name).get(part, [])
    kind = next(p.kind for p in load(name).parts if p.name == part)
    seeds = EXPERIMENT_SEEDS if kind == "experiment" else SEEDS
    start = time.perf_counter()
    lost = lost_points(load(name), part, sources, range(seeds))
    elapsed = time.perf_counter() - start
    print(f"{name}:{part}: {len(sources)} solutions x {seeds} seeds in {elapsed:.1f} s")
    assert not lost, {f"#{k}": f"{len(failures)}/{seeds} seeds, e.g. seed {failures[0][0]}: "
                               f"{failures[0][1]}" for k, failures in lost.items()}
