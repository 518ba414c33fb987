"""Writes the typed methods of ``LocalHall`` and ``RemoteHall`` from the one declaration.

An operation is written in the engine, named in the interface
(``console.service.HallService``) and declared for the server
(``console.server.operations``). The two façades' methods follow from those,
so they are generated, not written by hand; but they are generated into the
source (``console/local_operations.py``, ``console/remote_operations.py``),
so that a reader, an editor's go-to-definition and a type checker see each
method with its arguments and its answer.

Run ``uv run python -m console.facades`` after changing the interface, the
declarations or the engine's public methods; ``tests/quality/test_facades.py``
fails while the committed files differ from what this writes.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import console.domain
import console.service
from console.engine import Engine
from console.server.operations import BY_NAME, OPERATIONS
from console.service import HallService

HERE = Path(__file__).resolve().parent
LOCAL = HERE / "local_operations.py"
REMOTE = HERE / "remote_operations.py"
HAND_WRITTEN_LOCAL = frozenset({"wait_for_change", "close"})
"""Interface methods ``LocalHall`` writes itself: they are about the connection, not the engine."""
DOC_WIDTH = 86


class Method:
    """One method as its source says it: name, parameters, answer, docstring and the module
    whose names its annotations use."""

    def __init__(self, name: str, fn: Callable[..., Any], module: ModuleType) -> None:
        source = textwrap.dedent(inspect.getsource(fn))
        node = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef))
        self.name = name
        """The façade's name for it (an engine may name a room's method otherwise)."""
        self.node = node
        self.module = module
        self.doc = " ".join((inspect.getdoc(fn) or "").split("\n\n")[0].split())
        arguments = node.args
        if arguments.vararg or arguments.posonlyargs:
            raise SystemExit(f"{self.name}: *args or positional-only parameters cannot be sent")
        self.positional = [a.arg for a in arguments.args[1:]]
        self.keyword_only = [a.arg for a in arguments.kwonlyargs]
        self.loose = arguments.kwarg.arg if arguments.kwarg else None

    @property
    def named(self) -> list[str]:
        return self.positional + self.keyword_only

    def signature(self) -> str:
        returns = f" -> {ast.unparse(self.node.returns)}" if self.node.returns else ""
        return f"def {self.name}({ast.unparse(self.node.args)}){returns}:"

    def names(self) -> set[str]:
        """The names the signature's annotations and defaults use."""
        found: set[str] = set()
        parts = [self.node.args, self.node.returns]
        for part in parts:
            if part is not None:
                found |= {n.id for n in ast.walk(part) if isinstance(n, ast.Name)}
        return found - {"self"}

    def keywords(self) -> str:
        """Every argument passed by its name (``a=a, b=b, **fields``)."""
        passed = [f"{name}={name}" for name in self.named]
        if self.loose:
            passed.append(f"**{self.loose}")
        return ", ".join(passed)


def _docstring(text: str) -> str:
    lines = textwrap.wrap(text, DOC_WIDTH) or [""]
    lines[0] = '"""' + lines[0]
    lines[-1] += '"""'
    return "\n".join("        " + line for line in lines)


def _imports(methods: list[Method]) -> list[str]:
    """``from M import A, B`` lines for every name the signatures use."""
    by_module: dict[str, set[str]] = {}
    exported = set(console.domain.__all__)
    for method in methods:
        for name in method.names():
            if hasattr(builtins, name) or name == "None":
                continue
            value = getattr(method.module, name)
            home = "console.domain" if name in exported else value.__module__
            by_module.setdefault(home, set()).add(name)
    return [f"from {home} import {', '.join(sorted(names))}" for home, names in by_module.items()]


def interface_methods() -> list[Method]:
    """The interface's methods, in the order the interface lists them."""
    return [
        Method(name, value, console.service)
        for name, value in vars(HallService).items()
        if callable(value) and not name.startswith("_")
    ]


def engine_only_methods() -> list[Method]:
    """The engine's public methods the interface does not name (the public pages, the purge,
    a failover's record): an in-process caller reaches them through ``LocalHall`` too."""
    named = {name for name in vars(HallService) if not name.startswith("_")}
    found = []
    for name in sorted(dir(Engine)):
        value = getattr(Engine, name)
        if name.startswith("_") or name in named or not inspect.isfunction(value):
            continue
        found.append(Method(name, value, sys.modules[value.__module__]))
    return found


