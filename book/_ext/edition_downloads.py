"""On a translated page, download the edition's own exercise notebook.

The Korean edition's released notebooks are ``exercises/ko/<assignment>/<notebook>``
(``autograder release``), beside the English ones under ``exercises/<assignment>/``. A
chapter's ``{download}`` of an English notebook points, on a Korean page, at the Korean
one where it exists; the translated paragraph keeps the English target (the catalogues
never change where a link points). Pages of the English build are left as they are.
"""

from pathlib import Path, PurePosixPath

from sphinx import addnodes

EXERCISES = "exercises"


def edition_target(target: str, language: str, docdir: Path) -> str:
    """Return ``target`` moved under ``exercises/<language>/`` when that file exists.

    ``target`` is a ``{download}`` target relative to the page's folder ``docdir``,
    e.g. ``../exercises/ch01_regression/regression.ipynb``.
    """
    parts = PurePosixPath(target).parts
    if EXERCISES not in parts:
        return target
    at = parts.index(EXERCISES) + 1
    moved = PurePosixPath(*parts[:at], language, *parts[at:]).as_posix()
    return moved if (docdir / moved).is_file() else target


def use_edition_notebooks(app, doctree):
    """Point each exercise download of a translated page at the edition's notebook."""
    language = app.config.language
    if not language or language == "en":
        return
    docdir = Path(app.env.doc2path(app.env.docname)).parent
    for node in doctree.findall(addnodes.download_reference):
        node["reftarget"] = edition_target(node["reftarget"], language, docdir)


def setup(app):
    """Rewrite the targets before Sphinx collects the downloads (priority 500)."""
    app.connect("doctree-read", use_edition_notebooks, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
