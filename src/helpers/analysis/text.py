"""The article's language: chapter prose, jieba segmentation, top terms, policy formulas.

**Prose.** :func:`prose` keeps the running text of a chapter: it drops markdown
headings, the byline and photo credits (lines with ``■``) and picture captions
(lines without any Chinese punctuation), and re-joins sentences that the page
layout broke across lines (``推动基层干`` / ``部角色转换。`` → ``推动基层干部角色转换。``).

**Segmentation.** :func:`segment` cuts text into words with jieba's part-of-speech
tokenizer (its bundled dictionary and HMM, no randomness) and returns
``(word, pos)`` pairs without whitespace, punctuation or number tokens.  The policy
formulas the article names (四跟四走, 三走访三签字, ...) are added to a private
tokenizer's dictionary (tag ``nz``) so that each stays one token.  jieba logs its
dictionary loading ("Building prefix dict ...") to stderr; the tokenizer is built
explicitly with jieba's logger set to WARNING, so nothing reaches stderr.

**Top terms.** :func:`top_terms` ranks each chapter's terms with jieba's TF-IDF
keyword extractor (``jieba.analyse``: term frequency in the chapter times the
inverse document frequency from jieba's bundled general-Chinese corpus; unknown
words get the median IDF), restricted to content parts of speech
(:data:`CONTENT_POS`: nouns, proper nouns, verbs, verbal nouns, idioms and
abbreviations), words of two or more characters, minus jieba's stop words and the
words by which an article names its own county (:func:`place_words`: the county's
name from the claims' metadata, with and without its 市/县/区 suffix, and generic words
such as 全市, 该县).  Ties are broken by the term, so the ranking is deterministic.

**Sources.** The texts come from the claims file's metadata (:func:`article_sources`):
every source of kind ``article`` is analysed on its own, split into parts by its own
numbered headings (:func:`helpers.data.extract.chapters`; an article without headings is
one part); context sources (a yearbook line, a census table) are not the article's
language and are skipped (:func:`context_sources`).

**Policy formulas.** :func:`find_formulas` lists the numbered formulas (四跟四走,
三个“一批”, 双百, ...) from :func:`helpers.data.extract.find_mentions` and
:func:`formula_components` reads what a formula stands for where the article
spells it out: a list of exactly *N* items next to a formula whose number is *N*.
Meanings from public sources are kept apart, in ``data/reference/policy_formulas.csv``
(:func:`load_formula_sources`).

Nothing runs at import time; jieba is imported inside the functions that use it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import cn2an
import pandas as pd

from helpers.data import extract, framecache
from helpers.display.formatting import check_lang as _check_lang
from helpers.display.formatting import pick as _t
from helpers.paths import get_paths

#: Parts of speech (jieba's ICTCLAS-style tags) whose words count as terms: nouns (n),
#: person/place/organisation/other proper nouns (nr, nrfg, nrt, ns, nt, nz), verbs (v),
#: verbal nouns (vn), adjectival nouns (an), idioms (i), fixed expressions (l) and
#: abbreviations (j, e.g. 党支部).  Function words, numerals (m), adjectives and adverbs
#: are left out.
CONTENT_POS: tuple[str, ...] = (
    "n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "v", "vn", "an", "i", "l", "j",
)

#: Generic words by which an article names its own county (this city, the whole county...);
#: with the county's own name (:func:`place_words`) they say where, not what, and would
#: otherwise rank near the top of every part.
GENERIC_PLACE_WORDS: frozenset[str] = frozenset({
    "该市", "全市", "本市", "我市", "该县", "全县", "本县", "我县", "该区", "全区", "本区", "我区",
})

#: Suffixes of a county-level name that the article may drop (某某市 / 某某), longest first.
PLACE_SUFFIXES: tuple[str, ...] = ("自治县", "市", "县", "区", "旗")

#: Columns of :func:`top_terms` (also when a text has no terms).
TERM_COLUMNS: tuple[str, ...] = ("chapter", "title", "rank", "term", "pos", "tfidf_weight",
                                 "count", "n_chapters", "claim_ids")

#: How many top terms per chapter the notebook shows.
TOP_K = 10

#: Characters that end a sentence (a line ending in one is a finished line).
SENTENCE_END = "。！？"
_CLOSERS = "”’」』）)》"
_CN_PUNCT = "，。、；！？：“”‘’《》（）"
_CLAUSE_END = "，。；！？：\n"
_OPEN_QUOTES = "“「『‘"

#: A number token: digits, decimal points, separators, per cent and 万/亿/余/多 around them.
_NUMBER_TOKEN = re.compile(r"^[0-9０-９.．,，%％]*[0-9０-９][0-9０-９.．,，%％万亿余多]*$")

#: Leading characters of a formula that cn2an does not read as a numeral, with their count.
#: 双 ("a pair of") in 双百: two rates, each at 100%.
NON_NUMERAL_COUNTS: dict[str, int] = {"双": 2}

#: Verbs that attach a list of targets to the formula naming them (…喜提“双百”目标).
TARGET_VERBS: tuple[str, ...] = ("喜提", "实现", "达到", "完成")

#: Columns of :func:`formula_table` (also when a text has no formulas).
FORMULA_COLUMNS: tuple[str, ...] = (
    "formula", "number", "chapter", "offset", "sentence", "components",
    "is_explained_in_article", "has_sourced_meaning", "found_by", "claim_ids")

#: Columns of ``data/reference/policy_formulas.csv``.
SOURCE_COLUMNS: tuple[str, ...] = ("formula", "meaning_zh", "meaning_en", "source")

#: English glosses of short chapter titles (the first word of a heading), display only;
#: keyed by the title's text, so a heading not listed here is shown as printed.
TITLE_GLOSSES: dict[str, str] = {
    "补短强弱": "Closing gaps",
    "授人以渔": "Teaching to fish",
    "同频共振": "Acting in concert",
}

#: Longest short title shown in a label (characters).
SHORT_TITLE_CHARS = 8

#: English glosses of the components the article lists for its formulas (display only).
COMPONENT_GLOSSES: dict[str, str] = {
    "选准一批村支书": "choose a batch of village party secretaries well",
    "建强一批支部": "strengthen a batch of party branches",
    "培育一批产业": "foster a batch of industries",
    "清洁卫生": "cleanliness and hygiene",
    "勤劳致富": "getting rich by hard work",
    "感恩社会": "gratitude to society",
    "和睦家风": "harmonious family life",
    "全市行政村及社区光网覆盖率": "fibre-network coverage of the city's villages and communities",
    "4G网络覆盖率": "4G network coverage",
}


# --------------------------------------------------------------------------- the text


def place_words(meta=None) -> frozenset[str]:
    """Words naming the county itself: its name with and without suffix, plus generic words.

    ``meta`` is the claims' metadata (:class:`helpers.data.metadata.ClaimsMeta`) or None (only
    :data:`GENERIC_PLACE_WORDS`).  For a county named 某某县 the words are 某某县, 某某 and
    the generic ones (全县, 该县, ...).
    """
    words = set(GENERIC_PLACE_WORDS)
    if meta is not None:
        name = str(meta.county_name("zh")).strip()
        if name:
            words.add(name)
            for suffix in PLACE_SUFFIXES:
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    words.add(name[:-len(suffix)])
                    break
    return frozenset(words)


def article_sources(claims: pd.DataFrame, claims_path=None) -> list[tuple]:
    """``(source, text)`` for each source of kind ``article`` in the claims' metadata.

    Paths are resolved by :func:`helpers.data.metadata.resolve_source` from the claims file's
    folder (then the project root).  ``claims_path`` is the claims file as given to the
    loader; by default ``claims.attrs["path"]``, which names a file outside the project by
    its name only, so pass the path for such files.  Raises :class:`FileNotFoundError`
    naming a missing text.
    """
    from helpers.data.metadata import resolve_source

    meta = claims.attrs["meta"]
    base = claims.attrs["path"] if claims_path is None else claims_path
    out = []
    for source in meta.sources:
        if source.kind != "article":
            continue
        file = resolve_source(base, source.path)
        if not file.is_file():
            raise FileNotFoundError(f"source {source.id!r} of {meta.file}: {source.path} "
                                    "not found")
        out.append((source, file.read_text(encoding="utf-8")))
    return out


def context_sources(claims: pd.DataFrame) -> list:
    """The claims' sources that are not articles (context documents), in metadata order."""
    return [s for s in claims.attrs["meta"].sources if s.kind != "article"]


