"""nbgrader's gradebook and formgrader: what formgrader shows after a run, as after ``autograde``.

The kernel-free tests write gradebooks from records made here and ask
nbgrader's own ``NbGraderAPI`` (what formgrader's pages call) what it sees:
the number of submissions, each student's submission and score, each
notebook's scores and the Manual Grading list; roster names and due dates
reach the gradebook; a gradebook of an earlier version gains what formgrader
needs. The browser test grades real submissions with ``autograder grade``,
starts a Jupyter server on the course folder and reads formgrader's pages.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder import api
from autograder.errors import UsageError
from autograder.gradebook import GradebookWriter, check_course, write_gradebook
from autograder.grading import GradeRecord
from autograder.manifest import load
from autograder.roster import Student
from tests.grading_fixtures import fill, solution_bodies, write_submission
from tests.test_book import CHROMIUM, CHROMIUM_ARGS

NAME = "ch01_regression"
ASSIGNMENT = load(NAME)
NOTEBOOK = ASSIGNMENT.notebook
STEM = Path(NOTEBOOK).stem
POINTS = {part.name: float(part.points) for part in ASSIGNMENT.parts}
ROSTER = [Student("s1", "Ada Lovelace", "ada@example.org"), Student("s2", "Hopper, Grace"),
          Student("s3", "김민수")]


def _record(student: str, **earned: float) -> GradeRecord:
    parts = {name: earned.get(name, 0.0) for name in POINTS}
    return GradeRecord(student, NAME, sum(parts.values()), ASSIGNMENT.max_score, "ok", 1, parts)


def _course(tmp_path: Path) -> tuple[Path, dict]:
    """A course folder with the assignment's source folder and two graded submissions."""
    course = tmp_path / "course"
    (course / "source" / NAME).mkdir(parents=True)
    folders = {(student, NAME): write_submission(tmp_path / "subs", student, NAME, NOTEBOOK,
                                                 fill(NAME, NOTEBOOK, {})).parent
               for student in ("s1", "s2")}
    return course, folders


def _formgrader(course: Path):
    """nbgrader's API on ``course``: what formgrader's pages show."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    return NbGraderAPI(coursedir=CourseDirectory(
        root=str(course), db_url=f"sqlite:///{course / 'gradebook.db'}"))


def test_formgrader_counts_and_shows_every_graded_submission(tmp_path):
    course, folders = _course(tmp_path)
    write_gradebook([_record("s1", **POINTS), _record("s2", mse=1.0)], course / "gradebook.db",
                    folders=folders)
    api = _formgrader(course)
    assert api.get_assignment(NAME)["num_submissions"] == 2
    assert api.get_assignment(NAME)["average_score"] == (ASSIGNMENT.max_score + 1) / 2
    (s2,) = [s for s in api.get_student_submissions("s2") if s["name"] == NAME]
    assert (s2["autograded"], s2["score"], s2["max_score"]) == (True, 1.0, ASSIGNMENT.max_score)
    (notebook,) = api.get_student_notebook_submissions("s2", NAME)
    assert (notebook["id"], notebook["score"]) != (None, 0) and notebook["score"] == 1.0
    listed = api.get_notebook_submissions(NAME, STEM)
    assert sorted((s["student"], s["score"]) for s in listed) == [
        ("s1", ASSIGNMENT.max_score), ("s2", 1.0)]
    assert not any(s["needs_manual_grade"] for s in api.get_submissions(NAME))


def test_formgraders_autograde_button_finds_no_learner_code_to_run(tmp_path):
    """nbgrader's autograde would run the notebook outside the sandbox, on visible tests only."""
    course, folders = _course(tmp_path)
    write_gradebook([_record("s1", mse=1.0)], course / "gradebook.db", folders=folders)
    api = _formgrader(course)
    assert not api.autograde(NAME, "s1")["success"]
    assert [(s["student"], s["score"]) for s in api.get_submissions(NAME)] == [("s1", 1.0)]


def test_a_submission_whose_notebook_is_gone_is_not_shown_as_a_notebook(tmp_path):
    course, folders = _course(tmp_path)
    (folders["s2", NAME] / NOTEBOOK).unlink()
    write_gradebook([_record("s2", mse=1.0)], course / "gradebook.db", folders=folders)
    assert _formgrader(course).get_notebook_submissions(NAME, STEM) == []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(NAME, "s2").score == 1.0


def test_the_late_time_in_the_gradebook_is_the_one_formgrader_compares(tmp_path):
    course, folders = _course(tmp_path)
    record = _record("s1", mse=1.0)
    record = GradeRecord(**{**record.__dict__, "submitted": "2026-10-06T03:00:00+00:00"})
    due = {NAME: datetime(2026, 10, 5, 23, 59, tzinfo=UTC)}
    writer = GradebookWriter(course / "gradebook.db", folders=folders, due=due)
    try:
        writer.add(record)
    finally:
        writer.close()
    api = _formgrader(course)
    assert api.get_assignment(NAME)["duedate"] == "2026-10-05T23:59:00"
    (s1,) = [s for s in api.get_student_submissions("s1") if s["name"] == NAME]
    assert s1["autograded"] and s1["timestamp"] == "2026-10-06T03:00:00"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(NAME, "s1").total_seconds_late == 3 * 3600 + 60


def test_the_roster_names_and_emails_reach_the_students(tmp_path):
    write_gradebook([_record("s1")], tmp_path / "gradebook.db", roster=ROSTER)
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        people = {s.id: (s.first_name, s.last_name, s.email) for s in gradebook.students}
        assert not gradebook.find_student("s2").submissions
    assert people == {"s1": ("Ada", "Lovelace", "ada@example.org"),
                      "s2": ("Grace", "Hopper", None), "s3": (None, "김민수", None)}


