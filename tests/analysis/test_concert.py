"""Tests for helpers.analysis.concert and notebook 03: governance numbers.

Unit tests use small hand-built claims frames; checks on the real table take their
expectations from the article's text (numbers as printed there), never from this
module's output.  The notebook itself is read from the session's runs of a headline-only
claims file and of a file with another chapter structure (``county_run`` in
tests/conftest.py), and run on a file with an article and a context document.
"""

from __future__ import annotations

import csv
import re
import shutil
import uuid

import matplotlib
import pandas as pd
import pytest
import yaml
from conftest import executed_notebook

matplotlib.use("Agg")

from helpers.analysis import concert as cc
from helpers.data.claims import load_claims

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
                        "quote": cid, "source": "article.txt"})
    return pd.DataFrame(records)


@pytest.fixture
def small_claims() -> pd.DataFrame:
    """10 poor villages, 1 + 2 + 1 persons per village, 50 reserve cadres, 30 promoted."""
    ids = cc.ROLE_IDS
    return claims_frame([
        ("poverty.poor_villages_exited", 10, "villages", "exact"),
        (ids["county_leader"], 1, "persons_per_village", "exact"),
        (ids["first_secretary"], 2, "persons_per_village", "exact"),
        (ids["organisation_cadre"], 1, "persons_per_village", "exact"),
        (cc.RESERVE_ID, 50, "persons", "exact"),
        (cc.PROMOTED_ID, 30, "persons", "exact", "2017年以来", "2017-01-01"),
    ])


def implied_frame(per_village=(1, 2, 1), villages=10) -> pd.DataFrame:
    """The implied-officials table as the notebook builds it (independent arithmetic)."""
    roles = list(cc.ROLE_IDS)[:len(per_village)]
    rows = [{"role": r, "persons_per_village": float(p), "villages": float(villages),
             "implied_persons": float(p * villages), "qualifier": "exact",
             "claim_ids": f"{cc.ROLE_IDS[r]};poverty.poor_villages_exited"}
            for r, p in zip(roles, per_village, strict=True)]
    rows.append({"role": "total", "persons_per_village": float(sum(per_village)),
                 "villages": float(villages), "implied_persons": float(sum(per_village) * villages),
                 "qualifier": "exact",
                 "claim_ids": ";".join([*(cc.ROLE_IDS[r] for r in roles),
                                        "poverty.poor_villages_exited"])})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return load_claims()


# --------------------------------------------------------------------------- ids and rows


def test_villages_id_prefers_the_registered_villages(small_claims):
    assert cc.villages_id(small_claims) == "poverty.poor_villages_exited"
    both = pd.concat([small_claims, claims_frame(
        [("poverty.poor_villages_registered", 12, "villages", "exact")])])
    assert cc.villages_id(both) == "poverty.poor_villages_registered"


def test_role_ids_are_those_present_or_all_for_the_note(small_claims):
    assert cc.role_ids(small_claims) == list(cc.ROLE_IDS.values())
    one = small_claims[small_claims["id"] != cc.ROLE_IDS["county_leader"]]
    assert cc.role_ids(one) == [cc.ROLE_IDS["first_secretary"],
                                cc.ROLE_IDS["organisation_cadre"]]
    none = small_claims[~small_claims["id"].str.startswith("assignment.")]
    assert cc.role_ids(none) == list(cc.ROLE_IDS.values())


def test_combine_qualifiers():
    assert cc.combine_qualifiers(["exact", "exact"]) == "exact"
    assert cc.combine_qualifiers(["exact", "at_least"]) == "at_least"
    assert cc.combine_qualifiers(["at_least", "approx"]) == "approx"


