"""The subset of Miro's official OpenAPI contract that this project's client and emulator follow."""

import json
from functools import cache
from pathlib import Path

SUBSET_PATH = Path(__file__).with_name("miro-openapi-subset.json")


@cache
def load_subset() -> dict:
    """Return the extracted OpenAPI document (paths this product uses, their schemas, rate levels, scopes)."""
    return json.loads(SUBSET_PATH.read_text(encoding="utf-8"))


def rate_level(method: str, path_template: str) -> int | None:
    """Return Miro's rate-limit level (1..4) of an operation, as the official spec states it."""
    operation = load_subset()["paths"].get(path_template, {}).get(method.lower())
    return operation.get("x-rate-limit-level") if operation else None
