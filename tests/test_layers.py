"""One way down: a module imports only modules of its own layer or of the layers below, and no
modules import each other in a circle. The layers are those geo/__init__.py describes."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module belongs to the longest prefix that names it; a plain geo.X is core.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("geo",),
    ("geo.archive",),
    ("geo.dataset",),
    ("geo.ingest",),
    ("geo.web",),
    ("geo.review",),
    ("geo.cli", "geo.__main__"),
    ("views",),
    ("app",),
    ("benchmarks",),
)
TOP_PACKAGES = ("geo", "views", "app", "benchmarks")


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), number
    if rank < 0:
        raise ValueError(f"{module} is in no layer")
    return rank


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path) -> Iterator[Path]:
    yield from sorted((root / "geo").rglob("*.py"))
    yield from sorted((root / "views").glob("*.py"))
    yield from sorted((root / "benchmarks").glob("*.py"))
    if (root / "app.py").is_file():
        yield root / "app.py"


def imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project's modules this module imports, anywhere in it (lazy imports count too)."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                     for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in TOP_PACKAGES:
                while name not in known and "." in name:
                    name = name.rpartition(".")[0]
                if name in known and name != module:
                    found.add(name)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    files = {module_name(path, root): path for path in source_files(root)}
    known = set(files)
    return {module: imported(ast.parse(path.read_text(encoding="utf-8")), module,
                             path.name == "__init__.py", known)
            for module, path in files.items()}


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import that runs from a lower layer to a higher one."""
    return sorted(f"{module} -> {target}" for module, targets in graph.items()
                  for target in targets if layer_of(target) > layer_of(module))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected components of two or more modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_runs_back_up() -> None:
    assert upward(import_graph(ROOT)) == []


def test_no_import_circles() -> None:
    assert circles(import_graph(ROOT)) == []


def test_every_module_has_a_layer() -> None:
    for module in import_graph(ROOT):
        layer_of(module)  # raises for a module outside every layer


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("source", [
    "from geo.web.render import text\n",
    "import geo.web.render\n",
    "def later():\n    from geo.web import render\n",
    "from .web import render\n",
])
def test_a_deliberately_bad_import_is_caught(tmp_path: Path, source: str) -> None:
    root = _tree(tmp_path, {"geo/__init__.py": "", "geo/models.py": source,
                            "geo/web/__init__.py": "", "geo/web/render.py": "text = 1\n"})
    assert upward(import_graph(root)) == ["geo.models -> geo.web.render"]


def test_a_circle_is_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"benchmarks/a.py": "from benchmarks.b import x\ny = 1\n",
                            "benchmarks/b.py": "from benchmarks.a import y\nx = 1\n"})
    assert circles(import_graph(root)) == [["benchmarks.a", "benchmarks.b"]]


if __name__ == "__main__":  # python tests/test_layers.py: the graph's figures
    graph = import_graph(ROOT)
    print(f"{len(graph)} modules in {len({layer_of(m) for m in graph})} layers, "
          f"{sum(len(t) for t in graph.values())} imports, {len(upward(graph))} running back up, "
          f"{len(circles(graph))} circles")
