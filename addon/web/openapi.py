"""The OpenAPI 3.1 document of `/api/v1`; request bodies are derived from the marshmallow schemas that check them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from addon.web.schemas import JobRequest, KeyResultPatch, Number

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        }
    },
}


def _field(field: fields.Field) -> dict:
    if isinstance(field, Number):
        return {"oneOf": [{"type": "number"}, {"type": "string"}], "description": 'e.g. 6500, "6,500", "70%"'}
    if isinstance(field, fields.String):
        out = {"type": "string"}
        for check in field.validators:
            if isinstance(check, validate.OneOf):
                out["enum"] = list(check.choices)
            if isinstance(check, validate.Length) and check.max is not None:
                out["maxLength"] = check.max
        return out
    return {"oneOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]}


def schema_of(schema: Schema) -> dict:
    """JSON Schema of a marshmallow schema's fields."""
    required = [name for name, field in schema.fields.items() if field.required]
    out = {
        "type": "object",
        "additionalProperties": False,
        "properties": {n: _field(f) for n, f in schema.fields.items()},
    }
    return out | ({"required": required} if required else {})


def _answer(description: str, ref: str | None = None) -> dict:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"} if ref else {"type": "object"}}}
    return {"description": description, "content": content}


def _errors(*codes: int) -> dict:
    names = {
        400: "Invalid fields",
        401: "Not signed in or bad id token",
        403: "Your role on the cycle's board does not allow changes",
        404: "Not found in your team",
        409: "Busy",
    }
    return {str(code): _answer(names[code], "Error") for code in codes}


def _id(name: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
    }


def _body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def document() -> dict:
    """The API's OpenAPI document."""
    ref = {"name": "ref", "in": "path", "required": True, "schema": {"type": "string", "example": "KR1.2"}}
    board = {"name": "board_id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "OKR Board for Miro API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"panelIdToken": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "panelIdToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "session": {"type": "apiKey", "in": "cookie", "name": "okrboard_session"},
            },
            "schemas": {
                "Error": ERROR,
                "KeyResultPatch": schema_of(KeyResultPatch()),
                "JobRequest": schema_of(JobRequest()),
            },
        },
        "paths": {
            "/cycles": {
                "get": {
                    "operationId": "listCycles",
                    "responses": {"200": _answer("Cycles of your team")} | _errors(401),
                }
            },
            "/cycles/{cycle_id}": {
                "get": {
                    "operationId": "getCycle",
                    "parameters": [_id("cycle_id")],
                    "responses": {"200": _answer("The cycle")} | _errors(401, 404),
                }
            },
            "/boards/{board_id}/cycle": {
                "get": {
                    "operationId": "getBoardCycle",
                    "parameters": [board],
                    "responses": {"200": _answer("The board's cycle")} | _errors(401, 404),
                }
            },
            "/cycles/{cycle_id}/key-results/{ref}": {
                "patch": {
                    "operationId": "updateKeyResult",
                    "parameters": [_id("cycle_id"), ref],
                    "requestBody": _body("KeyResultPatch"),
                    "responses": {"200": _answer("The key result after the change")} | _errors(400, 401, 403, 404),
                }
            },
            "/cycles/{cycle_id}/jobs": {
                "post": {
                    "operationId": "startJob",
                    "parameters": [_id("cycle_id")],
                    "requestBody": _body("JobRequest"),
                    "responses": {"202": _answer("The job, to poll")} | _errors(400, 401, 403, 404, 409),
                }
            },
            "/jobs/{job_id}": {
                "get": {
                    "operationId": "getJob",
                    "parameters": [_id("job_id")],
                    "responses": {"200": _answer("The job")} | _errors(401, 404),
                }
            },
            "/openapi.json": {
                "get": {"operationId": "openapi", "security": [], "responses": {"200": _answer("This document")}}
            },
        },
    }
