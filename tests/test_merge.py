"""``merge`` refuses anything but all N shards of one run, and then writes what ``grade`` writes.

The batch here needs no kernel: five submissions that cannot be run (a missing
notebook, invalid JSON, an unknown assignment, a notebook under another name, a
second assignment) still get a row each, with the reason in its status. It is
graded for real, unsharded and in shards, with one seed; the attacks then
merge what a lost or repeated cluster task, or another run, would leave
behind. ``tests/test_grading_outputs.py`` merges shards of notebooks that ran,
with scores, feedback and a gradebook.
"""

import csv
import json
import shutil
from pathlib import Path

import pytest

from autograder import api, cli
from autograder.errors import UsageError
from autograder.grading import Shard
from autograder.runkey import RunKey

SEED = 424242
SUBMISSIONS = {  # student -> (assignment, notebook file name, its content or None)
    "ada": ("ch01_regression", None, None),
    "ben": ("ch01_regression", "regression.ipynb", "not JSON"),
    "cy": ("ch99_unknown", None, None),
    "dee": ("ch01_regression", "mine.ipynb", "{}"),
    "eve": ("ch02_perceptrons", None, None),
}


def _write_submissions(subs: Path, students: dict) -> None:
    for student, (assignment, name, text) in students.items():
        folder = subs / student / assignment
        folder.mkdir(parents=True)
        if name:
            (folder / name).write_text(text, encoding="utf-8")


