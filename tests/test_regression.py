import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions.backend import to_numpy
from solutions.gradcheck import gradient_errors
from solutions.regression import (
    fit_curve,
    fit_least_squares,
    mse,
    mse_grad,
    predict_linear,
    predict_logistic,
    r_squared,
    ridge_grad,
    sigmoid,
    softmax,
)
from tests.strategies import float64_arrays, matrices

pytestmark = pytest.mark.ch01


def test_predict_linear_matches_hand_computation():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.array_equal(predict_linear(X, np.array([0.5, -1.0]), 2.0), [0.5, -0.5])
    W = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
    assert np.array_equal(predict_linear(X, W, np.array([0.0, 1.0, -1.0])),
                          [[1.0, 3.0, 3.0], [3.0, 5.0, 9.0]])


def test_predict_linear_rejects_transposed_weights():
    with pytest.raises(ValueError, match="w must have one row per feature"):
        predict_linear(np.ones((5, 3)), np.ones((2, 3)), np.zeros(2))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_rejected_with_the_argument_name(bad):
    X = np.ones((3, 2))
    X[1, 0] = bad
    with pytest.raises(ValueError, match="X contains NaN or infinite"):
        predict_linear(X, np.ones(2), 0.0)
    with pytest.raises(ValueError, match="y contains NaN"):
        mse(np.ones(2), np.array([1.0, bad]))
    with pytest.raises(ValueError, match="z contains NaN"):
        sigmoid(np.array([bad]))


def test_mse_values_and_shape_errors():
    assert mse(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0])) == pytest.approx(4 / 3)
    with pytest.raises(ValueError, match="same shape"):
        mse(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="y_pred must be a 1-D or 2-D"):
        mse(np.ones((2, 2, 2)), np.ones((2, 2, 2)))


@given(float64_arrays(st.integers(1, 8)), st.data())
def test_mse_is_nonnegative_and_zero_only_at_a_perfect_fit(y, data):
    assert mse(y, y) == 0.0
    y_pred = data.draw(float64_arrays(y.shape))
    assert mse(y_pred, y) >= 0.0
    if np.max(np.abs(y_pred - y)) > 1e-100:  # smaller gaps underflow when squared
        assert mse(y_pred, y) > 0.0


@given(matrices())
def test_mse_grad_matches_central_differences(y):
    rng = np.random.default_rng(0)
    y_pred = y + rng.standard_normal(y.shape)
    (err,) = gradient_errors(lambda p: np.array(mse(p, y)), [y_pred],
                             lambda d: [d * mse_grad(y_pred, y)], rng=rng)
    assert err < 1e-7


def test_least_squares_recovers_an_exact_line():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    w, b = fit_least_squares(X, 3.0 * X[:, 0] - 2.0)
    assert w == pytest.approx([3.0]) and b == pytest.approx(-2.0)


@given(st.integers(3, 30), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_least_squares_agrees_with_numpy_lstsq(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n + d, d))
    y = rng.standard_normal(n + d)
    w, b = fit_least_squares(X, y)
    A = np.column_stack([X, np.ones(n + d)])
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(np.append(w, b), coef, atol=1e-10)
    # The residual is orthogonal to every column: the normal equations hold.
    residual = predict_linear(X, w, b) - y
    np.testing.assert_allclose(A.T @ residual, 0.0, atol=1e-9)


def test_least_squares_with_several_outputs_fits_each_column():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20, 3))
    Y = X @ np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]) + np.array([0.5, -0.5])
    W, b = fit_least_squares(X, Y)
    np.testing.assert_allclose(W, [[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]], atol=1e-10)
    np.testing.assert_allclose(b, [0.5, -0.5], atol=1e-10)


def test_least_squares_rejects_mismatched_samples():
    with pytest.raises(ValueError, match="same number of samples"):
        fit_least_squares(np.ones((4, 2)), np.ones(3))


@given(float64_arrays(st.integers(1, 8), bound=1000.0))
def test_sigmoid_is_symmetric_bounded_and_finite(z):
    s = sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(sigmoid(-z), 1 - s, atol=1e-15)


def test_sigmoid_saturates_without_overflow_warning():
    np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])


