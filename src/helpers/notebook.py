"""The first cells of every notebook: validate parameters, load claims, write outputs.

Each notebook's parameters cell holds plain values; its next cell calls
:func:`setup`, which checks every parameter (unknown or invalid values fail
here, with the parameter's name), loads the claims table, applies the plotting
theme and returns a :class:`Notebook` that writes figures and tables under
``output_dir`` with stable names (``figures/01_<name>.svg``,
``tables/01_<name>.csv``) and lists them at the end.

The notebook sees a *view* of the claims (:func:`helpers.data.claims.claims_view`):
the rows of the domains ``notebooks/pipeline.yaml`` declares for it (every row by
default) and every column but ``notes`` and ``line``; with ``other_rows`` the other
rows too, with only the columns listed (the rest missing).  Under the batch runner the
view's hash is recorded (:func:`record_view`), and the runner reruns the notebook
only when that hash changes, not on every edit of the claims file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.data import units
from helpers.data.claims import claim_domain, claims_view, load_claims, view_hash
from helpers.params import (  # noqa: F401  (part of this module's interface)
    DEFAULTS,
    FIGURE_FORMATS,
    ParameterError,
    check_output_dir,
    check_parameters,
)
from helpers.paths import get_paths


@dataclass
class Notebook:
    """Validated parameters, the claims table, and the files a notebook has written."""

    number: str
    lang: str
    money_unit: str
    claims_path: str
    output_dir: Path
    figure_formats: tuple[str, ...]
    claims: pd.DataFrame
    written: list[Path] = field(default_factory=list)
    #: Sections that ran (True) or were skipped (False), in the order asked.
    sections: dict[str, bool] = field(default_factory=dict)
    #: Declared outputs not produced, by output name, with the reason.
    not_produced: dict[str, str] = field(default_factory=dict)
    #: Under the batch runner: the salt of this notebook's figure keys, and whether a
    #: kept figure may be used (:mod:`helpers.display.figurecache`); None: draw them all.
    figure_salt: str | None = None
    figure_reuse: bool = False

    # -- the county and its sources -----------------------------------------
    @property
    def meta(self):
        """The claims file's metadata (:class:`helpers.data.metadata.ClaimsMeta`)."""
        return self.claims.attrs["meta"]

    @property
    def county(self) -> str:
        """The county's name in the notebook's language (from the claims' metadata)."""
        return self.meta.county_name(self.lang)

    # -- which sections the claims support ---------------------------------------
    def has(self, *ids: str) -> bool:
        """True when every claim id is in the claims table (see :meth:`missing`)."""
        return not self.missing(*ids)

    def missing(self, *ids: str) -> list[str]:
        """The ids, of those given, that the claims table lacks (in the order given).

        An id of a domain outside the notebook's view is an error (declare the domain
        in the pipeline file), never reported as missing from the source.
        """
        domains = self.claims.attrs.get("domains")
        outside = [i for i in ids if domains is not None and claim_domain(i) not in domains]
        if outside:
            raise ValueError(f"claim id(s) {', '.join(outside)} lie outside notebook "
                             f"{self.number}'s view of the claims (domains "
                             f"{', '.join(domains)}); add their domain to its "
                             "claims: {domains: [...]} in notebooks/pipeline.yaml")
        present = set(self.claims["id"])
        return [i for i in ids if i not in present]

    def section(self, key: str, needs, outputs=()) -> bool:
        """Whether a section can run: all of ``needs`` are in the claims.

        When some are missing the section is skipped: a note in the notebook's
        language says the source does not report them (naming the missing ids),
        and each name in ``outputs`` (``"headline_groups"`` for
        ``tables/00_headline_groups.csv`` and ``figures/00_headline_groups.*``)
        is recorded as not produced, with that reason, for the manifest and the
        report.  Returns True when the section runs.
        """
        needs = list(needs)
        gone = self.missing(*needs)
        self.sections[key] = not gone
        if not gone:
            return True
        reason = (f"the source does not report {', '.join(gone)}" if self.lang == "en"
                  else f"来源未报告 {', '.join(gone)}")
        for name in outputs:
            self.not_produced[self._name(name)] = reason
        self._write_status()
        _display_markdown(self.t(
            f"*Not reported.* The claims of {self.county} do not include "
            f"{', '.join(f'`{i}`' for i in gone)}, which this section needs "
            f"(it uses {', '.join(f'`{i}`' for i in needs)}); it is skipped.",
            f"*未报告。* {self.county}的数据不含本节所需的 "
            f"{'、'.join(f'`{i}`' for i in gone)}（本节使用 "
            f"{'、'.join(f'`{i}`' for i in needs)}），本节从略。"))
        return False

    def ran(self, key: str) -> bool:
        """Whether section ``key`` ran (False when it was skipped or never asked)."""
        return self.sections.get(key, False)

    def _write_status(self) -> None:
        """Record skipped sections and outputs in ``status/<number>.json`` of the run folder."""
        import json

        target = self.output_dir / "status" / f"{self.number}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        body = {"notebook": self.number,
                "sections": self.sections,
                "not_produced": dict(sorted(self.not_produced.items()))}
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
        os.replace(tmp, target)

    # -- language and units ------------------------------------------------
    def t(self, en: str, zh: str) -> str:
        """The text in the notebook's language."""
        return en if self.lang == "en" else zh

    def money(self, yuan):
        """An amount in yuan (scalar or Series) in the notebook's money unit."""
        return units.to_money_unit(yuan, self.money_unit)

    @property
    def money_label(self) -> str:
        """Label of the money unit in the notebook's language (万元, 100 million yuan, ...)."""
        return units.money_label(self.money_unit, self.lang)

    def fmt_money(self, yuan: float, digits: int = 2) -> str:
        """An amount in yuan formatted in the notebook's money unit and language."""
        return units.format_money(yuan, self.money_unit, self.lang, digits)

    def unit(self, base_unit: str) -> str:
        """Label of a base unit in the notebook's language."""
        return units.unit_label(base_unit, self.lang)

    # -- writing -------------------------------------------------------------
    def _name(self, name: str) -> str:
        return f"{self.number}_{name}"

    def figure(self, name: str, draw, *args, **kwargs) -> None:
        """Draw ``draw(*args, **kwargs)`` and :meth:`save` it as ``name``.

        Under the batch runner, a figure drawn by the same function from equal arguments
        with the same code, packages, settings and input files in an earlier run is not
        drawn again: its kept files are copied (:mod:`helpers.display.figurecache`), the
        same bytes a new drawing would write.  Elsewhere (JupyterLab, ``reference``,
        ``run --force``, ``verify``) every figure is drawn.
        """
        from helpers.display import figurecache

        key = figurecache.figure_key(self.figure_salt, draw, args, kwargs,
                                     self.figure_formats)
        folder = self.output_dir / "figures"
        targets = {fmt: folder / f"{self._name(name)}.{fmt}" for fmt in self.figure_formats}
        if self.figure_reuse and figurecache.fetch(key, targets):
            self._show(list(targets.values()))
        else:
            self.save(draw(*args, **kwargs), name)
            figurecache.keep(key, list(targets.values()))

    def save(self, fig, name: str) -> None:
        """Write ``fig`` as ``figures/<number>_<name>.<fmt>`` in every figure format,
        close it and show in the notebook the file just written (the PNG, else the SVG).

        Each format is drawn once; closing the figure keeps the inline backend from
        drawing it again at the end of the cell.  Returns nothing, so a notebook cell
        ending with it shows no (machine) paths; the files are listed by :meth:`outputs`.
        """
        from helpers.display.plotting import save_figure

        self._show(save_figure(fig, self._name(name), self.output_dir / "figures",
                               self.figure_formats))

    def _show(self, written: list[Path]) -> None:
        """List the figure files ``written`` and show them in the notebook."""
        from helpers.display.plotting import show_figure

        self.written.extend(written)
        show_figure(written)

    def table(self, frame: pd.DataFrame, name: str) -> None:
        """Write ``frame`` as ``tables/<number>_<name>.csv``.

        The frame must have a ``claim_ids`` column (ids separated by ``;``) naming
        the claims each row derives from; every id must exist in the claims table.
        Returns nothing (see :meth:`save`).
        """
        if "claim_ids" not in frame.columns:
            raise ValueError(f"table {name!r} needs a claim_ids column naming its sources")
        known = set(self.claims["id"])
        for ids in frame["claim_ids"]:
            missing = [i for i in str(ids).split(";") if i and i not in known]
            if missing:
                raise ValueError(f"table {name!r} cites unknown claim ids: {', '.join(missing)}")
        target = self.output_dir / "tables" / f"{self._name(name)}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".csv.tmp")
        csv_safe(frame).to_csv(tmp, index=False, lineterminator="\n", float_format="%.10g")
        os.replace(tmp, target)
        self.written.append(target)

    def outputs(self) -> pd.DataFrame:
        """The files written so far: relative path, kind and size (for the last cell).

        Column headers follow the notebook's language.
        """
        rows = [(p.relative_to(self.output_dir).as_posix(), p.suffix.lstrip("."),
                 p.stat().st_size) for p in sorted(set(self.written))]
        columns = [self.t("file", "文件"), self.t("kind", "类型"), self.t("bytes", "字节")]
        return pd.DataFrame(rows, columns=columns)


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def csv_cell(value):
    """A cell as it may go into a CSV a spreadsheet opens: text starting with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, so it is shown,
    never evaluated (OWASP's advice against CSV injection); numbers, and text that is
    a plain number (``-0.48``), are data and stay as they are.

    >>> csv_cell("=SUM(A1)"), csv_cell("-0.48"), csv_cell(-3), csv_cell("@a")
    ("'=SUM(A1)", '-0.48', -3, "'@a")
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) \
            and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`csv_cell` applied to every text cell (and column name);
    numeric columns are untouched.  Use it for every CSV the project writes."""
    out = frame.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(csv_cell)
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def setup(number: str, *, lang: str, money_unit: str, claims_path: str, output_dir: str,
          figure_formats, **unknown) -> Notebook:
    """Validate parameters, load the claims, apply the theme; return the notebook context.

    Unknown keyword arguments are an error that lists the valid parameter names.
    """
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(sorted(unknown))}; valid: {', '.join(DEFAULTS)}")
    params = check_parameters(lang, money_unit, claims_path, output_dir, figure_formats)
    told = runner_told(params["output_dir"], number)
    domains, other_rows = declared_selector(told, number)
    salt, reuse = figure_salt(told)
    record_reads(params["output_dir"], number)
    with _reads_paused():  # the claims file counts by its view (record_view), not its bytes
        claims = claims_view(load_claims(params["claims_path"]), domains, other_rows)
    record_view(params["output_dir"], number, params["claims_path"], claims)
    from helpers.display.plotting import apply_theme

    apply_theme(params["lang"])
    _inline_png()
    notebook = Notebook(number=number, claims=claims, figure_salt=salt, figure_reuse=reuse,
                        **params)
    stale = notebook.output_dir / "status" / f"{number}.json"
    stale.unlink(missing_ok=True)  # a previous run's skips do not carry over
    return notebook


