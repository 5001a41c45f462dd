"""The Chinese report is Chinese throughout: the page's own words and the tables the
analysis helpers give the notebooks in ``zh`` (what tests/test_report_language.py measures
on a whole run, checked here at the source, without a run)."""

from __future__ import annotations

import re

import pytest

from helpers.analysis import teaching as tt
from helpers.batch.report import LABELS, not_produced_lines
from helpers.data.claims import load_claims

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: Names, not words of either language: an environment variable, a file, a hash, software.
NAMES = re.compile(r"SOURCE_DATE_EPOCH|manifest\.json|sha256|Python|\{\w+\}")


@pytest.fixture(scope="module")
def claims(paths):
    return load_claims(paths.claims)


def test_industry_types_table_in_chinese_has_no_english_column(claims):
    types = tt.industry_types(claims)
    assert len(types) >= 2  # the default article names its industries
    zh = tt.display_industry_types(types, "zh")
    assert list(zh.columns) == ["#", "产业（原文）", "claim_ids"]
    shown = zh.drop(columns="claim_ids").astype(str)
    assert not [v for v in shown.to_numpy().ravel() if LATIN_WORD.search(v)]
    assert list(zh["产业（原文）"]) == list(types["name_zh"])
    en = tt.display_industry_types(types, "en")  # the English page keeps the translation
    assert list(en["In English"]) == list(types["name_en"])
    assert all(LATIN_WORD.search(v) for v in en["In English"])


def test_the_pages_own_words_in_chinese():
    for key, text in LABELS["zh"].items():
        assert not LATIN_WORD.search(NAMES.sub(" ", text)), (key, text)
    line = not_produced_lines([{"kind": "figure", "caption": "图题", "files": ["a.svg"],
                                "reason": "缺少数据"}], "zh")
    assert line == ["图（a.svg）：缺少数据"]
