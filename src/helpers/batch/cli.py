"""The command line: run the notebook set, regenerate references, list the pipeline.

The console script's name is set in ``pyproject.toml``; ``--help`` shows it.

Subcommands (each has ``--help``):

- ``run``: execute the pipeline's notebooks for a named run into ``outputs/<run>/``
  (parallel, incremental, atomic; HTML report and manifest included); parameters
  other than the run's (``-p``, ``--params-file``) run under a name derived from
  them (``default-money_unit-yi``), so ``outputs/default/`` is never written with
  other values; values are checked before any kernel starts;
- ``reference``: execute notebooks in place with default parameters, so the
  committed notebooks carry the outputs of a default run; the only command that
  writes the references of ``outputs/default/`` outside ``run`` (a notebook's own
  parameters cell writes to the scratch ``outputs/lab/``);
- ``verify``: rerun the default set in a scratch folder and compare with the
  committed references, one line per artifact;
- ``list``: show the notebooks, their dependencies and declared outputs;
- ``outputs-table``: print the Markdown table of figures and tables (for the README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from helpers.paths import get_paths

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def parse_assignment(text: str) -> tuple[str, object]:
    """``key=value`` with the value read as YAML (``3`` int, ``[svg]`` list, ``zh`` str)."""
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    key, raw = text.split("=", 1)
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key.strip(), value


def _params(args) -> dict:
    params: dict = {}
    if args.params_file:
        file = Path(args.params_file)
        try:
            loaded = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SystemExit(f"--params-file {args.params_file}: {exc}") from None
        if not isinstance(loaded, dict):
            raise SystemExit(f"--params-file {args.params_file}: expected a mapping of "
                             "parameter names to values")
        params.update(loaded)
    params.update(dict(args.param or []))
    return params


def cmd_run(args) -> int:
    """Execute the pipeline for one or more runs."""
    from helpers.batch import kernelfork
    from helpers.batch.pipeline import PipelineError, load_pipeline
    from helpers.batch.runner import RunError, Runner

    if not args.dask_scheduler:
        # the kernels' fork server imports their modules while this process checks the
        # runs and decides what to rerun (unused if nothing is to rerun)
        kernelfork.start_server()
    try:
        pipeline = load_pipeline(args.pipeline)
    except PipelineError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    params = _params(args)
    runs: list[tuple[str, dict]] = []
    notes: list[str] = []
    if args.claims:
        try:
            names = claims_run_names(args.claims, args.run, pipeline)
        except ValueError as exc:
            _err(f"error: {exc}")
            return EXIT_USAGE
        for name, claims in zip(names, args.claims, strict=True):
            # a path given on the command line is relative to the working directory
            runs.append((name, {**params, "claims_path": str(Path(claims).resolve())}))
    else:
        for name in args.run or ["default"]:
            if name not in pipeline.runs:
                _err(f"error: unknown run {name!r}; runs in {pipeline.source}: "
                     + ", ".join(pipeline.runs))
                return EXIT_USAGE
            derived, run_params = parameter_run(name, params, pipeline)
            if derived != name:
                changed = params_changed(name, params, pipeline)
                shown = ", ".join(f"{k}={v}" for k, v in changed.items())
                root = get_paths().relative(get_paths().resolve(
                    args.outputs_root or "outputs"))
                notes.append(f"run {derived}: {shown} (not the parameters of run {name}); "
                             f"its outputs go to {root}/{derived}/, {root}/{name}/ is not "
                             "touched")
            runs.append((derived, run_params))
    try:
        check_values(runs, pipeline)
    except ValueError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    for note in notes:
        _err(note)
    status = EXIT_OK
    finished = []
    failures: list[tuple[str, str]] = []
    batch = len(runs) > 1
    for name, run_params in runs:
        try:
            result = Runner(
                pipeline, name, lines=True, params=run_params, jobs=args.jobs, force=args.force,
                show_code=args.show_code, dask_scheduler=args.dask_scheduler,
                only=args.notebooks or None, report=not args.no_report,
                timeout=args.timeout,
                outputs_root=get_paths().resolve(args.outputs_root)
                if args.outputs_root else None).execute()
        except (RunError, PipelineError) as exc:
            _err(f"error: {exc}")
            if not batch:
                return EXIT_USAGE
            # a batch goes on: the other files run, the failure is listed at the end
            failures.append((name, str(exc).splitlines()[0]))
            status = max(status, EXIT_USAGE)
            continue
        except KeyboardInterrupt:
            _err("interrupted")
            return EXIT_INTERRUPTED
        except OSError as exc:
            _err(f"error: {describe_os_error(exc)}")
            if not batch:
                return EXIT_FAILED
            failures.append((name, describe_os_error(exc)))
            status = max(status, EXIT_FAILED)
            continue
        print(result.summary())
        _err(result.message)
        report = (result.run_dir / "report.html") if result.run_dir else None
        if result.ok and report is not None and report.is_file():
            _err(f"report: {get_paths().relative(report)}")
        if not result.ok:
            interrupted = any(r.status == "interrupted" for r in result.results)
            if interrupted:
                return EXIT_INTERRUPTED
            if not batch:
                return EXIT_FAILED
            failures.append((name, result.message.splitlines()[0] if result.message else
                             "a notebook failed"))
            status = max(status, EXIT_FAILED)
            continue
        finished.append((name, run_params))
    if batch:
        _err(f"batch: {len(finished)} of {len(runs)} run(s) finished"
             + ("" if not failures else "; failed: " + "; ".join(
                 f"{name} ({why})" for name, why in failures)))
    if args.claims and len(finished) > 1:
        from helpers.batch.runner import run_comparison

        try:
            target = run_comparison([p["claims_path"] for _, p in finished],
                                    [n for n, _ in finished], pipeline=pipeline,
                                    lang=str(params.get("lang", "en")),
                                    outputs_root=get_paths().resolve(args.outputs_root)
                                    if args.outputs_root else None)
        except (RunError, OSError) as exc:  # the county runs stand; the batch fails
            _err(f"error: {exc}")
            return max(status, EXIT_FAILED)
        _err(f"comparison (05_compare and claims_comparison.csv): "
             f"{get_paths().relative(target)}/")
    return status


def params_changed(run: str, params: dict, pipeline) -> dict:
    """The given parameters whose values differ from those of the pipeline's run ``run``."""
    base = pipeline.run_parameters(run)
    return {k: v for k, v in params.items() if k not in base or base[k] != v}


