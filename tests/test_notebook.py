"""Tests for helpers.notebook: parameter checks and the files a notebook writes."""

from __future__ import annotations

import os
import shutil
import uuid

import pandas as pd
import pytest

from helpers import notebook as nbh

GOOD = dict(nbh.DEFAULTS)


@pytest.fixture
def scratch(paths):
    """A fresh folder under outputs/ (output_dir must live there), removed afterwards."""
    rel = f"outputs/.test-{uuid.uuid4().hex[:8]}"
    yield rel
    shutil.rmtree(paths.resolve(rel), ignore_errors=True)


@pytest.mark.parametrize(
    ("name", "bad", "message"),
    [
        ("lang", "fr", r"lang must be 'en' or 'zh', got 'fr'"),
        ("money_unit", "dollars", r"money_unit must be one of auto, yuan, wan, million, yi"),
        ("figure_formats", ["svg", "gif"], r"figure_formats must be .* got \['svg', 'gif'\]"),
        ("figure_formats", [], r"figure_formats must be a non-empty"),
        ("claims_path", "", r"claims_path must be"),
        ("output_dir", "/tmp/elsewhere", r"output_dir='/tmp/elsewhere' is outside"),
        ("output_dir", "data/raw", r"output_dir='data/raw' is outside"),
        ("output_dir", "outputs/../data", r"is outside"),
    ],
)
def test_bad_parameters_are_named(name, bad, message):
    params = {**GOOD, name: bad}
    with pytest.raises(nbh.ParameterError, match=message):
        nbh.check_parameters(**params)


def test_unknown_parameter_lists_the_valid_ones(scratch):
    with pytest.raises(nbh.ParameterError, match=r"unknown parameter\(s\) colour; valid: lang"):
        nbh.setup("99", **{**GOOD, "output_dir": scratch}, colour="red")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_dir(paths, scratch):
    target = paths.resolve(scratch)
    target.mkdir(parents=True)
    target.chmod(0o500)
    try:
        with pytest.raises(nbh.ParameterError, match="not writable"):
            nbh.check_output_dir(scratch)
    finally:
        target.chmod(0o700)


def test_output_dir_that_is_a_file(paths, scratch):
    paths.resolve(scratch).parent.mkdir(exist_ok=True)
    paths.resolve(scratch).write_text("not a folder")
    with pytest.raises(nbh.ParameterError, match="cannot be created"):
        nbh.check_output_dir(scratch + "/sub")
    paths.resolve(scratch).unlink()


def test_output_dir_is_resolved_from_the_project_root(paths, scratch, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert nbh.check_output_dir(scratch) == paths.resolve(scratch)


def test_tables_cite_known_claims_and_are_listed(scratch):
    nb = nbh.setup("99", **{**GOOD, "output_dir": scratch})
    frame = pd.DataFrame({"x": [1.5, 2.0], "claim_ids": ["poverty.registered_persons",
                                                        "poverty.lifted_persons"]})
    assert nb.table(frame, "example") is None
    path = nb.written[-1]
    assert path.name == "99_example.csv"
    assert path.read_text(encoding="utf-8").splitlines()[1] == "1.5,poverty.registered_persons"
    with pytest.raises(ValueError, match="needs a claim_ids column"):
        nb.table(frame.drop(columns="claim_ids"), "bad")
    with pytest.raises(ValueError, match=r"unknown claim ids: ch9\.no\.such"):
        nb.table(frame.assign(claim_ids="ch9.no.such"), "bad")
    listing = nb.outputs()
    assert listing["file"].tolist() == ["tables/99_example.csv"]
    assert listing["bytes"].iloc[0] == path.stat().st_size


def test_language_and_money_helpers(scratch):
    nb = nbh.setup("99", **{**GOOD, "output_dir": scratch, "lang": "zh", "money_unit": "yi"})
    assert nb.t("households", "户") == "户"
    assert nb.money_label == "亿元"
    assert nb.fmt_money(433_000_000) == "4.33 亿元"
    assert nb.unit("person_times") == "人次"
    assert list(nb.outputs().columns) == ["文件", "类型", "字节"]


def test_findings_escape_html():
    md = nbh.findings(["<script>alert(1)</script> 5 < 6"])
    assert "<script>" not in md.data
    assert "&lt;script&gt;" in md.data
