"""Kernels started ahead (:class:`helpers.batch.runner.KernelWarmer`): each notebook of a
run has a kernel process of its own, its modules already imported, and nothing of another
notebook or of the warm-up in its namespace.  Also how kernels get going fast: the order
notebooks start in (:func:`helpers.batch.runner.start_order`) and the runner's lean import
of jsonschema."""

from __future__ import annotations

import importlib.util
import json
import shutil
import textwrap
import uuid

import nbformat as nbf
import pytest

from helpers.batch.pipeline import load_pipeline
from helpers.batch.runner import WARM_MODULES, Runner
from helpers.batch.runner import start_order as runner_start_order
from helpers.paths import get_paths

PARAMS = 'output_dir = "outputs/default"\n'

#: The first cell after the parameters: what a notebook finds when it starts.
LOOK = """\
import os, sys
print(json.dumps({"names": sorted(k for k in globals() if not k.startswith("_")),
                  "warm": "pandas" in sys.modules, "pid": os.getpid()}))
"""

BODY = """\
secret_{number} = "{number}"
import pathlib
from helpers.paths import get_paths
out = get_paths().resolve(output_dir) / "tables"
out.mkdir(parents=True, exist_ok=True)
(out / "{number}_numbers.csv").write_text("value,claim_ids\\n{number},\\n")
"""


def _notebook(path, number):
    nb = nbf.v4.new_notebook()
    params = nbf.v4.new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbf.v4.new_code_cell("import json\n" + LOOK),
                nbf.v4.new_code_cell(BODY.format(number=number))]
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    nbf.write(nb, path)


@pytest.fixture
def trio():
    paths = get_paths()
    root = paths.outputs / f".test-kernels-{uuid.uuid4().hex[:8]}"
    root.mkdir(parents=True)
    names = ("01_one", "02_two", "03_three")
    for name in names:
        _notebook(root / f"{name}.ipynb", name[:2])
    (root / "pipeline.yaml").write_text("notebooks:\n" + "".join(textwrap.dedent(f"""\
          - name: {name}
            tables: {{numbers: numbers}}
        """) for name in names))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _run(root, **kw):
    kw.setdefault("jobs", 1)
    res = Runner(load_pipeline(root / "pipeline.yaml"), "default", outputs_root=root / "out",
                 report=False, progress=False, force=True, **kw).execute()
    assert res.ok, res.message
    seen = {}
    for path in sorted((root / "out" / "default" / "notebooks").glob("*.ipynb")):
        cells = [c for c in nbf.read(path, as_version=4).cells if c.cell_type == "code"]
        look = next(c for c in cells if c.source.startswith("import json"))
        seen[path.stem] = {"counts": [c.execution_count for c in cells],
                           **json.loads(look.outputs[0]["text"])}
    return seen


def test_no_state_crosses_kernels_and_counts_start_at_one(trio):
    warm = _run(trio)
    cold = _run(trio, warm=False, jobs=3)  # what nbclient's kernels see, side by side
    assert set(warm) == {"01_one", "02_two", "03_three"}
    for name, nb in warm.items():
        # each notebook has its own process; it starts at In [1] and sees exactly the
        # names a kernel started by nbclient would (no secret_ of another notebook, no
        # name bound by the warm-up)
        assert nb["counts"] == list(range(1, len(nb["counts"]) + 1)), name
        assert nb["names"] == cold[name]["names"], name
        assert not any(n.startswith("secret_") for n in nb["names"]), name
    assert len({nb["pid"] for nb in warm.values()}) == 3
    # with one job, the second and third kernels were started and warmed ahead
    assert [warm[n]["warm"] for n in ("02_two", "03_three")] == [True, True]
    assert not any(nb["warm"] for nb in cold.values())
    assert "pandas" in WARM_MODULES


def test_a_run_goes_on_when_kernels_cannot_be_forked(trio, monkeypatch):
    """A fork server that cannot fork (stopped, out of memory) costs the speed only: each
    notebook's kernel is then started the usual way, and the run succeeds."""
    from helpers.batch import kernelfork

    def broken(*args, **kwargs):
        raise OSError("the kernel fork server stopped (test)")

    monkeypatch.setattr(kernelfork, "launch", broken)
    seen = _run(trio, jobs=3)  # the three kernels started ahead at once, none forked
    assert set(seen) == {"01_one", "02_two", "03_three"}
    assert len({nb["pid"] for nb in seen.values()}) == 3


