"""Tests for helpers.analysis.text: prose, jieba segmentation, top terms, policy formulas.

Expectations on the real article come from its text (the formulas and the items
as printed), read here with plain string operations, never from this module.
"""

from __future__ import annotations

import logging
import re

import pandas as pd
import pytest

from helpers.analysis import text as tx

#: Formulas of the article and the first character of each, read in the source text.
FORMULAS = ["四跟四走", "三走访三签字", "五比五看", "四股四争", "五化", "五个一",
            "三个“一批”", "双百", "两项补贴"]
LEADING = {"四": 4, "三": 3, "五": 5, "双": 2, "两": 2}


def _chapter_at(text: str, offset: int) -> int:
    """Chapter of an offset by the '### N ' headings, found with plain string search."""
    heads = [(m.start(), int(m.group(1))) for m in re.finditer(r"^### (\d) ", text, re.M)]
    return max([n for start, n in heads if start <= offset], default=0)


# --------------------------------------------------------------------------- prose


def test_prose_drops_headings_captions_and_bylines_and_rejoins_broken_lines():
    text = ("# 标题\n\n■统筹：某某 文/记者\n\n人居环境美如画\n\n"
            "一家老小齐上阵，消费扶贫献爱心 ■某某 摄\n\n"
            "第一句完整。推动基层干\n\n部角色转换。\n\n### 1 章节\n\n最后一段，没有句号")
    assert tx.prose(text) == "第一句完整。推动基层干部角色转换。\n最后一段，没有句号"


def test_real_prose_rejoins_page_breaks(article_text):
    body = tx.chapter_prose(article_text).set_index("chapter")
    assert list(body.index) == [0, 1, 2, 3]
    assert "推动基层干部角色转换" in body.loc[3, "prose"]
    assert "“大课堂”" in body.loc[3, "prose"]
    assert "家庭医生签约服务全面落实" in body.loc[1, "prose"]
    assert "■" not in "".join(body["prose"])
    assert "人居环境美如画" not in body.loc[0, "prose"]


# --------------------------------------------------------------------------- segmentation


def test_token_classes():
    for token in ["2015", "0.18", "100%", "65000", "１２", "1,234"]:
        assert tx.is_number(token), token
    for token in ["余万元", "4G", "贫困户", "G"]:
        assert not tx.is_number(token), token
    for token in ["，", "。", "“", "”", "、", " ", "\n", "%", "——"]:
        assert tx.is_punctuation(token), token
    assert not tx.is_punctuation("干部")


def test_segment_returns_no_punctuation_or_number_tokens():
    tokens = tx.segment("2015年以来，共完成投资65000余万元，实现全市建制村100%通水泥路；"
                        "贫困发生率下降到0.18%。")
    words = [w for w, _ in tokens]
    assert "水泥路" in words
    assert not any(re.search(r"[0-9，。；%“”、]", w) for w in words), words
    assert all(w.strip() for w in words)


def test_tokenizers_copied_from_jiebas_default_cut_as_ones_read_afresh(article_text):
    """Tokenizers made from copies of jieba's default dictionary and word tags cut as one
    jieba makes by reading them again; one set's extra words reach neither another set's
    tokenizer nor jieba's default."""
    import jieba
    import jieba.posseg

    tx._quiet_jieba()
    for extra in [(), ("青梧县", "耒阳市"), ("松岚县",)]:
        fresh = jieba.Tokenizer()
        fresh.initialize()
        for word in extra:
            fresh.add_word(word, tag="nz")
        expected = [tuple(p) for p in jieba.posseg.POSTokenizer(fresh).cut(article_text)]
        assert [tuple(p) for p in tx.tokenizer(extra).cut(article_text)] == expected, extra
    assert "松岚县" in tx.tokenizer(("松岚县",)).tokenizer.FREQ
    assert "松岚县" not in tx.tokenizer(("青梧县", "耒阳市")).tokenizer.FREQ
    assert "松岚县" not in jieba.dt.FREQ and "松岚县" not in jieba.posseg.dt.word_tag_tab
    assert tx.tokenizer(("松岚县",)).word_tag_tab["松岚县"] == "nz"  # once it has cut
    assert "松岚县" not in tx.tokenizer(("青梧县", "耒阳市")).word_tag_tab


