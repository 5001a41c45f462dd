"""A rerun draws only the figures whose inputs changed (helpers.display.figurecache), in
real kernels under the batch runner: the runner gives each notebook the salt of its figure
keys, ``--force`` draws every figure, and a reused figure is the bytes a new drawing
writes."""

from __future__ import annotations

import shutil
import textwrap
import uuid

import pytest
from pipeline_fixtures import copy_default_claims, make_claims_notebook, read_rows, write_rows

from helpers.batch.pipeline import load_pipeline
from helpers.batch.runner import Runner
from helpers.paths import get_paths

BODY = """\
import pathlib
import matplotlib.pyplot as plt
from helpers import notebook as nbh

nb = nbh.setup("01", lang="en", money_unit="auto", claims_path=claims_path,
               output_dir=output_dir, figure_formats=["svg", "png"])
print("salt" if nb.figure_salt else "no salt", "reuse" if nb.figure_reuse else "draw")

def bars(rows, title):
    with open(DRAWS, "a") as f:
        f.write(title + "\\n")
    fig, ax = plt.subplots()
    ax.bar(rows["id"], rows["value_base"])
    ax.set_title(title)
    return fig

for domain in ("poverty", "health"):
    rows = nb.claims.loc[nb.claims["id"].str.startswith(domain + "."),
                         ["id", "value_base", "qualifier"]]
    nb.figure(domain, bars, rows.reset_index(drop=True), domain)
"""


@pytest.fixture
def box():
    """A pipeline of one notebook drawing a figure of the poverty rows and one of the
    health rows of a copy of the default claims (its kernels keep their figures in the
    project's cache, under keys no other notebook has: the notebook's code names this
    folder)."""
    paths = get_paths()
    root = paths.outputs / f".test-figures-{uuid.uuid4().hex[:8]}"
    root.mkdir(parents=True)
    claims = copy_default_claims(root)
    draws = root / "draws.txt"
    make_claims_notebook(root / "01_fig.ipynb", BODY.replace("DRAWS", repr(str(draws))))
    (root / "pipeline.yaml").write_text(textwrap.dedent(f"""\
        defaults:
          claims_path: {claims.relative_to(paths.root).as_posix()}
        notebooks:
          - name: 01_fig
            figures: {{poverty: poverty rows, health: health rows}}
        """))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _run(root, **kw):
    result = Runner(load_pipeline(root / "pipeline.yaml"), "default",
                    outputs_root=root / "out", report=False, progress=False, jobs=1,
                    **kw).execute()
    assert result.ok, result.message
    drawn = (root / "draws.txt").read_text().split()
    (root / "draws.txt").unlink()
    figures = root / "out" / "default" / "figures"
    printed = (root / "out" / "default" / "notebooks" / "01_fig.ipynb").read_text()
    return drawn, {p.name: p.read_bytes() for p in sorted(figures.iterdir())}, printed


def test_an_edit_redraws_only_the_figure_drawn_from_it(box):
    drawn, first, printed = _run(box)
    assert drawn == ["poverty", "health"] and "salt reuse" in printed
    claims = box / "claims.csv"
    rows = read_rows(claims)
    row = next(r for r in rows if r["id"].startswith("health.")
               and r["qualifier"] in ("exact", "approx")
               and not any(c in r["value_printed"] for c in "余多"))
    row["notes"] = "an edit no notebook sees"
    row["qualifier"] = {"exact": "approx", "approx": "exact"}[row["qualifier"]]
    write_rows(claims, rows)
    drawn, edited, _ = _run(box)
    assert drawn == ["health"]  # the poverty figure's rows did not change: its kept files
    assert edited["01_poverty.svg"] == first["01_poverty.svg"]
    assert edited == first  # (the qualifier is an argument, not drawn)
    drawn, forced, printed = _run(box, force=True)
    assert drawn == ["poverty", "health"] and "salt draw" in printed
    assert forced == edited  # a reused figure is what a new drawing writes
