"""Chapter 4's verify and experiment parts: correct solutions written differently."""

ASSIGNMENT = "ch04_gradient_descent"

ALTERNATIVES = {
    "cooling_gradient": [
        # a loop over the readings, accumulating each partial derivative
        """\
def cooling_gradient(theta, t, y):
    a, k, c = (float(v) for v in theta)
    g = [0.0, 0.0, 0.0]
    for ti, yi in zip(t, y):
        e = np.exp(-k * ti)
        r = a * e + c - yi
        g[0] += 2 * r * e
        g[1] += 2 * r * (-a * ti * e)
        g[2] += 2 * r
    return np.array(g) / len(t)
""",
        # the chain rule as a Jacobian: dC/dtheta = J^T dC/dy_hat
        """\
def cooling_gradient(theta, t, y):
    a, k, c = theta
    e = np.exp(-k * t)
    dloss = 2 * (a * e + c - y) / t.size
    jacobian = np.stack([e, -a * t * e, np.ones_like(t)], axis=1)
    return jacobian.T @ dloss
""",
        # einsum, with the residuals from the model written out first
        """\
def cooling_gradient(theta, t, y):
    y_hat = theta[0] * np.exp(-theta[1] * t) + theta[2]
    r = y_hat - y
    parts = np.array([np.exp(-theta[1] * t), -theta[0] * t * np.exp(-theta[1] * t),
                      np.ones(len(t))])
    return 2.0 * np.einsum("ji,i->j", parts, r) / len(r)
""",
    ],
    "divergence_threshold": [
        # bisection on a linear scale, a run diverges when it ends above its start
        """\
def divergence_threshold(grad_fn, loss_fn, w0):
    def diverges(lr):
        w, first = np.array(w0, dtype=float), loss_fn(w0)
        for _ in range(300):
            w = w - lr * grad_fn(w)
            now = loss_fn(w)
            if not np.isfinite(now) or now > 1e10 * first:
                return True
        return now > first
    lo, hi = 0.01, 10.0
    for _ in range(20):
        mid = (lo + hi) / 2
        if diverges(mid):
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2
""",
        # a coarse scan by factors of 1.5, then bisection inside the bracket it finds
        """\
def divergence_threshold(grad_fn, loss_fn, w0):
    start = loss_fn(w0)

    def grows(lr, steps=400):
        w = w0.copy()
        for _ in range(steps):
            w = w - lr * grad_fn(w)
            value = loss_fn(w)
            if value != value or value > 1e8 * start:
                return True
        return value > start

    lr = 0.01
    while not grows(lr * 1.5):
        lr *= 1.5
    lo, hi = lr, lr * 1.5
    while hi - lo > 1e-3 * lo:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if grows(mid) else (mid, hi)
    return 0.5 * (lo + hi)
""",
        # watch the distance moved per step instead of the loss, with a fixed budget of runs
        """\
def divergence_threshold(grad_fn, loss_fn, w0):
    def blows_up(lr):
        w = w0
        first = np.linalg.norm(lr * grad_fn(w0))
        for _ in range(300):
            step = lr * grad_fn(w)
            w = w - step
            size = np.linalg.norm(step)
            if not size < 1e6 * first:
                return True
        return size > first
    lows, highs = [0.01], [10.0]
    for _ in range(16):
        mid = np.sqrt(lows[-1] * highs[-1])
        (highs if blows_up(mid) else lows).append(mid)
    return float(np.sqrt(lows[-1] * highs[-1]))
""",
    ],
}
