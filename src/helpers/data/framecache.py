"""Tables kept between runs, by the hash of everything they were made from.

Deterministic work whose inputs rarely change (validating a large claims file,
segmenting an article) is kept as a pickled frame in ``outputs/.cache/<kind>/<key>.pkl``,
where ``key`` is a sha256 the caller computes over every input, including the code
that made the table: a changed input is a new key, never a stale hit.  Pickles are
read only from the project's own ``outputs/`` folder, which only this module writes.
A damaged or unreadable file is a miss; a read-only checkout simply recomputes.

>>> cache_file("text", "ab12").relative_to(get_paths().root).as_posix()
'outputs/.cache/text/ab12.pkl'
>>> read_frame("text", None) is None
True
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd

from helpers.paths import get_paths


def cache_file(kind: str, key: str) -> Path:
    """Where the table of ``kind`` with ``key`` is kept."""
    return get_paths().cache / kind / f"{key}.pkl"


def read_frame(kind: str, key: str | None) -> pd.DataFrame | None:
    """The kept table, or None (no key, not kept, damaged, not a frame)."""
    if key is None:
        return None
    try:
        with open(cache_file(kind, key), "rb") as f:
            frame = pickle.load(f)  # written by write_frame only, under outputs/
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return frame if isinstance(frame, pd.DataFrame) else None


def write_frame(kind: str, key: str | None, frame: pd.DataFrame) -> None:
    """Keep ``frame`` under ``key`` (atomically: a temp file renamed into place)."""
    if key is None:
        return
    target = cache_file(kind, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(frame, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except (OSError, pickle.PicklingError):
        pass  # a read-only checkout recomputes every time
