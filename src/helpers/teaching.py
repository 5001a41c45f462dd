"""Chapter 2 (授人以渔, "teaching to fish"): employment and industry support.

The chapter reports two pipelines.  **Employment**: skills training (sessions,
person-times, subsidies), job fairs (job-intention matches), placement
(employment carriers, public-welfare posts) and transport subsidies for migrant
work.  **Industry**: funds and projects, a per-capita funding figure, nine
industry types, the scale of four named industries against the households or
people they reached, the organisations linked to poor households and the
average income gain per household.

Every number comes from the claims table through claim ids.  Arithmetic goes
through :class:`~helpers.quantity.Quantity`, which carries the base unit, the
qualifier (``余``/``多`` → "at least") and the claim ids, and refuses to mix
head-count units: persons (人), person-times (人次) and households (户) are never
divided, added or compared with one another (:class:`~helpers.quantity.UnitMixError`).
Numbers, money and units are displayed as :mod:`helpers.formatting` writes them.

Nothing is computed at import time.
"""

from __future__ import annotations

import math
import re

import cn2an
import pandas as pd

from . import formatting as fmt
from . import quantity as qty
from . import units
from .claims import get_claim
from .formatting import check_lang as _check_lang
from .formatting import fmt_money, fmt_number, money_number
from .formatting import pick as _t
from .quantity import DERIVED_QUALIFIERS as DERIVED_QUALIFIERS
from .quantity import HEADCOUNT_UNITS as HEADCOUNT_UNITS
from .quantity import Quantity, UnitMixError, compare, quantity
from .quantity import add as total

#: The article's chapter this module analyses (colour: ``plotting.CHAPTER_COLORS[2]``).
CHAPTER = 2

#: Organisation units that may be pooled as "organisations" (家 enterprises + 个 entities).
ORGANISATION_UNITS = frozenset({"enterprises", "entities"})

#: The units this module names (plural English, singular English, Chinese); a rate may be
#: per any of them.
UNITS = fmt.UNITS.select(
    ("yuan", "persons", "person_times", "households", "sessions", "entities", "enterprises",
     "organisations", "projects", "villages", "mu", "birds", "industry_types", "percent",
     "ratio", "years"))
UNIT_TEXT = UNITS.texts

#: English names of the industry types the article lists (Chinese as printed, 发展 removed).
INDUSTRY_NAMES_EN: dict[str, str] = {
    "特色种植": "specialty crop farming",
    "健康养殖": "healthy livestock and poultry farming",
    "农副产品加工": "processing of farm products",
    "休闲农业与乡村旅游": "leisure agriculture and rural tourism",
    "电商冷链物流": "e-commerce and cold-chain logistics",
    "农业生产服务": "agricultural production services",
    "农村公共服务‘扶贫车间’式加工":
        "rural public services and 'poverty-relief workshop' processing",
    "村级光伏": "village solar power",
}

#: Verb that opens the quoted list of industries (发展 "develop" governs the whole list).
LIST_VERBS = ("发展",)

_LIST_RE = re.compile(r"“(?P<items>[^“”]*、[^“”]*)”\s*等")


# --------------------------------------------------------------------------- quantities

split_rate = UNITS.split_rate


def rate_unit(numerator: str, denominator: str) -> str:
    """The unit of ``numerator / denominator`` (see :func:`helpers.quantity.rate_unit`)."""
    return qty.rate_unit(numerator, denominator, UNITS)


def ratio(numerator: Quantity, denominator: Quantity) -> Quantity:
    """``numerator / denominator`` (see :func:`helpers.quantity.ratio`)."""
    return qty.ratio(numerator, denominator, UNITS)


def product(rate: Quantity, count: Quantity) -> Quantity:
    """``rate × count`` (元/户 × 户 -> 元; see :func:`helpers.quantity.product`)."""
    return qty.product(rate, count, UNITS)


def implied_count(total: Quantity, rate: Quantity) -> tuple[Quantity, float, float]:
    """The count a total and a per-unit rate imply (see :func:`helpers.quantity.implied_count`)."""
    return qty.implied_count(total, rate, UNITS)


def as_organisations(q: Quantity) -> Quantity:
    """An enterprises or entities count relabelled as ``organisations`` (to pool them)."""
    if q.unit not in ORGANISATION_UNITS | {"organisations"}:
        raise UnitMixError(f"{q.unit} are not organisations")
    return Quantity(q.value, "organisations", q.qualifier, q.claim_ids, q.half_step)


# --------------------------------------------------------------------------- labels

unit_text = UNITS.unit_text
fmt_quantity = UNITS.fmt_quantity


# --------------------------------------------------------------------------- sources

#: Claim-id prefixes this notebook draws on.
SOURCE_PREFIXES = ("employment.", "industry.")


def source_passages(claims: pd.DataFrame, prefixes: tuple[str, ...] = SOURCE_PREFIXES,
                    lang: str = "en") -> pd.DataFrame:
    """Each distinct quote of the claims whose id starts with ``prefixes``, with its claim ids.

    In order of appearance in the article (quote offset); headers in ``lang``.
    """
    return fmt.quote_passages(claims, prefixes, lang)


def explain_refusal(claims: pd.DataFrame, numerator_id: str, denominator_id: str,
                    lang: str = "en") -> str:
    """What happens when one claim is divided by another: the ratio, or why it is refused."""
    _check_lang(lang)
    num, den = quantity(claims, numerator_id), quantity(claims, denominator_id)
    head = f"{numerator_id} ÷ {denominator_id}"
    try:
        r = ratio(num, den)
    except UnitMixError as exc:
        if lang == "en":
            return f"{head}: refused ({exc})"
        return (f"{head}：拒绝计算（{unit_text(num.unit, 'zh')}与{unit_text(den.unit, 'zh')}"
                "是不同的单位：人、人次、户互不换算）")
    return f"{head} = {fmt_quantity(r, lang)}"


# --------------------------------------------------------------------------- employment

