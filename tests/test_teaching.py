"""Tests for helpers.teaching (chapter 2, 授人以渔): per-unit figures, units, extraction.

Unit tests use small hand-built claims frames; checks on the real table take
their expectations from the article's text (numbers as printed there) and an
independent computation, never from this module's output.
"""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from helpers import teaching as tt
from helpers.claims import load_claims
from helpers.teaching import Quantity, UnitMixError

# --------------------------------------------------------------------------- fixtures


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_printed, value_base, base_unit, qualifier)."""
    records = []
    for cid, printed, value, unit, qualifier, *rest in rows:
        records.append({"id": cid, "value_printed": printed, "value_base": float(value),
                        "base_unit": unit, "qualifier": qualifier,
                        "quote": rest[0] if rest else printed,
                        "period_start": pd.NaT, "period_end": pd.NaT, "period_text": "",
                        "indicator_en": cid, "indicator_zh": cid})
    return pd.DataFrame(records)


@pytest.fixture
def employment_claims() -> pd.DataFrame:
    ids = tt.EMPLOYMENT_IDS
    return claims_frame([
        (ids["sessions"], "10期", 10, "sessions", "exact"),
        (ids["trained"], "400人次", 400, "person_times", "exact"),
        (ids["training_subsidy"], "20万元", 200_000, "yuan", "exact"),
        (ids["living_subsidy"], "2万元", 20_000, "yuan", "exact"),
        (ids["intentions"], "1000人", 1000, "persons", "exact"),
        (ids["intentions_poor"], "50人", 50, "persons", "exact"),
        (ids["carriers"], "20家", 20, "entities", "exact"),
        (ids["carrier_workers"], "100名", 100, "persons", "exact"),
        (ids["welfare_posts"], "150人", 150, "persons", "exact"),
        (ids["transport_recipients"], "500人", 500, "persons", "exact"),
        (ids["transport_amount"], "30万元", 300_000, "yuan", "exact"),
        (ids["registered_persons"], "5000人", 5000, "persons", "exact"),
    ])


@pytest.fixture
def industry_claims() -> pd.DataFrame:
    ids = tt.INDUSTRY_IDS
    quote = "形成了以“发展甲业、乙业、丙‘车间’式加工”等五大产业为突破口"
    return claims_frame([
        (ids["funds"], "100万元", 1_000_000, "yuan", "exact"),
        (ids["projects"], "40个", 40, "projects", "exact"),
        (ids["per_capita"], "100元", 100, "yuan_per_person", "exact"),
        (ids["types"], "五大", 5, "industry_types", "exact", quote),
        (ids["enterprises"], "2家", 2, "enterprises", "exact"),
        (ids["entities"], "8个", 8, "entities", "exact"),
        (ids["households_reached"], "1000户", 1000, "households", "exact"),
        (ids["gain_per_household"], "50元", 50, "yuan_per_household", "exact"),
        (ids["camellia_households"], "400户", 400, "households", "exact"),
        (ids["camellia_employed"], "100户", 100, "households", "exact"),
        (ids["registered_households"], "2000户", 2000, "households", "exact"),
        ("industry.camellia_area", "2万亩", 20_000, "mu", "exact"),
        ("industry.tobacco_area", "3000亩", 3000, "mu", "exact"),
        ("industry.tobacco_employed_persons", "100余人", 100, "persons", "at_least"),
        ("industry.tobacco_villages", "10个", 10, "villages", "exact"),
        ("industry.tea_area", "1000亩", 1000, "mu", "exact"),
        ("industry.tea_employed_persons", "40人", 40, "persons", "exact"),
        ("industry.tea_income_households", "20多户", 20, "households", "at_least"),
        ("industry.poultry_households", "100户", 100, "households", "exact"),
        ("industry.poultry_birds", "5000羽", 5000, "birds", "exact"),
        ("poverty.registered_persons", "10000人", 10_000, "persons", "exact"),
        ("poverty.lifted_persons", "9000人", 9000, "persons", "exact"),
        ("population.total", "10万", 100_000, "persons", "exact"),
    ])


@pytest.fixture(scope="module")
def real_claims() -> pd.DataFrame:
    return load_claims()


# --------------------------------------------------------------------------- quantities


def test_organisations_pool_only_organisations():
    pooled = tt.total(tt.as_organisations(Quantity(2, "enterprises")),
                      tt.as_organisations(Quantity(8, "entities")))
    assert (pooled.value, pooled.unit) == (10, "organisations")
    with pytest.raises(UnitMixError):
        tt.as_organisations(Quantity(8, "households"))


# --------------------------------------------------------------------------- employment


def test_employment_steps_per_unit(employment_claims):
    steps = tt.employment_steps(employment_claims).set_index("key")
    assert steps.loc["per_session", "value_base"] == 40
    assert steps.loc["per_session", "base_unit"] == "person_times_per_session"
    assert steps.loc["training_subsidy_per", "value_base"] == 500
    assert steps.loc["training_subsidy_per", "base_unit"] == "yuan_per_person_time"
    assert steps.loc["living_subsidy_per", "value_base"] == 50
    assert steps.loc["poor_share", "value_base"] == pytest.approx(0.05)
    assert steps.loc["per_carrier", "value_base"] == 5
    assert steps.loc["placed", "value_base"] == 250
    assert steps.loc["placed_share", "value_base"] == pytest.approx(0.05)
    assert steps.loc["transport_per", "value_base"] == 600
    assert steps.loc["transport_per", "base_unit"] == "yuan_per_person"
    assert steps.loc["per_carrier", "claim_ids"] == (
        "employment.carrier_workers;employment.carriers")
    assert not steps.loc["trained", "is_derived"] and steps.loc["per_session", "is_derived"]


def test_employment_never_divides_persons_by_person_times(employment_claims):
    steps = tt.employment_steps(employment_claims)
    for unit in steps["base_unit"]:
        parts = tt.split_rate(unit)
        if parts:
            assert {parts[0], parts[1]} != {"persons", "person_times"}


def test_display_steps_headers_follow_language(employment_claims):
    steps = tt.employment_steps(employment_claims)
    zh = tt.display_steps(steps, "zh", "wan")
    assert list(zh.columns) == ["环节", "指标", "时期", "数值", "是否推算", "claim_ids"]
    assert "20.00万元" in set(zh["数值"])


# --------------------------------------------------------------------------- industry


def test_per_capita_check_on_hand_built_table(industry_claims):
    check = tt.per_capita_check(industry_claims)
    implied = check.iloc[0]
    assert implied["base_persons"] == 10_000
    assert implied["base_low_persons"] == pytest.approx(1_000_000 / 100.5)
    assert implied["base_high_persons"] == pytest.approx(1_000_000 / 99.5)
    rows = check.iloc[1:].set_index("base_en")
    registered = rows.loc["registered poor persons"]
    assert registered["is_within_rounding"] and registered["is_closest"]
    lifted = rows.loc["persons lifted out of poverty"]
    assert lifted["funds_per_person_yuan"] == pytest.approx(1_000_000 / 9000)
    assert not lifted["is_within_rounding"] and not lifted["is_closest"]
    assert lifted["base_vs_implied_pct"] == pytest.approx(-10)


def test_per_capita_base_in_households_raises(industry_claims):
    with pytest.raises(UnitMixError):
        tt.per_capita_check(industry_claims,
                            bases={"industry.households_reached": ("households", "户")})


@pytest.mark.parametrize(("quote", "expected"), [
    ("以“发展甲业、乙业、丙‘车间’式加工”等五大产业", ["甲业", "乙业", "丙‘车间’式加工"]),
    ("“种植、养殖”等两大产业", ["种植", "养殖"]),
    ("“发展、养殖”等", ["发展", "养殖"]),  # a bare verb is an item, not a prefix
])
def test_industry_names_from_a_hand_written_quote(quote, expected):
    assert tt.industry_names(quote) == expected


def test_industry_names_without_a_list():
    with pytest.raises(ValueError, match="no quoted list"):
        tt.industry_names("发展特色种植和健康养殖")


def test_industry_types_table(industry_claims):
    types = tt.industry_types(industry_claims)
    assert list(types["position"]) == [1, 2, 3]
    assert list(types["name_en"]) == ["甲业", "乙业", "丙‘车间’式加工"]  # no translation known
    assert tt.industry_type_counts(industry_claims) == {"stated": 5, "named": 3}


def test_industry_scale_keeps_persons_and_households_apart(industry_claims):
    scale = tt.industry_scale(industry_claims).set_index(["industry", "reach_unit"])
    cam = scale.loc[("camellia", "households")]
    assert (cam["per_unit_value"], cam["per_unit_unit"]) == (50, "mu_per_household")
    tobacco = scale.loc[("tobacco", "persons")]
    assert tobacco["per_unit_value"] == 30 and tobacco["per_unit_qualifier"] == "at_most"
    tea_p = scale.loc[("tea", "persons")]
    tea_h = scale.loc[("tea", "households")]
    assert tea_p["per_unit_unit"] == "mu_per_person" and tea_p["per_unit_value"] == 25
    assert tea_h["per_unit_unit"] == "mu_per_household" and tea_h["per_unit_qualifier"] \
        == "at_most"
    assert scale.loc[("poultry", "households"), "per_unit_value"] == 50
    assert scale.loc[("tobacco", "villages"), "per_unit_unit"] == "mu_per_village"


def test_industry_summary_on_hand_built_table(industry_claims):
    s = tt.industry_summary(industry_claims).set_index("key")["value_base"]
    assert s["funds_per_project"] == 25_000
    assert s["organisations"] == 10
    assert s["households_per_organisation"] == 100
    assert s["reached_share"] == pytest.approx(0.5)
    assert s["camellia_employed_share"] == pytest.approx(0.25)
    assert s["implied_gain"] == 50_000
    assert s["gain_to_funds"] == pytest.approx(0.05)
    assert s["years_to_match"] == pytest.approx(20)


# --------------------------------------------------------------------------- real table


def test_real_per_capita_recomputation(real_claims):
    """17205.27万元 ÷ 3966元 (both as printed) against 43172 registered poor persons."""
    funds = 17205.27e4
    check = tt.per_capita_check(real_claims)
    assert check.iloc[0]["base_persons"] == pytest.approx(funds / 3966)
    closest = check[check["is_closest"]].iloc[0]
    assert closest["claim_ids"].endswith("poverty.registered_persons")
    assert closest["funds_per_person_yuan"] == pytest.approx(funds / 43172)
    # 3966 rounds 3965.5..3966.5, which allows 43376.5..43387.4 people: 43172 lies outside
    assert not closest["is_within_rounding"]
    assert not check.iloc[1:]["is_within_rounding"].any()


def test_real_industry_types_are_eight_of_nine(real_claims):
    types = tt.industry_types(real_claims)
    assert list(types["name_zh"]) == [
        "特色种植", "健康养殖", "农副产品加工", "休闲农业与乡村旅游", "电商冷链物流",
        "农业生产服务", "农村公共服务‘扶贫车间’式加工", "村级光伏"]
    assert tt.industry_type_counts(real_claims) == {"stated": 9, "named": 8}
    assert all(re.search("[a-z]", name) for name in types["name_en"])  # all translated


def test_real_employment_per_unit(real_claims):
    steps = tt.employment_steps(real_claims).set_index("key")["value_base"]
    assert steps["training_subsidy_per"] == pytest.approx(849e4 / 5680)
    assert steps["living_subsidy_per"] == pytest.approx(77e4 / 5680)
    assert steps["per_session"] == pytest.approx(5680 / 125)
    assert steps["per_carrier"] == pytest.approx(1088 / 143)
    assert steps["transport_per"] == pytest.approx(585.22e4 / 9690)
    assert steps["poor_share"] == pytest.approx(418 / 11383)


def test_real_industry_scale_and_income(real_claims):
    scale = tt.industry_scale(real_claims).set_index(["industry", "reach_unit"])
    assert scale.loc[("camellia", "households"), "per_unit_value"] == pytest.approx(
        118.4e4 / 8224)
    assert scale.loc[("tobacco", "persons"), "per_unit_qualifier"] == "at_most"
    assert scale.loc[("tea", "households"), "per_unit_qualifier"] == "at_most"
    assert scale.loc[("poultry", "households"), "per_unit_value"] == pytest.approx(40e4 / 6500)
    s = tt.industry_summary(real_claims).set_index("key")["value_base"]
    assert s["implied_gain"] == pytest.approx(1430.6 * 14466)
    assert s["gain_to_funds"] == pytest.approx(1430.6 * 14466 / 17205.27e4)
    assert s["households_per_organisation"] == pytest.approx(14466 / (24 + 536))
    assert s["reached_share"] == 1.0  # 14466 households reached = 14466 registered


# --------------------------------------------------------------------------- figures, findings


@pytest.fixture(scope="module")
def figures(real_claims):
    from helpers.plotting import apply_theme

    apply_theme("zh")
    steps = tt.employment_steps(real_claims)
    out = {}
    for lang in ("en", "zh"):
        out[lang] = [
            tt.employment_pipeline_figure(steps, lang),
            tt.subsidy_figure(steps, lang, "yi"),
            tt.per_capita_figure(tt.per_capita_check(real_claims), lang),
            tt.industry_scale_figure(tt.industry_scale(real_claims), lang),
            tt.income_figure(tt.industry_summary(real_claims), lang, "yi"),
        ]
    yield out
    import matplotlib.pyplot as plt

    plt.close("all")


def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def test_zh_figures_have_no_english_words(figures):
    for fig in figures["zh"]:
        words = [t for t in _texts(fig) if re.search(r"[A-Za-z]{2,}", t)]
        assert not words, words


def test_figure_titles_state_computed_findings(figures):
    en = figures["en"]
    assert "43,382" in en[2].axes[0].get_title(loc="left")  # 17205.27万 / 3966
    assert "12.0%" in en[4].axes[0].get_title(loc="left")  # 1430.6 × 14466 / 17205.27万
    assert "3.7%" in en[0].axes[0].get_title(loc="left")  # 418 / 11383
    assert any("亿元" in t for t in _texts(figures["zh"][4]))


def test_findings_in_both_languages(real_claims):
    en = tt.findings(real_claims, "en", "wan")
    zh = tt.findings(real_claims, "zh", "yi")
    assert len(en) == len(zh) >= 5
    assert all(re.search(r"[\d一二三四五六七八九十]", s) for s in en + zh)
    assert any("九大产业" in s and "八个" in s for s in zh)
    assert any("3,985.3" in s for s in en)  # 17205.27万 / 43172, one decimal
    assert any("8 before 等" in s for s in en)
    assert not any("nan" in s.lower() or "inf" in s.lower() for s in en + zh)


# --------------------------------------------------------------------------- sources, periods


def test_source_passages_group_claims_by_quote(real_claims):
    passages = tt.source_passages(real_claims, lang="zh")
    assert list(passages.columns) == ["原文", "claim_ids"]
    first = passages.iloc[0]
    assert first["原文"].startswith("2018年以来，全市针对贫困户共举办技能培训")
    assert set(first["claim_ids"].split(";")) == {
        "employment.training_sessions", "employment.training_person_times",
        "employment.training_subsidy", "employment.living_subsidy"}
    # the poultry sentence is split by a page break in the source; shown joined
    assert any(p == "6500户贫困户年发展养鸡40万羽。" for p in passages["原文"])


def test_explain_refusal_in_both_languages(real_claims):
    en = tt.explain_refusal(real_claims, "employment.carrier_workers",
                            "employment.training_person_times")
    assert "refused" in en and "person_times" in en
    zh = tt.explain_refusal(real_claims, "employment.carrier_workers",
                            "employment.training_person_times", "zh")
    assert "拒绝" in zh and "人次" in zh
    ok = tt.explain_refusal(real_claims, "employment.carrier_workers",
                            "employment.carriers")
    assert ok.endswith("7.61 persons per entity")  # 1088 / 143


def test_claim_period(real_claims):
    assert tt.claim_period(real_claims, "industry.funds") == (
        "2015-01 – 2020-06", "2015—2020年上半年")
    assert tt.claim_period(real_claims, "employment.job_intentions") == ("", "")


def test_display_industry_types_headers(real_claims):
    shown = tt.display_industry_types(tt.industry_types(real_claims), "zh")
    assert list(shown.columns) == ["#", "产业（原文）", "英文", "claim_ids"]
