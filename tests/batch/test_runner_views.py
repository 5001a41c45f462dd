"""Views with other rows (``claims: {domains: [...], other_rows: [...]}``): a notebook sees
its domains' rows whole and only the listed columns of the other rows, and the runner
reruns it when those change, not on an edit of another column of another row.  Tiny
notebooks that load the claims through :func:`helpers.notebook.setup`, executed without a
kernel (the ``fake_execution`` fixture), in a scratch folder under ``outputs/``."""

from __future__ import annotations

import json
import shutil
import textwrap
import uuid

import pytest
from pipeline_fixtures import copy_default_claims, make_claims_notebook, read_rows, write_rows

from helpers.batch.pipeline import load_pipeline
from helpers.batch.runner import Runner
from helpers.data.claims import claim_domain
from helpers.paths import get_paths

BODY = """\
from helpers import notebook as nbh
nb = nbh.setup("{number}", lang="en", money_unit="auto", claims_path=claims_path,
               output_dir=output_dir, figure_formats=["svg"])
seen = nb.claims[["id", "chapter", "source", "qualifier"]].astype(object).fillna("(none)")
nb.table(seen.assign(claim_ids=nb.claims["id"]), "seen")
"""


@pytest.fixture(autouse=True)
def _steady_helpers(monkeypatch):
    """Other edits of src/helpers during a test must not make a no-op rerun rerun."""
    monkeypatch.setattr("helpers.batch.runner.helpers_source_hash", lambda: "fixed")




def _runner(root, **kw):
    return Runner(load_pipeline(root / "pipeline.yaml"), "default", outputs_root=root / "out",
                  report=False, progress=False, jobs=1, warm=False, **kw)


def _statuses(res):
    return {r.name: r.status for r in res.results}


@pytest.fixture
def views(fake_execution):
    """A copy of the default claims and two notebooks, run once: 01 sees the poverty rows
    whole and of the others their chapter and source; 02 sees the health rows."""
    paths = get_paths()
    root = paths.outputs / f".test-other-rows-{uuid.uuid4().hex[:8]}"
    root.mkdir(parents=True)
    try:
        claims = copy_default_claims(root)
        for name in ("01_concert", "02_health"):
            make_claims_notebook(root / f"{name}.ipynb", BODY.format(number=name[:2]))
        (root / "pipeline.yaml").write_text(textwrap.dedent(f"""\
            defaults:
              claims_path: {claims.relative_to(paths.root).as_posix()}
            notebooks:
              - name: 01_concert
                claims: {{domains: [poverty], other_rows: [source, chapter]}}
                tables: {{seen: claims seen}}
              - name: 02_health
                claims: {{domains: [health]}}
                tables: {{seen: health claims}}
            """))
        first = _runner(root).execute()
        assert first.ok, first.message
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _health_row(rows):
    return next(r for r in rows if claim_domain(r["id"]) == "health"
                and r["qualifier"] == "exact"
                and not any(c in r["value_printed"] for c in "余多"))


def test_other_rows_show_only_their_listed_columns(views):
    seen = read_rows(views / "out" / "default" / "tables" / "01_seen.csv")
    claims = read_rows(views / "claims.csv")
    assert [r["id"] for r in seen] == [r["id"] for r in claims]
    for mine, row in zip(seen, claims, strict=True):
        assert (mine["chapter"], mine["source"]) == (row["chapter"], row["source"])
        own = claim_domain(row["id"]) == "poverty"
        assert mine["qualifier"] == (row["qualifier"] if own else "(none)"), row["id"]
    state = json.loads((views / "out" / ".runs" / "default.json").read_text())
    assert state["notebooks"]["01_concert"]["view"]["domains"] == ["poverty"]


def test_an_unlisted_column_of_another_row_does_not_rerun_the_notebook(views):
    rows = read_rows(views / "claims.csv")
    _health_row(rows)["qualifier"] = "approx"
    write_rows(views / "claims.csv", rows)
    res = _runner(views).execute()
    assert res.ok, res.message
    assert _statuses(res) == {"01_concert": "up-to-date", "02_health": "ran"}
    assert _runner(views).execute().up_to_date


def test_a_listed_column_of_another_row_reruns_the_notebook(views):
    rows = read_rows(views / "claims.csv")
    row = _health_row(rows)
    row["chapter"] = str(int(row["chapter"]) + 1)
    write_rows(views / "claims.csv", rows)
    res = _runner(views).execute()
    assert res.ok, res.message
    assert _statuses(res) == {"01_concert": "ran", "02_health": "ran"}
    seen = {r["id"]: r for r in read_rows(views / "out" / "default" / "tables" / "01_seen.csv")}
    assert seen[row["id"]]["chapter"] == row["chapter"]


def test_a_changed_other_rows_declaration_reruns_the_notebook(views):
    pipeline = views / "pipeline.yaml"
    pipeline.write_text(pipeline.read_text().replace("other_rows: [source, chapter]",
                                                     "other_rows: [source, chapter, qualifier]"))
    res = _runner(views).execute()
    assert res.ok, res.message
    assert _statuses(res) == {"01_concert": "ran", "02_health": "up-to-date"}
    seen = read_rows(views / "out" / "default" / "tables" / "01_seen.csv")
    assert all(r["qualifier"] != "(none)" for r in seen)
