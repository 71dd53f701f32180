"""Tests of solutions.backend: namespaces, dtypes, moves, random numbers, GPU detection.

The backend rule itself (no NumPy call in the numerical modules) is kept by ruff
(TID251, see pyproject.toml; tests/test_dependencies.py proves the rule fires) and
exercised by the op contract on ``array_api_strict`` arrays.
"""

import sys
import types

import array_api_strict
import numpy as np
import pytest

from solutions import backend
from solutions.backend import (
    float_dtype,
    get_xp,
    namespace_and_device,
    permutation,
    random_uniform,
    to_numpy,
)

NUMPY_NS = "array_api_compat.numpy"


def test_get_xp_is_numpy_for_numpy_arrays_scalars_lists_and_none():
    assert get_xp().__name__ == NUMPY_NS
    assert get_xp(np.ones(2), np.float32(1.0), 3.0, [1, 2], None).__name__ == NUMPY_NS
    assert get_xp(None).__name__ == NUMPY_NS


def test_get_xp_follows_the_arrays_and_ignores_scalars_and_lists():
    assert get_xp(array_api_strict.ones(2), 2.0, [1.0], None) is array_api_strict
    torch = pytest.importorskip("torch")
    assert get_xp(torch.ones(2), 1).__name__ == "array_api_compat.torch"


def test_mixing_libraries_is_an_error_that_names_them():
    with pytest.raises(TypeError, match=r"different libraries \(array_api_strict, numpy\)"):
        get_xp(np.ones(2), array_api_strict.ones(2))


def test_namespace_and_device_of_a_module_an_array_or_none():
    assert namespace_and_device(None) == (get_xp(np.ones(1)), "cpu")
    xp, device = namespace_and_device(array_api_strict)
    assert xp is array_api_strict and device == array_api_strict.Device("CPU_DEVICE")
    xp, device = namespace_and_device(np.ones(3))
    assert xp.__name__ == NUMPY_NS and device == "cpu"
    with pytest.raises(TypeError, match="expected an array namespace"):
        namespace_and_device("numpy")
    with pytest.raises(TypeError, match="has no asarray"):
        namespace_and_device(types.ModuleType("empty"))


@pytest.mark.parametrize("dtype", ["float32", np.float32, np.dtype("float32")])
def test_float_dtype_accepts_names_and_numpy_dtypes_for_any_library(dtype):
    assert float_dtype(get_xp(np.ones(1)), dtype) == np.float32
    assert float_dtype(array_api_strict, dtype) == array_api_strict.float32
    assert float_dtype(array_api_strict, array_api_strict.float64) == array_api_strict.float64


@pytest.mark.parametrize("dtype", ["int64", np.int32, "float16", None])
def test_float_dtype_rejects_everything_but_float32_and_float64(dtype):
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        float_dtype(array_api_strict, dtype)


def test_random_uniform_on_the_cpu_draws_from_the_generator_itself(xp):
    if xp.name in ("cupy", "torch-cuda"):
        pytest.skip("on a GPU the library's own generator draws")
    u = random_uniform(np.random.default_rng(5), (3, 4), xp.xp.float32, xp.xp, xp.device)
    assert type(u) is type(xp.asarray([1.0])) and u.dtype == xp.xp.float32
    np.testing.assert_array_equal(to_numpy(u),
                                  np.random.default_rng(5).random((3, 4), dtype=np.float32))


def test_random_uniform_on_a_gpu_is_reproducible_from_the_seed(xp):
    if xp.name not in ("cupy", "torch-cuda"):
        pytest.skip("a GPU backend only")
    draws = [to_numpy(random_uniform(np.random.default_rng(5), (1000,), xp.xp.float64, xp.xp,
                                     xp.device)) for _ in range(2)]
    np.testing.assert_array_equal(draws[0], draws[1])
    assert 0 <= draws[0].min() and draws[0].max() < 1 and abs(draws[0].mean() - 0.5) < 0.05


def test_permutation_is_the_generator_s_on_every_backend(xp):
    order = permutation(np.random.default_rng(2), 10, xp.xp, xp.device)
    assert type(order) is type(xp.asarray([1]))
    np.testing.assert_array_equal(to_numpy(order), np.random.default_rng(2).permutation(10))


def test_to_numpy_returns_numpy_arrays_without_copying_them(xp):
    x = np.arange(3.0)
    assert to_numpy(x) is x
    np.testing.assert_array_equal(to_numpy([1.0, 2.0]), [1.0, 2.0])
    out = to_numpy(xp.asarray(x))
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, x)


def _fake_cupy(count):
    """A stand-in CuPy module whose runtime reports ``count`` GPUs (or raises it)."""
    def get_device_count():
        if isinstance(count, Exception):
            raise count
        return count

    runtime = types.SimpleNamespace(getDeviceCount=get_device_count)
    module = types.ModuleType("cupy")
    module.cuda = types.SimpleNamespace(runtime=runtime)
    return module


@pytest.mark.parametrize("module,expected", [
    (None, False),  # not installed: the import fails
    (_fake_cupy(0), False),  # installed, no GPU
    (_fake_cupy(RuntimeError("CUDA driver version is insufficient")), False),
    (_fake_cupy(2), True),
])
def test_cupy_available_needs_cupy_and_a_gpu(monkeypatch, module, expected):
    monkeypatch.setitem(sys.modules, "cupy", module)
    assert backend.cupy_available() is expected


@pytest.mark.gpu
def test_get_xp_is_cupy_for_cupy_arrays_and_mixing_is_an_error():
    if not backend.cupy_available():
        pytest.skip("CuPy with a GPU is not available")
    import cupy

    gpu = cupy.ones(3)
    assert get_xp(gpu, 2.0, None).__name__ == "array_api_compat.cupy"
    np.testing.assert_array_equal(to_numpy(gpu), np.ones(3))
    with pytest.raises(TypeError, match="different libraries"):
        get_xp(gpu, np.ones(3))
