"""The consultant's own words in an audit's results and report: an introduction, an
executive summary, and a conclusion per domain and per survey, each in one or two languages.

The body is stored exactly as typed; ``cxaudit.richtext`` reads its paragraphs, lists and
bold when a page, the PDF or the Word export shows it, escaping everything else.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cxaudit import richtext

from .audits import Audit


class TextPart(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction")
    SUMMARY = "summary", _("Executive summary")
    DOMAIN = "domain", _("Domain conclusion")
    SURVEY = "survey", _("Survey conclusion")


class AuditText(models.Model):
    """One text of an audit in one language.

    ``key`` says which domain or survey a conclusion is about: blank for the introduction
    and the summary, ``"<AuditInstrument pk>:<section key>"`` for a domain of a pinned
    instrument version, ``"<survey pk>"`` for a survey.
    """

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="texts")
    part = models.CharField(_("part"), max_length=16, choices=TextPart)
    key = models.CharField(_("about"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    body = models.TextField(
        _("text"),
        validators=[
            MaxLengthValidator(
                richtext.MAX_LENGTH,
                message=_(
                    "A text may hold at most %(limit_value)d characters; "
                    "this one has %(show_value)d."
                ),
            )
        ],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("last edited"), default=timezone.now)

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        ordering = ["audit", "part", "key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "part", "key", "language"], name="audit_text_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} ({self.language})"
