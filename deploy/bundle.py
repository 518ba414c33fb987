"""Build the offline install bundle: the qconsole wheel and, per platform, the exact
dependency wheels ``uv.lock`` pins, so a government intranet without a package index
installs the versions the tests ran.

    uv run python deploy/bundle.py --out dist/bundle              # every platform
    uv run python deploy/bundle.py --out dist/bundle --platform linux-x86_64

Each platform folder holds every wheel it needs (qconsole's own included) and its
``requirements.txt``; ``INSTALL.txt`` gives the one-line install for each. Needs the
network (PyPI) once, where the bundle is built; never where it is installed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = "3.11"


def manylinux(arch: str) -> tuple[str, ...]:
    """The manylinux tags a glibc 2.28 machine takes (Debian 10+, UOS 20, Kylin V10):
    pip's ``--platform`` takes each tag as written, not the older ones it implies."""
    glibc = [f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)]
    return (*glibc, f"manylinux2014_{arch}")


@dataclass(frozen=True)
class Platform:
    """A kind of machine a hall runs qconsole on."""

    name: str
    uv_platform: str
    """uv's ``--python-platform`` target, to resolve the dependencies for it."""
    wheel_tags: tuple[str, ...]
    """pip's ``--platform`` tags, to download the binary wheels for it."""
    extras: str
    """What is installed there: the server's parts (Litestream) only where they exist."""
    install: str


PLATFORMS = (
    Platform(
        "linux-x86_64", "x86_64-manylinux_2_28",
        manylinux("x86_64"), "[server]",
        "python3 -m venv /opt/qconsole && /opt/qconsole/bin/pip install --no-index "
        "--find-links linux-x86_64 'qconsole[server]'",
    ),
    Platform(
        "linux-aarch64", "aarch64-manylinux_2_28",
        manylinux("aarch64"), "[server]",
        "python3 -m venv /opt/qconsole && /opt/qconsole/bin/pip install --no-index "
        "--find-links linux-aarch64 'qconsole[server]'",
    ),
    Platform(
        "windows-x86_64", "x86_64-pc-windows-msvc",
        ("win_amd64",), "",
        r"py -3.11 -m venv C:\qconsole && C:\qconsole\Scripts\pip install --no-index "
        r"--find-links windows-x86_64 qconsole",
    ),
)  # fmt: skip


def run(*args: str, cwd: Path = ROOT) -> None:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:3])} … failed:\n{done.stderr.strip()[-3000:]}")


def pip() -> list[str]:
    """A pip to download with: this Python's, else one run by uv."""
    probe = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
    if probe.returncode == 0:
        return [sys.executable, "-m", "pip"]
    return [shutil.which("uvx") or "uvx", "pip"]


def build(out: Path, platforms: list[Platform]) -> None:
    uv = shutil.which("uv") or sys.exit("uv is needed to build the bundle (docs/admin.md)")
    out.mkdir(parents=True, exist_ok=True)
    run(uv, "build", "--wheel", "--out-dir", str(out))
    wheel = max(out.glob("qconsole-*.whl"), key=lambda p: p.stat().st_mtime)
    constraints = out / "constraints.txt"
    run(uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
        "--all-extras", "--quiet", "-o", str(constraints))  # fmt: skip
    lines = []
    for plat in platforms:
        folder = out / plat.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        requirements = folder / "requirements.txt"
        spec = ["pyproject.toml"] + (["--extra", "server"] if plat.extras else [])
        run(uv, "pip", "compile", *spec, "-c", str(constraints), "--python-platform",
            plat.uv_platform, "--python-version", PYTHON, "--only-binary", ":all:",
            "--no-header", "--no-annotate", "--quiet", "-o", str(requirements))  # fmt: skip
        tags = [arg for tag in plat.wheel_tags for arg in ("--platform", tag)]
        run(*pip(), "download", "--quiet", "--disable-pip-version-check", "--no-deps",
            "--only-binary", ":all:", *tags, "--python-version", PYTHON,
            "--implementation", "cp", "-r", str(requirements), "-d", str(folder))  # fmt: skip
        shutil.copy2(wheel, folder / wheel.name)
        lines.append(f"{plat.name}:\n    {plat.install}\n")
    (out / "INSTALL.txt").write_text(
        f"qconsole {wheel.name.split('-')[1]}: offline install, from this folder.\n"
        "The dependencies are the versions uv.lock pins (constraints.txt).\n\n" + "\n".join(lines),
        encoding="utf-8",
    )
    print(f"bundle → {out} ({', '.join(p.name for p in platforms)})")


def main() -> None:
    names = [p.name for p in PLATFORMS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "bundle")
    parser.add_argument("--platform", action="append", choices=names,
                        help="only these platforms (default: all)")  # fmt: skip
    args = parser.parse_args()
    chosen = [p for p in PLATFORMS if p.name in (args.platform or names)]
    build(args.out.resolve(), chosen)


if __name__ == "__main__":
    main()
