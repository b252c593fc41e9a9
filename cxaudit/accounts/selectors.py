from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, OuterRef, Value, When
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


def role_expression(user, company: str = "pk") -> Case:
    """The user's strongest role in a company, as an SQL expression: consultant of its
    consultancy beats manager beats staff; NULL for none. ``company`` is the path to the
    company from the model queried ("pk" on companies, "company" on audits), so every query
    that needs the role ranks roles the same way."""
    parent = "parent" if company == "pk" else f"{company}__parent"
    mine = Membership.objects.filter(user_id=user.pk)
    ranked = (
        (Role.CONSULTANT, OuterRef(parent)),
        (Role.MANAGER, OuterRef(company)),
        (Role.STAFF, OuterRef(company)),
    )
    return Case(
        *(
            When(Exists(mine.filter(organisation=where, role=role)), then=Value(role.value))
            for role, where in ranked
        ),
        default=None,
        output_field=CharField(),
    )


def company_role(*, user, company: Organisation) -> str | None:
    """The user's strongest role for the company, None for none."""
    return (
        Organisation.objects.filter(pk=company.pk)
        .annotate(user_role=role_expression(user))
        .values_list("user_role", flat=True)
        .first()
    )


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
