"""Feedback for learners that reveals no hidden test."""

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["ShortenTracebacks"]


class ShortenTracebacks(Preprocessor):
    """Replace each error's traceback by its last line, ``Name: message``.

    An IPython traceback quotes the lines around the failing one, so a failed
    hidden assertion would show hidden test code even after nbgrader's
    ``ClearHiddenTests`` removed it from the cell. The message itself (what
    was expected, what was got, where to read) stays.
    """

    enabled = Bool(True, help="Whether to shorten tracebacks (nbconvert's default is off)").tag(
        config=True)

    def preprocess_cell(self, cell, resources, index):
        """Shorten the tracebacks of one cell's error outputs."""
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                name, message = output.get("ename", "Error"), output.get("evalue", "")
                output["traceback"] = [f"{name}: {message}"]
        return cell, resources
