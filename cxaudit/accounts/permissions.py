"""Role rules: who may do what inside a company. Scoping itself is ``for_user`` on querysets."""

from .models import Role

MANAGING_ROLES = frozenset({Role.CONSULTANT, Role.MANAGER})

INVITABLE_ROLES = {
    Role.CONSULTANT: (Role.MANAGER, Role.STAFF),
    Role.MANAGER: (Role.MANAGER, Role.STAFF),
    Role.STAFF: (),
}


def can_manage_company(role: str | None) -> bool:
    """Consultants of the company's consultancy and its managers run it: invite, see results."""
    return role in MANAGING_ROLES


def invitable_roles(role: str | None) -> tuple[str, ...]:
    return INVITABLE_ROLES.get(role, ()) if role else ()


def can_moderate_comments(role: str | None) -> bool:
    """Only the consultant, the company's outside party, hides employees' comments before
    the company (managers and staff) reads them."""
    return role == Role.CONSULTANT
