"""The API's OpenAPI schema: each operation with the answers every operation can give.

Apart from `web/api.py` because the schema generator imports DRF's views, which import the
pagination class that `web/api.py` defines."""
from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema


class Schema(AutoSchema):
    """The OpenAPI schema of each operation, with the answers every operation can give besides
    its own: 400 (bad input: a parameter or body the rules refuse), 401 (not signed in), 403
    (not this person's), 404 (no such record that you may see). Each is a JSON object whose
    `detail` says why."""

    REFUSALS = {"400": "Bad input: `detail` says what is wrong, `field` names it.",
                "401": "Not signed in (a session or `Authorization: Token <key>`).",
                "403": "Not this person's to see or do.",
                "404": "No such record that you may see."}

    def _get_response_bodies(
            self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, description in self.REFUSALS.items():
            responses.setdefault(code, {"description": description, "content": {
                "application/json": {"schema": ERROR_SCHEMA}}})
        return responses


#: A refusal as the API answers it: `detail` always, other keys by kind of refusal.
ERROR_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}},
                "required": ["detail"], "additionalProperties": True}


def empty_means_any(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular's post-processing: a query parameter with a fixed set of values also
    takes the empty value, which filters nothing (as django-filter reads it)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and "enum" in schema and \
                        "" not in schema["enum"]:
                    schema["enum"] = [*schema["enum"], ""]
    return result
