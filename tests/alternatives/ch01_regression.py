"""Chapter 1, regression: correct solutions written differently from the reference."""

ASSIGNMENT = "ch01_regression"

_SAME_SHAPE = """\
    if np.shape(y_pred) != np.shape(y):
        raise ValueError("shapes differ")
"""

ALTERNATIVES = {
    "predict_linear": [
        # einsum, one formula for w of shape (D,) and (D, C)
        """\
def predict_linear(X, w, b):
    return np.einsum("nd,d...->n...", X, w) + b
""",
        # float64 accumulation on any input, cast back to the inputs' dtype
        """\
def predict_linear(X, w, b):
    dtype = np.result_type(X, w, b)
    exact = np.asarray(X, np.float64) @ np.asarray(w, np.float64) + np.asarray(b, np.float64)
    return exact.astype(dtype)
""",
        # loops over the features, accumulating in the inputs' dtype
        """\
def predict_linear(X, w, b):
    out = np.zeros((X.shape[0],) + np.shape(w)[1:], dtype=np.result_type(X, w))
    for j in range(X.shape[1]):
        out = out + X[:, j:j + 1].reshape((-1,) + (1,) * (np.ndim(w) - 1)) * w[j]
    return out + b
""",
    ],
    "mse": [
        """\
def mse(y_pred, y):
""" + _SAME_SHAPE + """\
    d = np.ravel(y_pred - y)
    return float(d @ d) / d.size
""",
        """\
import math


def mse(y_pred, y):
""" + _SAME_SHAPE + """\
    errors = np.ravel(y_pred - y).tolist()
    return math.fsum(e * e for e in errors) / len(errors)
""",
        """\
def mse(y_pred, y):
""" + _SAME_SHAPE + """\
    return float(np.square(np.subtract(y_pred, y, dtype=np.float64)).sum() / np.size(y))
""",
    ],
    "mse_grad": [
        """\
def mse_grad(y_pred, y):
""" + _SAME_SHAPE + """\
    return (y_pred - y) * (2.0 / y_pred.size)
""",
        """\
def mse_grad(y_pred, y):
""" + _SAME_SHAPE + """\
    n = int(np.prod(y.shape))
    return (y_pred - y + (y_pred - y)) / n
""",
        """\
def mse_grad(y_pred, y):
""" + _SAME_SHAPE + """\
    return np.multiply(2, np.subtract(y_pred, y)) / len(np.ravel(y))
""",
    ],
    "fit_line": [
        # the book's centred formula, with explicit sums
        """\
def fit_line(x, y):
    x_bar, y_bar = np.mean(x), np.mean(y)
    sxx = np.sum((x - x_bar) ** 2)
    if sxx == 0:
        raise ValueError("x is constant")
    a = np.sum((x - x_bar) * (y - y_bar)) / sxx
    return float(a), float(y_bar - a * x_bar)
""",
        # covariance over variance
        """\
def fit_line(x, y):
    if np.ptp(x) == 0:
        raise ValueError("x is constant")
    c = np.cov(x, y, bias=True)
    a = c[0, 1] / c[0, 0]
    return float(a), float(np.mean(y) - a * np.mean(x))
""",
        # least squares on the columns (x, 1)
        """\
def fit_line(x, y):
    if np.all(x == x[0]):
        raise ValueError("x is constant")
    (a, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    return float(a), float(b)
""",
    ],
    "fit_least_squares": [
        # intercept first, the singular value decomposition (rank-deficient X too)
        """\
def fit_least_squares(X, y):
    A = np.column_stack([np.ones(len(X)), X])
    u, s, vt = np.linalg.svd(A, full_matrices=False)
    keep = s > s[0] * max(A.shape) * np.finfo(float).eps
    coef = vt[keep].T @ ((u[:, keep].T @ y) / s[keep])
    return coef[1:], float(coef[0])
""",
        # centred data, then the intercept from the means
        """\
def fit_least_squares(X, y):
    x_bar, y_bar = X.mean(axis=0), y.mean()
    w = np.linalg.lstsq(X - x_bar, y - y_bar, rcond=None)[0]
    return w, float(y_bar - x_bar @ w)
""",
        # the pseudo-inverse
        """\
def fit_least_squares(X, y):
    A = np.concatenate([X, np.ones((X.shape[0], 1))], axis=1)
    coef = np.linalg.pinv(A) @ y
    return coef[:-1], float(coef[-1])
""",
    ],
    "sigmoid": [
        """\
def sigmoid(z):
    return (0.5 * (1 + np.tanh(z / 2))).astype(z.dtype)
""",
        """\
def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z)).astype(z.dtype)
""",
        """\
def sigmoid(z):
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1 + e)
    return out
""",
    ],
    "softmax": [
        # log-sum-exp
        """\
def softmax(Z):
    m = Z.max(axis=1, keepdims=True)
    log_total = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return np.exp(Z - log_total)
""",
        # row by row
        """\
def softmax(Z):
    P = np.empty_like(Z)
    for i, row in enumerate(Z):
        e = np.exp(row - np.max(row))
        P[i] = e / np.sum(e)
    return P
""",
        # float64 accumulation, cast back
        """\
def softmax(Z):
    z = Z.astype(np.float64)
    e = np.exp(z - z.max(axis=1)[:, None])
    return (e / e.sum(axis=1)[:, None]).astype(Z.dtype)
""",
    ],
    "predict_logistic": [
        """\
def predict_logistic(X, w, b):
    if np.ndim(w) == 2:
        return softmax(predict_linear(X, w, b))
    return sigmoid(predict_linear(X, w, b))
""",
        """\
def predict_logistic(X, w, b):
    scores = predict_linear(X, w, b)
    return softmax(scores) if scores.ndim == 2 else sigmoid(scores)
""",
        """\
def predict_logistic(X, w, b):
    link = {1: sigmoid, 2: softmax}[len(np.shape(w))]
    return link(predict_linear(X, w, b))
""",
    ],
    "r_squared": [
        """\
def r_squared(y_pred, y):
    variance = np.var(y)
    if variance == 0:
        raise ValueError("y is constant")
    return float(1 - np.mean((y - y_pred) ** 2) / variance)
""",
        """\
import math


def r_squared(y_pred, y):
    mean = math.fsum(y) / len(y)
    total = math.fsum((t - mean) ** 2 for t in y)
    if total == 0:
        raise ValueError("y is constant")
    return 1 - math.fsum((t - p) ** 2 for t, p in zip(y, y_pred)) / total
""",
        """\
def r_squared(y_pred, y):
    centred, residual = y - y.mean(), y - y_pred
    total = centred @ centred
    if total == 0:
        raise ValueError("y is constant")
    return float(1 - (residual @ residual) / total)
""",
    ],
}
