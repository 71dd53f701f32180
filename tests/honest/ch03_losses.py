"""Chapter 3: honest answers in other styles than the reference."""

HONEST = {
    "binary_cross_entropy": ['''
def binary_cross_entropy(p, y):
    if np.shape(p) != np.shape(y):
        raise ValueError("shapes differ: p %s, y %s" % (p.shape, y.shape))
    if p.min() < 0 or p.max() > 1:
        raise ValueError("p holds values outside [0, 1]")
    eps = max(1e-12, np.finfo(p.dtype).eps)
    q = np.minimum(np.maximum(p, eps), 1 - eps)
    losses = -(y * np.log(q) + (1 - y) * np.log1p(-q))
    return float(losses.sum() / losses.size)
''', '''
def binary_cross_entropy(p, y):
    import math
    if p.shape != y.shape:
        raise ValueError(f"p {p.shape} and y {y.shape} differ in shape")
    eps = max(1e-12, float(np.finfo(p.dtype).eps))
    total = 0.0
    for p_i, y_i in zip(p.ravel(), y.ravel()):
        if not 0 <= p_i <= 1:
            raise ValueError(f"probability {p_i} is outside [0, 1]")
        q_i = min(max(float(p_i), eps), 1 - eps)
        total -= y_i * math.log(q_i) + (1 - y_i) * math.log(1 - q_i)
    return total / p.size
'''],
    "binary_cross_entropy_grad": ['''
def binary_cross_entropy_grad(p, y):
    if p.shape != y.shape:
        raise ValueError("p and y need the same shape")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be probabilities")
    tiny = max(1e-12, np.finfo(p.dtype).eps)
    q = np.clip(p, tiny, 1 - tiny)
    return ((-y / q + (1 - y) / (1 - q)) / p.size).astype(p.dtype)
''', '''
def binary_cross_entropy_grad(p, y):
    if y.shape != p.shape:
        raise ValueError(f"shape mismatch: {p.shape} vs {y.shape}")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("values of p must lie in [0, 1]")
    eps = max(1e-12, float(np.finfo(p.dtype).eps))
    q = np.clip(p, eps, 1.0 - eps)
    grad = np.empty_like(q)
    for idx in np.ndindex(q.shape):
        grad[idx] = (q[idx] - y[idx]) / (q[idx] * (1.0 - q[idx]))
    return grad / q.size
'''],
    "hinge": ['''
def hinge(scores, y):
    if scores.shape != y.shape:
        raise ValueError("scores and y must match in shape")
    if np.any(np.abs(y) != 1):
        raise ValueError("labels must be -1 or +1")
    margins = 1.0 - y * scores
    margins[margins < 0] = 0.0
    return float(margins.mean())
''', '''
def hinge(scores, y):
    if np.shape(scores) != np.shape(y):
        raise ValueError(f"got scores of shape {np.shape(scores)} but y of shape {np.shape(y)}")
    if not set(np.unique(y)) <= {-1, 1}:
        raise ValueError("hinge needs labels in {-1, +1}")
    return float(np.sum(np.clip(1 - y * scores, 0, None)) / y.size)
'''],
    "hinge_grad": ['''
def hinge_grad(scores, y):
    if scores.shape != y.shape:
        raise ValueError("scores and y must match in shape")
    if np.any(np.abs(y) != 1):
        raise ValueError("labels must be -1 or +1")
    active = (y * scores < 1).astype(scores.dtype)
    return (-active * y / y.size).astype(scores.dtype)
''', '''
def hinge_grad(scores, y):
    if np.shape(scores) != np.shape(y):
        raise ValueError("shape mismatch between scores and y")
    if not set(np.unique(y)) <= {-1, 1}:
        raise ValueError("hinge needs labels in {-1, +1}")
    grad = np.zeros_like(scores)
    inside = y * scores < 1
    grad[inside] = -y[inside] / scores.size
    return grad
'''],
    "huber_grad": ['''
def huber_grad(y_pred, y, delta=1.0):
    if y_pred.shape != y.shape:
        raise ValueError("y_pred and y must have one shape")
    if delta <= 0:
        raise ValueError("delta must be positive")
    r = y_pred - y
    g = np.where(np.abs(r) <= delta, r, delta * np.sign(r))
    return (g / r.size).astype(y_pred.dtype)
''', '''
def huber_grad(y_pred, y, delta=1.0):
    import math
    if np.shape(y_pred) != np.shape(y):
        raise ValueError(f"{np.shape(y_pred)} != {np.shape(y)}")
    if not delta > 0:
        raise ValueError(f"delta = {delta}, expected > 0")
    out = np.empty_like(y_pred)
    for i, (guess, target) in enumerate(zip(y_pred.flat, y.flat)):
        d = guess - target
        out.flat[i] = d if abs(d) <= delta else math.copysign(delta, d)
    return out / out.size
'''],
}
