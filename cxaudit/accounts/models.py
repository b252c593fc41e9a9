"""People, organisations and who may reach what.

A consultancy has client companies (``Organisation.parent``); a company may also stand alone.
A membership gives a role: consultants belong to a consultancy and reach all its clients;
managers and staff belong to one company.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .auth import email_normalize


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=email_normalize(self.normalize_email(email)), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        """Sign-in looks up the stored (lower-cased) spelling of the e-mail."""
        return self.get(email=email_normalize(username))

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @classmethod
    def normalize_username(cls, username):
        """Called by ``clean()``, so forms (the admin's too) store the lower-cased e-mail."""
        username = super().normalize_username(username)
        return email_normalize(username) if isinstance(username, str) else username

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Consultant")
    MANAGER = "manager", _("Client manager")
    STAFF = "staff", _("Staff")


class OrganisationKind(models.TextChoices):
    CONSULTANCY = "consultancy", _("Consultancy")
    COMPANY = "company", _("Company")


class SizeBand(models.TextChoices):
    """A company's size by headcount, set by its consultant for the benchmark filters."""

    SMALL = "small", _("Fewer than 50 employees")
    MEDIUM = "medium", _("50–249 employees")
    LARGE = "large", _("250–999 employees")
    ENTERPRISE = "enterprise", _("1,000 employees or more")


class OrganisationQuerySet(models.QuerySet):
    def companies(self):
        return self.filter(kind=OrganisationKind.COMPANY)

    def for_user(self, user):
        """Companies the user may see: their own, and every client of their consultancy."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.companies()
            .filter(
                Q(memberships__user=user, memberships__role__in=[Role.MANAGER, Role.STAFF])
                | Q(parent__memberships__user=user, parent__memberships__role=Role.CONSULTANT)
            )
            .distinct()
        )

    def consultancies_for(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            kind=OrganisationKind.CONSULTANCY,
            memberships__user=user,
            memberships__role=Role.CONSULTANT,
        )


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("consultancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
        limit_choices_to={"kind": OrganisationKind.CONSULTANCY},
    )
    industry = models.CharField(_("industry"), max_length=200, blank=True)
    size_band = models.CharField(_("size band"), max_length=16, choices=SizeBand, blank=True)
    benchmark_opt_out = models.BooleanField(
        _("left out of the benchmark"),
        default=False,
        help_text=_("Its audits are not compared with, nor counted for, the other clients."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.COMPANY) | Q(parent__isnull=True),
                name="consultancy_has_no_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_consultancy(self) -> bool:
        return self.kind == OrganisationKind.CONSULTANCY


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation in a role.

    The link carries a signed, expiring token naming this row; accepting stamps
    ``accepted_at``, so a link works once.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=Role)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "accepted_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


def logo_path(instance: "Branding", filename: str) -> str:
    """A random name: the uploaded name is never used (its extension comes from the bytes)."""
    extension = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    return f"branding/{uuid.uuid4().hex}{extension}"


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}\Z", _("Enter a colour as # and six hexadecimal digits, e.g. #1f4e79.")
)


class Branding(models.Model):
    """A consultancy's look on its clients' reports, survey pages and e-mails.

    ``logo_key`` is random and changes with every new logo: it is how anonymous respondents
    load the logo (``accounts:branding-logo``), so a cached old logo never shows a new one.
    """

    consultancy = models.OneToOneField(
        Organisation,
        verbose_name=_("consultancy"),
        on_delete=models.CASCADE,
        related_name="branding",
        limit_choices_to={"kind": OrganisationKind.CONSULTANCY},
    )
    display_name = models.CharField(
        _("name shown"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty to show the consultancy's name."),
    )
    logo = models.FileField(_("logo"), upload_to=logo_path, blank=True)
    logo_type = models.CharField(_("logo type"), max_length=20, blank=True)
    logo_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#1f4e79", validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#cfe0f1", validators=[colour_validator]
    )
    contact_line = models.CharField(
        _("contact line"),
        max_length=200,
        blank=True,
        help_text=_("One short line: phone, web site, e-mail."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("brandings")

    def __str__(self) -> str:
        return self.display_name or str(self.consultancy_id)
