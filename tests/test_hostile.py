"""Hostile and broken inputs: each fails with a specific message and loses nothing.

Every case runs the real batch runner (or the command line, in this process) against a
copy of the session's default run in a scratch folder under outputs/, then asserts (1)
the error names what is wrong and where (file, row or parameter, field) and (2) the
previous outputs are byte-identical afterwards.  The cases are listed in tests/README.md.
"""

from __future__ import annotations

import csv
import shutil
import uuid

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import write_claims

from helpers.batch import cli
from helpers.batch.pipeline import load_pipeline
from helpers.batch.runner import RunError, Runner, sha256_file

#: The cases run the pipeline's first notebook against a copy of the default run: of the
#: session's default run, they need that notebook only.
_FIRST = [s.name for s in load_pipeline().notebooks][:1]
pytestmark = pytest.mark.default_run(*_FIRST)


@pytest.fixture(scope="module")
def scratch(paths):
    root = paths.outputs / f".test-hostile-{uuid.uuid4().hex[:8]}"
    root.mkdir(parents=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def first_notebook():
    pipeline = load_pipeline()
    if not pipeline.notebooks:
        pytest.skip("the pipeline has no notebooks yet")
    return pipeline.notebooks[0].name


def _runner(scratch, only, **kw):
    kw.setdefault("progress", False)
    kw.setdefault("report", False)
    return Runner(load_pipeline(), "default", outputs_root=scratch / "out", only=[only], **kw)


@pytest.fixture(scope="module")
def reference(scratch, default_run):
    """The previous outputs every case must leave byte-identical: a copy of the session's
    default run (``default_run`` in tests/conftest.py; the cases never touch the shared
    one), with its state, as ``scratch/out/default``."""
    assert default_run["result"].ok, default_run["result"].message
    target = scratch / "out" / "default"
    shutil.copytree(default_run["run_dir"], target, symlinks=True)
    state = default_run["run_dir"].parent / ".runs" / "default.json"
    if state.is_file():
        (scratch / "out" / ".runs").mkdir(parents=True, exist_ok=True)
        shutil.copy2(state, scratch / "out" / ".runs" / "default.json")
    return target


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _rows(paths) -> list[dict]:
    with paths.claims.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path, rows, fields=None, encoding="utf-8"):
    """Write claim rows; the default claims' metadata sidecar goes beside them."""
    write_claims(path, rows, fields, encoding=encoding)


def _mutate(rows, index, **changes):
    rows[index].update(changes)
    return rows


