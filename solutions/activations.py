"""Chapters 6 and 7: activation functions as forward/backward pairs.

Same contract as :mod:`solutions.layers`: ``<name>_forward(x, ...) ->
(out, cache)`` and ``<name>_backward(dout, cache) -> dx`` (PReLU also returns
the gradient of its learned slope). Elementwise: any shape, dtype preserved.
At a kink (:math:`x = 0`) every backward takes the slope of the left side,
as PyTorch does.

The public functions validate their arguments and call a private core
(``_relu_forward(xp, x)`` ...) that computes with the namespace ``xp`` on checked
arrays; :class:`solutions.network.MLP` calls the cores directly, so a network
step checks its input once, not at every layer.
"""

from typing import NamedTuple

from solutions.backend import get_xp, multiply_by_mask
from solutions.regression import _sigmoid
from solutions.validation import as_float_array, as_upstream_gradient, check_positive

__all__ = [
    "SigmoidCache",
    "sigmoid_forward",
    "sigmoid_backward",
    "TanhCache",
    "tanh_forward",
    "tanh_backward",
    "ReluCache",
    "relu_forward",
    "relu_backward",
    "LeakyReluCache",
    "leaky_relu_forward",
    "leaky_relu_backward",
    "PReluCache",
    "prelu_forward",
    "prelu_backward",
    "EluCache",
    "elu_forward",
    "elu_backward",
    "SoftplusCache",
    "softplus_forward",
    "softplus_backward",
    "SiluCache",
    "silu_forward",
    "silu_backward",
]


class SigmoidCache(NamedTuple):
    """What :func:`sigmoid_backward` needs from the forward pass."""

    out: object
    r"""The output :math:`\sigma(x)`; the derivative is :math:`\sigma(1 - \sigma)`."""


