"""The batch runner: papermill in dependency order, parallel, incremental, strict, atomic.

:func:`run` executes the notebooks of a :class:`~helpers.batch.pipeline.Pipeline` for
one named run into ``outputs/<run>/``:

- **order and parallelism**: a notebook starts once its dependencies succeeded;
  up to ``jobs`` run at once (:func:`default_jobs`; threads in this process, each driving
  its own kernel, which listens on Unix sockets at paths of its own, not on TCP ports that
  another process could take: :func:`kernel_transport`), or as tasks
  on a Dask cluster (``dask_scheduler``); of the notebooks ready to start, the one
  heading the longest chain of the last run's seconds starts first (:func:`start_order`);
- **kernels started ahead, from a fork server**: in a local run each notebook's kernel is
  started while earlier notebooks run (:class:`KernelWarmer`), forked from a server that
  imported the notebooks' third-party modules once per run
  (:mod:`helpers.batch.kernelfork`), and waited for without jupyter_client's closing
  0.2 s of silence (:func:`kernel_client_class`);
- **validated parameters**: every value is checked against the notebook's
  parameters cell (papermill's inspection) before any kernel starts;
- **incremental**: a notebook reruns only if its cells, parameters, input files,
  the ``helpers`` source, the installed package versions or an upstream output
  changed (a fingerprint per notebook, kept in ``outputs/.runs/<run>.json``);
- **inputs from the data**: a notebook's fingerprint covers the files the
  pipeline declares for it (reference data, with their provenance records), the
  claims file, its metadata sidecar and every source it names (text, provenance
  record, exclusions), and the codebook and relations files of ``data/``;
- **claims by what a notebook sees**: once a notebook has run, the claims file counts
  by the hash of the view it saw (the rows of its declared domains, every column but
  ``notes`` and ``line``, and of the other rows the columns it declares it reads
  (``other_rows``), if any; recorded by :func:`helpers.notebook.record_view`), recomputed
  for the current file: an edit to a note reruns nothing, an edit to a value reruns
  the notebooks whose view holds it.  The file is still validated whole;
- **strict**: a notebook writes each output the pipeline declares, or records
  why it did not (``status/<NN>.json``, written when a section's claims are
  absent; see :meth:`helpers.notebook.Notebook.section`); a declared output that
  is neither written nor explained, an undeclared output, or an output both
  written and explained fails the notebook. ``manifest.json`` and the report list
  the outputs not produced, with their reasons;
- **no machine paths**: a claims file outside the project is passed to the
  notebooks relative to the project root and named in the manifest by its hash
  (:func:`helpers.batch.runfolder.shown_path`);
- **atomic**: everything is staged in a temporary folder that replaces
  ``outputs/<run>/`` only when every notebook succeeded; on a failing cell,
  SIGINT or SIGTERM the previous outputs stay byte-identical, kernels are
  stopped, and a failed notebook is kept under ``outputs/.failed/<run>/``; if the
  final swap fails the previous folder is put back;
- **files read, recorded**: each kernel lists the project files it opens
  (:func:`helpers.notebook.record_reads`); their hashes, the declared outputs and
  the executed notebook are part of the next run's fingerprint; a report is rebuilt
  whenever its notebooks changed, and dropped by a run without ``report``;
- **confined and locked**: every path taken from the state file is checked to lie
  in the run folder (:func:`helpers.batch.runfolder.inside`); run names follow
  :func:`helpers.batch.pipeline.run_name_problem`; one ``flock`` per run folder
  (``outputs/.runs/<run>.lock``); staging folders of dead processes are removed at
  the start of a run;
- **bounded**: a notebook past ``timeout`` seconds (default 1800) is stopped; on Dask,
  a scheduler unreachable within ``connect_timeout`` fails before any copy, and a
  cluster with no worker for ``lost_worker_timeout`` seconds fails the run.
"""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures as cf
import contextlib
import functools
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from helpers.batch import kernelfork
from helpers.batch.pipeline import Pipeline, PipelineError, run_name_problem
from helpers.batch.runfolder import (
    READS_DIR,
    STATUS_DIR,
    SUMS_NAME,
    StatusError,
    domains_file,
    inside,
    kernel_path,
    output_name,
    read_reads,
    read_status,
    read_view,
    sha256_file,
    shown_path,
    status_file,
    view_ok,
    write_sums,
)
from helpers.paths import get_paths

__all__ = ["KEY_PACKAGES", "NotebookResult", "RunError", "RunResult", "Runner",
           "check_parameters", "inspect_parameters", "kill_kernels", "preload", "run",
           "sha256_file", "start_order"]

#: Packages whose versions the manifest records by name.
KEY_PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbclient",
                "ipykernel", "nbconvert", "pandera", "jieba", "cn2an", "mplfonts")

STATE_VERSION = 3

#: Seconds a notebook may run before it is stopped (``--timeout``).
DEFAULT_TIMEOUT = 1800.0
#: Seconds a Dask run waits with no worker before it fails.
LOST_WORKER_TIMEOUT = 60.0
#: Seconds to reach a Dask scheduler.
CONNECT_TIMEOUT = 10.0

#: Files of ``data/`` every notebook reads when they exist (the codebook of indicator
#: ids; the relations the audit checks).
DATA_INPUTS = ("data/codebook.csv", "data/relations.csv")


class RunError(RuntimeError):
    """A run that could not start (bad parameters, bad pipeline) or did not finish."""


# ----------------------------------------------------------------------------- hashing


