"""Chapter 4, gradient descent: the mistakes learners make, part by part."""

from autograder.mistakes import Mistake

_ADAM = ("def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n"
         "    if state is None:\n"
         "        m, v, t = np.zeros_like(p), np.zeros_like(p), 0\n"
         "    else:\n"
         "        m, v, t = state\n"
         "    t = t + 1\n")
_MOMENTS = ("    m = beta1 * m + (1 - beta1) * g\n"
            "    v = beta2 * v + (1 - beta2) * g * g\n")
_CORRECTED = "    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)\n"
_LINE = ("def linear_regression_gd(X, y, lr, steps):\n"
         "    n, d = X.shape\n"
         "    w, b = np.zeros(d), 0.0\n"
         "    losses = [float(np.mean((X @ w + b - y) ** 2))]\n"
         "    for _ in range(steps):\n"
         "{UPDATE}"
         "        losses.append(float(np.mean((X @ w + b - y) ** 2)))\n"
         "    return w, float(b), np.array(losses)\n")
_STABLE = ("def max_stable_lr(X):\n"
           "    A = np.column_stack([X, np.ones(len(X))])\n")
_COOLING = ("def cooling_gradient(theta, t, y):\n"
            "    a, k, c = theta\n"
            "    n = len(t)\n"
            "    fall = np.exp(-k * t)\n"
            "    r = a * fall + c - y\n"
            "    d_a = 2.0 / n * np.sum(r * {DECAY})\n"
            "    d_k = {SIGN}2.0 / n * np.sum(r * a * t * fall)\n"
            "    d_c = {HALF} / n * np.sum(r)\n"
            "    return np.array([d_a, d_k, d_c])\n")


def _cooling(decay="fall", sign="-", half="2.0"):
    """Return cooling_gradient with the given factors (the given cell's bugs, or their fixes)."""
    return _COOLING.format(DECAY=decay, SIGN=sign, HALF=half)


