"""The session's shared runs (tests/conftest.py) execute what the selected tests declare:
``county_run`` the union of the notebooks their ``county_run`` marks name per county and
language, ``default_run`` every notebook unless each test using it names the ones it reads."""

from __future__ import annotations

import pytest
from conftest import _county_needs, _default_run_needs


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
