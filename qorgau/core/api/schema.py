"""The OpenAPI schema class: every operation documents the error answers it can give.

DRF answers 400 (invalid input, including a NUL character or a bad `limit`), 401 (no or a refused
credential), 403 (the role lacks the action), 404 (unknown or out of scope: the same answer) and 415
(a body in another media type) on every operation that can meet them, and 429 on the actions a viewset
lists in `rate_limited_actions` (IIN look-ups), and string query parameters
have `minLength: 1`; clients and schemathesis (scripts/fuzz-api.sh) hold the API to this.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "`detail` for a general error; otherwise field names with their messages (nested "
    "for nested fields), and `non_field_errors`.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

ERRORS = {
    "400": "Invalid input: field messages, or `detail`.",
    "401": "No credential, or the token or session was refused (expired, revoked, account locked).",
    "403": "Your role does not have this action.",
    "404": "Not found, or outside your scope (the same answer).",
    "415": "The body is not in a supported media type (send application/json).",
    "429": "Too many look-ups of different IINs in the last hour; see Retry-After.",
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation.setdefault("responses", {})
        wanted = ["400", "401", "403"]
        if "{" in self.path:
            wanted.append("404")
        if "requestBody" in operation:
            wanted.append("415")
        # Actions that look up IINs are limited per user (people/lookups.py): the viewset names them.
        if getattr(self.view, "action", None) in getattr(self.view, "rate_limited_actions", ()):
            wanted.append("429")
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            # An empty query parameter answers 400 (core/api/validation.py): the schema says so.
            if parameter.get("in") == "query" and schema.get("type") == "string":
                schema.setdefault("minLength", 1)
        for code in wanted:
            responses.setdefault(code, {"description": ERRORS[code]})
        for code, response in responses.items():
            if code.startswith(("4", "5")) and "content" not in response:
                response["content"] = {"application/json": {"schema": ERROR_SCHEMA}}
        return operation
