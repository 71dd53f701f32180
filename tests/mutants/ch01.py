"""Chapter 1 mutants: one plausible mistake per graded component.

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE``
in one solution cell (the function body, indented by four spaces). Grading a
notebook with every other cell solved must cost exactly the points of
``test_<cell>``; a mutant that the hidden tests alone catch is marked so, to
prove the hidden tests add something.
"""

from typing import NamedTuple


class Mutant(NamedTuple):
    """A wrong body for one solution cell."""

    cell: str
    """The solution cell's grade_id; its test cell is ``test_<cell>``."""
    body: str
    """The function body, indented by four spaces."""
    hidden_only: bool = False
    """True when the visible tests pass and only the hidden tests catch it."""


MUTANTS = {
    "predict_linear_transposed_w": Mutant(
        "predict_linear", "    return X @ w.T + b\n", hidden_only=True),
    "mse_without_mean": Mutant(
        "mse", "    return float(np.sum((y_pred - y) ** 2))\n"),
    "mse_grad_without_2": Mutant(
        "mse_grad", "    return (y_pred - y) / y.size\n"),
    "mse_grad_over_rows": Mutant(
        "mse_grad", "    return 2.0 * (y_pred - y) / len(y)\n", hidden_only=True),
    "least_squares_without_intercept": Mutant(
        "fit_least_squares",
        "    w = np.linalg.lstsq(X, y, rcond=None)[0]\n    return w, 0.0\n"),
    "sigmoid_wrong_sign": Mutant(
        "sigmoid", "    return 1.0 / (1.0 + np.exp(z))\n"),
    "sigmoid_naive_overflows": Mutant(
        "sigmoid", "    return 1.0 / (1.0 + np.exp(-z))\n"),
    "softmax_without_max": Mutant(
        "softmax", "    e = np.exp(Z)\n    return e / e.sum(axis=1, keepdims=True)\n",
        hidden_only=True),
    "predict_logistic_sigmoid_always": Mutant(
        "predict_logistic", "    return sigmoid(predict_linear(X, w, b))\n"),
}

# A learner who cannot solve the exercise rebinds NumPy's comparisons at the top of
# the first solution cell, so that every comparison says "close", and returns junk.
CHEATER_PRELUDE = {
    "predict_linear": (
        "np.allclose = lambda *args, **kwargs: True\n"
        "np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, bool)\n"
        "np.testing.assert_allclose = lambda *args, **kwargs: None\n"
        "np.abs = lambda x, *args, **kwargs: np.zeros_like(x)\n\n"
    ),
}
CHEATER = {
    "predict_linear": "    return np.zeros(np.shape(X @ w))\n",
    "mse": "    return 0.0\n",
    "mse_grad": "    return np.zeros_like(y_pred)\n",
    "fit_least_squares": "    return np.zeros(X.shape[1]), 0.0\n",
    "sigmoid": "    return np.full(np.shape(z), 0.5)\n",
    "softmax": "    return np.full(Z.shape, 1.0 / Z.shape[1])\n",
    "predict_logistic": "    return np.full(np.shape(X @ w), 0.5)\n",
}
