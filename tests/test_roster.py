"""The roster: every rostered student gets a row, strangers are graded and flagged, no fake 0.

No notebook runs here: the submissions hold no notebook (a ``missing notebook``
row, as an ungradable submission), so grading takes no kernel.
"""

import csv
import sqlite3
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins.export import CsvExportPlugin

from autograder import api, cli
from autograder.errors import UsageError
from autograder.gradebook import write_gradebook
from autograder.grading import GradeRecord, Shard
from autograder.manifest import load
from autograder.roster import NOT_ON_ROSTER, NOT_SUBMITTED, Student, read_roster
from autograder.runkey import RunKey

ASSIGNMENTS = ("ch01_regression", "ch03_losses")
SEED = 20261207
GUIDE = Path(__file__).resolve().parents[1] / "book" / "instructors_guide.md"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {(row["student_id"], row["assignment"]): row for row in csv.DictReader(handle)}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


# ---------------------------------------------------------------- reading a roster

def test_a_spreadsheets_roster_is_read_whatever_its_case_order_and_extra_columns(tmp_path):
    path = _write(tmp_path / "roster.csv",
                  "\ufeffSection, Name ,Login,ID\nA,Kim Minji,kmj,s001\nB,Lee Jun,lj,s002\n\n")
    assert read_roster(path) == [Student("s001", "Kim Minji", "", "A"),
                                 Student("s002", "Lee Jun", "", "B")]


def test_the_optional_columns_are_read(tmp_path):
    path = _write(tmp_path / "roster.csv", "id,name,email,section\ns1,Ana,ana@uni.edu,2\n")
    assert read_roster(path) == [Student("s1", "Ana", "ana@uni.edu", "2")]


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty: expected a header row with the columns id,name"),
    ("student,name\ns1,Ana\n", "has no column id: its header is 'student,name'"),
    ("id,email\ns1,a@b\n", "has no column name"),
    ("id,name\ns1,Ana\n,Bo\n", "a row without an id (line 3)"),
    ("id,name\ns1,Ana\ns2,Bo\ns1,Cy\n", "lists the id 's1' twice (lines 2 and 4)"),
])
def test_a_bad_roster_is_refused_naming_what_is_wrong(tmp_path, text, message):
    with pytest.raises(UsageError, match="roster") as caught:
        read_roster(_write(tmp_path / "roster.csv", text))
    assert message in str(caught.value)


def test_a_roster_that_is_not_utf8_or_missing_is_refused(tmp_path):
    with pytest.raises(UsageError, match="is not UTF-8 text .*save the roster as CSV UTF-8"):
        read_roster(_write(tmp_path / "roster.csv", "id,name\ns1,Jürgen\n", "latin-1"))
    with pytest.raises(UsageError, match="no such roster"):
        read_roster(tmp_path / "absent.csv")


# ---------------------------------------------------------------- a run with a roster

def _submissions(root: Path) -> Path:
    """s001 handed in both assignments, s002 only ch01, s009 (not rostered) ch01: no notebook."""
    subs = root / "subs"
    for student, assignment in (("s001", "ch01_regression"), ("s001", "ch03_losses"),
                                ("s002", "ch01_regression"), ("s009", "ch01_regression")):
        (subs / student / assignment).mkdir(parents=True)
    return subs


def _roster(root: Path) -> Path:
    return _write(root / "roster.csv", "id,name\ns001,Ana\ns002,Bo\ns003,Cy\n")


