"""Plotting helpers shared by the book's chapters, in one house style.

Matplotlib is imported inside each function, so importing :mod:`solutions`
never needs it. Call :func:`use_house_style` once at the top of a chapter;
every figure after it shares the same fonts, grid and colours. The colours
are the Okabe-Ito palette, which stays distinguishable for readers with
colour-vision deficiencies.

Every figure stays legible where the book shows it. The text column of a
1280 px page is about 690 px wide; a figure is drawn at 110 dpi and shrunk to
fit the column, so in a notebook each figure is shown at most
:data:`MAX_WIDTH_IN` wide with no text under :data:`MIN_FONT_PT`
(:func:`fit_to_page`): its smallest text shows at 9 pt or more. Figures of
several panels put at most two side by side (:func:`panel_grid`). Each
figure's PNG also records the height in pixels of its smallest text (under
:data:`SMALLEST_TEXT_KEY`), so that the book's browser tests can tell how large
that text shows on the page.
"""

import numpy

__all__ = [
    "PALETTE",
    "SMALLEST_TEXT_KEY",
    "MAX_WIDTH_IN",
    "MIN_FONT_PT",
    "use_house_style",
    "fit_to_page",
    "panel_grid",
    "smallest_text_px",
    "plot_line_fit",
    "plot_class_probabilities",
]

#: Okabe-Ito colours: blue, vermilion, bluish green, reddish purple, orange, sky blue.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")

#: Widest figure shown, in inches: 6.6 in at 110 dpi (726 px, a little more with an outside
#: legend) shrunk into a 690 px column keeps 9 pt text at 9 pt or more.
MAX_WIDTH_IN = 6.6
#: Smallest font size, in points, of any text in a figure.
MIN_FONT_PT = 9.0

#: PNG text key: height in image pixels of the smallest text a notebook figure draws.
SMALLEST_TEXT_KEY = "smallest-text-px"


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
    _record_text_size_in_pngs()


def fit_to_page(fig):
    """Narrow a figure to :data:`MAX_WIDTH_IN` and raise any text smaller than :data:`MIN_FONT_PT`.

    The height stays; the figure's layout engine (constrained layout in the
    house style) re-flows the panels into the new width.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    fig : matplotlib.figure.Figure
        The same figure, changed in place.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(12.0, 4.0))
    >>> _ = fig.text(0.5, 0.5, "small", fontsize=7)
    >>> fit_to_page(fig).get_size_inches().tolist(), fig.texts[0].get_fontsize()
    ([6.6, 4.0], 9.0)
    """
    from matplotlib.text import Text

    width, height = fig.get_size_inches()
    if width > MAX_WIDTH_IN:
        fig.set_size_inches(MAX_WIDTH_IN, height)
    for text in fig.findobj(Text):
        if text.get_fontsize() < MIN_FONT_PT:
            text.set_fontsize(MIN_FONT_PT)
    return fig


def panel_grid(count, *, panel_height=3.2, columns=2, **subplot_kw):
    """Make a figure of ``count`` panels, at most ``columns`` a row, :data:`MAX_WIDTH_IN` wide.

    Parameters
    ----------
    count : int
        Number of panels; a last row with fewer panels leaves its other places empty.
    panel_height : float, default 3.2
        Height of each row, in inches.
    columns : int, default 2
        Most panels in a row.
    **subplot_kw
        Passed to :func:`matplotlib.pyplot.subplots` (``sharey=True`` ...).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of matplotlib.axes.Axes
        The ``count`` panels, row by row.
    """
    import matplotlib.pyplot as plt

    cols = min(count, columns)
    rows = -(-count // cols)
    fig, grid = plt.subplots(rows, cols, figsize=(MAX_WIDTH_IN, panel_height * rows),
                             squeeze=False, **subplot_kw)
    axes = list(grid.ravel())
    for ax in axes[count:]:
        ax.remove()
    return fig, axes[:count]


def smallest_text_px(fig):
    """Height in pixels, at the figure's dpi, of the smallest visible text the figure draws.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    float
        Font size in points of the smallest non-empty visible text (titles, labels,
        tick labels, legend entries, annotations) times dpi / 72; 0.0 if there is none.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(dpi=144)
    >>> _ = fig.text(0.5, 0.5, "small", fontsize=8)
    >>> smallest_text_px(fig)
    16.0
    """
    from matplotlib.text import Text

    sizes = [text.get_fontsize() for text in fig.findobj(Text)
             if text.get_visible() and text.get_text().strip()]
    return min(sizes, default=0.0) * fig.dpi / 72


def _record_text_size_in_pngs():
    """In IPython, draw every figure :func:`fit_to_page` and record :func:`smallest_text_px`."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # Load the inline backend now: it registers its PNG formatter once, on loading.
    plt.switch_backend(matplotlib.get_backend())
    formatter = shell.display_formatter.formatters["image/png"]
    png = formatter.lookup_by_type(Figure)
    if getattr(png, "records_text_size", False):
        return

    def png_with_text_size(fig):
        fit_to_page(fig)
        return png(fig, metadata={SMALLEST_TEXT_KEY: f"{smallest_text_px(fig):.2f}"})

    png_with_text_size.records_text_size = True
    formatter.for_type(Figure, png_with_text_size)


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