def _sha_json(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def notebook_source_hash(path: Path) -> str:
    """Hash of a notebook's cells (type and source only: stored outputs don't count)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [(c.get("cell_type"), "".join(c.get("source", ""))) for c in nb.get("cells", [])]
    return _sha_json(cells)


def helpers_source_hash() -> str:
    """Hash of every module of the ``helpers`` package."""
    pkg = Path(__file__).parents[1]  # src/helpers, with its subpackages
    return _sha_json({p.relative_to(pkg).as_posix(): sha256_file(p)
                      for p in sorted(pkg.rglob("*.py"))})


def packages_hash() -> tuple[str, dict[str, str]]:
    """Hash of all installed distributions' versions, and the key packages' versions."""
    from importlib import metadata

    versions = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name:
            versions[name] = dist.version
    key = {p: versions.get(p, "not installed") for p in KEY_PACKAGES}
    return _sha_json(sorted(versions.items())), key


# ----------------------------------------------------------------------------- parameters


_TYPES = {
    "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
    "list": (list, tuple), "dict": (dict,),
}


def inspect_parameters(path: Path) -> dict[str, str]:
    """Parameter names of a notebook's ``parameters`` cell and their types.

    papermill's inspection gives the names and defaults (and a type when the
    parameter is annotated); otherwise the type of the default's literal is used.
    """
    import_jsonschema_lean()
    import papermill as pm

    declared = {}
    for name, info in pm.inspect_notebook(str(path)).items():
        kind = info["inferred_type_name"]
        if kind in ("None", None, ""):  # no annotation: use the default's literal type
            try:
                kind = type(ast.literal_eval(info["default"])).__name__
            except (ValueError, SyntaxError):
                kind = "None"
            kind = {"tuple": "list", "NoneType": "None"}.get(kind, kind)
        declared[name] = kind
    return declared


def check_parameters(name: str, params: dict, declared: dict[str, str]) -> None:
    """Fail on a parameter the notebook does not declare or a value of the wrong type."""
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise RunError(f"notebook {name}: unknown parameter(s) {', '.join(unknown)}; "
                       f"valid parameters: {', '.join(declared)}")
    for key, value in params.items():
        expected = declared[key]
        types = _TYPES.get(expected)
        if types is None:
            continue
        ok = isinstance(value, types) and not (expected in ("int", "float")
                                               and isinstance(value, bool))
        if not ok:
            raise RunError(f"notebook {name}: parameter {key!r} expects {expected}, got "
                           f"{type(value).__name__} {value!r}")


# ----------------------------------------------------------------------------- kernels

_START_LOCK = threading.Lock()
_LIVE_KERNELS: set = set()
_TASK_KERNELS: dict = {}
#: Tasks stopped past their timeout (:func:`kill_task_kernel`): no kernel starts for them.
_STOPPED: set = set()


def kernel_transport() -> dict:
    """The kernel manager's ``transport`` and ``ip``: Unix sockets at paths no other
    kernel uses (``<tmp>/kernel-<random>-ipc-<n>``) where the platform has them.

    On TCP, jupyter_client draws each of a kernel's five ports free (bind to port 0,
    close) and the kernel binds it a second or two later; its port cache guards only the
    kernels of this process.  Another process drawing the same port in between (runs
    side by side, any Jupyter on the machine) left a kernel that could not bind its IOPub
    port alive but deaf: a kernel started ahead was waited on for 60 s
    (``wait_for_ready``) before the notebook started another, and a kernel that could
    not bind its shell port failed the notebook.
    """
    if os.name != "posix":
        return {}
    import tempfile

    folder = Path(tempfile.gettempdir())
    remove_dead_sockets(folder)
    return {"transport": "ipc",
            "ip": str(folder / f"kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}-ipc")}


#: The Unix socket files of :func:`kernel_transport`: the pid of the process that started
#: the kernel, a random part, the socket's number.
_SOCKET_RE = re.compile(r"kernel-(\d+)-[0-9a-f]{12}-ipc-\d+")


def remove_dead_sockets(folder: Path) -> int:
    """Remove the kernel socket files in ``folder`` whose starting process is gone (a
    kernel killed with its process, e.g. a Dask worker, leaves them); return how many."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _SOCKET_RE.fullmatch(entry.name)
            if match and not _pid_alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def kernel_manager_class(log_path: Path | None, task_id: str | None = None, warm=None,
                         fork: bool = False):
    """A kernel manager that logs the kernel's own stderr to a file and can be killed.

    With ``warm`` (a manager whose kernel :class:`KernelWarmer` started for this task),
    the class hands that manager to nbclient instead of making one: nbclient finds its
    kernel running, uses it and shuts it down as it would its own.  With ``fork``, the
    kernel is forked from the fork server (:mod:`helpers.batch.kernelfork`) where it can be.
    """
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Type

    if warm is not None:
        class AdoptWarmKernel(AsyncKernelManager):
            def __new__(cls, *args, **kwargs):
                # not an instance of cls: Python does not run __init__ on it again
                warm._connect_control_socket()  # in this thread, which will shut it down
                return warm

        return AdoptWarmKernel

    class RunnerKernelManager(AsyncKernelManager):
        client_factory = Type(kernel_client_class(), klass=AsyncKernelClient)

        def __init__(self, **kwargs):
            for key, value in kernel_transport().items():
                kwargs.setdefault(key, value)
            super().__init__(**kwargs)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if task_id in _STOPPED:
                raise RuntimeError("the notebook was stopped after the run's --timeout")
            handle = None
            if log_path is not None:
                log_path.parent.mkdir(parents=True, exist_ok=True)
                handle = open(log_path, "ab")  # the kernel keeps its own copy once started
                kw.setdefault("stdout", handle)
                kw.setdefault("stderr", handle)
            try:
                if fork and kernelfork.usable(kernel_cmd):
                    await self._fork_kernel(kernel_cmd, kw)
                else:
                    with _START_LOCK:  # one launch at a time (on TCP: papermill #511)
                        await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                if handle is not None:
                    handle.close()
            _LIVE_KERNELS.add(self)
            if task_id is not None:
                _TASK_KERNELS[task_id] = self
                if task_id in _STOPPED:  # stopped while this kernel was starting
                    kill_task_kernel(task_id)

        async def _fork_kernel(self, kernel_cmd, kw) -> None:
            """What the provisioner's launch does, with a fork for the new process."""
            cwd = str(kw.get("cwd") or os.getcwd())
            process = await asyncio.to_thread(
                kernelfork.launch, kernel_cmd, env=kw.get("env") or dict(os.environ),
                cwd=cwd, log_path=str(log_path) if log_path is not None else None)
            provisioner = self.provisioner
            provisioner.process, provisioner.pid = process, process.pid
            provisioner.pgid, provisioner.cwd = process.pid, cwd  # its own session
            self._reconcile_connection_info(provisioner.connection_info)

        async def _async_cleanup_resources(self, restart=False):
            _LIVE_KERNELS.discard(self)
            await super()._async_cleanup_resources(restart=restart)

    return RunnerKernelManager


@functools.cache
def kernel_client_class():
    """The runner's kernel client class (made on first use, when jupyter_client is needed
    anyway): jupyter_client's asynchronous client with a shorter ``wait_for_ready``."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class RunnerKernelClient(AsyncKernelClient):
        """jupyter_client's asynchronous client with a shorter wait for a kernel.

        jupyter_client's ``wait_for_ready`` ends by waiting until IOPub has been silent
        for 0.2 s.  A kernel started ahead is waited for twice (by the warmer, then by
        nbclient), so every notebook waited 0.4 s for nothing.  This one waits as
        jupyter_client does for the kernel's reply and for IOPub to be connected, then
        drops only what IOPub already holds: a message still on its way answers a request
        of this wait, and nbclient passes over every message that does not answer the
        cell it runs.
        """

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (math.inf if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # IOPub is connected once it delivers a message
                            await self.iopub_channel.get_msg(timeout=0.2)
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=0)
                except Empty:
                    break

    return RunnerKernelClient


#: Modules the notebooks' first cells import (pandas, pyplot with the inline backend,
#: seaborn for the theme, the helpers' notebook, plotting and claims modules), imported by
#: a kernel started ahead; one that cannot be imported is passed over.
WARM_MODULES = ("pandas", "matplotlib.pyplot", "matplotlib_inline.backend_inline", "seaborn",
                "IPython.display", "helpers.notebook", "helpers.display.plotting",
                "helpers.data.claims")

#: Run silently and without history in a warm kernel, in a namespace of its own: no name
#: is bound in the user's namespace, nothing is shown, the first cell is still In [1].
_WARM_CODE = "exec({!r}, {{}})".format(f"""for m in {WARM_MODULES!r}:
    try:
        __import__(m)
    except Exception:
        pass
""")

#: nbclient starts every kernel with these arguments (an in-memory history); a kernel
#: started ahead gets the same.
_KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]

#: Warm kernels by task id: a future of the kernel manager (see :class:`KernelWarmer`).
_WARM: dict = {}


class KernelWarmer:
    """Starts the kernels of the next notebooks while earlier ones run (local runs).

    Every notebook still gets a kernel process of its own that no other notebook uses:
    the warmer starts it ahead (the task's folder, log file and kill switch, nbclient's
    arguments) and imports :data:`WARM_MODULES` in it silently, so the notebook finds
    its imports paid and no variable defined; :func:`execute_task` hands it to nbclient
    (``kernel_manager_class(..., warm=...)``), which shuts it down after the notebook.
    Kernels started for notebooks that never ran are shut down by :meth:`close`.
    """

    def __init__(self):
        kernelfork.start_server()  # a no-op if the run started it
        preload_kernels()  # before the warmer's thread starts (see preload)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kernel-warmer",
                                       daemon=True)
        self.thread.start()
        self.tasks: list[str] = []
        #: the manager of each task's kernel, as soon as it exists (before it starts)
        self.managers: dict = {}
        self.closed = False

    def start(self, task: dict) -> None:
        """Start (in the background) and warm the kernel ``task`` will run in."""
        _WARM[task["task_id"]] = asyncio.run_coroutine_threadsafe(
            _warm_kernel(task, self.managers), self.loop)
        self.tasks.append(task["task_id"])

    def close(self) -> None:
        """Stop the kernels no notebook took (once every notebook has finished), then the
        warmer's thread: a kernel still starting is cancelled, a warm one killed."""
        if self.closed:
            return
        self.closed = True
        left = {t: _WARM.pop(t) for t in self.tasks if t in _WARM}
        for future in left.values():
            if not future.cancel():
                with contextlib.suppress(Exception):
                    asyncio.run_coroutine_threadsafe(
                        future.result(timeout=0).shutdown_kernel(now=True),
                        self.loop).result(timeout=10)
        with contextlib.suppress(Exception):  # let cancelled starts shut their kernel down
            asyncio.run_coroutine_threadsafe(_settled(), self.loop).result(timeout=15)
        for task_id in left:
            km = self.managers.get(task_id)
            if km is None:
                continue
            # the process of a start cut short, if it had begun: killed and reaped
            process = getattr(km.provisioner, "process", None)
            if process is not None and process.poll() is None:
                process.kill()
            with contextlib.suppress(Exception):
                if process is not None:
                    process.wait(timeout=10)
                if getattr(km, "_created_context", False) and not km.context.closed:
                    asyncio.run_coroutine_threadsafe(km.cleanup_resources(),
                                                     self.loop).result(timeout=10)
            _LIVE_KERNELS.discard(km)
            _TASK_KERNELS.pop(task_id, None)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        if not self.thread.is_alive():
            self.loop.close()


async def _settled() -> None:
    """Wait for every other task of the running loop to finish."""
    others = asyncio.all_tasks() - {asyncio.current_task()}
    await asyncio.gather(*others, return_exceptions=True)


