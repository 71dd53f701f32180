"""Chapter 3: loss functions and their gradients.

Each loss is a pair ``name(pred, target) -> float`` and
``name_grad(pred, target) -> dpred``, where the gradient is taken with
respect to the first argument (predictions, probabilities or logits) and
already includes the 1/N of the mean over the batch.
"""

from solutions.backend import get_xp
from solutions.regression import mse, mse_grad
from solutions.validation import as_float_array, check_same_length

__all__ = [
    "mse",
    "mse_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]


def _check_logits_labels(logits, labels):
    """Validate logits (N, C) and integer labels (N,) in [0, C)."""
    logits = as_float_array(logits, "logits", ndim=2, shape="(N, C)")
    xp = get_xp(logits, labels)
    labels = xp.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            "labels must be a 1-D array of integer class indices of shape (N,); "
            f"got dtype {labels.dtype} and shape {labels.shape} (one-hot rows? use argmax(axis=1))"
        )
    check_same_length("logits", logits, "labels", labels)
    n_classes = logits.shape[1]
    if labels.size and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        raise ValueError(
            f"labels must lie in [0, {n_classes - 1}] for {n_classes} columns of logits; "
            f"got values from {int(labels.min())} to {int(labels.max())}"
        )
    if labels.size == 0:
        raise ValueError("logits and labels are empty: the mean loss of no samples is undefined")
    return logits, labels


def _log_softmax(logits):
    """Row-wise log-probabilities via the log-sum-exp trick, shape (N, C)."""
    xp = get_xp(logits)
    shifted = logits - xp.max(logits, axis=1, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))


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
    logits, labels = _check_logits_labels(logits, labels)
    xp = get_xp(logits)
    log_p = _log_softmax(logits)
    return float(-xp.mean(log_p[xp.arange(labels.size), labels]))


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
    logits, labels = _check_logits_labels(logits, labels)
    xp = get_xp(logits)
    n = labels.size
    dlogits = xp.exp(_log_softmax(logits))
    dlogits[xp.arange(n), labels] -= 1.0
    dlogits /= n
    return dlogits