def _grade(subs: Path, folder: Path, shard: Shard | None = None) -> Path:
    """Grade ``subs`` into ``folder``; no notebook can run, so no sandbox is needed."""
    api.grade(submissions=subs, out=folder / "grades.csv", feedback=folder / "feedback",
              lms=folder / "lms.csv", gradebook=folder / "gradebook.db", jobs=2, seed=SEED,
              shard=shard, sandbox=False)
    return folder / "grades.csv"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The batch graded whole (``full/``) and as shards 1/3, 2/3, 3/3 (``shard-K/``)."""
    root = tmp_path_factory.mktemp("merge")
    _write_submissions(root / "subs", SUBMISSIONS)
    full = _grade(root / "subs", root / "full")
    shards = [_grade(root / "subs", root / f"shard-{k}", Shard(k, 3)) for k in (1, 2, 3)]
    return {"root": root, "subs": root / "subs", "full": full, "shards": shards}


def _copy(shard: Path, folder: Path) -> Path:
    """A copy of the shard's folder (CSV, record, feedback); return the copy's CSV."""
    shutil.copytree(shard.parent, folder)
    return folder / shard.name


def _refused(inputs, out: Path, message: str, **options) -> None:
    """``merge`` raises a UsageError matching ``message`` and writes nothing."""
    with pytest.raises(UsageError, match=message):
        api.merge(inputs=inputs, out=out / "grades.csv", lms=out / "lms.csv", **options)
    assert not out.exists()


def test_a_shard_writes_its_record_beside_its_csv(run):
    records = [json.loads((p.parent / "grades.shard.json").read_text()) for p in run["shards"]]
    key = RunKey(SEED).id
    assert [(r["index"], r["count"], r["key"]) for r in records] == [(1, 3, key), (2, 3, key),
                                                                      (3, 3, key)]
    assert [r["submissions"] for r in records] == [2, 2, 1]
    assert {r["total"] for r in records} == {len(SUBMISSIONS)}
    assert len({r["folder"] for r in records}) == 1
    assert not (run["full"].parent / "grades.shard.json").exists()  # unsharded: no record


def test_merge_equals_the_unsharded_run(run, tmp_path):
    out = tmp_path / "merged"
    rows = api.merge(inputs=run["shards"][::-1], out=out / "grades.csv", lms=out / "lms.csv",
                     submissions=run["subs"])
    assert rows == len(SUBMISSIONS)
    full = run["full"].parent
    for name in ("grades.csv", "lms.csv"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name
    assert _tree(out / "feedback") == _tree(full / "feedback")
    assert len(_tree(out / "feedback")) == len(SUBMISSIONS)
    with (out / "grades.csv").open(newline="") as handle:
        assert all(row["status"] != "ok" for row in csv.DictReader(handle))  # a reason each


def test_a_missing_shard_is_refused_and_named(run, tmp_path):
    first, _, third = run["shards"]
    _refused([first, third], tmp_path / "out", r"missing shard 2 of 3 \(given: 1, 3\)")
    _refused([third], tmp_path / "out", r"missing shards 1, 2 of 3 \(given: 3\)")


def test_the_command_exits_2_naming_the_missing_shard(run, tmp_path, capsys):
    first, _, third = run["shards"]
    code = cli.main(["merge", str(first), str(third), "--out", str(tmp_path / "m.csv")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "merge: error: missing shard 2 of 3" in err
    assert not (tmp_path / "m.csv").exists()


def test_a_shard_given_twice_is_refused(run, tmp_path):
    first, second, third = run["shards"]
    again = _copy(second, tmp_path / "again-2")
    _refused([first, second, third, first], tmp_path / "out", "shard 1/3 given twice")
    _refused([first, second, again], tmp_path / "out", "shard 2/3 given twice")


def test_shards_of_another_split_are_refused(run, tmp_path):
    """Shards 1/3 and 2/3 with 3/4 (cy alone) hold every row once, yet are not one run."""
    other = _grade(run["subs"], tmp_path / "quarter-3", Shard(3, 4))
    first, second, _ = run["shards"]
    _refused([first, second, other], tmp_path / "out", "shards of different splits")


def test_shards_of_a_changed_folder_are_refused(run, tmp_path):
    """A late submission (dora) added before shard 2 ran: eve would be in no shard at all."""
    subs = tmp_path / "subs"
    shutil.copytree(run["subs"], subs)
    _write_submissions(subs, {"dora": ("ch01_regression", None, None)})
    late = _grade(subs, tmp_path / "late-2", Shard(2, 3))
    with late.open(newline="") as handle:
        assert [row["student_id"] for row in csv.DictReader(handle)] == ["ben", "dora"]
    first, _, third = run["shards"]
    _refused([first, late, third], tmp_path / "out", "different submissions folders")


def test_a_csv_without_its_shard_record_is_refused(run, tmp_path):
    first, second, third = run["shards"]
    bare = tmp_path / "bare" / "grades.csv"
    bare.parent.mkdir()
    shutil.copy(third, bare)
    _refused([first, second, bare], tmp_path / "out", "has no grades.shard.json beside it")
    _refused([run["full"]], tmp_path / "out", "has no grades.shard.json beside it")


def test_grading_unsharded_over_a_shard_removes_its_record(run, tmp_path):
    """The record describes the CSV beside it: an unsharded run over it leaves none behind."""
    folder = _copy(run["shards"][0], tmp_path / "shard-1").parent
    assert (folder / "grades.shard.json").is_file()
    _grade(run["subs"], folder)
    assert not (folder / "grades.shard.json").exists()


def test_a_shard_csv_that_lost_rows_is_refused(run, tmp_path):
    first, second, third = run["shards"]
    cut = _copy(second, tmp_path / "cut-2")
    lines = cut.read_text(encoding="utf-8").splitlines(keepends=True)
    cut.write_text("".join(lines[:-1]), encoding="utf-8")
    _refused([first, cut, third], tmp_path / "out",
             "hold 4 rows but the run found 5 submissions: .*cut-2/grades.csv has 1 rows, "
             "its shard graded 2")


def test_submissions_folder_check_names_each_submission_without_a_row(run, tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(run["subs"], subs)
    _write_submissions(subs, {"zed": ("ch01_regression", None, None)})
    shutil.rmtree(subs / "ada")
    _refused(run["shards"], tmp_path / "out", "no row for submissions in .*: zed/ch01_regression; "
             "rows for submissions not in .*: ada/ch01_regression", submissions=subs)
