"""Reading YAML safely, keeping the line of every key so errors can point at it.

PyYAML's C loader (libyaml) does the parsing; only the safe tags are constructed, so a file cannot
build Python objects. A duplicate key, which PyYAML would silently overwrite, is an error here.

Three more guards, each on the composed node graph before anything is built:

- Aliases are allowed, but together they may add at most ``MAX_ALIAS_EXPANSION`` nodes to what the
  file spells out: an "alias bomb" (ten aliases of ten aliases of …) is refused in time linear in the
  file, whatever its nesting, at the line where the expansion passes the budget. An alias to a
  collection that contains it is refused too.
- Merge keys (``<<: *defaults``) are supported as YAML 1.1 defines them: the mapping's own keys
  win over merged ones, and among several merged mappings the first wins. Only a key the mapping
  itself repeats is a duplicate.
- YAML 1.1 reads ``yes``/``no``/``on``/``off`` as booleans and ``017``, ``0x10``, ``1_0``, ``1:30``
  as numbers. Here only ``true``/``false`` are booleans and only plain decimal digits integers; any
  other spelling stays the text it is, so the model refuses it where a number is expected instead
  of taking a silently changed value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml

from ruralgraph.errors import Problem, shown

# libyaml's C parser when it is there; the pure-Python one gives the same results, slower.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000  # nodes that aliases may add to a document, beyond those written out
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class LineDict(dict[Any, Any]):
    """A dict that remembers the line (1-based) of itself and of each of its keys."""

    line: int
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that remembers the line (1-based) of each of its items."""

    line: int
    item_lines: list[int]


class _Refused(yaml.YAMLError):
    """A document this reader refuses, with the line to point at."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _DuplicateKey(_Refused):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"key {shown(key)} appears twice in one mapping", line)


class _TooDeep(_Refused):
    def __init__(self, line: int) -> None:
        super().__init__(f"nesting deeper than {MAX_DEPTH} levels", line)


class _LocatingLoader(_BaseLoader):  # type: ignore[misc,valid-type]  # a base chosen at run time
    """A safe loader whose mappings and sequences carry their lines."""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = _line(node)
    result.key_lines = {}
    merges: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE_TAG:
            if merges:
                raise _DuplicateKey("<<", _line(key_node))
            merges.append((key_node, value_node))
            continue
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key, _line(key_node))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(key_node)
    for key_node, value_node in merges:
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:  # the mapping's own keys win; then the first merged mapping that has the key
            if not isinstance(source, yaml.MappingNode):
                raise _Refused("a << merge key takes a mapping or a list of mappings", _line(key_node))
            merged = loader.construct_object(source, deep=True)
            for key, value in merged.items():
                if key not in result:
                    result[key] = value
                    result.key_lines[key] = merged.key_lines.get(key, _line(key_node))
    return result


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(node)
    result.item_lines = [_line(child) for child in node.value]
    return result


def _construct_integer(loader: _LocatingLoader, node: yaml.ScalarNode) -> int | str:
    """Plain decimal digits are an integer; 017, 0x10, 1_0, 1:30 stay text (the model refuses them)."""
    text = str(loader.construct_scalar(node))
    return int(text) if _PLAIN_INTEGER.fullmatch(text) else text


def _construct_boolean(loader: _LocatingLoader, node: yaml.ScalarNode) -> bool | str:
    """true and false are booleans; yes, no, on and off stay text."""
    text = str(loader.construct_scalar(node))
    return _BOOLEANS.get(text, text)


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LocatingLoader.add_constructor("tag:yaml.org,2002:int", _construct_integer)
_LocatingLoader.add_constructor("tag:yaml.org,2002:bool", _construct_boolean)
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


def _children(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    """A collection's children, each with the node whose line locates it (the key, or the sequence)."""
    if isinstance(node, yaml.MappingNode):
        return [(key, child) for key, value in node.value for child in (key, value)]
    if isinstance(node, yaml.SequenceNode):
        return [(node, child) for child in node.value]
    return []


def _check_structure(root: yaml.Node) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH``, aliases that expand too far, and recursive aliases.

    Each distinct node is visited once (an alias is the same node object met again), so this takes
    time linear in the file even when aliases would expand it exponentially. The first place a node
    is met is where it is written; every other place is an alias, which adds the node's expanded size.
    """
    size: dict[int, int] = {}  # id(node) → nodes in its expanded subtree
    depth: dict[int, int] = {}  # id(node) → levels below it, expanded
    first: dict[int, tuple[int, int]] = {id(root): (0, 0)}  # id(node) → (id(parent), position): where it is written
    open_nodes: set[int] = set()
    added = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        pairs = _children(node)
        if not children_done:
            if key in size or key in open_nodes:
                continue
            open_nodes.add(key)
            stack.append((node, True))
            for position, (_, child) in enumerate(pairs):
                if id(child) in open_nodes:
                    raise _Refused("an alias refers to a collection that contains it", _line(child))
                first.setdefault(id(child), (key, position))
            stack.extend((child, False) for _, child in reversed(pairs) if id(child) not in size)
            continue
        open_nodes.discard(key)
        total, deepest = 1, 0
        for position, (locator, child) in enumerate(pairs):
            total += size[id(child)]
            deepest = max(deepest, depth[id(child)] + 1)
            if first[id(child)] != (key, position):
                added += size[id(child)]
                if added > MAX_ALIAS_EXPANSION:
                    raise _Refused(
                        f"aliases expand this document by more than {MAX_ALIAS_EXPANSION} nodes "
                        "(an alias bomb?); write the values out or use fewer aliases",
                        _line(locator),
                    )
        size[key], depth[key] = total, deepest
        if deepest > MAX_DEPTH:
            raise _TooDeep(_line(node))


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
            _check_structure(root)
            return loader.construct_document(root), []
        finally:
            loader.dispose()
    except _Refused as error:
        return None, [Problem(name, error.line, "", str(error))]
    except yaml.reader.ReaderError as error:  # a character YAML does not allow; libyaml counts bytes
        at = text.encode("utf-8")[: error.position].count(b"\n") + 1
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        return None, [Problem(name, at, "", f"character {character} is not allowed in YAML ({error.reason})")]
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
