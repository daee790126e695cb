"""Load scenarios from YAML files or by built-in name, with one shape of error message.

Every failure raises :class:`polsim.errors.ScenarioError` whose message is one line:
``<file>: <field>: <rule> (got <value>)``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from polsim.errors import ScenarioError
from polsim.scenario.limits import (
    MAX_FILE_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
)
from polsim.scenario.schema import Scenario

__all__ = [
    "builtin_scenarios",
    "load_scenario",
    "parse_yaml",
    "read_scenario_bytes",
    "read_yaml",
    "scenario_from_dict",
    "scenario_hash",
    "shown_path",
]

_BUILTIN_PACKAGE = "polsim.scenario.builtin"


def builtin_scenarios() -> dict[str, str]:
    """The built-in scenarios: name → title."""
    out: dict[str, str] = {}
    for entry in sorted(resources.files(_BUILTIN_PACKAGE).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            data = parse_yaml(entry.read_bytes(), origin=entry.name)
            out[entry.name.removesuffix(".yaml")] = str(data.get("title", ""))
    return out


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file safely and with bounds, or raise a one-line :class:`ScenarioError`."""
    return parse_yaml(read_scenario_bytes(path), origin=shown_path(path))


def read_scenario_bytes(path: str | Path, kind: str = "a scenario file") -> bytes:
    """The bytes of a regular file of at most ``MAX_FILE_BYTES``, or a one-line error.

    The file is opened without blocking (a FIFO never waits for a writer), checked to be
    a regular file (not a FIFO, device or directory) and read to at most the cap + 1.
    ``kind`` names what the file should be in the messages (e.g. "a targets file").
    """
    shown = shown_path(path)
    if "\x00" in str(path):
        raise ScenarioError(f"{shown}: a path must not contain a NUL byte")
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ScenarioError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{shown}: is a directory, not {kind}") from None
    except OSError as error:
        raise ScenarioError(f"{shown}: cannot be read ({error.strerror})") from None
    try:
        mode, size = (info := os.fstat(handle)).st_mode, info.st_size
        if not stat.S_ISREG(mode):
            raise ScenarioError(f"{shown}: is {_file_kind(mode)}, not {kind}")
        with os.fdopen(handle, "rb", closefd=False) as file:
            data = b"" if size > MAX_FILE_BYTES else file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ScenarioError(f"{shown}: cannot be read ({error.strerror})") from None
    finally:
        os.close(handle)
    if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"{shown}: the file is too large (over {MAX_FILE_BYTES:,} bytes; got "
            f"{max(size, len(data)):,})"
        )
    return data


def parse_yaml(content: bytes | str, origin: str = "<scenario>") -> Any:
    """Parse YAML text (UTF-8 bytes or str) safely and with bounds, or raise one line.

    Refused: bytes that are not UTF-8, nesting deeper than ``MAX_YAML_DEPTH``, aliases
    that expand past ``MAX_YAML_NODES`` values or into themselves, integers of more than
    ``MAX_INTEGER_DIGITS`` digits, impossible dates, and malformed YAML.
    """
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = content[error.start : error.start + 1]
            raise ScenarioError(f"{origin}: not UTF-8 text (byte {error.start}: {bad!r})") from None
    try:
        _check_shape(content, origin)
        loader = _BoundedLoader(content)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ScenarioError(f"{origin}: malformed YAML: {where}{problem}") from None


def shown_path(path: str | Path) -> str:
    """A path as messages show it: NUL bytes escaped, a very long one shortened."""
    text = str(path).replace("\x00", "\\x00")
    return text if len(text) <= 160 else f"{text[:80]}...{text[-60:]}"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BoundedLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing integers too long to be a field and impossible dates."""

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(char.isalnum() for char in str(node.value))
        if digits > MAX_INTEGER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"an integer of {digits} digits is longer than any field allows "
                f"(at most {MAX_INTEGER_DIGITS})",
                node.start_mark,
            )
        return self.construct_yaml_int(node)

    def construct_checked_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a date: {node.value} ({error})", node.start_mark
            ) from None


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_bounded_int)
_BoundedLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _BoundedLoader.construct_checked_timestamp
)


def _check_shape(text: str, origin: str) -> None:
    """Refuse, before building anything, YAML nested too deep or aliased into a bomb.

    The parser (not the recursive composer) streams events; a stack of open collections
    gives the depth, and each anchor's expanded size gives what an alias stands for.
    """
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, expanded size so far] per open collection
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > MAX_YAML_DEPTH:
                raise _shape_error(origin, event, f"nested deeper than {MAX_YAML_DEPTH} levels")
            stack.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            if any(frame[0] == event.anchor for frame in stack):
                raise _shape_error(origin, event, f"the alias *{event.anchor} refers to itself")
            size = sizes.get(event.anchor, 1)
        else:
            continue
        stack[-1][1] += size
        if stack[-1][1] > MAX_YAML_NODES:
            raise _shape_error(
                origin, event, f"aliases expand to more than {MAX_YAML_NODES:,} values"
            )


def _shape_error(origin: str, event: yaml.Event, problem: str) -> ScenarioError:
    mark = event.start_mark
    return ScenarioError(f"{origin}: line {mark.line + 1}, column {mark.column + 1}: {problem}")


def scenario_from_dict(data: Any, origin: str = "<scenario>") -> Scenario:
    """Validate plain data as a :class:`Scenario`; ``origin`` names it in errors."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ScenarioError(f"{origin}: a scenario must be a mapping of fields; got {kind}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(f"{origin}: {_first_problem(error)}") from None


def load_scenario(name_or_path: str | Path | Scenario) -> Scenario:
    """A scenario by built-in name (``kazakhstan-1990s``) or from a YAML file."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text = str(name_or_path)
    if _looks_like_file(text):
        return scenario_from_dict(read_yaml(text), origin=shown_path(text))
    builtins = builtin_scenarios()
    if text not in builtins:
        known = ", ".join(builtins) or "none"
        raise ScenarioError(f"unknown scenario {text!r}; built-in scenarios are: {known}")
    origin = f"built-in scenario {text!r}"
    resource = resources.files(_BUILTIN_PACKAGE) / f"{text}.yaml"
    return scenario_from_dict(parse_yaml(resource.read_bytes(), origin), origin=origin)


def _looks_like_file(text: str) -> bool:
    if "\x00" in text or "/" in text or Path(text).suffix in (".yaml", ".yml"):
        return True
    try:
        return Path(text).exists()
    except OSError:  # a name too long to be a path is not a built-in either
        return True


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the validated scenario's canonical JSON: equal hashes, equal polities."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _first_problem(error: ValidationError) -> str:
    """One line for the first validation problem: field path, rule and the value got."""
    problems = error.errors(include_url=False)
    first = problems[0]
    field = ".".join(str(part) for part in first["loc"]) or "<top level>"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown field (not in the schema; check its spelling)"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    got = first.get("input")
    shown = "" if isinstance(got, dict | list) else f" (got {_shown_value(got)})"
    more = f" [and {len(problems) - 1} more problem(s)]" if len(problems) > 1 else ""
    return f"{field}: {_shortened(message, 300)}{shown}{more}"


def _shown_value(value: Any) -> str:
    """A value as a message shows it: its repr, a very long one shortened."""
    if isinstance(value, int) and abs(value) > 10**MAX_INTEGER_DIGITS:
        return f"an integer of about {int(math.log10(abs(value))) + 1} digits"
    return _shortened(repr(value), 120)


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 20]}... ({len(text):,} characters)"
