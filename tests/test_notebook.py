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


def test_a_notebook_sees_the_claims_view_its_pipeline_entry_declares(scratch):
    from helpers.batch.pipeline import claims_selector
    from helpers.data.claims import claim_domain

    domains = claims_selector("02")[0]
    assert domains, "02 declares its domains in notebooks/pipeline.yaml"
    nb = nbh.setup("02", **{**GOOD, "output_dir": scratch})
    assert {claim_domain(i) for i in nb.claims["id"]} <= set(domains)
    assert "notes" not in nb.claims.columns and "line" not in nb.claims.columns
    outside = next(i for i in nbh.load_claims()["id"] if claim_domain(i) not in domains)
    with pytest.raises(ValueError, match=rf"{outside} lie outside notebook 02's view"):
        nb.has(outside)
    assert nb.missing("poverty.no_such_figure") == ["poverty.no_such_figure"]
    assert not (nb.output_dir / ".reads").exists()  # nothing recorded outside the runner


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


@pytest.mark.parametrize(("formats", "shown_file"), [(["svg", "png"], "99_bars.png"),
                                                     (["svg"], "99_bars.svg")])
def test_save_draws_each_format_once_closes_and_shows_the_file_written(
        scratch, monkeypatch, formats, shown_file):
    import IPython
    import IPython.display
    import matplotlib.pyplot as plt

    nb = nbh.setup("99", **{**GOOD, "output_dir": scratch, "figure_formats": formats})
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())  # as in a kernel
    monkeypatch.setattr(IPython.display, "display", shown.append)
    drawn, savefig = [], fig.savefig
    monkeypatch.setattr(fig, "savefig",
                        lambda fh, **kw: (drawn.append(kw["format"]), savefig(fh, **kw))[1])
    assert nb.save(fig, "bars") is None
    assert drawn == formats
    assert not plt.fignum_exists(fig.number)  # the inline backend has nothing to draw again
    written = nb.output_dir / "figures" / shown_file
    assert len(shown) == 1
    if written.suffix == ".png":
        assert shown[0].data == written.read_bytes()
    else:
        assert written.read_text(encoding="utf-8").endswith(shown[0]._repr_svg_())
    assert nb.outputs().iloc[:, 0].tolist() == sorted(f"figures/99_bars.{f}" for f in formats)
