"""Tests for helpers.analysis.teaching and notebook 02 (employment and industry support).

Unit tests use small hand-built claims frames.  The notebook's runs on the default
claims (the session's ``default_run``), on a headline-only county (the Songlan fixture)
and on a county with another structure (the Qingwu fixture; both ``county_run``) are the
session's shared runs (tests/conftest.py); it is run here on the default claims reduced
to the employment figures (no industry).  Checks on the default tables take their
expectations from the article's text (numbers as printed there), never from this
module's output.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

matplotlib.use("Agg")

from conftest import write_claims

from helpers.analysis import teaching as tt
from helpers.analysis.teaching import Quantity, UnitMixError
from helpers.batch.execution import execute

NOTEBOOK = "notebooks/02_teaching_to_fish.ipynb"
#: Of the session's default run, the tests here read notebook 02 only.
pytestmark = pytest.mark.default_run("02_teaching_to_fish")

# --------------------------------------------------------------------------- hand-built claims


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_printed, value_base, base_unit, qualifier)."""
    records = []
    for cid, printed, value, unit, qualifier, *rest in rows:
        records.append({"id": cid, "chapter": "3", "value_printed": printed,
                        "value_base": float(value), "base_unit": unit, "qualifier": qualifier,
                        "quote": rest[0] if rest else printed,
                        "period_start": pd.NaT, "period_end": pd.NaT, "period_text": "",
                        "indicator_en": cid, "indicator_zh": cid})
    return pd.DataFrame(records)


@pytest.fixture
def industry_claims() -> pd.DataFrame:
    quote = "形成了以“发展甲业、乙业、丙‘车间’式加工”等五大产业为突破口"
    return claims_frame([
        ("industry.funds", "100万元", 1_000_000, "yuan", "exact"),
        ("industry.funds_per_person", "100元", 100, "yuan_per_person", "exact"),
        ("industry.industry_types", "五大", 5, "industry_types", "exact", quote),
        ("industry.kiwi_area", "2万亩", 20_000, "mu", "exact"),
        ("industry.kiwi_households", "400户", 400, "households", "exact"),
        ("industry.kiwi_employed_households", "100户", 100, "households", "exact"),
        ("industry.duck_birds", "5000羽", 5000, "birds", "exact"),
        ("industry.duck_employed_persons", "100余人", 100, "persons", "at_least"),
        ("industry.duck_villages", "10个", 10, "villages", "exact"),
        ("industry.households_reached", "1000户", 1000, "households", "exact"),
    ])


def test_organisations_pool_only_organisations():
    pooled = tt.total(tt.as_organisations(Quantity(2, "enterprises")),
                      tt.as_organisations(Quantity(8, "entities")))
    assert (pooled.value, pooled.unit) == (10, "organisations")
    with pytest.raises(UnitMixError):
        tt.as_organisations(Quantity(8, "households"))


def test_ratio_refuses_persons_over_person_times():
    with pytest.raises(UnitMixError):
        tt.ratio(Quantity(100, "persons"), Quantity(400, "person_times"))
    per = tt.ratio(Quantity(200_000, "yuan"), Quantity(400, "person_times"))
    assert (per.value, per.unit) == (500, "yuan_per_person_time")


def test_quantities_and_needs_any(industry_claims):
    q = tt.quantities(industry_claims, {"funds": "industry.funds", "gone": "industry.projects"})
    assert list(q) == ["funds"] and q["funds"].value == 1_000_000
    assert tt.needs_any(industry_claims, ["industry.funds", "industry.projects"]) == [
        "industry.funds"]
    assert tt.needs_any(industry_claims, [("industry.funds", "industry.projects")]) == [
        "industry.funds", "industry.projects"]


def test_scale_pairs_found_by_id_naming(industry_claims):
    assert tt.scale_pairs(industry_claims) == [
        ("kiwi", "industry.kiwi_area", "industry.kiwi_households"),
        ("kiwi", "industry.kiwi_area", "industry.kiwi_employed_households"),
        ("duck", "industry.duck_birds", "industry.duck_employed_persons"),
        ("duck", "industry.duck_birds", "industry.duck_villages"),
    ]
    assert tt.employed_pairs(industry_claims) == [
        ("kiwi", "industry.kiwi_employed_households", "industry.kiwi_households")]


def test_scale_row_keeps_units_and_bounds(industry_claims):
    size = tt.quantity(industry_claims, "industry.duck_birds")
    reach = tt.quantity(industry_claims, "industry.duck_employed_persons")
    row = tt.scale_row(industry_claims, "duck", size, reach, tt.ratio(size, reach))
    assert (row["per_unit_value"], row["per_unit_unit"]) == (50, "birds_per_person")
    assert row["per_unit_qualifier"] == "at_most"  # 100余人: more than 100 people
    assert row["industry_en"] == "industry.duck_birds"  # not in the codebook: the claim's text


