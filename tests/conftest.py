"""Fixtures shared by the whole suite: seeded generators, the array backends, lane markers.

Backends (the ``xp`` fixture): NumPy, ``array_api_strict`` (the standard and nothing
more: a NumPy-only call on these arrays fails or returns the wrong type) and PyTorch
on the CPU run everywhere; CuPy and PyTorch on CUDA are marked ``gpu`` and skipped
without a GPU.

Lanes: every test in a module whose name starts with ``test_autograder`` or ``test_ch``
(they start Jupyter kernels to grade notebooks) gets the ``kernel`` marker here, so
``pytest -m "not kernel and not browser"`` (``make test-fast``) leaves them out without
editing those modules. The ``browser`` marker is set by the modules that drive Chromium.
"""

import os
from typing import NamedTuple

import array_api_compat
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from solutions.backend import cupy_available

# Property tests: enough examples to catch shape and sign bugs, few enough that
# the suite stays fast on two cores, and the same examples on every run (derandomize)
# so that CI is reproducible. HYPOTHESIS_PROFILE=thorough for a deep, random run.
settings.register_profile(
    "default", max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: Test modules whose tests start Jupyter kernels (nbgrader grading, notebook execution).
KERNEL_MODULE_PREFIXES = ("test_autograder", "test_ch")


def pytest_collection_modifyitems(config, items):
    """Mark every test of the kernel modules ``kernel`` (see the module docstring)."""
    for item in items:
        if item.path.name.startswith(KERNEL_MODULE_PREFIXES):
            item.add_marker(pytest.mark.kernel)


@pytest.fixture
def rng():
    """A fresh, seeded generator per test: results do not depend on test order."""
    return np.random.default_rng(20261123)


class Backend(NamedTuple):
    """An array library under test, on one device."""

    name: str
    """Test id: "numpy", "array_api_strict", "torch", "cupy", "torch-cuda"."""
    xp: object
    """Its Array API namespace (the array_api_compat wrapper where there is one)."""
    device: object
    """The device the test's arrays go to."""

    def asarray(self, x):
        """``x`` (NumPy, list, scalar) as an array of this backend, keeping its dtype."""
        return self.xp.asarray(np.asarray(x), device=self.device)


def _torch_cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def make_backend(name):
    """The :class:`Backend` called ``name``; skips the test when it is not installed."""
    if name == "numpy":
        return Backend(name, array_api_compat.array_namespace(np.empty(0)), "cpu")
    if name == "array_api_strict":
        xp = pytest.importorskip("array_api_strict")
        return Backend(name, xp, xp.Device("CPU_DEVICE"))
    if name == "torch":
        torch = pytest.importorskip("torch")
        return Backend(name, array_api_compat.array_namespace(torch.empty(0)), torch.device("cpu"))
    if name == "torch-cuda":
        if not _torch_cuda_available():
            pytest.skip("torch-cuda with a GPU is not available")
        import torch

        return Backend(name, array_api_compat.array_namespace(torch.empty(0)),
                       torch.device("cuda"))
    if not cupy_available():
        pytest.skip("cupy with a GPU is not available")
    import cupy

    return Backend(name, array_api_compat.array_namespace(cupy.empty(0)), None)


#: Every backend: the CPU ones always run, the GPU ones (marked ``gpu``) where a GPU is
#: present. Whether it is, is asked when a test needs it, not at collection (importing
#: torch or CuPy takes seconds).
BACKEND_PARAMS = [
    pytest.param("numpy", id="numpy"),
    pytest.param("array_api_strict", id="array_api_strict"),
    pytest.param("torch", id="torch"),
    pytest.param("cupy", marks=pytest.mark.gpu, id="cupy"),
    pytest.param("torch-cuda", marks=pytest.mark.gpu, id="torch-cuda"),
]


@pytest.fixture(params=BACKEND_PARAMS)
def xp(request):
    """The backend under test: NumPy, array_api_strict and PyTorch CPU always; GPUs if present."""
    return make_backend(request.param)


@pytest.fixture(params=[p for p in BACKEND_PARAMS if p.values[0] != "numpy"])
def other_xp(request):
    """Every backend but NumPy, for tests that compare with NumPy's results."""
    return make_backend(request.param)
