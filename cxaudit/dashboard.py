"""The start page: what each person should do next, across audits, surveys, plans and reports.

It reads every app, so it sits above them all (accounts < assessments/surveys < reports <
this module); the project's ``views.dashboard`` serves it. The
number of queries does not grow with the number of audits, waves or actions: each list
is one query, and counts come from grouped SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from assessments import policy as audit_policy
from assessments.models import (
    ActionItem,
    Audit,
    AuditInstrument,
    AuditStatus,
    Participant,
    ParticipantKind,
)
from assessments.selectors.audits import (
    ANSWERED,
    AuditProgress,
    audit_item_totals,
    audits_progress,
)
from cxaudit.accounts import policy as accounts_policy
from cxaudit.accounts.models import Organisation
from cxaudit.accounts.selectors import company_list, consultancies_for, role_expression
from cxaudit.reports.models import ReportJob, ReportStatus
from surveys.models import Wave
from surveys.selectors.access import response_counts_shown

LIST_LIMIT = 10


@dataclass
class OpenAudit:
    audit: Audit
    progress: AuditProgress | None  # None: the user does not run this audit


@dataclass
class WaitingSelfAssessment:
    audit: Audit
    first_instrument_id: int | None


def managed_companies(*, user):
    """Companies the user runs (the accounts policy's "company.manage")."""
    return (
        Organisation.objects.companies()
        .annotate(user_role=role_expression(user))
        .filter(user_role__in=accounts_policy.roles_allowed("company.manage"))
    )


def _open_audits(user, managed) -> list[OpenAudit]:
    """Open audits of the companies the user runs. Progress only where the user runs the
    audit itself (policy's "audit.run"): the audit page hides its participants from a manager
    of a consultant's audit, so the start page does not count them either."""
    audits = list(
        Audit.objects.filter(status=AuditStatus.OPEN, company__in=managed.values("pk"))
        .annotate(user_role=role_expression(user, "company"))
        .select_related("company")
        .order_by("-created_at")[:LIST_LIMIT]
    )
    runs = [
        audit for audit in audits if audit_policy.role_allows(audit.user_role, "audit.run", audit)
    ]
    progress = audits_progress(audits=runs)
    return [OpenAudit(audit=audit, progress=progress.get(audit.pk)) for audit in audits]


def _open_waves(managed) -> list[Wave]:
    today = timezone.localdate()
    waves = list(
        Wave.objects.open_on(today)
        .filter(survey__company__in=managed.values("pk"))
        .select_related("survey__company__survey_settings")
        .order_by("closes_on", "pk")[:LIST_LIMIT]
    )
    if not waves:
        return []
    shown = response_counts_shown(waves)  # no live count for open anonymous waves (A5)
    for wave in waves:
        wave.response_count = shown[wave.pk]
    return waves


def _overdue_actions(managed) -> tuple[list[ActionItem], int]:
    overdue = ActionItem.objects.overdue().filter(audit__company__in=managed.values("pk"))
    items = list(overdue.select_related("audit__company").order_by("due_date", "pk")[:LIST_LIMIT])
    total = len(items) if len(items) < LIST_LIMIT else overdue.count()
    return items, total


def _ready_reports(user) -> list[ReportJob]:
    """Finished reports this user asked for whose file is still kept."""
    now = timezone.now()
    return list(
        ReportJob.objects.for_user(user)
        .filter(requested_by=user, status=ReportStatus.DONE, file_deleted_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("company", "audit")
        .order_by("-finished_at", "-pk")[:LIST_LIMIT]
    )


def _waiting_self_assessments(user) -> list[WaitingSelfAssessment]:
    """Open audits in which this user has a self-assessment to finish."""
    mine = Participant.objects.filter(
        Q(user=user) | Q(user__isnull=True, email=user.email.lower()),
        kind=ParticipantKind.STAFF,
        submitted_at__isnull=True,
        audit__status=AuditStatus.OPEN,
        audit__company__in=Organisation.objects.for_user(user).values("pk"),
    )
    first = (
        AuditInstrument.objects.filter(audit=OuterRef("audit"))
        .order_by("position", "pk")
        .values("pk")[:1]
    )
    rows = list(
        mine.select_related("audit__company")
        .annotate(first_instrument_id=Subquery(first), answered=Count("answers", filter=ANSWERED))
        .order_by("-audit__created_at")[:LIST_LIMIT]
    )
    totals = audit_item_totals(audit_ids=[row.audit_id for row in rows])
    return [
        WaitingSelfAssessment(audit=row.audit, first_instrument_id=row.first_instrument_id)
        for row in rows
        if row.answered < max(totals[row.audit_id], 1)
    ]


def dashboard_get(*, user) -> dict[str, Any]:
    managed = managed_companies(user=user)
    runs_something = managed.exists()
    context: dict[str, Any] = {
        "companies": company_list(user=user),
        "can_create_company": consultancies_for(user=user).exists(),
        "waiting": _waiting_self_assessments(user),
        "runs_something": runs_something,
    }
    if runs_something:
        overdue, overdue_total = _overdue_actions(managed)
        context.update(
            open_audits=_open_audits(user, managed),
            open_waves=_open_waves(managed),
            overdue_actions=overdue,
            overdue_total=overdue_total,
        )
    context["reports"] = _ready_reports(user)
    return context
