"""Chapter 1 (补短强弱, "shoring up the weak spots"): six programme areas compared.

The chapter reports six areas in turn: infrastructure, basic medical security,
compulsory education, housing safety, drinking water and the social-security
safety net.  For each it prints money spent, sometimes the people, person-times
or households reached, coverage rates ("100%", 双百) and the period a figure
covers.  This module turns those claims into:

- a **programme table**: one row per money claim of the chapter, with what it
  reached, the cost per beneficiary, the period and whether the programme
  targets the registered poor only (:data:`PROGRAMMES`, where that decision is
  stored as data with the words of the article it rests on);
- **unit costs**: money ÷ each head count printed beside it, persons (人),
  person-times (人次) and households (户) strictly apart;
- **reach**: head counts ÷ the registered poor population of the *same* unit
  (persons ÷ persons, households ÷ households); person-times are refused;
- **coverage**: the printed rates, recomputed where their parts are printed
  (the 88% reimbursement rate from 3.82亿/4.33亿, with the range the printed
  rounding allows).

Arithmetic goes through :class:`~helpers.quantity.Quantity`, which carries the
base unit, the qualifier (余/多 → "at least") and the claim ids; mixing head-count
units raises :class:`~helpers.quantity.UnitMixError`.  Numbers, money and units are
displayed as :mod:`helpers.formatting` writes them.  Every number comes from the
claims table through claim ids; nothing is computed at import time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import formatting as fmt
from . import units
from .claims import get_claim
from .formatting import bound, claim_period, fmt_money, fmt_number, money_number
from .formatting import check_lang as _check_lang
from .formatting import pick as _t
from .quantity import DERIVED_QUALIFIERS as DERIVED_QUALIFIERS
from .quantity import HEADCOUNT_UNITS as HEADCOUNT_UNITS
from .quantity import (
    Quantity,
    UnitMixError,
    add,
    half_step,
    per_unit,
    quantity,
    share,
)

#: The article's chapter this module analyses (colour: ``plotting.CHAPTER_COLORS[1]``).
CHAPTER = 1

#: The six programme areas in the article's order: claims ``section`` -> (English, Chinese).
AREAS: dict[str, tuple[str, str]] = {
    "infrastructure": ("Infrastructure", "基础设施"),
    "health": ("Basic medical security", "基本医疗保障"),
    "education": ("Compulsory education", "义务教育保障"),
    "housing": ("Housing safety", "住房安全保障"),
    "water": ("Drinking water", "饮水安全保障"),
    "social_security": ("Social-security safety net", "社保兜底保障"),
}

#: The registered poor population in each head-count unit it is printed in (the lead).
REGISTERED_IDS: dict[str, str] = {
    "persons": "poverty.registered_persons",
    "households": "poverty.registered_households",
}

#: Claim ids of the health comparisons.
HEALTH_IDS = {
    "premium_amount": "health.premium_amount",
    "premium_person_times": "health.premium_person_times",
    "bills": "health.one_stop_medical_costs",
    "compensation": "health.one_stop_compensation",
    "rate": "health.reimbursement_rate",
    "pension_standard": "social_security.pension_premium_standard",
    "pension_amount": "social_security.pension_premium_amount",
}

#: Words that name the registered poor (建档立卡贫困户 and its short forms).
REGISTERED_POOR_WORDS = ("建档立卡", "贫困人口", "贫困户", "贫困对象", "贫困学生")

#: Targeting classes of a programme.
TARGETING = {
    "registered_poor": ("registered poor only", "仅建档立卡贫困人口"),
    "broader": ("broader population", "更广泛人群"),
}

#: The units this module names (plural English, singular English, Chinese, in
#: :data:`UNIT_TEXT`); rates are per head count, village or person-year only.
UNITS = fmt.UNITS.select(
    ("yuan", "persons", "person_times", "households", "person_years", "villages", "percent",
     "ratio"),
    denominators=("persons", "person_times", "households", "villages", "person_years"))
UNIT_TEXT = UNITS.texts

split_rate = UNITS.split_rate
unit_text = UNITS.unit_text


def fmt_quantity(q: Quantity, lang: str = "en", money_unit: str = "wan") -> str:
    """A quantity for display: money in ``money_unit``, shares in %, others with their unit.

    Rates below 10,000 (a cost per person) show one decimal.
    """
    return UNITS.fmt_quantity(q, lang, money_unit, rate_digits=1)


# --------------------------------------------------------------------------- sources


def chapter_prefixes() -> tuple[str, ...]:
    """Claim-id prefixes of the chapter's six areas (``infrastructure.``, ...)."""
    return tuple(f"{area}." for area in AREAS)


