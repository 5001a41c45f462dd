"""Tests for helpers.analysis.audit_views (notebook 04) and the money and coverage it shows.

Unit tests use small hand-built claims frames; checks on the real table take
their expectations from the article's text or from an independent computation
on the claims CSV (``base_unit == "yuan"`` found here, not through the module),
never from this module's output.
"""

from __future__ import annotations

import math
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from conftest import write_claims

from helpers.analysis import audit as au
from helpers.analysis import audit_views as av
from helpers.data import coverage as cv
from helpers.data.claims import load_claims

# --------------------------------------------------------------------------- fixtures


def claims_frame(rows: list[dict]) -> pd.DataFrame:
    """A minimal claims frame; every row needs id, value_printed, value_base, base_unit."""
    base = dict(chapter=1, section="s", indicator_en="x", indicator_zh="x", qualifier="exact",
                period_start=pd.NaT, period_end=pd.NaT, period_text="", quote="q",
                quote_offset=0, source="", notes="")
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.fixture(scope="module")
def real_claims() -> pd.DataFrame:
    return load_claims()


@pytest.fixture(scope="module")
def annotated(real_claims) -> pd.DataFrame:
    return av.annotate_audit(au.run_audit(real_claims), real_claims)


@pytest.fixture(scope="module")
def money(real_claims) -> pd.DataFrame:
    return au.money_table(real_claims)


@pytest.fixture(scope="module")
def cov(real_claims) -> pd.DataFrame:
    return cv.coverage_by_source(real_claims)


def _has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _premium_figures(article_text: str) -> tuple[float, float]:
    """From the text: premium payments (人次, 2017—2020) and one a year per registered person."""
    times = float(re.search(r"代缴贫困人口医保([\d.]+)万人次", article_text).group(1)) * 1e4
    first, last = map(int, re.search(r"(\d{4})—(\d{4})年共计代缴", article_text).groups())
    registered = float(re.search(r"贫困户总户数\d+户(\d+)人", article_text).group(1))
    return times, registered * (last - first + 1)


# --------------------------------------------------------------------------- audit table


def test_every_relation_has_bilingual_labels_and_a_reading():
    relations = au.all_relations()
    for _, r in relations.iterrows():
        assert r["kind"] in av.RELATION_KIND and r["kind"] in av.RELATION_LABELS
        assert r["label_en"] and not _has_cjk(r["label_en"]), r["relation_id"]
        assert _has_cjk(r["label_zh"]), r["relation_id"]
        assert bool(r["assumption"]) == bool(r["assumption_zh"]), r["relation_id"]
        assert not r["assumption_zh"] or _has_cjk(r["assumption_zh"])


def test_annotation_carries_the_relation_labels(annotated):
    relations = au.all_relations().set_index("relation_id")
    for _, row in annotated.iterrows():
        rel = relations.loc[row["check_id"]]
        assert row["label_en"] == rel["label_en"]
        assert row["kind"] == av.RELATION_KIND[rel["kind"]] == av.RELATION_KIND[row["relation"]]


def test_rounding_band_sums_relative_half_steps():
    claims = claims_frame([
        dict(id="r", value_printed="88%", value_base=88, base_unit="percent"),
        dict(id="a", value_printed="3.82亿元", value_base=3.82e8, base_unit="yuan"),
        dict(id="b", value_printed="4.33亿元", value_base=4.33e8, base_unit="yuan"),
        dict(id="n", value_printed="43172人", value_base=43172, base_unit="persons"),
        dict(id="m", value_printed="5万余人", value_base=50000, base_unit="persons",
             qualifier="at_least"),
    ])
    tol, open_ended = av.rounding_band(claims, ["r", "a", "b"])
    assert tol == pytest.approx(0.5 / 88 + 0.005 / 3.82 + 0.005 / 4.33)
    assert not open_ended
    assert av.rounding_band(claims, ["n"]) == (0.0, False)  # a whole count is exact
    assert av.rounding_band(claims, ["n", "m"]) == (0.0, True)


