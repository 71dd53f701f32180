"""Chapter 4: honest answers in other styles than the reference."""

HONEST = {
    "numerical_gradient": ['''
def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    g = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        step = np.zeros(x.shape)
        step[idx] = h
        g[idx] = (f(x + step) - f(x - step)) / (2 * h)
    return g
''', '''
def numerical_gradient(f, x, h=1e-5):
    shape = np.shape(x)
    flat = np.array(x, dtype=np.float64).reshape(-1)
    out = []
    for k in range(flat.size):
        up = flat.copy()
        up[k] += h
        down = flat.copy()
        down[k] -= h
        out.append((f(up.reshape(shape)) - f(down.reshape(shape))) / (2.0 * h))
    return np.array(out).reshape(shape)
'''],
    "gd_step": ['''
def gd_step(w, grad, lr):
    if grad.shape != w.shape:
        raise ValueError("gradient shape %s does not match parameter shape %s"
                         % (grad.shape, w.shape))
    new_w = w.copy()
    new_w -= lr * grad
    return new_w
''', '''
def gd_step(w, grad, lr):
    if not np.shape(w) == np.shape(grad):
        raise ValueError(f"w {np.shape(w)} and grad {np.shape(grad)} must have one shape")
    return np.subtract(w, np.multiply(lr, grad))
'''],
    "max_stable_lr": ['''
def max_stable_lr(X):
    n = X.shape[0]
    A = np.hstack([X, np.ones((n, 1))])
    s_max = np.linalg.svd(A, compute_uv=False)[0]
    # L = 2 s_max^2 / n, and the step must stay below 2 / L
    return float(n / s_max ** 2)
''', '''
def max_stable_lr(X):
    n, d = X.shape
    H = np.empty((d + 1, d + 1))
    H[:d, :d] = X.T @ X
    H[:d, d] = H[d, :d] = X.sum(axis=0)
    H[d, d] = n
    H *= 2.0 / n
    return 2.0 / np.max(np.linalg.eigvalsh(H))
'''],
    "linear_regression_gd": ['''
def linear_regression_gd(X, y, lr, steps):
    N = len(y)
    A = np.column_stack([X, np.ones(N)])
    theta = np.zeros(A.shape[1])
    history = np.empty(steps + 1)
    for t in range(steps + 1):
        resid = A @ theta - y
        history[t] = resid @ resid / N
        if t < steps:
            theta = theta - lr * (2.0 / N) * (A.T @ resid)
    return theta[:-1], float(theta[-1]), history
''', '''
def linear_regression_gd(X, y, lr, steps):
    w = np.zeros(X.shape[1])
    b = 0.0

    def loss(w, b):
        return float(np.mean((X.dot(w) + b - y) ** 2))

    losses = [loss(w, b)]
    k = 0
    while k < steps:
        err = X.dot(w) + b - y
        dw = 2 * np.einsum("nd,n->d", X, err) / len(y)
        db = 2 * err.mean()
        w = w - lr * dw
        b = b - lr * db
        losses.append(loss(w, b))
        k += 1
    return w, float(b), np.asarray(losses)
'''],
    "exponential_decay": ['''
def exponential_decay(lr0, epoch, k=0.1):
    import math
    return lr0 * math.exp(-k * epoch)
''', '''
def exponential_decay(lr0, epoch, k=0.1):
    return float(lr0 / np.exp(k * epoch))
'''],
    "adam_step": ['''
def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v, t = state if state is not None else (np.zeros_like(p), np.zeros_like(p), 0)
    t += 1
    m = m * beta1 + g * (1 - beta1)
    v = v * beta2 + np.square(g) * (1 - beta2)
    corr1 = 1 - beta1 ** t
    corr2 = 1 - beta2 ** t
    step = lr * (m / corr1) / (np.sqrt(v / corr2) + eps)
    return p - step, (m, v, t)
''', '''
def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = (np.zeros(p.shape, p.dtype), np.zeros(p.shape, p.dtype), 0)
    first, second, count = state
    count = count + 1
    first = first + (1 - beta1) * (g - first)
    second = second + (1 - beta2) * (g ** 2 - second)
    first_hat = first / (1 - beta1 ** count)
    second_hat = second / (1 - beta2 ** count)
    new_p = p - lr * first_hat / (eps + np.sqrt(second_hat))
    return new_p, (first, second, count)
'''],
    "cooling_gradient": ['''
def cooling_gradient(theta, t, y):
    a, k, c = theta
    n = len(t)
    if n == 0 or len(y) != n:
        raise ValueError("t and y must hold the same number (>= 1) of readings")
    e = np.exp(-k * t)
    r = a * e + c - y
    return np.array([2 * np.dot(r, e) / n, -2 * a * np.dot(r, t * e) / n, 2 * r.sum() / n])
''', '''
def cooling_gradient(theta, t, y):
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (3,):
        raise ValueError(f"theta must hold (a, k, c), got shape {theta.shape}")
    grad = np.zeros(3)
    for t_i, y_i in zip(t, y):
        fade = np.exp(-theta[1] * t_i)
        resid = theta[0] * fade + theta[2] - y_i
        grad += resid * np.array([fade, -theta[0] * t_i * fade, 1.0])
    return 2.0 * grad / len(t)
'''],
}
