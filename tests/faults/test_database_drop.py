"""The database connection dies in the middle of a request (gunicorn + PostgreSQL).

The request is held at a row lock the test owns, so we know exactly where it is; then the
server's backend is ended with ``pg_terminate_backend``, as a database restart or a failover
would end it. The visitor gets our error page, not a traceback, nothing half-saved remains,
and the next request works on a fresh connection.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.urls import reverse

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ERROR_PAGE_MARK = b'id="server-error"'  # templates/500.html
PDF = b"%PDF-1.4\n% evidence\n"


class PartialSave(AssertionError):
    """Part of one save was kept after the request failed."""


@pytest.fixture
def audit(actors, company):
    import datetime

    from assessments.services import audits

    return audits.audit_create(
        company=company,
        by=actors["consultant"],
        by_role="consultant",
        title="Аудит сервиса",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        instrument_keys=["golding-cx-framework"],
    )


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----cxaudit-fault-boundary"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _drop_while_waiting(server, lock_sql: str, lock_params, statement: str, send) -> object:
    """Hold a row lock, send the request, wait until it blocks on that lock in
    ``statement``, end its database connection, then release the lock."""
    with psycopg.connect(server.database_url.replace("postgres://", "postgresql://")) as locker:
        locker.execute(lock_sql, lock_params)  # psycopg opens a transaction: the lock is held
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(send)
            deadline = time.monotonic() + 20
            pid = None
            while pid is None:
                server.alive()
                if future.done():
                    raise AssertionError(f"request finished without blocking: {future.result()}")
                # Activity statistics are a snapshot per transaction: take a fresh one.
                locker.execute("SELECT pg_stat_clear_snapshot()")
                row = locker.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE %s AND pid <> pg_backend_pid()",
                    [statement + "%"],
                ).fetchone()
                pid = row[0] if row else None
                if pid is None:
                    assert time.monotonic() < deadline, "the request never reached the lock"
                    time.sleep(0.02)
            assert locker.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
            locker.rollback()
            return future.result(timeout=30)


def _assert_error_page(reply) -> None:
    assert reply.status in (500, 503), reply.status
    assert b"Traceback" not in reply.body
    assert ERROR_PAGE_MARK in reply.body, reply.body[:500]


def test_a_connection_dropped_mid_answer_save_shows_our_error_page_and_saves_nothing(
    gunicorn_server, logged_in, actors, audit
):
    from assessments.models import Answer

    participant = audit.participants.get(kind="assessor")
    instrument = audit.instruments.get()
    url = reverse("assessments:answer-save", args=[audit.pk, instrument.pk, "know-customers"])
    client = logged_in(actors["consultant"])
    form = {"value": "1", "comment": "Проверено", "revision": "0", "tab": "t1"}
    try:
        # Django's foreign keys are checked at COMMIT (deferred): the new answer is written,
        # and its transaction waits to commit while we hold the participant's row.
        reply = _drop_while_waiting(
            gunicorn_server,
            "SELECT id FROM assessments_participant WHERE id = %s FOR UPDATE",
            [participant.pk],
            "COMMIT",
            lambda: client.request("POST", url, form=form),
        )
        _assert_error_page(reply)
        assert not Answer.objects.filter(participant=participant).exists()

        # The audit's row lock went with the transaction; the next save works.
        again = client.request("POST", url, form=form)
        assert again.status == 302, again.body[:500]
        answer = Answer.objects.get(participant=participant, item_key="know-customers")
        assert (answer.value, answer.comment, answer.revision) == (1, "Проверено", 1)
    finally:
        client.close()
    gunicorn_server.alive()


def test_a_connection_dropped_while_storing_evidence_keeps_the_previous_answer(
    gunicorn_server, logged_in, actors, audit
):
    from assessments.models import Answer, Evidence
    from assessments.services import answers

    participant = audit.participants.get(kind="assessor")
    instrument = audit.instruments.get()
    answers.answer_save(
        participant=participant, audit_instrument=instrument, item_key="know-customers", value=0
    )
    url = reverse("assessments:answer-save", args=[audit.pk, instrument.pk, "know-customers"])
    client = logged_in(actors["consultant"])
    body, content_type = _multipart(
        {"value": "1", "comment": "С подтверждением", "revision": "1", "tab": "t1"},
        {"file": ("standard.pdf", PDF, "application/pdf")},
    )
    try:
        # The evidence row names its uploader: its COMMIT waits while we hold that user.
        reply = _drop_while_waiting(
            gunicorn_server,
            "SELECT id FROM accounts_user WHERE id = %s FOR UPDATE",
            [actors["consultant"].pk],
            "COMMIT",
            lambda: client.request("POST", url, body=body, content_type=content_type),
        )
        _assert_error_page(reply)
        answer = Answer.objects.get(participant=participant, item_key="know-customers")
        kept = (answer.value, answer.comment, answer.revision, Evidence.objects.count())
        if kept != (0, "", 1, 0):
            raise PartialSave(f"after the failed save: value, comment, revision, files = {kept}")
    finally:
        client.close()
    gunicorn_server.alive()
