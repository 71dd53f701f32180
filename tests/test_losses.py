import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions import losses, regression
from solutions.backend import to_numpy
from solutions.gradcheck import gradient_errors, numerical_gradient, relative_error
from solutions.losses import (
    BCE_EPS,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    hinge,
    hinge_grad,
    huber,
    huber_grad,
    log_cosh,
    log_cosh_grad,
    mae,
    mae_grad,
    mse,
    mse_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
    softmax_cross_entropy_forward,
    softmax_cross_entropy_grad,
)
from solutions.regression import sigmoid, softmax
from tests.strategies import float64_arrays, matrices, seeds

pytestmark = pytest.mark.ch03


# --- one registry of losses for the gradient check and the shared properties ---------
#
# Each entry draws (pred, target) of a shape away from kinks and clipping, so that
# central differences are exact to O(h^2).


def _regression_pair(rng, shape):
    target = rng.standard_normal(shape)
    # |pred - target| >= 0.5: MAE's kink at 0 stays farther than h away.
    gap = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)
    return target + gap, target


def _probability_pair(rng, shape):
    return rng.uniform(0.05, 0.95, size=shape), rng.uniform(0.0, 1.0, size=shape)


def _hinge_pair(rng, shape):
    y = rng.choice([-1.0, 1.0], size=shape)
    margin = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.2, 1.5, size=shape)
    return y * (1.0 + margin), y  # y * s = 1 + margin: never at the kink


HUBER_DELTA = 0.7


def _huber_pair(rng, shape):
    """Errors of size 0.1 to 0.6 or 0.8 to 2: never within h of the kink of the slope at delta."""
    size = np.where(rng.random(shape) < 0.5, rng.uniform(0.1, 0.6, shape),
                    rng.uniform(0.8, 2.0, shape))
    target = rng.standard_normal(shape)
    return target + rng.choice([-1.0, 1.0], size=shape) * size, target


def _logits_labels(rng, shape):
    n, c = shape if len(shape) == 2 else (shape[0], 3)
    return rng.standard_normal((n, c)), rng.integers(0, c, size=n)


LOSSES = {
    "mse": (mse, mse_grad, _regression_pair),
    "mae": (mae, mae_grad, _regression_pair),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_grad, _probability_pair),
    "hinge": (hinge, hinge_grad, _hinge_pair),
    "huber": (functools.partial(huber, delta=HUBER_DELTA),
              functools.partial(huber_grad, delta=HUBER_DELTA), _huber_pair),
    "log_cosh": (log_cosh, log_cosh_grad, _regression_pair),
    "softmax_cross_entropy": (softmax_cross_entropy, softmax_cross_entropy_grad, _logits_labels),
}
SHAPES = [(1,), (7,), (4, 3), (1, 5)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", LOSSES)
def test_loss_gradient_matches_central_differences(name, shape, rng):
    loss, grad, draw = LOSSES[name]
    pred, target = draw(rng, shape)
    (err,) = gradient_errors(lambda p: np.asarray(loss(p, target)), [pred],
                             lambda d: [d * grad(pred, target)], rng=rng)
    assert err < 1e-7


@pytest.mark.parametrize("name", LOSSES)
def test_losses_are_nonnegative_and_do_not_mutate(name, rng):
    loss, grad, draw = LOSSES[name]
    for shape in SHAPES:
        pred, target = draw(rng, shape)
        before = pred.copy(), target.copy()
        assert loss(pred, target) > 0.0
        assert grad(pred, target).shape == pred.shape
        np.testing.assert_array_equal(pred, before[0])
        np.testing.assert_array_equal(target, before[1])


@pytest.mark.parametrize("name", ["mae", "binary_cross_entropy", "hinge", "softmax_cross_entropy",
                                  "huber", "log_cosh"])
def test_gradient_keeps_float32(name, rng):
    loss, grad, draw = LOSSES[name]
    pred, target = draw(rng, (4, 3))
    pred32 = pred.astype(np.float32)
    assert grad(pred32, target).dtype == np.float32
    assert np.isfinite(loss(pred32, target))


def test_mse_is_the_regression_one_not_a_copy():
    assert losses.mse is regression.mse and losses.mse_grad is regression.mse_grad


# --- values a reader can check by hand -----------------------------------------------


def test_hand_computed_values():
    assert mae(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 0.0])) == pytest.approx(4 / 3)
    assert binary_cross_entropy(np.array([0.8, 0.4]), np.array([1, 0])) == pytest.approx(
        -(np.log(0.8) + np.log(0.6)) / 2)
    scores = np.array([3.0, 0.2, -0.5])
    assert hinge(scores, np.array([1, 1, 1])) == pytest.approx((0 + 0.8 + 1.5) / 3)
    assert hinge(np.array([-3.0]), np.array([-1])) == 0.0
    logits = np.array([[2.0, 1.0, 0.0]])
    p = np.exp(logits) / np.exp(logits).sum()
    assert softmax_cross_entropy(logits, np.array([1])) == pytest.approx(-np.log(p[0, 1]))


