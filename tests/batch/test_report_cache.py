"""The report's cache and its figures: kept sections and font subsets give the same bytes
as a fresh build; a warm build renders nothing (nbconvert not even imported); a changed
input is never served stale; figures are embedded from the files the run wrote.

The notebooks are synthetic (nbformat.v4) and live in a run folder of a temporary
directory (``<run>/notebooks/``, ``<run>/figures/``); every build passes its own cache
folder, so the project's cache is not touched.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

import matplotlib.pyplot as plt
import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat import v4

from helpers.batch import report
from helpers.batch.report import build_report


def _figure(fmt: str) -> bytes:
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
    ax.bar(["a", "b"], [1, 2])
    ax.set_title("#1 <50% & more>")  # characters a data: URI must encode
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"svg": {"Date": None},
                                              "png": {"Software": None}}[fmt])
    plt.close(fig)
    return buffer.getvalue()


INLINE_PNG = base64.b64encode(_figure("png")).decode("ascii")


def _notebook(text: str = "导语：贫困户的故事。", code: str = "nb.save(fig, \"groups\")",
              image: str | None = None) -> nbformat.NotebookNode:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# 00 概览 Overview\n\n" + text, metadata={"tags": ["lang-en"]}),
        v4.new_markdown_cell("# 00 概览\n\n中文段落：" + text, metadata={"tags": ["lang-zh"]}),
        v4.new_code_cell(code, execution_count=1, outputs=[
            v4.new_output("display_data", data={"image/png": INLINE_PNG, "text/plain": "<F>"})]),
        v4.new_markdown_cell("## Findings"),
        v4.new_code_cell("Markdown(findings)", execution_count=2, outputs=[
            v4.new_output("execute_result", execution_count=2, data={
                "text/markdown": "- 93.0% 脱贫", "text/plain": "f"})]),
    ]
    if image:
        nb.cells.append(v4.new_markdown_cell(f"![图]({image})"))
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def _run(folder: Path, nb=None, name: str = "00_overview", formats=("svg", "png")) -> Path:
    """A run folder holding one executed notebook and the figure files it wrote."""
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    (folder / "figures").mkdir(exist_ok=True)
    for fmt in formats:
        (folder / "figures" / f"{name[:2]}_groups.{fmt}").write_bytes(_figure(fmt))
    path = folder / "notebooks" / f"{name}.ipynb"
    nbformat.write(nb or _notebook(), path)
    return path


def _build(notebooks, target: Path, cache, **kwargs) -> bytes:
    kwargs.setdefault("provenance", False)
    kwargs.setdefault("captions", {})
    return build_report(notebooks, target, cache=cache, **kwargs).read_bytes()


def _no_rendering(monkeypatch):
    """Make any rendering or font subsetting fail: a build that passes used only the cache."""
    def fail(*args, **kwargs):
        raise AssertionError("rendered although the cache holds the result")

    monkeypatch.setattr(report, "_exporter", fail)
    monkeypatch.setattr(report, "subset_cjk_font", fail)


def _entries(cache: Path, kind: str) -> list[Path]:
    return sorted(p for p in (cache / kind).glob("*") if not p.name.startswith("."))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cached_and_uncached_builds_are_byte_identical(tmp_path, monkeypatch, lang):
    path = _run(tmp_path / "run")
    cache = tmp_path / "cache"
    fresh = _build([path], tmp_path / "fresh.html", None, lang=lang)
    cold = _build([path], tmp_path / "cold.html", cache, lang=lang)
    assert len(_entries(cache, "sections")) == 1 and len(_entries(cache, "fonts")) == 1
    _no_rendering(monkeypatch)
    warm = _build([path], tmp_path / "warm.html", cache, lang=lang)
    assert fresh == cold == warm
    assert ("中文段落" in warm.decode("utf-8")) == (lang == "zh")


def test_one_reading_of_the_page_equals_rendering_it_twice(tmp_path, monkeypatch):
    path = _run(tmp_path / "run")
    once = _build([path], tmp_path / "once.html", None)
    # a mark that is also page text makes the build render the page twice, as it used to
    monkeypatch.setattr(report, "_CSS_MARK", "section")
    twice = _build([path], tmp_path / "twice.html", None)
    assert once == twice


def test_a_warm_build_does_not_import_nbconvert(tmp_path):
    path = _run(tmp_path / "run")
    cache = tmp_path / "cache"
    expected = _build([path], tmp_path / "cold.html", cache)
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from helpers.batch.report import build_report\n"
        f"build_report([Path({str(path)!r})], Path({str(tmp_path / 'warm.html')!r}), "
        f"cache=Path({str(cache)!r}), provenance=False, captions={{}})\n"
        "print(json.dumps([m in sys.modules for m in ('nbconvert', 'nbformat', 'mistune')]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=600)
    assert json.loads(done.stdout.splitlines()[-1]) == [False, False, False]
    assert (tmp_path / "warm.html").read_bytes() == expected


def test_a_changed_notebook_is_rendered_again(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    path = _run(tmp_path / "run")
    _build([path], tmp_path / "a.html", cache)
    nbformat.write(_notebook(text="改过的段落 changed."), path)
    page = _build([path], tmp_path / "b.html", cache).decode("utf-8")
    assert "改过的段落" in page and "贫困户的故事" not in page
    assert page.encode("utf-8") == _build([path], tmp_path / "c.html", None)
    assert len(_entries(cache, "sections")) == 2
    assert len(_entries(cache, "fonts")) == 2  # other characters, another subset


def test_code_source_counts_only_when_code_is_shown(tmp_path, monkeypatch):
    """A rerun notebook whose parameters cell names another staging folder, outputs equal."""
    cache = tmp_path / "cache"
    path = _run(tmp_path / "run")
    _build([path], tmp_path / "a.html", cache)
    _build([path], tmp_path / "a-code.html", cache, show_code=True)
    nbformat.write(_notebook(code="output_dir = 'outputs/.staging/x-2'\nnb.save(fig, \"groups\")"),
                   path)
    code_shown = _build([path], tmp_path / "b-code.html", cache, show_code=True)
    assert b"staging/x-2" in code_shown  # rendered again: the source is on the page
    _no_rendering(monkeypatch)
    hidden = _build([path], tmp_path / "b.html", cache)
    assert hidden == (tmp_path / "a.html").read_bytes()


def test_a_code_cells_new_id_is_the_same_section(tmp_path, monkeypatch):
    """papermill gives the parameters cell it injects a new random id on every run: with
    code hidden, a rerun with equal outputs is served from the cache, byte-identical to a
    fresh build; a markdown cell's id still counts, and so does a code id when code shows."""
    cache = tmp_path / "cache"
    path = _run(tmp_path / "run")
    first = _build([path], tmp_path / "a.html", cache)
    _build([path], tmp_path / "a-code.html", cache, show_code=True)
    nb = _notebook()
    nb.cells[2].id = "injected-7f3a"
    nbformat.write(nb, path)
    fresh = _build([path], tmp_path / "fresh.html", None)
    _build([path], tmp_path / "b-code.html", cache, show_code=True)
    assert len(_entries(cache, "sections")) == 3  # code shown: the new id is a new section
    monkeypatch.setattr(report, "_exporter", lambda *a, **k: pytest.fail("rendered again"))
    assert _build([path], tmp_path / "b.html", cache) == fresh == first
    nb.cells[0].id = "markdown-renamed"
    nbformat.write(nb, path)
    with pytest.raises(pytest.fail.Exception, match="rendered again"):
        _build([path], tmp_path / "d.html", cache)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_section_prepared_ahead_is_used_by_the_build(tmp_path, monkeypatch, lang):
    """What the runner does as each notebook finishes: the build then renders nothing and
    writes the bytes of a fresh build; a section that could not be kept is not rendered."""
    path = _run(tmp_path / "run")
    cache = tmp_path / "cache"
    fresh = _build([path], tmp_path / "fresh.html", None, lang=lang)
    assert report.prepare_section(path, lang=lang, cache=cache) is True
    assert len(_entries(cache, "sections")) == 1 and not (cache / "fonts").exists()
    assert report.prepare_section(path, lang=lang, cache=cache) is True  # kept: a no-op
    assert len(_entries(cache, "sections")) == 1
    monkeypatch.setattr(report, "_exporter", lambda *a, **k: pytest.fail("rendered again"))
    assert _build([path], tmp_path / "warm.html", cache, lang=lang) == fresh
    # a markdown image (never kept) or no cache: nothing rendered, nothing written
    other = _run(tmp_path / "other", nb=_notebook(image="../figures/00_groups.png"))
    assert report.prepare_section(other, lang=lang, cache=cache) is False
    assert report.prepare_section(path, lang=lang, cache=None) is False
    assert len(_entries(cache, "sections")) == 1


