"""Miro operations grouped by area; `MiroClient` mixes them in over its request loop."""

from __future__ import annotations

from typing import Any


class OperationsBase:
    """What every operation mixin needs from the client: one call per Miro operation."""

    def _call(
        self,
        operation_id: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        credits: int | None = None,
        **path_params: str,
    ) -> Any:
        raise NotImplementedError


def body(**fields: Any) -> dict[str, Any]:
    """Return a JSON body of the fields that were given (Miro treats absent and null differently)."""
    return {name: value for name, value in fields.items() if value is not None}


def query_params(**params: Any) -> dict[str, str]:
    """Return query parameters without the absent ones, as strings (Miro types `limit` as a string)."""
    return {name: str(value) for name, value in params.items() if value is not None}


def parent(parent_id: str | None) -> dict[str, str] | None:
    """Return Miro's `parent` object for a frame id, or None."""
    return {"id": str(parent_id)} if parent_id is not None else None
