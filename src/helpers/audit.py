"""Recompute every statement of the article that other statements in it can check.

Each check compares a *stated* figure with a figure *computed* from other
claims and gives a verdict:

- ``consistent``: the two agree exactly (or an inequality the text implies holds);
- ``rounding``: they differ, but by less than the rounding of the printed
  figures (88% is printed to whole percent, so 87.5–88.5 all print as 88%;
  inputs' own rounding is carried through ratios);
- ``discrepancy``: they differ beyond that;
- ``not_checkable``: nothing else in the article states the figure; the row
  shows what it implies (a per-unit amount, a base population) for a reader
  to judge.

Checks are plain functions of the claims table (:data:`CHECKS`); the verdict
logic is :func:`verdict`, unit-tested on hand-made numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import units
from .claims import get_claim

VERDICTS = ("consistent", "rounding", "discrepancy", "not_checkable")
AUDIT_COLUMNS = ["check_id", "description", "stated", "computed", "relative_difference",
                 "verdict", "claim_ids"]


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

    def __sub__(self, other: Figure) -> Figure:
        return Figure(self.value - other.value, self.low - other.high, self.high - other.low)

    def scale(self, k: float) -> Figure:
        return Figure(self.value * k, self.low * k, self.high * k)


def verdict(stated: Figure, computed: Figure, rel_tol: float = 1e-9) -> str:
    """``consistent`` if equal, ``rounding`` if the intervals overlap, else ``discrepancy``."""
    if math.isclose(stated.value, computed.value, rel_tol=rel_tol, abs_tol=1e-12):
        return "consistent"
    if stated.low <= computed.high and computed.low <= stated.high:
        return "rounding"
    return "discrepancy"


def _printed(claims: pd.DataFrame, claim_id: str) -> str:
    """A claim's value as printed (for descriptions: never typed in by hand)."""
    return str(get_claim(claims, claim_id)["value_printed"])


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


# ----------------------------------------------------------------------------- rows


def _row(check_id, description, stated, computed, verdict_, claim_ids,
         compares: bool = True) -> dict:
    """One audit row; ``compares`` is False where stated and computed need not agree
    (an inequality, a plausibility range, a context figure): no relative difference then."""
    s = stated.value if isinstance(stated, Figure) else stated
    c = computed.value if isinstance(computed, Figure) else computed
    rel = relative_difference(s, c) if compares and verdict_ != "not_checkable" and (
        s is not None and c is not None) else math.nan
    return {"check_id": check_id, "description": description,
            "stated": s if s is not None else math.nan,
            "computed": c if c is not None else math.nan,
            "relative_difference": rel, "verdict": verdict_, "claim_ids": ";".join(claim_ids)}


def ratio_check(claims, check_id, description, stated_id, num_id, den_id, scale=1.0) -> dict:
    """The stated figure against numerator ÷ denominator (× scale)."""
    stated = Figure.of(claims, stated_id)
    computed = (Figure.of(claims, num_id) / Figure.of(claims, den_id)).scale(scale)
    return _row(check_id, description, stated, computed, verdict(stated, computed),
                [stated_id, num_id, den_id])


def equal_check(claims, check_id, description, a_id, b_id) -> dict:
    """Two claims that state the same quantity."""
    a, b = Figure.of(claims, a_id), Figure.of(claims, b_id)
    return _row(check_id, description, a, b, verdict(a, b), [a_id, b_id])


def part_check(claims, check_id, description, part_id, whole_id) -> dict:
    """A part must not exceed its whole (stated: part, computed: whole)."""
    part, whole = Figure.of(claims, part_id), Figure.of(claims, whole_id)
    ok = part.low <= whole.high
    return _row(check_id, description, part, whole, "consistent" if ok else "discrepancy",
                [part_id, whole_id], compares=False)


def implied_check(claims, check_id, description, num_id, den_id, scale=1.0) -> dict:
    """A figure the article implies but does not state (per-unit amount, base)."""
    computed = (Figure.of(claims, num_id) / Figure.of(claims, den_id)).scale(scale)
    return _row(check_id, description, None, computed, "not_checkable", [num_id, den_id])


