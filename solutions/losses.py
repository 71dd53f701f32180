"""Chapter 3: loss functions and their gradients.

Each loss is a pair ``name(pred, target) -> float`` and
``name_grad(pred, target) -> dpred``, where the gradient is taken with
respect to the first argument (predictions, probabilities, scores or
logits) and already includes the 1/N of the mean over the batch. The
elementwise losses (MSE, MAE, binary cross-entropy, hinge) average over
every entry, so N is ``target.size``; softmax cross-entropy averages over
the N rows.

Softmax cross-entropy, which ends every classifier in this course, is also a
forward/backward pair like the layers (``softmax_cross_entropy_forward`` and
``_backward``), so a network computes the softmax once per step.

Shapes use N (samples) and C (classes or outputs).
"""

import math
from typing import NamedTuple

from solutions.backend import device, get_xp, is_array_api_obj
from solutions.regression import mse, mse_grad
from solutions.validation import (
    as_float_array,
    as_prediction_pair,
    check_positive,
    check_same_length,
)

__all__ = [
    "BCE_EPS",
    "mse",
    "mse_grad",
    "mae",
    "mae_grad",
    "huber",
    "huber_grad",
    "log_cosh",
    "log_cosh_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "hinge",
    "hinge_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "SoftmaxCrossEntropyCache",
    "softmax_cross_entropy_forward",
    "softmax_cross_entropy_backward",
]

#: Probabilities are clipped to ``[BCE_EPS, 1 - BCE_EPS]`` before the logarithm
#: in :func:`binary_cross_entropy`, so a confident wrong answer costs at most
#: ``-log(BCE_EPS)`` (about 27.6) instead of infinity. In float32, where
#: ``1 - 1e-12`` rounds to 1, the float32 machine epsilon (about 1.2e-7) is used.
BCE_EPS = 1e-12


def _check_in(xp, values, name, low, high, hint):
    """Raise ValueError unless every entry of ``values`` lies in [low, high]."""
    if not bool(xp.all((values >= low) & (values <= high))):
        raise ValueError(f"{name} must lie in [{low}, {high}]; got values from "
                         f"{float(xp.min(values))} to {float(xp.max(values))} ({hint})")


def mae(y_pred, y):
    r"""Mean absolute error :math:`\frac{1}{n}\sum_i |\hat y_i - y_i|`.

    Unlike the MSE it does not square the errors, so one outlier with a
    large error weighs in linearly, not quadratically.

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
        Predictions.
    y : array of the same shape
        Targets.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> mae([1.0, 2.0], [2.0, 4.0])  # (1 + 2) / 2; mse would give (1 + 4) / 2
    1.5

    """
    xp = get_xp(y_pred, y)
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y", xp=xp)
    return float(xp.mean(xp.abs(y_pred - y)))


def mae_grad(y_pred, y):
    r"""Gradient of :func:`mae`, :math:`\mathrm{sign}(\hat y - y) / n` (0 where they are equal).

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
    y : array of the same shape

    Returns
    -------
    dy_pred : array of the same shape and dtype as ``y_pred``

    Examples
    --------
    >>> mae_grad([3.0, 0.0, 1.0, 5.0], [1.0, 2.0, 1.0, 5.0])
    array([ 0.25, -0.25,  0.  ,  0.  ])

    """
    xp = get_xp(y_pred, y)
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y", xp=xp)
    return xp.sign(y_pred - y) / math.prod(y.shape)


def huber(y_pred, y, delta=1.0):
    r"""Huber loss :math:`\frac1n \sum_k h_\delta(\hat y_k - y_k)`: quadratic near 0, then linear.

    :math:`h_\delta(u) = u^2/2` for :math:`|u| \le \delta` and
    :math:`\delta(|u| - \delta/2)` otherwise: the MSE's curvature for small
    errors, the MAE's robustness to outliers for large ones.

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
    y : array of the same shape
    delta : float, default 1.0
        Where the quadratic part ends; positive.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> huber([0.5, 3.0], [0.0, 0.0])  # (0.125 + (3 - 0.5)) / 2
    1.3125

    """
    xp = get_xp(y_pred, y)
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y", xp=xp)
    delta = check_positive(delta, "delta")
    size = xp.abs(y_pred - y)
    return float(xp.mean(xp.where(size <= delta, size**2 / 2, delta * (size - delta / 2))))


