"""Regenerate the released exercise notebooks: manifest -> instructor notebook -> nbgrader.

First the setup cell and each part's test cell of the instructor notebook are
rewritten from the manifest (:mod:`autograder.visible`), with the part's points;
then nbgrader's ``generate_assignment`` removes the solutions and the result is
copied to ``exercises/``.

Each other language with a catalogue (:mod:`autograder.i18n`) gets its own release in
``exercises/<lang>/``, made the same way from a translation of the instructor notebook
(:func:`translated`): the same cells, ids and points, so that the same grader grades it.
"""

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import nbformat

from autograder.course import SOURCE_DIR, generate, nbgrader_api, temporary_course
from autograder.i18n import METADATA, languages, translate_markdown, translator
from autograder.manifest import Assignment, load
from autograder.notebooks import nbgrader_metadata
from autograder.visible import setup_cell, test_cell

__all__ = ["CODE_NOTE", "release_assignments", "translated", "write_tests"]

CODE_NOTE = ("This notebook's text is translated; its code cells (code, docstrings and "
             "comments) stay in English, as the book's code does.")
"""The paragraph a translated notebook opens with."""


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


def translated(assignment: Assignment, language: str,
               source_dir: Path = SOURCE_DIR) -> nbformat.NotebookNode:
    """Return the instructor notebook in ``language``: made, never edited by hand.

    Markdown cells are translated paragraph by paragraph, the first one opened by
    :data:`CODE_NOTE`, and the notebook's own path in them (``exercises/<assignment>/``,
    in the ``check`` command line) becomes ``exercises/<lang>/<assignment>/``; the setup
    and test cells are written from the manifest with the translated messages; code cells
    stay as they are. The notebook's metadata names its language
    (``{"course": {"language": ...}}``).
    """
    tr = translator(language, assignment.name)
    nb = nbformat.read(source_dir / assignment.name / assignment.notebook, as_version=4)
    tests = {f"test_{part.name}": test_cell(part, tr) for part in assignment.parts}
    first = True
    for cell in nb.cells:
        grade_id = (nbgrader_metadata(cell) or {}).get("grade_id")
        if cell.cell_type == "markdown":
            note = tr.text(CODE_NOTE) + "\n\n" if first else ""
            text = translate_markdown(cell.source, tr).replace(
                f"exercises/{assignment.name}/", f"exercises/{language}/{assignment.name}/")
            cell.source, first = note + text, False
        elif grade_id == "setup":
            cell.source = setup_cell(tr)
        elif grade_id in tests:
            cell.source = tests[grade_id]
    nb.metadata[METADATA] = {"language": language}
    return nb


def _release(api, name: str, root: Path, target: Path) -> list[Path]:
    """Generate one assignment of the course at ``root`` and copy it to ``target``."""
    generate(api, name)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root / "release" / name, target)
    return sorted(p for p in target.rglob("*") if p.is_file())


def release_assignments(names: Iterable[str], *, out_dir: Path, source_dir: Path = SOURCE_DIR,
                        update_sources: bool = True) -> list[Path]:
    """Write ``out_dir/<assignment>/`` and ``out_dir/<lang>/<assignment>/`` for each assignment.

    What was there is replaced; each language of :func:`autograder.i18n.languages`
    is released from :func:`translated`.

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
            written += _release(api, name, root, out_dir / name)
    for language in languages():
        with tempfile.TemporaryDirectory(prefix=f"autograder-{language}-") as tmp:
            for name in names:
                assignment = load(name)
                shutil.copytree(source_dir / name, Path(tmp) / name,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
                nbformat.write(translated(assignment, language, source_dir),
                               Path(tmp) / name / assignment.notebook)
            with temporary_course(names, source_dir=Path(tmp)) as root:
                api = nbgrader_api(root)
                for name in names:
                    written += _release(api, name, root, out_dir / language / name)
    return written
