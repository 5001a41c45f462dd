"""A claims file's metadata: which county, when, and from which sources.

Every claims CSV has a sidecar ``<stem>.meta.yaml`` beside it (for
``data/claims/x_claims.csv``: ``data/claims/x_claims.meta.yaml``)
holding the county's names, province, level and administrative code, the
reporting date that open-ended periods end at, whether the county is fictional
(test fixtures), and the source texts the claims quote, each with its own
provenance record and exclusions file.  Titles, legends and headings take the
county's name from here; no code names a county.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.paths import get_paths

#: Keys of the ``county`` mapping; those marked True are required.
COUNTY_KEYS = {
    "name_zh": True, "name_en": True, "level_zh": True, "level_en": True,
    "province_zh": True, "province_en": True, "prefecture_zh": False, "prefecture_en": False,
    "region": False, "admin_code": False, "province_code": False,
}

SOURCE_KINDS = ("article", "context")


class MetadataError(ValueError):
    """A metadata sidecar that is missing or malformed; the message names file and field."""


@dataclass(frozen=True)
class Source:
    """One source text the claims quote."""

    id: str
    path: str                      # relative to the project root (or the sidecar's folder)
    kind: str = "article"          # article, or context (a yearbook line, a census table)
    title_zh: str = ""
    title_en: str = ""
    provenance: str | None = None
    exclusions: str | None = None  # numeric mentions of this source that are not claims
    published: str = ""

    def title(self, lang: str) -> str:
        return (self.title_en or self.title_zh) if lang == "en" else (self.title_zh
                                                                      or self.title_en)


@dataclass(frozen=True)
class ClaimsMeta:
    """The metadata of one claims file."""

    file: str                              # the sidecar, relative to the project root
    county: dict
    reporting_date: dt.date
    sources: tuple[Source, ...]
    fictional: bool = False
    reporting_date_basis: str = ""
    extra: dict = field(default_factory=dict)
    #: Where the sidecar is on this machine (never shown or written: ``file`` is), so a
    #: sidecar outside the project resolves its sources from its own folder.
    location: str = field(default="", repr=False, compare=False)

    def __deepcopy__(self, memo) -> ClaimsMeta:
        """The same object: metadata is never changed once loaded (frozen, and its dicts
        are only read).  pandas deep-copies a table's ``attrs`` after every operation on
        it, and a claims table carries its metadata there: copying it each time cost a
        notebook a few tenths of a second."""
        return self

    def county_name(self, lang: str) -> str:
        """The county's name in ``lang`` (``name_zh`` / ``name_en``)."""
        return self.county["name_en"] if lang == "en" else self.county["name_zh"]

    def province_name(self, lang: str) -> str:
        return self.county["province_en"] if lang == "en" else self.county["province_zh"]

    def level(self, lang: str) -> str:
        return self.county["level_en"] if lang == "en" else self.county["level_zh"]

    def place(self, lang: str) -> str:
        """``<name_en> (<province_en>)`` / ``<province_zh><name_zh>``."""
        if lang == "en":
            return f"{self.county['name_en']} ({self.county['province_en']})"
        return f"{self.county['province_zh']}{self.county['name_zh']}"

    @property
    def primary(self) -> Source:
        """The first article among the sources (the report the claims file is about)."""
        return next((s for s in self.sources if s.kind == "article"), self.sources[0])

    def source(self, path_or_id: str) -> Source | None:
        """The source with this id or path, or None."""
        return next((s for s in self.sources if path_or_id in (s.id, s.path)), None)

    def resolve(self, path: str) -> Path:
        """A path written in the sidecar (a source, its exclusions), resolved from the
        sidecar's folder first, then from the project root (:func:`resolve_source`)."""
        return resolve_source(self.location or self.file, path)


def sidecar_path(claims_path: str | os.PathLike[str]) -> Path:
    """Where the metadata of a claims file lives: ``<stem>.meta.yaml`` beside it."""
    p = get_paths().resolve(claims_path)
    return p.with_name(p.stem + ".meta.yaml")


