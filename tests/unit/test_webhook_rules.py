"""The webhook rules without Django: signature, retry schedule, address checks."""

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit import webhook_rules as rules


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"event":"test"}'
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert rules.signature(secret="s3cret", timestamp=1700000000, body=body) == (
        "sha256=" + expected
    )


@given(st.text(min_size=1), st.integers(min_value=0, max_value=2**40), st.binary())
def test_a_signature_verifies_and_any_change_breaks_it(secret, timestamp, body):
    header = rules.signature(secret=secret, timestamp=timestamp, body=body)
    assert rules.signature_valid(secret=secret, timestamp=timestamp, body=body, header=header)
    assert not rules.signature_valid(
        secret=secret, timestamp=timestamp + 1, body=body, header=header
    )
    assert not rules.signature_valid(
        secret=secret, timestamp=timestamp, body=body + b" ", header=header
    )
    assert not rules.signature_valid(
        secret=secret + "x", timestamp=timestamp, body=body, header=header
    )


def test_the_retry_schedule_grows_and_ends():
    assert [rules.retry_delay(attempt) for attempt in range(1, 7)] == [
        60,
        300,
        1800,
        7200,
        21600,
        None,
    ]
    assert rules.retry_delay(0) is None
    assert rules.MAX_ATTEMPTS == 6


@pytest.mark.parametrize(
    ("status", "ok"),
    [
        (200, True),
        (204, True),
        (299, True),
        (301, False),
        (404, False),
        (500, False),
        (None, False),
    ],
)
def test_only_2xx_is_delivered(status, ok):
    assert rules.delivered(status) is ok


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://hooks.example.com/in", rules.URL_OK),
        ("HTTPS://hooks.example.com:8443/in?x=1", rules.URL_OK),
        ("http://hooks.example.com/in", rules.URL_SCHEME),
        ("ftp://hooks.example.com/in", rules.URL_SCHEME),
        ("hooks.example.com/in", rules.URL_SCHEME),
        ("https://user:pass@hooks.example.com/in", rules.URL_CREDENTIALS),
        ("https://user@hooks.example.com/in", rules.URL_CREDENTIALS),
        ("https:///in", rules.URL_HOST),
        ("https://hooks.example.com:99999/in", rules.URL_HOST),
    ],
)
def test_url_problems(url, problem):
    assert rules.url_problem(url) == problem


def test_plain_http_only_when_allowed():
    assert rules.url_problem("http://127.0.0.1:8000/in", allow_http=True) == rules.URL_OK
    assert rules.url_problem("ftp://127.0.0.1/in", allow_http=True) == rules.URL_SCHEME


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("0.0.0.0", True),  # noqa: S104 - an address judged, nothing bound
        ("100.64.0.1", True),  # carrier-grade NAT
        ("224.0.0.1", True),
        ("::1", True),
        ("fe80::1%eth0", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("not an address", True),
        ("93.184.216.34", False),
        ("2606:2800:220:1:248:1893:25c8:1946", False),
        ("::ffff:93.184.216.34", False),
    ],
)
def test_private_addresses(address, private):
    assert rules.address_private(address) is private
