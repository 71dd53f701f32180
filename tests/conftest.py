"""Fixtures shared by the whole suite: seeded generators and the array backends."""

import os

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


@pytest.fixture
def rng():
    """A fresh, seeded generator per test: results do not depend on test order."""
    return np.random.default_rng(20261123)


def _cupy_param():
    marks = [pytest.mark.gpu]
    if not cupy_available():
        marks.append(pytest.mark.skip(reason="CuPy with a GPU is not available"))
    return pytest.param("cupy", marks=marks, id="cupy")


@pytest.fixture(params=[pytest.param("numpy", id="numpy"), _cupy_param()])
def xp(request):
    """The array module under test: NumPy always, CuPy when a GPU is present."""
    if request.param == "numpy":
        return np
    import cupy

    return cupy
