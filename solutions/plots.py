"""Plotting helpers shared by the book's chapters, in one house style.

Matplotlib is imported inside each function, so importing :mod:`solutions`
never needs it. Call :func:`use_house_style` once at the top of a chapter;
every figure after it shares the same fonts, grid and colours. The colours
are the Okabe-Ito palette, which stays distinguishable for readers with
colour-vision deficiencies.
"""

import numpy

__all__ = ["PALETTE", "use_house_style", "plot_line_fit", "plot_class_probabilities"]

#: Okabe-Ito colours: blue, vermilion, bluish green, reddish purple, orange, sky blue.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def use_house_style():
    """Set matplotlib's defaults to the book's style for every figure made afterwards.

    Figures are 6.4 x 4 inches at 110 dpi, with a light grid, no top or right
    frame, readable font sizes and the :data:`PALETTE` colour cycle.
    """
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "figure.constrained_layout.use": True,
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "legend.frameon": False,
            "lines.linewidth": 2.0,
            "scatter.edgecolors": "white",
        }
    )


def plot_line_fit(ax, x, y, slope, intercept, *, residuals=False, label="fitted line"):
    r"""Draw data points and the straight line :math:`\hat y = a x + b` through them.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    x : array of shape (N,)
        Inputs (one feature).
    y : array of shape (N,)
        Targets.
    slope, intercept : float
        The line's :math:`a` and :math:`b`.
    residuals : bool, default False
        Also draw each residual :math:`y_i - \hat y_i` as a vertical segment
        from the point to the line.
    label : str, default "fitted line"
        Legend entry of the line.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    x = numpy.asarray(x, dtype=float)
    y = numpy.asarray(y, dtype=float)
    fitted = slope * x + intercept
    if residuals:
        ax.vlines(x, fitted, y, colors=PALETTE[1], linewidth=1.2, label="residuals")
    ax.scatter(x, y, s=36, color=PALETTE[0], zorder=3, label="data")
    ends = numpy.array([x.min(), x.max()])
    ax.plot(ends, slope * ends + intercept, color="black", label=label)
    return ax


def plot_class_probabilities(ax, predict_proba, X, y, *, class_names, resolution=200):
    """Shade a 2-D input plane by a classifier's most probable class and its probability.

    Each point of a grid covering the data gets the colour of its most
    probable class, more opaque where that probability is higher; the data
    points are drawn on top in their true class's colour.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    predict_proba : callable
        Maps an array of shape (M, 2) to class probabilities of shape (M, C).
    X : array of shape (N, 2)
        Inputs with two features.
    y : array of shape (N,)
        True class indices in ``0 .. C-1``.
    class_names : sequence of str
        One name per class, for the legend.
    resolution : int, default 200
        Grid points along each axis.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    from matplotlib.colors import to_rgb

    X = numpy.asarray(X, dtype=float)
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    g0, g1 = numpy.meshgrid(
        numpy.linspace(lo[0], hi[0], resolution), numpy.linspace(lo[1], hi[1], resolution)
    )
    proba = predict_proba(numpy.column_stack([g0.ravel(), g1.ravel()]))
    colours = numpy.array([to_rgb(c) for c in PALETTE[: len(class_names)]])
    rgba = numpy.concatenate(
        [colours[proba.argmax(axis=1)], 0.6 * proba.max(axis=1, keepdims=True)], axis=1
    )
    ax.imshow(
        rgba.reshape(resolution, resolution, 4),
        origin="lower",
        extent=(lo[0], hi[0], lo[1], hi[1]),
        aspect="auto",
        interpolation="bilinear",
    )
    for c, name in enumerate(class_names):
        ax.scatter(*X[y == c].T, s=28, color=PALETTE[c], edgecolors="black", label=name)
    ax.grid(False)
    return ax
