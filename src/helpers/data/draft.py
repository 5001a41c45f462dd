"""Draft a claims file, its metadata sidecar and its exclusions from an article.

``leiyang-poverty draft ARTICLE.txt`` calls :func:`write_draft`, which writes four
files beside each other (``<stem>`` is the article's file name without ``.txt`` and
without a trailing ``_article``):

``<stem>_claims.csv``
    one row per quantity the extractor (:mod:`helpers.data.extract`) finds, in the
    loader's columns exactly (so the draft loads as it is): id proposed from the
    codebook, chapter from the article's numbered headings, printed value, number,
    unit, base unit where the printed unit allows only one (or the proposed id's),
    qualifier, period from 以来/至今/截至/year ranges/上半年, quote and offset.
``<stem>_review.csv``
    the review columns, one row per claims row (``line`` is the claims row's line):
    ``confidence`` (high, medium, low), ``matched_phrase`` (the codebook phrase found
    near the number), ``candidates`` (the other ids that matched) and ``review`` (what
    a person must decide, empty when nothing).  They are kept out of the claims file
    so that the loader's strict columns hold: the draft never breaks ``load_claims``.
``<stem>_claims.meta.yaml``
    the sidecar: sources filled in, the reporting date proposed from the article's
    dates (截至2020年6月底 -> 2020-06-30) or ``TODO``, county fields ``TODO``.
``<stem>_exclusions.csv``
    every other numeric mention (years, dates, section numbers, formulas) with a
    reason; numbers the extractor cannot classify get a reason starting ``TODO``.

Nothing is guessed silently: an id with no codebook phrase near it is filed as
``x.review.<nnn>`` (a loadable extension id) with ``review`` saying so; an id that
two numbers compete for goes to the better match, the other is marked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.data import extract, units
from helpers.data.claims import CLAIM_FIELDS
from helpers.data.codebook import load_codebook
from helpers.paths import get_paths

#: Columns of the review file.
REVIEW_COLUMNS = ("line", "id", "value_printed", "confidence", "matched_phrase", "candidates",
                  "review")

#: Placeholder for what a person must fill in.
TODO = "TODO"

_CLAUSE_ENDS = "，,；;。！？!?：:\n"
_D = "0-9０-９"


@dataclass(frozen=True)
class Match:
    """A codebook id proposed for a number."""

    id: str
    score: float
    phrase: str


# --------------------------------------------------------------------------- ids


def keyword_table(book: pd.DataFrame) -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, phrase as written, parts) for each codebook phrase: keywords_zh and indicator_zh.

    ``a+b`` in ``keywords_zh`` needs both parts in the clause.
    """
    out = []
    for cid, row in book.iterrows():
        phrases = [p for p in str(row.get("keywords_zh", "") or "").split("|") if p]
        phrases.append(str(row["indicator_zh"]))
        for p in phrases:
            out.append((cid, p, tuple(x for x in p.split("+") if x)))
    return out


def clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause text before and after a mention (to the nearest 。，；: or line break)."""
    a = start
    while a > 0 and text[a - 1] not in _CLAUSE_ENDS:
        a -= 1
    b = end
    while b < len(text) and text[b] not in _CLAUSE_ENDS:
        b += 1
    return text[a:start], text[end:b]


def propose_ids(before: str, after: str, allowed: tuple[str, ...], book: pd.DataFrame,
                table=None, sentence_before: str = "") -> list[Match]:
    """Codebook ids whose phrases occur around a number, best first.

    A phrase found in the clause before the number scores its length in characters
    (all parts of ``a+b``), plus a bonus when it ends right before the number; a
    phrase found earlier in the sentence scores half (a two-part ``a+b`` full, since
    its parts name the sentence's subject: 之初+贫困人口), and so does a phrase in the
    clause after the number.  Ids whose base unit the printed unit cannot express
    are dropped.
    """
    table = keyword_table(book) if table is None else table
    sentence_before = sentence_before or before
    best: dict[str, Match] = {}
    for cid, phrase, parts in table:
        if book.at[cid, "base_unit"] not in allowed:
            continue
        length = sum(len(p) for p in parts)
        if all(p in before for p in parts):
            gap = len(before) - (before.rfind(parts[-1]) + len(parts[-1]))
            score = length + 1.0 / (1 + gap)
        elif all(p in sentence_before for p in parts):
            score = length if len(parts) > 1 and parts[-1] in before else 0.5 * length
        elif all(p in after for p in parts):
            score = 0.5 * length
        else:
            continue
        if cid not in best or score > best[cid].score:
            best[cid] = Match(cid, score, phrase)
    return sorted(best.values(), key=lambda m: (-m.score, m.id))


def assign(proposals: list[list[Match]]) -> list[Match | None]:
    """One id per number and one number per id: the best-scoring pairs first."""
    pairs = sorted(((m.score, -k, m) for k, ms in enumerate(proposals) for m in ms),
                   key=lambda t: (-t[0], -t[1], t[2].id))
    out: list[Match | None] = [None] * len(proposals)
    taken: set[str] = set()
    for _, negk, m in pairs:
        k = -negk
        if out[k] is None and m.id not in taken:
            out[k] = m
            taken.add(m.id)
    return out


def confidence(matches: list[Match]) -> str:
    """high: a phrase of 3+ characters and a clear lead; medium: a match; low: none."""
    if not matches:
        return "low"
    lead = matches[0].score - (matches[1].score if len(matches) > 1 else 0)
    return "high" if matches[0].score >= 3 and lead >= 1 else "medium"


# --------------------------------------------------------------------------- periods


def reporting_date(text: str) -> tuple[str, str]:
    """The reporting date proposed from the article's dates, and the basis for it.

    截至YYYY年M月底/末 or 截至YYYY年M月D日 gives that date; otherwise YYYY年上半年 (the
    latest) gives YYYY-06-30; otherwise ``TODO``.
    """
    m = list(re.finditer(rf"截至(?:目前)?[，,]?(?P<y>[{_D}]{{4}})年(?P<m>[{_D}]{{1,2}})月"
                         rf"(?:(?P<d>[{_D}]{{1,2}})[日号]|底|末)?", text))
    if m:
        last = max(m, key=lambda x: (int(x["y"]), int(x["m"]), int(x["d"] or 31)))
        y, mo = int(last["y"]), int(last["m"])
        day = int(last["d"]) if last["d"] else _month_end(y, mo)
        return dt.date(y, mo, day).isoformat(), f"the article's latest 截至 date: {last[0]}"
    h = [int(x["y"]) for x in re.finditer(rf"(?P<y>[{_D}]{{4}})年上半年", text)]
    if h:
        return (f"{max(h)}-06-30",
                f"the latest complete period the article reports: {max(h)}年上半年")
    return TODO, "TODO: no 截至 date or half-year in the article; fill in the date it reports as of"


def _month_end(y: int, m: int) -> int:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def period_of(sentence: str, report: str) -> tuple[str, str, str, str]:
    """(period_start, period_end, period_text, note) of a sentence.

    ``YYYY年以来``/``YYYY年至今``: from 1 January of YYYY to the reporting date;
    ``YYYY—ZZZZ年``: 1 January YYYY to 31 December ZZZZ, capped at the reporting date;
    ``YYYY年上半年``: January to June; ``截至``/``至今``/``以来`` without a year: ends at the
    reporting date; a single ``YYYY年``: that year; nothing printed: the reporting date,
    with a note.
    """
    end = report if report != TODO else ""
    m = re.search(rf"(?P<a>[{_D}]{{4}})年?\s*(?:[—–\-~～－]{{1,2}}|至)\s*(?P<b>[{_D}]{{4}})年",
                  sentence)
    if m:
        a, b = int(m["a"]), int(m["b"])
        stop = f"{b}-12-31"
        note = ""
        if end and stop > end:
            stop, note = end, f"period end capped at the reporting date ({end})"
        return f"{a}-01-01", stop, m[0], note
    m = re.search(rf"(?P<y>[{_D}]{{4}})年(?:[{_D}]{{1,2}}月)?(?:以来|至今)", sentence)
    if m:
        return f"{int(m['y'])}-01-01", end, m[0], "period end: the reporting date (以来/至今)"
    m = re.search(rf"(?P<y>[{_D}]{{4}})年上半年", sentence)
    if m:
        return f"{int(m['y'])}-01-01", f"{int(m['y'])}-06-30", m[0], ""
    m = re.search(rf"截至(?:目前|[{_D}]{{4}}年[{_D}]{{1,2}}月(?:底|末|[{_D}]{{1,2}}[日号])?)?"
                  r"|至今|以来|目前", sentence)
    if m:
        return "", end, m[0], "period end: the reporting date (截至目前/至今/以来)"
    m = re.search(rf"(?P<y>[{_D}]{{4}})年(?!\d)", sentence)
    if m:
        y = int(m["y"])
        stop = f"{y}-12-31"
        if end and stop > end:
            stop = end
        return f"{y}-01-01", stop, m[0], ""
    return "", end, "", "period not printed: taken as of the reporting date"


# --------------------------------------------------------------------------- draft


def _stem(article: Path) -> str:
    stem = article.stem
    return stem[: -len("_article")] if stem.endswith("_article") else stem


def draft(text: str, source: str, book: pd.DataFrame | None = None
          ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple[str, str]]:
    """Claims, review and exclusions frames of ``text`` and the proposed reporting date.

    ``source`` is the article's path as the claims file names it.
    """
    book = load_codebook() if book is None else book
    table = keyword_table(book)
    report, basis = reporting_date(text)
    chaps = extract.chapters(text)
    mentions = extract.find_mentions(text)
    rows, reviews, props = [], [], []
    for m in mentions:
        if m.kind != "quantity":
            continue
        p = extract._parse_quantity_text(m.text)
        allowed = units.allowed_base_units(p.unit)
        before, after = clause_around(text, m.start, m.end)
        sentence_before = text[m.sentence_start:m.start]
        matches = propose_ids(before, after, allowed, book, table, sentence_before)
        props.append((m, p, allowed, matches))
    chosen = assign([ms for *_, ms in props])
    owner = {c.id: k for k, c in enumerate(chosen) if c is not None}
    n_review = 0
    for k, (m, p, allowed, matches) in enumerate(props):
        review = []
        top = chosen[k]
        conf = confidence(matches) if top is not None and matches[0] is top else (
            "medium" if top is not None else "low")
        if top is not None and matches[0] is not top:
            review.append(f"id: second choice; {matches[0].id} went to line "
                          f"{owner[matches[0].id] + 2}")
        elif top is None and matches:
            review.append("id: every matching id went to a better-matching number ("
                          + ", ".join(f"{x.id} at line {owner[x.id] + 2}" for x in matches[:3]
                                      if x.id in owner) + ")")
        if top is None:
            n_review += 1
            cid = f"x.review.n{n_review:03d}"
            if not matches:
                review.append("id: no codebook phrase near the number; choose an id "
                              "or keep an x.<topic>.<indicator> id")
            zh, en, section = _phrase(text, m), TODO, "review"
        else:
            cid = top.id
            if conf != "high" and matches[0] is top:
                review.append(f"id: {conf} confidence ({top.phrase!r}); check")
            zh, en = str(book.at[cid, "indicator_zh"]), str(book.at[cid, "indicator_en"])
            section = str(book.at[cid, "topic"])
        if len(allowed) == 1:
            base = allowed[0]
        elif top is not None and book.at[top.id, "base_unit"] in allowed:
            base = str(book.at[top.id, "base_unit"])
        else:
            base = allowed[0]
            review.append(f"base_unit: printed {p.unit or '(none)'!r} may be "
                          f"{' or '.join(allowed)}")
        if p.qualifier == "approx":
            review.append("qualifier: approx (约/近/左右 printed)")
        start, end, ptext, note = period_of(m.sentence, report)
        if not end:
            review.append("period_end: no reporting date; fill in the sidecar first")
        rows.append({
            "id": cid, "chapter": extract.chapter_of(m.start, chaps), "section": section,
            "indicator_zh": zh, "indicator_en": en, "value_printed": m.text,
            "number": f"{p.number:.10g}", "unit_printed": p.unit_printed, "base_unit": base,
            "value_base": f"{p.value:.10g}", "qualifier": p.qualifier,
            "period_start": start, "period_end": end, "period_text": ptext,
            "quote": m.sentence, "quote_offset": m.sentence_start, "source": source,
            "notes": "; ".join(x for x in ("drafted by leiyang-poverty draft", note) if x),
        })
        reviews.append({
            "line": len(rows) + 1, "id": cid, "value_printed": m.text, "confidence": conf,
            "matched_phrase": top.phrase if top is not None else "",
            "candidates": "|".join(x.id for x in matches if x is not top)[:200],
            "review": "; ".join(review),
        })
    claims = pd.DataFrame(rows, columns=list(CLAIM_FIELDS))
    review = pd.DataFrame(reviews, columns=list(REVIEW_COLUMNS))
    sentence_ids: dict[int, list[str]] = {}
    for r in rows:
        sentence_ids.setdefault(r["quote_offset"], []).append(r["id"])
    excl = []
    for m in mentions:
        if m.kind == "quantity":
            continue
        ids = " ".join(sentence_ids.get(m.sentence_start, [])) if m.kind in (
            "year", "year_range", "date") else ""
        excl.append({"offset": m.start, "text": m.text, "kind": m.kind,
                     "reason": _reason(m), "reason_zh": _reason_zh(m), "claim_ids": ids})
    exclusions = pd.DataFrame(excl, columns=["offset", "text", "kind", "reason", "reason_zh",
                                             "claim_ids"])
    return claims, review, exclusions, (report, basis)


def _phrase(text: str, m: extract.Mention) -> str:
    before, _ = clause_around(text, m.start, m.end)
    before = re.sub(rf"[{_D}.,%]+", "", before).strip()
    return before[-12:] or m.text


def _reason(m: extract.Mention) -> str:
    where = m.sentence if len(m.sentence) <= 40 else m.sentence[:38] + "…"
    return {
        "year": f"year: dates the statement ({where})",
        "year_range": f"period: the years a statement covers ({where})",
        "date": f"date: a point in the timeline, not a quantity ({where})",
        "section_number": "section number of a heading",
        "formula": f"name of a numbered policy formula ({where})",
        "share": (f"TODO review: 全部 (all = 100%): a claim when it is the figure of its "
                  f"statement, else name the claim of the count it restates ({where})"),
    }.get(m.kind, f"TODO review: a number without a known unit ({m.kind}) in {where}")


def _reason_zh(m: extract.Mention) -> str:
    """:func:`_reason` in Chinese (the exclusions file's ``reason_zh``)."""
    where = m.sentence if len(m.sentence) <= 40 else m.sentence[:38] + "…"
    return {
        "year": f"年份：标明所述事项的时间（{where}）",
        "year_range": f"时期：所述事项涵盖的年份（{where}）",
        "date": f"日期：时间线上的一个时点，不是数量（{where}）",
        "section_number": "标题的序号",
        "formula": f"编号式政策提法的名称（{where}）",
        "share": (f"TODO 审核：全部（即100%）：若是所述事项唯一的数字则列为数据条目，"
                  f"否则注明它所重述的计数条目（{where}）"),
    }.get(m.kind, f"TODO 审核：单位不明的数字（{m.kind}），见{where}")


def sidecar_text(article: str, provenance: str | None, exclusions: str, report: str,
                 basis: str, title: str) -> str:
    """The YAML of a drafted metadata sidecar (county fields TODO)."""
    lines = [
        "# Drafted by `leiyang-poverty draft`: fill in every TODO, check the reporting date.",
        "county:",
        *(f"  {k}: {TODO}" for k in ("name_zh", "name_en", "level_zh", "level_en",
                                     "province_zh", "province_en")),
        f"reporting_date: {report}",
        f"reporting_date_basis: {_yaml_str(basis)}",
        "sources:",
        "  - id: article",
        f"    path: {_yaml_str(article)}",
    ]
    if provenance:
        lines.append(f"    provenance: {_yaml_str(provenance)}")
    lines += [f"    exclusions: {_yaml_str(exclusions)}", "    kind: article",
              f"    title_zh: {_yaml_str(title or TODO)}", f"    title_en: {TODO}"]
    return "\n".join(lines) + "\n"


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()


def write_draft(article: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None,
                force: bool = False) -> dict[str, Path]:
    """Write the four draft files for ``article`` (see the module docstring).

    ``out_dir`` defaults to the article's folder.  Existing files are never
    overwritten unless ``force``; the error names them.
    """
    paths = get_paths()
    src = Path(article).resolve()
    if not src.is_file():
        raise FileNotFoundError(f"{article}: article not found")
    text = src.read_text(encoding="utf-8")
    out = Path(out_dir).resolve() if out_dir else src.parent
    stem = _stem(src)
    files = {"claims": out / f"{stem}_claims.csv", "review": out / f"{stem}_review.csv",
             "metadata": out / f"{stem}_claims.meta.yaml",
             "exclusions": out / f"{stem}_exclusions.csv"}
    existing = [str(p) for p in files.values() if p.exists()]
    if existing and not force:
        raise FileExistsError(f"{', '.join(existing)}: already exist(s); pass --force to "
                              "overwrite, or --out another folder")
    source = paths.relative(src)
    claims, review, exclusions, (report, basis) = draft(text, source)
    prov = src.with_name(src.stem + ".provenance.yaml")
    title = next((c.title for c in extract.chapters(text)[:1] if c.title), "")
    out.mkdir(parents=True, exist_ok=True)
    files["claims"].write_text(_csv(claims), encoding="utf-8")
    files["review"].write_text(_csv(review), encoding="utf-8")
    files["exclusions"].write_text(_csv(exclusions), encoding="utf-8")
    files["metadata"].write_text(sidecar_text(
        source, paths.relative(prov) if prov.is_file() else None,
        paths.relative(files["exclusions"]), report, basis, title), encoding="utf-8")
    return files
