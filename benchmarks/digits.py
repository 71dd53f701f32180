"""Small batches: training on scikit-learn's digits, ``solutions`` against ``MLPClassifier``.

A 64-128-10 ReLU network, Adam (lr 1e-3), batch 32, float32, on the same 60/20/20 split
(standardized with the training set's statistics), for the same number of epochs:

solutions   ``solutions.training.fit`` of ``solutions.network.MLP`` (it also evaluates the
            training and validation sets after every epoch, as the book's curves need).
sklearn     ``sklearn.neural_network.MLPClassifier(hidden_layer_sizes=(128,), solver="adam",
            batch_size=32, alpha=0, tol=0)`` for the same epochs (no early stopping; its
            ``fit`` records the training loss of every batch).

At batch 32 the matrix products are tiny (32x64 by 64x128): the step is Python overhead,
which is what this benchmark watches. Each time is the best of ``ROUNDS`` runs, the two
contenders taking turns.
"""

import warnings

import numpy as np

from benchmarks.train_step import CLOCK, THREADS

EPOCHS = 10
ROUNDS = 5
BATCH = 32


def digits_split(seed=0):
    """scikit-learn's digits, split 60/20/20 by the library, standardized, float32."""
    from solutions.data import load_digits
    from solutions.training import train_val_test_split

    X, y = load_digits()
    X_train, y_train, X_val, y_val, X_test, y_test = train_val_test_split(
        X, y, rng=np.random.default_rng(seed))
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-8
    scale = [((X - mean) / std).astype(np.float32) for X in (X_train, X_val, X_test)]
    return scale[0], y_train, scale[1], y_val, scale[2], y_test


def run_solutions(data, epochs=EPOCHS, seed=0):
    """Seconds to train with :func:`solutions.training.fit`, and the test accuracy."""
    from solutions.network import MLP
    from solutions.optim import Adam
    from solutions.training import evaluate, fit

    X_train, y_train, X_val, y_val, X_test, y_test = data
    rng = np.random.default_rng(seed)
    net = MLP((64, 128, 10), rng=rng)
    start = CLOCK()
    fit(net, X_train, y_train, X_val=X_val, y_val=y_val, optimizer=Adam(lr=1e-3),
        epochs=epochs, batch_size=BATCH, rng=rng)
    seconds = CLOCK() - start
    return seconds, evaluate(net, X_test, y_test)[1]


def run_sklearn(data, epochs=EPOCHS, seed=0):
    """Seconds to train scikit-learn's MLPClassifier the same way, and the test accuracy."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X_train, y_train, _, _, X_test, y_test = data
    clf = MLPClassifier(hidden_layer_sizes=(128,), solver="adam", learning_rate_init=1e-3,
                        batch_size=BATCH, alpha=0.0, max_iter=epochs, tol=0.0,
                        n_iter_no_change=epochs + 1, shuffle=True, random_state=seed)
    start = CLOCK()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X_train, y_train)
    seconds = CLOCK() - start
    return seconds, clf.score(X_test, y_test)


def measure(rounds=ROUNDS, epochs=EPOCHS):
    """Best seconds and last test accuracy of each contender, taking turns."""
    data = digits_split()
    best, accuracy = {}, {}
    for _ in range(rounds):
        for name, run in (("solutions", run_solutions), ("sklearn", run_sklearn)):
            seconds, accuracy[name] = run(data, epochs)
            best[name] = min(seconds, best.get(name, seconds))
    return best, accuracy


def main():
    from threadpoolctl import threadpool_limits

    n_train = digits_split()[0].shape[0]
    steps = EPOCHS * -(-n_train // BATCH)
    print(f"Digits 64-128-10, ReLU, Adam, batch {BATCH}, float32, {EPOCHS} epochs "
          f"({steps} steps); best of {ROUNDS} runs; {THREADS} BLAS thread(s)")
    with threadpool_limits(THREADS, user_api="blas"):
        best, accuracy = measure()
    for name in ("solutions", "sklearn"):
        print(f"  {name:<10} {best[name] * 1e3:8.1f} ms  {best[name] / steps * 1e6:6.1f} us/step"
              f"  test accuracy {accuracy[name]:.3f}")
    print(f"  solutions / sklearn: {best['solutions'] / best['sklearn']:.2f}")


if __name__ == "__main__":
    main()
