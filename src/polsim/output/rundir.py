"""Run folders: where a run's files go, and how they get there without losing any.

A run folder is written whole or not at all: files go to a hidden sibling folder
first, which is then renamed into place. An existing, non-empty run folder is never
overwritten unless the caller forces it; even then the old folder is only removed
after the new one is in place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from polsim.errors import OutputError

__all__ = ["check_run_dir", "default_run_dir", "file_sha256", "write_run_dir"]


def default_run_dir(scenario: str, seed: int, now: datetime, root: Path = Path("runs")) -> Path:
    """``runs/<scenario>-<seed>-<YYYYmmdd-HHMMSS>``."""
    return root / f"{scenario}-{seed}-{now.strftime('%Y%m%d-%H%M%S')}"


def check_run_dir(path: Path, force: bool = False) -> None:
    """Fail early, with one line, if a run could not be saved at ``path``."""
    if path.exists() and not path.is_dir():
        raise OutputError(f"--out {path}: exists and is not a folder")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise OutputError(
            f"--out {path}: a run folder already exists there; use --force to replace it"
        )
    parent = _nearest_existing(path)
    if not parent.is_dir():
        raise OutputError(f"--out {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {path}: cannot write in {parent} (permission denied)")


def write_run_dir(path: Path, write_files: Callable[[Path], None], force: bool = False) -> Path:
    """Write a run folder atomically: ``write_files(tmp)`` fills a temporary folder."""
    check_run_dir(path, force)
    path = path.absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-", dir=path.parent))
    except OSError as error:
        raise OutputError(f"--out {path}: cannot create the folder ({error.strerror})") from None
    try:
        write_files(staging)
        if path.exists():
            retired = path.parent / f".{path.name}.replaced-{os.getpid()}"
            path.rename(retired)
            staging.rename(path)
            shutil.rmtree(retired)
        else:
            staging.rename(path)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"--out {path}: could not save the run ({error})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return path


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