async def _warm_kernel(task: dict, managers: dict):
    """Start ``task``'s kernel and import :data:`WARM_MODULES` in it; return its manager
    (also put in ``managers`` under the task's id, before the kernel starts)."""
    km = kernel_manager_class(Path(task["kernel_log"]) if task.get("kernel_log") else None,
                              task.get("task_id"), fork=True)(kernel_name="python3")
    managers[task["task_id"]] = km
    await km.start_kernel(extra_arguments=list(_KERNEL_ARGUMENTS), cwd=task["cwd"])
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        await kc.execute_interactive(_WARM_CODE, silent=True, store_history=False,
                                     timeout=120, output_hook=lambda msg: None)
    except BaseException:
        kc.stop_channels()
        with contextlib.suppress(Exception):
            await km.shutdown_kernel(now=True)
        raise
    kc.stop_channels()
    km._close_control_socket()  # reopened by the thread that adopts it
    return km


def _take_warm(task_id: str | None):
    """The warm kernel's manager started for ``task_id``, or None (none was started, or
    it failed to start: the notebook then starts its own kernel as usual)."""
    future = _WARM.get(task_id)  # left in _WARM while waited on: kill_task_kernel cancels it
    if future is None:
        return None
    try:
        return future.result(timeout=120)
    except Exception:
        return None
    finally:
        _WARM.pop(task_id, None)


def kill_kernels() -> int:
    """Kill every kernel this process started and has not shut down; return how many."""
    killed = 0
    for km in list(_LIVE_KERNELS):
        killed += _kill(km)
        _LIVE_KERNELS.discard(km)
    return killed


def _kill(km) -> bool:
    """Kill a kernel's process if it still runs and remove its Unix socket files (a
    killed kernel's manager never cleans up); True if a process was killed."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is None or process.poll() is not None:
        return False
    process.kill()
    with contextlib.suppress(Exception):
        km.cleanup_ipc_files()
    return True


def kill_task_kernel(task_id: str) -> bool:
    """Kill the kernel of one task (a notebook past its timeout); True if one was killed.

    The task is marked stopped: a kernel still being started ahead for it is cancelled
    (the task no longer waits for it: up to 120 s for one killed while warming) and no
    other starts for it (the notebook would have run whole in a kernel of its own).
    """
    _STOPPED.add(task_id)
    warm = _WARM.get(task_id)
    if warm is not None:
        warm.cancel()
    return _kill(_TASK_KERNELS.pop(task_id, None))


def preload() -> None:
    """Import, in the calling thread, every module a worker thread needs.

    Two threads importing papermill (and so jupyter_client) for the first time at once
    can see a partially initialised module (``cannot import name 'AsyncKernelManager'
    from partially initialized module``); importing before any thread starts avoids it.
    """
    import_jsonschema_lean()
    import jupyter_client.manager  # noqa: F401
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    import papermill
    import papermill.exceptions  # noqa: F401

    import helpers.batch.execution  # noqa: F401


def import_jsonschema_lean() -> None:
    """Import :mod:`jsonschema` without the grammar of its ``iri`` format checks.

    papermill and nbclient import nbformat, which imports jsonschema; when the optional
    ``rfc3987_syntax`` is installed, jsonschema's format module builds a lark grammar
    from it on import (about half a second of CPU, before any notebook runs).  nbformat
    validates without format checks, so this process imports jsonschema as if the
    package were absent (``iri`` formats unchecked), then makes ``rfc3987_syntax``
    importable again.  Does nothing when either module is already imported.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  (import fails)
    try:
        import jsonschema  # noqa: F401
    finally:
        if "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None:
            del sys.modules["rfc3987_syntax"]


def preload_kernels() -> None:
    """Import, in the calling thread, every module starting a kernel needs (the
    kernel manager and client, the provisioner, the kernel spec of ipykernel), so the
    warmer's thread can start kernels while this one imports the rest (:func:`preload`)."""
    import ipykernel.kernelspec  # noqa: F401
    import IPython.paths  # noqa: F401  (the kernel spec manager's folders)
    import jupyter_client.asynchronous.client
    import jupyter_client.launcher
    import jupyter_client.manager
    import jupyter_client.provisioning.local_provisioner  # noqa: F401
    import psutil  # noqa: F401
    import zmq.asyncio  # noqa: F401
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    KernelProvisionerFactory.instance()


def execute_task(task: dict) -> dict:
    """Execute one notebook (runs in a thread or on a Dask worker); never raises."""
    start = time.perf_counter()
    result = {"name": task["name"], "status": "ok", "cell": None, "error": None}
    try:
        preload()  # a no-op in threads (done before they start); needed on a Dask worker
        from papermill.exceptions import PapermillExecutionError

        from helpers.batch.execution import execute
    except Exception as exc:
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}",
                      seconds=round(time.perf_counter() - start, 3))
        return result
    try:
        execute(task["source"], task["target"], task["parameters"], cwd=task["cwd"],
                progress=task.get("progress", False),
                execution_timeout=int(task["timeout"]) if task.get("timeout") else None,
                kernel_manager_class=kernel_manager_class(
                    Path(task["kernel_log"]) if task.get("kernel_log") else None,
                    task.get("task_id"), _take_warm(task.get("task_id"))))
    except PapermillExecutionError as exc:
        last_line = (str(exc.evalue).strip().splitlines() or [""])[-1]
        result.update(status="failed", cell=exc.exec_count, error=f"{exc.ename}: {last_line}")
    except Exception as exc:
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}")
    finally:
        _TASK_KERNELS.pop(task.get("task_id"), None)
        _close_thread_loop()
    result["seconds"] = round(time.perf_counter() - start, 3)
    return result


def _close_thread_loop() -> None:
    """Close the event loop nbclient left in this worker thread (it would leak sockets)."""
    if threading.current_thread() is threading.main_thread():
        return
    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_event_loop_policy().get_event_loop()
        if not loop.is_running() and not loop.is_closed():
            loop.close()
        asyncio.set_event_loop(None)


# ----------------------------------------------------------------------------- the run


@dataclass
class NotebookResult:
    name: str
    status: str  # ran, up-to-date, failed, skipped, interrupted
    seconds: float = 0.0
    outputs: int = 0
    cell: int | None = None
    error: str | None = None
    not_produced: int = 0  # declared output files not produced, each with a recorded reason


@dataclass
class RunResult:
    run: str
    ok: bool
    results: list[NotebookResult] = field(default_factory=list)
    run_dir: Path | None = None
    failed_notebook: Path | None = None
    up_to_date: bool = False
    message: str = ""

    def summary(self) -> str:
        """A plain-text table: notebook, status, seconds, outputs, outputs not produced."""
        lines = [f"{'notebook':<24} {'status':<12} {'seconds':>8} {'outputs':>8} "
                 f"{'not produced':>12}"]
        for r in self.results:
            lines.append(f"{r.name:<24} {r.status:<12} {r.seconds:>8.1f} {r.outputs:>8} "
                         f"{r.not_produced:>12}")
        return "\n".join(lines)


def default_jobs() -> int:
    """Notebooks run at once by default: one more than the cores.  A notebook's kernel
    leaves its core idle at times (its parent thread collects each cell's outputs, files
    are written), and three notebooks at once even out the two lanes of five unequal
    notebooks on two cores: a cold run measured 6.38 s against 6.61 s with two (medians of
    3 on 2 cores)."""
    return (os.cpu_count() or 1) + 1


def start_order(specs: list, records: dict) -> list:
    """``specs`` in the order the runner starts them: the longest chain first.

    A notebook's chain is the seconds it took when it last ran (``records``, the state's
    records) plus the longest chain among the notebooks that depend on it, so the
    notebooks on the critical path start first and the longest one does not start
    last and run alone at the end.  A notebook with no such record counts as endless
    (it may be long: it starts early); ties keep the pipeline's order.  A notebook still
    starts only once its dependencies have finished (the runner's loop passes it over
    until then).
    """
    names = {spec.name for spec in specs}
    below: dict[str, list[str]] = {spec.name: [] for spec in specs}
    for spec in specs:
        for dep in spec.depends_on:
            if dep in names:
                below[dep].append(spec.name)

    def seconds(name: str) -> float:
        value = records.get(name, {}).get("seconds")
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value) and value >= 0
        return float(value) if ok else math.inf

    chain: dict[str, float] = {}

    def length(name: str) -> float:
        if name not in chain:
            chain[name] = seconds(name) + max((length(n) for n in below[name]), default=0.0)
        return chain[name]

    return sorted(specs, key=lambda spec: -length(spec.name))


def _git_state(root: Path) -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=root,
                                    capture_output=True, text=True, check=True).stdout.strip())
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": "unknown", "dirty": None}


