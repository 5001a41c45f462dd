"""Tests for helpers.overview (notebook 00): headline groups, implied base, context, timeline.

Unit tests use small hand-built claims frames; checks on the real table take
their expectations from the article's text (numbers read with a regex here),
the reference files and the provenance record, never from this module's output.
"""

from __future__ import annotations

import datetime as dt
import re

import matplotlib
import pandas as pd
import pytest
import yaml

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.text import Text

from helpers import overview as ov
from helpers.claims import load_claims
from helpers.coverage import load_exclusions

IDS = ov.IDS
REPORT = dt.date(2020, 6, 30)

# --------------------------------------------------------------------------- fixtures


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_printed, value_base, base_unit, qualifier)."""
    records = []
    for cid, printed, value, unit, qualifier in rows:
        records.append({
            "id": cid, "section": cid.split(".")[1], "value_printed": printed,
            "value_base": float(value), "base_unit": unit, "qualifier": qualifier,
            "quote": printed, "quote_offset": 0, "source": "x.txt",
            "period_start": pd.NaT, "period_end": pd.Timestamp("2020-06-30"),
            "period_text": "", "indicator_en": cid, "indicator_zh": cid})
    return pd.DataFrame(records)


def headline_claims(reg_h=100, reg_p=300, lift_h=90, lift_p=280, pct="0.5%", pop=5000,
                    qualifier="exact") -> pd.DataFrame:
    return claims_frame([
        (IDS["villages"], "3个", 3, "villages", "exact"),
        (IDS["registered_households"], f"{reg_h}户", reg_h, "households", "exact"),
        (IDS["registered_persons"], f"{reg_p}人", reg_p, "persons", "exact"),
        (IDS["lifted_households"], f"{lift_h}户", lift_h, "households", qualifier),
        (IDS["lifted_persons"], f"{lift_p}人", lift_p, "persons", "exact"),
        (IDS["incidence"], pct, float(pct.rstrip("%")), "percent", "exact"),
        (IDS["population"], f"{pop}人", pop, "persons", "exact"),
    ])


def facts_frame(registered=4500.0, resident=3900.0) -> pd.DataFrame:
    frame = pd.DataFrame({
        "fact_id": [ov.FACTS["census_registered"], ov.FACTS["census_resident"],
                    ov.FACTS["threshold"], ov.FACTS["hunan_incidence"], ov.FACTS["hunan_poor"]],
        "value": [registered, resident, 2.0, 0.4, 1000.0],
        "unit": ["persons", "persons", "percent", "percent", "persons"],
        "as_of": pd.to_datetime(["2010-11-01", "2010-11-01", None, "2019-12-31", "2019-12-31"]),
        "description": ["", "", "", "", ""], "source": ["", "", "", "", ""]})
    frame.attrs["source"] = "facts.csv"
    return frame


@pytest.fixture(scope="module")
def real_claims() -> pd.DataFrame:
    return load_claims()


@pytest.fixture(scope="module")
def text(paths) -> str:
    return paths.article.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def headline_numbers(text) -> dict[str, int]:
    """The lead's counts read from the article with a regex (independent of the claims)."""
    m = re.search(r"(\d+)个省定贫困村已全部脱贫出列，贫困户总户数(\d+)户(\d+)人，"
                  r"已脱贫(\d+)户(\d+)人，贫困发生率下降到([\d.]+)%", text)
    assert m, "the headline sentence is not in the article"
    keys = ("villages", "reg_h", "reg_p", "lift_h", "lift_p")
    out = {k: int(v) for k, v in zip(keys, m.groups()[:5], strict=True)}
    out["pct"] = float(m.group(6))
    return out


@pytest.fixture(scope="module")
def timeline_table(real_claims) -> pd.DataFrame:
    return ov.timeline(real_claims)


# --------------------------------------------------------------------------- headline groups


