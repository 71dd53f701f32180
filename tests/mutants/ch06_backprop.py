"""Chapter 6 mutants: one per catalogued mistake (autograder/catalogues/ch06_backprop.py),
and choices of the experiment part, which is judged by a stated range rather than by a
reference value, so that no catalogued mistake can match them.

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake (or none).
"""

from tests.mutants import Mutant, catalogued

_CLASSIFIER = (
    "    hidden, classes = {HIDDEN}, int(y.max()) + 1\n"
    "    params = {{'W1': rng.normal(scale=np.sqrt(2 / X.shape[1]), size=(X.shape[1], hidden)),\n"
    "              'b1': np.zeros(hidden),\n"
    "              'W2': rng.normal(scale=np.sqrt(2 / hidden), size=(hidden, classes)),\n"
    "              'b2': np.zeros(classes)}}\n"
    "    for _ in range({EPOCHS}):\n"
    "        for batch in np.array_split(rng.permutation(len(y)), len(y) // 32):\n"
    "            _, params = train_step(params, X[batch], y[batch], {LR})\n"
    "    h = np.maximum(X_test @ params['W1'] + params['b1'], 0)\n"
    "    return np.argmax(h @ params['W2'] + params['b2'], axis=1)\n")

MUTANTS = {
    **catalogued("ch06_backprop"),
    # The network is initialised and never trained: about one test point in three right.
    "train_classifier_untrained": Mutant(
        "train_classifier", _CLASSIFIER.format(HIDDEN=64, EPOCHS=0, LR=0.3)),
    # Two hidden units cannot draw two closed boundaries around the rings.
    "train_classifier_too_narrow": Mutant(
        "train_classifier", _CLASSIFIER.format(HIDDEN=2, EPOCHS=60, LR=0.3)),
    # A rate far above what the loss tolerates: the weights blow up (or the units die).
    "train_classifier_divergent_rate": Mutant(
        "train_classifier", _CLASSIFIER.format(HIDDEN=64, EPOCHS=60, LR=200.0)),
}
