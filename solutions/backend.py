"""Array namespaces through the Array API standard, and what the standard leaves out.

Every numerical function of :mod:`solutions` computes with ``xp = get_xp(*arrays)``,
the namespace of its inputs as ``array_api_compat.array_namespace`` finds it (the
mechanism scikit-learn and SciPy use): NumPy, CuPy, PyTorch (CPU or GPU) and any
library that follows the standard, such as ``array_api_strict``. The same code then
runs wherever the arrays live.

What the standard lacks lives here, and this is the only numerical module that
imports NumPy: random numbers (:func:`random_uniform`, :func:`permutation`),
turning a namespace or a sample array into a namespace and device
(:func:`namespace_and_device`), dtypes given as NumPy dtypes or names
(:func:`float_dtype`), and copies to NumPy (:func:`to_numpy`).
"""

import collections
from types import ModuleType

import array_api_compat
import numpy

__all__ = [
    "Generator",
    "get_xp",
    "device",
    "to_device",
    "is_array_api_obj",
    "namespace_and_device",
    "multiply_by_mask",
    "float_dtype",
    "random_uniform",
    "permutation",
    "to_numpy",
    "cupy_available",
]

#: The type every ``rng`` argument of the library must have.
Generator = numpy.random.Generator

_NUMPY = array_api_compat.array_namespace(numpy.empty(0))

#: Argument types that can only mean NumPy: checked first, because a training step
#: asks for namespaces many times and ``array_namespace`` takes microseconds.
_NUMPY_ONLY = frozenset({numpy.ndarray, float, int, bool, type(None), list, tuple})


def get_xp(*arrays) -> ModuleType:
    """Return the Array API namespace of the given arrays.

    Parameters
    ----------
    *arrays : array-like
        Arrays, Python scalars or ``None``. Scalars, lists and ``None`` are neutral:
        they go with any library; with no array at all the namespace is NumPy's.

    Returns
    -------
    xp : module
        The namespace from ``array_api_compat.array_namespace``: a compatible
        wrapper for NumPy, CuPy and PyTorch, the library itself for others.

    Raises
    ------
    TypeError
        When arrays of different libraries are mixed: move them to one first
        (``net.to(...)``, ``xp.asarray``, :func:`to_numpy`).

    Examples
    --------
    >>> import numpy as np
    >>> get_xp(np.ones(3), 2.0, None).__name__
    'array_api_compat.numpy'
    >>> get_xp([1.0, 2.0]).__name__
    'array_api_compat.numpy'

    """
    for a in arrays:
        if type(a) not in _NUMPY_ONLY:
            break
    else:
        return _NUMPY
    try:
        return array_api_compat.array_namespace(*arrays)
    except TypeError as err:
        if "Multiple namespaces" in str(err):
            libraries = sorted({type(a).__module__.split(".")[0] for a in arrays
                                if array_api_compat.is_array_api_obj(a)})
            raise TypeError(
                f"got arrays of different libraries ({', '.join(libraries)}); move them to "
                "one first (for a network: net.to(...); for an array: xp.asarray or "
                "solutions.backend.to_numpy)"
            ) from err
        arrays = [a for a in arrays if array_api_compat.is_array_api_obj(a)]
        return get_xp(*arrays) if arrays else _NUMPY


device = array_api_compat.device
to_device = array_api_compat.to_device


def is_array_api_obj(x):
    """Return True when ``x`` is an array of a library that the Array API covers."""
    return type(x) is numpy.ndarray or array_api_compat.is_array_api_obj(x)


def multiply_by_mask(xp, x, mask):
    """Return ``x * mask`` for a boolean ``mask``, in the dtype of ``x``.

    The standard multiplies only numbers, so the mask becomes ``x``'s dtype first
    (a pass over it); NumPy multiplies by the boolean array directly, one pass
    fewer: in every training step (ReLU's backward pass).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 2.0], dtype=np.float32)
    >>> multiply_by_mask(get_xp(x), x, np.array([True, False]))
    array([1., 0.], dtype=float32)

    """
    if xp is _NUMPY:
        return x * mask
    return x * xp.astype(mask, x.dtype)


def namespace_and_device(like):
    """Return ``(xp, device)`` for an array namespace or a sample array.

    Parameters
    ----------
    like : module, array or None
        A namespace (``numpy``, ``torch``, ``cupy``, ``array_api_strict`` or their
        ``array_api_compat`` wrappers), or an array whose namespace and device to
        use. None means NumPy on the CPU.

    Returns
    -------
    xp : module
    device : object
        The array's device, or the namespace's default device.

    Examples
    --------
    >>> import numpy as np
    >>> xp, dev = namespace_and_device(np)
    >>> xp.__name__, dev
    ('array_api_compat.numpy', 'cpu')

    """
    if like is None:
        return _NUMPY, "cpu"
    if isinstance(like, ModuleType):
        if not hasattr(like, "asarray"):
            raise TypeError(f"{like.__name__} is not an array namespace (it has no asarray)")
        like = like.asarray(0.0)
    if not array_api_compat.is_array_api_obj(like):
        raise TypeError("expected an array namespace (numpy, torch, ...) or an array; "
                        f"got {type(like).__name__}")
    return get_xp(like), device(like)


