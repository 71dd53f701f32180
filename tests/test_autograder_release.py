"""exercises/ is what `autograder release` makes now, and it gives nothing away."""

import nbformat
import pytest

from autograder import api
from autograder.course import EXERCISES_DIR, SOURCE_DIR
from autograder.manifest import known, load
from autograder.release import write_tests
from tests.grading_fixtures import solution_bodies

pytestmark = pytest.mark.slow

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Every assignment released into a temporary folder."""
    out = tmp_path_factory.mktemp("released")
    api.release(out_dir=out, update_sources=False)
    return out


@pytest.mark.parametrize("assignment", known())
def test_instructor_notebooks_match_their_manifests(assignment):
    assert not write_tests(load(assignment), write=False), (
        f"the test cells of {assignment}'s instructor notebook differ from its manifest: "
        "run `make exercises` and commit")


def _files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_exercises_are_up_to_date(fresh):
    assert _files(fresh) == _files(EXERCISES_DIR), "run `make exercises` and commit exercises/"
    stale = [str(p) for p in _files(fresh)
             if (fresh / p).read_bytes() != (EXERCISES_DIR / p).read_bytes()]
    assert not stale, f"exercises out of date (run `make exercises`): {stale}"


@pytest.mark.parametrize("language", ["", "ko"])
@pytest.mark.parametrize("assignment", known())
def test_released_notebooks_hide_solutions_and_hidden_tests(fresh, assignment, language):
    for source in sorted((SOURCE_DIR / assignment).glob("*.ipynb")):
        released = (fresh / language / assignment / source.name).read_text(encoding="utf-8")
        assert not [m for m in MARKERS if m in released]
        solution_lines = {line.strip() for body in solution_bodies(assignment, source.name).values()
                          for line in body.splitlines() if len(line.strip()) > 8}
        assert solution_lines, "no solution code found in the source: the check would be empty"
        assert not [line for line in solution_lines if line in released]
        assert "from solutions" not in released and "autograder" not in released.replace(
            "autograder check", "")


def _graded_cells(nb):
    """Each cell's type, grade id and points, and its source where it is the learner's code."""
    cells = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        written = cell.cell_type == "markdown" or grade_id == "setup" or grade_id.startswith(
            "test_")  # made from the catalogue
        cells.append((cell.cell_type, grade_id, cell.metadata.get("nbgrader", {}).get("points"),
                      None if written else cell.source))
    return cells


@pytest.mark.parametrize("assignment", known())
def test_the_korean_release_has_the_english_cells_points_and_code(fresh, assignment):
    """Same cells, grade ids, points and learner code cells; only the words and language differ."""
    name = load(assignment).notebook
    english = nbformat.read(fresh / assignment / name, as_version=4)
    korean = nbformat.read(fresh / "ko" / assignment / name, as_version=4)
    assert _graded_cells(korean) == _graded_cells(english)
    assert korean.metadata["course"] == {"language": "ko"} and "course" not in english.metadata
    tests = [cell.source for cell in korean.cells
             if cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")]
    assert len(tests) == len(load(assignment).parts)
    assert all("공개된 경우를 확인한다" in source for source in tests)
    text = "".join(cell.source for cell in korean.cells if cell.cell_type == "markdown")
    assert f"exercises/{assignment}/" not in text  # `autograder check` names this notebook
