"""Refuse a database on a network file system.

SQLite's locking is unreliable over NFS, SMB/CIFS and FUSE mounts such as
sshfs, and WAL mode needs shared memory that they cannot provide: two counters
could take the same ticket or the file could be corrupted. The hall server
exists for exactly this case, so the refusal points to it.
"""

from __future__ import annotations

import os
from pathlib import Path

NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smbfs",
        "smb3",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "webdav",
        "sshfs",
        "afpfs",
        "coda",
        "ocfs2",
        "virtiofs",
    }
)


def mounts(mounts_file: str = "/proc/self/mounts") -> list[tuple[str, str]]:
    """(mount point, fs type) pairs, longest mount point first."""
    try:
        text = Path(mounts_file).read_text()
    except OSError:
        return []
    rows = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            point = parts[1].replace("\\040", " ")
            rows.append((point, parts[2]))
    rows.sort(key=lambda r: len(r[0]), reverse=True)
    return rows


def filesystem_of(path: Path, mounts_file: str = "/proc/self/mounts") -> str | None:
    """The file system type holding ``path`` (or its nearest existing parent)."""
    probe = Path(os.path.abspath(path))
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    real = str(probe.resolve())
    for point, fstype in mounts(mounts_file):
        if real == point or real.startswith(point.rstrip("/") + "/"):
            return fstype
    return None


def network_fs_problem(path: Path, mounts_file: str = "/proc/self/mounts") -> str | None:
    """A one-line explanation when ``path`` is on a network or FUSE file system, else None."""
    fstype = filesystem_of(path, mounts_file)
    if fstype is None:
        return None
    if fstype in NETWORK_FS or fstype.startswith("fuse."):
        return (
            f"{path} is on a network file system ({fstype}); SQLite cannot lock it safely "
            "and two counters could take the same ticket. Keep the database on a local disk "
            "of one machine, run `qconsole serve` there, and connect stations with --server."
        )
    return None
