"""Pairs of students whose answers closely match each other (copydetect's fingerprints)."""

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from copydetect import compare_files

from autograder.course import EXERCISES_DIR
from autograder.flags import SIMILAR, answer_source, fingerprint
from autograder.grading import find_submissions
from autograder.manifest import known, load
from autograder.notebooks import InvalidNotebook, read_notebook

__all__ = ["SimilarPair", "similar_pairs"]


@dataclass(frozen=True)
class SimilarPair:
    """Two students' answers to one part that share most of their fingerprints."""

    assignment: str
    part: str
    first: str
    second: str
    similarity: float
    """The smaller of the two shares of fingerprints in common (0 to 1)."""


def _stubs(assignment) -> dict[str, str]:
    """Part -> the normalised code of the released notebook's stub (to skip unanswered parts)."""
    try:
        released = read_notebook(EXERCISES_DIR / assignment.name / assignment.notebook)
    except (InvalidNotebook, OSError):
        return {}
    return {part.name: fp.filtered_code for part in assignment.parts
            if (source := answer_source(released, part.name)) and (fp := fingerprint(source))}


def similar_pairs(submissions_dir: Path, *, threshold: float = SIMILAR) -> list[SimilarPair]:
    """Compare every two students' answers to each part; return the pairs at or above threshold.

    Answers too short for independent solutions to differ are skipped (see
    :data:`autograder.flags.MIN_TOKENS`), and so are parts whose correct answers are all
    alike (``Part.compare_source``), unreadable notebooks and parts left as released
    (every two students who skipped a part would match).
    """
    answers: dict[tuple[str, str], dict[str, object]] = {}
    stubs: dict[str, dict[str, str]] = {}
    for sub in find_submissions(submissions_dir):
        if sub.assignment not in known():
            continue
        assignment = load(sub.assignment)
        if sub.assignment not in stubs:
            stubs[sub.assignment] = _stubs(assignment)
        try:
            nb = read_notebook(sub.path / assignment.notebook)
        except (InvalidNotebook, OSError):
            continue
        for part in assignment.parts:
            if not part.compare_source:  # every correct answer is the same chain of calls
                continue
            source = answer_source(nb, part.name)
            if source and (fp := fingerprint(source)) is not None \
                    and fp.filtered_code != stubs[sub.assignment].get(part.name):
                answers.setdefault((sub.assignment, part.name), {})[sub.student_id] = fp
    pairs = []
    for (assignment, part), by_student in answers.items():
        for (a, fa), (b, fb) in combinations(sorted(by_student.items()), 2):
            overlap, (sa, sb), _ = compare_files(fa, fb)
            if overlap and min(sa, sb) >= threshold:
                pairs.append(SimilarPair(assignment, part, a, b, min(sa, sb)))
    return sorted(pairs, key=lambda p: (-p.similarity, p.assignment, p.part, p.first, p.second))
