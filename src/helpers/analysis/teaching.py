"""Employment and industry support (notebook 02): labels, display tables and figures.

The notebook computes its results in its own cells (ratios of claims, with
:func:`ratio`, :func:`product` and :func:`total`); this module holds what those
cells share: the claim ids it reads, the bilingual labels of every row, the
discovery of industry size/reach pairs by id naming, the tables' layout, the
figures and the findings sentences.

Arithmetic goes through :class:`~helpers.data.quantity.Quantity`, which carries the
base unit, the qualifier (``余``/``多`` → "at least") and the claim ids, and
refuses to mix head-count units: persons (人), person-times (人次) and
households (户) are never divided, added or compared with one another
(:class:`~helpers.data.quantity.UnitMixError`).

Nothing is computed at import time.
"""

from __future__ import annotations

import functools
import math
import re

import cn2an
import pandas as pd

from helpers.data import quantity as qty
from helpers.data import units
from helpers.data.claims import get_claim
from helpers.data.quantity import Quantity, UnitMixError, quantity
from helpers.data.quantity import add as total
from helpers.display import formatting as fmt
from helpers.display.formatting import check_lang as _check_lang
from helpers.display.formatting import fmt_money, fmt_number, money_number
from helpers.display.formatting import pick as _t

__all__ = ["Quantity", "UnitMixError", "quantity", "total"]

#: Colour family of this notebook's figures (``plotting.CHAPTER_COLORS[2]``).
CHAPTER = 2

#: Organisation units that may be pooled as "organisations" (家 enterprises + 个 entities).
ORGANISATION_UNITS = frozenset({"enterprises", "entities"})

#: The units this module names (plural English, singular English, Chinese); a rate may be
#: per any of them.
UNITS = fmt.UNITS.select(
    ("yuan", "persons", "person_times", "households", "sessions", "entities", "enterprises",
     "organisations", "projects", "villages", "mu", "birds", "industry_types", "percent",
     "ratio", "years"))

split_rate = UNITS.split_rate
unit_text = UNITS.unit_text
fmt_quantity = UNITS.fmt_quantity


# --------------------------------------------------------------------------- arithmetic


def ratio(numerator: Quantity, denominator: Quantity) -> Quantity:
    """``numerator ÷ denominator`` with unit, qualifier and claim ids
    (see :func:`helpers.data.quantity.ratio`)."""
    return qty.ratio(numerator, denominator, UNITS)


def product(rate: Quantity, count: Quantity) -> Quantity:
    """``rate × count`` (元/户 × 户 -> 元; see :func:`helpers.data.quantity.product`)."""
    return qty.product(rate, count, UNITS)


def implied_count(total: Quantity, rate: Quantity) -> tuple[Quantity, float, float]:
    """The count a total and a per-unit rate imply, with the range the rate's rounding allows
    (see :func:`helpers.data.quantity.implied_count`)."""
    return qty.implied_count(total, rate, UNITS)


def as_organisations(q: Quantity) -> Quantity:
    """An enterprises or entities count relabelled as ``organisations`` (to pool them)."""
    if q.unit not in ORGANISATION_UNITS | {"organisations"}:
        raise UnitMixError(f"{q.unit} are not organisations")
    return Quantity(q.value, "organisations", q.qualifier, q.claim_ids, q.half_step)


def as_years(q: Quantity) -> Quantity:
    """A ratio of two money amounts read as a number of years (funds ÷ a yearly gain)."""
    return Quantity(q.value, "years", q.qualifier, q.claim_ids)


def quantities(claims: pd.DataFrame, ids: dict[str, str]) -> dict[str, Quantity]:
    """The claims of ``ids`` (key -> claim id) that the table holds, as quantities by key."""
    present = set(claims["id"])
    return {key: quantity(claims, cid) for key, cid in ids.items() if cid in present}


def needs_any(claims: pd.DataFrame, groups) -> list[str]:
    """The ids a section that uses *whichever* of ``groups`` are present should declare.

    A group is an id or a tuple of ids used together (an amount and its count).
    The ids of the complete groups when there are any (the section runs on them),
    else every id (the section is skipped and the note names them all).

    >>> frame = pd.DataFrame({"id": ["a", "b"]})
    >>> needs_any(frame, ["a", "c"]), needs_any(frame, [("a", "c"), ("d",)])
    (['a'], ['a', 'c', 'd'])
    """
    groups = [(g,) if isinstance(g, str) else tuple(g) for g in groups]
    present = set(claims["id"])
    ids = [i for g in groups if set(g) <= present for i in g] or [i for g in groups for i in g]
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------- labels


@functools.lru_cache(maxsize=1)
def _codebook_labels() -> dict[str, tuple[str, str]]:
    from helpers.data.codebook import load_codebook

    book = load_codebook()
    return dict(zip(book["id"], zip(book["indicator_en"], book["indicator_zh"], strict=True),
                    strict=True))


def label(claims: pd.DataFrame, claim_id: str) -> tuple[str, str]:
    """(English, Chinese) meaning of a claim id: the codebook's, else the claim row's."""
    found = _codebook_labels().get(claim_id)
    if found:
        return found
    row = get_claim(claims, claim_id)
    return str(row["indicator_en"]), str(row["indicator_zh"])


def chapters(claims: pd.DataFrame, prefixes: tuple[str, ...]) -> list[str]:
    """The article's own chapter labels of the claims whose id starts with ``prefixes``."""
    part = claims.loc[claims["id"].str.startswith(prefixes), "chapter"]
    return [str(c) for c in dict.fromkeys(part.dropna()) if str(c).strip()]


# --------------------------------------------------------------------------- sources

#: Claim-id prefixes this notebook draws on.
SOURCE_PREFIXES = ("employment.", "industry.")


