"""Tests for helpers.batch.runner on small synthetic pipelines: tiny notebooks, executed
without a kernel (the ``fake_execution`` fixture) where the test is about the runner's
bookkeeping, in real kernels where it is about kernels, processes, signals or Dask."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pipeline_fixtures import Sandbox, wait_gone

from helpers.batch.pipeline import load_pipeline
from helpers.batch.runner import RunError, Runner, check_parameters, sha256_file


@pytest.fixture(autouse=True)
def _steady_helpers(monkeypatch):
    """Other edits of src/helpers during a test must not make a no-op rerun rerun."""
    monkeypatch.setattr("helpers.batch.runner.helpers_source_hash", lambda: "fixed")


@pytest.fixture
def box():
    sandbox = Sandbox()
    yield sandbox
    sandbox.cleanup()


@pytest.fixture(scope="module")
def _ran_template(tmp_path_factory):
    """A sandbox after one default run, kept aside once per module (``ran_box``)."""
    import shutil

    from fake_execution import fake_execute_task

    sandbox = Sandbox()
    with pytest.MonkeyPatch.context() as mp:  # run without a kernel (see fake_execution)
        mp.setattr("helpers.batch.runner.helpers_source_hash", lambda: "fixed")
        mp.setattr("helpers.batch.runner.execute_task", fake_execute_task)
        assert _runner(sandbox, warm=False).execute().ok
    kept = tmp_path_factory.mktemp("ran_box") / "root"
    shutil.copytree(sandbox.root, kept, symlinks=True)
    shutil.rmtree(sandbox.root)
    yield sandbox, kept
    sandbox.cleanup()


@pytest.fixture
def ran_box(_ran_template):
    """A sandbox whose default run has finished: the module's one run, copied back in place
    (same paths, so the run is up to date), instead of a kernel run per test."""
    import shutil

    sandbox, kept = _ran_template
    shutil.rmtree(sandbox.root, ignore_errors=True)
    shutil.copytree(kept, sandbox.root, symlinks=True)
    yield sandbox
    sandbox.cleanup()


def test_ran_box_is_an_up_to_date_default_run(fake_execution, ran_box):
    res = _runner(ran_box).execute()
    assert res.ok and res.up_to_date, res.message
    assert (ran_box.out / "default" / "manifest.json").is_file()


def _runner(box, run="default", **kw):
    kw.setdefault("report", False)
    kw.setdefault("progress", False)
    kw.setdefault("jobs", 2)
    return Runner(load_pipeline(box.pipeline_file), run, outputs_root=box.out, **kw)


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_full_run_then_noop_then_incremental(fake_execution, box):
    first = _runner(box).execute()
    assert first.ok, first.message
    assert {r.name: r.status for r in first.results} == {
        "01_first": "ran", "02_second": "ran", "03_third": "ran"}
    run_dir = box.out / "default"
    assert (run_dir / "tables" / "01_numbers.csv").read_text() == "value,claim_ids\n1a,\n"
    assert (run_dir / "manifest.json").is_file()

    t0 = time.perf_counter()
    again = _runner(box).execute()
    assert again.up_to_date and "everything is up to date" in again.message
    assert time.perf_counter() - t0 < 1.0

    # a data change reruns the notebook that reads it and the one downstream, not the third
    box.data.write_text("b")
    third_before = sha256_file(run_dir / "tables" / "03_numbers.csv")
    after = _runner(box).execute()
    assert {r.name: r.status for r in after.results} == {
        "01_first": "ran", "02_second": "ran", "03_third": "up-to-date"}
    assert (run_dir / "tables" / "01_numbers.csv").read_text() == "value,claim_ids\n1b,\n"
    assert sha256_file(run_dir / "tables" / "03_numbers.csv") == third_before

    forced = _runner(box, force=True).execute()
    assert all(r.status == "ran" for r in forced.results)


def test_parameter_change_and_named_run(fake_execution, ran_box):
    res = _runner(ran_box, params={"value": 5}).execute()
    assert all(r.status == "ran" for r in res.results)
    assert (ran_box.out / "default" / "tables" / "01_numbers.csv").read_text().startswith(
        "value,claim_ids\n5")
    big = _runner(ran_box, run="big").execute()
    assert big.ok
    assert (ran_box.out / "big" / "tables" / "03_numbers.csv").read_text().startswith(
        "value,claim_ids\n7")


def test_unknown_parameter_fails_before_any_kernel(fake_execution, box):
    with pytest.raises(RunError, match=r"unknown parameter\(s\) colour; valid parameters: "
                                       r"output_dir, value, fail, sleep, pid_file, skip, "
                                       r"write, claims_path"):
        _runner(box, params={"colour": "red"}).execute()
    assert not (box.out / "default").exists()


def test_wrong_type_names_the_parameter(fake_execution, box):
    with pytest.raises(RunError, match=r"parameter 'value' expects int, got str 'many'"):
        _runner(box, params={"value": "many"}).execute()


def test_check_parameters_types():
    declared = {"a": "int", "b": "float", "c": "list", "d": "str", "e": "None"}
    check_parameters("x", {"a": 1, "b": 2, "c": ["svg"], "d": "zh", "e": object()}, declared)
    with pytest.raises(RunError, match="expects int, got bool"):
        check_parameters("x", {"a": True}, declared)
    with pytest.raises(RunError, match="expects list, got str"):
        check_parameters("x", {"c": "svg"}, declared)


def test_failing_cell_keeps_previous_outputs(fake_execution, ran_box):
    before = _snapshot(ran_box.out / "default")
    res = _runner(ran_box, params={"fail": True, "value": 2}).execute()
    assert not res.ok
    statuses = {r.name: r.status for r in res.results}
    assert statuses["01_first"] == "failed"
    assert statuses["02_second"] == "skipped"
    failed = next(r for r in res.results if r.name == "01_first")
    assert failed.cell is not None and "ValueError: boom in 01_first" in failed.error
    assert "notebook 01_first failed at cell" in res.message
    assert "notebook 03_third failed at cell" in res.message
    assert res.failed_notebook is not None and res.failed_notebook.is_file()
    assert _snapshot(ran_box.out / "default") == before
    assert not any((ran_box.out / ".staging").glob("default-*"))


def test_undeclared_output_is_an_error(fake_execution, box):
    text = box.pipeline_file.read_text().replace("tables: {numbers: third numbers}",
                                                 "tables: {other: declared but not written}")
    box.pipeline_file.write_text(text)
    res = _runner(box).execute()
    third = next(r for r in res.results if r.name == "03_third")
    assert third.status == "failed"
    assert ("missing or empty, with no reason recorded in status/03.json: "
            "tables/03_other.csv") in third.error


#: Kernels started ahead (and their fork server) importing nothing, in a process of its
#: own: the tiny notebooks use none of runner.WARM_MODULES (pandas, seaborn, ...), which a
#: dozen kernels importing at once on a small machine turn into most of a test's time.
LIGHT_KERNELS = """from helpers.batch import kernelfork, runner
assert runner._WARM_CODE  # what the warmer runs in a kernel started ahead
runner._WARM_CODE = "pass"
kernelfork.PRELOAD = ("ipykernel.kernelapp",)  # nor does the fork server
"""

#: The command line with :data:`LIGHT_KERNELS`.
LIGHT_WARM_CLI = f"""import sys
{LIGHT_KERNELS}from helpers.batch.cli import main
sys.exit(main(sys.argv[1:]))
"""


#: The command line executing notebooks without a kernel (``patch_runner`` of
#: ``tests/fake_execution.py``), for tests of its own bookkeeping (batches, the run lock)
#: in a process of its own.
FAKE_CLI = f"""import sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from fake_execution import patch_runner
patch_runner()
from helpers.batch.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def light_warm(monkeypatch):
    """Kernels started ahead in this process import nothing (as :data:`LIGHT_WARM_CLI`):
    for tiny notebooks, which use none of ``runner.WARM_MODULES``."""
    monkeypatch.setattr("helpers.batch.runner._WARM_CODE", "pass")


