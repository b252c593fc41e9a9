"""Pages of the company's managers and consultants (staff see published results only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cxaudit.accounts.selectors import company_access_get

from .. import policy, selectors, services
from ..forms import (
    ChannelForm,
    InvitationsForm,
    SurveyForm,
    SurveySettingsForm,
    WaveForm,
    WaveReopenForm,
)
from ..selectors.drivers import wave_drivers


@login_required
@require_safe
def survey_list(request, company_pk):
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "survey.view")
    context = {
        "access": access,
        "company": access.company,
        "surveys": selectors.survey_list(company=access.company),
        "k": selectors.anonymity_threshold(access.company),
        "may_keep_templates": policy.allowed(access, "templates.manage", access.company),
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
def survey_create(request, company_pk):
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "survey.manage")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                company=access.company, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Survey created. Add a wave to get its link."))
            return redirect("surveys:survey-detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "company": access.company})


@login_required
def survey_update(request, pk):
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    form = SurveyForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "audience"}
        try:
            services.survey_update(survey=survey, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("surveys:survey-detail", survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "company": access.company, "survey": survey},
    )


@login_required
@require_safe
def survey_detail(request, pk):
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    start, end = services.default_wave_dates(survey)
    waves = selectors.survey_waves(survey=survey)
    channels = list(survey.channels.all())
    for wave in waves:
        main = reverse("surveys:respond", args=[wave.token])
        wave.links = [(_("Main link"), services.survey_link(main), "")] + [
            (
                channel.name,
                services.survey_link(
                    reverse("surveys:respond-channel", args=[wave.token, channel.code])
                ),
                channel.code,
            )
            for channel in channels
        ]
    wave_form = WaveForm(initial={"opens_on": start, "closes_on": end})
    wave_form.helper.form_action = reverse("surveys:wave-create", args=[survey.pk])
    channel_form = ChannelForm()
    channel_form.helper.form_action = reverse("surveys:channel-create", args=[survey.pk])
    context = {
        "survey": survey,
        "company": access.company,
        "access": access,
        "waves": waves,
        "channels": channels,
        "wave_form": wave_form,
        "channel_form": channel_form,
        "k": selectors.anonymity_threshold(access.company),
        "questions": selectors.question_rows(survey=survey),
        "may_keep_templates": policy.allowed(access, "templates.manage", access.company),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
def wave_create(request, pk):
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    start, end = services.default_wave_dates(survey)
    form = WaveForm(request.POST or None, initial={"opens_on": start, "closes_on": end})
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_create(survey=survey, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Wave %(number)d added.") % {"number": wave.number})
            return redirect("surveys:survey-detail", survey.pk)
    return render(
        request,
        "surveys/simple_form.html",
        {"form": form, "survey": survey, "company": access.company, "heading": _("New wave")},
    )


@login_required
def wave_close(request, pk):
    """GET: what closing means for this wave; POST: close it."""
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    if request.method == "POST":
        services.wave_close(wave=wave)
        messages.success(request, _("Wave %(number)d is closed.") % {"number": wave.number})
        return redirect("surveys:survey-detail", wave.survey_id)
    context = {
        "wave": wave,
        "survey": wave.survey,
        "company": access.company,
        "summary": selectors.wave_close_summary(wave=wave),
        "heading": _("Close wave %(number)d") % {"number": wave.number},
    }
    return render(request, "surveys/wave_close.html", context)


@login_required
def wave_reopen(request, pk):
    """GET: whether the wave can be reopened, and until when; POST: reopen it."""
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    refusal = selectors.wave_reopen_refusal(wave=wave)
    until = selectors.wave_reopen_until(wave=wave)
    form = WaveReopenForm(request.POST or None, initial={"closes_on": until})
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect("surveys:survey-detail", wave.survey_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_reopen(wave=wave, closes_on=form.cleaned_data["closes_on"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Wave %(number)d is open again.") % {"number": wave.number})
            return redirect("surveys:survey-detail", wave.survey_id)
    context = {
        "wave": wave,
        "survey": wave.survey,
        "company": access.company,
        "refusal": refusal,
        "form": form,
        "heading": _("Reopen wave %(number)d") % {"number": wave.number},
    }
    return render(request, "surveys/wave_reopen.html", context)


@login_required
def channel_create(request, pk):
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(survey=survey, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Channel “%(name)s” added.") % {"name": channel.name})
            return redirect("surveys:survey-detail", survey.pk)
    return render(
        request,
        "surveys/simple_form.html",
        {
            "form": form,
            "survey": survey,
            "company": access.company,
            "heading": _("New channel"),
            "explanation": _(
                "Each channel gets its own link and QR code in every wave, so you can compare "
                "where answers come from."
            ),
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@login_required
@require_safe
def survey_results(request, pk):
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "survey.view")
    try:
        wave_number = int(request.GET.get("wave", ""))
    except ValueError:
        wave_number = None
    context = selectors.survey_results(
        survey=survey,
        can_manage=policy.allowed(access, "survey.manage"),
        wave_number=wave_number,
        group=request.GET.get("group") or None,
        moderator=policy.allowed(access, "comments.moderate", survey),
        by=request.GET.get("by") or None,
        only=request.GET.get("only") or None,
        theme=_int(request.GET.get("theme")),
        corrector=policy.allowed(access, "themes.correct", survey),
    )
    context.update({"survey": survey, "company": access.company, "access": access})
    if request.htmx and request.GET.get("partial") == "comments":
        return render(request, "surveys/_comments.html", context)
    if context["wave"] is not None:  # key drivers: requested when missing or out of date
        analysis = services.driver_analysis_for_page(wave=context["wave"])
        context["drivers"] = wave_drivers(wave=context["wave"], analysis=analysis)
    return render(request, "surveys/survey_results.html", context)


@login_required
@require_POST
def response_comment_hide(request, pk):
    """The consultant hides an employee's comment from the company, or shows it again."""
    response = selectors.response_for_moderation(user=request.user, pk=pk)
    hidden = request.POST.get("hidden") == "1"
    services.response_comment_hide(response=response, hidden=hidden)
    if hidden:
        messages.success(request, _("The comment is hidden from the company."))
    else:
        messages.success(request, _("The comment is shown to the company again."))
    wave = response.wave
    url = reverse("surveys:survey-results", args=[wave.survey_id])
    return redirect(f"{url}?wave={wave.number}#comments")


