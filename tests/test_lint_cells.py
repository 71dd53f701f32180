"""Tests of tests/lint_cells.py: ruff's NumPy rules reach the chapters' and notebooks' cells.

Each test builds a fake repository with the real pyproject.toml (so its
``extend-exclude`` of the notebook folders is in force) and plants legacy
``np.random`` calls: a check that did not see them, reported them at the wrong
line, or flagged ``np.random.default_rng`` would fail here.
"""

import json
import shutil
import textwrap

import pytest

from tests.lint_cells import ROOT, Finding, chapter_as_python, lint, lint_chapter, main

SEED = "Replace legacy `np.random.seed` call with `np.random.Generator`"
RAND = "Replace legacy `np.random.rand` call with `np.random.Generator`"

CHAPTER = textwrap.dedent("""\
    ---
    kernelspec:
      name: python3
    ---

    # A fake chapter

    Never call `np.random.seed(0)` in prose either; prose is not linted.

    ```{code-cell} ipython3
    :tags: [hide-input]
    import numpy as np
    %matplotlib inline
    np.random.seed(0)
    ```

    ```{code-cell} ipython3
    ---
    tags: [hide-output]
    ---
    rng = np.random.default_rng(0)
    !pip list
    x = np.random.rand(3)
    ```

    ```text
    np.random.seed(1)
    ```

    ```{code-cell} bash
    np.random.seed(2)
    ```
    """)

CLEAN_CELL = ["import numpy as np\n", "rng = np.random.default_rng(0)\n", "x = rng.random(3)"]


def _notebook(*sources):
    """A notebook: one markdown cell, then one code cell per source (a list of lines)."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Exercise"]}]
    cells += [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
               "source": source} for source in sources]
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                               "language": "python"}, "language_info": {"name": "python"}}
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


DIRTY_NOTEBOOK = _notebook(
    ["import numpy as np\n", "%matplotlib inline\n", "np.random.seed(0)\n",
     "rng = np.random.default_rng(0)\n"],
    ["x = np.random.rand(3)"],
)


@pytest.fixture
def repo(tmp_path):
    """An empty repository configured by the real pyproject.toml."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "book").mkdir()
    return tmp_path


def _line_of(text, needle):
    """The 1-based line of ``text`` that is ``needle`` (exactly one)."""
    (line,) = [n for n, row in enumerate(text.splitlines(), 1) if row == needle]
    return line


def test_chapter_findings_are_at_the_chapter_line(repo):
    """Only the two legacy calls in Python cells, at their .md lines (not at prose,
    a ```text block or a bash cell, and not at ``default_rng``)."""
    (repo / "book" / "ch99_fake.md").write_text(CHAPTER, encoding="utf-8")
    findings = lint_chapter("book/ch99_fake.md", repo)
    assert findings == [
        Finding("book/ch99_fake.md", _line_of(CHAPTER, "np.random.seed(0)"), 1, "NPY002", SEED),
        Finding("book/ch99_fake.md", _line_of(CHAPTER, "x = np.random.rand(3)"), 5, "NPY002", RAND),
    ]
    assert str(findings[0]) == f"book/ch99_fake.md:14:1: NPY002 {SEED}"


def test_chapter_python_keeps_line_numbers_and_comments_out_magics():
    python = chapter_as_python(CHAPTER).splitlines()
    assert len(python) == len(CHAPTER.splitlines())
    assert python[_line_of(CHAPTER, "%matplotlib inline") - 1] == "# %matplotlib inline"
    assert python[_line_of(CHAPTER, "!pip list") - 1] == "# !pip list"
    assert python[_line_of(CHAPTER, "tags: [hide-output]") - 1] == ""
    assert python[_line_of(CHAPTER, "np.random.seed(2)") - 1] == ""


def test_cell_magic_comments_out_its_cell(repo):
    chapter = "```{code-cell} ipython3\n%%bash\nnp.random.seed(0)\n```\n"
    (repo / "book" / "ch99_fake.md").write_text(chapter, encoding="utf-8")
    assert lint_chapter("book/ch99_fake.md", repo) == []


@pytest.mark.parametrize("folder", ["exercises/ch99_fake", "autograder/source/ch99_fake"])
def test_notebook_findings_despite_extend_exclude(repo, folder):
    """pyproject.toml excludes these folders from `ruff check .`; they are linted anyway."""
    (repo / folder).mkdir(parents=True)
    (repo / folder / "fake.ipynb").write_text(DIRTY_NOTEBOOK, encoding="utf-8")
    (repo / folder / "clean.ipynb").write_text(_notebook(CLEAN_CELL), encoding="utf-8")
    path = f"{folder}/fake.ipynb"
    assert lint(repo) == [
        Finding(path, 3, 1, "NPY002", SEED, cell=2),
        Finding(path, 1, 5, "NPY002", RAND, cell=3),
    ]


def test_main_reports_path_and_line_and_fails(repo, capsys):
    (repo / "book" / "ch99_fake.md").write_text(CHAPTER, encoding="utf-8")
    (repo / "exercises" / "ch99_fake").mkdir(parents=True)
    (repo / "exercises" / "ch99_fake" / "fake.ipynb").write_text(DIRTY_NOTEBOOK, encoding="utf-8")
    assert main(repo) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"book/ch99_fake.md:14:1: NPY002 {SEED}",
        f"book/ch99_fake.md:23:5: NPY002 {RAND}",
        f"exercises/ch99_fake/fake.ipynb:cell 2:3:1: NPY002 {SEED}",
        f"exercises/ch99_fake/fake.ipynb:cell 3:1:5: NPY002 {RAND}",
    ]
    assert "np.random.default_rng(seed)" in out.err


def test_generator_code_passes(repo, capsys):
    chapter = "```{code-cell} ipython3\n" + "".join(CLEAN_CELL) + "\n```\n"
    (repo / "book" / "ch99_fake.md").write_text(chapter, encoding="utf-8")
    (repo / "exercises" / "ch99_fake").mkdir(parents=True)
    (repo / "exercises" / "ch99_fake" / "clean.ipynb").write_text(
        _notebook(CLEAN_CELL), encoding="utf-8")
    assert main(repo) == 0
    assert capsys.readouterr().out == ""


def test_the_book_and_notebooks_have_no_findings():
    findings = lint()
    assert findings == [], "\n".join(map(str, findings))
