"""Chapter 5, training and generalization: the mistakes learners make, part by part."""

from autograder.mistakes import Mistake

_SPLIT = (
    "def train_val_test_split(X, y, *, fractions=(0.6, 0.2, 0.2), rng):\n"
    "    X, y = np.asarray(X), np.asarray(y)\n"
    "    if X.ndim != 2 or len(y) != len(X):\n"
    "        raise ValueError('X must be (N, D) and y (N,)')\n"
    "    if len(fractions) not in (2, 3) or min(fractions) <= 0 "
    "or abs(sum(fractions) - 1) > 1e-9:\n"
    "        raise ValueError('bad fractions')\n"
    "    n = len(X)\n"
    "    order = rng.permutation(n)\n"
    "    sizes = [round(n * f) for f in fractions[:-1]]\n"
    "    cuts = [0]\n"
    "    for size in sizes:\n"
    "        cuts.append(cuts[-1] + size)\n"
    "    cuts.append(n)\n"
    "    if any(lo == hi for lo, hi in zip(cuts[:-1], cuts[1:])):\n"
    "        raise ValueError('empty part')\n"
    "    parts = []\n"
    "    for lo, hi in zip(cuts[:-1], cuts[1:]):\n"
    "        parts += [X[order[lo:hi]], y[order[lo:hi]]]\n"
    "    return tuple(parts)\n"
)
_BATCHES = (
    "def minibatches(X, y, batch_size, rng=None, shuffle=True):\n"
    "    if batch_size < 1:\n"
    "        raise ValueError('batch_size must be >= 1')\n"
    "    if shuffle and not isinstance(rng, np.random.Generator):\n"
    "        raise TypeError('rng must be a Generator')\n"
    "    n = len(X)\n"
    "    order = rng.permutation(n) if shuffle else np.arange(n)\n"
)
_STOPPER = (
    "class EarlyStopping:\n"
    "    def __init__(self, patience, min_delta=0.0):\n"
    "        if patience < 1:\n"
    "            raise ValueError('patience must be >= 1')\n"
    "        self.patience, self.min_delta = patience, min_delta\n"
    "        self.best_loss, self.best_epoch, self.wait = float('inf'), None, 0\n"
    "        self._epoch, self._best = -1, None\n"
    "\n"
    "    def update(self, val_loss, params):\n"
    "        self._epoch += 1\n"
    "        if {IMPROVES}:\n"
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
    "def train_linear(X, y, X_val, y_val, *, lr, epochs, batch_size, patience, rng):\n"
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
    "    return params['w'], float(params['b'][0]), history\n"
)

_RIDGE = ("def ridge_step(X, y, w, b, lr, lam):\n"
          "    if lam < 0:\n"
          "        raise ValueError('lam must be >= 0')\n"
          "    err = X @ w + b - y\n"
          "    grad_w = 2.0 * X.T @ err / len(y) + {PENALTY}\n"
          "    grad_b = 2.0 * np.mean(err){INTERCEPT}\n"
          "    return w - lr * grad_w, float(b - lr * grad_b)\n")

MISTAKES = {
    "train_val_test_split": (
        Mistake("each part's size was rounded on its own",
                "Cut at round(N * cumulative fraction), so the rounding errors do not add up.",
                _SPLIT),
    ),
    "minibatches": (
        Mistake("the last, smaller batch was dropped",
                "Every sample appears once per epoch: the last batch holds the remaining "
                "N - (S - 1) B samples, where S = ceil(N / B) is the number of batches.",
                _BATCHES
                + "    full = n // batch_size * batch_size\n"
                  "    return iter([(X[order[k:k + batch_size]], y[order[k:k + batch_size]])\n"
                  "                 for k in range(0, full, batch_size)])\n"),
        Mistake("the inputs and the labels were shuffled with different permutations",
                "Draw one permutation and index both X and y with it, so pairs stay together.",
                _BATCHES
                + "    rows = rng.permutation(n) if shuffle else np.arange(n)\n"
                  "    return iter([(X[rows[k:k + batch_size]], y[order[k:k + batch_size]])\n"
                  "                 for k in range(0, n, batch_size)])\n"),
    ),
    "EarlyStopping": (
        Mistake("the best parameters were kept as references, not copies",
                "Training keeps changing the same arrays; save a copy of each on an "
                "improvement.",
                _STOPPER.replace("{IMPROVES}", "val_loss < self.best_loss - self.min_delta")
                .replace("{SAVE}", "dict(params)")),
        Mistake("min_delta was ignored",
                "An epoch improves only when val_loss < best_loss - min_delta.",
                _STOPPER.replace("{IMPROVES}",
                                 "val_loss <= self.best_loss - self.min_delta "
                                 "or val_loss < self.best_loss")
                .replace("{SAVE}", "{k: v.copy() for k, v in params.items()}")),
    ),
    "train_linear": (
        Mistake("the batch gradient was divided by batch_size",
                "The last batch may be smaller: divide by the number of samples in the batch.",
                _LOOP.replace("{DIVISOR}", "batch_size")
                .replace("{RESTORE}", "    stopper.restore(params)\n")),
        Mistake("the best epoch's parameters were not restored",
                "Call the monitor's restore(params) after the loop, before reading w and b.",
                _LOOP.replace("{DIVISOR}", "len(y_batch)").replace("{RESTORE}", "")),
    ),
    "ridge_step": (
        Mistake("the penalty's gradient was taken as lam * w",
                "Differentiate lam * w_j ** 2 with respect to w_j.",
                _RIDGE.format(PENALTY="lam * w", INTERCEPT="")),
        Mistake("the intercept was penalized too",
                "The penalty is lam * |w| ** 2: it does not involve b.",
                _RIDGE.format(PENALTY="2.0 * lam * w", INTERCEPT=" + 2.0 * lam * b")),
        Mistake("the penalty was left out of the gradient",
                "The penalty is part of the loss, so its gradient is part of the step.",
                _RIDGE.format(PENALTY="0.0 * w", INTERCEPT="")),
    ),
}
