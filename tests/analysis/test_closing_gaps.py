"""Tests for helpers.analysis.closing_gaps and notebook 01 (closing gaps: the six programme areas).

Unit tests use small hand-built claims frames; checks on real tables take their
expectations from the source text (numbers as printed there) and an independent
computation, never from the program's own output.  The notebook itself is read from the
session's runs of the fictional counties (``county_run`` in tests/conftest.py): one with
only headline figures, one with two of the areas.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from conftest import executed_notebook

matplotlib.use("Agg")

from helpers.analysis import closing_gaps as cg
from helpers.data.claims import load_claims
from helpers.data.quantity import UnitMixError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "counties"
NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "01_closing_gaps.ipynb"


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_printed, value_base, base_unit, qualifier[, quote]).

    The section is the id's topic and every row is in chapter 9 (the chapter must not
    matter); quote offsets follow the row order unless rows share a quote.
    """
    records, offsets = [], {}
    for i, (cid, printed, value, unit, qualifier, *rest) in enumerate(rows):
        quote = rest[0] if rest else printed
        records.append({"id": cid, "chapter": 9, "section": cid.split(".")[0],
                        "value_printed": printed, "value_base": float(value),
                        "base_unit": unit, "qualifier": qualifier, "quote": quote,
                        "quote_offset": offsets.setdefault(quote, 10 * i),
                        "period_start": pd.Timestamp("2015-01-01"),
                        "period_end": pd.Timestamp("2020-06-30"), "period_text": "2015—2020年",
                        "indicator_en": cid, "indicator_zh": cid})
    return pd.DataFrame(records)


@pytest.fixture(scope="module")
def real_claims() -> pd.DataFrame:
    return load_claims()


# --------------------------------------------------------------------------- targeting rule


@pytest.mark.parametrize(("quote", "value", "expected"), [
    ("累计代缴1156.64万元给贫困对象", "1156.64万元", ("registered_poor", "贫困对象")),
    ("完成总投资100万元，新增饮水安全覆盖人口250人", "100万元", ("broader", "覆盖人口")),
    # the amount's own clause first, then the nearest word before it
    ("为贫困户办理，发放家庭经济困难补助30万元", "30万元", ("broader", "家庭经济困难")),
    ("为贫困户办理，共计30万元，惠及群众", "30万元", ("registered_poor", "贫困户")),
    # the longest word wins: 贫困群众 are the registered poor, not 群众
    ("搬迁贫困群众200户，投入资金1亿元", "1亿元", ("registered_poor", "贫困群众")),
    ("共投入资金5000万元", "5000万元", ("not_stated", "")),
])
def test_classify_targeting_on_any_quote(quote, value, expected):
    assert cg.classify_targeting(quote, value) == expected


def test_targeting_of_the_default_claims_follows_their_wording(real_claims):
    # each expectation is the group the article names with the amount (read from the text)
    expected = {
        "infrastructure.investment": "broader",            # 全市建制村
        "health.premium_amount": "registered_poor",        # 代缴贫困人口医保
        "health.one_stop_compensation": "registered_poor",  # 贫困人口“一站式”结算
        "health.one_stop_medical_costs": "registered_poor",
        "education.living_allowance_amount": "broader",    # 家庭经济困难
        "education.fee_waiver_amount": "broader",          # 受益学生
        "housing.renovation_funds": "broader",             # 直接受益群众
        "housing.relocation_funds": "registered_poor",     # 贫困户
        "water.investment": "broader",                     # 新增饮水安全覆盖人口
        "social_security.pension_premium_amount": "registered_poor",  # 贫困对象
        "social_security.assistance_amount": "broader",    # 农村低保金
        "social_security.disability_subsidies": "broader",  # 残疾人
    }
    money = cg.money_rows(real_claims).set_index("amount_id")
    assert money["targeting_wording"].to_dict() == expected
    for cid, marker in money["targeting_marker"].items():
        assert marker in real_claims.set_index("id").loc[cid, "quote"]


