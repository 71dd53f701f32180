"""Chapter 5: splitting and standardizing data, mini-batches, early stopping, the training loop.

Everything random takes an explicit ``rng`` (a ``numpy.random.Generator``),
so the same seed gives the same split, the same batches and the same model.
Shapes use N (samples), D (input features) and C (classes).
"""

import math
from typing import Any, NamedTuple

from solutions.backend import device, get_xp, permutation
from solutions.losses import softmax_cross_entropy
from solutions.regression import mse, mse_grad
from solutions.validation import as_float_array, check_positive, check_rng, check_same_length

__all__ = [
    "accuracy",
    "train_val_test_split",
    "Standardization",
    "standardize",
    "minibatches",
    "EarlyStopping",
    "train_linear",
    "ridge_step",
    "History",
    "evaluate",
    "fit",
]


def _check_samples(X, y):
    """Validate a design matrix X (N, D) and its targets y (N, ...); return ``(X, y)``."""
    xp = get_xp(X, y)
    X = as_float_array(X, "X", ndim=2, shape="(N, D)", xp=xp)
    y = xp.asarray(y)
    if y.ndim == 0:
        raise ValueError(f"y must have one entry per sample, shape (N,); got a scalar {y!r}")
    check_same_length("X", X, "y", y)
    return xp, X, y


def accuracy(y_pred, y):
    r"""Fraction of correct predictions, :math:`\frac1N \sum_i [\hat y_i = y_i]`.

    Parameters
    ----------
    y_pred : int array of shape (N,)
        Predicted classes.
    y : int array of shape (N,)
        True classes.

    Returns
    -------
    acc : float
        In [0, 1].

    Examples
    --------
    >>> accuracy([0, 1, 2, 2], [0, 1, 1, 2])
    0.75

    """
    xp = get_xp(y_pred, y)
    y_pred, y = xp.asarray(y_pred), xp.asarray(y)
    if y_pred.ndim != 1 or y_pred.shape != y.shape:
        raise ValueError(
            "y_pred and y must be 1-D arrays of class indices with the same shape (N,); "
            f"got {tuple(y_pred.shape)} and {tuple(y.shape)}"
        )
    if y.shape[0] == 0:
        raise ValueError("y is empty: the accuracy of no samples is undefined")
    return int(xp.count_nonzero(y_pred == y)) / y.shape[0]


def _check_fractions(fractions):
    """Return ``fractions`` as a tuple of 2 or 3 positive floats summing to 1."""
    fractions = tuple(fractions)
    if len(fractions) not in (2, 3):
        raise ValueError(
            "fractions must be (train, test) or (train, validation, test); "
            f"got {len(fractions)} numbers {fractions}"
        )
    for k, f in enumerate(fractions):
        check_positive(f, f"fractions[{k}]")
    if not math.isclose(sum(fractions), 1.0, abs_tol=1e-9):
        raise ValueError(f"fractions must sum to 1; got {fractions} (sum {sum(fractions)})")
    return fractions


def train_val_test_split(X, y, *, fractions=(0.6, 0.2, 0.2), rng):
    """Shuffle the samples and cut them into training, (validation) and test sets.

    Every sample lands in exactly one part. Part sizes are the fractions of N
    rounded so that they add up to N.

    Parameters
    ----------
    X : array of shape (N, D)
    y : array of shape (N,)
    fractions : tuple of float, default (0.6, 0.2, 0.2)
        (train, validation, test) or (train, test); positive, summing to 1.
    rng : numpy.random.Generator
        Draws the shuffle: the same seed gives the same split.

    Returns
    -------
    parts : tuple of arrays
        ``(X_train, y_train, X_val, y_val, X_test, y_test)`` for three
        fractions, ``(X_train, y_train, X_test, y_test)`` for two.

    Raises
    ------
    ValueError
        When the fractions do not sum to 1 or a part would be empty.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    >>> parts = train_val_test_split(X, y, fractions=(0.8, 0.2), rng=np.random.default_rng(0))
    >>> [len(p) for p in parts]
    [8, 8, 2, 2]

    """
    xp, X, y = _check_samples(X, y)
    fractions = _check_fractions(fractions)
    check_rng(rng)
    n = X.shape[0]
    bounds = [0] + [round(n * sum(fractions[: k + 1])) for k in range(len(fractions))]
    bounds[-1] = n
    if any(lo == hi for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)):
        raise ValueError(f"fractions {fractions} of {n} samples leave a part empty; use more data")
    order = permutation(rng, n, xp, device(X))
    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        idx = order[lo:hi]
        parts += [xp.take(X, idx, axis=0), xp.take(y, idx, axis=0)]
    return tuple(parts)