def test_mae_weighs_an_outlier_linearly_and_mse_quadratically():
    y = np.zeros(10)
    y_pred = np.zeros(10)
    y_pred[0] = 10.0  # one outlier
    assert mae(y_pred, y) == pytest.approx(1.0)
    assert mse(y_pred, y) == pytest.approx(10.0)
    small = np.full(10, 0.1)  # errors below 1 shrink when squared
    assert mse(small, y) < mae(small, y)


def test_huber_is_half_the_mse_inside_delta_and_delta_times_the_mae_outside(rng):
    u = rng.uniform(-3.0, 3.0, size=(4, 5))
    y = rng.standard_normal((4, 5))
    np.testing.assert_allclose(huber_grad(y + u, y, delta=10.0), mse_grad(y + u, y) / 2)
    assert huber(y + u, y, delta=10.0) == pytest.approx(mse(y + u, y) / 2, rel=1e-12)
    np.testing.assert_allclose(huber_grad(y + u, y, delta=1e-3), 1e-3 * mae_grad(y + u, y))
    np.testing.assert_array_equal(huber_grad(np.array([0.25, -2.0, 4.0]), np.zeros(3), delta=2.0),
                                  np.array([0.25, -2.0, 2.0]) / 3)


def test_huber_rejects_a_delta_that_is_not_positive():
    for delta in (0.0, -1.0):
        with pytest.raises(ValueError, match="delta"):
            huber_grad(np.ones(2), np.zeros(2), delta=delta)
        with pytest.raises(ValueError, match="delta"):
            huber(np.ones(2), np.zeros(2), delta=delta)


def test_log_cosh_is_finite_for_large_errors_and_its_gradient_tends_to_the_mae_one():
    pred, y = np.array([1000.0, -1000.0, 0.0, 1e-3]), np.zeros(4)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert log_cosh(pred, y) == pytest.approx((2000.0 - 2 * np.log(2.0) + 5e-7) / 4)
        g = log_cosh_grad(pred, y)
    np.testing.assert_allclose(g, [0.25, -0.25, 0.0, np.tanh(1e-3) / 4], rtol=1e-15)


def test_mae_gradient_is_sign_over_n():
    g = mae_grad(np.array([3.0, -1.0, 2.0, 0.0]), np.array([1.0, 1.0, 2.0, 0.0]))
    np.testing.assert_array_equal(g, [0.25, -0.25, 0.0, 0.0])


def test_hinge_gradient_is_zero_beyond_the_margin_and_minus_y_inside():
    scores = np.array([2.0, 0.5, -2.0, 0.5])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    np.testing.assert_array_equal(hinge_grad(scores, y), [0.0, -0.25, 0.0, 0.25])
    # At the kink (y s = 1 exactly) the flat side's 0 is chosen.
    assert hinge_grad(np.array([1.0]), np.array([1.0]))[0] == 0.0


