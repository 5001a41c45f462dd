"""The kernel-free executor of runner tests (tests/fake_execution.py) against the real one:
the same tiny notebook, the same task, executed by ``helpers.batch.runner.execute_task``
(a kernel, papermill) and by ``fake_execute_task`` (in this process) gives the same result
dict, the same files and the same executed notebook (cells, tags, execution counts,
outputs), when it succeeds and when a cell fails."""

from __future__ import annotations

import json
import os
import uuid

import nbformat
import pytest
from fake_execution import execute_in_process, fake_execute_task, patch_runner, unsafe_destination
from pipeline_fixtures import make_notebook

from helpers.batch import runner
from helpers.paths import get_paths


@pytest.fixture
def folder():
    import shutil

    root = get_paths().outputs / f".test-fake-{uuid.uuid4().hex[:8]}"
    root.mkdir(parents=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _task(folder, source, how: str, **params) -> dict:
    """A task as ``Runner._task`` builds it, writing under ``folder/how``."""
    out = folder / how
    return {"name": source.stem, "source": str(source),
            "target": str(out / "notebooks" / source.name),
            "parameters": {**params, "output_dir": get_paths().relative(out)},
            "cwd": str(source.parent), "progress": False,
            "kernel_log": str(out / "logs" / f"{source.stem}.log"), "timeout": 60,
            "task_id": f"{how}-{os.getpid()}-{uuid.uuid4().hex}"}


def _comparable(task: dict) -> dict:
    """A task's executed notebook as the runner and the report read it: the cells (type,
    source with the task's own output folder named alike, tags, execution count, outputs
    without tracebacks) and the notebook's metadata."""
    nb = nbformat.read(task["target"], as_version=4)
    cells = []
    for cell in nb.cells:
        source = cell.source.replace(task["parameters"]["output_dir"], "<output_dir>")
        entry = {"type": cell.cell_type, "source": source,
                 "tags": cell.metadata.get("tags", [])}
        if cell.cell_type == "code":
            entry["count"] = cell.execution_count
            entry["outputs"] = [{k: v for k, v in o.items() if k != "traceback"}
                                for o in cell.outputs]
        cells.append(entry)
    return {"cells": cells, "metadata": nb.metadata}


def _both(folder, source, **params) -> dict:
    """Run ``source`` both ways; the results without their seconds, and the tasks."""
    out = {}
    for how, execute in (("real", runner.execute_task), ("fake", fake_execute_task)):
        task = _task(folder, source, how, **params)
        result = execute(task)
        assert result.pop("seconds") >= 0
        out[how] = (result, task)
    return out


def test_a_tiny_notebook_gives_the_same_result_files_and_notebook(folder):
    source = folder / "01_first.ipynb"
    make_notebook(source, "01_first")
    runs = _both(folder, source, value=5)
    (real, real_task), (fake, fake_task) = runs["real"], runs["fake"]
    assert real == fake == {"name": "01_first", "status": "ok", "cell": None, "error": None}
    assert ((folder / "fake" / "tables" / "01_numbers.csv").read_text()
            == (folder / "real" / "tables" / "01_numbers.csv").read_text()
            == "value,claim_ids\n5,\n")
    assert _comparable(fake_task) == _comparable(real_task)
    injected = nbformat.read(fake_task["target"], as_version=4).cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"] and "value = 5" in injected.source
    assert os.path.isfile(fake_task["kernel_log"])


def test_a_failing_cell_gives_the_same_cell_number_error_and_markers(folder):
    source = folder / "02_second.ipynb"
    make_notebook(source, "02_second")
    runs = _both(folder, source, fail=True)
    (real, real_task), (fake, fake_task) = runs["real"], runs["fake"]
    assert real == fake
    assert fake["status"] == "failed" and fake["cell"] == 3
    assert fake["error"] == "ValueError: boom in 02_second"
    assert _comparable(fake_task) == _comparable(real_task)
    # the table was written before the error, both ways
    assert (folder / "fake" / "tables" / "02_numbers.csv").is_file()
    # papermill's error markers: a heading cell first, an anchor before the failing cell
    cells = nbformat.read(fake_task["target"], as_version=4).cells
    assert "papermill-error-cell-tag" in cells[0].metadata["tags"]
    assert [o["output_type"] for o in cells[-1].outputs] == ["error"]


def test_stdout_results_and_later_cells_as_in_a_kernel(folder):
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print('a', x)\nx + 1"),
                nbformat.v4.new_code_cell("print('b')\ndisplay(x, 'two')\nprint('c')\n"
                                          "print('d')"),
                nbformat.v4.new_code_cell("y = None\ny"),
                nbformat.v4.new_code_cell("[x] * 2"),
                nbformat.v4.new_code_cell("1 / 0"),
                nbformat.v4.new_code_cell("print('never')")]
    source = folder / "03_cells.ipynb"
    nbformat.write(nb, source)
    runs = _both(folder, source, x=4)
    (real, real_task), (fake, fake_task) = runs["real"], runs["fake"]
    assert real == fake == {"name": "03_cells", "status": "failed", "cell": 7,
                            "error": "ZeroDivisionError: division by zero"}
    assert _comparable(fake_task) == _comparable(real_task)
    cells = nbformat.read(fake_task["target"], as_version=4).cells
    by_source = {c.source: c for c in cells if c.cell_type == "code"}
    assert by_source["print('a', x)\nx + 1"].outputs[0]["text"] == "a 4\n"
    assert by_source["print('a', x)\nx + 1"].outputs[1]["data"]["text/plain"] == "5"
    assert by_source["print('never')"].execution_count is None
    shown = by_source["print('b')\ndisplay(x, 'two')\nprint('c')\nprint('d')"].outputs
    assert [o["output_type"] for o in shown] == ["stream", "display_data", "display_data",
                                                 "stream"]
    assert shown[3]["text"] == "c\nd\n"


