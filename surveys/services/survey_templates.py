"""Survey templates: a survey saved for reuse by every company of a consultancy (or by a
company standing alone), and new surveys made from one.

A template's content is a JSON snapshot: the audience, blocks, texts and settings, and the
current version of each own question with its options and condition. A new survey from it
goes through the same services as one typed by hand, so a template whose questions no
longer pass today's rules is refused with a message, and nothing is created.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cxaudit import questions as rules
from cxaudit.accounts.models import Organisation, User

from .. import selectors
from ..models import Question, Survey, SurveyTemplate
from .question_checks import TEXT_FIELDS, OptionInput, QuestionInput
from .questions import question_create
from .surveys import survey_create

TEMPLATE_FORMAT = 1


def _question_content(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "kind": question.kind,
        "required": question.required,
        **{name: getattr(question, name) for name in TEXT_FIELDS},
        "condition_key": question.condition_key,
        "condition_values": list(question.condition_values),
        "options": [
            {"key": choice.key, "label_ru": choice.label_ru, "label_en": choice.label_en}
            for choice in question.choices.all()
        ],
    }


def survey_snapshot(survey: Survey) -> dict[str, Any]:
    """What a template keeps of a survey: no waves, channels or answers."""
    return {
        "format": TEMPLATE_FORMAT,
        "audience": survey.audience,
        "blocks": list(survey.blocks),
        "intro": survey.intro,
        "teams": list(survey.teams),
        "anonymous": survey.anonymous,
        "one_per_screen": survey.one_per_screen,
        "questions": [_question_content(q) for q in selectors.questions_current(survey)],
    }


@transaction.atomic
def survey_template_save(*, survey: Survey, title: str, by: User) -> SurveyTemplate:
    owner_id = selectors.template_owner_id(survey.company)
    title = " ".join(title.split())
    # Compared in Python: SQLite's case folding covers ASCII letters only, not Cyrillic.
    titles = SurveyTemplate.objects.filter(owner_id=owner_id).values_list("title", flat=True)
    if any(taken.casefold() == title.casefold() for taken in titles):
        raise ValidationError({"title": [_("A template with this title exists already.")]})
    template = SurveyTemplate(
        owner_id=owner_id, title=title, content=survey_snapshot(survey), created_by=by
    )
    template.full_clean()
    template.save()
    return template


def survey_template_delete(*, template: SurveyTemplate) -> None:
    """Surveys made from the template keep their questions: they were copied."""
    template.delete()


# --------------------------------------------------------------------------- loading


class _Malformed(Exception):
    """The stored content does not have the shape ``survey_snapshot`` writes."""


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name, "")
    if not isinstance(value, str):
        raise _Malformed(name)
    return value


def _flag(item: dict[str, Any], name: str, default: bool) -> bool:
    value = item.get(name, default)
    if not isinstance(value, bool):
        raise _Malformed(name)
    return value


def _words(item: dict[str, Any], name: str) -> list[str]:
    value = item.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Malformed(name)
    return value


def _question_input(item: object) -> QuestionInput:
    if not isinstance(item, dict):
        raise _Malformed("questions")
    options = item.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise _Malformed("options")
    values = item.get("condition_values", [])
    if not isinstance(values, list) or not all(
        isinstance(v, (int, str)) and not isinstance(v, bool) for v in values
    ):
        raise _Malformed("condition_values")
    return QuestionInput(
        kind=_text(item, "kind"),
        key=_text(item, "key"),
        required=_flag(item, "required", False),
        **{name: _text(item, name) for name in TEXT_FIELDS},
        options=tuple(
            OptionInput(
                key=_text(o, "key"), label_ru=_text(o, "label_ru"), label_en=_text(o, "label_en")
            )
            for o in options
        ),
        condition_key=_text(item, "condition_key"),
        condition_values=rules.values_text(values),
    )


def _settings(content: object) -> dict[str, Any]:
    if not isinstance(content, dict) or content.get("format") != TEMPLATE_FORMAT:
        raise _Malformed("format")
    questions = content.get("questions", [])
    if not isinstance(questions, list):
        raise _Malformed("questions")
    return {
        "audience": _text(content, "audience"),
        "blocks": _words(content, "blocks"),
        "intro": _text(content, "intro"),
        "teams": _words(content, "teams"),
        "anonymous": _flag(content, "anonymous", True),
        "one_per_screen": _flag(content, "one_per_screen", False),
        "questions": [_question_input(item) for item in questions],
    }


def _refusal(reason: str) -> ValidationError:
    return ValidationError(_("This template cannot be used: %(reason)s") % {"reason": reason})


@transaction.atomic
def survey_from_template(
    *, company: Organisation, template: SurveyTemplate, title: str, by: User
) -> Survey:
    """A new survey of ``company`` with the template's settings and own questions (each as
    version 1). All or nothing: a question the rules refuse today refuses the template."""
    if template.owner_id != selectors.template_owner_id(company):
        raise _refusal(_("it belongs to another consultancy."))
    try:
        settings = _settings(template.content)
    except _Malformed:
        raise _refusal(_("its content is damaged. Save the survey as a template again.")) from None
    questions = settings.pop("questions")
    try:
        survey = survey_create(company=company, title=title, by=by, **settings)
    except ValidationError as error:
        raise _refusal(" ".join(error.messages)) from None
    for data in questions:
        try:
            question_create(survey=survey, data=data)
        except ValidationError as error:
            raise _refusal(
                _("its question «%(key)s» no longer passes the rules (%(problem)s).")
                % {"key": data.key, "problem": " ".join(error.messages)}
            ) from None
    return survey