def _no_assembly(monkeypatch):
    """Make assembling a page fail: a build that passes served a kept page."""
    monkeypatch.setattr(report, "_tidy", lambda *a, **k: pytest.fail("page assembled"))


def test_a_kept_page_is_served_whole(tmp_path, monkeypatch):
    """A rerun whose notebooks, figures and words are the same (the parameters cell names
    another staging folder, with a new id) is served the kept page: the bytes of a fresh
    build, nothing parsed."""
    cache = tmp_path / "cache"
    path = _run(tmp_path / "run")
    first = _build([path], tmp_path / "a.html", cache)
    assert len(_entries(cache, "pages")) == 1
    nb = _notebook(code="output_dir = 'outputs/.staging/x-2'\nnb.save(fig, \"groups\")")
    nb.cells[2].id = "injected-2"
    nbformat.write(nb, path)
    with monkeypatch.context() as m:
        _no_assembly(m)
        assert _build([path], tmp_path / "b.html", cache) == first
    assert first == _build([path], tmp_path / "fresh.html", None)
    assert len(_entries(cache, "pages")) == 1


@pytest.mark.parametrize("change", ["figure", "figure_added", "save_call", "words",
                                    "not_produced", "captions", "lang", "provenance"])
def test_a_page_is_built_again_when_anything_it_shows_changed(tmp_path, change):
    """Each input of a page, changed alone, gives a new page equal to a fresh build."""
    cache = tmp_path / "cache"
    run = tmp_path / "run"
    path = _run(run)
    kw = {"captions": {"00_overview": {"figures": {"groups": "Groups"}}}}
    first = _build([path], tmp_path / "a.html", cache, **kw)
    if change == "figure":
        (run / "figures" / "00_groups.svg").write_bytes(
            (run / "figures" / "00_groups.svg").read_bytes().replace(b"</svg>", b"<g/></svg>"))
    elif change == "figure_added":
        (run / "figures" / "00_groups.svg").unlink()  # the PNG is embedded instead
    elif change == "save_call":
        nbformat.write(_notebook(code="nb.save(fig, \"other\")"), path)
    elif change == "words":
        kw["title"] = "Another title"
    elif change == "not_produced":
        kw["not_produced"] = {"00_overview": [{"kind": "table", "caption": "T",
                                               "files": ["tables/00_t.csv"], "reason": "r"}]}
    elif change == "captions":
        kw["captions"] = {"00_overview": {"figures": {"groups": "Other groups"}}}
    elif change == "lang":
        kw["lang"] = "zh"
    elif change == "provenance":
        kw["provenance"] = {"date": "2020-01-02", "date_source": "epoch", "git": {},
                            "parameters": {}, "claims": [], "python": "3", "packages": {},
                            "manifest": "manifest.json"}
    again = _build([path], tmp_path / "b.html", cache, **kw)
    assert again != first
    assert again == _build([path], tmp_path / "c.html", None, **kw)
    assert len(_entries(cache, "pages")) == 2


