"""Tests for helpers.data.claims: the Leiyang table loads; each defect is named precisely."""

from __future__ import annotations

import re

import pytest
from conftest import write_claims

from helpers.data import claims as cl
from helpers.data.units import parse_printed


def test_leiyang_table_loads_and_every_quote_checks_out(article_text):
    table = cl.load_claims()
    assert table["id"].is_unique
    for row in table.itertuples():
        assert article_text[row.quote_offset: row.quote_offset + len(row.quote)] == row.quote
        assert row.value_printed in row.quote
        assert parse_printed(row.value_printed).value == pytest.approx(row.value_base)


def test_people_and_person_times_never_share_a_base_unit():
    table = cl.load_claims()
    times = table[table["unit_printed"].str.endswith("人次")]
    people = table[table["unit_printed"].str.fullmatch(r"[万余多]*人")]
    assert not times.empty and not people.empty
    assert set(times["base_unit"]) == {"person_times"}
    assert set(people["base_unit"]) == {"persons"}


def test_line_numbers_follow_multiline_quotes(claims_rows, tmp_path):
    # the chicken-raising quote spans a page break, so the rows after it start further down
    table = cl.load_claims()
    multi = table[table["quote"].str.contains("\n")]
    assert not multi.empty
    first = multi.index[0]
    assert table.loc[first + 1, "line"] == table.loc[first, "line"] + 3


def test_get_claim_and_value():
    table = cl.load_claims()
    row = table.iloc[0]
    assert cl.value(table, row["id"]) == row["value_base"]
    with pytest.raises(KeyError, match=r"no\.such\.claim"):
        cl.get_claim(table, "no.such.claim")


def _load_error(tmp_path, rows, **kw) -> cl.ClaimsError:
    path = write_claims(tmp_path / "bad_claims.csv", rows, **kw)
    with pytest.raises(cl.ClaimsError) as info:
        cl.load_claims(path)
    return info.value


def _assert_names(err: cl.ClaimsError, line: int | None, claim_id: str | None, field: str,
                  expect: str):
    text = str(err)
    assert "bad_claims.csv" in text
    assert any(p.field == field and (line is None or p.line == line)
               and (claim_id is None or p.claim_id == claim_id) for p in err.problems), text
    assert re.search(expect, text), text
    if line is not None:
        assert f"line {line}" in text


@pytest.mark.parametrize(
    ("field", "bad", "expect"),
    [
        ("number", "abc", r"expected a number, got 'abc'"),
        ("value_base", "-5", r"must be a number >= 0"),
        ("base_unit", "cows", r"must be one of yuan"),
        ("qualifier", "roughly", r"must be one of exact, at_least, approx"),
        ("quote_offset", "12", r"quote is at character offset \d+, not 12"),
        ("quote", "这句话不在原文里", r"(quote not found|does not contain)"),
        ("period_start", "2020-13-01", r"ISO date"),
        ("value_printed", "5万余只", r"unknown unit '只'"),
    ],
)
def test_single_field_defects_are_located(tmp_path, claims_rows, field, bad, expect):
    claims_rows[4][field] = bad
    err = _load_error(tmp_path, claims_rows)
    _assert_names(err, 6, claims_rows[4]["id"], field, expect)


def test_quote_absent_from_source(tmp_path, claims_rows):
    row = claims_rows[2]
    row["quote"] = row["value_printed"] + "这句话不在原文里"
    err = _load_error(tmp_path, claims_rows)
    _assert_names(err, 4, row["id"], "quote_offset", r"quote not found in the source text")


def test_person_times_cannot_be_filed_as_persons(tmp_path, claims_rows):
    row = next(r for r in claims_rows if r["unit_printed"].endswith("人次"))
    row["base_unit"] = "persons"
    err = _load_error(tmp_path, claims_rows)
    _assert_names(err, None, row["id"], "base_unit", r"can express only person_times")


def test_value_base_must_follow_from_printed_value(tmp_path, claims_rows):
    row = next(r for r in claims_rows if "万元" in r["unit_printed"])
    row["value_base"] = row["number"]  # forgot to multiply by 万
    err = _load_error(tmp_path, claims_rows)
    _assert_names(err, None, row["id"], "value_base", r"in base units")


def test_duplicate_id(tmp_path, claims_rows):
    claims_rows[7]["id"] = claims_rows[6]["id"]
    err = _load_error(tmp_path, claims_rows)
    _assert_names(err, 9, claims_rows[6]["id"], "id", r"duplicate id")


def test_period_end_before_start(tmp_path, claims_rows):
    row = next(r for r in claims_rows if r["period_start"])
    row["period_end"] = "2001-01-01"
    err = _load_error(tmp_path, claims_rows)
    _assert_names(err, None, row["id"], "period_end", r"period ends \(2001-01-01\) before")