def test_head_counts_lists_the_groups_present(small_claims):
    counts = cc.head_counts(small_claims, implied_frame()).set_index("group")
    assert list(counts.index) == ["reserve_cadres", "implied_officials", "promoted_cadres"]
    assert counts.loc["implied_officials", "count_persons"] == 40
    assert counts.loc["implied_officials", "is_computed"]
    assert not counts.loc["promoted_cadres", "is_computed"]
    assert counts.loc["promoted_cadres", "period_start"] == "2017-01-01"
    assert counts.loc["reserve_cadres", "count_persons"] == 50
    only = cc.head_counts(small_claims[small_claims["id"] != cc.RESERVE_ID])
    assert list(only["group"]) == ["promoted_cadres"]
    assert cc.head_counts(small_claims[~small_claims["id"].isin(
        [cc.RESERVE_ID, cc.PROMOTED_ID])]).empty


def test_governance_part_is_where_the_governance_claims_stand(small_claims):
    assert cc.governance_part(small_claims) == ("article.txt", 3)
    assert cc.governance_part(small_claims[small_claims["id"].str.startswith("poverty.")]) \
        is None


def test_period_label():
    assert cc.period_label("2017年以来", "2017-01-01", "en") == "since 2017"
    assert cc.period_label("2017年以来", "2017-01-01", "zh") == "2017年以来"
    assert cc.period_label("", "", "en") == ""


# --------------------------------------------------------------------------- display


def _scale(claims, implied):
    scale = cc.head_counts(claims, implied)
    total = implied["implied_persons"].iloc[-1] if implied is not None else float("nan")
    scale["ratio_to_implied"] = scale["count_persons"] / total
    return scale[cc.SCALE_COLUMNS]


def test_display_tables_follow_the_language(small_claims):
    implied = implied_frame()
    scale = _scale(small_claims, implied)
    zh = cc.display_scale(scale, "zh")
    assert zh.columns[0] == "群体"
    assert not any(re.search(r"[A-Za-z]", c) for c in zh.columns)
    en = cc.display_implied(implied, "en")
    assert en.iloc[-1, 0] == "all roles" and en.iloc[-1, 3] == "40"
    with pytest.raises(ValueError, match="lang"):
        cc.display_scale(scale, "fr")
    alone = cc.display_scale(_scale(small_claims, None), "en")
    assert (alone.iloc[:, 4] == "–").all()  # no model: no ratio


def test_governance_figure_titles_are_computed_and_name_the_county(small_claims):
    import matplotlib.pyplot as plt

    from helpers.display.plotting import apply_theme

    implied = implied_frame()
    scale = _scale(small_claims, implied)
    for lang, county in (("en", "Somewhere"), ("zh", "某县")):
        apply_theme(lang)  # the Chinese font
        fig = cc.governance_figure(implied, scale, lang, county)
        title = fig.axes[0].get_title(loc="left")
        assert title.startswith(county)
        assert "1 + 2 + 1" in title and "40" in title and "10" in title
        if lang == "zh":
            assert fig.axes[0].get_xlabel() == "人"
        plt.close(fig)


def test_governance_figure_with_a_subset(small_claims):
    import matplotlib.pyplot as plt

    one = implied_frame(per_village=(1,), villages=7)
    fig = cc.governance_figure(one, _scale(small_claims.iloc[:0], one), "en", "X")
    assert "1 officials per poor village × 7 villages = 7" in fig.axes[0].get_title(loc="left")
    plt.close(fig)
    printed = small_claims[small_claims["id"] == cc.PROMOTED_ID]
    fig = cc.governance_figure(None, _scale(printed, None), "en", "X")
    title = fig.axes[0].get_title(loc="left")
    assert "30 cadres promoted" in title and "per poor village" not in title
    plt.close(fig)


# --------------------------------------------------------------------------- findings


def test_governance_findings_cite_the_computed_numbers(small_claims):
    implied = implied_frame()
    scale = _scale(small_claims, implied)
    en = cc.governance_findings(implied, scale, "en")
    zh = cc.governance_findings(implied, scale, "zh")
    assert len(en) == len(zh) == 3
    assert "40 in all" in en[0] and "共40名" in zh[0]
    assert "0.75 times" in en[1] and "1.2 to 1" in en[2]
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in zh)
    assert cc.governance_findings(None, None, "en") == []
    partial = cc.governance_findings(None, _scale(small_claims, None), "en")
    assert partial == ["30 frontline cadres were promoted since 2017.",
                       "50 reserve village cadres were selected."]


