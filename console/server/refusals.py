"""What the hall server answers when it refuses: the error's ``error``, ``reason`` and
``params``, with a ``message`` in the caller's language.

A station renders the reason itself, in its own language. A script or an admin calling the
API by hand reads ``message``: English, or Chinese when the request's ``Accept-Language``
prefers Chinese (read as the citizens' pages read it, but English when it names neither,
as the API has always answered).

The server's request models refuse a body before the engine sees it. Each of their checks
becomes a ``request.*`` or ``field.*`` reason naming the field, which the catalog says in
the reader's language with the field's name translated ("备注 不能为空", "业务 须是文本"),
never in the models' own English ("String should have at least 1 character").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from console.domain import reasons
from console.domain.errors import BadInput, QConsoleError
from console.server.public_text import pick_lang

FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""A field's name in a location; the rest are list indexes and the models' type tags."""
TYPE_TAGS = frozenset({"str", "int", "float", "bool", "list", "dict", "none"})
"""The tags a location carries inside a field that takes one of several types."""
WHERE = frozenset({"body", "query", "path", "header", "cookie"})

SIMPLE = {
    "missing": "request.missing",
    "string_type": "request.not_text",
    "int_type": "request.not_whole_number",
    "int_parsing": "request.not_whole_number",
    "int_from_float": "request.not_whole_number",
    "float_type": "request.not_number",
    "float_parsing": "request.not_number",
    "finite_number": "request.not_number",
    "bool_type": "request.not_yes_no",
    "bool_parsing": "request.not_yes_no",
    "list_type": "request.not_list",
    "dict_type": "request.not_object",
    "model_type": "request.not_object",
    "model_attributes_type": "request.not_object",
    "string_pattern_mismatch": "request.bad_form",
}
"""The models' checks that say all they need with the field's name."""

TYPE_CHECKS = frozenset(code for code in SIMPLE.values() if code.startswith("request.not_"))

MODEL_CHECKS = frozenset({
    *SIMPLE.values(), "request.invalid", "request.body", "request.no_body",
    "request.body_not_object", "request.unknown_field", "request.too_short", "request.too_many",
    "request.at_least", "request.at_most", "request.not_a_choice",
})  # fmt: skip
"""The reasons only the request models give (an empty or too long text is said as the
engine says it, ``field.empty``, ``field.too_long``): a request the API's description
allows must never meet one."""


def caller_lang(accept_language: str | None) -> str:
    """``zh-CN`` when the caller prefers Chinese, else ``en``."""
    return "zh-CN" if pick_lang(None, accept_language, default="en") == "zh" else "en"


def refusal_body(error: QConsoleError, accept_language: str | None) -> dict[str, Any]:
    """The JSON body of a refusal, its message in the caller's language."""
    body = error.to_dict()
    lang = caller_lang(accept_language)
    if lang != "en" and error.reason:
        body["message"] = reasons.render(error.reason, error.params, lang)
    return body


def model_refusal(errors: Sequence[Any]) -> BadInput:
    """The first check the request models refused, as a reason naming its field."""
    first = errors[0] if errors else {}
    kind = str(first.get("type", ""))
    full = list(first.get("loc", ()))
    loc = [p for p in full if p not in WHERE]
    names = [p for p in loc if isinstance(p, str) and FIELD.match(p) and p not in TYPE_TAGS]
    if full[:1] == ["header"] and loc:  # a header's name, as sent (Idempotency-Key)
        names = [str(loc[0])]
    what = names[-1] if names else ""
    ctx = first.get("ctx") or {}
    if kind == "json_invalid":
        return BadInput(reason="request.body")
    if not what and kind == "missing":
        return BadInput(reason="request.no_body")
    if not what:  # the body as a whole is not an object
        return BadInput(reason="request.body_not_object")
    if kind == "extra_forbidden":  # the caller's own word, not one of ours to translate
        return BadInput(reason="request.unknown_field", name=what)
    union = len(names) < len([p for p in loc if isinstance(p, str)])
    if kind == "string_too_short":
        min_len = ctx.get("min_length", 1)
        if min_len == 1:  # as the engine says it of an empty field
            return BadInput(reason="field.empty", what=what)
        return BadInput(reason="request.too_short", what=what, min_len=min_len)
    if kind == "string_too_long":
        return BadInput(reason="field.too_long", what=what, max_len=ctx.get("max_length", 0))
    if kind == "too_long":
        return BadInput(reason="request.too_many", what=what, max_len=ctx.get("max_length", 0))
    if kind == "greater_than_equal":
        return BadInput(reason="request.at_least", what=what, min=ctx.get("ge", ""))
    if kind == "less_than_equal":
        return BadInput(reason="request.at_most", what=what, max=ctx.get("le", ""))
    if kind in ("literal_error", "enum"):
        choices = re.findall(r"'([^']*)'|(\d+)", str(ctx.get("expected", "")))
        return BadInput(reason="request.not_a_choice", what=what,
                        choices="|".join(a or b for a, b in choices))  # fmt: skip
    code = SIMPLE.get(kind, "request.invalid")
    if union and code in TYPE_CHECKS:  # one of several types: naming one would mislead
        code = "request.invalid"
    return BadInput(reason=code, what=what)
