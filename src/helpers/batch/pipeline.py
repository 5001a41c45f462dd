"""The pipeline file: which notebooks run, in which order, with what, producing what.

``notebooks/pipeline.yaml`` declares every notebook of the batch run, the
notebooks it depends on, the input files it reads, the claims it sees
(``claims: {domains: [...]}``: the codebook topics of its rows; every row when
absent; ``other_rows: [...]``: the columns it also sees of the other rows),
notebook-specific default parameters, and the figures and tables it produces (each
with a caption: the README's list of figures and tables is generated from it).
Named runs (e.g. ``default`` and ``zh``) override parameters and write to ``outputs/<run>/``.

Errors (a cycle, an unknown dependency, a duplicate name, a missing notebook)
raise :class:`PipelineError` naming the file and the notebook.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.paths import get_paths

NAME_RE = re.compile(r"^[0-9]{2}_[a-z0-9_]+$")
RUN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")

#: Names no run may take: device names some systems reserve (a folder ``outputs/nul``
#: cannot be made on Windows). Names starting with ``.`` (``.staging``, ``.runs``) are
#: the runner's own folders and fail :data:`RUN_RE`.
RESERVED_RUN_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                                *(f"lpt{i}" for i in range(10))})


def run_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a run (and output folder) name, or None when it can.

    >>> run_name_problem("county_claims") is None
    True
    >>> run_name_problem("..")
    "'..' is not a valid run name (a letter or digit, then up to 79 letters, digits, _ . -)"
    >>> run_name_problem("NUL")
    "'NUL' is a reserved name"
    """
    if not isinstance(name, str) or not RUN_RE.match(name) or name.endswith("."):
        return (f"{name!r} is not a valid run name (a letter or digit, then up to 79 "
                "letters, digits, _ . -)")
    if name.split(".")[0].lower() in RESERVED_RUN_NAMES:
        return f"{name!r} is a reserved name"
    return None


class PipelineError(ValueError):
    """A pipeline file that cannot be used."""


@dataclass(frozen=True)
class NotebookSpec:
    """One notebook of the pipeline."""

    name: str
    path: Path
    depends_on: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    parameters: dict = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    #: Chinese captions (``figures_zh``/``tables_zh`` of the pipeline file), same keys
    figures_zh: dict[str, str] = field(default_factory=dict)
    tables_zh: dict[str, str] = field(default_factory=dict)
    #: codebook topics of the claim rows the notebook sees (None: every row); see
    #: :func:`claims_selector`
    claims_domains: tuple[str, ...] | None = None
    #: columns it sees of the rows outside those domains (None: it does not see them)
    claims_other_rows: tuple[str, ...] | None = None

    def caption(self, kind: str, name: str, lang: str = "en") -> str:
        """Caption of figure or table ``name`` (``kind`` ``figures``/``tables``) in ``lang``."""
        if lang == "zh":
            zh = getattr(self, f"{kind}_zh").get(name)
            if zh:
                return zh
        return getattr(self, kind).get(name, "")

    def outputs(self, figure_formats=("svg", "png")) -> list[str]:
        """Relative paths (under the run folder) of the files this notebook must write."""
        files = [f"figures/{self.name[:2]}_{fig}.{fmt}" for fig in self.figures
                 for fmt in figure_formats]
        files += [f"tables/{self.name[:2]}_{tab}.csv" for tab in self.tables]
        return files