def test_band_agrees_with_the_audit_verdicts(annotated):
    eq = annotated[annotated["kind"] == "equality"]
    assert len(eq) >= 4
    for _, row in eq.iterrows():
        assert row["is_within_band"] == (row["verdict"] in ("consistent", "rounding")), \
            row["check_id"]


def test_discrepancies_found_from_the_text(annotated, article_text):
    # independently: funds ÷ registered people against the printed per-capita figure
    funds = float(re.search(r"产业扶贫资金([\d.]+)万元", article_text).group(1)) * 1e4
    persons = float(re.search(r"贫困户总户数\d+户(\d+)人", article_text).group(1))
    printed = float(re.search(r"人均得到财政资金投入(\d+)元", article_text).group(1))
    row = annotated.set_index("check_id").loc["industry.funds_per_person_vs_registered"]
    assert row["computed"] == pytest.approx(funds / persons)
    assert abs(printed / (funds / persons) - 1) > row["tolerance"]
    assert not row["is_within_band"]
    assert row["verdict"] == "tension"  # the base of 人均 is an assumption


def test_bound_mark():
    claims = claims_frame([
        dict(id="a", value_printed="5万余人", value_base=5e4, base_unit="persons",
             qualifier="at_least"),
        dict(id="b", value_printed="100户", value_base=100, base_unit="households"),
    ])
    assert av.bound_mark(claims, ["a", "b"], "implied") == "≥"
    assert av.bound_mark(claims, ["b", "a"], "implied") == "≤"
    assert av.bound_mark(claims, ["b", "b"], "implied") == ""
    assert av.bound_mark(claims, ["a", "b"], "equality") == ""


def test_annotation_keeps_every_check_and_orders_by_chapter(annotated, real_claims):
    assert len(annotated) == len(au.run_audit(real_claims))
    assert list(annotated["chapter"]) == sorted(annotated["chapter"])
    incidence = annotated.set_index("check_id").loc["headline.incidence_implied_base"]
    assert incidence["ratio"] == pytest.approx(incidence["stated"] / incidence["computed"])


def test_claim_reach_on_a_hand_built_audit():
    claims = claims_frame([dict(id=i, value_printed="1人", value_base=1, base_unit="persons")
                           for i in ("a", "b", "c")])
    audit = pd.DataFrame({"check_id": ["x", "y"], "claim_ids": ["a;b", "b"],
                          "verdict": ["not_checkable", "consistent"]})
    reach = av.claim_reach(claims, audit).set_index("claim_ids")["reach"]
    assert reach.to_dict() == {"a": "implied_only", "b": "checked", "c": "not_reached"}


# --------------------------------------------------------------------------- money


def test_every_yuan_claim_is_classified(paths, real_claims, money):
    raw = pd.read_csv(paths.claims, dtype=str, keep_default_na=False)
    yuan_ids = set(raw.loc[raw["base_unit"] == "yuan", "id"])
    assert len(yuan_ids) > 10
    reviewed = au.money_classification(real_claims)
    assert set(reviewed) == yuan_ids
    assert set(money["claim_ids"]) == yuan_ids  # amounts only: no yuan_per_* rows
    # none by the automatic fallback: notebook 01's reading or a reviewed phrase
    assert not any("automatic" in c.reason_en for c in reviewed.values())


def test_targeting_evidence_is_verbatim_and_beside_the_claim(real_claims, article_text):
    for cid, c in au.money_classification(real_claims).items():
        offset = int(real_claims.set_index("id").loc[cid, "quote_offset"])
        window = article_text[max(0, offset - 150): offset + 300]
        assert c.evidence_zh in window, cid
        assert c.reason_en and _has_cjk(c.reason_zh) and _has_cjk(c.label_zh)


def test_money_decisions_are_those_of_closing_gaps(real_claims):
    from helpers.analysis.closing_gaps import money_rows

    reviewed = au.money_classification(real_claims)
    for _, p in money_rows(real_claims).iterrows():
        c = reviewed[p["amount_id"]]
        assert c.is_targeted == bool(p["is_registered_poor_only"])
        assert c.is_in_total == bool(p["is_spending"])


