"""Each field's limit is declared once (``console.domain.fields``) and the engine checks it
through that declaration.

The hall server's models document these limits and leave the refusing to the engine, so
the engine must check a declared field with its declaration, not with a limit of its
own: a literal check of a declared field (``text(value, "clerk name", 60)``), or a
declaration the engine never uses, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from console.domain import fields
from console.server import schemas

ROOT = Path(__file__).resolve().parents[2]
CHECKS = {"text", "note"}
"""The engine's checks of fields that are not declared (import rows, a comment)."""
DECLARED = {
    name: field
    for name, field in vars(fields).items()
    if isinstance(field, fields.Text | fields.Note | fields.Minutes)
}


def _engine() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted((ROOT / "console" / "engine").rglob("*.py"))]  # fmt: skip


def test_the_engine_checks_no_declared_field_with_a_limit_of_its_own():
    whats = {field.what for field in DECLARED.values()}
    literal = []
    for path, tree in _engine():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            what = node.args[1]
            if name in CHECKS and isinstance(what, ast.Constant) and what.value in whats:
                literal.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not literal, "check these with console.domain.fields:\n" + "\n".join(literal)


def test_every_declared_field_is_checked_by_the_engine():
    used = {node.attr for _, tree in _engine() for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)}  # fmt: skip
    named = {name for name, field in DECLARED.items() if field in fields.NAMED.values()}
    assert set(DECLARED) - used - named == set(), "a declared field the engine never checks"


def test_the_servers_models_document_the_declared_limits():
    assert schemas.ClerkIn.model_json_schema()["properties"]["name"]["maxLength"] == (
        fields.CLERK_NAME.max_len
    )
    finish = schemas.FinishIn.model_json_schema()
    assert finish["properties"]["materials"]["items"]["maxLength"] == fields.MATERIAL.max_len
