"""Chapter 1 mutants: one plausible mistake per graded part.

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE``
in one solution cell (the function body, indented by four spaces). Grading a
notebook with every other cell solved must cost exactly that part's points.
"""

from tests.mutants import Mutant

MUTANTS = {
    "predict_linear_transposed_w": Mutant("predict_linear", "    return X @ w.T + b\n"),
    "mse_without_mean": Mutant("mse", "    return float(np.sum((y_pred - y) ** 2))\n"),
    "mse_broadcasts_shapes": Mutant("mse", "    return float(np.mean((y_pred - y) ** 2))\n"),
    "mse_grad_without_2": Mutant("mse_grad", "    return (y_pred - y) / y.size\n"),
    "mse_grad_over_rows": Mutant("mse_grad", "    return 2.0 * (y_pred - y) / len(y)\n"),
    "fit_line_uncentred": Mutant(
        "fit_line",
        "    a = float(np.sum(x * y) / np.sum(x * x))\n"
        "    return a, float(y.mean() - a * x.mean())\n"),
    "least_squares_without_intercept": Mutant(
        "fit_least_squares",
        "    w = np.linalg.lstsq(X, y, rcond=None)[0]\n    return w, 0.0\n"),
    "least_squares_by_inverse": Mutant(
        "fit_least_squares",
        "    A = np.hstack([X, np.ones((len(X), 1))])\n"
        "    c = np.linalg.inv(A.T @ A) @ (A.T @ y)\n    return c[:-1], float(c[-1])\n"),
    "sigmoid_wrong_sign": Mutant("sigmoid", "    return 1.0 / (1.0 + np.exp(z))\n"),
    "sigmoid_naive_overflows": Mutant("sigmoid", "    return 1.0 / (1.0 + np.exp(-z))\n"),
    "softmax_without_max": Mutant(
        "softmax", "    e = np.exp(Z)\n    return e / e.sum(axis=1, keepdims=True)\n"),
    "predict_logistic_sigmoid_always": Mutant(
        "predict_logistic", "    return sigmoid(predict_linear(X, w, b))\n"),
    "r_squared_uses_mse_ratio_the_wrong_way": Mutant(
        "r_squared",
        "    return float(np.sum((y - y.mean()) ** 2) / np.sum((y - y_pred) ** 2))\n"),
}
