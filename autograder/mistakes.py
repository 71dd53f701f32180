"""Catalogued mistakes: name the mistake a wrong answer makes, when it makes a known one.

Each part of a manifest may carry a short catalogue of the mistakes learners make
(:class:`Mistake`: a name, a one-sentence hint, the book section and code that makes
the mistake). An assignment's catalogue lives in ``autograder/catalogues/<assignment>.py``
as ``MISTAKES = {part name: (Mistake, ...)}``; its manifest attaches it with
:func:`catalogued`.

A mistake's outcomes are computed in the grader's process, exactly as the reference's
are: its code runs through :func:`autograder.harness.outcome` on the run's cases. A
failed part *looks like* a mistake when the learner's outcomes agree with the mistake's
on every case of the part, under the part's own comparisons; nothing the kernel says is
believed, and a part that passed or matches no mistake is reported as before. The
mistake's name and hint are the grader's own words, so naming it reveals no hidden input.
"""

from dataclasses import dataclass, replace

import numpy as np

from autograder.harness import outcome
from autograder.judge import PartVerdict, judge_part
from autograder.manifest import Assignment, Case, Part, Section

__all__ = ["Mistake", "catalogued", "implementation", "mistake_outcomes", "outcomes_of",
           "recognise"]


@dataclass(frozen=True)
class Mistake:
    """A mistake learners make in one part.

    Parameters
    ----------
    name : str
        What went wrong, worded to follow "looks like", e.g. ``"the bias gradient
        was not summed over the batch"``.
    hint : str
        One sentence that points to the fix without giving the answer.
    code : str
        A complete definition of the part's function (and its helpers) that makes the
        mistake, using only the standard library and NumPy (bound as ``np``).
    section : Section, optional
        Where the book explains the point; :func:`catalogued` sets the part's own when
        None.
    """

    name: str
    hint: str
    code: str
    section: Section | None = None

    def __post_init__(self):
        compile(self.code, f"<mistake: {self.name}>", "exec")

    def sentence(self) -> str:
        """Return what ``check``, the feedback page and the messages say when a part matches."""
        return f"Looks like {self.name}: {self.hint} See {self.section}."


def catalogued(assignment: Assignment, catalogue: dict[str, tuple[Mistake, ...]]) -> Assignment:
    """Return ``assignment`` with each part's mistakes from ``catalogue`` attached.

    Raises
    ------
    ValueError
        When the catalogue names a part the assignment does not have.
    """
    names = {part.name for part in assignment.parts}
    if unknown := sorted(set(catalogue) - names):
        raise ValueError(f"mistake catalogue of {assignment.name} names unknown parts "
                         f"{', '.join(unknown)}; expected some of {', '.join(sorted(names))}")
    parts = tuple(replace(part, mistakes=tuple(replace(m, section=m.section or part.section)
                                               for m in catalogue.get(part.name, ())))
                  for part in assignment.parts)
    return replace(assignment, parts=parts)


def implementation(part: Part, source: str, label: str) -> dict[str, object]:
    """Run ``source`` (a definition of the part's function) and return the names a case sees.

    The source runs in a fresh namespace holding ``np`` and the part's other reference
    names, so a composition calls those (and a case's ``stand_ins`` replaces them there),
    as it calls the learner's own functions in the notebook.

    Raises
    ------
    ValueError
        When ``source`` does not define the part's function.
    """
    scope = {"np": np, **part.names}
    exec(compile(source, label, "exec"), scope)  # the grader's own code (catalogue, tests)
    if part.name not in scope:
        raise ValueError(f"{label} does not define {part.name}")
    return {**part.names, part.name: scope[part.name]}


def outcomes_of(part: Part, cases: list[tuple[str, Case]],
                namespace: dict[str, object]) -> dict[str, dict]:
    """Run the part's cases on the functions of ``namespace``; case id -> outcome."""
    return {case_id: outcome(case.wire(case_id, part.name), namespace)
            for case_id, case in cases}


def mistake_outcomes(assignment: Assignment, cases: dict[str, list[tuple[str, Case]]]
                     ) -> dict[str, dict[str, dict[str, dict]]]:
    """Run every catalogued mistake on its part's cases: part -> mistake name -> outcomes."""
    return {part.name: {mistake.name: outcomes_of(
                part, cases[part.name],
                implementation(part, mistake.code, f"<mistake: {mistake.name}>"))
                        for mistake in part.mistakes}
            for part in assignment.parts}


def recognise(part: Part, verdict: PartVerdict, cases: list[tuple[str, Case]],
              outcomes: dict[str, dict], mistaken: dict[str, dict[str, dict]]) -> PartVerdict:
    """Name the first catalogued mistake a failed part matches on every case.

    Parameters
    ----------
    part : Part
        The part, with its catalogue.
    verdict : PartVerdict
        Its judgment against the reference.
    cases : list of (str, Case)
        The part's cases in this run.
    outcomes : dict
        The learner's outcomes, case id -> outcome.
    mistaken : dict
        Each mistake's outcomes on the same cases (from :func:`mistake_outcomes`).

    Returns
    -------
    verdict : PartVerdict
        ``verdict`` itself when the part passed or matches no mistake; else a copy
        whose ``mistake`` is the mistake's name and whose message ends with its sentence.
    """
    if verdict.passed:
        return verdict
    for mistake in part.mistakes:
        if judge_part(part, cases, outcomes, mistaken[mistake.name]).passed:
            return replace(verdict, message=f"{verdict.message}. {mistake.sentence()}",
                           mistake=mistake.name)
    return verdict
