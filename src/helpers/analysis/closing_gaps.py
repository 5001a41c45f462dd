"""Closing gaps: infrastructure, health, education, housing, water and the safety net.

Shared code of notebook 01.  The notebook does the arithmetic that defines its
results (cost per beneficiary, reach against the registered poor, the
reimbursement rate) in its own cells; this module holds what it would
otherwise repeat:

- which claims belong to the six areas (by codebook topic, the id's prefix, and
  by base unit: money in ``yuan``, head counts in persons, person-times or
  households), with names for the programmes the codebook defines;
- the **targeting rule**: a programme is for the registered poor only, for a
  broader population, or not stated, from the group its quote names nearest
  to the amount (:func:`classify_targeting`);
- tables and figures for display, bilingual, and findings sentences built from
  the notebook's computed frames.

Nothing here names a county: names come from the claims' metadata.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.data import units
from helpers.data.quantity import HEADCOUNT_UNITS, Quantity, add, quantity
from helpers.display import formatting as fmt
from helpers.display.formatting import bound, claim_period, fmt_money, fmt_number, money_number
from helpers.display.formatting import check_lang as _check_lang
from helpers.display.formatting import pick as _t

#: The article's chapter whose colours the figures use (``plotting.CHAPTER_COLORS``).
CHAPTER = 1

#: The six programme areas: codebook topic -> (English, Chinese).
AREAS: dict[str, tuple[str, str]] = {
    "infrastructure": ("Infrastructure", "基础设施"),
    "health": ("Basic medical security", "基本医疗保障"),
    "education": ("Compulsory education", "义务教育保障"),
    "housing": ("Housing safety", "住房安全保障"),
    "water": ("Drinking water", "饮水安全保障"),
    "social_security": ("Social-security safety net", "社保兜底保障"),
}

#: The registered poor population in each head-count unit it is counted in.
REGISTERED_IDS: dict[str, str] = {
    "persons": "poverty.registered_persons",
    "households": "poverty.registered_households",
}

#: The one-stop settlement: bills settled, compensation paid, printed reimbursement rate.
REIMBURSEMENT_IDS = {"bills": "health.one_stop_medical_costs",
                     "compensation": "health.one_stop_compensation",
                     "rate": "health.reimbursement_rate"}

#: Premiums paid for poor people: medical (amount, person-times) and pension (standard, total).
PREMIUM_IDS = {"premium_amount": "health.premium_amount",
               "premium_person_times": "health.premium_person_times",
               "pension_standard": "social_security.pension_premium_standard",
               "pension_amount": "social_security.pension_premium_amount"}

#: Money claims that are not money paid out by a programme (the bills settled).
NOT_SPENDING = frozenset({"health.one_stop_medical_costs"})

#: Singular of a head-count unit, as it stands in a cost unit (``yuan_per_person_time``).
SINGULAR = {"persons": "person", "person_times": "person_time", "households": "household"}

#: Names of the programmes the codebook defines, by money claim id:
#: (key, English, Chinese, short English, short Chinese).  Other money claims are
#: named by their indicator.
PROGRAMME_NAMES: dict[str, tuple[str, str, str, str, str]] = {
    "infrastructure.investment": ("infrastructure", "Infrastructure investment",
                                  "基础设施投资", "infrastructure", "基础设施"),
    "health.premium_amount": ("medical_premiums",
                              "Medical-insurance premiums paid for poor people",
                              "代缴贫困人口医保", "medical premiums", "医保代缴"),
    "health.one_stop_compensation": ("one_stop_compensation",
                                     "One-stop settlement: compensation paid",
                                     "“一站式”结算补偿", "one-stop compensation", "一站式结算补偿"),
    "health.one_stop_medical_costs": ("one_stop_bills",
                                      "One-stop settlement: medical bills settled",
                                      "“一站式”结算医疗费用", "one-stop bills",
                                      "一站式结算医疗费用"),
    "education.living_allowance_amount": ("living_allowance",
                                          "Living allowances for pupils of hardship families",
                                          "家庭经济困难生活补助", "living allowances", "生活补助"),
    "education.fee_waiver_amount": ("fee_waivers", "Textbook and fee waivers", "教材教辅杂费减免",
                                    "fee waivers", "杂费减免"),
    "housing.renovation_funds": ("house_renovation", "Renovation of dilapidated rural houses",
                                 "农村危房改造", "house renovation", "危房改造"),
    "housing.relocation_funds": ("relocation", "Poverty-relief relocation", "易地扶贫搬迁",
                                 "relocation", "易地扶贫搬迁"),
    "water.investment": ("water", "Drinking-water schemes", "饮水安全工程", "drinking water",
                         "饮水工程"),
    "social_security.pension_premium_amount": (
        "pension_premiums", "Pension-insurance premiums paid for poor people", "代缴社会养老保险",
        "pension premiums", "养老保险代缴"),
    "social_security.assistance_amount": (
        "assistance", "Minimum-living, extreme-poverty and orphan allowances",
        "低保金、特困供养金、孤儿生活费", "social assistance (低保 etc.)", "低保等社会救助"),
    "social_security.disability_subsidies": ("disability", "The two disability subsidies",
                                             "残疾人“两项补贴”", "disability subsidies",
                                             "残疾人两项补贴"),
}

#: Head counts the codebook pairs with a money claim (first = primary): key, English,
#: Chinese, the count ids summed (one unit), and whether the money is divided by it
#: (false for a count only part of the money paid for).  A money claim not listed here
#: is paired with the head counts of its topic printed in the same quote.
MEASURES: dict[str, tuple[tuple[str, str, str, tuple[str, ...], bool], ...]] = {
    "health.premium_amount": (
        ("premium_person_times", "premiums paid (person-times)", "代缴人次",
         ("health.premium_person_times",), True),),
    "education.living_allowance_amount": (
        ("allowance_person_times", "pupils (person-times)", "受益学生（人次）",
         ("education.living_allowance_person_times",), True),),
    "education.fee_waiver_amount": (
        ("waiver_person_times", "pupils (person-times)", "受益学生（人次）",
         ("education.fee_waiver_person_times",), True),),
    "housing.renovation_funds": (
        ("renovated_households", "houses renovated (households)", "完成改造（户）",
         ("housing.renovation_households",), True),
        ("renovation_persons", "people directly benefiting", "直接受益群众",
         ("housing.renovation_beneficiaries",), True)),
    "housing.relocation_funds": (
        ("relocated_persons", "people relocated", "搬迁人数", ("housing.relocated_persons",), True),
        ("relocated_households", "households relocated", "搬迁户数",
         ("housing.relocated_households",), True)),
    "water.investment": (
        ("water_reached_persons", "people newly covered or upgraded", "新增与巩固提升饮水人口",
         ("water.new_covered_persons", "water.upgraded_persons"), True),
        ("water_new_persons", "people newly covered", "新增饮水安全覆盖人口",
         ("water.new_covered_persons",), True),
        ("water_upgraded_persons", "people with upgraded supply", "巩固提升饮水人口",
         ("water.upgraded_persons",), False)),
}

# --------------------------------------------------------------------------- targeting

#: Words that name the registered poor (建档立卡 and the short forms of 贫困户/贫困人口).
REGISTERED_POOR_WORDS = ("建档立卡", "贫困人口", "贫困户", "贫困对象", "贫困学生", "贫困家庭",
                         "贫困群众", "贫困村民")
#: Words that name a group wider than the register: villages, the public, the population
#: covered, means-tested or categorical entitlements, pupils in general.
BROADER_WORDS = ("全市建制村", "全县建制村", "建制村", "行政村", "受益群众", "群众", "覆盖人口",
                 "农村低保金", "低保", "特困", "孤儿", "残疾人", "家庭经济困难", "受益学生",
                 "全体学生", "农村居民", "村民")

#: Targeting classes: key -> (English, Chinese).
TARGETING = {
    "registered_poor": ("registered poor only", "仅建档立卡贫困人口"),
    "broader": ("broader population", "更广泛人群"),
    "not_stated": ("not stated", "原文未说明"),
}

#: What a targeting decision rests on: key -> (English, Chinese).
TARGETING_BASIS = {
    "wording": ("the wording", "原文用词"),
    "numbers": ("the numbers (against the wording)", "数字（与用词相反）"),
    "wording and numbers": ("the wording and the numbers", "用词与数字"),
}

_WORDS = re.compile("|".join(sorted(map(re.escape, REGISTERED_POOR_WORDS + BROADER_WORDS),
                                    key=len, reverse=True)))
_CLAUSE_END = re.compile("[，。；！？,;]")


def classify_targeting(quote: str, value_printed: str = "") -> tuple[str, str]:
    """Whom a programme's quote says it is for: ``(targeting, marker word)``.

    The group words (:data:`REGISTERED_POOR_WORDS`, :data:`BROADER_WORDS`; the longest
    match wins, so 贫困群众 is the registered poor and not 群众) are looked up
    around the printed amount: the first in the amount's own clause, else the
    nearest before it, else the nearest after it.  The marker's class decides:
    ``registered_poor``, ``broader``, or ``not_stated`` when the quote names no
    group (marker ``""``).

    >>> classify_targeting("累计代缴1156.64万元给贫困对象", "1156.64万元")
    ('registered_poor', '贫困对象')
    >>> classify_targeting("完成总投资100万元，新增饮水安全覆盖人口250人", "100万元")
    ('broader', '覆盖人口')
    """
    quote = str(quote)
    pos = max(quote.find(str(value_printed)), 0) if value_printed else 0
    hits = [(m.start(), m.group()) for m in _WORDS.finditer(quote)]
    if not hits:
        return "not_stated", ""
    starts = [m.end() for m in _CLAUSE_END.finditer(quote[:pos])]
    clause_start = starts[-1] if starts else 0
    end = _CLAUSE_END.search(quote, pos)
    clause_end = end.start() if end else len(quote)
    in_clause = [h for h in hits if clause_start <= h[0] < clause_end]
    before = [h for h in hits if h[0] < pos]
    word = (in_clause[0] if in_clause else before[-1] if before else hits[0])[1]
    return ("registered_poor" if word in REGISTERED_POOR_WORDS else "broader"), word


def targeting_reason(targeting: str, marker: str, lang: str = "en") -> str:
    """The targeting decision in words: the group named and what it implies."""
    if targeting == "not_stated":
        return _t(("The quote names no group the money is for.", "原文未说明资金面向的人群。"),
                  lang)
    if targeting == "registered_poor":
        return _t((f"The group named nearest the amount is {marker}, the registered poor.",
                   f"距金额最近的对象用词为“{marker}”，即建档立卡贫困人口。"), lang)
    return _t((f"The group named nearest the amount is {marker}, wider than the registered "
               "poor.", f"距金额最近的对象用词为“{marker}”，范围大于建档立卡贫困人口。"), lang)


# --------------------------------------------------------------------------- the claims used


def topic(ids: pd.Series) -> pd.Series:
    """The codebook topic of each id (its prefix); ``x.`` extension ids get ``x``."""
    return ids.str.split(".").str[0]


def area_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims of the six areas (by id topic, not by the article's chapter), in article order."""
    part = claims[topic(claims["id"]).isin(AREAS)].copy()
    part["_offset"] = part["quote_offset"].astype(int)
    return part.sort_values(["_offset", "id"], kind="stable").drop(columns="_offset")


