"""Chapter 3 (同频共振, "acting in concert"): how the campaign was organised and governed.

The chapter gives few numbers: the reserve village cadres selected (756人), a
per-village assignment model (1 county-level leader, 1 first secretary and 1
organisation-department cadre for each poor village) and the frontline cadres
promoted since 2017 (112名).  With the lead's count of poor villages the model
implies a number of assigned officials (:func:`implied_officials`): posts held at
one time if every village had its own three, which the article implies but does
not state; it does not say how often the posts rotated, so these are not distinct
people over the years.  :func:`governance_scale` sets the three head counts side by
side; the promoted cadres and the assigned officials are different groups, and
their ratio is only a scale reference.

Every number comes from the claims table through claim ids; the article's words
(terms, formulas) are analysed in :mod:`helpers.text`.  Nothing runs at import time.
"""

from __future__ import annotations

import pandas as pd

from . import text as tx
from .claims import get_claim
from .formatting import check_lang as _check_lang
from .formatting import iso_date as _iso
from .formatting import pick as _t

#: The article's chapter this module analyses (colour: ``plotting.CHAPTER_COLORS[3]``).
CHAPTER = 3

#: Claim ids the module reads.
VILLAGES_ID = "poverty.poor_villages_exited"
RESERVE_ID = "party_building.reserve_cadres"
PROMOTED_ID = "cadres.promoted"
ROLE_IDS: dict[str, str] = {
    "county_leader": "assignment.county_leader_per_village",
    "first_secretary": "assignment.first_secretary_per_village",
    "organisation_cadre": "assignment.organisation_cadre_per_village",
}

#: Short names of the assigned roles (English, Chinese).
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "county_leader": ("county-level leader", "县级领导联点"),
    "first_secretary": ("first secretary", "第一书记驻村"),
    "organisation_cadre": ("organisation cadre", "组工干部对口指导"),
    "total": ("all three roles", "三类合计"),
}

#: Names of the head-count groups compared in :func:`governance_scale`.
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "reserve_cadres": ("reserve village cadres selected", "选拔村级后备干部"),
    "implied_officials": ("officials implied by the per-village model",
                          "按每村配置推算的派驻干部"),
    "promoted_cadres": ("frontline cadres promoted", "一线干部提拔重用"),
}


def _claim(claims: pd.DataFrame, claim_id: str, base_unit: str) -> pd.Series:
    """The claim row, checked to be in ``base_unit``."""
    row = get_claim(claims, claim_id)
    if row["base_unit"] != base_unit:
        raise ValueError(f"claim {claim_id!r} is in {row['base_unit']!r}; expected {base_unit!r}")
    return row


def combine_qualifiers(qualifiers) -> str:
    """Qualifier of a product or sum: exact only if all are; approx wins over at_least."""
    qs = set(qualifiers)
    if qs <= {"exact"}:
        return "exact"
    return "approx" if "approx" in qs else "at_least"


def fmt_number(value: float, digits: int = 0) -> str:
    """``1,234`` / ``1.10``: thousands separators, fixed digits."""
    return f"{value:,.{digits}f}"


# --------------------------------------------------------------------------- numbers


def implied_officials(claims: pd.DataFrame, villages_id: str = VILLAGES_ID,
                      role_ids: dict[str, str] | None = None) -> pd.DataFrame:
    """Officials the per-village model implies: persons per village × poor villages.

    One row per role and a ``total`` row.  Columns: role, persons_per_village,
    villages, implied_persons, qualifier, claim_ids.  The role claims must be in
    ``persons_per_village`` and the village claim in ``villages``.
    """
    role_ids = ROLE_IDS if role_ids is None else role_ids
    villages = _claim(claims, villages_id, "villages")
    rows = []
    for role, claim_id in role_ids.items():
        per = _claim(claims, claim_id, "persons_per_village")
        rows.append({
            "role": role,
            "persons_per_village": float(per["value_base"]),
            "villages": float(villages["value_base"]),
            "implied_persons": float(per["value_base"]) * float(villages["value_base"]),
            "qualifier": combine_qualifiers([per["qualifier"], villages["qualifier"]]),
            "claim_ids": f"{claim_id};{villages_id}",
        })
    frame = pd.DataFrame(rows)
    total = {
        "role": "total",
        "persons_per_village": frame["persons_per_village"].sum(),
        "villages": float(villages["value_base"]),
        "implied_persons": frame["implied_persons"].sum(),
        "qualifier": combine_qualifiers(frame["qualifier"]),
        "claim_ids": ";".join([*role_ids.values(), villages_id]),
    }
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def governance_scale(claims: pd.DataFrame, implied: pd.DataFrame) -> pd.DataFrame:
    """Reserve cadres, implied assigned officials and promoted cadres, side by side.

    Columns: group, count_persons, is_computed, period_text, period_start (ISO),
    ratio_to_implied (count over the implied total: a scale reference only, the groups
    differ), qualifier, claim_ids.
    """
    total = implied.set_index("role").loc["total"]
    reserve = _claim(claims, RESERVE_ID, "persons")
    promoted = _claim(claims, PROMOTED_ID, "persons")
    rows = [
        ("reserve_cadres", reserve["value_base"], False, reserve["period_text"],
         _iso(reserve["period_start"]), reserve["qualifier"], RESERVE_ID),
        ("implied_officials", total["implied_persons"], True, "", "", total["qualifier"],
         total["claim_ids"]),
        ("promoted_cadres", promoted["value_base"], False, promoted["period_text"],
         _iso(promoted["period_start"]), promoted["qualifier"], PROMOTED_ID),
    ]
    frame = pd.DataFrame(rows, columns=["group", "count_persons", "is_computed", "period_text",
                                        "period_start", "qualifier", "claim_ids"])
    frame["count_persons"] = frame["count_persons"].astype(float)
    frame["ratio_to_implied"] = frame["count_persons"] / float(total["implied_persons"])
    return frame[["group", "count_persons", "is_computed", "period_text", "period_start",
                  "ratio_to_implied", "qualifier", "claim_ids"]]