def huber_grad(y_pred, y, delta=1.0):
    """Gradient of :func:`huber` with respect to ``y_pred``.

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
    y : array of the same shape
    delta : float, default 1.0
        Positive.

    Returns
    -------
    dy_pred : array of the same shape and dtype as ``y_pred``

    Examples
    --------
    >>> huber_grad([0.5, 3.0], [0.0, 0.0])
    array([0.25, 0.5 ])

    """
    xp = get_xp(y_pred, y)
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y", xp=xp)
    delta = check_positive(delta, "delta")
    return xp.clip(y_pred - y, -delta, delta) / math.prod(y.shape)


def log_cosh(y_pred, y):
    r"""Log-cosh loss :math:`\frac1n \sum_k \log\cosh(\hat y_k - y_k)`, another smooth robust loss.

    About :math:`u^2/2` for small errors :math:`u` and :math:`|u| - \log 2` for
    large ones; computed as :math:`|u| + \log(1 + e^{-2|u|}) - \log 2`, which
    never overflows.

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
    y : array of the same shape

    Returns
    -------
    loss : float

    Examples
    --------
    >>> round(log_cosh([1000.0, 0.0], [0.0, 0.0]), 6)  # (1000 - log 2 + 0) / 2
    499.653426

    """
    xp = get_xp(y_pred, y)
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y", xp=xp)
    size = xp.abs(y_pred - y)
    return float(xp.mean(size + xp.log1p(xp.exp(-2 * size)) - math.log(2.0)))


def log_cosh_grad(y_pred, y):
    """Gradient of :func:`log_cosh` with respect to ``y_pred``.

    Parameters
    ----------
    y_pred : array of shape (N,) or (N, C)
    y : array of the same shape

    Returns
    -------
    dy_pred : array of the same shape and dtype as ``y_pred``

    Examples
    --------
    >>> log_cosh_grad([1000.0, 0.0, -1000.0, 0.0], [0.0, 0.0, 0.0, 0.0])
    array([ 0.25,  0.  , -0.25,  0.  ])

    """
    xp = get_xp(y_pred, y)
    y_pred, y = as_prediction_pair(y_pred, y, "y_pred", "y", xp=xp)
    return xp.tanh(y_pred - y) / math.prod(y.shape)


def _clip_probabilities(xp, p):
    """Return ``p`` clipped to [eps, 1 - eps], eps = BCE_EPS or the dtype's epsilon if larger."""
    eps = max(BCE_EPS, float(xp.finfo(p.dtype).eps))
    return xp.clip(p, eps, 1.0 - eps)


def _check_probabilities(p, y):
    """Validate probabilities ``p`` and targets ``y`` of the same shape, both in [0, 1]."""
    xp = get_xp(p, y)
    p, y = as_prediction_pair(p, y, "p", "y", xp=xp)
    _check_in(xp, p, "p", 0, 1, "probabilities; for logits apply sigmoid first")
    _check_in(xp, y, "y", 0, 1, "targets are 0/1 labels or probabilities")
    return xp, p, y


def binary_cross_entropy(p, y):
    r"""Binary cross-entropy (log loss) :math:`-\frac1n \sum_i [y_i \log p_i + (1-y_i)\log(1-p_i)]`.

    ``p`` is clipped to ``[BCE_EPS, 1 - BCE_EPS]`` first (see :data:`BCE_EPS`),
    so a probability of exactly 0 or 1 gives a large but finite loss.

    Parameters
    ----------
    p : array of shape (N,) or (N, C)
        Predicted probabilities of class 1, in [0, 1] (e.g. a sigmoid output).
    y : array of the same shape
        Targets in [0, 1]: labels 0/1, or soft labels.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> round(binary_cross_entropy([0.9, 0.2], [1, 0]), 4)  # -(log 0.9 + log 0.8) / 2
    0.1643

    """
    xp, p, y = _check_probabilities(p, y)
    p = _clip_probabilities(xp, p)
    return float(-xp.mean(y * xp.log(p) + (1 - y) * xp.log1p(-p)))