def test_remaining_is_registered_minus_lifted():
    g = ov.headline_groups(headline_claims()).set_index("group")
    assert g.loc["remaining", "count_households"] == 10
    assert g.loc["remaining", "count_persons"] == 20
    assert bool(g.loc["remaining", "is_computed"])
    assert not bool(g.loc["lifted", "is_computed"])
    assert g.loc["lifted", "share_of_registered_households_pct"] == pytest.approx(90.0)
    assert g.loc["lifted", "share_of_registered_persons_pct"] == pytest.approx(280 / 3)
    assert g.loc["remaining", "claim_ids"].split(";") == [
        IDS["registered_households"], IDS["registered_persons"], IDS["lifted_households"],
        IDS["lifted_persons"]]


def test_household_sizes_and_gap():
    groups = ov.headline_groups(headline_claims())
    g = groups.set_index("group")
    assert g.loc["registered", "persons_per_household"] == pytest.approx(3.0)
    assert g.loc["lifted", "persons_per_household"] == pytest.approx(280 / 90)
    assert g.loc["remaining", "persons_per_household"] == pytest.approx(2.0)
    gap = ov.size_gap(groups)
    assert gap["persons_at_lifted_size"] == pytest.approx(10 * 280 / 90)
    assert gap["ratio"] == pytest.approx(2.0 / (280 / 90))


def test_more_lifted_than_registered_is_an_error():
    with pytest.raises(ValueError, match="more lifted than registered"):
        ov.headline_groups(headline_claims(lift_p=301))


def test_remaining_is_approx_when_a_count_is_not_exact():
    g = ov.headline_groups(headline_claims(qualifier="at_least")).set_index("group")
    assert g.loc["remaining", "qualifier"] == "approx"


def test_size_below_one_person_is_flagged():
    g = ov.headline_groups(headline_claims(reg_p=95, lift_p=94)).set_index("group")
    assert not bool(g.loc["remaining", "is_size_at_least_one"])


def test_wrong_base_unit_is_refused():
    claims = headline_claims()
    claims.loc[claims["id"] == IDS["lifted_persons"], "base_unit"] = "person_times"
    with pytest.raises(ValueError, match="person_times"):
        ov.headline_groups(claims)


def test_real_groups_match_the_article(real_claims, headline_numbers):
    h = headline_numbers
    g = ov.headline_groups(real_claims).set_index("group")
    assert g.loc["remaining", "count_households"] == h["reg_h"] - h["lift_h"]
    assert g.loc["remaining", "count_persons"] == h["reg_p"] - h["lift_p"]
    assert g.loc["remaining", "persons_per_household"] == pytest.approx(
        (h["reg_p"] - h["lift_p"]) / (h["reg_h"] - h["lift_h"]))
    # the finding the notebook states: remaining households are smaller than lifted ones
    assert (g.loc["remaining", "persons_per_household"]
            < g.loc["lifted", "persons_per_household"])


# --------------------------------------------------------------------------- incidence


def test_implied_base():
    assert ov.implied_base(2, 0.5) == pytest.approx(400)
    with pytest.raises(ValueError):
        ov.implied_base(2, 0)


@pytest.mark.parametrize(("printed", "low", "high"), [
    ("0.18%", 0.175, 0.185), ("2%", 1.5, 2.5), ("0.5%", 0.45, 0.55), ("88%", 87.5, 88.5)])
def test_incidence_range_from_printed_precision(printed, low, high):
    claims = headline_claims(pct=printed)
    value, lo, hi = ov.incidence_range(claims)
    assert value == pytest.approx(float(printed.rstrip("%")))
    assert (lo, hi) == (pytest.approx(low), pytest.approx(high))


def test_incidence_range_refuses_a_count():
    with pytest.raises(ValueError, match="not a percentage"):
        ov.incidence_range(headline_claims(), IDS["registered_persons"])


