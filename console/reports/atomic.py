"""Write a file so that the target name only ever holds a complete file.

Data goes to ``.<name>.qconsole-tmp-<pid>`` in the target's own directory
(so the final rename never crosses a file system), is flushed and fsynced, and
is then renamed over the target in one step. An error removes the temporary
file; a process killed outright leaves it behind under that recognisable
hidden name, and the next run for the same target removes leftovers whose
process is gone. A reader of the target sees the old file or the new one,
never half of one.

The target must be a regular file or a new name: a device, FIFO or socket is
refused before anything is written (renaming over ``/dev/null`` would replace
the machine's device with a file). Files hold hall data (PIN hashes, names), so
the temporary is created ``0640`` before any writer opens it, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from console.domain.errors import BadInput

TMP_MARK = ".qconsole-tmp-"
FILE_MODE = 0o640
"""Hall data files: the owner and its group (e.g. the admins) read them, nobody else."""


def refuse_special(target: Path) -> None:
    """Refuse an output target that exists and is not a regular file or a directory."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise BadInput(reason="output.unusable", target=target, detail=exc.strerror) from exc
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        kind = ("fifo" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
                else "device")  # fmt: skip
        raise BadInput(reason=f"output.{kind}", target=target)


def temp_name(target: Path, pid: int | None = None) -> Path:
    return target.with_name(f".{target.name}{TMP_MARK}{pid or os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(target: Path) -> list[Path]:
    """Remove temporary files of earlier runs for ``target`` whose process has died."""
    removed = []
    for p in target.parent.glob(f".{target.name}{TMP_MARK}*"):
        suffix = p.name.rsplit(TMP_MARK, 1)[-1]
        if suffix.isdigit() and int(suffix) != os.getpid() and not _alive(int(suffix)):
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


def fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a directory be fsynced
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write; renamed to ``target`` when the block ends without error."""
    target = Path(target)
    refuse_special(target)
    clean_leftovers(target)
    tmp = temp_name(target)
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE))
        os.chmod(tmp, FILE_MODE)  # an umask may have cleared bits; never wider than this
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
