r"""Chapter 4: gradient descent, learning-rate schedules and adaptive optimizers.

Gradient descent follows the first-order Taylor expansion
:math:`f(x + \Delta x) \approx f(x) + \nabla f(x) \cdot \Delta x`: the step
:math:`\Delta x = -\eta \nabla f(x)` changes :math:`f` by about
:math:`-\eta \lVert \nabla f \rVert^2 \le 0`. On a quadratic with curvature
:math:`L` it converges exactly when :math:`0 < \eta < 2 / L`.

Three layers, from the book's view to the training loop's:

- :func:`gd_step` and :func:`gradient_descent` for a single array ``x``,
  returning the whole trajectory for plots;
- pure one-array steps :func:`momentum_step`, :func:`adagrad_step`,
  :func:`rmsprop_step`, :func:`adam_step`: ``(p, g, state) -> (new_p,
  new_state)``, with ``state=None`` on the first step;
- optimizer classes :class:`SGD`, :class:`Momentum`, :class:`AdaGrad`,
  :class:`RMSProp`, :class:`Adam` whose ``update(params, grads)`` updates a
  model's parameter arrays **in place**. This is the library's one documented
  exception to "never mutate": the model owns its parameters, and updating
  them in place, with one scratch buffer per parameter, allocates no
  temporary arrays in the training loop.

The math of each method is written once, in an in-place kernel
(``_adam_`` ...) that the pure step runs on copies and the class runs on the
model's arrays.
"""

import math
from typing import NamedTuple

from solutions.backend import get_xp
from solutions.gradcheck import numerical_gradient
from solutions.validation import as_float_array, check_positive

__all__ = [
    "numerical_gradient",
    "gd_step",
    "gradient_descent",
    "step_decay",
    "exponential_decay",
    "inverse_time_decay",
    "cosine_decay",
    "MomentumState",
    "AdaGradState",
    "RMSPropState",
    "AdamState",
    "momentum_step",
    "adagrad_step",
    "rmsprop_step",
    "adam_step",
    "SGD",
    "Momentum",
    "AdaGrad",
    "RMSProp",
    "Adam",
]


# --- plain gradient descent ----------------------------------------------------------


def _check_same_shape(x, grad, x_name, grad_name):
    """Validate a point and its gradient: float arrays of the same shape."""
    x = as_float_array(x, x_name)
    grad = as_float_array(grad, grad_name)
    if grad.shape != x.shape:
        raise ValueError(f"{grad_name} must have the shape of {x_name}, {x.shape}; "
                         f"got {grad.shape}")
    return x, grad


def gd_step(x, grad, lr):
    r"""One gradient-descent step :math:`x \leftarrow x - \eta \nabla f(x)`.

    Parameters
    ----------
    x : array of any shape
        Current point; not modified.
    grad : array of the same shape
        The gradient :math:`\nabla f(x)`.
    lr : float
        Learning rate :math:`\eta > 0`.

    Returns
    -------
    x_new : array of the same shape and dtype as ``x``

    Examples
    --------
    >>> gd_step([1.0, -2.0], [2.0, -4.0], 0.25)
    array([ 0.5, -1. ])

    """
    x, grad = _check_same_shape(x, grad, "x", "grad")
    lr = check_positive(lr, "lr")
    return x - lr * grad


def _check_lr(lr):
    """Accept a positive float or a schedule (a callable of the step index)."""
    return lr if callable(lr) else check_positive(lr, "lr")


