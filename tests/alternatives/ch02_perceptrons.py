"""Chapter 2, perceptrons: correct solutions written differently from the reference."""

ASSIGNMENT = "ch02_perceptrons"

ALTERNATIVES = {
    "step": [
        """\
def step(z):
    z = np.asarray(z)
    return np.where(z >= 0, 1, 0).astype(z.dtype)
""",
        """\
def step(z):
    z = np.asarray(z)
    return np.heaviside(z, 1).astype(z.dtype)
""",
        """\
def step(z):
    z = np.asarray(z)
    out = np.zeros_like(z)
    out[z >= 0] = 1
    return out
""",
    ],
    "perceptron_predict": [
        """\
def perceptron_predict(X, w, b):
    return np.heaviside(np.einsum("nd,d->n", X, w) + b, 1.0).astype(float)
""",
        """\
def perceptron_predict(X, w, b):
    return np.array([1.0 if float(np.dot(x, w)) + b >= 0 else 0.0 for x in X])
""",
        """\
def perceptron_predict(X, w, b):
    scores = X @ w + b
    return np.where(scores >= 0, 1.0, 0.0)
""",
    ],
    "perceptron_update": [
        """\
def perceptron_update(w, b, x, y, lr):
    prediction = 1.0 if np.dot(w, x) + b >= 0 else 0.0
    error = y - prediction
    return w + lr * error * x, float(b + lr * error)
""",
        # no arithmetic when the prediction is right; a move towards or away from x otherwise
        """\
def perceptron_update(w, b, x, y, lr):
    predicted = float(x @ w) + b >= 0
    if predicted == (y == 1.0):
        return w.copy(), float(b)
    sign = 1.0 if y == 1.0 else -1.0
    return w + sign * lr * x, float(b + sign * lr)
""",
        # component by component
        """\
def perceptron_update(w, b, x, y, lr):
    score = b
    for wi, xi in zip(w, x):
        score += wi * xi
    error = y - (score >= 0)
    new_w = np.array([wi + lr * error * xi for wi, xi in zip(w, x)])
    return new_w, float(b + lr * error)
""",
    ],
    "perceptron_fit": [
        """\
def perceptron_fit(X, y, lr, epochs, rng):
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    history = []
    epoch = 0
    while epoch < epochs:
        epoch += 1
        count = 0
        for i in rng.permutation(n):
            prediction = 1.0 if X[i] @ w + b >= 0 else 0.0
            if prediction != y[i]:
                step = lr * (y[i] - prediction)
                w = w + step * X[i]
                b = b + step
                count += 1
        history.append(count)
        if count == 0:
            break
    return w, float(b), history
""",
        # with a helper for one example
        """\
def _learn(w, b, x, target, lr):
    error = target - float(np.dot(x, w) + b >= 0)
    return w + lr * error * x, b + lr * error, error != 0


def perceptron_fit(X, y, lr, epochs, rng):
    w, b = np.zeros(X.shape[1]), 0.0
    errors = []
    for _ in range(epochs):
        wrong = 0
        for i in rng.permutation(len(X)):
            w, b, missed = _learn(w, b, X[i], y[i], lr)
            wrong += int(missed)
        errors.append(wrong)
        if not wrong:
            break
    return w, float(b), errors
""",
        # the augmented vector theta = (w, b) and inputs (x, 1)
        """\
def perceptron_fit(X, y, lr, epochs, rng):
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    theta = np.zeros(A.shape[1])
    errors = []
    for _ in range(epochs):
        mistakes = 0
        for i in rng.permutation(A.shape[0]):
            error = y[i] - (1.0 if A[i] @ theta >= 0 else 0.0)
            if error:
                theta = theta + lr * error * A[i]
                mistakes += 1
        errors.append(mistakes)
        if mistakes == 0:
            break
    return theta[:-1], float(theta[-1]), errors
""",
    ],
    "two_layer_forward": [
        """\
def two_layer_forward(X, W1, b1, W2, b2, activation):
    if activation == "step":
        f = lambda z: np.where(z >= 0, 1.0, 0.0).astype(z.dtype)
    elif activation == "sigmoid":
        f = lambda z: np.exp(-np.logaddexp(0.0, -z))
    elif activation == "identity":
        f = lambda z: z
    else:
        raise ValueError(f"unknown activation {activation!r}")
    return f(f(X @ W1 + b1) @ W2 + b2)
""",
        # a loop over the layers
        """\
def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def two_layer_forward(X, W1, b1, W2, b2, activation):
    functions = {"step": lambda z: (z >= 0).astype(z.dtype), "sigmoid": _sigmoid,
                 "identity": lambda z: z}
    if activation not in functions:
        raise ValueError(f"activation must be one of {sorted(functions)}")
    out = X
    for W, b in ((W1, b1), (W2, b2)):
        out = functions[activation](out @ W + b)
    return out
""",
        # einsum, sigmoid through tanh
        """\
def two_layer_forward(X, W1, b1, W2, b2, activation):
    def f(z):
        if activation == "step":
            return np.heaviside(z, 1.0)
        if activation == "sigmoid":
            return 0.5 + 0.5 * np.tanh(z / 2)
        if activation == "identity":
            return z
        raise ValueError(f"unknown activation {activation!r}")
    hidden = f(np.einsum("nd,dh->nh", X, W1) + b1)
    return f(np.einsum("nh,hm->nm", hidden, W2) + b2)
""",
    ],
    "mistake_bound": [
        # the notebook's order: normalise (w, b) first, then take the margin
        """\
def mistake_bound(X, y, w, b):
    theta = np.append(w, b)
    length = np.linalg.norm(theta)
    if length == 0:
        raise ValueError("w and b are all zero")
    u = theta / length
    A = np.column_stack([X, np.ones(len(X))])
    gamma = np.min((2 * y - 1) * (A @ u))
    if gamma <= 0:
        raise ValueError("(w, b) does not separate the data")
    R = np.sqrt(np.max(np.sum(A * A, axis=1)))
    return float((R / gamma) ** 2)
""",
        # loops over the examples
        """\
import math


def mistake_bound(X, y, w, b):
    length = math.sqrt(float(np.dot(w, w)) + b * b)
    if length == 0:
        raise ValueError("w and b are all zero")
    margins, radii = [], []
    for x, label in zip(X, y):
        sign = 1.0 if label == 1 else -1.0
        margins.append(sign * (float(np.dot(w, x)) + b))
        radii.append(math.sqrt(float(np.dot(x, x)) + 1.0))
    gamma = min(margins) / length
    if gamma <= 0:
        raise ValueError("(w, b) does not separate the data")
    return (max(radii) / gamma) ** 2
""",
        # R^2 |theta|^2 / min margin^2, without dividing first
        """\
def mistake_bound(X, y, w, b):
    theta = np.concatenate([w, [b]])
    if not np.any(theta):
        raise ValueError("w and b are all zero")
    A = np.concatenate([X, np.ones((X.shape[0], 1))], axis=1)
    margin = np.min(np.where(y == 1, 1.0, -1.0) * np.einsum("nd,d->n", A, theta))
    if margin <= 0:
        raise ValueError("(w, b) does not separate the data")
    R2 = np.max(np.einsum("nd,nd->n", A, A))
    return float(R2 * (theta @ theta) / margin ** 2)
""",
    ],
}
