"""Chapter 5: honest answers in other styles than the reference."""

HONEST = {
    "train_val_test_split": ['''
def train_val_test_split(X, y, *, fractions=(0.6, 0.2, 0.2), rng):
    import math
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError("X must be a 2-D array of samples")
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError("y needs one label per row of X")
    if len(fractions) not in (2, 3) or any(f <= 0 for f in fractions) \\
            or not math.isclose(sum(fractions), 1.0):
        raise ValueError("fractions must be 2 or 3 positive numbers that sum to 1")
    n = X.shape[0]
    perm = rng.permutation(n)
    bounds = []
    running = 0.0
    for f in fractions[:-1]:
        running += f
        bounds.append(round(n * running))
    pieces = np.split(perm, bounds)
    if any(len(piece) == 0 for piece in pieces):
        raise ValueError("a part would be empty")
    result = []
    for piece in pieces:
        result.extend([X[piece], y[piece]])
    return tuple(result)
''', '''
def train_val_test_split(X, y, *, fractions=(0.6, 0.2, 0.2), rng):
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    if X.ndim != 2 or y.ndim < 1 or len(y) != n:
        raise ValueError(f"need X of shape (N, D) and y of shape (N,); got {X.shape}, {y.shape}")
    fr = list(fractions)
    if not 2 <= len(fr) <= 3 or min(fr) <= 0 or abs(sum(fr) - 1) > 1e-9:
        raise ValueError(f"bad fractions {fractions}")
    shuffled = rng.permutation(n)
    edges = [0, *(round(n * c) for c in np.cumsum(fr)[:-1]), n]
    out = ()
    for start, stop in zip(edges, edges[1:]):
        if stop <= start:
            raise ValueError("one of the parts would hold no sample")
        idx = shuffled[start:stop]
        out += (X[idx], y[idx])
    return out
'''],
    "minibatches": ['''
def minibatches(X, y, batch_size, rng=None, shuffle=True):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if shuffle and not isinstance(rng, np.random.Generator):
        raise TypeError("shuffling needs a numpy Generator as rng")
    n = X.shape[0]
    idx = rng.permutation(n) if shuffle else np.arange(n)

    def gen():
        for start in range(0, n, batch_size):
            chosen = idx[start:start + batch_size]
            yield X[chosen], y[chosen]

    return gen()
''', '''
def minibatches(X, y, batch_size, rng=None, shuffle=True):
    if batch_size < 1:
        raise ValueError(f"batch_size = {batch_size}, expected >= 1")
    if not shuffle:
        order = np.arange(len(y))
    elif isinstance(rng, np.random.Generator):
        order = rng.permutation(len(y))
    else:
        raise TypeError("rng must be a numpy.random.Generator when shuffle=True")
    count = -(-len(y) // batch_size)
    batches = []
    for k in range(count):
        sel = order[k * batch_size:(k + 1) * batch_size]
        batches.append((X[sel], y[sel]))
    return iter(batches)
'''],
    "EarlyStopping": ['''
class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        if patience < 1:
            raise ValueError("patience must be a positive number of epochs")
        self.patience = patience
        self.min_delta = min_delta
        self.best_loss = np.inf
        self.best_epoch = None
        self.wait = 0
        self.epochs_seen = 0
        self.saved = None

    def update(self, val_loss, params):
        epoch = self.epochs_seen
        self.epochs_seen += 1
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = float(val_loss)
            self.best_epoch = epoch
            self.wait = 0
            self.saved = {key: np.copy(value) for key, value in params.items()}
            return False
        self.wait += 1
        return self.wait >= self.patience

    def restore(self, params):
        if self.saved is None:
            raise RuntimeError("nothing to restore before the first update")
        for key in self.saved:
            np.copyto(params[key], self.saved[key])
''', '''
class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        if not patience >= 1:
            raise ValueError(f"patience={patience}: expected at least 1")
        self.patience, self.min_delta = patience, min_delta
        self.losses = []
        self.best_loss = float("inf")
        self.best_epoch = None
        self.wait = 0
        self._snapshot = {}

    def update(self, val_loss, params):
        self.losses.append(float(val_loss))
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = float(val_loss)
            self.best_epoch = len(self.losses) - 1
            self._snapshot = {name: np.copy(arr) for name, arr in params.items()}
            self.wait = 0
        else:
            self.wait = self.wait + 1
        return self.wait >= self.patience

    def restore(self, params):
        if not self.losses:
            raise RuntimeError("restore() called before any update()")
        for name, arr in self._snapshot.items():
            params[name][...] = arr
'''],
    "train_linear": ['''
def train_linear(X, y, X_val, y_val, *, lr, epochs, batch_size, patience, rng):
    w = np.zeros(X.shape[1])
    b = np.zeros(1)
    params = {"w": w, "b": b}
    stopper = EarlyStopping(patience)
    val_losses = []
    for epoch in range(epochs):
        for xb, yb in minibatches(X, y, batch_size, rng):
            m = len(yb)
            residual = xb @ w + b[0] - yb
            w -= (2 * lr / m) * (xb.T @ residual)
            b -= (2 * lr / m) * residual.sum()
        loss = np.mean((X_val @ w + b[0] - y_val) ** 2)
        val_losses.append(float(loss))
        if stopper.update(loss, params):
            break
    stopper.restore(params)
    return params["w"], float(params["b"][0]), val_losses
''', '''
def train_linear(X, y, X_val, y_val, *, lr, epochs, batch_size, patience, rng):
    def mse_grads(Xb, yb, w, b):
        r = Xb.dot(w) + b - yb
        return 2.0 * np.einsum("n,nd->d", r, Xb) / len(yb), 2.0 * r.mean()

    params = dict(w=np.zeros(X.shape[1]), b=np.zeros(1))
    early = EarlyStopping(patience)
    history = []
    epoch = 0
    stop = False
    while epoch < epochs and not stop:
        for Xb, yb in minibatches(X, y, batch_size, rng):
            gw, gb = mse_grads(Xb, yb, params["w"], params["b"])
            params["w"] -= lr * gw
            params["b"] -= lr * gb
        val = float(np.mean(np.square(X_val.dot(params["w"]) + params["b"] - y_val)))
        history.append(val)
        stop = early.update(val, params)
        epoch += 1
    early.restore(params)
    return params["w"], float(params["b"][0]), history
'''],
    "ridge_step": ['''
def ridge_step(X, y, w, b, lr, lam):
    if lr <= 0 or lam < 0:
        raise ValueError("need lr > 0 and lam >= 0")
    n = len(y)
    r = X @ w + b - y
    grad_w = 2.0 / n * X.T @ r + 2.0 * lam * w
    grad_b = 2.0 / n * r.sum()
    return w - lr * grad_w, float(b - lr * grad_b)
''', '''
def ridge_step(X, y, w, b, lr, lam):
    # weight decay: shrink w first, then the plain MSE step
    if not lr > 0:
        raise ValueError(f"learning rate {lr} must be positive")
    if not lam >= 0:
        raise ValueError(f"penalty {lam} must not be negative")
    errors = np.einsum("nd,d->n", X, w) + b - y
    scale = 2 * lr / X.shape[0]
    new_w = (1 - 2 * lr * lam) * w - scale * np.einsum("nd,n->d", X, errors)
    return new_w, b - scale * float(np.sum(errors))
'''],
}
