"""Chapter 3 mutants: one per catalogued mistake (autograder/catalogues/ch03_losses.py).

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake. The derive and verify parts (``huber_grad``,
``log_cosh_grad``) also get the wrong answers their exercise invites: the linear piece's
slope without delta, and the given function with only some of its planted bugs fixed.
"""

from tests.mutants import Mutant, catalogued

_SAME_SHAPE = ("    if y_pred.shape != y.shape:\n"
               "        raise ValueError('shapes differ')\n")
_DELTA = ("    if not delta > 0:\n"
          "        raise ValueError('delta must be > 0')\n")

MUTANTS = {
    **catalogued("ch03_losses"),
    # Part 11: the linear piece's slope taken as sign(u) (delta forgotten); the quadratic
    # piece's gradient u / n everywhere.
    "huber_grad_slope_without_delta": Mutant(
        "huber_grad", _SAME_SHAPE + _DELTA
        + "    u = y_pred - y\n"
          "    return np.where(np.abs(u) <= delta, u, np.sign(u)) / y.size\n"),
    "huber_grad_quadratic_everywhere": Mutant(
        "huber_grad", _SAME_SHAPE + _DELTA + "    return (y_pred - y) / y.size\n"),
    # Part 12: each planted bug left in while the other two are fixed.
    "log_cosh_grad_sign_left": Mutant(
        "log_cosh_grad", _SAME_SHAPE + "    return np.tanh(y - y_pred) / y.size\n"),
    "log_cosh_grad_divisor_left": Mutant(
        "log_cosh_grad", _SAME_SHAPE + "    return np.tanh(y_pred - y) / len(y)\n"),
    "log_cosh_grad_overflow_left": Mutant(
        "log_cosh_grad", _SAME_SHAPE
        + "    u = y_pred - y\n"
          "    return np.sinh(u) / np.cosh(u) / y.size\n"),
}
