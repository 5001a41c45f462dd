"""Compare several claims files (several counties' reports).

Two views:

- :func:`comparison_table`: every id of every file, one value column per county
  (the raw join, kept for the batch's ``claims_comparison.csv``);
- :func:`indicator_table` (notebook ``05_compare``): per county the *derived*
  indicators that mean the same thing in every report (exit rates of households
  and persons, remaining poor, household sizes, start and end incidence with the
  base population each implies, money per registered poor person by topic, audit
  verdict counts), each with its status: ``reported`` (printed), ``derived``
  (computed from printed figures; the defining arithmetic is in
  :data:`DERIVED`), or ``not reported``.  Money is summed only over ids the
  codebook marks ``comparable: yes`` (:func:`comparable_ids`); an id whose meaning
  differs between reports (a county's camellia stock in one, new planting in
  another) is never compared.

Each file is labelled by its own metadata: its county's name is its column header
(with the run's name added when two files name the same county).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.data.claims import load_claims
from helpers.data.codebook import load_codebook
from helpers.paths import get_paths


def column_labels(metas, names: list[str], lang: str = "en") -> list[str]:
    """One column header per file: the county's name in ``lang``, made unique with the
    run's name (``<county> (<run>)``) where two files name one county."""
    counties = [m.county_name(lang) for m in metas]
    labels = [c if counties.count(c) == 1 else f"{c} ({n})"
              for c, n in zip(counties, names, strict=True)]
    if len(set(labels)) != len(labels):
        raise ValueError(f"two claims files with the same county and run name: {labels}")
    return labels


def comparison_table(claims_paths: list[str | os.PathLike[str]],
                     names: list[str] | None = None, lang: str = "en") -> pd.DataFrame:
    """One row per (claim id, base unit) found in any file; one value column per file
    (base units), headed by the file's county (see :func:`column_labels`).

    ``names`` (default: the files' stems) tell apart files about the same county.
    """
    names = names or [Path(p).stem for p in claims_paths]
    if len(claims_paths) != len(names):
        raise ValueError("one name per claims file")
    tables = [load_claims(path) for path in claims_paths]
    labels = column_labels([t.attrs["meta"] for t in tables], names, lang)
    column = "indicator_en" if lang == "en" else "indicator_zh"
    long = pd.concat([t[["id", "base_unit", column, "value_base"]].assign(county=label)
                      for t, label in zip(tables, labels, strict=True)], ignore_index=True)
    wide = long.pivot_table(index=["id", "base_unit"], columns="county", values="value_base",
                            aggfunc="first", sort=True)
    wide = wide.reindex(columns=labels).reset_index()
    wide.columns.name = None
    book = load_codebook()
    worded = long.drop_duplicates("id").set_index("id")[column]
    wide.insert(1, "indicator", [book.at[i, column] if i in book.index else worded[i]
                                 for i in wide["id"]])
    return wide


def compare_runs(claims_paths, names, target: Path | None = None, lang: str = "en") -> Path:
    """Write the comparison table to ``outputs/comparison/claims_comparison.csv``."""
    target = target or get_paths().outputs / "comparison" / "claims_comparison.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    comparison_table(claims_paths, names, lang).to_csv(
        target, index=False, lineterminator="\n", float_format="%.10g")
    return target


# =========================================================================== derived indicators

