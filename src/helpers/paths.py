"""Where the project's files live: the one object that owns paths.

The project root is found from this package's own location (``src/helpers/``
two levels below the root), never from the working directory, so notebooks and
scripts behave the same under JupyterLab, papermill, nbval and from any folder.

>>> from helpers.paths import get_paths
>>> paths = get_paths()
>>> paths.claims.relative_to(paths.root).parts[:2]
('data', 'claims')
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

#: Environment variable that overrides the discovered root (for an installed,
#: non-editable copy of the package).  Not needed in the normal editable setup.
ROOT_ENV = "POVERTY_NOTEBOOKS_ROOT"


class ProjectLayoutError(RuntimeError):
    """The project root could not be located or is incomplete."""


def find_project_root(start: Path | None = None) -> Path:
    """Return the project root: the nearest ancestor of this package holding ``pyproject.toml``.

    ``start`` defaults to this file; the environment variable ``POVERTY_NOTEBOOKS_ROOT``
    takes precedence when set.
    """
    override = os.environ.get(ROOT_ENV)
    if override:
        root = Path(override).resolve()
        if not (root / "pyproject.toml").is_file():
            raise ProjectLayoutError(f"{ROOT_ENV}={override} has no pyproject.toml")
        return root
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    raise ProjectLayoutError(
        f"no project root (pyproject.toml beside data/) above {here}; "
        f"install the package in editable mode (make venv) or set {ROOT_ENV}"
    )


@dataclass(frozen=True)
class ProjectPaths:
    """Every location the project reads or writes, relative to one root."""

    root: Path

    # -- folders ---------------------------------------------------------
    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        """Source texts exactly as obtained; never modified by code."""
        return self.data / "raw"

    @property
    def reference(self) -> Path:
        """Sourced context data (national statistics, census facts)."""
        return self.data / "reference"

    @property
    def claims_dir(self) -> Path:
        return self.data / "claims"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def cache(self) -> Path:
        """Tables kept between runs by the hash of their inputs (``helpers.data.framecache``)."""
        return self.outputs / ".cache"

    @property
    def report_cache(self) -> Path:
        """Font subsets and rendered notebook sections kept by ``helpers.batch.report``."""
        return self.cache / "report"

    # -- files -------------------------------------------------------------
    @property
    def pipeline(self) -> Path:
        """The batch's notebooks, their outputs and the default parameters."""
        return self.notebooks / "pipeline.yaml"

    @property
    def claims(self) -> Path:
        """The default claims table: ``defaults.claims_path`` of the pipeline file (data,
        so no module names the default county)."""
        return self.resolve(_default_claims_path(self.pipeline))

    def _default_source(self):
        from helpers.data.metadata import load_metadata

        return load_metadata(self.claims).primary

    def _source_file(self, path: str) -> Path:
        from helpers.data.metadata import resolve_source

        return resolve_source(self.claims, path)

    @property
    def article(self) -> Path:
        """The default claims' article (its metadata's primary source), verbatim UTF-8."""
        return self._source_file(self._default_source().path)

    @property
    def article_provenance(self) -> Path:
        """The provenance record of :attr:`article`, as its metadata names it."""
        return self._source_file(self._default_source().provenance)

    @property
    def exclusions(self) -> Path:
        """Numeric mentions of :attr:`article` that are not claims, with reasons."""
        return self._source_file(self._default_source().exclusions)

    @property
    def codebook(self) -> Path:
        """Every indicator id the project understands (the claims files' contract)."""
        return self.data / "codebook.csv"

    @property
    def datapackage(self) -> Path:
        return self.data / "datapackage.json"

    @property
    def national_poverty(self) -> Path:
        return self.reference / "national_rural_poverty.csv"

    @property
    def context_facts(self) -> Path:
        return self.reference / "context_facts.csv"

    # -- helpers -------------------------------------------------------------
    def resolve(self, path: str | os.PathLike[str]) -> Path:
        """Resolve ``path`` against the project root unless it is absolute."""
        p = Path(path).expanduser()
        return (p if p.is_absolute() else self.root / p).resolve()

    def relative(self, path: str | os.PathLike[str]) -> str:
        """``path`` relative to the root (POSIX form) when inside it, else as given.

        Used wherever a path is shown or stored, so no machine path leaks into
        outputs.
        """
        p = Path(path).resolve()
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).name if p.is_absolute() else Path(path).as_posix()


@functools.cache
def _default_claims_path(pipeline_file: Path) -> str:
    import yaml

    defaults = yaml.safe_load(pipeline_file.read_text(encoding="utf-8")).get("defaults") or {}
    if not defaults.get("claims_path"):
        raise ProjectLayoutError(f"{pipeline_file}: defaults.claims_path is not set")
    return str(defaults["claims_path"])


@functools.cache
def get_paths() -> ProjectPaths:
    """The project's paths, discovered once per process."""
    return ProjectPaths(find_project_root())
