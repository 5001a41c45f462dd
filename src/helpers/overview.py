"""Notebook 00, the overview: the lead's headline figures in context.

The article's lead (chapter 0) prints the campaign's result in one sentence:
poor villages exited, registered poor households and people, those lifted out
of poverty, and a poverty incidence of 0.18%; a later sentence speaks of 143万
耒阳儿女 (the people of Leiyang).  This module

- derives the households and people still in poverty (registered − lifted), the
  exit rates and the average household size of each group
  (:func:`headline_groups`);
- reads the incidence backwards: the base population it implies for each
  candidate numerator, with the range the printed precision allows
  (:func:`implied_bases`), against the population figures of the article and of
  the 2010 census (:func:`population_check`);
- places the 0.18% in the national (NBS) and provincial series and against the
  county exit threshold (:func:`load_national_poverty`,
  :func:`load_context_facts`, :func:`incidence_context`);
- collects every date and period the article prints into a timeline
  (:func:`timeline`), from the extractor's year, year-range and date mentions
  and the claims' periods.

Every number comes from the claims table (through claim ids) or from the
reference files under ``data/reference/`` (through fact ids and years); tables
name both in their ``claim_ids`` and ``sources`` columns.  Nothing runs at
import time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd

from . import formatting as fmt
from . import units
from .claims import get_claim
from .formatting import check_lang as _check_lang
from .formatting import iso_date as _iso
from .formatting import pick as _t
from .paths import get_paths

#: The article's chapter this notebook covers (colour: ``plotting.CHAPTER_COLORS[0]``).
CHAPTER = 0

#: Claims of the lead used here.
IDS: dict[str, str] = {
    "villages": "poverty.poor_villages_exited",
    "registered_households": "poverty.registered_households",
    "registered_persons": "poverty.registered_persons",
    "lifted_households": "poverty.lifted_households",
    "lifted_persons": "poverty.lifted_persons",
    "incidence": "poverty.poverty_incidence",
    "population": "population.total",
}

#: Facts of ``data/reference/context_facts.csv`` used here.
FACTS: dict[str, str] = {
    "census_registered": "leiyang_census2010_registered_population",
    "census_resident": "leiyang_census2010_resident_population",
    "threshold": "county_exit_incidence_threshold_central_pct",
    "hunan_incidence": "hunan_poverty_incidence_2019_pct",
    "hunan_poor": "hunan_rural_poor_2019",
}

#: Columns of the national series, in order.
NATIONAL_COLUMNS = ("year_end", "rural_poor_10k_persons", "poverty_incidence_pct")

#: Columns of the context facts, in order.
FACT_COLUMNS = ("fact_id", "value", "unit", "as_of", "description", "source")

#: The three groups of the headline sentence, with their labels.
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

#: Provenance key holding the article's reporting date (see ``docs/CONVENTIONS.md``).
REPORTING_DATE_KEY = "reporting_date_used_for_periods"

#: Kinds of :func:`helpers.extract.find_mentions` that are dates or periods.
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
}

#: Section slugs (``docs/CONVENTIONS.md``) as topic labels.
SECTION_LABELS: dict[str, tuple[str, str]] = {
    "headline": ("headline figures", "主要成效"),
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

#: Chapter labels (the article's chapter headings, first words, and their English).
CHAPTER_LABELS: dict[int, tuple[str, str]] = {
    0: ("lead", "导语"),
    1: ("1 Closing gaps (补短强弱)", "1 补短强弱"),
    2: ("2 Teaching to fish (授人以渔)", "2 授人以渔"),
    3: ("3 Acting in concert (同频共振)", "3 同频共振"),
}

_MONTHS_EN = tuple(calendar.month_name)  # "", "January", ... (locale-independent in CPython)


class ReferenceDataError(ValueError):
    """A reference file that does not have the expected columns or values."""


# --------------------------------------------------------------------------- small helpers


def _ids(*ids: str) -> str:
    """Claim ids joined by ``;`` without duplicates (the ``claim_ids`` column)."""
    return ";".join(dict.fromkeys(i for i in ids if i))


def fmt_number(value: float, digits: int = 0) -> str:
    """``43172`` -> ``'43,172'``; ``nan`` -> ``'–'`` (:func:`helpers.formatting.fmt_number`)."""
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


def _claim_value(claims: pd.DataFrame, key: str, base_unit: str) -> float:
    """The value of claim ``IDS[key]``, checking its base unit."""
    row = get_claim(claims, IDS[key])
    if row["base_unit"] != base_unit:
        raise ValueError(f"claim {IDS[key]} is in {row['base_unit']!r}; expected {base_unit!r}")
    return float(row["value_base"])


# --------------------------------------------------------------------------- reference data


def reference_source(path: str | Path, key: str | int | None = None) -> str:
    """How a table row cites reference data: ``<file relative to root>#<key>``."""
    shown = get_paths().relative(path)
    return shown if key is None else f"{shown}#{key}"


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
    """The context facts (census population, exit threshold, Hunan figures), validated.

    Reads ``data/reference/context_facts.csv`` by default; ``value`` becomes a
    float and ``as_of`` a date (missing when not stated).  ``attrs["source"]``
    holds the file relative to the root.
    """
    paths = get_paths()
    file = paths.context_facts if path is None else paths.resolve(path)
    shown = paths.relative(file)
    out = _read_reference_csv(file, FACT_COLUMNS)
    if out["fact_id"].duplicated().any():
        dup = out.loc[out["fact_id"].duplicated(), "fact_id"].iloc[0]
        raise ReferenceDataError(f"{shown}: fact_id {dup!r} appears twice")
    out["value"] = _numeric(out, "value", shown)
    out["as_of"] = pd.to_datetime(out["as_of"].where(out["as_of"] != "", None), format="%Y-%m-%d")
    out.attrs["source"] = shown
    return out


def fact(facts: pd.DataFrame, fact_id: str) -> float:
    """The value of one context fact; ``KeyError`` naming the fact if absent."""
    hit = facts.loc[facts["fact_id"] == fact_id, "value"]
    if hit.empty:
        raise KeyError(f"fact {fact_id!r} not in {facts.attrs.get('source', 'context facts')}")
    return float(hit.iloc[0])


def fact_date(facts: pd.DataFrame, fact_id: str):
    """The ``as_of`` date of one context fact (``NaT`` when not stated)."""
    fact(facts, fact_id)
    return facts.loc[facts["fact_id"] == fact_id, "as_of"].iloc[0]