def sigmoid_forward(x):
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    The values come from :func:`solutions.regression.sigmoid` (one definition,
    stable for large :math:`|x|`); the pair adds the cache for the backward pass.

    Parameters
    ----------
    x : array of any shape

    Returns
    -------
    out : array of the same shape and dtype, values in [0, 1]
    cache : SigmoidCache

    Examples
    --------
    >>> sigmoid_forward([0.0])[0]
    array([0.5])

    """
    xp = get_xp(x)
    return _sigmoid_forward(xp, as_float_array(x, "x", finite=True, xp=xp))


def _sigmoid_forward(xp, x):
    """Core of :func:`sigmoid_forward` on a checked float array."""
    out = _sigmoid(xp, x)
    return out, SigmoidCache(out)


def sigmoid_backward(dout, cache):
    r"""Gradient of the sigmoid, :math:`dx = d \cdot \sigma(x)(1 - \sigma(x))`, at most d / 4.

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : SigmoidCache

    Returns
    -------
    dx : array of the same shape

    """
    xp = get_xp(dout, cache.out)
    return _sigmoid_backward(xp, as_upstream_gradient(dout, cache.out.shape, xp=xp), cache)


def _sigmoid_backward(xp, dout, cache):
    """Core of :func:`sigmoid_backward` on a checked ``dout``."""
    (out,) = cache
    return dout * out * (1 - out)


class TanhCache(NamedTuple):
    """What :func:`tanh_backward` needs from the forward pass."""

    out: object
    r"""The output :math:`\tanh(x)`; the derivative is :math:`1 - \tanh^2`."""


def tanh_forward(x):
    r"""Hyperbolic tangent :math:`\tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})`, values in (-1, 1).

    Parameters
    ----------
    x : array of any shape

    Returns
    -------
    out : array of the same shape and dtype
    cache : TanhCache

    Examples
    --------
    >>> tanh_forward([0.0])[0]
    array([0.])

    """
    xp = get_xp(x)
    return _tanh_forward(xp, as_float_array(x, "x", xp=xp))


def _tanh_forward(xp, x):
    """Core of :func:`tanh_forward` on a checked float array."""
    out = xp.tanh(x)
    return out, TanhCache(out)


def tanh_backward(dout, cache):
    r"""Gradient of tanh, :math:`dx = d \cdot (1 - \tanh^2 x)`, at most d.

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : TanhCache

    Returns
    -------
    dx : array of the same shape

    """
    xp = get_xp(dout, cache.out)
    return _tanh_backward(xp, as_upstream_gradient(dout, cache.out.shape, xp=xp), cache)


def _tanh_backward(xp, dout, cache):
    """Core of :func:`tanh_backward` on a checked ``dout``."""
    (out,) = cache
    return dout * (1 - out * out)


class ReluCache(NamedTuple):
    """What :func:`relu_backward` needs from the forward pass."""

    out: object
    """The output max(0, x); positive exactly where the gradient passes."""


def relu_forward(x):
    r"""Rectified linear unit :math:`\max(0, x)`.

    Parameters
    ----------
    x : array of any shape

    Returns
    -------
    out : array of the same shape and dtype
    cache : ReluCache

    Examples
    --------
    >>> relu_forward([-1.0, 2.0])[0]
    array([0., 2.])

    """
    xp = get_xp(x)
    return _relu_forward(xp, as_float_array(x, "x", xp=xp))


def _relu_forward(xp, x):
    """Core of :func:`relu_forward` on a checked float array."""
    out = xp.maximum(x, 0.0)
    return out, ReluCache(out)


def relu_backward(dout, cache):
    r"""Gradient of ReLU: ``dout`` where :math:`x > 0`, else 0 (we take 0 at :math:`x = 0`).

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : ReluCache

    Returns
    -------
    dx : array of the same shape

    """
    xp = get_xp(dout, cache.out)
    return _relu_backward(xp, as_upstream_gradient(dout, cache.out.shape, xp=xp), cache)


def _relu_backward(xp, dout, cache):
    """Core of :func:`relu_backward` on a checked ``dout``."""
    (out,) = cache
    # A product with the mask: on the CPU ten times faster than xp.where, whose
    # branch on a random mask mispredicts (it is in every training step).
    return multiply_by_mask(xp, dout, out > 0)


class LeakyReluCache(NamedTuple):
    """What :func:`leaky_relu_backward` needs from the forward pass."""

    x: object
    """The input; its sign picks the slope."""
    alpha: float
    """The slope of the negative part."""


def leaky_relu_forward(x, alpha=0.01):
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise.

    For :math:`\alpha \le 1` this is :math:`\max(\alpha x, x)`. A small slope
    on the negative side keeps a gradient flowing through units that a plain
    ReLU would switch off for good ("dead" units).

    Parameters
    ----------
    x : array of any shape
    alpha : float, default 0.01
        Slope for negative inputs, >= 0 (0 gives the ReLU).

    Returns
    -------
    out : array of the same shape and dtype
    cache : LeakyReluCache

    Examples
    --------
    >>> leaky_relu_forward([-2.0, 3.0], alpha=0.1)[0]
    array([-0.2,  3. ])

    """
    xp = get_xp(x)
    x = as_float_array(x, "x", xp=xp)
    return _leaky_relu_forward(xp, x, check_positive(alpha, "alpha", allow_zero=True))


def _leaky_relu_forward(xp, x, alpha=0.01):
    """Core of :func:`leaky_relu_forward` on checked arguments."""
    out = xp.where(x > 0, x, alpha * x)
    return out, LeakyReluCache(x, alpha)


def leaky_relu_backward(dout, cache):
    r"""Gradient of leaky ReLU: :math:`d` where :math:`x > 0`, :math:`\alpha d` otherwise.

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : LeakyReluCache

    Returns
    -------
    dx : array of the same shape

    """
    xp = get_xp(dout, cache.x)
    return _leaky_relu_backward(xp, as_upstream_gradient(dout, cache.x.shape, xp=xp), cache)


def _leaky_relu_backward(xp, dout, cache):
    """Core of :func:`leaky_relu_backward` on a checked ``dout``."""
    x, alpha = cache
    return xp.where(x > 0, dout, alpha * dout)


class PReluCache(NamedTuple):
    """What :func:`prelu_backward` needs from the forward pass."""

    x: object
    """The input of shape (N, M)."""
    alpha: object
    """The slopes, shape (M,) or () as given, in the dtype of ``x``."""


