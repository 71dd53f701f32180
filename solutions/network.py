"""Chapters 2, 6 and 7: a multilayer perceptron composed from the layer pairs.

The math lives in the forward/backward pairs of :mod:`solutions.layers` and
:mod:`solutions.activations`; this module only strings them together. A
network is a list of steps (``dense``, ``batchnorm``, activation,
``dropout``, ``residual``), each with its forward and backward function
resolved once, when the network is built. :meth:`MLP.forward` runs the forward
functions and returns the logits with every step's cache; :meth:`MLP.backward`
takes those caches, runs the backward functions in reverse order and collects
one gradient per parameter. Nothing is kept in the network between the two, so
a :meth:`MLP.predict` in between changes nothing.

One network, one backend: the parameters, the batch-norm statistics (and the
state of the optimizer that trains them) live in one array library on one
device, chosen when the network is built (``xp=``) and changed with
:meth:`MLP.to`. Input from another library is an error, not a silent copy.
A step validates its input once, at the boundary, and then calls the private
cores of the pairs, which check nothing again.

Shapes use N (batch), D (input features), M (output features) and C (classes).
"""

import functools
from collections.abc import Callable
from typing import NamedTuple

from solutions import activations, layers
from solutions import init as weight_init
from solutions.backend import device as array_device
from solutions.backend import float_dtype, get_xp, namespace_and_device, to_numpy
from solutions.init import naive_normal
from solutions.losses import (
    _check_labels,
    _softmax_cross_entropy_backward,
    _softmax_cross_entropy_forward,
)
from solutions.validation import as_float_array, check_positive, check_rng, check_same_length

__all__ = ["ACTIVATIONS", "INITS", "two_layer_forward", "Step", "MLPCache", "MLP"]

#: Activation names understood by :class:`MLP` and :func:`two_layer_forward`.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu")

#: Weight initializations understood by :class:`MLP`.
INITS = ("naive", "xavier", "he")

#: Initial slope of PReLU's negative part (learned afterwards).
PRELU_ALPHA = 0.25

#: The unchecked cores ``(forward, backward)`` of each activation, for :class:`MLP`.
_ACTIVATION_CORES = {
    "sigmoid": (activations._sigmoid_forward, activations._sigmoid_backward),
    "tanh": (activations._tanh_forward, activations._tanh_backward),
    "relu": (activations._relu_forward, activations._relu_backward),
    "leaky_relu": (activations._leaky_relu_forward, activations._leaky_relu_backward),
    "prelu": (activations._prelu_forward, activations._prelu_backward),
    "elu": (activations._elu_forward, activations._elu_backward),
}

#: The weight initializer behind each name of :data:`INITS`.
_INITIALIZERS = {
    "naive": naive_normal,
    "xavier": weight_init.xavier_normal,
    "he": weight_init.he_normal,
}


def _check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, else raise ValueError naming ``name``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}; got {value!r}")
    return value


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
    act = _ACTIVATION_CORES[_check_choice(activation, "activation", ACTIVATIONS)][0]
    xp = get_xp(X, W1, b1, W2, b2)
    X, W1, b1 = layers._check_dense_args(xp, X, W1, b1, ("X", "W1", "b1"))
    _, W2, b2 = layers._check_dense_args(xp, xp.reshape(b1, (1, -1)), W2, b2,
                                         ("hidden", "W2", "b2"))
    hidden, _ = layers._dense_forward(xp, X, W1, b1)
    hidden, _ = act(xp, hidden)
    out, _ = layers._dense_forward(xp, hidden, W2, b2)
    return act(xp, out)[0]




# --- the steps of a network: each a forward and a backward function, bound once -------


class _Pass(NamedTuple):
    """What the steps of one forward pass share."""

    xp: object
    """The network's array namespace."""
    training: bool
    """Batch statistics and dropout (True), or running statistics and no dropout."""
    rng: object
    """Draws the dropout masks (a numpy.random.Generator, or None without dropout)."""
    bn_state: dict
    """Batch-norm statistics per layer; training replaces the entries of this copy."""


