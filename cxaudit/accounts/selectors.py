from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from . import policy
from .models import Invitation, Membership, Organisation, Role


@dataclass(frozen=True)
class CompanyAccess:
    company: Organisation
    role: str

    @property
    def can_manage(self) -> bool:
        return policy.role_allows(self.role, "company.manage")


def company_role(*, user, company: Organisation) -> str | None:
    """The user's strongest role for the company: consultant beats manager beats staff."""
    roles = set(
        Membership.objects.filter(
            Q(organisation_id=company.pk, role__in=[Role.MANAGER, Role.STAFF])
            | Q(organisation_id=company.parent_id, role=Role.CONSULTANT),
            user_id=user.pk,
        ).values_list("role", flat=True)
    )
    for role in (Role.CONSULTANT, Role.MANAGER, Role.STAFF):
        if role in roles:
            return role
    return None


def company_access_get(*, user, pk) -> CompanyAccess:
    """The company with the user's role, or 404 for anyone who may not see it."""
    company = Organisation.objects.for_user(user).select_related("parent").filter(pk=pk).first()
    role = company_role(user=user, company=company) if company else None
    if company is None or role is None:
        raise Http404
    return CompanyAccess(company=company, role=role)


def company_list(*, user):
    return (
        Organisation.objects.for_user(user)
        .select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def company_members(*, company: Organisation):
    return company.memberships.select_related("user").order_by("role", "user__email")


def company_consultants(*, company: Organisation):
    if company.parent_id is None:
        return Membership.objects.none()
    return Membership.objects.filter(
        organisation_id=company.parent_id, role=Role.CONSULTANT
    ).select_related("user")


def company_pending_invitations(*, company: Organisation):
    return Invitation.objects.pending().filter(organisation=company).select_related("invited_by")


def consultancies_for(*, user):
    return Organisation.objects.consultancies_for(user).order_by("name")
