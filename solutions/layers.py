"""Chapters 6 and 7: layers as forward/backward pairs.

Each op is a pair of pure functions: ``<op>_forward(...) -> (out, cache)``
computes the output and keeps what the backward pass needs in a named
cache; ``<op>_backward(dout, cache)`` takes the upstream gradient
``dout = dL/dout`` and returns the gradients of the loss with respect to
each input. Nothing is mutated: not the inputs, not ``dout``, not the cache.

Shapes use N (batch), D (input features) and M (output features).
"""

from typing import NamedTuple

from solutions.backend import get_xp
from solutions.validation import as_float_array

__all__ = ["DenseCache", "dense_forward", "dense_backward"]


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
    x = as_float_array(x, "x", ndim=2, shape="(N, D)")
    w = as_float_array(w, "w", ndim=2, shape="(D, M)")
    b = as_float_array(b, "b", ndim=1, shape="(M,)")
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            f"w must have shape (D, M) with D={x.shape[1]} (the columns of x); "
            f"got w.shape={w.shape}"
        )
    if b.shape != (w.shape[1],):
        raise ValueError(f"b must have shape ({w.shape[1]},), one per output; got {b.shape}")
    out = x @ w
    out += b
    return out, DenseCache(x, w)


def dense_backward(dout, cache):
    r"""Gradients of the affine map: :math:`dx = d W^\top, dW = x^\top d, db = \sum_n d_n`.

    Parameters
    ----------
    dout : array of shape (N, M)
        Upstream gradient.
    cache : DenseCache
        From :func:`dense_forward`.

    Returns
    -------
    dx : array of shape (N, D)
    dw : array of shape (D, M)
    db : array of shape (M,)

    """
    x, w = cache
    dout = as_float_array(dout, "dout", ndim=2, shape="(N, M)")
    if dout.shape != (x.shape[0], w.shape[1]):
        raise ValueError(f"dout must have shape {(x.shape[0], w.shape[1])}; got {dout.shape}")
    xp = get_xp(dout, x)
    return dout @ w.T, x.T @ dout, xp.sum(dout, axis=0)