def test_classification_of_known_programmes(real_claims, article_text):
    by_id = au.money_classification(real_claims)
    # safety-net payments and disability subsidies go to all eligible residents
    assert not by_id["social_security.assistance_amount"].is_targeted
    assert not by_id["social_security.disability_subsidies"].is_targeted
    # the relocation sentence names poor households as the recipients
    assert "贫困户进行易地扶贫搬迁" in article_text
    assert by_id["housing.relocation_funds"].is_targeted
    # the bill total contains the reimbursement: only one of them is summed
    assert not by_id["health.one_stop_medical_costs"].is_in_total
    assert by_id["health.one_stop_compensation"].is_in_total


def test_marker_fallback_for_unlisted_claims():
    targeted = pd.Series({"id": "new.a", "quote": "为建档立卡贫困户发放补贴10万元",
                          "indicator_en": "subsidy", "indicator_zh": "补贴"})
    general = pd.Series({"id": "new.b", "quote": "全市修路投入10万元",
                         "indicator_en": "roads", "indicator_zh": "修路"})
    assert au.classify_by_markers(targeted).is_targeted
    assert au.classify_by_markers(targeted).evidence_zh == "建档立卡"
    assert not au.classify_by_markers(general).is_targeted
    assert au.markers_in("贫困对象与贫困户") == ["贫困户", "贫困对象"]


@pytest.mark.parametrize(("start", "end", "years"), [
    ("2015-01-01", "2020-06-30", 5.5),
    ("2018-01-01", "2020-06-30", 2.5),
    ("2017-01-01", "2020-06-30", 3.5),
    ("2020-01-01", "2020-12-31", 1.0),
    ("2020-03-01", "2020-03-31", 1 / 12),
    ("2019-03-15", "2020-03-14", 366 / 365.25),  # not month-aligned: days
])
def test_years_covered(start, end, years):
    assert au.years_covered(pd.Timestamp(start), pd.Timestamp(end)) == pytest.approx(years)


def test_years_covered_without_a_start_and_reversed():
    assert math.isnan(au.years_covered(pd.NaT, pd.Timestamp("2020-06-30")))
    assert math.isnan(au.years_covered(None, None))
    with pytest.raises(ValueError, match="before it starts"):
        au.years_covered(pd.Timestamp("2020-01-01"), pd.Timestamp("2019-01-01"))


def test_per_year():
    assert au.per_year(1100.0, 5.5) == pytest.approx(200.0)
    assert math.isnan(au.per_year(1100.0, math.nan))
    assert math.isnan(au.per_year(1100.0, 0.0))


@pytest.fixture
def money_claims() -> pd.DataFrame:
    t = pd.Timestamp
    return claims_frame([
        dict(id="m.a", value_printed="110万元", value_base=1.1e6, base_unit="yuan",
             period_start=t("2015-01-01"), period_end=t("2020-06-30"), quote_offset=1,
             quote="为贫困户投入110万元"),
        dict(id="m.b", value_printed="30余万元", value_base=3e5, base_unit="yuan",
             qualifier="at_least", period_start=t("2018-01-01"), period_end=t("2020-06-30"),
             quote_offset=2, quote="全市修路30余万元"),
        dict(id="m.c", value_printed="50万元", value_base=5e5, base_unit="yuan",
             period_end=t("2020-06-30"), quote_offset=3, quote="给贫困对象50万元"),
        dict(id="m.d", value_printed="100元", value_base=100, base_unit="yuan_per_person",
             quote_offset=4),
    ])


def test_money_table_on_hand_built_claims(money_claims):
    table = au.money_table(money_claims).set_index("claim_ids")
    assert list(table.index) == ["m.a", "m.b", "m.c"]  # no per-unit amount
    assert table.loc["m.a", "years_covered"] == pytest.approx(5.5)
    assert table.loc["m.a", "amount_per_year_yuan"] == pytest.approx(2e5)
    assert table.loc["m.b", "amount_per_year_yuan"] == pytest.approx(1.2e5)
    assert math.isnan(table.loc["m.c", "amount_per_year_yuan"])
    assert not table.loc["m.c", "has_printed_start"]
    assert table["is_poverty_targeted"].to_dict() == {"m.a": True, "m.b": False, "m.c": True}
    assert table.loc["m.b", "is_at_least"]


