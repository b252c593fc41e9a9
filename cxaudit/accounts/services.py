from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .auth import email_normalize
from .models import Invitation, Membership, Organisation, OrganisationKind, Role, User
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
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": invitation_url(invitation),
            "days": settings.INVITATION_MAX_AGE_DAYS,
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