def period_label(period_text: str, period_start: str, lang: str = "en") -> str:
    """The period as printed (zh) or in English: ``2017年以来`` → ``since 2017``.

    Empty when the article prints no period.
    """
    _check_lang(lang)
    if not period_text:
        return ""
    if lang == "zh":
        return period_text
    if period_text.endswith(("以来", "至今")) and period_start:
        return f"since {period_start[:4]}"
    return period_text


# --------------------------------------------------------------------------- display


def source_passages(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The claims this notebook computes with: id, indicator, value as printed, quote."""
    _check_lang(lang)
    ids = [VILLAGES_ID, RESERVE_ID, *ROLE_IDS.values(), PROMOTED_ID]
    rows = [get_claim(claims, i) for i in ids]
    return pd.DataFrame({
        _t(("claim", "条目"), lang): ids,
        _t(("indicator", "指标"), lang): [r[f"indicator_{lang}"] for r in rows],
        _t(("as printed", "原文数值"), lang): [r["value_printed"] for r in rows],
        _t(("quote", "原文"), lang): [r["quote"] for r in rows],
    })


def display_implied(implied: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The implied-officials table with headers in ``lang`` and numbers as text."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("role", "角色"), lang): [_t(ROLE_NAMES[r], lang) for r in implied["role"]],
        _t(("persons per village", "每村人数"), lang):
            [fmt_number(v) for v in implied["persons_per_village"]],
        _t(("poor villages", "贫困村数"), lang): [fmt_number(v) for v in implied["villages"]],
        _t(("implied officials (computed)", "推算派驻干部（计算）"), lang):
            [fmt_number(v) for v in implied["implied_persons"]],
        _t(("claims", "来源"), lang): implied["claim_ids"].str.replace(";", "; "),
    })


def display_scale(scale: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The head-count comparison with headers in ``lang``."""
    _check_lang(lang)
    source = [_t(("computed", "计算"), lang) if c else _t(("printed", "原文"), lang)
              for c in scale["is_computed"]]
    return pd.DataFrame({
        _t(("group", "群体"), lang): [_t(GROUP_NAMES[g], lang) for g in scale["group"]],
        _t(("persons", "人数"), lang): [fmt_number(v) for v in scale["count_persons"]],
        _t(("source", "数据"), lang): source,
        _t(("period", "时期"), lang): [period_label(p, s, lang) or "–" for p, s in
                                       zip(scale["period_text"], scale["period_start"],
                                           strict=True)],
        _t(("ratio to implied officials", "与推算派驻干部之比"), lang):
            [fmt_number(v, 2) for v in scale["ratio_to_implied"]],
        _t(("claims", "来源"), lang): scale["claim_ids"].str.replace(";", "; "),
    })


# --------------------------------------------------------------------------- figure


def governance_figure(implied: pd.DataFrame, scale: pd.DataFrame, lang: str = "en"):
    """Three head counts as bars; the implied officials stacked by role and hatched."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from .plotting import CHAPTER_COLORS, chapter_palette

    _check_lang(lang)
    base = CHAPTER_COLORS[CHAPTER]
    shades = chapter_palette(CHAPTER, 5)[1:4]
    edge = chapter_palette(CHAPTER, 5)[-1]
    by_group = scale.set_index("group")
    roles = implied[implied["role"] != "total"]
    total = implied.set_index("role").loc["total"]
    order = ["reserve_cadres", "promoted_cadres", "implied_officials"]
    per_village = " + ".join(fmt_number(v) for v in roles["persons_per_village"])
    fig, ax = plt.subplots(figsize=(9.0, 4.2))
    for y, group in enumerate(order):
        row = by_group.loc[group]
        if group == "implied_officials":
            left = 0.0
            for shade, r in zip(shades, roles.itertuples(), strict=True):
                ax.barh(y, r.implied_persons, left=left, color=shade, edgecolor=edge,
                        hatch="//", linewidth=0.8)
                left += r.implied_persons
        else:
            ax.barh(y, row["count_persons"], color=base, edgecolor=edge, linewidth=0.8)
        period = period_label(row["period_text"], row["period_start"], lang)
        if period:
            period = f" ({period})" if lang == "en" else f"（{period}）"
        note = ""
        if group == "promoted_cadres":
            note = _t((f", {fmt_number(row['ratio_to_implied'], 2)} × implied",
                       f"，为推算数的{fmt_number(row['ratio_to_implied'], 2)}倍"), lang)
        elif group == "implied_officials":
            note = " = " + " + ".join(fmt_number(v) for v in roles["implied_persons"])
        ax.text(row["count_persons"], y, f"  {fmt_number(row['count_persons'])}{period}{note}",
                va="center", fontsize=10)
    ax.set_yticks(range(len(order)), [_t(GROUP_NAMES[g], lang) for g in order])
    ax.invert_yaxis()
    ax.set_xlim(0, by_group["count_persons"].max() * 1.45)
    ax.set_xlabel(_t(("persons", "人"), lang))
    ax.grid(axis="y", visible=False)
    ax.set_title(_t((
        f"{per_village} officials per poor village × {fmt_number(total['villages'])} villages "
        f"= {fmt_number(total['implied_persons'])} assigned officials;\n"
        f"{fmt_number(by_group.loc['promoted_cadres', 'count_persons'])} cadres promoted, "
        f"{fmt_number(by_group.loc['reserve_cadres', 'count_persons'])} reserve cadres selected "
        "(different groups: scale only)",
        f"每个贫困村{per_village}名干部 × {fmt_number(total['villages'])}个村 = "
        f"{fmt_number(total['implied_persons'])}名派驻干部；\n"
        f"提拔重用{fmt_number(by_group.loc['promoted_cadres', 'count_persons'])}名，"
        f"选拔后备干部{fmt_number(by_group.loc['reserve_cadres', 'count_persons'])}人"
        "（不同群体，仅作规模参照）"), lang), loc="left", fontsize=12)
    handles = [Patch(facecolor=base, edgecolor=edge, label=_t(("printed in the article",
                                                                 "原文数字"), lang))]
    handles += [Patch(facecolor=s, edgecolor=edge, hatch="//",
                      label=_t(ROLE_NAMES[r], lang) + _t((" (computed)", "（计算）"), lang))
                for s, r in zip(shades, roles["role"], strict=True)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(-0.02, -0.2), ncol=2,
              fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- findings


def _part_en(chapter: int) -> str:
    return "the lead" if chapter == 0 else f"chapter {chapter}"


def _en_list(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def findings(claims: pd.DataFrame, implied: pd.DataFrame, scale: pd.DataFrame,
             formulas: pd.DataFrame, terms: pd.DataFrame, profile: pd.DataFrame,
             lang: str = "en") -> list[str]:
    """The notebook's findings as sentences; every number is computed above, none typed."""
    _check_lang(lang)
    by_role = implied.set_index("role")
    total = by_role.loc["total"]
    per_role = by_role.drop(index="total")["implied_persons"]
    by_group = scale.set_index("group")
    promoted = by_group.loc["promoted_cadres"]
    reserve = by_group.loc["reserve_cadres"]
    n = fmt_number

    ch = profile.set_index("chapter")
    own = ch.loc[CHAPTER]
    others = ch.drop(index=CHAPTER)["quantities_per_1000_chars"]
    n_formulas = len(formulas)
    explained = formulas[formulas["is_explained_in_article"]]
    unexplained = formulas[~formulas["is_explained_in_article"]]
    sourced = unexplained[unexplained["has_sourced_meaning"]]
    nowhere = unexplained[~unexplained["has_sourced_meaning"]]

    def names(frame):
        return "、".join(frame["formula"])

    top = terms[terms["rank"] == 1].set_index("chapter")["term"]
    unique = terms[(terms["chapter"] == CHAPTER) & (terms["n_chapters"] == 1)]
    first_unique = unique.iloc[0] if len(unique) else None
    per_role_text = n(per_role.iloc[0]) if per_role.nunique() == 1 else "/".join(
        n(v) for v in per_role)
    per_village = by_role.drop(index="total")["persons_per_village"]
    model_en = _en_list([f"{n(v)} {ROLE_NAMES[r][0]}" for r, v in per_village.items()])
    model_zh = "、".join(f"{n(v)}名{ROLE_NAMES[r][1]}" for r, v in per_village.items())

    if lang == "en":
        out = [
            f"The assignment model ({model_en} per poor village) implies {per_role_text} "
            f"officials per role and {n(total['implied_persons'])} in all, taking 'each poor "
            f"village' to be the lead's {n(total['villages'])} provincially designated poor "
            "villages; these are posts held at one time, and the article gives no rotation, "
            "so they are not distinct people over the years.",
            f"{n(promoted['count_persons'])} frontline cadres were promoted "
            f"{period_label(promoted['period_text'], promoted['period_start'])}, "
            f"{n(promoted['ratio_to_implied'], 2)} times the "
            f"{n(total['implied_persons'])} implied assigned officials; the groups differ (any "
            "cadre on the front line could be promoted), so the ratio is a scale reference only.",
            f"The {n(reserve['count_persons'])} reserve village cadres selected outnumber the "
            f"implied assigned officials {n(reserve['ratio_to_implied'], 1)} to 1; they are a "
            "pool for "
            "village leadership, not posts in the poor villages.",
            f"Chapter {CHAPTER} has {n(own['quantities_per_1000_chars'], 1)} quantity mentions "
            f"per 1,000 characters of prose, against {n(others.min(), 1)}–"
            f"{n(others.max(), 1)} in the other parts, but {int(own['formula_mentions'])} of "
            f"the article's {n_formulas} numbered formulas: it tells governance in formulas, "
            "not figures.",
            f"The article spells out {len(explained)} of its {n_formulas} formulas "
            f"({names(explained)}); {len(unexplained)} it leaves unexplained, of which public "
            f"sources explain {len(sourced)} ({names(sourced)}) and {len(nowhere)} "
            f"({names(nowhere)}) remain unexplained here.",
            "By TF-IDF the top term is " + _en_list(
                [f"{top[c]} in {_part_en(c)}" for c in top.index]) + ".",
        ]
        if first_unique is not None:
            out.append(f"The highest-ranked term of chapter {CHAPTER} that no other part uses is "
                       f"{first_unique['term']} (rank {first_unique['rank']}, "
                       f"{first_unique['count']} times).")
        return out
    out = [
        f"按每个贫困村{model_zh}的配置，把“每个贫困村”理解为导语中的{n(total['villages'])}个"
        f"省定贫困村，推算每类{per_role_text}名、共{n(total['implied_persons'])}名派驻干部；"
        "这是同一时点的岗位数，原文未提轮换，因此不是多年间的不同人数。",
        f"{promoted['period_text']}，{n(promoted['count_persons'])}名一线干部得到提拔重用，为推算派驻干部"
        f"{n(total['implied_persons'])}名的{n(promoted['ratio_to_implied'], 2)}倍；两者是不同群体"
        "（任何一线干部都可能被提拔），这一比值仅作规模参照。",
        f"选拔的{n(reserve['count_persons'])}名村级后备干部是推算派驻干部的"
        f"{n(reserve['ratio_to_implied'], 1)}倍；他们是村级班子的后备力量，并非贫困村的派驻岗位。",
        f"第{CHAPTER}章每千字正文有{n(own['quantities_per_1000_chars'], 1)}处数量表述，"
        f"其他部分为{n(others.min(), 1)}–{n(others.max(), 1)}处，但全文{n_formulas}个带数字的"
        f"政策提法中有{int(own['formula_mentions'])}个在本章：治理靠提法而非数字来讲述。",
        f"原文解释了{n_formulas}个提法中的{len(explained)}个（{names(explained)}）；其余"
        f"{len(unexplained)}个未解释，其中{len(sourced)}个（{names(sourced)}）有公开来源说明，"
        f"{len(nowhere)}个（{names(nowhere)}）在此仍无解释。",
        "按TF-IDF，各部分排名第一的词：" + "，".join(
            f"{tx.chapter_label(c, 'zh')}“{top[c]}”" for c in top.index) + "。",
    ]
    if first_unique is not None:
        out.append(f"第{CHAPTER}章中其他部分都未使用、排名最高的词是“{first_unique['term']}”"
                   f"（第{first_unique['rank']}名，出现{first_unique['count']}次）。")
    return out
