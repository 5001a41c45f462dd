"""Files kept between runs under a key, in a folder of ``outputs/.cache/``.

Deterministic work whose result is a file (a rendered report section, a font subset,
a figure drawn from unchanged inputs) is kept as ``<cache>/<kind>/<key><suffix>``, where
``key`` is a sha256 the caller computes over every input: a changed input is a new key,
never a stale hit.  Each file holds the sha256 of its content, then the content, so a
damaged file is a miss; a file is touched when used, and :func:`put` removes the least
recently used of its kind beyond ``keep``.  A cache that cannot be written (a read-only
checkout) is no error: the caller recomputes next time.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> put(folder, "demo", "k1", ".txt", b"kept", keep=2)
>>> get(folder, "demo", "k1", ".txt"), get(folder, "demo", "k2", ".txt")
(b'kept', None)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


def get(cache: Path, kind: str, key: str, suffix: str) -> bytes | None:
    """The kept bytes of ``kind``/``key``, or None (not kept, unreadable, damaged)."""
    file = Path(cache) / kind / f"{key}{suffix}"
    try:
        stored = file.read_bytes()
    except OSError:
        return None
    check, data = stored[:32], stored[32:]
    if hashlib.sha256(data).digest() != check:
        return None
    with contextlib.suppress(OSError):
        os.utime(file)
    return data


def put(cache: Path, kind: str, key: str, suffix: str, data: bytes, keep: int) -> None:
    """Keep ``data`` as ``kind``/``key`` (a temporary file renamed into place), then
    remove the least recently used files of ``kind`` beyond ``keep``."""
    folder = Path(cache) / kind
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(hashlib.sha256(data).digest() + data)
        os.replace(tmp, folder / f"{key}{suffix}")
        kept = []
        for entry in os.scandir(folder):
            if not entry.name.startswith("."):
                with contextlib.suppress(OSError):
                    kept.append((entry.stat().st_mtime_ns, entry.name))
        for _, name in sorted(kept, reverse=True)[keep:]:
            with contextlib.suppress(OSError):
                (folder / name).unlink()
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file beside it, flushed to disk and
    renamed into place (mode 644): a reader never sees half a file."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
