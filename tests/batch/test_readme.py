"""The README's figures-and-tables list is generated from the pipeline and up to date."""

from __future__ import annotations

from helpers.batch.pipeline import load_pipeline
from helpers.batch.readme import BEGIN, END, outputs_table, readme_section, replace_section


def test_readme_list_matches_the_pipeline(paths):
    readme = (paths.root / "README.md").read_text(encoding="utf-8")
    assert BEGIN in readme and END in readme
    expected = readme_section(load_pipeline())
    assert expected in readme, (
        "README's list of figures and tables is out of date: run "
        "`.venv/bin/leiyang-poverty outputs-table` and paste it between the markers")


def test_table_lists_every_declared_output(paths):
    pipeline = load_pipeline()
    table = outputs_table(pipeline)
    for spec in pipeline.notebooks:
        for rel in spec.outputs():
            assert rel in table


def test_replace_section_is_idempotent(paths):
    readme = (paths.root / "README.md").read_text(encoding="utf-8")
    once = replace_section(readme, load_pipeline())
    assert replace_section(once, load_pipeline()) == once