@dataclass(frozen=True)
class Pipeline:
    """All notebooks (in dependency order), shared defaults and named runs."""

    source: str
    notebooks: tuple[NotebookSpec, ...]
    defaults: dict
    runs: dict[str, dict]
    #: notebooks marked ``batch: true``: run once per batch of claims files (after the
    #: per-county runs, by :func:`helpers.batch.runner.run_comparison`), never per county
    batch_notebooks: tuple[NotebookSpec, ...] = ()

    def get(self, name: str) -> NotebookSpec:
        for nb in self.notebooks:
            if nb.name == name:
                return nb
        raise PipelineError(f"{self.source}: unknown notebook {name!r}; known: "
                            + ", ".join(n.name for n in self.notebooks))

    def run_parameters(self, run: str) -> dict:
        """Parameters of a named run (defaults overridden by the run's own)."""
        if run not in self.runs:
            raise PipelineError(f"{self.source}: unknown run {run!r}; known: "
                                + ", ".join(self.runs))
        return {**self.defaults, **(self.runs[run] or {})}

    def upstream(self, name: str) -> list[str]:
        """Every notebook ``name`` depends on, directly or not."""
        seen: list[str] = []
        stack = list(self.get(name).depends_on)
        while stack:
            dep = stack.pop()
            if dep not in seen:
                seen.append(dep)
                stack.extend(self.get(dep).depends_on)
        return seen

    def downstream(self, name: str) -> list[str]:
        """Every notebook that depends on ``name``, directly or not."""
        return [n.name for n in self.notebooks if name in self.upstream(n.name)]


