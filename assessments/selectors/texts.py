"""The consultant's texts of an audit: which texts the audit has room for, and each text
in the reader's language (or, when it was written in one language only, that language).

Which domains and surveys get a conclusion follows the report: every domain of each
checklist and questionnaire of the audit, titled from its pinned version (as the report's
findings are), and each survey with a wave closed in the audit period (the surveys
``cxaudit.reports.selectors.survey_sections.audit_survey_summaries`` reports on).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cxaudit import richtext
from surveys.models import Audience, Survey, Wave

from ..models import Audit, AuditInstrument, AuditText, TextPart
from .facts import audit_instruments_pinned

CONCLUDED_KINDS = ("checklist", "questionnaire")
"""Instrument kinds whose domains get a conclusion: those the report's findings list."""


@dataclass(frozen=True)
class TextSlot:
    """Room for one text: its part, its key (see ``AuditText``), what it is about and the
    heading of the group of texts it belongs to."""

    part: str
    key: str
    title: str
    group: str = ""

    def field_name(self, language: str) -> str:
        """The editor's field name of this text in ``language``."""
        return f"{self.part}:{self.key}:{language}"


@dataclass(frozen=True)
class ShownText:
    """A text as one reader sees it: its blocks, the language it is shown in, and, when that
    is not the reader's, a note saying which language it is written in."""

    blocks: tuple[richtext.Block, ...]
    language: str
    written_in: str = ""


@dataclass
class AuditTexts:
    """The texts of an audit in one reader's language; keys as in ``AuditText``."""

    introduction: ShownText | None = None
    summary: ShownText | None = None
    domains: dict[str, ShownText] = field(default_factory=dict)
    surveys: dict[str, ShownText] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.introduction or self.summary or self.domains or self.surveys)


def language_names() -> dict[str, str]:
    return {code: str(name) for code, name in settings.LANGUAGES}


def in_language(language: str) -> str:
    """The words "in English", "in Russian": for labels of a text's version in another language."""
    words = {"ru": _("in Russian"), "en": _("in English")}
    if language in words:
        return words[language]
    return _("in %(language)s") % {"language": language_names().get(language, language)}


def written_in(language: str) -> str:
    """The note under a text shown in ``language`` to a reader of another language."""
    notes = {"ru": _("Written in Russian."), "en": _("Written in English.")}
    if language in notes:
        return notes[language]
    return _("Written in %(language)s.") % {"language": language_names().get(language, language)}


def other_languages(language: str) -> list[str]:
    """The languages a text may have besides ``language``, in the settings' order."""
    return [code for code, _name in settings.LANGUAGES if code != language]


def audit_text_surveys(*, audit: Audit) -> list[Survey]:
    """Surveys of the audit's company with a wave closed in the audit period, customers'
    first, then by title (the order of the report's survey section)."""
    today = timezone.localdate()
    waves = Wave.objects.filter(
        survey__company_id=audit.company_id,
        opens_on__lte=audit.period_end,
        closes_on__gte=audit.period_start,
    ).select_related("survey")
    surveys = {w.survey_id: w.survey for w in waves if w.status_on(today) == Wave.Status.CLOSED}
    return sorted(surveys.values(), key=lambda s: (s.audience != Audience.CUSTOMER, s.title, s.pk))


def audit_text_slots(
    *, audit: Audit, pinned: list[AuditInstrument] | None = None
) -> list[TextSlot]:
    """Every text the audit has room for, in the report's order, titled in the active
    language; ``pinned``: the audit's instruments when the caller has them parsed."""
    language = get_language() or settings.LANGUAGE_CODE
    slots = [
        TextSlot(TextPart.INTRODUCTION, "", _("Introduction")),
        TextSlot(TextPart.SUMMARY, "", _("Executive summary")),
    ]
    for instrument in pinned if pinned is not None else audit_instruments_pinned(audit=audit):
        document = instrument.version.parsed
        if document.kind not in CONCLUDED_KINDS:
            continue
        group = document.title.get(language)
        slots.extend(
            TextSlot(
                TextPart.DOMAIN,
                f"{instrument.pk}:{section.key}",
                section.title.get(language),
                group,
            )
            for section in document.sections
        )
    slots.extend(
        TextSlot(TextPart.SURVEY, str(survey.pk), survey.title, _("Surveys"))
        for survey in audit_text_surveys(audit=audit)
    )
    return slots


def audit_text_rows(*, audit: Audit) -> list[AuditText]:
    return list(AuditText.objects.filter(audit=audit).select_related("updated_by"))


def _shown(versions: dict[str, AuditText], language: str) -> ShownText | None:
    order = [language, *other_languages(language)]
    for code in order:
        row = versions.get(code)
        if row is not None:
            blocks = richtext.parse(row.body)
            if blocks:
                note = "" if code == language else written_in(code)
                return ShownText(blocks=blocks, language=code, written_in=note)
    return None


def audit_texts_get(
    *, audit: Audit, language: str | None = None, rows: list[AuditText] | None = None
) -> AuditTexts:
    """The audit's texts in ``language`` (the active one by default), each falling back to
    the language it was written in when it has no version in ``language``."""
    language = language or get_language() or settings.LANGUAGE_CODE
    by_slot: dict[tuple[str, str], dict[str, AuditText]] = {}
    for row in rows if rows is not None else AuditText.objects.filter(audit=audit):
        by_slot.setdefault((row.part, row.key), {})[row.language] = row
    texts = AuditTexts()
    for (part, key), versions in by_slot.items():
        shown = _shown(versions, language)
        if shown is None:
            continue
        if part == TextPart.INTRODUCTION:
            texts.introduction = shown
        elif part == TextPart.SUMMARY:
            texts.summary = shown
        elif part == TextPart.DOMAIN:
            texts.domains[key] = shown
        elif part == TextPart.SURVEY:
            texts.surveys[key] = shown
    return texts


def results_texts_get(*, audit: Audit) -> dict:
    """The results page's texts: the introduction and summary, domain conclusions by the
    results' domain refs ("instrument:section"), and survey conclusions with their survey's
    title, for the surveys of the period."""
    texts = audit_texts_get(audit=audit)
    domains: dict[str, ShownText] = {}
    surveys: list[tuple[Survey, ShownText]] = []
    if texts.domains:
        keys = dict(
            AuditInstrument.objects.filter(audit=audit).values_list(
                "pk", "version__instrument__key"
            )
        )
        for key, shown in texts.domains.items():
            pk, _sep, section = key.partition(":")
            if pk.isdigit() and int(pk) in keys:
                domains[f"{keys[int(pk)]}:{section}"] = shown
    if texts.surveys:
        surveys = [
            (survey, texts.surveys[str(survey.pk)])
            for survey in audit_text_surveys(audit=audit)
            if str(survey.pk) in texts.surveys
        ]
    return {"texts": texts, "text_domains": domains, "text_surveys": surveys}
