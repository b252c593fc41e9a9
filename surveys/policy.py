"""Who may do what with a company's surveys (STYLE §5): one table of actions, one entry
point. Public survey pages have no user and no rule here: an unguessable token is the key.

Views call ``check`` (404 for a refusal) or ``allowed`` with the ``CompanyAccess`` the
selectors fetched and the survey or wave concerned; the role is the user's in the
survey's company.
"""

import datetime
from typing import Any

from django.utils import timezone

from cxaudit.accounts.models import Role
from cxaudit.accounts.policy import Policy, Rule, manages, member

from .models import Wave


def moderates(role: str | None, survey: Any) -> bool:
    """Only the consultant, the company's outside party, hides employees' comments before
    the company (managers and staff) reads them, and releases them."""
    return survey.is_employee and role == Role.CONSULTANT


def keeps_templates(role: str | None, company: Any) -> bool:
    """Survey templates belong to the consultancy, kept by its consultants; a company on its
    own keeps its templates itself, by its managers."""
    if company.parent_id is not None:
        return role == Role.CONSULTANT
    return role == Role.MANAGER


def wave_results_shown(wave: Any, *, managing: bool, today: datetime.date) -> bool:
    """Staff see closed waves (and, under anonymity, so does everyone: A5); managers and
    consultants also follow an open wave of a non-anonymous customer survey live; a
    scheduled wave has no results yet."""
    status = wave.status_on(today)
    if wave.survey.anonymous or not managing:
        return status == Wave.Status.CLOSED
    return status != Wave.Status.SCHEDULED


def sees_wave_results(role: str | None, wave: Any) -> bool:
    return role is not None and wave_results_shown(
        wave, managing=manages(role), today=timezone.localdate()
    )


def comments_held(wave: Any) -> bool:
    """Whether the wave's comments still wait for the consultant: employee comments of a
    consultancy's client are read by the consultant first (who may hide some), and reach
    the company's managers and staff, on pages, in exports and reports, once released. A
    company with no consultant reads its own (no query: the survey and company come along).
    """
    survey = wave.survey
    return (
        survey.is_employee
        and survey.company.parent_id is not None
        and wave.comments_released_at is None
    )


def reads_comments(role: str | None, wave: Any) -> bool:
    """Who sees the wave's results reads its comments, unless the consultant still holds
    them (then only the consultant does)."""
    return sees_wave_results(role, wave) and (
        not comments_held(wave) or moderates(role, wave.survey)
    )


RULES: dict[str, Rule] = {
    "survey.view": lambda role, _survey: member(role),
    "survey.manage": lambda role, _survey: manages(role),
    # on the company
    "templates.manage": keeps_templates,
    # on the survey
    "comments.moderate": moderates,
    # who edits the codebook corrects a comment's themes (of comments they may read)
    "themes.correct": lambda role, _survey: manages(role),
    # on the wave
    "wave.results.view": sees_wave_results,
    "wave.comments.read": reads_comments,
}

POLICY = Policy(RULES)
role_allows, allowed, check = POLICY.role_allows, POLICY.allowed, POLICY.check