class Standardization(NamedTuple):
    """The per-column shift and scale that :func:`standardize` fits on the training rows."""

    mean: Any
    """Array of shape (D,): each column's mean over the training rows."""
    scale: Any
    """Array of shape (D,): each column's standard deviation over the training rows; 1 where
    the column is constant there."""


def standardize(X_train, *others):
    r"""Standardize with the training rows' statistics: :math:`z_{ij} = (x_{ij} - \mu_j)/\sigma_j`.

    The mean :math:`\mu_j` and standard deviation :math:`\sigma_j` (over N, as
    NumPy's ``std``) of each column come from the rows of ``X_train`` alone; the
    same shift and scale then transform every array in ``others`` (validation,
    test or new rows), which therefore do not come out with mean exactly 0.
    Fitting them on all rows would leak the held-out rows into the preprocessing.

    A column that is constant on the training rows (:math:`\sigma_j = 0`, or at
    most :math:`N \varepsilon |\mu_j|`, the rounding error of the mean, with
    :math:`\varepsilon` the dtype's machine epsilon) is shifted but not scaled:
    its scale is 1, so it becomes 0 on the training rows instead of NaN.

    Parameters
    ----------
    X_train : array of shape (N, D)
        The training rows, finite, N >= 1.
    *others : arrays of shape (N_k, D)
        Further rows to transform with the training statistics.

    Returns
    -------
    standardized : tuple
        ``(Z_train, *Z_others, stats)``: each array transformed, in the order
        given and with its shape, then the :class:`Standardization`
        ``(mean, scale)`` that was applied (shapes (D,)); rows that arrive
        later get ``(X - stats.mean) / stats.scale``.

    Raises
    ------
    TypeError
        When an array does not hold real numbers.
    ValueError
        When an array is not 2-D, holds NaN or infinity, has other than D
        columns, or ``X_train`` has no rows.

    Examples
    --------
    >>> import numpy as np
    >>> X_train, X_test = np.array([[1.0, 5.0], [3.0, 5.0]]), np.array([[5.0, 7.0]])
    >>> Z_train, Z_test, stats = standardize(X_train, X_test)
    >>> Z_train                  # the second column is constant: shifted, not scaled
    array([[-1.,  0.],
           [ 1.,  0.]])
    >>> Z_test                   # the training mean and scale, not the test row's own
    array([[3., 2.]])
    >>> stats
    Standardization(mean=array([2., 5.]), scale=array([1., 1.]))

    """
    xp = get_xp(X_train, *others)
    X_train = as_float_array(X_train, "X_train", ndim=2, shape="(N, D)", finite=True, xp=xp)
    n, d = X_train.shape
    if n == 0:
        raise ValueError("X_train has no rows: the mean of no samples is undefined")
    arrays = [X_train]
    for k, other in enumerate(others):
        other = as_float_array(other, f"others[{k}]", ndim=2, shape="(N_k, D)", finite=True,
                               xp=xp)
        if other.shape[1] != d:
            raise ValueError(f"others[{k}] must have the D = {d} columns of X_train; "
                             f"got shape {tuple(other.shape)}")
        arrays.append(other)
    mean, std = xp.mean(X_train, axis=0), xp.std(X_train, axis=0)
    constant = std <= n * xp.finfo(X_train.dtype).eps * xp.abs(mean)
    scale = xp.where(constant, xp.ones_like(std), std)
    return (*((X - mean) / scale for X in arrays), Standardization(mean, scale))


def minibatches(X, y, batch_size, rng=None, shuffle=True):
    """Iterate over one epoch in mini-batches ``(X_batch, y_batch)``.

    Each sample appears in exactly one batch; the last batch is smaller when
    ``batch_size`` does not divide N. Arguments are checked at the call, not
    at the first batch.

    Parameters
    ----------
    X : array of shape (N, D)
    y : array of shape (N,)
    batch_size : int
        Samples per batch (N' <= batch_size).
    rng : numpy.random.Generator, optional
        Draws the order; required when ``shuffle`` is True.
    shuffle : bool, default True
        Visit the samples in a random order; False keeps their order.

    Returns
    -------
    batches : iterator of (array of shape (N', D), array of shape (N',))

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in minibatches(X, y, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]

    """
    xp, X, y = _check_samples(X, y)
    check_positive(batch_size, "batch_size", integer=True)
    order = permutation(check_rng(rng), X.shape[0], xp, device(X)) if shuffle else None
    return _batches(xp, X, y, batch_size, order)


def _batches(xp, X, y, batch_size, order):
    """Yield consecutive batches of ``X[order]``, ``y[order]`` (in order when ``order`` is None)."""
    n = X.shape[0]
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        if order is None:
            yield X[start:stop, ...], y[start:stop, ...]
        else:
            idx = order[start:stop]
            yield xp.take(X, idx, axis=0), xp.take(y, idx, axis=0)


class EarlyStopping:
    """Stop training when the validation loss stops improving; keep the best weights.

    An epoch improves when its validation loss is below the best so far by
    more than ``min_delta``. After ``patience`` epochs in a row without
    improvement, :meth:`update` returns True. The monitor keeps a copy of the
    parameters of the best epoch, which :meth:`restore` writes back.

    Parameters
    ----------
    patience : int
        Epochs without improvement to tolerate before stopping.
    min_delta : float, default 0.0
        Smallest decrease of the loss that counts as an improvement.

    Attributes
    ----------
    best_loss : float
        Lowest validation loss seen (``inf`` before the first epoch).
    best_epoch : int or None
        0-based epoch of ``best_loss``.
    wait : int
        Epochs since the last improvement.

    Examples
    --------
    >>> import numpy as np
    >>> stopper, params = EarlyStopping(patience=2), {"w": np.zeros(1)}
    >>> for epoch, loss in enumerate([3.0, 2.0, 2.5, 2.1]):
    ...     params["w"][0] = epoch
    ...     if stopper.update(loss, params):
    ...         break
    >>> stopper.best_epoch, epoch
    (1, 3)
    >>> stopper.restore(params)
    >>> params["w"]
    array([1.])

    """

    def __init__(self, patience, min_delta=0.0):
        self.patience = check_positive(patience, "patience", integer=True)
        self.min_delta = check_positive(min_delta, "min_delta", allow_zero=True)
        self.best_loss, self.best_epoch, self.wait = math.inf, None, 0
        self._epoch, self._best_params = -1, None

    def update(self, val_loss, params):
        """Record one epoch's validation loss; return True when training should stop.

        Parameters
        ----------
        val_loss : float
        params : dict of str to array
            The model's parameters after this epoch; copied when they are the best.

        Returns
        -------
        stop : bool

        """
        self._epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = val_loss, self._epoch, 0
            self._best_params = {name: get_xp(value).asarray(value, copy=True)
                                 for name, value in params.items()}
        else:
            self.wait += 1
        return self.wait >= self.patience

    def restore(self, params):
        """Write the best epoch's parameters back into the arrays of ``params``, in place.

        In place, so that the model and its optimizer keep seeing the same arrays.

        Parameters
        ----------
        params : dict of str to array
            The same keys and shapes as those given to :meth:`update`.

        """
        if self._best_params is None:
            raise RuntimeError("no epoch recorded yet: call update(val_loss, params) first")
        if params.keys() != self._best_params.keys():
            raise ValueError(
                f"params must have the keys {sorted(self._best_params)}; got {sorted(params)}"
            )
        for name, best in self._best_params.items():
            params[name][...] = best


def _check_regression_data(xp, X, y, x_name, y_name, n):
    """Validate inputs (n, D) and real targets (n,) of a regression, finite, n >= 1."""
    X = as_float_array(X, x_name, ndim=2, shape=f"({n}, D)", finite=True, xp=xp)
    y = as_float_array(y, y_name, ndim=1, shape=f"({n},)", finite=True, xp=xp)
    check_same_length(x_name, X, y_name, y)
    if X.shape[0] == 0:
        raise ValueError(f"{x_name} has no rows: the mean squared error of no samples is "
                         "undefined")
    return X, y