def test_money_totals_on_hand_built_claims(money_claims):
    totals = au.money_totals(au.money_table(money_claims)).set_index("key")
    assert totals.loc["all", "amount_yuan"] == pytest.approx(1.9e6)
    assert totals.loc["all", "is_at_least"]
    assert totals.loc["targeted", "amount_yuan"] == pytest.approx(1.6e6)
    assert not totals.loc["targeted", "is_at_least"]
    assert totals.loc["targeted", "n_without_period"] == 1
    assert totals.loc["not_targeted", "share_of_all_pct"] == pytest.approx(100 * 3 / 19)
    assert totals.loc["with_start", "amount_per_year_yuan"] == pytest.approx(3.2e5)
    assert totals.loc["with_start", "period_starts"] == "2015-01-01;2018-01-01"
    assert totals.loc["start_not_printed", "claim_ids"] == "m.c"
    assert totals.loc["not_summed", "n_figures"] == 0
    assert totals.loc["implausible", "n_figures"] == 0


def test_money_total_of_the_article(real_claims, money, article_text):
    # independently: every 万元/亿元 amount printed in the article, less the per-unit
    # figures (元/人/年 and plain 元) and the bill total that contains the reimbursement
    amounts = [float(n) * (1e4 if m == "万" else 1e8) for n, m in
               re.findall(r"(\d+(?:\.\d+)?)余?(万|亿)元", article_text)]
    bill = float(re.search(r"结算医疗费用([\d.]+)亿元", article_text).group(1)) * 1e8
    totals = au.money_totals(money).set_index("key")
    assert totals.loc["all", "amount_yuan"] == pytest.approx(sum(amounts) - bill)
    assert totals.loc["all", "is_at_least"]  # 65000余万元
    assert totals.loc["not_summed", "amount_yuan"] == pytest.approx(bill)
    parts = totals.loc["targeted", "amount_yuan"] + totals.loc["not_targeted", "amount_yuan"]
    assert parts == pytest.approx(totals.loc["all", "amount_yuan"])


# --------------------------------------------------------------------------- coverage


def test_coverage_of_the_article_has_nothing_uncovered(real_claims, cov):
    counts = av.coverage_counts(cov, real_claims)
    assert counts["uncovered"] == 0
    assert counts["claims_found"] == counts["claims"] == len(real_claims)
    assert set(cov["chapter"]) == {0, 1, 2, 3}
    assert set(cov["source"]) == {s.id for s in real_claims.attrs["meta"].sources}
    assert "none is uncovered" in av.coverage_statement(cov, real_claims, "en")


def test_a_source_without_exclusions_lists_its_uncovered_mentions(tmp_path, claims_rows,
                                                                  paths, article_text):
    article = tmp_path / "article.txt"
    article.write_text(article_text + "\n另有7户。", encoding="utf-8")
    for row in claims_rows:
        row["source"] = str(article)
    path = write_claims(tmp_path / "c_claims.csv", claims_rows, with_metadata=False)
    meta = (paths.claims.with_name(paths.claims.stem + ".meta.yaml")
            .read_text(encoding="utf-8"))
    meta = re.sub(r"path: \S+", f"path: {article}", meta, count=1)
    meta = re.sub(r"\n\s*(provenance|exclusions): \S+", "", meta)
    path.with_name("c_claims.meta.yaml").write_text(meta, encoding="utf-8")
    claims = load_claims(path)
    cov = cv.coverage_by_source(claims)
    counts = av.coverage_counts(cov, claims)
    excluded_before = len(cv.load_exclusions())
    assert counts["excluded"] == 0
    assert counts["uncovered"] == excluded_before + 1       # the new 7户 among them
    assert "7户" in set(cov.loc[cov["status"] == "uncovered", "text"])
    assert "no exclusions file" in av.coverage_statement(cov, claims, "en")
    summary = av.coverage_summary(cov, "en")
    assert "uncovered" in set(summary["Status"])


