"""Pairs of students whose answers closely match each other (copydetect's fingerprints).

Answers are compared as normalised code (:mod:`autograder.normalise`), as the
flags compare them with the reference. A notebook that cannot be read, or whose
cells cannot be read safely, is skipped with its reason and never stops the
comparison of the others.
"""

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from copydetect import compare_files

from autograder.course import EXERCISES_DIR
from autograder.flags import SIMILAR, answer_code, answers, fingerprint
from autograder.grading import find_submissions
from autograder.manifest import known, load
from autograder.normalise import Unreadable
from autograder.notebooks import InvalidNotebook, read_notebook

__all__ = ["SimilarPair", "Similarity", "Skipped", "compare_answers"]


@dataclass(frozen=True)
class SimilarPair:
    """Two students' answers to one part that share most of their fingerprints."""

    assignment: str
    part: str
    first: str
    second: str
    similarity: float
    """The smaller of the two shares of fingerprints in common (0 to 1)."""


@dataclass(frozen=True)
class Skipped:
    """A submission left out of the comparison, and why."""

    student: str
    assignment: str
    reason: str


@dataclass(frozen=True)
class Similarity:
    """What :func:`compare_answers` found: the similar pairs and the submissions it skipped."""

    pairs: list[SimilarPair]
    """Most similar first."""
    skipped: list[Skipped]


def _stubs(assignment) -> dict[str, str]:
    """Part -> the normalised code of the released notebook's stub (to skip unanswered parts)."""
    try:
        bound = answers(read_notebook(EXERCISES_DIR / assignment.name / assignment.notebook))
    except (InvalidNotebook, OSError, Unreadable):
        return {}
    return {part.name: fp.filtered_code for part in assignment.parts
            if (code := answer_code(bound, part, assignment)) and (fp := fingerprint(code))}


def _answers(path: Path, assignment) -> dict:
    """Part -> the fingerprint of the notebook's answer, for the parts compared.

    Raises
    ------
    InvalidNotebook, OSError, Unreadable, RecursionError, MemoryError
        When the notebook or one of its cells cannot be read (safely).
    """
    bound = answers(read_notebook(path))
    return {part.name: fp for part in assignment.parts
            if part.compare_source  # else every correct answer is the same chain of calls
            and (code := answer_code(bound, part, assignment))
            and (fp := fingerprint(code)) is not None}


def compare_answers(submissions_dir: Path, *, threshold: float = SIMILAR) -> Similarity:
    """Compare every two students' answers to each part; return the pairs at or above threshold.

    Answers too short for independent solutions to differ are skipped (see
    :data:`autograder.flags.MIN_TOKENS`), and so are parts whose correct answers are all
    alike (``Part.compare_source``) and parts left as released (every two students who
    skipped a part would match). Submissions that cannot be compared (an unknown
    assignment, a missing or unreadable notebook, a cell too large or too deeply nested)
    are listed in :attr:`Similarity.skipped` with the reason.
    """
    answers_by_part: dict[tuple[str, str], dict[str, object]] = {}
    stubs: dict[str, dict[str, str]] = {}
    skipped = []
    for sub in find_submissions(submissions_dir):
        if sub.refused:  # a link, a file where a folder should be, an empty folder
            skipped.append(Skipped(sub.student_id, sub.assignment, sub.refused))
            continue
        if sub.assignment not in known():
            skipped.append(Skipped(sub.student_id, sub.assignment, "unknown assignment"))
            continue
        assignment = load(sub.assignment)
        if sub.assignment not in stubs:
            stubs[sub.assignment] = _stubs(assignment)
        path = sub.path / assignment.notebook
        if path.is_symlink():
            skipped.append(Skipped(sub.student_id, sub.assignment,
                                   f"symlink refused: {assignment.notebook} is a symbolic link"))
            continue
        if not path.is_file():
            skipped.append(Skipped(sub.student_id, sub.assignment,
                                   f"missing notebook {assignment.notebook}"))
            continue
        try:
            found = _answers(path, assignment)
        except (InvalidNotebook, OSError, Unreadable) as err:
            skipped.append(Skipped(sub.student_id, sub.assignment, str(err)))
            continue
        except (RecursionError, MemoryError) as err:  # e.g. notebook JSON nested too deep
            skipped.append(Skipped(sub.student_id, sub.assignment,
                                   f"notebook too deeply nested to read ({type(err).__name__})"))
            continue
        for part, fp in found.items():
            if fp.filtered_code != stubs[sub.assignment].get(part):
                answers_by_part.setdefault((sub.assignment, part), {})[sub.student_id] = fp
    pairs = []
    for (assignment, part), by_student in answers_by_part.items():
        for (a, fa), (b, fb) in combinations(sorted(by_student.items()), 2):
            overlap, (sa, sb), _ = compare_files(fa, fb)
            if overlap and min(sa, sb) >= threshold:
                pairs.append(SimilarPair(assignment, part, a, b, min(sa, sb)))
    pairs.sort(key=lambda p: (-p.similarity, p.assignment, p.part, p.first, p.second))
    return Similarity(pairs, skipped)
