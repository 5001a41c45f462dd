"""Notebook 00, the overview: what the notebook shows but does not define.

Notebook 00 computes its results in its own cells (the remaining poor as
registered − lifted, the exit rates, the household sizes, the base population a
printed incidence implies, the multiples of the county's rate).  This module
holds the rest:

- the reference data and which of it belongs to the county: the NBS national
  series (:func:`load_national_poverty`) and the context facts keyed by place
  (:func:`load_context_facts`, :func:`place_facts`), with the rows the
  notebook compares with (:func:`incidence_numerators`,
  :func:`population_figures`, :func:`context_rows`);
- the bookkeeping columns of each table (``claim_ids``, ``sources``,
  qualifiers) and its display in the notebook's language (``display_*``);
- the timeline: every date and period the article prints, parsed into dates
  (:func:`timeline`, :func:`period_dates`, :func:`period_english`);
- the figures (``*_figure``) and the findings' sentences (``*_findings``),
  written from the frames the notebook computed.

The county, its province and its region come from the claims' metadata
(``claims.attrs["meta"]``); no place is named here.  Nothing runs at import time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd

from helpers.data.claims import get_claim
from helpers.display import formatting as fmt
from helpers.display.formatting import check_lang as _check_lang
from helpers.display.formatting import iso_date as _iso
from helpers.display.formatting import pick as _t
from helpers.paths import get_paths

#: The article's chapter this notebook covers (colour: ``plotting.CHAPTER_COLORS[0]``).
CHAPTER = 0

#: The final and the start-of-campaign poverty incidence.
INCIDENCE = "poverty.poverty_incidence"
INCIDENCE_START = "poverty.poverty_incidence_start"

#: Place code of national facts and policy standards in ``context_facts.csv``.
NATIONAL = "CN"

#: Columns of the national series, in order.
NATIONAL_COLUMNS = ("year_end", "rural_poor_10k_persons", "poverty_incidence_pct")

#: Columns of the context facts, in order.
FACT_COLUMNS = ("place_code", "fact_id", "value", "unit", "as_of", "description", "source")

#: Population facts of a county, by fact id: (key, label en, label zh, short en, short zh).
CENSUS_FACTS: dict[str, tuple[str, str, str, str, str]] = {
    "census2010_registered_population": (
        "census_registered", "2010 census, registered (户籍)", "2010年人口普查：户籍人口",
        "the 2010 registered population", "2010年户籍人口"),
    "census2010_resident_population": (
        "census_resident", "2010 census, resident", "2010年人口普查：常住人口",
        "the 2010 resident population", "2010年常住人口"),
}

#: Population claims of the article: id -> (key, label en, label zh, short en, short zh);
#: ``{printed}`` is the figure as printed with its noun.
ARTICLE_POPULATIONS: dict[str, tuple[str, str, str, str, str]] = {
    "population.total": ("article", "the article: {printed}", "原文：{printed}",
                         "the article's {printed}", "原文的{printed}"),
    "population.rural": ("article_rural", "the article, rural: {printed}",
                         "原文农村人口：{printed}", "the article's rural {printed}",
                         "原文农村人口{printed}"),
}

#: County exit threshold by the county's region (metadata ``county.region``):
#: fact id, label en, label zh.
EXIT_THRESHOLDS: dict[str, tuple[str, str, str]] = {
    "central": ("county_exit_incidence_threshold_central_pct",
                "county exit threshold, central provinces", "贫困县退出标准（中部）"),
    "eastern": ("county_exit_incidence_threshold_central_pct",
                "county exit threshold, central and eastern provinces",
                "贫困县退出标准（中东部）"),
    "western": ("county_exit_incidence_threshold_western_pct",
                "county exit threshold, western provinces", "贫困县退出标准（西部）"),
}

#: Provincial incidence facts: ``poverty_incidence_<year>_pct`` with ``rural_poor_<year>``.
_PROVINCE_RATE_RE = re.compile(r"^poverty_incidence_(?P<year>\d{4})_pct$")

#: The groups of the headline sentence, with their labels.
GROUPS: dict[str, tuple[str, str]] = {
    "registered": ("registered poor", "建档立卡贫困户"),
    "lifted": ("lifted out of poverty", "已脱贫"),
    "remaining": ("not yet lifted (computed)", "未脱贫（计算）"),
}

#: Short group labels for axes.
SHORT_GROUPS: dict[str, tuple[str, str]] = {
    "registered": ("registered", "建档立卡"),
    "lifted": ("lifted", "已脱贫"),
    "remaining": ("remaining\n(computed)", "未脱贫\n（计算）"),
}

#: Columns of the headline-groups table, in order.
GROUP_COLUMNS = ["group", "count_households", "count_persons", "persons_per_household",
                 "share_of_registered_households_pct", "share_of_registered_persons_pct",
                 "is_computed", "qualifier", "is_size_at_least_one", "claim_ids"]

#: Candidate numerators of a printed incidence: (group, labels).
NUMERATORS: dict[str, tuple[str, str]] = {
    "remaining": ("remaining poor (registered − lifted)", "未脱贫人口（总人数−已脱贫）"),
    "remaining_printed": ("remaining poor (as printed)", "未脱贫人口（原文）"),
    "lifted": ("people lifted out of poverty", "已脱贫人口"),
    "registered": ("registered poor, total", "贫困户总人数"),
    "registered_start": ("registered poor at the start", "建档立卡之初贫困人口"),
}

#: Columns of the implied-base table, in order.
BASE_COLUMNS = ["numerator", "numerator_persons", "incidence_pct", "implied_base_persons",
                "implied_base_low_persons", "implied_base_high_persons",
                "times_article_population", "claim_ids", "sources"]

#: Columns of the population check, in order.
POPULATION_COLUMNS = ["population", "label_en", "label_zh", "short_en", "short_zh",
                      "population_persons", "incidence_with_remaining_pct",
                      "is_within_printed_rounding", "implied_base_vs_population_pct",
                      "claim_ids", "sources"]

#: Columns of the incidence context, in order.
CONTEXT_COLUMNS = ["key", "label_en", "label_zh", "as_of", "poverty_incidence_pct",
                   "poor_persons", "multiple_of_county", "claim_ids", "sources"]

#: Provenance key holding the article's reporting date (see ``docs/CONVENTIONS.md``).
REPORTING_DATE_KEY = "reporting_date_used_for_periods"

#: Kinds of :func:`helpers.data.extract.find_mentions` that are dates or periods.
TIME_KINDS = ("year", "year_range", "date")

#: Words printed after a date that make it a period, with their English reading.
PERIOD_SUFFIXES: dict[str, str] = {
    "以来": "since {}",
    "至今": "{} to date",
    "春季": "{} (spring term)",
    "上半年": "{} (first half)",
}

#: Word printed before a date meaning "this year" (its year is the reporting year).
THIS_YEAR = "今年"

#: Printed periods without digits, with their English reading.
WORD_PERIODS: dict[str, str] = {
    "今年": "this year",
    "截至目前": "as of now",
    "至今": "to date",
    "年": "a year (an annual flow; the year is not printed)",
}

#: Section slugs (``docs/CONVENTIONS.md``) as topic labels.
SECTION_LABELS: dict[str, tuple[str, str]] = {
    "headline": ("headline figures", "主要成效"),
    "poverty": ("headline figures", "主要成效"),
    "population": ("population", "人口"),
    "funds": ("funds", "资金"),
    "finance": ("finance", "金融扶贫"),
    "infrastructure": ("infrastructure", "基础设施"),
    "health": ("health care", "基本医疗"),
    "education": ("education", "义务教育"),
    "housing": ("housing", "住房安全"),
    "water": ("drinking water", "饮水安全"),
    "social_security": ("social safety net", "社保兜底"),
    "employment": ("employment", "就业帮扶"),
    "industry": ("industry", "产业扶贫"),
    "motivation": ("motivation campaigns", "内生动力"),
    "party_building": ("party building", "基层党建"),
    "assignment": ("cadre assignment", "干部驻村"),
    "cadres": ("cadres", "干部"),
}

_MONTHS_EN = tuple(calendar.month_name)  # "", "January", ... (locale-independent in CPython)


class ReferenceDataError(ValueError):
    """A reference file that does not have the expected columns or values."""


# --------------------------------------------------------------------------- small helpers


def join_ids(*ids: str) -> str:
    """Claim ids (each possibly ``;``-joined) joined by ``;`` without duplicates or blanks."""
    flat = [i for group in ids for i in str(group or "").split(";")]
    return ";".join(dict.fromkeys(i for i in flat if i))


def fmt_number(value: float, digits: int = 0) -> str:
    """``43172`` -> ``'43,172'``; ``nan`` -> ``'–'`` (``fmt_number``)."""
    return fmt.fmt_number(value, digits)


def fmt_pct(value: float, digits: int = 1) -> str:
    """``94.9088`` -> ``'94.9%'``."""
    if fmt.is_missing(value):
        return "–"
    return f"{value:.{digits}f}%"


def fmt_pct_printed(value: float) -> str:
    """A percentage with the digits it needs, up to three decimals (``0.18%``, ``2%``)."""
    return f"{float(f'{value:.3f}'):g}%"


def fmt_people(value: float, lang: str = "en") -> str:
    """A large head count: ``'1.22 million'`` (en) or ``'122.1万'`` (zh)."""
    if _check_lang(lang) == "en":
        if value >= 1e6:
            return f"{value / 1e6:.2f} million"
        return fmt_number(value)
    if value >= 1e4:
        return f"{value / 1e4:,.1f}".removesuffix(".0") + "万"
    return fmt_number(value)


def short_name_zh(name: str) -> str:
    """A Chinese place name without its 市/县/区/旗 when two characters or more remain."""
    return name[:-1] if len(name) > 2 and name[-1] in "市县区旗" else name


def _meta(claims: pd.DataFrame):
    """The claims' metadata (:class:`helpers.data.metadata.ClaimsMeta`), or None for bare frames."""
    return claims.attrs.get("meta")


