"""Audits: the pinned instrument versions, participants, answers and evidence files.

Answers are keyed by (audit instrument, item key), never by a question's row id, so an old
audit keeps the score it was given.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cxaudit.accounts.models import Organisation

from .library import InstrumentVersion


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
        _("status"), max_length=16, choices=AuditStatus, default=AuditStatus.OPEN
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
    kind = models.CharField(_("kind"), max_length=16, choices=ParticipantKind)
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