def areas_present(claims: pd.DataFrame) -> list[str]:
    """The areas, in :data:`AREAS` order, with at least one claim."""
    found = set(topic(claims["id"]))
    return [a for a in AREAS if a in found]


def source_passages(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Each distinct quote of the six areas' claims, in article order, with its claim ids."""
    return fmt.quote_passages(claims, tuple(f"{a}." for a in AREAS), lang)


def money_rows(claims: pd.DataFrame, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per money claim of the six areas: names, amount, period, targeting.

    The targeting is decided here, once, for every notebook (01's tables and 04's money
    totals): from the wording (:func:`classify_targeting`, column ``targeting_wording``)
    and from the numbers (:func:`numeric_evidence`): a programme whose head counts, or
    whose person-times turned into a least number of people (per semester, per year; the
    audit's ``per_semester`` and ``once_a_year`` checks), surely exceed the registered
    poor reaches beyond the register, whatever its wording (``targeting_basis``
    ``numbers``).  ``audit`` defaults to :func:`helpers.analysis.audit.run_audit`.

    Columns: ``area``, ``area_en``, ``area_zh``, ``programme``, ``programme_en``,
    ``programme_zh``, ``short_en``, ``short_zh``, ``is_spending``, ``amount_yuan``,
    ``amount_qualifier``, ``period_text``, ``period_start``, ``period_end``,
    ``targeting``, ``is_registered_poor_only``, ``targeting_marker``,
    ``targeting_reason_en``, ``targeting_reason_zh``, ``amount_id``, then
    ``targeting_wording``, ``targeting_basis`` (``wording``, ``numbers``, ``wording and
    numbers``), and the evidence columns of :func:`numeric_evidence`.
    """
    rows = wording_rows(claims)
    evidence = numeric_evidence(claims, rows, audit).set_index("amount_id")
    out = rows.copy()
    out["targeting_wording"] = rows["targeting"]
    for col in EVIDENCE_COLUMNS[1:]:
        out[col] = rows["amount_id"].map(evidence[col]) if len(evidence) else None
    out["is_beyond_registered"] = out["is_beyond_registered"].fillna(False).astype(bool)
    for col in ("evidence_en", "evidence_zh", "evidence_caveat_en", "evidence_caveat_zh",
                "evidence_qualifier", "evidence_ids"):
        out[col] = out[col].fillna("")
    decided = [decide_targeting(r) for _, r in out.iterrows()]
    out["targeting"] = [d[0] for d in decided]
    out["targeting_basis"] = [d[1] for d in decided]
    out["targeting_reason_en"] = [d[2] for d in decided]
    out["targeting_reason_zh"] = [d[3] for d in decided]
    out["is_registered_poor_only"] = out["targeting"] == "registered_poor"
    return out[[*MONEY_ROW_COLUMNS, "targeting_wording", "targeting_basis",
                *EVIDENCE_COLUMNS[1:]]]


MONEY_ROW_COLUMNS = [
    "area", "area_en", "area_zh", "programme", "programme_en", "programme_zh", "short_en",
    "short_zh", "is_spending", "amount_yuan", "amount_qualifier", "period_text",
    "period_start", "period_end", "targeting", "is_registered_poor_only",
    "targeting_marker", "targeting_reason_en", "targeting_reason_zh", "amount_id"]

#: Columns of :func:`numeric_evidence`.
EVIDENCE_COLUMNS = ["amount_id", "evidence_share_pct", "evidence_qualifier",
                    "is_beyond_registered", "evidence_en", "evidence_zh", "evidence_caveat_en",
                    "evidence_caveat_zh", "evidence_ids"]

#: Audit relations that turn a programme's person-times into a least number of people
#: against the registered poor, with the caveat the comparison carries (en, zh).
PERSON_TIME_RELATIONS: dict[str, tuple[str, str]] = {
    "per_semester": ("the register printed stands for the register of each semester",
                     "所印建档立卡人数代表各学期的建档立卡人数"),
    "once_a_year": ("the register printed stands for the register of each year",
                    "所印建档立卡人数代表各年度的建档立卡人数"),
}


def numeric_evidence(claims: pd.DataFrame, money: pd.DataFrame | None = None,
                     audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """The widest reach against the registered poor that each programme's numbers show.

    Candidates: each head count in persons or households ÷ the registered poor in the
    same unit (:data:`REGISTERED_IDS`), and each audit check of
    :data:`PERSON_TIME_RELATIONS` on one of the programme's person-time counts (a least
    number of pupils in some semester, or payments ÷ one a year per registered person).
    The widest share that is sure (an exact or "at least" figure) is kept; it is beyond
    the register above 100%.  Columns: :data:`EVIDENCE_COLUMNS`; one row per programme
    with a candidate.
    """
    from helpers.analysis.audit import run_audit
    from helpers.data.quantity import ratio_qualifier

    money = wording_rows(claims) if money is None else money
    present = set(claims["id"])
    value = claims.set_index("id")["value_base"].astype(float)
    pairs = head_counts(claims, money) if len(money) else pd.DataFrame(columns=["amount_id"])
    checks = None
    rows = []
    for amount_id in money["amount_id"]:
        found = []  # (share, qualifier, en, zh, caveat_en, caveat_zh, ids)
        for _, p in pairs[pairs["amount_id"] == amount_id].iterrows():
            reg = REGISTERED_IDS.get(p["count_unit"])
            if reg in present:
                share = 100 * p["count"] / value[reg]
                q = ratio_qualifier(p["count_qualifier"], "exact")
                unit_zh = REGISTERED_ZH.get(p["count_unit"], UNIT_TEXT[p["count_unit"]][2])
                found.append((share, q, f"{p['measure_en']} ÷ registered {p['count_unit']}",
                              f"{p['measure_zh']}÷建档立卡{unit_zh}",
                              "", "", f"{p['count_ids']};{reg}"))
            elif p["count_unit"] == "person_times":
                if checks is None:
                    audit = run_audit(claims) if audit is None else audit
                    checks = audit[audit["relation"].isin(list(PERSON_TIME_RELATIONS))]
                for _, c in checks.iterrows():
                    ids = str(c["claim_ids"]).split(";")
                    if not set(str(p["count_ids"]).split(";")) & set(ids) or \
                            REGISTERED_IDS["persons"] not in ids:
                        continue
                    share = 100 * c["stated"] / c["computed"]
                    kind = c["relation"]
                    if kind == "per_semester":
                        n = c["stated"]
                        en = (f"{p['measure_en']}: at least {n:,.0f} in some semester "
                              f"(person-times ÷ semesters) ÷ registered persons")
                        zh = f"{p['measure_zh']}：某学期至少{n:,.0f}人（人次÷学期数）÷建档立卡人数"
                        q = "at_least"
                    else:
                        en = (f"{p['measure_en']} ÷ (registered persons × years): payments per "
                              "registered person per year")
                        zh = f"{p['measure_zh']}÷（建档立卡人数×年数）：每人每年代缴次数"
                        q = "exact"
                    cav_en, cav_zh = PERSON_TIME_RELATIONS[kind]
                    found.append((share, q, en, zh, cav_en, cav_zh, c["claim_ids"]))
        sure = [f for f in found if f[1] in ("exact", "at_least")]
        if not sure:
            continue
        best = max(sure, key=lambda f: f[0])
        share, q, en, zh, cav_en, cav_zh, ids = best
        rows.append({"amount_id": amount_id, "evidence_share_pct": share,
                     "evidence_qualifier": q, "is_beyond_registered": bool(share > 100),
                     "evidence_en": f"{en} = {_pct(share, q)}",
                     "evidence_zh": f"{zh}＝{_pct(share, q)}",
                     "evidence_caveat_en": cav_en, "evidence_caveat_zh": cav_zh,
                     "evidence_ids": ";".join(dict.fromkeys(str(ids).split(";")))})
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def decide_targeting(row: pd.Series) -> tuple[str, str, str, str]:
    """One programme's targeting from its wording and its numbers:
    ``(targeting, basis, reason_en, reason_zh)``.

    Numbers that surely exceed the register make it ``broader`` whatever the wording
    (basis ``numbers``, or ``wording and numbers`` when the wording agrees); otherwise
    the wording decides (basis ``wording``), and the numbers are quoted beside it.
    """
    wording, marker = row["targeting_wording"], row["targeting_marker"]
    en, zh = targeting_reason(wording, marker, "en"), targeting_reason(wording, marker, "zh")
    if not row["evidence_en"]:
        return wording, "wording", en, zh
    cav_en = f" (if {row['evidence_caveat_en']})" if row["evidence_caveat_en"] else ""
    cav_zh = f"（假设{row['evidence_caveat_zh']}）" if row["evidence_caveat_zh"] else ""
    if row["is_beyond_registered"]:
        if wording == "broader":
            return ("broader", "wording and numbers",
                    f"{en} The numbers agree: {row['evidence_en']}{cav_en}.",
                    f"{zh}数字一致：{row['evidence_zh']}{cav_zh}。")
        return ("broader", "numbers",
                f"{en} But the numbers reach beyond the register: {row['evidence_en']}{cav_en}.",
                f"{zh}但数字超出建档立卡范围：{row['evidence_zh']}{cav_zh}。")
    return (wording, "wording",
            f"{en} The numbers do not show more than the register: {row['evidence_en']}"
            f"{cav_en}.",
            f"{zh}数字未显示超出建档立卡范围：{row['evidence_zh']}{cav_zh}。")


def wording_rows(claims: pd.DataFrame) -> pd.DataFrame:
    """:func:`money_rows` with the targeting read from the wording alone."""
    part = area_claims(claims)
    rows = []
    for _, r in part[part["base_unit"] == "yuan"].iterrows():
        cid, area = r["id"], r["id"].split(".")[0]
        key, en, zh, short_en, short_zh = PROGRAMME_NAMES.get(
            cid, (cid.split(".", 1)[1], r["indicator_en"], r["indicator_zh"],
                  r["indicator_en"], r["indicator_zh"]))
        targeting, marker = classify_targeting(r["quote"], r["value_printed"])
        period = claim_period(claims, cid)
        rows.append({"area": area, "area_en": AREAS[area][0], "area_zh": AREAS[area][1],
                     "programme": key, "programme_en": en, "programme_zh": zh,
                     "short_en": short_en, "short_zh": short_zh,
                     "is_spending": cid not in NOT_SPENDING,
                     "amount_yuan": float(r["value_base"]), "amount_qualifier": r["qualifier"],
                     "period_text": period["period_text"], "period_start": period["period_start"],
                     "period_end": period["period_end"], "targeting": targeting,
                     "is_registered_poor_only": targeting == "registered_poor",
                     "targeting_marker": marker,
                     "targeting_reason_en": targeting_reason(targeting, marker, "en"),
                     "targeting_reason_zh": targeting_reason(targeting, marker, "zh"),
                     "amount_id": cid})
    return pd.DataFrame(rows, columns=MONEY_ROW_COLUMNS).astype(
        {"is_spending": bool, "amount_yuan": float, "is_registered_poor_only": bool})


def _measures(claims: pd.DataFrame, amount: pd.Series) -> list[tuple]:
    """The head counts printed with one money claim (see :data:`MEASURES`)."""
    present = set(claims["id"])
    if amount["amount_id"] in MEASURES:
        return [m for m in MEASURES[amount["amount_id"]] if set(m[3]) <= present]
    same = claims[(claims["quote"] == claims.loc[claims["id"] == amount["amount_id"], "quote"]
                   .iloc[0]) & (topic(claims["id"]) == amount["area"])
                  & claims["base_unit"].isin(HEADCOUNT_UNITS)]
    return [(r["id"].split(".", 1)[1], r["indicator_en"], r["indicator_zh"], (r["id"],), True)
            for _, r in same.iterrows()]


def head_counts(claims: pd.DataFrame, money: pd.DataFrame) -> pd.DataFrame:
    """Every head count printed with a money claim, one row per (programme, measure).

    Summed counts (new + upgraded water supply) go through :func:`helpers.data.quantity.add`,
    which refuses to add different units.  Columns: ``area``, ``programme``,
    ``programme_en``, ``programme_zh``, ``short_en``, ``short_zh``, ``measure``,
    ``measure_en``, ``measure_zh``, ``is_primary``, ``is_cost_base``, ``amount_yuan``,
    ``amount_qualifier``, ``count``, ``count_unit``, ``count_qualifier``, ``targeting``,
    ``amount_id``, ``count_ids``.
    """
    rows = []
    for _, p in money.iterrows():
        for i, (key, en, zh, ids, is_cost_base) in enumerate(_measures(claims, p)):
            count = add(*(quantity(claims, cid) for cid in ids))
            rows.append({**{c: p[c] for c in ("area", "programme", "programme_en",
                                              "programme_zh", "short_en", "short_zh")},
                         "measure": key, "measure_en": en, "measure_zh": zh,
                         "is_primary": i == 0, "is_cost_base": is_cost_base,
                         "amount_yuan": p["amount_yuan"], "amount_qualifier": p["amount_qualifier"],
                         "count": count.value, "count_unit": count.unit,
                         "count_qualifier": count.qualifier, "targeting": p["targeting"],
                         "amount_id": p["amount_id"], "count_ids": ";".join(ids)})
    return pd.DataFrame(rows, columns=[
        "area", "programme", "programme_en", "programme_zh", "short_en", "short_zh", "measure",
        "measure_en", "measure_zh", "is_primary", "is_cost_base", "amount_yuan",
        "amount_qualifier", "count", "count_unit", "count_qualifier", "targeting", "amount_id",
        "count_ids"]).astype({"is_primary": bool, "is_cost_base": bool, "amount_yuan": float,
                              "count": float})


def money_total(rows: pd.DataFrame) -> Quantity:
    """The sum of ``amount_yuan`` with its qualifier (a lower bound if a part is one)."""
    return add(*(Quantity(v, "yuan", q) for v, q in
                 zip(rows["amount_yuan"], rows["amount_qualifier"], strict=True)))


# --------------------------------------------------------------------------- coverage


#: Coverage statements the codebook defines: claim id -> (statement en, zh, scope en, zh,
#: is about the registered poor, (numerator, denominator) to recompute it from or None).
#: ``{level_en}``/``{level_zh}`` stand for the county's level (city, county; 市, 县).
COVERAGE: dict[str, tuple[str, str, str, str, bool, tuple[str, str] | None]] = {
    "infrastructure.village_cement_road_coverage": (
        "cement road", "通水泥路",
        "all administrative villages of the {level_en}", "全{level_zh}建制村", False, None),
    "infrastructure.village_bus_coverage": (
        "bus service", "通客班车",
        "all administrative villages of the {level_en}", "全{level_zh}建制村", False, None),
    "infrastructure.grid_renovated_villages": (
        "rural power grid renovated", "完成农村电网改造", "provincially designated poor villages",
        "省定贫困村", True, ("infrastructure.grid_renovated_villages",
                        "poverty.poor_villages_exited")),
    "infrastructure.fibre_coverage": ("fibre network (双百)", "光网覆盖（双百）",
                                      "all villages and communities",
                                      "全{level_zh}行政村及社区", False, None),
    "infrastructure.mobile_4g_coverage": ("4G network (双百)", "4G网络覆盖（双百）",
                                          "all villages and communities",
                                          "全{level_zh}行政村及社区", False, None),
    "health.reimbursement_rate": ("one-stop reimbursement rate", "综合报销比例",
                                  "poor people's medical bills", "贫困人口医疗费用", True,
                                  ("health.one_stop_compensation",
                                   "health.one_stop_medical_costs")),
    "water.registered_poor_safety_coverage": (
        "drinking-water safety solved", "饮水安全保障问题得到解决", "registered poor people",
        "建档立卡贫困人口", True, None),
    "education.enrolment_rate": ("school enrolment", "入学",
                                 "compulsory-age children of registered poor households",
                                 "义务教育阶段建档立卡贫困户家庭学生", True, None),
    "education.aid_coverage": ("education aid at the standard", "落实教育资助", "poor students",
                               "贫困学生", True, None),
}


def coverage_statements(claims: pd.DataFrame, meta=None) -> pd.DataFrame:
    """The rates of the six areas as printed (percent claims, and the counts :data:`COVERAGE`
    reads as "all of them"), with what they are about and the parts to recompute them from.

    Columns: ``area``, ``statement_en``, ``statement_zh``, ``scope_en``, ``scope_zh``,
    ``is_registered_poor_scope``, ``printed_pct``, ``numerator_id``, ``denominator_id``
    (empty when not printed), ``claim_id``.  A rate outside :data:`COVERAGE` is named by
    its indicator and its scope is read from its quote with :func:`classify_targeting`.
    """
    level_en = "city" if meta is None or meta.level("en").endswith("city") else "county"
    level_zh = "市" if meta is None else meta.level("zh")[-1]
    present = set(claims["id"])
    rows = []
    for _, r in area_claims(claims).iterrows():
        cid = r["id"]
        if r["base_unit"] != "percent" and cid not in COVERAGE:
            continue
        if cid in COVERAGE:
            en, zh, scope_en, scope_zh, is_poor, parts = COVERAGE[cid]
            scope_en = scope_en.format(level_en=level_en)
            scope_zh = scope_zh.format(level_zh=level_zh)
        else:
            targeting, marker = classify_targeting(r["quote"], r["value_printed"])
            en, zh, scope_en, scope_zh = r["indicator_en"], r["indicator_zh"], marker, marker
            is_poor, parts = targeting == "registered_poor", None
        if parts and not set(parts) <= present:
            parts = None
        rows.append({"area": cid.split(".")[0], "statement_en": en, "statement_zh": zh,
                     "scope_en": scope_en or "–", "scope_zh": scope_zh or "–",
                     "is_registered_poor_scope": is_poor,
                     "printed_pct": float(r["value_base"]) if r["base_unit"] == "percent"
                     else float("nan"),
                     "numerator_id": parts[0] if parts else "",
                     "denominator_id": parts[1] if parts else "", "claim_id": cid})
    return pd.DataFrame(rows, columns=[
        "area", "statement_en", "statement_zh", "scope_en", "scope_zh",
        "is_registered_poor_scope", "printed_pct", "numerator_id", "denominator_id", "claim_id"]
    ).astype({"is_registered_poor_scope": bool, "printed_pct": float})


# --------------------------------------------------------------------------- sections


def require(nb, key: str, ok: bool, what: tuple[str, str], outputs=()) -> bool:
    """Like ``nb.section`` for a section that needs *some* claims of a kind, not fixed ids.

    When ``ok`` is false the section is recorded as skipped, its ``outputs`` as not
    produced, and a note says the claims include no ``what`` (English, Chinese).
    """
    from IPython.display import Markdown, display

    nb.sections[key] = bool(ok)
    if ok:
        return True
    reason = _t((f"the source does not report {what[0]}", f"来源未报告{what[1]}"), nb.lang)
    for name in outputs:
        nb.not_produced[f"{nb.number}_{name}"] = reason
    nb._write_status()
    display(Markdown(_t((f"*Not reported.* The claims of {nb.county} include no {what[0]}; "
                         "this section is skipped.",
                         f"*未报告。* {nb.county}的数据不含{what[1]}，本节从略。"), nb.lang)))
    return False


def absent_areas_note(absent: list[str], county: str, lang: str = "en") -> str:
    """One note naming the areas with no claims (Markdown), or ``""``."""
    if not absent:
        return ""
    names = _join([_t(AREAS[a], lang) for a in absent], lang)
    ids = ", ".join(f"`{a}.*`" for a in absent)
    return _t((f"*Not reported.* The claims of {county} include nothing on {names} ({ids}).",
               f"*未报告。* {county}的数据不含{names}方面的数字（{ids}）。"), lang)


def reach_note(unit: str, lang: str = "en") -> str:
    """Why a head count is not set against the registered poor (``""`` when it is)."""
    if unit == "person_times":
        return _t(("person-times count payments or semesters, not people; the number of "
                   "different people is not printed",
                   "人次为发放次数，非人数；原文未给出受益的不同人数"), lang)
    return _t((f"the registered poor are not given in {unit_text(unit)}",
               f"数据未给出以{UNIT_TEXT.get(unit, (unit,) * 3)[2]}计的建档立卡贫困人口"), lang)


# --------------------------------------------------------------------------- display tables

UNITS = fmt.UNITS.select(
    ("yuan", "persons", "person_times", "households", "person_years", "villages", "percent",
     "ratio"),
    denominators=("persons", "person_times", "households", "villages", "person_years"))
UNIT_TEXT = UNITS.texts
#: The registered poor in a unit, in Chinese (after 建档立卡).
REGISTERED_ZH = {"persons": "人数", "households": "户数"}
unit_text = UNITS.unit_text
split_rate = UNITS.split_rate
_DASH = "–"


def fmt_quantity(q: Quantity, lang: str = "en", money_unit: str = "wan") -> str:
    """A quantity for display: money in ``money_unit``, rates below 10,000 with one decimal."""
    return UNITS.fmt_quantity(q, lang, money_unit, rate_digits=1)


def _q(row, value: str, unit: str, qualifier: str) -> str | None:
    """``fmt_quantity`` of three columns of a row, ``None`` when the unit is empty."""
    u = row[unit] if unit in row else unit
    if not isinstance(u, str) or not u or pd.isna(row[value]):
        return None
    return Quantity(float(row[value]), u, row[qualifier] or "exact")


def _pct(value, qualifier: str = "exact", digits: int = 1) -> str:
    return _DASH if pd.isna(value) else f"{bound(qualifier)}{value:,.{digits}f}%"


def _yes_no(values, lang: str) -> list[str]:
    return [_DASH if pd.isna(v) else _t(("yes", "是") if v else ("no", "否"), lang)
            for v in values]


def _period_display(row, lang: str) -> str:
    start, end = row["period_start"][:7], row["period_end"][:7]
    text = row["period_text"] or _t(("not printed", "未注明"), lang)
    return f"{text} ({start or '…'} – {end or '…'})"


def display_programmes(table: pd.DataFrame, lang: str = "en",
                       money_unit: str = "wan") -> pd.DataFrame:
    """The programme table formatted for reading (strings; headers in ``lang``)."""
    _check_lang(lang)
    fq = [(_q(r, "amount_yuan", "yuan", "amount_qualifier"),
           _q(r, "beneficiaries", "beneficiary_unit", "beneficiaries_qualifier"),
           _q(r, "cost_per_beneficiary_yuan", "cost_unit", "cost_qualifier"))
          for _, r in table.iterrows()]
    return pd.DataFrame({
        _t(("Area", "领域"), lang): table[f"area_{lang}"],
        _t(("Programme", "项目"), lang): [
            r[f"programme_{lang}"] + ("" if r["is_spending"] else
                                      _t((" (not spending)", "（非支出）"), lang))
            for _, r in table.iterrows()],
        _t(("Amount", "金额"), lang): [fmt_quantity(a, lang, money_unit) for a, _, _ in fq],
        _t(("Reached", "受益"), lang): [_DASH if b is None else fmt_quantity(b, lang)
                                      for _, b, _ in fq],
        _t(("Cost per beneficiary", "单位成本"), lang): [
            _DASH if c is None else fmt_quantity(c, lang) for _, _, c in fq],
        _t(("Period (as printed)", "时期（原文）"), lang): [
            _period_display(r, lang) for _, r in table.iterrows()],
        _t(("Targets", "对象"), lang): table["targeting"].map(lambda k: _t(TARGETING[k], lang)),
        "claim_ids": table["claim_ids"],
    })


def display_targeting(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Targeting decisions with the word they rest on, the numbers and the reason."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Programme", "项目"), lang): table[f"programme_{lang}"],
        _t(("Targets", "对象"), lang): table["targeting"].map(lambda k: _t(TARGETING[k], lang)),
        _t(("Word in the quote", "原文用词"), lang): table["marker"].replace("", _DASH),
        _t(("Decided by", "判断依据"), lang): table["targeting_basis"].map(
            lambda b: _t(TARGETING_BASIS[b], lang)),
        _t(("Largest share of the registered", "占建档立卡最大比例"), lang): [
            _pct(v, q) for v, q in zip(table["max_share_of_registered_pct"],
                                       table["max_share_qualifier"], strict=True)],
        _t(("Beyond the register?", "超出建档立卡？"), lang): _yes_no(
            table["is_beyond_registered"].where(table["max_share_of_registered_pct"].notna()),
            lang),
        _t(("Reason", "依据"), lang): table[f"reason_{lang}"],
        "claim_ids": table["claim_ids"],
    })


def display_unit_costs(costs: pd.DataFrame, lang: str = "en",
                       money_unit: str = "wan") -> pd.DataFrame:
    """The unit-cost table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Programme", "项目"), lang): costs[f"programme_{lang}"],
        _t(("Amount", "金额"), lang): [fmt_money(v, money_unit, lang)
                                      for v in costs["amount_yuan"]],
        _t(("Divided by", "除以"), lang): costs[f"measure_{lang}"],
        _t(("Count", "数量"), lang): [fmt_quantity(_q(r, "count", "count_unit",
                                                      "count_qualifier"), lang)
                                      for _, r in costs.iterrows()],
        _t(("Cost", "单位成本"), lang): [fmt_quantity(_q(r, "cost_yuan", "cost_unit",
                                                        "cost_qualifier"), lang)
                                        for _, r in costs.iterrows()],
        "claim_ids": costs["claim_ids"],
    })


