"""The package's structure, checked from the source with ``ast``:

* no module of ``src/analysis`` imports another module's private names (``from
  analysis.x import _name``, or ``module._name`` on an imported analysis module);
* no import cycles between the modules of ``src/analysis``, counting module-level AND
  function-level imports (``import``, ``from ... import``, ``importlib.import_module("...")``
  with a literal name).

Known violations outside the text/measures/topics area are listed below, each with a
comment; the lead empties these allowlists when the branches that fix them are merged.
A violation not listed fails; a listed one that is gone fails too (so the lists shrink).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "analysis"

# (importing module, imported module, name)
PRIVATE_IMPORT_ALLOWLIST: set[tuple[str, str, str]] = set()  # none: keep it so

# cycles, as sorted tuples of the modules of one strongly connected component
CYCLE_ALLOWLIST: set[tuple[str, ...]] = set()  # none: keep it so


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(mod: str) -> bool:
    return MODULES.get(mod, Path()).name == "__init__.py"


def _absolute(mod: str, level: int, name: str | None) -> str:
    """The absolute module name of a (possibly relative) ``from`` import in ``mod``."""
    if level == 0:
        return name or ""
    base = mod.split(".")
    if not _is_package(mod):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _imports(mod: str, tree: ast.AST):
    """Yield (target module, imported name or None, lineno) for every import of an analysis module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(mod, node.level, node.module)
            if target != PACKAGE and not target.startswith(PACKAGE + "."):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:  # a submodule
                    yield sub, None, node.lineno
                else:
                    yield target, alias.name, node.lineno
        elif isinstance(node, ast.Call):
            f = node.func
            is_import_module = (isinstance(f, ast.Attribute) and f.attr == "import_module") or (
                isinstance(f, ast.Name) and f.id == "import_module")
            if is_import_module and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and node.args[0].value.startswith(PACKAGE):
                yield node.args[0].value, None, node.lineno


def _module_aliases(mod: str, tree: ast.AST) -> dict[str, str]:
    """Local names bound to analysis modules (``import analysis.x as m``, ``from analysis import x``)."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in MODULES:
                    out[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(mod, node.level, node.module)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:
                    out[alias.asname or alias.name] = sub
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports() -> set[tuple[str, str, str]]:
    found = set()
    for mod, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target, name, _ in _imports(mod, tree):
            if name is not None and _private(name) and target != mod:
                found.add((mod, target, name))
        aliases = _module_aliases(mod, tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and _private(node.attr):
                target = aliases.get(node.value.id)
                if target is not None and target != mod:
                    found.add((mod, target, node.attr))
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for mod, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target, _, _ in _imports(mod, tree):
            while target not in MODULES and "." in target:  # e.g. an attribute path
                target = target.rsplit(".", 1)[0]
            if target in MODULES and target != mod:
                graph[mod].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out = set()
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.add(tuple(sorted(comp)))
    return out


def test_the_checks_find_what_they_look_for(tmp_path):
    """The cycle finder and the private-name check on small known cases."""
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": {"e"}, "g": set()}
    assert cycles(g) == {("a", "b", "c"), ("e", "f")}
    tree = ast.parse("from analysis.measures.cooccurrence import _x, y\n"
                     "def f():\n    import analysis.text.tokenize as t\n    return t._hidden\n"
                     "from . import vectorize\nvectorize._z\n")
    mod = "analysis.text.stopwords"
    names = {(t, n) for t, n, _ in _imports(mod, tree)}
    assert ("analysis.measures.cooccurrence", "_x") in names and ("analysis.text.vectorize", None) in names
    assert _module_aliases(mod, tree) == {"t": "analysis.text.tokenize", "vectorize": "analysis.text.vectorize"}
    assert _absolute("analysis.text.stopwords", 2, "measures") == "analysis.measures"


def test_no_module_imports_private_names():
    found = private_imports()
    new = sorted(found - PRIVATE_IMPORT_ALLOWLIST)
    assert not new, "private names imported across modules (make them public or move them):\n" + "\n".join(
        f"  {a} imports {c} from {b}" for a, b, c in new)
    gone = sorted(PRIVATE_IMPORT_ALLOWLIST - found)
    assert not gone, f"fixed, remove from PRIVATE_IMPORT_ALLOWLIST: {gone}"


def test_no_import_cycles():
    found = cycles(import_graph())
    new = sorted(found - CYCLE_ALLOWLIST)
    assert not new, "import cycles (module- or function-level):\n" + "\n".join(f"  {' <-> '.join(c)}" for c in new)
    gone = sorted(CYCLE_ALLOWLIST - found)
    assert not gone, f"fixed, remove from CYCLE_ALLOWLIST: {gone}"


@pytest.mark.parametrize("area", ["analysis.text", "analysis.measures", "analysis.topics"])
def test_text_measures_topics_have_no_allowlisted_violations(area):
    """The allowlists are for other areas only: text/, measures/ and topics/ are clean."""
    def inside(mod):
        return mod == area or mod.startswith(area + ".")

    assert not [v for v in PRIVATE_IMPORT_ALLOWLIST | private_imports() if inside(v[0])]
    assert not [c for c in CYCLE_ALLOWLIST | cycles(import_graph()) if any(inside(m) for m in c)]
