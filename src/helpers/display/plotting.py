"""Plot theme, Chinese font, bilingual labels and deterministic figure files.

The machine running the notebooks need not have any CJK font installed: text is
laid out with *DejaVu Sans* (bundled with matplotlib), and each character it lacks
(Chinese) falls back to ``NotoSansCJKsc-Regular.otf`` shipped inside the
``mplfonts`` Python package (matplotlib's per-character font fallback).  The
package is located by :mod:`helpers.display.fonts` and never imported
(``import mplfonts`` runs its own matplotlib setup).

Importing this module has no side effects: no rcParams change, no font is
registered, neither seaborn nor mplfonts is imported.  :func:`apply_theme`
configures matplotlib explicitly, and :func:`save_figure` writes byte-identical
SVG and PNG files for identical figures (no dates, no version strings, fixed
SVG ids), atomically, drawing each format once and closing the figure;
:func:`show_figure` shows in a notebook the file just written.

>>> from helpers.display.plotting import pick
>>> pick("poor households", "贫困户", "zh")
'贫困户'
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path

import matplotlib as mpl
from matplotlib import colors as mcolors

from helpers.display.fonts import CJK_FONT_FILE, CJK_FONT_PACKAGE, cjk_font_path  # noqa: F401

#: Languages a figure can be labelled in.
LANGS = ("en", "zh")

#: Figure file formats :func:`save_figure` writes.
FIGURE_FORMATS = ("svg", "png")

#: The font text is laid out with (bundled with matplotlib); characters it lacks fall
#: back to the CJK font.
LATIN_FONT = "DejaVu Sans"

#: Constant salt for the ids matplotlib writes into SVG files.
SVG_HASHSALT = "poverty-notebooks"

#: Base colour of each chapter of the article (seaborn "colorblind" palette).
CHAPTER_COLORS: dict[int, str] = {
    0: "#0173b2",  # overview: the lead with the headline figures (blue)
    1: "#de8f05",  # 补短强弱, closing gaps (orange)
    2: "#029e73",  # 授人以渔, teaching to fish (green)
    3: "#cc78bc",  # 同频共振, acting in concert (reddish purple)
    4: "#949494",  # audit of the figures (grey)
}

_NAME_RE = re.compile(r"[a-z0-9_-]+")

# Metadata that would make files differ between runs or matplotlib versions.
_METADATA = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}, got {lang!r}")
    return lang


@functools.cache
def register_cjk_font() -> str:
    """Add the CJK font file to matplotlib's font manager; return its family name.

    Idempotent and cached: the file is added at most once per process (not at
    all if it is already known), and the name, ``"Noto Sans CJK SC"``, is what
    ``font.sans-serif`` and :class:`~matplotlib.font_manager.FontProperties` take.
    """
    from matplotlib import font_manager

    path = cjk_font_path()
    known = {Path(entry.fname).resolve() for entry in font_manager.fontManager.ttflist}
    if path.resolve() not in known:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def chapter_palette(chapter: int, n: int) -> list[str]:
    """Return ``n`` distinct shades (hex strings, light to dark) of a chapter's colour.

    ``n == 1`` gives the base colour itself.  The result depends only on the
    arguments.  Raises :class:`KeyError` for an unknown chapter and
    :class:`ValueError` when ``n`` is not a positive integer.
    """
    if chapter not in CHAPTER_COLORS:
        raise KeyError(f"chapter {chapter!r} has no colour; known: {sorted(CHAPTER_COLORS)}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    base = mcolors.to_rgb(CHAPTER_COLORS[chapter])
    if n == 1:
        return [mcolors.to_hex(base)]
    shades = []
    for i in range(n):
        # t runs from 0.55 (mixed with white) to -0.45 (mixed with black).
        t = 0.55 - i / (n - 1)
        target = 1.0 if t > 0 else 0.0
        rgb = tuple(c + abs(t) * (target - c) for c in base)
        shades.append(mcolors.to_hex(rgb))
    return shades


def font_families() -> list[str]:
    """The font list text is drawn with: :data:`LATIN_FONT`, then the CJK family.

    matplotlib lays each string out with the first font and takes every character
    that font lacks from the next (font fallback, matplotlib 3.6+, Agg and SVG
    alike): Latin text gets DejaVu Sans metrics and glyphs, Chinese the CJK face.
    Registers the CJK font (:func:`register_cjk_font`).
    """
    return [LATIN_FONT, register_cjk_font()]


def apply_theme(lang: str = "en") -> None:
    """Set the project's plot style: seaborn whitegrid/notebook and the fonts.

    Resets rcParams to matplotlib's defaults first (so no matplotlibrc or earlier
    style leaks in), then applies the seaborn theme (style ``whitegrid``, context
    ``notebook``, palette ``colorblind``) and fixed settings: the fonts of
    :func:`font_families` (DejaVu Sans, with the CJK family as fallback; also as
    the ``sans-serif`` list), ASCII minus signs, fixed DPIs and figure size,
    tight bounding boxes and self-contained, deterministic SVG (glyphs as paths,
    constant id salt).  Chinese renders with either ``lang``; the parameter is
    validated (``"en"`` or ``"zh"``) so that a bad notebook parameter fails here.
    Calling it again gives the same rcParams.
    """
    _check_lang(lang)
    import seaborn as sns

    families = font_families()
    mpl.rcdefaults()
    sns.set_theme(
        context="notebook", style="whitegrid", palette="colorblind", font="sans-serif",
        rc={
            "font.family": families,
            "font.sans-serif": families,
            "axes.unicode_minus": False,
            "figure.figsize": (8.0, 5.0),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "svg.fonttype": "path",
            "svg.hashsalt": SVG_HASHSALT,
        })


def pick(en: str, zh: str, lang: str) -> str:
    """Return ``en`` or ``zh`` according to ``lang`` (``"en"`` or ``"zh"``)."""
    return en if _check_lang(lang) == "en" else zh


def claim_label(claims, claim_id: str, lang: str) -> str:
    """Return the indicator of claim ``claim_id`` in ``lang`` from a claims table.

    ``claims`` is a DataFrame with columns ``id``, ``indicator_en`` and
    ``indicator_zh``.  Raises :class:`KeyError` naming the id when it is absent.
    """
    column = f"indicator_{_check_lang(lang)}"
    match = claims.loc[claims["id"] == claim_id, column]
    if match.empty:
        raise KeyError(f"claim id {claim_id!r} is not in the claims table")
    return str(match.iloc[0])


def _check_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = [formats]
    chosen = tuple(dict.fromkeys(formats))
    bad = [f for f in chosen if f not in FIGURE_FORMATS]
    if not chosen or bad:
        raise ValueError(f"formats must be a non-empty selection of "
                         f"{', '.join(FIGURE_FORMATS)}, got {formats!r}")
    return chosen


def save_figure(fig, name: str, output_dir: str | os.PathLike[str],
                formats: str | Iterable[str] = FIGURE_FORMATS, *,
                close: bool = True) -> list[Path]:
    """Write ``fig`` as ``output_dir/<name>.<format>`` for each format; return the paths.

    ``name`` may hold lower-case letters, digits, ``_`` and ``-``; ``formats`` is
    a non-empty selection of ``"svg"`` and ``"png"`` (bad values raise
    :class:`ValueError`).  Output is deterministic: no date or software metadata,
    constant SVG id salt, glyphs as SVG paths, whether or not :func:`apply_theme`
    ran.  Each format is drawn once, to a temporary file in ``output_dir`` that is
    then renamed, so a crash never leaves a half-written figure.  ``output_dir``
    is created if needed.

    The figure is then closed (``close=False`` keeps it open), so that a notebook's
    inline backend does not draw it a third time at the end of the cell; show the
    files written with :func:`show_figure` instead.
    """
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise ValueError(f"name must contain only lower-case letters, digits, '_' and '-', "
                         f"got {name!r}")
    chosen = _check_formats(formats)
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "path"}):
        for fmt in chosen:
            target = folder / f"{name}.{fmt}"
            tmp = folder / f".{name}.{fmt}.{os.getpid()}.tmp"
            try:
                with open(tmp, "wb") as fh:
                    fig.savefig(fh, format=fmt, metadata=_METADATA[fmt])
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            written.append(target)
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return written


def figure_image(paths: Iterable[str | os.PathLike[str]], shown_dpi: float | None = None):
    """The figure files :func:`save_figure` wrote, as an IPython display object.

    The PNG among ``paths`` if there is one (an :class:`IPython.display.Image` of
    the file's bytes, shown at ``shown_dpi``, by default ``figure.dpi``: the size
    matplotlib's inline backend would give it), else the SVG (its ``<svg>``
    element exactly as written, without the XML declaration before it).  What the
    notebook shows is the file.  Raises :class:`ValueError` when ``paths`` holds
    neither.
    """
    from IPython.display import Image

    paths = [Path(p) for p in paths]
    by_format = {p.suffix.lstrip(".").lower(): p for p in paths}
    if "png" in by_format:
        data = by_format["png"].read_bytes()
        return Image(data=data, format="png", width=_shown_width(data, shown_dpi))
    if "svg" in by_format:
        text = by_format["svg"].read_text(encoding="utf-8")
        return _svg_file(text[text.find("<svg"):])
    raise ValueError(f"no PNG or SVG file to show among {[str(p) for p in paths]!r}")


def _svg_file(svg: str):
    """A display object showing ``svg`` as it is (IPython's ``SVG`` re-serialises it)."""
    from IPython.display import DisplayObject

    class SVGFile(DisplayObject):
        def _repr_svg_(self):
            return self.data

    return SVGFile(data=svg)


def _shown_width(png: bytes, shown_dpi: float | None) -> int:
    """Width in CSS pixels of a PNG written at its own DPI, shown at ``shown_dpi``."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width = image.size[0]
        written_dpi = image.info.get("dpi", (72.0, 72.0))[0]
    shown = mpl.rcParams["figure.dpi"] if shown_dpi is None else shown_dpi
    return max(1, round(width * shown / float(written_dpi)))


def show_figure(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Show the files :func:`save_figure` wrote in the running notebook (see
    :func:`figure_image`); do nothing outside IPython.  Returns nothing, so a
    cell ending with it shows no paths."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is None:
        return
    display(figure_image(paths))


def annotate_bars(ax, fmt: str = "{:,.0f}", **kwargs) -> list:
    """Write each bar's value at its end, for vertical and horizontal bar charts.

    ``fmt`` is a :meth:`str.format` pattern applied to the value (missing values
    get no label); other keyword arguments go to
    :meth:`~matplotlib.axes.Axes.bar_label` (default ``padding=3``).  Labels
    may extend past the axes; widen the value axis (``ax.margins``) if needed.
    Returns the text artists; raises :class:`ValueError` when ``ax`` has no bars.
    """
    from matplotlib.container import BarContainer

    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    if not bars:
        raise ValueError("ax has no bar containers to annotate (draw bars first)")
    kwargs.setdefault("padding", 3)
    texts = []
    for container in bars:
        labels = ["" if math.isnan(v) else fmt.format(v) for v in container.datavalues]
        texts.extend(ax.bar_label(container, labels=labels, **kwargs))
    return texts