def parameter_run(run: str, params: dict, pipeline) -> tuple[str, dict]:
    """The run name and parameters of ``run`` with ``params`` (``-p``, ``--params-file``).

    A run's folder holds that run's parameters only, so the committed references in
    ``outputs/default/`` are never written by a run with other values: parameters that
    change a value of the pipeline's run ``run`` make a run of their own, named from
    them (``default`` with ``-p money_unit=yi`` runs as ``default-money_unit-yi``,
    ``zh`` with ``-p figure_formats=[svg]`` as ``zh-figure_formats-svg``).  Values
    are kept to letters, digits, ``_ . -``; a name that would be too long or invalid
    (see :func:`helpers.batch.pipeline.run_name_problem`) ends in a short hash of the
    parameters instead (``default-params-3f9a1c``).  Parameters equal to the run's
    own give the run itself.

    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(runs={"default": {}}, run_parameters=lambda r: {"lang": "en"})
    >>> parameter_run("default", {"lang": "en"}, p)
    ('default', {'lang': 'en'})
    >>> parameter_run("default", {"money_unit": "yi"}, p)
    ('default-money_unit-yi', {'money_unit': 'yi'})
    """
    import hashlib
    import json
    import re

    from helpers.batch.pipeline import run_name_problem

    changed = params_changed(run, params, pipeline)
    own = dict(pipeline.runs.get(run) or {})
    if not changed:
        return run, {**own, **params}

    def text(value) -> str:
        if isinstance(value, list | tuple):
            return "_".join(text(v) for v in value)
        return re.sub(r"[^A-Za-z0-9_.]+", "_", str(value)).strip("_.") or "_"

    name = "-".join([run, *(f"{k}-{text(v)}" for k, v in sorted(changed.items()))])
    if len(name) > 60 or run_name_problem(name) or name in pipeline.runs:
        digest = hashlib.sha256(json.dumps(changed, sort_keys=True, default=str)
                                .encode("utf-8")).hexdigest()[:6]
        name = f"{run}-params-{digest}"
    return name, {**own, **params}


def check_values(runs: list[tuple[str, dict]], pipeline) -> None:
    """Check the common parameters' values of every run before any kernel starts.

    Raises ValueError with one message naming the run and the parameter (the
    notebooks' own check, :func:`helpers.params.check_parameters`), so an invalid
    ``-p money_unit=usd`` or ``-p lang=fr`` stops here instead of in every kernel.
    """
    from helpers.params import DEFAULTS, ParameterError, check_parameters

    for name, params in runs:
        merged = {**DEFAULTS, **pipeline.defaults, **params}
        try:
            # output_dir is the runner's (outputs/<run>/); the outputs folder stands in
            check_parameters(merged["lang"], merged["money_unit"], merged["claims_path"],
                             "outputs", merged["figure_formats"])
        except ParameterError as exc:
            raise ValueError(f"run {name}: {exc}" if len(runs) > 1 else str(exc)) from None


