import functools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions import gradcheck, optim
from solutions.backend import to_numpy
from solutions.losses import mse, mse_grad
from solutions.optim import (
    SGD,
    AdaGrad,
    Adam,
    AdamState,
    Momentum,
    RMSProp,
    adagrad_step,
    adam_step,
    cosine_decay,
    exponential_decay,
    gd_step,
    gradient_descent,
    inverse_time_decay,
    linear_regression_gd,
    max_stable_lr,
    momentum_step,
    rmsprop_step,
    step_decay,
)
from solutions.regression import fit_least_squares
from tests.strategies import float64_arrays

pytestmark = pytest.mark.ch04


def test_numerical_gradient_is_the_gradcheck_one_not_a_copy():
    assert optim.numerical_gradient is gradcheck.numerical_gradient


# --- one step and the loop --------------------------------------------------------------


def test_gd_step_moves_against_the_gradient_and_keeps_its_inputs():
    x = np.array([1.0, -2.0, 0.5])
    g = np.array([4.0, -1.0, 0.0])
    x_new = gd_step(x, g, 0.5)
    np.testing.assert_array_equal(x_new, [-1.0, -1.5, 0.5])
    np.testing.assert_array_equal(x, [1.0, -2.0, 0.5])
    assert gd_step(x.astype(np.float32), g.astype(np.float32), 0.1).dtype == np.float32