# --------------------------------------------------------------------------- real table


def test_reference_implied_officials_match_the_article(paths, article_text):
    """The stored table (reproduced by nbval) against the numbers printed in the article."""
    villages = int(re.search(r"(\d+)个省定贫困村", article_text).group(1))
    sentence = re.search(r"在每个贫困村安排[^。]*?对口指导", article_text).group()
    per_village = [int(x) for x in re.findall(r"(\d+)名", sentence)]
    assert len(per_village) == 3
    implied = pd.read_csv(paths.outputs / "default" / "tables" / "03_implied_officials.csv")
    implied = implied.set_index("role")
    assert implied.loc["total", "implied_persons"] == sum(per_village) * villages
    assert implied.drop(index="total")["implied_persons"].tolist() == [
        n * villages for n in per_village]


def test_reference_scale_compares_the_printed_head_counts(paths, article_text):
    promoted = int(re.search(r"(\d+)名脱贫攻坚一线干部", article_text).group(1))
    reserve = int(re.search(r"村级后备干部(\d+)人", article_text).group(1))
    tables = paths.outputs / "default" / "tables"
    scale = pd.read_csv(tables / "03_governance_scale.csv").set_index("group")
    total = pd.read_csv(tables / "03_implied_officials.csv").set_index("role").loc[
        "total", "implied_persons"]
    assert scale.loc["promoted_cadres", "count_persons"] == promoted
    assert scale.loc["reserve_cadres", "count_persons"] == reserve
    assert scale.loc["promoted_cadres", "ratio_to_implied"] == pytest.approx(promoted / total)


# --------------------------------------------------------------------------- the notebook


@pytest.fixture(scope="module")
def scratch(paths):
    root = paths.outputs / f".test-03-{uuid.uuid4().hex[:8]}"
    yield root
    shutil.rmtree(root, ignore_errors=True)


def run_notebook(paths, claims_path, out_dir, lang="en"):
    """Execute notebook 03 on ``claims_path``; return the executed notebook (a dict)."""
    import json

    import papermill

    target = out_dir / "03.ipynb"
    out_dir.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(paths.root / "notebooks" / "03_acting_in_concert.ipynb"), str(target),
        parameters={"claims_path": str(claims_path), "output_dir": str(out_dir), "lang": lang},
        kernel_name="python3", progress_bar=False, cwd=str(paths.root))
    return json.loads(target.read_text(encoding="utf-8"))