def source_passages(claims: pd.DataFrame, prefixes: tuple[str, ...] = SOURCE_PREFIXES,
                    lang: str = "en") -> pd.DataFrame:
    """Each distinct quote of the claims whose id starts with ``prefixes``, with its claim ids.

    In order of appearance in the source (quote offset); headers in ``lang``.
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


def claim_period(claims: pd.DataFrame, claim_id: str) -> tuple[str, str]:
    """A claim's period as (English, Chinese): ``2015-01 – 2020-06`` and the printed text.

    Empty strings when the source prints no period (the English one also when it
    prints no start or no end).
    """
    period = fmt.claim_period(claims, claim_id)
    start, end = period["period_start"], period["period_end"]
    if not (start and end):
        return ("", period["period_text"])
    return (f"{start[:7]} – {end[:7]}", period["period_text"])


def _figures_table(q: dict[str, Quantity], rows, ids: dict[str, str],
                   claims: pd.DataFrame) -> pd.DataFrame:
    """Rows ``(group, key, en, zh)`` whose key is in ``q``: stated (key in ``ids``) or computed."""
    out = []
    for group, key, en, zh in rows:
        if key not in q:
            continue
        stated = key in ids
        period = claim_period(claims, ids[key]) if stated else ("", "")
        out.append({"group": group, "key": key, "measure_en": en, "measure_zh": zh,
                    "period_en": period[0], "period_zh": period[1], "is_derived": not stated,
                    "value_base": q[key].value, "base_unit": q[key].unit,
                    "qualifier": q[key].qualifier, "claim_ids": q[key].ids})
    columns = ["group", "key", "measure_en", "measure_zh", "period_en", "period_zh",
               "is_derived", "value_base", "base_unit", "qualifier", "claim_ids"]
    return pd.DataFrame(out, columns=columns)


def _row_quantity(row) -> Quantity:
    return Quantity(float(row["value_base"]), row["base_unit"], row["qualifier"],
                    tuple(str(row["claim_ids"]).split(";")))


def _display_figures(table: pd.DataFrame, lang: str, money_unit: str,
                     first: dict | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        **(first or {}),
        _t(("Figure", "指标"), lang): table[f"measure_{lang}"],
        _t(("Period", "时期"), lang): table[f"period_{lang}"].replace("", "–"),
        _t(("Value", "数值"), lang): [fmt_quantity(_row_quantity(r), lang, money_unit)
                                     for _, r in table.iterrows()],
        _t(("Computed?", "是否推算"), lang): table["is_derived"].map(
            {True: _t(("computed", "推算"), lang), False: _t(("printed", "原文"), lang)}),
        "claim_ids": table["claim_ids"],
    })


# --------------------------------------------------------------------------- employment

#: Stages of the employment pipeline (number, English, Chinese).
STAGES = {
    1: ("Train", "培训"),
    2: ("Match", "对接"),
    3: ("Place", "安置"),
    4: ("Migrate", "外出务工"),
}

#: Claim ids of the employment figures, by key (the last is the base of shares).
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

#: Rows of the steps table in pipeline order: (stage, key, English, Chinese).
STEP_ROWS = [
    (1, "sessions", "Training sessions held", "举办技能培训期数"),
    (1, "trained", "Training participants (person-times)", "技能培训人次"),
    (1, "per_session", "Participants per session", "每期培训人次"),
    (1, "training_subsidy", "Training subsidy paid", "技能培训补贴"),
    (1, "training_subsidy_per", "Training subsidy per participant-time", "每人次技能培训补贴"),
    (1, "living_subsidy", "Living-cost subsidy paid", "生活费补贴"),
    (1, "living_subsidy_per", "Living-cost subsidy per participant-time", "每人次生活费补贴"),
    (2, "intentions", "Job-intention matches at job fairs (everyone)", "达成就业意向（全部）"),
    (2, "intentions_poor", "… of which members of poor households", "其中贫困户"),
    (2, "poor_share", "Poor share of job-intention matches", "贫困户占就业意向比例"),
    (3, "carriers", "Employment carriers built", "建成就业扶贫载体"),
    (3, "carrier_workers", "Poor labourers employed by carriers", "载体吸纳贫困劳动力"),
    (3, "per_carrier", "Poor labourers per carrier", "每个载体吸纳贫困劳动力"),
    (3, "welfare_posts", "Poor people in public-welfare posts", "扶贫公益岗位安排就业"),
    (3, "placed", "Placed in carriers or welfare posts (sum; overlap unknown)",
     "载体与公益岗位合计（可能重复）"),
    (3, "placed_share", "… as share of registered poor persons", "占贫困人口比例"),
    (4, "transport_recipients", "Transport-subsidy recipients", "一次性交通补助人数"),
    (4, "transport_amount", "Transport subsidies paid", "一次性交通补助金额"),
    (4, "transport_per", "Transport subsidy per recipient", "人均交通补助"),
    (4, "transport_share", "Recipients as share of registered poor persons",
     "受助人数占贫困人口比例"),
]


def employment_steps(q: dict[str, Quantity], claims: pd.DataFrame) -> pd.DataFrame:
    """The employment figures of ``q`` (printed and computed) in pipeline order.

    Columns: ``stage``, ``stage_en``, ``stage_zh``, ``key``, ``measure_en``,
    ``measure_zh``, ``period_en``, ``period_zh`` (printed rows; empty where the
    source prints none), ``is_derived``, ``value_base``, ``base_unit``,
    ``qualifier``, ``claim_ids``.  Keys of ``q`` without a row are left out
    (``registered_persons`` is only a base).
    """
    rows = [(stage, key, en, zh) for stage, key, en, zh in STEP_ROWS]
    table = _figures_table(q, rows, EMPLOYMENT_IDS, claims).rename(columns={"group": "stage"})
    table.insert(1, "stage_en", table["stage"].map(lambda s: STAGES[s][0]))
    table.insert(2, "stage_zh", table["stage"].map(lambda s: STAGES[s][1]))
    return table


def display_steps(steps: pd.DataFrame, lang: str = "en", money_unit: str = "wan") -> pd.DataFrame:
    """The steps table formatted for reading (strings, headers in ``lang``)."""
    _check_lang(lang)
    stage = [f"{s} {steps.loc[i, f'stage_{lang}']}" for i, s in steps["stage"].items()]
    return _display_figures(steps, lang, money_unit, {_t(("Stage", "环节"), lang): stage})


# --------------------------------------------------------------------------- industry

#: Claim ids of the industry funds, links and income figures, by key.
INDUSTRY_IDS = {
    "funds": "industry.funds",
    "projects": "industry.projects",
    "enterprises": "industry.leading_enterprises",
    "entities": "industry.business_entities",
    "households_reached": "industry.households_reached",
    "gain_per_household": "industry.income_gain_per_household",
    "registered_households": "poverty.registered_households",
}

#: Candidate bases of 人均 (per capita): head-count claims in persons, with labels.
PER_CAPITA_BASES = {
    "poverty.registered_persons": ("registered poor persons", "建档立卡贫困人口"),
    "poverty.lifted_persons": ("persons lifted out of poverty", "已脱贫人口"),
    "population.total": ("population as cited", "总人口（所引）"),
}


def per_capita_table(check: pd.DataFrame, implied: Quantity, low: float, high: float,
                     printed: Quantity, funds: Quantity) -> pd.DataFrame:
    """The per-capita check as a table: the implied head count first, then each base.

    ``check`` has one row per candidate base (``base_id``, ``base_persons``,
    ``funds_per_person_yuan``, ``difference_yuan``, ``base_vs_implied_pct``,
    ``is_within_rounding``, ``is_closest``); labels and claim ids are added here.
    """
    first = pd.DataFrame([{
        "base_en": "implied by the printed figure", "base_zh": "按原文人均推算",
        "base_persons": implied.value, "base_low_persons": low, "base_high_persons": high,
        "funds_per_person_yuan": printed.value, "difference_yuan": 0.0,
        "base_vs_implied_pct": 0.0, "is_within_rounding": True, "is_closest": False,
        "claim_ids": implied.ids}])
    rest = check.assign(
        base_en=check["base_id"].map(lambda i: PER_CAPITA_BASES[i][0]),
        base_zh=check["base_id"].map(lambda i: PER_CAPITA_BASES[i][1]),
        base_low_persons=math.nan, base_high_persons=math.nan,
        claim_ids=[f"{funds.ids};{printed.ids};{i}" for i in check["base_id"]])
    out = pd.concat([first, rest[first.columns]], ignore_index=True) if len(rest) else first
    return out.astype({"is_within_rounding": bool, "is_closest": bool})


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


# --------------------------------------------------------------------------- industry types

#: English names of industry types as articles list them (Chinese as printed, 发展 removed);
#: a name not here is shown in Chinese.
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

#: Verb that opens a quoted list of industries (发展 "develop" governs the whole list).
LIST_VERBS = ("发展",)

_LIST_RE = re.compile(r"“(?P<items>[^“”]*、[^“”]*)”\s*等")


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


def industry_types(claims: pd.DataFrame,
                   claim_id: str = "industry.industry_types") -> pd.DataFrame:
    """The industry types named in the claim's quote: ``position``, ``name_zh``, ``name_en``,
    ``claim_ids`` (no rows when the quote holds no “…、…”等 list)."""
    quote = str(get_claim(claims, claim_id)["quote"])
    try:
        names = industry_names(quote)
    except ValueError:
        names = []
    return pd.DataFrame({"position": range(1, len(names) + 1), "name_zh": names,
                         "name_en": [INDUSTRY_NAMES_EN.get(n, n) for n in names],
                         "claim_ids": claim_id},
                        columns=["position", "name_zh", "name_en", "claim_ids"])


def display_industry_types(types: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The named industry types for reading (headers in ``lang``): the names as printed,
    with their English translation in English only (a Chinese page keeps the original).

    >>> types = pd.DataFrame({"position": [1], "name_zh": ["甲"], "name_en": ["A"],
    ...                       "claim_ids": ["x.y"]})
    >>> list(display_industry_types(types, "zh").columns)
    ['#', '产业（原文）', 'claim_ids']
    >>> list(display_industry_types(types, "en").columns)
    ['#', 'Industry (as printed)', 'In English', 'claim_ids']
    """
    _check_lang(lang)
    columns = {"#": types["position"].astype(str),
               _t(("Industry (as printed)", "产业（原文）"), lang): types["name_zh"]}
    if lang == "en":
        columns["In English"] = types["name_en"]
    return pd.DataFrame({**columns, "claim_ids": types["claim_ids"]})