def test_missing_column(tmp_path, claims_rows):
    names = [c for c in claims_rows[0] if c != "qualifier"]
    err = _load_error(tmp_path, claims_rows, fieldnames=names)
    _assert_names(err, 1, None, "qualifier", r"missing column")


def test_unknown_extra_column(tmp_path, claims_rows):
    for r in claims_rows:
        r["colour"] = "red"
    err = _load_error(tmp_path, claims_rows)
    _assert_names(err, 1, None, "colour", r"unknown column")


def test_empty_file(tmp_path):
    path = tmp_path / "bad_claims.csv"
    path.write_bytes(b"")
    with pytest.raises(cl.ClaimsError, match=r"bad_claims.csv, line 1, field '-': file is empty"):
        cl.load_claims(path)


def test_header_only(tmp_path, claims_rows):
    path = tmp_path / "bad_claims.csv"
    path.write_text(",".join(claims_rows[0]) + "\n", encoding="utf-8")
    with pytest.raises(cl.ClaimsError, match="no data rows"):
        cl.load_claims(path)


def test_missing_file(tmp_path):
    with pytest.raises(cl.ClaimsError, match="file not found"):
        cl.load_claims(tmp_path / "nowhere.csv")


def test_gbk_bytes_are_reported_with_their_line(tmp_path, claims_rows):
    err = _load_error(tmp_path, claims_rows, encoding="gbk")
    # the first non-ASCII character is in the first data row (line 2)
    _assert_names(err, 2, None, "-", r"not valid UTF-8 .*GBK")


def test_all_problems_are_reported_together(tmp_path, claims_rows):
    claims_rows[1]["qualifier"] = "sometimes"
    claims_rows[3]["base_unit"] = "cows"
    err = _load_error(tmp_path, claims_rows)
    assert {(p.line, p.field) for p in err.problems} >= {(3, "qualifier"), (5, "base_unit")}


def test_other_county_file_with_own_source(tmp_path):
    """A claims table of another article, in another folder, loads the same way."""
    article = tmp_path / "other_county.txt"
    article.write_text("某县累计投入资金1.5亿元，带动贫困户300余户。", encoding="utf-8")
    rows = [
        dict(id="funds.special_total", chapter="0", section="headline", indicator_zh="投入资金",
             indicator_en="funds", value_printed="1.5亿元", number="1.5", unit_printed="亿元",
             base_unit="yuan", value_base="150000000", qualifier="exact", period_start="",
             period_end="", period_text="", quote="累计投入资金1.5亿元", quote_offset="2",
             source="other_county.txt", notes=""),
        dict(id="x.industry.households_linked", chapter="0", section="headline",
             indicator_zh="带动贫困户", indicator_en="households", value_printed="300余户",
             number="300", unit_printed="余户", base_unit="households", value_base="300",
             qualifier="at_least", period_start="", period_end="", period_text="",
             quote="带动贫困户300余户", quote_offset="14", source="other_county.txt", notes=""),
    ]
    (tmp_path / "other_claims.meta.yaml").write_text(
        "county: {name_zh: 某县, name_en: Mou, level_zh: 县, level_en: county,\n"
        "         province_zh: 湖南省, province_en: Hunan}\n"
        "reporting_date: 2020-06-30\n"
        "fictional: true\n"
        "sources: [{id: article, path: other_county.txt}]\n", encoding="utf-8")
    table = cl.load_claims(write_claims(tmp_path / "other_claims.csv", rows))
    assert table["value_base"].tolist() == [150_000_000, 300]
    assert table["qualifier"].tolist() == ["exact", "at_least"]
    assert table.attrs["meta"].county_name("zh") == "某县"


def test_unknown_id_names_the_nearest_codebook_ids(tmp_path, claims_rows):
    claims_rows[2]["id"] = "poverty.registered_person"
    with pytest.raises(cl.ClaimsError) as err:
        cl.load_claims(write_claims(tmp_path / "c.csv", claims_rows))
    assert re.search(r"line 4 \(id poverty.registered_person\), field 'id': .*not in the "
                     r"codebook.*nearest codebook ids: poverty.registered_persons", str(err.value))


def test_extension_ids_load(tmp_path, claims_rows):
    claims_rows[2]["id"] = "x.poverty.registered_persons_alt"
    table = cl.load_claims(write_claims(tmp_path / "c.csv", claims_rows))
    assert "x.poverty.registered_persons_alt" in set(table["id"])