def prelu_forward(x, alpha):
    r"""Parametric ReLU: :math:`x_{nm}` for :math:`x_{nm} > 0`, :math:`\alpha_m x_{nm}` otherwise.

    Like the leaky ReLU, but the slopes are learned: one per feature
    (``alpha`` of shape (M,)), or one shared by all features (a 0-D array).

    Parameters
    ----------
    x : array of shape (N, M)
    alpha : array of shape (M,) or ()
        Slopes of the negative part; cast to the dtype of ``x``.

    Returns
    -------
    out : array of shape (N, M), the dtype of ``x``
    cache : PReluCache

    Examples
    --------
    >>> import numpy as np
    >>> prelu_forward(np.array([[-1.0, -1.0], [2.0, 2.0]]), np.array([0.1, 0.5]))[0]
    array([[-0.1, -0.5],
           [ 2. ,  2. ]])

    """
    xp = get_xp(x, alpha)
    x = as_float_array(x, "x", ndim=2, shape="(N, M)", xp=xp)
    alpha = as_float_array(alpha, "alpha", ndim=(0, 1), shape="(M,) or ()", xp=xp)
    if alpha.ndim == 1 and alpha.shape != x.shape[1:]:
        raise ValueError(f"alpha must have shape ({x.shape[1]},), one slope per column of x, "
                         f"or be 0-D (one shared slope); got {tuple(alpha.shape)}")
    return _prelu_forward(xp, x, xp.astype(alpha, x.dtype, copy=False))


def _prelu_forward(xp, x, alpha):
    """Core of :func:`prelu_forward` on checked arrays of one dtype."""
    out = xp.where(x > 0, x, alpha * x)
    return out, PReluCache(x, alpha)


def prelu_backward(dout, cache):
    r"""Gradients of PReLU: :math:`d\alpha_m = \sum_n d_{nm} \min(x_{nm}, 0)`.

    The input gradient is :math:`d` where :math:`x > 0` and :math:`\alpha d` elsewhere.

    Parameters
    ----------
    dout : array of shape (N, M)
    cache : PReluCache

    Returns
    -------
    dx : array of shape (N, M)
    dalpha : array of the shape of ``alpha``, (M,) or ()
        Summed over the batch (and over the features for a shared slope).

    """
    xp = get_xp(dout, cache.x, cache.alpha)
    return _prelu_backward(xp, as_upstream_gradient(dout, cache.x.shape, xp=xp), cache)


def _prelu_backward(xp, dout, cache):
    """Core of :func:`prelu_backward` on a checked ``dout``."""
    x, alpha = cache
    dx = xp.where(x > 0, dout, alpha * dout)
    dalpha = xp.sum(dout * xp.minimum(x, 0.0), axis=0 if alpha.ndim else None)
    return dx, dalpha


class EluCache(NamedTuple):
    """What :func:`elu_backward` needs from the forward pass."""

    x: object
    """The input; its sign picks the branch."""
    out: object
    r"""The output; on the negative side :math:`\alpha e^x = \mathrm{out} + \alpha`."""
    alpha: float
    """The saturation value: out tends to -alpha as x tends to minus infinity."""


