r"""Chapter 4: gradient descent, learning-rate schedules and adaptive optimizers.

Gradient descent follows the first-order Taylor expansion
:math:`f(x + \Delta x) \approx f(x) + \nabla f(x) \cdot \Delta x`: the step
:math:`\Delta x = -\eta \nabla f(x)` changes :math:`f` by about
:math:`-\eta \lVert \nabla f \rVert^2 \le 0`. On a quadratic with curvature
:math:`L` it converges exactly when :math:`0 < \eta < 2 / L`.

Three layers, from the book's view to the training loop's:

- :func:`gd_step` and :func:`gradient_descent` for a single array ``x``,
  returning the whole trajectory for plots; :func:`max_stable_lr` and
  :func:`linear_regression_gd` apply them to the mean squared error of a
  linear model, :func:`cooling_gradient` to a model that is not linear in its
  parameters, and :func:`divergence_threshold` measures the stability bound
  that :func:`max_stable_lr` computes;
- pure one-array steps :func:`momentum_step`, :func:`adagrad_step`,
  :func:`rmsprop_step`, :func:`adam_step`: ``(p, g, state) -> (new_p,
  new_state)``, with ``state=None`` on the first step;
- optimizer classes :class:`SGD`, :class:`Momentum`, :class:`AdaGrad`,
  :class:`RMSProp`, :class:`Adam` whose ``update(params, grads)`` replaces each
  entry of a model's parameter dict by its updated array.

The math of each method is written once, as the textbook formula, in a private
function (``_adam`` ...) that creates new arrays and changes nothing; the pure
step validates its arguments and calls it, the class keeps the state and calls it.
"""

import math
from typing import NamedTuple

from solutions.backend import device, get_xp, is_array_api_obj
from solutions.gradcheck import numerical_gradient
from solutions.regression import mse, mse_grad
from solutions.validation import as_float_array, check_positive, check_same_length

