"""Tests for solutions.data: shapes, seeding, argument checks, the bundled data sets."""

import numpy as np
import pytest

from solutions.data import (
    DIABETES_FEATURES,
    ICE_CREAM_INTERCEPT,
    ICE_CREAM_SLOPE,
    load_breast_cancer,
    load_diabetes,
    load_digits,
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


def _sklearn_raw(name):
    """scikit-learn's unscaled copy of a bundled data set, the oracle for the loaders."""
    from sklearn import datasets

    if name == "diabetes":
        return datasets.load_diabetes(scaled=False)
    return getattr(datasets, f"load_{name}")()


@pytest.mark.parametrize(
    ("loader", "name", "shape", "classes"),
    [(load_diabetes, "diabetes", (442, 10), None),
     (load_breast_cancer, "breast_cancer", (569, 30), {0.0, 1.0}),
     (load_iris, "iris", (150, 4), {0, 1, 2})],
)
def test_loaders_return_the_raw_measurements(loader, name, shape, classes):
    X, y = loader()
    assert X.shape == shape and X.dtype == np.float64
    assert y.shape == (shape[0],)
    np.testing.assert_array_equal(X, _sklearn_raw(name).data)  # not shifted, not scaled
    assert not np.allclose(X.mean(axis=0), 0.0, atol=1e-3)
    if classes is not None:
        assert set(np.unique(y).tolist()) == classes


def test_loaders_keep_the_units_of_the_measurements():
    bmi, _ = load_diabetes(["bmi"])  # body-mass index, kg/m^2
    assert bmi.min() == 18.0 and bmi.max() == 42.2 and 26.0 < bmi.mean() < 27.0
    petal, _ = load_iris(["petal length (cm)"])
    assert petal.min() == 1.0 and petal.max() == 6.9
    radius, _ = load_breast_cancer(["worst radius"])
    assert 7.9 < radius.min() < 8.0 and 36.0 < radius.max() < 36.1


def test_diabetes_target_is_in_original_units():
    _, y = load_diabetes()
    assert y.min() == 25.0 and y.max() == 346.0


def test_diabetes_feature_names_follow_the_columns():
    assert DIABETES_FEATURES == tuple(_sklearn_raw("diabetes").feature_names)
    X_all, _ = load_diabetes()
    X_bp, _ = load_diabetes(["bp"])
    np.testing.assert_array_equal(X_bp[:, 0], X_all[:, DIABETES_FEATURES.index("bp")])


def test_breast_cancer_codes_malignant_as_one():
    _, y = load_breast_cancer()
    assert y.sum() == 212  # 212 malignant and 357 benign tumours in the data set


def test_digits_are_8x8_images_with_grey_levels_0_to_16():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 16.0
    np.testing.assert_array_equal(X, np.round(X))  # whole grey levels, not divided by 16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    images = _sklearn_raw("digits").images
    np.testing.assert_array_equal(X[17].reshape(8, 8), images[17])  # row by row
    assert int(np.sum(X.std(axis=0) == 0)) == 3  # blank in every image


def test_loaders_select_columns_by_name():
    X_all, _ = load_iris()
    X_two, _ = load_iris(["petal width (cm)", "sepal length (cm)"])
    np.testing.assert_array_equal(X_two, X_all[:, [3, 0]])


@pytest.mark.parametrize(("features", "error", "message"), [
    (["bmi", "height"], ValueError, r"features holds unknown column names \['height'\]"),
    ([], ValueError, "features must name at least one column"),
    ("bmi", TypeError, r"features must be a sequence of column names, e\.g\. \['bmi'\]"),
])
def test_loaders_reject_bad_feature_names(features, error, message):
    with pytest.raises(error, match=message):
        load_diabetes(features)