def source_passages(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Each distinct quote of the chapter's claims, in article order, with its claim ids."""
    return fmt.quote_passages(claims, chapter_prefixes(), lang)


def money_claim_ids(claims: pd.DataFrame, chapter: int = CHAPTER) -> list[str]:
    """Ids of the chapter's money claims (``base_unit == "yuan"``), in article order."""
    part = claims[(claims["chapter"].astype(int) == chapter) & (claims["base_unit"] == "yuan")]
    return part.sort_values(["quote_offset", "id"])["id"].tolist()


# --------------------------------------------------------------------------- programmes


@dataclass(frozen=True)
class Measure:
    """A head count a programme reached: summed claims of one unit, with its name.

    ``is_cost_base`` is false for a count that only part of the money paid for
    (the money is not divided by it in :func:`unit_costs`).
    """

    key: str
    en: str
    zh: str
    claim_ids: tuple[str, ...]
    is_cost_base: bool = True


@dataclass(frozen=True)
class Programme:
    """One money claim of the chapter and how to read it.

    ``measures`` are the head counts printed beside the money (first = primary);
    ``targeting`` is ``registered_poor`` or ``broader``; ``marker`` is the word
    of the claim's quote the decision rests on; ``short_en``/``short_zh`` name it
    in running text; ``is_spending`` is false for a sum that is not money paid
    out (medical bills settled).
    """

    key: str
    area: str
    amount_id: str
    en: str
    zh: str
    measures: tuple[Measure, ...]
    targeting: str
    marker: str
    reason_en: str
    reason_zh: str
    short_en: str
    short_zh: str
    is_spending: bool = True


#: Every money claim of chapter 1, with its head counts and its targeting decision.
#: The decision reads the wording of the claim's quote: a programme for 贫困人口, 贫困户,
#: 贫困对象 or 建档立卡 households is for the registered poor only; one whose quote names
#: a wider group (all villages, pupils, 群众, the population, 低保 or disabled people) is
#: broader.  Where a same-unit head count is printed, the reach table checks the decision
#: with numbers (a count above the whole registered population cannot be registered-only).
PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        "infrastructure", "infrastructure", "infrastructure.investment",
        "Infrastructure investment", "基础设施投资", (), "broader", "全市建制村",
        "The results are stated for every administrative village of the city (全市建制村) "
        "and all villages and communities (双百); no head count is printed.",
        "成效按全市建制村、全市行政村及社区表述，未给出受益人数。",
        "infrastructure", "基础设施"),
    Programme(
        "medical_premiums", "health", "health.premium_amount",
        "Medical-insurance premiums paid for poor people", "代缴贫困人口医保",
        (Measure("premium_person_times", "premiums paid (person-times)", "代缴人次",
                 ("health.premium_person_times",)),),
        "registered_poor", "贫困人口",
        "Paid for 贫困人口 (poor people); the sentence before names 建档立卡贫困户.",
        "为“贫困人口”代缴；前一句明确为建档立卡贫困户。",
        "medical premiums", "医保代缴"),
    Programme(
        "one_stop_compensation", "health", "health.one_stop_compensation",
        "One-stop settlement: compensation paid", "“一站式”结算补偿", (),
        "registered_poor", "贫困人口",
        "Settlement of 贫困人口's (poor people's) medical bills; no head count printed.",
        "为“贫困人口”结算医疗费用；未给出人数。",
        "one-stop compensation", "一站式结算补偿"),
    Programme(
        "one_stop_bills", "health", "health.one_stop_medical_costs",
        "One-stop settlement: medical bills settled", "“一站式”结算医疗费用", (),
        "registered_poor", "贫困人口",
        "Poor people's (贫困人口) bills; the total billed, not money spent by a programme.",
        "“贫困人口”的医疗费用总额，并非项目支出。",
        "one-stop bills", "一站式结算医疗费用", is_spending=False),
    Programme(
        "living_allowance", "education", "education.living_allowance_amount",
        "Living allowances for pupils of hardship families", "家庭经济困难生活补助",
        (Measure("allowance_person_times", "pupils (person-times)", "受益学生（人次）",
                 ("education.living_allowance_person_times",)),),
        "broader", "家庭经济困难",
        "For pupils of families in economic hardship (家庭经济困难), a wider group than "
        "registered poor households; the sentence names no 贫困 or 建档立卡.",
        "对象为“家庭经济困难”学生，范围大于建档立卡贫困户；该句未提“贫困”或“建档立卡”。",
        "living allowances", "生活补助"),
    Programme(
        "fee_waivers", "education", "education.fee_waiver_amount",
        "Textbook and fee waivers", "教材教辅杂费减免",
        (Measure("waiver_person_times", "pupils (person-times)", "受益学生（人次）",
                 ("education.fee_waiver_person_times",)),),
        "broader", "受益学生",
        "Benefits pupils (受益学生) in general: fee-free compulsory education applies to "
        "all pupils, and the sentence names no 贫困 or 建档立卡.",
        "受益对象为一般学生（义务教育免费惠及全体学生），该句未提“贫困”或“建档立卡”。",
        "fee waivers", "杂费减免"),
    Programme(
        "house_renovation", "housing", "housing.renovation_funds",
        "Renovation of dilapidated rural houses", "农村危房改造",
        (Measure("renovated_households", "houses renovated (households)", "完成改造（户）",
                 ("housing.renovation_households",)),
         Measure("renovation_persons", "people directly benefiting", "直接受益群众",
                 ("housing.renovation_beneficiaries",))),
        "broader", "受益群众",
        "Beneficiaries are 群众 (the public), and more people benefited directly than the "
        "whole registered poor population.",
        "受益对象为“群众”，直接受益人数超过全部建档立卡贫困人口。",
        "house renovation", "危房改造"),
    Programme(
        "relocation", "housing", "housing.relocation_funds",
        "Poverty-relief relocation", "易地扶贫搬迁",
        (Measure("relocated_persons", "people relocated", "搬迁人数",
                 ("housing.relocated_persons",)),
         Measure("relocated_households", "households relocated", "搬迁户数",
                 ("housing.relocated_households",))),
        "registered_poor", "贫困户",
        "For 贫困户 (poor households) without a house or in harsh living conditions.",
        "对象为无房或生活环境、居住条件恶劣的“贫困户”。",
        "relocation", "易地扶贫搬迁"),
    Programme(
        "water", "water", "water.investment",
        "Drinking-water schemes", "饮水安全工程",
        (Measure("water_reached_persons", "people newly covered or upgraded",
                 "新增与巩固提升饮水人口",
                 ("water.new_covered_persons", "water.upgraded_persons")),
         Measure("water_new_persons", "people newly covered", "新增饮水安全覆盖人口",
                 ("water.new_covered_persons",)),
         Measure("water_upgraded_persons", "people with upgraded supply", "巩固提升饮水人口",
                 ("water.upgraded_persons",), is_cost_base=False)),
        "broader", "覆盖人口",
        "Counts the population (人口) covered, many times the registered poor; the "
        "registered poor appear only as a group whose problem was solved.",
        "统计的是覆盖人口，数倍于建档立卡贫困人口；建档立卡贫困人口仅作为问题已解决的群体出现。",
        "drinking water", "饮水工程"),
    Programme(
        "pension_premiums", "social_security", "social_security.pension_premium_amount",
        "Pension-insurance premiums paid for poor people", "代缴社会养老保险", (),
        "registered_poor", "贫困对象",
        "Paid for 贫困对象 (poor people) at a fixed standard per person per year.",
        "按标准为“贫困对象”代缴。",
        "pension premiums", "养老保险代缴"),
    Programme(
        "assistance", "social_security", "social_security.assistance_amount",
        "Minimum-living, extreme-poverty and orphan allowances", "低保金、特困供养金、孤儿生活费",
        (), "broader", "农村低保金",
        "Minimum-living allowance (低保), extreme-poverty support and orphan allowances are "
        "entitlements of every eligible rural resident (全市), not tied to the poverty register.",
        "农村低保、特困供养、孤儿生活费面向全市所有符合条件的农村居民，不以建档立卡为条件。",
        "social assistance (低保 etc.)", "低保等社会救助"),
    Programme(
        "disability", "social_security", "social_security.disability_subsidies",
        "The two disability subsidies", "残疾人“两项补贴”", (), "broader", "残疾人",
        "Paid to eligible disabled people (残疾人) whether or not they are registered poor.",
        "发放对象为符合条件的残疾人，无论是否建档立卡。",
        "disability subsidies", "残疾人两项补贴"),
)


def programme_specs(programmes: tuple[Programme, ...] = PROGRAMMES) -> dict[str, Programme]:
    """The programme specifications by key."""
    return {p.key: p for p in programmes}


def measure_quantity(claims: pd.DataFrame, measure: Measure) -> Quantity:
    """The head count of a measure: its claims summed (one unit only, see :func:`add`)."""
    return add(*(quantity(claims, cid) for cid in measure.claim_ids))


def check_targeting(claims: pd.DataFrame,
                    programmes: tuple[Programme, ...] = PROGRAMMES) -> pd.DataFrame:
    """Each programme's targeting decision against the text of its claim.

    Columns: ``programme``, ``amount_id``, ``targeting``, ``marker``,
    ``is_marker_in_quote`` (the marker word is in the claim's quote),
    ``is_marker_registered_word`` (the marker is one of
    :data:`REGISTERED_POOR_WORDS`), ``is_consistent`` (registered-poor decisions
    rest on a registered-poor word, broader ones on another word), ``claim_ids``.
    """
    rows = []
    for p in programmes:
        if p.targeting not in TARGETING:
            raise ValueError(f"programme {p.key!r}: targeting must be one of "
                             f"{', '.join(TARGETING)}, got {p.targeting!r}")
        quote = str(get_claim(claims, p.amount_id)["quote"])
        is_registered_word = any(w in p.marker for w in REGISTERED_POOR_WORDS)
        rows.append({"programme": p.key, "amount_id": p.amount_id, "targeting": p.targeting,
                     "marker": p.marker, "is_marker_in_quote": p.marker in quote,
                     "is_marker_registered_word": is_registered_word,
                     "is_consistent": p.marker in quote
                     and is_registered_word == (p.targeting == "registered_poor"),
                     "claim_ids": p.amount_id})
    return pd.DataFrame(rows)


def unclassified_money_claims(claims: pd.DataFrame,
                              programmes: tuple[Programme, ...] = PROGRAMMES) -> list[str]:
    """Money claims of the chapter that no programme specification covers."""
    covered = {p.amount_id for p in programmes}
    return [cid for cid in money_claim_ids(claims) if cid not in covered]


def programme_table(claims: pd.DataFrame,
                    programmes: tuple[Programme, ...] = PROGRAMMES) -> pd.DataFrame:
    """One row per money claim: amount, primary head count, cost per head, period, targeting.

    Columns: ``area``, ``area_en``, ``area_zh``, ``programme``, ``programme_en``,
    ``programme_zh``, ``short_en``, ``short_zh``, ``is_spending``, ``amount_yuan``,
    ``amount_qualifier``,
    ``beneficiaries`` (primary head count; empty when none is printed),
    ``beneficiary_unit`` (persons, person_times or households),
    ``beneficiaries_qualifier``, ``cost_per_beneficiary_yuan`` (yuan per
    ``beneficiary_unit``), ``cost_unit``, ``cost_qualifier``, ``period_text``,
    ``period_start``, ``period_end``, ``targeting``, ``is_registered_poor_only``,
    ``targeting_marker``, ``targeting_reason_en``, ``targeting_reason_zh``,
    ``claim_ids``.  Raises :class:`ValueError` when a money claim of the chapter
    has no specification.
    """
    missing = unclassified_money_claims(claims, programmes)
    if missing:
        raise ValueError(f"money claims without a programme specification: {', '.join(missing)}")
    rows = []
    for p in programmes:
        amount = quantity(claims, p.amount_id)
        ids = amount.claim_ids
        row = {"area": p.area, "area_en": AREAS[p.area][0], "area_zh": AREAS[p.area][1],
               "programme": p.key, "programme_en": p.en, "programme_zh": p.zh,
               "short_en": p.short_en, "short_zh": p.short_zh, "is_spending": p.is_spending,
               "amount_yuan": amount.value, "amount_qualifier": amount.qualifier,
               "beneficiaries": math.nan, "beneficiary_unit": "", "beneficiaries_qualifier": "",
               "cost_per_beneficiary_yuan": math.nan, "cost_unit": "", "cost_qualifier": ""}
        if p.measures:
            count = measure_quantity(claims, p.measures[0])
            cost = per_unit(amount, count)
            ids = cost.claim_ids
            row.update(beneficiaries=count.value, beneficiary_unit=count.unit,
                       beneficiaries_qualifier=count.qualifier,
                       cost_per_beneficiary_yuan=cost.value, cost_unit=cost.unit,
                       cost_qualifier=cost.qualifier)
        period = claim_period(claims, p.amount_id)
        row.update(period_text=period["period_text"], period_start=period["period_start"],
                   period_end=period["period_end"], targeting=p.targeting,
                   is_registered_poor_only=p.targeting == "registered_poor",
                   targeting_marker=p.marker, targeting_reason_en=p.reason_en,
                   targeting_reason_zh=p.reason_zh, claim_ids=";".join(dict.fromkeys(ids)))
        rows.append(row)
    return pd.DataFrame(rows)


