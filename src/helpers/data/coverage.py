"""Coverage: every numeric mention of the source is a claim or a reasoned exclusion.

The extractor (:mod:`helpers.data.extract`) finds every numeric mention of a
source text; the claims table records the quantitative statements; the
exclusions file of that source (named in the claims' metadata: offset, text,
kind, reason, claim_ids) lists the mentions that are not claims — years, dates,
section numbers, names of policy formulas, a 全部 ("all") that restates a printed
count — each with a reason, and for periods (and such a 全部) the claims they
belong to.  Claims are the ``quantity`` mentions and the ``share`` mentions (全部)
that are the figure of their statement (see :data:`CLAIM_KINDS`).
:func:`coverage_table` joins the three so that a claim deleted by mistake, or a new
number in the text, shows up as ``uncovered``.
:func:`coverage_by_source` does so for every source of a claims file, reading
each text and exclusions file through the metadata; a source without an
exclusions file lists all its mentions that are not claims as uncovered.
"""

from __future__ import annotations

import os

import pandas as pd

from helpers.data.extract import KINDS, find_mentions
from helpers.paths import get_paths

EXCLUSION_COLUMNS = ["offset", "text", "kind", "reason", "reason_zh", "claim_ids"]

#: Kinds of mention a claim's printed value can be: a figure with a unit, or 全部.
CLAIM_KINDS = ("quantity", "share")


class ExclusionsError(ValueError):
    """An exclusions file that cannot be used."""


def _schema():
    """The exclusions file's schema (pandera is imported here, only when a file is read)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "offset": pa.Column(int, pa.Check.ge(0), coerce=True),
            "text": pa.Column(str, pa.Check.str_length(min_value=1)),
            "kind": pa.Column(str, pa.Check.isin(list(KINDS))),
            "reason": pa.Column(str, pa.Check.str_length(min_value=3,
                                                         error="a reason is required")),
            # the reason in Chinese, shown by a report in Chinese; optional (a file
            # without it, or a row left empty, shows the English reason)
            "reason_zh": pa.Column(str, required=False),
            "claim_ids": pa.Column(str),
        },
        strict=True, ordered=True, unique=["offset", "text"])


def load_exclusions(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load and validate an exclusions file (default: the default claims' one)."""
    paths = get_paths()
    file = paths.exclusions if path is None else paths.resolve(path)
    shown = paths.relative(file)
    frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    import pandera.pandas as pa

    try:
        frame = _schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        lines = [f"{shown}, line {int(i) + 2}, field '{c}': {chk}; got {v!r}"
                 for i, c, chk, v in zip(cases["index"], cases["column"], cases["check"],
                                         cases["failure_case"], strict=True)]
        raise ExclusionsError("\n".join(lines) or str(exc)) from None
    if "reason_zh" not in frame.columns:
        frame.insert(EXCLUSION_COLUMNS.index("reason_zh"), "reason_zh", "")
    return frame[EXCLUSION_COLUMNS]


def claim_spans(claims: pd.DataFrame) -> pd.DataFrame:
    """Each claim's printed value located in the text: id, start, end."""
    starts = [int(off) + quote.find(value) for off, quote, value in
              zip(claims["quote_offset"], claims["quote"], claims["value_printed"], strict=True)]
    return pd.DataFrame({"id": claims["id"].to_numpy(), "start": starts,
                         "end": [s + len(v) for s, v in zip(starts, claims["value_printed"],
                                                            strict=True)]})


def coverage_table(text: str, claims: pd.DataFrame, exclusions: pd.DataFrame) -> pd.DataFrame:
    """One row per numeric mention: its status (claim / excluded / uncovered) and why.

    Columns: start, end, text, kind, status, claim_ids, reason, reason_zh (the
    exclusions file's, else the English reason), sentence.
    """
    spans = claim_spans(claims)
    by_span: dict[tuple[int, int], list[str]] = {}
    for cid, s, e in spans.itertuples(index=False):
        by_span.setdefault((s, e), []).append(cid)
    reasons_zh = (exclusions["reason_zh"] if "reason_zh" in exclusions.columns
                  else exclusions["reason"])
    excluded = {(int(o), t): (r, z or r, ids) for o, t, r, z, ids in
                zip(exclusions["offset"], exclusions["text"], exclusions["reason"],
                    reasons_zh, exclusions["claim_ids"], strict=True)}
    known = set(claims["id"])
    rows = []
    for m in find_mentions(text):
        ids = by_span.get((m.start, m.end))
        if ids:
            status, claim_ids, reason, reason_zh = "claim", ";".join(ids), "", ""
        elif (m.start, m.text) in excluded:
            reason, reason_zh, cited = excluded[(m.start, m.text)]
            # an exclusion may name the claims a mention belongs to; keep those in this table
            claim_ids = ";".join(i for i in str(cited).split(";") if i in known)
            status = "excluded"
        else:
            status, claim_ids, reason, reason_zh = "uncovered", "", "", ""
        rows.append({"start": m.start, "end": m.end, "text": m.text, "kind": m.kind,
                     "status": status, "claim_ids": claim_ids, "reason": reason,
                     "reason_zh": reason_zh, "sentence": m.sentence})
    return pd.DataFrame(rows, columns=["start", "end", "text", "kind", "status", "claim_ids",
                                       "reason", "reason_zh", "sentence"])


def stale_exclusions(text: str, exclusions: pd.DataFrame) -> pd.DataFrame:
    """Exclusions that match no mention of the text (the text or the extractor changed)."""
    found = {(m.start, m.text) for m in find_mentions(text)}
    keep = [(int(o), t) not in found for o, t in zip(exclusions["offset"], exclusions["text"],
                                                     strict=True)]
    return exclusions[keep]


def unmatched_claims(text: str, claims: pd.DataFrame) -> pd.DataFrame:
    """Claims whose printed value is not a quantity (or 全部) mention found by the extractor."""
    found = {(m.start, m.end) for m in find_mentions(text) if m.kind in CLAIM_KINDS}
    spans = claim_spans(claims)
    keep = [(s, e) not in found for s, e in zip(spans["start"], spans["end"], strict=True)]
    return claims[keep]


def empty_exclusions() -> pd.DataFrame:
    """An exclusions table with no rows (a source without an exclusions file)."""
    return pd.DataFrame({c: pd.Series(dtype=int if c == "offset" else str)
                         for c in EXCLUSION_COLUMNS})


COVERAGE_COLUMNS = ["source", "start", "end", "chapter", "text", "kind", "status",
                    "claim_ids", "reason", "reason_zh", "sentence"]


def coverage_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """:func:`coverage_table` for every source of the claims' metadata, stacked.

    Each source's text and exclusions file are read through the metadata
    (``claims.attrs["meta"]``), and only the claims quoting that source are
    matched against it.  Columns: :data:`COVERAGE_COLUMNS` (``source`` is the
    source's id; ``chapter`` the chapter of the text the mention falls in).
    """
    from helpers.data.extract import chapter_of, chapters

    meta = claims.attrs["meta"]
    frames = []
    for src in meta.sources:
        text = meta.resolve(src.path).read_text(encoding="utf-8")
        exclusions = (load_exclusions(meta.resolve(src.exclusions))
                      if src.exclusions else empty_exclusions())
        own = claims[claims["source"] == src.path]
        table = coverage_table(text, own, exclusions)
        parts = chapters(text)
        table.insert(0, "source", src.id)
        table.insert(3, "chapter", [chapter_of(int(st), parts) for st in table["start"]])
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[COVERAGE_COLUMNS]