def _as_tuple(value, what: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PipelineError(f"{where}: {what} must be a list of strings, got {value!r}")
    return tuple(value)


def _captions(value, what: str, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PipelineError(f"{where}: {what} must map output names to captions")
    for key, caption in value.items():
        if not re.fullmatch(r"[a-z0-9_]+", str(key)) or not isinstance(caption, str):
            raise PipelineError(f"{where}: {what} entry {key!r} needs a snake_case name "
                                "and a caption string")
    return {str(k): v for k, v in value.items()}


def _claims_selector(value, where: str
                     ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The ``claims`` entry of a notebook, ``{domains: [topic, ...], other_rows: [column,
    ...]}`` (``other_rows`` optional) or absent: ``(domains, other_rows)``, each sorted,
    None when absent."""
    if value is None:
        return None, None
    domains = value.get("domains") if isinstance(value, dict) else None
    other = value.get("other_rows") if isinstance(value, dict) else None
    if not isinstance(value, dict) or set(value) - {"domains", "other_rows"} or not isinstance(
            domains, list) or not domains or not all(
            isinstance(d, str) and re.fullmatch(r"[a-z][a-z0-9_]*", d) for d in domains) or (
            "other_rows" in value and not (isinstance(other, list) and other and all(
                isinstance(c, str) and re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in other))):
        raise PipelineError(f"{where}: claims must be {{domains: [topic, ...]}} (codebook "
                            "topics, lower case), optionally with other_rows: [column, ...] "
                            f"(the claims columns read of the other rows), got {value!r}")
    return tuple(sorted(set(domains))), None if other is None else tuple(sorted(set(other)))


def claims_selector(number: str, path: str | os.PathLike[str] | None = None
                    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """``(domains, other_rows)`` of notebook ``number``, as the pipeline file (default
    ``notebooks/pipeline.yaml``) declares them: the claim domains (codebook topics) whose
    rows it sees whole, None for every row, and the columns it sees of the other rows
    (None: those rows are not in its view).  ``(None, None)`` without a declaration, such
    a notebook or a readable pipeline file; a declaration of the wrong shape raises
    :class:`PipelineError`.

    Read by :func:`helpers.notebook.setup` to give the notebook its view of the claims,
    in JupyterLab as under the runner, and by the runner to tell whether a notebook's
    recorded view is still the one it would get.
    """
    paths = get_paths()
    file = paths.pipeline if path is None else paths.resolve(path)
    try:
        data = yaml.load(file.read_text(encoding="utf-8"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (OSError, yaml.YAMLError):
        return None, None
    for entry in data.get("notebooks") or [] if isinstance(data, dict) else []:
        if isinstance(entry, dict) and str(entry.get("name", "")).startswith(f"{number}_"):
            return _claims_selector(entry.get("claims"),
                                    f"{paths.relative(file)}: notebook {entry['name']!r}")
    return None, None


def load_pipeline(path: str | os.PathLike[str] | None = None) -> Pipeline:
    """Read and check a pipeline file (default ``notebooks/pipeline.yaml``)."""
    paths = get_paths()
    file = paths.pipeline if path is None else paths.resolve(path)
    shown = paths.relative(file)
    if not file.is_file():
        raise PipelineError(f"{shown}: pipeline file not found")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PipelineError(f"{shown}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("notebooks"), list):
        raise PipelineError(f"{shown}: expected a mapping with a 'notebooks' list")
    specs: list[NotebookSpec] = []
    batch_names: set[str] = set()
    for i, entry in enumerate(data["notebooks"], start=1):
        if not isinstance(entry, dict) or "name" not in entry:
            raise PipelineError(f"{shown}: notebook entry {i} needs a 'name'")
        name = str(entry["name"])
        where = f"{shown}: notebook {name!r}"
        if not NAME_RE.match(name):
            raise PipelineError(f"{where}: names look like 01_topic (two digits, snake_case)")
        if any(s.name == name for s in specs):
            raise PipelineError(f"{where}: duplicate notebook name")
        unknown = set(entry) - {"name", "path", "depends_on", "inputs", "parameters",
                                "figures", "tables", "figures_zh", "tables_zh", "batch",
                                "claims"}
        if unknown:
            raise PipelineError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        nb_path = file.parent / entry.get("path", f"{name}.ipynb")
        if not nb_path.is_file():
            raise PipelineError(f"{where}: notebook file {paths.relative(nb_path)} not found")
        if not isinstance(entry.get("batch", False), bool):
            raise PipelineError(f"{where}: batch must be true or false")
        if entry.get("batch"):
            batch_names.add(name)
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise PipelineError(f"{where}: parameters must be a mapping")
        selector = _claims_selector(entry.get("claims"), where)
        specs.append(NotebookSpec(
            name=name, path=nb_path.resolve(),
            depends_on=_as_tuple(entry.get("depends_on"), "depends_on", where),
            inputs=_as_tuple(entry.get("inputs"), "inputs", where),
            parameters=params,
            figures=_captions(entry.get("figures"), "figures", where),
            tables=_captions(entry.get("tables"), "tables", where),
            figures_zh=_captions(entry.get("figures_zh"), "figures_zh", where),
            tables_zh=_captions(entry.get("tables_zh"), "tables_zh", where),
            claims_domains=selector[0], claims_other_rows=selector[1]))
        for kind in ("figures", "tables"):
            extra = set(getattr(specs[-1], f"{kind}_zh")) - set(getattr(specs[-1], kind))
            if extra:
                raise PipelineError(f"{where}: {kind}_zh names {', '.join(sorted(extra))} "
                                    f"not among its {kind}")
    names = {s.name for s in specs}
    for s in specs:
        for dep in s.depends_on:
            if dep not in names:
                raise PipelineError(f"{shown}: notebook {s.name!r} depends on unknown "
                                    f"notebook {dep!r}")
        for inp in s.inputs:
            if not paths.resolve(inp).exists():
                raise PipelineError(f"{shown}: notebook {s.name!r} input {inp!r} not found")
    runs = data.get("runs") or {"default": {}}
    if not isinstance(runs, dict) or any(run_name_problem(str(r)) for r in runs):
        raise PipelineError(f"{shown}: runs must map run names (letters, digits, _.-) "
                            "to parameter mappings")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise PipelineError(f"{shown}: defaults must be a mapping")
    county = [s for s in specs if s.name not in batch_names]
    return Pipeline(source=shown, notebooks=tuple(_topological(county, shown)),
                    defaults=defaults, runs={str(k): v or {} for k, v in runs.items()},
                    batch_notebooks=tuple(s for s in specs if s.name in batch_names))


def _topological(specs: list[NotebookSpec], shown: str) -> list[NotebookSpec]:
    """Order notebooks so each comes after its dependencies (file order otherwise)."""
    by_name = {s.name: s for s in specs}
    done: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = [*visiting[visiting.index(name):], name]
            raise PipelineError(f"{shown}: dependency cycle: {' -> '.join(cycle)}")
        visiting.append(name)
        for dep in by_name[name].depends_on:
            visit(dep)
        visiting.pop()
        done.append(name)

    for s in specs:
        visit(s.name)
    return [by_name[n] for n in done]