@pytest.mark.parametrize("wait", [True, False])
def test_a_kernel_no_notebook_took_is_stopped(tmp_path, wait):
    """A kernel started ahead for a notebook that never ran (interrupted, or an upstream
    failure) is shut down by the warmer, warm or still starting."""
    import time

    from helpers.batch import runner

    warmer = runner.KernelWarmer()
    task_id = f"untaken-{uuid.uuid4().hex[:6]}"
    warmer.start({"task_id": task_id, "cwd": str(tmp_path), "kernel_log": None})
    if wait:
        runner._WARM[task_id].result(timeout=120)
    else:
        time.sleep(0.3)  # the kernel is still starting
    warmer.close()
    km = warmer.managers.get(task_id)
    process = getattr(getattr(km, "provisioner", None), "process", None)
    assert task_id not in runner._WARM and task_id not in runner._TASK_KERNELS
    assert process is None or process.wait(timeout=10) is not None
    assert km not in runner._LIVE_KERNELS
    assert not warmer.thread.is_alive()


def test_kernels_are_started_ahead_only_for_the_notebooks_that_run(monkeypatch):
    """The warmer starts one kernel per notebook that runs, none for one that is up to
    date (no warmer at all for a no-op rerun: it starts no process) or whose upstream
    notebook failed. Kernel-free: the warmer records, the notebooks run in this process."""
    from fake_execution import fake_execute_task
    from pipeline_fixtures import Sandbox

    from helpers.batch import runner

    warmers: list[list[str]] = []

    class Recorder:
        def __init__(self):
            warmers.append([])

        def start(self, task):
            warmers[-1].append(task["task_id"].split("-")[1])  # <run>-<notebook>-<pid>-<ns>

        def close(self):
            pass

    monkeypatch.setattr(runner, "KernelWarmer", Recorder)
    monkeypatch.setattr(runner, "execute_task", fake_execute_task)
    monkeypatch.setattr(runner, "helpers_source_hash", lambda: "fixed")
    box = Sandbox()

    def run(**kw):
        """The notebooks run (or failed), those warmed, by warmer; each warmed at most
        once, and only notebooks that ran."""
        before = len(warmers)
        res = Runner(load_pipeline(box.pipeline_file), "default", outputs_root=box.out,
                     report=False, progress=False, jobs=2, **kw).execute()
        ran = sorted(r.name for r in res.results if r.status in ("ran", "failed"))
        warmed = warmers[before:]
        for names in warmed:
            assert len(names) == len(set(names)) and set(names) <= set(ran), (names, ran)
        return res, ran, [sorted(w) for w in warmed]

    try:
        # the first notebooks that can run (no dependency) are warmed before any starts;
        # 02_second, once 01_first is done, if no worker is free for it yet
        res, ran, warmed = run()
        assert res.ok, res.message
        assert ran == ["01_first", "02_second", "03_third"]
        assert len(warmed) == 1 and {"01_first", "03_third"} <= set(warmed[0])
        res, ran, warmed = run()  # a no-op rerun
        assert res.up_to_date and ran == [] and warmed == []
        box.data.write_text("b")  # 01 and 02 (downstream) rerun, 03 is up to date
        res, ran, warmed = run()
        assert res.ok and ran == ["01_first", "02_second"]
        assert len(warmed) == 1 and "01_first" in warmed[0]
        res, ran, warmed = run(params={"fail": True})  # 02 is skipped: 01 failed
        assert {r.name: r.status for r in res.results}["02_second"] == "skipped"
        assert ran == ["01_first", "03_third"] and warmed == [ran]
    finally:
        box.cleanup()


