"""The dependency and backend rules of DESIGN.md: kept by linters, proved to fire here.

- ruff (pyproject.toml): TID251 bans NumPy, CuPy and torch in the numerical modules of
  ``solutions`` (only ``backend``, ``data`` and ``plots`` may import NumPy); TID253 bans
  module-level imports of matplotlib, scikit-learn and nbgrader; NPY002 bans NumPy's
  legacy global random API.
- import-linter (``lint-imports``): ``solutions`` never imports ``autograder``; the
  numerical modules never import matplotlib, scikit-learn, nbgrader (not even inside a
  function); only ``backend`` imports GPU libraries.

These tests show that each rule fires on a violation and that every module is covered.
Two rules are about files no linter reads (MyST chapters, released notebooks): they are
checked here on the imports of their code cells.
"""

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

#: Modules of solutions that may import heavy or CPU-only libraries inside functions.
HELPERS = {"solutions.plots", "solutions.data"}


def ruff_codes(source, filename):
    """Rule codes ruff reports for ``source`` as if it were the file ``filename``."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    result = subprocess.run(
        [ruff, "check", "--no-cache", "--output-format", "json", "--stdin-filename", filename,
         "-"], input=source, capture_output=True, text=True, cwd=ROOT)
    return sorted({item["code"] for item in json.loads(result.stdout)})


@pytest.mark.parametrize("source,code", [
    ('"""M."""\n\nimport numpy as np\n', "TID251"),
    ('"""M."""\n\nfrom numpy import zeros\n', "TID251"),
    ('"""M."""\n\nimport torch\n', "TID251"),
    ('"""M."""\n\nimport matplotlib.pyplot as plt\n', "TID253"),
])
def test_ruff_keeps_numpy_and_heavy_imports_out_of_the_numerical_modules(source, code):
    assert code in ruff_codes(source, "solutions/layers.py")


def test_ruff_lets_the_backend_and_the_helpers_use_numpy_and_import_lazily():
    numpy_use = '"""M."""\n\nimport numpy\n\nX = numpy.zeros(3)\n'
    assert ruff_codes(numpy_use, "solutions/backend.py") == []
    assert ruff_codes(numpy_use, "solutions/data.py") == []
    lazy = ('"""M."""\n\n\ndef f():\n    """F."""\n    import matplotlib.pyplot as plt\n\n'
            '    return plt\n')
    assert ruff_codes(lazy, "solutions/plots.py") == []


@pytest.mark.parametrize("call", ["np.random.seed(0)", "np.random.rand(3)",
                                  "np.random.normal(size=3)"])
def test_ruff_bans_the_legacy_global_random_api_everywhere(call):
    source = f"import numpy as np\n\n{call}\n"
    assert "NPY002" in ruff_codes(source, "tests/test_x.py")
    assert "NPY002" not in ruff_codes("import numpy as np\n\nnp.random.default_rng(0)\n",
                                      "tests/test_x.py")


def _contract(name_part):
    contracts = PYPROJECT["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if name_part in c["name"])


def test_import_linter_contracts_cover_every_numerical_module():
    modules = {f"solutions.{p.stem}" for p in SOLUTIONS.glob("*.py") if p.stem != "__init__"}
    numerical = modules - HELPERS
    assert set(_contract("need only NumPy")["source_modules"]) == numerical
    gpu = _contract("GPU libraries")
    assert set(gpu["source_modules"]) == numerical - {"solutions.backend"}
    assert {"cupy", "torch"} <= set(gpu["forbidden_modules"])
    assert _contract("never uses autograder")["source_modules"] == ["solutions"]


@pytest.mark.slow
def test_import_linter_finds_a_forbidden_import(tmp_path):
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists():
        pytest.skip("import-linter is not installed")
    package = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "layers.py").write_text((package / "layers.py").read_text()
                                       + "\n\ndef _f():\n    import sklearn\n")
    shutil.copytree(ROOT / "autograder", tmp_path / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "source"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    result = subprocess.run([str(lint_imports)], capture_output=True, text=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "solutions.layers -> sklearn" in result.stdout


# --- what no linter reads: the chapters' code cells and the released notebooks ----------

#: What a released exercise notebook may import.
EXERCISE_ALLOWED = set(sys.stdlib_module_names) | {"numpy", "matplotlib"}


def imported_top_modules(source):
    """Top-level names of every module imported in ``source`` (magics blanked)."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line
             for line in source.splitlines()]
    tree = ast.parse("\n".join(lines))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def chapter_code_cells(text):
    """The bodies of the ```{code-cell} blocks of a MyST page (option lines dropped)."""
    for match in re.finditer(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.M | re.S):
        body = match.group(1)
        body = re.sub(r"\A---\n.*?\n---\n", "", body, flags=re.S)
        yield "\n".join(line for line in body.splitlines() if not line.startswith(":"))


def test_book_chapters_never_import_autograder():
    pages = sorted((ROOT / "book").rglob("*.md"))
    cells = [(p, c) for p in pages for c in chapter_code_cells(p.read_text())]
    assert cells, "no code cells found in book/*.md: the cell parser is broken"
    bad = [p.name for p, c in cells if "autograder" in set(imported_top_modules(c))]
    assert not bad, f"chapters importing autograder: {bad}"


def test_released_exercises_import_only_stdlib_numpy_and_matplotlib():
    bad = []
    for path in sorted((ROOT / "exercises").rglob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                bad += [f"{path.name}: {m}" for m in imported_top_modules(source)
                        if m not in EXERCISE_ALLOWED]
    assert not bad, bad


def test_the_cell_readers_see_imports_through_options_and_magics():
    page = ("# T\n\n```{code-cell} ipython3\n---\ntags: [hide-input]\n---\n%matplotlib inline\n"
            "from autograder import checks\n```\n\n```python\nimport solutions\n```\n")
    cells = list(chapter_code_cells(page))
    assert len(cells) == 1 and set(imported_top_modules(cells[0])) == {"autograder"}
