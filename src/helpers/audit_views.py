"""Notebook 04 (audit): views of the audit, the money across programmes, and coverage.

The audit itself lives in :mod:`helpers.audit` (:func:`~helpers.audit.run_audit`:
one row per check, with a verdict).  This module turns it into what a reviewer
reads:

- **the audit table**, annotated with each check's chapter, *kind* (an equality
  the text implies, a part that must not exceed its whole, a plausibility range,
  a figure the article only implies, a context comparison), a bilingual label,
  the unit of its numbers and the rounding band its printed figures allow
  (:func:`annotate_audit`, :func:`display_audit`, :func:`audit_figure`);
- **which claims the audit reaches** (:func:`claim_reach`);
- **money across all programmes**: every claim in yuan (amounts, not per-unit
  ``yuan_per_*`` figures), classified as poverty-targeted or not from the wording
  of the article (:func:`money_classification`, :data:`TARGET_MARKERS`; chapter 1's
  decisions are those of :mod:`helpers.closing_gaps`), with
  the years its period covers and the amount per year (:func:`money_table`,
  :func:`money_totals`, :func:`money_figure`);
- **coverage**: every numeric mention of the article with its claim or its
  reason for exclusion (:func:`coverage`, :func:`coverage_summary`);
- the notebook's **findings**, every number computed from the tables above.

Nothing is computed at import time; every number comes from the claims table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import audit as au
from . import formatting as fmt
from . import units
from .claims import get_claim
from .formatting import check_lang as _check_lang
from .formatting import is_missing as _missing
from .formatting import pick as _t

#: The chapter colour this notebook uses (``plotting.CHAPTER_COLORS[4]``, the audit).
CHAPTER = 4

LANGS = ("en", "zh")


# =========================================================================== labels

#: Verdicts of :mod:`helpers.audit` with display labels (English, Chinese).
VERDICT_LABELS: dict[str, tuple[str, str]] = {
    "consistent": ("consistent", "一致"),
    "rounding": ("within rounding", "舍入范围内"),
    "discrepancy": ("discrepancy", "不一致"),
    "not_checkable": ("not checkable", "无法核对"),
}

#: Kinds of check: what the comparison means (English, Chinese).
KIND_LABELS: dict[str, tuple[str, str]] = {
    "equality": ("should agree", "应当相等"),
    "inequality": ("part ≤ whole", "部分≤整体"),
    "plausibility": ("plausible range", "合理范围"),
    "implied": ("implied only", "仅可推算"),
    "context": ("context comparison", "背景比较"),
}

#: The article's chapters (chapter 0 is the lead), English and Chinese.
CHAPTER_LABELS: dict[int, tuple[str, str]] = {
    0: ("Lead: headline figures", "导语：总体数字"),
    1: ("1 Closing gaps (补短强弱)", "1 补短强弱"),
    2: ("2 Teaching to fish (授人以渔)", "2 授人以渔"),
    3: ("3 Acting in concert (同频共振)", "3 同频共振"),
}

#: Units the audit's numbers are expressed in: (English, Chinese); ``yuan`` is
#: shown in the notebook's money unit.
DISPLAY_UNITS: dict[str, tuple[str, str]] = {
    "yuan": ("yuan", "元"),
    "percent": ("%", "%"),
    "persons": ("persons", "人"),
    "person_times": ("person-times", "人次"),
    "households": ("households", "户"),
    "villages": ("villages", "个村"),
    "industry_types": ("industry types", "大产业"),
    "dimensions": ("dimensions", "个维度"),
    "persons_per_household": ("persons per household", "人/户"),
    "yuan_per_person": ("yuan per person", "元/人"),
    "yuan_per_person_time": ("yuan per person-time", "元/人次"),
    "yuan_per_household": ("yuan per household", "元/户"),
    "yuan_per_project": ("yuan per project", "元/个项目"),
    "person_years": ("person-years", "人年"),
    "person_times_per_session": ("person-times per session", "人次/期"),
    "persons_per_carrier": ("persons per carrier", "人/个载体"),
    "birds_per_household": ("birds per household", "羽/户"),
    "mu_per_household": ("mu per household", "亩/户"),
}


@dataclass(frozen=True)
class CheckInfo:
    """How to read one audit check: its kind, the unit of its numbers, short labels."""

    kind: str
    unit: str
    en: str
    zh: str


#: Every check of :func:`helpers.audit.run_audit`, by check id.  Checks not listed
#: here (a future audit) fall back to :func:`guess_kind` and their description.
CHECK_INFO: dict[str, CheckInfo] = {
    "headline.lifted_households_within_registered": CheckInfo(
        "inequality", "households", "households lifted ≤ registered poor households",
        "已脱贫户数≤贫困户总户数"),
    "headline.lifted_persons_within_registered": CheckInfo(
        "inequality", "persons", "people lifted ≤ people registered", "已脱贫人数≤贫困户总人数"),
    "headline.registered_household_size": CheckInfo(
        "plausibility", "persons_per_household", "size of registered poor households (1–10)",
        "贫困户户均人口（1–10）"),
    "headline.lifted_household_size": CheckInfo(
        "plausibility", "persons_per_household", "size of lifted households (1–10)",
        "已脱贫户户均人口（1–10）"),
    "headline.remaining_household_size": CheckInfo(
        "plausibility", "persons_per_household", "size of households not yet lifted (1–10)",
        "未脱贫户户均人口（1–10）"),
    "headline.incidence_implied_base": CheckInfo(
        "context", "persons",
        "population cited vs base implied by the poverty incidence",
        "所引人口与贫困发生率推算的基数"),
    "headline.villages_same_in_chapter_1": CheckInfo(
        "equality", "villages", "poor villages: lead = grid renovation (ch. 1)",
        "省定贫困村：导语＝电网改造（第1部分）"),
    "headline.households_reached_by_industry": CheckInfo(
        "equality", "households", "registered households = households reached by industry",
        "贫困户总户数＝产业带动户数"),
    "health.reimbursement_rate": CheckInfo(
        "equality", "percent", "reimbursement rate = compensation ÷ medical costs",
        "综合报销比例＝补偿金额÷医疗费用"),
    "health.compensation_within_costs": CheckInfo(
        "inequality", "yuan", "compensation ≤ medical costs settled", "补偿金额≤结算医疗费用"),
    "health.premium_payments_within_registered_years": CheckInfo(
        "inequality", "person_times",
        "premium payments ≤ one a year per registered poor person",
        "代缴医保人次≤贫困户总人数×年数（每人每年一次）"),
    "health.premium_per_person_time": CheckInfo(
        "implied", "yuan_per_person_time", "medical-insurance premium per person-time",
        "每人次代缴医保金额"),
    "education.living_allowance_per_person_time": CheckInfo(
        "implied", "yuan_per_person_time", "living allowance per pupil-time",
        "每人次生活补助"),
    "education.fee_waiver_per_person_time": CheckInfo(
        "implied", "yuan_per_person_time", "fee waiver per pupil-time", "每人次杂费减免"),
    "housing.renovation_funds_per_household": CheckInfo(
        "implied", "yuan_per_household", "renovation funds per renovated household",
        "每户危房改造资金"),
    "housing.renovation_beneficiaries_per_household": CheckInfo(
        "implied", "persons_per_household", "beneficiaries per renovated household",
        "每户危改受益人数"),
    "housing.relocated_household_size": CheckInfo(
        "implied", "persons_per_household", "size of relocated households", "搬迁户户均人口"),
    "housing.relocation_funds_per_person": CheckInfo(
        "implied", "yuan_per_person", "relocation funds per relocated person", "人均搬迁资金"),
    "housing.relocated_within_registered": CheckInfo(
        "inequality", "households", "relocated households ≤ registered poor households",
        "搬迁户数≤贫困户总户数"),
    "water.investment_per_new_person": CheckInfo(
        "implied", "yuan_per_person", "water investment per person newly covered",
        "新增覆盖人口人均饮水投资"),
    "social_security.pension_person_years": CheckInfo(
        "implied", "person_years", "person-years of pension premiums at the printed standard",
        "按代缴标准折算的代缴人年数"),
    "employment.poor_intentions_within_all": CheckInfo(
        "inequality", "persons", "poor job intentions ≤ all job intentions",
        "贫困户就业意向≤全部就业意向"),
    "employment.participants_per_session": CheckInfo(
        "implied", "person_times_per_session", "training person-times per session",
        "每期培训人次"),
    "employment.training_subsidy_per_person_time": CheckInfo(
        "implied", "yuan_per_person_time", "training subsidy per person-time",
        "每人次技能培训补贴"),
    "employment.living_subsidy_per_person_time": CheckInfo(
        "implied", "yuan_per_person_time", "living subsidy per person-time", "每人次生活费补贴"),
    "employment.transport_subsidy_per_recipient": CheckInfo(
        "implied", "yuan_per_person", "transport subsidy per recipient", "人均一次性交通补助"),
    "employment.carrier_workers_within_registered": CheckInfo(
        "inequality", "persons", "carrier workers ≤ people registered",
        "载体吸纳就业人数≤贫困户总人数"),
    "employment.welfare_post_workers_within_registered": CheckInfo(
        "inequality", "persons", "welfare-post workers ≤ people registered",
        "公益岗位就业人数≤贫困户总人数"),
    "employment.workers_per_carrier": CheckInfo(
        "implied", "persons_per_carrier", "poor labourers per carrier", "每个载体吸纳人数"),
    "industry.funds_per_person_vs_registered": CheckInfo(
        "equality", "yuan_per_person", "funds per person = industry funds ÷ people registered",
        "人均财政资金＝产业资金÷贫困户总人数"),
    "industry.implied_persons_of_per_capita": CheckInfo(
        "implied", "persons", "people implied by the funds per person",
        "人均财政资金推算的人数"),
    "industry.funds_per_project": CheckInfo(
        "implied", "yuan_per_project", "industry funds per project", "每个项目产业资金"),
    "industry.nine_industry_types": CheckInfo(
        "equality", "industry_types", "number of industry types = industries named",
        "产业类别数＝句中列出的产业数"),
    "industry.camellia_within_registered": CheckInfo(
        "inequality", "households", "camellia households ≤ registered poor households",
        "油茶带动户数≤贫困户总户数"),
    "industry.camellia_employed_within_engaged": CheckInfo(
        "inequality", "households", "camellia employed ≤ camellia engaged households",
        "油茶劳动就业户≤油茶带动户"),
    "industry.poultry_within_registered": CheckInfo(
        "inequality", "households", "chicken households ≤ registered poor households",
        "养鸡户数≤贫困户总户数"),
    "industry.birds_per_household": CheckInfo(
        "implied", "birds_per_household", "chickens per raising household", "每户养鸡羽数"),
    "industry.camellia_mu_per_household": CheckInfo(
        "implied", "mu_per_household", "camellia mu per engaged household", "每户油茶亩数"),
    "industry.income_gain_total_vs_funds": CheckInfo(
        "context", "yuan", "industry funds vs income gain × households",
        "产业资金与户均增收×户数"),
    "motivation.campaign_dimensions": CheckInfo(
        "equality", "dimensions", "number of campaign dimensions = dimensions listed",
        "“四股四争”维度数＝列出的维度数"),
    "assignment.county_leaders_implied": CheckInfo(
        "implied", "persons", "county leaders implied (per village × poor villages)",
        "推算联点县级领导人数（每村人数×贫困村数）"),
    "assignment.first_secretaries_implied": CheckInfo(
        "implied", "persons", "first secretaries implied (per village × poor villages)",
        "推算驻村第一书记人数（每村人数×贫困村数）"),
    "assignment.organisation_cadres_implied": CheckInfo(
        "implied", "persons", "organisation cadres implied (per village × poor villages)",
        "推算对口指导组工干部人数（每村人数×贫困村数）"),
}


def guess_kind(row) -> str:
    """The kind of a check read from its row alone (for checks not in :data:`CHECK_INFO`).

    No stated figure: ``implied`` when not checkable, else ``plausibility``;
    not checkable with a stated figure: ``context``; a ``≤`` in the description:
    ``inequality``; otherwise ``equality``.
    """
    stated_missing = _missing(row["stated"])
    if stated_missing:
        return "implied" if row["verdict"] == "not_checkable" else "plausibility"
    if row["verdict"] == "not_checkable":
        return "context"
    if "≤" in str(row["description"]):
        return "inequality"
    return "equality"


def check_info(row) -> CheckInfo:
    """The :class:`CheckInfo` of an audit row: from :data:`CHECK_INFO`, else guessed."""
    info = CHECK_INFO.get(row["check_id"])
    if info is not None:
        return info
    text = str(row["description"])
    return CheckInfo(guess_kind(row), "", text, text)


# =========================================================================== audit


def audit_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The audit as written to ``tables/04_audit.csv``: :func:`helpers.audit.run_audit`.

    Columns exactly: check_id, description, stated, computed, relative_difference,
    verdict, claim_ids.
    """
    table = au.run_audit(claims)
    return table[au.AUDIT_COLUMNS]