def source_claims(claims: pd.DataFrame, source) -> pd.DataFrame:
    """The claims quoted from ``source`` (rows whose ``source`` is its path)."""
    return claims[claims["source"] == source.path]


def _is_caption(line: str) -> bool:
    """Headings, byline/photo credits (■) and captions (no Chinese punctuation)."""
    return line.startswith("#") or "■" in line or not any(c in _CN_PUNCT for c in line)


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in SENTENCE_END


def prose(text: str) -> str:
    """The running text of ``text``: one paragraph per line, captions and headings removed.

    A line that does not end a sentence is joined to the next kept line without a
    separator (the layout's page breaks cut words: 干 / 部).
    """
    paragraphs: list[str] = []
    buffer = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _is_caption(line):
            continue
        buffer += line
        if _ends_sentence(line):
            paragraphs.append(buffer)
            buffer = ""
    if buffer:
        paragraphs.append(buffer)
    return "\n".join(paragraphs)


def chapter_prose(text: str) -> pd.DataFrame:
    """One row per chapter (``helpers.data.extract.chapters``): number, title, offsets, prose."""
    rows = []
    for ch in extract.chapters(text):
        body = prose(text[ch.start:ch.end])
        rows.append({"chapter": ch.number, "title": ch.title, "start": ch.start,
                     "end": ch.end, "prose": body, "prose_chars": len(body.replace("\n", ""))})
    return pd.DataFrame(rows)


def part_name(chapter: int, lang: str = "en", whole: bool = False) -> str:
    """The part as named in a sentence: ``the lead``, ``chapter 3`` / ``导语``, ``第3章``.

    ``whole``: the text has no numbered headings, so its one part is the whole text.
    """
    if _check_lang(lang) == "en":
        return "the whole text" if whole else "the lead" if chapter == 0 else f"chapter {chapter}"
    return "全文" if whole else "导语" if chapter == 0 else f"第{chapter}章"


def short_title(title: str) -> str:
    """The first word of a heading (``补短强弱 贫困群众…`` → ``补短强弱``), at most
    :data:`SHORT_TITLE_CHARS` characters."""
    words = str(title or "").split()
    if not words:
        return ""
    word = words[0]
    return word if len(word) <= SHORT_TITLE_CHARS else word[:SHORT_TITLE_CHARS] + "…"


