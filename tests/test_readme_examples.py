"""The README's run examples never write the committed references in outputs/default/.

Each example of the README's command block that runs locally (``run --run zh``,
``run -p money_unit=yi``, a ``--claims`` run; not the Dask one) is run as written, into
the session's README outputs root (``readme_root`` in tests/conftest.py), which starts
with a copy of ``outputs/default/``; the copy and the project's own ``outputs/default/``
are byte-identical afterwards, and each example's outputs are in a run folder of its own.
The first two are the session's shared runs made with those commands: ``zh_run`` (every
notebook and the report) and ``yi_run`` (the notebooks whose outputs the money unit
changes, names after the options selecting them, and their report).  The ``--claims
a.csv --claims b.csv`` line stands for the reader's files; the worked example's
``--claims`` line (hexi and qingwu, then 05_compare) runs instead, on one notebook
(:data:`ONE_NOTEBOOK`) named after the options.
"""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import _tree, cli_run

from helpers.batch import cli
from helpers.batch.pipeline import load_pipeline

#: The notebook the worked ``--claims`` example runs: of the county notebooks, the one
#: that takes least time on its two files (measured on 2 cores: 02 about 3-4 s a file,
#: 00_overview 4-8 s).
ONE_NOTEBOOK = "02_teaching_to_fish"


def readme_run_examples(readme: str) -> list[list[str]]:
    """The ``leiyang-poverty run`` lines of the README's command blocks, as argv."""
    examples = []
    for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command = line.split("  #", 1)[0].strip()
            if command.startswith(".venv/bin/leiyang-poverty run "):
                examples.append(shlex.split(command)[1:])
    return examples


def test_the_readme_has_the_examples_this_file_runs(paths):
    examples = readme_run_examples((paths.root / "README.md").read_text(encoding="utf-8"))
    assert ["run", "--run", "zh"] in examples
    assert ["run", "-p", "money_unit=yi"] in examples
    assert any("--claims" in e for e in examples)


def test_readme_examples_leave_the_references_unchanged(paths, readme_root, zh_run, yi_run):
    examples = readme_run_examples((paths.root / "README.md").read_text(encoding="utf-8"))
    root = readme_root["root"]
    shared = {tuple(run["example"]): run for run in (zh_run, yi_run)}
    ran = []
    for argv in examples:
        if "--dask-scheduler" in argv or "a.csv" in argv:
            continue  # needs a cluster; stands for the reader's files (the next one runs)
        if tuple(argv) in shared:  # made as written, with the notebooks it names
            run = shared[tuple(argv)]
            notebooks = run.get("notebooks") or [s.name for s in run["pipeline"].notebooks]
            assert run["argv"] == [*argv, "--outputs-root", str(root),
                                   *run.get("notebooks", [])], run["argv"]
        else:
            notebooks = [ONE_NOTEBOOK]
            run = cli_run([*argv, "--outputs-root", str(root), *notebooks])
        code, err = run["rc"], run["stderr"]
        assert code == 0, (argv, err)
        assert re.search(r"^report: \S+/report\.html$", err, flags=re.M), err
        for notebook in notebooks:  # not a tty: one line per notebook
            assert re.search(rf"^\S+: {notebook} ok \(", err, flags=re.M), (notebook, err)
        ran.append(argv)
    assert len(ran) == 3, ran
    assert _tree(root / "default") == readme_root["default_tree"]
    assert _tree(paths.outputs / "default") == readme_root["project_tree"]
    folders = {p.name for p in root.iterdir() if p.is_dir() and p.name[0] != "."}
    assert {"default", "zh", "default-money_unit-yi", "hexi_claims", "qingwu_claims"} <= folders
    assert any(f.startswith("compare-") for f in folders), folders