def test_damaged_cache_entries_are_misses(tmp_path):
    path = _run(tmp_path / "run")
    cache = tmp_path / "cache"
    expected = _build([path], tmp_path / "cold.html", cache)
    assert len(_entries(cache, "pages")) == 1
    for entry in [*_entries(cache, "sections"), *_entries(cache, "fonts"),
                  *_entries(cache, "pages")]:
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert _build([path], tmp_path / "again.html", cache) == expected
    # ... and the damaged entries were replaced by good ones
    assert _build([path], tmp_path / "third.html", cache) == expected


def test_a_notebook_showing_an_image_file_is_rendered_every_time(tmp_path):
    run = tmp_path / "run"
    path = _run(run, _notebook(image="picture.png"))
    picture = run / "notebooks" / "picture.png"
    picture.write_bytes(_figure("png"))
    cache = tmp_path / "cache"
    first = _build([path], tmp_path / "a.html", cache)
    assert _entries(cache, "sections") == [] and _entries(cache, "pages") == []
    picture.write_bytes(_figure("png") + b"\0")  # another image, same notebook bytes
    second = _build([path], tmp_path / "b.html", cache)
    assert first != second
    assert second == _build([path], tmp_path / "c.html", None)


def test_the_cache_keeps_the_most_recently_used(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "CACHE_KEEP", 2)
    cache = tmp_path / "cache"
    for n in range(3):
        path = _run(tmp_path / f"run{n}", _notebook(text=f"段落{n}"))
        _build([path], tmp_path / f"{n}.html", cache)
    assert len(_entries(cache, "sections")) == 2
    assert len(_entries(cache, "fonts")) == 2


def _figure_src(page: bytes) -> str:
    soup = BeautifulSoup(page.decode("utf-8"), "html.parser")
    images = soup.select("section.notebook img")
    assert len(images) == 1
    return images[0]["src"]


def test_figures_are_embedded_from_the_files_written(tmp_path):
    run = tmp_path / "run"
    path = _run(run)
    src = _figure_src(_build([path], tmp_path / "svg.html", None))
    prefix = "data:image/svg+xml,"
    assert src.startswith(prefix)
    svg = (run / "figures" / "00_groups.svg").read_bytes()
    assert unquote_to_bytes(src[len(prefix):]) == svg  # the file itself, not redrawn
    assert len(src) < len(base64.b64encode(svg))  # smaller than base64
    assert not set(src) & set('"<>#&\n')

    (run / "figures" / "00_groups.svg").unlink()  # a run that wrote PNG only
    src = _figure_src(_build([path], tmp_path / "png.html", None))
    png = (run / "figures" / "00_groups.png").read_bytes()
    assert src == "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def test_figures_outside_a_run_folder_are_the_notebooks_own(tmp_path):
    _run(tmp_path)  # tmp_path/figures/00_groups.svg exists ...
    path = tmp_path / "elsewhere" / "00_overview.ipynb"  # ... but this is no <run>/notebooks/
    path.parent.mkdir()
    nbformat.write(_notebook(), path)
    src = _figure_src(_build([path], tmp_path / "r.html", None))
    assert src == "data:image/png;base64," + INLINE_PNG
    assert report.figure_file(path, "groups") is None


def test_the_default_cache_is_the_projects(paths):
    assert report.get_report_cache() == paths.cache / "report"
    assert paths.report_cache.is_relative_to(paths.outputs)