def claims_run_names(claims: list[str], runs: list[str] | None, pipeline) -> list[str]:
    """The run (and output folder) name of each ``--claims`` file.

    ``--run`` names, one per ``--claims`` in the same order, are used as given; a
    name that is a run of the pipeline file (``default``, ``zh``), an invalid or
    reserved name, or one name twice is refused.  Without ``--run`` a file runs
    under its stem (``x_claims.csv`` as ``x_claims``), made a valid
    name (other characters become ``_``); a stem that is a run of the pipeline
    file, is not usable, or is shared by two files gets a short hash of the
    file's location (``claims-3f9a1c``), so every file has its own run folder and
    none replaces the pipeline's runs.
    """
    import hashlib
    import re

    from helpers.batch.pipeline import run_name_problem

    if runs and len(runs) != len(claims):
        raise ValueError(f"{len(runs)} --run name(s) for {len(claims)} --claims file(s); give "
                         "one --run per --claims, in the same order, or none")
    if runs:
        seen: dict[str, str] = {}
        for name, file in zip(runs, claims, strict=True):
            if name in pipeline.runs:
                raise ValueError(
                    f"claims file {file} would run as {name!r} (named with --run), which is a "
                    f"run of {pipeline.source} whose outputs are in outputs/{name}/; name its "
                    "run differently with --run NAME (one --run per --claims)")
            problem = run_name_problem(name)
            if problem:
                raise ValueError(f"claims file {file}: {problem}; give another with --run NAME")
            if name in seen:
                raise ValueError(f"claims files {seen[name]} and {file} would both run as "
                                 f"{name!r}; give each its own --run NAME")
            seen[name] = file
        return list(runs)

    def tag(file: str) -> str:
        where = str(Path(file).resolve())
        return hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:6]

    stems = []
    for file in claims:
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(file).stem)[:60].rstrip(".")
        stems.append(stem if stem and not run_name_problem(stem) else "claims")
    counts = {s: stems.count(s) for s in stems}
    names = []
    for stem, file, original in zip(stems, claims, claims, strict=True):
        clash = (counts[stem] > 1 or stem in pipeline.runs or stem != Path(original).stem)
        name = f"{stem}-{tag(file)}" if clash else stem
        while name in names:  # the same file given twice
            name = f"{name}-{len(names)}"
        names.append(name)
    return names


def describe_os_error(exc: OSError) -> str:
    """An OSError as one line naming the path: ``cannot write outputs/x: No space left``."""
    where = exc.filename or ""
    if where:
        paths = get_paths()
        try:
            where = paths.relative(where)
        except (ValueError, OSError):
            where = str(where)
    what = exc.strerror or str(exc)
    return f"{where}: {what}" if where else what


#: Where ``reference`` has the county notebooks write: the committed references.
REFERENCE_OUTPUT_DIR = "outputs/default"


