"""Tests of solutions.layers: one gradient check over a registry, properties, oracles.

The contract checks run over this module's registry (tests/op_contract.py).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions.activations import relu_forward
from solutions.backend import device, get_xp
from solutions.layers import (
    BatchNormState,
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_init_state,
    dense_backward,
    dense_forward,
    dropout_backward,
    dropout_forward,
    layernorm_backward,
    layernorm_forward,
    residual_backward,
    residual_forward,
)
from tests.op_contract import Op, OpContract, away_from_zero, seeds_
from tests.strategies import dims

# --- the registry --------------------------------------------------------------------------


def _dense_inputs(rng, n, m):
    return [away_from_zero(rng, (n, m)), rng.standard_normal((m, m + 1)),
            rng.standard_normal(m + 1)]


def _dropout(training):
    # A fresh generator with the same seed on every call: the same mask each time.
    return lambda x: dropout_forward(x, 0.4, np.random.default_rng(7), training)


def _batchnorm_inputs(rng, n, m):
    # At least 5 rows. With 2 the normalized values are +-1 whatever x is; with few rows
    # dx lies in a small subspace (orthogonal to 1 and x_hat) and a random dout can have
    # almost no component in it, leaving a gradient below the finite differences' noise.
    return [rng.standard_normal((n + 4, m)), rng.uniform(0.5, 2.0, m), rng.standard_normal(m)]


#: Running statistics that differ from any batch's, for the evaluation mode.
_STATE = BatchNormState(np.array([0.5, -1.0, 2.0, 0.0, 1.0, -0.5]),
                        np.array([2.0, 0.5, 1.5, 1.0, 3.0, 0.8]))


def _batchnorm(training):
    def forward(x, gamma, beta):
        m = x.shape[1]
        xp = get_xp(x)
        state = BatchNormState(*(xp.asarray(s[:m], dtype=x.dtype, device=device(x))
                                 for s in _STATE))
        out, cache, _ = batchnorm_forward(x, gamma, beta, state, training)
        return out, cache
    return forward


def _residual_inputs(rng, n, m):
    hidden = m + 2
    # A hidden pre-activation within 1e-6 of ReLU's kink has probability ~1e-6.
    return [away_from_zero(rng, (n, m)), rng.standard_normal((m, hidden)),
            rng.standard_normal(hidden), rng.standard_normal((hidden, m)), rng.standard_normal(m)]


LAYERS = {
    "dense": Op(dense_forward, dense_backward, _dense_inputs),
    "dropout_train": Op(_dropout(True), dropout_backward,
                        lambda rng, n, m: [rng.standard_normal((n, m))], random=True),
    "dropout_eval": Op(_dropout(False), dropout_backward,
                       lambda rng, n, m: [rng.standard_normal((n, m))]),
    "batchnorm_train": Op(_batchnorm(True), batchnorm_backward, _batchnorm_inputs),
    "batchnorm_eval": Op(_batchnorm(False), batchnorm_backward, _batchnorm_inputs),
    "residual": Op(residual_forward, residual_backward, _residual_inputs),
    # At least 3 features per sample, for the reason batch norm needs 5 rows.
    "layernorm": Op(lambda x, gamma, beta: layernorm_forward(x, gamma, beta), layernorm_backward,
                    lambda rng, n, m: [rng.standard_normal((n, m + 2)),
                                       rng.uniform(0.5, 2.0, m + 2), rng.standard_normal(m + 2)]),
}
CH06 = {"dense"}
NAMES = [pytest.param(name, marks=pytest.mark.ch06 if name in CH06 else pytest.mark.ch07)
         for name in LAYERS]


@pytest.mark.parametrize("name", NAMES)
class TestLayerContract(OpContract):
    OPS = LAYERS
    OUT_TOL = {"rtol": 1e-10, "atol": 1e-12}
    GRAD_TOL = {"rtol": 1e-9, "atol": 1e-11}

    @staticmethod
    def torch_oracle(name, torch):
        return _torch_oracle(name, torch)


# --- layer norm ----------------------------------------------------------------------------


@pytest.mark.ch07
def test_layernorm_normalizes_each_sample_over_its_features(rng):
    x = rng.normal(loc=5.0, scale=3.0, size=(6, 4)) * np.arange(1.0, 7.0)[:, None]
    out, _ = layernorm_forward(x, np.ones(4), np.zeros(4), eps=1e-12)
    np.testing.assert_allclose(out.mean(axis=1), 0.0, atol=1e-12)  # rows, not columns
    np.testing.assert_allclose(out.var(axis=1), 1.0, rtol=1e-9)
    np.testing.assert_allclose(layernorm_forward(x[:1], np.ones(4), np.zeros(4), 1e-12)[0],
                               out[:1])  # a sample alone: no batch statistics


@pytest.mark.ch07
def test_layernorm_dx_sums_to_zero_per_sample_and_differs_from_batch_norm(rng):
    x, dout = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    gamma, beta = rng.uniform(0.5, 2.0, 4), rng.standard_normal(4)
    dx, dgamma, dbeta = layernorm_backward(dout, layernorm_forward(x, gamma, beta)[1])
    np.testing.assert_allclose(dx.sum(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(dbeta, dout.sum(axis=0))
    # Batch norm's formula, means over the batch instead of the features, is another gradient.
    state = batchnorm_init_state(4)
    bn_dx = batchnorm_backward(dout, batchnorm_forward(x, gamma, beta, state, True)[1])[0]
    assert not np.allclose(dx, bn_dx, atol=1e-3)


@pytest.mark.ch07
def test_layernorm_rejects_parameters_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"gamma must have shape \(3,\)"):
        layernorm_forward(np.ones((2, 3)), np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="eps"):
        layernorm_forward(np.ones((2, 3)), np.ones(3), np.zeros(3), eps=-1.0)


# --- dropout -------------------------------------------------------------------------------


@pytest.mark.ch07
@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_keeps_the_expected_value_and_drops_a_fraction_p(p, rng):
    x = np.full((400, 500), 3.0)
    out, _ = dropout_forward(x, p, rng, training=True)
    # Each entry is 0 or 3/(1-p): mean 3, standard error 3*sqrt(p/(1-p)/200000) < 0.02.
    # Without the 1/(1-p) scaling the mean would be 3(1-p); with the mask inverted, 3p/(1-p).
    assert out.mean() == pytest.approx(3.0, abs=0.05)
    assert np.mean(out == 0) == pytest.approx(p, abs=0.01)
    np.testing.assert_allclose(np.unique(out), [0.0, 3.0 / (1 - p)])


@pytest.mark.ch07
def test_dropout_backward_passes_gradient_only_through_kept_units(rng):
    x = rng.standard_normal((20, 30))
    out, cache = dropout_forward(x, 0.5, rng, training=True)
    dout = rng.standard_normal(x.shape)
    np.testing.assert_allclose(dropout_backward(dout, cache), np.where(out != 0, 2.0 * dout, 0.0))


@pytest.mark.ch07
def test_dropout_is_the_identity_without_using_rng_when_not_training(rng):
    x = rng.standard_normal((5, 4))
    before = rng.bit_generator.state
    out, cache = dropout_forward(x, 0.5, rng, training=False)
    assert rng.bit_generator.state == before  # not a single draw
    np.testing.assert_array_equal(out, x)
    dout = rng.standard_normal(x.shape)
    np.testing.assert_array_equal(dropout_backward(dout, cache), dout)
    np.testing.assert_array_equal(dropout_forward(x, 0.5, None, training=False)[0], x)


@pytest.mark.ch07
def test_dropout_with_p_zero_is_the_identity_in_training(rng):
    x = rng.standard_normal((5, 4))
    np.testing.assert_array_equal(dropout_forward(x, 0.0, rng, training=True)[0], x)


@pytest.mark.ch07
def test_dropout_masks_repeat_with_the_seed_and_differ_without_it():
    x = np.ones((10, 10))
    first = dropout_forward(x, 0.5, np.random.default_rng(3), True)[0]
    again = dropout_forward(x, 0.5, np.random.default_rng(3), True)[0]
    other = dropout_forward(x, 0.5, np.random.default_rng(4), True)[0]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.ch07
@pytest.mark.parametrize("p", [1.0, -0.1, 1.5, np.nan])
def test_dropout_rejects_p_outside_zero_one(p, rng):
    with pytest.raises(ValueError, match="p must"):
        dropout_forward(np.ones((2, 2)), p, rng, True)


@pytest.mark.ch07
def test_dropout_rejects_mode_strings_and_missing_generators():
    with pytest.raises(TypeError, match="training must be True or False; got 'train'"):
        dropout_forward(np.ones((2, 2)), 0.5, np.random.default_rng(0), "train")
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        dropout_forward(np.ones((2, 2)), 0.5, 0, True)
    with pytest.raises(TypeError, match="p must be a real number"):
        dropout_forward(np.ones((2, 2)), "0.5", np.random.default_rng(0), True)


# --- batch normalization -------------------------------------------------------------------


@pytest.mark.ch07
@given(seed=seeds_, n=st.integers(3, 40), m=dims)
def test_batchnorm_normalizes_each_feature_then_scales_and_shifts(seed, n, m):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10, 10, m) + rng.uniform(1, 5, m) * rng.standard_normal((n, m))
    state = batchnorm_init_state(m)
    plain, _, _ = batchnorm_forward(x, np.ones(m), np.zeros(m), state, True, eps=1e-12)
    np.testing.assert_allclose(plain.mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(plain.var(axis=0), 1.0, rtol=1e-6)  # eps/var of a tight feature
    gamma, beta = rng.uniform(0.5, 2, m), rng.standard_normal(m)
    out, _, _ = batchnorm_forward(x, gamma, beta, state, True, eps=1e-12)
    np.testing.assert_allclose(out, gamma * plain + beta, atol=1e-12)


@pytest.mark.ch07
def test_batchnorm_uses_the_running_statistics_when_not_training(rng):
    x = 5.0 + rng.standard_normal((8, 2))
    gamma, beta = np.array([2.0, 0.5]), np.array([1.0, -1.0])
    state = BatchNormState(np.array([1.0, -1.0]), np.array([4.0, 0.25]))
    out, cache, new_state = batchnorm_forward(x, gamma, beta, state, False, eps=1e-9)
    np.testing.assert_allclose(out, gamma * (x - [1.0, -1.0]) / [2.0, 0.5] + beta, rtol=1e-8)
    assert new_state is state and cache.training is False
    train_out, train_cache, _ = batchnorm_forward(x, gamma, beta, state, True)
    assert train_cache.training is True
    assert not np.allclose(train_out, out)  # batch and running statistics really differ


@pytest.mark.ch07
def test_batchnorm_returns_a_new_state_and_never_mutates_the_old_one(rng):
    x = rng.standard_normal((6, 3))
    state = BatchNormState(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]))
    saved = BatchNormState(state.running_mean.copy(), state.running_var.copy())
    _, _, new_state = batchnorm_forward(x, np.ones(3), np.zeros(3), state, True, momentum=0.8)
    np.testing.assert_array_equal(state.running_mean, saved.running_mean)
    np.testing.assert_array_equal(state.running_var, saved.running_var)
    assert isinstance(new_state, BatchNormState)
    assert new_state.running_mean is not state.running_mean
    # momentum * running + (1 - momentum) * batch statistic; the unbiased variance (ddof=1)
    np.testing.assert_allclose(new_state.running_mean, 0.8 * saved.running_mean
                               + 0.2 * x.mean(axis=0))
    np.testing.assert_allclose(new_state.running_var, 0.8 * saved.running_var
                               + 0.2 * x.var(axis=0, ddof=1))


@pytest.mark.ch07
def test_batchnorm_running_statistics_converge_to_the_data_statistics(rng):
    mean, std = np.array([3.0, -1.0, 0.0]), np.array([2.0, 0.5, 1.0])
    state = batchnorm_init_state(3)
    for _ in range(200):
        batch = mean + std * rng.standard_normal((32, 3))
        _, _, state = batchnorm_forward(batch, np.ones(3), np.zeros(3), state, True)
    np.testing.assert_allclose(state.running_mean, mean, atol=0.15)
    np.testing.assert_allclose(state.running_var, std**2, rtol=0.15)


@pytest.mark.ch07
def test_batchnorm_training_gradient_sums_to_zero_over_the_batch(rng):
    # Shifting a whole feature changes nothing after normalization, so sum_n dx = 0;
    # the evaluation-mode formula, applied by mistake in training, breaks this.
    x = rng.standard_normal((10, 4))
    _, cache, _ = batchnorm_forward(x, rng.uniform(0.5, 2, 4), np.zeros(4),
                                    batchnorm_init_state(4), True)
    dx, _, _ = batchnorm_backward(rng.standard_normal((10, 4)), cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)


@pytest.mark.ch07
def test_batchnorm_init_state_has_mean_zero_variance_one():
    state = batchnorm_init_state(3, np.float32)
    np.testing.assert_array_equal(state.running_mean, np.zeros(3))
    np.testing.assert_array_equal(state.running_var, np.ones(3))
    assert state.running_mean.dtype == state.running_var.dtype == np.float32
    with pytest.raises(ValueError, match="M must be > 0"):
        batchnorm_init_state(0)


@pytest.mark.ch07
def test_batchnorm_rejects_bad_arguments(rng):
    x, ones, zeros, state = np.ones((4, 3)), np.ones(3), np.zeros(3), batchnorm_init_state(3)
    with pytest.raises(ValueError, match=r"gamma must have shape \(3,\).*got \(4,\)"):
        batchnorm_forward(x, np.ones(4), zeros, state, True)
    with pytest.raises(ValueError, match=r"state.running_var must have shape \(3,\)"):
        batchnorm_forward(x, ones, zeros, BatchNormState(zeros, np.ones(2)), True)
    with pytest.raises(TypeError, match="state must be a BatchNormState"):
        batchnorm_forward(x, ones, zeros, {"mean": zeros, "var": ones}, True)
    with pytest.raises(ValueError, match="momentum must lie in"):
        batchnorm_forward(x, ones, zeros, state, True, momentum=1.5)
    with pytest.raises(ValueError, match="eps must be > 0"):
        batchnorm_forward(x, ones, zeros, state, True, eps=0.0)
    with pytest.raises(ValueError, match="at least 2 rows"):
        batchnorm_forward(np.ones((1, 3)), ones, zeros, state, True)
    with pytest.raises(TypeError, match="training must be True or False"):
        batchnorm_forward(x, ones, zeros, state, 1)


# --- residual block ------------------------------------------------------------------------


@pytest.mark.ch07
def test_residual_block_is_x_plus_dense_relu_dense(rng):
    x, w1, b1, w2, b2 = _residual_inputs(rng, 5, 3)
    out, _ = residual_forward(x, w1, b1, w2, b2)
    np.testing.assert_allclose(out, x + relu_forward(x @ w1 + b1)[0] @ w2 + b2)


@pytest.mark.ch07
def test_residual_block_with_zero_weights_passes_x_and_its_gradient_unchanged(rng):
    x = rng.standard_normal((4, 3))
    out, cache = residual_forward(x, np.zeros((3, 5)), np.zeros(5), np.zeros((5, 3)), np.zeros(3))
    np.testing.assert_array_equal(out, x)
    dout = rng.standard_normal((4, 3))
    dx, *_ = residual_backward(dout, cache)
    np.testing.assert_array_equal(dx, dout)


@pytest.mark.ch07
def test_residual_block_rejects_a_second_layer_that_does_not_map_back(rng):
    with pytest.raises(ValueError, match=r"w2 must map back to the D=3 features.*\(5, 4\)"):
        residual_forward(np.ones((2, 3)), np.ones((3, 5)), np.ones(5), np.ones((5, 4)),
                         np.ones(4))
    with pytest.raises(ValueError, match="w1 must have shape"):
        residual_forward(np.ones((2, 3)), np.ones((4, 5)), np.ones(5), np.ones((5, 3)),
                         np.ones(3))


@pytest.mark.ch06
def test_dense_backward_can_skip_the_input_gradient(rng):
    x, w, b = _dense_inputs(rng, 4, 3)
    _, cache = dense_forward(x, w, b)
    dout = rng.standard_normal((4, 4))
    dx, dw, db = dense_backward(dout, cache)
    skipped = dense_backward(dout, cache, need_dx=False)
    assert skipped[0] is None
    np.testing.assert_array_equal(skipped[1], dw)
    np.testing.assert_array_equal(skipped[2], db)
    np.testing.assert_allclose(dx, dout @ w.T)


@pytest.mark.ch06
def test_dense_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"w must have shape \(D, M\) with D=3"):
        dense_forward(np.ones((2, 3)), np.ones((4, 5)), np.ones(5))
    with pytest.raises(ValueError, match=r"b must have shape \(5,\)"):
        dense_forward(np.ones((2, 3)), np.ones((3, 5)), np.ones(4))


# --- PyTorch, float64 ------------------------------------------------------------------------


def _torch_oracle(name, torch):
    """The same layer in PyTorch, taking the same inputs as tensors."""
    functional = torch.nn.functional
    mask = torch.tensor(dropout_forward(np.ones((7, 5)), 0.4, np.random.default_rng(7), True)[0])

    def batchnorm(training):
        def forward(x, gamma, beta):
            m = x.shape[1]
            mean, var = (torch.tensor(s[:m]) for s in _STATE)
            return functional.batch_norm(x, mean, var, gamma, beta, training=training, eps=1e-5)
        return forward

    return {
        "dense": lambda x, w, b: x @ w + b,
        "dropout_train": lambda x: x * mask,
        "dropout_eval": lambda x: x,
        "batchnorm_train": batchnorm(True),
        "batchnorm_eval": batchnorm(False),
        "residual": lambda x, w1, b1, w2, b2: x + torch.relu(x @ w1 + b1) @ w2 + b2,
        "layernorm": lambda x, gamma, beta: functional.layer_norm(x, x.shape[-1:], gamma, beta,
                                                                  eps=1e-5),
    }[name]


@pytest.mark.torch
@pytest.mark.ch07
def test_batchnorm_running_statistics_agree_with_pytorch(rng):
    torch = pytest.importorskip("torch")
    x = 2.0 + 3.0 * rng.standard_normal((9, 4))
    state = BatchNormState(rng.standard_normal(4), rng.uniform(0.5, 2, 4))
    mean_t, var_t = torch.tensor(state.running_mean), torch.tensor(state.running_var)
    # PyTorch's momentum is the weight of the new batch: ours is 1 - theirs.
    torch.nn.functional.batch_norm(torch.tensor(x), mean_t, var_t, training=True, momentum=0.3)
    _, _, new_state = batchnorm_forward(x, np.ones(4), np.zeros(4), state, True, momentum=0.7)
    np.testing.assert_allclose(new_state.running_mean, mean_t.numpy(), rtol=1e-12)
    np.testing.assert_allclose(new_state.running_var, var_t.numpy(), rtol=1e-12)
