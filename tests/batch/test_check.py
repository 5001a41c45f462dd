"""Tests for helpers.batch.check and the `check` and `draft` subcommands."""

from __future__ import annotations

import json

import pytest

from helpers.batch import check as ck
from helpers.batch.cli import main

SONGLAN = "tests/fixtures/counties/songlan/songlan_claims.csv"


def _notebook(path, cells):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": src} for src in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_sections_are_read_statically_with_their_ids(tmp_path):
    _notebook(tmp_path / "07_demo.ipynb", [
        "from helpers.analysis import overview as ov\n"
        "from helpers.analysis import teaching as tt\n"
        "NEEDS = ['poverty.registered_persons']",
        "nb.section('literal', needs=['poverty.lifted_persons', 'industry.funds'])",
        "needs = NEEDS + ['poverty.lifted_persons']\nnb.section('named', needs=needs)",
        "needs = ['population.total']\nnb.section('later', needs=needs)",
        "nb.section('module', needs=[ov.INCIDENCE])",
        "nb.section('any', needs=tt.needs_any(claims, "
        "['industry.funds', 'poverty.lifted_persons']))",
        "nb.section('runtime', needs=[i for i in claims['id'] if i.startswith('x.')])",
        "%matplotlib inline",
    ])
    secs = {s.key: s for s in ck.notebook_sections(tmp_path / "07_demo.ipynb")}
    assert secs["literal"].ids == ["poverty.lifted_persons", "industry.funds"]
    assert secs["named"].ids == ["poverty.registered_persons", "poverty.lifted_persons"]
    assert secs["later"].ids == ["population.total"]  # the assignment in force, not all
    assert secs["module"].ids == ["poverty.poverty_incidence"]
    assert secs["any"].mode == "any"
    assert secs["runtime"].dynamic and secs["runtime"].ids == []
    table = ck.section_table({"poverty.lifted_persons", "poverty.registered_persons"},
                             list(secs.values())).set_index("section")
    assert table.loc["literal", "status"] == "not supported"
    assert table.loc["literal", "missing"] == "industry.funds"
    assert table.loc["named", "status"] == "supported"
    assert table.loc["any", "status"] == "supported"
    assert table.loc["runtime", "status"] == "decided at run time"


def test_check_of_a_headline_only_county():
    result = ck.check(SONGLAN)
    assert result.ok
    secs = result.sections.set_index(["notebook", "section"])
    assert secs.loc[("00_overview", "headline_groups"), "status"] == "supported"
    assert secs.loc[("02_teaching_to_fish", "per_capita"), "missing"] == (
        "industry.funds industry.funds_per_person")
    rels = result.relations.set_index("relation_id")
    assert rels.loc["headline.lifted_households_within_registered", "status"] == "runs"
    assert (rels["status"] == "not checkable").any()
    assert "notebook sections:" in result.text() and "audit relations:" in result.text()


def test_check_lists_loader_problems(tmp_path, capsys):
    bad = tmp_path / "bad_claims.csv"
    src = (ck.get_paths().root / SONGLAN).read_text(encoding="utf-8")
    bad.write_text(src.replace(",9836户,9836,", ",9836户,9837,"), encoding="utf-8")
    (tmp_path / "bad_claims.meta.yaml").write_text(
        (ck.get_paths().root / SONGLAN.replace(".csv", ".meta.yaml")).read_text(
            encoding="utf-8"), encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "not valid" in out and "field 'number'" in out


def test_draft_and_check_commands(tmp_path, capsys):
    article = tmp_path / "hill_article.txt"
    article.write_text("# 山乡\n\n截至2020年6月底，全县建档立卡贫困户共1200户3900人。\n",
                       encoding="utf-8")
    assert main(["draft", str(article)]) == 0
    out = capsys.readouterr().out
    assert "hill_claims.csv" in out and "hill_review.csv" in out
    assert main(["draft", str(article)]) == 2  # never overwrites without --force
    assert "already exist" in capsys.readouterr().err
    meta = tmp_path / "hill_claims.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("TODO", "山乡"), encoding="utf-8")
    assert main(["check", str(tmp_path / "hill_claims.csv")]) == 0
    assert "00_overview / headline_groups: not supported" in capsys.readouterr().out


@pytest.mark.parametrize("notebook", ["00_overview", "04_audit"])
def test_every_project_notebook_has_sections(notebook):
    assert any(s.notebook == notebook for s in ck.all_sections())
