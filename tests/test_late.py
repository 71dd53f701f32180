"""Late work: submission times, due dates, the penalty, its columns and the gradebook. No kernel."""

import csv
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder import api
from autograder.errors import UsageError
from autograder.gradebook import write_gradebook
from autograder.grading import GradeRecord
from autograder.late import LatePolicy, parse_due, read_policy, submitted_at

NAME = "ch01_regression"
DUE = datetime(2026, 10, 5, 14, 59, tzinfo=UTC)  # 23:59 in Seoul
POLICY = LatePolicy({NAME: DUE}, per_day=0.1, cap=0.5, grace=timedelta(minutes=15))


def _folder(tmp_path: Path, stamp: str | None = None) -> Path:
    folder = tmp_path / "s1" / NAME
    folder.mkdir(parents=True)
    if stamp is not None:
        (folder / "timestamp.txt").write_text(stamp + "\n", encoding="utf-8")
    return folder


def _record(score: float | None = 20.0) -> GradeRecord:
    return GradeRecord("s1", NAME, score, 30.0, "ok", 1, {"mse": 1.0} if score else {})


def test_the_time_comes_from_nbgraders_timestamp_file(tmp_path):
    folder = _folder(tmp_path, "2026-10-06 01:30:00.123456 UTC")
    assert submitted_at(folder) == (datetime(2026, 10, 6, 1, 30, 0, 123456, tzinfo=UTC), "")


def test_without_a_timestamp_file_the_newest_file_time_is_used(tmp_path):
    folder = _folder(tmp_path)
    for name, seconds in (("a.ipynb", 1_790_000_000), ("b.txt", 1_790_000_500)):
        (folder / name).write_text("x")
        os.utime(folder / name, (seconds, seconds))
    assert submitted_at(folder) == (datetime.fromtimestamp(1_790_000_500, UTC), "")


def test_a_linked_or_unreadable_timestamp_file_is_not_believed(tmp_path):
    folder = _folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("2020-01-01 00:00:00 UTC")
    (folder / "timestamp.txt").symlink_to(secret)
    when, note = submitted_at(folder)
    assert when.year != 2020 and "symbolic link" in note
    (folder / "timestamp.txt").unlink()
    (folder / "timestamp.txt").write_text("next tuesday-ish")
    assert "timestamp.txt unreadable" in submitted_at(folder)[1]


@pytest.mark.parametrize(("stamp", "penalty", "hours"), [
    ("2026-10-05 14:00:00 UTC", 0.0, 0.0),       # on time
    ("2026-10-05 15:10:00 UTC", 0.0, 0.18),      # inside the 15-minute grace
    ("2026-10-06 03:00:00 UTC", 3.0, 12.02),     # one started day: 10 % of 30 points
    ("2026-10-07 03:00:00 UTC", 6.0, 36.02),     # two started days
    ("2026-10-20 00:00:00 UTC", 15.0, 345.02),   # capped at 50 %
])
def test_the_penalty_per_started_day_after_the_grace_with_a_cap(tmp_path, stamp, penalty, hours):
    late = POLICY.apply(_record(), _folder(tmp_path, stamp))
    assert (late.penalty, late.score, late.late_hours) == (penalty, 20.0 - penalty, hours)
    assert late.submitted == datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S UTC").replace(
        tzinfo=UTC).isoformat()


def test_the_penalty_never_exceeds_the_points_nor_invents_a_score(tmp_path):
    folder = _folder(tmp_path, "2026-10-20 00:00:00 UTC")
    assert (POLICY.apply(_record(4.0), folder).score, POLICY.apply(_record(4.0), folder).penalty
            ) == (0.0, 4.0)
    missing = POLICY.apply(_record(None), folder)
    assert (missing.score, missing.penalty) == (None, None)


def test_the_policy_file_and_due_overrides(tmp_path):
    path = tmp_path / "late.toml"
    path.write_text("[late]\npenalty_per_day = 10\ncap = 50\ngrace_minutes = 15\n\n[due]\n"
                    f"{NAME} = 2026-10-05T23:59:00+09:00\nch03_losses = 2026-11-01T00:00:00Z\n")
    policy = read_policy(path, ["ch03_losses=2026-11-02T00:00:00+00:00"])
    assert policy == LatePolicy({NAME: DUE, "ch03_losses": datetime(2026, 11, 2, tzinfo=UTC)},
                                0.1, 0.5, timedelta(minutes=15))


@pytest.mark.parametrize(("text", "message"), [
    (f"[due]\n{NAME} = 2026-10-05T23:59:00\n", "has no UTC offset"),
    ("[late]\npenalty = 10\n", "unknown [late] setting penalty"),
    ("[late]\ncap = 150\n", "0 <= cap <= 100"),
    ("[late\n", "is not a TOML late policy"),
])
def test_a_bad_policy_is_refused_naming_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "late.toml"
    path.write_text(text)
    with pytest.raises(UsageError, match="late|offset|cap") as caught:
        read_policy(path)
    assert message in str(caught.value)


def test_a_due_date_needs_its_offset():
    with pytest.raises(UsageError, match="has no UTC offset"):
        parse_due(f"{NAME}=2026-10-05T23:59")
    with pytest.raises(UsageError, match="ASSIGNMENT=WHEN"):
        parse_due("2026-10-05T23:59+09:00")


def test_a_run_with_a_due_date_has_the_late_columns(tmp_path):
    subs = tmp_path / "subs"
    _folder(subs, "2026-10-06 03:00:00 UTC")
    api.grade(submissions=subs, out=tmp_path / "out" / "grades.csv", seed=1, sandbox=False,
              due=[f"{NAME}=2026-10-05T23:59:00+09:00"])
    with (tmp_path / "out" / "grades.csv").open(newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["submitted"], row["late_hours"], row["penalty"], row["score"]) == (
        "2026-10-06T03:00:00+00:00", "12.02", "", "")


def test_the_gradebook_records_time_and_penalty_as_nbgrader_does(tmp_path):
    record = POLICY.apply(_record(), _folder(tmp_path, "2026-10-06 03:00:00 UTC"))
    write_gradebook([record], tmp_path / "gradebook.db")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(NAME, "s1")
        assert submission.timestamp == datetime(2026, 10, 6, 3, 0)
        assert (submission.late_submission_penalty, submission.score) == (3.0, 1.0)
