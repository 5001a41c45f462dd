"""Every notebook of the pipeline runs with lang=zh and with money_unit=yi.

Runs go through the batch runner into a scratch folder under outputs/ (the
notebooks only write there); each declared figure and table must exist and be
non-empty. nbval separately checks the committed default outputs.
"""

from __future__ import annotations

import shutil
import uuid

import pytest

from helpers.pipeline import load_pipeline
from helpers.runner import Runner


@pytest.fixture(scope="module")
def scratch(paths):
    root = paths.outputs / f".test-notebooks-{uuid.uuid4().hex[:8]}"
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize(("run", "params"), [("zh", {"lang": "zh"}),
                                             ("yi", {"money_unit": "yi"})])
def test_every_notebook_runs_and_writes_its_outputs(scratch, run, params):
    pipeline = load_pipeline()
    if not pipeline.notebooks:
        pytest.skip("the pipeline has no notebooks yet")
    result = Runner(pipeline, run, params=params, outputs_root=scratch, report=(run == "zh"),
                    progress=False).execute()
    assert result.ok, result.message
    run_dir = scratch / run
    for spec in pipeline.notebooks:
        for rel in spec.outputs():
            assert (run_dir / rel).is_file(), rel
            assert (run_dir / rel).stat().st_size > 0, rel
    if run == "zh":
        html = (run_dir / "report.html").read_text(encoding="utf-8")
        assert "目录" in html
