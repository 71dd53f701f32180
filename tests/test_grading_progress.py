"""The progress bar names the notebooks being graded and how long each has run. No kernel."""

import time

from autograder import grading
from autograder.grading import GradeRecord, grade_batch, list_batch


def test_a_slow_notebook_is_named_while_it_runs(tmp_path, capsys, monkeypatch):
    subs = tmp_path / "subs"
    for student in ("fast", "slow"):
        (subs / student / "ch01_regression").mkdir(parents=True)

    def grade_one(sub, plans, seed, **options):
        time.sleep(3.5 if sub.student_id == "slow" else 0.1)
        return GradeRecord(sub.student_id, sub.assignment, None, None, "ok", seed)

    monkeypatch.setattr(grading, "_grade_one", grade_one)
    monkeypatch.setattr(grading, "Plan", lambda assignment, seed: None)  # no reference to run
    records = list(grade_batch(list_batch(subs, seed=1), jobs=2, sandbox=False, progress=True))
    err = capsys.readouterr().err
    assert len(records) == 2
    assert "running slow/ch01_regression 3s" in err
    assert "running fast/" not in err.split("1/2")[-1]


def test_nothing_running_says_nothing():
    assert grading.running_text({}, 5.0) == ""


def test_a_time_out_is_printed_as_it_happens(tmp_path, capsys, monkeypatch):
    """The grader's problem lines reach stderr while the notebook is still being graded."""
    subs = tmp_path / "subs"
    (subs / "slow" / "ch01_regression").mkdir(parents=True)
    seen_while_running = []

    def grade_one(sub, plans, seed, *, on_problem=None, **options):
        on_problem("cell 3 timed out after 2 s (interrupted)")
        seen_while_running.append(capsys.readouterr().err)
        return GradeRecord(sub.student_id, sub.assignment, None, None, "ok", seed)

    monkeypatch.setattr(grading, "_grade_one", grade_one)
    monkeypatch.setattr(grading, "Plan", lambda assignment, seed: None)
    list(grade_batch(list_batch(subs, seed=1), jobs=1, sandbox=False, progress=True))
    assert "slow/ch01_regression: cell 3 timed out after 2 s (interrupted)" in (
        seen_while_running[0])