def test_targeting_follows_the_numbers_where_they_exceed_the_register(real_claims):
    money = cg.money_rows(real_claims).set_index("amount_id")
    value = real_claims.set_index("id")["value_base"].astype(float)
    registered = value["poverty.registered_persons"]
    # 22.16万人次 over 2017—2020: more than one payment a year per registered person
    premiums = money.loc["health.premium_amount"]
    share = 100 * value["health.premium_person_times"] / (4 * registered)
    assert premiums["evidence_share_pct"] == pytest.approx(share) and share > 100
    assert (premiums["targeting_wording"], premiums["targeting"],
            premiums["targeting_basis"]) == ("registered_poor", "broader", "numbers")
    assert "each year" in premiums["targeting_reason_en"]          # the assumption is named
    # fee waivers: person-times ÷ 11 semesters (2015 spring – 2020 spring) pupils at least
    waivers = money.loc["education.fee_waiver_amount"]
    assert waivers["evidence_share_pct"] == pytest.approx(
        100 * value["education.fee_waiver_person_times"] / 11 / registered)
    assert waivers["evidence_qualifier"] == "at_least"
    assert waivers["targeting_basis"] == "wording and numbers"
    assert money.loc["water.investment", "targeting_basis"] == "wording and numbers"
    # relocation: 4783 of 43172 people, within the register: the wording decides
    relocation = money.loc["housing.relocation_funds"]
    assert (relocation["targeting"], relocation["targeting_basis"]) == ("registered_poor",
                                                                         "wording")
    assert money["is_registered_poor_only"].equals(money["targeting"] == "registered_poor")


def test_notebook_04_reads_the_same_targeting(real_claims):
    from helpers.analysis import audit as au

    money = cg.money_rows(real_claims).set_index("amount_id")
    table = au.money_table(real_claims).set_index("claim_ids")
    for cid, row in money.iterrows():
        assert table.loc[cid, "is_poverty_targeted"] == row["is_registered_poor_only"], cid


# --------------------------------------------------------------------------- selection


def test_money_rows_select_by_topic_not_by_chapter(real_claims):
    claims = real_claims.copy()
    claims.loc[claims["id"] == "housing.relocation_funds", "chapter"] = 7
    ids = cg.money_rows(claims)["amount_id"].tolist()
    assert "housing.relocation_funds" in ids
    assert not any(i.startswith(("employment.", "industry.")) for i in ids)
    yuan = real_claims[real_claims["base_unit"] == "yuan"]["id"]
    assert sorted(ids) == sorted(i for i in yuan if i.split(".")[0] in cg.AREAS)


def test_bills_are_not_spending(real_claims):
    money = cg.money_rows(real_claims).set_index("amount_id")
    assert not money.loc["health.one_stop_medical_costs", "is_spending"]
    assert money["is_spending"].sum() == len(money) - 1


def test_head_counts_pair_and_sum_by_unit(real_claims):
    pairs = cg.head_counts(real_claims, cg.money_rows(real_claims)).set_index("measure")
    assert pairs.loc["water_reached_persons", "count"] == 250703 + 133737
    assert not pairs.loc["water_upgraded_persons", "is_cost_base"]
    assert pairs.loc["relocated_persons", "is_primary"]
    assert pairs.loc["premium_person_times", "count_unit"] == "person_times"


def test_head_counts_refuse_to_add_persons_and_person_times():
    claims = claims_frame([
        ("water.investment", "100万元", 1e6, "yuan", "exact"),
        ("water.new_covered_persons", "1000人", 1000, "persons", "exact"),
        ("water.upgraded_persons", "500人次", 500, "person_times", "exact"),
    ])
    with pytest.raises(UnitMixError):
        cg.head_counts(claims, cg.money_rows(claims))


def test_an_amount_outside_the_codebook_pairs_is_paired_within_its_quote():
    quote = "结算医疗补偿30万元，惠及贫困人口2000人次"
    claims = claims_frame([
        ("health.one_stop_compensation", "30万元", 3e5, "yuan", "exact", quote),
        ("health.premium_person_times", "2000人次", 2000, "person_times", "exact", quote),
        ("housing.relocated_persons", "60人", 60, "persons", "exact"),
    ])
    pairs = cg.head_counts(claims, cg.money_rows(claims))
    assert pairs["count_ids"].tolist() == ["health.premium_person_times"]


def test_empty_claims_give_empty_frames():
    claims = claims_frame([("poverty.registered_persons", "400人", 400, "persons", "exact")])
    money = cg.money_rows(claims)
    pairs = cg.head_counts(claims, money)
    assert money.empty and pairs.empty
    assert pairs[pairs["is_cost_base"]].empty  # boolean mask, not a column selection
    assert cg.coverage_statements(claims).empty
    assert cg.areas_present(claims) == []
    assert len(cg.findings(money, pairs, None, None, None, None, "zh")) == 1


class _Meta:
    def __init__(self, en, zh):
        self._level = {"en": en, "zh": zh}

    def level(self, lang):
        return self._level[lang]


