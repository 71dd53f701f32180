"""Chapter 2, perceptrons: the mistakes learners make, part by part."""

from autograder.mistakes import Mistake

_FIT = ("def perceptron_fit(X, y, lr, epochs, rng):\n"
        "    w, b = np.zeros(X.shape[1]), 0.0\n"
        "    errors = []\n"
        "    for _ in range(epochs):\n"
        "        mistakes = 0\n"
        "        for i in {ORDER}:\n"
        "            error = y[i] - (1.0 if float(X[i] @ w) + b >= 0 else 0.0)\n"
        "            if error != 0:\n"
        "                w, b = w + lr * error * X[i], b + lr * error\n"
        "                mistakes += 1\n"
        "        errors.append(mistakes)\n"
        "{STOP}"
        "    return w, float(b), errors\n")
_BOUND = ("def mistake_bound(X, y, w, b):\n"
          "    theta = np.append(w, b)\n"
          "    if not np.any(theta):\n"
          "        raise ValueError('no direction')\n"
          "    X_aug = np.column_stack([X, np.ones(X.shape[0])])\n"
          "    gamma = np.min((2.0 * y - 1.0) * ({SCORES})) / np.linalg.norm({NORM})\n"
          "    if gamma <= 0:\n"
          "        raise ValueError('not separated')\n"
          "    return float((np.max(np.linalg.norm({RADIUS}, axis=1)) / gamma) ** 2)\n")

MISTAKES = {
    "step": (
        Mistake("step(0) was taken as 0",
                "The course's step is 1 where z >= 0, so a point on the boundary is class 1.",
                "def step(z):\n"
                "    z = np.asarray(z)\n"
                "    return (z > 0).astype(z.dtype)\n"),
        Mistake("the output was always float64",
                "Return the dtype of z: astype(z.dtype), not astype(float).",
                "def step(z):\n"
                "    return (np.asarray(z) >= 0).astype(float)\n"),
    ),
    "perceptron_predict": (
        Mistake("the bias was left out",
                "The perceptron thresholds X w + b, not X w.",
                "def perceptron_predict(X, w, b):\n"
                "    return (X @ w >= 0).astype(float)\n"),
    ),
    "perceptron_update": (
        Mistake("the caller's weights were changed in place",
                "w += ... writes into the caller's array; return a new array w + ...",
                "def perceptron_update(w, b, x, y, lr):\n"
                "    error = y - (1.0 if float(x @ w) + b >= 0 else 0.0)\n"
                "    w += lr * error * x\n"
                "    return w, float(b + lr * error)\n"),
        Mistake("the error was taken as prediction minus label",
                "The rule moves w towards x when the label is above the prediction: "
                "error = y - prediction.",
                "def perceptron_update(w, b, x, y, lr):\n"
                "    error = (1.0 if float(x @ w) + b >= 0 else 0.0) - y\n"
                "    return w + lr * error * x, float(b + lr * error)\n"),
    ),
    "perceptron_fit": (
        Mistake("training did not stop after an epoch without mistakes",
                "Stop after the first epoch whose count of mistakes is 0.",
                _FIT.replace("{ORDER}", "rng.permutation(X.shape[0])").replace("{STOP}", "")),
        Mistake("the samples were visited in their stored order",
                "Draw one rng.permutation(N) per epoch and visit the samples in that order.",
                _FIT.replace("{ORDER}", "range(X.shape[0])")
                .replace("{STOP}", "        if mistakes == 0:\n            break\n")),
    ),
    "two_layer_forward": (
        Mistake("the activation was not applied after the output layer",
                "f is applied after both layers: f(f(X W1 + b1) W2 + b2).",
                "def two_layer_forward(X, W1, b1, W2, b2, activation):\n"
                "    f = {'step': lambda z: (z >= 0).astype(z.dtype),\n"
                "         'sigmoid': lambda z: 1.0 / (1.0 + np.exp(-z)),\n"
                "         'identity': lambda z: z}.get(activation)\n"
                "    if f is None:\n"
                "        raise ValueError(f'unknown activation {activation!r}')\n"
                "    return f(X @ W1 + b1) @ W2 + b2\n"),
        Mistake("an unknown activation name was accepted",
                "Raise ValueError for a name other than step, sigmoid or identity.",
                "def two_layer_forward(X, W1, b1, W2, b2, activation):\n"
                "    f = {'step': lambda z: (z >= 0).astype(z.dtype),\n"
                "         'sigmoid': lambda z: 1.0 / (1.0 + np.exp(-z))}"
                ".get(activation, lambda z: z)\n"
                "    return f(f(X @ W1 + b1) @ W2 + b2)\n"),
    ),
    "mistake_bound": (
        Mistake("the margin was normalised by the length of w alone",
                "The theorem works with the augmented vector (w, b): divide by its length.",
                _BOUND.replace("{SCORES}", "X @ w + b").replace("{NORM}", "w")
                .replace("{RADIUS}", "X_aug")),
        Mistake("the radius was measured without the constant input 1",
                "R is the largest length of the augmented inputs (x, 1).",
                _BOUND.replace("{SCORES}", "X_aug @ theta").replace("{NORM}", "theta")
                .replace("{RADIUS}", "X")),
    ),
}
