"""Chapter 7 mutants: one plausible mistake per graded part (two or three for some).

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE``
in one solution cell (the function body, indented by four spaces). Grading a
notebook with every other cell solved must cost exactly that part's points: the
caches have fixed formats, so a wrong forward pass does not spill over into its
backward pass.
"""

from tests.mutants import Mutant

_SHAPE = "size=(fan_in, fan_out)"
_DROPOUT_HEAD = (
    "    if not 0 <= p < 1:\n"
    "        raise ValueError('p must lie in [0, 1)')\n"
    "    if not training:\n"
    "        return x, np.ones_like(x)\n")
_BN_BATCH = (
    "    n = x.shape[0]\n"
    "    mean, var = x.mean(axis=0), x.var(axis=0)\n")
_BN_TAIL = (
    "    out = gamma * (x - mean) / np.sqrt(var + eps) + beta\n"
    "    return out, (x, gamma, mean, var, eps, training), new_mean, new_var\n")

MUTANTS = {
    "xavier_normal_not_uniform": Mutant(
        "xavier_uniform",
        f"    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), {_SHAPE})\n"),
    "xavier_lecun_bound": Mutant(
        "xavier_uniform",
        f"    a = np.sqrt(3.0 / fan_in)\n    return rng.uniform(-a, a, {_SHAPE})\n"),
    "xavier_global_rng": Mutant(
        "xavier_uniform",
        f"    a = np.sqrt(6.0 / (fan_in + fan_out))\n"
        f"    return np.random.uniform(-a, a, {_SHAPE})\n"),
    "he_variance_as_scale": Mutant(
        "he_normal", f"    return rng.normal(0.0, 2.0 / fan_in, {_SHAPE})\n"),
    "he_with_xavier_variance": Mutant(
        "he_normal",
        f"    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), {_SHAPE})\n"),
    "he_uniform_not_normal": Mutant(
        "he_normal", f"    a = np.sqrt(6.0 / fan_in)\n    return rng.uniform(-a, a, {_SHAPE})\n"),
    "leaky_forward_ignores_alpha": Mutant(
        "leaky_relu_forward", "    return np.where(x > 0, x, 0.01 * x), (x, alpha)\n"),
    "leaky_backward_right_slope_at_zero": Mutant(
        "leaky_relu_backward",
        "    x, alpha = cache\n    return np.where(x >= 0, dout, alpha * dout)\n"),
    "prelu_forward_one_shared_slope": Mutant(
        "prelu_forward", "    return np.where(x > 0, x, alpha.mean() * x), (x, alpha)\n"),
    "prelu_backward_dalpha_without_mask": Mutant(
        "prelu_backward",
        "    x, alpha = cache\n"
        "    return np.where(x > 0, dout, alpha * dout), np.sum(dout * x, axis=0)\n"),
    "prelu_backward_dalpha_mean": Mutant(
        "prelu_backward",
        "    x, alpha = cache\n"
        "    dalpha = np.mean(dout * np.minimum(x, 0), axis=0)\n"
        "    return np.where(x > 0, dout, alpha * dout), dalpha\n"),
    "elu_forward_overflows": Mutant(
        "elu_forward", "    return np.where(x > 0, x, alpha * (np.exp(x) - 1)), (x, alpha)\n"),
    "elu_backward_overflows": Mutant(
        "elu_backward",
        "    x, alpha = cache\n    return np.where(x > 0, dout, dout * alpha * np.exp(x))\n"),
    "elu_backward_without_alpha": Mutant(
        "elu_backward",
        "    x, alpha = cache\n"
        "    return np.where(x > 0, dout, dout * np.exp(np.minimum(x, 0)))\n"),
    "dropout_scales_by_p": Mutant(
        "dropout_forward", _DROPOUT_HEAD +
        "    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(p)\n"
        "    return x * mask, mask\n"),
    "dropout_keeps_with_probability_p": Mutant(
        "dropout_forward", _DROPOUT_HEAD +
        "    mask = (rng.random(x.shape) < p).astype(x.dtype) / x.dtype.type(1 - p)\n"
        "    return x * mask, mask\n"),
    "dropout_global_rng": Mutant(
        "dropout_forward", _DROPOUT_HEAD +
        "    mask = (np.random.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)\n"
        "    return x * mask, mask\n"),
    "dropout_backward_ignores_mask": Mutant("dropout_backward", "    return dout\n"),
    "batchnorm_biased_running_var": Mutant(
        "batchnorm_forward",
        "    if training:\n" + _BN_BATCH.replace("    ", "        ", 2) +
        "        new_mean = momentum * running_mean + (1 - momentum) * mean\n"
        "        new_var = momentum * running_var + (1 - momentum) * var\n"
        "    else:\n"
        "        mean, var = running_mean, running_var\n"
        "        new_mean, new_var = running_mean, running_var\n"
        + _BN_TAIL),
    "batchnorm_updates_in_place": Mutant(
        "batchnorm_forward",
        "    if training:\n" + _BN_BATCH.replace("    ", "        ", 2) +
        "        running_mean *= momentum\n"
        "        running_mean += (1 - momentum) * mean\n"
        "        running_var *= momentum\n"
        "        running_var += (1 - momentum) * (n / (n - 1)) * var\n"
        "    else:\n"
        "        mean, var = running_mean, running_var\n"
        "    new_mean, new_var = running_mean, running_var\n" + _BN_TAIL),
    "batchnorm_eval_uses_batch_statistics": Mutant(
        "batchnorm_forward",
        _BN_BATCH +
        "    if training:\n"
        "        new_mean = momentum * running_mean + (1 - momentum) * mean\n"
        "        new_var = momentum * running_var + (1 - momentum) * (n / (n - 1)) * var\n"
        "    else:\n"
        "        new_mean, new_var = running_mean, running_var\n" + _BN_TAIL),
    "batchnorm_backward_statistics_as_constants": Mutant(
        "batchnorm_backward",
        "    x, gamma, mean, var, eps, training = cache\n"
        "    inv_std = 1.0 / np.sqrt(var + eps)\n"
        "    xhat = (x - mean) * inv_std\n"
        "    return dout * gamma * inv_std, (dout * xhat).sum(axis=0), dout.sum(axis=0)\n"),
    "batchnorm_backward_without_variance_path": Mutant(
        "batchnorm_backward",
        "    x, gamma, mean, var, eps, training = cache\n"
        "    inv_std = 1.0 / np.sqrt(var + eps)\n"
        "    xhat = (x - mean) * inv_std\n"
        "    dxhat = dout * gamma\n"
        "    dx = dxhat * inv_std\n"
        "    if training:\n"
        "        dx = dx - dx.mean(axis=0)\n"
        "    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)\n"),
    "residual_backward_without_skip": Mutant(
        "residual_backward",
        "    cache1, cache_relu, cache2 = cache\n"
        "    da, dw2, db2 = dense_backward(dout, cache2)\n"
        "    dh = relu_backward(da, cache_relu)\n"
        "    dx, dw1, db1 = dense_backward(dh, cache1)\n"
        "    return dx, dw1, db1, dw2, db2\n"),
}
