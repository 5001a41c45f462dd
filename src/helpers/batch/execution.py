"""Execute notebooks with papermill and strip volatile metadata from the result.

Used by ``make reference`` (notebooks executed in place with default parameters,
so the committed notebooks carry the outputs of a default run) and by the batch
runner.  Stripping removes what changes on every run without changing meaning:
papermill's timing metadata, execution timestamps and the Python patch version.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

#: Cell metadata keys that change on every run.
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove run-specific metadata in place and return the notebook."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    info = nb.metadata.get("language_info")
    if info:
        info.pop("version", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    return nb


def execute(source: str | os.PathLike[str], target: str | os.PathLike[str],
            parameters: dict | None = None, *, cwd: str | os.PathLike[str] | None = None,
            kernel_name: str = "python3", progress: bool = False, **kwargs) -> Path:
    """Run ``source`` with papermill into ``target`` (cleaned); return ``target``.

    Raises papermill's ``PapermillExecutionError`` when a cell fails; the failed
    notebook is still written to ``target`` for inspection.  The notebook is written
    once, at the end (papermill's save after every cell rewrote the whole file between
    cells, on the kernel's critical path); a run stopped mid-notebook (timeout, signal)
    leaves no partial notebook.

    Once the last cell has run, the kernel is stopped at once (nbclient's
    ``shutdown_kernel="immediate"``, unless ``kwargs`` says otherwise) instead of being
    asked to shut down and waited for (about a second per notebook): every cell has
    finished, and with it every file the notebook wrote, before it is stopped.
    """
    import papermill as pm

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("shutdown_kernel", "immediate")
    try:
        # the kernel starts in ``cwd`` through nbclient's resources; papermill's own
        # ``cwd=`` would chdir this whole process, which races between parallel threads
        pm.execute_notebook(
            str(source), str(target), parameters=parameters or {}, kernel_name=kernel_name,
            progress_bar=progress, log_output=False, request_save_on_cell_execute=False,
            resources={"metadata": {"path": str(cwd or Path(source).parent)}}, **kwargs)
    finally:
        if target.exists():
            try:
                nb = nbformat.read(target, as_version=4)
            except Exception:  # an empty or cut file (full disk, kill)
                nb = None  # is left as it is; the error that cut it is the one reported
            if nb is not None:
                nbformat.write(clean(nb), target)
    return target