# --------------------------------------------------------------------------- industry scale

#: Id suffixes of an industry's size (``industry.<product>_area``, ``_birds``).
SIZE_SUFFIXES = ("_area", "_birds")
#: Units a reach may be counted in (``industry.<product>_households``, ``_employed_persons``,
#: ``_villages``, ...: any other claim of the product in one of these units).
REACH_UNITS = ("households", "persons", "villages")

_SIZE_RE = re.compile(r"^industry\.(?P<product>[a-z0-9_]+?)(?P<suffix>_area|_birds)$")


def scale_pairs(claims: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(product, size id, reach id)`` for every industry that prints a size and a reach.

    Found by id naming: a size is ``industry.<product>_area`` or ``_birds``; its
    reaches are the other ``industry.<product>_…`` claims counted in households,
    persons or villages.  In the claims table's order.

    >>> frame = pd.DataFrame({"id": ["industry.tea_area", "industry.tea_employed_persons",
    ...                              "industry.funds"],
    ...                       "base_unit": ["mu", "persons", "yuan"]})
    >>> scale_pairs(frame)
    [('tea', 'industry.tea_area', 'industry.tea_employed_persons')]
    """
    unit = dict(zip(claims["id"], claims["base_unit"], strict=True))
    pairs = []
    for size_id in claims["id"]:
        match = _SIZE_RE.match(size_id)
        if not match:
            continue
        product = match["product"]
        for reach_id in claims["id"]:
            if (reach_id.startswith(f"industry.{product}_") and reach_id != size_id
                    and not _SIZE_RE.match(reach_id) and unit[reach_id] in REACH_UNITS):
                pairs.append((product, size_id, reach_id))
    return pairs


def scale_row(claims: pd.DataFrame, product: str, size: Quantity, reach: Quantity,
              per: Quantity) -> dict:
    """One row of the industry-scale table, with labels from the codebook."""
    (size_id,), (reach_id,) = size.claim_ids, reach.claim_ids
    size_label, reach_label = label(claims, size_id), label(claims, reach_id)
    return {"industry": product, "industry_en": size_label[0], "industry_zh": size_label[1],
            "reach_en": reach_label[0], "reach_zh": reach_label[1],
            "scale_value": size.value, "scale_unit": size.unit,
            "reach_value": reach.value, "reach_unit": reach.unit,
            "reach_qualifier": reach.qualifier,
            "per_unit_value": per.value, "per_unit_unit": per.unit,
            "per_unit_qualifier": per.qualifier, "claim_ids": per.ids}


def display_industry_scale(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The industry-scale table formatted for reading (headers in ``lang``)."""
    _check_lang(lang)

    def fmt(value, unit, qualifier):
        return fmt_quantity(Quantity(float(value), unit, qualifier), lang)

    return pd.DataFrame({
        _t(("Industry size", "产业规模指标"), lang): table[f"industry_{lang}"],
        _t(("Size", "规模"), lang): [fmt(v, u, "exact") for v, u in
                                     zip(table["scale_value"], table["scale_unit"], strict=True)],
        _t(("Reached", "带动对象"), lang): table[f"reach_{lang}"],
        _t(("Number reached", "带动数量"), lang): [
            fmt(v, u, q) for v, u, q in zip(table["reach_value"], table["reach_unit"],
                                            table["reach_qualifier"], strict=True)],
        _t(("Size per unit reached", "单位规模"), lang): [
            fmt(v, u, q) for v, u, q in zip(table["per_unit_value"], table["per_unit_unit"],
                                            table["per_unit_qualifier"], strict=True)],
        "claim_ids": table["claim_ids"],
    })


# --------------------------------------------------------------------------- links and income


def employed_pairs(claims: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(product, employed id, engaged id)``: ``industry.<product>_employed_households``
    with ``industry.<product>_households`` (both printed), in the claims' order."""
    present = set(claims["id"])
    out = []
    for cid in claims["id"]:
        match = re.fullmatch(r"industry\.([a-z0-9_]+)_employed_households", cid)
        if match and f"industry.{match[1]}_households" in present:
            out.append((match[1], cid, f"industry.{match[1]}_households"))
    return out


#: Rows of the summary table: (topic, key, English, Chinese).
SUMMARY_ROWS = [
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
    ("income", "gain_per_household", "Average income gain per household", "户均增收"),
    ("income", "implied_gain", "Implied total gain (gain × households reached)",
     "推算增收总额（户均增收×户数）"),
    ("income", "gain_to_funds", "Implied total gain ÷ industry funds", "增收总额÷产业资金"),
    ("income", "years_to_match", "Years of that gain to equal the funds (if annual)",
     "若为年增收，抵平资金所需年数"),
]


def employed_share_key(product: str) -> str:
    """Key of the computed share employed ÷ engaged of an industry (``tea_employed_share``)."""
    return f"{product}_employed_share"


def industry_summary(q: dict[str, Quantity], claims: pd.DataFrame) -> pd.DataFrame:
    """Funds, linkage and income figures of ``q`` (printed and computed), in reading order.

    The shares employed ÷ engaged of :func:`employed_pairs` follow the links rows.
    Columns: ``topic``, ``key``, ``measure_en``, ``measure_zh``, ``period_en``,
    ``period_zh`` (of printed figures), ``is_derived``, ``value_base``,
    ``base_unit``, ``qualifier``, ``claim_ids``.
    """
    rows = list(SUMMARY_ROWS)
    at = next(i for i, r in enumerate(rows) if r[0] == "income")
    for product, employed, engaged in employed_pairs(claims):
        (emp_en, emp_zh), (eng_en, eng_zh) = label(claims, employed), label(claims, engaged)
        rows.insert(at, ("links", employed_share_key(product), f"{emp_en} ÷ {eng_en}",
                         f"{emp_zh}÷{eng_zh}"))
        at += 1
    return _figures_table(q, rows, INDUSTRY_IDS, claims).rename(columns={"group": "topic"})


def display_summary(summary: pd.DataFrame, lang: str = "en",
                    money_unit: str = "wan") -> pd.DataFrame:
    """The industry summary formatted for reading (headers in ``lang``)."""
    _check_lang(lang)
    return _display_figures(summary, lang, money_unit)


# --------------------------------------------------------------------------- figures


def _palette(n: int) -> list[str]:
    from helpers.display.plotting import chapter_palette

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
PIPELINE_BARS = [
    ("trained", "training", "技能培训"),
    ("intentions", "job intentions, all", "就业意向（全部）"),
    ("intentions_poor", "job intentions, poor", "就业意向（贫困户）"),
    ("carrier_workers", "carrier jobs", "载体吸纳就业"),
    ("welfare_posts", "welfare posts", "公益岗位就业"),
    ("transport_recipients", "transport subsidy", "一次性交通补助"),
]


#: Claim ids of the pipeline figure's bars.
PIPELINE_IDS = [EMPLOYMENT_IDS[key] for key, _, _ in PIPELINE_BARS]


def employment_pipeline_figure(steps: pd.DataFrame, lang: str = "en"):
    """Horizontal bars of the head counts present, person-times hatched, units labelled.

    Raises :class:`ValueError` when ``steps`` holds none of :data:`PIPELINE_BARS`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    _check_lang(lang)
    by_key = steps.set_index("key")
    bars = [b for b in PIPELINE_BARS if b[0] in by_key.index]
    if not bars:
        raise ValueError("no head count of the employment pipeline to draw")
    light, _, dark = _palette(3)
    fig, ax = plt.subplots(figsize=(9.0, 1.8 + 0.55 * len(bars)))
    labels, values = [], []
    for i, (key, en, zh) in enumerate(bars):
        row = by_key.loc[key]
        stage = int(row["stage"])
        unit = row["base_unit"]
        colour = light if unit == "person_times" or key == "intentions" else dark
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
    parts = []
    if "trained" in by_key.index:
        n = fmt_number(by_key.loc["trained", "value_base"], 0)
        parts.append(_t((f"training counted {n} person-times", f"技能培训{n}人次"), lang))
    if "poor_share" in by_key.index:
        pct = f"{100 * by_key.loc['poor_share', 'value_base']:.1f}%"
        parts.append(_t((f"poor people made {pct} of job-intention matches",
                         f"就业意向中贫困户占{pct}"), lang))
    if "placed" in by_key.index:
        n = fmt_number(by_key.loc["placed", "value_base"], 0)
        parts.append(_t((f"carriers and welfare posts employed {n} poor people",
                         f"载体与公益岗位共安置贫困劳动力{n}人"), lang))
    sep = _t(("; ", "；"), lang)
    title = sep.join(parts[:2]) + (sep.rstrip() + "\n" + sep.join(parts[2:]) if parts[2:] else "")
    title = title or _t(("Employment head counts", "就业帮扶人数"), lang)
    ax.set_title(title[:1].upper() + title[1:], loc="left", fontsize=12)
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


#: Claim ids behind each subsidy of the subsidy figure: (amount, count).
SUBSIDY_IDS = [
    ("employment.training_subsidy", "employment.training_person_times"),
    ("employment.living_subsidy", "employment.training_person_times"),
    ("employment.transport_subsidy_amount", "employment.transport_subsidy_recipients"),
]

#: Subsidy pairs of the subsidy figure: (total key, per-unit key, labels).
SUBSIDY_PAIRS = [
    ("training_subsidy", "training_subsidy_per", ("Training subsidy", "技能培训补贴")),
    ("living_subsidy", "living_subsidy_per", ("Living-cost subsidy", "生活费补贴")),
    ("transport_amount", "transport_per", ("Transport subsidy", "一次性交通补助")),
]


def subsidy_pairs(steps: pd.DataFrame) -> list[tuple[str, str, tuple[str, str]]]:
    """The :data:`SUBSIDY_PAIRS` whose total and per-unit amount are both in ``steps``."""
    keys = set(steps["key"])
    return [p for p in SUBSIDY_PAIRS if p[0] in keys and p[1] in keys]


def subsidy_figure(steps: pd.DataFrame, lang: str = "en", money_unit: str = "wan"):
    """Subsidy totals (in ``money_unit``) and the same per person-time or recipient (yuan)."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    by_key = steps.set_index("key")
    pairs = subsidy_pairs(steps)
    if not pairs:
        raise ValueError("no subsidy with both a total and a per-unit amount to draw")
    colours = _palette(len(pairs))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, 1.9 + 0.75 * len(pairs)))
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
    parts = []
    train = [by_key.loc[k, "value_base"] for k in ("training_subsidy_per", "living_subsidy_per")
             if k in by_key.index]
    if train:
        parts.append(_t((f"each training attendance carried {sum(train):,.0f} yuan of subsidies",
                         f"每人次培训补贴合计{sum(train):,.0f}元"), lang))
    if "transport_per" in by_key.index:
        v = by_key.loc["transport_per", "value_base"]
        parts.append(_t((f"each transport-aid recipient got {v:,.0f} yuan",
                         f"每名交通补助对象{v:,.0f}元"), lang))
    title = _t(("; ", "；"), lang).join(parts)
    fig.suptitle(title[:1].upper() + title[1:], x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return fig


def _pct_decimals(band_pct: float) -> int:
    """Decimals that show a relative difference to two significant digits of the band."""
    if not band_pct > 0 or math.isinf(band_pct):
        return 2
    return max(1, min(4, 1 - math.floor(math.log10(band_pct))))


def _printed_decimals(half_step: float) -> int:
    """Decimals of a printed figure whose rounding is ``± half_step`` (0.5 -> 0, 0.05 -> 1)."""
    if not half_step > 0 or math.isinf(half_step):
        return 0
    return max(0, -math.floor(math.log10(2 * half_step) + 1e-9))


def per_capita_differences(check: pd.DataFrame) -> tuple[pd.DataFrame, float, float]:
    """Each candidate base's funds ÷ base relative to the printed per-capita figure.

    ``check`` as :func:`per_capita_table` makes it.  Returns the candidate rows with
    ``relative_pct`` = 100 × (funds ÷ base − printed) ÷ printed, and the band the
    printed rounding allows, ``(low_pct, high_pct)``: funds ÷ base lies within the
    printed figure's rounding exactly when the base lies within the implied head
    count's ``base_low_persons``–``base_high_persons``, so the band is
    implied ÷ high − 1 to implied ÷ low − 1 (± half a unit of the last printed digit,
    relative).
    """
    implied = check.iloc[0]
    printed = implied["funds_per_person_yuan"]
    cands = check.iloc[1:].copy()
    cands["relative_pct"] = 100 * (cands["funds_per_person_yuan"] - printed) / printed
    n = implied["base_persons"]
    low, high = implied["base_low_persons"], implied["base_high_persons"]
    band_low = 100 * (n / high - 1) if high > 0 and not math.isnan(high) else 0.0
    band_high = 100 * (n / low - 1) if low > 0 and not math.isnan(low) else 0.0
    return cands, band_low, band_high


def per_capita_figure(check: pd.DataFrame, lang: str = "en"):
    """The printed 人均 figure against funds ÷ each candidate base, as relative differences.

    One bar per base: 100 × (funds ÷ base − printed) ÷ printed, with the band the printed
    figure's rounding allows shaded around zero; the axis is scaled to the closest base and
    the band, and a base far beyond them is drawn to the edge with its value written.
    ``check`` as :func:`per_capita_table` makes it, with at least one base.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    _check_lang(lang)
    implied = check.iloc[0]
    cands, band_low, band_high = per_capita_differences(check)
    if cands.empty:
        raise ValueError("no candidate base to draw")
    printed = implied["funds_per_person_yuan"]
    band = max(abs(band_low), abs(band_high))
    digits = _pct_decimals(band)
    printed_text = f"{printed:,.{_printed_decimals(printed * band / 100)}f}"
    best = cands[cands["is_closest"]].iloc[0]
    near = max(abs(best["relative_pct"]), band)
    shown = cands["relative_pct"].abs()
    shown = shown[shown <= 3 * near]
    lim = 1.35 * max(shown.max() if len(shown) else 0.0, near) or 1.0
    light, dark = _palette(2)
    fig, ax = plt.subplots(figsize=(9.0, 2.6 + 0.55 * len(cands)))
    ax.axvspan(band_low, band_high, color="0.75", alpha=0.6, linewidth=0, zorder=0)
    ax.axvline(0, color="black", linestyle="--", linewidth=1)
    ax.text(0, -0.75, _t((f"printed {printed_text} yuan; rounding band "
                          f"±{band:.{digits}f}%",
                          f"原文人均{printed_text}元；舍入范围±{band:.{digits}f}%"), lang),
            ha="center", va="center", fontsize=9,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    for i, (_, r) in enumerate(cands.iterrows()):
        d = r["relative_pct"]
        drawn = max(-lim, min(lim, d))
        colour = dark if r["is_closest"] else light
        ax.barh(i, drawn, color=colour, height=0.55, zorder=2)
        off = _t(("; off scale", "，超出坐标范围"), lang) if drawn != d else ""
        text = (f"{d:+,.{digits}f}%" + _t((f" ({r['funds_per_person_yuan']:,.1f} yuan{off})",
                                          f"（{r['funds_per_person_yuan']:,.1f}元{off}）"), lang))
        if drawn != d:
            ax.annotate("", xy=(drawn, i), xytext=(drawn - 0.12 * lim * (1 if d > 0 else -1), i),
                        arrowprops={"arrowstyle": "->", "color": "black"})
        inside = abs(drawn) > 0.55 * lim
        ha = ("right" if d > 0 else "left") if inside else ("left" if d >= 0 else "right")
        pad = 0.02 * lim * (1 if ha == "left" else -1)
        ax.text(drawn + pad, i + 0.42 if inside else i, text, ha=ha, va="center", fontsize=9)
    labels = [f"{r[f'base_{lang}']}\n" + _t((
        f"({fmt_number(r['base_persons'], 0)} persons)",
        f"（{fmt_number(r['base_persons'], 0)}人）"), lang) for _, r in cands.iterrows()]
    ax.set_yticks(range(len(cands)), labels)
    ax.set_ylim(len(cands) - 0.3, -1.1)
    ax.set_xlim(-lim, lim)
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=None))
    ax.set_xlabel(_t(("(industry funds ÷ base − printed per-capita amount) ÷ printed amount",
                      "（产业扶贫资金÷基数−原文人均）÷原文人均"), lang))
    gap = implied["base_persons"] - best["base_persons"]
    more = gap >= 0
    inside_band = band_low <= best["relative_pct"] <= band_high
    ax.set_title(_t((
        f"Funds ÷ {best['base_en']} is {best['relative_pct']:+.{digits}f}% from the printed "
        f"{printed_text} yuan per person, {'within' if inside_band else 'outside'} the "
        f"±{band:.{digits}f}% its rounding allows;\nthe printed figure implies "
        f"{fmt_number(implied['base_persons'], 0)} people, {abs(gap):,.0f} "
        f"{'more' if more else 'fewer'} than the {best['base_en']} "
        f"({fmt_number(best['base_persons'], 0)})",
        f"产业扶贫资金÷{best['base_zh']}与原文人均{printed_text}元相差"
        f"{best['relative_pct']:+.{digits}f}%，{'在' if inside_band else '超出'}其舍入所允许的"
        f"±{band:.{digits}f}%{'之内' if inside_band else ''}；\n原文人均意味着"
        f"{fmt_number(implied['base_persons'], 0)}人，比{best['base_zh']}"
        f"（{fmt_number(best['base_persons'], 0)}人）{'多' if more else '少'}{abs(gap):,.0f}人"),
        lang), loc="left", fontsize=11)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def _per_unit(row) -> Quantity:
    return Quantity(float(row["per_unit_value"]), row["per_unit_unit"], row["per_unit_qualifier"])


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
    period = str(by_key.loc["funds", f"period_{lang}"])
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
        f"if it is yearly,\n{years:.1f} years of it equal the funds "
        "(the source does not say)",
        f"户均增收合计为产业资金的{100 * share:.1f}%；若为年增收，\n"
        f"{years:.1f}年的增收与资金相当（原文未说明是否为年增收）"), lang), loc="left", fontsize=12)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- findings


#: Findings from the employment and summary tables: groups of alternatives
#: ``(keys, English, Chinese)``; the first alternative whose keys are all present is used.
#: Fields are the tables' values by key (``{x_pct}``: a share in %, ``{x_money}``: money).
EMPLOYMENT_SENTENCES = [
    [(("trained", "sessions", "per_session"),
      "Training is counted in person-times: {trained:,.0f} person-times in {sessions:,.0f} "
      "sessions ({per_session:,.1f} per session); the number of different people trained is "
      "not given, so no share of trainees who found work can be computed.",
      "技能培训以人次计：{sessions:,.0f}期共{trained:,.0f}人次（每期{per_session:,.1f}人次），"
      "原文未给出受训的不同人数，因此无法计算受训者中实现就业的比例。")],
    [(("training_subsidy_per", "living_subsidy_per"),
      "Subsidies came to {training_subsidy_per:,.1f} yuan of training subsidy and "
      "{living_subsidy_per:,.1f} yuan of living subsidy per participant-time.",
      "每人次技能培训补贴{training_subsidy_per:,.1f}元、生活费补贴{living_subsidy_per:,.1f}元。"),
     (("training_subsidy_per",),
      "Training subsidies came to {training_subsidy_per:,.1f} yuan per participant-time.",
      "每人次技能培训补贴{training_subsidy_per:,.1f}元。")],
    [(("transport_per", "transport_recipients", "transport_share"),
      "Transport aid averaged {transport_per:,.1f} yuan per recipient "
      "({transport_recipients:,.0f} persons, {transport_share_pct} of the registered poor).",
      "一次性交通补助人均{transport_per:,.1f}元（{transport_recipients:,.0f}人，"
      "占建档立卡贫困人口的{transport_share_pct}）。"),
     (("transport_per", "transport_recipients"),
      "Transport aid averaged {transport_per:,.1f} yuan per recipient "
      "({transport_recipients:,.0f} persons).",
      "一次性交通补助人均{transport_per:,.1f}元（{transport_recipients:,.0f}人）。")],
    [(("intentions", "intentions_poor", "poor_share"),
      "Of {intentions:,.0f} job-intention matches at the job fairs, {intentions_poor:,.0f} "
      "({poor_share_pct}) involved members of poor households.",
      "招聘会达成就业意向{intentions:,.0f}人，其中贫困户{intentions_poor:,.0f}人"
      "（{poor_share_pct}）。")],
    [(("per_carrier", "carriers", "carrier_workers"),
      "Employment carriers took on {per_carrier:,.1f} poor labourers each "
      "({carrier_workers:,.0f} in {carriers:,.0f} carriers).",
      "就业扶贫载体平均每个吸纳贫困劳动力{per_carrier:,.1f}人"
      "（{carriers:,.0f}家载体共{carrier_workers:,.0f}人）。")],
    [(("placed", "placed_share"),
      "Carriers ({carrier_workers:,.0f}) and public-welfare posts ({welfare_posts:,.0f}) placed "
      "{placed:,.0f} poor people if nobody is counted twice, {placed_share_pct} of the "
      "registered poor.",
      "载体（{carrier_workers:,.0f}人）与公益岗位（{welfare_posts:,.0f}人）共安置{placed:,.0f}人"
      "（假设无重复计算），占贫困人口的{placed_share_pct}。"),
     (("placed",),
      "Carriers ({carrier_workers:,.0f}) and public-welfare posts ({welfare_posts:,.0f}) placed "
      "{placed:,.0f} poor people if nobody is counted twice.",
      "载体（{carrier_workers:,.0f}人）与公益岗位（{welfare_posts:,.0f}人）共安置{placed:,.0f}人"
      "（假设无重复计算）。")],
]

#: Findings from the industry summary table (as :data:`EMPLOYMENT_SENTENCES`).
SUMMARY_SENTENCES = [
    [(("funds", "projects", "funds_per_project"),
      "Industry funds of {funds_money} over {projects:,.0f} projects average "
      "{funds_per_project_money} per project.",
      "产业扶贫资金{funds_money}、项目{projects:,.0f}个，每个项目平均{funds_per_project_money}。")],
    [(("organisations", "households_reached", "households_per_organisation", "reached_share"),
      "{organisations:,.0f} linked organisations (enterprises, business entities) reached "
      "{households_reached:,.0f} households ({households_per_organisation:,.1f} per organisation "
      "if no household is linked to two), {reached_share_pct} of the "
      "{registered_households:,.0f} registered poor households.",
      "{organisations:,.0f}个龙头企业和新型经营主体带动贫困户{households_reached:,.0f}户"
      "（若无户被重复带动，每个主体{households_per_organisation:,.1f}户），"
      "为{registered_households:,.0f}户贫困户的{reached_share_pct}。"),
     (("organisations", "households_reached", "households_per_organisation"),
      "{organisations:,.0f} linked organisations (enterprises, business entities) reached "
      "{households_reached:,.0f} households ({households_per_organisation:,.1f} per organisation "
      "if no household is linked to two).",
      "{organisations:,.0f}个龙头企业和新型经营主体带动贫困户{households_reached:,.0f}户"
      "（若无户被重复带动，每个主体{households_per_organisation:,.1f}户）。")],
    [(("implied_gain", "gain_to_funds", "years_to_match"),
      "The stated gain of {gain_per_household:,.1f} yuan per household over "
      "{households_reached:,.0f} households implies {implied_gain_money}, {gain_to_funds_pct} of "
      "the industry funds; if the gain is yearly (not stated), {years_to_match:,.1f} years of it "
      "equal the funds.",
      "户均增收{gain_per_household:,.1f}元乘以{households_reached:,.0f}户，推算增收总额"
      "{implied_gain_money}，为产业资金的{gain_to_funds_pct}；若为年增收（原文未说明），"
      "{years_to_match:,.1f}年的增收与资金相当。"),
     (("implied_gain",),
      "The stated gain of {gain_per_household:,.1f} yuan per household over "
      "{households_reached:,.0f} households implies {implied_gain_money}.",
      "户均增收{gain_per_household:,.1f}元乘以{households_reached:,.0f}户，推算增收总额"
      "{implied_gain_money}。")],
]


def _sentences(table: pd.DataFrame | None, groups, lang: str, money_unit: str) -> list[str]:
    """The sentences of ``groups`` that ``table`` (``key``, ``value_base``) can fill."""
    if table is None or table.empty:
        return []
    values = dict(zip(table["key"], table["value_base"], strict=True))
    fields = dict(values)
    fields.update({f"{k}_pct": f"{100 * v:.1f}%" for k, v in values.items()})
    fields.update({f"{k}_money": fmt_money(v, money_unit, lang) for k, v in values.items()})
    out = []
    for group in groups:
        for keys, en, zh in group:
            if all(k in values for k in keys):
                out.append(_t((en, zh), lang).format(**fields))
                break
    return out


def findings(lang: str = "en", money_unit: str = "wan", *, steps=None, check=None,
             types=None, stated_types=None, scale=None, summary=None) -> list[str]:
    """The notebook's findings as sentences, from the tables its cells computed.

    Every argument but ``lang`` and ``money_unit`` may be ``None`` (a section
    that did not run); a sentence appears only when all its numbers exist.
    """
    _check_lang(lang)
    en = lang == "en"
    out = _sentences(steps, EMPLOYMENT_SENTENCES, lang, money_unit)
    out += _sentences(summary, SUMMARY_SENTENCES[:1], lang, money_unit)

    def n(v, d=0):
        return fmt_number(v, d)

    def pct(v):
        return f"{100 * v:.1f}%"

    if check is not None and len(check):
        implied, printed = check.iloc[0], check.iloc[0]["funds_per_person_yuan"]
        text = (f"The funds divided by the printed {n(printed)} yuan per person imply "
                f"{n(implied['base_persons'])} people (rounding of the printed amount allows "
                f"{n(implied['base_low_persons'])}–{n(implied['base_high_persons'])})" if en
                else f"资金除以原文人均{n(printed)}元，意味着{n(implied['base_persons'])}人"
                f"（原文舍入允许{n(implied['base_low_persons'])}–"
                f"{n(implied['base_high_persons'])}人）")
        best = check[check["is_closest"]]
        if len(best):
            b = best.iloc[0]
            gap, fewer = abs(b["base_vs_implied_pct"]), b["base_vs_implied_pct"] < 0
            within = bool(b["is_within_rounding"])
            part = printed / b["funds_per_person_yuan"]  # printed × base ÷ funds
            rate_id = str(implied["claim_ids"]).split(";")[-1]
            meaning = _codebook_labels().get(rate_id, (rate_id, rate_id))
            text += (
                f"; the closest base, the {b['base_en']} ({n(b['base_persons'])}), is "
                f"{gap:.2f}% {'smaller' if fewer else 'larger'}, "
                f"{'within' if within else 'outside'} that range (the funds over it give "
                f"{n(b['funds_per_person_yuan'], 1)} yuan). If the per-capita amount is of a part "
                f"of the funds (its indicator: {meaning[1]}), a part of "
                f"{pct(part)} over the {b['base_en']} gives the printed amount." if en else
                f"；最接近的基数{b['base_zh']}（{n(b['base_persons'])}人）比之"
                f"{'少' if fewer else '多'}{gap:.2f}%，{'在' if within else '超出'}该范围"
                f"（资金除以该基数为{n(b['funds_per_person_yuan'], 1)}元）。若人均数只指资金的"
                f"一部分（指标原文：{meaning[1]}），该部分占资金的{pct(part)}"
                f"时，按{b['base_zh']}计算即得原文人均数。")
        else:
            text += "." if en else "。"
        out.append(text)
    if stated_types is not None and types is not None:
        named = len(types)
        same = named == stated_types
        if en:
            out.append(
                f"The source speaks of {stated_types} major industry types and names {named} "
                "before 等 (etc.)" + ("." if same else
                                     "; whether an item joins two industries or 等 stands for "
                                     "unnamed ones, the text does not decide."))
        else:
            out.append(
                f"原文称“{cn2an.an2cn(stated_types)}大产业”，“等”字之前列出"
                f"{cn2an.an2cn(named)}个" + ("。" if same else
                                           "；是某一项合并了两个产业，还是“等”指未列出者，原文未定。"))
    if scale is not None and len(scale):
        ranges = []
        for _unit, part in scale.groupby("per_unit_unit", sort=False):
            ends = [part.loc[part["per_unit_value"].idxmin()]]
            if len(part) > 1:
                ends.append(part.loc[part["per_unit_value"].idxmax()])
            ranges.append((" to " if en else "至").join(
                f"{fmt_quantity(_per_unit(r), lang)}" + (
                    f" ({r['industry_en']} ÷ {r['reach_en']})" if en else
                    f"（{r['industry_zh']}÷{r['reach_zh']}）") for r in ends))
        out.append(
            f"Spread over those reached, industry sizes give {'; '.join(ranges)}. The source "
            "does not say that those reached farm these sizes: they are totals spread out, not "
            "holdings." if en else
            f"产业规模按带动对象平均：{'；'.join(ranges)}。原文未说明这些规模由所带动者经营，"
            "因此只是总量平均，并非每户所有。")
    out += _sentences(summary, SUMMARY_SENTENCES[1:], lang, money_unit)
    if not out:
        out.append("The claims hold none of the employment or industry figures this notebook "
                   "reads." if en else "数据中没有本笔记本所读的就业或产业指标。")
    return out
