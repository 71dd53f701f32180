"""Chapter 1: honest answers in other styles than the reference."""

HONEST = {
    "predict_linear": ['''
def predict_linear(X, w, b):
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}")
    if X.shape[1] != np.shape(w)[0]:
        raise ValueError("w needs one row per feature (column) of X")
    return np.dot(X, w) + b
''', '''
def predict_linear(X, w, b):
    if w.ndim == 1:
        scores = np.einsum("nd,d->n", X, w)
    else:
        scores = np.einsum("nd,dc->nc", X, w)
    return scores + b
'''],
    "fit_line": ['''
def fit_line(x, y):
    if np.ptp(x) == 0:
        raise ValueError("all x are equal: the slope is undefined")
    n = len(x)
    sx, sy = x.sum(), y.sum()
    sxx, sxy = (x * x).sum(), (x * y).sum()
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    return float(slope), float((sy - slope * sx) / n)
''', '''
def fit_line(x, y):
    if np.all(x == x[0]):
        raise ValueError("fit_line needs two different x values")
    cov = np.cov(x, y, bias=True)
    a = cov[0, 1] / cov[0, 0]
    b = np.mean(y) - a * np.mean(x)
    return float(a), float(b)
'''],
    "fit_least_squares": ['''
def fit_least_squares(X, y):
    n = X.shape[0]
    design = np.concatenate([X, np.ones((n, 1))], axis=1)
    theta = np.linalg.solve(design.T @ design, design.T @ y)
    return theta[:-1], float(theta[-1])
''', '''
def fit_least_squares(X, y):
    x_mean = X.mean(axis=0)
    y_mean = y.mean()
    w, *_ = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)
    b = y_mean - x_mean @ w
    return w, float(b)
'''],
    "sigmoid": ['''
def sigmoid(z):
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out
''', '''
def sigmoid(z):
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)), and logaddexp never overflows
    return np.exp(-np.logaddexp(0, -z)).astype(z.dtype, copy=False)
'''],
    "softmax": ['''
def softmax(Z):
    P = np.empty_like(Z)
    for i, row in enumerate(Z):
        ex = np.exp(row - np.max(row))
        P[i] = ex / np.sum(ex)
    return P
''', '''
def softmax(Z):
    top = np.max(Z, axis=1, keepdims=True)
    log_norm = top + np.log(np.sum(np.exp(Z - top), axis=1, keepdims=True))
    return np.exp(Z - log_norm)
'''],
    "r_squared": ['''
def r_squared(y_pred, y):
    residual = y - y_pred
    centered = y - np.mean(y)
    ss_tot = centered @ centered
    if ss_tot == 0:
        raise ValueError("R^2 needs targets that are not all equal")
    return float(1 - (residual @ residual) / ss_tot)
''', '''
def r_squared(y_pred, y):
    if np.all(y == y[0]):
        raise ValueError("constant targets: R^2 is undefined")
    mean = sum(y) / len(y)
    top = bottom = 0.0
    for guess, target in zip(y_pred, y):
        top += (target - guess) ** 2
        bottom += (target - mean) ** 2
    return 1.0 - top / bottom
'''],
    "ridge_grad": ['''
def ridge_grad(X, y, w, b, lam):
    if not lam >= 0:
        raise ValueError(f"the penalty lam must be >= 0, got {lam}")
    n = X.shape[0]
    err = X @ w + b - y
    dw = 2.0 * X.T @ err / n + 2.0 * lam * w
    db = 2.0 * np.sum(err) / n
    return dw, float(db)
''', '''
def ridge_grad(X, y, w, b, lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")
    dw = np.zeros(len(w))
    db = 0.0
    for x_i, y_i in zip(X, y):
        r = float(np.dot(x_i, w) + b - y_i)
        dw += r * x_i
        db += r
    n = len(y)
    return 2 * dw / n + 2 * lam * np.asarray(w), 2 * db / n
'''],
    "fit_curve": ['''
def fit_curve(x_train, y_train, x_test):
    mu, sd = x_train.mean(), x_train.std()
    if sd == 0:
        raise ValueError("x_train is constant")
    coeffs = np.polyfit((x_train - mu) / sd, y_train, 6)
    return np.polyval(coeffs, (x_test - mu) / sd)
''', '''
def fit_curve(x_train, y_train, x_test):
    lo, hi = x_train.min(), x_train.max()
    if hi == lo:
        raise ValueError("every x_train is the same: no curve to fit")

    def design(x):
        t = 2 * (x - lo) / (hi - lo) - 1
        return np.vander(t, 8)

    coef, *_ = np.linalg.lstsq(design(x_train), y_train, rcond=None)
    return design(x_test) @ coef
'''],
}
