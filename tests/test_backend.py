"""Tests of solutions.backend, and the backend rule for every module of the library.

The rule (DESIGN.md, "Backend"): every op computes with ``xp = get_xp(...)``; no
module but ``backend`` calls ``numpy`` functions or imports CuPy. It is checked on
the source (AST), so a violation is reported with its file, line and call.
The AST helpers here are shared with tests/test_dependencies.py.
"""

import ast
from pathlib import Path

import numpy as np
import pytest

from solutions.backend import cupy_available, get_xp, to_numpy

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"

#: Modules exempt from the rule: the backend itself, and the CPU-only helpers
#: (scikit-learn loaders, matplotlib plots).
EXEMPT = {"backend.py", "data.py", "plots.py"}

#: ``numpy.<name>(...)`` calls that are allowed: dtypes and type names, and
#: making a Generator (which is NumPy's on either backend).
ALLOWED_NUMPY_CALLS = {
    "dtype", "float16", "float32", "float64", "int32", "int64", "bool_", "finfo", "iinfo",
    "random.default_rng", "random.Generator",
}


def dotted_name(node):
    """``a.b.c`` for a Name/Attribute chain, or None for anything else (calls, subscripts)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def module_aliases(tree, module):
    """Local names bound to ``module`` by ``import module [as name]`` anywhere in the tree."""
    return {alias.asname or alias.name
            for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names if alias.name == module}


def imported_modules(tree):
    """``(line, module)`` for every import in the tree (``from a.b import c`` gives ``a.b``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module


def numpy_attribute_uses(tree):
    """``(node, name)`` for every ``np.<name>`` chain, ``name`` relative to numpy."""
    aliases = module_aliases(tree, "numpy")
    for node in ast.walk(tree):
        name = dotted_name(node) if isinstance(node, ast.Attribute) else None
        if name and name.split(".", 1)[0] in aliases:
            yield node, name.split(".", 1)[1]


def backend_violations(source, filename):
    """Every breach of the backend rule in ``source``, as ``file:line: message`` strings."""
    tree = ast.parse(source, filename)
    found = []  # (line, message)
    calls = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node, name in numpy_attribute_uses(tree):
        if id(node) in calls and name not in ALLOWED_NUMPY_CALLS:
            found.append((node.lineno, f"calls numpy.{name}(...); "
                                       f"use xp = get_xp(...) and xp.{name}(...)"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "numpy":
            for alias in node.names:
                if alias.name not in ALLOWED_NUMPY_CALLS:
                    found.append((node.lineno, f"from numpy import {alias.name}; "
                                               "use xp = get_xp(...) instead"))
    for line, module in imported_modules(tree):
        if module.split(".")[0] == "cupy":
            found.append((line, f"imports {module}; only solutions/backend.py may"))
    return [f"{filename}:{line}: {message}" for line, message in sorted(found)]


def library_modules():
    return sorted(p for p in SOLUTIONS.glob("*.py") if p.name not in EXEMPT)


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: p.name)
def test_library_modules_compute_with_get_xp_only(path):
    violations = backend_violations(path.read_text(), str(path.relative_to(ROOT)))
    assert not violations, "backend rule broken:\n" + "\n".join(violations)


def test_the_rule_checker_finds_each_kind_of_violation():
    bad = (
        "import numpy as np\n"
        "import numpy\n"
        "from numpy import zeros\n"
        "import cupy\n"
        "def f(x):\n"
        "    y = np.exp(x)\n"
        "    return numpy.linalg.norm(y) + np.float64(1.0)\n"
    )
    found = backend_violations(bad, "bad.py")
    assert found == [
        "bad.py:3: from numpy import zeros; use xp = get_xp(...) instead",
        "bad.py:4: imports cupy; only solutions/backend.py may",
        "bad.py:6: calls numpy.exp(...); use xp = get_xp(...) and xp.exp(...)",
        "bad.py:7: calls numpy.linalg.norm(...); use xp = get_xp(...) and xp.linalg.norm(...)",
    ]


def test_the_rule_checker_accepts_dtypes_generators_and_xp_calls():
    good = (
        "import numpy\n"
        "from solutions.backend import get_xp\n"
        "def f(x, rng=numpy.random.default_rng(0), dtype=numpy.float32):\n"
        "    xp = get_xp(x)\n"
        "    if not isinstance(rng, numpy.random.Generator):\n"
        "        raise TypeError(numpy.dtype(dtype))\n"
        "    return xp.exp(x).astype(numpy.float64)\n"
    )
    assert backend_violations(good, "good.py") == []


def test_get_xp_is_numpy_for_numpy_arrays_scalars_lists_and_none():
    assert get_xp() is np
    assert get_xp(np.ones(2), np.float32(1.0), 3.0, [1, 2], None) is np
    assert get_xp(None) is np


def test_to_numpy_returns_numpy_arrays_without_copying_them():
    x = np.arange(3.0)
    assert to_numpy(x) is x
    out = to_numpy([1.0, 2.0])
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, [1.0, 2.0])


def test_cupy_available_answers_a_bool():
    assert isinstance(cupy_available(), bool)


@pytest.mark.gpu
@pytest.mark.skipif(not cupy_available(), reason="CuPy with a GPU is not available")
def test_get_xp_is_cupy_for_cupy_arrays_and_mixing_is_an_error():
    import cupy

    gpu = cupy.ones(3)
    assert get_xp(gpu, 2.0, None) is cupy
    np.testing.assert_array_equal(to_numpy(gpu), np.ones(3))
    with pytest.raises(TypeError, match="got both NumPy and CuPy arrays"):
        get_xp(gpu, np.ones(3))
