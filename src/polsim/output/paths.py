"""Paths the user gives for outputs: checked once, before any work, with one line.

Every command that writes (``run``, the experiments, ``report --out``, ``serve
--runs-dir``) calls :func:`check_output_path` first. It refuses, touching nothing,
a path that holds a NUL byte, a name longer than the file system allows, a parent
that is a file, and a place where nothing can be created (a read-only or virtual
file system such as ``/proc``, or one without permission). Whether a place is
writable is asked of the file system itself (a hidden probe folder is made and
removed at once), since permission bits say nothing to root or on ``/proc``.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from polsim.errors import OutputError

__all__ = ["check_output_path", "entries_text", "shown_path"]

#: Longest file name and path on Linux file systems (``NAME_MAX``, ``PATH_MAX``).
NAME_MAX = 255
PATH_MAX = 4095
#: Bytes a hidden temporary name adds to the output's own (``.NAME.partial-<pid>-XXXXXXXX``).
TEMPORARY_ROOM = 40


def shown_path(path: str | os.PathLike[str], width: int = 80) -> str:
    """A path as a message shows it: cut in the middle when longer than ``width``."""
    text = os.fspath(path).replace("\0", "\\0")
    if len(text) <= width:
        return text
    keep = (width - 3) // 2
    return f"{text[:keep]}...{text[-keep:]}"


def entries_text(names: list[str]) -> str:
    """``"2 entries (notes.txt, sub)"``: how many names, and the first three of them."""
    listed = ", ".join(shown_path(n, 32) for n in names[:3]) + (", ..." if len(names) > 3 else "")
    return f"{len(names)} {'entry' if len(names) == 1 else 'entries'} ({listed})"


def check_output_path(
    path: str | os.PathLike[str], flag: str = "--out", kind: str = "folder"
) -> Path:
    """Fail with one line unless a ``kind`` ("folder" or "file") could be written at ``path``.

    The place itself may exist (what may be replaced there is the caller's rule) or not;
    its missing parents may be missing too. Returns the path, absolute.
    """
    text = os.fspath(path)
    label = f"{flag} {shown_path(text)}"
    if "\0" in text:
        raise OutputError(f"{label}: the path contains a NUL byte")
    if not text:
        raise OutputError(f"{flag}: the path is empty")
    target = Path(text).absolute()
    longest = max((len(os.fsencode(part)) for part in target.parts), default=0)
    if longest > NAME_MAX:
        raise OutputError(
            f"{label}: a name in the path is {longest} bytes long; the limit is {NAME_MAX}"
        )
    last = len(os.fsencode(target.name))
    if last > NAME_MAX - TEMPORARY_ROOM:
        raise OutputError(
            f"{label}: its last name is {last} bytes long; polsim writes through a hidden "
            f"temporary name {TEMPORARY_ROOM} bytes longer, so the limit is "
            f"{NAME_MAX - TEMPORARY_ROOM}"
        )
    if len(os.fsencode(str(target))) + TEMPORARY_ROOM > PATH_MAX:
        raise OutputError(f"{label}: the path is longer than {PATH_MAX} bytes")
    exists = _exists(target, label)
    if exists:
        if kind == "file" and target.is_dir():
            raise OutputError(
                f"{label}: is a folder; give the report a file name, e.g. "
                f"{shown_path(Path(text) / 'report.html')}"
            )
        if kind == "folder" and not target.is_dir():
            raise OutputError(f"{label}: is a file, not a folder")
    parent = target.parent
    while not _exists(parent, label):
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{label}: {shown_path(parent)} is a file, not a folder")
    _probe(parent, label)
    if exists and kind == "folder":  # experiments and the dashboard write inside it
        _probe(target, label)
    return target


def _exists(path: Path, label: str) -> bool:
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        return False
    except OSError as error:
        raise OutputError(f"{label}: cannot be looked at ({_reason(error)})") from None
    return True


def _probe(folder: Path, label: str) -> None:
    """Make and remove a hidden folder in ``folder``: the file system's own answer."""
    try:
        probe = tempfile.mkdtemp(prefix=".polsim-probe-", dir=folder)
    except OSError as error:
        raise OutputError(
            f"{label}: cannot create anything in {shown_path(folder)} ({_reason(error)})"
        ) from None
    os.rmdir(probe)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOENT:  # mkdir in an existing folder: a virtual file system
        return "it is not a real folder"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (error.strerror or str(error)).lower()
