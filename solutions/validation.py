"""Input checks shared by every public function of :mod:`solutions`.

The public functions call these helpers once, at the boundary, so that a
wrong argument fails at once with a message that names the argument, says
what was expected and what was given, instead of broadcasting silently or
failing deep inside a matrix product.
"""

import numbers

from solutions.backend import Generator, get_xp, is_array_api_obj

__all__ = [
    "as_float_array",
    "as_prediction_pair",
    "as_upstream_gradient",
    "check_same_length",
    "check_positive",
    "check_rng",
]


def as_float_array(x, name, *, ndim=None, shape="", finite=False, xp=None):
    """Return ``x`` as a floating-point array of the right rank, or raise.

    Float32 and float64 arrays are returned as they are (no copy), so the
    caller's dtype is preserved; integer and boolean input becomes float64.

    Parameters
    ----------
    x : array-like
        The argument to check (an array of any Array API library, a list, a scalar).
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        The allowed number of dimensions.
    shape : str, optional
        The expected shape in the docstring's letters, e.g. ``"(N, D)"``,
        quoted in the error message.
    finite : bool, default False
        Also reject NaN and infinite entries.
    xp : module, optional
        The namespace to use, when the caller has already found it with
        :func:`~solutions.backend.get_xp` over all its arguments (so that
        mixing libraries has been ruled out); by default that of ``x``.

    Returns
    -------
    out : array
        ``x`` as a float32 or float64 array of the same library.

    Raises
    ------
    TypeError
        When ``x`` is not numeric.
    ValueError
        When ``x`` has the wrong number of dimensions or (with ``finite``)
        holds NaN or infinity.

    Examples
    --------
    >>> as_float_array([[1, 2]], "X", ndim=2).dtype
    dtype('float64')
    >>> as_float_array([1.0, 2.0], "X", ndim=2, shape="(N, D)")
    Traceback (most recent call last):
    ...
    ValueError: X must be a 2-D array of shape (N, D); got a 1-D array of shape (2,)

    """
    if xp is None:
        xp = get_xp(x)
    try:
        arr = x if is_array_api_obj(x) else xp.asarray(x)
    except (TypeError, ValueError, RuntimeError) as err:
        raise TypeError(f"{name} must be a numeric array; got {type(x).__name__}") from err
    if arr.dtype != xp.float64 and arr.dtype != xp.float32:  # the common case, checked fast
        if xp.isdtype(arr.dtype, ("bool", "integral")):
            arr = xp.astype(arr, xp.float64)
        elif not xp.isdtype(arr.dtype, "real floating"):
            raise TypeError(f"{name} must hold real numbers; got dtype {arr.dtype}")
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        wanted = " or ".join(f"{d}-D" for d in allowed)
        where = f" of shape {shape}" if shape else ""
        raise ValueError(f"{name} must be a {wanted} array{where}; "
                         f"got a {arr.ndim}-D array of shape {tuple(arr.shape)}")
    if finite and not bool(xp.all(xp.isfinite(arr))):
        raise ValueError(f"{name} contains NaN or infinite values; clean or impute the data first")
    return arr


def as_prediction_pair(pred, target, pred_name, target_name, *, xp=None):
    """Validate predictions and targets for a loss: finite, non-empty, the same shape.

    Parameters
    ----------
    pred : array-like of shape (N,) or (N, C)
        Predictions (values, probabilities or scores).
    target : array-like of the same shape
        Targets; integer 0/1 labels are accepted.
    pred_name, target_name : str
        The arguments' names, used in error messages.
    xp : module, optional
        Their namespace, when already known.

    Returns
    -------
    pred : array
        As a float array (its dtype is kept).
    target : array
        Cast to the dtype of ``pred``, so that gradients keep that dtype.
    """
    if xp is None:
        xp = get_xp(pred, target)
    pred = as_float_array(pred, pred_name, ndim=(1, 2), shape="(N,) or (N, C)", finite=True,
                          xp=xp)
    target = as_float_array(target, target_name, ndim=(1, 2), shape="(N,) or (N, C)",
                            finite=True, xp=xp)
    if pred.shape != target.shape:
        raise ValueError(
            f"{pred_name} and {target_name} must have the same shape; got "
            f"{pred_name}.shape={tuple(pred.shape)} and {target_name}.shape="
            f"{tuple(target.shape)} (a column against a flat vector would broadcast to N x N)"
        )
    if target.shape[0] == 0:
        raise ValueError(f"{target_name} is empty: the mean loss of no samples is undefined")
    return pred, xp.astype(target, pred.dtype, copy=False)


def as_upstream_gradient(dout, shape, *, xp=None):
    """Return the upstream gradient ``dout`` as a float array, or raise unless it has ``shape``.

    Parameters
    ----------
    dout : array-like
        The gradient of the loss with respect to an op's output.
    shape : tuple of int
        The shape of that output, as recorded by the forward pass.
    xp : module, optional
        The namespace of the forward pass, when already known.

    Returns
    -------
    dout : array
    """
    dout = as_float_array(dout, "dout", xp=xp)
    if dout.shape != shape:
        raise ValueError(f"dout must have the forward output's shape {tuple(shape)}; "
                         f"got {tuple(dout.shape)}")
    return dout


def check_same_length(name_a, a, name_b, b):
    """Raise ValueError unless ``a`` and ``b`` have the same number of rows.

    Parameters
    ----------
    name_a, name_b : str
        The arguments' names, used in the message.
    a, b : array
        Arrays whose first axis counts samples.

    """
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same number of samples (first axis); "
            f"got {name_a}.shape={tuple(a.shape)} and {name_b}.shape={tuple(b.shape)}"
        )


def check_positive(value, name, *, integer=False, allow_zero=False):
    """Return ``value`` if it is a positive (or non-negative) number, else raise.

    Parameters
    ----------
    value : int or float
    name : str
    integer : bool, default False
        Require an integer.
    allow_zero : bool, default False
        Accept zero as well.

    """
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        wanted = "an integer" if integer else "a real number"
        raise TypeError(f"{name} must be {wanted}; got {value!r}")
    if value < 0 or (value == 0 and not allow_zero) or value != value:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}; got {value!r}")
    return value


def check_rng(rng):
    """Return ``rng`` if it is a ``numpy.random.Generator``, else raise TypeError.

    The library never touches global random state: every function that needs
    randomness takes a generator, e.g. ``numpy.random.default_rng(0)``.
    """
    if not isinstance(rng, Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(0); "
            f"got {type(rng).__name__}"
        )
    return rng
