"""Tests for notebook 00 and helpers.analysis.overview.

Headline groups, implied bases, context, timeline.

Unit tests use small hand-built frames; checks on real claims take their
expectations from the article's text (numbers read with a regex here), the
reference files, the metadata sidecars and the fictional counties' claims,
never from this module's output.  The notebook's own cells (where its
arithmetic lives) are executed in-process on Leiyang's claims, on the two
fictional counties, on a headline-only set and on sets missing sections.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import uuid
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
import yaml

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.text import Text

from helpers.analysis import overview as ov
from helpers.data.claims import load_claims
from helpers.data.coverage import load_exclusions

REPORT = dt.date(2020, 6, 30)
FIXTURES = Path(__file__).parents[1] / "fixtures" / "counties"


# --------------------------------------------------------------------------- fixtures


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_printed, value_base, base_unit, qualifier)."""
    records = []
    for cid, printed, value, unit, qualifier in rows:
        records.append({
            "id": cid, "section": cid.split(".")[0], "value_printed": printed,
            "value_base": float(value), "base_unit": unit, "qualifier": qualifier,
            "quote": printed, "quote_offset": 0, "source": "x.txt",
            "period_start": pd.NaT, "period_end": pd.Timestamp("2020-06-30"),
            "period_text": "", "indicator_en": cid, "indicator_zh": cid})
    return pd.DataFrame(records)


def headline_claims(pct="0.5%", pop: float | None = 5000, start: bool = False) -> pd.DataFrame:
    rows = [
        ("poverty.registered_households", "100户", 100, "households", "exact"),
        ("poverty.registered_persons", "300人", 300, "persons", "exact"),
        ("poverty.lifted_households", "90户", 90, "households", "exact"),
        ("poverty.lifted_persons", "280人", 280, "persons", "exact"),
        ("poverty.poverty_incidence", pct, float(pct.rstrip("%")), "percent", "exact"),
    ]
    if pop is not None:
        rows.append(("population.total", f"{pop}人", pop, "persons", "exact"))
    if start:
        rows += [("poverty.registered_persons_start", "400人", 400, "persons", "exact"),
                 ("poverty.poverty_incidence_start", "8%", 8, "percent", "exact")]
    return claims_frame(rows)


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


# --------------------------------------------------------------------------- the notebook's cells


def run_cells(claims_path: str, lang: str = "en") -> dict:
    """Execute notebook 00's code cells in-process on ``claims_path``; the namespace after.

    Parameters are set after the parameters cell, as papermill does; outputs go to
    a scratch folder under outputs/ (``ns["scratch"]``), removed by the caller.
    """
    paths = ov.get_paths()
    book = nbformat.read(paths.root / "notebooks" / "00_overview.ipynb", as_version=4)
    scratch = f"outputs/.test-00-{uuid.uuid4().hex[:8]}"
    ns: dict = {"display": lambda *a, **k: None, "scratch": paths.root / scratch}
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, "00_overview", "exec"), ns)
        if "parameters" in cell.metadata.get("tags", []):
            ns.update(claims_path=claims_path, output_dir=scratch, lang=lang,
                      figure_formats=["svg"])
    import matplotlib.pyplot as plt

    plt.close("all")
    return ns


