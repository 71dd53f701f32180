"""Chapters 6 and 7: layers as forward/backward pairs.

Each op is a pair of pure functions: ``<op>_forward(...) -> (out, cache)``
computes the output and keeps what the backward pass needs in a named
cache; ``<op>_backward(dout, cache)`` takes the upstream gradient
``dout = dL/dout`` and returns the gradients of the loss with respect to
each input. Nothing is mutated: not the inputs, not ``dout``, not the cache.

Shapes use N (batch), D (input features) and M (output features).
Train/eval behaviour (dropout, batch norm) is chosen by ``training: bool``;
the batch-norm running statistics are passed in and returned anew.

As in :mod:`solutions.activations`, each public function validates its
arguments and calls a private core (``_dense_forward(xp, x, w, b)`` ...) that
:class:`solutions.network.MLP` calls directly.
"""

from typing import NamedTuple

from solutions.activations import ReluCache, _relu_backward, _relu_forward
from solutions.backend import device, float_dtype, get_xp, namespace_and_device, random_uniform
from solutions.validation import as_float_array, as_upstream_gradient, check_positive, check_rng

__all__ = [
    "DenseCache",
    "dense_forward",
    "dense_backward",
    "DropoutCache",
    "dropout_forward",
    "dropout_backward",
    "BatchNormState",
    "batchnorm_init_state",
    "BatchNormCache",
    "batchnorm_forward",
    "batchnorm_backward",
    "LayerNormCache",
    "layernorm_forward",
    "layernorm_backward",
    "ResidualCache",
    "residual_forward",
    "residual_backward",
]


class DenseCache(NamedTuple):
    """What :func:`dense_backward` needs from the forward pass."""

    x: object
    """Input of shape (N, D)."""
    w: object
    """Weights of shape (D, M)."""


def dense_forward(x, w, b):
    r"""Affine map :math:`\mathrm{out} = x W + b`.

    Parameters
    ----------
    x : array of shape (N, D)
    w : array of shape (D, M)
    b : array of shape (M,)

    Returns
    -------
    out : array of shape (N, M)
    cache : DenseCache

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = dense_forward(np.ones((2, 3)), np.ones((3, 4)), np.zeros(4))
    >>> out.shape
    (2, 4)

    """
    xp = get_xp(x, w, b)
    return _dense_forward(xp, *_check_dense_args(xp, x, w, b))


def _check_dense_args(xp, x, w, b, names=("x", "w", "b")):
    """Validate the input (N, D), weights (D, M) and bias (M,) of an affine map."""
    x_name, w_name, b_name = names
    x = as_float_array(x, x_name, ndim=2, shape="(N, D)", xp=xp)
    w = as_float_array(w, w_name, ndim=2, shape="(D, M)", xp=xp)
    b = as_float_array(b, b_name, ndim=1, shape="(M,)", xp=xp)
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            f"{w_name} must have shape (D, M) with D={x.shape[1]} (the columns of {x_name}); "
            f"got {w_name}.shape={tuple(w.shape)}"
        )
    if b.shape != (w.shape[1],):
        raise ValueError(f"{b_name} must have shape ({w.shape[1]},), one per output; "
                         f"got {tuple(b.shape)}")
    return x, w, b


def _dense_forward(xp, x, w, b):
    """Core of :func:`dense_forward` on checked arrays."""
    out = x @ w
    out += b
    return out, DenseCache(x, w)


def dense_backward(dout, cache, *, need_dx=True):
    r"""Gradients of the affine map: :math:`dx = d W^\top, dW = x^\top d, db = \sum_n d_n`.

    Parameters
    ----------
    dout : array of shape (N, M)
        Upstream gradient.
    cache : DenseCache
        From :func:`dense_forward`.
    need_dx : bool, default True
        False skips the product for ``dx`` (returned as None): the first
        layer of a network needs no gradient for its input, the data.

    Returns
    -------
    dx : array of shape (N, D), or None
    dw : array of shape (D, M)
    db : array of shape (M,)

    """
    xp = get_xp(dout, cache.x)
    dout = as_upstream_gradient(dout, (cache.x.shape[0], cache.w.shape[1]), xp=xp)
    return _dense_backward(xp, dout, cache, need_dx=need_dx)


def _dense_backward(xp, dout, cache, *, need_dx=True):
    """Core of :func:`dense_backward` on a checked ``dout``."""
    x, w = cache
    dx = dout @ w.T if need_dx else None
    return dx, x.T @ dout, xp.sum(dout, axis=0)


