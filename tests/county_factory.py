"""Generate N fictional counties (article, claims, sidecar, exclusions) from a template.

Used by the scale tests and ``make bench`` (batch row).  Every county is FICTIONAL: names
are built from syllables (``Test county`` 甲乙…) and the figures are drawn with a seeded
random generator, mutually consistent (registered = lifted + remaining; incidence printed
from the remaining persons and the population).  Which paragraphs an article prints varies
with the county: the headline is always there; the start incidence, the remaining poor,
industry money and health money are each printed by some counties only, so a comparison
has "not reported" cells.

    >>> from county_factory import make_counties
    >>> files = make_counties(tmp_path, 3)          # doctest: +SKIP
    >>> [f.name for f in files]                     # doctest: +SKIP
    ['county01_claims.csv', 'county02_claims.csv', 'county03_claims.csv']

The claims are filed here by construction (the ids are known for each sentence); the
exclusions come from :func:`helpers.data.draft.draft`, so they list every other mention.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from helpers.data import extract
from helpers.data.claims import CLAIM_FIELDS
from helpers.data.draft import draft
from helpers.paths import get_paths

_SYLLABLES_ZH = "岚梧松桐枫榆柏槐杉桦楠樟"
_SYLLABLES_EN = ["Lan", "Wu", "Song", "Tong", "Feng", "Yu", "Bai", "Huai", "Shan", "Hua",
                 "Nan", "Zhang"]
REPORTING_DATE = "2020-06-30"


def county_name(k: int) -> tuple[str, str]:
    """(zh, en) name of fictional county ``k`` (1-based): two syllables and 县 / County."""
    a, b = divmod(k - 1, len(_SYLLABLES_ZH))
    a %= len(_SYLLABLES_ZH)
    zh = _SYLLABLES_ZH[a] + _SYLLABLES_ZH[b] + "县"
    en = _SYLLABLES_EN[a] + _SYLLABLES_EN[b].lower() + f" {k:02d}"
    return zh, en


def _article(k: int, rng: random.Random) -> tuple[str, list[tuple[str, str, str, str]]]:
    """The article text and, per claim, (id, value_printed, sentence marker, period)."""
    zh, _ = county_name(k)
    households = rng.randrange(3000, 25000)
    persons = int(households * rng.uniform(2.8, 3.6))
    lifted_h = int(households * rng.uniform(0.93, 0.99))
    lifted_p = int(persons * (lifted_h / households) * rng.uniform(0.995, 1.0))
    pop = rng.randrange(200_000, 1_200_000)
    incidence = (persons - lifted_p) / (pop * 0.8) * 100
    claims = []
    paras = [f"# {zh}脱贫攻坚纪实\n"]
    head = (f"截至目前，{zh}建档立卡贫困户共{households}户{persons}人，"
            f"已脱贫{lifted_h}户{lifted_p}人，贫困发生率降至{incidence:.2f}%。")
    claims += [("poverty.registered_households", f"{households}户", head, "now"),
               ("poverty.registered_persons", f"{persons}人", head, "now"),
               ("poverty.lifted_households", f"{lifted_h}户", head, "now"),
               ("poverty.lifted_persons", f"{lifted_p}人", head, "now"),
               ("poverty.poverty_incidence", f"{incidence:.2f}%", head, "now")]
    paras.append(head)
    if k % 2 == 0:
        start_p = int(persons * rng.uniform(1.0, 1.1))
        start_i = start_p / (pop * 0.8) * 100
        s = f"2014年建档立卡之初，全县有贫困人口{start_p}人，贫困发生率高达{start_i:.1f}%。"
        claims += [("poverty.registered_persons_start", f"{start_p}人", s, "2014"),
                   ("poverty.poverty_incidence_start", f"{start_i:.1f}%", s, "2014")]
        paras.append(s)
    if k % 3 == 0:
        s = (f"截至目前，全县尚未脱贫{households - lifted_h}户"
             f"{persons - lifted_p}人。")
        claims += [("poverty.remaining_households", f"{households - lifted_h}户", s, "now"),
                   ("poverty.remaining_persons", f"{persons - lifted_p}人", s, "now")]
        paras.append(s)
    if k % 4 != 1:
        funds = round(persons * rng.uniform(800, 6000) / 1e4, 2)
        s = f"2016年以来，全县累计投入产业扶贫资金{funds}万元。"
        claims.append(("industry.funds", f"{funds}万元", s, "2016"))
        paras.append(s)
    if k % 5 != 2:
        premium = round(persons * rng.uniform(200, 900) / 1e4, 2)
        s = f"2017—2020年，全县共代缴贫困人口医保，代缴金额{premium}万元。"
        claims.append(("health.premium_amount", f"{premium}万元", s, "2017-2020"))
        paras.append(s)
    return "\n\n".join(paras) + "\n", claims


def _period(kind: str) -> tuple[str, str, str]:
    return {
        "now": ("", REPORTING_DATE, "截至目前"),
        "2014": ("2014-01-01", "2014-12-31", "2014年"),
        "2016": ("2016-01-01", REPORTING_DATE, "2016年以来"),
        "2017-2020": ("2017-01-01", REPORTING_DATE, "2017—2020年"),
    }[kind]


def make_county(folder: Path, k: int, seed: int = 0) -> Path:
    """Write county ``k``'s four files under ``folder``; return its claims file."""
    from helpers.data.codebook import load_codebook
    from helpers.data.extract import _parse_quantity_text
    from helpers.data.units import allowed_base_units

    rng = random.Random(seed * 1000 + k)
    text, spec = _article(k, rng)
    stem = f"county{k:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    article = folder / f"{stem}_article.txt"
    article.write_text(text, encoding="utf-8")
    paths = get_paths()
    source = paths.relative(article)
    book = load_codebook()
    rows = []
    for cid, printed, sentence, period in spec:
        offset = text.index(sentence)
        p = _parse_quantity_text(printed)
        base = str(book.at[cid, "base_unit"])
        assert base in allowed_base_units(p.unit), (cid, printed)
        start, end, ptext = _period(period)
        rows.append({"id": cid, "chapter": 0, "section": "headline",
                     "indicator_zh": book.at[cid, "indicator_zh"],
                     "indicator_en": book.at[cid, "indicator_en"], "value_printed": printed,
                     "number": f"{p.number:.10g}", "unit_printed": p.unit_printed,
                     "base_unit": base, "value_base": f"{p.value:.10g}",
                     "qualifier": p.qualifier, "period_start": start, "period_end": end,
                     "period_text": ptext, "quote": sentence, "quote_offset": offset,
                     "source": source, "notes": "fictional county generated for tests"})
    claims = folder / f"{stem}_claims.csv"
    pd.DataFrame(rows, columns=list(CLAIM_FIELDS)).to_csv(claims, index=False,
                                                          lineterminator="\n")
    _, _, exclusions, _ = draft(text, source, book)
    (folder / f"{stem}_exclusions.csv").write_text(
        exclusions.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    zh, en = county_name(k)
    (folder / f"{stem}_claims.meta.yaml").write_text(
        "# FICTIONAL county generated by tests/county_factory.py\n"
        "county:\n"
        f"  name_zh: {zh}\n  name_en: {en}\n  level_zh: 县\n  level_en: county\n"
        "  province_zh: 虚构省\n  province_en: Fictional province\n"
        f"reporting_date: {REPORTING_DATE}\n"
        "fictional: true\n"
        "sources:\n"
        "  - id: article\n"
        f"    path: {source}\n"
        f"    exclusions: {paths.relative(folder / f'{stem}_exclusions.csv')}\n"
        "    kind: article\n"
        f"    title_zh: {extract.chapters(text)[0].title}\n"
        f"    title_en: {en} leaves poverty behind (fictional)\n", encoding="utf-8")
    return claims


def make_counties(folder: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` fictional counties under ``folder``; return their claims files."""
    return [make_county(Path(folder), k, seed) for k in range(1, n + 1)]
