"""Chapter 7, training deep networks: the manifest.

Fifteen parts, 26 points, by kind (``Part.kind``):

* *implement*, 17 points: the two initializers, the leaky ReLU, PReLU's forward, ELU,
  dropout, batch norm (the chapter derives its training-mode gradient, so
  ``batchnorm_backward`` counts as implemented) and ``residual_backward`` (the chain of
  the dense and ReLU backward calls plus the identity path the chapter derives).
* *derive*, 9 points: ``prelu_backward`` (2; the gradient of the learned slopes, which the
  chapter leaves to the exercise), ``silu_backward`` (3; the SiLU x sigmoid(x), by the
  product rule, printed nowhere) and ``layernorm_backward`` (4; the book derives batch
  norm's gradient, with statistics over the batch; layer norm takes them over each
  sample's features, and its gradient is printed nowhere).

So 9 of 26 points (35 %) are for work whose answer no page, download or notebook holds.

No cell of the notebook holds another assignment's answer: the dense and ReLU pairs that
the residual block uses are the learner's own Chapter 6 functions, pasted into a marked
cell that is not graded again here. ``residual_backward`` is judged with stand-ins for
them (fake functions of the same signatures, in the case's program), so its points depend
neither on the pasted code nor on the chapter 6 answer, and a composition that bypasses
the layer functions is caught.

Backward passes are judged on random float64 inputs with a random upstream gradient,
against the library. The caches have fixed, documented formats (tuples), so that a
backward part is judged on its own and a mistake in a forward pass costs only that part.

Random parts (the two initializers and dropout) cannot be compared draw by draw: a
correct answer may draw its numbers differently from the reference. Each of their cases
is a short program that draws with ``np.random.default_rng(seed)`` (a fresh seed per
hidden case) and returns either something deterministic (a shape, a dtype, whether two
draws with the same seed agree, whether every entry lies in the allowed set) or a boolean
"this statistic lies within its tolerance". The reference runs the same program on its
own draw, so the expected outcome is ``True``.

How the tolerances were chosen: every statistical check is a two-sided bound that a
correct answer violates with probability at most delta = 1e-8, by a rigorous tail
bound (not a normal approximation), for n = fan_in * fan_out >= 60,000 entries (n =
20,000 units for dropout):

* Xavier uniform, ``w ~ U(-a, a)``, ``a = sqrt(6 / (D + M))``. ``w**2`` lies in
  ``[0, a**2]``, so Hoeffding's inequality gives
  ``P(|mean(w**2) - a**2/3| >= t a**2) <= 2 exp(-2 n t**2)``; with
  ``t = sqrt(ln(2/delta) / (2n))`` the relative tolerance on the variance is ``3t``
  (3.8 % for n = 60,000). ``w`` lies in ``[-a, a]`` (range 2a), so
  ``|mean(w)| <= a sqrt(2 ln(2/delta) / n)`` (0.025 a). ``max |w| >= 0.99 a`` fails
  with probability ``0.99**n < 1e-260``.
* He normal, ``w ~ N(0, s2)``, ``s2 = 2 / D``. ``n mean(w**2) / s2`` is chi-square with
  n degrees of freedom; the Laurent-Massart bounds with ``x = ln(2/delta)`` give the
  relative tolerance ``(2 sqrt(n x) + 2x) / n`` on both sides (3.6 % for n = 60,000).
  ``mean(w)`` is exactly normal: ``|mean(w)| <= z sqrt(s2 / n)`` with ``z = 5.73``
  (``2 (1 - Phi(z)) = 1e-8``). The fraction of entries with ``|w| > 2 sqrt(s2)`` is a
  mean of n indicators with expectation ``erfc(sqrt 2) = 0.0455``; Hoeffding gives the
  tolerance ``sqrt(ln(2/delta) / (2n))`` (0.0126). A uniform draw with the right
  variance has no such entries, so this check tells a normal draw from a uniform one.
* Dropout: the fraction of dropped units among n = 20,000 is a mean of indicators with
  expectation p; Hoeffding's tolerance ``sqrt(ln(2/delta) / (2n))`` is 0.022, far less
  than the gap 0.4 between p = 0.3 and its complement 1 - p.

Each random part has at most 3 statistical checks per draw and 3 draws (one visible,
two hidden), so a correct answer loses a part with probability at most 9e-8, and the
whole assignment with probability below 3e-7 < 1e-6. The wrong answers these checks
catch are far outside the tolerances: a variance of 1/D or 2/(D + M) instead of 2/D
(fan_in != fan_out by a factor 1.5 or more), a uniform instead of a normal draw, the
probability of keeping instead of dropping.

Deterministic parts are compared with ``Close``, rtol 1e-6 and atol 1e-9 on float64 results
(elementwise formulas; the backward passes' sums of at most 8 products are about 1e-15
off); float32 results rtol 1e-6 (leaky ReLU and PReLU, one product) or rtol 1e-4 and atol
1e-5 (batch norm: a mean, a variance and a square root). ``silu_backward``'s float32
case is judged by ``Rounding`` with the magnitude |dout| (1 + 2 |x|): any formula of the
sigmoid in [0, 1] is within a few units of roundoff of it absolutely, not relatively (the
tanh form cancels for very negative x), and the slope s (1 + x (1 - s)) carries that error
times at most 1 + 2 |x|. ``layernorm_backward`` is compared with ``Close`` as batch norm's
is (at most 6 features, about 1e-15 off). ``elu_forward`` on float32 inputs
is judged by ``Rounding``: within 2 gamma_16 alpha (exp(x) + 1) where x <= 0 (|x| elsewhere,
exactly), the rounding of the book's alpha (exp(x) - 1) with NumPy's float32 exp, which a
relative tolerance failed near x = 0 on 0.6 % of seeds.
"""

