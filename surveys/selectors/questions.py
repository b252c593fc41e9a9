"""Reads of the consultant's own questions: the current versions, what a condition may refer
to, the rows of the survey page, and the survey templates of a consultancy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cxaudit import questions as rules
from cxaudit.accounts.models import Organisation
from cxaudit.accounts.selectors import CompanyAccess, company_role

from .. import library
from ..models import Question, QuestionAnswer, Survey, SurveyTemplate


def _current(survey: Survey) -> QuerySet[Question]:
    return Question.objects.current().filter(survey=survey).prefetch_related("choices")


def questions_current(survey: Survey) -> list[Question]:
    """The versions asked now, in survey order, with their options (2 queries)."""
    return list(_current(survey))


def question_has_answers(question: Question) -> bool:
    return QuestionAnswer.objects.filter(question=question).exists()


def question_get(*, user, pk: int) -> tuple[Question, CompanyAccess]:
    """A current own question with the user's role in its survey's company; 404 for anyone
    outside, and for a retired version (2 queries)."""
    question = (
        Question.objects.current()
        .filter(survey__in=Survey.objects.for_user(user).values("pk"), pk=pk)
        .select_related("survey__company__parent", "survey__company__survey_settings")
        .first()
    )
    role = company_role(user=user, company=question.survey.company) if question else None
    if question is None or role is None:
        raise Http404
    return question, CompanyAccess(company=question.survey.company, role=role)


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class ConditionTarget:
    """A question another one may be conditioned on: a built-in one of the survey's blocks
    or an earlier own question, with the values a condition on it may name."""

    key: str
    text: str
    kind: str  # an own kind (``rules.KINDS``), or "scale"/"choice" for a built-in question
    scale: range | None
    choices: tuple[tuple[str, str], ...] = ()  # (key, label)
    builtin: bool = False

    @property
    def choice_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _label in self.choices)

    def values_hint(self) -> str:
        """What a condition on it may name, for the help text."""
        if self.kind == rules.YES_NO:
            return _("1 (yes) or 0 (no)")
        if self.scale is not None:
            return f"{self.scale.start}–{self.scale.stop - 1}"
        return ", ".join(self.choice_keys)

    def values_words(self, values) -> str:
        """A condition's values as the survey page shows them: "0–6", "yes", "a, b"."""
        if self.kind == rules.YES_NO:
            words = {rules.YES: _("yes"), rules.NO: _("no")}
            return ", ".join(str(words.get(value, value)) for value in sorted(values, key=str))
        return rules.values_text(values).replace("-", "–")


def builtin_targets(survey: Survey) -> list[ConditionTarget]:
    """The built-in questions of the survey's blocks, in page order (all come before the own
    questions)."""
    targets = []
    ordered = [
        b for b in (*library.EMPLOYEE_BLOCKS, *library.CUSTOMER_BLOCKS) if b in survey.blocks
    ]
    for block in ordered:
        for question in library.BLOCK_QUESTIONS[block]:
            choices = tuple((key, library.pick(text)) for key, text in question.choices)
            targets.append(
                ConditionTarget(
                    key=question.key,
                    text=library.pick(question.text),
                    kind=question.kind,
                    scale=question.scale if question.kind == "scale" else None,
                    choices=choices,
                    builtin=True,
                )
            )
    return targets


def own_target(question: Question) -> ConditionTarget:
    return ConditionTarget(
        key=question.key,
        text=question.text(),
        kind=question.kind,
        scale=question.scale,
        choices=tuple((choice.key, choice.label()) for choice in question.choices.all()),
    )


def condition_targets(
    survey: Survey, *, questions: list[Question], before: Question | None = None
) -> list[ConditionTarget]:
    """What a condition of ``before`` (a new question, at the end, when None) may refer to:
    the built-in questions, then the current own questions shown earlier, except free-text
    ones. ``questions``: the survey's current own questions (``questions_current``)."""
    earlier = [
        question
        for question in questions
        if not question.is_text
        and (before is None or (question.position < before.position and question.pk != before.pk))
    ]
    return [*builtin_targets(survey), *(own_target(question) for question in earlier)]


# --------------------------------------------------------------------------- survey page


def question_rows(*, survey: Survey) -> list[Question]:
    """The current own questions for the survey page, each with ``answered`` and its
    condition in words (``condition_words``), in 2 queries."""
    answered = QuestionAnswer.objects.filter(question=OuterRef("pk"))
    questions = list(_current(survey).annotate(answered=Exists(answered)))
    targets = {target.key: target for target in builtin_targets(survey)}
    targets.update({question.key: own_target(question) for question in questions})
    for question in questions:
        question.condition_words = ""
        target = targets.get(question.condition_key)
        if question.condition_key:
            values = target.values_words(question.condition_values) if target else ""
            question.condition_words = _("shown when «%(key)s» is %(values)s") % {
                "key": question.condition_key,
                "values": values or rules.values_text(question.condition_values),
            }
    return questions


# --------------------------------------------------------------------------- templates


def template_owner_id(company: Organisation) -> int:
    """Whose templates a company uses: its consultancy's, or its own when it stands alone."""
    return company.parent_id or company.pk


def template_list(*, company: Organisation) -> list[SurveyTemplate]:
    owner_id = template_owner_id(company)
    return list(SurveyTemplate.objects.filter(owner_id=owner_id).order_by("title", "pk"))


def template_get(*, company: Organisation, pk: int) -> SurveyTemplate:
    """A template the company may use; 404 for any other (another consultancy's)."""
    owner_id = template_owner_id(company)
    template = SurveyTemplate.objects.filter(owner_id=owner_id, pk=pk).first()
    if template is None:
        raise Http404
    return template
