"""Tests for helpers.batch.report: one offline, deterministic, sanitized HTML page from notebooks.

The notebooks are synthetic (nbformat.v4, written to a temporary folder) and
carry every kind of output the real ones have: markdown, a PNG figure, an HTML
table, a findings list (text/markdown), plain text and a stream, plus HTML
injected through each of them.
"""

from __future__ import annotations

import base64
import io
import os
import re

import matplotlib.pyplot as plt
import nbformat
import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont
from nbformat import v4

from helpers.batch import report
from helpers.batch.report import ReportError, build_report

# Injected markup, one marker per way into the report; each must show as this literal text.
INJECTIONS = {
    "markdown cell": "<script>alert('md-cell')</script> <img src=x onerror=alert('md-img')>",
    "text/markdown": "<script>alert('md-out')</script> <img src=x onerror=alert('md-out-img')>",
    "text/html": "<img src=x onerror=alert('html-img')><script>alert('html-out')</script>",
    "text/plain": "<script>alert('plain')</script> <img src=x onerror=alert('plain-img')>",
    "javascript url": "<a href=\"javascript:alert('js-url')\">click</a>",
}
CODE_ONLY = "secret_local_name_42"
URL_ATTRS = {"src", "href", "srcset", "action", "formaction", "poster", "background", "cite",
             "data", "xlink:href", "ping", "longdesc"}


def _png() -> str:
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
    ax.plot([2013, 2020], [14466, 26])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _overview() -> nbformat.NotebookNode:
    table = ("<table class=\"dataframe\"><thead><tr><th>指标</th><th>quote</th></tr></thead>"
             "<tbody><tr><td>贫困户</td><td>&lt;b&gt;escaped by pandas&lt;/b&gt;</td></tr>"
             "</tbody></table>")
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# 概览：耒阳脱贫攻坚\n\nThe lead.\n\n## Findings\n\n"
                             "See [the gaps](01_closing_gaps.ipynb#补短强弱), [below](#Findings), "
                             "[the NBS](https://www.stats.gov.cn/) and `<b>` in code.\n\n"
                             + INJECTIONS["markdown cell"] + "\n\n" + INJECTIONS["javascript url"]),
        v4.new_code_cell(f"{CODE_ONLY} = 1\nprint('贫困发生率')", execution_count=1, outputs=[
            v4.new_output("stream", name="stdout", text="贫困发生率 0.18%\n"),
            v4.new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"}),
            v4.new_output("execute_result", execution_count=1, data={
                "text/html": table + INJECTIONS["text/html"], "text/plain": "table"}),
            v4.new_output("display_data", data={
                "text/markdown": "**要点**\n\n- &lt;script&gt;escaped by findings&lt;/script&gt;"
                                 "\n- " + INJECTIONS["text/markdown"],
                "text/plain": "findings"}),
            v4.new_output("execute_result", execution_count=2,
                          data={"text/plain": INJECTIONS["text/plain"]}),
            v4.new_output("display_data", data={"application/javascript": "alert('js-output')",
                                                "text/plain": "js fallback"}),
        ]),
    ]
    return nb


def _closing_gaps() -> nbformat.NotebookNode:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# 补短强弱\n\n![安置房](figure.png)\n\n"
                             "## Findings\n\n### 住房 Housing\n\n"
                             "| 项目 | 户数 |\n|---|--:|\n| 易地扶贫搬迁 | 1136 |"),
        v4.new_code_cell("x = 1", execution_count=1, outputs=[]),
    ]
    return nb


