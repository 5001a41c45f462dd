"""Tests for helpers.filecache: files kept under a key, checked, least recently used
removed first."""

from __future__ import annotations

import os

from helpers import filecache


def test_put_then_get_returns_the_bytes_and_a_damaged_file_is_a_miss(tmp_path):
    filecache.put(tmp_path, "kind", "k", ".bin", b"\x00data", keep=4)
    assert filecache.get(tmp_path, "kind", "k", ".bin") == b"\x00data"
    assert filecache.get(tmp_path, "kind", "k", ".txt") is None
    assert filecache.get(tmp_path, "other", "k", ".bin") is None
    file = tmp_path / "kind" / "k.bin"
    file.write_bytes(file.read_bytes()[:-1] + b"X")
    assert filecache.get(tmp_path, "kind", "k", ".bin") is None
    assert not list((tmp_path / "kind").glob(".*"))  # no temporary file left


def test_put_keeps_the_most_recently_used(tmp_path):
    for i, name in enumerate(["a", "b", "c"]):
        filecache.put(tmp_path, "kind", name, ".x", name.encode(), keep=3)
        os.utime(tmp_path / "kind" / f"{name}.x", ns=(i * 10**9, i * 10**9))
    assert filecache.get(tmp_path, "kind", "a", ".x") == b"a"  # used: now the most recent
    filecache.put(tmp_path, "kind", "d", ".x", b"d", keep=3)
    assert sorted(p.name for p in (tmp_path / "kind").iterdir()) == ["a.x", "c.x", "d.x"]


def test_an_unwritable_cache_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    filecache.put(blocker, "kind", "k", ".x", b"data", keep=2)  # nothing kept, no error
    assert filecache.get(blocker, "kind", "k", ".x") is None
