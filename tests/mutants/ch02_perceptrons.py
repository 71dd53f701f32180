"""Chapter 2 mutants: one per catalogued mistake (autograder/catalogues/ch02_perceptrons.py).

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake. The derive and experiment parts (``squared_hinge_grad``,
``fit_circle``) also get the wrong answers their exercise invites: the square's factor 2
lost, the plain hinge's gradient, and a perceptron on the raw inputs.
"""

from tests.mutants import Mutant, catalogued

_SIGNS = ("    if not np.all((s == 1) | (s == -1)):\n"
          "        raise ValueError('labels must be -1 or +1')\n"
          "    slack = np.maximum(0.0, 1.0 - s * (X @ w + b))\n")

MUTANTS = {
    **catalogued("ch02_perceptrons"),
    # Part 7: d/du of u^2 taken as u (the 2 lost); the plain hinge's gradient.
    "squared_hinge_grad_without_2": Mutant(
        "squared_hinge_grad", _SIGNS
        + "    g = -s * slack / len(s)\n"
          "    return lam * w + X.T @ g, float(np.sum(g))\n"),
    "squared_hinge_grad_plain_hinge": Mutant(
        "squared_hinge_grad", _SIGNS
        + "    g = -s * (slack > 0) / len(s)\n"
          "    return lam * w + X.T @ g, float(np.sum(g))\n"),
    # Part 8: a perceptron on the raw inputs, which no line can make right.
    "fit_circle_raw_inputs": Mutant(
        "fit_circle",
        "    w, b = np.zeros(2), 0.0\n"
        "    for _ in range(100):\n"
        "        for i in rng.permutation(len(X_train)):\n"
        "            error = y_train[i] - float(X_train[i] @ w + b >= 0)\n"
        "            w, b = w + error * X_train[i], b + error\n"
        "    return (X_test @ w + b >= 0).astype(float)\n"),
}