def test_gd_step_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"grad must have the shape of x, \(3,\)"):
        gd_step(np.zeros(3), np.zeros((3, 1)), 0.1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        gd_step(np.zeros(3), np.zeros(3), -0.1)


@pytest.mark.parametrize("curvature", [0.5, 4.0, 10.0])
def test_gd_on_a_parabola_converges_below_2_over_L_and_diverges_above(curvature):
    # f(x) = L/2 x^2: each step multiplies x by (1 - lr L).
    x0 = np.array([1.0])
    grad = functools.partial(np.multiply, curvature)
    for factor, converges in [(0.5, True), (0.95, True), (1.05, False), (1.5, False)]:
        lr = factor * 2.0 / curvature
        x, history = gradient_descent(grad, x0, lr, 100)
        assert history.shape == (101, 1)
        np.testing.assert_allclose(history[:, 0], (1 - lr * curvature) ** np.arange(101),
                                   rtol=1e-9, atol=1e-300)
        assert bool(abs(x[0]) < 1e-2) == converges
        assert bool(abs(x[0]) > 1.0) == (not converges)
    np.testing.assert_array_equal(x0, [1.0])


def test_the_steepest_direction_limits_the_learning_rate():
    # A badly scaled bowl f = (x1^2 + 10 x2^2) / 2: L = 10 sets the bound 0.2.
    scale = np.array([1.0, 10.0])

    def grad(x):
        return scale * x

    x_ok, _ = gradient_descent(grad, np.ones(2), 0.19, 300)
    x_bad, _ = gradient_descent(grad, np.ones(2), 0.21, 300)
    assert np.max(np.abs(x_ok)) < 1e-6
    assert abs(x_bad[1]) > 1e3 and abs(x_bad[0]) < 1e-6  # only the steep axis blows up


def test_gradient_descent_returns_the_loss_history():
    def loss(x):
        return float(np.sum(x**2))

    x, history, losses = gradient_descent(lambda x: 2 * x, np.array([3.0, -1.0]), 0.1, 20,
                                          loss_fn=loss)
    assert history.shape == (21, 2) and losses.shape == (21,)
    np.testing.assert_array_equal(history[0], [3.0, -1.0])
    np.testing.assert_array_equal(history[-1], x)
    np.testing.assert_allclose(losses, [loss(h) for h in history])
    np.testing.assert_allclose(losses, 10.0 * 0.64 ** np.arange(21))  # (1 - 2 * 0.1)^2 per step


def test_gradient_descent_follows_a_schedule():
    lr = functools.partial(inverse_time_decay, 0.5, k=1.0)  # 0.5, 0.25, 0.1667, ...
    x, history = gradient_descent(lambda x: x, np.array([1.0]), lr, 4)
    expected = np.cumprod([1.0] + [1 - lr(t) for t in range(4)])
    np.testing.assert_allclose(history[:, 0], expected)


def test_gradient_descent_with_zero_steps_returns_the_start_and_keeps_float32():
    x, history = gradient_descent(lambda x: x, np.ones(3, dtype=np.float32), 0.1, 0)
    assert history.shape == (1, 3)
    x, history = gradient_descent(lambda x: x, np.ones(3, dtype=np.float32), 0.1, 3)
    assert x.dtype == np.float32 and history.dtype == np.float32


def test_first_order_taylor_predicts_the_decrease(rng):
    # f(x - lr g) - f(x) = -lr |g|^2 + O(lr^2): the relative gap shrinks like lr.
    def f(x):
        return float(np.sum(np.log1p(np.exp(x)) + 0.1 * x**4))

    def grad(x):
        return 1 / (1 + np.exp(-x)) + 0.4 * x**3

    x = rng.standard_normal(5)
    g = grad(x)
    gaps = []
    for lr in (1e-2, 1e-3, 1e-4):
        predicted = -lr * np.sum(g**2)
        actual = f(gd_step(x, g, lr)) - f(x)
        assert actual < 0
        gaps.append(abs(actual - predicted) / abs(predicted))
    np.testing.assert_allclose([gaps[0] / gaps[1], gaps[1] / gaps[2]], 10.0, rtol=0.1)


def test_gd_on_linear_regression_matches_least_squares(rng):
    X = rng.standard_normal((60, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.7 + 0.1 * rng.standard_normal(60)
    A = np.column_stack([X, np.ones(60)])

    def grad(theta):  # chain rule: d mse(A theta, y) / d theta = A^T mse_grad
        return A.T @ mse_grad(A @ theta, y)

    curvature = np.linalg.eigvalsh(2 * A.T @ A / 60).max()
    theta, _, losses = gradient_descent(grad, np.zeros(4), 1.0 / curvature, 500,
                                        loss_fn=lambda t: mse(A @ t, y))
    w, b = fit_least_squares(X, y)
    np.testing.assert_allclose(theta, np.append(w, b), atol=1e-8)
    assert np.all(np.diff(losses) <= 1e-15)


# --- gradient descent on a linear model's mean squared error -----------------------------


def test_max_stable_lr_by_hand():
    # Symmetric inputs -1, 1: the Hessian (2/N) [X, 1]^T [X, 1] is 2 I, so 2 / L = 1.
    assert max_stable_lr(np.array([[-1.0], [1.0]])) == pytest.approx(1.0)
    # One input: the Hessian is [[p, r], [r, q]] = 2 [[mean x^2, mean x], [mean x, 1]], whose
    # largest eigenvalue is (p + q) / 2 + sqrt(((p - q) / 2)^2 + r^2). Without the intercept's
    # column it would be p alone, and the bound larger.
    x = np.array([18.0, 21.0, 24.0, 27.0, 30.0])
    p, q, r = 2.0 * np.mean(x**2), 2.0, 2.0 * np.mean(x)
    L = (p + q) / 2 + np.sqrt(((p - q) / 2) ** 2 + r**2)
    assert max_stable_lr(x[:, None]) == pytest.approx(2.0 / L, rel=1e-12)
    assert max_stable_lr(x[:, None]) < 2.0 / p
    # Standardized inputs with uncorrelated columns: the Hessian is 2 I again.
    Z = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
    assert max_stable_lr(Z) == pytest.approx(1.0)


def _regression_data(rng, n=50, d=3, shift=0.0):
    X = rng.standard_normal((n, d)) + shift
    return X, X @ rng.standard_normal(d) + 0.7 + 0.1 * rng.standard_normal(n)


@pytest.mark.parametrize("shift", [0.0, 2.0])  # condition numbers about 3 and 200
def test_gd_converges_just_below_max_stable_lr_and_diverges_just_above(shift, rng):
    X, y = _regression_data(rng, shift=shift)
    bound = max_stable_lr(X)
    w_ls, b_ls = fit_least_squares(X, y)
    w, b, losses = linear_regression_gd(X, y, 0.99 * bound, 3000)
    np.testing.assert_allclose(np.append(w, b), np.append(w_ls, b_ls), atol=1e-6)
    w, b, losses = linear_regression_gd(X, y, 1.01 * bound, 3000)
    assert losses[-1] > 1e6 * losses[0]                   # |1 - 1.01 * 2| = 1.02 per step
    assert np.all(np.diff(losses[-100:]) > 0)


def test_linear_regression_gd_one_step_by_hand():
    # (x, y) = (0, 1), (1, 3) from w = b = 0: residuals -1, -3, so dC/dw = (2/2)(-3) = -3 and
    # dC/db = (2/2)(-1 - 3) = -4; one step with lr = 0.1 gives w = 0.3, b = 0.4.
    w, b, losses = linear_regression_gd(np.array([[0.0], [1.0]]), np.array([1.0, 3.0]), 0.1, 1)
    np.testing.assert_allclose(w, [0.3])
    assert b == pytest.approx(0.4) and isinstance(b, float)
    # mean(1, 9) = 5 at the start; residuals -0.6 and -2.3 after the step.
    np.testing.assert_allclose(losses, [5.0, (0.36 + 5.29) / 2])


def test_linear_regression_gd_steps_along_the_exact_gradient(rng):
    X, y = _regression_data(rng, n=20, d=4)

    def cost(theta):
        return float(np.mean((X @ theta[:-1] + theta[-1] - y) ** 2))

    w, b, losses = linear_regression_gd(X, y, 0.05, 1)
    step = -0.05 * gradcheck.numerical_gradient(cost, np.zeros(5))
    np.testing.assert_allclose(np.append(w, b), step, rtol=1e-7)
    assert losses[0] == pytest.approx(np.mean(y**2)) and losses[1] == pytest.approx(cost(step))


def test_linear_regression_gd_records_every_iterate_and_keeps_its_inputs(rng):
    X, y = _regression_data(rng, n=30, d=2)
    X_before, y_before = X.copy(), y.copy()
    w, b, losses = linear_regression_gd(X, y, 0.1, 25)
    assert w.shape == (2,) and losses.shape == (26,)
    assert np.all(np.diff(losses) < 0)                      # below 2 / L the loss falls
    assert losses[-1] == pytest.approx(np.mean((X @ w + b - y) ** 2), rel=1e-12)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    w, b, losses = linear_regression_gd(X, y, 0.1, 0)
    np.testing.assert_array_equal(w, [0.0, 0.0])
    assert b == 0.0 and losses.tolist() == [pytest.approx(np.mean(y**2))]
    w, _, _ = linear_regression_gd(X.astype(np.float32), y.astype(np.float32), 0.1, 3)
    assert w.dtype == np.float32


def test_linear_regression_gd_names_a_divergence(rng):
    X, y = _regression_data(rng, n=10, d=2)
    with np.errstate(over="ignore", invalid="ignore"), \
            pytest.raises(ValueError, match="diverged: lr = 1000 is far above .* = 0.\\d+"):
        linear_regression_gd(X, y, 1000, 500)


@pytest.mark.parametrize(("args", "error", "message"), [
    ((np.ones(3), np.ones(3), 0.1, 1), ValueError, r"X must be a 2-D array of shape \(N, D\)"),
    ((np.ones((3, 1)), np.ones(4), 0.1, 1), ValueError, "X and y must have the same number"),
    ((np.ones((3, 1)), np.ones((3, 1)), 0.1, 1), ValueError, r"y must be a 1-D array"),
    ((np.ones((3, 1)), np.ones(3), 0.0, 1), ValueError, "lr must be > 0"),
    ((np.ones((3, 1)), np.ones(3), 0.1, -1), ValueError, "steps must be >= 0"),
    ((np.ones((3, 1)), np.ones(3), 0.1, 1.5), TypeError, "steps must be an integer"),
    ((np.zeros((0, 1)), np.zeros(0), 0.1, 1), ValueError, "X has no rows"),
    ((np.array([[np.nan]]), np.ones(1), 0.1, 1), ValueError, "X contains NaN"),
])
def test_linear_regression_gd_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        linear_regression_gd(*args)


def test_max_stable_lr_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"X must be a 2-D array of shape \(N, D\)"):
        max_stable_lr(np.ones(3))
    with pytest.raises(ValueError, match="X has no rows"):
        max_stable_lr(np.zeros((0, 2)))


def test_linear_model_gd_stays_in_the_array_library_of_the_data(other_xp, rng):
    X, y = _regression_data(rng, n=12, d=2)
    assert max_stable_lr(other_xp.asarray(X)) == pytest.approx(max_stable_lr(X), rel=1e-12)
    w, b, losses = linear_regression_gd(other_xp.asarray(X), other_xp.asarray(y), 0.1, 5)
    w_np, b_np, losses_np = linear_regression_gd(X, y, 0.1, 5)
    assert type(w) is type(other_xp.asarray(X)) and type(losses) is type(w)
    np.testing.assert_allclose(to_numpy(w), w_np, rtol=1e-12)
    np.testing.assert_allclose(to_numpy(losses), losses_np, rtol=1e-12)
    assert b == pytest.approx(b_np, rel=1e-12)


# --- learning-rate schedules ------------------------------------------------------------


def test_schedule_values_at_known_epochs():
    assert [step_decay(0.1, t, drop=0.5, every=10) for t in (0, 9, 10, 19, 20, 35)] == [
        0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]
    assert exponential_decay(0.2, 0, k=0.3) == 0.2
    assert exponential_decay(0.2, 7, k=math.log(2) / 7) == pytest.approx(0.1)
    assert inverse_time_decay(0.3, 0, k=0.5) == 0.3
    assert inverse_time_decay(0.3, 4, k=0.5) == pytest.approx(0.1)
    assert cosine_decay(0.1, 0, 20) == 0.1
    assert cosine_decay(0.1, 10, 20) == pytest.approx(0.05)
    assert cosine_decay(0.1, 20, 20, lr_min=0.01) == pytest.approx(0.01)
    assert cosine_decay(0.1, 50, 20, lr_min=0.01) == pytest.approx(0.01)
    assert cosine_decay(0.1, 5, 20, lr_min=0.02) == pytest.approx(
        0.02 + 0.04 * (1 + math.cos(math.pi / 4)))


SCHEDULES = [
    functools.partial(step_decay, drop=0.3, every=3),
    functools.partial(exponential_decay, k=0.05),
    functools.partial(inverse_time_decay, k=0.2),
    functools.partial(cosine_decay, total_epochs=40, lr_min=1e-4),
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: s.func.__name__)
@given(st.floats(1e-4, 10.0), st.integers(0, 100))
def test_schedules_start_at_lr0_and_never_increase(schedule, lr0, epoch):
    assert schedule(lr0, 0) == pytest.approx(lr0)
    assert 0 < schedule(lr0, epoch + 1) <= schedule(lr0, epoch) <= lr0


def test_schedules_reject_bad_arguments():
    with pytest.raises(ValueError, match="epoch must be >= 0"):
        step_decay(0.1, -1)
    with pytest.raises(TypeError, match="epoch must be an integer"):
        exponential_decay(0.1, 1.5)
    with pytest.raises(ValueError, match="lr0 must be > 0"):
        inverse_time_decay(0.0, 3)
    with pytest.raises(ValueError, match="lr_min must be <= lr0"):
        cosine_decay(0.1, 3, 10, lr_min=0.2)


# --- optimizers ---------------------------------------------------------------------------


def _bowl_grad(x):
    """Gradient of the badly scaled bowl (x1^2 + 100 x2^2) / 2; minimum at 0."""
    return np.array([1.0, 100.0]) * x


def _rosenbrock_grad(x):
    """Gradient of (1 - x1)^2 + 10 (x2 - x1^2)^2; minimum at (1, 1)."""
    a, b = x
    return np.array([-2 * (1 - a) - 40 * a * (b - a * a), 20 * (b - a * a)])


OPTIMIZERS = {
    "SGD": functools.partial(SGD, lr=0.019),
    "Momentum": functools.partial(Momentum, lr=0.01, beta=0.8),
    "AdaGrad": functools.partial(AdaGrad, lr=0.5),
    "RMSProp": functools.partial(RMSProp, lr=0.01, rho=0.9),
    "Adam": functools.partial(Adam, lr=0.05),
}
PROBLEMS = {
    "bowl": (_bowl_grad, np.array([1.0, 1.0]), np.zeros(2)),
    "rosenbrock": (_rosenbrock_grad, np.array([-1.0, 1.5]), np.ones(2)),
}


def _run(optimizer, grad, x0, steps, dtype=np.float64):
    params = {"x": x0.astype(dtype)}
    for _ in range(steps):
        optimizer.update(params, {"x": grad(params["x"]).astype(dtype)})
    return params["x"]


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_reaches_the_minimum(name, problem):
    grad, x0, minimum = PROBLEMS[problem]
    x = _run(OPTIMIZERS[name](), grad, x0, 3000)
    np.testing.assert_allclose(x, minimum, atol=2e-2)


def test_adam_first_step_is_lr_per_coordinate_whatever_the_gradient_scale():
    g = np.array([1e4, 1.0, -1e-4, -3.0])
    p, state = adam_step(np.zeros(4), g, lr=0.01)
    np.testing.assert_allclose(p, -0.01 * np.sign(g), rtol=1e-3)
    assert state.t == 1
    np.testing.assert_allclose(state.m, 0.1 * g)
    np.testing.assert_allclose(state.v, 0.001 * g**2)


def test_momentum_with_zero_beta_is_sgd(rng):
    grads = [rng.standard_normal((3, 2)) for _ in range(5)]
    a = {"w": rng.standard_normal((3, 2))}
    b = {"w": a["w"].copy()}
    sgd, momentum = SGD(lr=0.1), Momentum(lr=0.1, beta=0.0)
    for g in grads:
        sgd.update(a, {"w": g})
        momentum.update(b, {"w": g})
    np.testing.assert_allclose(a["w"], b["w"], rtol=1e-15)


def test_momentum_accumulates_a_constant_gradient():
    p, state = None, None
    p = np.zeros(1)
    for _ in range(3):
        p, state = momentum_step(p, np.ones(1), state, lr=1.0, beta=0.5)
    np.testing.assert_allclose(state.velocity, [1.75])  # 1 + 0.5 + 0.25
    np.testing.assert_allclose(p, [-(1.0 + 1.5 + 1.75)])


def test_adagrad_step_size_shrinks_like_one_over_sqrt_t():
    p, state, steps = np.zeros(1), None, []
    for _ in range(4):
        new, state = adagrad_step(p, np.array([2.0]), state, lr=1.0, eps=1e-12)
        steps.append(float(p[0] - new[0]))
        p = new
    np.testing.assert_allclose(steps, 1 / np.sqrt([1, 2, 3, 4]))


def test_rmsprop_normalizes_a_constant_gradient_to_lr():
    p, state = np.zeros(2), None
    for _ in range(200):
        new, state = rmsprop_step(p, np.array([50.0, -0.02]), state, lr=0.01, rho=0.9)
        step, p = new - p, new
    np.testing.assert_allclose(step, [-0.01, 0.01], rtol=1e-6)


PURE = {"Momentum": momentum_step, "AdaGrad": adagrad_step, "RMSProp": rmsprop_step,
        "Adam": adam_step}


@pytest.mark.parametrize("name", PURE)
def test_pure_step_matches_the_class_and_mutates_nothing(name, rng):
    optimizer = OPTIMIZERS[name]()
    params = {"w": rng.standard_normal((4, 3))}
    p, state = params["w"].copy(), None
    for _ in range(4):
        g = rng.standard_normal((4, 3))
        g_copy, p_copy = g.copy(), p.copy()
        old = None if state is None else [np.copy(s) for s in state]
        new_p, new_state = PURE[name](p, g, state, **optimizer.hyper)
        np.testing.assert_array_equal(p, p_copy)
        np.testing.assert_array_equal(g, g_copy)
        if old is not None:
            for before, after in zip(old, state, strict=True):
                np.testing.assert_array_equal(before, after)
        optimizer.update(params, {"w": g})
        np.testing.assert_allclose(params["w"], new_p, rtol=1e-14)
        p, state = new_p, new_state
    assert type(state) is type(optimizer.state["w"])


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("grad_dtype", [np.float32, np.float64])
def test_update_replaces_the_entries_keeps_float32_and_mutates_no_array(name, grad_dtype, rng):
    w = rng.standard_normal((5, 2)).astype(np.float32)
    b = np.zeros(2, dtype=np.float32)
    params = {"w": w, "b": b}
    grads = {"w": rng.standard_normal((5, 2)).astype(grad_dtype),
             "b": np.ones(2, dtype=grad_dtype)}
    saved = {k: v.copy() for k, v in grads.items()}
    before = w.copy()
    OPTIMIZERS[name]().update(params, grads)
    assert params["w"] is not w and params["b"] is not b
    np.testing.assert_array_equal(w, before)  # the old arrays are left alone
    assert not b.any()
    assert params["w"].dtype == np.float32 and params["b"].dtype == np.float32
    assert np.all(params["w"] != before) and np.all(params["b"] < 0)
    for k in grads:
        np.testing.assert_array_equal(grads[k], saved[k])


def test_parameters_are_validated_once_when_their_state_is_created(monkeypatch, rng):
    calls = []
    original = optim.as_float_array
    monkeypatch.setattr(optim, "as_float_array", lambda *a, **k: calls.append(a[1]) or
                        original(*a, **k))
    params = {"w": rng.standard_normal((3, 2)), "b": np.zeros(2)}
    optimizer = Adam()
    optimizer.update(params, {"w": np.ones((3, 2)), "b": np.ones(2)})
    first = len(calls)
    assert first > 0
    for _ in range(3):
        optimizer.update(params, {"w": np.ones((3, 2)), "b": np.ones(2)})
    assert len(calls) == first
    params["w"] = params["w"].copy()  # replaced by the caller: checked again, state kept
    optimizer.update(params, {"w": np.ones((3, 2)), "b": np.ones(2)})
    assert len(calls) > first and optimizer.state["w"].t == 5


def test_a_parameter_moved_to_another_library_is_an_error(rng):
    torch = pytest.importorskip("torch")
    params = {"w": rng.standard_normal((3, 2))}
    optimizer = Momentum()
    optimizer.update(params, {"w": np.ones((3, 2))})
    params["w"] = torch.asarray(params["w"])
    with pytest.raises(TypeError, match=r"params\['w'\] moved from array_api_compat.numpy.*"
                                        "build a new optimizer"):
        optimizer.update(params, {"w": torch.ones((3, 2), dtype=torch.float64)})


@pytest.mark.torch
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizers_match_pytorch(name, rng):
    torch = pytest.importorskip("torch")
    optimizer = OPTIMIZERS[name]()
    h = optimizer.hyper
    make = {
        "SGD": lambda p: torch.optim.SGD(p, lr=h["lr"]),
        "Momentum": lambda p: torch.optim.SGD(p, lr=h["lr"], momentum=h["beta"]),
        "AdaGrad": lambda p: torch.optim.Adagrad(p, lr=h["lr"], eps=h["eps"]),
        "RMSProp": lambda p: torch.optim.RMSprop(p, lr=h["lr"], alpha=h["rho"], eps=h["eps"]),
        "Adam": lambda p: torch.optim.Adam(p, lr=h["lr"], betas=(h["beta1"], h["beta2"]),
                                           eps=h["eps"]),
    }[name]
    params = {"w": rng.standard_normal((3, 4))}
    tw = torch.tensor(params["w"].copy(), requires_grad=True)
    reference = make([tw])
    for _ in range(6):
        g = rng.standard_normal((3, 4))
        optimizer.update(params, {"w": g})
        tw.grad = torch.tensor(g)
        reference.step()
    np.testing.assert_allclose(params["w"], tw.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_optimizer_errors_name_the_parameter():
    opt = Adam()
    with pytest.raises(ValueError, match="same names"):
        opt.update({"w": np.zeros(2)}, {"v": np.zeros(2)})
    with pytest.raises(ValueError, match=r"grads\['w'\] must have the shape of params\['w'\]"):
        opt.update({"w": np.zeros(2)}, {"w": np.zeros((2, 1))})
    with pytest.raises(TypeError, match=r"params\['w'\] must be a float32 or float64 array"):
        opt.update({"w": [0.0, 1.0]}, {"w": np.zeros(2)})
    with pytest.raises(TypeError, match=r"params\['w'\] must be a float32"):
        opt.update({"w": np.zeros(2, dtype=int)}, {"w": np.zeros(2)})
    with pytest.raises(TypeError, match="dicts"):
        opt.update([np.zeros(2)], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"grads\['w'\] must have the shape"):
        params = {"w": np.zeros(2)}
        opt.update(params, {"w": np.zeros(2)})
        opt.update(params, {"w": np.zeros(3)})  # later steps still check the shape
    with pytest.raises(ValueError, match=r"beta1 must be in \[0, 1\)"):
        Adam(beta1=1.0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(lr=0.0)
    with pytest.raises(TypeError, match="state must be a AdamState"):
        adam_step(np.zeros(2), np.zeros(2), state=(np.zeros(2),))
    assert repr(Momentum(lr=0.1)) == "Momentum(lr=0.1, beta=0.9)"


@given(float64_arrays(st.integers(1, 6), bound=100.0))
def test_every_first_step_moves_each_coordinate_against_its_gradient(g):
    for name, make in OPTIMIZERS.items():
        params = {"p": np.zeros_like(g)}  # from 0, a tiny step is not lost to rounding
        make().update(params, {"p": g})
        np.testing.assert_array_equal(np.sign(params["p"]), -np.sign(g), err_msg=name)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_backend_parity(name, other_xp, rng):
    host = {"w": rng.standard_normal((4, 3))}
    device = {"w": other_xp.asarray(host["w"])}
    host_opt, device_opt = OPTIMIZERS[name](), OPTIMIZERS[name]()
    for _ in range(3):
        g = rng.standard_normal((4, 3))
        host_opt.update(host, {"w": g})
        device_opt.update(device, {"w": other_xp.asarray(g)})
    assert type(device["w"]) is type(other_xp.asarray(g))
    np.testing.assert_allclose(to_numpy(device["w"]), host["w"], rtol=1e-12)
    if name in PURE:
        p, state = PURE[name](other_xp.asarray(host["w"]), other_xp.asarray(g))
        assert type(p) is type(device["w"]) and all(
            type(a) is type(p) for a in state if not isinstance(a, int))


def test_adam_state_is_a_named_tuple():
    _, state = adam_step(np.zeros(2), np.ones(2))
    assert isinstance(state, AdamState) and state._fields == ("m", "v", "t")



def test_line_gradient_passes_a_gradient_check_with_a_random_upstream_gradient(rng):
    x = rng.uniform(14.0, 34.0, size=9)
    y = 12.0 * x - 60.0 + rng.normal(scale=5.0, size=9)
    theta = rng.normal(size=2)
    errors = gradcheck.gradient_errors(
        lambda th: np.asarray(np.mean((th[0] * x + th[1] - y) ** 2)), [theta],
        lambda dout: [dout * optim.line_gradient(theta, x, y)], rng=rng)
    assert errors[0] < 1e-7


def test_line_gradient_is_the_first_step_of_linear_regression_gd(rng):
    x, y = rng.normal(size=6), rng.normal(size=6)
    w, b, _ = linear_regression_gd(x[:, None], y, 0.5, 1)
    np.testing.assert_allclose(-0.5 * optim.line_gradient(np.zeros(2), x, y), [w[0], b],
                               rtol=1e-12)
    with pytest.raises(ValueError, match=r"theta must have shape \(2,\) = \(m, b\)"):
        optim.line_gradient(np.zeros(3), x, y)

# --- a model that is not linear in its parameters -------------------------------------------


def _cooling_data(rng, n=12):
    t = np.sort(rng.uniform(0.0, 30.0, size=n))
    y = 55.0 * np.exp(-0.08 * t) + 21.0 + rng.normal(scale=0.5, size=n)
    return t, y


def test_cooling_gradient_passes_a_gradient_check_with_a_random_upstream_gradient(rng):
    t, y = _cooling_data(rng)
    theta = np.array([50.0, 0.1, 18.0]) + rng.normal(scale=[5.0, 0.02, 2.0])
    errors = gradcheck.gradient_errors(
        lambda th: np.asarray(optim.cooling_loss(th, t, y)), [theta],
        lambda dout: [dout * optim.cooling_gradient(theta, t, y)], rng=rng)
    assert errors[0] < 1e-7


def test_cooling_gradient_catches_each_planted_bug(rng):
    # The bugs of the exercise's given cell, one per partial derivative: each is far off.
    t, y = _cooling_data(rng)
    theta = np.array([50.0, 0.1, 18.0])
    numeric = gradcheck.numerical_gradient(lambda th: optim.cooling_loss(th, t, y), theta)
    a, k, c = theta
    decay = np.exp(-k * t)
    r = a * decay + c - y
    buggy = [2 * np.mean(r * np.exp(-k)), 2 * np.mean(r * a * t * decay), np.mean(r)]
    exact = optim.cooling_gradient(theta, t, y)
    np.testing.assert_allclose(exact, numeric, rtol=1e-6)
    for i, wrong in enumerate(buggy):
        assert abs(wrong - numeric[i]) > 0.1 * abs(numeric[i])


def test_cooling_gradient_vanishes_at_an_exact_fit_and_descends_elsewhere(rng):
    t = np.linspace(0.0, 30.0, 16)
    y = 55.0 * np.exp(-0.08 * t) + 21.0
    np.testing.assert_allclose(optim.cooling_gradient([55.0, 0.08, 21.0], t, y), 0.0, atol=1e-12)
    theta = np.array([50.0, 0.1, 18.0])
    g = optim.cooling_gradient(theta, t, y)
    before = optim.cooling_loss(theta, t, y)
    assert optim.cooling_loss(theta - 1e-6 * g, t, y) < before  # a sign error would climb
    assert g.shape == (3,) and theta.tolist() == [50.0, 0.1, 18.0]


@pytest.mark.parametrize(("args", "message"), [
    ((np.ones(2), np.ones(3), np.ones(3)), r"theta must have shape \(3,\)"),
    ((np.ones(3), np.ones(3), np.ones(2)), "t and y"),
    ((np.ones(3), np.ones(0), np.ones(0)), "t has no entries"),
    ((np.array([1.0, np.nan, 1.0]), np.ones(2), np.ones(2)), "theta"),
])
def test_cooling_functions_reject_bad_input_naming_it(args, message):
    for function in (optim.cooling_loss, optim.cooling_gradient):
        with pytest.raises(ValueError, match=message):
            function(*args)


def test_cooling_gradient_stays_in_the_array_library_of_the_data(other_xp, rng):
    t, y = _cooling_data(rng)
    theta = np.array([50.0, 0.1, 18.0])
    got = optim.cooling_gradient(*(other_xp.asarray(a) for a in (theta, t, y)))
    assert type(got) is type(other_xp.asarray(t))
    np.testing.assert_allclose(to_numpy(got), optim.cooling_gradient(theta, t, y), rtol=1e-12)


# --- measuring the stability bound ----------------------------------------------------------


def _quadratic(rng, d, curvature):
    """A bowl 0.5 x^T A x whose largest eigenvalue is ``curvature``."""
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = np.append(rng.uniform(0.05, 0.9, size=d - 1) * curvature, curvature)
    A = Q @ np.diag(lam) @ Q.T
    return (lambda x: A @ x), (lambda x: 0.5 * float(x @ A @ x))


@pytest.mark.parametrize("curvature", [0.7, 3.0, 40.0])
def test_divergence_threshold_measures_2_over_L(curvature, rng):
    grad, loss = _quadratic(rng, 5, curvature)
    x0 = rng.standard_normal(5)
    lr = optim.divergence_threshold(grad, loss, x0, 1e-3, 10.0)
    assert lr == pytest.approx(2.0 / curvature, rel=0.01)
    assert x0.shape == (5,)


def test_divergence_threshold_with_few_steps_comes_out_too_high(rng):
    # A slow blow-up (factor 1 + small per step) needs many steps to show: a short run
    # calls rates above 2 / L stable, so the estimate lands above the theory.
    grad, loss = _quadratic(rng, 5, 4.0)
    x0 = rng.standard_normal(5)
    short = optim.divergence_threshold(grad, loss, x0, 1e-3, 10.0, steps=5)
    long = optim.divergence_threshold(grad, loss, x0, 1e-3, 10.0, steps=500)
    assert short > 1.02 * 0.5 and long == pytest.approx(0.5, rel=0.005)


def test_divergence_threshold_names_a_bad_bracket_or_start():
    def grad(x):
        return 2.0 * x

    def loss(x):
        return float(np.sum(x**2))

    with pytest.raises(ValueError, match="already diverges at lr_low = 2"):
        optim.divergence_threshold(grad, loss, np.ones(2), 2.0, 5.0)
    with pytest.raises(ValueError, match="does not diverge at lr_high = 0.5"):
        optim.divergence_threshold(grad, loss, np.ones(2), 0.1, 0.5)
    with pytest.raises(ValueError, match="lr_low must be < lr_high"):
        optim.divergence_threshold(grad, loss, np.ones(2), 0.5, 0.1)
    with pytest.raises(ValueError, match=r"loss_fn\(x0\) must be > 0"):
        optim.divergence_threshold(grad, loss, np.zeros(2), 0.1, 5.0)