def load_metadata(claims_path: str | os.PathLike[str]) -> ClaimsMeta:
    """Read and check the sidecar of ``claims_path``; :class:`MetadataError` if unusable."""
    paths = get_paths()
    file = sidecar_path(claims_path)
    shown = paths.relative(file)
    if not file.is_file():
        raise MetadataError(
            f"{shown}: metadata sidecar not found; every claims file needs one beside it "
            "naming the county (name_zh, name_en, level, province), the reporting date and "
            "the sources (see the default claims' sidecar in data/claims/)")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{shown}: not readable as UTF-8 YAML: {exc}") from None
    if not isinstance(data, dict):
        raise MetadataError(f"{shown}: expected a mapping with county, reporting_date, sources")

    def need(mapping, key, where):
        if key not in mapping or mapping[key] in (None, ""):
            raise MetadataError(f"{shown}, field '{where}{key}': required, missing or empty")
        return mapping[key]

    county = need(data, "county", "")
    if not isinstance(county, dict):
        raise MetadataError(f"{shown}, field 'county': expected a mapping")
    for key, required in COUNTY_KEYS.items():
        if required:
            need(county, key, "county.")
    unknown = sorted(set(county) - set(COUNTY_KEYS))
    if unknown:
        raise MetadataError(f"{shown}, field 'county.{unknown[0]}': unknown key; allowed: "
                            + ", ".join(COUNTY_KEYS))
    county = {k: str(v) for k, v in county.items()}

    date = need(data, "reporting_date", "")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise MetadataError(f"{shown}, field 'reporting_date': expected an ISO date "
                                f"YYYY-MM-DD, got {date!r}") from None
    if not isinstance(date, dt.date):
        raise MetadataError(f"{shown}, field 'reporting_date': expected an ISO date, "
                            f"got {date!r}")

    raw_sources = need(data, "sources", "")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise MetadataError(f"{shown}, field 'sources': expected a non-empty list")
    sources, seen = [], set()
    for i, s in enumerate(raw_sources):
        where = f"sources[{i}]."
        if not isinstance(s, dict):
            raise MetadataError(f"{shown}, field 'sources[{i}]': expected a mapping")
        sid, path = str(need(s, "id", where)), str(need(s, "path", where))
        kind = str(s.get("kind", "article"))
        if kind not in SOURCE_KINDS:
            raise MetadataError(f"{shown}, field '{where}kind': must be one of "
                                f"{', '.join(SOURCE_KINDS)}, got {kind!r}")
        if sid in seen:
            raise MetadataError(f"{shown}, field '{where}id': duplicate source id {sid!r}")
        seen.add(sid)
        sources.append(Source(
            id=sid, path=path, kind=kind, title_zh=str(s.get("title_zh", "")),
            title_en=str(s.get("title_en", "")),
            provenance=str(s["provenance"]) if s.get("provenance") else None,
            exclusions=str(s["exclusions"]) if s.get("exclusions") else None,
            published=str(s.get("published", ""))))
    known = {"county", "reporting_date", "reporting_date_basis", "fictional", "sources"}
    return ClaimsMeta(file=shown, county=county, reporting_date=date, sources=tuple(sources),
                      fictional=bool(data.get("fictional", False)),
                      reporting_date_basis=str(data.get("reporting_date_basis", "")).strip(),
                      extra={k: v for k, v in data.items() if k not in known},
                      location=str(file))


def resolve_source(meta_or_claims_path: str | os.PathLike[str], path: str) -> Path:
    """A source path as written in a sidecar or claims row, resolved.

    Tried relative to the claims file's folder first, then to the project root.
    """
    paths = get_paths()
    base = paths.resolve(meta_or_claims_path).parent
    for candidate in (base / path, paths.resolve(path)):
        if candidate.is_file():
            return candidate.resolve()
    return paths.resolve(path)
