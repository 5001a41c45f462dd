"""Tests for helpers.batch.verify: per-artifact comparison of a rerun with the references."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from helpers.batch import verify as vf
from helpers.display.plotting import save_figure


def _figure(y=1.0):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1.0, y])
    return fig


@pytest.fixture
def runs(tmp_path):
    ref, new = tmp_path / "ref", tmp_path / "new"
    for run in (ref, new):
        (run / "tables").mkdir(parents=True)
        (run / "tables" / "01_t.csv").write_text("a,claim_ids\n1,x\n2,y\n")
        fig = _figure()
        save_figure(fig, "01_f", run / "figures")
        plt.close(fig)
    vf.write_sums(ref)
    return ref, new


def test_identical_runs_match(runs):
    ref, new = runs
    results = vf.compare_runs(ref, new)
    assert {r.artifact for r in results} == {"tables/01_t.csv", "figures/01_f.svg",
                                             "figures/01_f.png"}
    assert all(r.status == "match" for r in results)


def test_changed_table_and_figure_are_named(runs):
    ref, new = runs
    (new / "tables" / "01_t.csv").write_text("a,claim_ids\n1,x\n3,y\n")
    fig = _figure(2.0)
    save_figure(fig, "01_f", new / "figures")
    plt.close(fig)
    by_name = {r.artifact: r for r in vf.compare_runs(ref, new)}
    assert by_name["tables/01_t.csv"].status == "drift"
    assert by_name["tables/01_t.csv"].detail == "1 of 3 lines differ"
    assert by_name["figures/01_f.svg"].status == "drift"
    assert "bytes differ" in by_name["figures/01_f.svg"].detail
    assert by_name["figures/01_f.png"].status == "drift"
    assert by_name["figures/01_f.png"].detail.startswith(("PNG RMS", "PNG Image sizes"))


def test_missing_extra_and_tampered(runs):
    ref, new = runs
    (new / "tables" / "01_t.csv").unlink()
    (new / "tables" / "01_new.csv").write_text("x\n")
    (ref / "figures" / "01_f.svg").write_text("<svg/>")
    by_name = {r.artifact: r for r in vf.compare_runs(ref, new)}
    assert by_name["tables/01_t.csv"].status == "missing"
    assert by_name["tables/01_new.csv"].status == "extra"
    assert by_name["figures/01_f.svg"].detail == "committed file does not match SHA256SUMS"


def test_png_within_tolerance_matches(tmp_path):
    from PIL import Image

    a, b = tmp_path / "a.png", tmp_path / "b.png"
    Image.new("RGB", (50, 50), (200, 200, 200)).save(a)
    img = Image.new("RGB", (50, 50), (200, 200, 200))
    img.putpixel((1, 1), (201, 200, 200))
    img.save(b)
    assert vf.compare_file("figures/x.png", a, b).status == "match"


def test_sums_round_trip(runs):
    ref, _ = runs
    sums = vf.read_sums(ref)
    assert set(sums) == set(vf.reference_files(ref))
    assert all(len(d) == 64 for d in sums.values())


def test_status_files_are_reference_artifacts(runs):
    ref, new = runs
    for run in (ref, new):
        (run / "status").mkdir()
        (run / "status" / "01.json").write_text('{"not_produced": {"01_g": "not reported"}}\n')
    vf.write_sums(ref)
    assert "status/01.json" in vf.read_sums(ref)
    assert {r.artifact: r.status for r in vf.compare_runs(ref, new)}["status/01.json"] == "match"
    (new / "status" / "01.json").write_text('{"not_produced": {}}\n')
    by_name = {r.artifact: r for r in vf.compare_runs(ref, new)}
    assert by_name["status/01.json"].detail == "1 of 1 lines differ"
    (ref / "status" / "01.json").unlink()
    (new / "status" / "02.json").write_text("{}\n")
    vf.write_sums(ref)
    by_name = {r.artifact: r for r in vf.compare_runs(ref, new)}
    assert by_name["status/02.json"].status == "extra"


def test_runner_does_not_import_verify():
    import subprocess
    import sys

    code = ("import sys, helpers.batch.runner, helpers.batch.report, helpers.batch.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('helpers.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert "helpers.batch.verify" not in loaded and "helpers.batch.runfolder" in loaded


def test_each_verify_process_has_its_own_scratch(paths):
    import os
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = paths.outputs / ".verify" / str(dead.pid)
    leftover.mkdir(parents=True, exist_ok=True)
    alive = paths.outputs / ".verify" / str(os.getppid())  # a live process's scratch
    alive.mkdir(parents=True, exist_ok=True)
    try:
        scratch = vf.verify_scratch()
        assert scratch == paths.outputs / ".verify" / str(os.getpid())
        assert not leftover.exists() and alive.is_dir()
    finally:
        alive.rmdir()


def test_nbval_runs_a_notebooks_cells_in_order_in_one_kernel(paths):
    """The project's pytest options spread tests over xdist workers; a notebook's cells
    must still run in order in one kernel (a later cell reads an earlier one's variable),
    and a changed stored output is still a drift."""
    import shutil
    import uuid

    import nbformat as nbf

    folder = paths.outputs / f".test-verify-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    try:
        nb = nbf.v4.new_notebook()
        shown = nbf.v4.new_code_cell("print(x + 1)")
        shown.outputs = [nbf.v4.new_output("stream", name="stdout", text="2\n")]
        nb.cells = [nbf.v4.new_code_cell("x = 1", execution_count=1), shown]
        shown.execution_count = 2
        nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}
        good = folder / "good.ipynb"
        nbf.write(nb, good)
        shown.outputs[0]["text"] = "3\n"
        bad = folder / "bad.ipynb"
        nbf.write(nb, bad)
        results = vf.run_nbval([good, bad])
        assert [r.status for r in results] == ["match", "drift"], results
    finally:
        shutil.rmtree(folder)


def test_nbval_that_cannot_run_is_an_error_not_a_match(monkeypatch, paths):
    """pytest ending with neither 0 nor 1 (a usage error, a crash) checked nothing: an
    error naming its exit status, not a match or a drift per notebook."""
    import subprocess

    def fake_run(argv, **kwargs):
        assert argv[argv.index("-p", argv.index("no:cacheprovider")) + 1] == "nbval"
        return subprocess.CompletedProcess(argv, 4, "", "ERROR: usage: no such option")

    monkeypatch.setattr(vf.subprocess, "run", fake_run)
    with pytest.raises(RuntimeError, match=r"pytest exit 4\).*no such option"):
        vf.run_nbval([paths.root / "notebooks" / "00_overview.ipynb"])
    assert vf.run_nbval([]) == []
