"""Chapter 5, training, validation and generalization: the manifest.

Six parts, 24 points, by kind (``Part.kind``):

* *implement*, 15 points: ``train_val_test_split``, ``minibatches``, ``EarlyStopping``
  and ``train_linear``, whose conventions the notebook states exactly. ``train_linear``
  composes the other parts into a mini-batch loop with early stopping; the gradient of a
  batch's mean squared error is printed in the chapter ('The training loop'), so it counts
  as implemented, not derived. Its cases replace ``minibatches`` and ``EarlyStopping`` by
  scripted stand-ins, so that a mistake in those parts costs their own points only; the
  reference, ``solutions.training.train_linear``, looks both names up in its module's
  globals, where ``stand_ins`` replaces them for the duration of a case.
* *derive*, 4 points: ``ridge_step``, one gradient step on a batch's mean squared error
  plus an L2 penalty lam |w|^2 on the weights (not the intercept). The book teaches the
  chain rule and prints the data term's gradient, never the penalty's.
* *experiment*, 5 points: ``choose_hyperparameters``. The learner returns a learning rate,
  a number of epochs (at most 30), a batch size and a patience; the grader trains the
  library's ``train_linear`` with them, in its own process, on a hidden task drawn as the
  notebook's ``experiment_data`` draws (badly scaled inputs, 400/100/1000 samples) with a
  hidden seed, and judges the test MSE over the least-squares fit's: at most 1.5
  (``Within``). Over 1,000 hidden tasks the instructor's choice (lr 0.02, batches of 32)
  has a median of 1.04, a 99th percentile of 1.14 and a maximum of 1.32 (a long tail: the
  bound leaves it room); full batches at lr 0.01 reach about 2, and a divergent rate fails.

So 9 of 24 points (37.5 %) are for work whose answer no page, download or notebook holds.
Every case is a deterministic function of its inputs and of ``np.random.default_rng(seed)``.

Tolerances: splits, batches and the monitor's decisions are compared exactly (indices,
sizes, booleans, epochs); losses and ``train_linear``'s float64 weights after a few SGD
epochs with ``Close``'s defaults, rtol 1e-6 and atol 1e-9, far above the rounding of any
correct formulation of the mean squared error's gradient. ``ridge_step``'s new w and b are
sums of N <= 40 products, judged by ``Rounding`` with the magnitudes of their terms
(``_ridge_magnitudes``).
"""

import numpy as np

from autograder.catalogues.ch05_training import MISTAKES
from autograder.manifest import Assignment, Case, Part, Rng, Rounding, Section, Within
from autograder.mistakes import catalogued
from solutions.regression import fit_least_squares, mse
from solutions.training import (
    EarlyStopping,
    minibatches,
    ridge_step,
    train_linear,
    train_val_test_split,
)

SPLITS = Section("ch05-splits", "Chapter 5, 'Splitting the data: 80/20 and 60/20/20'")
BATCHES = Section("ch05-minibatches", "Chapter 5, 'Mini-batches and epochs'")
STOPPING = Section("ch05-early-stopping", "Chapter 5, 'Early stopping'")
LOOP = Section("ch05-training-loop", "Chapter 5, 'The training loop'")


def _traced(n, d=2):
    """X whose first column is the row number (so rows can be traced) and y = row number."""
    X = np.column_stack([np.arange(n, dtype=np.float64), np.ones((n, d - 1))])
    return X, np.arange(n)


def _seed(rng):
    return Rng(int(rng.integers(2**31)))


# --- Part 1: train_val_test_split ------------------------------------------------------

_SPLIT = "result = train_val_test_split(X, y, fractions=fractions, rng=rng)"
_SPLIT_SIZES = ("parts = train_val_test_split(X, y, fractions=fractions, rng=rng)\n"
                "result = tuple(len(part) for part in parts[1::2])")


def _split_case(what, X, y, fractions, rng, program=_SPLIT, raises=None):
    return Case(what, program=program, inputs={"X": X, "y": y, "fractions": fractions, "rng": rng},
                raises=raises)