def _wait_for(path, seconds: float = 60) -> None:
    """Wait up to ``seconds`` for ``path`` to exist with something in it (a pid written)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        with contextlib.suppress(OSError):
            if path.stat().st_size:
                return
        time.sleep(0.05)


def _assert_gone(pids) -> None:
    """Each process of ``pids`` is gone (waited for briefly: :func:`wait_gone`)."""
    for pid in pids:
        wait_gone(pid)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def _cli(box, *args, light_warm=False, fake=False, **kw):
    entry = (["-c", FAKE_CLI] if fake else ["-c", LIGHT_WARM_CLI] if light_warm
             else ["-m", "helpers.batch.cli"])
    cmd = [sys.executable, *entry, "--pipeline", box.rel(box.pipeline_file), "run",
           "--no-report", "--outputs-root", str(box.out), *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_loses_nothing_and_leaves_no_kernel(ran_box, sig):
    before = _snapshot(ran_box.out / "default")
    pid_file = ran_box.root / "kernel.pid"
    proc = _cli(ran_box, "-p", "sleep=30", "-p", f"pid_file={pid_file}", "--jobs", "1",
                light_warm=True)
    _wait_for(pid_file)
    assert pid_file.exists(), proc.stderr.read() if proc.poll() is not None else "no kernel"
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    kernel = int(pid_file.read_text())
    _assert_gone([kernel])
    assert _snapshot(ran_box.out / "default") == before


@pytest.fixture
def hard_timeout():
    """Every Dask test ends: SIGALRM raises in the test after ``seconds``; if even that
    cannot stop it, faulthandler ends the process 30 s later (the suite never hangs)."""
    import faulthandler

    def arm(seconds: int):
        def expire(signum, frame):
            raise TimeoutError(f"hard test timeout of {seconds} s")

        signal.signal(signal.SIGALRM, expire)
        signal.alarm(seconds)
        faulthandler.dump_traceback_later(seconds + 30, exit=True)

    yield arm
    signal.alarm(0)
    faulthandler.cancel_dump_traceback_later()
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


@pytest.fixture(scope="module")
def dask_cluster():
    """One local Dask cluster (two worker processes, one thread each) for the tests that
    need a working one: starting and stopping it was most of each such test's time."""
    distributed = pytest.importorskip("distributed")
    # dashboard on any free port (None still tries 8787, warning when another cluster has it)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=50) as cluster:
        yield cluster


def test_dask_local_cluster_runs_the_same_tasks(box, hard_timeout, dask_cluster):
    hard_timeout(120)
    res = _runner(box, dask_scheduler=dask_cluster.scheduler_address).execute()
    assert res.ok, res.message
    assert {r.status for r in res.results} == {"ran"}
    assert (box.out / "default" / "tables" / "02_numbers.csv").read_text() == \
        "value,claim_ids\n1,\n"


