"""Notebook 04 (audit): display and figures of the audit, the money and the coverage.

The audit itself is :mod:`helpers.analysis.audit` (relations declared in ``data/relations.csv``,
checked by :func:`~helpers.analysis.audit.run_audit`; the money table and its totals) and the
coverage is :mod:`helpers.data.coverage`.  This module only presents them: bilingual
labels, the audit annotated with reading aids (:func:`annotate_audit`), display
frames, the two figures and the findings sentences, whose every number comes from
the tables.  Nothing is computed at import time.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.analysis import audit as au
from helpers.data import units
from helpers.data.claims import get_claim
from helpers.display import formatting as fmt
from helpers.display.formatting import check_lang as _check_lang
from helpers.display.formatting import is_missing as _missing
from helpers.display.formatting import pick as _t

#: The chapter colour this notebook uses (``plotting.CHAPTER_COLORS[4]``, the audit).
CHAPTER = 4

LANGS = ("en", "zh")


# =========================================================================== labels

#: Verdicts of :mod:`helpers.analysis.audit` with display labels (English, Chinese).
VERDICT_LABELS: dict[str, tuple[str, str]] = {
    "consistent": ("consistent", "一致"),
    "rounding": ("within rounding", "舍入范围内"),
    "discrepancy": ("discrepancy", "不一致"),
    "tension": ("tension (under an assumption)", "存疑（基于假设）"),
    "ambiguous": ("ambiguous", "有歧义"),
    "implausible": ("implausible magnitude", "数额不合理"),
    "not_checkable": ("not checkable", "无法核对"),
}

#: How a check is read (the panels of the figure): English, Chinese.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "equality": ("should agree", "应当相等"),
    "inequality": ("part ≤ whole", "部分≤整体"),
    "plausibility": ("plausible range", "合理范围"),
    "implied": ("implied only", "仅可推算"),
    "context": ("context comparison", "背景比较"),
    "dated": ("dated statement", "有时点的陈述"),
}

#: The reading of each relation kind of :data:`helpers.analysis.audit.KIND_ROLES`.
RELATION_KIND: dict[str, str] = {
    "equal": "equality", "rate": "equality", "per_capita": "equality",
    "count_list": "equality", "implied_base": "equality", "share_by_date": "dated",
    "part_le_whole": "inequality", "once_a_year": "inequality",
    "per_semester": "inequality", "size_vs_register": "inequality",
    "household_size": "plausibility", "plausibility": "plausibility",
    "implied": "implied", "implied_product": "implied",
    "context_base": "context", "context_product": "context",
}

#: Relation kinds in words (English, Chinese).
RELATION_LABELS: dict[str, tuple[str, str]] = {
    "part_le_whole": ("part ≤ whole", "部分≤整体"),
    "equal": ("same figure printed twice", "同一数字两处出现"),
    "rate": ("rate = a ÷ b", "比率＝甲÷乙"),
    "per_capita": ("per unit = total ÷ base", "人均＝总额÷基数"),
    "implied_base": ("start and final incidence: implied bases", "期初与期末发生率推算的基数"),
    "household_size": ("household size in a band", "户均人口在合理区间"),
    "once_a_year": ("payments ≤ one a year per person", "每人每年至多一次"),
    "per_semester": ("pupils in some semester ≤ a head count", "某学期受益人数≤人数"),
    "size_vs_register": ("household size ≤ the register's", "户均人口≤建档立卡户均人口"),
    "count_list": ("count = items listed", "数目＝列举项数"),
    "share_by_date": ("share of a group by a date, against the reporting date",
                      "某一时点某群体的比例，与报道时点对照"),
    "implied": ("implied ratio", "推算比值"),
    "implied_product": ("implied product", "推算乘积"),
    "context_base": ("base beside a cited population", "推算基数与所引人口"),
    "context_product": ("product beside a cited figure", "推算乘积与所引数字"),
    "plausibility": ("magnitude per unit of scale", "单位规模数额"),
}


def chapter_label(chapter: int, lang: str = "en") -> str:
    """The source's chapter in words: 0 is the lead."""
    if int(chapter) == 0:
        return _t(("Lead", "导语"), lang)
    return _t((f"Chapter {int(chapter)}", f"第{int(chapter)}部分"), lang)


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
    "yuan_per_village": ("yuan per village", "元/村"),
}


# =========================================================================== audit


def rounding_band(claims: pd.DataFrame, claim_ids: list[str]) -> tuple[float, bool]:
    """Relative difference the printing of the claims allows, and whether it is open-ended.

    The tolerance is the sum of the relative half-steps of the printed figures
    (a percentage printed to whole percent: 0.5 over the figure; an amount in 万元
    with two decimals: 50 yuan over the amount; whole counts printed in full: 0):
    to first order, the relative rounding of a ratio or a comparison of them.
    (:func:`helpers.analysis.audit.verdict` uses exact interval arithmetic; the two agree
    on every check of the default claims.)  A figure printed with 余/多 has no
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
    """What a printed figure stands for: the interval :class:`~helpers.analysis.audit.Figure`
    gives it.

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