def test_segment_real_text_has_no_punctuation_or_number_tokens(article_text):
    words = [w for w, _ in tx.segment(article_text)]
    assert len(words) > 1000
    assert not [w for w in words if re.fullmatch(r"[\W\d_.%]+", w)]
    assert not [w for w in words if re.search(r"\d", w) and w != "4G"]


def test_formulas_stay_one_token(article_text):
    words = {w for w, _ in tx.segment(article_text, tx.formula_words(article_text))}
    assert {"四跟四走", "三走访三签字", "五比五看", "四股四争"} <= words


# --------------------------------------------------------------------------- top terms


def test_top_terms_are_deterministic(article_text):
    first = tx.top_terms(article_text)
    tx._tokenizers.cache_clear()  # rebuild the tokenizer from scratch
    second = tx.top_terms(article_text)
    pd.testing.assert_frame_equal(first, second)
    assert first.groupby("chapter")["rank"].apply(list).tolist() == [
        list(range(1, tx.TOP_K + 1))] * 4


def test_top_terms_are_content_words(article_text):
    from helpers.data.metadata import load_metadata

    words = tx.place_words(load_metadata("data/claims/leiyang_claims.csv"))
    terms = tx.top_terms(article_text, stop_words=words)
    assert (terms["term"].str.len() >= 2).all()
    assert not terms["term"].isin(words).any()
    assert not terms["term"].str.contains(r"[\d，。、%]").any()
    assert terms["pos"].isin(tx.CONTENT_POS).all()
    ranked = terms.sort_values(["chapter", "rank"])
    for _, group in ranked.groupby("chapter"):
        assert group["tfidf_weight"].is_monotonic_decreasing


def test_tfidf_weight_is_frequency_times_jieba_idf(article_text):
    """Recompute jieba's TF-IDF from the term counts and jieba's own IDF table."""
    extra = tx.formula_words(article_text)
    body = tx.chapter_prose(article_text).set_index("chapter").loc[3, "prose"]
    counts = tx.term_counts(body, extra)
    terms = tx.top_terms(article_text)
    for row in terms[terms["chapter"] == 3].itertuples():
        expected = counts[row.term] / counts.sum() * tx.idf(row.term, extra)
        assert row.tfidf_weight == pytest.approx(expected, abs=1e-6)
        assert row.count == counts[row.term]


def test_no_jieba_output_on_stderr(capfd, article_text):
    import jieba

    capfd.readouterr()
    jieba.setLogLevel(logging.DEBUG)  # as a fresh process would have it
    tx._tokenizers.cache_clear()
    tx.segment("全县坚持把建强农村党支部作为摆脱贫困的治本之策。")
    tx.top_terms(article_text)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


# --------------------------------------------------------------------------- formulas


def test_formula_number():
    assert tx.formula_number("四跟四走") == 4
    assert tx.formula_number("三个“一批”") == 3
    assert tx.formula_number("五个一") == 5
    assert tx.formula_number("双百") == 2
    assert tx.formula_number("两项补贴") == 2
    assert tx.formula_number("补贴") is None


def test_find_formulas_finds_each_formula_of_the_article(article_text):
    found = {f.formula: f for f in tx.find_formulas(article_text)}
    for formula in FORMULAS:
        assert formula in article_text, formula  # the expectation is in the text
        assert formula in found, formula
        f = found[formula]
        assert article_text[f.start:f.start + len(formula)] == formula
        assert f.number == LEADING[formula[0]]
        assert formula in f.sentence
    assert set(found) == set(FORMULAS)