def test_implied_bases_on_a_hand_built_frame():
    bases = ov.implied_bases(headline_claims()).set_index("numerator")
    rem = bases.loc["remaining"]
    assert rem["implied_base_persons"] == pytest.approx(20 / 0.005)
    assert rem["implied_base_low_persons"] == pytest.approx(20 / 0.0055)
    assert rem["implied_base_high_persons"] == pytest.approx(20 / 0.0045)
    assert bases.loc["registered", "implied_base_persons"] == pytest.approx(300 / 0.005)
    assert bases.loc["registered", "times_article_population"] == pytest.approx(60000 / 5000)


def test_population_check_on_a_hand_built_frame():
    # remaining 20 / 4000 = 0.5% exactly; 20 / 3900 = 0.513% (rounds to 0.5); 20 / 5000 = 0.4%
    check = ov.population_check(headline_claims(), facts_frame(4000.0, 3900.0))
    c = check.set_index("population")
    assert c.loc["census_registered", "incidence_with_remaining_pct"] == pytest.approx(0.5)
    assert bool(c.loc["census_registered", "is_within_printed_rounding"])
    assert bool(c.loc["census_resident", "is_within_printed_rounding"])
    assert not bool(c.loc["article", "is_within_printed_rounding"])
    assert c.loc["census_registered", "sources"] == (
        f"facts.csv#{ov.FACTS['census_registered']}")
    assert c.loc["article", "claim_ids"].startswith(IDS["population"])
    where = ov.base_position(ov.implied_bases(headline_claims()), check)
    assert where == {"below": [], "inside": ["census_registered", "census_resident"],
                     "above": ["article"]}


def test_real_implied_base_from_the_article(real_claims, headline_numbers):
    h = headline_numbers
    remaining = h["reg_p"] - h["lift_p"]
    bases = ov.implied_bases(real_claims).set_index("numerator")
    assert bases.loc["remaining", "implied_base_persons"] == pytest.approx(
        remaining / (h["pct"] / 100))
    assert bases.loc["remaining", "implied_base_low_persons"] == pytest.approx(
        remaining / ((h["pct"] + 0.005) / 100))
    assert bases.loc["remaining", "implied_base_high_persons"] == pytest.approx(
        remaining / ((h["pct"] - 0.005) / 100))
    # read as registered or lifted people, the base would be many times the population
    assert bases.loc["registered", "times_article_population"] > 10


# --------------------------------------------------------------------------- reference data


def test_national_series_loader(paths):
    national = ov.load_national_poverty()
    raw = pd.read_csv(paths.national_poverty)
    assert national["year_end"].tolist() == sorted(raw["year_end"].tolist())
    assert (national["rural_poor_persons"] == raw["rural_poor_10k_persons"] * 10_000).all()
    assert national["poverty_incidence_pct"].is_monotonic_decreasing
    assert national.attrs["source"] == "data/reference/national_rural_poverty.csv"
    assert national["as_of"].iloc[-1] == pd.Timestamp(f"{raw['year_end'].max()}-12-31")


def test_national_series_agrees_with_its_provenance(paths):
    """The provenance record states the year-on-year reductions 2013-2018 (10k persons)."""
    record = yaml.safe_load(ov.provenance_path(paths.national_poverty).read_text("utf-8"))
    stated = [int(x.replace(",", "")) for x in
              re.findall(r"[\d,]+(?= |$)", record["checks_stated_by_compiler"].split("of ")[1]
                         .split("(")[0])]
    national = ov.load_national_poverty().set_index("year_end")["rural_poor_10k_persons"]
    falls = [national[y - 1] - national[y] for y in range(2013, 2019)]
    assert falls == stated


