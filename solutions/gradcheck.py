r"""Numerical gradients and the checks that prove a backward pass right.

An analytic gradient is checked against central differences,

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h},

whose error shrinks like :math:`h^2`. A layer with a vector output is reduced
to a scalar by a random upstream gradient ``dout``,
:math:`L = \sum_j \mathrm{out}_j \, \mathrm{dout}_j`, so that every entry of
the backward pass is exercised, not only their sum. Use float64: in float32
the rounding error of :math:`f` swamps the difference quotient.
"""

from collections.abc import Callable, Sequence

from solutions.backend import device, get_xp
from solutions.validation import as_float_array, check_positive, check_rng

__all__ = ["numerical_gradient", "relative_error", "gradient_errors"]


def numerical_gradient(f, x, h=1e-5, dout=None):
    r"""Central-difference gradient of a scalar function, or of ``sum(f(x) * dout)``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, a scalar function of an array; with ``dout``,
        ``f(x) -> array`` of ``dout``'s shape.
    x : array of any shape
        The point; it is not modified (the function perturbs a copy).
    h : float, default 1e-5
        The step. Too large: truncation error (of order h²); too small:
        rounding error (of order eps / h).
    dout : array, optional
        Upstream gradient for an array-valued ``f``: the result is then the
        gradient of :math:`\sum_j f_j(x)\, \mathrm{dout}_j`. The outputs are
        subtracted before they are weighted, so entries that do not depend
        on the perturbed coordinate cancel exactly and add no rounding error.

    Returns
    -------
    grad : array of the same shape and dtype as ``x``

    Examples
    --------
    >>> import numpy as np
    >>> numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])

    """
    xp = get_xp(x, dout)
    x = as_float_array(x, "x", xp=xp)
    check_positive(h, "h")
    flat = xp.asarray(xp.reshape(x, (-1,)), copy=True)
    grad = []
    for i in range(flat.shape[0]):
        original = float(flat[i])
        flat[i] = original + h
        f_plus = f(xp.reshape(flat, x.shape))
        if dout is not None:
            f_plus = xp.asarray(f_plus, copy=True)  # f may return (a view of) its input
        flat[i] = original - h
        f_minus = f(xp.reshape(flat, x.shape))
        diff = float(f_plus) - float(f_minus) if dout is None else float(
            xp.sum((f_plus - f_minus) * dout))
        flat[i] = original
        grad.append(diff / (2 * h))
    return xp.reshape(xp.asarray(grad, dtype=x.dtype, device=device(x)), x.shape)


def relative_error(a, b):
    r"""Relative distance :math:`\lVert a - b \rVert / (\lVert a \rVert + \lVert b \rVert)`.

    Returns 0 when both are zero (instead of dividing by zero), and is
    symmetric in ``a`` and ``b``. In float64 a correct backward pass gives
    about 1e-9 or less; 1e-7 is the usual limit; above 1e-4 there is a bug.

    Parameters
    ----------
    a, b : array of the same shape

    Returns
    -------
    err : float

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> relative_error([0.0], [0.0])
    0.0

    """
    xp = get_xp(a, b)
    a = as_float_array(a, "a", xp=xp)
    b = as_float_array(b, "b", xp=xp)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {tuple(a.shape)} and "
                         f"{tuple(b.shape)}")
    norm = xp.linalg.vector_norm
    scale = float(norm(a)) + float(norm(b))
    if scale == 0.0:
        return 0.0
    return float(norm(a - b)) / scale


def gradient_errors(
    forward: Callable,
    inputs: Sequence,
    backward: Callable,
    *,
    rng,
    h: float = 1e-5,
) -> list[float]:
    """Compare a backward pass with central differences, one error per input.

    Parameters
    ----------
    forward : callable
        ``forward(*inputs) -> out``, an array of any shape.
    inputs : sequence of float64 arrays
        The point at which to check.
    backward : callable
        ``backward(dout) -> grads``, a sequence with one gradient per input
        (same order and shapes); ``None`` skips that input.
    rng : numpy.random.Generator
        Draws the random upstream gradient ``dout``.
    h : float, default 1e-5
        Finite-difference step.

    Returns
    -------
    errors : list of float
        :func:`relative_error` for each input (0.0 where skipped).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(4)
    >>> errs = gradient_errors(lambda v: v ** 3, [x], lambda d: [3 * x ** 2 * d], rng=rng)
    >>> errs[0] < 1e-8
    True

    """
    check_rng(rng)
    xp = get_xp(*inputs)
    inputs = [as_float_array(x, f"inputs[{i}]", xp=xp) for i, x in enumerate(inputs)]
    out = forward(*inputs)
    dout = xp.asarray(rng.standard_normal(tuple(out.shape)), dtype=out.dtype,
                      device=device(out))
    grads = backward(dout)
    if len(grads) != len(inputs):
        raise ValueError(f"backward returned {len(grads)} gradients for {len(inputs)} inputs")
    errors = []
    for i, analytic in enumerate(grads):
        if analytic is None:
            errors.append(0.0)
            continue

        def output(xi, i=i):
            return forward(*inputs[:i], xi, *inputs[i + 1:])

        numeric = numerical_gradient(output, inputs[i], h, dout=dout)
        errors.append(relative_error(analytic, numeric))
    return errors
