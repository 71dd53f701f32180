"""Data sets for the book's experiments: synthetic from a seed, or shipped with scikit-learn.

Nothing here downloads anything. The synthetic generators take an explicit
``rng`` (a ``numpy.random.Generator``), so the same seed always gives the same
data. The real data sets come with scikit-learn, which is imported inside the
loaders only: :mod:`solutions` itself needs nothing but NumPy.

Shapes use N (samples) and D (input features).
"""

import numpy

from solutions.validation import check_positive, check_rng

__all__ = [
    "ICE_CREAM_SLOPE",
    "ICE_CREAM_INTERCEPT",
    "make_ice_cream",
    "load_diabetes",
    "load_breast_cancer",
    "load_iris",
]

#: Cups sold per extra degree Celsius in :func:`make_ice_cream`'s true line.
ICE_CREAM_SLOPE = 12.0
#: Cups sold at 0 °C on :func:`make_ice_cream`'s true line (an extrapolation).
ICE_CREAM_INTERCEPT = -60.0


def make_ice_cream(n=30, *, rng, noise=25.0):
    r"""Daily ice-cream sales against the day's temperature, with noise.

    Temperatures are drawn uniformly between 14 and 34 °C; sales follow the
    line :math:`y = 12\,x - 60` (cups per day) plus normal noise with standard
    deviation ``noise``.

    Parameters
    ----------
    n : int, default 30
        Number of days (samples).
    rng : numpy.random.Generator
        Source of randomness, e.g. ``numpy.random.default_rng(0)``.
    noise : float, default 25.0
        Standard deviation of the noise added to the sales, in cups.

    Returns
    -------
    temperature : numpy.ndarray of shape (N, 1), float64
        One day per row, in degrees Celsius; a column, ready to be the input
        matrix ``X`` of a linear model with D = 1.
    sales : numpy.ndarray of shape (N,), float64
        Cups sold on each day.

    Raises
    ------
    TypeError
        When ``rng`` is not a ``numpy.random.Generator``.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = make_ice_cream(5, rng=np.random.default_rng(0))
    >>> X.shape, y.shape
    ((5, 1), (5,))

    """
    rng = check_rng(rng)
    n = check_positive(n, "n", integer=True)
    noise = check_positive(noise, "noise", allow_zero=True)
    temperature = rng.uniform(14.0, 34.0, size=(n, 1))
    sales = ICE_CREAM_SLOPE * temperature[:, 0] + ICE_CREAM_INTERCEPT
    return temperature, sales + noise * rng.standard_normal(n)


def _standardize(X):
    """Return ``X`` (N, D) with each column shifted to mean 0 and scaled to standard deviation 1."""
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _select(bunch, features):
    """Return the columns of a scikit-learn data set named in ``features`` (all when None)."""
    names = list(bunch.feature_names)
    if features is None:
        return bunch.data
    unknown = [f for f in features if f not in names]
    if unknown:
        raise ValueError(f"unknown feature names {unknown}; choose from {names}")
    return bunch.data[:, [names.index(f) for f in features]]


def load_diabetes(features=None):
    """Diabetes progression data (scikit-learn's copy of Efron et al., 2004), standardized.

    442 patients, 10 baseline measurements each (age, sex, body-mass index,
    blood pressure and six blood-serum values); the target is a measure of
    how far the disease progressed one year later.

    Parameters
    ----------
    features : sequence of str, optional
        Names of the columns to keep, e.g. ``["bmi", "bp"]``; all ten when None.

    Returns
    -------
    X : numpy.ndarray of shape (442, D), float64
        The measurements, each column standardized to mean 0 and standard
        deviation 1.
    y : numpy.ndarray of shape (442,), float64
        Disease progression, in its original units (about 25 to 346).

    Raises
    ------
    ValueError
        When a name in ``features`` is not a column of the data set.

    """
    from sklearn.datasets import load_diabetes as sklearn_load

    bunch = sklearn_load(scaled=False)
    return _standardize(_select(bunch, features)), bunch.target.astype(numpy.float64)


def load_breast_cancer(features=None):
    """Breast-cancer diagnosis data (Wisconsin diagnostic, shipped with scikit-learn), standardized.

    569 tumours, each described by 30 measurements of its cell nuclei
    (radius, texture, perimeter, ... as mean, standard error and worst value).

    Parameters
    ----------
    features : sequence of str, optional
        Names of the columns to keep, e.g. ``["worst radius"]``; all 30 when None.

    Returns
    -------
    X : numpy.ndarray of shape (569, D), float64
        The measurements, each column standardized to mean 0 and standard
        deviation 1.
    y : numpy.ndarray of shape (569,), float64
        1.0 for a malignant tumour, 0.0 for a benign one. (scikit-learn codes
        them the other way round; here the finding of interest is class 1.)

    Raises
    ------
    ValueError
        When a name in ``features`` is not a column of the data set.

    """
    from sklearn.datasets import load_breast_cancer as sklearn_load

    bunch = sklearn_load()
    malignant = bunch.target == list(bunch.target_names).index("malignant")
    return _standardize(_select(bunch, features)), malignant.astype(numpy.float64)


def load_iris(features=None):
    """Fisher's iris flowers (shipped with scikit-learn), standardized.

    150 flowers of three species, 50 each: setosa (class 0), versicolor
    (class 1) and virginica (class 2), with four measurements in centimetres.

    Parameters
    ----------
    features : sequence of str, optional
        Names of the columns to keep, e.g.
        ``["petal length (cm)", "petal width (cm)"]``; all four when None.

    Returns
    -------
    X : numpy.ndarray of shape (150, D), float64
        The measurements, each column standardized to mean 0 and standard
        deviation 1.
    y : numpy.ndarray of shape (150,), int64
        The species as a class index 0, 1 or 2.

    Raises
    ------
    ValueError
        When a name in ``features`` is not a column of the data set.

    """
    from sklearn.datasets import load_iris as sklearn_load

    bunch = sklearn_load()
    return _standardize(_select(bunch, features)), bunch.target.astype(numpy.int64)
