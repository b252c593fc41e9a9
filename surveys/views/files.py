"""Downloads and uploads: QR codes, exports and the CSV import."""

import io
import re
import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cxaudit import tabular
from cxaudit.caching import cache_delete, cache_get, cache_set

from .. import policy, selectors, services
from ..forms import ImportForm

IMPORT_CACHE_SECONDS = 30 * 60


def wave_link(request, wave, channel=None) -> str:
    if channel is None:
        path = reverse("surveys:respond", args=[wave.token])
    else:
        path = reverse("surveys:respond-channel", args=[wave.token, channel.code])
    return services.survey_link(path)


def _download_name(wave, extension: str) -> str:
    base = slugify(wave.survey.title, allow_unicode=False) or "survey"
    return f"{base}-wave-{wave.number}.{extension}"


@login_required
@require_safe
def wave_qr(request, pk, fmt):
    if fmt not in ("svg", "png"):
        raise Http404
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    channel = None
    if request.GET.get("channel"):
        channel = selectors.channel_for_code(wave=wave, code=request.GET["channel"])
        if channel is None:
            raise Http404
    qr = segno.make(wave_link(request, wave, channel), error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True)
        content_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=12, border=2)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    suffix = f"-{slugify(channel.name) or channel.code}" if channel else ""
    name = _download_name(wave, fmt).replace(f".{fmt}", f"{suffix}-qr.{fmt}")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@require_safe
def wave_export(request, pk, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    try:
        header, rows = selectors.wave_export(wave=wave)
    except selectors.ExportRefused as error:
        messages.error(request, str(error))
        return redirect("surveys:survey-detail", wave.survey_id)
    if fmt == "csv":
        content = tabular.csv_bytes(header, rows)
        content_type = "text/csv; charset=utf-8"
    else:
        content = tabular.xlsx_bytes(header, rows, title=wave.survey.title)
        content_type = tabular.XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_download_name(wave, fmt)}"'
    return response


def _import_key(request, wave, nonce: str) -> str:
    return f"surveys:import:{request.user.pk}:{wave.pk}:{nonce}"


@login_required
def wave_import(request, pk):
    """Upload → preview (nothing stored) → confirm (all rows or none)."""
    wave, access = selectors.wave_get(user=request.user, pk=pk)
    policy.check(access, "survey.manage")
    context = {"wave": wave, "survey": wave.survey, "company": access.company}
    refusal = services.wave_import_refusal(wave=wave)
    if refusal:
        context["refusal"] = refusal
        return render(request, "surveys/wave_import.html", context)
    nonce = request.POST.get("confirm", "")
    if request.method == "POST" and nonce:
        known = re.fullmatch(r"[A-Za-z0-9_-]{1,64}", nonce)
        data = cache_get(_import_key(request, wave, nonce)) if known else None
        if data is None:
            messages.error(request, _("The preview has expired. Please upload the file again."))
            return redirect("surveys:wave-import", wave.pk)
        try:
            count = services.wave_import(wave=wave, data=data)
        except services.ImportRefused as error:
            context["refusal"] = str(error)
            return render(request, "surveys/wave_import.html", context, status=400)
        except services.ImportInvalid as error:
            context.update({"form": ImportForm(), "parsed": error.parsed})
            return render(request, "surveys/wave_import.html", context, status=400)
        cache_delete(_import_key(request, wave, nonce))
        messages.success(request, _("Responses imported: %(count)d.") % {"count": count})
        return redirect("surveys:survey-detail", wave.survey_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        parsed = services.wave_import_check(wave=wave, data=data)
        context["parsed"] = parsed
        context["preview"] = parsed.preview()
        if parsed.ok:
            nonce = secrets.token_urlsafe(16)
            if cache_set(_import_key(request, wave, nonce), data, IMPORT_CACHE_SECONDS):
                context["nonce"] = nonce
                form = ImportForm()
            else:
                messages.error(
                    request,
                    _(
                        "The preview could not be kept for confirming: the server's cache is "
                        "unavailable. Nothing was imported; please try again in a few minutes."
                    ),
                )
    context["form"] = form
    return render(request, "surveys/wave_import.html", context)