def fact_source(facts: pd.DataFrame, fact_id: str) -> str:
    """The citation of a fact: ``data/reference/context_facts.csv#<fact_id>``."""
    fact(facts, fact_id)
    return f"{facts.attrs.get('source', 'context_facts.csv')}#{fact_id}"


def national_source(national: pd.DataFrame, year: int) -> str:
    """The citation of one year of the national series."""
    return f"{national.attrs.get('source', 'national_rural_poverty.csv')}#{int(year)}"


def reference_sources() -> pd.DataFrame:
    """One row per reference file: producer, definition and where its provenance is recorded."""
    paths = get_paths()
    rows = []
    for file in (paths.national_poverty, paths.context_facts):
        record = load_provenance(file)
        rows.append({
            "file": paths.relative(file),
            "producer": " ".join(str(record.get("producer", "")).split()),
            "definition": " ".join(str(record.get("definition", "")).split()),
            "provenance": (paths.relative(provenance_path(file)) if record
                           else paths.relative(paths.reference / "SOURCES.md")),
        })
    return pd.DataFrame(rows)


def display_reference_sources(lang: str = "en") -> pd.DataFrame:
    """:func:`reference_sources` with headers in ``lang``."""
    table = reference_sources()
    cols = [("file", "文件"), ("producer", "发布机构"), ("definition", "定义"),
            ("provenance record", "来源记录")]
    table.columns = [_t(c, lang) for c in cols]
    return table.fillna("–").replace("", "–")


# --------------------------------------------------------------------------- headline groups


def headline_groups(claims: pd.DataFrame) -> pd.DataFrame:
    """Registered, lifted and remaining (registered − lifted) households and people.

    Columns: ``group``, ``count_households``, ``count_persons``, ``persons_per_household``
    (average household size), ``share_of_registered_households_pct`` and
    ``share_of_registered_persons_pct`` (the exit rates for ``lifted``),
    ``is_computed``, ``qualifier`` (``exact`` when both printed counts are exact,
    else ``approx``), ``is_size_at_least_one`` (a household has at least one
    person) and ``claim_ids``.  Raises :class:`ValueError` when more are lifted
    than registered.
    """
    reg_h = _claim_value(claims, "registered_households", "households")
    reg_p = _claim_value(claims, "registered_persons", "persons")
    lift_h = _claim_value(claims, "lifted_households", "households")
    lift_p = _claim_value(claims, "lifted_persons", "persons")
    if lift_h > reg_h or lift_p > reg_p:
        raise ValueError(
            f"more lifted than registered ({lift_h:g} of {reg_h:g} households, "
            f"{lift_p:g} of {reg_p:g} persons); check claims {IDS['lifted_households']} "
            f"and {IDS['lifted_persons']}")
    exact = all(get_claim(claims, IDS[k])["qualifier"] == "exact" for k in
                ("registered_households", "registered_persons", "lifted_households",
                 "lifted_persons"))
    reg_ids = _ids(IDS["registered_households"], IDS["registered_persons"])
    lift_ids = _ids(IDS["lifted_households"], IDS["lifted_persons"])
    rows = [
        ("registered", reg_h, reg_p, False, get_claim(claims, IDS["registered_persons"])
         ["qualifier"], reg_ids),
        ("lifted", lift_h, lift_p, False, get_claim(claims, IDS["lifted_persons"])["qualifier"],
         lift_ids),
        ("remaining", reg_h - lift_h, reg_p - lift_p, True, "exact" if exact else "approx",
         _ids(reg_ids, lift_ids)),
    ]
    out = pd.DataFrame(rows, columns=["group", "count_households", "count_persons", "is_computed",
                                      "qualifier", "claim_ids"])
    out["persons_per_household"] = [p / h if h else math.nan
                                    for h, p in zip(out["count_households"], out["count_persons"],
                                                    strict=True)]
    out["share_of_registered_households_pct"] = 100 * out["count_households"] / reg_h
    out["share_of_registered_persons_pct"] = 100 * out["count_persons"] / reg_p
    out["is_size_at_least_one"] = out["count_persons"] >= out["count_households"]
    return out[["group", "count_households", "count_persons", "persons_per_household",
                "share_of_registered_households_pct", "share_of_registered_persons_pct",
                "is_computed", "qualifier", "is_size_at_least_one", "claim_ids"]]


def size_gap(groups: pd.DataFrame) -> dict[str, float]:
    """How much smaller the remaining households are than the lifted ones.

    Returns the two average sizes, their difference and ratio, and the persons
    the remaining households would hold at the lifted households' average size.
    """
    g = groups.set_index("group")
    remaining, lifted = g.loc["remaining"], g.loc["lifted"]
    return {
        "remaining_size": float(remaining["persons_per_household"]),
        "lifted_size": float(lifted["persons_per_household"]),
        "registered_size": float(g.loc["registered", "persons_per_household"]),
        "difference": float(lifted["persons_per_household"]
                            - remaining["persons_per_household"]),
        "ratio": float(remaining["persons_per_household"] / lifted["persons_per_household"]),
        "persons_at_lifted_size": float(remaining["count_households"]
                                        * lifted["persons_per_household"]),
        "remaining_persons": float(remaining["count_persons"]),
    }


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


def incidence_range(claims: pd.DataFrame, claim_id: str = IDS["incidence"]
                    ) -> tuple[float, float, float]:
    """A printed percentage and the interval its last printed digit allows.

    ``0.18%`` -> ``(0.18, 0.175, 0.185)``: any value that rounds to the printed one.
    """
    row = get_claim(claims, claim_id)
    if row["base_unit"] != "percent":
        raise ValueError(f"claim {claim_id} is in {row['base_unit']!r}, not a percentage")
    parsed = units.parse_printed(row["value_printed"])
    value = float(row["value_base"])
    return value, value - parsed.half_step, value + parsed.half_step


def implied_base(numerator: float, incidence_pct: float) -> float:
    """The population a rate implies: ``numerator / (incidence_pct / 100)``."""
    if incidence_pct <= 0:
        raise ValueError(f"incidence must be > 0 to imply a base, got {incidence_pct!r}")
    return numerator * 100 / incidence_pct


#: Candidate numerators of the printed incidence: (group, labels).
NUMERATORS: dict[str, tuple[str, str]] = {
    "remaining": ("remaining poor (registered − lifted)", "未脱贫人口（总人数−已脱贫）"),
    "lifted": ("people lifted out of poverty", "已脱贫人口"),
    "registered": ("registered poor, total", "贫困户总人数"),
}


