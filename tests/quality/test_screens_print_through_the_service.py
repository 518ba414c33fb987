"""Screens print through the one service interface, never through the hall file.

A station's screen talks to ``HallService``: the engine in-process (``--db``) or the
hall server (``--server``). Its print worker is no exception: claiming a job, keeping
its lease and reporting the outcome are service operations, so the screen prints the
same way in both cases and never opens the database itself. The rule read here: no
module under ``console/tui`` (nor ``console.printing``, the worker loop a screen runs)
imports the store, the engine (its clock, a plain value, aside), the in-process service
or the database side of printing (``console.printing_local``), or opens a connection.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = ("console.store", "console.engine", "console.local", "console.printing_local")
"""Packages a screen's printing must not reach (a prefix matches its submodules too)."""
ALLOWED = ("console.engine.clock",)
"""The hall's clock: a value the service hands out, not a way into the database."""
DATABASE_NAMES = {"LocalJobs", "local_printers", "print_now", "build_slip", "printer_config"}
"""What ``console.printing`` offered over the hall file before a screen printed through
the service: imported from anywhere by a screen, it is the file's side of printing."""


def imported(source: str) -> list[tuple[int, str, set[str]]]:
    """(line, module, names) of every import in ``source``, at any depth."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module, {alias.name for alias in node.names}))
    return found


def opens_a_connection(source: str) -> list[int]:
    """Lines that call ``connect(...)`` (the store's or sqlite3's)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "connect":
                lines.append(node.lineno)
    return lines


def troubles(path: Path, root: Path = ROOT) -> list[str]:
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(root)
    found = []
    for line, module, names in imported(source):
        reaches = any(module == f or module.startswith(f + ".") for f in FORBIDDEN)
        if reaches and module not in ALLOWED:
            found.append(f"{where}:{line} imports {module}")
        if names & DATABASE_NAMES:
            found.append(f"{where}:{line} imports {sorted(names & DATABASE_NAMES)} from {module}")
    found += [f"{where}:{line} opens a database connection" for line in opens_a_connection(source)]
    return found


def screen_side() -> list[Path]:
    return sorted([*ROOT.glob("console/tui/**/*.py"), ROOT / "console/printing.py"])


def test_the_rule_sees_what_it_is_about(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from console.engine.clock import Clock\n"
        "def start(path):\n"
        "    from console.printing import LocalJobs, PrintWorker\n"
        "    from console.store import connect\n"
        "    import console.engine.print_jobs\n"
        "    return connect(path)\n",
        encoding="utf-8",
    )
    said = troubles(sample, tmp_path)
    assert len(said) == 4, said
    assert not any("console.engine.clock" in line for line in said)


def test_no_screen_reaches_the_database_to_print() -> None:
    found = [trouble for path in screen_side() for trouble in troubles(path)]
    assert found == [], "\n".join(found)
