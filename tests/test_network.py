import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions import activations, layers
from solutions.backend import to_numpy
from solutions.gradcheck import gradient_errors
from solutions.losses import softmax_cross_entropy
from solutions.network import ACTIVATIONS, MLP, two_layer_forward
from solutions.optim import SGD, Adam
from tests.strategies import seeds

pytestmark = [pytest.mark.ch06, pytest.mark.ch07]

#: Network variants whose full backward pass must match central differences.
VARIANTS = {
    **{name: {"activation": name} for name in ACTIVATIONS},
    "batch_norm": {"batch_norm": True, "activation": "tanh"},
    "residual": {"residual": True},
    "dropout": {"dropout": 0.4},
    "everything": {"batch_norm": True, "residual": True, "dropout": 0.3, "activation": "prelu"},
}

#: (N, D, hidden widths, C): small enough for finite differences.
SHAPES = [(4, 3, (5,), 2), (6, 5, (4, 4, 4), 3)]


def make_net(sizes, seed=0, **kwargs):
    return MLP(sizes, rng=np.random.default_rng(seed), dtype=np.float64, **kwargs)


def perturbed(net, rng, scale=0.3):
    """Move every parameter off its initial value (PReLU slopes and BN scales included)."""
    for value in net.params.values():
        value += scale * rng.standard_normal(value.shape)
    return net


def forward_logits(forward):
    """``forward`` returning the logits only (the network's forward also returns its cache)."""
    return lambda *args: forward(*args)[0]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"N{s[0]}-D{s[1]}-H{len(s[2])}")
@pytest.mark.parametrize("variant", VARIANTS)
def test_network_backward_matches_central_differences(variant, shape, rng):
    n, d, hidden, c = shape
    net = perturbed(make_net((d, *hidden, c), **VARIANTS[variant]), rng)
    X = rng.standard_normal((n, d))
    names = list(net.params)
    point = [net.params[k].copy() for k in names]

    def forward(*values):
        net.params.update(zip(names, values, strict=True))
        # The same seed every call: every evaluation drops the same units.
        return net.forward(X, training=True, rng=np.random.default_rng(99))

    def backward(dlogits):
        _, cache = forward(*point)
        grads = net.backward(dlogits, cache)
        return [grads[name] for name in names]

    errors = dict(zip(names, gradient_errors(forward_logits(forward), point, backward, rng=rng),
                      strict=True))
    # Batch norm subtracts the batch mean, so the bias just before it has no effect:
    # both gradients are 0 up to rounding and their relative error means nothing.
    for name in [f"b{step.layer}" for step in net.steps if step.kind == "batchnorm"]:
        assert np.max(np.abs(net.loss_and_grads(X, np.zeros(n, int), rng=rng)[1][name])) < 1e-12
        del errors[name]
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("variant", VARIANTS)
def test_grads_have_the_keys_shapes_and_dtype_of_params(variant, rng):
    net = MLP((5, 6, 6, 3), rng=rng, **VARIANTS[variant])  # float32 by default
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    loss, grads = net.loss_and_grads(X, y, rng=rng)
    assert list(grads) == list(net.params)
    for name, value in net.params.items():
        assert value.dtype == np.float32, name
        assert grads[name].shape == value.shape and grads[name].dtype == np.float32, name
    assert np.isfinite(loss)


def test_parameter_names_follow_the_layers():
    net = make_net((4, 6, 6, 6, 2), residual=True, batch_norm=True, activation="prelu")
    assert list(net.params) == [
        "W1", "b1", "gamma1", "beta1", "alpha1",
        "W2a", "b2a", "W2b", "b2b", "W3a", "b3a", "W3b", "b3b", "W4", "b4",
    ]
    assert net.weight_names == ["W1", "W2a", "W2b", "W3a", "W3b", "W4"]


def test_loss_and_grads_agree_with_forward_and_the_loss(rng):
    net = make_net((3, 4, 2))
    X, y = rng.standard_normal((5, 3)), np.array([0, 1, 1, 0, 1])
    loss, _ = net.loss_and_grads(X, y)
    assert loss == pytest.approx(softmax_cross_entropy(net.forward(X, training=True)[0], y))