def implied_bases(claims: pd.DataFrame) -> pd.DataFrame:
    """The base population the printed incidence implies for each candidate numerator.

    Columns: ``numerator`` (group), ``numerator_persons``, ``incidence_pct``,
    ``implied_base_persons`` and the range ``implied_base_low_persons`` –
    ``implied_base_high_persons`` (from the rounding interval of the printed
    rate: the high rate gives the low base), ``times_article_population``
    (base / the article's population figure) and ``claim_ids``.
    """
    groups = headline_groups(claims).set_index("group")
    pct, low, high = incidence_range(claims)
    population = _claim_value(claims, "population", "persons")
    rows = []
    for key in NUMERATORS:
        num = float(groups.loc[key, "count_persons"])
        base = implied_base(num, pct)
        rows.append({
            "numerator": key,
            "numerator_persons": num,
            "incidence_pct": pct,
            "implied_base_persons": base,
            "implied_base_low_persons": implied_base(num, high),
            "implied_base_high_persons": implied_base(num, low),
            "times_article_population": base / population,
            "claim_ids": _ids(*[i for i in groups.loc[key, "claim_ids"].split(";")
                                if i.endswith("_persons")], IDS["incidence"],
                              IDS["population"]),
            "sources": "",
        })
    return pd.DataFrame(rows)


#: Population figures to compare the implied base with: key -> (label en, label zh,
#: short en, short zh); ``{printed}`` is the article's figure as printed with its noun
#: (read from the claim).
POPULATIONS: dict[str, tuple[str, str, str, str]] = {
    "article": ("the article: {printed}", "原文：{printed}", "the article's {printed}",
                "原文的{printed}"),
    "census_registered": ("2010 census, registered (户籍)", "2010年人口普查：户籍人口",
                          "the 2010 registered population", "2010年户籍人口"),
    "census_resident": ("2010 census, resident", "2010年人口普查：常住人口",
                        "the 2010 resident population", "2010年常住人口"),
}


def article_population_printed(claims: pd.DataFrame) -> str:
    """The article's population figure as printed with its noun (value + indicator)."""
    row = get_claim(claims, IDS["population"])
    return f"{row['value_printed']}{row['indicator_zh']}"


def population_check(claims: pd.DataFrame, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Leiyang's population figures against the base implied by the remaining poor.

    For the article's population figure and the 2010 census registered and resident
    populations: ``population_persons``, ``incidence_with_remaining_pct`` (the
    remaining poor over that population), ``is_within_printed_rounding`` (it
    rounds to the printed rate), ``implied_base_vs_population_pct`` (how far the
    implied base is above (+) or below (−) the population), ``claim_ids`` and
    ``sources``, with labels ``label_en``/``label_zh`` and ``short_en``/``short_zh``.
    """
    facts = load_context_facts() if facts is None else facts
    base = implied_bases(claims).set_index("numerator").loc["remaining"]
    _, low, high = incidence_range(claims)
    remaining = float(base["numerator_persons"])
    remaining_ids = _ids(IDS["registered_persons"], IDS["lifted_persons"])
    entries = [
        ("article", _claim_value(claims, "population", "persons"), IDS["population"], ""),
        ("census_registered", fact(facts, FACTS["census_registered"]), "",
         fact_source(facts, FACTS["census_registered"])),
        ("census_resident", fact(facts, FACTS["census_resident"]), "",
         fact_source(facts, FACTS["census_resident"])),
    ]
    printed = article_population_printed(claims)
    rows = []
    for key, pop, claim_id, source in entries:
        rate = 100 * remaining / pop
        rows.append({
            "population": key,
            "label_en": POPULATIONS[key][0].format(printed=printed),
            "label_zh": POPULATIONS[key][1].format(printed=printed),
            "short_en": POPULATIONS[key][2].format(printed=printed),
            "short_zh": POPULATIONS[key][3].format(printed=printed),
            "population_persons": pop,
            "incidence_with_remaining_pct": rate,
            "is_within_printed_rounding": bool(low <= rate <= high),
            "implied_base_vs_population_pct":
                100 * (float(base["implied_base_persons"]) - pop) / pop,
            "claim_ids": _ids(claim_id, remaining_ids, IDS["incidence"]),
            "sources": source,
        })
    return pd.DataFrame(rows)


def display_bases(bases: pd.DataFrame, lang: str = "en",
                  population_printed: str = "") -> pd.DataFrame:
    """The implied bases formatted for display, headers in ``lang``.

    ``population_printed`` names the article's population figure in the last header.
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
            (f"× the article's {population_printed or 'population'}",
             f"为原文{population_printed or '人口'}的倍数")]
    return pd.DataFrame(rows, columns=[_t(c, lang) for c in cols])


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


