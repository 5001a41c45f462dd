"""Shared fixtures: the project's paths and editable copies of the claims table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers.paths import get_paths


@pytest.fixture(autouse=True)
def _segment_afresh(monkeypatch):
    """Tests of segmentation segment: the top-term tables kept in outputs/.cache/text/
    (helpers.analysis.text.KEEP_TERMS) are off in this process; kernels keep theirs."""
    monkeypatch.setattr("helpers.analysis.text.KEEP_TERMS", False)


@pytest.fixture(scope="session")
def paths():
    return get_paths()


@pytest.fixture(scope="session")
def article_text(paths) -> str:
    return paths.article.read_text(encoding="utf-8")


@pytest.fixture
def claims_rows(paths) -> list[dict]:
    """The Leiyang claims as a list of dicts (strings), free to modify."""
    with paths.claims.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_claims(path: Path, rows: list[dict], fieldnames: list[str] | None = None,
                 encoding: str = "utf-8", with_metadata: bool = True) -> Path:
    """Write claim rows as CSV (helper for tests that build defective tables).

    Unless ``with_metadata`` is false, the default table's metadata sidecar is copied
    beside it (when none is there yet), so the file loads as the same county.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fieldnames or list(rows[0]), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    sidecar = path.with_name(path.stem + ".meta.yaml")
    if with_metadata and not sidecar.exists():
        # the default table's metadata: its sources are named from the project root
        sidecar.write_bytes(get_paths().claims.with_name(
            get_paths().claims.stem + ".meta.yaml").read_bytes())
    return path


# -- one default run per session ---------------------------------------------------------


@pytest.fixture(scope="session")
def session_outputs(paths):
    """A scratch outputs root of this session (under outputs/, where notebooks may write)."""
    import shutil
    import uuid

    root = paths.outputs / f".test-session-{uuid.uuid4().hex[:8]}"
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def default_run(session_outputs):
    """The pipeline's default run, executed once per session and shared by every test that
    needs executed outputs: ``{"result", "run_dir", "pipeline"}``; the executed notebooks
    are in ``run_dir / "notebooks"``."""
    from helpers.batch.pipeline import load_pipeline
    from helpers.batch.runner import Runner

    pipeline = load_pipeline()
    if not pipeline.notebooks:
        pytest.skip("the pipeline has no notebooks yet")
    result = Runner(pipeline, "default", outputs_root=session_outputs, progress=False,
                    log=lambda *a, **k: None).execute()
    return {"result": result, "run_dir": session_outputs / "default", "pipeline": pipeline}


@pytest.fixture(scope="session")
def default_batch_notebooks(paths, session_outputs):
    """Each batch notebook (05_compare) executed once per session with its stored default
    parameters, writing into the session's scratch folder: ``{name: executed path}``."""
    from helpers.batch.execution import execute
    from helpers.batch.pipeline import load_pipeline

    executed = {}
    for spec in load_pipeline().batch_notebooks:
        out = session_outputs / f"batch-{spec.name}"  # the executed notebook beside it
        executed[spec.name] = execute(
            spec.path, out / spec.path.name,
            {"output_dir": paths.relative(out / "outputs")}, cwd=spec.path.parent)
    return executed