#: Stages of the employment pipeline (number, English, Chinese).
STAGES = {
    1: ("Train", "培训"),
    2: ("Match", "对接"),
    3: ("Place", "安置"),
    4: ("Migrate", "外出务工"),
}

#: Claim ids of the employment paragraph.
EMPLOYMENT_IDS = {
    "sessions": "employment.training_sessions",
    "trained": "employment.training_person_times",
    "training_subsidy": "employment.training_subsidy",
    "living_subsidy": "employment.living_subsidy",
    "intentions": "employment.job_intentions",
    "intentions_poor": "employment.job_intentions_poor",
    "carriers": "employment.carriers",
    "carrier_workers": "employment.carrier_workers",
    "welfare_posts": "employment.welfare_post_workers",
    "transport_recipients": "employment.transport_subsidy_recipients",
    "transport_amount": "employment.transport_subsidy_amount",
    "registered_persons": "poverty.registered_persons",
}


def employment_quantities(claims: pd.DataFrame) -> dict[str, Quantity]:
    """Stated and derived quantities of the employment pipeline, by key."""
    q = {key: quantity(claims, cid) for key, cid in EMPLOYMENT_IDS.items()}
    q["per_session"] = ratio(q["trained"], q["sessions"])
    q["training_subsidy_per"] = ratio(q["training_subsidy"], q["trained"])
    q["living_subsidy_per"] = ratio(q["living_subsidy"], q["trained"])
    q["subsidy_per"] = ratio(total(q["training_subsidy"], q["living_subsidy"]), q["trained"])
    q["poor_share"] = ratio(q["intentions_poor"], q["intentions"])
    q["per_carrier"] = ratio(q["carrier_workers"], q["carriers"])
    q["placed"] = total(q["carrier_workers"], q["welfare_posts"])
    q["placed_share"] = ratio(q["placed"], q["registered_persons"])
    q["transport_per"] = ratio(q["transport_amount"], q["transport_recipients"])
    q["transport_share"] = ratio(q["transport_recipients"], q["registered_persons"])
    return q


#: Rows of the steps table: (stage, key, English, Chinese, is_derived).
_STEP_ROWS = [
    (1, "sessions", "Training sessions held", "举办技能培训期数", False),
    (1, "trained", "Training participants (person-times)", "技能培训人次", False),
    (1, "per_session", "Participants per session", "每期培训人次", True),
    (1, "training_subsidy", "Training subsidy paid", "技能培训补贴", False),
    (1, "training_subsidy_per", "Training subsidy per participant-time",
     "每人次技能培训补贴", True),
    (1, "living_subsidy", "Living-cost subsidy paid", "生活费补贴", False),
    (1, "living_subsidy_per", "Living-cost subsidy per participant-time",
     "每人次生活费补贴", True),
    (2, "intentions", "Job-intention matches at job fairs (everyone)", "达成就业意向（全部）",
     False),
    (2, "intentions_poor", "… of which members of poor households", "其中贫困户", False),
    (2, "poor_share", "Poor share of job-intention matches", "贫困户占就业意向比例", True),
    (3, "carriers", "Employment carriers built", "建成就业扶贫载体", False),
    (3, "carrier_workers", "Poor labourers employed by carriers", "载体吸纳贫困劳动力", False),
    (3, "per_carrier", "Poor labourers per carrier", "每个载体吸纳贫困劳动力", True),
    (3, "welfare_posts", "Poor people in public-welfare posts", "扶贫公益岗位安排就业", False),
    (3, "placed", "Placed in carriers or welfare posts (sum; overlap unknown)",
     "载体与公益岗位合计（可能重复）", True),
    (3, "placed_share", "… as share of registered poor persons", "占贫困人口比例", True),
    (4, "transport_recipients", "Transport-subsidy recipients", "一次性交通补助人数", False),
    (4, "transport_amount", "Transport subsidies paid", "一次性交通补助金额", False),
    (4, "transport_per", "Transport subsidy per recipient", "人均交通补助", True),
    (4, "transport_share", "Recipients as share of registered poor persons",
     "受助人数占贫困人口比例", True),
]


def _quantity_row(q: Quantity) -> dict:
    return {"value_base": q.value, "base_unit": q.unit, "qualifier": q.qualifier,
            "claim_ids": q.ids}


def employment_steps(claims: pd.DataFrame) -> pd.DataFrame:
    """The employment pipeline as a table: one row per stated or derived figure.

    Columns: ``stage``, ``stage_en``, ``stage_zh``, ``key``, ``measure_en``,
    ``measure_zh``, ``period_en``, ``period_zh`` (stated rows; empty where the
    article prints none), ``is_derived``, ``value_base``, ``base_unit``,
    ``qualifier``, ``claim_ids``.
    """
    q = employment_quantities(claims)
    rows = []
    for stage, key, en, zh, derived in _STEP_ROWS:
        period = ("", "") if derived else claim_period(claims, EMPLOYMENT_IDS[key])
        rows.append({"stage": stage, "stage_en": STAGES[stage][0], "stage_zh": STAGES[stage][1],
                     "key": key, "measure_en": en, "measure_zh": zh,
                     "period_en": period[0], "period_zh": period[1], "is_derived": derived,
                     **_quantity_row(q[key])})
    return pd.DataFrame(rows)


def _row_quantity(row) -> Quantity:
    return Quantity(float(row["value_base"]), row["base_unit"], row["qualifier"],
                    tuple(str(row["claim_ids"]).split(";")))


