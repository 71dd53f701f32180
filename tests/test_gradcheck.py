import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions.gradcheck import gradient_errors, numerical_gradient, relative_error
from tests.strategies import float64_arrays, matrices

ch04, ch06 = pytest.mark.ch04, pytest.mark.ch06


def _wavy(x):
    return float(np.sum(np.sin(x) * np.exp(x / 2)))


def _wavy_grad(x):
    return np.exp(x / 2) * (np.cos(x) + np.sin(x) / 2)


# --- numerical_gradient ------------------------------------------------------------------


@ch04
def test_central_difference_error_shrinks_like_h_squared(rng):
    x = rng.standard_normal(6)
    errors = [np.max(np.abs(numerical_gradient(_wavy, x, h) - _wavy_grad(x)))
              for h in (1e-1, 1e-2)]
    # Ten times smaller h, a hundred times smaller error (a one-sided difference: ten).
    assert errors[0] / errors[1] == pytest.approx(100.0, rel=0.05)


@ch04
def test_numerical_gradient_is_accurate_keeps_x_and_its_shape(rng):
    x = rng.standard_normal((3, 4))
    saved = x.copy()
    grad = numerical_gradient(_wavy, x)
    assert grad.shape == x.shape
    assert relative_error(grad, _wavy_grad(x)) < 1e-9
    np.testing.assert_array_equal(x, saved)
    x32 = x.astype(np.float32)
    assert numerical_gradient(lambda v: float(np.sum(v)), x32, h=1e-2).dtype == np.float32


@ch04
def test_numerical_gradient_rejects_a_bad_step():
    with pytest.raises(ValueError, match="h must be > 0"):
        numerical_gradient(_wavy, np.ones(2), h=0.0)


# --- relative_error -------------------------------------------------------------------------


@ch06
@given(matrices(), matrices(), st.floats(1e-6, 1e6))
def test_relative_error_is_zero_for_equal_symmetric_and_scale_invariant(a, other, c):
    b = a + 0.5 + np.abs(other[:1, :1])  # a different matrix of the same shape
    assert relative_error(a, a) == 0.0
    assert relative_error(a, b) == relative_error(b, a)
    assert relative_error(c * a, c * b) == pytest.approx(relative_error(a, b), rel=1e-9)
    assert 0.0 < relative_error(a, b) <= 1.0 + 1e-12  # triangle inequality, up to rounding


@ch06
def test_relative_error_values_and_both_zero():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 0.0]), np.array([-1.0, 0.0])) == 1.0
    assert relative_error(np.array([3.0, 4.0]), np.array([3.0, 4.0 + 1e-6])) == pytest.approx(1e-7)
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(3), np.ones((3, 1)))


# --- gradient_errors: it passes right backward passes and fails wrong ones -----------------


def _matmul(x, w):
    return x @ w


def _matmul_backward(x, w):
    return lambda d: [d @ w.T, x.T @ d]


def _cube(x):
    return x**3


def _cube_backward(x):
    return lambda d: [3 * x**2 * d]


def _softplus(x):
    return np.log1p(np.exp(x))


def _softplus_backward(x):
    return lambda d: [d / (1 + np.exp(-x))]


OPS = {  # name: (forward, backward factory, input shapes)
    "matmul": (_matmul, _matmul_backward, [(4, 3), (3, 3)]),
    "cube": (_cube, _cube_backward, [(2, 5)]),
    "softplus": (_softplus, _softplus_backward, [(6,)]),
}


@ch06
@pytest.mark.parametrize("name", OPS)
def test_gradient_errors_accepts_correct_backward_passes(name, rng):
    forward, backward, shapes = OPS[name]
    inputs = [rng.standard_normal(s) for s in shapes]
    saved = [x.copy() for x in inputs]
    errors = gradient_errors(forward, inputs, backward(*inputs), rng=rng)
    assert len(errors) == len(inputs) and max(errors) < 1e-7
    for x, s in zip(inputs, saved, strict=True):
        np.testing.assert_array_equal(x, s)


WRONG = {
    "halved": lambda x, w: lambda d: [0.5 * (d @ w.T), x.T @ d],
    "transposed weights": lambda x, w: lambda d: [d @ w, x.T @ d],
    "missing the upstream gradient": lambda x, w: lambda d: [np.ones_like(d) @ w.T, x.T @ d],
    "sign flipped": lambda x, w: lambda d: [d @ w.T, -(x.T @ d)],
}


@ch06
@pytest.mark.parametrize("mutant", WRONG)
def test_gradient_errors_flags_a_wrong_backward_pass(mutant, rng):
    x, w = rng.standard_normal((4, 3)), rng.standard_normal((3, 3))
    errors = gradient_errors(_matmul, [x, w], WRONG[mutant](x, w), rng=rng)
    assert max(errors) > 1e-2


@ch06
def test_gradient_errors_skips_none_and_checks_the_count(rng):
    x, w = rng.standard_normal((2, 3)), rng.standard_normal((3, 2))
    assert gradient_errors(_matmul, [x, w], lambda d: [None, x.T @ d], rng=rng)[0] == 0.0
    with pytest.raises(ValueError, match="backward returned 1 gradients for 2 inputs"):
        gradient_errors(_matmul, [x, w], lambda d: [d @ w.T], rng=rng)
    with pytest.raises(TypeError, match="rng must be"):
        gradient_errors(_matmul, [x, w], _matmul_backward(x, w), rng=None)


@ch06
@given(float64_arrays((3, 2), bound=3.0))
def test_a_backward_that_ignores_dout_fails_for_every_input(x):
    # The random upstream gradient is what makes this fail: with dout = 1 it would pass.
    rng = np.random.default_rng(0)
    errors = gradient_errors(_cube, [x], lambda d: [3 * x**2], rng=rng)
    if np.any(np.abs(x) > 0.1):
        assert errors[0] > 1e-2


@ch06
def test_numerical_gradient_with_dout_is_the_vector_jacobian_product(rng):
    x, dout = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    # f returns its own input: the perturbed point must still be differenced correctly.
    np.testing.assert_allclose(numerical_gradient(lambda v: v, x, dout=dout), dout, atol=1e-9)
    np.testing.assert_allclose(numerical_gradient(np.sin, x, dout=dout), np.cos(x) * dout,
                               atol=1e-9)
