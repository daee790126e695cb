"""The rooms of the package: each room imports only the rooms below it (issue 14).

Read from the source with :mod:`ast`, so imports inside functions, under
``TYPE_CHECKING`` and in the ``import polsim.x`` form count as much as the ones at the
top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import polsim

PACKAGE = Path(polsim.__file__).parent

#: The rooms, top to bottom. The package itself (``polsim/__init__.py``, ``__main__.py``)
#: sits above them all.
ROOMS: tuple[str, ...] = (
    "polsim",
    "cli",
    "web",
    "experiments",
    "api",
    "run",
    "output",
    "measures",
    "elections",
    "state",
    "parties",
    "society",
    "world",
    "scenario",
    "engine",
)

#: Top-level modules that belong to the ground floor with ``engine/``.
GROUND_MODULES = ("errors", "_version", "voter_count", "workers")

_MECHANISMS = {"elections", "state", "parties", "society"}
_GROUND = {"world", "scenario", "engine"}

#: What each room may import besides itself: exactly the rooms below it.
ALLOWED: dict[str, set[str]] = {
    "polsim": {"cli", "web", "experiments", "api", "run", "output", "measures"}
    | _MECHANISMS
    | _GROUND,
    "cli": {"web", "experiments", "api", "run", "output", "measures"} | _MECHANISMS | _GROUND,
    "web": {"experiments", "api", "run", "output", "measures"} | _MECHANISMS | _GROUND,
    "experiments": {"api", "run", "output", "measures"} | _MECHANISMS | _GROUND,
    "api": {"run", "output", "measures"} | _MECHANISMS | _GROUND,
    "run": {"output", "measures"} | _MECHANISMS | _GROUND,
    "output": {"measures"} | _MECHANISMS | _GROUND,
    "measures": _MECHANISMS | _GROUND,
    "elections": {"state", "parties", "society"} | _GROUND,
    "state": {"parties", "society"} | _GROUND,
    "parties": {"society"} | _GROUND,
    "society": _GROUND,
    "world": {"scenario", "engine"},
    "scenario": {"engine"},
    "engine": set(),
}

#: Upward imports that exist today and are someone else's to remove, each with why.
#: A listed import that disappears fails the test too: delete its line then.
KNOWN_UPWARD: dict[tuple[str, str], str] = {
    ("elections/calculator.py", "polsim.measures.party_system"): (
        "the seat calculator reports ENP and Gallagher (elections/ belongs to its own split)"
    ),
    ("state/civil_peace.py", "polsim.measures.ethnic"): (
        "civil peace reads ethnic polarisation; the index should move below the mechanisms"
    ),
}


def room_of_module(module: str) -> str | None:
    """The room of a dotted module name, or None if it is not part of polsim."""
    parts = module.split(".")
    if parts[0] != "polsim":
        return None
    if len(parts) == 1:
        return "polsim"
    top = parts[1]
    if top in GROUND_MODULES:
        return "engine"
    if top == "__main__":
        return "polsim"
    return top


def room_of_file(relative: Path) -> str:
    """The room of a source file, given its path inside the package."""
    parts = [part for part in relative.with_suffix("").parts if part != "__init__"]
    return room_of_module(".".join(("polsim", *parts))) or "polsim"


def imported_modules(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """Every (line, module) a module's syntax tree imports, wherever the import stands.

    ``from polsim import api`` counts as an import of ``polsim.api``; relative imports
    are resolved against ``package``.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "polsim":
                found.extend((node.lineno, f"polsim.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, base))
    return found


def upward_imports(source: str, relative: Path) -> list[tuple[int, str, str, str]]:
    """(line, module, from room, to room) of each import that breaks the room order."""
    here = room_of_file(relative)
    package = ".".join(("polsim", *relative.parent.parts))
    broken = []
    for line, module in imported_modules(ast.parse(source), package):
        there = room_of_module(module)
        if there is None or there == here or there in ALLOWED[here]:
            continue
        broken.append((line, module, here, there))
    return broken


def _source_files() -> list[Path]:
    return sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py"))


def test_allowed_pairs_are_exactly_the_rooms_below():
    """Each room may import every room below it in ROOMS and none above it."""
    for i, room in enumerate(ROOMS):
        assert ALLOWED[room] == set(ROOMS[i + 1 :]), room


def test_every_source_file_is_in_a_room():
    """Every module of the package belongs to one of the listed rooms."""
    rooms = {room_of_file(p) for p in _source_files()}
    assert rooms <= set(ROOMS), rooms - set(ROOMS)


def test_each_room_imports_only_rooms_below_it():
    """No source file imports a room above its own (besides the listed known ones)."""
    broken, known_seen = [], set()
    for relative in _source_files():
        for line, module, here, there in upward_imports((PACKAGE / relative).read_text(), relative):
            key = (relative.as_posix(), module)
            if key in KNOWN_UPWARD:
                known_seen.add(key)
                continue
            broken.append(f"{relative.as_posix()}:{line}: {here}/ imports {module} ({there}/)")
    assert not broken, "imports above their room:\n" + "\n".join(broken)
    gone = set(KNOWN_UPWARD) - known_seen
    assert not gone, f"no longer imported, remove from KNOWN_UPWARD: {sorted(gone)}"


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        ("engine/x.py", "import polsim.parties.support\n", "polsim.parties.support"),
        ("world/x.py", "def f():\n    from polsim.run import schedule\n", "polsim.run"),
        ("scenario/x.py", "from polsim import elections\n", "polsim.elections"),
        ("parties/x.py", "from ..state import president\n", "polsim.state"),
        ("society/x.py", "from polsim.errors import UserInputError\n", None),
    ],
)
def test_upward_imports_are_found_in_every_form(relative, source, expected):
    """Plain, in-function, from-package and relative imports upward are all caught; an
    import of the ground is not."""
    found = [module for _, module, _, _ in upward_imports(source, Path(relative))]
    assert found == ([expected] if expected else [])