def rounding_band(claims: pd.DataFrame, claim_ids: list[str]) -> tuple[float, bool]:
    """Relative difference the printing of the claims allows, and whether it is open-ended.

    The tolerance is the sum of the relative half-steps of the printed figures
    (a percentage printed to whole percent: 0.5 over the figure; an amount in 万元
    with two decimals: 50 yuan over the amount; whole counts printed in full: 0):
    to first order, the relative rounding of a ratio or a comparison of them.
    (:func:`helpers.audit.verdict` uses exact interval arithmetic; the two agree
    on every check of the Leiyang table.)  A figure printed with 余/多 has no
    upper bound: the band is then open-ended and the number returned covers the
    exact figures only.
    """
    tol, open_ended = 0.0, False
    for cid in claim_ids:
        fig = au.Figure.of(claims, cid)
        if math.isinf(fig.high):
            open_ended = True
            continue
        if fig.value:
            tol += (fig.high - fig.value) / abs(fig.value)
    return tol, open_ended


#: Claims whose printing illustrates the verdict rules (a rate to whole percent, an
#: amount in 亿元, a whole count, a "more than" count, a per-capita amount in yuan).
ROUNDING_EXAMPLES: tuple[str, ...] = (
    "health.reimbursement_rate",
    "health.one_stop_compensation",
    "industry.funds_per_person",
    "poverty.registered_persons",
    "industry.industry_types",
    "housing.renovation_beneficiaries",
)


def rounding_examples(claims: pd.DataFrame, claim_ids: tuple[str, ...] = ROUNDING_EXAMPLES,
                      lang: str = "en", money_unit: str = "wan") -> pd.DataFrame:
    """What a printed figure stands for: the interval :class:`helpers.audit.Figure` gives it.

    One row per claim (those absent from ``claims`` are skipped): the printed
    value, the interval (money in ``money_unit``) and the relative half-width;
    headers in ``lang``.
    """
    _check_lang(lang)
    rows = []
    for cid in claim_ids:
        if not (claims["id"] == cid).any():
            continue
        claim = get_claim(claims, cid)
        fig = au.Figure.of(claims, cid)
        unit = str(claim["base_unit"])
        scale = units.money_scale(money_unit) if unit == "yuan" else 1
        if unit == "yuan":
            label = units.money_label(money_unit, lang)
        else:
            label = _t(DISPLAY_UNITS.get(unit) or (units.unit_label(unit, "en"),
                                                   units.unit_label(unit, "zh")), lang)
        if unit == "yuan" and money_unit != "yuan" and lang == "en":
            label = f"× {label}"
        sep = " " if lang == "en" and unit != "percent" else ""
        note = ""
        if math.isinf(fig.high):
            numbers = f"≥ {fmt_number(fig.low / scale)}"
            note = _t((" (no upper bound)", "（无上限）"), lang)
            width = _t(("open-ended", "无上限"), lang)
        elif fig.low == fig.high:
            numbers = _t(("exactly ", "恰为"), lang) + fmt_number(fig.value / scale)
            width = "0"
        else:
            digits = _decimals((fig.high - fig.value) / scale)
            numbers = f"{fig.low / scale:,.{digits}f} – {fig.high / scale:,.{digits}f}"
            width = f"±{fmt_pct((fig.high - fig.value) / fig.value, 3)}"
        interval = f"{numbers}{sep}{label}{note}"
        rows.append({
            _t(("Figure", "数字"), lang): claim[f"indicator_{lang}"],
            _t(("As printed", "原文"), lang): claim["value_printed"],
            _t(("Stands for", "代表的范围"), lang): interval,
            _t(("Relative half-width", "相对半宽"), lang): width,
            "claim_ids": cid,
        })
    return pd.DataFrame(rows)


def _decimals(step: float) -> int:
    """Decimals that show a half-step (0.5 → 1, 0.005 → 3, 500,000 → 0)."""
    if step <= 0:
        return 0
    return max(0, -math.floor(math.log10(step)))


def claim_chapter(claims: pd.DataFrame, claim_id: str) -> int:
    """The chapter of a claim (0 = the lead)."""
    hit = claims.loc[claims["id"] == claim_id, "chapter"]
    if hit.empty:
        raise KeyError(f"claim {claim_id!r} is not in the claims table")
    return int(hit.iloc[0])


def bound_mark(claims: pd.DataFrame, claim_ids: list[str], kind: str) -> str:
    """``≥``/``≤`` for an implied figure derived from a 余/多 ("at least") claim.

    The first claim of an implied check is the numerator: "at least" there makes
    the result "at least" (≥); "at least" in a later claim (a denominator) makes
    it "at most" (≤).  Other kinds and exact inputs give ``""``.
    """
    if kind != "implied":
        return ""
    quals = [str(claims.loc[claims["id"] == c, "qualifier"].iloc[0]) for c in claim_ids]
    if quals and quals[0] == "at_least":
        return "≥"
    if any(q == "at_least" for q in quals[1:]):
        return "≤"
    return ""