#: Where the audit hook of :func:`record_reads` writes, per process (one kernel runs one
#: notebook; a second ``setup`` in the same kernel points the hook elsewhere).
_READS: dict = {}


def record_reads(output_dir: Path, number: str) -> bool:
    """Under the batch runner, list every project file this kernel opens for reading.

    An audit hook (:func:`sys.addaudithook`, ``open`` events) appends each file's path,
    relative to the project root, to ``.reads/<number>.txt`` of the staged run folder;
    the runner puts those files' hashes into the notebook's fingerprint, so a file a
    notebook reads without the pipeline declaring it still makes it rerun when it
    changes.  Files under ``outputs/``, ``src/``, ``.venv/`` and ``.git/`` are not
    listed.  Does nothing (returns False) outside a runner's staging folder, so a run
    in JupyterLab or ``make reference`` writes no such list.
    """
    import sys

    from helpers.batch.runfolder import UNTRACKED_READ_DIRS, reads_file

    output_dir = Path(output_dir)
    if ".staging" not in output_dir.parts:
        return False
    target = reads_file(output_dir, number)
    target.parent.mkdir(parents=True, exist_ok=True)
    root = str(get_paths().root)
    skip = tuple(os.path.join(root, d) + os.sep for d in UNTRACKED_READ_DIRS)
    _READS.update(fd=os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
                  seen=set(), root=root + os.sep, skip=skip, busy=False)
    if not _READS.get("installed"):
        sys.addaudithook(_audit_open)
        _READS["installed"] = True
    return True


