"""Load and validate a claims table: one row per quantitative statement of an article.

A claims table is a UTF-8 CSV whose columns are described in
``data/datapackage.json`` (see ``CLAIM_FIELDS``).  :func:`load_claims` checks it
in two stages, both with pandera:

1. **columns**: types, allowed units and qualifiers, id pattern, unique ids,
   non-negative numbers;
2. **rows**: cross-field and provenance checks: the printed value parses to the
   stated number, unit and base value; the base unit is one the printed unit can
   express (人 never becomes 人次); the period ends after it starts; the quote is
   found verbatim at its character offset in the source text and contains the
   printed value.

Every problem is reported as ``file, line N (id ...), field 'x': what was
expected``; all problems of a stage are collected before raising
:class:`ClaimsError`.  Any file with the same columns (another county's report)
loads the same way: each row names its source text in the ``source`` column.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.data import codebook, framecache, units
from helpers.data.codebook import load_codebook
from helpers.data.metadata import ClaimsMeta, MetadataError, load_metadata, sidecar_path
from helpers.paths import get_paths

#: Columns of a claims table, in order, with a one-line description.
CLAIM_FIELDS: dict[str, str] = {
    "id": "indicator id from data/codebook.csv (<topic>.<indicator>), "
          "or x.<topic>.<indicator> for one outside it",
    "chapter": "chapter of the article (0 = lead with the headline figures)",
    "section": "section within the chapter (English slug)",
    "indicator_zh": "indicator as worded in the article",
    "indicator_en": "indicator in English",
    "value_printed": "the value exactly as printed, e.g. 4658.66万元",
    "number": "the number as printed, without multiplier (4658.66)",
    "unit_printed": "what follows the number as printed (万元, 余人, %, ...)",
    "base_unit": "unit of value_base (yuan, persons, person_times, households, ...)",
    "value_base": "the value in base units (万 = 1e4, 亿 = 1e8 applied)",
    "qualifier": "exact, at_least (余/多) or approx",
    "period_start": "first day the figure covers (ISO date; empty when not printed)",
    "period_end": "last day the figure covers (ISO date; empty when unknown)",
    "period_text": "the period as printed (2015—2020年春季, 2018年至今, ...)",
    "quote": "verbatim passage of the source containing the value",
    "quote_offset": "character offset of the quote in the source text",
    "source": "the source text file, relative to the project root",
    "notes": "anything a reader needs to interpret the row",
}

ID_PATTERN = r"^(x\.)?[a-z][a-z0-9_]*\.[a-z0-9_]+$"


class ClaimsError(ValueError):
    """A claims file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        if not problems:  # never "0 problem(s)": say that no rule named the fault
            problems = [Problem(path, None, None, "-", "the table could not be validated and "
                                "no rule named the fault; check its columns and values")]
        head = f"{path}: {len(problems)} problem(s) in the claims table"
        super().__init__("\n".join([head, *(f"  - {p}" for p in problems)]))


@dataclass(frozen=True)
class Problem:
    """One validation problem, located by file, line, row id and field."""

    file: str
    line: int | None
    claim_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        if self.claim_id:
            where += f" (id {self.claim_id})"
        return f"{where}, field '{self.field}': {self.message}"


# --------------------------------------------------------------------------- reading


#: Longest field the CSV reader accepts (Python's default), whatever another library set.
CSV_FIELD_LIMIT = 131_072