def gradient_descent(grad_fn, x0, lr, steps, *, loss_fn=None):
    r"""Run ``steps`` steps of gradient descent from ``x0`` and keep every iterate.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(x) -> array`` of the shape of ``x``: the gradient of the loss.
    x0 : array of any shape
        Starting point; not modified.
    lr : float or callable
        Learning rate :math:`\eta`, or a schedule ``lr(t) -> float`` called
        with the step index ``t = 0, 1, ...``, e.g.
        ``functools.partial(exponential_decay, 0.1, k=0.05)``.
    steps : int
        Number of steps, >= 0.
    loss_fn : callable, optional
        ``loss_fn(x) -> float``. When given, the losses at every iterate are
        returned as well (the learning curve).

    Returns
    -------
    x : array of the shape of ``x0``
        The last iterate.
    history : array of shape (steps + 1, *x0.shape)
        ``history[t]`` is the iterate after ``t`` steps; ``history[0] = x0``.
    losses : array of shape (steps + 1,)
        Only when ``loss_fn`` is given: ``losses[t] = loss_fn(history[t])``.

    Examples
    --------
    >>> x, history, losses = gradient_descent(lambda x: 2 * x, [1.0], 0.25, 3,
    ...                                       loss_fn=lambda x: float(x[0] ** 2))
    >>> history[:, 0], losses
    (array([1.   , 0.5  , 0.25 , 0.125]), array([1.      , 0.25    , 0.0625  , 0.015625]))

    """
    x = as_float_array(x0, "x0", finite=True)
    lr = _check_lr(lr)
    steps = check_positive(steps, "steps", integer=True, allow_zero=True)
    xp = get_xp(x)
    history = xp.empty((steps + 1, *x.shape), dtype=x.dtype)
    history[0] = x
    for t in range(steps):
        x = gd_step(x, grad_fn(x), lr(t) if callable(lr) else lr)
        history[t + 1] = x
    if loss_fn is None:
        return x, history
    return x, history, xp.asarray([float(loss_fn(h)) for h in history])


# --- learning-rate schedules ----------------------------------------------------------


def _check_schedule(lr0, epoch):
    """Validate a schedule's initial rate (> 0) and epoch (integer >= 0)."""
    check_positive(lr0, "lr0")
    check_positive(epoch, "epoch", integer=True, allow_zero=True)


def step_decay(lr0, epoch, drop=0.5, every=10):
    r"""Piecewise-constant decay: multiply the rate by ``drop`` every ``every`` epochs.

    .. math:: \eta_t = \eta_0 \cdot \mathrm{drop}^{\lfloor t / \mathrm{every} \rfloor}

    Parameters
    ----------
    lr0 : float
        Initial learning rate :math:`\eta_0`.
    epoch : int
        Epoch (or step) index :math:`t \ge 0`.
    drop : float, default 0.5
        Factor applied every ``every`` epochs, in (0, 1].
    every : int, default 10
        Epochs between drops.

    Returns
    -------
    lr : float

    Examples
    --------
    >>> [step_decay(0.1, t, drop=0.5, every=10) for t in (0, 9, 10, 25)]
    [0.1, 0.1, 0.05, 0.025]

    """
    _check_schedule(lr0, epoch)
    check_positive(drop, "drop")
    check_positive(every, "every", integer=True)
    return lr0 * drop ** (epoch // every)


def exponential_decay(lr0, epoch, k=0.1):
    r"""Exponential decay :math:`\eta_t = \eta_0 e^{-k t}`.

    Parameters
    ----------
    lr0 : float
        Initial learning rate :math:`\eta_0`.
    epoch : int
        Epoch (or step) index :math:`t \ge 0`.
    k : float, default 0.1
        Decay rate, >= 0; the rate halves every :math:`\ln 2 / k` epochs.

    Returns
    -------
    lr : float

    Examples
    --------
    >>> round(exponential_decay(0.1, 10, k=0.1), 6)  # 0.1 / e
    0.036788

    """
    _check_schedule(lr0, epoch)
    check_positive(k, "k", allow_zero=True)
    return lr0 * math.exp(-k * epoch)


def inverse_time_decay(lr0, epoch, k=0.1):
    r"""Inverse-time decay :math:`\eta_t = \eta_0 / (1 + k t)`.

    It decays slowly enough that the steps still add up to infinity (the
    classic condition for stochastic gradient descent to reach the minimum).

    Parameters
    ----------
    lr0 : float
        Initial learning rate :math:`\eta_0`.
    epoch : int
        Epoch (or step) index :math:`t \ge 0`.
    k : float, default 0.1
        Decay rate, >= 0.

    Returns
    -------
    lr : float

    Examples
    --------
    >>> inverse_time_decay(0.1, 10, k=0.1)
    0.05

    """
    _check_schedule(lr0, epoch)
    check_positive(k, "k", allow_zero=True)
    return lr0 / (1.0 + k * epoch)


def cosine_decay(lr0, epoch, total_epochs, lr_min=0.0):
    r"""Cosine decay from ``lr0`` to ``lr_min`` over ``total_epochs`` epochs.

    .. math:: \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})(1 + \cos(\pi t / T))

    Falls smoothly from :math:`\eta_0` at :math:`t = 0` to :math:`\eta_{\min}`
    at :math:`t = T` and stays there afterwards.

    Parameters
    ----------
    lr0 : float
        Initial learning rate :math:`\eta_0`.
    epoch : int
        Epoch (or step) index :math:`t \ge 0`.
    total_epochs : int
        :math:`T`, the epoch at which the minimum is reached.
    lr_min : float, default 0.0
        Final learning rate, in [0, lr0].

    Returns
    -------
    lr : float

    Examples
    --------
    >>> [cosine_decay(0.1, t, 10) for t in (0, 5, 10, 20)]
    [0.1, 0.05, 0.0, 0.0]

    """
    _check_schedule(lr0, epoch)
    check_positive(total_epochs, "total_epochs", integer=True)
    check_positive(lr_min, "lr_min", allow_zero=True)
    if lr_min > lr0:
        raise ValueError(f"lr_min must be <= lr0 = {lr0}; got {lr_min}")
    progress = min(epoch, total_epochs) / total_epochs
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + math.cos(math.pi * progress))