def display_reach(reach: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The reach table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Programme", "项目"), lang): reach[f"programme_{lang}"],
        _t(("Head count", "受益数量"), lang): reach[f"measure_{lang}"],
        _t(("Count", "数量"), lang): [fmt_quantity(_q(r, "count", "count_unit",
                                                      "count_qualifier"), lang)
                                      for _, r in reach.iterrows()],
        _t(("Registered poor (same unit)", "建档立卡贫困人口（同单位）"), lang): [
            fmt_quantity(Quantity(r["registered_count"], r["count_unit"]), lang)
            if r["is_comparable"] else _DASH for _, r in reach.iterrows()],
        _t(("Share of registered", "占建档立卡比例"), lang): [
            _pct(r["share_of_registered_pct"], r["share_qualifier"]) if r["is_comparable"]
            else _t(("not comparable", "不可比"), lang) for _, r in reach.iterrows()],
        _t(("Note", "说明"), lang): reach[f"note_{lang}"].replace("", _DASH),
        "claim_ids": reach["claim_ids"],
    })


def display_coverage(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The coverage table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Area", "领域"), lang): table["area"].map(lambda a: _t(AREAS[a], lang)),
        _t(("Statement", "表述"), lang): table[f"statement_{lang}"],
        _t(("Of whom / what", "范围"), lang): table[f"scope_{lang}"],
        _t(("Registered poor only?", "仅限建档立卡？"), lang):
            _yes_no(table["is_registered_poor_scope"], lang),
        _t(("Printed", "原文"), lang): table["printed_pct"].map(_pct),
        _t(("Recomputed", "复算"), lang): table["recomputed_pct"].map(_pct),
        _t(("Consistent?", "一致？"), lang): _yes_no(table["is_consistent"], lang),
        "claim_ids": table["claim_ids"],
    })