def annotate_audit(audit: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """The audit table with reading aids, in the article's order.

    Adds: ``chapter`` (of the check's first claim), ``kind``, ``unit``, ``label_en``,
    ``label_zh``, ``tolerance`` (relative, :func:`rounding_band`), ``is_open_ended``,
    ``is_within_band`` (equality checks: ``|relative_difference| ≤ tolerance``),
    ``part_share`` (inequality checks: stated ÷ computed), ``ratio`` (context
    checks: stated ÷ computed) and ``bound`` (``≥``/``≤`` or ``""``).
    """
    rows = []
    for _, row in audit.iterrows():
        ids = str(row["claim_ids"]).split(";")
        info = check_info(row)
        tol, open_ended = rounding_band(claims, ids)
        stated, computed = row["stated"], row["computed"]
        both = not _missing(stated) and not _missing(computed) and computed != 0
        rel = row["relative_difference"]
        rows.append({
            **row.to_dict(),
            "chapter": claim_chapter(claims, ids[0]),
            "kind": info.kind, "unit": info.unit,
            "label_en": info.en, "label_zh": info.zh,
            "tolerance": tol, "is_open_ended": open_ended,
            "is_within_band": bool(info.kind == "equality" and not _missing(rel)
                                   and abs(rel) <= tol + 1e-12),
            "part_share": stated / computed if both and info.kind == "inequality" else math.nan,
            "ratio": stated / computed if both and info.kind == "context" else math.nan,
            "bound": bound_mark(claims, ids, info.kind),
        })
    out = pd.DataFrame(rows)
    return out.sort_values("chapter", kind="stable").reset_index(drop=True)


def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """Number of checks per verdict (every verdict of :data:`helpers.audit.VERDICTS`)."""
    counts = audit["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in au.VERDICTS}


# --------------------------------------------------------------------------- formatting


def fmt_number(value: float, digits: int | None = None) -> str:
    """:func:`helpers.formatting.fmt_number`, with ``∞`` for an infinite value."""
    if not _missing(value) and math.isinf(value):
        return "∞"
    return fmt.fmt_number(value, digits)


def money_number(yuan: float, money_unit: str = "wan") -> str:
    """An amount in ``money_unit`` with at least three significant digits (whole yuan)."""
    return fmt.money_number(yuan, money_unit, yuan_digits=0)


def fmt_money(yuan: float, money_unit: str = "wan", lang: str = "en") -> str:
    """An amount in yuan in ``money_unit``: ``12,345.67 × 10,000 yuan`` / ``12,345.67万元``.

    Whole yuan in ``yuan``; ``–`` for a missing amount.
    """
    _check_lang(lang)
    if _missing(yuan):
        return "–"
    return fmt.fmt_money(yuan, money_unit, lang, yuan_digits=0)


def fmt_value(value: float, unit: str, lang: str = "en", money_unit: str = "wan") -> str:
    """A stated or computed figure with its unit (money in ``money_unit``)."""
    if _missing(value):
        return "–"
    if unit == "yuan":
        return fmt_money(value, money_unit, lang)
    if unit == "percent":
        return f"{fmt_number(value)}%"
    label = _t(DISPLAY_UNITS[unit], lang) if unit in DISPLAY_UNITS else ""
    sep = " " if lang == "en" and label else ""
    return f"{fmt_number(value)}{sep}{label}"


def fmt_pct(share: float, digits: int = 1, signed: bool = False) -> str:
    """A share (0.123) as a percentage (``12.3%``; ``+12.3%`` when signed)."""
    if _missing(share):
        return "–"
    sign = "+" if signed else ""
    return f"{100 * share:{sign},.{digits}f}%"


def _comparison_text(row, lang: str) -> str:
    kind = row["kind"]
    rel = row["relative_difference"]
    if kind == "equality":
        tol = "∞" if row["is_open_ended"] else fmt_pct(row["tolerance"], _digits(row))
        return (f"{fmt_pct(rel, _digits(row), signed=True)}"
                + _t((f" (rounding allows ±{tol})", f"（舍入允许±{tol}）"), lang))
    if kind == "inequality":
        return _t((f"part = {fmt_pct(row['part_share'])} of whole",
                   f"部分为整体的{fmt_pct(row['part_share'])}"), lang)
    if kind == "context":
        return _t((f"stated = {row['ratio']:.2f} × computed",
                   f"原文＝推算的{row['ratio']:.2f}倍"), lang)
    return "–"


def _digits(row) -> int:
    """Decimals that show a relative difference against its tolerance (at least 2)."""
    smallest = min(v for v in (abs(row["relative_difference"]), row["tolerance"], 1.0)
                   if not _missing(v) and v > 0)
    return max(2, min(4, 1 - math.floor(math.log10(100 * smallest))))


def _computed_text(row, lang: str, money_unit: str) -> str:
    text = fmt_value(row["computed"], row["unit"], lang, money_unit)
    return f"{row['bound']} {text}".strip() if text != "–" else text


def display_audit(annotated: pd.DataFrame, lang: str = "en",
                  money_unit: str = "wan") -> pd.DataFrame:
    """The audit for reading: grouped by chapter, numbers formatted, headers in ``lang``.

    The chapter is printed on the first row of its group only.
    """
    _check_lang(lang)
    chapter = [_t(CHAPTER_LABELS.get(c, (str(c), str(c))), lang) for c in annotated["chapter"]]
    chapter = [c if i == 0 or c != chapter[i - 1] else "" for i, c in enumerate(chapter)]
    return pd.DataFrame({
        _t(("Chapter", "部分"), lang): chapter,
        _t(("Check", "核对项"), lang): annotated[f"label_{lang}"],
        _t(("Kind", "类型"), lang): [_t(KIND_LABELS[k], lang) for k in annotated["kind"]],
        _t(("Stated", "原文数值"), lang): [fmt_value(v, u, lang, money_unit) for v, u in
                                          zip(annotated["stated"], annotated["unit"],
                                              strict=True)],
        _t(("Computed", "推算数值"), lang): [_computed_text(r, lang, money_unit)
                                            for _, r in annotated.iterrows()],
        _t(("Stated vs computed", "原文与推算比较"), lang): [
            _comparison_text(r, lang) for _, r in annotated.iterrows()],
        _t(("Verdict", "结论"), lang): [_t(VERDICT_LABELS[v], lang)
                                        for v in annotated["verdict"]],
        "claim_ids": annotated["claim_ids"],
    })


def verdict_summary(annotated: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Checks per kind and verdict (a cross-table), headers in ``lang``."""
    _check_lang(lang)
    kinds = [k for k in KIND_LABELS if k in set(annotated["kind"])]
    rows = []
    for kind in kinds:
        part = annotated[annotated["kind"] == kind]
        counts = verdict_counts(part)
        rows.append({_t(("Kind of check", "核对类型"), lang): _t(KIND_LABELS[kind], lang),
                     **{_t(VERDICT_LABELS[v], lang): str(counts[v]) for v in au.VERDICTS},
                     _t(("Checks", "合计"), lang): str(len(part))})
    total = verdict_counts(annotated)
    rows.append({_t(("Kind of check", "核对类型"), lang): _t(("all", "全部"), lang),
                 **{_t(VERDICT_LABELS[v], lang): str(total[v]) for v in au.VERDICTS},
                 _t(("Checks", "合计"), lang): str(len(annotated))})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- claim reach

#: How far the audit reaches a claim: (English, Chinese).
REACH_LABELS: dict[str, tuple[str, str]] = {
    "checked": ("checked against other figures", "已与其他数字核对"),
    "implied_only": ("only used to derive implied figures", "仅用于推算"),
    "not_reached": ("in no check", "未参与任何核对"),
}


def claim_reach(claims: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """Each claim with how far the audit reaches it.

    ``checked``: the claim is in a check with a verdict (consistent, rounding or
    discrepancy); ``implied_only``: only in not-checkable rows; ``not_reached``: in
    no check.  Columns: ``chapter``, ``indicator_en``, ``indicator_zh``,
    ``value_printed``, ``reach``, ``n_checks``, ``check_ids``, ``claim_ids``.
    """
    rows = []
    for _, claim in claims.iterrows():
        cid = claim["id"]
        hits = audit[audit["claim_ids"].str.split(";").map(lambda ids, c=cid: c in ids)]
        verdicts = set(hits["verdict"])
        if verdicts - {"not_checkable"}:
            reach = "checked"
        elif verdicts:
            reach = "implied_only"
        else:
            reach = "not_reached"
        rows.append({"chapter": int(claim["chapter"]), "indicator_en": claim["indicator_en"],
                     "indicator_zh": claim["indicator_zh"],
                     "value_printed": claim["value_printed"], "reach": reach,
                     "n_checks": len(hits), "check_ids": ";".join(hits["check_id"]),
                     "claim_ids": cid})
    return pd.DataFrame(rows)


def reach_summary(reach: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Claims per chapter and reach (counts), with examples of claims in no check."""
    _check_lang(lang)
    rows = []
    for chapter in sorted(reach["chapter"].unique()):
        part = reach[reach["chapter"] == chapter]
        counts = part["reach"].value_counts()
        missing = part[part["reach"] == "not_reached"]
        rows.append({
            _t(("Chapter", "部分"), lang): _t(CHAPTER_LABELS.get(int(chapter),
                                                                (str(chapter),) * 2), lang),
            **{_t(REACH_LABELS[r], lang): str(int(counts.get(r, 0))) for r in REACH_LABELS},
            _t(("Claims", "合计"), lang): str(len(part)),
            _t(("In no check", "未核对的数字"), lang): "、".join(missing["value_printed"]) or "–",
        })
    counts = reach["reach"].value_counts()
    rows.append({_t(("Chapter", "部分"), lang): _t(("all", "全部"), lang),
                 **{_t(REACH_LABELS[r], lang): str(int(counts.get(r, 0))) for r in REACH_LABELS},
                 _t(("Claims", "合计"), lang): str(len(reach)),
                 _t(("In no check", "未核对的数字"), lang): ""})
    return pd.DataFrame(rows)


# =========================================================================== money

#: Words that make a money figure poverty-targeted when they name its recipients:
#: the registered poor (建档立卡), poor people, households or "poverty objects", or a
#: programme named for poverty relief (扶贫).
TARGET_MARKERS: tuple[str, ...] = ("建档立卡", "贫困人口", "贫困户", "贫困对象", "扶贫")


def markers_in(text: str) -> list[str]:
    """The :data:`TARGET_MARKERS` that occur in ``text``, in marker order."""
    return [m for m in TARGET_MARKERS if m in str(text)]


@dataclass(frozen=True)
class MoneyClass:
    """The reading of one money claim.

    ``evidence_zh`` is the article's word or phrase that names who the money
    reaches; ``is_targeted`` says whether they are the poor; ``is_in_total`` is
    false for an amount that is not money paid by a programme (a bill total).
    ``label_*`` name the programme in tables and figures, ``short_*`` in running text.
    """

    is_targeted: bool
    evidence_zh: str
    reason_en: str
    reason_zh: str
    label_en: str
    label_zh: str
    short_en: str
    short_zh: str
    is_in_total: bool = True
    total_note_en: str = ""
    total_note_zh: str = ""


#: Why an amount that is not money paid out is left out of the sums.
NOT_SPENDING_NOTE = ("a bill total, not money paid: the reimbursement within it is summed",
                     "为费用总额而非支付金额：其中的补偿金额已计入合计")

#: The money claims of chapter 2 (chapter 1's come from :mod:`helpers.closing_gaps`):
#: targeted or not, and why, from the article's wording.
CHAPTER2_MONEY: dict[str, MoneyClass] = {
    "employment.training_subsidy": MoneyClass(
        True, "发放贫困对象技能培训补贴",
        "training subsidies paid to poverty objects (贫困对象)", "发放给贫困对象的技能培训补贴",
        "Skills-training subsidies", "技能培训补贴", "training subsidies", "技能培训补贴"),
    "employment.living_subsidy": MoneyClass(
        True, "针对贫困户共举办技能培训",
        "living-cost subsidies of the training held for poor households (针对贫困户)",
        "针对贫困户举办的技能培训的生活费补贴",
        "Trainees' living-cost subsidies", "培训生活费补贴", "trainees' living subsidies",
        "培训生活费补贴"),
    "employment.transport_subsidy_amount": MoneyClass(
        True, "精准帮助贫困户实现就业",
        "the transport aid of the sentence before, which helps poor households (贫困户) "
        "into work",
        "前句所述帮助贫困户实现就业的交通补助", "Transport subsidies", "一次性交通补助",
        "transport subsidies", "交通补助"),
    "industry.funds": MoneyClass(
        True, "投入产业扶贫资金",
        "industrial poverty-relief funds (产业扶贫资金); their per-capita figure is per "
        "registered poor person (notebook 02)",
        "产业扶贫资金；人均数按建档立卡贫困人口计算（见笔记02）",
        "Industry poverty-relief funds", "产业扶贫资金", "industry funds", "产业扶贫资金"),
}


def from_programme(programme) -> MoneyClass:
    """A :class:`MoneyClass` from a :class:`helpers.closing_gaps.Programme`.

    ``registered_poor`` targeting is poverty-targeted; the marker word of the
    claim's quote is the evidence; a programme that is not spending (the bills
    settled) is left out of the sums.
    """
    spending = bool(programme.is_spending)
    return MoneyClass(
        programme.targeting == "registered_poor", programme.marker, programme.reason_en,
        programme.reason_zh, programme.en, programme.zh, programme.short_en,
        programme.short_zh, is_in_total=spending,
        total_note_en="" if spending else NOT_SPENDING_NOTE[0],
        total_note_zh="" if spending else NOT_SPENDING_NOTE[1])


def money_classification() -> dict[str, MoneyClass]:
    """Every reviewed money claim by id: chapter 1 as classified by
    :data:`helpers.closing_gaps.PROGRAMMES` (one decision for both notebooks),
    chapter 2 from :data:`CHAPTER2_MONEY`."""
    from .closing_gaps import PROGRAMMES

    out = {p.amount_id: from_programme(p) for p in PROGRAMMES}
    overlap = set(out) & set(CHAPTER2_MONEY)
    if overlap:
        raise ValueError(f"money claims classified twice: {', '.join(sorted(overlap))}")
    out.update(CHAPTER2_MONEY)
    return out


def money_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims that are amounts of money: ``base_unit == "yuan"`` (not ``yuan_per_*``)."""
    return claims[claims["base_unit"] == "yuan"]


def classify_by_markers(claim: pd.Series) -> MoneyClass:
    """Fallback for a money claim not reviewed in :func:`money_classification`: marker words.

    Targeted if the quote holds a :data:`TARGET_MARKERS` word (that word is the
    evidence); otherwise not, with the indicator as evidence.
    """
    found = markers_in(claim["quote"])
    label_en, label_zh = str(claim["indicator_en"]), str(claim["indicator_zh"])
    if found:
        return MoneyClass(True, found[0], f"the quote names {found[0]} (automatic)",
                          f"原文含“{found[0]}”（自动判断）", label_en, label_zh, label_en,
                          label_zh)
    return MoneyClass(False, label_zh, "the quote names no poverty group (automatic)",
                      "原文未限定贫困对象（自动判断）", label_en, label_zh, label_en, label_zh)


def classify(claim: pd.Series, reviewed: dict[str, MoneyClass] | None = None) -> MoneyClass:
    """The :class:`MoneyClass` of a money claim: reviewed (:func:`money_classification`),
    else by markers (:func:`classify_by_markers`)."""
    reviewed = money_classification() if reviewed is None else reviewed
    return reviewed.get(claim["id"]) or classify_by_markers(claim)


def years_covered(start, end) -> float:
    """Years from ``start`` to ``end`` inclusive; NaN if either is missing.

    Whole months when the period runs from the first of a month to the last day
    of a month (2015-01-01 – 2020-06-30: 66 months, 5.5 years); otherwise days
    ÷ 365.25.  Raises :class:`ValueError` if the period ends before it starts.
    """
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return math.nan
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    stop = end + pd.Timedelta(days=1)
    if start.day == 1 and stop.day == 1:
        return ((stop.year - start.year) * 12 + stop.month - start.month) / 12
    return (stop - start).days / 365.25


def per_year(amount: float, years: float) -> float:
    """``amount ÷ years``; NaN when the years are unknown or not positive."""
    if _missing(years) or years <= 0:
        return math.nan
    return amount / years


def money_table(claims: pd.DataFrame) -> pd.DataFrame:
    """Every money claim with its period, amount per year and targeting.

    Rows in the article's order.  Columns: ``chapter``, ``section``,
    ``programme_en``, ``programme_zh``, ``short_en``, ``short_zh``, ``amount_yuan``,
    ``is_at_least``,
    ``period_start``, ``period_end`` (ISO dates or ``""``), ``period_text``,
    ``has_printed_start``, ``years_covered``, ``amount_per_year_yuan`` (NaN
    without a start), ``is_poverty_targeted``, ``targeting_evidence_zh``,
    ``targeting_reason_en``, ``targeting_reason_zh``, ``is_in_total``,
    ``total_note_en``, ``total_note_zh``, ``claim_ids``.
    """
    rows = []
    reviewed = money_classification()
    for _, claim in money_claims(claims).sort_values("quote_offset", kind="stable").iterrows():
        c = classify(claim, reviewed)
        start, end = claim["period_start"], claim["period_end"]
        years = years_covered(start, end)
        amount = float(claim["value_base"])
        rows.append({
            "chapter": int(claim["chapter"]), "section": claim["section"],
            "programme_en": c.label_en, "programme_zh": c.label_zh,
            "short_en": c.short_en, "short_zh": c.short_zh,
            "amount_yuan": amount, "is_at_least": claim["qualifier"] == "at_least",
            "period_start": "" if pd.isna(start) else f"{pd.Timestamp(start):%Y-%m-%d}",
            "period_end": "" if pd.isna(end) else f"{pd.Timestamp(end):%Y-%m-%d}",
            "period_text": "" if pd.isna(claim["period_text"]) else str(claim["period_text"]),
            "has_printed_start": not pd.isna(start),
            "years_covered": years, "amount_per_year_yuan": per_year(amount, years),
            "is_poverty_targeted": c.is_targeted, "targeting_evidence_zh": c.evidence_zh,
            "targeting_reason_en": c.reason_en, "targeting_reason_zh": c.reason_zh,
            "is_in_total": c.is_in_total, "total_note_en": c.total_note_en,
            "total_note_zh": c.total_note_zh, "claim_ids": claim["id"],
        })
    return pd.DataFrame(rows)


#: Rows of :func:`money_totals`: key, English, Chinese.
TOTAL_ROWS: tuple[tuple[str, str, str], ...] = (
    ("all", "All money figures (summed)", "全部资金（合计）"),
    ("targeted", "… poverty-targeted", "…其中面向贫困人口"),
    ("not_targeted", "… not limited to the poor", "…其中不限于贫困人口"),
    ("with_start", "… with a printed start (per year: sum of yearly averages)",
     "…其中起始时间明确（每年：各项年均之和）"),
    ("start_not_printed", "… start not printed", "…其中未写明起始时间"),
    ("not_summed", "Not summed: not money paid", "未计入合计：非支付金额"),
)


def money_totals(money: pd.DataFrame) -> pd.DataFrame:
    """Totals of the money table with what qualifies them.

    Columns: ``key``, ``label_en``, ``label_zh``, ``n_figures``, ``amount_yuan``,
    ``is_at_least`` (a 余/多 amount is included), ``share_of_all_pct``,
    ``amount_per_year_yuan`` (the sum of yearly averages of the rows whose period is
    known, NaN if none), ``n_without_period``, ``period_starts`` (distinct printed
    starts), ``claim_ids``.
    """
    summed = money[money["is_in_total"]]
    groups = {
        "all": summed,
        "targeted": summed[summed["is_poverty_targeted"]],
        "not_targeted": summed[~summed["is_poverty_targeted"]],
        "with_start": summed[summed["has_printed_start"]],
        "start_not_printed": summed[~summed["has_printed_start"]],
        "not_summed": money[~money["is_in_total"]],
    }
    grand = summed["amount_yuan"].sum()
    rows = []
    for key, en, zh in TOTAL_ROWS:
        part = groups[key]
        known = part["amount_per_year_yuan"].dropna()
        rows.append({
            "key": key, "label_en": en, "label_zh": zh, "n_figures": len(part),
            "amount_yuan": float(part["amount_yuan"].sum()),
            "is_at_least": bool(part["is_at_least"].any()),
            "share_of_all_pct": (100 * part["amount_yuan"].sum() / grand
                                 if grand and key != "not_summed" else math.nan),
            "amount_per_year_yuan": float(known.sum()) if len(known) else math.nan,
            "n_without_period": int(part["amount_per_year_yuan"].isna().sum()),
            "period_starts": ";".join(sorted(s for s in set(part["period_start"]) if s)),
            "claim_ids": ";".join(part["claim_ids"]),
        })
    return pd.DataFrame(rows)


def _period_text(row, lang: str) -> str:
    if not row["has_printed_start"]:
        return _t((f"start not printed – {row['period_end'][:7]}",
                   f"起始未写明 – {row['period_end'][:7]}"), lang)
    return f"{row['period_start'][:7]} – {row['period_end'][:7]}"


def display_money(money: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> pd.DataFrame:
    """The money table for reading (strings, headers in ``lang``)."""
    _check_lang(lang)
    yes, no = _t(("yes", "是"), lang), _t(("no", "否"), lang)

    def amount(r):
        mark = "≥ " if r["is_at_least"] else ""
        return mark + fmt_money(r["amount_yuan"], money_unit, lang)

    def yearly(r):
        if _missing(r["amount_per_year_yuan"]):
            return "–"
        mark = "≥ " if r["is_at_least"] else ""
        return mark + fmt_money(r["amount_per_year_yuan"], money_unit, lang)

    def targeted(r):
        word = yes if r["is_poverty_targeted"] else no
        return f"{word}: {r['targeting_evidence_zh']}" if lang == "en" else \
            f"{word}：{r['targeting_evidence_zh']}"

    def note(r):
        if r["is_in_total"]:
            return r[f"targeting_reason_{lang}"]
        reason = str(r[f"targeting_reason_{lang}"]).rstrip(".。")
        return reason + _t(("; not summed: ", "；未计入合计："), lang) + r[f"total_note_{lang}"]

    return pd.DataFrame({
        _t(("Programme", "项目"), lang): money[f"programme_{lang}"],
        _t(("Amount", "金额"), lang): [amount(r) for _, r in money.iterrows()],
        _t(("Period (as printed)", "时期（原文）"), lang): [
            f"{_period_text(r, lang)} ({r['period_text'] or '–'})" if lang == "en"
            else f"{_period_text(r, lang)}（{r['period_text'] or '–'}）"
            for _, r in money.iterrows()],
        _t(("Years", "年数"), lang): money["years_covered"].map(lambda v: fmt_number(v, 1)),
        _t(("Per year", "年均"), lang): [yearly(r) for _, r in money.iterrows()],
        _t(("Poverty-targeted? (wording)", "是否面向贫困人口（原文依据）"), lang): [
            targeted(r) for _, r in money.iterrows()],
        _t(("Why", "理由"), lang): [note(r) for _, r in money.iterrows()],
        "claim_ids": money["claim_ids"],
    })


def display_totals(totals: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> pd.DataFrame:
    """The money totals for reading (strings, headers in ``lang``)."""
    _check_lang(lang)

    def amount(r, col):
        if _missing(r[col]):
            return "–"
        return ("≥ " if r["is_at_least"] else "") + fmt_money(r[col], money_unit, lang)

    return pd.DataFrame({
        _t(("Group", "类别"), lang): totals[f"label_{lang}"],
        _t(("Figures", "项数"), lang): totals["n_figures"].astype(str),
        _t(("Amount", "金额"), lang): [amount(r, "amount_yuan") for _, r in totals.iterrows()],
        _t(("Share", "占比"), lang): totals["share_of_all_pct"].map(
            lambda v: "–" if _missing(v) else f"{v:.1f}%"),
        _t(("Per year", "年均"), lang): [amount(r, "amount_per_year_yuan")
                                        for _, r in totals.iterrows()],
        _t(("Without a period", "无起止时间"), lang): totals["n_without_period"].astype(str),
        _t(("Periods start", "起始时间"), lang): totals["period_starts"].map(
            lambda s: "、".join(p[:7] for p in s.split(";")) if s else "–"),
        "claim_ids": totals["claim_ids"],
    })


# =========================================================================== coverage

#: Coverage statuses (English, Chinese).
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "claim": ("claim", "已列为数据"),
    "excluded": ("excluded, with a reason", "已排除（有理由）"),
    "uncovered": ("uncovered", "未覆盖"),
}

#: Kinds of numeric mention (:data:`helpers.extract.KINDS`), English and Chinese.
MENTION_KIND_LABELS: dict[str, tuple[str, str]] = {
    "quantity": ("quantity", "数量"),
    "year": ("year", "年份"),
    "year_range": ("year range", "年份区间"),
    "date": ("date", "日期"),
    "section_number": ("section number", "章节编号"),
    "formula": ("policy formula", "政策提法"),
    "chinese_numeral": ("Chinese numeral", "中文数字"),
    "other_number": ("other number", "其他数字"),
}


def coverage(claims: pd.DataFrame, text: str | None = None,
             exclusions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every numeric mention of the article → its claim ids or its exclusion reason.

    :func:`helpers.coverage.coverage_table` plus the ``chapter`` of each mention;
    ``text`` and ``exclusions`` default to the Leiyang article and exclusions.
    Columns: start, end, chapter, text, kind, status, claim_ids, reason, sentence.
    """
    from .coverage import coverage_table, load_exclusions
    from .extract import chapter_of, chapters
    from .paths import get_paths

    if text is None:
        text = get_paths().article.read_text(encoding="utf-8")
    if exclusions is None:
        exclusions = load_exclusions()
    table = coverage_table(text, claims, exclusions)
    parts = chapters(text)
    table.insert(2, "chapter", [chapter_of(int(s), parts) for s in table["start"]])
    return table


def coverage_counts(cov: pd.DataFrame, claims: pd.DataFrame) -> dict[str, int]:
    """Mentions by status, and how many claims the mentions account for."""
    counts = cov["status"].value_counts()
    found = {i for ids in cov.loc[cov["status"] == "claim", "claim_ids"]
             for i in str(ids).split(";") if i}
    return {"mentions": len(cov), **{s: int(counts.get(s, 0)) for s in STATUS_LABELS},
            "claims": len(claims), "claims_found": len(found & set(claims["id"]))}


def coverage_statement(cov: pd.DataFrame, claims: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: how many mentions, how many uncovered, whether every claim was found."""
    _check_lang(lang)
    c = coverage_counts(cov, claims)
    every = c["claims_found"] == c["claims"]
    if lang == "en":
        head = (f"{c['mentions']} numeric mentions: {c['claim']} claims, {c['excluded']} "
                f"excluded with a reason, {c['uncovered']} uncovered")
        tail = ("every claim of the table is found at its printed place" if every else
                f"only {c['claims_found']} of the {c['claims']} claims are found in the text")
        verdict = "none is uncovered" if c["uncovered"] == 0 else "SOME ARE UNCOVERED"
        return f"{head}; {verdict}; {tail}."
    head = (f"共{c['mentions']}处数字：数据{c['claim']}处，有理由排除{c['excluded']}处，"
            f"未覆盖{c['uncovered']}处")
    tail = ("数据表中每个数据都在原文相应位置找到" if every else
            f"{c['claims']}个数据中只有{c['claims_found']}个在原文中找到")
    verdict = "没有未覆盖的数字" if c["uncovered"] == 0 else "存在未覆盖的数字"
    return f"{head}；{verdict}；{tail}。"


def coverage_summary(cov: pd.DataFrame, lang: str = "en", examples: int = 4) -> pd.DataFrame:
    """Mentions grouped by status and kind: count and the first few, headers in ``lang``."""
    _check_lang(lang)
    rows = []
    order = {s: i for i, s in enumerate(STATUS_LABELS)}
    kinds = {k: i for i, k in enumerate(MENTION_KIND_LABELS)}
    groups = cov.groupby(["status", "kind"], sort=False)
    keys = sorted(groups.groups, key=lambda k: (order.get(k[0], 99), kinds.get(k[1], 99)))
    for status, kind in keys:
        part = groups.get_group((status, kind))
        shown = list(part["text"].str.replace(r"\s+", "", regex=True))[:examples]
        more = len(part) - len(shown)
        listing = "、".join(shown) + (_t((f" … (+{more})", f"……（另{more}个）"), lang)
                                     if more > 0 else "")
        rows.append({
            _t(("Status", "状态"), lang): _t(STATUS_LABELS.get(status, (status,) * 2), lang),
            _t(("Kind of mention", "数字类型"), lang):
                _t(MENTION_KIND_LABELS.get(kind, (kind,) * 2), lang),
            _t(("Mentions", "个数"), lang): str(len(part)),
            _t(("Examples", "示例"), lang): listing,
        })
    if "uncovered" not in set(cov["status"]):
        rows.append({_t(("Status", "状态"), lang): _t(STATUS_LABELS["uncovered"], lang),
                     _t(("Kind of mention", "数字类型"), lang): _t(("any", "任意"), lang),
                     _t(("Mentions", "个数"), lang): "0", _t(("Examples", "示例"), lang): "–"})
    return pd.DataFrame(rows)


def display_exclusions(cov: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The excluded mentions with their reasons, in text order (headers in ``lang``)."""
    _check_lang(lang)
    part = cov[cov["status"] == "excluded"]
    return pd.DataFrame({
        _t(("Offset", "位置"), lang): part["start"].astype(str),
        _t(("Mention", "原文"), lang): part["text"],
        _t(("Kind", "类型"), lang): [_t(MENTION_KIND_LABELS.get(k, (k,) * 2), lang)
                                     for k in part["kind"]],
        _t(("Reason (exclusions file)", "排除理由（排除表）"), lang): part["reason"],
        "claim_ids": part["claim_ids"],
    })


# =========================================================================== figures


def _palette(n: int) -> list[str]:
    from .plotting import chapter_palette

    return chapter_palette(CHAPTER, n)


#: Marker and shade (index into a 4-shade chapter palette, light → dark) per verdict.
VERDICT_STYLE: dict[str, tuple[str, int, float]] = {
    "consistent": ("o", 2, 70.0),
    "rounding": ("D", 1, 70.0),
    "discrepancy": ("X", 3, 150.0),
    "not_checkable": ("s", 0, 60.0),
}


def _verdict_colour(verdict: str) -> str:
    shades = _palette(4)
    if verdict == "discrepancy":
        return "#000000"
    return shades[VERDICT_STYLE[verdict][1]]


def _scatter_verdicts(ax, xs, ys, verdicts) -> None:
    for x, y, v in zip(xs, ys, verdicts, strict=True):
        marker, _, size = VERDICT_STYLE[v]
        ax.scatter([x], [y], marker=marker, s=size, color=_verdict_colour(v),
                   edgecolor="black", linewidth=0.6, zorder=3)


def audit_figure(annotated: pd.DataFrame, lang: str = "en"):
    """Stated against computed for every check that has both, one panel per kind.

    Top: checks where two figures should agree, as the relative difference
    (stated − computed) ÷ computed in %, on a symmetric log scale, with the band
    the printed rounding allows.  Middle: parts that must not exceed their whole,
    as part ÷ whole (an inequality has no relative difference: it holds or not);
    the axis reaches past the largest part, and a part beyond its whole is labelled
    with its share.  Bottom: context comparisons (not checkable), stated ÷
    computed on a log scale.  Markers and shades by verdict.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    _check_lang(lang)
    both = annotated[annotated["stated"].notna() & annotated["computed"].notna()]
    # an equality is drawn by its relative difference, an inequality by its share of the whole
    both = both[(both["kind"] != "equality") | both["relative_difference"].notna()]
    both = both[(both["kind"] != "inequality") | both["part_share"].notna()]
    panels = [(k, both[both["kind"] == k]) for k in ("equality", "inequality", "context")]
    panels = [(k, p) for k, p in panels if len(p)]
    sizes = [len(p) for _, p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9.5, 1.6 + 0.42 * sum(sizes)
                                                       + 0.9 * len(panels)),
                             gridspec_kw={"height_ratios": [s + 1.2 for s in sizes]},
                             squeeze=False)
    band_colour = _palette(4)[0]
    for ax, (kind, part) in zip(axes[:, 0], panels, strict=True):
        ys = list(range(len(part)))
        labels = list(part[f"label_{lang}"])
        if kind == "equality":
            xs = [100 * v for v in part["relative_difference"]]
            for y, tol, open_ended in zip(ys, part["tolerance"], part["is_open_ended"],
                                          strict=True):
                half = 100 * tol
                ax.plot([-half, half], [y, y], color=band_colour, linewidth=9,
                        solid_capstyle="butt", zorder=1)
                if open_ended:
                    ax.annotate("", xy=(200, y), xytext=(half, y),
                                arrowprops={"arrowstyle": "->", "color": band_colour})
            ax.axvline(0, color="black", linewidth=0.8, zorder=2)
            ax.set_xscale("symlog", linthresh=0.1, linscale=1.0)
            top = max(20.0, 2 * max(abs(x) for x in xs))
            ax.set_xlim(-top, top)
            ticks = [t for t in (-100, -10, -1, -0.1, 0, 0.1, 1, 10, 100) if abs(t) <= top]
            ax.set_xticks(ticks, [f"{t:+g}%" if t else "0" for t in ticks])
            ax.set_xlabel(_t(("relative difference (stated − computed) ÷ computed, % "
                              "(symmetric log scale; linear within ±0.1%)",
                              "相对差异（原文−推算）÷推算，%（对称对数刻度，±0.1%内为线性）"),
                             lang), fontsize=9)
            for x, y, v in zip(xs, ys, part["verdict"], strict=True):
                if v in ("rounding", "discrepancy"):
                    ax.annotate(f"{x:+.2f}%", (x, y), xytext=(0, 9), textcoords="offset points",
                                ha="center", fontsize=9)
            title = _t(("Figures that should agree (band: what printed rounding allows)",
                        "应当相等的数字（灰带：印刷舍入允许的范围）"), lang)
        elif kind == "inequality":
            xs = [100 * v for v in part["part_share"]]
            right = max(130.0, 1.12 * max(xs))
            ax.axvline(100, color="black", linewidth=1, linestyle="--")
            ax.axvspan(100, right, color=band_colour, alpha=0.5, zorder=0)
            ax.text(101.5, -0.8, _t(("part > whole: impossible", "部分>整体：不可能"), lang),
                    fontsize=8, va="center")
            ax.set_xlim(0, right)
            for x, y, v in zip(xs, ys, part["verdict"], strict=True):
                if v == "discrepancy":
                    ax.annotate(f"{x:.1f}%", (x, y), xytext=(0, 9), textcoords="offset points",
                                ha="center", fontsize=9)
            ax.set_xlabel(_t(("part as % of its whole", "部分占整体的百分比"), lang), fontsize=9)
            title = _t(("Parts that must not exceed their whole", "部分不应超过整体"), lang)
        else:
            xs = list(part["ratio"])
            ax.axvline(1, color="black", linewidth=0.8)
            ax.set_xscale("log")
            ax.set_xlim(min(0.5, min(xs) / 2), max(2.0, max(xs) * 2.5))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda val, _pos: f"×{val:g}"))
            for x, y in zip(xs, ys, strict=True):
                ax.annotate(f"×{x:.2f}", (x, y), xytext=(8, 0), textcoords="offset points",
                            va="center", fontsize=9)
            ax.set_xlabel(_t(("stated ÷ computed (log scale); no agreement expected",
                              "原文÷推算（对数刻度）；不要求相等"), lang), fontsize=9)
            title = _t(("Context comparisons (not checkable)", "背景比较（无法核对）"), lang)
        _scatter_verdicts(ax, xs, ys, list(part["verdict"]))
        ax.set_yticks(ys, labels, fontsize=9)
        ax.set_ylim(len(part) - 0.5, -1.3)
        ax.grid(axis="y", visible=False)
        ax.set_title(title, loc="left", fontsize=10)
    handles = [Line2D([], [], marker=VERDICT_STYLE[v][0], linestyle="",
                      markerfacecolor=_verdict_colour(v), markeredgecolor="black",
                      markersize=8, label=_t(VERDICT_LABELS[v], lang))
               for v in au.VERDICTS if v in set(both["verdict"])]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0),
               ncol=len(handles), frameon=False, fontsize=9)
    fig.suptitle(audit_title(annotated, lang), x=0.01, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0.035, 1, 1))
    return fig


def _short_name(row, lang: str) -> str:
    """A check's label up to its relation sign (``funds per person``, ``代缴医保人次``)."""
    label = str(row[f"label_{lang}"])
    for sign in (" = ", "＝", " ≤ ", "≤"):
        label = label.split(sign)[0]
    return label.strip()


def _discrepancy_size(row, lang: str) -> str:
    """How far a discrepancy is off: the relative difference, or the part's share of its whole."""
    if row["kind"] == "inequality" and not _missing(row["part_share"]):
        share = fmt_pct(row["part_share"])
        return _t((f"part = {share} of whole", f"部分为整体的{share}"), lang)
    if not _missing(row["relative_difference"]):
        return fmt_pct(row["relative_difference"], 2, signed=True)
    return _t((f"computed {fmt_number(row['computed'])}", f"推算{fmt_number(row['computed'])}"),
              lang)


def audit_title(annotated: pd.DataFrame, lang: str = "en") -> str:
    """The finding of the audit figure: how many equalities and parts hold, every discrepancy."""
    _check_lang(lang)
    eq = annotated[annotated["kind"] == "equality"]
    ok = int(eq["verdict"].isin(["consistent", "rounding"]).sum())
    ineq = annotated[annotated["kind"] == "inequality"]
    ineq_ok = int((ineq["verdict"] == "consistent").sum())
    bad = annotated[annotated["verdict"] == "discrepancy"]
    listed = [f"{_short_name(r, lang)} ({_discrepancy_size(r, lang)})" if lang == "en" else
              f"{_short_name(r, lang)}（{_discrepancy_size(r, lang)}）"
              for _, r in bad.iterrows()]
    if lang == "en":
        line1 = (f"{ok} of {len(eq)} pairs of figures that should agree do, within rounding; "
                 f"{ineq_ok} of {len(ineq)} parts stay within their whole")
        word = "discrepancy" if len(bad) == 1 else "discrepancies"
        line2 = f"{len(bad)} {word}: " + "; ".join(listed) if len(bad) else "no discrepancy"
        return f"{line1}\n{line2}"
    line1 = (f"{len(eq)}组应当相等的数字中{ok}组在印刷舍入范围内一致；"
             f"{len(ineq)}项部分与整体的比较中{ineq_ok}项未超出整体")
    line2 = f"{len(bad)}项不一致：" + "；".join(listed) if len(bad) else "没有不一致"
    return f"{line1}\n{line2}"


def money_figure(money: pd.DataFrame, lang: str = "en", money_unit: str = "wan"):
    """Each money figure as a bar over the period it covers, and its amount per year.

    Left: a bar from ``period_start`` to ``period_end``; figures without a printed
    start are drawn below a divider, dotted back to the axis edge and marked
    "start not printed".  Right (log scale): the amount (open circle) and the
    amount per year (filled dot) in ``money_unit``.  Dark: poverty-targeted;
    light: not limited to the poor; outlined: not summed (a bill total).
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    _check_lang(lang)
    light, _, dark = _palette(3)
    ordered = pd.concat([
        money[money["has_printed_start"]].sort_values(["period_start", "amount_yuan"],
                                                      ascending=[True, False], kind="stable"),
        money[~money["has_printed_start"]].sort_values("amount_yuan", ascending=False,
                                                       kind="stable")])
    n_dated = int(money["has_printed_start"].sum())
    ys = [i if i < n_dated else i + 1 for i in range(len(ordered))]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12.0, 2.2 + 0.4 * (len(ordered) + 1)),
                                      gridspec_kw={"width_ratios": [1.2, 1.0]}, sharey=True)
    starts = pd.to_datetime(ordered.loc[ordered["has_printed_start"], "period_start"])
    ends = pd.to_datetime(ordered["period_end"].replace("", None))
    lo = mdates.date2num(starts.min() - pd.DateOffset(months=9))
    hi = mdates.date2num(ends.max() + pd.DateOffset(months=3))
    for y, (_, r) in zip(ys, ordered.iterrows(), strict=True):
        colour = dark if r["is_poverty_targeted"] else light
        face = colour if r["is_in_total"] else "white"
        end = mdates.date2num(pd.Timestamp(r["period_end"]))
        if r["has_printed_start"]:
            start = mdates.date2num(pd.Timestamp(r["period_start"]))
            left.barh(y, end - start, left=start, height=0.6, color=face, edgecolor=colour,
                      linewidth=1.2)
        else:
            left.barh(y, end - lo, left=lo, height=0.6, color="white", edgecolor=colour,
                      linewidth=1.2, linestyle=":", hatch="..")
            left.text(lo + 30, y, _t(("start not printed", "起始未写明"), lang), va="center",
                      fontsize=8, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    left.set_xlim(lo, hi)
    left.xaxis.set_major_locator(mdates.YearLocator())
    left.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    left.set_xlabel(_t(("period covered (bar: printed start to end)",
                        "覆盖时期（条形：起止时间）"), lang), fontsize=9)
    if n_dated < len(ordered):
        for ax in (left, right):
            ax.axhline(n_dated, color="black", linewidth=0.6, linestyle="--")
    labels = [r[f"programme_{lang}"] for _, r in ordered.iterrows()]
    left.set_yticks(ys, labels, fontsize=9)
    left.set_ylim(max(ys) + 0.6, -0.6)
    amounts = units.to_money_unit(ordered["amount_yuan"], money_unit)
    yearly = units.to_money_unit(ordered["amount_per_year_yuan"], money_unit)
    for y, a, pyr, (_, r) in zip(ys, amounts, yearly, ordered.iterrows(), strict=True):
        colour = dark if r["is_poverty_targeted"] else light
        if not _missing(pyr):
            right.plot([pyr, a], [y, y], color=colour, linewidth=1.5, zorder=1)
            right.scatter([pyr], [y], color=colour, edgecolor="black", linewidth=0.5, s=40,
                          zorder=3)
        right.scatter([a], [y], facecolor="white", edgecolor=colour if r["is_in_total"]
                      else "black", linewidth=1.5, s=55, zorder=3)
        mark = "≥" if r["is_at_least"] else ""
        right.annotate(f"{mark}{money_number(r['amount_yuan'], money_unit)}", (a, y),
                       xytext=(7, 0), textcoords="offset points", va="center", fontsize=8)
    right.set_xscale("log")
    positive = [v for v in list(amounts) + list(yearly) if not _missing(v) and v > 0]
    right.set_xlim(min(positive) / 2, max(positive) * 8)
    right.xaxis.set_major_formatter(FuncFormatter(
        lambda val, _pos: f"{val:,.0f}" if val >= 1 else f"{val:g}"))
    right.set_xlabel(_t((f"{units.money_label(money_unit, 'en')} (log scale): "
                         "○ amount, ● per year of its period",
                         f"{units.money_label(money_unit, 'zh')}（对数刻度）：○ 金额，● 年均"),
                        lang), fontsize=9)
    for ax in (left, right):
        ax.grid(axis="y", visible=False)
    handles = [Patch(facecolor=dark, edgecolor=dark,
                     label=_t(("poverty-targeted (wording names the poor)",
                               "面向贫困人口（原文指明贫困对象）"), lang)),
               Patch(facecolor=light, edgecolor=light,
                     label=_t(("not limited to the poor", "不限于贫困人口"), lang)),
               Patch(facecolor="white", edgecolor=dark,
                     label=_t(("not summed (a bill total)", "未计入合计（费用总额）"), lang))]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=3,
               frameon=False, fontsize=9)
    fig.suptitle(money_title(money, lang, money_unit), x=0.01, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0.045, 1, 1))
    return fig


def money_title(money: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> str:
    """The finding of the money figure: the total, its targeted share, the periods."""
    _check_lang(lang)
    totals = money_totals(money).set_index("key")
    whole = totals.loc["all"]
    targeted = totals.loc["targeted"]
    mark = "≥ " if whole["is_at_least"] else ""
    starts = sorted({s[:4] for s in money["period_start"] if s})
    span = f"{starts[0]}–{starts[-1]}" if len(starts) > 1 else (starts[0] if starts else "–")
    n_open = int(totals.loc["start_not_printed", "n_figures"])
    if lang == "en":
        return (f"{int(whole['n_figures'])} money figures sum to {mark}"
                f"{fmt_money(whole['amount_yuan'], money_unit, 'en')}, only "
                f"{targeted['share_of_all_pct']:.0f}% of it in programmes aimed at the poor;\n"
                f"their periods start in different years ({span}) and {n_open} print no start")
    mark_zh = "至少" if whole["is_at_least"] else ""
    return (f"{int(whole['n_figures'])}项资金合计{mark_zh}"
            f"{fmt_money(whole['amount_yuan'], money_unit, 'zh')}，其中面向贫困人口的项目仅占"
            f"{targeted['share_of_all_pct']:.0f}%；\n各项起始年份不同（{span}），"
            f"另有{n_open}项未写明起始时间")


# =========================================================================== findings


def _tolerance_clause(row, lang: str) -> str:
    """What the printing of a check's figures allows, as a clause."""
    if row["is_open_ended"]:
        return _t(("a 余/多 figure has no upper bound", "含余/多数字，无上限"), lang)
    if row["tolerance"] == 0:
        return _t(("whole counts, so no rounding", "均为整数计数，无舍入余地"), lang)
    tol = f"±{fmt_pct(row['tolerance'], _digits(row))}"
    return _t((f"rounding allows {tol}", f"舍入仅允许{tol}"), lang)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isascii() else text


def _join(items: list[str], lang: str) -> str:
    """``a, b and c`` (English, first letters lowered) or ``a、b、c`` (Chinese)."""
    if lang == "zh":
        return "、".join(items)
    items = [_lower_first(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _discrepancy_sentence(row, lang: str, money_unit: str = "wan") -> str:
    """One discrepancy: its label, stated and computed figures, and how far apart they are.

    Figures that should agree: the relative difference; a part beyond its whole: its
    share of the whole; both with what rounding allows.  A row without a stated
    figure (a plausibility range) gives the computed figure only.
    """
    stated = fmt_value(row["stated"], row["unit"], lang, money_unit)
    computed = fmt_value(row["computed"], row["unit"], lang, money_unit)
    tol = _tolerance_clause(row, lang)
    label = row[f"label_{lang}"]
    if _missing(row["stated"]):
        return _t((f"Does not hold: {label}: computed {computed}, outside the plausible range.",
                   f"不成立：{label}：推算{computed}，超出合理范围。"), lang)
    if row["kind"] == "inequality" and not _missing(row["part_share"]):
        share = fmt_pct(row["part_share"])
        return _t((f"Does not hold: {label}: stated {stated}, more than the computed whole of "
                   f"{computed} (the part is {share} of it; {tol}).",
                   f"不成立：{label}：原文{stated}，超过推算的整体{computed}"
                   f"（部分为整体的{share}；{tol}）。"), lang)
    if not _missing(row["relative_difference"]):
        rel = fmt_pct(row["relative_difference"], 2, True)
        return _t((f"Does not hold: {label}: stated {stated}, computed {computed} ({rel}; {tol}).",
                   f"不成立：{label}：原文{stated}，推算{computed}（{rel}；{tol}）。"), lang)
    return _t((f"Does not hold: {label}: stated {stated}, computed {computed}.",
               f"不成立：{label}：原文{stated}，推算{computed}。"), lang)


def findings(claims: pd.DataFrame, annotated: pd.DataFrame, money: pd.DataFrame,
             cov: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> list[str]:
    """The notebook's findings as sentences; every number comes from the tables."""
    _check_lang(lang)
    counts = verdict_counts(annotated)
    eq = annotated[annotated["kind"] == "equality"]
    eq_ok = int(eq["verdict"].isin(["consistent", "rounding"]).sum())
    bad = annotated[annotated["verdict"] == "discrepancy"]  # of every kind, in article order
    rounding = annotated[annotated["verdict"] == "rounding"]
    ineq = annotated[annotated["kind"] == "inequality"]
    plaus = annotated[annotated["kind"] == "plausibility"]
    plaus_ok = int((plaus["verdict"] == "consistent").sum())
    implied = annotated[annotated["kind"] == "implied"]
    context = annotated[annotated["kind"] == "context"].set_index("check_id")
    reach = claim_reach(claims, annotated)["reach"].value_counts()
    totals = money_totals(money).set_index("key")
    whole, tgt, not_tgt = totals.loc["all"], totals.loc["targeted"], totals.loc["not_targeted"]
    dated, open_start = totals.loc["with_start"], totals.loc["start_not_printed"]
    not_summed = money[~money["is_in_total"]]
    summed = money[money["is_in_total"]]
    others = list(summed.loc[~summed["is_poverty_targeted"], f"short_{lang}"])
    starts = [p[:4] for p in dated["period_starts"].split(";") if p]
    cc = coverage_counts(cov, claims)
    ineq_ok = int((ineq["verdict"] == "consistent").sum())
    n = {r: int(reach.get(r, 0)) for r in REACH_LABELS}

    def v(row, col):
        return fmt_value(row[col], row["unit"], lang, money_unit)

    def m(yuan, at_least=False):
        mark = _t(("at least ", "至少"), lang) if at_least else ""
        return mark + fmt_money(yuan, money_unit, lang)

    if lang == "en":
        out = [
            f"The audit runs {len(annotated)} checks: {counts['consistent']} consistent, "
            f"{counts['rounding']} within rounding, {counts['discrepancy']} discrepancies and "
            f"{counts['not_checkable']} that the article gives no second figure to check "
            "against.",
            f"What holds: {eq_ok} of {len(eq)} pairs of figures that should agree do"
            + (", " if len(plaus) else " and ")
            + f"{ineq_ok} of {len(ineq)} parts stay within their whole"
            + (f" and {plaus_ok} of {len(plaus)} average household sizes are plausible"
               if len(plaus) else "")
            + ("; " + "; ".join(f"{r['label_en']} holds only within rounding (stated "
                               f"{v(r, 'stated')}, computed {v(r, 'computed')})"
                               for _, r in rounding.iterrows()) if len(rounding) else "")
            + ".",
        ]
        out += [_discrepancy_sentence(r, "en", money_unit) for _, r in bad.iterrows()]
        out.append(
            f"Cannot be checked: {len(implied)} figures the article only implies (per-unit "
            f"amounts, household sizes, officials per village) and {len(context)} context "
            f"comparisons where no agreement is expected; of the {sum(n.values())} claims, "
            f"{n['checked']} are tested against another figure, {n['implied_only']} only feed "
            f"implied figures and {n['not_reached']} are in no check at all.")
        if "headline.incidence_implied_base" in context.index:
            r = context.loc["headline.incidence_implied_base"]
            rate = get_printed(claims, "poverty.poverty_incidence")
            out.append(f"The poverty incidence ({rate}) cannot be verified: with the people not "
                       f"yet lifted as numerator its base would be {fmt_number(r['computed'])} "
                       f"people, not the {fmt_number(r['stated'])} the article cites, and the "
                       "rural population it would be divided by is not printed.")
        out += [
            f"Money: the {int(whole['n_figures'])} amounts that are money paid sum to "
            f"{m(whole['amount_yuan'], whole['is_at_least'])}, a sum over periods starting in "
            f"{_join(starts, 'en')}, plus {int(open_start['n_figures'])} amounts with no "
            "printed start"
            + (", and with an 'at least' (余) amount in it" if whole["is_at_least"] else "")
            + f"; the {_join(list(not_summed['short_en']), 'en')} are left out because "
            "the reimbursement within them is counted.",
            f"Only {tgt['share_of_all_pct']:.1f}% of the sum ({m(tgt['amount_yuan'])} in "
            f"{int(tgt['n_figures'])} programmes) is aimed at the poor by the article's own "
            f"wording; {not_tgt['share_of_all_pct']:.1f}% "
            f"({m(not_tgt['amount_yuan'], not_tgt['is_at_least'])}) goes to programmes that "
            f"reach all eligible residents or everybody: {_join(others, 'en')}.",
            f"Spread over the periods printed, the amounts with a known start come to "
            f"{m(dated['amount_per_year_yuan'], dated['is_at_least'])} a year, of which "
            f"{m(tgt['amount_per_year_yuan'])} a year is poverty-targeted (without the "
            f"{int(tgt['n_without_period'])} targeted amounts with no printed start).",
            f"Coverage: the extractor finds {cc['mentions']} numeric mentions in the article; "
            f"{cc['claim']} are claims (accounting for {cc['claims_found']} of the "
            f"{cc['claims']} claims), {cc['excluded']} are excluded with a reason, and "
            f"{cc['uncovered']} are uncovered.",
        ]
        return out
    out = [
        f"共进行{len(annotated)}项核对：一致{counts['consistent']}项，在舍入范围内"
        f"{counts['rounding']}项，不一致{counts['discrepancy']}项，另有{counts['not_checkable']}项"
        "原文没有可供对照的第二个数字。",
        f"成立的：{len(eq)}组应当相等的数字中{eq_ok}组一致，{len(ineq)}项部分与"
        f"整体的比较中{ineq_ok}项未超出整体"
        + (f"，{len(plaus)}项户均人口中{plaus_ok}项在合理范围内" if len(plaus) else "")
        + ("；" + "；".join(f"{r['label_zh']}仅在舍入范围内成立（原文{v(r, 'stated')}，"
                           f"推算{v(r, 'computed')}）" for _, r in rounding.iterrows())
           if len(rounding) else "")
        + "。",
    ]
    out += [_discrepancy_sentence(r, "zh", money_unit) for _, r in bad.iterrows()]
    out.append(
        f"无法核对的：{len(implied)}个原文仅隐含的数字（单位金额、户均人口、每村干部数）和"
        f"{len(context)}项不要求相等的背景比较；{sum(n.values())}个数据中，{n['checked']}个与"
        f"其他数字核对过，{n['implied_only']}个仅用于推算，{n['not_reached']}个未参与任何核对。")
    if "headline.incidence_implied_base" in context.index:
        r = context.loc["headline.incidence_implied_base"]
        rate = get_printed(claims, "poverty.poverty_incidence")
        out.append(f"贫困发生率（{rate}）无法核实：若分子为未脱贫人口，其基数为"
                   f"{fmt_number(r['computed'])}人，而非原文所引的{fmt_number(r['stated'])}人；"
                   "应作分母的农村人口原文未给出。")
    out += [
        f"资金：属于支付金额的{int(whole['n_figures'])}项合计"
        f"{m(whole['amount_yuan'], whole['is_at_least'])}，"
        f"其时期分别起始于{_join(starts, 'zh')}年，"
        f"另有{int(open_start['n_figures'])}项未写明起始时间"
        + ("，且含“余”数" if whole["is_at_least"] else "")
        + f"；{_join(list(not_summed['short_zh']), 'zh')}未计入合计，"
        "因为其中的补偿金额已计入。",
        f"按原文措辞面向贫困人口的仅占合计的{tgt['share_of_all_pct']:.1f}%"
        f"（{int(tgt['n_figures'])}项共{m(tgt['amount_yuan'])}）；"
        f"{not_tgt['share_of_all_pct']:.1f}%（{m(not_tgt['amount_yuan'], not_tgt['is_at_least'])}）"
        f"属于面向全体符合条件居民或全体居民的项目：{_join(others, 'zh')}。",
        "按原文时期折算，起始时间明确的各项年均合计"
        f"{m(dated['amount_per_year_yuan'], dated['is_at_least'])}，其中面向贫困人口的年均"
        f"{m(tgt['amount_per_year_yuan'])}（不含{int(tgt['n_without_period'])}项"
        "未写明起始时间的面向贫困人口的资金）。",
        f"覆盖：提取程序在原文中找到{cc['mentions']}处数字；{cc['claim']}处为数据"
        f"（对应全部{cc['claims']}个数据中的{cc['claims_found']}个），{cc['excluded']}处有理由"
        f"排除，未覆盖{cc['uncovered']}处。",
    ]
    return out


def get_printed(claims: pd.DataFrame, claim_id: str) -> str:
    """A claim's value as printed in the article (``0.18%``)."""
    return str(get_claim(claims, claim_id)["value_printed"])
