"""Tests for helpers.data.quantity: quantities with unit, qualifier and claim ids.

Persons, person-times and households are never divided, added or compared with
one another; qualifiers follow the arithmetic.  The tests use hand-built
quantities and a hand-built claims frame only.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import quantity as qty
from helpers.data.quantity import Quantity, UnitMixError
from helpers.display import formatting as fmt

TRAINING_SUBSIDY = "employment.training_subsidy"


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_printed, value_base, base_unit, qualifier)."""
    return pd.DataFrame([{"id": cid, "value_printed": printed, "value_base": float(value),
                          "base_unit": unit, "qualifier": qualifier}
                         for cid, printed, value, unit, qualifier in rows])


@pytest.fixture
def employment_claims() -> pd.DataFrame:
    return claims_frame([(TRAINING_SUBSIDY, "20万元", 200_000, "yuan", "exact"),
                         ("health.rate", "88%", 88, "percent", "exact"),
                         ("ch9.odd.value", "双百分", 100, "percent", "exact")])


# --------------------------------------------------------------------------- reading claims


def test_quantity_reads_claim_with_rounding(employment_claims):
    q = qty.quantity(employment_claims, TRAINING_SUBSIDY)
    assert (q.value, q.unit, q.qualifier, q.ids) == (
        200_000, "yuan", "exact", TRAINING_SUBSIDY)
    assert q.half_step == 5_000  # half of the last printed digit of 20万


def test_half_step_of_a_claim(employment_claims):
    assert qty.half_step(employment_claims, "health.rate") == 0.5
    assert qty.quantity(employment_claims, "ch9.odd.value").half_step == 0.0  # unreadable
    with pytest.raises(ValueError):
        qty.half_step(employment_claims, "ch9.odd.value")


def test_bad_qualifier_rejected():
    with pytest.raises(ValueError, match="qualifier"):
        Quantity(1, "persons", "roughly")


# --------------------------------------------------------------------------- per unit, share


def test_per_unit_names_its_denominator():
    cost = qty.per_unit(Quantity(1000, "yuan", claim_ids=("a",)),
                        Quantity(4, "person_times", claim_ids=("b",)))
    assert (cost.value, cost.unit, cost.ids) == (250, "yuan_per_person_time", "a;b")
    assert fmt.unit_text(cost.unit, "en") == "yuan per person-time"
    assert fmt.unit_text(cost.unit, "zh") == "元/人次"
    assert qty.per_unit(Quantity(1000, "yuan"), Quantity(4, "persons")).unit == "yuan_per_person"
    assert qty.per_unit(Quantity(1000, "yuan"), Quantity(4, "households")).unit \
        == "yuan_per_household"


@pytest.mark.parametrize(("a", "b"), [("persons", "person_times"), ("person_times", "persons"),
                                      ("households", "persons"), ("persons", "households")])
def test_head_counts_are_never_mixed(a, b):
    with pytest.raises(UnitMixError):
        qty.add(Quantity(10, a), Quantity(5, b))
    with pytest.raises(UnitMixError, match="different units"):
        qty.share(Quantity(10, a), Quantity(5, b))
    with pytest.raises(UnitMixError, match="different units"):
        qty.per_unit(Quantity(10, a), Quantity(5, b))


def test_per_unit_needs_a_head_count():
    with pytest.raises(UnitMixError, match="not a head count"):
        qty.per_unit(Quantity(10, "yuan"), Quantity(5, "sites"))
    with pytest.raises(ZeroDivisionError):
        qty.per_unit(Quantity(10, "yuan"), Quantity(0, "persons"))


@pytest.mark.parametrize(("num_q", "den_q", "expected"), [
    ("exact", "exact", "exact"),
    ("at_least", "exact", "at_least"),
    ("exact", "at_least", "at_most"),
    ("at_least", "at_least", "approx"),
    ("approx", "exact", "approx"),
])
def test_per_unit_and_share_qualifiers(num_q, den_q, expected):
    assert qty.per_unit(Quantity(10, "yuan", num_q), Quantity(5, "persons", den_q)).qualifier \
        == expected
    assert qty.share(Quantity(10, "persons", num_q), Quantity(5, "persons", den_q)).qualifier \
        == expected


# --------------------------------------------------------------------------- ratio


