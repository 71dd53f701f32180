"""Reading notebooks safely: validated, with a short reason when they cannot be read."""

import json
import warnings
from pathlib import Path

import nbformat
from nbformat import NotebookNode

__all__ = ["InvalidNotebook", "nbgrader_metadata", "read_notebook"]


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
