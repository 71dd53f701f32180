"""Outputs survive any submission: odd folders, hostile names, links, failing writers.

Two batches are graded by the real command (``autograder.cli.main``), so that
the exit status is checked with the outputs:

* ``layout``: no notebook in it can run (so no kernel is needed): empty and
  misplaced folders, files where folders should be, symbolic links to another
  student's work and to the instructor's notebook, a FIFO, names that are not
  UTF-8 or hold control characters, ids a spreadsheet would run as formulas,
  JSON nested 100,000 deep. Each must get exactly one row with a reason, and
  every output (CSV, LMS CSV, feedback pages, progress and summary lines) must
  be written, escaped, in full.
* ``kernels``: notebooks that run: solved ones, one whose visible case raises
  ``ValueError("\\ud800")`` with control characters, one with a 20,000-term
  expression, one in a folder whose name is not UTF-8; and the feedback writer
  made to fail for one student. Rows before and after it, every feedback page
  and every gradebook entry of the others are written; the run exits 3.

Interrupting a run after two rows leaves those two rows, pages and LMS rows on disk.
"""

import contextlib
import copy
import csv
import io
import os
from pathlib import Path

import nbformat
import pytest

from autograder import api, cli, outputs
from autograder.grading import Shard
from autograder.manifest import load
from autograder.notebooks import MAX_NOTEBOOK_BYTES
from tests.grading_fixtures import (
    fill,
    solution_bodies,
    source_path,
    with_code_cell,
    write_submission,
)

pytestmark = pytest.mark.xdist_group("survival")  # the module's batches are graded once

NAME = "ch01_regression"
NOTEBOOK = load(NAME).notebook
FULL = load(NAME).max_score
SEED = 31337
NOT_JSON = "not JSON"
FORMULA_IDS = ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "'quoted")


