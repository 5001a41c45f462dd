"""The report in the reader's language: how much of each report is in the other language.

The English (``--run default``) and the Chinese (``--run zh``) reports of the default
claims are those of the session's shared runs (``default_run`` and ``zh_run`` in
tests/conftest.py); each test reads the visible text of a report and counts its words by
language.

The rule (what is measured):

- the visible text is the page's ``<body>`` without ``<style>``, ``<script>``, ``<code>``
  (the code cells are not on the page; their printed output is), quotes (``<q>``,
  ``<blockquote>``, and the table columns that show the source's own text: headers with
  quote, passage, sentence, mention, printed, period, formula, term(s), "word in the",
  example(s), a column headed source(s) (citations of the sources), 引文, 原文, 句子, 段落,
  所印, 提法, 例子, 来源; see :data:`QUOTE_HEADERS`) and the package list of the header
  (software names); ``<wbr>`` wrap points are removed first so an id stays one token;
- ids, dotted names, file names and paths (a Latin token joined to another by ``.``,
  ``_``, ``/``: ``poverty.registered_persons``, ``figures/00_timeline.svg``) and file
  format names (svg, png, csv, ... in the appendix's type column) are dropped;
- English words are runs of two or more Latin letters; Chinese words are jieba's tokens
  of runs of CJK characters;
- in the English report, a Chinese run of at most 12 characters inside an English sentence
  (a paragraph, list item, cell or caption with more English than Chinese words) is a
  term cited from the source (the notebooks give the article's words beside their
  meaning: 以来 "since") and is not counted; in the Chinese report every English word
  counts.

The share of the other language's words in the prose (everything outside tables:
headings, paragraphs, lists, captions, the header, summary and appendix) is held at most
0.6%.  Measured 2026-11-30: English report 0.34% (names of policy formulas in findings that
list them, 四跟四走, 五化, ...), Chinese report 0.30% (``jieba``, ``TF-IDF``, ``Python``,
the source kind ``article`` and the metadata's reporting-date basis "July–September,
estimated").  Over the whole page, tables included, the share is held at most 1%
(measured: English 0.68%, Chinese 0.50%; before the audit's descriptions, the exclusion
reasons and the reference data's producers had Chinese versions, and before the columns
of the source's own text were counted as quotes: 2.67% and 5.06%).  What remains: in the
English report, audit details and findings that list the article's items (九大产业's eight
named industries, the formulas it spells out) in sentences where the Chinese outweighs the
English; in the Chinese report, the English column of notebook 02's industry table, the
notebook 01 targeting evidence's unit label (person), and the software names above.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

jieba = pytest.importorskip("jieba")

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
ID = re.compile(r"[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)+|[A-Za-z0-9]+_[A-Za-z0-9_]+")
BLOCKS = ("p", "li", "td", "th", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt")
LATIN = re.compile(r"[A-Za-z]{2,}")
#: Headers of table columns that show the source's own text (quotes, the mentions, periods,
#: formulas, industries and words as printed, its terms, the citations of its sources): not
#: counted, like quotes.
QUOTE_HEADERS = re.compile(
    r"quote|passage|sentence|mention|printed|period|formula|\bterms?\b|word in the|"
    r"examples?|^sources?$|引文|原文|句子|段落|所印|提法|例子|^来源$")
#: File formats (the appendix's type column): names, not words of either language.
FORMATS = re.compile(r"\b(?:svg|png|csv|json|html|ipynb|yaml|pdf)\b", re.I)
CITED_TERM = 12
PROSE_LIMIT = 0.006
PAGE_LIMIT = 0.01


@pytest.fixture(scope="module")
def reports(default_run, zh_run):
    """The reports of the session's ``default`` and ``zh`` runs (tests/conftest.py)."""
    pages = {}
    for lang, run in (("en", default_run), ("zh", zh_run)):
        assert run["result"].ok, run["result"].message
        pages[lang] = BeautifulSoup((run["run_dir"] / "report.html").read_text(
            encoding="utf-8"), "html.parser")
    return pages


def test_one_command_makes_both_reports(monkeypatch, capsys):
    """``run --run default --run zh``: one command starts the English and the Chinese run
    (the reports measured here are those two runs' reports)."""
    from helpers.batch import cli
    from helpers.batch.runner import RunError

    started = []

    class FakeRunner:
        def __init__(self, pipeline, name, *, params, report, **kwargs):
            started.append((name, params, report))

        def execute(self):
            raise RunError("stop")  # a batch goes on to the next run

    monkeypatch.setattr("helpers.batch.runner.Runner", FakeRunner)
    assert cli.main(["run", "--run", "default", "--run", "zh"]) == cli.EXIT_USAGE
    capsys.readouterr()
    assert started == [("default", {}, True), ("zh", {"lang": "zh"}, True)]