def _amount(row) -> Quantity:
    return Quantity(float(row["amount_yuan"]), "yuan", row["amount_qualifier"])


def _beneficiaries(row) -> Quantity | None:
    if not row["beneficiary_unit"]:
        return None
    return Quantity(float(row["beneficiaries"]), row["beneficiary_unit"],
                    row["beneficiaries_qualifier"])


def _cost(row) -> Quantity | None:
    if not row["cost_unit"]:
        return None
    return Quantity(float(row["cost_per_beneficiary_yuan"]), row["cost_unit"],
                    row["cost_qualifier"])


def _period_display(row, lang: str) -> str:
    start, end = row["period_start"][:7], row["period_end"][:7]
    text = row["period_text"] or _t(("not printed", "未注明"), lang)
    return f"{text} ({start or '…'} – {end or '…'})"


def display_programmes(table: pd.DataFrame, lang: str = "en",
                       money_unit: str = "wan") -> pd.DataFrame:
    """The programme table formatted for reading (strings; headers in ``lang``)."""
    _check_lang(lang)
    dash = "–"
    names = []
    for _, r in table.iterrows():
        name = r[f"programme_{lang}"]
        if not r["is_spending"]:
            name += _t((" (not spending)", "（非支出）"), lang)
        names.append(name)
    return pd.DataFrame({
        _t(("Area", "领域"), lang): table[f"area_{lang}"],
        _t(("Programme", "项目"), lang): names,
        _t(("Amount", "金额"), lang): [fmt_quantity(_amount(r), lang, money_unit)
                                      for _, r in table.iterrows()],
        _t(("Reached", "受益"), lang): [
            dash if (q := _beneficiaries(r)) is None else fmt_quantity(q, lang)
            for _, r in table.iterrows()],
        _t(("Cost per beneficiary", "单位成本"), lang): [
            dash if (q := _cost(r)) is None else fmt_quantity(q, lang)
            for _, r in table.iterrows()],
        _t(("Period (as printed)", "时期（原文）"), lang): [
            _period_display(r, lang) for _, r in table.iterrows()],
        _t(("Targets", "对象"), lang): table["targeting"].map(
            lambda k: _t(TARGETING[k], lang)),
        "claim_ids": table["claim_ids"],
    })


def targeting_table(claims: pd.DataFrame,
                    programmes: tuple[Programme, ...] = PROGRAMMES) -> pd.DataFrame:
    """Each programme's targeting decision with its textual and numerical evidence.

    Columns: ``programme``, ``programme_en``, ``programme_zh``, ``targeting``,
    ``is_registered_poor_only``, ``marker``, ``is_marker_in_quote``,
    ``is_consistent`` (see :func:`check_targeting`), ``max_share_of_registered_pct``
    (the largest same-unit share of the registered poor its head counts reach;
    empty when none is comparable) and its ``max_share_qualifier``,
    ``is_beyond_registered`` (some head count surely exceeds the whole register),
    ``reason_en``, ``reason_zh``, ``claim_ids``.
    """
    check = check_targeting(claims, programmes).set_index("programme")
    reach = reach_table(claims, programmes)
    comparable = reach[reach["is_comparable"]]
    rows = []
    for p in programmes:
        own = comparable[comparable["programme"] == p.key]
        ids = [p.amount_id, *(i for cids in own["claim_ids"] for i in cids.split(";"))]
        widest = own.loc[own["share_of_registered_pct"].idxmax()] if len(own) else None
        rows.append({"programme": p.key, "programme_en": p.en, "programme_zh": p.zh,
                     "targeting": p.targeting,
                     "is_registered_poor_only": p.targeting == "registered_poor",
                     "marker": p.marker,
                     "is_marker_in_quote": bool(check.loc[p.key, "is_marker_in_quote"]),
                     "is_consistent": bool(check.loc[p.key, "is_consistent"]),
                     "max_share_of_registered_pct":
                         math.nan if widest is None else widest["share_of_registered_pct"],
                     "max_share_qualifier": "" if widest is None else widest["share_qualifier"],
                     "is_beyond_registered": bool(own["is_beyond_registered"].any()),
                     "reason_en": p.reason_en, "reason_zh": p.reason_zh,
                     "claim_ids": ";".join(dict.fromkeys(ids))})
    return pd.DataFrame(rows)


def display_targeting(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Targeting decisions with the word they rest on, the numbers and the reason."""
    _check_lang(lang)
    yes, no = _t(("yes", "是"), lang), _t(("no", "否"), lang)
    return pd.DataFrame({
        _t(("Programme", "项目"), lang): table[f"programme_{lang}"],
        _t(("Targets", "对象"), lang): table["targeting"].map(lambda k: _t(TARGETING[k], lang)),
        _t(("Word in the quote", "原文用词"), lang): [
            m + ("" if found else _t((" (not found)", "（未找到）"), lang))
            for m, found in zip(table["marker"], table["is_marker_in_quote"], strict=True)],
        _t(("Largest share of the registered", "占建档立卡最大比例"), lang): [
            "–" if pd.isna(v) else f"{bound(q)}{v:,.1f}%" for v, q in
            zip(table["max_share_of_registered_pct"], table["max_share_qualifier"], strict=True)],
        _t(("Beyond the register?", "超出建档立卡？"), lang): [
            "–" if pd.isna(v) else (yes if b else no) for v, b in
            zip(table["max_share_of_registered_pct"], table["is_beyond_registered"],
                strict=True)],
        _t(("Reason", "依据"), lang): table[f"reason_{lang}"],
        "claim_ids": table["claim_ids"],
    })


# --------------------------------------------------------------------------- unit costs


def unit_costs(claims: pd.DataFrame,
               programmes: tuple[Programme, ...] = PROGRAMMES) -> pd.DataFrame:
    """Money ÷ every head count printed with it, one row per (programme, measure).

    Persons, person-times and households stay in separate rows and their costs
    carry separate units (``yuan_per_person``, ``yuan_per_person_time``,
    ``yuan_per_household``).  Columns: ``area``, ``programme``,
    ``programme_en``, ``programme_zh``, ``short_en``, ``short_zh``, ``measure``,
    ``measure_en``, ``measure_zh``, ``is_primary``, ``amount_yuan``, ``count``, ``count_unit``,
    ``count_qualifier``, ``cost_yuan`` (per ``count_unit``), ``cost_unit``,
    ``cost_qualifier``, ``targeting``, ``claim_ids``.
    """
    rows = []
    for p in programmes:
        amount = quantity(claims, p.amount_id)
        for i, m in enumerate(p.measures):
            if not m.is_cost_base:
                continue
            count = measure_quantity(claims, m)
            cost = per_unit(amount, count)
            rows.append({"area": p.area, "programme": p.key, "programme_en": p.en,
                         "programme_zh": p.zh, "short_en": p.short_en, "short_zh": p.short_zh,
                         "measure": m.key, "measure_en": m.en,
                         "measure_zh": m.zh, "is_primary": i == 0,
                         "amount_yuan": amount.value, "count": count.value,
                         "count_unit": count.unit, "count_qualifier": count.qualifier,
                         "cost_yuan": cost.value, "cost_unit": cost.unit,
                         "cost_qualifier": cost.qualifier, "targeting": p.targeting,
                         "claim_ids": cost.ids})
    return pd.DataFrame(rows)


def display_unit_costs(costs: pd.DataFrame, lang: str = "en",
                       money_unit: str = "wan") -> pd.DataFrame:
    """The unit-cost table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Programme", "项目"), lang): costs[f"programme_{lang}"],
        _t(("Amount", "金额"), lang): [fmt_money(v, money_unit, lang)
                                      for v in costs["amount_yuan"]],
        _t(("Divided by", "除以"), lang): costs[f"measure_{lang}"],
        _t(("Count", "数量"), lang): [
            fmt_quantity(Quantity(r["count"], r["count_unit"], r["count_qualifier"]), lang)
            for _, r in costs.iterrows()],
        _t(("Cost", "单位成本"), lang): [
            fmt_quantity(Quantity(r["cost_yuan"], r["cost_unit"], r["cost_qualifier"]), lang)
            for _, r in costs.iterrows()],
        "claim_ids": costs["claim_ids"],
    })


# --------------------------------------------------------------------------- reach