def annotate_audit(audit: pd.DataFrame, claims: pd.DataFrame,
                   relations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The audit table with reading aids, in the source's chapter order.

    Adds: ``chapter`` (of the check's first claim), ``kind`` (how to read it:
    :data:`RELATION_KIND`), ``unit``, ``label_en``, ``label_zh`` (from the
    relation), ``tolerance`` (relative, :func:`rounding_band`; for an
    ``implied_base`` relation its declared tolerance), ``is_open_ended``,
    ``is_within_band`` (equality checks: ``|relative_difference| ≤ tolerance``),
    ``part_share`` (inequality checks: stated ÷ computed), ``ratio`` (context
    checks: stated ÷ computed) and ``bound`` (``≥``/``≤`` or ``""``).
    """
    relations = au.all_relations() if relations is None else relations
    by_id = relations.set_index("relation_id")
    rows = []
    for _, row in audit.iterrows():
        ids = str(row["claim_ids"]).split(";")
        rel = by_id.loc[row["check_id"]]
        kind = RELATION_KIND[rel["kind"]]
        tol, open_ended = rounding_band(claims, ids)
        if rel["kind"] == "implied_base" and str(rel["tolerance"]).strip():
            tol = max(tol, float(rel["tolerance"]))
        stated, computed = row["stated"], row["computed"]
        both = not _missing(stated) and not _missing(computed) and computed != 0
        diff = row["relative_difference"]
        rows.append({
            **row.to_dict(),
            "chapter": claim_chapter(claims, ids[0]),
            "kind": kind, "unit": rel["unit"],
            "label_en": rel["label_en"], "label_zh": rel["label_zh"],
            "tolerance": tol, "is_open_ended": open_ended,
            "is_within_band": bool(kind == "equality" and not _missing(diff)
                                   and abs(diff) <= tol + 1e-12),
            "part_share": stated / computed if both and kind == "inequality" else math.nan,
            "ratio": stated / computed if both and kind == "context" else math.nan,
            "bound": bound_mark(claims, ids, kind),
            "range_min": _float(rel["min"]), "range_max": _float(rel["max"]),
            "assumption_zh": rel["assumption_zh"] or row.get("assumption_zh", ""),
        })
    out = pd.DataFrame(rows, columns=[*au.AUDIT_COLUMNS, "chapter", "kind", "unit", "label_en",
                                      "label_zh", "tolerance", "is_open_ended",
                                      "is_within_band", "part_share", "ratio", "bound",
                                      "range_min", "range_max"])
    return out.sort_values("chapter", kind="stable").reset_index(drop=True)


def _float(text) -> float:
    return float(text) if str(text).strip() else math.nan


def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """Number of checks per verdict (every verdict of :data:`helpers.analysis.audit.VERDICTS`)."""
    counts = audit["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in au.VERDICTS}


# --------------------------------------------------------------------------- formatting


def fmt_number(value: float, digits: int | None = None) -> str:
    """:func:`helpers.display.formatting.fmt_number`, with ``∞`` for an infinite value."""
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
    if kind == "equality" and row.get("relation") == "implied_base":
        tol = fmt_pct(row["tolerance"], 0)
        return (f"{fmt_pct(rel, 1, signed=True)}"
                + _t((f" (tolerance ±{tol})", f"（容差±{tol}）"), lang))
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
    chapter = [chapter_label(c, lang) for c in annotated["chapter"]]
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
    shown = [v for v in au.VERDICTS if v in set(annotated["verdict"])]
    rows = []
    for kind in kinds:
        part = annotated[annotated["kind"] == kind]
        counts = verdict_counts(part)
        rows.append({_t(("Kind of check", "核对类型"), lang): _t(KIND_LABELS[kind], lang),
                     **{_t(VERDICT_LABELS[v], lang): str(counts[v]) for v in shown},
                     _t(("Checks", "合计"), lang): str(len(part))})
    total = verdict_counts(annotated)
    rows.append({_t(("Kind of check", "核对类型"), lang): _t(("all", "全部"), lang),
                 **{_t(VERDICT_LABELS[v], lang): str(total[v]) for v in shown},
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
            _t(("Chapter", "部分"), lang): chapter_label(chapter, lang),
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


def display_relations(relations: pd.DataFrame, claims: pd.DataFrame,
                      lang: str = "en") -> pd.DataFrame:
    """Relations per kind: how many the claims can run, and the ids the others lack."""
    _check_lang(lang)
    gone = au.not_run(claims, relations)
    rows = []
    for kind in dict.fromkeys(relations["kind"]):
        declared = relations[relations["kind"] == kind]
        lacking = gone[gone["kind"] == kind]
        ids = sorted({i for m in lacking["missing"] for i in m.split(";")})
        rows.append({
            _t(("Relation", "关系"), lang): _t(RELATION_LABELS[kind], lang),
            _t(("Reading", "读法"), lang): _t(KIND_LABELS[RELATION_KIND[kind]], lang),
            _t(("Declared", "已声明"), lang): str(len(declared)),
            _t(("Run", "已核对"), lang): str(len(declared) - len(lacking)),
            _t(("Not run: ids absent", "未核对：缺少的数字"), lang): "、".join(ids) or "–",
        })
    return pd.DataFrame(rows)


# =========================================================================== money


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
        _t(("For the registered poor? (wording, numbers)",
            "是否面向建档立卡贫困人口（用词、数字）"), lang): [
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

#: Kinds of numeric mention (:data:`helpers.data.extract.KINDS`), English and Chinese.
MENTION_KIND_LABELS: dict[str, tuple[str, str]] = {
    "quantity": ("quantity", "数量"),
    "share": ("全部 (all)", "全部"),
    "year": ("year", "年份"),
    "year_range": ("year range", "年份区间"),
    "date": ("date", "日期"),
    "section_number": ("section number", "章节编号"),
    "formula": ("policy formula", "政策提法"),
    "chinese_numeral": ("Chinese numeral", "中文数字"),
    "other_number": ("other number", "其他数字"),
}


def coverage_counts(cov: pd.DataFrame, claims: pd.DataFrame) -> dict[str, int]:
    """Mentions by status, and how many claims the mentions account for."""
    counts = cov["status"].value_counts()
    found = {i for ids in cov.loc[cov["status"] == "claim", "claim_ids"]
             for i in str(ids).split(";") if i}
    return {"mentions": len(cov), **{s: int(counts.get(s, 0)) for s in STATUS_LABELS},
            "claims": len(claims), "claims_found": len(found & set(claims["id"]))}


def coverage_statement(cov: pd.DataFrame, claims: pd.DataFrame, lang: str = "en") -> str:
    """One sentence per source of the claims' metadata: mentions, uncovered, claims found."""
    _check_lang(lang)
    out = []
    for src in claims.attrs["meta"].sources:
        c = coverage_counts(cov[cov["source"] == src.id], claims[claims["source"] == src.path])
        every = c["claims_found"] == c["claims"]
        title = src.title(lang)
        if lang == "en":
            head = (f"{title} ({src.id}): {c['mentions']} numeric mentions: {c['claim']} claims, "
                    f"{c['excluded']} excluded with a reason, {c['uncovered']} uncovered")
            tail = (f"every one of its {c['claims']} claims is found at its printed place" if every
                    else f"only {c['claims_found']} of its {c['claims']} claims are found in the "
                    "text")
            verdict = "none is uncovered" if c["uncovered"] == 0 else (
                "SOME ARE UNCOVERED" + ("" if src.exclusions else " (no exclusions file)"))
            out.append(f"{head}; {verdict}; {tail}.")
            continue
        head = (f"{title or src.id}：共{c['mentions']}处数字：数据{c['claim']}处，"
                f"有理由排除{c['excluded']}处，未覆盖{c['uncovered']}处")
        tail = (f"其{c['claims']}个数据都在原文相应位置找到" if every else
                f"其{c['claims']}个数据中只有{c['claims_found']}个在原文中找到")
        verdict = "没有未覆盖的数字" if c["uncovered"] == 0 else (
            "存在未覆盖的数字" + ("" if src.exclusions else "（无排除表）"))
        out.append(f"{head}；{verdict}；{tail}。")
    return "\n".join(out)


def coverage_summary(cov: pd.DataFrame, lang: str = "en", examples: int = 4) -> pd.DataFrame:
    """Mentions grouped by source, status and kind: count and the first few, headers in
    ``lang``."""
    _check_lang(lang)
    rows = []
    order = {s: i for i, s in enumerate(STATUS_LABELS)}
    kinds = {k: i for i, k in enumerate(MENTION_KIND_LABELS)}
    sources = {s: i for i, s in enumerate(dict.fromkeys(cov["source"]))}
    groups = cov.groupby(["source", "status", "kind"], sort=False)
    keys = sorted(groups.groups, key=lambda k: (sources[k[0]], order.get(k[1], 99),
                                                kinds.get(k[2], 99)))
    for source, status, kind in keys:
        part = groups.get_group((source, status, kind))
        shown = list(part["text"].str.replace(r"\s+", "", regex=True))[:examples]
        more = len(part) - len(shown)
        listing = "、".join(shown) + (_t((f" … (+{more})", f"……（另{more}个）"), lang)
                                     if more > 0 else "")
        rows.append({
            _t(("Source", "来源"), lang): source,
            _t(("Status", "状态"), lang): _t(STATUS_LABELS.get(status, (status,) * 2), lang),
            _t(("Kind of mention", "数字类型"), lang):
                _t(MENTION_KIND_LABELS.get(kind, (kind,) * 2), lang),
            _t(("Mentions", "个数"), lang): str(len(part)),
            _t(("Examples", "示例"), lang): listing,
        })
    if "uncovered" not in set(cov["status"]):
        rows.append({_t(("Source", "来源"), lang): _t(("all", "全部"), lang),
                     _t(("Status", "状态"), lang): _t(STATUS_LABELS["uncovered"], lang),
                     _t(("Kind of mention", "数字类型"), lang): _t(("any", "任意"), lang),
                     _t(("Mentions", "个数"), lang): "0", _t(("Examples", "示例"), lang): "–"})
    return pd.DataFrame(rows)


def display_exclusions(cov: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The excluded mentions with their reasons, in text order (headers in ``lang``); the
    reason in ``lang`` (``reason_zh`` in Chinese, the English one where it is empty); the
    source column only when the claims have several sources."""
    _check_lang(lang)
    part = cov[cov["status"] == "excluded"]
    several = cov["source"].nunique() > 1
    return pd.DataFrame({
        **({_t(("Source", "来源"), lang): part["source"]} if several else {}),
        _t(("Offset", "位置"), lang): part["start"].astype(str),
        _t(("Mention", "原文"), lang): part["text"],
        _t(("Kind", "类型"), lang): [_t(MENTION_KIND_LABELS.get(k, (k,) * 2), lang)
                                     for k in part["kind"]],
        _t(("Reason (exclusions file)", "排除理由（排除表）"), lang):
            part["reason_zh"].where(part["reason_zh"].astype(bool), part["reason"])
            if lang == "zh" and "reason_zh" in part.columns else part["reason"],
        "claim_ids": part["claim_ids"],
    })


# =========================================================================== figures


def _palette(n: int) -> list[str]:
    from helpers.display.plotting import chapter_palette

    return chapter_palette(CHAPTER, n)


#: Marker and shade (index into a 4-shade chapter palette, light → dark) per verdict.
VERDICT_STYLE: dict[str, tuple[str, int, float]] = {
    "consistent": ("o", 2, 70.0),
    "rounding": ("D", 1, 70.0),
    "discrepancy": ("X", 3, 150.0),
    "tension": ("P", 3, 110.0),
    "ambiguous": ("^", 1, 90.0),
    "implausible": ("*", 3, 170.0),
    "not_checkable": ("s", 0, 60.0),
}


def _verdict_colour(verdict: str) -> str:
    shades = _palette(4)
    if verdict in ("discrepancy", "implausible"):
        return "#000000"
    return shades[VERDICT_STYLE[verdict][1]]


def _scatter_verdicts(ax, xs, ys, verdicts) -> None:
    for x, y, v in zip(xs, ys, verdicts, strict=True):
        marker, _, size = VERDICT_STYLE[v]
        ax.scatter([x], [y], marker=marker, s=size, color=_verdict_colour(v),
                   edgecolor="black", linewidth=0.6, zorder=3)


def figure_panels(annotated: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The checks :func:`audit_figure` draws, by panel: those with a stated and a computed
    figure (an equality by its relative difference, an inequality by its share of the
    whole, a context comparison by its ratio).  Empty: there is nothing to draw."""
    both = annotated[annotated["stated"].notna() & annotated["computed"].notna()]
    both = both[(both["kind"] != "equality") | both["relative_difference"].notna()]
    both = both[(both["kind"] != "inequality") | both["part_share"].notna()]
    panels = [(k, both[both["kind"] == k]) for k in ("equality", "inequality", "context")]
    return [(k, p) for k, p in panels if len(p)]


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
    panels = figure_panels(annotated)
    both = pd.concat([p for _, p in panels]) if panels else annotated.iloc[:0]
    sizes = [len(p) for _, p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9.5, 1.6 + 0.42 * sum(sizes)
                                                       + 0.9 * len(panels)),
                             gridspec_kw={"height_ratios": [s + 1.2 for s in sizes]},
                             squeeze=False)
    band_colour = _palette(4)[0]
    for ax, (kind, part) in zip(axes[:, 0], panels, strict=True):
        ys = list(range(len(part)))
        labels = [f"{lab} †" if a else lab for lab, a in
                  zip(part[f"label_{lang}"], part["assumption"].fillna(""), strict=True)]
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
                if v in ("rounding", "discrepancy", "tension", "ambiguous"):
                    ax.annotate(f"{x:+.2f}%", (x, y), xytext=(0, 9), textcoords="offset points",
                                ha="center", fontsize=9)
            title = _t(("Figures that should agree (band: what printed rounding allows)",
                        "应当相等的数字（灰带：印刷舍入允许的范围）"), lang)
        elif kind == "inequality":
            xs = [100 * v for v in part["part_share"]]
            right = max(130.0, 1.12 * max(xs))
            ax.axvline(100, color="black", linewidth=1, linestyle="--")
            ax.axvspan(100, right, color=band_colour, alpha=0.5, zorder=0)
            ax.text(101.5, -0.8, _t(("part > whole (†: only under the assumption)",
                                     "部分>整体（†：仅在所作假设下）"), lang),
                    fontsize=8, va="center")
            ax.set_xlim(0, right)
            for x, y, v in zip(xs, ys, part["verdict"], strict=True):
                if v in ("discrepancy", "tension"):
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
    notes = assumption_notes(both, lang)
    if notes:
        handles.append(Line2D([], [], linestyle="", label=_t(
            ("†: rests on the assumption below", "†：基于下列假设"), lang)))
    height = fig.get_size_inches()[1]
    foot = (0.3 + 0.2 * len(notes)) / height
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, foot - 0.3 / height),
               ncol=len(handles), frameon=False, fontsize=9)
    for i, note in enumerate(notes):
        fig.text(0.01, (0.05 + 0.2 * (len(notes) - 1 - i)) / height, note, fontsize=7.5,
                 ha="left", va="bottom")
    fig.suptitle(wrap_title(audit_title(annotated, lang), lang), x=0.01, ha="left",
                 fontsize=12)
    fig.tight_layout(rect=(0, foot + 0.02, 1, 1))
    return fig