def test_labels_come_from_the_codebook(industry_claims):
    assert tt.label(industry_claims, "industry.tea_area") == ("tea plantation area", "茶叶基地面积")


def test_per_capita_table(industry_claims):
    funds = tt.quantity(industry_claims, "industry.funds")
    printed = tt.quantity(industry_claims, "industry.funds_per_person")
    implied, low, high = tt.implied_count(funds, printed)
    assert implied.value == 10_000
    assert (low, high) == pytest.approx((1_000_000 / 100.5, 1_000_000 / 99.5))
    bases = pd.DataFrame({"base_id": ["poverty.registered_persons"], "base_persons": [9950.0],
                          "funds_per_person_yuan": [1_000_000 / 9950], "difference_yuan": [0.5],
                          "base_vs_implied_pct": [-0.5], "is_within_rounding": [True],
                          "is_closest": [True]})
    check = tt.per_capita_table(bases, implied, low, high, printed, funds)
    assert list(check["base_en"]) == ["implied by the printed figure", "registered poor persons"]
    assert check.iloc[1]["claim_ids"] == (
        "industry.funds;industry.funds_per_person;poverty.registered_persons")
    alone = tt.per_capita_table(bases.iloc[:0], implied, low, high, printed, funds)
    assert len(alone) == 1


def _check(printed: float, half: float, funds: float, bases: list[float]) -> pd.DataFrame:
    """A per-capita check as the notebook builds it, for hand-picked numbers."""
    implied = funds / printed
    low, high = funds / (printed + half), funds / (printed - half)
    per = [funds / b for b in bases]
    gaps = [abs(b - implied) for b in bases]
    cands = pd.DataFrame({
        "base_id": list(tt.PER_CAPITA_BASES)[:len(bases)], "base_persons": bases,
        "funds_per_person_yuan": per, "difference_yuan": [p - printed for p in per],
        "base_vs_implied_pct": [100 * (b - implied) / implied for b in bases],
        "is_within_rounding": [low <= b <= high for b in bases],
        "is_closest": [g == min(gaps) for g in gaps]})
    q = tt.Quantity(funds, "yuan", "exact", ("industry.funds",))
    p = tt.Quantity(printed, "yuan_per_person", "exact", ("industry.funds_per_person",))
    return tt.per_capita_table(cands, tt.Quantity(implied, "persons"), low, high, p, q)


def test_per_capita_differences_and_band():
    # 1,000,000 yuan, printed 100 yuan per person (± 0.5): bases 9,990 and 12,500 persons
    cands, band_low, band_high = tt.per_capita_differences(_check(100, 0.5, 1e6, [9990, 12500]))
    assert list(cands["relative_pct"]) == pytest.approx(
        [100 * (1e6 / 9990 - 100) / 100, 100 * (1e6 / 12500 - 100) / 100])
    assert (band_low, band_high) == pytest.approx((-0.5, 0.5))  # ± 0.5 yuan of 100


@pytest.mark.parametrize(("printed", "half", "bases", "inside"), [
    (100, 0.5, [9990, 12500], "within"),       # 100.1 yuan: inside ± 0.5%
    (100, 0.5, [9000], "outside"),             # a single base, 11% off
    (3.7, 0.05, [270_000, 250_000], "within"),  # a decimal printed: 3.704 within ± 1.4%
])
def test_per_capita_figure_on_hand_picked_numbers(printed, half, bases, inside, tmp_path):
    import matplotlib.pyplot as plt

    from helpers.display.plotting import apply_theme, save_figure

    check = _check(printed, half, 1e6, bases)
    svgs = []
    for run in range(2):
        apply_theme("en")
        fig = tt.per_capita_figure(check, "en")
        title = fig.axes[0].get_title(loc="left")
        assert f" {inside} " in title
        assert f"printed {printed:g} yuan" in title
        (svg,) = save_figure(fig, f"pc{run}", tmp_path, "svg", close=True)
        svgs.append(svg.read_bytes())
    assert svgs[0] == svgs[1]  # same inputs, same bytes
    with pytest.raises(ValueError):
        tt.per_capita_figure(check.iloc[:1], "en")
    plt.close("all")


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
    industry_claims.loc[industry_claims["id"] == "industry.industry_types", "quote"] = "五大产业"
    assert tt.industry_types(industry_claims).empty


