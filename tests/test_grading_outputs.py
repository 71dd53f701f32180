"""What a grading run writes, checked on one small Chapter 1 batch graded in the sandbox.

One module-scoped run of ``autograder.api.grade`` with a fixed seed grades six
notebooks and writes every output: the grades CSV, the LMS CSV, the feedback
pages and an nbgrader gradebook. The tests then check that

* the same seed gives byte-identical CSVs and another seed changes only the key column;
* shards graded apart and merged with ``api.merge`` equal the unsharded run byte for
  byte (feedback folders joined, LMS CSV; the gradebook holds the same scores), and merge
  refuses a missing shard and files from other runs (more attacks in
  ``tests/test_merge.py``). The repeated
  run and the shards run as ``autograder grade`` in processes of their own, with other
  hash salts (``PYTHONHASHSEED``), as on other machines;
* the LMS CSV and the gradebook hold the same totals and part scores as the CSV;
* no feedback page shows a hidden case's inputs or expected values, and a failed hidden
  case is named by what it checks only;
* answers pasted from the reference are flagged and keep their points; the solved
  notebook, the skeleton and short parts are never flagged;
* ``api.similarity`` pairs the two students who handed in the same answers.

The batch (``student -> what it holds``):

``solved``   the instructor's solutions, full marks;
``skeleton`` the released notebook as it is, 0;
``mutant``   the solutions with an R^2 clipped at 0: passes every visible case of
             r_squared, fails its hidden case "can be negative";
``copied``   the skeleton with fit_line, predict_linear and mse pasted from
             ``solutions/regression.py`` (and NumPy stand-ins for the helpers they call),
             and softmax pasted and adapted as a learner would (``xp`` made ``np``);
``twin_a``, ``twin_b``  the skeleton with the same hand-written fit_line and softmax.
"""

import csv
import html
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder import api
from autograder.errors import UsageError
from autograder.export import LMS_COLUMNS
from autograder.grading import Shard
from autograder.judge import reference_outcomes
from autograder.manifest import load
from autograder.runkey import RunKey
from solutions import regression as reference
from tests.grading_fixtures import fill, solution_bodies, with_code_cell, write_submission

pytestmark = [pytest.mark.kernel, pytest.mark.slow,
              pytest.mark.xdist_group("grading-outputs")]

NAME = "ch01_regression"
ASSIGNMENT = load(NAME)
NOTEBOOK = ASSIGNMENT.notebook
SEED, OTHER_SEED = 20261125, 7
TIMEOUT = 20
STUDENTS = ("copied", "mutant", "skeleton", "solved", "twin_a", "twin_b")
COPIED_PARTS = ("fit_line", "softmax", "predict_linear", "mse")
TWIN_PARTS = ("fit_line", "softmax")

# R^2 clipped at 0: right on every visible case (0.79, 0, ValueError for a constant y),
# wrong on the hidden case that predicts -y.
CLIPPED_R2 = (
    "    spread = float(np.sum((y - y.mean()) ** 2))\n"
    "    if spread == 0.0:\n"
    "        raise ValueError('y is constant')\n"
    "    return max(0.0, 1.0 - float(np.sum((y - y_pred) ** 2)) / spread)\n"
)

# The twins' answers: right, written without the reference or the instructor's solution.
TWIN_BODIES = {
    "fit_line": (
        "    xs = np.asarray(x, dtype=float)\n"
        "    ys = np.asarray(y, dtype=float)\n"
        "    x_bar, y_bar = np.mean(xs), np.mean(ys)\n"
        "    sxx = np.dot(xs - x_bar, xs - x_bar)\n"
        "    if not sxx > 0:\n"
        "        raise ValueError('fit_line needs two different x values')\n"
        "    slope = np.dot(xs - x_bar, ys - y_bar) / sxx\n"
        "    return float(slope), float(y_bar - slope * x_bar)\n"
    ),
    "softmax": (
        "    if np.ndim(Z) != 2:\n"
        "        raise ValueError(f'softmax expects scores of shape (N, C), not {np.shape(Z)}')\n"
        "    top = np.max(Z, axis=-1, keepdims=True)\n"
        "    powers = np.exp(Z - top)\n"
        "    totals = np.sum(powers, axis=-1, keepdims=True)\n"
        "    probabilities = powers / totals\n"
        "    return probabilities\n"
    ),
}

