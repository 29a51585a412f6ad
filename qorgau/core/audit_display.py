"""Showing audit events to an auditor: field labels, readable values and links, a page at a time.

`changes` store field names and raw values (ids, choice codes; see audit.diff). The page shows each field by
its verbose name, a related row by what names it (a district's or region's name, an agency, a user name, a
record of personal data by its code through `audit_repr`, never a person's name), a choice by its label. The
event's object is a link only when the viewer may see it (`visible_to(viewer)`) and it has a page (the
`<app>:<model>_detail` URL); otherwise plain text. Lookups are batched per model for the whole page, so
the page makes the same number of queries whatever its rows hold.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .audit import audit_repr
from .models import AuditEvent

# A change set longer than this is folded (<details>): the page stays a list of events, not of fields.
COLLAPSE_AFTER = 3
EMPTY = "—"


@dataclass(frozen=True)
class ChangeRow:
    """One line of an event's changes: a field with its old and new value, or a plain key and value."""

    field: str
    old: str
    new: str
    is_change: bool
    label: str = ""


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    changes: list[ChangeRow]
    object_label: str  # the model's verbose name, or the stored type
    object_text: str  # the stored code of the object (object_repr), never a name
    object_url: str | None  # only when the viewer may see the object

    @property
    def collapsed(self) -> bool:
        return len(self.changes) > COLLAPSE_AFTER


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if label and "." in label else None
    except (LookupError, ValueError):
        return None


@dataclass(frozen=True)
class Spec:
    """How one key of a model's changes reads: its label, the model its ids name, the labels of its codes."""

    label: str
    related: type[models.Model] | None = None
    choices: dict[Any, Any] = field(default_factory=dict)
    moment: bool = False  # an ISO date and time, shown in local time


