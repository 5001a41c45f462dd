"""Tables kept between runs: a hit returns the frame, anything else is a miss."""

from __future__ import annotations

import pandas as pd

from helpers.data import framecache


def test_round_trip_and_misses(monkeypatch, tmp_path):
    monkeypatch.setattr(framecache, "cache_file", lambda kind, key: tmp_path / kind / key)
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    framecache.write_frame("t", "k", frame)
    pd.testing.assert_frame_equal(framecache.read_frame("t", "k"), frame)
    assert framecache.read_frame("t", "other") is None
    assert framecache.read_frame("t", None) is None
    (tmp_path / "t" / "k").write_bytes(b"not a pickle")
    assert framecache.read_frame("t", "k") is None  # damaged: recomputed by the caller


def test_no_key_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(framecache, "cache_file", lambda kind, key: tmp_path / kind / key)
    framecache.write_frame("t", None, pd.DataFrame({"a": [1]}))
    assert not (tmp_path / "t").exists()


def test_unwritable_folder_is_no_error(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setattr(framecache, "cache_file", lambda kind, key: blocker / kind / key)
    framecache.write_frame("t", "k", pd.DataFrame({"a": [1]}))  # a read-only checkout
    assert framecache.read_frame("t", "k") is None


def test_kept_under_the_outputs_cache(paths):
    assert framecache.cache_file("claims", "abc") == paths.outputs / ".cache/claims/abc.pkl"