import math

import numpy as np

from autograder.catalogues.ch07_deep_training import MISTAKES
from autograder.manifest import Assignment, Case, Close, Part, Rounding, Section
from autograder.mistakes import catalogued
from solutions import activations, init, layers

INIT = Section("ch07-init", "Chapter 7, 'Weight initialization: keeping the variance constant'")
ACTIVATIONS = Section("ch07-activations", "Chapter 7, 'Activation functions that do not saturate'")
DROPOUT = Section("ch07-dropout", "Chapter 7, 'Dropout'")
BATCHNORM = Section("ch07-batchnorm", "Chapter 7, 'Batch normalization'")
SKIP = Section("ch07-skip", "Chapter 7, 'Skip connections'")

DELTA = 1e-8
"""Probability that one statistical check fails for a correct answer."""


def _hoeffding(n, value_range=1.0):
    """Half-width t with P(|mean - expectation| >= t) <= DELTA, for n values in a range."""
    return value_range * math.sqrt(math.log(2 / DELTA) / (2 * n))


def _chi2_relative(n):
    """Relative half-width of mean(w**2) / s2 for n normal draws (Laurent-Massart)."""
    x = math.log(2 / DELTA)
    return (2 * math.sqrt(n * x) + 2 * x) / n


Z_MEAN = 5.73
"""Two-sided normal quantile: 2 (1 - Phi(5.73)) = 1.0e-8 (rounded up from 5.7307)."""
P_BEYOND_2SD = math.erfc(math.sqrt(2.0))
"""P(|Z| > 2) for a standard normal Z, 0.0455."""


# --- references with the notebook's interface ------------------------------------------


def xavier_uniform(fan_in, fan_out, rng):
    """Draw U(-a, a) weights, a = sqrt(6 / (fan_in + fan_out)), in float64."""
    return init.xavier_uniform(fan_in, fan_out, rng)


def he_normal(fan_in, fan_out, rng):
    """Draw N(0, 2 / fan_in) weights in float64."""
    return init.he_normal(fan_in, fan_out, rng)


def leaky_relu_forward(x, alpha=0.01):
    """Return the output and the cache ``(x, alpha)``."""
    return activations.leaky_relu_forward(x, alpha)[0], (x, alpha)


def leaky_relu_backward(dout, cache):
    """Return dout where x > 0, alpha * dout elsewhere (x = 0 included)."""
    x, alpha = cache
    return activations.leaky_relu_backward(dout, activations.LeakyReluCache(x, alpha))


def prelu_forward(x, alpha):
    """Return the output and the cache ``(x, alpha)``; alpha of shape (M,)."""
    return activations.prelu_forward(x, alpha)[0], (x, alpha)


def prelu_backward(dout, cache):
    """Return ``(dx, dalpha)`` with dalpha_m = sum_n dout_nm min(x_nm, 0)."""
    x, alpha = cache
    return activations.prelu_backward(dout, activations.PReluCache(x, alpha.astype(x.dtype)))


def elu_forward(x, alpha=1.0):
    """Return the output and the cache ``(x, alpha)``."""
    return activations.elu_forward(x, alpha)[0], (x, alpha)


def elu_backward(dout, cache):
    """Return dout where x > 0, dout * alpha * exp(x) elsewhere."""
    x, alpha = cache
    out = activations.elu_forward(x, alpha)[0]
    return activations.elu_backward(dout, activations.EluCache(x, out, alpha))


def dropout_forward(x, p, rng, training):
    """Return the output and the cache ``mask`` (0 or 1/(1-p); ones when not training)."""
    out, cache = layers.dropout_forward(x, p, rng, training)
    mask = np.ones_like(x) if cache.mask is None else cache.mask
    return out, mask


def dropout_backward(dout, cache):
    """Return dout * mask."""
    return dout * cache


def batchnorm_forward(x, gamma, beta, running_mean, running_var, training,
                      momentum=0.9, eps=1e-5):
    """Return ``(out, cache, new_running_mean, new_running_var)``.

    The cache is ``(x, gamma, mean, var, eps, training)``: the statistics used to
    normalize (the batch's in training, the running ones in evaluation).
    """
    state = layers.BatchNormState(running_mean, running_var)
    out, _, new = layers.batchnorm_forward(x, gamma, beta, state, training, momentum, eps)
    mean, var = (x.mean(axis=0), x.var(axis=0)) if training else (running_mean, running_var)
    return out, (x, gamma, mean, var, eps, training), new.running_mean, new.running_var


def batchnorm_backward(dout, cache):
    """Return ``(dx, dgamma, dbeta)`` from the cache (x, gamma, mean, var, eps, training)."""
    x, gamma, mean, var, eps, training = cache
    inv_std = 1 / np.sqrt(var + eps)
    lib_cache = layers.BatchNormCache((x - mean) * inv_std, gamma, inv_std, training)
    return layers.batchnorm_backward(dout, lib_cache)


def dense_backward(dout, cache):
    """Chapter 6's dense backward with the cache ``(x, w)``: ``(dx, dw, db)``."""
    x, w = cache
    return layers.dense_backward(dout, layers.DenseCache(x, w))