def test_cli_help_for_every_subcommand():
    from helpers.batch.cli import build_parser

    parser = build_parser()
    for command in ("run", "reference", "list", "outputs-table"):
        with pytest.raises(SystemExit) as info:
            parser.parse_args([command, "--help"])
        assert info.value.code == 0


def test_cli_reports_unknown_parameter_with_exit_2(box, capsys):
    """The console script's ``main`` (in this process: the check is before any kernel)."""
    from helpers.batch.cli import main

    rc = main(["--pipeline", box.rel(box.pipeline_file), "run", "--no-report",
               "--outputs-root", str(box.out), "-p", "colour=red"])
    assert rc == 2
    assert "unknown parameter(s) colour" in capsys.readouterr().err
    assert not (box.out / "default").exists()


def test_parallel_runs_never_change_this_process_cwd(box, light_warm):
    before = os.getcwd()
    assert _runner(box, jobs=3).execute().ok
    assert os.getcwd() == before


def test_stray_outputs_are_pruned_and_not_summed(fake_execution, ran_box):
    stray = ran_box.out / "default" / "tables" / "09_stray.csv"
    stray.write_text("x\n")
    assert _runner(ran_box, force=True).execute().ok
    assert not stray.exists()
    sums = (ran_box.out / "default" / "SHA256SUMS").read_text()
    assert "09_stray" not in sums
    assert "tables/01_numbers.csv" in sums


def test_a_rerun_notebook_drops_its_outputs_no_record_names(fake_execution, ran_box):
    """A table or figure of the notebook's number that no record names (written in place by
    ``reference``, or declared once and dropped from the pipeline) is gone after a rerun,
    not reported as an undeclared output of this run."""
    dropped = ran_box.out / "default" / "tables" / "01_dropped.csv"
    dropped.write_text("x\n")
    result = _runner(ran_box, force=True).execute()
    assert result.ok, result.message
    assert not dropped.exists()
    assert "01_dropped" not in (ran_box.out / "default" / "SHA256SUMS").read_text()