def _write(folder, name: str, nb) -> os.PathLike:
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"  # fixed ids: the same notebook bytes on every run
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module", autouse=True)
def _own_cache(tmp_path_factory):
    """Builds keep their sections and fonts in a folder of this module, not the project's
    (tests/batch/test_report_cache.py tests the cache)."""
    folder = tmp_path_factory.mktemp("report-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report, "get_report_cache", lambda: folder)
        yield folder


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    (folder / "figure.png").write_bytes(base64.b64decode(_png()))
    return [_write(folder, "00_overview", _overview()),
            _write(folder, "01_closing_gaps", _closing_gaps())]


@pytest.fixture(scope="module")
def built(notebooks, tmp_path_factory):
    target = tmp_path_factory.mktemp("report") / "report.html"
    build_report(notebooks, target)
    return target


@pytest.fixture(scope="module")
def page(built) -> str:
    return built.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(page) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def _visible_text(soup: BeautifulSoup, *, alt: bool = False) -> str:
    """The page's text (without its CSS); with ``alt``, followed by the images' alt texts."""
    soup = BeautifulSoup(str(soup), "html.parser")
    for style in soup.find_all("style"):
        style.decompose()
    alts = [img.get("alt", "") for img in soup.find_all("img")] if alt else []
    return soup.get_text() + "".join(alts)


def test_toc_links_land_on_existing_ids(soup):
    ids = {el["id"] for el in soup.find_all(id=True)}
    toc = soup.select("nav#contents a[href]")
    # two notebooks (named by their h1) and their other h1-h3 headings
    assert [a.get_text() for a in toc] == ["About this report", "概览：耒阳脱贫攻坚", "Findings",
                                           "补短强弱", "Findings", "住房 Housing"]
    for a in toc:
        assert a["href"].startswith("#") and a["href"][1:] in ids, a
    sections = soup.select("main > section.notebook[id]")
    assert [s["id"] for s in sections] == ["nb-00_overview", "nb-01_closing_gaps"]
    assert {f"#{s['id']}" for s in sections} <= {a["href"] for a in toc}


def test_ids_are_unique_and_every_internal_link_resolves(soup):
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    # "Findings" is a heading of both notebooks: two distinct ids
    findings = [h["id"] for h in soup.find_all("h2") if h.get_text().startswith("Findings")]
    assert len(findings) == 2 and len(set(findings)) == 2
    for a in soup.find_all("a", href=True):
        assert a["href"] == "manifest.json" or a["href"][1:] in ids, a


def test_links_to_other_notebooks_and_sites(soup):
    body = soup.select_one("#nb-00_overview")
    targets = {a.get_text(): a["href"] for a in body.find_all("a", href=True)}
    gaps_h1 = soup.select_one("#nb-01_closing_gaps h1")["id"]
    assert targets["the gaps"] == f"#{gaps_h1}"
    assert targets["below"] == "#" + soup.select_one("#nb-00_overview h2")["id"]
    assert "the NBS (https://www.stats.gov.cn/)" in _visible_text(body)


def test_no_external_references(page, soup):
    for element in soup.find_all(True):
        for attr, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attr == "href":  # the page's own ids, or the run record beside it
                assert value.startswith("#") or value == "manifest.json", (element.name, value)
            elif attr in URL_ATTRS:
                assert value.startswith("data:"), (element.name, attr, value[:80])
            elif not value.startswith("data:"):
                assert not re.search(r"(?i)(?:https?:)?//", value), (element.name, attr, value)
            if attr == "style":
                assert "url(" not in value.lower() and "@import" not in value.lower()
    styles = [s.get_text() for s in soup.find_all("style")]
    assert styles
    for css in styles:
        assert "@import" not in css.lower()
        for url in re.findall(r"url\(\s*['\"]?([^'\")\s]*)", css, flags=re.IGNORECASE):
            assert url.startswith("data:"), url[:80]
    assert not re.search(r"(?i)(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", page)
    for tag in ("link", "iframe", "object", "embed", "base"):
        assert soup.find(tag) is None


def test_images_are_data_uris(soup):
    images = soup.find_all("img")
    assert len(images) == 2  # the PNG output and the markdown image read from figure.png
    for img in images:
        assert img["src"].startswith("data:image/png;base64,")
        assert img.get("alt")
    markdown_image = soup.select_one("#nb-01_closing_gaps img")
    assert markdown_image["alt"] == "安置房"


def test_zero_script_tags(page, soup):
    assert soup.find("script") is None
    assert "<script" not in page.lower()
    assert "js fallback" in page  # the JavaScript output is replaced by its text/plain


@pytest.mark.parametrize("source", sorted(INJECTIONS))
def test_injected_html_is_inert_and_visible(soup, source):
    for element in soup.find_all(True):
        assert not any(attr.lower().startswith("on") for attr in element.attrs), element
    assert all(img["src"].startswith("data:") for img in soup.find_all("img"))
    text = _visible_text(soup)
    for part in re.findall(r"<[^>]+>[^<]*(?:</[^>]+>)?", INJECTIONS[source]):
        assert part in text, part


def test_data_escaped_by_notebooks_stays_text(soup):
    text = _visible_text(soup)
    assert "<b>escaped by pandas</b>" in text
    assert "<script>escaped by findings</script>" in text
    assert "<b> in code" in text  # a code span's HTML is shown once, not double-escaped


def test_sanitizer_is_the_last_line_of_defence():
    # markup the first pass (escaping hostile tags) would not see still comes out inert
    dirty = ('<p onclick="alert(1)" style="color:red">hi</p><script>x()</script>'
             '<iframe src="https://example.org"></iframe><a href="javascript:alert(2)">a</a>'
             '<img src="data:image/png;base64,AAAA" onerror="alert(3)"><!-- <b>comment</b> -->'
             '<table><tr><td style="background:url(https://example.org/x.png);'
             'text-align:right">1</td></tr></table>')
    clean = BeautifulSoup(report._sanitize(dirty), "html.parser")
    assert [el.name for el in clean.find_all(True)] == ["p", "a", "img", "table", "tbody",
                                                        "tr", "td"]
    assert clean.p.attrs == {}
    assert clean.td["style"].replace(" ", "") == "text-align:right;"
    assert "href" not in clean.a.attrs
    assert set(clean.img.attrs) == {"src"}
    assert "<script>x()</script>" in clean.get_text() and "comment" not in clean.get_text()


def test_markdown_table_alignment_is_kept(soup):
    table = soup.select_one("#nb-01_closing_gaps table")
    styles = [(th.get("style") or "").replace(" ", "") for th in table.find_all("th")]
    assert styles == ["", "text-align:right;"]


def test_chinese_text_and_font_subset(page, soup):
    text = _visible_text(soup, alt=True)
    assert "概览：耒阳脱贫攻坚" in soup.select_one("nav#contents").get_text()
    assert soup.select_one("#nb-00_overview h1").get_text().startswith("概览：耒阳脱贫攻坚")
    match = re.search(r"@font-face\{[^}]*url\(data:font/(woff2?);base64,([A-Za-z0-9+/=]+)\)",
                      page)
    assert match, "no embedded font"
    font = TTFont(io.BytesIO(base64.b64decode(match.group(2))))
    assert font.flavor == match.group(1)
    cmap = set(font.getBestCmap())
    cjk = {c for c in text if ord(c) >= 0x2E80}
    assert {"概", "耒", "阳", "贫", "："} <= cjk
    assert {ord(c) for c in cjk} <= cmap
    assert cmap <= {ord(c) for c in text}  # exactly the page's characters, nothing more
    assert len(match.group(2)) < 300_000
    family = re.search(r'font-family:"([^"]+)";src:url\(data:font', page).group(1)
    sans = re.search(r"--sans:([^;]+);", page).group(1)
    # the CJK face comes first, limited to CJK characters, so Chromium uses it for them
    assert sans.index(family) < sans.index("Arial")
    assert "unicode-range:U+2E80-9FFF" in page


def test_two_builds_are_byte_identical(notebooks, built, tmp_path):
    again = build_report(notebooks, tmp_path / "again.html")
    assert again.read_bytes() == built.read_bytes()


def test_show_code_and_lang(notebooks, page, soup, tmp_path):
    assert CODE_ONLY not in page
    assert soup.html["lang"] == "en" and soup.select_one("nav#contents h2").get_text() == "Contents"
    target = build_report(notebooks, tmp_path / "zh.html", show_code=True, lang="zh",
                          title="耒阳<报告>")
    zh = target.read_text(encoding="utf-8")
    zh_soup = BeautifulSoup(zh, "html.parser")
    assert CODE_ONLY in zh_soup.get_text()
    assert zh_soup.select_one(".highlight pre span")  # highlighted by pygments
    assert ".highlight .k" in zh_soup.style.get_text()  # with its CSS inlined
    assert zh_soup.html["lang"] == "zh-Hans"
    assert zh_soup.select_one("nav#contents h2").get_text() == "目录"
    assert zh_soup.title.get_text() == "耒阳<报告>"  # the title is text, escaped
    assert "<script" not in zh.lower()


def test_atomic_write_leaves_no_temp_files(notebooks, tmp_path, monkeypatch):
    target = tmp_path / "out" / "report.html"
    build_report(notebooks, target)
    assert os.listdir(target.parent) == ["report.html"]
    first = target.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        build_report(notebooks, target, lang="zh")
    assert os.listdir(target.parent) == ["report.html"]
    assert target.read_bytes() == first


@pytest.mark.parametrize("src", ["missing.png", "https://example.org/figure.png"])
def test_image_that_cannot_be_inlined_fails_the_build(tmp_path, src):
    nb = v4.new_notebook()
    nb.cells = [v4.new_markdown_cell(f"# Figure\n\n![a figure]({src})")]
    path = _write(tmp_path, "00_overview", nb)
    with pytest.raises(ReportError, match="image"):
        build_report([path], tmp_path / "report.html")
    assert not (tmp_path / "report.html").exists()
    assert sorted(os.listdir(tmp_path)) == ["00_overview.ipynb"]


def test_bad_arguments(notebooks, tmp_path):
    with pytest.raises(ValueError, match="lang"):
        build_report(notebooks, tmp_path / "r.html", lang="fr")
    with pytest.raises(ValueError, match="at least one"):
        build_report([], tmp_path / "r.html")
    with pytest.raises(FileNotFoundError):
        build_report([tmp_path / "nope.ipynb"], tmp_path / "r.html")


@pytest.fixture(scope="module")
def other_county(tmp_path_factory):
    """Metadata of a claims file about another (fictional) county."""
    import shutil

    import yaml

    from helpers.data.metadata import load_metadata
    from helpers.paths import get_paths

    folder = tmp_path_factory.mktemp("county")
    claims = folder / "songlan_claims.csv"
    shutil.copy(get_paths().claims, claims)
    meta = yaml.safe_load(get_paths().claims.with_name(
        get_paths().claims.stem + ".meta.yaml").read_text(encoding="utf-8"))
    meta["county"].update(name_en="Songlan", name_zh="松岚县", level_en="county",
                          level_zh="县", admin_code="439901")
    meta["fictional"] = True
    claims.with_name("songlan_claims.meta.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return load_metadata(claims)


NOT_PRODUCED = {"00_overview": [
    {"kind": "figure", "caption": "Households <registered> and lifted",
     "files": ["figures/00_headline_groups.svg", "figures/00_headline_groups.png"],
     "reason": "the source does not report poverty.registered_households"},
    {"kind": "table", "caption": "The timeline", "files": ["tables/00_timeline.csv"],
     "reason": "来源未报告 poverty.lifted_households"}]}


def test_title_and_subtitle_name_the_claims_county(notebooks, other_county, tmp_path):
    for lang, title in (("en", "Songlan's poverty-alleviation campaign as reported: "
                                "the numbers"), ("zh", "松岚县脱贫攻坚报道中的数字")):
        target = build_report(notebooks, tmp_path / f"{lang}.html", lang=lang,
                              meta=other_county)
        soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        assert soup.title.get_text() == title
        assert soup.select_one("header h1").get_text() == title
        subtitle = soup.select_one("header .subtitle").get_text()
        assert ("Songlan (Hunan)" if lang == "en" else "湖南省松岚县") in subtitle
        assert subtitle.endswith("A fictional county (test data)." if lang == "en"
                                 else "虚构县（测试数据）。")
        assert "2020-06-30" in subtitle
    assert report.default_title("en") == ("A county's poverty-alleviation campaign as "
                                          "reported: the numbers")
    assert "Leiyang" not in report.default_title("en", other_county)


def test_no_county_is_named_by_the_module():
    import inspect

    source = inspect.getsource(report)
    assert "Leiyang" not in source and "耒阳" not in source


def test_outputs_not_produced_are_listed_in_their_notebook(notebooks, tmp_path):
    target = build_report(notebooks, tmp_path / "r.html", not_produced=NOT_PRODUCED)
    soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one("#nb-00_overview .not-produced")
    assert box.p.get_text() == "Outputs not produced"
    items = [li.get_text() for li in box.find_all("li")]
    assert items == [
        "Figure “Households <registered> and lifted” (figures/00_headline_groups.svg, "
        "figures/00_headline_groups.png): the source does not report "
        "poverty.registered_households",
        "Table “The timeline” (tables/00_timeline.csv): 来源未报告 poverty.lifted_households"]
    assert soup.select_one("#nb-01_closing_gaps .not-produced") is None
    zh = build_report(notebooks, tmp_path / "zh.html", lang="zh", not_produced=NOT_PRODUCED)
    zh_soup = BeautifulSoup(zh.read_text(encoding="utf-8"), "html.parser")
    box = zh_soup.select_one("#nb-00_overview .not-produced")
    assert box.p.get_text() == "未生成的输出"
    assert box.li.get_text() == ("图（figures/00_headline_groups.svg、"
                                 "figures/00_headline_groups.png）：the source does not "
                                 "report poverty.registered_households")
    with pytest.raises(ValueError, match="not in the report: 09_gone"):
        build_report(notebooks, tmp_path / "x.html", not_produced={"09_gone": []})


# -- the header, captions, summary, appendix, tables that fit -----------------------------

CAPTIONS = {"05_cited": {"figures": {"groups": "Registered and lifted, by group"},
                         "tables": {"groups": "Households and people by group"}}}
LONG_IDS = "poverty.registered_households;poverty.registered_persons;health.premium_amount"
PROVENANCE = {"date": "2020-09-01", "date_source": "epoch",
              "git": {"commit": "abc123", "dirty": True},
              "parameters": {"lang": "en", "figure_formats": ["svg", "png"]},
              "claims": [("data/claims/x.csv", "f" * 64)], "python": "3.11.7",
              "packages": {"pandas": "3.1.1"}, "manifest": "manifest.json"}


def _cited(folder):
    """A notebook that saves and shows a figure and a table, then its Findings and files."""
    table = ("<table class=\"dataframe\"><thead><tr><th>group</th><th>claim_ids</th></tr>"
             f"</thead><tbody><tr><td>registered</td><td>{LONG_IDS}</td></tr></tbody></table>")
    files = ("<table class=\"dataframe\"><thead><tr><th>file</th></tr></thead><tbody>"
             "<tr><td>figures/05_groups.svg</td></tr></tbody></table>")
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# 05 Cited\n\nLead."),
        v4.new_code_cell("nb.table(groups, \"groups\")", execution_count=1, outputs=[
            v4.new_output("display_data", data={"text/html": table, "text/plain": "t"})]),
        v4.new_code_cell("nb.save(fig, \"groups\")", execution_count=2, outputs=[
            v4.new_output("display_data", data={"image/png": _png(), "text/plain": "<F>"})]),
        v4.new_code_cell("nbh.show(other)", execution_count=3, outputs=[
            v4.new_output("display_data", data={"text/html": table, "text/plain": "t"})]),
        v4.new_markdown_cell("## Findings"),
        v4.new_code_cell("Markdown(findings)", execution_count=4, outputs=[
            v4.new_output("execute_result", execution_count=4, data={
                "text/markdown": "### Lifted\n\n- 93.0% of households were lifted",
                "text/plain": "f"})]),
        v4.new_markdown_cell("Files written by this notebook:"),
        v4.new_code_cell("nbh.show(nb.outputs())", execution_count=5, outputs=[
            v4.new_output("execute_result", execution_count=5,
                          data={"text/html": files, "text/plain": "files"})]),
    ]
    return _write(folder, "05_cited", nb)


@pytest.fixture(scope="module")
def cited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cited")
    target = build_report([_cited(folder)], folder / "report.html", provenance=PROVENANCE,
                          captions=CAPTIONS)
    return BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")


def test_header_says_where_the_report_came_from(cited):
    about = cited.select_one("main > section#about")
    rows = {dt.get_text(): dd.get_text(" ", strip=True)
            for dt, dd in zip(about.find_all("dt"), about.find_all("dd"), strict=True)}
    assert rows["Date"] == "2020-09-01 (SOURCE_DATE_EPOCH)"
    assert rows["Commit"] == "abc123 (with uncommitted changes)"
    assert rows["Parameters"] == "lang=en , figure_formats=svg,png"
    assert rows["Claims files (sha256)"] == "data/claims/x.csv " + "f" * 64
    assert rows["Packages"] == "pandas 3.1.1"
    # the one link out of the page: the run record beside it
    assert [a["href"] for a in about.find_all("a")] == ["manifest.json"]
    assert [a["href"] for a in cited.find_all("a") if not a["href"].startswith("#")] == \
        ["manifest.json"]


def test_figures_and_tables_are_numbered_and_captioned(cited):
    figure = cited.select_one("figure.report-figure")
    assert figure["id"] == "figure-1"
    assert figure.figcaption.get_text(" ", strip=True) == \
        "Figure 1. Registered and lifted, by group"
    assert figure.img["alt"] == "Registered and lifted, by group"
    tables = cited.select("section.notebook figure.report-table")
    assert [t.figcaption.get_text(" ", strip=True) for t in tables] == \
        ["Table 1. Households and people by group"]  # the table not written is not numbered
    assert tables[0].select_one("div.table-scroll > table")


def test_long_ids_wrap_and_tables_scroll_in_their_own_box(cited):
    for table in cited.select("section.notebook table"):
        assert "table-scroll" in table.parent["class"]
    cell = cited.select("section.notebook table td")[1]
    assert cell.get_text() == LONG_IDS  # the text is unchanged ...
    assert len(cell.find_all("wbr")) >= 4  # ... and may wrap after ';' and '.'
    assert "long" in cell["class"]
    assert "@media print" in str(cited.style)


def test_summary_repeats_each_notebooks_findings(cited):
    summary = cited.select_one("main > section#summary")
    assert summary.h3.a["href"] == "#nb-05_cited"
    assert "93.0% of households were lifted" in summary.get_text()
    assert summary.find(id=True) is None and summary.find("h3", string="Lifted") is None
    toc = [a["href"] for a in cited.select("nav#contents > ol > li > a")]
    assert toc == ["#about", "#summary", "#nb-05_cited", "#appendix"]


def test_files_written_move_to_one_appendix(cited):
    section = cited.select_one("section.notebook")
    assert "figures/05_groups.svg" not in section.get_text()
    assert "Files written by this notebook" not in section.get_text()
    appendix = cited.select_one("main > section#appendix")
    assert "figures/05_groups.svg" in appendix.get_text()


def test_provenance_of_a_run(tmp_path, monkeypatch, paths):
    nb = v4.new_notebook()
    params = v4.new_code_cell('lang = "zh"\nclaims_path = "data/claims/leiyang_claims.csv"\n'
                              'output_dir = "outputs/.staging/default-123"\nn = len([])')
    params.metadata["tags"] = ["injected-parameters"]
    nb.cells = [v4.new_markdown_cell("# 00"), params]
    path = _write(tmp_path, "00_overview", nb)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1598918400")
    prov = report.collect_provenance([path])
    assert prov["date"] == "2020-09-01" and prov["date_source"] == "epoch"
    # the staging folder would make two runs differ; a non-literal is left out
    assert prov["parameters"] == {"lang": "zh",
                                  "claims_path": "data/claims/leiyang_claims.csv"}
    assert [p for p, _ in prov["claims"]] == ["data/claims/leiyang_claims.csv",
                                             "data/claims/leiyang_claims.meta.yaml"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for _, d in prov["claims"])
    assert prov["packages"]["pandas"] and prov["manifest"] == "manifest.json"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert report.collect_provenance([path])["date_source"] in ("commit", None)


def test_without_provenance_no_header(notebooks, tmp_path):
    target = build_report(notebooks, tmp_path / "r.html", provenance=False)
    soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#about") is None and soup.select_one('a[href="manifest.json"]') is None


def _bilingual(folder):
    """A notebook whose prose is a pair of cells per paragraph, tagged lang-en / lang-zh."""
    nb = v4.new_notebook()
    en = {"tags": ["lang-en"]}
    zh = {"tags": ["lang-zh"]}
    nb.cells = [
        v4.new_markdown_cell("# 06 Pair\n\nThe lead in English.", metadata=en),
        v4.new_markdown_cell("# 06 成对\n\n中文导语。", metadata=zh),
        v4.new_markdown_cell("Untagged: shown in both."),
        v4.new_code_cell("nb.save(fig, \"groups\")", execution_count=1, outputs=[
            v4.new_output("display_data", data={"image/png": _png(), "text/plain": "<F>"})]),
        v4.new_markdown_cell("## Findings", metadata=en),
        v4.new_markdown_cell("## 结论", metadata=zh),
        v4.new_code_cell("Markdown(findings)", execution_count=2, outputs=[
            v4.new_output("execute_result", execution_count=2, data={
                "text/markdown": "- finding", "text/plain": "f"})]),
    ]
    return _write(folder, "06_pair", nb)


@pytest.mark.parametrize("lang, kept, dropped, caption", [
    ("en", ["The lead in English.", "Findings"], ["中文导语", "结论"], "Figure 1. Groups"),
    ("zh", ["中文导语", "结论"], ["The lead in English.", "Findings"], "图1 分组"),
])
def test_report_keeps_the_cells_of_its_language(tmp_path, lang, kept, dropped, caption):
    captions = {"06_pair": {"figures": {"groups": {"en": "Groups", "zh": "分组"}[lang]}}}
    target = build_report([_bilingual(tmp_path)], tmp_path / "r.html", lang=lang,
                          provenance=False, captions=captions)
    soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
    text = soup.select_one("section.notebook").get_text(" ")
    assert all(k in text for k in kept) and not any(d in text for d in dropped)
    assert "Untagged: shown in both." in text
    assert soup.select_one("figure.report-figure figcaption").get_text(" ", strip=True) == caption
    # the Findings cell of the page's language feeds the summary
    assert "finding" in soup.select_one("section#summary").get_text()


def test_language_cells():
    cells = [v4.new_markdown_cell("a", metadata={"tags": ["lang-en"]}),
             v4.new_markdown_cell("b", metadata={"tags": ["lang-zh", "x"]}),
             v4.new_code_cell("c")]
    assert [c.source for c in report.language_cells(cells, "en")] == ["a", "c"]
    assert [c.source for c in report.language_cells(cells, "zh")] == ["b", "c"]


def test_pipeline_captions_in_each_language():
    en, zh = report._pipeline_captions("en"), report._pipeline_captions("zh")
    assert set(en) == set(zh) and en
    for stem in en:
        for kind in ("figures", "tables"):
            assert set(en[stem][kind]) == set(zh[stem][kind])
            for name, caption in zh[stem][kind].items():
                assert re.search(r"[\u4e00-\u9fff]", caption), (stem, name)
                assert caption != en[stem][kind][name]
