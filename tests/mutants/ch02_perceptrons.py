"""Chapter 2 mutants: plausible mistakes, at least one per graded part.

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE``
in one solution cell (the function body, indented by four spaces). Grading a
notebook with every other cell solved must cost exactly that part's points.
"""

from tests.mutants import Mutant

MUTANTS = {
    "step_zero_is_zero": Mutant(
        "step", "    z = np.asarray(z)\n    return (z > 0).astype(z.dtype)\n"),
    "step_returns_float64": Mutant("step", "    return (np.asarray(z) >= 0).astype(float)\n"),
    "predict_without_bias": Mutant("perceptron_predict", "    return (X @ w >= 0).astype(float)\n"),
    "update_in_place": Mutant(
        "perceptron_update",
        "    error = y - (1.0 if float(x @ w) + b >= 0 else 0.0)\n"
        "    w += lr * error * x\n"
        "    return w, float(b + lr * error)\n"),
    "update_wrong_sign": Mutant(
        "perceptron_update",
        "    error = (1.0 if float(x @ w) + b >= 0 else 0.0) - y\n"
        "    return w + lr * error * x, float(b + lr * error)\n"),
    "fit_never_stops_early": Mutant(
        "perceptron_fit",
        "    w, b = np.zeros(X.shape[1]), 0.0\n"
        "    errors = []\n"
        "    for _ in range(epochs):\n"
        "        mistakes = 0\n"
        "        for i in rng.permutation(X.shape[0]):\n"
        "            error = y[i] - (1.0 if float(X[i] @ w) + b >= 0 else 0.0)\n"
        "            if error != 0:\n"
        "                w, b = w + lr * error * X[i], b + lr * error\n"
        "                mistakes += 1\n"
        "        errors.append(mistakes)\n"
        "    return w, float(b), errors\n"),
    "fit_fixed_order": Mutant(
        "perceptron_fit",
        "    w, b = np.zeros(X.shape[1]), 0.0\n"
        "    errors = []\n"
        "    for _ in range(epochs):\n"
        "        mistakes = 0\n"
        "        for i in range(X.shape[0]):\n"
        "            error = y[i] - (1.0 if float(X[i] @ w) + b >= 0 else 0.0)\n"
        "            if error != 0:\n"
        "                w, b = w + lr * error * X[i], b + lr * error\n"
        "                mistakes += 1\n"
        "        errors.append(mistakes)\n"
        "        if mistakes == 0:\n"
        "            break\n"
        "    return w, float(b), errors\n"),
    "forward_no_output_activation": Mutant(
        "two_layer_forward",
        "    f = {'step': lambda z: (z >= 0).astype(z.dtype),\n"
        "         'sigmoid': lambda z: 1.0 / (1.0 + np.exp(-z)),\n"
        "         'identity': lambda z: z}[activation]\n"
        "    return f(X @ W1 + b1) @ W2 + b2\n"),
    "forward_accepts_any_name": Mutant(
        "two_layer_forward",
        "    f = {'step': lambda z: (z >= 0).astype(z.dtype),\n"
        "         'sigmoid': lambda z: 1.0 / (1.0 + np.exp(-z))}.get(activation, lambda z: z)\n"
        "    return f(f(X @ W1 + b1) @ W2 + b2)\n"),
    "bound_normalizes_w_only": Mutant(
        "mistake_bound",
        "    X_aug = np.column_stack([X, np.ones(X.shape[0])])\n"
        "    if not np.any(w):\n"
        "        raise ValueError('no direction')\n"
        "    gamma = np.min((2.0 * y - 1.0) * (X @ w + b)) / np.linalg.norm(w)\n"
        "    if gamma <= 0:\n"
        "        raise ValueError('not separated')\n"
        "    return float((np.max(np.linalg.norm(X_aug, axis=1)) / gamma) ** 2)\n"),
    "bound_radius_without_the_one": Mutant(
        "mistake_bound",
        "    theta = np.append(w, b)\n"
        "    if not np.any(theta):\n"
        "        raise ValueError('no direction')\n"
        "    X_aug = np.column_stack([X, np.ones(X.shape[0])])\n"
        "    gamma = np.min((2.0 * y - 1.0) * (X_aug @ theta)) / np.linalg.norm(theta)\n"
        "    if gamma <= 0:\n"
        "        raise ValueError('not separated')\n"
        "    return float((np.max(np.linalg.norm(X, axis=1)) / gamma) ** 2)\n"),
}