CASES = {
    "missing": (None, r"bad\.csv, field '-': file not found"),
    "empty": ("empty", r"bad\.csv, line 1, field '-': file is empty"),
    "gbk": ("gbk", r"bad\.csv, line 2, field '-': not valid UTF-8 .*GBK"),
    "missing_column": ("drop:qualifier", r"bad\.csv, line 1, field 'qualifier': missing column"),
    "extra_column": ("add:colour", r"bad\.csv, line 1, field 'colour': unknown column"),
    "non_numeric": ({"number": "many"}, r"line 6 \(id [\w.]+\), field 'number': expected a "
                                        r"number, got 'many'"),
    "negative_count": ({"number": "-5", "value_base": "-5"},
                       r"line 6 \(id [\w.]+\), field 'number': must be a number >= 0"),
    "unknown_unit": ({"value_printed": "40974只"},
                     r"line 6 \(id [\w.]+\), field 'value_printed': unknown unit '只'"),
    "unknown_base_unit": ({"base_unit": "cows"}, r"line 6 .*field 'base_unit': must be one of"),
    "unknown_qualifier": ({"qualifier": "roughly"},
                          r"line 6 .*field 'qualifier': must be one of exact, at_least, approx"),
    "duplicate_id": ("dup", r"line 6 \(id poverty\.lifted_households\), field 'id': "
                            r"duplicate id"),
    "quote_absent": ({"quote": "这句话不在原文里40974人"},
                     r"line 6 .*field 'quote_offset': quote not found in the source text"),
    "period_reversed": ({"period_start": "2020-06-30", "period_end": "2015-01-01"},
                        r"line 6 .*field 'period_end': period ends \(2015-01-01\) before it "
                        r"starts \(2020-06-30\)"),
    "infinite": ({"value_base": "inf"},
                 r"line 6 .*field 'value_base': expected a number, got 'inf'; must be a "
                 r"finite number"),
    "overflow": ({"value_base": "1e309"},
                 r"line 6 .*field 'value_base': must be a finite number, got '1e309'"),
    "underscore": ({"number": "3_4"},
                   r"line 6 .*field 'number': expected a number, got '3_4'; no _ separators"),
    "full_width": ({"number": "３４"},
                   r"line 6 .*field 'number': expected a number, got '３４'; digits must be "
                   r"ASCII 0-9"),
    "date_not_iso": ({"period_end": "20200630"},
                     r"line 6 .*field 'period_end': expected an ISO date YYYY-MM-DD or empty, "
                     r"got '20200630'"),
    "duplicate_column": ("dupcol", r"bad\.csv, line 1, field 'notes': duplicate column"),
    "oversized_field": ({"quote": "长" * 200_000},
                        r"bad\.csv, line 6, field '-': cannot be read as CSV \(field larger "
                        r"than field limit"),
    "long_field": ({"notes": "长" * 20_000},
                   r"line 6 .*field 'notes': 20,000 characters; at most 10,000"),
    "folder": ("dir", r"bad\.csv, field '-': is a folder; expected a claims CSV file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_claims_file_fails_clearly_and_keeps_outputs(case, paths, scratch, reference,
                                                         first_notebook):
    change, expected = CASES[case]
    bad = scratch / "bad.csv"
    if bad.is_dir():
        bad.rmdir()
    bad.unlink(missing_ok=True)
    rows = _rows(paths)
    if change == "dir":
        bad.mkdir()
    elif change == "dupcol":
        fields = list(rows[0])
        _write(bad, rows)
        lines = bad.read_text(encoding="utf-8").splitlines()
        lines = [lines[0] + ",notes", *(ln + "," for ln in lines[1:])]
        bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert fields[-1] == "notes"
    elif change == "empty":
        bad.write_bytes(b"")
    elif change == "gbk":
        _write(bad, rows, encoding="gbk")
    elif isinstance(change, str) and change.startswith("drop:"):
        _write(bad, rows, [c for c in rows[0] if c != change[5:]])
    elif isinstance(change, str) and change.startswith("add:"):
        _write(bad, [{**r, change[4:]: "x"} for r in rows])
    elif change == "dup":
        _write(bad, _mutate(rows, 4, id=rows[3]["id"]))
    elif isinstance(change, dict):
        _write(bad, _mutate(rows, 4, **change))
    before = _snapshot(reference)
    rel = bad.relative_to(paths.root).as_posix()
    with pytest.raises(RunError, match=expected) as info:
        _runner(scratch, first_notebook, params={"claims_path": rel}, force=True).execute()
    assert "0 problem(s)" not in str(info.value)
    assert _snapshot(reference) == before
    if bad.is_dir():
        bad.rmdir()


def test_claims_file_without_metadata_fails_clearly(paths, scratch, reference, first_notebook):
    bare = write_claims(scratch / "bare_claims.csv", _rows(paths), with_metadata=False)
    before = _snapshot(reference)
    rel = bare.relative_to(paths.root).as_posix()
    with pytest.raises(RunError, match=r"bare_claims\.meta\.yaml: metadata sidecar not found"):
        _runner(scratch, first_notebook, params={"claims_path": rel}, force=True).execute()
    assert _snapshot(reference) == before


def _cli(capsys, *args) -> tuple[int, str]:
    """``leiyang-poverty <args>`` in this process (the console script's ``main``): its exit
    status and what it wrote to stderr.  (``python -m helpers.batch.cli`` in a process of
    its own exits with the same status: ``tests/batch/test_runner.py``.)"""
    capsys.readouterr()
    code = cli.main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("notebooks:\n  - {name: 01_a, path: a.ipynb, depends_on: [02_b]}\n"
     "  - {name: 02_b, path: a.ipynb, depends_on: [01_a]}\n", "dependency cycle: 01_a -> 02_b"),
    ("notebooks:\n  - {name: 01_a, path: a.ipynb, depends_on: [07_gone]}\n",
     "depends on unknown notebook '07_gone'"),
    ("notebooks:\n  - {name: 01_a, path: a.ipynb}\n  - {name: 01_a, path: a.ipynb}\n",
     "duplicate notebook name"),
    ("notebooks:\n  - {name: 05_nowhere}\n", "notebook file"),
])
def test_bad_pipeline_file(paths, scratch, reference, yaml_text, expected, capsys):
    folder = scratch / f"pipe-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    (folder / "a.ipynb").write_text("{}")
    (folder / "pipeline.yaml").write_text(yaml_text)
    before = _snapshot(reference)
    code, err = _cli(capsys, "--pipeline", str(folder / "pipeline.yaml"), "run",
                     "--outputs-root", str(scratch / "out"))
    assert code == 2
    assert expected in err
    assert _snapshot(reference) == before


