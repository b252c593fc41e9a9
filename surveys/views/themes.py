"""The codebook editor of a survey (issue 16): consultants and managers who manage it;
the consultant's corrections of a comment's themes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy, selectors
from ..models import Survey
from ..selectors.theme_codebooks import codebook_page, owner_codebooks, survey_codebook, theme_get
from ..services import themes as services
from ..theme_forms import ThemeForm


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


@login_required
def theme_update(request, pk):
    theme = theme_get(survey_ids=Survey.objects.for_user(request.user).values("pk"), pk=pk)
    survey, access = selectors.survey_get(user=request.user, pk=theme.codebook.survey_id)
    policy.check(access, "survey.manage")
    return _theme_form(request, survey=survey, access=access, codebook=theme.codebook, theme=theme)


@login_required
@require_POST
def comment_themes(request, pk):
    """The consultant sets a comment's themes by hand: the ticked ones, whatever the
    matcher finds, now or after a change of the codebook."""
    response = selectors.response_for_moderation(user=request.user, pk=pk)
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
    wave = response.wave
    url = reverse("surveys:survey-results", args=[wave.survey_id])
    return redirect(f"{url}?wave={wave.number}#comments")
