"""Kernels forked from the fork server (helpers.batch.kernelfork): the kernel the usual
command starts, with the common modules already imported, in a session of its own, gone
with the process that asked for it."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from pipeline_fixtures import wait_gone

from helpers.batch import kernelfork, runner

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="kernels are forked on Linux only")

#: What a kernel reports about itself before any notebook cell has run.
PROBE = textwrap.dedent("""\
    import json as _j, os as _o, sys as _s, matplotlib as _m
    print(_j.dumps({"pid": _o.getpid(), "ppid": _o.getppid(), "cwd": _o.getcwd(),
                    "path": _s.path, "argv0": _o.path.basename(_s.argv[0]),
                    "backend": _m.get_backend(), "env": sorted(_o.environ),
                    "watched": _o.environ.get("JPY_PARENT_PID") == str(_o.getppid())
                    == str(__import__("ipykernel.kernelapp").kernelapp.IPKernelApp
                           .instance().parent_handle),
                    "session_leader": _o.getsid(0) == _o.getpid(),
                    "main": _s.modules["__main__"].__name__,
                    "modules": sorted(_s.modules)}))
    """)


async def _probe(fork: bool, cwd) -> dict:
    km = runner.kernel_manager_class(None, fork=fork)(kernel_name="python3")
    await km.start_kernel(extra_arguments=list(runner._KERNEL_ARGUMENTS), cwd=str(cwd))
    kc = km.client()
    kc.start_channels()
    out: list[str] = []
    try:
        await kc.wait_for_ready(timeout=60)
        await kc.execute_interactive(
            PROBE, timeout=60, output_hook=lambda msg: out.append(msg["content"]["text"])
            if msg["msg_type"] == "stream" else None)
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
    return json.loads("".join(out))


def test_a_forked_kernel_is_the_kernel_the_command_starts(tmp_path):
    usual = asyncio.run(_probe(False, tmp_path))
    forked = asyncio.run(_probe(True, tmp_path))
    assert usual["ppid"] == os.getpid()
    assert forked["ppid"] != os.getpid()  # forked by the server, not started by this process
    for key in ("cwd", "path", "argv0", "backend", "env", "watched", "session_leader",
                "main"):
        assert forked[key] == usual[key], key
    assert forked["watched"] and forked["session_leader"]
    assert forked["backend"] == kernelfork.INLINE_BACKEND
    # the server's imports are there before any cell; the project's own modules are not
    # (a kernel imports them from disk as they are now)
    assert "pandas" in forked["modules"] and "pandas" not in usual["modules"]
    assert not [m for m in forked["modules"]
                if m.startswith("helpers.") and m != "helpers.batch.kernelfork"
                and m != "helpers.batch"]


async def _forked(cwd):
    km = runner.kernel_manager_class(None, fork=True)(kernel_name="python3")
    await km.start_kernel(extra_arguments=[], cwd=str(cwd))
    return km


def test_kernels_of_one_process_are_forks_of_one_server(tmp_path):
    async def two():
        kms = [await _forked(tmp_path), await _forked(tmp_path)]
        pids = [km.provisioner.process.pid for km in kms]
        parents = set()
        for pid in pids:
            with open(f"/proc/{pid}/stat") as f:
                parents.add(int(f.read().rsplit(")", 1)[1].split()[1]))
        for km in kms:
            await km.shutdown_kernel(now=True)
        return pids, parents

    if not os.path.isdir("/proc"):
        pytest.skip("reads parents from /proc")
    pids, parents = asyncio.run(two())
    assert len(set(pids)) == 2
    assert len(parents) == 1 and parents != {os.getpid()}


def test_a_forked_kernel_is_killed_polled_and_waited_for_like_a_popen(tmp_path):
    async def check():
        km = await _forked(tmp_path)
        process = km.provisioner.process
        assert isinstance(process, kernelfork.ForkedKernel)
        assert process.poll() is None
        assert km.provisioner.pgid == process.pid  # signals reach its process group
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)
        process.kill()
        assert process.wait(timeout=10) == -signal.SIGKILL
        assert process.poll() == -signal.SIGKILL
        with pytest.raises(ProcessLookupError):
            os.kill(process.pid, 0)
        await km.shutdown_kernel(now=True)  # of a kernel already gone: no error

    asyncio.run(check())


def test_kernels_end_with_the_process_that_asked_for_them(tmp_path):
    """Killed outright (no cleanup runs), the process that asked leaves no kernel: its
    fork server stops at the end of its requests and each kernel follows its parent.
    The script has no ``if __name__ == "__main__"`` guard: nothing runs it again.  Its
    fork server imports only ipykernel ahead, as the runner tests' command line does (what
    it imports plays no part in how long a kernel lives; pandas, matplotlib and seaborn
    were most of the test's time)."""
    script = tmp_path / "ask.py"
    script.write_text(textwrap.dedent(f"""\
        import asyncio
        from helpers.batch import kernelfork, runner

        kernelfork.PRELOAD = ("ipykernel.kernelapp",)  # read when the server starts

        async def main():
            km = runner.kernel_manager_class(None, fork=True)(kernel_name="python3")
            await km.start_kernel(extra_arguments=[], cwd={str(tmp_path)!r})
            print(km.provisioner.process.pid, flush=True)
            await asyncio.sleep(60)

        asyncio.run(main())
        """))
    asker = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        kernel = int(asker.stdout.readline())
        os.kill(kernel, 0)  # runs
    finally:
        asker.kill()
        asker.wait()
    wait_gone(kernel, within=15)
    try:
        os.kill(kernel, signal.SIGKILL)
    except ProcessLookupError:
        return
    pytest.fail("the kernel outlived the process that asked for it")


@pytest.mark.parametrize("cmd, ok", [
    ([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"], True),
    (["/usr/bin/python3-other", "-m", "ipykernel_launcher", "-f", "c.json"], False),
    ([sys.executable, "-m", "other_kernel", "-f", "c.json"], False),
    (["julia", "kernel.jl"], False),
])
def test_only_ipykernel_of_this_interpreter_is_forked(cmd, ok):
    assert kernelfork.usable(cmd) is ok


def test_a_server_of_other_packages_is_replaced(monkeypatch):
    """The runner names the installed packages' versions as the server's key: a process
    that lives on (a notebook calling the runner) gets a new server once they change, and
    keeps its server while they do not."""
    monkeypatch.setattr(kernelfork, "_SERVER", None)
    monkeypatch.setattr(kernelfork, "_SERVER_KEY", None)
    monkeypatch.setattr(kernelfork, "PRELOAD", ())  # a server that imports nothing
    try:
        kernelfork.start_server()  # as the command line does, before the key is known
        first = kernelfork._SERVER
        kernelfork.start_server("packages-1")  # takes the first key given
        kernelfork.start_server("packages-1")
        kernelfork.start_server()
        assert kernelfork._SERVER is first and first.poll() is None
        kernelfork.start_server("packages-2")
        assert kernelfork._SERVER is not first and kernelfork._SERVER.poll() is None
        assert first.poll() is not None  # stopped
    finally:
        kernelfork.stop_server()


def test_no_server_starts_where_kernels_are_not_forked(monkeypatch):
    monkeypatch.setattr(kernelfork, "_FORKS", False)
    monkeypatch.setattr(kernelfork, "_SERVER", None)
    kernelfork.start_server("packages")
    assert kernelfork._SERVER is None
    assert not kernelfork.usable([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"])
