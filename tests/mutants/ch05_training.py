"""Chapter 5 mutants: plausible mistakes, at least one per graded part.

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE`` in one
solution cell (a function body, or the methods of the class, indented by four spaces).
Grading a notebook with every other cell solved must cost exactly that part's points.
"""

from tests.mutants import Mutant

_SPLIT_HEAD = (
    "    X, y = np.asarray(X), np.asarray(y)\n"
    "    if X.ndim != 2 or len(y) != len(X):\n"
    "        raise ValueError('X must be (N, D) and y (N,)')\n"
    "    if len(fractions) not in (2, 3) or min(fractions) <= 0 "
    "or abs(sum(fractions) - 1) > 1e-9:\n"
    "        raise ValueError('bad fractions')\n"
    "    n = len(X)\n"
)
_SPLIT_TAIL = (
    "    if any(lo == hi for lo, hi in zip(cuts[:-1], cuts[1:])):\n"
    "        raise ValueError('empty part')\n"
    "    parts = []\n"
    "    for lo, hi in zip(cuts[:-1], cuts[1:]):\n"
    "        parts += [X[order[lo:hi]], y[order[lo:hi]]]\n"
    "    return tuple(parts)\n"
)

_STOPPER = (
    "    def __init__(self, patience, min_delta=0.0):\n"
    "        if patience < 1:\n"
    "            raise ValueError('patience must be >= 1')\n"
    "        self.patience, self.min_delta = patience, min_delta\n"
    "        self.best_loss, self.best_epoch, self.wait = float('inf'), None, 0\n"
    "        self._epoch, self._best = -1, None\n"
    "\n"
    "    def update(self, val_loss, params):\n"
    "        self._epoch += 1\n"
    "        if val_loss < self.best_loss - self.min_delta:\n"
    "            self.best_loss, self.best_epoch, self.wait = float(val_loss), self._epoch, 0\n"
    "            self._best = {SAVE}\n"
    "        else:\n"
    "            self.wait += 1\n"
    "        return self.wait >= self.patience\n"
    "\n"
    "    def restore(self, params):\n"
    "        if self._best is None:\n"
    "            raise RuntimeError('no epoch recorded yet')\n"
    "        for name, value in self._best.items():\n"
    "            params[name][...] = value\n"
)

_LOOP = (
    "    params = {'w': np.zeros(X.shape[1]), 'b': np.zeros(1)}\n"
    "    stopper = EarlyStopping(patience)\n"
    "    history = []\n"
    "    for _ in range(epochs):\n"
    "        for X_batch, y_batch in minibatches(X, y, batch_size, rng):\n"
    "            err = X_batch @ params['w'] + params['b'] - y_batch\n"
    "            params['w'] -= lr * 2.0 * X_batch.T @ err / {DIVISOR}\n"
    "            params['b'] -= lr * 2.0 * np.sum(err) / {DIVISOR}\n"
    "        val_mse = float(np.mean((X_val @ params['w'] + params['b'] - y_val) ** 2))\n"
    "        history.append(val_mse)\n"
    "        if stopper.update(val_mse, params):\n"
    "            break\n"
    "{RESTORE}"
)

MUTANTS = {
    # Sizes rounded part by part (the last part takes the rest): (8, 3, 2) for 13 samples.
    "split_rounds_each_part": Mutant(
        "train_val_test_split",
        _SPLIT_HEAD
        + "    order = rng.permutation(n)\n"
        "    sizes = [round(n * f) for f in fractions[:-1]]\n"
        "    cuts = [0]\n"
        "    for size in sizes:\n"
        "        cuts.append(cuts[-1] + size)\n"
        "    cuts.append(n)\n"
        + _SPLIT_TAIL),
    # The global NumPy generator instead of rng: not reproducible from the seed.
    "split_uses_global_random": Mutant(
        "train_val_test_split",
        _SPLIT_HEAD
        + "    order = np.random.permutation(n)\n"
        "    cuts = [0] + [round(n * sum(fractions[:k])) for k in range(1, len(fractions))] + [n]\n"
        + _SPLIT_TAIL),
    # The smaller last batch is dropped.
    "minibatches_drops_last": Mutant(
        "minibatches",
        "    if batch_size < 1:\n"
        "        raise ValueError('batch_size must be >= 1')\n"
        "    if shuffle and not isinstance(rng, np.random.Generator):\n"
        "        raise TypeError('rng must be a Generator')\n"
        "    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))\n"
        "    full = len(X) // batch_size * batch_size\n"
        "    return iter([(X[order[k:k + batch_size]], y[order[k:k + batch_size]])\n"
        "                 for k in range(0, full, batch_size)])\n"),
    # Shuffles the rows of X and the labels with two different permutations.
    "minibatches_unpaired_shuffle": Mutant(
        "minibatches",
        "    if batch_size < 1:\n"
        "        raise ValueError('batch_size must be >= 1')\n"
        "    if shuffle and not isinstance(rng, np.random.Generator):\n"
        "        raise TypeError('rng must be a Generator')\n"
        "    n = len(X)\n"
        "    order = rng.permutation(n) if shuffle else np.arange(n)\n"
        "    rows = rng.permutation(n) if shuffle else np.arange(n)\n"
        "    return iter([(X[rows[k:k + batch_size]], y[order[k:k + batch_size]])\n"
        "                 for k in range(0, n, batch_size)])\n"),
    # Keeps the arrays themselves, not copies: training moves the "best" weights along.
    "early_stopping_saves_references": Mutant(
        "EarlyStopping", _STOPPER.replace("{SAVE}", "dict(params)")),
    # Counts any decrease (and a tie at best_loss - min_delta) as an improvement: min_delta ignored.
    "early_stopping_ignores_min_delta": Mutant(
        "EarlyStopping",
        _STOPPER.replace("{SAVE}", "{k: v.copy() for k, v in params.items()}")
        .replace("val_loss < self.best_loss - self.min_delta",
                 "val_loss <= self.best_loss - self.min_delta or val_loss < self.best_loss")),
    # Divides the batch gradient by batch_size, wrong for the smaller last batch.
    "train_linear_divides_by_batch_size": Mutant(
        "train_linear",
        _LOOP.replace("{DIVISOR}", "batch_size")
        .replace("{RESTORE}", "    stopper.restore(params)\n"
                              "    return params['w'], float(params['b'][0]), history\n")),
    # Returns the last epoch's weights: never restores.
    "train_linear_without_restore": Mutant(
        "train_linear",
        _LOOP.replace("{DIVISOR}", "len(y_batch)")
        .replace("{RESTORE}", "    return params['w'], float(params['b'][0]), history\n")),
}