# --------------------------------------------------------------------------- display tables


def _display_tables(real_claims, annotated, money, cov, lang):
    return {
        "audit": av.display_audit(annotated, lang, "wan"),
        "verdicts": av.verdict_summary(annotated, lang),
        "reach": av.reach_summary(av.claim_reach(real_claims, annotated), lang),
        "rounding": av.rounding_examples(real_claims, lang=lang),
        "money": av.display_money(money, lang, "wan"),
        "totals": av.display_totals(au.money_totals(money), lang, "yi"),
        "relations": av.display_relations(au.all_relations(), real_claims, lang),
        "coverage": av.coverage_summary(cov, lang),
        "exclusions": av.display_exclusions(cov, lang),
    }


def test_display_tables_in_english(real_claims, annotated, money, cov):
    for name, table in _display_tables(real_claims, annotated, money, cov, "en").items():
        headers = [c for c in table.columns if c != "claim_ids"]
        assert headers and not any(_has_cjk(h) for h in headers), name
        if name not in ("verdicts", "reach", "coverage", "relations"):  # counts
            assert "claim_ids" in table.columns, name


def test_display_tables_in_chinese(real_claims, annotated, money, cov):
    for name, table in _display_tables(real_claims, annotated, money, cov, "zh").items():
        headers = [c for c in table.columns if c != "claim_ids"]
        assert headers and all(_has_cjk(h) for h in headers), (name, headers)
    audit = av.display_audit(annotated, "zh")
    assert set(audit["结论"]) <= {zh for _, zh in av.VERDICT_LABELS.values()}
    assert not audit["核对项"].map(lambda s: bool(re.search(r"[A-Za-z]{3,}", s))).any()


def test_display_audit_formats_numbers(annotated):
    table = av.display_audit(annotated, "en", "yi").set_index("claim_ids")
    row = table.loc["health.one_stop_compensation;health.one_stop_medical_costs"]
    assert row["Stated"] == "3.82 × 100 million yuan"
    assert row["Stated vs computed"].startswith("part = 88.2%")
    first = av.display_audit(annotated, "en")["Chapter"]
    assert (first != "").sum() == annotated["chapter"].nunique()  # one label per group


def test_a_part_beyond_its_whole_is_shown_as_its_share(annotated, article_text):
    times, bound = _premium_figures(article_text)
    assert times > bound  # more payments than one a year per registered person
    for lang, unit in (("en", " person-times"), ("zh", "人次")):
        table = av.display_audit(annotated, lang).set_index("claim_ids")
        kind, stated, computed, versus, verdict = table.loc[
            "health.premium_person_times;poverty.registered_persons"].iloc[2:7]
        assert (stated, computed) == (f"{times:,.0f}{unit}", f"{bound:,.0f}{unit}")
        assert f"{100 * times / bound:.1f}%" in versus
        assert verdict == av.VERDICT_LABELS["tension"][lang == "zh"]
        assert kind == av.KIND_LABELS["inequality"][lang == "zh"]


def test_rounding_examples():
    claims = claims_frame([dict(id="r", value_printed="88%", value_base=88,
                                base_unit="percent", indicator_en="rate")])
    table = av.rounding_examples(claims, ("r", "absent"), "en")
    assert list(table["Stands for"]) == ["87.5 – 88.5%"]


@pytest.mark.parametrize(("yuan", "unit", "lang", "text"), [
    (4.33e8, "yi", "en", "4.33 × 100 million yuan"),
    (770_000, "yi", "zh", "0.00770亿元"),
    (46_586_600, "wan", "zh", "4,658.66万元"),
    (3966, "yuan", "en", "3,966 yuan"),
])
def test_fmt_money(yuan, unit, lang, text):
    assert av.fmt_money(yuan, unit, lang) == text


# --------------------------------------------------------------------------- figures


@pytest.fixture
def theme():
    from helpers.display.plotting import apply_theme

    apply_theme("en")
    yield
    matplotlib.rcdefaults()


