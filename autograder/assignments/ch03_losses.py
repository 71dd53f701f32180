"""Chapter 3, loss functions and their gradients: the manifest.

Twelve parts, 30 points. By kind:

* *implement*, ten parts, 20 points: each loss of the chapter and its gradient with
  respect to the predictions, probabilities, logits or scores. The chapter prints each
  formula as mathematics (never as code), and the notebook points to the equation; the
  learner turns it into batched NumPy with its conventions (the 1/n, clipping with a
  dtype-dependent epsilon, log-sum-exp, integer labels, the subgradient at a kink).
* *derive*, ``huber_grad``, 5 points: the gradient of the Huber loss, which the chapter
  and the notebook define but whose derivative neither prints.
* *verify*, ``log_cosh_grad``, 5 points: the notebook gives a gradient of the log-cosh
  loss with three planted bugs (a sign, a divisor that is right only for vectors, an
  overflow at large errors); the learner finds them with a central-difference check
  of their own against the given loss and submits the fixed function.

Ten of 30 points, a third, are derive or verify.

Conventions (all from :mod:`solutions.losses`): the elementwise losses average
over every entry (n = N or N * C), the softmax cross-entropy over the N rows;
gradients include that 1/n and keep the dtype of their first argument.
Tolerances: float64 results within ``rtol=1e-6`` of the reference (each entry is a few
operations on the inputs, so any correct order of operations agrees to about 1e-15);
float32 results within ``rtol=1e-5, atol=1e-6`` and of dtype float32.
"""

import numpy as np

from autograder.catalogues.ch03_losses import MISTAKES
from autograder.manifest import Assignment, Case, Close, Part, Section
from autograder.mistakes import catalogued
from solutions import losses as ref

MSE_MAE = Section("ch03-mse-mae", "Chapter 3, 'The mean squared error and the mean absolute error'")
GRADS = Section("ch03-gradients-regression", "Chapter 3, 'Their gradients'")
BCE = Section("ch03-bce", "Chapter 3, 'Binary cross-entropy in detail'")
SOFTMAX_CE = Section("ch03-softmax-ce", "Chapter 3, 'Softmax cross-entropy from logits'")
HINGE = Section("ch03-hinge", "Chapter 3, 'The hinge loss and the margin'")
HUBER = Section("ch03-huber", "Chapter 3, 'The Huber loss'")
CHECK = Section("ch03-mistakes", "Chapter 3, 'Common mistakes' (checking a gradient numerically)")

F32 = Close(rtol=1e-5, atol=1e-6, dtype=True)
"""float32 results: the reference's dtype, float32 precision."""


def _f32(*arrays):
    return tuple(np.asarray(a, dtype=np.float32) for a in arrays)


def _ints(rng, low, high, size):
    """Integers as floats (exact predictions hit the kink of |u| and of the hinge)."""
    return rng.integers(low, high, size=size).astype(float)


# --- MSE ------------------------------------------------------------------------------------

def _hidden_mse(rng):
    yield Case("mse of random vectors", (rng.normal(size=7), rng.normal(size=7)))
    yield Case("mse of (N, C) arrays should average over all N * C entries",
               (rng.normal(size=(5, 3)), rng.normal(size=(5, 3))))
    yield Case("mse should reject y_pred of shape (N, 1) against y of shape (N,) with ValueError",
               (rng.normal(size=(4, 1)), rng.normal(size=4)), raises=ValueError)


def _hidden_mse_grad(rng):
    yield Case("mse_grad of random vectors", (rng.normal(size=6), rng.normal(size=6)))
    yield Case("mse_grad of (N, C) arrays: divide by n = N * C",
               (rng.normal(size=(4, 3)), rng.normal(size=(4, 3))))
    yield Case("mse_grad on float32 inputs (a float32 result)",
               _f32(rng.normal(size=(3, 2)), rng.normal(size=(3, 2))), check=F32)
    yield Case("mse_grad should reject shapes (N,) and (N, 1) with ValueError",
               (rng.normal(size=5), rng.normal(size=(5, 1))), raises=ValueError)


# --- MAE ------------------------------------------------------------------------------------

def _hidden_mae(rng):
    yield Case("mae of random vectors", (rng.normal(size=8), rng.normal(size=8)))
    yield Case("mae of (N, C) arrays should average over all N * C entries",
               (rng.normal(size=(4, 3)), rng.normal(size=(4, 3))))
    yield Case("mae should reject y_pred of shape (N, 1) against y of shape (N,) with ValueError",
               (rng.normal(size=(3, 1)), rng.normal(size=3)), raises=ValueError)


