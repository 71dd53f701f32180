"""Attacks on the limits of a sandboxed kernel: time, processes, memory, files, output.

Each attack runs in a real kernel under small limits (so that it hits them fast)
and must end within its limit, leave the grader's memory small, and leave nothing
running. They hold as root here because the limits are cgroups (or, without a
writable cgroup, an unprivileged uid and rlimits: see :mod:`autograder.limits`).
"""

import resource
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from autograder.kernel import _GRACE, Kernel
from autograder.limits import Limits, describe_limits, enforcement
from tests.sandbox_attacks import (
    IGNORES_INTERRUPT_WHILE_PRINTING,
    SENDS_MALFORMED_MESSAGES,
    starts_processes,
)

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

MEMORY = 256 * 2**20
LIMITS = Limits(memory_bytes=MEMORY, processes=48, output_bytes=8 * 2**20,
                notebook_output_bytes=32 * 2**20)


@pytest.fixture
def kernel(tmp_path):
    kernel = Kernel(tmp_path, sandbox=True, limits=LIMITS)
    assert kernel.alive
    yield kernel
    kernel.close()


def test_a_cell_that_ignores_the_interrupt_and_keeps_printing_is_killed_on_time(kernel):
    start = time.monotonic()
    result = kernel.run(IGNORES_INTERRUPT_WHILE_PRINTING, timeout=3)
    elapsed = time.monotonic() - start
    assert result.status == "killed"
    assert "still here" in result.stdout
    assert elapsed < 3 + _GRACE + 2


def test_messages_of_any_shape_the_learner_sends_are_dropped(kernel):
    result = kernel.run(SENDS_MALFORMED_MESSAGES, timeout=10)
    assert result.status == "ok", result
    assert kernel.run("print(6 * 7)", timeout=10).stdout == "42\n"


def test_hundreds_of_processes_stop_at_the_limit(kernel):
    mark = str(uuid.uuid4().int)[:9]
    result = kernel.run(starts_processes(600, mark), timeout=20)
    assert result.status == "ok", result
    assert int(result.stdout) < LIMITS.processes
    assert kernel.run("print(6 * 7)", timeout=10).stdout == "42\n"  # still serves the grader
    kernel.close()
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"sleep 7{mark}"], capture_output=True, text=True)
    assert left.stdout == ""


@pytest.mark.parametrize("folder", ["/tmp", "/dev/shm", "/home/learner", "connections"])
def test_files_written_anywhere_count_against_the_memory_limit(kernel, folder):
    if folder == "connections" and enforcement() == "rlimit":
        pytest.skip("under rlimits only each file's size is limited in the connection folder")
    connections = str(Path(kernel._km.connection_file).parent)
    target = connections if folder == "connections" else folder
    result = kernel.run(
        "import os\n"
        "written, chunk = 0, b'x' * 2**24\n"
        "try:\n"
        "    for n in range(3 * 2**30 // len(chunk)):\n"
        f"        with open(os.path.join({target!r}, f'f{{n % 8}}-{{n}}'), 'wb') as f:\n"
        "            f.write(chunk)\n"
        "        written += len(chunk)\n"
        "except OSError as e:\n"
        "    print('stopped:', e.strerror)\n"
        "print(written)\n", timeout=30)
    assert result.status in ("ok", "dead"), result  # refused (ENOSPC) or killed (out of memory)
    if result.status == "ok":
        assert int(result.stdout.split()[-1]) <= MEMORY
    if enforcement() == "cgroup v1":
        assert kernel._confinement.memory_used() <= MEMORY


def test_a_huge_print_is_cut_off_without_growing_the_grader(tmp_path):
    kernel = Kernel(tmp_path, sandbox=True, limits=Limits(
        memory_bytes=2 * 2**30, output_bytes=8 * 2**20, notebook_output_bytes=32 * 2**20))
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        result = kernel.run("print('x' * 2**30)", timeout=60)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    finally:
        kernel.close()
    # Cut off (flooded), out of memory (dead), or, under rlimits, never sent: nothing kept.
    assert result.status in ("flooded", "dead") or result.stdout == "", result
    assert grown < 64 * 2**20


def test_many_prints_past_the_cell_limit_kill_the_kernel(kernel):
    result = kernel.run("import time\nfor _ in range(40):\n    print('y' * 2**20)\n"
                        "    time.sleep(0.25)\n", timeout=30)
    assert result.status == "flooded"
    assert LIMITS.output_bytes / 2 < len(result.stdout) <= LIMITS.output_bytes + 2**20


def test_one_message_over_the_limit_kills_the_kernel(tmp_path):
    kernel = Kernel(tmp_path, sandbox=True, limits=Limits(memory_bytes=2**30,
                                                          output_bytes=8 * 2**20))
    try:
        result = kernel.run("print('w' * 20 * 2**20)", timeout=30)
    finally:
        kernel.close()
    assert result.status == "flooded"
    assert result.stdout == ""


def test_the_notebook_output_limit_adds_up_over_cells(kernel):
    statuses = [kernel.run("print('z' * 6 * 2**20)", timeout=20).status for _ in range(6)]
    assert statuses[:5] == ["ok"] * 5
    assert statuses[5] == "flooded"


def test_grade_says_which_limits_hold():
    line = describe_limits(LIMITS, timeout=5, notebook_timeout=60)
    assert line.startswith(f"limits ({enforcement()}): ")
    assert "256 MiB" in line and "48 processes" in line.replace("48 more processes", "48 processes")
    assert "8 MiB per cell, 32 MiB per notebook" in line and "5 s per cell, 60 s" in line
