"""The codebook: every indicator id the project understands (``data/codebook.csv``).

A claims file files each statement under a codebook id (``poverty.registered_persons``,
``health.premium_amount``, ...).  Ids are county-neutral and named by topic; the
article's own chapter is a separate column of the claims table.  A claims file may
also carry ids outside the codebook under the prefix ``x.`` (``x.industry.kiwi_area``):
they are loaded, shown and compared, but no notebook section or audit relation uses
them.  Any other unknown id is an error that names the nearest codebook ids.

>>> book = load_codebook()
>>> book.loc["poverty.registered_persons", "base_unit"]
'persons'
>>> nearest_ids("poverty.registered_person", book.index)[0]
'poverty.registered_persons'
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable

import pandas as pd

from helpers.paths import get_paths

#: Prefix of ids a claims file may use for indicators outside the codebook.
EXTENSION_PREFIX = "x."

#: Columns of ``data/codebook.csv``.
CODEBOOK_FIELDS: dict[str, str] = {
    "id": "indicator id: <topic>.<indicator>, lower case and _",
    "topic": "topic of the indicator (poverty, health, industry, ...)",
    "indicator_zh": "what the indicator counts, in Chinese",
    "indicator_en": "what the indicator counts, in English",
    "base_unit": "the unit its value_base must be in",
    "kind": "stock (as of a date), flow (over a period), rate (percent) or per_unit",
    "plausible_min": "smallest plausible value per unit of scale (empty: no lower bound)",
    "plausible_max": "largest plausible value per unit of scale (empty: no upper bound)",
    "plausible_per": "the scale the range is per: registered_person, registered_household, "
                     "poor_village, borrower_household, or empty for the value itself",
    "plausible_source": "where the range comes from",
    "notes": "how the indicator is filed (periods, flows, compound statements)",
}

KINDS = ("stock", "flow", "rate", "per_unit")


class CodebookError(ValueError):
    """A codebook file that cannot be used."""


def load_codebook(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The codebook indexed by ``id``; range columns as floats (NaN when open)."""
    paths = get_paths()
    file = paths.codebook if path is None else paths.resolve(path)
    shown = paths.relative(file)
    if not file.is_file():
        raise CodebookError(f"{shown}: codebook not found")
    frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in CODEBOOK_FIELDS if c not in frame.columns]
    if missing:
        raise CodebookError(f"{shown}: missing column(s) {', '.join(missing)}")
    dup = frame.loc[frame["id"].duplicated(), "id"]
    if not dup.empty:
        raise CodebookError(f"{shown}: id {dup.iloc[0]!r} appears twice")
    bad_kind = frame.loc[~frame["kind"].isin(KINDS)]
    if not bad_kind.empty:
        row = bad_kind.index[0] + 2
        raise CodebookError(f"{shown}, line {row}, field 'kind': must be one of "
                            f"{', '.join(KINDS)}, got {bad_kind['kind'].iloc[0]!r}")
    for col in ("plausible_min", "plausible_max"):
        frame[col] = pd.to_numeric(frame[col].replace("", None), errors="raise")
    frame.attrs["path"] = shown
    return frame.set_index("id", drop=False)


def is_extension(claim_id: str) -> bool:
    """True for ids outside the codebook by design (``x.`` prefix)."""
    return claim_id.startswith(EXTENSION_PREFIX)


def nearest_ids(claim_id: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The codebook ids closest to ``claim_id`` (by spelling, then by indicator name)."""
    known = list(known)
    hits = difflib.get_close_matches(claim_id, known, n=n, cutoff=0.5)
    if len(hits) < n:
        tail = claim_id.split(".")[-1]
        by_tail = difflib.get_close_matches(tail, [k.split(".")[-1] for k in known],
                                            n=n, cutoff=0.6)
        for t in by_tail:
            for k in known:
                if k.split(".")[-1] == t and k not in hits:
                    hits.append(k)
    return hits[:n]


def unknown_id_message(claim_id: str, known: Iterable[str]) -> str:
    """Why ``claim_id`` is refused, with the nearest codebook ids."""
    near = nearest_ids(claim_id, known)
    hint = f"; nearest codebook ids: {', '.join(near)}" if near else ""
    return (f"id {claim_id!r} is not in the codebook (data/codebook.csv){hint}; "
            f"use a codebook id, or the prefix {EXTENSION_PREFIX!r} for an indicator "
            "outside it")