class Runner:
    """Runs one named run of a pipeline; see the module docstring."""

    def __init__(self, pipeline: Pipeline, run: str = "default", *, params: dict | None = None,
                 jobs: int | None = None, force: bool = False, show_code: bool = False,
                 progress: bool | None = None, dask_scheduler: str | None = None,
                 outputs_root: Path | None = None, only: list[str] | None = None,
                 report: bool = True, log=print, timeout: float | None = None,
                 lost_worker_timeout: float = LOST_WORKER_TIMEOUT,
                 connect_timeout: float = CONNECT_TIMEOUT, lines: bool = False,
                 warm: bool = True):
        self.paths = get_paths()
        self.pipeline = pipeline
        self.run = run
        self.overrides = dict(params or {})
        self.jobs = max(1, jobs or default_jobs())
        self.force = force
        #: Salt of each notebook's figure keys in this run (:meth:`_figure_salt`).
        self._figure_salts: dict[str, str] = {}
        self.show_code = show_code
        self.progress = sys.stderr.isatty() if progress is None else progress
        #: One line per notebook as it finishes, where no progress bar shows it.
        self.lines = lines and not self.progress
        self.dask_scheduler = dask_scheduler
        self.root_out = Path(outputs_root or self.paths.outputs).resolve()
        outputs = self.paths.outputs.resolve()
        if self.root_out != outputs and outputs not in self.root_out.parents:
            raise RunError(f"outputs root {outputs_root} is outside the project's outputs/ "
                           "folder; notebooks may only write there")
        for folder in [self.root_out, *self.root_out.parents]:
            if folder == outputs:
                break
            if (folder / "manifest.json").is_file() or (folder / SUMS_NAME).is_file():
                raise RunError(f"outputs root {outputs_root} is inside the run folder "
                               f"{self.paths.relative(folder)}/; choose a folder of its own "
                               "under outputs/")
        problem = run_name_problem(run)
        if problem:
            raise RunError(f"run name: {problem}")
        self.run_dir = self.root_out / run
        if self.run_dir.exists() and not self.run_dir.is_dir():
            raise RunError(f"{self.paths.relative(self.run_dir)} exists and is not a run "
                           "folder; choose another run name")
        # a run folder has a manifest.json, or (the committed references of a fresh clone,
        # whose manifest is not committed) a SHA256SUMS
        if (self.run_dir.is_dir() and any(self.run_dir.iterdir())
                and not (self.run_dir / "manifest.json").is_file()
                and not (self.run_dir / SUMS_NAME).is_file()):
            raise RunError(f"{self.paths.relative(self.run_dir)}/ holds files but is not a run "
                           "folder (no manifest.json or SHA256SUMS); choose another run name "
                           "or move them")
        self.timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
        if self.timeout <= 0:
            raise RunError(f"timeout must be a positive number of seconds, got {timeout}")
        self.lost_worker_timeout = lost_worker_timeout
        self.connect_timeout = connect_timeout
        self.state_file = self.root_out / ".runs" / f"{run}.json"
        self.only = only
        self.report = report
        self.log = log
        #: start each notebook's kernel ahead and import its modules (local runs only)
        self.warm = warm
        self._task_ids: dict[str, str] = {}

    # -- parameters --------------------------------------------------------------
    def parameters(self, spec) -> dict:
        """Final parameters of a notebook (without output_dir, which the runner sets)."""
        base = self.pipeline.run_parameters(self.run) if self.run in self.pipeline.runs else {
            **self.pipeline.defaults}
        return {**base, **spec.parameters, **self.overrides}

    def _validate(self, state: dict) -> dict[str, dict]:
        cache = state.setdefault("inspected", {})
        out = {}
        for spec in self.pipeline.notebooks:
            params = self.parameters(spec)
            if "output_dir" in params:
                raise RunError("output_dir is set by the runner (outputs/<run>/); "
                               "choose the run name instead")
            key = notebook_source_hash(spec.path)
            if key not in cache:
                cache[key] = inspect_parameters(spec.path)
            check_parameters(spec.name, {**params, "output_dir": ""}, cache[key])
            if isinstance(params.get("claims_path"), str) and params["claims_path"].strip():
                # relative to the project root, as notebooks resolve it: no machine path
                # reaches the executed notebooks, and the same file gives the same value
                params["claims_path"] = kernel_path(params["claims_path"])
            out[spec.name] = params
        return out

    # -- state -------------------------------------------------------------------
    def _load_state(self) -> dict:
        """The state file, with every record checked: a record that is not what this
        runner writes (wrong types, a path outside the run folder) is dropped, so its
        notebook reruns; a file that is not a state at all starts afresh."""
        fresh = {"version": STATE_VERSION, "notebooks": {}, "inspected": {}, "report": None}
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return fresh
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            return fresh
        notebooks = state.get("notebooks")
        inspected = state.get("inspected")
        clean = {**fresh, "report": state.get("report") if isinstance(state.get("report"), str)
                 else None,
                 "inspected": {k: v for k, v in inspected.items()
                               if isinstance(v, dict)} if isinstance(inspected, dict) else {}}
        for name, record in (notebooks.items() if isinstance(notebooks, dict) else []):
            if _record_ok(record, self.run_dir, self.paths.root):
                clean["notebooks"][name] = record
            else:
                self.log(f"{self.paths.relative(self.state_file)}: record of {name!r} is not "
                         "valid (a path outside the run folder or a wrong type); it reruns")
        return clean

    def _save_state(self, state: dict) -> None:
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.state_file)

    def _input_files(self, spec, params) -> list[Path]:
        """Every file the notebook reads, in a stable order, without duplicates.

        The pipeline's declared inputs (each with its ``.provenance.yaml`` record when
        there is one), the claims file with everything its metadata names (see
        :func:`claims_inputs`), and the codebook and relations of ``data/``.
        """
        files = []
        for inp in spec.inputs:
            f = self.paths.resolve(inp)
            if f.is_dir():
                files += sorted(p for p in f.rglob("*") if p.is_file())
                continue
            files.append(f)
            record = f.with_name(f"{f.stem}.provenance.yaml")
            if record.is_file():
                files.append(record)
        if params.get("claims_path"):
            files += claims_inputs(params["claims_path"])
        files += [self.paths.resolve(d) for d in DATA_INPUTS
                  if self.paths.resolve(d).is_file()]
        return list(dict.fromkeys(files))

    def _fingerprint(self, spec, params, common, upstream_outputs,
                     reads=(), view: dict | None = None) -> tuple[str, dict]:
        """The notebook's fingerprint: its cells, parameters, every file it reads (those
        the pipeline and the claims' metadata name, and those it opened when it last
        ran, ``reads``), its declared outputs, the helpers, packages and upstream; returned
        with the parts it hashes.

        With ``view`` (the claims view the notebook saw, see :meth:`_current_view`), the
        claims file counts by that view's selector and hash instead of its bytes, unless
        the notebook also opened the file itself (then it is in ``reads``).
        """
        files = self._input_files(spec, params)
        for rel in reads:
            f = inside(self.paths.root, rel)
            if f is not None:
                files.append(f)
        if view is not None and view["claims"] not in reads:
            claims = self.paths.resolve(params["claims_path"])
            files = [f for f in files if f != claims]
        files = list(dict.fromkeys(files))
        inputs = {shown_path(f): sha256_file(f) if f.is_file() else "missing" for f in files}
        parts = {
            "notebook": notebook_source_hash(spec.path),
            "parameters": params,
            "inputs": inputs,
            "declared": self._declared_outputs(spec, params),
            "helpers": common["helpers"],
            "packages": common["packages"],
            "upstream": upstream_outputs,
            "show_code": self.show_code,
        }
        if view is not None:
            parts["claims_view"] = {k: view[k] for k in ("domains", "columns", "sha256")}
            if spec.claims_other_rows is not None:  # the columns it sees of other rows
                parts["claims_view"]["other_rows"] = list(spec.claims_other_rows)
        return _sha_json(parts), parts

    def _figure_salt(self, params, parts: dict) -> str:
        """The salt of a notebook's figure keys (:mod:`helpers.display.figurecache`), from
        its fingerprint's ``parts``: the notebook's code (a function it defines may draw),
        the helpers, the packages and its input files but the claims file (whose rows reach
        a figure only through the arguments, which the key hashes)."""
        claims = params.get("claims_path")
        claims = shown_path(self.paths.resolve(claims)) if claims else None
        return _sha_json({**{k: parts[k] for k in ("notebook", "helpers", "packages")},
                          "inputs": {k: v for k, v in parts["inputs"].items() if k != claims}})

    def _view_applies(self, view, spec, params) -> bool:
        """Whether a recorded view is of this run's claims file and of the rows the
        notebook would see now (its declared domains may have changed since)."""
        if not view_ok(view) or view["claims"] != params.get("claims_path"):
            return False
        declared = spec.claims_domains
        return view["domains"] == (None if declared is None else list(declared))

    def _current_view(self, view, spec, params, loaded: dict) -> dict | None:
        """The notebook's recorded claims view with its hash for the current claims file
        (None when it has no usable record: the file's bytes count then).

        An unchanged file keeps the recorded hash; a changed one is loaded (validated
        whole: an invalid file fails the run, naming file, line and field, whatever
        the notebook sees) and its view hashed again.  ``loaded`` keeps each file's
        table for the other notebooks of the run.
        """
        if not self._view_applies(view, spec, params):
            return None
        file = self.paths.resolve(params["claims_path"])
        if not file.is_file():
            return None
        if sha256_file(file) == view["file_sha256"]:
            return view
        from helpers.data.claims import ClaimsError, claims_view, load_claims, view_hash

        if file not in loaded:
            try:
                loaded[file] = load_claims(file, keep=True)
            except ClaimsError as exc:
                raise RunError(f"claims_path: {exc}") from None
        now = claims_view(loaded[file], view["domains"], spec.claims_other_rows)
        if list(now.columns) != view["columns"]:
            return None
        return {**view, "file_sha256": now.attrs["sha256"], "sha256": view_hash(now)}

    def _declared_outputs(self, spec, params) -> list[str]:
        formats = params.get("figure_formats", ["svg", "png"])
        return spec.outputs(tuple(formats))

    def _not_produced_files(self, spec, params, names: dict[str, str]) -> dict[str, str]:
        """Declared files (relative paths) whose output name has a recorded reason."""
        return {rel: names[output_name(rel)] for rel in self._declared_outputs(spec, params)
                if output_name(rel) in names}

    def _outputs_intact(self, record: dict, name: str) -> bool:
        files = {**record.get("outputs", {}),
                 f"notebooks/{name}.ipynb": record.get("notebook", "")}
        for rel, digest in files.items():
            f = inside(self.run_dir, rel)
            if f is None or not f.is_file() or sha256_file(f) != digest:
                return False
        return True

    def _report_fingerprint(self, specs, records) -> str:
        return _sha_json({"notebooks": {s.name: records.get(s.name, {}).get("fingerprint")
                                        for s in specs},
                          "show_code": self.show_code})

    @contextlib.contextmanager
    def _lock(self):
        """Hold ``outputs/.runs/<run>.lock`` for the run (an advisory ``flock``: a lock
        of a dead process is free again). On a read-only outputs folder no lock is taken
        (nothing can be written there anyway)."""
        import errno
        import fcntl

        lock = self.root_out / ".runs" / f"{self.run}.lock"
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                yield
                return
            raise
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                raise RunError(f"another run of {self.run} is in progress (pid {holder}); "
                               "wait for it to finish") from None
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            os.close(fd)

    def _clean_leftovers(self) -> None:
        """Remove staging folders left by dead processes (kill -9, a crash, a full disk);
        a run folder moved aside by a process that died before the swap finished is put
        back first."""
        import re

        staging_root = self.root_out / ".staging"
        if not staging_root.is_dir():
            return
        for entry in sorted(staging_root.iterdir()):
            m = re.fullmatch(r"(?P<run>.+?)-(?P<old>old-)?(?P<pid>\d+)", entry.name)
            if not m or _pid_alive(int(m["pid"])):
                continue
            if m["old"] and run_name_problem(m["run"]) is None \
                    and not (self.root_out / m["run"]).exists():
                os.replace(entry, self.root_out / m["run"])
                self.log(f"restored {self.paths.relative(self.root_out / m['run'])}/ from an "
                         "interrupted swap")
                continue
            shutil.rmtree(entry, ignore_errors=True)

    # -- main --------------------------------------------------------------------
    def execute(self) -> RunResult:
        """Run the pipeline; return the result (``ok`` False on any failure).

        Holds the run's lock throughout; raises :class:`RunError` when the run cannot
        start and ``OSError`` (naming the path) when a file cannot be written: the
        previous outputs are then unchanged and no staging folder is left.
        """
        with self._lock():
            self._clean_leftovers()
            return self._execute()

    def _execute(self) -> RunResult:
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        state = self._load_state()
        params_by_nb = self._validate(state)
        helpers_hash = helpers_source_hash()
        pkg_hash, key_versions = packages_hash()
        if self.warm and not self.dask_scheduler:
            # the fork server imports the notebooks' modules while this process decides
            # what to rerun (started by the command line already: a new one only if the
            # installed packages changed since)
            kernelfork.start_server(pkg_hash)
        common = {"helpers": helpers_hash, "packages": pkg_hash}
        specs = [s for s in self.pipeline.notebooks
                 if not self.only or s.name in self.only
                 or any(s.name in self.pipeline.upstream(o) for o in self.only)]

        # decide, in dependency order, what is up to date (upstream reruns make it stale)
        records = state["notebooks"]
        stale: set[str] = set()
        fingerprints: dict[str, str] = {}
        self._figure_salts.clear()
        loaded: dict = {}
        for spec in specs:
            params = params_by_nb[spec.name]
            up = {d: records.get(d, {}).get("outputs", {}) for d in spec.depends_on}
            rec = records.get(spec.name)
            view = self._current_view((rec or {}).get("view"), spec, params, loaded)
            fp, parts = self._fingerprint(spec, params, common, up,
                                          (rec or {}).get("reads", []), view)
            fingerprints[spec.name] = fp
            self._figure_salts[spec.name] = self._figure_salt(params, parts)
            if (self.force or rec is None or rec.get("fingerprint") != fp
                    or rec.get("status") != "ok" or not self._outputs_intact(rec, spec.name)
                    or any(d in stale for d in spec.depends_on)):
                stale.add(spec.name)
        if not specs:
            return RunResult(self.run, True, [], self.run_dir, up_to_date=True,
                             message=f"{self.run}: the pipeline has no notebooks")
        report_missing = self.report and (
            not (self.run_dir / "report.html").is_file()
            or state.get("report") != self._report_fingerprint(specs, records))
        if not stale and not report_missing:
            with contextlib.suppress(OSError):  # a read-only checkout is up to date too
                self._save_state(state)
            results = [self._up_to_date(s.name, records) for s in specs]
            return RunResult(self.run, True, results, self.run_dir, up_to_date=True,
                             message=f"{self.run}: everything is up to date "
                                     f"({time.perf_counter() - t0:.2f} s)")
        return self._execute_stale(specs, stale, params_by_nb, state, common, key_versions,
                                   started, fingerprints)

    def _check_inputs(self, specs, params_by_nb) -> None:
        """Validate each claims file once, before any kernel starts (clear errors, fast);
        the validated table is kept, so the kernels load it without validating again."""
        from helpers.data.claims import ClaimsError, load_claims

        files = {params_by_nb[s.name].get("claims_path") for s in specs} - {None}
        for claims_path in sorted(files):
            try:
                load_claims(claims_path, keep=True)
            except ClaimsError as exc:
                raise RunError(f"claims_path: {exc}") from None

    def _execute_stale(self, specs, stale, params_by_nb, state, common, key_versions,
                       started, fingerprints) -> RunResult:
        self._check_inputs([s for s in specs if s.name in stale], params_by_nb)
        warmer, warmed = None, set()
        staging = self.root_out / ".staging" / f"{self.run}-{os.getpid()}"
        try:
            if self.warm and stale and not self.dask_scheduler:
                # the first notebooks' kernels start while this process imports papermill
                warmer = KernelWarmer()
                self._warm_ahead(warmer, warmed, {s.name: s for s in specs if s.name in stale},
                                 {}, {s.name: NotebookResult(s.name, "up-to-date")
                                      for s in specs if s.name not in stale})
            preload()  # before any worker thread starts (no import race between workers)
            pool = self._make_pool() if stale else None  # a bad scheduler fails before any copy
            return self._execute_in(staging, pool, specs, stale, params_by_nb, state, common,
                                    key_versions, started, warmer, warmed)
        except BaseException:
            if warmer is not None:
                warmer.close()
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _execute_in(self, staging, pool, specs, stale, params_by_nb, state, common,
                    key_versions, started, warmer=None, warmed=None) -> RunResult:
        if staging.exists():
            shutil.rmtree(staging)
        staging.parent.mkdir(parents=True, exist_ok=True)
        records = state["notebooks"]
        try:
            if self.run_dir.is_dir():
                shutil.copytree(self.run_dir, staging, symlinks=True)
            else:
                staging.mkdir(parents=True)
            shutil.rmtree(staging / READS_DIR, ignore_errors=True)
            for name in stale:  # a rerun notebook starts from a clean slate
                for rel in records.get(name, {}).get("outputs", {}):
                    f = inside(staging, rel)
                    if f is not None:
                        f.unlink(missing_ok=True)
                # and from none of its figures or tables that no record names (written by
                # `reference` in place, or declared before and dropped since)
                for sub in ("figures", "tables"):
                    folder = staging / sub
                    for f in sorted(folder.glob(f"{name[:2]}_*")) if folder.is_dir() else []:
                        if f.is_file() and not f.is_symlink():
                            f.unlink()
                (staging / status_file(name[:2])).unlink(missing_ok=True)
        except BaseException:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            raise
        results: dict[str, NotebookResult] = {
            s.name: self._up_to_date(s.name, records) for s in specs if s.name not in stale}
        new_records: dict[str, dict] = {}
        failed: list[str] = []
        interrupted = False
        finished = False
        # each finished notebook's report section is rendered while the others run
        sections = SectionRenderer(self._report_lang(specs, params_by_nb), self.show_code) \
            if self.report and stale else None
        previous = {}
        warmed = set() if warmed is None else warmed
        if threading.current_thread() is threading.main_thread():
            previous = {sig: signal.signal(sig, _raise_interrupt)
                        for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            pending = {s.name: s for s in start_order(
                [s for s in specs if s.name in stale], records)}
            running: dict = {}
            started_at: dict = {}
            no_worker_since = None
            last_worker_check = 0.0
            bar = self._overall_bar(len(pending))
            while pending or running:
                for name, spec in list(pending.items()):
                    if any(d in failed or results.get(d, NotebookResult(d, "")).status in
                           ("failed", "skipped") for d in spec.depends_on):
                        results[name] = NotebookResult(name, "skipped",
                                                       error="an upstream notebook failed")
                        del pending[name]
                        continue
                    if len(running) >= self.jobs or any(d in pending or d in running.values()
                                                        for d in spec.depends_on):
                        continue
                    task = self._task(spec, params_by_nb[spec.name], staging,
                                      position=len(running) + 1)
                    fut = pool.submit(execute_task, task)
                    running[fut] = name
                    started_at[fut] = (time.monotonic(), task["task_id"])
                    del pending[name]
                if warmer is not None:
                    self._warm_ahead(warmer, warmed, pending, running, results)
                if not running:
                    continue
                done, _ = cf.wait(list(running), timeout=0.2, return_when=cf.FIRST_COMPLETED)
                now = time.monotonic()
                timed_out = {}
                for fut in set(running) - done:
                    since, task_id = started_at[fut]
                    if now - since > self.timeout:
                        timed_out[fut] = (f"TimeoutError: stopped after {self.timeout:g} s "
                                          "(the run's --timeout)")
                        kill_task_kernel(task_id)
                        fut.cancel()
                if isinstance(pool, _DaskPool) and now - last_worker_check > 1.0:
                    last_worker_check = now
                    if pool.workers() == 0:
                        no_worker_since = no_worker_since or now
                        if now - no_worker_since > self.lost_worker_timeout:
                            for fut in set(running) - done:
                                timed_out[fut] = (
                                    f"LostWorker: no Dask worker at {self.dask_scheduler} for "
                                    f"{self.lost_worker_timeout:g} s; the notebook was not run")
                                fut.cancel()
                    else:
                        no_worker_since = None
                for fut in [*done, *timed_out]:
                    if fut not in running:
                        continue
                    name = running.pop(fut)
                    if fut in timed_out:
                        out = {"name": name, "status": "failed", "cell": None,
                               "error": timed_out[fut],
                               "seconds": round(now - started_at[fut][0], 3)}
                    else:
                        try:
                            out = fut.result()
                        except Exception as exc:
                            out = {"name": name, "status": "failed", "cell": None,
                                   "seconds": 0.0, "error": f"{type(exc).__name__}: {exc}"}
                    self._settle_one(name, out, staging, params_by_nb, records, new_records,
                                     results, failed, common)
                    if sections is not None and results[name].status == "ran":
                        sections.add(staging / "notebooks" / f"{name}.ipynb")
                    if bar is not None:
                        bar.update(1)
            if bar is not None:
                bar.close()
            finished = True
        except KeyboardInterrupt:
            interrupted = True
            kill_kernels()
        finally:
            if pool is not None:
                pool.shutdown(wait=not (interrupted and isinstance(pool, _DaskPool)),
                              cancel_futures=True)
                if interrupted:
                    kill_kernels()
            if warmer is not None:
                warmer.close()
            if sections is not None and not (finished and not failed):
                sections.close(wait=False)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        ordered = [results.get(s.name, NotebookResult(s.name, "interrupted")) for s in specs]
        if interrupted or failed:
            kept = {name: self._keep_failed(name, staging) for name in failed}
            shutil.rmtree(staging, ignore_errors=True)
            failed_path = kept[failed[0]] if failed else None
            msg = "interrupted: previous outputs kept unchanged" if interrupted else "\n".join(
                self._failure_message(results[name], kept[name]) for name in failed)
            return RunResult(self.run, False, ordered, self.run_dir, failed_path,
                             message=msg)

        state["notebooks"].update(new_records)
        shutil.rmtree(staging / READS_DIR, ignore_errors=True)
        if self.report:
            if sections is not None:
                sections.close(wait=True)  # the build finds their sections kept
            self._build_report(specs, staging, params_by_nb, state["notebooks"])
            state["report"] = self._report_fingerprint(specs, state["notebooks"])
        else:  # a report of earlier results would be served as current: drop it
            (staging / "report.html").unlink(missing_ok=True)
            state["report"] = None
        write_sums(staging, self._prune_undeclared(staging, state["notebooks"]))
        self._write_manifest(staging, specs, params_by_nb, state, key_versions, started,
                             ordered)
        self._swap(staging)
        self._save_state(state)
        skipped = sum(r.not_produced for r in ordered)
        note = (f" ({skipped} declared output file(s) not produced, with their reasons in "
                "manifest.json)") if skipped else ""
        return RunResult(self.run, True, ordered, self.run_dir,
                         message=f"{self.run}: outputs written to "
                                 f"{self.paths.relative(self.run_dir)}/{note}")

    def _settle_one(self, name, out, staging, params_by_nb, records, new_records, results,
                    failed, common) -> None:
        """Check what a finished notebook wrote and record it (or its failure)."""
        spec = self.pipeline.get(name)
        res = NotebookResult(name, "ran", out.get("seconds", 0.0), cell=out.get("cell"),
                             error=out.get("error"))
        status = {}
        if out["status"] == "ok":
            problem, status = self._check_outputs(spec, params_by_nb[name], staging)
            if problem:
                res.status, res.error = "failed", problem
        else:
            res.status = "failed"
        if res.status == "failed":
            failed.append(name)
        else:
            not_produced = self._not_produced_files(
                spec, params_by_nb[name], status["not_produced"])
            written = [rel for rel in self._declared_outputs(spec, params_by_nb[name])
                       if rel not in not_produced]
            if (staging / status_file(name[:2])).is_file():
                written.append(status_file(name[:2]))
            outs = {rel: sha256_file(staging / rel) for rel in written}
            res.outputs, res.not_produced = len(written) - (
                status_file(name[:2]) in written), len(not_produced)
            up = {d: (new_records.get(d) or records.get(d, {})).get("outputs", {})
                  for d in spec.depends_on}
            reads = read_reads(staging, name[:2], self.paths.root)
            view = read_view(staging, name[:2])
            if not self._view_applies(view, spec, params_by_nb[name]):
                view = None
            fp, _ = self._fingerprint(spec, params_by_nb[name], common, up, reads, view)
            executed = staging / "notebooks" / f"{name}.ipynb"
            new_records[name] = {
                "fingerprint": fp, "outputs": outs, "status": "ok",
                "notebook": sha256_file(executed) if executed.is_file() else "",
                "reads": reads, "view": view,
                "seconds": out.get("seconds", 0.0), "not_produced": not_produced,
                "skipped_sections": sorted(k for k, ran in status["sections"].items()
                                           if not ran)}
        results[name] = res
        if self.lines:
            status_word = "ok" if res.status != "failed" else "failed"
            print(f"{self.run}: {name} {status_word} ({res.seconds:.1f} s)", file=sys.stderr,
                  flush=True)

    def _up_to_date(self, name: str, records: dict) -> NotebookResult:
        record = records.get(name, {})
        outputs = [rel for rel in record.get("outputs", {})
                   if not rel.startswith(f"{STATUS_DIR}/")]
        return NotebookResult(name, "up-to-date", outputs=len(outputs),
                              not_produced=len(record.get("not_produced", {})))

    # -- pieces ----------------------------------------------------------------
    def _make_pool(self):
        if self.dask_scheduler:
            try:
                from distributed import Client
            except ImportError:
                raise RunError("--dask-scheduler needs the 'distributed' package") from None
            try:
                client = Client(self.dask_scheduler, timeout=self.connect_timeout,
                                set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise RunError(f"cannot reach the Dask scheduler at {self.dask_scheduler} "
                               f"within {self.connect_timeout:g} s: {exc}") from None
            return _DaskPool(client)
        return cf.ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="notebook")

    def _overall_bar(self, total):
        if not self.progress or total == 0:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=f"run {self.run}", unit="notebook", position=0)

    def _task_id(self, name: str) -> str:
        """The id of notebook ``name``'s task in this run (its kernel is known by it)."""
        return self._task_ids.setdefault(
            name, f"{self.run}-{name}-{os.getpid()}-{time.monotonic_ns()}")

    def _kernel_log(self, name: str) -> str:
        return str(self.root_out / ".runs" / "logs" / f"{self.run}-{name}.log")

    def _warm_ahead(self, warmer, warmed: set, pending: dict, running: dict,
                    results: dict) -> None:
        """Start the kernels of the next notebooks that can run (their dependencies
        finished), at most ``jobs`` of them waiting at a time."""
        waiting = sum(1 for name in warmed if name in pending)
        busy = set(running.values())
        for name, spec in pending.items():
            if waiting >= self.jobs:
                return
            if name in warmed or any(
                    d in pending or d in busy
                    or results.get(d, NotebookResult(d, "")).status not in ("ran", "up-to-date")
                    for d in spec.depends_on):
                continue
            warmer.start({"task_id": self._task_id(name), "cwd": str(spec.path.parent),
                          "kernel_log": self._kernel_log(name)})
            warmed.add(name)
            waiting += 1

    def _task(self, spec, params, staging: Path, position: int) -> dict:
        # the claim rows the notebook sees, as this run's pipeline file declares them
        selector = domains_file(staging, spec.name[:2])
        selector.parent.mkdir(parents=True, exist_ok=True)
        told = {"domains": None if spec.claims_domains is None else list(spec.claims_domains)}
        if spec.claims_other_rows is not None:
            told["other_rows"] = list(spec.claims_other_rows)
        # figures drawn from unchanged inputs in an earlier run are reused, unless --force
        told["figures"] = {"salt": self._figure_salts.get(spec.name),
                           "reuse": not self.force}
        selector.write_text(json.dumps(told) + "\n", encoding="utf-8")
        rel_out = staging.relative_to(self.paths.root).as_posix() if self.paths.root in \
            staging.parents else str(staging)
        progress = ({"desc": spec.name, "position": position, "leave": False}
                    if self.progress and not self.dask_scheduler else False)
        return {
            "name": spec.name,
            "source": str(spec.path),
            "target": str(staging / "notebooks" / f"{spec.name}.ipynb"),
            "parameters": {**params, "output_dir": rel_out},
            "cwd": str(spec.path.parent),
            "progress": progress,
            "kernel_log": self._kernel_log(spec.name),
            "timeout": self.timeout,
            "task_id": self._task_id(spec.name),
        }

    def _check_outputs(self, spec, params, staging: Path) -> tuple[str | None, dict]:
        """A problem with what the notebook wrote (or None), and its status record.

        Each declared file must exist and be non-empty, unless the notebook's status
        file gives a reason why its output was not produced; no other figure or table
        of the notebook's number may be written.
        """
        declared = self._declared_outputs(spec, params)
        try:
            status = read_status(staging, spec.name[:2])
        except StatusError as exc:
            return str(exc), {}
        reasons = status["not_produced"]
        names = {output_name(rel) for rel in declared}
        unknown = sorted(set(reasons) - names)
        if unknown:
            return (f"{status_file(spec.name[:2])} records output(s) the pipeline file does "
                    f"not declare for {spec.name}: {', '.join(unknown)}"), status
        present = {rel for rel in declared if (staging / rel).is_file()}
        written = {rel for rel in present if (staging / rel).stat().st_size > 0}
        both = sorted(rel for rel in present if output_name(rel) in reasons)
        if both:
            return ("output(s) both written and recorded as not produced in "
                    f"{status_file(spec.name[:2])}: {', '.join(both)}"), status
        missing = [rel for rel in declared if rel not in written
                   and output_name(rel) not in reasons]
        if missing:
            return (f"declared output(s) missing or empty, with no reason recorded in "
                    f"{status_file(spec.name[:2])}: {', '.join(missing)}"), status
        prefix = spec.name[:2] + "_"
        extra = sorted(p.relative_to(staging).as_posix()
                       for sub in ("figures", "tables") if (staging / sub).is_dir()
                       for p in (staging / sub).iterdir()
                       if p.name.startswith(prefix)
                       and p.relative_to(staging).as_posix() not in declared)
        if extra:
            return ("undeclared output(s) written (add them to the pipeline file): "
                    + ", ".join(extra)), status
        return None, status

    def _prune_undeclared(self, staging: Path, records: dict | None = None) -> list[str]:
        """Drop figures, tables and status files of no notebook of the pipeline (renamed
        or stray files) and files recorded as not produced; return the declared ones
        present and the status files, for SHA256SUMS."""
        declared = {rel for spec in self.pipeline.notebooks
                    for rel in self._declared_outputs(spec, self.parameters(spec))}
        declared -= {rel for rec in (records or {}).values()
                     for rel in rec.get("not_produced", {})}
        declared |= {status_file(spec.name[:2]) for spec in self.pipeline.notebooks}
        for sub in ("figures", "tables", STATUS_DIR):
            folder = staging / sub
            for path in sorted(folder.iterdir()) if folder.is_dir() else []:
                if path.relative_to(staging).as_posix() not in declared:
                    path.unlink()
        return sorted(rel for rel in declared if (staging / rel).is_file())

    def _keep_failed(self, name: str, staging: Path) -> Path | None:
        executed = staging / "notebooks" / f"{name}.ipynb"
        if not executed.is_file():
            return None
        target = self.root_out / ".failed" / self.run / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(executed, target)
        return target

    def _failure_message(self, res: NotebookResult, failed_path: Path | None) -> str:
        where = f"cell {res.cell}" if res.cell is not None else "no cell"
        keep = f"; executed notebook kept at {self.paths.relative(failed_path)}" \
            if failed_path else ""
        return (f"notebook {res.name} failed at {where}: {res.error}{keep}; "
                f"previous outputs in {self.paths.relative(self.run_dir)}/ are unchanged")

    @staticmethod
    def _report_lang(specs, params_by_nb) -> str:
        """The language of the run's report (the first notebook's ``lang``)."""
        return (params_by_nb[specs[0].name] if specs else {}).get("lang", "en")

    def _build_report(self, specs, staging: Path, params_by_nb, records: dict) -> None:
        from helpers.batch.report import build_report
        from helpers.data.metadata import MetadataError, load_metadata

        chosen = [s for s in self.pipeline.notebooks
                  if (staging / "notebooks" / f"{s.name}.ipynb").is_file()]
        notebooks = [staging / "notebooks" / f"{s.name}.ipynb" for s in chosen]
        params = params_by_nb[specs[0].name] if specs else {}
        meta = None
        if params.get("claims_path"):
            with contextlib.suppress(MetadataError):
                meta = load_metadata(params["claims_path"])
        not_produced = {}
        for spec in chosen:
            files = records.get(spec.name, {}).get("not_produced", {})
            entries = []
            for name, caption, kind in [*((n, c, "figure") for n, c in spec.figures.items()),
                                        *((n, c, "table") for n, c in spec.tables.items())]:
                rels = [rel for rel in files if output_name(rel) == f"{spec.name[:2]}_{name}"
                        and rel.startswith(f"{kind}s/")]
                if rels:
                    entries.append({"kind": kind, "caption": caption, "files": rels,
                                    "reason": files[rels[0]]})
            if entries:
                not_produced[spec.name] = entries
        build_report(notebooks, staging / "report.html", show_code=self.show_code,
                     lang=self._report_lang(specs, params_by_nb), meta=meta,
                     not_produced=not_produced)

    def _write_manifest(self, staging, specs, params_by_nb, state, key_versions, started,
                        ordered) -> None:
        inputs = {}
        for spec in specs:
            for f in self._input_files(spec, params_by_nb[spec.name]):
                if f.is_file():
                    inputs[shown_path(f)] = sha256_file(f)
        records = state["notebooks"]
        outputs = {p.relative_to(staging).as_posix(): sha256_file(p)
                   for p in sorted(staging.rglob("*"))
                   if p.is_file() and p.name != "manifest.json"}
        manifest = {
            "run": self.run,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "git": _git_state(self.paths.root),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "packages": key_versions,
            "claims": self._claims_record(params_by_nb[specs[0].name]) if specs else None,
            "notebooks": {r.name: {
                "status": r.status, "seconds": r.seconds,
                "parameters": self._shown_parameters(params_by_nb[r.name]),
                "skipped_sections": records.get(r.name, {}).get("skipped_sections", []),
                "not_produced": dict(sorted(
                    records.get(r.name, {}).get("not_produced", {}).items())),
            } for r in ordered},
            "inputs": dict(sorted(inputs.items())),
            "outputs": outputs,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1,
                                                          ensure_ascii=False) + "\n",
                                               encoding="utf-8")

    def _shown_parameters(self, params: dict) -> dict:
        """Parameters as the manifest records them: the claims file by :func:`shown_path`."""
        shown = dict(params)
        if isinstance(shown.get("claims_path"), str):
            shown["claims_path"] = shown_path(shown["claims_path"])
        return shown

    def _claims_record(self, params: dict) -> dict | None:
        """The claims file of the run: where (shown), its sha256 and the county it is about."""
        from helpers.data.metadata import MetadataError, load_metadata

        claims = params.get("claims_path")
        if not isinstance(claims, str):
            return None
        file = self.paths.resolve(claims)
        record = {"path": shown_path(file),
                  "sha256": sha256_file(file) if file.is_file() else "missing"}
        try:
            meta = load_metadata(claims)
        except MetadataError:
            return record
        record.update(county={k: meta.county[k] for k in sorted(meta.county)},
                      reporting_date=meta.reporting_date.isoformat(),
                      fictional=meta.fictional,
                      sources=[s.id for s in meta.sources])
        return record

    def _swap(self, staging: Path) -> None:
        """Replace the run folder by the staged one in two renames; if the second fails,
        the previous folder is put back (a run is never left without its outputs)."""
        trash = None
        if self.run_dir.exists():
            trash = self.root_out / ".staging" / f"{self.run}-old-{os.getpid()}"
            os.replace(self.run_dir, trash)
        try:
            os.replace(staging, self.run_dir)
        except BaseException:
            if trash is not None:
                os.replace(trash, self.run_dir)
            raise
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)


