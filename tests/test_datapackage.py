"""The Frictionless descriptor validates and agrees with the code's vocabularies."""

from __future__ import annotations

import json
import shutil

import frictionless
import pytest

from helpers.data import units
from helpers.data.claims import CLAIM_FIELDS


@pytest.fixture(scope="module")
def descriptor(paths) -> dict:
    return json.loads(paths.datapackage.read_text(encoding="utf-8"))


def _resource(descriptor, name):
    return next(r for r in descriptor["resources"] if r["name"] == name)


def test_datapackage_validates(paths):
    report = frictionless.validate(str(paths.datapackage))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_claims_fields_match_the_loader(descriptor):
    fields = _resource(descriptor, "claims")["schema"]["fields"]
    assert [f["name"] for f in fields] == list(CLAIM_FIELDS)
    assert all(f.get("description") for f in fields)
    by_name = {f["name"]: f for f in fields}
    assert by_name["base_unit"]["constraints"]["enum"] == list(units.BASE_UNITS)
    assert by_name["qualifier"]["constraints"]["enum"] == list(units.QUALIFIERS)


def test_a_changed_article_fails_the_hash(paths, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(paths.data, copy)
    article = copy / "raw" / paths.article.name
    article.write_text(article.read_text(encoding="utf-8") + "。", encoding="utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "hash" in str(report.flatten(["type", "note"])).lower()
