"""How the notebooks show numbers: counts, money, units, bounds, periods, bilingual labels.

The per-notebook analysis modules (``overview``, ``closing_gaps``, ``teaching``,
``concert``, ``audit_views`` in :mod:`helpers.analysis`) display
their figures through this module:

- :func:`check_lang` and :func:`pick` choose the English or the Chinese text of a
  label pair ``(en, zh)``;
- :func:`fmt_number` writes a number with thousands separators and as many
  decimals as its size needs; :func:`money_number` and :func:`fmt_money` write an
  amount in yuan in the notebooks' ``money_unit`` (``yuan``, ``wan`` = 万元, ``million`` = 百万元,
  ``yi`` = 亿元) with at least three significant digits;
- :class:`UnitTexts` names base units and the rates derived from them
  (``yuan_per_person_time`` -> ``yuan per person-time`` / ``元/人次``);
  :data:`UNITS` holds every unit the modules name, and each module may keep its
  own selection (:meth:`UnitTexts.select`);
- :func:`bound` is the sign a qualifier puts before a number (``≥``, ``≤``, ``≈``)
  and :meth:`UnitTexts.fmt_quantity` shows a value with its qualifier and unit;
- :func:`iso_date` and :func:`claim_period` give dates and a claim's period, and
  :func:`quote_passages` the article's sentences the claims were read from.

Where two modules showed the same kind of number slightly differently, the
difference is a parameter (``yuan_digits`` of :func:`money_number`,
``rate_digits`` of :meth:`UnitTexts.fmt_quantity`), so that each keeps its output.
Nothing is computed at import time beyond the constant tables below.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from helpers.data import units
from helpers.data.claims import get_claim
from helpers.data.units import check_lang

__all__ = [
    "UNITS", "UNIT_TEXT", "UnitTexts", "bound", "check_lang", "claim_period", "fmt_money",
    "fmt_number", "fmt_quantity", "is_missing", "iso_date", "money_number", "pick",
    "quote_passages", "split_rate", "unit_text",
]

# --------------------------------------------------------------------------- labels


def pick(pair: tuple[str, str], lang: str) -> str:
    """The text of an ``(English, Chinese)`` pair in ``lang`` (checked by :func:`check_lang`).

    >>> pick(("households", "户"), "en"), pick(("households", "户"), "zh")
    ('households', '户')
    """
    return pair[0] if check_lang(lang) == "en" else pair[1]


# --------------------------------------------------------------------------- numbers


def is_missing(value) -> bool:
    """``None`` or a float NaN (a figure the table does not have)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float, digits: int | None = None) -> str:
    """A number with thousands separators; ``–`` for a missing one.

    Without ``digits`` the decimals follow the size: none for whole numbers and
    from 10,000 on, one from 100 on, two below.

    >>> fmt_number(43172), fmt_number(7.6084), fmt_number(210.24), fmt_number(3.5, 0)
    ('43,172', '7.61', '210.2', '4')
    >>> fmt_number(float("nan"))
    '–'
    """
    if is_missing(value):
        return "–"
    if digits is None:
        size = abs(value)
        digits = 0 if size >= 10_000 or float(value).is_integer() else 1 if size >= 100 else 2
    return f"{value:,.{digits}f}"


def money_number(yuan: float, money_unit: str = "wan", *, yuan_digits: int | None = None) -> str:
    """An amount in yuan in ``money_unit``, with at least three significant digits (no label).

    In ``wan``, ``million`` and ``yi`` an amount of 1 or more has two decimals and a smaller one
    as many as three significant digits need (up to six).  In ``yuan`` the
    decimals are ``yuan_digits``; by default none for whole amounts and from
    10,000 on, else one.

    >>> money_number(500e4, "yi"), money_number(1430.6, "yuan"), money_number(3966, "yuan")
    ('0.0500', '1,430.6', '3,966')
    >>> money_number(1430.6, "yuan", yuan_digits=0)
    '1,431'
    """
    value = units.to_money_unit(yuan, money_unit)
    size = abs(value)
    if money_unit == "yuan":
        if yuan_digits is None:
            yuan_digits = 0 if float(value).is_integer() or size >= 10_000 else 1
        return f"{value:,.{yuan_digits}f}"
    digits = 2 if size == 0 or size >= 1 else min(6, 2 - math.floor(math.log10(size)))
    return f"{value:,.{digits}f}"