def incidence_context(claims: pd.DataFrame, national: pd.DataFrame | None = None,
                      facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Leiyang's incidence next to Hunan's, China's and the county exit threshold.

    Rows: Leiyang (the claim, as of its period end), Hunan at end-2019, China at
    the first and last year of the national series, the exit threshold for
    central provinces.  Columns: ``key``, ``label_en``, ``label_zh``, ``as_of``
    (ISO date or empty), ``poverty_incidence_pct``, ``poor_persons`` (where
    known), ``multiple_of_leiyang`` (rate ÷ Leiyang's rate), ``claim_ids``,
    ``sources``.
    """
    national = load_national_poverty() if national is None else national
    facts = load_context_facts() if facts is None else facts
    pct, _, _ = incidence_range(claims)
    inc = get_claim(claims, IDS["incidence"])
    groups = headline_groups(claims).set_index("group")
    first, last = national.iloc[0], national.iloc[-1]
    rows = [
        ("leiyang", ("Leiyang (the article)", "耒阳（原文）"), _iso(inc["period_end"]), pct,
         float(groups.loc["remaining", "count_persons"]),
         _ids(IDS["incidence"], IDS["registered_persons"], IDS["lifted_persons"]), ""),
        ("hunan", ("Hunan province", "湖南省"),
         _iso(fact_date(facts, FACTS["hunan_incidence"])), fact(facts, FACTS["hunan_incidence"]),
         fact(facts, FACTS["hunan_poor"]), "",
         ";".join([fact_source(facts, FACTS["hunan_incidence"]),
                   fact_source(facts, FACTS["hunan_poor"])])),
        ("china_last", ("China, rural", "全国农村"), _iso(last["as_of"]),
         float(last["poverty_incidence_pct"]), float(last["rural_poor_persons"]), "",
         national_source(national, last["year_end"])),
        ("china_first", ("China, rural", "全国农村"), _iso(first["as_of"]),
         float(first["poverty_incidence_pct"]), float(first["rural_poor_persons"]), "",
         national_source(national, first["year_end"])),
        ("threshold", ("county exit threshold, central provinces", "贫困县退出标准（中部）"),
         "", fact(facts, FACTS["threshold"]), math.nan, "",
         fact_source(facts, FACTS["threshold"])),
    ]
    out = pd.DataFrame(rows, columns=["key", "labels", "as_of", "poverty_incidence_pct",
                                      "poor_persons", "claim_ids", "sources"])
    out.insert(1, "label_en", [lab[0] for lab in out["labels"]])
    out.insert(2, "label_zh", [lab[1] for lab in out["labels"]])
    out["multiple_of_leiyang"] = out["poverty_incidence_pct"] / pct
    return out.drop(columns="labels")[["key", "label_en", "label_zh", "as_of",
                                       "poverty_incidence_pct", "poor_persons",
                                       "multiple_of_leiyang", "claim_ids", "sources"]]


def national_decline(national: pd.DataFrame) -> dict[str, float]:
    """The national series' first and last years and the fall in the rural poor between them."""
    first, last = national.iloc[0], national.iloc[-1]
    return {
        "first_year": int(first["year_end"]), "last_year": int(last["year_end"]),
        "first_persons": float(first["rural_poor_persons"]),
        "last_persons": float(last["rural_poor_persons"]),
        "fall_pct": 100 * (1 - float(last["rural_poor_persons"])
                           / float(first["rural_poor_persons"])),
    }


def display_context(context: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The incidence comparison formatted for display, headers in ``lang``."""
    rows = [[r.label_en if lang == "en" else r.label_zh, r.as_of or "–",
             fmt_pct_printed(r.poverty_incidence_pct), fmt_number(r.poor_persons),
             f"{r.multiple_of_leiyang:.1f}",
             "; ".join(filter(None, [r.claim_ids.split(";")[0], r.sources.split(";")[0]]))]
            for r in context.itertuples(index=False)]
    cols = [("place", "地区"), ("as of", "时点"), ("poverty incidence", "贫困发生率"),
            ("poor persons", "贫困人口"), ("× Leiyang's rate", "为耒阳的倍数"),
            ("source", "来源")]
    return pd.DataFrame(rows, columns=[_t(c, _check_lang(lang)) for c in cols])


# --------------------------------------------------------------------------- article and dates


def article_path(claims: pd.DataFrame) -> Path:
    """The one source text the claims cite (``source`` column), resolved from the root."""
    sources = sorted(set(claims["source"]))
    if len(sources) != 1:
        raise ValueError(f"expected claims from one source text, got {', '.join(sources)}")
    return get_paths().resolve(sources[0])


def article_text(claims: pd.DataFrame) -> str:
    """The source text of the claims."""
    return article_path(claims).read_text(encoding="utf-8")


def reporting_date(claims: pd.DataFrame) -> dt.date:
    """The article's reporting date: its provenance record's, else the latest period end."""
    record = load_provenance(article_path(claims))
    value = record.get(REPORTING_DATE_KEY)
    if value:
        return pd.Timestamp(str(value)).date()
    ends = claims["period_end"].dropna()
    if ends.empty:
        raise ValueError("no reporting date: no provenance record and no period_end in claims")
    return pd.Timestamp(ends.max()).date()


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
    start = end = None
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


def _exclusion_reasons() -> dict[tuple[int, str], str]:
    """English reasons of the exclusions file by (offset, text); ``{}`` if unavailable."""
    from .coverage import load_exclusions

    try:
        frame = load_exclusions()
    except Exception:
        return {}
    return {(int(o), t): r for o, t, r in zip(frame["offset"], frame["text"], frame["reason"],
                                              strict=True)}


def _reason_text(reason: str) -> str:
    """``'date: 今年6月底 (…), when …; a timeline event'`` -> ``'今年6月底 (…), when …'``."""
    body = reason.split(": ", 1)[-1].split("; ", 1)[0]
    body = re.sub(r"^\S+ \([^)]*\),\s*", "", body)  # the printed date and its gloss
    return re.sub(r"^(?:start|end) of (?:the )?", "", body)


def chapter_label(chapter: int) -> tuple[str, str]:
    """English and Chinese label of a chapter (``'chapter N'`` for unknown numbers)."""
    return CHAPTER_LABELS.get(int(chapter), (f"chapter {chapter}", f"第{chapter}部分"))


TIMELINE_COLUMNS = ["row", "period_printed", "period_en", "start", "end", "is_point",
                    "is_end_capped", "is_end_at_reporting_date", "is_after_reporting_date",
                    "chapter", "offset", "mention_texts", "topic_en", "topic_zh",
                    "refers_to_en", "refers_to_zh", "claim_ids", "sources"]


def timeline(claims: pd.DataFrame, text: str | None = None,
             report: dt.date | None = None) -> pd.DataFrame:
    """Every date and period the article prints, in text order, with the claims it dates.

    Rows come from the extractor's ``year``, ``year_range`` and ``date`` mentions
    (merged into printed periods, see :func:`_time_groups`) and from the claims'
    ``period_text`` values that contain no such mention (截至目前, 今年).  A claim
    belongs to the row holding the last occurrence of its ``period_text`` up to
    the end of its quote.  ``start``/``end`` follow :func:`period_dates`;
    ``is_point`` marks a single date or a month (drawn as a point); the rows
    depending on the reporting date cite the article's provenance record in
    ``sources``.
    """
    from .extract import chapter_of, chapters, find_mentions

    text = article_text(claims) if text is None else text
    report = reporting_date(claims) if report is None else report
    chaps = chapters(text)
    reasons = _exclusion_reasons()
    provenance = reference_source(provenance_path(article_path(claims)), REPORTING_DATE_KEY)
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
            topic = chapter_label(chapter)
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
            "claim_ids": _ids(*ids),
            "sources": provenance if uses_report else "",
        })
    out = pd.DataFrame(rows)
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
    (printed, English, start, end, refers_to_en, refers_to_zh, is_after_reporting_date).
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
        "earliest_start": min(table["start"][table["start"] != ""]),
        "capped": int(figures["is_end_capped"].sum()),
        "all_end_at_report": bool(figures["is_end_at_reporting_date"].all()),
        "report_end": figures["end"].max() if len(figures) else "",
        "lead_dates": list(zip(lead["period_printed"], lead["period_en"], lead["start"],
                               lead["end"], lead["refers_to_en"], lead["refers_to_zh"],
                               lead["is_after_reporting_date"], strict=True)),
    }


# --------------------------------------------------------------------------- figures


def _palette(n: int) -> list[str]:
    from .plotting import chapter_palette

    return chapter_palette(CHAPTER, n)


def headline_figure(groups: pd.DataFrame, lang: str = "en"):
    """Exit rates of households and people (stacked to 100%) and average household sizes."""
    import matplotlib.pyplot as plt

    _check_lang(lang)
    light, mid, dark = _palette(3)
    g = groups.set_index("group")
    gap = size_gap(groups)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.4),
                                   gridspec_kw={"width_ratios": [1.7, 1.0]})
    bars = [("count_households", "share_of_registered_households_pct",
             ("households (户)", "户数")),
            ("count_persons", "share_of_registered_persons_pct", ("people (人)", "人数"))]
    unit_word = {"count_households": ("households", "户"), "count_persons": ("people", "人")}
    for y, (col, share, _label) in enumerate(bars):
        lifted = float(g.loc["lifted", share])
        ax1.barh(y, lifted, color=dark, height=0.55)
        ax1.barh(y, 100 - lifted, left=lifted, color=light, height=0.55)
        ax1.text(lifted / 2, y, _t((
            f"{fmt_number(g.loc['lifted', col])} lifted ({fmt_pct(lifted)})",
            f"已脱贫{fmt_number(g.loc['lifted', col])}{unit_word[col][1]}（{fmt_pct(lifted)}）"),
            lang), ha="center", va="center", color="white", fontsize=10)
        ax1.text(101, y, _t((
            f"{fmt_number(g.loc['remaining', col])} remaining\n"
            f"({fmt_pct(g.loc['remaining', share])})",
            f"未脱贫{fmt_number(g.loc['remaining', col])}{unit_word[col][1]}\n"
            f"（{fmt_pct(g.loc['remaining', share])}）"), lang),
            ha="left", va="center", fontsize=9.5, color="#333333")
    ax1.set_yticks([0, 1], [_t(b[2], lang) for b in bars])
    ax1.invert_yaxis()
    ax1.set_xlim(0, 100)
    ax1.set_xlabel(_t(("% of the registered total", "占建档立卡总数（%）"), lang))
    ax1.set_title(_t(("Registered poor: lifted and remaining", "建档立卡贫困户：已脱贫与未脱贫"),
                     lang), loc="left", fontsize=11)
    ax1.grid(axis="y", visible=False)

    keys = ["registered", "lifted", "remaining"]
    sizes = [float(g.loc[k, "persons_per_household"]) for k in keys]
    ax2.bar(range(3), sizes, color=[mid, dark, light], edgecolor=dark, linewidth=0.8)
    for x, v in enumerate(sizes):
        ax2.text(x, v, f"{v:.2f}", ha="center", va="bottom", fontsize=10)
    ax2.set_xticks(range(3), [_t(SHORT_GROUPS[k], lang) for k in keys], fontsize=9.5)
    ax2.set_ylabel(_t(("persons per household", "户均人数（人/户）"), lang))
    ax2.set_ylim(0, max(sizes) * 1.18)
    ax2.set_title(_t(("Average household size", "户均人口"), lang), loc="left", fontsize=11)
    ax2.grid(axis="x", visible=False)
    fig.suptitle(_t((
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_households_pct'])} of households and "
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_persons_pct'])} of people were lifted; "
        f"the {fmt_number(g.loc['remaining', 'count_households'])} remaining households average "
        f"{gap['remaining_size']:.2f} persons, against {gap['lifted_size']:.2f}",
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_households_pct'])}的户、"
        f"{fmt_pct(g.loc['lifted', 'share_of_registered_persons_pct'])}的人已脱贫；"
        f"未脱贫的{fmt_number(g.loc['remaining', 'count_households'])}户户均"
        f"{gap['remaining_size']:.2f}人，已脱贫户为{gap['lifted_size']:.2f}人"), lang),
        x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    fig.subplots_adjust(wspace=0.45)
    return fig


def incidence_base_figure(bases: pd.DataFrame, populations: pd.DataFrame, lang: str = "en"):
    """Bases implied by the printed incidence (log scale) against Leiyang's population figures."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter

    _check_lang(lang)
    _light, mid, dark = _palette(3)
    grey = "#7f7f7f"
    fig, ax = plt.subplots(figsize=(10.0, 4.8))
    rows = []
    for r in bases.itertuples(index=False):
        label = _t((f"{NUMERATORS[r.numerator][0]}: {fmt_number(r.numerator_persons)} ÷ "
                    f"{fmt_pct_printed(r.incidence_pct)}",
                    f"{NUMERATORS[r.numerator][1]}：{fmt_number(r.numerator_persons)} ÷ "
                    f"{fmt_pct_printed(r.incidence_pct)}"), lang)
        rows.append((label, r.implied_base_persons, r.implied_base_low_persons,
                     r.implied_base_high_persons, dark if r.numerator == "remaining" else mid))
    for r in populations.itertuples(index=False):
        rows.append((r.label_en if lang == "en" else r.label_zh, r.population_persons, None,
                     None, grey))
    remaining = bases.set_index("numerator").loc["remaining"]
    ax.axvspan(remaining["implied_base_low_persons"], remaining["implied_base_high_persons"],
               color=dark, alpha=0.12, lw=0)
    for y, (_label, value, low, high, colour) in enumerate(rows):
        marker = "o" if low is not None else "D"
        if low is not None:
            ax.errorbar(value, y, xerr=[[value - low], [high - value]], fmt=marker,
                        color=colour, ms=8, capsize=4, lw=1.5)
        else:
            ax.plot(value, y, marker, color=colour, ms=7)
        ax.annotate(fmt_people(value, lang), (value, y), xytext=(8, 7),
                    textcoords="offset points", fontsize=9.5, color=colour)
    ax.axhline(len(bases) - 0.5, color="#bbbbbb", lw=0.8)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=9.5)
    ax.set_ylim(len(rows) - 0.5, -0.8)
    ax.set_xscale("log")
    lo = min(r[2] or r[1] for r in rows) / 1.6
    hi = max(r[3] or r[1] for r in rows) * 2.2
    ax.set_xlim(lo, hi)
    ticks = [m * 10 ** e for e in range(5, 9) for m in (1, 2, 5) if lo <= m * 10 ** e <= hi]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_people(v, lang)))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ax.set_xlabel(_t(("persons (log scale); error bars and band: the range the printed rounding "
                      "allows", "人（对数刻度）；误差线与阴影带：原文四舍五入允许的范围"), lang))
    ax.grid(axis="y", visible=False)
    times = float(bases.set_index("numerator").loc["registered", "times_article_population"])
    ax.set_title(_t((
        f"{fmt_pct_printed(remaining['incidence_pct'])} fits the "
        f"{fmt_number(remaining['numerator_persons'])} remaining poor over about "
        f"{fmt_people(remaining['implied_base_persons'], 'en')} people;\nthe registered "
        f"total would need {times:.1f} times the article's population",
        f"贫困发生率{fmt_pct_printed(remaining['incidence_pct'])}对应未脱贫的"
        f"{fmt_number(remaining['numerator_persons'])}人除以约"
        f"{fmt_people(remaining['implied_base_persons'], 'zh')}人；\n若以贫困户总人数为分子，"
        f"基数须为原文人口的{times:.1f}倍"), lang), loc="left", fontsize=12)
    fig.tight_layout()
    return fig


