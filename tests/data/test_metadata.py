"""Tests for helpers.data.metadata: the sidecar of a claims file and where its paths lead."""

from __future__ import annotations

import shutil

import pytest

from helpers.data.coverage import coverage_by_source
from helpers.data.metadata import MetadataError, load_metadata

FIXTURE = "tests/fixtures/counties/songlan"


@pytest.fixture
def outside(tmp_path, paths):
    """The songlan fixture copied outside the project, its sidecar naming bare file names."""
    src = paths.root / FIXTURE
    for f in src.iterdir():
        shutil.copy(f, tmp_path / f.name)
    meta = tmp_path / "songlan_claims.meta.yaml"
    for f in (meta, tmp_path / "songlan_claims.csv"):
        f.write_text(f.read_text(encoding="utf-8").replace(f"{FIXTURE}/", ""), encoding="utf-8")
    return tmp_path / "songlan_claims.csv"


def test_the_sidecar_names_the_county_and_its_sources():
    meta = load_metadata(f"{FIXTURE}/songlan_claims.csv")
    assert (meta.county_name("en"), meta.county_name("zh"), meta.fictional) == (
        "Songlan", "松岚县", True)
    assert meta.sources[0].id == "article"


def test_a_sidecar_outside_the_project_resolves_its_paths_from_its_own_folder(outside):
    meta = load_metadata(outside)
    assert meta.file == "songlan_claims.meta.yaml"  # shown by name, no machine path
    src = meta.primary
    assert meta.resolve(src.path) == outside.with_name("songlan_article.txt").resolve()
    assert meta.resolve(src.exclusions) == outside.with_name("songlan_exclusions.csv").resolve()
    assert str(outside.parent) not in repr(meta)


def test_coverage_of_a_file_outside_the_project_reads_its_own_exclusions(outside):
    from helpers.data.claims import load_claims

    cov = coverage_by_source(load_claims(outside))
    inside = coverage_by_source(load_claims(f"{FIXTURE}/songlan_claims.csv"))
    assert cov["status"].value_counts().to_dict() == inside["status"].value_counts().to_dict()
    assert (cov["status"] == "excluded").any(), "the sidecar's exclusions file was not read"
    assert not (cov["status"] == "uncovered").any()


def test_a_missing_sidecar_names_the_file(tmp_path):
    claims = tmp_path / "x_claims.csv"
    claims.write_text("id\n", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"x_claims\.meta\.yaml: metadata sidecar not found"):
        load_metadata(claims)


def test_a_claims_tables_metadata_is_shared_not_copied_by_pandas():
    """pandas deep-copies ``attrs`` after every operation: the metadata object is passed
    on as it is (it is never changed), the rest of ``attrs`` is still copied."""
    import copy

    from helpers.data.claims import load_claims

    claims = load_claims()
    meta = claims.attrs["meta"]
    assert copy.deepcopy(meta) is meta
    derived = claims[claims["id"].str.startswith("poverty.")].copy()
    assert derived.attrs["meta"] is meta
    assert derived.attrs == claims.attrs and derived.attrs is not claims.attrs
