"""The one exception that means "the command was called wrongly"."""

__all__ = ["UsageError"]


class UsageError(Exception):
    """A missing path, an unknown assignment or a file that is not a notebook.

    The message names what was wrong and what was expected; the command line
    prints it and exits with status 2.
    """