def _check_training(training):
    """Raise TypeError unless ``training`` is a bool (not a mode string such as "train")."""
    if not isinstance(training, bool):
        raise TypeError(f"training must be True or False; got {training!r}")


def _check_fraction(value, name, *, closed):
    """Return ``value`` if it is a real number in [0, 1) (or [0, 1] when ``closed``)."""
    check_positive(value, name, allow_zero=True)
    if value > 1 or (value == 1 and not closed):
        bound = "[0, 1]" if closed else "[0, 1)"
        raise ValueError(f"{name} must lie in {bound}; got {value!r}")
    return value


def _check_vector(v, name, m, xp):
    """Return ``v`` as a float array of shape (m,), or raise naming ``name``."""
    v = as_float_array(v, name, ndim=1, shape="(M,)", xp=xp)
    if v.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},), one entry per feature; "
                         f"got {tuple(v.shape)}")
    return v


class DropoutCache(NamedTuple):
    """What :func:`dropout_backward` needs from the forward pass."""

    mask: object
    """0 for dropped units, 1/(1-p) for kept ones, shape of x; None when nothing was dropped."""
    shape: tuple
    """Shape of the forward input and output."""


def dropout_forward(x, p, rng, training):
    r"""Inverted dropout :math:`\mathrm{out} = x \odot m / (1 - p)`, :math:`m_i \in \{0, 1\}`.

    Each unit is dropped (:math:`m_i = 0`) with probability ``p`` and the kept ones
    are scaled by :math:`1/(1-p)`, so the expected output equals ``x`` and
    nothing needs rescaling at test time.

    Parameters
    ----------
    x : array of any shape, e.g. (N, M)
    p : float in [0, 1)
        Probability of dropping a unit.
    rng : numpy.random.Generator or None
        Draws the mask; used only when ``training`` and ``p > 0``.
    training : bool
        False (evaluation): the identity, ``out`` is ``x`` itself.

    Returns
    -------
    out : array of the shape and dtype of ``x``
    cache : DropoutCache

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = dropout_forward(np.ones((2, 4)), 0.5, np.random.default_rng(0), True)
    >>> sorted(set(out.ravel().tolist()))
    [0.0, 2.0]

    """
    xp = get_xp(x)
    x = as_float_array(x, "x", xp=xp)
    _check_fraction(p, "p", closed=False)
    _check_training(training)
    if training and p > 0:
        check_rng(rng)
    return _dropout_forward(xp, x, p, rng, training)


def _dropout_forward(xp, x, p, rng, training):
    """Core of :func:`dropout_forward` on checked arguments."""
    if not training or p == 0:
        return x, DropoutCache(None, x.shape)
    uniform = random_uniform(rng, x.shape, x.dtype, xp, device(x))
    mask = xp.astype(uniform >= p, x.dtype)
    mask *= 1 / (1 - p)
    return x * mask, DropoutCache(mask, x.shape)


def dropout_backward(dout, cache):
    r"""Gradient of dropout, :math:`dx = d \odot m / (1 - p)`: the same mask as the forward pass.

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : DropoutCache

    Returns
    -------
    dx : array of the same shape (``dout`` itself when nothing was dropped)

    """
    xp = get_xp(dout, cache.mask)
    return _dropout_backward(xp, as_upstream_gradient(dout, cache.shape, xp=xp), cache)


def _dropout_backward(xp, dout, cache):
    """Core of :func:`dropout_backward` on a checked ``dout``."""
    return dout if cache.mask is None else dout * cache.mask


class BatchNormState(NamedTuple):
    """Running statistics of batch normalization, used when not training."""

    running_mean: object
    """Exponential moving average of the batch means, shape (M,)."""
    running_var: object
    """Exponential moving average of the unbiased batch variances, shape (M,)."""


def batchnorm_init_state(M, dtype="float64", *, like=None):
    """Return the initial running statistics: mean 0 and variance 1 for each of ``M`` features.

    Parameters
    ----------
    M : int
        Number of features.
    dtype : float32 or float64, default "float64"
        A name, a NumPy dtype or a dtype of the array library.
    like : array or array namespace, optional
        Put the state in this library, on this array's device (NumPy when None).

    Returns
    -------
    state : BatchNormState

    Examples
    --------
    >>> batchnorm_init_state(2)
    BatchNormState(running_mean=array([0., 0.]), running_var=array([1., 1.]))

    """
    check_positive(M, "M", integer=True)
    xp, dev = namespace_and_device(like)
    dtype = float_dtype(xp, dtype)
    return BatchNormState(xp.zeros(M, dtype=dtype, device=dev), xp.ones(M, dtype=dtype, device=dev))


