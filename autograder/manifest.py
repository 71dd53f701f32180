"""One manifest per assignment: its parts, points, book sections and graded cases.

A manifest is a module ``autograder/assignments/<assignment>.py`` that defines
``ASSIGNMENT``, an :class:`Assignment`. It drives everything:

* ``autograder release`` writes each part's visible cases into the instructor
  notebook's test cell (friendly checks for self-study), then nbgrader releases it;
* ``autograder grade`` draws the hidden cases from a secret run key, has the
  learner's kernel call the learner's functions on the visible and hidden cases,
  and compares the outcomes with the reference in the grader's process;
* ``autograder check`` does the same with the visible cases only;
* ``tests/test_exercises.py`` grades the solution, the skeleton, one mutant per
  part and the attack notebooks of every assignment.

A case calls the part's function with arguments (``Case(args=...)``), or runs a
short program with named inputs that sets ``result`` (``Case(program=...,
inputs=...)``), for classes, iterators and composition. The reference side runs
the same call with the part's ``reference`` (and ``names``) bound instead of the
learner's.

A manifest cannot be silently wrong. When it is imported, every case's program is
compiled, and the reference's outcome of every visible case and of one draw of the
hidden cases is computed and checked against the case (:meth:`Case.verify`): the
exception it declares (``raises=``) and no other, a value its own check accepts. Every
grading run checks its hidden draw the same way before it grades anything
(:func:`autograder.judge.reference_outcomes`); ``tests/test_manifest.py`` checks many.
Assignments are the modules of ``autograder/assignments/``, in chapter order.
"""

import importlib
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.checks import Close, Rounding, Within, compare
from autograder.errors import UsageError
from autograder.harness import Rng, encode, outcome

__all__ = ["KINDS", "Assignment", "Case", "Close", "ManifestError", "Part", "Rng", "Rounding",
           "Section", "Within", "load", "known"]

KINDS = ("implement", "derive", "verify", "experiment")
"""What a part asks: *implement* a formula the book gives; *derive* a gradient or rule the
book teaches the method for but does not print for this function; *verify*: find and fix
planted bugs with the learner's own gradient check; *experiment*: the learner's choices,
rerun by the grader on hidden data and judged on a stated result."""

_FOLDER = Path(__file__).parent / "assignments"
_NAME = re.compile(r"ch(\d+)_[a-z0-9_]+")
"""An assignment's name: the chapter, then its topic, e.g. ``ch01_regression``."""


class ManifestError(Exception):
    """A manifest that contradicts itself: a case whose reference does not do what it declares."""


@dataclass(frozen=True)
class Section:
    """A book section that explains a part: its label and how a message names it."""

    label: str
    """The MyST label, e.g. ``"ch01-mse"``."""
    title: str
    """E.g. ``"Chapter 1, 'Measuring the fit: the mean squared error'"``."""

    def __str__(self) -> str:
        return f"{self.title} (#{self.label})"


