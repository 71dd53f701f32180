"""The dependency rules of DESIGN.md, checked on the imports in the source (AST).

- ``solutions`` needs only NumPy: its numerical modules never import matplotlib,
  scikit-learn, nbgrader or ``autograder``; ``plots`` and ``data`` import
  matplotlib / scikit-learn only inside their functions; nothing in
  ``solutions`` imports ``autograder``.
- Released exercise notebooks import only the standard library, NumPy and Matplotlib.
- Book chapters never import ``autograder``.
- Nobody uses NumPy's legacy global random API (``np.random.seed``, ``rand``, ...):
  randomness goes through an explicit ``numpy.random.Generator``.
"""

import ast
import json
import re
import sys
from pathlib import Path

import pytest

from tests.test_backend import ROOT, SOLUTIONS, imported_modules, numpy_attribute_uses

#: What a numerical module of ``solutions`` must never import.
HEAVY = {"matplotlib", "sklearn", "nbgrader", "autograder"}

#: The CPU-only helpers that may import matplotlib / scikit-learn inside functions.
HELPERS = {"plots.py", "data.py"}

#: What a released exercise notebook may import.
EXERCISE_ALLOWED = set(sys.stdlib_module_names) | {"numpy", "matplotlib"}

#: ``numpy.random`` names that do not touch the legacy global state: the modern API, and the
#: ``RandomState`` class itself (a local generator; tests pass one to show it is rejected).
#: Every other ``numpy.random.<name>`` (seed, rand, randn, normal, ...) draws from or reseeds
#: the hidden global generator.
NOT_GLOBAL_RANDOM = {"default_rng", "Generator", "BitGenerator", "SeedSequence", "PCG64",
                     "PCG64DXSM", "Philox", "SFC64", "MT19937", "RandomState"}

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def top(module):
    return module.split(".")[0]


def module_level_imports(tree):
    """``(line, module)`` for imports run at import time: not inside a function body."""
    stack = list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module
        stack.extend(ast.iter_child_nodes(node))


def solutions_violations(source, filename):
    """Breaches of the ``solutions`` dependency rules, as ``file:line: message``."""
    tree = ast.parse(source, filename)
    helper = Path(filename).name in HELPERS
    found = {(line, f"imports {module} at module level")
             for line, module in module_level_imports(tree) if top(module) in HEAVY}
    for line, module in imported_modules(tree):
        if top(module) == "autograder" or (not helper and top(module) in HEAVY):
            found.add((line, f"imports {module}"))
    return [f"{filename}:{line}: {message}" for line, message in sorted(found)]


