"""Tests for helpers.concert (chapter 3, 同频共振): governance numbers.

Unit tests use small hand-built claims frames; checks on the real table take their
expectations from the article's text (numbers as printed there), never from this
module's output.
"""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from helpers import concert as cc
from helpers import text as tx
from helpers.claims import load_claims

# --------------------------------------------------------------------------- fixtures


def claims_frame(rows: list[tuple]) -> pd.DataFrame:
    """A minimal claims frame from (id, value_base, base_unit, qualifier[, period_text, start])."""
    records = []
    for cid, value, unit, qualifier, *rest in rows:
        period_text, start = (*rest, "", None)[:2]
        records.append({"id": cid, "value_printed": str(value), "value_base": float(value),
                        "base_unit": unit, "qualifier": qualifier, "chapter": 3,
                        "period_text": period_text,
                        "period_start": pd.Timestamp(start) if start else pd.NaT,
                        "period_end": pd.NaT, "indicator_en": cid, "indicator_zh": cid,
                        "source": "data/raw/leiyang_2020_article.txt"})
    return pd.DataFrame(records)


@pytest.fixture
def small_claims() -> pd.DataFrame:
    """10 poor villages, 1 + 2 + 1 persons per village, 50 reserve cadres, 30 promoted."""
    ids = cc.ROLE_IDS
    return claims_frame([
        (cc.VILLAGES_ID, 10, "villages", "exact"),
        (ids["county_leader"], 1, "persons_per_village", "exact"),
        (ids["first_secretary"], 2, "persons_per_village", "exact"),
        (ids["organisation_cadre"], 1, "persons_per_village", "exact"),
        (cc.RESERVE_ID, 50, "persons", "exact"),
        (cc.PROMOTED_ID, 30, "persons", "exact", "2017年以来", "2017-01-01"),
    ])


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return load_claims()


# --------------------------------------------------------------------------- arithmetic


def test_implied_officials_multiplies_per_village_counts_by_villages(small_claims):
    implied = cc.implied_officials(small_claims).set_index("role")
    assert implied.loc["county_leader", "implied_persons"] == 10
    assert implied.loc["first_secretary", "implied_persons"] == 20
    assert implied.loc["organisation_cadre", "implied_persons"] == 10
    assert implied.loc["total", "implied_persons"] == 40
    assert implied.loc["total", "persons_per_village"] == 4
    assert (implied["villages"] == 10).all()


def test_implied_officials_cites_its_claims(small_claims):
    implied = cc.implied_officials(small_claims).set_index("role")
    assert implied.loc["first_secretary", "claim_ids"].split(";") == [
        cc.ROLE_IDS["first_secretary"], cc.VILLAGES_ID]
    assert set(implied.loc["total", "claim_ids"].split(";")) == {
        *cc.ROLE_IDS.values(), cc.VILLAGES_ID}


def test_implied_officials_refuses_a_wrong_unit(small_claims):
    bad = small_claims.copy()
    bad.loc[bad["id"] == cc.ROLE_IDS["county_leader"], "base_unit"] = "persons"
    with pytest.raises(ValueError, match="persons_per_village"):
        cc.implied_officials(bad)
    bad = small_claims.copy()
    bad.loc[bad["id"] == cc.VILLAGES_ID, "base_unit"] = "households"
    with pytest.raises(ValueError, match="villages"):
        cc.implied_officials(bad)


def test_implied_officials_carries_an_at_least_qualifier(small_claims):
    loose = small_claims.copy()
    loose.loc[loose["id"] == cc.VILLAGES_ID, "qualifier"] = "at_least"
    implied = cc.implied_officials(loose).set_index("role")
    assert (implied["qualifier"] == "at_least").all()


def test_combine_qualifiers():
    assert cc.combine_qualifiers(["exact", "exact"]) == "exact"
    assert cc.combine_qualifiers(["exact", "at_least"]) == "at_least"
    assert cc.combine_qualifiers(["at_least", "approx"]) == "approx"


