"""One self-contained, offline HTML report built from executed notebooks.

:func:`build_report` renders each notebook with nbconvert's ``HTMLExporter``
(``lab`` template, prompts hidden, code hidden unless ``show_code``), keeps
only the notebook bodies and assembles one page: a table of contents across
all notebooks (each notebook a ``<section>`` with an anchor, its h1–h3
headings listed under it), then the bodies, with a small stylesheet of its own.

The page names the county the claims describe, never a county of its own: the
title and the line under it come from the claims file's metadata
(:class:`helpers.data.metadata.ClaimsMeta`: county, province, primary source,
reporting date, whether the county is fictional).  Declared outputs a notebook
did not produce (its claims lack what a section needs) are listed at the end of
that notebook's section, each with the reason the notebook recorded.

The page works offline, on a machine without any CJK font:

- it has no ``<script>`` at all (no require.js, no MathJax: TeX shows as
  source) and references no external host: figures are ``data:`` URIs, an
  ``<img>`` pointing to a local file is inlined (or the build fails), links
  to other sites become plain text followed by their address, links to other
  notebooks of the report become links to their section;
- Chinese text is drawn with a subset of *Noto Sans CJK SC* (from the
  ``mplfonts`` package) reduced to exactly the characters of the page and
  embedded as an ``@font-face`` ``data:`` URI (WOFF2 when fontTools can write
  it, WOFF otherwise), listed first in ``font-family`` and limited by ``unicode-range`` to CJK
  characters, so Latin text keeps the Latin fonts.

Text that comes from the data is made inert in two layers.  Before rendering,
raw HTML in markdown cells, ``text/markdown`` and ``text/html`` outputs is
scanned: a tag that is not on the allow-list (``<script>``, ``<iframe>``, …)
or that carries an event handler (``onerror=``) or a ``javascript:`` URL is
escaped, so it shows as the literal text it was.  After rendering, the whole
body goes through :mod:`bleach` with the same allow-list, which removes
anything the first pass missed.

The page says where it came from (:func:`collect_provenance`): a header with the
date, commit (and whether the tree was dirty), parameters, claims files with their
sha256, Python and key package versions, and a link to the run's ``manifest.json``.
The date is ``SOURCE_DATE_EPOCH`` when set, else the date of the commit, never the
clock: the run's own times are only in ``manifest.json``.  Below it, a summary
repeats each notebook's Findings; figures and tables declared in
``notebooks/pipeline.yaml`` are numbered and captioned; tables scroll inside their
own box and long ids wrap; the lists of files written move to an appendix.

The notebooks carry their prose in both languages: each markdown cell is a pair, the
English cell tagged ``lang-en`` and its Chinese translation tagged ``lang-zh``
(cell metadata ``tags``).  The page keeps the cells of its language and the cells
with no language tag (:func:`language_cells`), and writes its own words (header,
contents, summary, figure and table numbers, captions, appendix) in that language.

A figure a notebook wrote with ``nb.figure`` (or ``nb.save``) is embedded from the file
written in the run folder (:func:`figure_file`): the SVG, percent-encoded in a ``data:``
URI (sharp at any zoom and in print, and smaller than the PNG in base64), else the PNG;
never redrawn.

What does not change between builds is kept in the project's cache
(:attr:`helpers.paths.ProjectPaths.report_cache`): each notebook's rendered, sanitized
section under the hash of the notebook (code sources left out when code is hidden), its
language and this module's code and dependencies (:func:`_section_html`), and the font
subset under its characters and the font file's hash (:func:`_cached_subset`), and whole
pages under everything a build reads (:func:`_page_key`: a run that reran its notebooks
with the same outputs finds its page kept).  A build whose sections are all kept does
not import nbconvert.  The page is rendered once: its
characters are read from a draft with a mark where its CSS goes.

The output is deterministic: the same notebooks give a byte-identical file, whether
or not the cache held them (no clock time, no random ids; ids are derived from file
names and heading text), and it is written atomically (temporary file in the target
folder, then :func:`os.replace`).  Importing this module has no side effects.

>>> from pathlib import Path
>>> build_report([Path("outputs/notebooks/00_overview.ipynb")],
...              Path("outputs/report.html"), lang="zh")  # doctest: +SKIP
PosixPath('outputs/report.html')
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import hashlib
import html
import io
import json
import logging
import mimetypes
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_from_bytes, unquote, urlsplit

import bleach
import jinja2
import markupsafe
from bs4 import BeautifulSoup, NavigableString, Tag

from helpers import filecache

__all__ = ["LANGS", "LANG_TAGS", "ReportError", "build_report", "collect_provenance",
           "default_title", "figure_file", "get_report_cache", "language_cells",
           "not_produced_lines", "prepare_section", "subtitle"]

#: Languages the page's own text (title, "Contents", …) can be written in.
LANGS = ("en", "zh")

#: Cell tag of a notebook cell written in one language (the report drops the other's).
LANG_TAGS = {"en": "lang-en", "zh": "lang-zh"}

#: Value of ``<html lang>`` for each page language.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}

#: The page's own words, per language (``{county}`` and the like are filled from the
#: claims' metadata).
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "{county}'s poverty-alleviation campaign as reported: the numbers",
        "title_generic": "A county's poverty-alleviation campaign as reported: the numbers",
        "subtitle": "{place}. Source: “{source}”. Reporting date: {date}.",
        "fictional": "A fictional county (test data).",
        "contents": "Contents",
        "source": "Notebook: {}",
        "figure": "Figure",
        "not_produced": "Outputs not produced",
        "not_produced_figure": "Figure “{caption}” ({files}): {reason}",
        "not_produced_table": "Table “{caption}” ({files}): {reason}",
        "list_sep": ", ",
        "about": "About this report",
        "date": "Date",
        "date_epoch": "{date} (SOURCE_DATE_EPOCH)",
        "date_commit": "{date} (date of the commit; the run's start and end times are in "
                       "manifest.json)",
        "date_none": "see manifest.json",
        "commit": "Commit",
        "dirty": "{commit} (with uncommitted changes)",
        "clean": "{commit} (clean tree)",
        "parameters": "Parameters",
        "claims_files": "Claims files (sha256)",
        "python": "Python",
        "packages": "Packages",
        "record": "Run record",
        "record_text": "manifest.json: times, platform, sha256 of every input and output",
        "summary": "Summary of findings",
        "figure_n": "Figure {n}.",
        "table_n": "Table {n}.",
        "appendix": "Appendix: files written by each notebook",
    },
    "zh": {
        "title": "{county}脱贫攻坚报道中的数字",
        "title_generic": "脱贫攻坚报道中的数字",
        "subtitle": "{place}。来源：《{source}》。报道日期：{date}。",
        "fictional": "虚构县（测试数据）。",
        "contents": "目录",
        "source": "笔记本：{}",
        "figure": "图",
        "not_produced": "未生成的输出",
        "not_produced_figure": "图（{files}）：{reason}",
        "not_produced_table": "表（{files}）：{reason}",
        "list_sep": "、",
        "about": "关于本报告",
        "date": "日期",
        "date_epoch": "{date}（SOURCE_DATE_EPOCH）",
        "date_commit": "{date}（提交日期；运行的开始和结束时间见 manifest.json）",
        "date_none": "见 manifest.json",
        "commit": "提交",
        "dirty": "{commit}（含未提交的修改）",
        "clean": "{commit}（工作区无修改）",
        "parameters": "参数",
        "claims_files": "数据文件（sha256）",
        "python": "Python",
        "packages": "软件包",
        "record": "运行记录",
        "record_text": "manifest.json：时间、平台、每个输入和输出的 sha256",
        "summary": "主要发现摘要",
        "figure_n": "图{n}",
        "table_n": "表{n}",
        "appendix": "附录：各笔记本写出的文件",
    },
}

#: CSS family name of the embedded Chinese font subset (distinct from any installed font).
CJK_FAMILY = "Report Noto Sans CJK SC"

#: Tags that may appear in a notebook body; any other tag is shown as text.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var", "wbr",
})

#: Attributes kept by the sanitizer (``"*"``: on every allowed tag); in ``style``
#: attributes only the properties of :data:`ALLOWED_CSS` are kept.
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "*": ["class", "id", "title", "lang", "dir"],
    "a": ["href"],
    "img": ["src", "alt", "width", "height"],
    "tr": ["style"],
    "td": ["colspan", "rowspan", "style"],
    "th": ["colspan", "rowspan", "scope", "style"],
    "ol": ["start", "type"],
    "col": ["span"],
    "colgroup": ["span"],
    "div": ["data-mime-type"],
}

#: CSS properties kept in ``style`` attributes (column alignment of tables).
ALLOWED_CSS = frozenset({"text-align"})

# URL schemes the sanitizer lets through; what is left of them is handled afterwards
# (images inlined or refused, links turned into anchors or plain text).
_PROTOCOLS = frozenset({"http", "https", "mailto", "data", "file"})

# Output types rendered, best first.  JavaScript and widgets are left out on purpose:
# the report has no scripts (and nbconvert would give them random ids).
_DISPLAY_PRIORITY = [
    "text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg",
    "text/latex", "text/plain",
]

_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/svg+xml",
                          "image/webp"})
_NBCONVERT_ALT = "No description has been provided for this image"
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TOC_LEVELS = ("h1", "h2", "h3")
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input",
                        "link", "meta", "source", "track", "wbr"})
_URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "background",
                        "poster", "cite", "data", "xlink:href", "lowsrc", "dynsrc", "ping"})

# A start or end tag as HTML parsers see it (attribute values may hold '>' when quoted).
_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[\s/](?:[^>\"']|\"[^\"]*\"|'[^']*')*)?)>")
_ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# Markdown code (fenced blocks, inline spans): raw HTML there is shown as code anyway.
_MD_CODE_RE = re.compile(
    r"^[ ]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}(?P=fence)[`~]*[ \t]*$|\Z)"
    r"|(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL)
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CSS_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)

_CSS = """\
:root{--sans:"{CJK}","Helvetica Neue",Helvetica,Arial,"Liberation Sans","DejaVu Sans",\
sans-serif;--mono:"{CJK}",Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",\
monospace;color-scheme:light}
html{background:#fff;color:#1b1b1b}
body{font:16px/1.65 var(--sans);max-width:62rem;margin:0 auto;padding:1rem 1.5rem 4rem}
h1,h2,h3,h4,h5,h6{line-height:1.3;margin:1.6em 0 .5em}
header h1{font-size:2rem;margin-top:1em}
p,ul,ol,table,pre,blockquote{margin:.7em 0}
a{color:#0b57a4}
.anchor-link{margin-left:.3em;color:#9a9a9a;text-decoration:none;visibility:hidden}
h1:hover>.anchor-link,h2:hover>.anchor-link,h3:hover>.anchor-link,h4:hover>.anchor-link,\
h5:hover>.anchor-link,h6:hover>.anchor-link{visibility:visible}
header .subtitle{color:#57606a;margin-top:-.2em}
.not-produced{background:#fff8e6;border-left:4px solid #d4a72c;padding:.2em 1em;margin:1.5em 0}
nav.toc{background:#f6f7f9;border:1px solid #e1e4e8;border-radius:6px;padding:.5rem 1.5rem}
nav.toc h2{margin:.6em 0}
nav.toc ol,nav.toc ul{padding-left:1.3em;margin:.2em 0}
nav.toc ul{list-style:none}
nav.toc .toc-h3{margin-left:1.2em;font-size:.95em}
section.notebook{border-top:3px solid #d0d7de;margin-top:3rem}
.nb-source{color:#6a737d;font-size:.85rem;margin:.4rem 0 0}
img{max-width:100%;height:auto}
.jp-RenderedImage{margin:1em 0}
.jp-RenderedHTML{overflow-x:auto}
table{border-collapse:collapse;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #d0d7de;padding:.3em .65em;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #8c959f}
caption{caption-side:top;text-align:left;font-weight:bold}
pre,code,kbd,samp{font-family:var(--mono);font-size:.88em}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;line-height:1.45}
[data-mime-type="application/vnd.jupyter.stderr"] pre{background:#fff4f2;color:#86181d}
.jp-CodeCell .highlight pre{border-left:3px solid #0173b2}
blockquote{border-left:4px solid #d0d7de;margin-left:0;padding:0 1em;color:#444}
.link-url{color:#57606a;word-break:break-all}
.about dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25em 1em;\
margin:.5em 0}
.about dt{font-weight:bold}
.about dd{margin:0;overflow-wrap:anywhere}
.summary h3{font-size:1.05rem;margin:1.2em 0 .3em}
figure{margin:1.2em 0;max-width:100%}
figcaption{font-size:.92rem;color:#333;margin:.3em 0 .5em}
.table-scroll{overflow:auto;max-width:100%;max-height:38rem;border-bottom:1px solid #e1e4e8}
.table-scroll thead th{position:sticky;top:0;background:#fff}
th,td{overflow-wrap:break-word}
td.long{min-width:14em}
@media (max-width:600px){body{padding:.5rem .8rem 3rem;font-size:15px}\
.about dl{grid-template-columns:minmax(0,1fr)}td.long{min-width:11em}}
@media print{nav.toc{break-after:page}section.notebook{break-before:page}\
.anchor-link{display:none}body{max-width:none;padding:0}\
.table-scroll{max-height:none;overflow:visible;border:0}\
.table-scroll table{table-layout:fixed;width:100%;font-size:7.5pt}\
th,td{overflow-wrap:anywhere;padding:.15em .3em}td.long{min-width:0}\
thead{display:table-header-group}tr,img,figure.report-figure{break-inside:avoid}\
.table-scroll thead th{position:static}}
"""

_PAGE = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string("""\
<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
{{ css }}</style>
</head>
<body>
<header id="top">
<h1>{{ title }}</h1>
{%- if subtitle %}
<p class="subtitle">{{ subtitle }}</p>
{%- endif %}
</header>
<nav class="toc" id="contents">
<h2>{{ labels.contents }}</h2>
<ol>
{%- if about %}
<li><a href="#about">{{ labels.about }}</a></li>
{%- endif %}
{%- if summary %}
<li><a href="#summary">{{ labels.summary }}</a></li>
{%- endif %}
{%- for s in sections %}
<li><a href="#{{ s.id }}">{{ s.title }}</a>
{%- if s.toc %}
<ul>
{%- for level, id, text in s.toc %}
<li class="toc-{{ level }}"><a href="#{{ id }}">{{ text }}</a></li>
{%- endfor %}
</ul>
{%- endif %}
</li>
{%- endfor %}
{%- if appendix %}
<li><a href="#appendix">{{ labels.appendix }}</a></li>
{%- endif %}
</ol>
</nav>
<main>
{%- if about %}
<section class="about" id="about">
<h2>{{ labels.about }}</h2>
<dl>
{%- for term, value in about %}
<dt>{{ term }}</dt>
<dd>{{ value }}</dd>
{%- endfor %}
</dl>
</section>
{%- endif %}
{%- if summary %}
<section class="summary" id="summary">
<h2>{{ labels.summary }}</h2>
{%- for s, findings in summary %}
<h3><a href="#{{ s.id }}">{{ s.title }}</a></h3>
{{ findings }}
{%- endfor %}
</section>
{%- endif %}
{%- for s in sections %}
<section class="notebook" id="{{ s.id }}">
<p class="nb-source">{{ labels.source.format(s.path.name) }}</p>
{{ s.body }}
{%- if s.not_produced %}
<div class="not-produced">
<p><strong>{{ labels.not_produced }}</strong></p>
<ul>
{%- for line in s.not_produced %}
<li>{{ line }}</li>
{%- endfor %}
</ul>
</div>
{%- endif %}
</section>
{%- endfor %}
{%- if appendix %}
<section class="appendix" id="appendix">
<h2>{{ labels.appendix }}</h2>
{%- for s, files in appendix %}
<h3><a href="#{{ s.id }}">{{ s.title }}</a></h3>
{{ files }}
{%- endfor %}
</section>
{%- endif %}
</main>
</body>
</html>
""")


class _Default:
    """Type of :data:`DEFAULT_CACHE`."""

    def __repr__(self) -> str:
        return "DEFAULT_CACHE"


#: ``build_report(cache=...)``'s default: the project's report cache (:func:`get_report_cache`).
DEFAULT_CACHE = _Default()

#: Files of each kind (``sections``, ``fonts``) the report's cache keeps; beyond, the least
#: recently used are removed.
CACHE_KEEP = 48

#: Whole pages the report's cache keeps (a page is a few megabytes: its figures are in it).
PAGE_CACHE_KEEP = 6

#: Distributions whose code shapes a rendered section or a font subset: their versions are
#: part of every cache key, with this module's own source.
CACHE_PACKAGES = ("nbconvert", "nbformat", "mistune", "bleach", "tinycss2", "beautifulsoup4",
                  "pygments", "jinja2", "markupsafe", "traitlets", "fonttools", "brotli",
                  "brotlicffi")

# Put where the page's CSS goes while the page is read for its characters.
_CSS_MARK = "/*report-css-8b2f*/"


class ReportError(RuntimeError):
    """The report cannot be built as required (an image that cannot be inlined, …)."""


@dataclass
class _Section:
    """One notebook of the report while it is being assembled."""

    path: Path
    id: str
    soup: BeautifulSoup
    title: str = ""
    toc: list[tuple[str, str, str]] = field(default_factory=list)
    heading_ids: dict[str, str] = field(default_factory=dict)  # nbconvert id -> page id
    body: markupsafe.Markup = field(default_factory=markupsafe.Markup)
    not_produced: list[str] = field(default_factory=list)
    findings: list[Tag] = field(default_factory=list)  # outputs of the Findings cell
    files: list[Tag] = field(default_factory=list)  # outputs of the "files written" cell


def default_title(lang: str = "en", meta=None) -> str:
    """The report's title in ``lang`` (``"en"`` or ``"zh"``) for the county of ``meta``
    (a :class:`helpers.data.metadata.ClaimsMeta`); without ``meta``, a title naming no county.
    """
    labels = LABELS[_check_lang(lang)]
    if meta is None:
        return labels["title_generic"]
    return labels["title"].format(county=meta.county_name(lang))


def subtitle(lang: str, meta) -> str:
    """The line under the title: the primary source, the place, the reporting date, and
    whether the county is fictional (empty without ``meta``)."""
    if meta is None:
        return ""
    labels = LABELS[_check_lang(lang)]
    text = labels["subtitle"].format(source=meta.primary.title(lang) or meta.primary.id,
                                     place=meta.place(lang),
                                     date=meta.reporting_date.isoformat())
    if meta.fictional:
        text += (" " if lang == "en" else "") + labels["fictional"]
    return text


def not_produced_lines(entries, lang: str = "en") -> list[str]:
    """One sentence per output a notebook did not produce, in ``lang``.

    ``entries`` are mappings with ``kind`` (``figure`` or ``table``), ``caption``,
    ``files`` (paths under the run folder) and ``reason``.
    """
    labels = LABELS[_check_lang(lang)]
    lines = []
    for entry in entries:
        kind = entry.get("kind", "table")
        if kind not in ("figure", "table"):
            raise ValueError(f"not produced output of kind {kind!r}; expected figure or table")
        lines.append(labels[f"not_produced_{kind}"].format(
            caption=entry.get("caption", ""), reason=entry.get("reason", ""),
            files=labels["list_sep"].join(entry.get("files", ()))))
    return lines


def build_report(notebooks: Sequence[Path], target: Path, *, title: str | None = None,
                 show_code: bool = False, lang: str = "en", meta=None,
                 not_produced: Mapping[str, Sequence[Mapping]] | None = None,
                 provenance: Mapping | bool | None = None,
                 captions: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
                 cache: Path | _Default | None = DEFAULT_CACHE) -> Path:
    """Write one self-contained HTML page made of ``notebooks`` to ``target``; return ``target``.

    ``notebooks`` are executed ``.ipynb`` files, in reading order.  ``meta`` is
    the claims' metadata (:func:`helpers.data.metadata.load_metadata`): it names the
    county in the title and the line under it.  ``title`` defaults to
    :func:`default_title` of ``lang`` and ``meta``; ``lang`` also sets the
    page's own words ("Contents" or "目录").  ``not_produced`` maps a notebook's
    file stem (``00_overview``) to the declared outputs it did not produce (see
    :func:`not_produced_lines`), listed at the end of its section.
    ``provenance`` fills the "About this report" block at the top (see
    :func:`collect_provenance`, which gathers it when ``provenance`` is None;
    ``False`` leaves the block out).  ``captions`` maps a notebook stem to
    ``{"figures": {name: caption}, "tables": {name: caption}}`` (default: from
    ``notebooks/pipeline.yaml``): a figure or table a notebook writes with
    ``nb.figure("name", …)`` / ``nb.table(…, "name")`` and shows in the same cell is
    numbered across the page and captioned, the caption also being the image's alt
    text.  The output of each notebook's *Findings* cell is repeated in a summary
    at the top; the "files written" list of each notebook moves to an appendix.
    ``show_code`` adds the code cells' source, highlighted.  ``target``'s folder
    is created if needed and the file is replaced atomically.  The same
    notebooks give a byte-identical file.

    A figure a notebook of a run folder (``<run>/notebooks/``) wrote with
    ``nb.figure`` (or ``nb.save``) is embedded from the file written (``<run>/figures/``,
    SVG when there is one, else PNG: see :func:`figure_file`) rather than from the
    notebook's inline image.
    ``cache`` is the folder where rendered sections and font subsets are kept between
    builds (default: the project's :attr:`helpers.paths.ProjectPaths.report_cache`;
    ``None``: nothing kept); a kept section or font gives the same bytes as a fresh one.

    Raises :class:`ValueError` for a bad argument, :class:`FileNotFoundError`
    for a missing notebook and :class:`ReportError` when the page cannot be
    self-contained (an image that is neither embedded nor a readable local file).
    """
    lang = _check_lang(lang)
    paths = [Path(p) for p in notebooks]
    if not paths:
        raise ValueError("build_report needs at least one notebook")
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"notebook not found: {path}")
    target = Path(target)
    labels = LABELS[lang]
    title = default_title(lang, meta) if title is None else str(title)
    not_produced = dict(not_produced or {})
    unknown = sorted(set(not_produced) - {p.stem for p in paths})
    if unknown:
        raise ValueError(f"not_produced names notebooks not in the report: {', '.join(unknown)}")

    if provenance is None:
        provenance = collect_provenance(paths)
    captions = _pipeline_captions(lang) if captions is None else captions

    cache = get_report_cache() if isinstance(cache, _Default) else cache
    read = [_read_notebook(path) for path in paths]
    digests = [_render_digest(notebook, show_code) for notebook in read]
    page_key = None if cache is None else _page_key(
        paths, read, digests, show_code=show_code, lang=lang, title=title,
        subtitle=subtitle(lang, meta), provenance=provenance, captions=captions,
        not_produced=not_produced)
    if page_key is not None:
        kept = filecache.get(cache, "pages", page_key, ".html")
        if kept is not None:
            filecache.write_atomic(target, kept)
            return target
    exporter = functools.cache(lambda: _exporter(show_code))  # not even imported if unused
    used_ids = {"top", "contents", "about", "summary", "appendix"}
    sections = []
    counters = {"figure": 0, "table": 0}
    for path, notebook, digest in zip(paths, read, digests, strict=True):
        section_id = _unique_id(f"nb-{_slug(path.stem)}", used_ids)
        cells = notebook["cells"]
        body = _section_html(exporter, path, digest, cells, lang, show_code, cache)
        section = _Section(path=path, id=section_id, soup=BeautifulSoup(body, "html.parser"))
        _tidy(section, labels, used_ids)
        _annotate(section, captions.get(path.stem, {}), labels, counters, used_ids, lang,
                  cells)
        _fit_tables(section.soup)
        section.not_produced = not_produced_lines(not_produced.get(path.stem, ()), lang)
        sections.append(section)
    _rewrite_links(sections, used_ids)
    for section in sections:
        section.body = markupsafe.Markup(str(section.soup).strip())
    summary = [(s, _copy_markup(s.findings)) for s in sections if s.findings]
    appendix = [(s, _copy_markup(s.files)) for s in sections if s.files]

    page = {"html_lang": HTML_LANG[lang], "title": title, "labels": labels,
            "subtitle": subtitle(lang, meta), "sections": sections,
            "about": _about_rows(provenance, labels) if provenance else [],
            "summary": summary, "appendix": appendix}
    css = _CSS.replace("{CJK}", CJK_FAMILY) + (_pygments_css() if show_code else "")
    # The font is reduced to the characters of the page: the page is rendered once with a
    # mark where its CSS goes, read (its text, its offline check), and the mark replaced.
    draft = _PAGE.render(css=markupsafe.Markup(_CSS_MARK), **page)
    if draft.count(_CSS_MARK) != 1:  # the mark is also page text: render the page twice
        draft = _PAGE.render(css=markupsafe.Markup(css), **page)
        css = _font_face_css(_page_text(BeautifulSoup(draft, "html.parser")), cache) + css
        text = _PAGE.render(css=markupsafe.Markup(css), **page)
        _check_offline(BeautifulSoup(text, "html.parser"))
    else:
        soup = BeautifulSoup(draft, "html.parser")
        _check_offline(soup, own_css=_CSS_MARK)  # all but the page's own CSS, checked below
        css = _font_face_css(_page_text(soup), cache) + css
        _check_css(css)
        text = draft.replace(_CSS_MARK, css)
    data = text.encode("utf-8")
    filecache.write_atomic(target, data)
    if page_key is not None:
        filecache.put(cache, "pages", page_key, ".html", data, keep=PAGE_CACHE_KEEP)
    return target


def _page_key(paths: Sequence[Path], notebooks: Sequence[Mapping], digests: Sequence[str], *,
              show_code: bool, lang: str, title: str, subtitle: str, provenance,
              captions, not_produced) -> str | None:
    """The cache key of a whole page: everything :func:`build_report` reads, so a kept
    page is the bytes a build would write; None when the page may show a file the key
    cannot cover (an image a notebook's markdown or HTML names).

    Per notebook: its file name, where it is (a run folder's ``notebooks/`` or not), its
    :func:`_render_digest` (all but hidden code), what :func:`_annotate` reads of the
    hidden code (calls of ``nb.figure``, ``nb.save``, ``nb.table``, ``.outputs()``) and the
    sha256 of the figure files of its number in the run folder (:func:`figure_file`); then
    the page's words, provenance, captions, outputs not produced, this module's code and
    packages (:func:`_code_key`) and the CJK font file the page embeds a subset of.
    """
    from helpers.display.fonts import cjk_font_path

    parts = []
    for path, notebook, digest in zip(paths, notebooks, digests, strict=True):
        cells = notebook["cells"]
        if _embeds_files(cells) or any(
                "<img" in _text(output.get("data", {}).get("text/html", "")).lower()
                for cell in cells for output in cell.get("outputs", ())):
            return None
        code = [] if show_code else [
            (bool(_FILES_RE.search(source)), _SAVE_RE.findall(source),
             _TABLE_RE.findall(source))
            for cell in cells if cell.get("cell_type") == "code"
            for source in [_text(cell.get("source", ""))]]
        figures = {}
        in_run = path.parent.name == "notebooks"
        if in_run:
            folder = path.parent.parent / "figures"
            for file in sorted(folder.glob(f"{path.stem[:2]}_*")) if folder.is_dir() else ():
                if file.is_file():
                    figures[file.name] = _file_sha256(file)
        parts.append({"name": path.name, "in_run": in_run, "digest": digest, "code": code,
                      "figures": figures})
    font = cjk_font_path()
    stat = font.stat()
    page = {"notebooks": parts, "show_code": bool(show_code), "lang": lang, "title": title,
            "subtitle": subtitle, "provenance": provenance, "captions": captions,
            "not_produced": not_produced, "woff2": _can_write_woff2(),
            "font": [str(font), stat.st_size, stat.st_mtime_ns]}
    return _key("page", _code_key(),
                json.dumps(page, sort_keys=True, ensure_ascii=False, default=str))


def prepare_section(notebook: Path, *, lang: str = "en", show_code: bool = False,
                    cache: Path | _Default | None = DEFAULT_CACHE) -> bool:
    """Render the section of one executed notebook into ``cache`` ahead of
    :func:`build_report`, which then finds it kept; return whether it is kept.

    The batch runner calls it as each notebook finishes, while others still run, so
    that the report left after the last one only assembles the page.  Writes nothing
    but the cache; a notebook whose section is never kept (its markdown shows an image
    file, or ``cache`` is None) is not rendered.  The page :func:`build_report` writes
    is the same bytes whether or not this ran.
    """
    lang = _check_lang(lang)
    cache = get_report_cache() if isinstance(cache, _Default) else cache
    path = Path(notebook)
    notebook_data = _read_notebook(path)
    cells = notebook_data["cells"]
    if cache is None or _embeds_files(cells):
        return False
    _section_html(functools.partial(_exporter, show_code), path,
                  _render_digest(notebook_data, show_code), cells, lang, show_code, cache)
    return True


# -- provenance: where the page came from ------------------------------------------------

#: The run record beside the report, linked from its header (the only link out of the page).
MANIFEST = "manifest.json"


def collect_provenance(notebooks: Sequence[Path]) -> dict:
    """What the report's header says about where it came from.

    ``date`` and ``date_source``: the UTC date of ``SOURCE_DATE_EPOCH`` when it is
    set, else the committer date of ``HEAD`` (``"commit"``), so that two runs of
    the same inputs give the same bytes; the run's own start and end times are in
    ``manifest.json``, which the header links.  ``git``: commit and whether the
    tree had uncommitted changes.  ``parameters``: those injected into the first
    notebook (its ``injected-parameters`` cell, else its ``parameters`` cell).
    ``claims``: the claims file and its metadata sidecar, each with its sha256.
    ``python`` and ``packages``: versions of the interpreter and the key packages
    (:data:`helpers.batch.runner.KEY_PACKAGES`) the page was built with.
    """
    import platform
    from datetime import UTC, datetime
    from importlib import metadata

    from helpers.batch.runfolder import sha256_file, shown_path
    from helpers.batch.runner import KEY_PACKAGES
    from helpers.paths import get_paths

    root = get_paths().root
    git = _git_state(root)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        date, source = datetime.fromtimestamp(int(epoch), UTC).date().isoformat(), "epoch"
    else:
        date, source = _git_output(root, "log", "-1", "--format=%cd",
                                   "--date=format-local:%Y-%m-%d"), "commit"
    params = _notebook_parameters(notebooks[0]) if notebooks else {}
    claims = []
    if isinstance(params.get("claims_path"), str):
        file = get_paths().resolve(params["claims_path"])
        for f in (file, file.with_name(f"{file.stem}.meta.yaml")):
            if f.is_file():
                claims.append((shown_path(f), sha256_file(f)))
        params = {**params, "claims_path": shown_path(file)}
    params.pop("output_dir", None)  # the folder the report is in (a staging name while it runs)
    packages = {}
    for name in KEY_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            packages[name] = metadata.version(name)
    return {"date": date or None, "date_source": source if date else None, "git": git,
            "parameters": params, "claims": claims, "python": platform.python_version(),
            "packages": packages, "manifest": MANIFEST}


def _git_output(root: Path, *args: str) -> str:
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              check=True, env={**os.environ, "TZ": "UTC"})
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


def _git_state(root: Path) -> dict:
    commit = _git_output(root, "rev-parse", "HEAD")
    if not commit:
        return {"commit": "unknown", "dirty": None}
    return {"commit": commit, "dirty": bool(_git_output(root, "status", "--porcelain"))}


def _notebook_parameters(path: Path) -> dict:
    """The literal assignments of a notebook's injected-parameters (else parameters) cell."""
    import ast
    import json

    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return {}
    for tag in ("injected-parameters", "parameters"):
        for cell in cells:
            if tag in cell.get("metadata", {}).get("tags", []):
                params = {}
                with contextlib.suppress(SyntaxError):
                    for node in ast.parse(_text(cell.get("source", ""))).body:
                        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                                and isinstance(node.targets[0], ast.Name):
                            with contextlib.suppress(ValueError):
                                params[node.targets[0].id] = ast.literal_eval(node.value)
                return params
    return {}


def _about_rows(prov: Mapping, labels: dict[str, str]) -> list[tuple[str, markupsafe.Markup]]:
    """(term, value) rows of the header block, values already escaped."""
    esc = markupsafe.escape
    rows = []
    date = prov.get("date")
    shown = (labels["date_epoch" if prov.get("date_source") == "epoch" else "date_commit"]
             .format(date=date) if date else labels["date_none"])
    rows.append((labels["date"], esc(shown)))
    git = prov.get("git") or {}
    commit = git.get("commit", "unknown")
    if git.get("dirty") is not None:
        commit = labels["dirty" if git["dirty"] else "clean"].format(commit=commit)
    rows.append((labels["commit"], markupsafe.Markup("<code>{}</code>").format(commit)))
    params = prov.get("parameters") or {}
    if params:
        rows.append((labels["parameters"], markupsafe.Markup(", ").join(
            markupsafe.Markup("<code>{}={}</code>").format(k, _shown_value(v))
            for k, v in params.items())))
    claims = prov.get("claims") or ()
    if claims:
        rows.append((labels["claims_files"], markupsafe.Markup("<br>").join(
            markupsafe.Markup('<code>{}</code> <code class="hash">{}</code>').format(p, d)
            for p, d in claims)))
    if prov.get("python"):
        rows.append((labels["python"], esc(prov["python"])))
    packages = prov.get("packages") or {}
    if packages:
        rows.append((labels["packages"], esc(", ".join(f"{k} {v}" for k, v in packages.items()))))
    if prov.get("manifest"):
        rows.append((labels["record"], markupsafe.Markup('<a href="{}">{}</a>').format(
            prov["manifest"], labels["record_text"])))
    return rows


def _shown_value(value) -> str:
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    return str(value)


def _pipeline_captions(lang: str = "en") -> dict:
    """Captions in ``lang`` of notebooks/pipeline.yaml by notebook stem ({} when unreadable)."""
    from helpers.batch.pipeline import PipelineError, load_pipeline

    try:
        pipeline = load_pipeline()
    except (PipelineError, OSError):
        return {}
    return {spec.name: {kind: {name: spec.caption(kind, name, lang)
                               for name in getattr(spec, kind)}
                        for kind in ("figures", "tables")}
            for spec in (*pipeline.notebooks, *pipeline.batch_notebooks)}


def language_cells(cells: Sequence, lang: str) -> list:
    """The cells a page in ``lang`` shows: those tagged ``lang-<lang>`` and untagged ones.

    A cell tagged with another language's tag (``lang-zh`` in an English page) is left out.
    """
    others = {tag for code, tag in LANG_TAGS.items() if code != lang}
    return [c for c in cells if not others & set(c.get("metadata", {}).get("tags", ()))]


# -- figures, tables, findings, files -----------------------------------------------------

#: A figure a cell writes: ``nb.figure("name", draw, …)`` or ``nb.save(fig, "name")``.
_SAVE_RE = re.compile(r"""\bnb\.(?:figure\(\s*|save\([^\n]*?(?=["']\w+["']\s*\)))["'](\w+)["']""")
_TABLE_RE = re.compile(r"""\bnb\.table\([^\n]*?["'](\w+)["']\s*\)""")
_FINDINGS_RE = re.compile(r"^\s*#{1,6}\s*(findings|主要发现|发现|结论)\b", re.IGNORECASE)
_FILES_RE = re.compile(r"\.outputs\(\)")


def _annotate(section: _Section, captions: Mapping, labels: dict[str, str],
              counters: dict[str, int], used_ids: set[str], lang: str = "en",
              notebook_cells: Sequence | None = None) -> None:
    """Number and caption figures and tables; collect the Findings and the files written.

    Cells of the rendered page are matched to the notebook's cells one for one (the
    ``lab`` template writes one ``jp-Cell`` per cell); if they do not match, only
    nothing is numbered.  ``notebook_cells`` are the notebook's cells (read from
    ``section.path`` when not given).  A figure written by ``nb.figure`` is embedded from
    its file when the run folder has it (:func:`figure_file`).
    """
    if notebook_cells is None:
        notebook_cells = _notebook_cells(section.path)
    cells = section.soup.find_all("div", class_="jp-Cell")
    nb_cells = language_cells(notebook_cells, lang)
    if len(cells) != len(nb_cells):
        return
    in_findings = False
    for i, (cell, div) in enumerate(zip(nb_cells, cells, strict=True)):
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            in_findings = bool(_FINDINGS_RE.match(source))
            continue
        if cell.get("cell_type") != "code":
            continue
        outputs = div.select(".jp-OutputArea-output")
        if _FILES_RE.search(source) and not _SAVE_RE.search(source):
            section.files = [copy.copy(o) for o in outputs]
            previous = _text(nb_cells[i - 1].get("source", "")) if i else None
            if previous is not None and nb_cells[i - 1].get("cell_type") == "markdown" \
                    and len(previous) < 120 and previous.rstrip().endswith((":", "：")):
                cells[i - 1].decompose()
            div.decompose()
            continue
        if in_findings:
            section.findings += [copy.copy(o) for o in outputs]
        figures = _SAVE_RE.findall(source)
        images = div.select(".jp-OutputArea-output img")
        if figures and len(figures) == len(images):
            for name, img in zip(figures, images, strict=True):
                written = figure_file(section.path, name)
                if written is not None:
                    img["src"] = _data_uri(written.read_bytes(), _FIGURE_MIME[written.suffix])
                _caption(img, "figure", captions.get("figures", {}).get(name), labels,
                         counters, used_ids)
        tables = _TABLE_RE.findall(source)
        shown = [t for t in div.select(".jp-OutputArea-output table")
                 if not t.find_parent("table")]
        if tables and len(tables) == len(shown):
            for name, table in zip(tables, shown, strict=True):
                _caption(table, "table", captions.get("tables", {}).get(name), labels,
                         counters, used_ids)


def _caption(element: Tag, kind: str, caption: str | None, labels: dict[str, str],
             counters: dict[str, int], used_ids: set[str]) -> None:
    """Wrap ``element`` (an img or a table) in a numbered <figure> with a <figcaption>."""
    counters[kind] += 1
    n = counters[kind]
    soup = BeautifulSoup("", "html.parser")
    figure = soup.new_tag("figure", attrs={"class": f"report-{kind}",
                                           "id": _unique_id(f"{kind}-{n}", used_ids)})
    figcaption = soup.new_tag("figcaption")
    number = soup.new_tag("strong")
    number.string = labels[f"{kind}_n"].format(n=n)
    figcaption.append(number)
    if caption:
        figcaption.append(NavigableString(" " + caption))
    element.wrap(figure)
    if kind == "figure":
        figure.append(figcaption)
        element["alt"] = caption or f"{labels[f'{kind}_n'].format(n=n)}"
    else:
        figure.insert(0, figcaption)


#: Characters after which a long id or path in a table cell may wrap (";" between ids,
#: "." and "_" inside an id before a letter, "/" in a path).
_WRAP_RE = re.compile(r"(?<=[;/,])(?=\S)|(?<=[._])(?=[A-Za-z])")
_LONG_CELL = 40


def _fit_tables(soup: BeautifulSoup) -> None:
    """Make tables fit the text column: wrap points in long ids, scroll boxes, wide text cells.

    Every table is put in a ``div.table-scroll`` (it scrolls inside that box, never the
    page); in a cell, a word longer than 12 characters gets ``<wbr>`` after ``;``, ``/``,
    ``,`` and after ``.`` or ``_`` before a letter; a cell of more than 40 characters gets
    the class ``long`` (a minimum width, so prose is not squeezed by its neighbours).
    """
    for table in soup.find_all("table"):
        if table.find_parent("table"):
            continue
        parent = table.parent
        if not (parent is not None and "table-scroll" in (parent.get("class") or [])):
            box = soup.new_tag("div", attrs={"class": "table-scroll"})
            table.wrap(box)
        for cell in table.find_all(("td", "th")):
            if len(cell.get_text()) > _LONG_CELL:
                cell["class"] = [*(cell.get("class") or []), "long"]
            for text in list(cell.find_all(string=True)):
                if isinstance(text.parent, Tag) and text.parent.name in ("code", "pre"):
                    continue
                _insert_wbr(soup, text)


def _insert_wbr(soup: BeautifulSoup, text: NavigableString) -> None:
    if not any(len(word) > 12 and _WRAP_RE.search(word) for word in str(text).split()):
        return
    parts = _WRAP_RE.split(str(text))
    if len(parts) < 2:
        return
    nodes = []
    for k, part in enumerate(parts):
        if k:
            nodes.append(soup.new_tag("wbr"))
        nodes.append(NavigableString(part))
    first = nodes[0]
    text.replace_with(first)
    for node in nodes[1:]:
        first.insert_after(node)
        first = node


def _copy_markup(elements: Sequence[Tag]) -> markupsafe.Markup:
    """A copy of ``elements`` to show a second time: no ids, no anchor links, h1–h3 made h4."""
    soup = BeautifulSoup("".join(str(e) for e in elements), "html.parser")
    for anchor in soup.select("a.anchor-link"):
        anchor.decompose()
    for element in soup.find_all(True):
        element.attrs.pop("id", None)
        if element.name in ("h1", "h2", "h3"):
            element.name = "h4"
    _fit_tables(soup)
    return markupsafe.Markup(str(soup).strip())


# -- arguments and ids --------------------------------------------------------------------

def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}, got {lang!r}")
    return lang


def _slug(text: str) -> str:
    """An id fragment from ``text``: letters (any script), digits, ``_`` and ``-``."""
    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"[^\w-]+", "-", text).strip("-") or "section"


def _unique_id(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


# -- rendering one notebook ---------------------------------------------------------------

def _read_notebook(path: Path) -> dict:
    """Notebook ``path`` as plain mappings (``cells``, ``metadata``, ...); nbformat is
    imported only to convert a notebook older than version 4."""
    data = json.loads(Path(path).read_bytes())
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        import nbformat

        return nbformat.read(path, as_version=4)
    data.setdefault("cells", [])
    return data


def _notebook_cells(path: Path) -> list:
    """The cells of notebook ``path``, as plain mappings."""
    return list(_read_notebook(path)["cells"])


def _render_digest(notebook: Mapping, show_code: bool) -> str:
    """The sha256 of what a section rendered from ``notebook`` depends on: the whole
    notebook, except the source and id of code cells when code is not shown (their
    outputs and tags stay in), so a notebook rerun with the same outputs is the same
    section: its parameters cell names another staging folder and has a new random id
    (papermill's injected cell), and a code cell's id only ever reaches the page as the
    id of the cell's ``<div>``, which :func:`_tidy` drops."""
    if not show_code:
        notebook = {**notebook, "cells": [
            {k: v for k, v in cell.items() if k not in ("source", "id")}
            if cell.get("cell_type") == "code" else cell for cell in notebook["cells"]]}
    text = json.dumps(notebook, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# An image in markdown: nbconvert embeds the file it names (not in the notebook's bytes).
_MD_IMAGE_RE = re.compile(r"!\[|<img\b", re.IGNORECASE)


def _embeds_files(cells: Sequence) -> bool:
    """Whether rendering ``cells`` may read a file beside the notebook (a markdown image)."""
    for cell in cells:
        if cell.get("cell_type") in ("markdown", "raw"):
            if _MD_IMAGE_RE.search(_text(cell.get("source", ""))):
                return True
        for output in cell.get("outputs", ()):
            markdown = output.get("data", {}).get("text/markdown")
            if markdown is not None and _MD_IMAGE_RE.search(_text(markdown)):
                return True
    return False


def _section_html(exporter, path: Path, digest: str, cells: Sequence, lang: str,
                  show_code: bool, cache: Path | None) -> str:
    """The sanitized HTML of the cells in ``lang`` of notebook ``path`` (:func:`_render`,
    then :func:`_sanitize`); ``exporter()`` gives the nbconvert exporter, made only when
    needed.

    Kept in ``cache/sections/`` under ``digest`` (:func:`_render_digest` of the
    notebook), its file name, ``lang``, ``show_code`` and :func:`_code_key` (this module's
    source, the versions of nbconvert, bleach, ...); a notebook whose markdown shows an
    image file is rendered every time (the file is not part of the key).
    """
    key = None
    if cache is not None and not _embeds_files(cells):
        key = _key("section", _code_key(), lang, str(bool(show_code)), path.name, digest)
        kept = filecache.get(cache, "sections", key, ".html")
        if kept is not None:
            with contextlib.suppress(UnicodeDecodeError):
                return kept.decode("utf-8")
    body = _sanitize(_render(exporter(), path, lang))
    if key is not None:
        filecache.put(cache, "sections", key, ".html", body.encode("utf-8"), keep=CACHE_KEEP)
    return body


#: Formats of a figure file embedded in place of the notebook's inline image, best first:
#: SVG (sharp at any zoom and in print; percent-encoded, smaller than the PNG in base64),
#: then PNG.
FIGURE_FILE_FORMATS = ("svg", "png")
_FIGURE_MIME = {".svg": "image/svg+xml", ".png": "image/png"}

# Characters left as they are in an SVG data: URI (letters, digits and "_.-~" always are);
# every other one is percent-encoded ('"', '#', '%', '<', '>', '&', '?', line ends, non-ASCII).
_SVG_URI_SAFE = " /:;=,'()!*+$@"


def figure_file(notebook: Path, name: str) -> Path | None:
    """The file figure ``name`` of ``notebook`` was written to (``nb.figure(name, …)``), or
    None: for a notebook in a run folder (``<run>/notebooks/NN_x.ipynb``),
    ``<run>/figures/NN_<name>.svg``, else ``.png``, whichever exists first."""
    notebook = Path(notebook)
    if notebook.parent.name != "notebooks":
        return None
    for fmt in FIGURE_FILE_FORMATS:
        file = notebook.parent.parent / "figures" / f"{notebook.stem[:2]}_{name}.{fmt}"
        if file.is_file():
            return file
    return None


def _data_uri(data: bytes, mime: str) -> str:
    """A ``data:`` URI of ``data``: SVG percent-encoded (a third smaller than base64),
    anything else in base64.

    >>> _data_uri(b'<svg a="#1">\\n', "image/svg+xml")
    'data:image/svg+xml,%3Csvg a=%22%231%22%3E%0A'
    """
    if mime == "image/svg+xml":
        return "data:image/svg+xml," + quote_from_bytes(data, safe=_SVG_URI_SAFE)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# -- the cache: sections and fonts kept between builds --------------------------------------

def get_report_cache() -> Path:
    """The project's folder for the report's kept sections and fonts."""
    from helpers.paths import get_paths

    return get_paths().report_cache


@functools.cache
def _code_key() -> str:
    """The sha256 of this module's source, the Python version and the versions of
    :data:`CACHE_PACKAGES`: what, besides its inputs, a kept result depends on."""
    import platform
    from importlib import metadata

    parts = [hashlib.sha256(Path(__file__).read_bytes()).hexdigest(), platform.python_version()]
    for name in CACHE_PACKAGES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    return _key(*parts)


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    stat = Path(path).stat()
    return _sha256_of(str(path), stat.st_size, stat.st_mtime_ns)


@functools.cache
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:  # size, mtime: the cache's key
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _exporter(show_code: bool):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.NbConvertBase.display_data_priority = list(_DISPLAY_PRIORITY)
    return HTMLExporter(
        config=config,
        template_name="lab",
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        mathjax_url="",  # no CDN URLs even in the template's <head>, which is dropped anyway
        require_js_url="",
        log=_NbconvertLog(logging.getLogger(f"{__name__}.nbconvert"), {}),
    )


class _NbconvertLog(logging.LoggerAdapter):
    """nbconvert's log minus its note on images without alt text (the report adds one)."""

    def log(self, level, msg, *args, **kwargs):
        if not str(msg).startswith("Alternative text is missing"):
            super().log(level, msg, *args, **kwargs)


def _render(exporter, path: Path, lang: str = "en") -> str:
    """The HTML of the cells of notebook ``path`` in ``lang`` (the lab template's <main>)."""
    import nbformat  # imported here: importing it takes a second (jsonschema formats)

    nb = nbformat.read(path, as_version=4)
    nb.cells = language_cells(nb.cells, lang)
    nb = _defuse_notebook(nb)
    resources = {"metadata": {"path": str(path.parent), "name": path.stem}}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    soup = BeautifulSoup(page, "html.parser")
    main = soup.find("main") or soup.body or soup
    return main.decode_contents()


def _defuse_notebook(nb):
    """A copy of ``nb`` whose raw HTML (markdown, text/markdown, text/html) is defused."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _defuse(cell.source, markdown=True)
        elif cell.cell_type == "raw":
            cell.source = _defuse(cell.source)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/markdown" in data:
                    data["text/markdown"] = _defuse(_text(data["text/markdown"]), markdown=True)
                if "text/html" in data:
                    data["text/html"] = _defuse(_text(data["text/html"]))
    return nb


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _defuse(text: str, *, markdown: bool = False) -> str:
    """Escape the raw HTML tags of ``text`` that must not be live, keeping them visible.

    A tag is escaped (shown as the literal text it was) when its name is not in
    :data:`ALLOWED_TAGS` or when it carries an event handler or a script URL; the
    end tag of an escaped element is escaped too.  Everything else is left exactly
    as it was.  With ``markdown``, code blocks and code spans are skipped.  This
    keeps hostile markup readable; :func:`_sanitize` is what guarantees safety.
    """
    if not markdown:
        return _defuse_html(text)
    out, pos = [], 0
    for match in _MD_CODE_RE.finditer(text):
        out.append(_defuse_html(text[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_defuse_html(text[pos:]))
    return "".join(out)


def _defuse_html(text: str) -> str:
    out, pos = [], 0
    stack: list[tuple[str, bool]] = []  # open elements: (name, escaped)
    for match in _TAG_RE.finditer(text):
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            escaped = name not in ALLOWED_TAGS
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    escaped = escaped or stack[i][1]
                    del stack[i:]
                    break
        else:
            escaped = name not in ALLOWED_TAGS or _hostile(name, rest)
            if name not in _VOID_TAGS and not rest.rstrip().endswith("/"):
                stack.append((name, escaped))
        if escaped:
            out.append(text[pos:match.start()])
            out.append(html.escape(match.group(0), quote=False))
            pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _hostile(tag: str, attributes: str) -> bool:
    """Whether a start tag's attributes could run code (event handler, script URL)."""
    for match in _ATTR_RE.finditer(attributes):
        name = match.group(1).lower()
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        if name.startswith("on") or name in {"srcdoc", "formaction"}:
            return True
        if name in _URL_ATTRS:
            url = re.sub(r"[\x00-\x20]+", "", html.unescape(value)).lower()
            scheme = _SCHEME_RE.match(url)
            if scheme and scheme.group(1) in {"javascript", "vbscript"}:
                return True
            if scheme and scheme.group(1) == "data" and not (
                    tag == "img" and name == "src" and url.startswith("data:image/")):
                return True
    return False


def _sanitize(fragment: str) -> str:
    """Keep only allowed tags and attributes (others escaped or dropped): :mod:`bleach`."""
    return _cleaner().clean(fragment)


@functools.cache
def _cleaner() -> bleach.Cleaner:
    from bleach.css_sanitizer import CSSSanitizer

    return bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                          protocols=_PROTOCOLS, strip=False, strip_comments=True,
                          css_sanitizer=CSSSanitizer(allowed_css_properties=ALLOWED_CSS))


# -- one section: ids, images, headings ---------------------------------------------------

def _tidy(section: _Section, labels: dict[str, str], used_ids: set[str]) -> None:
    """Give headings page-unique ids, drop other ids, inline images, collect the TOC.

    The section's first h1 names it in the TOC; its other h1–h3 are listed under it.
    """
    soup = section.soup
    for empty in soup.select("div.jp-Collapser"):
        empty.decompose()
    for element in soup.find_all(True):
        if element.name in _HEADINGS:
            continue
        element.attrs.pop("id", None)
    for img in soup.find_all("img"):
        _inline_image(img, section.path)
        if img.get("alt") == _NBCONVERT_ALT:
            img["alt"] = labels["figure"]
    for heading in soup.find_all(_HEADINGS):
        old = heading.get("id")
        text = _heading_text(heading)
        new = _unique_id(f"{section.id}--{_slug(text)}", used_ids)
        heading["id"] = new
        for anchor in heading.select("a.anchor-link"):
            anchor["href"] = "#" + new
        for key in {old, unquote(old)} if old else ():
            section.heading_ids.setdefault(key, new)
        if heading.name not in _TOC_LEVELS or not text:
            continue
        if heading.name == "h1" and not section.title:
            section.title = text
        else:
            section.toc.append((heading.name, new, text))
    if not section.title:
        section.title = section.path.stem


def _heading_text(heading: Tag) -> str:
    parts = [s for s in heading.find_all(string=True)
             if not (isinstance(s.parent, Tag) and "anchor-link" in s.parent.get("class", []))]
    return " ".join("".join(parts).split())


def _inline_image(img: Tag, notebook: Path) -> None:
    """Make ``img``'s src a ``data:`` URI (reading a local file) or raise :class:`ReportError`."""
    src = (img.get("src") or "").strip()
    if not src:
        img.decompose()
        return
    if src.lower().startswith("data:"):
        mime = src[5:].split(";", 1)[0].split(",", 1)[0].lower()
        if mime not in _IMAGE_TYPES:
            raise ReportError(f"{notebook.name}: image of type {mime!r} cannot be embedded")
        return
    parts = urlsplit(src)
    if parts.scheme.lower() not in ("", "file") or parts.netloc:
        raise ReportError(f"{notebook.name}: image {src!r} is not a local file; the report "
                          "must work offline, so embed the image in the notebook instead")
    file = Path(unquote(parts.path))
    if not file.is_absolute():
        file = notebook.parent / file
    mime = mimetypes.guess_type(file.name)[0]
    if mime not in _IMAGE_TYPES:
        raise ReportError(f"{notebook.name}: {src!r} is not an image type that can be embedded")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ReportError(f"{notebook.name}: image {src!r} cannot be inlined: "
                          f"{error.strerror or error} ({file})") from error
    img["src"] = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# -- links across the page ----------------------------------------------------------------

def _rewrite_links(sections: list[_Section], page_ids: set[str]) -> None:
    """Point links at ids of this page; turn every other link into plain text."""
    by_name = {s.path.name: s for s in sections}
    for section in sections:
        for a in section.soup.find_all("a"):
            href = (a.get("href") or "").strip()
            new = _internal_target(href, section, by_name, page_ids)
            if new is not None:
                a["href"] = "#" + new
                continue
            a.name = "span"
            a.attrs = {"class": ["link"]}
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto") and a.get_text().strip() != href:
                a.insert_after(NavigableString(" "))
                url = section.soup.new_tag("span", attrs={"class": "link-url"})
                url.string = f"({href})"
                a.next_sibling.insert_after(url)


def _internal_target(href: str, section: _Section, by_name: dict[str, _Section],
                     page_ids: set[str]) -> str | None:
    """The page id ``href`` designates, or None when it leads outside the page."""
    if not href:
        return None
    parts = urlsplit(href)
    fragment = unquote(parts.fragment)
    if not (parts.scheme or parts.netloc or parts.path or parts.query):
        target = section
    elif parts.scheme or parts.netloc or parts.query:
        return None
    else:
        target = by_name.get(Path(unquote(parts.path)).name)
        if target is None:
            return None
        if not fragment:
            return target.id
    if fragment in target.heading_ids:
        return target.heading_ids[fragment]
    if target is section and fragment in page_ids:
        return fragment
    return None


# -- fonts and styles ---------------------------------------------------------------------

def _pygments_css() -> str:
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(style="default")
    rules = formatter.get_background_style_defs(".highlight")
    rules += formatter.get_token_style_defs(".highlight")
    return "\n".join(rules) + "\n"


def _page_text(soup: BeautifulSoup) -> str:
    """All the characters a reader can see on a page: text, title and alt texts.

    ``soup`` is the parsed page; its ``<style>`` elements are removed.
    """
    for style in soup.find_all("style"):
        style.decompose()
    parts = [soup.get_text()]
    parts += [str(el.get(attr, "")) for attr in ("alt", "title")
              for el in soup.find_all(attrs={attr: True})]
    return "".join(parts)


#: Characters the embedded font draws; everything else falls to the Latin fonts after it.
#: (Listing the CJK face first, limited to these ranges, is what makes Chromium use it:
#: placed after the Latin fonts, some Chinese text fell back to boxes.)
CJK_RANGE = "U+2E80-9FFF,U+F900-FAFF,U+FE10-FE1F,U+FE30-FE4F,U+FF00-FFEF"


def _font_face_css(text: str, cache: Path | None = None) -> str:
    """An ``@font-face`` rule embedding the CJK font reduced to the characters of ``text``
    (kept in ``cache``: :func:`_cached_subset`)."""
    data, flavor = _cached_subset(text, cache)
    mime = {"woff2": "font/woff2", "woff": "font/woff"}[flavor]
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'@font-face{{font-family:"{CJK_FAMILY}";src:url({uri}) format("{flavor}");'
            f"font-weight:400;font-style:normal;font-display:block;unicode-range:{CJK_RANGE}}}\n")


def subset_cjk_font(characters: Iterable[str]) -> tuple[bytes, str]:
    """Return ``(font bytes, flavor)``: Noto Sans CJK SC reduced to ``characters``.

    ``flavor`` is ``"woff2"`` when fontTools can compress with Brotli, else
    ``"woff"``.  Hinting, OpenType layout features and vertical metrics are
    dropped (the font only draws horizontal Chinese text after a Latin font);
    the ``head`` timestamps are kept from the source font instead of being set
    to the current time, so the same characters give the same bytes.  This process
    keeps the last few subsets it made (by the characters and the font file's sha256):
    a batch of reports, or a report built again, reduces the font once.
    """
    from helpers.display.fonts import cjk_font_path

    codepoints = tuple(sorted({ord(c) for c in "".join(characters)}))
    font = cjk_font_path()
    return _subset(codepoints, str(font), _file_sha256(font), _can_write_woff2())


@functools.lru_cache(maxsize=8)
def _subset(codepoints: tuple[int, ...], font_path: str, font_sha256: str,
            woff2: bool) -> tuple[bytes, str]:  # the sha256 and flavor: the memo's key
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2" if woff2 else "woff"
    options.layout_features = []
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx"]  # vertical writing only
    options.hinting = False
    options.desubroutinize = True
    options.recalc_timestamp = False
    options.notdef_outline = True
    font = subset.load_font(font_path, options, lazy=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=list(codepoints))
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return buffer.getvalue(), options.flavor


def _cached_subset(characters: str, cache: Path | None) -> tuple[bytes, str]:
    """:func:`subset_cjk_font` of ``characters``, kept in ``cache/fonts/`` under the sha256
    of the sorted characters, the font file's sha256, the flavor and :func:`_code_key`
    (this module's source, fontTools' version)."""
    if cache is None:
        return subset_cjk_font(characters)
    from helpers.display.fonts import cjk_font_path

    flavor = "woff2" if _can_write_woff2() else "woff"
    key = _key("font", _code_key(), _file_sha256(cjk_font_path()), flavor,
               "".join(sorted(set(characters))))
    kept = filecache.get(cache, "fonts", key, f".{flavor}")
    if kept is not None:
        return kept, flavor
    data, flavor = subset_cjk_font(characters)
    filecache.put(cache, "fonts", key, f".{flavor}", data, keep=CACHE_KEEP)
    return data, flavor


def _can_write_woff2() -> bool:
    import importlib.util

    return any(importlib.util.find_spec(name) is not None for name in ("brotli", "brotlicffi"))


# -- final checks and writing -------------------------------------------------------------

def _check_offline(soup: BeautifulSoup, own_css: str | None = None) -> None:
    """Raise :class:`ReportError` if the parsed page has a script or loads anything from
    elsewhere.  ``own_css``: a text of the page's ``<style>`` left out of the check (the
    mark where the page's own CSS goes, checked on its own with :func:`_check_css`)."""
    for name in ("script", "link", "iframe", "object", "embed", "base"):
        if soup.find(name):
            raise ReportError(f"the report would contain a <{name}> element")
    for element in soup.find_all(True):
        for attr, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attr == "href" and not value.startswith("#") and value != MANIFEST:
                raise ReportError(f"the report would link outside itself: {value[:80]!r}")
            if attr in _URL_ATTRS - {"href"} and not value.startswith("data:"):
                raise ReportError(f"the report would load {value[:80]!r}")
            if attr == "style":
                _check_css(value)
    for style in soup.find_all("style"):
        css = style.get_text()
        _check_css(css.replace(own_css, "") if own_css else css)


def _check_css(css: str) -> None:
    if "@import" in css.lower():
        raise ReportError("the report's CSS would @import another stylesheet")
    for match in _CSS_URL_RE.finditer(css):
        if not match.group(2).strip().startswith("data:"):
            raise ReportError(f"the report's CSS would load {match.group(2)[:80]!r}")