def test_declared_output_not_produced_with_a_reason(fake_execution, box, monkeypatch):
    # other edits of helpers/ during the test must not make the no-op rerun below rerun
    monkeypatch.setattr("helpers.batch.runner.helpers_source_hash", lambda: "fixed")
    reason = "the source does not report poverty.registered_persons"
    res = _runner(box, params={"skip": reason, "write": False}).execute()
    assert res.ok, res.message
    assert {r.name: r.not_produced for r in res.results} == {
        "01_first": 1, "02_second": 1, "03_third": 1}
    assert "3 declared output file(s) not produced" in res.message
    assert "not produced" in res.summary().splitlines()[0]
    run_dir = box.out / "default"
    assert not (run_dir / "tables").exists() or not any((run_dir / "tables").iterdir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"]["01_first"]["not_produced"] == {
        "tables/01_numbers.csv": reason}
    assert manifest["notebooks"]["01_first"]["skipped_sections"] == ["numbers"]
    # the status files are outputs of the run: in the manifest and in SHA256SUMS
    assert "status/01.json" in manifest["outputs"]
    sums = (run_dir / "SHA256SUMS").read_text()
    assert "status/01.json" in sums and "tables/01_numbers.csv" not in sums
    noop = _runner(box, params={"skip": reason, "write": False}).execute()
    assert noop.up_to_date and {r.not_produced for r in noop.results} == {1}
    # a stray file where an output was not produced goes at the next run, as others do
    (run_dir / "tables").mkdir(exist_ok=True)
    (run_dir / "tables" / "01_numbers.csv").write_text("stray\n")
    box.other.write_text("y")
    partial = _runner(box, params={"skip": reason, "write": False}).execute()
    assert {r.name: r.status for r in partial.results}["01_first"] == "up-to-date"
    assert not (run_dir / "tables" / "01_numbers.csv").exists()

    # produced again: the reason and the status file go
    again = _runner(box).execute()
    assert again.ok and {r.not_produced for r in again.results} == {0}
    assert not (run_dir / "status").exists() or not any((run_dir / "status").iterdir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"]["01_first"]["not_produced"] == {}
    assert (run_dir / "tables" / "01_numbers.csv").is_file()


def test_output_both_written_and_not_produced_is_an_error(fake_execution, box):
    res = _runner(box, params={"skip": "not reported"}).execute()
    assert not res.ok
    first = next(r for r in res.results if r.name == "01_first")
    assert first.status == "failed"
    assert ("both written and recorded as not produced in status/01.json: "
            "tables/01_numbers.csv") in first.error


def test_claims_inputs_come_from_the_sidecar_and_no_machine_path_is_recorded(
        fake_execution, box, paths, tmp_path, claims_rows):
    from conftest import write_claims

    claims = write_claims(tmp_path / "outside_claims.csv",
                          [r for r in claims_rows if r["id"].startswith("poverty.")])
    res = _runner(box, params={"claims_path": str(claims)}).execute()
    assert res.ok, res.message
    text = (box.out / "default" / "manifest.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "/tmp/" not in text
    manifest = json.loads(text)
    digest = sha256_file(claims)
    shown = f"external/{digest[:16]}/outside_claims.csv"
    assert manifest["claims"]["path"] == shown and manifest["claims"]["sha256"] == digest
    assert manifest["notebooks"]["01_first"]["parameters"]["claims_path"] == shown
    inputs = manifest["inputs"]
    assert inputs[shown] == digest
    sidecar = claims.with_name("outside_claims.meta.yaml")
    assert inputs[f"external/{sha256_file(sidecar)[:16]}/outside_claims.meta.yaml"]
    for rel in ("data/raw/leiyang_2020_article.txt",
                "data/raw/leiyang_2020_article.provenance.yaml",
                "data/claims/leiyang_exclusions.csv", "data/codebook.csv"):
        assert inputs[rel] == sha256_file(paths.root / rel), rel
    # the executed notebook got a path relative to the project root
    executed = (box.out / "default" / "notebooks" / "01_first.ipynb").read_text()
    assert not re.search(r"(?<![.\w])" + re.escape(str(tmp_path)), executed)
    assert json.dumps(os.path.relpath(tmp_path, paths.root))[1:-1] in executed
    # a changed sidecar (another county) reruns every notebook
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("Leiyang", "Songlan"),
                       encoding="utf-8")
    again = _runner(box, params={"claims_path": str(claims)}).execute()
    assert {r.status for r in again.results} == {"ran"}
    assert json.loads((box.out / "default" / "manifest.json").read_text())[
        "claims"]["county"]["name_en"] == "Songlan"


def test_claims_run_names_are_unique_valid_and_never_a_pipeline_run(box, tmp_path):
    from helpers.batch.cli import claims_run_names

    pipe = load_pipeline(box.pipeline_file)
    # a stem that is a run of the pipeline file, shared, or unusable gets a hash suffix
    names = claims_run_names(["x/default.csv", "a/same.csv", "b/same.csv", "c/...csv",
                              "d/松岚.csv", "e/songlan.csv"], None, pipe)
    assert re.fullmatch(r"default-[0-9a-f]{6}", names[0])
    assert re.fullmatch(r"same-[0-9a-f]{6}", names[1]) and names[1] != names[2]
    assert re.fullmatch(r"claims-[0-9a-f]{6}", names[3])
    assert re.fullmatch(r"_+-[0-9a-f]{6}|claims-[0-9a-f]{6}", names[4])
    assert names[5] == "songlan" and len(set(names)) == len(names)
    assert claims_run_names(["a/x.csv", "a/x.csv"], None, pipe)[0] != \
        claims_run_names(["a/x.csv", "a/x.csv"], None, pipe)[1]
    # names given with --run are used as given, or refused
    with pytest.raises(ValueError, match=r"would run as 'big' \(named with --run\)"):
        claims_run_names(["a.csv"], ["big"], pipe)
    with pytest.raises(ValueError, match=r"both run as 'same'"):
        claims_run_names(["a.csv", "b.csv"], ["same", "same"], pipe)
    with pytest.raises(ValueError, match=r"'\.\.' is not a valid run name"):
        claims_run_names(["a.csv"], [".."], pipe)
    with pytest.raises(ValueError, match=r"'nul' is a reserved name"):
        claims_run_names(["a.csv"], ["nul"], pipe)
    with pytest.raises(ValueError, match=r"1 --run name\(s\) for 2 --claims"):
        claims_run_names(["a.csv", "b.csv"], ["one"], pipe)
    assert claims_run_names(["a/x_claims.csv", "b/x_claims.csv"], ["a", "b"], pipe) == ["a", "b"]


@pytest.mark.parametrize("name", ["..", ".", ".staging", "nul", "COM1.txt", "a/b", ""])
def test_runner_refuses_unusable_run_names(box, name):
    with pytest.raises(RunError, match="run name"):
        _runner(box, run=name)


def test_outputs_root_may_not_nest_in_a_run_folder(ran_box):
    with pytest.raises(RunError, match=r"is inside the run folder .*default/"):
        Runner(load_pipeline(ran_box.pipeline_file), "default",
               outputs_root=ran_box.out / "default" / "nested")


def test_a_folder_that_is_not_a_run_is_never_replaced(box):
    keep = box.out / "mine" / "notes.txt"
    keep.parent.mkdir(parents=True)
    keep.write_text("mine")
    with pytest.raises(RunError, match=r"holds files but is not a run folder"):
        _runner(box, run="mine")
    assert keep.read_text() == "mine"


def test_committed_references_of_a_fresh_clone_are_a_run_folder(fake_execution, ran_box):
    """A clone has outputs/default/ with figures, tables and SHA256SUMS but no manifest.json
    (not committed): `make report` must run there, reproducing the references."""
    run_dir = ran_box.out / "default"
    before = {p.relative_to(run_dir).as_posix(): p.read_bytes()
              for p in (run_dir / "tables").rglob("*") if p.is_file()}
    (run_dir / "manifest.json").unlink()
    shutil.rmtree(ran_box.out / ".runs", ignore_errors=True)  # a clone has no state either
    result = _runner(ran_box).execute()
    assert result.ok, result.message
    assert (run_dir / "manifest.json").is_file()
    after = {p.relative_to(run_dir).as_posix(): p.read_bytes()
             for p in (run_dir / "tables").rglob("*") if p.is_file()}
    assert after == before


def test_comparison_columns_are_counties_and_ids_may_differ(paths, tmp_path, claims_rows):
    from conftest import write_claims

    from helpers.analysis.compare import comparison_table

    other = write_claims(tmp_path / "songlan_claims.csv",
                         [r for r in claims_rows if r["id"].startswith("poverty.")][:3])
    sidecar = other.with_name("songlan_claims.meta.yaml")
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("Leiyang", "Songlan")
                       .replace("耒阳市", "松岚县"), encoding="utf-8")
    table = comparison_table([paths.claims, other], ["default", "songlan_claims"])
    assert list(table.columns) == ["id", "indicator", "base_unit", "Leiyang", "Songlan"]
    assert len(table) == len(claims_rows)  # every id of either file, once
    shared = table.dropna(subset=["Songlan"])
    assert len(shared) == 3 and (shared["Leiyang"] == shared["Songlan"]).all()
    zh = comparison_table([other, other], ["a", "b"], lang="zh")
    assert list(zh.columns)[-2:] == ["松岚县 (a)", "松岚县 (b)"]