def visible(page: BeautifulSoup, *, tables: bool) -> BeautifulSoup:
    """The measured part of ``page`` (see the module's rule)."""
    body = str(page.body).replace("<wbr/>", "").replace("<wbr>", "")
    soup = BeautifulSoup(body, "html.parser")
    for tag in soup(["style", "script", "code", "q", "blockquote"]):
        tag.decompose()
    about = soup.select_one("section#about")
    if about is not None:
        for dd in about.find_all("dd"):
            if dd.find_previous_sibling("dt").get_text() in ("Packages", "软件包"):
                dd.decompose()
    for table in soup.find_all("table"):
        if not tables:
            table.decompose()
            continue
        heads = [th.get_text(" ", strip=True).lower()
                 for th in table.select("thead tr:last-child th")]
        columns = {i for i, head in enumerate(heads) if QUOTE_HEADERS.search(head)}
        for row in table.select("tbody tr") if columns else ():
            cells = row.find_all(["td", "th"])
            for i in columns:
                if i < len(cells):
                    cells[i].decompose()
    return soup


def words(text: str) -> tuple[list[str], list[str]]:
    """English and Chinese words of ``text`` (ids and file names dropped)."""
    text = FORMATS.sub(" ", ID.sub(" ", text))
    english = LATIN.findall(CJK.sub(" ", text))
    chinese = [w for run in CJK.findall(text) for w in jieba.lcut(run) if CJK.search(w)]
    return english, chinese


def shares(soup: BeautifulSoup, lang: str) -> tuple[float, list[str]]:
    """Share of the other language's words, and the words counted as such."""
    other, total = [], 0
    for node in soup.find_all(string=True):
        english, chinese = words(str(node))
        total += len(english) + len(chinese)
        if lang == "zh":
            other += english
        else:
            block = node.find_parent(BLOCKS)
            english, chinese = words(block.get_text(" ")) if block else (english, chinese)
            cited = len(english) > len(chinese)
            other += [w for run in CJK.findall(ID.sub(" ", str(node)))
                      if not (cited and len(run) <= CITED_TERM)
                      for w in jieba.lcut(run) if CJK.search(w)]
    return len(other) / max(total, 1), other


def test_words_helper():
    english, chinese = words("poverty.registered_persons 以来 since, see figures/00_a.svg")
    assert english == ["since", "see"] and chinese == ["以来"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_prose_is_in_the_reports_language(reports, lang):
    share, other = shares(visible(reports[lang], tables=False), lang)
    print(f"{lang}: prose share of the other language {share:.2%}: {sorted(set(other))[:40]}")
    assert share <= PROSE_LIMIT, sorted(set(other))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_whole_page_is_mostly_in_the_reports_language(reports, lang):
    share, other = shares(visible(reports[lang], tables=True), lang)
    print(f"{lang}: page share of the other language {share:.2%}")
    assert share <= PAGE_LIMIT, sorted(set(other))[:80]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_own_words_and_captions_in_the_reports_language(reports, lang):
    page = reports[lang]
    heading = page.select_one("nav#contents h2").get_text(strip=True)
    assert heading == {"en": "Contents", "zh": "目录"}[lang]
    captions = [c.get_text(" ", strip=True) for c in page.select("figcaption")]
    assert captions
    for caption in captions:
        english, chinese = words(caption)
        own, other = (english, chinese) if lang == "en" else (chinese, english)
        assert len(own) > len(other), caption
    first = {"en": "Figure 1.", "zh": "图1"}[lang]
    assert any(c.startswith(first) for c in captions)
    findings = [h.get_text(strip=True).rstrip("¶") for h in page.select("section.notebook h2")]
    assert ({"en": "Findings", "zh": "结论"}[lang]) in findings
    assert ({"zh": "Findings", "en": "结论"}[lang]) not in findings


def test_english_money_reads_million_yuan(reports):
    text = reports["en"].get_text(" ")
    assert "million yuan" in text
    assert "× 10,000 yuan" not in text
    assert "万元" in reports["zh"].get_text(" ")
