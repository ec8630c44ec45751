"""Imports point one way: the domain is pure, miro_client stands alone, web and CLI stay on top."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def imported_modules(folder: Path):
    for path in folder.rglob("*.py"):
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