def test_national_series_rejects_bad_files(tmp_path):
    bad = tmp_path / "national.csv"
    bad.write_text("year_end,rural_poor_10k_persons\n2012,1\n", encoding="utf-8")
    with pytest.raises(ov.ReferenceDataError, match="expected year_end"):
        ov.load_national_poverty(bad)
    bad.write_text("year_end,rural_poor_10k_persons,poverty_incidence_pct\n2012,x,1\n",
                   encoding="utf-8")
    with pytest.raises(ov.ReferenceDataError, match="line 2, field 'rural_poor_10k_persons'"):
        ov.load_national_poverty(bad)
    bad.write_text("year_end,rural_poor_10k_persons,poverty_incidence_pct\n2012,1,1\n"
                   "2012,2,2\n", encoding="utf-8")
    with pytest.raises(ov.ReferenceDataError, match="distinct"):
        ov.load_national_poverty(bad)


def test_context_facts(paths):
    facts = ov.load_context_facts()
    raw = pd.read_csv(paths.context_facts, dtype=str, keep_default_na=False)
    for key, fact_id in ov.FACTS.items():
        expected = float(raw.loc[raw["fact_id"] == fact_id, "value"].iloc[0])
        assert ov.fact(facts, fact_id) == expected, key
    assert ov.fact_source(facts, ov.FACTS["threshold"]) == (
        "data/reference/context_facts.csv#county_exit_incidence_threshold_central_pct")
    with pytest.raises(KeyError, match="no_such_fact"):
        ov.fact(facts, "no_such_fact")


def test_incidence_context(real_claims, headline_numbers):
    ctx = ov.incidence_context(real_claims).set_index("key")
    assert ctx.loc["leiyang", "poverty_incidence_pct"] == headline_numbers["pct"]
    assert ctx.loc["hunan", "multiple_of_leiyang"] == pytest.approx(
        ctx.loc["hunan", "poverty_incidence_pct"] / headline_numbers["pct"])
    assert ctx.loc["china_last", "sources"].endswith("#2019")
    assert ctx.loc["threshold", "claim_ids"] == ""
    assert all(s for s in ctx.loc[["hunan", "china_last", "threshold"], "sources"])


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("printed", "start", "end", "capped"), [
    ("2015年以来", "2015-01-01", "2020-06-30", False),
    ("2018年至今", "2018-01-01", "2020-06-30", False),
    ("2017—2020年", "2017-01-01", "2020-06-30", True),
    ("2015—2020年上半年", "2015-01-01", "2020-06-30", False),
    ("2015—2020年春季", "2015-01-01", "2020-06-30", True),
    ("2016—2018年", "2016-01-01", "2018-12-31", False),
    ("从2013年到2020年", "2013-01-01", "2020-06-30", True),
    ("2015年1月以来", "2015-01-01", "2020-06-30", False),
    ("2019年", "2019-01-01", "2019-12-31", False),
    ("今年6月底", "2020-06-30", "2020-06-30", False),
    ("今年10月份", "2020-10-01", "2020-10-31", False),
    ("3月初", "2020-03-01", "2020-03-01", False),
    ("今年", "2020-01-01", "2020-06-30", False),
    ("截至目前", None, "2020-06-30", False),
    ("近年来", None, None, False),
    ("13月", None, None, False),
])
def test_period_dates(printed, start, end, capped):
    s, e, c = ov.period_dates(printed, REPORT)
    assert (s.isoformat() if s else None, e.isoformat() if e else None, c) == (start, end,
                                                                                capped)


@pytest.mark.parametrize(("printed", "english"), [
    ("2018年以来", "since 2018"), ("2018年至今", "2018 to date"),
    ("2015—2020年春季", "2015–2020 (spring term)"), ("从2013年到2020年", "2013–2020"),
    ("今年6月底", "end of June this year"), ("今年10月份", "October this year"),
    ("2015年1月以来", "since January 2015"), ("截至目前", "as of now"), ("今年", "this year")])
def test_period_english(printed, english):
    assert ov.period_english(printed) == english


def test_period_english_names_this_year():
    assert ov.period_english("今年10月份", 2020) == "October 2020"
    assert ov.period_english("今年", 2020) == "this year (2020)"
    assert ov.period_english("2015年1月以来", 2020) == "since January 2015"