def test_coverage_scope_takes_the_county_level(real_claims):
    city = cg.coverage_statements(real_claims, _Meta("county-level city", "县级市"))
    county = cg.coverage_statements(real_claims, _Meta("county", "县")).set_index("claim_id")
    # one statement per coverage claim the table holds: infrastructure, the reimbursement
    # rate, education rates, the water-safety 全部
    assert set(city["claim_id"]) == set(cg.COVERAGE) & set(real_claims["id"])
    assert len(city) == len(set(city["claim_id"]))
    assert "water.registered_poor_safety_coverage" in set(city["claim_id"])
    assert "全市" in city.set_index("claim_id").loc["infrastructure.fibre_coverage", "scope_zh"]
    assert county.loc["infrastructure.fibre_coverage", "scope_zh"].startswith("全县")
    assert county.loc["infrastructure.village_bus_coverage", "scope_en"].endswith("county")


def test_absent_areas_note():
    note = cg.absent_areas_note(["water", "education"], "松岚县", "zh")
    assert "松岚县" in note and "`water.*`" in note
    assert cg.absent_areas_note([], "X", "en") == ""


def test_no_county_name_in_module_or_notebook_markdown():
    source = Path(cg.__file__).read_text(encoding="utf-8")
    assert not re.search("Leiyang|耒阳", source)
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert not re.search("Leiyang|耒阳|补短强弱", markdown)


# --------------------------------------------------------------------------- notebook runs


@pytest.fixture
def runs(county_run):
    """``runs(county, lang)``: notebook 01 in the session's run of a fictional county (the
    headline-only one, the one with two areas): (run folder, executed notebook), read only."""

    def get(county: str, lang: str):
        run = county_run(county, lang, notebook=NOTEBOOK.stem)
        return run["dir"], executed_notebook(run, NOTEBOOK.stem)

    return get


def _texts_of(executed) -> str:
    parts = []
    for cell in executed["cells"]:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            parts += ["".join(data.get("text/markdown", "")), "".join(data.get("text/html", ""))]
    return "\n".join(parts)


@pytest.mark.county_run("songlan", "en", NOTEBOOK.stem)
def test_headline_only_claims_run_and_record_every_output_as_not_produced(runs):
    run_dir, executed = runs("songlan", "en")
    status = json.loads((run_dir / "status" / "01.json").read_text(encoding="utf-8"))
    declared = {"programmes", "targeting", "unit_costs", "reach", "coverage",
                "reimbursement_check", "spending_by_programme", "cost_per_beneficiary",
                "reach_vs_registered", "health_premiums_reimbursement"}
    assert set(status["not_produced"]) == {f"01_{n}" for n in declared}
    assert not any(status["sections"].values())
    # no table of notebook 01 (the run folder is shared: other notebooks' tables are there)
    assert not any((run_dir / "tables").glob("01_*"))
    text = _texts_of(executed)
    assert "Songlan" in text and not re.search("Leiyang|耒阳", text)


@pytest.mark.county_run("qingwu", "en", NOTEBOOK.stem)
def test_two_area_claims_run_only_their_areas(runs):
    run_dir, executed = runs("qingwu", "en")
    text = _texts_of(executed)
    assert "Qingwu" in text and not re.search("Leiyang|耒阳", text)
    assert "### Housing safety" in text and "### Basic medical security" in text
    assert "### Drinking water" not in text
    assert "Drinking water" in text.split("### Housing safety")[1]  # named in the absent note
    claims = pd.read_csv(FIXTURES / "qingwu" / "qingwu_claims.csv").set_index("id")["value_printed"]
    costs = pd.read_csv(run_dir / "tables" / "01_unit_costs.csv").set_index("measure")
    # 12.6亿元 ÷ 21460户 and 1.06亿元 ÷ 5318户, as printed
    assert claims["housing.relocation_funds"] == "12.6亿元"
    assert costs.loc["relocated_households", "cost_yuan"] == pytest.approx(12.6e8 / 21460)
    assert costs.loc["renovated_households", "cost_yuan"] == pytest.approx(1.06e8 / 5318)
    reach = pd.read_csv(run_dir / "tables" / "01_reach.csv").set_index("measure")
    registered = float(re.sub(r"\D", "", claims["poverty.registered_households"]))
    assert reach.loc["relocated_households", "share_of_registered_pct"] == pytest.approx(
        100 * 21460 / registered)
    targeting = pd.read_csv(run_dir / "tables" / "01_targeting.csv").set_index("programme")
    assert targeting.loc["relocation", "is_contradicted_by_numbers"] == (21460 > registered)
    status = json.loads((run_dir / "status" / "01.json").read_text(encoding="utf-8"))
    assert "01_reimbursement_check" in status["not_produced"]
    assert (run_dir / "tables" / "01_coverage.csv").is_file()