# What the reference's functions call, rebuilt with NumPy, so that its source pasted
# into the notebook runs there as it is.
REFERENCE_HELPERS = textwrap.dedent('''\
    import numpy as np

    def get_xp(*arrays):
        return np

    def as_float_array(x, name, *, ndim=None, shape="", finite=False, xp=None):
        arr = np.asarray(x)
        if arr.dtype.kind in "biu":
            arr = arr.astype(np.float64)
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if allowed is not None and arr.ndim not in allowed:
            raise ValueError(f"{name} must have shape {shape}; got {arr.shape}")
        if finite and not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite")
        return arr

    def check_same_length(name_a, a, name_b, b):
        if a.shape[0] != b.shape[0]:
            raise ValueError(f"{name_a} and {name_b} must have the same length")

    def as_prediction_pair(pred, target, pred_name, target_name, *, xp=None):
        pred = as_float_array(pred, pred_name, ndim=(1, 2), finite=True)
        target = as_float_array(target, target_name, ndim=(1, 2), finite=True)
        if pred.shape != target.shape:
            raise ValueError(f"{pred_name} and {target_name} must have the same shape")
        return pred, target.astype(pred.dtype, copy=False)
    ''') + "\n\n" + inspect.getsource(reference._check_params)


def _adapted(source: str) -> str:
    """The reference's source as a learner adapts it to NumPy: ``xp`` becomes ``np``."""
    lines = [line for line in source.splitlines() if "get_xp(" not in line]
    return "\n".join(lines).replace("xp.", "np.").replace(", xp=xp", "") + "\n"


def _pasted(nb, part, *, adapt=False):
    """``nb`` with the solution cell of ``part`` replaced by the reference's source."""
    source = inspect.getsource(getattr(reference, part))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == part:
            cell.source = _adapted(source) if adapt else source
    return nb


def _grade_in_process_of_its_own(subs: Path, folder: Path, *, seed: int, hash_salt: int,
                                 shard: str | None = None) -> None:
    """``autograder grade`` as a command, in a fresh Python with its own ``hash`` salt."""
    command = [sys.executable, "-m", "autograder", "grade", str(subs), "--seed", str(seed),
               "--out", str(folder / "grades.csv"), "--lms", str(folder / "lms.csv"),
               "--jobs", "2", "--timeout", str(TIMEOUT)]
    command += ["--shard", shard] if shard else []
    done = subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONHASHSEED": str(hash_salt)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"key {RunKey(seed).id}" in done.stdout


