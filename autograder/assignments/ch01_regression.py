"""Chapter 1, regression from scratch: the manifest.

Eleven parts, 30 points. By kind:

* *implement*, nine parts, 20 points: the chapter's functions, from the formulas it gives
  (several as mathematics only: fit_line's centred sums, predict_logistic's composition,
  r_squared).
* *derive*, ``ridge_grad``, 4 points: the gradient of the MSE plus an L2 penalty on the
  weights with respect to (w, b). The chapter derives the MSE's gradient by the same rules
  but prints neither the penalty's gradient nor the split between w and the unpenalized b.
* *experiment*, ``fit_curve``, 6 points: the learner chooses the features (and any
  penalty) of a least-squares curve fit; the grader refits it on hidden data of a wavy
  curve, once near 0 and once shifted to inputs near 300 (where raw powers are nearly
  parallel columns, Chapter 1's kelvin example), and requires R^2 >= 0.9 on hidden test
  points, computed in the grader from the returned predictions. The reference (powers 1
  to 7 of the standardized input) scored at least 0.928 on 10,000 seeds; a straight line
  scores about 0.26, a cubic about 0.5.

Ten of 30 points, a third, are derive or experiment.

Tolerances, from floating-point error analysis (u the unit roundoff of the result's dtype,
2**-24 for float32 and 2**-53 for float64; gamma_n = n u / (1 - n u)):

* ``predict_linear``'s hidden cases, sums of D + 1 = 5 terms, are judged by ``Rounding``:
  each entry within 2 gamma_8 (|X| @ |w| + |b|) of the reference, which any order of the
  additions meets (loops, ``einsum``, a float64 accumulator cast back) however much the
  entry cancels; a relative tolerance failed such answers on 1.5 % of seeds. Its visible
  cases sum small integers and halves, exactly in any order.
* ``sigmoid`` on float32 inputs: within 2 gamma_16 0.5 (1 + |tanh(z / 2)|), the rounding
  of its most cancelling correct form 0.5 (1 + tanh(z / 2)), about 1e-6 (a relative
  tolerance failed that form in the left tail on most seeds).
* ``ridge_grad``: dw and db are sums over N <= 10 samples of residuals of D + 2 <= 6
  terms; each entry within 2 gamma_24 of the magnitudes summed (``RIDGE_SUMS``).
* ``fit_curve`` is judged by the R^2 it reaches (``Within``), not by the reference's values.
* The other results do not cancel, or come from a solver on well-conditioned data:
  ``Close`` with rtol 1e-6 and atol 1e-9 in float64 (1e-8 for least squares), rtol 1e-5
  for float32 results.
"""

import numpy as np

from autograder.catalogues.ch01_regression import MISTAKES
from autograder.manifest import Assignment, Case, Close, Part, Rounding, Section, Within
from autograder.mistakes import catalogued
from solutions import regression as ref

LINEAR = Section("ch01-linear-model", "Chapter 1, 'The linear model'")
MSE = Section("ch01-mse", "Chapter 1, 'Measuring the fit: the mean squared error'")
LSTSQ = Section("ch01-least-squares", "Chapter 1, 'The least-squares solution'")
SIGMOID = Section("ch01-sigmoid", "Chapter 1, 'The sigmoid'")
SOFTMAX = Section("ch01-softmax", "Chapter 1, 'Softmax regression'")
LOGISTIC = Section("ch01-logistic", "Chapter 1, 'Logistic regression'")
REAL = Section("ch01-real-data",
               "Chapter 1, 'Real data: predicting the progression of diabetes'")
RIDGE = Section("ch01-ridge", "Chapter 1, 'Shrinking the weights: a penalty'")
CURVES = Section("ch01-conditioning", "Chapter 1, 'When the normal equations fail, and the fix'")

_X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
# A temperature in Celsius and in Fahrenheit (F = 1.8 C + 32, an affine combination of C and
# the column of ones): X~^T X is singular, so an inverse fails, while lstsq returns one of the
# many minimizers. Their predictions X w + b are all the same, and that is what is compared.
_PREDICTIONS = "w, b = fit_least_squares(X, y)\nresult = X @ w + b"


