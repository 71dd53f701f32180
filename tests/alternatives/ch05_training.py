"""Chapter 5, training and generalization: correct solutions written differently."""

ASSIGNMENT = "ch05_training"

_CHECKS = """\
    X, y = np.asarray(X), np.asarray(y)
    fractions = tuple(fractions)
    if X.ndim != 2 or y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError("X must be (N, D) and y (N,)")
    if len(fractions) not in (2, 3) or any(f <= 0 for f in fractions) \\
            or not math.isclose(sum(fractions), 1.0, rel_tol=0, abs_tol=1e-9):
        raise ValueError("fractions must be 2 or 3 positive numbers summing to 1")
    n = X.shape[0]
"""

ALTERNATIVES = {
    "train_val_test_split": [
        # itertools.accumulate for the cumulative fractions, np.split for the cut
        "import itertools\nimport math\n\n\n"
        "def train_val_test_split(X, y, *, fractions=(0.6, 0.2, 0.2), rng):\n" + _CHECKS + """\
    cuts = [round(n * c) for c in itertools.accumulate(fractions[:-1])]
    pieces = np.split(rng.permutation(n), cuts)
    if any(len(piece) == 0 for piece in pieces):
        raise ValueError("a part would be empty")
    out = []
    for piece in pieces:
        out.extend([X[piece], y[piece]])
    return tuple(out)
""",
        # one part at a time, from the previous cut to the next
        "import math\n\n\n"
        "def train_val_test_split(X, y, *, fractions=(0.6, 0.2, 0.2), rng):\n" + _CHECKS + """\
    order = rng.permutation(n)
    parts, start, total = [], 0, 0.0
    for k, fraction in enumerate(fractions):
        total += fraction
        stop = n if k == len(fractions) - 1 else round(n * total)
        if stop <= start:
            raise ValueError("a part would be empty")
        parts += [X[order[start:stop]], y[order[start:stop]]]
        start = stop
    return tuple(parts)
""",
        # shuffle X and y once, then slice
        "import math\n\n\n"
        "def train_val_test_split(X, y, *, fractions=(0.6, 0.2, 0.2), rng):\n" + _CHECKS + """\
    order = rng.permutation(n)
    Xs, ys = X[order], y[order]
    bounds = [0] + [round(n * sum(fractions[:k + 1])) for k in range(len(fractions) - 1)] + [n]
    if len(set(bounds)) < len(bounds):
        raise ValueError("a part would be empty")
    return tuple(a[lo:hi] for lo, hi in zip(bounds, bounds[1:]) for a in (Xs, ys))
""",
    ],
    "minibatches": [
        # a generator, after checking the arguments at call time
        """\
def minibatches(X, y, batch_size, rng=None, shuffle=True):
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    if shuffle and not isinstance(rng, np.random.Generator):
        raise TypeError("shuffle=True needs a numpy.random.Generator")
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))

    def batches():
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            yield X[rows], y[rows]

    return batches()
""",
        # np.split at multiples of the batch size
        """\
def minibatches(X, y, batch_size, rng=None, shuffle=True):
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    n = X.shape[0]
    if shuffle:
        if not isinstance(rng, np.random.Generator):
            raise TypeError("shuffle=True needs a numpy.random.Generator")
        index = rng.permutation(n)
    else:
        index = np.arange(n)
    return iter([(X[rows], y[rows]) for rows in np.split(index, range(batch_size, n, batch_size))])
""",
        # shuffle the arrays once, then a while loop over slices
        """\
def minibatches(X, y, batch_size, rng=None, shuffle=True):
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    if shuffle and not isinstance(rng, np.random.Generator):
        raise TypeError("shuffle=True needs a numpy.random.Generator")
    if shuffle:
        order = rng.permutation(len(X))
        X, y = X[order], y[order]
    batches, start = [], 0
    while start < len(X):
        batches.append((X[start:start + batch_size], y[start:start + batch_size]))
        start += batch_size
    return iter(batches)
""",
    ],
    "EarlyStopping": [
        """\
class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        if patience < 1:
            raise ValueError("patience must be at least 1")
        self.patience = patience
        self.min_delta = min_delta
        self.best_loss = np.inf
        self.best_epoch = None
        self.wait = 0
        self.epochs = 0
        self.saved = None

    def update(self, val_loss, params):
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = float(val_loss)
            self.best_epoch = self.epochs
            self.wait = 0
            self.saved = {name: np.copy(array) for name, array in params.items()}
        else:
            self.wait += 1
        self.epochs += 1
        return self.wait >= self.patience

    def restore(self, params):
        if self.saved is None:
            raise RuntimeError("restore before the first update")
        for name in self.saved:
            np.copyto(params[name], self.saved[name])
""",
        # deepcopy of the dict, the epoch count kept as a history of losses
        """\
import copy


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        if not patience >= 1:
            raise ValueError("patience must be >= 1")
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.wait = float("inf"), None, 0
        self._losses, self._snapshot = [], None

    def update(self, val_loss, params):
        self._losses.append(val_loss)
        improved = val_loss < self.best_loss - self.min_delta
        if improved:
            self.best_loss = float(val_loss)
            self.best_epoch = len(self._losses) - 1
            self._snapshot = copy.deepcopy(params)
        self.wait = 0 if improved else self.wait + 1
        return self.wait >= self.patience

    def restore(self, params):
        if self.best_epoch is None:
            raise RuntimeError("nothing saved yet")
        for name, value in self._snapshot.items():
            params[name][:] = value
""",
        # the saved values as one list of (name, copy) pairs
        """\
class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        if patience < 1:
            raise ValueError("patience must be >= 1")
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.wait = float("inf"), None, 0
        self._count = 0
        self._kept = []

    def update(self, val_loss, params):
        epoch = self._count
        self._count += 1
        if self.best_loss - self.min_delta > val_loss:
            self.best_loss, self.best_epoch, self.wait = float(val_loss), epoch, 0
            self._kept = [(name, array.copy()) for name, array in params.items()]
            return False
        self.wait += 1
        return self.wait >= self.patience

    def restore(self, params):
        if not self._kept:
            raise RuntimeError("call update first")
        for name, value in self._kept:
            params[name][...] = value
""",
    ],
    "train_linear": [
        # new arrays each step, the gradient as a mean over the batch's rows
        """\
def train_linear(X, y, X_val, y_val, *, lr, epochs, batch_size, patience, rng):
    params = {"w": np.zeros(X.shape[1]), "b": np.zeros(1)}
    stopper = EarlyStopping(patience)
    history = []
    for _ in range(epochs):
        for Xb, yb in minibatches(X, y, batch_size, rng):
            residual = Xb @ params["w"] + params["b"] - yb
            params["w"][...] = params["w"] - lr * np.mean(2 * residual[:, None] * Xb, axis=0)
            params["b"][...] = params["b"] - lr * np.mean(2 * residual)
        loss = float(np.mean((X_val @ params["w"] + params["b"] - y_val) ** 2))
        history.append(loss)
        if stopper.update(loss, params):
            break
    stopper.restore(params)
    return params["w"], float(params["b"][0]), history
""",
        # einsum, and a helper for the validation loss
        """\
def _val_mse(params, X_val, y_val):
    r = np.einsum("nd,d->n", X_val, params["w"]) + params["b"][0] - y_val
    return float(np.einsum("n,n->", r, r) / len(r))


def train_linear(X, y, X_val, y_val, *, lr, epochs, batch_size, patience, rng):
    params = {"w": np.zeros(X.shape[1]), "b": np.zeros(1)}
    monitor = EarlyStopping(patience)
    history = []
    epoch = 0
    while epoch < epochs:
        epoch += 1
        for Xb, yb in minibatches(X, y, batch_size, rng):
            m = Xb.shape[0]
            r = np.einsum("nd,d->n", Xb, params["w"]) + params["b"][0] - yb
            params["w"] -= (2 * lr / m) * np.einsum("n,nd->d", r, Xb)
            params["b"] -= (2 * lr / m) * r.sum()
        history.append(_val_mse(params, X_val, y_val))
        if monitor.update(history[-1], params):
            break
    monitor.restore(params)
    return params["w"], float(params["b"][0]), history
""",
        # the augmented inputs (x, 1), one parameter vector viewed as w and b
        """\
def train_linear(X, y, X_val, y_val, *, lr, epochs, batch_size, patience, rng):
    d = X.shape[1]
    theta = np.zeros(d + 1)
    params = {"w": theta[:d], "b": theta[d:]}
    stop = EarlyStopping(patience)
    history = []
    for _ in range(epochs):
        for Xb, yb in minibatches(X, y, batch_size, rng):
            A = np.column_stack([Xb, np.ones(len(Xb))])
            theta -= lr * 2.0 / len(yb) * (A.T @ (A @ theta - yb))
        history.append(float(np.mean((X_val @ theta[:d] + theta[d] - y_val) ** 2)))
        if stop.update(history[-1], params):
            break
    stop.restore(params)
    return params["w"], float(params["b"][0]), history
""",
    ],
}
