"""Compare several claims files (several counties' reports) indicator by indicator.

Each file is labelled by its own metadata: its county's name is its column header
(with the run's name added when two files name the same county).  Ids present in
some files only are kept, with empty cells in the others, so a reader sees which
indicators the reports share.  The indicator's wording is the codebook's where the
id is in it, else that of the first file that has the id.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from helpers.data.claims import load_claims
from helpers.data.codebook import load_codebook
from helpers.paths import get_paths


def column_labels(metas, names: list[str], lang: str = "en") -> list[str]:
    """One column header per file: the county's name in ``lang``, made unique with the
    run's name (``Songlan (songlan_claims)``) where two files name one county."""
    counties = [m.county_name(lang) for m in metas]
    labels = [c if counties.count(c) == 1 else f"{c} ({n})"
              for c, n in zip(counties, names, strict=True)]
    if len(set(labels)) != len(labels):
        raise ValueError(f"two claims files with the same county and run name: {labels}")
    return labels


def comparison_table(claims_paths: list[str | os.PathLike[str]],
                     names: list[str] | None = None, lang: str = "en") -> pd.DataFrame:
    """One row per (claim id, base unit) found in any file; one value column per file
    (base units), headed by the file's county (see :func:`column_labels`).

    ``names`` (default: the files' stems) tell apart files about the same county.
    """
    names = names or [Path(p).stem for p in claims_paths]
    if len(claims_paths) != len(names):
        raise ValueError("one name per claims file")
    tables = [load_claims(path) for path in claims_paths]
    labels = column_labels([t.attrs["meta"] for t in tables], names, lang)
    column = "indicator_en" if lang == "en" else "indicator_zh"
    long = pd.concat([t[["id", "base_unit", column, "value_base"]].assign(county=label)
                      for t, label in zip(tables, labels, strict=True)], ignore_index=True)
    wide = long.pivot_table(index=["id", "base_unit"], columns="county", values="value_base",
                            aggfunc="first", sort=True)
    wide = wide.reindex(columns=labels).reset_index()
    wide.columns.name = None
    book = load_codebook()
    worded = long.drop_duplicates("id").set_index("id")[column]
    wide.insert(1, "indicator", [book.at[i, column] if i in book.index else worded[i]
                                 for i in wide["id"]])
    return wide


def compare_runs(claims_paths, names, target: Path | None = None, lang: str = "en") -> Path:
    """Write the comparison table to ``outputs/comparison/claims_comparison.csv``."""
    target = target or get_paths().outputs / "comparison" / "claims_comparison.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    comparison_table(claims_paths, names, lang).to_csv(
        target, index=False, lineterminator="\n", float_format="%.10g")
    return target