@pytest.mark.parametrize("variant", ["relu", "batch_norm", "residual", "dropout"])
def test_train_step_decreases_the_loss_on_a_fixed_batch(variant, rng):
    net = MLP((6, 16, 16, 3), rng=rng, **VARIANTS[variant])
    X, y = rng.standard_normal((32, 6)).astype(np.float32), rng.integers(0, 3, 32)
    before = net.loss_and_grads(X, y, training=False)[0]
    params0 = {k: v.copy() for k, v in net.params.items()}
    optimizer = SGD(lr=0.1)
    for _ in range(20):
        net.train_step(X, y, optimizer, rng=rng)
    assert net.loss_and_grads(X, y, training=False)[0] < 0.8 * before
    assert all(not np.array_equal(net.params[k], params0[k]) for k in net.weight_names)


def test_train_step_returns_the_loss_before_the_update(rng):
    net = make_net((3, 4, 2))
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    expected = net.loss_and_grads(X, y)[0]
    assert net.train_step(X, y, SGD(lr=0.5)) == pytest.approx(expected)
    assert net.loss_and_grads(X, y)[0] < expected


def test_predict_is_the_argmax_of_the_eval_logits(rng):
    net = make_net((4, 8, 5), dropout=0.5)
    X = rng.standard_normal((20, 4))
    np.testing.assert_array_equal(net.predict(X),
                                  np.argmax(net.forward(X, training=False)[0], 1))


def test_predict_between_forward_and_backward_changes_nothing(rng):
    net = make_net((4, 8, 3), batch_norm=True, dropout=0.3)
    X, X_other = rng.standard_normal((6, 4)), rng.standard_normal((9, 4))
    logits, cache = net.forward(X, training=True, rng=np.random.default_rng(1))
    dlogits = rng.standard_normal(logits.shape)
    expected = net.backward(dlogits, cache)
    logits2, cache2 = net.forward(X, training=True, rng=np.random.default_rng(1))
    net.predict(X_other)  # a forward pass of its own, on other data, in between
    net.forward(X_other, training=True, rng=np.random.default_rng(2))
    for name, g in net.backward(dlogits, cache2).items():
        np.testing.assert_array_equal(g, expected[name])


def test_steps_hold_the_functions_resolved_at_construction():
    net = make_net((4, 5, 5, 2), activation="tanh", batch_norm=True)
    assert [s.kind for s in net.steps] == ["dense", "batchnorm", "tanh", "dense", "batchnorm",
                                           "tanh", "dense"]
    assert net.steps[2].forward.args == (activations._tanh_forward,)
    assert net.steps[2].backward is activations._tanh_backward
    assert net.steps[0].backward.keywords == {"need_dx": False}  # no dx for the data
    assert net.steps[3].backward is layers._dense_backward


def test_batch_norm_state_is_replaced_in_training_and_used_in_evaluation(rng):
    net = make_net((3, 5, 2), batch_norm=True)
    X = 3.0 + 2.0 * rng.standard_normal((16, 3))
    old = net.bn_state[1]
    old_mean = old.running_mean.copy()
    net.forward(X, training=True)
    new = net.bn_state[1]
    assert new is not old and new.running_mean is not old.running_mean
    np.testing.assert_array_equal(old.running_mean, old_mean)  # nobody's array was overwritten
    assert not np.allclose(new.running_mean, old_mean)
    net.forward(X, training=False)
    assert net.bn_state[1] is new  # evaluation leaves the statistics alone
    # Evaluation normalizes with running statistics, training with the batch's own.
    assert not np.allclose(net.forward(X, training=False)[0], net.forward(X, training=True)[0])


def test_dropout_is_random_in_training_and_off_in_evaluation(rng):
    net = make_net((4, 50, 3), dropout=0.5)
    X = rng.standard_normal((6, 4))
    a, _ = net.forward(X, training=True, rng=np.random.default_rng(1))
    b, _ = net.forward(X, training=True, rng=np.random.default_rng(2))
    assert not np.allclose(a, b)
    plain = make_net((4, 50, 3))  # same seed: same weights, no dropout
    np.testing.assert_allclose(net.forward(X, training=False)[0],
                               plain.forward(X, training=False)[0])
    with pytest.raises(TypeError, match="rng"):
        net.forward(X, training=True)


def test_gradient_norms_are_ordered_weight_norms(rng):
    net = make_net((4, 6, 6, 3))
    _, grads = net.loss_and_grads(rng.standard_normal((5, 4)), np.array([0, 1, 2, 0, 1]))
    norms = net.gradient_norms(grads)
    assert list(norms) == ["W1", "W2", "W3"]
    for name, value in norms.items():
        assert value == pytest.approx(np.linalg.norm(grads[name]))