def drop_injected_parameters(path) -> None:
    """Remove the cell papermill injected from an executed notebook, in place.

    The committed notebook keeps its own parameters cell only (``output_dir =
    "outputs/lab"``), so running it in the Lab never writes the references; the
    execution counts are renumbered 1, 2, ... as if the cell had not run.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells
                if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = count
    nbformat.write(nb, path)


def cmd_reference(args) -> int:
    """Execute notebooks in place with default parameters (the committed reference).

    Each notebook runs into a temporary file beside it that replaces it only when
    every cell ran: a failing cell leaves the notebook as it was (the failed copy is
    kept under ``outputs/.failed/reference/``), and Ctrl-C or SIGTERM stops the kernel,
    removes the temporary file and exits with 130, the notebooks untouched.
    """
    import os
    import shutil
    import signal

    from helpers.batch.execution import execute
    from helpers.batch.pipeline import PipelineError, load_pipeline
    from helpers.batch.runner import kernel_manager_class, kill_kernels, preload

    try:
        pipeline = load_pipeline(args.pipeline)
    except PipelineError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    every = [*pipeline.notebooks, *pipeline.batch_notebooks]
    chosen = [s for s in every if not args.notebooks
              or s.name in args.notebooks or s.name[:2] in args.notebooks]
    if args.notebooks and not chosen:
        _err("error: no such notebook; known: " + ", ".join(s.name for s in every))
        return EXIT_USAGE
    batch = {s.name for s in pipeline.batch_notebooks}
    paths = get_paths()
    logs = paths.outputs / ".runs" / "logs"

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # SIGINT too: a process started with SIGINT ignored (a shell's background job) has no
    # KeyboardInterrupt handler of Python's, and Ctrl-C must still stop the kernel
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    preload()
    tmp = None
    try:
        for spec in chosen:
            _err(f"executing {spec.name} in place")
            tmp = spec.path.with_name(f".{spec.path.stem}.{os.getpid()}.tmp.ipynb")
            # the parameters cells write to the scratch outputs/lab/ (a notebook run in
            # the Lab or by bare papermill); the references are written here only. A
            # batch notebook (05_compare) runs with its stored defaults.
            parameters = None if spec.name in batch else {"output_dir": REFERENCE_OUTPUT_DIR}
            try:
                execute(spec.path, tmp, parameters, kernel_manager_class=kernel_manager_class(
                    logs / f"reference-{spec.name}.log"))
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # a failing cell or kernel, reported
                kept = None
                if tmp.is_file():
                    kept = paths.outputs / ".failed" / "reference" / spec.path.name
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(tmp, kept)
                where = f"; executed notebook kept at {paths.relative(kept)}" if kept else ""
                _err(f"error: {spec.name} failed: {type(exc).__name__}: "
                     f"{(str(exc).strip().splitlines() or [''])[-1]}{where}; "
                     f"{paths.relative(spec.path)} is unchanged")
                return EXIT_FAILED
            if parameters:
                drop_injected_parameters(tmp)
            os.replace(tmp, spec.path)
            tmp = None
    except KeyboardInterrupt:
        kill_kernels()
        _err("interrupted: the notebooks not yet executed in place are unchanged")
        return EXIT_INTERRUPTED
    except OSError as exc:
        _err(f"error: {describe_os_error(exc)}")
        return EXIT_FAILED
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK


def cmd_list(args) -> int:
    """Print the pipeline: notebooks in order, dependencies, outputs."""
    from helpers.batch.pipeline import load_pipeline

    pipeline = load_pipeline(args.pipeline)
    for spec in pipeline.notebooks:
        deps = ", ".join(spec.depends_on) or "-"
        print(f"{spec.name}  (after: {deps})")
        for rel in spec.outputs():
            print(f"    {rel}")
    print("runs: " + ", ".join(pipeline.runs))
    return EXIT_OK


def cmd_outputs_table(args) -> int:
    """Print the README's table of figures and tables."""
    from helpers.batch.pipeline import load_pipeline
    from helpers.batch.readme import outputs_table, replace_section

    pipeline = load_pipeline(args.pipeline)
    if args.write:
        readme = get_paths().root / "README.md"
        readme.write_text(replace_section(readme.read_text(encoding="utf-8"), pipeline),
                          encoding="utf-8")
        _err("README.md updated")
    else:
        print(outputs_table(pipeline))
    return EXIT_OK