def registered(claims: pd.DataFrame, unit: str) -> Quantity:
    """The registered poor population in ``unit`` (persons or households).

    Raises :class:`UnitMixError` for person-times: the article counts the
    registered poor in persons and households only, and person-times are not
    people.
    """
    if unit not in REGISTERED_IDS:
        raise UnitMixError(
            f"the registered poor are counted in {' and '.join(REGISTERED_IDS)}, not {unit}: "
            "person-times (人次) cannot be compared with persons (人)")
    return quantity(claims, REGISTERED_IDS[unit])


_NOT_COMPARABLE = (
    "person-times count payments or semesters, not people; the number of different "
    "people is not printed",
    "人次为发放次数，非人数；原文未给出受益的不同人数")


def reach_table(claims: pd.DataFrame,
                programmes: tuple[Programme, ...] = PROGRAMMES) -> pd.DataFrame:
    """Each head count against the registered poor population of the same unit.

    Persons ÷ registered poor persons, households ÷ registered poor households;
    person-times are listed with ``is_comparable`` false and no share.  Columns:
    ``area``, ``programme``, ``programme_en``, ``programme_zh``, ``short_en``,
    ``short_zh``, ``measure``, ``measure_en``, ``measure_zh``, ``count``, ``count_unit``,
    ``count_qualifier``, ``registered_count``, ``share_of_registered_pct``,
    ``share_qualifier``, ``is_comparable``, ``is_beyond_registered`` (the count
    surely exceeds the whole registered population), ``targeting``,
    ``note_en``, ``note_zh``, ``claim_ids``.
    """
    rows = []
    for p in programmes:
        for m in p.measures:
            count = measure_quantity(claims, m)
            row = {"area": p.area, "programme": p.key, "programme_en": p.en,
                   "programme_zh": p.zh, "short_en": p.short_en, "short_zh": p.short_zh,
                   "measure": m.key, "measure_en": m.en,
                   "measure_zh": m.zh, "count": count.value, "count_unit": count.unit,
                   "count_qualifier": count.qualifier, "registered_count": math.nan,
                   "share_of_registered_pct": math.nan, "share_qualifier": "",
                   "is_comparable": False, "is_beyond_registered": False,
                   "targeting": p.targeting, "note_en": _NOT_COMPARABLE[0],
                   "note_zh": _NOT_COMPARABLE[1], "claim_ids": count.ids}
            try:
                base = registered(claims, count.unit)
            except UnitMixError:
                rows.append(row)
                continue
            s = share(count, base)
            row.update(registered_count=base.value, share_of_registered_pct=100 * s.value,
                       share_qualifier=s.qualifier, is_comparable=True,
                       is_beyond_registered=s.value > 1 and s.qualifier in ("exact", "at_least"),
                       note_en="", note_zh="", claim_ids=s.ids)
            rows.append(row)
    return pd.DataFrame(rows)