def _hidden_mae_grad(rng):
    yield Case("mae_grad is sign(y_pred - y) / n, with 0 where y_pred == y",
               (_ints(rng, -3, 4, 12), _ints(rng, -3, 4, 12)))
    yield Case("mae_grad of (N, C) arrays: divide by n = N * C",
               (_ints(rng, -2, 3, (3, 4)), _ints(rng, -2, 3, (3, 4))))
    yield Case("mae_grad on float32 inputs (a float32 result)",
               _f32(_ints(rng, -2, 3, 6), _ints(rng, -2, 3, 6)), check=F32)
    yield Case("mae_grad should reject shapes (N,) and (N, 1) with ValueError",
               (rng.normal(size=4), rng.normal(size=(4, 1))), raises=ValueError)


# --- binary cross-entropy -------------------------------------------------------------------

def _probabilities(rng, size):
    return rng.uniform(0.02, 0.98, size=size)


def _hidden_bce(rng):
    yield Case("binary_cross_entropy of probabilities and 0/1 labels",
               (_probabilities(rng, 9), rng.integers(0, 2, size=9).astype(float)))
    yield Case("binary_cross_entropy of (N, C) arrays with soft labels: mean over N * C entries",
               (_probabilities(rng, (3, 4)), rng.uniform(0, 1, size=(3, 4))))
    p = rng.permutation([0.0, 1.0, 0.0, 1.0, 0.5])
    yield Case("binary_cross_entropy at p = 0 and p = 1 must be finite and warn-free "
               "(clip to [1e-12, 1 - 1e-12] in float64)",
               (p, rng.integers(0, 2, size=5).astype(float)), strict_fp=True)
    yield Case("binary_cross_entropy in float32 clips with the float32 epsilon 2**-23",
               _f32(rng.permutation([0.0, 1.0, 0.25]), rng.integers(0, 2, size=3)),
               strict_fp=True, check=Close(rtol=1e-5, atol=1e-6))
    yield Case("binary_cross_entropy should reject probabilities outside [0, 1] with ValueError",
               (np.array([0.5, 1.0 + rng.uniform(0.1, 2.0)]), np.array([1.0, 0.0])),
               raises=ValueError)
    yield Case("binary_cross_entropy should reject p of shape (N, 1) against y of shape (N,) "
               "with ValueError", (_probabilities(rng, (3, 1)), np.array([1.0, 0.0, 1.0])),
               raises=ValueError)


def _hidden_bce_grad(rng):
    yield Case("binary_cross_entropy_grad is (p - y) / (n p (1 - p))",
               (_probabilities(rng, 7), rng.integers(0, 2, size=7).astype(float)))
    yield Case("binary_cross_entropy_grad of (N, C) arrays with soft labels: divide by N * C",
               (_probabilities(rng, (2, 3)), rng.uniform(0, 1, size=(2, 3))))
    p = rng.permutation([0.0, 1.0, 0.0, 1.0])
    yield Case("binary_cross_entropy_grad at p = 0 and p = 1: evaluate the formula at the "
               "clipped probabilities (finite, no warning)",
               (p, 1.0 - p), strict_fp=True)
    yield Case("binary_cross_entropy_grad in float32: float32 result, clipped with the float32 "
               "epsilon 2**-23", _f32(rng.permutation([0.0, 1.0, 0.5]), np.array([1.0, 0.0, 1.0])),
               strict_fp=True, check=F32)
    yield Case("binary_cross_entropy_grad should reject probabilities outside [0, 1] "
               "with ValueError", (np.array([-rng.uniform(0.1, 1.0), 0.5]), np.array([0.0, 1.0])),
               raises=ValueError)
    yield Case("binary_cross_entropy_grad should reject p of shape (N, 1) against y of shape "
               "(N,) with ValueError", (_probabilities(rng, (2, 1)), np.array([0.0, 1.0])),
               raises=ValueError)


# --- softmax cross-entropy ------------------------------------------------------------------

