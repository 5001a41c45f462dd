"""Tests for helpers.data.draft: a claims draft, its review file, sidecar and exclusions.

The short articles are written for these tests; expectations come from reading them.
The fictional county qingwu (tests/fixtures/counties/) was filed by hand: the draft's
ids are compared with that filing.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from helpers.data import draft as dr
from helpers.data.claims import CLAIM_FIELDS, load_claims
from helpers.data.codebook import load_codebook
from helpers.data.coverage import load_exclusions

ARTICLE = """# 远山县脱贫纪实

截至2020年6月底，全县建档立卡贫困户共5200户16800人，已脱贫5100户16500人，贫困发生率降至0.12%。

### 1 产业

2016年以来，全县累计投入产业扶贫资金8600万元，户均增收2100元。2018—2022年，全县种植柑橘300余亩。全县修缮古桥7座，新建“三江口”茶园。
"""


@pytest.fixture(scope="module")
def book():
    return load_codebook()


@pytest.fixture(scope="module")
def drafted(book):
    return dr.draft(ARTICLE, "docs/examples/none.txt", book)


def by_value(claims: pd.DataFrame, printed: str) -> pd.Series:
    rows = claims[claims["value_printed"] == printed]
    assert len(rows) == 1, printed
    return rows.iloc[0]


def test_ids_are_proposed_from_the_phrases_and_the_unit(drafted):
    claims, review, _, _ = drafted
    expected = {
        "5200户": "poverty.registered_households", "16800人": "poverty.registered_persons",
        "5100户": "poverty.lifted_households", "16500人": "poverty.lifted_persons",
        "0.12%": "poverty.poverty_incidence", "8600万元": "industry.funds",
        "2100元": "industry.income_gain_per_household",
    }
    for printed, cid in expected.items():
        assert by_value(claims, printed)["id"] == cid, printed
    conf = review.set_index("value_printed")
    assert conf.loc["5100户", "matched_phrase"] == "已脱贫"
    assert conf.loc["5200户", "confidence"] == "high"


def test_what_the_draft_cannot_decide_is_marked_for_review(drafted):
    claims, review, _, _ = drafted
    row = by_value(claims, "300余亩")
    assert row["id"].startswith("x.review.")  # no codebook phrase for citrus
    rev = review.set_index("value_printed").loc["300余亩"]
    assert rev["confidence"] == "low" and "no codebook phrase" in rev["review"]
    # 元 may be yuan, yuan per person or per household: the id decides, else review
    assert by_value(claims, "2100元")["base_unit"] == "yuan_per_household"
    assert review["line"].tolist() == list(range(2, len(claims) + 2))


def test_units_qualifiers_chapters_and_periods(drafted):
    claims, _, _, (report, basis) = drafted
    assert report == "2020-06-30" and "截至" in basis
    row = by_value(claims, "300余亩")
    assert (row["qualifier"], row["base_unit"], row["chapter"]) == ("at_least", "mu", 1)
    # a year range ending after the reporting date is capped, with a note
    assert (row["period_start"], row["period_end"]) == ("2018-01-01", "2020-06-30")
    assert "capped" in row["notes"]
    funds = by_value(claims, "8600万元")
    assert (funds["period_start"], funds["period_end"], funds["period_text"]) == (
        "2016-01-01", "2020-06-30", "2016年以来")
    head = by_value(claims, "5200户")
    assert (head["chapter"], head["period_start"], head["period_end"]) == (0, "", "2020-06-30")


def test_exclusions_have_reasons_and_names_are_not_formulas(drafted):
    _, _, excl, _ = drafted
    kinds = dict(zip(excl["text"], excl["kind"], strict=True))
    assert kinds["2016年"] == "year" and kinds["1"] == "section_number"
    assert "三江口" not in kinds  # a product name, not a formula
    assert kinds["7"] == "other_number"  # 座 is no unit: the number is left for review
    assert excl.set_index("text").loc["7", "reason"].startswith("TODO review")
    todo = excl[excl["reason"].str.startswith("TODO")]
    assert set(todo["kind"]) <= {"chinese_numeral", "other_number"}
    assert (excl["reason"].str.len() >= 3).all()


def test_half_year_gives_the_reporting_date():
    assert dr.reporting_date("2019年上半年完成，2020年上半年巩固")[0] == "2020-06-30"
    assert dr.reporting_date("没有日期")[0] == dr.TODO


@pytest.mark.parametrize(("sentence", "expected"), [
    ("2014年以来，共投入", ("2014-01-01", "2020-06-30")),
    ("2015—2020年，完成", ("2015-01-01", "2020-06-30")),
    ("2019年上半年，完成", ("2019-01-01", "2019-06-30")),
    ("截至目前，共有", ("", "2020-06-30")),
    ("共有", ("", "2020-06-30")),
])
def test_periods(sentence, expected):
    assert dr.period_of(sentence, "2020-06-30")[:2] == expected


def test_written_draft_loads_once_the_sidecar_is_filled(tmp_path, paths):
    article = tmp_path / "yuanshan_article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    files = dr.write_draft(article, tmp_path)
    assert sorted(p.name for p in files.values()) == [
        "yuanshan_claims.csv", "yuanshan_claims.meta.yaml", "yuanshan_exclusions.csv",
        "yuanshan_review.csv"]
    assert list(pd.read_csv(files["claims"]).columns) == list(CLAIM_FIELDS)
    meta = files["metadata"].read_text(encoding="utf-8")
    assert "name_zh: TODO" in meta and "reporting_date: 2020-06-30" in meta
    filled = meta.replace("TODO", "远山")
    files["metadata"].write_text(filled, encoding="utf-8")
    data = yaml.safe_load(filled)
    assert data["sources"][0]["exclusions"].endswith("yuanshan_exclusions.csv")
    claims = load_claims(files["claims"])  # the draft loads: review columns are apart
    assert len(claims) == len(pd.read_csv(files["review"]))
    assert not load_exclusions(files["exclusions"]).empty
    with pytest.raises(FileExistsError, match="already exist"):
        dr.write_draft(article, tmp_path)


def test_draft_of_a_hand_filed_county_proposes_its_ids(paths, book):
    # qingwu's claims were filed by hand; the codebook's keywords were written with it in
    # view, so this guards against regressions rather than measuring accuracy.
    base = "tests/fixtures/counties/qingwu/qingwu_"
    text = (paths.root / f"{base}article.txt").read_text(encoding="utf-8")
    claims, _, _, _ = dr.draft(text, f"{base}article.txt", book)
    hand = pd.read_csv(paths.root / f"{base}claims.csv", dtype=str)
    pairs = set(zip(hand["value_printed"], hand["id"], strict=True))
    got = set(zip(claims["value_printed"], claims["id"], strict=True))
    assert len(pairs & got) >= 0.9 * len(pairs)


def test_the_readme_example_is_current_and_finished(paths, tmp_path):
    # docs/examples/draft/ is what `draft` writes for the example article today, and the
    # hand-finished files beside it load with complete coverage
    from helpers.data.coverage import coverage_table

    article = paths.root / "docs/examples/hexi_article.txt"
    files = dr.write_draft(article, tmp_path)
    for role, path in files.items():
        if role == "metadata":
            continue  # its exclusions path names the folder it was written to
        committed = paths.root / "docs/examples/draft" / path.name
        assert path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), role
    claims = load_claims(paths.root / "docs/examples/hexi_claims.csv")
    excl = load_exclusions(paths.root / "docs/examples/hexi_exclusions.csv")
    table = coverage_table(article.read_text(encoding="utf-8"), claims, excl)
    assert set(table["status"]) <= {"claim", "excluded"}
    assert not excl["reason"].str.startswith("TODO").any()


def test_a_quanbu_mention_gets_its_own_review_reason(book):
    article = "# 某县\n\n截至2020年6月底，全县12个贫困村已全部脱贫出列。\n"
    _, _, excl, _ = dr.draft(article, "docs/examples/none.txt", book)
    share = excl[excl["kind"] == "share"]
    assert len(share) == 1, excl[["text", "kind"]]
    row = share.iloc[0]
    assert row["reason"].startswith("TODO review: 全部 (all = 100%)")
    assert row["reason_zh"].startswith("TODO 审核：全部（即100%）")
