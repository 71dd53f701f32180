"""Choose the array library (NumPy or CuPy) from the arrays themselves.

Every numerical function in :mod:`solutions` starts with ``xp = get_xp(...)``
and then computes with ``xp``, so the same code runs on the CPU for NumPy
arrays and on an NVIDIA GPU for CuPy arrays. This is the only module that
imports CuPy, and it does so lazily: CuPy is an optional extra
(``pip install .[gpu]``).
"""

import sys
from types import ModuleType

import numpy

__all__ = ["get_xp", "to_numpy", "cupy_available"]


def _loaded_cupy() -> ModuleType | None:
    """Return the CuPy module if the caller has already imported it, else None.

    An array can only be a CuPy array if CuPy was imported, so there is no
    need to pay for the (slow) import when it is not.
    """
    return sys.modules.get("cupy")


def cupy_available() -> bool:
    """Return True when CuPy imports and sees at least one GPU."""
    try:
        import cupy
    except ImportError:
        return False
    try:
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # CUDA driver missing or broken: no usable GPU
        return False


def get_xp(*arrays) -> ModuleType:
    """Return the array namespace (``numpy`` or ``cupy``) of the given arrays.

    Parameters
    ----------
    *arrays : array-like
        Arrays, scalars or ``None``. Python scalars, lists and ``None`` are
        neutral: they go with either library.

    Returns
    -------
    xp : module
        ``cupy`` when any argument is a CuPy array, otherwise ``numpy``.

    Raises
    ------
    TypeError
        When NumPy and CuPy arrays are mixed: the caller must move them to
        one device first (``cupy.asarray`` or :func:`to_numpy`).

    Examples
    --------
    >>> import numpy as np
    >>> get_xp(np.ones(3), 2.0).__name__
    'numpy'

    """
    cupy = _loaded_cupy()
    if cupy is None:
        return numpy
    kinds = {
        "cupy" if isinstance(a, cupy.ndarray) else "numpy"
        for a in arrays
        if isinstance(a, (numpy.ndarray, cupy.ndarray))
    }
    if kinds == {"cupy", "numpy"}:
        raise TypeError(
            "got both NumPy and CuPy arrays; move them to one device first "
            "(cupy.asarray(x) for the GPU, solutions.backend.to_numpy(x) for the CPU)"
        )
    return cupy if kinds == {"cupy"} else numpy


def to_numpy(x):
    """Return ``x`` as a NumPy array, copying it from the GPU if needed.

    Parameters
    ----------
    x : array-like
        A NumPy or CuPy array, or anything ``numpy.asarray`` accepts.

    Returns
    -------
    out : numpy.ndarray

    """
    cupy = _loaded_cupy()
    if cupy is not None and isinstance(x, cupy.ndarray):
        return cupy.asnumpy(x)
    return numpy.asarray(x)