def cmd_verify(args) -> int:
    """Re-execute the default run in a scratch folder and compare with the references."""
    from helpers.batch.verify import verify

    try:
        drifts = verify(nbval=not args.no_nbval, png_tol=args.png_tolerance)
    except FileNotFoundError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except OSError as exc:  # a read-only checkout, a full disk: the path, no traceback
        _err(f"error: {describe_os_error(exc)}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    return EXIT_FAILED if drifts else EXIT_OK


def cmd_draft(args) -> int:
    """Draft a claims file, review file, metadata sidecar and exclusions from an article."""
    from helpers.data.draft import write_draft

    try:
        files = write_draft(args.article, args.out, force=args.force)
    except (FileNotFoundError, FileExistsError, UnicodeDecodeError) as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    for role, path in files.items():
        print(f"{role}: {get_paths().relative(path)}")
    _err("review the draft: every TODO and every row with a 'review' entry in the review "
         "file; then `check` the claims file")
    return EXIT_OK


def cmd_check(args) -> int:
    """Validate a claims file and list the sections and audit relations it supports."""
    from helpers.batch.check import check

    result = check(args.claims)
    print(result.text())
    return EXIT_OK if result.ok else EXIT_FAILED


def program_name() -> str:
    """The console script that runs :func:`main` (from the package's entry points)."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="console_scripts"):
        if ep.value == f"{__name__}:main" or ep.value == "helpers.batch.cli:main":
            return ep.name
    return "python -m helpers.batch.cli"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name(), description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pipeline", default=None,
                        help="pipeline file (default: notebooks/pipeline.yaml)")
    parser.add_argument("--version", action="version", version=_version(),
                        help="print the package version and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="execute the notebooks and write outputs/<run>/",
                       description="Execute the pipeline's notebooks in dependency order, in "
                       "parallel, rerunning only what changed; write figures, tables, "
                       "report.html and manifest.json to outputs/<run>/ atomically.")
    p.add_argument("notebooks", nargs="*",
                   help="only these notebooks (and what they depend on); default: all")
    p.add_argument("--run", action="append",
                   help="named run from the pipeline file (repeatable; default: default); "
                   "with --claims, the name of each claims file's run instead of its stem")
    p.add_argument("-p", "--param", action="append", type=parse_assignment, metavar="KEY=VALUE",
                   help="parameter for every notebook, value read as YAML (repeatable)")
    p.add_argument("--params-file", metavar="FILE", help="YAML mapping of parameters")
    p.add_argument("--claims", action="append", metavar="CSV",
                   help="claims file to run the set on (repeatable: one run per file, named "
                   "after it or by --run, never a run of the pipeline file, plus a "
                   "comparison table)")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="notebooks run at once (default: number of cores + 1)")
    p.add_argument("--force", action="store_true", help="rerun every notebook")
    p.add_argument("--show-code", action="store_true", help="include code in report.html")
    p.add_argument("--no-report", action="store_true", help="do not build report.html")
    p.add_argument("--outputs-root", metavar="DIR", default=None,
                   help="folder holding the run folders (default: outputs/)")
    p.add_argument("--dask-scheduler", metavar="ADDRESS",
                   help="run notebook tasks on this Dask distributed scheduler")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="stop a notebook that runs longer than this (default: "
                   "1800 s; the run fails with a message naming it)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("reference", help="execute notebooks in place with default parameters",
                       description="Execute notebooks in place with their default parameters "
                       "and strip volatile metadata: the committed reference nbval checks.")
    p.add_argument("notebooks", nargs="*", help="notebook names or numbers (default: all)")
    p.set_defaults(func=cmd_reference)

    p = sub.add_parser("verify", help="rerun the default set and compare with the references",
                       description="Re-execute every notebook with default parameters in "
                       "outputs/.verify/ and compare with the committed outputs/default/: "
                       "tables and SVG byte for byte, PNG within an image tolerance, notebooks "
                       "with nbval. One line per artifact; exit 1 on any drift.")
    p.add_argument("--png-tolerance", type=float, default=2.0,
                   help="RMS tolerance for PNG comparison (default 2.0)")
    p.add_argument("--no-nbval", action="store_true", help="skip the nbval comparison")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("list", help="show notebooks, dependencies and outputs",
                       description="Show the pipeline's notebooks in execution order.")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("outputs-table", help="print the README table of figures and tables",
                       description="Print the Markdown list of every figure and table with "
                       "the notebook and file that produce it, generated from the pipeline.")
    p.add_argument("--write", action="store_true", help="update the list in README.md")
    p.set_defaults(func=cmd_outputs_table)
    p = sub.add_parser("draft", help="draft a claims file from an article, for review",
                       description="Find every number of ARTICLE (UTF-8 text) and write "
                       "<stem>_claims.csv (ids proposed from the codebook), <stem>_review.csv "
                       "(confidence, matched phrase and what to review, per claims row), "
                       "<stem>_claims.meta.yaml (county TODO, sources, reporting date) and "
                       "<stem>_exclusions.csv (years, dates, section numbers with reasons).")
    p.add_argument("article", help="the article, UTF-8 text with markdown headings")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="folder for the four files (default: the article's folder)")
    p.add_argument("--force", action="store_true", help="overwrite existing draft files")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("check", help="validate a claims file; list what it supports",
                       description="Load CLAIMS with the loader (listing every problem), "
                       "then list per notebook section and per audit relation whether the "
                       "file supports it and which ids are missing. Exit 1 when not valid.")
    p.add_argument("claims", help="claims CSV (its .meta.yaml sidecar beside it)")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    return args.func(args)


def _version() -> str:
    """``leiyang-poverty <version>`` of the installed distribution (``unknown`` if none)."""
    from importlib import metadata

    try:
        return f"leiyang-poverty {metadata.version('leiyang-poverty')}"
    except metadata.PackageNotFoundError:
        return "leiyang-poverty unknown"


if __name__ == "__main__":
    sys.exit(main())