def relu_backward(dout, cache):
    """Chapter 6's ReLU backward with the input as the cache (0 at the kink)."""
    return activations.relu_backward(dout, activations.ReluCache(np.maximum(cache, 0)))


def residual_backward(dout, cache):
    """Return ``(dx, dw1, db1, dw2, db2)`` of out = x + relu(x w1 + b1) w2 + b2.

    Calls ``dense_backward`` and ``relu_backward`` through this module's globals, so that a
    case's ``stand_ins`` replaces them here as it does in the learner's notebook.
    """
    cache1, cache_relu, cache2 = cache
    da, dw2, db2 = dense_backward(dout, cache2)
    dh = relu_backward(da, cache_relu)
    dx, dw1, db1 = dense_backward(dh, cache1)
    return dx + dout, dw1, db1, dw2, db2


def silu_backward(dout, cache):
    """Return ``dout * s (1 + x (1 - s))``, s = sigmoid(x), the gradient of x sigmoid(x)."""
    return activations.silu_backward(dout, activations.silu_forward(cache)[1])


def layernorm_backward(dout, cache):
    """Return ``(dx, dgamma, dbeta)`` from the cache ``(x, gamma, mean, var, eps)``.

    mean and var are each sample's, of shape (N, 1).
    """
    x, gamma, mean, var, eps = cache
    inv_std = 1 / np.sqrt(var + eps)
    return layers.layernorm_backward(dout, layers.LayerNormCache((x - mean) * inv_std, gamma,
                                                                 inv_std))


# --- programs --------------------------------------------------------------------------

_DRAW = "w = {name}(fan_in, fan_out, np.random.default_rng(seed))\n"
_SHAPE = "result = (tuple(w.shape), bool(w.dtype == np.float64))"
_SAME_SEED = ("again = {name}(fan_in, fan_out, np.random.default_rng(seed))\n"
              "result = bool(np.array_equal(w, again))")
_XAVIER_BOUND = ("a = np.sqrt(6.0 / (fan_in + fan_out))\n"
                 "result = bool(np.all(np.abs(w) <= a) and np.max(np.abs(w)) >= 0.99 * a)")
_XAVIER_MOMENTS = ("a = np.sqrt(6.0 / (fan_in + fan_out))\n"
                   "result = (bool(abs(np.mean(w ** 2) / (a * a / 3) - 1) <= tol_var),\n"
                   "          bool(abs(np.mean(w)) <= tol_mean * a))")
_HE_MOMENTS = ("s2 = 2.0 / fan_in\n"
               "result = (bool(abs(np.mean(w ** 2) / s2 - 1) <= tol_var),\n"
               "          bool(abs(np.mean(w)) <= z_mean * np.sqrt(s2 / w.size)))")
_HE_TAILS = ("beyond = np.mean(np.abs(w) > 2.0 * np.sqrt(2.0 / fan_in))\n"
             "result = bool(abs(beyond - p_beyond) <= tol_tail)")


def _init_cases(name, fan_in, fan_out, seed):
    """Yield the cases of one initializer for one shape and seed (statistics of a draw)."""
    base = {"fan_in": fan_in, "fan_out": fan_out, "seed": seed}
    n = fan_in * fan_out
    draw = _DRAW.format(name=name)
    shape = f"{name}({fan_in}, {fan_out}, rng)"
    yield Case(f"{shape} should return a float64 array of shape ({fan_in}, {fan_out})",
               program=draw + _SHAPE, inputs=base)
    yield Case(f"{shape} twice with generators of the same seed should give the same weights "
               "(draw with rng, never with np.random.*)",
               program=draw + _SAME_SEED.format(name=name), inputs=base)
    if name == "xavier_uniform":
        yield Case(f"{shape}: every |w| <= a = sqrt(6 / (fan_in + fan_out)), and the largest "
                   "|w| close to a (a uniform draw on [-a, a])",
                   program=draw + _XAVIER_BOUND, inputs=base)
        yield Case(f"{shape}: mean(w**2) within {3 * _hoeffding(n):.1%} of a**2 / 3 = "
                   f"2 / (fan_in + fan_out), and mean(w) within {_hoeffding(n, 2.0):.3f} a of 0",
                   program=draw + _XAVIER_MOMENTS,
                   inputs={**base, "tol_var": 3 * _hoeffding(n), "tol_mean": _hoeffding(n, 2.0)})
    else:
        yield Case(f"{shape}: mean(w**2) within {_chi2_relative(n):.1%} of 2 / fan_in, and "
                   f"mean(w) within {Z_MEAN} sqrt(2 / fan_in / n) of 0",
                   program=draw + _HE_MOMENTS,
                   inputs={**base, "tol_var": _chi2_relative(n), "z_mean": Z_MEAN})
        yield Case(f"{shape}: the fraction of |w| > 2 sqrt(2 / fan_in) within "
                   f"{_hoeffding(n):.3f} of {P_BEYOND_2SD:.4f} (a normal, not a uniform, draw)",
                   program=draw + _HE_TAILS,
                   inputs={**base, "p_beyond": P_BEYOND_2SD, "tol_tail": _hoeffding(n)})


_INIT_SHAPES = ((300, 200), (200, 400), (500, 150), (120, 600))


def _hidden_init(name):
    def hidden(rng):
        for k in rng.choice(len(_INIT_SHAPES), size=2, replace=False):
            fan_in, fan_out = _INIT_SHAPES[k]
            yield from _init_cases(name, fan_in, fan_out, int(rng.integers(2**31)))
    return hidden


