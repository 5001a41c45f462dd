"""Verify that the committed reference outputs follow from the code and data.

:func:`verify` re-executes the whole pipeline with default parameters into a
temporary run folder and compares every reference artifact of
``outputs/default/`` (listed with its sha256 in ``outputs/default/SHA256SUMS``):

- tables (CSV) and the notebooks' status files (``status/<NN>.json``, what a
  notebook skipped and why): byte for byte; on drift, the number of differing lines;
- SVG figures: byte for byte; on drift, how many bytes differ;
- PNG figures: with matplotlib's image comparison (RMS within a tolerance),
  since PNG text rendering may vary with the FreeType build;
- the notebooks: through nbval (stored outputs against a fresh execution).

One line per artifact; :func:`verify` returns the list of drifts (empty = all match).
The run folder's layout and ``SHA256SUMS`` live in :mod:`helpers.batch.runfolder`; this
module imports the runner, and the runner does not import this module.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from helpers.batch.pipeline import load_pipeline
from helpers.batch.runfolder import SUMS_NAME, read_sums, reference_files, write_sums
from helpers.batch.runner import Runner
from helpers.paths import get_paths

__all__ = ["PNG_TOLERANCE", "SUMS_NAME", "Comparison", "compare_file", "compare_runs",
           "read_sums", "reference_files", "run_nbval", "verify", "write_sums"]

#: RMS tolerance for PNG comparison (matplotlib.testing.compare.compare_images; 0–255 scale).
PNG_TOLERANCE = 2.0


@dataclass(frozen=True)
class Comparison:
    """The outcome for one artifact."""

    artifact: str
    status: str  # match, drift, missing, extra
    detail: str = ""

    def line(self) -> str:
        return f"{self.status:<8} {self.artifact}" + (f"  ({self.detail})" if self.detail else "")


def compare_file(rel: str, expected: Path, actual: Path, png_tol: float = PNG_TOLERANCE
                 ) -> Comparison:
    """Compare one artifact by its kind (see the module docstring)."""
    if not actual.is_file():
        return Comparison(rel, "missing", "not produced by the rerun")
    if not expected.is_file():
        return Comparison(rel, "extra", "produced by the rerun but not in the reference")
    a, b = expected.read_bytes(), actual.read_bytes()
    if a == b:
        return Comparison(rel, "match")
    if rel.endswith(".png"):
        from matplotlib.testing.compare import compare_images
        from matplotlib.testing.exceptions import ImageComparisonFailure

        try:
            result = compare_images(str(expected), str(actual), tol=png_tol, in_decorator=True)
        except ImageComparisonFailure as exc:  # different sizes
            return Comparison(rel, "drift", f"PNG {str(exc).splitlines()[0]}")
        if result is None:
            return Comparison(rel, "match", "PNG bytes differ, image within tolerance")
        return Comparison(rel, "drift", f"PNG RMS {result['rms']:.2f} > {png_tol}")
    if rel.endswith((".csv", ".json")):
        old = a.decode("utf-8").splitlines()
        new = b.decode("utf-8").splitlines()
        changed = sum(1 for x, y in zip(old, new, strict=False) if x != y) + abs(
            len(old) - len(new))
        return Comparison(rel, "drift", f"{changed} of {max(len(old), len(new))} lines differ")
    changed = sum(1 for x, y in zip(a, b, strict=False) if x != y) + abs(len(a) - len(b))
    return Comparison(rel, "drift", f"{changed} of {max(len(a), len(b))} bytes differ")


def compare_runs(reference: Path, fresh: Path, png_tol: float = PNG_TOLERANCE
                 ) -> list[Comparison]:
    """Compare every artifact of ``reference`` (per its SHA256SUMS) with ``fresh``."""
    expected = read_sums(reference)
    results = []
    for rel, digest in expected.items():
        file = reference / rel
        if not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            results.append(Comparison(rel, "drift", "committed file does not match SHA256SUMS"))
            continue
        results.append(compare_file(rel, file, fresh / rel, png_tol))
    for rel in reference_files(fresh):
        if rel not in expected:
            results.append(Comparison(rel, "extra", "not in the committed reference"))
    return results


def run_nbval(notebooks: list[Path]) -> list[Comparison]:
    """nbval over the committed notebooks, one comparison per notebook.

    One pytest process checks them all, each notebook in a kernel of its own; a notebook
    with a failed cell (a ``FAILED <notebook>::Cell N`` line) or an error is a drift.
    """
    if not notebooks:
        return []
    paths = get_paths()
    proc = subprocess.run(
        # -n 0: a notebook's cells run in order in one kernel, not on xdist's workers;
        # -p nbval: pyproject.toml's addopts turn plugin autoloading off
        [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "-p", "nbval",
         "-n", "0", "--nbval",
         "--nbval-sanitize-with", str(paths.root / "tests" / "nbval_sanitize.cfg"),
         *map(str, notebooks)], cwd=paths.root, capture_output=True, text=True)
    if proc.returncode not in (0, 1):  # 1: some cell differs; else pytest could not run
        raise RuntimeError(f"nbval could not check the notebooks (pytest exit "
                           f"{proc.returncode}): {(proc.stdout + proc.stderr)[-2000:]}")
    # "FAILED <notebook>::Cell N - …" or "ERROR <notebook> - …": failures per notebook
    failed = Counter(line.split()[1].split("::")[0] for line in proc.stdout.splitlines()
                     if line.startswith(("FAILED ", "ERROR ")))
    return [Comparison(rel, "drift", f"nbval: {failed[rel]} cell(s) differ") if failed[rel]
            else Comparison(rel, "match", "nbval") for rel in map(paths.relative, notebooks)]


def verify_scratch() -> Path:
    """This process's own scratch folder, ``outputs/.verify/<pid>/`` (emptied), so two
    ``verify`` at once never delete each other's; folders of dead processes go."""
    import os

    from helpers.batch.runner import _pid_alive

    base = get_paths().outputs / ".verify"
    if base.is_dir():
        for entry in base.iterdir():
            if entry.name.isdigit() and not _pid_alive(int(entry.name)):
                shutil.rmtree(entry, ignore_errors=True)
    scratch = base / str(os.getpid())
    shutil.rmtree(scratch, ignore_errors=True)
    return scratch


def verify(*, nbval: bool = True, png_tol: float = PNG_TOLERANCE, log=print,
           keep: bool = False) -> list[Comparison]:
    """Re-execute the default run in a temporary folder and compare; return the drifts."""
    paths = get_paths()
    reference = paths.outputs / "default"
    if not (reference / SUMS_NAME).is_file():
        raise FileNotFoundError(f"{paths.relative(reference / SUMS_NAME)} not found: "
                                "run `make report` and commit the reference outputs first")
    scratch = verify_scratch()
    pipeline = load_pipeline()
    try:
        result = Runner(pipeline, "default", outputs_root=scratch, force=True, report=False,
                        progress=False).execute()
        if not result.ok:
            log(result.message)
            return [Comparison("run", "drift", "the rerun failed")]
        comparisons = compare_runs(reference, scratch / "default", png_tol)
        if nbval:
            comparisons += run_nbval([s.path for s in pipeline.notebooks])
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
    for c in comparisons:
        log(c.line())
    drifts = [c for c in comparisons if c.status != "match"]
    log(f"{len(comparisons) - len(drifts)} match, {len(drifts)} drift")
    return drifts
