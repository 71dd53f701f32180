"""Chapter 1: linear, logistic and softmax regression.

A regression model maps inputs ``X`` to predictions with parameters ``w, b``;
fitting means choosing the parameters that make a loss small. These functions
are the pieces the first exercise asks for, and the bricks every later
chapter builds a network from.

Shapes use N (samples), D (input features) and C (classes or outputs).
"""

import math

from solutions.backend import device, get_xp
from solutions.validation import (
    as_float_array,
    as_prediction_pair,
    check_positive,
    check_same_length,
)

__all__ = [
    "predict_linear",
    "mse",
    "mse_grad",
    "fit_least_squares",
    "fit_line",
    "ridge_grad",
    "fit_curve",
    "r_squared",
    "sigmoid",
    "softmax",
    "predict_logistic",
]


def _check_params(X, w, b):
    """Validate ``X`` (N, D), ``w`` (D,) or (D, C) and ``b`` matching ``w``'s outputs."""
    xp = get_xp(X, w, b)
    X = as_float_array(X, "X", ndim=2, shape="(N, D)", finite=True, xp=xp)
    w = as_float_array(w, "w", ndim=(1, 2), shape="(D,) or (D, C)", finite=True, xp=xp)
    if w.shape[0] != X.shape[1]:
        raise ValueError(
            f"w must have one row per feature of X: X has D={X.shape[1]} columns "
            f"but w.shape={tuple(w.shape)}; did you pass w transposed?"
        )
    b = as_float_array(b, "b", ndim=(0, 1), finite=True, xp=xp)
    if tuple(b.shape) not in ((), tuple(w.shape[1:])):
        raise ValueError(f"b must have shape {tuple(w.shape[1:])} (one per output) or be a "
                         f"scalar; got shape {tuple(b.shape)}")
    # A Python float bias must not turn float32 predictions into float64.
    return X, w, xp.astype(b, xp.result_type(X, w), copy=False)


def predict_linear(X, w, b):
    r"""Linear model :math:`\hat y = X w + b`.

    Parameters
    ----------
    X : array of shape (N, D)
        One sample per row.
    w : array of shape (D,) or (D, C)
        Weights: one per feature, or one column per output.
    b : float or array of shape (C,)
        Bias (intercept), cast to the dtype of ``X @ w``.

    Returns
    -------
    y_pred : array of shape (N,) or (N, C)

    Examples
    --------
    >>> predict_linear([[1.0], [2.0]], [2.0], 1.0)
    array([3., 5.])

    """
    X, w, b = _check_params(X, w, b)
    return X @ w + b


def mse(y_pred, y):
    r"""Mean squared error :math:`\frac{1}{n}\sum_i (\hat y_i - y_i)^2`.

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
        Predictions.
    y : array of the same shape
        Targets.

    Returns
    -------
    loss : float
        The mean over every entry.

    Examples
    --------
    >>> mse([1.0, 2.0], [1.0, 4.0])
    2.0

    """
    xp = get_xp(y_pred, y)
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y", xp=xp)
    return float(xp.mean((y_pred - y) ** 2))


def mse_grad(y_pred, y):
    r"""Gradient of :func:`mse` with respect to the predictions, :math:`\frac{2}{n}(\hat y - y)`.

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
    y : array of the same shape

    Returns
    -------
    dy_pred : array of the same shape as ``y_pred``

    Examples
    --------
    >>> mse_grad([1.0, 2.0], [1.0, 4.0])
    array([ 0., -2.])

    """
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y")
    return (2.0 / math.prod(y.shape)) * (y_pred - y)