# --- adaptive methods: state, in-place kernels, pure steps ----------------------------
#
# A kernel ``_name_(p, g, state, buf, **hyper) -> state`` updates ``p`` and the
# arrays of ``state`` in place, using ``buf`` (shaped like ``p``) as scratch
# space, and returns the state (a new tuple only where a counter changes).


class MomentumState(NamedTuple):
    """State of :func:`momentum_step`."""

    velocity: object
    """Running sum of past gradients, decayed by ``beta`` each step."""


class AdaGradState(NamedTuple):
    """State of :func:`adagrad_step`."""

    sum_sq: object
    """Sum of all squared gradients so far."""


class RMSPropState(NamedTuple):
    """State of :func:`rmsprop_step`."""

    mean_sq: object
    """Exponential moving average of the squared gradients."""


class AdamState(NamedTuple):
    """State of :func:`adam_step`."""

    m: object
    """First moment: exponential moving average of the gradients."""
    v: object
    """Second moment: exponential moving average of the squared gradients."""
    t: int
    """Number of steps taken (for the bias correction)."""


def _average_(avg, x, decay, buf):
    """In place: avg <- decay * avg + (1 - decay) * x (``x`` may be ``buf`` itself)."""
    get_xp(avg).multiply(x, 1.0 - decay, out=buf)
    avg *= decay
    avg += buf


def _scaled_step_(p, direction, sq, buf, lr, eps):
    """In place: p <- p - lr * direction / (sqrt(sq) + eps)."""
    xp = get_xp(p)
    xp.sqrt(sq, out=buf)
    buf += eps
    xp.divide(direction, buf, out=buf)
    buf *= lr
    p -= buf


def _sgd_(p, g, state, buf, lr):
    """In place: p <- p - lr * g."""
    get_xp(p).multiply(g, lr, out=buf)
    p -= buf
    return state


def _momentum_(p, g, state, buf, lr, beta):
    """In place: v <- beta * v + g; p <- p - lr * v."""
    v = state.velocity
    v *= beta
    v += g
    return _sgd_(p, v, state, buf, lr)