def _grade(subs: Path, folder: Path, *, seed: int, shard: Shard | None = None,
           extras: bool = False) -> api.GradeRun:
    """Grade ``subs`` into ``folder/grades.csv`` (and ``folder/feedback``, LMS, gradebook)."""
    return api.grade(submissions=subs, out=folder / "grades.csv", feedback=folder / "feedback",
                     lms=folder / "lms.csv" if extras else None,
                     gradebook=folder / "gradebook.db" if extras else None,
                     jobs=2, seed=seed, shard=shard, timeout=TIMEOUT)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def write_batch(subs: Path) -> None:
    """Write the six notebooks of the module docstring under ``subs``."""
    solved = solution_bodies(NAME, NOTEBOOK)
    copied = fill(NAME, NOTEBOOK, {})
    for part in COPIED_PARTS:
        copied = _pasted(copied, part, adapt=part == "softmax")
    notebooks = {
        "solved": fill(NAME, NOTEBOOK, solved),
        "skeleton": fill(NAME, NOTEBOOK, {}),
        "mutant": fill(NAME, NOTEBOOK, {**solved, "r_squared": CLIPPED_R2}),
        "copied": with_code_cell(copied, REFERENCE_HELPERS),
        "twin_a": fill(NAME, NOTEBOOK, TWIN_BODIES),
        "twin_b": fill(NAME, NOTEBOOK, TWIN_BODIES),
    }
    for student, nb in notebooks.items():
        write_submission(subs, student, NAME, NOTEBOOK, nb)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The six notebooks (see the module docstring), graded once with SEED."""
    root = tmp_path_factory.mktemp("grading_outputs")
    subs = root / "submissions"
    write_batch(subs)
    run = _grade(subs, root / "full", seed=SEED, extras=True)
    records = {r.student_id: r for r in run.records}
    assert sorted(records) == sorted(STUDENTS)
    return {"root": root, "subs": subs, "out": root / "full", "run": run, "records": records,
            "rows": {row["student_id"]: row for row in _rows(root / "full" / "grades.csv")}}


@pytest.fixture(scope="module")
def shards(batch):
    """Shards 1/2 and 2/2 graded apart with SEED (``shard-K/grades.csv``), then merged."""
    root = batch["root"]
    for k in (1, 2):
        _grade_in_process_of_its_own(batch["subs"], root / f"shard-{k}", seed=SEED,
                                     hash_salt=1 + k, shard=str(Shard(k, 2)))
    inputs = [root / f"shard-{k}" / "grades.csv" for k in (1, 2)]
    merged = root / "merged" / "grades.csv"
    rows = api.merge(inputs=inputs, out=merged, lms=merged.parent / "lms.csv",
                     gradebook=merged.parent / "gradebook.db", submissions=batch["subs"])
    return inputs, merged, rows


def _points() -> dict[str, float]:
    return {part.name: float(part.points) for part in ASSIGNMENT.parts}


def test_scores_of_the_batch(batch):
    """The batch grades as designed, so the later tests check real outputs."""
    records, full = batch["records"], _points()
    assert records["solved"].parts == full
    assert records["skeleton"].parts == dict.fromkeys(full, 0.0)
    assert all("NotImplementedError" in m for m in records["skeleton"].messages.values())
    assert records["mutant"].parts == {**full, "r_squared": 0.0}
    for student, answered in (("copied", COPIED_PARTS), ("twin_a", TWIN_PARTS),
                              ("twin_b", TWIN_PARTS)):
        expected = {p: (full[p] if p in answered else 0.0) for p in full}
        assert records[student].parts == expected, (student, records[student].messages)
    assert all(r.status == "ok" and r.seed == SEED for r in records.values())
    assert batch["run"].seed == SEED


# --- seeds ----------------------------------------------------------------------------------

def test_same_seed_gives_byte_identical_csvs(batch):
    # A flag whose share is not 100% would show a share that changes from run to run.
    assert any("100%" not in flag for flag in batch["records"]["copied"].flags)
    again = batch["root"] / "again"
    _grade_in_process_of_its_own(batch["subs"], again, seed=SEED, hash_salt=1)
    for name in ("grades.csv", "lms.csv"):
        assert (again / name).read_bytes() == (batch["out"] / name).read_bytes(), name
    assert _tree(again / "feedback") == _tree(batch["out"] / "feedback")


def test_another_seed_changes_the_key_column_only(batch, tmp_path):
    subs = tmp_path / "submissions"
    shutil.copytree(batch["subs"] / "mutant", subs / "mutant")
    run = _grade(subs, tmp_path / "out", seed=OTHER_SEED)
    (row,) = _rows(tmp_path / "out" / "grades.csv")
    assert run.seed == OTHER_SEED and row["key"] == RunKey(OTHER_SEED).id
    assert {**row, "key": RunKey(SEED).id} == batch["rows"]["mutant"]
    # ... although the hidden cases the two runs drew differ.
    first, second = ASSIGNMENT.cases(SEED), ASSIGNMENT.cases(OTHER_SEED)
    assert not np.array_equal(first["r_squared"][-1][1].args[1],
                              second["r_squared"][-1][1].args[1])


# --- shards ---------------------------------------------------------------------------------

def test_merged_shards_equal_the_unsharded_run(batch, shards):
    inputs, merged, rows = shards
    assert rows == len(STUDENTS)
    shard_students = [{row["student_id"] for row in _rows(path)} for path in inputs]
    assert shard_students[0] and shard_students[1] and not shard_students[0] & shard_students[1]
    assert merged.read_bytes() == (batch["out"] / "grades.csv").read_bytes()


def test_merge_joins_the_shards_feedback_folders(batch, shards):
    inputs, merged, _ = shards
    for path in inputs:  # each shard wrote only its own students' pages
        assert 0 < len(_tree(path.parent / "feedback")) < len(STUDENTS)
    assert _tree(merged.parent / "feedback") == _tree(batch["out"] / "feedback")


def test_merge_writes_the_unsharded_lms_csv_and_gradebook(batch, shards):
    _, merged, _ = shards
    assert (merged.parent / "lms.csv").read_bytes() == (batch["out"] / "lms.csv").read_bytes()
    scores = _gradebook_scores(merged.parent / "gradebook.db")
    assert len(scores) == len(STUDENTS) * (1 + len(ASSIGNMENT.parts))
    assert scores == _gradebook_scores(batch["out"] / "gradebook.db")
    assert _formgrader_notebooks(merged.parent) == _formgrader_notebooks(batch["out"]) == {
        f"{student}/{NAME}/{NOTEBOOK}" for student in STUDENTS}


def test_merge_refuses_a_missing_shard(shards, tmp_path):
    (_, second), _, _ = shards
    out = tmp_path / "out" / "grades.csv"
    with pytest.raises(UsageError, match=r"missing shard 1 of 2 \(given: 2\)"):
        api.merge(inputs=[second], out=out, lms=tmp_path / "out" / "lms.csv")
    assert not out.parent.exists()


def _rewrite(source: Path, target: Path, change) -> Path:
    """``change`` applied to the CSV ``source``, written with its shard record to ``target``."""
    with source.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(change(table))
    shutil.copy(source.with_name("grades.shard.json"), target.with_name("grades.shard.json"))
    return target


def test_merge_refuses_shards_of_different_runs(shards, tmp_path):
    (first, second), _, _ = shards
    seed_at = next(csv.reader(first.open())).index("key")

    def other_seed(table):
        return [table[0]] + [[*row[:seed_at], "99", *row[seed_at + 1:]] for row in table[1:]]

    def fewer_columns(table):
        return [row[:-1] for row in table]

    cases = {
        "different run keys": _rewrite(second, tmp_path / "seed" / "grades.csv", other_seed),
        "other columns": _rewrite(second, tmp_path / "columns" / "grades.csv", fewer_columns),
        "shard 1/2 given twice": first,
    }
    for message, bad in cases.items():
        out = tmp_path / "out" / "grades.csv"
        with pytest.raises(UsageError, match=message):
            api.merge(inputs=[first, bad], out=out)
        assert not out.exists()


# --- LMS CSV and gradebook ------------------------------------------------------------------

def test_lms_csv_has_exactly_its_columns_and_the_totals(batch):
    with (batch["out"] / "lms.csv").open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert tuple(table[0]) == LMS_COLUMNS == ("student_id", "assignment", "total", "max")
    points, full = _points(), f"{ASSIGNMENT.max_score:g}"
    expected = {"solved": full, "skeleton": "0",
                "mutant": f"{ASSIGNMENT.max_score - points['r_squared']:g}",
                "copied": f"{sum(points[p] for p in COPIED_PARTS):g}",
                "twin_a": f"{sum(points[p] for p in TWIN_PARTS):g}",
                "twin_b": f"{sum(points[p] for p in TWIN_PARTS):g}"}
    assert [row for row in table[1:]] == [[s, NAME, expected[s], full] for s in STUDENTS]
    rows = batch["rows"]
    assert {s: rows[s]["score"] for s in STUDENTS} == expected


def _gradebook_scores(path: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(score, max score) of every submission and grade in the gradebook at ``path``."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{path}") as gradebook:
        submissions = [gradebook.find_submission(NAME, s.id) for s in gradebook.students]
        scores = {(s.student.id, ""): (s.score, s.max_score) for s in submissions}
        scores.update({(s.student.id, grade.name): (grade.score, grade.max_score)
                       for s in submissions for nb in s.notebooks for grade in nb.grades})
    return scores


def _formgrader_notebooks(folder: Path) -> set[str]:
    """The notebooks of the course folder beside a gradebook that formgrader opens."""
    return {path.relative_to(folder / "autograded").as_posix()
            for path in (folder / "autograded").rglob("*.ipynb")}


def test_gradebook_holds_the_csv_scores(batch):
    from nbgrader.api import Gradebook

    rows, notebook = batch["rows"], Path(NOTEBOOK).stem
    with Gradebook(f"sqlite:///{batch['out'] / 'gradebook.db'}") as gradebook:
        assert sorted(s.id for s in gradebook.students) == sorted(STUDENTS)
        assignment = gradebook.find_assignment(NAME)
        assert assignment.max_score == ASSIGNMENT.max_score
        for student in STUDENTS:
            submission = gradebook.find_submission(NAME, student)
            assert submission.score == float(rows[student]["score"]), student
            assert submission.max_score == float(rows[student]["max_score"])
            assert not submission.needs_manual_grade, student  # formgrader: nothing to review
            for part in ASSIGNMENT.parts:
                grade = gradebook.find_grade(f"test_{part.name}", notebook, NAME, student)
                assert grade.score == float(rows[student][f"{NAME}:{part.name}"]), (student, part)
                assert grade.max_score == part.points


# --- feedback never shows hidden cases ------------------------------------------------------

def _floats(value):
    """Every float in a nested structure: arrays, tuples, dicts, the harness's encoding."""
    if isinstance(value, np.ndarray | np.generic):
        yield from (float(x) for x in np.asarray(value, dtype=float).ravel())
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, str):
        try:
            yield float(value)
        except ValueError:
            return
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _floats(item)