class BatchNormCache(NamedTuple):
    """What :func:`batchnorm_backward` needs from the forward pass."""

    xhat: object
    r"""Normalized input :math:`\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}`, shape (N, M)."""
    gamma: object
    """Scale, shape (M,)."""
    inv_std: object
    r""":math:`1/\sqrt{\sigma^2 + \epsilon}` of the statistics used, shape (M,)."""
    training: bool
    """True: batch statistics (they depend on x); False: running statistics (constants)."""


def _check_batchnorm_args(x, gamma, beta, state, momentum, eps):
    """Validate the arguments of :func:`batchnorm_forward`; returns x, gamma, beta, stats.

    ``stats`` holds the validated running statistics as arrays; ``state``
    itself is left as it is, so that evaluation mode can return it unchanged.
    """
    if not isinstance(state, BatchNormState):
        raise TypeError("state must be a BatchNormState, e.g. batchnorm_init_state(M); "
                        f"got {type(state).__name__}")
    xp = get_xp(x, gamma, beta, *state)
    x = as_float_array(x, "x", ndim=2, shape="(N, M)", xp=xp)
    m = x.shape[1]
    gamma, beta = _check_vector(gamma, "gamma", m, xp), _check_vector(beta, "beta", m, xp)
    stats = BatchNormState(_check_vector(state.running_mean, "state.running_mean", m, xp),
                           _check_vector(state.running_var, "state.running_var", m, xp))
    _check_fraction(momentum, "momentum", closed=True)
    check_positive(eps, "eps")
    return xp, x, gamma, beta, stats


def batchnorm_forward(x, gamma, beta, state, training, momentum=0.9, eps=1e-5):
    r"""Batch norm :math:`\mathrm{out} = \gamma (x - \mu) / \sqrt{\sigma^2 + \epsilon} + \beta`.

    Training: :math:`\mu, \sigma^2` are the mean and the biased variance of
    each feature over the batch, and the running statistics move towards the
    batch's: :math:`r \leftarrow \text{momentum}\cdot r + (1 - \text{momentum})\cdot s`,
    where the variance statistic is the unbiased one, :math:`\frac{N}{N-1}\sigma^2`
    (an estimate of the population variance, as in PyTorch). Evaluation: the
    running statistics are used and the state is returned unchanged.

    Parameters
    ----------
    x : array of shape (N, M)
        N >= 2 when training.
    gamma, beta : array of shape (M,)
        Learned scale and shift.
    state : BatchNormState
        Running statistics, not modified.
    training : bool
    momentum : float in [0, 1], default 0.9
        Weight of the old running statistics.
    eps : float > 0, default 1e-5

    Returns
    -------
    out : array of shape (N, M)
    cache : BatchNormCache
    new_state : BatchNormState
        New arrays when training; ``state`` itself when not.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> out, _, new = batchnorm_forward(x, np.ones(2), np.zeros(2), batchnorm_init_state(2), True)
    >>> out.round(3), new.running_mean
    (array([[-1., -1.],
           [ 1.,  1.]]), array([0.2, 2. ]))

    """
    xp, x, gamma, beta, stats = _check_batchnorm_args(x, gamma, beta, state, momentum, eps)
    _check_training(training)
    if training and x.shape[0] < 2:
        raise ValueError("x must have at least 2 rows (samples) in training mode; "
                         f"got {tuple(x.shape)}")
    out, cache, new_state = _batchnorm_forward(xp, x, gamma, beta, stats, training, momentum, eps)
    return out, cache, new_state if training else state


def _batchnorm_forward(xp, x, gamma, beta, state, training, momentum=0.9, eps=1e-5):
    """Core of :func:`batchnorm_forward` on checked arguments (N >= 2 when training)."""
    if not training:
        inv_std = 1 / xp.sqrt(state.running_var + eps)
        xhat = (x - state.running_mean) * inv_std
        return gamma * xhat + beta, BatchNormCache(xhat, gamma, inv_std, False), state
    n = x.shape[0]
    mean = xp.mean(x, axis=0)
    xhat = x - mean
    var = xp.mean(xhat * xhat, axis=0)
    inv_std = 1 / xp.sqrt(var + eps)
    xhat *= inv_std
    new_state = BatchNormState(
        momentum * state.running_mean + (1 - momentum) * mean,
        momentum * state.running_var + (1 - momentum) * (n / (n - 1)) * var,
    )
    return gamma * xhat + beta, BatchNormCache(xhat, gamma, inv_std, True), new_state