@pytest.fixture(scope="module")
def subset(tmp_path_factory, paths):
    """Write Leiyang's claims without some ids (sidecar copied, names of a test county)."""

    def make(name: str, keep) -> str:
        folder = tmp_path_factory.mktemp(name)
        with paths.claims.open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if keep(r["id"])]
        out = folder / f"{name}_claims.csv"
        with out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        meta = yaml.safe_load(paths.claims.with_name("leiyang_claims.meta.yaml")
                              .read_text(encoding="utf-8"))
        meta["county"].update(name_en="Testcounty", name_zh="测试县", admin_code="439998")
        (folder / f"{name}_claims.meta.yaml").write_text(
            yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
        return str(out)

    return make


@pytest.fixture(scope="module")
def runs(subset):
    """The notebook's cells run once per claims set (shared by the tests below)."""
    sets = {
        "leiyang": "data/claims/leiyang_claims.csv",
        "songlan": str(FIXTURES / "songlan" / "songlan_claims.csv"),
        "qingwu": str(FIXTURES / "qingwu" / "qingwu_claims.csv"),
        "no_incidence": subset("noinc", lambda i: i != "poverty.poverty_incidence"),
        "three": subset("three", lambda i: i in ("poverty.registered_households",
                                                  "poverty.registered_persons",
                                                  "poverty.poverty_incidence")),
    }
    out = {name: run_cells(path) for name, path in sets.items()}
    yield out
    for ns in out.values():
        shutil.rmtree(ns["scratch"], ignore_errors=True)


def _table(ns, name) -> pd.DataFrame:
    return pd.read_csv(ns["scratch"] / "tables" / f"00_{name}.csv", dtype=str,
                       keep_default_na=False)


def _status(ns) -> dict:
    file = ns["scratch"] / "status" / "00.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}


def test_notebook_on_leiyang_reproduces_the_reference_tables(runs, paths):
    ns = runs["leiyang"]
    for name in ("headline_groups", "implied_base", "population_check", "incidence_context",
                 "timeline"):
        new = (ns["scratch"] / "tables" / f"00_{name}.csv").read_text(encoding="utf-8")
        ref = (paths.outputs / "default" / "tables" / f"00_{name}.csv").read_text("utf-8")
        assert new == ref, name


def test_notebook_arithmetic_on_leiyang_matches_the_article(runs, headline_numbers):
    h, ns = headline_numbers, runs["leiyang"]
    g = ns["groups"].set_index("group")
    assert g.loc["remaining", "count_households"] == h["reg_h"] - h["lift_h"]
    assert g.loc["remaining", "count_persons"] == h["reg_p"] - h["lift_p"]
    assert g.loc["lifted", "share_of_registered_persons_pct"] == pytest.approx(
        100 * h["lift_p"] / h["reg_p"])
    assert g.loc["remaining", "qualifier"] == "exact"
    b = ns["bases"].set_index("numerator")
    remaining = h["reg_p"] - h["lift_p"]
    assert b.loc["remaining", "implied_base_persons"] == pytest.approx(remaining / (h["pct"] / 100))
    assert b.loc["remaining", "implied_base_low_persons"] == pytest.approx(
        remaining / ((h["pct"] + 0.005) / 100))
    assert b.loc["remaining", "implied_base_high_persons"] == pytest.approx(
        remaining / ((h["pct"] - 0.005) / 100))
    assert ns["start_vs_end_pct"] is None  # the article prints no start-of-campaign rate
    c = ns["context"].set_index("key")
    assert c.loc["county", "multiple_of_county"] == 1
    assert c.loc["province", "label_en"] == "Hunan province"
    assert c.loc["threshold", "poverty_incidence_pct"] == 2  # central province
    assert _status(ns).get("not_produced", {}) == {}


def test_headline_only_county_runs_without_other_places_facts(runs):
    ns = runs["songlan"]
    assert set(ns["groups"]["group"]) == {"registered", "lifted", "remaining"}
    g = ns["groups"].set_index("group")
    assert g.loc["remaining", "count_persons"] == 31204 - 30388  # the fixture's printed counts
    # no population figure of its own: the population check is skipped with a reason, and
    # Leiyang's census (place 430481) is never used for it
    assert not ns["nb"].ran("population_check")
    assert "00_population_check" in _status(ns)["not_produced"]
    assert ns["county_facts"].empty and ns["populations"].empty
    # its province (Hunan, 430000) has facts, which are used; no county name is Leiyang's
    context = _table(ns, "incidence_context")
    assert context.loc[context["key"] == "county", "label_en"].item() == "Songlan (the article)"
    assert context.loc[context["key"] == "province", "label_en"].item() == "Hunan province"
    for name in ("headline_groups", "implied_base", "incidence_context", "timeline"):
        body = (ns["scratch"] / "tables" / f"00_{name}.csv").read_text(encoding="utf-8")
        assert "Leiyang" not in body and "耒阳" not in body and "430481" not in body, name
    for svg in (ns["scratch"] / "figures").glob("*.svg"):
        assert "Leiyang" not in svg.read_text(encoding="utf-8"), svg.name


def test_start_and_end_incidence_bases_side_by_side(runs):
    """Qingwu prints the register and the rate at the start and at the end: their bases differ."""
    ns = runs["qingwu"]
    claims = load_claims(FIXTURES / "qingwu" / "qingwu_claims.csv").set_index("id")["value_base"]
    start = claims["poverty.registered_persons_start"] / (
        claims["poverty.poverty_incidence_start"] / 100)
    end = (claims["poverty.registered_persons"] - claims["poverty.lifted_persons"]) / (
        claims["poverty.poverty_incidence"] / 100)
    b = ns["bases"].set_index("numerator")
    assert b.loc["registered_start", "implied_base_persons"] == pytest.approx(start)
    assert b.loc["remaining", "implied_base_persons"] == pytest.approx(end)
    assert ns["start_vs_end_pct"] == pytest.approx(100 * (start / end - 1))
    assert abs(ns["start_vs_end_pct"]) > 40  # the planted disagreement (about half)
    table = _table(ns, "implied_base")
    assert "poverty.poverty_incidence_start" in table.set_index("numerator").loc[
        "registered_start", "claim_ids"]
    # western region: the 3% threshold; no facts for its province: no provincial row
    c = ns["context"].set_index("key")
    assert c.loc["threshold", "poverty_incidence_pct"] == 3
    assert "province" not in c.index
    assert c.loc["county", "label_zh"] == "青梧（原文）"


def test_a_set_without_the_incidence_skips_its_sections(runs):
    ns = runs["no_incidence"]
    status = _status(ns)
    for name in ("implied_base", "population_check", "incidence_context", "national_context"):
        assert "poverty.poverty_incidence" in status["not_produced"][f"00_{name}"], name
    assert ns["nb"].ran("headline_groups") and ns["nb"].ran("timeline")
    assert not (ns["scratch"] / "tables" / "00_implied_base.csv").exists()
    assert (ns["scratch"] / "tables" / "00_headline_groups.csv").is_file()


def test_three_headline_figures_are_enough(runs):
    ns = runs["three"]
    assert not ns["nb"].ran("headline_groups")
    assert list(ns["bases"]["numerator"]) == ["registered"]  # the only numerator printed
    assert "00_headline_groups" in _status(ns)["not_produced"]
    findings = ov.base_findings(ns["bases"], "", None, "en")
    assert "43,172" in findings[0]


def test_zh_run_has_chinese_headers_and_no_english_in_figures(subset, paths):
    ns = run_cells(str(FIXTURES / "songlan" / "songlan_claims.csv"), lang="zh")
    try:
        tables = [ov.display_groups(ns["groups"], "zh"),
                  ov.display_bases(ns["bases"], "zh", ""),
                  ov.display_context(ns["context"], ns["nb"].county, "zh"),
                  ov.display_timeline(ns["events"], "zh"),
                  ov.source_passages(ns["nb"].claims, "zh"), ov.reference_sources("zh")]
        for table in tables:
            assert not any(re.search(r"[A-Za-z]", c) for c in table.columns), list(table.columns)
        assert "松岚县" in " ".join(ov.context_findings(ns["context"], ns["decline"], "松岚县",
                                                        "zh"))
    finally:
        shutil.rmtree(ns["scratch"], ignore_errors=True)


# --------------------------------------------------------------------------- module pieces


def test_with_sources_marks_the_computed_group():
    claims = headline_claims()
    claims.loc[claims["id"] == "poverty.lifted_households", "qualifier"] = "at_least"
    groups = pd.DataFrame({"count_households": [100.0, 90, 10], "count_persons": [300.0, 280, 20]},
                          index=["registered", "lifted", "remaining"])
    out = ov.with_sources(groups.assign(persons_per_household=1.0,
                                        share_of_registered_households_pct=1.0,
                                        share_of_registered_persons_pct=1.0,
                                        is_size_at_least_one=True), claims).set_index("group")
    assert out.loc["remaining", "qualifier"] == "approx"
    assert bool(out.loc["remaining", "is_computed"]) and not bool(out.loc["lifted", "is_computed"])
    assert out.loc["remaining", "claim_ids"].split(";") == [
        "poverty.registered_households", "poverty.registered_persons",
        "poverty.lifted_households", "poverty.lifted_persons"]


def test_incidence_numerators():
    n = ov.incidence_numerators(headline_claims(start=True)).set_index("numerator")
    assert list(n.index) == ["remaining", "lifted", "registered", "registered_start"]
    assert n.loc["remaining", "numerator_persons"] == 20
    assert n.loc["registered_start", "incidence_id"] == ov.INCIDENCE_START
    assert n.loc["lifted", "claim_ids"] == (
        "poverty.lifted_persons;poverty.poverty_incidence;population.total")
    no_pop = ov.incidence_numerators(headline_claims(pop=None)).set_index("numerator")
    assert "population.total" not in no_pop.loc["registered", "claim_ids"]
    bare = claims_frame([("poverty.remaining_persons", "20人", 20, "persons", "exact"),
                         ("poverty.poverty_incidence", "0.5%", 0.5, "percent", "exact")])
    assert list(ov.incidence_numerators(bare)["numerator"]) == ["remaining_printed"]
    no_rate = headline_claims()
    no_rate = no_rate[no_rate["id"] != "poverty.poverty_incidence"]
    assert ov.incidence_numerators(no_rate).empty


def test_implied_base_band_uses_the_printed_precision():
    from helpers.data.quantity import half_step

    for printed, half in (("0.18%", 0.005), ("2%", 0.5), ("88%", 0.5), ("23.6%", 0.05)):
        claims = headline_claims(pct=printed)
        assert half_step(claims, ov.INCIDENCE) == pytest.approx(half), printed


# --------------------------------------------------------------------------- reference data


def test_national_series_loader(paths):
    national = ov.load_national_poverty()
    raw = pd.read_csv(paths.national_poverty)
    assert national["year_end"].tolist() == sorted(raw["year_end"].tolist())
    assert (national["rural_poor_persons"] == raw["rural_poor_10k_persons"] * 10_000).all()
    assert national["poverty_incidence_pct"].is_monotonic_decreasing
    assert national.attrs["source"] == "data/reference/national_rural_poverty.csv"


def test_national_series_agrees_with_its_provenance(paths):
    """The provenance record states the year-on-year reductions 2013-2018 (10k persons)."""
    record = yaml.safe_load(ov.provenance_path(paths.national_poverty).read_text("utf-8"))
    stated = [int(x.replace(",", "")) for x in
              re.findall(r"[\d,]+(?= |$)", record["checks_stated_by_compiler"].split("of ")[1]
                         .split("(")[0])]
    national = ov.load_national_poverty().set_index("year_end")["rural_poor_10k_persons"]
    assert [national[y - 1] - national[y] for y in range(2013, 2019)] == stated


def test_national_series_rejects_bad_files(tmp_path):
    bad = tmp_path / "national.csv"
    bad.write_text("year_end,rural_poor_10k_persons\n2012,1\n", encoding="utf-8")
    with pytest.raises(ov.ReferenceDataError, match="expected year_end"):
        ov.load_national_poverty(bad)
    bad.write_text("year_end,rural_poor_10k_persons,poverty_incidence_pct\n2012,x,1\n",
                   encoding="utf-8")
    with pytest.raises(ov.ReferenceDataError, match="line 2, field 'rural_poor_10k_persons'"):
        ov.load_national_poverty(bad)


def test_context_facts_are_keyed_by_place(paths):
    facts = ov.load_context_facts()
    assert set(facts["place_code"]) <= {"CN"} | {c for c in facts["place_code"]
                                                 if re.fullmatch(r"\d{6}", c)}
    assert not facts["fact_id"].str.contains("leiyang|hunan|耒阳|湖南", case=False).any()
    meta = yaml.safe_load(paths.claims.with_name("leiyang_claims.meta.yaml").read_text("utf-8"))
    county = ov.place_facts(facts, meta["county"]["admin_code"])
    assert set(county["fact_id"]) == set(ov.CENSUS_FACTS)
    assert ov.place_facts(facts, "529901").empty and ov.place_facts(facts, None).empty
    row = ov.fact(facts, "county_exit_incidence_threshold_western_pct")
    assert row["value"] == 3 and row["cite"].endswith("#CN/county_exit_incidence_threshold_"
                                                      "western_pct")
    with pytest.raises(KeyError, match="430000"):
        ov.fact(facts, "census2010_registered_population", "430000")


def test_context_facts_refuse_a_repeated_place_and_fact(tmp_path):
    bad = tmp_path / "facts.csv"
    bad.write_text("place_code,fact_id,value,unit,as_of,description,source\n"
                   "430000,x,1,persons,,,\n430000,x,2,persons,,,\n431000,x,3,persons,,,\n",
                   encoding="utf-8")
    with pytest.raises(ov.ReferenceDataError, match="appears twice"):
        ov.load_context_facts(bad)


def test_population_figures_use_only_the_facts_given(real_claims):
    facts = ov.load_context_facts()
    other = ov.population_figures(real_claims, ov.place_facts(facts, "439901"))
    assert list(other["population"]) == ["article"]
    own = ov.population_figures(real_claims, ov.place_facts(facts, "430481"))
    assert list(own["population"]) == ["article", "census_registered", "census_resident"]
    assert own.set_index("population").loc["census_resident", "sources"].endswith(
        "#430481/census2010_resident_population")


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


def test_reporting_date_comes_from_the_metadata(real_claims, paths):
    meta = yaml.safe_load(paths.claims.with_name("leiyang_claims.meta.yaml").read_text("utf-8"))
    assert ov.reporting_date(real_claims) == meta["reporting_date"]


def test_timeline_covers_every_year_and_date_of_the_article(text, timeline_table):
    spans = [(o, o + len(p)) for o, p in zip(timeline_table["offset"],
                                             timeline_table["period_printed"], strict=True)]
    hits = [m.start() for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d{1,2}月", text)]
    assert len(hits) >= 18  # counted by hand: 18 years + 2 months
    assert [text[h:h + 6] for h in hits if not any(a <= h < b for a, b in spans)] == []
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


def test_this_year_is_the_reporting_year(timeline_table):
    this_year = timeline_table[timeline_table["period_printed"].str.startswith("今年")]
    assert len(this_year) == 3  # 今年6月底, 今年10月份 and 今年 (收官之年)
    assert all(s.startswith(str(REPORT.year)) for s in this_year["start"])
    october = this_year[this_year["period_printed"].str.contains("10月")].iloc[0]
    assert bool(october["is_after_reporting_date"])
    assert october["sources"].endswith("#reporting_date_used_for_periods")


def test_fictional_timeline_uses_its_own_article_and_date():
    claims = load_claims(FIXTURES / "songlan" / "songlan_claims.csv")
    table = ov.timeline(claims)
    article = (FIXTURES / "songlan" / "songlan_article.txt").read_text(encoding="utf-8")
    for offset, printed in zip(table["offset"], table["period_printed"], strict=True):
        assert article[offset:offset + len(printed)] == printed
    assert {"今年9月底", "今年11月份"} <= set(table["period_printed"])


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
    empty = ov.timeline(claims.assign(period_text=""), text="没有日期。", report=REPORT)
    assert empty.empty and list(empty.columns) == ov.TIMELINE_COLUMNS


# --------------------------------------------------------------------------- output


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def test_figures_name_the_county_and_zh_figures_have_no_english(runs):
    from helpers.display.plotting import apply_theme

    ns = runs["qingwu"]
    meta = ns["nb"].meta
    try:
        for lang in ("en", "zh"):
            apply_theme(lang)
            figs = [ov.headline_figure(ns["groups"], meta.county_name(lang), lang),
                    ov.incidence_base_figure(ns["bases"], ns["populations"],
                                             meta.county_name(lang), lang),
                    ov.context_figure(ns["national"], ns["context"], meta, lang),
                    ov.timeline_figure(ns["events"], meta.reporting_date,
                                       ov.chapter_labels(ov.article_text(ns["nb"].claims)), lang)]
            for fig in figs:
                texts = " ".join(_texts(fig))
                assert "Leiyang" not in texts and "耒阳" not in texts
                if lang == "zh":
                    assert not re.search(r"[A-Za-z]{3,}", texts.replace("NBS", ""))
            assert meta.county_name(lang) in " ".join(_texts(figs[2]))
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")
        apply_theme("en")


def test_findings_cite_numbers_from_the_article(runs, headline_numbers):
    h, ns = headline_numbers, runs["leiyang"]
    for lang in ("en", "zh"):
        text = " ".join(ov.group_findings(ns["groups"], 34, "2020-06-30", lang))
        assert f"{h['reg_h'] - h['lift_h']:,}" in text
        assert f"{h['reg_p'] - h['lift_p']:,}" in text
        assert f"{(h['reg_p'] - h['lift_p']) / (h['reg_h'] - h['lift_h']):.2f}" in text
        assert f"{100 * h['lift_h'] / h['reg_h']:.1f}%" in text


def test_more_lifted_than_registered_is_reported_not_raised():
    groups = pd.DataFrame({"group": ["registered", "lifted", "remaining"],
                           "count_households": [10.0, 12, -2], "count_persons": [30.0, 33, -3],
                           "persons_per_household": [3.0, 2.75, 1.5],
                           "share_of_registered_households_pct": [100.0, 120, -20],
                           "share_of_registered_persons_pct": [100.0, 110, -10]})
    text = " ".join(ov.group_findings(groups, None, "2020-06-30", "en"))
    assert "part larger than its whole" in text


def test_no_county_name_in_module_or_markdown(paths):
    source = (paths.root / "src/helpers/analysis/overview.py").read_text(encoding="utf-8")
    book = nbformat.read(paths.root / "notebooks" / "00_overview.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in book.cells if c.cell_type == "code")
    for name in ("Leiyang", "耒阳", "Hunan", "湖南"):
        assert name not in source, name
        assert name not in markdown, name
        assert name not in code.replace("leiyang_claims.csv", ""), name


def test_no_headline_number_is_typed_in(paths):
    """Every number shown comes from the claims: none of the lead's counts is typed in."""
    source = (paths.root / "src/helpers/analysis/overview.py").read_text(encoding="utf-8")
    book = nbformat.read(paths.root / "notebooks" / "00_overview.ipynb", as_version=4)
    code = re.sub(r'"""[\s\S]*?"""', "", source) + "\n".join(
        c.source for c in book.cells if c.cell_type != "raw")
    for number in ("14466", "43172", "13454", "40974", "1012", "2198", "0.18", "143万",
                   "1413913", "1150241", "0.36", "430481", "430000"):
        assert not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", code), number


def test_a_lead_date_not_after_the_reporting_date_has_passed_at_publication(timeline_table):
    # 今年6月底 dates a claim (the share of the remaining poor meeting the exit conditions),
    # so it is no lead-only date: the audit checks it against the reporting date
    june = timeline_table["period_printed"] == "今年6月底"
    assert (timeline_table.loc[june, "claim_ids"] != "").all()
    assert not [d for d in ov.timeline_summary(timeline_table)["lead_dates"] if "6月底" in d[0]]
    # filed as a date that dates no claim (as before the claims table held 全部), it is a
    # lead date that had passed at publication, never described as pending
    table = timeline_table.copy()
    table.loc[june, "claim_ids"] = ""
    with_pub = ov.timeline_findings(table, "en", "2020 (July–September, estimated)")
    without = ov.timeline_findings(table, "en")
    assert len(with_pub) == len(without) + 1
    assert "6月底 is not after the reporting date" in with_pub[-1]
    assert "2020 (July–September, estimated)" in with_pub[-1]
    assert "were to" not in " ".join(with_pub)     # not described as pending
    assert any("6月底" in s and "the reporting date)" in s for s in without)
