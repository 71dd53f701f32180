r"""Chapter 2: the step-function perceptron and its learning rule.

A perceptron computes a weighted sum of its inputs plus a bias and fires
(outputs 1) when the sum is at least zero:

.. math:: \hat y = \mathrm{step}(x \cdot w + b).

It learns one sample at a time with Rosenblatt's rule,
:math:`w \leftarrow w + \eta\,(y - \hat y)\,x` and
:math:`b \leftarrow b + \eta\,(y - \hat y)`, where the error
:math:`y - \hat y` is 0, +1 or -1. On linearly separable data (AND, OR) the
rule stops making mistakes after finitely many updates; on XOR it never does.
:func:`mistake_bound` computes how many at most, :math:`(R/\gamma)^2`, from the
convergence theorem.

Shapes use N (samples) and D (input features). Labels are 0 or 1.
"""

import math

from solutions.backend import device, get_xp, to_numpy
from solutions.validation import as_float_array, check_positive, check_rng, check_same_length

__all__ = ["step", "perceptron_predict", "perceptron_update", "perceptron_fit", "mistake_bound",
           "squared_hinge_grad", "fit_circle"]


def step(z):
    r"""Heaviside step :math:`\mathrm{step}(z) = 1` if :math:`z \ge 0`, else 0.

    The value at exactly zero is 1 (a neuron with no evidence either way
    fires), so a perceptron with all-zero weights predicts class 1.

    Parameters
    ----------
    z : array of any shape

    Returns
    -------
    out : array of the same shape and dtype, values 0.0 or 1.0

    Examples
    --------
    >>> step([-0.5, 0.0, 2.0])
    array([0., 1., 1.])

    """
    xp = get_xp(z)
    return _step(xp, as_float_array(z, "z", xp=xp))


def _step(xp, z):
    """Core of :func:`step` on a checked float array."""
    return xp.astype(z >= 0, z.dtype)


def _check_weights(X, w, b):
    """Validate ``X`` (N, D), ``w`` (D,) and a scalar ``b``; return them as arrays and a float."""
    xp = get_xp(X, w, b)
    X = as_float_array(X, "X", ndim=2, shape="(N, D)", finite=True, xp=xp)
    w = as_float_array(w, "w", ndim=1, shape="(D,)", finite=True, xp=xp)
    if w.shape[0] != X.shape[1]:
        raise ValueError(
            f"w must have one weight per feature of X: X has D={X.shape[1]} columns "
            f"but w.shape={tuple(w.shape)}"
        )
    return xp, X, w, _check_bias(xp, b)


def _check_bias(xp, b):
    """Return the bias as a Python float, or raise if it is not a single finite number."""
    b = as_float_array(b, "b", finite=True, xp=xp)
    if math.prod(b.shape) != 1:
        raise ValueError(f"b must be a single number (the perceptron has one output); "
                         f"got shape {tuple(b.shape)}")
    return float(xp.reshape(b, ()))


def _check_labels(xp, y, n):
    """Validate ``y`` as N labels in {0, 1}."""
    y = as_float_array(y, "y", ndim=1, shape="(N,)", xp=xp)
    if y.shape[0] != n:
        raise ValueError(f"y must hold one label per sample: expected {n}, got {y.shape[0]}")
    if not bool(xp.all((y == 0) | (y == 1))):
        raise ValueError("y must hold labels 0 or 1 (a perceptron's step output); "
                         "for labels -1/+1 use (y + 1) / 2")
    return y


def perceptron_predict(X, w, b):
    r"""Class predictions :math:`\hat y = \mathrm{step}(X w + b)`.

    Parameters
    ----------
    X : array of shape (N, D)
        One sample per row.
    w : array of shape (D,)
        Weights.
    b : float
        Bias; it moves the decision boundary :math:`x \cdot w + b = 0`.

    Returns
    -------
    y_pred : array of shape (N,)
        0.0 or 1.0 for each sample, in the dtype of ``X @ w``.

    Examples
    --------
    >>> perceptron_predict([[0.0, 0.0], [1.0, 1.0]], [1.0, 1.0], -1.5)  # AND
    array([0., 1.])

    """
    xp, X, w, b = _check_weights(X, w, b)
    return _step(xp, X @ w + b)


def _update(w, b, x, y, lr):
    """One step of the perceptron rule on validated input; also return the error."""
    y_hat = 1.0 if float(x @ w) + b >= 0 else 0.0
    error = y - y_hat
    if error == 0:
        return w, b, 0.0
    return w + (lr * error) * x, b + lr * error, error


