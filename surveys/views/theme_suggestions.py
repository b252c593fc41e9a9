"""The worker's theme suggestions for a wave (issue 16): ask for them, follow the progress,
then accept (named and worded as the consultant likes), merge into a theme or dismiss."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import policy, selectors
from ..models import Codebook, SuggestionStatus, Theme
from ..selectors.theme_codebooks import suggestion_get, wave_suggestion
from ..services import theme_suggestions as services
from ..theme_forms import SuggestionAcceptForm, ThemeMergeForm

# A run still unfinished after this long lost its worker: a new one may be asked for.
STALE_AFTER = timedelta(minutes=15)


def _readable(access, wave):
    """Example comments are the wave's comments: only for who may manage the survey and
    read its results and comments (not while the consultant holds employee comments)."""
    policy.check(access, "survey.manage")
    if not policy.allowed(access, "wave.results.view", wave):
        raise Http404
    return policy.allowed(access, "wave.comments.read", wave)


def _page(request, wave, access, job):
    codebook = Codebook.objects.filter(survey=wave.survey).first()
    context = {
        "wave": wave,
        "survey": wave.survey,
        "company": access.company,
        "job": job,
        "readable": _readable(access, wave),
        "themes": list(Theme.objects.filter(codebook=codebook)) if codebook else [],
    }
    return render(request, "surveys/themes/suggestions.html", context)


def _back(wave):
    return redirect("surveys:theme-suggestions", wave.pk)


@login_required
def theme_suggestions(request, pk):
    """GET: the wave's latest suggestions (or their progress); POST: ask for new ones."""
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    readable = _readable(access, wave)
    job = wave_suggestion(wave=wave)
    if request.method == "POST":
        running = job is not None and job.status in (
            SuggestionStatus.PENDING,
            SuggestionStatus.RUNNING,
        )
        if not readable:
            messages.error(request, _("The consultant has not released these comments yet."))
        elif running and timezone.now() - job.requested_at < STALE_AFTER:
            messages.info(request, _("The suggestions are already being computed."))
        else:
            services.theme_suggestion_request(wave=wave, by=request.user)
        return _back(wave)
    return _page(request, wave, access, job)


@login_required
@require_safe
def theme_suggestion_status(request, pk):
    """The run's progress, polled by the page until it is done."""
    job, access = suggestion_get(user=request.user, pk=pk)
    _readable(access, job.wave)
    response = render(request, "surveys/themes/_suggestion_progress.html", {"job": job})
    if job.status in (SuggestionStatus.DONE, SuggestionStatus.FAILED):
        response["HX-Refresh"] = "true"  # the finished page has forms: load it whole
    return response


def _initial(item, index):
    words = item.get("top_words") or [""]
    name = words[0].capitalize()
    key = next((slugify(word) for word in words if slugify(word)), "") or f"theme-{index + 1}"
    return {
        "key": key[:40],
        "name_ru": name,
        "name_en": name if name.isascii() else "",
        "phrases": "\n".join(item.get("phrases", [])),
    }


def _suggestion(request, pk, index):
    job, access = suggestion_get(user=request.user, pk=pk)
    if not _readable(access, job.wave):
        raise Http404
    item = services.suggestion_item(job, index)
    if item is None:
        raise Http404
    return job, access, item


@login_required
def theme_suggestion_accept(request, pk, index):
    job, access, item = _suggestion(request, pk, index)
    form = SuggestionAcceptForm(request.POST or None, initial=_initial(item, index))
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.suggestion_accept(
                job=job, index=index, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Theme «%(name)s» added; the comments are tagged.") % {"name": theme.name()},
            )
            return _back(job.wave)
    context = {
        "form": form,
        "survey": job.wave.survey,
        "company": access.company,
        "heading": _("Add a suggested theme"),
        "explanation": _("Examples: %(examples)s")
        % {"examples": " · ".join(f"«{text[:80]}»" for text in item.get("examples", [])[:3])},
    }
    return render(request, "surveys/simple_form.html", context)


@login_required
@require_POST
def theme_suggestion_merge(request, pk, index):
    job, _access, _item = _suggestion(request, pk, index)
    themes = Theme.objects.filter(codebook__survey=job.wave.survey)
    form = ThemeMergeForm(request.POST, themes=themes, submit="")
    if not form.is_valid():
        messages.error(request, _("Pick a theme of this survey's codebook."))
        return _back(job.wave)
    try:
        theme = services.suggestion_merge(job=job, index=index, into=form.cleaned_data["into"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The words joined «%(name)s»; the comments are tagged.") % {"name": theme.name()},
        )
    return _back(job.wave)


@login_required
@require_POST
def theme_suggestion_dismiss(request, pk, index):
    job, _access, _item = _suggestion(request, pk, index)
    services.suggestion_dismiss(
        job=job, index=index, dismissed=request.POST.get("dismissed") != "0"
    )
    return _back(job.wave)
