"""Webhook arithmetic without Django: the signature a receiver checks, the retry schedule,
and the address checks that need no network (STYLE §2)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

BACKOFF: tuple[int, ...] = (60, 300, 1800, 7200, 21600)
"""Seconds before the 2nd, 3rd, … attempt of a delivery: 1 min, 5 min, 30 min, 2 h, 6 h."""
MAX_ATTEMPTS = len(BACKOFF) + 1


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    message = str(int(timestamp)).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_valid(*, secret: str, timestamp: int, body: bytes, header: str) -> bool:
    """What a receiver does: compare in constant time."""
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), header)


def retry_delay(attempts: int) -> int | None:
    """Seconds to wait after the ``attempts``-th failed attempt; None when it was the last."""
    if attempts < 1 or attempts > len(BACKOFF):
        return None
    return BACKOFF[attempts - 1]


def delivered(status: int | None) -> bool:
    """A 2xx answer is a delivery; anything else (or no answer) is retried."""
    return status is not None and 200 <= status < 300


URL_OK = ""
URL_SCHEME = "scheme"
URL_CREDENTIALS = "credentials"
URL_HOST = "host"


def url_problem(url: str, *, allow_http: bool = False) -> str:
    """Why ``url`` is no webhook address, as a code ("" when it is one): HTTPS only (plain
    HTTP only with ``allow_http``), a host, and no user name or password in it."""
    try:
        parts = urlsplit(url.strip())
        _port = parts.port  # a malformed port raises
    except ValueError:
        return URL_HOST
    allowed = ("https", "http") if allow_http else ("https",)
    if parts.scheme.lower() not in allowed:
        return URL_SCHEME
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return URL_CREDENTIALS
    if not parts.hostname:
        return URL_HOST
    return URL_OK


def address_private(address: str) -> bool:
    """True for loopback, private, link-local, reserved, multicast or unspecified addresses
    (IPv4-mapped IPv6 addresses judged as the IPv4 address they carry)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
