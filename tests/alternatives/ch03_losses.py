"""Chapter 3, loss functions: correct solutions written differently from the reference."""

ASSIGNMENT = "ch03_losses"

_SHAPES = """\
    if np.shape({a}) != np.shape(y):
        raise ValueError("shapes differ")
"""
_PROBABILITIES = _SHAPES.format(a="p") + """\
    if p.min() < 0 or p.max() > 1:
        raise ValueError("p must lie in [0, 1]")
"""
_LABELS = """\
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be 1-D integers")
    if labels.shape[0] != logits.shape[0]:
        raise ValueError("one label per row")
    if labels.min() < 0 or labels.max() >= logits.shape[1]:
        raise ValueError("label out of range")
"""
_SIGNS = _SHAPES.format(a="scores") + """\
    if not set(np.unique(y).tolist()) <= {-1.0, 1.0}:
        raise ValueError("labels must be -1 or +1")
"""

ALTERNATIVES = {
    "mse": [
        "def mse(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    d = (y_pred - y).ravel()
    return float(np.dot(d, d) / d.size)
""",
        "import math\n\n\ndef mse(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    errors = (y_pred - y).ravel().tolist()
    return math.fsum(e * e for e in errors) / len(errors)
""",
        "def mse(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    return float(np.mean(np.square(y_pred.astype(np.float64) - y.astype(np.float64))))
""",
    ],
    "mse_grad": [
        "def mse_grad(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    return (y_pred - y) * (2.0 / y_pred.size)
""",
        "def mse_grad(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    n = int(np.prod(y.shape))
    d = y_pred - y
    return (d + d) / n
""",
        "def mse_grad(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    return np.subtract(y_pred, y) / (0.5 * y.size)
""",
    ],
    "mae": [
        "def mae(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    return float(np.sum(np.abs(y_pred - y)) / y.size)
""",
        "import math\n\n\ndef mae(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    errors = (y_pred - y).ravel().tolist()
    return math.fsum(abs(e) for e in errors) / len(errors)
""",
        "def mae(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    d = (y_pred - y).ravel()
    return float(np.where(d < 0, -d, d).mean())
""",
    ],
    "mae_grad": [
        "def mae_grad(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    g = np.zeros_like(y_pred)
    g[y_pred > y] = 1.0 / y.size
    g[y_pred < y] = -1.0 / y.size
    return g
""",
        "def mae_grad(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    signs = (y_pred > y).astype(y_pred.dtype) - (y_pred < y).astype(y_pred.dtype)
    return signs / y.size
""",
        "def mae_grad(y_pred, y):\n" + _SHAPES.format(a="y_pred") + """\
    return np.where(y_pred == y, 0.0, np.copysign(1.0, y_pred - y)).astype(y_pred.dtype) / y.size
""",
    ],
    "binary_cross_entropy": [
        "def binary_cross_entropy(p, y):\n" + _PROBABILITIES + """\
    eps = max(1e-12, np.finfo(p.dtype).eps)
    q = np.minimum(np.maximum(p, eps), 1 - eps)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log1p(-q)))
""",
        "import math\n\n\ndef binary_cross_entropy(p, y):\n" + _PROBABILITIES + """\
    eps = max(1e-12, float(np.finfo(p.dtype).eps))
    q = np.clip(p, eps, 1 - eps).astype(np.float64).ravel()
    t = y.astype(np.float64).ravel()
    return -math.fsum(t * np.log(q) + (1 - t) * np.log1p(-q)) / q.size
""",
        "def binary_cross_entropy(p, y):\n" + _PROBABILITIES + """\
    eps = max(1e-12, float(np.finfo(p.dtype).eps))
    q = np.clip(p, eps, 1 - eps)
    return float(np.mean(-y * np.log(q) - (1 - y) * np.log(1 - q)))
