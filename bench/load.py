"""A small, bounded load generator: threads, each on its own keep-alive HTTP connection.

Pure standard library, so `make bench` and the fault suite need nothing extra. It sends
traffic only to loopback addresses, and every run stops by itself at ``max_requests`` or
``max_seconds``, whichever comes first.
"""

from __future__ import annotations

import http.client
import ipaddress
import itertools
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

LOOPBACK_NAMES = {"localhost"}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def check_loopback(host: str) -> None:
    """Refuse any target that is not this machine."""
    if host in LOOPBACK_NAMES:
        return
    if not ipaddress.ip_address(host.strip("[]")).is_loopback:
        raise ValueError(f"load is sent to loopback addresses only, not {host}")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class Client:
    """One browser-like client: a keep-alive connection, its cookies and fixed headers."""

    def __init__(
        self, port: int, host: str = "127.0.0.1", headers: dict[str, str] | None = None
    ) -> None:
        check_loopback(host)
        self.host, self.port = host, port
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(host, port, timeout=60)

    def close(self) -> None:
        self.connection.close()

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        content_type: str = "",
    ) -> Reply:
        all_headers = {**self.headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        if body is not None:
            all_headers["Content-Type"] = content_type or "application/octet-stream"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection before our request got
                # there: reconnect once (what a browser does), then give up.
                self.connection.close()
                if attempt == 2:
                    raise
        seconds = time.perf_counter() - started
        reply = Reply(
            status=response.status,
            headers={k.lower(): v for k, v in response.getheaders()},
            body=data,
            seconds=seconds,
        )
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        if response.will_close:
            self.connection.close()
        return reply

    def csrf_form_token(self, path: str) -> tuple[str, bytes]:
        """GET a page with a form; returns its CSRF token (the cookie is kept) and the page."""
        reply = self.request("GET", path)
        if reply.status != 200:
            raise RuntimeError(f"GET {path} answered {reply.status}")
        match = CSRF_INPUT.search(reply.body)
        if match is None:
            raise RuntimeError(f"no CSRF token in {path}")
        return match[1].decode(), reply.body


@dataclass
class LoadResult:
    requests: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def merge(self, other: LoadResult) -> None:
        self.requests += other.requests
        self.elapsed += other.elapsed
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.errors += other.errors


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.95 for p95)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def run_load(
    make_client: Callable[[int], Client],
    send: Callable[[Client, int], Reply],
    *,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
) -> LoadResult:
    """``concurrency`` threads, each with the client ``make_client(thread)`` made before the
    clock starts, call ``send(client, n)`` with n = 0, 1, 2… until ``max_requests`` calls
    were made or ``max_seconds`` passed. A closed loop: each thread waits for its reply."""
    counter = itertools.count()
    lock = threading.Lock()
    result = LoadResult()
    clients = [make_client(thread) for thread in range(concurrency)]
    barrier = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def work(client: Client) -> None:
        local = LoadResult()
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            with lock:
                n = next(counter)
            if n >= max_requests:
                break
            try:
                reply = send(client, n)
            except Exception as error:  # counted, reported, never silently dropped
                local.errors.append(f"{type(error).__name__}: {error}")
                local.statuses["error"] += 1
                client.close()
                continue
            local.requests += 1
            local.latencies.append(reply.seconds)
            local.statuses[reply.status] += 1
        with lock:
            result.requests += local.requests
            result.latencies += local.latencies
            result.statuses.update(local.statuses)
            result.errors += local.errors
        client.close()

    threads = [threading.Thread(target=work, args=(client,), daemon=True) for client in clients]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline[0] = started + max_seconds
    barrier.wait()
    for thread in threads:
        thread.join(max_seconds + 120)
    result.elapsed = time.perf_counter() - started
    return result
