"""Printed values, base units and money scales.

The article prints figures such as ``4658.66万元``, ``65000余万元``, ``5万余人``,
``22.16万人次``, ``0.18%`` or ``九大产业``.  This module splits such a printed
value into number, multiplier (万 = 1e4, 亿 = 1e8), qualifier (余/多 = "at
least") and printed unit, and maps the printed unit to the *base units* the
project computes in (yuan, persons, person_times, households, mu, ...).

Two words stand for percentages without a numeral: ``双百`` (a pair of rates at
100%) and ``全部`` ("all": 100 percent of the group its sentence names, exactly;
:data:`ALL_WORD`).

人 (persons) and 人次 (person-times), 户 (households) and 人 (persons) are
different base units; nothing here converts one into the other.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

#: Multipliers printed between number and unit (traditional 萬 and 億 too).
MULTIPLIERS: dict[str, int] = {"万": 10_000, "亿": 100_000_000,
                               "萬": 10_000, "億": 100_000_000}

#: Printed words meaning "more than the stated number".
AT_LEAST_MARKERS = ("余", "多")

#: Words printed before a number that qualify it (超过500户, 近千人, 上万户, 约300人).
#: 上 qualifies only a round 百/千/万/亿 (上万户: "ten thousand and more").
PREFIX_QUALIFIERS: dict[str, str] = {
    "超过": "at_least", "逾": "at_least", "上": "at_least",
    "将近": "approx", "近": "approx", "约": "approx",
}

#: Words printed after a quantity that qualify it (500万元以上, 100人左右).
SUFFIX_QUALIFIERS: dict[str, str] = {"以上": "at_least", "左右": "approx"}

#: Allowed qualifiers of a claim.
QUALIFIERS = ("exact", "at_least", "approx")

#: "All": printed without a numeral, it states 100 percent of the group its sentence
#: names (未脱贫的对象…全部达到脱贫条件).  Its value is exact (no rounding), its
#: qualifier ``exact`` and its base unit ``percent``.
ALL_WORD = "全部"

#: Printed words that are a whole value, with no number before them (双百, 全部).
WORD_VALUES = ("双百", ALL_WORD)


@dataclass(frozen=True)
class BaseUnit:
    """A unit the project computes in, with its labels in both languages."""

    name: str
    en: str
    zh: str
    description: str


_BASE_UNITS = [
    BaseUnit("yuan", "yuan", "元", "Chinese yuan (CNY), nominal"),
    BaseUnit("yuan_per_person", "yuan per person", "元/人", "yuan per person"),
    BaseUnit("yuan_per_household", "yuan per household", "元/户", "yuan per household"),
    BaseUnit("yuan_per_person_year", "yuan per person per year", "元/人/年",
             "yuan per person per year"),
    BaseUnit("persons", "persons", "人", "distinct people (人, 名)"),
    BaseUnit("person_times", "person-times", "人次",
             "people counted once per occasion (人次); not distinct people"),
    BaseUnit("persons_per_village", "persons per village", "名/村",
             "people assigned to each village"),
    BaseUnit("households", "households", "户", "households (户)"),
    BaseUnit("villages", "villages", "个村", "administrative villages"),
    BaseUnit("projects", "projects", "个项目", "projects"),
    BaseUnit("entities", "entities", "个主体", "organisations: carriers, business entities"),
    BaseUnit("enterprises", "enterprises", "家企业", "enterprises"),
    BaseUnit("sites", "sites", "处", "works or installations at one place (处)"),
    BaseUnit("sessions", "sessions", "期", "training sessions (期)"),
    BaseUnit("mu", "mu", "亩", "area in mu (亩); 1 mu = 666.67 m²"),
    BaseUnit("birds", "birds", "羽", "poultry, counted per bird (羽)"),
    BaseUnit("yuan_per_mu", "yuan per mu", "元/亩", "yuan per mu of land (元/亩)"),
    BaseUnit("yuan_per_head", "yuan per head", "元/头", "yuan per head of livestock (元/头)"),
    BaseUnit("percent", "%", "%", "percentage points of a rate or coverage"),
    BaseUnit("industry_types", "industry types", "大产业",
             "kinds of industry (九大产业: nine major industries)"),
    BaseUnit("dimensions", "dimensions", "个维度", "dimensions of an evaluation scheme"),
]

#: Base units that count whole things: printed without 万/亿 they carry no rounding.
COUNT_UNITS = frozenset({
    "persons", "person_times", "households", "villages", "projects", "entities",
    "enterprises", "sites", "sessions", "birds", "industry_types", "dimensions",
    "persons_per_village",
})

#: Base units by name.
BASE_UNITS: dict[str, BaseUnit] = {u.name: u for u in _BASE_UNITS}

#: Printed unit (after removing multiplier and qualifier) -> base units it may express.
#: The claim row chooses one; a choice outside this set is a validation error.
PRINTED_UNITS: dict[str, tuple[str, ...]] = {
    # a bare number with 万/亿 before a noun (143万某县儿女): the noun carries the unit
    "": ("persons", "households"),
    "元": ("yuan", "yuan_per_person", "yuan_per_household"),
    "元/人/年": ("yuan_per_person_year",),
    "人": ("persons",),
    "名": ("persons", "persons_per_village"),
    "人次": ("person_times",),
    "户": ("households",),
    "个": ("villages", "projects", "entities", "dimensions"),
    "家": ("entities", "enterprises"),
    "处": ("sites",),
    "期": ("sessions",),
    "亩": ("mu",),
    "元/亩": ("yuan_per_mu",),
    "元/头": ("yuan_per_head",),
    "羽": ("birds",),
    "%": ("percent",),
    "双百": ("percent",),
    ALL_WORD: ("percent",),
    "大": ("industry_types",),
}

#: Money display scales for the notebooks' ``money_unit`` parameter.
MONEY_UNITS: dict[str, tuple[int, str, str]] = {
    "yuan": (1, "yuan", "元"),
    "wan": (10_000, "10,000 yuan", "万元"),
    "million": (1_000_000, "million yuan", "百万元"),
    "yi": (100_000_000, "100 million yuan", "亿元"),
}

#: The ``money_unit`` parameter value that picks the unit of the language:
#: 万元 in Chinese, million yuan in English (see :func:`resolve_money_unit`).
MONEY_UNIT_AUTO = "auto"
AUTO_MONEY_UNITS = {"zh": "wan", "en": "million"}

_CN_DIGITS = "零〇一二两兩三四五六七八九十百千"
_PREFIXES = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))
_SUFFIXES = "|".join(SUFFIX_QUALIFIERS)
_VALUE_RE = re.compile(
    rf"^(?P<pre>{_PREFIXES})?(?P<num>\d+(?:\.\d+)?|[{_CN_DIGITS}]+|(?=[万亿萬億]))"
    r"(?P<q1>[余多])?(?P<mult>[万亿萬億])?(?P<q2>[余多])?"
    rf"(?P<unit>.*?)(?P<post>{_SUFFIXES})?$"
)
#: Traditional characters read as their simplified forms.
_TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "兩": "两"})


class UnitError(ValueError):
    """A printed value or unit that the project cannot interpret."""


@dataclass(frozen=True)
class ParsedValue:
    """A printed value split into its parts."""

    printed: str
    number: float
    multiplier: int
    qualifier: str
    unit_printed: str
    unit: str
    decimals: int

    @property
    def value(self) -> float:
        """Number times multiplier (e.g. 4658.66万 -> 46586600)."""
        return float(Decimal(str(self.number)) * self.multiplier)

    @property
    def half_step(self) -> float:
        """Half a unit of the last printed digit, scaled: the rounding of the printed value.

        Zero for 全部 ("all" is exactly 100 percent, not a rounded figure)."""
        if self.unit == ALL_WORD:
            return 0.0
        return 0.5 * 10 ** (-self.decimals) * self.multiplier


def chinese_to_number(text: str) -> float:
    """Convert a Chinese numeral (``九``, ``两``, ``一百二十``) with cn2an."""
    try:
        import cn2an  # imported when a Chinese numeral is read (0.07 s), not with units

        return float(cn2an.cn2an(text.translate(_TRADITIONAL), "smart"))
    except (ValueError, KeyError) as exc:  # cn2an raises ValueError on junk
        raise UnitError(f"not a Chinese numeral: {text!r}") from exc


def parse_printed(printed: str) -> ParsedValue:
    """Split a printed value such as ``4658.66万元`` or ``430多户`` into its parts.

    >>> p = parse_printed("65000余万元")
    >>> (p.number, p.multiplier, p.qualifier, p.unit_printed, p.unit, p.value)
    (65000.0, 10000, 'at_least', '余万元', '元', 650000000.0)

    Qualifying words before or after the number are part of the printed value:

    >>> [(p.number, p.qualifier, p.unit_printed)
    ...  for p in map(parse_printed, ["近千人", "500万元以上"])]
    [(1000.0, 'approx', '人'), (500.0, 'at_least', '万元以上')]

    全部 ("all") is 100 percent, exactly:

    >>> p = parse_printed("全部")
    >>> (p.number, p.qualifier, p.unit, allowed_base_units(p.unit), p.value, p.half_step)
    (100.0, 'exact', '全部', ('percent',), 100.0, 0.0)
    """
    text = printed.strip()
    if text == "双百":  # "double hundred": a pair of 100% coverage rates
        return ParsedValue(text, 100.0, 1, "exact", "双百", "双百", 0)
    if text == ALL_WORD:  # "all": 100% of the group the sentence names
        return ParsedValue(text, 100.0, 1, "exact", ALL_WORD, ALL_WORD, 0)
    m = _VALUE_RE.match(text)
    if not m or (not m["num"] and not (m["mult"] and m["pre"])):
        raise UnitError(f"cannot read a number and unit from {printed!r}")
    num, pre = m["num"], m["pre"] or ""
    if pre == "上" and not (num[:1] in ("百", "千") or (not num and m["mult"])):
        raise UnitError(f"上 qualifies only a round 百/千/万/亿 in {printed!r}")
    if not num:  # 上万户, 近万人: one 万
        number, decimals = 1.0, 0
    elif num[0].isdigit():
        number = float(num)
        decimals = len(num.split(".")[1]) if "." in num else 0
    else:
        number = chinese_to_number("一" + num if num[0] in "百千" else num)
        decimals = 0
    markers = [w for w in (m["q1"], m["q2"]) if w]
    found = {"at_least" for _ in markers}
    if pre:
        found.add(PREFIX_QUALIFIERS[pre])
    if m["post"]:
        found.add(SUFFIX_QUALIFIERS[m["post"]])
    if len(markers) > 1 or len(found) > 1:
        raise UnitError(f"two qualifiers in {printed!r}")
    qualifier = found.pop() if found else "exact"
    multiplier = MULTIPLIERS.get(m["mult"] or "", 1)
    unit = m["unit"]
    if unit == "" and multiplier == 1:
        raise UnitError(f"no unit in {printed!r}")
    if unit not in PRINTED_UNITS:
        raise UnitError(
            f"unknown unit {unit!r} in {printed!r}; known units: {', '.join(PRINTED_UNITS)}"
        )
    if unit in WORD_VALUES:
        raise UnitError(f"{unit} is a value of its own, printed without a number: {printed!r}")
    unit_printed = text[len(pre) + len(num):]
    return ParsedValue(text, number, multiplier, qualifier, unit_printed, unit, decimals)


def allowed_base_units(unit: str) -> tuple[str, ...]:
    """Base units a printed unit may express (``人次`` -> ``('person_times',)``)."""
    try:
        return PRINTED_UNITS[unit]
    except KeyError:
        raise UnitError(f"unknown printed unit {unit!r}") from None


def to_base(printed: str) -> float:
    """The printed value in base units (``22.16万人次`` -> 221600.0)."""
    return parse_printed(printed).value


def unit_label(base_unit: str, lang: str = "en") -> str:
    """Label of a base unit in ``en`` or ``zh``."""
    check_lang(lang)
    try:
        u = BASE_UNITS[base_unit]
    except KeyError:
        raise UnitError(f"unknown base unit {base_unit!r}") from None
    return u.en if lang == "en" else u.zh


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``en`` or ``zh``; raise otherwise."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    return lang


def resolve_money_unit(money_unit: str, lang: str) -> str:
    """``money_unit`` with ``auto`` replaced by the unit of ``lang``; checked.

    >>> [resolve_money_unit(u, lang) for u, lang in [("auto", "en"), ("auto", "zh"), ("yi", "en")]]
    ['million', 'wan', 'yi']
    """
    if money_unit == MONEY_UNIT_AUTO:
        return AUTO_MONEY_UNITS[check_lang(lang)]
    return check_money_unit(money_unit)


def check_money_unit(money_unit: str) -> str:
    """Return ``money_unit`` if it is ``yuan``, ``wan``, ``million`` or ``yi``; raise otherwise."""
    if money_unit not in MONEY_UNITS:
        raise ValueError(
            f"money_unit must be one of {', '.join(MONEY_UNITS)}, got {money_unit!r}"
        )
    return money_unit


def money_scale(money_unit: str) -> int:
    """Yuan per display unit (``wan`` -> 10000)."""
    return MONEY_UNITS[check_money_unit(money_unit)][0]


def to_money_unit(yuan, money_unit: str):
    """Convert an amount (scalar, array or Series) in yuan to the display unit."""
    return yuan / money_scale(money_unit)


def money_label(money_unit: str, lang: str = "en") -> str:
    """Axis/column label of a money unit (``wan``, ``zh`` -> ``万元``)."""
    _, en, zh = MONEY_UNITS[check_money_unit(money_unit)]
    return en if check_lang(lang) == "en" else zh


def money_text(number: str, money_unit: str, lang: str = "en", zh_space: bool = False) -> str:
    """A number already written in ``money_unit`` with that unit's label.

    >>> money_text("4,658.66", "wan"), money_text("210.5", "yuan"), money_text("4.33", "yi", "zh")
    ('4,658.66 × 10,000 yuan', '210.5 yuan', '4.33亿元')
    >>> money_text("4.33", "yi", "zh", zh_space=True), money_text("346.95", "million")
    ('4.33 亿元', '346.95 million yuan')
    """
    label = money_label(money_unit, lang)
    if lang == "zh":
        return f"{number} {label}" if zh_space else number + label
    return f"{number} × {label}" if money_unit in ("wan", "yi") else f"{number} {label}"


def format_money(yuan: float, money_unit: str = "wan", lang: str = "en", digits: int = 2) -> str:
    """Format an amount in yuan in the chosen unit, with ``digits`` decimals.

    (The analysis modules write amounts with :func:`helpers.display.formatting.fmt_money`,
    which chooses the decimals; both label amounts with :func:`money_text`.)

    >>> format_money(46586600, "wan", "zh")
    '4,658.66 万元'
    >>> format_money(46586600, "yi", "en")
    '0.47 × 100 million yuan'
    """
    if yuan is None or (isinstance(yuan, float) and math.isnan(yuan)):
        return "–"
    value = to_money_unit(yuan, money_unit)
    check_lang(lang)
    return money_text(f"{value:,.{digits}f}", money_unit, lang, zh_space=True)


def format_count(value: float, base_unit: str, lang: str = "en", digits: int = 0) -> str:
    """Format a count with its unit label.

    >>> format_count(43172, "persons")
    '43,172 persons'
    """
    return f"{value:,.{digits}f} {unit_label(base_unit, lang)}"
