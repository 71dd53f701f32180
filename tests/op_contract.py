"""The contract every forward/backward pair keeps, checked over a registry of ops.

``tests/test_activations.py`` and ``tests/test_layers.py`` each build a registry
(name -> :class:`Op`) and subclass :class:`OpContract`, parametrized over its names,
so one set of checks runs over every differentiable op of the library.

The backend check runs each op, forward, backward and gradient check, on every
backend of the ``xp`` fixture (``array_api_strict`` and PyTorch CPU everywhere, GPUs
where present): an op that calls NumPy directly fails there, returning NumPy arrays
or failing on the strict ones.
"""

import copy
from collections.abc import Callable
from typing import NamedTuple

import array_api_compat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions.backend import to_numpy
from solutions.gradcheck import gradient_errors
from tests.strategies import dims

seeds_ = st.integers(min_value=0, max_value=2**32 - 1)


class Op(NamedTuple):
    """A forward/backward pair under test and how to draw a point to test it at."""

    forward: Callable
    """``forward(*inputs) -> (out, cache)``."""
    backward: Callable
    """``backward(dout, cache) -> dx`` or a tuple with one gradient per input."""
    inputs: Callable
    """``inputs(rng, n, m) -> list`` of float64 arrays, the point of the check."""
    random: bool = False
    """Draws random numbers: on a GPU backend its values differ from NumPy's."""


def as_tuple(grads):
    """Backward results as a tuple, whether the op returns one gradient or several."""
    return grads if isinstance(grads, tuple) else (grads,)


def away_from_zero(rng, shape):
    """Entries of magnitude in [0.5, 2] with random signs.

    For inputs whose gradient is a product with them (a weight gradient x^T dout):
    an input near 0 makes that gradient so small that the rounding error of the
    loss, about 1e-16 |L| / h, swamps its central difference.
    """
    return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def off_kinks(x):
    """Move entries at least 0.01 away from 0, so central differences never straddle a kink."""
    return x + np.copysign(0.01, x)


def cache_arrays(cache):
    """Every array inside a (possibly nested) cache."""
    if array_api_compat.is_array_api_obj(cache):
        return [cache]
    if isinstance(cache, tuple):
        return [a for item in cache for a in cache_arrays(item)]
    return []


def check_gradient(op, n, m, seed):
    rng = np.random.default_rng(seed)
    inputs = op.inputs(rng, n, m)
    _, cache = op.forward(*inputs)
    errors = gradient_errors(lambda *a: op.forward(*a)[0], inputs,
                             lambda d: as_tuple(op.backward(d, cache)), rng=rng)
    assert max(errors) < 1e-7, errors


def check_gradient_shapes(op, n, m, seed):
    rng = np.random.default_rng(seed)
    inputs = op.inputs(rng, n, m)
    out, cache = op.forward(*inputs)
    grads = as_tuple(op.backward(rng.standard_normal(out.shape), cache))
    assert len(grads) == len(inputs)
    for grad, x in zip(grads, inputs, strict=True):
        assert grad.shape == x.shape and grad.dtype == x.dtype


def check_linear_in_dout(op, n, m, seed):
    rng = np.random.default_rng(seed)
    inputs = op.inputs(rng, n, m)
    out, cache = op.forward(*inputs)
    d1, d2 = rng.standard_normal(out.shape), rng.standard_normal(out.shape)
    combined = as_tuple(op.backward(2.0 * d1 - 3.0 * d2, cache))
    separate = zip(as_tuple(op.backward(d1, cache)), as_tuple(op.backward(d2, cache)), strict=True)
    for g, (g1, g2) in zip(combined, separate, strict=True):
        np.testing.assert_allclose(g, 2.0 * g1 - 3.0 * g2, rtol=1e-10, atol=1e-10)


def check_no_mutation(op, rng):
    inputs = op.inputs(rng, 4, 3)
    saved_inputs = copy.deepcopy(inputs)
    out, cache = op.forward(*inputs)
    saved_cache = copy.deepcopy(cache_arrays(cache))
    dout = rng.standard_normal(out.shape)
    saved_dout = dout.copy()
    op.backward(dout, cache)
    op.backward(dout, cache)  # a second backward from the same cache must work too
    for now, before in zip(inputs + [dout] + cache_arrays(cache),
                           saved_inputs + [saved_dout] + saved_cache, strict=True):
        np.testing.assert_array_equal(now, before)