# --------------------------------------------------------------------------- reference data


def provenance_path(path: str | Path) -> Path:
    """The provenance record beside a data file (``x.csv`` -> ``x.provenance.yaml``)."""
    p = Path(path)
    return p.with_name(f"{p.stem}.provenance.yaml")


def load_provenance(path: str | Path) -> dict:
    """The provenance record of a data file as a dict; ``{}`` when it has none."""
    import yaml

    record = provenance_path(path)
    if not record.is_file():
        return {}
    return yaml.safe_load(record.read_text(encoding="utf-8")) or {}


def _read_reference_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    shown = get_paths().relative(path)
    if not path.is_file():
        raise ReferenceDataError(f"{shown}: file not found")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(frame.columns) != columns:
        raise ReferenceDataError(
            f"{shown}: columns {', '.join(frame.columns)}; expected {', '.join(columns)}")
    if frame.empty:
        raise ReferenceDataError(f"{shown}: no data rows")
    return frame


def _numeric(frame: pd.DataFrame, column: str, shown: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.loc[values.isna(), column]
    if not bad.empty:
        raise ReferenceDataError(f"{shown}, line {int(bad.index[0]) + 2}, field '{column}': "
                                 f"expected a number, got {bad.iloc[0]!r}")
    return values


def load_national_poverty(path: str | Path | None = None) -> pd.DataFrame:
    """China's rural poor and poverty incidence by year end (NBS), validated.

    Reads ``data/reference/national_rural_poverty.csv`` by default.  Returns the
    columns ``year_end`` (int), ``rural_poor_10k_persons``, ``poverty_incidence_pct``
    (floats) plus ``rural_poor_persons`` (× 10,000) and ``as_of`` (the year's last
    day), sorted by year; ``attrs["source"]`` holds the file relative to the root.
    Raises :class:`ReferenceDataError` on missing columns, non-numbers, repeated
    years or negative values.
    """
    paths = get_paths()
    file = paths.national_poverty if path is None else paths.resolve(path)
    shown = paths.relative(file)
    raw = _read_reference_csv(file, NATIONAL_COLUMNS)
    out = pd.DataFrame({c: _numeric(raw, c, shown) for c in NATIONAL_COLUMNS})
    if (out["year_end"] % 1 != 0).any() or out["year_end"].duplicated().any():
        raise ReferenceDataError(f"{shown}: year_end must be distinct whole years")
    if (out[list(NATIONAL_COLUMNS[1:])] < 0).any().any():
        raise ReferenceDataError(f"{shown}: counts and rates must be >= 0")
    out["year_end"] = out["year_end"].astype(int)
    out = out.sort_values("year_end", ignore_index=True)
    out["rural_poor_persons"] = out["rural_poor_10k_persons"] * 10_000
    out["as_of"] = pd.to_datetime(out["year_end"].astype(str) + "-12-31")
    out.attrs["source"] = shown
    return out


def load_context_facts(path: str | Path | None = None) -> pd.DataFrame:
    """The context facts, one per place and fact, validated.

    Reads ``data/reference/context_facts.csv`` by default: ``place_code`` (a
    GB/T 2260 code, or ``CN`` for national facts and policy standards),
    ``fact_id``, ``value`` (a float), ``unit``, ``as_of`` (a date, missing when
    not stated), ``description`` and ``source``.  ``attrs["source"]`` holds the
    file relative to the root.  Raises :class:`ReferenceDataError` on wrong
    columns, a repeated (place, fact) or a value that is not a number.
    """
    paths = get_paths()
    file = paths.context_facts if path is None else paths.resolve(path)
    shown = paths.relative(file)
    out = _read_reference_csv(file, FACT_COLUMNS)
    dup = out.duplicated(["place_code", "fact_id"])
    if dup.any():
        row = out.loc[dup].iloc[0]
        raise ReferenceDataError(
            f"{shown}: fact {row['fact_id']!r} of place {row['place_code']!r} appears twice")
    out["value"] = _numeric(out, "value", shown)
    out["as_of"] = pd.to_datetime(out["as_of"].where(out["as_of"] != "", None), format="%Y-%m-%d")
    out.attrs["source"] = shown
    return out


def place_facts(facts: pd.DataFrame, *place_codes: str | None) -> pd.DataFrame:
    """The facts describing the given places (codes; ``None`` and ``''`` match nothing)."""
    codes = [str(c) for c in place_codes if c]
    out = facts[facts["place_code"].isin(codes)].reset_index(drop=True)
    out.attrs = dict(facts.attrs)
    return out


def fact(facts: pd.DataFrame, fact_id: str, place_code: str = NATIONAL) -> pd.Series:
    """One context fact of one place: its row plus ``cite``, the citation
    ``data/reference/context_facts.csv#<place_code>/<fact_id>``; ``KeyError`` if absent."""
    hit = facts[(facts["fact_id"] == fact_id) & (facts["place_code"] == place_code)]
    if hit.empty:
        raise KeyError(f"fact {fact_id!r} of place {place_code!r} not in "
                       f"{facts.attrs.get('source', 'context facts')}")
    cite = f"{facts.attrs.get('source', 'context_facts.csv')}#{place_code}/{fact_id}"
    return pd.concat([hit.iloc[0], pd.Series({"cite": cite})])


def national_source(national: pd.DataFrame, year: int) -> str:
    """The citation of one year of the national series."""
    return f"{national.attrs.get('source', 'national_rural_poverty.csv')}#{int(year)}"


def reference_sources(lang: str = "en") -> pd.DataFrame:
    """One row per reference file: producer, definition, provenance record; headers in ``lang``."""
    paths = get_paths()
    rows = []
    for file in (paths.national_poverty, paths.context_facts):
        record = load_provenance(file)
        rows.append([paths.relative(file),
                     *(" ".join(str(record.get(f"{k}_zh" if lang == "zh" and
                                               record.get(f"{k}_zh") else k, "")).split())
                       or "–" for k in ("producer", "definition")),
                     paths.relative(provenance_path(file) if record
                                    else paths.reference / "SOURCES.md")])
    cols = [("file", "文件"), ("producer", "发布机构"), ("definition", "定义"),
            ("provenance record", "来源记录")]
    return pd.DataFrame(rows, columns=[_t(c, lang) for c in cols])


def no_facts_note(meta, what: str, lang: str = "en") -> str:
    """``*No context facts for <place>* ...`` naming the place code looked for."""
    if what == "province":
        name, code = meta.province_name(lang), meta.county.get("province_code", "")
    else:
        name, code = meta.county_name(lang), meta.county.get("admin_code", "")
    source = get_paths().relative(get_paths().context_facts)
    return _t((f"*No context facts for {name}* (place code {code or 'not given'}) in "
               f"`{source}`; facts of other places are not used.",
               f"*{source} 中没有{name}的背景数据*（地区代码 {code or '未给出'}）；"
               "不使用其他地区的数据。"), lang)


# --------------------------------------------------------------------------- headline groups


def with_sources(groups: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """The headline groups (indexed by group) with ``is_computed``, ``qualifier``, ``claim_ids``.

    ``registered`` and ``lifted`` cite their two printed counts and take the
    persons count's qualifier; ``remaining`` is computed from all four and is
    ``exact`` only when all four are.  Columns in :data:`GROUP_COLUMNS` order.
    """
    ids = {g: (f"poverty.{g}_households", f"poverty.{g}_persons")
           for g in ("registered", "lifted")}
    qualifier = claims.set_index("id")["qualifier"]
    out = groups.copy()
    out["is_computed"] = [g == "remaining" for g in out.index]
    exact = all(qualifier[i] == "exact" for pair in ids.values() for i in pair)
    out["qualifier"] = [qualifier[ids[g][1]] if g in ids else "exact" if exact else "approx"
                        for g in out.index]
    all_four = join_ids(*ids["registered"], *ids["lifted"])
    out["claim_ids"] = [join_ids(*ids[g]) if g in ids else all_four for g in out.index]
    return out.rename_axis("group").reset_index()[GROUP_COLUMNS]


def display_groups(groups: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The headline groups formatted for display, headers in ``lang``."""
    rows = []
    for r in groups.itertuples(index=False):
        rows.append([
            _t(GROUPS[r.group], lang),
            fmt_number(r.count_households), fmt_number(r.count_persons),
            fmt_number(r.persons_per_household, 2),
            fmt_pct(r.share_of_registered_households_pct),
            fmt_pct(r.share_of_registered_persons_pct),
            r.claim_ids.replace(";", "; "),
        ])
    cols = [("group", "群体"), ("households", "户数"), ("persons", "人数"),
            ("persons per household", "户均人数"), ("% of registered households", "占总户数"),
            ("% of registered persons", "占总人数"), ("claims", "来源条目")]
    return pd.DataFrame(rows, columns=[_t(c, lang) for c in cols])


# --------------------------------------------------------------------------- incidence


def incidence_numerators(claims: pd.DataFrame) -> pd.DataFrame:
    """Each printed incidence with the printed head counts that may be its numerator.

    The final incidence (``poverty.poverty_incidence``) with the remaining poor
    (registered − lifted persons, else the printed remaining persons), the
    lifted and the registered poor; the start-of-campaign incidence with the
    registered poor at the start.  Only pairs whose claims are all present.
    Columns: ``numerator`` (a key of :data:`NUMERATORS`), ``numerator_persons``,
    ``incidence_id``, ``numerator_ids`` and ``claim_ids`` (numerator, incidence
    and, when printed, the article's population figure).
    """
    have = set(claims["id"])
    v = claims.set_index("id")["value_base"].astype(float)
    reg, lift = "poverty.registered_persons", "poverty.lifted_persons"
    rows = []
    if {reg, lift} <= have:
        rows.append(("remaining", v[reg] - v[lift], INCIDENCE, join_ids(reg, lift)))
    elif "poverty.remaining_persons" in have:
        rows.append(("remaining_printed", v["poverty.remaining_persons"], INCIDENCE,
                     "poverty.remaining_persons"))
    for key, cid in (("lifted", lift), ("registered", reg)):
        if cid in have:
            rows.append((key, v[cid], INCIDENCE, cid))
    if "poverty.registered_persons_start" in have:
        rows.append(("registered_start", v["poverty.registered_persons_start"],
                     INCIDENCE_START, "poverty.registered_persons_start"))
    out = pd.DataFrame(rows, columns=["numerator", "numerator_persons", "incidence_id",
                                      "numerator_ids"])
    out = out[out["incidence_id"].isin(have)].reset_index(drop=True)
    population = "population.total" if "population.total" in have else ""
    out["claim_ids"] = [join_ids(n, i, population)
                        for n, i in zip(out["numerator_ids"], out["incidence_id"], strict=True)]
    return out


def display_bases(bases: pd.DataFrame, lang: str = "en",
                  population_printed: str = "") -> pd.DataFrame:
    """The implied bases formatted for display, headers in ``lang``.

    ``population_printed`` names the article's population figure in the last
    header; without one the column is left out.
    """
    rows = [[_t(NUMERATORS[r.numerator], lang), fmt_number(r.numerator_persons),
             fmt_pct_printed(r.incidence_pct), fmt_number(r.implied_base_persons),
             f"{fmt_number(r.implied_base_low_persons)} – "
             f"{fmt_number(r.implied_base_high_persons)}",
             f"{r.times_article_population:.2f}"]
            for r in bases.itertuples(index=False)]
    cols = [("numerator", "分子"), ("persons", "人数"), ("incidence", "贫困发生率"),
            ("implied base (persons)", "隐含基数（人）"),
            ("range from rounding", "按四舍五入的范围"),
            (f"× the article's {population_printed}", f"为原文{population_printed}的倍数")]
    out = pd.DataFrame(rows, columns=[_t(c, lang) for c in cols])
    return out if population_printed else out.iloc[:, :-1]


def article_population_printed(claims: pd.DataFrame, claim_id: str = "population.total") -> str:
    """A population claim as printed with its noun (value + indicator); ``''`` if absent."""
    if claim_id not in set(claims["id"]):
        return ""
    row = get_claim(claims, claim_id)
    return f"{row['value_printed']}{row['indicator_zh']}"


def population_figures(claims: pd.DataFrame, county_facts: pd.DataFrame) -> pd.DataFrame:
    """The population figures at hand for the county: the article's and the census facts'.

    ``county_facts`` are the facts of the county's own place code
    (:func:`place_facts`); facts of other places must not be passed.  Columns:
    ``population`` (key), ``label_en``, ``label_zh``, ``short_en``, ``short_zh``,
    ``population_persons``, ``claim_ids`` (the population claim) and ``sources``.
    """
    rows = []
    for cid, (key, *labels) in ARTICLE_POPULATIONS.items():
        if cid in set(claims["id"]):
            printed = article_population_printed(claims, cid)
            rows.append([key, *(lab.format(printed=printed) for lab in labels),
                         float(get_claim(claims, cid)["value_base"]), cid, ""])
    people = county_facts[county_facts["unit"] == "persons"]
    for place, fid, value, desc in zip(people["place_code"], people["fact_id"], people["value"],
                                       people["description"], strict=True):
        key, *labels = CENSUS_FACTS.get(fid, (fid, desc, desc, desc, desc))
        rows.append([key, *labels, float(value), "", fact(county_facts, fid, place)["cite"]])
    return pd.DataFrame(rows, columns=["population", "label_en", "label_zh", "short_en",
                                       "short_zh", "population_persons", "claim_ids",
                                       "sources"])


def display_populations(check: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The population check formatted for display, headers in ``lang``."""
    yes_no = {True: _t(("yes", "是"), lang), False: _t(("no", "否"), lang)}
    rows = [[r.label_en if lang == "en" else r.label_zh, fmt_number(r.population_persons),
             fmt_pct(r.incidence_with_remaining_pct, 3), yes_no[r.is_within_printed_rounding],
             f"{r.implied_base_vs_population_pct:+.1f}%",
             ("; ".join(filter(None, [r.sources, r.claim_ids.split(";")[0]])))]
            for r in check.itertuples(index=False)]
    cols = [("population", "人口口径"), ("persons", "人数"),
            ("remaining poor ÷ population", "未脱贫人口÷人口"),
            ("rounds to the printed rate", "四舍五入等于原文"),
            ("implied base vs population", "隐含基数与人口之差"), ("source", "来源")]
    return pd.DataFrame(rows, columns=[_t(c, lang) for c in cols])


# --------------------------------------------------------------------------- context


def context_rows(claims: pd.DataFrame, national: pd.DataFrame,
                 facts: pd.DataFrame) -> pd.DataFrame:
    """The rates to set the county's incidence against, one row each.

    ``county`` (the claim, as of its period end, with the remaining poor when
    computable), ``province`` (its latest incidence fact, when ``facts`` holds
    one for the metadata's ``province_code``), China at the last and the first
    year of the national series, and the county exit ``threshold`` of the
    metadata's ``region``.  Columns as :data:`CONTEXT_COLUMNS` except
    ``multiple_of_county``, which the notebook computes.
    """
    meta = _meta(claims)
    inc = get_claim(claims, INCIDENCE)
    have = set(claims["id"])
    reg, lift = "poverty.registered_persons", "poverty.lifted_persons"
    remaining = (float(get_claim(claims, reg)["value_base"] - get_claim(claims, lift)
                       ["value_base"]) if {reg, lift} <= have else math.nan)
    rows = [("county", f"{meta.county_name('en')} (the article)",
             f"{short_name_zh(meta.county_name('zh'))}（原文）",
             _iso(inc["period_end"]), float(inc["value_base"]), remaining,
             join_ids(INCIDENCE, *((reg, lift) if {reg, lift} <= have else ())), "")]
    code = meta.county.get("province_code", "")
    province = place_facts(facts, code)
    rates = sorted((m["year"], f) for f in province["fact_id"] if (m := _PROVINCE_RATE_RE.match(f)))
    if rates:
        rate_id = rates[-1][1]  # the latest year's
        rate = fact(province, rate_id, code)
        poor_id = f"rural_poor_{_PROVINCE_RATE_RE.match(rate_id)['year']}"
        poor = fact(province, poor_id, code) if poor_id in set(province["fact_id"]) else None
        rows.append(("province", f"{meta.province_name('en')} province",
                     meta.province_name("zh"), _iso(rate["as_of"]), rate["value"],
                     math.nan if poor is None else poor["value"], "",
                     join_ids(rate["cite"], "" if poor is None else poor["cite"])))
    for key, year in (("china_last", national.iloc[-1]), ("china_first", national.iloc[0])):
        rows.append((key, "China, rural", "全国农村", _iso(year["as_of"]),
                     float(year["poverty_incidence_pct"]), float(year["rural_poor_persons"]),
                     "", national_source(national, year["year_end"])))
    threshold = EXIT_THRESHOLDS.get(str(meta.county.get("region", "")).lower())
    if threshold:
        fid, en, zh = threshold
        rows.append(("threshold", en, zh, "", fact(facts, fid)["value"], math.nan, "",
                     fact(facts, fid)["cite"]))
    columns = [c for c in CONTEXT_COLUMNS if c != "multiple_of_county"]
    return pd.DataFrame(rows, columns=columns)


def display_context(context: pd.DataFrame, county: str, lang: str = "en") -> pd.DataFrame:
    """The incidence comparison formatted for display, headers in ``lang``."""
    rows = [[r.label_en if lang == "en" else r.label_zh, r.as_of or "–",
             fmt_pct_printed(r.poverty_incidence_pct), fmt_number(r.poor_persons),
             f"{r.multiple_of_county:.1f}",
             "; ".join(filter(None, [r.claim_ids.split(";")[0], r.sources.split(";")[0]]))]
            for r in context.itertuples(index=False)]
    cols = [("place", "地区"), ("as of", "时点"), ("poverty incidence", "贫困发生率"),
            ("poor persons", "贫困人口"), (f"× {county}'s rate", f"为{county}的倍数"),
            ("source", "来源")]
    return pd.DataFrame(rows, columns=[_t(c, _check_lang(lang)) for c in cols])


# --------------------------------------------------------------------------- article and dates


def article_path(claims: pd.DataFrame) -> Path:
    """The article the claims are about: the metadata's primary source, resolved.

    Frames without metadata must cite one source text (``source`` column).
    """
    meta = _meta(claims)
    if meta is not None:
        from helpers.data.metadata import resolve_source

        return resolve_source(claims.attrs.get("path", meta.file), meta.primary.path)
    sources = sorted(set(claims["source"]))
    if len(sources) != 1:
        raise ValueError(f"expected claims from one source text, got {', '.join(sources)}")
    return get_paths().resolve(sources[0])


def article_text(claims: pd.DataFrame) -> str:
    """The text of the article the claims are about."""
    return article_path(claims).read_text(encoding="utf-8")


def reporting_date(claims: pd.DataFrame) -> dt.date:
    """The reporting date: the metadata's, else the provenance record's, else the latest end."""
    meta = _meta(claims)
    if meta is not None:
        return meta.reporting_date
    value = load_provenance(article_path(claims)).get(REPORTING_DATE_KEY)
    if value:
        return pd.Timestamp(str(value)).date()
    ends = claims["period_end"].dropna()
    if ends.empty:
        raise ValueError("no reporting date: no metadata, provenance record or period_end")
    return pd.Timestamp(ends.max()).date()


def _reporting_date_source(claims: pd.DataFrame) -> str:
    """Where the reporting date is recorded: the article's provenance key, else the sidecar."""
    paths = get_paths()
    meta = _meta(claims)
    article = article_path(claims)
    if REPORTING_DATE_KEY in load_provenance(article):
        return f"{paths.relative(provenance_path(article))}#{REPORTING_DATE_KEY}"
    return f"{meta.file}#reporting_date" if meta is not None else ""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_RANGE_RE = re.compile(r"^(?:从)?(?P<a>\d{4})年?(?:[—–\-~～]{1,2}|到|至)(?P<b>\d{4})年$")
_YEAR_MONTH_RE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<mod>底|初|份)?$")
_MONTH_RE = re.compile(r"^(?P<m>\d{1,2})月(?P<mod>底|初|份)?$")
_YEAR_RE = re.compile(r"^(?P<y>\d{4})年$")


def split_period(printed: str) -> tuple[bool, str, str]:
    """Split a printed period into (今年 before it, core, suffix).

    ``'今年6月底'`` -> ``(True, '6月底', '')``; ``'2018年以来'`` -> ``(False, '2018年', '以来')``.
    """
    this_year = printed.startswith(THIS_YEAR) and printed != THIS_YEAR
    core = printed[len(THIS_YEAR):] if this_year else printed
    suffix = next((s for s in PERIOD_SUFFIXES if core.endswith(s) and core != s), "")
    return this_year, core[: len(core) - len(suffix)], suffix


def period_dates(printed: str, report: dt.date) -> tuple[dt.date | None, dt.date | None, bool]:
    """First and last day of a printed date or period, and whether the end was capped.

    Rules (``docs/CONVENTIONS.md``): ``A—B年`` and ``从A年到B年`` run from 1 January
    of A to 31 December of B (30 June with 上半年); ``Y年`` alone is that year;
    以来/至今 end at the reporting date; ``Y年M月`` and ``M月`` are the month
    (底: its last day, 初: its first); a month without a year, or after 今年, is in
    the reporting year.  Periods (with a year) ending after the reporting date
    are capped at it; single dates are not (they may look ahead).  Text that
    matches none of these gives ``(None, None, False)``.
    """
    if printed in WORD_PERIODS:
        if printed == THIS_YEAR:
            return dt.date(report.year, 1, 1), report, False
        return None, report, False
    _this, core, suffix = split_period(printed)
    is_date = False
    if m := _RANGE_RE.match(core):
        start = dt.date(int(m["a"]), 1, 1)
        end = dt.date(int(m["b"]), 6 if suffix == "上半年" else 12,
                      30 if suffix == "上半年" else 31)
    elif m := _YEAR_MONTH_RE.match(core) or _MONTH_RE.match(core):
        year = int(m.groupdict().get("y") or report.year)
        month = int(m["m"])
        if not 1 <= month <= 12:
            return None, None, False
        start, end = dt.date(year, month, 1), _month_end(year, month)
        if m["mod"] == "底":
            start = end
        elif m["mod"] == "初":
            end = start
        is_date = True
    elif m := _YEAR_RE.match(core):
        start, end = dt.date(int(m["y"]), 1, 1), dt.date(int(m["y"]), 12, 31)
    else:
        return None, None, False
    if suffix in ("以来", "至今"):
        return start, report, False
    if not is_date and end > report:
        return start, report, True
    return start, end, False


def period_english(printed: str, year: int | None = None) -> str:
    """An English reading of a printed date or period (``'2018年以来'`` -> ``'since 2018'``).

    ``year`` is the year 今年 ("this year") stands for; it is named when given
    (``'今年10月份'`` -> ``'October 2020'``; without it, ``'October this year'``).
    """
    if printed in WORD_PERIODS:
        word = WORD_PERIODS[printed]
        return f"{word} ({year})" if printed == THIS_YEAR and year else word
    this_year, core, suffix = split_period(printed)
    text = core
    if m := _RANGE_RE.match(core):
        text = f"{m['a']}–{m['b']}"
    elif m := _YEAR_MONTH_RE.match(core) or _MONTH_RE.match(core):
        month = _MONTHS_EN[int(m["m"])] if 1 <= int(m["m"]) <= 12 else m["m"]
        text = {"底": f"end of {month}", "初": f"early {month}"}.get(m["mod"], month)
        if m.groupdict().get("y"):
            text += f" {m['y']}"
        elif this_year:
            text += f" {year}" if year else " this year"
    elif m := _YEAR_RE.match(core):
        text = m["y"]
    return PERIOD_SUFFIXES[suffix].format(text) if suffix else text


def _time_groups(text: str, mentions) -> list[dict]:
    """Year, year-range and date mentions merged into printed periods.

    A period extends a mention by a preceding 今年 and a following suffix
    (以来, 至今, 春季, 上半年); ``从A年到B年`` (two year mentions) becomes one period.
    """
    timed = [m for m in mentions if m.kind in TIME_KINDS]
    groups: list[dict] = []
    i = 0
    while i < len(timed):
        m = timed[i]
        start, end, members = m.start, m.end, [m]
        if (m.kind == "year" and i + 1 < len(timed) and timed[i + 1].kind == "year"
                and text[m.end:timed[i + 1].start] in ("到", "至")
                and text[max(0, m.start - 1):m.start] == "从"):
            members.append(timed[i + 1])
            start, end = m.start - 1, timed[i + 1].end
            i += 1
        if text[max(0, start - len(THIS_YEAR)):start] == THIS_YEAR:
            start -= len(THIS_YEAR)
        for suffix in PERIOD_SUFFIXES:
            if text.startswith(suffix, end):
                end += len(suffix)
                break
        groups.append({"start_offset": start, "end_offset": end, "printed": text[start:end],
                       "mentions": members})
        i += 1
    return groups


def _claim_anchor(text: str, row) -> int:
    """Offset of a claim's printed period: its last occurrence up to the end of the quote."""
    limit = int(row["quote_offset"]) + len(row["quote"])
    return text.rfind(row["period_text"], 0, limit)


def _clause(text: str, start: int, end: int) -> str:
    """The clause (between ，。；：) holding ``text[start:end]``; the next one too if it is bare."""
    stops = "，。；：！？\n"
    a = max(text.rfind(c, 0, start) for c in stops) + 1
    b = min((p for p in (text.find(c, end) for c in stops) if p >= 0), default=len(text))
    clause = text[a:b].strip()
    if clause.lstrip("从") == text[start:end].lstrip("从") and b < len(text):
        nxt = min((p for p in (text.find(c, b + 1) for c in stops) if p >= 0), default=len(text))
        clause = f"{clause}{text[b]}{text[b + 1:nxt].strip()}"
    return clause


def _exclusion_reasons(claims: pd.DataFrame) -> dict[tuple[int, str], str]:
    """English reasons of the article's exclusions file by (offset, text); ``{}`` if none."""
    from helpers.data.coverage import load_exclusions
    from helpers.data.metadata import resolve_source

    meta = _meta(claims)
    if meta is None or not meta.primary.exclusions:
        return {}
    try:
        frame = load_exclusions(resolve_source(claims.attrs.get("path", meta.file),
                                               meta.primary.exclusions))
    except Exception:
        return {}
    return {(int(o), t): r for o, t, r in zip(frame["offset"], frame["text"], frame["reason"],
                                              strict=True)}


def _reason_text(reason: str) -> str:
    """``'date: 今年6月底 (…), when …; a timeline event'`` -> ``'今年6月底 (…), when …'``."""
    body = reason.split(": ", 1)[-1].split("; ", 1)[0]
    body = re.sub(r"^\S+ \([^)]*\),\s*", "", body)  # the printed date and its gloss
    return re.sub(r"^(?:start|end) of (?:the )?", "", body)


def chapter_labels(text: str) -> dict[int, tuple[str, str]]:
    """English and Chinese label of each chapter of the article: its number and heading word.

    Chapter 0 (before the first numbered heading) is the lead.
    """
    from helpers.data.extract import chapters

    out = {0: ("lead", "导语")}
    for ch in chapters(text)[1:]:
        word = ch.title.split()[0] if ch.title.split() else ""
        out[ch.number] = (f"{ch.number} {word}".strip(), f"{ch.number} {word}".strip())
    return out


TIMELINE_COLUMNS = ["row", "period_printed", "period_en", "start", "end", "is_point",
                    "is_end_capped", "is_end_at_reporting_date", "is_after_reporting_date",
                    "chapter", "offset", "mention_texts", "topic_en", "topic_zh",
                    "refers_to_en", "refers_to_zh", "claim_ids", "sources"]


def timeline(claims: pd.DataFrame, text: str | None = None,
             report: dt.date | None = None) -> pd.DataFrame:
    """Every date and period the article prints, in text order, with the claims it dates.

    Rows come from the extractor's ``year``, ``year_range`` and ``date`` mentions
    (merged into printed periods, see :func:`_time_groups`) and from the article
    claims' ``period_text`` values that contain no such mention (截至目前, 今年).
    A claim belongs to the row holding the last occurrence of its ``period_text``
    up to the end of its quote.  ``start``/``end`` follow :func:`period_dates`;
    ``is_point`` marks a single date or a month (drawn as a point); the rows
    depending on the reporting date cite where it is recorded in ``sources``.
    Empty (with these columns) when the article prints no date or period.
    """
    from helpers.data.extract import chapter_of, chapters, find_mentions

    text = article_text(claims) if text is None else text
    report = reporting_date(claims) if report is None else report
    reasons = _exclusion_reasons(claims)
    provenance = _reporting_date_source(claims)
    if _meta(claims) is not None:  # the article's claims, not those of context documents
        claims = claims[claims["source"] == _meta(claims).primary.path]
    chaps = chapters(text)
    labels = chapter_labels(text)
    groups = _time_groups(text, find_mentions(text))

    dated = claims[claims["period_text"].fillna("").str.strip() != ""]
    anchors = {row["id"]: _claim_anchor(text, row) for _, row in dated.iterrows()}
    for g in groups:
        g["claims"] = [cid for cid, a in anchors.items()
                       if g["start_offset"] <= a < g["end_offset"]]
    used = {cid for g in groups for cid in g["claims"]}
    extra: dict[tuple[int, str], list[str]] = {}
    for _, row in dated.iterrows():
        if row["id"] not in used:
            extra.setdefault((anchors[row["id"]], row["period_text"]), []).append(row["id"])
    for (anchor, printed), ids in extra.items():
        offset = anchor if anchor >= 0 else int(get_claim(claims, ids[0])["quote_offset"])
        groups.append({"start_offset": offset, "end_offset": offset + len(printed),
                       "printed": printed, "mentions": [], "claims": ids})
    groups.sort(key=lambda g: (g["start_offset"], g["printed"]))

    rows = []
    for g in groups:
        printed, ids = g["printed"], g["claims"]
        start, end, capped = period_dates(printed, report)
        if g["mentions"] == [] and ids:  # a claims-only period: take the claims' own dates
            sub = claims[claims["id"].isin(ids)]
            start = sub["period_start"].min() if sub["period_start"].notna().any() else start
            end = sub["period_end"].max() if sub["period_end"].notna().any() else end
        start_ts = pd.Timestamp(start) if start is not None and not pd.isna(start) else pd.NaT
        end_ts = pd.Timestamp(end) if end is not None and not pd.isna(end) else pd.NaT
        is_point = bool(pd.isna(start_ts) or (end_ts - start_ts).days <= 31)
        uses_report = bool(split_period(printed)[0] or not re.search(r"\d{4}", printed)
                           or (not pd.isna(end_ts) and end_ts.date() >= report))
        chapter = chapter_of(g["start_offset"], chaps)
        if ids:
            sub = claims.set_index("id").loc[ids]
            sections = list(dict.fromkeys(sub["section"]))
            topic = tuple("; ".join(SECTION_LABELS.get(s, (s, s))[k] for s in sections)
                          for k in (0, 1))
            refers = (_join_limited(list(sub["indicator_en"]), "; "),
                      _join_limited(list(sub["indicator_zh"]), "；"))
        else:
            topic = labels.get(chapter, (f"chapter {chapter}", f"第{chapter}部分"))
            clause = _clause(text, g["start_offset"], g["end_offset"])
            found = [reasons[(m.start, m.text)] for m in g["mentions"]
                     if (m.start, m.text) in reasons]
            refers = (_reason_text(found[0]) if found else clause, clause)
        rows.append({
            "period_printed": printed,
            "period_en": period_english(printed, report.year),
            "start": _iso(start_ts), "end": _iso(end_ts),
            "is_point": is_point, "is_end_capped": capped,
            "is_end_at_reporting_date": bool(not pd.isna(end_ts) and end_ts.date() == report),
            "is_after_reporting_date": bool(not pd.isna(end_ts)
                                            and end_ts.date() > report),
            "chapter": chapter, "offset": g["start_offset"],
            "mention_texts": ";".join(m.text for m in g["mentions"]),
            "topic_en": topic[0], "topic_zh": topic[1],
            "refers_to_en": refers[0], "refers_to_zh": refers[1],
            "claim_ids": join_ids(*ids),
            "sources": provenance if uses_report else "",
        })
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS[1:])
    out.insert(0, "row", range(1, len(out) + 1))
    return out[TIMELINE_COLUMNS]


def _join_limited(items: list[str], sep: str, limit: int = 3) -> str:
    items = list(dict.fromkeys(items))
    more = len(items) - limit
    head = sep.join(items[:limit])
    return f"{head}{sep}+{more}" if more > 0 else head


def display_timeline(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The timeline formatted for display, headers in ``lang``."""
    rows = []
    for r in table.itertuples(index=False):
        row = [r.period_printed]
        if lang == "en":
            row.append(r.period_en)
        row += [r.start or "–", r.end or "–",
                r.topic_en if lang == "en" else r.topic_zh,
                r.refers_to_en if lang == "en" else r.refers_to_zh,
                r.claim_ids.replace(";", "; ") or "–"]
        rows.append(row)
    cols = [("period as printed", "原文时间")]
    if _check_lang(lang) == "en":
        cols.append(("reading", "含义"))
    cols += [("start", "起"), ("end", "止"), ("topic", "主题"), ("refers to", "所指"),
             ("claims", "来源条目")]
    return pd.DataFrame(rows, columns=[_t(c, lang) for c in cols])


def timeline_summary(table: pd.DataFrame) -> dict:
    """Counts behind the timeline's title and findings.

    ``mentions``: year/date mentions of the text; ``printed_rows``: dates and periods
    they make; ``worded_rows``: periods printed in words only (截至目前, 今年);
    ``figure_periods``: periods (not points) that date claims, with their
    ``start_years`` counted; ``earliest_start``; ``capped``: periods printed to end
    after the reporting date; ``lead_dates``: points of the lead that date no claim
    (printed, English, start, end, refers_to_en, refers_to_zh, is_after_reporting_date,
    is_end_at_reporting_date).
    """
    printed = table[table["mention_texts"] != ""]
    figures = table[(table["claim_ids"] != "") & ~table["is_point"]]
    starts = pd.to_datetime(figures["start"]).dt.year.value_counts().sort_index()
    lead = table[table["is_point"] & (table["claim_ids"] == "") & (table["chapter"] == 0)]
    return {
        "mentions": int(sum(len(t.split(";")) for t in printed["mention_texts"])),
        "printed_rows": len(printed),
        "worded_rows": len(table) - len(printed),
        "worded": list(table.loc[table["mention_texts"] == "", "period_printed"]),
        "figure_periods": len(figures),
        "start_years": {int(y): int(n) for y, n in starts.items()},
        "earliest_start": min(table["start"][table["start"] != ""], default=""),
        "capped": int(figures["is_end_capped"].sum()),
        "all_end_at_report": bool(len(figures) and figures["is_end_at_reporting_date"].all()),
        "report_end": figures["end"].max() if len(figures) else "",
        "lead_dates": list(zip(lead["period_printed"], lead["period_en"], lead["start"],
                               lead["end"], lead["refers_to_en"], lead["refers_to_zh"],
                               lead["is_after_reporting_date"],
                               lead["is_end_at_reporting_date"], strict=True)),
    }


# --------------------------------------------------------------------------- figures


def _palette(n: int) -> list[str]:
    from helpers.display.plotting import chapter_palette

    return chapter_palette(CHAPTER, n)


def headline_figure(groups: pd.DataFrame, county: str, lang: str = "en"):
    """Exit rates of households and people (stacked to 100%) and average household sizes."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    light, mid, dark = _palette(3)
    g = groups.set_index("group")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.4),
                                   gridspec_kw={"width_ratios": [1.7, 1.0]})
    bars = [("count_households", "share_of_registered_households_pct",
             ("households (户)", "户数")),
            ("count_persons", "share_of_registered_persons_pct", ("people (人)", "人数"))]
    unit_word = {"count_households": "户", "count_persons": "人"}
    for y, (col, share, _label) in enumerate(bars):
        lifted = float(g.loc["lifted", share])
        ax1.barh(y, min(lifted, 100), color=dark, height=0.55)
        ax1.barh(y, max(100 - lifted, 0), left=min(lifted, 100), color=light, height=0.55)
        ax1.text(min(lifted, 100) / 2, y, _t((
            f"{fmt_number(g.loc['lifted', col])} lifted ({fmt_pct(lifted)})",
            f"已脱贫{fmt_number(g.loc['lifted', col])}{unit_word[col]}（{fmt_pct(lifted)}）"),
            lang), ha="center", va="center", color="white", fontsize=10)
        ax1.text(101, y, _t((
            f"{fmt_number(g.loc['remaining', col])} remaining\n"
            f"({fmt_pct(g.loc['remaining', share])})",
            f"未脱贫{fmt_number(g.loc['remaining', col])}{unit_word[col]}\n"
            f"（{fmt_pct(g.loc['remaining', share])}）"), lang),
            ha="left", va="center", fontsize=9.5, color="#333333")
    ax1.set_yticks([0, 1], [_t(b[2], lang) for b in bars])
    ax1.invert_yaxis()
    ax1.set_xlim(0, 100)
    ax1.set_xlabel(_t(("% of the registered total", "占建档立卡总数（%）"), lang))
    ax1.set_title(_t((f"{county}'s registered poor: lifted and remaining",
                      f"{county}建档立卡贫困户：已脱贫与未脱贫"), lang), loc="left", fontsize=11)
    ax1.grid(axis="y", visible=False)

    keys = ["registered", "lifted", "remaining"]
    sizes = [float(g.loc[k, "persons_per_household"]) for k in keys]
    shown = [s if math.isfinite(s) else 0.0 for s in sizes]
    ax2.bar(range(3), shown, color=[mid, dark, light], edgecolor=dark, linewidth=0.8)
    for x, v in enumerate(sizes):
        ax2.text(x, shown[x], fmt_number(v, 2), ha="center", va="bottom", fontsize=10)
    ax2.set_xticks(range(3), [_t(SHORT_GROUPS[k], lang) for k in keys], fontsize=9.5)
    ax2.set_ylabel(_t(("persons per household", "户均人数（人/户）"), lang))
    ax2.set_ylim(min(0, min(shown) * 1.18), max(max(shown), 1) * 1.18)
    ax2.set_title(_t(("Average household size", "户均人口"), lang), loc="left", fontsize=11)
    ax2.grid(axis="x", visible=False)
    fig.suptitle(_t((
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_households_pct'])} of households and "
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_persons_pct'])} of people were lifted; "
        f"the {fmt_number(g.loc['remaining', 'count_households'])} remaining households average "
        f"{fmt_number(sizes[2], 2)} persons, against {fmt_number(sizes[1], 2)}",
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_households_pct'])}的户、"
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_persons_pct'])}的人已脱贫；"
        f"未脱贫的{fmt_number(g.loc['remaining', 'count_households'])}户户均"
        f"{fmt_number(sizes[2], 2)}人，已脱贫户为{fmt_number(sizes[1], 2)}人"), lang),
        x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    fig.subplots_adjust(wspace=0.45)
    return fig


def incidence_base_figure(bases: pd.DataFrame, populations: pd.DataFrame, county: str,
                          lang: str = "en"):
    """Bases implied by the printed incidences (log scale) against the county's population figures.

    ``populations`` may be empty; the band marks the first row's range (the
    remaining poor when they are a candidate).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter

    _check_lang(lang)
    _light, mid, dark = _palette(3)
    grey = "#7f7f7f"
    fig, ax = plt.subplots(figsize=(10.0, 1.2 + 0.6 * (len(bases) + len(populations))))
    rows = []
    for r in bases.itertuples(index=False):
        label = (f"{_t(NUMERATORS[r.numerator], lang)}{_t((': ', '：'), lang)}"
                 f"{fmt_number(r.numerator_persons)} ÷ {fmt_pct_printed(r.incidence_pct)}")
        rows.append((label, r.implied_base_persons, r.implied_base_low_persons,
                     r.implied_base_high_persons,
                     dark if r.numerator.startswith("remaining") else mid))
    for r in populations.itertuples(index=False):
        rows.append((r.label_en if lang == "en" else r.label_zh, r.population_persons, None,
                     None, grey))
    first = bases.iloc[0]
    ax.axvspan(first["implied_base_low_persons"], first["implied_base_high_persons"],
               color=dark, alpha=0.12, lw=0)
    for y, (_label, value, low, high, colour) in enumerate(rows):
        if low is not None:
            ax.errorbar(value, y, xerr=[[value - low], [high - value]], fmt="o",
                        color=colour, ms=8, capsize=4, lw=1.5)
        else:
            ax.plot(value, y, "D", color=colour, ms=7)
        ax.annotate(fmt_people(value, lang), (value, y), xytext=(8, 7),
                    textcoords="offset points", fontsize=9.5, color=colour)
    if len(populations):
        ax.axhline(len(bases) - 0.5, color="#bbbbbb", lw=0.8)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=9.5)
    ax.set_ylim(len(rows) - 0.5, -0.8)
    ax.set_xscale("log")
    lo = min(r[2] or r[1] for r in rows) / 1.6
    hi = max(r[3] or r[1] for r in rows) * 2.2
    ax.set_xlim(lo, hi)
    steps = (1, 2, 5) if math.log10(hi / lo) < 2.5 else (1,)  # fewer ticks over a wide range
    ticks = [m * 10 ** e for e in range(2, 10) for m in steps if lo <= m * 10 ** e <= hi]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_people(v, lang)))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ax.set_xlabel(_t(("persons (log scale); error bars and band: the range the printed rounding "
                      "allows", "人（对数刻度）；误差线与阴影带：原文四舍五入允许的范围"), lang))
    ax.grid(axis="y", visible=False)
    ax.set_title(_t((
        f"{county}: the population each printed incidence implies for each numerator",
        f"{county}：各贫困发生率按不同分子推算的人口基数"), lang), loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def context_figure(national: pd.DataFrame, context: pd.DataFrame, meta, lang: str = "en"):
    """China's rural poor and incidence by year, with the province, the county and the threshold."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter

    _check_lang(lang)
    _light, mid, dark = _palette(3)
    grey, province_colour = "#7f7f7f", "#555555"
    c = context.set_index("key")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.5, 4.8),
                                   gridspec_kw={"width_ratios": [1.0, 1.25]})
    years = national["year_end"].tolist()
    scale = 100 if lang == "en" else 1  # en: million persons; zh: 万人
    values = (national["rural_poor_10k_persons"] / scale).tolist()
    ax1.bar(range(len(years)), values, color=mid, edgecolor=dark, linewidth=0.6)
    for x, v in enumerate(values):
        ax1.text(x, v, f"{v:,.1f}" if lang == "en" else f"{v:,.0f}", ha="center",
                 va="bottom", fontsize=8.5)
    ax1.set_xticks(range(len(years)), [str(y) for y in years], fontsize=9)
    ax1.set_ylabel(_t(("rural poor (million persons)", "农村贫困人口（万人）"), lang))
    ax1.set_ylim(0, max(values) * 1.12)
    ax1.set_title(_t(("China: rural poor at year end (NBS)",
                      "全国：年末农村贫困人口（国家统计局）"), lang), loc="left", fontsize=11)
    ax1.grid(axis="x", visible=False)

    dates = national["as_of"]
    ax2.plot(dates, national["poverty_incidence_pct"], "-o", color=mid, ms=5,
             label=_t(("China, rural (NBS)", "全国农村（国家统计局）"), lang))
    for d, v in zip(dates, national["poverty_incidence_pct"], strict=True):
        ax2.annotate(fmt_pct_printed(v), (d, v), xytext=(0, 6), textcoords="offset points",
                     ha="center", fontsize=8.5, color=dark)
    if "threshold" in c.index:
        threshold = float(c.loc["threshold", "poverty_incidence_pct"])
        name = _t((c.loc["threshold", "label_en"], c.loc["threshold", "label_zh"]), lang)
        ax2.axhline(threshold, color=grey, ls="--", lw=1.2,
                    label=f"{name} ({fmt_pct_printed(threshold)})")
    points = [("county", dark, "*", meta.county_name(lang))]
    if "province" in c.index:
        points.insert(0, ("province", province_colour, "s", meta.province_name(lang)))
    for key, colour, marker, name in points:
        d, v = pd.Timestamp(c.loc[key, "as_of"]), float(c.loc[key, "poverty_incidence_pct"])
        ax2.plot(d, v, marker, color=colour, ms=13 if marker == "*" else 8,
                 label=_t((f"{name} ({fmt_pct_printed(v)}, {d:%Y-%m})",
                           f"{name}（{fmt_pct_printed(v)}，{d:%Y-%m}）"), lang))
        ax2.annotate(f"{name} {fmt_pct_printed(v)}", (d, v), xytext=(-8, -4),
                     textcoords="offset points", ha="right", va="top", fontsize=9.5,
                     color=colour)
    ax2.set_yscale("log")
    rates = list(c["poverty_incidence_pct"]) + list(national["poverty_incidence_pct"])
    ax2.set_ylim(min(rates) / 2, max(rates) * 1.8)
    ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)
             if ax2.get_ylim()[0] <= t <= ax2.get_ylim()[1]]
    ax2.yaxis.set_major_locator(FixedLocator(ticks))
    ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}%"))
    ax2.yaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ends = [*dates, pd.Timestamp(f"{int(national['year_end'].max()) + 1}-12-31")]
    ax2.set_xticks([mdates.date2num(d) for d in ends], [f"{d:%Y}" for d in ends], fontsize=9)
    ax2.set_xlabel(_t((f"year end ({meta.county_name('en')}: its reporting date)",
                       f"年末（{meta.county_name('zh')}：报道时点）"), lang))
    ax2.set_ylabel(_t(("poverty incidence (%, log scale)", "贫困发生率（%，对数刻度）"), lang))
    ax2.set_title(_t(("Poverty incidence", "贫困发生率"), lang), loc="left", fontsize=11)
    ax2.legend(loc="lower left", fontsize=8.5, frameon=True)
    county = float(c.loc["county", "poverty_incidence_pct"])
    fig.suptitle(_t((
        f"{meta.county_name('en')}'s {fmt_pct_printed(county)} "
        f"({c.loc['county', 'as_of'][:7]}) against national and provincial rates and the "
        "county exit threshold",
        f"{meta.county_name('zh')}的贫困发生率{fmt_pct_printed(county)}"
        f"（{c.loc['county', 'as_of'][:7]}）与全国、全省及贫困县退出标准"), lang),
        x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return fig


def timeline_figure(table: pd.DataFrame, report: dt.date, chapters: dict, lang: str = "en"):
    """Every printed date and period as bars (periods) or points (dates), coloured by chapter.

    ``chapters`` maps chapter numbers to (en, zh) labels (:func:`chapter_labels`).
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from helpers.display.plotting import CHAPTER_COLORS

    _check_lang(lang)
    n = len(table)
    fig, ax = plt.subplots(figsize=(11.0, 0.37 * n + 2.2))
    labels = _timeline_labels(table, lang)
    for y, r in enumerate(table.itertuples(index=False)):
        colour = CHAPTER_COLORS.get(int(r.chapter), "#949494")
        start = pd.Timestamp(r.start) if r.start else None
        end = pd.Timestamp(r.end) if r.end else None
        if r.is_point:
            when = end if start is None else start + (end - start) / 2
            ax.plot(when, y, "D", color=colour, ms=8, mec="black", mew=0.6)
            if end is not None and start is not None and end > start:
                ax.plot([start, end], [y, y], color=colour, lw=3)
        else:
            ax.barh(y, mdates.date2num(end) - mdates.date2num(start),
                    left=mdates.date2num(start), height=0.6, color=colour,
                    hatch="//" if r.is_end_capped else None, edgecolor="white", lw=0.5)
    report_ts = pd.Timestamp(report)
    ax.axvline(report_ts, color="black", ls="--", lw=1)
    ax.annotate(_t((f"reporting date (est.) {report:%Y-%m-%d}",
                    f"报道时点（估计）{report:%Y-%m-%d}"), lang), (report_ts, -1.05),
                ha="right", va="top", fontsize=9, xytext=(-4, 0),
                textcoords="offset points", annotation_clip=False)
    ax.set_yticks(range(n), labels, fontsize=9)
    ax.set_ylim(n - 0.4, -1.2)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    starts = pd.to_datetime(table["start"][table["start"] != ""])
    ends = pd.to_datetime(table["end"][table["end"] != ""])
    first = min([*starts, *ends, report_ts])
    ax.set_xlim(mdates.date2num(first - pd.Timedelta(days=60)),
                mdates.date2num(max([*ends, report_ts]) + pd.Timedelta(days=120)))
    ax.set_xlabel(_t(("date", "日期"), lang))
    ax.grid(axis="y", visible=False)
    handles = [Patch(color=CHAPTER_COLORS.get(ch, "#949494"),
                     label=_t(chapters.get(ch, (f"chapter {ch}", f"第{ch}部分")), lang))
               for ch in sorted(set(int(c) for c in table["chapter"]))]
    handles += [
        Patch(facecolor="#cccccc", hatch="//", edgecolor="white",
              label=_t(("printed end capped at the reporting date", "原文止于之后，截至报道时点"),
                       lang)),
        Line2D([], [], marker="D", color="#cccccc", mec="black", ls="", ms=7,
               label=_t(("date or month", "日期或月份"), lang)),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.09), fontsize=9,
              frameon=False, ncol=3)
    title = (f"The {n} dates and periods the article prints, with the figures they date",
             f"原文的{n}个日期与时段及其所属数据")
    ax.set_title(_t(title, lang), loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def _timeline_labels(table: pd.DataFrame, lang: str) -> list[str]:
    """``period · topic`` per row; rows that would read alike get their first indicator."""
    labels = []
    for r in table.itertuples(index=False):
        period = r.period_en if lang == "en" else r.period_printed
        labels.append(f"{period}  ·  {r.topic_en if lang == 'en' else r.topic_zh}")
    repeated = {lab for lab in labels if labels.count(lab) > 1}
    out = []
    for lab, r in zip(labels, table.itertuples(index=False), strict=True):
        if lab in repeated:
            first = (r.refers_to_en if lang == "en" else r.refers_to_zh).split(";")[0]
            words = first.split()
            short = " ".join(words[:3]) + ("…" if len(words) > 3 else "") if lang == "en" \
                else first.split("；")[0][:8]
            lab = f"{lab} ({short})" if lang == "en" else f"{lab}（{short}）"
        out.append(lab)
    return out


# --------------------------------------------------------------------------- passages


def source_passages(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The poverty and population claims as printed, with their quotes (the notebook's start)."""
    lead = claims[claims["id"].str.startswith(("poverty.", "population."))]
    rows = [[r["id"], r["indicator_en"] if lang == "en" else r["indicator_zh"],
             r["value_printed"], r["period_text"] or "–", r["quote"]]
            for _, r in lead.iterrows()]
    cols = [("claim", "条目"), ("indicator", "指标"), ("printed", "原文数值"),
            ("period", "时间"), ("quote", "原文")]
    return pd.DataFrame(rows, columns=[_t(c, _check_lang(lang)) for c in cols])


# --------------------------------------------------------------------------- findings


def group_findings(groups: pd.DataFrame, villages: float | None, as_of: str,
                   lang: str = "en") -> list[str]:
    """Sentences on the registered, lifted and remaining poor and their household sizes."""
    g = groups.set_index("group")
    n = fmt_number
    hh = {k: n(g.loc[k, "count_households"]) for k in GROUPS}
    pp = {k: n(g.loc[k, "count_persons"]) for k in GROUPS}
    share = {(k, u): fmt_pct(g.loc[k, f"share_of_registered_{u}_pct"])
             for k in ("lifted", "remaining") for u in ("households", "persons")}
    size = {k: n(g.loc[k, "persons_per_household"], 2) for k in GROUPS}
    at_lifted = n(g.loc["remaining", "count_households"] * g.loc["lifted", "persons_per_household"])
    out = [(f"By the reporting date ({as_of}) {hh['lifted']} of {hh['registered']} registered "
            f"poor households ({share['lifted', 'households']}) and {pp['lifted']} of "
            f"{pp['registered']} people ({share['lifted', 'persons']}) had been lifted out of "
            "poverty" + (f", and {n(villages)} provincially designated poor villages had exited."
                         if villages is not None else "."),
            f"截至报道时点（{as_of}），{hh['registered']}户建档立卡贫困户中已脱贫{hh['lifted']}户"
            f"（{share['lifted', 'households']}），{pp['registered']}人中已脱贫{pp['lifted']}人"
            f"（{share['lifted', 'persons']}）"
            + (f"，{n(villages)}个省定贫困村已出列。" if villages is not None else "。"))]
    if (g.loc["remaining", ["count_households", "count_persons"]] < 0).any():
        out.append((f"More are printed as lifted than as registered, so registered minus lifted "
                    f"is negative ({hh['remaining']} households, {pp['remaining']} people): a "
                    "part larger than its whole (see the audit, notebook 04).",
                    f"原文的已脱贫数大于建档立卡总数，总数减已脱贫为负（{hh['remaining']}户、"
                    f"{pp['remaining']}人）：部分大于整体（见核查笔记本04）。"))
        return [_t(pair, lang) for pair in out]
    smaller = g.loc["remaining", "persons_per_household"] < g.loc["lifted", "persons_per_household"]
    out += [(f"Registered minus lifted leaves {hh['remaining']} households and {pp['remaining']} "
             f"people: {share['remaining', 'households']} of the households and "
             f"{share['remaining', 'persons']} of the people.",
             f"总数减去已脱贫，尚余{hh['remaining']}户{pp['remaining']}人：占总户数的"
             f"{share['remaining', 'households']}，占总人数的{share['remaining', 'persons']}。"),
            (f"The remaining households average {size['remaining']} persons, against "
             f"{size['lifted']} for lifted and {size['registered']} for all registered "
             f"households; at the lifted households' size they would hold {at_lifted} people, "
             f"not {pp['remaining']}." + (
                 " The article does not say who they are; small households are typical of those "
                 "supported by social-assistance (兜底) policies, which is one possible reading."
                 if smaller else ""),
             f"未脱贫户户均{size['remaining']}人，已脱贫户{size['lifted']}人，全部建档立卡户"
             f"{size['registered']}人；若按已脱贫户的户均人数，这些户应有{at_lifted}人，而实际为"
             f"{pp['remaining']}人。" + ("原文未说明他们是谁；小规模家庭常见于政策性兜底保障对象，"
                                     "这只是一种可能的解释。" if smaller else ""))]
    return [_t(pair, lang) for pair in out]


def base_findings(bases: pd.DataFrame, population_printed: str, start_vs_end_pct: float | None,
                  lang: str = "en") -> list[str]:
    """Sentences on the base population each printed incidence implies.

    ``bases`` is the notebook's frame, with its ``half_step_pct`` column (half the
    last printed digit of each incidence).
    """
    b = bases.set_index("numerator")
    end = b[b.index != "registered_start"]
    n, pct = fmt_number, fmt_pct_printed
    out = []
    if len(end):
        e, key, others = end.iloc[0], end.index[0], end.iloc[1:]
        low, high = e["incidence_pct"] - e["half_step_pct"], e["incidence_pct"] + e["half_step_pct"]
        en = (f"The printed incidence of {pct(e['incidence_pct'])} (any value from {pct(low)} to "
              f"{pct(high)}) fits the {n(e['numerator_persons'])} {NUMERATORS[key][0]} over "
              f"{n(e['implied_base_low_persons'])}–{n(e['implied_base_high_persons'])} people "
              f"(central value {n(e['implied_base_persons'])})")
        zh = (f"原文贫困发生率{pct(e['incidence_pct'])}（即{pct(low)}至{pct(high)}之间的任何值）"
              "对应"
              f"{NUMERATORS[key][1]}{n(e['numerator_persons'])}人除以"
              f"{n(e['implied_base_low_persons'])}至{n(e['implied_base_high_persons'])}人（中值"
              f"{n(e['implied_base_persons'])}人）")
        if len(others):
            people = {lg: [fmt_people(v, lg) for v in others["implied_base_persons"]]
                      for lg in ("en", "zh")}
            times = [f"{t:.1f}" for t in others["times_article_population"]]
            en += ("; read as " + " or ".join(NUMERATORS[k][0] for k in others.index)
                   + " it would imply " + " or ".join(people["en"]) + " people"
                   + (f", {' and '.join(times)} times the article's {population_printed}"
                      if population_printed else ""))
            zh += ("；若以" + "或".join(NUMERATORS[k][1] for k in others.index) + "为分子，基数将为"
                   + "或".join(f"{p}人" for p in people["zh"])
                   + (f"，是原文{population_printed}的" + "和".join(f"{t}倍" for t in times)
                      if population_printed else ""))
        out.append((en + ".", zh + "。"))
    if "registered_start" in b.index and start_vs_end_pct is not None:
        s, e = b.loc["registered_start"], end.iloc[0]
        out.append((
            f"At the start of the campaign {n(s['numerator_persons'])} registered poor at "
            f"{pct(s['incidence_pct'])} imply a base of {n(s['implied_base_persons'])} people "
            f"({n(s['implied_base_low_persons'])}–{n(s['implied_base_high_persons'])}); the final "
            f"rate implies {n(e['implied_base_persons'])}: the start's base is "
            f"{start_vs_end_pct:+.1f}% against the end's.",
            f"建档立卡之初{n(s['numerator_persons'])}人、贫困发生率{pct(s['incidence_pct'])}，"
            f"隐含基数{n(s['implied_base_persons'])}人（{n(s['implied_base_low_persons'])}至"
            f"{n(s['implied_base_high_persons'])}人）；最终贫困发生率隐含"
            f"{n(e['implied_base_persons'])}人：期初基数比期末{start_vs_end_pct:+.1f}%。"))
    return [_t(pair, lang) for pair in out]


def population_findings(check: pd.DataFrame, lang: str = "en") -> list[str]:
    """Sentences on the remaining poor over each population figure."""
    c = check.set_index("population")
    matches = list(c.index[c["is_within_printed_rounding"]])
    below = list(c.index[c["implied_base_vs_population_pct"] > 0])
    above = list(c.index[c["implied_base_vs_population_pct"] < 0])
    short = "short_en" if lang == "en" else "short_zh"
    rate = "incidence_with_remaining_pct"

    def names(keys, sep):
        return sep.join(c.loc[k, short] for k in keys)

    if lang == "en":
        rates = ", ".join(f"{fmt_pct(c.loc[k, rate], 3)} of {c.loc[k, short]}" for k in c.index)
        fit = (f"of these only the rate over {names(matches, ' and ')} rounds"
               if len(matches) == 1 else f"the rates over {names(matches, ' and ')} round"
               if matches else "none of these rounds")
        where = []
        if below:
            where.append(f"above {names(below, ' and ')}")
        if above:
            where.append(f"below {names(above, ' and ')}")
        return [f"The remaining poor are {rates}; {fit} to the printed rate. The implied base "
                f"lies {' and '.join(where) or 'on one of them'}; the article does not name its "
                "denominator (the "
                "official exit measure uses the rural population)."]
    rates = "；".join(f"以{c.loc[k, short]}为基数占{fmt_pct(c.loc[k, rate], 3)}"
                     for k in c.index)
    where = []
    if below:
        where.append(f"高于{names(below, '、')}")
    if above:
        where.append(f"低于{names(above, '、')}")
    return [f"未脱贫人口{rates}；落在原文数值四舍五入范围内的：{names(matches, '、') or '无'}。"
            f"隐含基数{'，'.join(where) or '与其中之一相同'}；"
            "原文未说明分母（官方退出标准以农村人口为分母）。"]


def context_findings(context: pd.DataFrame, decline: dict, county: str,
                     lang: str = "en") -> list[str]:
    """Sentences on the county's rate against the province, China and the exit threshold."""
    c = context.set_index("key")
    own = c.loc["county"]
    compared = [k for k in ("province", "china_last", "threshold") if k in c.index]
    label = "label_en" if lang == "en" else "label_zh"

    def times(k):
        m = float(c.loc[k, "multiple_of_county"])
        return f"{m:.1f}" if m >= 1 else f"{m:.2f}"

    def when(k, sep):
        return f"{sep}{c.loc[k, 'as_of']}" if c.loc[k, "as_of"] else ""

    months = (round((pd.Timestamp(own["as_of"]) - pd.Timestamp(c.loc["china_last", "as_of"])).days
                    / (365.25 / 12)) if own["as_of"] else None)
    if lang == "en":
        parts = [f"{c.loc[k, label]} {fmt_pct_printed(c.loc[k, 'poverty_incidence_pct'])}"
                 f"{when(k, ' as of ')} is {times(k)} times as high" for k in compared]
        return [f"Relative to {county}'s {fmt_pct_printed(own['poverty_incidence_pct'])}"
                f"{when('county', ' as of ')}: " + "; ".join(parts)
                + (f" (the national figure is {months} months older)" if months else "")
                + ". The county's rate counts the poverty register's people not yet lifted; "
                "the national rate is estimated from NBS's household survey, so that multiple "
                "compares two different measures (the provincial source does not say which it "
                "uses)"
                + f". China's rural poor fell by {fmt_pct(decline['fall_pct'])} from "
                f"end-{decline['first_year']} to end-{decline['last_year']}."]
    parts = [f"{c.loc[k, label]}（{fmt_pct_printed(c.loc[k, 'poverty_incidence_pct'])}"
             f"{when(k, '，')}）为其{times(k)}倍" for k in compared]
    return [f"{county}的贫困发生率{fmt_pct_printed(own['poverty_incidence_pct'])}"
            f"{when('county', '（截至')}{'）' if own['as_of'] else ''}；" + "；".join(parts)
            + (f"；全国数据早{months}个月" if months else "")
            + "。县级发生率以建档立卡未脱贫人口计算，全国发生率由国家统计局住户调查估计，"
            "二者为不同的测量（省级数据来源未说明其测量方法）" + f"。全国农村贫困人口"
            f"{decline['first_year']}年末至{decline['last_year']}年末减少了"
            f"{fmt_pct(decline['fall_pct'])}。"]


def timeline_findings(table: pd.DataFrame, lang: str = "en", published: str = "") -> list[str]:
    """Sentences on the dates and periods the article prints.

    ``published``: the source's publication date as recorded (an estimate, in words);
    when given, a lead date that is not after the reporting date is said to have
    passed by then."""
    s = timeline_summary(table)
    worded = s["worded"]
    out = [(f"The article prints {s['mentions']} year and date mentions, which make "
            f"{s['printed_rows']} dates and periods, plus {s['worded_rows']} "
            f"period{'' if s['worded_rows'] == 1 else 's'} in words"
            + (f" ({', '.join(worded)})" if worded else "")
            + (f"; the earliest starts in {s['earliest_start'][:4]}" if s["earliest_start"]
               else "") + ".",
            f"原文共有{s['mentions']}处年份与日期，合成{s['printed_rows']}个日期或时段，另有"
            f"{s['worded_rows']}个文字表述的时段" + (f"（{'、'.join(worded)}）" if worded else "")
            + (f"；最早始于{s['earliest_start'][:4]}年" if s["earliest_start"] else "") + "。")]
    if s["figure_periods"]:
        out.append((
            f"The {s['figure_periods']} periods that date figures start in "
            + ", ".join(f"{y} ({c})" for y, c in s["start_years"].items()) + " and "
            + (f"all end at the reporting date, {s['report_end']}" if s["all_end_at_report"]
               else f"end by {s['report_end']}")
            + f" ({s['capped']} of them are printed to a later end and capped there).",
            f"{s['figure_periods']}个数据时段的起点为"
            + "，".join(f"{y}年{c}个" for y, c in s["start_years"].items()) + "，"
            + ("全部止于报道时点" if s["all_end_at_report"] else f"止于{s['report_end']}之前")
            + f"（其中{s['capped']}个原文止于更晚，按惯例截至报道时点）。"))
    if s["lead_dates"]:
        out.append((
            "The lead's own dates: " + "; ".join(
                f"{d[0]} ({d[2]}{'' if d[2] == d[3] else ' to ' + d[3]}"
                f"{', after the reporting date' if d[6] else ''}"
                f"{', the reporting date' if d[7] else ''}), {d[4]}"
                for d in s["lead_dates"]) + ".",
            "导语中的日期：" + "；".join(
                f"{d[0]}（{d[2]}{'' if d[2] == d[3] else '至' + d[3]}"
                f"{'，在报道时点之后' if d[6] else ''}{'，即报道时点' if d[7] else ''}）：{d[5]}"
                for d in s["lead_dates"]) + "。"))
        passed = [d[0] for d in s["lead_dates"] if not d[6]]
        if passed and published:
            out.append((
                f"{' and '.join(passed)} {'is' if len(passed) == 1 else 'are'} not after the "
                f"reporting date, so {'it' if len(passed) == 1 else 'they'} had passed when the "
                f"article was published ({published}); the article does not say whether what "
                f"{'it dates' if len(passed) == 1 else 'they date'} happened.",
                f"{'、'.join(passed)}不晚于报道时点，文章发表时（{published}）已过；原文未说明届时"
                "所述事项是否已实现。"))
    return [_t(pair, lang) for pair in out]
