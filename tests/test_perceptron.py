import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions.perceptron import perceptron_fit, perceptron_predict, perceptron_update, step
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
