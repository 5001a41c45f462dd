"""Tests for helpers.batch.pipeline: the pipeline file is checked before anything runs."""

from __future__ import annotations

import textwrap

import pytest
from pipeline_fixtures import Sandbox

from helpers.batch.pipeline import PipelineError, load_pipeline


@pytest.fixture
def sandbox():
    box = Sandbox()
    yield box
    box.cleanup()


def _write(box, text):
    box.pipeline_file.write_text(textwrap.dedent(text))
    return box.pipeline_file


def test_sandbox_pipeline_loads_in_dependency_order(sandbox):
    pipe = load_pipeline(sandbox.pipeline_file)
    names = [n.name for n in pipe.notebooks]
    assert names.index("01_first") < names.index("02_second")
    assert pipe.downstream("01_first") == ["02_second"]
    assert pipe.upstream("02_second") == ["01_first"]
    assert pipe.run_parameters("big") == {"value": 7}
    assert pipe.get("01_first").outputs() == ["tables/01_numbers.csv"]


def test_cycle_is_named(sandbox):
    _write(sandbox, """\
        notebooks:
          - {name: 01_first, depends_on: [02_second]}
          - {name: 02_second, depends_on: [01_first]}
        """)
    with pytest.raises(PipelineError, match=r"dependency cycle: 01_first -> 02_second -> 01_first"):
        load_pipeline(sandbox.pipeline_file)


def test_unknown_dependency(sandbox):
    _write(sandbox, """\
        notebooks:
          - {name: 01_first, depends_on: [07_missing]}
        """)
    with pytest.raises(PipelineError, match=r"'01_first' depends on unknown notebook '07_missing'"):
        load_pipeline(sandbox.pipeline_file)


def test_unknown_notebook_file(sandbox):
    _write(sandbox, """\
        notebooks:
          - {name: 09_nowhere}
        """)
    with pytest.raises(PipelineError, match=r"notebook '09_nowhere'.*not found"):
        load_pipeline(sandbox.pipeline_file)


def test_duplicate_name(sandbox):
    _write(sandbox, """\
        notebooks:
          - {name: 01_first}
          - {name: 01_first}
        """)
    with pytest.raises(PipelineError, match=r"'01_first': duplicate notebook name"):
        load_pipeline(sandbox.pipeline_file)


def test_missing_input_and_bad_keys(sandbox):
    _write(sandbox, """\
        notebooks:
          - {name: 01_first, inputs: [data/nothing_here.csv]}
        """)
    with pytest.raises(PipelineError, match=r"input 'data/nothing_here.csv' not found"):
        load_pipeline(sandbox.pipeline_file)
    _write(sandbox, """\
        notebooks:
          - {name: 01_first, colour: red}
        """)
    with pytest.raises(PipelineError, match=r"unknown key\(s\) colour"):
        load_pipeline(sandbox.pipeline_file)


def test_unknown_run(sandbox):
    pipe = load_pipeline(sandbox.pipeline_file)
    with pytest.raises(PipelineError, match=r"unknown run 'nope'; known: default, big"):
        pipe.run_parameters("nope")


def test_missing_file():
    with pytest.raises(PipelineError, match="pipeline file not found"):
        load_pipeline("notebooks/no_such_pipeline.yaml")


def test_claims_domains_are_declared_per_notebook(sandbox):
    from helpers.batch.pipeline import claims_selector

    _write(sandbox, """\
        notebooks:
          - {name: 01_first, claims: {domains: [poverty, health, poverty]}}
          - {name: 02_second}
        """)
    pipe = load_pipeline(sandbox.pipeline_file)
    assert pipe.get("01_first").claims_domains == ("health", "poverty")
    assert pipe.get("02_second").claims_domains is None
    assert claims_selector("01", sandbox.pipeline_file)[0] == ("health", "poverty")
    assert claims_selector("02", sandbox.pipeline_file)[0] is None
    assert claims_selector("07", sandbox.pipeline_file)[0] is None
    for bad in ("{domains: []}", "{domains: [Health]}", "{rows: [health]}", "[health]"):
        _refused_claims(sandbox, bad, r"'01_first': claims must be \{domains")


def test_claims_other_rows_are_declared_with_the_domains(sandbox):
    from helpers.batch.pipeline import claims_selector

    _write(sandbox, """\
        notebooks:
          - {name: 01_first, claims: {domains: [poverty], other_rows: [source, chapter, source]}}
          - {name: 02_second, claims: {domains: [health]}}
        """)
    pipe = load_pipeline(sandbox.pipeline_file)
    assert pipe.get("01_first").claims_other_rows == ("chapter", "source")
    assert pipe.get("02_second").claims_other_rows is None
    assert claims_selector("01", sandbox.pipeline_file) == (("poverty",), ("chapter", "source"))
    assert claims_selector("02", sandbox.pipeline_file) == (("health",), None)
    assert claims_selector("07", sandbox.pipeline_file) == (None, None)
    assert claims_selector("01", sandbox.pipeline_file)[0] == ("poverty",)
    for bad in ("{other_rows: [source]}", "{domains: [poverty], other_rows: []}",
                "{domains: [poverty], other_rows: source}",
                "{domains: [poverty], other_rows: [Source]}"):
        _refused_claims(sandbox, bad, r"'01_first': claims must be .*other_rows")


def _refused_claims(sandbox, bad: str, match: str) -> None:
    """A pipeline declaring ``claims: <bad>`` for 01_first is refused, with ``match``, by
    load_pipeline and by claims_selector (which a kernel calls)."""
    from helpers.batch.pipeline import claims_selector

    _write(sandbox, f"""\
        notebooks:
          - {{name: 01_first, claims: {bad}}}
        """)
    with pytest.raises(PipelineError, match=match):
        load_pipeline(sandbox.pipeline_file)
    with pytest.raises(PipelineError, match=r"'01_first': claims must be"):
        claims_selector("01", sandbox.pipeline_file)
