"""Small synthetic pipelines for runner tests: tiny notebooks that write declared files.

Parameters of the tiny notebooks: ``value`` (written into the table), ``fail``
(raise after writing), ``sleep`` and ``pid_file`` (for interruption tests), ``skip``
(a reason: record the table as not produced in ``status/<NN>.json``, as
``Notebook.section`` does), ``write`` (False: do not write the table) and
``claims_path`` (not read: it lets the runner derive a claims file's inputs).
"""

from __future__ import annotations

import csv
import os
import shutil
import textwrap
import time
import uuid
from pathlib import Path

import nbformat as nbf

from helpers.paths import get_paths

PARAMS = """\
output_dir = "outputs/default"
value = 1
fail = False
sleep = 0.0
pid_file = ""
skip = ""
write = True
claims_path = ""
"""

BODY = """\
import os, pathlib, time
from helpers.paths import get_paths
if pid_file:
    pathlib.Path(pid_file).write_text(str(os.getpid()))
time.sleep(sleep)
out = get_paths().resolve(output_dir)
(out / "tables").mkdir(parents=True, exist_ok=True)
source = pathlib.Path(get_paths().root, INPUT).read_text() if INPUT else ""
if write:
    table = out / "tables" / "{prefix}_numbers.csv"
    table.write_text(f"value,claim_ids\\n{{value}}{{source}},\\n")
if skip:
    import json
    (out / "status").mkdir(parents=True, exist_ok=True)
    (out / "status" / "{prefix}.json").write_text(json.dumps(
        {{"notebook": "{prefix}", "sections": {{"numbers": False}},
         "not_produced": {{"{prefix}_numbers": skip}}}}, sort_keys=True))
if fail:
    raise ValueError("boom in {name}")
print("done")
"""


def make_notebook(path: Path, name: str, input_rel: str = "") -> None:
    nb = nbf.v4.new_notebook()
    params = nbf.v4.new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    body = BODY.format(prefix=name[:2], name=name).replace("INPUT", repr(input_rel))
    nb.cells = [nbf.v4.new_markdown_cell(f"# {name}"), params, nbf.v4.new_code_cell(body)]
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    nbf.write(nb, path)


class Sandbox:
    """A folder under outputs/ holding a pipeline, its notebooks, inputs and outputs."""

    def __init__(self):
        self.paths = get_paths()
        self.root = self.paths.outputs / f".test-runner-{uuid.uuid4().hex[:8]}"
        self.root.mkdir(parents=True)
        self.out = self.root / "out"
        self.data = self.root / "data.txt"
        self.data.write_text("a")
        self.other = self.root / "other.txt"
        self.other.write_text("x")
        rel = lambda p: p.relative_to(self.paths.root).as_posix()  # noqa: E731
        make_notebook(self.root / "01_first.ipynb", "01_first", rel(self.data))
        make_notebook(self.root / "02_second.ipynb", "02_second")
        make_notebook(self.root / "03_third.ipynb", "03_third", rel(self.other))
        self.pipeline_file = self.root / "pipeline.yaml"
        self.pipeline_file.write_text(textwrap.dedent(f"""\
            defaults:
              value: 1
            notebooks:
              - name: 01_first
                inputs: [{rel(self.data)}]
                tables: {{numbers: first numbers}}
              - name: 02_second
                depends_on: [01_first]
                tables: {{numbers: second numbers}}
              - name: 03_third
                inputs: [{rel(self.other)}]
                tables: {{numbers: third numbers}}
            runs:
              default: {{}}
              big: {{value: 7}}
            """))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.paths.root).as_posix()

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


# -- tiny notebooks that load claims through helpers.notebook.setup ------------------

CLAIMS_PARAMS = 'output_dir = "outputs/default"\nclaims_path = ""\n'


def make_claims_notebook(path: Path, body: str) -> None:
    """A notebook of a parameters cell (``output_dir``, ``claims_path``) and ``body``."""
    nb = nbf.v4.new_notebook()
    params = nbf.v4.new_code_cell(CLAIMS_PARAMS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbf.v4.new_code_cell(body)]
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    nbf.write(nb, path)


def copy_default_claims(folder: Path) -> Path:
    """A byte copy of the default claims file and its metadata sidecar in ``folder``, as
    ``claims.csv``; return its path."""
    from helpers.data.metadata import sidecar_path

    source = get_paths().claims
    claims = folder / "claims.csv"
    shutil.copyfile(source, claims)
    shutil.copyfile(sidecar_path(source), sidecar_path(claims))
    return claims


def read_rows(path: Path) -> list[dict]:
    """The rows of a CSV file as dicts."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict]) -> None:
    """Write dict rows as a CSV file (header from the first row)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def wait_gone(pid: int, within: float = 0.5) -> None:
    """Wait up to ``within`` seconds for process ``pid`` to be gone (then return; the
    caller asserts it is)."""
    deadline = time.time() + within
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