def fit_least_squares(X, y):
    r"""Closed-form least-squares fit of a linear model with intercept.

    Minimizes :math:`\lVert X w + b - y \rVert^2` with the pseudo-inverse of
    the augmented matrix :math:`A = [X, 1]`, :math:`[w; b] = A^+ y`, computed from
    the singular value decomposition (stable, unlike inverting :math:`A^\top A`,
    which loses precision when features are correlated; and the minimum-norm
    solution when they are collinear).

    Parameters
    ----------
    X : array of shape (N, D)
    y : array of shape (N,) or (N, C)

    Returns
    -------
    w : array of shape (D,) or (D, C)
    b : float or array of shape (C,)

    Examples
    --------
    >>> w, b = fit_least_squares([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> w.round(6), round(b, 6)
    (array([2.]), 1.0)

    """
    xp = get_xp(X, y)
    X = as_float_array(X, "X", ndim=2, shape="(N, D)", finite=True, xp=xp)
    y = as_float_array(y, "y", ndim=(1, 2), shape="(N,) or (N, C)", finite=True, xp=xp)
    check_same_length("X", X, "y", y)
    if X.shape[0] == 0:
        raise ValueError("X is empty: a line cannot be fitted to no samples")
    dtype = xp.result_type(X.dtype, y.dtype)
    ones = xp.ones((X.shape[0], 1), dtype=dtype, device=device(X))
    A = xp.concat([xp.astype(X, dtype), ones], axis=1)
    coef = xp.linalg.pinv(A) @ xp.astype(y, dtype)
    w, b = coef[:-1, ...], coef[-1, ...]
    return w, (float(b) if b.ndim == 0 else b)


def fit_line(x, y):
    r"""Least-squares line through points: slope and intercept from sums.

    :math:`a = \sum_i (x_i - \bar x)(y_i - \bar y) / \sum_i (x_i - \bar x)^2` and
    :math:`b = \bar y - a \bar x`, the solution of the two normal equations of
    :math:`y \approx a x + b`.

    Parameters
    ----------
    x : array of shape (N,)
        Inputs; at least two different values.
    y : array of shape (N,)
        Targets.

    Returns
    -------
    a : float
        The slope.
    b : float
        The intercept.

    Examples
    --------
    >>> fit_line([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    (2.0, 1.0)

    """
    x = as_float_array(x, "x", ndim=1, shape="(N,)", finite=True)
    y = as_float_array(y, "y", ndim=1, shape="(N,)", finite=True)
    check_same_length("x", x, "y", y)
    xp = get_xp(x, y)
    dx = x - xp.mean(x)
    spread = float(xp.sum(dx * dx))
    if spread == 0.0:
        raise ValueError("x needs at least two different values: a vertical set of points "
                         "has no least-squares line y = a x + b")
    a = float(xp.sum(dx * (y - xp.mean(y)))) / spread
    return a, float(xp.mean(y)) - a * float(xp.mean(x))


def ridge_grad(X, y, w, b, lam):
    r"""Gradient of the ridge loss :math:`L = \mathrm{MSE}(X w + b, y) + \lambda \lVert w \rVert^2`.

    The penalty shrinks the weights, not the bias.

    Parameters
    ----------
    X : array of shape (N, D)
    y : array of shape (N,)
    w : array of shape (D,)
    b : float
    lam : float
        Penalty strength, >= 0.

    Returns
    -------
    dw : array of shape (D,)
    db : float

    Examples
    --------
    >>> dw, db = ridge_grad([[1.0], [2.0]], [1.0, 2.0], [2.0], 0.0, 0.5)
    >>> dw, db  # residuals y - (X w + b) = (-1, -2)
    (array([7.]), 3.0)

    """
    xp = get_xp(X, y, w)
    X, w, b = _check_params(X, w, b)
    if w.ndim != 1:
        raise ValueError(f"w must have shape (D,) (one output); got {tuple(w.shape)}")
    y = as_float_array(y, "y", ndim=1, shape="(N,)", finite=True, xp=xp)
    check_same_length("X", X, "y", y)
    lam = check_positive(lam, "lam", allow_zero=True)
    residual = y - (X @ w + b)    # observed minus predicted
    return (-2.0 / y.shape[0]) * (residual @ X) + (2.0 * lam) * w, \
        -2.0 * float(xp.mean(residual))


CURVE_DEGREE = 7
"""The polynomial degree :func:`fit_curve` uses."""


