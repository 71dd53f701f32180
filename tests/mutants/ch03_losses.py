"""Chapter 3 mutants: plausible mistakes, at least one per graded part.

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE``
in one solution cell (the function body, indented by four spaces). Grading a
notebook with every other cell solved must cost exactly that part's points.
"""

from tests.mutants import Mutant

_SAME_SHAPE = ("    if {a}.shape != y.shape:\n"
               "        raise ValueError('shapes differ')\n")
_PROBABILITIES = (_SAME_SHAPE.format(a="p")
                  + "    if np.any((p < 0) | (p > 1)):\n"
                    "        raise ValueError('p must lie in [0, 1]')\n")
_LABELS = ("    if labels.ndim != 1 or labels.dtype.kind not in 'iu':\n"
           "        raise ValueError('labels must be 1-D integers')\n"
           "    if len(labels) != len(logits):\n"
           "        raise ValueError('one label per row')\n"
           "    if np.any((labels < 0) | (labels >= logits.shape[1])):\n"
           "        raise ValueError('label out of range')\n")
_SIGNS = (_SAME_SHAPE.format(a="scores")
          + "    if not np.all((y == 1) | (y == -1)):\n"
            "        raise ValueError('labels must be -1 or +1')\n")

MUTANTS = {
    # Part 1: a sum, not a mean; a mean that lets (N, 1) and (N,) broadcast.
    "mse_without_mean": Mutant(
        "mse", _SAME_SHAPE.format(a="y_pred") + "    return float(np.sum((y_pred - y) ** 2))\n"),
    "mse_broadcasts_shapes": Mutant("mse", "    return float(np.mean((y_pred - y) ** 2))\n"),
    # Part 2: the factor 2 forgotten; divided by the rows only.
    "mse_grad_without_2": Mutant(
        "mse_grad", _SAME_SHAPE.format(a="y_pred") + "    return (y_pred - y) / y.size\n"),
    "mse_grad_over_rows": Mutant(
        "mse_grad", _SAME_SHAPE.format(a="y_pred") + "    return 2.0 * (y_pred - y) / len(y)\n"),
    # Part 3: the signed errors cancel; the mean over rows of a row sum.
    "mae_without_abs": Mutant(
        "mae", _SAME_SHAPE.format(a="y_pred") + "    return float(abs(np.mean(y_pred - y)))\n"),
    "mae_over_rows": Mutant(
        "mae", _SAME_SHAPE.format(a="y_pred")
        + "    return float(np.sum(np.abs(y_pred - y)) / len(y))\n"),
    # Part 4: the kink taken from one side (sign(0) = +1); the 1/n forgotten.
    "mae_grad_one_sided_kink": Mutant(
        "mae_grad", _SAME_SHAPE.format(a="y_pred")
        + "    return np.where(y_pred >= y, 1.0, -1.0).astype(y_pred.dtype) / y.size\n"),
    "mae_grad_without_mean": Mutant(
        "mae_grad", _SAME_SHAPE.format(a="y_pred") + "    return np.sign(y_pred - y)\n"),
    # Part 5: no clipping (log 0); the float64 epsilon used in float32 too (1 - 1e-12 == 1).
    "bce_unclipped": Mutant(
        "binary_cross_entropy", _PROBABILITIES
        + "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
    "bce_fixed_epsilon": Mutant(
        "binary_cross_entropy", _PROBABILITIES
        + "    q = np.clip(p, 1e-12, 1 - 1e-12)\n"
          "    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))\n"),
    # Part 6: the gradient with respect to the logit, (p - y) / n, instead of p; zero where
    # clipping acts (the derivative of the clipped function).
    "bce_grad_logit_gradient": Mutant(
        "binary_cross_entropy_grad", _PROBABILITIES + "    return (p - y) / y.size\n"),
    "bce_grad_zero_where_clipped": Mutant(
        "binary_cross_entropy_grad", _PROBABILITIES
        + "    eps = max(1e-12, float(np.finfo(p.dtype).eps))\n"
          "    q = np.clip(p, eps, 1 - eps)\n"
          "    grad = (q - y) / (q * (1 - q) * y.size)\n"
          "    return np.where((p < eps) | (p > 1 - eps), 0.0, grad).astype(p.dtype)\n"),
    # Part 7: exponentials of raw logits (overflow at 1000); labels used unchecked.
    "sce_without_shift": Mutant(
        "softmax_cross_entropy", _LABELS
        + "    e = np.exp(logits)\n"
          "    p = e / e.sum(axis=1, keepdims=True)\n"
          "    return float(-np.mean(np.log(p[np.arange(len(labels)), labels])))\n"),
    "sce_unchecked_labels": Mutant(
        "softmax_cross_entropy",
        "    shifted = logits - logits.max(axis=1, keepdims=True)\n"
        "    log_sums = np.log(np.exp(shifted).sum(axis=1))\n"
        "    return float(np.mean(log_sums - shifted[np.arange(len(logits)), labels]))\n"),
    # Part 8: the 1/N forgotten; overflow without the shift.
    "sce_grad_without_mean": Mutant(
        "softmax_cross_entropy_grad", _LABELS
        + "    e = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
          "    grad = e / e.sum(axis=1, keepdims=True)\n"
          "    grad[np.arange(len(labels)), labels] -= 1\n"
          "    return grad\n"),
    "sce_grad_without_shift": Mutant(
        "softmax_cross_entropy_grad", _LABELS
        + "    e = np.exp(logits)\n"
          "    grad = e / e.sum(axis=1, keepdims=True)\n"
          "    grad[np.arange(len(labels)), labels] -= 1\n"
          "    return grad / len(labels)\n"),
    # Part 9: the perceptron's loss max(0, -y s), without the margin of 1.
    "hinge_without_margin": Mutant(
        "hinge", _SIGNS + "    return float(np.mean(np.maximum(0.0, -y * scores)))\n"),
    # Part 10: the kink taken from the sloped side (y s <= 1); the gradient's sign flipped.
    "hinge_grad_sloped_kink": Mutant(
        "hinge_grad", _SIGNS + "    return np.where(y * scores <= 1, -y / y.size, 0.0)\n"),
    "hinge_grad_wrong_sign": Mutant(
        "hinge_grad", _SIGNS + "    return np.where(y * scores < 1, y / y.size, 0.0)\n"),
}
