"""Chapter 5 mutants: one per catalogued mistake (autograder/catalogues/ch05_training.py),
and those the catalogue cannot name: a draw from the global generator, and choices of the
experiment part, which is judged by a stated range rather than by a reference value.

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake (or none).
"""

from tests.mutants import Mutant, catalogued

MUTANTS = {
    **catalogued("ch05_training"),
    # The global NumPy generator instead of rng: not reproducible from the seed, so no
    # catalogued mistake can match it.
    "split_uses_global_random": Mutant(
        "train_val_test_split",
        "    X, y = np.asarray(X), np.asarray(y)\n"
        "    n = len(X)\n"
        "    if X.ndim != 2 or len(y) != n or len(fractions) not in (2, 3) "
        "or min(fractions) <= 0:\n"
        "        raise ValueError('bad arguments')\n"
        "    order = np.random.permutation(n)\n"
        "    cuts = [0] + [round(n * sum(fractions[:k])) for k in range(1, len(fractions))] + [n]\n"
        "    return tuple(a[order[lo:hi]]\n"
        "                 for lo, hi in zip(cuts[:-1], cuts[1:]) for a in (X, y))\n"),
    # Full batches at a cautious rate: 30 updates in all, far from the least-squares fit.
    "choose_full_batches": Mutant(
        "choose_hyperparameters",
        '    return {"lr": 0.01, "epochs": 30, "batch_size": 400, "patience": 30}\n'),
    # A rate far above the stability bound of batches of 32: the training diverges.
    "choose_divergent_rate": Mutant(
        "choose_hyperparameters",
        '    return {"lr": 0.2, "epochs": 30, "batch_size": 32, "patience": 30}\n'),
    # More epochs than the grader trains: refused, with a message naming the limit.
    "choose_too_many_epochs": Mutant(
        "choose_hyperparameters",
        '    return {"lr": 0.02, "epochs": 200, "batch_size": 32, "patience": 30}\n'),
}
