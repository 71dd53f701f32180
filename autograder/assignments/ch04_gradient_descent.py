"""Chapter 4, gradient descent from the Taylor expansion: the manifest.

Nine parts, 22 points, by kind (``Part.kind``):

* *implement*, 14 points: ``numerical_gradient``, ``gd_step``, ``gradient_descent``,
  ``max_stable_lr``, ``linear_regression_gd``, ``exponential_decay`` and ``adam_step``
  write down what the book gives. The loop composes the learner's own step; the Hessian
  and the gradient that ``max_stable_lr`` and ``linear_regression_gd`` need for D inputs
  are printed in Chapter 1 (``ch01-least-squares``), so neither counts as derived.
* *verify*, 4 points: ``cooling_gradient``. The notebook gives a gradient of the mean
  squared error of Newton's cooling curve a e^{-kt} + c with three planted bugs, one per
  partial derivative; the learner finds them with their ``numerical_gradient`` and fixes
  them. Judged on hidden readings against ``optim.cooling_gradient``, by the rounding
  error of its sums (``Rounding``, see ``_cooling_magnitudes``).
* *experiment*, 4 points: ``divergence_threshold``. The learner measures, by runs of
  gradient descent they design, the learning rate above which it diverges on a bowl of
  which they see only the loss and its gradient; the grader judges the number against
  the theory's 2 / L of that hidden bowl, within 3 % (``Within``). The reference is the
  library's bisection (``optim.divergence_threshold``, 300-step runs, to 1 %).

So 8 of 22 points (36 %) are for work whose answer no page, download or notebook holds.
The references are the library's (``solutions.optim``): ``gradient_descent`` and
``divergence_threshold`` below only adapt it to the notebook's interface. Every case is a
deterministic function of its inputs; functions (the loss and its gradient) are defined
inside the case programs, since only data cross into the learner's kernel.

Tolerances: ``gd_step``, ``adam_step`` and ``exponential_decay`` are a few operations per
entry, compared with ``Close``: rtol 1e-6 and atol 1e-9 in float64; float32 results rtol
1e-5 (``gd_step``) and rtol 1e-4, atol 1e-6 (``adam_step``, whose division by
sqrt(v) + eps amplifies the rounding of v). ``numerical_gradient``'s reference and the
learner evaluate f at the same points, so they differ by the rounding of the difference
quotient, about u |f| / h <= 1e-10 here, within atol 1e-9. The iterations
(``gradient_descent``, ``linear_regression_gd``) contract on well-conditioned problems
and do not amplify rounding: rtol 1e-6, atol 1e-8, as for ``max_stable_lr``'s eigenvalue.
``cooling_gradient``'s entries are sums of N <= 40 products, judged by ``Rounding`` with
the magnitudes of their terms. ``divergence_threshold`` is a measurement, judged by its
stated range (3 %). On the bowls the cases draw (thresholds in [0.067, 6.7], inside the
notebook's [0.01, 10]; a start whose component along the steepest direction carries at
least 1/54 of the loss), 300 steps show any rate more than 0.4 % above 2 / L as divergent
and none below it, so a bisection to 1 % (the reference's) lands within 1.5 %.
"""

import numpy as np

from autograder.catalogues.ch04_gradient_descent import MISTAKES
from autograder.manifest import Assignment, Case, Close, Part, Rounding, Section, Within
from autograder.mistakes import catalogued
from solutions import gradcheck, optim

GRADCHECK = Section("ch04-gradient-check",
                    "Chapter 4, 'Checking gradients with central differences'")
UPDATE = Section("ch04-update-rule", "Chapter 4, 'The update rule and the algorithm'")
QUADRATIC = Section("ch04-quadratic", "Chapter 4, 'An exact analysis on a quadratic'")
LINE = Section("ch04-linear-regression", "Chapter 4, 'Fitting a line by gradient descent'")
SCHEDULES = Section("ch04-schedules", "Chapter 4, 'Learning-rate schedules'")
ADAPTIVE = Section("ch04-adaptive",
                   "Chapter 4, 'Adaptive learning rates: AdaGrad, RMSProp and Adam'")


# --- the notebook's interface to the library's loop ------------------------------------


def gradient_descent(grad_fn, loss_fn, w0, lr, steps):
    """Run the library's loop; return the last iterate and the losses of all steps + 1 iterates."""
    w, _, losses = optim.gradient_descent(grad_fn, w0, lr, steps, loss_fn=loss_fn)
    return w, losses


