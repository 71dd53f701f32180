"""The benchmarks compare like with like: every contender computes the same training step.

A benchmark whose contenders do different work (a learning rate left out, a layer
skipped, a product too many) reports a speed-up that is not there. These tests run each
contender of ``benchmarks.train_step`` once from the same weights and compare.
"""

from collections import Counter

import numpy as np
import pytest

from benchmarks import train_step as bench
from solutions.network import MLP
from solutions.optim import SGD

B = 16  # batch size


@pytest.fixture
def start():
    """A batch, the network of the benchmark's sizes, and that network after train_step."""
    rng = np.random.default_rng(1)
    X, y = bench.make_batch(B, rng)
    net = MLP(bench.SIZES, rng=rng)
    before = {k: v.copy() for k, v in net.params.items()}
    loss = net.train_step(X, y, SGD(lr=bench.LR))
    assert all(np.abs(net.params[k] - before[k]).max() > 0 for k in before)  # all moved
    return X, y, before, loss, net.params


@pytest.mark.parametrize("step", [bench.fused_step, bench.layers_step], ids=["fused", "layers"])
def test_numpy_contenders_take_the_library_step(start, step):
    X, y, before, loss, after = start
    params = {k: v.copy() for k, v in before.items()}
    assert step(X, y, params) == pytest.approx(loss, rel=1e-6)
    for name in after:
        np.testing.assert_allclose(params[name], after[name], rtol=1e-5, atol=1e-7,
                                   err_msg=name)


def test_torch_contender_takes_the_library_step(start):
    pytest.importorskip("torch")
    X, y, before, loss, after = start
    net = MLP(bench.SIZES, rng=np.random.default_rng(0))
    net.params = {k: v.copy() for k, v in before.items()}
    model = bench.torch_model(net)
    assert bench.torch_step(model, X, y)().item() == pytest.approx(loss, rel=1e-5)
    for k, layer in enumerate(model[::2], start=1):
        np.testing.assert_allclose(layer.weight.detach().numpy().T, after[f"W{k}"],
                                   rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(layer.bias.detach().numpy(), after[f"b{k}"],
                                   rtol=1e-5, atol=1e-7)


class _Shape:
    """Stands in for an array in ``products_step``: records each product's shapes."""

    def __init__(self, shape, log):
        self.shape, self.log = shape, log

    @property
    def T(self):  # noqa: N802 (the array attribute)
        return _Shape(self.shape[::-1], self.log)

    def __matmul__(self, other):
        assert self.shape[1] == other.shape[0]
        self.log.append((self.shape, other.shape))
        return _Shape((self.shape[0], other.shape[1]), self.log)


def test_products_are_those_of_one_step():
    """3 forward, 3 weight gradients, 2 input gradients (the input layer needs none)."""
    log = []
    D, H, C = bench.SIZES[0], bench.SIZES[1], bench.SIZES[3]
    W = [_Shape(s, log) for s in ((D, H), (H, H), (H, C))]
    H_ = [_Shape((B, H), log) for _ in range(2)]
    dZ = [_Shape((B, m), log) for m in (H, H, C)]
    bench.products_step(_Shape((B, D), log), W, dZ, H_)
    assert Counter(log) == Counter([
        ((B, D), (D, H)), ((B, H), (H, H)), ((B, H), (H, C)),    # forward
        ((H, B), (B, C)), ((H, B), (B, H)), ((D, B), (B, H)),    # weight gradients
        ((B, C), (C, H)), ((B, H), (H, H)),                      # input gradients
    ])
