"""Figures kept between runs by what they are drawn from, so a rerun draws only those
whose inputs changed.

A figure of a notebook is ``draw(*args, **kwargs)`` saved in the notebook's figure
formats.  Its key (:func:`figure_key`) hashes everything that decides the files'
bytes: the runner's *salt* for the notebook (the notebook's code, the helpers' source,
the installed packages and every input file of the notebook but the claims file, whose
rows reach a figure only through the arguments), the function's name, the arguments'
content (:func:`digest`: a table's values, dtypes, index and ``attrs`` but the sha256 of
the whole claims file), the matplotlib settings in force (theme, language, fonts) and
the formats.  The files are kept in ``outputs/.cache/figures/<key>.<format>``
(:mod:`helpers.filecache`, the least recently used removed beyond :data:`KEEP`).

Only the batch runner gives a salt (``run``; not ``run --force``, ``verify`` or
``reference``, which draw every figure); in JupyterLab every figure is drawn.  An
argument :func:`digest` does not know, or an unset salt, gives no key: the figure is
drawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePath

from helpers import filecache
from helpers.paths import get_paths

#: Figure files kept (all formats together): about ten runs of the notebooks' figures.
KEEP = 400

#: Bump to drop every kept figure (a change of what a key covers).
VERSION = 1

#: A table's ``attrs`` entry not hashed: the claims loader's sha256 of the whole file, which
#: changes with any edit of it (a note, another row) while the rows given are the same.
FILE_DIGEST = "sha256"


def figure_key(salt: str | None, draw: Callable, args: Sequence, kwargs: dict,
               formats: Sequence[str]) -> str | None:
    """The key of ``draw(*args, **kwargs)`` saved in ``formats``, or None (no salt, or an
    argument :func:`digest` does not know)."""
    import matplotlib as mpl

    if not salt:
        return None
    try:
        data = digest([list(args), dict(kwargs)])
    except (TypeError, ValueError):  # an argument of a kind digest does not know
        return None
    settings = repr(sorted((k, repr(v)) for k, v in mpl.rcParams.items()))
    key = hashlib.sha256()
    for part in (str(VERSION), salt, f"{draw.__module__}.{draw.__qualname__}",
                 settings, ",".join(formats), data):
        key.update(part.encode("utf-8") + b"\0")
    return key.hexdigest()


def digest(value) -> str:
    """A sha256 of ``value``'s content, the same in every process: tables (columns,
    dtypes, index, values and ``attrs`` but :data:`FILE_DIGEST`), arrays, dataclasses,
    mappings, sequences, dates, paths and scalars.  Raises :class:`TypeError` for
    anything else, or a table whose cells pandas cannot hash (the figure is then drawn,
    not looked up).

    >>> digest({"a": (1, 2.5)}) == digest({"a": [1, 2.5]}), digest(1) == digest(1.0)
    (False, False)
    """
    h = hashlib.sha256()
    _feed(h, value)
    return h.hexdigest()


def _feed(h, value) -> None:
    import dataclasses
    import datetime as dt

    import numpy as np
    import pandas as pd

    def put(tag: str, text: str = "") -> None:
        h.update(f"{tag}:{len(text)}:{text};".encode("utf-8", "surrogatepass"))

    if value is None or isinstance(value, bool | int | float | complex | str | bytes
                                   | np.generic | dt.date | dt.time | dt.timedelta):
        put(type(value).__name__, repr(value))
    elif isinstance(value, pd.DataFrame | pd.Series):
        put(type(value).__name__, repr((value.shape, getattr(value, "name", None))))
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        _feed(h, [[repr(c), str(t)] for c, t in frame.dtypes.items()])
        _feed(h, [repr(n) for n in frame.index.names])
        rows = pd.util.hash_pandas_object(frame, index=True, categorize=False)
        h.update(rows.to_numpy().tobytes())
        _feed(h, {k: v for k, v in value.attrs.items() if k != FILE_DIGEST})
    elif isinstance(value, np.ndarray) and value.dtype != object:
        put("ndarray", repr((value.dtype.str, value.shape)))
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, Mapping):
        put(type(value).__name__, str(len(value)))
        for k, v in sorted(value.items(), key=lambda kv: repr(kv[0])):
            _feed(h, k)
            _feed(h, v)
    elif isinstance(value, list | tuple | np.ndarray | pd.Index):
        put(type(value).__name__, str(len(value)))
        for item in value:
            _feed(h, item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        put(type(value).__qualname__)
        _feed(h, {f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    elif isinstance(value, PurePath):
        put("path", str(value))
    else:
        raise TypeError(f"no digest of {type(value).__name__}")


def fetch(key: str | None, targets: dict[str, Path]) -> bool:
    """Write the kept files of ``key`` to ``targets`` (format -> path); False, writing
    nothing, unless every format is kept."""
    if key is None:
        return False
    cache = get_paths().cache
    found = {}
    for fmt in targets:
        data = filecache.get(cache, "figures", key, f".{fmt}")
        if data is None:
            return False
        found[fmt] = data
    for fmt, target in targets.items():
        filecache.write_atomic(target, found[fmt])
    return True


def keep(key: str | None, written: Sequence[Path]) -> None:
    """Keep the files just written for ``key`` (each under its format's suffix)."""
    if key is None:
        return
    for path in written:
        filecache.put(get_paths().cache, "figures", key, Path(path).suffix,
                      Path(path).read_bytes(), keep=KEEP)
