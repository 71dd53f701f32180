"""Every submission gets an honest row: broken, hostile and merely unusual notebooks.

One sandboxed grading run of Chapter 1 holds the solved notebook with one
extra cell each (a time bomb, a fork bomb, a memory bomb, a process left
running, floods of output, writes outside its folder, a network connection),
notebooks broken in every way a file can be, and legitimate notebooks that do
unusual but harmless things. The grader must finish, give each a row and a
reason, keep the points of the functions the learner got right, and leave
nothing behind on this machine.
"""

import csv
import socket
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from autograder import api
from autograder.manifest import load
from tests.grading_fixtures import (
    fill,
    solution_bodies,
    with_cell_removed,
    with_code_cell,
    with_duplicated_cell,
    with_empty_metadata,
    write_submission,
)

pytestmark = [pytest.mark.slow, pytest.mark.kernel, pytest.mark.xdist_group("robustness")]

ASSIGNMENT = load("ch01_regression")
NOTEBOOK = ASSIGNMENT.notebook
FULL = ASSIGNMENT.max_score
TIMEOUT = 5
MARK = uuid.uuid4().hex  # names the files and processes the notebooks try to leave behind

EXTRA_CELLS = {
    "infinite_loop": "while True:\n    pass\n",
    "swallows_interrupt": (
        "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n"
        "    except KeyboardInterrupt:\n        pass\n"),
    "os_exit": "import os\nos._exit(3)\n",
    "memory_bomb": "hog = []\nwhile True:\n    hog.append(bytearray(2**27))\n",
    "fork_bomb": "import os\nwhile True:\n    os.fork()\n",
    "leaves_process": (
        "import subprocess\n"
        f"subprocess.Popen(['sleep', '3{MARK[:6].translate(str.maketrans('abcdef', '123456'))}'],"
        " start_new_session=True)\n"),
    "floods_output": "for _ in range(40):\n    print('x' * 2**20)\n",
    "non_utf8_output": (
        "import os, sys\nsys.stdout.buffer.write(b'\\xff\\xfe\\xfa not utf-8\\n')\n"
        "sys.stdout.flush()\nos.write(1, b'\\xc3\\x28\\n')\nos.write(2, b'\\xff\\n')\n"),
    "writes_outside": (
        "import os\n"
        "for path in (os.path.expanduser('~/{mark}'), '/tmp/{mark}', '{home}/{mark}',\n"
        "             '/var/tmp/{mark}', '{repo}/{mark}'):\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "    except OSError:\n"
        "        pass\n"),
    "phones_home": (
        "import socket\n"
        "for host in ('127.0.0.1', 'localhost'):\n"
        "    try:\n"
        "        socket.create_connection((host, {port}), timeout=2).sendall(b'answers')\n"
        "    except OSError:\n"
        "        pass\n"),
    # Legitimate: stderr, warnings, extra cells and helpers, nbgrader's marker words in text.
    "legitimate_noise": (
        "import sys, warnings\nprint('debugging', file=sys.stderr)\n"
        "warnings.warn('just a warning')\n"
        "def helper(x):\n    return x\n"
        "note = '### BEGIN HIDDEN TESTS (I only wonder what is in them) ### END SOLUTION'\n"),
}