def test_a_gradebook_of_an_earlier_version_gains_what_formgrader_opens(tmp_path):
    """Before solution cells were recorded, submissions had no comments: formgrader failed."""
    path = tmp_path / "course" / "gradebook.db"
    write_gradebook([_record("s1")], path)
    with Gradebook(f"sqlite:///{path}") as gradebook:  # as the earlier version left it
        for cell in gradebook.find_notebook(STEM, NAME).solution_cells:
            gradebook.db.delete(cell)
        gradebook.db.commit()
        gradebook.find_assignment(NAME).notebooks[0].grade_cells[0].max_score = 99
    write_gradebook([_record("s1", mse=1.0)], path)
    with Gradebook(f"sqlite:///{path}") as gradebook:
        for part in ASSIGNMENT.parts:
            assert gradebook.find_comment(part.name, STEM, NAME, "s1").comment is None
        assert gradebook.find_submission(NAME, "s1").score == 1.0


@pytest.mark.parametrize(("submissions", "course"), [
    ("course/submitted", "course"), ("course", "course"), ("course/autograded", "course"),
    ("course", "course/out")])
def test_a_gradebook_folder_that_overlaps_the_submissions_is_refused(tmp_path, submissions,
                                                                     course):
    """nbgrader's own layout (course/submitted) would have its timestamp.txt files rewritten."""
    stamp = tmp_path / "course" / "submitted" / "s1" / NAME / "timestamp.txt"
    stamp.parent.mkdir(parents=True)
    stamp.write_text("2026-10-06 01:02:03.456789 UTC", encoding="utf-8")
    (tmp_path / "course" / "autograded").mkdir()
    gradebook = tmp_path / course / "gradebook.db"
    with pytest.raises(UsageError, match="overlaps the submissions folder"):
        api.grade(submissions=tmp_path / submissions, out=tmp_path / "out" / "grades.csv",
                  gradebook=gradebook, seed=1, sandbox=False)
    assert not gradebook.exists() and not (tmp_path / "out").exists()
    assert stamp.read_text(encoding="utf-8") == "2026-10-06 01:02:03.456789 UTC"


def test_a_gradebook_folder_beside_the_submissions_is_accepted(tmp_path):
    check_course(tmp_path / "course" / "gradebook.db", tmp_path / "course" / "subs")
    check_course(tmp_path / "course" / "gradebook.db", tmp_path / "submitted")


# --- formgrader in a browser, on a real grading run --------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(course: Path, port: int) -> subprocess.Popen:
    """Start ``jupyter server`` on ``course`` (no token, localhost only); wait until it answers."""
    command = [str(Path(sys.executable).with_name("jupyter")), "server", "--no-browser",
               f"--port={port}", "--ip=127.0.0.1", "--IdentityProvider.token=",
               "--ServerApp.password=", "--ServerApp.allow_root=True"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(course.parent / "runtime")}
    server = subprocess.Popen(command, cwd=course, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    pytest.fail("jupyter server did not answer within 60 s")


@pytest.mark.browser
@pytest.mark.kernel
@pytest.mark.slow
def test_formgrader_shows_the_submissions_scores_and_parts_of_a_run(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{CHROMIUM} is missing")
    subs, course = tmp_path / "subs", tmp_path / "course"
    solved = solution_bodies(NAME, NOTEBOOK)
    for student, bodies in {"s1": solved, "s2": {}, "s3": {"mse": solved["mse"]}}.items():
        write_submission(subs, student, NAME, NOTEBOOK, fill(NAME, NOTEBOOK, bodies))
    (tmp_path / "roster.csv").write_text("id,name\ns1,Ada Lovelace\ns2,Alan Turing\n"
                                         "s3,Grace Hopper\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(subs), "--out",
         str(tmp_path / "out" / "grades.csv"), "--gradebook", str(course / "gradebook.db"),
         "--roster", str(tmp_path / "roster.csv"), "--seed", "1", "--jobs", "2"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (course / "source" / NAME).mkdir(parents=True)  # as the guide says: the source folders
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course / 'gradebook.db'}'\n", encoding="utf-8")
    port = _free_port()
    server = _serve(course, port)
    base = f"http://127.0.0.1:{port}/formgrader"
    total = f"1 / {ASSIGNMENT.max_score:g}"
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.set_default_timeout(30_000)  # nbconvert renders a notebook on a busy machine
            tab.goto(f"{base}/manage_assignments")
            submissions = tab.locator("tr", has_text=NAME).first.locator("td").nth(8)
            assert submissions.inner_text().strip() == "3"
            tab.goto(f"{base}/manage_students/s3")
            student = tab.locator("tr", has_text=NAME).first.inner_text()
            assert total in student and "(no submission)" not in student
            tab.goto(f"{base}/manage_students/s3/{NAME}")
            row = tab.locator("tr", has_text=STEM).first
            assert total in row.inner_text()
            row.locator("a").first.click()
            tab.wait_for_url("**/formgrader/submissions/**")
            tab.wait_for_function("[...document.querySelectorAll('input.score')]"
                                  ".some(e => e.placeholder !== '')")
            scores = tab.eval_on_selector_all(
                "input.score", "els => Object.fromEntries(els.map(e => [e.id, e.placeholder]))")
            assert scores == {f"test_{name}": "1" if name == "mse" else "0" for name in POINTS}
            tab.goto(f"{base}/gradebook/{NAME}/{STEM}")
            tab.locator("tr", has_text="Submission #").first.wait_for()
            assert tab.locator("tr", has_text="Submission #").count() == 3
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