def test_employment_steps_keep_only_what_is_present():
    claims = claims_frame([("employment.training_person_times", "400人次", 400, "person_times",
                            "exact"),
                           ("employment.training_subsidy", "20万元", 200_000, "yuan", "exact")])
    e = tt.quantities(claims, tt.EMPLOYMENT_IDS)
    e["training_subsidy_per"] = tt.ratio(e["training_subsidy"], e["trained"])
    steps = tt.employment_steps(e, claims)
    assert list(steps["key"]) == ["trained", "training_subsidy", "training_subsidy_per"]
    zh = tt.display_steps(steps, "zh", "wan")
    assert list(zh.columns) == ["环节", "指标", "时期", "数值", "是否推算", "claim_ids"]
    assert "20.00万元" in set(zh["数值"])
    assert tt.subsidy_pairs(steps) == [tt.SUBSIDY_PAIRS[0]]


def test_findings_without_any_section():
    assert tt.findings("en") == [
        "The claims hold none of the employment or industry figures this notebook reads."]
    assert len(tt.findings("zh")) == 1


# --------------------------------------------------------------------------- notebook runs


@pytest.fixture(scope="module")
def scratch(paths):
    root = paths.outputs / f".test-teaching-{uuid.uuid4().hex[:8]}"
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _read(out, executed) -> dict:
    """A run of notebook 02: its output folder, the text of its outputs, its status record."""
    nb = nbformat.read(executed, as_version=4)
    texts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            texts.append(o.get("text", ""))
            texts.extend(str(v) for k, v in o.get("data", {}).items() if k.startswith("text/"))
    status = out / "status" / "02.json"
    return {"dir": out, "text": "\n".join(texts),
            "status": json.loads(status.read_text()) if status.exists() else None}


def _run(paths, scratch, name: str, claims_path, lang: str = "en") -> dict:
    out = scratch / name
    target = execute(paths.root / NOTEBOOK, out / "02.ipynb",
                     {"claims_path": str(claims_path), "output_dir": str(out), "lang": lang},
                     cwd=paths.root)
    return _read(out, target)


NAME = Path(NOTEBOOK).stem


def _county(county_run, county: str, lang: str) -> dict:
    """Notebook 02 in the session's run of a fictional county (``county_run``), read only."""
    run = county_run(county, lang, notebook=NAME)
    assert run["rc"] == 0, run["stderr"][-3000:]
    return _read(run["dir"], run["dir"] / "notebooks" / f"{NAME}.ipynb")


@pytest.fixture(scope="module")
def default_02(default_run):
    """Notebook 02 in the session's default run (tests/conftest.py), read only."""
    assert default_run["result"].ok, default_run["result"].message
    run_dir = default_run["run_dir"]
    return _read(run_dir, run_dir / "notebooks" / f"{NAME}.ipynb")


@pytest.fixture
def headline_run(county_run):
    return _county(county_run, "songlan", "zh")


@pytest.fixture(scope="module")
def employment_run(paths, scratch, tmp_path_factory):
    import csv

    with paths.claims.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if r["id"].startswith(("poverty.", "population.", "employment."))]
    path = write_claims(tmp_path_factory.mktemp("employment") / "emp_claims.csv", rows)
    return _run(paths, scratch, "employment", path)


def _table(run, name: str) -> pd.DataFrame:
    return pd.read_csv(run["dir"] / "tables" / f"02_{name}.csv")


DECLARED = ["employment_steps", "employment_pipeline", "employment_subsidies",
            "per_capita_check", "per_capita_base", "industry_types", "industry_scale",
            "industry_summary", "income_vs_funds"]


def _produced(run) -> set[str]:
    """The figures and tables notebook 02 wrote (a shared run folder holds others too)."""
    return {p.stem.removeprefix("02_") for sub in ("figures", "tables")
            for p in (run["dir"] / sub).glob("02_*.*")}


@pytest.mark.county_run("songlan", "zh", NAME)
def test_headline_only_runs_and_says_what_is_missing(headline_run):
    assert _produced(headline_run) == set()
    status = headline_run["status"]
    assert sorted(k.removeprefix("02_") for k in status["not_produced"]) == sorted(DECLARED)
    assert not any(status["sections"].values())
    assert "松岚县" in headline_run["text"] and "未报告" in headline_run["text"]
    assert "耒阳" not in headline_run["text"] and "Leiyang" not in headline_run["text"]


