import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cxaudit import brandkit

from .auth import email_normalize
from .models import Branding, Invitation, Membership, Organisation, OrganisationKind, Role, User
from .policy import invitable_roles

INVITATION_SALT = "cxaudit.invitation"


class InvitationInvalid(Exception):
    """A link that cannot be used; the message is for the person holding it."""


def company_create(*, consultancy: Organisation | None, name: str, industry: str = "", by: User):
    company = Organisation(
        kind=OrganisationKind.COMPANY, name=name.strip(), industry=industry, parent=consultancy
    )
    company.full_clean()
    company.save()
    if consultancy is None:
        Membership.objects.create(user=by, organisation=company, role=Role.MANAGER)
    return company


def company_benchmark_update(
    *, company: Organisation, industry: str, size_band: str, benchmark_opt_out: bool
) -> Organisation:
    """Set the company's benchmark profile; its consultancy's benchmarks are then stale."""
    from cxaudit.caching import benchmark_version_bump

    company.industry = industry.strip()
    company.size_band = size_band
    company.benchmark_opt_out = benchmark_opt_out
    company.full_clean()
    company.save(update_fields=["industry", "size_band", "benchmark_opt_out"])
    if company.parent_id is not None:
        benchmark_version_bump(consultancy_id=company.parent_id)
    return company


def invitation_max_age() -> timedelta:
    return timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.pk), salt=INVITATION_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:invitation-accept", args=[invitation_token(invitation)])
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def invitation_create(
    *, company: Organisation, email: str, role: str, by: User, by_role: str, language: str
) -> Invitation:
    """Invite someone by e-mail; the e-mail is sent by a worker once this commits."""
    from .tasks import invitation_send as invitation_send_task

    email = email_normalize(email)
    if role not in invitable_roles(by_role):
        raise ValidationError(_("You cannot invite people with this role."))
    if Membership.objects.filter(organisation=company, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of this company.") % {"email": email}
        )
    # Inviting the same address again replaces the earlier link rather than adding another.
    Invitation.objects.pending().filter(organisation=company, email__iexact=email).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation(
        organisation=company, email=email, role=role, invited_by=by, language=language
    )
    invitation.full_clean()
    invitation.save()
    transaction.on_commit(partial(invitation_send_task.delay, str(invitation.pk)))
    return invitation


def invitation_send(*, invitation_id: str) -> bool:
    """Send the invitation e-mail; a repeated delivery of the task sends nothing twice."""
    invitation = (
        Invitation.objects.pending()
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id, sent_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    from .selectors import branding_for, branding_logo_url

    branding = branding_for(invitation.organisation)
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": invitation_url(invitation),
            "days": settings.INVITATION_MAX_AGE_DAYS,
            "branding": branding,
            "branding_logo_url": branding_logo_url(branding),
        }
        subject = _("Invitation to %(company)s on CX Audit") % {
            "company": invitation.organisation.name
        }
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())


def invitation_from_token(token: str) -> Invitation:
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=invitation_max_age())
    except signing.SignatureExpired as error:
        raise InvitationInvalid(_("This invitation has expired. Ask for a new one.")) from error
    except signing.BadSignature as error:
        raise InvitationInvalid(_("This invitation link is not valid.")) from error
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None or invitation.revoked_at:
        raise InvitationInvalid(_("This invitation has been withdrawn. Ask for a new one."))
    if invitation.accepted_at:
        raise InvitationInvalid(_("This invitation has already been used. Sign in instead."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Add the membership; claims the invitation so a second use of the link fails."""
    if user.email.lower() != invitation.email.lower():
        raise InvitationInvalid(
            _("This invitation is for %(email)s. Sign out and open the link again.")
            % {"email": invitation.email}
        )
    claimed = (
        Invitation.objects.pending()
        .filter(pk=invitation.pk)
        .update(accepted_at=timezone.now(), accepted_by=user)
    )
    if not claimed:
        raise InvitationInvalid(_("This invitation has already been used. Sign in instead."))
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    return membership


@transaction.atomic
def account_create_from_invitation(
    *, invitation: Invitation, full_name: str, password: str
) -> User:
    """Create the invited person's account and accept the invitation, all or nothing.

    Two sign-ups from one link at once both pass the check below; the unique e-mail stops
    the second one, which then gets the same message as if it had come later.
    """
    exists = InvitationInvalid(_("An account with this e-mail exists already. Sign in first."))
    if User.objects.filter(email=email_normalize(invitation.email)).exists():
        raise exists
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name,
                language=invitation.language,
            )
    except IntegrityError as error:
        raise exists from error
    invitation_accept(invitation=invitation, user=user)
    return user


def user_language_set(*, user: User, language: str) -> None:
    if user.is_authenticated and language != user.language:
        User.objects.filter(pk=user.pk).update(language=language)


# --------------------------------------------------------------------------- branding

LOGO_PROBLEMS = {
    "empty": _lazy("The logo file is empty."),
    "too_large": _lazy("The logo is larger than 2 MB."),
    "type": _lazy("The logo must be a PNG or JPEG image (SVG, GIF and other files are refused)."),
    "broken": _lazy("The logo file is damaged or is not really an image."),
    "too_small": _lazy("The logo is too small: at least 16 × 16 pixels."),
    "too_big": _lazy("The logo is too big: at most 4000 pixels on each side."),
    "shape": _lazy("The logo is too long and narrow: at most ten times wider than high."),
}


def logo_read(upload) -> tuple[bytes, brandkit.LogoInfo]:
    """The upload's bytes and checked type, or a ``ValidationError`` on the logo field.
    Reads at most one byte past the limit, so a huge upload is not loaded whole."""
    if upload.size is not None and upload.size > brandkit.LOGO_MAX_BYTES:
        raise ValidationError({"logo": LOGO_PROBLEMS["too_large"]})
    upload.seek(0)
    data = upload.read(brandkit.LOGO_MAX_BYTES + 1)
    try:
        return data, brandkit.logo_check(data)
    except brandkit.LogoRefused as refused:
        raise ValidationError({"logo": LOGO_PROBLEMS[refused.problem]}) from refused


@transaction.atomic
def branding_save(
    *,
    consultancy: Organisation,
    display_name: str,
    contact_line: str,
    primary_colour: str,
    accent_colour: str,
    logo=None,
    remove_logo: bool = False,
) -> Branding:
    """Create or change the consultancy's branding; a new logo replaces the old one (whose
    file is deleted once this commits), ``remove_logo`` drops it. Nothing is saved when a
    field or the logo is refused."""
    if not consultancy.is_consultancy:
        raise ValidationError(_("Only a consultancy has a branding."))
    branding = Branding.objects.select_for_update().filter(
        consultancy=consultancy
    ).first() or Branding(consultancy=consultancy)
    old_logo = branding.logo.name if branding.logo else ""
    branding.display_name = display_name.strip()
    branding.contact_line = " ".join(contact_line.split())
    branding.primary_colour = primary_colour.strip().lower()
    branding.accent_colour = accent_colour.strip().lower()
    branding.updated_at = timezone.now()
    branding.full_clean(exclude=["logo"])
    if logo is not None:
        data, info = logo_read(logo)
        branding.logo.save(f"logo{info.extension}", ContentFile(data), save=False)
        branding.logo_type = info.content_type
        branding.logo_key = secrets.token_urlsafe(24)
    elif remove_logo:
        branding.logo = ""
        branding.logo_type = ""
        branding.logo_key = None
    branding.save()
    new_logo = branding.logo.name if branding.logo else ""
    if old_logo and old_logo != new_logo:
        transaction.on_commit(partial(default_storage.delete, old_logo))
    return branding