def runner_told(output_dir: Path, number: str) -> dict | None:
    """What the batch runner wrote for notebook ``number`` in its staging folder
    (``.reads/<number>.domains.json``: the claims selector its pipeline file declares and
    ``{"figures": {"salt", "reuse"}}``), or None (not under the runner)."""
    import json

    from helpers.batch.runfolder import domains_file

    told = domains_file(output_dir, number)
    if ".staging" not in Path(output_dir).parts or not told.is_file():
        return None
    return json.loads(told.read_text(encoding="utf-8"))


def declared_selector(told: dict | None, number: str
                      ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """``(domains, other_rows)`` of notebook ``number``: the claim domains whose rows it
    sees whole (None: every row) and the columns it sees of the other rows (None: not
    those rows).  Under the batch runner, those the runner was told (``told``, see
    :func:`runner_told`); elsewhere those of ``notebooks/pipeline.yaml``
    (:func:`helpers.batch.pipeline.claims_selector`)."""
    from helpers.batch.pipeline import claims_selector

    if told is None:
        return claims_selector(number)
    domains, other = told["domains"], told.get("other_rows")
    return (None if domains is None else tuple(domains),
            None if other is None else tuple(other))


def figure_salt(told: dict | None) -> tuple[str | None, bool]:
    """``(salt, reuse)`` of a notebook's figure keys as the runner told it (``told``, see
    :func:`runner_told`; ``reuse`` false under ``--force``), else ``(None, False)``."""
    figures = (told or {}).get("figures") or {}
    salt = figures.get("salt")
    return (salt if isinstance(salt, str) else None), figures.get("reuse") is True


class _reads_paused:
    """Opens inside this block are not listed by :func:`record_reads`: the claims
    loader's own reads (the claims file, whose view counts instead; its sidecar, sources
    and the codebook, which the runner counts as inputs of every notebook)."""

    def __enter__(self):
        self.before = _READS.get("busy", False)
        _READS["busy"] = True

    def __exit__(self, *exc):
        _READS["busy"] = self.before


def record_view(output_dir: Path, number: str, claims_path: str,
                view: pd.DataFrame) -> bool:
    """Under the batch runner, record the claims view notebook ``number`` sees.

    Writes ``.reads/<number>.view.json`` beside the list of files read: the claims
    file (relative to the project root), the sha256 of its bytes, the view's rows
    selector (``domains``, None for all), its columns and :func:`view_hash`.  The
    runner recomputes that hash for the current claims file to decide whether the
    notebook is stale.  Does nothing (returns False) outside a runner's staging folder.
    """
    import json

    from helpers.batch.runfolder import view_file

    output_dir = Path(output_dir)
    if ".staging" not in output_dir.parts:
        return False
    paths = get_paths()
    target = view_file(output_dir, number)
    target.parent.mkdir(parents=True, exist_ok=True)
    body = {"claims": Path(os.path.relpath(paths.resolve(claims_path), paths.root)).as_posix(),
            "file_sha256": view.attrs.get("sha256"), "domains": view.attrs.get("domains"),
            "columns": list(view.columns), "sha256": view_hash(view)}
    target.write_text(json.dumps(body, sort_keys=True) + "\n", encoding="utf-8")
    return True


def _audit_open(event: str, args) -> None:
    if event != "open" or _READS.get("busy") or "fd" not in _READS:
        return
    path, mode, flags = (*tuple(args), None, None, None)[:3]
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        return
    if isinstance(mode, str):
        if any(c in mode for c in "wax+"):
            return
    elif isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR):
        return
    full = os.path.abspath(path)
    if not full.startswith(_READS["root"]) or full.startswith(_READS["skip"]) \
            or full in _READS["seen"] or full.endswith((".pyc", ".ipynb")):
        return
    _READS["seen"].add(full)
    _READS["busy"] = True
    try:
        rel = full[len(_READS["root"]):].replace(os.sep, "/")
        os.write(_READS["fd"], (rel + "\n").encode("utf-8", "surrogateescape"))
    except OSError:
        pass
    finally:
        _READS["busy"] = False


