"""Who may do what inside a company (STYLE §5): one table of actions, one entry point.

Scoping (which companies a user sees at all) is ``for_user`` on querysets and
``company_role`` in selectors; this module decides, from the role they fetched, what the
user may do there. Views call ``check`` (404 for a refusal, so nothing leaks) or
``allowed``; services, which get the role as ``by_role``, call ``role_allows``.
"""

from collections.abc import Callable
from typing import Any, Protocol

from django.http import Http404

from .models import Role


class HasRole(Protocol):
    role: str | None


MANAGING_ROLES = frozenset({Role.CONSULTANT, Role.MANAGER})

INVITABLE_ROLES = {
    Role.CONSULTANT: (Role.MANAGER, Role.STAFF),
    Role.MANAGER: (Role.MANAGER, Role.STAFF),
    Role.STAFF: (),
}


def invitable_roles(role: str | None) -> tuple[str, ...]:
    """The roles someone with ``role`` may invite people to the company as."""
    return INVITABLE_ROLES.get(role, ()) if role else ()


def manages(role: str | None) -> bool:
    """Consultants of the company's consultancy and its managers run it: invite, see
    pending invitations, enter metrics, run surveys, generate reports."""
    return role in MANAGING_ROLES


def member(role: str | None) -> bool:
    return role is not None


Rule = Callable[[str | None, Any], bool]


class Policy:
    """A table of actions, each a rule on (the user's role in the company, the object),
    behind the entry points each app's policy module exposes."""

    def __init__(self, rules: dict[str, Rule]):
        self.rules = rules

    def role_allows(self, role: str | None, action: str, obj: Any = None) -> bool:
        """Whether a user with ``role`` in the company may do ``action`` (a key of the
        table; any other is a programming error) on ``obj``."""
        return self.rules[action](role, obj)

    def roles_allowed(self, action: str, obj: Any = None) -> frozenset[str]:
        """The roles that may do ``action``: for querysets that filter on a role."""
        return frozenset(role for role in Role if self.role_allows(role, action, obj))

    def allowed(self, access: HasRole, action: str, obj: Any = None) -> bool:
        return self.role_allows(access.role, action, obj)

    def check(self, access: HasRole, action: str, obj: Any = None) -> None:
        """Refuse with 404, as for an outsider, unless ``allowed``."""
        if not self.allowed(access, action, obj):
            raise Http404


RULES: dict[str, Rule] = {
    "company.view": lambda role, _company: member(role),
    "company.manage": lambda role, _company: manages(role),
    "invitation.create": lambda role, _company: bool(invitable_roles(role)),
    "invitation.revoke": lambda role, _company: manages(role),
    # On a consultancy (the role is the user's in it): only its consultants set its look.
    "branding.edit": lambda role, _consultancy: role == Role.CONSULTANT,
    # The benchmark profile (industry, size band, opt-out): the consultancy's consultants.
    "company.benchmark_edit": lambda role, _company: role == Role.CONSULTANT,
    # API tokens act with a manager's rights: only those who manage the company hand them out.
    "api_tokens.manage": lambda role, _company: manages(role),
    # Webhooks send the company's events out: the same people as its API tokens.
    "webhooks.manage": lambda role, _company: manages(role),
}

POLICY = Policy(RULES)
role_allows, allowed, check = POLICY.role_allows, POLICY.allowed, POLICY.check
roles_allowed = POLICY.roles_allowed