def test_reporting_date_comes_from_the_provenance_record(real_claims, paths):
    record = yaml.safe_load(paths.article_provenance.read_text(encoding="utf-8"))
    expected = pd.Timestamp(str(record["reporting_date_used_for_periods"])).date()
    assert ov.reporting_date(real_claims) == expected


def test_timeline_covers_every_year_and_date_of_the_article(text, timeline_table):
    spans = [(o, o + len(p)) for o, p in zip(timeline_table["offset"],
                                             timeline_table["period_printed"], strict=True)]
    hits = [m.start() for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d{1,2}月", text)]
    assert len(hits) >= 18  # 2013, 2020, 2015, 2017—2020, ... counted by hand: 18 years + 2 months
    uncovered = [text[h:h + 6] for h in hits if not any(a <= h < b for a, b in spans)]
    assert uncovered == []
    years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)
    assert sum(len(re.findall(r"(?:19|20)\d\d", p)) for p in timeline_table["period_printed"]
               ) == len(years)


def test_timeline_rows_are_as_printed(text, timeline_table):
    for offset, printed in zip(timeline_table["offset"], timeline_table["period_printed"],
                               strict=True):
        assert text[offset:offset + len(printed)] == printed


def test_timeline_links_claims_to_their_printed_period(real_claims, timeline_table):
    by_id = real_claims.set_index("id")
    for r in timeline_table.itertuples(index=False):
        for cid in filter(None, r.claim_ids.split(";")):
            assert by_id.loc[cid, "period_text"] == r.period_printed, cid
    dated = set(real_claims.loc[real_claims["period_text"] != "", "id"])
    linked = {i for ids in timeline_table["claim_ids"] for i in ids.split(";") if i}
    assert linked == dated


def test_timeline_agrees_with_the_exclusions_file(timeline_table):
    """The exclusions file (made by hand) names the claims each year/date mention dates."""
    excl = load_exclusions()
    excl = excl[excl["kind"].isin(["year", "year_range", "date"])]
    for offset, mention, ids in zip(excl["offset"], excl["text"], excl["claim_ids"],
                                    strict=True):
        row = timeline_table[(timeline_table["offset"] <= int(offset))
                             & (timeline_table["offset"]
                                + timeline_table["period_printed"].str.len() > int(offset))]
        assert len(row) == 1, mention
        assert set(filter(None, ids.split(";"))) <= set(row["claim_ids"].iloc[0].split(";"))


def test_timeline_dates_agree_with_the_claims(real_claims, timeline_table):
    by_id = real_claims.set_index("id")
    for r in timeline_table[timeline_table["claim_ids"] != ""].itertuples(index=False):
        sub = by_id.loc[r.claim_ids.split(";")]
        if sub["period_start"].notna().any():
            assert r.start == f"{sub['period_start'].min():%Y-%m-%d}", r.period_printed
        assert r.end == f"{sub['period_end'].max():%Y-%m-%d}", r.period_printed


def test_this_year_is_the_reporting_year(paths, timeline_table):
    record = yaml.safe_load(paths.article_provenance.read_text(encoding="utf-8"))
    year = pd.Timestamp(str(record["reporting_date_used_for_periods"])).year
    this_year = timeline_table[timeline_table["period_printed"].str.startswith("今年")]
    assert len(this_year) == 3  # 今年6月底, 今年10月份 and 今年 (收官之年)
    assert all(s.startswith(str(year)) for s in this_year["start"])
    october = this_year[this_year["period_printed"].str.contains("10月")].iloc[0]
    assert bool(october["is_after_reporting_date"])
    assert october["sources"].endswith("#reporting_date_used_for_periods")


