"""Coverage is complete: every numeric mention of the article is a claim or an exclusion."""

from __future__ import annotations

import pytest

from helpers.data import coverage as cv
from helpers.data.claims import load_claims


@pytest.fixture(scope="module")
def claims():
    return load_claims()


@pytest.fixture(scope="module")
def exclusions():
    return cv.load_exclusions()


def test_every_mention_is_covered(article_text, claims, exclusions):
    table = cv.coverage_table(article_text, claims, exclusions)
    uncovered = table[table["status"] == "uncovered"]
    assert uncovered.empty, uncovered[["start", "text", "kind", "sentence"]].to_string()
    assert set(table["status"]) == {"claim", "excluded"}


def test_no_stale_exclusion_and_every_claim_is_found(article_text, claims, exclusions):
    assert cv.stale_exclusions(article_text, exclusions).empty
    assert cv.unmatched_claims(article_text, claims).empty


def test_a_deleted_claim_is_reported(article_text, claims, exclusions):
    dropped = claims[claims["id"] != "health.premium_amount"]
    table = cv.coverage_table(article_text, dropped, exclusions)
    uncovered = table[table["status"] == "uncovered"]
    assert uncovered["text"].tolist() == ["4658.66万元"]


def test_quantities_are_claims_and_only_non_quantities_are_excluded(article_text, claims,
                                                                     exclusions):
    table = cv.coverage_table(article_text, claims, exclusions)
    assert set(table.loc[table["status"] == "claim", "kind"]) == set(cv.CLAIM_KINDS)
    assert "quantity" not in set(exclusions["kind"])


def test_period_exclusions_date_the_claims_they_name(claims, exclusions):
    by_id = claims.set_index("id")
    dated = exclusions[(exclusions["claim_ids"] != "") & (exclusions["kind"] != "share")]
    assert not dated.empty
    for text, ids in zip(dated["text"], dated["claim_ids"], strict=True):
        for cid in ids.split(";"):
            assert text in by_id.loc[cid, "period_text"], (cid, text)


# 全部 ("all"): the article prints it four times (read from the text, offsets by search)
ALL_IN_ARTICLE = {
    "34个省定贫困村已全部脱贫出列": ("excluded", "poverty.poor_villages_exited"),
    "在今年6月底全部达到脱贫条件": ("claim", "poverty.remaining_meeting_exit_conditions_rate"),
    "34个省定贫困村全部完成农村电网改造任务": ("excluded",
                                              "infrastructure.grid_renovated_villages"),
    "饮水安全保障问题全部得到解决": ("claim", "water.registered_poor_safety_coverage"),
}


def test_every_all_of_the_article_is_a_claim_or_names_the_count_it_restates(
        article_text, claims, exclusions):
    table = cv.coverage_table(article_text, claims, exclusions)
    shares = table[table["kind"] == "share"]
    assert len(shares) == article_text.count("全部") == len(ALL_IN_ARTICLE)
    for phrase, (status, cid) in ALL_IN_ARTICLE.items():
        start = article_text.index(phrase) + phrase.index("全部")
        row = shares[shares["start"] == start].iloc[0]
        assert (row["status"], row["claim_ids"]) == (status, cid), phrase
    # an excluded 全部 restates a printed count of its sentence: the claim it names is there
    by_id = claims.set_index("id")
    for _, row in shares[shares["status"] == "excluded"].iterrows():
        claim = by_id.loc[row["claim_ids"]]
        assert claim["value_printed"] in row["sentence"] and claim["base_unit"] != "percent"


def test_the_june_statement_is_a_claim_and_its_date_names_it(article_text, claims, exclusions):
    claim = claims.set_index("id").loc["poverty.remaining_meeting_exit_conditions_rate"]
    assert (claim["value_printed"], claim["value_base"], claim["base_unit"]) == ("全部", 100,
                                                                                  "percent")
    assert claim["period_text"] == "今年6月底"
    assert f"{claim['period_end']:%Y-%m-%d}" == "2020-06-30"
    date = exclusions[exclusions["text"] == "6月底"].iloc[0]
    assert date["claim_ids"] == "poverty.remaining_meeting_exit_conditions_rate"
    assert "can hold yet" not in date["reason"] and "目前能记录" not in date["reason_zh"]


