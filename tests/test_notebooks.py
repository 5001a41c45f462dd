"""Every notebook of the pipeline runs with lang=zh, with money_unit=yi, and on a
claims file with only the headline figures, about another county.

Runs go through the batch runner into a scratch folder under outputs/ (the
notebooks only write there); each declared figure and table must exist and be
non-empty, or (headline figures only) be recorded as not produced with a reason.
nbval separately checks the committed default outputs.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid

import pytest
from bs4 import BeautifulSoup

from helpers.batch.pipeline import load_pipeline
from helpers.batch.runner import Runner


@pytest.fixture(scope="module")
def scratch(paths):
    root = paths.outputs / f".test-notebooks-{uuid.uuid4().hex[:8]}"
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize(("run", "params"), [("zh", {"lang": "zh"}),
                                             ("yi", {"money_unit": "yi"})])
def test_every_notebook_runs_and_writes_its_outputs(scratch, run, params):
    pipeline = load_pipeline()
    if not pipeline.notebooks:
        pytest.skip("the pipeline has no notebooks yet")
    result = Runner(pipeline, run, params=params, outputs_root=scratch, report=(run == "zh"),
                    progress=False).execute()
    assert result.ok, result.message
    run_dir = scratch / run
    for spec in pipeline.notebooks:
        for rel in spec.outputs():
            assert (run_dir / rel).is_file(), rel
            assert (run_dir / rel).stat().st_size > 0, rel
    if run == "zh":
        html = (run_dir / "report.html").read_text(encoding="utf-8")
        assert "目录" in html


# -- a claims file with only the headline figures, about another county -------------------

OTHER_COUNTY = {"name_zh": "松岚县", "name_en": "Songlan", "level_zh": "县", "level_en": "county",
                "prefecture_zh": "青州市", "prefecture_en": "Qingzhou", "admin_code": "439901"}


@pytest.fixture(scope="module")
def headline_only(paths, scratch, tmp_path_factory):
    """One run, shared by the tests below, on the default claims' poverty.* rows filed as
    another (fictional) county's, from a folder outside the project."""
    import csv

    import yaml

    folder = tmp_path_factory.mktemp("headline_only")
    with paths.claims.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["id"].startswith("poverty.")]
    claims = folder / "songlan_claims.csv"
    with claims.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    meta = yaml.safe_load(paths.claims.with_name(paths.claims.stem + ".meta.yaml")
                          .read_text(encoding="utf-8"))
    meta["county"].update(OTHER_COUNTY)
    meta["fictional"] = True
    claims.with_name("songlan_claims.meta.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pipeline = load_pipeline()
    if not pipeline.notebooks:
        pytest.skip("the pipeline has no notebooks yet")
    result = Runner(pipeline, "headline_only", params={"claims_path": str(claims)},
                    outputs_root=scratch, progress=False).execute()
    return {"result": result, "run_dir": scratch / "headline_only", "folder": folder,
            "pipeline": pipeline}


def test_headline_only_claims_run_with_rc_0(headline_only):
    result = headline_only["result"]
    assert result.ok, result.message
    assert {r.status for r in result.results} == {"ran"}


def test_each_declared_output_is_produced_or_has_a_reason(headline_only):
    assert headline_only["result"].ok, headline_only["result"].message
    run_dir = headline_only["run_dir"]
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    not_produced = {}
    for spec in headline_only["pipeline"].notebooks:
        recorded = manifest["notebooks"][spec.name]["not_produced"]
        for rel in spec.outputs():
            if rel in recorded:
                assert not (run_dir / rel).exists(), rel
                assert recorded[rel].strip(), rel
                not_produced[rel] = recorded[rel]
            else:
                assert (run_dir / rel).is_file() and (run_dir / rel).stat().st_size > 0, rel
    # the headline figures alone cannot give every output, and the reasons name the ids
    assert not_produced
    assert all(reason.strip() for reason in not_produced.values())
    assert manifest["claims"]["county"]["name_en"] == "Songlan"
    assert manifest["claims"]["fictional"] is True


def test_report_names_the_claims_county(headline_only):
    assert headline_only["result"].ok, headline_only["result"].message
    html = (headline_only["run_dir"] / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    title = "Songlan's poverty-alleviation campaign as reported: the numbers"
    assert soup.title.get_text() == title
    text = soup.get_text()
    assert "Songlan" in text
    assert "Leiyang" not in text
    # the outputs not produced are listed in their notebook's section, with the reason
    listed = [li.get_text() for li in soup.select(".not-produced li")]
    assert listed and all(re.search(r"\): \S", item) for item in listed)


def test_no_machine_path_in_the_manifest(headline_only):
    assert headline_only["result"].ok, headline_only["result"].message
    text = (headline_only["run_dir"] / "manifest.json").read_text(encoding="utf-8")
    assert str(headline_only["folder"]) not in text
    assert not re.search(r'"/(?:tmp|home|root|work|Users)/', text)
    manifest = json.loads(text)
    assert manifest["claims"]["path"].startswith("external/")
    assert manifest["claims"]["path"].endswith("/songlan_claims.csv")