def test_initializations_have_their_documented_scale(rng):
    for init, std in [("naive", 0.01), ("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(2 / 800))]:
        w = MLP((400, 400, 2), rng=rng, init=init, dtype=np.float64).params["W1"]
        assert np.std(w) == pytest.approx(std, rel=0.05), init


def test_inputs_and_upstream_gradient_are_not_mutated(rng):
    net = make_net((3, 4, 4, 2), batch_norm=True, residual=True)
    X = rng.standard_normal((5, 3))
    X0 = X.copy()
    logits, cache = net.forward(X, training=True)
    dlogits = rng.standard_normal(logits.shape)
    d0 = dlogits.copy()
    net.backward(dlogits, cache)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(dlogits, d0)


@pytest.mark.parametrize("kwargs,error,message", [
    ({"layer_sizes": (4,)}, ValueError, "at least the inputs"),
    ({"layer_sizes": (4, 0, 2)}, ValueError, "layer_sizes\\[1\\] must be > 0"),
    ({"layer_sizes": (4, 5, 6, 2), "residual": True}, ValueError, "same size"),
    ({"activation": "softplus"}, ValueError, "activation must be one of"),
    ({"init": "zeros"}, ValueError, "init must be one of"),
    ({"dropout": 1.0}, ValueError, "dropout must be a probability"),
    ({"rng": 3}, TypeError, "rng must be a numpy.random.Generator"),
])
def test_constructor_rejects_bad_arguments(kwargs, error, message):
    args = {"layer_sizes": (4, 5, 2), "rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(error, match=message):
        MLP(args.pop("layer_sizes"), **args)


def test_forward_and_backward_reject_bad_use(rng):
    net = make_net((4, 5, 2))
    with pytest.raises(TypeError, match="cache must be the MLPCache"):
        net.backward(np.zeros((3, 2)), None)
    _, cache = net.forward(np.zeros((3, 4)), training=True)
    with pytest.raises(ValueError, match=r"dlogits must have the shape of the logits, \(3, 2\)"):
        net.backward(np.zeros((4, 2)), cache)
    with pytest.raises(ValueError, match="labels must lie in"):
        net.loss_and_grads(np.zeros((3, 4)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="X must have 4 columns"):
        net.forward(np.zeros((3, 5)), training=False)
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        net.forward(np.zeros(4), training=False)


# --- the two-layer forward pass of chapter 2 --------------------------------------------

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def test_two_layer_forward_solves_xor_with_step_like_sigmoids():
    W1, b1 = np.array([[20.0, 20.0], [20.0, 20.0]]), np.array([-10.0, -30.0])  # OR, AND
    W2, b2 = np.array([[20.0], [-20.0]]), np.array([-10.0])  # OR and not AND
    out = two_layer_forward(XOR_X, W1, b1, W2, b2)
    np.testing.assert_allclose(out.ravel(), [0, 1, 1, 0], atol=1e-4)


@given(seeds(), st.sampled_from(["sigmoid", "tanh", "relu"]))
def test_two_layer_forward_is_two_matrix_layers(rng, activation):
    funcs = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(z, 0)}
    f = funcs[activation]
    X = rng.standard_normal((5, 3))
    W1, b1, W2, b2 = (rng.standard_normal(s) for s in [(3, 4), 4, (4, 2), 2])
    out = two_layer_forward(X, W1, b1, W2, b2, activation=activation)
    np.testing.assert_allclose(out, f(f(X @ W1 + b1) @ W2 + b2), rtol=1e-12, atol=1e-14)
    out32 = two_layer_forward(*(a.astype(np.float32) for a in (X, W1, b1, W2, b2)))
    assert out32.dtype == np.float32


def test_two_layer_forward_rejects_bad_shapes_and_names():
    W1, b1, W2, b2 = np.ones((2, 3)), np.zeros(3), np.ones((3, 1)), np.zeros(1)
    with pytest.raises(ValueError, match=r"W1 must have shape \(D, M\) with D=3"):
        two_layer_forward(np.ones((4, 3)), W1, b1, W2, b2)
    with pytest.raises(ValueError, match="activation must be one of"):
        two_layer_forward(XOR_X, W1, b1, W2, b2, activation="step")
    with pytest.raises(ValueError, match="prelu"):
        two_layer_forward(XOR_X, W1, b1, W2, b2, activation="prelu")


# --- oracle ------------------------------------------------------------------------------

@pytest.mark.torch
def test_relu_network_matches_pytorch_autograd(rng):
    torch = pytest.importorskip("torch")
    net = make_net((5, 7, 6, 3))
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    loss, grads = net.loss_and_grads(X, y)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in net.params.items()}
    h = torch.relu(torch.tensor(X) @ t["W1"] + t["b1"])
    h = torch.relu(h @ t["W2"] + t["b2"])
    t_loss = torch.nn.functional.cross_entropy(h @ t["W3"] + t["b3"], torch.tensor(y))
    t_loss.backward()
    assert loss == pytest.approx(t_loss.item(), rel=1e-12)
    for name, value in t.items():
        np.testing.assert_allclose(grads[name], value.grad.numpy(), rtol=1e-10, atol=1e-12)


# --- backends: one per network ----------------------------------------------------------


def _short_run(net, X, y, steps=5):
    """Losses of a few SGD steps (with dropout and batch norm), and the final parameters.

    Not Adam: it divides the gradient of the bias before batch norm, zero up to rounding,
    by its own size, and so turns rounding differences between libraries into steps.
    """
    optimizer, rng = SGD(lr=0.1), np.random.default_rng(1)
    losses = [net.train_step(X, y, optimizer, rng=rng) for _ in range(steps)]
    return losses, net.params


def test_a_short_training_run_gives_numpy_s_numbers_on_every_backend(other_xp, rng):
    X, y = rng.standard_normal((12, 4)), rng.integers(0, 3, 12)
    random = other_xp.name in ("cupy", "torch-cuda")  # own generator: other dropout masks
    kwargs = {"batch_norm": True, "dropout": 0.0 if random else 0.2, "activation": "tanh"}
    losses, params = _short_run(make_net((4, 6, 6, 3), **kwargs), X, y)
    net = MLP((4, 6, 6, 3), rng=np.random.default_rng(0), dtype=np.float64,
              xp=other_xp.xp, device=other_xp.device, **kwargs)
    losses_b, params_b = _short_run(net, other_xp.asarray(X), other_xp.asarray(y))
    assert losses_b == pytest.approx(losses, rel=1e-10)
    kind = type(other_xp.asarray(X))
    for name, value in params_b.items():
        assert type(value) is kind, name
        np.testing.assert_allclose(to_numpy(value), params[name], rtol=1e-9, atol=1e-12)
    for state in net.bn_state.values():
        assert all(type(a) is kind for a in state)
    assert type(net.predict(other_xp.asarray(X))) is kind


def test_to_moves_parameters_and_statistics_and_back(other_xp, rng):
    net = make_net((4, 6, 3), batch_norm=True)
    X = rng.standard_normal((5, 4))
    net.forward(X, training=True)
    expected, _ = net.forward(X, training=False)
    assert net.to(other_xp.xp, device=other_xp.device) is net
    moved, _ = net.forward(other_xp.asarray(X), training=False)
    np.testing.assert_allclose(to_numpy(moved), expected, rtol=1e-12)
    back, _ = net.to(np).forward(X, training=False)
    np.testing.assert_allclose(back, expected, rtol=1e-12)
    assert isinstance(net.params["W1"], np.ndarray) and net.params["W1"].dtype == np.float64


def test_mixing_backends_is_a_clear_error(rng):
    torch = pytest.importorskip("torch")
    net = make_net((4, 6, 3))
    X, y = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    with pytest.raises(TypeError, match="network lives in array_api_compat.numpy.*net.to"):
        net.forward(torch.asarray(X), training=False)
    with pytest.raises(TypeError, match="y is an array of array_api_compat.torch"):
        net.loss_and_grads(X, torch.asarray(y))
    optimizer = Adam(lr=0.1)
    net.train_step(X, y, optimizer)
    net.to(torch)
    with pytest.raises(TypeError, match="build a new optimizer"):
        net.train_step(torch.asarray(X), torch.asarray(y), optimizer)
    assert net.train_step(torch.asarray(X), torch.asarray(y), SGD(lr=0.1)) > 0
    with pytest.raises(TypeError, match="network lives in array_api_compat.torch"):
        net.predict(X)


def test_the_device_is_named_as_the_library_names_it(rng):
    torch = pytest.importorskip("torch")
    net = MLP((4, 6, 3), rng=np.random.default_rng(0), xp=torch, device="cpu")
    assert net.device == torch.device("cpu")  # not the string given
    logits, _ = net.forward(torch.asarray(rng.standard_normal((5, 4))), training=False)
    assert logits.dtype == torch.float32 and logits.device == net.device