def test_governance_scale_ratios(small_claims):
    implied = cc.implied_officials(small_claims)
    scale = cc.governance_scale(small_claims, implied).set_index("group")
    assert scale.loc["implied_officials", "count_persons"] == 40
    assert scale.loc["implied_officials", "is_computed"]
    assert not scale.loc["promoted_cadres", "is_computed"]
    assert scale.loc["promoted_cadres", "ratio_to_implied"] == pytest.approx(30 / 40)
    assert scale.loc["reserve_cadres", "ratio_to_implied"] == pytest.approx(50 / 40)
    assert scale.loc["promoted_cadres", "period_start"] == "2017-01-01"


def test_period_label():
    assert cc.period_label("2017年以来", "2017-01-01", "en") == "since 2017"
    assert cc.period_label("2017年以来", "2017-01-01", "zh") == "2017年以来"
    assert cc.period_label("", "", "en") == ""


# --------------------------------------------------------------------------- real table


def test_real_implied_officials_match_the_article(claims, article_text):
    villages = int(re.search(r"(\d+)个省定贫困村", article_text).group(1))
    sentence = re.search(r"在每个贫困村安排[^。]*?对口指导", article_text).group()
    per_village = [int(x) for x in re.findall(r"(\d+)名", sentence)]
    assert len(per_village) == 3
    implied = cc.implied_officials(claims).set_index("role")
    assert implied.loc["total", "implied_persons"] == sum(per_village) * villages
    assert implied.drop(index="total")["implied_persons"].tolist() == [
        n * villages for n in per_village]


def test_real_scale_compares_the_printed_head_counts(claims, article_text):
    promoted = int(re.search(r"(\d+)名脱贫攻坚一线干部", article_text).group(1))
    reserve = int(re.search(r"村级后备干部(\d+)人", article_text).group(1))
    implied = cc.implied_officials(claims)
    scale = cc.governance_scale(claims, implied).set_index("group")
    total = implied.set_index("role").loc["total", "implied_persons"]
    assert scale.loc["promoted_cadres", "count_persons"] == promoted
    assert scale.loc["reserve_cadres", "count_persons"] == reserve
    assert scale.loc["promoted_cadres", "ratio_to_implied"] == pytest.approx(promoted / total)


# --------------------------------------------------------------------------- display


def test_display_tables_follow_the_language(small_claims):
    implied = cc.implied_officials(small_claims)
    scale = cc.governance_scale(small_claims, implied)
    zh = cc.display_scale(scale, "zh")
    assert zh.columns[0] == "群体"
    assert not any(re.search(r"[A-Za-z]", c) for c in zh.columns)
    en = cc.display_implied(implied, "en")
    assert en.iloc[-1, 0] == "all three roles" and en.iloc[-1, 3] == "40"
    with pytest.raises(ValueError, match="lang"):
        cc.display_scale(scale, "fr")


def test_governance_figure_titles_are_computed(small_claims):
    import matplotlib.pyplot as plt

    from helpers.plotting import apply_theme

    implied = cc.implied_officials(small_claims)
    scale = cc.governance_scale(small_claims, implied)
    for lang in ("en", "zh"):
        apply_theme(lang)  # the Chinese font
        fig = cc.governance_figure(implied, scale, lang)
        title = fig.axes[0].get_title(loc="left")
        assert "1 + 2 + 1" in title and "40" in title and "10" in title
        if lang == "zh":
            assert fig.axes[0].get_xlabel() == "人"
        plt.close(fig)


# --------------------------------------------------------------------------- findings


def test_findings_cite_computed_numbers(claims, article_text):
    implied = cc.implied_officials(claims)
    scale = cc.governance_scale(claims, implied)
    formulas = tx.formula_table(article_text, claims, tx.load_formula_sources())
    terms = tx.top_terms(article_text)
    profile = tx.chapter_profile(article_text, claims)
    en = cc.findings(claims, implied, scale, formulas, terms, profile, "en")
    zh = cc.findings(claims, implied, scale, formulas, terms, profile, "zh")
    assert len(en) == len(zh) >= 5
    total = f"{implied.set_index('role').loc['total', 'implied_persons']:,.0f}"
    assert total in en[0] and total in zh[0]
    assert all(not re.search(r"\d\.\d{4,}", s) for s in en + zh)  # no raw floats
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in zh)
