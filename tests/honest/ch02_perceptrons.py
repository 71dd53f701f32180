"""Chapter 2: honest answers in other styles than the reference."""

HONEST = {
    "perceptron_predict": ['''
def perceptron_predict(X, w, b):
    return np.where(X @ w + b >= 0, 1.0, 0.0)
''', '''
def perceptron_predict(X, w, b):
    preds = np.zeros(len(X))
    for i in range(len(X)):
        if np.dot(X[i], w) + b >= 0:
            preds[i] = 1.0
    return preds
'''],
    "perceptron_update": ['''
def perceptron_update(w, b, x, y, lr):
    predicted = 1.0 if np.dot(w, x) + b >= 0 else 0.0
    if predicted == y:
        return w.copy(), float(b)
    delta = lr * (y - predicted)
    return w + delta * x, float(b + delta)
''', '''
def perceptron_update(w, b, x, y, lr):
    score = float(np.sum(w * x)) + b
    step = lr * (y - float(score >= 0))
    w_new = np.array(w, dtype=float)
    w_new += step * x
    return w_new, b + step
'''],
    "perceptron_fit": ['''
def perceptron_fit(X, y, lr, epochs, rng):
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    history = []
    epoch = 0
    while epoch < epochs:
        errors = 0
        for idx in rng.permutation(n):
            w_next, b_next = perceptron_update(w, b, X[idx], y[idx], lr)
            if b_next != b or np.any(w_next != w):
                errors += 1
            w, b = w_next, b_next
        history.append(errors)
        epoch += 1
        if errors == 0:
            break
    return w, float(b), history
''', '''
def perceptron_fit(X, y, lr, epochs, rng):
    w = np.zeros(X.shape[1])
    b = 0.0
    counts = []
    for _ in range(epochs):
        wrong = 0
        order = rng.permutation(len(y))
        for x_i, y_i in zip(X[order], y[order]):
            guess = 1.0 if x_i @ w + b >= 0 else 0.0
            if guess != y_i:
                w = w + lr * (y_i - guess) * x_i
                b += lr * (y_i - guess)
                wrong += 1
        counts.append(wrong)
        if not wrong:
            break
    return w, float(b), counts
'''],
    "two_layer_forward": ['''
def two_layer_forward(X, W1, b1, W2, b2, activation):
    activations = {
        "step": lambda a: np.where(a >= 0, 1.0, 0.0).astype(a.dtype),
        "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
        "identity": lambda a: a,
    }
    if activation not in activations:
        raise ValueError(f"unknown activation {activation!r}: use step, sigmoid or identity")
    g = activations[activation]
    hidden = g(np.dot(X, W1) + b1)
    return g(np.dot(hidden, W2) + b2)
''', '''
def two_layer_forward(X, W1, b1, W2, b2, activation):
    if activation not in ("step", "sigmoid", "identity"):
        raise ValueError("activation must be one of step, sigmoid, identity; got "
                         + str(activation))

    def act(z):
        if activation == "step":
            return (z >= 0) * np.ones_like(z)
        if activation == "sigmoid":
            return np.exp(-np.logaddexp(0.0, -z))
        return z

    h = act(np.einsum("nd,dh->nh", X, W1) + b1)
    return act(np.einsum("nh,hm->nm", h, W2) + b2)
'''],
    "mistake_bound": ['''
def mistake_bound(X, y, w, b):
    signs = np.where(y > 0.5, 1.0, -1.0)
    length = np.sqrt(np.dot(w, w) + b * b)
    if length == 0:
        raise ValueError("the weights and the bias are all zero")
    gamma = np.min(signs * (X @ w + b)) / length
    if gamma <= 0:
        raise ValueError("the data are not strictly separated by (w, b)")
    radius_sq = np.max(np.sum(X ** 2, axis=1) + 1.0)
    return float(radius_sq / gamma ** 2)
''', '''
def mistake_bound(X, y, w, b):
    norm = np.linalg.norm(np.concatenate([w, [b]]))
    if norm == 0:
        raise ValueError("(w, b) = 0 has no direction")
    gamma, R = np.inf, 0.0
    for x_i, y_i in zip(X, y):
        gamma = min(gamma, (2 * y_i - 1) * (x_i @ w + b) / norm)
        R = max(R, np.sqrt(x_i @ x_i + 1))
    if gamma <= 0:
        raise ValueError(f"margin {gamma} is not positive")
    return float((R / gamma) ** 2)
'''],
    "squared_hinge_grad": ['''
def squared_hinge_grad(X, s, w, b, lam):
    if not np.all(np.abs(s) == 1):
        raise ValueError("labels s must be -1 or +1")
    if lam < 0:
        raise ValueError("lam must be >= 0")
    n = X.shape[0]
    slack = np.maximum(0.0, 1.0 - s * (X @ w + b))
    coef = -2.0 * slack * s / n
    return lam * w + X.T @ coef, float(coef.sum())
''', '''
def squared_hinge_grad(X, s, w, b, lam):
    if set(np.unique(s)) - {-1.0, 1.0}:
        raise ValueError(f"s holds labels other than -1 and +1: {np.unique(s)}")
    if not lam >= 0:
        raise ValueError(f"lam = {lam}: expected >= 0")
    dw = lam * np.array(w, dtype=float)
    db = 0.0
    for x_i, s_i in zip(X, s):
        gap = 1.0 - s_i * (np.dot(x_i, w) + b)
        if gap > 0:
            dw -= 2.0 * gap * s_i * x_i / len(s)
            db -= 2.0 * gap * s_i / len(s)
    return dw, db
'''],
    "fit_circle": ['''
def fit_circle(X_train, y_train, X_test, rng):
    lifted_train = np.hstack([X_train, X_train ** 2])
    lifted_test = np.hstack([X_test, X_test ** 2])
    w, b, _ = perceptron_fit(lifted_train, y_train, 1.0, 500, rng)
    return perceptron_predict(lifted_test, w, b)
''', '''
def fit_circle(X_train, y_train, X_test, rng):
    # the squared distance from the origin separates a disc from the rest
    def radius_features(X):
        return np.column_stack([np.sum(X * X, axis=1), X])

    w, b, errors = perceptron_fit(radius_features(X_train), y_train, 0.5, 2000, rng)
    scores = radius_features(X_test) @ w + b
    return (scores >= 0).astype(float)
'''],
}