def batchnorm_backward(dout, cache):
    r"""Gradients of batch norm, through :math:`\mu, \sigma^2` if they were batch statistics.

    With :math:`g = d \odot \gamma` (the gradient w.r.t. :math:`\hat x`) and means
    over the batch, training mode gives
    :math:`dx = \frac{1}{\sigma} (g - \overline{g} - \hat x\, \overline{g \hat x})`;
    evaluation mode (constant running statistics) gives :math:`dx = g / \sigma`.

    Parameters
    ----------
    dout : array of shape (N, M)
    cache : BatchNormCache

    Returns
    -------
    dx : array of shape (N, M)
    dgamma : array of shape (M,), :math:`\sum_n d_n \hat x_n`
    dbeta : array of shape (M,), :math:`\sum_n d_n`

    """
    xp = get_xp(dout, cache.xhat)
    dout = as_upstream_gradient(dout, cache.xhat.shape, xp=xp)
    return _batchnorm_backward(xp, dout, cache)


def _batchnorm_backward(xp, dout, cache):
    """Core of :func:`batchnorm_backward` on a checked ``dout``."""
    xhat, gamma, inv_std, training = cache
    dbeta = xp.sum(dout, axis=0)
    dgamma = xp.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    if not training:
        return dxhat * inv_std, dgamma, dbeta
    n = xhat.shape[0]
    dx = dxhat - xp.mean(dxhat, axis=0)
    dx -= xhat * (dgamma * gamma / n)  # mean of dxhat * xhat = gamma * dgamma / N
    dx *= inv_std
    return dx, dgamma, dbeta


class LayerNormCache(NamedTuple):
    """What :func:`layernorm_backward` needs from the forward pass."""

    xhat: object
    r"""Normalized input :math:`(x_n - \mu_n)/\sqrt{\sigma_n^2 + \epsilon}`, shape (N, M)."""
    gamma: object
    """Scale, shape (M,)."""
    inv_std: object
    r""":math:`1/\sqrt{\sigma_n^2 + \epsilon}` of each sample, shape (N, 1)."""


def layernorm_forward(x, gamma, beta, eps=1e-5):
    r"""Layer norm :math:`\gamma (x_n - \mu_n) / \sqrt{\sigma_n^2 + \epsilon} + \beta` per sample.

    Unlike batch norm, the mean :math:`\mu_n` and the biased variance
    :math:`\sigma_n^2` are taken over the M features of each sample, so the
    layer behaves the same in training and evaluation and needs no running
    statistics.

    Parameters
    ----------
    x : array of shape (N, M)
    gamma, beta : array of shape (M,)
        Learned scale and shift, one per feature.
    eps : float > 0, default 1e-5

    Returns
    -------
    out : array of shape (N, M)
    cache : LayerNormCache

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = layernorm_forward(np.array([[1.0, 3.0], [10.0, 30.0]]), np.ones(2), np.zeros(2))
    >>> out.round(3)
    array([[-1.,  1.],
           [-1.,  1.]])

    """
    xp = get_xp(x, gamma, beta)
    x = as_float_array(x, "x", ndim=2, shape="(N, M)", xp=xp)
    m = x.shape[1]
    gamma, beta = _check_vector(gamma, "gamma", m, xp), _check_vector(beta, "beta", m, xp)
    check_positive(eps, "eps")
    return _layernorm_forward(xp, x, gamma, beta, eps)


def _layernorm_forward(xp, x, gamma, beta, eps=1e-5):
    """Core of :func:`layernorm_forward` on checked arguments."""
    xhat = x - xp.mean(x, axis=1, keepdims=True)
    inv_std = 1 / xp.sqrt(xp.mean(xhat * xhat, axis=1, keepdims=True) + eps)
    xhat *= inv_std
    return gamma * xhat + beta, LayerNormCache(xhat, gamma, inv_std)