class SectionRenderer:
    """Renders the report sections of finished notebooks, one at a time in a thread of
    its own, while the other notebooks run (:func:`helpers.batch.report.prepare_section`
    keeps each in the report's cache, where the final build finds it), so that after the
    last notebook only the page is left to assemble.  A section that fails to render is
    passed over (the build renders it again and reports what is wrong)."""

    def __init__(self, lang: str, show_code: bool):
        self.lang = lang
        self.show_code = show_code
        self.pool: cf.ThreadPoolExecutor | None = None

    def add(self, notebook: Path) -> None:
        """Render ``notebook``'s section once the earlier ones are done."""
        if self.pool is None:
            import helpers.batch.report  # noqa: F401  (in this thread: no import race)

            self.pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="report")
        self.pool.submit(_prepare_section, notebook, self.lang, self.show_code)

    def close(self, wait: bool) -> None:
        """Wait for the sections asked for (``wait``), or drop those not yet started."""
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=not wait)


def _prepare_section(notebook: Path, lang: str, show_code: bool) -> None:
    from helpers.batch.report import prepare_section

    with contextlib.suppress(Exception):
        prepare_section(notebook, lang=lang, show_code=show_code)


class _DaskPool:
    """The subset of Executor the runner uses, backed by a Dask distributed client."""

    def __init__(self, client):
        self.client = client

    def submit(self, fn, *args):
        future = self.client.submit(fn, *args, pure=False)
        wrapped: cf.Future = cf.Future()
        future.add_done_callback(lambda f: _settle(wrapped, f))
        return wrapped

    def workers(self) -> int:
        """How many workers the scheduler has now (0 when it cannot be asked)."""
        try:
            return len(self.client.scheduler_info().get("workers", {}))
        except Exception:
            return 0

    def shutdown(self, wait=True, cancel_futures=False):
        with contextlib.suppress(Exception):
            self.client.close(timeout=5 if wait else 2)