@dataclass(frozen=True)
class Case:
    """One graded call.

    Parameters
    ----------
    what : str
        What the case checks, as the failure message says it, e.g.
        ``"mse of (N, C) arrays should average over all N * C entries"``.
    args : tuple
        Positional arguments of the part's function (arrays, numbers, :class:`Rng`).
    program : str, optional
        Instead of a call: Python statements that set ``result``; ``inputs``
        are bound as names, and so are the learner's (or the reference's)
        functions. ``stand_ins(function, name=replacement)`` is available to
        check how a function composes others.
    inputs : mapping, optional
        Named inputs of ``program``.
    check : Close, Rounding or Within
        How the value is judged (:mod:`autograder.checks`): :class:`Rounding` for a sum or
        product of the inputs, :class:`Close` for other formulas, :class:`Within` for a
        measured result.
    strict_fp : bool
        Floating-point overflow, division by zero, invalid operations and any
        warning make the case fail (e.g. a sigmoid that overflows).
    call : str, optional
        The function to call, when not the part's own (e.g. a helper's name).
    raises : exception type, optional
        The exception this case expects (declared, e.g. ``ValueError``): the reference
        must raise exactly this one, and so must the learner. Without it, a case whose
        reference raises is a :class:`ManifestError`, never an answer.

    Raises
    ------
    SyntaxError
        When ``program`` does not compile; the message names the case.
    """

    what: str
    args: tuple = ()
    program: str | None = None
    inputs: Mapping[str, object] = field(default_factory=dict)
    check: Close | Rounding | Within = Close()
    strict_fp: bool = False
    call: str | None = None
    raises: type[Exception] | None = None

    def __post_init__(self):
        if self.program is not None:
            try:
                compile(self.program, f"<program of case {self.what!r}>", "exec")
            except SyntaxError as err:
                raise SyntaxError(f"the program of case {self.what!r} does not compile: "
                                  f"{err.msg} (its line {err.lineno})") from None

    def verify(self, reference: dict, where: str) -> None:
        """Raise :class:`ManifestError` unless the reference's outcome is what the case declares.

        Parameters
        ----------
        reference : dict
            The reference's outcome of this case (:func:`autograder.harness.outcome`).
        where : str
            How the message names the case, e.g. ``"ch01_regression, case mse/v2"``.
        """
        raised = reference.get("raised")
        declared = self.raises.__name__ if self.raises else None
        if raised != declared:
            did = (f"raised {raised}: {reference['message']}" if raised
                   else "returned a value")
            hint = (f"declare raises={raised} if that is the answer" if raised and not declared
                    else f"it declares raises={declared}" if declared else "")
            raise ManifestError(f"{where} ({self.what!r}): the reference {did}; {hint}")
        if raised is None and (problem := compare(reference["value"], reference["value"],
                                                  self.check, self.check.scales(self))):
            advice = ("; a stated bound that the instructor's own solution misses on this draw "
                      "(an unlucky draw, or a bound set too tight): grade again with a fresh "
                      "key (without --seed or --key), and if it recurs, report it"
                      if isinstance(self.check, Within) else "")
            raise ManifestError(f"{where} ({self.what!r}): the reference's own value fails "
                                f"the case's check ({problem[0]}: {problem[1]}){advice}")

    def wire(self, case_id: str, function: str) -> dict:
        """Return the case as plain data for the learner's kernel (no expected value in it)."""
        return {"id": case_id, "call": self.call or function,
                "args": [encode(a) for a in self.args],
                "kwargs": {k: encode(v) for k, v in self.inputs.items()},
                "program": self.program, "strict_fp": self.strict_fp}


@dataclass(frozen=True)
class Part:
    """One graded component: a function (or class) the learner writes, and its cases.

    Parameters
    ----------
    name : str
        The function's name; also the ``grade_id`` of its solution cell, and
        ``test_<name>`` is its test cell.
    points : float
        All or nothing: earned when every case passes.
    section : Section
        Where the book explains it.
    reference : callable
        The reference implementation (from ``solutions``).
    visible : tuple of Case
        Cases shown in the notebook's test cell.
    hidden : callable
        ``hidden(rng) -> iterable of Case``, drawn afresh for each grading run.
    names : mapping, optional
        More reference names that programs use (e.g. other parts' functions).
    compare_source : bool, default True
        Compare answers with the reference's source for the similarity flag. False
        where every correct answer is the reference's code up to names (a fixed chain
        of calls the exercise spells out), so that a match says nothing about copying;
        a test checks that the instructor's own solution matches in exactly those parts.
    kind : str, default "implement"
        One of :data:`KINDS`.
    mistakes : tuple of autograder.mistakes.Mistake
        The mistakes learners make in this part, named when a wrong answer matches one
        (attached from ``autograder/catalogues/`` by :func:`autograder.mistakes.catalogued`).
    """

    name: str
    points: float
    section: Section
    reference: Callable
    visible: tuple[Case, ...]
    hidden: Callable[[np.random.Generator], Iterable[Case]]
    names: Mapping[str, object] = field(default_factory=dict)
    compare_source: bool = True
    kind: str = "implement"
    mistakes: tuple = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"part {self.name}: kind must be one of {', '.join(KINDS)}, "
                             f"got {self.kind!r}")

    def namespace(self) -> dict[str, object]:
        """Return the names the reference side of a case sees."""
        return {**self.names, self.name: self.reference}