def count_check(claims, check_id, description, count_id, quote_id=None) -> dict:
    """A printed count (九大, 四个, 双百) against the items the sentence lists."""
    row = get_claim(claims, quote_id or count_id)
    quote = row["quote"]
    start = quote.find(row["value_printed"]) if quote_id is None else len(quote)
    listed = listed_items(quote[:start] if start >= 0 else quote)
    stated = Figure.of(claims, count_id)
    computed = Figure.exact(float(len(listed)))
    return _row(check_id, f"{description} (listed: {'、'.join(listed)})", stated, computed,
                verdict(stated, computed), [count_id])


# ----------------------------------------------------------------------------- the checks

H = "poverty."


def _remaining(claims, what: str) -> Figure:
    return Figure.of(claims, f"{H}registered_{what}") - Figure.of(claims, f"{H}lifted_{what}")


def headline_checks(claims) -> list[dict]:
    """Parts against totals, household sizes and the base population of the incidence."""
    rows = [
        part_check(claims, "headline.lifted_households_within_registered",
                   "households lifted ≤ registered poor households",
                   f"{H}lifted_households", f"{H}registered_households"),
        part_check(claims, "headline.lifted_persons_within_registered",
                   "people lifted ≤ people in registered poor households",
                   f"{H}lifted_persons", f"{H}registered_persons"),
    ]
    for group in ("registered", "lifted"):
        persons = Figure.of(claims, f"{H}{group}_persons")
        size = persons / Figure.of(claims, f"{H}{group}_households")
        ok = 1 <= size.value <= 10
        rows.append(_row(f"headline.{group}_household_size",
                         f"average size of {group} households (persons ÷ households), "
                         "plausible between 1 and 10", None, size,
                         "consistent" if ok else "discrepancy",
                         [f"{H}{group}_persons", f"{H}{group}_households"], compares=False))
    rem_p, rem_h = _remaining(claims, "persons"), _remaining(claims, "households")
    size = rem_p / rem_h
    rows.append(_row("headline.remaining_household_size",
                     "average size of households not yet lifted ((registered − lifted) persons "
                     "÷ households), plausible between 1 and 10", None, size,
                     "consistent" if 1 <= size.value <= 10 else "discrepancy",
                     [f"{H}registered_persons", f"{H}lifted_persons",
                      f"{H}registered_households", f"{H}lifted_households"], compares=False))
    incidence = Figure.of(claims, f"{H}poverty_incidence")
    base = Figure(rem_p.value / (incidence.value / 100), rem_p.low / (incidence.high / 100),
                  rem_p.high / (incidence.low / 100))
    population = Figure.of(claims, "population.total")
    rows.append(_row("headline.incidence_implied_base",
                     "base population implied by the poverty incidence if its numerator is the "
                     "people not yet lifted (stated: the population the article cites, "
                     f"{_printed(claims, 'population.total')}; "
                     "NBS divides by the rural population, which the article does not state)",
                     population, base, "not_checkable",
                     [f"{H}poverty_incidence", f"{H}registered_persons", f"{H}lifted_persons",
                      "population.total"]))
    rows.append(equal_check(claims, "headline.villages_same_in_chapter_1",
                            "poor villages in the lead = poor villages with grid renovation "
                            "(chapter 1)", f"{H}poor_villages_exited",
                            "infrastructure.grid_renovated_villages"))
    rows.append(equal_check(claims, "headline.households_reached_by_industry",
                            "registered poor households = poor households reached by industry "
                            "support (chapter 2)", f"{H}registered_households",
                            "industry.households_reached"))
    return rows


