"""Tests for helpers.data.extract: numeric mentions in Chinese text and draft claims.

Expectations are written from reading the strings and the article, not from the
extractor's output.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.data import extract as ex
from helpers.data.units import PRINTED_UNITS, WORD_VALUES
from helpers.paths import get_paths


def kinds(text: str) -> list[tuple[str, str]]:
    """(text, kind) of every mention of ``text``."""
    return [(m.text, m.kind) for m in ex.find_mentions(text)]


def only(text: str, printed: str) -> ex.Mention:
    """The single mention whose text is ``printed``."""
    found = [m for m in ex.find_mentions(text) if m.text == printed]
    assert len(found) == 1, (printed, kinds(text))
    return found[0]


# --------------------------------------------------------------------------- small strings


@pytest.mark.parametrize(
    ("text", "printed", "value", "unit", "qualifier"),
    [
        ("共完成投资4658.66万元。", "4658.66万元", 46_586_600, "元", "exact"),
        ("共完成投资65000余万元，", "65000余万元", 650_000_000, "元", "at_least"),
        ("直接受益群众5万余人。", "5万余人", 50_000, "人", "at_least"),
        ("代缴医保22.16万人次，", "22.16万人次", 221_600, "人次", "exact"),
        ("发生率下降到0.18%。", "0.18%", 0.18, "%", "exact"),
        ("按照100元/人/年的标准", "100元/人/年", 100, "元/人/年", "exact"),
        ("结算费用4.33亿元", "4.33亿元", 433_000_000, "元", "exact"),
        ("贫困村34个", "34个", 34, "个", "exact"),
        ("安排1名县级领导", "1名", 1, "名", "exact"),
        ("举办培训125期", "125期", 125, "期", "exact"),
        ("养鸡40万羽。", "40万羽", 400_000, "羽", "exact"),
        ("油茶林118.4万亩，", "118.4万亩", 1_184_000, "亩", "exact"),
        ("430多户增收", "430多户", 430, "户", "at_least"),
        ("带动1000余人就业", "1000余人", 1000, "人", "at_least"),
        ("建成载体143家，", "143家", 143, "家", "exact"),
        ("供水工程385处，", "385处", 385, "处", "exact"),
        ("以九大产业为突破口", "九大", 9, "大", "exact"),
        ("从四个维度开展", "四个", 4, "个", "exact"),
        ("喜提“双百”目标", "双百", 100, "双百", "exact"),
        ("对143万耒阳儿女的承诺", "143万", 1_430_000, "", "exact"),
        ("共有两万余人参加", "两万余人", 20_000, "人", "at_least"),
        ("投入三十余万元", "三十余万元", 300_000, "元", "at_least"),
        ("受益一万三千人", "一万三千人", 13_000, "人", "exact"),
        ("覆盖率达百分之九十五", "百分之九十五", 95, "%", "exact"),
        ("全年1,234人参加", "1,234人", 1234, "人", "exact"),
        ("满意度50％以上", "50％以上", 50, "%", "at_least"),
    ],
)
def test_quantities(text, printed, value, unit, qualifier):
    m = only(text, printed)
    assert m.kind == "quantity"
    assert m.number == pytest.approx(value, rel=1e-12)
    assert (m.unit, m.qualifier) == (unit, qualifier)


def test_person_times_and_persons_stay_apart():
    text = "培训5680人次，就业5680人，其中418户。"
    assert [(m.text, m.unit) for m in ex.find_mentions(text)] == [
        ("5680人次", "人次"), ("5680人", "人"), ("418户", "户")]


def test_adjacent_households_and_persons_are_two_mentions():
    text = "贫困户总户数14466户43172人，"
    assert [(m.text, m.unit, m.number) for m in ex.find_mentions(text)] == [
        ("14466户", "户", 14466), ("43172人", "人", 43172)]


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("2015—2020年，累计投入", "2015—2020年"),
        ("2015–2020年，累计投入", "2015–2020年"),
        ("2015-2020年，累计投入", "2015-2020年"),
        ("2015~2020年，累计投入", "2015~2020年"),
        ("2015至2020年，累计投入", "2015至2020年"),
        ("2015年至2020年，累计投入", "2015年至2020年"),
    ],
)
def test_year_ranges_with_each_dash(text, printed):
    assert kinds(text) == [(printed, "year_range")]


def test_year_range_swallows_its_years_and_keeps_the_season_outside():
    text = "2015—2020年春季，发放补助"
    assert kinds(text) == [("2015—2020年", "year_range")]


def test_years_and_dates():
    text = "2018年至今，在今年6月底达到条件，10月份完成。2015年1月以来，6月30日前，15日。"
    assert kinds(text) == [
        ("2018年", "year"), ("6月底", "date"), ("10月份", "date"),
        ("2015年1月", "date"), ("6月30日", "date"), ("15日", "date")]
    assert only(text, "2018年").number == 2018


def test_from_year_to_year_is_two_years():
    assert kinds("从2013年到2020年，") == [("2013年", "year"), ("2020年", "year")]


def test_invalid_month_is_not_a_date():
    assert ("13月", "date") not in kinds("第13月")


def test_4g_is_other_number():
    m = only("4G网络覆盖率", "4")
    assert (m.kind, m.number, m.unit) == ("other_number", 4, None)


def test_arabic_ordinal_is_not_a_quantity():
    assert kinds("第3批名单") == [("3", "other_number")]


def test_lone_yi_is_not_a_mention():
    text = ("一路走来，一场战争，选准一批村支书，一个坚强有力的班子，"
            "在脱贫攻坚一线，一大批干部，一站式结算，一次性交通补助，一家老小。")
    assert ex.find_mentions(text) == []


def test_yi_words_are_not_mentions():
    assert ex.find_mentions("万一出现问题，一些困难，统一部署，唯一的办法，每一个贫困村。") == []


def test_yi_with_wan_is_a_quantity():
    m = only("受益一万人", "一万人")
    assert (m.kind, m.number, m.unit) == ("quantity", 10_000, "人")


def test_ordinals_are_skipped():
    assert ex.find_mentions("第一书记驻村，第二批项目，第三名。") == []


def test_idioms_and_place_value_starts_are_skipped():
    text = "走进千家万户，四处奔走，千群携手，十全十美。"
    assert ex.find_mentions(text) == []


def test_word_ending_in_yi_does_not_join_the_next_numeral():
    assert kinds("统一三个标准") == [("三个", "quantity")]


def test_chinese_numeral_with_classifier():
    text = "残疾人“两项补贴”资金，开展三次走访，三年行动。"
    assert kinds(text) == [("两项", "chinese_numeral"), ("三次", "chinese_numeral"),
                           ("三年", "chinese_numeral")]
    assert only(text, "两项").number == 2
    assert only(text, "两项").unit is None


def test_approximate_chinese_numerals():
    m = only("三五个村", "三五个")
    assert (m.kind, m.number, m.qualifier) == ("chinese_numeral", None, "approx")


def test_party_congress_is_not_industry_types():
    assert kinds("学习党的十九大精神") == [("十九大", "chinese_numeral")]


def test_months_and_percentage_points_are_not_unit_ge():
    assert kinds("用三个月时间") == [("三个月", "chinese_numeral")]
    assert kinds("下降5个百分点") == [("5", "other_number")]


def test_shuangbai():
    m = only("喜提“双百”目标", "双百")
    assert (m.kind, m.number, m.unit) == ("quantity", 100, "双百")


@pytest.mark.parametrize(
    ("text", "printed", "number"),
    [
        ("按照“四跟四走”政策", "四跟四走", 4),
        ("深入开展“三走访三签字”，", "三走访三签字", 3),
        ("开展了“五比五看”活动", "五比五看", 5),
        ("创新开展“四股四争”活动", "四股四争", 4),
        ("全面推进“五化”建设", "五化", 5),
        ("开展“五个一”行动", "五个一", 5),
        ("从培育一批产业三个“一批”入手", "三个“一批”", 3),
        ("实现“两不愁三保障”", "两不愁三保障", 2),
        ("推行四跟四走模式", "四跟四走", 4),
    ],
)
def test_formulas(text, printed, number):
    m = only(text, printed)
    assert (m.kind, m.number, m.unit) == ("formula", number, None)
    assert [x.text for x in ex.find_mentions(text)] == [printed]


def test_quoted_counts_and_yi_terms_are_not_formulas():
    assert ex.find_mentions("推进“一站式”结算") == []
    assert kinds("残疾人“两项补贴”") == [("两项", "chinese_numeral")]
    assert kinds("“一村一品”") == [("一村一品", "formula")]


def test_counts_in_parallel_are_not_a_formula():
    assert kinds("连续三年三次获评") == [("三年", "chinese_numeral"), ("三次", "chinese_numeral")]


def test_headings():
    text = "# 标题\n\n导语2013年。\n\n### 1 补短强弱\n\n正文34个。\n\n### 2 授人以渔\n\n正文。\n"
    assert kinds(text) == [("2013年", "year"), ("1", "section_number"),
                           ("34个", "quantity"), ("2", "section_number")]
    chaps = ex.chapters(text)
    assert [(c.number, c.title) for c in chaps] == [(0, "标题"), (1, "补短强弱"), (2, "授人以渔")]
    assert chaps[0].start == 0 and chaps[-1].end == len(text)
    assert ex.chapter_of(text.index("2013"), chaps) == 0
    assert ex.chapter_of(text.index("34个"), chaps) == 1
    assert ex.chapter_of(text.index("正文。"), chaps) == 2


def test_chinese_numbered_heading():
    text = "### 一、总体情况\n正文"
    m = only(text, "一")
    assert (m.kind, m.number) == ("section_number", 1)
    assert [(c.number, c.title) for c in ex.chapters(text)] == [(0, ""), (1, "总体情况")]


def test_sentences_split_and_slice_back():
    text = "  第一句。第二句！\n第三“句”；第四？“引语。”尾巴\n\n"
    got = ex.sentences(text)
    assert [s for _, s in got] == [
        "第一句。", "第二句！", "第三“句”；", "第四？", "“引语。”", "尾巴"]
    for start, s in got:
        assert text[start:start + len(s)] == s


def test_mention_carries_its_sentence():
    text = "第一句没有数。\n截至目前，共有34个村。下一句"
    m = only(text, "34个")
    assert m.sentence == "截至目前，共有34个村。"
    assert text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence


def test_mentions_frame_columns():
    frame = ex.mentions_frame(ex.find_mentions("共34个村，2018年。"))
    assert list(frame.columns) == ["start", "end", "text", "kind", "number", "unit",
                                   "qualifier", "sentence"]
    assert frame["text"].tolist() == ["34个", "2018年"]
    assert list(ex.mentions_frame([]).columns) == list(frame.columns)


def test_kinds_listed():
    assert set(ex.KINDS) == {"quantity", "share", "year", "year_range", "date", "section_number",
                             "formula", "chinese_numeral", "other_number"}


def test_all_is_a_share_of_one_hundred_percent():
    m = only("在今年6月底全部达到脱贫条件", "全部")
    assert (m.kind, m.number, m.unit, m.qualifier) == ("share", 100, "全部", "exact")
    assert kinds("34个省定贫困村已全部脱贫出列") == [("34个", "quantity"), ("全部", "share")]
    assert kinds("问题全部得到解决，全部完成") == [("全部", "share"), ("全部", "share")]


@pytest.mark.parametrize("text", ["公安、安全部门联动", "全部门协同", "健全部分制度",
                                  "完全部署到位", "实现全覆盖", "全县全面小康"])
def test_all_inside_other_words_is_no_mention(text):
    # 安全+部门, 全+部门, 健全+部分, 完全+部署; 全 alone (全覆盖, 全县) is no share either
    assert kinds(text) == []


def test_all_is_not_a_unit_after_a_number():
    assert kinds("3全部完成") == [("3", "other_number"), ("全部", "share")]


# --------------------------------------------------------------------------- the article


@pytest.fixture(scope="module")
def article() -> str:
    return get_paths().article.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mentions(article) -> list[ex.Mention]:
    return ex.find_mentions(article)


def with_text(mentions, printed):
    return [m for m in mentions if m.text == printed]


@pytest.mark.parametrize(
    ("printed", "count", "kind", "number", "unit", "qualifier"),
    [
        ("34个", 2, "quantity", 34, "个", "exact"),
        ("14466户", 2, "quantity", 14466, "户", "exact"),
        ("43172人", 1, "quantity", 43172, "人", "exact"),
        ("0.18%", 1, "quantity", 0.18, "%", "exact"),
        ("143万", 1, "quantity", 1_430_000, "", "exact"),
        ("65000余万元", 1, "quantity", 650_000_000, "元", "at_least"),
        ("100%", 3, "quantity", 100, "%", "exact"),
        ("双百", 1, "quantity", 100, "双百", "exact"),
        ("全部", 4, "share", 100, "全部", "exact"),  # 全部脱贫出列/达到/完成/得到解决
        ("22.16万人次", 1, "quantity", 221_600, "人次", "exact"),
        ("4658.66万元", 1, "quantity", 46_586_600, "元", "exact"),
        ("4.33亿元", 1, "quantity", 433_000_000, "元", "exact"),
        ("191.72万人次", 1, "quantity", 1_917_200, "人次", "exact"),
        ("5万余人", 1, "quantity", 50_000, "人", "at_least"),
        ("100元/人/年", 1, "quantity", 100, "元/人/年", "exact"),
        ("59271.3万元", 1, "quantity", 592_713_000, "元", "exact"),
        ("125期", 1, "quantity", 125, "期", "exact"),
        ("5680人次", 1, "quantity", 5680, "人次", "exact"),
        ("1088名", 1, "quantity", 1088, "名", "exact"),
        ("9690人", 1, "quantity", 9690, "人", "exact"),
        ("九大", 1, "quantity", 9, "大", "exact"),
        ("118.4万亩", 1, "quantity", 1_184_000, "亩", "exact"),
        ("1000余人", 1, "quantity", 1000, "人", "at_least"),
        ("430多户", 1, "quantity", 430, "户", "at_least"),
        ("40万羽", 1, "quantity", 400_000, "羽", "exact"),
        ("1430.6元", 1, "quantity", 1430.6, "元", "exact"),
        ("四个", 1, "quantity", 4, "个", "exact"),
        ("1名", 3, "quantity", 1, "名", "exact"),
        ("112名", 1, "quantity", 112, "名", "exact"),
        ("2013年", 1, "year", 2013, None, "exact"),
        ("2017年", 1, "year", 2017, None, "exact"),
        ("2018年", 3, "year", 2018, None, "exact"),
        ("2015—2020年", 4, "year_range", None, None, "exact"),
        ("2017—2020年", 1, "year_range", None, None, "exact"),
        ("6月底", 1, "date", None, None, "exact"),
        ("10月份", 1, "date", None, None, "exact"),
        ("2015年1月", 1, "date", None, None, "exact"),
        ("四跟四走", 1, "formula", 4, None, "exact"),
        ("三走访三签字", 1, "formula", 3, None, "exact"),
        ("五比五看", 1, "formula", 5, None, "exact"),
        ("四股四争", 1, "formula", 4, None, "exact"),
        ("五化", 1, "formula", 5, None, "exact"),
        ("五个一", 1, "formula", 5, None, "exact"),
        ("三个“一批”", 1, "formula", 3, None, "exact"),
        ("两项", 1, "chinese_numeral", 2, None, "exact"),
        ("4", 1, "other_number", 4, None, "exact"),
    ],
)
def test_article_mentions(mentions, printed, count, kind, number, unit, qualifier):
    found = with_text(mentions, printed)
    assert len(found) == count
    for m in found:
        assert m.kind == kind
        assert m.unit == unit
        assert m.qualifier == qualifier
        if number is None:
            assert m.number is None
        else:
            assert m.number == pytest.approx(number, rel=1e-12)


def test_article_headings_are_section_numbers(article, mentions):
    sections = [m for m in mentions if m.kind == "section_number"]
    assert [m.text for m in sections] == ["1", "2", "3"]
    assert article[sections[0].start - 4:sections[0].end] == "### 1"


def test_article_spring_range(article, mentions):
    start = article.index("2015—2020年春季")
    assert [(m.text, m.kind) for m in mentions if m.start == start] == [
        ("2015—2020年", "year_range")]
    end = start + len("2015—2020年")
    assert not any(start < m.start < end for m in mentions)


def test_article_offsets_slice_back_and_do_not_overlap(article, mentions):
    assert mentions == sorted(mentions, key=lambda m: m.start)
    for m in mentions:
        assert article[m.start:m.end] == m.text
        assert m.kind in ex.KINDS
        assert article[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
        assert m.sentence_start <= m.start and m.end <= m.sentence_start + len(m.sentence)
    for a, b in itertools.pairwise(mentions):
        assert a.end <= b.start


def test_article_every_digit_is_covered(article, mentions):
    covered = set()
    for m in mentions:
        covered.update(range(m.start, m.end))
    digits = [i for i, c in enumerate(article) if c.isdigit()]
    assert digits and all(i in covered for i in digits)


def test_article_no_indefinite_yi(article, mentions):
    texts = [m.text for m in mentions]
    for word in ("一路", "一批", "一个", "一线", "一大", "一站式", "一次", "一家", "第一", "一份"):
        assert not any(t.startswith(word) for t in texts), word
    assert "千群" not in "".join(texts)


def test_article_chapters(article):
    chaps = ex.chapters(article)
    assert [c.number for c in chaps] == [0, 1, 2, 3]
    assert chaps[0].title == "决胜脱贫奔小康 蔡伦故里谱华章"
    assert chaps[1].title == "补短强弱 贫困群众幸福指数不断攀升"
    assert ex.chapter_of(article.index("143万"), chaps) == 0
    assert ex.chapter_of(article.index("22.16万人次"), chaps) == 1
    assert ex.chapter_of(article.index("四股四争"), chaps) == 2
    assert ex.chapter_of(article.index("112名"), chaps) == 3


def test_article_draft_claims(article, mentions):
    draft = ex.draft_claims(article)
    assert list(draft.columns) == ["id", "chapter", "value_printed", "number", "unit_printed",
                                   "value_base", "qualifier", "quote", "quote_offset"]
    assert len(draft) == sum(m.kind == "quantity" for m in mentions)
    assert draft["id"].is_unique
    assert all(re.fullmatch(r"draft\.ch\d\.\d{3}", i) for i in draft["id"])
    for row in draft.itertuples():
        off = row.quote_offset
        assert article[off:off + len(row.quote)] == row.quote
        assert row.value_printed in row.quote
        assert row.id.startswith(f"draft.ch{row.chapter}.")
    row = draft[draft["value_printed"] == "22.16万人次"].iloc[0]
    assert (row["number"], row["unit_printed"], row["value_base"], row["chapter"]) == (
        22.16, "万人次", 221_600, 1)
    row = draft[draft["value_printed"] == "5万余人"].iloc[0]
    assert (row["unit_printed"], row["qualifier"], row["value_base"]) == (
        "万余人", "at_least", 50_000)
    first = draft.iloc[0]
    assert (first["id"], first["value_printed"]) == ("draft.ch0.001", "34个")
    assert first["quote"].startswith("截至目前，耒阳市34个省定贫困村")
    assert ex.draft_claims(article).equals(draft)  # stable


def test_article_claims_table_values_are_found(paths, mentions):
    """Every printed value of the curated claims table is one quantity (or 全部) mention."""
    import csv

    with paths.claims.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    quantities = {m.text for m in mentions if m.kind in ("quantity", "share")}
    missing = [r["value_printed"] for r in rows if r["value_printed"] not in quantities]
    assert missing == []
    assert "全部" in {r["value_printed"] for r in rows}


# --------------------------------------------------------------------------- property


#: Filler characters: no numerals, units, qualifiers, 第, dates or context words.
FILLER = ("的在是和与为发展建设贫困群众工作推进落实提升服务产业生活"
          "安全保障教育医疗农经济资金投带帮扶")
UNITS = [u for u in PRINTED_UNITS if u and u not in WORD_VALUES]


def test_filler_is_neutral():
    unit_chars = set("".join(UNITS)) | set("".join(ex.CLASSIFIERS))
    assert not set(FILLER) & (set(ex.CN_NUMERAL_CHARS) | unit_chars | set("余多第年月日号次/点"))
    assert "部" not in FILLER  # so no 全部 (a share) forms in the filler


filler = st.text(alphabet=FILLER, min_size=0, max_size=8)


@st.composite
def arabic_quantity(draw):
    number = draw(st.decimals(min_value=0, max_value=10**6, places=draw(st.integers(0, 2)),
                              allow_nan=False, allow_infinity=False))
    num = f"{abs(number):f}"
    unit = draw(st.sampled_from([*UNITS, ""]))
    mult = draw(st.sampled_from(["", "万", "亿"])) if unit not in ("%", "大") else ""
    if unit == "":
        mult = mult or "万"
    q = draw(st.sampled_from(["", "余", "多"]))
    where = draw(st.sampled_from(["before", "after"])) if mult else "before"
    printed = num + (q + mult if where == "before" else mult + q) + unit
    value = Decimal(num) * {"": 1, "万": 10_000, "亿": 100_000_000}[mult]
    return printed, float(value), unit, "at_least" if q else "exact"


@st.composite
def chinese_quantity(draw):
    n = draw(st.integers(min_value=2, max_value=99_999))
    unit = draw(st.sampled_from([u for u in UNITS if u != "%"]))
    if n == 4 and unit == "处":  # 四处 is the adverb "everywhere"
        unit = "个"
    q = draw(st.sampled_from(["", "余", "多"]))
    return cn2an.an2cn(n) + q + unit, float(n), unit, "at_least" if q else "exact"


@settings(max_examples=300, deadline=None)
@given(st.one_of(arabic_quantity(), chinese_quantity()), filler, filler)
def test_quantities_in_filler_are_found(quantity, before, after):
    printed, value, unit, qualifier = quantity
    text = before + printed + after + "。"
    found = [m for m in ex.find_mentions(text) if m.start == len(before)]
    assert len(found) == 1, kinds(text)
    m = found[0]
    assert (m.text, m.kind, m.unit, m.qualifier) == (printed, "quantity", unit, qualifier)
    assert m.number == pytest.approx(value, rel=1e-9, abs=1e-9)
    assert m.sentence == text


ANY_TEXT = st.text(
    alphabet="0123456789０９.,%％—–-~至年月日号底份第余多万亿零〇一二两三四五六七八九十百千"
             "个名户人次家处期亩羽元/大项批点分之双“”「」#\n 。；的发展贫困精神党",
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT)
def test_invariants_on_arbitrary_text(text):
    """Offsets slice back, mentions are sorted and disjoint, every digit is covered."""
    mentions = ex.find_mentions(text)
    covered = set()
    for m in mentions:
        assert text[m.start:m.end] == m.text and m.text
        assert m.kind in ex.KINDS
        assert text[m.sentence_start:m.sentence_start + len(m.sentence)] == m.sentence
        covered.update(range(m.start, m.end))
    for a, b in itertools.pairwise(mentions):
        assert a.end <= b.start
    assert all(i in covered for i, c in enumerate(text) if c.isdigit())
    draft = ex.draft_claims(text)
    assert len(draft) == sum(m.kind == "quantity" for m in mentions)


# --------------------------------------------------------------------------- gaps closed (issue 10)


@pytest.mark.parametrize(
    ("text", "printed", "value", "unit", "qualifier"),
    [
        # ASCII punctuation inside Chinese text: the comma is not a thousands separator
        ("发生率降至0.5%,56个村出列。", "56个", 56, "个", "exact"),
        ("覆盖率12%,1,234户受益。", "1,234户", 1234, "户", "exact"),
        ("共123,45个项目", "45个", 45, "个", "exact"),
        # qualifying words before and after the number
        ("投入资金500万元以上。", "500万元以上", 5_000_000, "元", "at_least"),
        ("受益群众超过3000人。", "超过3000人", 3000, "人", "at_least"),
        ("帮扶逾200户。", "逾200户", 200, "户", "at_least"),
        ("新增就业约300人。", "约300人", 300, "人", "approx"),
        ("培训100人左右。", "100人左右", 100, "人", "approx"),
        ("贫困人口将近两千人。", "将近两千人", 2000, "人", "approx"),
        ("种植面积近5万亩。", "近5万亩", 50_000, "亩", "approx"),
        # Chinese round numbers with a qualifier
        ("近千人参加培训。", "近千人", 1000, "人", "approx"),
        ("上万户受益。", "上万户", 10_000, "户", "at_least"),
        ("上千名群众到场。", "上千名", 1000, "名", "at_least"),
        # traditional 萬 and 億
        ("捐款3萬元。", "3萬元", 30_000, "元", "exact"),
        ("總投入2.5億元。", "2.5億元", 250_000_000, "元", "exact"),
        ("籌資三萬元。", "三萬元", 30_000, "元", "exact"),
        # rates per mu and per head
        ("每亩补贴300元/亩。", "300元/亩", 300, "元/亩", "exact"),
        ("养牛补助500元/头。", "500元/头", 500, "元/头", "exact"),
    ],
)
def test_gap_quantities(text, printed, value, unit, qualifier):
    m = only(text, printed)
    assert m.kind == "quantity"
    assert m.number == pytest.approx(value, rel=1e-12)
    assert (m.unit, m.qualifier) == (unit, qualifier)


@pytest.mark.parametrize("text", [
    "在“三江口”茶园采茶。", "三江口茶远销省外。", "五里牌村的村民。", "来到“五里牌”村。",
    "“七星岭”的风景。",
])
def test_place_and_product_names_are_not_formulas(text):
    assert [m for m in ex.find_mentions(text) if m.kind == "formula"] == []


@pytest.mark.parametrize(("text", "term"), [
    ("践行“两山”理论。", "两山"), ("实施“五个一”工程。", "五个一"), ("推行“五化”管理。", "五化")])
def test_short_quoted_formulas_stay_formulas(text, term):
    assert only(text, term).kind == "formula"


def test_a_qualifier_is_not_taken_from_a_neighbouring_mention():
    # 上 before 300 is not a qualifier (上 qualifies only round 百/千/万/亿)
    assert [(m.text, m.qualifier) for m in ex.find_mentions("会上300人发言。")] == [
        ("300人", "exact")]
    assert kinds("千家万户受益。") == []


def test_qualified_values_are_read_the_same_by_the_units_parser():
    from helpers.data.units import parse_printed
    for printed, qualifier in (("近千人", "approx"), ("500万元以上", "at_least"),
                               ("超过80%", "at_least"), ("100人左右", "approx")):
        m = only(printed + "。", printed)
        assert parse_printed(printed).qualifier == m.qualifier == qualifier
