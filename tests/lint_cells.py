"""Lint the code cells of the book's chapters and of the assignment notebooks with ruff.

``ruff check .`` lints the Python modules only: it cannot parse the MyST chapters
(book/*.md), and pyproject.toml excludes the notebook folders (autograder/source,
exercises) because most of its rules (docstrings, line length, ...) do not fit cells.
This module runs the rules that do fit teaching cells, ``CELL_RULES`` (NumPy's: no
legacy global ``np.random.*``, no deprecated or removed NumPy names), on

- every ``{code-cell}`` of book/*.md: a chapter becomes one Python file with the
  chapter's own line numbers (everything outside the code cells is blanked, IPython
  magics are commented out), so each finding is reported at its line in the .md file;
- the notebooks under ``NOTEBOOK_FOLDERS``, which ruff reads itself. Passing the
  folders explicitly makes ruff lint them despite ``extend-exclude`` (which only
  applies to explicit paths under ``--force-exclude``, never used here).

Usage (run by ``make lint``, ``make test-fast`` and ``make test``)::

    python tests/lint_cells.py

It prints one line per finding (``path:line:column: CODE message``, with ``cell N:``
before the line for a notebook) and exits 1 when there is any, 0 otherwise.
"""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from ruff.__main__ import find_ruff_bin

ROOT = Path(__file__).resolve().parents[1]
#: Ruff rules for code cells: the NumPy rules (NPY002 legacy random, NPY001/NPY003/NPY201
#: deprecated or removed names). Not docstring, line-length or unused-name rules: a cell
#: is not a module, and exercise stubs leave names unused on purpose.
CELL_RULES = ("NPY",)
CHAPTERS = "book/*.md"
NOTEBOOK_FOLDERS = ("autograder/source", "exercises")
#: Languages of ``{code-cell}`` blocks that are Python; other cells are not linted.
PYTHON_CELL_LANGUAGES = {"", "ipython3", "ipython", "python3", "python"}
CODE_CELL = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-cell\}\s*(?P<language>\S*)")
OPTION_LINE = re.compile(r"^:[\w-]+:")


class Finding(NamedTuple):
    """One ruff finding, located in the chapter or notebook a reader edits."""

    path: str
    """The file, relative to the repository root (``book/ch01_regression.md``)."""
    line: int
    """Line in the chapter, or in the notebook cell."""
    column: int
    """Column, 1-based."""
    code: str
    """Ruff's rule code (``NPY002``); empty for a syntax error."""
    message: str
    """Ruff's message."""
    cell: int | None = None
    """Notebook cell, counted from 1 over all cells as ruff does; ``None`` in a chapter."""

    def __str__(self):
        cell = "" if self.cell is None else f"cell {self.cell}:"
        code = f"{self.code} " if self.code else ""
        return f"{self.path}:{cell}{self.line}:{self.column}: {code}{self.message}"


def chapter_as_python(text):
    """Return the Python of a MyST chapter's code cells, on the chapter's own lines.

    Lines outside ``{code-cell}`` bodies (prose, fences, cell options, cells in
    another language) become empty; IPython magics and shell escapes (``%``,
    ``!``) become comments, and a cell magic (``%%``) comments out its cell.

    Parameters
    ----------
    text : str
        The chapter (MyST markdown).

    Returns
    -------
    str
        As many lines as ``text``; line k is Python exactly when line k of the
        chapter is a line of a Python code cell.

    Examples
    --------
    >>> chapter_as_python("Text\\n```{code-cell} ipython3\\n:tags: [hide-input]\\n"
    ...                   "%matplotlib inline\\nx = 1\\n```\\n").splitlines()
    ['', '', '', '# %matplotlib inline', 'x = 1', '']
    """
    lines = text.splitlines()
    out = [""] * len(lines)
    i = 0
    while i < len(lines):
        opening = CODE_CELL.match(lines[i])
        i += 1
        if not opening:
            continue
        closing = re.compile(re.escape(opening["fence"][0]) + "{%d,}\\s*$" % len(opening["fence"]))
        body = []
        while i < len(lines) and not closing.match(lines[i]):
            body.append(i)
            i += 1
        i += 1
        body = _without_options(body, lines)
        if opening["language"] not in PYTHON_CELL_LANGUAGES:
            continue
        cell_magic = bool(body) and lines[body[0]].startswith("%%")
        for k in body:
            code = lines[k]
            stripped = code.lstrip()
            if cell_magic or stripped.startswith(("%", "!")):
                code = code[: len(code) - len(stripped)] + "# " + stripped
            out[k] = code
    return "\n".join(out) + "\n"