# ----------------------------------------------------------------------------- issue 13

def test_worker_modules_are_imported_before_threads_start(ran_box):
    """The first rerun in a fresh process imports papermill before any worker thread
    (two threads importing it at once saw a partially initialised jupyter_client)."""
    code = f"""
import sys
sys.path.insert(0, "tests")
from helpers.batch.pipeline import load_pipeline
{LIGHT_KERNELS}from helpers.batch import runner as r
seen = []
real = r.Runner._make_pool
def spy(self):
    seen.append(all(m in sys.modules for m in
                    ("papermill", "jupyter_client.manager", "nbclient", "nbformat")))
    return real(self)
r.Runner._make_pool = spy
res = r.Runner(load_pipeline({ran_box.rel(ran_box.pipeline_file)!r}), "default",
               outputs_root={str(ran_box.out)!r}, force=True, report=False, progress=False,
               jobs=3).execute()
assert res.ok, res.message
print(seen)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[True]"


def test_parallel_reruns_in_fresh_processes_never_fail(ran_box):
    """Many short reruns at once, each in a new process with three worker threads and
    kernels started ahead (which import nothing here: :data:`LIGHT_WARM_CLI`): four
    processes, two per run name: twelve kernels starting together, more processes than
    cores (six measured 4.7 CPU-s more)."""
    procs = [_cli(ran_box, "--force", "--jobs", "3", "--run", "big" if i % 2 else "default",
                  "--outputs-root", str(ran_box.out / f"r{i}"), light_warm=True)
             for i in range(4)]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "ImportError" not in err


def test_a_port_another_process_takes_never_stalls_or_fails_a_kernel(box, light_warm,
                                                                     monkeypatch):
    """Kernels listen on Unix sockets at paths of their own (``runner.kernel_transport``),
    not on TCP ports drawn free and bound a second later: a port another process took in
    between left a kernel started ahead deaf, waited on for 60 s (the parallel reruns once
    took 67.7 s instead of 13), and failed a notebook whose kernel nbclient started.  Here
    every port drawn is already taken, for kernels started ahead and for nbclient's own."""
    import socket

    from jupyter_client.connect import LocalPortCache

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    monkeypatch.setattr(LocalPortCache, "find_available_port",
                        lambda self, ip: taken.getsockname()[1])
    t0 = time.perf_counter()
    try:
        ahead = _runner(box, only=["01_first"]).execute()
        own = _runner(box, only=["01_first"], force=True, warm=False).execute()
    finally:
        taken.close()
    assert ahead.ok, ahead.message
    assert own.ok, own.message
    assert time.perf_counter() - t0 < 40