def _adagrad_(p, g, state, buf, lr, eps):
    """In place: s <- s + g^2; p <- p - lr * g / (sqrt(s) + eps)."""
    s = state.sum_sq
    get_xp(p).multiply(g, g, out=buf)
    s += buf
    _scaled_step_(p, g, s, buf, lr, eps)
    return state


def _rmsprop_(p, g, state, buf, lr, rho, eps):
    """In place: s <- rho * s + (1 - rho) * g^2; p <- p - lr * g / (sqrt(s) + eps)."""
    get_xp(p).multiply(g, g, out=buf)
    _average_(state.mean_sq, buf, rho, buf)
    _scaled_step_(p, g, state.mean_sq, buf, lr, eps)
    return state


def _adam_(p, g, state, buf, lr, beta1, beta2, eps):
    """In place: Adam's moment updates and bias-corrected step (formula in :func:`adam_step`)."""
    t = state.t + 1
    _average_(state.m, g, beta1, buf)
    get_xp(p).multiply(g, g, out=buf)
    _average_(state.v, buf, beta2, buf)
    # lr * m_hat / (sqrt(v_hat) + eps), m_hat = m / (1 - beta1^t), v_hat = v / c2, c2 = 1 - beta2^t,
    # equals (lr * sqrt(c2) / (1 - beta1^t)) * m / (sqrt(v) + eps * sqrt(c2)): one pass fewer.
    root_c2 = math.sqrt(1.0 - beta2**t)
    _scaled_step_(p, state.m, state.v, buf, lr * root_c2 / (1.0 - beta1**t), eps * root_c2)
    return state._replace(t=t)


def _new_state(state_type, p):
    """Return the first state: zero arrays shaped like ``p`` (and t = 0); None without state."""
    if state_type is None:
        return None
    zeros = [get_xp(p).zeros_like(p) for field in state_type._fields if field != "t"]
    return state_type(*zeros, *([0] if "t" in state_type._fields else []))


def _check_hyper(lr, eps=None, **decays):
    """Validate lr > 0, eps > 0 and each decay rate in [0, 1)."""
    check_positive(lr, "lr")
    if eps is not None:
        check_positive(eps, "eps")
    for name, value in decays.items():
        check_positive(value, name, allow_zero=True)
        if value >= 1:
            raise ValueError(f"{name} must be in [0, 1) (a decay rate); got {value!r}")


def _pure_step(kernel, state_type, p, g, state, **hyper):
    """Run an in-place kernel on copies: the functional form of an optimizer step."""
    p, g = _check_same_shape(p, g, "p", "g")
    _check_hyper(**hyper)
    if state is not None and not isinstance(state, state_type):
        raise TypeError(f"state must be a {state_type.__name__} or None; "
                        f"got {type(state).__name__}")
    state = _new_state(state_type, p) if state is None else state_type(
        *(s.copy() if hasattr(s, "shape") else s for s in state))
    p = p.copy()
    state = kernel(p, g, state, get_xp(p).empty_like(p), **hyper)
    return p, state


def momentum_step(p, g, state=None, lr=0.01, beta=0.9):
    r"""One step of gradient descent with momentum, on copies.

    .. math:: v \leftarrow \beta v + g, \qquad p \leftarrow p - \eta v

    The velocity :math:`v` accumulates gradients that keep their sign and
    cancels those that oscillate; ``beta=0`` is plain gradient descent.

    Parameters
    ----------
    p : array of any shape
        Parameters; not modified.
    g : array of the same shape
        Gradient of the loss at ``p``.
    state : MomentumState or None
        From the previous step; None on the first (zero velocity).
    lr : float, default 0.01
        Learning rate :math:`\eta`.
    beta : float, default 0.9
        Momentum :math:`\beta`, in [0, 1).

    Returns
    -------
    p_new : array of the shape and dtype of ``p``
    state : MomentumState

    Examples
    --------
    >>> p, s = momentum_step([1.0], [1.0], lr=0.1, beta=0.5)
    >>> p, s = momentum_step(p, [1.0], s, lr=0.1, beta=0.5)  # v = 0.5 * 1 + 1
    >>> p, s.velocity
    (array([0.75]), array([1.5]))

    """
    return _pure_step(_momentum_, MomentumState, p, g, state, lr=lr, beta=beta)


