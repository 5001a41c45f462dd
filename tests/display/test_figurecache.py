"""Tests for helpers.display.figurecache: what a figure's key covers."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
import pytest

from helpers.display import figurecache


def _draw(frame, lang):  # a figure function (never called: only its name is hashed)
    raise AssertionError


def _other(frame, lang):
    raise AssertionError


FRAME = pd.DataFrame({"id": ["a", "b"], "value": [1.0, 2.5]})


def _key(salt="s", draw=_draw, args=(FRAME, "en"), kwargs=None, formats=("svg", "png")):
    return figurecache.figure_key(salt, draw, args, kwargs or {}, formats)


def test_equal_inputs_give_one_key_and_each_input_counts():
    key = _key()
    assert len(key) == 64 and key == _key(args=(FRAME.copy(), "en"))
    changed = FRAME.copy()
    changed.loc[1, "value"] = 2.6
    others = {_key(salt="t"), _key(draw=_other), _key(args=(changed, "en")),
              _key(args=(FRAME, "zh")), _key(kwargs={"parts": 1}), _key(formats=("svg",)),
              _key(args=(FRAME.assign(value=FRAME["value"].astype("float32")), "en"))}
    assert key not in others and len(others) == 7
    with mpl.rc_context({"font.size": 13}):
        assert _key() != key  # the settings in force (theme, language) count


def test_frame_attributes_count():
    tagged = FRAME.copy()
    tagged.attrs["path"] = "data/claims/x.csv"
    assert _key(args=(tagged, "en")) != _key()


@pytest.mark.parametrize("salt", [None, ""])
def test_no_salt_no_key(salt):
    assert _key(salt=salt) is None


def test_arguments_without_a_digest_give_no_key():
    assert _key(args=(lambda: 1, "en")) is None
    assert _key(args=(pd.DataFrame({"cells": [[1], [2]]}), "en")) is None  # lists in cells
    assert figurecache.fetch(None, {"svg": None}) is False
    figurecache.keep(None, [])  # nothing to keep, no error


def test_fetch_needs_every_format(monkeypatch, tmp_path):
    from helpers.paths import get_paths

    monkeypatch.setattr(type(get_paths()), "cache", property(lambda self: tmp_path))
    svg = tmp_path / "w" / "f.svg"
    svg.parent.mkdir()
    svg.write_bytes(b"<svg/>")
    figurecache.keep("k", [svg])
    targets = {"svg": tmp_path / "out" / "x.svg", "png": tmp_path / "out" / "x.png"}
    assert figurecache.fetch("k", targets) is False and not (tmp_path / "out").exists()
    assert figurecache.fetch("k", {"svg": targets["svg"]}) is True
    assert targets["svg"].read_bytes() == b"<svg/>"