def _hidden_sce(rng):
    yield Case("softmax_cross_entropy of random logits (N = 5, C = 4)",
               (rng.normal(scale=2.0, size=(5, 4)), rng.integers(0, 4, size=5)))
    big = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -999.0], [0.0, 1000.0, 999.0]])
    yield Case("softmax_cross_entropy of logits near ±1000 must be finite and warn-free "
               "(log-sum-exp on shifted logits)",
               (big + rng.normal(size=(3, 1)), rng.integers(0, 3, size=3)), strict_fp=True)
    yield Case("softmax_cross_entropy should reject one-hot labels of shape (N, C) with ValueError",
               (rng.normal(size=(3, 3)), np.eye(3, dtype=np.int64)[rng.permutation(3)]),
               raises=ValueError)
    yield Case("softmax_cross_entropy should reject labels outside [0, C - 1] with ValueError",
               (rng.normal(size=(2, 3)), np.array([0, 3 + int(rng.integers(0, 3))])),
               raises=ValueError)
    yield Case("softmax_cross_entropy should reject a negative label with ValueError",
               (rng.normal(size=(2, 3)), np.array([-1 - int(rng.integers(0, 3)), 0])),
               raises=ValueError)
    yield Case("softmax_cross_entropy should reject labels whose length is not N with ValueError",
               (rng.normal(size=(3, 2)), rng.integers(0, 2, size=4)), raises=ValueError)


def _hidden_sce_grad(rng):
    yield Case("softmax_cross_entropy_grad is (P - Y) / N",
               (rng.normal(scale=2.0, size=(4, 5)), rng.integers(0, 5, size=4)))
    big = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -999.0]])
    yield Case("softmax_cross_entropy_grad of logits near ±1000 must be finite and warn-free",
               (big + rng.normal(size=(2, 1)), rng.integers(0, 3, size=2)), strict_fp=True)
    yield Case("softmax_cross_entropy_grad on float32 inputs (a float32 result)",
               (rng.normal(size=(3, 4)).astype(np.float32), rng.integers(0, 4, size=3)),
               check=F32)
    yield Case("softmax_cross_entropy_grad should reject one-hot labels of shape (N, C) "
               "with ValueError", (rng.normal(size=(2, 2)), np.eye(2, dtype=np.int64)),
               raises=ValueError)


# --- hinge ----------------------------------------------------------------------------------

def _signs(rng, size):
    return rng.choice([-1.0, 1.0], size=size)


def _hidden_hinge(rng):
    yield Case("hinge of random scores and ±1 labels",
               (rng.normal(scale=1.5, size=8), _signs(rng, 8)))
    yield Case("hinge of (N, C) arrays should average over all N * C entries",
               (rng.normal(scale=1.5, size=(3, 4)), _signs(rng, (3, 4))))
    yield Case("hinge should reject 0/1 labels with ValueError (convert them with 2 * y - 1)",
               (rng.normal(size=4), np.array([0.0, 1.0, 1.0, 0.0])), raises=ValueError)
    yield Case("hinge should reject scores of shape (N, 1) against y of shape (N,) "
               "with ValueError", (rng.normal(size=(3, 1)), np.array([1.0, -1.0, 1.0])),
               raises=ValueError)


def _hidden_hinge_grad(rng):
    y = _signs(rng, 10)
    margins = rng.permutation([1.0, 1.0, 0.5, -0.5, 2.0, 1.5, 0.0, -2.0, 1.0, 0.25])
    yield Case("hinge_grad is -y / n where y * s < 1 and 0 where y * s >= 1 (0 exactly at the "
               "margin)", (margins * y, y))
    yield Case("hinge_grad of (N, C) arrays: divide by n = N * C",
               (rng.normal(scale=1.5, size=(2, 3)), _signs(rng, (2, 3))))
    yield Case("hinge_grad on float32 inputs (a float32 result)",
               _f32(rng.normal(size=5), _signs(rng, 5)), check=F32)
    yield Case("hinge_grad should reject 0/1 labels with ValueError",
               (rng.normal(size=3), np.array([1.0, 0.0, 1.0])), raises=ValueError)
    yield Case("hinge_grad should reject scores of shape (N, 1) against y of shape (N,) "
               "with ValueError", (rng.normal(size=(2, 1)), np.array([1.0, -1.0])),
               raises=ValueError)



# --- derive: the Huber loss -----------------------------------------------------------------

