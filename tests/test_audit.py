"""Tests for helpers.audit: the verdict logic on hand-made figures, and the real checks."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from helpers import audit as au
from helpers.claims import load_claims

F = au.Figure


@pytest.mark.parametrize(
    ("stated", "computed", "expected"),
    [
        (F(88, 87.5, 88.5), F.exact(88.0), "consistent"),
        (F(88, 87.5, 88.5), F.exact(88.22), "rounding"),
        (F(88, 87.5, 88.5), F.exact(88.6), "discrepancy"),
        (F(0.18, 0.175, 0.185), F(0.19, 0.186, 0.194), "discrepancy"),
        (F(0.18, 0.175, 0.185), F(0.19, 0.184, 0.196), "rounding"),
        (F(9, 8.5, 9.5), F.exact(8), "discrepancy"),
    ],
)
def test_verdict(stated, computed, expected):
    assert au.verdict(stated, computed) == expected


def test_division_carries_rounding():
    q = F(3.82, 3.815, 3.825) / F(4.33, 4.325, 4.335)
    assert q.low == pytest.approx(3.815 / 4.335)
    assert q.high == pytest.approx(3.825 / 4.325)
    assert q.low < q.value < q.high


def test_at_least_figures_have_no_upper_bound():
    claims = load_claims()
    fig = F.of(claims, "housing.renovation_beneficiaries")  # 5万余人
    assert fig.low == 50_000 and fig.high == math.inf


def _frame(rows):
    base = dict(chapter=0, section="s", indicator_zh="x", indicator_en="x", unit_printed="",
                period_start=None, period_end=None, period_text="", quote="", quote_offset=0,
                source="", notes="")
    return pd.DataFrame([{**base, **r} for r in rows])


def test_ratio_and_part_checks_on_a_hand_built_table():
    claims = _frame([
        dict(id="a.rate", value_printed="50%", value_base=50, base_unit="percent",
             qualifier="exact"),
        dict(id="a.num", value_printed="3人", value_base=3, base_unit="persons",
             qualifier="exact"),
        dict(id="a.den", value_printed="7人", value_base=7, base_unit="persons",
             qualifier="exact"),
    ])
    row = au.ratio_check(claims, "x", "x", "a.rate", "a.num", "a.den", 100)
    assert row["verdict"] == "discrepancy"  # 42.9% is outside 49.5–50.5
    assert row["computed"] == pytest.approx(300 / 7)
    assert au.part_check(claims, "p", "p", "a.num", "a.den")["verdict"] == "consistent"
    assert au.part_check(claims, "p", "p", "a.den", "a.num")["verdict"] == "discrepancy"
    assert row["claim_ids"] == "a.rate;a.num;a.den"


def test_listed_items():
    assert au.listed_items("从清洁卫生、勤劳致富、感恩社会、和睦家风四个维度") == [
        "清洁卫生", "勤劳致富", "感恩社会", "和睦家风"]
    assert au.listed_items("以“甲、乙、丙”等九大产业") == ["甲", "乙", "丙"]


@pytest.fixture(scope="module")
def audit_table():
    return au.run_audit(load_claims())


def test_audit_table_shape(audit_table):
    assert list(audit_table.columns) == au.AUDIT_COLUMNS
    assert audit_table["check_id"].is_unique
    assert set(audit_table["verdict"]) <= set(au.VERDICTS)
    known = set(load_claims()["id"])
    for ids in audit_table["claim_ids"]:
        assert set(ids.split(";")) <= known


def test_reimbursement_rate_is_within_rounding(audit_table, article_text):
    # independent computation from the sentence itself
    m = re.search(r"医疗费用([\d.]+)亿元，总补偿金额([\d.]+)亿元，综合报销比例达到(\d+)%",
                  article_text)
    costs, paid, rate = (float(x) for x in m.groups())
    row = audit_table.set_index("check_id").loc["health.reimbursement_rate"]
    assert row["computed"] == pytest.approx(paid / costs * 100)
    assert row["stated"] == rate
    assert abs(paid / costs * 100 - rate) < 0.5
    assert row["verdict"] == "rounding"


def test_per_capita_industry_funds_do_not_match_the_registered_poor(audit_table, article_text):
    funds = float(re.search(r"产业扶贫资金([\d.]+)万元", article_text).group(1)) * 1e4
    per_capita = float(re.search(r"人均得到财政资金投入(\d+)元", article_text).group(1))
    registered = float(re.search(r"贫困户总户数\d+户(\d+)人", article_text).group(1))
    row = audit_table.set_index("check_id").loc["industry.funds_per_person_vs_registered"]
    assert row["computed"] == pytest.approx(funds / registered)
    # 3966 printed to the yuan cannot come from 3985.28: a real, small discrepancy
    assert abs(funds / registered - per_capita) > 1
    assert row["verdict"] == "discrepancy"


def test_nine_industries_but_eight_named(audit_table):
    row = audit_table.set_index("check_id").loc["industry.nine_industry_types"]
    assert (row["stated"], row["computed"]) == (9, 8)
    assert row["verdict"] == "discrepancy"


def test_a_changed_claim_changes_the_verdict():
    claims = load_claims()
    claims.loc[claims["id"] == "health.one_stop_compensation", "value_base"] = 4.0e8
    row = au.run_audit(claims).set_index("check_id").loc["health.reimbursement_rate"]
    assert row["verdict"] == "discrepancy"


def test_premium_payments_exceed_one_a_year_per_registered_person(audit_table, article_text):
    times = float(re.search(r"代缴贫困人口医保([\d.]+)万人次", article_text).group(1)) * 1e4
    first, last = map(int, re.search(r"(\d{4})—(\d{4})年共计代缴", article_text).groups())
    registered = float(re.search(r"贫困户总户数\d+户(\d+)人", article_text).group(1))
    row = audit_table.set_index("check_id").loc[
        "health.premium_payments_within_registered_years"]
    assert row["computed"] == registered * (last - first + 1)
    assert times > row["computed"]
    assert row["verdict"] == "discrepancy"


def test_relative_difference_only_where_figures_should_agree(audit_table):
    rows = audit_table.set_index("check_id")
    assert math.isnan(rows.loc["headline.lifted_persons_within_registered",
                               "relative_difference"])
    assert math.isnan(rows.loc["headline.incidence_implied_base", "relative_difference"])
    assert not math.isnan(rows.loc["health.reimbursement_rate", "relative_difference"])


def test_the_verb_before_a_list_is_not_an_item():
    assert au.listed_items("以“发展特色种植、健康养殖”等九大产业") == ["特色种植", "健康养殖"]