def test_audit_figure_artists(annotated, theme):
    import matplotlib.pyplot as plt

    both = annotated[annotated["stated"].notna() & annotated["computed"].notna()]
    for lang in ("en", "zh"):
        fig = av.audit_figure(annotated, lang)
        axes = fig.get_axes()
        kinds = [k for k in ("equality", "inequality", "context") if (both["kind"] == k).any()]
        assert len(axes) == len(kinds)
        for ax, kind in zip(axes, kinds, strict=True):
            n = int((both["kind"] == kind).sum())
            assert len(ax.get_yticklabels()) == n
            assert len(ax.collections) == n  # one marker per check
        legend = fig.legends[0]
        dagger = bool(both["assumption"].astype(bool).any())
        assert len(legend.get_texts()) == both["verdict"].nunique() + dagger
        title = fig._suptitle.get_text()
        bad = annotated[annotated["verdict"].isin(["discrepancy", "tension"])]
        for _, r in bad.iterrows():  # every discrepancy is named, of whatever kind
            name = re.split(r" = | ≤ |＝|≤", r[f"label_{lang}"])[0]
            assert name in title, r["check_id"]
        # a part beyond its whole is drawn in the part/whole panel, inside the axis
        ineq = axes[kinds.index("inequality")]
        share = 100 * (both.loc[both["kind"] == "inequality", "stated"]
                       / both.loc[both["kind"] == "inequality", "computed"])
        assert ineq.get_xlim()[1] > share.max() > 100
        assert f"{share.max():.1f}%" in [t.get_text() for t in ineq.texts]
        if lang == "zh":
            assert all(_has_cjk(ax.get_xlabel()) for ax in axes)
            assert all(_has_cjk(t.get_text()) for t in legend.get_texts())
        if dagger:
            assert any(t.get_text().endswith("†") for t in ineq.get_yticklabels())
        plt.close(fig)


def _hand_annotated() -> pd.DataFrame:
    rows = [  # kind, verdict, stated, computed, relative difference, part share, labels
        ("equality", "consistent", 4, 4, 0.0, math.nan, "a = b", "甲＝乙"),
        ("equality", "discrepancy", 9, 8, 0.125, math.nan, "types = listed", "类别数＝列出数"),
        ("inequality", "consistent", 1, 2, math.nan, 0.5, "c ≤ d", "丙≤丁"),
        ("inequality", "discrepancy", 3, 2, math.nan, 1.5, "payments ≤ people", "人次≤人数"),
        ("implied", "not_checkable", math.nan, 7, math.nan, math.nan, "per unit", "单位金额"),
    ]
    return pd.DataFrame([dict(kind=k, verdict=v, stated=s, computed=c, relative_difference=r,
                              part_share=p, label_en=en, label_zh=zh, assumption="")
                         for k, v, s, c, r, p, en, zh in rows])


def test_audit_title_names_every_discrepancy():
    en = av.audit_title(_hand_annotated(), "en")
    assert en.startswith("1 of 2 pairs of figures that should agree do")
    assert "1 of 2 parts stay within their whole" in en
    assert en.splitlines()[1] == ("2 discrepancies: types (+12.50%); "
                                  "payments (part = 150.0% of whole)")
    zh = av.audit_title(_hand_annotated(), "zh")
    assert zh.splitlines()[1] == "不一致2项：类别数（+12.50%）；人次（部分为整体的150.0%）"
    tension = _hand_annotated()
    tension.loc[3, "verdict"] = "tension"
    lines = av.audit_title(tension, "en").splitlines()
    assert lines[1] == "1 discrepancy: types (+12.50%)"
    assert lines[2] == "1 tension under an assumption: payments (part = 150.0% of whole)"
    clean = _hand_annotated()
    clean["verdict"] = clean["verdict"].replace("discrepancy", "consistent")
    assert av.audit_title(clean, "en").endswith("no discrepancy")


