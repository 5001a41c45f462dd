"""The audit: relations between figures, declared over codebook ids, checked on any claims file.

``data/relations.csv`` declares one relation per row: its ``kind``, the codebook
ids it uses by role (``part=poverty.lifted_households;whole=poverty.registered_households``),
a scale, a band, the assumption it rests on (if any) and what it means in both
languages.  :func:`run_audit` turns every relation whose ids are all present into
one check row; a relation with a missing id gives **no row** (the audit of a
headline-only file is short, never an error).  The codebook adds one
``plausibility`` check per id with a plausible range (``plausible_min/max`` per
``plausible_per``: a registered poor person, a registered household, a poor
village, a borrowing household).

Two ids are derived when not printed: ``poverty.remaining_persons`` and
``poverty.remaining_households`` (registered − lifted); a check that uses them
names the printed claims they come from.

Verdicts (:data:`VERDICTS`):

- ``consistent``: the figures agree exactly, or an inequality the text implies holds;
- ``rounding``: they differ by less than the printing of the figures allows (a
  printed figure stands for the interval of values that round to it, see
  :class:`Figure`; a ratio carries the intervals of its inputs);
- ``discrepancy``: the printed figures contradict each other, with no assumption;
- ``tension``: they contradict each other only under the relation's stated
  ``assumption`` (the row's ``assumption`` column says which);
- ``ambiguous``: the text admits readings that give different answers (the
  description gives each reading's result: a count after 等 that exceeds the items
  listed, for instance);
- ``implausible``: a magnitude outside its documented range; the description
  names the unit slip (亿 printed for 万: ×10⁴) that would bring it into range;
- ``not_checkable``: nothing else in the source states the figure; the row shows
  what it implies for a reader to judge (a target dated after the reporting date too:
  the source cannot yet say whether it was met).

Each kind's rule is a small function in :data:`RULES`, unit-tested on hand-made numbers.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import pandas as pd

from helpers.data import units
from helpers.data.claims import get_claim

VERDICTS = ("consistent", "rounding", "discrepancy", "tension", "ambiguous", "implausible",
            "not_checkable")
AUDIT_COLUMNS = ["check_id", "description", "stated", "computed", "relative_difference",
                 "verdict", "claim_ids", "assumption", "relation", "description_zh",
                 "assumption_zh"]
RELATION_COLUMNS = ["relation_id", "kind", "roles", "scale", "min", "max", "tolerance", "unit",
                    "label_en", "label_zh", "description_en", "description_zh", "assumption",
                    "assumption_zh", "source"]

#: Roles each kind of relation needs.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    "part_le_whole": ("part", "whole"),
    "equal": ("a", "b"),
    "rate": ("rate", "numerator", "denominator"),
    "per_capita": ("per_capita", "total", "base"),
    "implied_base": ("rate_start", "persons_start", "rate_end", "persons_end"),
    "household_size": ("persons", "households"),
    "once_a_year": ("flow", "stock"),
    "per_semester": ("flow", "stock"),
    "size_vs_register": ("persons", "households", "ref_persons", "ref_households"),
    "count_list": ("count",),
    "share_by_date": ("share", "persons", "households"),
    "implied": ("numerator", "denominator"),
    "implied_product": ("factor", "count"),
    "context_base": ("rate", "persons", "population"),
    "context_product": ("factor", "count", "compare"),
    "plausibility": ("value", "scale"),
}

#: Ids computed from printed ones when the source does not print them: id → (a, b), a − b.
DERIVED: dict[str, tuple[str, str]] = {
    "poverty.remaining_persons": ("poverty.registered_persons", "poverty.lifted_persons"),
    "poverty.remaining_households": ("poverty.registered_households",
                                     "poverty.lifted_households"),
}

#: What ``plausible_per`` in the codebook divides by: the first of these ids present.
SCALE_IDS: dict[str, tuple[str, ...]] = {
    "registered_person": ("poverty.registered_persons", "poverty.registered_persons_start"),
    "registered_household": ("poverty.registered_households",
                             "poverty.registered_households_start"),
    "poor_village": ("poverty.poor_villages_registered", "poverty.poor_villages_exited"),
    "borrower_household": ("finance.microcredit_households",),
}

#: Display unit of a per-unit magnitude, by ``plausible_per`` and base unit.
PER_UNITS = {"registered_person": "per_person", "registered_household": "per_household",
             "poor_village": "per_village", "borrower_household": "per_household"}

#: The scale of a plausible range in words (English, Chinese).
PER_LABELS = {"registered_person": ("registered poor person", "每名建档立卡贫困人口"),
              "registered_household": ("registered poor household", "每户建档立卡贫困户"),
              "poor_village": ("poor village", "每个贫困村"),
              "borrower_household": ("borrowing household", "每户贷款户")}

#: Unit slips tried when a magnitude is implausible: factor to apply, English, Chinese.
UNIT_SLIPS: tuple[tuple[float, str, str], ...] = (
    (1e-4, "÷10⁴: 亿 printed where 万 was meant", "÷10⁴：应为“万”误作“亿”"),
    (1e4, "×10⁴: 万 printed where 亿 was meant (or 元 for 万元)",
     "×10⁴：应为“亿”误作“万”（或“万元”误作“元”）"),
)


#: A magnitude must lie at least this factor outside its range for a unit slip to be named.
SLIP_MIN_FACTOR = 100.0


@dataclass(frozen=True)
class Figure:
    """A value with the interval its printing allows: [low, high]."""

    value: float
    low: float
    high: float

    @classmethod
    def of(cls, claims: pd.DataFrame, claim_id: str) -> Figure:
        """The claim's base value with its rounding interval.

        Half a unit of the last printed digit either side (4658.66万元: ±50 yuan);
        none for whole counts printed in full (43172人); no upper bound for 余/多.
        """
        row = get_claim(claims, claim_id)
        parsed = units.parse_printed(row["value_printed"])
        whole_count = row["base_unit"] in units.COUNT_UNITS and parsed.multiplier == 1
        half = 0.0 if whole_count else parsed.half_step
        value = float(row["value_base"])
        high = math.inf if row["qualifier"] == "at_least" else value + half
        return cls(value, value - half if row["qualifier"] != "at_least" else value, high)

    @classmethod
    def exact(cls, value: float) -> Figure:
        return cls(value, value, value)

    def __truediv__(self, other: Figure) -> Figure:
        lows = [self.low / other.high if other.high != math.inf else 0.0,
                self.high / other.low if other.low > 0 else math.inf]
        return Figure(self.value / other.value, min(lows), max(lows))

    def __mul__(self, other: Figure) -> Figure:
        return Figure(self.value * other.value, self.low * other.low, self.high * other.high)

    def __sub__(self, other: Figure) -> Figure:
        return Figure(self.value - other.value, self.low - other.high, self.high - other.low)

    def scale(self, k: float) -> Figure:
        return Figure(self.value * k, self.low * k, self.high * k)


def verdict(stated: Figure, computed: Figure, rel_tol: float = 1e-9,
            assumption: str = "") -> str:
    """``consistent`` if equal, ``rounding`` if the intervals overlap, else ``discrepancy``
    (``tension`` when the comparison rests on an ``assumption``)."""
    if math.isclose(stated.value, computed.value, rel_tol=rel_tol, abs_tol=1e-12):
        return "consistent"
    if stated.low <= computed.high and computed.low <= stated.high:
        return "rounding"
    return "tension" if assumption else "discrepancy"


def relative_difference(stated: float, computed: float) -> float:
    """(stated − computed) / computed; NaN when computed is 0."""
    return (stated - computed) / computed if computed else math.nan


def listed_items(text: str) -> list[str]:
    """Items of an enumeration printed with 、 (the last one ends at 等, 四个, 九大 ...)."""
    items = [t.strip("“”‘’\"' ") for t in text.split("、")]
    if items:
        items[-1] = re.split(r"[”’\"']?(?:等|[一二三四五六七八九十]+[个大项])", items[-1])[0]
        items[0] = re.split(r"[从以“]", items[0])[-1]
        items[0] = re.sub(r"^(发展|推进|实施|开展)", "", items[0])  # the verb governs the list
    return [i.strip("“”‘’ ") for i in items if i.strip("“”‘’ ")]


def joined_items(item: str) -> tuple[str, str] | None:
    """An enumeration item that may be two joined without 、: plain text followed by a
    quoted name (农村公共服务‘扶贫车间’式加工 → 农村公共服务 + ‘扶贫车间’式加工), else None."""
    m = re.match(r"^([^‘“'\"]{2,})([‘“'\"].+)$", item)
    return (m[1], m[2]) if m else None


def years_in_period(period_text: str) -> int:
    """Calendar years a printed period names (2017—2020年: 4); 1 when it names fewer than two."""
    years = re.findall(r"(\d{4})", str(period_text))
    return int(years[-1]) - int(years[0]) + 1 if len(years) >= 2 else 1


#: First day (month, day) of each school semester: spring (春季) and autumn (秋季).
SEMESTER_STARTS: tuple[tuple[int, int], ...] = ((3, 1), (9, 1))


def semesters_in_period(start, end) -> int:
    """School semesters that begin within [start, end] (:data:`SEMESTER_STARTS`).

    A period of person-times spread over these semesters has at least
    person-times ÷ semesters people in some semester.  Raises :class:`ValueError`
    if the period ends before it starts.

    >>> semesters_in_period("2015-01-01", "2020-06-30")  # 2015—2020年春季
    11
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    return sum(start <= pd.Timestamp(year, m, d) <= end
               for year in range(start.year, end.year + 1) for m, d in SEMESTER_STARTS)


