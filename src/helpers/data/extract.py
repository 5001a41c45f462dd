"""Find every numeric mention in a Chinese article and draft candidate claim rows.

:func:`find_mentions` scans a text once and returns one :class:`Mention` per
numeric expression, sorted by offset and never overlapping, each with a *kind*:

``quantity``
    a number with a known printed unit (see :data:`helpers.data.units.PRINTED_UNITS`):
    ``4658.66万元``, ``65000余万元``, ``5万余人``, ``22.16万人次``, ``0.18%``,
    ``100元/人/年``, ``430多户``; a bare number with 万/亿 before a noun
    (``143万某县儿女``, unit ``""``); Chinese numerals with a known unit
    (``九大`` in 九大产业, ``四个`` in 四个维度); ``双百`` (100, unit ``双百``);
    ``百分之九十`` (unit ``%``).
``share``
    ``全部`` ("all", :data:`helpers.data.units.ALL_WORD`): 100 percent of the group its
    sentence names (未脱贫的对象…全部达到脱贫条件), number 100, unit ``全部``.  It is a
    claim when it is the figure of its statement, and excluded, naming the claim, when
    it restates a printed count (34个省定贫困村已全部脱贫出列: the 34 are the claim).
    Not in words that merely contain it (安全部门, 全部署): see :data:`ALL_WORD_BEFORE`.
``year``, ``year_range``, ``date``
    ``2013年``; ``2015—2020年`` (dashes —, –, -, ~, ～ or 至); ``6月底``,
    ``10月份``, ``2015年1月`` (one mention).
``section_number``
    the number of a numbered markdown heading (``### 1 补短强弱``).
``formula``
    numbered policy formulas: ``四跟四走``, ``三走访三签字`` (the same numeral
    twice, ``N X N Y`` with X and Y of equal length); a quoted term starting
    with a Chinese numeral (``“五化”``, ``“五个一”``; the mention is the term
    without its quote marks); ``三个“一批”`` (numeral + 个 + quoted term, the
    mention keeps the quote marks).
``chinese_numeral``
    any other Chinese numeral followed by a classifier that is not a known unit
    (``两项`` in 两项补贴, ``三年``, ``三分之一``).
``other_number``
    any Arabic digits not inside one of the above (the ``4`` of ``4G``).

Rules for Chinese numerals: a run of 零〇一二两三四五六七八九十百千万亿 counts
only when followed by a unit or classifier (or ending in 万/亿); a lone ``一``
is an indefinite article (一路, 一批, 一个坚强, 一大批, 一站式), never a mention;
a numeral after ``第`` is an ordinal and skipped, as are runs that start with
百/千/万/亿 (千家万户, 万一) and a few lexicalised idioms (四处, 三天两头).
Two-digit runs without place value (三五个, 七八户) are approximate: kind
``chinese_numeral`` with qualifier ``"approx"`` and no number.  Numbers are read
with cn2an (through :func:`helpers.data.units.chinese_to_number`) and quantities
with :func:`helpers.data.units.parse_printed`, so the extractor and the claims
validator read every printed value the same way.

:func:`draft_claims` turns the ``quantity`` mentions into candidate claim rows;
:func:`sentences` and :func:`chapters` locate the quote and chapter of a mention.
Nothing runs at import time.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import pandas as pd

from helpers.data import units

#: Kinds of mention, in the order they are described in the module docstring.
KINDS: tuple[str, ...] = (
    "quantity",
    "share",
    "year",
    "year_range",
    "date",
    "section_number",
    "formula",
    "chinese_numeral",
    "other_number",
)

#: Characters that make up a Chinese numeral (the character class, not a value table).
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGITS = "零〇一二两三四五六七八九"  # no place value
_CN_PLACE = "十百千万亿"

#: Classifiers (measure words) that make a Chinese numeral a count although they
#: are not units of :data:`helpers.data.units.PRINTED_UNITS`.  ``个月`` and ``个百分点``
#: keep months and percentage points apart from the unit ``个``.
CLASSIFIERS: tuple[str, ...] = (
    "个百分点", "平方公里", "个月", "方面", "周年", "公里", "平方米", "立方米", "小时",
    "公斤", "年级",
    "项", "批", "支", "场", "段", "份", "次", "位", "条", "座", "所", "间", "种", "类",
    "年", "天", "岁", "届", "级", "轮", "道", "张", "本", "台", "辆", "套", "栋", "片",
    "块", "根", "棵", "株", "头", "只", "匹", "件", "篇", "部", "款", "笔", "组", "队",
    "村", "镇", "乡", "县", "省", "市", "区", "层", "步", "倍", "成", "点", "代", "口",
    "米", "吨", "斤", "宗", "对",
)

#: Lexicalised words containing numeral characters that are not numbers.
IDIOMS: tuple[str, ...] = (
    "四处", "四周", "十分", "三天两头", "三番五次", "十全十美", "三五成群", "两点一线",
    "一五一十", "九九归一", "十有八九", "万无一失", "三长两短", "千家万户", "四面八方",
    "五湖四海", "七上八下", "七嘴八舌", "接二连三", "三心二意", "一心一意",
)

#: Two-character words ending in 一 whose 一 is not the start of a following numeral.
_WORDS_ENDING_IN_YI = (
    "统一", "唯一", "之一", "同一", "单一", "划一", "专一", "逐一", "每一", "万一",
    "第一", "其一", "合一", "归一", "整一",
)

#: Last characters of a quoted name (“三江口”, “五里牌”) or first character after it
#: (“三江口”茶, “五里牌”村) that make a quoted term starting with a numeral a place or
#: product name, not a numbered policy formula (“五化”, “两不愁三保障”).
NAME_ENDS = "村镇乡街口江河湖岭坪塘桥湾冲洲庄寺牌"
NAME_FOLLOWERS = "村镇乡街茶米酒油园牌"

#: Characters before 全 that make it the end of another word (安全部门: 安全 + 部门), and
#: characters after 部 that make it the start of one (全部门: 全 + 部门, 全部署): no 全部 then.
ALL_WORD_BEFORE = "安健完齐周保成两十双"
ALL_WORD_AFTER = "门署长队位委件"

#: Words after ``N大`` (N >= 11) that make it a party congress (十九大精神), not N kinds.
_CONGRESS_CONTEXT = ("精神", "以来", "报告", "代表", "会议", "召开", "胜利", "开幕", "闭幕")

_D = "0-9０-９"
_NUM = rf"(?:[{_D}]{{1,3}}(?:,[{_D}]{{3}})+|[{_D}]+)(?:\.[{_D}]+)?"
_MULT = "万亿|万|亿|萬|億"
_DASH = r"(?:[—–\-~～－]{1,2}|至)"
_OPEN_QUOTES = "“「『‘"
_CLOSE_QUOTES = "”」』’"
_QUOTED = rf"[{_OPEN_QUOTES}](?P<term>[^{_OPEN_QUOTES}{_CLOSE_QUOTES}。！？；\n]{{1,12}})" \
          rf"[{_CLOSE_QUOTES}]"
_CN_RUN = rf"[{CN_NUMERAL_CHARS}]+(?:点[{_CN_DIGITS}]+[万亿]?)?"
_TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "兩": "两"})
_CJK_NON_NUMERAL = rf"(?:(?![{CN_NUMERAL_CHARS}])[\u4e00-\u9fff])"
_SENTENCE_ENDS = "。！？；"
_CLOSERS = "”’」』）)》"
_MONTH_SUFFIX = "(?:份)?(?:底|初|末|中旬|上旬|下旬)?"


_PREFIX_QUALIFIERS = sorted(units.PREFIX_QUALIFIERS, key=len, reverse=True)
_SUFFIX_QUALIFIERS = sorted(units.SUFFIX_QUALIFIERS, key=len, reverse=True)


def _known_units() -> list[str]:
    """Printed units a number can carry, longest first (人次 before 人, 元/人/年 before 元)."""
    return sorted((u for u in units.PRINTED_UNITS if u and u not in units.WORD_VALUES),
                  key=len, reverse=True)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Mention:
    """One numeric mention: ``text == source[start:end]``.

    ``number`` is the value in base units for a quantity (``22.16万人次`` -> 221600,
    ``九大`` -> 9), 100 for a share (``全部``), the year for a year, the heading number
    for a section number, the leading numeral for a formula (``四跟四走`` -> 4), the
    value for a Chinese numeral or other number, and None for year ranges, dates and
    approximate numerals (三五个).  ``unit`` is the core printed unit of a quantity or
    share (a key of :data:`helpers.data.units.PRINTED_UNITS`, ``""`` for ``143万``,
    ``全部``) and None otherwise.  ``qualifier`` is ``exact``, ``at_least`` (余/多) or
    ``approx``.  ``sentence`` is the stripped sentence holding the mention (see
    :func:`sentences`), found at ``sentence_start``.
    """

    start: int
    end: int
    text: str
    kind: str
    number: float | None
    unit: str | None
    qualifier: str
    sentence: str
    sentence_start: int


@dataclass(frozen=True)
class Chapter:
    """A chapter: 0 is the lead before the first numbered heading."""

    number: int
    title: str
    start: int
    end: int


class _Parsed(NamedTuple):
    number: float
    multiplier: int
    qualifier: str
    unit_printed: str
    unit: str
    value: float


class _Cand(NamedTuple):
    start: int
    end: int
    kind: str
    number: float | None
    unit: str | None
    qualifier: str
    priority: int


# --------------------------------------------------------------------------- numbers


def _arabic(num: str) -> Decimal:
    """Decimal value of Arabic digits (full-width digits and 1,234 grouping allowed)."""
    return Decimal("".join(str(int(c)) if c.isdigit() else c for c in num.replace(",", "")))


def _trim_run(text: str, start: int, run: str) -> tuple[int, str]:
    """Drop the 一 of a word such as 统一 or 每一 from the start of a numeral run."""
    if run and text[start - 1:start + 1] in _WORDS_ENDING_IN_YI:
        return start + 1, run[1:]
    return start, run


def _cn_value(run: str) -> float | None:
    """Value of a Chinese numeral run with cn2an, or None when it is not a number."""
    try:
        return units.chinese_to_number(run)
    except units.UnitError:
        pass
    if len(run) > 1 and run[-1] in units.MULTIPLIERS:  # 三点五万
        head = _cn_value(run[:-1])
        if head is not None:
            return float(Decimal(str(head)) * units.MULTIPLIERS[run[-1]])
    return None


_FALLBACK_QTY = re.compile(
    rf"^(?P<num>{_NUM}|{_CN_RUN})(?P<q1>[余多])?(?P<mult>{_MULT})?(?P<q2>[余多])?"
    rf"(?P<unit>.*)$"
)


def _parse_quantity_text(text: str) -> _Parsed:
    """Read a quantity mention with :func:`helpers.data.units.parse_printed` where it can.

    Forms that ``parse_printed`` does not read (``1,234人``, ``50％``, ``三万五千人``,
    ``百分之九十``) are read here the same way: number, 万/亿 multiplier, 余/多
    qualifier, printed unit.
    """
    norm = re.sub(r"(?<=\d),(?=\d{3})", "", text.replace("％", "%"))
    try:
        p = units.parse_printed(norm)
        unit_printed = text[len(text) - len(p.unit_printed):] if p.unit_printed else ""
        return _Parsed(p.number, p.multiplier, p.qualifier, unit_printed, p.unit, p.value)
    except units.UnitError:
        pass
    if text.startswith("百分之"):
        run = text[3:]
        number = _cn_value("一" + run if run[0] in "百千" else run)
        if number is None:
            raise units.UnitError(f"cannot read a percentage from {text!r}")
        return _Parsed(number, 1, "exact", "百分之", "%", number)
    m = _FALLBACK_QTY.match(text)
    if not m:
        raise units.UnitError(f"cannot read a quantity from {text!r}")
    num = m["num"]
    if num[0] in CN_NUMERAL_CHARS:
        cn = _cn_value(num)
        if cn is None:
            raise units.UnitError(f"not a Chinese numeral in {text!r}")
        number = Decimal(str(cn))
    else:
        number = _arabic(num)
    unit = m["unit"].replace("％", "%")
    if (unit not in units.PRINTED_UNITS or unit in units.WORD_VALUES
            or (unit == "" and not m["mult"])):
        raise units.UnitError(f"unknown unit {unit!r} in {text!r}")
    multiplier = units.MULTIPLIERS.get(m["mult"], 1) if m["mult"] != "万亿" else 10**12
    qualifier = "at_least" if (m["q1"] or m["q2"]) else "exact"
    return _Parsed(float(number), multiplier, qualifier, text[len(num):], unit,
                   float(number * multiplier))


# --------------------------------------------------------------------------- text structure


def sentences(text: str) -> list[tuple[int, str]]:
    """Split ``text`` into sentences at 。！？； (with any closing quote) and line breaks.

    Returns ``(start, sentence)`` pairs with the sentence stripped of white space and
    ``text[start:start + len(sentence)] == sentence``; empty pieces are dropped.
    """
    out: list[tuple[int, str]] = []

    def emit(a: int, b: int) -> None:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            out.append((a + len(piece) - len(piece.lstrip()), stripped))

    start, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\r\n":
            emit(start, i)
            start = i + 1
        elif ch in _SENTENCE_ENDS:
            j = i + 1
            while j < n and text[j] in _CLOSERS:
                j += 1
            emit(start, j)
            start = i = j
            continue
        i += 1
    emit(start, n)
    return out


_HEADING_RE = re.compile(
    rf"^[ \t]*#{{1,6}}[ \t]*(?P<num>[{_D}]+|[{CN_NUMERAL_CHARS}]+)"
    r"(?=[ \t.、．:：)）]|$)(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
_ANY_HEADING_RE = re.compile(r"^[ \t]*#{1,6}[ \t]*(?P<title>[^\n]*?)[ \t]*$", re.MULTILINE)


def _heading_number(num: str) -> float | None:
    if num[0] in CN_NUMERAL_CHARS:
        return _cn_value(num)
    return float(_arabic(num))


def chapters(text: str) -> list[Chapter]:
    """Chapters of a markdown article: numbered headings (``### 1 补短强弱``).

    Chapter 0 runs from the start of the text to the first numbered heading and
    takes the first unnumbered heading (the headline) as its title; each numbered
    heading starts a chapter that runs to the next one.
    """
    heads = []
    for m in _HEADING_RE.finditer(text):
        number = _heading_number(m["num"])
        if number is not None:
            heads.append((m.start(), int(number), m["rest"].strip(" \t.、．:：)）")))
    first = heads[0][0] if heads else len(text)
    lead = _ANY_HEADING_RE.search(text, 0, first)
    out = [Chapter(0, lead["title"] if lead else "", 0, first)]
    for k, (start, number, title) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(text)
        out.append(Chapter(number, title, start, end))
    return out


def chapter_of(offset: int, chapter_list: list[Chapter]) -> int:
    """Number of the chapter containing character ``offset`` (0 when before any)."""
    found = 0
    for ch in chapter_list:
        if ch.start <= offset:
            found = ch.number
    return found


# --------------------------------------------------------------------------- candidates


def _valid_year(s: str) -> bool:
    return 1900 <= int(_arabic(s)) <= 2099


def _valid_date(month: str | None, day: str | None) -> bool:
    ok = True
    if month is not None:
        ok = 1 <= int(_arabic(month)) <= 12
    if day is not None:
        ok = ok and 1 <= int(_arabic(day)) <= 31
    return ok


def _heading_cands(text: str) -> list[_Cand]:
    out = []
    for m in _HEADING_RE.finditer(text):
        number = _heading_number(m["num"])
        if number is not None:
            out.append(_Cand(m.start("num"), m.end("num"), "section_number", number, None,
                             "exact", 0))
    return out


def _year_and_date_cands(text: str) -> list[_Cand]:
    out = []
    year_range = re.compile(
        rf"(?<![{_D}.])(?P<a>[{_D}]{{4}})年?[ \t]*{_DASH}[ \t]*(?P<b>[{_D}]{{4}})(?:年)?"
        rf"(?![{_D}])")
    for m in year_range.finditer(text):
        a, b = m["a"], m["b"]
        if _valid_year(a) and _valid_year(b) and int(_arabic(a)) <= int(_arabic(b)):
            out.append(_Cand(m.start(), m.end(), "year_range", None, None, "exact", 10))
    year_date = re.compile(
        rf"(?<![{_D}.])(?P<y>[{_D}]{{4}})年(?P<m>[{_D}]{{1,2}})月"
        rf"(?:(?P<d>[{_D}]{{1,2}})[日号])?{_MONTH_SUFFIX}")
    for m in year_date.finditer(text):
        if _valid_year(m["y"]) and _valid_date(m["m"], m["d"]):
            out.append(_Cand(m.start(), m.end(), "date", None, None, "exact", 11))
    for m in re.finditer(rf"(?<![{_D}.])(?P<y>[{_D}]{{4}})年", text):
        if _valid_year(m["y"]) and not text.startswith("级", m.end()):
            out.append(_Cand(m.start(), m.end(), "year", float(_arabic(m["y"])), None,
                             "exact", 12))
    month_day = re.compile(
        rf"(?<![{_D}.])(?P<m>[{_D}]{{1,2}})月(?:(?P<d>[{_D}]{{1,2}})[日号])?{_MONTH_SUFFIX}")
    for m in month_day.finditer(text):
        if _valid_date(m["m"], m["d"]):
            out.append(_Cand(m.start(), m.end(), "date", None, None, "exact", 13))
    for m in re.finditer(rf"(?<![{_D}.])(?P<d>[{_D}]{{1,2}})日", text):
        if _valid_date(None, m["d"]):
            out.append(_Cand(m.start(), m.end(), "date", None, None, "exact", 14))
    return out


def _leading_run(term: str) -> str:
    m = re.match(rf"[{CN_NUMERAL_CHARS}]+", term)
    return m.group() if m else ""


def _unit_at(text: str, pos: int, words: list[str]) -> str | None:
    """The longest of ``words`` starting at ``pos``."""
    for w in words:
        if text.startswith(w, pos):
            return w
    return None


def _formula_cands(text: str, unit_words: list[str]) -> list[_Cand]:
    out = []
    blocked = _blocked_spans(text)
    # N个“…”: the count of a quoted slogan, e.g. 三个“一批”
    counted = re.compile(rf"(?P<run>[{CN_NUMERAL_CHARS}]+|[{_D}]+)个{_QUOTED}")
    for m in counted.finditer(text):
        start, run = _trim_run(text, m.start(), m["run"])
        if not run or text[start - 1:start] == "第" or set(run) <= {"一"}:
            continue
        number = float(_arabic(run)) if run[0] not in CN_NUMERAL_CHARS else _cn_value(run)
        if number is not None:
            out.append(_Cand(start, m.end(), "formula", number, None, "exact", 1))
    # a quoted term starting with a Chinese numeral: “五化”, “五个一”, “两不愁三保障”
    for m in re.finditer(_QUOTED, text):
        term = m["term"]
        run = _leading_run(term)
        if not run:
            continue
        rest = term[len(run):]
        if _is_name(rest, text[m.end():m.end() + 1]):
            continue  # “三江口”茶, “五里牌”村: a place or product name
        if set(run) <= {"一"} and not any(c in CN_NUMERAL_CHARS for c in rest):
            continue  # “一站式”: an indefinite 一, not a formula
        word = _unit_at(rest, 0, unit_words)
        if word is not None and not set(run) <= {"一"}:
            after = rest[len(word):]
            if not after or after[0] not in CN_NUMERAL_CHARS:
                continue  # “两项补贴”: an ordinary count, read by the numeral rules
        out.append(_Cand(m.start("term"), m.end("term"), "formula", _cn_value(run), None,
                         "exact", 2))
    # N X N Y with the same numeral and X, Y of equal length: 四跟四走, 三走访三签字
    classifiers = set(CLASSIFIERS) | set(_known_units())
    for length in (1, 2, 3):
        pat = re.compile(
            rf"(?<![{CN_NUMERAL_CHARS}第])(?P<n>[二两三四五六七八九十])"
            rf"(?P<x>{_CJK_NON_NUMERAL}{{{length}}})(?P=n)(?P<y>{_CJK_NON_NUMERAL}{{{length}}})"
            rf"(?:(?P=n){_CJK_NON_NUMERAL}{{{length}}})*")
        for m in pat.finditer(text):
            if m["x"] in classifiers and m["y"] in classifiers:
                continue  # 三年三次: two counts, not a formula
            if _overlaps(m.start(), m.end(), blocked):
                continue  # 十全十美: an idiom
            out.append(_Cand(m.start(), m.end(), "formula", _cn_value(m["n"]), None,
                             "exact", 3))
    return out


def _is_name(rest: str, after: str) -> bool:
    """A quoted term whose part after the leading numeral reads as a name (see NAME_ENDS)."""
    if len(rest) < 2 or any(c in CN_NUMERAL_CHARS for c in rest):
        return False
    return rest[-1] in NAME_ENDS or (after != "" and after in NAME_FOLLOWERS)


def _qualifier_before(text: str, start: int) -> str:
    """The qualifying word (超过, 近, 上, ...) printed right before ``start``, or ""."""
    for w in _PREFIX_QUALIFIERS:
        if text.startswith(w, start - len(w)) and start >= len(w):
            return w
    return ""


def _with_qualifiers(text: str, c: _Cand) -> _Cand:
    """A quantity widened over the qualifying words around it (约300人, 500万元以上).

    The widened text is read again with the units parser; where it cannot be read
    (上300人: 上 qualifies only a round 百/千/万/亿), the quantity is kept as it was.
    """
    pre = _qualifier_before(text, c.start)
    post = next((w for w in _SUFFIX_QUALIFIERS if text.startswith(w, c.end)), "")
    if not pre and not post:
        return c
    for a, b in ((c.start - len(pre), c.end + len(post)), (c.start - len(pre), c.end),
                 (c.start, c.end + len(post))):
        if (a, b) == (c.start, c.end):
            continue
        try:
            p = _parse_quantity_text(text[a:b])
        except units.UnitError:
            continue
        return c._replace(start=a, end=b, number=p.value, qualifier=p.qualifier)
    return c


def _arabic_quantity_cands(text: str, known: list[str]) -> list[_Cand]:
    out = []
    pat = re.compile(
        rf"(?<![{_D}.])(?P<num>{_NUM})(?![{_D}])"
        rf"(?:(?P<q1>[余多])(?P<m1>{_MULT})?|(?P<m2>{_MULT})(?P<q2>[余多])?)?"
        rf"(?P<unit>{_alternation(known)}|％)?")
    for m in pat.finditer(text):
        if text[m.start() - 1:m.start()] == "第":
            continue  # 第3批: an ordinal, left to other_number
        unit, end = m["unit"], m.end()
        if unit == "个" and (text.startswith("月", end) or text.startswith("百分点", end)):
            unit, end = None, m.start("unit")
        if unit is None and not (m["m1"] or m["m2"]):
            continue
        if unit is None:
            end = m.end("q2") if m["q2"] else m.end("m1") if m["m1"] else m.end("m2")
        printed = text[m.start():end]
        try:
            p = _parse_quantity_text(printed)
        except units.UnitError:
            continue
        out.append(_Cand(m.start(), end, "quantity", p.value, p.unit, p.qualifier, 20))
    return out


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Spans of idioms (四处, 三天两头) not preceded by another numeral or 第."""
    spans = []
    for idiom in IDIOMS:
        for m in re.finditer(re.escape(idiom), text):
            before = text[m.start() - 1:m.start()]
            if not before or (before not in CN_NUMERAL_CHARS and before != "第"):
                spans.append((m.start(), m.end()))
    return spans


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def _chinese_cands(text: str, known: list[str]) -> list[_Cand]:
    out = []
    blocked = _blocked_spans(text)
    known_set = set(known)
    words = sorted(set(known) | set(CLASSIFIERS), key=len, reverse=True)
    # 百分之九十 (percent) and 三分之一 (fraction)
    for m in re.finditer(rf"(?P<a>{_CN_RUN})?分之(?P<b>{_CN_RUN})", text):
        a, b = m["a"], m["b"]
        if a == "百":
            val = _cn_value("一" + b if b[0] in "百千" else b)
            if val is not None:
                out.append(_Cand(m.start(), m.end(), "quantity", val, "%", "exact", 30))
        elif a:
            va, vb = _cn_value(a), _cn_value(b)
            if va and vb is not None:
                out.append(_Cand(m.start(), m.end(), "chinese_numeral", vb / va, None,
                                 "exact", 30))
    pat = re.compile(rf"(?P<run>{_CN_RUN})(?P<q>[余多])?(?P<m>[万亿])?")
    for m in pat.finditer(text.translate(_TRADITIONAL)):
        start, run = _trim_run(text, m.start(), m["run"])  # 统一三个: not 一三个
        if not run or text[start - 1:start] == "第":
            continue
        if run[0] in "百千万亿" and not (_qualifier_before(text, start) and run in (
                "百", "千", "万", "亿", "千万", "百万")):
            continue  # 千家万户; but 近千人, 上万户: a qualified round number
        if run[0] in "百千万亿":
            start -= len(_qualifier_before(text, start))
        if set(run) <= {"一"} and not m["m"]:
            continue  # lone 一: an indefinite article
        qualifier = "at_least" if m["q"] else "exact"
        pos = m.end()
        digits_only = not any(c in _CN_PLACE or c == "点" for c in run)
        if digits_only and len(run) == 4 and not m["q"] and text.startswith("年", pos):
            value = _cn_value(run)  # 二〇二〇年
            if value is not None and 1900 <= value <= 2099:
                out.append(_Cand(start, pos + 1, "year", value, None, "exact", 31))
            continue
        if digits_only and len(run) != 1 and not (len(run) == 2 and not set(run) & set("零〇")):
            continue  # 一一, 二〇: not a count
        approx = digits_only and len(run) == 2
        if not m["q"] and not m["m"] and not approx:
            date = re.match(rf"月(?:(?P<d>[{CN_NUMERAL_CHARS}]+)[日号])?{_MONTH_SUFFIX}",
                            text[pos:])
            month = _cn_value(run)
            if date and month is not None and month == int(month) and 1 <= month <= 12:
                day = _cn_value(date["d"]) if date["d"] else 1
                if day is not None and 1 <= day <= 31:
                    if not _overlaps(start, pos + date.end(), blocked):
                        out.append(_Cand(start, pos + date.end(), "date", None, None,
                                         "exact", 31))
                    continue
        word = _unit_at(text, pos, words)
        end = pos + len(word) if word else pos
        if _overlaps(start, end, blocked):
            continue
        if approx:
            if word:
                out.append(_Cand(start, end, "chinese_numeral", None, None, "approx", 32))
            continue
        value = _cn_value("一" + run if run[0] in "百千" else run)
        if value is None and run in ("万", "亿"):
            value = float(units.MULTIPLIERS[run])
        if value is None:
            continue
        if m["m"]:
            value = float(Decimal(str(value)) * units.MULTIPLIERS[m["m"]])
        if word == "大" and value >= 11 and (
                text[start - 2:start] == "党的"
                or any(text.startswith(w, end) for w in _CONGRESS_CONTEXT)):
            word_is_unit = False  # 十九大精神: the 19th party congress
        else:
            word_is_unit = word in known_set
        if word_is_unit or (word is None and (m["m"] or run[-1] in "万亿")):
            try:
                p = _parse_quantity_text(text[start:end])
            except units.UnitError:
                continue
            out.append(_Cand(start, end, "quantity", p.value, p.unit, p.qualifier, 32))
        elif word is not None:
            out.append(_Cand(start, end, "chinese_numeral", value, None, qualifier, 32))
    for m in re.finditer("双百", text):
        out.append(_Cand(m.start(), m.end(), "quantity", 100.0, "双百", "exact", 33))
    return out


def _share_cands(text: str) -> list[_Cand]:
    """全部 ("all", 100 percent) where it is a word of its own (see :data:`ALL_WORD_BEFORE`)."""
    out = []
    word = units.ALL_WORD
    for m in re.finditer(re.escape(word), text):
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if (before and before in ALL_WORD_BEFORE) or (after and after in ALL_WORD_AFTER):
            continue
        out.append(_Cand(m.start(), m.end(), "share", 100.0, word, "exact", 34))
    return out


def _select(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Keep candidates by priority, then position, then length; drop overlaps."""
    covered = bytearray(len(text))
    kept = []
    for c in sorted(cands, key=lambda c: (c.priority, c.start, c.start - c.end)):
        if c.end > c.start and not any(covered[c.start:c.end]):
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
    # any Arabic digits left over are other_number mentions
    for m in re.finditer(rf"[{_D}]+(?:\.[{_D}]+)?", text):
        i = m.start()
        while i < m.end():
            if covered[i] or not text[i].isdigit():
                i += 1
                continue
            j = i
            while j < m.end() and not covered[j]:
                j += 1
            while not text[j - 1].isdigit():
                j -= 1
            qualifier = "exact"
            if j == m.end() and j < len(text) and text[j] in "余多" and not covered[j]:
                qualifier, j = "at_least", j + 1
            digits = text[i:j].rstrip("余多")
            kept.append(_Cand(i, j, "other_number", float(_arabic(digits)), None, qualifier,
                              99))
            covered[i:j] = b"\x01" * (j - i)
            i = j
    return sorted(kept, key=lambda c: c.start)


def _widen(text: str, kept: list[_Cand]) -> list[_Cand]:
    """Quantities widened over their qualifying words, where no other mention is there."""
    out: list[_Cand] = []
    for k, c in enumerate(kept):
        if c.kind == "quantity":
            w = _with_qualifiers(text, c)
            lo = out[-1].end if out else 0
            hi = kept[k + 1].start if k + 1 < len(kept) else len(text)
            if w.start >= lo and w.end <= hi:
                c = w
        out.append(c)
    return out


# --------------------------------------------------------------------------- public API


def find_mentions(text: str) -> list[Mention]:
    """Every numeric mention of ``text``, sorted by start, never overlapping."""
    known = _known_units()
    cands = (
        _heading_cands(text)
        + _formula_cands(text, sorted(set(known) | set(CLASSIFIERS), key=len, reverse=True))
        + _year_and_date_cands(text)
        + _arabic_quantity_cands(text, known)
        + _chinese_cands(text, known)
        + _share_cands(text)
    )
    sents = sentences(text)
    starts = [s for s, _ in sents]
    out = []
    for c in _widen(text, _select(text, cands)):
        k = bisect.bisect_right(starts, c.start) - 1
        s_start, sentence = sents[k] if k >= 0 else (c.start, text[c.start:c.end])
        out.append(Mention(c.start, c.end, text[c.start:c.end], c.kind, c.number, c.unit,
                           c.qualifier, sentence, s_start))
    return out


DRAFT_COLUMNS = ("id", "chapter", "value_printed", "number", "unit_printed", "value_base",
                 "qualifier", "quote", "quote_offset")


def draft_claims(text: str) -> pd.DataFrame:
    """One candidate claim row per ``quantity`` mention, in text order.

    Ids are ``draft.ch<chapter>.<nnn>`` numbered within each chapter; ``quote`` is the
    mention's sentence and ``quote_offset`` its offset in ``text``.
    """
    chaps = chapters(text)
    counters: dict[int, int] = {}
    rows = []
    for m in find_mentions(text):
        if m.kind != "quantity":
            continue
        ch = chapter_of(m.start, chaps)
        counters[ch] = counters.get(ch, 0) + 1
        p = _parse_quantity_text(m.text)
        rows.append({
            "id": f"draft.ch{ch}.{counters[ch]:03d}",
            "chapter": ch,
            "value_printed": m.text,
            "number": p.number,
            "unit_printed": p.unit_printed,
            "value_base": p.value,
            "qualifier": p.qualifier,
            "quote": m.sentence,
            "quote_offset": m.sentence_start,
        })
    return pd.DataFrame(rows, columns=list(DRAFT_COLUMNS))


MENTION_COLUMNS = ("start", "end", "text", "kind", "number", "unit", "qualifier", "sentence")


def mentions_frame(mentions: list[Mention]) -> pd.DataFrame:
    """A table of mentions (one row each) for display in notebooks."""
    return pd.DataFrame(
        [{c: getattr(m, c) for c in MENTION_COLUMNS} for m in mentions],
        columns=list(MENTION_COLUMNS),
    )

