"""The journey map and its editor.

Every page works as plain links and forms; with htmx, stages are swapped in place.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import policy
from ..forms.plan import TouchpointForm
from ..selectors import plan as selectors
from ..selectors.audits import audit_access_get
from ..services import journey as services
from .errors import error_text


def _journey(request, pk, *, edit: bool):
    access = audit_access_get(user=request.user, pk=pk)
    instrument = selectors.journey_instrument(audit=access.audit)
    if instrument is None:
        raise Http404
    policy.check(access, "journey.manage" if edit else "journey.view")
    return access, instrument


def _touchpoint_form(audit, stages, *, data=None, stage_key=None, touchpoint=None, htmx=False):
    if touchpoint is None:
        url = reverse("assessments:touchpoint-create", args=[audit.pk])
        return TouchpointForm(
            data,
            initial={"stage_key": stage_key},
            stages=stages,
            url=url,
            target=f"#stage-{stage_key}" if htmx else None,
            fixed_stage=True,
            auto_id=f"id_new_{stage_key}_%s",
        )
    url = reverse("assessments:touchpoint-edit", args=[audit.pk, touchpoint.pk])
    return TouchpointForm(
        data,
        initial={
            field: getattr(touchpoint, field)
            for field in (
                "stage_key",
                "name",
                "channel",
                "owner_name",
                "emotion",
                "pain_point",
                "improvement",
            )
        },
        stages=stages,
        url=url,
        target=f"#stage-{touchpoint.stage_key}" if htmx else None,
        cancel_url=reverse("assessments:journey-map", args=[audit.pk])
        + f"#stage-{touchpoint.stage_key}",
        auto_id=f"id_tp{touchpoint.pk}_%s",
    )


def _stage_context(access, instrument, stage, *, form=None, message=""):
    audit = access.audit
    editable = policy.allowed(access, "journey.edit")
    stages = instrument.version.parsed.sections
    return {
        "audit": audit,
        "stage": stage,
        "editable": editable,
        "message": message,
        "form": form
        or (
            _touchpoint_form(audit, stages, stage_key=stage.key, htmx=True)
            if editable and any(s.key == stage.key for s in stages)
            else None
        ),
    }


@login_required
@require_safe
def journey_map(request, pk):
    access, instrument = _journey(request, pk, edit=False)
    audit = access.audit
    editable = policy.allowed(access, "journey.edit")
    stages = instrument.version.parsed.sections
    known = {s.key for s in stages}
    blocks = [
        {
            "stage": stage,
            "form": _touchpoint_form(audit, stages, stage_key=stage.key, htmx=True)
            if editable and stage.key in known
            else None,
        }
        for stage in selectors.journey_map(audit=audit, instrument=instrument)
    ]
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "instrument": instrument,
        "blocks": blocks,
        "editable": editable,
    }
    return render(request, "assessments/plan/journey_map.html", context)


def _stage_response(request, access, instrument, stage_key, *, form=None, message=""):
    audit = access.audit
    if not request.htmx:
        if message:
            messages.success(request, message)
        return redirect(reverse("assessments:journey-map", args=[audit.pk]) + f"#stage-{stage_key}")
    stage = selectors.journey_stage(audit=audit, instrument=instrument, key=stage_key)
    context = _stage_context(access, instrument, stage, form=form, message=message)
    return render(request, "assessments/plan/_stage.html", context)


@login_required
@require_POST
def touchpoint_create(request, pk):
    access, instrument = _journey(request, pk, edit=True)
    audit = access.audit
    stages = instrument.version.parsed.sections
    stage_key = request.POST.get("stage_key", "")
    if not any(stage.key == stage_key for stage in stages):
        raise Http404
    form = _touchpoint_form(
        audit, stages, data=request.POST, stage_key=stage_key, htmx=request.htmx
    )
    if form.is_valid():
        try:
            services.touchpoint_create(audit=audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _stage_response(
                request, access, instrument, stage_key, message=_("The touchpoint was added.")
            )
    if request.htmx:
        return _stage_response(request, access, instrument, stage_key, form=form)
    return render(
        request,
        "assessments/plan/touchpoint_form.html",
        {"audit": audit, "company": audit.company, "form": form},
    )


@login_required
def touchpoint_edit(request, pk, tp_pk):
    access, instrument = _journey(request, pk, edit=True)
    audit = access.audit
    touchpoint = selectors.touchpoint_get(audit=audit, pk=tp_pk)
    stages = instrument.version.parsed.sections
    old_stage = touchpoint.stage_key
    form = _touchpoint_form(
        audit, stages, data=request.POST or None, touchpoint=touchpoint, htmx=request.htmx
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.touchpoint_update(touchpoint=touchpoint, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx and touchpoint.stage_key != old_stage:
                response = _stage_response(
                    request, access, instrument, old_stage, message=_("The touchpoint was moved.")
                )
                response["HX-Refresh"] = "true"  # two stages changed: reload the page
                return response
            return _stage_response(
                request, access, instrument, touchpoint.stage_key, message=_("Saved.")
            )
    context = {"audit": audit, "company": audit.company, "form": form, "touchpoint": touchpoint}
    if request.htmx:
        return render(request, "assessments/plan/_touchpoint_edit.html", context)
    return render(request, "assessments/plan/touchpoint_form.html", context)


@login_required
@require_POST
def touchpoint_delete(request, pk, tp_pk):
    access, instrument = _journey(request, pk, edit=True)
    touchpoint = selectors.touchpoint_get(audit=access.audit, pk=tp_pk)
    stage_key = touchpoint.stage_key
    try:
        services.touchpoint_delete(touchpoint=touchpoint, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("assessments:journey-map", pk)
    return _stage_response(
        request, access, instrument, stage_key, message=_("The touchpoint was deleted.")
    )
