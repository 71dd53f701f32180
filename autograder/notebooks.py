"""Reading notebooks safely: validated, with a short reason when they cannot be read."""

import errno
import json
import os
import stat
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.quiet import quiet

__all__ = ["MAX_NOTEBOOK_BYTES", "InvalidNotebook", "nbgrader_metadata", "read_notebook"]

MAX_NOTEBOOK_BYTES = 64 * 2**20
"""A larger file is refused unread: an answer notebook with its figures is a few MiB."""


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


def _read_bytes(path: Path) -> bytes:
    """Read a regular file that is not a symbolic link, at most :data:`MAX_NOTEBOOK_BYTES`.

    ``O_NOFOLLOW`` refuses a link even when it appears between a check and the
    read; ``O_NONBLOCK`` keeps a FIFO from blocking the open until its type is seen.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InvalidNotebook("symlink refused", f"{path.name} is a symbolic link") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InvalidNotebook("not a regular file", f"{path.name} is not a regular file")
        data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook("notebook too large",
                              f"larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB")
    return data


def read_notebook(path: Path) -> NotebookNode:
    """Read and validate a notebook file; never follow a symbolic link.

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
        With reason ``"not a notebook"``, ``"symlink refused"``, ``"not a regular
        file"``, ``"notebook too large"``, ``"invalid notebook JSON"``, ``"notebook
        nested too deeply"`` (JSON that Python's parsers cannot descend, e.g. 500
        lists in one another) or ``"not a valid Jupyter notebook"``.
    OSError
        When the file cannot be opened (missing, no permission).
    """
    if path.suffix != ".ipynb":
        raise InvalidNotebook("not a notebook", f"expected a .ipynb file, got {path.name}")
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InvalidNotebook("invalid notebook JSON", str(err)) from err
    except RecursionError as err:
        raise InvalidNotebook("notebook nested too deeply", str(err)) from None
    try:
        with quiet():  # e.g. nbformat's notes about missing cell ids
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except RecursionError as err:
        raise InvalidNotebook("notebook nested too deeply", str(err)) from None
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
