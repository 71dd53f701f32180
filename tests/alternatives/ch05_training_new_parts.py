"""Chapter 5's derive and experiment parts: correct solutions written differently."""

ASSIGNMENT = "ch05_training"

ALTERNATIVES = {
    "ridge_step": [
        # loops over the samples and the weights
        """\
def ridge_step(X, y, w, b, lr, lam):
    if lam < 0:
        raise ValueError("lam must not be negative")
    n, d = X.shape
    gw = [2.0 * lam * w[j] for j in range(d)]
    gb = 0.0
    for i in range(n):
        r = sum(X[i, j] * w[j] for j in range(d)) + b - y[i]
        for j in range(d):
            gw[j] += 2.0 * r * X[i, j] / n
        gb += 2.0 * r / n
    return np.array([w[j] - lr * gw[j] for j in range(d)]), b - lr * gb
""",
        # weight decay written out: shrink w, then the plain step
        """\
def ridge_step(X, y, w, b, lr, lam):
    if lam < 0:
        raise ValueError(f"lam = {lam} < 0")
    residual = X @ w + b - y
    shrunk = (1.0 - 2.0 * lr * lam) * w
    return shrunk - lr * (2.0 / len(y)) * (X.T @ residual), float(b - 2.0 * lr * residual.mean())
""",
        # the augmented design [X, 1] and a penalty matrix that skips the intercept
        """\
def ridge_step(X, y, w, b, lr, lam):
    if not lam >= 0:
        raise ValueError("lam must be >= 0")
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    theta = np.append(w, b)
    penalty = np.diag(np.append(np.full(len(w), lam), 0.0))
    grad = 2.0 / len(y) * np.einsum("ij,i->j", A, A @ theta - y) + 2.0 * penalty @ theta
    theta = theta - lr * grad
    return theta[:-1], float(theta[-1])
""",
    ],
    "choose_hyperparameters": [
        # batches of 24 at a rate well inside the stability bound, a patient monitor
        """\
def choose_hyperparameters():
    return {"lr": 0.02, "epochs": 30, "batch_size": 24, "patience": 25}
""",
        # smaller batches and a smaller rate, no early stop within the 30 epochs
        """\
def choose_hyperparameters():
    return dict(lr=0.015, epochs=30, batch_size=20, patience=30)
""",
        # larger batches at a larger rate
        """\
def choose_hyperparameters():
    choice = {"batch_size": 40, "lr": 0.025}
    choice.update(epochs=30, patience=30)
    return choice
""",
    ],
}
