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


# -- figures kept between runs (helpers.display.figurecache) ------------------------------


def _bars(values: pd.Series, title: str):
    """A small figure drawn from its arguments (the ``draw`` of the tests below)."""
    import matplotlib.pyplot as plt

    _bars.calls += 1
    fig, ax = plt.subplots()
    ax.bar(values.index, values.to_numpy())
    ax.set_title(title)
    return fig


_bars.calls = 0


def _staged(scratch, salt: str | None, reuse: bool) -> str:
    """An output_dir inside a runner's staging folder, with the selector the runner writes
    for notebook 99 (``figures``: the salt of its keys and whether to reuse)."""
    import json

    from helpers.batch.runfolder import domains_file
    from helpers.paths import get_paths

    out = f"{scratch}/.staging/default-1"
    told = domains_file(get_paths().resolve(out), "99")
    told.parent.mkdir(parents=True, exist_ok=True)
    told.write_text(json.dumps({"domains": None, "figures": {"salt": salt, "reuse": reuse}}))
    return out


@pytest.fixture
def figure_cache(monkeypatch, tmp_path):
    """The project's cache folder moved to a scratch folder for the test."""
    from helpers.paths import get_paths

    paths = get_paths()
    monkeypatch.setattr(type(paths), "cache", property(lambda self: tmp_path / "cache"))
    return tmp_path / "cache" / "figures"


def test_figure_draws_once_per_input_and_reuses_the_kept_files(scratch, figure_cache):
    out = _staged(scratch, "salt-1", reuse=True)
    nb = nbh.setup("99", **{**GOOD, "output_dir": out})
    assert (nb.figure_salt, nb.figure_reuse) == ("salt-1", True)
    values = pd.Series([1, 2], index=["a", "b"])
    before = _bars.calls
    nb.figure("bars", _bars, values, "first")
    files = {f: (nb.output_dir / "figures" / f"99_bars.{f}") for f in ("svg", "png")}
    drawn = {f: p.read_bytes() for f, p in files.items()}
    for p in files.values():
        p.unlink()
    nb.figure("bars", _bars, values.copy(), "first")  # equal arguments: the kept files
    assert _bars.calls == before + 1
    assert {f: p.read_bytes() for f, p in files.items()} == drawn
    nb.figure("bars", _bars, values, "second")  # another argument: drawn
    nb.figure("bars", _bars, values + 1, "first")  # another value: drawn
    assert _bars.calls == before + 3
    assert len(list(figure_cache.iterdir())) == 6  # three keys, two formats each
    assert nb.outputs().iloc[:, 0].tolist() == ["figures/99_bars.png", "figures/99_bars.svg"]


def test_figure_under_force_draws_and_keeps_and_outside_the_runner_draws(scratch,
                                                                        figure_cache):
    values = pd.Series([3], index=["c"])
    before = _bars.calls
    forced = nbh.setup("99", **{**GOOD, "output_dir": _staged(scratch, "salt-2", False)})
    forced.figure("bars", _bars, values, "t")
    forced.figure("bars", _bars, values, "t")  # --force: drawn again, kept afresh
    assert _bars.calls == before + 2 and len(list(figure_cache.iterdir())) == 2
    again = nbh.setup("99", **{**GOOD, "output_dir": _staged(scratch, "salt-2", True)})
    again.figure("bars", _bars, values, "t")  # the next run reuses what --force kept
    assert _bars.calls == before + 2
    other = nbh.setup("99", **{**GOOD, "output_dir": _staged(scratch, "salt-3", True)})
    other.figure("bars", _bars, values, "t")  # another salt (an input file changed): drawn
    assert _bars.calls == before + 3
    lab = nbh.setup("99", **{**GOOD, "output_dir": scratch})  # not under the runner
    assert (lab.figure_salt, lab.figure_reuse) == (None, False)
    lab.figure("bars", _bars, values, "t")
    assert _bars.calls == before + 4 and len(list(figure_cache.iterdir())) == 4
