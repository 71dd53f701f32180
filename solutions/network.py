"""Chapters 2, 6 and 7: a multilayer perceptron composed from the layer pairs.

The math lives in the forward/backward pairs of :mod:`solutions.layers` and
:mod:`solutions.activations`; this module only strings them together. A
network is a list of steps (``dense``, ``batchnorm``, activation,
``dropout``, ``residual``); :meth:`MLP.forward` runs each step's forward
function and keeps its cache, :meth:`MLP.backward` runs the backward
functions in reverse order and collects one gradient per parameter.

Shapes use N (batch), D (input features), M (output features) and C (classes).
"""

from typing import NamedTuple

import numpy

from solutions import activations, layers
from solutions import init as weight_init
from solutions.backend import get_xp
from solutions.layers import dense_forward
from solutions.losses import softmax_cross_entropy_backward, softmax_cross_entropy_forward
from solutions.validation import as_float_array, check_positive, check_rng

__all__ = ["ACTIVATIONS", "INITS", "two_layer_forward", "naive_normal", "Step", "MLP"]

#: Activation names understood by :class:`MLP` and :func:`two_layer_forward`.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu")

#: Weight initializations understood by :class:`MLP`.
INITS = ("naive", "xavier", "he")

#: Initial slope of PReLU's negative part (learned afterwards).
PRELU_ALPHA = 0.25


def _activation_pair(name):
    """Return ``(forward, backward)`` of the activation called ``name``."""
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; got {name!r}")
    return getattr(activations, f"{name}_forward"), getattr(activations, f"{name}_backward")


def two_layer_forward(X, W1, b1, W2, b2, activation="sigmoid"):
    r"""Two layers of neurons in matrix form, :math:`f(f(X W_1 + b_1) W_2 + b_2)`.

    Every neuron of both layers takes a weighted sum of its inputs plus its
    bias and applies the activation ``f``; one matrix product computes a
    whole layer for a whole batch.

    Parameters
    ----------
    X : array of shape (N, D)
    W1 : array of shape (D, H)
        Hidden-layer weights, one column per hidden neuron.
    b1 : array of shape (H,)
    W2 : array of shape (H, M)
        Output-layer weights, one column per output neuron.
    b2 : array of shape (M,)
    activation : str, default "sigmoid"
        One of :data:`ACTIVATIONS` except "prelu" (which has a learned slope).

    Returns
    -------
    out : array of shape (N, M)

    Examples
    --------
    XOR as OR-but-not-AND: hidden neuron 1 is OR, hidden neuron 2 is AND.

    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> W1, b1 = np.array([[20.0, 20.0], [20.0, 20.0]]), np.array([-10.0, -30.0])
    >>> W2, b2 = np.array([[20.0], [-20.0]]), np.array([-10.0])
    >>> two_layer_forward(X, W1, b1, W2, b2).round(3).ravel()
    array([0., 1., 1., 0.])

    """
    if activation == "prelu":
        raise ValueError("activation 'prelu' needs a learned slope; use MLP for it")
    act, _ = _activation_pair(activation)
    hidden, _ = dense_forward(X, W1, b1)
    hidden, _ = act(hidden)
    out, _ = dense_forward(hidden, W2, b2)
    return act(out)[0]


def naive_normal(fan_in, fan_out, rng, dtype=numpy.float64):
    r"""Draw every weight from :math:`N(0, 0.01^2)`: the textbook's bad initialization.

    The scale ignores the layer's width, so the signal shrinks by a factor of
    about :math:`0.01 \sqrt{\text{fan\_in}}` per layer (times at most 1/4
    for the sigmoid's slope): in a deep network the gradients of the first
    layers vanish. Chapter 7 compares it with Xavier and He initialization.

    Parameters
    ----------
    fan_in, fan_out : int
        Inputs and outputs of the layer.
    rng : numpy.random.Generator
    dtype : numpy dtype, default float64

    Returns
    -------
    w : numpy.ndarray of shape (fan_in, fan_out)

    """
    check_rng(rng)
    return (0.01 * rng.standard_normal((fan_in, fan_out))).astype(dtype)


