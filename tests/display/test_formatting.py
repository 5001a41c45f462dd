"""Tests for helpers.display.formatting: numbers, money, units, bounds, periods and labels.

Expected strings are written out by hand; the checks on the real claims table take
their expectations from the article's printed periods.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.analysis import audit_views as av
from helpers.analysis import closing_gaps as cg
from helpers.analysis import overview as ov
from helpers.analysis import teaching as tt
from helpers.data.claims import load_claims
from helpers.data.quantity import Quantity
from helpers.display import formatting as fmt


@pytest.fixture(scope="module")
def real_claims() -> pd.DataFrame:
    return load_claims()


# --------------------------------------------------------------------------- labels


def test_pick_and_check_lang():
    assert fmt.pick(("yes", "是"), "en") == "yes"
    assert fmt.pick(("yes", "是"), "zh") == "是"
    assert fmt.check_lang("zh") == "zh"
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh'"):
        fmt.pick(("yes", "是"), "fr")


def test_labels_reject_bad_language():
    with pytest.raises(ValueError, match="lang"):
        fmt.unit_text("persons", "fr")


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (43172, None, "43,172"),
    (43172.4, None, "43,172"),
    (210.24, None, "210.2"),
    (7.6084, None, "7.61"),
    (12.0, None, "12"),
    (0.5, 0, "0"),
    (1.25, 3, "1.250"),
    (float("nan"), None, "–"),
    (None, 1, "–"),
])
def test_fmt_number(value, digits, expected):
    assert fmt.fmt_number(value, digits) == expected


def test_module_number_variants():
    assert av.fmt_number(math.inf) == "∞" and av.fmt_number(float("nan")) == "–"
    assert av.fmt_number(210.24) == fmt.fmt_number(210.24) == "210.2"
    assert ov.fmt_number(7.6084) == "8" and ov.fmt_number(7.6084, 2) == "7.61"
    assert ov.fmt_number(float("nan")) == "–"


@pytest.mark.parametrize(("yuan", "unit", "lang", "expected"), [
    (46_586_600, "wan", "en", "4,658.66 × 10,000 yuan"),
    (11_566_400, "yi", "zh", "0.116亿元"),
    (433_000_000, "yi", "zh", "4.33亿元"),
    (210.5, "yuan", "en", "210.5 yuan"),
    (8_490_000, "wan", "en", "849.00 × 10,000 yuan"),
    (8_490_000, "yi", "zh", "0.0849亿元"),
    (770_000, "yi", "zh", "0.00770亿元"),
    (1_430.6, "yuan", "en", "1,430.6 yuan"),
    (0, "wan", "zh", "0.00万元"),
])
def test_fmt_money(yuan, unit, lang, expected):
    assert fmt.fmt_money(yuan, unit, lang) == expected


def test_money_in_whole_yuan():
    assert fmt.money_number(1_430.6, "yuan", yuan_digits=0) == "1,431"
    assert fmt.fmt_money(1_430.6, "yuan", "zh", yuan_digits=0) == "1,431元"
    assert fmt.money_number(1_430.6, "wan", yuan_digits=0) == "0.143"  # yuan only
    assert av.fmt_money(1_430.6, "yuan", "en") == "1,431 yuan"
    assert av.fmt_money(float("nan"), "wan", "en") == "–"
    assert cg.fmt_money(1_430.6, "yuan", "en") == tt.fmt_money(1_430.6, "yuan", "en") \
        == "1,430.6 yuan"
    with pytest.raises(ValueError, match="money_unit"):
        fmt.fmt_money(1, "dollars")


def test_bound():
    assert [fmt.bound(q) for q in ("exact", "at_least", "at_most", "approx")] \
        == ["", "≥ ", "≤ ", "≈ "]


# --------------------------------------------------------------------------- units, quantities


def test_fmt_quantity_marks_bounds():
    assert fmt.fmt_quantity(Quantity(15, "mu_per_person", "at_most")) == "≤ 15 mu per person"
    assert fmt.fmt_quantity(Quantity(1000, "persons", "at_least"), "zh") == "≥ 1,000人"


def test_fmt_quantity_money_and_rate_digits():
    assert fmt.fmt_quantity(Quantity(650_000_000, "yuan", "at_least"), "zh", "yi") \
        == "≥ 6.50亿元"
    cost = Quantity(210.24, "yuan_per_person_time")
    assert fmt.fmt_quantity(cost) == "210.2 yuan per person-time"
    assert fmt.UNITS.fmt_quantity(Quantity(3.5, "yuan_per_person"), rate_digits=1) \
        == "3.5 yuan per person"
    assert fmt.fmt_quantity(Quantity(3.5, "yuan_per_person")) == "3.50 yuan per person"
    assert cg.fmt_quantity(Quantity(3.5, "yuan_per_person")) == "3.5 yuan per person"
    assert tt.fmt_quantity(Quantity(3.5, "yuan_per_person")) == "3.50 yuan per person"


def test_unit_vocabularies_of_the_modules():
    assert fmt.unit_text("yuan_per_person_year") == "yuan per person-year"
    assert cg.unit_text("yuan_per_person_year", "zh") == "元/人·年"
    assert tt.unit_text("yuan_per_person_year") == "yuan per person per year"  # units.py
    assert tt.unit_text("entities", "zh") == "个" and cg.unit_text("entities", "zh") == "个主体"
    assert cg.split_rate("yuan_per_project") is None
    assert tt.split_rate("yuan_per_project") == ("yuan", "projects")
    assert fmt.split_rate("persons") is None


# --------------------------------------------------------------------------- periods


def test_iso_date():
    assert fmt.iso_date(pd.Timestamp("2020-06-30 12:00")) == "2020-06-30"
    assert fmt.iso_date("2017-01-01") == "2017-01-01"
    assert fmt.iso_date(None) == fmt.iso_date(pd.NaT) == fmt.iso_date(float("nan")) == ""


def test_claim_period(real_claims):
    assert fmt.claim_period(real_claims, "housing.relocation_funds")["period_start"] == ""
    got = fmt.claim_period(real_claims, "health.premium_amount")
    assert got == {"period_text": "2017—2020年", "period_start": "2017-01-01",
                   "period_end": "2020-06-30", "period": "2017-01 – 2020-06"}


# --------------------------------------------------------------------------- sources


def test_quote_passages_group_claims_by_quote():
    claims = pd.DataFrame({
        "id": ["ch1.a.x", "ch1.a.y", "ch1.b.z", "ch2.c.w"],
        "quote": ["修路10\n 处，投资5万元", "修路10\n 处，投资5万元", "建房3户", "培训2期"],
        "quote_offset": ["40", "40", "12", "5"],
    })
    got = fmt.quote_passages(claims, ("ch1.",), "zh")
    assert list(got.columns) == ["原文", "claim_ids"]
    assert got["原文"].tolist() == ["建房3户", "修路10处，投资5万元"]
    assert got["claim_ids"].tolist() == ["ch1.b.z", "ch1.a.x;ch1.a.y"]
    assert list(fmt.quote_passages(claims, ("ch2.",)).columns) == ["Passage", "claim_ids"]


def test_fmt_money_in_million_yuan():
    from helpers.display.formatting import fmt_money, money_number
    assert fmt_money(3_469_513_100, "million", "en") == "3,469.51 million yuan"
    assert fmt_money(123_456, "million", "zh") == "0.123百万元"
    assert money_number(5e5, "million") == "0.500"
