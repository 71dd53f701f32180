"""Chapter 4 mutants: one per catalogued mistake (autograder/catalogues/ch04_gradient_descent.py),
and measurements the catalogue cannot name.

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake (or none). An experiment part is judged by a stated range,
not by a reference value, so no catalogued mistake can match its wrong measurements.
"""

from tests.mutants import Mutant, catalogued

_BISECT = (
    "    start = loss_fn(w0)\n"
    "    def diverges(lr):\n"
    "        w = w0\n"
    "        for _ in range({STEPS}):\n"
    "            w = w - lr * grad_fn(w)\n"
    "            if not loss_fn(w) < 1e6 * start:\n"
    "                return True\n"
    "        return loss_fn(w) > start\n"
    "{SEARCH}")

MUTANTS = {
    **catalogued("ch04_gradient_descent"),
    # Runs of 5 steps: a slow blow-up just above 2 / L goes unseen, so the measured
    # threshold comes out too high.
    "divergence_threshold_short_runs": Mutant(
        "divergence_threshold",
        _BISECT.replace("{STEPS}", "5").replace(
            "{SEARCH}",
            "    low, high = 0.01, 10.0\n"
            "    while high / low > 1.001:\n"
            "        middle = np.sqrt(low * high)\n"
            "        low, high = (low, middle) if diverges(middle) else (middle, high)\n"
            "    return float(np.sqrt(low * high))\n")),
    # The first rate of a doubling grid that diverges: up to twice the threshold.
    "divergence_threshold_coarse_grid": Mutant(
        "divergence_threshold",
        _BISECT.replace("{STEPS}", "400").replace(
            "{SEARCH}",
            "    lr = 0.01\n"
            "    while not diverges(lr):\n"
            "        lr *= 2.0\n"
            "    return lr\n")),
}