def _hidden_numbers(seed: int) -> set[float]:
    """Inputs and expected values of the seed's hidden cases with at least 4 significant digits."""
    cases = ASSIGNMENT.cases(seed)
    hidden = {name: [(i, c) for i, c in part if "/h" in i] for name, part in cases.items()}
    expected = reference_outcomes(ASSIGNMENT, hidden)
    numbers = set()
    for part in hidden.values():
        for case_id, case in part:
            numbers.update(_floats([case.args, dict(case.inputs), expected[case_id]]))
    return {x for x in numbers if np.isfinite(x) and x != 0 and float(f"{x:.3g}") != x}


_DECIMAL = re.compile(r"\d+\.\d{3,}(?:[eE][-+]?\d+)?")


def _leaks(text: str, numbers: set[float]) -> list[str]:
    """Decimals in ``text`` (3 digits or more after the point) that round one of ``numbers``."""
    found = []
    for match in _DECIMAL.finditer(text):
        printed = float(match.group())
        digits = len(match.group().split(".")[1].split("e")[0].split("E")[0])
        scale = 10.0 ** int(match.group().lower().split("e")[1]) if "e" in match.group().lower() \
            else 1.0
        if any(abs(abs(x) - printed) <= 0.5 * 10.0 ** -digits * scale for x in numbers):
            found.append(match.group())
    return found