def _hidden_split(rng):
    n = int(rng.integers(20, 60))
    X = rng.normal(size=(n, 3))
    yield _split_case("a 60/20/20 split of random data: one rng.permutation(N), cut at the "
                      "rounded cumulative fractions", X, rng.integers(0, 5, size=n),
                      (0.6, 0.2, 0.2), _seed(rng))
    yield _split_case("an 80/20 split returns four arrays", X, rng.normal(size=n), (0.8, 0.2),
                      _seed(rng))
    yield _split_case("a 70/15/15 split", X, rng.normal(size=n), (0.7, 0.15, 0.15), _seed(rng))
    m = 4 * int(rng.integers(3, 10)) + 2      # m / 4 ends in .5: a tie
    yield _split_case("cut points are rounded to the nearest integer, ties to even (Python's "
                      "round), from the cumulative fractions", *_traced(m), (0.25, 0.75),
                      _seed(rng), program=_SPLIT_SIZES)
    k = int(rng.integers(3, 8))
    n = 10 * k + 3
    yield _split_case("sizes come from rounding the cumulative sums, not each part alone",
                      *_traced(n), (0.6, 0.2, 0.2), _seed(rng), program=_SPLIT_SIZES)
    yield _split_case("fractions that do not sum to 1 raise ValueError", X[:10], np.arange(10),
                      (0.5, 0.3, 0.3), _seed(rng), raises=ValueError)
    yield _split_case("a part that would be empty raises ValueError", X[:4], np.arange(4),
                      (0.8, 0.1, 0.1), _seed(rng), raises=ValueError)
    yield _split_case("X and y with different numbers of samples raise ValueError", X,
                      np.arange(len(X) + 1), (0.8, 0.2), _seed(rng), raises=ValueError)


# --- Part 2: minibatches ----------------------------------------------------------------

_LABELS = "result = tuple(y_batch for _, y_batch in minibatches(X, y, batch_size, rng))"
_ROWS = "result = tuple(X_batch for X_batch, _ in minibatches(X, y, batch_size, rng))"
_IN_ORDER = ("result = tuple(y_batch for _, y_batch in "
             "minibatches(X, y, batch_size, shuffle=False))")
_TWO_EPOCHS = ("result = tuple(tuple(y_batch for _, y_batch in\n"
               "                     minibatches(X, y, batch_size, rng))\n"
               "               for epoch in range(2))")
_NO_RNG = "result = tuple(y_batch for _, y_batch in minibatches(X, y, batch_size))"


def _batch_case(what, program, X, y, batch_size, rng=None, raises=None):
    inputs = {"X": X, "y": y, "batch_size": batch_size}
    if rng is not None:
        inputs["rng"] = rng
    return Case(what, program=program, inputs=inputs, raises=raises)


def _hidden_minibatches(rng):
    n, b = int(rng.integers(11, 40)), int(rng.integers(2, 9))
    X, y = _traced(n, 3)
    X[:, 1:] = rng.normal(size=(n, 2))
    yield _batch_case("the labels of each batch: one rng.permutation(N) per call, cut into "
                      "batches of batch_size, a smaller last batch", _LABELS, X, y, b, _seed(rng))
    yield _batch_case("the rows of X move with their labels", _ROWS, X, y, b, _seed(rng))
    yield _batch_case("shuffle=False keeps the samples in order", _IN_ORDER, X, y, b)
    yield _batch_case("two epochs from the same generator visit the samples in two orders",
                      _TWO_EPOCHS, X, y, b, _seed(rng))
    yield _batch_case("batch_size >= N gives one batch of every sample", _LABELS, X, y,
                      n + int(rng.integers(0, 5)), _seed(rng))
    yield _batch_case("batch_size 0 raises ValueError", _LABELS, X, y, 0, _seed(rng),
                      raises=ValueError)
    yield _batch_case("shuffle=True without an rng raises TypeError", _NO_RNG, X, y, b,
                      raises=TypeError)


# --- Part 3: EarlyStopping ----------------------------------------------------------------

_MONITOR = """stopper = EarlyStopping(patience, min_delta)
stops = [stopper.update(loss, {"w": np.zeros(2)}) for loss in losses]
result = (stops, stopper.best_epoch, stopper.best_loss, stopper.wait)"""

_RESTORE = """stopper = EarlyStopping(patience)
params = {"w": np.zeros(3), "b": np.zeros(1)}
weights = params["w"]
for epoch, loss in enumerate(losses):
    params["w"] += 1.0            # a loop that changes the arrays in place (w -= lr * g)
    params["b"][0] = -epoch
    if stopper.update(loss, params):
        break
stopper.restore(params)
result = (epoch, params["w"], params["b"], params["w"] is weights)"""

_FRESH = """stopper = EarlyStopping(patience)
result = (stopper.best_loss == float("inf"), stopper.best_epoch is None, stopper.wait)"""

