"""The package dependency rule, read from the source (docs/architecture.md).

Every import of every module under src/pyserverless is checked against `ALLOWED`: module-level and inside
functions (and under `if TYPE_CHECKING:`), `import x` and `from x import y`, relative imports resolved. A unit
is a package (`runtime`, `cli`, ...) or a loose module (`errors`, `asgi`, ...; `__init__` is
`pyserverless` itself). Imports inside a unit are free; across units only the edges in the table are allowed.
The flow is one way: cli -> command cores -> adapters -> project -> runtime, with errors, signals and
tomlcompat as leaves.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SOURCE / "pyserverless"

ALLOWED: dict[str, set[str]] = {
    "runtime": set(),
    "errors": set(),
    "signals": set(),
    "tomlcompat": set(),
    # types: the TypedDicts of `event`, imported by handlers (and shipped to Lambda with the runtime).
    "types": set(),
    "__init__": {"runtime"},
    "project": {"runtime", "errors", "tomlcompat"},
    "server": {"runtime", "project", "errors", "signals"},
    "twilio_api": {"errors"},
    "deploy": {"__init__", "runtime", "project", "errors", "tomlcompat"},
    "simulate": {"runtime", "project", "server", "errors"},
    # deploy: `phone-numbers:update` joins a bare path to the URL the deploy record (deploy.state) holds.
    # simulate: the dev phone (dev.phone_pages) that `start` serves runs the conversation simulator.
    "dev": {"runtime", "project", "server", "twilio_api", "deploy", "simulate", "errors", "signals"},
    "scaffold": {"__init__", "project", "twilio_api", "errors", "tomlcompat"},
    "operate": {"runtime", "project", "deploy", "errors"},
    "asgi": {"server"},
    "testing": {"simulate", "project", "errors"},
    "cli": {
        "__init__",
        "runtime",
        "project",
        "server",
        "dev",
        "twilio_api",
        "simulate",
        "scaffold",
        "deploy",
        "operate",
        "errors",
        "signals",
        "tomlcompat",
    },
    "__main__": {"cli"},
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "pyserverless.dev.session"
    line: int
    target: str  # the imported module, e.g. "pyserverless.server.serving"


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name; a package by its own name."""
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """What `name` imports anywhere in its file; `from a import b` names `a.b` when that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(name, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.append(Import(name, node.lineno, submodule if submodule in modules else source))
    return found


def unit(module: str) -> str | None:
    """The package or loose module `module` belongs to; None outside pyserverless."""
    parts = module.split(".")
    if parts[0] != "pyserverless":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def cross_unit_imports() -> list[Import]:
    modules = module_names()
    found = []
    for name, path in modules.items():
        for imported in imports_of(name, path, modules):
            target = unit(imported.target)
            if target is not None and target != unit(name):
                found.append(imported)
    return found


def test_every_package_and_loose_module_has_a_row() -> None:
    assert {unit(name) for name in module_names()} == set(ALLOWED)


def test_runtime_imports_only_itself_and_only_main_imports_the_cli() -> None:
    assert ALLOWED["runtime"] == set()
    assert {name for name, allowed in ALLOWED.items() if "cli" in allowed} == {"__main__"}


def test_imports_follow_the_allowed_edges() -> None:
    offending = [
        f"{i.module} (line {i.line}) imports {i.target}: {unit(i.module)} may import only "
        f"{', '.join(sorted(ALLOWED[str(unit(i.module))])) or 'itself'}"
        for i in cross_unit_imports()
        if unit(i.target) not in ALLOWED[str(unit(i.module))]
    ]
    assert offending == []
