"""A kernel-free stand-in for the runner's ``execute_task``: for runner tests where a kernel
adds nothing (the runner's bookkeeping: fingerprints, state, staging, swaps, manifests).

The batch runner submits ``execute_task(task)`` (``helpers.batch.runner``) to its pool; the
``fake_execution`` fixture of ``tests/conftest.py`` replaces it with
:func:`fake_execute_task`, which executes the notebook's code cells in this process, each
notebook in a fresh namespace:

- parameters are injected as papermill injects them (papermill's own
  ``parameterize_notebook``: an ``injected-parameters`` cell after the ``parameters`` cell);
- each code cell runs in order with an execution count, ``print`` goes to the cell's stdout
  stream, ``display(obj)`` to a ``display_data`` (its ``repr`` as ``text/plain``) and a
  last bare expression to an ``execute_result``, in order, as in a kernel; the first
  error stops the notebook and is recorded as the cell's ``error`` output, and papermill's
  own ``raise_for_execution_errors`` adds its markers and raises;
- the executed notebook is written to ``task["target"]`` with nbformat, cleaned as
  :func:`helpers.batch.execution.clean` cleans a real one;
- the result is the dict ``execute_task`` returns: ``name``, ``status`` (``ok`` or
  ``failed``), ``cell`` (the failing cell's execution count), ``error``
  (``"<ename>: <last line of evalue>"``) and ``seconds``.

Limits (tests of these keep real kernels): no kernel process, so nothing to time out,
interrupt or kill; threads share this process (its audit hooks, imported modules, working
directory: the code must not ``chdir``); no rich display (HTML, Markdown, figures); the
notebook's cwd is not set (the tiny notebooks of ``tests/pipeline_fixtures.py`` use
absolute paths); no ``helpers.notebook.setup`` (its audit hook and the reads and claims
view it records are per process: one kernel, one notebook).

Where a notebook writes: the code resolves ``output_dir`` with ``get_paths()``, in this
process as in a kernel (both find the project root from the ``helpers`` package, or from
``POVERTY_NOTEBOOKS_ROOT``, which a kernel inherits), so a test's run writes where the runner
says, inside its scratch folder.  A task whose ``output_dir`` (or target) is in the
project's ``outputs/`` but not in a test's scratch folder (``outputs/.test-*``, as
``Sandbox`` makes) is refused (``status`` ``failed``): a test must never write the
committed references (``outputs/default/``) or a user's runs.
"""

from __future__ import annotations

import ast
import threading
import time
import traceback
from pathlib import Path

import nbformat

__all__ = ["execute_in_process", "fake_execute_task", "patch_runner", "unsafe_destination"]

#: Held while a cell's code is turned into an AST and compiled.  Python 3.11 keeps the AST
#: constructor's recursion depth in state shared by all threads; two notebooks parsing at
#: once in this process (the runner's pool, ``jobs=2``) can fail with "SystemError: AST
#: constructor recursion depth mismatch" (CPython gh-106905).  A kernel is a process of its
#: own, so real runs never share it; only the compile steps are serialised, not the code.
_AST_LOCK = threading.Lock()

#: The notebook metadata an IPython kernel reports (its version is removed by ``clean``).
LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                 "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                 "pygments_lexer": "ipython3"}


class _Outputs(list):
    """A cell's outputs in the order a kernel sends them: consecutive writes to stdout make
    one stream output (as nbclient joins them), ``display(obj)`` a ``display_data``."""

    def write(self, text: str) -> int:
        if self and self[-1]["output_type"] == "stream" and self[-1]["name"] == "stdout":
            self[-1]["text"] += text
        elif text:
            self.append(nbformat.v4.new_output("stream", name="stdout", text=text))
        return len(text)

    def flush(self) -> None:
        pass

    def display(self, *objs, **kwargs) -> None:
        for obj in objs:
            self.append(nbformat.v4.new_output("display_data", {"text/plain": repr(obj)}))


def _run_cell(source: str, namespace: dict, outputs: _Outputs, count: int) -> None:
    """Run one cell's code; a last bare expression's value (not None) is its result."""
    with _AST_LOCK:
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = compile(tree, "<cell>", "exec")
        expr = None if last is None else compile(ast.Expression(last.value), "<cell>", "eval")
    exec(body, namespace)
    if expr is not None:
        value = eval(expr, namespace)
        if value is not None:
            outputs.append(nbformat.v4.new_output("execute_result", {"text/plain": repr(value)},
                                                  execution_count=count))


