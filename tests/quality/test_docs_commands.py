"""Every ``qconsole …`` command the README and docs/*.md show is one the program has.

A reader copies a command from the docs; a renamed command or option must fail here, not
in a hall. Each command line of a code block (and each inline code span that starts with
``qconsole``) is resolved against typer's command tree without running it: the
subcommands must exist, every option shown must belong to that command (or a group above
it), and ``qconsole <subcommand…> --help`` must exit 0. Synopsis lines are read as the
docs write them: ``a|b`` alternatives of a subcommand, ``[…]`` optional parts, `` | ``
between alternatives, annotations after three spaces, ``\\`` continuations.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Literal, Union, get_args, get_origin

import pytest
import typer
from typer.testing import CliRunner

from console.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PIPES = {"jq", "head", "less", "tee", "grep", "wc", "sort", "gzip", "xargs"}
"""Programs a shown command is piped into: `` | jq`` ends a command, it is no alternative."""
SHELL_SEPARATORS = re.compile(r"\s(?:&&|;|&)\s|\s&$|\$\(")


@dataclass(frozen=True)
class Shown:
    """A command as a page shows it: where, and its words after ``qconsole``."""

    where: str
    words: tuple[str, ...]


def _code_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines of fenced and indented code blocks, and inline spans starting with qconsole."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            yield number, line
        else:
            for span in re.findall(r"`(qconsole [^`]+)`", line):
                yield number, span


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Code lines joined across ``\\`` and a synopsis's indented ``[--option]`` lines."""
    pending: tuple[int, str] | None = None
    for number, line in _code_lines(text):
        line = re.sub(r"(^|\s)#(\s.*|$)", "", line).rstrip()
        stripped = line.strip().removeprefix("+ ").strip()
        if pending is not None and pending[1].endswith("\\"):
            pending = (pending[0], pending[1][:-1] + " " + stripped)
            continue
        if pending is not None and line[:1].isspace() and stripped[:1] in ("[", "-"):
            pending = (pending[0], pending[1] + " " + stripped)
            continue
        if pending is not None:
            yield pending
        pending = (number, line.strip())
    if pending is not None:
        yield pending


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:  # an unbalanced quote in a synopsis: plain words are enough
        return command.split()


def shown_commands(text: str, name: str) -> Iterator[Shown]:
    """Each ``qconsole`` invocation in a page's code, as alternatives of words."""
    for number, line in _logical_lines(text):
        line = re.split(r"\s{3,}", line)[0]  # a synopsis's aligned annotation
        for part in SHELL_SEPARATORS.split(line):
            words = _words(part.replace("[", " ").replace("]", " ").replace("…", " "))
            while words and (re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0])
                             or words[0] in ("uv", "run", "sudo", "exec")):  # fmt: skip
                words = words[3:] if words[0] == "sudo" and words[1:2] == ["-u"] else words[1:]
            if not words or Path(words[0]).name != "qconsole":
                continue
            yield Shown(f"{name}:{number}", tuple(w for w in words[1:] if w not in ("...", "")))


Command = typer.core.TyperCommand | typer.core.TyperGroup


def _subcommand(group: Command, word: str) -> Command | None:
    return getattr(group, "commands", {}).get(word)


def _options(chain: list[Command]) -> set[str]:
    names = {"--help"}
    for command in chain:
        for param in command.params:
            names.update(param.opts, param.secondary_opts)
    return names


def _choices(chain: list[Command]) -> dict[str, tuple[str, ...]]:
    """The options of ``chain`` that take one of a fixed set of values, and those values."""
    found: dict[str, tuple[str, ...]] = {}
    for command in chain:
        for param in command.params:
            listed = _literal(getattr(param.type_descriptor, "annotation", None))
            if listed and not param.is_flag:
                found.update({name: listed for name in param.opts})
    return found


def _literal(annotation: object) -> tuple[str, ...]:
    """The values of a ``Literal[...]`` annotation (also inside ``X | None``), else ()."""
    if get_origin(annotation) is Literal:
        return tuple(map(str, get_args(annotation)))
    if get_origin(annotation) in (Union, UnionType):
        return tuple(value for arg in get_args(annotation) for value in _literal(arg))
    return ()


def check(shown: Shown, tree: Command) -> tuple[list[str], set[tuple[str, ...]]]:
    """The problems of one shown command, and the command paths it names."""
    problems: list[str] = []
    paths: set[tuple[str, ...]] = set()
    segments: list[list[str]] = [[]]
    for word in shown.words:
        if word == "|":
            segments.append([])
        else:
            segments[-1].append(word)
    first: list[str] = []  # the path of the first alternative: later ones reach from it
    for index, segment in enumerate(segments):
        if not segment:
            continue
        if index and not segment[0].startswith("-"):
            if segment[0] in PIPES:
                break
            start = next((first[:n] for n in range(len(first), -1, -1)
                          if _walk(tree, first[:n] + segment[:1])), first[:-1])  # fmt: skip
        else:
            start = list(first)
        for path in _expand(start + _leading_words(tree, start, segment)):
            found, chain = _resolve(tree, path)
            if found is None:
                problems.append(f"{shown.where}: no command `qconsole {' '.join(path)}`")
                continue
            paths.add(tuple(path))
            known = _options(chain)
            choices = _choices(chain)
            for word, value in zip(segment, [*segment[1:], ""], strict=True):
                for option in word.split("/"):
                    option = option.split("=", 1)[0]
                    if re.fullmatch(r"--?[A-Za-z][\w-]*", option) and option not in known:
                        problems.append(
                            f"{shown.where}: `qconsole {' '.join(path)}` has no option {option}"
                        )
                allowed = choices.get(word)
                if allowed and value and not value.startswith("-") and not value.isupper():
                    problems += [
                        f"{shown.where}: `qconsole {' '.join(path)} {word}` takes no {one!r}"
                        for one in value.split("|")
                        if one not in allowed
                    ]
            if index == 0:
                first = path
    return problems, paths