HEADER = '''"""{doc}

Generated by ``uv run python -m console.facades`` from {sources}:
do not edit; ``tests/quality/test_facades.py`` fails while this file differs from what
it writes.
"""

from __future__ import annotations

'''


def local_source() -> str:
    methods = [m for m in interface_methods() if m.name not in HAND_WRITTEN_LOCAL]
    methods += engine_only_methods()
    out = [
        HEADER.format(
            doc="Every operation and view of the engine as a typed method of ``LocalHall``.",
            sources="``console.service.HallService``\nand the engine's public methods",
        ),
        "import abc\nfrom collections.abc import Callable\nfrom typing import Any\n",
        *_imports(methods),
        "from console.engine import Engine\n\n",
        "class LocalOperations(abc.ABC):",
        '    """The engine\'s operations, each run under the hall\'s lock (each write states its'
        ' own\n    idempotency scope: ``console.engine.commands.keyed``)."""\n',
        "    engine: Engine\n",
        "    @abc.abstractmethod",
        "    def _run(self, method: Callable[..., Any], /, **arguments: Any) -> Any:",
        '        """``method(**arguments)``, one of the engine\'s, holding the hall for it."""\n',
    ]
    for method in methods:
        arguments = method.keywords()
        out += [
            "    " + method.signature(),
            _docstring(method.doc or _declared_doc(method.name)),
            f"        return self._run(self.engine.{method.name}"
            + (f", {arguments})\n" if arguments else ")\n"),
        ]
    return _formatted("\n".join(out), LOCAL)


def remote_source() -> str:
    interface = {m.name: m for m in interface_methods()}
    methods = [interface[op.name] for op in OPERATIONS if op.remote]
    out = [
        HEADER.format(
            doc="Every declared operation as a typed method of ``RemoteHall``.",
            sources="``console.service.HallService``\nand ``console.server.operations``",
        ),
        "import abc\nfrom typing import Any\n",
        *_imports(methods),
        "\n",
        "class RemoteOperations(abc.ABC):",
        '    """The hall server\'s operations, each one request (``RemoteHall._call``)."""\n',
        "    @abc.abstractmethod",
        "    def _call(",
        "        self, op: str, arguments: dict[str, Any], fields: dict[str, Any] | None = None",
        "    ) -> Any:",
        '        """Send one declared operation with the interface\'s arguments (and the loose',
        '        fields of an add or an edit); answer what the engine would."""\n',
    ]
    for method in methods:
        values = ", ".join(f'"{name}": {name}' for name in method.named)
        loose = f", {method.loose}" if method.loose else ""
        out += [
            "    " + method.signature(),
            _docstring(method.doc or _declared_doc(method.name)),
            f'        return self._call("{method.name}", {{{values}}}{loose})\n',
        ]
    return _formatted("\n".join(out), REMOTE)


def _declared_doc(name: str) -> str:
    """The declaration's summary (its description is the HTTP reader's: ``/docs``)."""
    op = BY_NAME.get(name)
    return f"{op.summary}." if op else name.replace("_", " ").capitalize() + "."


def _formatted(source: str, path: Path) -> str:
    """``source`` as ruff sorts and formats it (the committed file passes the project's
    checks)."""
    ruff = [sys.executable, "-m", "ruff"]
    where = ["--stdin-filename", str(path)]
    sort = [*ruff, "check", "--fix", "--select", "I,F401", "--quiet", *where]
    fixed = subprocess.run(sort, input=source, capture_output=True, text=True, check=False)
    formatted = subprocess.run([*ruff, "format", "--quiet", *where], input=fixed.stdout or source,
                               capture_output=True, text=True, check=True)  # fmt: skip
    return formatted.stdout


def main() -> None:
    for path, source in ((LOCAL, local_source()), (REMOTE, remote_source())):
        if not path.exists() or path.read_text(encoding="utf-8") != source:
            path.write_text(source, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