#: Derived indicators: key -> (English, Chinese, unit, group). The arithmetic is in
#: :func:`derived_indicators`.
DERIVED: dict[str, tuple[str, str, str, str]] = {
    "exit_rate_households": ("households lifted ÷ registered", "已脱贫户÷建档立卡户", "%", "exit"),
    "exit_rate_persons": ("persons lifted ÷ registered", "已脱贫人口÷建档立卡人口", "%", "exit"),
    "remaining_households": ("households not yet lifted", "未脱贫户", "households", "remaining"),
    "remaining_persons": ("persons not yet lifted", "未脱贫人口", "persons", "remaining"),
    "remaining_share_persons": ("persons not yet lifted ÷ registered", "未脱贫人口÷建档立卡人口",
                                "%", "exit"),
    "household_size_registered": ("persons per registered household", "建档立卡户户均人口",
                                  "persons per household", "household_size"),
    "household_size_lifted": ("persons per lifted household", "已脱贫户户均人口",
                              "persons per household", "household_size"),
    "household_size_remaining": ("persons per household not yet lifted", "未脱贫户户均人口",
                                 "persons per household", "household_size"),
    "incidence_start": ("poverty incidence at registration", "建档立卡之初贫困发生率", "%",
                        "incidence"),
    "incidence_end": ("poverty incidence, latest", "最新贫困发生率", "%", "incidence"),
    "implied_base_start": ("population implied by the start incidence",
                           "初始发生率隐含的人口基数", "persons", "implied_base"),
    "implied_base_end": ("population implied by the latest incidence",
                         "最新发生率隐含的人口基数", "persons", "implied_base"),
}

P = "poverty."

#: Units of the derived indicators in Chinese.
UNIT_ZH = {"%": "%", "households": "户", "persons": "人", "persons per household": "人/户",
           "checks": "项核查"}


def _value(claims: pd.DataFrame, cid: str) -> float | None:
    rows = claims.loc[claims["id"] == cid, "value_base"]
    return float(rows.iloc[0]) if len(rows) else None