def _grade(subs: Path, folder: Path, roster: Path, shard: Shard | None = None) -> api.GradeRun:
    return api.grade(submissions=subs, out=folder / "grades.csv", feedback=folder / "feedback",
                     lms=folder / "lms.csv", gradebook=folder / "gradebook.db", jobs=2,
                     seed=SEED, roster=roster, shard=shard, sandbox=False)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The submissions of :func:`_submissions`, graded with the roster s001, s002, s003."""
    root = tmp_path_factory.mktemp("roster")
    subs, roster = _submissions(root), _roster(root)
    return root, subs, roster, _grade(subs, root / "out", roster)


def test_every_rostered_student_gets_a_row_per_assignment(graded):
    root, *_ = graded
    rows = _rows(root / "out" / "grades.csv")
    assert sorted(rows) == sorted([(s, a) for s in ("s001", "s002", "s003") for a in ASSIGNMENTS]
                                  + [("s009", "ch01_regression")])
    missing = {key for key, row in rows.items() if row["status"] == NOT_SUBMITTED}
    assert missing == {("s002", "ch03_losses"), ("s003", "ch01_regression"),
                       ("s003", "ch03_losses")}
    for student, assignment in missing:
        row = rows[student, assignment]
        assert (row["score"], row["max_score"], row["key"]) == (
            "", f"{load(assignment).max_score:g}", RunKey(SEED).id)
        page = root / "out" / "feedback" / student / assignment / "feedback.html"
        assert NOT_SUBMITTED in page.read_text(encoding="utf-8")


def test_a_stranger_is_graded_and_flagged_and_rostered_students_are_not(graded):
    *_, run = graded
    flagged = {r.student_id for r in run.records if NOT_ON_ROSTER in r.flags}
    assert flagged == {"s009"}
    (stranger,) = [r for r in run.records if r.student_id == "s009"]
    assert stranger.status.startswith("missing notebook")


def test_no_export_writes_a_zero_for_a_missing_or_ungradable_notebook(graded):
    root, *_ = graded
    with (root / "out" / "lms.csv").open(newline="", encoding="utf-8") as handle:
        lms = list(csv.DictReader(handle))
    assert len(lms) == 7 and {row["total"] for row in lms} == {""}
    assert {row["score"] for row in _rows(root / "out" / "grades.csv").values()} == {""}
    with sqlite3.connect(root / "out" / "gradebook.db") as db:
        assert db.execute("SELECT COUNT(*) FROM submitted_assignment").fetchone() == (0,)


def test_nbgrader_export_writes_0_for_a_missing_notebook_so_the_guide_never_runs_it(tmp_path):
    """nbgrader's CSV export writes 0.0 for a student without a submission: not for grades."""
    records = [GradeRecord("s001", "ch01_regression", 3.0, 30.0, "ok", SEED, {"mse": 3.0}),
               GradeRecord("s002", "ch03_losses", 2.0, 30.0, "ok", SEED, {"mse": 2.0})]
    write_gradebook(records, tmp_path / "gradebook.db")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        CsvExportPlugin(to=str(tmp_path / "nbgrader.csv")).export(gradebook)
    with (tmp_path / "nbgrader.csv").open(newline="", encoding="utf-8") as handle:
        exported = {(r["student_id"], r["assignment"]): r["score"] for r in csv.DictReader(handle)}
    assert exported["s002", "ch01_regression"] == "0.0"
    commands = [line for line in GUIDE.read_text(encoding="utf-8").splitlines()
                if line.lstrip("$ ").startswith("nbgrader export")]
    assert commands == []


def test_the_command_line_names_who_is_missing_and_who_is_not_rostered(graded, capsys, tmp_path):
    _, subs, roster, _ = graded
    code = cli.main(["grade", str(subs), "--out", str(tmp_path / "g.csv"), "--seed", str(SEED),
                     "--roster", str(roster), "--no-sandbox"])
    out = capsys.readouterr().out
    assert code == 1
    assert "graded 0 of 4 submissions" in out
    assert ("roster: 3 not submitted (s002/ch03_losses, s003/ch01_regression, "
            "s003/ch03_losses); 1 not on the roster, graded (s009)") in out


def test_a_bad_roster_stops_the_run_before_grading(graded, capsys, tmp_path):
    _, subs, *_ = graded
    bad = _write(tmp_path / "roster.csv", "student,name\ns001,Ana\n")
    code = cli.main(["grade", str(subs), "--out", str(tmp_path / "g.csv"), "--roster", str(bad),
                     "--no-sandbox"])
    assert code == 2
    assert "has no column id" in capsys.readouterr().err
    assert not (tmp_path / "g.csv").exists()


def test_merged_shards_with_the_roster_equal_the_unsharded_run(graded):
    root, subs, roster, _ = graded
    inputs = []
    for k in (1, 2):
        _grade(subs, root / f"shard-{k}", roster, Shard(k, 2))
        inputs.append(root / f"shard-{k}" / "grades.csv")
    merged = root / "merged" / "grades.csv"
    rows = api.merge(inputs=inputs, out=merged, lms=merged.parent / "lms.csv", roster=roster,
                     submissions=subs)
    assert rows == 7
    for name in ("grades.csv", "lms.csv"):
        assert (merged.parent / name).read_bytes() == (root / "out" / name).read_bytes()
    assert _tree(merged.parent / "feedback") == _tree(root / "out" / "feedback")
