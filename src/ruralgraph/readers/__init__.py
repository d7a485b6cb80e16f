"""Readers: one module per input format, each turning a file into validated records with file and line.

``open_inputs`` finds the input files under the paths given and hands each to its reader: case files
(YAML), tables (CSV and .xlsx, through mappings: named ones, an input folder's ``loaders/``, the
working directory's ``loaders/``, ``$RURALGRAPH_LOADERS``, the bundled ones), the bulk format (JSON
Lines) and decisions files. The loading passes take the result from here, once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ruralgraph.errors import InvalidInput, Problem
from ruralgraph.model import Node
from ruralgraph.readers.cases import CASE_FILE_SUFFIXES, read_case_file
from ruralgraph.readers.decisions import DECISIONS_FILE, Decisions, read_decisions
from ruralgraph.readers.jsonlines import JSONL_SUFFIXES, JsonlSource
from ruralgraph.readers.records import InputSource, MemorySource, Records
from ruralgraph.readers.tables import (
    SPREADSHEET_SUFFIXES,
    TABLE_SUFFIXES,
    mapping_dirs,
    mapping_for,
    read_mappings,
    read_table,
)

MAPPINGS_FOLDER = "loaders"  # inside an input folder: the mappings of its tables, not inputs
INPUT_SUFFIXES = CASE_FILE_SUFFIXES + TABLE_SUFFIXES + JSONL_SUFFIXES
# Files among the inputs that hold decisions, not a case: ``decisions.yaml`` (what ``dedupe --confirm``
# writes by default) and ``merges.yaml`` (its former name, still read).
DECISION_FILE_NAMES = ("decisions.yaml", DECISIONS_FILE)


@dataclass
class Inputs:
    """The input files, opened: one source per file, and the duplicate decisions."""

    files: list[Path]
    sources: list[InputSource]
    decisions: Decisions


def split_sheet(raw: Path | str) -> tuple[Path, str | None]:
    """``BOOK.xlsx#Sheet`` → the workbook and the sheet; any other path as it is."""
    text = str(raw)
    base, sep, sheet = text.rpartition("#")
    if sep and not Path(text).exists() and Path(base).suffix.lower() in SPREADSHEET_SUFFIXES:
        return Path(base), sheet
    return Path(text), None


def _named_inputs(paths: Iterable[Path | str]) -> list[tuple[Path, str | None]]:
    """The input files named, each with its sheet (``BOOK.xlsx#Sheet``), folders searched recursively:
    hidden files, ``~$`` lock files of open workbooks and each folder's ``loaders/`` of mappings skipped.

    A folder or file that cannot be read is a problem naming it, never skipped: a load that
    silently left out an unreadable folder would look complete and be short.
    """
    found: list[tuple[Path, str | None]] = []
    problems: list[Problem] = []
    for raw in paths:
        path, sheet = split_sheet(raw)
        if path.is_dir():
            files, unreadable = _walk(path)
            found.extend((file, None) for file in files)
            problems.extend(unreadable)
        elif path.is_file():
            found.append((path, sheet))
        else:
            problems.append(Problem(str(path), None, "", "no such file or folder"))
    problems.extend(problem for file, _ in found if (problem := _unreadable(file)) is not None)
    if problems:
        raise InvalidInput(problems)
    return found


