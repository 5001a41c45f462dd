"""Quantities: a value in a base unit, with its qualifier and the claims it derives from.

The notebooks compute with the article's figures through :class:`Quantity`,
which carries

- the **base unit** (``yuan``, ``persons``, ``person_times``, ``households``, ...,
  or a derived unit such as ``yuan_per_person_time`` or ``ratio``);
- the **qualifier**: ``exact``, ``at_least`` (余/多 "more than"), ``at_most`` (a
  figure divided by an "at least") or ``approx``; every operation works out the
  qualifier of its result;
- the **claim ids** it derives from (the ``claim_ids`` column of a table);
- for a claim read with :func:`quantity`, the **rounding** of the printed value
  (``half_step``: half a unit of its last printed digit).

Persons (人), person-times (人次) and households (户) count different things:
:func:`ratio`, :func:`per_unit`, :func:`share`, :func:`product`, :func:`add` and
:func:`compare` never divide, multiply, add or compare one with another; they
raise :class:`UnitMixError` instead.  Nothing is computed at import time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from helpers.data import units
from helpers.data.claims import get_claim
from helpers.display.formatting import UNITS, UnitTexts

#: Units that count people or households: never divided, added or compared across.
HEADCOUNT_UNITS = frozenset({"persons", "person_times", "households"})

#: Qualifiers a derived quantity may carry (``at_most``: something divided by an "at least").
DERIVED_QUALIFIERS = ("exact", "at_least", "at_most", "approx")

#: A head-count unit as it stands after ``_per_`` (``yuan_per_person_time``).
_HEADCOUNT_SINGULAR = {"persons": "person", "person_times": "person_time",
                       "households": "household"}


class UnitMixError(ValueError):
    """An operation that would mix persons, person-times and households (or other units)."""


@dataclass(frozen=True)
class Quantity:
    """A value in a base unit, with its qualifier and the claims it derives from.

    ``half_step`` is half a unit of the last printed digit (the rounding of a
    printed value, in base units); it is 0 for derived quantities.
    """

    value: float
    unit: str
    qualifier: str = "exact"
    claim_ids: tuple[str, ...] = ()
    half_step: float = 0.0

    def __post_init__(self):
        if self.qualifier not in DERIVED_QUALIFIERS:
            raise ValueError(f"qualifier must be one of {', '.join(DERIVED_QUALIFIERS)}, "
                             f"got {self.qualifier!r}")

    @property
    def ids(self) -> str:
        """Claim ids joined by ``;`` without repeats (the ``claim_ids`` column of a table)."""
        return ";".join(dict.fromkeys(self.claim_ids))


# --------------------------------------------------------------------------- claims


def quantity(claims: pd.DataFrame, claim_id: str) -> Quantity:
    """The claim ``claim_id`` as a :class:`Quantity`, with the rounding of its printed value.

    ``half_step`` is 0 when the printed value cannot be read (see
    :func:`helpers.data.units.parse_printed`).
    """
    row = get_claim(claims, claim_id)
    try:
        half = units.parse_printed(str(row["value_printed"])).half_step
    except units.UnitError:
        half = 0.0
    return Quantity(float(row["value_base"]), str(row["base_unit"]), str(row["qualifier"]),
                    (claim_id,), half)


def half_step(claims: pd.DataFrame, claim_id: str) -> float:
    """Half a unit of the claim's last printed digit, in base units (4.33亿 -> 500000).

    Raises :class:`helpers.data.units.UnitError` when the printed value cannot be read.
    """
    return units.parse_printed(str(get_claim(claims, claim_id)["value_printed"])).half_step


# --------------------------------------------------------------------------- qualifiers


def _direction(qualifier: str) -> int | None:
    """+1 lower bound, -1 upper bound, 0 exact, None approximate."""
    return {"exact": 0, "at_least": 1, "at_most": -1}.get(qualifier)


def _from_direction(direction: int | None) -> str:
    return {0: "exact", 1: "at_least", -1: "at_most"}.get(direction, "approx")


def ratio_qualifier(num: str, den: str) -> str:
    """Qualifier of a ratio: a lower bound over an exact figure stays a lower bound, etc.

    >>> ratio_qualifier("at_least", "exact"), ratio_qualifier("exact", "at_least")
    ('at_least', 'at_most')
    >>> ratio_qualifier("at_least", "at_least")
    'approx'
    """
    a, b = _direction(num), _direction(den)
    if a is None or b is None or (a and b and a == b):
        return "approx"  # both bounds push the same way: no bound on the ratio
    return _from_direction(a if a else -b)


# --------------------------------------------------------------------------- arithmetic


def add(*quantities: Quantity) -> Quantity:
    """The sum of quantities of one unit; different units raise :class:`UnitMixError`.

    Adding persons to person-times (or to households) is refused: they count
    different things.
    """
    if not quantities:
        raise ValueError("nothing to add")
    found = sorted({q.unit for q in quantities})
    if len(found) > 1:
        raise UnitMixError(f"cannot add different units: {', '.join(found)}")
    dirs = {_direction(q.qualifier) for q in quantities}
    if None in dirs or {1, -1} <= dirs:
        qualifier = "approx"
    else:
        qualifier = _from_direction(max(dirs, key=abs))
    ids = tuple(i for q in quantities for i in q.claim_ids)
    return Quantity(sum(q.value for q in quantities), found[0], qualifier, ids)


def rate_unit(numerator: str, denominator: str, texts: UnitTexts = UNITS) -> str:
    """The unit of ``numerator / denominator`` (``"mu", "households"`` -> ``mu_per_household``).

    Two different head-count units raise :class:`UnitMixError`; the same unit
    gives ``"ratio"`` (a share); a denominator without a per-unit form in
    ``texts`` raises :class:`UnitMixError`.
    """
    if numerator == denominator:
        return "ratio"
    if numerator in HEADCOUNT_UNITS and denominator in HEADCOUNT_UNITS:
        raise UnitMixError(
            f"cannot divide {numerator} by {denominator}: persons (人), person-times (人次) "
            "and households (户) are different units")
    if denominator not in texts.singular:
        raise UnitMixError(f"no per-unit form for the denominator unit {denominator!r}")
    return f"{numerator}_per_{texts.singular[denominator]}"


def ratio(numerator: Quantity, denominator: Quantity, texts: UnitTexts = UNITS) -> Quantity:
    """``numerator / denominator`` with unit (:func:`rate_unit`), qualifier and claim ids.

    Dividing by an "at least" figure gives an "at most" ratio.  Raises
    :class:`UnitMixError` for two different head-count units (households ÷
    persons) and :class:`ZeroDivisionError` for a zero denominator.
    """
    unit = rate_unit(numerator.unit, denominator.unit, texts)
    if denominator.value == 0:
        raise ZeroDivisionError(f"denominator {denominator.ids or denominator.unit} is zero")
    return Quantity(numerator.value / denominator.value, unit,
                    ratio_qualifier(numerator.qualifier, denominator.qualifier),
                    numerator.claim_ids + denominator.claim_ids)


def per_unit(amount: Quantity, count: Quantity) -> Quantity:
    """``amount / count``: money per person, per person-time or per household.

    The result's unit names the denominator (``yuan_per_person_time``), so a
    cost per person-time can never be read as a cost per person.  Raises
    :class:`UnitMixError` when ``count`` is not a head count or ``amount`` is a
    head count itself, and :class:`ZeroDivisionError` for a zero count.
    """
    if count.unit not in HEADCOUNT_UNITS:
        raise UnitMixError(f"{count.unit} is not a head count (persons, person-times, households)")
    if amount.unit in HEADCOUNT_UNITS:
        raise UnitMixError(
            f"cannot divide {amount.unit} by {count.unit}: persons (人), person-times (人次) "
            "and households (户) are different units; use share() for the same unit")
    if count.value == 0:
        raise ZeroDivisionError(f"count {count.ids or count.unit} is zero")
    return Quantity(amount.value / count.value,
                    f"{amount.unit}_per_{_HEADCOUNT_SINGULAR[count.unit]}",
                    ratio_qualifier(amount.qualifier, count.qualifier),
                    amount.claim_ids + count.claim_ids)


def share(part: Quantity, base: Quantity) -> Quantity:
    """``part / base`` for two quantities of the same unit (a share, unit ``ratio``).

    Persons ÷ persons and households ÷ households only: person-times ÷ persons
    (or any other mix) raises :class:`UnitMixError`.
    """
    if part.unit != base.unit:
        raise UnitMixError(
            f"cannot compare {part.unit} with {base.unit}: persons (人), person-times (人次) "
            "and households (户) are different units")
    if base.value == 0:
        raise ZeroDivisionError(f"base {base.ids or base.unit} is zero")
    return Quantity(part.value / base.value, "ratio",
                    ratio_qualifier(part.qualifier, base.qualifier),
                    part.claim_ids + base.claim_ids)


def product(rate: Quantity, count: Quantity, texts: UnitTexts = UNITS) -> Quantity:
    """``rate × count`` where the rate is per one ``count`` unit (元/户 × 户 -> 元).

    Raises :class:`UnitMixError` when the rate's denominator is not the count's
    unit (元/户 × 人).
    """
    parts = texts.split_rate(rate.unit)
    if parts is None or parts[1] != count.unit:
        raise UnitMixError(f"cannot multiply {rate.unit} by {count.unit}: the rate must be "
                           f"per {texts.texts.get(count.unit, (count.unit,) * 2)[1]}")
    a, b = _direction(rate.qualifier), _direction(count.qualifier)
    same = a is not None and b is not None and (not a or not b or a == b)
    qualifier = _from_direction(a or b) if same else "approx"
    return Quantity(rate.value * count.value, parts[0], qualifier,
                    rate.claim_ids + count.claim_ids)


def implied_count(total: Quantity, rate: Quantity, texts: UnitTexts = UNITS
                  ) -> tuple[Quantity, float, float]:
    """The count a total and a per-unit rate imply (元 ÷ 元/人 -> 人), with its rounding range.

    Returns ``(count, low, high)``: ``low``/``high`` use the rate's printed
    rounding (``rate ± half_step``).
    """
    parts = texts.split_rate(rate.unit)
    if parts is None or parts[0] != total.unit:
        raise UnitMixError(f"cannot divide {total.unit} by {rate.unit}")
    if rate.value == 0:
        raise ZeroDivisionError("rate is zero")
    count = Quantity(total.value / rate.value, parts[1],
                     ratio_qualifier(total.qualifier, rate.qualifier),
                     total.claim_ids + rate.claim_ids)
    low = total.value / (rate.value + rate.half_step)
    high = total.value / (rate.value - rate.half_step) if rate.value > rate.half_step else math.inf
    return count, low, high


def compare(a: Quantity, b: Quantity) -> dict[str, float]:
    """``a`` against ``b`` of the same unit: difference and relative difference (in %)."""
    if a.unit != b.unit:
        raise UnitMixError(f"cannot compare {a.unit} with {b.unit}")
    return {"difference": a.value - b.value,
            "relative_pct": 100 * (a.value - b.value) / b.value if b.value else math.nan}
