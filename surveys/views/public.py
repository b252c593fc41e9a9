"""Respondent pages: no login, the language of the browser, one light query path on submit."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cxaudit.accounts.selectors import branding_for

from .. import selectors, services
from ..forms import ResponseForm
from ..models import Wave
from ..selectors.respond import FIELD_PREFIX


def client_address(request) -> str:
    """The client's address, for rate limiting only (never stored)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _unavailable(request, heading: str, reason: str, status: int, wave: Wave | None = None):
    context = {
        "heading": heading,
        "reason": reason,
        "branding": branding_for(wave.survey.company) if wave else None,
    }
    return render(request, "surveys/respond_unavailable.html", context, status=status)


def _unknown(request):
    return _unavailable(
        request,
        _("Survey not found"),
        _("This survey link is not known. Check that it was copied completely."),
        404,
    )


def _not_open(request, wave: Wave):
    if wave.status == Wave.Status.SCHEDULED and wave.takes_link_answers:
        return _unavailable(
            request,
            _("This survey has not started yet"),
            _("It opens on %(date)s. Please come back then.")
            % {"date": formats.date_format(wave.opens_on, "DATE_FORMAT")},
            200,
            wave,
        )
    return _unavailable(
        request,
        _("This survey is closed"),
        _("Thank you for your interest. The survey no longer takes answers."),
        410,
        wave,
    )


def _answer(request, *, wave: Wave, channel=None, invitation=None):
    survey = wave.survey
    # A wave read by its link knows whether there are own questions to read (an invitation's
    # wave does not: they are read then, from the cache).
    asks = getattr(wave, "asks_own_questions", True)
    questions = selectors.respond_questions(survey.pk) if asks else ()
    if request.method == "POST":
        if services.rate_limited(client_address=client_address(request), wave=wave):
            return _unavailable(
                request,
                _("Too many answers from this device"),
                _("Please wait a few minutes and try again."),
                429,
                wave,
            )
        form = ResponseForm(request.POST, survey=survey, own_questions=questions)
        if form.is_valid():
            data = dict(form.cleaned_data)
            token = data.pop("submission_token")
            try:
                stored = services.response_submit(
                    wave=wave,
                    submission_token=token,
                    answers=data,
                    channel=channel,
                    invitation=invitation,
                    questions=questions,
                    own=form.own_answers(),
                )
            except services.WaveNotOpen:
                return _not_open(request, wave)
            except services.AnswersInvalid as error:
                for key, message in error.errors.items():
                    form.add_error(f"{FIELD_PREFIX}{key}", message)
            except services.QuestionsChanged:
                selectors.wave_cache_clear()
                questions = selectors.respond_questions(survey.pk)
                form = ResponseForm(request.POST, survey=survey, own_questions=questions)
                form.is_valid()
                form.add_error(
                    None,
                    _("The questions have just changed. Please check your answers and send again."),
                )
            else:
                thanks = reverse("surveys:respond-thanks", args=[wave.token])
                # A form sent again (Back, then Send) is counted once and says so.
                return redirect(thanks if stored else f"{thanks}?again=1")
    else:
        form = ResponseForm(survey=survey, own_questions=questions)
    context = {
        "survey": survey,
        "wave": wave,
        "form": form,
        "helper": form.build_helper(submit=_("Send answers")),
        "branding": branding_for(survey.company),
    }
    return render(request, "surveys/respond.html", context, status=400 if form.errors else 200)


@never_cache
def respond(request, token, code=None):
    wave = selectors.wave_for_token(token)
    if wave is None:
        return _unknown(request)
    channel = None
    if code is not None:
        channel = selectors.channel_for_code(wave=wave, code=code)
        if channel is None:
            return _unknown(request)
    if not wave.is_open or not wave.takes_link_answers:
        return _not_open(request, wave)
    return _answer(request, wave=wave, channel=channel)


@never_cache
def respond_invited(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _unknown(request)
    if hasattr(invitation, "use"):
        return _unavailable(
            request,
            _("You have already answered"),
            _("This personal link works once, and your answers have been received. Thank you!"),
            410,
            invitation.wave,
        )
    if not invitation.wave.is_open or not invitation.wave.takes_link_answers:
        return _not_open(request, invitation.wave)
    return _answer(request, wave=invitation.wave, invitation=invitation)


@require_safe
def respond_thanks(request, token):
    wave = selectors.wave_for_token(token)
    if wave is None:
        return _unknown(request)
    context = {
        "company": wave.survey.company,
        "again": request.GET.get("again") == "1",
        "branding": branding_for(wave.survey.company),
    }
    return render(request, "surveys/respond_thanks.html", context)


for view in (respond, respond_invited, respond_thanks):
    view.use_browser_language = True
