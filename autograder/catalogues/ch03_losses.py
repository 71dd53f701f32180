"""Chapter 3, loss functions: the mistakes learners make, part by part."""

from autograder.mistakes import Mistake

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
_SCE_GRAD = ("def softmax_cross_entropy_grad(logits, labels):\n" + _LABELS
             + "    e = np.exp({SCORES})\n"
               "    grad = e / e.sum(axis=1, keepdims=True)\n"
               "    grad[np.arange(len(labels)), labels] -= 1\n"
               "    return grad{SCALE}\n")

MISTAKES = {
    "mse": (
        Mistake("the squared errors were summed instead of averaged",
                "Divide the sum by the number of entries n (N, or N * C).",
                "def mse(y_pred, y):\n" + _SAME_SHAPE.format(a="y_pred")
                + "    return float(np.sum((y_pred - y) ** 2))\n"),
        Mistake("arrays of different shapes were broadcast instead of refused",
                "(N, 1) minus (N,) broadcasts to (N, N); compare the shapes and raise "
                "ValueError first.",
                "def mse(y_pred, y):\n"
                "    return float(np.mean((y_pred - y) ** 2))\n"),
    ),
    "mse_grad": (
        Mistake("the factor 2 of the derivative was dropped",
                "The derivative of (y_pred - y) ** 2 is 2 (y_pred - y).",
                "def mse_grad(y_pred, y):\n" + _SAME_SHAPE.format(a="y_pred")
                + "    return (y_pred - y) / y.size\n"),
        Mistake("the gradient was divided by the rows instead of every entry",
                "For an (N, C) array the mean runs over all N * C entries, so divide by y.size.",
                "def mse_grad(y_pred, y):\n" + _SAME_SHAPE.format(a="y_pred")
                + "    return 2.0 * (y_pred - y) / len(y)\n"),
    ),
    "mae": (
        Mistake("the signed errors were averaged before taking the absolute value",
                "Take |y_pred - y| entry by entry, then the mean, so errors cannot cancel.",
                "def mae(y_pred, y):\n" + _SAME_SHAPE.format(a="y_pred")
                + "    return float(abs(np.mean(y_pred - y)))\n"),
        Mistake("the absolute errors were divided by the rows instead of every entry",
                "For an (N, C) array the mean runs over all N * C entries.",
                "def mae(y_pred, y):\n" + _SAME_SHAPE.format(a="y_pred")
                + "    return float(np.sum(np.abs(y_pred - y)) / len(y))\n"),
    ),
    "mae_grad": (
        Mistake("the kink was given the slope of one side",
                "At y_pred == y the course takes the subgradient 0, as np.sign(0) does.",
                "def mae_grad(y_pred, y):\n" + _SAME_SHAPE.format(a="y_pred")
                + "    return np.where(y_pred >= y, 1.0, -1.0).astype(y_pred.dtype) / y.size\n"),
        Mistake("the 1/n of the mean was dropped",
                "The loss is a mean, so each entry's slope is sign(y_pred - y) / n.",
                "def mae_grad(y_pred, y):\n" + _SAME_SHAPE.format(a="y_pred")
                + "    return np.sign(y_pred - y)\n"),
    ),
    "binary_cross_entropy": (
        Mistake("the probabilities were not clipped before the logarithm",
                "log(0) is -inf: clip p to [eps, 1 - eps] first.",
                "def binary_cross_entropy(p, y):\n" + _PROBABILITIES
                + "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
        Mistake("the clipping used 1e-12 also for float32",
                "In float32, 1 - 1e-12 rounds to 1; use eps = max(1e-12, np.finfo(p.dtype).eps).",
                "def binary_cross_entropy(p, y):\n" + _PROBABILITIES
                + "    q = np.clip(p, 1e-12, 1 - 1e-12)\n"
                  "    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))\n"),
    ),
    "binary_cross_entropy_grad": (
        Mistake("the gradient with respect to the logit was returned instead",
                "(p - y) / n is the gradient with respect to the score before the sigmoid; "
                "this part asks for the derivative with respect to p itself.",
                "def binary_cross_entropy_grad(p, y):\n" + _PROBABILITIES
                + "    return (p - y) / y.size\n"),
        Mistake("the gradient was set to 0 where the clipping acts",
                "Evaluate (q - y) / (n q (1 - q)) at the clipped q everywhere.",
                "def binary_cross_entropy_grad(p, y):\n" + _PROBABILITIES
                + "    eps = max(1e-12, float(np.finfo(p.dtype).eps))\n"
                  "    q = np.clip(p, eps, 1 - eps)\n"
                  "    grad = (q - y) / (q * (1 - q) * y.size)\n"
                  "    return np.where((p < eps) | (p > 1 - eps), 0.0, grad).astype(p.dtype)\n"),
    ),
    "softmax_cross_entropy": (
        Mistake("the row maximum was not subtracted before exp",
                "Subtract each row's maximum from its logits (log-sum-exp) so exp never "
                "overflows.",
                "def softmax_cross_entropy(logits, labels):\n" + _LABELS
                + "    e = np.exp(logits)\n"
                  "    p = e / e.sum(axis=1, keepdims=True)\n"
                  "    return float(-np.mean(np.log(p[np.arange(len(labels)), labels])))\n"),
        Mistake("the labels were used without being checked",
                "Raise ValueError for labels that are not 1-D integers in [0, C - 1], one "
                "per row.",
                "def softmax_cross_entropy(logits, labels):\n"
                "    shifted = logits - logits.max(axis=1, keepdims=True)\n"
                "    log_sums = np.log(np.exp(shifted).sum(axis=1))\n"
                "    return float(np.mean(log_sums - shifted[np.arange(len(logits)), labels]))\n"),
    ),
    "softmax_cross_entropy_grad": (
        Mistake("the 1/N of the mean was dropped",
                "The loss is a mean over the rows, so the gradient is (P - Y) / N.",
                _SCE_GRAD.replace("{SCORES}", "logits - logits.max(axis=1, keepdims=True)")
                .replace("{SCALE}", "")),
        Mistake("the row maximum was not subtracted before exp",
                "Subtract each row's maximum from its logits so exp never overflows.",
                _SCE_GRAD.replace("{SCORES}", "logits").replace("{SCALE}", " / len(labels)")),
    ),
    "hinge": (
        Mistake("the margin of 1 was left out",
                "The hinge loss is max(0, 1 - y s): a correct score below 1 still costs.",
                "def hinge(scores, y):\n" + _SIGNS
                + "    return float(np.mean(np.maximum(0.0, -y * scores)))\n"),
    ),
    "hinge_grad": (
        Mistake("the kink was given the slope of the sloped side",
                "Where y s == 1 the course takes the subgradient 0: the slope applies only "
                "where y s < 1.",
                "def hinge_grad(scores, y):\n" + _SIGNS
                + "    return np.where(y * scores <= 1, -y / y.size, 0.0)\n"),
        Mistake("the sign of the gradient was flipped",
                "d/ds of 1 - y s is -y.",
                "def hinge_grad(scores, y):\n" + _SIGNS
                + "    return np.where(y * scores < 1, y / y.size, 0.0)\n"),
    ),
}