def test_leak_detector_finds_printed_hidden_values():
    """The check below can fail: printed inputs or expected values are found."""
    cases = ASSIGNMENT.cases(SEED)
    _, negative = cases["r_squared"][-1]
    numbers = _hidden_numbers(SEED)
    y = negative.args[1]
    assert _leaks(np.array2string(y), numbers)
    assert _leaks(repr(float(y[3])), numbers)
    assert _leaks(f"expected {reference.r_squared(*negative.args):.4f}", numbers)
    assert _leaks(json.dumps(negative.args[0].tolist()), numbers)
    assert not _leaks("1 / (14 / 3) = 0.786 and 2.5 / 3", numbers)


def test_feedback_pages_show_no_hidden_case(batch):
    numbers = _hidden_numbers(SEED)
    assert len(numbers) > 100
    pages = {s: batch["out"] / "feedback" / s / NAME / "feedback.html" for s in STUDENTS}
    for student, page in pages.items():
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert f"{NAME}: {batch['rows'][student]['score']} / {ASSIGNMENT.max_score:g}" in text, \
            student
        assert not _leaks(text, numbers), (student, _leaks(text, numbers))


def test_a_failed_hidden_case_is_named_only(batch):
    record = batch["records"]["mutant"]
    what = ASSIGNMENT.cases(SEED)["r_squared"][-1][1].what
    assert "negative" in what
    message = record.messages["r_squared"]
    assert message.startswith(f"a hidden case failed (wrong value): {what} — see ")
    assert "expected" not in message and "got" not in message
    assert set(record.messages) == {"r_squared"}
    page = (batch["out"] / "feedback" / "mutant" / NAME / "feedback.html").read_text("utf-8")
    assert message in html.unescape(page)