def _settle(wrapped: cf.Future, future) -> None:
    if wrapped.done():
        return
    try:
        result = future.result()
    except BaseException as exc:  # a cancelled future raises CancelledError
        with contextlib.suppress(cf.InvalidStateError):
            wrapped.set_exception(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))
        return
    with contextlib.suppress(cf.InvalidStateError):
        wrapped.set_result(result)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _record_ok(record, run_dir: Path, root: Path) -> bool:
    """Whether a state record has the types this runner writes and only paths inside the
    run folder (outputs) or the project (files read)."""
    if not isinstance(record, dict) or not isinstance(record.get("fingerprint"), str):
        return False
    for key in ("outputs", "not_produced"):
        value = record.get(key, {})
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and inside(run_dir, k) is not None
                for k, v in value.items()):
            return False
    reads = record.get("reads", [])
    view = record.get("view")
    return isinstance(reads, list) and all(
        isinstance(r, str) and inside(root, r) is not None for r in reads) and (
        view is None or view_ok(view))


def claims_inputs(claims_path: str | os.PathLike[str]) -> list[Path]:
    """The files a claims file brings to a run: itself, its metadata sidecar and, for
    each source the sidecar names, the text, its provenance record and its exclusions.

    A sidecar that cannot be read contributes only itself (the claims check before
    any kernel starts reports what is wrong with it).
    """
    from helpers.data.metadata import MetadataError, load_metadata, resolve_source, sidecar_path

    paths = get_paths()
    files = [paths.resolve(claims_path), sidecar_path(claims_path)]
    try:
        meta = load_metadata(claims_path)
    except MetadataError:
        return files
    for source in meta.sources:
        for rel in (source.path, source.provenance, source.exclusions):
            if rel:
                files.append(resolve_source(claims_path, rel))
    return list(dict.fromkeys(files))


