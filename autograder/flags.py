"""Flags for the instructor: answers that import the reference or closely match its source.

Flags never change points by themselves; they appear in the CSV and the
feedback so a person can look. Answers and the reference are compared as
normalised code (:mod:`autograder.normalise`: the definition the notebook binds
last, without dead code, docstrings or comments, local names canonical), so
dead code, decoy definitions, renaming and magics hide nothing. Similarity is
then measured with copydetect, which fingerprints token streams as MOSS does
(identifiers and literals normalised), keeping every k-gram so that the shares
are the same in every process. Parts whose reference is too short for
independent solutions to differ (``X @ w + b``), or whose every correct answer is
the reference's chain of calls (``Part.compare_source``), are never compared.
"""

import ast
import functools
import inspect
import io
import re
import textwrap
import threading

from copydetect import CodeFingerprint, compare_files
from nbformat import NotebookNode

from autograder.manifest import Assignment, Part
from autograder.normalise import (
    Unreadable,
    bound_definitions,
    normalised,
    normalised_answer,
    normalised_pieces,
)

__all__ = ["MIN_TOKENS", "SIMILAR", "answer_code", "answers", "fingerprint", "flag_notebook",
           "reference_sources"]

K, WINDOW = 12, 1
"""copydetect's k-gram length and winnowing window, in characters of its normalised code (each
name is one ``V``, each string one ``"S"``, spaces dropped). The window is 1, every k-gram is
kept: copydetect hashes k-grams with Python's ``hash``, salted anew in every process, so
winnowing would keep other k-grams, and report other shares, in every run (and shard)."""
MIN_TOKENS = 80
"""Code shorter than this, in characters of copydetect's normalised code, is never compared:
``return sigmoid(s) if s.ndim == 1 else softmax(s)`` is about 50, and independent answers
that short converge on the reference."""
SIMILAR = 0.8
"""Share of fingerprints in common (both ways) from which two answers are flagged."""
# CPython 3.11's ast.parse is not safe in concurrent threads ("AST constructor recursion depth
# mismatch"), and grading flags notebooks from several threads.
_AST_LOCK = threading.Lock()
_REFERENCE_IMPORT = re.compile(
    r"^[ \t]*(?:from|import)\s+(solutions|autograder)\b|__import__\(\s*['\"](solutions|autograder)"
    r"|import_module\(\s*['\"](solutions|autograder)", re.MULTILINE)


def fingerprint(code: str) -> CodeFingerprint | None:
    """Copydetect's fingerprint of normalised code, or None when it is too short to compare."""
    fp = CodeFingerprint("answer.py", K, WINDOW, fp=io.StringIO(code))
    return fp if len(fp.filtered_code) >= MIN_TOKENS else None


def answers(nb: NotebookNode) -> dict[str, ast.stmt]:
    """Return the definitions the notebook's code cells bind, by name (the last one wins).

    Raises
    ------
    Unreadable
        For a cell too large or too deeply nested to read safely.
    """
    return bound_definitions((number, cell.get("source", ""))
                             for number, cell in enumerate(nb.cells, start=1)
                             if cell.get("cell_type") == "code")


def answer_code(bound: dict[str, ast.stmt], part: Part, assignment: Assignment) -> str | None:
    """Return the normalised code of the learner's answer to a part, None when there is none."""
    others = {other.name for other in assignment.parts} - {part.name}
    return normalised_answer(bound, part.name, others=others)


def _answer_readings(bound: dict[str, ast.stmt], part: Part,
                     assignment: Assignment) -> tuple[str, ...]:
    """Return the answer with the notebook helpers it uses, and its own definition alone.

    Both are compared with the reference: a pasted reference that calls stand-ins the
    learner wrote for the library's helpers (``get_xp``, ``as_float_array``) matches
    alone, while the helpers, absent from the reference, would dilute the whole.
    """
    others = {other.name for other in assignment.parts} - {part.name}
    pieces = normalised_pieces(bound, part.name, others=others)
    return ("\n\n".join(pieces), pieces[0]) if len(pieces) > 1 else tuple(pieces)


def reference_sources(reference) -> list[str]:
    """Return the reference's source and that of each private helper of its module it calls.

    A library function often validates its arguments and calls a private core
    (``train_linear`` calls ``_train_linear``): the core alone is what a copy would
    paste. Helpers are followed through the calls they make in turn, each taken once.

    Raises
    ------
    OSError, TypeError
        When the source cannot be found (a built-in, a lambda made at run time).
    """
    module = inspect.getmodule(reference)
    sources, seen, todo = [], set(), [reference]
    while todo:
        source = textwrap.dedent(inspect.getsource(todo.pop()))
        sources.append(source)
        for node in ast.walk(ast.parse(source)):
            name = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                else ""
            helper = getattr(module, name, None) if name.startswith("_") else None
            if inspect.isfunction(helper) and inspect.getmodule(helper) is module \
                    and name not in seen:
                seen.add(name)
                todo.append(helper)
    return sources


@functools.cache
def _reference_fingerprints(reference) -> tuple[CodeFingerprint, ...]:
    """Fingerprints of the reference, of each helper it reaches, and of all of them together."""
    try:
        sources = reference_sources(reference)
    except (OSError, TypeError):
        return ()
    codes = [normalised(ast.parse(source).body[0]) for source in sources]
    pieces = codes if len(codes) == 1 else [*codes, "\n\n".join(codes)]
    return tuple(fp for fp in map(fingerprint, pieces) if fp is not None)


def flag_notebook(nb: NotebookNode, assignment: Assignment) -> list[str]:
    """Return the flags of one notebook: imports of the reference, answers that copy it.

    A notebook whose cells cannot be read safely (too large, too deeply nested) is
    flagged as not compared, with the reason.
    """
    with _AST_LOCK:
        return _flags(nb, assignment)


def _flags(nb: NotebookNode, assignment: Assignment) -> list[str]:
    flags = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") == "code" and _REFERENCE_IMPORT.search(cell.get("source", "")):
            flags.append(f"cell {number} imports the course's reference or grader")
    try:
        bound = answers(nb)
        codes = {part.name: _answer_readings(bound, part, assignment)
                 for part in assignment.parts if part.compare_source}
    except Unreadable as err:
        return [*flags, f"answers not compared with the reference: {err}"]
    for part in assignment.parts:
        references = _reference_fingerprints(part.reference) if part.compare_source else ()
        mine = [fp for fp in map(fingerprint, codes.get(part.name, ())) if fp is not None]
        if not references or not mine:
            continue
        share = max(min(compare_files(answer, reference)[1])
                    for answer in mine for reference in references)
        if share >= SIMILAR:
            flags.append(f"{part.name} matches the reference source ({share:.0%} of "
                         "fingerprints)")
    return flags
