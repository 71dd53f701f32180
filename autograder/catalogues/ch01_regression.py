"""Chapter 1, regression: the mistakes learners make, part by part."""

from autograder.mistakes import Mistake

MISTAKES = {
    "predict_linear": (
        Mistake("the weights were transposed",
                "X has one row per sample and w one row per feature, so X @ w needs no .T.",
                "def predict_linear(X, w, b):\n"
                "    return X @ w.T + b\n"),
    ),
    "mse": (
        Mistake("the squared errors were summed instead of averaged",
                "The mean squared error divides the sum by the number of entries.",
                "def mse(y_pred, y):\n"
                "    return float(np.sum((y_pred - y) ** 2))\n"),
        Mistake("arrays of different shapes were broadcast instead of refused",
                "(N, 1) minus (N,) broadcasts to (N, N); compare the shapes and raise "
                "ValueError first.",
                "def mse(y_pred, y):\n"
                "    return float(np.mean((y_pred - y) ** 2))\n"),
    ),
    "mse_grad": (
        Mistake("the factor 2 of the derivative was dropped",
                "The derivative of a square (y_pred - y) ** 2 is 2 (y_pred - y).",
                "def mse_grad(y_pred, y):\n"
                "    return (y_pred - y) / y.size\n"),
        Mistake("the gradient was divided by the rows instead of every entry",
                "For an (N, C) array the mean runs over all N * C entries, so divide by y.size.",
                "def mse_grad(y_pred, y):\n"
                "    return 2.0 * (y_pred - y) / len(y)\n"),
    ),
    "fit_line": (
        Mistake("the slope was computed without centring x and y",
                "The slope is the sum of (x - mean x)(y - mean y) over the sum of "
                "(x - mean x) ** 2.",
                "def fit_line(x, y):\n"
                "    a = float(np.sum(x * y) / np.sum(x * x))\n"
                "    return a, float(y.mean() - a * x.mean())\n"),
    ),
    "fit_least_squares": (
        Mistake("the intercept column was left out",
                "Append a column of ones to X so that the last coefficient is the intercept b.",
                "def fit_least_squares(X, y):\n"
                "    w = np.linalg.lstsq(X, y, rcond=None)[0]\n"
                "    return w, 0.0\n"),
        Mistake("the normal equations were solved with an explicit inverse",
                "Inverting A.T @ A loses accuracy on nearly collinear data; solve the least-"
                "squares problem with np.linalg.lstsq instead.",
                "def fit_least_squares(X, y):\n"
                "    A = np.hstack([X, np.ones((len(X), 1))])\n"
                "    c = np.linalg.inv(A.T @ A) @ (A.T @ y)\n"
                "    return c[:-1], float(c[-1])\n"),
    ),
    "sigmoid": (
        Mistake("the sign of the exponent was flipped",
                "sigmoid(z) is 1 / (1 + exp(-z)), close to 1 for large positive z.",
                "def sigmoid(z):\n"
                "    return 1.0 / (1.0 + np.exp(z))\n"),
        Mistake("exp(-z) overflows for large negative z",
                "Evaluate exp only of non-positive numbers: use exp(z) / (1 + exp(z)) where "
                "z < 0.",
                "def sigmoid(z):\n"
                "    return 1.0 / (1.0 + np.exp(-z))\n"),
    ),
    "softmax": (
        Mistake("the row maximum was not subtracted before exp",
                "Softmax does not change when a constant is subtracted from a row; subtract "
                "the row's maximum so that exp never overflows.",
                "def softmax(Z):\n"
                "    e = np.exp(Z)\n"
                "    return e / e.sum(axis=1, keepdims=True)\n"),
    ),
    "predict_logistic": (
        Mistake("sigmoid was used for every w, also with C classes",
                "With w of shape (D, C) the probabilities are the softmax of the scores.",
                "def predict_logistic(X, w, b):\n"
                "    return sigmoid(predict_linear(X, w, b))\n"),
    ),
    "r_squared": (
        Mistake("r_squared was computed as the total over the residual sum of squares",
                "R^2 is 1 minus the residual sum of squares over the total sum of squares.",
                "def r_squared(y_pred, y):\n"
                "    return float(np.sum((y - y.mean()) ** 2) / np.sum((y - y_pred) ** 2))\n"),
    ),
}