def test_timeline_on_a_small_text():
    text = "从2013年到2020年，干了很多。2016年以来，修路10处。在今年3月底完成。"
    claims = pd.DataFrame([{
        "id": "infrastructure.roads", "section": "infrastructure", "period_text": "2016年以来",
        "quote": "2016年以来，修路10处", "quote_offset": text.index("2016"),
        "period_start": pd.Timestamp("2016-01-01"), "period_end": pd.Timestamp("2019-12-31"),
        "indicator_en": "roads", "indicator_zh": "修路", "source": "x.txt"}])
    table = ov.timeline(claims, text=text, report=dt.date(2019, 12, 31))
    assert table["period_printed"].tolist() == ["从2013年到2020年", "2016年以来", "今年3月底"]
    assert table["claim_ids"].tolist() == ["", "infrastructure.roads", ""]
    assert table["end"].tolist() == ["2019-12-31", "2019-12-31", "2019-03-31"]
    assert table["is_end_capped"].tolist() == [True, False, False]


# --------------------------------------------------------------------------- output


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


@pytest.fixture(scope="module")
def figures(real_claims):
    from helpers.plotting import apply_theme

    national = ov.load_national_poverty()
    out = {}
    for lang in ("en", "zh"):
        apply_theme(lang)
        out[lang] = [
            ov.headline_figure(ov.headline_groups(real_claims), lang),
            ov.incidence_base_figure(ov.implied_bases(real_claims),
                                     ov.population_check(real_claims), lang),
            ov.context_figure(national, ov.incidence_context(real_claims), lang),
            ov.timeline_figure(ov.timeline(real_claims), ov.reporting_date(real_claims), lang),
        ]
    yield out
    import matplotlib.pyplot as plt

    plt.close("all")


def test_figures_are_figures_with_computed_titles(figures, headline_numbers):
    h = headline_numbers
    for fig in figures["en"] + figures["zh"]:
        assert isinstance(fig, Figure)
    texts = " ".join(_texts(figures["en"][0]))
    assert f"{h['reg_h'] - h['lift_h']:,}" in texts
    assert f"{100 * h['lift_p'] / h['reg_p']:.1f}%" in texts


def test_zh_figures_have_no_english_words(figures):
    for fig in figures["zh"]:
        english = [t for t in _texts(fig) if re.search(r"[A-Za-z]{2,}", t)]
        assert english == []


def test_display_headers_follow_the_language(real_claims):
    tables = [ov.display_groups(ov.headline_groups(real_claims), "zh"),
              ov.display_bases(ov.implied_bases(real_claims), "zh"),
              ov.display_populations(ov.population_check(real_claims), "zh"),
              ov.display_context(ov.incidence_context(real_claims), "zh"),
              ov.display_timeline(ov.timeline(real_claims), "zh"),
              ov.source_passages(real_claims, "zh")]
    for table in tables:
        assert not any(re.search(r"[A-Za-z]", c) for c in table.columns), list(table.columns)


def test_findings_cite_numbers_from_the_article(real_claims, headline_numbers):
    h = headline_numbers
    for lang in ("en", "zh"):
        text = " ".join(ov.findings(real_claims, lang))
        assert f"{h['reg_h'] - h['lift_h']:,}" in text
        assert f"{h['reg_p'] - h['lift_p']:,}" in text
        assert f"{(h['reg_p'] - h['lift_p']) / (h['reg_h'] - h['lift_h']):.2f}" in text
        assert f"{100 * h['lift_h'] / h['reg_h']:.1f}%" in text


def test_module_types_no_headline_number(paths):
    """Every number shown comes from the claims: none of the lead's counts is typed in."""
    source = (paths.root / "src" / "helpers" / "overview.py").read_text(encoding="utf-8")
    code = re.sub(r'"""[\s\S]*?"""', "", source)  # docstrings may cite examples
    for number in ("14466", "43172", "13454", "40974", "1012", "2198", "0.18", "143万",
                   "1413913", "1150241", "0.36"):
        assert not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", code), number
