from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Case, CharField, Count, Exists, OuterRef, Value, When
from django.http import Http404
from django.urls import reverse

from cxaudit import brandkit

from . import policy
from .models import Branding, Invitation, Membership, Organisation, OrganisationKind, Role


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


# --------------------------------------------------------------------------- branding


def consultancy_access_get(*, user, pk) -> CompanyAccess:
    """The consultancy with the user's role in it, or 404 for anyone without one."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation_id=pk, organisation__kind=OrganisationKind.CONSULTANCY)
        .first()
    )
    if membership is None:
        raise Http404
    return CompanyAccess(company=membership.organisation, role=membership.role)


def branding_of(*, consultancy: Organisation) -> Branding | None:
    """The consultancy's own branding row, for its settings page."""
    return Branding.objects.filter(consultancy=consultancy).first()


@dataclass(frozen=True)
class Brand:
    """What a page, an e-mail or a report shows of a consultancy's branding."""

    name: str
    contact: str
    primary: str
    accent: str
    on_primary: str  # the text colour that reads on ``primary``
    logo: str | None  # the storage name of the logo (default storage), None without one
    logo_key: str | None  # the unguessable key of ``accounts:branding-logo``
    logo_type: str | None


def brand_from(branding: Branding, consultancy: Organisation) -> Brand:
    has_logo = bool(branding.logo and branding.logo_key)
    return Brand(
        name=branding.display_name or consultancy.name,
        contact=branding.contact_line,
        primary=branding.primary_colour.lower(),
        accent=branding.accent_colour.lower(),
        on_primary=brandkit.text_on(branding.primary_colour),
        logo=branding.logo.name if has_logo else None,
        logo_key=branding.logo_key if has_logo else None,
        logo_type=branding.logo_type if has_logo else None,
    )


def _cached_branding(company: Organisation) -> tuple[bool, Branding | None]:
    """(known, row): the branding already loaded with the company (``select_related`` of
    ``parent__branding``), so pages that read it with their main query run no other."""
    if not Organisation.parent.is_cached(company):
        return False, None
    parent = company.parent
    if parent is None or not Organisation.branding.is_cached(parent):
        return parent is None, None
    try:
        return True, parent.branding
    except Branding.DoesNotExist:
        return True, None


def branding_for(company: Organisation | None) -> Brand | None:
    """The branding a client company's pages, reports and e-mails show: its consultancy's.
    None for a standalone company, a consultancy without branding, or no company."""
    if company is None or company.kind != OrganisationKind.COMPANY or company.parent_id is None:
        return None
    known, branding = _cached_branding(company)
    if known:
        return brand_from(branding, company.parent) if branding and company.parent else None
    branding = (
        Branding.objects.select_related("consultancy")
        .filter(consultancy_id=company.parent_id)
        .first()
    )
    return brand_from(branding, branding.consultancy) if branding else None


def branding_logo_bytes(brand: Brand | None) -> bytes | None:
    """The logo file's bytes (for renderers that embed it), None without a logo or file."""
    if brand is None or brand.logo is None or not default_storage.exists(brand.logo):
        return None
    with default_storage.open(brand.logo, "rb") as handle:
        return handle.read()


def branding_logo_url(brand: Brand | None) -> str | None:
    """The logo's absolute public address, for e-mails; None without a logo."""
    if brand is None or brand.logo_key is None:
        return None
    return settings.SITE_URL.rstrip("/") + reverse("accounts:branding-logo", args=[brand.logo_key])


def branding_logo_by_key(*, key: str) -> tuple[bytes, str] | None:
    """The bytes and type of the logo behind a public key; None for any other key."""
    row = (
        Branding.objects.filter(logo_key=key)
        .exclude(logo="")
        .values_list("logo", "logo_type")
        .first()
    )
    if row is None or not default_storage.exists(row[0]):
        return None
    with default_storage.open(row[0], "rb") as handle:
        return handle.read(), row[1]
