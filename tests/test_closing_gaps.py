"""Tests for helpers.closing_gaps (chapter 1, 补短强弱): unit costs, reach, targeting, coverage.

Unit tests use small hand-built claims frames; checks on the real table take
their expectations from the article's text (numbers as printed there) and an
independent computation, never from this module's output.
"""

from __future__ import annotations

import csv
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from helpers import closing_gaps as cg
from helpers.claims import load_claims
from helpers.closing_gaps import Measure, Programme, UnitMixError

# --------------------------------------------------------------------------- fixtures


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_printed, value_base, base_unit, qualifier[, quote]).

    The chapter and section come from the id; quote offsets follow the row order.
    """
    records = []
    for offset, (cid, printed, value, unit, qualifier, *rest) in enumerate(rows):
        chapter, section, _ = cid.split(".")
        records.append({"id": cid, "chapter": int(chapter[2:]), "section": section,
                        "value_printed": printed, "value_base": float(value),
                        "base_unit": unit, "qualifier": qualifier,
                        "quote": rest[0] if rest else printed, "quote_offset": 10 * offset,
                        "period_start": pd.Timestamp("2015-01-01"),
                        "period_end": pd.Timestamp("2020-06-30"), "period_text": "2015—2020年",
                        "indicator_en": cid, "indicator_zh": cid})
    return pd.DataFrame(records)


#: Two hand-built programmes: one for registered poor households, one for everyone.
TOY_PROGRAMMES = (
    Programme("move", "housing", "housing.move_funds", "Moving", "搬迁",
              (Measure("moved_persons", "people moved", "搬迁人数", ("housing.moved_persons",)),
               Measure("moved_households", "households moved", "搬迁户数",
                       ("housing.moved_households",))),
              "registered_poor", "贫困户", "for poor households", "贫困户", "moving", "搬迁"),
    Programme("school", "education", "education.school_funds", "School aid", "助学",
              (Measure("pupils", "pupils (person-times)", "学生人次",
                       ("education.pupil_times",)),),
              "broader", "学生", "pupils in general", "学生", "school aid", "助学"),
    Programme("water", "water", "water.funds", "Water", "饮水",
              (Measure("water_all", "new or upgraded", "新增与提升",
                       ("water.new_persons", "water.upgraded_persons")),),
              "broader", "人口", "population", "人口", "water", "饮水"),
)


@pytest.fixture
def toy_claims() -> pd.DataFrame:
    return claims_frame([
        ("poverty.registered_households", "100户", 100, "households", "exact"),
        ("poverty.registered_persons", "400人", 400, "persons", "exact"),
        ("housing.move_funds", "120万元", 1_200_000, "yuan", "exact",
         "投入120万元对20户60人贫困户进行搬迁"),
        ("housing.moved_households", "20户", 20, "households", "exact"),
        ("housing.moved_persons", "60人", 60, "persons", "exact"),
        ("education.school_funds", "50万元", 500_000, "yuan", "exact",
         "助学50万元，受益学生2500人次"),
        ("education.pupil_times", "2500人次", 2500, "person_times", "exact"),
        ("water.funds", "30余万元", 300_000, "yuan", "at_least", "投资30余万元，覆盖人口"),
        ("water.new_persons", "1000人", 1000, "persons", "exact"),
        ("water.upgraded_persons", "500多人", 500, "persons", "at_least"),
    ])


@pytest.fixture(scope="module")
def real_claims() -> pd.DataFrame:
    return load_claims()


@pytest.fixture(scope="module")
def money_ids_from_csv(paths) -> list[str]:
    """Chapter-1 money claims found independently: base_unit == yuan and chapter == 1."""
    with paths.claims.open(encoding="utf-8", newline="") as f:
        return [r["id"] for r in csv.DictReader(f)
                if r["base_unit"] == "yuan" and int(r["chapter"]) == 1]


# --------------------------------------------------------------------------- quantities


def test_registered_base_refuses_person_times(toy_claims):
    assert cg.registered(toy_claims, "persons").value == 400
    assert cg.registered(toy_claims, "households").value == 100
    with pytest.raises(UnitMixError, match="person-times"):
        cg.registered(toy_claims, "person_times")


def test_measure_summing_persons_and_person_times_raises(toy_claims):
    mixed = Measure("mixed", "mixed", "混合",
                    ("water.new_persons", "education.pupil_times"))
    with pytest.raises(UnitMixError, match="cannot add different units"):
        cg.measure_quantity(toy_claims, mixed)


# --------------------------------------------------------------------------- hand-built tables


def test_cost_per_beneficiary_on_hand_built_frame(toy_claims):
    table = cg.programme_table(toy_claims, TOY_PROGRAMMES).set_index("programme")
    move, school, water = table.loc["move"], table.loc["school"], table.loc["water"]
    assert move["cost_per_beneficiary_yuan"] == pytest.approx(1_200_000 / 60)
    assert (move["beneficiary_unit"], move["cost_unit"]) == ("persons", "yuan_per_person")
    assert school["cost_per_beneficiary_yuan"] == pytest.approx(500_000 / 2500)
    assert school["cost_unit"] == "yuan_per_person_time"
    assert water["beneficiaries"] == 1500 and water["beneficiaries_qualifier"] == "at_least"
    assert water["cost_qualifier"] == "approx"  # at least ÷ at least: no bound
    assert move["is_registered_poor_only"] and not school["is_registered_poor_only"]
    assert move["claim_ids"] == "housing.move_funds;housing.moved_persons"
    assert move["period_start"] == "2015-01-01" and move["period_text"] == "2015—2020年"


def test_unit_costs_keep_units_apart(toy_claims):
    costs = cg.unit_costs(toy_claims, TOY_PROGRAMMES).set_index("measure")
    assert costs.loc["moved_households", "cost_yuan"] == pytest.approx(1_200_000 / 20)
    assert costs.loc["moved_households", "cost_unit"] == "yuan_per_household"
    assert costs.loc["moved_persons", "cost_unit"] == "yuan_per_person"
    assert costs.loc["pupils", "cost_unit"] == "yuan_per_person_time"
    assert costs["is_primary"].tolist() == [True, False, True, True]


def test_reach_same_unit_only(toy_claims):
    reach = cg.reach_table(toy_claims, TOY_PROGRAMMES).set_index("measure")
    assert reach.loc["moved_persons", "share_of_registered_pct"] == pytest.approx(15.0)
    assert reach.loc["moved_households", "share_of_registered_pct"] == pytest.approx(20.0)
    assert reach.loc["water_all", "share_of_registered_pct"] == pytest.approx(375.0)
    assert reach.loc["water_all", "is_beyond_registered"]
    pupils = reach.loc["pupils"]
    assert not pupils["is_comparable"] and pd.isna(pupils["share_of_registered_pct"])
    assert "person-times" in pupils["note_en"]


def test_programme_table_refuses_an_unclassified_money_claim(toy_claims):
    extra = pd.concat([toy_claims, claims_frame([
        ("water.repairs", "5万元", 50_000, "yuan", "exact")])], ignore_index=True)
    assert cg.unclassified_money_claims(extra, TOY_PROGRAMMES) == ["water.repairs"]
    with pytest.raises(ValueError, match=r"ch1\.water\.repairs"):
        cg.programme_table(extra, TOY_PROGRAMMES)


def test_check_targeting_flags_a_marker_not_in_the_quote(toy_claims):
    wrong = (Programme("school", "education", "education.school_funds", "School", "助学",
                       (), "registered_poor", "建档立卡", "r", "r", "s", "s"),)
    row = cg.check_targeting(toy_claims, wrong).iloc[0]
    assert not row["is_marker_in_quote"] and not row["is_consistent"]
    bad = (Programme("school", "education", "education.school_funds", "School", "助学",
                     (), "everyone", "学生", "r", "r", "s", "s"),)
    with pytest.raises(ValueError, match="targeting"):
        cg.check_targeting(toy_claims, bad)


def test_reimbursement_check_on_hand_built_frame():
    ids = {"bills": "health.bills", "compensation": "health.comp",
           "rate": "health.rate"}
    frame = claims_frame([("health.bills", "4.00亿元", 4e8, "yuan", "exact"),
                          ("health.comp", "3.00亿元", 3e8, "yuan", "exact"),
                          ("health.rate", "75%", 75, "percent", "exact")])
    got = cg.reimbursement_check(frame, ids)
    assert got["recomputed_pct"] == pytest.approx(75.0)
    assert got["low_pct"] == pytest.approx(100 * 2.995 / 4.005)
    assert got["high_pct"] == pytest.approx(100 * 3.005 / 3.995)
    assert got["is_consistent"] and got["remainder_yuan"] == pytest.approx(1e8)
    frame.loc[2, ["value_printed", "value_base"]] = ["80%", 80.0]
    assert not cg.reimbursement_check(frame, ids)["is_consistent"]


# --------------------------------------------------------------------------- real table


def test_targeting_covers_every_money_claim(real_claims, money_ids_from_csv):
    assert len(money_ids_from_csv) == 12  # 12 amounts in 元 are printed in chapter 1
    classified = {p.amount_id: p.targeting for p in cg.PROGRAMMES}
    assert sorted(classified) == sorted(money_ids_from_csv)
    assert set(classified.values()) <= set(cg.TARGETING)
    assert cg.unclassified_money_claims(real_claims) == []
    check = cg.check_targeting(real_claims)
    assert check["is_consistent"].all(), check[~check["is_consistent"]]


def test_programme_table_has_a_row_for_every_money_claim(real_claims, money_ids_from_csv):
    table = cg.programme_table(real_claims)
    first_ids = [ids.split(";")[0] for ids in table["claim_ids"]]
    assert sorted(first_ids) == sorted(money_ids_from_csv)
    assert len(table) == len(money_ids_from_csv)
    by_id = dict(zip(first_ids, table["amount_yuan"], strict=True))
    assert by_id["health.premium_amount"] == pytest.approx(4658.66e4)
    assert by_id["infrastructure.investment"] == pytest.approx(65000e4)


def test_registered_poor_wording_in_real_quotes(real_claims, article_text):
    """Registered-poor programmes say 贫困 in their own sentence; the others do not (water says
    it only about the problem being solved)."""
    for p in cg.PROGRAMMES:
        quote = str(real_claims.set_index("id").loc[p.amount_id, "quote"])
        assert quote in article_text
        if p.targeting == "registered_poor":
            assert "贫困" in quote, p.key
    water = real_claims.set_index("id").loc["water.investment", "quote"]
    assert "建档立卡贫困人口饮水安全保障问题全部得到解决" in water


def test_targeting_table_joins_wording_and_numbers(real_claims):
    t = cg.targeting_table(real_claims).set_index("programme")
    assert t["is_consistent"].all()
    assert t.loc["relocation", "max_share_of_registered_pct"] == pytest.approx(100 * 4783 / 43172)
    assert t.loc["house_renovation", "max_share_qualifier"] == "at_least"  # 5万余人
    assert t.loc["water", "is_beyond_registered"] and t.loc["house_renovation",
                                                            "is_beyond_registered"]
    assert pd.isna(t.loc["assistance", "max_share_of_registered_pct"])
    assert "poverty.registered_persons" in t.loc["water", "claim_ids"]


def test_real_unit_costs(real_claims):
    costs = cg.unit_costs(real_claims).set_index("measure")

    def cost(key):
        return costs.loc[key, "cost_yuan"]

    assert cost("premium_person_times") == pytest.approx(4658.66 / 22.16)
    assert cost("allowance_person_times") == pytest.approx(11896.21 / 20.65)
    assert cost("waiver_person_times") == pytest.approx(72972.92 / 191.72)
    assert cost("renovated_households") == pytest.approx(20763.35e4 / 10846)
    assert cost("renovation_persons") == pytest.approx(20763.35e4 / 50000)
    assert costs.loc["renovation_persons", "cost_qualifier"] == "at_most"  # 5万余人
    assert cost("relocated_persons") == pytest.approx(28243.71e4 / 4783)
    assert cost("relocated_households") == pytest.approx(28243.71e4 / 1463)
    assert cost("water_reached_persons") == pytest.approx(16268.33e4 / (250703 + 133737))
    assert cost("water_new_persons") == pytest.approx(16268.33e4 / 250703)
    assert "water_upgraded_persons" not in costs.index  # not a cost base
    units_by_measure = costs["cost_unit"].to_dict()
    assert units_by_measure["premium_person_times"] == "yuan_per_person_time"
    assert units_by_measure["relocated_persons"] == "yuan_per_person"


def test_real_reach(real_claims):
    reach = cg.reach_table(real_claims).set_index("measure")
    pct = reach["share_of_registered_pct"]
    assert pct["relocated_households"] == pytest.approx(100 * 1463 / 14466)
    assert pct["relocated_persons"] == pytest.approx(100 * 4783 / 43172)
    assert pct["renovated_households"] == pytest.approx(100 * 10846 / 14466)
    assert pct["renovation_persons"] == pytest.approx(100 * 50000 / 43172)
    assert reach.loc["renovation_persons", "share_qualifier"] == "at_least"
    assert pct["water_new_persons"] == pytest.approx(100 * 250703 / 43172)
    beyond = set(reach.index[reach["is_beyond_registered"]])
    assert beyond == {"renovation_persons", "water_reached_persons", "water_new_persons",
                      "water_upgraded_persons"}
    not_comparable = set(reach.index[~reach["is_comparable"]])
    assert not_comparable == {"premium_person_times", "allowance_person_times",
                              "waiver_person_times"}


def test_registered_poor_programmes_stay_within_the_register(real_claims):
    reach = cg.reach_table(real_claims)
    own = reach[(reach["targeting"] == "registered_poor") & reach["is_comparable"]]
    assert len(own) and (own["share_of_registered_pct"] <= 100).all()


def test_real_reimbursement_rate(real_claims):
    got = cg.reimbursement_check(real_claims)
    assert got["recomputed_pct"] == pytest.approx(100 * 3.82 / 4.33)
    assert got["low_pct"] == pytest.approx(100 * 3.815 / 4.335)
    assert got["high_pct"] == pytest.approx(100 * 3.825 / 4.325)
    assert got["printed_pct"] == 88 and got["is_consistent"]
    assert got["remainder_yuan"] == pytest.approx(0.51e8)


def test_real_premium_comparison(real_claims):
    got = cg.premium_comparison(real_claims)
    assert got["medical_per_person_time_yuan"] == pytest.approx(46586600 / 221600)
    assert got["ratio"] == pytest.approx(46586600 / 221600 / 100)
    assert got["pension_person_years"] == pytest.approx(11566400 / 100)


def test_real_spending_totals(real_claims):
    got = cg.spending_totals(cg.programme_table(real_claims))
    registered = (4658.66 + 38200 + 28243.71 + 1156.64) * 1e4  # bills (4.33亿) excluded
    total = (65000 + 4658.66 + 38200 + 11896.21 + 72972.92 + 20763.35 + 28243.71 + 16268.33
             + 1156.64 + 59271.3 + 9803.7) * 1e4
    assert got["registered_poor_yuan"] == pytest.approx(registered)
    assert got["total_yuan"] == pytest.approx(total)
    assert got["qualifier"] == "at_least"  # 65000余万元
    assert got["n_programmes"] == 11


def test_real_coverage(real_claims):
    cov = cg.coverage_table(real_claims).set_index("statement_en")
    assert cov.loc["rural power grid renovated", "recomputed_pct"] == 100  # 34 of 34
    assert cov.loc["one-stop reimbursement rate", "recomputed_pct"] == pytest.approx(
        100 * 3.82 / 4.33)
    assert bool(cov.loc["one-stop reimbursement rate", "is_consistent"])
    hundred = cov[cov["printed_pct"] == 100]
    assert len(hundred) == 5  # 100% road/bus, 双百 (two), 100% enrolment, 100% aid
    assert not hundred["is_recomputable"].any()


def test_source_passages_cover_the_chapter(real_claims):
    passages = cg.source_passages(real_claims, "zh")
    ids = ";".join(passages["claim_ids"]).split(";")
    assert sorted(ids) == sorted(i for i in real_claims["id"] if i.split(".")[0] in cg.AREAS)
    assert list(passages.columns) == ["原文", "claim_ids"]


@pytest.mark.parametrize("area", list(cg.AREAS))
def test_area_view_lists_the_area(real_claims, area):
    view = cg.area_view(real_claims, area, "en", "wan")
    section_ids = {i for i in real_claims["id"] if i.startswith(f"{area}.")}
    assert section_ids <= set(view["claim_ids"])
    assert list(view.columns)[:2] == ["Figure", "Value"]
    assert list(cg.area_view(real_claims, area, "zh", "yi").columns)[:2] == ["指标", "数值"]


def test_area_view_rejects_an_unknown_area(real_claims):
    with pytest.raises(ValueError, match="area must be one of"):
        cg.area_view(real_claims, "transport")


def test_displays_follow_the_language(real_claims):
    table = cg.programme_table(real_claims)
    en = cg.display_programmes(table, "en", "wan")
    zh = cg.display_programmes(table, "zh", "yi")
    assert "Cost per beneficiary" in en.columns and "单位成本" in zh.columns
    assert "210.2 yuan per person-time" in en.iloc[:, 4].tolist()
    assert "≥ 6.50亿元" in zh.iloc[:, 2].tolist()
    assert all(c == "claim_ids" or not re.search(r"[A-Za-z]", c) for c in zh.columns)
    for frame in (cg.display_unit_costs(cg.unit_costs(real_claims), "zh"),
                  cg.display_reach(cg.reach_table(real_claims), "zh"),
                  cg.display_coverage(cg.coverage_table(real_claims), "zh"),
                  cg.display_targeting(cg.targeting_table(real_claims), "zh"),
                  cg.display_reimbursement(cg.reimbursement_table(real_claims), "zh")):
        assert all(c == "claim_ids" or not re.search(r"[A-Za-z]", c) for c in frame.columns)
    with pytest.raises(ValueError):
        cg.display_programmes(table, "fr")


# --------------------------------------------------------------------------- figures, findings


@pytest.fixture(scope="module")
def figures(real_claims):
    from helpers.plotting import apply_theme

    apply_theme("zh")
    table = cg.programme_table(real_claims)
    out = {}
    for lang in ("en", "zh"):
        out[lang] = [cg.spending_figure(table, lang, "yi"),
                     cg.unit_cost_figure(cg.unit_costs(real_claims), lang),
                     cg.reach_figure(cg.reach_table(real_claims), lang),
                     cg.health_figure(real_claims, lang, "yi")]
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
    spending, costs, reach, health = (" ".join(_texts(f)) for f in figures["en"])
    registered = (4658.66 + 38200 + 28243.71 + 1156.64)
    total = (65000 + 4658.66 + 38200 + 11896.21 + 72972.92 + 20763.35 + 28243.71 + 16268.33
             + 1156.64 + 59271.3 + 9803.7)
    assert f"{100 * registered / total:.0f}%" in spending
    assert "亿元" in " ".join(_texts(figures["zh"][0]))
    reloc = 28243.71e4 / 4783
    water = 16268.33e4 / (250703 + 133737)
    assert f"{reloc / water:,.0f} times" in costs
    assert f"{250703 / 43172:.1f} times" in reach
    assert f"{100 * 3.82 / 4.33:.1f}%" in health


def test_findings_in_both_languages(real_claims):
    en = cg.findings(real_claims, "en", "wan")
    zh = cg.findings(real_claims, "zh", "yi")
    assert len(en) == len(zh) >= 6
    assert any(f"{100 * 3.82 / 4.33:.2f}%" in s for s in en)
    assert any(f"{250703 / 43172:.1f} times" in s for s in en)
    assert any(f"{4658.66e4 / 22.16e4:.1f} yuan per person-time" in s for s in en)
    assert any(f"{250703 / 43172:.1f}倍" in s for s in zh)
    assert not any(re.search(r"\b(nan|inf)\b", s.lower()) for s in en + zh)
