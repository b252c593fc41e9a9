"""The instrument library and audits.

Instruments are versioned documents (``assessments/library/*.yaml``); an audit pins the
versions it started with, and answers are keyed by (audit instrument, item key), never by a
question's row id, so an old audit keeps the score it was given.
"""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxaudit.accounts.models import Organisation, Role

from . import library_schema as schema


class InstrumentKind(models.TextChoices):
    CHECKLIST = "checklist", _("Checklist")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    CANVAS = "canvas", _("Canvas")
    JOURNEY_MAP = "journey-map", _("Journey map")
    TEMPLATE = "template", _("Template")


class InstrumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Built-in instruments for everyone signed in; private ones for their consultancy."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(owner__isnull=True)
            | Q(owner__memberships__user=user, owner__memberships__role=Role.CONSULTANT)
        ).distinct()


class Instrument(models.Model):
    key = models.SlugField(_("key"), max_length=80)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("consultancy"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instruments",
        help_text=_("Empty for the built-in library."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InstrumentKind.choices)
    latest = models.ForeignKey(
        "InstrumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(owner__isnull=True), name="builtin_key_unique"
            ),
            models.UniqueConstraint(fields=["owner", "key"], name="private_key_unique"),
        ]

    def __str__(self) -> str:
        return self.latest.title if self.latest else self.key

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None


class VersionOrigin(models.TextChoices):
    LIBRARY = "library", _("Built-in library")
    UPLOAD = "upload", _("Uploaded file")
    ADMIN = "admin", _("Edited in admin")


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("document"))
    yaml_text = models.TextField(_("YAML"))
    content_hash = models.CharField(max_length=64)
    title_ru = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    origin = models.CharField(max_length=16, choices=VersionOrigin.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "ru").startswith("en") else self.title_ru

    @cached_property
    def parsed(self) -> schema.Instrument:
        """The validated document (validated once on the way in, so not checked again)."""
        return schema.Instrument.model_validate(self.document, context={"checked": True})
