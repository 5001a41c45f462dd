"""requirements/lock*.txt against pyproject.toml: the lock `make` installs from must pin
every declared dependency at a version pyproject allows, with hashes.

When this fails after editing pyproject.toml, run `make lock` (and `make verify`).
"""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

#: The Python the lock is for (the references were made with it).
PYTHON = "3.11.7"


def _environment(extras: str = "") -> dict[str, str]:
    env = default_environment()
    env.update(python_version="3.11", python_full_version=PYTHON,
               implementation_name="cpython", extra=extras)
    return env


def _lock(path) -> dict[str, list[tuple[Version, str, str]]]:
    """name -> [(version, marker, the requirement's whole text)] of a hashed lock file."""
    text = path.read_text(encoding="utf-8")
    entries: dict[str, list] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.split("\n", 1)[0]
        if not first or first.startswith("#"):
            continue
        req = Requirement(first.rstrip(" \\"))
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{path.name}: not pinned: {first}"
        assert "--hash=sha256:" in block, f"{path.name}: no hash for {first}"
        entries.setdefault(canonicalize_name(req.name), []).append(
            (Version(specs[0].version), str(req.marker or ""), block))
    return entries


def _pinned(lock, name: str) -> Version | None:
    env = _environment()
    for version, marker, _ in lock.get(canonicalize_name(name), []):
        if not marker or Requirement(f"x; {marker}").marker.evaluate(env):
            return version
    return None


@pytest.fixture(scope="module")
def project(paths):
    return tomllib.loads((paths.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize(("lock_name", "extras"), [("lock.txt", ("test",)),
                                                    ("lock-lab.txt", ("test", "lab"))])
def test_lock_pins_every_declared_dependency(paths, project, lock_name, extras):
    lock = _lock(paths.root / "requirements" / lock_name)
    declared = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        declared += [Requirement(r) for r in project["optional-dependencies"][extra]]
    problems = []
    for req in declared:
        if req.marker and not req.marker.evaluate(_environment()):
            continue
        version = _pinned(lock, req.name)
        if version is None:
            problems.append(f"{req.name} is not in {lock_name}")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} in {lock_name} breaks {req}")
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_lab_lock_agrees_with_the_main_lock_and_lab_stays_out_of_it(paths):
    main = _lock(paths.root / "requirements" / "lock.txt")
    lab = _lock(paths.root / "requirements" / "lock-lab.txt")
    assert _pinned(main, "jupyterlab") is None  # the batch and the tests do not need it
    assert _pinned(lab, "jupyterlab") is not None
    differ = {name: (_pinned(main, name), _pinned(lab, name)) for name in main
              if _pinned(main, name) and _pinned(main, name) != _pinned(lab, name)}
    assert differ == {}


def test_make_installs_from_the_lock_and_rebuilds_when_it_changes(paths):
    makefile = (paths.root / "Makefile").read_text(encoding="utf-8")
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.MULTILINE).group(1)
    assert "pyproject.toml" in stamp and "$(LOCK)" in stamp
    assert "--require-hashes --no-deps -r $(LOCK)" in makefile