def test_employment_without_industry(employment_run):
    assert _produced(employment_run) == {
        "employment_steps", "employment_pipeline", "employment_subsidies"}
    status = employment_run["status"]
    assert set(status["not_produced"]) == {
        f"02_{n}" for n in DECLARED if not n.startswith("employment")}
    steps = _table(employment_run, "employment_steps").set_index("key")["value_base"]
    assert steps["training_subsidy_per"] == pytest.approx(849e4 / 5680)
    assert "Training is counted in person-times" in employment_run["text"]


@pytest.mark.county_run("qingwu", "en", NAME)
def test_other_structure_runs(county_run):
    run = _county(county_run, "qingwu", "en")
    assert "Qingwu" in run["text"] and "Leiyang" not in run["text"]
    produced = _produced(run)
    assert produced and all(f"02_{n}" in run["status"]["not_produced"]
                            for n in DECLARED if n not in produced)


def test_default_run_writes_every_output(default_02):
    assert _produced(default_02) == set(DECLARED)
    assert default_02["status"] is None  # nothing skipped


def test_default_employment_per_unit(default_02):
    steps = _table(default_02, "employment_steps").set_index("key")["value_base"]
    assert steps["training_subsidy_per"] == pytest.approx(849e4 / 5680)
    assert steps["living_subsidy_per"] == pytest.approx(77e4 / 5680)
    assert steps["per_session"] == pytest.approx(5680 / 125)
    assert steps["per_carrier"] == pytest.approx(1088 / 143)
    assert steps["transport_per"] == pytest.approx(585.22e4 / 9690)
    assert steps["poor_share"] == pytest.approx(418 / 11383)
    assert steps["placed"] == 1088 + 1515


def test_default_per_capita_recomputation(default_02):
    """17205.27万元 ÷ 3966元 (both as printed) against 43172 registered poor persons."""
    funds = 17205.27e4
    check = _table(default_02, "per_capita_check")
    assert check.iloc[0]["base_persons"] == pytest.approx(funds / 3966)
    closest = check[check["is_closest"]].iloc[0]
    assert closest["claim_ids"].endswith("poverty.registered_persons")
    assert closest["funds_per_person_yuan"] == pytest.approx(funds / 43172)
    # 3966 rounds 3965.5..3966.5, which allows 43376.5..43387.4 people: 43172 lies outside
    assert not check.iloc[1:]["is_within_rounding"].any()
    assert "99.5%" in default_02["text"]  # 3966 × 43172 ÷ 17205.27万: the fiscal-funds reading


def test_default_industry_types(default_02):
    types = _table(default_02, "industry_types")
    assert list(types["name_zh"]) == [
        "特色种植", "健康养殖", "农副产品加工", "休闲农业与乡村旅游", "电商冷链物流",
        "农业生产服务", "农村公共服务‘扶贫车间’式加工", "村级光伏"]
    assert all(re.search("[a-z]", name) for name in types["name_en"])  # all translated
    assert "announces" not in default_02["text"]
    assert "9 major industry types and names 8" in default_02["text"]


def test_default_industry_scale_and_income(default_02):
    scale = _table(default_02, "industry_scale").set_index(["claim_ids"])["per_unit_value"]
    assert scale["industry.camellia_area;industry.camellia_households"] == pytest.approx(
        118.4e4 / 8224)
    assert scale["industry.camellia_area;industry.camellia_employed_households"] == 118.4e4 / 500
    assert scale["industry.poultry_birds;industry.poultry_households"] == pytest.approx(
        40e4 / 6500)
    quals = _table(default_02, "industry_scale").set_index("claim_ids")["per_unit_qualifier"]
    assert quals["industry.tobacco_area;industry.tobacco_employed_persons"] == "at_most"
    assert quals["industry.tea_area;industry.tea_income_households"] == "at_most"
    s = _table(default_02, "industry_summary").set_index("key")["value_base"]
    assert s["implied_gain"] == pytest.approx(1430.6 * 14466)
    assert s["gain_to_funds"] == pytest.approx(1430.6 * 14466 / 17205.27e4)
    assert s["households_per_organisation"] == pytest.approx(14466 / (24 + 536))
    assert s["reached_share"] == 1.0  # 14466 households reached = 14466 registered
    assert s["camellia_employed_share"] == pytest.approx(500 / 8224)


# --------------------------------------------------------------------------- figures, findings