def perceptron_update(w, b, x, y, lr):
    r"""One step of the perceptron learning rule on one sample.

    .. math:: w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad b \leftarrow b + \eta\,(y - \hat y)

    The error :math:`y - \hat y` is +1 (missed a 1: move ``w`` towards
    ``x``), -1 (false alarm: move ``w`` away from ``x``) or 0 (right: no change).

    Parameters
    ----------
    w : array of shape (D,)
        Current weights; not modified.
    b : float
        Current bias.
    x : array of shape (D,)
        One sample.
    y : {0, 1}
        Its label.
    lr : float
        Learning rate :math:`\eta > 0`.

    Returns
    -------
    w : array of shape (D,)
        New weights: a new array after a mistake; after a right prediction
        the given ``w`` itself (unchanged: it is never written to).
    b : float
        New bias.

    Examples
    --------
    >>> perceptron_update([0.0, 0.0], -1.0, [1.0, 2.0], 1, lr=0.5)
    (array([0.5, 1. ]), -0.5)

    """
    xp = get_xp(w, b, x, y)
    x = as_float_array(x, "x", ndim=1, shape="(D,)", finite=True, xp=xp)
    _, _, w, b = _check_weights(x[None, :], w, b)
    y = _check_labels(xp, xp.reshape(as_float_array(y, "y", xp=xp), (-1,)), 1)
    lr = check_positive(lr, "lr")
    w, b, _ = _update(w, b, x, float(y[0]), lr)
    return w, b


def perceptron_fit(X, y, lr, epochs, rng):
    """Train a perceptron with the perceptron rule, one shuffled pass per epoch.

    Starts from zero weights and bias. Each epoch visits the samples in a new
    random order drawn from ``rng`` and applies :func:`perceptron_update` to
    each; training stops after the first epoch without a single mistake
    (the data are then separated) or after ``epochs`` epochs.

    Parameters
    ----------
    X : array of shape (N, D)
        Training inputs.
    y : array of shape (N,)
        Labels 0 or 1.
    lr : float
        Learning rate, > 0.
    epochs : int
        The most passes over the data, >= 1.
    rng : numpy.random.Generator
        Shuffles the order of the samples each epoch.

    Returns
    -------
    w : array of shape (D,)
    b : float
    errors_per_epoch : list of int
        The number of mistakes (updates) in each epoch run; its last entry is
        0 exactly when training converged.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> w, b, errors = perceptron_fit(X, [0, 0, 0, 1], 1.0, 50, np.random.default_rng(0))
    >>> errors[-1], perceptron_predict(X, w, b)
    (0, array([0., 0., 0., 1.]))

    """
    xp = get_xp(X, y)
    X = as_float_array(X, "X", ndim=2, shape="(N, D)", finite=True, xp=xp)
    y = _check_labels(xp, y, X.shape[0])
    check_same_length("X", X, "y", y)
    lr = check_positive(lr, "lr")
    epochs = check_positive(epochs, "epochs", integer=True)
    rng = check_rng(rng)
    w, b = xp.zeros(X.shape[1], dtype=X.dtype, device=device(X)), 0.0
    labels = [float(v) for v in to_numpy(y).tolist()]
    errors_per_epoch = []
    for _ in range(epochs):
        mistakes = 0
        for i in rng.permutation(X.shape[0]).tolist():
            w, b, error = _update(w, b, X[i], labels[i], lr)
            mistakes += error != 0
        errors_per_epoch.append(int(mistakes))
        if mistakes == 0:
            break
    return w, b, errors_per_epoch


def mistake_bound(X, y, w, b):
    r"""Return the perceptron convergence theorem's bound :math:`(R/\gamma)^2` for (w, b).

    With each input extended by the constant 1 of the bias, :math:`\tilde x_i = (x_i, 1)`,
    and the unit vector :math:`u = (w, b) / \lVert (w, b) \rVert`,

    .. math::

        \gamma = \min_i\, (2 y_i - 1)\, \tilde x_i \cdot u, \qquad
        R = \max_i \lVert \tilde x_i \rVert .

    When :math:`\gamma > 0` (u separates the data strictly, with margin
    :math:`\gamma`), the perceptron rule started from zero makes at most
    :math:`(R/\gamma)^2` mistakes, whatever the learning rate and the order of
    the samples. Only the direction of (w, b) matters: scaling both by
    :math:`c > 0` leaves the bound unchanged.

    Parameters
    ----------
    X : array of shape (N, D)
        One sample per row, N >= 1.
    y : array of shape (N,)
        Labels 0 or 1.
    w : array of shape (D,)
        Weights of the separating direction.
    b : float
        Its bias: part of the vector that is normalized.

    Returns
    -------
    bound : float
        :math:`(R/\gamma)^2`, at least 1.

    Raises
    ------
    ValueError
        When :math:`\gamma \le 0` ((w, b) leaves a sample on the wrong side or
        on the boundary), when w and b are all zero (no direction), or when the
        arguments do not have the shapes above.

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    >>> mistake_bound(X, [0, 1, 1, 1], [1.0, 1.0], -0.5)    # OR: R^2 = 3, gamma = 1/3
    27.0
    >>> mistake_bound(X, [0, 0, 0, 1], [2.0, 1.0], -3.0)    # AND, (1, 1) on the boundary
    Traceback (most recent call last):
    ...
    ValueError: (w, b) does not separate the data strictly: the margin gamma = 0 must be > 0

    """
    xp, X, w, b = _check_weights(X, w, b)
    if X.shape[0] == 0:
        raise ValueError("X has no rows: the margin of no samples is undefined")
    y = _check_labels(xp, y, X.shape[0])
    if b == 0.0 and not bool(xp.any(w != 0)):
        raise ValueError("w and b are all zero: (w, b) has no direction and no margin")
    return _mistake_bound(xp, X, y, w, b)


