"""Tests for helpers.display.fonts: the CJK font file, found without matplotlib."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.display import fonts, plotting


def test_cjk_font_path_is_inside_mplfonts_package():
    path = fonts.cjk_font_path()
    package_dirs = [Path(p).resolve()
                    for p in importlib.util.find_spec("mplfonts").submodule_search_locations]
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert path.is_file()
    assert any(d in path.resolve().parents for d in package_dirs)
    assert plotting.cjk_font_path() == path  # the plotting module uses the same file


def test_cjk_font_path_missing_package_names_it(monkeypatch):
    monkeypatch.setattr(fonts.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="install the 'mplfonts'"):
        fonts.cjk_font_path()


def test_finding_the_font_imports_neither_matplotlib_nor_mplfonts():
    code = ("import sys; from helpers.display.fonts import cjk_font_path; cjk_font_path(); "
            "print(sorted(m for m in ('matplotlib', 'mplfonts') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
