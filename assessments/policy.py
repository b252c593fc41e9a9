"""Who may do what in an audit (STYLE §5): one table of actions, one entry point.

The facts a rule reads: the user's role in the audit's company (read with the audit), whether
the audit is a self-assessment, published, open, and whether the user takes part in it.
Views call ``check`` (404 for a refusal) or ``allowed`` with the ``AuditAccess`` that
``audit_access_get`` fetched; services, which get ``by_role``, call ``role_allows``.
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404

from cxaudit.accounts.models import Role
from cxaudit.accounts.policy import HasRole, manages


def runs(role: str | None, audit: Any) -> bool:
    """The consultancy's consultants run audits; managers run their own self-assessments."""
    return role == Role.CONSULTANT or (audit.is_self_assessment and role == Role.MANAGER)


def sees_results(role: str | None, audit: Any) -> bool:
    """Until results are published, only those running the audit see them."""
    published = audit.results_published_at is not None
    return runs(role, audit) or (published and role in (Role.MANAGER, Role.STAFF))


def updates_actions(role: str | None, audit: Any) -> bool:
    """The client manager updates action status; the audit's runners plan the actions."""
    return runs(role, audit) or role == Role.MANAGER


# Each rule reads (role, audit, participant: bool).
Rule = Callable[[str | None, Any, bool], bool]

RULES: dict[str, Rule] = {
    # ``audit`` is the company here: nobody runs an audit that does not exist yet.
    "audit.start": lambda role, _company, _p: manages(role),
    "audit.run": lambda role, audit, _p: runs(role, audit),
    "audit.results.view": lambda role, audit, _p: sees_results(role, audit),
    "answers.view": lambda _role, _audit, participant: participant,
    "answers.edit": lambda _role, audit, participant: participant and audit.is_open,
    "recommendations.view": lambda role, audit, _p: sees_results(role, audit),
    "recommendations.manage": lambda role, audit, _p: runs(role, audit),
    "actions.view": lambda role, audit, _p: (
        updates_actions(role, audit) or sees_results(role, audit)
    ),
    "actions.update": lambda role, audit, _p: updates_actions(role, audit),
    "actions.plan": lambda role, audit, _p: runs(role, audit),
    "journey.view": lambda role, audit, participant: participant or sees_results(role, audit),
    "journey.manage": lambda role, audit, _p: runs(role, audit),
    "journey.edit": lambda role, audit, _p: runs(role, audit) and audit.is_open,
    # The report is finalised after closing: the runners' own words stay editable then
    # (each text records who changed it last, and when).
    "texts.view": lambda role, audit, _p: sees_results(role, audit),
    # Where a closed audit stands among the consultancy's other clients (never named).
    "benchmark.view": lambda role, audit, _p: sees_results(role, audit) and not audit.is_open,
    "texts.edit": lambda role, audit, _p: runs(role, audit),
}


def role_allows(role: str | None, action: str, audit: Any, *, participant: bool = False) -> bool:
    """Whether a user with ``role`` in the audit's company may do ``action`` (a key of
    ``RULES``) on ``audit``; ``participant``: whether they take part in it."""
    return RULES[action](role, audit, participant)


def allowed(access: HasRole, action: str, obj: Any = None) -> bool:
    """``access``: an ``AuditAccess``, whose audit and participation the rule reads; or, for
    "audit.start", a ``CompanyAccess`` with the company as ``obj``."""
    participant = getattr(access, "participant", None) is not None
    audit = obj if obj is not None else access.audit  # type: ignore[attr-defined]
    return role_allows(access.role, action, audit, participant=participant)


def check(access: HasRole, action: str, obj: Any = None) -> None:
    """Refuse with 404, as for an outsider, unless ``allowed``."""
    if not allowed(access, action, obj):
        raise Http404