def binary_cross_entropy_grad(p, y):
    r"""Gradient of :func:`binary_cross_entropy` w.r.t. ``p``, :math:`\frac{p - y}{n\,p(1-p)}`.

    Computed at the clipped probabilities (see :data:`BCE_EPS`), so it stays
    finite at 0 and 1. Through a sigmoid, :math:`p = \sigma(z)`, the factor
    :math:`\sigma'(z) = p(1-p)` cancels and :math:`\partial L/\partial z = (p - y)/n`.

    Parameters
    ----------
    p : array of shape (N,) or (N, C)
    y : array of the same shape

    Returns
    -------
    dp : array of the same shape as ``p``

    Examples
    --------
    >>> binary_cross_entropy_grad([0.5, 0.5], [1, 0])
    array([-1.,  1.])

    """
    xp, p, y = _check_probabilities(p, y)
    q = _clip_probabilities(xp, p)
    return (q - y) / (q * (1 - q) * math.prod(y.shape))


def _check_scores_signs(scores, y):
    """Validate scores and targets of the same shape, targets in {-1, +1}."""
    xp = get_xp(scores, y)
    scores, y = as_prediction_pair(scores, y, "scores", "y", xp=xp)
    if not bool(xp.all((y == -1) | (y == 1))):
        raise ValueError("y must hold labels -1 or +1 for the hinge loss; "
                         "for 0/1 labels use 2 * y - 1")
    return xp, scores, y


def hinge(scores, y):
    r"""Hinge loss :math:`\frac1n \sum_i \max(0, 1 - y_i s_i)`, the loss of a linear SVM.

    A sample costs nothing once it is on the right side with margin
    :math:`y s \ge 1`; inside the margin or on the wrong side it costs linearly.

    Parameters
    ----------
    scores : array of shape (N,) or (N, C)
        Raw scores :math:`s` (not probabilities).
    y : array of the same shape
        Labels -1 or +1.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> hinge([2.0, 0.5, -1.0], [1, 1, 1])  # (0 + 0.5 + 2) / 3
    0.8333333333333334

    """
    xp, scores, y = _check_scores_signs(scores, y)
    return float(xp.mean(xp.maximum(1 - y * scores, 0.0)))


def hinge_grad(scores, y):
    r"""(Sub)gradient of :func:`hinge`: :math:`-y_i/n` where :math:`y_i s_i < 1`, else 0.

    At the kink :math:`y s = 1` we take 0, the gradient from the flat side.

    Parameters
    ----------
    scores : array of shape (N,) or (N, C)
    y : array of the same shape, labels -1 or +1

    Returns
    -------
    dscores : array of the same shape and dtype as ``scores``

    Examples
    --------
    >>> hinge_grad([2.0, 0.5, 0.5, -1.0], [1, 1, -1, -1])
    array([ 0.  , -0.25,  0.25,  0.  ])

    """
    xp, scores, y = _check_scores_signs(scores, y)
    return xp.where(y * scores < 1, -y / math.prod(y.shape), 0.0)


def _check_logits_labels(logits, labels):
    """Validate logits (N, C) and integer labels (N,) in [0, C)."""
    xp = get_xp(logits, labels)
    logits = as_float_array(logits, "logits", ndim=2, shape="(N, C)", xp=xp)
    labels = _check_labels(xp, labels, logits.shape[1])
    check_same_length("logits", logits, "labels", labels)
    return xp, logits, labels


def _check_labels(xp, labels, n_classes):
    """Return ``labels`` as a non-empty 1-D integer array of ``xp`` with values in [0, C).

    Parameters
    ----------
    xp : module
        The namespace of the logits.
    labels : array-like of shape (N,)
    n_classes : int
        C, the number of classes.

    Returns
    -------
    labels : int array of shape (N,)

    """
    labels = labels if is_array_api_obj(labels) else xp.asarray(labels)
    integral = labels.dtype == xp.int64 or xp.isdtype(labels.dtype, "integral")
    if labels.ndim != 1 or not integral:
        raise ValueError(
            "labels must be a 1-D array of integer class indices of shape (N,); "
            f"got dtype {labels.dtype} and shape {tuple(labels.shape)} "
            "(one-hot rows? use argmax(axis=1))"
        )
    if labels.shape[0] == 0:
        raise ValueError("logits and labels are empty: the mean loss of no samples is undefined")
    low, high = int(xp.min(labels)), int(xp.max(labels))
    if low < 0 or high >= n_classes:
        raise ValueError(
            f"labels must lie in [0, {n_classes - 1}] for {n_classes} columns of logits; "
            f"got values from {low} to {high}"
        )
    return labels