def check_float32(op, rng):
    inputs = [x.astype(np.float32) for x in op.inputs(rng, 4, 3)]
    out, cache = op.forward(*inputs)
    assert out.dtype == np.float32
    grads = as_tuple(op.backward(np.ones(out.shape, np.float32), cache))
    assert all(g.dtype == np.float32 for g in grads), [g.dtype for g in grads]


def check_bad_dout(op, rng):
    out, cache = op.forward(*op.inputs(rng, 4, 3))
    with pytest.raises(ValueError, match="dout must have"):
        op.backward(np.ones((out.shape[0] + 1,) + out.shape[1:]), cache)


def check_backend(op, backend, rng):
    """Forward, backward and gradient check on ``backend``; the same values as NumPy's."""
    inputs = op.inputs(rng, 5, 4)
    out, cache = op.forward(*inputs)
    dout = rng.standard_normal(out.shape)
    inputs_b = [backend.asarray(x) for x in inputs]
    kind = type(inputs_b[0])
    out_b, cache_b = op.forward(*inputs_b)
    grads_b = as_tuple(op.backward(backend.asarray(dout), cache_b))
    for a in [out_b, *cache_arrays(cache_b), *grads_b]:  # nothing fell back to NumPy
        assert type(a) is kind, type(a)
        assert array_api_compat.device(a) == array_api_compat.device(inputs_b[0])
    if not (op.random and backend.name in ("cupy", "torch-cuda")):
        np.testing.assert_allclose(to_numpy(out_b), out, rtol=1e-12, atol=1e-12)
        for g, g_b in zip(as_tuple(op.backward(dout, cache)), grads_b, strict=True):
            np.testing.assert_allclose(to_numpy(g_b), g, rtol=1e-12, atol=1e-12)
    errors = gradient_errors(lambda *a: op.forward(*a)[0], inputs_b,
                             lambda d: as_tuple(op.backward(d, cache_b)), rng=rng)
    assert max(errors) < 1e-7, errors


class OpContract:
    """Contract tests; a subclass sets ``OPS`` and is parametrized over ``name``.

    For the PyTorch oracle, a subclass also defines ``torch_oracle(name, torch)``
    returning the same op written with torch, and the tolerances of the comparison.
    """

    OPS: dict = {}
    OUT_TOL = {"rtol": 1e-12, "atol": 1e-14}
    GRAD_TOL = {"rtol": 1e-10, "atol": 1e-12}

    @staticmethod
    def torch_oracle(name, torch):
        raise NotImplementedError

    @given(n=dims, m=dims, seed=seeds_)
    def test_backward_matches_central_differences(self, name, n, m, seed):
        check_gradient(self.OPS[name], n, m, seed)

    @given(n=dims, m=dims, seed=seeds_)
    def test_gradients_have_the_inputs_shapes_and_dtypes(self, name, n, m, seed):
        check_gradient_shapes(self.OPS[name], n, m, seed)

    @given(n=dims, m=dims, seed=seeds_)
    def test_backward_is_linear_in_dout(self, name, n, m, seed):
        check_linear_in_dout(self.OPS[name], n, m, seed)

    def test_no_input_dout_or_cache_is_mutated(self, name, rng):
        check_no_mutation(self.OPS[name], rng)

    def test_float32_in_float32_out(self, name, rng):
        check_float32(self.OPS[name], rng)

    def test_dout_of_the_wrong_shape_is_rejected(self, name, rng):
        check_bad_dout(self.OPS[name], rng)

    def test_runs_and_gradient_checks_on_every_backend(self, name, other_xp, rng):
        check_backend(self.OPS[name], other_xp, rng)

    @pytest.mark.torch
    def test_forward_and_backward_agree_with_pytorch(self, name, rng):
        torch = pytest.importorskip("torch")
        op = self.OPS[name]
        inputs = op.inputs(rng, 7, 5)
        tensors = [torch.tensor(x, requires_grad=True) for x in inputs]
        out_t = self.torch_oracle(name, torch)(*tensors)
        out, cache = op.forward(*inputs)
        dout = rng.standard_normal(out.shape)
        out_t.backward(torch.tensor(dout))
        np.testing.assert_allclose(out, out_t.detach().numpy(), **self.OUT_TOL)
        for g, t in zip(as_tuple(op.backward(dout, cache)), tensors, strict=True):
            np.testing.assert_allclose(g, t.grad.numpy(), **self.GRAD_TOL)
