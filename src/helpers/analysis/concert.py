"""Governance in numbers: the assigned officials, reserve cadres and promotions.

An article may print a per-village assignment model (so many county-level leaders,
first secretaries and organisation cadres for each poor village), the reserve village
cadres selected and the frontline cadres promoted.  The notebook multiplies the
per-village counts by the poor villages (posts held at one time if every village had
its own, which such a sentence implies but does not state; not distinct people over
the years) and sets the head counts side by side: different groups, compared for
scale only.  That arithmetic lives in the notebook's cells; this module holds what
they share: the claim ids, the names of roles and groups in both languages, the
selection of the printed head counts (:func:`head_counts`), display tables, the
figure and the findings sentences.  The article's words are in :mod:`helpers.analysis.text`.
Nothing runs at import time.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import text as tx
from helpers.data.claims import get_claim
from helpers.display.formatting import check_lang as _check_lang
from helpers.display.formatting import iso_date as _iso
from helpers.display.formatting import pick as _t

#: Colour of this notebook's figures (``plotting.CHAPTER_COLORS[3]``).
COLOUR_KEY = 3

#: Claim ids of the poor villages the per-village model multiplies, in order of
#: preference: the registered poor villages, else those that exited.
VILLAGE_IDS: tuple[str, ...] = ("poverty.poor_villages_registered",
                                "poverty.poor_villages_exited")
RESERVE_ID = "party_building.reserve_cadres"
PROMOTED_ID = "cadres.promoted"
ROLE_IDS: dict[str, str] = {
    "county_leader": "assignment.county_leader_per_village",
    "first_secretary": "assignment.first_secretary_per_village",
    "organisation_cadre": "assignment.organisation_cadre_per_village",
}
#: Role of each per-village claim id.
ROLE_OF: dict[str, str] = {claim_id: role for role, claim_id in ROLE_IDS.items()}

#: Every id the governance section can use.
GOVERNANCE_IDS: tuple[str, ...] = (*ROLE_IDS.values(), *VILLAGE_IDS, RESERVE_ID, PROMOTED_ID)

#: Short names of the assigned roles (English, Chinese).
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "county_leader": ("county-level leader", "县级领导联点"),
    "first_secretary": ("first secretary", "第一书记驻村"),
    "organisation_cadre": ("organisation cadre", "组工干部对口指导"),
    "total": ("all roles", "各类合计"),
}

#: Names of the head-count groups, in the order they are shown.
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "reserve_cadres": ("reserve village cadres selected", "选拔村级后备干部"),
    "implied_officials": ("officials implied by the per-village model",
                          "按每村配置推算的派驻干部"),
    "promoted_cadres": ("frontline cadres promoted", "一线干部提拔重用"),
}
#: The printed head count of each group (the implied officials are computed).
GROUP_IDS: dict[str, str] = {"reserve_cadres": RESERVE_ID, "promoted_cadres": PROMOTED_ID}

SCALE_COLUMNS = ["group", "count_persons", "is_computed", "period_text", "period_start",
                 "ratio_to_implied", "qualifier", "claim_ids"]


def combine_qualifiers(qualifiers) -> str:
    """Qualifier of a product or sum: exact only if all are; approx wins over at_least."""
    qs = set(qualifiers)
    if qs <= {"exact"}:
        return "exact"
    return "approx" if "approx" in qs else "at_least"


def fmt_number(value: float, digits: int = 0) -> str:
    """``1,234`` / ``1.10``: thousands separators, fixed digits."""
    return f"{value:,.{digits}f}"


def villages_id(claims: pd.DataFrame) -> str:
    """The poor-village id the model multiplies: the first of :data:`VILLAGE_IDS` present."""
    present = set(claims["id"])
    return next((i for i in VILLAGE_IDS if i in present), VILLAGE_IDS[0])


def role_ids(claims: pd.DataFrame) -> list[str]:
    """The per-village role ids present (all of them when none is, for the note)."""
    present = [i for i in ROLE_IDS.values() if i in set(claims["id"])]
    return present or list(ROLE_IDS.values())


def head_counts(claims: pd.DataFrame, implied: pd.DataFrame | None = None) -> pd.DataFrame:
    """The printed head counts present (reserve cadres, promotions) and the implied total.

    One row per group in :data:`GROUP_NAMES` order; columns of :data:`SCALE_COLUMNS`
    except ``ratio_to_implied`` (the notebook computes it).  ``implied`` is the
    implied-officials table (with its ``total`` row) or None.
    """
    rows = []
    for group in GROUP_NAMES:
        if group == "implied_officials":
            if implied is None:
                continue
            total = implied.set_index("role").loc["total"]
            rows.append((group, total["implied_persons"], True, "", "", total["qualifier"],
                         total["claim_ids"]))
            continue
        claim_id = GROUP_IDS[group]
        if claim_id not in set(claims["id"]):
            continue
        row = get_claim(claims, claim_id)
        text = "" if pd.isna(row["period_text"]) else str(row["period_text"])
        rows.append((group, row["value_base"], False, text, _iso(row["period_start"]),
                     row["qualifier"], claim_id))
    frame = pd.DataFrame(rows, columns=[c for c in SCALE_COLUMNS if c != "ratio_to_implied"])
    frame["count_persons"] = frame["count_persons"].astype(float)
    return frame


def governance_part(claims: pd.DataFrame) -> tuple[str, int] | None:
    """``(source path, chapter)`` where most governance claims stand, or None."""
    rows = claims[claims["id"].isin([*ROLE_IDS.values(), RESERVE_ID, PROMOTED_ID])]
    if rows.empty:
        return None
    counts = rows.groupby(["source", "chapter"]).size().sort_values(ascending=False,
                                                                     kind="stable")
    source, chapter = counts.index[0]
    return str(source), int(chapter)


def period_label(period_text: str, period_start: str, lang: str = "en") -> str:
    """The period as printed (zh) or in English: ``2017年以来`` → ``since 2017``.

    Empty when the article prints no period.
    """
    _check_lang(lang)
    if not period_text or (not isinstance(period_text, str) and pd.isna(period_text)):
        return ""
    if lang == "zh":
        return period_text
    if period_text.endswith(("以来", "至今")) and period_start:
        return f"since {period_start[:4]}"
    return period_text


# --------------------------------------------------------------------------- display


def source_passages(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The governance claims present: id, indicator, value as printed, quote."""
    _check_lang(lang)
    ids = [i for i in (villages_id(claims), RESERVE_ID, *ROLE_IDS.values(), PROMOTED_ID)
           if i in set(claims["id"])]
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
            ["–" if pd.isna(v) else fmt_number(v, 2) for v in scale["ratio_to_implied"]],
        _t(("claims", "来源"), lang): scale["claim_ids"].str.replace(";", "; "),
    })