def wrap_title(text: str, lang: str = "en") -> str:
    """Each line of a title broken after a "; " (``；``) where it would exceed the width a
    figure line holds (110 characters, 60 in Chinese); a name is never split.

    >>> wrap_title("a; b", "en")
    'a; b'
    """
    width, sep = (110, "; ") if lang == "en" else (60, "；")
    out = []
    for line in text.split("\n"):
        parts = line.split(sep)
        current = parts[0]
        for part in parts[1:]:
            if len(current) + len(sep) + len(part) > width:
                out.append(current + sep.rstrip())
                current = part
            else:
                current += sep + part
        out.append(current)
    return "\n".join(out)


def assumption_notes(annotated: pd.DataFrame, lang: str = "en", width: int = 150) -> list[str]:
    """One line per check that rests on an assumption: ``† label: assumption`` (shortened
    to ``width`` characters), in the table's order."""
    out = []
    for _, row in annotated.iterrows():
        text = (row.get("assumption_zh") or row["assumption"]) if lang == "zh" else \
            row["assumption"]
        if _missing(text) or not str(text):
            continue
        line = f"† {row[f'label_{lang}']}: {text}"
        out.append(line if len(line) <= width else line[:width - 1] + "…")
    return out


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
    """The finding of the audit figure: how many equalities and parts hold, every
    discrepancy and every tension."""
    _check_lang(lang)
    eq = annotated[annotated["kind"] == "equality"]
    ok = int(eq["verdict"].isin(["consistent", "rounding"]).sum())
    ineq = annotated[annotated["kind"] == "inequality"]
    ineq_ok = int((ineq["verdict"] == "consistent").sum())

    def listing(verdict: str) -> str:
        bad = annotated[annotated["verdict"] == verdict]
        items = [f"{_short_name(r, lang)} ({_discrepancy_size(r, lang)})" if lang == "en" else
                 f"{_short_name(r, lang)}（{_discrepancy_size(r, lang)}）"
                 for _, r in bad.iterrows()]
        sep = "; " if lang == "en" else "；"
        word = {"discrepancy": ("discrepancy", "discrepancies"),
                "tension": ("tension under an assumption", "tensions under an assumption"),
                "ambiguous": ("ambiguous (readings differ)", "ambiguous (readings differ)")}
        return f"{len(bad)} {word[verdict][len(bad) > 1]}: {sep.join(items)}" if (
            lang == "en" and len(bad)) else (
            f"{_t(VERDICT_LABELS[verdict], lang)}{len(bad)}项：{sep.join(items)}" if len(bad)
            else "")

    lines = [listing(v) for v in ("discrepancy", "tension", "ambiguous")]
    lines = [x for x in lines if x] or [_t(("no discrepancy", "没有不一致"), lang)]
    if lang == "en":
        line1 = (f"{ok} of {len(eq)} pairs of figures that should agree do, within rounding; "
                 f"{ineq_ok} of {len(ineq)} parts stay within their whole")
    else:
        line1 = (f"{len(eq)}组应当相等的数字中{ok}组在印刷舍入范围内一致；"
                 f"{len(ineq)}项部分与整体的比较中{ineq_ok}项未超出整体")
    return "\n".join([line1, *lines])


