"""Chapter 2, perceptrons and multilayer networks: the manifest.

Eight parts, 20 points. By kind:

* *implement*, six parts, 13 points: ``step``, ``perceptron_predict``,
  ``perceptron_update``, ``perceptron_fit`` (specified in words only: visiting order,
  stopping rule, what it returns), ``two_layer_forward`` (the layer formula with an
  activation chosen by name) and ``mistake_bound`` (the convergence theorem's definitions
  turned into a computation).
* *derive*, ``squared_hinge_grad``, 4 points: the gradient with respect to (w, b) of the
  linear SVM's objective with the hinge squared. The chapter gives the objective and the
  gradient of the plain hinge version; the squared version's gradient is printed nowhere.
* *experiment*, ``fit_circle``, 3 points: a class inside a disc is not linearly separable;
  the learner chooses features, learning rate and epochs for a perceptron, and the grader
  retrains it on hidden discs (random centre and radius, 200 training points) and
  requires accuracy >= 0.9 on 300 hidden test points, computed in the grader from the
  returned labels. The reference (inputs and their squares, lr 1, up to 1,000 epochs)
  scored at least 0.95 on 2,000 seeds; a perceptron on the raw inputs about 0.5.

Seven of 20 points, 35 %, are derive or experiment.

Training data for ``perceptron_fit`` are small integers and the learning rates
powers of two, so every score is computed exactly whatever the order of the
additions in the learner's code: ties at a score of 0 are decided by the
convention step(0) = 1 alone, never by rounding.

Tolerances: ``mistake_bound``'s margins are at least 1/2 before normalizing, so any correct
order of operations gives (R / gamma)^2 within a few unit roundoffs, compared with rtol
1e-9. Its hidden boundary point lies on a (w, b) of norm 2, so the margin is exactly 0
whether (w, b) is normalized before or after the scores (with a norm such as sqrt(14),
normalizing first gave 4e-16 instead of 0 on 1.5 % of seeds, and no exception).
``two_layer_forward`` is compared with rtol 1e-6, atol 1e-9 in float64, far above the
rounding of its sums of at most 6 terms.
``squared_hinge_grad``: dw and db are sums over N <= 12 samples, each term a few roundings
of a score of D + 1 <= 4 terms; each entry within 2 gamma_24 of the magnitudes summed
(``HINGE_SUMS``), whatever the order. ``fit_circle`` is judged by the accuracy it reaches
(``Within``), not by the reference's labels.
"""

import numpy as np

from autograder.catalogues.ch02_perceptrons import MISTAKES
from autograder.manifest import (
    Assignment,
    Case,
    Close,
    Part,
    Rng,
    Rounding,
    Section,
    Within,
)
from autograder.mistakes import catalogued
from solutions import network
from solutions import perceptron as ref
from solutions.layers import dense_forward

PERCEPTRON = Section("ch02-perceptron", "Chapter 2, 'The perceptron: a neuron with a step'")
RULE = Section("ch02-learning-rule", "Chapter 2, 'The perceptron learning rule'")
FIT = Section("ch02-fit", "Chapter 2, 'Epochs, order and when to stop'")
MATRIX = Section("ch02-matrix-form", "Chapter 2, 'A layer in matrix form'")
BOUND = Section("ch02-convergence-check", "Chapter 2, 'Checking the bound on data'")
SQUARED_HINGE = Section("ch02-squared-hinge", "Chapter 2, 'A smooth hinge'")
FEATURES = Section("ch02-separability", "Chapter 2, 'Linear separability: AND, OR and XOR'")

ACTIVATIONS = ("step", "sigmoid", "identity")