def chapter_label(chapter: int, lang: str = "en", title: str = "", whole: bool = False
                  ) -> str:
    """Short name of a part from the article's own heading: ``Lead``, ``1 补短强弱``.

    In English a heading listed in :data:`TITLE_GLOSSES` is glossed (``3 Acting in
    concert``); any other is shown as printed.  ``whole``: a text without headings.
    """
    _check_lang(lang)
    if whole:
        return _t(("Whole text", "全文"), lang)
    if chapter == 0:
        return _t(("Lead", "导语"), lang)
    short = short_title(title)
    if lang == "en" and short in TITLE_GLOSSES:
        return f"{chapter} {TITLE_GLOSSES[short]}"
    return f"{chapter} {short}".strip()


def part_labels(frame: pd.DataFrame, lang: str = "en") -> list[str]:
    """A label per row of a frame with ``chapter`` and ``title`` (and ``source_id``).

    A source with a single part is labelled as the whole text; when the frame holds
    several sources, each label starts with the source's id.
    """
    has_source = "source_id" in frame.columns
    sources = frame["source_id"] if has_source else pd.Series([""] * len(frame),
                                                               index=frame.index)
    parts = frame.assign(_src=sources.to_numpy()).groupby("_src")["chapter"].nunique()
    several = len(parts) > 1
    labels = []
    for src, chapter, title in zip(sources, frame["chapter"], frame["title"], strict=True):
        label = chapter_label(int(chapter), lang, title, whole=parts[src] == 1)
        labels.append(f"{src} · {label}" if several else label)
    return labels


# --------------------------------------------------------------------------- jieba


def _quiet_jieba():
    """Import jieba with its logger at WARNING (no "Building prefix dict" on stderr)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@functools.cache
def _tokenizers(extra_words: tuple[str, ...]):
    """A private jieba tokenizer with ``extra_words`` and its POS tokenizer.

    Both start from copies of jieba's default ones (its dictionary and word tags, read
    once per process: about 0.45 and 0.17 CPU-s), instead of reading the dictionary again
    for each set of extra words (a process comparing counties, or the tests): the same
    words, frequencies and tags, so the same tokens (tests/analysis/test_text.py).
    """
    _quiet_jieba()
    import jieba
    import jieba.posseg

    jieba.dt.initialize()  # a no-op once done
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(jieba.dt.FREQ), jieba.dt.total
    tokenizer.initialized = True
    for word in extra_words:
        tokenizer.add_word(word, tag="nz")
    pos = object.__new__(jieba.posseg.POSTokenizer)  # its __init__ would read the tags again
    pos.tokenizer, pos.word_tag_tab = tokenizer, dict(jieba.posseg.dt.word_tag_tab)
    return tokenizer, pos


def tokenizer(extra_words: tuple[str, ...] = ()):
    """The POS tokenizer used throughout (cached per set of extra words)."""
    _quiet_jieba()
    return _tokenizers(tuple(sorted(set(extra_words))))[1]


def is_punctuation(token: str) -> bool:
    """True for whitespace and tokens made only of punctuation or symbols."""
    return all(unicodedata.category(c)[0] in "PSZC" for c in token)


def is_number(token: str) -> bool:
    """True for number tokens: ``2015``, ``0.18``, ``100%``, ``65000``, ``余万元`` is not one."""
    return bool(_NUMBER_TOKEN.match(token))


def segment(text: str, extra_words: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """``(word, pos)`` pairs of ``text`` without whitespace, punctuation or number tokens.

    Number tokens are those made of digits (:func:`is_number`) and those jieba tags as
    numerals (``m``: 一批, 三个, 余万元).
    """
    out = []
    for pair in tokenizer(extra_words).cut(text):
        word, pos = pair.word, pair.flag
        if is_punctuation(word) or is_number(word) or pos == "m" or not word.strip():
            continue
        out.append((word, pos))
    return out


def _tfidf(extra_words: tuple[str, ...], stop_words=GENERIC_PLACE_WORDS):
    """jieba's default TF-IDF extractor, on a private tokenizer, ``stop_words`` stopped too.

    The default extractor reads jieba's IDF table once, at import; its file handle is
    left to the garbage collector (a ResourceWarning inside jieba, silenced here only
    for that import).
    """
    import copy
    import warnings

    _quiet_jieba()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        import jieba.analyse
    extractor = copy.copy(jieba.analyse.default_tfidf)
    extractor.postokenizer = tokenizer(extra_words)
    extractor.tokenizer = extractor.postokenizer.tokenizer
    extractor.stop_words = set(jieba.analyse.default_tfidf.stop_words) | set(stop_words)
    return extractor


def is_term(word: str, pos: str, stop_words=GENERIC_PLACE_WORDS) -> bool:
    """The rule :func:`top_terms` counts by: content POS, two characters or more, not stopped."""
    return pos in CONTENT_POS and len(word.strip()) >= 2 and word.lower() not in stop_words


def term_counts(text: str, extra_words: tuple[str, ...] = (),
                stop_words=GENERIC_PLACE_WORDS) -> pd.Series:
    """Occurrences of each term of ``text`` (same rule as the TF-IDF ranking), by term."""
    stop = _tfidf(extra_words, stop_words).stop_words
    counts: dict[str, int] = {}
    for pair in tokenizer(extra_words).cut(text):
        if is_term(pair.word, pair.flag, stop):
            counts[pair.word] = counts.get(pair.word, 0) + 1
    return pd.Series(counts, dtype="int64").sort_index()


def idf(term: str, extra_words: tuple[str, ...] = ()) -> float:
    """jieba's inverse document frequency of ``term`` (the median IDF if unknown)."""
    ex = _tfidf(extra_words)
    return float(ex.idf_freq.get(term, ex.median_idf))


