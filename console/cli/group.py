"""The root command group: how ``qconsole`` reads its command line.

Usage errors (an unknown option, a value that is not a number, a choice not in
the list) are one line on stderr, a JSON object under ``--json``, and exit 2,
like every other bad input, each with its ``usage.*`` reason code and said in
the language ``QCONSOLE_LANG`` names (``console.cli.usage``); arguments that are
not valid UTF-8 are refused before any command sees them. Flags are listed in help
without a ``<bool>`` type, since they take no value.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from typer.core import TyperGroup
from typer.exceptions import Abort, TyperException

# typer carries its own copy of click; its usage errors are these classes
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # isort: skip

from console.cli.common import cli_lang, error_line, shown
from console.cli.usage import not_utf8, usage_error
from console.domain import reasons
from console.domain.errors import BadInput


class QconsoleGroup(TyperGroup):
    """The ``qconsole`` group: one-line usage errors, flags shown as flags."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        bad = _not_utf8(args)
        if bad is not None:
            _bad_usage(not_utf8(shown(bad)), args)
        bad = next((arg for arg in args if "\0" in arg), None)
        if bad is not None:  # only a caller in-process can pass one: argv cannot hold a NUL
            _bad_usage(BadInput(reason="usage.nul_character", argument=shown(bad)), args)
        _show_flags_as_flags(self)
        try:
            rc = super().main(args, prog_name or "qconsole", complete_var, False, **extra)
        except NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except UsageError as exc:
            _bad_usage(usage_error(exc, self, args), args)
        except TyperException as exc:
            _bad_usage(BadInput(reason="usage.other", command="qconsole",
                                detail=exc.format_message()), args)  # fmt: skip
        except Abort:
            print(f"qconsole: {reasons.render('usage.aborted', {}, cli_lang())}", file=sys.stderr)
            sys.exit(1)
        sys.exit(rc if type(rc) is int else 0)


def _show_flags_as_flags(root: Any) -> None:
    todo = [root]
    while todo:
        cmd = todo.pop()
        todo.extend(getattr(cmd, "commands", {}).values())
        for param in cmd.params:
            if getattr(param, "is_flag", False):
                param.metavar = ""
        cmd.get_help_option = _flag_help_option(cmd.get_help_option)


def _flag_help_option(make: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``--help`` is made afresh for each context: shown as a flag too."""

    def help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.metavar = ""
        return option

    return help_option


def _not_utf8(args: list[str]) -> str | None:
    """The first argument that was not valid UTF-8 (Python keeps such bytes as surrogates)."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg
    return None


def _bad_usage(error: BadInput, args: list[str]) -> None:
    """A usage error as one line (a JSON object with its reason under --json), exit 2."""
    message = shown(error_line(error))
    if "--json" in args:
        print(json.dumps({**error.to_dict(), "message": message}, ensure_ascii=False),
              file=sys.stderr)  # fmt: skip
    else:
        print(f"qconsole: {message}", file=sys.stderr)
    sys.exit(2)
