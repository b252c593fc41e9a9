"""The instrument library: instruments and their immutable, versioned documents."""

import hashlib
import json
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import MD5, Cast
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxaudit import instrument_schema as schema
from cxaudit.accounts.models import Organisation, Role


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

    def for_consultancy(self, consultancy_id):
        """Built-in instruments and the private ones of one consultancy (if any)."""
        return self.filter(Q(owner__isnull=True) | Q(owner_id=consultancy_id))


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
    kind = models.CharField(_("kind"), max_length=16, choices=InstrumentKind)
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


# Parsed documents by (version id, digest of the document): a document edited in place
# through the ORM has another digest, so it is parsed again, never served stale.
_PARSED: dict[tuple[int | None, str], schema.Instrument] = {}


def _document_digest(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def _parsed_document(pk: int | None, digest: str, document: dict) -> schema.Instrument:
    parsed = _PARSED.get((pk, digest))
    if parsed is None:
        parsed = schema.Instrument.model_validate(document, context={"checked": True})
        if len(_PARSED) > 512:
            _PARSED.clear()
        _PARSED[(pk, digest)] = parsed
    return parsed


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("document"))
    yaml_text = models.TextField(_("YAML"))
    content_hash = models.CharField(max_length=64)
    title_ru = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    origin = models.CharField(max_length=16, choices=VersionOrigin)
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
        """The validated document (validated once on the way in, so not checked again),
        shared by every row object of the same version and content."""
        return _parsed_document(self.pk, _document_digest(self.document), self.document)


def document_digest(path: str = "document"):
    """The digest of an instrument version's document (at ``path`` from the queried
    model), computed in SQL, for ``versions_parse``."""
    return MD5(Cast(path, TextField()))


def versions_parse(versions: list[tuple[InstrumentVersion, str]]) -> None:
    """Set ``parsed`` on versions loaded without their large texts (``document`` and
    ``yaml_text`` deferred), each given with its ``document_digest``: a version parsed
    before in this process comes from memory, the documents of the others are read in one
    query (not one each)."""
    known = {version.pk: _PARSED.get((version.pk, digest)) for version, digest in versions}
    missing = [pk for pk, parsed in known.items() if parsed is None]
    documents = (
        dict(InstrumentVersion.objects.filter(pk__in=missing).values_list("pk", "document"))
        if missing
        else {}
    )
    for version, digest in versions:
        version.parsed = known[version.pk] or _parsed_document(
            version.pk, digest, documents[version.pk]
        )
