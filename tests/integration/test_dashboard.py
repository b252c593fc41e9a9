"""The start page tells each person their next step, in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Participant
from assessments.services import audits as audit_services
from cxaudit.dashboard import dashboard_get
from cxaudit.reports.models import ReportStatus
from surveys import services as survey_services
from tests.integration.test_audits import start
from tests.report_factories import ActionItemFactory, ReportJobFactory
from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db


def page(client_for, role, language="en"):
    client = client_for(role)
    client.cookies["cxaudit_language"] = language
    return client.get(reverse("dashboard")).content.decode()


def add_staff(actors, audit):
    audit_services.participants_add(
        audit=audit,
        users=[actors["staff"]],
        by=actors["consultant"],
        by_role="consultant",
        language="ru",
    )


def test_the_consultant_sees_open_audits_with_progress(client_for, actors, company):
    audit = start(actors, company)
    add_staff(actors, audit)
    closed = start(actors, company)
    closed.title = "Closed one"
    closed.save()
    audit_services.audit_close(audit=closed, by=actors["consultant"])
    html = page(client_for, "consultant")
    total = dashboard_get(user=actors["consultant"])["open_audits"][0].progress.items_total
    assert f"0 of {total} items answered" in html
    assert "0 of 1 self-assessment done" in html
    assert "Closed one" not in html
    assert "Кофейня «Зерно»" in html  # the company list stays


def test_staff_see_the_self_assessment_waiting_with_a_button_to_answer(client_for, actors, company):
    audit = start(actors, company)
    add_staff(actors, audit)
    first = audit.instruments.order_by("position").first()
    html = page(client_for, "staff")
    assert "Self-assessments waiting for you" in html
    assert reverse("assessments:answer-page", args=[audit.pk, first.pk]) in html
    assert "Open audits" not in html  # staff run nothing
    Participant.objects.filter(user=actors["staff"]).update(submitted_at=timezone.now())
    assert "Self-assessments waiting for you" not in page(client_for, "staff")


def test_the_manager_sees_their_company_and_nothing_of_another(
    client_for, actors, company, other_company
):
    start(actors, company)
    survey = SurveyFactory(company=company, title="Guests", anonymous=False)
    wave = WaveFactory(survey=survey, number=1)
    ResponseFactory.create_batch(3, wave=wave)
    other = SurveyFactory(company=other_company, title="Rival survey")
    WaveFactory(survey=other, number=1)
    html = page(client_for, "manager")
    assert "Аудит сервиса" in html
    # The audit page hides a consultant's participants from the manager: so does this one.
    assert "Run by the consultant" in html and "self-assessment" not in html
    assert "Guests" in html and "3 responses" in html
    assert "Rival survey" not in html
    assert "Rival survey" not in page(client_for, "consultant")


def test_an_open_anonymous_wave_shows_no_live_count(client_for, actors, company):
    survey = SurveyFactory(company=company, title="Team pulse", anonymous=True)
    wave = WaveFactory(survey=survey, number=1)
    ResponseFactory.create_batch(7, wave=wave)
    html = page(client_for, "consultant")
    assert "Team pulse" in html
    assert "counted when the wave closes" in html
    assert "7 responses" not in html
    survey_services.wave_close(wave=wave)
    assert "Team pulse" not in page(client_for, "consultant")  # only open waves are listed


def test_overdue_actions_and_ready_reports_are_listed(client_for, actors, company):
    audit = start(actors, company)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ActionItemFactory(audit=audit, title="Call back complaints", due_date=yesterday)
    ActionItemFactory(audit=audit, title="Later", due_date=yesterday + datetime.timedelta(days=9))
    ActionItemFactory(audit=audit, title="Done already", due_date=yesterday, status="done")
    job = ReportJobFactory(
        audit=audit,
        requested_by=actors["consultant"],
        status=ReportStatus.DONE,
        finished_at=timezone.now(),
    )
    ReportJobFactory(audit=audit, requested_by=actors["consultant"], status=ReportStatus.QUEUED)
    html = page(client_for, "consultant")
    assert "Call back complaints" in html
    assert "Later" not in html and "Done already" not in html
    assert html.count(reverse("reports:job-download", args=[job.pk])) == 1
    assert "reports/" + str(job.pk + 1) + "/download" not in html


def test_the_page_is_in_russian_with_three_plural_forms(client_for, actors, company):
    audit = start(actors, company)
    add_staff(actors, audit)
    html = page(client_for, "consultant", language="ru")
    assert "Что делать дальше" in html
    assert "Завершено 0 самооценок из 1" in html


def test_the_dashboard_query_count_does_not_grow_with_audits_and_waves(
    client_for, actors, company, consultancy, django_assert_max_num_queries
):
    from tests.factories import CompanyFactory

    for n in range(12):
        client_company = CompanyFactory(parent=consultancy, name=f"Client {n}")
        audit = start(actors, client_company)
        Participant.objects.create(audit=audit, email=f"p{n}@example.com", kind="staff")
        ActionItemFactory(audit=audit, due_date=datetime.date(2020, 1, 1))
        survey = SurveyFactory(company=client_company, anonymous=n % 2 == 0)
        ResponseFactory.create_batch(2, wave=WaveFactory(survey=survey, number=1))
        ReportJobFactory(audit=audit, requested_by=actors["consultant"], status=ReportStatus.DONE)
    client = client_for("consultant")
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200


def test_a_manager_sees_the_progress_of_their_own_self_assessment(client_for, actors, company):
    start(actors, company, role="manager")
    html = page(client_for, "manager")
    assert "items answered" in html and "Run by the consultant" not in html