def test_jsonschema_is_imported_without_the_iri_grammar():
    """The runner's process imports nbformat's jsonschema without building rfc3987_syntax's
    grammar, nbformat still validates, and rfc3987_syntax stays importable."""
    import subprocess
    import sys

    script = textwrap.dedent("""\
        import json, sys
        from helpers.batch.runner import preload
        preload()
        import nbformat
        seen = "rfc3987_syntax" in sys.modules
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
        nbformat.validate(nb)
        bad = nbformat.v4.new_notebook()
        bad.cells = [{"cell_type": "code"}]
        try:
            nbformat.validate(bad)
            rejected = False
        except nbformat.ValidationError:
            rejected = True
        try:
            import rfc3987_syntax  # noqa: F401
            importable = True
        except ImportError:
            importable = False
        print(json.dumps([seen, rejected, importable]))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=300)
    seen, rejected, importable = json.loads(done.stdout.splitlines()[-1])
    assert not seen and rejected
    assert importable == (importlib.util.find_spec("rfc3987_syntax") is not None)


def _spec(name, depends_on=()):
    from types import SimpleNamespace

    return SimpleNamespace(name=name, depends_on=list(depends_on))


def test_start_order_puts_the_longest_chain_first():
    specs = [_spec("00"), _spec("01"), _spec("02"), _spec("03"), _spec("04")]
    seconds = {"00": 3.7, "01": 3.6, "02": 2.2, "03": 2.4, "04": 3.4}
    records = {name: {"seconds": s} for name, s in seconds.items()}
    order = lambda recs: [s.name for s in runner_start_order(specs, recs)]  # noqa: E731
    assert order(records) == ["00", "01", "04", "03", "02"]
    # no record (a first run), or a value that is not a duration: pipeline order, first
    assert order({}) == ["00", "01", "02", "03", "04"]
    for bad in (None, "9", True, -1.0, float("nan")):
        assert order({**records, "02": {"seconds": bad}})[0] == "02", bad
    assert order({**records, "03": {"seconds": 3.7}})[:2] == ["00", "03"]  # ties: pipeline
    # a short notebook that a long one depends on starts before a longer independent one
    chained = [_spec("a"), _spec("b", ["a"]), _spec("c")]
    times = {"a": {"seconds": 0.5}, "b": {"seconds": 3.0}, "c": {"seconds": 3.2}}
    assert [s.name for s in runner_start_order(chained, times)] == ["a", "c", "b"]


def test_the_runner_starts_notebooks_in_start_order(monkeypatch):
    """Kernel-free, one job: the order notebooks start follows the seconds of the previous
    run's state (critical path first), and a dependency still starts before its dependant."""
    from fake_execution import fake_execute_task
    from pipeline_fixtures import Sandbox

    from helpers.batch import runner

    started: list[str] = []

    def record(task):
        started.append(task["name"])
        return fake_execute_task(task)

    monkeypatch.setattr(runner, "execute_task", record)
    box = Sandbox()

    def run(seconds=None):
        if seconds is not None:  # as if the previous run had taken these
            state_file = box.out / ".runs" / "default.json"
            state = json.loads(state_file.read_text())
            for name, value in seconds.items():
                state["notebooks"][name]["seconds"] = value
            state_file.write_text(json.dumps(state))
        started.clear()
        res = Runner(load_pipeline(box.pipeline_file), "default", outputs_root=box.out,
                     report=False, progress=False, jobs=1, force=True, warm=False).execute()
        assert res.ok, res.message
        return list(started)

    try:
        assert run() == ["01_first", "02_second", "03_third"]  # no seconds: pipeline order
        assert run({"01_first": 0.5, "02_second": 0.5, "03_third": 2.0}) == [
            "03_third", "01_first", "02_second"]
        # 01 heads the chain 01 -> 02 (1.0 s), longer than 03 alone
        assert run({"01_first": 0.5, "02_second": 0.5, "03_third": 0.8}) == [
            "01_first", "03_third", "02_second"]
    finally:
        box.cleanup()


def test_report_sections_are_rendered_as_notebooks_finish(monkeypatch, tmp_path):
    """Kernel-free: each notebook that ran has its report section prepared once it
    finished (none for an up-to-date one), and the page equals a build from scratch."""
    from fake_execution import fake_execute_task
    from pipeline_fixtures import Sandbox

    from helpers.batch import report, runner

    prepared: list[str] = []
    real = report.prepare_section

    def spy(notebook, **kw):
        prepared.append(notebook.stem)
        assert notebook.is_file()  # the executed notebook, in the staging folder
        return real(notebook, **kw)

    monkeypatch.setattr(report, "prepare_section", spy)
    monkeypatch.setattr(runner, "execute_task", fake_execute_task)
    box = Sandbox()

    def run():
        prepared.clear()
        res = Runner(load_pipeline(box.pipeline_file), "default", outputs_root=box.out,
                     progress=False, jobs=2, warm=False).execute()
        assert res.ok, res.message
        return sorted(prepared)

    try:
        assert run() == ["01_first", "02_second", "03_third"]
        folder = box.out / "default"
        fresh = report.build_report(sorted((folder / "notebooks").glob("*.ipynb")),
                                    tmp_path / "fresh.html", cache=None)
        assert (folder / "report.html").read_bytes() == fresh.read_bytes()
        box.other.write_text("y")  # only 03 reruns
        assert run() == ["03_third"]
    finally:
        box.cleanup()


@pytest.mark.parametrize("asked", [None, "graceful"])
def test_a_finished_notebooks_kernel_is_stopped_at_once(tmp_path, asked):
    """execute() stops the kernel without the graceful shutdown (every cell has finished
    and every file is written), unless the caller asks for one; the notebook is complete."""
    from jupyter_client.manager import AsyncKernelManager

    from helpers.batch.execution import execute

    calls = []

    class Spy(AsyncKernelManager):
        async def _async_shutdown_kernel(self, now=False, restart=False):
            calls.append(now)
            await super()._async_shutdown_kernel(now=now, restart=restart)

        shutdown_kernel = _async_shutdown_kernel

    source = tmp_path / "in.ipynb"
    nb = nbf.v4.new_notebook()
    nb.cells = [nbf.v4.new_code_cell("open('written.txt', 'w').write('done')\nprint('last')")]
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    nbf.write(nb, source)
    extra = {} if asked is None else {"shutdown_kernel": asked}
    out = execute(source, tmp_path / "out.ipynb", cwd=tmp_path, kernel_manager_class=Spy,
                  **extra)
    assert calls == [asked is None]
    assert (tmp_path / "written.txt").read_text() == "done"
    assert nbf.read(out, as_version=4).cells[0].outputs[0]["text"] == "last\n"


def test_socket_files_of_a_gone_process_are_removed(tmp_path):
    """A kernel killed with the process that started it (a Dask worker) leaves its Unix
    socket files; the next kernel started removes them, and only them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from helpers.batch import runner

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = [tmp_path / f"kernel-{gone.pid}-0123456789ab-ipc-{n}" for n in (1, 5)]
    live = tmp_path / f"kernel-{os.getpid()}-0123456789ab-ipc-1"
    other = [tmp_path / "kernel-ipc-1", tmp_path / f"kernel-{gone.pid}-ipc-1"]
    for f in [*dead, live, *other]:
        f.write_text("")
    assert runner.remove_dead_sockets(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [live, *other])
    transport = runner.kernel_transport()
    assert transport["transport"] == "ipc"
    assert runner._SOCKET_RE.fullmatch(Path(transport["ip"]).name + "-1")


def test_a_ready_kernel_is_not_waited_for_again_and_its_first_output_arrives(tmp_path):
    """The runner's kernel client waits for the kernel's reply and a connected IOPub, not
    for IOPub to fall silent (jupyter_client then waits 0.2 s more, each time): once IOPub
    has delivered a message, nothing more is waited for, and the output of the first cell
    a second client (as nbclient makes) runs is not lost."""
    import asyncio

    from helpers.batch import runner

    async def check():
        km = runner.kernel_manager_class(None)(kernel_name="python3")
        await km.start_kernel(extra_arguments=[], cwd=str(tmp_path))
        try:
            first = km.client()
            first.start_channels()
            await first.wait_for_ready(timeout=60)
            first.stop_channels()
            second = km.client()
            second.start_channels()
            waits: list = []
            channel = second.iopub_channel
            get_msg = channel.get_msg

            async def recorded(*args, **kwargs):
                waits.append(kwargs.get("timeout", args[0] if args else None))
                return await get_msg(*args, **kwargs)

            channel.get_msg = recorded
            await second.wait_for_ready(timeout=60)
            channel.get_msg = get_msg
            out: list[str] = []
            await second.execute_interactive(
                "print('first output')", timeout=30,
                output_hook=lambda m: out.append(m["content"].get("text", "")))
            second.stop_channels()
            return waits, "".join(out)
        finally:
            await km.shutdown_kernel(now=True)

    waits, out = asyncio.run(check())
    connected = len(waits) - 1 - waits[::-1].index(0.2)  # the wait that saw IOPub connected
    assert waits[connected + 1:] and all(t == 0 for t in waits[connected + 1:]), waits
    assert out == "first output\n"