def _without_options(body, lines):
    """Drop a code cell's options (``:key: value`` lines or a ``---`` YAML block)."""
    if body and lines[body[0]].strip() == "---":
        ends = [n for n, k in enumerate(body[1:], 1) if lines[k].strip() == "---"]
        return body[ends[0] + 1:] if ends else body
    n = 0
    while n < len(body) and OPTION_LINE.match(lines[body[n]]):
        n += 1
    return body[n:]


def _ruff(args, root, stdin=None):
    """Run ``ruff check`` with the cell rules in ``root``; return its findings as dicts."""
    command = [find_ruff_bin(), "check", "--no-cache", "--output-format", "json",
               "--select", ",".join(CELL_RULES), *args]
    result = subprocess.run(command, cwd=root, input=stdin, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed in {root}:\n{result.stderr}")
    return json.loads(result.stdout or "[]")


def _finding(item, root, path=None):
    """A Finding from one item of ruff's JSON output, at ``path`` if given."""
    if path is None:
        path = Path(item["filename"]).resolve().relative_to(Path(root).resolve()).as_posix()
    return Finding(path, item["location"]["row"], item["location"]["column"],
                   item["code"] or "", item["message"], item.get("cell"))


def lint_chapter(chapter, root=ROOT):
    """Return the findings of ``CELL_RULES`` in one chapter's code cells.

    Parameters
    ----------
    chapter : str or Path
        The .md file, relative to ``root`` or absolute.
    root : str or Path
        The repository root (its pyproject.toml configures ruff).

    Returns
    -------
    list of Finding
        At the chapter's path (relative to ``root``) and line.
    """
    chapter = Path(root, chapter).resolve()
    path = chapter.relative_to(Path(root).resolve()).as_posix()
    source = chapter_as_python(chapter.read_text(encoding="utf-8"))
    items = _ruff(["--stdin-filename", str(chapter.with_suffix(".py")), "-"], root, source)
    return [_finding(item, root, path) for item in items]


def lint_notebooks(root=ROOT):
    """Return the findings of ``CELL_RULES`` in the notebooks under ``NOTEBOOK_FOLDERS``.

    Parameters
    ----------
    root : str or Path
        The repository root; folders it lacks are left out.

    Returns
    -------
    list of Finding
        At the notebook's path (relative to ``root``), cell and line in the cell.
    """
    folders = [folder for folder in NOTEBOOK_FOLDERS if Path(root, folder).is_dir()]
    return [_finding(item, root) for item in _ruff(folders, root)] if folders else []


def lint(root=ROOT):
    """Return the findings in every chapter (``CHAPTERS``) and notebook, sorted by path."""
    chapters = sorted(Path(root).glob(CHAPTERS))
    findings = [f for chapter in chapters for f in lint_chapter(chapter, root)]
    return sorted(findings + lint_notebooks(root), key=lambda f: (f.path, f.cell or 0, f.line))


def main(root=ROOT):
    """Print the findings in ``root``'s chapters and notebooks; return the exit code (0, 1)."""
    findings = lint(root)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} finding(s) of ruff {', '.join(CELL_RULES)} in code cells. "
              "Randomness goes through a Generator: rng = np.random.default_rng(seed), "
              "then rng.normal(...), rng.random(...), rng.permutation(...).", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