def legacy_random_uses(label, source, first_line=1):
    """Uses of the legacy global ``numpy.random`` API, as ``label:line: message``."""
    tree = ast.parse(source, label)
    found = []
    for node, name in numpy_attribute_uses(tree):
        parts = name.split(".")
        if parts[0] == "random" and len(parts) > 1 and parts[1] not in NOT_GLOBAL_RANDOM:
            found.append((node.lineno, f"numpy.{parts[0]}.{parts[1]}"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "numpy.random":
            found += [(node.lineno, f"from numpy.random import {alias.name}")
                      for alias in node.names if alias.name not in NOT_GLOBAL_RANDOM]
    return [f"{label}:{line + first_line - 1}: {what} is the legacy global random API; "
            "pass a numpy.random.default_rng(seed) Generator instead"
            for line, what in sorted(set(found))]


def _label(path):
    """``path`` relative to the repository root when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _without_magics(lines):
    """Code lines with IPython magics and shell escapes blanked (line numbers kept)."""
    return "".join("\n" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def notebook_cells(path):
    """``(label, source, 1)`` for each code cell of a notebook."""
    cells = json.loads(path.read_text())["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            source = cell["source"]
            lines = source.splitlines(keepends=True) if isinstance(source, str) else source
            yield f"{_label(path)} cell {i}", _without_magics(lines), 1


def markdown_code_cells(path):
    """``(label, source, first_line)`` for each ```{code-cell} block of a MyST chapter."""
    lines = path.read_text().splitlines(keepends=True)
    label = _label(path)
    i = 0
    while i < len(lines):
        if not re.match(r"\s*```\{code-cell\}", lines[i]):
            i += 1
            continue
        start = i + 1
        end = next((j for j in range(start, len(lines)) if lines[j].strip() == "```"), len(lines))
        body = lines[start:end]
        # Cell options: ":key: value" lines, or a "---" YAML block, at the top.
        skip = 0
        if body and body[0].strip() == "---":
            skip = next((k + 1 for k in range(1, len(body)) if body[k].strip() == "---"), 0)
        while skip < len(body) and body[skip].startswith(":"):
            skip += 1
        code = ["\n"] * skip + body[skip:]
        yield label, _without_magics(code), start + 1
        i = end + 1


def book_cells():
    return [cell for path in sorted((ROOT / "book").rglob("*.md"))
            for cell in markdown_code_cells(path)]


def exercise_cells():
    exercises = ROOT / "exercises"
    return [cell for path in sorted(exercises.rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in path.parts for cell in notebook_cells(path)]


def python_sources(*folders):
    return [(str(p.relative_to(ROOT)), p.read_text(), 1)
            for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


# --- solutions -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.py")), ids=lambda p: p.name)
def test_solutions_imports_follow_the_dependency_rules(path):
    violations = solutions_violations(path.read_text(), str(path.relative_to(ROOT)))
    assert not violations, "dependency rule broken:\n" + "\n".join(violations)


def test_the_solutions_checker_finds_heavy_and_autograder_imports():
    numerical = ("import matplotlib.pyplot as plt\n"
                 "def f():\n"
                 "    from sklearn.datasets import load_digits\n"
                 "    import autograder\n")
    assert solutions_violations(numerical, "solutions/layers.py") == [
        "solutions/layers.py:1: imports matplotlib.pyplot",
        "solutions/layers.py:1: imports matplotlib.pyplot at module level",
        "solutions/layers.py:3: imports sklearn.datasets",
        "solutions/layers.py:4: imports autograder",
    ]
    helper = ("import matplotlib\n"
              "def f():\n"
              "    import matplotlib.pyplot as plt\n"
              "    from autograder import api\n")
    assert solutions_violations(helper, "solutions/plots.py") == [
        "solutions/plots.py:1: imports matplotlib at module level",
        "solutions/plots.py:4: imports autograder",
    ]
    assert solutions_violations("def f():\n    import sklearn\n", "solutions/data.py") == []


# --- exercises and book --------------------------------------------------------------------


def exercise_violations(label, source, first_line):
    tree = ast.parse(source, label)
    return [f"{label}:{line + first_line - 1}: imports {module}; released exercises may use "
            "only the standard library, numpy and matplotlib"
            for line, module in imported_modules(tree) if top(module) not in EXERCISE_ALLOWED]


def book_violations(label, source, first_line):
    tree = ast.parse(source, label)
    return [f"{label}:{line + first_line - 1}: imports {module}; the book uses solutions, "
            "never autograder"
            for line, module in imported_modules(tree) if top(module) == "autograder"]


def test_released_exercises_import_only_stdlib_numpy_and_matplotlib():
    violations = [v for cell in exercise_cells() for v in exercise_violations(*cell)]
    assert not violations, "\n".join(violations)


def test_book_chapters_never_import_autograder():
    cells = book_cells()
    assert cells, "no code cells found in book/*.md: the cell parser is broken"
    violations = [v for cell in cells for v in book_violations(*cell)]
    assert not violations, "\n".join(violations)


def test_the_notebook_and_chapter_checkers_find_forbidden_imports(tmp_path):
    assert exercise_violations("ex.ipynb cell 2", "import json\nimport solutions.layers\n", 1) \
        == ["ex.ipynb cell 2:2: imports solutions.layers; released exercises may use only "
            "the standard library, numpy and matplotlib"]
    assert exercise_violations("ex", "import numpy as np\nfrom matplotlib import pyplot\n", 1) \
        == []
    chapter = tmp_path / "chapter.md"
    chapter.write_text("# Title\n\n```{code-cell} ipython3\n:tags: [hide-input]\n\n"
                       "%matplotlib inline\nimport numpy as np\nfrom autograder import checks\n"
                       "```\n\n```python\nimport autograder  # not a code cell\n```\n")
    cells = list(markdown_code_cells(chapter))
    assert [v for cell in cells for v in book_violations(*cell)] == [
        f"{chapter}:8: imports autograder; the book uses solutions, never autograder"]


# --- legacy global random state ------------------------------------------------------------


def test_nobody_uses_the_legacy_global_numpy_random_api():
    sources = (python_sources("solutions", "autograder", "tests") + book_cells()
               + [cell for path in sorted((ROOT / "autograder").rglob("*.ipynb"))
                  if ".ipynb_checkpoints" not in path.parts for cell in notebook_cells(path)])
    assert len(sources) > 10
    violations = [v for source in sources for v in legacy_random_uses(*source)]
    assert not violations, "\n".join(violations)


def test_the_legacy_random_checker_finds_seed_rand_and_normal():
    source = ("import numpy as np\n"
              "from numpy.random import randn, default_rng\n"
              "np.random.seed(0)\n"
              "x = np.random.rand(3)\n"
              "rs = np.random.RandomState(1)  # a local generator: allowed\n"
              "np.random.normal(size=3)\n"
              "rng = np.random.default_rng(0)\n"
              "y = rng.random(3)\n")
    found = legacy_random_uses("bad.py", source)
    assert [v.split(" is the legacy")[0] for v in found] == [
        "bad.py:2: from numpy.random import randn",
        "bad.py:3: numpy.random.seed",
        "bad.py:4: numpy.random.rand",
        "bad.py:6: numpy.random.normal",
    ]
