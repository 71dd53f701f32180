import numpy as np
import pytest

from solutions.init import he_normal, he_uniform, xavier_normal, xavier_uniform

pytestmark = pytest.mark.ch07

FAN_IN, FAN_OUT = 500, 120  # unequal, so a swapped fan changes the variance 4-fold

INITIALIZERS = {
    # name: (function, variance, uniform?)
    "xavier_uniform": (xavier_uniform, 2 / (FAN_IN + FAN_OUT), True),
    "xavier_normal": (xavier_normal, 2 / (FAN_IN + FAN_OUT), False),
    "he_uniform": (he_uniform, 2 / FAN_IN, True),
    "he_normal": (he_normal, 2 / FAN_IN, False),
}


@pytest.mark.parametrize("name", INITIALIZERS)
def test_variance_mean_and_shape(name, rng):
    init, variance, _ = INITIALIZERS[name]
    w = init(FAN_IN, FAN_OUT, rng)
    assert w.shape == (FAN_IN, FAN_OUT) and w.dtype == np.float64
    # 60 000 draws: the sample variance is within about 0.6 % (normal) of the truth,
    # while the usual mistakes (fan_out for He, no factor 2, the normal's bound for a
    # uniform, the other fan's sum) are off by 33 % or more.
    assert w.var() == pytest.approx(variance, rel=0.03)
    assert abs(w.mean()) < 4 * np.sqrt(variance / w.size)


@pytest.mark.parametrize("name", INITIALIZERS)
def test_uniform_fills_its_bound_and_normal_has_gaussian_tails(name, rng):
    init, variance, uniform = INITIALIZERS[name]
    w = init(FAN_IN, FAN_OUT, rng)
    bound = np.sqrt(3 * variance)
    if uniform:
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.999 * bound
        # A uniform puts 1/2 of its mass within half the bound.
        assert np.mean(np.abs(w) < bound / 2) == pytest.approx(0.5, abs=0.01)
    else:
        # About 8.3 % of a normal lies beyond sqrt(3) standard deviations.
        assert np.mean(np.abs(w) > bound) == pytest.approx(0.0833, abs=0.005)


def test_he_is_twice_the_lecun_variance_and_ignores_fan_out(rng):
    a = he_normal(256, 10, np.random.default_rng(1))
    b = he_normal(256, 1000, np.random.default_rng(1))
    assert a.var() == pytest.approx(b.var(), rel=0.05)
    assert b.var() * 256 == pytest.approx(2.0, rel=0.02)


@pytest.mark.parametrize("name", INITIALIZERS)
def test_dtype_and_seeding(name):
    init = INITIALIZERS[name][0]
    w32 = init(30, 20, np.random.default_rng(5), dtype=np.float32)
    assert w32.dtype == np.float32
    np.testing.assert_array_equal(init(30, 20, np.random.default_rng(5)),
                                  init(30, 20, np.random.default_rng(5)))
    assert not np.array_equal(init(30, 20, np.random.default_rng(5)),
                              init(30, 20, np.random.default_rng(6)))


@pytest.mark.parametrize("name", INITIALIZERS)
def test_bad_arguments(name, rng):
    init = INITIALIZERS[name][0]
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        init(3, 4, 0)
    with pytest.raises(ValueError, match="fan_in must be > 0"):
        init(0, 4, rng)
    with pytest.raises(TypeError, match="fan_out must be an integer"):
        init(3, 4.0, rng)
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        init(3, 4, rng, dtype=np.int64)


def test_he_keeps_relu_activations_alive_through_depth_and_xavier_does_not(rng):
    # The point of He: the mean square of ReLU activations neither vanishes nor explodes;
    # with Xavier's variance (1 / width here) ReLU halves it at every layer.
    x0 = rng.standard_normal((200, 256))
    ratios = {}
    for init in (he_normal, xavier_normal):
        x = x0
        for _ in range(10):
            x = np.maximum(x @ init(256, 256, rng), 0)
        ratios[init.__name__] = np.mean(x**2) / np.mean(x0**2)
    assert 0.3 < ratios["he_normal"] < 3.0
    assert ratios["xavier_normal"] < 0.01
