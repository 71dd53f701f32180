"""Where the course's assignments live, and throw-away nbgrader course folders.

The instructor notebooks in ``autograder/source/<assignment>/`` are the single
source of truth. Every nbgrader run happens in a temporary copy of the course
with its own gradebook, so nothing stray is ever written into the repository.
"""

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder import manifest
from autograder.config import nbgrader_config
from autograder.errors import UsageError

__all__ = [
    "COURSE_ROOT",
    "EXERCISES_DIR",
    "SOURCE_DIR",
    "assignments",
    "check_assignments",
    "generate",
    "nbgrader_api",
    "put_environment_on_path",
    "temporary_course",
]

COURSE_ROOT = Path(__file__).resolve().parent
"""The nbgrader course root: ``autograder/``."""
SOURCE_DIR = COURSE_ROOT / "source"
"""Instructor notebooks, one folder per assignment."""
EXERCISES_DIR = COURSE_ROOT.parent / "exercises"
"""Released student notebooks, committed."""


def assignments(source_dir: Path = SOURCE_DIR) -> list[str]:
    """Return the names of the assignments that have at least one notebook, sorted."""
    return sorted(p.name for p in source_dir.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def check_assignments(names: Iterable[str], source_dir: Path = SOURCE_DIR) -> list[str]:
    """Return ``names`` (all assignments when empty), or raise for an unknown one.

    Raises
    ------
    UsageError
        Naming the unknown assignment and listing the known ones.
    """
    with_manifest = set(manifest.known())
    known = [name for name in assignments(source_dir) if name in with_manifest]
    names = list(names) or known
    for name in names:
        if name not in known:
            raise UsageError(f"unknown assignment {name!r}: expected one of {', '.join(known)} "
                             f"(folders of {source_dir})")
    return names


@contextmanager
def temporary_course(names: Iterable[str], *, source_dir: Path = SOURCE_DIR) -> Iterator[Path]:
    """Yield the root of a fresh course folder holding copies of the given assignments.

    The folder, its gradebook and everything nbgrader writes there are removed
    on exit.
    """
    with tempfile.TemporaryDirectory(prefix="autograder-course-") as tmp:
        root = Path(tmp)
        for name in names:
            shutil.copytree(source_dir / name, root / "source" / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        yield root


def put_environment_on_path() -> None:
    """Let nbgrader find ``alembic``, which it runs by name, when the venv is not activated."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bin_dir not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, path]) if path else bin_dir


def nbgrader_api(root: Path) -> NbGraderAPI:
    """Return nbgrader's Python API for the course folder ``root``.

    Parameters
    ----------
    root : Path
        A folder made by :func:`temporary_course`.
    """
    put_environment_on_path()
    config = Config(nbgrader_config())
    config.CourseDirectory.root = str(root)
    config.NbGraderAPI.log_level = "ERROR"
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def generate(api: NbGraderAPI, assignment: str) -> None:
    """Run nbgrader's generate_assignment, which also records the assignment in the gradebook.

    Raises
    ------
    RuntimeError
        With nbgrader's log when it fails (a malformed instructor notebook).
    """
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n"
                           f"{result.get('log', '')}{result.get('error', '')}")