def test_each_notebook_has_a_fresh_namespace(folder):
    first, second = folder / "a.ipynb", folder / "b.ipynb"
    for path, code in ((first, "leaked = 1"), (second, "leaked")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, path)
    execute_in_process(first, folder / "out" / "a.ipynb")
    result = fake_execute_task(_task(folder, second, "fake"))
    assert result["status"] == "failed"
    assert result["error"] == "NameError: name 'leaked' is not defined"


def test_cells_are_parsed_and_compiled_under_the_lock_and_run_outside_it(folder,
                                                                         monkeypatch):
    """Python 3.11 shares the AST constructor's recursion depth between threads: two
    notebooks of a ``jobs=2`` run parsing at the same moment failed CI ("AST constructor
    recursion depth mismatch"). Parsing and compiling hold ``_AST_LOCK``; the code runs
    without it (a cell waiting on another notebook's thread must not deadlock)."""
    import ast

    import fake_execution

    held: list[tuple[str, bool]] = []
    real_parse, real_compile = ast.parse, compile

    def parse(*args, **kwargs):
        held.append(("parse", fake_execution._AST_LOCK.locked()))
        return real_parse(*args, **kwargs)

    def compile_(*args, **kwargs):
        held.append(("compile", fake_execution._AST_LOCK.locked()))
        return real_compile(*args, **kwargs)

    monkeypatch.setattr(fake_execution.ast, "parse", parse)
    monkeypatch.setattr(fake_execution, "compile", compile_, raising=False)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import fake_execution\nlocked = fake_execution._AST_LOCK.locked()\nlocked")]
    nbformat.write(nb, folder / "a.ipynb")
    execute_in_process(folder / "a.ipynb", folder / "out" / "a.ipynb")
    cell = nbformat.read(folder / "out" / "a.ipynb", as_version=4).cells[0]
    assert cell.outputs[0]["data"]["text/plain"] == "False"  # run outside the lock
    assert held == [("parse", True), ("compile", True), ("compile", True)]


def test_the_fixture_runs_a_pipeline_without_a_kernel(fake_execution, monkeypatch):
    """A whole run of the tiny pipeline through the fake: no kernel manager is made, and
    the run folder holds what a kernel run writes."""
    from pipeline_fixtures import Sandbox

    from helpers.batch.pipeline import load_pipeline

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(runner, "kernel_manager_class", no_kernel)
    # other edits of src/helpers during the test must not make the no-op rerun rerun
    monkeypatch.setattr(runner, "helpers_source_hash", lambda: "fixed")
    monkeypatch.setattr("helpers.batch.execution.execute", no_kernel)
    box = Sandbox()
    try:
        result = runner.Runner(load_pipeline(box.pipeline_file), "big", outputs_root=box.out,
                               progress=False, report=False).execute()
        assert result.ok, result.message
        assert {r.status for r in result.results} == {"ran"}
        run_dir = box.out / "big"
        assert (run_dir / "tables" / "01_numbers.csv").read_text() == "value,claim_ids\n7a,\n"
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        assert set(manifest["notebooks"]) == {"01_first", "02_second", "03_third"}
        assert (run_dir / "notebooks" / "03_third.ipynb").is_file()
        again = runner.Runner(load_pipeline(box.pipeline_file), "big", outputs_root=box.out,
                              progress=False, report=False).execute()
        assert again.up_to_date, again.message
    finally:
        box.cleanup()


def test_patch_runner_makes_the_runner_kernel_free_as_the_fixture_does(monkeypatch):
    """``patch_runner`` (applied by a test's command line in a process of its own) sets
    what the ``fake_execution`` fixture sets: the fake task, no kernel started ahead, and
    no kernel started in any other way."""
    from pipeline_fixtures import Sandbox

    from helpers.batch.pipeline import load_pipeline

    patch_runner(monkeypatch.setattr)
    assert runner.execute_task is fake_execute_task
    with pytest.raises(AssertionError, match="fake_execution: a kernel was started"):
        runner.kernel_manager_class(None)
    box = Sandbox()
    try:
        made = runner.Runner(load_pipeline(box.pipeline_file), "default",
                             outputs_root=box.out, progress=False, report=False)
        assert made.warm is False
    finally:
        box.cleanup()


def test_a_task_writing_outside_a_test_folder_is_refused_and_writes_nothing(folder):
    """The fake never lets a tiny notebook write the project's outputs (its parameters
    cell says ``output_dir = "outputs/default"``: the committed references)."""
    paths = get_paths()
    source = folder / "01_first.ipynb"
    make_notebook(source, "01_first")
    safe = _task(folder, source, "fake")
    assert unsafe_destination(safe) is None
    default = paths.outputs / "default" / "tables" / "01_numbers.csv"
    existed = default.exists()
    tasks = {
        "no output_dir": {**safe, "parameters": {"value": 2}},
        "outputs/default": {**safe, "parameters": {"output_dir": "outputs/default"}},
        "target": {**safe, "target": str(paths.outputs / "default" / "notebooks" / "x.ipynb")},
        "a user's run": {**safe, "parameters": {"output_dir": "outputs/.staging/default-1"}},
    }
    for why, task in tasks.items():
        result = fake_execute_task(task)
        assert result["status"] == "failed", why
        assert result["error"].startswith("fake_execution refuses the task: "), why
    assert default.exists() == existed
    assert not (folder / "fake").exists()
    outside = get_paths().root.parent / "elsewhere"  # outside outputs/: a tmp_path is fine
    assert unsafe_destination({**safe, "parameters": {"output_dir": str(outside)},
                               "target": str(outside / "x.ipynb")}) is None
