"""The codebook editor of a survey (issue 16): consultants and managers who manage it;
the consultant's corrections of a comment's themes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cxaudit.accounts.selectors import company_access_get

from .. import policy, selectors
from ..models import Survey
from ..question_forms import TemplateTitleForm
from ..selectors.theme_codebooks import (
    codebook_page,
    kept_codebook_get,
    owner_codebooks,
    survey_codebook,
    theme_get,
)
from ..services import themes as services
from ..theme_forms import ThemeForm, ThemeMergeForm, ThemeSplitForm


@login_required
def codebook_detail(request, pk):
    """GET: the codebook and its themes; POST: create it (empty or from a kept one)."""
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    context = codebook_page(survey=survey)
    if request.method == "POST":
        kept = {book.pk: book for book in owner_codebooks(company=access.company)}
        source = kept.get(int(request.POST.get("source") or 0))
        try:
            services.codebook_create(survey=survey, by=request.user, source=source)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("surveys:codebook-detail", survey.pk)
    context.update(
        {
            "survey": survey,
            "company": access.company,
            "kept": owner_codebooks(company=access.company),
            "keeps": policy.allowed(access, "templates.manage", access.company),
            "waves": list(survey.waves.order_by("-number")),
        }
    )
    return render(request, "surveys/themes/codebook_detail.html", context)


def _theme_form(request, *, survey, access, codebook, theme=None):
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("key", "name_ru", "name_en")}
        try:
            if theme is None:
                services.theme_create(
                    codebook=codebook, phrases=form.cleaned_data["phrases"], **data
                )
            else:
                services.theme_update(theme=theme, phrases=form.cleaned_data["phrases"], **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Theme saved; the comments are tagged again."))
            return redirect("surveys:codebook-detail", survey.pk)
    context = {
        "form": form,
        "survey": survey,
        "company": access.company,
        "heading": _("Theme"),
    }
    return render(request, "surveys/simple_form.html", context)


@login_required
def theme_create(request, pk):
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    codebook = codebook_page(survey=survey)["codebook"]
    if codebook is None:
        return redirect("surveys:codebook-detail", survey.pk)
    return _theme_form(request, survey=survey, access=access, codebook=codebook)


def _managed_theme(request, pk):
    """The theme, its survey and the access of a user who manages the survey; else 404."""
    theme = theme_get(survey_ids=Survey.objects.for_user(request.user).values("pk"), pk=pk)
    survey, access = selectors.survey_get(user=request.user, pk=theme.codebook.survey_id)
    policy.check(access, "survey.manage")
    return theme, survey, access


def _back(survey):
    return redirect("surveys:codebook-detail", survey.pk)


@login_required
def theme_update(request, pk):
    theme, survey, access = _managed_theme(request, pk)
    return _theme_form(request, survey=survey, access=access, codebook=theme.codebook, theme=theme)


@login_required
def theme_delete(request, pk):
    """GET: what deleting means; POST: delete the theme and its tags."""
    theme, survey, access = _managed_theme(request, pk)
    if request.method == "POST":
        services.theme_delete(theme=theme)
        messages.success(request, _("Theme «%(name)s» deleted.") % {"name": theme.name()})
        return _back(survey)
    context = {"theme": theme, "survey": survey, "company": access.company}
    return render(request, "surveys/themes/theme_delete.html", context)


@login_required
@require_POST
def theme_move(request, pk):
    theme, survey, _access = _managed_theme(request, pk)
    services.theme_move(theme=theme, direction=request.POST.get("direction", ""))
    return _back(survey)


@login_required
def theme_merge(request, pk):
    """Join the theme to another: its phrases and hand corrections move there."""
    theme, survey, access = _managed_theme(request, pk)
    form = ThemeMergeForm(
        request.POST or None,
        themes=theme.codebook.themes.exclude(pk=theme.pk),
        submit=_("Merge the themes"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            into = services.theme_merge(theme=theme, into=form.cleaned_data["into"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("«%(theme)s» is now part of «%(into)s».")
                % {"theme": theme.name(), "into": into.name()},
            )
            return _back(survey)
    context = {
        "form": form,
        "survey": survey,
        "company": access.company,
        "heading": _("Merge «%(name)s» into another theme") % {"name": theme.name()},
    }
    return render(request, "surveys/simple_form.html", context)


@login_required
def theme_split(request, pk):
    """Move some of the theme's phrases to a new theme."""
    theme, survey, access = _managed_theme(request, pk)
    form = ThemeSplitForm(request.POST or None, theme=theme)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("key", "name_ru", "name_en")}
        try:
            services.theme_split(theme=theme, phrases=form.cleaned_data["phrases"], **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Theme split; the comments are tagged again."))
            return _back(survey)
    context = {
        "form": form,
        "survey": survey,
        "company": access.company,
        "heading": _("Split «%(name)s»") % {"name": theme.name()},
    }
    return render(request, "surveys/simple_form.html", context)


# --------------------------------------------------------------- kept codebooks


@login_required
def codebook_keep(request, pk):
    """Keep a copy of the survey's codebook for every survey of the consultancy."""
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "templates.manage", access.company)
    codebook = codebook_page(survey=survey)["codebook"]
    if codebook is None:
        return _back(survey)
    form = TemplateTitleForm(
        request.POST or None, initial={"title": codebook.title}, submit=_("Keep the codebook")
    )
    if request.method == "POST" and form.is_valid():
        kept = services.codebook_save_as(
            codebook=codebook,
            company=access.company,
            title=form.cleaned_data["title"],
            by=request.user,
        )
        messages.success(
            request,
            _("Codebook «%(title)s» kept: any survey of your companies can start from it.")
            % {"title": kept.title},
        )
        return _back(survey)
    context = {
        "form": form,
        "survey": survey,
        "company": access.company,
        "heading": _("Keep the codebook for other surveys"),
    }
    return render(request, "surveys/simple_form.html", context)


