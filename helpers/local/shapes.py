"""Validate a request against botocore's own service model, worded the way AWS words it.

AWS reports every broken constraint at once: ``2 validation errors detected: Value '0' at
'resourceConfig.instanceCount' failed to satisfy constraint: Member must have value greater than
or equal to 1; Value null at 'roleArn' failed to satisfy constraint: Member must not be null``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from botocore.model import Shape

from .awserrors import SerializationException, ValidationException

_PY_TYPES = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "long": int,
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float, str),
    "blob": str,
    "list": list,
    "map": dict,
    "structure": dict,
}


def validate(shape: Shape, params: Any) -> None:
    """Raise ``ValidationException`` listing every violated constraint, as AWS does."""
    errors: list[str] = []
    _check(shape, params, "", errors)
    if errors:
        plural = "error" if len(errors) == 1 else "errors"
        summary = f"{len(errors)} validation {plural} detected: "
        raise ValidationException(summary + "; ".join(errors))


def _member_path(parent: str, name: str) -> str:
    name = name[:1].lower() + name[1:]
    return f"{parent}.{name}" if parent else name


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "'true'" if value else "'false'"
    if isinstance(value, dict):
        return "'{" + ", ".join(f"{k}={v}" for k, v in value.items()) + "}'"
    if isinstance(value, list):
        return "'[" + ", ".join(str(v) for v in value) + "]'"
    return f"'{value}'"


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except re.error:  # a Java-only construct: AWS checks it, we cannot
        return None


def _check(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    expected = _PY_TYPES.get(shape.type_name)
    if expected and not isinstance(value, expected) or (
        shape.type_name in ("integer", "long") and isinstance(value, bool)
    ):
        raise SerializationException(
            f"Start of structure or map found where not expected at '{path or 'request'}'"
            if isinstance(value, dict)
            else f"Cannot deserialize value {_describe(value)} as {shape.type_name} at '{path}'"
        )
    meta = shape.metadata
    fail = f"Value {_describe(value)} at '{path}' failed to satisfy constraint: Member must"
    if shape.type_name == "structure":
        for name in shape.required_members:
            if value.get(name) is None:
                errors.append(
                    f"Value null at '{_member_path(path, name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        for name, member in shape.members.items():
            if value.get(name) is not None:
                _check(member, value[name], _member_path(path, name), errors)
        return
    if shape.type_name in ("string", "list", "map"):
        size = len(value)
        if "min" in meta and size < meta["min"]:
            errors.append(f"{fail} have length greater than or equal to {meta['min']}")
        if "max" in meta and size > meta["max"]:
            errors.append(f"{fail} have length less than or equal to {meta['max']}")
    if shape.type_name == "string":
        if shape.enum and value not in shape.enum:
            errors.append(f"{fail} satisfy enum value set: [{', '.join(shape.enum)}]")
        pattern = meta.get("pattern")
        compiled = _compiled(pattern) if pattern else None
        if compiled is not None and not compiled.fullmatch(value):
            errors.append(f"{fail} satisfy regular expression pattern: {pattern}")
    elif shape.type_name in ("integer", "long", "float", "double"):
        if "min" in meta and value < meta["min"]:
            errors.append(f"{fail} have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            errors.append(f"{fail} have value less than or equal to {meta['max']}")
    elif shape.type_name == "list":
        for index, item in enumerate(value, start=1):
            _check(shape.member, item, f"{path}.{index}.member", errors)
    elif shape.type_name == "map":
        for key, item in value.items():
            _check(shape.key, key, f"{path}.{key}.key", errors)
            _check(shape.value, item, f"{path}.{key}.value", errors)