@given(matrices(bound=1000.0), float64_arrays(6, bound=1000.0))
def test_softmax_rows_sum_to_one_and_ignore_row_constants(Z, shift):
    P = softmax(Z)
    assert np.all(np.isfinite(P)) and np.all(P >= 0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(softmax(Z + shift[: Z.shape[0], None]), P, atol=1e-12)


def test_softmax_is_stable_at_1000():
    np.testing.assert_allclose(softmax(np.array([[1000.0, 0.0, -1000.0]])), [[1.0, 0.0, 0.0]])


@pytest.mark.parametrize("fn,args", [
    (predict_linear, (np.ones((2, 3)), np.ones(3), 0.0)),
    (sigmoid, (np.ones(3),)),
    (softmax, (np.ones((2, 3)),)),
    (mse_grad, (np.ones(3), np.zeros(3))),
    (predict_logistic, (np.ones((2, 3)), np.ones((3, 4)), np.zeros(4))),
])
def test_float32_in_float32_out(fn, args):
    args32 = tuple(a.astype(np.float32) if isinstance(a, np.ndarray) else a for a in args)
    assert fn(*args32).dtype == np.float32


def test_predict_logistic_binary_and_multiclass():
    X = np.array([[0.0, 1.0], [2.0, -1.0]])
    p = predict_logistic(X, np.array([1.0, 1.0]), -1.0)
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-np.array([0.0, 0.0]))))
    W = np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 0.0]])
    P = predict_logistic(X, W, np.zeros(3))
    np.testing.assert_allclose(P, softmax(X @ W))
    np.testing.assert_allclose(P.sum(axis=1), 1.0)


def test_inputs_are_not_mutated():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    Z = X.copy()
    softmax(Z)
    fit_least_squares(Z, np.array([1.0, 2.0]))
    np.testing.assert_array_equal(Z, X)


def test_integer_targets_keep_the_prediction_dtype():
    y_pred = np.array([0.5, 1.5], dtype=np.float32)
    assert mse_grad(y_pred, np.array([0, 1])).dtype == np.float32


def _ridge_loss(X, y, w, b, lam):
    return np.mean((X @ w + b - y) ** 2) + lam * np.sum(w**2)


@pytest.mark.parametrize("lam", [0.0, 0.3, 5.0])
def test_ridge_grad_matches_central_differences(lam, rng):
    X, y = rng.normal(size=(9, 4)), rng.normal(size=9)
    w, b = rng.normal(size=4), np.array(rng.normal())
    dw, db = ridge_grad(X, y, w, float(b), lam)
    assert dw.shape == (4,) and isinstance(db, float)
    errors = gradient_errors(lambda w_, b_: np.asarray(_ridge_loss(X, y, w_, b_, lam)), [w, b],
                             lambda d: [d * dw, d * np.asarray(db)], rng=rng)
    assert max(errors) < 1e-7


def test_ridge_grad_penalizes_the_weights_not_the_bias(rng):
    X, y, w = rng.normal(size=(6, 2)), rng.normal(size=6), rng.normal(size=2)
    (dw0, db0), (dw1, db1) = ridge_grad(X, y, w, 0.5, 0.0), ridge_grad(X, y, w, 0.5, 2.0)
    np.testing.assert_allclose(dw1 - dw0, 4.0 * w)
    assert db1 == db0
    np.testing.assert_allclose(dw0, mse_grad(X @ w + 0.5, y) @ X)


def test_ridge_grad_checks_its_arguments():
    X, y, w = np.ones((3, 2)), np.ones(3), np.ones(2)
    with pytest.raises(ValueError, match="lam"):
        ridge_grad(X, y, w, 0.0, -1.0)
    with pytest.raises(ValueError, match="w must"):
        ridge_grad(X, y, np.ones(3), 0.0, 1.0)
    with pytest.raises(ValueError, match="X"):
        ridge_grad(X, np.ones(4), w, 0.0, 1.0)


def test_ridge_grad_keeps_float32_and_runs_on_every_backend(xp, rng):
    X, y, w = rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=3)
    dw, db = ridge_grad(xp.asarray(X), xp.asarray(y), xp.asarray(w), 0.25, 0.75)
    np.testing.assert_allclose(to_numpy(dw), ridge_grad(X, y, w, 0.25, 0.75)[0], rtol=1e-12)
    dw32, _ = ridge_grad(*(xp.asarray(a.astype(np.float32)) for a in (X, y, w)), 0.25, 0.75)
    assert to_numpy(dw32).dtype == np.float32


def _wavy(rng, n, low, high):
    x = rng.uniform(low, high, size=n)
    return x, 3.0 * np.sin(x) + 0.5 * x + rng.normal(scale=0.5, size=n)


def test_fit_curve_reaches_the_r_squared_a_straight_line_cannot(rng):
    (x, y), (x_test, y_test) = _wavy(rng, 80, 0.0, 10.0), _wavy(rng, 200, 0.25, 9.75)
    assert r_squared(fit_curve(x, y, x_test), y_test) > 0.9
    assert r_squared(predict_linear(x_test[:, None], *fit_least_squares(x[:, None], y)),
                     y_test) < 0.5


def test_fit_curve_reproduces_a_polynomial_of_its_degree_far_from_zero():
    x = np.linspace(290.0, 310.0, 30)                 # kelvin: raw powers would be parallel
    y = 1e-3 * (x - 300.0) ** 3 - (x - 300.0)
    np.testing.assert_allclose(fit_curve(x, y, np.array([295.5, 304.0])),
                               [1e-3 * -4.5**3 + 4.5, 1e-3 * 64.0 - 4.0], atol=1e-6)
    with pytest.raises(ValueError, match="constant"):
        fit_curve(np.ones(4), np.arange(4.0), np.ones(2))
