"""Chapter 4, gradient descent: correct solutions written differently from the reference."""

ASSIGNMENT = "ch04_gradient_descent"

ALTERNATIVES = {
    "numerical_gradient": [
        # unit vectors, on a copy
        """\
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[index] = h
        grad[index] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
""",
        # a flat copy, reshaped for each evaluation
        """\
def numerical_gradient(f, x, h=1e-5):
    flat = np.array(x, dtype=float).ravel()
    grad = np.empty(flat.size)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus.reshape(np.shape(x))) - f(minus.reshape(np.shape(x)))) / (2 * h)
    return grad.reshape(np.shape(x))
""",
        # nditer over a working copy, putting each entry back
        """\
def numerical_gradient(f, x, h=1e-5):
    work = np.array(x, dtype=float, copy=True)
    grad = np.zeros(work.shape)
    it = np.nditer(work, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        keep = work[i]
        work[i] = keep + h
        up = f(work)
        work[i] = keep - h
        down = f(work)
        work[i] = keep
        grad[i] = (up - down) / (2 * h)
    return grad
""",
    ],
    "gd_step": [
        """\
def gd_step(w, grad, lr):
    if w.shape != np.shape(grad):
        raise ValueError("grad must have the shape of w")
    return np.subtract(w, np.multiply(lr, grad))
""",
        """\
def gd_step(w, grad, lr):
    if np.shape(w) != np.shape(grad):
        raise ValueError("grad must have the shape of w")
    new = w.copy()
    new -= lr * grad
    return new
""",
        """\
def gd_step(w, grad, lr):
    if np.shape(w) != np.shape(grad):
        raise ValueError("grad must have the shape of w")
    return w + (-lr) * grad
""",
    ],
    "gradient_descent": [
        """\
def gradient_descent(grad_fn, loss_fn, w0, lr, steps):
    w = w0
    losses = [loss_fn(w0)]
    for _ in range(steps):
        w = gd_step(w, grad_fn(w), lr)
        losses += [loss_fn(w)]
    return w, np.asarray(losses, dtype=float)
""",
        """\
def gradient_descent(grad_fn, loss_fn, w0, lr, steps):
    path = [w0]
    for _ in range(steps):
        path.append(gd_step(path[-1], grad_fn(path[-1]), lr))
    return path[-1], np.array([loss_fn(w) for w in path])
""",
        """\
def gradient_descent(grad_fn, loss_fn, w0, lr, steps):
    losses = np.empty(steps + 1)
    w = w0
    losses[0] = loss_fn(w)
    step = 0
    while step < steps:
        w = gd_step(w, grad_fn(w), lr)
        step += 1
        losses[step] = loss_fn(w)
    return w, losses
""",
    ],
    "max_stable_lr": [
        # the largest singular value of the augmented inputs
        """\
def max_stable_lr(X):
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    s = np.linalg.svd(A, compute_uv=False)[0]
    return float(2.0 / (2.0 / X.shape[0] * s ** 2))
""",
        # the Hessian written out as sums, its eigenvalues with eigvals
        """\
def max_stable_lr(X):
    n, d = X.shape
    H = np.empty((d + 1, d + 1))
    H[:d, :d] = X.T @ X
    H[:d, d] = H[d, :d] = X.sum(axis=0)
    H[d, d] = n
    L = max(np.linalg.eigvals(2.0 * H / n).real)
    return 2.0 / float(L)
""",
        # centred-free: the norm-2 of the Hessian
        """\
def max_stable_lr(X):
    A = np.column_stack([np.ones(len(X)), X])
    L = np.linalg.norm(2.0 * (A.T @ A) / len(X), 2)
    return float(2.0 / L)
""",
    ],
    "linear_regression_gd": [
        # the augmented vector theta = (w, b)
        """\
def linear_regression_gd(X, y, lr, steps):
    n = len(X)
    A = np.column_stack([X, np.ones(n)])
    theta = np.zeros(A.shape[1])
    losses = [float(np.mean((A @ theta - y) ** 2))]
    for _ in range(steps):
        theta = theta - lr * (2.0 / n) * (A.T @ (A @ theta - y))
        losses.append(float(np.mean((A @ theta - y) ** 2)))
    return theta[:-1], float(theta[-1]), np.array(losses)
""",
        # sums over the samples, written as einsum
        """\
def linear_regression_gd(X, y, lr, steps):
    n, d = X.shape
    w, b = np.zeros(d), 0.0

    def loss(w, b):
        r = np.einsum("nd,d->n", X, w) + b - y
        return float(np.einsum("n,n->", r, r) / n)

    losses = [loss(w, b)]
    for _ in range(steps):
        r = np.einsum("nd,d->n", X, w) + b - y
        w, b = w - lr * 2 * np.einsum("n,nd->d", r, X) / n, b - lr * 2 * r.mean()
        losses.append(loss(w, b))
    return w, float(b), np.asarray(losses)
""",
        # the mean gradient as a mean of per-sample gradients
        """\
def linear_regression_gd(X, y, lr, steps):
    w, b = np.zeros(X.shape[1]), 0.0
    losses = np.empty(steps + 1)
    for t in range(steps + 1):
        residuals = X @ w + b - y
        losses[t] = np.mean(residuals ** 2)
        if t == steps:
            break
        grad_w = np.mean(2 * residuals[:, None] * X, axis=0)
        grad_b = np.mean(2 * residuals)
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, float(b), losses
""",
    ],
    "exponential_decay": [
        """\
import math


def exponential_decay(lr0, epoch, k=0.1):
    return lr0 * math.exp(-k * epoch)
""",
        """\
import math


def exponential_decay(lr0, epoch, k=0.1):
    return lr0 / math.exp(k * epoch)
""",
        """\
def exponential_decay(lr0, epoch, k=0.1):
    return float(lr0 * np.exp(-k) ** epoch)
""",
    ],
    "adam_step": [
        """\
def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v, t = state if state is not None else (np.zeros_like(p), np.zeros_like(p), 0)
    t += 1
    m = m + (1 - beta1) * (g - m)
    v = v + (1 - beta2) * (g * g - v)
    step = lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return p - step, (m, v, t)
""",
        # the bias corrections applied to the step, with eps kept outside the square root
        """\
import math


def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = (np.zeros_like(p), np.zeros_like(p), 0)
    m, v, t = state
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * np.square(g)
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    return p - lr * (m / c1) / (np.sqrt(v) / math.sqrt(c2) + eps), (m, v, t)
""",
        # float64 accumulation of the moments, cast back to the dtype of p
        """\
def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        m, v, t = np.zeros(p.shape), np.zeros(p.shape), 0
    else:
        m, v = (np.asarray(a, dtype=np.float64) for a in state[:2])
        t = state[2]
    t += 1
    g64 = np.asarray(g, dtype=np.float64)
    m = beta1 * m + (1 - beta1) * g64
    v = beta2 * v + (1 - beta2) * g64 ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    new_p = p.astype(np.float64) - lr * m_hat / (np.sqrt(v_hat) + eps)
    return new_p.astype(p.dtype), (m.astype(p.dtype), v.astype(p.dtype), t)
""",
    ],
}