def test_softmax_cross_entropy_gradient_is_p_minus_onehot_over_n(rng):
    logits = rng.standard_normal((5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    expected = (softmax(logits) - np.eye(4)[labels]) / 5
    np.testing.assert_allclose(softmax_cross_entropy_grad(logits, labels), expected, atol=1e-15)


# --- minimum at a perfect prediction ------------------------------------------------


@given(float64_arrays(st.integers(1, 8)))
def test_regression_losses_vanish_with_their_gradient_at_a_perfect_fit(y):
    assert mae(y, y) == 0.0 and mse(y, y) == 0.0
    assert not np.any(mae_grad(y, y)) and not np.any(mse_grad(y, y))


@given(float64_arrays(st.integers(1, 8), bound=1.0), float64_arrays(8, bound=0.3))
def test_binary_cross_entropy_is_smallest_at_p_equal_y(y, delta):
    y = np.abs(y)  # soft targets in [0, 1]
    p = np.clip(y + delta[: y.size], 0.0, 1.0)
    assert binary_cross_entropy(y, y) <= binary_cross_entropy(p, y) + 1e-12
    inner = (y > 0.01) & (y < 0.99)
    np.testing.assert_allclose(binary_cross_entropy_grad(y, y)[inner], 0.0, atol=1e-12)


def test_binary_cross_entropy_of_a_perfect_hard_prediction_is_almost_zero():
    assert 0.0 <= binary_cross_entropy(np.array([0.0, 1.0]), np.array([0, 1])) < 1e-11


@given(float64_arrays(st.integers(1, 8), bound=5.0), seeds())
def test_hinge_is_zero_exactly_when_every_margin_is_at_least_one(s, rng):
    y = rng.choice([-1.0, 1.0], size=s.shape)
    assert hinge(y * (1.0 + np.abs(s)), y) == 0.0
    assert hinge(s, y) >= 0.0
    if np.any(y * s < 1):
        assert hinge(s, y) > 0.0


@given(matrices(bound=50.0), seeds())
def test_softmax_cross_entropy_is_nonnegative_and_falls_with_a_larger_correct_logit(Z, rng):
    labels = rng.integers(0, Z.shape[1], size=Z.shape[0])
    loss = softmax_cross_entropy(Z, labels)
    assert loss >= 0.0
    boosted = Z.copy()
    boosted[np.arange(Z.shape[0]), labels] += 1.0
    if Z.shape[1] > 1:
        assert softmax_cross_entropy(boosted, labels) < loss or loss < 1e-12
    # The gradient rows sum to zero: raising every logit of a row changes nothing.
    np.testing.assert_allclose(softmax_cross_entropy_grad(Z, labels).sum(axis=1), 0.0,
                               atol=1e-12)


# --- numerical stability -----------------------------------------------------------------


def test_softmax_cross_entropy_is_exact_at_plus_minus_1000():
    logits = np.array([[1000.0, -1000.0], [1000.0, -1000.0]])
    assert softmax_cross_entropy(logits[:1], np.array([0])) == 0.0
    assert softmax_cross_entropy(logits[:1], np.array([1])) == pytest.approx(2000.0)
    grad = softmax_cross_entropy_grad(logits, np.array([0, 1]))
    np.testing.assert_allclose(grad, [[0.0, 0.0], [0.5, -0.5]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_cross_entropy_is_finite_at_certain_wrong_answers(dtype):
    p = np.array([0.0, 1.0], dtype=dtype)
    y = np.array([1, 0])
    eps = max(BCE_EPS, np.finfo(dtype).eps)
    assert binary_cross_entropy(p, y) == pytest.approx(-np.log(eps), rel=1e-3)
    assert np.all(np.isfinite(binary_cross_entropy_grad(p, y)))


# --- why cross-entropy learns faster through a sigmoid (SYLLABUS §3) ---------------------


@given(float64_arrays(st.integers(1, 8), bound=8.0), seeds())
def test_sigmoid_derivative_cancels_in_binary_cross_entropy(z, rng):
    y = rng.integers(0, 2, size=z.shape).astype(float)
    p = sigmoid(z)
    n = z.size
    # Chain rule through sigma'(z) = p (1 - p) leaves (p - y) / n.
    np.testing.assert_allclose(binary_cross_entropy_grad(p, y) * p * (1 - p), (p - y) / n,
                               rtol=1e-9, atol=1e-15)
    numeric = numerical_gradient(lambda v: binary_cross_entropy(sigmoid(v), y), z)
    np.testing.assert_allclose(numeric, (p - y) / n, atol=1e-7)


def test_cross_entropy_gradient_does_not_vanish_on_a_saturated_wrong_answer():
    z = np.array([-10.0])  # the sigmoid says 4.5e-5, the label says 1
    y = np.array([1.0])
    p = sigmoid(z)
    d_bce = binary_cross_entropy_grad(p, y) * p * (1 - p)
    d_mse = mse_grad(p, y) * p * (1 - p)
    assert d_bce[0] == pytest.approx(-1.0, abs=1e-4)
    assert abs(d_mse[0]) < 1e-3 * abs(d_bce[0])


# --- clear errors --------------------------------------------------------------------------


@pytest.mark.parametrize("loss", [mae, mae_grad, binary_cross_entropy, hinge_grad])
def test_shape_mismatch_is_an_error_not_a_broadcast(loss):
    with pytest.raises(ValueError, match="same shape"):
        loss(np.full((3, 1), 0.5), np.ones(3))


def test_out_of_range_inputs_are_named():
    with pytest.raises(ValueError, match="p must lie in .*apply sigmoid"):
        binary_cross_entropy(np.array([2.0, -1.0]), np.array([1, 0]))
    with pytest.raises(ValueError, match="y must lie in"):
        binary_cross_entropy_grad(np.array([0.5]), np.array([2]))
    with pytest.raises(ValueError, match="-1 or \\+1.*2 \\* y - 1"):
        hinge(np.array([0.5, 0.5]), np.array([0, 1]))
    with pytest.raises(ValueError, match="empty"):
        mae(np.ones(0), np.ones(0))


@pytest.mark.parametrize("fn", [softmax_cross_entropy, softmax_cross_entropy_grad])
def test_softmax_cross_entropy_label_errors(fn):
    logits = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\]"):
        fn(logits, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"labels must lie in"):
        fn(logits, np.array([-1, 0]))
    with pytest.raises(ValueError, match="one-hot"):
        fn(logits, np.eye(3)[[0, 2]].astype(int))
    with pytest.raises(ValueError, match="integer class indices"):
        fn(logits, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="same number of samples"):
        fn(logits, np.array([0, 1, 2]))


# --- oracles and backends -------------------------------------------------------------------


@pytest.mark.torch
def test_losses_and_gradients_match_pytorch(rng):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional

    def oracle(torch_loss, pred, target):
        t = torch.tensor(pred, requires_grad=True)
        value = torch_loss(t, torch.tensor(target))
        value.backward()
        return value.item(), t.grad.numpy()

    cases = [
        (mae, mae_grad, F.l1_loss, _regression_pair(rng, (6, 2))),
        (binary_cross_entropy, binary_cross_entropy_grad, F.binary_cross_entropy,
         _probability_pair(rng, (6, 2))),
        (softmax_cross_entropy, softmax_cross_entropy_grad, F.cross_entropy,
         _logits_labels(rng, (6, 4))),
        (hinge, hinge_grad, lambda s, y: torch.clamp(1 - y * s, min=0).mean(),
         _hinge_pair(rng, (6,))),
    ]
    for loss, grad, torch_loss, (pred, target) in cases:
        value, dpred = oracle(torch_loss, pred, target)
        assert loss(pred, target) == pytest.approx(value, rel=1e-12)
        np.testing.assert_allclose(grad(pred, target), dpred, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("name", LOSSES)
def test_runs_and_gradient_checks_on_every_backend(name, xp, rng):
    loss, grad, draw = LOSSES[name]
    pred, target = draw(rng, (4, 3))
    pred_b, target_b = xp.asarray(pred), xp.asarray(target)
    value = loss(pred_b, target_b)
    assert type(value) is float and value == pytest.approx(loss(pred, target), rel=1e-12)
    g = grad(pred_b, target_b)
    assert type(g) is type(pred_b) and g.dtype == pred_b.dtype
    np.testing.assert_allclose(to_numpy(g), grad(pred, target), rtol=1e-12)
    numeric = numerical_gradient(lambda p: loss(p, target_b), pred_b)
    assert relative_error(g, numeric) < 1e-7


def test_softmax_cross_entropy_pair_scales_with_dloss_and_keeps_its_cache(rng):
    logits = rng.standard_normal((5, 4))
    labels = rng.integers(0, 4, 5)
    loss, cache = softmax_cross_entropy_forward(logits, labels)
    assert loss == softmax_cross_entropy(logits, labels)
    np.testing.assert_allclose(cache.probs, softmax(logits), atol=1e-15)
    probs_before = cache.probs.copy()
    grad = softmax_cross_entropy_backward(1.0, cache)
    np.testing.assert_allclose(softmax_cross_entropy_backward(0.3, cache), 0.3 * grad, atol=1e-15)
    np.testing.assert_array_equal(cache.probs, probs_before)  # the cache is not modified


def test_softmax_cross_entropy_pair_keeps_float32(rng):
    logits = rng.standard_normal((3, 4)).astype(np.float32)
    loss, cache = softmax_cross_entropy_forward(logits, np.array([0, 3, 1]))
    assert softmax_cross_entropy_backward(0.01, cache).dtype == np.float32
