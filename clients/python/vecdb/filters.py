"""Filters as plain dicts, in the JSON shape of the CLI's ``--filter``.

One dict per node::

    {"field": "lang", "op": "eq", "value": "en"}
    {"field": "year", "op": "in", "values": [2020, 2021]}
    {"field": "tags", "op": "exists"}
    {"all_of": [...]}   {"any_of": [...]}   {"not": {...}}
    {"text": "heart attack"}   {"text": "x", "op": "not_contains"}

Field ops: eq ne gt gte lt lte in not_in exists contains_any contains_all.
Text ops: contains (the default) and not_contains. A field condition takes
"value" (one) or "values" (a list), or neither for exists; each value is a
str, int, float or bool (ints become int64 values, floats doubles).

Only the shape is checked here; the server checks the rest (value counts
per operator, limits) and names the node in the proto's terms. A bad shape
raises ``ValueError`` whose message starts with the path of the bad node,
the root being "filter"::

    filter.all_of[1].not: expected a dict, got list
"""

from __future__ import annotations

import json
import numbers
from typing import Any, List, Mapping, Union

from vecdb.v1 import vecdb_pb2 as pb

# Root = depth 1, as the server counts.
MAX_DEPTH = 16

_FIELD_OPS = {
    "eq": pb.FIELD_OP_EQ,
    "ne": pb.FIELD_OP_NE,
    "gt": pb.FIELD_OP_GT,
    "gte": pb.FIELD_OP_GTE,
    "lt": pb.FIELD_OP_LT,
    "lte": pb.FIELD_OP_LTE,
    "in": pb.FIELD_OP_IN,
    "not_in": pb.FIELD_OP_NOT_IN,
    "exists": pb.FIELD_OP_EXISTS,
    "contains_any": pb.FIELD_OP_CONTAINS_ANY,
    "contains_all": pb.FIELD_OP_CONTAINS_ALL,
}
_TEXT_OPS = {
    "contains": pb.TEXT_OP_CONTAINS,
    "not_contains": pb.TEXT_OP_NOT_CONTAINS,
}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

FilterLike = Union[Mapping[str, Any], str, pb.Filter]


def to_proto(spec: FilterLike) -> pb.Filter:
    """The proto Filter for a filter dict (or its JSON text, or a Filter)."""
    if isinstance(spec, pb.Filter):
        return spec
    if isinstance(spec, (str, bytes)):
        try:
            spec = json.loads(spec)
        except ValueError as e:
            raise ValueError(f"filter: not valid JSON ({e})") from None
    return _node(spec, "filter", 1)


def _type_name(value: Any) -> str:
    return type(value).__name__


def _check_keys(node: Mapping[str, Any], allowed: List[str], path: str) -> None:
    for key in node:
        if key not in allowed:
            raise ValueError(
                f'{path}: unknown key "{key}" (expected {", ".join(allowed)})'
            )


def _string_member(node: Mapping[str, Any], key: str, path: str) -> str:
    value = node[key]
    if not isinstance(value, str):
        raise ValueError(f"{path}.{key}: expected a string, got {_type_name(value)}")
    return value


def _value(value: Any, path: str) -> pb.FilterValue:
    if isinstance(value, bool):
        return pb.FilterValue(bool_value=value)
    if isinstance(value, numbers.Integral):
        if not _INT64_MIN <= int(value) <= _INT64_MAX:
            raise ValueError(f"{path}: integer out of the int64 range")
        return pb.FilterValue(int_value=int(value))
    if isinstance(value, numbers.Real):
        return pb.FilterValue(double_value=float(value))
    if isinstance(value, str):
        return pb.FilterValue(string_value=value)
    raise ValueError(
        f"{path}: expected a string, number or boolean, got {_type_name(value)}"
    )


def _field(node: Mapping[str, Any], path: str) -> pb.Filter:
    _check_keys(node, ["field", "op", "value", "values"], path)
    condition = pb.FieldCondition(field=_string_member(node, "field", path))
    if "op" not in node:
        raise ValueError(f'{path}: missing "op"')
    op = _string_member(node, "op", path)
    if op not in _FIELD_OPS:
        raise ValueError(
            f'{path}.op: unknown operator "{op}" (expected '
            f'{", ".join(_FIELD_OPS)})'
        )
    condition.op = _FIELD_OPS[op]
    if "value" in node and "values" in node:
        raise ValueError(f'{path}: give "value" or "values", not both')
    if "value" in node:
        condition.values.append(_value(node["value"], f"{path}.value"))
    elif "values" in node:
        values = node["values"]
        if isinstance(values, (str, bytes, Mapping)) or not hasattr(
            values, "__iter__"
        ):
            raise ValueError(
                f"{path}.values: expected a list, got {_type_name(values)}"
            )
        for i, value in enumerate(values):
            condition.values.append(_value(value, f"{path}.values[{i}]"))
    return pb.Filter(field=condition)


def _text(node: Mapping[str, Any], path: str) -> pb.Filter:
    _check_keys(node, ["text", "op"], path)
    condition = pb.TextCondition(
        text=_string_member(node, "text", path), op=pb.TEXT_OP_CONTAINS
    )
    if "op" in node:
        op = _string_member(node, "op", path)
        if op not in _TEXT_OPS:
            raise ValueError(
                f'{path}.op: unknown text operator "{op}" (expected contains '
                "or not_contains)"
            )
        condition.op = _TEXT_OPS[op]
    return pb.Filter(text=condition)


def _list(node: Mapping[str, Any], key: str, path: str, depth: int) -> pb.Filter:
    _check_keys(node, [key], path)
    children = node[key]
    list_path = f"{path}.{key}"
    if not isinstance(children, (list, tuple)):
        raise ValueError(f"{list_path}: expected a list, got {_type_name(children)}")
    filters = pb.FilterList(
        filters=[
            _node(child, f"{list_path}[{i}]", depth + 1)
            for i, child in enumerate(children)
        ]
    )
    return pb.Filter(**{key: filters})


def _node(node: Any, path: str, depth: int) -> pb.Filter:
    if not isinstance(node, Mapping):
        raise ValueError(f"{path}: expected a dict, got {_type_name(node)}")
    if depth > MAX_DEPTH:
        raise ValueError(f"{path}: deeper than {MAX_DEPTH} levels")
    if "field" in node:
        return _field(node, path)
    if "text" in node:
        return _text(node, path)
    if "all_of" in node:
        return _list(node, "all_of", path, depth)
    if "any_of" in node:
        return _list(node, "any_of", path, depth)
    if "not" in node:
        _check_keys(node, ["not"], path)
        return pb.Filter(negate=_node(node["not"], f"{path}.not", depth + 1))
    raise ValueError(f"{path}: expected one of the keys field, text, all_of, any_of, not")
