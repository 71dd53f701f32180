"""Chapters 6 and 7: activation functions as forward/backward pairs.

Same contract as :mod:`solutions.layers`: ``<name>_forward(x, ...) ->
(out, cache)`` and ``<name>_backward(dout, cache) -> dx`` (PReLU also returns
the gradient of its learned slope). Elementwise: any shape, dtype preserved.
"""

from typing import NamedTuple

from solutions.backend import get_xp
from solutions.validation import as_float_array

__all__ = ["ReluCache", "relu_forward", "relu_backward"]


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
    x = as_float_array(x, "x")
    xp = get_xp(x)
    out = xp.maximum(x, 0)
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
    (out,) = cache
    dout = as_float_array(dout, "dout")
    if dout.shape != out.shape:
        raise ValueError(f"dout must have the forward output's shape {out.shape}; got {dout.shape}")
    xp = get_xp(dout, out)
    return xp.where(out > 0, dout, 0).astype(dout.dtype, copy=False)
