"""Regrades in place: the named students' rows, pages and gradebook entries, nothing else.

No kernel runs: submissions without a notebook, or with broken JSON, are graded
without one, and the in-place gradebook update is driven by records made here.
"""

import csv
import sqlite3
from pathlib import Path

import pytest

from autograder import api, cli, regrade
from autograder.errors import UsageError
from autograder.grading import GradeRecord
from autograder.manifest import load
from autograder.runkey import RunKey

NAME = "ch01_regression"
NOTEBOOK = load(NAME).notebook
SEED = 99


def _run(tmp_path: Path) -> tuple[Path, Path]:
    """Grade s001-s003 (no notebook each) into ``tmp_path/out`` with an LMS file and gradebook."""
    subs = tmp_path / "subs"
    for student in ("s001", "s002", "s003"):
        (subs / student / NAME).mkdir(parents=True)
    out = tmp_path / "out"
    api.grade(submissions=subs, out=out / "grades.csv", feedback=out / "feedback",
              lms=out / "lms.csv", gradebook=out / "gradebook.db", seed=SEED, sandbox=False,
              jobs=2)
    return subs, out


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_only_the_named_students_rows_and_pages_change(tmp_path, capsys):
    subs, out = _run(tmp_path)
    before = {name: _lines(out / name) for name in ("grades.csv", "lms.csv")}
    pages = {s: (out / "feedback" / s / NAME / "feedback.html").read_bytes()
             for s in ("s001", "s003")}
    (subs / "s002" / NAME / NOTEBOOK).write_text('{"cells": [', encoding="utf-8")
    (subs / "s003" / NAME / NOTEBOOK).write_text('{"cells": [', encoding="utf-8")
    code = cli.main(["grade", str(subs), "--update", str(out), "--only", "s002",
                     "--lms", str(out / "lms.csv"), "--no-sandbox"])
    assert code == 1
    assert f"key {RunKey(SEED).id}" in capsys.readouterr().out
    for name, old in before.items():
        new = _lines(out / name)
        assert len(new) == len(old) == 4
        assert [new[i] for i in (0, 1, 3)] == [old[i] for i in (0, 1, 3)]
        assert new[2].startswith("s002,")
    assert _lines(out / "grades.csv")[2] != before["grades.csv"][2]
    row = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))[1]
    assert row["status"].startswith("invalid notebook JSON") and row["key"] == RunKey(SEED).id
    page = (out / "feedback" / "s002" / NAME / "feedback.html").read_text(encoding="utf-8")
    assert "invalid notebook JSON" in page
    assert pages == {s: (out / "feedback" / s / NAME / "feedback.html").read_bytes()
                     for s in ("s001", "s003")}


def test_the_gradebook_entry_is_rewritten_with_the_runs_key(tmp_path, monkeypatch):
    subs, out = _run(tmp_path)
    seeds = []
    parts = {part.name: float(part.points) for part in load(NAME).parts}

    def graded(batch, **options):
        seeds.append(batch.seed)
        for score in (3.0,):
            yield GradeRecord("s002", NAME, score, load(NAME).max_score, "ok", batch.seed,
                              {**dict.fromkeys(parts, 0.0), "mse": score})

    monkeypatch.setattr(regrade, "grade_batch", graded)
    api.regrade(submissions=subs, update=out, only=["s002"], gradebook=out / "gradebook.db",
                sandbox=False)
    assert seeds == [SEED]
    with sqlite3.connect(out / "gradebook.db") as db:
        scores = db.execute("SELECT student.id, SUM(grade.auto_score) FROM grade "
                            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
                            "JOIN submitted_assignment ON submitted_notebook.assignment_id = "
                            "submitted_assignment.id JOIN student ON "
                            "submitted_assignment.student_id = student.id GROUP BY student.id"
                            ).fetchall()
    assert scores == [("s002", 3.0)]


@pytest.mark.parametrize(("argv", "message"), [
    (["--only", "s001"], "give --out CSV for a run, or --update DIR"),
    (["--out", "g.csv", "--only", "s001"], "--only regrades students of an earlier run"),
    (["--update", "OUT", "--only", "s001", "--seed", "3"], "with the earlier run's own key"),
    (["--update", "OUT", "--only", "nobody"], "--only names students with no submission"),
    (["--update", "OUT"], "--update needs the students to regrade"),
])
def test_regrade_usage_errors(tmp_path, capsys, argv, message):
    subs, out = _run(tmp_path)
    argv = [str(out) if arg == "OUT" else arg for arg in argv]
    assert cli.main(["grade", str(subs), *argv, "--no-sandbox"]) == 2
    assert message in capsys.readouterr().err


def test_a_folder_without_a_key_is_refused(tmp_path):
    subs, out = _run(tmp_path)
    (out / "grades.key").unlink()
    with pytest.raises(UsageError, match="no such key file"):
        api.regrade(submissions=subs, update=out, only=["s001"], sandbox=False)