def elu_forward(x, alpha=1.0):
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, :math:`\alpha (e^x - 1)` otherwise.

    Smooth at 0 for :math:`\alpha = 1`, and saturating at :math:`-\alpha`
    for very negative inputs, so the mean activation is closer to 0 than
    with a ReLU.

    Parameters
    ----------
    x : array of any shape
    alpha : float, default 1.0
        Negative saturation value, >= 0.

    Returns
    -------
    out : array of the same shape and dtype
    cache : EluCache

    Examples
    --------
    >>> elu_forward([-1000.0, 0.0, 2.0])[0]
    array([-1.,  0.,  2.])

    """
    xp = get_xp(x)
    x = as_float_array(x, "x", xp=xp)
    return _elu_forward(xp, x, check_positive(alpha, "alpha", allow_zero=True))


def _elu_forward(xp, x, alpha=1.0):
    """Core of :func:`elu_forward` on checked arguments."""
    # expm1 only of the negative part: e^x of a large positive x would overflow.
    out = xp.where(x > 0, x, alpha * xp.expm1(xp.minimum(x, 0.0)))
    return out, EluCache(x, out, alpha)


def elu_backward(dout, cache):
    r"""Gradient of ELU: :math:`d` where :math:`x > 0`, :math:`d\,\alpha e^x` otherwise.

    On the negative side :math:`\alpha e^x = \mathrm{out} + \alpha`, so no
    exponential is recomputed.

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : EluCache

    Returns
    -------
    dx : array of the same shape

    """
    xp = get_xp(dout, cache.x)
    return _elu_backward(xp, as_upstream_gradient(dout, cache.x.shape, xp=xp), cache)


def _elu_backward(xp, dout, cache):
    """Core of :func:`elu_backward` on a checked ``dout``."""
    x, out, alpha = cache
    return xp.where(x > 0, dout, dout * (out + alpha))


class SoftplusCache(NamedTuple):
    """What :func:`softplus_backward` needs from the forward pass."""

    x: object
    """The input."""


def softplus_forward(x):
    r"""Softplus :math:`\log(1 + e^x)`, a smooth ReLU; values in :math:`(0, \infty)`.

    Computed as :math:`\max(x, 0) + \log(1 + e^{-|x|})`, which neither overflows
    for a large :math:`x` nor loses the small values of a very negative one.

    Parameters
    ----------
    x : array of any shape

    Returns
    -------
    out : array of the same shape and dtype
    cache : SoftplusCache

    Examples
    --------
    >>> softplus_forward([-1000.0, 0.0, 1000.0])[0].tolist()
    [0.0, 0.6931471805599453, 1000.0]

    """
    xp = get_xp(x)
    return _softplus_forward(xp, as_float_array(x, "x", finite=True, xp=xp))


def _softplus_forward(xp, x):
    """Core of :func:`softplus_forward` on a checked float array."""
    return xp.maximum(x, 0.0) + xp.log1p(xp.exp(-xp.abs(x))), SoftplusCache(x)


def softplus_backward(dout, cache):
    r"""Gradient of softplus: :math:`dx = d \cdot \sigma(x)`, the logistic sigmoid.

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : SoftplusCache

    Returns
    -------
    dx : array of the same shape

    Examples
    --------
    >>> import numpy as np
    >>> softplus_backward(np.ones(3), softplus_forward([-1000.0, 0.0, 1000.0])[1])
    array([0. , 0.5, 1. ])

    """
    xp = get_xp(dout, cache.x)
    return _softplus_backward(xp, as_upstream_gradient(dout, cache.x.shape, xp=xp), cache)


def _softplus_backward(xp, dout, cache):
    """Core of :func:`softplus_backward` on a checked ``dout``."""
    return dout * _sigmoid(xp, cache.x)


class SiluCache(NamedTuple):
    """What :func:`silu_backward` needs from the forward pass."""

    x: object
    """The input."""
    sigmoid: object
    r""":math:`\sigma(x)`, computed once by the forward pass."""


def silu_forward(x):
    r"""SiLU (swish) :math:`x \, \sigma(x)`: near :math:`x` for large x, near 0 for very negative x.

    Parameters
    ----------
    x : array of any shape

    Returns
    -------
    out : array of the same shape and dtype
    cache : SiluCache

    Examples
    --------
    >>> silu_forward([-1000.0, 0.0, 2.0])[0].round(4)
    array([-0.    ,  0.    ,  1.7616])

    """
    xp = get_xp(x)
    return _silu_forward(xp, as_float_array(x, "x", finite=True, xp=xp))


def _silu_forward(xp, x):
    """Core of :func:`silu_forward` on a checked float array."""
    s = _sigmoid(xp, x)
    return x * s, SiluCache(x, s)


def silu_backward(dout, cache):
    r"""Gradient of SiLU, by the product rule: :math:`dx = d \cdot \sigma(x)(1 + x(1 - \sigma(x)))`.

    Parameters
    ----------
    dout : array of the shape of the forward output
    cache : SiluCache

    Returns
    -------
    dx : array of the same shape

    Examples
    --------
    >>> import numpy as np
    >>> silu_backward(np.ones(3), silu_forward([-50.0, 0.0, 50.0])[1]).round(6)
    array([-0. ,  0.5,  1. ])

    """
    xp = get_xp(dout, cache.x)
    return _silu_backward(xp, as_upstream_gradient(dout, cache.x.shape, xp=xp), cache)


def _silu_backward(xp, dout, cache):
    """Core of :func:`silu_backward` on a checked ``dout``."""
    x, s = cache
    return dout * s * (1 + x * (1 - s))
