"""Chapter 1 mutants: one per catalogued mistake (autograder/catalogues/ch01_regression.py).

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake. The derive and experiment parts (``ridge_grad``,
``fit_curve``) also get the wrong answers their exercise invites: the bias penalized, the
penalty's factor 2 lost, a straight line, and powers of the raw input.
"""

from tests.mutants import Mutant, catalogued

_LAM = ("    if lam < 0:\n"
        "        raise ValueError('lam must be >= 0')\n"
        "    r = X @ w + b - y\n")

MUTANTS = {
    **catalogued("ch01_regression"),
    # Part 10: the penalty's derivative lam * w (the 2 lost); the bias penalized too.
    "ridge_grad_penalty_without_2": Mutant(
        "ridge_grad", _LAM + "    return 2 * X.T @ r / len(y) + lam * w, float(2 * np.mean(r))\n"),
    "ridge_grad_bias_penalized": Mutant(
        "ridge_grad", _LAM
        + "    return 2 * X.T @ r / len(y) + 2 * lam * w, float(2 * np.mean(r) + 2 * lam * b)\n"),
    # Part 11: a straight line; a degree-7 polynomial of the raw input (fails near 300).
    "fit_curve_straight_line": Mutant(
        "fit_curve",
        "    A = np.column_stack([x_train, np.ones_like(x_train)])\n"
        "    coef = np.linalg.lstsq(A, y_train, rcond=None)[0]\n"
        "    return coef[0] * x_test + coef[1]\n"),
    "fit_curve_raw_powers": Mutant(
        "fit_curve",
        "    powers = lambda x: np.column_stack([x**k for k in range(8)])\n"
        "    coef = np.linalg.lstsq(powers(x_train), y_train, rcond=None)[0]\n"
        "    return powers(x_test) @ coef\n"),
}