def display_reimbursement(table: pd.DataFrame, lang: str = "en",
                          money_unit: str = "wan") -> pd.DataFrame:
    """The reimbursement check formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Printed rate", "原文比例"), lang): table["printed_pct"].map(lambda v: f"{v:g}%"),
        _t(("It stands for", "原文舍入范围"), lang): [
            f"{lo:g}% – {hi:g}%" for lo, hi in
            zip(table["printed_low_pct"], table["printed_high_pct"], strict=True)],
        _t(("Compensation ÷ bills", "补偿÷费用"), lang): table["recomputed_pct"].map(
            lambda v: f"{v:.2f}%"),
        _t(("Range from rounding of the amounts", "按金额舍入的范围"), lang): [
            f"{lo:.2f}% – {hi:.2f}%" for lo, hi in
            zip(table["low_pct"], table["high_pct"], strict=True)],
        _t(("Consistent?", "一致？"), lang): _yes_no(table["is_consistent"], lang),
        _t(("Not compensated", "未补偿部分"), lang): [
            fmt_money(v, money_unit, lang) for v in table["remainder_yuan"]],
        "claim_ids": table["claim_ids"],
    })


def display_premiums(premiums: dict, lang: str = "en") -> pd.DataFrame:
    """The premium comparison formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("Figure", "指标"), lang): [
            _t(("medical premium per person-time", "每人次医保代缴额"), lang),
            _t(("pension standard per person per year", "养老保险代缴标准（每人每年）"), lang),
            _t(("ratio (if a person-time is one person-year)", "比值（若一人次即一人一年）"), lang),
            _t(("person-years the pension total pays for", "养老保险代缴总额相当于的人·年"), lang)],
        _t(("Value", "数值"), lang): [
            f"{premiums['medical_per_person_time_yuan']:,.2f}" + _t((" yuan", "元"), lang),
            f"{premiums['pension_standard_yuan']:g}" + _t((" yuan", "元"), lang),
            f"{premiums['ratio']:.2f}", fmt_number(premiums["pension_person_years"])],
    })


