"""Shared fixtures: the project's paths and editable copies of the claims table."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers.paths import get_paths


def pytest_addoption(parser):
    """pyproject.toml's ``addopts`` spread the tests over pytest-xdist workers (``-n``,
    ``--dist``); without pytest-xdist (``-p no:xdist``) these are accepted and ignored: the
    tests run in this process, as with ``-n 0``. (Loaded by hand, with plugin autoloading
    off, pytest-xdist may be named ``xdist.plugin``; loaded by ``addopts`` and then blocked
    by ``-p no:xdist``, its options stay.)"""
    group = parser.getgroup("xdist", "pytest-xdist absent (-p no:xdist): ignored")
    if not any("--numprocesses" in option.names() for option in group.options):
        # _addoption: as pytest-xdist adds it (a lowercase short option is pytest's own)
        group._addoption("-n", "--numprocesses", dest="numprocesses", metavar="numprocesses")
        group.addoption("--dist", dest="dist", metavar="distmode", default="no")


@pytest.fixture(autouse=True)
def _segment_afresh(monkeypatch):
    """Tests of segmentation segment: the top-term tables kept in outputs/.cache/text/
    (helpers.analysis.text.KEEP_TERMS) are off in this process; kernels keep theirs."""
    monkeypatch.setattr("helpers.analysis.text.KEEP_TERMS", False)


@pytest.fixture(scope="session")
def paths():
    return get_paths()


# -- the project's outputs are never a test's to change ----------------------------------

#: Folders of outputs/ a session may add and leave: caches and logs kept between runs
#: (``.cache``; ``.runs/logs`` of ``reference``), the scratch of ``verify`` (``.verify``)
#: and the browser test's screenshot (``.test-artifacts``).
OUTPUTS_KEPT = frozenset({".cache", ".runs", ".verify", ".test-artifacts"})


def _default_listing(paths) -> dict[str, tuple[int, int] | None]:
    """Every entry of the committed references (outputs/default/): its size and mtime
    (``None`` for a folder); a stat per entry, cheap."""
    default = paths.outputs / "default"
    listing: dict[str, tuple[int, int] | None] = {}
    for p in sorted(default.rglob("*")) if default.is_dir() else []:
        st = p.lstat()
        listing[p.relative_to(default).as_posix()] = \
            None if p.is_dir() and not p.is_symlink() else (st.st_size, st.st_mtime_ns)
    return listing


def _changes(before: dict, after: dict) -> list[str]:
    return ([f"added {k}" for k in sorted(after.keys() - before.keys())]
            + [f"removed {k}" for k in sorted(before.keys() - after.keys())]
            + [f"changed {k}" for k in sorted(before.keys() & after.keys())
               if before[k] != after[k]])


def _session_processes() -> set[int]:
    """The processes of this test session: the outermost pytest process among this one and
    its ancestors (under pytest-xdist the controller of this worker; a session a test
    started: the session that started it) and all its descendants."""
    import psutil

    top = me = psutil.Process()
    for parent in me.parents():
        with contextlib.suppress(psutil.Error):
            if "pytest" in " ".join(parent.cmdline()):
                top = parent
    return {top.pid, *(p.pid for p in top.children(recursive=True))}


def _others_in_project(paths) -> list[str]:
    """Other processes at work in this project (a test session, a run, ``reference``),
    not of this session (:func:`_session_processes`): they may change outputs/ too."""
    import os

    import psutil

    mine = _session_processes()
    others = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(proc.info["cmdline"] or [])
        if proc.info["pid"] in mine or not any(
                w in line for w in ("pytest", "leiyang-poverty", "helpers.batch.cli")):
            continue
        try:
            if os.path.samefile(proc.cwd(), paths.root):
                others.append(f"{proc.info['pid']} ({line[:60]})")
        except (psutil.Error, OSError):
            continue
    return others


def _fail_unless_shared(paths, message: str, fail=None) -> None:
    """Fail with ``message`` (``fail(message)``; by default :func:`pytest.fail`), or only
    warn while another process works in the project (what changed may be its doing: two
    sessions at once, a run, ``reference``)."""
    others = _others_in_project(paths)
    if others:
        import warnings

        warnings.warn(f"{message} (not failed: other processes at work in the project: "
                      f"{', '.join(others[:3])})", stacklevel=2)
    elif fail is not None:
        fail(message)
    else:
        pytest.fail(message, pytrace=False)


def _is_xdist_worker(config) -> bool:
    """Whether this process is a pytest-xdist worker (its controller runs no test)."""
    return hasattr(config, "workerinput")


@pytest.fixture(scope="module", autouse=True)
def _references_untouched(request, paths):
    """No test adds, removes or changes a file of outputs/default/ (the committed
    references): checked after each test module, which is named when one did (under
    pytest-xdist, a module another worker ran meanwhile may have)."""
    before = _default_listing(paths)
    yield
    changed = _changes(before, _default_listing(paths))
    if changed:
        meanwhile = (" (or a test another pytest-xdist worker ran meanwhile)"
                     if _is_xdist_worker(request.config) else "")
        _fail_unless_shared(paths, f"{request.node.nodeid}{meanwhile} changed the committed "
                            "references in outputs/default/: " + "; ".join(changed[:10]))


# The session leaves no folder or file of its own in outputs/ (but the caches and logs of
# OUTPUTS_KEPT): outputs/ is listed when the session starts and once it is over, its shared
# runs removed, by the process that runs the session (under pytest-xdist the controller,
# when every worker is done: a worker would take another's live scratch for a leftover).
# A leftover fails the session with an error named tests/conftest.py::outputs_left_clean.

_OUTPUTS_BEFORE = pytest.StashKey[set]()


def _outputs_entries(paths) -> set[str]:
    import os

    return set(os.listdir(paths.outputs)) if paths.outputs.is_dir() else set()


def _session_uid(config) -> str:
    """Names the session's outputs root (:func:`session_outputs`): under pytest-xdist the
    test run's id (``--testrunuid``, set by the controller), which every worker receives."""
    if _is_xdist_worker(config):
        return config.workerinput["testrunuid"][:8]
    if not getattr(config.option, "testrunuid", None):
        import uuid

        config.option.testrunuid = uuid.uuid4().hex
    return config.option.testrunuid[:8]