def chapter1_checks(claims) -> list[dict]:
    """Health, education, housing, water and safety-net figures."""
    c = ""
    return [
        ratio_check(claims, "health.reimbursement_rate",
                    "overall reimbursement rate = total compensation ÷ medical costs (one-stop)",
                    f"{c}health.reimbursement_rate", f"{c}health.one_stop_compensation",
                    f"{c}health.one_stop_medical_costs", 100),
        part_check(claims, "health.compensation_within_costs",
                   "compensation paid ≤ medical costs settled", f"{c}health.one_stop_compensation",
                   f"{c}health.one_stop_medical_costs"),
        _premium_payments_check(claims),
        implied_check(claims, "health.premium_per_person_time",
                      "medical-insurance premium paid per person-time (yuan)",
                      f"{c}health.premium_amount", f"{c}health.premium_person_times"),
        implied_check(claims, "education.living_allowance_per_person_time",
                      "living allowance per pupil-time (yuan)",
                      f"{c}education.living_allowance_amount",
                      f"{c}education.living_allowance_person_times"),
        implied_check(claims, "education.fee_waiver_per_person_time",
                      "fee waiver per pupil-time (yuan)", f"{c}education.fee_waiver_amount",
                      f"{c}education.fee_waiver_person_times"),
        implied_check(claims, "housing.renovation_funds_per_household",
                      "renovation funds per renovated household (yuan)",
                      f"{c}housing.renovation_funds", f"{c}housing.renovation_households"),
        implied_check(claims, "housing.renovation_beneficiaries_per_household",
                      "people directly benefiting per renovated household "
                      f"({_printed(claims, f'{c}housing.renovation_beneficiaries')} ÷ "
                      f"{_printed(claims, f'{c}housing.renovation_households')}; at least)",
                      f"{c}housing.renovation_beneficiaries",
                      f"{c}housing.renovation_households"),
        implied_check(claims, "housing.relocated_household_size",
                      "relocated people per relocated household",
                      f"{c}housing.relocated_persons", f"{c}housing.relocated_households"),
        implied_check(claims, "housing.relocation_funds_per_person",
                      "relocation funds per relocated person (yuan)",
                      f"{c}housing.relocation_funds", f"{c}housing.relocated_persons"),
        part_check(claims, "housing.relocated_within_registered",
                   "relocated households ≤ registered poor households",
                   f"{c}housing.relocated_households", f"{H}registered_households"),
        implied_check(claims, "water.investment_per_new_person",
                      "water investment per person newly covered (yuan)",
                      f"{c}water.investment", f"{c}water.new_covered_persons"),
        implied_check(claims, "social_security.pension_person_years",
                      "person-years of pension premiums implied by the total at "
                      f"{_printed(claims, f'{c}social_security.pension_premium_standard')}",
                      f"{c}social_security.pension_premium_amount",
                      f"{c}social_security.pension_premium_standard"),
    ]


def _premium_payments_check(claims) -> dict:
    """Premium payments (人次) over 2017—2020 against one a year per registered poor person."""
    times = Figure.of(claims, "health.premium_person_times")
    people = Figure.of(claims, f"{H}registered_persons")
    row = get_claim(claims, "health.premium_person_times")
    years = re.findall(r"(\d{4})", row["period_text"])
    n_years = int(years[-1]) - int(years[0]) + 1 if len(years) == 2 else 1
    bound = people.scale(n_years)
    ok = times.low <= bound.high
    return _row("health.premium_payments_within_registered_years",
                f"medical-insurance premium payments (person-times, {row['period_text']}) ≤ "
                f"one a year for every registered poor person over {n_years} calendar years "
                "(computed: registered poor people × years; more payments mean the premiums "
                "also covered people outside the register, or the register changed)",
                times, bound, "consistent" if ok else "discrepancy",
                ["health.premium_person_times", f"{H}registered_persons"], compares=False)