def adagrad_step(p, g, state=None, lr=0.01, eps=1e-8):
    r"""One AdaGrad step, on copies.

    .. math:: s \leftarrow s + g^2, \qquad p \leftarrow p - \eta\, g / (\sqrt{s} + \epsilon)

    Each coordinate gets its own learning rate, which shrinks as its squared
    gradients pile up: steep directions slow down, flat ones keep moving.

    Parameters
    ----------
    p : array of any shape
        Parameters; not modified.
    g : array of the same shape
        Gradient of the loss at ``p``.
    state : AdaGradState or None
        From the previous step; None on the first.
    lr : float, default 0.01
        Learning rate :math:`\eta`.
    eps : float, default 1e-8
        Guards the division where no gradient has been seen.

    Returns
    -------
    p_new : array of the shape and dtype of ``p``
    state : AdaGradState

    Examples
    --------
    >>> p, s = adagrad_step([0.0, 0.0], [100.0, 0.01], lr=0.1)  # both move by 0.1
    >>> p.round(6)
    array([-0.1, -0.1])

    """
    return _pure_step(_adagrad_, AdaGradState, p, g, state, lr=lr, eps=eps)


def rmsprop_step(p, g, state=None, lr=0.001, rho=0.9, eps=1e-8):
    r"""One RMSProp step, on copies.

    .. math::

        s \leftarrow \rho s + (1 - \rho) g^2, \qquad
        p \leftarrow p - \eta\, g / (\sqrt{s} + \epsilon)

    Like AdaGrad, but :math:`s` is a moving average, so old gradients are
    forgotten and the step size does not decay to zero.

    Parameters
    ----------
    p : array of any shape
        Parameters; not modified.
    g : array of the same shape
        Gradient of the loss at ``p``.
    state : RMSPropState or None
        From the previous step; None on the first.
    lr : float, default 0.001
        Learning rate :math:`\eta`.
    rho : float, default 0.9
        Decay of the moving average, in [0, 1).
    eps : float, default 1e-8

    Returns
    -------
    p_new : array of the shape and dtype of ``p``
    state : RMSPropState

    """
    return _pure_step(_rmsprop_, RMSPropState, p, g, state, lr=lr, rho=rho, eps=eps)