def area_view(claims: pd.DataFrame, area: str, computed: pd.DataFrame, lang: str = "en",
              money_unit: str = "wan") -> pd.DataFrame:
    """Every printed figure of one area in the order printed, then its ``computed`` rows.

    ``computed`` (:func:`computed_rows`) has columns ``area``, ``figure_en``/``_zh``,
    ``value_en``/``_zh`` (text) and ``claim_ids``: the notebook's costs, shares and
    recomputed rates.  Columns (headers in ``lang``): figure, value, period, printed or
    computed, claim_ids.
    """
    _check_lang(lang)
    if area not in AREAS:
        raise ValueError(f"area must be one of {', '.join(AREAS)}, got {area!r}")
    part = claims[claims["id"].str.startswith(f"{area}.")]
    position = [int(o) + str(q).find(str(v)) for o, q, v in
                zip(part["quote_offset"], part["quote"], part["value_printed"], strict=True)]
    part = part.assign(_position=position).sort_values(["_position", "id"], kind="stable")
    printed, derived = _t(("printed", "原文"), lang), _t(("computed", "推算"), lang)
    rows = []
    for _, r in part.iterrows():
        q = Quantity(float(r["value_base"]), str(r["base_unit"]), str(r["qualifier"]))
        value = f"{q.value:g}%" if q.unit == "percent" else fmt_quantity(q, lang, money_unit)
        period = claim_period(claims, r["id"])
        rows.append((r[f"indicator_{lang}"], value,
                     period["period_text"] or period["period"] or _DASH, printed, r["id"]))
    for _, r in computed[computed["area"] == area].iterrows():
        rows.append((r[f"figure_{lang}"], r[f"value_{lang}"], _DASH, derived, r["claim_ids"]))
    return pd.DataFrame(rows, columns=[_t(("Figure", "指标"), lang), _t(("Value", "数值"), lang),
                                       _t(("Period", "时期"), lang),
                                       _t(("Source", "来源"), lang), "claim_ids"])