def _hidden_huber_grad(rng):
    delta = float(rng.uniform(0.3, 2.0))
    yield Case("huber_grad of random errors on both sides of delta",
               (rng.normal(scale=2.0, size=9), rng.normal(scale=0.5, size=9), delta))
    yield Case("huber_grad of (N, C) arrays: the mean is over all N * C entries",
               (rng.normal(scale=2.0, size=(3, 4)), rng.normal(size=(3, 4)), delta))
    yield Case("huber_grad with the default delta = 1",
               (rng.normal(scale=2.0, size=6), rng.normal(size=6)))
    yield Case("huber_grad at errors of exactly ±delta (the two pieces meet there)",
               (_ints(rng, -3, 4, 8), np.zeros(8), 2.0))
    yield Case("huber_grad on float32 inputs (a float32 result)",
               _f32(rng.normal(scale=2.0, size=5), rng.normal(size=5)) + (delta,), check=F32)
    yield Case("huber_grad should reject delta <= 0 with ValueError",
               (rng.normal(size=3), rng.normal(size=3), -float(rng.uniform(0.0, 1.0))),
               raises=ValueError)
    yield Case("huber_grad should reject shapes (N, 1) and (N,) with ValueError",
               (rng.normal(size=(3, 1)), rng.normal(size=3), delta), raises=ValueError)


# --- verify: a given log-cosh gradient with planted bugs --------------------------------------

def _hidden_log_cosh_grad(rng):
    yield Case("log_cosh_grad of random errors",
               (rng.normal(scale=2.0, size=8), rng.normal(size=8)))
    yield Case("log_cosh_grad of (N, C) arrays: the mean is over all N * C entries",
               (rng.normal(scale=2.0, size=(4, 3)), rng.normal(size=(4, 3))))
    yield Case("log_cosh_grad at errors of ±1000 must be finite: ±1/n",
               (rng.permutation([1000.0, -1000.0, 800.0, 0.5]) * rng.uniform(1.0, 1.2),
                np.zeros(4)))
    yield Case("log_cosh_grad on float32 inputs (a float32 result)",
               _f32(rng.normal(scale=2.0, size=6), rng.normal(size=6)), check=F32)
    yield Case("log_cosh_grad should reject shapes (N, 1) and (N,) with ValueError",
               (rng.normal(size=(2, 1)), rng.normal(size=2)), raises=ValueError)

