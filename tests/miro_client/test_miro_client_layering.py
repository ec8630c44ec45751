"""miro_client stands alone: it imports neither Flask nor the add-on, and needs only requests."""

from __future__ import annotations

import ast
from pathlib import Path

import miro_client

PACKAGE = Path(miro_client.__file__).parent
ALLOWED_THIRD_PARTY = {"requests", "urllib3"}
FORBIDDEN = {"flask", "addon", "miro_emulator", "sqlalchemy", "marshmallow"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_miro_client_imports_no_flask_addon_or_emulator():
    for path in PACKAGE.rglob("*.py"):
        assert not _imports(path) & FORBIDDEN, path


def test_the_client_core_needs_only_requests_beyond_the_standard_library():
    import sys

    for path in PACKAGE.rglob("*.py"):
        third_party = {name for name in _imports(path) if name not in sys.stdlib_module_names}
        assert third_party <= ALLOWED_THIRD_PARTY | {"miro_client"}, (path, third_party)
