"""Extract the facts this project needs from Miro's official OpenAPI spec into a compact subset.

Run: python -m miro_emulator.spec.extract PATH/TO/miro-openapi-v2-*.json > miro_emulator/spec/miro-openapi-subset.json

The subset keeps only the operations the product uses and the schemas they reference. Prose (descriptions,
summaries, examples) is dropped; the rate-limit level and required scope, which the spec only states inside each
operation's HTML description (https://developers.miro.com/reference/rate-limiting), become the extension fields
`x-rate-limit-level` and `x-required-scope`. Error responses the spec references but never defines get a
placeholder so that validators can load the document.
"""

import json
import re
import sys

USED_PATH_PREFIXES = (
    "/v2/boards",
    "/v1/oauth-token",
    "/v1/oauth/revoke",
    "/v2/oauth/revoke",
)
USED_RESOURCES = {
    "app_cards",
    "cards",
    "connectors",
    "frames",
    "items",
    "members",
    "shapes",
    "sticky_notes",
    "tags",
    "texts",
}
PROSE_KEYS = {"description", "summary", "example", "examples", "externalDocs", "x-settings", "tags"}
LEVEL = re.compile(r"Level\s*(\d)")
SCOPE = re.compile(r"scopes>\s*([a-z_]+:[a-z_]+)")


def _path_is_used(path: str) -> bool:
    if not path.startswith(USED_PATH_PREFIXES) or "FileUpload" in path or "usingfilefromdevice" in path:
        return False
    parts = path.split("/")
    return len(parts) <= 4 or parts[4] in USED_RESOURCES


def _strip(node, parent_key: str = ""):
    """Drop prose keys, except where a key is a property name inside `properties`."""
    if isinstance(node, dict):
        return {
            key: _strip(value, key)
            for key, value in node.items()
            if parent_key == "properties" or key not in PROSE_KEYS
        }
    if isinstance(node, list):
        return [_strip(value, parent_key) for value in node]
    return node


def _refs(node, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def extract(spec: dict) -> dict:
    """Return the subset document for the given full spec."""
    paths = {}
    for path, item in spec["paths"].items():
        if not _path_is_used(path):
            continue
        kept = {}
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            description = operation.get("description", "")
            operation = _strip(operation)
            if "operationId" in operation:
                level = LEVEL.search(description)
                scope = SCOPE.search(description)
                operation["x-rate-limit-level"] = int(level.group(1)) if level else None
                operation["x-required-scope"] = scope.group(1) if scope else None
            kept[method] = operation
        paths[path] = kept

    components = {
        "schemas": {},
        "parameters": {},
        "responses": {},
        "securitySchemes": spec["components"].get("securitySchemes", {}),
    }
    pending: set[str] = set()
    _refs(paths, pending)
    done: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in done:
            continue
        done.add(ref)
        _, _, kind, name = ref.split("/", 3)
        source = spec["components"].get(kind, {}).get(name)
        if source is None:
            # The spec references error responses it never defines; a placeholder lets validators load it.
            components.setdefault(kind, {})[name] = {
                "description": "error",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
            continue
        components[kind][name] = _strip(source)
        _refs(source, pending)
    return {
        "openapi": spec["openapi"],
        "info": {
            "title": spec["info"]["title"],
            "version": spec["info"]["version"],
            "x-source": "miroapp/api-clients packages/generator/spec.json (subset, prose removed)",
        },
        "servers": spec.get("servers", []),
        "paths": dict(sorted(paths.items())),
        "components": {kind: dict(sorted(entries.items())) for kind, entries in components.items()},
    }


def main(argv: list[str]) -> int:
    """Print the subset of the spec file named in argv[1]."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    json.dump(extract(spec), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