def money_figure(money: pd.DataFrame, lang: str = "en", money_unit: str = "wan"):
    """Each money figure as a bar over the period it covers, and its amount per year.

    Left: a bar from ``period_start`` to ``period_end``; figures without a printed
    start are drawn below a divider, dotted back to the axis edge and marked
    "start not printed".  Right (log scale): the amount (open circle) and the
    amount per year (filled dot) in ``money_unit``.  Dark: for the registered poor (by
    wording, not exceeded by the numbers); light: wider or not stated; outlined: not summed
    (a bill total).
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
    dates = pd.to_datetime(pd.concat([ordered["period_start"], ordered["period_end"]])
                           .replace("", None).dropna())
    if dates.empty:  # no period printed at all: an empty time axis
        dates = pd.to_datetime(pd.Series(["2015-01-01", "2020-06-30"]))
    lo = mdates.date2num(dates.min() - pd.DateOffset(months=9))
    hi = mdates.date2num(dates.max() + pd.DateOffset(months=3))
    for y, (_, r) in zip(ys, ordered.iterrows(), strict=True):
        colour = dark if r["is_poverty_targeted"] else light
        face = colour if r["is_in_total"] else "white"
        if not r["period_end"]:
            continue
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
                     label=_t(("for the registered poor (wording; numbers not beyond)",
                               "面向建档立卡贫困人口（据用词，数字未超出）"), lang)),
               Patch(facecolor=light, edgecolor=light,
                     label=_t(("wider than the register, or not stated",
                               "超出建档立卡范围或未说明"), lang)),
               Patch(facecolor="white", edgecolor=dark,
                     label=_t(("not summed (a bill total)", "未计入合计（费用总额）"), lang)
                     if not money["is_implausible"].any() else
                     _t(("not summed (a bill total, or implausible)",
                         "未计入合计（费用总额或数额不合理）"), lang))]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=3,
               frameon=False, fontsize=9)
    fig.suptitle(money_title(money, lang, money_unit), x=0.01, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0.045, 1, 1))
    return fig


def money_title(money: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> str:
    """The finding of the money figure: the total, its targeted share, the periods,
    and the implausible amounts left out."""
    _check_lang(lang)
    totals = au.money_totals(money).set_index("key")
    whole = totals.loc["all"]
    share = totals.loc["targeted", "share_of_all_pct"]
    share_text = "–" if _missing(share) else f"{share:.0f}%"
    mark = "≥ " if whole["is_at_least"] else ""
    starts = sorted({s[:4] for s in money["period_start"] if s})
    span = f"{starts[0]}–{starts[-1]}" if len(starts) > 1 else (starts[0] if starts else "–")
    n_open = int(totals.loc["start_not_printed", "n_figures"])
    n_bad = int(totals.loc["implausible", "n_figures"])
    if lang == "en":
        bad = f"; {n_bad} implausible amount{'s' * (n_bad > 1)} left out" if n_bad else ""
        return (f"{int(whole['n_figures'])} money figures sum to {mark}"
                f"{fmt_money(whole['amount_yuan'], money_unit, 'en')}, {share_text} of it in "
                f"programmes whose wording names the poor{bad};\n"
                f"their periods start in {span} and {n_open} print no start")
    mark_zh = "至少" if whole["is_at_least"] else ""
    bad = f"；另有{n_bad}项数额不合理，未计入" if n_bad else ""
    return (f"{int(whole['n_figures'])}项资金合计{mark_zh}"
            f"{fmt_money(whole['amount_yuan'], money_unit, 'zh')}，其中原文指明贫困对象的项目占"
            f"{share_text}{bad}；\n各项起始年份：{span}，"
            f"另有{n_open}项未写明起始时间")


# =========================================================================== findings


def _tolerance_clause(row, lang: str) -> str:
    """What the printing of a check's figures allows, as a clause."""
    if row.get("relation") == "implied_base":
        tol = f"±{fmt_pct(row['tolerance'], 0)}"
        return _t((f"the declared tolerance is {tol}", f"声明的容差为{tol}"), lang)
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
    """One check that does not hold: its label, stated and computed figures, how far apart.

    Figures that should agree: the relative difference; a part beyond its whole: its
    share of the whole; both with what rounding allows.  A tension names its
    assumption; an implausible magnitude gives the audit's description (with the
    unit slip that would explain it).
    """
    stated = fmt_value(row["stated"], row["unit"], lang, money_unit)
    computed = fmt_value(row["computed"], row["unit"], lang, money_unit)
    tol = _tolerance_clause(row, lang)
    label = row[f"label_{lang}"]
    head = _t(VERDICT_LABELS[row["verdict"]], lang).capitalize() if lang == "en" else _t(
        VERDICT_LABELS[row["verdict"]], lang)
    under = ""
    if row["verdict"] == "tension" and row["assumption"]:
        under = _t((f" The contradiction rests on an assumption: {row['assumption']}.",
                    f"此矛盾基于假设：{row.get('assumption_zh') or row['assumption']}。"), lang)
    if row["verdict"] == "ambiguous":
        readings = str(row["description"]).partition("; ")[2].removesuffix(")")
        under = _t((f" {readings[:1].upper()}{readings[1:]}." if readings else
                    " The text admits readings that give different answers.",
                    "原文可有不同读法，结论随读法而异（见核对表）。"), lang)
    if row["verdict"] == "implausible":
        lo, hi = row.get("range_min", math.nan), row.get("range_max", math.nan)
        lo, hi = (-math.inf if _missing(lo) else lo), (math.inf if _missing(hi) else hi)
        rng = (f"{fmt_number(lo)} – {fmt_number(hi)}" if math.isfinite(lo) and math.isfinite(hi)
               else f"≤ {fmt_number(hi)}" if math.isfinite(hi) else f"≥ {fmt_number(lo)}")
        slip = au.unit_slip(row["computed"], lo, hi)
        why = (_t((f"{slip[0]} would bring it into range", f"{slip[1]}，即可落入合理范围"), lang)
               if slip else _t(("no unit slip (×10⁴ or ÷10⁴) explains it",
                                "单位错写（×10⁴或÷10⁴）无法解释"), lang))
        return _t((f"{head}: {label}: computed {computed}, outside its plausible range "
                   f"({rng}); {why}.",
                   f"{head}：{label}：推算{computed}，超出合理范围（{rng}）；{why}。"), lang)
    if _missing(row["stated"]):
        return _t((f"{head}: {label}: computed {computed}, outside the plausible range.",
                   f"{head}：{label}：推算{computed}，超出合理范围。"), lang)
    if row["kind"] == "inequality" and not _missing(row["part_share"]):
        share = fmt_pct(row["part_share"])
        return _t((f"{head}: {label}: stated {stated}, more than the computed whole of "
                   f"{computed} (the part is {share} of it; {tol}).{under}",
                   f"{head}：{label}：原文{stated}，超过推算的整体{computed}"
                   f"（部分为整体的{share}；{tol}）。{under}"), lang)
    if not _missing(row["relative_difference"]):
        rel = fmt_pct(row["relative_difference"], 2, True)
        return _t((f"{head}: {label}: stated {stated}, computed {computed} ({rel}; {tol}).{under}",
                   f"{head}：{label}：原文{stated}，推算{computed}（{rel}；{tol}）。{under}"), lang)
    return _t((f"{head}: {label}: stated {stated}, computed {computed}.{under}",
               f"{head}：{label}：原文{stated}，推算{computed}。{under}"), lang)


