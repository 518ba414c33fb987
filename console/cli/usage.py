"""The command line's own usage errors as reason codes.

An unknown option or command, a missing argument, a value of the wrong kind, words left
over: the parser (typer's copy of click) says these in English. Each is turned into a
``BadInput`` with a ``usage.*`` reason and its parameters (the command, the option, the
value), so the one line follows ``QCONSOLE_LANG`` like every other refusal and a script
reads the same ``reason`` under ``--json`` in either language.

The parser's exception classes say most of it; three of its errors are plain
``UsageError``\\ s told apart only by their fixed wording (``NO_SUCH_COMMAND``, ``EXTRA``,
``MISSING_COMMAND``). Anything else keeps the parser's words in ``usage.other``, so a
new kind of error is still one line and exit 2 (``tests/cli/test_zh_usage.py`` lists the
known ones and fails if one falls through).
"""

from __future__ import annotations

import re
from typing import Any

from typer._click.exceptions import (  # isort: skip
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)

from console.cli.common import shown
from console.domain.errors import BadInput

NO_SUCH_COMMAND = re.compile(r"^No such command '(?P<name>.*)'\.$", re.S)
EXTRA = re.compile(r"^Got unexpected extra argument\(s\) \((?P<words>.*)\)$", re.S)
MISSING_COMMAND = "Missing command."

WHOLE_NUMBER = frozenset({"int_parsing", "int_type", "int_from_float", "int_parsing_size"})
NUMBER = frozenset({"float_parsing", "float_type", "finite_number"})
YES_NO = frozenset({"bool_parsing", "bool_type"})


def usage_error(exc: UsageError, root: Any, args: list[str]) -> BadInput:
    """The parser's error as a refusal with a ``usage.*`` reason; ``root`` and ``args``
    name the command when the parser's error does not carry it (an option's value)."""
    command, params = command_of(root, args, "qconsole")
    if exc.ctx is not None:
        command, params = exc.ctx.command_path, exc.ctx.command.params
    if isinstance(exc, NoSuchOption):
        if exc.possibilities:
            near = "|".join(sorted(exc.possibilities))
            return BadInput(reason="usage.no_such_option_like", command=command,
                            option=exc.option_name, options=near)  # fmt: skip
        return BadInput(reason="usage.no_such_option", command=command, option=exc.option_name)
    if isinstance(exc, BadOptionUsage):
        flag = any(exc.option_name in p.opts and getattr(p, "is_flag", False) for p in params)
        return BadInput(reason="usage.flag_takes_no_value" if flag else "usage.option_needs_value",
                        command=command, option=exc.option_name)  # fmt: skip
    if isinstance(exc, MissingParameter) and exc.param is not None:
        if exc.param.param_type_name == "option":
            return BadInput(reason="usage.missing_option", command=command,
                            option=_option_name(exc.param))  # fmt: skip
        return BadInput(reason="usage.missing_argument", command=command, name=_name(exc.param))
    if isinstance(exc, BadParameter) and exc.param is not None:
        return _bad_value(exc, command)
    message = exc.format_message()
    if found := NO_SUCH_COMMAND.match(message):
        return BadInput(reason="usage.no_such_command", command=command, name=found["name"])
    if found := EXTRA.match(message):
        return BadInput(reason="usage.extra_arguments", command=command, words=found["words"])
    if message == MISSING_COMMAND:
        return BadInput(reason="usage.missing_command", command=command)
    return BadInput(reason="usage.other", command=command, detail=message)


def not_utf8(argument: str) -> BadInput:
    """An argument whose bytes are not UTF-8 (refused before any command reads it)."""
    return BadInput(reason="usage.not_utf8", argument=argument)


def _bad_value(exc: BadParameter, command: str) -> BadInput:
    """A value the parameter's type refused: the kind it wanted, said from the type."""
    param = exc.param
    name = _option_name(param) if param.param_type_name == "option" else _name(param)
    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    first = errors[0] if errors else {}
    value = shown(str(first.get("input", "")))  # a control character stays escaped in --json
    choices = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if choices:
        return BadInput(reason="usage.not_a_choice", command=command, name=name, value=value,
                        choices="|".join(str(c) for c in choices))  # fmt: skip
    kind = first.get("type", "")
    if kind in WHOLE_NUMBER:
        return BadInput(reason="usage.not_whole_number", command=command, name=name, value=value)
    if kind in NUMBER:
        return BadInput(reason="usage.not_number", command=command, name=name, value=value)
    if kind in YES_NO:
        return BadInput(reason="usage.not_yes_no", command=command, name=name, value=value)
    if first:
        return BadInput(reason="usage.bad_value", command=command, name=name, value=value)
    return BadInput(reason="usage.other", command=command, detail=exc.format_message())


def command_of(root: Any, args: list[str], path: str) -> tuple[str, list[Any]]:
    """The command ``args`` name under ``root`` (its path and parameters): the words that
    are subcommands, in order, skipping options."""
    command = root
    for word in args:
        if word.startswith("-"):
            continue
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        command, path = sub, f"{path} {word}"
    return path, list(command.params)


def _option_name(param: Any) -> str:
    """An option as the user types it: its long form."""
    return max(param.opts, key=len) if param.opts else _name(param)


def _name(param: Any) -> str:
    """An argument as ``--help`` lists it."""
    return getattr(param, "display_name_raw", None) or param.name or "?"