# ----------------------------------------------------------------------------- inputs


class Inputs:
    """The claims a relation reads: printed figures, and the :data:`DERIVED` ones."""

    def __init__(self, claims: pd.DataFrame):
        self.claims = claims
        self.present = set(claims["id"])

    def has(self, cid: str) -> bool:
        if cid in self.present:
            return True
        return cid in DERIVED and all(self.has(i) for i in DERIVED[cid])

    def figure(self, cid: str) -> Figure:
        if cid in self.present:
            return Figure.of(self.claims, cid)
        a, b = DERIVED[cid]
        return self.figure(a) - self.figure(b)

    def derivable(self, cid: str) -> bool:
        """Whether ``cid`` is a :data:`DERIVED` id whose parts are all present."""
        return cid in DERIVED and all(self.has(i) for i in DERIVED[cid])

    def derived(self, cid: str) -> Figure:
        """``cid`` computed from its :data:`DERIVED` parts, also when it is printed."""
        a, b = DERIVED[cid]
        return self.figure(a) - self.figure(b)

    def reporting_date(self) -> pd.Timestamp | None:
        """The claims' reporting date (their metadata sidecar), or None without one."""
        meta = self.claims.attrs.get("meta")
        return pd.Timestamp(meta.reporting_date) if meta is not None else None

    def ids(self, cid: str) -> list[str]:
        """The printed claims behind an id (itself, or what it is derived from)."""
        if cid in self.present:
            return [cid]
        return [i for part in DERIVED[cid] for i in self.ids(part)]

    def row(self, cid: str) -> pd.Series:
        return get_claim(self.claims, cid)

    def printed(self, cid: str) -> str:
        return str(self.row(cid)["value_printed"]) if cid in self.present else cid


# ----------------------------------------------------------------------------- relations


def parse_roles(text: str) -> dict[str, str]:
    """``part=a.b;whole=c.d`` → ``{"part": "a.b", "whole": "c.d"}``."""
    out = {}
    for item in str(text).split(";"):
        role, _, cid = item.partition("=")
        out[role.strip()] = cid.strip()
    return out


