"""The layout of a run folder ``outputs/<run>/`` and the files that describe it.

A run folder holds ``figures/<NN>_<name>.<fmt>``, ``tables/<NN>_<name>.csv``,
``status/<NN>.json`` (what notebook ``NN`` skipped and why, written by
:meth:`helpers.notebook.Notebook.section`), ``notebooks/``, ``report.html``,
``manifest.json`` and ``SHA256SUMS``.  This module knows that layout; the batch
runner (:mod:`helpers.batch.runner`), the comparison with the references
(:mod:`helpers.batch.verify`) and the report read it from here, so none of them imports
another to learn it.

The *reference files* of a run folder are its figures, tables and status files:
they are listed with their sha256 in ``SHA256SUMS`` and compared by ``verify``.

>>> output_name("figures/00_headline_groups.svg")
'00_headline_groups'
>>> output_name("tables/04_audit.csv")
'04_audit'
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath

from helpers.paths import get_paths

SUMS_NAME = "SHA256SUMS"

#: Folders of a run folder whose files are reference artifacts.
REFERENCE_DIRS = ("figures", "tables", "status")

#: Folder of the notebooks' status files (``status/<NN>.json``).
STATUS_DIR = "status"


class StatusError(ValueError):
    """A status file that cannot be read as a notebook's record of skipped outputs."""


def sha256_file(path: str | os.PathLike[str]) -> str:
    """sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def output_name(rel: str) -> str:
    """The output name a declared file belongs to: ``figures/00_x.svg`` -> ``00_x``."""
    return PurePosixPath(rel).stem


def status_file(number: str) -> str:
    """Relative path (under the run folder) of notebook ``number``'s status file."""
    return f"{STATUS_DIR}/{number}.json"


def read_status(run_dir: Path, number: str) -> dict:
    """Notebook ``number``'s status: ``{"sections": {...}, "not_produced": {name: reason}}``.

    An absent file means nothing was skipped (``{}`` for both).  Raises
    :class:`StatusError` naming the file when it is not what
    :meth:`helpers.notebook.Notebook.section` writes.
    """
    file = run_dir / status_file(number)
    if not file.is_file():
        return {"sections": {}, "not_produced": {}}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StatusError(f"{status_file(number)}: not readable as JSON: {exc}") from None
    if not isinstance(data, dict):
        raise StatusError(f"{status_file(number)}: expected a JSON object")
    sections = data.get("sections") or {}
    not_produced = data.get("not_produced") or {}
    if not (isinstance(sections, dict) and all(isinstance(v, bool) for v in sections.values())):
        raise StatusError(f"{status_file(number)}: 'sections' must map section keys to "
                          "true (ran) or false (skipped)")
    if not (isinstance(not_produced, dict)
            and all(isinstance(k, str) and isinstance(v, str) and v.strip()
                    for k, v in not_produced.items())):
        raise StatusError(f"{status_file(number)}: 'not_produced' must map output names "
                          f"({number}_<name>) to a non-empty reason")
    return {"sections": dict(sections), "not_produced": dict(not_produced)}


def reference_files(run_dir: Path) -> list[str]:
    """The reference artifacts of a run folder: its figures, tables and status files."""
    return sorted(p.relative_to(run_dir).as_posix()
                  for sub in REFERENCE_DIRS if (run_dir / sub).is_dir()
                  for p in (run_dir / sub).iterdir() if p.is_file())


def write_sums(run_dir: Path, files: list[str] | None = None) -> Path:
    """Write ``SHA256SUMS`` (``sha256sum`` format) for ``files`` (relative paths; default:
    every reference file of the run folder)."""
    lines = [f"{sha256_file(run_dir / rel)}  {rel}"
             for rel in (reference_files(run_dir) if files is None else files)]
    target = run_dir / SUMS_NAME
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def read_sums(run_dir: Path) -> dict[str, str]:
    """``{relative path: sha256}`` from a run folder's ``SHA256SUMS``."""
    sums = {}
    for line in (run_dir / SUMS_NAME).read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            sums[rel.strip()] = digest
    return sums


def shown_path(path: str | os.PathLike[str]) -> str:
    """How a file is named in a manifest: relative to the project root when inside it,
    else ``external/<first 16 hex digits of its sha256>/<file name>`` (never a machine
    path; the digest tells two outside files of the same name apart)."""
    paths = get_paths()
    p = paths.resolve(path)
    try:
        return p.relative_to(paths.root).as_posix()
    except ValueError:
        digest = sha256_file(p)[:16] if p.is_file() else "missing"
        return f"external/{digest}/{p.name}"