_OUT = "result = {name}(*args)[0]"
_LEAKY_OUT = "result = leaky_relu_forward(x, alpha)[0]"
_LEAKY_DEFAULT = "result = leaky_relu_forward(x)[0]"
_PRELU_OUT = "result = prelu_forward(x, alpha)[0]"
_ELU_OUT = "result = elu_forward(x, alpha)[0]"
_ELU_DEFAULT = "result = elu_forward(x)[0]"

_DROP_EVAL = ("out, mask = dropout_forward(x, p, np.random.default_rng(seed), False)\n"
              "result = (out, mask)")
_DROP_X = "x = np.linspace(0.5, 2.5, num=20_000).reshape(100, 200)  # nonzero inputs\n"
_DROP_VALUES = (_DROP_X + "out, mask = dropout_forward(x, p, np.random.default_rng(seed), True)\n"
                "kept = np.isclose(out, x / (1 - p), rtol=1e-6, atol=0.0)\n"
                "result = (bool(np.all((out == 0) | kept)), bool(np.allclose(out, x * mask)))")
_DROP_RATE = (_DROP_X + "out, mask = dropout_forward(x, p, np.random.default_rng(seed), True)\n"
              "result = bool(abs(np.mean(out == 0) - p) <= tol)")
_DROP_SEED = (_DROP_X + "out1, _ = dropout_forward(x, p, np.random.default_rng(seed), True)\n"
              "out2, _ = dropout_forward(x, p, np.random.default_rng(seed), True)\n"
              "result = bool(np.array_equal(out1, out2))")
_DROP_DTYPE = ("out, mask = dropout_forward(x, p, np.random.default_rng(seed), True)\n"
               "result = (bool(out.dtype == x.dtype), bool(mask.dtype == x.dtype))")
_DROP_RAISES = "result = dropout_forward(x, p, np.random.default_rng(0), True)[0]"

_BN_TRAIN = ("out, cache, new_mean, new_var = batchnorm_forward(\n"
             "    x, gamma, beta, running_mean, running_var, training, momentum, eps)\n"
             "result = (out, new_mean, new_var)")
_BN_OUT = ("out, cache, new_mean, new_var = batchnorm_forward(\n"
           "    x, gamma, beta, running_mean, running_var, True)\n"
           "result = out")
_BN_UNCHANGED = ("saved = (running_mean.copy(), running_var.copy(), x.copy())\n"
                 "batchnorm_forward(x, gamma, beta, running_mean, running_var, True)\n"
                 "result = bool(np.array_equal(saved[0], running_mean)\n"
                 "              and np.array_equal(saved[1], running_var)\n"
                 "              and np.array_equal(saved[2], x))")

# Stand-ins with the Chapter 6 backward functions' signatures. Not the real layers (they give
# nothing away), but every output depends on every input, so a composition that passes the
# wrong gradient or cache, skips a call or computes a layer itself gives other numbers.
_RESIDUAL = '''def fake_dense_backward(dout, cache):
    x, w = cache
    dx = np.tanh(dout) @ w.T + 0.5 * x
    dw = np.cos(x).T @ dout + 0.1 * w
    return dx, dw, dout.max(axis=0) - 0.5 * dout.min(axis=0)

def fake_relu_backward(dout, cache):
    return dout * np.exp(-np.abs(cache)) + 0.1 * cache

h = x @ w1 + b1
a = np.maximum(h, 0)
with stand_ins(residual_backward, dense_backward=fake_dense_backward,
               relu_backward=fake_relu_backward):
    result = residual_backward(dout, ((x, w1), h, (a, w2)))'''
_SILU_F32 = "result = silu_backward(dout, x)"


def _layernorm_cache(x, gamma, eps):
    """Return the given layernorm_forward's cache (x, gamma, mean, var, eps), stats (N, 1)."""
    return x, gamma, x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True), eps


def _with_zero(x):
    """X with one entry set to exactly 0 (the kink), as a copy."""
    x = x.copy()
    x.flat[1] = 0.0
    return x


# --- hidden cases ----------------------------------------------------------------------


def _hidden_leaky_forward(rng):
    x = _with_zero(rng.normal(size=(4, 5)))
    alpha = float(rng.uniform(0.05, 0.5))
    yield Case(f"leaky_relu_forward of a random (4, 5) array with alpha = {alpha:.3f}",
               program=_LEAKY_OUT, inputs={"x": x, "alpha": alpha})
    yield Case("leaky_relu_forward with the default alpha = 0.01", program=_LEAKY_DEFAULT,
               inputs={"x": x})
    yield Case("leaky_relu_forward on float32 inputs (a float32 result)", program=_LEAKY_OUT,
               inputs={"x": x.astype(np.float32), "alpha": alpha},
               check=Close(rtol=1e-6, dtype=True))


def _hidden_leaky_backward(rng):
    x = _with_zero(rng.normal(size=(5, 3)))
    alpha = float(rng.uniform(0.05, 0.5))
    yield Case("leaky_relu_backward on a random input with a random upstream gradient; at "
               "x = 0 the slope is alpha", (rng.normal(size=(5, 3)), (x, alpha)))