@pytest.mark.county_run("qingwu", "zh", NOTEBOOK.stem)
def test_two_area_claims_in_chinese(runs):
    _, executed = runs("qingwu", "zh")
    text = _texts_of(executed)
    assert "青梧" in text and "住房安全保障" in text
    assert not re.search("Leiyang|耒阳", text)


# --------------------------------------------------------------------------- reference tables


@pytest.fixture(scope="module")
def reference(paths) -> dict[str, pd.DataFrame]:
    tables = paths.outputs / "default" / "tables"
    return {name: pd.read_csv(tables / f"01_{name}.csv", keep_default_na=False)
            for name in ("programmes", "unit_costs", "reach", "coverage",
                         "reimbursement_check", "targeting")}


def test_reference_costs_and_reach_from_printed_numbers(reference):
    costs = reference["unit_costs"].set_index("measure")
    assert float(costs.loc["relocated_persons", "cost_yuan"]) == pytest.approx(28243.71e4 / 4783)
    assert float(costs.loc["water_reached_persons", "cost_yuan"]) == pytest.approx(
        16268.33e4 / (250703 + 133737))
    assert costs.loc["renovation_persons", "cost_qualifier"] == "at_most"  # 5万余人
    assert costs.loc["premium_person_times", "cost_unit"] == "yuan_per_person_time"
    reach = reference["reach"].set_index("measure")
    assert float(reach.loc["water_new_persons", "share_of_registered_pct"]) == pytest.approx(
        100 * 250703 / 43172)
    assert str(reach.loc["premium_person_times", "is_comparable"]) == "False"
    check = reference["reimbursement_check"].iloc[0]
    assert float(check["recomputed_pct"]) == pytest.approx(100 * 3.82 / 4.33)
    assert float(check["low_pct"]) == pytest.approx(100 * 3.815 / 4.335)
    assert str(check["is_consistent"]) == "True"


# --------------------------------------------------------------------------- figures, displays


@pytest.fixture(scope="module")
def frames(real_claims):
    """The notebook's frames for the default claims, computed independently of it."""
    money = cg.money_rows(real_claims)
    pairs = cg.head_counts(real_claims, money)
    costs = pairs[pairs["is_cost_base"]].assign(
        cost_yuan=lambda d: d["amount_yuan"] / d["count"],
        cost_unit=lambda d: "yuan_per_" + d["count_unit"].map(cg.SINGULAR),
        cost_qualifier=lambda d: d["count_qualifier"].map({"exact": "exact",
                                                           "at_least": "at_most"}),
        claim_ids=lambda d: d["amount_id"] + ";" + d["count_ids"])
    registered = {"persons": 43172.0, "households": 14466.0}
    reach = pairs.assign(registered_count=pairs["count_unit"].map(registered))
    reach = reach.assign(share_of_registered_pct=100 * reach["count"] / reach["registered_count"],
                         is_comparable=reach["registered_count"].notna(),
                         share_qualifier=reach["count_qualifier"],
                         note_en="", note_zh="", claim_ids=reach["count_ids"])
    reach["is_beyond_registered"] = reach["share_of_registered_pct"] > 100
    programmes = money.assign(beneficiaries=float("nan"), beneficiary_unit="",
                              beneficiaries_qualifier="", cost_per_beneficiary_yuan=float("nan"),
                              cost_unit="", cost_qualifier="", claim_ids=money["amount_id"])
    return {"programmes": programmes, "costs": costs, "reach": reach}


