"""Tests of solutions.activations: the op contract over a registry, properties, oracles.

The contract (gradient check, shapes, linearity in dout, no mutation, dtype, CuPy
parity) lives in tests/op_contract.py and runs over this module's registry.
"""


import numpy as np
import pytest

from solutions.activations import (
    elu_backward,
    elu_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    prelu_backward,
    prelu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    silu_backward,
    silu_forward,
    softplus_backward,
    softplus_forward,
    tanh_backward,
    tanh_forward,
)
from solutions.regression import sigmoid
from tests.op_contract import Op, OpContract, off_kinks

# --- the registry --------------------------------------------------------------------------


def _x(rng, n, m):
    return [rng.uniform(-3.0, 3.0, (n, m))]


def _x_off_kinks(rng, n, m):
    return [off_kinks(rng.standard_normal((n, m)))]


ACTIVATIONS = {
    "sigmoid": Op(sigmoid_forward, sigmoid_backward, _x),
    "tanh": Op(tanh_forward, tanh_backward, _x),
    "relu": Op(relu_forward, relu_backward, _x_off_kinks),
    "leaky_relu": Op(lambda x: leaky_relu_forward(x, alpha=0.1), leaky_relu_backward,
                     _x_off_kinks),
    "prelu": Op(prelu_forward, prelu_backward,
                lambda rng, n, m: _x_off_kinks(rng, n, m) + [rng.uniform(-0.5, 0.5, m)]),
    "prelu_shared": Op(prelu_forward, prelu_backward,
                       lambda rng, n, m: _x_off_kinks(rng, n, m) + [np.array(0.3)]),
    "elu": Op(lambda x: elu_forward(x, alpha=1.5), elu_backward, _x_off_kinks),
    "softplus": Op(softplus_forward, softplus_backward, _x),
    "silu": Op(silu_forward, silu_backward, _x),
}
CH06 = {"sigmoid", "tanh", "relu", "softplus"}
NAMES = [pytest.param(name, marks=pytest.mark.ch06 if name in CH06 else pytest.mark.ch07)
         for name in ACTIVATIONS]


@pytest.mark.parametrize("name", NAMES)
class TestActivationContract(OpContract):
    OPS = ACTIVATIONS

    @staticmethod
    def torch_oracle(name, torch):
        return _torch_oracle(name, torch)


# --- values at known points ----------------------------------------------------------------


@pytest.mark.ch06
def test_sigmoid_and_tanh_values_and_slopes_at_known_points():
    x = np.array([-np.log(3.0), 0.0, 800.0])
    out, cache = sigmoid_forward(x)
    np.testing.assert_allclose(out, [0.25, 0.5, 1.0])
    np.testing.assert_array_equal(out, sigmoid(x))  # one definition: the chapter-1 sigmoid
    np.testing.assert_allclose(sigmoid_backward(np.ones(3), cache), [0.1875, 0.25, 0.0])
    out, cache = tanh_forward(np.array([0.0, np.log(2.0)]))
    np.testing.assert_allclose(out, [0.0, 0.6])
    np.testing.assert_allclose(tanh_backward(np.array([2.0, 1.0]), cache), [2.0, 0.64])


@pytest.mark.ch06
def test_relu_values_and_slopes_at_known_points():
    out, cache = relu_forward(np.array([[-1.0, 0.0, 2.0]], np.float32))
    np.testing.assert_array_equal(out, [[0.0, 0.0, 2.0]])
    dx = relu_backward(np.array([[5.0, 6.0, 7.0]], np.float32), cache)
    assert dx.dtype == np.float32
    np.testing.assert_array_equal(dx, [[0.0, 0.0, 7.0]])  # 0 at the kink, as in PyTorch