def fmt_money(yuan: float, money_unit: str = "wan", lang: str = "en", *,
              yuan_digits: int | None = None) -> str:
    """An amount in yuan in ``money_unit``, with its label.

    The number is written by :func:`money_number`, the label added by
    :func:`helpers.data.units.money_text`.

    >>> fmt_money(123456700, "wan", "en"), fmt_money(123456.7, "yi", "zh")
    ('12,345.67 × 10,000 yuan', '0.00123亿元')
    >>> fmt_money(210.5, "yuan", "en"), fmt_money(3469513100, "million", "en")
    ('210.5 yuan', '3,469.51 million yuan')
    """
    return units.money_text(money_number(yuan, money_unit, yuan_digits=yuan_digits),
                            money_unit, lang)


_BOUND = {"at_least": "≥ ", "at_most": "≤ ", "approx": "≈ ", "exact": ""}


def bound(qualifier: str) -> str:
    """The sign a qualifier puts before a number (``at_least`` -> ``≥ ``, ``exact`` -> ``''``)."""
    return _BOUND[qualifier]


# --------------------------------------------------------------------------- units

#: Unit texts: plural English, singular English, Chinese (as a denominator after "/").
UNIT_TEXT: dict[str, tuple[str, str, str]] = {
    "yuan": ("yuan", "yuan", "元"),
    "persons": ("persons", "person", "人"),
    "person_times": ("person-times", "person-time", "人次"),
    "households": ("households", "household", "户"),
    "person_years": ("person-years", "person-year", "人·年"),
    "sessions": ("sessions", "session", "期"),
    "entities": ("entities", "entity", "个"),
    "enterprises": ("enterprises", "enterprise", "家"),
    "organisations": ("organisations", "organisation", "个"),
    "projects": ("projects", "project", "个项目"),
    "villages": ("villages", "village", "个村"),
    "mu": ("mu", "mu", "亩"),
    "birds": ("birds", "bird", "羽"),
    "industry_types": ("industry types", "industry type", "大产业"),
    "percent": ("%", "%", "%"),
    "ratio": ("ratio", "ratio", "比值"),
    "years": ("years", "year", "年"),
}