def computed_rows(costs: pd.DataFrame, reach: pd.DataFrame, coverage: pd.DataFrame
                  ) -> pd.DataFrame:
    """The notebook's computed figures, one per row, for :func:`area_view`."""
    rows = []
    for _, r in costs.iterrows():
        value = {lang: fmt_quantity(_q(r, "cost_yuan", "cost_unit", "cost_qualifier"), lang)
                 for lang in ("en", "zh")}
        rows.append({"area": r["area"],
                     "figure_en": f"{r['programme_en']} ÷ {r['measure_en']}",
                     "figure_zh": f"{r['programme_zh']} ÷ {r['measure_zh']}",
                     "value_en": value["en"], "value_zh": value["zh"],
                     "claim_ids": r["claim_ids"]})
    for _, r in reach[reach["is_comparable"]].iterrows():
        share = _pct(r["share_of_registered_pct"], r["share_qualifier"])
        rows.append({"area": r["area"],
                     "figure_en": f"{r['measure_en']} ÷ registered poor "
                                  f"{unit_text(r['count_unit'])}",
                     "figure_zh": f"{r['measure_zh']} ÷ 建档立卡贫困"
                                  f"{'户数' if r['count_unit'] == 'households' else '人口'}",
                     "value_en": share, "value_zh": share, "claim_ids": r["claim_ids"]})
    for _, r in coverage[coverage["recomputed_pct"].notna()].iterrows():
        v = f"{r['recomputed_pct']:.2f}%"
        rows.append({"area": r["area"], "figure_en": "recomputed: " + r["statement_en"],
                     "figure_zh": "复算：" + r["statement_zh"], "value_en": v, "value_zh": v,
                     "claim_ids": r["claim_ids"]})
    return pd.DataFrame(rows, columns=["area", "figure_en", "figure_zh", "value_en", "value_zh",
                                       "claim_ids"])


# --------------------------------------------------------------------------- figures


def _palette(n: int) -> list[str]:
    from helpers.display.plotting import chapter_palette

    return chapter_palette(CHAPTER, n)


def _targeting_colours() -> dict[str, str]:
    light, mid, dark = _palette(3)
    return {"registered_poor": dark, "broader": light, "not_stated": mid}


def _targeting_handles(lang: str, edge: str, present=tuple(TARGETING)):
    from matplotlib.patches import Patch

    colours = _targeting_colours()
    return [Patch(facecolor=colours[k], edgecolor=edge, label=_t(TARGETING[k], lang))
            for k in TARGETING if k in present]


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
    total = money_total(spend)
    registered = spend.loc[spend["is_registered_poor_only"], "amount_yuan"].sum()
    registered_share = registered / total.value
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
    years = [int(v[:4]) for v in spend["period_start"].tolist() + spend["period_end"].tolist() if v]
    first_year = float(min(years) - 2) if years else 2013.0
    last_year = max(years) if years else 2020
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
            axp.plot([first_year, end], [yy, yy], color=edge, linewidth=1.5, linestyle=":")
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
    axp.set_xlim(first_year - 0.2, last_year + 0.9)
    axp.set_xticks(range(int(first_year), last_year + 1, 2))
    axp.set_xlabel(_t(("period covered", "统计时期"), lang))
    axp.grid(axis="y", visible=False)
    axp.tick_params(axis="y", left=False)
    bills = table[~table["is_spending"]]
    top = spend.sort_values("amount_yuan", ascending=False).iloc[0]
    top_en, top_zh = ((f"the largest item, {top['short_en']}, is open to a broader population",
                       f"最大的一项（{top['short_zh']}）面向更广泛人群")
                      if top["targeting"] == "broader" else
                      (f"the largest item, {top['short_en']}, is for the registered poor only",
                       f"最大的一项（{top['short_zh']}）仅面向建档立卡贫困人口")
                      if top["targeting"] == "registered_poor" else
                      (f"the largest item, {top['short_en']}, does not state whom it is for",
                       f"最大的一项（{top['short_zh']}）未说明对象"))
    ax.set_title(_t((
        f"Programmes for the registered poor only account for "
        f"{100 * registered_share:.0f}% of the "
        f"{bound(total.qualifier)}{fmt_money(total.value, money_unit, 'en')} "
        f"these areas report;\n{top_en} (the total mixes periods)",
        f"这些领域所列{bound(total.qualifier)}{fmt_money(total.value, money_unit, 'zh')}"
        f"中，仅面向建档立卡贫困人口的项目占{100 * registered_share:.0f}%；\n"
        f"{top_zh}（合计跨越不同时期）"), lang), loc="left", fontsize=12)
    handles = _targeting_handles(lang, edge, set(spend["targeting"]))
    from matplotlib.patches import Patch

    handles.append(Patch(facecolor="white", edgecolor=edge, hatch="//",
                         label=_t(("at least (余)", "“余”：至少"), lang)))
    ax.legend(handles=handles, loc="lower right", fontsize=9, frameon=True)
    notes = [_t(("Right: solid = printed period; dotted = start not printed.",
                 "右图：实线为原文时期；虚线表示原文未注明起始时间。"), lang)]
    for _, r in bills.iterrows():
        notes.append(_t((
            f"Not shown: {r['programme_en'][0].lower() + r['programme_en'][1:]} "
            f"({fmt_money(r['amount_yuan'], money_unit, 'en')}), a sum of bills, not spending.",
            f"未列入：{r['programme_zh']}（{fmt_money(r['amount_yuan'], money_unit, 'zh')}），"
            "为医疗费用总额而非支出。"), lang))
    fig.text(0.01, 0.0, "\n".join(notes), fontsize=9, ha="left", va="top")
    return fig


_COST_UNITS = ("yuan_per_person_time", "yuan_per_person", "yuan_per_household")


