"""Chapter 7, training deep networks: correct solutions written differently."""

ASSIGNMENT = "ch07_deep_training"

_DROPOUT_CHECKS = """\
    if not 0 <= p < 1:
        raise ValueError("p must lie in [0, 1)")
    if not training:
        return x, np.ones_like(x)
"""

ALTERNATIVES = {
    "xavier_uniform": [
        # a standard uniform draw, scaled and shifted
        """\
def xavier_uniform(fan_in, fan_out, rng):
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return a * (2.0 * rng.random((fan_in, fan_out)) - 1.0)
""",
        # drawn as (fan_out, fan_in), then transposed (another draw order)
        """\
import math


def xavier_uniform(fan_in, fan_out, rng):
    limit = math.sqrt(6 / (fan_in + fan_out))
    return np.ascontiguousarray(rng.uniform(-limit, limit, size=(fan_out, fan_in)).T)
""",
        # the variance 2 / (fan_in + fan_out) of U(-a, a) = a^2 / 3, solved for a
        """\
def xavier_uniform(fan_in, fan_out, rng):
    variance = 2.0 / (fan_in + fan_out)
    a = np.sqrt(3.0 * variance)
    return rng.uniform(low=-a, high=a, size=fan_in * fan_out).reshape(fan_in, fan_out)
""",
    ],
    "he_normal": [
        """\
def he_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
""",
        """\
import math


def he_normal(fan_in, fan_out, rng):
    return np.ascontiguousarray(
        rng.normal(0.0, math.sqrt(2 / fan_in), size=(fan_out, fan_in)).T)
""",
        """\
def he_normal(fan_in, fan_out, rng):
    std = (2.0 / fan_in) ** 0.5
    return np.array([rng.normal(scale=std, size=fan_out) for _ in range(fan_in)])
""",
    ],
    "leaky_relu_forward": [
        """\
def leaky_relu_forward(x, alpha=0.01):
    return np.maximum(x, 0) + alpha * np.minimum(x, 0), (x, alpha)
""",
        """\
def leaky_relu_forward(x, alpha=0.01):
    out = x.copy()
    negative = x <= 0
    out[negative] = alpha * x[negative]
    return out, (x, alpha)
""",
        """\
def leaky_relu_forward(x, alpha=0.01):
    slope = np.where(x > 0, 1, alpha).astype(x.dtype)
    return x * slope, (x, alpha)
""",
    ],
    "leaky_relu_backward": [
        """\
def leaky_relu_backward(dout, cache):
    x, alpha = cache
    dx = dout.copy()
    dx[x <= 0] *= alpha
    return dx
""",
        """\
def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha)
""",
        """\
def leaky_relu_backward(dout, cache):
    x, alpha = cache
    positive = (x > 0).astype(dout.dtype)
    return dout * positive + alpha * dout * (1 - positive)
""",
    ],
    "prelu_forward": [
        """\
def prelu_forward(x, alpha):
    return np.maximum(x, 0) + alpha[None, :] * np.minimum(x, 0), (x, alpha)
""",
        """\
def prelu_forward(x, alpha):
    out = x.copy()
    for j in range(x.shape[1]):
        column = out[:, j]
        column[column < 0] *= alpha[j]
    return out, (x, alpha)
""",
        """\
def prelu_forward(x, alpha):
    return np.where(x > 0, x, np.einsum("nm,m->nm", x, alpha)), (x, alpha)
""",
    ],
    "prelu_backward": [
        """\
def prelu_backward(dout, cache):
    x, alpha = cache
    negative = x <= 0
    dx = np.where(negative, alpha * dout, dout)
    dalpha = np.sum(np.where(negative, dout * x, 0), axis=0)
    return dx, dalpha
""",
        # loops over the columns
        """\
def prelu_backward(dout, cache):
    x, alpha = cache
    dx = np.empty_like(dout)
    dalpha = np.zeros(x.shape[1], dtype=np.result_type(dout, x))
    for j in range(x.shape[1]):
        negative = x[:, j] <= 0
        dx[:, j] = np.where(negative, alpha[j] * dout[:, j], dout[:, j])
        dalpha[j] = np.sum(dout[negative, j] * x[negative, j])
    return dx, dalpha
""",
        # einsum for the slope gradient, float64 accumulation
        """\
def prelu_backward(dout, cache):
    x, alpha = cache
    dx = dout * np.where(x > 0, 1.0, alpha)
    dalpha = np.einsum("nm,nm->m", dout.astype(np.float64), np.minimum(x, 0).astype(np.float64))
    return dx, dalpha.astype(np.result_type(dout, x))
""",
    ],
    "elu_forward": [
        # the book's formula alpha (exp(x) - 1), on the non-positive part only
        """\
def elu_forward(x, alpha=1.0):
    negative = np.minimum(x, 0)
    return np.where(x > 0, x, alpha * (np.exp(negative) - 1)), (x, alpha)
""",
        """\
def elu_forward(x, alpha=1.0):
    out = x.copy()
    negative = x <= 0
    out[negative] = alpha * np.expm1(x[negative])
    return out, (x, alpha)
""",
        # float64 evaluation, cast back
        """\
def elu_forward(x, alpha=1.0):
    x64 = x.astype(np.float64)
    out = np.maximum(x64, 0) + alpha * np.expm1(np.minimum(x64, 0))
    return out.astype(x.dtype), (x, alpha)
""",
    ],
    "elu_backward": [
        """\
def elu_backward(dout, cache):
    x, alpha = cache
    slope = np.ones_like(dout)
    negative = x <= 0
    slope[negative] = alpha * np.exp(x[negative])
    return dout * slope
""",
        # the slope from the output: alpha exp(x) = out + alpha where x <= 0
        """\
def elu_backward(dout, cache):
    x, alpha = cache
    out = alpha * np.expm1(np.minimum(x, 0))
    return np.where(x > 0, dout, dout * (out + alpha))
""",
        """\
def elu_backward(dout, cache):
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha * np.exp(np.clip(x, None, 0)))
""",
    ],
    "dropout_forward": [
        # keep where a uniform draw is below 1 - p
        "def dropout_forward(x, p, rng, training):\n" + _DROPOUT_CHECKS + """\
    keep = rng.uniform(size=x.shape) < 1 - p
    mask = keep.astype(x.dtype) / (1 - p)
    return x * mask, mask
""",
        # Bernoulli draws with the keep probability
        "def dropout_forward(x, p, rng, training):\n" + _DROPOUT_CHECKS + """\
    mask = (rng.binomial(1, 1 - p, size=x.shape) / (1 - p)).astype(x.dtype)
    return x * mask, mask
""",
        # np.where on a draw, scale in the output
        "def dropout_forward(x, p, rng, training):\n" + _DROPOUT_CHECKS + """\
    scale = x.dtype.type(1.0 / (1.0 - p))
    mask = np.where(rng.random(x.shape) < p, x.dtype.type(0), scale)
    return x * mask, mask
""",
    ],
    "dropout_backward": [
        """\
def dropout_backward(dout, cache):
    return np.multiply(dout, cache)
""",
        """\
def dropout_backward(dout, cache):
    return np.where(cache != 0, dout * cache, 0).astype(dout.dtype)
""",
        """\
def dropout_backward(dout, cache):
    dx = dout.copy()
    dx *= cache
    return dx
""",
    ],
    "batchnorm_forward": [
        # two-pass statistics written out
        """\
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training,
                      momentum=0.9, eps=1e-5):
    if training:
        n = x.shape[0]
        mean = x.sum(axis=0) / n
        var = ((x - mean) ** 2).sum(axis=0) / n
        new_mean = momentum * running_mean + (1 - momentum) * mean
        new_var = momentum * running_var + (1 - momentum) * var * n / (n - 1)
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean.copy(), running_var.copy()
    xhat = (x - mean) / np.sqrt(var + eps)
    return gamma * xhat + beta, (x, gamma, mean, var, eps, training), new_mean, new_var
""",
        # np.var with ddof=1 for the running estimate
        """\
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training,
                      momentum=0.9, eps=1e-5):
    if not training:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = (x, gamma, running_mean, running_var, eps, training)
        return out, cache, running_mean, running_var
    mean = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    new_mean = momentum * running_mean + (1 - momentum) * mean
    new_var = momentum * running_var + (1 - momentum) * np.var(x, axis=0, ddof=1)
    out = (x - mean) * (gamma / np.sqrt(var + eps)) + beta
    return out, (x, gamma, mean, var, eps, training), new_mean, new_var
""",
        # column by column
        """\
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training,
                      momentum=0.9, eps=1e-5):
    n, m = x.shape
    if training:
        mean = np.array([x[:, j].mean() for j in range(m)], dtype=x.dtype)
        var = np.array([np.mean((x[:, j] - mean[j]) ** 2) for j in range(m)], dtype=x.dtype)
        new_mean = running_mean * momentum + mean * (1 - momentum)
        new_var = running_var * momentum + var * (n / (n - 1)) * (1 - momentum)
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean, running_var
    out = np.empty_like(x)
    for j in range(m):
        out[:, j] = gamma[j] * (x[:, j] - mean[j]) / np.sqrt(var[j] + eps) + beta[j]
    return out, (x, gamma, mean, var, eps, training), new_mean, new_var
""",
    ],
    "batchnorm_backward": [
        # the staged chain rule: through xhat, the variance and the mean
        """\
def batchnorm_backward(dout, cache):
    x, gamma, mean, var, eps, training = cache
    n = x.shape[0]
    std = np.sqrt(var + eps)
    xhat = (x - mean) / std
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dxhat = dout * gamma
    if not training:
        return dxhat / std, dgamma, dbeta
    dvar = np.sum(dxhat * (x - mean), axis=0) * -0.5 * (var + eps) ** -1.5
    dmean = -np.sum(dxhat, axis=0) / std + dvar * -2.0 * np.mean(x - mean, axis=0)
    dx = dxhat / std + dvar * 2.0 * (x - mean) / n + dmean / n
    return dx, dgamma, dbeta
""",
        # the compact formula with sums
        """\
def batchnorm_backward(dout, cache):
    x, gamma, mean, var, eps, training = cache
    inv = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    if not training:
        return gamma * inv * dout, dgamma, dbeta
    n = x.shape[0]
    dx = gamma * inv / n * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta
""",
        # float64 accumulation, cast back
        """\
def batchnorm_backward(dout, cache):
    x, gamma, mean, var, eps, training = cache
    dtype = np.result_type(dout, x)
    g, x64 = dout.astype(np.float64), x.astype(np.float64)
    inv = 1.0 / np.sqrt(np.asarray(var, np.float64) + eps)
    xhat = (x64 - mean) * inv
    dbeta, dgamma = g.sum(axis=0), (g * xhat).sum(axis=0)
    dxhat = g * gamma
    if training:
        dxhat = dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)
    return (dxhat * inv).astype(dtype), dgamma.astype(dtype), dbeta.astype(dtype)
""",
    ],
    "residual_backward": [
        # the Chapter 6 calls, unpacking the cache by position
        """\
def residual_backward(dout, cache):
    grad_a, grad_w2, grad_b2 = dense_backward(dout, cache[2])
    grad_h = relu_backward(grad_a, cache[1])
    grad_x, grad_w1, grad_b1 = dense_backward(grad_h, cache[0])
    return grad_x + dout, grad_w1, grad_b1, grad_w2, grad_b2
""",
        # the skip path first, the branch's gradient added to a copy
        """\
def residual_backward(dout, cache):
    first, relu_cache, second = cache
    dx = np.array(dout, copy=True)
    back = dense_backward(dout, second)
    dh = relu_backward(back[0], relu_cache)
    dx_branch, dw1, db1 = dense_backward(dh, first)
    dx += dx_branch
    return dx, dw1, db1, back[1], back[2]
""",
        # a loop over the branch's layers in reverse, collecting the parameter gradients
        """\
def residual_backward(dout, cache):
    dense1, relu, dense2 = cache
    grad = dout
    params = []
    for kind, layer_cache in (("dense", dense2), ("relu", relu), ("dense", dense1)):
        if kind == "dense":
            grad, dw, db = dense_backward(grad, layer_cache)
            params = [dw, db] + params
        else:
            grad = relu_backward(grad, layer_cache)
    return (dout + grad, *params)
""",
    ],
}
