"""Write a file so that the target name only ever holds a complete file.

Data goes to ``.<name>.qconsole-tmp-<pid>`` in the target's own directory
(so the final rename never crosses a file system), is flushed and fsynced, and
is then renamed over the target in one step. An error removes the temporary
file; a process killed outright leaves it behind under that recognisable
hidden name, and the next run for the same target removes leftovers whose
process is gone. A reader of the target sees the old file or the new one,
never half of one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

TMP_MARK = ".qconsole-tmp-"


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
    clean_leftovers(target)
    tmp = temp_name(target)
    try:
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
