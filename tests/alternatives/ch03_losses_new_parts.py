"""Chapter 3, the derive and verify parts: correct answers written apart from the reference.

Each source is a complete definition, as a learner might write it, for the fairness lane:
graded over many seeds, none may lose a point.
"""

ASSIGNMENT = "ch03_losses"

ALTERNATIVES = {
    "huber_grad": [
        # The two pieces with np.where, the slope of the linear piece written as delta * sign.
        '''def huber_grad(y_pred, y, delta=1.0):
    if y_pred.shape != y.shape:
        raise ValueError("y_pred and y must have the same shape")
    if delta <= 0:
        raise ValueError("delta must be positive")
    u = y_pred - y
    n = u.size
    return np.where(np.abs(u) <= delta, u, delta * np.sign(u)) / n
''',
        # A loop over the flattened entries, in plain Python floats.
        '''def huber_grad(y_pred, y, delta=1.0):
    if y_pred.shape != y.shape or not delta > 0:
        raise ValueError("bad shapes or delta")
    flat_p, flat_y = y_pred.ravel(), y.ravel()
    out = np.empty_like(flat_p)
    for k in range(flat_p.size):
        u = float(flat_p[k]) - float(flat_y[k])
        if u > delta:
            g = delta
        elif u < -delta:
            g = -delta
        else:
            g = u
        out[k] = g / flat_p.size
    return out.reshape(y_pred.shape)
''',
        # Minimum and maximum instead of clip, computed in float64 and cast back.
        '''def huber_grad(y_pred, y, delta=1.0):
    if np.shape(y_pred) != np.shape(y):
        raise ValueError(f"shapes {np.shape(y_pred)} and {np.shape(y)} differ")
    if delta <= 0:
        raise ValueError(f"delta must be > 0, got {delta}")
    u = y_pred.astype(np.float64) - y.astype(np.float64)
    g = np.maximum(np.minimum(u, delta), -delta) / np.prod(y.shape)
    return g.astype(y_pred.dtype)
''',
    ],
    "log_cosh_grad": [
        # tanh written through a stable exponential of a non-positive number.
        '''def log_cosh_grad(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError("y_pred and y must have the same shape")
    u = y_pred - y
    e = np.exp(-2.0 * np.abs(u))
    return np.sign(u) * (1.0 - e) / (1.0 + e) / u.size
''',
        # The given code with its three bugs fixed one by one.
        '''def log_cosh_grad(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError(f"y_pred and y must have the same shape; got {y_pred.shape} and {y.shape}")
    u = y_pred - y
    return np.tanh(u) / np.size(y)
''',
        # An explicit loop with math.tanh.
        '''import math


def log_cosh_grad(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    grad = np.zeros_like(y_pred)
    n = y_pred.size
    for index in np.ndindex(y_pred.shape):
        grad[index] = math.tanh(float(y_pred[index]) - float(y[index])) / n
    return grad
''',
    ],
}
