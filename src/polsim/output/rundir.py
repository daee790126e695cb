"""Run folders: where a run's files go, and how they get there without losing any.

A run folder is written whole or not at all: files go to a hidden sibling folder
``.NAME.partial-<pid>-XXXX`` first (its ``manifest.json`` written last), which is then
renamed into place. ``--force`` replaces only a folder that is a polsim run and holds
nothing polsim did not write; any other folder is never replaced, emptied or written
into. The old run is moved aside to ``.NAME.replaced-<pid>-XXXX`` and removed only
after the new one is in place. Hidden folders left by a save that was killed (their
pid is not alive) are cleaned on the next save next to them; a run that was moved
aside but never replaced is put back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from polsim.errors import OutputError
from polsim.output.paths import check_output_path, entries_text, shown_path

__all__ = [
    "MANIFEST_FILE",
    "check_run_dir",
    "clean_stale_staging",
    "clean_stale_temporaries",
    "default_run_dir",
    "file_sha256",
    "is_staging_name",
    "process_alive",
    "run_folder_problem",
    "write_run_dir",
]

#: The file that makes a folder a polsim run; written last.
MANIFEST_FILE = "manifest.json"
#: Keys every manifest polsim writes has (``files`` maps each data file to its hash).
_MANIFEST_KEYS = ("polsim_version", "scenario", "seed", "files")
#: Files polsim writes into a run folder besides those its manifest lists.
_DERIVED = ("manifest.json", "report.html")
_STAGING = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|replaced)-(?P<pid>\d+)-[^/]+$")


def default_run_dir(scenario: str, seed: int, now: datetime, root: Path = Path("runs")) -> Path:
    """``runs/<scenario>-<seed>-<YYYYmmdd-HHMMSS>``."""
    return root / f"{scenario}-{seed}-{now.strftime('%Y%m%d-%H%M%S')}"


def is_staging_name(name: str) -> bool:
    """True for the name of a run being saved or moved aside (never a finished run)."""
    return _STAGING.match(name) is not None


def run_folder_problem(path: Path) -> str | None:
    """None if ``path`` is a polsim run folder holding only polsim's files; else what it is.

    A polsim run folder has a ``manifest.json`` that parses as a JSON object with
    polsim's keys (``polsim_version``, ``scenario``, ``seed``, ``files``).
    """
    entries = sorted(entry.name for entry in path.iterdir())
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        why = "no manifest.json"
    except (OSError, UnicodeError, ValueError):
        why = "its manifest.json is not JSON"
    else:
        keys = isinstance(manifest, dict) and all(k in manifest for k in _MANIFEST_KEYS)
        if keys and isinstance(manifest["files"], dict):
            ours = set(_DERIVED) | {str(name) for name in manifest["files"]}
            others = [name for name in entries if name not in ours and not _report_temp(name)]
            if not others:
                return None
            return (
                f"is a polsim run folder that also holds {entries_text(others)} polsim did "
                "not write; polsim never deletes them: move them, or choose another --out"
            )
        why = "its manifest.json is not polsim's"
    return (
        f"is a folder of {entries_text(entries)} that is not a polsim run ({why}); "
        "polsim never replaces it: choose another --out"
    )


def check_run_dir(path: Path, force: bool = False) -> None:
    """Fail early, with one line, if a run could not be saved at ``path``."""
    label = f"--out {shown_path(path)}"
    check_output_path(path, "--out", kind="folder")
    if not path.is_dir():
        return
    try:
        empty = not any(path.iterdir())
        problem = None if empty else run_folder_problem(path)
    except OSError as error:
        raise OutputError(f"{label}: cannot be read ({error.strerror})") from None
    if problem is not None:
        raise OutputError(f"{label}: {problem}")
    if not empty and not force:
        raise OutputError(
            f"{label}: a polsim run folder already exists there; use --force to replace it"
        )


def write_run_dir(path: Path, write_files: Callable[[Path], None], force: bool = False) -> Path:
    """Write a run folder atomically: ``write_files(tmp)`` fills a temporary folder."""
    check_run_dir(path, force)
    path = path.absolute()
    pid = os.getpid()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(path.parent)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-{pid}-", dir=path.parent))
    except OSError as error:
        raise OutputError(
            f"--out {shown_path(path)}: cannot create the folder ({error.strerror})"
        ) from None
    try:
        write_files(staging)
        check_run_dir(path, force)  # the place may have changed while the run was saved
        if path.exists():
            retired = Path(
                tempfile.mkdtemp(prefix=f".{path.name}.replaced-{pid}-", dir=path.parent)
            )
            path.rename(retired / "run")
            staging.rename(path)
            shutil.rmtree(retired)
        else:
            staging.rename(path)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"--out {shown_path(path)}: could not save the run ({error})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return path


def clean_stale_staging(folder: Path) -> list[Path]:
    """Remove hidden staging folders in ``folder`` whose saving process is gone.

    A moved-aside run whose replacement never arrived is put back in its place instead.
    Returns the folders removed or restored.
    """
    handled = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return handled
    for entry in entries:
        match = _STAGING.match(entry.name)
        if match is None or entry.is_symlink() or not entry.is_dir():
            continue
        if process_alive(int(match["pid"])):
            continue
        original = folder / match["name"]
        moved = entry / "run"
        if match["kind"] == "replaced" and moved.is_dir() and not original.exists():
            moved.rename(original)
        shutil.rmtree(entry, ignore_errors=True)
        handled.append(entry)
    return handled


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process_alive(pid: int) -> bool:
    """True if process ``pid`` may still be running (this one, or any that answers)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def clean_stale_temporaries(target: Path) -> None:
    """Remove ``.NAME.tmp-<pid>-XXXX`` files beside ``target`` whose writer is gone."""
    prefix = f".{target.name}.tmp-"
    try:
        entries = [e for e in target.parent.iterdir() if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and not entry.is_dir() and not process_alive(int(pid)):
            entry.unlink(missing_ok=True)


def _report_temp(name: str) -> bool:
    """A report being written (``.report.html.tmp-...``): polsim's own, in passing."""
    return name.startswith(".report.html.tmp-")
