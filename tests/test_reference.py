"""The reference data agree with the checks their provenance records state."""

from __future__ import annotations

import hashlib

import pandas as pd
import yaml


def test_national_series_reductions_match_the_stated_checks(paths):
    series = pd.read_csv(paths.national_poverty).set_index("year_end")
    reductions = (-series["rural_poor_10k_persons"].diff()).loc[2013:2018].astype(int).tolist()
    # the compiler's note in data/reference/SOURCES.md
    text = (paths.reference / "SOURCES.md").read_text(encoding="utf-8")
    stated = "1,650 / 1,232 / 1,442 / 1,240 / 1,289 / 1,386"
    assert stated in text
    assert reductions == [int(x.replace(",", "")) for x in stated.split(" / ")]


def test_provenance_checksums_match_the_files(paths):
    for record in [paths.article_provenance,
                   paths.reference / "national_rural_poverty.provenance.yaml"]:
        meta = yaml.safe_load(record.read_text(encoding="utf-8"))
        data = (record.parent / meta["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == meta["sha256"], record.name


def test_article_provenance_invents_nothing(paths):
    meta = yaml.safe_load(paths.article_provenance.read_text(encoding="utf-8"))
    article = paths.article.read_text(encoding="utf-8")
    assert meta["byline_as_printed"] in article
    assert meta["title"] in article
    assert meta["newspaper"].startswith("unknown")
    assert meta["publication_date"] == "unknown"


def test_context_facts_are_transcribed_from_the_sources_note(paths):
    facts = pd.read_csv(paths.context_facts)
    note = (paths.reference / "SOURCES.md").read_text(encoding="utf-8")
    flat = note.replace(",", "").replace("\n", " ")
    for fact_id, value in zip(facts["fact_id"], facts["value"], strict=True):
        printed = f"{value:g}" if value < 1000 else f"{int(value)}"
        assert printed in flat, fact_id
    meta = yaml.safe_load((paths.reference / "context_facts.provenance.yaml").read_text())
    assert hashlib.sha256(paths.context_facts.read_bytes()).hexdigest() == meta["sha256"]