LR_RANGE = (0.01, 10.0)
"""Where the notebook says every threshold of ``divergence_threshold``'s cases lies."""


def divergence_threshold(grad_fn, loss_fn, w0):
    """Measure as the instructor does: the library's bisection over ``LR_RANGE``, to 1 %."""
    return optim.divergence_threshold(grad_fn, loss_fn, w0, *LR_RANGE, steps=300, rtol=1e-2)


# --- case programs ----------------------------------------------------------------------

# A smooth function of an array of any shape, with a different partial derivative in every
# entry: sum(exp(c * x)) + x_first * x_last.
_NUMGRAD = """def f(v):
    return float(np.sum(np.exp(c * v)) + v.flat[0] * v.flat[-1])
result = numerical_gradient(f, x, h)"""

_NUMGRAD_KEEPS_X = """def f(v):
    return float(np.sum(v ** 3))
x_before = x.copy()
numerical_gradient(f, x, 1e-5)
result = bool(np.array_equal(x, x_before))"""

_STEP_KEEPS_W = """w_before = w.copy()
gd_step(w, grad, 0.5)
result = bool(np.array_equal(w, w_before))"""

# Gradient descent on the quadratic 0.5 (w - c)^T A (w - c), A symmetric positive definite.
# gd_step is replaced by a correct stand-in during the call, so that a mistake in Part 2
# costs no points here.
_GD = """def grad_fn(w):
    return A @ (w - c)
def loss_fn(w):
    return 0.5 * float((w - c) @ A @ (w - c))
with stand_ins(gradient_descent, gd_step=lambda w, grad, lr: w - lr * grad):
    w, losses = gradient_descent(grad_fn, loss_fn, w0, lr, steps)
result = (w, np.asarray(losses, dtype=float))"""

_GD_KEEPS_W0 = """def grad_fn(w):
    return 2.0 * w
def loss_fn(w):
    return float(np.sum(w ** 2))
w0_before = w0.copy()
with stand_ins(gradient_descent, gd_step=lambda w, grad, lr: w - lr * grad):
    gradient_descent(grad_fn, loss_fn, w0, 0.1, 3)
result = bool(np.array_equal(w0, w0_before))"""

# Adam on a sequence of gradients, each call fed the state the previous call returned.
_ADAM = """state = None
for g in grads:
    p, state = adam_step(p, g, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
result = (p, state[0], state[1], state[2])"""

# The same, with p, m and v stacked into one array, so that its dtype can be demanded: a
# float64 moment would make the stack float64.
_ADAM_DTYPE = _ADAM.replace("result = (p, state[0], state[1], state[2])",
                            "result = np.stack([p, state[0], state[1]])")

_ADAM_KEEPS = """p_before = p.copy()
p1, state = adam_step(p, g, None, lr=0.1)
m_before, v_before = state[0].copy(), state[1].copy()
adam_step(p1, g, state, lr=0.1)
result = (bool(np.array_equal(p, p_before)), bool(np.array_equal(state[0], m_before)),
          bool(np.array_equal(state[1], v_before)))"""


# Gradient descent on the bowl 0.5 (w - c)^T A (w - c): the learner's measurement sees only
# the two functions and the start, never A.
_DIVERGE = """def grad_fn(w):
    return A @ (w - c)
def loss_fn(w):
    return 0.5 * float((w - c) @ A @ (w - c))
result = float(divergence_threshold(grad_fn, loss_fn, w0))"""


def _cooling_magnitudes(theta, t, y):
    """Sum of the magnitudes of the terms of each partial derivative of the cooling loss.

    Each difference r_i = a e^{-k t_i} + c - y_i (prediction minus reading) is bounded in
    magnitude, with its rounding error, by m_i = |a e^{-k t_i}| + |c| + |y_i|; the
    derivatives sum m_i times the factor of each: e^{-k t_i}, |a t_i e^{-k t_i}| and 1,
    scaled by 2/N.
    """
    a, k, c = theta
    decay = np.exp(-k * t)
    m = np.abs(a * decay) + abs(c) + np.abs(y)
    return 2.0 / len(t) * np.array([np.sum(m * decay), np.sum(m * np.abs(a * t) * decay),
                                    np.sum(m)])


COOLING_SUMS = Rounding(_cooling_magnitudes, n=64)
"""A sum of N <= 40 terms, each a product of a few factors and an exp: at most 64 roundings."""