@login_required
@require_safe
def codebook_kept_list(request, company_pk):
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "templates.manage", access.company)
    context = {"company": access.company, "codebooks": owner_codebooks(company=access.company)}
    return render(request, "surveys/themes/codebook_kept_list.html", context)


@login_required
@require_POST
def codebook_kept_delete(request, company_pk, codebook_pk):
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "templates.manage", access.company)
    codebook = kept_codebook_get(company=access.company, pk=codebook_pk)
    services.codebook_kept_delete(codebook=codebook)
    messages.success(request, _("Codebook «%(title)s» deleted.") % {"title": codebook.title})
    return redirect("surveys:codebook-kept-list", access.company.pk)


# ----------------------------------------------------------------- corrections


@login_required
@require_POST
def comment_themes(request, pk):
    """Who edits the codebook sets a comment's themes by hand: the ticked ones, whatever the
    matcher finds, now or after a change of the codebook."""
    response = selectors.response_for_theme_correction(user=request.user, pk=pk)
    codebook = survey_codebook(survey=response.wave.survey)
    # Not a number: 0, which no theme is, so the service refuses the lot.
    ids = {int(value) if value.isdecimal() else 0 for value in request.POST.getlist("theme")}
    try:
        services.comment_themes_set(
            codebook=codebook, response=response, question_id=None, theme_ids=ids
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The comment's themes are saved as set by hand."))
    return _results(response.wave, "comments")


@login_required
@require_POST
def answer_themes(request, pk):
    """The same for an own text answer: its themes by hand, kept as the comment's are."""
    answer = selectors.answer_for_theme_correction(user=request.user, pk=pk)
    response = answer.response
    codebook = survey_codebook(survey=response.wave.survey)
    ids = {int(value) if value.isdecimal() else 0 for value in request.POST.getlist("theme")}
    try:
        services.comment_themes_set(
            codebook=codebook, response=response, question_id=answer.question_id, theme_ids=ids
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The answer's themes are saved as set by hand."))
    return _results(response.wave, f"own-texts-{answer.question_id}")


def _results(wave, anchor):
    url = reverse("surveys:survey-results", args=[wave.survey_id])
    return redirect(f"{url}?wave={wave.number}#{anchor}")
