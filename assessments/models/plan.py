"""The journey map, recommendations and the action plan of an audit."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rule_texts import rule_wording
from .audits import Audit


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
        choices=RecommendationStatus,
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
        return rule_wording(rule_id=self.rule_id, typed=self.text)


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
        _("status"), max_length=16, choices=ActionStatus, default=ActionStatus.PROPOSED
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
        return rule_wording(rule_id=self.rule_id, typed=self.title)

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.status not in (ActionStatus.DONE, ActionStatus.DROPPED)
            and self.due_date < timezone.localdate()
        )
