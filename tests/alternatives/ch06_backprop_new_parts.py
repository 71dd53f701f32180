"""Chapter 6's derive and experiment parts: correct solutions written differently."""

ASSIGNMENT = "ch06_backprop"

ALTERNATIVES = {
    "softplus_backward": [
        # e^x / (1 + e^x) on the negative side, 1 / (1 + e^-x) on the positive side
        """\
def softplus_backward(dout, cache):
    x = cache
    slope = np.empty_like(x)
    neg = x < 0
    e = np.exp(x[neg])
    slope[neg] = e / (1 + e)
    slope[~neg] = 1 / (1 + np.exp(-x[~neg]))
    return dout * slope
""",
        # the sigmoid through tanh: (1 + tanh(x / 2)) / 2, which never overflows
        """\
def softplus_backward(dout, cache):
    return dout * (0.5 + 0.5 * np.tanh(cache / 2))
""",
        # e^(x - softplus(x)), with softplus from logaddexp
        """\
def softplus_backward(dout, cache):
    return dout * np.exp(cache - np.logaddexp(0, cache))
""",
    ],
    "train_classifier": [
        # a wider layer, a smaller rate, more epochs, small batches
        """\
def train_classifier(X, y, X_test, rng):
    d, c, h = X.shape[1], int(np.max(y)) + 1, 96
    params = {"W1": rng.standard_normal((d, h)) * np.sqrt(2.0 / d), "b1": np.zeros(h),
              "W2": rng.standard_normal((h, c)) * np.sqrt(2.0 / h), "b2": np.zeros(c)}
    for epoch in range(50):
        order = rng.permutation(len(y))
        for start in range(0, len(y), 25):
            rows = order[start:start + 25]
            _, params = train_step(params, X[rows], y[rows], 0.2)
    scores = np.maximum(X_test @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"]
    return scores.argmax(axis=1)
""",
        # He-style uniform weights (the variance 2 / fan_in), the network's own layer calls
        """\
def train_classifier(X, y, X_test, rng):
    n, d = X.shape
    classes, width = int(y.max()) + 1, 64
    a1, a2 = np.sqrt(6 / d), np.sqrt(6 / width)
    params = dict(W1=rng.uniform(-a1, a1, (d, width)), b1=np.zeros(width),
                  W2=rng.uniform(-a2, a2, (width, classes)), b2=np.zeros(classes))
    for _ in range(60):
        for batch in np.array_split(rng.permutation(n), n // 32):
            params = train_step(params, X[batch], y[batch], 0.3)[1]
    z1, _ = dense_forward(X_test, params["W1"], params["b1"])
    a1_out, _ = relu_forward(z1)
    z2, _ = dense_forward(a1_out, params["W2"], params["b2"])
    return np.argmax(z2, axis=1)
""",
        # a learning rate that decays over the epochs
        """\
def train_classifier(X, y, X_test, rng):
    hidden = 64
    p = {"W1": rng.normal(0.0, np.sqrt(2 / X.shape[1]), size=(X.shape[1], hidden)),
         "b1": np.zeros(hidden),
         "W2": rng.normal(0.0, np.sqrt(2 / hidden), size=(hidden, y.max() + 1)),
         "b2": np.zeros(y.max() + 1)}
    epochs = 70
    for epoch in range(epochs):
        lr = 0.5 * (1 - epoch / epochs) + 0.05
        perm = rng.permutation(len(y))
        for k in range(0, len(y) - 31, 32):
            idx = perm[k:k + 32]
            loss, p = train_step(p, X[idx], y[idx], lr)
    hid = np.maximum(0, X_test @ p["W1"] + p["b1"])
    return np.array([int(np.argmax(row)) for row in hid @ p["W2"] + p["b2"]])
""",
    ],
}