def test_state_file_paths_are_confined_to_the_run_folder(fake_execution, ran_box, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    state_file = ran_box.out / ".runs" / "default.json"
    state = json.loads(state_file.read_text())
    depth = len(ran_box.out.relative_to("/").parts) + 2
    evil = "../" * depth + victim.relative_to("/").as_posix()
    state["notebooks"]["01_first"]["outputs"][evil] = "0" * 64
    state["notebooks"]["02_second"]["outputs"]["/" + victim.relative_to("/").as_posix()] = "0"
    state_file.write_text(json.dumps(state))
    logged = []
    res = _runner(ran_box, log=logged.append).execute()
    assert res.ok, res.message
    assert victim.read_text() == "keep me"
    assert any("record of '01_first' is not valid" in line for line in logged)
    assert {r.name: r.status for r in res.results}["01_first"] == "ran"


@pytest.mark.parametrize("text", ["[]", '{"version": 3, "notebooks": []}',
                                  '{"version": 3, "notebooks": {"01_first": {"outputs": 5}}}',
                                  "", "{not json"])
def test_malformed_state_file_is_recovered(fake_execution, ran_box, text):
    (ran_box.out / ".runs" / "default.json").write_text(text)
    res = _runner(ran_box).execute()
    assert res.ok, res.message
    assert _runner(ran_box).execute().up_to_date


def test_failed_swap_restores_the_previous_run_folder(fake_execution, ran_box, monkeypatch):
    before = _snapshot(ran_box.out / "default")
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append((src, dst))
        if str(src).endswith(f"default-{os.getpid()}") and str(dst).endswith("/default"):
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr("helpers.batch.runner.os.replace", flaky)
    with pytest.raises(OSError, match="No space left"):
        _runner(ran_box, params={"value": 3}).execute()
    monkeypatch.setattr("helpers.batch.runner.os.replace", real)
    assert _snapshot(ran_box.out / "default") == before
    assert not any((ran_box.out / ".staging").iterdir())


def test_leftovers_of_a_dead_run_are_removed_and_a_lost_swap_restored(fake_execution, ran_box):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = ran_box.out / ".staging" / f"default-{dead.pid}"
    (leftover / "tables").mkdir(parents=True)
    other = ran_box.out / ".staging" / f"big-{dead.pid}"
    other.mkdir()
    # a crash between the two renames of a swap: the run folder sits in .staging
    before = _snapshot(ran_box.out / "default")
    os.replace(ran_box.out / "default", ran_box.out / ".staging" / f"default-old-{dead.pid}")
    res = _runner(ran_box).execute()
    assert res.ok and res.up_to_date, res.message
    assert _snapshot(ran_box.out / "default") == before
    assert not leftover.exists() and not other.exists()
    assert not any((ran_box.out / ".staging").iterdir())


def test_one_run_at_a_time_per_run_folder_and_a_dead_lock_is_taken_over(fake_execution,
                                                                         ran_box):
    """The lock is the runner's (a process), not a kernel's: the run holding it executes
    without a kernel (:data:`FAKE_CLI`), its notebook sleeping in the process itself."""
    from helpers.batch.cli import parameter_run

    pid_file = ran_box.root / "kernel.pid"
    slow = {"sleep": 30, "pid_file": str(pid_file)}
    # -p values other than the run's own make a run of their own (cli.parameter_run)
    name, _ = parameter_run("default", slow, load_pipeline(ran_box.pipeline_file))
    assert name != "default"
    proc = _cli(ran_box, "-p", "sleep=30", "-p", f"pid_file={pid_file}", "--jobs", "1",
                fake=True)
    try:
        _wait_for(pid_file)
        assert pid_file.exists()
        assert int(pid_file.read_text()) == proc.pid  # the notebook runs in the process
        with pytest.raises(RunError, match=rf"another run of {re.escape(name)} is in "
                                           rf"progress \(pid {proc.pid}\)"):
            _runner(ran_box, run=name, params={"value": 4}).execute()
        assert _runner(ran_box, run="big").execute().ok  # another run name is not blocked
    finally:
        proc.kill()  # kill -9: its lock and staging folder are left behind
        proc.communicate(timeout=60)
    assert any((ran_box.out / ".staging").glob(f"{name}-{proc.pid}"))
    res = _runner(ran_box, run=name, params={"value": 4}).execute()
    assert res.ok, res.message
    assert not any((ran_box.out / ".staging").iterdir())


def test_a_report_is_never_served_from_earlier_results(fake_execution, box, monkeypatch):
    monkeypatch.setattr("helpers.batch.runner.Runner._build_report",
                        lambda self, specs, staging, *a: (staging / "report.html").write_text(
                            "value " + (staging / "tables" / "01_numbers.csv").read_text()))
    assert _runner(box, report=True).execute().ok
    report = box.out / "default" / "report.html"
    assert "1a" in report.read_text()
    res = _runner(box, params={"value": 9}, report=False).execute()
    assert res.ok and not report.exists()  # the old report would describe value 1
    again = _runner(box, params={"value": 9}, report=True).execute()
    assert again.ok and not again.up_to_date
    assert "9a" in report.read_text()
    assert _runner(box, params={"value": 9}, report=True).execute().up_to_date
    # a report whose notebooks changed while it was not rebuilt is rebuilt
    state_file = box.out / ".runs" / "default.json"
    state = json.loads(state_file.read_text())
    state["report"] = "stale"
    state_file.write_text(json.dumps(state))
    assert not _runner(box, params={"value": 9}, report=True).execute().up_to_date


def test_declared_outputs_are_part_of_the_fingerprint(fake_execution, ran_box):
    run_dir = ran_box.out / "default"
    text = ran_box.pipeline_file.read_text()
    ran_box.pipeline_file.write_text(text.replace("tables: {numbers: third numbers}",
                                              "tables: {numbers: third, later: new one}"))
    res = _runner(ran_box).execute()
    third = {r.name: r for r in res.results}["03_third"]
    assert not res.ok and third.status == "failed" and "tables/03_later.csv" in third.error
    # an output no longer declared (and no longer written) leaves the run folder and
    # SHA256SUMS
    ran_box.pipeline_file.write_text(text.replace("tables: {numbers: third numbers}",
                                              "parameters: {write: false}"))
    res = _runner(ran_box).execute()
    assert res.ok, res.message
    assert not (run_dir / "tables" / "03_numbers.csv").exists()
    assert "03_numbers" not in (run_dir / "SHA256SUMS").read_text()


READER = """\
from helpers.notebook import record_reads
from helpers.paths import get_paths
record_reads(get_paths().resolve(output_dir), "01")
print(open(get_paths().root / {rel!r}, encoding="utf-8").read())
"""


@pytest.fixture
def hidden(box):
    """A file inside the project, outside outputs/, that no pipeline declares."""
    file = box.paths.root / "data" / f".test-undeclared-{box.root.name}.txt"
    file.write_text("one")
    yield file
    file.unlink(missing_ok=True)


def test_files_a_notebook_opens_are_in_its_fingerprint(box, hidden, light_warm):
    import nbformat

    nb = nbformat.read(box.root / "01_first.ipynb", as_version=4)
    rel = hidden.relative_to(box.paths.root).as_posix()
    nb.cells.append(nbformat.v4.new_code_cell(READER.format(rel=rel)))
    nbformat.write(nb, box.root / "01_first.ipynb")
    first = ["01_first"]  # the notebook that reads the file, in a kernel (its audit hook)
    assert _runner(box, only=first).execute().ok
    state = json.loads((box.out / ".runs" / "default.json").read_text())
    assert rel in state["notebooks"]["01_first"]["reads"]
    assert not (box.out / "default" / ".reads").exists()
    assert _runner(box, only=first).execute().up_to_date
    hidden.write_text("two")
    res = _runner(box, only=first).execute()
    assert {r.name: r.status for r in res.results}["01_first"] == "ran"
    assert "two" in (box.out / "default" / "notebooks" / "01_first.ipynb").read_text()


def _run_past_timeout(box, within: float, **params):
    """A run whose notebooks sleep past a 1-s --timeout: it ends within ``within`` s,
    failed, with 01_first stopped after 1 s."""
    t0 = time.perf_counter()
    res = _runner(box, params={"sleep": 60.0, **params}, timeout=1, jobs=3).execute()
    assert time.perf_counter() - t0 < within
    assert not res.ok
    first = {r.name: r for r in res.results}["01_first"]
    assert first.status == "failed" and "stopped after 1 s" in first.error
    return res


def test_a_notebook_past_its_timeout_is_stopped_with_a_message(box, light_warm, monkeypatch):
    """01_first and 03_third run past the run's 1-s --timeout in cells of 0.2 s (so the
    per-cell timeout the runner gives nbclient, also 1 s, never fires first).  Each one's
    clock (started when the runner hands it to the pool) starts here once the notebook
    runs (its kernel wrote its pid file): they were running, not starting, when their
    time ran out, however slow the machine; their kernels are killed."""
    import nbformat

    for name in ("01_first", "03_third"):
        path = box.root / f"{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nb.cells += [nbformat.v4.new_code_cell("time.sleep(0.2)") for _ in range(300)]
        nbformat.write(nb, path)
    real = Runner._make_pool
    pid_files = {}

    def make_pool(self):
        pool = real(self)
        submit = pool.submit

        def submit_once_running(fn, task):
            pid_file = pid_files[task["name"]] = box.root / f"{task['name']}.pid"
            task["parameters"]["pid_file"] = str(pid_file)
            future = submit(fn, task)
            _wait_for(pid_file)
            return future

        pool.submit = submit_once_running
        return pool

    monkeypatch.setattr(Runner, "_make_pool", make_pool)
    res = _run_past_timeout(box, within=40, sleep=0.0)
    assert "timeout" in res.message
    assert not (box.out / "default").exists()
    # both ran in kernels of their own, were stopped and their kernels killed; 02_second
    # (after 01_first) never started
    assert sorted(pid_files) == ["01_first", "03_third"]
    assert all(f.stat().st_size for f in pid_files.values())
    by_name = {r.name: r for r in res.results}
    assert "stopped after 1 s" in by_name["03_third"].error
    assert by_name["02_second"].status == "skipped"
    _assert_gone(int(f.read_text()) for f in pid_files.values())


def test_a_timeout_while_the_kernel_warms_stops_the_notebook_at_once(box, monkeypatch):
    """A kernel started ahead still warming when the notebook's time is up (a loaded
    machine) is cancelled, and no other kernel starts for the notebook: the run took
    125 s, the task waiting 120 s for the killed kernel's warm-up reply, then running the
    notebook in a kernel of its own.  The notebooks' clocks start here once both kernels
    started ahead (01_first's, 03_third's) are in their 6-s warm-up, each writing a file
    named by its pid: they are warming when the 1-s time runs out."""
    from helpers.batch import runner

    warming = box.root / "warming"
    warming.mkdir()
    monkeypatch.setattr(runner, "_WARM_CODE", "import os, pathlib, time; "
                        f"pathlib.Path({str(warming)!r}, str(os.getpid())).touch(); "
                        "time.sleep(6)")
    real = runner.preload

    def preload_once_warming():  # called once the first kernels are started ahead
        deadline = time.time() + 60
        while len(list(warming.iterdir())) < 2 and time.time() < deadline:
            time.sleep(0.02)
        real()

    monkeypatch.setattr(runner, "preload", preload_once_warming)
    pid_file = box.root / "kernel.pid"
    res = _run_past_timeout(box, within=30, pid_file=str(pid_file))
    kernels = [int(p.name) for p in warming.iterdir()]
    assert len(kernels) == 2  # both were warming when the time ran out
    assert "stopped after 1 s" in {r.name: r for r in res.results}["03_third"].error
    assert not pid_file.exists()  # no notebook ran, in a warm kernel or one of its own
    _assert_gone(kernels)


def test_a_batch_runs_every_file_and_says_which_failed(box, tmp_path, claims_rows):
    """The command's batch bookkeeping (run names, failures, the comparison), executed
    without a kernel (:data:`FAKE_CLI`)."""
    from conftest import write_claims

    good = [r for r in claims_rows if r["id"].startswith("poverty.")]
    (tmp_path / "a").mkdir()
    a = write_claims(tmp_path / "a" / "same.csv", good)
    bad = write_claims(tmp_path / "bad.csv", [{**good[0], "number": "many"}, *good[1:]])
    (tmp_path / "b").mkdir()
    b = write_claims(tmp_path / "b" / "same.csv", good)
    proc = _cli(box, "--claims", str(a), "--claims", str(bad), "--claims", str(b), fake=True)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode != 0, err
    assert "field 'number': expected a number, got 'many'" in err
    assert re.search(r"batch: 2 of 3 run\(s\) finished; failed: bad \(", err), err
    runs = sorted(p.name for p in box.out.iterdir()
                  if not p.name.startswith((".", "compare-")))
    assert len(runs) == 2 and all(re.fullmatch(r"same-[0-9a-f]{6}", n) for n in runs), runs
    # the comparison of the two finished runs goes under the same outputs root
    compared = [p for p in box.out.iterdir() if p.name.startswith("compare-")]
    assert len(compared) == 1 and (compared[0] / "tables/claims_comparison.csv").is_file()


def test_reference_interrupted_leaves_the_notebook_untouched(box):
    import nbformat

    source = box.root / "01_first.ipynb"
    pid_file = box.root / "kernel.pid"
    nb = nbformat.read(source, as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace("sleep = 0.0", "sleep = 30.0").replace(
        'pid_file = ""', f"pid_file = {str(pid_file)!r}")
    # `reference` has notebooks write to the project's outputs/default/: this one writes
    # in the sandbox, should the interrupt come too late (or never: a failed assert)
    nb.cells[2].source = nb.cells[2].source.replace(
        "get_paths().resolve(output_dir)", f"pathlib.Path({str(box.root / 'out')!r})")
    assert "sleep = 30.0" in nb.cells[1].source and str(pid_file) in nb.cells[1].source
    assert "output_dir" not in nb.cells[2].source
    nbformat.write(nb, source)
    before = source.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "helpers.batch.cli", "--pipeline",
                             box.rel(box.pipeline_file), "reference", "01_first"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(pid_file)
        assert pid_file.exists()
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # never left running after a failed assert
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert source.read_bytes() == before
    assert sorted(p.name for p in box.root.glob("*01_first*")) == ["01_first.ipynb"]
    _assert_gone([int(pid_file.read_text())])


def test_a_bad_dask_scheduler_fails_in_seconds_before_any_copy(box, hard_timeout):
    pytest.importorskip("distributed")
    hard_timeout(60)
    t0 = time.perf_counter()
    with pytest.raises(RunError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9 "
                                       r"within 0\.2 s"):
        _runner(box, dask_scheduler="tcp://127.0.0.1:9", connect_timeout=0.2).execute()
    assert time.perf_counter() - t0 < 20
    assert not (box.out / ".staging").exists() or not any((box.out / ".staging").iterdir())


def test_lost_dask_workers_fail_the_run_with_a_message(box, hard_timeout):
    distributed = pytest.importorskip("distributed")
    hard_timeout(150)
    pid_file = box.root / "kernel.pid"
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0",
                                  silence_logs=50) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker",
                                   cluster.scheduler_address, "--no-nanny", "--nthreads", "1",
                                   "--no-dashboard"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        client.wait_for_workers(1, timeout=60)
        holder: dict = {}

        def kill_worker_when_busy():
            _wait_for(pid_file, 90)
            worker.kill()  # kill -9: every worker gone mid-run
            holder["killed"] = time.time()

        import threading

        killer = threading.Thread(target=kill_worker_when_busy, daemon=True)
        killer.start()
        try:
            res = _runner(box, only=["01_first"], dask_scheduler=cluster.scheduler_address,
                          params={"sleep": 60.0, "pid_file": str(pid_file)},
                          lost_worker_timeout=1).execute()
        finally:
            worker.kill()
            worker.wait()
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
    assert not res.ok
    assert "killed" in holder, res.message
    assert time.time() - holder["killed"] < 40
    first = {r.name: r for r in res.results}["01_first"]
    assert first.status == "failed"
    assert "no Dask worker" in first.error or "Worker" in first.error, first.error
    assert not (box.out / "default").exists()


def test_sigterm_during_a_dask_run_exits_promptly(box, hard_timeout, dask_cluster):
    hard_timeout(150)
    pid_file = box.root / "kernel.pid"
    proc = _cli(box, "01_first", "-p", "sleep=60", "-p", f"pid_file={pid_file}",
                "--dask-scheduler", dask_cluster.scheduler_address)
    try:
        _wait_for(pid_file, 90)
        assert pid_file.exists(), "the notebook never started"
        t0 = time.time()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=40)
        assert proc.returncode == 130, err
        assert time.time() - t0 < 30
        assert "interrupted" in err
    finally:
        proc.kill()
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
    assert not (box.out / "default").exists()