__all__ = [
    "numerical_gradient",
    "gd_step",
    "gradient_descent",
    "max_stable_lr",
    "linear_regression_gd",
    "line_gradient",
    "cooling_loss",
    "cooling_gradient",
    "divergence_threshold",
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


def _check_same_shape(x, grad, x_name, grad_name, *, xp=None):
    """Validate a point and its gradient: float arrays of the same shape."""
    xp = get_xp(x, grad) if xp is None else xp
    x = as_float_array(x, x_name, xp=xp)
    grad = as_float_array(grad, grad_name, xp=xp)
    if grad.shape != x.shape:
        raise ValueError(f"{grad_name} must have the shape of {x_name}, {tuple(x.shape)}; "
                         f"got {tuple(grad.shape)}")
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
    xp = get_xp(x0)
    x = as_float_array(x0, "x0", finite=True, xp=xp)
    lr = _check_lr(lr)
    steps = check_positive(steps, "steps", integer=True, allow_zero=True)
    iterates = [x]
    for t in range(steps):
        x = gd_step(x, grad_fn(x), lr(t) if callable(lr) else lr)
        iterates.append(xp.astype(x, iterates[0].dtype, copy=False))
    history = xp.stack(iterates)
    if loss_fn is None:
        return x, history
    losses = [float(loss_fn(h)) for h in iterates]
    return x, history, xp.asarray(losses, dtype=xp.float64, device=device(x))


# --- gradient descent on a linear model's mean squared error ---------------------------


def _design(xp, X):
    """Return ``[X, 1]``: the inputs with a column of ones for the intercept."""
    ones = xp.ones((X.shape[0], 1), dtype=X.dtype, device=device(X))
    return xp.concat([X, ones], axis=1)


def _check_inputs(xp, X):
    """Validate the inputs ``X`` (N, D) of a linear model: finite, at least one row."""
    X = as_float_array(X, "X", ndim=2, shape="(N, D)", finite=True, xp=xp)
    if X.shape[0] == 0:
        raise ValueError("X has no rows: the mean squared error of no samples is undefined")
    return X


def max_stable_lr(X):
    r"""Return the stability bound :math:`2/L` of gradient descent on a linear model's MSE.

    The mean squared error of :math:`\hat y = X w + b` is a quadratic in
    :math:`\theta = (w, b)` with the constant Hessian
    :math:`A = \frac{2}{N} \tilde X^\top \tilde X`, :math:`\tilde X = [X, 1]`.
    Gradient descent on it converges from every start exactly when
    :math:`0 < \eta < 2/L`, :math:`L` the largest eigenvalue of :math:`A`
    (the steepest curvature). The targets play no part. The intercept's
    column of ones makes :math:`L \ge 2`, so the bound is at most 1.

    Parameters
    ----------
    X : array of shape (N, D)
        Inputs, one sample per row, N >= 1.

    Returns
    -------
    lr_max : float
        :math:`2/L`, in (0, 1].

    Examples
    --------
    >>> max_stable_lr([[-1.0], [1.0]])        # A = 2 I: L = 2
    1.0
    >>> round(max_stable_lr([[18.0], [21.0], [24.0], [27.0], [30.0]]), 6)  # raw temperatures
    0.001681

    """
    xp = get_xp(X)
    return _max_stable_lr(xp, _design(xp, _check_inputs(xp, X)))


def _max_stable_lr(xp, A):
    """Core of :func:`max_stable_lr` on the checked design matrix ``A = [X, 1]``."""
    hessian = (2.0 / A.shape[0]) * (A.T @ A)
    return 2.0 / float(xp.max(xp.linalg.eigvalsh(hessian)))


def linear_regression_gd(X, y, lr, steps):
    r"""Fit :math:`\hat y = X w + b` by gradient descent on the mean squared error, from zero.

    Runs :func:`gradient_descent` on :math:`\theta = (w, b)` from
    :math:`\theta_0 = 0` with the exact gradient of
    :math:`C(\theta) = \frac1N \lVert \tilde X \theta - y \rVert^2`,

    .. math::

        \nabla_w C = -\frac{2}{N} X^\top r, \qquad
        \nabla_b C = -\frac{2}{N} \sum_i r_i, \qquad r = y - X w - b ,

    where :math:`r` holds the residuals (observed minus predicted). The gradient is
    :math:`\tilde X^\top` times :func:`~solutions.regression.mse_grad`
    (the chain rule through :math:`\hat y = \tilde X \theta`). Below
    :func:`max_stable_lr` the iterates converge to the least-squares fit
    (:func:`~solutions.regression.fit_least_squares`).

    Parameters
    ----------
    X : array of shape (N, D)
        Inputs, N >= 1.
    y : array of shape (N,)
        Targets.
    lr : float
        Learning rate :math:`\eta > 0`.
    steps : int
        Number of steps, >= 0.

    Returns
    -------
    w : array of shape (D,)
        The weights after ``steps`` steps.
    b : float
        The intercept after ``steps`` steps.
    losses : array of shape (steps + 1,)
        The mean squared error at the start (``mean(y ** 2)``) and after every step.

    Raises
    ------
    ValueError
        When the arguments are not as above, or when the iterates overflow
        (``lr`` far above :func:`max_stable_lr`).

    Examples
    --------
    >>> w, b, losses = linear_regression_gd([[0.0], [1.0]], [1.0, 3.0], 0.1, 1)
    >>> w, b, losses                         # the gradient at zero is (-3, -4)
    (array([0.3]), 0.4, array([5.   , 2.825]))
    >>> w, b, losses = linear_regression_gd([[0.0], [1.0]], [1.0, 3.0], 0.5, 200)
    >>> w.round(6), round(b, 6)              # the line y = 1 + 2 x
    (array([2.]), 1.0)

    """
    xp = get_xp(X, y)
    X = _check_inputs(xp, X)
    y = as_float_array(y, "y", ndim=1, shape="(N,)", finite=True, xp=xp)
    check_same_length("X", X, "y", y)
    lr = check_positive(lr, "lr")
    steps = check_positive(steps, "steps", integer=True, allow_zero=True)
    dtype = xp.result_type(X.dtype, y.dtype)
    return _linear_regression_gd(xp, _design(xp, xp.astype(X, dtype)), xp.astype(y, dtype),
                                 lr, steps)


def _linear_regression_gd(xp, A, y, lr, steps):
    """Core of :func:`linear_regression_gd` on the checked design ``A = [X, 1]`` and ``y``."""

    def grad_fn(theta):
        return A.T @ mse_grad(A @ theta, y)  # chain rule through y_hat = A theta

    def loss_fn(theta):
        return mse(A @ theta, y)

    theta0 = xp.zeros(A.shape[1], dtype=A.dtype, device=device(A))
    try:
        theta, _, losses = gradient_descent(grad_fn, theta0, lr, steps, loss_fn=loss_fn)
    except ValueError as err:  # the predictions overflowed: mse and mse_grad reject them
        raise ValueError(f"gradient descent diverged: lr = {lr} is far above the stability "
                         f"bound max_stable_lr(X) = {_max_stable_lr(xp, A):.3g}") from err
    return theta[:-1], float(theta[-1]), losses


# --- a model that is not linear in its parameters -------------------------------------


def _check_curve(theta, t, y, params, t_name):
    """Validate a curve's parameters ``params`` (a tuple of names) and its samples (N,), (N,)."""
    xp = get_xp(theta, t, y)
    shape = f"({len(params)},) = ({', '.join(params)})"
    theta = as_float_array(theta, "theta", ndim=1, shape=shape, finite=True, xp=xp)
    if theta.shape != (len(params),):
        raise ValueError(f"theta must have shape {shape}; got {tuple(theta.shape)}")
    t = as_float_array(t, t_name, ndim=1, shape="(N,)", finite=True, xp=xp)
    y = as_float_array(y, "y", ndim=1, shape="(N,)", finite=True, xp=xp)
    check_same_length(t_name, t, "y", y)
    if t.shape[0] == 0:
        raise ValueError(f"{t_name} has no entries: the mean squared error of no samples is "
                         "undefined")
    return xp, theta, t, y


def line_gradient(theta, x, y):
    r"""Gradient of the MSE of the line :math:`\hat y = m x + b` with respect to :math:`(m, b)`.

    :math:`\partial C / \partial m = -\frac2N \sum_i r_i x_i` and
    :math:`\partial C / \partial b = -\frac2N \sum_i r_i`, with the residuals
    :math:`r_i = y_i - (m x_i + b)` (observed minus predicted): the one-input case of
    :func:`linear_regression_gd`'s gradient, for the plots of a path in the :math:`(m, b)`
    plane.

    Parameters
    ----------
    theta : array of shape (2,)
        The slope and the intercept, ``(m, b)``.
    x : array of shape (N,)
        Inputs, N >= 1.
    y : array of shape (N,)
        Targets.

    Returns
    -------
    grad : array of shape (2,)

    Examples
    --------
    >>> line_gradient([0.0, 0.0], [0.0, 1.0], [1.0, 3.0])    # residuals 1 and 3
    array([-3., -4.])

    """
    xp, theta, x, y = _check_curve(theta, x, y, ("m", "b"), "x")
    A = _design(xp, xp.reshape(x, (-1, 1)))
    return A.T @ mse_grad(A @ theta, y)


def _check_cooling(theta, t, y):
    """Validate the parameters (a, k, c), the times (N,) and the readings (N,) of a cooling fit."""
    return _check_curve(theta, t, y, ("a", "k", "c"), "t")


def cooling_loss(theta, t, y):
    r"""Mean squared error of Newton's cooling curve :math:`\hat y(t) = a e^{-k t} + c`.

    A cup of coffee at temperature :math:`a + c` in a room at :math:`c` cools
    towards :math:`c` at the rate :math:`k`. The loss,
    :math:`C(a, k, c) = \frac1N \sum_i (a e^{-k t_i} + c - y_i)^2`, is not a
    quadratic in :math:`k`: no normal equations solve it, gradient descent does.

    Parameters
    ----------
    theta : array of shape (3,)
        The parameters ``(a, k, c)``.
    t : array of shape (N,)
        Times of the readings, N >= 1.
    y : array of shape (N,)
        The temperatures read.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> cooling_loss([60.0, 0.0, 20.0], [0.0, 10.0], [80.0, 78.0])   # k = 0: residuals 0 and -2
    2.0

    """
    xp, theta, t, y = _check_cooling(theta, t, y)
    return float(xp.mean((theta[0] * xp.exp(-theta[1] * t) + theta[2] - y) ** 2))


def cooling_gradient(theta, t, y):
    r"""Gradient of :func:`cooling_loss` with respect to :math:`(a, k, c)`.

    With the residuals :math:`r_i = y_i - (a e^{-k t_i} + c)` (observed minus
    predicted), the chain rule gives

    .. math::

        \frac{\partial C}{\partial a} = -\frac2N \sum_i r_i e^{-k t_i}, \quad
        \frac{\partial C}{\partial k} = \frac2N \sum_i r_i\, a\, t_i e^{-k t_i}, \quad
        \frac{\partial C}{\partial c} = -\frac2N \sum_i r_i .

    Parameters
    ----------
    theta : array of shape (3,)
        The parameters ``(a, k, c)``.
    t : array of shape (N,)
        Times of the readings, N >= 1.
    y : array of shape (N,)
        The temperatures read.

    Returns
    -------
    grad : array of shape (3,)
        The three partial derivatives, in the order of ``theta``.

    Examples
    --------
    >>> cooling_gradient([60.0, 0.0, 20.0], [0.0, 10.0], [80.0, 78.0])   # residuals 0 and -2
    array([    2., -1200.,     2.])

    """
    xp, theta, t, y = _check_cooling(theta, t, y)
    a, k = theta[0], theta[1]
    decay = xp.exp(-k * t)
    dr = (2.0 / t.shape[0]) * (a * decay + theta[2] - y)       # dC/dr_i
    return xp.stack([xp.sum(dr * decay), -xp.sum(dr * a * t * decay), xp.sum(dr)])


# --- measuring the stability bound ----------------------------------------------------


def _diverges(grad_fn, loss_fn, x0, lr, steps):
    """Return True when ``steps`` steps at ``lr`` end above the start's loss (or run away)."""
    start = float(loss_fn(x0))
    x = x0
    for _ in range(steps):
        x = x - lr * grad_fn(x)
        loss = float(loss_fn(x))
        if not loss <= 1e8 * start:       # far above the start, or nan: it has run away
            return True
    return loss > start


def divergence_threshold(grad_fn, loss_fn, x0, lr_low, lr_high, *, steps=500, rtol=1e-3):
    r"""Measure the learning rate above which gradient descent diverges, by bisection.

    A rate is called divergent when ``steps`` steps of gradient descent from
    ``x0`` end at a higher loss than ``x0``'s. On a quadratic with largest
    curvature :math:`L` the component along the steepest direction is multiplied
    by :math:`1 - \eta L` at every step, so the measured threshold approaches
    the theory's :math:`2/L` (:func:`max_stable_lr`) as ``steps`` grows; with
    few steps it comes out too high, because a slow blow-up is not yet visible.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(x) -> array`` of the shape of ``x``.
    loss_fn : callable
        ``loss_fn(x) -> float``, with ``loss_fn(x0) > 0``.
    x0 : array of any shape
        The starting point of every run; not modified.
    lr_low, lr_high : float
        Rates with ``0 < lr_low < lr_high``, the first stable, the second divergent.
    steps : int, default 500
        Steps of each trial run.
    rtol : float, default 1e-3
        Bisect until ``lr_high - lr_low <= rtol * lr_low``.

    Returns
    -------
    lr : float
        The middle of the last bracket.

    Raises
    ------
    ValueError
        When the bracket does not hold the threshold, or ``loss_fn(x0)`` is not positive.

    Examples
    --------
    >>> import numpy as np
    >>> curvature = np.array([1.0, 4.0])             # C(x) = (x_1^2 + 4 x_2^2) / 2: 2 / L = 0.5
    >>> lr = divergence_threshold(lambda x: curvature * x,
    ...                           lambda x: float(0.5 * curvature @ x**2), np.ones(2), 0.01, 10.0)
    >>> round(lr, 2)
    0.5

    """
    x0 = as_float_array(x0, "x0", finite=True)
    lr_low, lr_high = check_positive(lr_low, "lr_low"), check_positive(lr_high, "lr_high")
    steps = check_positive(steps, "steps", integer=True)
    rtol = check_positive(rtol, "rtol")
    if not float(loss_fn(x0)) > 0:
        raise ValueError("loss_fn(x0) must be > 0: at a minimum nothing can grow")
    if not lr_low < lr_high:
        raise ValueError(f"lr_low must be < lr_high; got {lr_low} and {lr_high}")
    if _diverges(grad_fn, loss_fn, x0, lr_low, steps):
        raise ValueError(f"gradient descent already diverges at lr_low = {lr_low}")
    if not _diverges(grad_fn, loss_fn, x0, lr_high, steps):
        raise ValueError(f"gradient descent does not diverge at lr_high = {lr_high}")
    while lr_high - lr_low > rtol * lr_low:
        middle = 0.5 * (lr_low + lr_high)
        if _diverges(grad_fn, loss_fn, x0, middle, steps):
            lr_high = middle
        else:
            lr_low = middle
    return 0.5 * (lr_low + lr_high)


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


# --- adaptive methods: state, the textbook formulas, pure steps ------------------------
#
# Each method is one private function ``_name(xp, p, g, state, **hyper) -> (new_p,
# new_state)`` whose body is the formula as the papers write it. It creates new
# arrays and changes nothing. The public ``name_step`` validates its arguments and
# calls it; the classes keep the state of each parameter and call it.


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


def _sgd(xp, p, g, state, lr):
    """Gradient descent: p <- p - lr * g."""
    return p - lr * g, state


def _momentum(xp, p, g, state, lr, beta):
    """Momentum: v <- beta * v + g; p <- p - lr * v."""
    v = beta * state.velocity + g
    return p - lr * v, MomentumState(v)


def _adagrad(xp, p, g, state, lr, eps):
    """AdaGrad: s <- s + g^2; p <- p - lr * g / (sqrt(s) + eps)."""
    s = state.sum_sq + g * g
    return p - lr * g / (xp.sqrt(s) + eps), AdaGradState(s)


def _rmsprop(xp, p, g, state, lr, rho, eps):
    """RMSProp: s <- rho * s + (1 - rho) * g^2; p <- p - lr * g / (sqrt(s) + eps)."""
    s = rho * state.mean_sq + (1 - rho) * g * g
    return p - lr * g / (xp.sqrt(s) + eps), RMSPropState(s)


def _adam(xp, p, g, state, lr, beta1, beta2, eps):
    """Adam (Kingma & Ba, 2015, Algorithm 1), with bias correction."""
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * g
    v = beta2 * state.v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return p - lr * m_hat / (xp.sqrt(v_hat) + eps), AdamState(m, v, t)


def _new_state(state_type, xp, p):
    """Return the first state: zero arrays shaped like ``p`` (and t = 0); None without state."""
    if state_type is None:
        return None
    zeros = [xp.zeros_like(p) for field in state_type._fields if field != "t"]
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


def _pure_step(step, state_type, p, g, state, **hyper):
    """Validate the arguments of a public step function and run the formula ``step``."""
    xp = get_xp(p, g)
    p, g = _check_same_shape(p, g, "p", "g", xp=xp)
    _check_hyper(**hyper)
    if state is None:
        state = _new_state(state_type, xp, p)
    elif not isinstance(state, state_type):
        raise TypeError(f"state must be a {state_type.__name__} or None; "
                        f"got {type(state).__name__}")
    return step(xp, p, xp.astype(g, p.dtype, copy=False), state, **hyper)


def momentum_step(p, g, state=None, lr=0.01, beta=0.9):
    r"""One step of gradient descent with momentum.

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
        From the previous step (not modified); None on the first (zero velocity).
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
    return _pure_step(_momentum, MomentumState, p, g, state, lr=lr, beta=beta)


def adagrad_step(p, g, state=None, lr=0.01, eps=1e-8):
    r"""One AdaGrad step.

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
        From the previous step (not modified); None on the first.
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
    return _pure_step(_adagrad, AdaGradState, p, g, state, lr=lr, eps=eps)


def rmsprop_step(p, g, state=None, lr=0.001, rho=0.9, eps=1e-8):
    r"""One RMSProp step.

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
        From the previous step (not modified); None on the first.
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
    return _pure_step(_rmsprop, RMSPropState, p, g, state, lr=lr, rho=rho, eps=eps)


def adam_step(p, g, state=None, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    r"""One Adam step (Kingma & Ba, 2015), with bias correction.

    .. math::

        t \leftarrow t + 1, \quad
        m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \\
        \hat m = \frac{m}{1 - \beta_1^t}, \quad
        \hat v = \frac{v}{1 - \beta_2^t}, \quad
        p \leftarrow p - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}

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
        From the previous step (not modified); None on the first.
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
    return _pure_step(_adam, AdamState, p, g, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


# --- optimizer classes: hold hyperparameters and per-parameter state ------------------


class Optimizer:
    """Base class: runs one formula (``_sgd``, ``_adam``, ...) on each named parameter.

    Subclasses only choose the formula and the hyperparameters. ``state`` maps
    each parameter's name to its state tuple (velocity, moments...), which
    lives in the parameter's library and on its device.

    A parameter is validated once, when its state is created: a float array
    (float32 or float64). Later steps only check that the gradient has its
    shape. A parameter replaced by an array of another library or device (a
    network moved with ``to``) is an error: build a new optimizer for it.
    """

    def __init__(self, step, state_type, **hyper):
        _check_hyper(**hyper)
        self._step = step
        self._state_type = state_type
        self.hyper = hyper
        self.state = {}
        self._seen = {}  # name -> (the array this optimizer last wrote or adopted, its xp)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyper.items())
        return f"{type(self).__name__}({args})"

    def update(self, params, grads):
        """Replace every array in ``params`` by its updated value.

        The arrays themselves are not modified: each entry of the dict is
        replaced by a new array of the same shape, dtype, library and device.

        Parameters
        ----------
        params : dict of str to array
            The model's parameters (float32 or float64 arrays); its entries are replaced.
        grads : dict of str to array
            Their gradients, same names and shapes; not modified.

        """
        if not isinstance(params, dict) or not isinstance(grads, dict):
            raise TypeError("params and grads must be dicts mapping names to arrays; got "
                            f"{type(params).__name__} and {type(grads).__name__}")
        if params.keys() != grads.keys():
            raise ValueError(f"params and grads must have the same names; got {sorted(params)} "
                             f"and {sorted(grads)}")
        for name, p in params.items():
            g, seen = grads[name], self._seen.get(name)
            if seen is None or seen[0] is not p:
                xp = self._adopt(name, p, g)
            elif g.shape != p.shape:
                raise ValueError(f"grads[{name!r}] must have the shape of params[{name!r}], "
                                 f"{tuple(p.shape)}; got {tuple(g.shape)}")
            else:
                xp = seen[1]
            new_p, self.state[name] = self._step(xp, p, xp.astype(g, p.dtype, copy=False),
                                                 self.state[name], **self.hyper)
            params[name] = new_p
            self._seen[name] = (new_p, xp)

    def _adopt(self, name, p, g):
        """Validate a parameter seen for the first time (or replaced); make its state."""
        xp = get_xp(p, g)
        if not is_array_api_obj(p) or not xp.isdtype(p.dtype, "real floating"):
            raise TypeError(f"params[{name!r}] must be a float32 or float64 array; got "
                            f"{type(p).__name__} of dtype {getattr(p, 'dtype', None)} (convert "
                            "it once when building the model)")
        _check_same_shape(p, g, f"params[{name!r}]", f"grads[{name!r}]", xp=xp)
        seen = self._seen.get(name)
        if seen is not None and (seen[1] is not xp or device(seen[0]) != device(p)):
            raise TypeError(f"params[{name!r}] moved from {seen[1].__name__} on "
                            f"{device(seen[0])} to {xp.__name__} on {device(p)}; this "
                            "optimizer's state stayed behind: build a new optimizer after "
                            "moving the model")
        state = self.state.get(name)
        arrays = [s for s in (state or ()) if not isinstance(s, int)]
        if arrays and (arrays[0].shape != p.shape or arrays[0].dtype != p.dtype):
            state = None
        if state is None:
            self.state[name] = _new_state(self._state_type, xp, p)
        return xp


class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent, :math:`p \leftarrow p - \eta g`.

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
        super().__init__(_sgd, None, lr=lr)


class Momentum(Optimizer):
    """Gradient descent with momentum; the math is in :func:`momentum_step`.

    Parameters
    ----------
    lr : float, default 0.01
    beta : float, default 0.9

    """

    def __init__(self, lr=0.01, beta=0.9):
        super().__init__(_momentum, MomentumState, lr=lr, beta=beta)


class AdaGrad(Optimizer):
    """AdaGrad; the math is in :func:`adagrad_step`.

    Parameters
    ----------
    lr : float, default 0.01
    eps : float, default 1e-8

    """

    def __init__(self, lr=0.01, eps=1e-8):
        super().__init__(_adagrad, AdaGradState, lr=lr, eps=eps)


class RMSProp(Optimizer):
    """RMSProp; the math is in :func:`rmsprop_step`.

    Parameters
    ----------
    lr : float, default 0.001
    rho : float, default 0.9
    eps : float, default 1e-8

    """

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8):
        super().__init__(_rmsprop, RMSPropState, lr=lr, rho=rho, eps=eps)


class Adam(Optimizer):
    """Adam; the math is in :func:`adam_step`.

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
        super().__init__(_adam, AdamState, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
