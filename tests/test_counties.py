"""The fictional counties of tests/fixtures/counties/: the fixtures themselves, and the
whole pipeline run on them (issue 9, item 7).

``songlan`` (松岚县, Hunan) prints only the headline figures, in one paragraph;
``qingwu`` (青梧县, Guizhou) has four chapters in another order than the default
article's and planted errors: special funds printed in 亿元 where only 万元 makes
sense, relocated households outnumbering the registered poor households, start and
end incidences whose implied base populations differ by about half, and a microcredit
total of about four times the 5万元 a poor household could borrow.

The first tests check the fixtures (they load, every quote is verbatim, every numeric
mention is a claim or an exclusion, the planted errors are there).  The end-to-end
tests read the session's run of ``leiyang-poverty run --claims <fixture>`` per county
and language (``county_run`` in tests/conftest.py: every notebook and the report, of a copy
of the fixture outside the project, shared with the notebooks' own tests), and check the
county named everywhere and the audit's verdicts on the planted errors.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import COUNTIES, fixture_file

from helpers.data.claims import load_claims
from helpers.data.codebook import EXTENSION_PREFIX, load_codebook
from helpers.data.coverage import load_exclusions, stale_exclusions
from helpers.data.extract import chapters, find_mentions

NAMES = {"songlan": ("Songlan", "松岚"), "qingwu": ("Qingwu", "青梧")}

#: Names of the default data's county (and its prefecture) that no other county's
#: outputs may carry; the package and command name ``leiyang-poverty`` are allowed.
FOREIGN = re.compile(r"(?i)leiyang(?![-_]poverty)|耒阳|hengyang|衡阳")

@pytest.fixture(scope="module", params=COUNTIES)
def county(request):
    return request.param


@pytest.fixture(scope="module")
def text_of(paths):
    return lambda name: (paths.root / fixture_file(name, "article.txt")).read_text(
        encoding="utf-8")


# --------------------------------------------------------------------------- the fixtures


def test_claims_load_with_codebook_ids_and_verbatim_quotes(paths, county, text_of):
    claims = load_claims(fixture_file(county, "claims.csv"))
    book = set(load_codebook()["id"])
    assert not claims.empty
    assert set(claims["id"]) <= book, "fixtures use codebook ids only"
    assert not claims["id"].str.startswith(EXTENSION_PREFIX).any()
    text = text_of(county)
    for row in claims.itertuples():
        at = int(row.quote_offset)
        assert text[at:at + len(row.quote)] == row.quote, row.id
        assert row.value_printed in row.quote, row.id
        assert row.source == fixture_file(county, "article.txt")


def test_metadata_and_provenance_say_fictional(paths, county, text_of):
    claims = load_claims(fixture_file(county, "claims.csv"))
    meta = claims.attrs["meta"]
    assert meta.fictional is True
    name_en, name_zh = NAMES[county]
    assert meta.county_name("en") == name_en
    assert meta.county_name("zh").startswith(name_zh)
    assert meta.primary.path == fixture_file(county, "article.txt")
    assert meta.primary.exclusions == fixture_file(county, "exclusions.csv")
    assert meta.primary.provenance == fixture_file(county, "article.provenance.yaml")
    provenance = yaml.safe_load((paths.root / meta.primary.provenance).read_text("utf-8"))
    assert provenance["fictional"] is True
    assert provenance["what"].startswith("FICTIONAL")
    assert provenance["source"] == "none"
    article = paths.root / meta.primary.path
    assert provenance["sha256"] == hashlib.sha256(article.read_bytes()).hexdigest()
    # the article itself reads as a report: nothing in it says it is invented
    assert not re.search(r"(?i)fictional|虚构|测试", text_of(county))


def test_every_numeric_mention_is_a_claim_or_an_exclusion(county, text_of):
    text = text_of(county)
    claims = load_claims(fixture_file(county, "claims.csv"))
    exclusions = load_exclusions(fixture_file(county, "exclusions.csv"))
    claimed = {int(off) + quote.index(value) for off, quote, value in
               zip(claims["quote_offset"], claims["quote"], claims["value_printed"],
                   strict=True)}
    excluded = {(int(o), t) for o, t in zip(exclusions["offset"], exclusions["text"],
                                             strict=True)}
    mentions = find_mentions(text)
    uncovered = [(m.start, m.text, m.kind) for m in mentions
                 if m.start not in claimed and (m.start, m.text) not in excluded]
    assert uncovered == []
    assert stale_exclusions(text, exclusions).empty
    quantities = {m.start for m in mentions if m.kind == "quantity"}
    assert claimed <= quantities, "every claim is a quantity the extractor finds"
    assert not (claimed & {o for o, _ in excluded}), "nothing is both claimed and excluded"
    assert (exclusions["reason"].str.len() > 0).all()


def test_songlan_prints_only_headline_figures(text_of):
    claims = load_claims(fixture_file("songlan", "claims.csv"))
    assert claims["id"].str.startswith("poverty.").all()
    assert set(claims["id"]) == {
        "poverty.poor_villages_exited", "poverty.registered_households",
        "poverty.registered_persons", "poverty.lifted_households", "poverty.lifted_persons",
        "poverty.poverty_incidence"}
    assert [c.number for c in chapters(text_of("songlan"))] == [0]
    assert (claims["chapter"] == 0).all()


def test_qingwu_chapters_in_another_order(text_of):
    claims = load_claims(fixture_file("qingwu", "claims.csv"))
    assert [c.number for c in chapters(text_of("qingwu"))] == [0, 1, 2, 3, 4]
    first_chapter = claims[claims["chapter"] > 0].groupby("section")["chapter"].min()
    assert first_chapter["industry"] == 1
    assert first_chapter["finance"] == first_chapter["funds"] == 2
    assert first_chapter["housing"] == first_chapter["health"] == 3
    assert first_chapter["employment"] == first_chapter["assignment"] == 4
    assert claims["id"].str.split(".").str[0].nunique() >= 8
    assert len(claims) >= 25
    assert claims.attrs["meta"].county["region"] == "western"


def test_qingwu_planted_errors_are_in_the_data():
    claims = load_claims(fixture_file("qingwu", "claims.csv"))
    v = claims.set_index("id")["value_base"]
    # (a) 亿 for 万: trillions of yuan, over ten million yuan per inhabitant;
    #     the same digits in 万元 are a few thousand yuan per registered poor person
    assert v["funds.special_total"] / v["population.total"] > 1e7
    assert 1e3 < v["funds.special_total"] / 1e4 / v["poverty.registered_persons"] < 1e4
    # (b) a part larger than its whole
    assert v["housing.relocated_households"] > v["poverty.registered_households"]
    # (c) implied bases of the start and end incidence differ by about half
    start = v["poverty.registered_persons_start"] / (v["poverty.poverty_incidence_start"] / 100)
    end = v["poverty.remaining_persons"] / (v["poverty.poverty_incidence"] / 100)
    assert 0.4 < end / start < 0.6
    # the remaining poor agree with registered − lifted, so every route gives that base
    assert (v["poverty.registered_persons"] - v["poverty.lifted_persons"]
            == v["poverty.remaining_persons"])
    assert (v["poverty.registered_households"] - v["poverty.lifted_households"]
            == v["poverty.remaining_households"])
    # (d) microcredit of several times the 5万元 cap per borrowing household
    per_household = v["finance.microcredit_amount"] / v["finance.microcredit_households"]
    assert 3 * 50_000 < per_household < 5 * 50_000


def test_songlan_figures_are_consistent():
    v = load_claims(fixture_file("songlan", "claims.csv")).set_index("id")["value_base"]
    assert v["poverty.lifted_households"] < v["poverty.registered_households"]
    assert v["poverty.lifted_persons"] < v["poverty.registered_persons"]
    assert 1 < v["poverty.registered_persons"] / v["poverty.registered_households"] < 10


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def songlan_run(county_run):
    return county_run("songlan", "en")


@pytest.fixture
def qingwu_run(county_run):
    return county_run("qingwu", "en")


@pytest.fixture
def songlan_zh_run(county_run):
    return county_run("songlan", "zh")


def _finished(run: dict) -> Path:
    assert run["rc"] == 0, f"{run['name']}: rc {run['rc']}\n{run['stderr'][-3000:]}"
    return run["dir"]


def _audit(run: dict) -> pd.DataFrame:
    audit = pd.read_csv(_finished(run) / "tables" / "04_audit.csv", dtype=str,
                        keep_default_na=False)
    audit["ids"] = audit["claim_ids"].str.split(";").map(set)
    return audit


def _verdicts(audit: pd.DataFrame, *ids: str) -> list[str]:
    """Verdicts of the checks whose claims include all of ``ids``."""
    return audit.loc[audit["ids"].map(lambda s: set(ids) <= s), "verdict"].tolist()


def _svg_texts(run_dir: Path) -> dict[str, str]:
    """The text of every SVG figure (matplotlib writes each text as a comment)."""
    return {p.name: "\n".join(re.findall(r"<!-- (.*?) -->", p.read_text("utf-8"), re.S))
            for p in sorted((run_dir / "figures").glob("*.svg"))}


@pytest.mark.parametrize("name", [pytest.param(c, marks=pytest.mark.county_run(c, "en"))
                                  for c in COUNTIES])
def test_run_names_the_fixture_county_and_no_other(request, name):
    run = request.getfixturevalue(f"{name}_run")
    run_dir = _finished(run)
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    name_en, _ = NAMES[name]
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert name_en in title and name_en in h1
    assert "fictional" in html
    texts = {"report.html": html, **_svg_texts(run_dir)}
    texts.update({p.name: p.read_text("utf-8")
                  for p in sorted((run_dir / "tables").glob("*.csv"))})
    other = [n for c in COUNTIES if c != name for n in NAMES[c]]
    for where, text in texts.items():
        found = FOREIGN.findall(text) + [n for n in other if n in text]
        assert not found, f"{where} names another county: {sorted(set(found))}"
    assert (run_dir / "manifest.json").is_file()


@pytest.mark.county_run("songlan", "zh")
def test_chinese_run_names_the_fixture_county(songlan_zh_run):
    run_dir = _finished(songlan_zh_run)
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "松岚县" in re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    texts = {"report.html": html, **_svg_texts(run_dir)}
    for where, text in texts.items():
        found = FOREIGN.findall(text) + re.findall("青梧|Qingwu", text)
        assert not found, f"{where} names another county: {sorted(set(found))}"


@pytest.mark.county_run("qingwu", "en")
def test_qingwu_run_uses_no_hunan_context(qingwu_run):
    """Provincial context facts describe only their own province: Qingwu is in Guizhou."""
    run_dir = _finished(qingwu_run)
    texts = {"report.html": (run_dir / "report.html").read_text("utf-8"),
             **_svg_texts(run_dir)}
    for where, text in texts.items():
        assert not re.search(r"(?i)hunan|湖南", text), where


@pytest.mark.county_run("songlan", "en")
def test_songlan_audit_finds_nothing_wrong(songlan_run):
    audit = _audit(songlan_run)
    assert not audit.empty
    assert not audit["verdict"].isin(["discrepancy", "implausible"]).any(), audit[
        audit["verdict"].isin(["discrepancy", "implausible"])][["check_id", "verdict"]]


@pytest.mark.county_run("qingwu", "en")
def test_qingwu_special_funds_implausible(qingwu_run):
    audit = _audit(qingwu_run)
    rows = audit[audit["ids"].map(lambda s: "funds.special_total" in s)
                 & (audit["verdict"] == "implausible")]
    assert not rows.empty, _verdicts(audit, "funds.special_total")
    # the check says which slip would bring the amount into range (亿 for 万, ×10⁴)
    said = " ".join(rows.drop(columns="ids").astype(str).agg(" ".join, axis=1))
    assert re.search(r"万|10⁴|10\^4|10,000|10 000", said), said


@pytest.mark.county_run("qingwu", "en")
def test_qingwu_part_larger_than_whole_is_a_discrepancy(qingwu_run):
    audit = _audit(qingwu_run)
    verdicts = _verdicts(audit, "housing.relocated_households",
                         "poverty.registered_households")
    assert "discrepancy" in verdicts, verdicts
    # the control: lifted within registered holds
    assert "discrepancy" not in _verdicts(audit, "poverty.lifted_households",
                                          "poverty.registered_households")


@pytest.mark.county_run("qingwu", "en")
def test_qingwu_incidence_bases_disagree(qingwu_run):
    audit = _audit(qingwu_run)
    verdicts = _verdicts(audit, "poverty.poverty_incidence_start", "poverty.poverty_incidence")
    assert "discrepancy" in verdicts, verdicts


@pytest.mark.county_run("qingwu", "en")
def test_qingwu_microcredit_per_household_implausible(qingwu_run):
    audit = _audit(qingwu_run)
    verdicts = _verdicts(audit, "finance.microcredit_amount")
    assert "implausible" in verdicts, verdicts


@pytest.mark.county_run("qingwu", "en")
def test_qingwu_money_totals_leave_the_implausible_amount_out(qingwu_run):
    tables = _finished(qingwu_run) / "tables"
    totals = pd.read_csv(tables / "04_money_totals.csv", dtype={"claim_ids": str},
                         keep_default_na=False)
    special = load_claims(fixture_file("qingwu", "claims.csv")).set_index(
        "id").loc["funds.special_total", "value_base"]
    totals["ids"] = totals["claim_ids"].str.split(";").map(set)
    left_out = totals["label_en"].str.startswith("Not summed")
    assert left_out.any() and (~left_out).any()
    for row in totals[~left_out].itertuples():  # the sums
        assert "funds.special_total" not in row.ids, row.key
        assert float(row.amount_yuan) < special, row.key
    # the totals say so: a row of amounts not summed lists it
    assert totals[left_out]["ids"].map(lambda s: "funds.special_total" in s).any()
    money = pd.read_csv(tables / "04_money.csv", dtype={"claim_ids": str},
                        keep_default_na=False)
    listed = money[money["claim_ids"].str.split(";").map(lambda s: "funds.special_total" in s)]
    if not listed.empty:  # listed with the others, but not summed
        assert not listed["is_in_total"].astype(str).eq("True").any()
