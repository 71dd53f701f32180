"""Chapter 7, training deep networks: the mistakes learners make, part by part."""

from autograder.mistakes import Mistake

_SHAPE = "size=(fan_in, fan_out)"
_DROPOUT = ("def dropout_forward(x, p, rng, training):\n"
            "    if not 0 <= p < 1:\n"
            "        raise ValueError('p must lie in [0, 1)')\n"
            "    if not training:\n"
            "        return x, np.ones_like(x)\n")
_BN_HEAD = ("def batchnorm_forward(x, gamma, beta, running_mean, running_var, training,\n"
            "                      momentum=0.9, eps=1e-5):\n")
_BN_BATCH = ("    n = x.shape[0]\n"
             "    mean, var = x.mean(axis=0), x.var(axis=0)\n")
_BN_TAIL = ("    out = gamma * (x - mean) / np.sqrt(var + eps) + beta\n"
            "    return out, (x, gamma, mean, var, eps, training), new_mean, new_var\n")
_BN_BACK = ("def batchnorm_backward(dout, cache):\n"
            "    x, gamma, mean, var, eps, training = cache\n"
            "    inv_std = 1.0 / np.sqrt(var + eps)\n"
            "    xhat = (x - mean) * inv_std\n")

_RESIDUAL = ("def residual_backward(dout, cache):\n"
             "    cache1, cache_relu, cache2 = cache\n"
             "    da, dw2, db2 = dense_backward(dout, cache2)\n"
             "    dh = relu_backward(da, cache_relu)\n"
             "    dx, dw1, db1 = dense_backward(dh, {CACHE1})\n"
             "    return {DX}, dw1, db1, dw2, db2\n")

_SILU = ("def silu_backward(dout, cache):\n"
         "    x = cache\n"
         "    s = np.exp(-np.logaddexp(0, -x))\n"
         "    return {SLOPE}\n")

_LAYERNORM = ("def layernorm_backward(dout, cache):\n"
              "    x, gamma, mean, var, eps = cache\n"
              "    inv_std = 1 / np.sqrt(var + eps)\n"
              "    xhat = (x - mean) * inv_std\n"
              "    g = dout * gamma\n"
              "    dx = inv_std * (g - g.mean(axis={AXIS}, keepdims=True)\n"
              "                    - xhat * (g * xhat).mean(axis={AXIS}, keepdims=True))\n"
              "    return dx, np.sum(dout * xhat, axis=0), np.sum(dout, axis=0)\n")

