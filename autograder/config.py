"""The nbgrader configuration of the course, defined once.

Used by the API (temporary course directories for ``generate_assignment``) and
by ``autograder/nbgrader_config.py`` (instructors running plain ``nbgrader``
commands, e.g. ``nbgrader formgrader``, in ``autograder/``), so both behave the same.
"""

from traitlets.config import Config

__all__ = ["nbgrader_config"]

# The solution region is replaced by this line only: each source cell ends with
# its own `raise NotImplementedError("Part N: implement <name>")` after the region.
CODE_STUB = "# YOUR CODE HERE"


def nbgrader_config() -> Config:
    """Return the course's nbgrader settings: the code stub of released notebooks.

    Returns
    -------
    config : traitlets.config.Config
    """
    config = Config()
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    return config
