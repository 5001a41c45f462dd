"""Kernels forked from a server that has imported the notebooks' common modules.

A kernel started the usual way (``python -m ipykernel_launcher``) spends about a second
of CPU before a notebook's first cell has done anything: the interpreter, ipykernel and
IPython, then pandas, matplotlib and seaborn in the setup cell.  A local run starts one
kernel per notebook.  Here a fork server, started once per process that runs notebooks,
imports those third-party modules (:data:`PRELOAD`), and each kernel is a fork of it that
starts ipykernel with the arguments, environment and folder the usual command would have
had: :func:`launch`.

- **No state between notebooks**: the server runs no notebook code; each kernel is a
  fresh fork of it, in a session of its own (signals reach it and what it starts).
- **The project's own modules are not preloaded**: each kernel imports them from disk,
  as they are now, not as they were when the server started.
- **Nothing else runs in a fork**: the standard library's ``forkserver`` context would
  run the starting script again in every kernel (its "main module" rule), so the server
  is this module's :func:`serve`, reading one request per line.
- **Where a fork cannot do what the command would** (not ipykernel of this interpreter,
  not Linux), :func:`usable` says so and the caller starts the kernel as usual.
- The server reaps its forks itself, so a forked kernel's exit status is not known:
  :meth:`ForkedKernel.poll` tells whether it still runs (0 once it ended, or minus the
  signal this process killed it with).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

#: Third-party modules every notebook's first cells import, imported once in the server
#: (the inline matplotlib backend is not: it hooks into the kernel's shell on import);
#: read when the server starts.
PRELOAD = ("zmq", "tornado", "IPython", "ipykernel.ipkernel", "ipykernel.kernelapp",
           "numpy", "pandas", "matplotlib.pyplot", "seaborn", "yaml", "cn2an")

#: What ipykernel makes the matplotlib backend when the environment names none.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

#: Whether kernels are forked on this platform (see :func:`usable`).
_FORKS = sys.platform.startswith("linux")

_LOCK = threading.Lock()
_SERVER: subprocess.Popen | None = None
#: What the running server's imports were made from (see :func:`start_server`).
_SERVER_KEY: str | None = None


def usable(kernel_cmd: list[str]) -> bool:
    """Whether ``kernel_cmd`` starts ipykernel in this interpreter on Linux: what a fork of
    the server can do instead.  Elsewhere kernels start as usual (macOS's system libraries
    are not safe to use in a fork once loaded, which is why Python itself starts
    processes there by spawning them)."""
    return (_FORKS and len(kernel_cmd) >= 3
            and list(kernel_cmd[1:3]) == ["-m", "ipykernel_launcher"]
            and os.path.realpath(kernel_cmd[0]) == os.path.realpath(sys.executable))


def start_server(key: str | None = None) -> None:
    """Start the fork server, which imports :data:`PRELOAD` in the background; a no-op
    while it runs.  It stops when this process closes its end of the request pipe (at
    exit, or :func:`stop_server`).

    ``key`` names what its imports come from (the runner gives the hash of the installed
    package versions): a server started under another key is stopped and a new one
    started, so a long-lived process (a notebook calling the runner) never forks kernels
    with modules imported before a package changed.  A server started without a key
    takes the first key given.  Where kernels are not forked (:func:`usable`), nothing
    starts."""
    global _SERVER, _SERVER_KEY
    if not _FORKS:
        return
    with _LOCK:
        running = _SERVER is not None and _SERVER.poll() is None
        if running and key is not None and _SERVER_KEY not in (None, key):
            _stop(_SERVER)
            running = False
        if running:
            _SERVER_KEY = _SERVER_KEY or key
        else:
            _SERVER_KEY = key
            _SERVER = subprocess.Popen(
                [sys.executable, "-c", "from helpers.batch.kernelfork import serve; serve()",
                 *PRELOAD],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                start_new_session=True)  # not stopped by the terminal's Ctrl-C


def stop_server() -> None:
    """Stop the fork server; a no-op if none runs.  Kernels forked from it end within
    a second or two (each watches its parent, the server)."""
    global _SERVER, _SERVER_KEY
    with _LOCK:
        server, _SERVER, _SERVER_KEY = _SERVER, None, None
    if server is not None:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    server.stdin.close()  # the end of its requests
    server.stdout.close()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:  # still importing: nothing of it is needed
        server.kill()
        server.wait()


class ForkedKernel:
    """A forked kernel process, with the part of :class:`subprocess.Popen` that
    jupyter_client's provisioner and the runner use."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None
        self._signal = 0

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except (ProcessLookupError, PermissionError):  # gone (or the pid another user's)
                self.returncode = -self._signal
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(["ipykernel_launcher"], timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)
            if signum in (signal.SIGKILL, signal.SIGTERM):
                self._signal = signum

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def launch(kernel_cmd: list[str], *, env: dict, cwd: str, log_path: str | None) -> ForkedKernel:
    """Fork a kernel from the server (started if need be): ``kernel_cmd``'s arguments, in
    ``cwd`` with ``env`` as its whole environment, stdout and stderr appended to
    ``log_path`` (or discarded).  Waits for the server to have imported :data:`PRELOAD`;
    raises ``OSError`` if it cannot fork."""
    start_server()
    request = json.dumps({"argv": list(kernel_cmd[3:]), "env": dict(env), "cwd": str(cwd),
                          "log_path": log_path}) + "\n"
    with _LOCK:
        server = _SERVER
        try:
            server.stdin.write(request.encode())
            server.stdin.flush()
            reply = server.stdout.readline()
        except (OSError, ValueError) as exc:
            raise OSError(f"the kernel fork server stopped: {exc}") from None
    if not reply.strip().isdigit():
        raise OSError(f"the kernel fork server stopped (exit status {server.poll()})")
    return ForkedKernel(int(reply))


def serve() -> None:
    """The fork server: import the modules named by its arguments (:data:`PRELOAD` when
    :func:`start_server` started it), then for each request line on stdin fork a kernel and
    write its pid on stdout; stop at the end of stdin."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # nothing printed on import can reach the replies
    os.close(null)
    for name in sys.argv[1:]:
        try:
            __import__(name)
        except ImportError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped by the system
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            requests.close()
            replies.close()
            code = 1
            try:
                code = _kernel_main(**request)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        replies.write(f"{pid}\n".encode())
        replies.flush()


def _kernel_main(argv: list[str], env: dict, cwd: str, log_path: str | None) -> int:
    """In the fork: become what ``python -m ipykernel_launcher ARGV`` started in ``cwd``
    with ``env`` would be, then run the kernel until it is shut down."""
    os.setsid()  # as jupyter_client starts kernels: a session and process group of its own
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    target = os.open(log_path or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(target, 1)
    os.dup2(target, 2)
    os.close(target)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env, JPY_PARENT_PID=str(os.getppid()))
    # the parent the kernel watches (it exits when that one is gone) is the server, which
    # stops when the process that asked for the kernel is gone; ipykernel read
    # JPY_PARENT_PID on import, in the server, so it is given as an argument too
    watched = f"--IPKernelApp.parent_handle={os.getppid()}"
    import ipykernel_launcher
    import matplotlib

    # matplotlib read the environment when the server imported it; ipykernel's default
    # (the inline backend unless MPLBACKEND names one) is set before any figure exists
    matplotlib.rcParams["backend"] = env.get("MPLBACKEND") or INLINE_BACKEND
    sys.argv = [ipykernel_launcher.__file__, *argv]
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher does
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=[*argv, watched])
    return 0