MISTAKES = {
    "xavier_uniform": (
        Mistake("a normal distribution was drawn instead of a uniform one",
                "Xavier's uniform version draws U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).",
                "def xavier_uniform(fan_in, fan_out, rng):\n"
                f"    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), {_SHAPE})\n"),
        Mistake("the bound ignored fan_out",
                "Xavier balances both directions: a = sqrt(6 / (fan_in + fan_out)).",
                "def xavier_uniform(fan_in, fan_out, rng):\n"
                "    a = np.sqrt(3.0 / fan_in)\n"
                f"    return rng.uniform(-a, a, {_SHAPE})\n"),
    ),
    "he_normal": (
        # Statistics of a draw cannot tell a wrong spread apart from another (for example
        # Xavier's variance): one mistake names them all.
        Mistake("the weights did not have the variance 2 / fan_in",
                "rng.normal takes the standard deviation, sqrt(2 / fan_in): He's variance "
                "makes up for the half of the inputs that ReLU zeroes.",
                "def he_normal(fan_in, fan_out, rng):\n"
                f"    return rng.normal(0.0, 2.0 / fan_in, {_SHAPE})\n"),
        Mistake("a uniform distribution was drawn instead of a normal one",
                "He's normal version draws from N(0, 2 / fan_in) with rng.normal.",
                "def he_normal(fan_in, fan_out, rng):\n"
                "    a = np.sqrt(6.0 / fan_in)\n"
                f"    return rng.uniform(-a, a, {_SHAPE})\n"),
    ),
    "leaky_relu_forward": (
        Mistake("the slope alpha was ignored",
                "Use the alpha argument, not the default 0.01.",
                "def leaky_relu_forward(x, alpha=0.01):\n"
                "    return np.where(x > 0, x, 0.01 * x), (x, alpha)\n"),
    ),
    "leaky_relu_backward": (
        Mistake("the slope 1 was used at x = 0",
                "The negative side includes the kink: alpha * dout where x <= 0.",
                "def leaky_relu_backward(dout, cache):\n"
                "    x, alpha = cache\n"
                "    return np.where(x >= 0, dout, alpha * dout)\n"),
    ),
    "prelu_forward": (
        Mistake("one slope was shared by every column",
                "alpha has one slope per column, broadcast along the rows.",
                "def prelu_forward(x, alpha):\n"
                "    return np.where(x > 0, x, alpha.mean() * x), (x, alpha)\n"),
    ),
    "prelu_backward": (
        Mistake("the slope gradient summed dout * x over positive x too",
                "alpha only acts where x <= 0, so only those entries add to dalpha.",
                "def prelu_backward(dout, cache):\n"
                "    x, alpha = cache\n"
                "    return np.where(x > 0, dout, alpha * dout), np.sum(dout * x, axis=0)\n"),
        Mistake("the slope gradient was averaged instead of summed over the batch",
                "alpha is shared by every row, so dalpha adds up the rows' contributions.",
                "def prelu_backward(dout, cache):\n"
                "    x, alpha = cache\n"
                "    dalpha = np.mean(dout * np.minimum(x, 0), axis=0)\n"
                "    return np.where(x > 0, dout, alpha * dout), dalpha\n"),
    ),
    "elu_forward": (
        Mistake("exp was evaluated on the positive entries too",
                "np.where computes both branches: exp of a large positive x overflows "
                "before it is discarded, so take exp of np.minimum(x, 0).",
                "def elu_forward(x, alpha=1.0):\n"
                "    return np.where(x > 0, x, alpha * (np.exp(x) - 1)), (x, alpha)\n"),
    ),
    "elu_backward": (
        Mistake("exp was evaluated on the positive entries too",
                "np.where computes both branches: take exp of np.minimum(x, 0).",
                "def elu_backward(dout, cache):\n"
                "    x, alpha = cache\n"
                "    return np.where(x > 0, dout, dout * alpha * np.exp(x))\n"),
        Mistake("alpha was left out of the negative side's slope",
                "The derivative of alpha (exp(x) - 1) is alpha exp(x).",
                "def elu_backward(dout, cache):\n"
                "    x, alpha = cache\n"
                "    return np.where(x > 0, dout, dout * np.exp(np.minimum(x, 0)))\n"),
    ),
    "dropout_forward": (
        Mistake("the kept units were scaled by 1 / p",
                "Inverted dropout keeps the expectation: divide by the keep probability 1 - p.",
                _DROPOUT
                + "    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(p)\n"
                  "    return x * mask, mask\n"),
        Mistake("units were kept with probability p",
                "p is the probability of dropping: keep where rng.random(...) >= p.",
                _DROPOUT
                + "    mask = (rng.random(x.shape) < p).astype(x.dtype) / x.dtype.type(1 - p)\n"
                  "    return x * mask, mask\n"),
    ),
    "dropout_backward": (
        Mistake("the mask was not applied to the gradient",
                "Dropped units pass no gradient: dx = dout * mask.",
                "def dropout_backward(dout, cache):\n"
                "    return dout\n"),
    ),
    "batchnorm_forward": (
        Mistake("the running variance was updated with the biased batch variance",
                "The running variance estimates the population's: use N / (N - 1) times "
                "the batch variance.",
                _BN_HEAD
                + "    if training:\n" + _BN_BATCH.replace("    ", "        ", 2)
                + "        new_mean = momentum * running_mean + (1 - momentum) * mean\n"
                  "        new_var = momentum * running_var + (1 - momentum) * var\n"
                  "    else:\n"
                  "        mean, var = running_mean, running_var\n"
                  "        new_mean, new_var = running_mean, running_var\n"
                + _BN_TAIL),
        Mistake("the running statistics were updated in place",
                "running_mean *= ... changes the caller's arrays; return new ones.",
                _BN_HEAD
                + "    if training:\n" + _BN_BATCH.replace("    ", "        ", 2)
                + "        running_mean *= momentum\n"
                  "        running_mean += (1 - momentum) * mean\n"
                  "        running_var *= momentum\n"
                  "        running_var += (1 - momentum) * (n / (n - 1)) * var\n"
                  "    else:\n"
                  "        mean, var = running_mean, running_var\n"
                  "    new_mean, new_var = running_mean, running_var\n"
                + _BN_TAIL),
        Mistake("the batch statistics were used also in evaluation",
                "When not training, normalise with the running mean and variance.",
                _BN_HEAD + _BN_BATCH
                + "    if training:\n"
                  "        new_mean = momentum * running_mean + (1 - momentum) * mean\n"
                  "        new_var = (momentum * running_var\n"
                  "                   + (1 - momentum) * (n / (n - 1)) * var)\n"
                  "    else:\n"
                  "        new_mean, new_var = running_mean, running_var\n"
                + _BN_TAIL),
    ),
    "batchnorm_backward": (
        Mistake("the batch mean and variance were treated as constants",
                "In training they depend on every x, which adds two terms to dx.",
                _BN_BACK
                + "    return dout * gamma * inv_std, (dout * xhat).sum(axis=0), "
                  "dout.sum(axis=0)\n"),
        Mistake("the path through the variance was left out",
                "dx has three terms: the direct one, the mean's and the variance's.",
                _BN_BACK
                + "    dx = dout * gamma * inv_std\n"
                  "    if training:\n"
                  "        dx = dx - dx.mean(axis=0)\n"
                  "    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)\n"),
    ),
    "residual_backward": (
        Mistake("the gradient of the skip connection was not added to dx",
                "out = x + F(x), so dx is dout plus the gradient through F.",
                _RESIDUAL.format(DX="dx", CACHE1="cache1")),
        Mistake("the first dense layer's backward was given the second layer's cache",
                "Each backward call takes the cache its own forward call returned.",
                _RESIDUAL.format(DX="dx + dout", CACHE1="cache2")),
    ),
    "silu_backward": (
        Mistake("the product rule's second term was left out",
                "x * sigmoid(x) is a product: differentiate both factors.",
                _SILU.format(SLOPE="dout * s")),
        Mistake("the slope was returned without the upstream gradient",
                "The chain rule multiplies the local slope by dout, entry by entry.",
                _SILU.format(SLOPE="s * (1 + x * (1 - s))")),
    ),
    "layernorm_backward": (
        Mistake("the gradient was taken through the statistics as for batch norm, over the "
                "batch",
                "Layer norm's mean and variance are each sample's, over its features: axis=1.",
                _LAYERNORM.format(AXIS="0")),
        Mistake("the statistics were treated as constants",
                "mean and var are computed from x, so x also reaches the output through them.",
                "def layernorm_backward(dout, cache):\n"
                "    x, gamma, mean, var, eps = cache\n"
                "    xhat = (x - mean) / np.sqrt(var + eps)\n"
                "    return (dout * gamma / np.sqrt(var + eps), np.sum(dout * xhat, axis=0),\n"
                "            np.sum(dout, axis=0))\n"),
    ),
}