def display_reach(reach: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The reach table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    shares = []
    for _, r in reach.iterrows():
        if r["is_comparable"]:
            shares.append(f"{bound(r['share_qualifier'])}{r['share_of_registered_pct']:,.1f}%")
        else:
            shares.append(_t(("not comparable", "不可比"), lang))
    return pd.DataFrame({
        _t(("Programme", "项目"), lang): reach[f"programme_{lang}"],
        _t(("Head count", "受益数量"), lang): reach[f"measure_{lang}"],
        _t(("Count", "数量"), lang): [
            fmt_quantity(Quantity(r["count"], r["count_unit"], r["count_qualifier"]), lang)
            for _, r in reach.iterrows()],
        _t(("Registered poor (same unit)", "建档立卡贫困人口（同单位）"), lang): [
            fmt_quantity(Quantity(r["registered_count"], r["count_unit"]), lang)
            if r["is_comparable"] else "–" for _, r in reach.iterrows()],
        _t(("Share of registered", "占建档立卡比例"), lang): shares,
        _t(("Note", "说明"), lang): reach[f"note_{lang}"].replace("", "–"),
        "claim_ids": reach["claim_ids"],
    })


# --------------------------------------------------------------------------- coverage, health


def reimbursement_check(claims: pd.DataFrame, ids: dict[str, str] = HEALTH_IDS) -> dict:
    """The one-stop reimbursement rate recomputed as compensation ÷ bills.

    Returns ``printed_pct``, ``recomputed_pct``, ``low_pct``/``high_pct`` (the
    range the printed rounding of both amounts allows), ``printed_low_pct``/
    ``printed_high_pct`` (what the printed rate stands for), ``is_consistent``
    (the two ranges overlap), ``remainder_yuan`` (bills not compensated) and
    ``claim_ids``.
    """
    bills, comp = quantity(claims, ids["bills"]), quantity(claims, ids["compensation"])
    rate = quantity(claims, ids["rate"])
    if bills.unit != "yuan" or comp.unit != "yuan" or rate.unit != "percent":
        raise UnitMixError("the reimbursement check needs two amounts in yuan and a percent")
    hb, hc = half_step(claims, ids["bills"]), half_step(claims, ids["compensation"])
    hr = half_step(claims, ids["rate"])
    recomputed = share(comp, bills)
    low, high = 100 * (comp.value - hc) / (bills.value + hb), \
        100 * (comp.value + hc) / (bills.value - hb)
    p_low, p_high = rate.value - hr, rate.value + hr
    return {"printed_pct": rate.value, "recomputed_pct": 100 * recomputed.value,
            "low_pct": low, "high_pct": high, "printed_low_pct": p_low,
            "printed_high_pct": p_high, "is_consistent": low <= p_high and p_low <= high,
            "remainder_yuan": bills.value - comp.value,
            "claim_ids": ";".join((ids["compensation"], ids["bills"], ids["rate"]))}


def reimbursement_table(claims: pd.DataFrame, ids: dict[str, str] = HEALTH_IDS
                        ) -> pd.DataFrame:
    """:func:`reimbursement_check` as a one-row table (columns as its keys, ``is_consistent``)."""
    return pd.DataFrame([reimbursement_check(claims, ids)])


def display_reimbursement(table: pd.DataFrame, lang: str = "en",
                          money_unit: str = "wan") -> pd.DataFrame:
    """The reimbursement check formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    yes, no = _t(("yes", "是"), lang), _t(("no", "否"), lang)
    return pd.DataFrame({
        _t(("Printed rate", "原文比例"), lang): table["printed_pct"].map(
            lambda v: f"{v:g}%"),
        _t(("It stands for", "原文舍入范围"), lang): [
            f"{lo:g}% – {hi:g}%" for lo, hi in
            zip(table["printed_low_pct"], table["printed_high_pct"], strict=True)],
        _t(("Compensation ÷ bills", "补偿÷费用"), lang): table["recomputed_pct"].map(
            lambda v: f"{v:.2f}%"),
        _t(("Range from rounding of the amounts", "按金额舍入的范围"), lang): [
            f"{lo:.2f}% – {hi:.2f}%" for lo, hi in
            zip(table["low_pct"], table["high_pct"], strict=True)],
        _t(("Consistent?", "一致？"), lang): table["is_consistent"].map({True: yes, False: no}),
        _t(("Not compensated", "未补偿部分"), lang): [
            fmt_money(v, money_unit, lang) for v in table["remainder_yuan"]],
        "claim_ids": table["claim_ids"],
    })


def premium_comparison(claims: pd.DataFrame, ids: dict[str, str] = HEALTH_IDS) -> dict:
    """Medical premium paid per person-time next to the pension standard per person-year.

    The two are in different units (yuan per person-time, yuan per person per
    year); ``ratio`` compares them only on the reading that one person-time of
    resident medical insurance is one person's premium for one year (premiums
    are paid yearly).  Also returns the person-years the pension total buys at
    the printed standard (``pension_person_years``).
    """
    per_time = per_unit(quantity(claims, ids["premium_amount"]),
                        quantity(claims, ids["premium_person_times"]))
    standard = quantity(claims, ids["pension_standard"])
    pension = quantity(claims, ids["pension_amount"])
    if standard.unit != "yuan_per_person_year":
        raise UnitMixError(f"the pension standard must be yuan_per_person_year, "
                           f"got {standard.unit}")
    return {"medical_per_person_time_yuan": per_time.value,
            "pension_standard_yuan": standard.value,
            "ratio": per_time.value / standard.value,
            "pension_person_years": pension.value / standard.value,
            "claim_ids": ";".join((*per_time.claim_ids, standard.claim_ids[0],
                                   pension.claim_ids[0]))}


@dataclass(frozen=True)
class Coverage:
    """A printed coverage statement: claim, scope, whether it is about the registered poor,
    and the claims to recompute it from (numerator, denominator) where printed."""

    claim_id: str
    en: str
    zh: str
    scope_en: str
    scope_zh: str
    is_registered_poor_scope: bool
    parts: tuple[str, str] | None = None


#: Coverage statements of the chapter, in article order.
COVERAGE: tuple[Coverage, ...] = (
    Coverage("infrastructure.village_road_bus_coverage", "cement road and bus service",
             "通水泥路与客班车", "all administrative villages of the city", "全市建制村", False),
    Coverage("infrastructure.grid_renovated_villages", "rural power grid renovated",
             "完成农村电网改造", "provincially designated poor villages", "省定贫困村", True,
             ("infrastructure.grid_renovated_villages", "poverty.poor_villages_exited")),
    Coverage("infrastructure.fibre_coverage", "fibre network (双百)", "光网覆盖（双百）",
             "all villages and communities", "全市行政村及社区", False),
    Coverage("infrastructure.mobile_4g_coverage", "4G network (双百)", "4G网络覆盖（双百）",
             "all villages and communities", "全市行政村及社区", False),
    Coverage("health.reimbursement_rate", "one-stop reimbursement rate", "综合报销比例",
             "poor people's medical bills", "贫困人口医疗费用", True,
             ("health.one_stop_compensation", "health.one_stop_medical_costs")),
    Coverage("education.enrolment_rate", "school enrolment", "入学",
             "compulsory-age children of registered poor households",
             "义务教育阶段建档立卡贫困户家庭学生", True),
    Coverage("education.aid_coverage", "education aid at the standard", "落实教育资助",
             "poor students", "贫困学生", True),
)


def coverage_table(claims: pd.DataFrame, statements: tuple[Coverage, ...] = COVERAGE
                   ) -> pd.DataFrame:
    """The chapter's coverage statements, recomputed where numerator and denominator are printed.

    Columns: ``area``, ``statement_en``, ``statement_zh``, ``scope_en``,
    ``scope_zh``, ``is_registered_poor_scope``, ``printed_pct`` (empty for a
    count such as "all 34 villages"), ``recomputed_pct``, ``is_recomputable``,
    ``is_consistent`` (recomputation within the printed rounding; empty when
    not recomputable), ``claim_ids``.
    """
    rows = []
    for c in statements:
        q = quantity(claims, c.claim_id)
        row = {"area": str(get_claim(claims, c.claim_id)["section"]),
               "statement_en": c.en, "statement_zh": c.zh, "scope_en": c.scope_en,
               "scope_zh": c.scope_zh, "is_registered_poor_scope": c.is_registered_poor_scope,
               "printed_pct": q.value if q.unit == "percent" else math.nan,
               "recomputed_pct": math.nan, "is_recomputable": c.parts is not None,
               "is_consistent": pd.NA, "claim_ids": c.claim_id}
        if c.parts:
            num, den = (quantity(claims, cid) for cid in c.parts)
            s = share(num, den)
            row["recomputed_pct"] = 100 * s.value
            if c.claim_id == HEALTH_IDS["rate"]:
                row["is_consistent"] = reimbursement_check(claims)["is_consistent"]
            elif q.unit == "percent":
                row["is_consistent"] = abs(100 * s.value - q.value) <= half_step(claims,
                                                                                  c.claim_id)
            else:  # a count stated as "all": all of the base
                row["is_consistent"] = s.value == 1
            row["claim_ids"] = ";".join(dict.fromkeys((c.claim_id, *c.parts)))
        rows.append(row)
    out = pd.DataFrame(rows)
    out["is_consistent"] = out["is_consistent"].astype("boolean")
    return out


def display_coverage(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The coverage table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    yes, no = _t(("yes", "是"), lang), _t(("no", "否"), lang)

    def pct(v):
        return "–" if pd.isna(v) else f"{v:.1f}%"

    return pd.DataFrame({
        _t(("Area", "领域"), lang): table["area"].map(lambda a: _t(AREAS[a], lang)),
        _t(("Statement", "表述"), lang): table[f"statement_{lang}"],
        _t(("Of whom / what", "范围"), lang): table[f"scope_{lang}"],
        _t(("Registered poor only?", "仅限建档立卡？"), lang):
            table["is_registered_poor_scope"].map({True: yes, False: no}),
        _t(("Printed", "原文"), lang): table["printed_pct"].map(pct),
        _t(("Recomputed", "复算"), lang): table["recomputed_pct"].map(pct),
        _t(("Consistent?", "一致？"), lang): [
            "–" if pd.isna(v) else (yes if v else no) for v in table["is_consistent"]],
        "claim_ids": table["claim_ids"],
    })


# --------------------------------------------------------------------------- areas, totals


def area_view(claims: pd.DataFrame, area: str, lang: str = "en",
              money_unit: str = "wan") -> pd.DataFrame:
    """Every printed figure of one area, then the figures computed from them.

    Columns (headers in ``lang``): figure, value, period, printed or computed, claim_ids.
    """
    _check_lang(lang)
    if area not in AREAS:
        raise ValueError(f"area must be one of {', '.join(AREAS)}, got {area!r}")
    part = claims[claims["id"].str.startswith(f"{area}.")]
    position = [int(o) + str(q).find(str(v)) for o, q, v in
                zip(part["quote_offset"], part["quote"], part["value_printed"], strict=True)]
    part = part.assign(_position=position).sort_values(["_position", "id"], kind="stable")
    printed, computed = _t(("printed", "原文"), lang), _t(("computed", "推算"), lang)
    rows = []
    for _, r in part.iterrows():
        q = Quantity(float(r["value_base"]), str(r["base_unit"]), str(r["qualifier"]))
        value = (f"{q.value:g}%" if q.unit == "percent" else fmt_quantity(q, lang, money_unit))
        period = claim_period(claims, r["id"])
        rows.append((r[f"indicator_{lang}"], value,
                     period["period_text"] or period["period"] or "–", printed, r["id"]))
    for _, r in unit_costs(claims).query("area == @area").iterrows():
        q = Quantity(r["cost_yuan"], r["cost_unit"], r["cost_qualifier"])
        rows.append((f"{r[f'programme_{lang}']} ÷ {r[f'measure_{lang}']}",
                     fmt_quantity(q, lang), "–", computed, r["claim_ids"]))
    for _, r in reach_table(claims).query("area == @area and is_comparable").iterrows():
        rows.append((f"{r[f'measure_{lang}']} ÷ " + _t(
            (f"registered poor {unit_text(r['count_unit'])}",
             f"建档立卡贫困{'户数' if r['count_unit'] == 'households' else '人口'}"), lang),
            f"{bound(r['share_qualifier'])}{r['share_of_registered_pct']:,.1f}%", "–", computed,
            r["claim_ids"]))
    for _, r in coverage_table(claims).query("area == @area and is_recomputable").iterrows():
        rows.append((_t(("recomputed: ", "复算："), lang) + r[f"statement_{lang}"],
                     f"{r['recomputed_pct']:.2f}%", "–", computed, r["claim_ids"]))
    return pd.DataFrame(rows, columns=[_t(("Figure", "指标"), lang), _t(("Value", "数值"), lang),
                                       _t(("Period", "时期"), lang),
                                       _t(("Source", "来源"), lang), "claim_ids"])


def spending_totals(table: pd.DataFrame) -> dict:
    """Spending summed by targeting class and overall (rows with ``is_spending`` only).

    The totals mix periods and include "at least" amounts: ``periods`` lists the
    distinct printed periods, ``qualifier`` says whether a total is a lower
    bound.  Returns ``registered_poor_yuan``, ``broader_yuan``, ``total_yuan``,
    ``registered_share``, ``qualifier``, ``periods``, ``n_programmes``.
    """
    spend = table[table["is_spending"]]
    if spend.empty:
        raise ValueError("no spending rows")
    parts = {}
    for key in TARGETING:
        rows = spend[spend["targeting"] == key]
        parts[key] = add(*(Quantity(r["amount_yuan"], "yuan", r["amount_qualifier"])
                           for _, r in rows.iterrows())) if len(rows) else Quantity(0.0, "yuan")
    total = add(parts["registered_poor"], parts["broader"])
    periods = sorted({(r["period_text"] or "–") for _, r in spend.iterrows()})
    return {"registered_poor_yuan": parts["registered_poor"].value,
            "broader_yuan": parts["broader"].value, "total_yuan": total.value,
            "registered_share": parts["registered_poor"].value / total.value,
            "registered_qualifier": parts["registered_poor"].qualifier,
            "broader_qualifier": parts["broader"].qualifier,
            "qualifier": total.qualifier, "periods": periods, "n_programmes": len(spend)}


# --------------------------------------------------------------------------- figures


def _palette(n: int) -> list[str]:
    from .plotting import chapter_palette

    return chapter_palette(CHAPTER, n)


def _targeting_colours() -> dict[str, str]:
    light, _, dark = _palette(3)
    return {"registered_poor": dark, "broader": light}


def _targeting_handles(lang: str, edge: str):
    from matplotlib.patches import Patch

    colours = _targeting_colours()
    return [Patch(facecolor=colours[k], edgecolor=edge, label=_t(TARGETING[k], lang))
            for k in TARGETING]


def _thousands(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1 else f"{v:g}"))


def _decimal_year(iso: str) -> float:
    ts = pd.Timestamp(iso)
    return ts.year + (ts.day_of_year - 1) / (366 if ts.is_leap_year else 365)


def spending_figure(table: pd.DataFrame, lang: str = "en", money_unit: str = "wan"):
    """Money per programme (in ``money_unit``), grouped by area, with the period it covers.

    Left: bars coloured by targeting ("≥" for "at least" amounts); right: each
    figure's period (dotted where the article prints no start).  The medical
    bills settled (not spending) are left out and named in a note.
    """
    import matplotlib.pyplot as plt

    _check_lang(lang)
    spend = table[table["is_spending"]]
    colours = _targeting_colours()
    edge = _palette(3)[2]
    labels, bars, y = [], [], 0
    for area, names in AREAS.items():
        rows = spend[spend["area"] == area].sort_values("amount_yuan", ascending=False)
        if rows.empty:
            continue
        labels.append((y, _t(names, lang), True))
        y += 1
        for _, r in rows.iterrows():
            labels.append((y, r[f"programme_{lang}"], False))
            bars.append((y, r))
            y += 1
    fig, (ax, axp) = plt.subplots(1, 2, figsize=(11.0, 0.36 * y + 1.9), sharey=True,
                                  gridspec_kw={"width_ratios": [3, 1.3], "wspace": 0.04})
    largest = max(units.to_money_unit(r["amount_yuan"], money_unit) for _, r in bars)
    for yy, r in bars:
        v = units.to_money_unit(r["amount_yuan"], money_unit)
        ax.barh(yy, v, color=colours[r["targeting"]], edgecolor=edge, linewidth=0.6,
                hatch="//" if r["amount_qualifier"] == "at_least" else None)
        ax.text(v + largest * 0.01, yy, bound(r["amount_qualifier"])
                + money_number(r["amount_yuan"], money_unit), va="center", fontsize=9)
        end = _decimal_year(r["period_end"]) if r["period_end"] else None
        start = _decimal_year(r["period_start"]) if r["period_start"] else None
        if end is not None and start is not None:
            axp.plot([start, end], [yy, yy], color=edge, linewidth=4, solid_capstyle="butt")
        elif end is not None:
            axp.plot([2013.0, end], [yy, yy], color=edge, linewidth=1.5, linestyle=":")
            axp.plot([end], [yy], marker="|", color=edge, markersize=9)
    ax.set_yticks([t[0] for t in labels], ["" if t[2] else t[1] for t in labels])
    for yy, name, is_area in labels:
        if is_area:
            ax.text(largest * 0.005, yy + 0.1, name, ha="left", va="center", color=edge,
                    fontsize=11)
    ax.set_ylim(y - 0.4, -0.6)
    ax.set_xlim(0, largest * 1.22)
    ax.set_xlabel(units.money_label(money_unit, lang))
    if largest >= 1_000:
        _thousands(ax.xaxis)
    ax.grid(axis="y", visible=False)
    axp.set_xlim(2012.8, 2020.9)
    axp.set_xticks(range(2013, 2021, 2))
    axp.set_xlabel(_t(("period covered", "统计时期"), lang))
    axp.grid(axis="y", visible=False)
    axp.tick_params(axis="y", left=False)
    totals = spending_totals(table)
    bills = table[~table["is_spending"]]
    top = spend.sort_values("amount_yuan", ascending=False).iloc[0]
    top_en, top_zh = ((f"the largest item, {top['short_en']}, is open to a broader population",
                       f"最大的一项（{top['short_zh']}）面向更广泛人群")
                      if top["targeting"] == "broader" else
                      (f"the largest item, {top['short_en']}, is for the registered poor only",
                       f"最大的一项（{top['short_zh']}）仅面向建档立卡贫困人口"))
    ax.set_title(_t((
        f"Programmes for the registered poor only account for "
        f"{100 * totals['registered_share']:.0f}% of the "
        f"{bound(totals['qualifier'])}{fmt_money(totals['total_yuan'], money_unit, 'en')} "
        f"the chapter lists;\n{top_en} (the total mixes periods)",
        f"本章所列{bound(totals['qualifier'])}{fmt_money(totals['total_yuan'], money_unit, 'zh')}"
        f"中，仅面向建档立卡贫困人口的项目占{100 * totals['registered_share']:.0f}%；\n"
        f"{top_zh}（合计跨越不同时期）"), lang), loc="left", fontsize=12)
    handles = _targeting_handles(lang, edge)
    from matplotlib.patches import Patch

    handles.append(Patch(facecolor="white", edgecolor=edge, hatch="//",
                         label=_t(("at least (余)", "“余”：至少"), lang)))
    ax.legend(handles=handles, loc="lower right", fontsize=9, frameon=True)
    notes = [_t(("Right: solid = printed period; dotted = start not printed.",
                 "右图：实线为原文时期；虚线表示原文未注明起始时间。"), lang)]
    for _, r in bills.iterrows():
        notes.append(_t((
            f"Not shown: {r['programme_en'].lower()} "
            f"({fmt_money(r['amount_yuan'], money_unit, 'en')}), a sum of bills, not spending.",
            f"未列入：{r['programme_zh']}（{fmt_money(r['amount_yuan'], money_unit, 'zh')}），"
            "为医疗费用总额而非支出。"), lang))
    fig.text(0.01, 0.0, "\n".join(notes), fontsize=9, ha="left", va="top")
    return fig


_COST_UNITS = ("yuan_per_person_time", "yuan_per_person", "yuan_per_household")


def _bottom_legend(fig, lang: str, edge: str, note: str) -> None:
    """Targeting legend and a note under the figure."""
    fig.legend(handles=_targeting_handles(lang, edge), loc="upper right",
               bbox_to_anchor=(0.99, 0.0), ncol=2, fontsize=9, frameon=False)
    fig.text(0.01, -0.055, note, fontsize=9, ha="left", va="top")


def unit_cost_figure(costs: pd.DataFrame, lang: str = "en"):
    """Cost per beneficiary in yuan as dots on a log scale, one panel per beneficiary unit."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    order = [u for u in _COST_UNITS if (costs["cost_unit"] == u).any()]
    order += [u for u in dict.fromkeys(costs["cost_unit"]) if u not in order]
    sizes = [int((costs["cost_unit"] == u).sum()) for u in order]
    colours = _targeting_colours()
    edge = _palette(3)[2]
    fig, axes = plt.subplots(len(order), 1, figsize=(9.0, 1.3 + 0.42 * sum(sizes)
                                                     + 0.5 * len(order)),
                             sharex=True, gridspec_kw={"height_ratios": sizes}, squeeze=False)
    low, high = costs["cost_yuan"].min(), costs["cost_yuan"].max()
    for ax, unit in zip(axes[:, 0], order, strict=True):
        part = costs[costs["cost_unit"] == unit].sort_values("cost_yuan")
        labels = [f"{r[f'short_{lang}']} ÷ {r[f'measure_{lang}']}" for _, r in part.iterrows()]
        ax.scatter(part["cost_yuan"], range(len(part)), s=90, zorder=3,
                   color=[colours[t] for t in part["targeting"]], edgecolor=edge, linewidth=1)
        for i, (_, r) in enumerate(part.iterrows()):
            q = Quantity(r["cost_yuan"], unit, r["cost_qualifier"])
            ax.annotate(fmt_quantity(q, lang), (r["cost_yuan"], i), xytext=(9, 0),
                        textcoords="offset points", va="center", fontsize=9)
        ax.set_yticks(range(len(part)), labels)
        ax.set_ylim(len(part) - 0.4, -0.6)
        den = UNIT_TEXT[split_rate(unit)[1]]
        ax.set_title(_t((f"per {den[1]}", f"每{den[2]}"), lang), loc="left", fontsize=10,
                     color=edge)
        ax.set_xscale("log")
        ax.set_xlim(low / 2.5, high * 14)
        ax.grid(axis="y", visible=False)
    _thousands(axes[-1, 0].xaxis)
    axes[-1, 0].set_xlabel(_t(("yuan per person-time, person or household (log scale)",
                               "元/人次、元/人或元/户（对数坐标）"), lang))
    by = costs.set_index("measure")
    title = _t(("Cost per beneficiary, person-times, persons and households kept apart",
                "单位受益成本：人次、人、户分开计算"), lang)
    if {"relocated_persons", "water_reached_persons"} <= set(by.index):
        reloc, water = by.loc["relocated_persons"], by.loc["water_reached_persons"]
        times = reloc["cost_yuan"] / water["cost_yuan"]
        title = _t((
            f"Relocation cost {fmt_number(reloc['cost_yuan'], 0)} yuan per person, "
            f"{times:,.0f} times the {fmt_number(water['cost_yuan'], 0)} yuan per person\n"
            "of drinking water; amounts per person-time are not costs per person",
            f"易地扶贫搬迁每人{fmt_number(reloc['cost_yuan'], 0)}元，"
            f"是饮水工程每人{fmt_number(water['cost_yuan'], 0)}元的{times:,.0f}倍；\n"
            "每人次金额不是每人成本"), lang)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    _bottom_legend(fig, lang, edge, _t((
        "≤: the head count is printed as 'more than' (余), so the cost is at most this.",
        "≤：受益人数原文为“余”，单位成本至多为此值。"), lang))
    return fig