def load_relations(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """``data/relations.csv``, checked: known kinds, the roles each kind needs, unique ids."""
    from helpers.paths import get_paths

    paths = get_paths()
    file = paths.data / "relations.csv" if path is None else paths.resolve(path)
    frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(frame.columns) != RELATION_COLUMNS:
        raise ValueError(f"{file.name}: columns must be {RELATION_COLUMNS}")
    if not frame["relation_id"].is_unique:
        raise ValueError(f"{file.name}: duplicate relation ids")
    for _, r in frame.iterrows():
        if r["kind"] not in KIND_ROLES:
            raise ValueError(f"{file.name}, {r['relation_id']}: unknown kind {r['kind']!r}")
        missing = set(KIND_ROLES[r["kind"]]) - set(parse_roles(r["roles"]))
        if missing:
            raise ValueError(f"{file.name}, {r['relation_id']}: roles {sorted(missing)} missing")
    return frame


def plausibility_relations(codebook: pd.DataFrame) -> pd.DataFrame:
    """One ``plausibility`` relation per codebook id with a plausible range."""
    rows = []
    ranged = codebook[codebook["plausible_min"].notna() | codebook["plausible_max"].notna()]
    for cid, c in ranged.iterrows():
        per = str(c["plausible_per"] or "")
        unit = c["base_unit"] + ("_" + PER_UNITS[per] if per in PER_UNITS else "")
        per_en, per_zh = PER_LABELS.get(per, (per.replace("_", " "), per))
        rows.append({
            "relation_id": f"plausible.{cid}", "kind": "plausibility",
            "roles": f"value={cid};scale={per}", "scale": "", "unit": unit,
            "min": "" if pd.isna(c["plausible_min"]) else repr(float(c["plausible_min"])),
            "max": "" if pd.isna(c["plausible_max"]) else repr(float(c["plausible_max"])),
            "tolerance": "",
            "label_en": f"{c['indicator_en']} per {per_en}" if per else c["indicator_en"],
            "label_zh": f"{c['indicator_zh']}（{per_zh}）" if per else c["indicator_zh"],
            "description_en": (f"{c['indicator_en']} per {per_en}" if per else
                               c["indicator_en"]) + ", against its plausible range",
            "description_zh": f"{c['indicator_zh']}（{per_zh}）与其合理范围" if per else
                              f"{c['indicator_zh']}与其合理范围",
            "assumption": "", "assumption_zh": "",
            "source": str(c["plausible_source"] or "")})
    return pd.DataFrame(rows, columns=RELATION_COLUMNS)


def all_relations(relations: pd.DataFrame | None = None,
                  codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """The declared relations followed by the codebook's plausibility relations."""
    from helpers.data.codebook import load_codebook

    relations = load_relations() if relations is None else relations
    codebook = load_codebook() if codebook is None else codebook
    return pd.concat([relations, plausibility_relations(codebook)], ignore_index=True)


# ----------------------------------------------------------------------------- rows


def _row(rel, inp: Inputs, ids: list[str], stated, computed, verdict_: str,
         compares: bool = True, extra: str = "", extra_zh: str | None = None,
         **fill) -> dict:
    """One audit row; ``compares`` is False where stated and computed need not agree
    (an inequality, a plausibility range, a context figure): no relative difference then.
    ``extra`` and ``extra_zh`` end the English and the Chinese description (the Chinese
    one is the relation's ``description_zh`` filled in the same way)."""
    s = stated.value if isinstance(stated, Figure) else stated
    c = computed.value if isinstance(computed, Figure) else computed
    rel_diff = relative_difference(s, c) if compares and verdict_ != "not_checkable" and (
        s is not None and c is not None) else math.nan
    roles = parse_roles(rel["roles"])
    printed = {role: inp.printed(cid) for role, cid in roles.items() if inp.has(cid)}
    description = str(rel["description_en"]).format(**{**printed, **fill}) + extra
    description_zh = str(rel.get("description_zh") or rel["description_en"]).format(
        **{**printed, **fill}) + (extra if extra_zh is None else extra_zh)
    claim_ids = list(dict.fromkeys(i for cid in ids for i in inp.ids(cid)))
    return {"check_id": rel["relation_id"], "description": description,
            "stated": s if s is not None else math.nan,
            "computed": c if c is not None else math.nan,
            "relative_difference": rel_diff, "verdict": verdict_,
            "claim_ids": ";".join(claim_ids),
            "assumption": str(rel["assumption"] or ""),
            "relation": rel["kind"], "description_zh": description_zh,
            "assumption_zh": str(rel.get("assumption_zh") or rel["assumption"] or "")}


def _num(text, default: float) -> float:
    return float(text) if str(text).strip() else default


def rule_part_le_whole(rel, inp, r) -> dict:
    """A part must not exceed its whole (stated: part, computed: whole)."""
    part, whole = inp.figure(r["part"]), inp.figure(r["whole"])
    ok = part.low <= whole.high
    bad = "tension" if rel["assumption"] else "discrepancy"
    return _row(rel, inp, [r["part"], r["whole"]], part, whole, "consistent" if ok else bad,
                compares=False)


def rule_equal(rel, inp, r) -> dict:
    """The same figure printed twice."""
    a, b = inp.figure(r["a"]), inp.figure(r["b"])
    return _row(rel, inp, [r["a"], r["b"]], a, b, verdict(a, b, assumption=rel["assumption"]))


def rule_rate(rel, inp, r) -> dict:
    """rate = numerator ÷ denominator × scale (100 for a percentage), within rounding."""
    stated = inp.figure(r["rate"])
    computed = (inp.figure(r["numerator"]) / inp.figure(r["denominator"])).scale(
        _num(rel["scale"], 100.0))
    return _row(rel, inp, [r["rate"], r["numerator"], r["denominator"]], stated, computed,
                verdict(stated, computed, assumption=rel["assumption"]))


def rule_per_capita(rel, inp, r) -> dict:
    """per-unit amount = total ÷ base (× scale), within rounding."""
    stated = inp.figure(r["per_capita"])
    total, base = inp.figure(r["total"]), inp.figure(r["base"])
    k = _num(rel["scale"], 1.0)
    computed = (total / base).scale(k)
    v = verdict(stated, computed, assumption=rel["assumption"])
    extra = extra_zh = ""
    if v in ("tension", "discrepancy"):
        # the readings that reproduce the printed figure: another base, or a part of the total
        other_base = total.value * k / stated.value
        share = stated.value * base.value / (total.value * k)
        extra = (f"; readings that reproduce the printed {inp.printed(r['per_capita'])}: "
                 f"a base of {other_base:,.0f} ({other_base - base.value:+,.0f} against "
                 f"{inp.printed(r['base'])}), or {100 * share:.1f}% of "
                 f"{inp.printed(r['total'])} divided by {inp.printed(r['base'])}")
        extra_zh = (f"；能得出所印{inp.printed(r['per_capita'])}的读法：基数为"
                    f"{other_base:,.0f}（与{inp.printed(r['base'])}相差"
                    f"{other_base - base.value:+,.0f}），或{inp.printed(r['total'])}的"
                    f"{100 * share:.1f}%除以{inp.printed(r['base'])}")
    return _row(rel, inp, [r["per_capita"], r["total"], r["base"]], stated, computed, v,
                extra=extra, extra_zh=extra_zh)


def implied_base(rate: Figure, persons: Figure) -> Figure:
    """The population a head count is ``rate`` percent of: persons ÷ (rate ÷ 100)."""
    return Figure(persons.value / (rate.value / 100), persons.low / (rate.high / 100),
                  persons.high / (rate.low / 100) if rate.low > 0 else math.inf)


def rule_implied_base(rel, inp, r) -> dict:
    """The bases implied by the start and the final incidence should agree.

    Within rounding: ``rounding``; within the relation's ``tolerance`` (the base
    population may change between the two dates): ``consistent``; beyond: ``discrepancy``.
    """
    start = implied_base(inp.figure(r["rate_start"]), inp.figure(r["persons_start"]))
    end = implied_base(inp.figure(r["rate_end"]), inp.figure(r["persons_end"]))
    v = verdict(start, end)
    tol = _num(rel["tolerance"], 0.0)
    if v == "discrepancy" and abs(relative_difference(start.value, end.value)) <= tol:
        v = "consistent"
    elif v == "discrepancy" and rel["assumption"]:
        v = "tension"
    return _row(rel, inp, [r["rate_start"], r["persons_start"], r["rate_end"], r["persons_end"]],
                start, end, v, extra=f" (tolerance ±{100 * tol:g}%)",
                extra_zh=f"（容差±{100 * tol:g}%）")


def rule_household_size(rel, inp, r) -> dict:
    """persons ÷ households in the band [min, max]; outside it: ``implausible``."""
    size = inp.figure(r["persons"]) / inp.figure(r["households"])
    lo, hi = _num(rel["min"], 1.0), _num(rel["max"], 10.0)
    ok = lo <= size.value <= hi
    return _row(rel, inp, [r["persons"], r["households"]], None, size,
                "consistent" if ok else "implausible", compares=False)


def rule_once_a_year(rel, inp, r) -> dict:
    """A flow of payments over a printed period ≤ one a year for every member of a stock."""
    flow, stock = inp.figure(r["flow"]), inp.figure(r["stock"])
    period = str(inp.row(r["flow"])["period_text"] or "")
    years = years_in_period(period)
    bound = stock.scale(years)
    ok = flow.low <= bound.high
    bad = "tension" if rel["assumption"] else "discrepancy"
    return _row(rel, inp, [r["flow"], r["stock"]], flow, bound, "consistent" if ok else bad,
                compares=False, period=period, years=years)


def rule_per_semester(rel, inp, r) -> dict:
    """Person-times over a period's school semesters: at least person-times ÷ semesters
    people in some semester (pigeonhole), against a stock (stated: that minimum,
    computed: the stock).  Above the stock: ``tension`` under the relation's assumption
    (``discrepancy`` without one); no printed start: ``not_checkable``."""
    flow, stock = inp.figure(r["flow"]), inp.figure(r["stock"])
    row = inp.row(r["flow"])
    period = str(row["period_text"] or "")
    ids = [r["flow"], r["stock"]]
    if pd.isna(row["period_start"]) or pd.isna(row["period_end"]):
        return _row(rel, inp, ids, None, stock, "not_checkable", compares=False,
                    period=period or "?", semesters="?",
                    extra=" (the period's start is not printed: semesters unknown)",
                    extra_zh="（未印时期起点：学期数未知）")
    n = semesters_in_period(row["period_start"], row["period_end"])
    if n == 0:
        return _row(rel, inp, ids, None, stock, "not_checkable", compares=False,
                    period=period, semesters=0, extra=" (no semester begins in the period)",
                    extra_zh="（该时期内没有学期开始）")
    least = flow.scale(1 / n)
    ok = least.low <= stock.high
    bad = "tension" if rel["assumption"] else "discrepancy"
    return _row(rel, inp, ids, least, stock, "consistent" if ok else bad, compares=False,
                period=period, semesters=n,
                extra=f" (at least {least.value:,.0f} a semester = "
                      f"{least.value / stock.value:.2f} × the stock)",
                extra_zh=f"（每学期至少{least.value:,.0f}人＝存量的"
                         f"{least.value / stock.value:.2f}倍）")


def rule_size_vs_register(rel, inp, r) -> dict:
    """persons ÷ households of a group ≤ the register's household size × (1 + tolerance)
    (stated: the group's size, computed: that bound).  Above: ``tension`` under the
    relation's assumption (``discrepancy`` without one)."""
    size = inp.figure(r["persons"]) / inp.figure(r["households"])
    ref = inp.figure(r["ref_persons"]) / inp.figure(r["ref_households"])
    tol = _num(rel["tolerance"], 0.0)
    bound = ref.scale(1 + tol)
    ok = size.low <= bound.high
    bad = "tension" if rel["assumption"] else "discrepancy"
    return _row(rel, inp, [r["persons"], r["households"], r["ref_persons"],
                           r["ref_households"]], size, bound, "consistent" if ok else bad,
                compares=False, size=f"{size.value:.2f}", ref_size=f"{ref.value:.2f}",
                tolerance=f"{100 * tol:g}%")


def rule_count_list(rel, inp, r) -> dict:
    """A printed count (九大, 四个) against the items its sentence lists before it."""
    row = inp.row(r["count"])
    quote = str(row["quote"])
    start = quote.find(str(row["value_printed"]))
    before = quote[:start] if start >= 0 else quote
    listed = listed_items(before) if "、" in before else []
    stated, computed = inp.figure(r["count"]), Figure.exact(float(len(listed)))
    if len(listed) < 2:  # the sentence lists nothing to count
        return _row(rel, inp, [r["count"]], stated, None, "not_checkable",
                    extra=" (the sentence lists no items)", extra_zh="（句中未列出事项）")
    v = verdict(stated, computed, assumption=rel["assumption"])
    extra = f" (listed: {'、'.join(listed)})"
    extra_zh = f"（所列：{'、'.join(listed)}）"
    if v == "discrepancy" and len(listed) < stated.value and "等" in before.rsplit("、", 1)[-1]:
        # 等 before a count either closes the list ("these N") or means "and others"
        v = "ambiguous"
        extra += (f"; 等 admits two readings: it closes the list, so {len(listed)} items are "
                  f"named for {stated.value:g} (a contradiction), or it means \"and others\", "
                  f"so the {stated.value:g} include unnamed ones (consistent)")
        extra_zh += (f"；“等”有两种读法：表示列举结束，则{stated.value:g}项只列出"
                     f"{len(listed)}项（矛盾）；表示“及其他”，则{stated.value:g}项含未列出的"
                     "（一致）")
        joined = [i for i in listed if joined_items(i)]
        if joined and len(listed) + len(joined) == stated.value:
            extra += ("; and the punctuation admits a third: " + ", ".join(
                f"{i} may be two items joined without 、 ({' + '.join(joined_items(i))})"
                for i in joined) + f", which makes {stated.value:g} named (consistent)")
            extra_zh += ("；标点还允许第三种读法：" + "，".join(
                f"{i}可能是未用“、”分开的两项（{'＋'.join(joined_items(i))}）"
                for i in joined) + f"，这样列出的正好是{stated.value:g}项（一致）")
    return _row(rel, inp, [r["count"]], stated, computed, v, extra=extra, extra_zh=extra_zh)


def rule_share_by_date(rel, inp, r) -> dict:
    """A share of a group (全部: 100%) stated as reached by a date (stated: none, computed:
    the persons it covers, share × the group).

    The group (the registered poor not yet lifted) must be what the figures give: where
    it is printed and also derivable (registered − lifted), the two must agree, and it
    must not be negative; a share above 100% or an impossible group is a
    ``discrepancy``.  The date (the share's ``period_end``; the reporting date when
    none is printed) is set against the reporting date of the claims' metadata: after
    it, the statement is a target the source cannot yet report on (``not_checkable``);
    not after it, a statement of the past that the figures do not contradict
    (``consistent``, under the relation's ``assumption``, which says how the statement
    and the count of the not yet lifted at the same date fit together).
    """
    share = inp.figure(r["share"])
    persons, households = inp.figure(r["persons"]), inp.figure(r["households"])
    ids = [r["share"], r["persons"], r["households"]]
    for cid in (r["persons"], r["households"]):
        if cid in inp.present and inp.derivable(cid):
            ids += list(DERIVED[cid])
    covered = persons.scale(share.value / 100)
    row = inp.row(r["share"])
    report = inp.reporting_date()
    date = pd.Timestamp(row["period_end"]) if not pd.isna(row["period_end"]) else report
    printed = [cid in inp.present for cid in (r["persons"], r["households"])]
    origin = ("printed", "原文所印") if all(printed) else (
        ("registered − lifted", "建档立卡数减已脱贫数") if not any(printed) else
        ("printed and registered − lifted", "原文所印及建档立卡数减已脱贫数"))
    fill = {
        "group_persons": f"{persons.value:,.0f}", "group_households": f"{households.value:,.0f}",
        "group_from": origin[0], "group_from_zh": origin[1],
        "period": "?" if pd.isna(row["period_text"]) else str(row["period_text"]) or "?",
        "date": f"{date:%Y-%m-%d}" if date is not None else "?",
        "report": f"{report:%Y-%m-%d}" if report is not None else "?",
    }

    def out(verdict_: str, extra: str, extra_zh: str) -> dict:
        return _row(rel, inp, ids, None, covered, verdict_, compares=False, extra=extra,
                    extra_zh=extra_zh, **fill)

    if not 0 <= share.value <= 100:
        return out("discrepancy", f"; a share of {share.value:g}% is not a share of a group",
                   f"；{share.value:g}%不可能是某一群体的比例")
    for cid, unit_en, unit_zh in ((r["persons"], "persons", "人"),
                                  (r["households"], "households", "户")):
        if cid in inp.present and inp.derivable(cid):
            shown, derived = inp.figure(cid), inp.derived(cid)
            if verdict(shown, derived) == "discrepancy":
                return out("discrepancy",
                           f"; the group is printed as {inp.printed(cid)} but registered − "
                           f"lifted gives {derived.value:,.0f} {unit_en}",
                           f"；原文所印对象为{inp.printed(cid)}，而建档立卡数减已脱贫数为"
                           f"{derived.value:,.0f}{unit_zh}")
    if persons.high < 0 or households.high < 0:
        return out("discrepancy", "; the figures leave fewer than none not yet lifted "
                                  "(more lifted than registered)",
                   "；按这些数字未脱贫对象为负数（已脱贫多于建档立卡）")
    if report is None or date is None:
        return out("not_checkable", "; no reporting date is known: whether the date had "
                                    "passed cannot be told",
                   "；报道时点未知：无法判断该日期是否已过")
    if date > report:
        return out("not_checkable",
                   "; the date is after the reporting date: a target still to come when the "
                   "source reports, which it cannot confirm",
                   "；该时点在报道时点之后：是报道时尚未到来的目标，资料无法证实")
    return out("consistent",
               "; the date is not after the reporting date: a statement of the past, not a "
               "target, which the figures do not contradict",
               "；该时点不晚于报道时点：是对已过时点的陈述而非目标，与各数字不矛盾")


def rule_implied(rel, inp, r) -> dict:
    """A figure the source implies but does not state: numerator ÷ denominator (× scale)."""
    computed = (inp.figure(r["numerator"]) / inp.figure(r["denominator"])).scale(
        _num(rel["scale"], 1.0))
    return _row(rel, inp, [r["numerator"], r["denominator"]], None, computed, "not_checkable")


def rule_implied_product(rel, inp, r) -> dict:
    """A total the source implies: a per-unit figure × a count."""
    computed = inp.figure(r["factor"]) * inp.figure(r["count"])
    return _row(rel, inp, [r["factor"], r["count"]], None, computed, "not_checkable")


def rule_context_base(rel, inp, r) -> dict:
    """The base a rate implies, beside a population the source cites (no agreement required)."""
    base = implied_base(inp.figure(r["rate"]), inp.figure(r["persons"]))
    return _row(rel, inp, [r["rate"], r["persons"], r["population"]],
                inp.figure(r["population"]), base, "not_checkable")


def rule_context_product(rel, inp, r) -> dict:
    """A product (per-unit × count) beside another figure (no agreement required)."""
    total = inp.figure(r["factor"]) * inp.figure(r["count"])
    return _row(rel, inp, [r["factor"], r["count"], r["compare"]], inp.figure(r["compare"]),
                total, "not_checkable")


def unit_slip(value: float, lo: float, hi: float) -> tuple[str, str] | None:
    """The :data:`UNIT_SLIPS` entry (English, Chinese) that brings ``value`` into [lo, hi]."""
    off = value / hi if value > hi else (lo / value if value > 0 else math.inf)
    if off < SLIP_MIN_FACTOR:
        return None  # a few times out of range: not a slip of 10⁴
    for factor, en, zh in UNIT_SLIPS:
        if lo <= value * factor <= hi:
            return en, zh
    return None


def rule_plausibility(rel, inp, r) -> dict:
    """A magnitude per unit of scale within the codebook's [plausible_min, plausible_max]."""
    value = inp.figure(r["value"])
    ids = [r["value"]]
    if r["scale"]:
        scale_id = next(i for i in SCALE_IDS[r["scale"]] if inp.has(i))
        value = value / inp.figure(scale_id)
        ids.append(scale_id)
    lo, hi = _num(rel["min"], -math.inf), _num(rel["max"], math.inf)
    ok = lo <= value.value <= hi
    extra = (f" [{lo:,.6g} – {hi:,.6g}]" if math.isfinite(lo) and math.isfinite(hi) else
             f" (≤ {hi:,.6g})" if math.isfinite(hi) else f" (≥ {lo:,.6g})")
    extra_zh = extra.replace(" (", "（").replace(")", "）").lstrip()
    if not ok:
        slip = unit_slip(value.value, lo, hi)
        extra += (f"; {slip[0]}: that slip would bring it into range" if slip else
                  "; no unit slip (×10⁴ or ÷10⁴) explains it")
        extra_zh += (f"；{slip[1]}：按此笔误更正则落入范围" if slip else
                     "；单位笔误（×10⁴或÷10⁴）无法解释")
    return _row(rel, inp, ids, None, value, "consistent" if ok else "implausible",
                compares=False, extra=extra, extra_zh=extra_zh)


RULES = {
    "part_le_whole": rule_part_le_whole, "equal": rule_equal, "rate": rule_rate,
    "per_capita": rule_per_capita, "implied_base": rule_implied_base,
    "household_size": rule_household_size, "once_a_year": rule_once_a_year,
    "per_semester": rule_per_semester, "size_vs_register": rule_size_vs_register,
    "count_list": rule_count_list, "share_by_date": rule_share_by_date,
    "implied": rule_implied,
    "implied_product": rule_implied_product, "context_base": rule_context_base,
    "context_product": rule_context_product, "plausibility": rule_plausibility,
}


def missing_inputs(rel, inp: Inputs) -> list[str]:
    """The ids a relation needs that the claims lack (none: the check runs)."""
    roles = parse_roles(rel["roles"])
    gone = []
    for role, cid in roles.items():
        if rel["kind"] == "plausibility" and role == "scale":
            if cid and not any(inp.has(i) for i in SCALE_IDS.get(cid, ())):
                gone.append(SCALE_IDS[cid][0] if cid in SCALE_IDS else f"(scale {cid})")
        elif not inp.has(cid):
            gone.append(cid)
    return gone


def run_audit(claims: pd.DataFrame, relations: pd.DataFrame | None = None,
              codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every relation whose ids are present, checked: the table ``04_audit.csv``.

    ``relations`` defaults to :func:`all_relations` (``data/relations.csv`` and the
    codebook's plausible ranges).  A relation with a missing id gives no row.
    """
    relations = all_relations(codebook=codebook) if relations is None else relations
    inp = Inputs(claims)
    rows = []
    for _, rel in relations.iterrows():
        if missing_inputs(rel, inp):
            continue
        roles = parse_roles(rel["roles"])
        rows.append(RULES[rel["kind"]](rel, inp, roles))
    table = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    if not table["check_id"].is_unique:
        raise ValueError("duplicate check ids")
    bad = set(table["verdict"]) - set(VERDICTS)
    if bad:
        raise ValueError(f"unknown verdicts {bad}")
    return table


def not_run(claims: pd.DataFrame, relations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The relations that gave no row, with the ids they lack (relation_id, kind, missing)."""
    relations = all_relations() if relations is None else relations
    inp = Inputs(claims)
    rows = [{"relation_id": rel["relation_id"], "kind": rel["kind"],
             "missing": ";".join(missing_inputs(rel, inp))}
            for _, rel in relations.iterrows() if missing_inputs(rel, inp)]
    return pd.DataFrame(rows, columns=["relation_id", "kind", "missing"])


# =========================================================================== money
#
# Every claim in yuan (amounts, not ``yuan_per_*`` figures) with its period, its amount
# per year and whether it is poverty-targeted; implausible magnitudes (a plausibility
# check of the audit) and bill totals are kept out of the sums, with the reason.

#: Words that make a money figure poverty-targeted when they name its recipients:
#: the registered poor (建档立卡), poor people, households or "poverty objects", or a
#: programme named for poverty relief (扶贫).
TARGET_MARKERS: tuple[str, ...] = ("建档立卡", "贫困人口", "贫困户", "贫困对象", "扶贫")


@dataclass(frozen=True)
class MoneyClass:
    """The reading of one money claim: targeted or not, the word it rests on, names."""

    is_targeted: bool
    evidence_zh: str
    reason_en: str
    reason_zh: str
    label_en: str
    label_zh: str
    short_en: str
    short_zh: str
    is_in_total: bool = True
    total_note_en: str = ""
    total_note_zh: str = ""


#: Why an amount that is not money paid out is left out of the sums.
NOT_SPENDING_NOTE = ("a bill total, not money paid: the reimbursement within it is summed",
                     "为费用总额而非支付金额：其中的补偿金额已计入合计")

#: Reviewed money claims outside notebook 01's areas: targeted or not, and the phrase of
#: the quote that says so (used only when the claim's quote holds that phrase).
REVIEWED_MONEY: dict[str, MoneyClass] = {
    "employment.training_subsidy": MoneyClass(
        True, "发放贫困对象技能培训补贴",
        "training subsidies paid to poverty objects (贫困对象)", "发放给贫困对象的技能培训补贴",
        "Skills-training subsidies", "技能培训补贴", "training subsidies", "技能培训补贴"),
    "employment.living_subsidy": MoneyClass(
        True, "针对贫困户共举办技能培训",
        "living-cost subsidies of the training held for poor households (针对贫困户)",
        "针对贫困户举办的技能培训的生活费补贴",
        "Trainees' living-cost subsidies", "培训生活费补贴", "trainees' living subsidies",
        "培训生活费补贴"),
    "employment.transport_subsidy_amount": MoneyClass(
        True, "精准帮助贫困户实现就业",
        "the transport aid of the sentence before, which helps poor households (贫困户) "
        "into work",
        "前句所述帮助贫困户实现就业的交通补助", "Transport subsidies", "一次性交通补助",
        "transport subsidies", "交通补助"),
    "industry.funds": MoneyClass(
        True, "投入产业扶贫资金",
        "industrial poverty-relief funds (产业扶贫资金); their per-capita figure is per "
        "registered poor person (notebook 02)",
        "产业扶贫资金；人均数按建档立卡贫困人口计算（见笔记02）",
        "Industry poverty-relief funds", "产业扶贫资金", "industry funds", "产业扶贫资金"),
}


def markers_in(text: str) -> list[str]:
    """The :data:`TARGET_MARKERS` that occur in ``text``, in marker order."""
    return [m for m in TARGET_MARKERS if m in str(text)]


def classify_by_markers(claim: pd.Series) -> MoneyClass:
    """A money claim read by its marker words: targeted if the quote holds one."""
    found = markers_in(claim["quote"])
    label_en, label_zh = str(claim["indicator_en"]), str(claim["indicator_zh"])
    if found:
        return MoneyClass(True, found[0], f"the quote names {found[0]} (automatic)",
                          f"原文含“{found[0]}”（自动判断）", label_en, label_zh, label_en,
                          label_zh)
    return MoneyClass(False, label_zh, "the quote names no poverty group (automatic)",
                      "原文未限定贫困对象（自动判断）", label_en, label_zh, label_en, label_zh)


def money_classification(claims: pd.DataFrame) -> dict[str, MoneyClass]:
    """Every money claim's reading by id.

    Notebook 01's areas (health, education, housing, water, social security,
    infrastructure) as :func:`helpers.analysis.closing_gaps.money_rows` reads them (one
    decision for both notebooks); others from :data:`REVIEWED_MONEY` where the
    quote, or the source text just before it, holds the reviewed phrase, else by
    :func:`classify_by_markers`.
    """
    from helpers.analysis.closing_gaps import money_rows

    out = {}
    for _, p in money_rows(claims).iterrows():
        spending = bool(p["is_spending"])
        out[p["amount_id"]] = MoneyClass(
            bool(p["is_registered_poor_only"]), p["targeting_marker"],
            p["targeting_reason_en"], p["targeting_reason_zh"], p["programme_en"],
            p["programme_zh"], p["short_en"], p["short_zh"], is_in_total=spending,
            total_note_en="" if spending else NOT_SPENDING_NOTE[0],
            total_note_zh="" if spending else NOT_SPENDING_NOTE[1])
    for _, claim in money_claims(claims).iterrows():
        if claim["id"] in out:
            continue
        reviewed = REVIEWED_MONEY.get(claim["id"])
        near = _context_before(claims, claim) + str(claim["quote"])
        out[claim["id"]] = (reviewed if reviewed and reviewed.evidence_zh in near
                            else classify_by_markers(claim))
    return out


def _context_before(claims: pd.DataFrame, claim: pd.Series, chars: int = 120) -> str:
    """The source text just before a claim's quote (the sentence before it), or ``""``."""
    meta = claims.attrs.get("meta")
    if meta is None:
        return ""

    try:
        text = meta.resolve(str(claim["source"])).read_text(encoding="utf-8")
    except OSError:
        return ""
    offset = int(claim["quote_offset"])
    return text[max(0, offset - chars):offset]


def money_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims that are amounts of money: ``base_unit == "yuan"`` (not ``yuan_per_*``)."""
    return claims[claims["base_unit"] == "yuan"]


def years_covered(start, end) -> float:
    """Years from ``start`` to ``end`` inclusive; NaN if either is missing.

    Whole months when the period runs from the first of a month to the last day
    of a month (2015-01-01 – 2020-06-30: 66 months, 5.5 years); otherwise days
    ÷ 365.25.  Raises :class:`ValueError` if the period ends before it starts.
    """
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return math.nan
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    stop = end + pd.Timedelta(days=1)
    if start.day == 1 and stop.day == 1:
        return ((stop.year - start.year) * 12 + stop.month - start.month) / 12
    return (stop - start).days / 365.25


def per_year(amount: float, years: float) -> float:
    """``amount ÷ years``; NaN when the years are unknown or not positive."""
    if years is None or pd.isna(years) or years <= 0:
        return math.nan
    return amount / years


def implausible_ids(audit: pd.DataFrame) -> dict[str, str]:
    """Claims whose magnitude the audit found implausible → the check's description."""
    bad = audit[(audit["verdict"] == "implausible") & (audit["relation"] == "plausibility")]
    return {cid.removeprefix("plausible."): desc
            for cid, desc in zip(bad["check_id"], bad["description"], strict=True)}


def money_table(claims: pd.DataFrame, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every money claim with its period, amount per year and targeting, in source order.

    An amount the ``audit`` found implausible is kept in the table but out of the
    sums (``is_in_total`` False, ``is_implausible`` True, the note says why).
    Columns: ``chapter``, ``section``, ``programme_en``, ``programme_zh``,
    ``short_en``, ``short_zh``, ``amount_yuan``, ``is_at_least``, ``period_start``,
    ``period_end`` (ISO dates or ``""``), ``period_text``, ``has_printed_start``,
    ``years_covered``, ``amount_per_year_yuan`` (NaN without a start),
    ``is_poverty_targeted``, ``targeting_evidence_zh``, ``targeting_reason_en``,
    ``targeting_reason_zh``, ``is_in_total``, ``total_note_en``, ``total_note_zh``,
    ``is_implausible``, ``claim_ids``.
    """
    audit = run_audit(claims) if audit is None else audit
    bad = implausible_ids(audit)
    reviewed = money_classification(claims)
    rows = []
    for _, claim in money_claims(claims).sort_values("quote_offset", kind="stable").iterrows():
        c = reviewed[claim["id"]]
        start, end = claim["period_start"], claim["period_end"]
        years = years_covered(start, end)
        amount = float(claim["value_base"])
        implausible = claim["id"] in bad
        note_en, note_zh = c.total_note_en, c.total_note_zh
        if implausible:
            note_en = "implausible magnitude (see the audit), left out of the sums"
            note_zh = "数额不合理（见核对表），未计入合计"
        rows.append({
            "chapter": int(claim["chapter"]), "section": claim["section"],
            "programme_en": c.label_en, "programme_zh": c.label_zh,
            "short_en": c.short_en, "short_zh": c.short_zh,
            "amount_yuan": amount, "is_at_least": claim["qualifier"] == "at_least",
            "period_start": "" if pd.isna(start) else f"{pd.Timestamp(start):%Y-%m-%d}",
            "period_end": "" if pd.isna(end) else f"{pd.Timestamp(end):%Y-%m-%d}",
            "period_text": "" if pd.isna(claim["period_text"]) else str(claim["period_text"]),
            "has_printed_start": not pd.isna(start),
            "years_covered": years, "amount_per_year_yuan": per_year(amount, years),
            "is_poverty_targeted": c.is_targeted, "targeting_evidence_zh": c.evidence_zh,
            "targeting_reason_en": c.reason_en, "targeting_reason_zh": c.reason_zh,
            "is_in_total": c.is_in_total and not implausible, "total_note_en": note_en,
            "total_note_zh": note_zh, "is_implausible": implausible,
            "claim_ids": claim["id"],
        })
    return pd.DataFrame(rows, columns=MONEY_COLUMNS)


MONEY_COLUMNS = [
    "chapter", "section", "programme_en", "programme_zh", "short_en", "short_zh",
    "amount_yuan", "is_at_least", "period_start", "period_end", "period_text",
    "has_printed_start", "years_covered", "amount_per_year_yuan", "is_poverty_targeted",
    "targeting_evidence_zh", "targeting_reason_en", "targeting_reason_zh", "is_in_total",
    "total_note_en", "total_note_zh", "is_implausible", "claim_ids"]

#: Rows of :func:`money_totals`: key, English, Chinese.
TOTAL_ROWS: tuple[tuple[str, str, str], ...] = (
    ("all", "All money figures (summed)", "全部资金（合计）"),
    ("targeted", "… for the registered poor (wording, not exceeded by the numbers)",
     "…其中面向建档立卡贫困人口（据用词，数字未超出）"),
    ("not_targeted", "… wider than the register by wording or numbers, or not stated",
     "…其中用词或数字超出建档立卡范围，或未说明对象"),
    ("with_start", "… with a printed start (per year: sum of yearly averages)",
     "…其中起始时间明确（每年：各项年均之和）"),
    ("start_not_printed", "… start not printed", "…其中未写明起始时间"),
    ("not_summed", "Not summed: not money paid", "未计入合计：非支付金额"),
    ("implausible", "Not summed: implausible magnitude (see the audit)",
     "未计入合计：数额不合理（见核对表）"),
)


def money_groups(money: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each group of :data:`TOTAL_ROWS` (filters of the money table)."""
    summed = money[money["is_in_total"]]
    return {
        "all": summed,
        "targeted": summed[summed["is_poverty_targeted"]],
        "not_targeted": summed[~summed["is_poverty_targeted"]],
        "with_start": summed[summed["has_printed_start"]],
        "start_not_printed": summed[~summed["has_printed_start"]],
        "not_summed": money[~money["is_in_total"] & ~money["is_implausible"]],
        "implausible": money[money["is_implausible"]],
    }


def money_totals(money: pd.DataFrame) -> pd.DataFrame:
    """Totals of each group of :func:`money_groups`, with what qualifies them.

    Columns: ``key``, ``label_en``, ``label_zh``, ``n_figures``, ``amount_yuan``,
    ``is_at_least`` (a 余/多 amount is included), ``share_of_all_pct``,
    ``amount_per_year_yuan`` (the sum of yearly averages of the rows whose period is
    known, NaN if none), ``n_without_period``, ``period_starts`` (distinct printed
    starts), ``claim_ids``.
    """
    groups = money_groups(money)
    grand = groups["all"]["amount_yuan"].sum()
    rows = []
    for key, en, zh in TOTAL_ROWS:
        part = groups[key]
        known = part["amount_per_year_yuan"].dropna()
        summed = key not in ("not_summed", "implausible")
        rows.append({
            "key": key, "label_en": en, "label_zh": zh, "n_figures": len(part),
            "amount_yuan": float(part["amount_yuan"].sum()),
            "is_at_least": bool(part["is_at_least"].any()),
            "share_of_all_pct": (100 * part["amount_yuan"].sum() / grand
                                 if grand and summed else math.nan),
            "amount_per_year_yuan": float(known.sum()) if len(known) else math.nan,
            "n_without_period": int(part["amount_per_year_yuan"].isna().sum()),
            "period_starts": ";".join(sorted(s for s in set(part["period_start"]) if s)),
            "claim_ids": ";".join(part["claim_ids"]),
        })
    return pd.DataFrame(rows)
