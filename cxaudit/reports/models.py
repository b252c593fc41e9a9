"""Report jobs: the row is the source of truth for a PDF rendered by a worker (STYLE §7-9).

A job names what it reports on by kind and id (an audit, or a survey wave), so a wave
summary goes through the same machinery; ``company`` scopes every job for ``for_user``.
The file lives in the private ``STORAGES["reports"]`` under a random name and leaves only
through the permission-checked download view.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cxaudit.accounts.models import Organisation

from .sections import sections_normalise, sections_unknown

SECTION_TITLES = {
    "cover": _("Cover"),
    "introduction": _("Introduction"),
    "summary": _("Executive summary"),
    "maturity": _("Maturity by domain"),
    "findings": _("Findings by domain"),
    "gap": _("Staff and consultant views"),
    "surveys": _("Survey results"),
    "metrics": _("Business metrics"),
    "canvas": _("Strategy canvas"),
    "journey": _("Customer journey"),
    "recommendations": _("Recommendations"),
    "actions": _("Action plan"),
    "appendix": _("Appendix: methodology and answers"),
}
"""The heading of each of ``AUDIT_SECTIONS`` (the same words as in the document)."""


def validate_sections(value) -> None:
    """A list of known section keys, at least one."""
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise ValidationError(_("Choose the sections from the list."), code="invalid")
    unknown = sections_unknown(value)
    if unknown:
        raise ValidationError(
            _("Unknown report sections: %(keys)s."),
            code="unknown",
            params={"keys": ", ".join(unknown)},
        )


class ReportsStorage(Storage):
    """``STORAGES["reports"]`` looked up on every use.

    Django evaluates a FileField's callable storage once, at import; this proxy makes the
    field follow the setting (a test's temporary folder, a deployment's S3 bucket)."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return object.__getattribute__(self, name)
        return getattr(storages["reports"], name)


def reports_storage():
    return ReportsStorage()


def report_file_name(instance, filename: str) -> str:
    """A random, unguessable name; the readable name is given only at download time."""
    extension = getattr(instance, "format", "") or ReportFormat.PDF
    return f"{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (.docx)")


CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class SubjectKind(models.TextChoices):
    AUDIT = "audit", _("Audit report")
    WAVE = "wave", _("Survey wave summary")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("File deleted")


PENDING = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class Stage(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    COLLECTING = "collecting", _("Collecting the results")
    COMPOSING = "composing", _("Composing the document")
    LAYOUT = "layout", _("Laying out the pages")
    WRITING = "writing", _("Writing the PDF")
    DOCUMENT = "document", _("Writing the document")
    SAVING = "saving", _("Saving the file")
    FINISHED = "finished", _("Finished")
    RETRY = "retry", _("Waiting to try again")


class ReportError(models.TextChoices):
    """What the user is told when a job fails; the technical detail stays in the log/admin."""

    NONE = "", _("No error")
    TIMEOUT = "timeout", _("Rendering took too long and was stopped. Try again later.")
    RENDER = (
        "render",
        _("The report could not be rendered. Try again; if it keeps failing, tell us."),
    )
    TRANSIENT = (
        "transient",
        _("The server was busy or unavailable several times in a row. Try again later."),
    )
    SUBJECT_GONE = "subject-gone", _("What this report was about no longer exists.")


class ReportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """Jobs of the companies the user can reach; role rules are applied by selectors."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__in=Organisation.objects.for_user(user))

    def pending(self):
        return self.filter(status__in=PENDING)


class ReportJob(models.Model):
    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("company"),
    )
    subject_kind = models.CharField(_("report"), max_length=16, choices=SubjectKind)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    audit = models.ForeignKey(
        "assessments.Audit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("audit"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(
        _("format"), max_length=8, choices=ReportFormat, default=ReportFormat.PDF
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage, default=Stage.WAITING)
    error = models.CharField(_("error"), max_length=16, choices=ReportError, blank=True, default="")
    error_detail = models.TextField(_("technical detail"), blank=True)
    file = models.FileField(
        _("file"), storage=reports_storage, upload_to=report_file_name, blank=True, max_length=200
    )
    size = models.PositiveIntegerField(_("size, bytes"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_by = models.CharField(_("worker"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("sent to the queue"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("file deleted"), null=True, blank=True)
    sections = models.JSONField(
        _("sections"),
        default=list,
        blank=True,
        validators=[validate_sections],
        help_text=_("The audit report's sections chosen when it was requested; empty: all."),
    )
    draft = models.BooleanField(
        _("draft"), default=False, help_text=_("Rendered while the audit was still open.")
    )
    snapshot = models.JSONField(
        _("key figures"),
        null=True,
        blank=True,
        help_text=_("What the report showed, recorded when it was rendered, for comparisons."),
    )

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "language", "format"],
                condition=Q(status__in=["queued", "running"]),
                name="one_pending_report_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(subject_kind="audit") | Q(audit__isnull=False),
                name="audit_report_has_audit",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "dispatched_at"]),
            models.Index(fields=["subject_kind", "subject_id", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_kind_display()} #{self.subject_id} ({self.language})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def is_finished(self) -> bool:
        """Rendered: the file is there, or was until it expired."""
        return self.status in (ReportStatus.DONE, ReportStatus.EXPIRED)

    @property
    def is_failed(self) -> bool:
        return self.status == ReportStatus.FAILED

    @property
    def section_keys(self) -> list[str]:
        """The sections the report has (all for jobs made before they could be chosen)."""
        return sections_normalise(self.sections)

    @property
    def section_titles(self) -> list[str]:
        return [str(SECTION_TITLES[key]) for key in self.section_keys]

    @property
    def download_name(self) -> str:
        stamp = timezone.localtime(self.finished_at or self.created_at).strftime("%Y-%m-%d")
        company = slugify(self.company.name, allow_unicode=True) or "report"
        return f"{company}-{self.subject_kind}-{stamp}-{self.language}.{self.format}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[ReportFormat(self.format)]

    @property
    def is_docx(self) -> bool:
        return self.format == ReportFormat.DOCX


class AuditReportOptions(models.Model):
    """What an audit's next reports show: the sections chosen on its report page."""

    audit = models.OneToOneField(
        "assessments.Audit",
        on_delete=models.CASCADE,
        related_name="report_options",
        verbose_name=_("audit"),
    )
    sections = models.JSONField(_("sections"), default=list, validators=[validate_sections])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("audit report options")
        verbose_name_plural = _("audit report options")

    def __str__(self) -> str:
        return f"{self.audit_id}: {', '.join(self.section_keys)}"

    def clean(self) -> None:
        if isinstance(self.sections, list) and not self.sections:
            raise ValidationError({"sections": _("Choose at least one section.")})

    @property
    def section_keys(self) -> list[str]:
        return sections_normalise(self.sections)
