"""Recommendations, the action plan, the journey map editor and the next round.

Every page works as plain links and forms; with htmx, rows and stages are swapped in place.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..forms.audits import NextRoundForm
from ..forms.plan import (
    ActionItemForm,
    BulkAcceptForm,
    RecommendationCreateForm,
    RecommendationTextForm,
    TouchpointForm,
)
from ..selectors import plan as selectors
from ..selectors.audits import audit_access_get
from ..services import audits as audit_services
from ..services import journey as journey_services
from ..services import plan as services


def _require(condition: bool) -> None:
    if not condition:
        raise Http404


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --------------------------------------------------------------------------- recommendations


def _recommendations_access(request, pk, *, manage: bool):
    access = audit_access_get(user=request.user, pk=pk)
    _require(access.can_run if manage else (access.can_run or access.can_see_results))
    return access


@login_required
def recommendation_list(request, pk):
    access = _recommendations_access(request, pk, manage=False)
    audit = access.audit
    rows = selectors.recommendation_rows(audit=audit)
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "rows": rows,
        "proposed": [row for row in rows if row.is_proposed],
        "can_manage": access.can_run,
        "create_form": RecommendationCreateForm(
            url=reverse("assessments:recommendation-create", args=[audit.pk])
        )
        if access.can_run
        else None,
    }
    return render(request, "assessments/plan/recommendation_list.html", context)


@login_required
@require_POST
def recommendation_refresh(request, pk):
    access = _recommendations_access(request, pk, manage=True)
    rows = services.recommendations_refresh(audit=access.audit, by=request.user)
    messages.success(
        request,
        ngettext(
            "The rules were evaluated on the current answers: %(n)s recommendation.",
            "The rules were evaluated on the current answers: %(n)s recommendations.",
            len(rows),
        )
        % {"n": len(rows)},
    )
    return redirect("assessments:recommendation-list", pk)


@login_required
@require_POST
def recommendation_accept_many(request, pk):
    access = _recommendations_access(request, pk, manage=True)
    audit = access.audit
    form = BulkAcceptForm(request.POST, choices=audit.recommendations.values_list("pk", flat=True))
    if not form.is_valid():
        messages.error(request, _("Choose at least one recommendation to accept."))
        return redirect("assessments:recommendation-list", pk)
    try:
        actions = services.recommendations_accept(
            audit=audit, ids=form.cleaned_data["ids"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("assessments:recommendation-list", pk)
    messages.success(
        request,
        ngettext(
            "%(n)s recommendation was added to the action plan.",
            "%(n)s recommendations were added to the action plan.",
            len(actions),
        )
        % {"n": len(actions)},
    )
    return redirect("assessments:action-list", pk)


@login_required
def recommendation_create(request, pk):
    access = _recommendations_access(request, pk, manage=True)
    audit = access.audit
    url = reverse("assessments:recommendation-create", args=[audit.pk])
    form = RecommendationCreateForm(request.POST or None, url=url)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(
                audit=audit,
                by=request.user,
                text=form.cleaned_data["text"],
                severity=form.cleaned_data["severity"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your recommendation was added."))
            return redirect("assessments:recommendation-list", pk)
    context = {"audit": audit, "company": audit.company, "form": form}
    return render(request, "assessments/plan/recommendation_form.html", context)


def _row_response(request, access, recommendation, *, message="", message_class=""):
    """The table row of one recommendation (htmx), or back to the list (plain form)."""
    if not request.htmx:
        if message:
            (messages.error if message_class == "text-danger" else messages.success)(
                request, message
            )
        return redirect(
            reverse("assessments:recommendation-list", args=[access.audit.pk])
            + f"#rec-{recommendation.pk}"
        )
    recommendation = selectors.recommendation_get(audit=access.audit, pk=recommendation.pk)
    row = selectors.recommendation_row(
        recommendation=recommendation,
        instruments=selectors.audit_instruments_pinned(audit=access.audit),
        recurred=selectors.recurred_rules(audit=access.audit),
    )
    context = {
        "row": row,
        "audit": access.audit,
        "can_manage": access.can_run,
        "message": message,
        "message_class": message_class,
    }
    return render(request, "assessments/plan/_recommendation_row.html", context)


def _decision(request, pk, rec_pk, decide, success: str):
    access = _recommendations_access(request, pk, manage=True)
    recommendation = selectors.recommendation_get(audit=access.audit, pk=rec_pk)
    try:
        decide(recommendation)
    except ValidationError as error:
        return _row_response(
            request, access, recommendation, message=_errors(error), message_class="text-danger"
        )
    return _row_response(
        request, access, recommendation, message=success, message_class="text-success"
    )


@login_required
@require_POST
def recommendation_accept(request, pk, rec_pk):
    return _decision(
        request,
        pk,
        rec_pk,
        lambda r: services.recommendation_accept(recommendation=r, by=request.user),
        _("Added to the action plan."),
    )


@login_required
@require_POST
def recommendation_reject(request, pk, rec_pk):
    return _decision(
        request,
        pk,
        rec_pk,
        lambda r: services.recommendation_reject(recommendation=r, by=request.user),
        _("Rejected."),
    )


@login_required
def recommendation_edit(request, pk, rec_pk):
    access = _recommendations_access(request, pk, manage=True)
    audit = access.audit
    recommendation = selectors.recommendation_get(audit=audit, pk=rec_pk)
    url = reverse("assessments:recommendation-edit", args=[audit.pk, recommendation.pk])
    list_url = reverse("assessments:recommendation-list", args=[audit.pk])
    row = selectors.recommendation_row(
        recommendation=recommendation,
        instruments=selectors.audit_instruments_pinned(audit=audit),
    )
    form = RecommendationTextForm(
        request.POST or None,
        initial={"text": row.text},
        url=url,
        target=f"#rec-{recommendation.pk}" if request.htmx else None,
        cancel_url=f"{list_url}#rec-{recommendation.pk}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_edit(
                recommendation=recommendation, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _row_response(
                request, access, recommendation, message=_("Saved."), message_class="text-success"
            )
    context = {"audit": audit, "company": audit.company, "form": form, "row": row}
    if request.htmx:
        return render(request, "assessments/plan/_recommendation_edit_row.html", context)
    return render(request, "assessments/plan/recommendation_edit.html", context)


# --------------------------------------------------------------------------- action plan


@login_required
def action_list(request, pk):
    access = audit_access_get(user=request.user, pk=pk)
    _require(access.can_update_actions or access.can_see_results)
    audit = access.audit
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "plan": selectors.action_plan(audit=audit),
        "can_edit": access.can_update_actions,
    }
    return render(request, "assessments/plan/action_list.html", context)


@login_required
def action_edit(request, pk):
    action, access = selectors.action_get(user=request.user, pk=pk)
    _require(access.can_update_actions)
    audit = access.audit
    url = reverse("assessments:action-edit", args=[action.pk])
    list_url = reverse("assessments:action-list", args=[audit.pk]) + f"#action-{action.pk}"
    form = ActionItemForm(
        request.POST or None,
        initial={
            "title": action.display_title,
            "owner": action.owner_id or "",
            "due_date": action.due_date,
            "status": action.status,
            "drop_reason": action.drop_reason,
            "notes": action.notes,
        },
        members=selectors.owner_choices(audit=audit),
        limited=not access.can_run,
        url=url,
        target=f"#action-{action.pk}" if request.htmx else None,
        cancel_url=list_url,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_update(
                action=action, by=request.user, by_role=access.role, **form.changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                messages.success(request, _("The action was saved."))
                return redirect(list_url)
            action, access = selectors.action_get(user=request.user, pk=action.pk)
            context = {"action": action, "can_edit": True, "saved": True}
            return render(request, "assessments/plan/_action_row.html", context)
    context = {"audit": audit, "company": audit.company, "form": form, "action": action}
    if request.htmx:
        return render(request, "assessments/plan/_action_edit_row.html", context)
    return render(request, "assessments/plan/action_edit.html", context)


# --------------------------------------------------------------------------- journey map


def _journey(request, pk, *, edit: bool):
    access = audit_access_get(user=request.user, pk=pk)
    instrument = selectors.journey_instrument(audit=access.audit)
    _require(instrument is not None)
    if edit:
        _require(access.can_run)
    else:
        _require(access.can_run or access.can_see_results or access.participant is not None)
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
    editable = access.can_run and audit.is_open
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
def journey_map(request, pk):
    access, instrument = _journey(request, pk, edit=False)
    audit = access.audit
    editable = access.can_run and audit.is_open
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
    _require(any(stage.key == stage_key for stage in stages))
    form = _touchpoint_form(
        audit, stages, data=request.POST, stage_key=stage_key, htmx=request.htmx
    )
    if form.is_valid():
        try:
            journey_services.touchpoint_create(audit=audit, by=request.user, **form.cleaned_data)
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
            journey_services.touchpoint_update(
                touchpoint=touchpoint, by=request.user, **form.cleaned_data
            )
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
        journey_services.touchpoint_delete(touchpoint=touchpoint, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("assessments:journey-map", pk)
    return _stage_response(
        request, access, instrument, stage_key, message=_("The touchpoint was deleted.")
    )


# --------------------------------------------------------------------------- next round


@login_required
def round_start(request, pk):
    access = audit_access_get(user=request.user, pk=pk)
    _require(access.can_run)
    audit = access.audit
    following = getattr(audit, "next_round", None)
    length = audit.period_end - audit.period_start
    start = audit.period_end + timedelta(days=1)
    form = NextRoundForm(
        request.POST or None, initial={"period_start": start, "period_end": start + length}
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = audit_services.next_round_start(
                audit=audit,
                by=request.user,
                by_role=access.role,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The next round has started."))
            return redirect("assessments:audit-detail", new.pk)
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "form": form,
        "following": following,
        "open_actions": audit.actions.open().count(),
    }
    return render(request, "assessments/plan/round_start.html", context)
