"""Flags for the instructor: answers that import the reference or closely match its source.

Flags never change points by themselves; they appear in the CSV and the
feedback so a person can look. Similarity is measured with copydetect, which
fingerprints token streams as MOSS does (identifiers and literals normalised,
comments and docstrings ignored), keeping every k-gram so that the shares are the
same in every process. Parts whose reference is too short for independent
solutions to differ (``X @ w + b``), or whose every correct answer is the reference's
chain of calls (``Part.compare_source``), are never compared.
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

from autograder.manifest import Assignment

__all__ = ["MIN_TOKENS", "SIMILAR", "answer_source", "fingerprint", "flag_notebook",
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
    r"^\s*(?:from|import)\s+(solutions|autograder)\b|__import__\(\s*['\"](solutions|autograder)"
    r"|import_module\(\s*['\"](solutions|autograder)", re.MULTILINE)


def _placeholder(statement: ast.stmt) -> bool:
    """Return True for the stub's ``raise NotImplementedError(...)``, which answers often keep."""
    raised = statement.exc if isinstance(statement, ast.Raise) else None
    raised = raised.func if isinstance(raised, ast.Call) else raised
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def _body_without_docstring(source: str) -> str:
    """Return a function's source without its docstring and stub placeholder.

    Copydetect normalises the names; the ``raise NotImplementedError`` left over
    from the released stub is everyone's, so it must not make answers look alike.
    """
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
            node.body = [s for s in node.body if not _placeholder(s)] or [ast.Pass()]
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
    pieces = sources if len(sources) == 1 else [*sources, "\n\n".join(sources)]
    return tuple(fp for fp in map(fingerprint, pieces) if fp is not None)


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
        if not part.compare_source:
            continue
        references = _reference_fingerprints(part.reference)
        answer = answer_source(nb, part.name)
        if not references or answer is None or (mine := fingerprint(answer)) is None:
            continue
        share = max(min(compare_files(mine, reference)[1]) for reference in references)
        if share >= SIMILAR:
            flags.append(f"{part.name} matches the reference source ({share:.0%} of "
                         "fingerprints)")
    return flags