def top_terms(text: str, k: int = TOP_K, extra_words: tuple[str, ...] | None = None,
              stop_words=GENERIC_PLACE_WORDS) -> pd.DataFrame:
    """The ``k`` top TF-IDF terms of each chapter of ``text``.

    Columns: chapter, title, rank, term, pos (most frequent tag), tfidf_weight, count
    (occurrences in the chapter), n_chapters (how many of the chapters use the term),
    claim_ids (empty: terms come from the text, not from claims).  ``extra_words``
    defaults to the formulas :func:`formula_words` finds in ``text``; ``stop_words``
    are removed besides jieba's own (give :func:`place_words` of the claims' metadata).
    The table is kept in ``outputs/.cache/text/`` by the hash of the text, the arguments,
    jieba's version and this module's source: an unchanged article is not segmented again
    (jieba is then not even imported).
    """
    if extra_words is None:
        extra_words = formula_words(text)
    # the county's own name words join the dictionary, so that a name jieba does not know
    # (某某县) stays one token and is stopped, instead of being cut into 某 / 某县
    names = set(stop_words) - GENERIC_PLACE_WORDS
    extra = tuple(sorted(set(extra_words) | names))
    key = _terms_key(text, k, extra, stop_words)
    cached = _read_terms(key)
    if cached is not None:
        return cached
    terms = _top_terms(text, k, extra, stop_words)
    _write_terms(key, terms)
    return terms


#: Top-term tables are kept in ``outputs/.cache/text/<key>.pkl``
#: (:mod:`helpers.data.framecache`): the key hashes the text, ``k``, the dictionary's
#: extra words, the stop words, jieba's version and this module's source (a change of the
#: rules is a new key).
#: False turns the kept tables off (the test suite does, so that its tests of
#: segmentation segment).
KEEP_TERMS = True