def test_ratio_unit_and_claim_ids():
    r = qty.ratio(Quantity(300, "mu", claim_ids=("a",)), Quantity(20, "households",
                                                                   claim_ids=("b",)))
    assert r.value == 15 and r.unit == "mu_per_household" and r.ids == "a;b"
    assert fmt.unit_text(r.unit, "en") == "mu per household"
    assert fmt.unit_text(r.unit, "zh") == "亩/户"


def test_ratio_of_same_unit_is_a_share():
    r = qty.ratio(Quantity(50, "persons"), Quantity(1000, "persons"))
    assert r.unit == "ratio" and r.value == pytest.approx(0.05)
    assert fmt.fmt_quantity(r) == "5.0%"


@pytest.mark.parametrize(("num", "den"), [
    ("households", "persons"), ("persons", "households"),
    ("persons", "person_times"), ("person_times", "persons"),
    ("households", "person_times"),
])
def test_ratio_refuses_to_mix_headcounts(num, den):
    with pytest.raises(UnitMixError, match="different units"):
        qty.ratio(Quantity(10, num), Quantity(5, den))


@pytest.mark.parametrize(("num_q", "den_q", "expected"), [
    ("exact", "exact", "exact"),
    ("at_least", "exact", "at_least"),
    ("exact", "at_least", "at_most"),
    ("at_least", "at_least", "approx"),
    ("at_least", "at_most", "at_least"),
    ("approx", "exact", "approx"),
])
def test_ratio_qualifiers(num_q, den_q, expected):
    r = qty.ratio(Quantity(10, "mu", num_q), Quantity(5, "persons", den_q))
    assert r.qualifier == expected


def test_ratio_zero_denominator():
    with pytest.raises(ZeroDivisionError):
        qty.ratio(Quantity(10, "mu"), Quantity(0, "persons"))


def test_ratio_follows_the_vocabulary_it_is_given():
    persons_only = fmt.UNITS.select(("yuan", "persons", "households"), denominators=("persons",))
    assert qty.ratio(Quantity(10, "yuan"), Quantity(5, "persons"), persons_only).unit \
        == "yuan_per_person"
    assert qty.ratio(Quantity(10, "yuan"), Quantity(5, "households")).unit \
        == "yuan_per_household"
    with pytest.raises(UnitMixError, match="no per-unit form"):
        qty.ratio(Quantity(10, "yuan"), Quantity(5, "households"), persons_only)


# --------------------------------------------------------------------------- product, sums


def test_product_checks_the_rate_denominator():
    gain = Quantity(50, "yuan_per_household", claim_ids=("g",))
    got = qty.product(gain, Quantity(1000, "households", claim_ids=("h",)))
    assert (got.value, got.unit, got.ids) == (50_000, "yuan", "g;h")
    with pytest.raises(UnitMixError, match="cannot multiply yuan_per_household by persons"):
        qty.product(gain, Quantity(1000, "persons"))


def test_implied_count_with_printed_rounding():
    count, low, high = qty.implied_count(Quantity(1000, "yuan"),
                                         Quantity(10, "yuan_per_person", half_step=0.5))
    assert (count.value, count.unit) == (100, "persons")
    assert low == pytest.approx(1000 / 10.5) and high == pytest.approx(1000 / 9.5)
    with pytest.raises(UnitMixError):
        qty.implied_count(Quantity(1000, "mu"), Quantity(10, "yuan_per_person"))


def test_add_keeps_lower_bounds():
    got = qty.add(Quantity(1, "persons"), Quantity(2, "persons", "at_least"))
    assert (got.value, got.qualifier) == (3, "at_least")
    assert qty.add(Quantity(1, "yuan", "at_least"), Quantity(2, "yuan", "at_most")).qualifier \
        == "approx"
    with pytest.raises(ValueError):
        qty.add()


def test_total_and_compare_refuse_mixed_units():
    assert qty.add(Quantity(1, "persons"), Quantity(2, "persons", "at_least")).value == 3
    assert qty.add(Quantity(1, "persons"), Quantity(2, "persons", "at_least")).qualifier \
        == "at_least"
    with pytest.raises(UnitMixError):
        qty.add(Quantity(1, "persons"), Quantity(2, "households"))
    with pytest.raises(UnitMixError):
        qty.compare(Quantity(1, "persons"), Quantity(2, "person_times"))
    assert qty.compare(Quantity(99, "persons"), Quantity(100, "persons"))["relative_pct"] \
        == pytest.approx(-1)
