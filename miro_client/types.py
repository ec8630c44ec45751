"""Shapes of what the client sends and returns.

Inputs are TypedDicts that mirror Miro's request bodies. Responses stay plain dicts (the JSON Miro
returns): a strict model breaks a whole page when Miro adds an enum value or changes a type.
"""

from __future__ import annotations

from typing import Any, Required, TypedDict

Board = dict[str, Any]
Item = dict[str, Any]
Connector = dict[str, Any]
Tag = dict[str, Any]
BoardMember = dict[str, Any]
TokenContext = dict[str, Any]


class Position(TypedDict, total=False):
    """An item's centre; relative to the parent frame's top-left corner when the item has a parent."""

    x: float
    y: float


class Geometry(TypedDict, total=False):
    """Size and rotation (degrees, clockwise); which keys each item type accepts varies."""

    width: float
    height: float
    rotation: float


class Parent(TypedDict):
    """The frame holding an item."""

    id: str


class ItemCreate(TypedDict, total=False):
    """One element of a bulk create request (https://developers.miro.com/reference/create-items)."""

    type: Required[str]
    data: dict[str, Any]
    style: dict[str, Any]
    position: Position
    geometry: Geometry
    parent: Parent


class ConnectorEnd(TypedDict, total=False):
    """One end of a connector: the item id and either a relative position ("50%") or a side to snap to."""

    id: Required[str]
    position: dict[str, str]
    snapTo: str
