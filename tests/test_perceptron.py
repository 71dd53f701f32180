import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions.backend import to_numpy
from solutions.gradcheck import gradient_errors
from solutions.perceptron import (
    fit_circle,
    mistake_bound,
    perceptron_fit,
    perceptron_predict,
    perceptron_update,
    squared_hinge_grad,
    step,
)
from tests.strategies import float64_arrays, seeds

pytestmark = pytest.mark.ch02

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}


def test_step_is_one_from_zero_up_and_keeps_the_dtype():
    np.testing.assert_array_equal(step(np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0])),
                                  [0, 0, 1, 1, 1])
    assert step(np.zeros((2, 3), dtype=np.float32)).dtype == np.float32


@given(float64_arrays(st.integers(1, 10)))
def test_step_takes_only_the_values_zero_and_one(z):
    out = step(z)
    assert set(np.unique(out)) <= {0.0, 1.0}
    np.testing.assert_array_equal(out == 1, z >= 0)


def test_predict_is_the_step_of_the_weighted_sum():
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 0.0]])
    np.testing.assert_array_equal(perceptron_predict(X, np.array([1.0, -1.0]), 0.5), [0, 0, 1])
    # The bias moves the boundary: a large negative bias silences every sample.
    np.testing.assert_array_equal(perceptron_predict(X, np.array([1.0, -1.0]), -10.0), [0, 0, 0])


def test_predict_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="w must have one weight per feature"):
        perceptron_predict(np.ones((3, 2)), np.ones(3), 0.0)
    with pytest.raises(ValueError, match="b must be a single number"):
        perceptron_predict(np.ones((3, 2)), np.ones(2), np.zeros(2))


@given(float64_arrays(4, bound=5.0), st.floats(-5, 5), float64_arrays(4, bound=5.0),
       st.sampled_from([0, 1]), st.floats(0.01, 2.0))
def test_update_moves_by_lr_times_error_times_input(w, b, x, y, lr):
    y_hat = 1.0 if x @ w + b >= 0 else 0.0
    w_before = w.copy()
    new_w, new_b = perceptron_update(w, b, x, y, lr)
    error = y - y_hat
    np.testing.assert_allclose(new_w, w + lr * error * x)
    assert new_b == pytest.approx(b + lr * error)
    np.testing.assert_array_equal(w, w_before)  # a new array, the old one untouched
    if error != 0:
        # The sign of input x error: the weighted sum for x moves towards the label.
        assert (new_w @ x + new_b - (w @ x + b)) * error > 0


def test_update_strengthens_on_a_miss_and_weakens_on_a_false_alarm():
    x = np.array([1.0, -2.0])
    w, b = perceptron_update(np.zeros(2), -1.0, x, 1, 0.5)  # predicted 0, label 1
    np.testing.assert_array_equal(w, [0.5, -1.0])
    assert b == -0.5
    w, b = perceptron_update(np.zeros(2), 1.0, x, 0, 0.5)  # predicted 1, label 0
    np.testing.assert_array_equal(w, [-0.5, 1.0])
    assert b == 0.5
    w0 = np.array([1.0, 1.0])
    w, b = perceptron_update(w0, 0.0, np.array([1.0, 1.0]), 1, 0.5)  # right: no change
    np.testing.assert_array_equal(w, w0)
    assert b == 0.0


@pytest.mark.parametrize("gate", GATES)
def test_fit_learns_linearly_separable_gates(gate, rng):
    y = np.array(GATES[gate])
    w, b, errors = perceptron_fit(CORNERS, y, 0.1, 100, rng)
    assert errors[-1] == 0 and errors[0] > 0
    assert len(errors) < 100
    np.testing.assert_array_equal(perceptron_predict(CORNERS, w, b), y)


def test_fit_never_learns_xor(rng):
    y = np.array([0, 1, 1, 0])
    w, b, errors = perceptron_fit(CORNERS, y, 0.1, 200, rng)
    assert len(errors) == 200 and min(errors) > 0
    assert np.sum(perceptron_predict(CORNERS, w, b) != y) >= 1


@given(seeds(), st.integers(2, 5))
def test_fit_separates_random_linearly_separable_data(rng, d):
    w_true = rng.standard_normal(d)
    X = rng.standard_normal((40, d))
    margin = X @ w_true + 0.3
    keep = np.abs(margin) > 0.2  # a margin keeps the number of updates small
    X, y = X[keep], (margin[keep] > 0).astype(int)
    w, b, errors = perceptron_fit(X, y, 1.0, 1000, rng)
    assert errors[-1] == 0
    np.testing.assert_array_equal(perceptron_predict(X, w, b), y)


def test_fit_is_reproducible_and_the_rng_shuffles(rng):
    y = np.array(GATES["AND"])
    runs = [perceptron_fit(CORNERS, y, 0.1, 100, np.random.default_rng(7)) for _ in range(2)]
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][2] == runs[1][2]
    histories = {tuple(perceptron_fit(CORNERS, y, 0.1, 100, np.random.default_rng(s))[2])
                 for s in range(20)}
    assert len(histories) > 1  # the order of the samples really changes between seeds