def test_formula_table_chapters_and_claims(article_text):
    from helpers.data.claims import load_claims

    table = tx.formula_table(article_text, load_claims()).set_index("formula")
    for formula in FORMULAS:
        assert table.loc[formula, "chapter"] == _chapter_at(article_text,
                                                            article_text.find(formula))
    assert set(table.loc["双百", "claim_ids"].split(";")) == {
        "infrastructure.fibre_coverage", "infrastructure.mobile_4g_coverage"}
    assert table.loc["四股四争", "claim_ids"] == "motivation.campaign_dimensions"
    assert table.loc["五化", "claim_ids"] == ""
    assert table.loc["两项补贴", "found_by"].startswith("own rule")


def _components(text: str, formula: str):
    start = text.find(formula)
    return tx.formula_components(text, formula, start, tx.formula_number(formula))


def test_components_the_article_spells_out(article_text):
    assert _components(article_text, "三个“一批”") == [
        "选准一批村支书", "建强一批支部", "培育一批产业"]
    assert _components(article_text, "四股四争") == ["清洁卫生", "勤劳致富", "感恩社会", "和睦家风"]
    items = _components(article_text, "双百")
    assert len(items) == 2
    assert items[0].endswith("光网覆盖率") and items[1] == "4G网络覆盖率"


def test_no_components_where_the_article_gives_none(article_text):
    for formula in ["四跟四走", "五比五看", "五化", "三走访三签字", "五个一", "两项补贴"]:
        assert _components(article_text, formula) is None, formula


def test_components_need_as_many_items_as_the_number():
    good = "在全市，从甲事、乙事、丙事三个方面开展“三查三看”活动。"
    assert tx.formula_components(good, "三查三看", good.find("三查三看"), 3) == [
        "甲事", "乙事", "丙事"]
    short = "在全市，从甲事、乙事两个方面开展“三查三看”活动。"
    assert tx.formula_components(short, "三查三看", short.find("三查三看"), 3) is None
    verb = "全市甲率、乙率实现“双百”目标。"
    assert tx.formula_components(verb, "双百", verb.find("双百"), 2) == ["全市甲率", "乙率"]
    assert tx.formula_components(verb, "双百", verb.find("双百"), 3) is None


# --------------------------------------------------------------------------- sources


def test_formula_sources_name_formulas_of_the_article(article_text):
    sources = tx.load_formula_sources()
    assert tuple(sources.columns) == tx.SOURCE_COLUMNS
    assert set(sources["formula"]) <= set(FORMULAS)
    # context keyed by the formula's text: no county is named in it
    assert not sources.apply(lambda r: "Leiyang" in "".join(r) or "耒阳" in "".join(r),
                             axis=1).any()
    # every source can be found again: a web address or an official document number
    assert sources["source"].str.contains(r"https?://|〔\d{4}〕\d+号").all()
    explained = set(tx.formula_table(article_text).query("is_explained_in_article")["formula"])
    assert not set(sources["formula"]) & explained  # sources fill gaps only


