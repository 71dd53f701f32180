"""Data sets for the book's experiments: synthetic from a seed, or shipped with scikit-learn.

Nothing here downloads anything. The synthetic generators take an explicit
``rng`` (a ``numpy.random.Generator``), so the same seed always gives the same
data. The real data sets come with scikit-learn, which is imported inside the
loaders only: :mod:`solutions` itself needs nothing but NumPy.

The loaders return the measurements as recorded, in their own units, not
standardized: the mean and standard deviation used to standardize must come
from the training rows only, after the split, or the held-out rows leak into
the preprocessing. :func:`solutions.training.standardize` does that step.

Shapes use N (samples) and D (input features).
"""

import numpy

from solutions.validation import check_positive, check_rng

__all__ = [
    "ICE_CREAM_SLOPE",
    "ICE_CREAM_INTERCEPT",
    "DIABETES_FEATURES",
    "make_ice_cream",
    "load_diabetes",
    "load_breast_cancer",
    "load_iris",
    "load_digits",
]

#: Cups sold per extra degree Celsius in :func:`make_ice_cream`'s true line.
ICE_CREAM_SLOPE = 12.0
#: Cups sold at 0 °C on :func:`make_ice_cream`'s true line (an extrapolation).
ICE_CREAM_INTERCEPT = -60.0
#: Column names of :func:`load_diabetes`, in the order of its columns.
DIABETES_FEATURES = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")


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




def _select(bunch, features):
    """Return the columns of a scikit-learn data set named in ``features`` (all when None)."""
    names = list(bunch.feature_names)
    if features is None:
        return bunch.data
    if isinstance(features, str):
        raise TypeError(f"features must be a sequence of column names, e.g. [{features!r}]; "
                        f"got the single string {features!r}")
    features = list(features)
    if not features:
        raise ValueError(f"features must name at least one column; choose from {names}")
    unknown = [f for f in features if f not in names]
    if unknown:
        raise ValueError(f"features holds unknown column names {unknown}; choose from {names}")
    return bunch.data[:, [names.index(f) for f in features]]


def load_diabetes(features=None):
    """Diabetes progression data (scikit-learn's copy of Efron et al., 2004), unstandardized.

    442 patients, 10 baseline measurements each (:data:`DIABETES_FEATURES`: age
    in years, sex, body-mass index in kg/m², mean blood pressure in mm Hg and six
    blood-serum values); the target is a measure of how far the disease
    progressed one year later. The columns are returned in their original
    units; standardize them after splitting, with the training rows'
    statistics (:func:`solutions.training.standardize`).

    Parameters
    ----------
    features : sequence of str, optional
        Names of the columns to keep, e.g. ``["bmi", "bp"]``; all ten when None.

    Returns
    -------
    X : numpy.ndarray of shape (442, D), float64
        The measurements in their original units (``bmi`` from 18 to 42.2).
    y : numpy.ndarray of shape (442,), float64
        Disease progression, in its original units (about 25 to 346).

    Raises
    ------
    TypeError
        When ``features`` is a single string instead of a sequence of names.
    ValueError
        When ``features`` is empty or names a column the data set lacks.

    Examples
    --------
    >>> X, y = load_diabetes(["bmi", "bp"])
    >>> X.shape, float(X[:, 0].min()), float(X[:, 0].max())
    ((442, 2), 18.0, 42.2)

    """
    from sklearn.datasets import load_diabetes as sklearn_load

    bunch = sklearn_load(scaled=False)
    return _select(bunch, features), bunch.target.astype(numpy.float64)


def load_breast_cancer(features=None):
    """Wisconsin breast-cancer diagnosis data (shipped with scikit-learn), unstandardized.

    569 tumours, each described by 30 measurements of their cell nuclei
    (radius, texture, perimeter, ... as mean, standard error and worst value),
    returned in their original units; standardize them with the training rows'
    statistics (:func:`solutions.training.standardize`).

    Parameters
    ----------
    features : sequence of str, optional
        Names of the columns to keep, e.g. ``["worst radius"]``; all 30 when None.

    Returns
    -------
    X : numpy.ndarray of shape (569, D), float64
        The measurements in their original units.
    y : numpy.ndarray of shape (569,), float64
        1.0 for a malignant tumour, 0.0 for a benign one. (scikit-learn codes
        them the other way round; here the finding of interest is class 1.)

    Raises
    ------
    TypeError
        When ``features`` is a single string instead of a sequence of names.
    ValueError
        When ``features`` is empty or names a column the data set lacks.

    Examples
    --------
    >>> X, y = load_breast_cancer(["worst radius"])
    >>> X.shape, int(y.sum())
    ((569, 1), 212)

    """
    from sklearn.datasets import load_breast_cancer as sklearn_load

    bunch = sklearn_load()
    malignant = bunch.target == list(bunch.target_names).index("malignant")
    return _select(bunch, features), malignant.astype(numpy.float64)


def load_iris(features=None):
    """Fisher's iris flowers (shipped with scikit-learn), unstandardized.

    150 flowers of three species, 50 each and stored in that order: setosa
    (class 0), versicolor (class 1) and virginica (class 2), with four
    measurements in centimetres, returned as measured; standardize them with
    the training rows' statistics (:func:`solutions.training.standardize`).

    Parameters
    ----------
    features : sequence of str, optional
        Names of the columns to keep, e.g.
        ``["petal length (cm)", "petal width (cm)"]``; all four when None.

    Returns
    -------
    X : numpy.ndarray of shape (150, D), float64
        The measurements in centimetres.
    y : numpy.ndarray of shape (150,), int64
        The species as a class index 0, 1 or 2.

    Raises
    ------
    TypeError
        When ``features`` is a single string instead of a sequence of names.
    ValueError
        When ``features`` is empty or names a column the data set lacks.

    Examples
    --------
    >>> X, y = load_iris(["petal length (cm)"])
    >>> X.shape, float(X.min()), float(X.max())
    ((150, 1), 1.0, 6.9)

    """
    from sklearn.datasets import load_iris as sklearn_load

    bunch = sklearn_load()
    return _select(bunch, features), bunch.target.astype(numpy.int64)


def load_digits():
    """Handwritten digits (8x8 grey images, shipped with scikit-learn), unscaled.

    1,797 images of the digits 0 to 9, about 180 of each, each flattened row
    by row into 64 pixel values, grey levels from 0 (blank) to 16 (full ink).
    A few pixels are blank in every image, so their columns are constant; a
    statistic-free scaling (``X / 16``) or
    :func:`solutions.training.standardize` after the split (which leaves
    constant columns unscaled) prepares them for a network.

    Returns
    -------
    X : numpy.ndarray of shape (1797, 64), float64
        Pixel values, whole numbers from 0 to 16; ``X[i].reshape(8, 8)`` is image ``i``.
    y : numpy.ndarray of shape (1797,), int64
        The digit shown, 0 to 9.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, X.dtype, float(X.max()), y.dtype
    ((1797, 64), dtype('float64'), 16.0, dtype('int64'))

    """
    from sklearn.datasets import load_digits as sklearn_load

    bunch = sklearn_load()
    return numpy.asarray(bunch.data, dtype=numpy.float64), bunch.target.astype(numpy.int64)