def _run_core(core, h, params, run):
    """Forward of a dense layer, an activation or a residual block: ``core(xp, h, *params)``."""
    return core(run.xp, h, *params)


def _run_batchnorm(layer, momentum, h, params, run):
    """Forward of batch norm: uses, and in training replaces, the layer's statistics."""
    if run.training and h.shape[0] < 2:
        raise ValueError("batch norm needs at least 2 rows (samples) per batch in training "
                         f"mode; got a batch of shape {tuple(h.shape)}")
    out, cache, run.bn_state[layer] = layers._batchnorm_forward(
        run.xp, h, *params, run.bn_state[layer], run.training, momentum)
    return out, cache


def _run_dropout(p, h, params, run):
    """Forward of dropout with drop probability ``p``."""
    return layers._dropout_forward(run.xp, h, p, run.rng, run.training)


class Step(NamedTuple):
    """One step of the network's forward pass, with its functions resolved at construction."""

    kind: str
    """"dense", "batchnorm", "dropout", "residual", or an activation name."""
    layer: int
    """Number of the layer it belongs to, 1 for the first hidden layer."""
    params: tuple
    """Names of its learned parameters in :attr:`MLP.params`, in the pair's argument order."""
    forward: Callable
    """``forward(h, params, run) -> (out, cache)``, ``params`` the arrays named above."""
    backward: Callable
    """``backward(xp, dout, cache) -> dx``, or ``(dx, *dparams)`` when it has parameters."""


class MLPCache(NamedTuple):
    """What :meth:`MLP.backward` needs from :meth:`MLP.forward`."""

    caches: tuple
    """The cache of every step, in the order of :attr:`MLP.steps`."""
    batch_size: int
    """N, the number of rows of the input."""


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


