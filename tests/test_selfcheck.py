"""autograder check: finds the assignment from the notebook itself; says which step it is on."""

import io
import json
import re
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.errors import UsageError
from autograder.manifest import known, load
from autograder.notebooks import read_notebook
from autograder.selfcheck import assignment_of, check_notebook, describe_step, report_lines
from tests.grading_fixtures import with_code_cell

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


# ---------------------------------------------------------------- progress while it runs

ASSIGNMENT = "ch01_regression"
PARTS = [part.name for part in load(ASSIGNMENT).parts]
HOSTILE = "# \x1b]0;owned\x07\x1b[2J\x1b[1A\u202eevil\x9b31m"
"""A cell's first line that would retitle, clear and rewrite a terminal if shown as it is."""
ESCAPED = "# \\x1b]0;owned\\x07\\x1b[2J\\x1b[1A\\u202eevil\\x9b31m"
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self):
        return True


def checked(tmp_path, stderr):
    """Check the released Chapter 1 notebook, with a hostile last cell, showing progress."""
    nb = with_code_cell(read_notebook(EXERCISES / ASSIGNMENT / load(ASSIGNMENT).notebook),
                        HOSTILE + "\nx = 1")
    path = tmp_path / ASSIGNMENT / load(ASSIGNMENT).notebook
    path.parent.mkdir()
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stderr", stderr)
        patch.setenv("COLUMNS", "300")  # tqdm cuts its line to the terminal's width
        check_notebook(path, progress=True)
    return nb, stderr.getvalue()


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """The notebook, and what check wrote on a stderr that is not a terminal (a pipe, a log)."""
    return checked(tmp_path_factory.mktemp("plain"), io.StringIO())


@pytest.mark.kernel
def test_progress_names_the_kernel_each_cell_then_each_part_in_order(plain):
    nb, shown = plain
    tests = {f"test_{name}" for name in PARTS}
    code = [number for number, cell in enumerate(nb.cells, start=1)
            if cell.cell_type == "code"
            and cell.metadata.get("nbgrader", {}).get("grade_id") not in tests]
    lines = shown.splitlines()
    cells = [re.fullmatch(r"check: cell (\d+) of (\d+): (.*)", line) for line in lines]
    cells = [match for match in cells if match]
    assert lines[:2] == ["check: computing the reference's results", "check: starting the kernel"]
    assert [int(match[1]) for match in cells] == code
    assert {int(match[2]) for match in cells} == {len(nb.cells)}
    for match in cells[:-1]:
        first = next(line.strip() for line in nb.cells[int(match[1]) - 1].source.splitlines()
                     if line.strip())
        assert first.startswith(match[3].removesuffix("…"))
    assert lines[len(cells) + 2:] == ["check: preparing the graded calls", *[
        f"check: part {number}/{len(PARTS)} {name}: visible cases"
        for number, name in enumerate(PARTS, start=1)]]


@pytest.mark.kernel
def test_progress_off_a_terminal_is_plain_lines(plain):
    _, shown = plain
    assert shown.endswith("\n")
    assert not CONTROLS.search(shown.replace("\n", ""))
    assert all(line.startswith("check: ") for line in shown.splitlines())


@pytest.mark.kernel
def test_a_cell_cannot_send_control_sequences_to_the_learners_terminal(plain, tmp_path):
    nb, shown = plain
    _, drawn = checked(tmp_path, Terminal())
    assert f"check: cell {len(nb.cells)} of {len(nb.cells)}: {ESCAPED}\n" in shown
    assert f"cell {len(nb.cells)} of {len(nb.cells)}: {ESCAPED}" in drawn
    assert not CONTROLS.search(drawn.replace("\r", ""))


@pytest.mark.kernel
def test_on_a_terminal_the_progress_is_one_line_redrawn_then_cleared(tmp_path):
    _, drawn = checked(tmp_path, Terminal())
    assert "\n" not in drawn
    frames = drawn.split("\r")
    assert frames[-1] == "" and frames[-2].strip() == ""  # cleared before the verdicts
    shown = [f"part {number}/{len(PARTS)} {name}: visible cases"
             for number, name in enumerate(PARTS, start=1)]
    firsts = [next(i for i, frame in enumerate(frames) if text in frame) for text in shown]
    assert firsts == sorted(firsts)
    assert "check: " in frames[1] and "starting the kernel" in drawn


def test_a_hostile_part_name_or_cell_is_shown_escaped():
    nb = new_notebook(cells=[new_code_cell("\n  \n" + HOSTILE)])
    assignment = SimpleNamespace(parts=[SimpleNamespace(name="mse"),
                                        SimpleNamespace(name="\x1b[2J\u2067x")])
    done, text = describe_step("cell", 1, nb, assignment)
    assert (done, text) == (0, f"cell 1 of 1: {ESCAPED}")
    done, text = describe_step("visible", "\x1b[2J\u2067x", nb, assignment)
    assert (done, text) == (2, "part 2/2 \\x1b[2J\\u2067x: visible cases")


def test_a_long_first_line_is_cut_to_one_short_line():
    nb = new_notebook(cells=[new_code_cell("y = " + "1 + " * 40 + "1\nprint(y)")])
    _, text = describe_step("cell", 1, nb, SimpleNamespace(parts=[]))
    assert text == "cell 1 of 1: y = " + "1 + " * 11 + "1…"


# ---------------------------------------------------------------- the notebook's language

def test_progress_speaks_the_notebooks_language():
    assignment = load(ASSIGNMENT)
    korean = read_notebook(EXERCISES / "ko" / ASSIGNMENT / assignment.notebook)
    english = read_notebook(EXERCISES / ASSIGNMENT / assignment.notebook)
    assert describe_step("kernel", 0, korean, assignment) == (0, "커널을 시작하는 중")
    assert describe_step("visible", PARTS[1], korean, assignment)[1] == (
        f"문항 2/{len(PARTS)} {PARTS[1]}: 공개된 경우")
    assert describe_step("kernel", 0, english, assignment) == (0, "starting the kernel")


@pytest.mark.kernel
@pytest.mark.parametrize("language", ["ko", "en"])
def test_check_speaks_the_notebooks_language(language):
    """The released skeleton, checked: Korean lines for the Korean release, English otherwise."""
    folder = EXERCISES / language if language == "ko" else EXERCISES
    report = check_notebook(folder / ASSIGNMENT / load(ASSIGNMENT).notebook)
    lines = report_lines(report)
    assert (report.language, len(lines)) == (language, len(PARTS) + 1)
    korean = ("실패", " 참고", "합계 0/")
    fail, see, total = korean if language == "ko" else ("FAIL", "", "TOTAL 0/")
    for line, part in zip(lines, PARTS, strict=False):
        assert line.split()[:2] == [fail, part] and line.endswith(see)
        assert ("— see Chapter" in line) == (language == "en")
    assert lines[-1].startswith(total)