def display_steps(steps: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> pd.DataFrame:
    """The steps table formatted for reading (strings, headers in ``lang``)."""
    _check_lang(lang)
    out = pd.DataFrame({
        _t(("Stage", "环节"), lang): [f"{s} {steps.loc[i, f'stage_{lang}']}"
                                     for i, s in steps["stage"].items()],
        _t(("Figure", "指标"), lang): steps[f"measure_{lang}"],
        _t(("Period", "时期"), lang): steps[f"period_{lang}"].replace("", "–"),
        _t(("Value", "数值"), lang): [fmt_quantity(_row_quantity(r), lang, money_unit)
                                     for _, r in steps.iterrows()],
        _t(("Computed?", "是否推算"), lang): steps["is_derived"].map(
            {True: _t(("computed", "推算"), lang), False: _t(("printed", "原文"), lang)}),
        "claim_ids": steps["claim_ids"],
    })
    return out


# --------------------------------------------------------------------------- industry

#: Claim ids of the industry paragraph.
INDUSTRY_IDS = {
    "funds": "industry.funds",
    "projects": "industry.projects",
    "per_capita": "industry.funds_per_person",
    "types": "industry.industry_types",
    "enterprises": "industry.leading_enterprises",
    "entities": "industry.business_entities",
    "households_reached": "industry.households_reached",
    "gain_per_household": "industry.income_gain_per_household",
    "camellia_households": "industry.camellia_households",
    "camellia_employed": "industry.camellia_employed_households",
    "registered_households": "poverty.registered_households",
}

#: Candidate bases of 人均 (per capita): head-count claims in persons.
PER_CAPITA_BASES = {
    "poverty.registered_persons": ("registered poor persons", "建档立卡贫困人口"),
    "poverty.lifted_persons": ("persons lifted out of poverty", "已脱贫人口"),
    "population.total": ("population as cited", "全市人口（导语所引）"),
}


def per_capita_check(claims: pd.DataFrame, funds_id: str = INDUSTRY_IDS["funds"],
                     per_capita_id: str = INDUSTRY_IDS["per_capita"],
                     bases: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """Recompute 人均得到财政资金投入 from its parts and test candidate bases.

    The first row is the head count the printed per-capita figure implies
    (funds ÷ per-capita), with the range the printed rounding (±0.5 元) allows;
    each following row divides the funds by a candidate base (a claim in
    persons; any other unit raises :class:`UnitMixError`).  Columns:
    ``base_en``, ``base_zh``, ``base_persons``, ``base_low_persons``,
    ``base_high_persons``, ``funds_per_person_yuan``, ``difference_yuan``
    (against the printed figure), ``base_vs_implied_pct``, ``is_within_rounding``,
    ``is_closest``, ``claim_ids``.
    """
    bases = PER_CAPITA_BASES if bases is None else bases
    funds = quantity(claims, funds_id)
    rate = quantity(claims, per_capita_id)
    implied, low, high = implied_count(funds, rate)
    rows = [{"base_en": "implied by the printed figure", "base_zh": "按原文人均推算",
             "base_persons": implied.value, "base_low_persons": low, "base_high_persons": high,
             "funds_per_person_yuan": rate.value, "difference_yuan": 0.0,
             "base_vs_implied_pct": 0.0, "is_within_rounding": True, "is_closest": False,
             "claim_ids": implied.ids}]
    for cid, (en, zh) in bases.items():
        base = quantity(claims, cid)
        compare(base, implied)  # raises UnitMixError unless the base is in persons
        per = ratio(funds, base)
        rows.append({"base_en": en, "base_zh": zh, "base_persons": base.value,
                     "base_low_persons": math.nan, "base_high_persons": math.nan,
                     "funds_per_person_yuan": per.value,
                     "difference_yuan": per.value - rate.value,
                     "base_vs_implied_pct": compare(base, implied)["relative_pct"],
                     "is_within_rounding": bool(low <= base.value <= high),
                     "is_closest": False, "claim_ids": f"{funds.ids};{rate.ids};{cid}"})
    out = pd.DataFrame(rows)
    candidates = out.index[1:]
    if len(candidates):
        best = out.loc[candidates, "base_vs_implied_pct"].abs().idxmin()
        out.loc[best, "is_closest"] = True
    return out


def display_per_capita(check: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The per-capita check formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    yes, no = _t(("yes", "是"), lang), _t(("no", "否"), lang)
    persons = unit_text("persons", lang)
    per = unit_text("yuan_per_person", lang)
    base_col = []
    for _, r in check.iterrows():
        text = f"{fmt_number(r['base_persons'], 0)}"
        if not math.isnan(r["base_low_persons"]):
            low, high = r["base_low_persons"], r["base_high_persons"]
            text += f" ({fmt_number(low, 1)}–{fmt_number(high, 1)})"
        base_col.append(text)
    return pd.DataFrame({
        _t(("Base", "基数"), lang): check[f"base_{lang}"],
        _t((f"Base ({persons})", f"基数（{persons}）"), lang): base_col,
        _t((f"Funds per person ({per})", f"人均资金（{per}）"), lang):
            check["funds_per_person_yuan"].map(lambda v: fmt_number(v, 1)),
        _t(("Base vs implied", "与推算基数相差"), lang):
            check["base_vs_implied_pct"].map(lambda v: f"{v:+.2f}%"),
        _t(("Within rounding?", "在舍入范围内？"), lang):
            check["is_within_rounding"].map({True: yes, False: no}),
        "claim_ids": check["claim_ids"],
    })


def industry_names(quote: str, strip_verbs: tuple[str, ...] = LIST_VERBS) -> list[str]:
    """The industries listed inside “…” before 等 in ``quote``, split on 、.

    A leading verb (发展, "develop", which governs the whole list) is removed
    from the first item.  Raises :class:`ValueError` when the quote holds no
    such list.

    >>> industry_names("以“发展甲、乙、丙”等三大产业为突破口")
    ['甲', '乙', '丙']
    """
    match = _LIST_RE.search(quote)
    if not match:
        raise ValueError("no quoted list “…、…” followed by 等 in the quote")
    items = [item.strip() for item in match["items"].split("、")]
    if items and items[0]:
        for verb in strip_verbs:
            if items[0].startswith(verb) and len(items[0]) > len(verb):
                items[0] = items[0][len(verb):]
                break
    return [item for item in items if item]


def industry_types(claims: pd.DataFrame, claim_id: str = INDUSTRY_IDS["types"]) -> pd.DataFrame:
    """The named industry types of the claim's quote: ``position``, ``name_zh``, ``name_en``,
    ``claim_ids`` (English from :data:`INDUSTRY_NAMES_EN`, else the Chinese name)."""
    quote = str(get_claim(claims, claim_id)["quote"])
    names = industry_names(quote)
    return pd.DataFrame({"position": range(1, len(names) + 1), "name_zh": names,
                         "name_en": [INDUSTRY_NAMES_EN.get(n, n) for n in names],
                         "claim_ids": claim_id})


def display_industry_types(types: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The named industry types for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        "#": types["position"].astype(str),
        _t(("Industry (as printed)", "产业（原文）"), lang): types["name_zh"],
        _t(("In English", "英文"), lang): types["name_en"],
        "claim_ids": types["claim_ids"],
    })


def industry_type_counts(claims: pd.DataFrame,
                         claim_id: str = INDUSTRY_IDS["types"]) -> dict[str, int]:
    """Stated number of industry types and how many the list names."""
    return {"stated": round(quantity(claims, claim_id).value),
            "named": len(industry_types(claims, claim_id))}


#: Named industries: key, English, Chinese, scale claim, reach claims.
INDUSTRIES = (
    ("camellia", "Oil-tea camellia", "油茶", "industry.camellia_area",
     ("industry.camellia_households",)),
    ("tobacco", "Flue-cured tobacco", "烤烟", "industry.tobacco_area",
     ("industry.tobacco_employed_persons", "industry.tobacco_villages")),
    ("tea", "Tea", "茶叶", "industry.tea_area",
     ("industry.tea_employed_persons", "industry.tea_income_households")),
    ("poultry", "Chickens (per year)", "养鸡（年）", "industry.poultry_birds",
     ("industry.poultry_households",)),
)

_REACH_TEXT = {
    "industry.camellia_households": ("poor households engaged", "带动贫困户"),
    "industry.tobacco_employed_persons": ("poor persons employed", "带动贫困户就业人数"),
    "industry.tobacco_villages": ("villages with collective income", "发展集体经济的村"),
    "industry.tea_employed_persons": ("poor persons employed", "带动贫困户就业人数"),
    "industry.tea_income_households": ("households with higher income", "增收户"),
    "industry.poultry_households": ("poor households raising chickens", "养鸡贫困户"),
}


def industry_scale(claims: pd.DataFrame, industries=INDUSTRIES) -> pd.DataFrame:
    """Each named industry's scale per household, person or village it reached.

    Persons and households stay apart (each reach figure is its own row); a
    reach printed with 余/多 ("at least") gives an "at most" ratio.  Columns:
    ``industry``, ``industry_en``, ``industry_zh``, ``reach_en``, ``reach_zh``,
    ``scale_value``, ``scale_unit``, ``reach_value``, ``reach_unit``,
    ``reach_qualifier``, ``per_unit_value``, ``per_unit_unit``,
    ``per_unit_qualifier``, ``claim_ids``.
    """
    rows = []
    for key, en, zh, scale_id, reach_ids in industries:
        scale = quantity(claims, scale_id)
        for reach_id in reach_ids:
            reach = quantity(claims, reach_id)
            per = ratio(scale, reach)
            text = _REACH_TEXT.get(reach_id, (reach_id, reach_id))
            rows.append({"industry": key, "industry_en": en, "industry_zh": zh,
                         "reach_en": text[0], "reach_zh": text[1],
                         "scale_value": scale.value, "scale_unit": scale.unit,
                         "reach_value": reach.value, "reach_unit": reach.unit,
                         "reach_qualifier": reach.qualifier,
                         "per_unit_value": per.value, "per_unit_unit": per.unit,
                         "per_unit_qualifier": per.qualifier, "claim_ids": per.ids})
    return pd.DataFrame(rows)


def display_industry_scale(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The industry-scale table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)

    def fmt(value, unit, qualifier):
        return fmt_quantity(Quantity(float(value), unit, qualifier), lang)

    return pd.DataFrame({
        _t(("Industry", "产业"), lang): table[f"industry_{lang}"],
        _t(("Scale", "规模"), lang): [fmt(v, u, "exact") for v, u in
                                      zip(table["scale_value"], table["scale_unit"], strict=True)],
        _t(("Reached", "带动对象"), lang): table[f"reach_{lang}"],
        _t(("Number reached", "带动数量"), lang): [
            fmt(v, u, q) for v, u, q in zip(table["reach_value"], table["reach_unit"],
                                            table["reach_qualifier"], strict=True)],
        _t(("Scale per unit reached", "单位规模"), lang): [
            fmt(v, u, q) for v, u, q in zip(table["per_unit_value"], table["per_unit_unit"],
                                            table["per_unit_qualifier"], strict=True)],
        "claim_ids": table["claim_ids"],
    })


def industry_quantities(claims: pd.DataFrame) -> dict[str, Quantity]:
    """Stated and derived quantities of the industry paragraph, by key."""
    q = {key: quantity(claims, cid) for key, cid in INDUSTRY_IDS.items() if key != "types"}
    q["funds_per_project"] = ratio(q["funds"], q["projects"])
    q["organisations"] = total(as_organisations(q["enterprises"]),
                               as_organisations(q["entities"]))
    q["households_per_organisation"] = ratio(q["households_reached"], q["organisations"])
    q["reached_share"] = ratio(q["households_reached"], q["registered_households"])
    q["camellia_employed_share"] = ratio(q["camellia_employed"], q["camellia_households"])
    q["implied_gain"] = product(q["gain_per_household"], q["households_reached"])
    q["funds_per_household"] = ratio(q["funds"], q["households_reached"])
    q["gain_to_funds"] = ratio(q["implied_gain"], q["funds"])
    years = ratio(q["funds"], q["implied_gain"])
    q["years_to_match"] = Quantity(years.value, "years", years.qualifier, years.claim_ids)
    return q


_SUMMARY_ROWS = [
    ("money", "funds", "Industry funds invested", "产业扶贫资金"),
    ("money", "projects", "Industry projects", "产业扶贫项目"),
    ("money", "funds_per_project", "Funds per project", "每个项目资金"),
    ("money", "funds_per_household", "Funds per household reached", "每户带动贫困户对应资金"),
    ("links", "enterprises", "Leading enterprises linked to poor households", "龙头企业"),
    ("links", "entities", "New-type business entities linked", "新型经营主体"),
    ("links", "organisations", "Linked organisations (sum)", "利益联结主体合计"),
    ("links", "households_reached", "Poor households reached", "带动帮扶贫困户"),
    ("links", "households_per_organisation", "Households per linked organisation",
     "每个联结主体带动户数"),
    ("links", "registered_households", "Registered poor households (lead)", "贫困户总户数（导语）"),
    ("links", "reached_share", "Households reached as share of registered",
     "带动户数占贫困户总数"),
    ("links", "camellia_employed_share", "Camellia: employed households of those engaged",
     "油茶劳动就业户占带动户"),
    ("income", "gain_per_household", "Average income gain per household", "户均增收"),
    ("income", "implied_gain", "Implied total gain (gain × households reached)",
     "推算增收总额（户均增收×户数）"),
    ("income", "gain_to_funds", "Implied total gain ÷ industry funds", "增收总额÷产业资金"),
    ("income", "years_to_match", "Years of that gain to equal the funds (if annual)",
     "若为年增收，抵平资金所需年数"),
]


def claim_period(claims: pd.DataFrame, claim_id: str) -> tuple[str, str]:
    """A claim's period as (English, Chinese): ``2015-01 – 2020-06`` and the printed text.

    Empty strings when the article prints no period (the English one also when it
    prints no start or no end).
    """
    period = fmt.claim_period(claims, claim_id)
    start, end = period["period_start"], period["period_end"]
    if not (start and end):
        return ("", period["period_text"])
    return (f"{start[:7]} – {end[:7]}", period["period_text"])


def period_label(summary: pd.DataFrame, key: str, lang: str) -> str:
    """The period of a summary row (``period_en``/``period_zh`` columns) in ``lang``."""
    return str(summary.set_index("key").loc[key, f"period_{_check_lang(lang)}"])


def industry_summary(claims: pd.DataFrame) -> pd.DataFrame:
    """Funds, linkage and income figures of the industry paragraph, stated and derived.

    Columns: ``topic``, ``key``, ``measure_en``, ``measure_zh``, ``period_en``,
    ``period_zh`` (of stated figures, as printed), ``is_derived``, ``value_base``,
    ``base_unit``, ``qualifier``, ``claim_ids``.
    """
    q = industry_quantities(claims)
    rows = []
    for topic, key, en, zh in _SUMMARY_ROWS:
        stated = key in INDUSTRY_IDS
        period = claim_period(claims, INDUSTRY_IDS[key]) if stated else ("", "")
        rows.append({"topic": topic, "key": key, "measure_en": en, "measure_zh": zh,
                     "period_en": period[0], "period_zh": period[1],
                     "is_derived": not stated, **_quantity_row(q[key])})
    return pd.DataFrame(rows)


def display_summary(summary: pd.DataFrame, lang: str = "en",
                    money_unit: str = "wan") -> pd.DataFrame:
    """The industry summary formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Figure", "指标"), lang): summary[f"measure_{lang}"],
        _t(("Period", "时期"), lang): summary[f"period_{lang}"].replace("", "–"),
        _t(("Value", "数值"), lang): [fmt_quantity(_row_quantity(r), lang, money_unit)
                                     for _, r in summary.iterrows()],
        _t(("Computed?", "是否推算"), lang): summary["is_derived"].map(
            {True: _t(("computed", "推算"), lang), False: _t(("printed", "原文"), lang)}),
        "claim_ids": summary["claim_ids"],
    })


# --------------------------------------------------------------------------- figures


def _palette(n: int) -> list[str]:
    from .plotting import chapter_palette

    return chapter_palette(CHAPTER, n)


def _thousands(ax) -> None:
    """Thousands separators on the x axis (1,000 rather than 1000)."""
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def _thousands_or_decimals(ax, largest: float) -> None:
    """Thousands separators for large money axes; default ticks for small ones (0.05)."""
    if largest >= 1_000:
        _thousands(ax)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


#: Head-count rows of the pipeline figure, in reading order, with short labels.
_PIPELINE_BARS = [
    ("trained", "training", "技能培训"),
    ("intentions", "job intentions, all", "就业意向（全部）"),
    ("intentions_poor", "job intentions, poor", "就业意向（贫困户）"),
    ("carrier_workers", "carrier jobs", "载体吸纳就业"),
    ("welfare_posts", "welfare posts", "公益岗位就业"),
    ("transport_recipients", "transport subsidy", "一次性交通补助"),
]


def employment_pipeline_figure(steps: pd.DataFrame, lang: str = "en"):
    """Horizontal bars of the pipeline's head counts, person-times hatched, units labelled."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    _check_lang(lang)
    by_key = steps.set_index("key")
    light, _, dark = _palette(3)
    fig, ax = plt.subplots(figsize=(9.0, 5.2))
    labels, values = [], []
    for i, (key, en, zh) in enumerate(_PIPELINE_BARS):
        row = by_key.loc[key]
        stage = int(row["stage"])
        unit = row["base_unit"]
        is_all = key == "intentions"
        colour = light if unit == "person_times" or is_all else dark
        ax.barh(i, row["value_base"], color=colour, edgecolor=dark,
                hatch="//" if unit == "person_times" else None, linewidth=0.8)
        labels.append(f"{stage} {_t(STAGES[stage], lang)}{_colon(lang)}{_t((en, zh), lang)}")
        values.append(row["value_base"])
        sep = " " if lang == "en" else ""
        ax.text(row["value_base"], i, f"  {fmt_number(row['value_base'], 0)}{sep}"
                f"{unit_text(unit, lang)}", va="center", fontsize=10)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(values) * 1.35)
    ax.set_xlabel(_t(("persons, or person-times where hatched", "人数（斜线为人次）"), lang))
    q_share = _row_quantity(by_key.loc["poor_share"])
    placed = by_key.loc["placed", "value_base"]
    ax.set_title(_t((
        f"Training counted {fmt_number(by_key.loc['trained', 'value_base'], 0)} person-times; "
        f"only {100 * q_share.value:.1f}% of job-intention matches were poor people;\n"
        f"carriers and welfare posts employed {fmt_number(placed, 0)} poor people",
        f"技能培训{fmt_number(by_key.loc['trained', 'value_base'], 0)}人次；"
        f"就业意向中贫困户仅占{100 * q_share.value:.1f}%；\n"
        f"载体与公益岗位共安置贫困劳动力{fmt_number(placed, 0)}人"), lang),
        loc="left", fontsize=12)
    handles = [
        Patch(facecolor=light, edgecolor=dark, hatch="//",
              label=_t(("person-times (人次): attendances, not people",
                        "人次：参加次数，非人数"), lang)),
        Patch(facecolor=dark, edgecolor=dark,
              label=_t(("persons (人) from poor households", "贫困户人数"), lang)),
        Patch(facecolor=light, edgecolor=dark,
              label=_t(("persons, all job seekers", "全部求职者人数"), lang)),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(-0.02, -0.14), ncol=3,
              fontsize=9, frameon=False)
    ax.grid(axis="y", visible=False)
    _thousands(ax)
    fig.tight_layout()
    return fig


def subsidy_figure(steps: pd.DataFrame, lang: str = "en", money_unit: str = "wan"):
    """Subsidy totals (in ``money_unit``) and the same per person-time or recipient (yuan)."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    by_key = steps.set_index("key")
    pairs = [
        ("training_subsidy", "training_subsidy_per", ("Training subsidy", "技能培训补贴")),
        ("living_subsidy", "living_subsidy_per", ("Living-cost subsidy", "生活费补贴")),
        ("transport_amount", "transport_per", ("Transport subsidy", "一次性交通补助")),
    ]
    colours = _palette(len(pairs))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, 4.2))
    names = [_t(text, lang) for _, _, text in pairs]
    totals = [units.to_money_unit(by_key.loc[a, "value_base"], money_unit) for a, _, _ in pairs]
    per = [by_key.loc[b, "value_base"] for _, b, _ in pairs]
    per_units = [by_key.loc[b, "base_unit"] for _, b, _ in pairs]
    left.barh(names, totals, color=colours)
    for i, (key, _, _) in enumerate(pairs):
        yuan = by_key.loc[key, "value_base"]
        left.text(totals[i], i, "  " + money_number(yuan, money_unit), va="center", fontsize=10)
    left.set_xlim(0, max(totals) * 1.3)
    left.set_xlabel(units.money_label(money_unit, lang))
    _thousands_or_decimals(left, max(totals))
    _thousands(right)
    left.set_title(_t(("Total paid", "发放总额"), lang), loc="left", fontsize=11)
    right.barh(names, per, color=colours)
    for i, (v, u) in enumerate(zip(per, per_units, strict=True)):
        sep = " " if lang == "en" else ""
        right.text(v, i, f"  {v:,.1f}{sep}{unit_text(u, lang)}", va="center", fontsize=10)
    right.set_xlim(0, max(per) * 1.6)
    right.set_yticks(range(len(names)), [""] * len(names))
    right.set_xlabel(_t(("yuan per person-time (training) or per recipient (transport)",
                         "元/人次（培训）或元/人（交通补助）"), lang))
    right.set_title(_t(("Per participant-time or recipient", "每人次或每人"), lang),
                    loc="left", fontsize=11)
    for ax in (left, right):
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
    train = by_key.loc["training_subsidy_per", "value_base"] + by_key.loc[
        "living_subsidy_per", "value_base"]
    fig.suptitle(_t((
        f"Each training attendance carried {train:,.0f} yuan of subsidies; "
        f"each transport-aid recipient got {per[2]:,.0f} yuan",
        f"每人次培训补贴合计{train:,.0f}元；每名交通补助对象{per[2]:,.0f}元"), lang),
        x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return fig


def per_capita_figure(check: pd.DataFrame, lang: str = "en"):
    """Funds per person under each candidate base, against the printed 人均 figure."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    implied = check.iloc[0]
    cands = check.iloc[1:]
    light, dark = _palette(2)
    fig, ax = plt.subplots(figsize=(9.0, 3.8))
    labels = [f"{r[f'base_{lang}']}\n" + _t((
        f"({fmt_number(r['base_persons'], 0)} persons)",
        f"（{fmt_number(r['base_persons'], 0)}人）"), lang) for _, r in cands.iterrows()]
    colours = [dark if r["is_closest"] else light for _, r in cands.iterrows()]
    ax.barh(range(len(cands)), cands["funds_per_person_yuan"], color=colours)
    for i, v in enumerate(cands["funds_per_person_yuan"]):
        ax.text(v, i, f"  {v:,.1f}", va="center", fontsize=10)
    printed = implied["funds_per_person_yuan"]
    ax.axvline(printed, color="black", linestyle="--", linewidth=1)
    ax.text(printed, -0.6, _t((f"printed: {printed:,.0f} yuan per person ",
                               f"原文：人均{printed:,.0f}元 "), lang),
            va="center", ha="right", fontsize=9)
    ax.set_yticks(range(len(cands)), labels)
    ax.set_ylim(len(cands) - 0.5, -1.0)
    ax.set_xlim(0, cands["funds_per_person_yuan"].max() * 1.25)
    ax.set_xlabel(_t(("industry funds ÷ base (yuan per person)", "产业扶贫资金÷基数（元/人）"),
                     lang))
    best = cands[cands["is_closest"]].iloc[0]
    gap = implied["base_persons"] - best["base_persons"]
    more = gap >= 0
    ax.set_title(_t((
        f"{printed:,.0f} yuan per person implies {fmt_number(implied['base_persons'], 0)} "
        f"people, {abs(gap):,.0f} {'more' if more else 'fewer'} than the {best['base_en']} "
        f"({fmt_number(best['base_persons'], 0)})",
        f"人均{printed:,.0f}元意味着{fmt_number(implied['base_persons'], 0)}人，"
        f"比{best['base_zh']}（{fmt_number(best['base_persons'], 0)}人）"
        f"{'多' if more else '少'}{abs(gap):,.0f}人"), lang), loc="left", fontsize=12)
    ax.grid(axis="y", visible=False)
    _thousands(ax)
    fig.tight_layout()
    return fig


def industry_scale_figure(table: pd.DataFrame, lang: str = "en"):
    """Scale per unit reached, one panel per unit (mu per household, per person, ...)."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    order = list(dict.fromkeys(table["per_unit_unit"]))
    sizes = [int((table["per_unit_unit"] == u).sum()) for u in order]
    colours = dict(zip(dict.fromkeys(table["industry"]),
                       _palette(table["industry"].nunique()), strict=True))
    fig, axes = plt.subplots(len(order), 1, figsize=(9.0, 1.1 + 0.75 * sum(sizes) + 0.5 *
                                                      len(order)),
                             gridspec_kw={"height_ratios": sizes}, squeeze=False)
    for ax, unit in zip(axes[:, 0], order, strict=True):
        part = table[table["per_unit_unit"] == unit]
        labels = [f"{r[f'industry_{lang}']} ÷ {r[f'reach_{lang}']}" for _, r in part.iterrows()]
        ax.barh(range(len(part)), part["per_unit_value"],
                color=[colours[k] for k in part["industry"]], edgecolor="white")
        for i, (_, r) in enumerate(part.iterrows()):
            q = Quantity(r["per_unit_value"], unit, r["per_unit_qualifier"])
            ax.text(r["per_unit_value"], i, "  " + fmt_quantity(q, lang), va="center",
                    fontsize=10)
        ax.set_yticks(range(len(part)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, part["per_unit_value"].max() * 1.45)
        ax.set_xlabel(unit_text(unit, lang), fontsize=10)
        ax.grid(axis="y", visible=False)
    cam = table[table["industry"] == "camellia"]
    first = cam.iloc[0] if len(cam) else table.iloc[0]
    axes[0, 0].set_title(_t((
        "Industry totals spread over those reached: "
        f"{first['industry_en'].lower()} gives {fmt_number(first['per_unit_value'], 0)} "
        f"{unit_text(first['per_unit_unit'], 'en')}",
        f"产业总量按带动对象平均：{first['industry_zh']}"
        f"{fmt_number(first['per_unit_value'], 0)}{unit_text(first['per_unit_unit'], 'zh')}"),
        lang), loc="left", fontsize=12)
    fig.text(0.01, 0.0, _t(("≤: the article gives the number reached as 'more than' (余/多)",
                            "≤：带动数量原文为“余/多”"), lang), fontsize=9, ha="left",
             va="top")
    fig.tight_layout()
    return fig


def income_figure(summary: pd.DataFrame, lang: str = "en", money_unit: str = "wan"):
    """Industry funds against the implied total income gain, in ``money_unit``."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    by_key = summary.set_index("key")
    funds = by_key.loc["funds", "value_base"]
    gain = by_key.loc["implied_gain", "value_base"]
    per = by_key.loc["gain_per_household", "value_base"]
    hh = by_key.loc["households_reached", "value_base"]
    share = by_key.loc["gain_to_funds", "value_base"]
    years = by_key.loc["years_to_match", "value_base"]
    light, dark = _palette(2)
    fig, ax = plt.subplots(figsize=(9.0, 3.4))
    period = period_label(summary, "funds", lang)
    names = [_t(("Industry funds invested", "产业扶贫资金投入"), lang) + f"\n{period}",
             _t((f"Implied income gain:\n{per:,.1f} yuan × {hh:,.0f} households",
                 f"推算增收总额：\n{per:,.1f}元×{hh:,.0f}户"), lang)]
    vals = [units.to_money_unit(funds, money_unit), units.to_money_unit(gain, money_unit)]
    ax.barh(names, vals, color=[dark, light])
    for i, v in enumerate((funds, gain)):
        ax.text(vals[i], i, "  " + fmt_money(v, money_unit, lang), va="center", fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, max(vals) * 1.4)
    ax.set_xlabel(units.money_label(money_unit, lang))
    _thousands_or_decimals(ax, max(vals))
    ax.set_title(_t((
        f"The stated gain adds up to {100 * share:.1f}% of the industry funds; "
        f"if it is yearly,\nit takes {years:.1f} years of gains to equal the funds "
        "(the article does not say)",
        f"户均增收合计仅为产业资金的{100 * share:.1f}%；若为年增收，\n"
        f"需{years:.1f}年才与资金相当（原文未说明是否为年增收）"), lang), loc="left", fontsize=12)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- findings


def findings(claims: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> list[str]:
    """The notebook's findings as sentences, every number computed from the claims."""
    _check_lang(lang)
    e = employment_quantities(claims)
    i = industry_quantities(claims)
    check = per_capita_check(claims)
    implied = check.iloc[0]
    best = check[check["is_closest"]].iloc[0]
    counts = industry_type_counts(claims)
    scale = industry_scale(claims).set_index(["industry", "reach_unit"])
    cam = scale.loc[("camellia", "households")]
    poultry = scale.loc[("poultry", "households")]

    def n(v, d=0):
        return fmt_number(v, d)

    def money(v):
        return fmt_money(v, money_unit, lang)

    rounding = "within" if best["is_within_rounding"] else "outside"
    gap = abs(best["base_vs_implied_pct"])
    fewer = best["base_vs_implied_pct"] < 0
    tea = scale.loc[("tea", "households")]
    if lang == "en":
        return [
            f"Training is counted in person-times: {n(e['trained'].value)} person-times in "
            f"{n(e['sessions'].value)} sessions ({n(e['per_session'].value, 1)} per session), so "
            "the article does not say how many different people were trained, and no share of "
            "trainees who found work can be computed.",
            f"Subsidies came to {n(e['training_subsidy_per'].value, 1)} yuan of training subsidy "
            f"and {n(e['living_subsidy_per'].value, 1)} yuan of living subsidy per "
            f"participant-time; transport aid averaged {n(e['transport_per'].value, 1)} yuan "
            f"per recipient ({n(e['transport_recipients'].value)} persons, "
            f"{100 * e['transport_share'].value:.1f}% of the registered poor population).",
            f"Of {n(e['intentions'].value)} job-intention matches at the job fairs only "
            f"{n(e['intentions_poor'].value)} ({100 * e['poor_share'].value:.1f}%) involved "
            "members of poor households.",
            f"Employment carriers took on {n(e['per_carrier'].value, 1)} poor labourers each "
            f"({n(e['carrier_workers'].value)} in {n(e['carriers'].value)} carriers); with "
            f"{n(e['welfare_posts'].value)} in public-welfare posts, "
            f"{n(e['placed'].value)} poor people were placed, "
            f"{100 * e['placed_share'].value:.1f}% of the {n(e['registered_persons'].value)} "
            "registered poor (if nobody is counted twice).",
            f"Industry funds of {money(i['funds'].value)} over {n(i['projects'].value)} projects "
            f"average {money(i['funds_per_project'].value)} per project; divided by the printed "
            f"{n(i['per_capita'].value)} yuan per person they imply {n(implied['base_persons'])} "
            f"people; the closest base, the {best['base_en']} ({n(best['base_persons'])}), is "
            f"{gap:.2f}% {'smaller' if fewer else 'larger'}, {rounding} what the printed "
            f"rounding allows (the same funds over {n(best['base_persons'])} people give "
            f"{n(best['funds_per_person_yuan'], 1)} yuan).",
            f"The article speaks of {counts['stated']} major industry types but names "
            f"{counts['named']} before 等 (etc.).",
            f"Scale per household reached ranges from {n(cam['per_unit_value'], 1)} mu of "
            f"oil-tea camellia per engaged household to at most {n(tea['per_unit_value'], 1)} mu "
            f"of tea per household with higher income, and {n(poultry['per_unit_value'], 1)} "
            "chickens per poultry-raising household a year; the article does not say the areas "
            "are farmed by the households reached, so these are totals spread over households, "
            "not holdings.",
            f"{n(i['organisations'].value)} linked enterprises and business entities reached "
            f"{n(i['households_reached'].value)} households "
            f"({n(i['households_per_organisation'].value, 1)} per organisation), "
            f"{100 * i['reached_share'].value:.1f}% of the registered poor households.",
            f"The stated gain of {n(i['gain_per_household'].value, 1)} yuan per household over "
            f"{n(i['households_reached'].value)} households implies "
            f"{money(i['implied_gain'].value)}, {100 * i['gain_to_funds'].value:.1f}% of the "
            f"industry funds; if the gain is yearly (not stated), "
            f"{n(i['years_to_match'].value, 1)} years of it equal the funds.",
        ]
    return [
        f"技能培训以人次计：{n(e['sessions'].value)}期共{n(e['trained'].value)}人次"
        f"（每期{n(e['per_session'].value, 1)}人次），原文未给出受训的不同人数，"
        "因此无法计算受训者中实现就业的比例。",
        f"每人次技能培训补贴{n(e['training_subsidy_per'].value, 1)}元、生活费补贴"
        f"{n(e['living_subsidy_per'].value, 1)}元；一次性交通补助人均"
        f"{n(e['transport_per'].value, 1)}元（{n(e['transport_recipients'].value)}人，"
        f"占建档立卡贫困人口的{100 * e['transport_share'].value:.1f}%）。",
        f"招聘会达成就业意向{n(e['intentions'].value)}人，其中贫困户仅"
        f"{n(e['intentions_poor'].value)}人（{100 * e['poor_share'].value:.1f}%）。",
        f"就业扶贫载体平均每个吸纳贫困劳动力{n(e['per_carrier'].value, 1)}人"
        f"（{n(e['carriers'].value)}家载体共{n(e['carrier_workers'].value)}人）；"
        f"加上公益岗位{n(e['welfare_posts'].value)}人，共安置{n(e['placed'].value)}人，"
        f"占{n(e['registered_persons'].value)}名贫困人口的{100 * e['placed_share'].value:.1f}%"
        "（假设无重复计算）。",
        f"产业扶贫资金{money(i['funds'].value)}、项目{n(i['projects'].value)}个，"
        f"每个项目平均{money(i['funds_per_project'].value)}；除以原文人均"
        f"{n(i['per_capita'].value)}元，意味着{n(implied['base_persons'])}人；"
        f"最接近的基数{best['base_zh']}（{n(best['base_persons'])}人）比之"
        f"{'少' if fewer else '多'}{gap:.2f}%，{'在' if best['is_within_rounding'] else '超出'}"
        "原文舍入允许的范围"
        f"（同样资金除以{n(best['base_persons'])}人为{n(best['funds_per_person_yuan'], 1)}元）。",
        f"原文称“{cn2an.an2cn(counts['stated'])}大产业”，但“等”字之前只列出"
        f"{cn2an.an2cn(counts['named'])}个。",
        f"按带动户数平均，油茶林每户{n(cam['per_unit_value'], 1)}亩，茶叶基地每个增收户至多"
        f"{n(tea['per_unit_value'], 1)}亩，养鸡贫困户每户每年{n(poultry['per_unit_value'], 1)}羽；"
        "原文未说明这些面积由所带动的农户经营，因此这只是总量按户平均，并非每户所有。",
        f"{n(i['organisations'].value)}个龙头企业和新型经营主体带动贫困户"
        f"{n(i['households_reached'].value)}户（每个主体"
        f"{n(i['households_per_organisation'].value, 1)}户），"
        f"为贫困户总户数的{100 * i['reached_share'].value:.1f}%。",
        f"户均增收{n(i['gain_per_household'].value, 1)}元乘以"
        f"{n(i['households_reached'].value)}户，推算增收总额{money(i['implied_gain'].value)}，"
        f"为产业资金的{100 * i['gain_to_funds'].value:.1f}%；若为年增收（原文未说明），"
        f"需{n(i['years_to_match'].value, 1)}年才与资金相当。",
    ]