ASSIGNMENT = Assignment("ch03_losses", "losses.ipynb", (
    Part("mse", 1, MSE_MAE, ref.mse, (
        Case("mse should average the squared errors over all entries",
             (np.array([3.0, 0.0, 1.0, 5.0]), np.array([1.0, 2.0, 1.0, 5.0]))),
        Case("mse of (N, C) arrays should divide by N * C",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 0.0]]))),
        Case("mse should reject y_pred of shape (N, 1) against y of shape (N,) with ValueError",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0])), raises=ValueError),
    ), _hidden_mse),
    Part("mse_grad", 1, GRADS, ref.mse_grad, (
        Case("mse_grad should be 2 / n * (y_pred - y)",
             (np.array([3.0, 0.0, 1.0, 5.0]), np.array([1.0, 2.0, 1.0, 5.0]))),
        Case("mse_grad of (N, C) arrays should divide by n = N * C",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 0.0]]))),
        Case("mse_grad should keep float32 in float32",
             _f32([1.0, 2.0, 4.0], [0.0, 2.0, 1.0]), check=F32),
        Case("mse_grad should reject shapes (N, 1) and (N,) with ValueError",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0])), raises=ValueError),
    ), _hidden_mse_grad),
    Part("mae", 1, MSE_MAE, ref.mae, (
        Case("mae should average the absolute errors over all entries",
             (np.array([3.0, 0.0, 1.0, 5.0]), np.array([1.0, 2.0, 1.0, 5.0]))),
        Case("mae of (N, C) arrays should divide by N * C",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 0.0]]))),
        Case("mae should reject y_pred of shape (N, 1) against y of shape (N,) with ValueError",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0])), raises=ValueError),
    ), _hidden_mae),
    Part("mae_grad", 2, GRADS, ref.mae_grad, (
        Case("mae_grad is sign(y_pred - y) / n, with 0 where y_pred == y",
             (np.array([3.0, 0.0, 1.0, 5.0]), np.array([1.0, 2.0, 1.0, 5.0]))),
        Case("mae_grad of (N, C) arrays should divide by n = N * C",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 0.0]]))),
        Case("mae_grad should keep float32 in float32",
             _f32([1.0, 2.0, 4.0], [0.0, 2.0, 5.0]), check=F32),
        Case("mae_grad should reject shapes (N, 1) and (N,) with ValueError",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0])), raises=ValueError),
    ), _hidden_mae_grad),
    Part("binary_cross_entropy", 2, BCE, ref.binary_cross_entropy, (
        Case("binary_cross_entropy([0.9, 0.2], [1, 0]) = -(log 0.9 + log 0.8) / 2",
             (np.array([0.9, 0.2]), np.array([1.0, 0.0]))),
        Case("binary_cross_entropy of (N, C) arrays with soft labels: mean over N * C entries",
             (np.array([[0.9, 0.5], [0.3, 0.6]]), np.array([[1.0, 0.25], [0.0, 0.75]]))),
        Case("binary_cross_entropy at p = 0 and p = 1 must be finite and warn-free "
             "(clip to [1e-12, 1 - 1e-12] in float64)",
             (np.array([0.0, 1.0, 1.0]), np.array([0.0, 1.0, 0.0])), strict_fp=True),
        Case("binary_cross_entropy in float32 clips with the float32 epsilon 2**-23",
             _f32([1.0, 0.5], [0.0, 1.0]), strict_fp=True, check=Close(rtol=1e-5, atol=1e-6)),
        Case("binary_cross_entropy should reject probabilities outside [0, 1] with ValueError",
             (np.array([0.5, 1.5]), np.array([1.0, 0.0])), raises=ValueError),
        Case("binary_cross_entropy should reject p of shape (N, 1) against y of shape (N,) "
             "with ValueError", (np.array([[0.5], [0.5]]), np.array([1.0, 0.0])),
             raises=ValueError),
    ), _hidden_bce),
    Part("binary_cross_entropy_grad", 3, BCE, ref.binary_cross_entropy_grad, (
        Case("binary_cross_entropy_grad is (p - y) / (n p (1 - p))",
             (np.array([0.9, 0.2]), np.array([1.0, 0.0]))),
        Case("binary_cross_entropy_grad of (N, C) arrays with soft labels: divide by N * C",
             (np.array([[0.9, 0.5], [0.3, 0.6]]), np.array([[1.0, 0.25], [0.0, 0.75]]))),
        Case("binary_cross_entropy_grad at p = 0 and p = 1: evaluate the formula at the "
             "clipped probabilities (finite, no warning)",
             (np.array([0.0, 1.0]), np.array([1.0, 0.0])), strict_fp=True),
        Case("binary_cross_entropy_grad in float32: float32 result, clipped with the float32 "
             "epsilon 2**-23", _f32([1.0, 0.5], [0.0, 1.0]), strict_fp=True, check=F32),
        Case("binary_cross_entropy_grad should reject probabilities outside [0, 1] "
             "with ValueError", (np.array([-0.5, 0.5]), np.array([0.0, 1.0])), raises=ValueError),
        Case("binary_cross_entropy_grad should reject p of shape (N, 1) against y of shape "
             "(N,) with ValueError", (np.array([[0.5], [0.5]]), np.array([1.0, 0.0])),
             raises=ValueError),
    ), _hidden_bce_grad),
    Part("softmax_cross_entropy", 3, SOFTMAX_CE, ref.softmax_cross_entropy, (
        Case("softmax_cross_entropy of logits [[2, 1, 0]] with label 0 is -log softmax(z)_0",
             (np.array([[2.0, 1.0, 0.0]]), np.array([0]))),
        Case("softmax_cross_entropy averages over the N rows",
             (np.array([[0.0, 0.0], [1.0, 3.0], [2.0, -1.0]]), np.array([1, 0, 0]))),
        Case("softmax_cross_entropy of logits near ±1000 must be finite and warn-free "
             "(log-sum-exp on shifted logits)",
             (np.array([[1000.0, 0.0], [-1000.0, -999.0]]), np.array([1, 0])), strict_fp=True),
        Case("softmax_cross_entropy should reject one-hot labels of shape (N, C) with ValueError",
             (np.zeros((2, 2)), np.array([[1, 0], [0, 1]])), raises=ValueError),
        Case("softmax_cross_entropy should reject labels outside [0, C - 1] with ValueError",
             (np.zeros((2, 3)), np.array([0, 3])), raises=ValueError),
        Case("softmax_cross_entropy should reject a negative label with ValueError",
             (np.zeros((2, 3)), np.array([-1, 0])), raises=ValueError),
        Case("softmax_cross_entropy should reject labels whose length is not N with ValueError",
             (np.zeros((2, 3)), np.array([0, 1, 2])), raises=ValueError),
    ), _hidden_sce),
    Part("softmax_cross_entropy_grad", 3, SOFTMAX_CE, ref.softmax_cross_entropy_grad, (
        Case("softmax_cross_entropy_grad of [[0, 0]] with label 1 is [[0.5, -0.5]]",
             (np.array([[0.0, 0.0]]), np.array([1]))),
        Case("softmax_cross_entropy_grad is (P - Y) / N",
             (np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]), np.array([0, 2]))),
        Case("softmax_cross_entropy_grad of logits near ±1000 must be finite and warn-free",
             (np.array([[1000.0, 0.0], [-1000.0, -999.0]]), np.array([1, 0])), strict_fp=True),
        Case("softmax_cross_entropy_grad should keep float32 in float32",
             (np.array([[1.0, 2.0], [0.5, -0.5]], dtype=np.float32), np.array([0, 1])),
             check=F32),
        Case("softmax_cross_entropy_grad should reject one-hot labels of shape (N, C) "
             "with ValueError", (np.zeros((2, 2)), np.array([[1, 0], [0, 1]])), raises=ValueError),
    ), _hidden_sce_grad),
    Part("hinge", 1, HINGE, ref.hinge, (
        Case("hinge([2, 0.5, -1], [1, 1, 1]) = (0 + 0.5 + 2) / 3",
             (np.array([2.0, 0.5, -1.0]), np.array([1.0, 1.0, 1.0]))),
        Case("hinge of (N, C) arrays should average over all N * C entries",
             (np.array([[2.0, 0.5], [0.5, -1.0]]), np.array([[1.0, 1.0], [-1.0, -1.0]]))),
        Case("hinge should reject 0/1 labels with ValueError (convert them with 2 * y - 1)",
             (np.array([0.5, -0.5]), np.array([1.0, 0.0])), raises=ValueError),
        Case("hinge should reject scores of shape (N, 1) against y of shape (N,) "
             "with ValueError", (np.array([[0.5], [0.5]]), np.array([1.0, -1.0])),
             raises=ValueError),
    ), _hidden_hinge),
    Part("hinge_grad", 3, HINGE, ref.hinge_grad, (
        Case("hinge_grad is -y / n where y * s < 1 and 0 where y * s >= 1 (0 exactly at the "
             "margin)", (np.array([2.0, 0.5, 0.5, -1.0]), np.array([1.0, 1.0, -1.0, -1.0]))),
        Case("hinge_grad of (N, C) arrays should divide by n = N * C",
             (np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([[1.0, 1.0], [-1.0, 1.0]]))),
        Case("hinge_grad should keep float32 in float32",
             _f32([0.5, 3.0], [1.0, -1.0]), check=F32),
        Case("hinge_grad should reject 0/1 labels with ValueError",
             (np.array([0.5, -0.5]), np.array([1.0, 0.0])), raises=ValueError),
        Case("hinge_grad should reject scores of shape (N, 1) against y of shape (N,) "
             "with ValueError", (np.array([[0.5], [0.5]]), np.array([1.0, -1.0])),
             raises=ValueError),
    ), _hidden_hinge_grad),
    Part("huber_grad", 5, HUBER, ref.huber_grad, (
        Case("huber_grad is the error / n inside [-delta, delta]",
             (np.array([0.5, -0.25, 1.0]), np.array([0.0, 0.0, 0.5]), 1.0)),
        Case("huber_grad beyond delta: the slope of the linear piece, over n",
             (np.array([3.0, -4.0, 0.5, 0.0]), np.array([0.0, 0.0, 0.0, 1.0]), 2.0)),
        Case("huber_grad of (N, C) arrays should divide by n = N * C",
             (np.array([[1.0, 5.0], [-3.0, 0.25]]), np.zeros((2, 2)), 1.5)),
        Case("huber_grad with the default delta = 1",
             (np.array([0.5, 2.0]), np.array([0.0, 0.0]))),
        Case("huber_grad should keep float32 in float32",
             _f32([3.0, -0.5], [0.0, 0.0]) + (1.0,), check=F32),
        Case("huber_grad should reject delta <= 0 with ValueError",
             (np.array([1.0]), np.array([0.0]), 0.0), raises=ValueError),
    ), _hidden_huber_grad, kind="derive"),
    Part("log_cosh_grad", 5, CHECK, ref.log_cosh_grad, (
        Case("log_cosh_grad at errors 0 and 0.5",
             (np.array([0.0, 0.5]), np.array([0.0, 0.0]))),
        Case("log_cosh_grad should reject shapes (N, 1) and (N,) with ValueError",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0])), raises=ValueError),
    ), _hidden_log_cosh_grad, kind="verify"),
))
ASSIGNMENT = catalogued(ASSIGNMENT, MISTAKES)