def execute_in_process(source, target, parameters: dict | None = None) -> Path:
    """Execute notebook ``source`` in this process into ``target`` (written, cleaned);
    raise papermill's ``PapermillExecutionError`` for a failing cell, as
    :func:`helpers.batch.execution.execute` does."""
    from papermill.execute import raise_for_execution_errors, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from helpers.batch.execution import clean

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = load_notebook_node(str(source))  # as papermill loads it (every cell has tags)
    if parameters:
        nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
    nb = remove_error_markers(nb)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    namespace: dict = {"__name__": "__main__"}
    count = 0
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            outputs = _Outputs()
            namespace["print"] = lambda *a, _out=outputs, **k: print(
                *a, **{**k, "file": k.get("file") or _out})
            namespace["display"] = outputs.display
            try:
                _run_cell(cell.source, namespace, outputs, count)
            except Exception as exc:  # recorded as the kernel records it, then stop
                outputs.append(nbformat.v4.new_output(
                    "error", ename=type(exc).__name__, evalue=str(exc),
                    traceback=traceback.format_exception(type(exc), exc, exc.__traceback__)))
                cell.outputs = list(outputs)
                break
            cell.outputs = list(outputs)
        raise_for_execution_errors(nb, str(target))  # writes the notebook before raising
        nbformat.write(nb, target)
    finally:
        if target.exists():
            nbformat.write(clean(nbformat.read(target, as_version=4)), target)
    return target


def unsafe_destination(task: dict) -> str | None:
    """Why ``task`` would write outside a test's scratch folder (or None): its
    ``output_dir`` is missing (the notebook's own default, e.g. ``outputs/default``, would
    be used), or it or the target is in the project's ``outputs/`` outside
    ``outputs/.test-*/``."""
    from helpers.paths import get_paths

    paths = get_paths()
    if "output_dir" not in (task.get("parameters") or {}):
        return "no output_dir parameter (the notebook would write to its default)"
    outputs = paths.outputs.resolve()
    for what, where in (("output_dir", paths.resolve(task["parameters"]["output_dir"])),
                        ("target", Path(task["target"]))):
        where = where.resolve()
        if where == outputs or outputs in where.parents:
            first = where.relative_to(outputs).parts[:1]
            if not first or not first[0].startswith(".test-"):
                return f"{what} {where} is in the project's outputs/, not in outputs/.test-*/"
    return None


def fake_execute_task(task: dict) -> dict:
    """``helpers.batch.runner.execute_task`` without a kernel; never raises (a task that
    would write outside a test's scratch folder fails: :func:`unsafe_destination`)."""
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    result = {"name": task["name"], "status": "ok", "cell": None, "error": None}
    unsafe = unsafe_destination(task)
    if unsafe:
        result.update(status="failed", error=f"fake_execution refuses the task: {unsafe}",
                      seconds=0.0)
        return result
    if task.get("kernel_log"):  # the real one logs the kernel's stderr there
        log = Path(task["kernel_log"])
        log.parent.mkdir(parents=True, exist_ok=True)
        log.touch()
    try:
        execute_in_process(task["source"], task["target"], task["parameters"])
    except PapermillExecutionError as exc:
        last_line = (str(exc.evalue).strip().splitlines() or [""])[-1]
        result.update(status="failed", cell=exc.exec_count, error=f"{exc.ename}: {last_line}")
    except Exception as exc:
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}")
    result["seconds"] = round(time.perf_counter() - start, 3)
    return result


def patch_runner(set_attr=setattr) -> None:
    """Make ``helpers.batch.runner`` execute without a kernel (the ``fake_execution``
    fixture of ``tests/conftest.py`` calls it): ``execute_task`` is :func:`fake_execute_task`,
    no kernel is started ahead (warmed) for a task, no fork server starts, and starting a
    kernel in any other way raises.  ``set_attr`` is ``setattr`` (a command line of a test
    in a process of its own: ``FAKE_CLI`` of ``tests/batch/test_runner.py``) or a
    ``monkeypatch.setattr``."""
    import helpers.batch.runner as runner

    set_attr(runner, "execute_task", fake_execute_task)
    real_init = runner.Runner.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        if hasattr(self, "warm"):
            self.warm = False

    set_attr(runner.Runner, "__init__", init)

    def no_kernel(*args, **kwargs):
        raise AssertionError("fake_execution: a kernel was started")

    set_attr(runner, "kernel_manager_class", no_kernel)
    set_attr(runner.kernelfork, "start_server", lambda: None)  # no kernel to fork
