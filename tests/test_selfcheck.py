"""autograder check finds the assignment from the notebook itself, whatever the file is called."""

import shutil
from pathlib import Path

import pytest

from autograder.errors import UsageError
from autograder.manifest import known, load
from autograder.notebooks import read_notebook
from autograder.selfcheck import assignment_of

EXERCISES = Path(__file__).resolve().parents[1] / "exercises"


@pytest.mark.parametrize("name", known())
def test_a_renamed_download_is_recognised_by_its_nbgrader_cells(tmp_path, name):
    renamed = tmp_path / f"{Path(load(name).notebook).stem} (1).ipynb"
    shutil.copy(EXERCISES / name / load(name).notebook, renamed)
    assert assignment_of(renamed, read_notebook(renamed)) == name


def test_a_notebook_without_the_released_cells_is_refused(tmp_path):
    path = tmp_path / "mine.ipynb"
    path.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    with pytest.raises(UsageError, match="its nbgrader cells match no released exercise"):
        assignment_of(path, read_notebook(path))
