"""Surveys, waves, channels, responses and participation (see the package docstring)."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cxaudit import stats
from cxaudit.accounts.models import Organisation

from .. import library


def wave_token() -> str:
    return secrets.token_urlsafe(16)


def channel_code() -> str:
    return secrets.token_urlsafe(6)


def invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Audience(models.TextChoices):
    CUSTOMER = library.CUSTOMER, _("Customers")
    EMPLOYEE = library.EMPLOYEE, _("Employees")


class Block(models.TextChoices):
    NPS = library.NPS, _("Recommendation (NPS)")
    CSAT = library.CSAT, _("Satisfaction (CSAT)")
    CES = library.CES, _("Ease (CES 2.0)")
    EXIT = library.EXIT, _("Lost-customer exit questions")
    ENGAGEMENT = library.ENGAGEMENT, _("Employee survey (eNPS, state at work, processes)")


class SurveySettings(models.Model):
    """Survey settings of a company; kept here so the accounts models stay untouched."""

    company = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="survey_settings"
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=stats.DEFAULT_ANONYMITY_THRESHOLD,
        validators=[
            MinValueValidator(stats.MIN_ANONYMITY_THRESHOLD),
            MaxValueValidator(stats.MAX_ANONYMITY_THRESHOLD),
        ],
        help_text=_("Results of a group are shown only when at least this many people answered."),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=stats.MIN_ANONYMITY_THRESHOLD)
                & Q(anonymity_threshold__lte=stats.MAX_ANONYMITY_THRESHOLD),
                name="anonymity_threshold_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.company)


class SurveyQuerySet(models.QuerySet):
    def for_user(self, user):
        """Surveys of the companies the user may see (managers, staff and consultants)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__in=Organisation.objects.for_user(user).values("pk"))


class Survey(models.Model):
    company = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("who answers"), max_length=16, choices=Audience)
    blocks = models.JSONField(_("questions"), default=list)
    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=2000,
        help_text=_("Shown above the questions. Leave empty for the standard text."),
    )
    teams = models.JSONField(_("teams or departments"), default=list, blank=True)
    anonymous = models.BooleanField(
        _("anonymous results"),
        default=True,
        help_text=_(
            "Results, breakdowns and comments are shown only for groups that reach the "
            "anonymity threshold, and only after the wave closes. Always on for employees."
        ),
    )
    one_per_screen = models.BooleanField(
        _("one question per screen on phones"),
        default=False,
        help_text=_(
            "On a narrow screen the form shows one question at a time, with Next and Back."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_employee(self) -> bool:
        return self.audience == Audience.EMPLOYEE

    def block_labels(self) -> list[str]:
        labels = dict(Block.choices)
        return [str(labels[block]) for block in self.blocks if block in labels]


class Channel(models.Model):
    """Where a link is handed out (a shop, the call centre), to compare channels."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(_("channel"), max_length=library.CHANNEL_NAME_MAX_LENGTH)
    code = models.CharField(max_length=16, unique=True, default=channel_code, editable=False)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="channel_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WaveQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(opens_on__lte=day, closes_on__gte=day, closed_at__isnull=True)

    def taking_link_answers_on(self, day):
        """Open on ``day`` and not a paper wave of an anonymous survey."""
        return self.open_on(day).filter(Q(imported_at__isnull=True) | Q(survey__anonymous=False))


class Wave(models.Model):
    """One run of a survey between two dates (both inclusive); waves never overlap."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveIntegerField(_("number"))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    imported_at = models.DateTimeField(_("last import"), null=True, blank=True, editable=False)
    # The company's k when the wave closed (explicitly, or by date: recorded before k next
    # changes). Figures use the stricter of it and today's k: ``selectors.wave_threshold``.
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold at closing"), null=True, blank=True, editable=False
    )
    # Employee comments of a consultancy's client reach the company only once the consultant
    # has read them and hidden what must not be read (``selectors.comments_held``).
    comments_released_at = models.DateTimeField(
        _("comments released"), null=True, blank=True, editable=False
    )
    token = models.CharField(max_length=32, unique=True, default=wave_token, editable=False)
    question_version = models.PositiveSmallIntegerField(default=library.VERSION, editable=False)

    objects = WaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="wave_number_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="wave_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.number}"

    def status_on(self, day) -> str:
        if self.closed_at is not None or day > self.closes_on:
            return self.Status.CLOSED
        if day < self.opens_on:
            return self.Status.SCHEDULED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def takes_link_answers(self) -> bool:
        """An anonymous survey's wave holding imported (paper) answers takes none through
        its links: see ``services.imports.wave_import_refusal``."""
        return self.imported_at is None or not self.survey.anonymous


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    IMPORT = "import", _("Imported")


def _score(key: str, verbose: str):
    question = library.SCALE_QUESTIONS[key]
    return models.PositiveSmallIntegerField(
        verbose,
        null=True,
        blank=True,
        validators=[MinValueValidator(question.low), MaxValueValidator(question.high)],
    )


class Response(models.Model):
    """One respondent's answers. Only the day is stored, never the time (A7)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    submitted_on = models.DateField(_("date"))
    source = models.CharField(max_length=8, choices=Source, default=Source.WEB)
    nps = _score("nps", _("recommendation (0–10)"))
    csat = _score("csat", _("satisfaction (1–5)"))
    ces = _score("ces", _("ease (1–7)"))
    enps = _score("enps", _("eNPS (0–10)"))
    state_at_work = _score("state_at_work", _("state at work (0–10)"))
    process_ease = _score("process_ease", _("process ease (0–10)"))
    exit_reason = models.CharField(_("reason for leaving"), max_length=16, blank=True)
    exit_where = models.CharField(_("where they went"), max_length=16, blank=True)
    team = models.CharField(_("team"), max_length=100, blank=True)
    comment = models.TextField(
        _("comment"),
        blank=True,
        validators=[MaxLengthValidator(library.COMMENT_MAX_LENGTH)],
    )
    comment_hidden = models.BooleanField(
        _("comment hidden by the consultant"),
        default=False,
        help_text=_("Hidden comments never reach the company's pages, exports or reports."),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            # Serves the results aggregate: WHERE wave IN (...) GROUP BY wave, channel, team.
            models.Index(fields=["wave", "channel", "team"], name="response_wave_groups"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{key}__isnull": True})
                | Q(**{f"{key}__gte": question.low, f"{key}__lte": question.high}),
                name=f"response_{key}_range",
            )
            for key, question in library.SCALE_QUESTIONS.items()
        ]

    def __str__(self) -> str:
        return f"{self.wave} · {self.submitted_on}"


class Submission(models.Model):
    """The token of a submitted form: a retry or double click with the same token stores
    nothing. It deliberately has no link to the response it came with."""

    token = models.CharField(max_length=64, primary_key=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    created_on = models.DateField()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.wave_id} · {self.created_on}"


class WaveInvitation(models.Model):
    """A person invited by e-mail to answer a wave, with a single-use personal link."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token = models.CharField(max_length=48, unique=True, default=invitation_token, editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "email"], name="wave_invitation_unique")
        ]

    def __str__(self) -> str:
        return self.email


class InvitationUse(models.Model):
    """Marks an invitation as used (participation). No link to the response (A7)."""

    invitation = models.OneToOneField(
        WaveInvitation, on_delete=models.CASCADE, primary_key=True, related_name="use"
    )
    used_on = models.DateField()

    class Meta:
        verbose_name = _("invitation use")
        verbose_name_plural = _("invitation uses")

    def __str__(self) -> str:
        return str(self.invitation_id)
