"""The HTML report in a real browser: headless Chromium with the network cut off.

Needs Debian's ``chromium`` package (``apt-get install chromium``; ``.ci/run``
installs it) and the ``playwright`` Python package (test extra) to drive it;
without a browser the test is skipped with a message saying how to enable it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat as nbf
import pytest

from helpers.batch.report import build_report
from helpers.data.metadata import load_metadata

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HOSTILE = ['<script>window.__pwned = 1</script>',
           '<img src=x onerror="window.__pwned = 2">']


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _png() -> str:
    import base64
    import io

    import matplotlib.pyplot as plt

    from helpers.display.plotting import apply_theme

    apply_theme("zh")
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.bar(["甲", "乙"], [1, 2])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _hostile_notebook(folder: Path) -> Path:
    nb = nbf.v4.new_notebook()
    md = nbf.v4.new_markdown_cell("## 数据中的引文 Quotes from the data\n\n" + HOSTILE[1])
    code = nbf.v4.new_code_cell("quotes")
    code.outputs = [
        nbf.v4.new_output("execute_result", {"text/plain": HOSTILE[0],
                                             "text/markdown": "- " + HOSTILE[1]},
                          execution_count=1),
        nbf.v4.new_output("display_data", {"text/html": f"<p>{HOSTILE[0]}</p>"}),
        nbf.v4.new_output("display_data", {"image/png": _png(), "text/plain": "<Figure>"}),
    ]
    nb.cells = [nbf.v4.new_markdown_cell("# 99 注入测试 Injection test"), md, code]
    path = folder / "99_injection.ipynb"
    nbf.write(nb, path)
    return path


@pytest.fixture(scope="module")
def report(paths, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    notebooks = sorted(paths.notebooks.glob("[0-9][0-9]_*.ipynb"))
    target = build_report([*notebooks, _hostile_notebook(folder)], folder / "report.html",
                          lang="zh", meta=load_metadata(paths.claims))
    return target, notebooks


def test_report_in_headless_chromium(report, paths):
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium: install Debian's chromium package (apt-get install chromium) "
                    "to run the browser test; .ci/run does this")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="pip install playwright (the test extra) to drive it")
    target, notebooks = report
    requests, failed, dialogs = [], [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})

        def guard(route):
            url = route.request.url
            requests.append(url)
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(target.as_uri(), wait_until="load")
        page.wait_for_timeout(300)

        external = [u for u in requests if not u.startswith(("file:", "data:"))]
        assert external == []
        assert failed == []
        images = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        assert images and all(w > 0 for w in images)
        text = page.inner_text("body")
        assert "目录" in text
        for nb in notebooks:
            title = nbf.read(nb, as_version=4).cells[0].source.splitlines()[0].lstrip("# ")
            assert title.split()[0] in text, title
        anchors = page.eval_on_selector_all(
            "nav a[href^='#'], a[href^='#']", "els => els.map(e => e.getAttribute('href'))")
        assert anchors
        missing = page.evaluate(
            "ids => ids.filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))",
            anchors)
        assert missing == []
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        for snippet in ("<script>window.__pwned = 1</script>", "onerror="):
            assert snippet in text  # shown as inert text
        shot = paths.outputs / ".test-artifacts" / "report-first-screen.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot))
        overflow = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(100)
            overflow[width] = page.evaluate(OVERFLOW_JS)
        browser.close()
    assert shot.stat().st_size > 0
    assert overflow == {w: {"page": False, "boxes": []} for w in WIDTHS}, overflow


#: Viewport widths the page must fit: a laptop and a phone.
WIDTHS = (1280, 390)

#: Tables (their scroll box), figures and images wider than the text column, and whether
#: the page itself scrolls sideways.
OVERFLOW_JS = """() => {
  const main = document.querySelector('main');
  const style = getComputedStyle(document.body);
  const right = document.body.getBoundingClientRect().right - parseFloat(style.paddingRight);
  const boxes = [...document.querySelectorAll(
      '.table-scroll, figure, img, table:not(.table-scroll table)')]
    .filter(e => e.getBoundingClientRect().right > right + 1)
    .map(e => e.tagName + '.' + e.className + ': ' +
         Math.round(e.getBoundingClientRect().right - right) + 'px');
  return {page: document.documentElement.scrollWidth > window.innerWidth + 1,
          boxes: boxes.slice(0, 10)};
}"""


def test_numbered_captions_and_header(report):
    """The page's header, summary, numbered captions (alt text) and appendix."""
    from bs4 import BeautifulSoup

    target, _ = report
    soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
    about = soup.select_one("#about")
    assert about is not None and about.select_one('a[href="manifest.json"]')
    assert "sha256" in about.get_text() and "claims_path=" in about.get_text()
    assert soup.select_one("#summary h3") is not None
    captions = [c.get_text(" ", strip=True) for c in soup.select("figure.report-figure figcaption")]
    assert captions and all(c.startswith(f"图{n} ") for n, c in enumerate(captions, 1))
    alts = [img.get("alt") for img in soup.select("figure.report-figure img")]
    assert all(a and a != "Figure" and a != "图" for a in alts)
    assert soup.select_one("#appendix table") is not None