class SoftmaxCrossEntropyCache(NamedTuple):
    """What :func:`softmax_cross_entropy_backward` needs from the forward pass."""

    probs: object
    """Softmax probabilities :math:`P` of shape (N, C)."""
    onehot: object
    """The labels one-hot, :math:`Y` of shape (N, C), in the dtype of ``probs``."""


def softmax_cross_entropy_forward(logits, labels):
    r"""Mean softmax cross-entropy and the cache for its gradient, in one pass.

    With :math:`s_i = z_i - \max_c z_{ic}` (the log-sum-exp trick), the loss is
    :math:`\frac1N \sum_i \big(\log \sum_c e^{s_{ic}} - s_{i, y_i}\big)`, finite
    even for logits of ±1000. The same exponentials give the probabilities.

    Parameters
    ----------
    logits : array of shape (N, C)
        Unnormalized class scores.
    labels : int array of shape (N,)
        The correct class of each sample, in ``[0, C)``.

    Returns
    -------
    loss : float
    cache : SoftmaxCrossEntropyCache
    """
    return _softmax_cross_entropy_forward(*_check_logits_labels(logits, labels))


def _softmax_cross_entropy_forward(xp, logits, labels):
    """Core of :func:`softmax_cross_entropy_forward` on checked logits and labels."""
    shifted = logits - xp.max(logits, axis=1, keepdims=True)
    probs = xp.exp(shifted)
    totals = xp.sum(probs, axis=1)
    is_label = labels[:, None] == xp.arange(logits.shape[1], device=device(labels))
    picked = xp.sum(xp.where(is_label, shifted, 0.0), axis=1)  # s_{i, y_i}
    loss = float(xp.sum(xp.log(totals) - picked)) / labels.shape[0]
    probs /= totals[:, None]
    return loss, SoftmaxCrossEntropyCache(probs, xp.astype(is_label, probs.dtype))


def softmax_cross_entropy_backward(dloss, cache):
    r"""Gradient w.r.t. the logits, :math:`\mathrm{dloss} \cdot (P - Y) / N`.

    Parameters
    ----------
    dloss : float
        Upstream gradient of the (scalar) loss; 1.0 for the loss itself.
    cache : SoftmaxCrossEntropyCache
        From :func:`softmax_cross_entropy_forward`; not modified.

    Returns
    -------
    dlogits : array of shape (N, C)
    """
    return _softmax_cross_entropy_backward(get_xp(cache.probs, cache.onehot), float(dloss), cache)


def _softmax_cross_entropy_backward(xp, dloss, cache):
    """Core of :func:`softmax_cross_entropy_backward` (``dloss`` a float)."""
    probs, onehot = cache
    dlogits = probs - onehot
    dlogits *= dloss / probs.shape[0]
    return dlogits


def softmax_cross_entropy(logits, labels):
    r"""Mean cross-entropy of softmax probabilities, :math:`-\frac1N \sum_i \log p_{i, y_i}`.

    Computed from the logits with the log-sum-exp trick, so logits of ±1000
    give a finite loss.

    Parameters
    ----------
    logits : array of shape (N, C)
        Unnormalized class scores.
    labels : int array of shape (N,)
        The correct class of each sample, in ``[0, C)``.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> softmax_cross_entropy([[1000.0, 0.0], [0.0, 0.0]], [0, 1])  # (0 + log 2) / 2
    0.34657359027997264
    """
    return softmax_cross_entropy_forward(logits, labels)[0]


def softmax_cross_entropy_grad(logits, labels):
    r"""Gradient of :func:`softmax_cross_entropy` w.r.t. the logits, :math:`(P - Y)/N`.

    ``P`` is the softmax of the logits and ``Y`` the one-hot labels.

    Parameters
    ----------
    logits : array of shape (N, C)
    labels : int array of shape (N,)

    Returns
    -------
    dlogits : array of shape (N, C)

    Examples
    --------
    >>> softmax_cross_entropy_grad([[0.0, 0.0]], [1])
    array([[ 0.5, -0.5]])
    """
    return softmax_cross_entropy_backward(1.0, softmax_cross_entropy_forward(logits, labels)[1])
