"""The course folder that formgrader reads: ``submitted/`` and ``autograded/`` entries.

Formgrader decides from files, not only from the gradebook, what it shows. A
student counts as a submission of an assignment when the course folder holds
``submitted/<student>/<assignment>/``; the submission counts as graded (its
scores shown on the student's page) when ``autograded/<student>/<assignment>/``
exists too and the ``timestamp.txt`` of its ``submitted/`` folder gives the
gradebook's time (both absent also agree); and a notebook's scores and its
page in Manual Grading need the notebook itself in ``autograded/``.

So with ``--gradebook``, each graded submission gets, in the gradebook's
folder, ``submitted/<student>/<assignment>/timestamp.txt`` (only the time: the
notebooks stay in the submissions folder, so formgrader's Autograde button
finds nothing to run outside the sandbox and changes no score) and
``autograded/<student>/<assignment>/<notebook>.ipynb`` with its
``timestamp.txt``. That notebook is the learner's, made safe to open in the
instructor's browser and annotated as nbgrader's autograde leaves it: every
output the learner saved is removed (HTML and scripts included), the HTML in
Markdown and raw cells is escaped (nbconvert passes both to the page as they
are), the learner's cell and notebook metadata are dropped, each part's
solution cell and test cell carry the nbgrader metadata of the released
notebook (a test cell the learner deleted is added at the end), a test cell's
code is the released visible test, and a failed part's test cell shows why it
failed, as the feedback page says it (hidden cases named, never shown). Names
are the escaped ids of the grades CSV; no folder or file that is a symbolic
link is followed or written through.
"""

import html
import os
import tempfile
from datetime import datetime
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.grading import GradeRecord
from autograder.manifest import Assignment, Part
from autograder.notebooks import nbgrader_metadata, read_notebook
from autograder.visible import test_cell

__all__ = ["autograded_notebook", "write_entry"]

_METADATA = {"schema_version": 3, "task": False}
_PYTHON = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
           "language_info": {"name": "python"}}
"""The copy's notebook metadata: the course's kernel, none of the learner's metadata."""


def _solution(name: str) -> dict:
    """Return the solution cell ``name``'s nbgrader metadata, as the released notebook has it."""
    return {"nbgrader": {**_METADATA, "cell_type": "code", "grade_id": name, "solution": True,
                         "grade": False, "locked": False, "points": 0}}


def _test(name: str, points: float) -> dict:
    """Return the test cell ``test_<name>``'s nbgrader metadata, as released."""
    return {"nbgrader": {**_METADATA, "cell_type": "code", "grade_id": f"test_{name}",
                         "solution": False, "grade": True, "locked": True, "points": points}}


def _verdict(record: GradeRecord, part: str) -> list[NotebookNode]:
    """Return the outputs of a part's test cell: why it failed, or none when it passed."""
    message = record.messages.get(part)
    if not message:
        return []
    return [nbformat.v4.new_output("stream", name="stderr", text=message + "\n")]


def autograded_notebook(nb: NotebookNode, assignment: Assignment,
                        record: GradeRecord) -> NotebookNode:
    """Return the learner's notebook ``nb`` as formgrader should show it (see the module).

    Parameters
    ----------
    nb : NotebookNode
        The learner's notebook, as read (:func:`autograder.notebooks.read_notebook`).
    assignment : Assignment
        Its manifest: the parts, their points and visible tests.
    record : GradeRecord
        Its grade: the message of each failed part.

    Returns
    -------
    nb : NotebookNode
        A new notebook; the same input gives the same notebook (cell ids included).
    """
    parts = {part.name: part for part in assignment.parts}
    tests = {f"test_{part.name}": part for part in assignment.parts}
    seen: set[str] = set()
    cells = []
    for cell in nb.cells:
        meta = nbgrader_metadata(cell) if cell.cell_type == "code" else None
        grade_id = meta["grade_id"] if meta is not None else ""
        if cell.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(html.escape(cell.source, quote=False)))
        elif cell.cell_type != "code":
            cells.append(nbformat.v4.new_raw_cell(html.escape(cell.source, quote=False)))
        elif grade_id in parts and grade_id not in seen:
            cells.append(nbformat.v4.new_code_cell(cell.source, metadata=_solution(grade_id)))
        elif grade_id in tests and grade_id not in seen:
            cells.append(_test_cell(tests[grade_id], record))
        else:
            cells.append(nbformat.v4.new_code_cell(cell.source))
        seen.add(grade_id)
    cells += [_test_cell(part, record) for name, part in tests.items() if name not in seen]
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    return nbformat.v4.new_notebook(cells=cells, metadata=_PYTHON)


def _test_cell(part: Part, record: GradeRecord) -> NotebookNode:
    """Return the released test cell of ``part``, with why it failed as its output."""
    return nbformat.v4.new_code_cell(test_cell(part), metadata=_test(part.name, part.points),
                                     outputs=_verdict(record, part.name))


def _folder(root: Path, *names: str) -> Path:
    """Make ``root/names...`` one folder at a time, refusing any that is a symbolic link."""
    path = root
    for name in names:
        path = path / name
        if path.is_symlink():
            raise OSError(f"refused to write through a symbolic link: {path}")
        path.mkdir(exist_ok=True)
    return path


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` by replacing it: a link there is replaced, never followed."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _timestamp(folder: Path, moment: datetime | None) -> None:
    """Write ``folder/timestamp.txt`` as nbgrader does (naive UTC), or remove it for none."""
    if moment is None:
        (folder / "timestamp.txt").unlink(missing_ok=True)
    else:
        _write(folder / "timestamp.txt", f"{moment:%Y-%m-%d %H:%M:%S.%f} UTC")


def write_entry(course: Path, record: GradeRecord, assignment: Assignment,
                submission: Path, timestamp: datetime | None) -> None:
    """Write one graded submission's ``submitted/`` and ``autograded/`` entries in ``course``.

    Parameters
    ----------
    course : Path
        The course folder (the gradebook's).
    record : GradeRecord
        The graded submission; its escaped ids name the folders.
    assignment : Assignment
        Its manifest.
    submission : Path
        The submission's folder, holding the learner's notebook.
    timestamp : datetime, optional
        The submission's time as the gradebook keeps it (naive UTC).

    Raises
    ------
    OSError
        When a folder or file cannot be written, or is a symbolic link.
    InvalidNotebook
        When the learner's notebook cannot be read again.
    """
    names = (record.student_id, record.assignment)
    nb = read_notebook(submission / assignment.notebook)
    _timestamp(_folder(course, "submitted", *names), timestamp)
    folder = _folder(course, "autograded", *names)
    _write(folder / assignment.notebook,
           nbformat.writes(autograded_notebook(nb, assignment, record)) + "\n")
    _timestamp(folder, timestamp)
