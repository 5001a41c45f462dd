"""Compare several claims files (several counties' reports) indicator by indicator."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .claims import load_claims
from .paths import get_paths


def comparison_table(claims_paths: list[str | os.PathLike[str]], names: list[str]) -> pd.DataFrame:
    """One row per claim id found in any file; one value column per run (base units).

    Ids present in one file only are kept with empty cells in the others, so a
    reader sees which indicators the reports share.
    """
    if len(claims_paths) != len(names):
        raise ValueError("one name per claims file")
    frames = []
    for path, name in zip(claims_paths, names, strict=True):
        table = load_claims(path)
        frames.append(table.set_index("id")[["indicator_en", "base_unit", "value_base"]]
                      .rename(columns={"value_base": name}))
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.combine_first(frame[["indicator_en", "base_unit"]]).join(
            frame[[frame.columns[-1]]], how="outer")
    columns = ["indicator_en", "base_unit", *names]
    return merged.reset_index().rename(columns={"index": "id"})[["id", *columns]].sort_values(
        "id", ignore_index=True)


def compare_runs(claims_paths, names, target: Path | None = None) -> Path:
    """Write the comparison table to ``outputs/comparison/claims_comparison.csv``."""
    target = target or get_paths().outputs / "comparison" / "claims_comparison.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    comparison_table(claims_paths, names).to_csv(target, index=False, lineterminator="\n",
                                                 float_format="%.10g")
    return target