def test_a_deleted_all_claim_is_reported(article_text, claims, exclusions):
    dropped = claims[claims["id"] != "poverty.remaining_meeting_exit_conditions_rate"]
    table = cv.coverage_table(article_text, dropped, exclusions)
    uncovered = table[table["status"] == "uncovered"]
    assert uncovered["text"].tolist() == ["全部"]
    assert "6月底" in uncovered["sentence"].iloc[0]
    assert cv.unmatched_claims(article_text, claims).empty


@pytest.mark.parametrize("county", ["qingwu", "songlan"])
def test_fixture_counties_are_covered_with_their_all(paths, county):
    claims = load_claims(f"tests/fixtures/counties/{county}/{county}_claims.csv")
    table = cv.coverage_by_source(claims)
    assert (table["status"] == "uncovered").sum() == 0
    shares = table[table["kind"] == "share"]
    article = (paths.root / claims.attrs["meta"].primary.path).read_text(encoding="utf-8")
    assert len(shares) == article.count("全部") >= 1
    # neither fixture files a 全部 as a claim: each restates a count, or is a target
    assert set(shares["status"]) == {"excluded"}


def test_exclusions_need_a_reason(tmp_path, exclusions):
    bad = exclusions.copy()
    bad.loc[0, "reason"] = ""
    path = tmp_path / "excl.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(cv.ExclusionsError, match=r"excl.csv, line 2, field 'reason'"):
        cv.load_exclusions(path)


def test_coverage_by_source_reads_each_source_through_the_metadata():
    from helpers.data.claims import load_claims
    from helpers.data.coverage import coverage_by_source

    claims = load_claims("tests/fixtures/counties/qingwu/qingwu_claims.csv")
    table = coverage_by_source(claims)
    assert set(table["source"]) == {"article"}
    assert (table["status"] == "uncovered").sum() == 0  # its own exclusions file is used
    assert set(table.loc[table["status"] == "claim", "claim_ids"].str.split(";").sum()) == \
        set(claims["id"])


def test_modules_and_notebook_markdown_name_no_county():
    import json

    from helpers.paths import get_paths

    root = get_paths().root
    for name in ("analysis/audit.py", "analysis/audit_views.py", "data/coverage.py"):
        text = (root / "src" / "helpers" / name).read_text(encoding="utf-8")
        assert "Leiyang" not in text and "耒阳" not in text, name
    nb = json.loads((root / "notebooks" / "04_audit.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            assert "Leiyang" not in text and "耒阳" not in text


def test_exclusion_ids_absent_from_the_claims_are_dropped(article_text, paths):
    """A claims file with fewer rows than the exclusions know cites only its own ids."""
    from helpers.data.claims import load_claims
    from helpers.data.coverage import coverage_table, load_exclusions

    claims = load_claims()
    some = claims[claims["id"].str.startswith("poverty.")]
    table = coverage_table(article_text, some, load_exclusions())
    cited = {i for ids in table["claim_ids"] for i in str(ids).split(";") if i}
    assert cited <= set(some["id"])
    assert (table["status"] == "uncovered").any()  # the other claims' mentions


def test_every_exclusion_has_a_chinese_reason(exclusions):
    import re

    assert (exclusions["reason_zh"].str.len() >= 3).all()
    # Chinese, apart from the ids, names and quotes it cites
    assert exclusions["reason_zh"].map(lambda t: bool(re.search(r"[\u4e00-\u9fff]{2}", t))).all()


def test_reason_zh_is_optional_and_falls_back_to_the_english_reason(tmp_path, article_text,
                                                                    claims, exclusions):
    old = exclusions.drop(columns="reason_zh")
    path = tmp_path / "old_exclusions.csv"
    old.to_csv(path, index=False)
    loaded = cv.load_exclusions(path)
    assert list(loaded.columns) == cv.EXCLUSION_COLUMNS
    assert (loaded["reason_zh"] == "").all()
    table = cv.coverage_table(article_text, claims, loaded)
    excluded = table[table["status"] == "excluded"]
    assert (excluded["reason_zh"] == excluded["reason"]).all()
    table = cv.coverage_table(article_text, claims, exclusions)
    excluded = table[table["status"] == "excluded"]
    assert (excluded["reason_zh"] != excluded["reason"]).all()
    assert (table.loc[table["status"] == "claim", "reason_zh"] == "").all()