def _celsius_and_fahrenheit(celsius, y):
    return {"X": np.stack([celsius, 1.8 * celsius + 32.0], axis=1), "y": y}


def _affine_magnitudes(X, w, b):
    """|X| @ |w| + |b|: the magnitudes summed in each entry of X @ w + b."""
    return np.abs(X) @ np.abs(w) + np.abs(b)


AFFINE = Rounding(_affine_magnitudes, n=8)
"""X @ w + b (D = 4) is within gamma_(D+1) of exact in any order, a cast back adds one: 8 >= 6."""


def _hidden_predict_linear(rng):
    X = rng.normal(size=(6, 4))
    yield Case("predict_linear(X, w, b) with w of shape (D,)", (X, rng.normal(size=4), -0.7),
               check=AFFINE)
    yield Case("predict_linear with a square w of shape (D, C): use X @ w, not X @ w.T",
               (X, rng.normal(size=(4, 4)), rng.normal(size=4)), check=AFFINE)
    yield Case("predict_linear with w of shape (4, 3) and b of shape (3,)",
               (X, rng.normal(size=(4, 3)), rng.normal(size=3)), check=AFFINE)
    yield Case("predict_linear on float32 inputs (a float32 result)",
               (X.astype(np.float32), rng.normal(size=(4, 3)).astype(np.float32),
                rng.normal(size=3).astype(np.float32)),
               check=Rounding(_affine_magnitudes, n=8, dtype=True))


def _hidden_mse(rng):
    yield Case("mse of (N, C) arrays should average over all N * C entries",
               (rng.normal(size=(5, 3)), rng.normal(size=(5, 3))))
    yield Case("mse of random vectors", (rng.normal(size=7), rng.normal(size=7)))
    yield Case("mse should reject y_pred of shape (N, 1) against y of shape (N,) with ValueError",
               (rng.normal(size=(4, 1)), rng.normal(size=4)), raises=ValueError)


def _hidden_mse_grad(rng):
    yield Case("mse_grad of (N, C) arrays: divide by n = N * C",
               (rng.normal(size=(4, 3)), rng.normal(size=(4, 3))))
    yield Case("mse_grad of random vectors", (rng.normal(size=6), rng.normal(size=6)))
    yield Case("mse_grad should reject shapes (N, 1) and (N,) with ValueError",
               (rng.normal(size=(5,)), rng.normal(size=(5, 1))), raises=ValueError)


def _hidden_fit_line(rng):
    x = rng.uniform(10, 35, size=25)
    yield Case("fit_line on noisy data should match the least-squares slope and intercept",
               (x, 20.0 * x + rng.normal(scale=25.0, size=25) - 150.0))
    x = rng.normal(size=8)
    yield Case("fit_line on exact points should recover the line", (x, -1.5 * x + 0.25))
    yield Case("fit_line should raise ValueError when every x is the same",
               (np.full(4, rng.normal()), rng.normal(size=4)), raises=ValueError)