def audit_findings(claims: pd.DataFrame, annotated: pd.DataFrame, lang: str = "en",
                   money_unit: str = "wan") -> list[str]:
    """Sentences on the audit: verdict counts, what holds, every check that does not."""
    _check_lang(lang)
    county = claims.attrs["meta"].county_name(lang)
    if annotated.empty:
        return [_t((f"No relation of the audit has all its figures in the claims of {county}.",
                    f"{county}的数据中没有任何一项核对关系所需的全部数字。"), lang)]
    counts = {v: n for v, n in verdict_counts(annotated).items() if n}
    listed = _t((", ", "，"), lang).join(
        f"{_t(VERDICT_LABELS[v], lang)}: {n}" if lang == "en" else
        f"{_t(VERDICT_LABELS[v], lang)}{n}项" for v, n in counts.items())
    out = [_t((f"The audit runs {len(annotated)} checks on the claims of {county}: {listed}.",
               f"对{county}的数据共进行{len(annotated)}项核对：{listed}。"), lang)]
    eq = annotated[annotated["kind"] == "equality"]
    ineq = annotated[annotated["kind"] == "inequality"]
    plaus = annotated[annotated["kind"] == "plausibility"]
    eq_ok = int(eq["verdict"].isin(["consistent", "rounding"]).sum())
    ineq_ok = int((ineq["verdict"] == "consistent").sum())
    plaus_ok = int((plaus["verdict"] == "consistent").sum())
    parts = [p for p in (
        _t((f"{eq_ok} of {len(eq)} pairs of figures that should agree do",
            f"{len(eq)}组应当相等的数字中{eq_ok}组一致"), lang) if len(eq) else "",
        _t((f"{ineq_ok} of {len(ineq)} parts stay within their whole",
            f"{len(ineq)}项部分与整体的比较中{ineq_ok}项未超出整体"), lang) if len(ineq) else "",
        _t((f"{plaus_ok} of {len(plaus)} magnitudes are in their plausible range",
            f"{len(plaus)}项数额中{plaus_ok}项在合理范围内"), lang) if len(plaus) else "",
    ) if p]
    if parts:
        out.append(_t(("What holds: ", "成立的："), lang) + _join(parts, lang)
                   + _t((".", "。"), lang))
    bad = annotated[annotated["verdict"].isin(["discrepancy", "tension", "ambiguous",
                                               "implausible"])]
    out += [_discrepancy_sentence(r, lang, money_unit) for _, r in bad.iterrows()]
    implied = annotated[annotated["kind"] == "implied"]
    context = annotated[annotated["kind"] == "context"]
    reach = claim_reach(claims, annotated)["reach"].value_counts()
    n = {r: int(reach.get(r, 0)) for r in REACH_LABELS}
    out.append(_t((
        f"Cannot be checked: {len(implied)} figures the source only implies and "
        f"{len(context)} context comparisons where no agreement is expected; of the "
        f"{sum(n.values())} claims, {n['checked']} are tested against another figure, "
        f"{n['implied_only']} only feed implied figures and {n['not_reached']} are in no check.",
        f"无法核对的：{len(implied)}个原文仅隐含的数字和{len(context)}项不要求相等的背景比较；"
        f"{sum(n.values())}个数据中，{n['checked']}个与其他数字核对过，{n['implied_only']}个仅用于"
        f"推算，{n['not_reached']}个未参与任何核对。"), lang))
    return out


