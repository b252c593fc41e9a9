"""The next step of an audit: default period, invitation e-mails, reminders, closing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from assessments.forms.audits import AuditForm, last_full_quarter
from assessments.models import Audit, AuditStatus, Participant
from assessments.selectors.audits import audit_progress
from assessments.services import audits as services
from assessments.services.answers import answer_save
from tests.integration.test_audits import start

pytestmark = pytest.mark.django_db


def invite_staff(actors, audit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.participants_add(
            audit=audit,
            users=[actors["staff"]],
            by=actors["consultant"],
            by_role="consultant",
            language="ru",
        )
    return audit.participants.get(kind="staff")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 1, 5), (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))),
        (datetime.date(2026, 3, 31), (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))),
        (datetime.date(2026, 4, 1), (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))),
        (datetime.date(2026, 8, 15), (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))),
        (datetime.date(2026, 12, 31), (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))),
    ],
)
def test_the_default_period_is_the_last_full_quarter(today, expected):
    assert last_full_quarter(today) == expected
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(12)), tick=False):
        form = AuditForm(templates=[], instruments=[])
        assert (form.fields["period_start"].initial, form.fields["period_end"].initial) == expected


def test_the_create_form_shows_the_last_quarter_in_early_january(client_for, company):
    moment = datetime.datetime(2027, 1, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        page = client_for("consultant").get(reverse("assessments:audit-create", args=[company.pk]))
    html = page.content.decode()
    assert 'value="2026-10-01"' in html and 'value="2026-12-31"' in html


def test_adding_a_member_emails_the_link_in_their_language(
    actors, company, django_capture_on_commit_callbacks
):
    actors["staff"].language = "en"
    actors["staff"].save()
    audit = start(actors, company)
    participant = invite_staff(actors, audit, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff@example.com"]
    assert message.subject == "Your self-assessment for Кофейня «Зерно»"
    first = audit.instruments.order_by("position").first()
    assert f"http://testserver/audits/{audit.pk}/answer/{first.pk}/" in message.body
    participant.refresh_from_db()
    assert participant.notified_at is not None


def test_the_invitation_e_mail_is_russian_for_a_russian_profile(
    actors, company, django_capture_on_commit_callbacks
):
    audit = start(actors, company)
    invite_staff(actors, audit, django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject == "Ваша самооценка для «Кофейня «Зерно»»"
    assert "самостоятельно" in mail.outbox[0].body


def test_a_repeated_delivery_sends_nothing_twice(
    actors, company, django_capture_on_commit_callbacks
):
    audit = start(actors, company)
    participant = invite_staff(actors, audit, django_capture_on_commit_callbacks)
    assert services.participant_notify(participant_id=participant.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim(actors, company, monkeypatch):
    audit = start(actors, company)
    participant = Participant.objects.create(
        audit=audit, user=actors["staff"], email="staff@example.com", kind="staff"
    )

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.send_mail", broken)
    with pytest.raises(OSError):
        services.participant_notify(participant_id=participant.pk)
    participant.refresh_from_db()
    assert participant.notified_at is None


def test_someone_invited_by_address_gets_the_company_invitation_only(
    client_for, company, actors, django_capture_on_commit_callbacks
):
    audit = start(actors, company)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("consultant").post(
            reverse("assessments:participants-add", args=[audit.pk]),
            {"emails": "new.staff@example.com"},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["new.staff@example.com"]]
    assert "CX Audit" in mail.outbox[0].subject  # the company invitation


def test_reminders_go_to_those_not_finished_and_not_twice_in_a_day(
    client_for, actors, company, django_capture_on_commit_callbacks
):
    audit = start(actors, company)
    invite_staff(actors, audit, django_capture_on_commit_callbacks)
    url = reverse("assessments:participants-remind", args=[audit.pk])
    client = client_for("consultant")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Напоминать некому" in response.content.decode()  # e-mailed a moment ago
    assert len(mail.outbox) == 1
    later = timezone.now() + datetime.timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, follow=True)
        assert "Напоминание отправляется 1 человеку." in response.content.decode()
        assert len(mail.outbox) == 2
        assert mail.outbox[1].subject.startswith("Напоминание")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)
        assert len(mail.outbox) == 2
        participant = audit.participants.get(kind="staff")
        assert services.participant_remind(participant_id=participant.pk) is False


def test_someone_who_finished_gets_no_reminder(actors, company, django_capture_on_commit_callbacks):
    audit = start(actors, company)
    participant = invite_staff(actors, audit, django_capture_on_commit_callbacks)
    Participant.objects.filter(pk=participant.pk).update(submitted_at=timezone.now())
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        assert services.participants_remind(audit=audit) == 0


def test_a_closed_audit_sends_no_reminders(actors, company):
    audit = start(actors, company)
    services.audit_close(audit=audit, by=actors["consultant"])
    with pytest.raises(services.ValidationError):
        services.participants_remind(audit=audit)


def test_progress_counts_official_answers_and_finished_self_assessments(
    actors, company, django_capture_on_commit_callbacks
):
    audit = start(actors, company)
    staff = invite_staff(actors, audit, django_capture_on_commit_callbacks)
    Participant.objects.create(audit=audit, email="late@example.com", kind="staff")
    golding = audit.instruments.get(version__instrument__key="golding-cx-framework")
    assessor = audit.participants.get(kind="assessor")
    items = [item for _section, item in golding.version.parsed.items()]
    for item in items[:3]:
        answer_save(participant=assessor, audit_instrument=golding, item_key=item.key, value=1)
    for audit_instrument in audit.instruments.all():
        for _section, item in audit_instrument.version.parsed.items():
            answer_save(
                participant=staff,
                audit_instrument=audit_instrument,
                item_key=item.key,
                is_na=item.allow_na,
                value=None if item.allow_na else 1,
                text="ok" if item.scale in ("text", "number") else "",
            )
    progress = audit_progress(audit=audit)
    total = sum(len(list(ai.version.parsed.items())) for ai in audit.instruments.all())
    assert (progress.items_total, progress.items_answered) == (total, 3)
    assert (progress.staff_total, progress.staff_done, progress.staff_pending) == (2, 1, 1)


def test_closing_asks_first_and_says_what_is_missing(
    client_for, actors, company, django_capture_on_commit_callbacks
):
    audit = start(actors, company)
    invite_staff(actors, audit, django_capture_on_commit_callbacks)
    client = client_for("consultant")
    url = reverse("assessments:audit-close", args=[audit.pk])
    total = audit_progress(audit=audit).items_total
    with translation.override("ru"):
        missing = ngettext(
            "%(counter)s of %(total)s item unanswered",
            "%(counter)s of %(total)s items unanswered",
            total,
        ) % {"counter": total, "total": total}
    html = client.get(url).content.decode()
    assert missing in html and missing.startswith("Без ответа")
    assert "Не завершена 1 самооценка из 1" in html
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.OPEN  # a GET changes nothing
    client.cookies["cxaudit_language"] = "en"
    html = client.get(url).content.decode()
    assert f"{total} of {total} items unanswered" in html
    assert "1 of 1 self-assessment not done" in html
    response = client.post(url)
    assert response.status_code == 302
    assert Audit.objects.get(pk=audit.pk).status == AuditStatus.CLOSED
    assert "This audit is already closed." in client.get(url).content.decode()


def test_close_page_query_budget(actors, company, client_for, django_assert_max_num_queries):
    audit = start(actors, company, keys=("full-cx-audit",))
    for n in range(20):
        Participant.objects.create(audit=audit, email=f"p{n}@example.com", kind="staff")
    client = client_for("consultant")
    client.get(reverse("assessments:audit-detail", args=[audit.pk]))
    with django_assert_max_num_queries(10):
        client.get(reverse("assessments:audit-close", args=[audit.pk]))


def test_the_audit_status_badge_is_masculine_in_russian(client_for, actors, company):
    audit = start(actors, company)
    page = client_for("consultant").get(reverse("assessments:audit-detail", args=[audit.pk]))
    assert ">Открыт</span>" in page.content.decode()
    services.audit_close(audit=audit, by=actors["consultant"])
    page = client_for("consultant").get(reverse("assessments:audit-detail", args=[audit.pk]))
    assert ">Закрыт</span>" in page.content.decode()


def test_the_invitation_page_names_the_company_in_russian(client_for, company):
    page = client_for("consultant").get(reverse("accounts:invitation-create", args=[company.pk]))
    assert "Пригласить людей в компанию «Кофейня «Зерно»»" in page.content.decode()
