"""Webhooks: events from the services, anonymity of "response received", tenancy, URL
checks, signed delivery to a local test receiver, retries with backoff, and the page."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cxaudit.api import services
from cxaudit.api.models import DeliveryStatus, Webhook, WebhookDelivery
from cxaudit.api.services import webhooks as webhook_services
from cxaudit.reports.models import ReportStatus
from cxaudit.reports.services import _finish, report_job_claim
from surveys import services as survey_services
from tests.report_factories import ReportJobFactory
from tests.survey_factories import SurveyFactory, WaveFactory
from tests.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db

ANSWER_KEYS = {"nps", "csat", "ces", "comment", "team", "exit_reason", "exit_where", "scores"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def dispatched(monkeypatch):
    """Deliveries sent to the worker, recorded instead of run (no network in these tests)."""
    sent = []
    monkeypatch.setattr(
        webhook_services,
        "webhook_delivery_dispatch",
        lambda *, delivery_id, countdown=0: sent.append((delivery_id, countdown)) or True,
    )
    return sent


def hook(company, events=("response.received", "wave.closed", "report.ready"), url=None):
    return services.webhook_create(
        company=company, url=url or "https://hooks.example.com/in", events=list(events), by=None
    )


def submit(wave, n, capture, **answers):
    """``n`` responses, each committed on its own as on the public page (autocommit)."""
    for i in range(n):
        with capture(execute=True):
            assert survey_services.response_submit(
                wave=wave,
                submission_token=f"token-{wave.pk}-{i:04d}-xxxxxxxx",
                answers={"nps": 9, "comment": "The clerk Ivan was rude", **answers},
            )


def payloads(**filters):
    return [json.loads(d.body) for d in WebhookDelivery.objects.filter(**filters).order_by("pk")]


# --------------------------------------------------------------------- anonymity (first)


def test_an_anonymous_survey_announces_only_a_count_every_nth_response(
    company, settings, dispatched, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ANONYMOUS_EVERY = 2
    webhook = hook(company)
    wave = WaveFactory(survey=SurveyFactory(company=company, anonymous=True, blocks=["nps"]))
    submit(wave, 5, django_capture_on_commit_callbacks)
    sent = payloads(webhook=webhook)
    assert [p["data"] for p in sent] == [
        {"wave_id": wave.pk, "survey_id": wave.survey_id, "anonymous": True, "responses": n}
        for n in (2, 4)
    ]
    for payload in sent:
        assert payload["event"] == "response.received"
        assert payload["company"] == company.pk
        assert len(payload["created"]) == 10  # the day only, no time
        assert not ANSWER_KEYS & set(payload["data"])
        assert "response_id" not in payload["data"]
    raw = "".join(d.body for d in WebhookDelivery.objects.all())
    assert "Ivan" not in raw
    assert len(dispatched) == 2


def test_a_named_survey_announces_each_response_with_its_scores(
    company, dispatched, django_capture_on_commit_callbacks
):
    hook(company, events=["response.received"])
    wave = WaveFactory(survey=SurveyFactory(company=company, anonymous=False, blocks=["nps"]))
    submit(wave, 2, django_capture_on_commit_callbacks)
    sent = payloads()
    assert len(sent) == 2
    assert sent[0]["data"]["scores"]["nps"] == 9
    assert sent[0]["data"]["anonymous"] is False
    assert sent[0]["data"]["response_id"] != sent[1]["data"]["response_id"]
    assert "T" in sent[0]["created"]  # to the second


# --------------------------------------------------------------------- events and tenancy


def test_closing_a_wave_is_announced_once(company, dispatched, django_capture_on_commit_callbacks):
    webhook = hook(company, events=["wave.closed"])
    wave = WaveFactory(survey=SurveyFactory(company=company))
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.wave_close(wave=wave)
        survey_services.wave_close(wave=wave)  # closed already: nothing
    [payload] = payloads(webhook=webhook)
    assert payload["event"] == "wave.closed"
    assert payload["data"]["wave_id"] == wave.pk
    assert dispatched == [(WebhookDelivery.objects.get().pk, 0)]


def test_a_finished_report_is_announced(company, dispatched, django_capture_on_commit_callbacks):
    hook(company, events=["report.ready"])
    job = ReportJobFactory(audit__company=company)
    token = report_job_claim(job_id=job.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert _finish(job, token, b"%PDF-1.7 test", 1)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    [payload] = payloads()
    assert payload["event"] == "report.ready"
    assert payload["data"]["report_id"] == job.pk
    assert payload["company"] == company.pk


def test_another_company_paused_or_unsubscribed_endpoints_get_nothing(
    company, other_company, dispatched, django_capture_on_commit_callbacks
):
    theirs = hook(other_company)
    paused = hook(company)
    services.webhook_set_active(webhook=paused, active=False)
    only_reports = hook(company, events=["report.ready"])
    mine = hook(company, events=["wave.closed"])
    wave = WaveFactory(survey=SurveyFactory(company=company))
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.wave_close(wave=wave)
    assert list(WebhookDelivery.objects.values_list("webhook", flat=True)) == [mine.pk]
    assert not WebhookDelivery.objects.filter(webhook__in=[theirs, paused, only_reports]).exists()


def test_a_rolled_back_event_is_not_sent(company, dispatched, django_capture_on_commit_callbacks):
    hook(company, events=["wave.closed"])
    wave = WaveFactory(survey=SurveyFactory(company=company))
    with django_capture_on_commit_callbacks(execute=False):
        survey_services.wave_close(wave=wave)
    assert not WebhookDelivery.objects.exists()


# --------------------------------------------------------------------- URL checks


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/in", "The address must start with https://."),
        ("ftp://hooks.example.com/in", "The address must start with https://."),
        ("https://me:pw@hooks.example.com/in", "Leave the user name and password out"),
        ("https://", "Enter the full address"),
        ("https://127.0.0.1/in", "is on a private or local network"),
        ("https://10.0.0.7/in", "is on a private or local network"),
        ("https://169.254.169.254/latest", "is on a private or local network"),
        ("https://[::1]/in", "is on a private or local network"),
        ("https://localhost/in", "is on a private or local network"),
        ("https://no-such-host.invalid/in", "could not be found"),
    ],
)
def test_refused_addresses_say_why(company, settings, url, message):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        hook(company, url=url)
    assert message in " ".join(refused.value.messages)
    assert not Webhook.objects.exists()


def test_public_addresses_and_private_ones_when_allowed(company, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert hook(company, url="https://93.184.216.34/in").url == "https://93.184.216.34/in"
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert hook(company, url=" https://127.0.0.1:9/in ").url == "https://127.0.0.1:9/in"


def test_events_must_be_chosen_and_known(company):
    for events in ([], ["test"], ["wave.closed", "nope"]):
        with pytest.raises(ValidationError, match="Choose at least one event"):
            hook(company, events=events)


def test_each_endpoint_gets_its_own_secret(company):
    first, second = hook(company), hook(company)
    assert len(first.secret) == 64
    assert first.secret != second.secret


# --------------------------------------------------------------------- delivery


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = True  # the local test receiver speaks plain HTTP
    settings.WEBHOOK_ALLOW_PRIVATE = True
    receiver = start_receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_a_delivery_is_signed_so_the_receiver_can_verify_it(company, receiver, dispatched):
    webhook = hook(company, url=receiver.url)
    delivery = services.webhook_test_send(webhook=webhook)
    assert services.webhook_delivery_run(delivery_id=delivery.pk) == DeliveryStatus.DELIVERED
    [got] = receiver.received
    headers = {key.lower(): value for key, value in got.headers.items()}
    assert headers["x-cxaudit-event"] == "test"
    assert headers["x-cxaudit-delivery"] == str(delivery.pk)
    assert headers["content-type"] == "application/json"
    timestamp = headers["x-cxaudit-timestamp"]
    # The receiver's own check, with nothing but the standard library and the secret.
    mac = hmac.new(webhook.secret.encode(), timestamp.encode() + b"." + got.body, hashlib.sha256)
    assert hmac.compare_digest(headers["x-cxaudit-signature"], "sha256=" + mac.hexdigest())
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    payload = json.loads(got.body)
    assert payload["event"] == "test"
    assert payload["company"] == company.pk
    assert set(payload) == {"event", "id", "created", "company", "data"}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    # Delivered: another message for it posts nothing.
    assert services.webhook_delivery_run(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1


def test_failures_are_retried_with_backoff_then_fail(
    company, receiver, dispatched, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    webhook = hook(company, url=receiver.url)
    delivery = services.webhook_test_send(webhook=webhook)
    delays = []
    for _attempt in range(6):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            status = services.webhook_delivery_run(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.response_status == 500
        assert "500" in delivery.error
        if status == DeliveryStatus.PENDING:
            delays.append(round((delivery.next_attempt_at - before).total_seconds() / 60))
            assert services.webhook_delivery_run(delivery_id=delivery.pk) is None  # not due
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                next_attempt_at=timezone.now() - timedelta(seconds=1)
            )
    assert delays == [1, 5, 30, 120, 360]
    assert dispatched == [(delivery.pk, delay) for delay in (60, 300, 1800, 7200, 21600)]
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 6
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == 6
    # The same bytes each time, each attempt signed anew.
    assert len({r.body for r in receiver.received}) == 1


def test_a_retry_can_succeed(company, receiver, dispatched):
    receiver.statuses = [503, 204]
    delivery = services.webhook_test_send(webhook=hook(company, url=receiver.url))
    assert services.webhook_delivery_run(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert services.webhook_delivery_run(delivery_id=delivery.pk) == DeliveryStatus.DELIVERED
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status, delivery.error) == (2, 204, "")


def test_no_answer_is_a_failed_attempt(company, settings, dispatched):
    settings.WEBHOOK_ALLOW_HTTP = True
    receiver = start_receiver()
    url = receiver.url
    receiver.server.server_close()  # nobody listens there now
    delivery = services.webhook_test_send(webhook=hook(company, url=url))
    assert services.webhook_delivery_run(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.response_status is None
    assert delivery.error


def test_a_redirect_is_not_followed(company, receiver, dispatched):
    receiver.statuses = [302]
    delivery = services.webhook_test_send(webhook=hook(company, url=receiver.url))
    assert services.webhook_delivery_run(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.response_status == 302


def test_a_host_turned_private_is_refused_at_delivery(company, receiver, settings, dispatched):
    delivery = services.webhook_test_send(webhook=hook(company, url=receiver.url))
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert services.webhook_delivery_run(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert "private or local network" in delivery.error
    assert receiver.received == []


def test_a_claimed_delivery_is_not_claimed_again(company, dispatched):
    delivery = services.webhook_test_send(webhook=hook(company))
    token = webhook_services.webhook_delivery_claim(delivery_id=delivery.pk)
    assert token
    assert webhook_services.webhook_delivery_claim(delivery_id=delivery.pk) is None
    assert services.webhook_delivery_run(delivery_id=delivery.pk) is None


def test_a_paused_endpoint_keeps_its_deliveries_until_resumed(company, dispatched):
    webhook = hook(company)
    delivery = services.webhook_event_fire(
        company_id=company.pk, event="wave.closed", data={"wave_id": 1}
    )
    assert delivery == 1
    services.webhook_set_active(webhook=webhook, active=False)
    pk = WebhookDelivery.objects.get().pk
    assert webhook_services.webhook_delivery_claim(delivery_id=pk) is None
    services.webhook_set_active(webhook=webhook, active=True)
    assert webhook_services.webhook_delivery_claim(delivery_id=pk)


def test_the_sweeper_resends_and_rescues(company, dispatched):
    webhook = hook(company)
    lost = services.webhook_test_send(webhook=webhook)
    stuck = services.webhook_test_send(webhook=webhook)
    webhook_services.webhook_delivery_claim(delivery_id=stuck.pk)
    later = timezone.now() + timedelta(minutes=10)
    WebhookDelivery.objects.filter(pk=lost.pk).update(dispatched_at=None)
    result = services.webhook_sweep(now=later)
    # Ten minutes on, the rescued delivery's first retry (a minute) is due as well.
    assert result == {"rescued": 1, "sent": 2}
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error, stuck.attempts) == ("pending", "worker lost", 1)
    assert {pk for pk, _countdown in dispatched} == {lost.pk, stuck.pk}


# --------------------------------------------------------------------- the page


def test_the_page_adds_lists_and_logs(en, company, dispatched, django_assert_max_num_queries):
    client = en("manager")
    url = reverse("api:webhook-list", args=[company.pk])
    response = client.post(url, {"url": "https://hooks.example.com/in", "events": ["wave.closed"]})
    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert webhook.events == ["wave.closed"]
    for _i in range(3):
        services.webhook_test_send(webhook=webhook)
    hook(company)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    text = page.content.decode()
    assert webhook.secret in text
    assert text.count("Test event") >= 3


def test_the_page_says_what_is_wrong(en, company):
    client = en("manager")
    url = reverse("api:webhook-list", args=[company.pk])
    response = client.post(url, {"url": "http://hooks.example.com/in", "events": ["wave.closed"]})
    assert response.status_code == 400
    assert "The address must start with https://." in response.content.decode()
    response = client.post(url, {"url": "https://hooks.example.com/in"})
    assert response.status_code == 400
    assert "Choose at least one event." in response.content.decode()
    assert not Webhook.objects.exists()


def test_pause_test_and_delete_from_the_page(client_for, company, dispatched):
    client = client_for("consultant")
    webhook = hook(company)
    assert client.post(reverse("api:webhook-toggle", args=[webhook.pk])).status_code == 302
    webhook.refresh_from_db()
    assert not webhook.active
    assert client.post(reverse("api:webhook-test", args=[webhook.pk])).status_code == 302
    assert WebhookDelivery.objects.filter(webhook=webhook, event="test").count() == 1
    assert client.post(reverse("api:webhook-delete", args=[webhook.pk])).status_code == 302
    assert not Webhook.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_a_test_event_reaches_the_receiver_through_the_task(
    company, receiver, django_capture_on_commit_callbacks
):
    """The real dispatch (the task runs eagerly in this tier): on commit, to the worker."""
    webhook = hook(company, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.webhook_test_send(webhook=webhook)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.dispatched_at is not None
    assert [json.loads(r.body)["event"] for r in receiver.received] == ["test"]


def test_a_failing_webhook_layer_never_breaks_the_announcing_service(
    company, monkeypatch, django_capture_on_commit_callbacks
):
    hook(company, events=["wave.closed"])

    def broken(**kwargs):
        raise RuntimeError("database of webhooks unavailable")

    monkeypatch.setattr(webhook_services, "webhook_event_fire", broken)
    wave = WaveFactory(survey=SurveyFactory(company=company))
    with django_capture_on_commit_callbacks(execute=True):
        closed = survey_services.wave_close(wave=wave)
    assert closed.closed_at is not None
    assert not WebhookDelivery.objects.exists()


def test_the_page_shows_only_the_companys_own_webhooks(en, company, other_company, dispatched):
    theirs = hook(other_company, url="https://theirs.example.com/in")
    services.webhook_test_send(webhook=theirs)
    mine = hook(company)
    text = en("manager").get(reverse("api:webhook-list", args=[company.pk])).content.decode()
    assert mine.secret in text
    assert theirs.secret not in text
    assert "theirs.example.com" not in text