def derived_indicators(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per :data:`DERIVED` indicator of one claims file.

    Columns: ``indicator``, ``value`` (NaN when not reported), ``status`` (reported,
    derived, not reported), ``ids`` (the claims used).  Remaining poor are printed or
    registered − lifted; incidence implies a base = persons ÷ incidence × 100
    (start: the persons registered at the start, else the registered persons; end:
    the remaining persons).
    """
    v = {cid: _value(claims, cid) for cid in claims["id"]}

    def get(name):
        return v.get(P + name)

    rows: list[dict] = []

    def add(key, value, status, ids):
        rows.append({"indicator": key, "value": float("nan") if value is None else value,
                     "status": status if value is not None else "not reported",
                     "ids": " ".join(ids) if value is not None else ""})

    def ratio(a, b, scale=1.0):
        return None if a is None or not b else a / b * scale

    rh, rp = get("registered_households"), get("registered_persons")
    lh, lp = get("lifted_households"), get("lifted_persons")
    add("exit_rate_households", ratio(lh, rh, 100), "derived",
        [P + "lifted_households", P + "registered_households"])
    add("exit_rate_persons", ratio(lp, rp, 100), "derived",
        [P + "lifted_persons", P + "registered_persons"])
    remaining = {}
    for unit in ("households", "persons"):
        printed = get(f"remaining_{unit}")
        reg, lif = get(f"registered_{unit}"), get(f"lifted_{unit}")
        if printed is not None:
            remaining[unit] = printed
            add(f"remaining_{unit}", printed, "reported", [P + f"remaining_{unit}"])
        else:
            val = None if reg is None or lif is None else reg - lif
            remaining[unit] = val
            add(f"remaining_{unit}", val, "derived",
                [P + f"registered_{unit}", P + f"lifted_{unit}"])
    add("remaining_share_persons", ratio(remaining["persons"], rp, 100), "derived",
        [P + "remaining_persons", P + "registered_persons"])
    add("household_size_registered", ratio(rp, rh), "derived",
        [P + "registered_persons", P + "registered_households"])
    add("household_size_lifted", ratio(lp, lh), "derived",
        [P + "lifted_persons", P + "lifted_households"])
    add("household_size_remaining", ratio(remaining["persons"], remaining["households"]),
        "derived", [P + "remaining_persons", P + "remaining_households"])
    i0, i1 = get("poverty_incidence_start"), get("poverty_incidence")
    add("incidence_start", i0, "reported", [P + "poverty_incidence_start"])
    add("incidence_end", i1, "reported", [P + "poverty_incidence"])
    start_persons = get("registered_persons_start")
    start_id = "registered_persons_start" if start_persons is not None else "registered_persons"
    add("implied_base_start", ratio(start_persons if start_persons is not None else rp, i0, 100),
        "derived", [P + start_id, P + "poverty_incidence_start"])
    add("implied_base_end", ratio(remaining["persons"], i1, 100), "derived",
        [P + "remaining_persons", P + "poverty_incidence"])
    return pd.DataFrame(rows, columns=["indicator", "value", "status", "ids"])


def comparable_ids(book: pd.DataFrame | None = None) -> set[str]:
    """Codebook ids whose meaning is the same in every report (``comparable: yes``)."""
    book = load_codebook() if book is None else book
    if "comparable" not in book.columns:
        return set(book.index)
    return set(book.index[book["comparable"].astype(str).str.strip() == "yes"])


def money_per_person(claims: pd.DataFrame, book: pd.DataFrame | None = None,
                     exclude: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """Money (base unit yuan) per registered poor person, summed by codebook topic.

    Only ids the codebook marks comparable; ``x.`` ids and the ids in ``exclude``
    (amounts the audit finds implausible, see :func:`implausible_ids`) are left out.
    Columns: topic, yuan, per_person, ids.  Empty when the file prints no registered
    persons (nothing to divide by).
    """
    book = load_codebook() if book is None else book
    ok = comparable_ids(book) - set(exclude)
    persons = _value(claims, P + "registered_persons")
    money = claims[(claims["base_unit"] == "yuan") & claims["id"].isin(ok)]
    cols = ["topic", "yuan", "per_person", "ids"]
    if money.empty or not persons:
        return pd.DataFrame(columns=cols)
    money = money.assign(topic=[book.at[i, "topic"] for i in money["id"]])
    out = money.groupby("topic", sort=True).agg(
        yuan=("value_base", "sum"), ids=("id", lambda s: " ".join(sorted(s)))).reset_index()
    out["per_person"] = out["yuan"] / persons
    return out[cols]


def verdict_counts(audit_table: pd.DataFrame) -> pd.Series:
    """Number of audit checks per verdict (every verdict, zeros included)."""
    from helpers.analysis import audit

    return audit_table["verdict"].value_counts().reindex(list(audit.VERDICTS), fill_value=0)


def implausible_ids(audit_table: pd.DataFrame) -> set[str]:
    """Ids whose size the audit's plausibility checks find implausible (the checked id
    is the first of a plausibility check's ``claim_ids``)."""
    rows = audit_table[(audit_table["relation"] == "plausibility")
                       & (audit_table["verdict"] == "implausible")]
    return {str(c).split(";")[0] for c in rows["claim_ids"]}


@dataclass(frozen=True)
class County:
    """One claims file of a comparison: its label, claims and metadata."""

    label: str
    path: str
    claims: pd.DataFrame


def load_counties(claims_paths: list, lang: str = "en") -> list[County]:
    """Load each claims file and label it by its county (unique labels)."""
    paths = get_paths()
    tables = [load_claims(p) for p in claims_paths]
    names = [Path(p).stem for p in claims_paths]
    labels = column_labels([t.attrs["meta"] for t in tables], names, lang)
    return [County(label, paths.relative(p), t)
            for label, p, t in zip(labels, claims_paths, tables, strict=True)]


def indicator_table(counties: list[County], lang: str = "en",
                    book: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table: one row per county and indicator (derived, money by topic, verdicts).

    Columns: county, group, indicator, label, unit, value, status, ids.
    """
    book = load_codebook() if book is None else book
    rows = []
    col = 0 if lang == "en" else 1
    from helpers.analysis import audit

    for c in counties:
        checks = audit.run_audit(c.claims)
        for r in derived_indicators(c.claims).itertuples():
            meta = DERIVED[r.indicator]
            rows.append({"county": c.label, "group": meta[3], "indicator": r.indicator,
                         "label": meta[col],
                         "unit": meta[2] if lang == "en" else UNIT_ZH[meta[2]],
                         "value": r.value,
                         "status": r.status, "ids": r.ids})
        money = money_per_person(c.claims, book, implausible_ids(checks)).set_index("topic")
        printed = set(money_per_person(c.claims, book)["topic"])
        topics = sorted({book.at[i, "topic"] for i in comparable_ids(book)
                         if book.at[i, "base_unit"] == "yuan"})
        for t in topics:
            has = t in money.index
            rows.append({"county": c.label, "group": "money_per_person",
                         "indicator": f"money_per_person.{t}",
                         "label": t.replace("_", " "),
                         "unit": ("yuan per registered poor person" if lang == "en"
                                  else "元/建档立卡贫困人口"),
                         "value": float(money.at[t, "per_person"]) if has else float("nan"),
                         "status": "derived" if has else (
                             "implausible, not summed" if t in printed else "not reported"),
                         "ids": money.at[t, "ids"] if has else ""})
        for verdict, n in verdict_counts(checks).items():
            rows.append({"county": c.label, "group": "audit", "indicator": f"audit.{verdict}",
                         "label": verdict, "unit": "checks" if lang == "en" else "项核查",
                         "value": float(n),
                         "status": "derived", "ids": ""})
    return pd.DataFrame(rows, columns=["county", "group", "indicator", "label", "unit",
                                       "value", "status", "ids"])


def wide_table(long: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator, one column per county (values; 'not reported' kept as NaN)."""
    counties = list(dict.fromkeys(long["county"]))
    keys = ["group", "indicator", "label", "unit"]
    rows = long.drop_duplicates("indicator")[keys].reset_index(drop=True)
    values = long.set_index(["indicator", "county"])["value"]
    for c in counties:
        rows[c] = [values.get((i, c), float("nan")) for i in rows["indicator"]]
    return rows


def dot_plot(long: pd.DataFrame, indicators: list[str], lang: str = "en", title: str = ""):
    """Counties side by side: one panel per indicator, one row per county, a dot each.

    A county that does not report an indicator is listed with an open marker at the
    left edge and the words "not reported", so absence is visible, not hidden.  The
    panel height grows with the number of counties, so 30 counties stay legible.
    """
    import matplotlib.pyplot as plt

    counties = list(dict.fromkeys(long["county"]))
    n = len(counties)
    ncols = min(4, max(len(indicators), 1))
    nrows = -(-len(indicators) // ncols)
    fig, axes = plt.subplots(nrows, ncols, sharey=True, squeeze=False,
                             figsize=(3.3 * ncols + 1.6, nrows * (1.1 + 0.3 * max(n, 4))))
    ypos = {c: i for i, c in enumerate(reversed(counties))}
    missing_word = "not reported" if lang == "en" else "未报告"
    flat = axes.ravel()
    for ax, ind in zip(flat, indicators, strict=False):
        sub = long[long["indicator"] == ind]
        shown = sub.dropna(subset=["value"])
        ax.scatter(shown["value"], [ypos[c] for c in shown["county"]], s=28, zorder=3,
                   color="#0072B2")
        for c, why in sub.loc[sub["value"].isna(), ["county", "status"]].itertuples(
                index=False):
            word = {"implausible, not summed": "implausible, not summed" if lang == "en"
                    else "不合理，未计入"}.get(why, missing_word)
            ax.text(0.02, ypos[c], word, transform=ax.get_yaxis_transform(),
                    va="center", ha="left", fontsize=7, color="0.45")
        label = sub["label"].iloc[0] if len(sub) else ind
        unit = sub["unit"].iloc[0] if len(sub) else ""
        ax.set_title(f"{label}\n({unit})", fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        if not shown.empty:
            lo, hi = shown["value"].min(), shown["value"].max()
            pad = (hi - lo) * 0.08 or abs(hi) * 0.05 or 1.0
            ax.set_xlim(lo - pad, hi + pad)
            ax.ticklabel_format(axis="x", style="plain", useOffset=False)
            if hi >= 1000:
                from matplotlib.ticker import StrMethodFormatter

                ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        else:
            ax.tick_params(axis="x", labelbottom=False)
    for ax in flat[len(indicators):]:
        ax.set_visible(False)
    flat[0].set_yticks(list(ypos.values()), list(ypos.keys()))
    flat[0].set_ylim(-0.7, n - 0.3)
    for row in axes:
        row[0].tick_params(axis="y", labelsize=8 if n <= 12 else 7, labelleft=True)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig
