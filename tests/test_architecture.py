"""The layout stays readable: no import cycle anywhere in the package, and the CLI stays thin."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

import ruralgraph.cli

SRC = Path(ruralgraph.cli.__file__).parent


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("ruralgraph")
    imports = nx.DiGraph(
        (module, imported) for module in graph.modules for imported in graph.find_modules_directly_imported_by(module)
    )
    assert list(nx.simple_cycles(imports)) == []


def test_every_cli_command_opens_its_store_through_one_decorator() -> None:
    tree = ast.parse((SRC / "cli.py").read_text(encoding="utf-8"))
    declared = [
        node.target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]
    store_options = [arg.arg for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef) for arg in fn.args.args]
    assert "db" not in store_options and "neo4j" not in store_options  # only store_options adds them
    assert "StoreSettings.resolve" in (SRC / "cli.py").read_text(encoding="utf-8")
    assert declared.count("DbOption") <= 1


def test_every_public_function_and_class_has_a_docstring() -> None:
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        for node in _public_definitions(ast.parse(path.read_text(encoding="utf-8"))):
            if ast.get_docstring(node) is None:
                missing.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert missing == []


def _public_definitions(tree: ast.Module) -> list[ast.FunctionDef | ast.ClassDef]:
    """Module-level functions and classes, and the methods of those classes, whose names are public."""
    found: list[ast.FunctionDef | ast.ClassDef] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
            found.append(node)
            if isinstance(node, ast.ClassDef):
                found += [m for m in node.body if isinstance(m, ast.FunctionDef) and not m.name.startswith("_")]
    return found


def test_asking_a_question_imports_neither_pandas_nor_networkx_nor_cn2an(seed_db: Path) -> None:
    # Start-up time of small commands: these libraries cost most of it and are needed only elsewhere.
    script = (
        "import sys, ruralgraph.cli, ruralgraph; "
        f"ruralgraph.connect({str(seed_db)!r}).partners('crdf'); "
        "print(sorted(m for m in ('pandas', 'networkx', 'cn2an') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