def test_fit_keeps_float32_and_does_not_touch_its_inputs(rng):
    X = CORNERS.astype(np.float32)
    y = np.array(GATES["OR"])
    w, b, _ = perceptron_fit(X, y, 0.5, 50, rng)
    assert w.dtype == np.float32 and isinstance(b, float)
    np.testing.assert_array_equal(X, CORNERS)


def test_fit_rejects_bad_labels_and_arguments(rng):
    with pytest.raises(ValueError, match="labels 0 or 1.*\\(y \\+ 1\\) / 2"):
        perceptron_fit(CORNERS, np.array([-1, 1, 1, -1]), 0.1, 10, rng)
    with pytest.raises(ValueError, match="one label per sample"):
        perceptron_fit(CORNERS, np.array([0, 1, 1]), 0.1, 10, rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        perceptron_fit(CORNERS, np.array(GATES["OR"]), 0.1, 10, 42)
    with pytest.raises(ValueError, match="lr must be > 0"):
        perceptron_fit(CORNERS, np.array(GATES["OR"]), 0.0, 10, rng)
    with pytest.raises(ValueError, match="labels 0 or 1"):
        perceptron_update(np.zeros(2), 0.0, np.ones(2), 2, 0.1)


# --- the convergence bound of a given separator ------------------------------------------


def test_mistake_bound_of_the_chapters_gates_by_hand():
    # OR, (w, b) = (1, 1, -0.5): |(w, b)| = 1.5, signed scores 0.5, 0.5, 0.5, 1.5, so
    # gamma = 0.5 / 1.5 = 1/3; R^2 = |(1, 1, 1)|^2 = 3; (R / gamma)^2 = 3 * 9 = 27.
    # Leaving b out of the norm would give 24, leaving the 1 out of R would give 18.
    assert mistake_bound(CORNERS, np.array(GATES["OR"]), np.ones(2), -0.5) == pytest.approx(27.0)
    # AND, (2, 2, -3): |(w, b)|^2 = 17, smallest signed score 1, so the bound is 3 * 17 = 51.
    assert mistake_bound(CORNERS, np.array(GATES["AND"]), np.array([2.0, 2.0]), -3.0) \
        == pytest.approx(51.0)
    # NAND is AND with the labels flipped: the negated separator, the same bound.
    assert mistake_bound(CORNERS, np.array(GATES["NAND"]), np.array([-2.0, -2.0]), 3.0) \
        == pytest.approx(51.0)


@pytest.mark.parametrize("scale", [1e-3, 0.5, 7.0, 1e4])
def test_mistake_bound_depends_only_on_the_direction(scale):
    y = np.array(GATES["AND"])
    w = np.array([2.0, 2.0])
    assert mistake_bound(CORNERS, y, scale * w, -3.0 * scale) == pytest.approx(51.0, rel=1e-12)


@given(seeds(), st.integers(2, 4))
def test_the_perceptron_never_makes_more_mistakes_than_the_bound(rng, d):
    u = rng.standard_normal(d + 1)
    X = rng.uniform(-1.0, 1.0, size=(60, d))
    score = X @ u[:-1] + u[-1]
    keep = np.abs(score) > 0.1 * np.linalg.norm(u)  # a margin of at least 0.1 for u
    X, y = X[keep], (score[keep] > 0).astype(float)
    bound = mistake_bound(X, y, u[:-1], u[-1])
    assert bound >= 1.0
    for lr in (0.1, 1.0):
        assert sum(perceptron_fit(X, y, lr, 10_000, rng)[2]) <= bound


@pytest.mark.parametrize(("y", "w", "b", "message"), [
    (GATES["AND"], [2.0, 1.0], -3.0, "margin gamma = 0 must be > 0"),   # (1, 1) scores 0
    (GATES["AND"], [-2.0, -2.0], 3.0, "margin gamma = -0.728 must be > 0"),  # -3 / sqrt(17)
    ([0, 1, 1, 0], [1.0, 1.0], -0.5, "does not separate the data strictly"),  # XOR
    (GATES["OR"], [0.0, 0.0], 0.0, "w and b are all zero"),
    (GATES["OR"], [0.0, 0.0], -0.0, "w and b are all zero"),
])
def test_mistake_bound_certifies_only_strict_separators(y, w, b, message):
    with pytest.raises(ValueError, match=message):
        mistake_bound(CORNERS, np.array(y), np.array(w), b)


def test_mistake_bound_with_only_a_bias_is_a_direction():
    # (w, b) = (0, 0, 1) separates "everything is 1" with gamma = 1, and R^2 = 3.
    assert mistake_bound(CORNERS, np.ones(4), np.zeros(2), 1.0) == pytest.approx(3.0)


def test_mistake_bound_rejects_bad_arguments():
    y = np.array(GATES["OR"])
    with pytest.raises(ValueError, match="labels 0 or 1"):
        mistake_bound(CORNERS, 2 * y - 1, np.ones(2), -0.5)
    with pytest.raises(ValueError, match="one label per sample"):
        mistake_bound(CORNERS, y[:3], np.ones(2), -0.5)
    with pytest.raises(ValueError, match="w must have one weight per feature"):
        mistake_bound(CORNERS, y, np.ones(3), -0.5)
    with pytest.raises(ValueError, match="b must be a single number"):
        mistake_bound(CORNERS, y, np.ones(2), np.array([-0.5, 0.5]))
    with pytest.raises(ValueError, match="X has no rows"):
        mistake_bound(np.zeros((0, 2)), np.zeros(0), np.ones(2), -0.5)


def test_mistake_bound_stays_in_the_array_library_of_the_data(xp):
    y_or, y_and = (xp.asarray(np.array(GATES[g], dtype=np.float64)) for g in ("OR", "AND"))
    got = mistake_bound(xp.asarray(CORNERS), y_or, xp.asarray(np.ones(2)), -0.5)
    assert isinstance(got, float) and got == pytest.approx(27.0)
    X32 = xp.asarray(CORNERS.astype(np.float32))
    assert mistake_bound(X32, y_and, xp.asarray(np.array([2.0, 2.0], np.float32)),
                         -3.0) == pytest.approx(51.0, rel=1e-6)
    np.testing.assert_array_equal(to_numpy(X32), CORNERS)


def _squared_hinge_objective(X, s, w, b, lam):
    return lam / 2 * np.sum(w**2) + np.mean(np.maximum(0.0, 1.0 - s * (X @ w + b)) ** 2)


@pytest.mark.parametrize("lam", [0.0, 0.1, 2.0])
def test_squared_hinge_grad_matches_central_differences(lam, rng):
    X, s = rng.normal(size=(12, 3)), rng.choice([-1.0, 1.0], size=12)
    w, b = rng.normal(size=3), np.array(rng.normal())
    dw, db = squared_hinge_grad(X, s, w, float(b), lam)
    assert dw.shape == (3,) and isinstance(db, float)
    assert 0 < np.sum(s * (X @ w + b) < 1) < 12          # some samples in the margin, some not
    errors = gradient_errors(lambda w_, b_: np.asarray(_squared_hinge_objective(X, s, w_, b_, lam)),
                             [w, b], lambda d: [d * dw, d * np.asarray(db)], rng=rng)
    assert max(errors) < 1e-7


def test_squared_hinge_grad_is_the_penalty_alone_beyond_the_margin(rng):
    X = rng.normal(size=(5, 2))
    w = rng.normal(size=2)
    s = np.where(X @ w > 0, 1.0, -1.0)
    dw, db = squared_hinge_grad(X, s, 100.0 * w, 0.0, 0.3)  # every margin far above 1
    np.testing.assert_allclose(dw, 30.0 * w)
    assert db == 0.0


def test_squared_hinge_grad_checks_its_arguments():
    X, w = np.ones((2, 2)), np.ones(2)
    with pytest.raises(ValueError, match="-1 or \\+1"):
        squared_hinge_grad(X, np.array([0.0, 1.0]), w, 0.0, 1.0)
    with pytest.raises(ValueError, match="lam"):
        squared_hinge_grad(X, np.array([-1.0, 1.0]), w, 0.0, -0.5)


def test_squared_hinge_grad_runs_on_every_backend(xp, rng):
    X, s, w = rng.normal(size=(6, 2)), rng.choice([-1.0, 1.0], size=6), rng.normal(size=2)
    dw, db = squared_hinge_grad(xp.asarray(X), xp.asarray(s), xp.asarray(w), 0.25, 0.5)
    expected = squared_hinge_grad(X, s, w, 0.25, 0.5)
    np.testing.assert_allclose(to_numpy(dw), expected[0], rtol=1e-12)
    assert db == pytest.approx(expected[1], rel=1e-12)


def _disc(rng, n):
    X = rng.uniform(-2.0, 2.0, size=(4 * n, 2))
    X = X[np.abs(np.sum(X**2, axis=1) - 2.0) > 0.4][:n]
    return X, (np.sum(X**2, axis=1) < 2.0).astype(float)


def test_fit_circle_separates_a_disc_that_no_line_separates(rng):
    (X, y), (X_test, y_test) = _disc(rng, 200), _disc(rng, 300)
    assert np.mean(fit_circle(X, y, X_test, rng) == y_test) >= 0.95
    w, b, errors = perceptron_fit(X, y, 1.0, 50, rng)
    assert errors[-1] > 0 and np.mean(perceptron_predict(X_test, w, b) == y_test) < 0.8
