"""The service tier: PostgreSQL, Redis and a real Celery worker process."""

import pytest
from django.urls import reverse

from cxaudit.accounts.models import Invitation

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_invitation_email_is_sent_by_the_worker(
    celery_worker_process, real_broker, client_for, company
):
    response = client_for("manager").post(
        reverse("accounts:invitation-create", args=[company.pk]),
        {"email": "via-worker@example.com", "role": "staff", "language": "en"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="via-worker@example.com")

    def delivered():
        return any(
            "via-worker@example.com" in path.read_text(errors="ignore")
            for path in celery_worker_process.outbox.iterdir()
        )

    celery_worker_process.wait_for(delivered)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    (mail_file,) = list(celery_worker_process.outbox.iterdir())
    assert "/invite/" in mail_file.read_text()


def test_a_self_assessment_invitation_is_e_mailed_by_the_worker(
    celery_worker_process, real_broker, client_for, actors, company
):
    from assessments.models import Participant
    from tests.integration.test_audits import start

    audit = start(actors, company)
    response = client_for("consultant").post(
        reverse("assessments:participants-add", args=[audit.pk]),
        {"members": [str(actors["staff"].pk)]},
    )
    assert response.status_code == 302

    def delivered():
        return any(
            "staff@example.com" in path.read_text(errors="ignore")
            and f"/audits/{audit.pk}/answer/" in path.read_text(errors="ignore")
            for path in celery_worker_process.outbox.iterdir()
        )

    celery_worker_process.wait_for(delivered)
    assert Participant.objects.get(audit=audit, kind="staff").notified_at is not None


def test_healthz_sees_postgres_and_redis(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs on the PostgreSQL tier")
    assert client.get("/healthz").json() == {"status": "ok", "failing": []}
