"""Tests for solutions.data: shapes, seeding, argument checks, the bundled data sets."""

import numpy as np
import pytest

from solutions.data import (
    ICE_CREAM_INTERCEPT,
    ICE_CREAM_SLOPE,
    load_breast_cancer,
    load_diabetes,
    load_iris,
    make_ice_cream,
)

pytestmark = pytest.mark.ch01


def test_ice_cream_shapes_and_range():
    X, y = make_ice_cream(40, rng=np.random.default_rng(0))
    assert X.shape == (40, 1) and X.dtype == np.float64
    assert y.shape == (40,) and y.dtype == np.float64
    assert X.min() >= 14.0 and X.max() <= 34.0


def test_ice_cream_same_seed_same_data():
    a = make_ice_cream(rng=np.random.default_rng(7))
    b = make_ice_cream(rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_ice_cream_different_seeds_differ():
    a = make_ice_cream(rng=np.random.default_rng(1))
    b = make_ice_cream(rng=np.random.default_rng(2))
    assert not np.array_equal(a[0], b[0])
    assert not np.array_equal(a[1], b[1])


def test_ice_cream_without_noise_lies_on_the_true_line():
    X, y = make_ice_cream(10, rng=np.random.default_rng(3), noise=0.0)
    np.testing.assert_allclose(y, ICE_CREAM_SLOPE * X[:, 0] + ICE_CREAM_INTERCEPT)


def test_ice_cream_noise_has_the_requested_spread():
    X, y = make_ice_cream(20_000, rng=np.random.default_rng(4), noise=25.0)
    residuals = y - (ICE_CREAM_SLOPE * X[:, 0] + ICE_CREAM_INTERCEPT)
    assert abs(residuals.std() - 25.0) < 0.5
    assert abs(residuals.mean()) < 0.5


@pytest.mark.parametrize("rng", [None, 0, np.random.RandomState(0)])
def test_ice_cream_rejects_anything_but_a_generator(rng):
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        make_ice_cream(rng=rng)


def test_ice_cream_needs_rng_as_keyword():
    with pytest.raises(TypeError):
        make_ice_cream(5, np.random.default_rng(0))


@pytest.mark.parametrize(("kwargs", "error"), [({"n": 0}, ValueError), ({"n": 2.5}, TypeError),
                                               ({"noise": -1.0}, ValueError)])
def test_ice_cream_rejects_bad_sizes(kwargs, error):
    with pytest.raises(error):
        make_ice_cream(rng=np.random.default_rng(0), **kwargs)


@pytest.mark.parametrize(
    ("loader", "shape", "classes"),
    [(load_diabetes, (442, 10), None), (load_breast_cancer, (569, 30), {0.0, 1.0}),
     (load_iris, (150, 4), {0, 1, 2})],
)
def test_loaders_return_standardized_inputs(loader, shape, classes):
    X, y = loader()
    assert X.shape == shape and X.dtype == np.float64
    assert y.shape == (shape[0],)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1.0, rtol=1e-12)
    if classes is not None:
        assert set(np.unique(y).tolist()) == classes


def test_diabetes_target_is_in_original_units():
    _, y = load_diabetes()
    assert y.min() == 25.0 and y.max() == 346.0


def test_breast_cancer_codes_malignant_as_one():
    _, y = load_breast_cancer()
    assert y.sum() == 212  # 212 malignant and 357 benign tumours in the data set


def test_loaders_select_columns_by_name():
    X_all, _ = load_iris()
    X_two, _ = load_iris(["petal width (cm)", "sepal length (cm)"])
    np.testing.assert_allclose(X_two, X_all[:, [3, 0]])


def test_loaders_reject_unknown_feature_names():
    with pytest.raises(ValueError, match="unknown feature names"):
        load_diabetes(["bmi", "height"])