def test_money_figure_artists(money, theme):
    import matplotlib.pyplot as plt

    for lang, unit in (("en", "wan"), ("zh", "yi")):
        fig = av.money_figure(money, lang, unit)
        left, right = fig.get_axes()
        assert len(left.patches) == len(money)  # one period bar per amount
        assert len(left.get_yticklabels()) == len(money)
        assert len(right.texts) == len(money)  # each amount annotated
        n_open = int((~money["has_printed_start"]).sum())
        assert sum(t.get_text() == av._t(("start not printed", "起始未写明"), lang)
                   for t in left.texts) == n_open
        assert len(fig.legends[0].get_texts()) == 3
        total = au.money_totals(money).set_index("key").loc["all", "amount_yuan"]
        assert av.fmt_money(total, unit, lang) in fig._suptitle.get_text()
        plt.close(fig)


# --------------------------------------------------------------------------- findings


def test_findings_cite_computed_numbers(real_claims, annotated, money, cov, article_text):
    funds = float(re.search(r"产业扶贫资金([\d.]+)万元", article_text).group(1)) * 1e4
    persons = float(re.search(r"贫困户总户数\d+户(\d+)人", article_text).group(1))
    for lang in ("en", "zh"):
        sentences = av.findings(real_claims, annotated, money, cov, lang, "wan")
        text = " ".join(sentences)
        assert f"{funds / persons:,.1f}" in text
        assert str(len(annotated)) in sentences[0]
        assert real_claims.attrs["meta"].county_name(lang) in sentences[0]


def test_findings_name_every_check_that_does_not_hold(real_claims, annotated, money, cov,
                                                      article_text):
    times, bound = _premium_figures(article_text)
    funds = float(re.search(r"产业扶贫资金([\d.]+)万元", article_text).group(1)) * 1e4
    persons = float(re.search(r"贫困户总户数\d+户(\d+)人", article_text).group(1))
    printed = re.search(r"人均得到财政资金投入(\d+)元", article_text).group(1)
    bad = annotated[annotated["verdict"].isin(["discrepancy", "tension"])]
    for lang in ("en", "zh"):
        heads = tuple(av._t(av.VERDICT_LABELS[v], lang).capitalize() if lang == "en" else
                      av._t(av.VERDICT_LABELS[v], lang) for v in ("discrepancy", "tension"))
        sentences = av.findings(real_claims, annotated, money, cov, lang, "wan")
        failing = [s for s in sentences if s.startswith(heads)]
        assert len(failing) == len(bad)
        for s, (_, r) in zip(failing, bad.iterrows(), strict=True):
            assert r[f"label_{lang}"] in s
            assert av.fmt_value(r["stated"], r["unit"], lang) in s
            assert av.fmt_value(r["computed"], r["unit"], lang) in s
        premium = next(s for s in failing if f"{times:,.0f}" in s)
        assert f"{bound:,.0f}" in premium and f"{100 * times / bound:.1f}%" in premium
        per_capita = next(s for s in failing if f"{int(printed):,}" in s)
        assert f"{funds / persons:,.1f}" in per_capita
        assert "人均" in per_capita  # the assumption is named


def test_findings_on_other_counties():
    for path, county in (("tests/fixtures/counties/qingwu/qingwu_claims.csv", "Qingwu"),
                         ("tests/fixtures/counties/songlan/songlan_claims.csv", "Songlan")):
        claims = load_claims(path)
        audit = au.run_audit(claims)
        checks = av.annotate_audit(audit, claims)
        money = au.money_table(claims, audit) if len(au.money_claims(claims)) else None
        sentences = av.findings(claims, checks, money, cv.coverage_by_source(claims), "en")
        assert county in sentences[0]
        text = " ".join(sentences)
        assert "Leiyang" not in text and "耒阳" not in text
        if county == "Qingwu":
            assert "Implausible magnitude" in text and "亿" in text
            assert "Left out of the sums" in text


