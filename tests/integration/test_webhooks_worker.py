"""Webhooks on the service tier: a real Celery worker posts a signed event to a local test
receiver; a message delivered twice posts once."""

import hashlib
import hmac
import json

import pytest

from cxaudit.api import services
from cxaudit.api.models import DeliveryStatus, WebhookDelivery
from cxaudit.api.tasks import webhook_deliver
from surveys import services as survey_services
from tests.survey_factories import SurveyFactory, WaveFactory
from tests.webhook_receiver import start_receiver

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True
    receiver = start_receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def status_of(pk):
    return WebhookDelivery.objects.values_list("status", flat=True).get(pk=pk)


def test_the_worker_delivers_a_closed_wave_signed(
    celery_worker_process, real_broker, receiver, company
):
    webhook = services.webhook_create(
        company=company, url=receiver.url, events=["wave.closed"], by=None
    )
    wave = WaveFactory(survey=SurveyFactory(company=company))
    survey_services.wave_close(wave=wave)  # autocommit: the event is announced at once
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    celery_worker_process.wait_for(lambda: status_of(delivery.pk) == DeliveryStatus.DELIVERED)
    [got] = receiver.received
    headers = {key.lower(): value for key, value in got.headers.items()}
    mac = hmac.new(
        webhook.secret.encode(),
        headers["x-cxaudit-timestamp"].encode() + b"." + got.body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["x-cxaudit-signature"] == f"sha256={mac}"
    assert headers["x-cxaudit-event"] == "wave.closed"
    assert json.loads(got.body)["data"]["wave_id"] == wave.pk


def test_a_duplicate_message_posts_once(celery_worker_process, real_broker, receiver, company):
    webhook = services.webhook_create(
        company=company, url=receiver.url, events=["wave.closed"], by=None
    )
    log_before = celery_worker_process.log_path.read_text().count("webhook_deliver[")
    delivery = services.webhook_test_send(webhook=webhook)  # sent to the worker at once
    webhook_deliver.delay(delivery.pk)  # the same message delivered twice more
    webhook_deliver.delay(delivery.pk)

    def all_handled():
        log = celery_worker_process.log_path.read_text()
        return log.count("webhook_deliver[") - log_before >= 6  # received + succeeded, x3

    celery_worker_process.wait_for(all_handled)
    assert status_of(delivery.pk) == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1