@pytest.mark.parametrize(("args", "expected"), [
    (["-p", "colour=red"],
     "unknown parameter(s) colour; valid parameters: "),
    (["-p", "lang=3"], "lang must be 'en' or 'zh', got 3"),  # checked before any kernel
    (["-p", "money_unit=usd"], "money_unit must be one of auto, yuan, wan, million, yi"),
    (["-p", "output_dir=/tmp"], "output_dir is set by the runner"),
    (["--outputs-root", "/tmp/elsewhere"], "is outside the project's outputs/ folder"),
])
def test_bad_parameters(scratch, reference, first_notebook, args, expected, capsys):
    before = _snapshot(reference)
    code, err = _cli(capsys, "run", first_notebook, "--outputs-root", str(scratch / "out"),
                     *args)
    assert code == 2, err
    assert expected in err
    assert _snapshot(reference) == before


def test_invalid_value_fails_in_the_first_cells(scratch, reference, first_notebook):
    before = _snapshot(reference)
    result = _runner(scratch, first_notebook, params={"money_unit": "dollars"}).execute()
    assert not result.ok
    failed = result.results[0]
    assert failed.cell is not None and failed.cell <= 3  # parameters, injected, setup
    assert "money_unit must be one of auto, yuan, wan, million, yi, got 'dollars'" in failed.error
    assert _snapshot(reference) == before