@pytest.mark.ch07
def test_leaky_relu_values_slopes_and_default_alpha():
    x = np.array([-2.0, 0.0, 3.0])
    out, cache = leaky_relu_forward(x, alpha=0.1)
    np.testing.assert_allclose(out, [-0.2, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu_backward(np.array([5.0, 5.0, 5.0]), cache),
                               [0.5, 0.5, 5.0])  # at 0 the left slope, as in PyTorch
    np.testing.assert_allclose(leaky_relu_forward(x)[0], [-0.02, 0.0, 3.0])
    np.testing.assert_array_equal(leaky_relu_forward(x, alpha=0.0)[0], relu_forward(x)[0])


@pytest.mark.ch07
def test_prelu_uses_one_slope_per_feature_and_sums_dalpha_over_the_batch():
    x = np.array([[-1.0, -2.0, 3.0],
                  [-3.0, 4.0, -5.0]])
    alpha = np.array([0.1, 0.2, 0.3])
    out, cache = prelu_forward(x, alpha)
    np.testing.assert_allclose(out, [[-0.1, -0.4, 3.0], [-0.3, 4.0, -1.5]])
    dout = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    dx, dalpha = prelu_backward(dout, cache)
    np.testing.assert_allclose(dx, [[0.1, 0.4, 3.0], [0.4, 5.0, 1.8]])
    np.testing.assert_allclose(dalpha, [1 * -1 + 4 * -3, 2 * -2, 6 * -5])
    out, cache = prelu_forward(x, np.array(0.5))  # one shared slope
    np.testing.assert_allclose(out, np.where(x > 0, x, 0.5 * x))
    dx, dalpha = prelu_backward(dout, cache)
    assert dalpha.shape == () and float(dalpha) == pytest.approx(-13.0 - 4.0 - 30.0)


@pytest.mark.ch07
def test_elu_values_slopes_and_saturation():
    x = np.array([-1.0, 2.0, -1000.0, 1000.0, 0.0])  # e^1000 would overflow: an error here
    out, cache = elu_forward(x, alpha=2.0)
    np.testing.assert_allclose(out, [2.0 * (np.exp(-1.0) - 1.0), 2.0, -2.0, 1000.0, 0.0])
    np.testing.assert_allclose(elu_backward(np.ones(5), cache),
                               [2.0 * np.exp(-1.0), 1.0, 0.0, 1.0, 2.0])  # at 0: the left slope


@pytest.mark.ch06
def test_softplus_is_stable_and_its_slope_is_the_sigmoid():
    x = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out, cache = softplus_forward(x)
        dx = softplus_backward(np.full(5, 2.0), cache)
    np.testing.assert_allclose(out, [0.0, np.exp(-30.0), np.log(2.0), 30.0, 1000.0], rtol=1e-12)
    assert out[1] > 0  # not rounded to 0: log1p keeps e^-30
    np.testing.assert_allclose(dx, 2.0 * sigmoid(x))  # the slope is sigma(x), not sigma(-x)
    assert dx[0] == 0.0 and dx[-1] == 2.0


@pytest.mark.ch07
def test_silu_slope_by_the_product_rule_at_known_points():
    x = np.array([-2.0, 0.0, 1.0])
    out, cache = silu_forward(x)
    s = sigmoid(x)
    np.testing.assert_allclose(out, x * s)
    np.testing.assert_allclose(silu_backward(np.ones(3), cache), s + x * s * (1 - s))
    # the slope is not sigma(x) alone (the product rule's second term): 0.5 at 0 only
    assert silu_backward(np.ones(3), cache)[1] == 0.5
    assert silu_backward(np.ones(1), silu_forward(np.array([1.0]))[1])[0] > s[2]


@pytest.mark.ch07
@pytest.mark.parametrize("forward", [
    lambda x: leaky_relu_forward(x, alpha=0.3),
    lambda x: prelu_forward(x, np.array([0.3, 0.7])),
    lambda x: elu_forward(x, alpha=2.0),
])
def test_relu_family_is_continuous_at_zero(forward):
    tiny = 1e-9
    x = np.array([[-tiny, -tiny], [0.0, 0.0], [tiny, tiny]])
    out = forward(x)[0]
    np.testing.assert_allclose(out, 0.0, atol=3 * tiny)
    assert np.all(out[0] <= 0) and np.all(out[2] > 0)


@pytest.mark.ch07
def test_elu_with_alpha_one_has_a_continuous_slope():
    _, cache = elu_forward(np.array([-1e-8, 1e-8]), alpha=1.0)
    np.testing.assert_allclose(elu_backward(np.ones(2), cache), [1.0, 1.0], atol=1e-7)


# --- bad arguments -------------------------------------------------------------------------


@pytest.mark.ch07
@pytest.mark.parametrize("forward", [leaky_relu_forward, elu_forward])
def test_negative_or_non_numeric_alpha_is_rejected(forward):
    with pytest.raises(ValueError, match="alpha must be >= 0; got -0.1"):
        forward(np.ones(3), alpha=-0.1)
    with pytest.raises(TypeError, match="alpha must be a real number"):
        forward(np.ones(3), alpha="0.1")


@pytest.mark.ch07
def test_prelu_rejects_slopes_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"alpha must have shape \(3,\).*got \(2,\)"):
        prelu_forward(np.ones((4, 3)), np.ones(2))
    with pytest.raises(ValueError, match="alpha must be a 0-D or 1-D"):
        prelu_forward(np.ones((4, 3)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="x must be a 2-D array of shape"):
        prelu_forward(np.ones(3), np.ones(3))


@pytest.mark.ch06
def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="x must hold real numbers"):
        tanh_forward(np.array(["a", "b"]))


# --- PyTorch, float64 ------------------------------------------------------------------------


def _torch_oracle(name, torch):
    """The same function in PyTorch, taking the same inputs as tensors."""
    functional = torch.nn.functional
    return {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda x: functional.leaky_relu(x, negative_slope=0.1),
        "prelu": functional.prelu,
        "prelu_shared": lambda x, a: functional.prelu(x, a.reshape(1)),
        "elu": lambda x: functional.elu(x, alpha=1.5),
        "softplus": functional.softplus,
        "silu": functional.silu,
    }[name]


@pytest.mark.torch
@pytest.mark.ch07
@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu"])
def test_slopes_at_exactly_zero_agree_with_pytorch(name):
    torch = pytest.importorskip("torch")
    op = ACTIVATIONS[name]
    x = np.zeros((1, 2))
    _, cache = op.forward(x)
    t = torch.tensor(x, requires_grad=True)
    _torch_oracle(name, torch)(t).sum().backward()
    np.testing.assert_array_equal(op.backward(np.ones((1, 2)), cache), t.grad.numpy())
