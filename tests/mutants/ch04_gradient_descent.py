"""Chapter 4 mutants: plausible mistakes, at least one per graded part.

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE``
in one solution cell (the function body, indented by four spaces). Grading a
notebook with every other cell solved must cost exactly that part's points.
"""

from tests.mutants import Mutant

_ADAM_START = (
    "    if state is None:\n"
    "        m, v, t = np.zeros_like(p), np.zeros_like(p), 0\n"
    "    else:\n"
    "        m, v, t = state\n"
    "    t = t + 1\n"
)

MUTANTS = {
    # A one-sided difference: error of order h, visible at h = 1e-3.
    "numgrad_forward_difference": Mutant(
        "numerical_gradient",
        "    point = np.array(x, dtype=float)\n"
        "    grad = np.empty_like(point)\n"
        "    f0 = f(point)\n"
        "    for i in range(point.size):\n"
        "        original = point.flat[i]\n"
        "        point.flat[i] = original + h\n"
        "        grad.flat[i] = (f(point) - f0) / h\n"
        "        point.flat[i] = original\n"
        "    return grad\n"),
    # Perturbs the caller's x and never puts it back.
    "numgrad_modifies_x": Mutant(
        "numerical_gradient",
        "    grad = np.empty_like(x)\n"
        "    for i in range(x.size):\n"
        "        x.flat[i] += h\n"
        "        f_plus = f(x)\n"
        "        x.flat[i] -= 2 * h\n"
        "        grad.flat[i] = (f_plus - f(x)) / (2 * h)\n"
        "    return grad\n"),
    # Loops over the first axis only: right for vectors, wrong for matrices.
    "numgrad_rows_only": Mutant(
        "numerical_gradient",
        "    grad = np.zeros_like(x)\n"
        "    for i in range(len(x)):\n"
        "        e = np.zeros_like(x)\n"
        "        e[i] = 1.0\n"
        "        grad[i] = (f(x + h * e) - f(x - h * e)) / (2 * h)\n"
        "    return grad\n"),
    "step_in_place": Mutant("gd_step", "    w -= lr * grad\n    return w\n"),
    "step_broadcasts_shapes": Mutant("gd_step", "    return w - lr * grad\n"),
    "step_wrong_sign": Mutant(
        "gd_step",
        "    if np.shape(grad) != np.shape(w):\n"
        "        raise ValueError('shapes differ')\n"
        "    return w + lr * grad\n"),
    "loop_without_initial_loss": Mutant(
        "gradient_descent",
        "    w = w0\n"
        "    losses = []\n"
        "    for _ in range(steps):\n"
        "        w = gd_step(w, grad_fn(w), lr)\n"
        "        losses.append(loss_fn(w))\n"
        "    return w, np.array(losses)\n"),
    "loop_in_place": Mutant(
        "gradient_descent",
        "    w = w0\n"
        "    losses = [loss_fn(w)]\n"
        "    for _ in range(steps):\n"
        "        w -= lr * grad_fn(w)\n"
        "        losses.append(loss_fn(w))\n"
        "    return w, np.array(losses)\n"),
    "stable_lr_without_intercept": Mutant(
        "max_stable_lr",
        "    hessian = 2.0 / len(X) * (X.T @ X)\n"
        "    return 2.0 / float(np.linalg.eigvalsh(hessian)[-1])\n"),
    "stable_lr_one_over_l": Mutant(
        "max_stable_lr",
        "    A = np.column_stack([X, np.ones(len(X))])\n"
        "    return 1.0 / float(np.linalg.eigvalsh(2.0 / len(X) * (A.T @ A))[-1])\n"),
    "stable_lr_without_2_over_n": Mutant(
        "max_stable_lr",
        "    A = np.column_stack([X, np.ones(len(X))])\n"
        "    return 2.0 / float(np.linalg.eigvalsh(A.T @ A)[-1])\n"),
    "line_gradient_without_2": Mutant(
        "linear_regression_gd",
        "    n, d = X.shape\n"
        "    w, b = np.zeros(d), 0.0\n"
        "    losses = [float(np.mean((X @ w + b - y) ** 2))]\n"
        "    for _ in range(steps):\n"
        "        r = X @ w + b - y\n"
        "        w, b = w - lr * (X.T @ r) / n, b - lr * np.sum(r) / n\n"
        "        losses.append(float(np.mean((X @ w + b - y) ** 2)))\n"
        "    return w, float(b), np.array(losses)\n"),
    "line_gradient_sum_not_mean": Mutant(
        "linear_regression_gd",
        "    n, d = X.shape\n"
        "    w, b = np.zeros(d), 0.0\n"
        "    losses = [float(np.mean((X @ w + b - y) ** 2))]\n"
        "    for _ in range(steps):\n"
        "        r = X @ w + b - y\n"
        "        w, b = w - lr * 2.0 * (X.T @ r), b - lr * 2.0 * np.sum(r)\n"
        "        losses.append(float(np.mean((X @ w + b - y) ** 2)))\n"
        "    return w, float(b), np.array(losses)\n"),
    "line_sequential_update": Mutant(
        "linear_regression_gd",
        "    n, d = X.shape\n"
        "    w, b = np.zeros(d), 0.0\n"
        "    losses = [float(np.mean((X @ w + b - y) ** 2))]\n"
        "    for _ in range(steps):\n"
        "        w = w - lr * 2.0 / n * (X.T @ (X @ w + b - y))\n"
        "        b = b - lr * 2.0 / n * np.sum(X @ w + b - y)\n"
        "        losses.append(float(np.mean((X @ w + b - y) ** 2)))\n"
        "    return w, float(b), np.array(losses)\n"),
    "decay_geometric": Mutant("exponential_decay", "    return float(lr0 * (1 - k) ** epoch)\n"),
    "decay_times_epoch": Mutant("exponential_decay",
                                "    return float(lr0 * np.exp(-k) * epoch)\n"),
    "adam_without_bias_correction": Mutant(
        "adam_step",
        _ADAM_START
        + "    m = beta1 * m + (1 - beta1) * g\n"
        "    v = beta2 * v + (1 - beta2) * g * g\n"
        "    return p - lr * m / (np.sqrt(v) + eps), (m, v, t)\n"),
    "adam_eps_inside_sqrt": Mutant(
        "adam_step",
        _ADAM_START
        + "    m = beta1 * m + (1 - beta1) * g\n"
        "    v = beta2 * v + (1 - beta2) * g * g\n"
        "    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)\n"
        "    return p - lr * m_hat / np.sqrt(v_hat + eps), (m, v, t)\n"),
    "adam_moments_in_place": Mutant(
        "adam_step",
        _ADAM_START
        + "    m *= beta1\n"
        "    m += (1 - beta1) * g\n"
        "    v *= beta2\n"
        "    v += (1 - beta2) * g * g\n"
        "    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)\n"
        "    return p - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v, t)\n"),
    "adam_float64_moments": Mutant(
        "adam_step",
        "    if state is None:\n"
        "        m, v, t = np.zeros(np.shape(p)), np.zeros(np.shape(p)), 0\n"
        "    else:\n"
        "        m, v, t = state\n"
        "    t = t + 1\n"
        "    m = beta1 * m + (1 - beta1) * g\n"
        "    v = beta2 * v + (1 - beta2) * g * g\n"
        "    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)\n"
        "    return p - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v, t)\n"),
}