def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def test_figures_follow_the_language_and_state_computed_numbers(frames):
    import matplotlib.pyplot as plt

    from helpers.display.plotting import apply_theme

    apply_theme("zh")
    # one-stop compensation, relocation, pension premiums (the medical premiums follow the
    # numbers: more payments than one a year per registered person)
    registered = 38200 + 28243.71 + 1156.64
    total = (65000 + 4658.66 + 38200 + 11896.21 + 72972.92 + 20763.35 + 28243.71 + 16268.33
             + 1156.64 + 59271.3 + 9803.7)
    for lang in ("en", "zh"):
        figs = [cg.spending_figure(frames["programmes"], lang, "yi"),
                cg.unit_cost_figure(frames["costs"], lang),
                cg.reach_figure(frames["reach"], lang)]
        texts = [" ".join(_texts(f)) for f in figs]
        assert f"{100 * registered / total:.0f}%" in texts[0]
        if lang == "zh":
            for t in texts:
                assert not re.search(r"[A-Za-z]{2,}", t), t
        else:
            reloc, water = 28243.71e4 / 4783, 16268.33e4 / (250703 + 133737)
            assert f"{reloc / water:,.0f} times" in texts[1]
            assert f"{(250703 + 133737) / 43172:.1f} times" in texts[2]
    plt.close("all")


def test_health_figure_shows_the_rate_with_its_rounding_ranges(real_claims, tmp_path):
    """3.82亿 ÷ 4.33亿 (each ± 0.005亿) against the printed 88% (± 0.5), on one unit (%)."""
    import matplotlib.pyplot as plt

    from helpers.display.plotting import apply_theme, save_figure

    comp, bills = 3.82e8, 4.33e8
    check = pd.Series({"printed_pct": 88.0, "recomputed_pct": 100 * comp / bills,
                       "low_pct": 100 * (comp - 5e5) / (bills + 5e5),
                       "high_pct": 100 * (comp + 5e5) / (bills - 5e5),
                       "printed_low_pct": 87.5, "printed_high_pct": 88.5,
                       "is_consistent": True, "remainder_yuan": bills - comp})
    svgs = []
    for lang, unit in (("en", "wan"), ("zh", "yi"), ("en", "wan")):
        apply_theme(lang)
        fig = cg.health_figure(real_claims, check, lang, unit)
        texts = " ".join(_texts(fig))
        assert f"{100 * comp / bills:.1f}%" in texts
        assert f"{check['low_pct']:.2f}–{check['high_pct']:.2f}%" in texts
        assert "87.50–88.50%" in texts
        assert "premium" not in texts and "保费" not in texts  # one unit: the premiums are gone
        rate_ax = fig.axes[1]
        assert rate_ax.get_xlim()[0] < check["printed_low_pct"]
        assert rate_ax.get_xlim()[1] > check["high_pct"] and rate_ax.get_xlim()[1] < 100
        if lang == "zh":
            assert not re.search(r"[A-Za-z]{2,}", texts), texts
        else:
            assert "consistent with the printed 88%" in texts
            (svg,) = save_figure(fig, f"health{len(svgs)}", tmp_path, "svg")
            svgs.append(svg.read_bytes())
        plt.close(fig)
    assert svgs[0] == svgs[1]  # same inputs, same bytes


def test_displays_follow_the_language(frames):
    for frame in (cg.display_programmes(frames["programmes"], "zh"),
                  cg.display_unit_costs(frames["costs"], "zh"),
                  cg.display_reach(frames["reach"], "zh")):
        assert all(c == "claim_ids" or not re.search(r"[A-Za-z]", c) for c in frame.columns)
    with pytest.raises(ValueError):
        cg.display_programmes(frames["programmes"], "fr")


def test_findings_in_both_languages(frames):
    args = (frames["programmes"], frames["costs"], frames["reach"])
    premiums = {"medical_per_person_time_yuan": 4658.66e4 / 22.16e4,
                "pension_standard_yuan": 100.0, "pension_person_years": 1156.64e4 / 100}
    premiums["ratio"] = premiums["medical_per_person_time_yuan"] / 100
    en = cg.findings(*args, None, premiums, None, "en", "wan")
    zh = cg.findings(*args, None, premiums, None, "zh", "yi")
    assert len(en) == len(zh) >= 6
    assert any(f"{4658.66e4 / 22.16e4:,.2f} yuan per person-time" in s for s in en)
    assert any(f"{100 * 250703 / 43172:,.1f}%" in s for s in en)
    assert not any(re.search(r"\b(nan|inf)\b", s.lower()) for s in en + zh)


def test_chinese_evidence_has_no_english_unit(real_claims):
    """The numbers' evidence reads 建档立卡人数/户数 in Chinese, never an English unit."""
    evidence = cg.numeric_evidence(real_claims)
    assert len(evidence) > 0
    for text in evidence["evidence_zh"]:
        assert not re.search(r"建档立卡[A-Za-z]", text), text
    assert evidence["evidence_zh"].str.contains("÷建档立卡(?:人数|户数)").any()