def test_formula_sources_are_checked(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("formula,meaning\n四跟四走,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="columns"):
        tx.load_formula_sources(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("formula,meaning_zh,meaning_en,source\n五化,x,,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="empty"):
        tx.load_formula_sources(empty)


# --------------------------------------------------------------------------- chapters


def test_chapter_profile_counts(article_text):
    from helpers.data.claims import load_claims

    claims = load_claims()
    profile = tx.chapter_profile(article_text, claims).set_index("chapter")
    ch3 = article_text[article_text.find("### 3 "):]
    assert profile.loc[3, "quantity_mentions"] == len(re.findall(r"\d+[人名]", ch3))
    assert profile.loc[3, "formula_mentions"] == sum(f in ch3 for f in FORMULAS)
    assert profile["n_claims"].sum() == len(claims)
    assert profile.loc[3, "title"] == re.search(r"^### 3 (.*)$", article_text, re.M).group(1)


def test_reference_profile_density_is_mentions_per_1000_characters(paths):
    """The stored table's density, recomputed from its own counts."""
    profile = pd.read_csv(paths.outputs / "default" / "tables" / "03_chapter_profile.csv")
    assert profile["quantities_per_1000_chars"].tolist() == pytest.approx(
        (1000 * profile["quantity_mentions"] / profile["prose_chars"]).tolist(), abs=0.006)


def test_sources_table_keeps_only_formulas_of_the_article_at_hand(article_text):
    sources = tx.load_formula_sources()
    formulas = tx.formula_table(article_text, None, sources)
    table = tx.sources_table(sources, formulas)
    assert set(table["formula"]) == set(sources["formula"]) & set(formulas["formula"])
    other = "全县按照“四跟四走”政策发展产业。"
    only = tx.sources_table(sources, tx.formula_table(other, None, sources))
    assert only["formula"].tolist() == ["四跟四走"]
    none = tx.sources_table(sources, tx.formula_table("全县发展产业。", None, sources))
    assert none.empty and "claim_ids" in none.columns


# --------------------------------------------------------------------------- the county's words


class _Meta:
    """Just enough of ClaimsMeta for place_words."""

    def __init__(self, name_zh):
        self.name_zh = name_zh

    def county_name(self, lang):
        return self.name_zh


def test_place_words_come_from_the_metadata():
    assert {"松岚县", "松岚", "全县", "该县", "全市", "该市"} <= tx.place_words(_Meta("松岚县"))
    assert {"某某市", "某某"} <= tx.place_words(_Meta("某某市"))
    assert "某" not in tx.place_words(_Meta("某县"))  # a one-character stem is not a word
    assert tx.place_words(None) == tx.GENERIC_PLACE_WORDS


def test_place_words_of_the_default_claims():
    from helpers.data.metadata import load_metadata

    meta = load_metadata("data/claims/leiyang_claims.csv")
    name = meta.county_name("zh")
    assert {name, name[:-1]} <= tx.place_words(meta)


def test_a_county_name_jieba_does_not_know_is_stopped_whole():
    text = "# 标题\n\n青梧县把产业扶贫作为重点，青梧县茶叶产业发展迅速，全县茶园面积扩大。\n"
    terms = tx.top_terms(text, stop_words=tx.place_words(_Meta("青梧县")))
    assert not terms["term"].str.contains("梧").any()
    assert "茶叶" in set(terms["term"])


# --------------------------------------------------------------------------- parts and sources


def test_parts_come_from_the_articles_own_headings():
    text = ("# 标题\n\n导语一句，共有10个村。\n\n### 1 产业为本 山地经济拔节生长\n\n正文一句。\n\n"
            "### 2 党建引领 基层治理焕发活力\n\n正文二句。\n")
    parts = tx.chapter_prose(text)
    assert parts["chapter"].tolist() == [0, 1, 2]
    assert tx.part_labels(parts, "zh") == ["导语", "1 产业为本", "2 党建引领"]
    assert tx.part_labels(parts, "en") == ["Lead", "1 产业为本", "2 党建引领"]
    assert tx.chapter_label(3, "en", "同频共振 千群携手") == "3 Acting in concert"  # a gloss


def test_an_article_without_headings_is_one_part():
    text = "# 标题\n\n截至目前，全县10个贫困村全部出列。县里逐户制定巩固措施。\n"
    parts = tx.chapter_prose(text)
    assert len(parts) == 1
    assert tx.part_labels(parts, "en") == ["Whole text"]
    assert tx.part_labels(parts, "zh") == ["全文"]
    profile = tx.chapter_profile(text, pd.DataFrame({"id": [], "chapter": []}))
    assert profile["quantity_mentions"].tolist() == [1]
    assert tx.formula_table(text).empty
    assert tuple(tx.formula_table(text).columns) == tx.FORMULA_COLUMNS


def test_part_labels_name_the_source_when_there_are_several():
    frame = pd.DataFrame({"source_id": ["a", "a", "b"], "chapter": [0, 1, 0],
                          "title": ["", "甲乙 丙", ""]})
    assert tx.part_labels(frame, "en") == ["a · Lead", "a · 1 甲乙", "b · Whole text"]


def test_article_sources_read_the_metadata(claims_rows, tmp_path, paths):
    from helpers.data.claims import load_claims

    claims = load_claims()
    found = tx.article_sources(claims)
    assert [s.id for s, _ in found] == [s.id for s in claims.attrs["meta"].sources
                                        if s.kind == "article"]
    assert found[0][1] == paths.article.read_text(encoding="utf-8")
    assert tx.context_sources(claims) == [s for s in claims.attrs["meta"].sources
                                          if s.kind != "article"]
    assert len(tx.source_claims(claims, found[0][0])) == len(claims)


def test_article_sources_skip_context_documents(tmp_path):
    import dataclasses

    from helpers.data.claims import load_claims
    from helpers.data.metadata import Source

    claims = load_claims()
    meta = claims.attrs["meta"]
    (tmp_path / "line.txt").write_text("2019年末，全县户籍总人口31.52万人。", encoding="utf-8")
    context = Source(id="yearbook", path=str(tmp_path / "line.txt"), kind="context")
    claims.attrs["meta"] = dataclasses.replace(meta, sources=(*meta.sources, context))
    try:
        assert [s.id for s, _ in tx.article_sources(claims)] == ["article"]
        assert tx.context_sources(claims) == [context]
        shown = tx.display_article_sources(claims, "en")
        assert shown.iloc[-1, -1].startswith("no: context")
    finally:
        claims.attrs["meta"] = meta


def test_skip_language_records_the_outputs_as_not_produced(paths):
    import json
    import shutil
    import uuid

    from helpers import notebook as nbh

    out = f"outputs/.test-text-{uuid.uuid4().hex[:8]}"
    try:
        nb = nbh.setup("03", lang="en", money_unit="wan",
                       claims_path="data/claims/leiyang_claims.csv", output_dir=out,
                       figure_formats=["svg"])
        tx.skip_language(nb, ["top_terms", "chapter_profile"])
        status = json.loads((paths.root / out / "status" / "03.json").read_text("utf-8"))
        assert set(status["not_produced"]) == {"03_top_terms", "03_chapter_profile"}
        assert status["sections"]["language"] is False
    finally:
        shutil.rmtree(paths.root / out, ignore_errors=True)


def test_top_terms_are_cached_by_text_and_arguments(article_text, monkeypatch, tmp_path):
    """A second call with the same text and arguments reads the kept table (the same
    frame, no segmentation); another text, k or stop word is a new key."""
    from helpers.data import framecache

    monkeypatch.setattr(framecache, "cache_file", lambda kind, key: tmp_path / f"{key}.pkl")
    monkeypatch.setattr(tx, "KEEP_TERMS", True)  # the suite turns it off (conftest)
    first = tx.top_terms(article_text)
    assert len(list(tmp_path.glob("*.pkl"))) == 1

    def no_jieba(*args, **kwargs):
        raise AssertionError("segmented again")

    monkeypatch.setattr(tx, "_top_terms", no_jieba)
    pd.testing.assert_frame_equal(tx.top_terms(article_text), first)
    extra = tx.formula_words(article_text)
    keys = {tx._terms_key(article_text, tx.TOP_K, extra, tx.GENERIC_PLACE_WORDS),
            tx._terms_key(article_text + "。", tx.TOP_K, extra, tx.GENERIC_PLACE_WORDS),
            tx._terms_key(article_text, tx.TOP_K + 1, extra, tx.GENERIC_PLACE_WORDS),
            tx._terms_key(article_text, tx.TOP_K, extra, {*tx.GENERIC_PLACE_WORDS, "某县"})}
    assert len(keys) == 4
    # a damaged cache file is recomputed, not an error
    next(tmp_path.glob("*.pkl")).write_bytes(b"not a pickle")
    with pytest.raises(AssertionError, match="segmented again"):
        tx.top_terms(article_text)