def _hidden_fit_least_squares(rng):
    X = rng.normal(loc=3.0, size=(30, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 4.0 + 0.1 * rng.normal(size=30)
    yield Case("fit_least_squares should agree with np.linalg.lstsq on [X, 1]", (X, y),
               check=Close(rtol=1e-6, atol=1e-8))
    X = rng.normal(size=(10, 2))
    yield Case("fit_least_squares should recover noise-free weights and intercept",
               (X, X @ rng.normal(size=2) - 2.0), check=Close(rtol=1e-8, atol=1e-8))
    t = rng.uniform(15.0, 35.0, size=30)
    yield Case("fit_least_squares with a feature that is an affine combination of another "
               "(Celsius and Fahrenheit): X^T X is singular, lstsq still fits; the predictions "
               "X @ w + b are compared", program=_PREDICTIONS,
               inputs=_celsius_and_fahrenheit(t, 20.0 * t + rng.normal(scale=25.0, size=30)),
               check=Close(rtol=1e-8, atol=1e-8))


def _sigmoid_terms(z):
    """Return the magnitudes in 0.5 (1 + tanh(z / 2)), the sigmoid's most cancelling form."""
    return 0.5 * (1.0 + np.abs(np.tanh(z / 2.0)))


SIGMOID_ROUNDINGS = 16
"""tanh within 4 ulps (8 u), then a sum, a product and a cast: 16 roundings cover any form."""


def _hidden_sigmoid(rng):
    Z = rng.normal(scale=5.0, size=(4, 3))
    yield Case("sigmoid of a (4, 3) array", (Z,))
    yield Case("sigmoid at |z| up to 1e4 must not overflow or warn",
               (np.array([-1e4, -1000.0, -750.0, 750.0, 1000.0, 1e4]) * rng.uniform(1, 1.1),),
               strict_fp=True)
    yield Case("sigmoid on float32 inputs (a float32 result)", (Z.astype(np.float32),),
               check=Rounding(_sigmoid_terms, SIGMOID_ROUNDINGS, dtype=True))


def _hidden_softmax(rng):
    Z = rng.normal(scale=3.0, size=(5, 4))
    yield Case("softmax of a (5, 4) array", (Z,))
    yield Case("softmax of scores near ±1000 must not overflow (subtract the row maximum)",
               (np.array([[1000.0, 1000.0, 999.0], [-1000.0, 0.0, 1000.0]]) + rng.normal(),),
               strict_fp=True)
    yield Case("softmax on float32 inputs (a float32 result)", (Z.astype(np.float32),),
               check=Close(rtol=1e-5, dtype=True))


_COMPOSE = """with stand_ins(predict_logistic, predict_linear=lambda X, w, b: X @ w + b + shift,
               sigmoid=lambda z: 2.0 * z + 1.0, softmax=lambda Z: Z - 3.0):
    result = predict_logistic(X, w, b)"""


def _hidden_predict_logistic(rng):
    X = rng.normal(size=(6, 3))
    yield Case("with w of shape (D,), predict_logistic should return "
               "sigmoid(predict_linear(X, w, b))", program=_COMPOSE,
               inputs={"X": X, "w": rng.normal(size=3), "b": 0.4, "shift": rng.normal()})
    yield Case("with w of shape (D, C), predict_logistic should return "
               "softmax(predict_linear(X, w, b))", program=_COMPOSE,
               inputs={"X": X, "w": rng.normal(size=(3, 4)), "b": rng.normal(size=4),
                       "shift": rng.normal()})


def _hidden_r_squared(rng):
    y = rng.normal(size=12)
    yield Case("r_squared of a noisy prediction", (y + 0.3 * rng.normal(size=12), y))
    yield Case("r_squared of always predicting the mean of y is 0", (np.full(12, y.mean()), y))
    yield Case("r_squared can be negative for a prediction worse than the mean",
               (-y, y))



def _ridge_magnitudes(X, y, w, b, lam):
    """Return the magnitudes summed in dw and db, through |r| <= |X| |w| + |b| + |y|."""
    r = np.abs(X) @ np.abs(w) + abs(b) + np.abs(y)
    return 2.0 / len(y) * (r @ np.abs(X)) + 2.0 * lam * np.abs(w), 2.0 / len(y) * float(r.sum())


RIDGE_SUMS = Rounding(_ridge_magnitudes, n=24)
"""dw and db (N <= 10, D <= 4): the residual takes D + 2 roundings, its sum over N more,
and the factor and penalty a few: 24 >= 10 + 4 + 2 + 4, in any order of the sums."""


def _hidden_ridge_grad(rng):
    X, y, w = rng.normal(size=(8, 3)), rng.normal(size=8), rng.normal(size=3)
    yield Case("ridge_grad of random data with a penalty",
               (X, y, w, float(rng.normal()), float(rng.uniform(0.1, 3.0))), check=RIDGE_SUMS)
    yield Case("ridge_grad with lam = 0 is the gradient of the MSE alone",
               (X, y, w, float(rng.normal()), 0.0), check=RIDGE_SUMS)
    X = rng.normal(loc=2.0, size=(10, 4))
    yield Case("ridge_grad: the penalty shrinks w, not the bias b",
               (X, rng.normal(size=10), rng.normal(size=4), float(rng.uniform(2.0, 5.0)),
                float(rng.uniform(1.0, 4.0))), check=RIDGE_SUMS)
    yield Case("ridge_grad should reject lam < 0 with ValueError",
               (X, rng.normal(size=10), rng.normal(size=4), 0.0, -float(rng.uniform(0.1, 1.0))),
               raises=ValueError)


def _wavy(rng, n, spread, offset=0.0):
    """Return a noisy wavy curve: one input in each of n equal bins of a range centred on 5."""
    x = rng.permutation(5.0 + spread * ((np.arange(n) + rng.uniform(size=n)) / n - 0.5))
    return x + offset, 3.0 * np.sin(x) + 0.5 * x + rng.normal(scale=0.5, size=n)


def _r_squared_on(y_test):
    """Return the measure of a curve fit: R^2 of its predictions on hidden targets y_test."""
    def measure(pred):
        if pred.shape != y_test.shape:
            raise ValueError(f"expected predictions of shape {y_test.shape}, got {pred.shape}")
        return 1.0 - float(np.sum((y_test - pred) ** 2) / np.sum((y_test - y_test.mean()) ** 2))
    return measure


def _curve_case(rng, what, offset, n_test=200):
    (x, y), (x_test, y_test) = _wavy(rng, 80, 10.0, offset), _wavy(rng, n_test, 9.5, offset)
    return Case(what, (x, y, x_test),
                check=Within(low=0.9, what="R^2 on the hidden test points",
                             measure=_r_squared_on(y_test)))


def _hidden_fit_curve(rng):
    yield _curve_case(rng, "fit_curve on hidden data: R^2 on hidden test points >= 0.9", 0.0)
    yield _curve_case(rng, "fit_curve on hidden data with inputs near 300 (standardize before "
                      "taking powers): R^2 >= 0.9", 300.0)

ASSIGNMENT = Assignment("ch01_regression", "regression.ipynb", (
    Part("predict_linear", 2, LINEAR, ref.predict_linear, (
        Case("predict_linear(X, w=[2, -1], b=0.5) should compute X @ w + b",
             (_X, np.array([2.0, -1.0]), 0.5)),
        Case("predict_linear with w of shape (D, C) should give one column per output",
             (_X, np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([10.0, 20.0]))),
        Case("predict_linear should keep float32 inputs in float32",
             (_X.astype(np.float32), np.array([[1.0], [2.0]], dtype=np.float32),
              np.array([0.5], dtype=np.float32)), check=Close(rtol=1e-5, dtype=True)),
    ), _hidden_predict_linear),
    Part("mse", 1, MSE, ref.mse, (
        Case("mse should average the squared errors over all entries",
             (np.array([1.0, 2.0]), np.array([1.0, 4.0]))),
        Case("mse of (N, C) arrays should divide by N * C",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 0.0]]))),
        Case("mse should reject y_pred of shape (N, 1) against y of shape (N,) with ValueError",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0])), raises=ValueError),
    ), _hidden_mse),
    Part("mse_grad", 2, MSE, ref.mse_grad, (
        Case("mse_grad should be 2 / n * (y_pred - y)",
             (np.array([1.0, 2.0]), np.array([1.0, 4.0]))),
        Case("mse_grad of (N, C) arrays should divide by n = N * C",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 0.0]]))),
        Case("mse_grad should reject shapes (N, 1) and (N,) with ValueError",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0])), raises=ValueError),
    ), _hidden_mse_grad),
    Part("fit_line", 3, LSTSQ, ref.fit_line, (
        Case("fit_line on the points of y = 2x + 1 should return (2.0, 1.0)",
             (np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]))),
        Case("fit_line on points off a line: slope from the centred sums, then b = ȳ - a x̄",
             (np.array([20.0, 25.0, 30.0, 35.0]), np.array([250.0, 320.0, 330.0, 440.0]))),
        Case("fit_line should raise ValueError when every x is the same",
             (np.array([3.0, 3.0, 3.0]), np.array([1.0, 2.0, 3.0])), raises=ValueError),
    ), _hidden_fit_line),
    Part("fit_least_squares", 3, LSTSQ, ref.fit_least_squares, (
        Case("fit_least_squares on the line y = 2x + 1 should find w = [2] and b = 1",
             (np.array([[0.0], [1.0], [2.0]]), np.array([1.0, 3.0, 5.0]))),
        Case("fit_least_squares with a feature that is an affine combination of another "
             "(Celsius and Fahrenheit): X^T X is singular, lstsq still fits; the predictions "
             "X @ w + b are compared", program=_PREDICTIONS,
             inputs=_celsius_and_fahrenheit(np.array([20.0, 25.0, 30.0, 35.0]),
                                            np.array([250.0, 320.0, 330.0, 440.0])),
             check=Close(rtol=1e-8, atol=1e-8)),
    ), _hidden_fit_least_squares),
    Part("sigmoid", 2, SIGMOID, ref.sigmoid, (
        Case("sigmoid(z) should be 1 / (1 + exp(-z))", (np.array([-1.0, 0.0, 2.0]),)),
        Case("sigmoid at z = -1000 and 1000 must not overflow or warn",
             (np.array([-1000.0, 1000.0]),), strict_fp=True),
        Case("sigmoid should keep float32 in float32",
             (np.array([-3.0, 0.5, 4.0], dtype=np.float32),), check=Close(rtol=1e-5, dtype=True)),
    ), _hidden_sigmoid),
    Part("softmax", 3, SOFTMAX, ref.softmax, (
        Case("softmax of the scores [1, 2, 3]", (np.array([[1.0, 2.0, 3.0]]),)),
        Case("each row of softmax(Z) should sum to 1", (np.array([[0.0, 0.0], [5.0, 1.0]]),)),
        Case("softmax of scores near 1000 must not overflow (subtract the row maximum)",
             (np.array([[1000.0, 1000.0, 999.0], [-1000.0, 0.0, 1000.0]]),), strict_fp=True),
        Case("softmax should keep float32 in float32",
             (np.array([[1.0, 2.0], [0.5, -0.5]], dtype=np.float32),),
             check=Close(rtol=1e-5, dtype=True)),
    ), _hidden_softmax),
    Part("predict_logistic", 2, LOGISTIC, ref.predict_logistic, (
        Case("with w of shape (D,), predict_logistic should return "
             "sigmoid(predict_linear(X, w, b))", program=_COMPOSE,
             inputs={"X": np.zeros((4, 3)), "w": np.ones(3), "b": 0.5, "shift": 1.0}),
        Case("with w of shape (D, C), predict_logistic should return "
             "softmax(predict_linear(X, w, b))", program=_COMPOSE,
             inputs={"X": np.eye(3), "w": np.ones((3, 2)), "b": np.zeros(2), "shift": 0.0}),
    ), _hidden_predict_logistic),
    Part("r_squared", 2, REAL, ref.r_squared, (
        Case("r_squared([1, 2, 3], [1, 2, 4]) = 1 - 1 / (14 / 3)",
             (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))),
        Case("r_squared of always predicting the mean of y is 0",
             (np.full(3, 2.0), np.array([1.0, 2.0, 3.0]))),
        Case("r_squared should raise ValueError when y is constant",
             (np.array([1.0, 2.0]), np.array([5.0, 5.0])), raises=ValueError),
    ), _hidden_r_squared),
    Part("ridge_grad", 4, RIDGE, ref.ridge_grad, (
        Case("ridge_grad([[1], [2]], [1, 2], w=[2], b=0, lam=0.5): residuals y - y_hat = (-1, -2)",
             (np.array([[1.0], [2.0]]), np.array([1.0, 2.0]), np.array([2.0]), 0.0, 0.5),
             check=RIDGE_SUMS),
        Case("ridge_grad with lam = 0 is the gradient of the MSE alone",
             (_X, np.array([1.0, 0.0, -1.0]), np.array([0.5, -0.5]), 1.0, 0.0),
             check=RIDGE_SUMS),
        Case("ridge_grad should reject lam < 0 with ValueError",
             (_X, np.zeros(3), np.zeros(2), 0.0, -1.0), raises=ValueError),
    ), _hidden_ridge_grad, kind="derive"),
    Part("fit_curve", 6, CURVES, ref.fit_curve, (
        _curve_case(np.random.default_rng(101), "fit_curve on data like the notebook's "
                    "(R^2 >= 0.9 on test points the grader keeps)", 0.0, n_test=100),
    ), _hidden_fit_curve, kind="experiment"),
))
ASSIGNMENT = catalogued(ASSIGNMENT, MISTAKES)
