"""The runner reruns a notebook only when the claims it sees change (its view: the rows of
its declared domains, every column but notes and line), on tiny notebooks that load the
claims through :func:`helpers.notebook.setup` in real kernels (not the kernel-free
``fake_execution``: ``setup`` records the files a notebook reads and the view it sees with
an audit hook and state that are per process, one kernel per notebook)."""

from __future__ import annotations

import json
import shutil
import textwrap
import uuid

import pytest
from pipeline_fixtures import copy_default_claims, make_claims_notebook, read_rows, write_rows

from helpers.batch.pipeline import load_pipeline
from helpers.batch.runner import RunError, Runner
from helpers.data.claims import claim_domain
from helpers.paths import get_paths

BODY = """\
from helpers import notebook as nbh
nb = nbh.setup("{number}", lang="en", money_unit="auto", claims_path=claims_path,
               output_dir=output_dir, figure_formats=["svg"])
nb.table(nb.claims[["id", "value_base", "qualifier"]].assign(claim_ids=nb.claims["id"]),
         "ids")
print(len(nb.claims), sorted(nb.claims.columns))
"""


@pytest.fixture(autouse=True)
def _steady_helpers(monkeypatch):
    """Other edits of src/helpers during a test must not make a no-op rerun rerun."""
    monkeypatch.setattr("helpers.batch.runner.helpers_source_hash", lambda: "fixed")




@pytest.fixture(scope="module")
def views():
    """A pipeline of three notebooks over a copy of the default claims: one sees the
    poverty rows, one the health rows, one every row; run once."""
    paths = get_paths()
    root = paths.outputs / f".test-views-{uuid.uuid4().hex[:8]}"
    root.mkdir(parents=True)
    claims = copy_default_claims(root)
    for name in ("01_poverty", "02_health", "03_all"):
        make_claims_notebook(root / f"{name}.ipynb", BODY.format(number=name[:2]))
    (root / "pipeline.yaml").write_text(textwrap.dedent(f"""\
        defaults:
          claims_path: {claims.relative_to(paths.root).as_posix()}
        notebooks:
          - name: 01_poverty
            claims: {{domains: [poverty]}}
            tables: {{ids: poverty claims}}
          - name: 02_health
            claims: {{domains: [health]}}
            tables: {{ids: health claims}}
          - name: 03_all
            tables: {{ids: every claim}}
        """))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("helpers.batch.runner.helpers_source_hash", lambda: "fixed")
        first = _runner(root).execute()
    assert first.ok, first.message
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _runner(root, **kw):
    return Runner(load_pipeline(root / "pipeline.yaml"), "default", outputs_root=root / "out",
                  report=False, progress=False, jobs=2, **kw)


def _statuses(res):
    return {r.name: r.status for r in res.results}


def test_each_notebook_sees_its_domains_without_notes(views):
    tables = views / "out" / "default" / "tables"
    everything = {r["id"] for r in read_rows(views / "claims.csv")}
    for number, domains in (("01", {"poverty"}), ("02", {"health"}), ("03", None)):
        ids = {r["id"] for r in read_rows(tables / f"{number}_ids.csv")}
        expected = {i for i in everything if domains is None or claim_domain(i) in domains}
        assert ids == expected and ids
    executed = (views / "out" / "default" / "notebooks" / "01_poverty.ipynb").read_text()
    assert "'notes'" not in executed and "'line'" not in executed and "'quote'" in executed
    state = json.loads((views / "out" / ".runs" / "default.json").read_text())
    assert state["notebooks"]["01_poverty"]["view"]["domains"] == ["poverty"]
    assert state["notebooks"]["03_all"]["view"]["domains"] is None


def test_a_notes_edit_reruns_nothing_and_starts_no_kernel(views, monkeypatch):
    rows = read_rows(views / "claims.csv")
    for row in rows:
        row["notes"] = (row["notes"] + " edited").strip()
    write_rows(views / "claims.csv", rows)

    def no_kernel(*args, **kwargs):
        raise AssertionError("a notebook was started")

    monkeypatch.setattr(Runner, "_execute_stale", no_kernel)
    res = _runner(views).execute()
    assert res.ok and res.up_to_date, res.message
    assert set(_statuses(res).values()) == {"up-to-date"}


def test_a_value_edit_reruns_only_the_notebooks_that_see_it(views):
    rows = read_rows(views / "claims.csv")
    row = next(r for r in rows if claim_domain(r["id"]) == "health"
               and r["qualifier"] == "exact" and not any(c in r["value_printed"] for c in "余多"))
    row["qualifier"] = "approx"
    write_rows(views / "claims.csv", rows)
    res = _runner(views).execute()
    assert res.ok, res.message
    assert _statuses(res) == {"01_poverty": "up-to-date", "02_health": "ran", "03_all": "ran"}
    table = read_rows(views / "out" / "default" / "tables" / "02_ids.csv")
    assert {r["id"]: r["qualifier"] for r in table}[row["id"]] == "approx"
    assert _runner(views).execute().up_to_date


def test_an_invalid_row_outside_the_view_still_fails_the_run(views):
    rows = read_rows(views / "claims.csv")
    line = next(i for i, r in enumerate(rows) if claim_domain(r["id"]) == "poverty") + 2
    bad = [dict(r) for r in rows]
    bad[line - 2]["number"] = "many"
    write_rows(views / "claims.csv", bad)
    try:
        with pytest.raises(RunError, match=rf"claims.csv, line {line} .*field 'number': "
                                           "expected a number, got 'many'"):
            _runner(views, only=["02_health"]).execute()
    finally:
        write_rows(views / "claims.csv", rows)


def test_a_changed_declaration_reruns_the_notebook(views):
    pipeline = views / "pipeline.yaml"
    before = pipeline.read_text()
    pipeline.write_text(before.replace("domains: [health]", "domains: [health, water]"))
    try:
        res = _runner(views).execute()
        assert res.ok, res.message
        assert _statuses(res)["02_health"] == "ran" and _statuses(res)["01_poverty"] == \
            "up-to-date"
        ids = {r["id"] for r in read_rows(views / "out" / "default" / "tables" / "02_ids.csv")}
        assert {claim_domain(i) for i in ids} == {"health", "water"}
    finally:
        pipeline.write_text(before)