def train_linear(X, y, X_val, y_val, *, lr, epochs, batch_size, patience, rng):
    r"""Fit :math:`\hat y = X w + b` by mini-batch SGD on the MSE, with early stopping.

    Starts from :math:`w = 0, b = 0`. Each epoch takes one SGD step per batch of
    ``minibatches(X, y, batch_size, rng)``, on that batch's mean squared error,

    .. math::

        w \leftarrow w - \eta\, \frac{2}{N'} X_B^\top r, \qquad
        b \leftarrow b - \eta\, \frac{2}{N'} \sum_{i \in B} r_i, \qquad
        r = X_B w + b - y_B ,

    then computes the validation MSE and gives it, with
    ``params = {"w": w, "b": b}`` (``b`` of shape (1,)), to an
    ``EarlyStopping(patience)`` monitor. Training ends when the monitor says so
    or after ``epochs`` epochs; then the monitor restores the best epoch's
    parameters, which are returned.

    Parameters
    ----------
    X : array of shape (N, D)
        Training inputs, N >= 1.
    y : array of shape (N,)
        Training targets.
    X_val : array of shape (N_val, D)
        Validation inputs, N_val >= 1.
    y_val : array of shape (N_val,)
        Validation targets.
    lr : float
        Learning rate :math:`\eta > 0`.
    epochs : int
        The most passes over the training set, >= 1.
    batch_size : int
        Samples per batch, passed to :func:`minibatches`.
    patience : int
        Passed to :class:`EarlyStopping`.
    rng : numpy.random.Generator
        Passed to :func:`minibatches` (one call per epoch); nothing else draws from it.

    Returns
    -------
    w : array of shape (D,)
        ``params["w"]`` read after the monitor's ``restore``: the best epoch's weights.
    b : float
        ``params["b"][0]`` after the ``restore``: the best epoch's intercept.
    history : list of float
        The validation MSE after each epoch that ran.

    Raises
    ------
    ValueError
        When the arguments are not as above, or when the iterates overflow
        (``lr`` too large for the data).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 2))
    >>> y = X @ np.array([2.0, -1.0]) + 0.5
    >>> w, b, history = train_linear(X[:30], y[:30], X[30:], y[30:], lr=0.1, epochs=200,
    ...                              batch_size=8, patience=3, rng=rng)
    >>> w.round(6), round(b, 6), len(history) < 200
    (array([ 2., -1.]), 0.5, True)

    """
    xp = get_xp(X, y, X_val, y_val)
    X, y = _check_regression_data(xp, X, y, "X", "y", "N")
    X_val, y_val = _check_regression_data(xp, X_val, y_val, "X_val", "y_val", "N_val")
    if X_val.shape[1] != X.shape[1]:
        raise ValueError(f"X_val must have the D = {X.shape[1]} columns of X; "
                         f"got shape {tuple(X_val.shape)}")
    check_positive(lr, "lr")
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_positive(patience, "patience", integer=True)
    check_rng(rng)
    try:
        return _train_linear(xp, X, y, X_val, y_val, lr, epochs, batch_size, patience, rng)
    except ValueError as err:  # the predictions overflowed: mse and mse_grad reject them
        raise ValueError(f"training diverged: lower the learning rate lr = {lr}") from err


def _train_linear(xp, X, y, X_val, y_val, lr, epochs, batch_size, patience, rng):
    """Core of :func:`train_linear` on checked arguments.

    Calls ``minibatches`` and ``EarlyStopping`` through this module's globals, so
    that a grading case can replace them with stand-ins.
    """
    params = {"w": xp.zeros(X.shape[1], dtype=X.dtype, device=device(X)),
              "b": xp.zeros(1, dtype=X.dtype, device=device(X))}
    stopper = EarlyStopping(patience)
    history = []
    for _ in range(epochs):
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            dy = mse_grad(X_batch @ params["w"] + params["b"], y_batch)  # (2/N') r
            params = {"w": params["w"] - lr * (X_batch.T @ dy),
                      "b": params["b"] - lr * xp.sum(dy, axis=0, keepdims=True)}
        history.append(mse(X_val @ params["w"] + params["b"], y_val))
        if stopper.update(history[-1], params):
            break
    stopper.restore(params)
    return params["w"], float(params["b"][0]), history


def _check_intercept(b):
    """Return the intercept ``b`` (a real number or a 0-d array) as a finite Python float."""
    try:
        value = float(b)
    except (TypeError, ValueError):
        raise TypeError(f"b must be a real number (the intercept); got {b!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"b must be finite; got {value}")
    return value


def ridge_step(X, y, w, b, lr, lam):
    r"""One gradient step on a batch's mean squared error plus an L2 penalty on the weights.

    The loss is :math:`C(w, b) = \frac1N \lVert X w + b - y \rVert^2 + \lambda \lVert w \rVert^2`
    (the intercept is not penalized). Its gradient adds :math:`2 \lambda w` to the
    mean squared error's, so the step shrinks the weights by a constant factor
    before the usual update (*weight decay*):

    .. math::

        w \leftarrow (1 - 2 \eta \lambda)\, w - \eta\, \frac2N X^\top r, \qquad
        b \leftarrow b - \eta\, \frac2N \sum_i r_i, \qquad r = X w + b - y .

    With ``lam = 0`` it is one plain gradient step of :func:`train_linear`.

    Parameters
    ----------
    X : array of shape (N, D)
        The batch's inputs, N >= 1.
    y : array of shape (N,)
        The batch's targets.
    w : array of shape (D,)
        Weights; not modified.
    b : float
        Intercept.
    lr : float
        Learning rate :math:`\eta > 0`.
    lam : float
        Penalty strength :math:`\lambda \ge 0`.

    Returns
    -------
    w : array of shape (D,)
        The new weights.
    b : float
        The new intercept.

    Examples
    --------
    >>> import numpy as np
    >>> w, b = ridge_step(np.array([[1.0], [-1.0]]), np.array([1.0, -1.0]), np.array([1.0]), 0.0,
    ...                   0.25, 1.0)
    >>> w, b                   # a perfect fit: only the penalty acts, w (1 - 2 * 0.25 * 1)
    (array([0.5]), 0.0)

    """
    xp = get_xp(X, y, w)
    X, y = _check_regression_data(xp, X, y, "X", "y", "N")
    w = as_float_array(w, "w", ndim=1, shape=f"({X.shape[1]},)", finite=True, xp=xp)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},), one weight per column of X; "
                         f"got {tuple(w.shape)}")
    b = _check_intercept(b)
    lr = check_positive(lr, "lr")
    lam = check_positive(lam, "lam", allow_zero=True)
    dy = mse_grad(X @ w + b, y)                                  # (2/N) r
    return w - lr * (X.T @ dy + (2.0 * lam) * w), b - lr * float(xp.sum(dy))


