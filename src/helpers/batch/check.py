"""Check a claims file against what the notebooks and the audit need.

``leiyang-poverty check CLAIMS`` calls :func:`check`: it loads the file with the
loader (every validation problem is listed, nothing else is done when there are
any), then lists

- per notebook section, whether the file supports it and which ids are missing.
  The sections and the ids they need are read *statically* from the notebooks'
  code cells with :mod:`ast`: each ``nb.section(key, needs=...)`` call, with the id
  strings its ``needs`` expression names directly, through the notebook's own
  assignments, or through constants of the ``helpers`` modules it imports
  (``ov.INCIDENCE``, ``cg.PREMIUM_IDS.values()``).  ``tt.needs_any(...)`` means any
  one of the ids is enough.  Where a section's ids are computed from the claims at
  run time, the status is ``decided at run time`` and the ids listed are those the
  code names;
- per audit relation (``data/relations.csv`` and the codebook's plausible ranges),
  whether it runs and which ids it lacks (with the audit's own rule: remaining poor
  are derived from registered and lifted).
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.paths import get_paths

_ID = re.compile(r"^(x\.)?[a-z][a-z0-9_]*\.[a-z0-9_]+$")


@dataclass
class SectionNeeds:
    """The ids a notebook section needs, as far as the code names them."""

    notebook: str
    key: str
    ids: list[str] = field(default_factory=list)
    mode: str = "all"         # all of the ids, or any one of them
    dynamic: bool = False     # part of the needs is computed at run time


def _code_cells(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return ["".join(c.get("source", "")) for c in nb.get("cells", [])
            if c.get("cell_type") == "code"]


class _Resolver:
    """Resolve the id strings an expression names, through assignments and imports."""

    def __init__(self, trees: list[ast.Module]):
        # name -> [(position, value)], position = (cell, line): the assignment in force
        # at a call is the last one before it
        self.assigned: dict[str, list[tuple[tuple[int, int], ast.AST]]] = {}
        self.modules: dict[str, str] = {}
        for cell, tree in enumerate(trees):
            for node in ast.walk(tree):
                pos = (cell, getattr(node, "lineno", 0))
                if isinstance(node, ast.Assign):
                    for t in node.targets:
                        for name in ast.walk(t):
                            if isinstance(name, ast.Name):
                                self.assigned.setdefault(name.id, []).append((pos, node.value))
                elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value:
                    if isinstance(node.target, ast.Name):
                        self.assigned.setdefault(node.target.id, []).append(
                            (pos, node.value))
                elif isinstance(node, ast.ImportFrom) and node.module:
                    for a in node.names:
                        self.modules[a.asname or a.name] = f"{node.module}.{a.name}"
                elif isinstance(node, ast.Import):
                    for a in node.names:
                        self.modules[a.asname or a.name] = a.name

    def ids(self, node: ast.AST, pos: tuple[int, int] = (10**9, 0),
            seen: frozenset = frozenset()) -> tuple[list[str], bool]:
        """(ids, dynamic) of an expression at ``pos`` (cell, line)."""
        out: list[str] = []
        dynamic = False
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                if _ID.match(sub.value):
                    out.append(sub.value)
            elif isinstance(sub, ast.Name) and sub.id not in seen:
                before = [(p, v) for p, v in self.assigned.get(sub.id, []) if p < pos]
                if before:
                    p, value = max(before, key=lambda t: t[0])
                    more, dyn = self.ids(value, p, seen | {sub.id})
                    out += more
                    dynamic |= dyn
                elif sub.id not in self.modules and sub.id not in ("claims", "nb"):
                    dynamic = True
            elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) \
                    and sub.value.id in self.modules:
                value = self._module_attr(sub.value.id, sub.attr)
                if value is not None:
                    out += value
            elif isinstance(sub, (ast.Call, ast.ListComp, ast.GeneratorExp, ast.SetComp)):
                func = sub.func if isinstance(sub, ast.Call) else None
                if not (isinstance(func, ast.Name) and func.id in ("list", "sorted", "set")) \
                        and not (isinstance(func, ast.Attribute)
                                 and func.attr in ("values", "keys", "needs_any")):
                    dynamic = True
        return list(dict.fromkeys(out)), dynamic

    def _module_attr(self, alias: str, attr: str) -> list[str] | None:
        try:
            module = importlib.import_module(self.modules[alias])
        except ImportError:
            return None
        value = getattr(module, attr, None)
        if isinstance(value, str):
            return [value] if _ID.match(value) else []
        if isinstance(value, dict):
            value = [*value.values(), *value.keys()]
        if isinstance(value, (list, tuple, set, frozenset)):
            flat = []
            for v in value:
                flat += [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] \
                    if isinstance(v, (list, tuple)) else []
            return [v for v in flat if _ID.match(v)]
        return None


def notebook_sections(notebook: str | os.PathLike[str]) -> list[SectionNeeds]:
    """Every ``nb.section(key, needs=...)`` of a notebook, read with :mod:`ast`."""
    path = Path(notebook)
    trees = []
    for src in _code_cells(path):
        try:
            trees.append(ast.parse(src))
        except SyntaxError:
            continue  # a cell with IPython magics: nothing to read
    resolver = _Resolver(trees)
    out = []
    for cell, tree in enumerate(trees):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "section" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "nb" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                continue
            needs = next((k.value for k in node.keywords if k.arg == "needs"),
                         node.args[1] if len(node.args) > 1 else None)
            sec = SectionNeeds(path.stem, str(node.args[0].value))
            if needs is not None:
                sec.ids, sec.dynamic = resolver.ids(needs, (cell, node.lineno))
                if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                       and n.func.attr == "needs_any" for n in ast.walk(needs)):
                    sec.mode = "any"
            out.append(sec)
    return out


def all_sections(notebook_dir: str | os.PathLike[str] | None = None) -> list[SectionNeeds]:
    """The sections of every notebook ``NN_*.ipynb`` of the project, in order."""
    folder = Path(notebook_dir) if notebook_dir else get_paths().root / "notebooks"
    return [s for nb in sorted(folder.glob("[0-9][0-9]_*.ipynb"))
            for s in notebook_sections(nb)]


SECTION_COLUMNS = ["notebook", "section", "status", "needs", "missing"]
RELATION_COLUMNS = ["relation_id", "kind", "status", "missing"]


def section_table(present: set[str], sections: list[SectionNeeds]) -> pd.DataFrame:
    """Per section: supported / not supported / decided at run time, and missing ids."""
    rows = []
    for s in sections:
        ids = [i for i in s.ids if "<" not in i]
        missing = [i for i in ids if i not in present]
        if s.mode == "any":
            ok = bool(set(ids) & present)
            missing = [] if ok else missing
        else:
            ok = not missing
        if s.dynamic and not ids:
            status = "decided at run time"
        elif s.dynamic:
            status = ("supported" if ok else "not supported") + " (part decided at run time)"
        else:
            status = "supported" if ok else "not supported"
        needs = (" | " if s.mode == "any" else " ").join(ids)
        rows.append({"notebook": s.notebook, "section": s.key, "status": status,
                     "needs": needs, "missing": " ".join(missing)})
    return pd.DataFrame(rows, columns=SECTION_COLUMNS)


def relation_table(claims: pd.DataFrame) -> pd.DataFrame:
    """Per audit relation: runs or not, with the ids it lacks (the audit's own rule)."""
    from helpers.analysis import audit

    inp = audit.Inputs(claims)
    rows = []
    for _, rel in audit.all_relations().iterrows():
        gone = audit.missing_inputs(rel, inp)
        rows.append({"relation_id": rel["relation_id"], "kind": rel["kind"],
                     "status": "runs" if not gone else "not checkable",
                     "missing": " ".join(gone)})
    return pd.DataFrame(rows, columns=RELATION_COLUMNS)


@dataclass
class CheckResult:
    """What :func:`check` found: loader problems, or the two tables."""

    path: str
    problems: list[str]
    sections: pd.DataFrame | None = None
    relations: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        """A plain-text report (what the command prints)."""
        if self.problems:
            return "\n".join([f"{self.path}: not valid", *self.problems])
        s, r = self.sections, self.relations
        supported = s["status"].str.startswith("supported").sum()
        lines = [f"{self.path}: valid", "",
                 f"notebook sections: {supported} of {len(s)} supported"]
        for row in s.itertuples():
            lines.append(f"  {row.notebook} / {row.section}: {row.status}")
            if row.missing:
                lines.append(f"      missing: {row.missing}")
        lines += ["", f"audit relations: {(r['status'] == 'runs').sum()} of {len(r)} run"]
        for row in r.itertuples():
            extra = f"  (missing: {row.missing})" if row.missing else ""
            lines.append(f"  {row.relation_id} [{row.kind}]: {row.status}{extra}")
        return "\n".join(lines)


def check(claims_path: str | os.PathLike[str],
          notebook_dir: str | os.PathLike[str] | None = None) -> CheckResult:
    """Validate ``claims_path`` and list what the notebooks and the audit can use."""
    from helpers.data.claims import ClaimsError, load_claims
    from helpers.data.metadata import MetadataError

    shown = get_paths().relative(claims_path)
    try:
        claims = load_claims(claims_path)
    except ClaimsError as exc:
        return CheckResult(shown, [str(p) for p in exc.problems])
    except MetadataError as exc:
        return CheckResult(shown, [str(exc)])
    present = set(claims["id"])
    return CheckResult(shown, [], section_table(present, all_sections(notebook_dir)),
                       relation_table(claims))