def _diverge_case(what, A, c, w0):
    """Return a measurement on the bowl of A, judged within 3 % of the theory's 2 / L."""
    bound = 2.0 / float(np.linalg.eigvalsh(A)[-1])
    return Case(what, program=_DIVERGE, inputs={"A": A, "c": c, "w0": w0},
                check=Within(low=0.97 * bound, high=1.03 * bound,
                             what="the measured threshold (2 / L within 3 %)"))


def _cooling_readings(rng, n):
    """Draw times and noisy readings of a cup cooling from about 75 to about 20 degrees."""
    t = np.sort(rng.uniform(0.0, 60.0, size=n))
    truth = rng.uniform(40.0, 60.0), rng.uniform(0.03, 0.15), rng.uniform(17.0, 24.0)
    return t, truth[0] * np.exp(-truth[1] * t) + truth[2] + rng.normal(scale=0.5, size=n)


def _numgrad(x, h, c):
    return {"x": x, "h": h, "c": c}


def _gd(A, c, w0, lr, steps):
    return {"A": A, "c": c, "w0": w0, "lr": lr, "steps": steps}


def _adam(p, grads, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    return {"p": p, "grads": grads, "lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}


def _spd(rng, d, low, high):
    """Draw a symmetric positive definite d x d matrix with eigenvalues in [low, high]."""
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return Q @ np.diag(rng.uniform(low, high, size=d)) @ Q.T


# --- hidden cases -----------------------------------------------------------------------


def _hidden_numerical_gradient(rng):
    yield Case("numerical_gradient of a function of a vector, default-sized step",
               program=_NUMGRAD, inputs=_numgrad(rng.normal(size=5), 1e-5, rng.uniform(0.5, 1.5)))
    yield Case("numerical_gradient at a (2, 3) array should return a (2, 3) array",
               program=_NUMGRAD,
               inputs=_numgrad(rng.normal(size=(2, 3)), 1e-5, rng.uniform(0.5, 1.5)))
    yield Case("numerical_gradient with h = 1e-3 should use the central difference "
               "(f(x + h e_i) - f(x - h e_i)) / 2h, not a one-sided one",
               program=_NUMGRAD, inputs=_numgrad(rng.normal(size=4), 1e-3, rng.uniform(1.5, 2.5)))
    yield Case("numerical_gradient must leave x unchanged", program=_NUMGRAD_KEEPS_X,
               inputs={"x": rng.normal(size=(3, 2))})


def _hidden_cooling_gradient(rng):
    for n in (int(rng.integers(5, 12)), int(rng.integers(12, 41))):
        t, y = _cooling_readings(rng, n)
        theta = np.array([rng.uniform(30.0, 70.0), rng.uniform(0.01, 0.2),
                          rng.uniform(10.0, 30.0)])
        yield Case(f"cooling_gradient on {n} readings, away from the best fit", (theta, t, y),
                   check=COOLING_SUMS)
    t, y = _cooling_readings(rng, 20)
    yield Case("cooling_gradient with a < 0 (a cold drink warming up to the room)",
               (np.array([-rng.uniform(5.0, 15.0), rng.uniform(0.01, 0.2), 25.0]), t, y),
               check=COOLING_SUMS)


def _hidden_gd_step(rng):
    w, g = rng.normal(size=4), rng.normal(size=4)
    yield Case("gd_step(w, grad, lr) should return w - lr * grad", (w, g, rng.uniform(0.01, 1.0)))
    yield Case("gd_step on (2, 3) arrays", (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.3))
    yield Case("gd_step on float32 inputs (a float32 result)",
               (w.astype(np.float32), g.astype(np.float32), 0.25),
               check=Close(rtol=1e-5, atol=1e-7, dtype=True))
    yield Case("gd_step should raise ValueError when grad's shape differs from w's",
               (rng.normal(size=3), rng.normal(size=(3, 1)), 0.1), raises=ValueError)
    yield Case("gd_step must not modify w", program=_STEP_KEEPS_W,
               inputs={"w": rng.normal(size=3), "grad": rng.normal(size=3)})


def _hidden_gradient_descent(rng):
    A = _spd(rng, 3, 0.5, 4.0)
    lr = rng.uniform(0.05, 0.4)  # below 2 / 4, the bound for eigenvalues up to 4
    yield Case("gradient_descent on a quadratic: last iterate and the losses of all "
               "steps + 1 iterates", program=_GD,
               inputs=_gd(A, rng.normal(size=3), rng.normal(size=3), lr, int(rng.integers(5, 30))))
    yield Case("gradient_descent with steps = 0 returns w0 and one loss", program=_GD,
               inputs=_gd(A, rng.normal(size=3), rng.normal(size=3), lr, 0))
    yield Case("gradient_descent must not modify w0", program=_GD_KEEPS_W0,
               inputs={"w0": rng.normal(size=2)})


def _hidden_max_stable_lr(rng):
    X = rng.normal(size=(12, 3))
    yield Case("max_stable_lr of standardized-looking inputs (D = 3)", (X,), check=Close(rtol=1e-6))
    t = rng.uniform(14.0, 34.0, size=(20, 1))
    yield Case("max_stable_lr of raw temperatures (one input and the intercept)", (t,),
               check=Close(rtol=1e-6))
    yield Case("max_stable_lr of inputs with a large mean: the intercept column matters",
               (rng.normal(loc=5.0, size=(15, 2)),), check=Close(rtol=1e-6))


def _hidden_divergence_threshold(rng):
    for d in (int(rng.integers(2, 4)), int(rng.integers(4, 7))):
        Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        top = float(np.exp(rng.uniform(np.log(0.3), np.log(30.0))))
        A = Q @ np.diag(np.append(rng.uniform(0.05, 0.9, size=d - 1) * top, top)) @ Q.T
        # every direction of the start off the minimum by 0.5 to 1.5, so the steepest one too
        offset = Q @ (rng.uniform(0.5, 1.5, size=d) * rng.choice([-1.0, 1.0], size=d))
        c = rng.normal(size=d)
        yield _diverge_case(f"divergence_threshold on a hidden bowl in {d} dimensions", A, c,
                            c + offset)


def _hidden_linear_regression_gd(rng):
    X = rng.normal(size=(20, 3))
    y = X @ rng.normal(size=3) + rng.normal() + 0.1 * rng.normal(size=20)
    yield Case("linear_regression_gd with D = 3, 40 steps", (X, y, 0.1, 40),
               check=Close(rtol=1e-6, atol=1e-8))
    yield Case("linear_regression_gd after 400 steps should match the closed-form fit",
               (X, y, 0.1, 400), check=Close(rtol=1e-6, atol=1e-8))
    t = rng.uniform(14.0, 34.0, size=(30, 1))
    yield Case("linear_regression_gd on raw temperatures (D = 1), 10 steps",
               (t, 12.0 * t[:, 0] - 60.0 + 25.0 * rng.normal(size=30), 1e-3, 10),
               check=Close(rtol=1e-6, atol=1e-8))


def _hidden_exponential_decay(rng):
    lr0, k = rng.uniform(0.01, 1.0), rng.uniform(0.01, 0.5)
    for epoch in (0, int(rng.integers(1, 10)), int(rng.integers(10, 100))):
        yield Case(f"exponential_decay at epoch {epoch}", (lr0, epoch, k))


def _hidden_adam_step(rng):
    p = rng.normal(size=3)
    yield Case("adam_step once from state None: each coordinate moves by about lr",
               program=_ADAM, inputs=_adam(p, [rng.normal(scale=10.0, size=3)], lr=0.1))
    yield Case("adam_step five times in a row (bias correction with t = 1, ..., 5)",
               program=_ADAM,
               inputs=_adam(p, [rng.normal(size=3) for _ in range(5)], lr=0.05,
                            beta1=rng.uniform(0.8, 0.95), beta2=rng.uniform(0.99, 0.9999)))
    yield Case("adam_step on a (2, 2) array, three steps",
               program=_ADAM, inputs=_adam(rng.normal(size=(2, 2)),
                                           [rng.normal(size=(2, 2)) for _ in range(3)], lr=0.01))
    yield Case("adam_step on float32 inputs (a float32 result: p and the moments; the case "
               "stacks p, m and v into one array)", program=_ADAM_DTYPE,
               inputs=_adam(p.astype(np.float32),
                            [rng.normal(size=3).astype(np.float32) for _ in range(2)], lr=0.1),
               check=Close(rtol=1e-4, atol=1e-6, dtype=True))
    yield Case("adam_step must not modify p or the arrays of the state it is given",
               program=_ADAM_KEEPS, inputs={"p": rng.normal(size=3), "g": rng.normal(size=3)})


# --- the assignment ---------------------------------------------------------------------

_A2 = np.array([[3.0, 1.0], [1.0, 3.0]])

ASSIGNMENT = Assignment("ch04_gradient_descent", "gradient_descent.ipynb", (
    Part("numerical_gradient", 2, GRADCHECK, gradcheck.numerical_gradient, (
        Case("numerical_gradient of sum(exp(x)) + x_first * x_last at x = [0, 1, -1]",
             program=_NUMGRAD, inputs=_numgrad(np.array([0.0, 1.0, -1.0]), 1e-5, 1.0)),
        Case("numerical_gradient at a (2, 2) array should return a (2, 2) array",
             program=_NUMGRAD, inputs=_numgrad(np.array([[0.5, -0.5], [1.0, 2.0]]), 1e-5, 0.5)),
        Case("numerical_gradient with h = 1e-3 should use the central difference "
             "(f(x + h e_i) - f(x - h e_i)) / 2h, not a one-sided one",
             program=_NUMGRAD, inputs=_numgrad(np.array([0.3, -0.2]), 1e-3, 2.0)),
        Case("numerical_gradient must leave x unchanged", program=_NUMGRAD_KEEPS_X,
             inputs={"x": np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])}),
    ), _hidden_numerical_gradient),
    Part("gd_step", 1, UPDATE, optim.gd_step, (
        Case("gd_step([1, -2], [2, -4], 0.25) should return [0.5, -1]",
             (np.array([1.0, -2.0]), np.array([2.0, -4.0]), 0.25)),
        Case("gd_step on (2, 2) arrays",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.0, -1.0]]), 0.5)),
        Case("gd_step should keep float32 in float32",
             (np.array([1.0, 2.0], dtype=np.float32), np.array([0.5, 0.5], dtype=np.float32),
              0.1), check=Close(rtol=1e-5, atol=1e-7, dtype=True)),
        Case("gd_step should raise ValueError when grad's shape differs from w's",
             (np.array([1.0, 2.0]), np.array([[1.0], [2.0]]), 0.1), raises=ValueError),
        Case("gd_step must not modify w", program=_STEP_KEEPS_W,
             inputs={"w": np.array([1.0, 2.0]), "grad": np.array([1.0, 1.0])}),
    ), _hidden_gd_step),
    Part("gradient_descent", 2, UPDATE, gradient_descent, (
        Case("gradient_descent on 0.5 (w - c)^T A (w - c) with A = [[3, 1], [1, 3]], "
             "c = [1, -1], from w0 = [0, 0], lr = 0.1, 5 steps: last iterate and 6 losses",
             program=_GD, inputs=_gd(_A2, np.array([1.0, -1.0]), np.zeros(2), 0.1, 5)),
        Case("gradient_descent with steps = 0 returns w0 and one loss", program=_GD,
             inputs=_gd(_A2, np.array([1.0, -1.0]), np.array([2.0, 0.0]), 0.1, 0)),
        Case("gradient_descent must not modify w0", program=_GD_KEEPS_W0,
             inputs={"w0": np.array([1.0, -1.0])}),
    ), _hidden_gradient_descent),
    Part("max_stable_lr", 2, QUADRATIC, optim.max_stable_lr, (
        Case("max_stable_lr of X = [[-1], [1]]: the Hessian is 2 I, so 2 / L = 1",
             (np.array([[-1.0], [1.0]]),), check=Close(rtol=1e-6)),
        Case("max_stable_lr of the temperatures 18, 21, 24, 27, 30 (one input and the intercept)",
             (np.array([[18.0], [21.0], [24.0], [27.0], [30.0]]),), check=Close(rtol=1e-6)),
        Case("max_stable_lr of a (4, 2) input matrix",
             (np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [-1.0, 3.0]]),),
             check=Close(rtol=1e-6)),
    ), _hidden_max_stable_lr),
    Part("linear_regression_gd", 3, LINE, optim.linear_regression_gd, (
        Case("linear_regression_gd on (x, y) = (0, 1), (1, 3), one step with lr = 0.1 "
             "from w = [0], b = 0: the gradient is (-3, -4)",
             (np.array([[0.0], [1.0]]), np.array([1.0, 3.0]), 0.1, 1)),
        Case("linear_regression_gd with D = 2 inputs, 3 steps",
             (np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]]),
              np.array([1.0, 2.0, 2.5, 0.0]), 0.1, 3), check=Close(rtol=1e-6, atol=1e-8)),
        Case("linear_regression_gd after 300 steps should match the closed-form fit",
             (np.array([[-1.5], [-0.5], [0.5], [1.5]]), np.array([2.0, 2.5, 4.5, 5.0]), 0.2, 300),
             check=Close(rtol=1e-6, atol=1e-8)),
    ), _hidden_linear_regression_gd),
    Part("exponential_decay", 1, SCHEDULES, optim.exponential_decay, (
        Case("exponential_decay(0.1, 0, k=0.5) is the initial rate 0.1", (0.1, 0, 0.5)),
        Case("exponential_decay(0.1, 10, k=0.1) = 0.1 / e", (0.1, 10, 0.1)),
        Case("exponential_decay(1.0, 3, k=0.25) = exp(-0.75)", (1.0, 3, 0.25)),
    ), _hidden_exponential_decay),
    Part("adam_step", 3, ADAPTIVE, optim.adam_step, (
        Case("adam_step once from state None with lr = 0.1: each coordinate moves by about "
             "0.1 against the sign of its gradient, and t becomes 1",
             program=_ADAM, inputs=_adam(np.array([0.0, 0.0]), [np.array([1000.0, -0.001])],
                                         lr=0.1)),
        Case("adam_step three times in a row (bias correction with t = 1, 2, 3)",
             program=_ADAM,
             inputs=_adam(np.array([1.0, -1.0]),
                          [np.array([2.0, 0.5]), np.array([1.0, -0.5]), np.array([-1.0, 0.25])],
                          lr=0.1)),
        Case("adam_step with beta1 = 0.5, beta2 = 0.9, eps = 1e-3, two steps", program=_ADAM,
             inputs=_adam(np.array([0.5]), [np.array([0.2]), np.array([0.1])], lr=0.01,
                          beta1=0.5, beta2=0.9, eps=1e-3)),
        Case("adam_step on a (2, 2) array, two steps", program=_ADAM,
             inputs=_adam(np.array([[1.0, 2.0], [3.0, 4.0]]),
                          [np.array([[1.0, -1.0], [0.5, 2.0]]),
                           np.array([[0.5, 0.5], [-1.0, 1.0]])],
                          lr=0.01)),
        Case("adam_step should keep float32 in float32 (p and the moments; the case "
             "stacks p, m and v into one array)", program=_ADAM_DTYPE,
             inputs=_adam(np.array([1.0, 2.0], dtype=np.float32),
                          [np.array([0.5, -1.0], dtype=np.float32),
                           np.array([0.25, 0.5], dtype=np.float32)], lr=0.1),
             check=Close(rtol=1e-4, atol=1e-6, dtype=True)),
        Case("adam_step must not modify p or the arrays of the state it is given",
             program=_ADAM_KEEPS, inputs={"p": np.array([1.0, 2.0]), "g": np.array([0.5, -0.5])}),
    ), _hidden_adam_step),
    Part("cooling_gradient", 4, GRADCHECK, optim.cooling_gradient, (
        Case("cooling_gradient at theta = (60, 0, 20) with readings 80 at t = 0 and 78 at "
             "t = 10: the residuals y - y_hat are 0 and -2, so the gradient is (2, -1200, 2)",
             (np.array([60.0, 0.0, 20.0]), np.array([0.0, 10.0]), np.array([80.0, 78.0])),
             check=COOLING_SUMS),
        Case("cooling_gradient at theta = (50, 0.1, 18) on six readings",
             (np.array([50.0, 0.1, 18.0]), np.array([0.0, 5.0, 10.0, 20.0, 30.0, 45.0]),
              np.array([76.2, 57.9, 45.6, 31.3, 25.5, 22.6])), check=COOLING_SUMS),
    ), _hidden_cooling_gradient, kind="verify"),
    Part("divergence_threshold", 4, QUADRATIC, divergence_threshold, (
        _diverge_case("divergence_threshold on the bowl of A = [[3, 1], [1, 3]] (eigenvalues "
                      "2 and 4), centred at c = [1, -1]", _A2, np.array([1.0, -1.0]),
                      np.array([0.0, 0.5])),
    ), _hidden_divergence_threshold, kind="experiment"),
))
ASSIGNMENT = catalogued(ASSIGNMENT, MISTAKES)
