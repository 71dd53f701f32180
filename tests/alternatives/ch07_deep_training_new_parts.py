"""Chapter 7's derive parts: correct solutions written differently."""

ASSIGNMENT = "ch07_deep_training"

ALTERNATIVES = {
    "silu_backward": [
        # s + x s (1 - s), the sigmoid by branch (never exponentiating a positive number)
        """\
def silu_backward(dout, cache):
    x = cache
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return dout * (s + x * s * (1 - s))
""",
        # the sigmoid through tanh, which never overflows
        """\
def silu_backward(dout, cache):
    s = 0.5 * (1.0 + np.tanh(0.5 * cache))
    return dout * s * (1.0 + cache * (1.0 - s))
""",
        # silu(x) / x + sigmoid'(x) x, with sigmoid' = s (1 - s), from logaddexp
        """\
def silu_backward(dout, cache):
    x = cache
    s = np.exp(-np.logaddexp(0, -x))
    one_minus_s = np.exp(-np.logaddexp(0, x))
    return dout * (s + x * s * one_minus_s)
""",
    ],
    "layernorm_backward": [
        # the three paths summed term by term: direct, through the variance, through the mean
        """\
def layernorm_backward(dout, cache):
    x, gamma, mean, var, eps = cache
    m = x.shape[1]
    std = np.sqrt(var + eps)
    centred = x - mean
    g = dout * gamma
    dvar = np.sum(g * centred, axis=1, keepdims=True) * -0.5 * std ** -3
    dmean = -np.sum(g, axis=1, keepdims=True) / std - 2.0 * dvar * np.mean(centred, axis=1,
                                                                            keepdims=True)
    dx = g / std + dvar * 2.0 * centred / m + dmean / m
    return dx, np.sum(dout * centred / std, axis=0), np.sum(dout, axis=0)
""",
        # the Jacobian of each row, built and applied one sample at a time
        """\
def layernorm_backward(dout, cache):
    x, gamma, mean, var, eps = cache
    n, m = x.shape
    dx = np.empty_like(x)
    dgamma = np.zeros(m)
    for i in range(n):
        s = np.sqrt(var[i, 0] + eps)
        xhat = (x[i] - mean[i, 0]) / s
        jac = (np.eye(m) - 1.0 / m - np.outer(xhat, xhat) / m) / s
        dx[i] = jac.T @ (dout[i] * gamma)
        dgamma += dout[i] * xhat
    return dx, dgamma, dout.sum(axis=0)
""",
        # batch norm's simplified formula applied to the transposed array
        """\
def layernorm_backward(dout, cache):
    x, gamma, mean, var, eps = cache
    inv = (1.0 / np.sqrt(var + eps)).T
    xhat = (x - mean).T * inv
    g = (dout * gamma).T
    m = g.shape[0]
    dx = inv / m * (m * g - g.sum(axis=0) - xhat * np.sum(g * xhat, axis=0))
    return dx.T, np.einsum("nm,mn->m", dout, xhat), dout.sum(axis=0)
""",
    ],
}