@dataclass(frozen=True)
class Assignment:
    """An assignment: one notebook and its graded parts."""

    name: str
    notebook: str
    parts: tuple[Part, ...]

    def __post_init__(self):
        todo = [part for part in self.parts if not _verified(self.name, part)]
        cases = self.cases(0)
        self.reference_outcomes({part.name: cases[part.name] for part in todo})
        _VERIFIED.update({(self.name, part.name): _what_is_verified(part) for part in todo})

    def reference_outcomes(self, cases: dict[str, list[tuple[str, Case]]]) -> dict[str, dict]:
        """Run every case on the reference, in this process; case id -> outcome.

        Raises
        ------
        ManifestError
            When a case's reference outcome is not what the case declares
            (:meth:`Case.verify`).
        """
        parts = {part.name: part for part in self.parts}
        found = {}
        for name, part_cases in cases.items():
            for case_id, case in part_cases:
                found[case_id] = outcome(case.wire(case_id, name), parts[name].namespace())
                case.verify(found[case_id], f"{self.name}, case {case_id}")
        return found

    @property
    def max_score(self) -> float:
        """Points of all parts."""
        return float(sum(part.points for part in self.parts))

    def cases(self, seed: int | None) -> dict[str, list[tuple[str, Case]]]:
        """Each part's ``(case id, case)`` list: visible ones, then hidden ones drawn from ``seed``.

        ``seed=None`` gives the visible cases only (the learner's self-check).
        The hidden cases of a part depend only on the seed, the assignment and
        the part's name, so shards of one run draw the same cases.
        """
        out = {}
        for part in self.parts:
            cases = [(f"{part.name}/v{i}", c) for i, c in enumerate(part.visible)]
            if seed is not None:
                rng = np.random.default_rng([seed, zlib.crc32(self.name.encode()),
                                             zlib.crc32(part.name.encode())])
                cases += [(f"{part.name}/h{i}", c) for i, c in enumerate(part.hidden(rng))]
            out[part.name] = cases
        return out


_VERIFIED: dict[tuple[str, str], tuple] = {}
"""(assignment, part) -> what was verified, so that a copy of an assignment (one with its
mistake catalogue attached) is not verified twice."""


def _what_is_verified(part: Part) -> tuple:
    return part.reference, part.visible, part.hidden, part.names


def _verified(assignment: str, part: Part) -> bool:
    done = _VERIFIED.get((assignment, part.name))
    return done is not None and all(a is b for a, b in zip(done, _what_is_verified(part),
                                                           strict=True))


def known() -> list[str]:
    """Names of the assignments, from the modules of ``autograder/assignments/``, by chapter."""
    names = [path.stem for path in _FOLDER.glob("*.py") if path.stem != "__init__"]
    if strays := sorted(name for name in names if not _NAME.fullmatch(name)):
        raise ManifestError(f"autograder/assignments/ holds {', '.join(strays)}: an assignment "
                            "is named chNN_<topic> (e.g. ch01_regression)")
    return sorted(names, key=lambda name: (int(_NAME.fullmatch(name).group(1)), name))


def load(name: str) -> Assignment:
    """Return an assignment's manifest, or raise :class:`UsageError` naming the known ones."""
    if name not in known():
        raise UsageError(f"unknown assignment {name!r}: expected one of {', '.join(known())}")
    return importlib.import_module(f"autograder.assignments.{name}").ASSIGNMENT