def _terms_key(text: str, k: int, extra: tuple[str, ...], stop_words) -> str:
    import hashlib
    import importlib.metadata
    import json

    try:
        version = importlib.metadata.version("jieba")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    blob = json.dumps([text, k, list(extra), sorted(stop_words), version,
                       hashlib.sha256(open(__file__, "rb").read()).hexdigest()],
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _read_terms(key: str) -> pd.DataFrame | None:
    if not KEEP_TERMS:
        return None
    frame = framecache.read_frame("text", key)
    if frame is None or tuple(frame.columns) != tuple(TERM_COLUMNS):
        return None
    return frame


def _write_terms(key: str, frame: pd.DataFrame) -> None:
    if KEEP_TERMS:
        framecache.write_frame("text", key, frame)


def _top_terms(text: str, k: int, extra: tuple[str, ...], stop_words) -> pd.DataFrame:
    """:func:`top_terms` computed (jieba's dictionary loaded, every chapter tagged)."""
    extractor = _tfidf(extra, stop_words)
    chapters = chapter_prose(text)
    per_chapter = {}
    for row in chapters.itertuples():
        tags = extractor.extract_tags(row.prose, topK=None, withWeight=True,
                                      allowPOS=CONTENT_POS)
        per_chapter[row.chapter] = tags
    used: dict[str, int] = {}
    for tags in per_chapter.values():
        for term, _ in tags:
            used[term] = used.get(term, 0) + 1
    rows = []
    for row in chapters.itertuples():
        counts = term_counts(row.prose, extra, stop_words)
        tags = sorted(per_chapter[row.chapter], key=lambda kv: (-round(kv[1], 12), kv[0]))
        pos = _main_pos(row.prose, extra)
        for rank, (term, weight) in enumerate(tags[:k], start=1):
            rows.append({"chapter": row.chapter, "title": row.title, "rank": rank,
                         "term": term, "pos": pos.get(term, ""),
                         "tfidf_weight": round(float(weight), 6),
                         "count": int(counts.get(term, 0)), "n_chapters": used[term],
                         "claim_ids": ""})
    return pd.DataFrame(rows, columns=TERM_COLUMNS)


def _main_pos(text: str, extra: tuple[str, ...]) -> dict[str, str]:
    """The most frequent content tag of each word of ``text`` (ties: alphabetical)."""
    tally: dict[str, dict[str, int]] = {}
    for pair in tokenizer(extra).cut(text):
        if pair.flag in CONTENT_POS:
            tags = tally.setdefault(pair.word, {})
            tags[pair.flag] = tags.get(pair.flag, 0) + 1
    return {w: sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            for w, tags in tally.items()}


# --------------------------------------------------------------------------- formulas


def formula_number(formula: str) -> int | None:
    """The count a formula starts with: 四跟四走 → 4, 三个“一批” → 3, 双百 → 2, 两项补贴 → 2."""
    if formula[:1] in NON_NUMERAL_COUNTS:
        return NON_NUMERAL_COUNTS[formula[0]]
    run = re.match(f"[{extract.CN_NUMERAL_CHARS}]+", formula)
    if not run:
        return None
    for end in range(len(run.group()), 0, -1):  # 五个一: read 五, not 五个一
        try:
            return int(cn2an.cn2an(run.group()[:end], "smart"))
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Formula:
    """A numbered policy formula found in the text."""

    formula: str
    number: int | None
    start: int
    sentence: str
    found_by: str


def _quoted_numeral_terms(text: str, mentions) -> list[Formula]:
    """Quoted terms the extractor reads as an ordinary count (“两项补贴”): our own rule.

    A ``chinese_numeral`` mention right after an opening quote whose quoted term closes
    within the sentence is the start of a named programme, not a quantity.
    """
    out = []
    for m in mentions:
        if m.kind != "chinese_numeral" or text[m.start - 1:m.start] not in _OPEN_QUOTES:
            continue
        close = re.match(r"[^“”「」『』‘’。！？；\n]{1,12}[”」』’]", text[m.start:])
        if close:
            term = close.group()[:-1]
            out.append(Formula(term, formula_number(term), m.start, m.sentence,
                               "own rule: quoted term starting with a numeral"))
    return out


def find_formulas(text: str) -> list[Formula]:
    """Every numbered policy formula of ``text``, in text order.

    From :func:`helpers.data.extract.find_mentions`: the mentions of kind ``formula``, and
    ``双百`` (which the extractor reads as a quantity, two rates at 100%); plus, by our
    own rule, quoted terms starting with a numeral that the extractor reads as a count
    (:func:`_quoted_numeral_terms`, e.g. “两项补贴”).
    """
    mentions = extract.find_mentions(text)
    found = []
    for m in mentions:
        if m.kind == "formula":
            found.append(Formula(m.text, formula_number(m.text), m.start, m.sentence,
                                 "extract: formula"))
        elif m.kind == "quantity" and m.unit == "双百":
            found.append(Formula(m.text, formula_number(m.text), m.start, m.sentence,
                                 "extract: quantity (双百)"))
    found += _quoted_numeral_terms(text, mentions)
    return sorted(found, key=lambda f: f.start)


def formula_words(text: str) -> tuple[str, ...]:
    """The formulas of ``text`` usable as dictionary words (no quote marks inside)."""
    return tuple(sorted({f.formula for f in find_formulas(text)
                         if not any(q in f.formula for q in "“”‘’")}))


def clause_around(text: str, start: int, end: int) -> str:
    """The clause (between ，。；！？： or line breaks) containing ``text[start:end]``."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _CLAUSE_END) if i >= 0]
    return text[left:min(rights) if rights else len(text)]


_ITEMS = r"(?P<items>[^、，。；“”]+(?:、[^、，。；“”]+)+?)"
_COUNT_WORD = re.compile(rf"^从?{_ITEMS}(?P<n>[{extract.CN_NUMERAL_CHARS}]+)个")


def formula_components(text: str, formula: str, start: int, number: int | None
                       ) -> list[str] | None:
    """The items the article lists for the formula at ``text[start:]``, or None.

    The clause holding the formula must open with a list of exactly ``number`` items
    separated by 、, either

    - followed by the count itself, ``N个`` (从选准一批村支书、建强一批支部、培育一批产业
      三个“一批”; 从清洁卫生、……、和睦家风四个维度……“四股四争”), or
    - followed by a target verb (:data:`TARGET_VERBS`) and the quoted formula
      (光网覆盖率、4G网络覆盖率喜提“双百”).
    """
    if number is None:
        return None
    clause = clause_around(text, start, start + len(formula))
    m = _COUNT_WORD.match(clause)
    if m:
        try:
            stated = int(cn2an.cn2an(m["n"], "smart"))
        except ValueError:
            stated = None
        items = m["items"].split("、")
        if stated == number == len(items) and clause.find(formula) >= m.start("n"):
            return items
    verbs = "|".join(map(re.escape, TARGET_VERBS))
    m = re.match(rf"^从?{_ITEMS}(?:{verbs})[“「『‘]{re.escape(formula)}", clause)
    if m:
        items = m["items"].split("、")
        if len(items) == number:
            return items
    return None


def _formula_claims(claims: pd.DataFrame, formula: str) -> str:
    """Claims that state the formula's value (双百) or whose indicator names it (四股四争)."""
    if claims is None:
        return ""
    hit = claims[(claims["value_printed"] == formula)
                 | claims["indicator_zh"].str.contains(formula, regex=False)]
    return ";".join(hit["id"])


def formula_table(text: str, claims: pd.DataFrame | None = None,
                  sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per formula: what the article says, and whether a public source explains it.

    Columns: formula, number, chapter, sentence, components (the items the article
    lists, joined by 、; empty when it lists none), is_explained_in_article,
    has_sourced_meaning (a row of ``sources`` names it), found_by, claim_ids.
    """
    chapters = extract.chapters(text)
    sourced = set(sources["formula"]) if sources is not None else set()
    rows = []
    for f in find_formulas(text):
        items = formula_components(text, f.formula, f.start, f.number)
        rows.append({
            "formula": f.formula, "number": f.number,
            "chapter": extract.chapter_of(f.start, chapters), "offset": f.start,
            "sentence": f.sentence, "components": "、".join(items or []),
            "is_explained_in_article": items is not None,
            "has_sourced_meaning": f.formula in sourced,
            "found_by": f.found_by, "claim_ids": _formula_claims(claims, f.formula),
        })
    return pd.DataFrame(rows, columns=FORMULA_COLUMNS)


def load_formula_sources(path=None) -> pd.DataFrame:
    """Meanings of formulas from public sources (``data/reference/policy_formulas.csv``).

    Checks the columns (:data:`SOURCE_COLUMNS`) and that every cell is filled.
    """
    paths = get_paths()
    file = paths.reference / "policy_formulas.csv" if path is None else paths.resolve(path)
    frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(frame.columns) != SOURCE_COLUMNS:
        raise ValueError(f"{paths.relative(file)}: columns must be {', '.join(SOURCE_COLUMNS)},"
                         f" got {', '.join(frame.columns)}")
    empty = [(i + 2, c) for i, row in frame.iterrows() for c in SOURCE_COLUMNS if not row[c]]
    if empty:
        raise ValueError(f"{paths.relative(file)}: empty cells at (line, column) {empty}")
    return frame


def sources_table(sources: pd.DataFrame, formulas: pd.DataFrame) -> pd.DataFrame:
    """The sourced meanings of the formulas in ``formulas``, with the claims naming each.

    ``sources`` is context keyed by the formula's text: only rows whose formula appears
    in the article at hand (a row of ``formulas``) are kept.  ``claim_ids`` joins the
    claims of every mention of the formula.
    """
    ids = formulas.groupby("formula", sort=False)["claim_ids"].agg(
        lambda s: ";".join(dict.fromkeys(i for v in s for i in str(v).split(";") if i)))
    out = sources[sources["formula"].isin(formulas["formula"])].copy()
    out["claim_ids"] = [ids.get(f, "") for f in out["formula"]]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- chapters


def chapter_profile(text: str, claims: pd.DataFrame) -> pd.DataFrame:
    """Per chapter: prose length, quantity and formula mentions, claims drawn from it.

    Columns: chapter, title, prose_chars, quantity_mentions, formula_mentions, n_claims,
    claim_ids.  Formula mentions are those of :func:`find_formulas`; quantity mentions
    exclude 双百 (counted as a formula).  ``claims`` are the claims quoted from ``text``
    (:func:`source_claims`); the density per 1,000 characters is left to the notebook.
    """
    chapters = extract.chapters(text)
    mentions = extract.find_mentions(text)
    formulas = find_formulas(text)
    prose_frame = chapter_prose(text).set_index("chapter")
    rows = []
    for ch in chapters:
        quantities = [m for m in mentions if m.kind == "quantity" and m.unit != "双百"
                      and extract.chapter_of(m.start, chapters) == ch.number]
        n_formulas = sum(extract.chapter_of(f.start, chapters) == ch.number for f in formulas)
        ids = claims.loc[claims["chapter"] == ch.number, "id"].tolist()
        chars = int(prose_frame.loc[ch.number, "prose_chars"])
        rows.append({"chapter": ch.number, "title": ch.title, "prose_chars": chars,
                     "quantity_mentions": len(quantities), "formula_mentions": n_formulas,
                     "n_claims": len(ids), "claim_ids": ";".join(ids)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- display


def _parts_index(parts: pd.DataFrame, lang: str) -> dict[tuple[str, int], str]:
    """``(source_id, chapter)`` → label, from a frame of parts (the chapter profile)."""
    src = parts["source_id"] if "source_id" in parts.columns else [""] * len(parts)
    return dict(zip(zip(src, parts["chapter"].astype(int), strict=True),
                    part_labels(parts, lang), strict=True))


def _labels_for(frame: pd.DataFrame, parts: pd.DataFrame | None, lang: str) -> list[str]:
    """Labels of the parts ``frame``'s rows stand in (by source and chapter)."""
    if parts is None:
        parts = frame.drop_duplicates(["source_id", "chapter"] if "source_id" in frame
                                      else ["chapter"])
    index = _parts_index(parts, lang)
    src = frame["source_id"] if "source_id" in frame.columns else [""] * len(frame)
    return [index.get((s, int(c)), chapter_label(int(c), lang))
            for s, c in zip(src, frame["chapter"], strict=True)]


def display_profile(profile: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The chapter profile with headers in ``lang`` and numbers as text."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("part", "部分"), lang): part_labels(profile, lang),
        _t(("prose characters", "正文字数"), lang):
            [f"{v:,}" for v in profile["prose_chars"]],
        _t(("quantity mentions", "数量表述"), lang): profile["quantity_mentions"].astype(str),
        _t(("per 1,000 characters", "每千字"), lang):
            [f"{v:.1f}" for v in profile["quantities_per_1000_chars"]],
        _t(("numbered formulas", "带数字的提法"), lang): profile["formula_mentions"].astype(str),
        _t(("claims", "数据条目"), lang): profile["n_claims"].astype(str),
    })


def display_terms(terms: pd.DataFrame, lang: str = "en",
                  parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Top terms side by side: one row per rank, one column per part, ``term (count)``."""
    _check_lang(lang)
    labels = _labels_for(terms, parts, lang)
    cells = terms.assign(_label=labels)
    ranks = sorted(terms["rank"].unique())
    wide = {_t(("rank", "排名"), lang): ranks}
    for label in dict.fromkeys(labels):
        by_rank = cells[cells["_label"] == label].set_index("rank")
        wide[label] = [
            (f"{by_rank.loc[r, 'term']} ({by_rank.loc[r, 'count']}×)" if lang == "en" else
             f"{by_rank.loc[r, 'term']}（{by_rank.loc[r, 'count']}次）")
            if r in by_rank.index else "" for r in ranks]
    return pd.DataFrame(wide)


def _meaning_in_article(row, lang: str) -> str:
    if not row["is_explained_in_article"]:
        return _t(("not explained in the article", "原文未解释"), lang)
    items = row["components"].split("、")
    if lang == "zh":
        return "、".join(items)
    return "; ".join(f"{i} ({COMPONENT_GLOSSES[i]})" if i in COMPONENT_GLOSSES else i
                     for i in items)


#: How a formula was found, in Chinese (the English is the ``found_by`` value itself).
FOUND_BY_ZH: dict[str, str] = {
    "extract: formula": "提取器：提法",
    "extract: quantity (双百)": "提取器：数量（双百）",
    "own rule: quoted term starting with a numeral": "自定规则：以数字开头的引号词语",
}


def display_formulas(formulas: pd.DataFrame, lang: str = "en",
                     parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The formulas with what the article itself says about each, headers in ``lang``."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("formula", "提法"), lang): formulas["formula"],
        _t(("number", "数字"), lang): formulas["number"].astype(str),
        _t(("part", "部分"), lang): _labels_for(formulas, parts, lang),
        _t(("what the article says it stands for", "原文对其内容的说明"), lang):
            [_meaning_in_article(r, lang) for _, r in formulas.iterrows()],
        _t(("sentence", "所在句子"), lang): formulas["sentence"],
        _t(("found by", "识别方式"), lang):
            formulas["found_by"] if lang == "en" else
            [FOUND_BY_ZH.get(f, f) for f in formulas["found_by"]],
    })


def display_sources(sources: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Meanings from public sources (not from the article), headers in ``lang``."""
    _check_lang(lang)
    return pd.DataFrame({
        _t(("formula", "提法"), lang): sources["formula"],
        _t(("meaning (public source, not the article)", "含义（公开来源，非原文）"), lang):
            sources["meaning_en"] if lang == "en" else sources["meaning_zh"],
        _t(("source", "来源"), lang): sources["source"],
    })


def display_article_sources(claims: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The claims' sources: id, kind, title, and whether the language part reads it."""
    _check_lang(lang)
    meta = claims.attrs["meta"]
    return pd.DataFrame({
        _t(("source", "来源"), lang): [s.id for s in meta.sources],
        _t(("kind", "类型"), lang): [s.kind for s in meta.sources],
        _t(("title", "标题"), lang): [s.title(lang) or s.path for s in meta.sources],
        _t(("claims", "数据条目"), lang):
            [str(len(source_claims(claims, s))) for s in meta.sources],
        _t(("language analysed", "分析其语言"), lang):
            [_t(("yes", "是"), lang) if s.kind == "article" else
             _t(("no: context, not the article's language", "否：背景资料，非报道语言"), lang)
             for s in meta.sources],
    })


# --------------------------------------------------------------------------- figures


def _colour(chapter: int) -> str:
    from helpers.display.plotting import CHAPTER_COLORS

    return CHAPTER_COLORS.get(int(chapter), "#888888")


def _light(chapter: int) -> str:
    from helpers.display.plotting import CHAPTER_COLORS, chapter_palette

    return chapter_palette(int(chapter), 3)[0] if int(chapter) in CHAPTER_COLORS else "#cccccc"


def top_terms_figure(terms: pd.DataFrame, lang: str = "en",
                     parts: pd.DataFrame | None = None):
    """Small multiples: each part's top terms by TF-IDF weight, counts annotated.

    Terms that every part of their source uses are drawn in a light shade of the part's
    colour.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    _check_lang(lang)
    labels = _labels_for(terms, parts, lang)
    cells_all = terms.assign(_label=labels)
    if "source_id" not in cells_all.columns:
        cells_all["source_id"] = ""
    n_parts_of = cells_all.groupby("source_id")["chapter"].nunique()
    panels = list(dict.fromkeys(labels))
    n_panels = max(len(panels), 1)
    ncols = 2 if n_panels > 1 else 1
    nrows = -(-n_panels // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(10.0, 3.4 * nrows), squeeze=False)
    for ax, label in zip(axes.flat, panels, strict=False):
        cells = cells_all[cells_all["_label"] == label].sort_values("rank")
        chapter = int(cells["chapter"].iloc[0])
        base, light = _colour(chapter), _light(chapter)
        every = n_parts_of[cells["source_id"].iloc[0]]
        colours = [light if k == every and every > 1 else base for k in cells["n_chapters"]]
        y = range(len(cells))
        ax.barh(list(y), cells["tfidf_weight"], color=colours, edgecolor=base, linewidth=0.6)
        for yi, (w, c) in enumerate(zip(cells["tfidf_weight"], cells["count"], strict=True)):
            ax.text(w, yi, f" {c}×" if lang == "en" else f" {c}次", va="center", fontsize=8)
        ax.set_yticks(list(y), list(cells["term"]))
        ax.invert_yaxis()
        ax.set_xlim(0, cells["tfidf_weight"].max() * 1.2)
        short = short_title(cells["title"].iloc[0])
        title = label
        if lang == "en" and chapter and short in TITLE_GLOSSES:
            title = f"{label} ({short})"
        elif lang == "en" and not chapter and every > 1:
            title = f"{label} (导语)"
        ax.set_title(title, loc="left", fontsize=11, color=base)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="x", labelsize=8)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel(_t(("TF-IDF weight (jieba, general-corpus IDF)",
                          "TF-IDF 权重（jieba 通用语料 IDF）"), lang), fontsize=9)
    top = cells_all[cells_all["rank"] == 1]
    lead = _t(("Top terms by TF-IDF: ", "各部分TF-IDF高频词："), lang) + "  ·  ".join(
        f"{lab.split()[0] if lab[:1].isdigit() else lab} {t}"
        for lab, t in zip(top["_label"], top["term"], strict=True))
    last = cells_all.sort_values(["source_id", "chapter"]).iloc[-1] if len(cells_all) else None
    if last is not None and n_parts_of[last["source_id"]] > 1:
        unique = cells_all[(cells_all["source_id"] == last["source_id"])
                           & (cells_all["chapter"] == last["chapter"])
                           & (cells_all["n_chapters"] == 1)]
        if len(unique):
            u = unique.sort_values("rank").iloc[0]
            name = part_name(int(u["chapter"]), lang)
            lead += _t((f"\n{name}'s highest term used nowhere else: "
                        f"{u['term']} (rank {u['rank']}, {u['count']}×)",
                        f"\n{name}独有的最高排名词：{u['term']}"
                        f"（第{u['rank']}名，{u['count']}次）"), lang)
    fig.suptitle(lead, x=0.01, ha="left", fontsize=12)
    if n_parts_of.max() > 1 if len(n_parts_of) else False:
        fig.legend(handles=[
            Patch(facecolor="#dddddd", edgecolor="#888888",
                  label=_t(("used in every part", "各部分都使用"), lang)),
            Patch(facecolor="#888888", edgecolor="#888888",
                  label=_t(("used in fewer parts", "仅部分使用"), lang))],
            loc="lower left", bbox_to_anchor=(0.01, -0.04), ncol=2, fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


def profile_figure(profile: pd.DataFrame, lang: str = "en"):
    """Quantity mentions per 1,000 characters and numbered formulas, per part."""
    import matplotlib.pyplot as plt

    from helpers.display.plotting import annotate_bars

    _check_lang(lang)
    labels = part_labels(profile, lang)
    colours = [_colour(c) for c in profile["chapter"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, 3.6), sharey=True)
    left.barh(labels, profile["quantities_per_1000_chars"], color=colours)
    annotate_bars(left, "{:.1f}", fontsize=9)
    left.set_xlabel(_t(("quantity mentions per 1,000 characters of prose",
                        "每千字正文中的数量表述"), lang))
    right.barh(labels, profile["formula_mentions"], color=colours)
    annotate_bars(right, "{:.0f}", fontsize=9)
    right.set_xlabel(_t(("numbered policy formulas", "带数字的政策提法（个）"), lang))
    left.invert_yaxis()  # shared y axis: the first part on top in both panels
    for ax in (left, right):
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.15)
    fig.suptitle(profile_title(profile, lang), x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return fig


def profile_title(profile: pd.DataFrame, lang: str = "en") -> str:
    """One computed sentence: the sparsest part in numbers, the part with most formulas."""
    _check_lang(lang)
    frame = profile.reset_index(drop=True)
    names = part_labels(frame, lang)
    if len(frame) == 1:
        rate = f"{frame.loc[0, 'quantities_per_1000_chars']:.1f}"
        count = int(frame.loc[0, "formula_mentions"])
        return _t((f"{names[0]}: {rate} quantity mentions per 1,000 characters, "
                   f"{count} numbered formulas",
                   f"{names[0]}：每千字{rate}处数量表述，带数字的政策提法{count}个"), lang)
    sparse = int(frame["quantities_per_1000_chars"].idxmin())
    most = int(frame["formula_mentions"].idxmax())
    rate = f"{frame.loc[sparse, 'quantities_per_1000_chars']:.1f}"
    count = int(frame.loc[most, "formula_mentions"])
    several = "source_id" in frame.columns and frame["source_id"].nunique() > 1

    def name(i):
        if several:
            return names[i]
        return part_name(int(frame.loc[i, "chapter"]), lang)

    if lang == "en":
        first = f"{name(sparse)} has the fewest numbers per 1,000 characters ({rate})"
        second = (f" and the most numbered formulas ({count})" if most == sparse else
                  f"; {name(most)} the most numbered formulas ({count})")
        return first[0].upper() + first[1:] + second
    return (f"{name(sparse)}每千字数量表述最少（{rate}处）" +
            ("，" if most == sparse else f"；{name(most)}") +
            f"带数字的政策提法最多（{count}个）")


# --------------------------------------------------------------------------- skipping


def skip_language(nb, outputs) -> None:
    """Record the language sections as skipped: the claims' metadata lists no article.

    ``nb`` is the notebook context (:class:`helpers.notebook.Notebook`); each name in
    ``outputs`` is recorded as not produced, with the reason, for the batch runner, as
    :meth:`~helpers.notebook.Notebook.section` does for missing claims.
    """
    reason = nb.t("the claims' metadata lists no source of kind article",
                  "数据的元数据中没有报道类来源")
    nb.sections["language"] = False
    for name in outputs:
        nb.not_produced[f"{nb.number}_{name}"] = reason
    nb._write_status()
    from helpers.notebook import _display_markdown

    _display_markdown(nb.t(
        f"*Not reported.* The claims of {nb.county} quote no article (every source in "
        "their metadata is a context document); the language sections are skipped.",
        f"*未报告。* {nb.county}的数据未引用任何报道（元数据中的来源均为背景资料），"
        "语言部分从略。"))
