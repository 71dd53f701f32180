"""Hypothesis strategies shared by the property tests."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

#: Batch sizes and feature counts small enough for finite differences.
dims = st.integers(min_value=1, max_value=6)


def float64_arrays(shape, *, bound=10.0):
    """Arrays of the given shape (tuple or strategy) with finite entries in [-bound, bound].

    Subnormal numbers (below about 2.2e-308) are left out: products such as
    ``lr * g`` round them to zero, a property of floating point, not of our code.
    """
    return arrays(
        np.float64,
        shape,
        elements=st.floats(-bound, bound, allow_nan=False, allow_infinity=False,
                           allow_subnormal=False, width=64),
    )


@st.composite
def matrices(draw, *, min_rows=1, bound=10.0):
    """A float64 matrix of shape (N, D) with N >= min_rows and D >= 1."""
    n = draw(st.integers(min_value=min_rows, max_value=6))
    d = draw(dims)
    return draw(float64_arrays((n, d), bound=bound))


@st.composite
def seeds(draw):
    """A generator seeded from Hypothesis, so failures replay exactly."""
    return np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