def two_layer_forward(X, W1, b1, W2, b2, activation):
    """Compute the library's two-layer forward pass, with "step" and "identity" added.

    ``solutions.network.two_layer_forward`` offers the smooth activations; the
    step is the perceptron's, composed here from the library's dense layer.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")
    if activation == "sigmoid":
        return network.two_layer_forward(X, W1, b1, W2, b2, activation="sigmoid")
    f = ref.step if activation == "step" else (lambda z: z)
    hidden = f(dense_forward(X, W1, b1)[0])
    return f(dense_forward(hidden, W2, b2)[0])


_GATES = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_AND, _OR, _XOR = (np.array(v) for v in ([0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 1.0],
                                         [0.0, 1.0, 1.0, 0.0]))
_XOR_W1, _XOR_B1 = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5])
_XOR_W2, _XOR_B2 = np.array([[1.0], [-1.0]]), np.array([-0.5])

# The array w after the call is compared with the reference's, which leaves it unchanged.
_NO_MUTATION = """perceptron_update(w, b, x, y, lr)
result = w"""


def _integer_data(rng, n, d):
    """Small-integer inputs labelled by an integer hyperplane with a half-integer bias.

    Returns X (n, d), labels y (n,) and the separating (w, b): no score is exactly 0.
    """
    X = rng.integers(-3, 4, size=(n, d)).astype(float)
    w_true = rng.integers(-3, 4, size=d).astype(float)
    w_true[0] = rng.choice([-2.0, 2.0])                   # never the zero vector
    b_true = float(rng.choice([-0.5, 0.5]))
    return X, (X @ w_true + b_true > 0).astype(float), w_true, b_true


def _on_boundary(rng, n):
    """Small-integer inputs (n, 3), labels, and a (w, b) of norm 2 with X[0] on its boundary.

    Every entry of w and b is ±1, so |(w, b)| = 2: normalizing (w, b) divides by a power of
    two, exactly, and every score, normalized or not, is exact. X[0]'s margin is 0 in any
    order of the operations, never 4e-16.
    """
    X = rng.integers(-3, 4, size=(n, 3)).astype(float)
    w, b = rng.choice([-1.0, 1.0], size=3), float(rng.choice([-1.0, 1.0]))
    X[0, 0] -= (X[0] @ w + b) * w[0]                      # now X[0] @ w + b == 0
    return X, (X @ w + b >= 0).astype(float), w, b


def _hidden_step(rng):
    z = rng.normal(size=(3, 4))
    z[0, 1] = z[2, 3] = 0.0
    yield Case("step of a (3, 4) array with exact zeros: step(0) = 1", (z,))
    yield Case("step on float32 inputs (a float32 result)", (z.astype(np.float32),),
               check=Close(dtype=True))
    yield Case("step of a long vector", (rng.normal(scale=10.0, size=50),))


def _hidden_predict(rng):
    X = rng.normal(size=(8, 3))
    yield Case("perceptron_predict of random data", (X, rng.normal(size=3), float(rng.normal())))
    w = rng.integers(-2, 3, size=2).astype(float)
    b = -float(w @ _GATES[3])                 # the input (1, 1) has score exactly 0
    yield Case("perceptron_predict with an input exactly on the boundary (step(0) = 1)",
               (_GATES, w, b))


def _hidden_update(rng):
    x, w = rng.normal(size=4), rng.normal(size=4)
    z = float(x @ w)
    yield Case("perceptron_update on a missed 1 (score -0.3, label 1)",
               (w, -0.3 - z, x, 1.0, float(rng.uniform(0.1, 2.0))))
    yield Case("perceptron_update on a false alarm (score +0.3, label 0)",
               (w, 0.3 - z, x, 0.0, float(rng.uniform(0.1, 2.0))))
    yield Case("perceptron_update on a right answer changes nothing",
               (w, 0.3 - z, x, 1.0, float(rng.uniform(0.1, 2.0))))
    x_int, w_int = (rng.integers(-3, 4, size=3).astype(float) for _ in range(2))
    yield Case("perceptron_update on a false alarm with score exactly 0 (step(0) = 1, error -1)",
               (w_int, -float(x_int @ w_int), x_int, 0.0, 0.5))
    w, x = rng.normal(size=3), rng.normal(size=3)
    yield Case("perceptron_update must not modify the array w it is given", program=_NO_MUTATION,
               inputs={"w": w, "b": 0.0, "x": x, "y": float(x @ w < 0), "lr": 1.0})


def _hidden_fit(rng):
    X, y, _, _ = _integer_data(rng, 12, 3)
    yield Case("perceptron_fit on separable data should converge: same w, b and mistakes per "
               "epoch as the specified procedure", (X, y, 1.0, 1000, Rng(rng.integers(1000))))
    X, y, _, _ = _integer_data(rng, 9, 2)
    yield Case("perceptron_fit with lr = 0.5 on separable data", (X, y, 0.5, 1000,
                                                                 Rng(rng.integers(1000))))
    X = rng.integers(-3, 4, size=(10, 2)).astype(float)
    y = rng.integers(0, 2, size=10).astype(float)
    y[:2] = [0.0, 1.0]
    X[1] = X[0]                                # the same input with both labels: not separable
    yield Case("perceptron_fit on data that are not separable should stop after `epochs` "
               "epochs", (X, y, 1.0, 7, Rng(rng.integers(1000))))
    yield Case("perceptron_fit on XOR", (_GATES, _XOR, 0.25, 4, Rng(rng.integers(1000))))


def _hidden_forward(rng):
    n, d, h, m = (int(v) for v in rng.integers(2, 6, size=4))
    args = (rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=h),
            rng.normal(size=(h, m)), rng.normal(size=m))
    for name in ACTIVATIONS:
        yield Case(f"two_layer_forward with activation {name!r}, N={n}, D={d}, H={h}, M={m}",
                   (*args, name))
    yield Case("two_layer_forward should raise ValueError for an unknown activation",
               (*args, "tanh"), raises=ValueError)


def _hidden_bound(rng):
    X, y, w_true, b_true = _integer_data(rng, 15, 3)
    scale = float(rng.uniform(0.5, 3.0))
    yield Case("mistake_bound of separable data with a separating (w, b)",
               (X, y, scale * w_true, scale * b_true), check=Close(rtol=1e-9))
    yield Case("mistake_bound: the bias belongs to the vector that is normalized, and R "
               "includes the constant input 1",
               (_GATES, _OR, np.array([1.0, 1.0]) * 3.0, -1.5), check=Close(rtol=1e-9))
    yield Case("mistake_bound should raise ValueError when (w, b) leaves examples on the "
               "wrong side", (X, 1.0 - y, w_true, b_true), raises=ValueError)
    yield Case("mistake_bound should raise ValueError when an example lies on the boundary",
               _on_boundary(rng, 15), raises=ValueError)



def _hinge_magnitudes(X, s, w, b, lam):
    """Return the magnitudes summed in dw and db: through |g_i| <= 2 (1 + |x_i| |w| + |b|) / N."""
    g = 2.0 * (1.0 + np.abs(X) @ np.abs(w) + abs(b)) / len(s)
    return lam * np.abs(w) + g @ np.abs(X), float(g.sum())


HINGE_SUMS = Rounding(_hinge_magnitudes, n=24)
"""24 >= N + D + 8 roundings for N <= 12, D <= 3."""


def _margin_data(rng, n, d):
    """Return X, signs s and w for which some samples lie inside the margin and some beyond."""
    X, w = rng.normal(size=(n, d)), rng.normal(size=d)
    return X, rng.choice([-1.0, 1.0], size=n), w * float(rng.uniform(0.5, 2.0))


def _hidden_squared_hinge(rng):
    X, s, w = _margin_data(rng, 12, 3)
    yield Case("squared_hinge_grad of random data with a penalty",
               (X, s, w, float(rng.normal()), float(rng.uniform(0.1, 2.0))), check=HINGE_SUMS)
    yield Case("squared_hinge_grad with lam = 0: the mean squared hinge alone",
               (X, s, w, float(rng.normal()), 0.0), check=HINGE_SUMS)
    X, _, w = _margin_data(rng, 8, 2)
    yield Case("squared_hinge_grad when every margin is above 1: the penalty's gradient alone",
               (X, np.where(X @ w >= 0, 1.0, -1.0), 50.0 * w, 0.0, float(rng.uniform(0.1, 1.0))),
               check=HINGE_SUMS)
    yield Case("squared_hinge_grad should reject labels 0/1 with ValueError",
               (X, rng.permutation([0.0, 1.0] * 4), w, 0.0, 0.5), raises=ValueError)


def _disc(rng, n, centre, r2):
    """Return n points of [-2, 2]^2 at least 0.4 from |x - centre|^2 = r2, labelled 1 inside."""
    X = rng.uniform(-2.0, 2.0, size=(6 * n, 2))
    X = X[np.abs(np.sum((X - centre) ** 2, axis=1) - r2) > 0.4][:n]
    return X, (np.sum((X - centre) ** 2, axis=1) < r2).astype(float)


def _accuracy_on(y_test):
    """Return the measure of a classifier: its accuracy on the hidden labels y_test."""
    def measure(pred):
        if pred.shape != y_test.shape:
            raise ValueError(f"expected labels of shape {y_test.shape}, got {pred.shape}")
        return float(np.mean(pred == y_test))
    return measure


def _circle_case(rng, what, n_train=200, n_test=300):
    centre, r2 = rng.uniform(-0.5, 0.5, size=2), float(rng.uniform(1.5, 2.5))
    (X, y), (X_test, y_test) = _disc(rng, n_train, centre, r2), _disc(rng, n_test, centre, r2)
    return Case(what, (X, y, X_test, Rng(int(rng.integers(1000)))),
                check=Within(low=0.9, what="accuracy on the hidden test points",
                             measure=_accuracy_on(y_test)))


def _hidden_fit_circle(rng):
    for k in (1, 2):
        yield _circle_case(rng, f"fit_circle on hidden disc {k}: accuracy on hidden test "
                                "points >= 0.9")

ASSIGNMENT = Assignment("ch02_perceptrons", "perceptrons.ipynb", (
    Part("step", 1, PERCEPTRON, ref.step, (
        Case("step([-0.5, 0.0, 2.0]) should be [0, 1, 1]: step(0) = 1",
             (np.array([-0.5, 0.0, 2.0]),)),
        Case("step should keep the shape of a 2-D array", (np.array([[1.0, -1.0], [0.0, -0.0]]),)),
        Case("step should keep float32 in float32", (np.array([-1.0, 0.0, 3.0], dtype=np.float32),),
             check=Close(dtype=True)),
    ), _hidden_step),
    Part("perceptron_predict", 1, PERCEPTRON, ref.perceptron_predict, (
        Case("perceptron_predict with w = [1, 1], b = -1.5 computes AND",
             (_GATES, np.ones(2), -1.5)),
        Case("perceptron_predict with the input (1, 1) exactly on the boundary: step(0) = 1",
             (_GATES, np.ones(2), -2.0)),
    ), _hidden_predict),
    Part("perceptron_update", 2, RULE, ref.perceptron_update, (
        Case("perceptron_update on a missed 1 (error +1): w + lr * x, b + lr",
             (np.array([0.0, 0.0]), -1.0, np.array([1.0, 2.0]), 1.0, 0.5)),
        Case("perceptron_update on a right answer changes nothing",
             (np.array([1.0, 1.0]), -1.5, np.array([1.0, 1.0]), 1.0, 0.5)),
        Case("perceptron_update on a false alarm at score exactly 0 (step(0) = 1, error -1)",
             (np.array([1.0, -1.0]), 0.0, np.array([2.0, 2.0]), 0.0, 0.5)),
        Case("perceptron_update must not modify the array w it is given", program=_NO_MUTATION,
             inputs={"w": np.array([0.0, 0.0]), "b": 0.0, "x": np.array([1.0, 2.0]), "y": 0.0,
                     "lr": 1.0}),
    ), _hidden_update),
    Part("perceptron_fit", 4, FIT, ref.perceptron_fit, (
        Case("perceptron_fit on AND (lr = 1, rng seed 0): w, b and the mistakes per epoch",
             (_GATES, _AND, 1.0, 50, Rng(0))),
        Case("perceptron_fit on OR with lr = 0.5 (rng seed 3)", (_GATES, _OR, 0.5, 50, Rng(3))),
        Case("perceptron_fit when zero weights already classify everything: one epoch, [0]",
             (_GATES, np.ones(4), 1.0, 50, Rng(0))),
        Case("perceptron_fit on XOR never converges: stop after epochs = 5 epochs",
             (_GATES, _XOR, 1.0, 5, Rng(1))),
    ), _hidden_fit),
    Part("two_layer_forward", 3, MATRIX, two_layer_forward, (
        Case("two_layer_forward with the chapter's XOR weights and activation 'step'",
             (_GATES, _XOR_W1, _XOR_B1, _XOR_W2, _XOR_B2, "step")),
        Case("two_layer_forward with activation 'sigmoid' (applied after both layers), "
             "N=3, D=2, H=4, M=2",
             (np.array([[0.0, 1.0], [1.0, -1.0], [2.0, 0.5]]),
              np.array([[1.0, -1.0, 0.5, 0.0], [0.5, 2.0, -1.0, 1.0]]),
              np.array([0.0, 0.5, -0.5, 1.0]),
              np.array([[1.0, 0.0], [-1.0, 1.0], [0.5, 0.5], [2.0, -2.0]]),
              np.array([0.1, -0.1]), "sigmoid")),
        Case("two_layer_forward with activation 'identity': the collapsed linear map",
             (_GATES, _XOR_W1, _XOR_B1, _XOR_W2, _XOR_B2, "identity")),
        Case("two_layer_forward should raise ValueError for an unknown activation",
             (_GATES, _XOR_W1, _XOR_B1, _XOR_W2, _XOR_B2, "relu"), raises=ValueError),
    ), _hidden_forward),
    Part("mistake_bound", 2, BOUND, ref.mistake_bound, (
        Case("mistake_bound for OR with w = [1, 1], b = -0.5 is 27",
             (_GATES, _OR, np.ones(2), -0.5), check=Close(rtol=1e-9)),
        Case("mistake_bound for AND with w = [2, 2], b = -3 is 51",
             (_GATES, _AND, np.array([2.0, 2.0]), -3.0), check=Close(rtol=1e-9)),
        Case("mistake_bound should raise ValueError when an example lies on the boundary "
             "(gamma = 0)", (_GATES, _AND, np.array([2.0, 1.0]), -3.0), raises=ValueError),
        Case("mistake_bound should raise ValueError for XOR (no (w, b) separates it)",
             (_GATES, _XOR, np.ones(2), -0.5), raises=ValueError),
        Case("mistake_bound should raise ValueError when w and b are all zero (no direction)",
             (_GATES, _OR, np.zeros(2), 0.0), raises=ValueError),
    ), _hidden_bound),
    Part("squared_hinge_grad", 4, SQUARED_HINGE, ref.squared_hinge_grad, (
        Case("squared_hinge_grad with one sample inside the margin (0.5) and one at 0",
             (np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([1.0, -1.0]), np.array([0.5, 0.0]),
              0.0, 1.0), check=HINGE_SUMS),
        Case("squared_hinge_grad with lam = 0 and margins 2, 0.5 and -1",
             (np.array([[2.0, 0.0], [0.5, 0.0], [1.0, 1.0]]), np.array([1.0, 1.0, -1.0]),
              np.array([1.0, 0.0]), 0.0, 0.0), check=HINGE_SUMS),
        Case("squared_hinge_grad should reject labels 0/1 with ValueError",
             (np.eye(2), np.array([0.0, 1.0]), np.ones(2), 0.0, 1.0), raises=ValueError),
    ), _hidden_squared_hinge, kind="derive"),
    Part("fit_circle", 3, FEATURES, ref.fit_circle, (
        _circle_case(np.random.default_rng(202), "fit_circle on a disc like the notebook's "
                     "(accuracy >= 0.9 on test points the grader keeps)", 150, 100),
    ), _hidden_fit_circle, kind="experiment"),
))
ASSIGNMENT = catalogued(ASSIGNMENT, MISTAKES)