def _read_rows(path: Path, shown: str) -> tuple[pd.DataFrame, list[int], str]:
    """Read a CSV strictly as UTF-8; return all-string frame, each row's first line and
    the sha256 of the bytes read."""
    if path.is_dir():
        raise ClaimsError(shown, [Problem(shown, None, None, "-",
                                          "is a folder; expected a claims CSV file")])
    if not path.is_file():
        raise ClaimsError(shown, [Problem(shown, None, None, "-", "file not found")])
    data = path.read_bytes()
    if not data.strip():
        raise ClaimsError(shown, [Problem(
            shown, 1, None, "-",
            f"file is empty; expected a header row with the columns {', '.join(CLAIM_FIELDS)}")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ClaimsError(shown, [Problem(
            shown, line, None, "-",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); expected UTF-8 text "
            "(re-save the file as UTF-8 if it was written as GBK/GB18030)")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, lines = [], []
    start = 1
    # the limit is process-wide and some libraries raise it on import: read with ours
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ClaimsError(shown, [Problem(
            shown, start, None, "-",
            f"cannot be read as CSV ({exc}); a field longer than {CSV_FIELD_LIMIT:,} "
            "characters or an unclosed quote")]) from None
    finally:
        csv.field_size_limit(previous)
    problems = []
    seen_columns: set[str] = set()
    for name in header:
        if name in seen_columns:
            problems.append(Problem(shown, 1, None, name,
                                    "duplicate column; each column appears once"))
        seen_columns.add(name)
    missing = [c for c in CLAIM_FIELDS if c not in header]
    extra = [c for c in header if c not in CLAIM_FIELDS]
    problems += [Problem(shown, 1, None, c, "missing column; expected it in the header")
                 for c in missing]
    problems += [Problem(shown, 1, None, c, "unknown column; allowed columns are "
                         + ", ".join(CLAIM_FIELDS)) for c in extra]
    for record, line in zip(rows, lines, strict=True):
        if len(record) != len(header):
            problems.append(Problem(shown, line, record[0] if record else None, "-",
                                    f"row has {len(record)} cells; expected {len(header)}"))
    if problems:
        raise ClaimsError(shown, problems)
    if not rows:
        raise ClaimsError(shown, [Problem(shown, 2, None, "-", "no data rows after the header")])
    frame = pd.DataFrame(rows, columns=header, dtype=object)[list(CLAIM_FIELDS)]
    problems = _number_problems(frame, lines, shown)
    if problems:
        raise ClaimsError(shown, problems)
    return frame, lines, hashlib.sha256(data).hexdigest()


#: How a number is written in a claims table: ASCII digits, an optional sign, decimal
#: point and exponent; nothing a float() call would also take (``inf``, ``nan``,
#: ``3_4``, full-width ``３４``).
NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
WHOLE_TEXT = re.compile(r"[+-]?\d+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Longest value a field may hold (a quote is a passage, not an article).
MAX_FIELD = 10_000


def _number_problems(frame: pd.DataFrame, lines: list[int], shown: str) -> list[Problem]:
    """Numbers written as plain ASCII decimals and finite; ISO dates; no field longer
    than :data:`MAX_FIELD` characters (column-wise: 100,000 rows in well under a second)."""
    import numpy as np

    problems = []

    def add(mask, col, message):
        for idx in np.flatnonzero(np.asarray(mask)):
            problems.append(Problem(shown, lines[idx], frame["id"].iat[idx], col,
                                    message(str(frame[col].iat[idx]).strip())))

    def why(text: str) -> str:
        if not text.isascii() and any(c.isdigit() for c in text):
            return "; digits must be ASCII 0-9 (full-width or other digits are not read)"
        if "_" in text:
            return "; no _ separators in numbers"
        if text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
            return "; must be a finite number"
        return ""

    for col in ("chapter", "number", "value_base", "quote_offset"):
        whole = col in ("chapter", "quote_offset")
        text = frame[col].astype(str).str.strip()
        ok = text.str.fullmatch((WHOLE_TEXT if whole else NUMBER_TEXT).pattern) \
            & text.map(str.isascii)
        kind = "a whole number" if whole else "a number"
        add(~ok, col, lambda t, kind=kind: f"expected {kind}, got {t!r}{why(t)}")
        values = pd.to_numeric(text.where(ok, "0"), errors="coerce")
        add(ok & ~np.isfinite(values.to_numpy(dtype=float)), col,
            lambda t: f"must be a finite number, got {t!r} (too large for a float)")
    for col in ("period_start", "period_end"):
        text = frame[col].astype(str).str.strip()
        add((text != "") & ~text.str.fullmatch(ISO_DATE.pattern), col,
            lambda t: f"expected an ISO date YYYY-MM-DD or empty, got {t!r}")
    for col in CLAIM_FIELDS:
        add(frame[col].astype(str).str.len() > MAX_FIELD, col,
            lambda t: f"{len(t):,} characters; at most {MAX_FIELD:,} are allowed "
                      "(a quote is a passage)")
    return sorted(problems, key=lambda p: (p.line or 0, p.field))


# --------------------------------------------------------------------------- stage 1


def _column_schema():
    """Column-level rules (a pandera ``DataFrameSchema``): types, vocabularies, uniqueness."""
    import pandera.pandas as pa  # only when a table is validated, not when a kept one loads

    text = pa.Column(str, pa.Check.str_length(min_value=1, error="must not be empty"))
    date = pa.Column("datetime64[ns]", nullable=True, coerce=True)
    non_negative = pa.Check.ge(0, error="must be a number >= 0")
    return pa.DataFrameSchema(
        {
            "id": pa.Column(str, [pa.Check.str_matches(
                ID_PATTERN,
                error="must look like topic.indicator or x.topic.indicator (lower case, _)")],
                unique=True),
            "chapter": pa.Column(int, non_negative, coerce=True),
            "section": text,
            "indicator_zh": text,
            "indicator_en": text,
            "value_printed": text,
            "number": pa.Column(float, non_negative, coerce=True),
            "unit_printed": pa.Column(str),
            "base_unit": pa.Column(str, pa.Check.isin(
                list(units.BASE_UNITS), error="must be one of " + ", ".join(units.BASE_UNITS))),
            "value_base": pa.Column(float, non_negative, coerce=True),
            "qualifier": pa.Column(str, pa.Check.isin(
                list(units.QUALIFIERS), error="must be one of " + ", ".join(units.QUALIFIERS))),
            "period_start": date,
            "period_end": date,
            "period_text": pa.Column(str),
            "quote": text,
            "quote_offset": pa.Column(int, non_negative, coerce=True),
            "source": text,
            "notes": pa.Column(str),
        },
        strict=True,
        ordered=True,
    )


_EXPECTED_TYPE = {
    "chapter": "a whole number",
    "number": "a number",
    "value_base": "a number",
    "quote_offset": "a whole number (character offset)",
    "period_start": "an ISO date YYYY-MM-DD or empty",
    "period_end": "an ISO date YYYY-MM-DD or empty",
}


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn empty strings into missing values where a column may be empty."""
    out = frame.copy()
    for col in ("period_start", "period_end"):
        out[col] = out[col].where(out[col].str.strip() != "", None)
    return out


# --------------------------------------------------------------------------- stage 2


@dataclass(frozen=True)
class RowCheck:
    """A cross-field rule: ``test`` flags good rows; ``explain`` says what a bad row lacks."""

    name: str
    field: str
    test: Callable[[pd.Series], bool]
    explain: Callable[[pd.Series], str]


@functools.lru_cache(maxsize=65536)
def _parse_cached(printed: str) -> units.ParsedValue | None:
    try:
        return units.parse_printed(printed)
    except units.UnitError:
        return None


def _parsed(row) -> units.ParsedValue | None:
    return _parse_cached(row["value_printed"])


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _row_checks(source_text: Callable[[str], str | None]) -> list[RowCheck]:
    def found_at(row) -> bool:
        text = source_text(row["source"])
        off = int(row["quote_offset"])
        return text is not None and text[off: off + len(row["quote"])] == row["quote"]

    def explain_offset(row) -> str:
        text = source_text(row["source"])
        if text is None:
            return f"source text {row['source']!r} not found"
        where = text.find(row["quote"])
        if where < 0:
            return "quote not found in the source text; expected a verbatim passage"
        return f"quote is at character offset {where}, not {int(row['quote_offset'])}"

    return [
        RowCheck("value_parses", "value_printed",
                 lambda r: _parsed(r) is not None,
                 lambda r: _parse_error(r["value_printed"])),
        RowCheck("number_matches", "number",
                 lambda r: (p := _parsed(r)) is None or _close(p.number, r["number"]),
                 lambda r: f"expected {_parsed(r).number:g} as printed in "
                           f"{r['value_printed']!r}, got {r['number']:g}"),
        RowCheck("unit_matches", "unit_printed",
                 lambda r: (p := _parsed(r)) is None or p.unit_printed == r["unit_printed"],
                 lambda r: f"expected {_parsed(r).unit_printed!r} as printed in "
                           f"{r['value_printed']!r}, got {r['unit_printed']!r}"),
        RowCheck("base_unit_allowed", "base_unit",
                 lambda r: (p := _parsed(r)) is None
                 or r["base_unit"] in units.allowed_base_units(p.unit),
                 lambda r: f"printed unit {_parsed(r).unit or '(none)'!r} can express only "
                           f"{', '.join(units.allowed_base_units(_parsed(r).unit))}; "
                           f"got {r['base_unit']!r}"),
        RowCheck("value_base_matches", "value_base",
                 lambda r: (p := _parsed(r)) is None or _close(p.value, r["value_base"]),
                 lambda r: f"expected {_parsed(r).value:.10g} ({r['value_printed']} in base "
                           f"units), got {r['value_base']:.10g}"),
        RowCheck("qualifier_matches", "qualifier",
                 lambda r: (p := _parsed(r)) is None
                 or (p.qualifier == "at_least") == (r["qualifier"] == "at_least"),
                 lambda r: "expected 'at_least' (余/多 printed)" if _parsed(r).qualifier ==
                 "at_least" else "expected 'exact' or 'approx': no 余/多 is printed"),
        RowCheck("period_order", "period_end",
                 lambda r: pd.isna(r["period_start"]) or pd.isna(r["period_end"])
                 or r["period_start"] <= r["period_end"],
                 lambda r: f"period ends ({r['period_end']:%Y-%m-%d}) before it starts "
                           f"({r['period_start']:%Y-%m-%d})"),
        RowCheck("value_in_quote", "quote",
                 lambda r: r["value_printed"] in r["quote"],
                 lambda r: f"the quote does not contain the printed value {r['value_printed']!r}"),
        RowCheck("quote_at_offset", "quote_offset", found_at, explain_offset),
    ]


def _parse_error(printed: str) -> str:
    try:
        units.parse_printed(printed)
    except units.UnitError as exc:
        return f"{exc}; expected a number followed by a known unit"
    return "ok"


# --------------------------------------------------------------------------- public


def load_claims(path: str | os.PathLike[str] | None = None, *,
                keep: bool = False) -> pd.DataFrame:
    """Load and validate a claims table; default: the project's default table.

    Returns a frame with typed columns plus ``line`` (the CSV line each row
    starts on); ``attrs`` hold ``path`` (as shown), ``meta`` (the sidecar),
    ``codebook`` and ``sha256`` (of the file's bytes).  Raises :class:`ClaimsError`
    listing every problem found, each naming file, line, id and field.

    A validated table is kept in ``outputs/.cache/claims/`` by the hash of everything
    validation reads (:func:`_cache_key`) when ``keep`` is true (the batch runner's
    check before any kernel starts) or the file is large (:data:`CACHE_MIN_ROWS`); a
    kept table is loaded without validating it again, so the kernels of a run do not
    repeat the runner's validation.
    """
    paths = get_paths()
    file = paths.claims if path is None else paths.resolve(path)
    shown = paths.relative(file)
    try:
        meta = load_metadata(file)
    except (OSError, MetadataError, ValueError):
        meta = None  # reported once the file itself has been read
    key = None if meta is None else _cache_key(file, meta)
    cached = _read_cache(key)
    if cached is not None:  # kept from a file of the same bytes, maybe in another folder:
        cached.attrs.update(path=shown, meta=meta)  # its name and sidecar are this file's
        return cached
    raw, lines, digest = _read_rows(file, shown)
    ids = raw["id"].tolist()
    try:
        meta = meta or load_metadata(file)
    except MetadataError as exc:
        raise ClaimsError(shown, [Problem(shown, None, None, "metadata", str(exc))]) from None
    book = load_codebook()
    contract = _contract_problems(raw, lines, shown, meta, book)

    import pandera.pandas as pa  # only when a table is validated, not when a kept one loads

    try:
        typed = _column_schema().validate(_prepare(raw), lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise ClaimsError(shown, _column_problems(exc.failure_cases, raw, lines, shown)) from None

    cache: dict[str, str | None] = {}

    def source_text(name: str) -> str | None:
        if name not in cache:
            candidates = [file.parent / name, paths.resolve(name)]
            hit = next((c for c in candidates if c.is_file()), None)
            cache[name] = hit.read_text(encoding="utf-8") if hit else None
        return cache[name]

    if contract:
        raise ClaimsError(shown, contract)
    checks = {c.name: c for c in _row_checks(source_text)}
    records = typed.to_dict("records")  # rows as dicts once, not a Series per check
    row_schema = pa.DataFrameSchema(checks=[
        pa.Check(lambda df, c=c: pd.Series([bool(c.test(r)) for r in records], index=df.index),
                 name=c.name, error=c.name)
        for c in checks.values()])
    try:
        row_schema.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failed = exc.failure_cases.dropna(subset=["index"])
        problems = []
        for idx, check in sorted({(int(i), str(c)) for i, c in
                                  zip(failed["index"], failed["check"], strict=True)}):
            rule = checks[check]
            if rule.name != "value_parses" and not checks["value_parses"].test(typed.loc[idx]):
                continue  # an unreadable value explains the rest of the row
            problems.append(Problem(shown, lines[idx], ids[idx], rule.field,
                                    rule.explain(typed.loc[idx])))
        raise ClaimsError(shown, sorted(problems, key=lambda p: (p.line, p.field))) from None
    typed["line"] = lines
    typed.attrs["path"] = shown
    typed.attrs["meta"] = meta
    typed.attrs["codebook"] = book.attrs.get("path", "data/codebook.csv")
    typed.attrs["sha256"] = digest
    if keep or len(typed) >= CACHE_MIN_ROWS:
        _write_cache(key, typed)
    return typed


#: Tables of at least this many rows are kept validated in ``outputs/.cache/claims/``
#: whoever loads them; smaller ones only when the loader is asked to (``keep``: the
#: runner validates a file once and every notebook's kernel loads the result).
CACHE_MIN_ROWS = 5_000


def _cache_key(file: Path, meta: ClaimsMeta | None = None) -> str | None:
    """sha256 over everything validation reads: the claims file, its sidecar (``meta``,
    loaded when not given), the source texts it names, the codebook and the validating
    code; None when one is unreadable."""
    try:
        if not file.is_file():
            return None
        meta = meta or load_metadata(file)
        h = hashlib.sha256()
        here = Path(__file__).parent
        parts = [file, sidecar_path(file), get_paths().root / "data" / "codebook.csv",
                 *(here / m for m in ("claims.py", "units.py", "codebook.py", "metadata.py"))]
        parts += [file.parent / s.path if (file.parent / s.path).is_file()
                  else get_paths().resolve(s.path) for s in meta.sources]
        for part in parts:
            h.update(str(part.name).encode())
            h.update(get_paths().resolve(part).read_bytes())
        return h.hexdigest()
    except (OSError, MetadataError, ValueError):
        return None


def _read_cache(key: str | None) -> pd.DataFrame | None:
    return framecache.read_frame("claims", key)


def _write_cache(key: str | None, frame: pd.DataFrame) -> None:
    framecache.write_frame("claims", key, frame)


def _contract_problems(raw: pd.DataFrame, lines: list[int], shown: str, meta: ClaimsMeta,
                       book: pd.DataFrame) -> list[Problem]:
    """Rows against the codebook and the sidecar: known ids, their base unit, listed sources."""
    problems = []
    listed = {s.path for s in meta.sources}
    for idx, row in enumerate(raw.to_dict("records")):
        cid, line = row["id"], lines[idx]
        if not codebook.is_extension(cid) and re.match(ID_PATTERN, cid):
            if cid not in book.index:
                problems.append(Problem(shown, line, cid, "id",
                                        codebook.unknown_id_message(cid, book.index)))
            elif row["base_unit"] != book.at[cid, "base_unit"] and _unit_allowed(row):
                problems.append(Problem(
                    shown, line, cid, "base_unit",
                    f"the codebook files {cid!r} in {book.at[cid, 'base_unit']!r}; "
                    f"got {row['base_unit']!r}"))
        if row["source"] not in listed:
            problems.append(Problem(
                shown, line, cid, "source",
                f"source {row['source']!r} is not listed in {meta.file} (sources: "
                f"{', '.join(sorted(listed))})"))
    return problems


def _unit_allowed(row) -> bool:
    """Whether the printed unit can express the row's base unit (else a row check says so)."""
    try:
        parsed = units.parse_printed(row["value_printed"])
    except units.UnitError:
        return False
    return row["base_unit"] in units.allowed_base_units(parsed.unit)


def _column_problems(cases: pd.DataFrame, raw: pd.DataFrame, lines: list[int],
                     shown: str) -> list[Problem]:
    """Turn pandera failure cases into located problems (one per row and field)."""
    problems: dict[tuple, Problem] = {}
    coerce_failed = set()
    for case in cases.itertuples(index=False):
        idx, col, check = case.index, case.column, str(case.check)
        if idx is None or pd.isna(idx):
            key = (None, col, check)
            if key not in problems:
                problems[key] = Problem(shown, None, None, str(col or "-"),
                                        f"{check}; failure case {case.failure_case!r}")
            continue
        idx = int(idx)
        if check.startswith(("coerce_dtype", "dtype(")):
            coerce_failed.add((idx, col))
            message = (f"expected {_EXPECTED_TYPE.get(col, 'a value of the right type')}, "
                       f"got {raw.at[idx, col]!r}")
        elif check == "field_uniqueness":
            message = f"duplicate id {raw.at[idx, col]!r}; ids must be unique"
        else:
            if (idx, col) in coerce_failed:
                continue
            message = f"{check}; got {raw.at[idx, col]!r}"
        key = (idx, col)
        if key not in problems:
            problems[key] = Problem(shown, lines[idx], raw.at[idx, "id"], col, message)
    return sorted(problems.values(), key=lambda p: (p.line or 0, p.field))


def get_claim(claims: pd.DataFrame, claim_id: str) -> pd.Series:
    """One claim row by id; ``KeyError`` naming the id and the file if absent."""
    hits = (claims["id"].to_numpy() == claim_id).nonzero()[0]  # no mask Series, no copy
    if not len(hits):
        raise KeyError(f"claim {claim_id!r} not in {claims.attrs.get('path', 'claims table')}")
    return claims.iloc[hits[0]]


def value(claims: pd.DataFrame, claim_id: str) -> float:
    """The value of a claim in base units."""
    return float(get_claim(claims, claim_id)["value_base"])


# --------------------------------------------------------------------------- views


#: Columns no notebook reads: ``notes`` documents a row for a human reader and ``line``
#: locates it in the file (for error messages).  They are not part of a notebook's view
#: (:func:`claims_view`), so editing a note, or moving rows, reruns nothing.
UNREAD_COLUMNS = ("notes", "line")


def claim_domain(claim_id: str) -> str:
    """The domain of a claim id: its codebook topic (``x.`` extensions included).

    >>> claim_domain("poverty.households_registered"), claim_domain("x.health.clinics")
    ('poverty', 'health')
    """
    return str(claim_id).removeprefix("x.").split(".", 1)[0]


def view_columns(claims: pd.DataFrame) -> list[str]:
    """The columns of ``claims`` a notebook sees (all but :data:`UNREAD_COLUMNS`)."""
    return [c for c in claims.columns if c not in UNREAD_COLUMNS]


def claims_view(claims: pd.DataFrame, domains=None, other_rows=None) -> pd.DataFrame:
    """The part of a claims table a notebook sees: the rows whose id is in one of
    ``domains`` (codebook topics; None: every row), in file order, and every column but
    :data:`UNREAD_COLUMNS`; ``attrs`` are kept (``attrs["domains"]`` and
    ``attrs["other_rows"]`` record the selector).  The batch runner's cache key of a
    notebook hashes exactly this (:func:`view_hash`): what lies outside it cannot change
    the notebook's outputs.

    With ``other_rows`` (column names; ``domains`` required) the rows outside
    ``domains`` are kept too, but only their ``id`` and the columns listed carry values:
    every other column of those rows is missing (NaN, NaT, or ``<NA>`` in an integer
    column, which becomes the nullable ``Int64``), so the notebook cannot read a value
    its cache key does not cover.
    """
    columns = view_columns(claims)
    if other_rows is not None:
        if domains is None:
            raise ValueError("claims view: other_rows needs domains (the rows seen whole)")
        unknown = sorted(set(other_rows) - set(columns))
        if unknown:
            raise ValueError(f"claims view: other_rows names {', '.join(unknown)}, not "
                             f"column(s) a notebook sees ({', '.join(columns)})")
    if domains is None:
        view = claims[columns].reset_index(drop=True)
    else:
        inside = claims["id"].map(claim_domain).isin(set(domains)).to_numpy()
        if other_rows is None:
            view = claims.loc[inside, columns].reset_index(drop=True)
        else:
            view = claims[columns].reset_index(drop=True)
            keep = {"id", *other_rows}
            for col in (c for c in columns if c not in keep):
                if pd.api.types.is_integer_dtype(view[col]) or pd.api.types.is_bool_dtype(
                        view[col]):
                    view[col] = view[col].astype("Int64" if pd.api.types.is_integer_dtype(
                        view[col]) else "boolean")
                view[col] = view[col].mask(~inside)
    view.attrs = {**claims.attrs,
                  "domains": None if domains is None else sorted(set(domains)),
                  "other_rows": None if other_rows is None else sorted({"id", *other_rows})}
    return view


def view_hash(view: pd.DataFrame) -> str:
    """sha256 of a view's columns and values (as CSV, every float at full precision),
    and of the columns other rows carry when the view has them (``attrs["other_rows"]``)."""
    h = hashlib.sha256()
    h.update("\x1f".join(map(str, view.columns)).encode("utf-8") + b"\n")
    other = view.attrs.get("other_rows")
    if other is not None:
        h.update(b"other_rows:" + "\x1f".join(other).encode("utf-8") + b"\n")
    h.update(view.to_csv(index=False, header=False, lineterminator="\n",
                         date_format="%Y-%m-%d").encode("utf-8"))
    return h.hexdigest()
