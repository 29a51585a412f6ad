"""Writing the national year in bulk: light rows with preassigned primary keys, inserted per batch on the
raw DB-API cursor; fast name keys and IINs (hash and ciphertext) for the synthetic persons."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone


class IinStore:
    """Valid IINs, unique within a demo year and across years, with their hash and ciphertext.

    Serials of year Y start at 1000 + (Y mod 9) x 1000, so demo years never share an IIN (the foundation's
    persons use serials from 0). One Fernet object and one HMAC key for all rows: the same values
    people.iin.hash_iin and encrypt_iin give, at about 20 us a row.
    """

    def __init__(self, year: int) -> None:
        from cryptography.fernet import Fernet

        self.base = 1000 + (year % 9) * 1000
        self.next_serial: dict[str, int] = {}
        self.key = settings.IIN_HASH_KEY.encode()
        self.fernet = Fernet(settings.IIN_ENCRYPTION_KEY.encode())

    def new(self, birth_date: dt.date, sex: str) -> str:
        from qorgau.people.iin import make_iin

        prefix = f"{birth_date:%y%m%d}{sex}"
        serial = self.next_serial.get(prefix, self.base)
        iin = make_iin(birth_date, sex, serial)
        self.next_serial[prefix] = int(iin[7:11]) + 1
        return iin

    def hash(self, iin: str) -> str:
        return hmac.new(self.key, iin.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, iin: str) -> str:
        return self.fernet.encrypt(iin.encode()).decode()


class Ids:
    """Preassigned primary keys per model, so rows can point at each other before they are inserted."""

    def __init__(self) -> None:
        self.last: dict[type[models.Model], int] = {}

    def next(self, model: type[models.Model]) -> int:
        if model not in self.last:
            self.last[model] = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
        self.last[model] += 1
        return self.last[model]


class Row:
    """One row to insert: its model and column values by attribute name (foreign keys as `<name>_id`).

    Much lighter than a model instance (the national year has over a million rows); `insert_rows` writes
    them with one executemany per batch, filling the columns a row does not name with the field default.
    """

    def __init__(self, model: type[models.Model], values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.model = model
        self.id: int = 0

    @property
    def pk(self) -> int:
        return self.id

    if TYPE_CHECKING:  # columns are dynamic attributes

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...


@functools.cache
def _foreign_keys(model: type[models.Model]) -> dict[str, str]:
    return {f.name: f.attname for f in model._meta.concrete_fields if f.is_relation}


class _Factory:
    """Builds `Row`s of a model from keyword arguments named like the model's (foreign keys may be rows,
    model instances or None)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fks = _foreign_keys(model)

    def __call__(self, **values: Any) -> Row:
        out = {}
        for name, value in values.items():
            attname = self.fks.get(name)
            if attname is None:
                out[name] = value
            else:
                out[attname] = None if value is None else value.pk
        return Row(self.model, out)


@functools.cache
def factory(label: str) -> _Factory:
    from django.apps import apps

    return _Factory(apps.get_model(label))


def _sqlite_datetime(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (UTC, naive text), without its overhead."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return str(value.replace(tzinfo=None))


@functools.cache
def _folded(part: str) -> tuple[str, ...]:
    from qorgau.people.names import fold_tokens

    return tuple(fold_tokens(part))


def fast_name_key(*parts: str) -> str:
    """people.names.name_key, with each name folded once: synthetic names repeat a lot."""
    from qorgau.people.names import name_key

    seen: dict[str, None] = {}
    for part in parts:
        for token in _folded(part or ""):
            seen.setdefault(token, None)
    key = " ".join(seen)
    return key if len(key) <= 400 else name_key(*parts)


def insert_rows(model: type[models.Model], rows: Sequence[Row], *, batch_size: int = 5000) -> None:
    """INSERT the rows with explicit primary keys, per batch on the raw DB-API cursor (COPY on PostgreSQL).

    Bypasses bulk_create's per-value compilation (most of its time at this size) and the debug cursor
    (under DEBUG it would keep every parameter list in memory). Values go through the backend's
    adapt_*field_value like Django's own, so SQLite stores UTC text and PostgreSQL timestamptz.
    """
    if not rows:
        return
    ops = connection.ops
    now = timezone.now()
    columns = []
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default: Any = now
        else:
            default = f.get_default()
        adapt: Callable[[Any], Any] | None = None
        internal = f.get_internal_type()
        if internal == "DateTimeField":
            adapt = _sqlite_datetime if connection.vendor == "sqlite" else ops.adapt_datetimefield_value
        elif internal == "DateField":
            adapt = ops.adapt_datefield_value
        columns.append((f.attname, f.column, default, adapt))
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    quote = ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values bound
        quote(model._meta.db_table),
        ", ".join(quote(str(column)) for _a, column, _d, _f in columns),
        ", ".join([placeholder] * len(columns)),
    )
    # PostgreSQL: COPY (psycopg 3) is several times faster than executemany for this many rows.
    copy_sql = ""
    if connection.vendor == "postgresql":
        copy_sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(str(column)) for _a, column, _d, _f in columns)
        )
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(rows), batch_size):
            params = []
            for row in rows[start : start + batch_size]:
                values = row.__dict__
                out = []
                for attname, _column, default, adapter in columns:
                    v = values.get(attname, default)
                    out.append(adapter(v) if adapter is not None and v is not None else v)
                params.append(out)
            if copy_sql:
                with cursor.copy(copy_sql) as copy:
                    for values_out in params:
                        copy.write_row(values_out)
            else:
                cursor.executemany(sql, params)
    finally:
        cursor.close()
