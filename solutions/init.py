r"""Chapter 7: weight initialization that keeps signals alive through depth.

A layer with weights of variance :math:`\mathrm{Var}(W)` multiplies the
variance of its input by about :math:`D \cdot \mathrm{Var}(W)` (D = fan-in).
Choosing the variance so that this factor is 1 keeps activations and
gradients from shrinking or exploding layer after layer:

- **Xavier/Glorot** (tanh, sigmoid): :math:`\mathrm{Var}(W) = 2 / (D + M)`,
  a compromise between the forward (fan-in D) and backward (fan-out M) pass;
- **He/Kaiming** (ReLU): :math:`\mathrm{Var}(W) = 2 / D`; the factor 2 makes
  up for ReLU zeroing half of its inputs;
- and, for contrast, the textbook's **naive** choice :math:`\mathcal N(0, 0.01^2)`,
  which ignores the width (:func:`naive_normal`).

Each comes as a normal and a uniform draw of that variance; a uniform on
:math:`[-a, a]` has variance :math:`a^2/3`, so :math:`a = \sqrt{3\,\mathrm{Var}}`.
The weights are drawn by ``rng`` (a NumPy generator) and returned as a NumPy
array of shape (D, M) = (fan_in, fan_out): the same seed gives the same weights
on every backend. :class:`solutions.network.MLP` moves them to its own
(``xp.asarray``), once, when it is built.
"""

import math

from solutions.backend import float_dtype, get_xp
from solutions.validation import check_positive, check_rng

__all__ = ["naive_normal", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal"]


def _draw(fan_in, fan_out, rng, dtype, variance, uniform):
    """Validate the arguments and draw a (fan_in, fan_out) matrix of the given variance."""
    fan_in = check_positive(fan_in, "fan_in", integer=True)
    fan_out = check_positive(fan_out, "fan_out", integer=True)
    rng = check_rng(rng)
    xp = get_xp()  # NumPy: the generator's own library
    dtype = float_dtype(xp, dtype)
    var = variance(fan_in, fan_out)
    shape = (fan_in, fan_out)
    if uniform:
        bound = math.sqrt(3.0 * var)
        return xp.astype(rng.uniform(-bound, bound, size=shape), dtype, copy=False)
    return xp.astype(rng.normal(0.0, math.sqrt(var), size=shape), dtype, copy=False)


def _naive_variance(fan_in, fan_out):
    """Return the fixed variance 0.01² (neither fan is used)."""
    return 0.01**2


def _xavier_variance(fan_in, fan_out):
    """Glorot's variance 2 / (fan_in + fan_out)."""
    return 2.0 / (fan_in + fan_out)


def _he_variance(fan_in, fan_out):
    """He's variance 2 / fan_in (fan_out is not used)."""
    return 2.0 / fan_in


def naive_normal(fan_in, fan_out, rng, dtype="float64"):
    r"""Draw every weight from :math:`\mathcal N(0, 0.01^2)`: the textbook's bad initialization.

    The scale ignores the layer's width, so the signal shrinks by a factor of
    about :math:`0.01 \sqrt{D}` per layer (times at most 1/4 for the
    sigmoid's slope): in a deep network the gradients of the first layers
    vanish. Chapter 7 compares it with Xavier and He initialization.

    Parameters
    ----------
    fan_in : int
        D, the number of inputs of the layer.
    fan_out : int
        M, the number of outputs.
    rng : numpy.random.Generator
    dtype : float32 or float64, default "float64"
        A name or a NumPy dtype.

    Returns
    -------
    w : numpy.ndarray of shape (D, M)

    Examples
    --------
    >>> import numpy as np
    >>> round(float(naive_normal(500, 400, np.random.default_rng(0)).std()), 3)
    0.01

    """
    return _draw(fan_in, fan_out, rng, dtype, _naive_variance, uniform=False)


def xavier_uniform(fan_in, fan_out, rng, dtype="float64"):
    r"""Xavier/Glorot uniform weights, :math:`U(-a, a)` with :math:`a = \sqrt{6 / (D + M)}`.

    Their variance is :math:`a^2 / 3 = 2 / (D + M)`. Suited to tanh and sigmoid layers.

    Parameters
    ----------
    fan_in : int
        D, the number of inputs of the layer.
    fan_out : int
        M, the number of outputs.
    rng : numpy.random.Generator
        Source of randomness: the same seed gives the same weights.
    dtype : float32 or float64, default "float64"
        A name or a NumPy dtype.

    Returns
    -------
    w : numpy.ndarray of shape (D, M)

    Examples
    --------
    >>> import numpy as np
    >>> w = xavier_uniform(300, 100, np.random.default_rng(0))
    >>> w.shape, bool(np.abs(w).max() <= np.sqrt(6 / 400))
    ((300, 100), True)

    """
    return _draw(fan_in, fan_out, rng, dtype, _xavier_variance, uniform=True)


def xavier_normal(fan_in, fan_out, rng, dtype="float64"):
    r"""Xavier/Glorot normal weights, :math:`\mathcal N(0, 2 / (D + M))`.

    Parameters
    ----------
    fan_in : int
        D, the number of inputs of the layer.
    fan_out : int
        M, the number of outputs.
    rng : numpy.random.Generator
    dtype : float32 or float64, default "float64"
        A name or a NumPy dtype.

    Returns
    -------
    w : numpy.ndarray of shape (D, M)

    Examples
    --------
    >>> import numpy as np
    >>> round(float(xavier_normal(600, 200, np.random.default_rng(0)).var()) * 800, 1)
    2.0

    """
    return _draw(fan_in, fan_out, rng, dtype, _xavier_variance, uniform=False)


def he_uniform(fan_in, fan_out, rng, dtype="float64"):
    r"""He/Kaiming uniform weights, :math:`U(-a, a)` with :math:`a = \sqrt{6 / D}`.

    Their variance is :math:`2 / D`. Suited to ReLU layers.

    Parameters
    ----------
    fan_in : int
        D, the number of inputs of the layer.
    fan_out : int
        M, the number of outputs.
    rng : numpy.random.Generator
    dtype : float32 or float64, default "float64"
        A name or a NumPy dtype.

    Returns
    -------
    w : numpy.ndarray of shape (D, M)

    """
    return _draw(fan_in, fan_out, rng, dtype, _he_variance, uniform=True)


def he_normal(fan_in, fan_out, rng, dtype="float64"):
    r"""He/Kaiming normal weights, :math:`\mathcal N(0, 2 / D)`.

    Parameters
    ----------
    fan_in : int
        D, the number of inputs of the layer.
    fan_out : int
        M, the number of outputs.
    rng : numpy.random.Generator
    dtype : float32 or float64, default "float64"
        A name or a NumPy dtype.

    Returns
    -------
    w : numpy.ndarray of shape (D, M)

    Examples
    --------
    >>> import numpy as np
    >>> he_normal(784, 256, np.random.default_rng(0), dtype=np.float32).dtype
    dtype('float32')

    """
    return _draw(fan_in, fan_out, rng, dtype, _he_variance, uniform=False)