def float_dtype(xp, dtype):
    """Return the float32 or float64 dtype of ``xp`` named by ``dtype``.

    Parameters
    ----------
    xp : module
        Array namespace.
    dtype : str, NumPy dtype or ``xp`` dtype
        ``"float32"``, ``numpy.float64``, ``torch.float32``, ...

    Returns
    -------
    dtype : dtype of ``xp``

    Raises
    ------
    TypeError
        For any other dtype.

    Examples
    --------
    >>> import numpy as np
    >>> float_dtype(get_xp(np.ones(1)), "float32") == np.float32
    True

    """
    for name in ("float32", "float64"):
        wanted = getattr(xp, name)
        if dtype is wanted or (type(dtype) is type(wanted) and dtype == wanted):
            return wanted
    name = dtype if isinstance(dtype, str) else _numpy_name(dtype)
    if name in ("float32", "float64"):
        return getattr(xp, name)
    raise TypeError(f"dtype must be float32 or float64; got {dtype!r}")


def _numpy_name(dtype):
    """NumPy's name of ``dtype`` (``"float32"``...), or None when it is not a NumPy dtype."""
    if not isinstance(dtype, (numpy.dtype, type)):
        return None
    try:
        return numpy.dtype(dtype).name
    except TypeError:
        return None


def random_uniform(rng, shape, dtype, xp, device=None):
    """Uniform numbers in [0, 1) of the given shape, dtype, namespace and device.

    On the CPU the numbers come from ``rng`` itself, so a seed gives the same
    numbers with every library. On a GPU they come from the library's own
    generator, created once per ``rng`` and device and seeded from ``rng``:
    no copy from the host each step.

    Parameters
    ----------
    rng : numpy.random.Generator
    shape : tuple of int
    dtype : dtype of ``xp``
        float32 or float64.
    xp : module
        Array namespace of the result.
    device : object, optional
        Device of the result (the namespace's default when None).

    Returns
    -------
    u : array of ``xp``

    """
    if array_api_compat.is_cupy_namespace(xp) or (
        array_api_compat.is_torch_namespace(xp) and str(device or "cpu") != "cpu"
    ):
        return _device_uniform(rng, shape, dtype, xp, device)
    numpy_dtype = numpy.float32 if dtype == xp.float32 else numpy.float64
    return xp.asarray(rng.random(shape, dtype=numpy_dtype), device=device)


#: Generators of GPU libraries, one per (NumPy generator, device), the most recent
#: first. Each entry keeps its NumPy generator alive (it cannot be weakly referenced),
#: so that its ``id`` is not reused by another generator while the entry exists.
_DEVICE_GENERATORS = collections.OrderedDict()
_MAX_DEVICE_GENERATORS = 16


def _device_uniform(rng, shape, dtype, xp, device):
    """Uniform numbers drawn on the GPU by the library's own generator (seeded from ``rng``)."""
    key = (id(rng), xp.__name__, str(device))
    if key in _DEVICE_GENERATORS:
        _DEVICE_GENERATORS.move_to_end(key, last=False)
    else:
        seed = int(rng.integers(2**63))
        if array_api_compat.is_cupy_namespace(xp):
            import cupy

            with cupy.cuda.Device(getattr(device, "id", None)):
                gen = cupy.random.default_rng(seed)
        else:
            import torch

            gen = torch.Generator(device=device).manual_seed(seed)
        _DEVICE_GENERATORS[key] = (rng, gen)
        _DEVICE_GENERATORS.move_to_end(key, last=False)
        if len(_DEVICE_GENERATORS) > _MAX_DEVICE_GENERATORS:
            _DEVICE_GENERATORS.popitem(last=True)
    _, gen = _DEVICE_GENERATORS[key]
    if array_api_compat.is_cupy_namespace(xp):
        return gen.random(shape, dtype=dtype)
    import torch

    return torch.rand(shape, generator=gen, dtype=dtype, device=device)


def permutation(rng, n, xp, device=None):
    """Return a random order of ``range(n)`` drawn by ``rng``, as an integer array of ``xp``.

    Drawn on the CPU with every library (an index vector is small), so the same
    seed gives the same order, hence the same split and batches, on every backend.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
    xp : module
    device : object, optional

    Returns
    -------
    order : int64 array of shape (n,)

    """
    return xp.asarray(rng.permutation(n), device=device)


def to_numpy(x):
    """Return ``x`` as a NumPy array, copied from a GPU (or another library) if needed.

    Parameters
    ----------
    x : array-like
        A NumPy, CuPy, PyTorch or other Array API array, or anything
        ``numpy.asarray`` accepts.

    Returns
    -------
    out : numpy.ndarray
        ``x`` itself when it already is one.

    Examples
    --------
    >>> to_numpy([1.0, 2.0])
    array([1., 2.])

    """
    if array_api_compat.is_cupy_array(x):
        return x.get()
    if array_api_compat.is_torch_array(x):
        return x.detach().cpu().numpy()
    return numpy.asarray(x)


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
