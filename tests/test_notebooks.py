"""The committed notebooks' stored outputs against the session's default run; every
notebook of the pipeline with lang=zh, the notebooks that show money with money_unit=yi,
and every notebook on a claims file with only the headline figures, about another county.

The stored outputs are compared cell by cell (one test per code cell, as nbval did) with
the executed notebooks of the one default run the session shares (``default_run`` in
``tests/conftest.py``), under nbval's rules: the output types and their data except
images and metadata, streams joined, the patterns of ``tests/nbval_sanitize.cfg``
replaced. Batch notebooks (05_compare) are executed once with their stored defaults.

The other runs are the session's shared runs too: lang=zh (``zh_run``), money_unit=yi on
the notebooks whose outputs the money unit changes (``yi_run``) and the Songlan fixture,
a fictional county printing only the headline figures (``county_run``), all made by the
batch runner into a scratch folder under outputs/ (the notebooks only write there); each
declared figure and table must exist and be non-empty, or (headline figures only) be
recorded as not produced with a reason.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import shows_money

from helpers.batch.pipeline import load_pipeline

PIPELINE = load_pipeline()


def _code_cells(nb: dict) -> list[dict]:
    """Code cells of a notebook, without the parameters cell papermill injects."""
    return [c for c in nb["cells"] if c["cell_type"] == "code"
            and "injected-parameters" not in c.get("metadata", {}).get("tags", [])]


def _read_notebook(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


_SPECS = PIPELINE.notebooks + PIPELINE.batch_notebooks
STORED_CELLS = [pytest.param(spec.name, i, id=f"{spec.name}-cell{i}")
                for spec in _SPECS for i in range(len(_code_cells(_read_notebook(spec.path))))]

#: nbval's output fields not compared (images: their bytes are checked by verify).
NOT_COMPARED = {"metadata", "traceback", "prompt_number", "output_type", "name",
                "execution_count", "application/vnd.jupyter.widget-view+json", "image/png",
                "image/jpeg"}


def _sanitize_patterns(paths) -> list[tuple[str, str]]:
    """The regex/replace pairs of tests/nbval_sanitize.cfg, in order."""
    text = (paths.root / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines()
             if ln.strip() and not ln.strip().startswith(("#", "["))]
    regexes = [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("regex:")]
    replaces = [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("replace:")]
    assert len(regexes) == len(replaces) and regexes
    return list(zip(regexes, replaces, strict=True))


def _join(value):
    return "".join(value) if isinstance(value, list) else value


def comparable(outputs: list[dict], patterns) -> dict[str, list]:
    """A cell's outputs as nbval compares them: streams of one name joined (\\r and \\b
    applied), then each field (each MIME type of data) -> its sanitized values in order."""
    merged, streams = [], {}
    for out in outputs:
        if out["output_type"] == "stream":
            if out["name"] in streams:
                streams[out["name"]]["text"] += _join(out["text"])
                continue
            out = {**out, "text": _join(out["text"])}
            streams[out["name"]] = out
        merged.append(out)
    for out in streams.values():
        text = out["text"]
        while True:
            shorter = re.sub(r"[^\n]\x08", "", text)
            if shorter == text:
                break
            text = shorter
        out["text"] = re.sub(r"^.*\r(?=[^\n])", "", text, flags=re.MULTILINE)

    def clean(value):
        value = _join(value)
        if isinstance(value, str):
            for regex, replace in patterns:
                value = re.sub(regex, replace, value)
        return value

    fields: dict[str, list] = {}
    for out in merged:
        if out["output_type"] == "stream":
            out = {"output_type": "stream", out["name"]: out["text"]}
        for key, value in out.items():
            if key in NOT_COMPARED:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in NOT_COMPARED:
                        fields.setdefault(mime, []).append(clean(data))
            else:
                fields.setdefault(key, []).append(clean(value))
    return fields


def test_comparable_joins_streams_and_sanitizes():
    outputs = [{"output_type": "stream", "name": "stdout", "text": ["a\n", "b"]},
               {"output_type": "stream", "name": "stdout", "text": "x\rc\n"},
               {"output_type": "execute_result", "execution_count": 3, "metadata": {},
                "data": {"text/plain": "<Legend at 0x7f3a12345678>", "image/png": "AAA"}}]
    fields = comparable(outputs, [(r"0x[0-9a-fA-F]{6,16}", "0xADDRESS")])
    assert fields == {"stdout": ["a\nc\n"], "text/plain": ["<Legend at 0xADDRESS>"]}
    assert comparable(outputs[:1], []) != comparable(outputs[1:2], [])


@pytest.fixture(scope="session")
def executed_notebooks(default_run, default_batch_notebooks):
    assert default_run["result"].ok, default_run["result"].message
    found = {spec.name: default_run["run_dir"] / "notebooks" / spec.path.name
             for spec in default_run["pipeline"].notebooks}
    return {**found, **default_batch_notebooks}


@pytest.mark.parametrize(("name", "index"), STORED_CELLS)
def test_stored_outputs_match_the_default_run(paths, executed_notebooks, name, index):
    """The k-th code cell of the committed notebook: same source and same outputs (under
    nbval's rules) as in the session's default run (``leiyang-poverty reference`` updates)."""
    spec = next(s for s in _SPECS if s.name == name)
    stored = _code_cells(_read_notebook(spec.path))
    executed = _code_cells(_read_notebook(executed_notebooks[name]))
    assert len(executed) == len(stored), name
    assert _join(executed[index]["source"]) == _join(stored[index]["source"])
    patterns = _sanitize_patterns(paths)
    want = comparable(stored[index]["outputs"], patterns)
    got = comparable(executed[index]["outputs"], patterns)
    assert got == want, (f"{name} code cell {index}: stored outputs differ from the default "
                         "run; `leiyang-poverty reference` regenerates them")


def test_the_money_unit_reaches_a_notebook_only_through_a_money_name():
    """What ``shows_money`` (tests/conftest.py) relies on: every method of ``Notebook``
    that reads the money unit has ``money`` in its name, and helpers never read a
    notebook's money unit."""
    import inspect

    from helpers import notebook

    checked = []
    for name, member in vars(notebook.Notebook).items():
        member = getattr(member, "fget", getattr(member, "func", member))  # properties
        if name.startswith("__") or not inspect.isfunction(member):
            continue  # dunders are generated by dataclass (no source)
        if "money_unit" in inspect.getsource(member):
            assert "money" in name, name
            checked.append(name)
    assert {"money", "money_label", "fmt_money"} <= set(checked)
    helpers = notebook.Path(notebook.__file__).parent
    for file in helpers.rglob("*.py"):
        if file.name != "notebook.py":
            assert ".money_unit" not in file.read_text(encoding="utf-8").replace(
                "units.money_unit", ""), file


MONEY_NOTEBOOKS = [s.name for s in PIPELINE.notebooks if shows_money(s.path)]


def test_the_money_notebooks_are_found():
    assert MONEY_NOTEBOOKS
    assert set(MONEY_NOTEBOOKS) < {s.name for s in PIPELINE.notebooks}


@pytest.mark.parametrize(("run", "only"), [("zh", None), ("yi", MONEY_NOTEBOOKS)])
def test_every_notebook_runs_and_writes_its_outputs(request, run, only):
    """Every notebook with lang=zh (the session's ``zh_run``, with its report) and the
    notebooks that show money with money_unit=yi (the session's ``yi_run``: the money unit
    changes no other notebook's outputs)."""
    shared = request.getfixturevalue(f"{run}_run")
    pipeline, result, run_dir = shared["pipeline"], shared["result"], shared["run_dir"]
    assert result.ok, result.message
    ran = {r.name for r in result.results}
    assert only is None or set(only) <= ran
    for spec in pipeline.notebooks:
        if spec.name not in ran:
            continue
        for rel in spec.outputs():
            assert (run_dir / rel).is_file(), rel
            assert (run_dir / rel).stat().st_size > 0, rel
    if run == "zh":
        html = (run_dir / "report.html").read_text(encoding="utf-8")
        assert "目录" in html
    else:
        assert shared["notebooks"] == only and ran == set(only)


# -- a claims file with only the headline figures, about another county -------------------

@pytest.fixture
def headline_only(county_run):
    """The session's run of the Songlan fixture (``county_run`` in tests/conftest.py: every
    notebook and the report), a fictional county's claims file with only the headline
    figures, given from a copy outside the project."""
    run = county_run("songlan", "en")
    assert run["rc"] == 0, run["stderr"][-3000:]
    (result,) = run["results"]
    return {"result": result, "run_dir": run["dir"], "folder": run["claims"].parent,
            "pipeline": PIPELINE}


@pytest.mark.county_run("songlan", "en")
def test_headline_only_claims_run_with_rc_0(headline_only):
    result = headline_only["result"]
    assert result.ok, result.message
    assert {r.status for r in result.results} == {"ran"}


@pytest.mark.county_run("songlan", "en")
def test_each_declared_output_is_produced_or_has_a_reason(headline_only):
    assert headline_only["result"].ok, headline_only["result"].message
    run_dir = headline_only["run_dir"]
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    not_produced = {}
    for spec in headline_only["pipeline"].notebooks:
        recorded = manifest["notebooks"][spec.name]["not_produced"]
        for rel in spec.outputs():
            if rel in recorded:
                assert not (run_dir / rel).exists(), rel
                assert recorded[rel].strip(), rel
                not_produced[rel] = recorded[rel]
            else:
                assert (run_dir / rel).is_file() and (run_dir / rel).stat().st_size > 0, rel
    # the headline figures alone cannot give every output, and the reasons name the ids
    assert not_produced
    assert all(reason.strip() for reason in not_produced.values())
    assert manifest["claims"]["county"]["name_en"] == "Songlan"
    assert manifest["claims"]["fictional"] is True


@pytest.mark.county_run("songlan", "en")
def test_report_names_the_claims_county(headline_only):
    assert headline_only["result"].ok, headline_only["result"].message
    html = (headline_only["run_dir"] / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    title = "Songlan's poverty-alleviation campaign as reported: the numbers"
    assert soup.title.get_text() == title
    text = soup.get_text()
    assert "Songlan" in text
    assert "Leiyang" not in text
    # the outputs not produced are listed in their notebook's section, with the reason
    listed = [li.get_text() for li in soup.select(".not-produced li")]
    assert listed and all(re.search(r"\): \S", item) for item in listed)


@pytest.mark.county_run("songlan", "en")
def test_no_machine_path_in_the_manifest(headline_only):
    assert headline_only["result"].ok, headline_only["result"].message
    text = (headline_only["run_dir"] / "manifest.json").read_text(encoding="utf-8")
    assert str(headline_only["folder"]) not in text
    assert not re.search(r'"/(?:tmp|home|root|work|Users)/', text)
    manifest = json.loads(text)
    assert manifest["claims"]["path"].startswith("external/")
    assert manifest["claims"]["path"].endswith("/songlan_claims.csv")
