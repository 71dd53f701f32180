"""Chapter 7 mutants: one per catalogued mistake (autograder/catalogues/ch07_deep_training.py),
and a few more.

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake (or none).
"""

from tests.mutants import Mutant, catalogued

_SHAPE = "size=(fan_in, fan_out)"

MUTANTS = {
    **catalogued("ch07_deep_training"),
    # Draws from the global generator: the grader cannot reproduce it, so nothing is named.
    "xavier_global_rng": Mutant(
        "xavier_uniform",
        f"    a = np.sqrt(6.0 / (fan_in + fan_out))\n"
        f"    return np.random.uniform(-a, a, {_SHAPE})\n"),
    "dropout_global_rng": Mutant(
        "dropout_forward",
        "    if not 0 <= p < 1:\n"
        "        raise ValueError('p must lie in [0, 1)')\n"
        "    if not training:\n"
        "        return x, np.ones_like(x)\n"
        "    mask = (np.random.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)\n"
        "    return x * mask, mask\n"),
    # The layers written again instead of calling dense_backward and relu_backward: right
    # for the real layers, but the part is judged with stand-ins for them (as the notebook
    # says), so that a mistake in the pasted Chapter 6 functions costs no point here.
    "residual_bypasses_the_layer_functions": Mutant(
        "residual_backward",
        "    (x, w1), h, (a, w2) = cache\n"
        "    dh = (dout @ w2.T) * (h > 0)\n"
        "    return (dout + dh @ w1.T, x.T @ dh, dh.sum(axis=0), a.T @ dout,\n"
        "            dout.sum(axis=0))\n"),
    # Another wrong spread: its statistics are those of the catalogued one.
    "he_with_xavier_variance": Mutant(
        "he_normal",
        f"    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), {_SHAPE})\n",
        "the weights did not have the variance 2 / fan_in"),
}
