"""Reading YAML safely, keeping the line of every key so errors can point at it.

PyYAML's C loader (libyaml) does the parsing; only the safe tags are constructed, so a file cannot
build Python objects. A duplicate key, which PyYAML would silently overwrite, is an error here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml

from ruralgraph.errors import Problem

# libyaml's C parser when it is there; the pure-Python one gives the same results, slower.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64


class LineDict(dict[Any, Any]):
    """A dict that remembers the line (1-based) of itself and of each of its keys."""

    line: int
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that remembers the line (1-based) of each of its items."""

    line: int
    item_lines: list[int]


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"key {key!r} appears twice in one mapping")
        self.line = line


class _TooDeep(yaml.YAMLError):
    def __init__(self, line: int) -> None:
        super().__init__(f"nesting deeper than {MAX_DEPTH} levels")
        self.line = line


class _LocatingLoader(_BaseLoader):  # type: ignore[misc,valid-type]  # a base chosen at run time
    """A safe loader whose mappings and sequences carry their lines."""


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text here so that pydantic validates them and names the field of an impossible one.
_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(cast(yaml.ScalarNode, node))
)


def read_text(path: Path, max_bytes: int = MAX_YAML_BYTES) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8, or say precisely why it is not (size, encoding, byte-order mark)."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        return None, [Problem(name, None, "", f"cannot read the file: {error.strerror}")]
    if size > max_bytes:
        return None, [
            Problem(
                name,
                None,
                "",
                f"file is {size // 1024 // 1024} MiB, over the {max_bytes // 1024 // 1024} MiB "
                "limit for this format; use the bulk JSON Lines format for large data",
            )
        ]
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(name, 1, "", "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8")
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless: editors on Windows add it
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(name, line, "", f"byte {error.start} is not UTF-8 (was the file saved as GBK?); save it as UTF-8")
        ]


def _depth(node: yaml.Node, limit: int) -> yaml.Node | None:
    """The first node nested deeper than ``limit``, found without recursion."""
    stack: list[tuple[yaml.Node, int]] = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return current
        if isinstance(current, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in current.value for child in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
    return None


def load_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into LineDict/LineList values, or return the problems found."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    name = str(path)
    if not text.strip():
        return None, [Problem(name, None, "", "file is empty")]
    try:
        loader = _LocatingLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return None, [Problem(name, None, "", "file holds no YAML document")]
            too_deep = _depth(root, MAX_DEPTH)
            if too_deep is not None:
                raise _TooDeep(too_deep.start_mark.line + 1)
            return loader.construct_document(root), []
        finally:
            loader.dispose()
    except (_DuplicateKey, _TooDeep) as error:
        return None, [Problem(name, error.line, "", str(error))]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (error.context, error.problem) if part)
        if "could not determine a constructor" in what:
            what = "a YAML tag that would build an object; only plain YAML values are allowed"
        return None, [Problem(name, line, "", f"YAML syntax: {what}")]
    except yaml.YAMLError as error:
        return None, [Problem(name, None, "", f"YAML: {error}")]
    except (ValueError, TypeError) as error:  # a scalar the safe constructors cannot build
        return None, [Problem(name, None, "", f"YAML value: {error}")]
    except RecursionError:
        return None, [Problem(name, None, "", f"nesting deeper than {MAX_DEPTH} levels")]


def line_of(document: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest part of ``document`` that ``loc`` (a pydantic error path) reaches."""
    line = getattr(document, "line", None)
    current = document
    for step in loc:
        if isinstance(current, LineDict) and step in current:
            line = current.key_lines.get(step, line)
            current = current[step]
        elif isinstance(current, LineList) and isinstance(step, int) and 0 <= step < len(current):
            line = current.item_lines[step]
            current = current[step]
        else:
            break
    return line