def _run(argv: list[str]) -> tuple[int, str, str]:
    """``autograder ARGV`` in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def _table(path: Path) -> list[list[str]]:
    """The rows of a CSV file, read as strict UTF-8 (a surrogate or bad byte fails here)."""
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8")), strict=True))


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    header, *rows = _table(path)
    return {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows}


def _write_layout(subs: Path) -> None:
    """The ``layout`` batch of the module docstring."""
    raw = os.fsencode(subs)

    def put(student: str | bytes, text: str = NOT_JSON, name: str | bytes = NOTEBOOK,
            assignment: str | bytes = NAME) -> None:
        folder = os.path.join(raw, os.fsencode(student), os.fsencode(assignment))
        os.makedirs(folder)
        with open(os.path.join(folder, os.fsencode(name)), "w", encoding="utf-8") as handle:
            handle.write(text)

    put("victim")
    (subs / "empty_student").mkdir()
    (subs / "file_student").write_text("a file, not a folder\n")
    (subs / "file_assignment").mkdir()
    (subs / "file_assignment" / NAME).write_text("a file, not a folder\n")
    (subs / "link_student").symlink_to(subs / "victim")
    (subs / "link_assignment").mkdir()
    (subs / "link_assignment" / NAME).symlink_to(subs / "victim" / NAME)
    (subs / "link_notebook" / NAME).mkdir(parents=True)
    (subs / "link_notebook" / NAME / NOTEBOOK).symlink_to(source_path(NAME, NOTEBOOK))
    (subs / "fifo" / NAME).mkdir(parents=True)
    os.mkfifo(subs / "fifo" / NAME / NOTEBOOK)
    put(b"bytes_\xff\xfe")
    put("control_\x1b[2J\rname")
    put("badname", name=b"\xff.ipynb")
    put("ghost", assignment=b"\xff")
    put("deep", "[" * 100_000 + "]" * 100_000)
    put("huge")
    os.truncate(subs / "huge" / NAME / NOTEBOOK, MAX_NOTEBOOK_BYTES + 1)  # sparse: no disk used
    for student in FORMULA_IDS:
        put(student)


LAYOUT_REASONS = {  # (student_id as written, assignment): what its status must say
    ("victim", NAME): f"invalid notebook JSON in {NOTEBOOK}",
    ("empty_student", ""): "empty student folder",
    ("file_student", ""): "a file where a student folder should be",
    ("file_assignment", NAME): "a file where an assignment folder should be",
    ("link_student", ""): "symlink refused",
    ("link_assignment", NAME): "symlink refused",
    ("link_notebook", NAME): f"symlink refused: {NOTEBOOK}",
    ("fifo", NAME): f"{NOTEBOOK} is not a regular file",
    ("bytes_\\xff\\xfe", NAME): "the folder name bytes_\\xff\\xfe is not valid UTF-8",
    ("control_\\x1b[2J\\rname", NAME): "control characters",
    ("badname", NAME): f"missing notebook {NOTEBOOK} (found \\xff.ipynb)",
    ("ghost", "\\xff"): "unknown assignment \\xff",
    ("deep", NAME): f"notebook nested too deeply in {NOTEBOOK}",
    ("huge", NAME): f"notebook too large in {NOTEBOOK}",
    **{(f"'{student}", NAME): f"invalid notebook JSON in {NOTEBOOK}"
       for student in FORMULA_IDS},
}


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    root = tmp_path_factory.mktemp("layout")
    _write_layout(root / "subs")
    out = root / "out"
    code, stdout, stderr = _run(
        ["grade", str(root / "subs"), "--out", str(out / "grades.csv"), "--lms",
         str(out / "lms.csv"), "--gradebook", str(out / "gradebook.db"), "--seed", str(SEED),
         "--jobs", "2", "--no-sandbox"])
    return {"root": root, "subs": root / "subs", "out": out, "code": code, "stdout": stdout,
            "stderr": stderr}


def test_every_entry_gets_one_row_with_its_reason(layout):
    rows = _rows(layout["out"] / "grades.csv")
    assert sorted(rows) == sorted(LAYOUT_REASONS)
    for key, reason in LAYOUT_REASONS.items():
        assert reason in rows[key]["status"], (key, rows[key]["status"])
        assert rows[key]["score"] == "", key  # nothing ran: never a silent 0


def test_graded_with_problems_exits_1_and_says_so_in_one_line(layout):
    assert layout["code"] == 1, layout["stderr"][-2000:]
    (line,) = layout["stdout"].splitlines()
    assert line.startswith(f"graded 0 of {len(LAYOUT_REASONS)} submissions")
    assert "\x1b[2J" not in layout["stderr"] and "\rname" not in layout["stderr"]


def test_symlinks_are_never_followed(layout):
    """The links point at an unreadable notebook: following one would say 'invalid JSON'."""
    rows = _rows(layout["out"] / "grades.csv")
    for key in (("link_student", ""), ("link_assignment", NAME), ("link_notebook", NAME)):
        assert "invalid notebook JSON" not in rows[key]["status"]


def test_formula_ids_are_neutralised_in_both_csvs(layout):
    grades = {row[0] for row in _table(layout["out"] / "grades.csv")[1:]}
    lms = {row[0] for row in _table(layout["out"] / "lms.csv")[1:]}
    assert grades == lms
    assert {f"'{student}" for student in FORMULA_IDS} <= grades
    assert not [cell for row in _table(layout["out"] / "grades.csv")[1:] for cell in row
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_every_row_has_a_readable_feedback_page(layout):
    pages = sorted(layout["out"].glob("feedback/**/feedback.html"))
    assert len(pages) == len(LAYOUT_REASONS)
    for page in pages:
        text = page.read_bytes().decode("utf-8")
        assert "\x1b" not in text and "\r" not in text, page


def test_merged_shards_of_the_layout_equal_the_unsharded_run(layout):
    """Neutralised ids round-trip through merge: escaped once, never twice."""
    root, inputs = layout["root"], []
    for k in (1, 2):
        folder = root / f"shard-{k}"
        code, _, err = _run(["grade", str(layout["subs"]), "--out", str(folder / "grades.csv"),
                             "--seed", str(SEED), "--shard", str(Shard(k, 2)), "--jobs", "1",
                             "--no-sandbox"])
        assert code == 1, err[-2000:]
        inputs.append(folder / "grades.csv")
    merged = root / "merged"
    api.merge(inputs=inputs, out=merged / "grades.csv", lms=merged / "lms.csv",
              submissions=layout["subs"])
    for name in ("grades.csv", "lms.csv"):
        assert (merged / name).read_bytes() == (layout["out"] / name).read_bytes(), name


def test_an_interrupted_run_keeps_the_rows_written_before(tmp_path, monkeypatch):
    """Rows, pages and LMS rows are on disk as soon as each row is graded."""
    subs = tmp_path / "subs"
    for student in ("s1", "s2", "s3", "s4"):
        write_submission(subs, student, NAME, NOTEBOOK, NOT_JSON)
    pages, on_disk = [], {}

    def page_then_stop(record, folder, **options):
        if len(pages) == 2:  # what a process killed now would leave: read while still open
            on_disk.update(grades=_table(out / "grades.csv"), lms=_table(out / "lms.csv"))
            raise KeyboardInterrupt  # as a person pressing Ctrl-C
        pages.append(record.student_id)
        return write_page(record, folder, **options)

    write_page = outputs.write_feedback
    monkeypatch.setattr(outputs, "write_feedback", page_then_stop)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        api.grade(submissions=subs, out=out / "grades.csv", feedback=out / "feedback",
                  lms=out / "lms.csv", jobs=1, seed=SEED, sandbox=False)
    assert [row[0] for row in on_disk["grades"][1:]] == pages == ["s1", "s2"]
    assert [row[0] for row in on_disk["lms"][1:]] == pages
    assert _table(out / "grades.csv") == on_disk["grades"]
    assert sorted(p.parts[-3] for p in out.glob("feedback/*/*/feedback.html")) == pages


def test_a_row_that_cannot_be_written_is_replaced_by_one_that_says_why(tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    for student in ("s1", "s2", "s3"):
        write_submission(subs, student, NAME, NOTEBOOK, NOT_JSON)
    grades_row = outputs.grades_row

    def fails_for_s2(record, header):
        if record.student_id == "s2":
            raise ValueError("a cell no writer takes")
        return grades_row(record, header)

    monkeypatch.setattr(outputs, "grades_row", fails_for_s2)
    out = tmp_path / "out" / "grades.csv"
    run = api.grade(submissions=subs, out=out, jobs=2, seed=SEED, sandbox=False)
    rows = _rows(out)
    assert [key[0] for key in rows] == ["s1", "s2", "s3"]
    why = "could not write this row: ValueError: a cell no writer takes"
    assert rows["s2", NAME]["status"] == why
    assert rows["s1", NAME]["status"] == rows["s3", NAME]["status"] == \
        f"invalid notebook JSON in {NOTEBOOK}"
    assert run.failures == (f"s2/{NAME}: {why}",)


# --------------------------------------------------------------------- notebooks that run

HOSTILE_MSE = ("def mse(y, y_pred):\n"
               "    print('\\r\\x1b[2J\\n' * 3, end='')\n"
               "    raise ValueError('\\ud800 \\x1b[31mred\\r\\nforged line\\x00')\n")
LONG_EXPRESSION = "total = " + " + ".join(["1"] * 20_000) + "\n"


def _first_cell(nb, source: str):
    """A copy of ``nb`` that starts with a code cell holding ``source``."""
    nb = copy.deepcopy(nb)
    nb.cells.insert(0, nbformat.v4.new_code_cell(source))
    return nb


@pytest.fixture(scope="module")
def kernels(tmp_path_factory):
    root = tmp_path_factory.mktemp("kernels")
    subs = root / "subs"
    solved = fill(NAME, NOTEBOOK, solution_bodies(NAME, NOTEBOOK))
    notebooks = {"a_solved": solved, "b_page_fails": solved, "c_solved": solved,
                 "surrogate": with_code_cell(solved, HOSTILE_MSE),
                 "long_expression": _first_cell(solved, LONG_EXPRESSION),
                 "bytes_\udcff": solved}
    for student, nb in notebooks.items():
        write_submission(subs, student, NAME, NOTEBOOK, nb)
    write_page = outputs.write_feedback

    def page_fails_for_b(record, folder, **options):
        if record.student_id == "b_page_fails":
            raise OSError(28, "No space left on device")
        return write_page(record, folder, **options)

    out = root / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outputs, "write_feedback", page_fails_for_b)
        code, stdout, stderr = _run(
            ["grade", str(subs), "--out", str(out / "grades.csv"), "--lms", str(out / "lms.csv"),
             "--gradebook", str(out / "gradebook.db"), "--seed", str(SEED), "--jobs", "2",
             "--timeout", "30", "--no-sandbox"])
    return {"out": out, "code": code, "stdout": stdout, "stderr": stderr,
            "rows": {key[0]: row for key, row in _rows(out / "grades.csv").items()}}


@pytest.mark.kernel
def test_a_failing_writer_fails_its_row_only_and_the_run_exits_3(kernels):
    rows = kernels["rows"]
    assert kernels["code"] == 3, kernels["stderr"][-2000:]
    assert "could not write the feedback page: OSError" in rows["b_page_fails"]["status"]
    assert rows["b_page_fails"]["score"] == f"{FULL:g}"
    assert "b_page_fails" in kernels["stderr"] and "No space left" in kernels["stderr"]
    pages = {p.parts[-3] for p in kernels["out"].glob("feedback/*/*/feedback.html")}
    assert pages == set(rows) - {"b_page_fails"}
    assert {row[0] for row in _table(kernels["out"] / "lms.csv")[1:]} == set(rows)


@pytest.mark.kernel
def test_every_scored_row_reaches_the_gradebook(kernels):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{kernels['out'] / 'gradebook.db'}") as gradebook:
        scores = {s.id: gradebook.find_submission(NAME, s.id).score for s in gradebook.students}
    assert scores == {student: float(row["score"]) for student, row in kernels["rows"].items()}


@pytest.mark.kernel
def test_a_surrogate_in_a_message_is_escaped_everywhere(kernels):
    rows, out = kernels["rows"], kernels["out"]
    mse = next(part.points for part in load(NAME).parts if part.name == "mse")
    assert rows["surrogate"]["score"] == f"{FULL - mse:g}"
    page = (out / "feedback" / "surrogate" / NAME / "feedback.html").read_bytes().decode()
    assert "\\ud800 \\x1b[31mred\\r\\nforged line\\x00" in page
    assert rows["a_solved"]["score"] == rows["c_solved"]["score"] == f"{FULL:g}"


@pytest.mark.kernel
def test_a_20000_term_expression_keeps_the_score_and_says_why(kernels):
    row = kernels["rows"]["long_expression"]
    assert row["score"] == f"{FULL:g}"
    assert "too deeply nested" in row["flags"] + row["status"]


@pytest.mark.kernel
def test_a_folder_name_that_is_not_utf8_is_graded_under_its_escaped_name(kernels):
    row = kernels["rows"]["bytes_\\xff"]
    assert row["score"] == f"{FULL:g}"
    assert "not valid UTF-8" in row["status"]


@pytest.mark.kernel
def test_the_summary_stays_one_line(kernels):
    (line,) = kernels["stdout"].splitlines()
    assert line.startswith("graded 6 of 6 submissions")