def _mistake_bound(xp, X, y, w, b):
    """Core of :func:`mistake_bound` on checked arguments, (w, b) not zero."""
    scale = max(float(xp.max(xp.abs(w))), abs(b))  # |(w, b)| without overflow or underflow
    norm = scale * math.sqrt(float(xp.sum((w / scale) ** 2)) + (b / scale) ** 2)
    margin = float(xp.min((2.0 * y - 1.0) * (X @ w + b)))  # gamma * norm
    if margin <= 0.0:
        raise ValueError("(w, b) does not separate the data strictly: the margin gamma = "
                         f"{margin / norm:.3g} must be > 0")
    radius_sq = float(xp.max(xp.sum(X * X, axis=1))) + 1.0  # R^2, the 1 is the bias input
    return radius_sq * (norm / margin) ** 2


def squared_hinge_grad(X, s, w, b, lam):
    r"""Gradient of the squared-hinge SVM objective with respect to ``(w, b)``.

    :math:`J(w, b) = \frac{\lambda}{2}\lVert w \rVert^2
    + \frac1N \sum_i \max(0, 1 - s_i z_i)^2` with scores :math:`z = X w + b`
    and labels :math:`s_i \in \{-1, +1\}`: the linear SVM of Chapter 2 with the
    hinge squared, so that it has a gradient everywhere.

    Parameters
    ----------
    X : array of shape (N, D)
    s : array of shape (N,)
        Labels -1 or +1.
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
    >>> dw, db = squared_hinge_grad([[1.0, 0.0], [0.0, 2.0]], [1.0, -1.0], [0.5, 0.0], 0.0, 1.0)
    >>> dw, db  # the first sample has margin 0.5, the second 0
    (array([0., 2.]), 0.5)

    """
    xp, X, w, b = _check_weights(X, w, b)
    s = as_float_array(s, "s", ndim=1, shape="(N,)", xp=xp)
    check_same_length("X", X, "s", s)
    if not bool(xp.all((s == -1) | (s == 1))):
        raise ValueError("s must hold labels -1 or +1; for 0/1 labels use 2 * y - 1")
    lam = check_positive(lam, "lam", allow_zero=True)
    g = -2.0 * s * xp.maximum(1.0 - s * (X @ w + b), 0.0) / s.shape[0]
    return lam * w + g @ X, float(xp.sum(g))


def _squares(xp, X):
    """Return the inputs and their squares side by side, shape (N, 2 D)."""
    return xp.concat([X, X * X], axis=1)


def fit_circle(X_train, y_train, X_test, rng):
    """Train a perceptron on the inputs and their squares; predict labels of ``X_test``.

    A circle :math:`x_1^2 + x_2^2 = r^2` is a line in the squared inputs, so a
    class inside a circle becomes linearly separable there, and the perceptron
    rule converges.

    Parameters
    ----------
    X_train : array of shape (N, D)
    y_train : array of shape (N,)
        Labels 0 or 1.
    X_test : array of shape (M, D)
    rng : numpy.random.Generator
        Passed to :func:`perceptron_fit`.

    Returns
    -------
    y_pred : array of shape (M,)
        Labels 0 or 1.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.5, -0.5], [2.0, 0.0], [0.0, -2.0], [-1.5, 1.5]])
    >>> fit_circle(X, [1, 1, 0, 0, 0], np.array([[0.1, 0.2], [1.8, 1.8]]),
    ...            np.random.default_rng(0))
    array([1., 0.])

    """
    xp = get_xp(X_train, X_test)
    X_train = as_float_array(X_train, "X_train", ndim=2, shape="(N, D)", finite=True, xp=xp)
    X_test = as_float_array(X_test, "X_test", ndim=2, shape="(M, D)", finite=True, xp=xp)
    w, b, _ = perceptron_fit(_squares(xp, X_train), y_train, 1.0, 1000, rng)
    return perceptron_predict(_squares(xp, X_test), w, b)
