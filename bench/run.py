"""Benchmarks of the batch run (``make bench``): medians over repeated runs on this machine.

Measures, each after one warm-up, with medians over ``--repeat`` runs (default 5):

1. cold full run: ``leiyang-poverty run --force`` (all notebooks, report included);
2. no-op rerun: ``leiyang-poverty run`` with nothing changed;
3. rerun after touching one claims row (the ``notes`` of one row of a copy);
4. the test suite (``pytest``, as ``make test`` runs it, without the lint);
5. the naive baseline: a sequential shell loop of the ``papermill`` CLI over the same
   notebooks with default parameters;
6. the floor: the notebooks' code cells exported with nbconvert and executed as plain
   Python in one process, imports paid once;

and the peak memory (max RSS of the largest process) of a cold run.  Writes
``bench/RESULTS.md``.  Runs write only under ``outputs/.bench/``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SCRATCH = ROOT / "outputs" / ".bench"


def timed(cmd: list[str] | str, *, shell: bool = False, env=None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, shell=shell, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_of(fn, repeat: int) -> tuple[float, list[float]]:
    fn()  # warm-up
    times = [fn() for _ in range(repeat)]
    return statistics.median(times), times


def notebooks() -> list[Path]:
    sys.path.insert(0, str(ROOT / "src"))
    from helpers.batch.pipeline import load_pipeline

    return [s.path for s in load_pipeline().notebooks]


def run_cmd(*args: str) -> list[str]:
    return [str(BIN / "leiyang-poverty"), "run", "--outputs-root", str(SCRATCH), *args]


def naive_loop() -> float:
    out = SCRATCH / "naive"
    out.mkdir(parents=True, exist_ok=True)
    loop = " && ".join(
        f"{BIN / 'papermill'} -p output_dir outputs/.bench/naive {nb} {out / nb.name}"
        for nb in notebooks())
    return timed(loop, shell=True)


FLOOR_SCRIPT = """
import sys, time, matplotlib
matplotlib.use("Agg")
from nbconvert import PythonExporter
import nbformat
exporter = PythonExporter()
start = time.perf_counter()
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += '\\noutput_dir = "outputs/.bench/floor"'
    code, _ = exporter.from_notebook_node(nb)
    code = code.replace("get_ipython()", "None and get_ipython()")
    exec(compile(code, path, "exec"), {"__name__": "__main__"})
    import matplotlib.pyplot as plt
    plt.close("all")
print(time.perf_counter() - start)
"""


def floor() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR_SCRIPT, *map(str, notebooks())], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def touch_row_rerun() -> float:
    copy = SCRATCH / "claims_touched.csv"
    rows = list(csv.DictReader((ROOT / "data/claims/leiyang_claims.csv").open(encoding="utf-8")))
    stamp = str(time.perf_counter_ns())
    rows[-1]["notes"] = (rows[-1]["notes"] + " ").rstrip() + f" (bench {stamp[-6:]})"
    with copy.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    meta = ROOT / "data/claims/leiyang_claims.meta.yaml"
    copy.with_name(copy.stem + ".meta.yaml").write_bytes(meta.read_bytes())
    rel = copy.relative_to(ROOT).as_posix()
    return timed(run_cmd("--claims", rel))


def peak_memory_mb() -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(run_cmd("--force"), cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024


def versions() -> dict[str, str]:
    from importlib import metadata

    names = ["papermill", "nbclient", "ipykernel", "pandas", "matplotlib", "seaborn",
             "nbconvert", "pytest", "nbval"]
    return {n: metadata.version(n) for n in names}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-tests", action="store_true", help="skip the test-suite timing")
    args = parser.parse_args()
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    n = args.repeat
    results: dict[str, tuple[float, list[float]]] = {}
    results["cold full run (--force, report included)"] = median_of(
        lambda: timed(run_cmd("--force")), n)
    results["no-op rerun"] = median_of(lambda: timed(run_cmd()), n)
    results["rerun after touching one claims row"] = median_of(touch_row_rerun, n)
    results["naive loop: papermill CLI, sequential"] = median_of(naive_loop, n)
    results["floor: code cells as plain Python, one process"] = median_of(floor, n)
    if not args.skip_tests:
        results["test suite (pytest, nbval included)"] = median_of(
            lambda: timed([str(BIN / "pytest"), "-q", "-p", "no:cacheprovider"]), n)
    peak = peak_memory_mb()
    cold = results["cold full run (--force, report included)"][0]
    naive = results["naive loop: papermill CLI, sequential"][0]
    fl = results["floor: code cells as plain Python, one process"][0]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (bench/run.py): medians over {n} runs after one warm-up.",
        "",
        "## Machine",
        "",
        f"- {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "- " + ", ".join(f"{k} {v}" for k, v in versions().items()),
        f"- notebooks: {', '.join(p.name for p in notebooks())}",
        "",
        "## Timings",
        "",
        "| measurement | median (s) | runs (s) |",
        "|---|---:|---|",
    ]
    for name, (med, runs) in results.items():
        lines.append(f"| {name} | {med:.2f} | {', '.join(f'{t:.2f}' for t in runs)} |")
    lines += [
        "",
        "## Ratios and targets",
        "",
        "| ratio | value | target |",
        "|---|---:|---|",
        f"| cold / naive | {cold / naive:.2f} | ≤ 0.7 |",
        f"| cold / floor | {cold / fl:.2f} | ≤ 2.0 |",
        f"| no-op rerun (s) | {results['no-op rerun'][0]:.2f} | < 0.5 |",
    ]
    if "test suite (pytest, nbval included)" in results:
        lines.append(f"| test suite (s) | {results['test suite (pytest, nbval included)'][0]:.0f}"
                     " | < 300 |")
    lines += ["", f"Peak memory of a cold run (max RSS of the largest process): {peak:.0f} MB", ""]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    shutil.rmtree(SCRATCH, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