def _inline_png() -> None:
    """Show figures left open at the end of a cell inline as PNG only (nbval skips PNG).

    :meth:`Notebook.save` closes the figures it writes and shows the PNG file itself,
    so this only concerns figures a notebook draws without saving them.  Outside
    IPython it does nothing (in particular, it creates no IPython shell, which would
    make :func:`IPython.get_ipython` answer in a plain Python process).
    """
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # IPython or its inline backend not installed
        return
    if get_ipython() is None:
        return
    try:
        set_matplotlib_formats("png")
    except Exception:
        return


def _display_markdown(text: str) -> None:
    """Show Markdown in a notebook; print it elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        print(text)
        return
    if get_ipython() is None:
        print(text)
    else:
        display(Markdown(text))


def show(frame: pd.DataFrame):
    """Display a table as plain HTML (stable across runs; no random ids, no styling)."""
    from IPython.display import HTML

    return HTML(frame.to_html(index=False, border=0, na_rep="–", escape=True))


def findings(sentences: list[str], title: str | None = None):
    """Display findings as a Markdown bullet list; text from the data is HTML-escaped."""
    import html

    from IPython.display import Markdown

    lines = [f"**{html.escape(title)}**", ""] if title else []
    lines += [f"- {html.escape(s, quote=False)}" for s in sentences]
    return Markdown("\n".join(lines))


def skip_section(nb: Notebook, key: str, reason_en: str, reason_zh: str, outputs=()) -> None:
    """Skip section ``key`` for a reason other than missing claims (e.g. nothing to show).

    Like :meth:`Notebook.section` when it returns False: shows the reason in the
    notebook's language, records the section as skipped and each name in
    ``outputs`` as not produced, with the reason, in ``status/<number>.json``.
    """
    nb.sections[key] = False
    for name in outputs:
        nb.not_produced[nb._name(name)] = nb.t(reason_en, reason_zh)
    nb._write_status()
    _display_markdown(nb.t(f"*Not shown.* {reason_en}", f"*从略。* {reason_zh}"))
