"""Silencing a library's warnings while other threads run: one lock around ``catch_warnings``.

:func:`warnings.catch_warnings` saves the process's warning filters on entry
and puts them back on exit. When two threads use it at once, one can put back
filters in the middle of the other's block: a warning the other meant to
ignore is then shown, or raised where the filters turn warnings into errors.
Grading reads notebooks in worker threads while the main thread writes the
gradebook, and both silence their libraries' notes (nbformat's, SQLAlchemy's)
through :func:`quiet`, which lets one thread at a time do so.
"""

import contextlib
import threading
import warnings
from collections.abc import Iterator

__all__ = ["quiet"]

_LOCK = threading.Lock()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Ignore every warning inside the block; one thread at a time."""
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