def test_base_unit_must_match_the_codebook(tmp_path, claims_rows):
    row = next(r for r in claims_rows if r["id"] == "industry.tobacco_villages")
    row["id"] = "poverty.poor_villages_registered"  # villages too: accepted
    cl.load_claims(write_claims(tmp_path / "ok.csv", claims_rows))
    row["id"] = "poverty.remaining_households"       # filed in households
    with pytest.raises(cl.ClaimsError, match=r"codebook files 'poverty.remaining_households' "
                                             r"in 'households'; got 'villages'"):
        cl.load_claims(write_claims(tmp_path / "bad.csv", claims_rows))


def test_source_must_be_listed_in_the_metadata(tmp_path, claims_rows):
    claims_rows[0]["source"] = "data/raw/elsewhere.txt"
    with pytest.raises(cl.ClaimsError, match=r"line 2 .*field 'source': .*not listed in"):
        cl.load_claims(write_claims(tmp_path / "c.csv", claims_rows))


def test_missing_sidecar_is_named(tmp_path, claims_rows):
    with pytest.raises(cl.ClaimsError, match=r"c.meta.yaml: metadata sidecar not found"):
        cl.load_claims(write_claims(tmp_path / "c.csv", claims_rows, with_metadata=False))


def test_every_claim_is_dated_as_the_conventions_say():
    """CONVENTIONS: a statement with no printed period ends at the reporting date; an
    annual flow (年…) is filed with period_text 年 and no guessed start."""
    from helpers.data.codebook import load_codebook

    table = cl.load_claims()
    reporting = str(table.attrs["meta"].reporting_date)
    assert table["period_end"].notna().all(), table.loc[table["period_end"].isna(), "id"].tolist()
    kinds = load_codebook()["kind"]
    for _, row in table[table["notes"].str.contains("period not printed", na=False)].iterrows():
        assert str(row["period_end"])[:10] == reporting, row["id"]
    for _, row in table[table["notes"].str.startswith("annual flow", na=False)].iterrows():
        assert kinds[row["id"]] == "flow" and row["period_text"] == "年", row["id"]
        assert row["period_start"] is None or str(row["period_start"]) in ("NaT", "nan", "None")


def test_one_printed_figure_for_several_indicators_is_one_row_each():
    table = cl.load_claims().set_index("id")
    for ids in (("infrastructure.fibre_coverage", "infrastructure.mobile_4g_coverage"),
                ("infrastructure.village_cement_road_coverage",
                 "infrastructure.village_bus_coverage")):
        rows = table.loc[list(ids)]
        assert rows["quote_offset"].nunique() == 1 and rows["value_printed"].nunique() == 1


# -- the view a notebook sees, and its hash --------------------------------------------


def test_a_view_holds_its_domains_rows_in_file_order_without_notes_or_line():
    table = cl.load_claims()
    everything = cl.claims_view(table)
    assert list(everything.columns) == [c for c in cl.CLAIM_FIELDS if c != "notes"]
    assert everything["id"].tolist() == table["id"].tolist()
    poverty = cl.claims_view(table, ["poverty", "population"])
    expected = [i for i in table["id"] if i.split(".")[0] in ("poverty", "population")]
    assert poverty["id"].tolist() == expected and expected
    assert poverty.index.tolist() == list(range(len(expected)))  # no trace of other rows
    assert poverty.attrs["domains"] == ["population", "poverty"]
    assert everything.attrs["domains"] is None and poverty.attrs["meta"] == table.attrs["meta"]
    assert cl.claim_domain("x.health.clinics") == "health"


def test_the_view_hash_follows_what_the_view_holds(tmp_path, claims_rows):
    def view_hash(rows, domains=None):
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        return cl.view_hash(cl.claims_view(cl.load_claims(
            write_claims(folder / "claims.csv", rows)), domains))

    base = view_hash(claims_rows)
    health = next(i for i, r in enumerate(claims_rows) if r["id"].startswith("health.")
                  and r["qualifier"] == "exact" and not any(c in r["value_printed"]
                                                            for c in "余多"))
    notes = [{**r, "notes": r["notes"] + " (edited)"} for r in claims_rows]
    assert view_hash(notes) == base
    # a row moved to the end: every line number changes, the view of the health rows not
    moved = [r for i, r in enumerate(claims_rows) if i != 0] + [claims_rows[0]]
    assert view_hash(moved, ["health"]) == view_hash(claims_rows, ["health"])
    value = [dict(r) for r in claims_rows]
    value[health]["qualifier"] = "approx"
    assert view_hash(value) != base
    assert view_hash(value, ["health"]) != view_hash(claims_rows, ["health"])
    assert view_hash(value, ["poverty"]) == view_hash(claims_rows, ["poverty"])