def spec(model: type[models.Model] | None, key: str) -> Spec:
    """A model field by its verbose name; a key that is not a field by the model's `audit_references`
    (`{key: (label, a model or a choices class)}`, e.g. a signal's `victims`); else the key itself."""
    references = getattr(model, "audit_references", {}) if model is not None else {}
    if key in references:
        label, target = references[key]
        if isinstance(target, type) and issubclass(target, models.Model):
            return Spec(str(capfirst(label)), related=target)
        return Spec(str(capfirst(label)), choices=dict(getattr(target, "choices", [])))
    try:
        found = model._meta.get_field(key) if model is not None else None
    except FieldDoesNotExist:
        found = None
    if not isinstance(found, models.Field):
        return Spec(capfirst(key.replace("_", " ")))
    label = str(capfirst(found.verbose_name))
    if found.is_relation:
        return Spec(label, related=found.related_model)
    return Spec(
        label,
        choices=dict(found.flatchoices) if found.choices else {},
        moment=isinstance(found, models.DateTimeField),
    )


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _plain(value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value == "changed":
        return _("changed")
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or EMPTY
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _moment(value: Any) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return _plain(value)
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return formats.date_format(parsed, "SHORT_DATETIME_FORMAT")


def _name_of(obj: models.Model) -> str:
    """A related row as the log may name it: personal data by its code, users by user name."""
    if hasattr(obj, "get_username"):
        return str(obj.get_username())
    return audit_repr(obj)


class _Resolver:
    """Collects the related ids of a page's changes, then fetches each model's rows in one query."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        self.names: dict[type[models.Model], dict[int, str]] = {}

    def want(self, spec: Spec, value: Any) -> None:
        if spec.related is not None:
            self.wanted[spec.related].update(_ids(value))

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            self.names[model] = {obj.pk: _name_of(obj) for obj in model._default_manager.filter(pk__in=ids)}

    def text(self, spec: Spec, value: Any) -> str:
        if spec.related is not None and _ids(value):
            names = self.names.get(spec.related, {})
            # A row deleted since shows as its table and id, as audit_repr does.
            label = spec.related._meta.label_lower
            return ", ".join(names.get(pk, f"{label}#{pk}") for pk in _ids(value))
        if spec.choices:
            values = value if isinstance(value, list) else [value]
            return ", ".join(str(spec.choices.get(v, _plain(v))) for v in values) or EMPTY
        if spec.moment:
            return _moment(value)
        return _plain(value)


def _raw_rows(changes: Any) -> list[tuple[str, Any, Any, bool]]:
    """(key, old, new, is_change) of `{"field": {"old": a, "new": b}}`; other shapes as key and value."""
    if not isinstance(changes, dict):
        return [("", None, changes, False)] if changes else []
    rows: list[tuple[str, Any, Any, bool]] = []
    for key, value in changes.items():
        if isinstance(value, dict) and value and set(value) <= {"old", "new"}:
            rows.append((str(key), value.get("old"), value.get("new"), True))
        elif isinstance(value, dict):
            rows.extend((f"{key}.{k}", None, v, False) for k, v in value.items())
        else:
            rows.append((str(key), None, value, False))
    if rows and all(is_change and old is None for _key, old, _new, is_change in rows):
        # A creation (every old value empty): the values alone, not a column of "— →".
        rows = [(key, None, new, False) for key, _old, new, _change in rows]
    return rows


def _rows(
    model: type[models.Model] | None, raw: list[tuple[str, Any, Any, bool]], names: _Resolver
) -> list[ChangeRow]:
    rows = []
    for key, old, new, is_change in raw:
        how = spec(model, key)
        rows.append(
            ChangeRow(
                field=key,
                old=names.text(how, old) if is_change else "",
                new=names.text(how, new),
                is_change=is_change,
                label=how.label if key else "",
            )
        )
    return rows


def change_rows(changes: Any, object_type: str = "") -> list[ChangeRow]:
    """One event's changes as rows (`event_rows` does a whole page with batched lookups)."""
    model, raw, names = _model(object_type), _raw_rows(changes), _Resolver()
    for key, old, new, _change in raw:
        names.want(spec(model, key), old)
        names.want(spec(model, key), new)
    names.fetch()
    return _rows(model, raw, names)


def _visible_ids(viewer: Any, events: list[AuditEvent]) -> dict[str, set[str]]:
    """{object type: ids of the page's objects the viewer may see}, one query per scoped model."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_id.isdigit():
            wanted[event.object_type].add(event.object_id)
    visible: dict[str, set[str]] = {}
    for label, ids in wanted.items():
        model = _model(label)
        manager = getattr(model, "objects", None)
        if model is None or not hasattr(manager, "visible_to") or _detail_url(label, "0") is None:
            continue
        pks = manager.visible_to(viewer).filter(pk__in=[int(i) for i in ids]).values_list("pk", flat=True)  # type: ignore[union-attr]
        visible[label] = {str(pk) for pk in pks}
    return visible


def _detail_url(label: str, pk: str) -> str | None:
    """The page of a record by the house convention: the `<app>:<model>_detail` URL."""
    app_label, _sep, model_name = label.partition(".")
    try:
        return reverse(f"{app_label}:{model_name}_detail", args=[pk])
    except NoReverseMatch:
        return None


def event_rows(viewer: Any, events: list[AuditEvent]) -> list[EventRow]:
    """The page's events as the auditor reads them."""
    names = _Resolver()
    raw = []
    for event in events:
        model = _model(event.object_type)
        rows = _raw_rows(event.changes)
        for key, old, new, _change in rows:
            names.want(spec(model, key), old)
            names.want(spec(model, key), new)
        raw.append((event, model, rows))
    names.fetch()
    visible = _visible_ids(viewer, events)
    result = []
    for event, model, rows in raw:
        url = None
        if event.object_id in visible.get(event.object_type, set()):
            url = _detail_url(event.object_type, event.object_id)
        object_label = str(capfirst(model._meta.verbose_name)) if model is not None else event.object_type
        result.append(EventRow(event, _rows(model, rows, names), object_label, event.object_repr, url))
    return result


def vocabulary(column: str, limit: int) -> list[str]:
    """The distinct values of an indexed column of the audit log (`action`, `object_type`), for the search
    form's suggestions: a walk of its index, one lookup per value (a loose index scan written as a recursive
    query), never a DISTINCT over the whole log. They are the log's vocabulary (action and table names),
    not personal data, so they are not narrowed to the viewer's scope; the search itself is.
    """
    if column not in ("action", "object_type"):
        raise ValueError(column)
    qn = connection.ops.quote_name
    table, col = qn(AuditEvent._meta.db_table), qn(column)
    sql = f"""
        WITH RECURSIVE walk(value, n) AS (
            SELECT (SELECT MIN({col}) FROM {table} WHERE {col} > ''), 1
            UNION ALL
            SELECT (SELECT MIN({col}) FROM {table} WHERE {col} > walk.value), walk.n + 1
            FROM walk WHERE walk.value IS NOT NULL AND walk.n < %s
        )
        SELECT value FROM walk WHERE value IS NOT NULL
    """  # noqa: S608  (names from the model, the limit a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [row[0] for row in cursor.fetchall()]
