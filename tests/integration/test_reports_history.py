"""An audit's report history and the comparison of two of its reports: every job with its
facts, downloads until expiry, key figures from the jobs' snapshots, tenancy."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditStatus
from cxaudit.reports import services
from cxaudit.reports.models import ReportStatus
from tests.report_factories import (
    AuditFactory,
    RecommendationFactory,
    ReportJobFactory,
    demo_audit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    def make(role, language="en"):
        client = client_for(role)
        client.cookies["cxaudit_language"] = language
        return client

    return make


@pytest.fixture
def audit(actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    audit.results_published_at = timezone.now()
    audit.save()
    return audit


def _history(client, audit):
    response = client.get(reverse("reports:audit-report-history", args=[audit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _compare(client, audit, *jobs):
    url = reverse("reports:audit-report-compare", args=[audit.pk])
    return client.get(url, {"jobs": [getattr(job, "pk", job) for job in jobs]})


def _row(html, job) -> str:
    match = re.search(rf'<tr id="job-{job.pk}">(.*?)</tr>', html, re.S)
    assert match, f"job {job.pk} is not listed"
    return re.sub(r"\s+", " ", match[1])


def _done(audit, **fields):
    job = ReportJobFactory(
        audit=audit,
        status=ReportStatus.DONE,
        progress=100,
        size=123456,
        pages=14,
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=30),
        **fields,
    )
    job.file.save("ignored.pdf", ContentFile(b"%PDF-1.4\n% history\n"))
    return job


# ----------------------------------------------------------------------------- history


def test_the_history_lists_every_job_with_its_facts(client_for, actors, audit):
    old = [_done(audit) for _ in range(11)]  # more than the report page's latest ten
    final = _done(audit, requested_by=actors["manager"], language="ru", sections=["summary"])
    draft = _done(audit, requested_by=actors["consultant"], draft=True)
    expired = ReportJobFactory(
        audit=audit,
        status=ReportStatus.EXPIRED,
        file_deleted_at=timezone.make_aware(datetime.datetime(2026, 11, 3, 4)),
    )
    failed = ReportJobFactory(audit=audit, status=ReportStatus.FAILED)
    html = _history(client_for("consultant"), audit)
    assert html.count('<tr id="job-') == 15
    for job in old:
        assert reverse("reports:job-download", args=[job.pk]) in _row(html, job)
    row = _row(html, final)
    assert "Boris Manager" in row and "Russian" in row
    assert "Executive summary" in row and "Maturity by domain" not in row
    assert "Final" in row and "120.6 KB" in row and "14 pages" in row and "kept until" in row
    assert reverse("reports:job-download", args=[final.pk]) in row
    row = _row(html, draft)
    assert "Anna Consultant" in row and "Draft" in row and "All sections" in row
    row = _row(html, expired)
    assert "file deleted on 11/03/2026" in row
    assert reverse("reports:job-download", args=[expired.pk]) not in row
    assert 'name="jobs"' in row  # its figures can still be compared
    row = _row(html, failed)
    assert reverse("reports:job-detail", args=[failed.pk]) in row and 'name="jobs"' not in row


def test_each_rendered_report_offers_the_comparison_with_the_previous_one(client_for, audit):
    first = _done(audit)
    ReportJobFactory(audit=audit, status=ReportStatus.FAILED)
    second = _done(audit)
    html = _history(client_for("consultant"), audit)
    compare = reverse("reports:audit-report-compare", args=[audit.pk])
    assert f"{compare}?jobs={first.pk}&amp;jobs={second.pk}" in _row(html, second)
    assert "Compare with previous" not in _row(html, first)


def test_the_history_shows_only_this_audit_s_jobs(client_for, actors, audit, company):
    mine = _done(audit)
    other = _done(AuditFactory(company=company, owner=actors["consultant"]))
    html = _history(client_for("consultant"), audit)
    assert f'id="job-{mine.pk}"' in html and f'id="job-{other.pk}"' not in html


def test_the_history_runs_a_bounded_number_of_queries(
    client_for, actors, audit, django_assert_max_num_queries
):
    for index in range(25):
        _done(audit, requested_by=actors["consultant" if index % 2 else "manager"])
    client = client_for("consultant")
    with django_assert_max_num_queries(8):
        html = _history(client, audit)
    assert html.count('<tr id="job-') == 25


def test_the_history_and_comparison_are_in_russian(client_for, audit):
    first, second = _done(audit, snapshot=_snapshot()), _done(audit, snapshot=_snapshot())
    html = _history(client_for("manager", "ru"), audit)
    assert "История отчётов" in html and "Сравнить с предыдущим" in html
    assert "Все разделы" in html and "Итоговый" in html
    page = _compare(client_for("manager", "ru"), audit, first, second).content.decode()
    assert "Сравнение отчётов" in page and "Ключевые показатели" in page
    assert "Общий уровень зрелости" in page and "без изменений" not in page


# ----------------------------------------------------------------------------- compare


def _snapshot(overall="50.0", recommendations=3, **extra):
    return {
        "overall": overall,
        "level": 3,
        "level_name": "Defined",
        "domains": [{"key": "x:one", "label": "First domain", "score": overall}],
        "surveys": [],
        "recommendations": recommendations,
        "actions": 3,
        **extra,
    }


def _figures(page: str) -> dict[str, list[str]]:
    """Label -> [earlier, later, change] of the key figures table."""
    table = re.search(
        r'<table class="table align-middle mb-0 report-compare-figures">(.*?)</table>', page, re.S
    )
    assert table, "no figures table"
    rows = {}
    for label, cells in re.findall(
        r'<th scope="row" class="fw-normal">(.*?)</th>(.*?)</tr>', table[1], re.S
    ):
        rows[label.strip()] = [
            re.sub(r"\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)
        ]
    return rows


def test_two_rendered_reports_compare_with_their_recorded_figures(client_for, actors, audit):
    services.audit_report_options_save(audit=audit, sections=["cover", "summary"], by=None)
    first, _created = services.audit_report_request(
        audit=audit, language="en", by=actors["consultant"]
    )
    assert services.report_job_run(job_id=first.pk) == ReportStatus.DONE
    RecommendationFactory(audit=audit, text="Answer every e-mail within a day.")
    audit.status = AuditStatus.CLOSED
    audit.save()
    services.audit_report_options_save(audit=audit, sections=["summary", "appendix"], by=None)
    second, _created = services.audit_report_request(
        audit=audit, language="en", by=actors["manager"]
    )
    assert services.report_job_run(job_id=second.pk) == ReportStatus.DONE
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.draft, second.draft) == (True, False)

    response = _compare(client_for("manager"), audit, second, first)  # any order: older first
    assert response.status_code == 200
    page = response.content.decode()
    facts = re.sub(r"\s+", " ", page)
    assert "Anna Consultant" in facts and "Boris Manager" in facts
    assert "Added: Appendix: methodology and answers" in facts
    assert "Removed: Cover" in facts
    figures = _figures(page)
    overall = figures["Overall maturity"]
    assert overall[:2] == [first.snapshot["overall"], second.snapshot["overall"]]
    assert figures["Recommendations"] == [
        str(first.snapshot["recommendations"]),
        str(second.snapshot["recommendations"]),
        "+1",
    ]
    assert second.snapshot["recommendations"] == first.snapshot["recommendations"] + 1
    for domain in second.snapshot["domains"]:
        assert domain["label"] in figures
    assert figures["Action plan items"][2] == "0"
    draft_cells = re.search(r"Version</th>(.*?)</tr>", facts)[1]
    assert draft_cells.index("Draft") < draft_cells.index("Final")


def test_changes_are_signed_and_texts_say_whether_they_changed(client_for, audit):
    first = _done(audit, snapshot=_snapshot("62.5", texts="a" * 64))
    second = _done(audit, snapshot=_snapshot("55.0", recommendations=5, texts="b" * 64))
    figures = _figures(_compare(client_for("consultant"), audit, first, second).content.decode())
    assert figures["Overall maturity"] == ["62.5", "55.0", "-7.5"]
    assert figures["First domain"] == ["62.5", "55.0", "-7.5"]
    assert figures["Recommendations"] == ["3", "5", "+2"]
    assert figures["Consultant&#x27;s texts"] == ["changed"]


def test_reports_without_recorded_figures_say_so(client_for, audit):
    old = _done(audit)  # made before jobs kept a snapshot
    new = _done(audit, snapshot=_snapshot())
    page = _compare(client_for("consultant"), audit, old, new).content.decode()
    assert "No figures were recorded for the report of" in page
    assert "report-compare-figures" not in page


@pytest.mark.parametrize(
    ("picked", "message"),
    [
        ([], "Pick exactly two reports of the list to compare them."),
        (["first"], "Pick exactly two reports of the list to compare them."),
        (["first", "first"], "Pick exactly two reports of the list to compare them."),
        (["first", "abc"], "Pick two reports of the list to compare them."),
        (["first", "failed"], "Only reports that were rendered can be compared"),
    ],
)
def test_a_wrong_pick_is_explained(client_for, audit, picked, message):
    jobs = {"first": _done(audit), "failed": ReportJobFactory(audit=audit, status="failed")}
    response = _compare(client_for("consultant"), audit, *[jobs.get(p, p) for p in picked])
    assert response.status_code == 200
    assert message in response.content.decode()


def test_jobs_of_another_audit_or_company_are_not_found(
    client_for, actors, audit, company, other_company
):
    mine = _done(audit, snapshot=_snapshot())
    sibling = _done(AuditFactory(company=company, owner=actors["consultant"]), snapshot=_snapshot())
    foreign = _done(AuditFactory(company=other_company), snapshot=_snapshot())
    client = client_for("consultant")
    assert _compare(client, audit, mine, sibling).status_code == 404
    assert _compare(client, audit, mine, foreign).status_code == 404
    assert _compare(client, audit, mine, 999999).status_code == 404
    # another company's audit, with its own two jobs: not even the page is found
    other_audit = foreign.audit
    other_two = _done(other_audit, snapshot=_snapshot())
    assert _compare(client, other_audit, foreign, other_two).status_code == 404
    url = reverse("reports:audit-report-history", args=[other_audit.pk])
    assert client.get(url).status_code == 404


def test_the_comparison_runs_a_bounded_number_of_queries(
    client_for, audit, django_assert_max_num_queries
):
    first = _done(audit, snapshot=_snapshot())
    second = _done(audit, snapshot=_snapshot("70.0"))
    client = client_for("consultant")
    with django_assert_max_num_queries(8):
        response = _compare(client, audit, first, second)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("other_staff", 404), ("other_consultant", 404), ("anonymous", 302)],
)
def test_history_and_comparison_follow_who_may_download_the_reports(
    client_for, audit, role, status
):
    first, second = _done(audit, snapshot=_snapshot()), _done(audit, snapshot=_snapshot())
    client = client_for(role)
    assert (
        client.get(reverse("reports:audit-report-history", args=[audit.pk])).status_code == status
    )
    assert _compare(client, audit, first, second).status_code == status


def test_staff_do_not_see_the_history_of_unpublished_results(client_for, audit):
    audit.results_published_at = None
    audit.save()
    assert (
        client_for("staff")
        .get(reverse("reports:audit-report-history", args=[audit.pk]))
        .status_code
        == 404
    )
