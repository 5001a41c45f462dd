"""Tests of helpers.display.plotting: CJK font from mplfonts, theme, labels, deterministic files."""

from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import seaborn as sns
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from helpers.display import plotting

#: Any warning fails a test (a missing glyph is a UserWarning attributed to the caller).
pytestmark = pytest.mark.filterwarnings("error")

SRC = Path(plotting.__file__).resolve().parents[2]
CHINESE = "耒阳市贫困户 人次 万元"


@pytest.fixture(autouse=True)
def _isolated_rc():
    """Every test starts and ends with the same rcParams and no open figures."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _run_python(code: str, *args: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter with ``helpers`` importable; return stdout."""
    full_env = {**os.environ, "PYTHONPATH": str(SRC), "MPLBACKEND": "Agg", **env}
    done = subprocess.run([sys.executable, "-c", code, *args], env=full_env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _chinese_figure(title: str = CHINESE, labels=("贫困户", "人次", "万元"),
                    xlabel: str = "金额（万元）", ylabel: str = "指标"):
    """A small bar chart with (by default Chinese) title, axis labels and tick labels."""
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.barh(list(labels), [1200, -35.5, 4658.66], color=plotting.chapter_palette(1, 3))
    ax.set_title(title, fontsize=20)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def _latin_figure():
    """The same chart labelled in English (renders without the CJK font)."""
    return _chinese_figure("Leiyang", ("households", "person-times", "10k yuan"),
                           "amount (10k yuan)", "indicator")


def _png_text_keys(data: bytes) -> list[str]:
    """Keywords of the tEXt/zTXt/iTXt chunks of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    keys, pos = [], 8
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            body = data[pos + 8:pos + 8 + length]
            keys.append(body.split(b"\0", 1)[0].decode("latin-1"))
        pos += 12 + length
    return keys


# -- import has no side effects ----------------------------------------------------


def test_import_changes_no_rcparams_and_does_not_import_mplfonts():
    out = _run_python(
        "import json, sys, matplotlib\n"
        "before = {k: repr(v) for k, v in matplotlib.rcParams.items()}\n"
        "import helpers.display.plotting\n"
        "after = {k: repr(v) for k, v in matplotlib.rcParams.items()}\n"
        "fm = sys.modules.get('matplotlib.font_manager')\n"
        "cjk = [e.fname for e in fm.fontManager.ttflist if 'mplfonts' in e.fname] if fm else []\n"
        "print(json.dumps({'changed': sorted(k for k in before.keys() | after.keys()\n"
        "                                    if before.get(k) != after.get(k)),\n"
        "                  'mplfonts': 'mplfonts' in sys.modules,\n"
        "                  'seaborn': 'seaborn' in sys.modules, 'cjk_fonts': cjk}))\n")
    result = json.loads(out)
    assert result == {"changed": [], "mplfonts": False, "seaborn": False, "cjk_fonts": []}


# -- the font --------------------------------------------------------------------


def test_register_cjk_font_is_idempotent_and_findfont_resolves_to_mplfonts():
    family = plotting.register_cjk_font()
    count = sum(e.fname == str(plotting.cjk_font_path())
                for e in font_manager.fontManager.ttflist)
    assert family == "Noto Sans CJK SC"
    assert plotting.register_cjk_font() == family
    assert sum(e.fname == str(plotting.cjk_font_path())
               for e in font_manager.fontManager.ttflist) == count
    found = font_manager.findfont(font_manager.FontProperties(family=family),
                                  fallback_to_default=False)
    assert Path(found).resolve() == plotting.cjk_font_path().resolve()


# -- theme -----------------------------------------------------------------------------


def test_apply_theme_sets_font_and_deterministic_svg_settings():
    plotting.apply_theme("zh")
    rc = matplotlib.rcParams
    assert rc["font.family"] == ["DejaVu Sans", "Noto Sans CJK SC"]
    assert rc["font.sans-serif"] == ["DejaVu Sans", "Noto Sans CJK SC"]
    assert rc["axes.unicode_minus"] is False
    assert rc["svg.fonttype"] == "path"
    assert rc["svg.hashsalt"] == plotting.SVG_HASHSALT
    assert rc["figure.dpi"] == 100
    assert rc["axes.grid"] is True  # seaborn whitegrid


def test_apply_theme_is_idempotent_and_ignores_earlier_settings():
    plotting.apply_theme("en")
    first = {k: repr(v) for k, v in matplotlib.rcParams.items()}
    matplotlib.rcParams.update({"axes.titleweight": "bold", "savefig.pad_inches": 1.0,
                                "font.family": ["serif"]})
    plotting.apply_theme("en")
    plotting.apply_theme("en")
    assert {k: repr(v) for k, v in matplotlib.rcParams.items()} == first


@pytest.mark.parametrize("call", [
    lambda: plotting.apply_theme("fr"),
    lambda: plotting.pick("a", "甲", "EN"),
    lambda: plotting.claim_label(pd.DataFrame(columns=["id"]), "x", "de"),
])
def test_bad_lang_raises_value_error_naming_lang(call):
    with pytest.raises(ValueError, match="lang"):
        call()


# -- Chinese text renders ---------------------------------------------------------


def test_chinese_figure_saves_without_any_warning(tmp_path):
    plotting.apply_theme("zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = _chinese_figure()
        plotting.annotate_bars(fig.axes[0])
        paths = plotting.save_figure(fig, "chinese", tmp_path)
    assert [p.name for p in paths] == ["chinese.svg", "chinese.png"]


def test_svg_holds_real_glyphs_for_chinese_characters(tmp_path):
    plotting.apply_theme("zh")
    (svg,) = plotting.save_figure(_chinese_figure(), "glyphs", tmp_path, ["svg"])
    text = svg.read_text(encoding="utf-8")
    font = FT2Font(str(plotting.cjk_font_path()))
    # matplotlib names SVG glyph definitions "<postscript name>-<glyph index in hex>".
    for char in "耒阳市贫困户人次万元":
        index = font.get_char_index(ord(char))
        assert index != 0, char  # 0 is .notdef, the empty box
        assert f'id="{font.postscript_name}-{index:x}"' in text, char
    assert f'id="{font.postscript_name}-0"' not in text  # no missing-glyph boxes


def test_png_shows_distinct_chinese_glyphs_not_boxes():
    plotting.apply_theme("zh")

    def pixels(title):
        fig = plt.figure(figsize=(3, 1))
        fig.text(0.05, 0.2, title, fontsize=40)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()

    blank, first, second = pixels(""), pixels("耒阳"), pixels("贫困")
    assert not np.array_equal(first, blank)
    assert not np.array_equal(first, second)  # missing glyphs would all be the same box


# -- Latin font first, CJK face as fallback ------------------------------------------


def _glyph_ids(svg_text: str, font_file: str, chars: str) -> dict[str, bool]:
    """For each character: whether the SVG defines its glyph from ``font_file``.

    matplotlib names SVG glyph definitions "<postscript name>-<glyph index in hex>".
    """
    font = FT2Font(font_file)
    found = {}
    for char in chars:
        index = font.get_char_index(ord(char))
        found[char] = index != 0 and f'id="{font.postscript_name}-{index:x}"' in svg_text
    return found


def test_latin_text_is_drawn_with_dejavu_and_chinese_with_the_cjk_face(tmp_path):
    plotting.apply_theme("zh")
    fig = _chinese_figure(title="Leiyang 耒阳市", xlabel="amount 金额（万元）")
    (svg,) = plotting.save_figure(fig, "mixed", tmp_path, ["svg"])
    text = svg.read_text(encoding="utf-8")
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"),
                                   fallback_to_default=False)
    cjk = str(plotting.cjk_font_path())
    assert Path(dejavu).name == "DejaVuSans.ttf"
    # the CJK font has Latin letters too: they must come from DejaVu Sans all the same
    assert _glyph_ids(text, dejavu, "Leiyangmot") == dict.fromkeys("Leiyangmot", True)
    assert not any(_glyph_ids(text, cjk, "Leiyangmot").values())
    # DejaVu Sans has no Chinese: those characters (and the full-width brackets) fall back
    assert _glyph_ids(text, cjk, "耒阳市金额（万元）") == dict.fromkeys("耒阳市金额（万元）", True)


def test_latin_figure_is_the_same_as_with_dejavu_alone(tmp_path):
    """The CJK fallback changes nothing in a Latin-only figure: same bytes as DejaVu alone
    (so its metrics, line heights included, are DejaVu's)."""
    plotting.apply_theme("en")
    themed = plotting.save_figure(_latin_figure(), "latin", tmp_path / "themed")
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    alone = plotting.save_figure(_latin_figure(), "latin", tmp_path / "alone")
    assert [p.read_bytes() for p in themed] == [p.read_bytes() for p in alone]
    plotting.apply_theme("en")
    matplotlib.rcParams["font.family"] = ["Noto Sans CJK SC"]  # the old order's metrics
    cjk_first = plotting.save_figure(_latin_figure(), "latin", tmp_path / "cjk")
    assert cjk_first[0].read_bytes() != themed[0].read_bytes()  # the check can fail


def test_text_layout_uses_dejavu_then_the_cjk_font():
    plotting.apply_theme("zh")
    found = font_manager.fontManager._find_fonts_by_props(font_manager.FontProperties())
    assert [Path(f).name for f in found] == ["DejaVuSans.ttf", plotting.CJK_FONT_FILE]


# -- deterministic, atomic files -----------------------------------------------------


def test_same_figure_saved_twice_is_byte_identical(tmp_path):
    plotting.apply_theme("zh")
    fig = _chinese_figure()
    first = [p.read_bytes() for p in plotting.save_figure(fig, "a", tmp_path / "1")]
    second = [p.read_bytes() for p in plotting.save_figure(fig, "a", tmp_path / "2")]
    assert first == second


def test_identical_figures_give_identical_files_even_without_theme(tmp_path):
    matplotlib.rcParams["svg.hashsalt"] = None  # random SVG ids unless save_figure fixes them
    first = plotting.save_figure(_latin_figure(), "b", tmp_path / "1")
    second = plotting.save_figure(_latin_figure(), "b", tmp_path / "2")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_files_carry_no_date_version_or_software(tmp_path):
    plotting.apply_theme("zh")
    svg, png = plotting.save_figure(_chinese_figure(), "meta", tmp_path)
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text
    assert matplotlib.__version__ not in text
    assert "Matplotlib v" not in text
    assert "Software" not in _png_text_keys(png.read_bytes())


def test_files_are_identical_across_processes_and_hash_seeds(tmp_path):
    code = (
        "import sys, matplotlib.pyplot as plt\n"
        "from helpers.display import plotting\n"
        "plotting.apply_theme('zh')\n"
        "fig, ax = plt.subplots()\n"
        "ax.bar(['贫困户', '人次'], [3.0, 4.5])\n"
        "ax.set_title('Leiyang 耒阳市（万元）')\n"
        "plotting.save_figure(fig, 'cross', sys.argv[1])\n")
    for seed in ("1", "2"):
        _run_python(code, str(tmp_path / seed), PYTHONHASHSEED=seed)
    for name in ("cross.svg", "cross.png"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_save_figure_returns_paths_in_format_order_and_leaves_no_temp_files(tmp_path):
    fig = _latin_figure()
    out = tmp_path / "new" / "figures"
    paths = plotting.save_figure(fig, "01_overview-a", out, ("png", "svg"))
    assert paths == [out / "01_overview-a.png", out / "01_overview-a.svg"]
    assert sorted(p.name for p in out.iterdir()) == ["01_overview-a.png", "01_overview-a.svg"]
    assert not plt.fignum_exists(fig.number)  # closed: no inline drawing at cell end
    kept = _latin_figure()
    plotting.save_figure(kept, "kept", out, "svg", close=False)
    assert plt.fignum_exists(kept.number)


def test_failed_save_keeps_previous_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    fig = _latin_figure()
    (old,) = plotting.save_figure(fig, "keep", tmp_path, ["svg"])
    before = old.read_bytes()

    def broken_savefig(fh, **kwargs):
        fh.write(b"<svg half written")
        raise OSError("disk full")

    monkeypatch.setattr(fig, "savefig", broken_savefig)
    with pytest.raises(OSError, match="disk full"):
        plotting.save_figure(fig, "keep", tmp_path, ["svg"])
    assert old.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.svg"]


def test_each_format_is_drawn_once_and_the_figure_closed(tmp_path, monkeypatch):
    plotting.apply_theme("zh")
    fig = _chinese_figure()
    calls = []
    savefig = fig.savefig

    def counting_savefig(fh, **kwargs):
        calls.append(kwargs["format"])
        return savefig(fh, **kwargs)

    monkeypatch.setattr(fig, "savefig", counting_savefig)
    plotting.save_figure(fig, "once", tmp_path)
    assert calls == ["svg", "png"]
    assert fig.number not in plt.get_fignums()


def test_inline_backend_has_no_saved_figure_left_to_draw(tmp_path, monkeypatch):
    """matplotlib's inline backend draws, at the end of a cell, every figure still open."""
    from matplotlib_inline import backend_inline

    shown = []
    monkeypatch.setattr(backend_inline, "display", lambda fig, **kw: shown.append(fig))
    saved, unsaved = _latin_figure(), _latin_figure()
    plotting.save_figure(saved, "saved", tmp_path)
    backend_inline.show(close=False)
    assert shown == [unsaved]


def test_figure_image_is_the_png_written_at_the_inline_size(tmp_path):
    plotting.apply_theme("en")
    paths = plotting.save_figure(_latin_figure(), "shown", tmp_path)
    image = plotting.figure_image(paths)
    png = paths[1].read_bytes()
    assert image.data == png and image.format == "png"
    # written at savefig.dpi (150), shown at figure.dpi (100), as the inline backend did
    (width,) = struct.unpack(">I", png[16:20])  # IHDR
    assert abs(image.width - width * 100 / 150) <= 1
    data, metadata = image._repr_mimebundle_()
    assert base64.b64decode(data["image/png"]) == png  # what the notebook stores
    assert metadata == {"image/png": {"width": image.width}}


def test_figure_image_is_the_svg_without_png_and_needs_one_of_them(tmp_path):
    (svg,) = plotting.save_figure(_latin_figure(), "svgonly", tmp_path, "svg")
    image = plotting.figure_image([svg])
    body = svg.read_text(encoding="utf-8")
    assert body.startswith("<?xml")
    assert image._repr_svg_() == body[body.index("<svg"):]  # the file's <svg> element as is
    assert "0x" not in repr(image)  # stored as text/plain: no memory address
    with pytest.raises(ValueError, match="no PNG or SVG"):
        plotting.figure_image([tmp_path / "x.pdf"])


def test_show_figure_displays_the_written_png_only_under_ipython(tmp_path, monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    paths = plotting.save_figure(_latin_figure(), "ipy", tmp_path)
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert plotting.show_figure(paths) is None
    assert shown == []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    assert plotting.show_figure(paths) is None
    assert [s.data for s in shown] == [paths[1].read_bytes()]


@pytest.mark.parametrize("name", ["Overview", "a b", "../x", "", "图", "a.svg"])
def test_bad_name_raises_value_error(tmp_path, name):
    with pytest.raises(ValueError, match="name"):
        plotting.save_figure(plt.figure(), name, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("formats", [(), ["pdf"], ("svg", "jpg"), "eps"])
def test_bad_formats_raise_value_error_listing_allowed(tmp_path, formats):
    with pytest.raises(ValueError, match=r"formats.*svg, png"):
        plotting.save_figure(plt.figure(), "ok", tmp_path, formats)
    assert list(tmp_path.iterdir()) == []


# -- labels, colours, annotations -----------------------------------------------------


def test_pick_returns_label_in_language():
    assert plotting.pick("households", "户", "en") == "households"
    assert plotting.pick("households", "户", "zh") == "户"


def test_claim_label_looks_up_indicator_by_id(paths):
    claims = pd.read_csv(paths.claims, dtype=str, keep_default_na=False)
    for row in claims.itertuples():
        assert plotting.claim_label(claims, row.id, "en") == row.indicator_en
        assert plotting.claim_label(claims, row.id, "zh") == row.indicator_zh
    with pytest.raises(KeyError, match=r"ch9\.nowhere\.nothing"):
        plotting.claim_label(claims, "ch9.nowhere.nothing", "en")


def test_chapter_colors_are_colorblind_palette_and_distinct():
    palette = sns.color_palette("colorblind").as_hex()
    assert set(plotting.CHAPTER_COLORS) == {0, 1, 2, 3, 4}
    assert all(c in palette for c in plotting.CHAPTER_COLORS.values())
    assert len(set(plotting.CHAPTER_COLORS.values())) == 5


@settings(max_examples=40, deadline=None)
@given(chapter=st.sampled_from(sorted(plotting.CHAPTER_COLORS)), n=st.integers(1, 40))
def test_chapter_palette_gives_n_distinct_deterministic_shades(chapter, n):
    shades = plotting.chapter_palette(chapter, n)
    assert len(shades) == n
    assert len(set(shades)) == n
    assert shades == plotting.chapter_palette(chapter, n)
    if n == 1:
        assert shades == [plotting.CHAPTER_COLORS[chapter]]


def test_chapter_palette_rejects_bad_arguments():
    with pytest.raises(KeyError):
        plotting.chapter_palette(7, 3)
    with pytest.raises(ValueError, match="n must"):
        plotting.chapter_palette(1, 0)


@pytest.mark.parametrize("horizontal", [False, True])
def test_annotate_bars_labels_the_end_of_each_bar(horizontal):
    _, ax = plt.subplots()
    values = [1234.4, 56.0, float("nan")]
    (ax.barh if horizontal else ax.bar)(["a", "b", "c"], values)
    texts = plotting.annotate_bars(ax)
    assert [t.get_text() for t in texts] == ["1,234", "56", ""]
    for text, value, position in zip(texts[:2], values, range(2), strict=False):
        end = (value, position) if horizontal else (position, value)
        assert text.xy == pytest.approx(end)


def test_annotate_bars_needs_bars():
    _, ax = plt.subplots()
    ax.plot([1, 2])
    with pytest.raises(ValueError, match="bar"):
        plotting.annotate_bars(ax)
