"""No code and no notebook prose names a county (issue 9, item 3).

The county comes from the claims file's metadata; the default data's county is data,
nothing more.  So no ``.py`` file under ``src/`` and no markdown cell of
``notebooks/*.ipynb`` may contain "Leiyang" (any case) or "耒阳".  Allowed: the
lowercase file-name fragments of the default data (``leiyang_claims``,
``leiyang_2020_article``, ``leiyang_exclusions``), the package and command name
(``leiyang-poverty``, ``leiyang_poverty``); in code, only the latter two.
"""

from __future__ import annotations

import json
import re

import pytest

#: Fragments that name files or the package, not the county (case-sensitive).
ALLOWED = re.compile(r"leiyang_claims|leiyang_2020_article|leiyang_exclusions|"
                     r"leiyang-poverty|leiyang_poverty")
COUNTY = re.compile(r"(?i)leiyang|耒阳")

#: In code only the package and command name.
ALLOWED_IN_CODE = re.compile(r"leiyang-poverty|leiyang_poverty")


def county_mentions(text: str, code: bool = False) -> list[tuple[int, str]]:
    """(line number, line) of each line naming the county outside the allowed fragments
    (in ``code``, the default data's file names are not allowed either)."""
    allowed = ALLOWED_IN_CODE if code else ALLOWED
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)
            if COUNTY.search(allowed.sub("", line))]


@pytest.mark.parametrize(("text", "found"), [
    ("title = f\"{nb.county}'s campaign\"", False),
    ("path = 'data/claims/leiyang_claims.csv'", False),
    ("see data/raw/leiyang_2020_article.txt and data/claims/leiyang_exclusions.csv", False),
    ("run `leiyang-poverty run`; import leiyang_poverty", False),
    ("ROOT_ENV = \"LEIYANG_PROJECT_ROOT\"", True),  # a setting's name is code too
    ("Leiyang's poverty-alleviation campaign", True),
    ("# the LEIYANG article", True),
    ("耒阳市34个省定贫困村", True),
    ("Leiyang_claims.csv", True),  # the fragments are allowed in lowercase only
    ("leiyang_claims and then leiyang again", True),
])
def test_county_mentions_matcher(text, found):
    assert bool(county_mentions(text)) is found


def test_no_module_under_src_names_the_county(paths):
    """Not even the default data's file names: the default claims path is data too
    (``defaults.claims_path`` of the pipeline file)."""
    hits = [f"{paths.relative(p)}:{n}: {line}"
            for p in sorted((paths.root / "src").rglob("*.py"))
            for n, line in county_mentions(p.read_text(encoding="utf-8"), code=True)]
    assert not hits, "modules naming the county:\n" + "\n".join(hits)


def test_no_notebook_markdown_names_the_county(paths):
    hits = []
    for nb in sorted((paths.root / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for k, cell in enumerate(cells):
            if cell["cell_type"] != "markdown":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) \
                else cell["source"]
            hits += [f"{paths.relative(nb)} cell {k}, line {n}: {line}"
                     for n, line in county_mentions(source)]
    assert not hits, "notebook markdown naming the county:\n" + "\n".join(hits)


def test_pipeline_captions_name_no_county(paths):
    """Captions go into every run's report, whichever county it is about."""
    text = (paths.notebooks / "pipeline.yaml").read_text(encoding="utf-8")
    hits = [f"pipeline.yaml:{n}: {line}" for n, line in county_mentions(text)]
    assert not hits, "pipeline captions naming the county:\n" + "\n".join(hits)
