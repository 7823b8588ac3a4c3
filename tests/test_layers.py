"""The package's layers import one way only, read from the source (every import, module-level or in a function).

A layer imports itself and the layers listed before it. A module belongs to the layer of the longest prefix
below that names it; `devhealth` alone catches the application's modules (jobs, report, API, grouped syncs).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "devhealth"
ADAPTER = ROOT / "adapters" / "dbt_chdb" / "dbt" / "adapters" / "chdb"

# lowest first
LAYERS: dict[str, tuple[str, ...]] = {
    # errors, settings, the engines (chDB, pgserver) and the dlt loader into raw: nothing of the application
    "core": ("devhealth.errors", "devhealth.unreachable", "devhealth.settings", "devhealth.locks",
             "devhealth.postgres", "devhealth.warehouse", "devhealth.destinations", "devhealth.pipelines"),
    # PostgreSQL: models, migrations, services, and the organization and sync-run records syncs keep there
    "semantic": ("devhealth.semantic_db", "devhealth.orgs"),
    "extract": ("devhealth.extract",),
    "app": ("devhealth",),
    "cli": ("devhealth.cli",),
}
# the dbt adapter runs inside dbt: it shares the process's chDB engine and may read the core only
ADAPTER_MAY_IMPORT = "core"


def layer_of(module: str) -> str | None:
    """The layer of `module`, by its longest listed prefix; None outside the package."""
    best: tuple[int, str | None] = (0, None)
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), layer)
    return best[1]


def modules_under(folder: Path, package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join([package, *parts]), path


def imported_modules(module: str, path: Path, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones resolved, `from pkg import mod` as `pkg.mod`."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield node.lineno, submodule if submodule in known else target


def violations(modules: list[tuple[str, Path]], allowed: dict[str, str] | None = None) -> list[str]:
    """One line per import of a higher layer: `file:line: module (layer) imports target (layer)`.

    `allowed` maps a module prefix outside the package (the adapter) to the highest layer it may import.
    """
    order = list(LAYERS)
    known = {name for name, _ in modules}
    found = []
    for module, path in modules:
        own = layer_of(module)
        ceiling = own
        for prefix, layer in (allowed or {}).items():
            if module == prefix or module.startswith(prefix + "."):
                ceiling = layer
        if ceiling is None:
            continue
        for line, target in imported_modules(module, path, known):
            target_layer = layer_of(target)
            if target_layer is not None and order.index(target_layer) > order.index(ceiling):
                found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{line}: "
                             f"{module} ({ceiling}) imports {target} ({target_layer})")
    return found


def test_layers_import_downward_only() -> None:
    modules = [*modules_under(PACKAGE, "devhealth"), *modules_under(ADAPTER, "dbt.adapters.chdb")]
    assert len(modules) > 100
    assert violations(modules, {"dbt.adapters.chdb": ADAPTER_MAY_IMPORT}) == []


def test_every_layer_is_in_the_package() -> None:
    """A listed prefix that names no module is a layer list gone stale after a move."""
    names = {name for name, _ in modules_under(PACKAGE, "devhealth")}
    missing = [prefix for prefixes in LAYERS.values() for prefix in prefixes if prefix not in names]
    assert missing == []


def test_the_adapter_reaches_the_engine_through_the_core() -> None:
    """The adapter's one import of devhealth is the core's chDB client (one engine per process)."""
    targets = {target for module, path in modules_under(ADAPTER, "dbt.adapters.chdb")
               for _, target in imported_modules(module, path, set()) if target.startswith("devhealth")}
    assert targets == {"devhealth.warehouse"}
    assert layer_of("devhealth.warehouse") == "core"


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    """The check itself: an extract module importing the application, in a function, and the adapter
    importing the semantic layer are each named with their line."""
    extract = tmp_path / "extract"
    extract.mkdir()
    (extract / "__init__.py").write_text("")
    (extract / "source.py").write_text("from devhealth.errors import ConfigError\n\n"
                                       "def run():\n    from devhealth.job import run_job\n")
    (extract / "relative.py").write_text("from .. import report\n")
    adapter = tmp_path / "connections.py"
    adapter.write_text("import devhealth.orgs\n")
    modules = [("devhealth.extract", extract / "__init__.py"), ("devhealth.extract.source", extract / "source.py"),
               ("devhealth.extract.relative", extract / "relative.py"),
               ("devhealth.report", tmp_path / "report.py"), ("dbt.adapters.chdb.connections", adapter)]
    (tmp_path / "report.py").write_text("from devhealth.extract import source\n")
    assert violations(modules, {"dbt.adapters.chdb": ADAPTER_MAY_IMPORT}) == [
        f"{extract / 'source.py'}:4: devhealth.extract.source (extract) imports devhealth.job (app)",
        f"{extract / 'relative.py'}:1: devhealth.extract.relative (extract) imports devhealth.report (app)",
        f"{adapter}:1: dbt.adapters.chdb.connections (core) imports devhealth.orgs (semantic)",
    ]


def test_no_script_folder_shadows_the_standard_library() -> None:
    """`python src/devhealth/extract/x_pipeline.py` puts extract/ first on sys.path: none of its names may be a
    standard module's (extract/http.py once made that run import itself as `http`)."""
    folders = {path.parent for path in PACKAGE.rglob("*_pipeline.py")}
    assert folders == {PACKAGE / "extract"}
    names = {path.stem if path.is_file() else path.name for folder in folders for path in folder.iterdir()
             if (path.suffix == ".py" or (path / "__init__.py").is_file())}
    assert "git_pipeline" in names
    assert sorted(names & sys.stdlib_module_names) == []
