"""The parameters every notebook accepts, and their checks.

Apart from :mod:`helpers.notebook` (which re-exports them for the notebooks' first cells)
so that the command line can check a run's values before any kernel starts without
importing pandas or the claims machinery: a run with nothing to rerun stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.data import units
from helpers.paths import get_paths

#: Figure formats a notebook can write.
FIGURE_FORMATS = ("svg", "png")

#: The parameters every notebook accepts, with their defaults.
DEFAULTS = {
    "lang": "en",
    "money_unit": "auto",
    "claims_path": None,  # the project's default claims (defaults of notebooks/pipeline.yaml)
    "output_dir": "outputs/default",
    "figure_formats": ["svg", "png"],
}


class ParameterError(ValueError):
    """A notebook parameter with an invalid value."""


def check_output_dir(output_dir: str | os.PathLike[str]) -> Path:
    """Resolve ``output_dir`` and make sure it lies under the project's ``outputs/``.

    Relative paths are taken from the project root, so every working directory
    gives the same place.  The folder is created if needed and must be writable.
    """
    paths = get_paths()
    target = paths.resolve(output_dir)
    outputs = paths.outputs.resolve()
    if target != outputs and outputs not in target.parents:
        raise ParameterError(
            f"output_dir={str(output_dir)!r} is outside the project's outputs/ folder; "
            "give a path under outputs/ (relative paths start at the project root)")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"output_dir={str(output_dir)!r} cannot be created: {exc}") from None
    if not os.access(target, os.W_OK):
        raise ParameterError(f"output_dir={str(output_dir)!r} is not writable")
    return target


def check_parameters(lang, money_unit, claims_path, output_dir, figure_formats) -> dict:
    """Validate the common parameters; raise :class:`ParameterError` naming the bad one."""
    if lang not in ("en", "zh"):
        raise ParameterError(f"lang must be 'en' or 'zh', got {lang!r}")
    if money_unit != units.MONEY_UNIT_AUTO and money_unit not in units.MONEY_UNITS:
        raise ParameterError(
            f"money_unit must be one of {', '.join([units.MONEY_UNIT_AUTO, *units.MONEY_UNITS])}, "
            f"got {money_unit!r}")
    money_unit = units.resolve_money_unit(money_unit, lang)
    if claims_path is None:
        claims_path = get_paths().relative(get_paths().claims)
    if not isinstance(claims_path, str | os.PathLike) or not str(claims_path).strip():
        raise ParameterError(f"claims_path must be a path to a claims CSV, got {claims_path!r}")
    if isinstance(figure_formats, str):
        figure_formats = [figure_formats]
    formats = tuple(figure_formats or ())
    bad = [f for f in formats if f not in FIGURE_FORMATS]
    if not formats or bad:
        raise ParameterError(
            f"figure_formats must be a non-empty list drawn from {', '.join(FIGURE_FORMATS)}, "
            f"got {figure_formats!r}")
    return dict(lang=lang, money_unit=money_unit, claims_path=str(claims_path),
                output_dir=check_output_dir(output_dir), figure_formats=formats)
