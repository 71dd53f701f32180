"""Chapter 6, backpropagation: correct solutions written differently from the reference."""

ASSIGNMENT = "ch06_backprop"

_ROWS_CHECK = """\
    if w.shape[0] != x.shape[1]:
        raise ValueError("w must have one row per column of x")
"""

ALTERNATIVES = {
    "dense_forward": [
        "def dense_forward(x, w, b):\n" + _ROWS_CHECK + """\
    return np.einsum("nd,dm->nm", x, w) + b, (x, w)
""",
        # loops over the inputs' features, accumulating in the inputs' dtype
        "def dense_forward(x, w, b):\n" + _ROWS_CHECK + """\
    out = np.zeros((x.shape[0], w.shape[1]), dtype=np.result_type(x, w))
    for k in range(x.shape[1]):
        out += np.outer(x[:, k], w[k])
    return out + b, (x, w)
""",
        # float64 accumulation, cast back to the inputs' dtype
        "def dense_forward(x, w, b):\n" + _ROWS_CHECK + """\
    exact = x.astype(np.float64) @ w.astype(np.float64) + b.astype(np.float64)
    return exact.astype(np.result_type(x, w, b)), (x, w)
""",
    ],
    "dense_backward": [
        """\
def dense_backward(dout, cache):
    x, w = cache
    dx = np.einsum("nm,dm->nd", dout, w)
    dw = np.einsum("nd,nm->dm", x, dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db
""",
        # a sum of per-sample outer products
        """\
def dense_backward(dout, cache):
    x, w = cache
    dw = np.zeros(w.shape, dtype=np.result_type(x, dout))
    db = np.zeros(w.shape[1], dtype=dout.dtype)
    for x_i, g_i in zip(x, dout):
        dw += np.outer(x_i, g_i)
        db += g_i
    return dout @ w.T, dw, db
""",
        # float64 accumulation, cast back
        """\
def dense_backward(dout, cache):
    x, w = cache
    g, x64, w64 = dout.astype(np.float64), x.astype(np.float64), w.astype(np.float64)
    dtype = np.result_type(dout, x, w)
    return ((g @ w64.T).astype(dtype), (x64.T @ g).astype(dtype),
            g.sum(axis=0).astype(dtype))
""",
    ],
    "relu_forward": [
        """\
def relu_forward(x):
    return np.where(x > 0, x, 0).astype(x.dtype), x
""",
        """\
def relu_forward(x):
    out = x.copy()
    out[out < 0] = 0
    return out, x
""",
        """\
def relu_forward(x):
    return x * (x > 0), x
""",
    ],
    "relu_backward": [
        """\
def relu_backward(dout, cache):
    return np.where(cache > 0, dout, 0).astype(dout.dtype)
""",
        """\
def relu_backward(dout, cache):
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx
""",
        """\
def relu_backward(dout, cache):
    return dout * np.heaviside(cache, 0).astype(dout.dtype)
""",
    ],
    "softmax_cross_entropy": [
        # log-softmax and a one-hot matrix
        """\
def softmax_cross_entropy(logits, labels):
    n, c = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    one_hot = np.eye(c, dtype=logits.dtype)[labels]
    loss = -float(np.sum(one_hot * log_p)) / n
    return loss, (np.exp(log_p) - one_hot) / n
""",
        # row by row
        """\
def softmax_cross_entropy(logits, labels):
    n = len(labels)
    grad = np.empty_like(logits)
    total = 0.0
    for i in range(n):
        row = logits[i] - logits[i].max()
        e = np.exp(row)
        s = e.sum()
        total += float(np.log(s) - row[labels[i]])
        grad[i] = e / s
        grad[i, labels[i]] -= 1
    return total / n, grad / n
""",
        # float64 accumulation, the gradient cast back
        """\
def softmax_cross_entropy(logits, labels):
    z = logits.astype(np.float64)
    m = z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    rows = np.arange(len(labels))
    loss = float(np.mean(lse[:, 0] - z[rows, labels]))
    p = np.exp(z - lse)
    p[rows, labels] -= 1.0
    return loss, (p / len(labels)).astype(logits.dtype)
""",
    ],
    "two_layer_loss": [
        """\
def two_layer_loss(params, X, y):
    h, cache_h = dense_forward(X, params["W1"], params["b1"])
    r, cache_r = relu_forward(h)
    scores, cache_s = dense_forward(r, params["W2"], params["b2"])
    loss, dscores = softmax_cross_entropy(scores, y)
    dr, dW2, db2 = dense_backward(dscores, cache_s)
    dW1, db1 = dense_backward(relu_backward(dr, cache_r), cache_h)[1:]
    return loss, {"W2": dW2, "b2": db2, "W1": dW1, "b1": db1}
""",
        # the forward caches kept in a list, the backward pass in reverse
        """\
def two_layer_loss(params, X, y):
    caches = []
    out = X
    for layer in (1, 2):
        out, cache = dense_forward(out, params[f"W{layer}"], params[f"b{layer}"])
        caches.append(cache)
        if layer == 1:
            out, relu_cache = relu_forward(out)
    loss, d = softmax_cross_entropy(out, y)
    grads = {}
    d, grads["W2"], grads["b2"] = dense_backward(d, caches[1])
    d = relu_backward(d, relu_cache)
    _, grads["W1"], grads["b1"] = dense_backward(d, caches[0])
    return loss, grads
""",
        """\
def two_layer_loss(params, X, y):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    z1, c1 = dense_forward(X, W1, b1)
    a1, c_relu = relu_forward(z1)
    z2, c2 = dense_forward(a1, W2, b2)
    loss, dz2 = softmax_cross_entropy(z2, y)
    grads = dict(zip(("a1", "W2", "b2"), dense_backward(dz2, c2)))
    dz1 = relu_backward(grads.pop("a1"), c_relu)
    grads.update(zip(("X", "W1", "b1"), dense_backward(dz1, c1)))
    del grads["X"]
    return loss, grads
""",
    ],
    "train_step": [
        """\
def train_step(params, X, y, lr):
    loss, grads = two_layer_loss(params, X, y)
    new_params = {}
    for name, value in params.items():
        new_params[name] = value - lr * grads[name]
    return loss, new_params
""",
        """\
def train_step(params, X, y, lr):
    loss, grads = two_layer_loss(params, X, y)
    new_params = {name: value.copy() for name, value in params.items()}
    for name in new_params:
        new_params[name] -= lr * grads[name]
    return loss, new_params
""",
        """\
def train_step(params, X, y, lr):
    loss, grads = two_layer_loss(params, X, y)
    return loss, {k: np.subtract(params[k], np.multiply(lr, grads[k])) for k in params}
""",
    ],
}