@pytest.fixture(scope="module")
def figures(default_02):
    from helpers.display.plotting import apply_theme

    apply_theme("zh")
    tables = {n: _table(default_02, n) for n in
              ("employment_steps", "per_capita_check", "industry_scale", "industry_summary")}
    for n in ("employment_steps", "industry_summary"):
        for col in ("period_en", "period_zh"):
            tables[n][col] = tables[n][col].fillna("")
    out = {}
    for lang in ("en", "zh"):
        out[lang] = [
            tt.employment_pipeline_figure(tables["employment_steps"], lang),
            tt.subsidy_figure(tables["employment_steps"], lang, "yi"),
            tt.per_capita_figure(tables["per_capita_check"], lang),
            tt.income_figure(tables["industry_summary"], lang, "yi"),
        ]
    yield out, tables
    import matplotlib.pyplot as plt

    plt.close("all")


def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def test_zh_figures_have_no_english_words(figures):
    for fig in figures[0]["zh"]:
        words = [t for t in _texts(fig) if re.search(r"[A-Za-z]{2,}", t)]
        assert not words, words


def test_figure_titles_state_computed_findings(figures):
    en = figures[0]["en"]
    title = en[2].axes[0].get_title(loc="left")
    assert "43,382" in title  # 17205.27万 / 3966
    # 17205.27万 ÷ 43172 against 3966, and 3966's rounding (± 0.5 yuan) relative to it
    assert f"{100 * (17205.27e4 / 43172 / 3966 - 1):+.3f}%" in title
    assert f"±{100 * 0.5 / 3966:.3f}%" in title and "outside" in title
    assert "12.0%" in en[3].axes[0].get_title(loc="left")  # 1430.6 × 14466 / 17205.27万
    assert "3.7%" in en[0].axes[0].get_title(loc="left")  # 418 / 11383
    assert any("亿元" in t for t in _texts(figures[0]["zh"][3]))


def test_per_capita_axis_is_scaled_to_the_closest_base(figures):
    """The 0.49% gap fills most of the axis; the 5.9% and -97% bases are drawn to its edge."""
    ax = figures[0]["en"][2].axes[0]
    low, high = ax.get_xlim()
    gap = 100 * (17205.27e4 / 43172 / 3966 - 1)
    assert gap < high < 2 * gap and low == -high
    texts = " ".join(_texts(figures[0]["en"][2]))
    assert texts.count("off scale") == 2
    assert "超出坐标范围" in " ".join(_texts(figures[0]["zh"][2]))


def test_findings_in_both_languages(figures):
    tables = figures[1]
    kw = dict(steps=tables["employment_steps"], check=tables["per_capita_check"],
              scale=tables["industry_scale"], summary=tables["industry_summary"],
              types=pd.DataFrame({"name_zh": list("abcdefgh")}), stated_types=9)
    en, zh = tt.findings("en", "wan", **kw), tt.findings("zh", "yi", **kw)
    assert len(en) == len(zh) >= 10
    assert any("九大产业" in s and "八个" in s for s in zh)
    assert any("3,985.3" in s for s in en)  # 17205.27万 / 43172, one decimal
    assert not any("nan" in s.lower() or "inf" in s.lower() for s in en + zh)
    assert not any(re.search(r"[A-Za-z]{3,}", s) for s in zh)


# --------------------------------------------------------------------------- sources, periods


def test_source_passages_group_claims_by_quote(paths):
    from helpers.data.claims import load_claims

    claims = load_claims()
    passages = tt.source_passages(claims, lang="zh")
    assert list(passages.columns) == ["原文", "claim_ids"]
    first = passages.iloc[0]
    assert set(first["claim_ids"].split(";")) == {
        "employment.training_sessions", "employment.training_person_times",
        "employment.training_subsidy", "employment.living_subsidy"}
    # the poultry sentence is split by a page break in the source; shown joined
    assert any(p == "6500户贫困户年发展养鸡40万羽。" for p in passages["原文"])
    en = tt.explain_refusal(claims, "employment.carrier_workers",
                            "employment.training_person_times")
    assert "refused" in en and "person_times" in en
    zh = tt.explain_refusal(claims, "employment.carrier_workers",
                            "employment.training_person_times", "zh")
    assert "拒绝" in zh and "人次" in zh
    assert tt.explain_refusal(claims, "employment.carrier_workers",
                              "employment.carriers").endswith("7.61 persons per entity")
    assert tt.claim_period(claims, "industry.funds") == ("2015-01 – 2020-06", "2015—2020年上半年")
    assert tt.claim_period(claims, "employment.job_intentions") == ("", "")


def test_module_and_markdown_do_not_name_the_county(paths):
    text = (paths.root / "src/helpers/analysis/teaching.py").read_text(encoding="utf-8")
    nb = nbformat.read(paths.root / NOTEBOOK, as_version=4)
    text += "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for name in ("Leiyang", "耒阳", "授人以渔", "衡阳"):
        assert name not in text
