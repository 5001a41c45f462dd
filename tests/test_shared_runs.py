"""The session's shared runs (tests/conftest.py) execute what the selected tests declare:
``county_run`` the union of the notebooks their ``county_run`` marks name per county and
language, ``default_run`` every notebook unless each test using it names the ones it reads;
the helpers that make them (``cli_run``, ``stored_parameters``)."""

from __future__ import annotations

import json

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