def _walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The input files under ``folder`` (sorted, hidden ones left out) and a problem per folder that cannot be read."""
    files: list[Path] = []
    problems: list[Problem] = []

    def refused(error: OSError) -> None:
        where = error.filename if error.filename is not None else folder
        problems.append(Problem(str(where), None, "", f"cannot read this folder: {error.strerror or error}"))

    for top, folders, names in os.walk(folder, onerror=refused):
        # Hidden folders are not input, and a folder's loaders/ holds the mappings of its tables.
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name != MAPPINGS_FOLDER)
        for name in names:
            file = Path(top) / name
            if (
                not name.startswith((".", "~$"))  # ~$: the lock file of a workbook open in Excel
                and file.suffix.lower() in INPUT_SUFFIXES
                and file.is_file()
            ):
                files.append(file)
    return sorted(files), problems


def _unreadable(file: Path) -> Problem | None:
    """A problem if ``file`` cannot be opened for reading (no permission, a broken disk), else None."""
    try:
        with file.open("rb"):
            return None
    except OSError as error:
        return Problem(str(file), None, "", f"cannot read this file: {error.strerror or error}")


def _own_mapping_dirs(paths: Iterable[Path | str]) -> list[Path]:
    """The ``loaders/`` folders inside the input folders: a folder carries the mappings of its tables."""
    return [
        folder
        for raw in paths
        if Path(raw).is_dir()
        for folder in sorted(Path(raw).rglob(MAPPINGS_FOLDER))
        if folder.is_dir() and not any(part.startswith(".") for part in folder.relative_to(raw).parts)
    ]


def open_inputs(
    paths: Iterable[Path | str], decisions_files: Iterable[Path | str] = (), *, mappings: Iterable[Path | str] = ()
) -> Inputs:
    """Read (or, for bulk files, open) every input; raise ``InvalidInput`` with all per-file problems.

    Decisions on duplicates come from the ``decisions:`` sections of case files, from files named
    ``decisions.yaml`` or ``merges.yaml`` among the inputs, and from ``decisions_files``. Tables are
    read by the ``mappings`` named first, then by those in ``mapping_dirs`` (see there).
    """
    paths = list(paths)
    named = _named_inputs(paths)
    files = [path for path, _ in named]
    if not files:
        raise InvalidInput([Problem(", ".join(str(p) for p in paths), None, "", "no input files found")])
    loaded, problems = read_mappings(mapping_dirs(_own_mapping_dirs(paths)), [Path(m) for m in mappings])
    sources: list[InputSource] = []
    decisions = Decisions()
    for extra in decisions_files:
        found, file_problems = read_decisions(Path(extra))
        problems.extend(file_problems)
        decisions.add(found)
    for path, sheet in named:
        suffix = path.suffix.lower()
        file_problems = []
        if path.name in DECISION_FILE_NAMES:
            found, file_problems = read_decisions(path)
            decisions.add(found)
        elif suffix in JSONL_SUFFIXES:
            sources.append(JsonlSource(path))
        elif suffix in CASE_FILE_SUFFIXES:
            records, file_problems = read_case_file(path)
            decisions.add(records.decisions)
            sources.append(MemorySource([*records.nodes, *records.relationships]))
        elif suffix in TABLE_SUFFIXES:
            mapping = mapping_for(path, loaded)
            if mapping is None:
                looked = ", ".join(str(folder) for folder in mapping_dirs(_own_mapping_dirs(paths)))
                file_problems = [
                    Problem(
                        str(path),
                        None,
                        "",
                        f"no mapping reads this file (looked in {looked}); name one with --mapping FILE.yaml "
                        "or add one to ./loaders/ (see loaders/README.md)",
                    )
                ]
            else:
                records, file_problems = read_table(path, mapping, sheet)
                sources.append(MemorySource([*records.nodes, *records.relationships]))
        else:
            file_problems = [
                Problem(str(path), None, "", f"unknown input format {suffix!r}; expected {', '.join(INPUT_SUFFIXES)}")
            ]
        problems.extend(file_problems)
    if problems:
        raise InvalidInput(problems)
    return Inputs(files, sources, decisions)


def input_nodes(
    paths: Iterable[Path | str], decisions_files: Iterable[Path | str] = (), *, mappings: Iterable[Path | str] = ()
) -> tuple[Records, Decisions]:
    """Every node the inputs declare (for dedupe), and the decisions already recorded."""
    inputs = open_inputs(paths, decisions_files, mappings=mappings)
    records = Records()
    for source in inputs.sources:
        for item, where, problems in source.items(only=Node):
            if problems:
                raise InvalidInput(problems)
            if isinstance(item, Node):
                records.nodes.append((item, where))
    return records, inputs.decisions