MISTAKES = {
    "numerical_gradient": (
        Mistake("a one-sided difference was used",
                "(f(x + h) - f(x)) / h has an error of order h; the central difference "
                "(f(x + h) - f(x - h)) / (2 h) has one of order h squared.",
                "def numerical_gradient(f, x, h=1e-5):\n"
                "    point = np.array(x, dtype=float)\n"
                "    grad = np.empty_like(point)\n"
                "    f0 = f(point)\n"
                "    for i in range(point.size):\n"
                "        original = point.flat[i]\n"
                "        point.flat[i] = original + h\n"
                "        grad.flat[i] = (f(point) - f0) / h\n"
                "        point.flat[i] = original\n"
                "    return grad\n"),
        Mistake("the caller's x was perturbed and not restored",
                "Perturb a copy of x, or put each entry back after its two evaluations.",
                "def numerical_gradient(f, x, h=1e-5):\n"
                "    grad = np.empty_like(x)\n"
                "    for i in range(x.size):\n"
                "        x.flat[i] += h\n"
                "        f_plus = f(x)\n"
                "        x.flat[i] -= 2 * h\n"
                "        grad.flat[i] = (f_plus - f(x)) / (2 * h)\n"
                "    return grad\n"),
        Mistake("only the first axis was perturbed",
                "Loop over every entry (x.size of them, through x.flat or np.ndindex), not "
                "over the rows.",
                "def numerical_gradient(f, x, h=1e-5):\n"
                "    grad = np.zeros_like(x)\n"
                "    for i in range(len(x)):\n"
                "        e = np.zeros_like(x)\n"
                "        e[i] = 1.0\n"
                "        grad[i] = (f(x + h * e) - f(x - h * e)) / (2 * h)\n"
                "    return grad\n"),
    ),
    "gd_step": (
        Mistake("the caller's weights were changed in place",
                "w -= ... writes into the caller's array; return a new array w - lr * grad.",
                "def gd_step(w, grad, lr):\n"
                "    w -= lr * grad\n"
                "    return w\n"),
        Mistake("arrays of different shapes were broadcast instead of refused",
                "Compare the shapes of w and grad and raise ValueError when they differ.",
                "def gd_step(w, grad, lr):\n"
                "    return w - lr * grad\n"),
        Mistake("the step went up the gradient",
                "Descent moves against the gradient: w - lr * grad.",
                "def gd_step(w, grad, lr):\n"
                "    if np.shape(grad) != np.shape(w):\n"
                "        raise ValueError('shapes differ')\n"
                "    return w + lr * grad\n"),
    ),
    "gradient_descent": (
        Mistake("the loss at the starting point was not recorded",
                "losses starts with loss_fn(w0), so it holds steps + 1 values.",
                "def gradient_descent(grad_fn, loss_fn, w0, lr, steps):\n"
                "    w = w0\n"
                "    losses = []\n"
                "    for _ in range(steps):\n"
                "        w = gd_step(w, grad_fn(w), lr)\n"
                "        losses.append(loss_fn(w))\n"
                "    return w, np.array(losses)\n"),
        Mistake("w0 was updated in place",
                "w -= ... on w = w0 changes the caller's array; build a new array each step.",
                "def gradient_descent(grad_fn, loss_fn, w0, lr, steps):\n"
                "    w = w0\n"
                "    losses = [loss_fn(w)]\n"
                "    for _ in range(steps):\n"
                "        w -= lr * grad_fn(w)\n"
                "        losses.append(loss_fn(w))\n"
                "    return w, np.array(losses)\n"),
    ),
    "max_stable_lr": (
        Mistake("the intercept was left out of the Hessian",
                "The model has a bias too: append a column of ones to X before forming "
                "the Hessian.",
                "def max_stable_lr(X):\n"
                "    hessian = 2.0 / len(X) * (X.T @ X)\n"
                "    return 2.0 / float(np.linalg.eigvalsh(hessian)[-1])\n"),
        Mistake("the threshold was taken as 1 / L",
                "On a quadratic, gradient descent diverges beyond 2 / L, not 1 / L.",
                _STABLE
                + "    return 1.0 / float(np.linalg.eigvalsh(2.0 / len(X) * (A.T @ A))[-1])\n"),
        Mistake("the Hessian was taken without its factor 2 / N",
                "The Hessian of the mean squared error is (2 / N) A^T A, where A is X with a "
                "column of ones appended.",
                _STABLE + "    return 2.0 / float(np.linalg.eigvalsh(A.T @ A)[-1])\n"),
    ),
    "linear_regression_gd": (
        Mistake("the factor 2 of the gradient was dropped",
                "The gradient of the mean squared error is (2 / N) X^T (X w + b - y).",
                _LINE.replace("{UPDATE}",
                              "        r = X @ w + b - y\n"
                              "        w, b = w - lr * (X.T @ r) / n, b - lr * np.sum(r) / n\n")),
        Mistake("the gradient was summed instead of averaged over the samples",
                "The loss is a mean, so its gradient carries a factor 1 / N.",
                _LINE.replace("{UPDATE}",
                              "        r = X @ w + b - y\n"
                              "        w = w - lr * 2.0 * (X.T @ r)\n"
                              "        b = b - lr * 2.0 * np.sum(r)\n")),
        Mistake("b was updated with the residuals of the new w",
                "Compute both gradients at the same (w, b), then update both.",
                _LINE.replace("{UPDATE}",
                              "        w = w - lr * 2.0 / n * (X.T @ (X @ w + b - y))\n"
                              "        b = b - lr * 2.0 / n * np.sum(X @ w + b - y)\n")),
    ),
    "exponential_decay": (
        Mistake("the decay was made geometric, (1 - k) ** epoch",
                "Exponential decay is lr0 * exp(-k * epoch).",
                "def exponential_decay(lr0, epoch, k=0.1):\n"
                "    return float(lr0 * (1 - k) ** epoch)\n"),
        Mistake("exp(-k) was multiplied by the epoch instead of raised to it",
                "The epoch goes inside the exponent: exp(-k * epoch).",
                "def exponential_decay(lr0, epoch, k=0.1):\n"
                "    return float(lr0 * np.exp(-k) * epoch)\n"),
    ),
    "adam_step": (
        Mistake("the moments were not bias-corrected",
                "Divide m by 1 - beta1 ** t and v by 1 - beta2 ** t before the step.",
                _ADAM + _MOMENTS + "    return p - lr * m / (np.sqrt(v) + eps), (m, v, t)\n"),
        Mistake("eps was added inside the square root",
                "The step divides by sqrt(v_hat) + eps.",
                _ADAM + _MOMENTS + _CORRECTED
                + "    return p - lr * m_hat / np.sqrt(v_hat + eps), (m, v, t)\n"),
        Mistake("the moments of the given state were updated in place",
                "m *= ... changes the arrays of the state passed in; build new arrays.",
                _ADAM
                + "    m *= beta1\n"
                  "    m += (1 - beta1) * g\n"
                  "    v *= beta2\n"
                  "    v += (1 - beta2) * g * g\n"
                + _CORRECTED
                + "    return p - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v, t)\n"),
        Mistake("the moments were started in float64 for float32 parameters",
                "np.zeros(np.shape(p)) is float64; np.zeros_like(p) keeps the dtype of p.",
                _ADAM.replace("np.zeros_like(p), np.zeros_like(p)",
                              "np.zeros(np.shape(p)), np.zeros(np.shape(p))")
                + _MOMENTS + _CORRECTED
                + "    return p - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v, t)\n"),
    ),
    "cooling_gradient": (
        Mistake("the given gradient was submitted with its bugs",
                "Compare every entry with numerical_gradient of cooling_loss at points with "
                "k not 0 and times other than 0 and 1.",
                _cooling(decay="np.exp(-k)", sign="", half="1.0")),
        Mistake("dC/da still uses exp(-k) instead of exp(-k t)",
                "The derivative of the residual r_i with respect to a depends on the "
                "sample's time t_i.",
                _cooling(decay="np.exp(-k)")),
        Mistake("dC/dk still has the wrong sign",
                "Differentiate exp(-k t) with respect to k by the chain rule.",
                _cooling(sign="")),
        Mistake("dC/dc still lacks the factor 2",
                "The derivative of r squared with respect to r is 2 r.",
                _cooling(half="1.0")),
    ),
}