def test_a_kept_table_loads_validated_without_pandera(tmp_path, claims_rows):
    """The runner validates once (keep=True); a kernel then loads the kept table without
    validating it again, and without importing pandera at all."""
    import subprocess
    import sys

    from helpers.data import framecache

    path = write_claims(tmp_path / "kept.csv", claims_rows)
    first = cl.load_claims(path, keep=True)
    key = cl._cache_key(path)
    try:
        assert framecache.cache_file("claims", key).is_file()
        code = ("import sys; from helpers.data.claims import load_claims; "
                f"t = load_claims({str(path)!r}); "
                "print(len(t), t.attrs['sha256'], 'pandera' in sys.modules)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        assert out == [str(len(first)), first.attrs["sha256"], "False"]
    finally:
        framecache.cache_file("claims", key).unlink(missing_ok=True)
    # an unkept small table is validated each time and leaves no file behind
    other = write_claims(tmp_path / "other.csv", claims_rows[:-1])
    cl.load_claims(other)
    assert not framecache.cache_file("claims", cl._cache_key(other)).exists()



def test_a_kept_table_names_the_sidecar_of_the_file_loaded(claims_rows, tmp_path):
    """Two byte-identical files in two folders share a kept table, each with its own
    path and sidecar (not the folder of the file that was kept first)."""
    from helpers.data import framecache
    from helpers.data.metadata import sidecar_path

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    first = write_claims(tmp_path / "a" / "claims.csv", claims_rows)
    second = write_claims(tmp_path / "b" / "claims.csv", claims_rows)
    key = cl._cache_key(first)
    assert key == cl._cache_key(second)
    try:
        assert cl.load_claims(first, keep=True).attrs["meta"].location == \
            str(sidecar_path(first))
        kept = cl.load_claims(second)
        assert kept.attrs["meta"].location == str(sidecar_path(second))
    finally:
        framecache.cache_file("claims", key).unlink(missing_ok=True)

def test_a_view_with_other_rows_carries_only_their_listed_columns():
    table = cl.load_claims()
    view = cl.claims_view(table, ["poverty"], ["source", "chapter"])
    assert view["id"].tolist() == table["id"].tolist()  # every row, in file order
    assert list(view.columns) == list(cl.claims_view(table).columns)
    inside = view["id"].map(cl.claim_domain) == "poverty"
    assert inside.any() and (~inside).any()
    whole = cl.claims_view(table)
    # the own rows whole, with their integer columns' values (nullable where blanked)
    assert (view[inside].astype(object).fillna("-").to_numpy()
            == whole[inside].astype(object).fillna("-").to_numpy()).all()
    assert str(view["chapter"].dtype) == "int64" and str(view["quote_offset"].dtype) == "Int64"
    # the other rows: their id and the columns listed, nothing else
    others = view[~inside]
    assert others[["id", "source", "chapter"]].equals(whole.loc[~inside, ["id", "source",
                                                                          "chapter"]])
    for col in set(view.columns) - {"id", "source", "chapter"}:
        assert others[col].isna().all(), col
    assert view.attrs["other_rows"] == ["chapter", "id", "source"]
    assert view.attrs["domains"] == ["poverty"] and whole.attrs["other_rows"] is None
    with pytest.raises(ValueError, match="other_rows names nosuch, not column"):
        cl.claims_view(table, ["poverty"], ["nosuch"])
    with pytest.raises(ValueError, match="other_rows names notes"):
        cl.claims_view(table, ["poverty"], ["notes"])
    with pytest.raises(ValueError, match="other_rows needs domains"):
        cl.claims_view(table, None, ["source"])


def test_the_hash_of_a_view_with_other_rows_covers_only_what_it_holds(tmp_path, claims_rows):
    def view_hash(rows, other_rows=("source", "chapter")):
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        return cl.view_hash(cl.claims_view(cl.load_claims(
            write_claims(folder / "claims.csv", rows)), ["poverty"], other_rows))

    base = view_hash(claims_rows)
    health = next(i for i, r in enumerate(claims_rows) if r["id"].startswith("health.")
                  and r["qualifier"] == "exact" and not any(c in r["value_printed"]
                                                            for c in "余多"))
    poverty = next(i for i, r in enumerate(claims_rows) if r["id"].startswith("poverty.")
                   and r["qualifier"] == "exact" and not any(c in r["value_printed"]
                                                             for c in "余多"))
    edited = lambda i, **kw: [{**r, **kw} if j == i else r  # noqa: E731
                              for j, r in enumerate(claims_rows)]
    # a column of another row the view does not list: same hash
    assert view_hash(edited(health, qualifier="approx")) == base
    # a listed column of another row, or any column of an own row: another hash
    assert view_hash(edited(health, chapter=str(int(claims_rows[health]["chapter"]) + 1))) \
        != base
    assert view_hash(edited(poverty, qualifier="approx")) != base
    # the same rows seen with other columns listed, or none of them: another hash
    assert view_hash(claims_rows, ("source",)) != base
    assert view_hash(claims_rows, None) != base
