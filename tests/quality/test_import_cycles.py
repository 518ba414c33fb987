"""No two modules under console/ import each other, directly or round a longer loop, even
through an import written inside a function: a reader can start from any module and follow
its imports to the bottom, and a change to one end of a loop never breaks the other end."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "console"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in (ROOT / PACKAGE).rglob("*.py")}


def only_for_type_checkers(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` — names for annotations, never imported when the code runs."""
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import the code can run: at the top, in functions, in branches."""
    found, todo = [], [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if only_for_type_checkers(child):
                todo.extend(child.orelse)  # the else branch does run
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            todo.append(child)
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of this package that ``name`` imports (``from pkg import mod`` counts as
    ``pkg.mod`` when that is a module, else as ``pkg`` itself)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            target = f"{base}.{alias.name}"
            out.add(target if target in known else base)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_checker_finds_a_loop_through_a_function_level_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("def f():\n    import console.x\nif TYPE_CHECKING:\n    import console.y\n")
    assert [ast.unparse(n) for n in runtime_imports(tree)] == ["import console.x"]


def test_no_module_under_console_is_part_of_an_import_cycle():
    edges = graph()
    assert "console.tui.screens.desk" in edges  # the walk found the package
    found = cycles(edges)
    described = [" -> ".join(group) for group in found]
    assert not found, "modules that import each other (round a loop):\n" + "\n".join(described)