def reach_figure(reach: pd.DataFrame, lang: str = "en"):
    """Head counts as % of the registered poor of the same unit; person-times listed apart."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    comp = reach[reach["is_comparable"]]
    order = [u for u in ("households", "persons") if (comp["count_unit"] == u).any()]
    sizes = [int((comp["count_unit"] == u).sum()) for u in order]
    colours = _targeting_colours()
    edge = _palette(3)[2]
    fig, axes = plt.subplots(len(order), 1, figsize=(9.0, 1.4 + 0.42 * sum(sizes)
                                                     + 0.55 * len(order)),
                             sharex=True, gridspec_kw={"height_ratios": sizes}, squeeze=False)
    top = comp["share_of_registered_pct"].max()
    for ax, unit in zip(axes[:, 0], order, strict=True):
        part = comp[comp["count_unit"] == unit].sort_values("share_of_registered_pct")
        ax.barh(range(len(part)), part["share_of_registered_pct"], height=0.65,
                color=[colours[t] for t in part["targeting"]], edgecolor=edge, linewidth=0.6)
        for i, (_, r) in enumerate(part.iterrows()):
            q = Quantity(r["count"], unit, r["count_qualifier"])
            ax.text(max(r["share_of_registered_pct"], 100) + top * 0.015, i,
                    f"{bound(r['share_qualifier'])}{r['share_of_registered_pct']:,.1f}%"
                    + _t((f"  ({fmt_quantity(q, lang)})", f"（{fmt_quantity(q, lang)}）"), lang),
                    va="center", fontsize=9)
        ax.set_yticks(range(len(part)),
                      [f"{r[f'short_{lang}']}{_t((': ', '：'), lang)}{r[f'measure_{lang}']}"
                       for _, r in part.iterrows()])
        ax.set_ylim(len(part) - 0.5, -0.5)
        ax.axvline(100, color="black", linewidth=1, linestyle="--")
        base = part["registered_count"].iloc[0]
        ax.set_title(_t((f"÷ registered poor {unit} ({fmt_number(base, 0)})",
                         f"÷ 建档立卡贫困{'户数' if unit == 'households' else '人口'}"
                         f"（{fmt_number(base, 0)}{UNIT_TEXT[unit][2]}）"), lang),
                     loc="left", fontsize=10, color=edge)
        ax.set_xlim(0, top * 1.4)
        ax.grid(axis="y", visible=False)
    axes[-1, 0].set_xlabel(_t(("% of the registered poor in the same unit "
                               "(dashed line: 100% = all of them)",
                               "占同单位建档立卡贫困人口的百分比（虚线：100%即全部）"), lang))
    by = comp.set_index("measure")
    lead = by.loc["water_new_persons"] if "water_new_persons" in by.index else \
        comp.loc[comp["share_of_registered_pct"].idxmax()]
    title = _t((f"{lead['measure_en'].capitalize()} ({lead['short_en']}) were "
                f"{lead['share_of_registered_pct'] / 100:,.1f} times the registered poor "
                "population", f"{lead['measure_zh']}为建档立卡贫困人口的"
                f"{lead['share_of_registered_pct'] / 100:,.1f}倍"), lang)
    registered_only = comp[comp["targeting"] == "registered_poor"]
    if len(registered_only):
        hi = registered_only["share_of_registered_pct"].max()
        title += _t((f";\nprogrammes for the registered poor only reached at most {hi:.1f}% "
                     "of them", f"；\n仅面向建档立卡的项目至多覆盖其{hi:.1f}%"), lang)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    apart = reach[~reach["is_comparable"]]
    note = ""
    if len(apart):
        names = _join(dict.fromkeys(apart[f"short_{lang}"]), lang)
        note = _t((f"Not shown: {names}, counted in person-times,\nwhich cannot be compared "
                   "with persons.", f"未列入：{names}——以人次计，不能与人数比较。"), lang)
    _bottom_legend(fig, lang, edge, note)
    return fig


def health_figure(claims: pd.DataFrame, lang: str = "en", money_unit: str = "wan"):
    """Left: medical bills split into compensation and remainder (``money_unit``), with the
    recomputed and printed rates. Right: premium per person-time next to the pension standard."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    check = reimbursement_check(claims)
    prem = premium_comparison(claims)
    bills = quantity(claims, HEALTH_IDS["bills"])
    comp = quantity(claims, HEALTH_IDS["compensation"])
    light, mid, dark = _palette(3)
    fig, (ax, axr) = plt.subplots(1, 2, figsize=(11.0, 3.0),
                                  gridspec_kw={"width_ratios": [1.6, 1], "wspace": 0.45})
    c = units.to_money_unit(comp.value, money_unit)
    rest = units.to_money_unit(check["remainder_yuan"], money_unit)
    ax.barh([0], [c], color=dark, height=0.5)
    ax.barh([0], [rest], left=[c], color=light, edgecolor=dark, linewidth=0.6, height=0.5)
    ax.set_ylim(-0.7, 0.7)
    ax.text(c / 2, 0, _t((f"compensated\n{money_number(comp.value, money_unit)}",
                          f"补偿\n{money_number(comp.value, money_unit)}"), lang),
            ha="center", va="center", color="white", fontsize=9)
    ax.text(c + rest + units.to_money_unit(bills.value, money_unit) * 0.02, 0,
            _t((f"not compensated\n{money_number(check['remainder_yuan'], money_unit)}",
                f"未补偿\n{money_number(check['remainder_yuan'], money_unit)}"), lang),
            ha="left", va="center", fontsize=9)
    ax.axvline(units.to_money_unit(bills.value * check["printed_pct"] / 100, money_unit),
               color="black", linestyle="--", linewidth=1)
    ax.set_yticks([0], [_t(("bills settled", "结算医疗费用"), lang)])
    ax.set_xlim(0, units.to_money_unit(bills.value, money_unit) * 1.35)
    ax.set_xlabel(units.money_label(money_unit, lang))
    if units.to_money_unit(bills.value, money_unit) >= 1_000:
        _thousands(ax.xaxis)
    ax.set_title(_t((f"One-stop settlement: recomputed {check['recomputed_pct']:.1f}% "
                     f"(dashed: printed {check['printed_pct']:g}%)",
                     f"一站式结算：复算{check['recomputed_pct']:.1f}%"
                     f"（虚线：原文{check['printed_pct']:g}%）"), lang), loc="left", fontsize=10)
    ax.grid(axis="y", visible=False)
    names = [_t(("medical premium\nper person-time", "医保代缴\n每人次"), lang),
             _t(("pension standard\nper person per year", "养老保险代缴标准\n每人每年"), lang)]
    vals = [prem["medical_per_person_time_yuan"], prem["pension_standard_yuan"]]
    axr.barh(names, vals, color=[dark, mid], height=0.6)
    for i, v in enumerate(vals):
        axr.text(v * 1.02, i, f"{v:,.1f}" + _t((" yuan", "元"), lang), va="center", fontsize=9)
    axr.set_xlim(0, max(vals) * 1.45)
    axr.invert_yaxis()
    axr.set_xlabel(_t(("yuan", "元"), lang))
    axr.set_title(_t(("Premiums paid for poor people", "为贫困人口代缴的保费"), lang),
                  loc="left", fontsize=10)
    axr.grid(axis="y", visible=False)
    fig.suptitle(_t((
        f"The one-stop settlement covered {check['recomputed_pct']:.1f}% of poor people's bills, "
        f"consistent with the printed {check['printed_pct']:g}%;\n"
        f"the medical premium per person-time was {prem['ratio']:.1f} times the pension "
        "standard (if a person-time is one person-year)",
        f"一站式结算补偿了贫困人口医疗费用的{check['recomputed_pct']:.1f}%，"
        f"与原文{check['printed_pct']:g}%一致；\n每人次医保代缴额为养老保险代缴标准的"
        f"{prem['ratio']:.1f}倍（若一人次即一人一年）"), lang), x=0.01, y=1.14, ha="left",
        fontsize=12)
    return fig