def test_a_full_disk_names_the_path_and_loses_nothing(fake_execution, ran_box, monkeypatch):
    import errno
    import shutil

    from helpers.batch.cli import describe_os_error

    before = _snapshot(ran_box.out / "default")

    def full(src, dst, **kw):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    with monkeypatch.context() as mp, pytest.raises(OSError) as info:
        mp.setattr(shutil, "copytree", full)  # (undone after: not fake_execution's patches)
        _runner(ran_box, params={"value": 2}).execute()
    assert describe_os_error(info.value).endswith(": No space left on device")
    assert "/.staging/default-" in describe_os_error(info.value)
    assert _snapshot(ran_box.out / "default") == before
    assert not any((ran_box.out / ".staging").iterdir())
    assert _runner(ran_box, params={"value": 2}).execute().ok  # the next run is not broken


def test_an_up_to_date_run_needs_no_write(fake_execution, ran_box, monkeypatch):
    import errno


    def read_only(self, state):
        raise OSError(errno.EROFS, "Read-only file system", str(self.state_file))

    monkeypatch.setattr(Runner, "_save_state", read_only)
    assert _runner(ran_box).execute().up_to_date


def test_an_empty_executed_notebook_is_rerun_not_a_crash(fake_execution, ran_box):
    (ran_box.out / "default" / "notebooks" / "01_first.ipynb").write_text("")
    res = _runner(ran_box).execute()
    assert res.ok, res.message
    assert {r.name: r.status for r in res.results}["01_first"] == "ran"