def chapter2_checks(claims) -> list[dict]:
    """Employment pipeline and industry figures."""
    e, i = "employment.", "industry."
    return [
        part_check(claims, "employment.poor_intentions_within_all",
                   "job intentions of poor-household members ≤ all job intentions",
                   f"{e}job_intentions_poor", f"{e}job_intentions"),
        implied_check(claims, "employment.participants_per_session",
                      "training person-times per session", f"{e}training_person_times",
                      f"{e}training_sessions"),
        implied_check(claims, "employment.training_subsidy_per_person_time",
                      "training subsidy per person-time (yuan)", f"{e}training_subsidy",
                      f"{e}training_person_times"),
        implied_check(claims, "employment.living_subsidy_per_person_time",
                      "living subsidy per person-time (yuan)", f"{e}living_subsidy",
                      f"{e}training_person_times"),
        implied_check(claims, "employment.transport_subsidy_per_recipient",
                      "one-off transport subsidy per recipient (yuan)",
                      f"{e}transport_subsidy_amount", f"{e}transport_subsidy_recipients"),
        part_check(claims, "employment.carrier_workers_within_registered",
                   "poor labourers employed by carriers ≤ people in registered poor households",
                   f"{e}carrier_workers", f"{H}registered_persons"),
        part_check(claims, "employment.welfare_post_workers_within_registered",
                   "poor people in public-welfare posts ≤ people in registered poor households",
                   f"{e}welfare_post_workers", f"{H}registered_persons"),
        implied_check(claims, "employment.workers_per_carrier",
                      "poor labourers per employment carrier", f"{e}carrier_workers",
                      f"{e}carriers"),
        ratio_check(claims, "industry.funds_per_person_vs_registered",
                    "funds per person = industry funds ÷ registered poor people",
                    f"{i}funds_per_person", f"{i}funds", f"{H}registered_persons"),
        implied_check(claims, "industry.implied_persons_of_per_capita",
                      f"people implied by 人均 {_printed(claims, f'{i}funds_per_person')} "
                      "(industry funds ÷ per-capita funds)",
                      f"{i}funds", f"{i}funds_per_person"),
        implied_check(claims, "industry.funds_per_project", "industry funds per project (yuan)",
                      f"{i}funds", f"{i}projects"),
        count_check(claims, "industry.nine_industry_types",
                    "九大产业 against the industries the sentence names",
                    f"{i}industry_types"),
        part_check(claims, "industry.camellia_within_registered",
                   "camellia households ≤ registered poor households",
                   f"{i}camellia_households", f"{H}registered_households"),
        part_check(claims, "industry.camellia_employed_within_engaged",
                   "households employed in camellia ≤ households it engaged",
                   f"{i}camellia_employed_households", f"{i}camellia_households"),
        part_check(claims, "industry.poultry_within_registered",
                   "chicken-raising households ≤ registered poor households",
                   f"{i}poultry_households", f"{H}registered_households"),
        implied_check(claims, "industry.birds_per_household", "chickens per raising household",
                      f"{i}poultry_birds", f"{i}poultry_households"),
        implied_check(claims, "industry.camellia_mu_per_household",
                      "camellia mu per engaged household", f"{i}camellia_area",
                      f"{i}camellia_households"),
        _income_gain_total(claims),
        count_check(claims, "motivation.campaign_dimensions",
                    "四股四争 dimensions against those the sentence lists",
                    "motivation.campaign_dimensions"),
    ]


def _income_gain_total(claims) -> dict:
    gain = Figure.of(claims, "industry.income_gain_per_household")
    households = Figure.of(claims, "industry.households_reached")
    total = Figure(gain.value * households.value, gain.low * households.low,
                   gain.high * households.high)
    funds = Figure.of(claims, "industry.funds")
    return _row("industry.income_gain_total_vs_funds",
                "total income gain implied (户均增收 × households reached) against the "
                "industry funds invested (stated: funds; the article does not say whether the "
                "gain is per year)", funds, total, "not_checkable",
                ["industry.income_gain_per_household", "industry.households_reached",
                 "industry.funds"])


def chapter3_checks(claims) -> list[dict]:
    """Governance figures."""
    village = Figure.of(claims, f"{H}poor_villages_exited")
    rows = []
    roles = {"county_leader": "county_leaders", "first_secretary": "first_secretaries",
             "organisation_cadre": "organisation_cadres"}
    for role, plural in roles.items():
        cid = f"assignment.{role}_per_village"
        per = Figure.of(claims, cid)
        total = Figure(per.value * village.value, per.low * village.low, per.high * village.high)
        rows.append(_row(f"assignment.{plural}_implied",
                         f"{plural.replace('_', ' ')} implied across the poor villages "
                         "(per-village count × villages)", None, total, "not_checkable",
                         [cid, f"{H}poor_villages_exited"]))
    return rows


#: Every group of checks, in the order of the article.
CHECKS: tuple[Callable[[pd.DataFrame], list[dict]], ...] = (
    headline_checks, chapter1_checks, chapter2_checks, chapter3_checks)


def run_audit(claims: pd.DataFrame) -> pd.DataFrame:
    """All checks as one table with the columns of ``audit.csv``."""
    rows = [row for group in CHECKS for row in group(claims)]
    table = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    if not table["check_id"].is_unique:
        raise ValueError("duplicate check ids")
    bad = set(table["verdict"]) - set(VERDICTS)
    if bad:
        raise ValueError(f"unknown verdicts {bad}")
    return table