def test_wrap_title_breaks_only_between_items():
    items = [f"item number {i} (part = 1{i}0.0% of whole)" for i in range(8)]
    wrapped = av.wrap_title("head\n4 tensions: " + "; ".join(items), "en")
    lines = wrapped.split("\n")
    assert lines[0] == "head" and len(lines) > 2
    assert all(len(line) <= 110 for line in lines)
    assert all(item in wrapped for item in items)          # no item split across lines
    zh = av.wrap_title("；".join(["危改每户受益人数（部分为整体的123.6%）"] * 5), "zh")
    assert zh.count("危改每户受益人数") == 5 and "\n" in zh


def test_flagged_checks_and_exclusions_in_the_readers_language(real_claims):
    audit = au.run_audit(real_claims)
    en, zh = av.display_flagged(audit, "en"), av.display_flagged(audit, "zh")
    assert list(en.columns) == ["check_id", "verdict", "description", "assumption", "claim_ids"]
    assert list(zh.columns) == ["check_id", "结论", "说明", "假设", "claim_ids"]
    assert len(en) == len(zh) > 0
    assert set(en["verdict"]) <= set(av.FLAGGED_VERDICTS)
    assert set(zh["结论"]) <= {av.VERDICT_LABELS[v][1] for v in av.FLAGGED_VERDICTS}
    assert list(zh["说明"]) == list(audit.loc[zh.index, "description_zh"])
    cov = cv.coverage_by_source(real_claims)
    reasons = {lang: av.display_exclusions(cov, lang).iloc[:, -2] for lang in ("en", "zh")}
    assert (reasons["en"] == cov.loc[cov["status"] == "excluded", "reason"]).all()
    assert (reasons["zh"] == cov.loc[cov["status"] == "excluded", "reason_zh"]).all()
    assert "来源" not in av.display_exclusions(cov, "zh").columns  # one source: no column


# --------------------------------------------------------------------------- 全部 and dates


def test_every_reading_and_mention_kind_has_labels():
    from helpers.data.extract import KINDS

    assert set(av.RELATION_KIND.values()) <= set(av.KIND_LABELS)
    assert set(KINDS) == set(av.MENTION_KIND_LABELS)
    assert av.MENTION_KIND_LABELS["share"][1] == "全部"


def test_a_dated_statement_is_shown_but_not_drawn(annotated, real_claims):
    row = annotated.set_index("check_id").loc["headline.remaining_meet_exit_conditions_by_date"]
    assert row["kind"] == "dated"
    assert math.isnan(row["part_share"]) and math.isnan(row["ratio"])
    drawn = pd.concat([p for _, p in av.figure_panels(annotated)])
    assert "headline.remaining_meet_exit_conditions_by_date" not in set(drawn["check_id"])
    at = list(annotated["check_id"]).index("headline.remaining_meet_exit_conditions_by_date")
    for lang, kind, computed in (("en", "dated statement", "persons"),
                                 ("zh", "有时点的陈述", "人")):
        shown = av.display_audit(annotated, lang).iloc[at]
        assert shown[av._t(("Kind", "类型"), lang)] == kind
        assert shown[av._t(("Stated", "原文数值"), lang)] == "–"
        assert shown[av._t(("Computed", "推算数值"), lang)].endswith(computed)
    v = real_claims.set_index("id")["value_base"]
    assert row["computed"] == v["poverty.registered_persons"] - v["poverty.lifted_persons"]


def test_coverage_summary_names_the_all_mentions(cov):
    for lang, label in (("en", "全部 (all)"), ("zh", "全部")):
        summary = av.coverage_summary(cov, lang)
        kinds = summary.iloc[:, 2].tolist()
        assert label in kinds
        # claims and exclusions of 全部 both appear (two of each in the article)
        statuses = summary[summary.iloc[:, 2] == label].iloc[:, 1].tolist()
        assert len(statuses) == 2 and summary[summary.iloc[:, 2] == label].iloc[:, 3].tolist() \
            == ["2", "2"]


def test_the_chinese_coverage_statement_names_each_source_by_its_title(real_claims, cov):
    text = av.coverage_statement(cov, real_claims, "zh")
    for src in real_claims.attrs["meta"].sources:
        assert src.title("zh") in text
        assert f"（{src.id}）" not in text  # the source id is an English key, not prose
    assert "没有未覆盖的数字" in text