# --------------------------------------------------------------------------- figure


def _figure_title(implied, by_group, county: str, lang: str) -> str:
    parts_en, parts_zh = [], []
    if implied is not None:
        roles = implied[implied["role"] != "total"]
        total = implied.set_index("role").loc["total"]
        per_village = " + ".join(fmt_number(v) for v in roles["persons_per_village"])
        parts_en.append(f"{per_village} officials per poor village × "
                        f"{fmt_number(total['villages'])} villages = "
                        f"{fmt_number(total['implied_persons'])} assigned officials")
        parts_zh.append(f"每个贫困村{per_village}名干部 × {fmt_number(total['villages'])}个村 = "
                        f"{fmt_number(total['implied_persons'])}名派驻干部")
    printed_en, printed_zh = [], []
    if "promoted_cadres" in by_group.index:
        n = fmt_number(by_group.loc["promoted_cadres", "count_persons"])
        printed_en.append(f"{n} cadres promoted")
        printed_zh.append(f"提拔重用{n}名")
    if "reserve_cadres" in by_group.index:
        n = fmt_number(by_group.loc["reserve_cadres", "count_persons"])
        printed_en.append(f"{n} reserve cadres selected")
        printed_zh.append(f"选拔后备干部{n}人")
    if printed_en:
        several = len(by_group) > 1
        parts_en.append(", ".join(printed_en)
                        + (" (different groups: scale only)" if several else ""))
        parts_zh.append("，".join(printed_zh) + ("（不同群体，仅作规模参照）" if several else ""))
    return _t((f"{county}: " + ";\n".join(parts_en), f"{county}：" + "；\n".join(parts_zh)),
              lang)


