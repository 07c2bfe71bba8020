"""The layers of DESIGN §1, read from the source with ``ast``: every import statement of the
package (at module level, inside functions, under ``TYPE_CHECKING``) is checked, and a
failure names the file and line.

- Qt (PySide6 / shiboken6) only in ``gui/``;
- Peewee (and its ``playhouse``) and psycopg (PostgreSQL's driver) only in ``store/``;
- ``mixtimer_gui.store`` never from ``gui/``, ``api/``, ``exports/``, ``reminders/``,
  ``cli.py`` or ``commands/``: they open a database through ``services.workspace``;
- no import inside a function in ``store/`` or ``services/`` (nothing there is loaded late
  for start-up time, so such an import could only be dodging a circle);
- no cycle among the package's modules. Imports inside functions count too: one placed
  there to dodge a circle still makes one. ``TYPE_CHECKING`` imports never run, so they are
  left out of this rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import mixtimer_gui

PACKAGE = "mixtimer_gui"
ROOT = Path(mixtimer_gui.__file__).resolve().parent
REPO = ROOT.parent

QT = ("PySide6", "shiboken6")
PEEWEE = ("peewee", "playhouse")
PSYCOPG = ("psycopg", "psycopg_binary", "psycopg2")
STORE = f"{PACKAGE}.store"
OUTER = ("gui/", "api/", "exports/", "reminders/", "notify/", "commands/", "cli.py")
NO_LATE_IMPORTS = ("store/", "services/")



@dataclass(frozen=True)
class Import:
    source: str  # the importing file, relative to the package folder (posix)
    line: int
    module: str  # the module imported (for "from X import Y": X.Y when that is a module)
    in_function: bool
    type_checking: bool

    def where(self) -> str:
        return f"{PACKAGE}/{self.source}:{self.line}"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """A module of the package (a file or a package folder)."""
    if not name.startswith(PACKAGE):
        return False
    relative = Path(*name.split(".")).relative_to(PACKAGE)
    folder = ROOT / relative
    return folder.with_suffix(".py").is_file() or (folder / "__init__.py").is_file()


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


class _Collector(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = path.relative_to(ROOT).as_posix()
        self.found: list[Import] = []
        self._function = 0
        self._type_checking = 0

    def _add(self, node: ast.stmt, module: str) -> None:
        self.found.append(Import(self.source, node.lineno, module, self._function > 0,
                                 self._type_checking > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _absolute(node, self.path)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            self._add(node, full if is_module(full) else base)

    def _in_function(self, node: ast.AST) -> None:
        self._function += 1
        self.generic_visit(node)
        self._function -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _in_function

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        guarded = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        if not guarded:
            self.generic_visit(node)
            return
        self._type_checking += 1
        for child in node.body:
            self.visit(child)
        self._type_checking -= 1
        for child in node.orelse:
            self.visit(child)


def package_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts)


def all_imports() -> list[Import]:
    found: list[Import] = []
    for path in package_files():
        collector = _Collector(path)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        found.extend(collector.found)
    return found


def _is(module: str, roots: tuple[str, ...] | str) -> bool:
    roots = (roots,) if isinstance(roots, str) else roots
    return any(module == r or module.startswith(f"{r}.") for r in roots)


def _in(source: str, places: tuple[str, ...]) -> bool:
    return any(source == p or (p.endswith("/") and source.startswith(p)) for p in places)


def _report(offences: list[str]) -> str:
    return "\n".join(offences)


# -- the rules --------------------------------------------------------------------------------


def test_qt_only_in_the_gui() -> None:
    offences = [f"{i.where()} imports {i.module} outside gui/" for i in all_imports()
                if _is(i.module, QT) and not i.source.startswith("gui/")]
    assert not offences, _report(offences)


def test_peewee_only_in_the_store() -> None:
    offences = [f"{i.where()} imports {i.module} outside store/" for i in all_imports()
                if _is(i.module, PEEWEE) and not i.source.startswith("store/")]
    assert not offences, _report(offences)


def test_psycopg_only_in_the_store() -> None:
    """The PostgreSQL driver is the store's business like Peewee: services and the outer
    layers meet a server only as a ``Location`` and the store's errors."""
    offences = [f"{i.where()} imports {i.module} outside store/" for i in all_imports()
                if _is(i.module, PSYCOPG) and not i.source.startswith("store/")]
    assert not offences, _report(offences)


def test_outer_layers_do_not_import_the_store() -> None:
    offences = [f"{i.where()} imports {i.module}: outer layers go through "
                "mixtimer_gui.services (the workspace)" for i in all_imports()
                if _is(i.module, STORE) and _in(i.source, OUTER)]
    assert not offences, _report(offences)


def test_no_late_imports_in_store_and_services() -> None:
    offences = [f"{i.where()} imports {i.module} inside a function: import it at the top "
                "(a circle it would dodge must be broken instead)" for i in all_imports()
                if i.in_function and _in(i.source, NO_LATE_IMPORTS)]
    assert not offences, _report(offences)


def module_graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for i in imports:
        if i.type_checking or not _is(i.module, PACKAGE):
            continue
        source = module_name(ROOT / i.source)
        graph.setdefault(source, set())
        if i.module != source:
            graph[source].add(i.module)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, …, a], or ``None`` (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path: list[str] = [start]
        stack: list[Iterator[str]] = [iter(sorted(graph.get(start, ())))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


def _line_of(imports: list[Import], source: str, target: str) -> str:
    for i in imports:
        if module_name(ROOT / i.source) == source and i.module == target and not \
                i.type_checking:
            return i.where() + (" (inside a function)" if i.in_function else "")
    return source


def test_no_import_cycles() -> None:
    imports = all_imports()
    cycle = find_cycle(module_graph(imports))
    if cycle is not None:
        steps = [f"{_line_of(imports, a, b)} imports {b}" for a, b in pairwise(cycle)]
        raise AssertionError("import cycle:\n" + "\n".join(steps))


# -- the checker checks ------------------------------------------------------------------------


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) in (
        ["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"])
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_collector_sees_late_and_guarded_imports(tmp_path: Path) -> None:
    source = ROOT / "services" / "example_for_test.py"
    code = ("from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from peewee import Select\n"
            "def f():\n    from mixtimer_gui.store import db\n")
    collector = _Collector(source)
    collector.visit(ast.parse(code))
    seen = {(i.module, i.line, i.in_function, i.type_checking) for i in collector.found}
    assert ("peewee", 3, False, True) in seen
    assert ("mixtimer_gui.store.db", 5, True, False) in seen
