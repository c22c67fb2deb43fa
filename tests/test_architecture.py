"""The import rules of ARCHITECTURE.md, checked on the source: parse every module's imports with
ast (top-level and inside functions; `if TYPE_CHECKING:` imports are types only and skipped)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "claimledger"

# third-party module -> the only places (module names, or packages ending in ".") that may use it
RESTRICTED = {
    "click": ("claimledger.cli.",),
    "rich": ("claimledger.cli.",),
    "sqlite3": ("claimledger.ledger.",),
    "sqlite_utils": ("claimledger.ledger.",),
    "requests": ("claimledger.pubmed.eutils",),
    "urllib3": ("claimledger.pubmed.eutils",),
    "socket": ("claimledger.pubmed.eutils",),
    "http": ("claimledger.pubmed.eutils",),
    "yaml": ("claimledger.library.", "claimledger.data."),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_block(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name | ast.Attribute)
        and ast.unparse(node.test).endswith("TYPE_CHECKING")
    )


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        if _type_checking_block(child):
            continue
        yield child
        yield from _walk(child)


def imports(path: Path) -> set[str]:
    """Absolute names of every module the file imports (relative imports resolved)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in _walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from claimledger.service import review` imports the submodule
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}
GRAPH = {
    name: {m for m in imports(path) if m in MODULES and m != name} for name, path in MODULES.items()
}


def _allowed(module: str, places: tuple[str, ...]) -> bool:
    """A place ending in "." is a package: the package and everything in it."""
    return any(
        module == p.rstrip(".") or module.startswith(p) if p.endswith(".") else module == p
        for p in places
    )


@pytest.mark.parametrize("lib", sorted(RESTRICTED))
def test_third_party_modules_stay_in_their_layer(lib: str) -> None:
    offenders = sorted(
        name
        for name, path in MODULES.items()
        if any(m == lib or m.startswith(lib + ".") for m in imports(path))
        and not _allowed(name, RESTRICTED[lib])
    )
    assert offenders == [], f"{lib} imported outside {RESTRICTED[lib]}"


def test_no_import_cycles_between_claimledger_modules() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


# package -> claimledger packages it may import, besides itself and the shared top-level modules
# (model, clock, errors, textutil, ...). library/ holds the data loader, so judgement code that
# reads word lists imports it.
LAYERS = {
    "cli": {"service", "reports", "library"},
    "service": {"ledger", "library", "pubmed", "assess", "copy", "reports"},
    "reports": {"ledger", "library", "pubmed", "assess", "copy"},
    "ledger": {"library", "pubmed"},
    "assess": {"pubmed", "library", "data"},
    "copy": {"library", "data"},
    "library": {"data"},
    "pubmed": set(),
}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


# top-level modules (claimledger/x.py) are shared helpers every package may use; __main__ is the
# entry point, not a helper
SHARED = {
    "",
    *(_package(m) for m, p in MODULES.items() if p.parent == PKG and m.count(".") == 1),
} - {"__main__"}


def test_shared_modules_import_only_shared_modules() -> None:
    """A helper every package may import must not pull a package in (or it hides a layer)."""
    wrong = sorted(
        f"{name} imports {dep}"
        for name, deps in GRAPH.items()
        if _package(name) in SHARED and name != "claimledger"
        for dep in deps
        if _package(dep) not in SHARED
    )
    assert wrong == []


def test_packages_import_only_the_layers_below_them() -> None:
    wrong = sorted(
        f"{name} imports {dep}"
        for name, deps in GRAPH.items()
        if _package(name) in LAYERS
        for dep in deps
        if _package(dep) not in {_package(name), *SHARED, *LAYERS[_package(name)]}
    )
    assert wrong == []


def test_the_checker_sees_imports_it_must_see() -> None:
    """The rules above are only as good as the parser: it must find lazy and relative imports."""
    assert "claimledger.service.evidence" in imports(PKG / "cli" / "evidence_cmds.py")
    assert "sqlite_utils" in imports(PKG / "ledger" / "store.py")
    assert "claimledger.ledger.store" not in imports(PKG / "model.py")
    assert GRAPH["claimledger.cli.review_cmds"] >= {"claimledger.service.review"}