# --------------------------------------------------------------------------- findings


def _join(names, lang: str) -> str:
    """Names joined as running text: ``a, b and c`` or ``a、b和c``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    if lang == "en":
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "、".join(names[:-1]) + "和" + names[-1]


def period_summary(table: pd.DataFrame) -> dict:
    """Start years of the spending rows' periods and how many rows print no start."""
    spend = table[table["is_spending"]]
    starts = sorted({int(v[:4]) for v in spend["period_start"] if v})
    ends = sorted({v[:7] for v in spend["period_end"] if v})
    return {"start_years": starts, "n_no_start": int((spend["period_start"] == "").sum()),
            "ends": ends}


def findings(claims: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> list[str]:
    """The notebook's findings as sentences, every number computed from the claims."""
    _check_lang(lang)
    table = programme_table(claims)
    totals = spending_totals(table)
    periods = period_summary(table)
    costs = unit_costs(claims).set_index("measure")
    reach = reach_table(claims).set_index("measure")
    check = reimbursement_check(claims)
    prem = premium_comparison(claims)
    cover = coverage_table(claims)
    spend = table[table["is_spending"]].sort_values("amount_yuan", ascending=False)
    first, second = spend.iloc[0], spend.iloc[1]
    short = f"short_{lang}"

    def money(v, q="exact"):
        return bound(q) + fmt_money(v, money_unit, lang)

    def cost(key):
        r = costs.loc[key]
        return fmt_quantity(Quantity(r["cost_yuan"], r["cost_unit"], r["cost_qualifier"]), lang)

    def pct(key):
        r = reach.loc[key]
        return f"{bound(r['share_qualifier'])}{r['share_of_registered_pct']:,.1f}%"

    def times(key):
        return f"{reach.loc[key, 'share_of_registered_pct'] / 100:,.1f}"

    starts = _join([str(y) for y in periods["start_years"]], lang)
    person_time = [k for k in costs.index if costs.loc[k, "count_unit"] == "person_times"]
    only = spend[spend["is_registered_poor_only"]].sort_values("amount_yuan", ascending=False)
    beyond = list(dict.fromkeys(reach.loc[reach["is_beyond_registered"], short]))
    worded = spend[~spend["is_registered_poor_only"] & ~spend[short].isin(beyond)]
    hundred = cover[cover["printed_pct"] == 100]
    city = hundred[~hundred["is_registered_poor_scope"]]
    poor = hundred[hundred["is_registered_poor_scope"]]
    n_hundred_recomputable = int(hundred["is_recomputable"].sum())
    recomputable_en = ("none of them can be" if n_hundred_recomputable == 0 else
                       f"only {n_hundred_recomputable} of them can be")
    lower = spend[spend["amount_qualifier"] == "at_least"]
    if lang == "en":
        pt = "; ".join(f"{costs.loc[k, 'short_en']} {cost(k)}" for k in person_time)
        return [
            f"The chapter lists {money(totals['total_yuan'], totals['qualifier'])} in "
            f"{totals['n_programmes']} spending items; the largest are {first['short_en']} "
            f"({money(first['amount_yuan'], first['amount_qualifier'])}) and "
            f"{second['short_en']} ({money(second['amount_yuan'], second['amount_qualifier'])}). "
            f"The total adds figures whose periods start in {starts} "
            f"({periods['n_no_start']} print no start), and the {_join(lower['short_en'], 'en')} "
            f"amount{'s are lower bounds' if len(lower) > 1 else ' is a lower bound'}.",
            f"Programmes for the registered poor only ({_join(only['short_en'], 'en')}) account "
            f"for {money(totals['registered_poor_yuan'], totals['registered_qualifier'])}, "
            f"{100 * totals['registered_share']:.1f}% of that total; the rest goes to "
            "programmes open to a broader population.",
            f"Relocation cost {cost('relocated_households')} and {cost('relocated_persons')}, "
            f"against {cost('renovated_households')} and {cost('renovation_persons')} for "
            f"house renovation and {cost('water_reached_persons')} for drinking water "
            f"({cost('water_new_persons')} counting only people newly covered).",
            f"Amounts per person-time ({pt}) are not per-person costs: the article does not "
            "print how many different people they reached, and person-times cannot be set "
            "against the registered poor population.",
            f"Relocation reached {pct('relocated_households')} of registered poor households "
            f"and {pct('relocated_persons')} of registered poor persons; house renovation "
            f"reached {pct('renovated_households')} of the households but "
            f"{pct('renovation_persons')} of the persons, more people than the whole register.",
            f"New safe-water coverage reached {times('water_new_persons')} times as many people "
            f"as are registered poor ({times('water_reached_persons')} times with upgraded "
            f"supply); the numbers show that {_join(beyond, 'en')} reached beyond the "
            f"registered poor, and the wording shows it for {_join(worded['short_en'], 'en')}.",
            f"One-stop settlement compensated {check['recomputed_pct']:.2f}% of poor people's "
            f"bills (between {check['low_pct']:.2f}% and {check['high_pct']:.2f}% given the "
            f"rounding of the printed amounts), consistent with the printed "
            f"{check['printed_pct']:g}%; {money(check['remainder_yuan'])} remained "
            "uncompensated.",
            f"Medical premiums came to {prem['medical_per_person_time_yuan']:,.2f} yuan per "
            f"person-time, {prem['ratio']:.1f} times the pension standard of "
            f"{prem['pension_standard_yuan']:g} yuan per person per year if a person-time is "
            f"one person-year; the pension total buys {fmt_number(prem['pension_person_years'])} "
            "person-years at that standard.",
            f"Of the chapter's {len(hundred)} statements of 100%, {len(city)} describe the whole "
            f"city ({_join(city['statement_en'], 'en')}) and {len(poor)} the registered poor "
            f"({_join(poor['statement_en'], 'en')}); {recomputable_en} recomputed, since the "
            "article prints no counts behind them.",
        ]
    pt = "；".join(f"{costs.loc[k, 'short_zh']}{cost(k)}" for k in person_time)
    return [
        f"本章列出{totals['n_programmes']}项支出，合计"
        f"{money(totals['total_yuan'], totals['qualifier'])}；最大的两项是{first['short_zh']}"
        f"（{money(first['amount_yuan'], first['amount_qualifier'])}）和{second['short_zh']}"
        f"（{money(second['amount_yuan'], second['amount_qualifier'])}）。该合计加总了起始于"
        f"{starts}年的数字（{periods['n_no_start']}项未注明起始时间），且"
        f"{_join(lower['short_zh'], 'zh')}金额为下限。",
        f"仅面向建档立卡贫困人口的项目（{_join(only['short_zh'], 'zh')}）合计"
        f"{money(totals['registered_poor_yuan'], totals['registered_qualifier'])}，"
        f"占上述合计的{100 * totals['registered_share']:.1f}%；其余投向面向更广泛人群的项目。",
        f"易地扶贫搬迁{cost('relocated_households')}、{cost('relocated_persons')}；"
        f"危房改造{cost('renovated_households')}、{cost('renovation_persons')}；"
        f"饮水工程{cost('water_reached_persons')}（仅计新增覆盖人口为{cost('water_new_persons')}）。",
        f"按人次计算的金额（{pt}）不是每人成本：原文未给出受益的不同人数，"
        "人次也不能与建档立卡贫困人口相比。",
        f"易地扶贫搬迁覆盖建档立卡贫困户的{pct('relocated_households')}、贫困人口的"
        f"{pct('relocated_persons')}；危房改造户数为贫困户总数的{pct('renovated_households')}，"
        f"受益人数却为贫困人口的{pct('renovation_persons')}，超过全部建档立卡人口。",
        f"新增饮水安全覆盖人口为建档立卡贫困人口的{times('water_new_persons')}倍"
        f"（加上巩固提升人口为{times('water_reached_persons')}倍）；数字表明{_join(beyond, 'zh')}"
        f"的覆盖范围超出建档立卡贫困人口，{_join(worded['short_zh'], 'zh')}则从原文用词可见"
        "面向更广泛人群。",
        f"一站式结算补偿了贫困人口医疗费用的{check['recomputed_pct']:.2f}%"
        f"（按原文金额的舍入，介于{check['low_pct']:.2f}%与{check['high_pct']:.2f}%之间），"
        f"与原文{check['printed_pct']:g}%一致；未补偿部分为{money(check['remainder_yuan'])}。",
        f"医保代缴每人次{prem['medical_per_person_time_yuan']:,.2f}元，若一人次即一人一年，"
        f"为养老保险代缴标准（每人每年{prem['pension_standard_yuan']:g}元）的{prem['ratio']:.1f}倍；"
        f"养老保险代缴总额按此标准相当于{fmt_number(prem['pension_person_years'])}人·年。",
        f"本章{len(hundred)}处“100%”表述中，{len(city)}处针对全市"
        f"（{_join(city['statement_zh'], 'zh')}），{len(poor)}处针对建档立卡贫困人口"
        f"（{_join(poor['statement_zh'], 'zh')}）；因原文未给出背后的人数，"
        + ("均无法复算。" if n_hundred_recomputable == 0 else
           f"其中仅{n_hundred_recomputable}处可复算。"),
    ]
