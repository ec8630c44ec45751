"""Imports point one way: the domain is pure, miro_client stands alone, web and CLI stay on top."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def imported_modules(folder: Path):
    for path in folder.rglob("*.py"):
        yield from imported_modules_of(path)


def imported_modules_of(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield path, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield path, node.module


def test_domain_imports_only_the_standard_library_and_itself():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path, name in imported_modules(ROOT / "addon" / "domain")
        if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith("addon.domain")
    ]
    assert offenders == []


def test_miro_client_imports_neither_flask_nor_addon():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path, name in imported_modules(ROOT / "miro_client")
        if name.split(".")[0] in {"flask", "addon", "werkzeug", "miro_emulator"}
    ]
    assert offenders == []


# What services may not import: they reach Miro and the store only through their ports (addon/services/ports.py).
# They may read the product's files (board layouts, plan files) through the two adapters that read them.
BEHIND_PORTS = (
    "miro_client",
    "requests",
    "sqlalchemy",
    "alembic",
    "addon.adapters.orm",
    "addon.adapters.store",
    "addon.adapters.repository",
    "addon.adapters.board_journal",
    "addon.adapters.locks",
    "addon.adapters.database",
    "addon.adapters.miro_gateway",
)
FILE_ADAPTERS = ("addon.adapters.board_layouts", "addon.adapters.plan_file")


def test_services_reach_miro_and_the_store_only_through_their_ports():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path, name in imported_modules(ROOT / "addon" / "services")
        if name.startswith(BEHIND_PORTS) or (name.startswith("addon.adapters") and not name.startswith(FILE_ADAPTERS))
    ]
    assert offenders == []


def test_the_layering_rule_catches_a_service_that_reaches_past_its_ports(tmp_path):
    service = tmp_path / "addon" / "services" / "leaky.py"
    service.parent.mkdir(parents=True)
    service.write_text("from addon.adapters.orm import KeyResultRow\nimport sqlalchemy\nfrom miro_client import X\n")
    found = [name for _, name in imported_modules(tmp_path / "addon" / "services") if name.startswith(BEHIND_PORTS)]
    assert sorted(found) == ["addon.adapters.orm", "miro_client", "sqlalchemy"]


def test_the_generation_package_has_no_import_circle():
    package = ROOT / "addon" / "services" / "generation"
    graph = {
        path.stem: {
            name.rsplit(".", 1)[-1]
            for _, name in imported_modules_of(path)
            if name.startswith("addon.services.generation.")
        }
        for path in package.glob("*.py")
    }

    def reaches(start, target, seen=()):
        return any(
            nxt == target or (nxt not in seen and reaches(nxt, target, (*seen, nxt))) for nxt in graph.get(start, ())
        )

    assert [name for name in graph if reaches(name, name)] == []


def test_services_do_not_reach_up_into_web_or_cli():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path, name in imported_modules(ROOT / "addon" / "services")
        if name.startswith(("addon.web", "addon.cli", "flask"))
    ]
    assert offenders == []


def test_domain_does_not_reach_out_to_services_or_adapters():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path, name in imported_modules(ROOT / "addon" / "domain")
        if name.startswith(("addon.services", "addon.adapters", "addon.web"))
    ]
    assert offenders == []
