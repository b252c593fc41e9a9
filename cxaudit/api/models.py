"""API tokens: per company, scoped, stored as a SHA-256 digest with a short visible prefix."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cxaudit.accounts.models import Organisation


class Scope(models.TextChoices):
    READ_RESULTS = "read-results", _("Read results")
    SUBMIT_RESPONSES = "submit-responses", _("Submit survey responses")
    WRITE_METRICS = "write-metrics", _("Write business metrics")


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A company's API token. The secret is shown once, when created; the table keeps its
    SHA-256 digest, and its first characters (``prefix``) to find the row and to tell
    tokens apart on the page."""

    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels[scope]) for scope in self.scopes if scope in labels]


class Event(models.TextChoices):
    """What a webhook may be told about; ``test`` is sent only by "Send a test event"."""

    WAVE_CLOSED = "wave.closed", _("Survey wave closed")
    REPORT_READY = "report.ready", _("Report ready")
    RESPONSE_RECEIVED = "response.received", _("Survey response received")
    TEST = "test", _("Test event")


SUBSCRIBABLE = [choice for choice in Event.choices if choice[0] != Event.TEST]


class Webhook(models.Model):
    """A company's HTTPS endpoint for events. The secret signs each delivery (HMAC) so the
    receiver can tell it came from us; it is shown on the page to copy, it is no login."""

    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("company")
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels[event]) for event in self.events if event in labels]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the body is fixed when the event happens (each attempt
    sends the same bytes, signed anew), the row says how each attempt went."""

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=32, choices=Event)
    body = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, editable=False)
    response_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="api_delivery_log"),
            models.Index(fields=["status", "next_attempt_at"], name="api_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id}"
