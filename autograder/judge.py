"""Judging in the grader's own process: the learner's outcomes against the reference's.

Both outcomes are plain data in the encoding of :mod:`autograder.harness`: the
learner's was printed by their kernel and decoded strictly
(:mod:`autograder.wire`); the reference's is computed here, by the same
``outcome`` function, on freshly decoded inputs, and checked against what each case
declares. Values are compared by each case's check (:mod:`autograder.checks`). A
message for a hidden case never shows its inputs or expected values.
"""

from dataclasses import dataclass

from autograder.checks import compare
from autograder.manifest import Assignment, Case, Part

__all__ = ["PartVerdict", "judge_part", "reference_outcomes"]


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
    """Run every case on the reference, in this process; case id -> outcome.

    Raises
    ------
    autograder.manifest.ManifestError
        When a case's reference does not do what the case declares (an exception it
        does not declare, or not the one it declares): the run stops before it grades
        anything, rather than give every learner that case.
    """
    return assignment.reference_outcomes(cases)


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
    return compare(got["value"], expected["value"], case.check, case.check.scales(case))


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
            if "/h" not in case_id:
                message = f"{case.what} ({detail}) — see {part.section}"
            else:  # a dtype's name is no secret; the inputs and values are
                shown = f"{kind}: {detail}" if kind == "wrong dtype" else kind
                message = f"a hidden case failed ({shown}): {case.what} — see {part.section}"
    return PartVerdict(part.name, 0.0 if message else float(part.points), float(part.points),
                       message, passed, len(cases))
