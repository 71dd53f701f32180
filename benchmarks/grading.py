"""Grading throughput: ``autograder grade`` against plain nbgrader on the same submissions.

Both grade N copies of the solved Chapter 1 notebook, in the same run, on this
machine:

* plain nbgrader: ``nbgrader generate_assignment``, ``nbgrader autograde`` (all
  students, one process, as nbgrader does it) and ``nbgrader export`` in a fresh
  course folder;
* ours: ``autograder.api.grade`` with the sandbox on, writing the CSV, the LMS
  CSV, the feedback pages and the nbgrader gradebook.

Run ``python -m benchmarks.grading [N]`` (default 40); it prints the seconds
of each and their ratio.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder import api
from autograder.course import SOURCE_DIR
from autograder.manifest import load

ASSIGNMENT = "ch01_regression"


def _solved(assignment) -> nbformat.NotebookNode:
    """The released notebook with the instructor's solutions in place of the stubs."""
    source = nbformat.read(SOURCE_DIR / assignment.name / assignment.notebook, as_version=4)
    for cell in source.cells:
        cell.source = "\n".join(line for line in cell.source.splitlines()
                                if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return source


def _submissions(root: Path, count: int) -> Path:
    assignment = load(ASSIGNMENT)
    nb = _solved(assignment)
    for i in range(count):
        folder = root / "submitted" / f"student{i:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / assignment.notebook)
    return root / "submitted"


def _nbgrader(root: Path) -> float:
    """Seconds for plain nbgrader's generate + autograde + export in the course at ``root``."""
    shutil.copytree(SOURCE_DIR / ASSIGNMENT, root / "source" / ASSIGNMENT)
    nbgrader = [str(Path(sys.executable).parent / "nbgrader")]
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(root)}
    start = time.perf_counter()
    for command in (["generate_assignment", ASSIGNMENT, "--force"],
                    ["autograde", ASSIGNMENT, "--force"],
                    ["export", "--to", str(root / "grades.csv")]):
        subprocess.run(nbgrader + command + ["--CourseDirectory.root=" + str(root)], cwd=root,
                       env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _ours(submissions: Path, out: Path) -> float:
    start = time.perf_counter()
    run = api.grade(submissions=submissions, out=out / "grades.csv", feedback=out / "feedback",
                    lms=out / "lms.csv", gradebook=out / "gradebook.db")
    elapsed = time.perf_counter() - start
    lost = [(r.student_id, r.status, r.messages) for r in run.records if r.score != r.max_score]
    assert not lost, f"solved notebooks lost points: {lost}"
    return elapsed


def main(count: int = 40) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        root = Path(tmp)
        submissions = _submissions(root / "nbgrader", count)
        shutil.copytree(submissions, root / "ours" / "submitted")
        plain = _nbgrader(root / "nbgrader")
        ours = _ours(root / "ours" / "submitted", root / "ours" / "out")
    cpus = len(os.sched_getaffinity(0))
    print(f"{count} solved Chapter 1 notebooks, {cpus} CPUs, {api.default_jobs()} at once (ours)")
    print(f"  plain nbgrader (generate + autograde + export): {plain:6.1f} s")
    print(f"  autograder grade (sandboxed, judged outside):   {ours:6.1f} s")
    print(f"  ratio: {plain / ours:.2f}x faster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
