"""Flags for the instructor: answers that import the reference or closely match its source.

Flags never change points by themselves; they appear in the CSV and the
feedback so a person can look. Similarity is measured with copydetect, which
fingerprints token streams (identifiers and literals normalised, comments and
docstrings ignored) with the winnowing algorithm that MOSS uses. Parts whose
reference is too short for independent solutions to differ (``X @ w + b``) are
never compared.
"""

import ast
import inspect
import io
import re
import textwrap
import threading

from copydetect import CodeFingerprint, compare_files
from nbformat import NotebookNode

from autograder.manifest import Assignment

__all__ = ["MIN_TOKENS", "SIMILAR", "answer_source", "fingerprint", "flag_notebook"]

K, WINDOW = 5, 4
"""copydetect's noise threshold (k-gram length) and guarantee window, in tokens."""
MIN_TOKENS = 40
"""Parts whose reference function body has fewer tokens are never compared."""
SIMILAR = 0.8
"""Share of fingerprints in common (both ways) from which two answers are flagged."""
# CPython 3.11's ast.parse is not safe in concurrent threads ("AST constructor recursion depth
# mismatch"), and grading flags notebooks from several threads.
_AST_LOCK = threading.Lock()
_REFERENCE_IMPORT = re.compile(
    r"^\s*(?:from|import)\s+(solutions|autograder)\b|__import__\(\s*['\"](solutions|autograder)"
    r"|import_module\(\s*['\"](solutions|autograder)", re.MULTILINE)


def _body_without_docstring(source: str) -> str:
    """Return a function's source without its docstring (copydetect normalises the names)."""
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
    return ast.unparse(tree)


def fingerprint(source: str) -> CodeFingerprint | None:
    """Copydetect's fingerprint of Python source, or None when it is too short or not Python."""
    try:
        code = _body_without_docstring(source)
    except SyntaxError:
        return None
    fp = CodeFingerprint("answer.py", K, WINDOW, fp=io.StringIO(code))
    return fp if len(fp.filtered_code) >= MIN_TOKENS else None


def answer_source(nb: NotebookNode, name: str) -> str | None:
    """Return the source of the learner's top-level ``def name`` or ``class name``."""
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(cell.get("source", ""))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
                return ast.get_source_segment(cell["source"], node)
    return None


def _reference_fingerprint(reference) -> CodeFingerprint | None:
    try:
        return fingerprint(inspect.getsource(reference))
    except (OSError, TypeError):
        return None


def flag_notebook(nb: NotebookNode, assignment: Assignment) -> list[str]:
    """Return the flags of one notebook: imports of the reference, answers that copy it."""
    with _AST_LOCK:
        return _flags(nb, assignment)


def _flags(nb: NotebookNode, assignment: Assignment) -> list[str]:
    flags = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") == "code" and _REFERENCE_IMPORT.search(cell.get("source", "")):
            flags.append(f"cell {number} imports the course's reference or grader")
    for part in assignment.parts:
        reference = _reference_fingerprint(part.reference)
        answer = answer_source(nb, part.name)
        if reference is None or answer is None or (mine := fingerprint(answer)) is None:
            continue
        overlap, (to_answer, to_reference), _ = compare_files(mine, reference)
        if overlap and min(to_answer, to_reference) >= SIMILAR:
            flags.append(f"{part.name} matches the reference source "
                         f"({min(to_answer, to_reference):.0%} of fingerprints)")
    return flags
