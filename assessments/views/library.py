from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cxaudit import instrument_schema as schema

from ..answering import item_choices, item_widget
from ..forms import InstrumentUploadForm
from ..models import InstrumentKind
from ..selectors import library as selectors
from ..services import library as services


@login_required
@require_safe
def library(request):
    kind = request.GET.get("kind")
    context = {
        "instruments": selectors.instrument_list(user=request.user, kind=kind),
        "kinds": InstrumentKind.choices,
        "kind": kind if kind in InstrumentKind.values else "",
        "can_upload": selectors.authoring_consultancy(user=request.user) is not None,
    }
    return render(request, "assessments/library.html", context)


def preview_sections(parsed: schema.Instrument):
    """Sections with each item's widget and choices, as the answer page shows them."""
    return [
        {
            "section": section,
            "items": [
                {"item": item, "widget": item_widget(item), "choices": item_choices(item)}
                for item in section.items
            ],
        }
        for section in parsed.sections
    ]


@login_required
@require_safe
def instrument_detail(request, pk, number=None):
    instrument = selectors.instrument_get(user=request.user, pk=pk)
    version = (
        instrument.latest
        if number is None
        else selectors.version_get(instrument=instrument, number=number)
    )
    context = {
        "instrument": instrument,
        "version": version,
        "parsed": version.parsed,
        "sections": preview_sections(version.parsed),
        "included": selectors.included_versions(user=request.user, version=version),
        "version_numbers": instrument.versions.values_list("number", flat=True),
    }
    return render(request, "assessments/instrument_detail.html", context)


@login_required
@require_safe
def instrument_history(request, pk):
    instrument = selectors.instrument_get(user=request.user, pk=pk)
    context = {
        "instrument": instrument,
        "entries": selectors.version_history(instrument=instrument),
    }
    return render(request, "assessments/instrument_history.html", context)


@login_required
@require_safe
def instrument_download(request, pk, number):
    instrument = selectors.instrument_get(user=request.user, pk=pk)
    version = selectors.version_get(instrument=instrument, number=number)
    response = HttpResponse(version.yaml_text, content_type="application/yaml; charset=utf-8")
    filename = f"{instrument.key}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def instrument_upload(request):
    consultancy = selectors.authoring_consultancy(user=request.user)
    if consultancy is None:
        raise Http404
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = upload.name if upload else "pasted.yaml"
        try:
            text = (
                services.upload_text(upload.read(), filename=filename)
                if upload
                else form.cleaned_data["text"]
            )
            version, created = services.instrument_upload(
                consultancy=consultancy, text=text, filename=filename, by=request.user
            )
        except schema.LibraryError as error:
            problems = error.problems
        else:
            if created:
                messages.success(
                    request,
                    _("Saved “%(title)s” as version %(number)s.")
                    % {"title": version.title, "number": version.number},
                )
            else:
                messages.info(request, _("Nothing changed: this is the current version."))
            return redirect("assessments:instrument-detail", version.instrument_id)
    context = {"form": form, "problems": problems, "consultancy": consultancy}
    return render(request, "assessments/instrument_upload.html", context)