class _Listener:
    """A TCP server on localhost that records whether anything connected."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connected = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            self.server.accept()
            self.connected = True
        except OSError:
            pass


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust")
    subs = root / "submissions"
    good = fill(ASSIGNMENT.name, NOTEBOOK, solution_bodies(ASSIGNMENT.name, NOTEBOOK))
    listener = _Listener()
    repo = Path(__file__).resolve().parents[1]

    def submit(student, nb, assignment=ASSIGNMENT.name, notebook=NOTEBOOK):
        write_submission(subs, student, assignment, notebook, nb)

    for name, source in EXTRA_CELLS.items():
        source = (source.replace("{mark}", MARK).replace("{home}", str(Path.home()))
                  .replace("{repo}", str(repo)).replace("{port}", str(listener.port)))
        submit(name, with_code_cell(good, source))
    submit("invalid_json", '{"cells": [')
    submit("empty_file", "")
    submit("deleted_test", with_cell_removed(good, "test_mse"))
    submit("empty_metadata", with_empty_metadata(good, "mse"))
    submit("duplicated_test", with_duplicated_cell(good, "test_mse"))
    edited = fill(ASSIGNMENT.name, NOTEBOOK, solution_bodies(ASSIGNMENT.name, NOTEBOOK))
    next(c for c in edited.cells if c.get("id") == "test_mse").source = "raise SystemExit"
    submit("edited_test", edited)
    submit("wrong_name", good, notebook="regression (1).ipynb")
    submit("unknown_assignment", good, assignment="ch09_x")
    out = root / "out" / "grades.csv"
    run = api.grade(submissions=subs, out=out, jobs=2, timeout=TIMEOUT, seed=7)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    return {"records": {r.student_id: r for r in run.records}, "rows": rows,
            "listener": listener, "repo": repo,
            "students": {folder.name for folder in subs.iterdir()}}


def test_every_submission_gets_a_row(batch):
    assert set(batch["rows"]) == set(batch["records"]) == batch["students"]
    assert all(row["status"] for row in batch["rows"].values())


@pytest.mark.parametrize("student", [
    "infinite_loop", "swallows_interrupt", "os_exit", "memory_bomb", "fork_bomb",
    "leaves_process", "floods_output", "non_utf8_output", "writes_outside", "phones_home",
    "legitimate_noise", "deleted_test", "empty_metadata", "duplicated_test", "edited_test"])
def test_the_right_functions_keep_their_points(batch, student):
    record = batch["records"][student]
    assert record.score == FULL, (record.status, record.messages)


@pytest.mark.parametrize("student, status", [
    ("infinite_loop", "timed out after 5 s (interrupted)"),
    ("swallows_interrupt", "ignored the interrupt after its time-out; skipped"),
    ("os_exit", "ended the kernel (os._exit?); skipped"),
])
def test_time_outs_and_kernel_deaths_are_reported(batch, student, status):
    assert status in batch["records"][student].status


@pytest.mark.parametrize("student", ["legitimate_noise", "floods_output", "non_utf8_output",
                                     "deleted_test", "edited_test", "duplicated_test"])
def test_harmless_oddities_are_graded_normally(batch, student):
    assert batch["records"][student].status == "ok"


@pytest.mark.parametrize("student, status", [
    ("invalid_json", "invalid notebook JSON in regression.ipynb"),
    ("empty_file", "invalid notebook JSON in regression.ipynb"),
    ("wrong_name", "missing notebook regression.ipynb (found regression (1).ipynb)"),
])
def test_unreadable_submissions_get_no_score_and_a_reason(batch, student, status):
    record, row = batch["records"][student], batch["rows"][student]
    assert (record.score, record.max_score, record.status) == (None, FULL, status)
    assert (row["score"], row["max_score"]) == ("", f"{FULL:g}")  # never a silent 0


def test_unknown_assignment_is_named(batch):
    record = batch["records"]["unknown_assignment"]
    assert record.status.startswith("unknown assignment ch09_x")
    assert record.max_score is None


def test_nothing_was_written_outside_the_sandbox(batch):
    leftovers = [p for p in (Path.home() / MARK, Path("/tmp") / MARK, Path("/var/tmp") / MARK,
                             batch["repo"] / MARK) if p.exists()]
    assert not leftovers


def test_no_connection_left_the_sandbox(batch):
    assert not batch["listener"].connected


def test_no_process_outlives_its_notebook(batch):
    mark = MARK[:6].translate(str.maketrans("abcdef", "123456"))
    found = subprocess.run(["pgrep", "-f", f"sleep 3{mark}"], capture_output=True, text=True)
    assert found.stdout == "", "a process started by a notebook is still running"
