"""Attacks on the sandbox and its limits, graded end to end: each gets its row and reason.

One grading run of Chapter 1 (as whoever runs the tests: root here, where the
limits are cgroups) holds the solved notebook with one hostile cell added each,
and the skeleton with a cell that imports the reference from another checkout of
the course. The grader must finish, keep the points of the functions the learner
got right, say what was stopped, and show none of its secrets or folders anywhere
it writes.
"""

import csv
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from autograder import api
from autograder.manifest import load
from tests.grading_fixtures import fill, solution_bodies, with_code_cell, write_submission
from tests.sandbox_attacks import (
    IGNORES_INTERRUPT_WHILE_PRINTING,
    SENDS_MALFORMED_MESSAGES,
    WRITES_HOST_SYSCTLS,
    starts_processes,
)

pytestmark = [pytest.mark.slow, pytest.mark.kernel, pytest.mark.xdist_group("sandbox")]

ASSIGNMENT = load("ch01_regression")
FULL = ASSIGNMENT.max_score
TIMEOUT = 10
TOKEN = f"token-{uuid.uuid4().hex}"
FIRST = ASSIGNMENT.parts[0].name
MARK = str(uuid.uuid4().int)[:9]

EXTRA_CELLS = {
    "threads_ignore_interrupt": IGNORES_INTERRUPT_WHILE_PRINTING,
    "six_hundred_processes": starts_processes(600, MARK),
    "fills_tmp_and_shm": (
        "for folder in ('/tmp', '/dev/shm'):\n"
        "    for n in range(3 * 64):\n"
        "        with open(f'{folder}/f{n}', 'wb') as f:\n"
        "            f.write(b'x' * 2**24)\n"),
    "fills_disk": (
        "import os\n"
        "folders = [os.path.expanduser('~'), os.path.dirname(open('/proc/self/cmdline').read()"
        ".split(chr(0))[-4])]\n"
        "for folder in folders:\n"
        "    for n in range(2 * 64):\n"
        "        try:\n"
        "            with open(f'{folder}/f{n}', 'wb') as f:\n"
        "                f.write(b'x' * 2**24)\n"
        "        except OSError:\n"
        "            break\n"),
    "prints_a_gigabyte": "print('x' * 2**30)\n",
    "sends_malformed_messages": SENDS_MALFORMED_MESSAGES,
    "writes_host_sysctls": WRITES_HOST_SYSCTLS
    + f"if _written:\n    def {FIRST}(*args, **kwargs):\n        raise ValueError(_written)\n",
    "tells_secrets": (
        "import glob\n"
        "_seen = ''.join(open(p, errors='replace').read() for pattern in ('/proc/*/environ', "
        "'/proc/*/cmdline', '/proc/self/mountinfo') for p in glob.glob(pattern))\n"
        f"def {FIRST}(*args, **kwargs):\n"
        "    raise ValueError(_seen)\n"),
}
STOPPED_BY = ("timed out after", "ignored the interrupt after its time-out; skipped",
              "ended the kernel (os._exit?); skipped",
              "printed more than the output limit; skipped")
"""What a row says when a limit stopped one of its cells: which one depends on the load
(a loaded machine may reach the time limit before the memory or output limit)."""


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("sandboxed")
    subs, out = root / "submissions", root / "out" / "grades.csv"
    name, notebook = ASSIGNMENT.name, ASSIGNMENT.notebook
    good = fill(name, notebook, solution_bodies(name, notebook))
    for student, source in EXTRA_CELLS.items():
        write_submission(subs, student, name, notebook, with_code_cell(good, source))
    elsewhere = Path("/opt") if os.access("/opt", os.W_OK) else Path.home()
    copy = elsewhere / f"course-copy-{uuid.uuid4().hex[:8]}"
    shutil.copytree(Path(__file__).resolve().parents[1] / "solutions", copy / "solutions")
    write_submission(subs, "imports_other_checkout", name, notebook, with_code_cell(
        fill(name, notebook, {}),
        f"import sys\nsys.path.insert(0, {str(copy)!r})\nfrom solutions.regression import *\n"))
    os.environ["GRADER_SECRET"] = TOKEN
    start = time.monotonic()
    try:
        run = api.grade(submissions=subs, out=out, jobs=2, timeout=TIMEOUT, seed=3)
    finally:
        del os.environ["GRADER_SECRET"]
        shutil.rmtree(copy)
    elapsed = time.monotonic() - start
    with out.open(newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    written = "".join(p.read_text(encoding="utf-8", errors="replace")
                      for p in out.parent.rglob("*") if p.is_file())
    return {"records": {r.student_id: r for r in run.records}, "rows": rows,
            "elapsed": elapsed, "written": written, "root": root}


def test_every_attack_gets_a_row(batch):
    assert set(batch["rows"]) == {*EXTRA_CELLS, "imports_other_checkout"}


@pytest.mark.parametrize("student", ["threads_ignore_interrupt", "six_hundred_processes",
                                     "fills_tmp_and_shm", "fills_disk", "prints_a_gigabyte",
                                     "sends_malformed_messages"])
def test_the_right_functions_keep_their_points(batch, student):
    record = batch["records"][student]
    assert record.score == FULL, (record.status, record.messages)


def test_a_cell_that_ignores_its_interrupt_is_named(batch):
    status = batch["records"]["threads_ignore_interrupt"].status
    assert "ignored the interrupt after its time-out; skipped" in status


@pytest.mark.parametrize("student", ["fills_tmp_and_shm", "prints_a_gigabyte"])
def test_what_a_limit_stopped_is_named(batch, student):
    status = batch["records"][student].status
    assert any(reason in status for reason in STOPPED_BY), status


def test_the_reference_of_another_checkout_cannot_be_imported(batch):
    assert batch["records"]["imports_other_checkout"].score == 0


def test_no_secret_and_no_host_folder_reaches_the_outputs(batch):
    record = batch["records"]["tells_secrets"]
    assert record.score < FULL  # its first function only raises
    assert TOKEN not in batch["written"]
    assert str(batch["root"]) not in batch["written"]


def test_messages_of_the_wrong_shape_are_the_learners_not_a_grader_error(batch):
    assert batch["records"]["sends_malformed_messages"].status == "ok"


def test_the_hosts_kernel_settings_cannot_be_written(batch):
    record = batch["records"]["writes_host_sysctls"]
    assert record.score == FULL, record.messages


def test_the_run_ends_soon_after_its_time_outs(batch):
    # Nine notebooks on two workers; a cell that ignores its interrupt costs 10 s + 3 s grace.
    assert batch["elapsed"] < 150


def test_no_process_outlives_its_notebook(batch):
    left = subprocess.run(["pgrep", "-f", f"sleep 7{MARK}"], capture_output=True, text=True)
    assert left.stdout == ""