def governance_figure(implied: pd.DataFrame | None, scale: pd.DataFrame, lang: str = "en",
                      county: str = ""):
    """The head counts present as bars; the implied officials stacked by role and hatched."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from helpers.display.plotting import CHAPTER_COLORS, chapter_palette

    _check_lang(lang)
    base = CHAPTER_COLORS[COLOUR_KEY]
    edge = chapter_palette(COLOUR_KEY, 5)[-1]
    by_group = scale.set_index("group")
    roles = implied[implied["role"] != "total"] if implied is not None else None
    shades = (chapter_palette(COLOUR_KEY, len(roles) + 2)[1:-1] if roles is not None
              and len(roles) > 1 else [chapter_palette(COLOUR_KEY, 5)[2]])
    order = [g for g in ("reserve_cadres", "promoted_cadres", "implied_officials")
             if g in by_group.index]
    fig, ax = plt.subplots(figsize=(9.0, 4.2))
    for y, group in enumerate(order):
        row = by_group.loc[group]
        if group == "implied_officials":
            left = 0.0
            for shade, r in zip(shades, roles.itertuples(), strict=False):
                ax.barh(y, r.implied_persons, left=left, color=shade, edgecolor=edge,
                        hatch="//", linewidth=0.8)
                left += r.implied_persons
        else:
            ax.barh(y, row["count_persons"], color=base, edgecolor=edge, linewidth=0.8)
        period = period_label(row["period_text"], row["period_start"], lang)
        if period:
            period = f" ({period})" if lang == "en" else f"（{period}）"
        note = ""
        if group == "promoted_cadres" and not pd.isna(row["ratio_to_implied"]):
            note = _t((f", {fmt_number(row['ratio_to_implied'], 2)} × implied",
                       f"，为推算数的{fmt_number(row['ratio_to_implied'], 2)}倍"), lang)
        elif group == "implied_officials" and len(roles) > 1:
            note = " = " + " + ".join(fmt_number(v) for v in roles["implied_persons"])
        ax.text(row["count_persons"], y, f"  {fmt_number(row['count_persons'])}{period}{note}",
                va="center", fontsize=10)
    ax.set_yticks(range(len(order)), [_t(GROUP_NAMES[g], lang) for g in order])
    ax.invert_yaxis()
    ax.set_xlim(0, by_group["count_persons"].max() * 1.45)
    ax.set_xlabel(_t(("persons", "人"), lang))
    ax.grid(axis="y", visible=False)
    ax.set_title(_figure_title(implied, by_group, county, lang), loc="left", fontsize=12)
    handles = []
    if set(order) - {"implied_officials"}:
        handles.append(Patch(facecolor=base, edgecolor=edge,
                             label=_t(("printed in the article", "原文数字"), lang)))
    if roles is not None:
        handles += [Patch(facecolor=s, edgecolor=edge, hatch="//",
                          label=_t(ROLE_NAMES[r], lang) + _t((" (computed)", "（计算）"), lang))
                    for s, r in zip(shades, roles["role"], strict=False)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(-0.02, -0.2), ncol=2,
              fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- findings


def _en_list(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def governance_findings(implied: pd.DataFrame | None, scale: pd.DataFrame | None,
                        lang: str = "en") -> list[str]:
    """Sentences on the governance numbers that were computed (none for skipped sections)."""
    _check_lang(lang)
    n = fmt_number
    out: list[str] = []
    total = None
    if implied is not None:
        by_role = implied.set_index("role")
        total = by_role.loc["total"]
        per_role = by_role.drop(index="total")["implied_persons"]
        per_village = by_role.drop(index="total")["persons_per_village"]
        per_role_text = n(per_role.iloc[0]) if per_role.nunique() == 1 else "/".join(
            n(v) for v in per_role)
        model_en = _en_list([f"{n(v)} {ROLE_NAMES[r][0]}" for r, v in per_village.items()])
        model_zh = "、".join(f"{n(v)}名{ROLE_NAMES[r][1]}" for r, v in per_village.items())
        out.append(_t((
            f"The assignment model ({model_en} per poor village) implies {per_role_text} "
            f"officials per role and {n(total['implied_persons'])} in all, taking 'each poor "
            f"village' to be the {n(total['villages'])} poor villages of "
            f"`{total['claim_ids'].split(';')[-1]}`; these are posts held at one time, not "
            "distinct people over the years.",
            f"按每个贫困村{model_zh}的配置，把“每个贫困村”理解为"
            f"`{total['claim_ids'].split(';')[-1]}`的{n(total['villages'])}个贫困村，推算每类"
            f"{per_role_text}名、共{n(total['implied_persons'])}名派驻干部；这是同一时点的岗位数，"
            "不是多年间的不同人数。"), lang))
    if scale is None:
        return out
    by_group = scale.set_index("group")
    if "promoted_cadres" in by_group.index:
        p = by_group.loc["promoted_cadres"]
        period_en = period_label(p["period_text"], p["period_start"], "en")
        if total is not None:
            out.append(_t((
                f"{n(p['count_persons'])} frontline cadres were promoted"
                f"{' ' + period_en if period_en else ''}, {n(p['ratio_to_implied'], 2)} times "
                f"the {n(total['implied_persons'])} implied assigned officials; the groups "
                "differ (any cadre on the front line could be promoted), so the ratio is a "
                "scale reference only.",
                f"{p['period_text'] or ''}{'，' if p['period_text'] else ''}"
                f"{n(p['count_persons'])}名一线干部得到提拔重用，为推算派驻干部"
                f"{n(total['implied_persons'])}名的{n(p['ratio_to_implied'], 2)}倍；两者是不同"
                "群体（任何一线干部都可能被提拔），这一比值仅作规模参照。"), lang))
        else:
            out.append(_t((f"{n(p['count_persons'])} frontline cadres were promoted"
                           f"{' ' + period_en if period_en else ''}.",
                           f"{p['period_text'] or ''}{'，' if p['period_text'] else ''}"
                           f"{n(p['count_persons'])}名一线干部得到提拔重用。"), lang))
    if "reserve_cadres" in by_group.index:
        r = by_group.loc["reserve_cadres"]
        if total is not None:
            ratio = r["ratio_to_implied"]
            more = _t(("outnumber", "是"), lang) if ratio >= 1 else _t(("are fewer than",
                                                                          "是"), lang)
            out.append(_t((
                f"The {n(r['count_persons'])} reserve village cadres selected {more} the "
                f"implied assigned officials ({n(ratio, 1)} to 1); they are a pool for village "
                "leadership, not posts in the poor villages.",
                f"选拔的{n(r['count_persons'])}名村级后备干部{more}推算派驻干部的{n(ratio, 1)}倍；"
                "他们是村级班子的后备力量，并非贫困村的派驻岗位。"), lang))
        else:
            out.append(_t((f"{n(r['count_persons'])} reserve village cadres were selected.",
                           f"选拔村级后备干部{n(r['count_persons'])}名。"), lang))
    return out


def language_findings(profile: pd.DataFrame, formulas: pd.DataFrame, terms: pd.DataFrame,
                      claims: pd.DataFrame, lang: str = "en") -> list[str]:
    """Sentences on one article's language: density, formulas, top terms.

    ``profile``, ``formulas`` and ``terms`` are of one source (``source_id`` column); the
    part that prints the governance claims (:func:`governance_part`) is compared with the
    others when it is in this source.
    """
    _check_lang(lang)
    n = fmt_number
    out: list[str] = []
    profile = profile.reset_index(drop=True)
    labels = dict(zip(profile["chapter"], tx.part_labels(profile, lang), strict=True))
    whole = len(profile) == 1
    src = profile["source_id"].iloc[0] if "source_id" in profile.columns else ""
    source_path = next((s.path for s in claims.attrs["meta"].sources if s.id == src), "")
    gov = governance_part(claims)
    n_formulas = len(formulas)
    if gov is not None and gov[0] == source_path and gov[1] in labels and not whole:
        ch = profile.set_index("chapter")
        own = ch.loc[gov[1]]
        others = ch.drop(index=gov[1])["quantities_per_1000_chars"]
        name = tx.part_name(gov[1], lang)
        out.append(_t((
            f"{name[0].upper() + name[1:]}, which prints the governance figures, has "
            f"{n(own['quantities_per_1000_chars'], 1)} quantity mentions per 1,000 characters "
            f"of prose, against {n(others.min(), 1)}–{n(others.max(), 1)} in the other parts, "
            f"and {int(own['formula_mentions'])} of the article's {n_formulas} numbered "
            "formulas.",
            f"{name}载有治理数字，每千字正文有{n(own['quantities_per_1000_chars'], 1)}处数量表述，"
            f"其他部分为{n(others.min(), 1)}–{n(others.max(), 1)}处；全文{n_formulas}个带数字的"
            f"政策提法中有{int(own['formula_mentions'])}个在这一部分。"), lang))
    else:
        out.append(tx.profile_title(profile, lang) + _t((".", "。"), lang))
    if n_formulas:
        explained = formulas[formulas["is_explained_in_article"]]
        unexplained = formulas[~formulas["is_explained_in_article"]]
        sourced = unexplained[unexplained["has_sourced_meaning"]]
        nowhere = unexplained[~unexplained["has_sourced_meaning"]]

        def names(frame, lang):
            listed = "、".join(dict.fromkeys(frame["formula"]))
            if not listed:
                return ""
            return f" ({listed})" if lang == "en" else f"（{listed}）"

        sentence_en = (f"The article spells out {len(explained)} of its {n_formulas} formulas"
                       f"{names(explained, 'en')}")
        sentence_zh = f"原文解释了{n_formulas}个提法中的{len(explained)}个{names(explained, 'zh')}"
        if len(unexplained):
            sentence_en += (f"; {len(unexplained)} it leaves unexplained, of which public "
                            f"sources explain {len(sourced)}{names(sourced, 'en')} and "
                            f"{len(nowhere)}{names(nowhere, 'en')} remain unexplained here")
            sentence_zh += (f"；其余{len(unexplained)}个未解释，其中{len(sourced)}个"
                            f"{names(sourced, 'zh')}有公开来源说明，{len(nowhere)}个"
                            f"{names(nowhere, 'zh')}在此仍无解释")
        out.append(_t((sentence_en + ".", sentence_zh + "。"), lang))
    else:
        out.append(_t(("The article names no numbered policy formula.",
                       "原文没有带数字的政策提法。"), lang))
    top = terms[terms["rank"] == 1]
    if len(top):
        pairs = [(labels.get(c, ""), t) for c, t in zip(top["chapter"], top["term"],
                                                          strict=True)]
        if lang == "en":
            out.append("By TF-IDF the top term is " + _en_list(
                [f"{t} in {tx.part_name(c, 'en', whole)}" for c, t in
                 zip(top["chapter"], top["term"], strict=True)]) + ".")
        else:
            out.append("按TF-IDF，各部分排名第一的词：" + "，".join(
                f"{label}“{t}”" for label, t in pairs) + "。")
    if gov is not None and gov[0] == source_path and not whole:
        unique = terms[(terms["chapter"] == gov[1]) & (terms["n_chapters"] == 1)]
        if len(unique):
            u = unique.sort_values("rank").iloc[0]
            name = tx.part_name(gov[1], lang)
            out.append(_t((
                f"The highest-ranked term of {name} that no other part uses is {u['term']} "
                f"(rank {u['rank']}, {u['count']} times).",
                f"{name}中其他部分都未使用、排名最高的词是“{u['term']}”"
                f"（第{u['rank']}名，出现{u['count']}次）。"), lang))
    return out