_TOO_EARLY = """stopper = EarlyStopping(patience)
stopper.restore({"w": np.zeros(2)})
result = 0"""

_BAD_PATIENCE = "result = EarlyStopping(patience).wait"


def _monitor_case(what, losses, patience, min_delta=0.0):
    return Case(what, program=_MONITOR,
                inputs={"losses": [float(x) for x in losses], "patience": patience,
                        "min_delta": float(min_delta)})


def _u_shaped(rng, n):
    """Draw a noisy validation curve that falls, then rises."""
    t = np.arange(n)
    bottom = rng.integers(n // 4, n // 2)
    return 1.0 + 0.02 * (t - bottom) ** 2 / n + rng.normal(scale=0.05, size=n)


def _hidden_early_stopping(rng):
    yield Case("a new monitor: best_loss inf, best_epoch None, wait 0", program=_FRESH,
               inputs={"patience": int(rng.integers(1, 6))})
    for min_delta in (0.0, float(rng.choice([0.01, 0.03, 0.05]))):
        yield _monitor_case("update on a noisy U-shaped curve: an improvement is "
                            "val_loss < best_loss - min_delta; stop when wait >= patience",
                            _u_shaped(rng, int(rng.integers(8, 16))), int(rng.integers(1, 5)),
                            min_delta)
    losses = rng.uniform(1.0, 2.0, size=6)
    losses[2:] = np.nan
    yield _monitor_case("a nan loss is never an improvement", losses, 3)
    yield Case("restore writes the best epoch's values back into the same arrays",
               program=_RESTORE, inputs={"losses": [float(x) for x in _u_shaped(rng, 12)],
                                         "patience": int(rng.integers(1, 4))})
    yield Case("restore before any update raises RuntimeError", program=_TOO_EARLY,
               inputs={"patience": int(rng.integers(1, 4))}, raises=RuntimeError)
    yield Case("patience below 1 raises ValueError", program=_BAD_PATIENCE,
               inputs={"patience": -int(rng.integers(0, 3))}, raises=ValueError)


# --- Part 4: train_linear -----------------------------------------------------------------

_LOOP = """calls, seen, made = [], [], []
def batches(X, y, batch_size, rng=None, shuffle=True):   # stands in for minibatches:
    calls.append(batch_size if rng is generator else -1)   # a first batch of batch_size
    return iter([(X[:batch_size], y[:batch_size]), (X[batch_size:], y[batch_size:])])
class Stopper:                                  # stands in for EarlyStopping: says stop
    def __init__(self, *args, **kwargs):        # after stop_after epochs
        made.append(args[0] if args else kwargs["patience"])
    def update(self, loss, arrays):
        seen.append(float(loss))
        return len(seen) == stop_after
    def restore(self, arrays):                  # marks the arrays it restores
        arrays["w"][...] = 7.0
        arrays["b"][...] = -7.0
generator = rng
with stand_ins(train_linear, minibatches=batches, EarlyStopping=Stopper):
    w, b, history = train_linear(X, y, X_val, y_val, lr=lr, epochs=epochs,
                                 batch_size=batch_size, patience=patience, rng=rng)
result = (w, b, history, seen, calls, made)"""


def _loop_case(what, rng, n, d, *, epochs, stop_after, batch_size, lr):
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    X_val = rng.normal(size=(n // 2 + 2, d))
    return Case(what, program=_LOOP, inputs={
        "X": X, "y": X @ w_true + 0.5 + 0.1 * rng.normal(size=n),
        "X_val": X_val, "y_val": X_val @ w_true + 0.5 + 0.1 * rng.normal(size=len(X_val)),
        "lr": lr, "epochs": epochs, "batch_size": batch_size,
        "patience": int(rng.integers(1, 6)), "rng": _seed(rng), "stop_after": stop_after})


def _hidden_train_linear(rng):
    epochs = int(rng.integers(4, 9))
    yield _loop_case("train_linear: one SGD step per batch on the batch's mean squared error, "
                     "the validation MSE after every epoch, stop when the monitor says so, "
                     "then restore", rng, int(rng.integers(10, 25)), int(rng.integers(2, 5)),
                     epochs=epochs, stop_after=int(rng.integers(2, epochs)),
                     batch_size=int(rng.integers(3, 8)), lr=float(rng.uniform(0.02, 0.1)))
    yield _loop_case("train_linear without a stop: every epoch runs and the monitor still "
                     "restores at the end", rng, int(rng.integers(10, 25)), 3,
                     epochs=int(rng.integers(2, 6)), stop_after=100,
                     batch_size=int(rng.integers(3, 8)), lr=float(rng.uniform(0.02, 0.1)))


_CASE_RNG = np.random.default_rng(5)    # fixed data for the visible train_linear cases


# --- Part 5: ridge_step -----------------------------------------------------------------------


def _ridge_magnitudes(X, y, w, b, lr, lam):
    """Sum of the magnitudes of the terms of the new w and b (see ``Rounding``).

    A difference r_i = x_i . w + b - y_i (prediction minus target) sums D + 2 terms of
    magnitude at most m_i = |x_i| . |w| + |b| + |y_i|; the new
    w_j = w_j - lr (2/N sum_i x_ij r_i + 2 lam w_j) and b - lr 2/N sum_i r_i sum those
    again, so their magnitudes are bounded by |w_j| + lr (2/N |X|^T m + 2 lam |w_j|)
    and |b| + lr 2/N sum_i m_i.
    """
    m = np.abs(X) @ np.abs(w) + abs(b) + np.abs(y)
    return (np.abs(w) + lr * (2.0 / len(y) * (np.abs(X).T @ m) + 2.0 * lam * np.abs(w)),
            abs(b) + lr * 2.0 / len(y) * float(np.sum(m)))


RIDGE_SUMS = Rounding(_ridge_magnitudes, n=64)
"""Sums of N <= 40 products of D + 2 <= 8 terms, then a few operations: at most 64 roundings."""

_RIDGE_KEEPS_W = """w_before = w.copy()
ridge_step(X, y, w, 0.5, 0.1, 1.0)
result = bool(np.array_equal(w, w_before))"""


def _hidden_ridge_step(rng):
    for n, d in ((int(rng.integers(1, 8)), 1), (int(rng.integers(8, 41)),
                                                  int(rng.integers(2, 7)))):
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + rng.normal(scale=0.5, size=n)
        yield Case(f"ridge_step on a batch of {n} samples with D = {d}",
                   (X, y, rng.normal(size=d), float(rng.normal()), float(rng.uniform(0.01, 0.3)),
                    float(rng.uniform(0.0, 2.0))), check=RIDGE_SUMS)
    X = rng.normal(size=(10, 3))
    w, b = rng.normal(size=3), float(rng.uniform(2.0, 5.0))
    yield Case("ridge_step at a perfect fit: only the penalty acts, on w and not on b",
               (X, X @ w + b, w, b, float(rng.uniform(0.01, 0.3)), float(rng.uniform(0.5, 2.0))),
               check=RIDGE_SUMS)
    yield Case("ridge_step with lam < 0 raises ValueError",
               (X, X @ w, w, b, 0.1, -float(rng.uniform(0.01, 1.0))), raises=ValueError)
    yield Case("ridge_step must not modify w", program=_RIDGE_KEEPS_W,
               inputs={"X": X, "y": X @ w, "w": rng.normal(size=3)})


# --- Part 6: choose_hyperparameters --------------------------------------------------------

EPOCHS_MAX = 30
"""The most epochs a choice may ask for (the grader trains with it, in its own process)."""

_CHOICE = """choice = choose_hyperparameters()
result = [float(choice[name]) for name in ("lr", "epochs", "batch_size", "patience")]"""


def choose_hyperparameters():
    """Return the instructor's choice, which meets the bound on every dataset the cases draw."""
    return {"lr": 0.02, "epochs": 30, "batch_size": 32, "patience": 30}


def experiment_data(rng):
    """Draw the regression task of the experiment: train (400), validation (100), test (1000).

    Eight inputs of standard deviations 0.5 to 3 around a mean of 1 (badly conditioned
    for plain gradient descent, as the raw temperatures of Chapter 4 were), a linear target
    and noise of standard deviation 1. The notebook's given cell draws the same way.
    """
    scales = rng.permutation(np.geomspace(0.5, 3.0, 8))
    w = rng.normal(size=8)

    def draw(m):
        X = rng.normal(size=(m, 8)) * scales + 1.0
        return X, X @ w + 2.0 + rng.normal(size=m)

    return (*draw(400), *draw(100), *draw(1000))


def _checked_choice(choice, n):
    """Return (lr, epochs, batch_size, patience) from the learner's four numbers, or raise."""
    if choice.shape != (4,):
        raise ValueError(f"expected the four numbers lr, epochs, batch_size, patience; got "
                         f"shape {choice.shape}")
    lr, epochs, batch_size, patience = (float(v) for v in choice)
    if not 0.0 < lr <= 1.0:
        raise ValueError(f"lr must be in (0, 1]; got {lr}")
    for name, value, high in (("epochs", epochs, EPOCHS_MAX), ("batch_size", batch_size, n),
                              ("patience", patience, EPOCHS_MAX)):
        if value != int(value) or not 1 <= value <= high:
            raise ValueError(f"{name} must be an integer from 1 to {high}; got {value:g}")
    return lr, int(epochs), int(batch_size), int(patience)


def _excess_test_error(data, seed):
    """Return a measure: the test MSE of train_linear with a choice, over least squares'.

    It runs in the grader, on data the learner's kernel never sees, with the library's
    ``train_linear`` and ``default_rng(seed)``: only the four numbers come from the learner.
    """
    X, y, X_val, y_val, X_test, y_test = data
    w_ls, b_ls = fit_least_squares(X, y)
    floor = mse(X_test @ w_ls + b_ls, y_test)

    def measure(choice):
        lr, epochs, batch_size, patience = _checked_choice(choice, len(y))
        with np.errstate(over="ignore", invalid="ignore"):  # a divergent choice measures inf
            w, b, _ = train_linear(X, y, X_val, y_val, lr=lr, epochs=epochs,
                                   batch_size=batch_size, patience=patience,
                                   rng=np.random.default_rng(seed))
            return mse(X_test @ w + b, y_test) / floor

    return measure


def _choice_case(what, data, seed):
    return Case(what, program=_CHOICE, check=Within(
        high=1.5, what="the test MSE over the least-squares fit's",
        measure=_excess_test_error(data, seed)))


def _hidden_choose_hyperparameters(rng):
    yield _choice_case("train_linear with your choice on a hidden task of the same kind, "
                       "with a hidden seed", experiment_data(rng), int(rng.integers(2**31)))


ASSIGNMENT = Assignment("ch05_training", "training.ipynb", (
    Part("train_val_test_split", 3, SPLITS, train_val_test_split, (
        _split_case("a 60/20/20 split of 10 samples with default_rng(0): rows keep their labels",
                    *_traced(10), (0.6, 0.2, 0.2), Rng(0)),
        _split_case("an 80/20 split returns (X_train, y_train, X_test, y_test)",
                    *_traced(7), (0.8, 0.2), Rng(1)),
        _split_case("13 samples, 60/20/20: cuts at round(7.8) = 8 and round(10.4) = 10, so the "
                    "sizes are (8, 2, 3), not (8, 3, 2)", *_traced(13), (0.6, 0.2, 0.2), Rng(2),
                    program=_SPLIT_SIZES),
        _split_case("10 samples, 25/75: round(2.5) = 2 (ties go to the even integer)",
                    *_traced(10), (0.25, 0.75), Rng(3), program=_SPLIT_SIZES),
        _split_case("fractions that do not sum to 1 raise ValueError", *_traced(10),
                    (0.5, 0.3, 0.3), Rng(4), raises=ValueError),
        _split_case("a part that would be empty raises ValueError", *_traced(4),
                    (0.8, 0.1, 0.1), Rng(5), raises=ValueError),
        _split_case("X and y with different numbers of samples raise ValueError",
                    _traced(5)[0], np.arange(6), (0.8, 0.2), Rng(6), raises=ValueError),
    ), _hidden_split),
    Part("minibatches", 3, BATCHES, minibatches, (
        _batch_case("10 samples in batches of 4 with default_rng(0): one permutation, batches "
                    "of 4, 4 and 2", _LABELS, *_traced(10), 4, Rng(0)),
        _batch_case("the rows of X move with their labels", _ROWS, *_traced(5), 2, Rng(1)),
        _batch_case("shuffle=False keeps the samples in order", _IN_ORDER, *_traced(7), 3),
        _batch_case("two epochs from the same generator visit the samples in two orders",
                    _TWO_EPOCHS, *_traced(6), 4, Rng(2)),
        _batch_case("batch_size >= N gives one batch of every sample", _LABELS, *_traced(5), 8,
                    Rng(3)),
        _batch_case("batch_size 0 raises ValueError", _LABELS, *_traced(5), 0, Rng(4),
                    raises=ValueError),
        _batch_case("shuffle=True without an rng raises TypeError", _NO_RNG, *_traced(5), 2,
                    raises=TypeError),
    ), _hidden_minibatches),
    Part("EarlyStopping", 4, STOPPING, EarlyStopping, (
        Case("a new monitor: best_loss inf, best_epoch None, wait 0", program=_FRESH,
             inputs={"patience": 3}),
        _monitor_case("losses 3.0, 2.0, 2.5, 2.1 with patience 2: stop at epoch 3, best epoch 1",
                      [3.0, 2.0, 2.5, 2.1], 2),
        _monitor_case("losses 1.00, 0.95, 0.94, 0.935, patience 2, min_delta 0.02: an "
                      "improvement needs val_loss < best_loss - min_delta, so the best epoch is 1",
                      [1.00, 0.95, 0.94, 0.935], 2, 0.02),
        _monitor_case("a loss equal to the best is no improvement; update goes on after a stop: "
                      "wait keeps growing (True again) until an improvement resets it to 0",
                      [0.5, 0.5, 0.7, 0.8, 0.4], 2),
        _monitor_case("a nan loss is never an improvement", [1.0, float("nan"), float("nan")], 2),
        Case("restore writes the best epoch's values back into the same arrays",
             program=_RESTORE, inputs={"losses": [3.0, 2.0, 2.5, 2.1, 1.0], "patience": 2}),
        Case("restore before any update raises RuntimeError", program=_TOO_EARLY,
             inputs={"patience": 2}, raises=RuntimeError),
        Case("patience below 1 raises ValueError", program=_BAD_PATIENCE, inputs={"patience": 0},
             raises=ValueError),
    ), _hidden_early_stopping),
    Part("train_linear", 5, LOOP, train_linear, (
        _loop_case("train_linear stopped by the monitor after 3 of 5 epochs: SGD steps on each "
                   "batch's mean squared error, the validation MSE after every epoch, then "
                   "restore", _CASE_RNG, 12, 2, epochs=5, stop_after=3, batch_size=5, lr=0.05),
        _loop_case("train_linear without a stop: every epoch runs and the monitor still "
                   "restores at the end", _CASE_RNG, 10, 3, epochs=3, stop_after=100,
                   batch_size=4, lr=0.1),
    ), _hidden_train_linear),
    Part("ridge_step", 4, LOOP, ridge_step, (
        Case("ridge_step at a perfect fit, X = [[1], [-1]], y = [1, -1], w = [1], b = 0, "
             "lr = 0.25, lam = 1: only the penalty moves w", (np.array([[1.0], [-1.0]]),
             np.array([1.0, -1.0]), np.array([1.0]), 0.0, 0.25, 1.0), check=RIDGE_SUMS),
        Case("ridge_step with lam = 0 is a plain step: (x, y) = (0, 1), (1, 3) from w = [0], "
             "b = 0 with lr = 0.1", (np.array([[0.0], [1.0]]), np.array([1.0, 3.0]),
                                     np.array([0.0]), 0.0, 0.1, 0.0), check=RIDGE_SUMS),
        Case("ridge_step with D = 2, lam = 0.5", (np.array([[1.0, 2.0], [0.0, -1.0], [2.0, 1.0]]),
             np.array([1.0, 0.0, -1.0]), np.array([0.5, -0.5]), 0.25, 0.1, 0.5),
             check=RIDGE_SUMS),
        Case("ridge_step does not penalize the intercept: a perfect fit with w = [0] and "
             "b = 5 stays there", (np.array([[1.0], [2.0]]), np.array([5.0, 5.0]),
                                   np.array([0.0]), 5.0, 0.1, 3.0), check=RIDGE_SUMS),
        Case("ridge_step with lam < 0 raises ValueError", (np.array([[1.0], [2.0]]),
             np.array([1.0, 2.0]), np.array([1.0]), 0.0, 0.1, -1.0), raises=ValueError),
        Case("ridge_step must not modify w", program=_RIDGE_KEEPS_W,
             inputs={"X": np.array([[1.0, 0.0], [0.0, 1.0]]), "y": np.array([1.0, 1.0]),
                     "w": np.array([2.0, -2.0])}),
    ), _hidden_ridge_step, kind="derive"),
    Part("choose_hyperparameters", 5, LOOP, choose_hyperparameters, (
        _choice_case("train_linear with your choice on the notebook's example task "
                     "(experiment_data(np.random.default_rng(0)), training seed 1)",
                     experiment_data(np.random.default_rng(0)), 1),
    ), _hidden_choose_hyperparameters, kind="experiment"),
))
ASSIGNMENT = catalogued(ASSIGNMENT, MISTAKES)