def _bottom_legend(fig, lang: str, edge: str, note: str, present) -> None:
    """Targeting legend (classes ``present``) and a note under the figure."""
    fig.legend(handles=_targeting_handles(lang, edge, set(present)), loc="upper right",
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
    title = _t(("Cost per beneficiary, person-times, persons and households kept apart",
                "单位受益成本：人次、人、户分开计算"), lang)
    people = costs[costs["cost_unit"] == "yuan_per_person"].sort_values("cost_yuan")
    if len(people) >= 2 and people["programme"].nunique() >= 2:
        lo, hi = people.iloc[0], people.iloc[-1]
        times = hi["cost_yuan"] / lo["cost_yuan"]
        title = _t((
            f"Per person, {hi['short_en']} cost {fmt_number(hi['cost_yuan'], 0)} yuan, "
            f"{times:,.0f} times the {fmt_number(lo['cost_yuan'], 0)} yuan\n"
            f"of {lo['short_en']}; amounts per person-time are not costs per person",
            f"按人计，{hi['short_zh']}每人{fmt_number(hi['cost_yuan'], 0)}元，"
            f"是{lo['short_zh']}每人{fmt_number(lo['cost_yuan'], 0)}元的{times:,.0f}倍；\n"
            "每人次金额不是每人成本"), lang)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    _bottom_legend(fig, lang, edge, _t((
        "≤: the head count is printed as 'more than' (余), so the cost is at most this.",
        "≤：受益人数原文为“余”，单位成本至多为此值。"), lang), costs["targeting"])
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
    lead = comp.loc[comp["share_of_registered_pct"].idxmax()]
    title = _t((f"{lead['measure_en'].capitalize()} ({lead['short_en']}) were "
                f"{lead['share_of_registered_pct'] / 100:,.1f} times the registered poor "
                f"{unit_text(lead['count_unit'])}", f"{lead['measure_zh']}为建档立卡贫困人口的"
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
    _bottom_legend(fig, lang, edge, note, comp["targeting"])
    return fig


def health_figure(claims: pd.DataFrame, check, lang: str = "en", money_unit: str = "wan"):
    """The one-stop settlement: bills split into compensation and remainder (``money_unit``),
    and below, the reimbursement rate recomputed (compensation ÷ bills) with the range the
    amounts' rounding allows, against the printed rate and its own rounding range.

    ``check`` is a row of the notebook's reimbursement check (``recomputed_pct``,
    ``low_pct``, ``high_pct``, ``printed_pct``, ``printed_low_pct``, ``printed_high_pct``,
    ``is_consistent``, ``remainder_yuan``).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    _check_lang(lang)
    bills = quantity(claims, REIMBURSEMENT_IDS["bills"])
    comp = quantity(claims, REIMBURSEMENT_IDS["compensation"])
    light, mid, dark = _palette(3)
    fig, (ax, axr) = plt.subplots(2, 1, figsize=(9.0, 4.6),
                                  gridspec_kw={"height_ratios": [1, 1.25], "hspace": 0.9})
    c = units.to_money_unit(comp.value, money_unit)
    rest = units.to_money_unit(check["remainder_yuan"], money_unit)
    whole = units.to_money_unit(bills.value, money_unit)
    ax.barh([0], [c], color=dark, height=0.5)
    ax.barh([0], [rest], left=[c], color=light, edgecolor=dark, linewidth=0.6, height=0.5)
    ax.set_ylim(-0.7, 0.7)
    ax.text(c / 2, 0, _t((f"compensated {money_number(comp.value, money_unit)}",
                          f"补偿{money_number(comp.value, money_unit)}"), lang),
            ha="center", va="center", color="white", fontsize=9)
    ax.text(c + rest + whole * 0.02, 0,
            _t((f"not compensated\n{money_number(check['remainder_yuan'], money_unit)}",
                f"未补偿\n{money_number(check['remainder_yuan'], money_unit)}"), lang),
            ha="left", va="center", fontsize=9)
    ax.set_yticks([0], [_t(("bills settled", "结算医疗费用"), lang)])
    ax.set_xlim(0, whole * 1.25)
    ax.set_xlabel(units.money_label(money_unit, lang))
    if whole >= 1_000:
        _thousands(ax.xaxis)
    ax.set_title(_t(("Medical bills settled one-stop, split by compensation",
                     "一站式结算的医疗费用：补偿与未补偿"), lang), loc="left", fontsize=10)
    ax.grid(axis="y", visible=False)
    rows = [(_t(("recomputed:\ncompensation ÷ bills", "复算：\n补偿÷费用"), lang),
             check["recomputed_pct"], check["low_pct"], check["high_pct"], dark),
            (_t(("printed rate", "原文比例"), lang),
             check["printed_pct"], check["printed_low_pct"], check["printed_high_pct"], mid)]
    lo = min(r[2] for r in rows)
    hi = max(r[3] for r in rows)
    span = (hi - lo) or 1.0
    overlap = (max(check["low_pct"], check["printed_low_pct"]),
               min(check["high_pct"], check["printed_high_pct"]))
    if overlap[0] <= overlap[1]:
        axr.axvspan(*overlap, color="0.85", linewidth=0, zorder=0)
    for i, (_name, value, low, high, colour) in enumerate(rows):
        axr.plot([low, high], [i, i], color=colour, linewidth=6, solid_capstyle="butt")
        axr.plot([value], [i], marker="|", markersize=16, markeredgewidth=2, color="black")
        axr.text(high + 0.02 * span, i,
                 f"{value:.2f}%  ({low:.2f}–{high:.2f}%)", va="center", fontsize=9)
    axr.set_yticks(range(len(rows)), [r[0] for r in rows])
    axr.set_ylim(len(rows) - 0.4, -0.6)
    axr.set_xlim(lo - 0.1 * span, hi + 0.6 * span)
    axr.xaxis.set_major_formatter(PercentFormatter(100, decimals=None))
    axr.set_xlabel(_t(("reimbursement rate (% of bills); bars: the range the printed rounding "
                       "allows; grey: where they overlap",
                       "报销比例（占费用的百分比）；色条：原文舍入所允许的范围；灰色：两者重叠处"),
                      lang), fontsize=9)
    axr.set_title(_t(("The rate, recomputed and as printed, with their rounding ranges",
                      "比例：复算与原文，及其舍入范围"), lang), loc="left", fontsize=10)
    axr.grid(axis="y", visible=False)
    fig.suptitle(_t((
        f"The one-stop settlement covered {check['recomputed_pct']:.1f}% of poor people's bills "
        f"({check['low_pct']:.2f}–{check['high_pct']:.2f}% given the rounding),\n"
        f"{'consistent' if check['is_consistent'] else 'inconsistent'} with the printed "
        f"{check['printed_pct']:g}%",
        f"一站式结算补偿了贫困人口医疗费用的{check['recomputed_pct']:.1f}%"
        f"（按舍入为{check['low_pct']:.2f}–{check['high_pct']:.2f}%），\n"
        f"与原文{check['printed_pct']:g}%{'一致' if check['is_consistent'] else '不一致'}"), lang),
        x=0.01, y=1.02, ha="left", fontsize=12)
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


def findings(programmes: pd.DataFrame, costs: pd.DataFrame | None = None,
             reach: pd.DataFrame | None = None, reimbursement: pd.DataFrame | None = None,
             premiums: dict | None = None, coverage: pd.DataFrame | None = None,
             lang: str = "en", money_unit: str = "wan") -> list[str]:
    """The notebook's findings as sentences, from the frames its cells computed.

    Each sentence needs only its own inputs: a frame that is ``None`` or empty (a
    section the claims do not support) drops the sentences built on it.
    """
    _check_lang(lang)
    en = lang == "en"
    short = f"short_{lang}"
    out = []

    def money(v, q="exact"):
        return bound(q) + fmt_money(v, money_unit, lang)

    def cost(r):
        return fmt_quantity(_q(r, "cost_yuan", "cost_unit", "cost_qualifier"), lang)

    spend = programmes[programmes["is_spending"]].sort_values("amount_yuan", ascending=False)
    if len(spend):
        total = money_total(spend)
        top = _join([f"{r[short]} ({money(r['amount_yuan'], r['amount_qualifier'])})"
                     if en else f"{r[short]}（{money(r['amount_yuan'], r['amount_qualifier'])}）"
                     for _, r in spend.head(2).iterrows()], lang)
        starts = _join(sorted({v[:4] for v in spend["period_start"] if v}), lang)
        n_no_start = int((spend["period_start"] == "").sum())
        lower = spend[spend["amount_qualifier"] == "at_least"][short].tolist()
        if en:
            out.append(f"These areas list {money(total.value, total.qualifier)} in {len(spend)} "
                       f"spending item{'s' if len(spend) > 1 else ''}; the largest: {top}. "
                       + (f"The periods start in {starts}; " if starts else "")
                       + f"items without a printed start: {n_no_start}"
                       + (f", and {_join(lower, 'en')} "
                          f"{'is a lower bound' if len(lower) == 1 else 'are lower bounds'}."
                          if lower else "."))
        else:
            out.append(f"这些领域列出{len(spend)}项支出，合计"
                       f"{money(total.value, total.qualifier)}；最大的：{top}。"
                       + (f"起始于{starts}年；" if starts else "")
                       + f"{n_no_start}项未注明起始时间"
                       + (f"，{_join(lower, 'zh')}金额为下限。" if lower else "。"))
        only = spend[spend["is_registered_poor_only"]]
        share = 100 * only["amount_yuan"].sum() / total.value
        unstated = spend[spend["targeting"] == "not_stated"]
        out.append(_t((
            f"Programmes classed as registered-poor-only (the quote names the registered poor "
            f"and no number shows more: {_join(only['short_en'], 'en') or 'none'}) account for "
            f"{share:.1f}% of that total"
            + (f"; {len(unstated)} item(s) name no group." if len(unstated) else
               "; the others name a broader group."),
            f"判定为仅面向建档立卡贫困人口的项目（原文提及建档立卡贫困人口且无数字显示超出："
            f"{_join(only['short_zh'], 'zh') or '无'}）"
            f"占上述合计的{share:.1f}%" + (f"；{len(unstated)}项未说明对象。" if len(unstated) else
                                "；其余提及更广泛的人群。")), lang))
    if costs is not None and len(costs):
        heads = costs[costs["count_unit"] != "person_times"]
        for unit in ("households", "persons"):
            part = heads[heads["count_unit"] == unit].sort_values("cost_yuan", ascending=False)
            if len(part):
                items = [f"{r[short]} ({r[f'measure_{lang}']}) {cost(r)}" if en else
                         f"{r[short]}（{r[f'measure_{lang}']}）{cost(r)}"
                         for _, r in part.iterrows()]
                out.append(_t((f"Cost per {SINGULAR[unit]}: " + "; ".join(items) + ".",
                               f"每{UNIT_TEXT[unit][2]}成本：" + "；".join(items) + "。"), lang))
        times = costs[costs["count_unit"] == "person_times"]
        if len(times):
            pt = ("; " if en else "；").join(f"{r[short]}{' ' if en else ''}{cost(r)}"
                                            for _, r in times.iterrows())
            out.append(_t((
                f"Amounts per person-time ({pt}) are not per-person costs: the claims do not "
                "give how many different people they reached; only a least number of people "
                "(in some semester, or a year) follows from the person-times, and section 3 "
                "sets that against the registered poor.",
                f"按人次计算的金额（{pt}）不是每人成本：数据未给出受益的不同人数；由人次只能推出"
                "某学期或某年至少有多少人，第3节将其与建档立卡贫困人口相比。"), lang))
    if reach is not None and reach["is_comparable"].any():
        comp = reach[reach["is_comparable"]]
        items = [f"{r[short]}{_t((': ', '：'), lang)}{r[f'measure_{lang}']} "
                 f"{_pct(r['share_of_registered_pct'], r['share_qualifier'])}"
                 for _, r in comp.iterrows()]
        out.append(_t(("Head counts as a share of the registered poor in the same unit: "
                       + "; ".join(items) + ".",
                       "受益数量占同单位建档立卡贫困人口的比例：" + "；".join(items) + "。"), lang))
        beyond = list(dict.fromkeys(comp.loc[comp["is_beyond_registered"], short]))
        if beyond:
            out.append(_t((
                f"The head counts show that {_join(beyond, 'en')} reached beyond the "
                "registered poor.",
                f"受益人数表明{_join(beyond, 'zh')}的覆盖范围超出建档立卡贫困人口。"), lang))
    if programmes is not None and "targeting_basis" in programmes and len(programmes):
        by_numbers = programmes[programmes["targeting_basis"] == "numbers"]
        if len(by_numbers):
            out.append(_t((
                f"For {_join(by_numbers['short_en'], 'en')} the quote names the registered "
                "poor but the numbers reach beyond the register (section 3 gives the figure "
                "and the assumption it rests on); the targeting follows the numbers, in this "
                "notebook and in notebook 04.",
                f"{_join(by_numbers['short_zh'], 'zh')}的原文用词为建档立卡贫困人口，但数字超出"
                "建档立卡范围（第3节列出数字及其假设）；本笔记与笔记04均按数字判断对象。"), lang))
    if reimbursement is not None and len(reimbursement):
        c = reimbursement.iloc[0]
        ok = bool(c["is_consistent"])
        out.append(_t((
            f"One-stop settlement compensated {c['recomputed_pct']:.2f}% of poor people's bills "
            f"(between {c['low_pct']:.2f}% and {c['high_pct']:.2f}% given the rounding of the "
            f"printed amounts), {'consistent' if ok else 'inconsistent'} with the printed "
            f"{c['printed_pct']:g}%; {money(c['remainder_yuan'])} remained uncompensated.",
            f"一站式结算补偿了贫困人口医疗费用的{c['recomputed_pct']:.2f}%（按原文金额的舍入，介于"
            f"{c['low_pct']:.2f}%与{c['high_pct']:.2f}%之间），与原文{c['printed_pct']:g}%"
            f"{'一致' if ok else '不一致'}；未补偿部分为{money(c['remainder_yuan'])}。"), lang))
    if premiums:
        p = premiums
        out.append(_t((
            f"Medical premiums came to {p['medical_per_person_time_yuan']:,.2f} yuan per "
            f"person-time, {p['ratio']:.1f} times the pension standard of "
            f"{p['pension_standard_yuan']:g} yuan per person per year if a person-time is one "
            f"person-year; the pension total buys {fmt_number(p['pension_person_years'])} "
            "person-years at that standard.",
            f"医保代缴每人次{p['medical_per_person_time_yuan']:,.2f}元，若一人次即一人一年，"
            f"为养老保险代缴标准（每人每年{p['pension_standard_yuan']:g}元）的{p['ratio']:.1f}倍；"
            f"养老保险代缴总额按此标准相当于{fmt_number(p['pension_person_years'])}人·年。"),
            lang))
    if coverage is not None and len(coverage):
        hundred = coverage[coverage["printed_pct"] == 100]
        if len(hundred):
            wide = hundred[~hundred["is_registered_poor_scope"]]
            poor = hundred[hundred["is_registered_poor_scope"]]
            n_rec = int(hundred["recomputed_pct"].notna().sum())
            out.append(_t((
                f"Of the {len(hundred)} statements of 100%, {len(wide)} describe a wider scope "
                f"than the register ({_join(wide['statement_en'], 'en') or 'none'}) and "
                f"{len(poor)} the registered poor ({_join(poor['statement_en'], 'en') or 'none'}); "
                + ("none of them can be recomputed, since no counts behind them are given."
                   if n_rec == 0 else f"{n_rec} of them can be recomputed."),
                f"{len(hundred)}处“100%”表述中，{len(wide)}处范围大于建档立卡"
                f"（{_join(wide['statement_zh'], 'zh') or '无'}），"
                f"{len(poor)}处针对建档立卡贫困人口"
                f"（{_join(poor['statement_zh'], 'zh') or '无'}）；"
                + ("因数据未给出背后的人数，均无法复算。" if n_rec == 0 else
                   f"其中{n_rec}处可复算。")), lang))
    if not out:
        out.append(_t(("The claims include none of the figures these findings are built on.",
                       "数据不含这些结论所依据的任何数字。"), lang))
    return out


# --------------------------------------------------------------------------- output columns

#: Columns of the tables the notebook writes, in order.
COST_COLUMNS = ["area", "programme", "programme_en", "programme_zh", "short_en", "short_zh",
                "measure", "measure_en", "measure_zh", "is_primary", "amount_yuan", "count",
                "count_unit", "count_qualifier", "cost_yuan", "cost_unit", "cost_qualifier",
                "targeting", "claim_ids"]
REACH_COLUMNS = ["area", "programme", "programme_en", "programme_zh", "short_en", "short_zh",
                 "measure", "measure_en", "measure_zh", "count", "count_unit", "count_qualifier",
                 "registered_count", "share_of_registered_pct", "share_qualifier",
                 "is_comparable", "is_beyond_registered", "targeting", "note_en", "note_zh",
                 "claim_ids"]
TARGETING_COLUMNS = ["programme", "programme_en", "programme_zh", "targeting",
                     "is_registered_poor_only", "targeting_wording", "targeting_basis",
                     "marker", "max_share_of_registered_pct",
                     "max_share_qualifier", "is_beyond_registered", "is_contradicted_by_numbers",
                     "reason_en", "reason_zh", "claim_ids"]
COVERAGE_COLUMNS = ["area", "statement_en", "statement_zh", "scope_en", "scope_zh",
                    "is_registered_poor_scope", "printed_pct", "recomputed_pct", "is_recomputable",
                    "is_consistent", "claim_ids"]
PROGRAMME_COLUMNS = ["area", "area_en", "area_zh", "programme", "programme_en", "programme_zh",
                     "short_en", "short_zh", "is_spending", "amount_yuan", "amount_qualifier",
                     "beneficiaries", "beneficiary_unit", "beneficiaries_qualifier",
                     "cost_per_beneficiary_yuan", "cost_unit", "cost_qualifier", "period_text",
                     "period_start", "period_end", "targeting", "is_registered_poor_only",
                     "targeting_marker", "targeting_reason_en", "targeting_reason_zh",
                     "targeting_wording", "targeting_basis", "claim_ids"]