@login_required
@require_POST
def wave_comments_release(request, pk):
    """The consultant lets the company read the wave's employee comments."""
    wave = selectors.wave_for_moderation(user=request.user, pk=pk)
    try:
        services.wave_comments_release(wave=wave)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The company can read the comments now."))
    url = reverse("surveys:survey-results", args=[wave.survey_id])
    return redirect(f"{url}?wave={wave.number}#comments")


@login_required
def survey_settings(request, company_pk):
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "survey.manage")
    k = selectors.anonymity_threshold(access.company)
    form = SurveySettingsForm(request.POST or None, initial={"anonymity_threshold": k})
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_settings_set(company=access.company, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("anonymity_threshold", error)
        else:
            messages.success(request, _("Survey settings saved."))
            return redirect("surveys:survey-list", access.company.pk)
    context = {
        "form": form,
        "company": access.company,
        "heading": _("Anonymity settings"),
        "explanation": _(
            "Applies to every employee survey and to customer surveys marked anonymous. A "
            "higher threshold protects people better but hides results of small teams."
        ),
    }
    return render(request, "surveys/simple_form.html", context)


@login_required
def wave_invitations(request, pk):
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    form = InvitationsForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            added = services.wave_invitations_add(wave=wave, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitations queued: %(count)d.") % {"count": added},
            )
            return redirect("surveys:wave-invitations", wave.pk)
    context = {
        "wave": wave,
        "survey": wave.survey,
        "company": access.company,
        "form": form,
        "participation": selectors.wave_participation(wave=wave),
        "invitations": selectors.wave_invitation_list(wave=wave),
    }
    return render(request, "surveys/wave_invitations.html", context)


@login_required
@require_POST
def wave_remind(request, pk):
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    try:
        services.wave_remind(wave=wave)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # No count: it is the number who have not answered yet, live (see wave_participation).
        messages.success(request, _("Reminders are being sent to everyone who has not answered."))
    return redirect(reverse("surveys:wave-invitations", args=[wave.pk]))