def notebook_text(executed: dict) -> str:
    """Every text, Markdown and HTML output of the executed notebook, joined."""
    parts = []
    for cell in executed["cells"]:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for kind in ("text/markdown", "text/html", "text/plain"):
                parts.append("".join(out.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def status(out_dir) -> dict:
    import json

    file = out_dir / "status" / "03.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}


FIXTURES = "tests/fixtures/counties"


NOTEBOOK = "03_acting_in_concert"


def county_notebook(county_run, county: str, lang: str) -> tuple:
    """Notebook 03 in the session's run of a fictional county (``county_run`` in
    tests/conftest.py): (run folder, executed notebook), read only."""
    run = county_run(county, lang, notebook=NOTEBOOK)
    return run["dir"], executed_notebook(run, NOTEBOOK)


@pytest.mark.county_run("songlan", "en", NOTEBOOK)
def test_notebook_on_a_headline_only_file(county_run):
    """Songlan prints only the headline figures: governance is not reported, rc 0."""
    out, executed = county_notebook(county_run, "songlan", "en")
    text = notebook_text(executed)
    assert "Not reported" in text and "`cadres.promoted`" in text
    not_produced = status(out)["not_produced"]
    assert set(not_produced) == {"03_implied_officials", "03_governance_scale"}
    tables = out / "tables"
    assert not (tables / "03_implied_officials.csv").exists()
    profile = pd.read_csv(tables / "03_chapter_profile.csv")
    assert len(profile) == 1  # no headings: one part, the whole text
    assert "Whole text" in text
    terms = pd.read_csv(tables / "03_top_terms.csv")
    # the county's own name is not a term, whole or cut (松岚县, 松岚, 岚县)
    assert not terms["term"].str.contains("岚").any()
    assert "Leiyang" not in text and "耒阳" not in text


@pytest.mark.county_run("qingwu", "zh", NOTEBOOK)
def test_notebook_on_another_structure(paths, county_run):
    """Qingwu: four chapters in another order, one assignment role; titles name Qingwu."""
    out, executed = county_notebook(county_run, "qingwu", "zh")
    claims_path = f"{FIXTURES}/qingwu/qingwu_claims.csv"
    text = notebook_text(executed)
    article = (paths.root / FIXTURES / "qingwu" / "qingwu_article.txt").read_text(
        encoding="utf-8")
    heads = re.findall(r"^### (\d) (\S+)", article, re.M)
    profile = pd.read_csv(out / "tables" / "03_chapter_profile.csv")
    assert profile["chapter"].tolist() == [0, *(int(n) for n, _ in heads)]
    for number, title in heads:  # the article's own chapter labels
        assert f"{number} {title}" in text
    qingwu = load_claims(claims_path)
    roles = [i for i in cc.ROLE_IDS.values() if i in set(qingwu["id"])]
    implied = pd.read_csv(out / "tables" / "03_implied_officials.csv")
    assert len(implied) == len(roles) + 1
    villages = qingwu.set_index("id").loc[cc.villages_id(qingwu), "value_base"]
    per_village = qingwu.set_index("id").loc[roles, "value_base"].sum()
    assert implied["implied_persons"].iloc[-1] == per_village * villages
    assert "耒阳" not in text


def test_notebook_reads_the_article_and_skips_a_context_source(paths, scratch, tmp_path):
    """Two sources: the article is analysed, the yearbook line is named and skipped."""
    src = paths.root / FIXTURES / "songlan"
    shutil.copy(src / "songlan_article.txt", tmp_path / "article.txt")
    line = "2019年末，全县户籍总人口31.52万人。"
    (tmp_path / "yearbook.txt").write_text(f"# 统计年鉴（摘录）\n\n{line}\n", encoding="utf-8")
    with (src / "songlan_claims.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["source"] = "article.txt"
    yearbook = (tmp_path / "yearbook.txt").read_text(encoding="utf-8")
    rows.append({**rows[0], "id": "population.total", "indicator_zh": "户籍总人口",
                 "indicator_en": "registered population", "value_printed": "31.52万人",
                 "number": "31.52", "unit_printed": "万人", "base_unit": "persons",
                 "value_base": "315200", "period_end": "2019-12-31", "period_text": "2019年末",
                 "quote": line, "quote_offset": str(yearbook.index(line)),
                 "source": "yearbook.txt", "notes": ""})
    claims_path = tmp_path / "two_claims.csv"
    with claims_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    meta = yaml.safe_load((src / "songlan_claims.meta.yaml").read_text(encoding="utf-8"))
    meta["sources"] = [{"id": "article", "path": "article.txt", "kind": "article"},
                       {"id": "yearbook", "path": "yearbook.txt", "kind": "context",
                        "title_en": "a statistical yearbook"}]
    (tmp_path / "two_claims.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True),
                                                   encoding="utf-8")
    out = scratch / "two"
    executed = run_notebook(paths, claims_path, out)
    text = notebook_text(executed)
    assert "Not analysed: source `yearbook`" in text
    profile = pd.read_csv(out / "tables" / "03_chapter_profile.csv")
    assert profile["source_id"].tolist() == ["article"]
    assert profile["n_claims"].tolist() == [len(rows) - 1]  # the yearbook's claim is not in it
    terms = pd.read_csv(out / "tables" / "03_top_terms.csv")
    assert set(terms["source_id"]) == {"article"}
    assert "户籍" not in set(terms["term"])
