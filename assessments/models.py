"""The instrument library and audits.

Instruments are versioned documents (``cxaudit/library/*.yaml``); an audit pins the
versions it started with, and answers are keyed by (audit instrument, item key), never by a
question's row id, so an old audit keeps the score it was given.
"""

from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
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


_PARSED: dict[tuple[int | None, str], schema.Instrument] = {}


def _parsed_document(pk: int | None, content_hash: str, document: dict) -> schema.Instrument:
    key = (pk, content_hash)
    parsed = _PARSED.get(key) if pk is not None else None
    if parsed is None:
        parsed = schema.Instrument.model_validate(document, context={"checked": True})
        if pk is not None:
            if len(_PARSED) > 512:
                _PARSED.clear()
            _PARSED[key] = parsed
    return parsed


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
        """The validated document (validated once on the way in, so not checked again).

        A version never changes, so the parsed document is shared by every row object."""
        return _parsed_document(self.pk, self.content_hash, self.document)


class AuditStatus(models.TextChoices):
    # "Аудит" is masculine in Russian; a wave ("волна") is feminine: hence the context.
    OPEN = "open", pgettext_lazy("audit status", "Open")
    CLOSED = "closed", pgettext_lazy("audit status", "Closed")


class AuditQuerySet(models.QuerySet):
    def for_user(self, user):
        """Audits of the companies the user can reach (see Organisation.objects.for_user)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__in=Organisation.objects.for_user(user))


class Audit(models.Model):
    """One round of assessment of a company: the consultant's (or the manager's) official
    answers and the staff's self-assessment on the same pinned instrument versions."""

    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audits", verbose_name=_("company")
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_audits",
        verbose_name=_("run by"),
    )
    is_self_assessment = models.BooleanField(_("self-assessment without a consultant"))
    template_key = models.CharField(_("template"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AuditStatus.choices, default=AuditStatus.OPEN
    )
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_round",
        verbose_name=_("previous round"),
    )
    round_number = models.PositiveIntegerField(_("round"), default=1)
    results_snapshot = models.JSONField(
        _("scores at closing"), null=True, blank=True, help_text=_("Kept for trends across rounds.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="audit_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == AuditStatus.OPEN


class AuditInstrument(models.Model):
    """An instrument version pinned to an audit when it started."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="instruments")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("audit instrument")
        verbose_name_plural = _("audit instruments")
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "version"], name="instrument_once_per_audit")
        ]

    def __str__(self) -> str:
        return str(self.version)

    @property
    def key(self) -> str:
        return self.version.instrument.key


class ParticipantKind(models.TextChoices):
    ASSESSOR = "assessor", _("Assessor (official answers)")
    STAFF = "staff", _("Staff self-assessment")


class Participant(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_participations",
    )
    email = models.EmailField(_("e-mail"))
    kind = models.CharField(_("kind"), max_length=16, choices=ParticipantKind.choices)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    submitted_at = models.DateTimeField(_("marked as done"), null=True, blank=True)
    # Claimed by the worker before the e-mail goes out (services.audits.participant_notify).
    notified_at = models.DateTimeField(_("invitation e-mailed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["kind", "email"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "email"], name="participant_once_per_audit")
        ]

    def __str__(self) -> str:
        return self.email


class AnswerQuerySet(models.QuerySet):
    def official(self):
        """The assessor's answers: what the results and the report show as the audit's, with
        their comments and evidence files (staff answers appear only as tallies)."""
        return self.filter(participant__kind=ParticipantKind.ASSESSOR)


class Answer(models.Model):
    """The answer of one participant to one item of a pinned instrument version."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    audit_instrument = models.ForeignKey(
        AuditInstrument, on_delete=models.CASCADE, related_name="answers"
    )
    item_key = models.CharField(max_length=160)
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    is_na = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    saved_from = models.CharField(max_length=32, blank=True)  # the browser tab that saved it
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "audit_instrument", "item_key"], name="one_answer_per_item"
            )
        ]
        indexes = [models.Index(fields=["audit_instrument", "item_key"])]

    def __str__(self) -> str:
        return f"{self.item_key}={self.value}"


def evidence_path(instance, filename: str) -> str:
    import uuid

    return f"evidence/{instance.answer.audit_instrument.audit_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        PUBLISHED = "published", _("results published")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class Touchpoint(models.Model):
    """A touchpoint on the audit's customer journey map."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="touchpoints")
    stage_key = models.CharField(_("stage"), max_length=80)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("touchpoint"), max_length=200)
    channel = models.CharField(_("channel"), max_length=120, blank=True)
    owner_name = models.CharField(_("owner"), max_length=120, blank=True)
    emotion = models.PositiveSmallIntegerField(
        _("customer emotion (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    pain_point = models.TextField(_("pain point"), blank=True)
    improvement = models.TextField(_("improvement idea"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["audit", "stage_key", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(emotion__isnull=True) | Q(emotion__gte=1, emotion__lte=5),
                name="touchpoint_emotion_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


def _wording(typed: str, *, rule_id: str) -> str:
    """A rule's own text is stored as its key (blank), so every reader gets it in their
    language; text the consultant typed is shown as typed."""
    from .selectors.plan import rule_wording

    return rule_wording(rule_id=rule_id, typed=typed)


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Recommendation(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="recommendations")
    rule_id = models.CharField(_("rule"), max_length=80, blank=True)
    # The consultant's wording; blank for a rule's own text, rendered in the reader's language.
    text = models.TextField(_("recommendation"), blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), default=2)
    priority = models.DecimalField(_("priority"), max_digits=5, decimal_places=2, default=0)
    reasons = models.JSONField(_("why"), default=list, blank=True)
    indicative = models.BooleanField(default=False)
    touchpoint = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["audit", "-priority", "-severity", "rule_id", "pk"]

    def __str__(self) -> str:
        return self.display_text[:80]

    @property
    def display_text(self) -> str:
        return _wording(self.text, rule_id=self.rule_id)


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[ActionStatus.DONE, ActionStatus.DROPPED])

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """A step of the company's action plan, usually from an accepted recommendation."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    # The consultant's wording; blank for a rule's own text, rendered in the reader's language.
    title = models.TextField(_("action"), blank=True)
    rule_id = models.CharField(_("rule"), max_length=80, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), default=2)
    priority = models.DecimalField(_("priority"), max_digits=5, decimal_places=2, default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    drop_reason = models.TextField(_("why dropped"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recurred = models.BooleanField(_("recurred"), default=False)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["audit", "-priority", "due_date", "pk"]

    def __str__(self) -> str:
        return self.display_title[:80]

    @property
    def display_title(self) -> str:
        return _wording(self.title, rule_id=self.rule_id)

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.status not in (ActionStatus.DONE, ActionStatus.DROPPED)
            and self.due_date < timezone.localdate()
        )
