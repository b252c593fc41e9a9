"""The consultant's editor of a survey's own questions (managers may use it too)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy, selectors, services
from ..question_forms import QuestionForm


def _back(survey_pk: int):
    return redirect(reverse("surveys:survey-detail", args=[survey_pk]) + "#questions")


def _render(request, form, *, survey, company, question=None):
    context = {"form": form, "survey": survey, "company": company, "question": question}
    return render(request, "surveys/questions/question_form.html", context)


@login_required
def question_create(request, pk):
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    current = selectors.questions_current(survey)
    targets = selectors.condition_targets(survey, questions=current)
    form = QuestionForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(survey=survey, data=form.question_input())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question «%(key)s» added.") % {"key": question.key})
            return _back(survey.pk)
    return _render(request, form, survey=survey, company=access.company)


@login_required
def question_update(request, pk):
    question, access = selectors.question_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    survey = question.survey
    current = selectors.questions_current(survey)
    question = next((q for q in current if q.pk == question.pk), question)
    answered = selectors.question_has_answers(question)
    targets = selectors.condition_targets(survey, questions=current, before=question)
    form = QuestionForm(request.POST or None, targets=targets, question=question, answered=answered)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.question_update(
                question=question,
                data=form.question_input(),
                typo_fix=form.cleaned_data.get("typo_fix", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if saved.pk != question.pk:
                messages.success(
                    request,
                    _(
                        "Question «%(key)s» saved as version %(version)d; the answers so far "
                        "stay with version %(old)d."
                    )
                    % {"key": saved.key, "version": saved.version, "old": question.version},
                )
            else:
                messages.success(request, _("Question «%(key)s» saved.") % {"key": saved.key})
            return _back(survey.pk)
    return _render(request, form, survey=survey, company=access.company, question=question)


@login_required
@require_POST
def question_move(request, pk):
    question, access = selectors.question_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    try:
        services.question_move(question=question, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(question.survey_id)


@login_required
def question_remove(request, pk):
    """GET: what removing means for this question; POST: remove it."""
    question, access = selectors.question_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    answered = selectors.question_has_answers(question)
    if request.method == "POST":
        try:
            retired = services.question_remove(question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if retired:
                message = _("Question «%(key)s» is no longer asked; its answers stay in results.")
            else:
                message = _("Question «%(key)s» removed.")
            messages.success(request, message % {"key": question.key})
        return _back(question.survey_id)
    context = {
        "question": question,
        "survey": question.survey,
        "company": access.company,
        "answered": answered,
    }
    return render(request, "surveys/questions/question_remove.html", context)