def test_parameters_other_than_the_runs_make_their_own_run():
    pipeline = load_pipeline()
    assert cli.parameter_run("default", {}, pipeline) == ("default", {})
    assert cli.parameter_run("default", {"lang": "en"}, pipeline)[0] == "default"
    name, params = cli.parameter_run("default", {"money_unit": "yi"}, pipeline)
    assert (name, params) == ("default-money_unit-yi", {"money_unit": "yi"})
    assert cli.parameter_run("zh", {"lang": "zh"}, pipeline) == ("zh", {"lang": "zh"})
    name, params = cli.parameter_run("zh", {"figure_formats": ["svg"]}, pipeline)
    assert (name, params) == ("zh-figure_formats-svg", {"lang": "zh", "figure_formats": ["svg"]})
    # a value that makes no usable name: a hash of the parameters
    name, _ = cli.parameter_run("default", {"claims_path": "x/" * 50 + "c.csv"}, pipeline)
    assert re.fullmatch(r"default-params-[0-9a-f]{6}", name)
    # a name that is one of the pipeline's runs is never derived
    assert cli.parameter_run("default", {"lang": "zh"}, pipeline)[0] == "default-lang-zh"


@pytest.mark.parametrize("argv, message", [
    (["-p", "money_unit=usd"], "money_unit must be one of auto, yuan, wan, million, yi, "
                               "got 'usd'"),
    (["-p", "lang=fr"], "lang must be 'en' or 'zh', got 'fr'"),
    (["--run", "zh", "-p", "figure_formats=[gif]"], "figure_formats must be"),
])
def test_an_invalid_value_is_one_message_before_any_kernel(paths, capsys, argv, message,
                                                           monkeypatch, tmp_path):
    import helpers.batch.runner as runner

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    def listing() -> set[str]:  # but the scratch folders of tests running alongside
        return {p.name for p in paths.outputs.iterdir() if not p.name.startswith(".test-")}

    monkeypatch.setattr(runner, "execute_task", no_kernel)
    before = listing()
    assert cli.main(["run", *argv]) == cli.EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0], err
    assert listing() == before


def test_notebooks_run_outside_the_runner_write_to_the_scratch_folder():
    """Each county notebook's parameters cell writes under outputs/ but not into a run's
    folder; ``reference`` (and ``run``) give output_dir themselves."""
    import json

    pipeline = load_pipeline()
    for spec in pipeline.notebooks:
        nb = json.loads(spec.path.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        found = re.findall(r'^output_dir = "([^"]+)"', "".join(cell["source"]), flags=re.M)
        assert found == ["outputs/lab"], (spec.name, found)
        assert not any("injected-parameters" in c["metadata"].get("tags", [])
                       for c in nb["cells"]), spec.name
    assert cli.REFERENCE_OUTPUT_DIR == "outputs/default"


def test_reference_leaves_no_injected_cell_and_counts_from_one(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('output_dir = "outputs/lab"', execution_count=1)
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell('output_dir = "outputs/default"', execution_count=2)
    injected.metadata["tags"] = ["injected-parameters"]
    last = nbformat.v4.new_code_cell("1", execution_count=3, outputs=[
        nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)])
    nb.cells = [params, injected, nbformat.v4.new_markdown_cell("text"), last]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    cli.drop_injected_parameters(path)
    out = nbformat.read(path, as_version=4)
    assert [c.cell_type for c in out.cells] == ["code", "markdown", "code"]
    assert out.cells[0].source == 'output_dir = "outputs/lab"'
    assert out.cells[2].execution_count == 2 == out.cells[2].outputs[0]["execution_count"]


def test_params_file_and_p_name_the_run_alike(tmp_path, monkeypatch, capsys):
    from helpers.batch.runner import RunError

    started = []

    class FakeRunner:
        def __init__(self, pipeline, name, *, params, **kwargs):
            started.append((name, params))

        def execute(self):
            raise RunError("stop")

    monkeypatch.setattr("helpers.batch.runner.Runner", FakeRunner)
    file = tmp_path / "p.yaml"
    file.write_text("money_unit: yi\n", encoding="utf-8")
    for argv in (["-p", "money_unit=yi"], ["--params-file", str(file)],
                 ["--run", "zh", "-p", "lang=zh"], ["--run", "zh", "-p", "money_unit=wan"]):
        assert cli.main(["run", *argv]) == cli.EXIT_USAGE  # the fake runner stops
    capsys.readouterr()
    assert started == [("default-money_unit-yi", {"money_unit": "yi"}),
                       ("default-money_unit-yi", {"money_unit": "yi"}),
                       ("zh", {"lang": "zh"}),
                       ("zh-money_unit-wan", {"lang": "zh", "money_unit": "wan"})]
