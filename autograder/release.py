"""Regenerate the released exercise notebooks: manifest -> instructor notebook -> nbgrader.

First the setup cell and each part's test cell of the instructor notebook are
rewritten from the manifest (:mod:`autograder.visible`), with the part's points;
then nbgrader's ``generate_assignment`` removes the solutions and the result is
copied to ``exercises/``.
"""

import shutil
from collections.abc import Iterable
from pathlib import Path

import nbformat

from autograder.course import SOURCE_DIR, generate, nbgrader_api, temporary_course
from autograder.manifest import Assignment, load
from autograder.notebooks import nbgrader_metadata
from autograder.visible import setup_cell, test_cell

__all__ = ["release_assignments", "write_tests"]


def write_tests(assignment: Assignment, source_dir: Path = SOURCE_DIR, *,
                write: bool = True) -> bool:
    """Rewrite the instructor notebook's setup and test cells from the manifest.

    With ``write=False`` nothing is written: the result says whether the
    notebook is in sync with its manifest.

    Returns
    -------
    changed : bool
        Whether the notebook on disk changed (False means it was in sync).

    Raises
    ------
    ValueError
        When the notebook lacks the setup cell, a part's solution cell or its test cell.
    """
    path = source_dir / assignment.name / assignment.notebook
    nb = nbformat.read(path, as_version=4)
    by_id = {meta["grade_id"]: cell for cell in nb.cells if (meta := nbgrader_metadata(cell))}
    wanted = {"setup": (setup_cell(), 0)}
    for part in assignment.parts:
        if part.name not in by_id:
            raise ValueError(f"{path}: no solution cell with grade_id {part.name!r} for part "
                             f"{part.name}")
        wanted[f"test_{part.name}"] = (test_cell(part), part.points)
    changed = False
    for grade_id, (source, points) in wanted.items():
        if grade_id not in by_id:
            raise ValueError(f"{path}: no cell with grade_id {grade_id!r}; expected one per part")
        cell = by_id[grade_id]
        if cell.source != source or cell.metadata.nbgrader.get("points", 0) != points:
            cell.source, cell.metadata.nbgrader["points"] = source, points
            changed = True
    if changed and write:
        nbformat.write(nb, path)
    return changed


def release_assignments(names: Iterable[str], *, out_dir: Path, source_dir: Path = SOURCE_DIR,
                        update_sources: bool = True) -> list[Path]:
    """Write ``out_dir/<assignment>/`` for each assignment, replacing what was there.

    Parameters
    ----------
    names : iterable of str
        Assignments to release (checked by the caller).
    out_dir : Path
        Where the released folders go (``exercises/`` in the repository).
    source_dir : Path
        The instructor notebooks, one folder per assignment.
    update_sources : bool, default True
        Rewrite the instructor notebooks' setup and test cells from the manifests first.

    Returns
    -------
    written : list of Path
        Every released file, sorted.
    """
    names = list(names)
    if update_sources:
        for name in names:
            write_tests(load(name), source_dir)
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
