"""Reads the API makes on every request, with their SQL compiled once per process (issue 17).

Django builds a queryset and compiles its SQL anew each time it runs. For the busiest
reads that is most of the request: profiled, fetching an article with its 20 claims spent
about five times longer in Django's `resolve_expression`, `get_select` and `as_sql` than
PostgreSQL spent answering, and the token check before every API request was mostly the
compilation of its one join.

A `PreparedRead` builds its queryset once, with a stand-in for each value that changes
between calls, lets Django compile it, and from then on runs that SQL with the call's
values through Django's own row handling (`ModelIterable`: `select_related`, annotations,
converters), so it returns the same model instances the queryset would. PostgreSQL is
spared planning it on every call too: the statement is `PREPARE`d once per connection
and `EXECUTE`d after (not behind a PgBouncer in transaction mode).

Only values that do not change the SQL's shape may be parameters: an id, a key. A value
that would (None becomes `IS NULL`, a list becomes `IN (…)` of its length) must not; the
stand-ins are checked to appear in the compiled parameters exactly where the values go.
A read returns a list, never a queryset: a further `.filter()` on compiled SQL would be
silently ignored.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import itertools
import re
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql.query import Query
from pghistory.runtime import _inject_history_context

M = TypeVar("M", bound=Model)


class _Compiled:
    """One database's compiled SQL: the compiler after `as_sql` (its `select`,
    `klass_info` and `annotation_col_map` are what the row handling reads), the
    parameters, and where each stand-in sits in them."""

    def __init__(self, queryset: QuerySet[Any], alias: str, stand_ins: dict[str, Any]) -> None:
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots: dict[str, list[int]] = {
            name: [i for i, p in enumerate(self.params) if type(p) is type(v) and p == v]
            for name, v in stand_ins.items()
        }
        missing = [name for name, at in self.slots.items() if not at]
        if missing:
            raise ValueError(f"stand-ins {missing} are not parameters of the compiled SQL")
        frozen = [p for p in self.params if isinstance(p, (datetime.date, datetime.time))]
        if frozen:  # e.g. timezone.now() in a filter: compiled once, it would never move
            raise ValueError(f"a prepared read cannot hold a time as a constant: {frozen}")
        self.name = f"factcheck_read_{next(_NAMES)}"
        numbers = itertools.count(1)
        # PostgreSQL's own placeholders ($1, $2…) for PREPARE; Django writes a literal % as %%.
        self.statement = _PLACEHOLDER.sub(
            lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", self.sql
        )
        # `EXECUTE name()` is a syntax error: a read without parameters has no list.
        arguments = f"({', '.join(['%s'] * len(self.params))})" if self.params else ""
        self.execute = f"EXECUTE {self.name}{arguments}"

    def compiler_for(self, query: Query, alias: str, values: dict[str, Any]) -> Any:
        params = list(self.params)
        for name, at in self.slots.items():
            for i in at:
                params[i] = values[name]
        compiler = copy.copy(self.compiler)
        compiler.query = query
        compiler.connection = connection = connections[alias]  # this thread's connection
        sql = self._prepared_on(connection) if server_side_prepare(connection) else self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        return compiler

    def _prepared_on(self, connection: Any) -> str:
        """`EXECUTE` of this read's statement, first `PREPARE`d on this connection if it
        was not yet: PostgreSQL then plans it once per connection, not on every call
        (planning the claims of an article took longer than running it)."""
        # The health check first (CONN_HEALTH_CHECKS, make serve's request threads): it
        # may replace a connection PostgreSQL dropped, and the statement must be prepared
        # on the one the read then runs on.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        raw = connection.connection
        raw = getattr(raw, "dbapi_connection", raw)  # the pool hands out a wrapper
        prepared = _PREPARED_ON.get(raw)
        if prepared is None:
            prepared = _PREPARED_ON[raw] = set()
        if self.name not in prepared:
            # On the DB-API cursor, as Django sets up a new connection (time zone, role):
            # once a connection, not a query of the request that happens to come first.
            with raw.cursor() as cursor:
                cursor.execute(f"PREPARE {self.name} AS {self.statement}")
            prepared.add(self.name)
        return self.execute


def server_side_prepare(connection: Any) -> bool:
    """Whether to PREPARE on this connection: not behind a PgBouncer in transaction mode,
    where the next statement may reach another server connection."""
    return connection.vendor == "postgresql" and settings.DATABASE_POOL_MODE != "transaction"


_NAMES = itertools.count(1)
_PLACEHOLDER = re.compile(r"%%|%s")
#: DB-API connection -> the names of the statements prepared on it (a statement lives as
#: long as its connection; a rolled-back transaction does not undo a PREPARE).
_PREPARED_ON: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


class _PreparedQuery(Query):
    """The query of one call: hands out the compiled SQL instead of compiling."""

    prepared: _Compiled
    prepared_values: dict[str, Any]

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> Any:
        alias = using if using is not None else connection.alias
        return self.prepared.compiler_for(self, alias, self.prepared_values)


class PreparedRead(Generic[M]):
    """`read(**values)` → the rows `build(**values)` would give, its SQL compiled once.

    `stand_ins` names each parameter with a value of its type that no real call passes
    (a negative id, a key no token has). A read may have none: the same rows every call,
    such as the first page of the rating scale.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], **stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        self._compiled: dict[str, _Compiled] = {}
        self._template: QuerySet[M] | None = None
        self._lock = threading.Lock()

    def _template_queryset(self) -> QuerySet[M]:
        if self._template is None:
            with self._lock:
                if self._template is None:
                    template = self.build(**self.stand_ins)
                    if template._prefetch_related_lookups:  # type: ignore[attr-defined]
                        raise ValueError("a prepared read cannot prefetch: it runs one query")
                    self._template = template
        return self._template

    def _compiled_for(self, template: QuerySet[M], alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias)
                if compiled is None:
                    compiled = self._compiled[alias] = _Compiled(template, alias, self.stand_ins)
        return compiled

    def __call__(self, **values: Any) -> list[M]:
        if set(values) != set(self.stand_ins):
            raise TypeError(f"expected {sorted(self.stand_ins)}, got {sorted(values)}")
        for name, value in values.items():
            if type(value) is not type(self.stand_ins[name]):
                raise TypeError(f"{name} must be {type(self.stand_ins[name]).__name__}")
        template = self._template_queryset()
        alias = router.db_for_read(template.model)  # the replica, inside replica_reads()
        queryset = template.using(alias)  # a clone, with a query of its own
        queryset.query.__class__ = _PreparedQuery
        queryset.query.prepared = self._compiled_for(template, alias)  # type: ignore[attr-defined]
        queryset.query.prepared_values = values  # type: ignore[attr-defined]
        with _without_history_context(connections[alias]):
            return list(queryset)


@contextlib.contextmanager
def _without_history_context(connection: Any) -> Iterator[None]:
    """Send a prepared read without pghistory's context in front of it.

    Inside a request pghistory puts two `set_config` calls in front of every statement
    that does not start with SELECT, for its triggers to read; an `EXECUTE` does not, so a
    prepared read carried them too: a second statement each time, for a read that writes
    nothing (measured: 0.4 ms of a 4.4 ms article with its claims). Writes keep it.
    """
    wrappers = connection.execute_wrappers
    if _inject_history_context not in wrappers:
        yield
        return
    kept = list(wrappers)
    wrappers[:] = [w for w in kept if w is not _inject_history_context]
    try:
        yield
    finally:
        wrappers[:] = kept
