"""Tests for helpers.analysis.audit: each relation kind's rule on hand-made figures (holding and
failing), the relations file, the checks on the default claims (expectations from the
article's text), and the planted errors of the fictional fixtures."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from helpers.analysis import audit as au
from helpers.data.claims import load_claims
from helpers.data.codebook import load_codebook

F = au.Figure
QINGWU = "tests/fixtures/counties/qingwu/qingwu_claims.csv"
SONGLAN = "tests/fixtures/counties/songlan/songlan_claims.csv"


@pytest.mark.parametrize(
    ("stated", "computed", "assumption", "expected"),
    [
        (F(88, 87.5, 88.5), F.exact(88.0), "", "consistent"),
        (F(88, 87.5, 88.5), F.exact(88.22), "", "rounding"),
        (F(88, 87.5, 88.5), F.exact(88.6), "", "discrepancy"),
        (F(88, 87.5, 88.5), F.exact(88.6), "the base is the register", "tension"),
        (F(0.18, 0.175, 0.185), F(0.19, 0.186, 0.194), "", "discrepancy"),
        (F(0.18, 0.175, 0.185), F(0.19, 0.184, 0.196), "", "rounding"),
        (F(9, 8.5, 9.5), F.exact(8), "", "discrepancy"),
    ],
)
def test_verdict(stated, computed, assumption, expected):
    assert au.verdict(stated, computed, assumption=assumption) == expected


def test_division_carries_rounding():
    q = F(3.82, 3.815, 3.825) / F(4.33, 4.325, 4.335)
    assert q.low == pytest.approx(3.815 / 4.335)
    assert q.high == pytest.approx(3.825 / 4.325)
    assert q.low < q.value < q.high


def test_at_least_figures_have_no_upper_bound():
    claims = load_claims()
    fig = F.of(claims, "housing.renovation_beneficiaries")  # 5万余人
    assert fig.low == 50_000 and fig.high == math.inf


# --------------------------------------------------------------------------- hand-built


def _frame(rows):
    base = dict(chapter=0, section="s", indicator_zh="x", indicator_en="x", unit_printed="",
                period_start=None, period_end=None, period_text="", quote="", quote_offset=0,
                source="", notes="", qualifier="exact")
    return pd.DataFrame([{**base, **r} for r in rows])


def _claim(cid, printed, value, unit, **kw):
    return dict(id=cid, value_printed=printed, value_base=value, base_unit=unit, **kw)


def _rel(rid, kind, roles, **kw):
    row = {c: "" for c in au.RELATION_COLUMNS}
    row.update(relation_id=rid, kind=kind, label_en=rid, label_zh=rid, description_en=rid,
               description_zh=rid, roles=";".join(f"{k}={v}" for k, v in roles.items()), **kw)
    return row


def _run(claims_rows, relation_rows, codebook=None):
    relations = pd.DataFrame(relation_rows, columns=au.RELATION_COLUMNS)
    if codebook is not None:
        relations = pd.concat([relations, au.plausibility_relations(codebook)],
                              ignore_index=True)
    return au.run_audit(_frame(claims_rows), relations).set_index("check_id")


PEOPLE = [_claim("a.part", "3人", 3, "persons"), _claim("a.whole", "7人", 7, "persons")]


def test_part_le_whole_holds_and_fails():
    out = _run(PEOPLE, [_rel("ok", "part_le_whole", {"part": "a.part", "whole": "a.whole"}),
                        _rel("bad", "part_le_whole", {"part": "a.whole", "whole": "a.part"}),
                        _rel("assumed", "part_le_whole", {"part": "a.whole", "whole": "a.part"},
                             assumption="the register did not change")])
    assert out.loc["ok", "verdict"] == "consistent"
    assert out.loc["bad", "verdict"] == "discrepancy"
    assert out.loc["assumed", "verdict"] == "tension"
    assert out.loc["assumed", "assumption"] == "the register did not change"
    assert out.loc["bad", "assumption"] == ""
    assert math.isnan(out.loc["bad", "relative_difference"])
    assert out.loc["bad", "relation"] == "part_le_whole"


def test_rate_within_rounding_and_beyond():
    rows = [_claim("a.rate", "43%", 43, "percent"), *PEOPLE,
            _claim("b.rate", "50%", 50, "percent")]
    out = _run(rows, [
        _rel("near", "rate", {"rate": "a.rate", "numerator": "a.part", "denominator": "a.whole"},
             scale="100"),
        _rel("far", "rate", {"rate": "b.rate", "numerator": "a.part", "denominator": "a.whole"},
             scale="100")])
    assert out.loc["near", "computed"] == pytest.approx(300 / 7)
    assert out.loc["near", "verdict"] == "rounding"          # 42.86 prints as 43%
    assert out.loc["far", "verdict"] == "discrepancy"        # 42.9% is outside 49.5–50.5
    assert out.loc["far", "claim_ids"] == "b.rate;a.part;a.whole"
    assert out.loc["far", "relative_difference"] == pytest.approx((50 - 300 / 7) / (300 / 7))


def test_per_capita_rounding_band():
    rows = [_claim("f.total", "100万元", 1_000_000, "yuan"),
            _claim("f.base", "300人", 300, "persons"),
            _claim("f.ok", "3333元", 3333, "yuan_per_person"),
            _claim("f.off", "3350元", 3350, "yuan_per_person")]
    out = _run(rows, [
        _rel("ok", "per_capita", {"per_capita": "f.ok", "total": "f.total", "base": "f.base"}),
        _rel("off", "per_capita", {"per_capita": "f.off", "total": "f.total", "base": "f.base"})])
    # 100万元 printed to the 万 covers ±5,000 yuan: 3316.7–3350.0 per person
    assert out.loc["ok", "verdict"] == "rounding"
    assert out.loc["off", "verdict"] == "rounding"
    rows[0] = _claim("f.total", "1000000元", 1_000_000, "yuan")  # printed to the yuan
    out = _run(rows, [
        _rel("off", "per_capita", {"per_capita": "f.off", "total": "f.total", "base": "f.base"})])
    assert out.loc["off", "verdict"] == "discrepancy"


INCIDENCE = {"rate_start": "p.rate_start", "persons_start": "p.start",
             "rate_end": "p.rate_end", "persons_end": "poverty.remaining_persons"}


def _incidence_rows(start_persons):
    return [_claim("p.rate_start", "20%", 20, "percent"),
            _claim("p.start", f"{start_persons}人", start_persons, "persons"),
            _claim("p.rate_end", "1.0%", 1, "percent"),
            _claim("poverty.registered_persons", "20000人", 20000, "persons"),
            _claim("poverty.lifted_persons", "19000人", 19000, "persons")]


def test_implied_bases_agree_within_tolerance_and_disagree_beyond():
    # end: (20000 − 19000) ÷ 1% = 100,000; start: 20,500 ÷ 20% = 102,500 (+2.5%)
    rel = _rel("bases", "implied_base", INCIDENCE, tolerance="0.1")
    out = _run(_incidence_rows(20500), [rel])
    assert out.loc["bases", "computed"] == pytest.approx(100_000)
    assert out.loc["bases", "stated"] == pytest.approx(102_500)
    assert out.loc["bases", "verdict"] in ("consistent", "rounding")
    # the end numerator is derived (registered − lifted) and names the printed claims
    assert out.loc["bases", "claim_ids"].split(";")[-2:] == ["poverty.registered_persons",
                                                             "poverty.lifted_persons"]
    out = _run(_incidence_rows(30000), [rel])                  # 150,000 against 100,000
    assert out.loc["bases", "verdict"] == "discrepancy"
    rows = _incidence_rows(30000)
    rows[2] = _claim("p.rate_end", "1%", 1, "percent")          # 0.5–1.5%: 67,000–200,000
    assert _run(rows, [rel]).loc["bases", "verdict"] == "rounding"


def test_household_size_band():
    rows = [_claim("h.persons", "300人", 300, "persons"),
            _claim("h.households", "100户", 100, "households"),
            _claim("h.few", "10户", 10, "households")]
    out = _run(rows, [
        _rel("ok", "household_size", {"persons": "h.persons", "households": "h.households"},
             min="1", max="10"),
        _rel("big", "household_size", {"persons": "h.persons", "households": "h.few"},
             min="1", max="10")])
    assert out.loc["ok", "verdict"] == "consistent"
    assert out.loc["ok", "computed"] == 3
    assert out.loc["big", "verdict"] == "implausible"          # 30 persons per household


def test_equal_and_count_list():
    rows = [_claim("e.a", "34个", 34, "villages"), _claim("e.b", "34个", 34, "villages"),
            _claim("e.c", "35个", 35, "villages"),
            _claim("e.n", "四个", 4, "dimensions", quote="从甲、乙、丙四个维度"),
            _claim("e.m", "四个", 4, "dimensions", quote="从甲、乙、丙、丁四个维度"),
            _claim("e.d", "四个", 4, "dimensions", quote="从甲、乙、丙等四个维度"),
            _claim("e.x", "两个", 2, "dimensions", quote="从甲、乙、丙等两个维度")]
    out = _run(rows, [_rel("same", "equal", {"a": "e.a", "b": "e.b"}),
                      _rel("differ", "equal", {"a": "e.a", "b": "e.c"}),
                      _rel("three", "count_list", {"count": "e.n"}),
                      _rel("four", "count_list", {"count": "e.m"}),
                      _rel("deng", "count_list", {"count": "e.d"}),
                      _rel("over", "count_list", {"count": "e.x"})])
    assert out.loc["same", "verdict"] == "consistent"
    assert out.loc["differ", "verdict"] == "discrepancy"       # whole counts: no rounding
    assert out.loc["three", "verdict"] == "discrepancy"
    assert out.loc["four", "verdict"] == "consistent"
    assert out.loc["deng", "verdict"] == "ambiguous"     # 等: "these four" or "and others"
    assert out.loc["over", "verdict"] == "discrepancy"   # three listed for two: no reading
    assert "甲、乙、丙、丁" in out.loc["four", "description"]
    rows = [_claim("e.n", "九大", 9, "industry_types", quote="发展九大产业")]
    out = _run(rows, [_rel("none", "count_list", {"count": "e.n"})])
    assert out.loc["none", "verdict"] == "not_checkable"  # nothing listed to count


def test_once_a_year():
    rows = [_claim("o.times", "4.00万人次", 40_000, "person_times", period_text="2017—2020年"),
            _claim("o.people", "9000人", 9000, "persons"),
            _claim("o.more", "12000人", 12000, "persons")]
    out = _run(rows, [_rel("over", "once_a_year", {"flow": "o.times", "stock": "o.people"},
                           assumption="the register is that of every year"),
                      _rel("under", "once_a_year", {"flow": "o.times", "stock": "o.more"})])
    assert out.loc["over", "computed"] == 36_000             # 9000 × 4 calendar years
    assert out.loc["over", "verdict"] == "tension"
    assert out.loc["under", "verdict"] == "consistent"


def test_implied_and_context_rows_are_not_checkable():
    rows = [*PEOPLE, _claim("c.rate", "1%", 1, "percent"),
            _claim("c.pop", "1000人", 1000, "persons")]
    out = _run(rows, [
        _rel("ratio", "implied", {"numerator": "a.whole", "denominator": "a.part"}),
        _rel("product", "implied_product", {"factor": "a.whole", "count": "a.part"}),
        _rel("base", "context_base", {"rate": "c.rate", "persons": "a.part",
                                      "population": "c.pop"}),
        _rel("prod", "context_product", {"factor": "a.part", "count": "a.part",
                                         "compare": "c.pop"})])
    assert set(out["verdict"]) == {"not_checkable"}
    assert out.loc["ratio", "computed"] == pytest.approx(7 / 3)
    assert out.loc["product", "computed"] == 21
    assert out.loc["base", "computed"] == pytest.approx(300)
    assert out.loc["prod", "stated"] == 1000


def _book(**ranges):
    book = load_codebook().copy()
    for cid, (lo, hi, per) in ranges.items():
        book.loc[cid, ["plausible_min", "plausible_max", "plausible_per"]] = [lo, hi, per]
    return book


def test_plausibility_names_the_unit_slip():
    book = load_codebook()
    rows = [_claim("poverty.registered_persons", "10000人", 10_000, "persons"),
            _claim("funds.special_total", "5.2亿元", 5.2e8, "yuan")]
    out = _run(rows, [], codebook=book)
    assert out.loc["plausible.funds.special_total", "verdict"] == "consistent"  # 52,000/person
    rows[1] = _claim("funds.special_total", "52000亿元", 5.2e12, "yuan")       # 亿 for 万 slip
    row = _run(rows, [], codebook=book).loc["plausible.funds.special_total"]
    assert row["verdict"] == "implausible"
    assert row["computed"] == pytest.approx(5.2e8)
    assert "10⁴" in row["description"] and "亿" in row["description"]
    assert row["claim_ids"] == "funds.special_total;poverty.registered_persons"
    rows[1] = _claim("funds.special_total", "5.2万元", 5.2e4, "yuan")           # ×10⁻⁴
    row = _run(rows, [], codebook=book).loc["plausible.funds.special_total"]
    assert row["verdict"] == "implausible" and "×10⁴" in row["description"]


def test_microcredit_above_the_cap_is_implausible_without_a_slip():
    rows = [_claim("finance.microcredit_households", "100户", 100, "households"),
            _claim("finance.microcredit_amount", "2000万元", 2e7, "yuan")]
    row = _run(rows, [], codebook=load_codebook()).loc["plausible.finance.microcredit_amount"]
    assert row["computed"] == 200_000 and row["verdict"] == "implausible"
    assert "no unit slip" in row["description"]
    rows[1] = _claim("finance.microcredit_amount", "400万元", 4e6, "yuan")
    row = _run(rows, [], codebook=load_codebook()).loc["plausible.finance.microcredit_amount"]
    assert row["verdict"] == "consistent"                      # 40,000 ≤ 5万元


def test_missing_inputs_give_no_row_and_are_listed():
    relations = pd.DataFrame([_rel("r", "part_le_whole", {"part": "a.part", "whole": "z.none"})],
                             columns=au.RELATION_COLUMNS)
    claims = _frame(PEOPLE)
    assert au.run_audit(claims, relations).empty
    gone = au.not_run(claims, relations)
    assert gone.loc[0, "missing"] == "z.none"


def test_relations_file_is_valid_and_uses_codebook_ids(tmp_path):
    relations = au.load_relations()
    book = set(load_codebook().index)
    for roles in relations["roles"]:
        assert set(au.parse_roles(roles).values()) <= book
    bad = relations.copy()
    bad.loc[0, "kind"] = "nonsense"
    path = tmp_path / "relations.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(ValueError, match="unknown kind"):
        au.load_relations(path)


def test_listed_items():
    assert au.listed_items("从清洁卫生、勤劳致富、感恩社会、和睦家风四个维度") == [
        "清洁卫生", "勤劳致富", "感恩社会", "和睦家风"]
    assert au.listed_items("以“甲、乙、丙”等九大产业") == ["甲", "乙", "丙"]
    assert au.listed_items("以“发展特色种植、健康养殖”等九大产业") == ["特色种植", "健康养殖"]


# --------------------------------------------------------------------------- default claims


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
    assert set(audit_table["relation"]) <= set(au.KIND_ROLES)


def test_reimbursement_rate_is_within_rounding(audit_table, article_text):
    m = re.search(r"医疗费用([\d.]+)亿元，总补偿金额([\d.]+)亿元，综合报销比例达到(\d+)%",
                  article_text)
    costs, paid, rate = (float(x) for x in m.groups())
    row = audit_table.set_index("check_id").loc["health.reimbursement_rate"]
    assert row["computed"] == pytest.approx(paid / costs * 100)
    assert row["stated"] == rate
    assert row["verdict"] == "rounding"
    assert row["assumption"] == ""


def test_per_capita_industry_funds_are_a_tension_on_an_unprinted_base(audit_table,
                                                                     article_text):
    funds = float(re.search(r"产业扶贫资金([\d.]+)万元", article_text).group(1)) * 1e4
    per_capita = float(re.search(r"人均得到财政资金投入(\d+)元", article_text).group(1))
    registered = float(re.search(r"贫困户总户数\d+户(\d+)人", article_text).group(1))
    row = audit_table.set_index("check_id").loc["industry.funds_per_person_vs_registered"]
    assert row["computed"] == pytest.approx(funds / registered)
    assert abs(funds / registered - per_capita) > 1      # beyond the half yuan printed
    # the base of 人均 is not printed: the contradiction rests on an assumption
    assert row["verdict"] == "tension" and "人均" in row["assumption"]


def test_nine_industries_but_eight_named_after_deng_is_ambiguous(audit_table, article_text):
    row = audit_table.set_index("check_id").loc["industry.nine_industry_types"]
    assert (row["stated"], row["computed"]) == (9, 8)
    assert "等九大产业" in article_text
    assert row["verdict"] == "ambiguous"
    assert "closes the list" in row["description"] and "and others" in row["description"]


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
    assert row["verdict"] == "tension" and row["assumption"]


def test_relative_difference_only_where_figures_should_agree(audit_table):
    rows = audit_table.set_index("check_id")
    assert math.isnan(rows.loc["headline.lifted_persons_within_registered",
                               "relative_difference"])
    assert math.isnan(rows.loc["headline.incidence_implied_base", "relative_difference"])
    assert not math.isnan(rows.loc["health.reimbursement_rate", "relative_difference"])


def test_industry_funds_per_registered_person_are_plausible(audit_table):
    row = audit_table.set_index("check_id").loc["plausible.industry.funds"]
    assert row["verdict"] == "consistent"


# --------------------------------------------------------------------------- fixtures


def test_planted_errors_of_the_fixture_get_their_verdicts():
    claims = load_claims(QINGWU)
    out = au.run_audit(claims).set_index("check_id")
    assert out.loc["plausible.funds.special_total", "verdict"] == "implausible"
    assert "亿" in out.loc["plausible.funds.special_total", "description"]
    assert out.loc["housing.relocated_within_registered", "verdict"] == "discrepancy"
    assert out.loc["headline.incidence_implied_bases", "verdict"] == "discrepancy"
    assert out.loc["plausible.finance.microcredit_amount", "verdict"] == "implausible"
    # independent: the implied bases from the printed figures
    v = claims.set_index("id")["value_base"]
    start = v["poverty.registered_persons_start"] / (v["poverty.poverty_incidence_start"] / 100)
    end = v["poverty.remaining_persons"] / (v["poverty.poverty_incidence"] / 100)
    assert out.loc["headline.incidence_implied_bases", "stated"] == pytest.approx(start)
    assert out.loc["headline.incidence_implied_bases", "computed"] == pytest.approx(end)


def test_headline_only_claims_give_a_short_audit():
    claims = load_claims(SONGLAN)
    out = au.run_audit(claims)
    assert 0 < len(out) < 15
    ids = {i for ids in out["claim_ids"] for i in ids.split(";")}
    assert ids <= set(claims["id"])


def test_money_totals_leave_implausible_amounts_out():
    claims = load_claims(QINGWU)
    money = au.money_table(claims)
    slip = money.set_index("claim_ids").loc["funds.special_total"]
    assert slip["is_implausible"] and not slip["is_in_total"]
    assert "implausible" in slip["total_note_en"]
    totals = au.money_totals(money).set_index("key")
    summed = money.loc[money["is_in_total"], "amount_yuan"].sum()
    assert totals.loc["all", "amount_yuan"] == pytest.approx(summed)
    assert "funds.special_total" in totals.loc["implausible", "claim_ids"]
    assert "funds.special_total" not in totals.loc["all", "claim_ids"]


def test_semesters_in_period_counts_semester_starts():
    assert au.semesters_in_period("2015-01-01", "2020-06-30") == 11   # 2015 spring–2020 spring
    assert au.semesters_in_period("2019-09-01", "2019-09-01") == 1
    assert au.semesters_in_period("2019-04-01", "2019-08-31") == 0
    with pytest.raises(ValueError, match="before it starts"):
        au.semesters_in_period("2020-01-01", "2019-01-01")


def test_per_semester_minimum_against_a_stock():
    period = dict(period_start="2015-01-01", period_end="2020-06-30",
                  period_text="2015—2020年春季")
    rows = [_claim("s.times", "110万人次", 1_100_000, "person_times", **period),
            _claim("s.few", "11万人次", 110_000, "person_times", **period),
            _claim("s.open", "11万人次", 110_000, "person_times", period_end="2020-06-30"),
            _claim("s.people", "50000人", 50_000, "persons")]
    out = _run(rows, [
        _rel("over", "per_semester", {"flow": "s.times", "stock": "s.people"},
             assumption="every pupil is registered"),
        _rel("bare", "per_semester", {"flow": "s.times", "stock": "s.people"}),
        _rel("under", "per_semester", {"flow": "s.few", "stock": "s.people"},
             assumption="every pupil is registered"),
        _rel("open", "per_semester", {"flow": "s.open", "stock": "s.people"})])
    assert out.loc["over", "stated"] == pytest.approx(100_000)   # 1,100,000 ÷ 11 semesters
    assert out.loc["over", "verdict"] == "tension"
    assert out.loc["bare", "verdict"] == "discrepancy"
    assert out.loc["under", "verdict"] == "consistent"
    assert out.loc["open", "verdict"] == "not_checkable"          # start not printed


def test_size_vs_register_with_tolerance_and_at_least():
    rows = [_claim("h.persons", "300人", 300, "persons"),
            _claim("h.households", "100户", 100, "households"),
            _claim("h.more", "500余人", 500, "persons", qualifier="at_least"),
            _claim("h.few", "200多户", 200, "households", qualifier="at_least"),
            _claim("r.persons", "250人", 250, "persons"),
            _claim("r.households", "100户", 100, "households")]
    ref = {"ref_persons": "r.persons", "ref_households": "r.households"}
    out = _run(rows, [
        _rel("within", "size_vs_register", {"persons": "h.persons", "households": "h.households",
                                            **ref}, tolerance="0.25", assumption="same size"),
        _rel("strict", "size_vs_register", {"persons": "h.persons", "households": "h.households",
                                            **ref}, assumption="same size"),
        _rel("over", "size_vs_register", {"persons": "h.more", "households": "h.households",
                                          **ref}, tolerance="0.25", assumption="same size"),
        _rel("upto", "size_vs_register", {"persons": "h.more", "households": "h.few", **ref})])
    assert out.loc["within", "computed"] == pytest.approx(2.5 * 1.25)
    assert out.loc["within", "verdict"] == "consistent"       # 3.0 ≤ 3.125
    assert out.loc["strict", "verdict"] == "tension"          # 3.0 > 2.5, under the assumption
    assert out.loc["over", "verdict"] == "tension"            # at least 5 a household
    assert out.loc["upto", "verdict"] == "consistent"         # 500+ ÷ 200+: not bounded below


def test_per_capita_lists_the_readings_that_reproduce_the_printed_figure():
    rows = [_claim("p.per", "90元", 90, "yuan_per_person"),
            _claim("p.total", "10000元", 10_000, "yuan"),
            _claim("p.base", "100人", 100, "persons")]
    out = _run(rows, [_rel("pc", "per_capita", {"per_capita": "p.per", "total": "p.total",
                                                "base": "p.base"}, assumption="same base")])
    assert out.loc["pc", "verdict"] == "tension"
    assert "a base of 111 (+11 against 100人)" in out.loc["pc", "description"]
    assert "90.0% of 10000元" in out.loc["pc", "description"]


def test_joined_items_and_the_third_reading_of_a_count():
    assert au.joined_items("农村公共服务‘扶贫车间’式加工") == ("农村公共服务", "‘扶贫车间’式加工")
    assert au.joined_items("‘扶贫车间’式加工") is None and au.joined_items("村级光伏") is None
    quote = "发展甲、乙、丙服务‘丁车间’式加工等四大产业"
    out = _run([_claim("j.n", "四大", 4, "industry_types", quote=quote)],
               [_rel("joined", "count_list", {"count": "j.n"})])
    assert out.loc["joined", "verdict"] == "ambiguous"
    assert "丙服务‘丁车间’式加工 may be two items joined without 、" in out.loc[
        "joined", "description"]


def test_the_chinese_description_gets_the_chinese_readings():
    rows = [_claim("p.per", "90元", 90, "yuan_per_person"),
            _claim("p.total", "10000元", 10_000, "yuan"),
            _claim("p.base", "100人", 100, "persons")]
    rel = _rel("pc", "per_capita", {"per_capita": "p.per", "total": "p.total",
                                    "base": "p.base"}, assumption="same base",
               assumption_zh="同一基数")
    rel["description_zh"] = "人均{per_capita}"
    out = _run(rows, [rel])
    zh = out.loc["pc", "description_zh"]
    assert zh.startswith("人均90元；能得出所印90元的读法：基数为111（与100人相差+11）")
    assert "10000元的90.0%除以100人" in zh
    assert out.loc["pc", "assumption_zh"] == "同一基数"
    quote = "发展甲、乙、丙服务‘丁车间’式加工等四大产业"
    out = _run([_claim("j.n", "四大", 4, "industry_types", quote=quote)],
               [_rel("joined", "count_list", {"count": "j.n"})])
    zh = out.loc["joined", "description_zh"]
    assert "（所列：甲、乙、丙服务‘丁车间’式加工）" in zh and "“等”有两种读法" in zh
    assert "丙服务‘丁车间’式加工可能是未用“、”分开的两项" in zh
    assert not re.search(r"[A-Za-z]{2,}", zh.replace("joined", ""))


def test_every_description_of_the_default_audit_is_chinese_in_chinese(audit_table):
    """Every generated sentence has a Chinese version: no English word in description_zh
    (beyond ids, codebook ids and the units of the claims)."""
    for cid, text in zip(audit_table["check_id"], audit_table["description_zh"], strict=True):
        words = re.findall(r"[A-Za-z]{2,}", re.sub(r"[A-Za-z0-9_]+\.[A-Za-z0-9_.]+", "", text))
        assert not words, (cid, text)
    assumed = audit_table[audit_table["assumption"] != ""]
    assert (assumed["assumption_zh"] != assumed["assumption"]).all()


# --------------------------------------------------------------------------- share by date

SHARE_ROLES = {"share": "p.share", "persons": "poverty.remaining_persons",
               "households": "poverty.remaining_households"}
REGISTER = [_claim("poverty.registered_persons", "300人", 300, "persons"),
            _claim("poverty.registered_households", "100户", 100, "households"),
            _claim("poverty.lifted_persons", "280人", 280, "persons"),
            _claim("poverty.lifted_households", "93户", 93, "households")]


def _share_run(period_end="2020-06-30", extra=(), report=(2020, 6, 30), **rel):
    import datetime as dt
    from types import SimpleNamespace

    share = _claim("p.share", "全部", 100, "percent", period_text="今年6月底",
                   period_end=pd.Timestamp(period_end) if period_end else None)
    frame = _frame([share, *REGISTER, *extra])
    if report:
        frame.attrs["meta"] = SimpleNamespace(reporting_date=dt.date(*report))
    relations = pd.DataFrame([_rel("s", "share_by_date", SHARE_ROLES, **rel)],
                             columns=au.RELATION_COLUMNS)
    return au.run_audit(frame, relations).set_index("check_id").loc["s"]


def test_share_by_date_of_the_past_is_consistent_under_its_assumption():
    row = _share_run(assumption="meeting the conditions is not yet the exit")
    assert row["verdict"] == "consistent"
    assert row["computed"] == 300 - 280                   # the people 全部 covers
    assert math.isnan(row["stated"]) and math.isnan(row["relative_difference"])
    assert row["assumption"] == "meeting the conditions is not yet the exit"
    assert row["claim_ids"].split(";") == ["p.share", "poverty.registered_persons",
                                           "poverty.lifted_persons",
                                           "poverty.registered_households",
                                           "poverty.lifted_households"]
    assert "not after the reporting date" in row["description"]
    # no printed date: the reporting date (docs/CONVENTIONS.md), so the same verdict
    assert _share_run(period_end=None)["verdict"] == "consistent"


def test_share_by_date_after_the_reporting_date_is_a_target_not_checkable():
    row = _share_run(period_end="2020-09-30")
    assert row["verdict"] == "not_checkable"
    assert "target" in row["description"] and "目标" in row["description_zh"]
    assert _share_run(report=None)["verdict"] == "not_checkable"  # no reporting date known


def test_share_by_date_needs_the_group_the_figures_give():
    # printed remaining = registered − lifted: consistent, and the printed ones are cited
    same = [_claim("poverty.remaining_persons", "20人", 20, "persons"),
            _claim("poverty.remaining_households", "7户", 7, "households")]
    row = _share_run(extra=same)
    assert row["verdict"] == "consistent"
    assert {"poverty.remaining_persons", "poverty.lifted_persons"} <= set(
        row["claim_ids"].split(";"))
    # printed 8户 against 100 − 93 = 7: the statement's group contradicts the register
    off = [same[0], _claim("poverty.remaining_households", "8户", 8, "households")]
    row = _share_run(extra=off)
    assert row["verdict"] == "discrepancy" and "8户" in row["description"]
    # more lifted than registered: no group left
    more = [_claim("poverty.lifted_persons", "310人", 310, "persons")]
    frame_rows = [r for r in REGISTER if r["id"] != "poverty.lifted_persons"]
    import datetime as dt
    from types import SimpleNamespace
    frame = _frame([_claim("p.share", "全部", 100, "percent", period_end=pd.Timestamp(
        "2020-06-30")), *frame_rows, *more])
    frame.attrs["meta"] = SimpleNamespace(reporting_date=dt.date(2020, 6, 30))
    relations = pd.DataFrame([_rel("s", "share_by_date", SHARE_ROLES)],
                             columns=au.RELATION_COLUMNS)
    assert au.run_audit(frame, relations).loc[0, "verdict"] == "discrepancy"


def test_share_by_date_without_its_share_gives_no_row():
    relations = pd.DataFrame([_rel("s", "share_by_date", SHARE_ROLES)],
                             columns=au.RELATION_COLUMNS)
    assert au.run_audit(_frame(REGISTER), relations).empty


def test_the_june_statement_of_the_default_article(audit_table, article_text):
    # 未脱贫的对象…在今年6月底全部达到脱贫条件: the group is registered − lifted (the
    # article prints no count of it); 6月底 is not after the reporting date
    households, persons = map(int, re.search(r"贫困户总户数(\d+)户(\d+)人", article_text).groups())
    lifted_h, lifted_p = map(int, re.search(r"已脱贫(\d+)户(\d+)人", article_text).groups())
    assert "在今年6月底全部达到脱贫条件" in article_text
    row = audit_table.set_index("check_id").loc[
        "headline.remaining_meet_exit_conditions_by_date"]
    assert row["computed"] == persons - lifted_p
    assert f"{households - lifted_h:,} households" in row["description"]
    assert "今年6月底" in row["description"] and "2020-06-30" in row["description"]
    assert row["verdict"] == "consistent" and "达到脱贫条件" in row["assumption"]
    assert row["relation"] == "share_by_date"


def test_the_june_statement_moved_after_the_reporting_date_is_not_checkable():
    claims = load_claims()
    cid = "poverty.remaining_meeting_exit_conditions_rate"
    claims.loc[claims["id"] == cid, "period_end"] = pd.Timestamp("2020-10-31")
    row = au.run_audit(claims).set_index("check_id").loc[
        "headline.remaining_meet_exit_conditions_by_date"]
    assert row["verdict"] == "not_checkable"


def test_a_fixture_that_files_its_target_gets_not_checkable(tmp_path, paths):
    """songlan prints 确保在今年9月底前全部达到退出标准, after its reporting date: filed as a
    claim (in a copy), its check says not_checkable, and its coverage stays complete."""
    import csv

    import yaml

    from helpers.data.coverage import coverage_by_source

    src = paths.root / "tests/fixtures/counties/songlan"
    text = (src / "songlan_article.txt").read_text(encoding="utf-8")
    quote = next(s for s in re.split(r"(?<=。)", text) if "9月底前全部" in s)
    with (src / "songlan_claims.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows.append({**rows[0], "id": "poverty.remaining_meeting_exit_conditions_rate",
                 "indicator_zh": "未脱贫的对象全部达到退出标准", "value_printed": "全部",
                 "number": "100", "unit_printed": "全部", "base_unit": "percent",
                 "value_base": "100", "qualifier": "exact", "period_start": "",
                 "period_end": "2020-09-30", "period_text": "今年9月底前", "quote": quote,
                 "quote_offset": str(text.index(quote)), "notes": "a target"})
    with (tmp_path / "songlan_claims.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    excl = pd.read_csv(src / "songlan_exclusions.csv", dtype=str, keep_default_na=False)
    share_at = text.index("9月底前全部") + len("9月底前")
    excl[excl["offset"] != str(share_at)].to_csv(tmp_path / "songlan_exclusions.csv",
                                                 index=False)
    meta = yaml.safe_load((src / "songlan_claims.meta.yaml").read_text(encoding="utf-8"))
    meta["sources"][0]["exclusions"] = str(tmp_path / "songlan_exclusions.csv")
    (tmp_path / "songlan_claims.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True),
                                                       encoding="utf-8")
    claims = load_claims(tmp_path / "songlan_claims.csv")
    row = au.run_audit(claims).set_index("check_id").loc[
        "headline.remaining_meet_exit_conditions_by_date"]
    assert row["verdict"] == "not_checkable" and "target" in row["description"]
    v = claims.set_index("id")["value_base"]
    assert row["computed"] == v["poverty.registered_persons"] - v["poverty.lifted_persons"]
    cov = coverage_by_source(claims)
    assert (cov["status"] == "uncovered").sum() == 0
    assert (cov.loc[cov["start"] == share_at, "status"] == "claim").all()
    # the fixture as committed files it as an exclusion: no row
    assert "headline.remaining_meet_exit_conditions_by_date" not in set(
        au.run_audit(load_claims(SONGLAN))["check_id"])
