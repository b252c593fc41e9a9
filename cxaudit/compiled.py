"""Querysets compiled to SQL once per process, for hot paths where building the SQL with the
ORM costs more than running it: the public survey submit, the audit pages' access check and
the audit results fingerprint.

``build`` takes values and returns a queryset. It is compiled once per database vendor with a
sentinel in place of each value; each call runs the stored SQL with the real values in their
place. ``None`` is passed to ``build`` as it is, and that shape is compiled on its own, since
``= NULL`` compiles to ``IS NULL``. Rows and model instances come out as the ORM makes them:
the same converters, ``select_related`` objects and annotations.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

Build = Callable[..., QuerySet]

# Each connection's converters per compiled query: they are bound to the connection.
_CONVERTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    positions: tuple[int, ...]  # where each value that is not None goes in ``params``
    select: tuple  # the compiler's select list: (expression, sql, alias)
    klass_info: dict | None  # model and select_related layout; None for values()
    annotation_col_map: dict
    populators: tuple  # the select_related objects' builders


def _sentinel(value: object, index: int) -> object:
    if isinstance(value, str):
        return f"cxaudit-compiled-sentinel-{index}"
    if isinstance(value, int) and not isinstance(value, bool):
        return -7_340_221 - index
    raise TypeError(f"compiled queries take str, int or None, not {type(value).__name__}")


@functools.cache
def compiled(build: Build, shape: tuple, vendor: str) -> Compiled:
    """``build`` compiled for values of ``shape`` (a sentinel per value, None for None)."""
    queryset = build(*shape)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    positions = []
    for sentinel in shape:
        if sentinel is None:
            continue
        found = [index for index, param in enumerate(params) if param == sentinel]
        if len(found) != 1:
            raise RuntimeError(f"{build.__name__} must take each of its values exactly once")
        positions.append(found[0])
    klass_info = compiler.klass_info
    populators = (
        ()
        if klass_info is None
        else tuple(get_related_populators(klass_info, compiler.select, queryset.db))
    )
    return Compiled(
        sql=sql,
        params=tuple(params),
        positions=tuple(positions),
        select=tuple(compiler.select),
        klass_info=klass_info,
        annotation_col_map=dict(compiler.annotation_col_map or {}),
        populators=populators,
    )


def _run(build: Build, values: tuple) -> tuple[Compiled, list[list]]:
    shape = tuple(None if v is None else _sentinel(v, i) for i, v in enumerate(values))
    query = compiled(build, shape, connection.vendor)
    params = list(query.params)
    for position, value in zip(query.positions, (v for v in values if v is not None), strict=True):
        params[position] = value
    with planned_cursor() as cursor:
        cursor.execute(query.sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    converters = _converters(build, shape, query)
    for row in rows:
        for index, functions in converters:
            for convert in functions:
                row[index] = convert(row[index], query.select[index][0], connection)
    return query, rows


def _converters(build: Build, shape: tuple, query: Compiled) -> list[tuple[int, list]]:
    """The converters of each selected column on this thread's connection, found once."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    known = _CONVERTERS.setdefault(wrapper, {})
    key = (build, shape)
    if key not in known:
        found = []
        for index, (expression, _sql, _alias) in enumerate(query.select):
            functions = wrapper.ops.get_db_converters(expression) + expression.get_db_converters(
                wrapper
            )
            if functions:
                found.append((index, functions))
        known[key] = found
    return known[key]


def rows(build: Build, *values: object) -> list[tuple]:
    """The rows of ``build(*values)``, as ``values_list()`` would give them."""
    return [tuple(row) for row in _run(build, values)[1]]


def objects(build: Build, *values: object) -> list[Model]:
    """The model instances of ``build(*values)``, as iterating the queryset would give them."""
    query, found = _run(build, values)
    info = query.klass_info
    first, last = info["select_fields"][0], info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in query.select[first:last]]
    result = []
    for row in found:
        obj = info["model"].from_db(connection.alias, names, row[first:last])
        for populator in query.populators:
            populator.populate(row, obj)
        for name, position in query.annotation_col_map.items():
            setattr(obj, name, row[position])
        result.append(obj)
    return result


def planned_cursor():
    """Django's cursor, on PostgreSQL with server-side binding, so that psycopg prepares a
    statement run often (``prepare_threshold``) and PostgreSQL plans it once per connection
    instead of on every request. Elsewhere, and with preparation off, the usual cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # What ``connection.cursor()`` does (health check, connecting, error translation, query
    # logging), with the cursor class Django uses when server-side binding is configured.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))
