"""Who may do what in an audit, given the user's role in the company (accounts.permissions)."""

from cxaudit.accounts.models import Role


def can_run_audit(*, is_self_assessment: bool, role: str | None) -> bool:
    """The consultancy's consultants run audits; managers run their own self-assessments."""
    return role == Role.CONSULTANT or (is_self_assessment and role == Role.MANAGER)


def can_start_audit(role: str | None) -> bool:
    return role in (Role.CONSULTANT, Role.MANAGER)


def can_see_results(*, is_self_assessment: bool, role: str | None, published: bool) -> bool:
    """Until results are published, only those running the audit see them."""
    return can_run_audit(is_self_assessment=is_self_assessment, role=role) or (
        published and role in (Role.MANAGER, Role.STAFF)
    )


def can_update_actions(*, is_self_assessment: bool, role: str | None) -> bool:
    """The client manager updates action status; the audit's runners plan the actions."""
    return can_run_audit(is_self_assessment=is_self_assessment, role=role) or role == Role.MANAGER
