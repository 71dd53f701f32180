"""Regenerate the released exercise notebooks from the instructor notebooks."""

import shutil
from collections.abc import Iterable
from pathlib import Path

from autograder.course import SOURCE_DIR, generate, nbgrader_api, temporary_course

__all__ = ["release_assignments"]


def release_assignments(names: Iterable[str], *, out_dir: Path,
                        source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Write ``out_dir/<assignment>/`` for each assignment, replacing what was there.

    Parameters
    ----------
    names : iterable of str
        Assignments to release (checked by the caller).
    out_dir : Path
        Where the released folders go (``exercises/`` in the repository).
    source_dir : Path
        The instructor notebooks, one folder per assignment.

    Returns
    -------
    written : list of Path
        Every released file, sorted.
    """
    names = list(names)
    written = []
    with temporary_course(names, source_dir=source_dir) as root:
        api = nbgrader_api(root)
        for name in names:
            generate(api, name)
            target = out_dir / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(root / "release" / name, target)
            written += sorted(p for p in target.rglob("*") if p.is_file())
    return written
