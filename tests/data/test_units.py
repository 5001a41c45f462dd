"""Tests for helpers.data.units: printed values, base units, money scales."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.data import units as u

CORE_UNITS = [k for k in u.PRINTED_UNITS if k and k not in u.WORD_VALUES]


@pytest.mark.parametrize(
    ("printed", "number", "multiplier", "qualifier", "unit", "value"),
    [
        ("4658.66万元", 4658.66, 10_000, "exact", "元", 46_586_600),
        ("65000余万元", 65000, 10_000, "at_least", "元", 650_000_000),
        ("5万余人", 5, 10_000, "at_least", "人", 50_000),
        ("22.16万人次", 22.16, 10_000, "exact", "人次", 221_600),
        ("4.33亿元", 4.33, 100_000_000, "exact", "元", 433_000_000),
        ("430多户", 430, 1, "at_least", "户", 430),
        ("0.18%", 0.18, 1, "exact", "%", 0.18),
        ("100元/人/年", 100, 1, "exact", "元/人/年", 100),
        ("九大", 9, 1, "exact", "大", 9),
        ("两个", 2, 1, "exact", "个", 2),
        ("双百", 100, 1, "exact", "双百", 100),
        ("全部", 100, 1, "exact", "全部", 100),
        ("143万", 143, 10_000, "exact", "", 1_430_000),
    ],
)
def test_parse_printed_examples(printed, number, multiplier, qualifier, unit, value):
    p = u.parse_printed(printed)
    assert (p.number, p.multiplier, p.qualifier, p.unit) == (number, multiplier, qualifier, unit)
    assert p.value == pytest.approx(value, rel=1e-12)


def test_person_times_is_not_persons():
    assert u.parse_printed("5680人次").unit == "人次"
    assert u.parse_printed("5680人").unit == "人"
    assert u.allowed_base_units("人次") == ("person_times",)
    assert "person_times" not in u.allowed_base_units("人")
    assert "households" not in u.allowed_base_units("人")


@pytest.mark.parametrize("bad", ["", "abc", "12只", "143", "3余多人", "万元", "5全部", "全部人",
                                 "近全部", "3双百"])
def test_unreadable_values_raise(bad):
    with pytest.raises(u.UnitError):
        u.parse_printed(bad)


def test_all_is_one_hundred_percent_exactly():
    # 全部 ("all") is 100% of the group its sentence names: a percent with no rounding,
    # unlike 100% printed, which stands for [99.5, 100.5]
    p = u.parse_printed("全部")
    assert (p.number, p.value, p.qualifier, p.unit_printed) == (100, 100, "exact", "全部")
    assert u.allowed_base_units(p.unit) == ("percent",)
    assert p.half_step == 0
    assert u.parse_printed("100%").half_step == pytest.approx(0.5)
    assert u.to_base("全部") == u.to_base("100%") == 100


def test_half_step_follows_printed_precision():
    assert u.parse_printed("88%").half_step == pytest.approx(0.5)
    assert u.parse_printed("0.18%").half_step == pytest.approx(0.005)
    assert u.parse_printed("4658.66万元").half_step == pytest.approx(50)


numbers = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False,
                      allow_infinity=False)


@given(number=numbers, mult=st.sampled_from(["", "万", "亿"]),
       qual=st.sampled_from(["", "余", "多"]), unit=st.sampled_from(CORE_UNITS))
def test_parse_round_trip(number, mult, qual, unit):
    text = f"{number}{mult}{qual}{unit}" if mult or qual else f"{number}{unit}"
    p = u.parse_printed(text)
    scale = {"": 1, "万": 10_000, "亿": 100_000_000}[mult]
    assert p.value == pytest.approx(float(Decimal(str(number)) * scale), rel=1e-12)
    assert p.unit == unit
    assert p.qualifier == ("at_least" if qual else "exact")
    assert p.unit_printed == text[len(str(number)):]


@given(st.integers(min_value=0, max_value=99_999))
def test_chinese_numerals_via_cn2an(n):
    import cn2an

    assert u.chinese_to_number(cn2an.an2cn(n)) == n


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_money_units_are_consistent(yuan):
    assert u.to_money_unit(yuan, "wan") * 10_000 == pytest.approx(yuan)
    assert u.to_money_unit(yuan, "yi") * 100_000_000 == pytest.approx(yuan)
    assert u.to_money_unit(yuan, "yuan") == yuan


def test_money_labels_and_formatting():
    assert u.money_label("wan", "zh") == "万元"
    assert u.money_label("yi", "en") == "100 million yuan"
    assert u.format_money(46_586_600, "wan", "zh") == "4,658.66 万元"
    assert u.format_money(433_000_000, "yi", "zh") == "4.33 亿元"
    assert u.format_money(float("nan")) == "–"
    assert u.format_money(46_586_600, "wan", "en") == "4,658.66 × 10,000 yuan"
    assert u.format_money(1_000, "yuan", "en") == "1,000.00 yuan"
    with pytest.raises(ValueError, match="money_unit"):
        u.money_label("dollars")
    with pytest.raises(ValueError, match="lang"):
        u.money_label("wan", "fr")


def test_unit_labels():
    assert u.unit_label("person_times", "en") == "person-times"
    assert u.unit_label("households", "zh") == "户"
    assert u.format_count(43172, "persons") == "43,172 persons"
    with pytest.raises(u.UnitError):
        u.unit_label("cows")


def test_every_printed_unit_maps_to_known_base_units():
    for allowed in u.PRINTED_UNITS.values():
        assert allowed and set(allowed) <= set(u.BASE_UNITS)


def test_count_units_are_base_units():
    assert u.COUNT_UNITS <= set(u.BASE_UNITS)
    assert "yuan" not in u.COUNT_UNITS and "percent" not in u.COUNT_UNITS


def test_million_yuan_reads_naturally_in_english():
    assert u.money_scale("million") == 1_000_000
    assert u.format_money(3_469_513_100, "million", "en") == "3,469.51 million yuan"
    assert u.format_money(3_469_513_100, "million", "zh") == "3,469.51 百万元"
    assert "×" not in u.money_text("1.5", "million", "en")
    assert u.money_text("1.5", "wan", "en") == "1.5 × 10,000 yuan"  # chosen explicitly


def test_auto_money_unit_follows_the_language():
    assert u.resolve_money_unit("auto", "en") == "million"
    assert u.resolve_money_unit("auto", "zh") == "wan"
    assert u.resolve_money_unit("yuan", "zh") == "yuan"
    with pytest.raises(ValueError, match="money_unit must be one of"):
        u.resolve_money_unit("usd", "en")
    with pytest.raises(ValueError, match="lang must be"):
        u.resolve_money_unit("auto", "fr")


def test_importing_units_does_not_import_cn2an_until_a_chinese_numeral_is_read():
    import subprocess
    import sys

    code = ("import sys; from helpers.data import units; before = 'cn2an' in sys.modules; "
            "units.chinese_to_number('一百二十'); print(before, 'cn2an' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]