def test_html_in_a_quote_is_inert_in_the_report(paths, scratch):
    """A quote carrying <script> and <img onerror> shows as text in the report."""
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    anchor = "全市针对贫困户"
    article = paths.article.read_text(encoding="utf-8")
    at = article.index(anchor) + 2
    hostile_article = scratch / "hostile_article.txt"
    hostile_article.write_text(article[:at] + payload + article[at:], encoding="utf-8")
    rows = _rows(paths)
    for row in rows:
        offset, quote = int(row["quote_offset"]), row["quote"]
        if offset <= at < offset + len(quote):
            row["quote"] = quote[: at - offset] + payload + quote[at - offset:]
        elif offset >= at:
            row["quote_offset"] = str(offset + len(payload))
        row["source"] = hostile_article.relative_to(paths.root).as_posix()
    claims = scratch / "hostile_claims.csv"
    _write(claims, rows)
    # the metadata names the hostile text as the source the quotes come from
    meta = yaml.safe_load(claims.with_name("hostile_claims.meta.yaml").read_text("utf-8"))
    meta["sources"] = [{"id": "article", "kind": "article",
                        "path": hostile_article.relative_to(paths.root).as_posix(),
                        "title_en": "An article with markup in it"}]
    claims.with_name("hostile_claims.meta.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    pipeline = load_pipeline()
    shows_quotes = [s.name for s in pipeline.notebooks if s.name.startswith("02_")]
    if not shows_quotes:
        pytest.skip("notebook 02 (which shows the quotes) is not in the pipeline")
    result = Runner(pipeline, "hostile", params={"claims_path": claims.relative_to(
        paths.root).as_posix()}, outputs_root=scratch / "out", only=shows_quotes,
        progress=False).execute()
    assert result.ok, result.message
    page = (scratch / "out" / "hostile" / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("script") is None
    assert not soup.find_all(attrs={"onerror": True})
    assert "<script>alert(1)</script>" in soup.get_text()


def test_cells_a_spreadsheet_would_evaluate_are_neutralised(paths, tmp_path):
    """OWASP's advice on CSV injection: a text cell starting with = + - @ tab or CR gets
    a leading apostrophe; numbers (and text that is a plain number) stay numbers."""
    import pandas as pd

    from helpers.data.claims import load_claims
    from helpers.notebook import Notebook

    nb = Notebook(number="09", lang="en", money_unit="wan", claims_path="x",
                  output_dir=tmp_path, figure_formats=("svg",), claims=load_claims())
    frame = pd.DataFrame({
        "quote": ['=HYPERLINK("http://evil","x")', "+1+2", "@SUM(A1)", "\tx", "-0.48",
                  "plain"],
        "share_pct": [-0.48, 1.5, -3.0, 0.0, 2.0, 1e-7],
        "claim_ids": ["", "", "", "", "", ""]})
    nb.table(frame, "cells")
    back = pd.read_csv(tmp_path / "tables" / "09_cells.csv", keep_default_na=False)
    assert back["quote"].tolist() == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+2",
                                      "'@SUM(A1)", "'\tx", "-0.48", "plain"]
    assert back["share_pct"].tolist() == [-0.48, 1.5, -3.0, 0.0, 2.0, 1e-7]
    # the project's reference tables: no cell a spreadsheet would evaluate
    for table in sorted((paths.outputs / "default" / "tables").glob("*.csv")):
        for col, values in pd.read_csv(table, dtype=str, keep_default_na=False).items():
            for value in values:
                assert not (value.startswith(("=", "+", "@", "\t", "\r")) or (
                    value.startswith("-") and not value.lstrip("-").replace(".", "", 1)
                    .replace("e", "", 1).replace("-", "", 1).isdigit())), (table.name, col)


def test_a_large_claims_file_is_validated_once_and_loaded_validated(paths, scratch,
                                                                    monkeypatch):
    """A large table is validated once (the runner's check before any kernel) and kept;
    a kernel loads the validated table; any change to the file validates it again."""
    import helpers.data.claims as cl
    from helpers.data import framecache

    rows = _rows(paths)
    many = [{**rows[i % len(rows)], "id": f"x.test.row_{i}"} for i in range(6_000)]
    big = scratch / "large_claims.csv"
    _write(big, many)
    assert big.stat().st_size >= cl.CACHE_MIN_ROWS * 100
    first = cl.load_claims(big)
    key = cl._cache_key(big)
    try:
        assert key is not None and framecache.cache_file("claims", key).is_file()

        def no_validation(*args):
            raise AssertionError("validated again")

        monkeypatch.setattr(cl, "_read_rows", no_validation)
        again = cl.load_claims(big)
        assert again.equals(first) and again.attrs["meta"] == first.attrs["meta"]
        many[5]["number"] = "inf"
        _write(big, many)
        monkeypatch.undo()
        with pytest.raises(cl.ClaimsError, match=r"line 7 .*'number': expected a number"):
            cl.load_claims(big)
    finally:
        framecache.cache_file("claims", key).unlink(missing_ok=True)


def test_the_field_limit_does_not_depend_on_other_libraries(tmp_path, claims_rows):
    """frictionless (and others) raise csv's process-wide field limit on import; the loader
    reads with its own, so an oversized field gives the same message either way."""
    import csv
    import sys

    from conftest import write_claims

    import helpers.data.claims as cl

    claims_rows[4]["quote"] = "长" * 200_000
    bad = write_claims(tmp_path / "bad.csv", claims_rows)
    previous = csv.field_size_limit(sys.maxsize)
    try:
        with pytest.raises(cl.ClaimsError, match="field larger than field limit"):
            cl.load_claims(bad)
        assert csv.field_size_limit() == sys.maxsize  # restored
    finally:
        csv.field_size_limit(previous)
