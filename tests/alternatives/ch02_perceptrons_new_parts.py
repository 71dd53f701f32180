"""Chapter 2, the derive and experiment parts: correct answers written apart from the reference.

Each source is a complete definition, as a learner might write it, for the fairness lane:
graded over many seeds, none may lose a point. The classifiers are different choices of
features and settings that each reach the stated accuracy.
"""

ASSIGNMENT = "ch02_perceptrons"

ALTERNATIVES = {
    "squared_hinge_grad": [
        # A loop over the samples, only those inside the margin contributing.
        '''def squared_hinge_grad(X, s, w, b, lam):
    if not set(np.unique(s).tolist()) <= {-1.0, 1.0}:
        raise ValueError("labels must be -1 or +1")
    n = X.shape[0]
    dw = lam * w.astype(float)
    db = 0.0
    for i in range(n):
        margin = s[i] * (X[i] @ w + b)
        if margin < 1:
            coef = -2.0 * (1.0 - margin) * s[i] / n
            dw = dw + coef * X[i]
            db += coef
    return dw, float(db)
''',
        # The augmented vector theta = (w, b) and einsum, the penalty masked off the bias.
        '''def squared_hinge_grad(X, s, w, b, lam):
    if np.any(np.abs(s) != 1):
        raise ValueError("s must be -1 or +1")
    A = np.hstack([X, np.ones((len(X), 1))])
    theta = np.append(w, b)
    slack = np.clip(1.0 - s * (A @ theta), 0.0, None)
    grad = np.einsum("n,nd->d", -2.0 * s * slack, A) / len(s)
    grad[:-1] += lam * w
    return grad[:-1], float(grad[-1])
''',
        # Through the per-sample losses' derivative dJ/dz, then z = X w + b.
        '''def squared_hinge_grad(X, s, w, b, lam):
    if not np.isin(s, (-1.0, 1.0)).all():
        raise ValueError(f"labels must be -1 or +1, got {np.unique(s)}")
    z = X @ w + b
    u = 1.0 - s * z
    dJ_dz = np.where(u > 0, 2.0 * u * (-s), 0.0) / z.shape[0]
    return X.T @ dJ_dz + lam * w, float(dJ_dz.sum())
''',
    ],
    "fit_circle": [
        # The radius squared as one more feature, learning rate 0.5.
        '''def fit_circle(X_train, y_train, X_test, rng):
    def phi(X):
        return np.column_stack([X[:, 0], X[:, 1], X[:, 0] ** 2 + X[:, 1] ** 2, X[:, 0] ** 2])

    F = phi(X_train)
    w, b = np.zeros(F.shape[1]), 0.0
    for epoch in range(2000):
        wrong = 0
        for i in rng.permutation(F.shape[0]):
            pred = 1.0 if F[i] @ w + b >= 0 else 0.0
            if pred != y_train[i]:
                w = w + 0.5 * (y_train[i] - pred) * F[i]
                b = b + 0.5 * (y_train[i] - pred)
                wrong += 1
        if wrong == 0:
            break
    return np.where(phi(X_test) @ w + b >= 0, 1.0, 0.0)
''',
        # All monomials of degree 2, standardized.
        '''def fit_circle(X_train, y_train, X_test, rng):
    def phi(X):
        x1, x2 = X[:, 0], X[:, 1]
        return np.stack([x1, x2, x1 * x1, x2 * x2, x1 * x2], axis=1)

    F = phi(X_train)
    mu, sd = F.mean(axis=0), F.std(axis=0)
    F = (F - mu) / sd
    w, b = np.zeros(5), 0.0
    for _ in range(300):
        errors = 0
        for i in rng.permutation(len(F)):
            err = y_train[i] - (F[i] @ w + b >= 0)
            w += err * F[i]
            b += err
            errors += err != 0
        if errors == 0:
            break
    return ((((phi(X_test) - mu) / sd) @ w + b) >= 0).astype(float)
''',
        # The averaged perceptron on the inputs and their squares.
        '''def fit_circle(X_train, y_train, X_test, rng):
    F = np.hstack([X_train, X_train ** 2])
    w, b = np.zeros(4), 0.0
    w_sum, b_sum, count = np.zeros(4), 0.0, 0
    for _ in range(15):
        for i in rng.permutation(len(F)):
            err = y_train[i] - float(F[i] @ w + b >= 0)
            w, b = w + err * F[i], b + err
            w_sum, b_sum, count = w_sum + w, b_sum + b, count + 1
    w_avg, b_avg = w_sum / count, b_sum / count
    G = np.hstack([X_test, X_test ** 2])
    return (G @ w_avg + b_avg >= 0).astype(float)
''',
    ],
}