def layernorm_backward(dout, cache):
    r"""Gradients of layer norm, through each sample's own mean and variance.

    With :math:`g = d \odot \gamma` and means over the features of each sample,
    :math:`dx = \frac{1}{\sigma_n} (g - \overline{g} - \hat x\, \overline{g \hat x})`.

    Parameters
    ----------
    dout : array of shape (N, M)
    cache : LayerNormCache

    Returns
    -------
    dx : array of shape (N, M)
    dgamma : array of shape (M,), :math:`\sum_n d_n \hat x_n`
    dbeta : array of shape (M,), :math:`\sum_n d_n`

    """
    xp = get_xp(dout, cache.xhat)
    dout = as_upstream_gradient(dout, cache.xhat.shape, xp=xp)
    return _layernorm_backward(xp, dout, cache)


def _layernorm_backward(xp, dout, cache):
    """Core of :func:`layernorm_backward` on a checked ``dout``."""
    xhat, gamma, inv_std = cache
    dxhat = dout * gamma
    dx = dxhat - xp.mean(dxhat, axis=1, keepdims=True)
    dx -= xhat * xp.mean(dxhat * xhat, axis=1, keepdims=True)
    dx *= inv_std
    return dx, xp.sum(dout * xhat, axis=0), xp.sum(dout, axis=0)


class ResidualCache(NamedTuple):
    """What :func:`residual_backward` needs: the caches of the three inner steps."""

    dense1: DenseCache
    """Cache of the first dense layer, x W1 + b1."""
    relu: ReluCache
    """Cache of the ReLU between them."""
    dense2: DenseCache
    """Cache of the second dense layer, h W2 + b2."""


def residual_forward(x, w1, b1, w2, b2):
    r"""Residual block :math:`\mathrm{out} = x + \mathrm{relu}(x W_1 + b_1) W_2 + b_2`.

    The block only has to learn the residual :math:`f(x)`: with zero weights
    it is the identity, and the gradient reaches ``x`` through the addition
    unchanged, however deep the stack.

    Parameters
    ----------
    x : array of shape (N, D)
    w1 : array of shape (D, M)
    b1 : array of shape (M,)
    w2 : array of shape (M, D)
        Maps back to D features, so that ``f(x)`` can be added to ``x``.
    b2 : array of shape (D,)

    Returns
    -------
    out : array of shape (N, D)
    cache : ResidualCache

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, -2.0]])
    >>> residual_forward(x, np.zeros((2, 3)), np.zeros(3), np.zeros((3, 2)), np.zeros(2))[0]
    array([[ 1., -2.]])

    """
    xp = get_xp(x, w1, b1, w2, b2)
    x, w1, b1 = _check_dense_args(xp, x, w1, b1, ("x", "w1", "b1"))
    w2 = as_float_array(w2, "w2", ndim=2, shape="(M, D)", xp=xp)
    if w2.shape[1] != x.shape[1]:
        raise ValueError(f"w2 must map back to the D={x.shape[1]} features of x, shape (M, "
                         f"{x.shape[1]}); got w2.shape={tuple(w2.shape)}")
    _, w2, b2 = _check_dense_args(xp, b1[None, :], w2, b2, ("h", "w2", "b2"))
    return _residual_forward(xp, x, w1, b1, w2, b2)


def _residual_forward(xp, x, w1, b1, w2, b2):
    """Core of :func:`residual_forward` on checked arrays."""
    h, dense1 = _dense_forward(xp, x, w1, b1)
    a, relu = _relu_forward(xp, h)
    out, dense2 = _dense_forward(xp, a, w2, b2)
    out += x
    return out, ResidualCache(dense1, relu, dense2)


def residual_backward(dout, cache):
    r"""Gradients of the residual block: :math:`dx = d + \partial f/\partial x^\top d`.

    Parameters
    ----------
    dout : array of shape (N, D)
    cache : ResidualCache

    Returns
    -------
    dx : array of shape (N, D)
    dw1 : array of shape (D, M)
    db1 : array of shape (M,)
    dw2 : array of shape (M, D)
    db2 : array of shape (D,)

    """
    xp = get_xp(dout, cache.dense2.x)
    shape = (cache.dense2.x.shape[0], cache.dense2.w.shape[1])
    return _residual_backward(xp, as_upstream_gradient(dout, shape, xp=xp), cache)


def _residual_backward(xp, dout, cache):
    """Core of :func:`residual_backward` on a checked ``dout``."""
    dense1, relu, dense2 = cache
    da, dw2, db2 = _dense_backward(xp, dout, dense2)
    dh = _relu_backward(xp, da, relu)
    dx, dw1, db1 = _dense_backward(xp, dh, dense1)
    dx += dout
    return dx, dw1, db1, dw2, db2
