"""Tests for helpers.analysis.compare: derived indicators side by side.

Expected values are computed here from the fixtures' printed figures (read with the
loader), never typed from an article.
"""

from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest

from helpers.analysis import compare as cmp
from helpers.data.claims import load_claims
from helpers.data.codebook import load_codebook

SONGLAN = "tests/fixtures/counties/songlan/songlan_claims.csv"
QINGWU = "tests/fixtures/counties/qingwu/qingwu_claims.csv"


def value(claims, cid):
    return float(claims.loc[claims["id"] == cid, "value_base"].iloc[0])


@pytest.fixture(scope="module")
def counties():
    return cmp.load_counties([SONGLAN, QINGWU])


@pytest.fixture(scope="module")
def long(counties):
    return cmp.indicator_table(counties)


def test_derived_indicators_follow_their_definitions():
    c = load_claims(SONGLAN)
    d = cmp.derived_indicators(c).set_index("indicator")
    rh, rp = value(c, "poverty.registered_households"), value(c, "poverty.registered_persons")
    lh, lp = value(c, "poverty.lifted_households"), value(c, "poverty.lifted_persons")
    assert d.at["exit_rate_households", "value"] == pytest.approx(lh / rh * 100)
    assert d.at["remaining_persons", "value"] == pytest.approx(rp - lp)
    assert d.at["remaining_persons", "status"] == "derived"  # songlan prints no remaining
    assert d.at["household_size_registered", "value"] == pytest.approx(rp / rh)
    inc = value(c, "poverty.poverty_incidence")
    assert d.at["implied_base_end", "value"] == pytest.approx((rp - lp) / inc * 100)
    assert d.at["incidence_start", "status"] == "not reported"
    assert math.isnan(d.at["implied_base_start", "value"])


def test_printed_remaining_poor_are_reported_not_derived():
    c = load_claims(QINGWU)
    d = cmp.derived_indicators(c).set_index("indicator")
    assert d.at["remaining_households", "status"] == "reported"
    assert d.at["remaining_households", "value"] == value(c, "poverty.remaining_households")
    start = value(c, "poverty.registered_persons_start")
    assert d.at["implied_base_start", "value"] == pytest.approx(
        start / value(c, "poverty.poverty_incidence_start") * 100)


def test_labels_are_the_counties_and_every_indicator_is_listed_for_each(long, counties):
    assert [c.label for c in counties] == ["Songlan", "Qingwu"]
    per = long.groupby("county")["indicator"].apply(list)
    assert per["Songlan"] == per["Qingwu"]  # same rows, "not reported" where absent
    assert set(long["status"]) <= {"reported", "derived", "not reported",
                                   "implausible, not summed"}
    audit = long[long["group"] == "audit"]
    assert "audit.implausible" in set(audit["indicator"])


def test_money_is_summed_only_over_comparable_plausible_ids(long):
    book = load_codebook()
    ok = cmp.comparable_ids(book)
    assert "industry.camellia_area" not in ok and "poverty.registered_persons" in ok
    q = long[(long["county"] == "Qingwu") & (long["group"] == "money_per_person")]
    q = q.set_index("indicator")
    claims = load_claims(QINGWU)
    industry = claims[claims["id"].isin([i for i in ok if book.at[i, "topic"] == "industry"])
                      & (claims["base_unit"] == "yuan")]["value_base"].sum()
    assert q.at["money_per_person.industry", "value"] == pytest.approx(
        industry / value(claims, "poverty.registered_persons"))
    # the planted implausible special funds are not summed, and say so
    assert q.at["money_per_person.funds", "status"] == "implausible, not summed"
    s = long[(long["county"] == "Songlan") & (long["group"] == "money_per_person")]
    assert (s["status"] == "not reported").all()


