"""Business events, announced by the apps' services once their transaction commits.

The apps that announce events (surveys, reports) sit below or beside the API that delivers
them as webhooks (see the layers in pyproject.toml), so they cannot call it. A service calls
``emit`` explicitly; the API registers its one listener when Django starts
(``cxaudit.api.apps``). Nothing is emitted from signals or ``save()``; a rolled-back
transaction announces nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

WAVE_CLOSED = "wave.closed"
REPORT_READY = "report.ready"
RESPONSE_RECEIVED = "response.received"

Data = dict[str, Any] | Callable[[], dict[str, Any] | None]
Listener = Callable[..., Any]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call ``listener(company_id=..., event=..., data=...)`` for every event, ``data`` a
    function returning the event's data or None (nothing to announce this time)."""
    if listener not in _listeners:
        _listeners.append(listener)


def emit(*, company_id: int, event: str, data: Data) -> None:
    """Announce ``event`` of the company once the current transaction commits (at once in
    autocommit). ``data`` is JSON-serialisable and holds only what may be sent out; it may
    be a function, called only by a listener that has someone to tell (so an event nobody
    subscribed to costs no query), returning None when there is nothing to announce."""
    produce = data if callable(data) else (lambda: data)

    def announce() -> None:
        for listener in list(_listeners):
            listener(company_id=company_id, event=event, data=produce)

    transaction.on_commit(announce)