def _hidden_prelu_forward(rng):
    n, m = int(rng.integers(3, 7)), int(rng.integers(2, 6))
    x, alpha = _with_zero(rng.normal(size=(n, m))), rng.uniform(0.0, 0.5, size=m)
    yield Case(f"prelu_forward of a random ({n}, {m}) array, one slope per column",
               program=_PRELU_OUT, inputs={"x": x, "alpha": alpha})
    yield Case("prelu_forward on float32 inputs (a float32 result)", program=_PRELU_OUT,
               inputs={"x": x.astype(np.float32), "alpha": alpha.astype(np.float32)},
               check=Close(rtol=1e-6, dtype=True))


def _hidden_prelu_backward(rng):
    n, m = int(rng.integers(3, 8)), int(rng.integers(2, 6))
    x, alpha = _with_zero(rng.normal(size=(n, m))), rng.uniform(0.0, 0.5, size=m)
    yield Case(f"prelu_backward on random float64 inputs (N={n}, M={m}) with a random upstream "
               "gradient: (dx, dalpha), dalpha of shape (M,) summed over the batch",
               (rng.normal(size=(n, m)), (x, alpha)))


def _elu_magnitudes(x, alpha):
    """Return what alpha (exp(x) - 1) rounds: alpha (exp(x) + 1) where x <= 0; x elsewhere."""
    return np.where(x > 0, np.abs(x), alpha * (np.exp(np.minimum(x, 0.0)) + 1.0))


ELU_ROUNDINGS = 16
"""exp within 4 ulps (8 u) as NumPy computes it, then a subtraction, a product and a cast."""


def _hidden_elu_forward(rng):
    x = _with_zero(rng.normal(scale=2.0, size=(4, 5)))
    alpha = float(rng.uniform(0.5, 2.0))
    yield Case(f"elu_forward of a random (4, 5) array with alpha = {alpha:.3f}",
               program=_ELU_OUT, inputs={"x": x, "alpha": alpha})
    yield Case("elu_forward with the default alpha = 1", program=_ELU_DEFAULT, inputs={"x": x})
    yield Case("elu_forward at |x| up to 1e4 must not overflow or warn (exponentiate only the "
               "non-positive part)", program=_ELU_OUT,
               inputs={"x": np.array([-1e4, -800.0, 0.0, 800.0, 1e4]) * rng.uniform(1, 1.1),
                       "alpha": alpha}, strict_fp=True)
    yield Case("elu_forward on float32 inputs (a float32 result)", program=_ELU_OUT,
               inputs={"x": x.astype(np.float32), "alpha": alpha},
               check=Rounding(_elu_magnitudes, ELU_ROUNDINGS, dtype=True))


def _hidden_elu_backward(rng):
    x = _with_zero(rng.normal(scale=2.0, size=(5, 3)))
    alpha = float(rng.uniform(0.5, 2.0))
    yield Case("elu_backward on a random input with a random upstream gradient; at x = 0 the "
               "slope is alpha (the left side)", (rng.normal(size=(5, 3)), (x, alpha)))
    yield Case("elu_backward at |x| up to 1e4 must not overflow or warn",
               (rng.normal(size=5), (np.array([-1e4, -800.0, 0.0, 800.0, 1e4]), alpha)),
               strict_fp=True)


_DROP_N = 20_000
"""Units in the dropout programs' input (nonzero, so the dropped ones are the zeros of out)."""


def _dropout_cases(p, seed):
    base = {"p": p, "seed": seed}
    yield Case(f"dropout_forward(x, p={p}, rng, training=True): every output is 0 or "
               "x / (1 - p), and out == x * mask", program=_DROP_VALUES, inputs=base)
    yield Case(f"dropout_forward(x, p={p}, rng, training=True) should drop a fraction p of the "
               f"20,000 units, within {_hoeffding(_DROP_N):.3f}",
               program=_DROP_RATE, inputs={**base, "tol": _hoeffding(_DROP_N)})
    yield Case("dropout_forward with two generators of the same seed should drop the same "
               "units (draw with rng, never with np.random.*)", program=_DROP_SEED, inputs=base)


def _hidden_dropout_forward(rng):
    p = float(rng.choice([0.2, 0.3, 0.6]))
    yield from _dropout_cases(p, int(rng.integers(2**31)))
    x = rng.normal(size=(3, 4))
    yield Case("dropout_forward with training=False: out is x and the mask is all ones",
               program=_DROP_EVAL, inputs={"x": x, "p": p, "seed": int(rng.integers(100))})
    yield Case("dropout_forward should keep float32 in float32 (out and mask)",
               program=_DROP_DTYPE, inputs={"x": x.astype(np.float32), "p": p,
                                            "seed": int(rng.integers(100))})
    yield Case("dropout_forward should raise ValueError when p is not in [0, 1)",
               program=_DROP_RAISES, inputs={"x": x, "p": float(rng.choice([1.0, 1.5, -0.1]))},
               raises=ValueError)


def _hidden_dropout_backward(rng):
    p = float(rng.uniform(0.1, 0.7))
    mask = (rng.random((4, 6)) >= p) / (1 - p)
    yield Case("dropout_backward with a random mask and a random upstream gradient",
               (rng.normal(size=(4, 6)), mask))


def _bn_inputs(rng, training):
    n, m = int(rng.integers(4, 9)), int(rng.integers(2, 5))
    return {"x": rng.normal(loc=rng.normal(size=m) * 3, scale=rng.uniform(0.5, 3.0, size=m),
                            size=(n, m)),
            "gamma": rng.uniform(0.5, 2.0, size=m), "beta": rng.normal(size=m),
            "running_mean": rng.normal(size=m), "running_var": rng.uniform(0.5, 2.0, size=m),
            "training": training, "momentum": float(rng.uniform(0.5, 0.99)),
            "eps": float(rng.choice([1e-5, 0.1]))}


