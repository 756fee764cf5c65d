"""A readable API reference at /api/v1/docs, rendered on the server from the OpenAPI dict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, render_template, url_for

from webapp.api.common import ERROR_MEANINGS
from webapp.extensions import api

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Field:
    """One property of a schema, flattened for the page."""

    name: str
    type: str
    required: bool = False
    description: str = ""
    constraints: str = ""


@dataclass
class Body:
    """A request or response body: its status (responses), media type and fields."""

    status: str
    description: str
    media_type: str = ""
    schema_name: str = ""
    fields: list[Field] = field(default_factory=list)


@dataclass
class Operation:
    """One method on one path."""

    method: str
    path: str
    summary: str
    description: str
    tag: str
    anchor: str
    parameters: list[Field]
    request: Body | None
    responses: list[Body]


@bp.get("/docs")
def index() -> str:
    """The API reference: every operation with its parameters, bodies and errors."""
    spec = api.spec.to_dict()
    operations = _operations(spec)
    tags = [
        (tag["name"], tag.get("description", ""), [o for o in operations if o.tag == tag["name"]])
        for tag in spec.get("tags", [])
    ]
    return render_template(
        "api/docs.html",
        info=spec.get("info", {}),
        tags=[t for t in tags if t[2]],
        errors=[(status, str(text)) for status, text in sorted(ERROR_MEANINGS.items())],
        openapi_url=url_for("api-docs.openapi_json"),
    )


def _operations(spec: dict[str, Any]) -> list[Operation]:
    found = []
    paths: dict[str, dict[str, Any]] = spec.get("paths", {})
    for path, item in paths.items():
        for method in METHODS:
            if method in item:
                # Path parameters are declared once per path; each operation lists them.
                shared = item.get("parameters", [])
                op = {**item[method], "parameters": shared + item[method].get("parameters", [])}
                found.append(_operation(spec, path, method, op))
    return found


def _operation(spec: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> Operation:
    request = None
    body = op.get("requestBody")
    if body:
        media, content = next(iter(body.get("content", {}).items()))
        request = _body(spec, "", body.get("description", ""), media, content.get("schema"))
    responses = []
    for status, response in op.get("responses", {}).items():
        response = _resolve(spec, response)
        found: dict[str, Any] = response.get("content") or {"": {}}
        media, content = next(iter(found.items()))
        responses.append(
            _body(spec, status, response.get("description", ""), media, content.get("schema"))
        )
    anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-")
    return Operation(
        method=method.upper(),
        path=path,
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        tag=(op.get("tags") or [""])[0],
        anchor=anchor,
        parameters=[_parameter(spec, p) for p in op.get("parameters", [])],
        request=request,
        responses=sorted(responses, key=lambda b: b.status),
    )


def _parameter(spec: dict[str, Any], parameter: dict[str, Any]) -> Field:
    parameter = _resolve(spec, parameter)
    schema = _resolve(spec, parameter.get("schema", {}))
    return Field(
        name=f"{parameter['name']} ({parameter.get('in', '')})",
        type=_type(spec, schema),
        required=bool(parameter.get("required")),
        description=parameter.get("description", "") or schema.get("description", ""),
        constraints=_constraints(schema),
    )


def _body(spec: dict[str, Any], status: str, description: str, media: str, schema: Any) -> Body:
    if not schema:
        return Body(status, description, media)
    name = _ref_name(schema)
    resolved = _resolve(spec, schema)
    required = set(resolved.get("required", []))
    fields = [
        Field(
            name=prop,
            type=_type(spec, sub),
            required=prop in required,
            description=_resolve(spec, sub).get("description", ""),
            constraints=_constraints(_resolve(spec, sub)),
        )
        for prop, sub in resolved.get("properties", {}).items()
    ]
    return Body(status, description, media, name or _type(spec, schema), fields)


def _resolve(spec: dict[str, Any], obj: Any) -> dict[str, Any]:
    """Follow a `$ref` into the spec's components (once; ours never chain)."""
    if isinstance(obj, dict) and "$ref" in obj:
        target: Any = spec
        for part in obj["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {})
        return target if isinstance(target, dict) else {}
    return obj if isinstance(obj, dict) else {}


def _ref_name(schema: Any) -> str:
    return (
        schema["$ref"].rsplit("/", 1)[-1] if isinstance(schema, dict) and "$ref" in schema else ""
    )


def _type(spec: dict[str, Any], schema: Any) -> str:
    name = _ref_name(schema)
    if name:
        return name
    resolved = _resolve(spec, schema)
    kind = resolved.get("type", "any")
    if isinstance(kind, list):
        kind = " | ".join(str(k) for k in kind)
    if kind == "array":
        kind = f"array of {_type(spec, resolved.get('items', {}))}"
    if resolved.get("format"):
        kind = f"{kind} ({resolved['format']})"
    if resolved.get("nullable"):
        kind = f"{kind} | null"
    return str(kind)


def _constraints(schema: dict[str, Any]) -> str:
    parts = []
    if "enum" in schema:
        parts.append("one of " + ", ".join(str(v) for v in schema["enum"] if v is not None))
    for key, label in (
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minimum", "min"),
        ("maximum", "max"),
        ("maxItems", "max items"),
        ("default", "default"),
    ):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    if schema.get("readOnly"):
        parts.append("read-only")
    if schema.get("writeOnly"):
        parts.append("write-only")
    return "; ".join(parts)
