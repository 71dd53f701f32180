"""The nbgrader configuration of the course, defined once.

Used by the API (temporary course directories) and by
``autograder/nbgrader_config.py`` (instructors running plain ``nbgrader``
commands in ``autograder/``), so both behave the same.
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets.config import Config

from autograder.feedback import ShortenTracebacks
from autograder.kernel import DEFAULT_TIMEOUT, execution_settings

__all__ = ["nbgrader_config"]

# The solution region is replaced by this line only: each source cell ends with
# its own `raise NotImplementedError("Part N: implement <name>")` after the region.
CODE_STUB = "# YOUR CODE HERE"


def nbgrader_config(*, timeout: int = DEFAULT_TIMEOUT) -> Config:
    """Return the course's nbgrader settings.

    Parameters
    ----------
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run during autograding.

    Returns
    -------
    config : traitlets.config.Config
        Code stub, execution (kernel, time-out), restoring deleted test cells,
        and feedback that shows no hidden test.
    """
    config = Config()
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    for name, value in execution_settings(timeout=timeout).items():
        config.Execute[name] = value
    config.OverwriteCells.add_missing_cells = True
    config.GenerateFeedback.preprocessors = [
        GetGrades,
        ClearHiddenTests,
        ShortenTracebacks,
        CSSHTMLHeaderPreprocessor,
    ]
    return config