def _initializer(name):
    """Return the weight initializer called ``name`` (see :data:`INITS`)."""
    if name not in INITS:
        raise ValueError(f"init must be one of {INITS}; got {name!r}")
    return {
        "naive": naive_normal,
        "xavier": weight_init.xavier_normal,
        "he": weight_init.he_normal,
    }[name]


class Step(NamedTuple):
    """One step of the network's forward pass."""

    kind: str
    """"dense", "batchnorm", "dropout", "residual", or an activation name."""
    layer: int
    """Number of the layer it belongs to, 1 for the first hidden layer."""
    params: tuple
    """Names of its learned parameters in :attr:`MLP.params`, in the pair's argument order."""


def _pair(kind):
    """Return ``(forward, backward)`` of the layer or activation pair behind a step kind."""
    module = layers if kind in ("dense", "residual", "batchnorm", "dropout") else activations
    return getattr(module, f"{kind}_forward"), getattr(module, f"{kind}_backward")


def _check_layer_sizes(layer_sizes, residual):
    """Return ``layer_sizes`` as a tuple of positive ints (at least input and output)."""
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes must list at least the inputs and the classes, e.g. (64, 10); got {sizes}"
        )
    for k, size in enumerate(sizes):
        check_positive(size, f"layer_sizes[{k}]", integer=True)
    hidden = sizes[1:-1]
    if residual and len(set(hidden)) > 1:
        raise ValueError(
            "residual blocks keep the width, so all hidden layers must have the same size; "
            f"got hidden sizes {hidden}"
        )
    return sizes


