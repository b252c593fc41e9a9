"""Querysets compiled to SQL once per process, for hot paths where building the SQL with the
ORM costs more than running it: the public survey submit and the audit results fingerprint.

``build`` is a function of one value returning a queryset; it is compiled with a sentinel in
place of that value, and each call runs the stored SQL with the real value in its place.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col

INT_SENTINEL = -7_340_221
TEXT_SENTINEL = "cxaudit-compiled-sentinel-7340221"
_CONVERSIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@functools.cache
def compiled(
    build: Callable[[object], QuerySet], sentinel: object, vendor: str
) -> tuple[str, tuple, int]:
    """SQL, parameters and the position of the value, per process and database vendor."""
    sql, params = build(sentinel).query.sql_with_params()
    positions = [index for index, param in enumerate(params) if param == sentinel]
    if len(positions) != 1:
        raise RuntimeError(f"{build.__name__} must take its value exactly once")
    return sql, params, positions[0]


def fetch(build: Callable[[object], QuerySet], value: object) -> list[tuple]:
    """The rows of ``build(value)``, from SQL compiled once."""
    sentinel = TEXT_SENTINEL if isinstance(value, str) else INT_SENTINEL
    sql, params, position = compiled(build, sentinel, connection.vendor)
    params = list(params)
    params[position] = value
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def planned_cursor():
    """Django's cursor, on PostgreSQL with server-side binding, so that psycopg prepares a
    statement run often (``prepare_threshold``) and PostgreSQL plans it once per connection
    instead of on every request. Elsewhere, and with preparation off, the usual cursor."""
    cursor = connection.cursor()  # Django's wrapper: health check, errors, query logging
    if connection.vendor == "postgresql" and connection.connection.prepare_threshold is not None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        cursor.cursor.close()
        cursor.cursor = ServerBindingCursor(connection.connection)
    return cursor


def _conversions(model: type[Model]) -> list[tuple[Col, list]]:
    """Each concrete field's column and converters on this thread's connection (cached
    per connection: finding them costs more than running the query)."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    per_model = _CONVERSIONS.setdefault(wrapper, {})
    if model not in per_model:
        conversions = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            converters = wrapper.ops.get_db_converters(column) + field.get_db_converters(wrapper)
            conversions.append((column, converters))
        per_model[model] = conversions
    return per_model[model]


def instances(row: Sequence, models: Sequence[type[Model]]) -> list[Model]:
    """Model instances from one row of a ``select_related`` query, ``models`` in join order.

    Such a row holds every concrete field of each model in turn; values go through the same
    converters the ORM applies (JSON, dates and booleans on SQLite, and so on)."""
    if len(row) != sum(len(_conversions(model)) for model in models):
        raise RuntimeError("the row does not hold exactly the fields of the models given")
    objects, start = [], 0
    for model in models:
        conversions = _conversions(model)
        values = list(row[start : start + len(conversions)])
        for index, (column, converters) in enumerate(conversions):
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        names = [column.target.attname for column, _converters in conversions]
        objects.append(model.from_db(connection.alias, names, values))
        start += len(conversions)
    return objects