def context_figure(national: pd.DataFrame, context: pd.DataFrame, lang: str = "en"):
    """China's rural poor and incidence 2012–2019, with Hunan, Leiyang and the exit threshold."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter

    _check_lang(lang)
    _light, mid, dark = _palette(3)
    grey, hunan_colour = "#7f7f7f", "#555555"
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
    threshold = float(c.loc["threshold", "poverty_incidence_pct"])
    ax2.axhline(threshold, color=grey, ls="--", lw=1.2,
                label=_t((f"county exit threshold, central provinces "
                          f"({fmt_pct_printed(threshold)})",
                          f"贫困县退出标准（中部，{fmt_pct_printed(threshold)}）"), lang))
    for key, colour, marker, text in (
            ("hunan", hunan_colour, "s", ("Hunan", "湖南")),
            ("leiyang", dark, "*", ("Leiyang", "耒阳"))):
        d, v = pd.Timestamp(c.loc[key, "as_of"]), float(c.loc[key, "poverty_incidence_pct"])
        ax2.plot(d, v, marker, color=colour, ms=13 if marker == "*" else 8,
                 label=_t((f"{text[0]} ({fmt_pct_printed(v)}, {d:%Y-%m})",
                           f"{text[1]}（{fmt_pct_printed(v)}，{d:%Y-%m}）"), lang))
        ax2.annotate(f"{_t(text, lang)} {fmt_pct_printed(v)}", (d, v), xytext=(-8, -4),
                     textcoords="offset points", ha="right", va="top", fontsize=9.5,
                     color=colour)
    ax2.set_yscale("log")
    lows = [float(national["poverty_incidence_pct"].min()),
            float(c.loc["leiyang", "poverty_incidence_pct"])]
    ax2.set_ylim(min(lows) / 2, float(national["poverty_incidence_pct"].max()) * 1.8)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20)
             if ax2.get_ylim()[0] <= t <= ax2.get_ylim()[1]]
    ax2.yaxis.set_major_locator(FixedLocator(ticks))
    ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}%"))
    ax2.yaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ends = [*dates, pd.Timestamp(f"{int(national['year_end'].max()) + 1}-12-31")]
    ax2.set_xticks([mdates.date2num(d) for d in ends], [f"{d:%Y}" for d in ends], fontsize=9)
    ax2.set_xlabel(_t(("year end (Leiyang: its reporting date)", "年末（耒阳：报道时点）"),
                      lang))
    ax2.set_ylabel(_t(("poverty incidence (%, log scale)", "贫困发生率（%，对数刻度）"), lang))
    ax2.set_title(_t(("Poverty incidence", "贫困发生率"), lang), loc="left", fontsize=11)
    ax2.legend(loc="lower left", fontsize=8.5, frameon=True)
    leiyang = float(c.loc["leiyang", "poverty_incidence_pct"])
    year = c.loc["china_last", "as_of"][:4]
    mult = {k: c.loc[k, "multiple_of_leiyang"] for k in ("hunan", "china_last", "threshold")}
    fig.suptitle(_t((
        f"Hunan's ({mult['hunan']:.1f}×) and China's ({mult['china_last']:.1f}×) end-{year} "
        f"rates and the county exit threshold ({mult['threshold']:.0f}×) all exceed "
        f"Leiyang's {fmt_pct_printed(leiyang)} ({c.loc['leiyang', 'as_of'][:7]})",
        f"{year}年末湖南（{mult['hunan']:.1f}倍）、全国（{mult['china_last']:.1f}倍）的贫困发生率"
        f"和贫困县退出标准（{mult['threshold']:.0f}倍）均远高于耒阳的{fmt_pct_printed(leiyang)}"
        f"（{c.loc['leiyang', 'as_of'][:7]}）"), lang),
        x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return fig


def timeline_figure(table: pd.DataFrame, report: dt.date, lang: str = "en"):
    """Every printed date and period as bars (periods) or points (dates), coloured by chapter."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .plotting import CHAPTER_COLORS

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
    ax.set_xlim(mdates.date2num(min(starts.min(), ends.min()) - pd.Timedelta(days=60)),
                mdates.date2num(ends.max() + pd.Timedelta(days=120)))
    ax.set_xlabel(_t(("date", "日期"), lang))
    ax.grid(axis="y", visible=False)
    handles = [Patch(color=CHAPTER_COLORS.get(ch, "#949494"), label=_t(chapter_label(ch), lang))
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
    s = timeline_summary(table)
    top_year, top_n = max(s["start_years"].items(), key=lambda kv: (kv[1], -kv[0]))
    ahead = [d for d in s["lead_dates"] if d[6]]
    ahead_en = f"; the lead's {ahead[-1][1]} lies beyond it" if ahead else ""
    ahead_zh = f"；导语中的{ahead[-1][0]}在其之后" if ahead else ""
    all_en = ", all ending at the reporting date" if s["all_end_at_report"] else ""
    all_zh = "，均截至报道时点" if s["all_end_at_report"] else ""
    ax.set_title(_t((
        f"{top_n} of the {s['figure_periods']} periods dating figures start in {top_year}"
        f"{all_en}{ahead_en}",
        f"数据所属的{s['figure_periods']}个时段中有{top_n}个始于{top_year}年{all_zh}{ahead_zh}"),
        lang), loc="left", fontsize=12)
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


# --------------------------------------------------------------------------- passages, findings


def source_passages(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The lead's claims as printed, with their quotes (for the opening of the notebook)."""
    lead = claims[claims["id"].isin(IDS.values())]
    rows = [[r["id"], r["indicator_en"] if lang == "en" else r["indicator_zh"],
             r["value_printed"], r["period_text"] or "–", r["quote"]]
            for _, r in lead.iterrows()]
    cols = [("claim", "条目"), ("indicator", "指标"), ("printed", "原文数值"),
            ("period", "时间"), ("quote", "原文")]
    return pd.DataFrame(rows, columns=[_t(c, _check_lang(lang)) for c in cols])


def base_position(bases: pd.DataFrame, populations: pd.DataFrame) -> dict[str, list[str]]:
    """Which population figures lie below, inside or above the remaining poor's implied range.

    Returns lists of ``population`` keys under ``below``, ``inside`` and ``above``.
    """
    rem = bases.set_index("numerator").loc["remaining"]
    low, high = rem["implied_base_low_persons"], rem["implied_base_high_persons"]
    out: dict[str, list[str]] = {"below": [], "inside": [], "above": []}
    for key, pop in zip(populations["population"], populations["population_persons"],
                        strict=True):
        out["below" if pop < low else "above" if pop > high else "inside"].append(key)
    return out


def months_between(earlier: str, later: str) -> int:
    """Whole months between two ISO dates (``2019-12-31``, ``2020-06-30`` -> 6)."""
    a, b = pd.Timestamp(earlier), pd.Timestamp(later)
    return round((b - a).days / (365.25 / 12))


def findings(claims: pd.DataFrame, lang: str = "en", national: pd.DataFrame | None = None,
             facts: pd.DataFrame | None = None) -> list[str]:
    """The notebook's findings as sentences; every number computed from the claims and data."""
    _check_lang(lang)
    national = load_national_poverty() if national is None else national
    facts = load_context_facts() if facts is None else facts
    g = headline_groups(claims).set_index("group")
    gap = size_gap(headline_groups(claims))
    bases = implied_bases(claims).set_index("numerator")
    pops = population_check(claims, facts).set_index("population")
    ctx = incidence_context(claims, national, facts).set_index("key")
    decline = national_decline(national)
    tl = timeline(claims)
    s = timeline_summary(tl)
    villages = _claim_value(claims, "villages", "villages")
    pct, low, high = incidence_range(claims)
    rem = bases.loc["remaining"]
    n = fmt_number
    hh = {k: n(g.loc[k, "count_households"]) for k in GROUPS}
    pp = {k: n(g.loc[k, "count_persons"]) for k in GROUPS}
    as_of = _iso(get_claim(claims, IDS["lifted_persons"])["period_end"])
    matches = [k for k in POPULATIONS if pops.loc[k, "is_within_printed_rounding"]]
    starts = ", ".join(f"{y} ({c})" for y, c in s["start_years"].items())
    starts_zh = "，".join(f"{y}年{c}个" for y, c in s["start_years"].items())
    rate = "incidence_with_remaining_pct"
    printed = article_population_printed(claims)
    where = base_position(bases.reset_index(), pops.reset_index())
    gap_months = months_between(ctx.loc["hunan", "as_of"], ctx.loc["leiyang", "as_of"])

    def join_en(keys: list[str]) -> str:
        names = [pops.loc[k, "short_en"] for k in keys]
        return " and ".join(names) if names else "none of the population figures"

    def join_zh(keys: list[str]) -> str:
        return "、".join(pops.loc[k, "short_zh"] for k in keys) if keys else "无"

    if lang == "en":
        in_range_en = (f"only {join_en(matches)} falls" if len(matches) == 1 else
                       f"{join_en(matches)} fall" if matches else "none of them falls")
        out = [
            f"By the reporting date ({as_of}, estimated) {hh['lifted']} of "
            f"{hh['registered']} registered poor households "
            f"({fmt_pct(g.loc['lifted', 'share_of_registered_households_pct'])}) and "
            f"{pp['lifted']} of {pp['registered']} people "
            f"({fmt_pct(g.loc['lifted', 'share_of_registered_persons_pct'])}) had been lifted "
            f"out of poverty, and all {n(villages)} provincially designated poor villages had "
            "exited.",
            f"Registered minus lifted leaves {hh['remaining']} households "
            f"and {pp['remaining']} people: "
            f"{fmt_pct(g.loc['remaining', 'share_of_registered_households_pct'])} of the "
            f"households but only {fmt_pct(g.loc['remaining', 'share_of_registered_persons_pct'])}"
            " of the people.",
            f"The remaining households average {gap['remaining_size']:.2f} persons, against "
            f"{gap['lifted_size']:.2f} for lifted and {gap['registered_size']:.2f} for all "
            f"registered households; at the lifted households' size they would hold "
            f"{n(gap['persons_at_lifted_size'])} people, not {n(gap['remaining_persons'])}. "
            "The article does not say who they are; small households are typical of those "
            "supported by social-assistance (兜底) policies, which is one possible reading.",
            f"The printed incidence of {fmt_pct_printed(pct)} (any value from "
            f"{fmt_pct_printed(low)} to {fmt_pct_printed(high)}) fits the "
            f"{n(rem['numerator_persons'])} remaining poor over "
            f"{n(rem['implied_base_low_persons'])}–{n(rem['implied_base_high_persons'])} people "
            f"(central value {n(rem['implied_base_persons'])}); the registered or lifted counts "
            f"would imply {fmt_people(bases.loc['registered', 'implied_base_persons'])} or "
            f"{fmt_people(bases.loc['lifted', 'implied_base_persons'])} people, "
            f"{bases.loc['registered', 'times_article_population']:.1f} and "
            f"{bases.loc['lifted', 'times_article_population']:.1f} times the article's "
            f"{fmt_people(pops.loc['article', 'population_persons'])}.",
            f"Divided by the 2010 census resident population the remaining poor give "
            f"{fmt_pct(pops.loc['census_resident', 'incidence_with_remaining_pct'], 3)}, by the "
            f"registered population {fmt_pct(pops.loc['census_registered', rate], 3)} and by "
            f"the article's {printed} {fmt_pct(pops.loc['article', rate], 3)}; "
            f"{in_range_en} within the printed rounding. The implied base lies above "
            f"{join_en(where['below'])} and below {join_en(where['above'])}: the article does "
            "not name its denominator (the official exit measure uses the rural population, "
            "for which the reference data hold no figure).",
            f"Hunan's {fmt_pct_printed(ctx.loc['hunan', 'poverty_incidence_pct'])} and China's "
            f"{fmt_pct_printed(ctx.loc['china_last', 'poverty_incidence_pct'])} at end-"
            f"{ctx.loc['china_last', 'as_of'][:4]}, {gap_months} months before Leiyang's figure, "
            f"are {ctx.loc['hunan', 'multiple_of_leiyang']:.1f} and "
            f"{ctx.loc['china_last', 'multiple_of_leiyang']:.1f} times Leiyang's "
            f"{fmt_pct_printed(pct)}, and the "
            f"{fmt_pct_printed(ctx.loc['threshold', 'poverty_incidence_pct'])} county exit "
            f"threshold is {ctx.loc['threshold', 'multiple_of_leiyang']:.1f} times it; China's "
            f"rural poor fell by {fmt_pct(decline['fall_pct'])} from "
            f"end-{decline['first_year']} to end-{decline['last_year']}.",
            f"The article prints {s['mentions']} year and date mentions, which make "
            f"{s['printed_rows']} dates and periods, plus {s['worded_rows']} periods in words "
            f"({', '.join(s['worded'])}); the campaign frame starts in "
            f"{s['earliest_start'][:4]}, while the {s['figure_periods']} periods that date "
            f"figures start in {starts} and "
            + (f"all end at the reporting date, {s['report_end']}" if s["all_end_at_report"]
               else f"end by {s['report_end']}")
            + f" ({s['capped']} of them are printed to a later end and capped there).",
        ]
        if s["lead_dates"]:
            out.append(f"The lead's own dates fall in {s['lead_dates'][0][2][:4]} (今年, the "
                       "reporting year): "
                       + "; ".join(f"{d[0]} ({d[2]}{'' if d[2] == d[3] else ' to ' + d[3]}"
                                   f"{', after the reporting date' if d[6] else ''}), {d[4]}"
                                   for d in s["lead_dates"]) + ".")
        return out
    out = [
        f"截至报道时点（估计为{as_of}），{hh['registered']}户建档立卡贫困户中"
        f"已脱贫{hh['lifted']}户"
        f"（{fmt_pct(g.loc['lifted', 'share_of_registered_households_pct'])}），"
        f"{pp['registered']}人中已脱贫{pp['lifted']}人"
        f"（{fmt_pct(g.loc['lifted', 'share_of_registered_persons_pct'])}），"
        f"{n(villages)}个省定贫困村全部出列。",
        f"总数减去已脱贫，尚余{hh['remaining']}户"
        f"{pp['remaining']}人：占总户数的"
        f"{fmt_pct(g.loc['remaining', 'share_of_registered_households_pct'])}，"
        f"但只占总人数的{fmt_pct(g.loc['remaining', 'share_of_registered_persons_pct'])}。",
        f"未脱贫户户均{gap['remaining_size']:.2f}人，已脱贫户{gap['lifted_size']:.2f}人，"
        f"全部建档立卡户{gap['registered_size']:.2f}人；若按已脱贫户的户均人数，"
        f"这些户应有{n(gap['persons_at_lifted_size'])}人，而实际为"
        f"{n(gap['remaining_persons'])}人。原文未说明他们是谁；小规模家庭常见于"
        "政策性兜底保障对象，这只是一种可能的解释。",
        f"原文贫困发生率{fmt_pct_printed(pct)}（即{fmt_pct_printed(low)}至"
        f"{fmt_pct_printed(high)}之间的任何值）对应未脱贫的{n(rem['numerator_persons'])}人除以"
        f"{n(rem['implied_base_low_persons'])}至{n(rem['implied_base_high_persons'])}人"
        f"（中值{n(rem['implied_base_persons'])}人）；若以贫困户总人数或已脱贫人数为分子，"
        f"基数将为{fmt_people(bases.loc['registered', 'implied_base_persons'], 'zh')}或"
        f"{fmt_people(bases.loc['lifted', 'implied_base_persons'], 'zh')}人，"
        f"是原文{fmt_people(pops.loc['article', 'population_persons'], 'zh')}人的"
        f"{bases.loc['registered', 'times_article_population']:.1f}倍和"
        f"{bases.loc['lifted', 'times_article_population']:.1f}倍。",
        f"以2010年人口普查常住人口为基数，未脱贫人口占"
        f"{fmt_pct(pops.loc['census_resident', rate], 3)}；以户籍人口为基数占"
        f"{fmt_pct(pops.loc['census_registered', rate], 3)}；以原文{printed}为基数占"
        f"{fmt_pct(pops.loc['article', rate], 3)}；落在原文数值四舍五入范围内的："
        f"{join_zh(matches)}。隐含基数高于{join_zh(where['below'])}，低于"
        f"{join_zh(where['above'])}；原文未说明分母（官方退出标准以农村人口为分母，"
        "参考数据中没有该数字）。",
        f"耒阳的{fmt_pct_printed(pct)}低于{ctx.loc['china_last', 'as_of'][:4]}年末湖南的"
        f"{fmt_pct_printed(ctx.loc['hunan', 'poverty_incidence_pct'])}和全国的"
        f"{fmt_pct_printed(ctx.loc['china_last', 'poverty_incidence_pct'])}（分别为耒阳的"
        f"{ctx.loc['hunan', 'multiple_of_leiyang']:.1f}倍和"
        f"{ctx.loc['china_last', 'multiple_of_leiyang']:.1f}倍；湖南与全国为早{gap_months}个月的"
        "年末数），更远低于"
        f"{fmt_pct_printed(ctx.loc['threshold', 'poverty_incidence_pct'])}的贫困县退出标准"
        f"（{ctx.loc['threshold', 'multiple_of_leiyang']:.1f}倍）；全国农村贫困人口"
        f"{decline['first_year']}年末至{decline['last_year']}年末减少了{fmt_pct(decline['fall_pct'])}。",
        f"原文共有{s['mentions']}处年份与日期，合成{s['printed_rows']}个日期或时段，另有"
        f"{s['worded_rows']}个文字表述的时段（{'、'.join(s['worded'])}）；整场攻坚从"
        f"{s['earliest_start'][:4]}年算起，{s['figure_periods']}个数据时段的起点为{starts_zh}，"
        + ("全部止于报道时点" if s["all_end_at_report"] else f"止于{s['report_end']}之前")
        + f"（其中{s['capped']}个原文止于更晚，按惯例截至报道时点）。",
    ]
    if s["lead_dates"]:
        out.append(f"导语中的日期属于{s['lead_dates'][0][2][:4]}年（“今年”即报道所在年份）："
                   + "；".join(f"{d[0]}（{d[2]}{'' if d[2] == d[3] else '至' + d[3]}"
                               f"{'，在报道时点之后' if d[6] else ''}）：{d[5]}"
                               for d in s["lead_dates"]) + "。")
    return out