def run(pipeline: Pipeline, run: str = "default", **kwargs) -> RunResult:
    """Convenience wrapper: ``Runner(pipeline, run, **kwargs).execute()``."""
    try:
        return Runner(pipeline, run, **kwargs).execute()
    except PipelineError as exc:
        raise RunError(str(exc)) from None


def comparison_name(names: list[str]) -> str:
    """The run folder of a batch's comparison: ``compare-<run names>`` when short, else
    ``compare-<N>_counties-<hash>`` (a hash of the names, so each batch has its own)."""
    joined = "compare-" + "_".join(names)
    if len(joined) <= 60 and all(c.isascii() and (c.isalnum() or c in "_.-") for c in joined):
        return joined
    digest = hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:6]
    return f"compare-{len(names)}_counties-{digest}"


def run_comparison(claims_paths: list, names: list[str], *, pipeline: Pipeline | None = None,
                   lang: str = "en", outputs_root: Path | None = None,
                   batch_name: str | None = None) -> Path:
    """The batch's comparison stage, after the per-county runs.

    Executes every ``batch: true`` notebook of the pipeline (``05_compare``) once, with
    the batch's claims files as ``claims_paths``, into ``outputs/<batch>/`` (figures,
    tables and the executed notebook under ``notebooks/``), and writes the raw join of
    all ids as ``tables/claims_comparison.csv`` beside them.  Returns the folder.
    Raises :class:`RunError` naming the notebook when one fails.
    """
    from helpers.analysis.compare import compare_runs
    from helpers.batch.execution import execute
    from helpers.batch.pipeline import load_pipeline

    paths = get_paths()
    pipeline = pipeline or load_pipeline()
    target = (outputs_root or paths.outputs) / (batch_name or comparison_name(names))
    shown = []
    for p in claims_paths:
        rel = paths.relative(p)
        shown.append(rel if (paths.root / rel).exists() else str(Path(p).resolve()))
    for spec in pipeline.batch_notebooks:
        try:
            execute(spec.path, target / "notebooks" / spec.path.name,
                    {"claims_paths": shown, "output_dir": paths.relative(target),
                     "lang": lang, "figure_formats": ["svg", "png"]}, cwd=paths.root)
        except Exception as exc:  # papermill's execution error names the cell
            raise RunError(f"comparison notebook {spec.name} failed: "
                           f"{str(exc).strip().splitlines()[-1] if str(exc).strip() else exc}; "
                           f"executed notebook kept at "
                           f"{paths.relative(target / 'notebooks' / spec.path.name)}") from None
    compare_runs(claims_paths, names, target / "tables" / "claims_comparison.csv", lang)
    return target