def _hidden_bn_forward(rng):
    yield Case("batchnorm_forward in training mode on random inputs: out, and the running "
               "statistics moved towards the batch mean and the unbiased batch variance",
               program=_BN_TRAIN, inputs=_bn_inputs(rng, True))
    yield Case("batchnorm_forward in evaluation mode: normalize with the running statistics, "
               "return them unchanged", program=_BN_TRAIN, inputs=_bn_inputs(rng, False))
    inputs = _bn_inputs(rng, True)
    yield Case("batchnorm_forward must not modify running_mean, running_var or x",
               program=_BN_UNCHANGED, inputs=inputs)
    yield Case("batchnorm_forward on float32 inputs (a float32 result)", program=_BN_OUT,
               inputs={k: (v.astype(np.float32) if isinstance(v, np.ndarray) else v)
                       for k, v in inputs.items() if k in ("x", "gamma", "beta",
                                                           "running_mean", "running_var")},
               check=Close(rtol=1e-4, atol=1e-5, dtype=True))


def _bn_cache(rng, training):
    n, m = int(rng.integers(4, 9)), int(rng.integers(2, 5))
    x = rng.normal(loc=1.0, scale=2.0, size=(n, m))
    eps = float(rng.choice([1e-5, 0.1]))
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
    else:
        mean, var = rng.normal(size=m), rng.uniform(0.5, 2.0, size=m)
    return rng.normal(size=(n, m)), (x, rng.uniform(0.5, 2.0, size=m), mean, var, eps, training)


def _hidden_bn_backward(rng):
    yield Case("batchnorm_backward in training mode on random float64 inputs with a random "
               "upstream gradient: the batch mean and variance depend on x",
               _bn_cache(rng, True))
    yield Case("batchnorm_backward in evaluation mode (constant running statistics)",
               _bn_cache(rng, False))


def _hidden_residual(rng):
    n, d, m = int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(2, 7))
    yield Case(f"residual_backward on random float64 inputs (N={n}, D={d}, M={m}) with a "
               "random upstream gradient: (dx, dw1, db1, dw2, db2)", program=_RESIDUAL,
               inputs={"x": rng.normal(size=(n, d)), "w1": rng.normal(size=(d, m)),
                       "b1": rng.normal(size=m), "w2": rng.normal(size=(m, d)),
                       "b2": rng.normal(size=d), "dout": rng.normal(size=(n, d))})


def _silu_magnitudes(dout, x):
    """|dout| (1 + 2 |x|): a sigmoid's absolute rounding, through s (1 + x (1 - s))."""
    return np.abs(dout) * (1.0 + 2.0 * np.abs(x))


SILU_ROUNDINGS = 16
"""exp or tanh within a few ulps, then a handful of sums and products: at most 16 roundings."""


def _hidden_silu(rng):
    n, m = int(rng.integers(2, 7)), int(rng.integers(2, 6))
    x, dout = rng.normal(scale=3.0, size=(n, m)), rng.normal(size=(n, m))
    yield Case(f"silu_backward on random float64 inputs ({n}, {m}) with a random upstream "
               "gradient", (dout, x))
    huge = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4]) * rng.uniform(1.0, 1.1)
    yield Case("silu_backward at |x| up to 1e4 must not overflow or warn",
               (rng.normal(size=huge.size), huge), strict_fp=True)
    yield Case("silu_backward on float32 inputs (a float32 result)", program=_SILU_F32,
               inputs={"dout": dout.astype(np.float32), "x": x.astype(np.float32)},
               check=Rounding(_silu_magnitudes, SILU_ROUNDINGS, dtype=True))


def _hidden_layernorm(rng):
    n, m = int(rng.integers(1, 7)), int(rng.integers(3, 7))
    x = rng.normal(loc=rng.normal(size=(n, 1)) * 3, scale=rng.uniform(0.5, 3.0, size=(n, 1)),
                   size=(n, m))
    gamma = rng.uniform(0.5, 2.0, size=m)
    yield Case(f"layernorm_backward on random float64 inputs (N={n}, M={m}) with a random "
               "upstream gradient: the statistics of each sample depend on its x",
               (rng.normal(size=(n, m)), _layernorm_cache(x, gamma, 1e-5)))
    yield Case("layernorm_backward with eps = 0.1 (inside the square root)",
               (rng.normal(size=(n, m)), _layernorm_cache(x, gamma, 0.1)))


# --- visible cases ---------------------------------------------------------------------

# The chapter's worked example (section 'Activation functions that do not saturate').
_Z4 = np.array([-2.0, -0.5, 0.0, 1.5])
_XP = np.array([[-1.0, 2.0, 0.0], [3.0, -0.5, -2.0]])
_AP = np.array([0.1, 0.25, 0.5])
_DP = np.array([[1.0, -1.0, 2.0], [0.5, 3.0, -1.0]])
_XB = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 0.0]])
_BN = {"x": _XB, "gamma": np.array([2.0, 1.0]), "beta": np.array([1.0, 0.0]),
       "running_mean": np.zeros(2), "running_var": np.ones(2), "training": True,
       "momentum": 0.9, "eps": 1e-5}