def _move(a, xp, dev):
    """Return ``a`` in namespace ``xp`` on device ``dev`` (through NumPy across libraries)."""
    if get_xp(a) is xp:
        return a if array_device(a) == dev else xp.asarray(a, device=dev, copy=True)
    return xp.asarray(to_numpy(a), device=dev, copy=True)


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
        Draws the initial weights (on the CPU: the same seed gives the same
        weights on every backend).
    activation : str, default "relu"
        One of :data:`ACTIVATIONS`; "prelu" learns one slope per unit.
    init : str, default "he"
        "naive" (:func:`solutions.init.naive_normal`, N(0, 0.01²), the textbook's
        bad choice), "xavier" (Glorot normal, for sigmoid and tanh) or "he" (for
        the ReLU family).
    batch_norm : bool, default False
        Batch norm between each hidden dense layer and its activation.
    dropout : float, default 0.0
        Probability of dropping a hidden unit during training (0 switches it off).
    residual : bool, default False
        Make every hidden layer after the first a residual block.
    dtype : float32 or float64, default "float32"
        Of the parameters and the computation (a name, a NumPy dtype or a dtype
        of the array library). float32 is twice as fast and precise enough for
        training; use float64 for gradient checks.
    bn_momentum : float, default 0.9
        Weight of the old running statistics in batch norm's moving average.
    xp : array namespace or array, optional
        Where the network lives: a namespace (``numpy``, ``torch``, ``cupy``,
        ``array_api_strict``...) or an array whose library and device to use.
        NumPy when None.
    device : optional
        The device within that library (e.g. ``"cuda"`` for torch); by default
        that of the sample array, or the library's default.

    Attributes
    ----------
    params : dict of str to array
        The learned parameters; optimizers replace these entries with updated arrays.
    bn_state : dict of int to BatchNormState
        Running mean and variance per batch-norm layer, replaced (never
        modified) by every forward pass in training mode.
    steps : list of Step
        The forward pass, step by step.
    xp, device, dtype
        The array namespace, device and dtype of the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> net = MLP((4, 8, 3), rng=np.random.default_rng(0))
    >>> sorted(net.params)
    ['W1', 'W2', 'b1', 'b2']
    >>> logits, cache = net.forward(np.ones((5, 4)), training=True)
    >>> logits.shape, sorted(net.backward(np.ones((5, 3)), cache)) == sorted(net.params)
    ((5, 3), True)

    """

    def __init__(self, layer_sizes, *, rng, activation="relu", init="he", batch_norm=False,
                 dropout=0.0, residual=False, dtype="float32", bn_momentum=0.9, xp=None,
                 device=None):
        self.layer_sizes = _check_layer_sizes(layer_sizes, residual)
        self.activation = _check_choice(activation, "activation", ACTIVATIONS)
        init_weights = _INITIALIZERS[_check_choice(init, "init", INITS)]
        check_rng(rng)
        check_positive(dropout, "dropout", allow_zero=True)
        if dropout >= 1:
            raise ValueError(f"dropout must be a probability in [0, 1); got {dropout!r}")
        self.dropout, self.bn_momentum = dropout, bn_momentum
        self.xp, self.device = namespace_and_device(xp)
        if device is not None:
            self.device = device
        self.dtype = float_dtype(self.xp, dtype)
        self.params, self.bn_state, self.steps = {}, {}, []
        n_layers = len(self.layer_sizes) - 1
        for i in range(1, n_layers + 1):
            fan_in, fan_out = self.layer_sizes[i - 1], self.layer_sizes[i]
            if i == n_layers:
                self._add_dense(i, fan_in, fan_out, init_weights, rng)
            elif residual and i > 1:
                self._add_residual(i, fan_in, init_weights, rng)
            else:
                self._add_hidden(i, fan_in, fan_out, init_weights, rng, batch_norm)
            if i < n_layers and dropout > 0:
                self._add("dropout", i, functools.partial(_run_dropout, dropout),
                          layers._dropout_backward)
        self.device = array_device(self.params["W1"])  # as the library names it: cuda:0

    # --- building ----------------------------------------------------------------------

    def _add(self, kind, layer, forward, backward, **params):
        """Append a step and register its parameters as ``<name><layer>``."""
        names = tuple(f"{name[0]}{layer}{name[1:]}" if len(name) <= 2 else f"{name}{layer}"
                      for name in params)
        self.params.update(zip(names, params.values(), strict=True))
        self.steps.append(Step(kind, layer, names, forward, backward))

    def _array(self, values):
        """Return NumPy values as a parameter: the network's library, device and dtype."""
        return self.xp.asarray(values, dtype=self.dtype, device=self.device)

    def _dense_params(self, fan_in, fan_out, init_weights, rng, suffix=""):
        """Return initial weights and zero biases of a dense layer (``W<suffix>, b<suffix>``)."""
        w = init_weights(fan_in, fan_out, rng, "float64")
        zeros = self.xp.zeros(fan_out, dtype=self.dtype, device=self.device)
        return {f"W{suffix}": self._array(w), f"b{suffix}": zeros}

    def _add_dense(self, i, fan_in, fan_out, init_weights, rng):
        """Append dense layer ``i``; the first one computes no gradient for its input."""
        backward = layers._dense_backward
        if i == 1:
            backward = functools.partial(layers._dense_backward, need_dx=False)
        self._add("dense", i, functools.partial(_run_core, layers._dense_forward), backward,
                  **self._dense_params(fan_in, fan_out, init_weights, rng))

    def _add_residual(self, i, width, init_weights, rng):
        """Append residual block ``i``: ``h + relu(h W_a + b_a) W_b + b_b``."""
        self._add("residual", i, functools.partial(_run_core, layers._residual_forward),
                  layers._residual_backward,
                  **self._dense_params(width, width, init_weights, rng, "a"),
                  **self._dense_params(width, width, init_weights, rng, "b"))

    def _add_hidden(self, i, fan_in, fan_out, init_weights, rng, batch_norm):
        """Append dense, optional batch norm and the activation of hidden layer ``i``."""
        self._add_dense(i, fan_in, fan_out, init_weights, rng)
        xp, dtype, dev = self.xp, self.dtype, self.device
        if batch_norm:
            self._add("batchnorm", i, functools.partial(_run_batchnorm, i, self.bn_momentum),
                      layers._batchnorm_backward,
                      gamma=xp.ones(fan_out, dtype=dtype, device=dev),
                      beta=xp.zeros(fan_out, dtype=dtype, device=dev))
            self.bn_state[i] = layers.batchnorm_init_state(fan_out, dtype,
                                                           like=self.params[f"W{i}"])
        forward, backward = _ACTIVATION_CORES[self.activation]
        forward = functools.partial(_run_core, forward)
        if self.activation == "prelu":
            self._add("prelu", i, forward, backward, alpha=self._array([PRELU_ALPHA] * fan_out))
        else:
            self._add(self.activation, i, forward, backward)

    def to(self, xp=None, *, device=None):
        """Move the parameters and batch-norm statistics to another library or device.

        An optimizer keeps its state where the parameters were: build a new one
        after moving (using the old one raises a TypeError).

        Parameters
        ----------
        xp : array namespace or array, optional
            As in the constructor; NumPy when None.
        device : optional
            The device within that library.

        Returns
        -------
        self : MLP

        Examples
        --------
        >>> import numpy as np, array_api_strict
        >>> net = MLP((2, 3, 2), rng=np.random.default_rng(0)).to(array_api_strict)
        >>> net.xp.__name__, type(net.params["W1"]).__name__
        ('array_api_strict', 'Array')

        """
        new_xp, new_device = namespace_and_device(xp)
        new_device = new_device if device is None else device
        dtype = float_dtype(new_xp, "float32" if self.dtype == self.xp.float32 else "float64")
        self.params = {k: new_xp.astype(_move(v, new_xp, new_device), dtype)
                       for k, v in self.params.items()}
        self.bn_state = {k: layers.BatchNormState(*(new_xp.astype(_move(a, new_xp, new_device),
                                                                  dtype) for a in s))
                         for k, s in self.bn_state.items()}
        self.xp, self.dtype = new_xp, dtype
        self.device = array_device(self.params["W1"])
        return self

    # --- validation at the boundary --------------------------------------------------

    def check_input(self, X, y=None):
        """Return ``X`` (and ``y``) as arrays of the network's library, device and dtype, or raise.

        Parameters
        ----------
        X : array of shape (N, D)
            Cast to the network's dtype. A list is converted; an array of another
            library or device is an error (move it, or the network with :meth:`to`).
        y : int array of shape (N,), optional
            Class indices in [0, C).

        Returns
        -------
        X : array of shape (N, D)
        y : int array of shape (N,)
            Only when ``y`` is given.

        """
        xp = self.xp
        for name, a in (("X", X), ("y", y)):
            if a is None or isinstance(a, (list, tuple)):
                continue
            other = get_xp(a)
            if other is not xp or array_device(a) != self.device:
                raise TypeError(
                    f"{name} is an array of {other.__name__} on {array_device(a)}, but the network "
                    f"lives in {xp.__name__} on {self.device}: move {name} there "
                    "(xp.asarray) or the network here (net.to(...))")
        X = as_float_array(xp.asarray(X, device=self.device) if isinstance(X, (list, tuple))
                           else X, "X", ndim=2, shape="(N, D)", xp=xp)
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have {self.layer_sizes[0]} columns (features); "
                             f"got {tuple(X.shape)}")
        X = xp.astype(X, self.dtype, copy=False)
        if y is None:
            return X
        y = _check_labels(xp, xp.asarray(y, device=self.device), self.layer_sizes[-1])
        check_same_length("X", X, "y", y)
        return X, y

    def _check_rng(self, training, rng):
        """Raise unless ``training`` is a bool, and ``rng`` a generator when dropout needs one."""
        if not isinstance(training, bool):
            raise TypeError(f"training must be True or False; got {training!r}")
        if training and self.dropout > 0:
            check_rng(rng)

    # --- forward and backward ----------------------------------------------------------

    def forward(self, X, *, training, rng=None):
        """Compute the logits, and the caches :meth:`backward` needs.

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
        cache : MLPCache
            For :meth:`backward`; nothing is kept in the network.

        """
        X = self.check_input(X)
        self._check_rng(training, rng)
        return self._forward(X, training, rng)

    def _forward(self, X, training, rng):
        """Core of :meth:`forward` on checked input."""
        run = _Pass(self.xp, training, rng, dict(self.bn_state))
        h, caches, params = X, [], self.params
        for step in self.steps:
            h, cache = step.forward(h, [params[name] for name in step.params], run)
            caches.append(cache)
        if training and self.bn_state:
            self.bn_state = run.bn_state
        return h, MLPCache(tuple(caches), X.shape[0])

    def backward(self, dlogits, cache):
        """Backpropagate from the logits through the steps of one :meth:`forward`.

        Parameters
        ----------
        dlogits : array of shape (N, C)
            Gradient of the loss with respect to the logits.
        cache : MLPCache
            From the :meth:`forward` that computed those logits; not modified.

        Returns
        -------
        grads : dict of str to array
            One gradient per parameter, same keys (and order) as :attr:`params`.
            (The gradient for ``X`` is not computed, as in PyTorch: it would
            cost a large matrix product and training never needs it.)

        """
        if not isinstance(cache, MLPCache) or len(cache.caches) != len(self.steps):
            raise TypeError("cache must be the MLPCache returned by this network's forward; "
                            f"got {type(cache).__name__}")
        shape = (cache.batch_size, self.layer_sizes[-1])
        dlogits = as_float_array(dlogits, "dlogits", ndim=2, shape="(N, C)",
                                 xp=get_xp(dlogits, self.params["W1"]))
        if dlogits.shape != shape:
            raise ValueError(f"dlogits must have the shape of the logits, {shape}; "
                             f"got {tuple(dlogits.shape)}")
        return self._backward(self.xp.astype(dlogits, self.dtype, copy=False), cache)

    def _backward(self, dout, cache):
        """Core of :meth:`backward` on a checked upstream gradient."""
        xp, grads = self.xp, {}
        for step, step_cache in zip(reversed(self.steps), reversed(cache.caches), strict=True):
            result = step.backward(xp, dout, step_cache)
            if step.params:
                dout, *dparams = result
                grads.update(zip(step.params, dparams, strict=True))
            else:
                dout = result
        return {name: grads[name] for name in self.params}

    def loss_and_grads(self, X, y, *, rng=None, training=True, check_input=True):
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
        check_input : bool, default True
            False skips the validation of ``X`` and ``y``, for callers that have
            validated them already with :meth:`check_input` (as
            :func:`solutions.training.fit` does once for the whole training set).

        Returns
        -------
        loss : float
        grads : dict of str to array
            Same keys as :attr:`params`.

        """
        if check_input:
            X, y = self.check_input(X, y)
            self._check_rng(training, rng)
        logits, cache = self._forward(X, training, rng)
        loss, loss_cache = _softmax_cross_entropy_forward(self.xp, logits, y)
        dlogits = _softmax_cross_entropy_backward(self.xp, 1.0, loss_cache)
        return loss, self._backward(dlogits, cache)

    def train_step(self, X, y, optimizer, *, rng=None, check_input=True):
        """One step of training on a batch: forward, backward, update.

        Parameters
        ----------
        X : array of shape (N, D)
        y : int array of shape (N,)
        optimizer : object with ``update(params, grads)``
            E.g. :class:`solutions.optim.SGD`; it replaces the entries of :attr:`params`.
        rng : numpy.random.Generator, optional
            For dropout.
        check_input : bool, default True
            As in :meth:`loss_and_grads`.

        Returns
        -------
        loss : float
            The batch's loss before the update.

        """
        loss, grads = self.loss_and_grads(X, y, rng=rng, training=True, check_input=check_input)
        optimizer.update(self.params, grads)
        return loss

    def predict(self, X):
        """Predicted class of each row of ``X`` (N, D), in evaluation mode; shape (N,)."""
        logits, _ = self.forward(X, training=False)
        return self.xp.argmax(logits, axis=1)

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
        return {name: float(xp.linalg.vector_norm(grads[name])) for name in self.weight_names}
