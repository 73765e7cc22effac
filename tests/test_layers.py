"""The layers of docs/DESIGN.md hold: every module imports, no two modules import each other
(directly or through others, deferred imports included), ``eig_portal.common`` imports no app,
and a lower layer never imports an upper one."""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("eig_portal", "promotions", "challenges", "surveys")
#: Layer of each package prefix, from the ground up (longest prefix wins).
LAYERS = {
    "eig_portal.common": 0,
    "promotions": 1,
    "challenges": 2,
    "surveys": 3,
    "eig_portal": 4,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    targets = []
    for alias in node.names:
        candidate = f"{prefix}.{alias.name}"
        targets.append(candidate if candidate in MODULES else prefix)
    return targets


def _imports(module: str, path: Path) -> set[str]:
    """The project modules ``module`` imports (anywhere in its body)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = _resolve(module, path, node)
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _layer(module: str) -> int:
    prefix = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[prefix]


def _is_package_init(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_imports(module):
    importlib.import_module(module)


def test_no_import_cycle_between_modules():
    """Package ``__init__`` modules that only gather their sub-modules (admin registration) are
    left out: importing a package runs its ``__init__`` first, which is no cycle of rules."""
    graph = {
        m: {t for t in targets if not _is_package_init(t)}
        for m, targets in GRAPH.items()
        if not _is_package_init(m)
    }
    cycles, state = [], {}

    def visit(module, stack):
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert cycles == []


#: Upward imports tolerated: none. An upper app gives a lower one what it needs through a hook
#: registered at start-up (``promotions.figures.register_record_hook`` and its siblings), and a
#: page or import composing two apps lives in the layer above both. Nothing may be added here.
KNOWN_UPWARD: set[str] = set()


def test_common_imports_no_app_and_lower_layers_never_import_upper_ones():
    upward = sorted(
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _layer(target) > _layer(module)
    )
    assert not [m for m in upward if m.startswith("eig_portal.common")]
    assert [m for m in upward if m not in KNOWN_UPWARD] == []