_DB = np.array([[1.0, 0.5], [-2.0, 1.0], [0.5, 0.0], [1.0, -1.0]])
_RES = {"x": np.array([[1.0, -2.0], [0.5, 1.0], [-1.0, 0.0]]),
        "w1": np.array([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0]]), "b1": np.array([0.0, 0.5, -0.5]),
        "w2": np.array([[1.0, 0.0], [-0.5, 1.0], [2.0, -1.0]]), "b2": np.array([0.1, -0.1]),
        "dout": np.array([[1.0, 0.0], [0.5, -1.0], [-1.0, 2.0]])}

ASSIGNMENT = Assignment("ch07_deep_training", "deep_training.ipynb", (
    Part("xavier_uniform", 1, INIT, xavier_uniform,
         tuple(_init_cases("xavier_uniform", 300, 200, 2024)), _hidden_init("xavier_uniform")),
    Part("he_normal", 1, INIT, he_normal,
         tuple(_init_cases("he_normal", 300, 200, 2024)), _hidden_init("he_normal")),
    Part("leaky_relu_forward", 1, ACTIVATIONS, leaky_relu_forward, (
        Case("leaky_relu_forward([-2, -0.5, 0, 1.5]) with the default alpha = 0.01 "
             "(the chapter's example)", program=_LEAKY_DEFAULT, inputs={"x": _Z4}),
        Case("leaky_relu_forward with alpha = 0.2 on a 2-D array: x where x > 0, alpha * x "
             "elsewhere", program=_LEAKY_OUT, inputs={"x": _XP, "alpha": 0.2}),
        Case("leaky_relu_forward should keep float32 in float32", program=_LEAKY_OUT,
             inputs={"x": _Z4.astype(np.float32), "alpha": 0.1},
             check=Close(rtol=1e-6, dtype=True)),
    ), _hidden_leaky_forward),
    Part("leaky_relu_backward", 1, ACTIVATIONS, leaky_relu_backward, (
        Case("leaky_relu_backward: dout where x > 0, alpha * dout where x <= 0 (at x = 0 the "
             "slope of the left side, alpha)", (np.full(4, 5.0), (_Z4, 0.01))),
        Case("leaky_relu_backward of a 2-D array with alpha = 0.2 multiplies dout by the slope",
             (_DP, (_XP, 0.2))),
    ), _hidden_leaky_backward),
    Part("prelu_forward", 1, ACTIVATIONS, prelu_forward, (
        Case("prelu_forward with one slope per column: column m uses alpha[m] where x <= 0",
             program=_PRELU_OUT, inputs={"x": _XP, "alpha": _AP}),
        Case("prelu_forward should keep float32 in float32", program=_PRELU_OUT,
             inputs={"x": _XP.astype(np.float32), "alpha": _AP.astype(np.float32)},
             check=Close(rtol=1e-6, dtype=True)),
    ), _hidden_prelu_forward),
    Part("prelu_backward", 2, ACTIVATIONS, prelu_backward, (
        Case("prelu_backward returns (dx, dalpha): dx like the leaky ReLU's with alpha[m] in "
             "column m, and dalpha of shape (M,) summed over the batch", (_DP, (_XP, _AP))),
        Case("prelu_backward with a random upstream gradient (N=4, M=2)",
             (np.array([[0.3, -1.2], [0.8, 0.1], [-0.5, 0.6], [1.5, -0.2]]),
              (np.array([[-1.0, 0.5], [0.2, -0.3], [-0.7, -1.1], [0.4, 0.0]]),
               np.array([0.25, 0.1])))),
    ), _hidden_prelu_backward, kind="derive"),
    Part("elu_forward", 1, ACTIVATIONS, elu_forward, (
        Case("elu_forward([-2, -0.5, 0, 1.5]) with the default alpha = 1 (the chapter's "
             "example)", program=_ELU_DEFAULT, inputs={"x": _Z4}),
        Case("elu_forward with alpha = 2: x where x > 0, alpha * (exp(x) - 1) elsewhere",
             program=_ELU_OUT, inputs={"x": _XP, "alpha": 2.0}),
        Case("elu_forward at x = ±1000 must not overflow or warn (exponentiate only the "
             "non-positive part)", program=_ELU_OUT,
             inputs={"x": np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]), "alpha": 1.0},
             strict_fp=True),
        Case("elu_forward should keep float32 in float32", program=_ELU_OUT,
             inputs={"x": _Z4.astype(np.float32), "alpha": 1.0},
             check=Close(rtol=1e-5, dtype=True)),
    ), _hidden_elu_forward),
    Part("elu_backward", 1, ACTIVATIONS, elu_backward, (
        Case("elu_backward: dout where x > 0, dout * alpha * exp(x) where x <= 0",
             (np.ones(4), (_Z4, 1.0))),
        Case("elu_backward with alpha = 2 on a 2-D array; at x = 0 the slope is alpha",
             (_DP, (_XP, 2.0))),
        Case("elu_backward at x = ±1000 must not overflow or warn",
             (np.ones(5), (np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]), 1.0)),
             strict_fp=True),
    ), _hidden_elu_backward),
    Part("dropout_forward", 2, DROPOUT, dropout_forward, (
        *_dropout_cases(0.3, 7),
        Case("dropout_forward with training=False: out is x and the mask is all ones",
             program=_DROP_EVAL, inputs={"x": _XP, "p": 0.5, "seed": 0}),
        Case("dropout_forward should keep float32 in float32 (out and mask)",
             program=_DROP_DTYPE, inputs={"x": _XP.astype(np.float32), "p": 0.5, "seed": 0}),
        Case("dropout_forward should raise ValueError when p is not in [0, 1)",
             program=_DROP_RAISES, inputs={"x": _XP, "p": 1.0}, raises=ValueError),
    ), _hidden_dropout_forward),
    Part("dropout_backward", 1, DROPOUT, dropout_backward, (
        Case("dropout_backward multiplies dout by the mask of the forward pass (p = 0.5)",
             (_DP, np.array([[2.0, 0.0, 2.0], [0.0, 0.0, 2.0]]))),
        Case("dropout_backward in evaluation mode (a mask of ones) passes dout unchanged",
             (_DP, np.ones((2, 3)))),
    ), _hidden_dropout_backward),
    Part("batchnorm_forward", 2, BATCHNORM, batchnorm_forward, (
        Case("batchnorm_forward in training mode: out = gamma * (x - mean) / sqrt(var + eps) "
             "+ beta with the batch's mean and biased variance; running statistics moved by "
             "momentum 0.9 towards the batch mean and the unbiased variance N/(N-1) var",
             program=_BN_TRAIN, inputs=_BN),
        Case("batchnorm_forward with eps = 0.1: eps is added to the variance, inside the "
             "square root", program=_BN_TRAIN, inputs={**_BN, "eps": 0.1, "momentum": 0.5}),
        Case("batchnorm_forward in evaluation mode: normalize with the running statistics, "
             "return them unchanged", program=_BN_TRAIN,
             inputs={**_BN, "training": False, "running_mean": np.array([2.0, 10.0]),
                     "running_var": np.array([4.0, 25.0])}),
        Case("batchnorm_forward must not modify running_mean, running_var or x",
             program=_BN_UNCHANGED, inputs=_BN),
        Case("batchnorm_forward should keep float32 in float32", program=_BN_OUT,
             inputs={k: v.astype(np.float32) for k, v in _BN.items()
                     if k in ("x", "gamma", "beta", "running_mean", "running_var")},
             check=Close(rtol=1e-4, atol=1e-5, dtype=True)),
    ), _hidden_bn_forward),
    Part("batchnorm_backward", 3, BATCHNORM, batchnorm_backward, (
        Case("batchnorm_backward in training mode: (dx, dgamma, dbeta), with the gradient "
             "flowing through the batch mean and variance too",
             (_DB, (_XB, np.array([2.0, 1.0]), _XB.mean(axis=0), _XB.var(axis=0), 1e-5, True))),
        Case("batchnorm_backward in evaluation mode: the running statistics are constants",
             (_DB, (_XB, np.array([2.0, 1.0]), np.array([2.0, 10.0]), np.array([4.0, 25.0]),
                    1e-5, False))),
    ), _hidden_bn_backward),
    Part("residual_backward", 2, SKIP, residual_backward, (
        Case("residual_backward with stand-ins for dense_backward and relu_backward: "
             "(dx, dw1, db1, dw2, db2), built from the two backward functions, each with its "
             "own cache, and the skip connection", program=_RESIDUAL, inputs=_RES),
    ), _hidden_residual, names={"dense_backward": dense_backward,
                                "relu_backward": relu_backward}),
    Part("silu_backward", 3, ACTIVATIONS, silu_backward, (
        Case("silu_backward at x = 0 (slope 1/2) and at x = ±ln 3, dout = 16",
             (np.full(3, 16.0), np.array([0.0, -np.log(3.0), np.log(3.0)]))),
        Case("silu_backward multiplies the slope by dout entry by entry (a 2-D array)",
             (_DP, _XP)),
        Case("silu_backward at x = ±1000 must not overflow or warn",
             (np.ones(5), np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])), strict_fp=True),
        Case("silu_backward should keep float32 in float32", program=_SILU_F32,
             inputs={"dout": np.full(3, 16.0, dtype=np.float32),
                     "x": np.array([0.0, -1.0, 2.0], dtype=np.float32)},
             check=Close(rtol=1e-5, atol=1e-5, dtype=True)),
    ), _hidden_silu, kind="derive"),
    Part("layernorm_backward", 4, BATCHNORM, layernorm_backward, (
        Case("layernorm_backward of a batch of one sample with 4 features: (dx, dgamma, dbeta)",
             (np.array([[1.0, -0.5, 2.0, 0.0]]),
              _layernorm_cache(np.array([[1.0, 2.0, 3.0, 6.0]]), np.array([2.0, 1.0, 0.5, 1.0]),
                               1e-5))),
        Case("layernorm_backward on the batch-norm example's x with a third feature "
             "(4 samples)", (np.column_stack([_DB, [0.5, -1.0, 2.0, 0.0]]),
                             _layernorm_cache(np.column_stack([_XB, [2.0, -1.0, 0.0, 4.0]]),
                                              np.array([2.0, 1.0, 0.5]), 1e-5))),
        Case("layernorm_backward with eps = 0.1 (inside the square root)",
             (_DB[:, :1].repeat(3, axis=1) * np.array([1.0, -1.0, 0.5]),
              _layernorm_cache(_XB[:, :1] * np.array([1.0, 2.0, -1.0]) + np.arange(3.0),
                               np.array([1.0, 2.0, 0.5]), 0.1))),
    ), _hidden_layernorm, kind="derive"),
))
ASSIGNMENT = catalogued(ASSIGNMENT, MISTAKES)