def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    r"""One Adam step, on copies.

    .. math::

        m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \quad
        p \leftarrow p - \eta\, \frac{m / (1 - \beta_1^t)}{\sqrt{v / (1 - \beta_2^t)} + \epsilon}

    Momentum (:math:`m`) plus RMSProp's scaling (:math:`v`); dividing by
    :math:`1 - \beta^t` undoes the pull of the zero start, so the first step
    moves each coordinate by about :math:`\eta`.

    Parameters
    ----------
    p : array of any shape
        Parameters; not modified.
    g : array of the same shape
        Gradient of the loss at ``p``.
    state : AdamState or None
        From the previous step; None on the first.
    lr : float, default 0.001
        Learning rate :math:`\eta`.
    beta1, beta2 : float, default 0.9 and 0.999
        Decay rates of the two moving averages, in [0, 1).
    eps : float, default 1e-8

    Returns
    -------
    p_new : array of the shape and dtype of ``p``
    state : AdamState

    Examples
    --------
    >>> p, s = adam_step([0.0, 0.0], [1e3, -1e-3], lr=0.1)
    >>> p.round(4), s.t
    (array([-0.1,  0.1]), 1)

    """
    return _pure_step(_adam_, AdamState, p, g, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


# --- optimizer classes: hold hyperparameters and per-parameter state ------------------


class Optimizer:
    """Base class: applies an in-place kernel to each named parameter.

    Subclasses only choose the kernel and the hyperparameters. ``state``
    maps each parameter's name to its state tuple (momentum, moments...).
    """

    def __init__(self, kernel, state_type, **hyper):
        _check_hyper(**hyper)
        self._kernel = kernel
        self._state_type = state_type
        self.hyper = hyper
        self.state = {}
        self._buffers = {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyper.items())
        return f"{type(self).__name__}({args})"

    def update(self, params, grads):
        """Update every array in ``params`` in place from the gradient of the same name.

        Parameters
        ----------
        params : dict of str to array
            The model's parameters (float32 or float64 arrays); changed in place.
        grads : dict of str to array
            Their gradients, same names and shapes; not modified.

        """
        _check_params_grads(params, grads)
        for name, p in params.items():
            buf = self._buffers.get(name)
            if buf is None or buf.shape != p.shape or buf.dtype != p.dtype:
                buf = self._buffers[name] = get_xp(p).empty_like(p)
                self.state[name] = _new_state(self._state_type, p)
            self.state[name] = self._kernel(p, grads[name], self.state[name], buf, **self.hyper)


def _check_params_grads(params, grads):
    """Validate two dicts with the same names; params writable float arrays, grads shaped alike."""
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError("params and grads must be dicts mapping names to arrays; got "
                        f"{type(params).__name__} and {type(grads).__name__}")
    if params.keys() != grads.keys():
        raise ValueError(f"params and grads must have the same names; got {sorted(params)} "
                         f"and {sorted(grads)}")
    for name, p in params.items():
        if as_float_array(p, f"params[{name!r}]") is not p:
            raise TypeError(f"params[{name!r}] must be a float32 or float64 array, updated in "
                            f"place; got {type(p).__name__} (convert it once when building "
                            "the model)")
        if not getattr(p.flags, "writeable", True):
            raise ValueError(f"params[{name!r}] is read-only; it must be updated in place")
        _check_same_shape(p, grads[name], f"params[{name!r}]", f"grads[{name!r}]")


class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent, :math:`p \leftarrow p - \eta g`, in place.

    Parameters
    ----------
    lr : float, default 0.01

    Examples
    --------
    >>> import numpy as np
    >>> params = {"w": np.array([1.0, 2.0])}
    >>> SGD(lr=0.5).update(params, {"w": np.array([2.0, 2.0])})
    >>> params["w"]
    array([0., 1.])

    """

    def __init__(self, lr=0.01):
        super().__init__(_sgd_, None, lr=lr)


class Momentum(Optimizer):
    """Gradient descent with momentum, in place; the math is in :func:`momentum_step`.

    Parameters
    ----------
    lr : float, default 0.01
    beta : float, default 0.9

    """

    def __init__(self, lr=0.01, beta=0.9):
        super().__init__(_momentum_, MomentumState, lr=lr, beta=beta)


class AdaGrad(Optimizer):
    """AdaGrad, in place; the math is in :func:`adagrad_step`.

    Parameters
    ----------
    lr : float, default 0.01
    eps : float, default 1e-8

    """

    def __init__(self, lr=0.01, eps=1e-8):
        super().__init__(_adagrad_, AdaGradState, lr=lr, eps=eps)


class RMSProp(Optimizer):
    """RMSProp, in place; the math is in :func:`rmsprop_step`.

    Parameters
    ----------
    lr : float, default 0.001
    rho : float, default 0.9
    eps : float, default 1e-8

    """

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8):
        super().__init__(_rmsprop_, RMSPropState, lr=lr, rho=rho, eps=eps)


class Adam(Optimizer):
    """Adam, in place; the math is in :func:`adam_step`.

    Parameters
    ----------
    lr : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    eps : float, default 1e-8

    Examples
    --------
    >>> import numpy as np
    >>> params = {"w": np.zeros(2, dtype=np.float32)}
    >>> opt = Adam(lr=0.1)
    >>> opt.update(params, {"w": np.array([3.0, -0.5], dtype=np.float32)})
    >>> params["w"].round(4), params["w"].dtype, opt.state["w"].t
    (array([-0.1,  0.1], dtype=float32), dtype('float32'), 1)

    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(_adam_, AdamState, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