""",
    ],
    "binary_cross_entropy_grad": [
        "def binary_cross_entropy_grad(p, y):\n" + _PROBABILITIES + """\
    eps = max(1e-12, float(np.finfo(p.dtype).eps))
    q = np.clip(p, eps, 1 - eps)
    return (-(y / q) + (1 - y) / (1 - q)) / y.size
""",
        "def binary_cross_entropy_grad(p, y):\n" + _PROBABILITIES + """\
    eps = max(1e-12, float(np.finfo(p.dtype).eps))
    q = np.clip(p.astype(np.float64), eps, 1 - eps)
    return ((q - y) / (q * (1 - q)) / y.size).astype(p.dtype)
""",
        "def binary_cross_entropy_grad(p, y):\n" + _PROBABILITIES + """\
    eps = max(1e-12, float(np.finfo(p.dtype).eps))
    q = np.minimum(np.maximum(p, eps), 1 - eps)
    return (q - y) / q / (1 - q) / y.size
""",
    ],
    "softmax_cross_entropy": [
        # log-sum-exp, row by row
        "def softmax_cross_entropy(logits, labels):\n" + _LABELS + """\
    total = 0.0
    for row, label in zip(logits, labels):
        m = row.max()
        total += m + np.log(np.sum(np.exp(row - m))) - row[label]
    return float(total / len(labels))
""",
        # log-softmax and a one-hot mask
        "def softmax_cross_entropy(logits, labels):\n" + _LABELS + """\
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    one_hot = np.eye(logits.shape[1])[labels]
    return float(-(one_hot * log_p).sum() / logits.shape[0])
""",
        # float64 accumulation, take_along_axis
        "def softmax_cross_entropy(logits, labels):\n" + _LABELS + """\
    z = logits.astype(np.float64)
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    picked = np.take_along_axis(z, labels[:, None], axis=1)[:, 0]
    return float(np.mean(lse - picked))
""",
    ],
    "softmax_cross_entropy_grad": [
        "def softmax_cross_entropy_grad(logits, labels):\n" + _LABELS + """\
    n, c = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return (p - np.eye(c, dtype=logits.dtype)[labels]) / n
""",
        "def softmax_cross_entropy_grad(logits, labels):\n" + _LABELS + """\
    grad = np.empty_like(logits)
    for i, row in enumerate(logits):
        e = np.exp(row - row.max())
        grad[i] = e / e.sum()
        grad[i, labels[i]] -= 1
    return grad / len(labels)
""",
        "def softmax_cross_entropy_grad(logits, labels):\n" + _LABELS + """\
    z = logits.astype(np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    one_hot = np.zeros_like(z)
    one_hot[np.arange(len(labels)), labels] = 1
    return ((np.exp(log_p) - one_hot) / len(labels)).astype(logits.dtype)
""",
    ],
    "hinge": [
        "def hinge(scores, y):\n" + _SIGNS + """\
    margins = 1 - y * scores
    return float(np.sum(margins[margins > 0]) / y.size)
""",
        "import math\n\n\ndef hinge(scores, y):\n" + _SIGNS + """\
    terms = [max(0.0, 1.0 - t * s) for t, s in zip(y.ravel().tolist(), scores.ravel().tolist())]
    return math.fsum(terms) / len(terms)
""",
        "def hinge(scores, y):\n" + _SIGNS + """\
    return float(np.mean(np.clip(1 - y * scores, 0, None)))
""",
    ],
    "hinge_grad": [
        "def hinge_grad(scores, y):\n" + _SIGNS + """\
    g = np.zeros_like(scores)
    active = y * scores < 1
    g[active] = -y[active] / y.size
    return g
""",
        "def hinge_grad(scores, y):\n" + _SIGNS + """\
    return -y * (1 - y * scores > 0) / y.size
""",
        "def hinge_grad(scores, y):\n" + _SIGNS + """\
    n = y.size
    return np.where(y * scores >= 1, 0.0, -y / n)
""",
    ],
}
