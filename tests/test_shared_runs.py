"""The session's shared runs (tests/conftest.py) execute what the selected tests declare:
``county_run`` the union of the notebooks their ``county_run`` marks name per county and
language, ``default_run`` every notebook unless each test using it names the ones it reads;
the helpers that make them (``cli_run``, ``stored_parameters``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import _county_needs, _default_run_needs, cli_run, stored_parameters


class Item:
    """A collected test as the needs functions see it: its fixtures and its marks."""

    def __init__(self, *marks, fixtures=()):
        self.marks = [m.mark for m in marks]
        self.fixturenames = list(fixtures)

    def iter_markers(self, name):
        return [m for m in self.marks if m.name == name]


def test_county_runs_are_the_union_of_what_tests_declare():
    run = pytest.mark.county_run
    items = [Item(run("songlan", "en", "01_a")), Item(run("songlan", "en", "03_c")),
             Item(run("qingwu", "zh", "01_a")), Item(run("qingwu", "en")),
             Item(run("qingwu", "en", "02_b")), Item(), Item(pytest.mark.default_run("x"))]
    assert _county_needs(items) == {("songlan", "en"): ["01_a", "03_c"],
                                    ("qingwu", "zh"): ["01_a"],
                                    ("qingwu", "en"): None}  # one test reads every notebook
    assert _county_needs([]) == {}


def test_the_default_run_is_whole_unless_every_user_names_its_notebooks():
    mark = pytest.mark.default_run
    named = [Item(mark("02_b"), fixtures=["default_run"]),
             Item(mark("00_a"), fixtures=["x", "default_run"]),
             Item(fixtures=["paths"])]  # does not use the run
    assert _default_run_needs(named) == ["00_a", "02_b"]
    assert _default_run_needs([*named, Item(fixtures=["default_run"])]) is None
    assert _default_run_needs([Item(mark(), fixtures=["default_run"])]) is None
    # no test found using it (asked for by name with getfixturevalue): the whole run
    assert _default_run_needs([Item(mark("00_a"))]) is None


def test_cli_run_captures_the_command_and_leaves_the_runner_as_it_was():
    from helpers.batch import runner

    execute = runner.Runner.execute
    run = cli_run(["run", "-p", "colour=red"])  # refused before any run starts
    assert run["argv"] == ["run", "-p", "colour=red"]
    assert run["rc"] == 2 and run["results"] == []
    assert "unknown parameter(s) colour" in run["stderr"]
    assert runner.Runner.execute is execute


def test_stored_parameters_are_the_parameters_cell_s_values(tmp_path):
    cell = {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [],
            "execution_count": None,
            "source": ["lang = \"en\"  # a comment\n", "paths = [\n", "    \"a.csv\",\n",
                       "]\n", "n: int = 3\n"]}
    other = {**cell, "metadata": {}, "source": ["lang = \"zh\"\n"]}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": [other, cell]}), encoding="utf-8")
    assert stored_parameters(path) == {"lang": "en", "paths": ["a.csv"], "n": 3}


# -- the session leaves outputs/ as it found it (tests/conftest.py::pytest_sessionfinish) --

GUARDED_TESTS = '''
import shutil
import time
from pathlib import Path

from helpers.paths import get_paths


def test_leaves_a_folder():
    (get_paths().outputs / "{left}").mkdir()


def test_writes_in_the_shared_root(session_outputs):
    (session_outputs / "run").mkdir(parents=True)
    (Path(__file__).parent / "root.txt").write_text(str(session_outputs))


def test_holds_a_scratch_while_another_test_ends():
    scratch = get_paths().outputs / "{left}-live"
    scratch.mkdir()
    time.sleep(0.5)
    shutil.rmtree(scratch)
'''


# The small session loads no plugin but pytest-xdist where it is tested (plugin autoloading
# off): the other installed plugins (nbval, hypothesis, typeguard, …), which it does not
# use, more than doubled its CPU time (5.0 against 2.2 CPU-s with pytest-xdist, 2.06
# against 1.05 without).
@pytest.mark.parametrize("options", [["-p", "xdist.plugin", "-n", "2"],
                                     ["-p", "no:xdist", "-n", "2"]], ids=["xdist", "no-xdist"])
def test_a_session_that_leaves_a_folder_in_outputs_fails(paths, tmp_path, options):
    """The guard of outputs/ runs once the session is over, in the process that runs it:
    under pytest-xdist the controller, when every worker is done (a worker's live scratch is
    no leftover); the session's shared root is removed, a folder left is named."""
    import os
    import re
    import shutil
    import subprocess
    import sys
    import uuid

    left = f".test-guard-{uuid.uuid4().hex[:8]}"
    (tmp_path / "conftest.py").write_bytes((paths.root / "tests" / "conftest.py").read_bytes())
    (tmp_path / "test_guarded.py").write_text(GUARDED_TESTS.replace("{left}", left), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *options, "-q",
             f"--basetemp={tmp_path / 'basetemp'}", "test_guarded.py"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        out = proc.stdout + proc.stderr
        assert "3 passed" in out, out
        named = re.search(r"the tests left in outputs/: (.*?)(?: \(not failed|\n)", out)
        assert named, out
        named = named[1].split(", ")
        root = Path((tmp_path / "root.txt").read_text())
        assert not root.exists(), f"the session's shared root {root} was left"
        # named: the folder left, not the live scratch nor the shared root; beside it, the
        # outer session's live scratch (of tests running meanwhile) may be named
        assert left in named and f"{left}-live" not in named and root.name not in named, out
        assert all(n.startswith(".test-") for n in named), out
        # another process at work in the project turns the failure into a warning
        assert proc.returncode == 1 or "not failed: other processes at work" in out, out
    finally:
        shutil.rmtree(paths.outputs / left, ignore_errors=True)
