"""Where the CJK font file is, without importing matplotlib.

Figures (:mod:`helpers.display.plotting`) and the report's embedded font subset
(:mod:`helpers.batch.report`) both use ``NotoSansCJKsc-Regular.otf`` from the
``mplfonts`` package; the report needs only the file, so finding it must not cost a
matplotlib import.  The package is located with :func:`importlib.util.find_spec` and
never imported (``import mplfonts`` runs its own matplotlib setup).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: The font file used for Chinese text, inside the ``mplfonts`` package.
CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> Path:
    """Return the path of ``NotoSansCJKsc-Regular.otf`` inside the installed ``mplfonts``.

    Raises :class:`RuntimeError` naming the package to install when it (or the
    font file) is missing.
    """
    spec = importlib.util.find_spec(CJK_FONT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "fonts" / CJK_FONT_FILE
        if path.is_file():
            return path
    raise RuntimeError(
        f"the Chinese font {CJK_FONT_FILE} was not found: install the "
        f"'{CJK_FONT_PACKAGE}' Python package (pip install {CJK_FONT_PACKAGE}), "
        "e.g. with `make venv`")