def _session_root(config):
    return get_paths().outputs / f".test-session-{_session_uid(config)}"


def pytest_sessionstart(session):
    if not _is_xdist_worker(session.config):
        _session_uid(session.config)  # before the controller starts its workers
        session.config.stash[_OUTPUTS_BEFORE] = _outputs_entries(get_paths())


def pytest_sessionfinish(session):
    import shutil

    config = session.config
    if _is_xdist_worker(config):
        return
    shutil.rmtree(_session_root(config), ignore_errors=True)
    if _OUTPUTS_BEFORE not in config.stash:  # this file was not loaded when the session began
        return
    paths = get_paths()
    left = sorted(_outputs_entries(paths) - config.stash[_OUTPUTS_BEFORE] - OUTPUTS_KEPT)
    if left:
        def fail(message: str) -> None:
            report = pytest.TestReport(
                "tests/conftest.py::outputs_left_clean", ("tests/conftest.py", 0, ""), {},
                "failed", message, "teardown")
            config.hook.pytest_runtest_logreport(report=report)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

        _fail_unless_shared(paths, "the tests left in outputs/: " + ", ".join(left), fail)


@pytest.fixture(scope="session")
def article_text(paths) -> str:
    return paths.article.read_text(encoding="utf-8")


@pytest.fixture
def claims_rows(paths) -> list[dict]:
    """The Leiyang claims as a list of dicts (strings), free to modify."""
    with paths.claims.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_claims(path: Path, rows: list[dict], fieldnames: list[str] | None = None,
                 encoding: str = "utf-8", with_metadata: bool = True) -> Path:
    """Write claim rows as CSV (helper for tests that build defective tables).

    Unless ``with_metadata`` is false, the default table's metadata sidecar is copied
    beside it (when none is there yet), so the file loads as the same county.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fieldnames or list(rows[0]), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    sidecar = path.with_name(path.stem + ".meta.yaml")
    if with_metadata and not sidecar.exists():
        # the default table's metadata: its sources are named from the project root
        sidecar.write_bytes(get_paths().claims.with_name(
            get_paths().claims.stem + ".meta.yaml").read_bytes())
    return path


@pytest.fixture
def fake_execution(monkeypatch):
    """The runner executes notebooks in this process, without a kernel
    (``tests/fake_execution.py``): for runner tests where a kernel adds nothing. Starting
    a kernel fails the test (undo the test's own patches with ``monkeypatch.context()``:
    ``monkeypatch.undo()`` would undo these too)."""
    from fake_execution import fake_execute_task, patch_runner

    patch_runner(monkeypatch.setattr)
    return fake_execute_task


# -- one default run per session ---------------------------------------------------------


@pytest.fixture(scope="session")
def session_outputs(request):
    """A scratch outputs root of this session (under outputs/, where notebooks may write),
    removed once the session is over (``pytest_sessionfinish``); under pytest-xdist one
    root for every worker, so that they share the runs made in it (:func:`made_once`)."""
    return _session_root(request.config)


@contextlib.contextmanager
def _one_at_a_time(lock: Path):
    """Hold ``lock`` (an advisory ``flock``, as the runner's) for the ``with`` block."""
    import fcntl

    with lock.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def made_once(request, key: str, make):
    """``make()``, made once per session. Under pytest-xdist the first worker that asks
    makes it, holding a lock in the folder the workers share (basetemp's parent, pytest-xdist's
    documented pattern); the others wait for it and get what it returned (pickled), as
    every worker's selected tests, and so what ``make`` makes, are the same."""
    if not _is_xdist_worker(request.config):
        return make()
    import pickle

    shared = request.getfixturevalue("tmp_path_factory").getbasetemp().parent
    made = shared / f"{key}.pickle"
    with _one_at_a_time(shared / f"{key}.lock"):
        if made.is_file():
            return pickle.loads(made.read_bytes())
        value = make()
        made.write_bytes(pickle.dumps(value))
    return value


def _default_run_needs(items) -> list[str] | None:
    """The notebooks the selected tests need of the default run: those their
    ``default_run`` marks name, or ``None`` (every notebook and the report) as soon as one
    test uses the run without a mark naming notebooks, or none is found using it."""
    needs: set[str] = set()
    for item in items:
        if "default_run" not in getattr(item, "fixturenames", ()):
            continue
        named = [n for mark in item.iter_markers("default_run") for n in mark.args]
        if not named:
            return None
        needs |= set(named)
    return sorted(needs) or None  # none found: a test asked for it by name (getfixturevalue)


@pytest.fixture(scope="session")
def default_run(request, session_outputs):
    """The pipeline's default run, executed once per session and shared by every test that
    needs executed outputs: ``{"result", "run_dir", "pipeline", "notebooks"}``; the executed
    notebooks are in ``run_dir / "notebooks"``.

    Every notebook and the report, unless each selected test that uses it names the
    notebooks it reads with ``@pytest.mark.default_run(*notebooks)``: then only those
    (``notebooks``; no report), so a test file run alone runs what it reads."""
    from helpers.batch.pipeline import load_pipeline
    from helpers.batch.runner import Runner

    pipeline = load_pipeline()
    if not pipeline.notebooks:
        pytest.skip("the pipeline has no notebooks yet")
    only = _default_run_needs(request.session.items)
    result = made_once(request, "default_run", lambda: Runner(
        pipeline, "default", outputs_root=session_outputs, progress=False, only=only,
        report=only is None, log=lambda *a, **k: None).execute())
    return {"result": result, "run_dir": session_outputs / "default", "pipeline": pipeline,
            "notebooks": only}


def cli_run(argv: list[str]) -> dict:
    """``leiyang-poverty <argv>`` in this process (the console script's ``main``), its
    output captured: ``{"argv", "rc", "stderr", "results"}`` (the :class:`Runner` result of
    each run it made, in order)."""
    import contextlib

    from helpers.batch import cli, runner

    results = []
    execute = runner.Runner.execute

    def recorded(self):
        results.append(execute(self))
        return results[-1]

    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(err), \
            contextlib.redirect_stdout(io.StringIO()):
        patch.setattr(runner.Runner, "execute", recorded)
        rc = cli.main(list(argv))
    return {"argv": list(argv), "rc": rc, "stderr": err.getvalue(), "results": results}


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` -> its SHA-256."""
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def readme_root(request, paths, session_outputs):
    """The outputs root of the README's run examples (``tests/test_readme_examples.py``),
    where the session's ``zh_run`` and ``yi_run`` are made as the README writes them: it
    starts with a copy of the committed references as ``default/``, whose files (and the
    project's own ``outputs/default/``) are recorded before any run: ``{"root",
    "default_tree", "project_tree"}``."""
    import shutil

    def make() -> dict:
        root = session_outputs / "readme"
        shutil.copytree(paths.outputs / "default", root / "default",
                        ignore=shutil.ignore_patterns(".*"))
        return {"root": root, "default_tree": _tree(root / "default"),
                "project_tree": _tree(paths.outputs / "default")}

    return made_once(request, "readme_root", make)


def _readme_run(request, readme_root, example: list[str], notebooks=()) -> dict:
    """The README's command ``example`` (``leiyang-poverty <example> --outputs-root <readme
    root> <notebooks>``, :func:`cli_run`, :func:`made_once` as the fixture
    ``request`` is named), with ``example`` and the run's ``result``, ``run_dir`` and
    ``pipeline`` as :func:`default_run` gives them."""
    from helpers.batch.pipeline import load_pipeline

    pipeline = load_pipeline()
    if not pipeline.notebooks:
        pytest.skip("the pipeline has no notebooks yet")
    root = readme_root["root"]
    run = made_once(request, request.fixturename,
                    lambda: cli_run([*example, "--outputs-root", str(root), *notebooks]))
    assert run["rc"] == 0 and len(run["results"]) == 1, run["stderr"][-3000:]
    result = run["results"][0]
    return {**run, "example": example, "result": result, "run_dir": result.run_dir,
            "pipeline": pipeline}


@pytest.fixture(scope="session")
def zh_run(request, readme_root):
    """The pipeline's ``zh`` run (every notebook with lang=zh, and the report), made once
    per session as the README writes it, ``leiyang-poverty run --run zh`` (into the
    session's README root): ``{"result", "run_dir", "pipeline"}`` as :func:`default_run`,
    and the command's ``argv``, ``rc`` and ``stderr``."""
    return _readme_run(request, readme_root, ["run", "--run", "zh"])


def _code_source(path: Path) -> str:
    """The code of a notebook's code cells but the parameters cell, joined."""
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"
                     and "parameters" not in c.get("metadata", {}).get("tags", []))


def shows_money(path: Path) -> bool:
    """Whether a notebook's code reads its money unit: beyond the parameters cell and
    passing ``money_unit`` to ``setup``, a name with ``money`` in it (``nb.money``,
    ``nb.fmt_money``, ``nb.money_unit``, a helper of money rows)."""
    return "money" in re.sub(r"money_unit\s*=\s*money_unit", "", _code_source(path))


@pytest.fixture(scope="session")
def yi_run(request, readme_root):
    """The notebooks that show money (:func:`shows_money`: money_unit changes no other
    notebook's outputs) with money_unit=yi, and their report, made once per session as the
    README writes it, ``leiyang-poverty run -p money_unit=yi <those notebooks>``: as
    :func:`zh_run`, with ``notebooks``."""
    from helpers.batch.pipeline import load_pipeline

    money = [s.name for s in load_pipeline().notebooks if shows_money(s.path)]
    return {**_readme_run(request, readme_root, ["run", "-p", "money_unit=yi"], money),
            "notebooks": money}


# -- the fictional counties, one run per county and language -----------------------------

#: The fictional counties of tests/fixtures/counties/ (see tests/test_counties.py).
COUNTIES = ("songlan", "qingwu")


def fixture_file(name: str, suffix: str) -> str:
    """Path of a fixture file relative to the project root, e.g. ``…/songlan_claims.csv``."""
    return f"tests/fixtures/counties/{name}/{name}_{suffix}"


def _county_needs(items) -> dict[tuple[str, str], list[str] | None]:
    """What the selected tests need of each county run, from their ``county_run`` marks:
    ``(county, lang) -> notebook names`` (``None``: every notebook and the report)."""
    needs: dict[tuple[str, str], set[str] | None] = {}
    for item in items:
        for mark in item.iter_markers("county_run"):
            county, lang, *notebooks = mark.args
            key = (county, lang)
            if not notebooks or needs.get(key, set()) is None:
                needs[key] = None
            else:
                needs[key] = needs.get(key, set()) | set(notebooks)
    return {key: None if nbs is None else sorted(nbs) for key, nbs in needs.items()}


@pytest.fixture(scope="session")
def county_run(request, paths, session_outputs, tmp_path_factory):
    """``county_run(county, lang)``: the fictional county's run in language ``lang``, made
    once per session with ``leiyang-poverty run --claims <fixture> -p lang=<lang>`` (the
    console script's ``main``, in this process: :func:`cli_run`) and shared by every test
    that reads it: ``{"name", "lang", "rc", "stderr", "results", "dir", "notebooks",
    "claims"}``; the executed notebooks are in ``dir / "notebooks"``.  The claims file
    given is a copy of the fixture's (``claims``, with its metadata sidecar, whose sources
    are named from the project root) in a folder outside the project, as a reader's own
    file would be.

    A test declares what it reads with ``@pytest.mark.county_run(county, lang,
    *notebooks)`` (no notebook: all of them, with the report); the run executes the union
    of what the session's selected tests declared, so a test that needs one notebook runs
    only that one, and two tests that need the same run share it.  Tests never modify a
    run's folder (copy it first).
    """
    import shutil

    needs = _county_needs(request.session.items)
    done: dict[tuple[str, str], dict] = {}
    outside = tmp_path_factory.mktemp("counties")

    def get(county: str, lang: str = "en", notebook: str | None = None) -> dict:
        key = (county, lang)
        if key not in needs:
            raise LookupError(f"no test declares @pytest.mark.county_run{key!r}")
        wanted = needs[key]
        if notebook is not None and wanted is not None and notebook not in wanted:
            raise LookupError(f"@pytest.mark.county_run{key!r} does not declare {notebook}")
        if key not in done:
            done[key] = made_once(request, f"county_run-{county}-{lang}",
                                  lambda: make(county, lang, wanted))
        return done[key]

    def make(county: str, lang: str, wanted: list[str] | None) -> dict:
        claims = outside / county / Path(fixture_file(county, "claims.csv")).name
        if not claims.is_file():
            claims.parent.mkdir()
            for suffix in ("claims.csv", "claims.meta.yaml"):
                shutil.copy(paths.root / fixture_file(county, suffix), claims.parent)
        root = session_outputs / f"counties-{lang}"  # the run is named after the file
        argv = ["run", "--claims", str(claims), "-p", f"lang={lang}",
                "--outputs-root", str(root), "--jobs", "2"]
        if wanted is not None:
            argv += ["--no-report", *wanted]
        run = cli_run(argv)
        return {"name": county, "lang": lang, "rc": run["rc"], "stderr": run["stderr"],
                "results": run["results"], "dir": root / claims.stem, "notebooks": wanted,
                "claims": claims}

    return get


def executed_notebook(run: dict, notebook: str) -> dict:
    """The executed notebook ``notebook`` of a finished county run, as a dict (JSON)."""
    import json

    assert run["rc"] == 0, f"{run['name']} ({run['lang']}): rc {run['rc']}\n" + \
        run["stderr"][-3000:]
    return json.loads((run["dir"] / "notebooks" / f"{notebook}.ipynb").read_text("utf-8"))


def stored_parameters(path: Path) -> dict:
    """The values a notebook's ``parameters`` cell assigns (literals only)."""
    import ast
    import json

    cell = next(c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                if "parameters" in c.get("metadata", {}).get("tags", []))
    found = {}
    for node in ast.parse("".join(cell["source"])).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and node.value is not None:
            found[target.id] = ast.literal_eval(node.value)
    return found


@pytest.fixture(scope="session")
def comparison_run(request, paths, session_outputs):
    """The runner's comparison stage (``helpers.batch.runner.run_comparison``, what ``run``
    does after the runs of two or more claims files) made once per session on the claims
    files a batch notebook (05_compare) compares by default, with its other stored
    defaults (lang, figure formats), into ``outputs/<the session's scratch>/compare``:
    ``{"folder", "batch_name", "claims_paths", "names", "notebooks": {name: executed
    path}}``."""
    from helpers.batch.pipeline import load_pipeline
    from helpers.batch.runner import run_comparison

    pipeline = load_pipeline()
    if not pipeline.batch_notebooks:
        pytest.skip("the pipeline has no batch notebooks")
    stored = [stored_parameters(spec.path) for spec in pipeline.batch_notebooks]
    claims_paths = stored[0]["claims_paths"]
    assert all(p == {**stored[0], "output_dir": p["output_dir"]} for p in stored), stored
    assert (stored[0]["lang"], stored[0]["figure_formats"]) == ("en", ["svg", "png"])
    names = [Path(p).stem for p in claims_paths]
    batch_name = f"{session_outputs.name}/compare"
    folder = made_once(request, "comparison_run", lambda: run_comparison(
        [paths.root / p for p in claims_paths], names, pipeline=pipeline,
        batch_name=batch_name))
    return {"folder": folder, "batch_name": batch_name, "claims_paths": claims_paths,
            "names": names, "notebooks": {spec.name: folder / "notebooks" / spec.path.name
                                          for spec in pipeline.batch_notebooks}}


@pytest.fixture(scope="session")
def default_batch_notebooks(comparison_run):
    """Each batch notebook (05_compare) executed once per session with its stored default
    parameters (but ``output_dir``, in the session's scratch folder): those of the
    session's :func:`comparison_run`, ``{name: executed path}``."""
    return comparison_run["notebooks"]