def test_a_non_comparable_id_is_never_summed(tmp_path):
    claims = pd.DataFrame({"id": ["poverty.registered_persons", "health.one_stop_compensation"],
                           "base_unit": ["persons", "yuan"], "value_base": [100.0, 5000.0]})
    assert cmp.money_per_person(claims).empty


def test_wide_table_has_one_column_per_county(long):
    wide = cmp.wide_table(long)
    assert list(wide.columns) == ["group", "indicator", "label", "unit", "Songlan", "Qingwu"]
    assert wide["indicator"].is_unique
    assert len(wide) == long["indicator"].nunique()


def test_dot_plot_grows_with_the_counties(long):
    import matplotlib.pyplot as plt

    fig = cmp.dot_plot(long, ["exit_rate_persons", "incidence_start"])
    height = fig.get_size_inches()[1]
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "not reported" in texts  # songlan prints no start incidence
    plt.close(fig)
    many = pd.concat([long.assign(county=long["county"] + str(i)) for i in range(15)])
    fig = cmp.dot_plot(many, ["exit_rate_persons"])
    assert fig.get_size_inches()[1] > 3 * height
    plt.close(fig)


def test_generated_counties_load_cover_and_compare():
    import sys

    from helpers.paths import get_paths

    sys.path.insert(0, str(get_paths().root / "tests"))
    from county_factory import make_counties

    folder = get_paths().outputs / ".pytest-factory"
    try:
        _generated_counties_compare(make_counties(folder, 6))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _generated_counties_compare(files):
    from helpers.data import coverage as cv

    counties = cmp.load_counties(files)
    long = cmp.indicator_table(counties)
    status = long.pivot(index="indicator", columns="county", values="status")
    # which paragraphs are printed varies: some counties print a start incidence, some not
    assert {"reported", "not reported"} <= set(status.loc["incidence_start"])
    for f in files:
        text = f.with_name(f.name.replace("_claims.csv", "_article.txt")).read_text(
            encoding="utf-8")
        table = cv.coverage_table(text, counties[files.index(f)].claims,
                                  cv.load_exclusions(f.with_name(
                                      f.name.replace("_claims.csv", "_exclusions.csv"))))
        assert (table["status"] != "uncovered").all()


def test_the_batch_stage_executes_05_compare_with_the_batch_files(comparison_run):
    # the runner's comparison stage (helpers.batch.runner.run_comparison) and the
    # pipeline's batch flag: 05_compare is no county notebook, it runs once per batch; the
    # stage's run is the session's (tests/conftest.py), on 05_compare's default files
    import json

    from helpers.batch.pipeline import load_pipeline
    from helpers.batch.runner import comparison_name
    from helpers.paths import get_paths

    pipeline = load_pipeline()
    assert "05_compare" not in [s.name for s in pipeline.notebooks]
    assert [s.name for s in pipeline.batch_notebooks] == ["05_compare"]
    assert comparison_name(["a", "b"]) == "compare-a_b"
    assert comparison_name([f"county{k:02d}_claims" for k in range(30)]).startswith(
        "compare-30_counties-")
    target = comparison_run["folder"]
    assert target == get_paths().outputs / comparison_run["batch_name"]
    assert comparison_run["claims_paths"][-2:] == [SONGLAN, QINGWU]
    wide = pd.read_csv(target / "tables" / "05_comparison.csv")
    labels = [c.label for c in cmp.load_counties(comparison_run["claims_paths"])]
    assert list(wide.columns)[-len(labels):] == labels and labels[-2:] == ["Songlan", "Qingwu"]
    assert (target / "figures" / "05_exit.svg").is_file()
    assert (target / "tables" / "claims_comparison.csv").is_file()
    # the notebook was given the batch's files, as the stage passes them
    executed = json.loads((target / "notebooks" / "05_compare.ipynb").read_text("utf-8"))
    injected = next(c for c in executed["cells"]
                    if "injected-parameters" in c["metadata"].get("tags", []))
    assert all(p in "".join(injected["source"]) for p in comparison_run["claims_paths"])