class UnitTexts:
    """Labels of base units and of the rates derived from them (``<unit>_per_<singular>``).

    ``texts`` maps a base unit to (plural English, singular English, Chinese);
    ``denominators`` are the units that may stand after ``_per_`` in a rate (by
    default every unit of ``texts``), written in the singular with ``_`` for
    ``-`` (``person_times`` -> ``person_time``).  A unit not in ``texts`` is
    labelled by :func:`helpers.data.units.unit_label`.

    >>> UNITS.split_rate("yuan_per_person_time")
    ('yuan', 'person_times')
    >>> UNITS.unit_text("mu_per_household", "en"), UNITS.unit_text("mu_per_household", "zh")
    ('mu per household', '亩/户')
    """

    def __init__(self, texts: Mapping[str, tuple[str, str, str]],
                 denominators: Iterable[str] | None = None):
        self.texts: dict[str, tuple[str, str, str]] = dict(texts)
        names = self.texts if denominators is None else denominators
        #: Base unit -> its singular as it stands after ``_per_``.
        self.singular: dict[str, str] = {unit: self.texts[unit][1].replace("-", "_")
                                         for unit in names}
        self._plural = {singular: unit for unit, singular in self.singular.items()}

    def select(self, names: Iterable[str], denominators: Iterable[str] | None = None
               ) -> UnitTexts:
        """The texts of ``names`` only (a module's own vocabulary), with its ``denominators``."""
        return UnitTexts({name: self.texts[name] for name in names}, denominators)

    def split_rate(self, unit: str) -> tuple[str, str] | None:
        """``yuan_per_person_time`` -> ``("yuan", "person_times")``; ``None`` if not a rate."""
        if "_per_" not in unit:
            return None
        num, den = unit.split("_per_", 1)
        if den not in self._plural:
            return None
        return num, self._plural[den]

    def unit_text(self, unit: str, lang: str = "en") -> str:
        """Label of a base or derived unit (``yuan_per_person_time``: ``yuan per person-time``)."""
        check_lang(lang)
        parts = self.split_rate(unit)
        if parts:
            num, den = (self.texts.get(p, (p, p, p)) for p in parts)
            return f"{num[0]} per {den[1]}" if lang == "en" else f"{num[2]}/{den[2]}"
        if unit in self.texts:
            return self.texts[unit][0] if lang == "en" else self.texts[unit][2]
        return units.unit_label(unit, lang)

    def fmt_quantity(self, q, lang: str = "en", money_unit: str = "wan", *,
                     rate_digits: int | None = None) -> str:
        """A quantity for display: money in ``money_unit``, shares in %, others with their unit.

        ``q`` has ``value``, ``unit`` and ``qualifier`` (a
        :class:`helpers.data.quantity.Quantity`); "at least"/"at most"/approximate
        figures carry ``≥``/``≤``/``≈``.  A rate below 10,000 shows ``rate_digits``
        decimals (by default as :func:`fmt_number` chooses).
        """
        mark = bound(q.qualifier)
        if q.unit == "yuan":
            return mark + fmt_money(q.value, money_unit, lang)
        if q.unit == "ratio":
            return f"{mark}{100 * q.value:.1f}%"
        sep = " " if lang == "en" else ""
        digits = rate_digits if self.split_rate(q.unit) and abs(q.value) < 10_000 else None
        return f"{mark}{fmt_number(q.value, digits)}{sep}{self.unit_text(q.unit, lang)}"


#: Every unit the notebook modules name; rates may be per any of them.
UNITS = UnitTexts(UNIT_TEXT)

#: :meth:`UnitTexts.split_rate` of :data:`UNITS`.
split_rate = UNITS.split_rate
#: :meth:`UnitTexts.unit_text` of :data:`UNITS`.
unit_text = UNITS.unit_text
#: :meth:`UnitTexts.fmt_quantity` of :data:`UNITS`.
fmt_quantity = UNITS.fmt_quantity


# --------------------------------------------------------------------------- periods


def iso_date(value) -> str:
    """An ISO date string (``2020-06-30``), or ``''`` for a missing date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def claim_period(claims: pd.DataFrame, claim_id: str) -> dict[str, str]:
    """A claim's period: printed text, ISO start and end (empty when not printed), and a label.

    The label reads ``2015-01 – 2020-06`` (``… – 2020-06`` when no start is printed).
    """
    row = get_claim(claims, claim_id)
    start, end = iso_date(row["period_start"]), iso_date(row["period_end"])
    text = "" if pd.isna(row["period_text"]) else str(row["period_text"])
    label = f"{start[:7] or '…'} – {end[:7] or '…'}" if (start or end) else ""
    return {"period_text": text, "period_start": start, "period_end": end, "period": label}


# --------------------------------------------------------------------------- sources


def quote_passages(claims: pd.DataFrame, prefixes: tuple[str, ...],
                   lang: str = "en") -> pd.DataFrame:
    """Each distinct quote of the claims whose id starts with ``prefixes``, with its claim ids.

    In order of appearance in the article (quote offset); a quote broken over
    lines in the source is shown joined.  Columns: ``Passage``/``原文`` (in
    ``lang``) and ``claim_ids``.
    """
    check_lang(lang)
    part = claims[claims["id"].str.startswith(prefixes)].copy()
    part["quote_offset"] = part["quote_offset"].astype(int)
    part["quote"] = part["quote"].str.replace(r"\s*\n\s*", "", regex=True)
    grouped = (part.sort_values(["quote_offset", "id"])
               .groupby(["quote_offset", "quote"], sort=True)["id"]
               .agg(";".join).reset_index())
    return pd.DataFrame({pick(("Passage", "原文"), lang): grouped["quote"],
                         "claim_ids": grouped["id"]})
