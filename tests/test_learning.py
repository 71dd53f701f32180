"""Experiments the book reports, as assertions: the library learns; deep nets act as taught."""

import numpy as np
import pytest

from solutions.network import MLP
from solutions.optim import Adam
from solutions.training import EarlyStopping, evaluate, fit, train_val_test_split

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def digits():
    """scikit-learn's 8x8 digits (shipped, no download), split 60/20/20 and standardized."""
    from solutions.data import load_digits

    parts = train_val_test_split(*load_digits(), rng=np.random.default_rng(0))
    X_train = parts[0]
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-8  # some pixels are always 0
    return [((p - mean) / std).astype(np.float32) if k % 2 == 0 else p
            for k, p in enumerate(parts)]


@pytest.mark.ch06
def test_mlp_reaches_97_percent_test_accuracy_on_digits(digits):
    X_train, y_train, X_val, y_val, X_test, y_test = digits
    rng = np.random.default_rng(3)
    net = MLP((64, 128, 10), rng=rng, batch_norm=True)
    history = fit(net, X_train, y_train, X_val=X_val, y_val=y_val, optimizer=Adam(lr=1e-3),
                  epochs=40, batch_size=32, rng=rng, early_stopping=EarlyStopping(patience=8))
    _, test_accuracy = evaluate(net, X_test, y_test)
    assert test_accuracy >= 0.97
    assert history.train_loss[-1] < 0.2 * history.train_loss[0]  # the curve falls
    assert history.val_accuracy[0] < max(history.val_accuracy)


def gradient_norms_at_init(digits, depth, **kwargs):
    """Weight-gradient norms, first layer to last, of a fresh float64 net on one batch."""
    X_train, y_train = digits[0][:128].astype(np.float64), digits[1][:128]
    net = MLP((64,) + (64,) * (depth - 1) + (10,), rng=np.random.default_rng(0),
              dtype=np.float64, **kwargs)
    _, grads = net.loss_and_grads(X_train, y_train)
    return list(net.gradient_norms(grads).values())


@pytest.mark.ch07
def test_deep_sigmoid_net_with_naive_init_has_vanishing_gradients(digits):
    norms = gradient_norms_at_init(digits, 20, activation="sigmoid", init="naive")
    assert len(norms) == 20
    assert norms[-1] / norms[0] > 100  # the first layer gets almost nothing
    assert all(a < b for a, b in zip(norms[:-1], norms[1:], strict=True))  # geometric decay


@pytest.mark.ch07
@pytest.mark.parametrize("depth,kwargs", [
    (20, {}),
    (20, {"batch_norm": True}),
    (11, {"residual": True}),  # stem + 9 blocks of two dense layers + output: 20 layers
], ids=["relu-he", "relu-he-batchnorm", "relu-he-residual"])
def test_relu_he_batchnorm_and_residual_keep_gradients_flowing(digits, depth, kwargs):
    norms = gradient_norms_at_init(digits, depth, activation="relu", init="he", **kwargs)
    assert len(norms) == 20
    assert norms[-1] / norms[0] < 10
    assert min(norms) > 0
