"""Shared fixtures: the project's paths and editable copies of the claims table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers.paths import get_paths


@pytest.fixture(scope="session")
def paths():
    return get_paths()


@pytest.fixture(scope="session")
def article_text(paths) -> str:
    return paths.article.read_text(encoding="utf-8")


@pytest.fixture
def claims_rows(paths) -> list[dict]:
    """The Leiyang claims as a list of dicts (strings), free to modify."""
    with paths.claims.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_claims(path: Path, rows: list[dict], fieldnames: list[str] | None = None,
                 encoding: str = "utf-8") -> Path:
    """Write claim rows as CSV (helper for tests that build defective tables)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fieldnames or list(rows[0]), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
