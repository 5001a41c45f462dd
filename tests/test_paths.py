"""Tests for helpers.paths: the root comes from the package, not the working directory."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import paths as hp


def test_root_holds_the_project(paths):
    assert (paths.root / "pyproject.toml").is_file()
    assert paths.article.is_file()
    assert paths.claims.is_file()
    assert paths.national_poverty.is_file()


def test_root_is_independent_of_working_directory(tmp_path, paths):
    code = "from helpers.paths import get_paths; print(get_paths().root)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == str(paths.root)


def test_env_override_must_be_a_project(tmp_path, monkeypatch):
    monkeypatch.setenv(hp.ROOT_ENV, str(tmp_path))
    with pytest.raises(hp.ProjectLayoutError, match=r"pyproject\.toml"):
        hp.find_project_root()


def test_no_root_above_a_foreign_file(tmp_path):
    with pytest.raises(hp.ProjectLayoutError):
        hp.find_project_root(tmp_path / "x" / "y.py")


def test_resolve_and_relative(paths, tmp_path):
    assert paths.resolve("data") == paths.data
    assert paths.relative(paths.claims) == "data/claims/leiyang_claims.csv"
    # outside the project only the file name is shown: no machine path leaks
    assert paths.relative(tmp_path / "x.csv") == "x.csv"