class MLP:
    r"""A multilayer perceptron for classification, trained with softmax cross-entropy.

    Hidden layer :math:`i` computes :math:`h_i = f(\mathrm{BN}(h_{i-1} W_i + b_i))`
    (batch norm optional), followed by dropout when ``dropout > 0``; the last
    layer returns the logits :math:`h_{L-1} W_L + b_L`. With ``residual=True``
    every hidden layer after the first is a residual block
    :math:`h_i = h_{i-1} + \mathrm{relu}(h_{i-1} W_{ia} + b_{ia}) W_{ib} + b_{ib}`
    (its own ReLU; no batch norm or outer activation, so the identity path
    stays clean). Parameters are named ``W1, b1, gamma1, beta1, alpha1`` for
    layer 1 (``W2a, b2a, W2b, b2b`` for a residual block) and so on.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``(D, H_1, ..., H_k, C)``: inputs, hidden widths, classes.
    rng : numpy.random.Generator
        Draws the initial weights.
    activation : str, default "relu"
        One of :data:`ACTIVATIONS`; "prelu" learns one slope per unit.
    init : str, default "he"
        "naive" (:func:`naive_normal`, N(0, 0.01²), the textbook's bad choice),
        "xavier" (Glorot normal, for sigmoid and tanh) or "he" (for the ReLU family).
    batch_norm : bool, default False
        Batch norm between each hidden dense layer and its activation.
    dropout : float, default 0.0
        Probability of dropping a hidden unit during training (0 switches it off).
    residual : bool, default False
        Make every hidden layer after the first a residual block.
    dtype : numpy dtype, default float32
        Of the parameters and the computation. float32 is twice as fast and
        precise enough for training; use float64 for gradient checks.
    bn_momentum : float, default 0.9
        Weight of the old running statistics in batch norm's moving average.

    Attributes
    ----------
    params : dict of str to array
        The learned parameters; optimizers update these arrays in place.
    bn_state : dict of int to BatchNormState
        Running mean and variance per batch-norm layer, replaced (never
        modified) by every forward pass in training mode.

    Examples
    --------
    >>> import numpy as np
    >>> net = MLP((4, 8, 3), rng=np.random.default_rng(0))
    >>> sorted(net.params)
    ['W1', 'W2', 'b1', 'b2']
    >>> net.forward(np.ones((5, 4)), training=False).shape
    (5, 3)

    """

    def __init__(self, layer_sizes, *, rng, activation="relu", init="he", batch_norm=False,
                 dropout=0.0, residual=False, dtype=numpy.float32, bn_momentum=0.9):
        self.layer_sizes = _check_layer_sizes(layer_sizes, residual)
        _activation_pair(activation)
        init_weights = _initializer(init)
        check_rng(rng)
        check_positive(dropout, "dropout", allow_zero=True)
        if dropout >= 1:
            raise ValueError(f"dropout must be a probability in [0, 1); got {dropout!r}")
        self.activation, self.dropout, self.bn_momentum = activation, dropout, bn_momentum
        self.dtype = numpy.dtype(dtype)
        self.params, self.bn_state, self.steps, self._caches = {}, {}, [], None
        n_layers = len(self.layer_sizes) - 1
        for i in range(1, n_layers + 1):
            fan_in, fan_out = self.layer_sizes[i - 1], self.layer_sizes[i]
            if i == n_layers:
                self._add("dense", i, **self._dense_params(fan_in, fan_out, init_weights, rng))
            elif residual and i > 1:
                self._add("residual", i,
                          **self._dense_params(fan_in, fan_in, init_weights, rng, "a"),
                          **self._dense_params(fan_in, fan_in, init_weights, rng, "b"))
            else:
                self._add_hidden(i, fan_in, fan_out, init_weights, rng, batch_norm)
            if i < n_layers and dropout > 0:
                self._add("dropout", i)

    def _add(self, kind, layer, **params):
        """Append a step and register its parameters as ``<name><layer>``."""
        names = tuple(f"{name[0]}{layer}{name[1:]}" if len(name) <= 2 else f"{name}{layer}"
                      for name in params)
        self.params.update(zip(names, params.values(), strict=True))
        self.steps.append(Step(kind, layer, names))

    def _dense_params(self, fan_in, fan_out, init_weights, rng, suffix=""):
        """Return initial weights and zero biases of a dense layer (``W<suffix>, b<suffix>``)."""
        w = init_weights(fan_in, fan_out, rng, self.dtype)
        return {f"W{suffix}": w, f"b{suffix}": get_xp(w).zeros(fan_out, self.dtype)}

    def _add_hidden(self, i, fan_in, fan_out, init_weights, rng, batch_norm):
        """Append dense, optional batch norm and the activation of hidden layer ``i``."""
        self._add("dense", i, **self._dense_params(fan_in, fan_out, init_weights, rng))
        xp = get_xp(self.params[f"W{i}"])
        if batch_norm:
            self._add("batchnorm", i, gamma=xp.ones(fan_out, self.dtype),
                      beta=xp.zeros(fan_out, self.dtype))
            self.bn_state[i] = layers.batchnorm_init_state(fan_out, self.dtype,
                                                           like=self.params[f"W{i}"])
        if self.activation == "prelu":
            self._add("prelu", i, alpha=xp.full(fan_out, PRELU_ALPHA, self.dtype))
        else:
            self._add(self.activation, i)

    def forward(self, X, *, training, rng=None):
        """Compute the logits and keep every step's cache for :meth:`backward`.

        Parameters
        ----------
        X : array of shape (N, D)
            Cast to the network's dtype.
        training : bool
            Batch statistics and dropout (True) or running statistics and no
            dropout (False). In training mode the batch-norm running
            statistics are replaced by updated ones.
        rng : numpy.random.Generator, optional
            Draws the dropout masks; required when training with dropout.

        Returns
        -------
        logits : array of shape (N, C)

        """
        X = as_float_array(X, "X", ndim=2, shape="(N, D)")
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have {self.layer_sizes[0]} columns (features); got {X.shape}")
        if training and self.dropout > 0:
            check_rng(rng)
        h, caches = X.astype(self.dtype, copy=False), []
        for step in self.steps:
            h, cache = self._forward_step(step, h, training, rng)
            caches.append(cache)
        self._caches = caches
        return h

    def _forward_step(self, step, h, training, rng):
        """Run one step's forward function; returns ``(out, cache)``."""
        args = [self.params[name] for name in step.params]
        if step.kind == "batchnorm":
            out, cache, state = layers.batchnorm_forward(
                h, *args, self.bn_state[step.layer], training, momentum=self.bn_momentum)
            if training:
                self.bn_state = {**self.bn_state, step.layer: state}
            return out, cache
        if step.kind == "dropout":
            return layers.dropout_forward(h, self.dropout, rng, training)
        return _pair(step.kind)[0](h, *args)

    def backward(self, dlogits):
        """Backpropagate from the logits through the steps of the last :meth:`forward`.

        Parameters
        ----------
        dlogits : array of shape (N, C)
            Gradient of the loss with respect to the logits.

        Returns
        -------
        grads : dict of str to array
            One gradient per parameter, same keys (and order) as :attr:`params`.
            (The gradient for ``X`` is not computed, as in PyTorch: it would
            cost a large matrix product and training never needs it.)

        """
        if self._caches is None:
            raise RuntimeError("backward needs the caches of a forward pass; call forward first")
        dout = as_float_array(dlogits, "dlogits", ndim=2, shape="(N, C)")
        grads = {}
        for step, cache in zip(reversed(self.steps), reversed(self._caches), strict=True):
            dout = self._backward_step(step, dout, cache, grads)
        return {name: grads[name] for name in self.params}

    def _backward_step(self, step, dout, cache, grads):
        """Run one step's backward function, store its parameter gradients, return dx."""
        if step is self.steps[0]:  # the first dense layer: no gradient for the data
            result = layers.dense_backward(dout, cache, need_dx=False)
        else:
            result = _pair(step.kind)[1](dout, cache)
        if not step.params:
            return result
        dx, *dparams = result
        grads.update(zip(step.params, dparams, strict=True))
        return dx

    def loss_and_grads(self, X, y, *, rng=None, training=True):
        """Mean softmax cross-entropy of the batch and its gradient for every parameter.

        Parameters
        ----------
        X : array of shape (N, D)
        y : int array of shape (N,)
            Class indices in [0, C).
        rng : numpy.random.Generator, optional
            For dropout.
        training : bool, default True
            Mode of the forward pass.

        Returns
        -------
        loss : float
        grads : dict of str to array
            Same keys as :attr:`params`.

        """
        logits = self.forward(X, training=training, rng=rng)
        loss, cache = softmax_cross_entropy_forward(logits, y)
        return loss, self.backward(softmax_cross_entropy_backward(1.0, cache))

    def train_step(self, X, y, optimizer, *, rng=None):
        """One step of training on a batch: forward, backward, update in place.

        Parameters
        ----------
        X : array of shape (N, D)
        y : int array of shape (N,)
        optimizer : object with ``update(params, grads)``
            E.g. :class:`solutions.optim.SGD`; it changes :attr:`params` in place.
        rng : numpy.random.Generator, optional
            For dropout.

        Returns
        -------
        loss : float
            The batch's loss before the update.

        """
        loss, grads = self.loss_and_grads(X, y, rng=rng, training=True)
        optimizer.update(self.params, grads)
        return loss

    def predict(self, X):
        """Predicted class of each row of ``X`` (N, D), in evaluation mode; shape (N,)."""
        logits = self.forward(X, training=False)
        return get_xp(logits).argmax(logits, axis=1)

    @property
    def weight_names(self):
        """Names of the weight matrices, from the first layer to the last."""
        return [name for name in self.params if name.startswith("W")]

    def gradient_norms(self, grads):
        r"""Frobenius norm :math:`\lVert \partial L / \partial W \rVert` of each weight matrix.

        Parameters
        ----------
        grads : dict of str to array
            As returned by :meth:`backward` or :meth:`loss_and_grads`.

        Returns
        -------
        norms : dict of str to float
            From the first layer to the last (the order of :attr:`weight_names`);
            the vanishing-gradient plots of chapter 7 draw these.

        """
        xp = get_xp(*grads.values())
        return {name: float(xp.linalg.norm(grads[name])) for name in self.weight_names}