def fit_curve(x_train, y_train, x_test):
    """Fit a curve to one input by least squares on polynomial features; predict at ``x_test``.

    The features are the powers 1 to :data:`CURVE_DEGREE` of the input
    standardized with the training mean and standard deviation (powers of
    raw inputs far from 0 are nearly parallel columns, see
    :func:`fit_least_squares`).

    Parameters
    ----------
    x_train : array of shape (N,)
    y_train : array of shape (N,)
    x_test : array of shape (M,)

    Returns
    -------
    y_pred : array of shape (M,)

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-1.0, 1.0, 20)
    >>> fit_curve(x, x**3 - x, np.array([0.5])).round(6)
    array([-0.375])

    """
    xp = get_xp(x_train, y_train, x_test)
    x_train = as_float_array(x_train, "x_train", ndim=1, shape="(N,)", finite=True, xp=xp)
    x_test = as_float_array(x_test, "x_test", ndim=1, shape="(M,)", finite=True, xp=xp)
    centre, scale = xp.mean(x_train), xp.std(x_train)
    if float(scale) == 0.0:
        raise ValueError("x_train is constant: a curve cannot be fitted to one input value")

    def features(x):
        return xp.stack([((x - centre) / scale) ** k for k in range(1, CURVE_DEGREE + 1)],
                        axis=1)

    w, b = fit_least_squares(features(x_train), y_train)
    return predict_linear(features(x_test), w, b)


def r_squared(y_pred, y):
    r"""Coefficient of determination, the fit compared with predicting the mean.

    :math:`R^2 = 1 - \sum_i (y_i - \hat y_i)^2 / \sum_i (y_i - \bar y)^2`,
    one minus the model's MSE over the MSE of always predicting the mean of
    ``y``: 1 for a perfect fit, 0 for no better than the mean, negative for worse.

    Parameters
    ----------
    y_pred : array of shape (N,)
        Predictions.
    y : array of shape (N,)
        Targets, not all equal.

    Returns
    -------
    r2 : float

    Examples
    --------
    >>> r_squared([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.7857142857142857

    """
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y")
    xp = get_xp(y_pred, y)
    spread = float(xp.sum((y - xp.mean(y)) ** 2))
    if spread == 0.0:
        raise ValueError("y is constant: R^2 compares with the spread of y, which is 0 here")
    return 1.0 - float(xp.sum((y - y_pred) ** 2)) / spread


def sigmoid(z):
    r"""Logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    For negative ``z`` it uses the equal form :math:`e^{z} / (1 + e^{z})`, so
    no exponential of a large positive number is ever taken.

    Parameters
    ----------
    z : array of any shape

    Returns
    -------
    out : array of the same shape and dtype, values in [0, 1]

    Examples
    --------
    >>> sigmoid([0.0, 1000.0, -1000.0])
    array([0.5, 1. , 0. ])

    """
    xp = get_xp(z)
    return _sigmoid(xp, as_float_array(z, "z", finite=True, xp=xp))


def _sigmoid(xp, z):
    """Core of :func:`sigmoid` on a checked float array."""
    e = xp.exp(-xp.abs(z))  # in (0, 1]: never overflows
    return xp.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(Z):
    r"""Row-wise softmax :math:`p_{ic} = e^{z_{ic}} / \sum_k e^{z_{ik}}`.

    The row maximum is subtracted first; this changes nothing mathematically
    and keeps every exponential in (0, 1].

    Parameters
    ----------
    Z : array of shape (N, C)
        Scores (logits), one row per sample.

    Returns
    -------
    P : array of shape (N, C)
        Probabilities; each row sums to 1.

    Examples
    --------
    >>> softmax([[1000.0, 1000.0]])
    array([[0.5, 0.5]])

    """
    xp = get_xp(Z)
    Z = as_float_array(Z, "Z", ndim=2, shape="(N, C)", finite=True, xp=xp)
    e = xp.exp(Z - xp.max(Z, axis=1, keepdims=True))
    return e / xp.sum(e, axis=1, keepdims=True)


def predict_logistic(X, w, b):
    r"""Logistic regression: :math:`\sigma(X w + b)`, or softmax of :math:`X W + b` for C classes.

    Parameters
    ----------
    X : array of shape (N, D)
    w : array of shape (D,) for two classes, or (D, C) for C classes
    b : float, or array of shape (C,)

    Returns
    -------
    p : array of shape (N,) or (N, C)
        With ``w`` of shape (D,): the probability of class 1 for each sample.
        With ``w`` of shape (D, C): one probability per class, rows summing to 1.

    Examples
    --------
    >>> predict_logistic([[0.0], [10.0]], [1.0], -5.0).round(4)
    array([0.0067, 0.9933])

    """
    scores = predict_linear(X, w, b)
    return sigmoid(scores) if scores.ndim == 1 else softmax(scores)
