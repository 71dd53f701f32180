"""Reading notebooks safely, and repairing submissions so nbgrader can grade them."""

import copy
import json
import warnings
from pathlib import Path

import nbformat
from nbformat import NotebookNode

__all__ = ["InvalidNotebook", "graded_cells", "nbgrader_metadata", "read_notebook", "repair"]

# The keys nbgrader's checks depend on; the rest (checksum, cell_type) nbgrader rewrites itself.
_CORE_KEYS = ("schema_version", "grade_id", "solution", "grade", "locked", "points", "task")


class InvalidNotebook(ValueError):
    """A file that cannot be read as a Jupyter notebook.

    Parameters
    ----------
    reason : str
        A short reason for a status column, e.g. ``"invalid notebook JSON"``.
    detail : str
        What exactly was wrong (the parser's message).
    """

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def read_notebook(path: Path) -> NotebookNode:
    """Read and validate a notebook file.

    Parameters
    ----------
    path : Path
        A ``.ipynb`` file.

    Returns
    -------
    nb : NotebookNode
        The notebook, in format version 4.

    Raises
    ------
    InvalidNotebook
        With reason ``"not a notebook"``, ``"invalid notebook JSON"`` or
        ``"not a valid Jupyter notebook"``.
    """
    if path.suffix != ".ipynb":
        raise InvalidNotebook("not a notebook", f"expected a .ipynb file, got {path.name}")
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InvalidNotebook("invalid notebook JSON", str(err)) from err
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. nbformat's notes about missing cell ids
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except (nbformat.ValidationError, nbformat.reader.NotJSONError, KeyError, AttributeError,
            TypeError) as err:
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InvalidNotebook("not a valid Jupyter notebook", detail) from err
    return nb


def nbgrader_metadata(cell: NotebookNode) -> dict | None:
    """Return the cell's nbgrader metadata when it is complete enough to use, else None."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
        return meta
    return None


def graded_cells(nb: NotebookNode) -> list[NotebookNode]:
    """Return the autograded test cells (``grade``, not ``solution``), in notebook order."""
    cells = []
    for cell in nb.cells:
        meta = nbgrader_metadata(cell)
        if meta and meta.get("grade") and not meta.get("solution"):
            cells.append(cell)
    return cells


def repair(submitted: NotebookNode, source: NotebookNode) -> list[str]:
    """Make a submission safe for nbgrader, in place, and say what was changed.

    nbgrader stops a whole grading run on a cell with empty (``{}``) or unknown
    nbgrader metadata and on a duplicated ``grade_id``. Here every cell whose
    ``grade_id`` is in the source gets the source's metadata back (first
    occurrence only); the nbgrader metadata of any other cell is removed, so it
    becomes an ordinary cell. Test cells that were deleted are restored later
    by nbgrader itself (``OverwriteCells.add_missing_cells``); they are only
    reported here.

    Parameters
    ----------
    submitted : NotebookNode
        The learner's notebook; modified in place.
    source : NotebookNode
        The instructor notebook it was released from.

    Returns
    -------
    changes : list of str
        One short note per change, empty when nothing needed repair.
    """
    expected = {}
    for cell in source.cells:
        meta = nbgrader_metadata(cell)
        if meta:
            expected[meta["grade_id"]] = {key: meta[key] for key in _CORE_KEYS if key in meta}
    changes, seen = [], set()
    for index, cell in enumerate(submitted.cells):
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        meta = nbgrader_metadata(cell)
        grade_id = meta["grade_id"] if meta else None
        if grade_id in expected and grade_id not in seen:
            seen.add(grade_id)
            if any(meta.get(key) != value for key, value in expected[grade_id].items()):
                meta.update(copy.deepcopy(expected[grade_id]))
                changes.append(f"reset metadata of cell {grade_id}")
            continue
        del cell.metadata["nbgrader"]
        reason = "duplicate" if grade_id in seen else "unknown" if grade_id else "broken"
        changes.append(f"removed {reason} nbgrader metadata of cell {grade_id or index + 1}")
    for cell in graded_cells(source):
        if cell.metadata.nbgrader["grade_id"] not in seen:
            changes.append(f"restored deleted test cell {cell.metadata.nbgrader['grade_id']}")
    return changes