def _leading_words(tree: Command, start: list[str], segment: list[str]) -> list[str]:
    """The words of a segment that name subcommands (``a|b`` alternatives included)."""
    taken: list[str] = []
    for word in segment:
        node = _walk(tree, start + taken)
        if not hasattr(node, "commands") or word.startswith("-"):
            break
        taken.append(word)
    return taken


def _walk(tree: Command, path: list[str]) -> Command | None:
    node: Command | None = tree
    for word in path:
        node = _subcommand(node, word.split("|")[0]) if node is not None else None
    return node


def _expand(path: list[str]) -> Iterator[list[str]]:
    if not path:
        yield []
        return
    for head in path[0].split("|"):
        for rest in _expand(path[1:]):
            yield [head, *rest]


def _resolve(tree: Command, path: list[str]) -> tuple[Command | None, list]:
    chain = [tree]
    for word in path:
        node = _subcommand(chain[-1], word)
        if node is None:
            return None, chain
        chain.append(node)
    return chain[-1], chain


def _everything_shown() -> list[Shown]:
    return [
        shown
        for page in PAGES
        for shown in shown_commands(page.read_text(encoding="utf-8"), page.name)
    ]


def test_the_docs_show_many_commands() -> None:
    """The reader finds what they copy: the parser sees the pages' commands at all."""
    shown = _everything_shown()
    assert len(shown) > 150
    assert {s.words[:1] for s in shown} >= {("tickets",), ("serve",), ("export",), ("desk",)}


def test_every_command_and_option_the_docs_show_exists() -> None:
    tree = typer.main.get_command(app)
    problems: list[str] = []
    paths: set[tuple[str, ...]] = set()
    for shown in _everything_shown():
        found, named = check(shown, tree)
        problems += found
        paths |= named
    assert not problems, "\n".join(problems)
    runner = CliRunner()
    for path in sorted(paths):
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        ("    qconsole tickets teleport A023", "no command `qconsole tickets teleport`"),
        ("```\nqconsole services list|add|rename\n```", "no command `qconsole services rename`"),
        ("`qconsole report --day today --colour`", "has no option --colour"),
        ("    qconsole desk 3 [--db PATH | --server URL] [--volume N]", "has no option --volume"),
        ("    qconsole tickets list | frobnicate", "frobnicate`"),
        ("    qconsole export --day D --what tickets|people --out F", "takes no 'people'"),
        ("```sh\nexport X=1 && uv run qconsole serve \\\n    --port 1 --tls-chain F\n```",
         "has no option --tls-chain"),
    ],
)  # fmt: skip
def test_a_page_naming_what_does_not_exist_fails(page: str, problem: str) -> None:
    tree = typer.main.get_command(app)
    found = [p for shown in shown_commands(page, "page.md") for p in check(shown, tree)[0]]
    assert any(problem in p for p in found), found


def test_pipes_comments_and_alternatives_are_read_as_the_docs_mean_them() -> None:
    tree = typer.main.get_command(app)
    page = """```
qconsole export --day today --what events --format jsonl --out - | jq -c .   # a pipe
qconsole tickets resume COUNTER TICKET | cancel TICKET
qconsole desk COUNTER | floor | reception | board           [--lang] (annotation)
qconsole services|counters list
sudo -u qconsole QCONSOLE_DB=/var/lib/qconsole/hall.db qconsole init
useradd --system --home /var/lib/qconsole qconsole
```"""
    shown = list(shown_commands(page, "page.md"))
    assert len(shown) == 5
    found: set[tuple[str, ...]] = set()
    for one in shown:
        problems, paths = check(one, tree)
        assert not problems, problems
        found |= paths
    assert {("tickets", "cancel"), ("board",), ("counters", "list"), ("init",)} <= found


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation gone, - for spaces."""
    text = page.read_text(encoding="utf-8")
    headings = re.findall(r"^#{1,6} (.+)$", re.sub(r"```.*?```", "", text, flags=re.S), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_every_link_between_the_pages_leads_somewhere() -> None:
    """The reference moved into docs/: a link to a file or a heading that is not there fails."""
    broken = []
    for page in PAGES:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            missing = not file.exists()
            if missing or (anchor and file.suffix == ".md" and anchor not in _anchors(file)):
                broken.append(f"{page.name}: {target}")
    assert not broken, broken


REPO_PATH = re.compile(
    r"(?<![\w/.-])((?:console|printers|tests|bench|schemas|deploy|docs|examples|\.ci)/[\w./*<>{}-]*)"
)
"""A path into the repository as a page writes it (a glob or a placeholder is not checked)."""
INSTALLED_ONLY = {"console/schemas/"}
"""Paths the pages name inside the installed wheel, not in a checkout."""


def test_every_file_the_pages_name_is_there() -> None:
    """Rooms move (``console/engine/…``, a test file renamed): a page that names a file or
    folder of the repository that is no longer there fails, so the map stays true."""
    missing = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for found in re.findall(REPO_PATH, text):
            path = found.split("::")[0].rstrip(",.")
            if any(c in path for c in "*<>{}") or path in INSTALLED_ONLY:
                continue
            if not (ROOT / path).exists():
                missing.append(f"{page.name}: {path}")
    assert not missing, missing