def kernel_path(path: str | os.PathLike[str]) -> str:
    """``path`` as a notebook should receive it: relative to the project root (notebooks
    resolve relative paths from there), with ``..`` when the file lies outside it."""
    paths = get_paths()
    return Path(os.path.relpath(paths.resolve(path), paths.root)).as_posix()


#: Folder of a staged run where each notebook lists the project files it opened
#: (``.reads/<NN>.txt``, one path relative to the project root per line); written by
#: :func:`helpers.notebook.setup` when it runs under the batch runner, read into the
#: runner's state for the next run's fingerprint, never part of the run folder.
READS_DIR = ".reads"

#: Folders of the project whose files are never listed as read: the outputs, the
#: ``helpers`` source (hashed as a whole), the virtual environment and git's store.
UNTRACKED_READ_DIRS = ("outputs", "src", ".venv", ".git")


def inside(base: Path, rel: str) -> Path | None:
    """``base / rel`` resolved, or None unless it lies strictly inside ``base``.

    Every path the runner takes from a file it did not just write (its state file, a
    notebook's list of reads) goes through here before it is read, moved or deleted.

    >>> inside(Path("/p/outputs/run"), "tables/01_x.csv").as_posix()
    '/p/outputs/run/tables/01_x.csv'
    >>> inside(Path("/p/outputs/run"), "../../../victim.txt") is None
    True
    >>> inside(Path("/p/outputs/run"), "/tmp/victim.txt") is None
    True
    """
    if not isinstance(rel, str) or not rel or "\x00" in rel:
        return None
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel:
        return None
    root = Path(base).resolve()
    target = (root / rel).resolve()
    if target == root or root not in target.parents:
        return None
    return target


def reads_file(run_dir: Path, number: str) -> Path:
    """Where notebook ``number`` lists the files it opened (see :data:`READS_DIR`)."""
    return Path(run_dir) / READS_DIR / f"{number}.txt"


def read_reads(run_dir: Path, number: str, root: Path) -> list[str]:
    """The project files (relative paths) notebook ``number`` opened, sorted, each
    confined to the project; ``[]`` when nothing was recorded."""
    file = reads_file(run_dir, number)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return sorted({ln for ln in lines if inside(root, ln) is not None
                   and PurePosixPath(ln).parts[0] not in UNTRACKED_READ_DIRS})


def domains_file(run_dir: Path, number: str) -> Path:
    """Where the runner tells notebook ``number`` the claim domains its pipeline file
    declares for it (``.reads/<NN>.domains.json``, ``{"domains": [...] or null}``, plus
    ``"other_rows": [...]`` when it declares the columns it reads of the other rows; read
    by :func:`helpers.notebook.setup`)."""
    return Path(run_dir) / READS_DIR / f"{number}.domains.json"


def view_file(run_dir: Path, number: str) -> Path:
    """Where notebook ``number`` records the claims view it saw (``.reads/<NN>.view.json``,
    written by :func:`helpers.notebook.record_view`)."""
    return Path(run_dir) / READS_DIR / f"{number}.view.json"


def read_view(run_dir: Path, number: str) -> dict | None:
    """Notebook ``number``'s record of its claims view: ``claims`` (a project-relative
    path), ``file_sha256``, ``domains`` (None: every row), ``columns`` and ``sha256``;
    None when nothing was recorded or the record is not what ``record_view`` writes."""
    try:
        view = json.loads(view_file(run_dir, number).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return view if view_ok(view) else None


def view_ok(view) -> bool:
    """Whether ``view`` has the keys and types :func:`read_view` returns (its ``claims``
    path is only compared with the run's claims file, never opened)."""
    hexdigest = lambda v: isinstance(v, str) and len(v) == 64  # noqa: E731
    domains = view.get("domains") if isinstance(view, dict) else None
    return (isinstance(view, dict) and set(view) == {"claims", "file_sha256", "domains",
                                                     "columns", "sha256"}
            and isinstance(view["claims"], str) and bool(view["claims"])
            and "\x00" not in view["claims"]
            and hexdigest(view["file_sha256"]) and hexdigest(view["sha256"])
            and (domains is None or (isinstance(domains, list)
                                     and all(isinstance(d, str) for d in domains)))
            and isinstance(view["columns"], list)
            and all(isinstance(c, str) for c in view["columns"]))