def money_findings(money: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> list[str]:
    """Sentences on the money: the sum, its targeted share, what is left out and why."""
    _check_lang(lang)
    totals = au.money_totals(money).set_index("key")
    whole, tgt, not_tgt = totals.loc["all"], totals.loc["targeted"], totals.loc["not_targeted"]
    dated, open_start = totals.loc["with_start"], totals.loc["start_not_printed"]
    groups = au.money_groups(money)
    starts = [p[:4] for p in dated["period_starts"].split(";") if p]

    def m(yuan, at_least=False):
        return _t(("at least ", "至少"), lang) * bool(at_least) + fmt_money(yuan, money_unit, lang)

    share = lambda row: "–" if _missing(row["share_of_all_pct"]) else (  # noqa: E731
        f"{row['share_of_all_pct']:.1f}%")
    out = [_t((
        f"Money: the {int(whole['n_figures'])} amounts summed come to "
        f"{m(whole['amount_yuan'], whole['is_at_least'])}"
        + (f", over periods starting in {_join(starts, 'en')}" if starts else "")
        + f"; {int(open_start['n_figures'])} of them print no start.",
        f"资金：计入合计的{int(whole['n_figures'])}项共"
        f"{m(whole['amount_yuan'], whole['is_at_least'])}"
        + (f"，其时期分别起始于{_join(starts, 'zh')}年" if starts else "")
        + f"，其中{int(open_start['n_figures'])}项未写明起始时间。"), lang)]
    if whole["n_figures"]:
        others = list(groups["not_targeted"][f"short_{lang}"])
        out.append(_t((
            f"{share(tgt)} of the sum ({m(tgt['amount_yuan'])} in {int(tgt['n_figures'])} "
            f"programmes) is in programmes whose wording names the registered poor and whose "
            f"numbers do not exceed the register; {share(not_tgt)} "
            f"({m(not_tgt['amount_yuan'], not_tgt['is_at_least'])}) is in programmes whose "
            "wording names a wider group (means-tested aid included) or none, or whose numbers "
            "exceed the register"
            + (f": {_join(others, 'en')}" if others else "") + ".",
            f"原文指明建档立卡贫困人口且数字未超出的项目占合计的{share(tgt)}（{int(tgt['n_figures'])}"
            f"项共{m(tgt['amount_yuan'])}）；{share(not_tgt)}"
            f"（{m(not_tgt['amount_yuan'], not_tgt['is_at_least'])}）属于原文指明更广人群（含低保等"
            "救助）或未指明对象、或数字超出建档立卡范围的项目"
            + (f"：{_join(others, 'zh')}" if others else "") + "。"), lang))
        if not _missing(dated["amount_per_year_yuan"]):
            out.append(_t((
                f"Spread over the periods printed, the amounts with a known start come to "
                f"{m(dated['amount_per_year_yuan'], dated['is_at_least'])} a year.",
                f"按原文时期折算，起始时间明确的各项年均合计"
                f"{m(dated['amount_per_year_yuan'], dated['is_at_least'])}。"), lang))
    for key in ("not_summed", "implausible"):
        part = groups[key]
        if len(part):
            names = _join(list(part[f"short_{lang}"]), lang)
            why = _join(list(dict.fromkeys(part[f"total_note_{lang}"])), lang)
            out.append(_t((f"Left out of the sums: {names} ({m(part['amount_yuan'].sum())}): "
                           f"{why}.",
                           f"未计入合计：{names}（{m(part['amount_yuan'].sum())}）：{why}。"),
                          lang))
    return out


def findings(claims: pd.DataFrame, annotated: pd.DataFrame, money: pd.DataFrame | None,
             cov: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> list[str]:
    """The notebook's findings as sentences; every number comes from the tables.

    ``money`` is None when the claims hold no amount of money.
    """
    out = audit_findings(claims, annotated, lang, money_unit)
    if money is not None and len(money):
        out += money_findings(money, lang, money_unit)
    prefix = _t(("Coverage: ", "覆盖："), lang)
    out += [prefix + line for line in coverage_statement(cov, claims, lang).split("\n")]
    return out


#: The verdicts the flagged-checks table lists.
FLAGGED_VERDICTS = ("discrepancy", "tension", "ambiguous", "implausible")


def display_flagged(audit: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The checks with a flagged verdict: id, verdict, description, assumption, claim ids.

    English: the audit table's own columns as they are; Chinese: the verdict's label,
    ``description_zh`` and ``assumption_zh`` under Chinese headers.
    """
    _check_lang(lang)
    flagged = audit[audit["verdict"].isin(FLAGGED_VERDICTS)]
    if lang == "en":
        return flagged[["check_id", "verdict", "description", "assumption", "claim_ids"]]
    return pd.DataFrame({
        "check_id": flagged["check_id"],
        "结论": [VERDICT_LABELS[v][1] for v in flagged["verdict"]],
        "说明": flagged["description_zh"],
        "假设": flagged["assumption_zh"],
        "claim_ids": flagged["claim_ids"],
    })