class History(NamedTuple):
    """Per-epoch learning curves returned by :func:`fit`."""

    train_loss: list
    """Mean loss on the whole training set after each epoch (evaluation mode)."""
    train_accuracy: list
    """Accuracy on the whole training set after each epoch."""
    val_loss: list
    """Mean loss on the validation set after each epoch."""
    val_accuracy: list
    """Accuracy on the validation set after each epoch."""


def evaluate(model, X, y):
    """Mean softmax cross-entropy and accuracy of ``model`` on ``(X, y)``, in evaluation mode.

    Parameters
    ----------
    model : MLP or any object with ``forward(X, training=False) -> (logits, cache)``
    X : array of shape (N, D)
    y : int array of shape (N,)

    Returns
    -------
    loss : float
    acc : float

    """
    logits, _ = model.forward(X, training=False)
    predicted = get_xp(logits).argmax(logits, axis=1)
    return softmax_cross_entropy(logits, y), accuracy(predicted, y)


def fit(model, X_train, y_train, *, X_val, y_val, optimizer, epochs, batch_size, rng,
        early_stopping=None):
    """Train ``model`` with mini-batches and record learning curves.

    Each epoch visits every training sample once in a random order, one
    :meth:`~solutions.network.MLP.train_step` per batch, then evaluates the
    whole training and validation sets. The data are validated once, here
    (with the model's ``check_input``), not at every batch. With ``early_stopping`` the loop ends
    when it says so and the model gets the parameters of its best epoch back,
    with that epoch's batch-norm running statistics (``model.bn_state``, if any).

    Parameters
    ----------
    model : MLP
        Anything with ``check_input``, ``train_step``, ``forward`` and ``params``
        like :class:`solutions.network.MLP`; trained in place.
    X_train : array of shape (N, D)
    y_train : int array of shape (N,)
    X_val : array of shape (N_val, D)
    y_val : int array of shape (N_val,)
    optimizer : object with ``update(params, grads)``
    epochs : int
        Maximum number of passes over the training set.
    batch_size : int
    rng : numpy.random.Generator
        Shuffles the batches and draws dropout masks.
    early_stopping : EarlyStopping, optional
        Watches the validation loss.

    Returns
    -------
    history : History

    """
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_rng(rng)
    X_train, y_train = model.check_input(X_train, y_train)
    X_val, y_val = model.check_input(X_val, y_val)
    xp, n = get_xp(X_train), X_train.shape[0]
    history = History([], [], [], [])
    best_state = getattr(model, "bn_state", None)
    for epoch in range(epochs):
        order = permutation(rng, n, xp, device(X_train))
        for X_batch, y_batch in _batches(xp, X_train, y_train, batch_size, order):
            model.train_step(X_batch, y_batch, optimizer, rng=rng, check_input=False)
        for curves, X, y in ((history[:2], X_train, y_train), (history[2:], X_val, y_val)):
            for curve, value in zip(curves, evaluate(model, X, y), strict=True):
                curve.append(value)
        if early_stopping is None:
            continue
        stop = early_stopping.update(history.val_loss[-1], model.params)
        if early_stopping.best_epoch == epoch:  # replaced, never modified: no copy needed
            best_state = getattr(model, "bn_state", None)
        if stop:
            break
    if early_stopping is not None:
        early_stopping.restore(model.params)
        if best_state is not None:
            model.bn_state = best_state
    return history