def test_visible_failures_name_the_book_section(batch):
    """A skeleton's page says which section explains each part (visible cases are shown)."""
    page = html.unescape((batch["out"] / "feedback" / "skeleton" / NAME / "feedback.html")
                         .read_text("utf-8"))
    for part in ASSIGNMENT.parts:
        assert f"(#{part.section.label})" in page
    assert "NotImplementedError" in page


# --- flags ----------------------------------------------------------------------------------

def test_pasted_reference_is_flagged_and_keeps_its_points(batch):
    record, row = batch["records"]["copied"], batch["rows"]["copied"]
    flagged = sorted(flag.split(" ")[0] for flag in record.flags)
    assert flagged == ["fit_line", "softmax"]
    assert all("matches the reference source" in flag for flag in record.flags)
    assert row["flags"] == " | ".join(record.flags)
    assert {p: record.parts[p] for p in COPIED_PARTS} == {p: _points()[p] for p in COPIED_PARTS}
    page = html.unescape((batch["out"] / "feedback" / "copied" / NAME / "feedback.html")
                         .read_text("utf-8"))
    assert "Flags for the instructor" in page
    assert all(flag in page for flag in record.flags)


def test_short_parts_are_never_flagged(batch):
    """predict_linear and mse were pasted from the reference too: too short to tell apart."""
    nb = json.loads((batch["subs"] / "copied" / NAME / NOTEBOOK).read_text("utf-8"))
    for part in ("predict_linear", "mse"):
        answer = next(cell for cell in nb["cells"]
                      if cell["metadata"].get("nbgrader", {}).get("grade_id") == part)
        assert "".join(answer["source"]) == inspect.getsource(getattr(reference, part))
        assert batch["records"]["copied"].parts[part] == _points()[part]
    for student in STUDENTS:
        for flag in batch["records"][student].flags:
            assert not flag.startswith(("predict_linear ", "mse ")), (student, flag)


def test_honest_notebooks_are_not_flagged(batch):
    for student in ("solved", "skeleton", "mutant", "twin_a", "twin_b"):
        assert batch["records"][student].flags == (), student
        assert batch["rows"][student]["flags"] == ""
        page = (batch["out"] / "feedback" / student / NAME / "feedback.html").read_text("utf-8")
        assert "Flags for the instructor" not in page


# --- similarity -----------------------------------------------------------------------------

def test_similarity_finds_the_identical_pair(batch):
    pairs = api.similarity(submissions=batch["subs"]).pairs
    twins = {(p.part, p.similarity) for p in pairs if {p.first, p.second} == {"twin_a", "twin_b"}}
    assert twins == {(part, 1.0) for part in TWIN_PARTS}
    # The others: solved and mutant share the instructor's answers; nobody else shares an
    # answer (parts left as released are not answers), and short parts are never compared.
    others = {(p.first, p.second) for p in pairs} - {("twin_a", "twin_b")}
    assert others == {("mutant", "solved")}
    shared = {p.part for p in pairs if (p.first, p.second) == ("mutant", "solved")}
    assert {"fit_line", "fit_least_squares"} <= shared
    assert "predict_linear" not in shared
    assert all(p.assignment == NAME for p in pairs)
